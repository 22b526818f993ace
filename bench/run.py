"""Benchmarks of carpenstar-bybit against raw HTTP clients and other Bybit clients, in one run.

::

    python bench/run.py            # a few minutes; writes bench/RESULTS.md
    python bench/run.py --quick    # under a minute, fewer samples (same tables)

Every contender makes signed cancel-order calls to a local keep-alive server (``bench/server.py``,
127.0.0.1 only: nothing here ever talks to a real exchange). Contenders run in interleaved rounds,
in a rotating order, so machine noise lands on all of them alike; ratios are taken between numbers of
the same run. Also measured: cold import time (fresh interpreters), client CPU per call without I/O,
response parsing against ``json.loads``, and memory per parsed entity.

pybit and ccxt are measured when installed (``pip install -e ".[bench]"``).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import hmac
import http.client
import importlib.metadata
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
for _path in (str(HERE), str(REPO)):  # the bench server's module, and the SDK from this checkout
    if _path not in sys.path:
        sys.path.insert(0, _path)

# Loopback only, even for clients that read proxy settings from the environment on every call.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

from server import ORDER_ID  # noqa: E402

KEY, SECRET = "bench-key", "bench-secret"
RECV_WINDOW = 5000
V3_CANCEL = "/contract/v3/private/order/cancel"
SYMBOL = "BTCUSD"


# --------------------------------------------------------------------------- statistics


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated quantile (0 <= q <= 1) of ``values``."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


@dataclass
class Series:
    """Samples of one contender (microseconds unless said otherwise), plus per-round medians."""

    samples: list[float] = field(default_factory=list)
    rounds: list[float] = field(default_factory=list)

    def add_round(self, values: list[float]) -> None:
        self.samples.extend(values)
        self.rounds.append(statistics.median(values))

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p10(self) -> float:
        return quantile(self.samples, 0.10)

    @property
    def p90(self) -> float:
        return quantile(self.samples, 0.90)


def ratio(a: Series, b: Series) -> tuple[float, float, float]:
    """Median of ``a`` over median of ``b``, with p10 and p90 of the per-round ratios."""
    per_round = [x / y for x, y in zip(a.rounds, b.rounds, strict=True)]
    return a.median / b.median, quantile(per_round, 0.10), quantile(per_round, 0.90)


def interleave(contenders: dict[str, Callable[[], object]], rounds: int, per_round: int) -> dict[str, Series]:
    """Time each call of each contender (µs), ``per_round`` calls at a time, in a rotating order."""
    names = list(contenders)
    results = {name: Series() for name in names}
    clock = time.perf_counter_ns
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]
            gc.collect()
            values = []
            for _ in range(per_round):
                start = clock()
                call()
                values.append((clock() - start) / 1000)
            results[name].add_round(values)
    return results


def interleave_batches(
    contenders: dict[str, Callable[[], object]], rounds: int, batch: int
) -> dict[str, Series]:
    """Like ``interleave`` for work of a few µs: one sample is the mean of a batch of calls, in µs."""
    names = list(contenders)
    results = {name: Series() for name in names}
    clock = time.perf_counter_ns
    for r in range(rounds):
        shift = r % len(names)
        for name in names[shift:] + names[:shift]:
            call = contenders[name]
            gc.collect()
            start = clock()
            for _ in range(batch):
                call()
            results[name].add_round([(clock() - start) / batch / 1000])
    return results


# --------------------------------------------------------------------------- the server


class LocalServer:
    """``bench/server.py`` in a subprocess (its own interpreter and core)."""

    def __init__(self, uvloop: bool = False) -> None:
        args = [sys.executable, str(HERE / "server.py"), "--key", KEY, "--secret", SECRET]
        if uvloop:
            args.append("--uvloop")
        self._proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        assert self._proc.stdout is not None
        words = self._proc.stdout.readline().split()
        if len(words) != 3 or words[0] != "PORT":
            self.close()
            raise RuntimeError(f"the bench server did not start: {words!r}")
        self.port = int(words[1])
        self.loop = words[2]
        self.url = f"http://127.0.0.1:{self.port}"

    def cpu_seconds(self) -> float | None:
        """CPU time (user + system) the server process has used so far; ``None`` off Linux."""
        try:
            fields = Path(f"/proc/{self._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def close(self) -> None:
        self._proc.terminate()
        self._proc.wait(10)


# --------------------------------------------------------------------------- contenders


def _sign(timestamp: str, payload: bytes) -> str:
    return hmac.new(
        SECRET.encode(), f"{timestamp}{KEY}{RECV_WINDOW}".encode() + payload, hashlib.sha256
    ).hexdigest()


def _raw_request() -> tuple[bytes, dict[str, str]]:
    """What a hand-written client sends: the JSON body and the signed headers."""
    body = json.dumps({"symbol": SYMBOL, "orderId": ORDER_ID}, separators=(",", ":")).encode()
    timestamp = str(time.time_ns() // 1_000_000)
    return body, {
        "Content-Type": "application/json",
        "X-BAPI-API-KEY": KEY,
        "X-BAPI-TIMESTAMP": timestamp,
        "X-BAPI-RECV-WINDOW": str(RECV_WINDOW),
        "X-BAPI-SIGN-TYPE": "2",
        "X-BAPI-SIGN": _sign(timestamp, body),
    }


def _check(answer: dict[str, Any]) -> dict[str, Any]:
    if answer.get("retCode") != 0:
        raise RuntimeError(f"unexpected answer: {answer!r}")
    return answer


def raw_requests(url: str, trust_env: bool) -> Callable[[], object]:
    import requests

    session = requests.Session()
    session.trust_env = trust_env
    target = url + V3_CANCEL

    def call() -> object:
        body, headers = _raw_request()
        return _check(session.post(target, data=body, headers=headers, timeout=(3.05, 10)).json())

    return call


def raw_http_client(port: int) -> Callable[[], object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def call() -> object:
        body, headers = _raw_request()
        conn.request("POST", V3_CANCEL, body, headers)
        return _check(json.loads(conn.getresponse().read()))

    return call


def sdk(url: str, urllib3: bool) -> Callable[[], object]:
    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest

    if urllib3:
        from carpenstar_bybit.core.urllib3_transport import Urllib3Transport

        api = BybitAPI(url, KEY, SECRET, transport=Urllib3Transport())
    else:
        api = BybitAPI(url, KEY, SECRET)

    def call() -> object:
        # The request is built per call, as an application does for each cancel.
        return api.rest(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))

    first = call().get_result()  # type: ignore[attr-defined]
    if first is None or first.get_order_id() != ORDER_ID:
        raise RuntimeError(f"unexpected SDK answer: {first!r}")
    return call


def pybit_client(url: str) -> Callable[[], object]:
    from pybit.unified_trading import HTTP

    session = HTTP(api_key=KEY, api_secret=SECRET, recv_window=RECV_WINDOW)
    session.endpoint = url  # its only base URL; set before any call

    def call() -> object:
        return _check(session.cancel_order(category="linear", symbol="BTCUSDT", orderId=ORDER_ID))

    return call


def _ccxt_exchange(url: str) -> Any:
    import ccxt

    exchange = ccxt.bybit(
        {
            "apiKey": KEY,
            "secret": SECRET,
            "enableRateLimit": False,  # its limiter sleeps between calls
            "options": {"recvWindow": RECV_WINDOW, "fetchMarkets": {"types": ["linear"]}},
        }
    )
    exchange.urls["api"] = {name: url for name in exchange.urls["api"]}  # every API group: local
    return exchange


def ccxt_implicit_v3(url: str) -> Callable[[], object]:
    exchange = _ccxt_exchange(url)

    def call() -> object:
        params = {"symbol": SYMBOL, "orderId": ORDER_ID}
        return _check(exchange.private_post_contract_v3_private_order_cancel(params))

    return call


def ccxt_unified(url: str) -> Callable[[], object]:
    exchange = _ccxt_exchange(url)
    exchange.load_markets()  # served by the local server

    def call() -> object:
        order = exchange.cancel_order(ORDER_ID, "BTC/USDT:USDT")
        if order["id"] != ORDER_ID:
            raise RuntimeError(f"unexpected ccxt answer: {order!r}")
        return order

    return call


@dataclass
class Contender:
    key: str
    label: str
    route: str
    call: Callable[[], object]


def contenders(server: LocalServer) -> tuple[list[Contender], list[str]]:
    url = server.url
    v3 = f"POST {V3_CANCEL}"
    found = [
        Contender("sdk", "carpenstar-bybit `rest()` (default transport)", v3, sdk(url, urllib3=False)),
        Contender("sdk_urllib3", "carpenstar-bybit `rest()`, `Urllib3Transport`", v3, sdk(url, urllib3=True)),
        Contender("requests", "raw `requests.Session` (defaults)", v3, raw_requests(url, trust_env=True)),
        Contender(
            "requests_notrust",
            "raw `requests.Session`, `trust_env=False`",
            v3,
            raw_requests(url, trust_env=False),
        ),
        Contender("http_client", "raw `http.client` keep-alive (floor)", v3, raw_http_client(server.port)),
    ]
    missing = []
    try:
        found.append(
            Contender("pybit", "pybit `HTTP.cancel_order`", "POST /v5/order/cancel", pybit_client(url))
        )
    except ImportError:
        missing.append("pybit")
    try:
        found.append(
            Contender(
                "ccxt",
                "ccxt implicit `private_post_contract_v3_private_order_cancel`",
                v3,
                ccxt_implicit_v3(url),
            )
        )
        found.append(
            Contender(
                "ccxt_unified", "ccxt unified `cancel_order`", "POST /v5/order/cancel", ccxt_unified(url)
            )
        )
    except ImportError:
        missing.append("ccxt")
    return found, missing


# --------------------------------------------------------------------------- import time

IMPORTS = {
    "requests": "import requests",
    "aiohttp": "import aiohttp",
    "sdk_async": (
        "from carpenstar_bybit import AsyncBybitAPI; "
        "from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, "
        "CancelOrderRequest; AsyncBybitAPI('http://127.0.0.1:1')"
    ),
    "sdk": (
        "from carpenstar_bybit import BybitAPI; "
        "from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest"
    ),
    "sdk_bare": "import carpenstar_bybit",
    "pybit": "from pybit.unified_trading import HTTP",
    "ccxt": "import ccxt",
}


def import_times(repeats: int, skip: set[str]) -> dict[str, Series]:
    """Median time of the import statement itself (not interpreter start-up), fresh interpreters.

    Bytecode is cached for every package alike (in a temporary ``PYTHONPYCACHEPREFIX``, warmed first),
    as after a normal ``pip install``; the repository is not written to.
    """
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cache = tempfile.mkdtemp(prefix="carpenstar-bench-pycache-")
    env["PYTHONPYCACHEPREFIX"] = cache
    env["PYTHONPATH"] = str(REPO)
    statements = {k: v for k, v in IMPORTS.items() if k not in skip}

    def once(stmt: str) -> float:
        code = f"import time\nt = time.perf_counter()\n{stmt}\nprint(time.perf_counter() - t)"
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True
        )
        if out.returncode:
            raise RuntimeError(out.stderr)
        return float(out.stdout) * 1000

    try:
        for stmt in statements.values():
            once(stmt)  # compile and cache bytecode
        series = {name: Series() for name in statements}
        names = list(statements)
        for r in range(repeats):
            shift = r % len(names)
            for name in names[shift:] + names[:shift]:
                series[name].add_round([once(statements[name])])
        return series
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# --------------------------------------------------------------------------- CPU without I/O


def cpu_per_call(rounds: int, batch: int) -> dict[str, Series]:
    """The SDK's own work per cancel (build, validate, sign, parse), with a canned answer, no I/O."""
    from requests.structures import CaseInsensitiveDict
    from server import ROUTES

    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.core.enums import EnumOutputMode
    from carpenstar_bybit.core.handler import ResponseHandler
    from carpenstar_bybit.core.transport import Timeout, Transport, WireRequest, WireResponse
    from carpenstar_bybit.derivatives.contract.order.cancel_order import (
        CancelOrder,
        CancelOrderRequest,
        CancelOrderResponse,
    )

    body = ROUTES[("POST", V3_CANCEL)]
    headers = CaseInsensitiveDict(
        {
            "Content-Type": "application/json; charset=utf-8",
            "X-Bapi-Limit": "10",
            "X-Bapi-Limit-Status": "9",
            "X-Bapi-Limit-Reset-Timestamp": "1672217377164",
        }
    )
    wire = WireResponse(200, headers, body)

    class Canned(Transport):
        def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
            return wire

    api = BybitAPI("http://127.0.0.1:1", KEY, SECRET, transport=Canned())
    context = api.context
    handler = ResponseHandler("POST", V3_CANCEL, str)

    def full() -> object:
        return api.rest(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))

    def build_and_sign() -> object:
        return context.prepare(CancelOrder, CancelOrderRequest().set_symbol(SYMBOL).set_order_id(ORDER_ID))

    def parse() -> object:
        return handler.handle(wire, CancelOrderResponse, EnumOutputMode.MODE_ENTITY)

    def raw() -> object:
        _raw_request()
        return json.loads(body)

    return interleave_batches(
        {"sdk": full, "sdk_prepare": build_and_sign, "sdk_parse": parse, "raw": raw}, rounds, batch
    )


