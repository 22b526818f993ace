"""The retry policy, the clock and the client-side limiter, against a real server on loopback."""

from __future__ import annotations

import logging
import socket
import time
from datetime import datetime, timedelta, timezone

import pytest

from carpenstar_bybit import (
    NO_RETRY,
    BybitAPI,
    ConnectionFailedException,
    OrderNotFoundException,
    RateLimiter,
    RateLimitException,
    RetryPolicy,
    SDKException,
    TimeoutException,
    TimestampException,
    TransportException,
)
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import Recorded, RecordingServer, Reply, envelope

FAST = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.05)
OPEN_ORDERS = GetOpenOrdersRequest().set_symbol("BTCUSDT")
CANCEL = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
OK_CANCEL = Reply(envelope({"orderId": "o-1", "orderLinkId": ""}))


def place(link_id: str | None = None) -> PlaceOrderRequest:
    request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
    request = request.set_qty("0.01").set_price("20000")
    return request.set_order_link_id(link_id) if link_id else request


def api_for(server: RecordingServer, **options: object) -> BybitAPI:
    options.setdefault("retry", FAST)
    return BybitAPI(server.url, API_KEY, SECRET, **options)  # type: ignore[arg-type]


def test_get_is_retried_after_a_5xx_and_the_retry_is_logged(
    server: RecordingServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.reply(Reply("<h1>502</h1>", status=502, content_type="text/html"), Reply(envelope({"list": []})))
    with caplog.at_level(logging.WARNING, logger="carpenstar_bybit"):
        response = api_for(server).rest(GetOpenOrders, OPEN_ORDERS)
    assert response.get_return_code() == 0
    assert len(server.requests) == 2
    first, second = server.requests
    assert first.headers["X-BAPI-TIMESTAMP"] <= second.headers["X-BAPI-TIMESTAMP"]
    assert second.headers["X-BAPI-SIGN"] == second.expected_signature(SECRET)  # signed afresh
    assert [r.getMessage() for r in caplog.records] == [
        "retrying GET /contract/v3/private/order/unfilled-orders: outcome unknown (HTTP 502) "
        f"(attempt 1 of 3 failed, next in {caplog.records[0].args[-1]:.3f}s)"  # type: ignore[index]
    ]


def test_a_post_without_order_link_id_is_never_sent_twice(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "x"}), delay=1.0))
    api = api_for(server, timeout=(1.0, 0.3))
    started = time.monotonic()
    with pytest.raises(TimeoutException, match=r"no answer within the read timeout of 0\.3s"):
        api.rest(PlaceOrder, place())
    assert time.monotonic() - started < 0.3 + 2.0
    assert len(server.requests) == 1


def test_a_place_with_order_link_id_is_retried_after_a_timeout(server: RecordingServer) -> None:
    server.reply(
        Reply(envelope({"orderId": "x"}), delay=1.0), Reply(envelope({"orderId": "x", "orderLinkId": "L1"}))
    )
    result = api_for(server, timeout=(1.0, 0.3)).rest(PlaceOrder, place("L1")).get_result()
    assert result is not None
    assert result.get_order_link_id() == "L1"
    assert [r.body for r in server.requests] == [server.requests[0].body] * 2


def test_a_retried_cancel_that_meets_not_found_says_the_first_may_have_cancelled(
    server: RecordingServer,
) -> None:
    server.reply(Reply(delay=3.0), Reply(envelope(code=140001, msg="Order does not exist")))
    with pytest.raises(OrderNotFoundException) as info:
        api_for(server, timeout=(1.0, 1.0)).rest(CancelOrder, CANCEL)
    assert len(server.requests) == 2
    assert info.value.ret_code == 140001
    assert str(info.value) == (
        "[140001] Order does not exist (POST /contract/v3/private/order/cancel, HTTP 200); an earlier attempt "
        "of this request was sent but its outcome is unknown; it may already have taken effect"
    )


def test_a_dropped_connection_after_sending_is_retried_only_when_harmless(server: RecordingServer) -> None:
    server.reply(Reply(drop=True), OK_CANCEL)
    assert api_for(server).rest(CancelOrder, CANCEL).get_result() is not None
    assert len(server.requests) == 2

    server.requests.clear()
    server.reply(Reply(drop=True))
    with pytest.raises(TransportException, match="connection lost after sending, outcome unknown"):
        api_for(server).rest(PlaceOrder, place())
    assert len(server.requests) == 1


