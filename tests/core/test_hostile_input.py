"""The hostile-input review, case by case: every answer ends as the SDK's own exception within its
time bounds, bad input is refused before I/O with a message naming the field, and no credential is
shown anywhere (reprs, messages, tracebacks captured with their locals).

Each case failed before its fix. Bounds on elapsed time here are hang detectors (many times what
the work takes), not speed claims.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit import (
    ApiException,
    AuthenticationException,
    BybitAPI,
    EnumOutputMode,
    RateLimiter,
    ResponseFormatException,
    RetryPolicy,
    SDKException,
    Timeout,
    TimeoutException,
    TimeSync,
)
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.redact import Redactor
from carpenstar_bybit.core.transport import Transport, WireRequest, WireResponse
from carpenstar_bybit.core.urllib3_transport import Urllib3Transport
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope

OPEN_ORDERS = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
CANCEL = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")


def api_for(url: str, **options: object) -> BybitAPI:
    options.setdefault("retry", RetryPolicy(max_attempts=1))
    return BybitAPI(url, API_KEY, SECRET, **options)  # type: ignore[arg-type]


def open_order(**fields: object) -> dict[str, object]:
    return {"orderId": "o-1", "orderLinkId": "", "symbol": "BTCUSDT", **fields}


# ----------------------------------------------------------------------------- numbers, bounded


@pytest.mark.parametrize("field", ["positionIdx", "createdTime"])  # an int and a datetime field
def test_a_huge_number_in_an_int_or_datetime_field_is_refused_at_once(
    server: RecordingServer, field: str
) -> None:
    body = b'{"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"o","%s":1e1000000}]}}' % field.encode()
    assert len(body) < 100
    server.reply(Reply(body))
    started = time.monotonic()
    with pytest.raises(ResponseFormatException, match="GetOpenOrdersResponse: expected"):
        api_for(server.url, timeout=(1, 1)).rest(GetOpenOrders, OPEN_ORDERS)
    assert time.monotonic() - started < 5  # was 25 s building a 3.3-million-bit integer


@pytest.mark.parametrize(
    "raw",
    ['"1e999999999"', '"1E+100000"', '"0E-1000"', "1e400", f'"{"9" * 45}"', '"Infinity"', '"NaN"'],
)
def test_a_decimal_out_of_range_is_refused(raw: str) -> None:
    handler = ResponseHandler("GET", "/v5/order/realtime", Redactor())
    body = b'{"retCode":0,"result":{"list":[{"orderId":"o","price":%s}]}}' % raw.encode()
    with pytest.raises(ResponseFormatException, match="expected a decimal number"):
        handler.handle(WireResponse(200, {}, body), GetOpenOrders.RESPONSE, EnumOutputMode.MODE_ENTITY, True)


def test_decimals_within_the_bounds_read_exactly() -> None:
    handler = ResponseHandler("GET", "/v5/order/realtime", Redactor())
    body = b'{"retCode":0,"result":{"list":[{"orderId":"o","price":"0.00000000000000000001","qty":"1E+20"}]}}'
    (order,) = handler.handle(
        WireResponse(200, {}, body), GetOpenOrders.RESPONSE, EnumOutputMode.MODE_ENTITY, True
    ).get_body()
    assert order.get_price() == Decimal("1E-20")
    assert order.get_qty() == Decimal("1E+20")


@pytest.mark.parametrize(
    ("retcode", "match"),
    [('"\\u00b2"', "retCode must be an integer"), ('"' + "1" * 5000 + '"', "retCode must be an integer")],
)
def test_a_malformed_ret_code_is_the_sdks_exception(
    server: RecordingServer, retcode: str, match: str
) -> None:
    server.reply(Reply(b'{"retCode":%s,"retMsg":"x","result":{}}' % retcode.encode()))
    with pytest.raises(ResponseFormatException, match=match):
        api_for(server.url).rest(CancelOrder, CANCEL)


def test_a_ret_code_sent_as_a_string_reads_as_that_number(server: RecordingServer) -> None:
    server.reply(Reply(b'{"retCode":"110001","retMsg":"Order does not exist.","result":{}}'))
    with pytest.raises(ApiException) as info:
        api_for(server.url).rest(CancelOrder, CANCEL)
    assert info.value.ret_code == 110001


@pytest.mark.parametrize("when", ['"\\u00b2"', "1e5000", "true", '"' + "7" * 5000 + '"'])
def test_a_malformed_time_on_an_error_answer_is_no_time(server: RecordingServer, when: str) -> None:
    server.reply(Reply(b'{"retCode":10001,"retMsg":"params error","result":{},"time":%s}' % when.encode()))
    with pytest.raises(ApiException) as info:
        api_for(server.url).rest(CancelOrder, CANCEL)
    assert info.value.ret_code == 10001
    assert info.value.time is None


def test_json_nested_too_deeply_is_a_format_error(server: RecordingServer) -> None:
    server.reply(Reply(b'{"retCode":0,"result":' + b"[" * 200_000 + b"]" * 200_000 + b"}"))
    with pytest.raises(ResponseFormatException, match="nested too deeply"):
        api_for(server.url).rest(CancelOrder, CANCEL)


# ------------------------------------------------------------------------------- server time


@pytest.mark.parametrize(
    "answer",
    [
        b'{"retCode":0,"retMsg":"OK","result":{"timeSecond":"1","timeNano":Infinity},"time":1}',
        b'{"retCode":0,"retMsg":"OK","result":{},"time":1e5000}',
        b'{"retCode":0,"retMsg":"OK","result":{},"time":true}',
        b'{"retCode":0,"retMsg":"OK","result":{"timeNano":"99999999999999999999"}}',
    ],
)
def test_an_implausible_server_time_is_refused_and_the_offset_kept(
    server: RecordingServer, answer: bytes
) -> None:
    api = api_for(server.url)
    api.context.clock_offset_ms = 1234
    server.reply(Reply(answer))
    with pytest.raises(ResponseFormatException, match="server time"):
        api.sync_time()
    assert api.clock_offset_ms == 1234


def test_a_failed_scheduled_sync_keeps_the_offset_and_the_call_goes_on(server: RecordingServer) -> None:
    api = api_for(server.url, time_sync=TimeSync(interval=None))
    api.context.clock_offset_ms = 77
    server.reply(Reply(b'{"retCode":0,"result":{},"time":true}'), Reply(envelope({"orderId": "o-1"})))
    result = api.rest(CancelOrder, CANCEL).get_result()
    assert result is not None
    assert result.get_order_id() == "o-1"
    assert api.clock_offset_ms == 77
    assert [r.path for r in server.requests] == ["/v3/public/time", "/contract/v3/private/order/cancel"]


def test_one_time_sync_setting_serves_two_clients_each_with_its_own_offset(server: RecordingServer) -> None:
    settings = TimeSync(interval=None)
    first, second = api_for(server.url, time_sync=settings), api_for(server.url, time_sync=settings)
    now = int(time.time() * 1000)
    server.reply(
        Reply(envelope({}, time=now + 10_000)),
        Reply(envelope({"orderId": "o-1"})),
        Reply(envelope({}, time=now - 20_000)),
        Reply(envelope({"orderId": "o-1"})),
    )
    first.rest(CancelOrder, CANCEL)
    second.rest(CancelOrder, CANCEL)
    assert [r.path for r in server.requests].count("/v3/public/time") == 2
    assert 9_000 < first.clock_offset_ms < 11_000
    assert -21_000 < second.clock_offset_ms < -19_000


# ---------------------------------------------------------------------------- list answers


@pytest.mark.parametrize(
    "result", [{"list": None}, {}, {"category": "linear"}, {"list": None, "nextPageCursor": ""}]
)
def test_a_list_answer_without_a_list_has_no_items(
    server: RecordingServer, result: dict[str, object]
) -> None:
    server.reply(Reply(envelope(result)))
    response = api_for(server.url).rest(GetOpenOrders, OPEN_ORDERS)
    assert len(response.get_body()) == 0
    assert response.get_result() is None


def test_a_list_that_is_not_an_array_is_a_format_error(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"list": 5})))
    with pytest.raises(ResponseFormatException, match=r"expected 'result\.list' to be an array"):
        api_for(server.url).rest(GetOpenOrders, OPEN_ORDERS)


def test_empty_items_are_skipped_as_documented(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"list": [{}, open_order(), {}]})))
    body = api_for(server.url).rest(GetOpenOrders, OPEN_ORDERS).get_body()
    assert [o.get_order_id() for o in body] == ["o-1"]


# ------------------------------------------------------------------ deadlines and size bounds


class TrickleServer:
    """Answers every request with headers and a body one byte every ``interval`` seconds, forever
    (or with a gzip bomb)."""

    def __init__(self, interval: float = 0.25, bomb: bytes | None = None) -> None:
        self.interval = interval
        self.bomb = bomb
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.listener.settimeout(0.1)
        while not self.stop.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                if self.bomb is not None:
                    head = f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: {len(self.bomb)}\r\n\r\n"
                    conn.sendall(head.encode() + self.bomb)
                    self.stop.wait(5)
                    return
                conn.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n"
                )
                while not self.stop.wait(self.interval):
                    conn.sendall(b" ")
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def trickle() -> Iterator[TrickleServer]:
    server = TrickleServer()
    yield server
    server.close()


TRANSPORTS: dict[str, Callable[[], Transport | None]] = {
    "requests": lambda: None,
    "urllib3": Urllib3Transport,
}


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_the_deadline_bounds_the_whole_call_against_a_trickling_server(
    trickle: TrickleServer, transport: str
) -> None:
    api = api_for(
        trickle.url, timeout=(1, 1), retry=RetryPolicy(deadline=2), transport=TRANSPORTS[transport]()
    )
    started = time.monotonic()
    with pytest.raises(TimeoutException, match="deadline passed"):
        api.rest(GetOpenOrders, OPEN_ORDERS)
    elapsed = time.monotonic() - started
    assert 1.9 < elapsed < 8  # was 32 s: each byte restarted the read timeout
    api.close()


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_a_gzip_bomb_is_refused_without_inflating_it(transport: str) -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 1024 * 1024
    server = TrickleServer(bomb=bomb)
    try:
        api = api_for(server.url, transport=TRANSPORTS[transport]())
        with pytest.raises(ResponseFormatException, match="larger than"):
            api.rest(GetOpenOrders, OPEN_ORDERS)
        api.close()
    finally:
        server.close()


def test_a_gzip_answer_within_the_bound_is_decoded(server: RecordingServer) -> None:
    body = gzip.compress(b'{"retCode":0,"retMsg":"OK","result":{"orderId":"o-9","orderLinkId":""}}')
    server.reply(Reply(body, headers={"Content-Encoding": "gzip"}))
    result = api_for(server.url).rest(CancelOrder, CANCEL).get_result()
    assert result is not None
    assert result.get_order_id() == "o-9"
    assert server.requests[0].headers["Accept-Encoding"] == "gzip, deflate"


# ------------------------------------------------------------------------ bad input, before I/O


@pytest.mark.parametrize("qty", ["1E+999999999999999999", "1E+100000000", "9" * 100, 10**30, 1e300])
def test_an_absurd_quantity_is_refused_by_the_setter(qty: object) -> None:
    with pytest.raises(SDKException, match="qty"):
        PlaceOrderRequest().set_qty(qty)  # type: ignore[arg-type]


def test_a_lone_surrogate_is_refused_by_the_setter() -> None:
    with pytest.raises(SDKException, match="orderLinkId: the string is not valid Unicode"):
        PlaceOrderRequest().set_order_link_id("abc\ud800")


def test_a_time_beyond_year_9999_is_refused_by_the_setter() -> None:
    with pytest.raises(SDKException, match="startTime: expected an aware datetime or epoch milliseconds"):
        GetOrderHistoryRequest().set_start_time(10**15)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Timeout(float("inf"), 1),
        lambda: Timeout(1, float("nan")),
        lambda: BybitAPI("https://api.bybit.com", timeout=float("inf")),
        lambda: RetryPolicy(deadline=float("inf")),
        lambda: RetryPolicy(backoff=float("nan")),
        lambda: RateLimiter(per_second=float("inf")),
        lambda: RateLimiter(per_second=float("nan")),
        lambda: RateLimiter(burst=0),
        lambda: RateLimiter(max_wait=float("inf")),
        lambda: TimeSync(interval=float("nan")),
    ],
)
def test_infinite_or_nan_settings_are_refused(build: Callable[[], object]) -> None:
    with pytest.raises(SDKException):
        build()


@pytest.mark.parametrize(
    "key",
    ["KEY\r\nX-Injected: 1", " LEADINGSPACEKEY", "TRAILINGSPACEKEY ", "ключ-не-латиница", "ta\tb-key-000"],
)
def test_an_api_key_that_cannot_be_a_header_is_refused_without_showing_it(key: str) -> None:
    with pytest.raises(SDKException) as info:
        BybitAPI("https://api.bybit.com", key, SECRET)
    assert "X-BAPI-API-KEY header" in str(info.value)
    assert key.strip() not in str(info.value)
    assert key.strip() not in "".join(traceback.format_exception(info.value))


# ---------------------------------------------------------------------------------- secrets


def test_a_wire_request_repr_hides_the_key_and_signature(server: RecordingServer) -> None:
    request = api_for(server.url).context.prepare(CancelOrder, CANCEL)
    text = repr(request)
    assert API_KEY not in text
    assert request.headers["X-BAPI-SIGN"] not in text
    assert "X-BAPI-TIMESTAMP" in text
    echo = b'{"echo":"' + API_KEY.encode() + b'"}'
    assert repr(WireResponse(200, {}, echo)) == f"WireResponse(status=200, body=<{len(echo)} bytes>)"


def _locals_of(exc: BaseException) -> str:
    """The SDK's frames of ``exc``'s traceback with their locals, as an error tracker records them."""
    frames = traceback.TracebackException.from_exception(exc, capture_locals=True).stack
    mine = [f for f in frames if "carpenstar_bybit" in f.filename]
    assert mine
    return "".join(f"{f.filename}:{f.lineno} {f.locals!r}\n" for f in mine) + str(exc)


def test_a_traceback_with_locals_of_a_10004_shows_no_credential(server: RecordingServer) -> None:
    echoed = f"error sign! origin_string[1658384314791{API_KEY}5000{{...}}]"
    server.reply(Reply({"retCode": 10004, "retMsg": echoed, "result": {}, "retExtInfo": {"origin": echoed}}))
    with pytest.raises(AuthenticationException) as info:
        api_for(server.url).rest(CancelOrder, CANCEL)
    text = _locals_of(info.value)
    signature = server.requests[0].headers["X-BAPI-SIGN"]
    assert "origin_string" in text  # the locals are there...
    assert API_KEY not in text  # ...without the key,
    assert SECRET not in text  # the secret
    assert signature not in text  # or the signature


def test_the_constructor_frame_shows_no_secret_when_it_fails() -> None:
    with pytest.raises(SDKException) as info:
        BybitAPI("not a url", API_KEY, SECRET)
    text = _locals_of(info.value)
    assert "host must be a base URL" in text
    assert SECRET not in text
    assert API_KEY not in text


def test_a_success_message_echoing_the_key_is_redacted(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1"}, msg=f"done for {API_KEY}")))
    response = api_for(server.url).rest(CancelOrder, CANCEL)
    assert response.get_return_message() == "done for <redacted>"


def test_repr_of_a_half_built_client_does_not_raise() -> None:
    assert repr(object.__new__(BybitAPI)) == "BybitAPI(<not initialised>)"


def test_response_headers_stay_case_insensitive() -> None:
    wire = WireResponse.json({"retCode": 0}, headers={"X-Bapi-Limit": "10"})
    assert wire.headers["x-bapi-limit"] == "10"
    assert dict(CaseInsensitiveDict(wire.headers)) == {
        "content-type": "application/json",
        "x-bapi-limit": "10",
    }
    assert WireRequest("GET", "http://127.0.0.1/a/b?c=1", {}, None).path == "/a/b"


WATCHDOG_SCRIPT = """
import sys, threading, time
from carpenstar_bybit import BybitAPI
from carpenstar_bybit.core.urllib3_transport import Urllib3Transport
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
url, kind = sys.argv[1], sys.argv[2]
api = BybitAPI(url, "watchdog-key-0001", "watchdog-secret-0001", transport=Urllib3Transport() if kind == "urllib3" else None)
api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1"))
def watchdogs():
    return [t for t in threading.enumerate() if t.name == "carpenstar-bybit-deadlines"]
assert watchdogs(), "no watchdog while a call could need it"
api.close()
limit = time.monotonic() + 10
while watchdogs() and time.monotonic() < limit:
    time.sleep(0.02)
print(len(watchdogs()))
"""


@pytest.mark.parametrize("transport", sorted(TRANSPORTS))
def test_the_deadline_watchdog_ends_when_the_last_client_closes(
    server: RecordingServer, transport: str
) -> None:
    # In a fresh interpreter: this process has other clients that tests left open.
    import subprocess
    import sys

    server.default = Reply(envelope({"orderId": "o-1"}))
    done = subprocess.run(
        [sys.executable, "-c", WATCHDOG_SCRIPT, server.url, transport],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "0"  # a closed client leaves no thread behind
