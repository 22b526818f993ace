"""The asyncio part of ``bench/run.py``: signed cancels with many requests in flight, one at a time,
and the async client's own CPU per call.

Contenders, all against the same local server (``bench/server.py``) and route, each in its own
round in a rotating order on one event loop:

* ``AsyncBybitAPI.rest()`` (the SDK, default aiohttp transport);
* raw ``aiohttp`` with hand-written signing (the floor of the library);
* ``httpx.AsyncClient`` with hand-written signing (the other candidate transport), when installed;
* ccxt's ``async_support`` implicit method for the same route (its leanest path), when installed.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
from collections.abc import Awaitable, Callable

from run import KEY, ORDER_ID, RECV_WINDOW, SECRET, SYMBOL, V3_CANCEL, Series, _check, _raw_request

__all__ = ["async_cpu_per_call", "async_latency", "async_throughput"]

Call = Callable[[], Awaitable[object]]


def _sdk(url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    from carpenstar_bybit import AsyncBybitAPI
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest

    api = AsyncBybitAPI(url, KEY, SECRET)

    async def call() -> object:
        return await api.rest(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))

    return call, api.aclose


def _aiohttp(url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    import aiohttp

    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=100))
    target = url + V3_CANCEL

    async def call() -> object:
        body, headers = _raw_request()
        async with session.post(target, data=body, headers=headers) as response:
            return _check(json.loads(await response.read()))

    return call, session.close


def _httpx(url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    import httpx

    client = httpx.AsyncClient(limits=httpx.Limits(max_connections=100), trust_env=False)
    target = url + V3_CANCEL

    async def call() -> object:
        body, headers = _raw_request()
        response = await client.post(target, content=body, headers=headers)
        return _check(json.loads(response.content))

    return call, client.aclose


def _ccxt(url: str) -> tuple[Call, Callable[[], Awaitable[None]]]:
    import ccxt.async_support as ccxt_async

    exchange = ccxt_async.bybit(
        {"apiKey": KEY, "secret": SECRET, "enableRateLimit": False, "options": {"recvWindow": RECV_WINDOW}}
    )
    exchange.urls["api"] = {name: url for name in exchange.urls["api"]}

    async def call() -> object:
        return _check(
            await exchange.private_post_contract_v3_private_order_cancel(
                {"symbol": SYMBOL, "orderId": ORDER_ID}
            )
        )

    return call, exchange.close


CONTENDERS: dict[str, tuple[str, Callable[[str], tuple[Call, Callable[[], Awaitable[None]]]]]] = {
    "sdk_async": ("carpenstar-bybit `AsyncBybitAPI.rest()` (aiohttp transport)", _sdk),
    "aiohttp": ("raw `aiohttp`, hand-written signing (floor)", _aiohttp),
    "httpx": ("raw `httpx.AsyncClient`, hand-written signing", _httpx),
    "ccxt_async": ("ccxt `async_support` implicit `private_post_contract_v3_private_order_cancel`", _ccxt),
}


def async_throughput(
    url: str, rounds: int, per_round: int, in_flight: int = 64
) -> tuple[dict[str, Series], dict[str, Series], dict[str, str], list[str]]:
    """Requests per second (one sample per round) and per-request latency (µs), ``in_flight`` at a time."""
    loop = asyncio.new_event_loop()
    calls: dict[str, Call] = {}
    closers: list[Callable[[], Awaitable[None]]] = []
    labels: dict[str, str] = {}
    missing: list[str] = []
    for key, (label, make) in CONTENDERS.items():
        try:
            call, close = loop.run_until_complete(_in_loop(make, url))  # aiohttp wants a running loop
        except ImportError:
            missing.append(key)
            continue
        calls[key], labels[key] = call, label
        closers.append(close)
    rates = {key: Series() for key in calls}
    latencies = {key: Series() for key in calls}

    async def one_round(call: Call, count: int) -> tuple[float, list[float]]:
        gate = asyncio.Semaphore(in_flight)
        spent: list[float] = []
        clock = time.perf_counter_ns

        async def timed() -> None:
            async with gate:
                start = clock()
                await call()
                spent.append((clock() - start) / 1000)

        started = time.perf_counter()
        await asyncio.gather(*(timed() for _ in range(count)))
        return count / (time.perf_counter() - started), spent

    try:
        names = list(calls)
        for key in names:  # warm up: connections, caches, ccxt's first-call work
            loop.run_until_complete(one_round(calls[key], in_flight * 2))
        for r in range(rounds):
            shift = r % len(names)
            for key in names[shift:] + names[:shift]:
                gc.collect()
                rate, spent = loop.run_until_complete(one_round(calls[key], per_round))
                rates[key].add_round([rate])
                latencies[key].add_round(spent)
    finally:
        for close in closers:
            loop.run_until_complete(close())
        loop.close()
    return rates, latencies, labels, missing


async def _in_loop(
    make: Callable[[str], tuple[Call, Callable[[], Awaitable[None]]]], url: str
) -> tuple[Call, Callable[[], Awaitable[None]]]:
    return make(url)


def async_latency(url: str, rounds: int, per_round: int) -> dict[str, Series]:
    """One request at a time: the async client against the sync client on the urllib3 transport."""
    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.core.urllib3_transport import Urllib3Transport
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest

    loop = asyncio.new_event_loop()
    call, close = loop.run_until_complete(_in_loop(_sdk, url))
    sync = BybitAPI(url, KEY, SECRET, transport=Urllib3Transport())

    def sync_call() -> object:
        return sync.rest(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))

    async def sequence(count: int) -> list[float]:
        clock = time.perf_counter_ns
        spent = []
        for _ in range(count):
            start = clock()
            await call()
            spent.append((clock() - start) / 1000)
        return spent

    def sync_sequence(count: int) -> list[float]:
        clock = time.perf_counter_ns
        spent = []
        for _ in range(count):
            start = clock()
            sync_call()
            spent.append((clock() - start) / 1000)
        return spent

    results = {"sdk_async_1": Series(), "sdk_urllib3_1": Series()}
    try:
        loop.run_until_complete(sequence(50))
        sync_sequence(50)
        for r in range(rounds):
            order = ["sdk_async_1", "sdk_urllib3_1"] if r % 2 == 0 else ["sdk_urllib3_1", "sdk_async_1"]
            for key in order:
                gc.collect()
                spent = (
                    loop.run_until_complete(sequence(per_round))
                    if key == "sdk_async_1"
                    else sync_sequence(per_round)
                )
                results[key].add_round(spent)
    finally:
        loop.run_until_complete(close())
        loop.close()
        sync.close()
    return results


def async_cpu_per_call(rounds: int, batch: int) -> dict[str, Series]:
    """The async client's own work per cancel, with a transport that answers at once (no I/O)."""
    from server import ROUTES

    from carpenstar_bybit import AsyncBybitAPI
    from carpenstar_bybit.core.transport import AsyncTransport, Timeout, WireRequest, WireResponse
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest

    wire = WireResponse(200, {"Content-Type": "application/json"}, ROUTES[("POST", V3_CANCEL)])

    class Canned(AsyncTransport):
        async def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
            return wire

    api = AsyncBybitAPI("http://127.0.0.1:1", KEY, SECRET, transport=Canned())

    async def calls(count: int) -> float:
        clock = time.perf_counter_ns
        start = clock()
        for _ in range(count):
            await api.rest(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))
        return (clock() - start) / count / 1000

    loop = asyncio.new_event_loop()
    series = Series()
    try:
        loop.run_until_complete(calls(batch))
        for _ in range(rounds):
            gc.collect()
            series.add_round([loop.run_until_complete(calls(batch))])
    finally:
        loop.close()
    return {"sdk_async": series}


def p99(series: Series) -> float:
    """The 99th percentile of the samples."""
    ordered = sorted(series.samples)
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def median_rate(series: Series) -> float:
    return statistics.median(series.samples)