def test_rate_limit_waits_for_the_window_reset_then_retries(server: RecordingServer) -> None:
    reset = now_ms() + 300
    limited = Reply(
        envelope(code=10006, msg="Too many visits!", time=now_ms()),
        headers={
            "X-Bapi-Limit": "10",
            "X-Bapi-Limit-Status": "0",
            "X-Bapi-Limit-Reset-Timestamp": str(reset),
        },
    )
    server.reply(limited, OK_CANCEL)
    api_for(server).rest(CancelOrder, CANCEL)  # a POST: safe, since the exchange did not act on it
    assert len(server.requests) == 2
    assert server.requests[1].received_ms >= reset - 50


@pytest.mark.parametrize("skew_ms", [-4000, 15_000])
def test_rate_limit_reset_is_read_on_the_exchanges_clock(server: RecordingServer, skew_ms: int) -> None:
    # The exchange's clock is 4 s behind (or 15 s ahead of) ours; its window resets 300 ms after it
    # refused. The wait is the reset minus the exchange's time of the refusal: not 0 (three refusals
    # in a row), not 15.3 s (more than max_rate_limit_wait: no retry at all).
    reset: list[int] = []

    def answer(request: Recorded) -> Reply:
        exchange_now = request.received_ms + skew_ms
        if not reset:
            reset.append(exchange_now + 300)
        if exchange_now < reset[0]:
            headers = {"X-Bapi-Limit": "10", "X-Bapi-Limit-Status": "0"}
            headers["X-Bapi-Limit-Reset-Timestamp"] = str(reset[0])
            return Reply(envelope(code=10006, msg="Too many visits!", time=exchange_now), headers=headers)
        return Reply(envelope({"orderId": "o-1", "orderLinkId": ""}, time=exchange_now))

    server.default = answer
    result = api_for(server).rest(CancelOrder, CANCEL).get_result()
    assert result is not None
    assert result.get_order_id() == "o-1"
    assert len(server.requests) == 2


def test_rate_limit_with_a_reset_in_the_past_retries_at_once(server: RecordingServer) -> None:
    past = {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": str(now_ms() - 60_000),
    }
    server.reply(Reply(envelope(code=10006, msg="Too many visits!", time=now_ms()), headers=past), OK_CANCEL)
    started = time.monotonic()
    api_for(server).rest(CancelOrder, CANCEL)
    assert time.monotonic() - started < 1.0
    assert len(server.requests) == 2


def test_rate_limit_reset_too_far_away_is_not_waited_for(server: RecordingServer) -> None:
    far = {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": str(now_ms() + 600_000),
    }
    server.reply(Reply(envelope(code=10006, msg="Too many visits!", time=now_ms()), headers=far))
    with pytest.raises(RateLimitException) as info:
        api_for(server).rest(CancelOrder, CANCEL)
    assert info.value.rate_limit is not None
    assert info.value.rate_limit.remaining == 0
    assert len(server.requests) == 1


def test_html_403_block_is_never_retried(server: RecordingServer) -> None:
    server.reply(Reply("<html>403 Forbidden</html>", status=403, content_type="text/html"))
    with pytest.raises(RateLimitException, match="blocks an IP"):
        api_for(server).rest(GetOpenOrders, OPEN_ORDERS)
    assert len(server.requests) == 1


