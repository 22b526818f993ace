"""Bounded soak run: N threads x M order calls against the sandbox with faults injected at a few percent.

Checks, and prints as numbers (run by hand; not a unit test):

* every call ends in a result or a typed ``BybitException`` (nothing else escapes, nothing hangs);
* no order is lost or duplicated: every place the client was told succeeded exists in the sandbox,
  every cancel it was told succeeded is Cancelled there, no ``orderLinkId`` appears twice, and orders
  placed without an ``orderLinkId`` (never resent) number at least the successes and at most the
  successes plus the attempts whose outcome was unknown;
* connections and threads return to their baseline once the client is closed;
* memory is stable: the traced heap after a second round is within a bound of the first;
* the sandbox's internal error list stays empty.

    python bench/soak.py                    # 8 threads x 150 calls, about a minute
    python bench/soak.py --threads 4 --calls 50
"""

from __future__ import annotations

import argparse
import gc
import logging
import random
import sys
import threading
import time
import tracemalloc
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from carpenstar_bybit import BybitAPI, BybitException, RetryPolicy
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange

KEY, SECRET = "soak-key-000000001", "soak-secret-0123456789abcdef0123456789"
FAULTS = (
    ("latency", {"seconds": 0.6}),  # past the read timeout below: a timeout, outcome unknown
    ("http_5xx", {}),
    ("drop", {}),
    ("drop", {"after": True}),  # the exchange acts, the answer is lost
    ("http_5xx", {"after": True}),
)


@dataclass
class Tally:
    """What the client was told, per thread (merged at the end)."""

    placed: dict[str, str] = field(default_factory=dict)  # orderLinkId -> orderId (told: success)
    unknown_link: set[str] = field(default_factory=set)  # orderLinkIds whose place outcome is unknown
    plain_ok: list[str] = field(default_factory=list)  # orderIds of places without orderLinkId
    plain_unknown: int = 0
    cancelled: set[str] = field(default_factory=set)  # orderIds told cancelled
    outcomes: Counter[str] = field(default_factory=Counter)
    escaped: list[str] = field(default_factory=list)  # anything that is not a BybitException
    slowest: float = 0.0


