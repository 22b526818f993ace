"""No secret, API key or signature in any log line, exception or repr, with logging at DEBUG and
every exception path exercised."""

from __future__ import annotations

import io
import logging
import traceback
from collections.abc import Iterator

import pytest

from carpenstar_bybit import NO_RETRY, BybitAPI, BybitException, RedactingFilter, RetryPolicy
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from tests.support.recording_server import RecordingServer, Reply, envelope

KEY = "kEy-1234567890"
SECRET = "sEcReT-abcdefghijklmnop"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_secrets_appear_nowhere(server: RecordingServer, captured: io.StringIO) -> None:
    echo = f"error sign! origin_string[1700000000000{KEY}5000{{}}] X-BAPI-SIGN: {'f' * 64}"
    server.reply(
        Reply(envelope({"orderId": "o", "orderLinkId": ""})),
        Reply(envelope(code=10004, msg=echo)),
        Reply(envelope(code=10003, msg=f"API key {KEY} is invalid.")),
        Reply(f"<html>blocked {KEY}</html>", status=403, content_type="text/html"),
        Reply(f"oops {SECRET}", status=500, content_type="text/plain"),
        Reply(b"not json"),
        Reply(delay=1.0),
        Reply(drop=True),
    )
    api = BybitAPI(server.url, KEY, SECRET, retry=NO_RETRY, timeout=(1.0, 0.3))
    request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o")
    texts: list[str] = [repr(api), repr(api.context.credentials), repr(request)]
    api.rest(CancelOrder, request)
    for _ in range(7):
        with pytest.raises(BybitException) as info:
            api.rest(CancelOrder, request)
        texts += [str(info.value), repr(info.value), "".join(traceback.format_exception(info.value))]
    with pytest.raises(BybitException) as info:
        api.rest(CancelOrder, CancelOrderRequest())  # invalid: nothing sent
    texts.append(str(info.value))
    server.reply(Reply("busy", status=503, content_type="text/plain"), Reply(envelope({"list": []})))
    retrying = BybitAPI(server.url, KEY, SECRET, retry=RetryPolicy(max_attempts=2, backoff=0.01))
    retrying.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT"))
    texts.append(captured.getvalue())

    signatures = [r.headers["X-BAPI-SIGN"] for r in server.requests if "X-BAPI-SIGN" in r.headers]
    assert len(signatures) >= 8
    everything = "\n".join(texts)
    assert "retCode=10004" in captured.getvalue()  # DEBUG lines were really written
    assert "retrying GET /contract/v3/private/order/unfilled-orders" in captured.getvalue()
    assert KEY not in everything
    assert SECRET not in everything
    for signature in signatures:
        assert signature not in everything


def test_redacting_filter_on_a_handler_cleans_other_loggers() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(KEY, SECRET))
    other = logging.getLogger("some.other.library")
    other.addHandler(handler)
    other.propagate = False
    try:
        other.warning("headers %s", {"X-BAPI-API-KEY": KEY, "X-BAPI-SIGN": "ab" * 32, "secret": SECRET})
    finally:
        other.removeHandler(handler)
        other.propagate = True
    line = stream.getvalue()
    assert KEY not in line
    assert SECRET not in line
    assert "ab" * 32 not in line
    assert line.count("<redacted>") == 3