# --------------------------------------------------------------------------- parsing and memory


#: One open order as ``/contract/v3/private/order/unfilled-orders`` returns it.
ORDER_ITEM: dict[str, Any] = {
    "symbol": "BTCUSDT",
    "orderId": "6753a9db-3d47-4b06-8c35-599511c0fb00",
    "side": "Buy",
    "orderType": "Limit",
    "stopOrderType": "UNKNOWN",
    "price": "28000.00",
    "qty": "0.022",
    "timeInForce": "GoodTillCancel",
    "orderStatus": "New",
    "triggerPrice": "0.00",
    "orderLinkId": "",
    "createdTime": "1690997416487",
    "updatedTime": "1690997416490",
    "takeProfit": "0.00",
    "stopLoss": "0.00",
    "tpTriggerBy": "UNKNOWN",
    "slTriggerBy": "UNKNOWN",
    "triggerBy": "UNKNOWN",
    "reduceOnly": False,
    "leavesQty": "0.022",
    "leavesValue": "616",
    "cumExecQty": "0.000",
    "cumExecValue": "0",
    "cumExecFee": "0",
    "triggerDirection": 0,
    "cancelType": "UNKNOWN",
    "lastPriceOnCreated": "",
    "iv": "",
    "closeOnTrigger": False,
    "tpslMode": "",
    "tpLimitPrice": "",
    "slLimitPrice": "",
    "smpType": "None",
    "smpGroup": 0,
    "smpOrderId": "",
}


