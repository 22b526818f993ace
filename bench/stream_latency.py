"""Latency from a REST place on the sandbox to the private ``order`` event in user code, next to the
REST round trip itself, in interleaved rounds.

::

    python bench/stream_latency.py            # about half a minute
    python bench/stream_latency.py --quick    # a few seconds

One sandbox exchange (HTTP and streams on 127.0.0.1, in this process, as a test suite runs it), one
``BybitAPI`` and one ``PrivateStream`` subscribed to ``order`` (and the asyncio twins:
``AsyncBybitAPI``, ``AsyncPrivateStream``). Each order is a limit buy far below the price, so it
rests: one REST call, one ``order`` event. Per order:

* ``REST round trip``: from just before ``rest(PlaceOrder, ...)`` to its return;
* ``order event``: from the same moment to the return of ``stream.get()`` (sync) or
  ``await stream.get()`` (async) with that order's event: the time until user code holds the typed
  event (the exchange pushes it before it answers the REST call, so it may come first).

Rounds alternate with rounds of REST alone (no stream open): the REST baseline of the same moment,
so a loaded machine shows as a slower baseline rather than as a slower stream. The exchange is reset
between rounds (no orders pile up). Reported: p50 and p99 of each, in milliseconds, and the ratio of
the event's p50 to the REST baseline's p50 (per round, then the median).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import platform
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from carpenstar_bybit import NO_RETRY, AsyncBybitAPI, BybitAPI  # noqa: E402
from carpenstar_bybit.sandbox import SandboxExchange  # noqa: E402
from carpenstar_bybit.v5.stream import (  # noqa: E402
    AsyncPrivateStream,
    OrderEvent,
    PrivateStream,
    StreamEvent,
)
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest  # noqa: E402

KEY, SECRET = "bench-key-0001", "bench-secret-0123456789"
WAIT = 30.0


def order(n: int) -> PlaceOrderRequest:
    return (
        PlaceOrderRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.001")
        .set_price(str(20000 + n % 100))
    )


def placed_id(response: object) -> str:
    result = response.get_result()  # type: ignore[attr-defined]
    return str(result.get_order_id())


def is_order(event: StreamEvent | None, order_id: str) -> bool:
    return isinstance(event, OrderEvent) and event.get_orders()[0].get_order_id() == order_id


# --------------------------------------------------------------------------- sync


def rest_round(api: BybitAPI, orders: int) -> list[float]:
    times = []
    for n in range(orders):
        start = time.perf_counter()
        api.rest(PlaceOrder, order(n))
        times.append(time.perf_counter() - start)
    return times


def stream_round(api: BybitAPI, stream: PrivateStream, orders: int) -> tuple[list[float], list[float]]:
    rest, events = [], []
    for n in range(orders):
        start = time.perf_counter()
        order_id = placed_id(api.rest(PlaceOrder, order(n)))
        rest.append(time.perf_counter() - start)
        while not is_order(stream.get(WAIT), order_id):
            pass
        events.append(time.perf_counter() - start)
    return rest, events


def run_sync(exchange: SandboxExchange, rounds: int, orders: int) -> dict[str, list[list[float]]]:
    out: dict[str, list[list[float]]] = {"baseline": [], "rest": [], "event": []}
    with BybitAPI(exchange.url, KEY, SECRET, retry=NO_RETRY) as api:
        rest_round(api, 20)  # warm up the connection pool and the code paths
        for _ in range(rounds):
            exchange.reset()
            gc.collect()
            out["baseline"].append(rest_round(api, orders))
            exchange.reset()
            gc.collect()
            with PrivateStream(KEY, SECRET, host=exchange.ws_url, topics=["order"], proxy=None) as stream:
                rest, events = stream_round(api, stream, orders)
            out["rest"].append(rest)
            out["event"].append(events)
    return out


# --------------------------------------------------------------------------- asyncio


async def arest_round(api: AsyncBybitAPI, orders: int) -> list[float]:
    times = []
    for n in range(orders):
        start = time.perf_counter()
        await api.rest(PlaceOrder, order(n))
        times.append(time.perf_counter() - start)
    return times


async def astream_round(
    api: AsyncBybitAPI, stream: AsyncPrivateStream, orders: int
) -> tuple[list[float], list[float]]:
    rest, events = [], []
    for n in range(orders):
        start = time.perf_counter()
        order_id = placed_id(await api.rest(PlaceOrder, order(n)))
        rest.append(time.perf_counter() - start)
        while not is_order(await asyncio.wait_for(stream.get(), WAIT), order_id):
            pass
        events.append(time.perf_counter() - start)
    return rest, events


async def run_async(exchange: SandboxExchange, rounds: int, orders: int) -> dict[str, list[list[float]]]:
    out: dict[str, list[list[float]]] = {"baseline": [], "rest": [], "event": []}
    async with AsyncBybitAPI(exchange.url, KEY, SECRET, retry=NO_RETRY) as api:
        await arest_round(api, 20)
        for _ in range(rounds):
            exchange.reset()
            gc.collect()
            out["baseline"].append(await arest_round(api, orders))
            exchange.reset()
            gc.collect()
            async with AsyncPrivateStream(
                KEY, SECRET, host=exchange.ws_url, topics=["order"], proxy=None
            ) as stream:
                rest, events = await astream_round(api, stream, orders)
            out["rest"].append(rest)
            out["event"].append(events)
    return out


# --------------------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def table(title: str, results: dict[str, list[list[float]]]) -> str:
    names = {
        "baseline": "REST round trip, no stream open (baseline)",
        "rest": "REST round trip, stream open",
        "event": "REST place to the `order` event in user code",
    }
    lines = [
        f"### {title}",
        "",
        "| measured | p50 ms | p99 ms | p50 / baseline p50 (median of rounds) |",
        "|---|---:|---:|---:|",
    ]
    for key, label in names.items():
        rounds = results[key]
        flat = [t for r in rounds for t in r]
        ratios = [
            statistics.median(r) / statistics.median(b)
            for r, b in zip(rounds, results["baseline"], strict=True)
        ]
        lines.append(
            f"| {label} | {percentile(flat, 0.5) * 1000:.3f} | {percentile(flat, 0.99) * 1000:.3f} "
            f"| {statistics.median(ratios):.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and orders")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 8)")
    parser.add_argument("--orders", type=int, default=None, help="orders per round (default 300)")
    args = parser.parse_args(argv)
    rounds = args.rounds or (3 if args.quick else 8)
    orders = args.orders or (100 if args.quick else 300)
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=10**9, streams=True) as exchange:
        sync = run_sync(exchange, rounds, orders)
        asynchronous = asyncio.run(run_async(exchange, rounds, orders))
        assert exchange.internal_errors() == []
    print(f"# REST place to private `order` event on the sandbox: {rounds} rounds of {orders} orders")
    print(f"Python {platform.python_version()} on {platform.machine()}\n")
    print(table("BybitAPI + PrivateStream (sync)", sync))
    print()
    print(table("AsyncBybitAPI + AsyncPrivateStream (asyncio)", asynchronous))
    return 0


if __name__ == "__main__":
    sys.exit(main())