def worker(api: BybitAPI, n: int, calls: int, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(calls):
        use_link = i % 2 == 0
        link = f"soak-{n}-{i}"
        request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
        request = request.set_qty("0.001").set_price(str(10000 + rng.randrange(1000)))
        if use_link:
            request = request.set_order_link_id(link)
        started = time.monotonic()
        try:
            result = api.rest(PlaceOrder, request).get_result()
            assert result is not None
        except BybitException as exc:
            tally.outcomes[f"place: {type(exc).__name__}"] += 1
            if use_link:
                tally.unknown_link.add(link)
            else:
                tally.plain_unknown += 1
            result = None
        except Exception as exc:
            tally.escaped.append(repr(exc))
            result = None
        if result is not None:
            tally.outcomes["place: ok"] += 1
            if use_link:
                tally.placed[link] = result.get_order_id()
            else:
                tally.plain_ok.append(result.get_order_id())
            if rng.random() < 0.5:
                cancel = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(result.get_order_id())
                try:
                    api.rest(CancelOrder, cancel)
                    tally.cancelled.add(result.get_order_id())
                    tally.outcomes["cancel: ok"] += 1
                except BybitException as exc:
                    tally.outcomes[f"cancel: {type(exc).__name__}"] += 1
                except Exception as exc:
                    tally.escaped.append(repr(exc))
        tally.slowest = max(tally.slowest, time.monotonic() - started)


def inject_faults(exchange: SandboxExchange, stop: threading.Event, rate: float, seed: int) -> None:
    """Every ~20 ms, with probability ``rate`` per expected request, queue one random fault."""
    rng = random.Random(seed)
    while not stop.is_set():
        if rng.random() < rate * 4:
            kind, options = rng.choice(FAULTS)
            exchange.faults.inject(kind, count=1, **options)  # type: ignore[arg-type]
        stop.wait(0.02)


def one_round(threads: int, calls: int, fault_rate: float, seed: int) -> dict[str, object]:
    threads_before = threading.active_count()
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=100_000) as exchange:
        api = BybitAPI(
            exchange.url, KEY, SECRET, timeout=(1.0, 0.3), retry=RetryPolicy(backoff=0.02, max_backoff=0.1)
        )
        tallies = [Tally() for _ in range(threads)]
        stop = threading.Event()
        injector = threading.Thread(
            target=inject_faults, args=(exchange, stop, fault_rate, seed), daemon=True
        )
        injector.start()
        started = time.monotonic()
        pool = [
            threading.Thread(target=worker, args=(api, n, calls, tallies[n], seed + n))
            for n in range(threads)
        ]
        for t in pool:
            t.start()
        for t in pool:
            t.join(600)
        elapsed = time.monotonic() - started
        stop.set()
        injector.join(5)
        exchange.faults.clear()
        hung = sum(t.is_alive() for t in pool)

        orders = exchange.orders(KEY)
        by_link = Counter(o.order_link_id for o in orders if o.order_link_id)
        plain = [o for o in orders if not o.order_link_id]
        by_id = {o.order_id: o for o in orders}
        placed = {k: v for t in tallies for k, v in t.placed.items()}
        unknown_link = set().union(*(t.unknown_link for t in tallies))
        plain_ok = [i for t in tallies for i in t.plain_ok]
        plain_unknown = sum(t.plain_unknown for t in tallies)
        cancelled = set().union(*(t.cancelled for t in tallies))
        outcomes: Counter[str] = sum((t.outcomes for t in tallies), Counter())
        escaped = [e for t in tallies for e in t.escaped]

        problems = []
        if hung:
            problems.append(f"{hung} threads still running")
        if escaped:
            problems.append(f"non-SDK exceptions escaped: {escaped[:3]}")
        duplicated = [link for link, count in by_link.items() if count > 1]
        if duplicated:
            problems.append(f"orderLinkIds placed twice: {duplicated[:5]}")
        lost = [link for link, oid in placed.items() if by_link.get(link) != 1 or oid not in by_id]
        if lost:
            problems.append(f"told placed but missing: {lost[:5]}")
        unexplained = [o.order_link_id for o in orders if o.order_link_id and o.order_link_id not in placed]
        unexplained = [link for link in unexplained if link not in unknown_link]
        if unexplained:
            problems.append(f"orders the client never asked for: {unexplained[:5]}")
        missing_plain = [oid for oid in plain_ok if oid not in by_id]
        if missing_plain:
            problems.append(f"plain places told ok but missing: {missing_plain[:5]}")
        if not len(plain_ok) <= len(plain) <= len(plain_ok) + plain_unknown:
            problems.append(
                f"plain orders {len(plain)} outside [{len(plain_ok)}, {len(plain_ok) + plain_unknown}]"
            )
        not_cancelled = [oid for oid in cancelled if by_id[oid].status != "Cancelled"]
        if not_cancelled:
            problems.append(f"told cancelled but not Cancelled: {not_cancelled[:5]}")

        requests_seen = len(exchange.requests())
        faults_seen = sum(1 for r in exchange.requests() if r.faults)
        internal_errors = len(exchange.internal_errors())
        if internal_errors:
            last = exchange.internal_errors()[0][-300:]
            problems.append(f"{internal_errors} sandbox internal errors: {last}")
        api.close()
        deadline = time.monotonic() + 5
        while exchange.open_connections() and time.monotonic() < deadline:
            time.sleep(0.05)
        connections_after = exchange.open_connections()
    deadline = time.monotonic() + 5
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.05)
    if connections_after:
        problems.append(f"{connections_after} connections still open after close()")
    if threading.active_count() > threads_before:
        problems.append(f"threads {threading.active_count()} > baseline {threads_before}")
    return {
        "calls": threads * calls,
        "elapsed_s": elapsed,
        "requests": requests_seen,
        "faulted_requests": faults_seen,
        "sandbox_internal_errors": internal_errors,
        "outcomes": dict(sorted(outcomes.items())),
        "orders_in_sandbox": len(orders),
        "slowest_call_s": max(t.slowest for t in tallies),
        "problems": problems,
    }


class RetryCounter(logging.Handler):
    """Counts the SDK's retry warnings instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.retries = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying "):
            self.retries += 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--calls", type=int, default=150, help="place calls per thread")
    parser.add_argument("--fault-rate", type=float, default=0.03, help="faults per request, about")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    counter = RetryCounter()
    sdk_logger = logging.getLogger("carpenstar_bybit")
    sdk_logger.addHandler(counter)
    sdk_logger.propagate = False
    tracemalloc.start()
    results = []
    heaps = []
    for round_no in range(2):
        results.append(one_round(args.threads, args.calls, args.fault_rate, args.seed + 100 * round_no))
        gc.collect()  # what is still referenced, not what is garbage waiting for the collector
        heaps.append(tracemalloc.get_traced_memory()[0])
    tracemalloc.stop()
    for round_no, result in enumerate(results, 1):
        print(f"round {round_no}:")
        for key, value in result.items():
            print(f"  {key}: {value}")
    print(f"retries logged by the SDK: {counter.retries}")
    growth = heaps[1] - heaps[0]
    print(
        f"traced heap after round 1: {heaps[0] / 1e6:.2f} MB, after round 2: {heaps[1] / 1e6:.2f} MB "
        f"(growth {growth / 1e3:+.0f} kB)"
    )
    problems = [p for r in results for p in r["problems"]]  # type: ignore[attr-defined]
    if growth > max(2_000_000, heaps[0] * 0.25):
        problems.append(f"memory grew by {growth / 1e6:.2f} MB between identical rounds")
    print("RESULT:", "OK" if not problems else "PROBLEMS")
    for problem in problems:
        print("  -", problem)
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