def order_list_body(n: int) -> bytes:
    items = []
    for i in range(n):
        item = dict(ORDER_ITEM)
        item["orderId"] = f"{i:08x}-3d47-4b06-8c35-599511c0fb00"
        item["price"] = f"{28000 + i * 0.5:.2f}"
        item["createdTime"] = str(1690997416487 + i)
        item["updatedTime"] = str(1690997416490 + i)
        items.append(item)
    result = {"list": items, "nextPageCursor": "", "category": ""}
    envelope = {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": 1691001728355}
    return json.dumps(envelope, separators=(",", ":")).encode()  # compact, as Bybit sends it


def order_book_body(levels: int) -> bytes:
    bids = [[f"{16818 - i * 0.5:.1f}", f"{0.001 * (i % 97 + 1):.3f}"] for i in range(levels)]
    asks = [[f"{16819 + i * 0.5:.1f}", f"{0.001 * (i % 89 + 1):.3f}"] for i in range(levels)]
    result = {"s": "BTCUSDT", "b": bids, "a": asks, "ts": 1671969122791, "u": 6404345}
    envelope = {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": 1671969122869}
    return json.dumps(envelope, separators=(",", ":")).encode()


def response_dtos() -> tuple[type[Any], type[Any], str]:
    """The GetOpenOrders and OrderBook response DTOs, or stand-ins declared the same way."""
    try:
        from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrdersResponse
        from carpenstar_bybit.derivatives.market_data.order_book import OrderBookResponse

        source = "the SDK's `GetOpenOrdersResponse` and `OrderBookResponse`"
        return GetOpenOrdersResponse, OrderBookResponse, source
    except ImportError:
        pass
    from carpenstar_bybit.core import (
        BOOL,
        DATETIME,
        DECIMAL,
        INT,
        STRING,
        AbstractResponse,
        Nested,
        ResponseField,
    )

    kinds = {
        "price": DECIMAL,
        "qty": DECIMAL,
        "triggerPrice": DECIMAL,
        "createdTime": DATETIME,
        "updatedTime": DATETIME,
        "takeProfit": DECIMAL,
        "stopLoss": DECIMAL,
        "reduceOnly": BOOL,
        "leavesQty": DECIMAL,
        "leavesValue": DECIMAL,
        "cumExecQty": DECIMAL,
        "cumExecValue": DECIMAL,
        "cumExecFee": DECIMAL,
        "triggerDirection": INT,
        "closeOnTrigger": BOOL,
        "tpLimitPrice": DECIMAL,
        "slLimitPrice": DECIMAL,
        "smpGroup": INT,
    }
    keys = [k for k in ORDER_ITEM if k != "iv"]
    order_fields = tuple(ResponseField(k, f"_f{i}", kinds.get(k, STRING)) for i, k in enumerate(keys))

    class StandInOrder(AbstractResponse):
        __slots__ = tuple(f.slot for f in order_fields)
        _fields = order_fields

    class StandInLevel(AbstractResponse):
        __slots__ = ("_price", "_quantity")
        _fields = (ResponseField(0, "_price", DECIMAL), ResponseField(1, "_quantity", DECIMAL))

    class StandInBook(AbstractResponse):
        __slots__ = ("_a", "_b", "_s", "_ts", "_u")
        _fields = (
            ResponseField("s", "_s", STRING),
            ResponseField("ts", "_ts", DATETIME),
            ResponseField("u", "_u", INT),
            ResponseField("b", "_b", Nested(StandInLevel)),
            ResponseField("a", "_a", Nested(StandInLevel)),
        )

    return StandInOrder, StandInBook, "stand-in DTOs declared like the generated ones (packages not found)"


def parsing(rounds: int) -> tuple[dict[str, dict[str, Series]], str, dict[str, int]]:
    from carpenstar_bybit.core.enums import EnumOutputMode
    from carpenstar_bybit.core.handler import ResponseHandler
    from carpenstar_bybit.core.transport import WireResponse

    orders_dto, book_dto, source = response_dtos()
    cases = {
        "order list, 50 items": (order_list_body(50), orders_dto, 200),
        "order book, 500 levels a side": (order_book_body(500), book_dto, 50),
    }
    out: dict[str, dict[str, Series]] = {}
    sizes = {}
    handler = ResponseHandler("GET", "/bench", str)
    for name, (body, dto, batch) in cases.items():
        wire = WireResponse(200, {}, body)
        sizes[name] = len(body)
        result = handler.handle(wire, dto, EnumOutputMode.MODE_ENTITY)
        assert len(result.get_body()) >= 1

        def sdk_parse(wire: WireResponse = wire, dto: type[Any] = dto) -> object:
            return handler.handle(wire, dto, EnumOutputMode.MODE_ENTITY)

        def json_loads(body: bytes = body) -> object:
            return json.loads(body)

        out[name] = interleave_batches({"sdk": sdk_parse, "json": json_loads}, rounds, batch)
    return out, source, sizes


def memory_per_entity(n: int) -> dict[str, float]:
    from carpenstar_bybit.core.enums import EnumOutputMode
    from carpenstar_bybit.core.handler import ResponseHandler
    from carpenstar_bybit.core.transport import WireResponse

    orders_dto, _book, _source = response_dtos()
    body = order_list_body(n)
    wire = WireResponse(200, {}, body)
    handler = ResponseHandler("GET", "/bench", str)
    handler.handle(WireResponse(200, {}, order_list_body(2)), orders_dto, EnumOutputMode.MODE_ENTITY)

    def measure(fn: Callable[[], object]) -> tuple[float, float]:
        gc.collect()
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        kept = fn()
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        del kept
        return (current - before) / n, (peak - before) / n

    sdk_kept, sdk_peak = measure(lambda: handler.handle(wire, orders_dto, EnumOutputMode.MODE_ENTITY))
    json_kept, json_peak = measure(lambda: json.loads(body))
    return {"sdk_kept": sdk_kept, "sdk_peak": sdk_peak, "json_kept": json_kept, "json_peak": json_peak}


# --------------------------------------------------------------------------- report


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {}
    for dist in ("requests", "urllib3", "pybit", "ccxt"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    from carpenstar_bybit import __version__

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "os": platform.platform(),
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "carpenstar-bybit": __version__,
        **versions,
    }


def us(value: float) -> str:
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def verdict(value: float, limit: float) -> str:
    return "met" if value <= limit else "**missed**"


def report(args: argparse.Namespace, data: dict[str, Any]) -> str:
    lines: list[str] = []
    add = lines.append
    info = data["machine"]
    add("# Benchmark results")
    add("")
    command = "python bench/run.py" + (" --quick" if args.quick else "")
    add(
        f"Written by `{command}` on {time.strftime('%Y-%m-%d %H:%M')} in {data['elapsed']:.0f} s. "
        "All numbers are from this one run; every ratio compares numbers of this run."
    )
    add("")
    add("| machine | |")
    add("|---|---|")
    for key, value in info.items():
        add(f"| {key} | {value} |")
    add(f"| bench server | `bench/server.py`, asyncio ({data['loop']}), HTTP/1.1 keep-alive, 127.0.0.1 |")
    if "server_cpu_us" in data:
        add(
            f"| server CPU per request | {data['server_cpu_us']:.0f} µs (user + system; "
            "part of every contender's time) |"
        )
    add("")

    calls: dict[str, Series] = data["calls"]
    labels: dict[str, tuple[str, str]] = data["labels"]
    floor, base = calls["http_client"], calls["requests_notrust"]
    add("## Signed cancel order over loopback, per call")
    add("")
    add(
        f"{data['rounds']} interleaved rounds of {data['per_round']} calls per contender (rotating order); "
        "µs per call, from the start of the call to the parsed answer."
    )
    add("")
    add("| contender | route | median µs | p10 | p90 | x `http.client` | x requests `trust_env=False` |")
    add("|---|---|---:|---:|---:|---:|---:|")
    for key, series in calls.items():
        label, route = labels[key]
        add(
            f"| {label} | `{route}` | {us(series.median)} | {us(series.p10)} | {us(series.p90)} | "
            f"{series.median / floor.median:.2f} | {series.median / base.median:.2f} |"
        )
    if data["missing"]:
        add("")
        add(f'Not installed, not measured: {", ".join(data["missing"])} (`pip install -e ".[bench]"`).')
    add("")
    add(
        "pybit 5 only speaks V5, so it cancels through `POST /v5/order/cancel` (the same canned answer and "
        "the same signature rule). ccxt is measured twice: its implicit method for the V3 route (the "
        "leanest ccxt path, used for the targets) and its unified `cancel_order` (V5, after loading "
        "markets from the local server). Every signed request is verified by the server."
    )
    add("")

    targets: list[tuple[str, float, tuple[float, float], float]] = []

    def target(name: str, a: str, b: str, limit: float) -> None:
        if a in calls and b in calls:
            value, low, high = ratio(calls[a], calls[b])
            targets.append((name, value, (low, high), limit))

    target("SDK (default transport) / raw requests `trust_env=False`", "sdk", "requests_notrust", 1.05)
    target("SDK (default transport) / pybit", "sdk", "pybit", 0.75)
    target("SDK (default transport) / ccxt", "sdk", "ccxt", 0.8)
    target("SDK (urllib3 transport) / pybit", "sdk_urllib3", "pybit", 0.45)
    target("SDK (urllib3 transport) / `http.client`", "sdk_urllib3", "http_client", 1.6)

    cpu: dict[str, Series] = data["cpu"]
    imports: dict[str, Series] = data["imports"]
    parse: dict[str, dict[str, Series]] = data["parse"]
    imp_ratio = ratio(imports["sdk"], imports["requests"])

    add("## Targets")
    add("")
    add("| target | measured (ratio of medians) | per-round p10-p90 | limit | |")
    add("|---|---:|---:|---:|---|")
    for name, value, (low, high), limit in targets:
        add(f"| {name} | {value:.2f} | {low:.2f}-{high:.2f} | ≤ {limit} | {verdict(value, limit)} |")
    own = cpu["sdk"]
    add(
        f"| client CPU per cancel, no I/O | {us(own.median)} µs | "
        f"{us(own.p10)}-{us(own.p90)} µs | ≤ 25 µs | {verdict(own.median, 25)} |"
    )
    add(
        f"| import SDK + cancel-order package / `import requests` | {imp_ratio[0]:.2f} | "
        f"{imp_ratio[1]:.2f}-{imp_ratio[2]:.2f} | ≤ 1.15 | {verdict(imp_ratio[0], 1.15)} |"
    )
    for name, pair in parse.items():
        value, low, high = ratio(pair["sdk"], pair["json"])
        add(
            f"| parse {name} / `json.loads` | {value:.2f} | {low:.2f}-{high:.2f} | ≤ 4 | "
            f"{verdict(value, 4)} |"
        )
    add("")

    add_async_report(add, data, imports)

    add("## Cold import")
    add("")
    add(
        f"Time of the import statement in a fresh interpreter (start-up excluded), {data['import_repeats']} "
        "interleaved repeats; bytecode cached for every package alike (a temporary `PYTHONPYCACHEPREFIX`, "
        "warmed first)."
    )
    add("")
    add("| statement | median ms | p10 | p90 | x `import requests` |")
    add("|---|---:|---:|---:|---:|")
    for key, series in imports.items():
        add(
            f"| `{IMPORTS[key]}` | {series.median:.1f} | {series.p10:.1f} | {series.p90:.1f} | "
            f"{series.median / imports['requests'].median:.2f} |"
        )
    add("")

    add("## Client CPU per call, no I/O")
    add("")
    add(
        "A transport that returns the server's canned answer at once: what the SDK itself costs per "
        f"cancel. {data['cpu_rounds']} interleaved rounds, each the mean of a batch of "
        f"{data['cpu_batch']} calls."
    )
    add("")
    add("| work | median µs | p10 | p90 |")
    add("|---|---:|---:|---:|")
    names = {
        "sdk": "SDK `rest()`: build the request, validate, serialise, sign, parse (all of it)",
        "sdk_prepare": "SDK: build the request, validate, serialise, sign (`ClientContext.prepare`)",
        "sdk_parse": "SDK: parse the answer into the response object (`ResponseHandler.handle`)",
        "raw": "hand-written: `json.dumps` + HMAC + `json.loads` (what the raw contenders do)",
        "sdk_async": "SDK `await AsyncBybitAPI.rest()`: all of it, on an event loop",
    }
    for key, series in cpu.items():
        add(f"| {names[key]} | {us(series.median)} | {us(series.p10)} | {us(series.p90)} |")
    add("")

    add("## Parsing")
    add("")
    add(
        f"Response DTOs: {data['parse_source']}. The SDK's number is the whole `ResponseHandler.handle` "
        "(JSON with exact decimals, envelope checks, one immutable entity per item with `Decimal`, "
        "`datetime` and `int` fields); `json.loads` only builds dicts of strings."
    )
    add("")
    add("| body | bytes | SDK median µs | p10-p90 | `json.loads` median µs | p10-p90 | ratio |")
    add("|---|---:|---:|---:|---:|---:|---:|")
    for name, pair in parse.items():
        s, j = pair["sdk"], pair["json"]
        add(
            f"| {name} | {data['parse_sizes'][name]:,} | {us(s.median)} | {us(s.p10)}-{us(s.p90)} | "
            f"{us(j.median)} | {us(j.p10)}-{us(j.p90)} | {s.median / j.median:.2f} |"
        )
    add("")

    mem = data["memory"]
    add("## Memory per entity")
    add("")
    add(
        f"A {data['memory_items']:,}-item open-orders body parsed once under `tracemalloc`; bytes per item "
        "kept alive by the result, and the peak while parsing."
    )
    add("")
    add("| | kept B/item | peak B/item |")
    add("|---|---:|---:|")
    add(f"| SDK entities (`MODE_ENTITY`) | {mem['sdk_kept']:,.0f} | {mem['sdk_peak']:,.0f} |")
    add(f"| `json.loads` dicts | {mem['json_kept']:,.0f} | {mem['json_peak']:,.0f} |")
    add("")
    return "\n".join(lines)


def add_async_report(add: Callable[[str], None], data: dict[str, Any], imports: dict[str, Series]) -> None:
    """The asyncio section: throughput and latency with 64 in flight, one at a time, and its targets."""
    from async_bench import p99

    rates: dict[str, Series] = data["async_rates"]
    latencies: dict[str, Series] = data["async_latencies"]
    labels: dict[str, str] = data["async_labels"]
    add("## asyncio: signed cancel orders, 64 in flight")
    add("")
    add(
        f"{data['async_rounds']} interleaved rounds (rotating order, one event loop) of "
        f"{data['async_per_round']} requests per contender, 64 in flight; requests per second per round, "
        "and each request's latency from its start to the parsed answer."
    )
    add("")
    add("| contender | median req/s | p10-p90 req/s | x raw aiohttp | p50 latency µs | p99 latency µs |")
    add("|---|---:|---:|---:|---:|---:|")
    floor = rates.get("aiohttp")
    for key, series in rates.items():
        versus = f"{series.median / floor.median:.2f}" if floor else ""
        add(
            f"| {labels[key]} | {series.median:,.0f} | {series.p10:,.0f}-{series.p90:,.0f} | {versus} | "
            f"{us(latencies[key].median)} | {us(p99(latencies[key]))} |"
        )
    if data["async_missing"]:
        add("")
        add(f"Not installed, not measured: {', '.join(data['async_missing'])}.")
    add("")
    one: dict[str, Series] = data["one_in_flight"]
    add("One request at a time (µs per call, interleaved rounds):")
    add("")
    add("| client | median µs | p10 | p90 |")
    add("|---|---:|---:|---:|")
    for key, name in (
        ("sdk_async_1", "`AsyncBybitAPI` (aiohttp)"),
        ("sdk_urllib3_1", "`BybitAPI`, `Urllib3Transport`"),
    ):
        add(f"| {name} | {us(one[key].median)} | {us(one[key].p10)} | {us(one[key].p90)} |")
    add("")
    add("### asyncio targets")
    add("")
    add("| target | measured | per-round p10-p90 | limit | |")
    add("|---|---:|---:|---:|---|")

    def at_least(name: str, a: str, b: str, limit: float) -> None:
        if a in rates and b in rates:
            value, low, high = ratio(rates[a], rates[b])
            met = "met" if value >= limit else "**missed**"
            add(f"| {name} | {value:.2f} | {low:.2f}-{high:.2f} | ≥ {limit} | {met} |")

    at_least("throughput: SDK async / raw aiohttp", "sdk_async", "aiohttp", 0.85)
    at_least("throughput: SDK async / ccxt async", "sdk_async", "ccxt_async", 1.2)
    if "ccxt_async" in latencies:
        mine, theirs = p99(latencies["sdk_async"]), p99(latencies["ccxt_async"])
        add(
            f"| p99 latency: SDK async / ccxt async | {mine / theirs:.2f} | {us(mine)} vs {us(theirs)} µs | "
            f"≤ 1 | {verdict(mine / theirs, 1.0)} |"
        )
    cpu = data["cpu"]["sdk_async"]
    add(
        f"| async client CPU per cancel, no I/O | {us(cpu.median)} µs | {us(cpu.p10)}-{us(cpu.p90)} µs | "
        f"≤ 30 µs | {verdict(cpu.median, 30)} |"
    )
    value, low, high = ratio(one["sdk_async_1"], one["sdk_urllib3_1"])
    add(
        f"| 1 in flight: async / sync urllib3 latency | {value:.2f} | {low:.2f}-{high:.2f} | ≤ 1.2 | "
        f"{verdict(value, 1.2)} |"
    )
    if "sdk_async" in imports and "aiohttp" in imports:
        value, low, high = ratio(imports["sdk_async"], imports["aiohttp"])
        add(
            f"| import `AsyncBybitAPI` + cancel-order package (and construct it) / `import aiohttp` | "
            f"{value:.2f} | {low:.2f}-{high:.2f} | ≤ 1.3 | {verdict(value, 1.3)} |"
        )
    add("")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarks of carpenstar-bybit (local server only).")
    parser.add_argument("--quick", action="store_true", help="a sub-minute run with fewer samples")
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md", help="where to write the report")
    parser.add_argument("--uvloop", action="store_true", help="serve on uvloop (if installed)")
    args = parser.parse_args(argv)
    quick = args.quick
    started = time.perf_counter()
    data: dict[str, Any] = {"machine": machine()}

    data["rounds"], data["per_round"] = (10, 60) if quick else (50, 150)
    server = LocalServer(uvloop=args.uvloop)
    data["loop"] = server.loop
    try:
        found, data["missing"] = contenders(server)
        for contender in found:  # warm up: connections, caches, lazy imports
            for _ in range(50):
                contender.call()
        print(f"calls: {len(found)} contenders x {data['rounds']} rounds x {data['per_round']}", flush=True)
        server_cpu = server.cpu_seconds()
        calls = interleave({c.key: c.call for c in found}, data["rounds"], data["per_round"])
        if server_cpu is not None:
            used = (server.cpu_seconds() or server_cpu) - server_cpu
            data["server_cpu_us"] = used / (len(found) * data["rounds"] * data["per_round"]) * 1e6
        data["calls"] = calls
        data["labels"] = {c.key: (c.label, c.route) for c in found}
        from async_bench import async_latency, async_throughput

        data["async_rounds"], data["async_per_round"] = (6, 640) if quick else (20, 1280)
        print(
            f"asyncio: {data['async_rounds']} rounds x {data['async_per_round']} requests, 64 in flight",
            flush=True,
        )
        rates, latencies, data["async_labels"], data["async_missing"] = async_throughput(
            url=server.url, rounds=data["async_rounds"], per_round=data["async_per_round"]
        )
        data["async_rates"], data["async_latencies"] = rates, latencies
        data["one_in_flight"] = async_latency(server.url, 10 if quick else 30, 100)
    finally:
        server.close()

    data["import_repeats"] = 10 if quick else 30
    print(f"imports: {data['import_repeats']} repeats", flush=True)
    data["imports"] = import_times(data["import_repeats"], skip=set(data["missing"]))

    data["cpu_rounds"], data["cpu_batch"] = (10, 500) if quick else (30, 2000)
    print("cpu, parsing, memory", flush=True)
    data["cpu"] = cpu_per_call(data["cpu_rounds"], data["cpu_batch"])
    from async_bench import async_cpu_per_call

    data["cpu"].update(async_cpu_per_call(data["cpu_rounds"], data["cpu_batch"]))
    data["parse"], data["parse_source"], data["parse_sizes"] = parsing(10 if quick else 30)
    data["memory_items"] = 10_000
    data["memory"] = memory_per_entity(data["memory_items"])
    data["elapsed"] = time.perf_counter() - started

    text = report(args, data)
    args.output.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