def time_answer(offset_ms: int) -> Reply:
    server_ms = now_ms() + offset_ms
    return Reply(
        {
            "retCode": 0,
            "retMsg": "OK",
            "result": {"timeSecond": str(server_ms // 1000), "timeNano": str(server_ms * 1_000_000)},
            "retExtInfo": {},
            "time": server_ms,
        }
    )


def test_10002_resyncs_the_clock_once_then_retries_with_the_new_offset(server: RecordingServer) -> None:
    def answer(recorded: Recorded) -> Reply:
        return time_answer(-7000) if recorded.path == "/v3/public/time" else OK_CANCEL

    server.reply(
        Reply(envelope(code=10002, msg="invalid request, please check your server timestamp")), answer, answer
    )
    api = api_for(server)
    api.rest(CancelOrder, CANCEL)
    assert [r.path for r in server.requests] == [
        "/contract/v3/private/order/cancel",
        "/v3/public/time",
        "/contract/v3/private/order/cancel",
    ]
    assert -7300 < api.clock_offset_ms < -6700
    resent = server.requests[2]
    assert abs(int(resent.headers["X-BAPI-TIMESTAMP"]) - (resent.received_ms - 7000)) < 300
    assert "X-BAPI-API-KEY" not in server.requests[1].headers  # the time route is public


def test_a_second_10002_is_raised_with_a_clock_report(server: RecordingServer) -> None:
    ts_error = Reply(envelope(code=10002, msg="invalid request, please check your server timestamp"))
    server.reply(ts_error, time_answer(0), ts_error)
    with pytest.raises(TimestampException) as info:
        api_for(server).rest(CancelOrder, CANCEL)
    text = str(info.value)
    assert "local time " in text
    assert "server time 1671017658012 ms" in text
    assert "clock offset " in text
    assert "recv_window 5000 ms" in text
    assert len(server.requests) == 3


def test_time_sync_option_measures_the_offset_before_the_first_private_call(server: RecordingServer) -> None:
    server.reply(time_answer(2500), OK_CANCEL)
    api = api_for(server, time_sync=True)
    api.rest(CancelOrder, CANCEL)
    assert [r.path for r in server.requests] == ["/v3/public/time", "/contract/v3/private/order/cancel"]
    assert 2200 < api.clock_offset_ms < 2800
    server.reply(time_answer(-100))
    assert -400 < api.sync_time() < 200


def test_refused_connection_is_retried_and_bounded() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    api = BybitAPI(f"http://127.0.0.1:{port}", API_KEY, SECRET, retry=FAST)
    started = time.monotonic()
    with pytest.raises(ConnectionFailedException, match="could not connect"):
        api.rest(PlaceOrder, place())  # never sent, so even a plain place-order may be retried
    assert time.monotonic() - started < 5.0


def test_a_server_that_never_answers_ends_in_a_timeout_not_a_hang() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        api = BybitAPI(f"http://127.0.0.1:{port}", API_KEY, SECRET, timeout=(1.0, 0.5), retry=NO_RETRY)
        started = time.monotonic()
        with pytest.raises(TimeoutException):
            api.rest(GetOpenOrders, OPEN_ORDERS)
        assert time.monotonic() - started < 0.5 + 2.0


def test_deadline_stops_retrying(server: RecordingServer) -> None:
    server.default = Reply("<h1>503</h1>", status=503, content_type="text/html")
    policy = RetryPolicy(max_attempts=50, backoff=0.2, max_backoff=0.2, jitter=0, deadline=0.5)
    with pytest.raises(TransportException):
        api_for(server, retry=policy).rest(GetOpenOrders, OPEN_ORDERS)
    assert 2 <= len(server.requests) <= 4


def test_policy_refuses_bad_settings() -> None:
    with pytest.raises(SDKException, match=r"max_attempts must be an int >= 1"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(SDKException, match=r"jitter must be within 0\.\.1"):
        RetryPolicy(jitter=2)


def test_limiter_spaces_requests_per_key_and_pauses_on_an_empty_window() -> None:
    limiter = RateLimiter(10, burst=1)
    assert limiter.acquire("k1") == 0.0
    assert limiter.acquire("k1") >= 0.08  # the second token of k1 comes 0.1 s later
    assert limiter.acquire("k2") == 0.0  # another key has its own bucket
    reset = datetime.now(timezone.utc) + timedelta(milliseconds=300)
    limiter.observe("k2", RateLimit(10, 0, reset))
    assert limiter.acquire("k2") >= 0.2


def test_limiter_keeps_a_client_under_the_limit(server: RecordingServer) -> None:
    api = api_for(server, rate_limiter=RateLimiter(20, burst=1))
    for _ in range(5):
        api.rest(CancelOrder, CANCEL)
    stamps = [r.received_ms for r in server.requests]
    assert stamps[-1] - stamps[0] >= 4 * 50 - 20


def test_a_v5_call_resyncs_through_the_v5_time_route(server: RecordingServer) -> None:
    from carpenstar_bybit.v5.trade.cancel_order import CancelOrder as V5CancelOrder
    from carpenstar_bybit.v5.trade.cancel_order import CancelOrderRequest as V5CancelOrderRequest

    def answer(recorded: Recorded) -> Reply:
        return time_answer(0) if recorded.path == "/v5/market/time" else OK_CANCEL

    server.reply(
        Reply(envelope(code=10002, msg="invalid request, please check your server timestamp")), answer, answer
    )
    request = V5CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id("o-1")
    api_for(server).rest(V5CancelOrder, request)
    assert [r.path for r in server.requests] == ["/v5/order/cancel", "/v5/market/time", "/v5/order/cancel"]
