"""``RetryPolicy.decide`` is a pure function: every rule as a row of a table, then the same rules
through a whole client on a ``MockTransport`` (no socket). The loopback tests in ``test_retry.py``
show the same over real HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from carpenstar_bybit import (
    ApiException,
    AuthenticationException,
    BybitAPI,
    BybitException,
    ConnectionFailedException,
    InvalidParameterException,
    MockTransport,
    OrderNotFoundException,
    RateLimitException,
    ResponseFormatException,
    RetryPolicy,
    SDKException,
    ServerException,
    TimeoutException,
    TimestampException,
    TransportException,
    WireRequest,
    WireResponse,
)
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest

NOW = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)
POLICY = RetryPolicy(max_attempts=3, backoff=0.2, max_backoff=5.0, jitter=0.0, max_rate_limit_wait=10.0)


def limited(code: int, reset_in: float | None, status: int = 200) -> RateLimitException:
    rate = None if reset_in is None else RateLimit(10, 0, NOW + timedelta(seconds=reset_in))
    return RateLimitException(code, "Too many visits!", rate_limit=rate, http_status=status)


# (error, idempotent, attempt, resynced) -> None (raise) or (delay, resync_clock, uncertain)
RULES: list[tuple[str, BybitException, bool, int, bool, tuple[float, bool, bool] | None]] = [
    ("last attempt: never", ConnectionFailedException("refused"), True, 3, False, None),
    ("never sent: any request", ConnectionFailedException("refused"), False, 1, False, (0.2, False, False)),
    ("never sent, backoff doubles", ConnectionFailedException("refused"), False, 2, False, (0.4, False, False)),
    ("10006: wait for the reset", limited(10006, 0.3), False, 1, False, (0.3, False, False)),
    ("10006: reset passed: at once", limited(10006, -5.0), False, 1, False, (0.0, False, False)),
    ("10006: reset too far: raise", limited(10006, 60.0), False, 1, False, None),
    ("10006 without headers: backoff", limited(10006, None), False, 1, False, (0.2, False, False)),
    ("10018: as 10006", limited(10018, 1.0), False, 1, False, (1.0, False, False)),
    ("HTTP 403 block: never", limited(10006, 0.1, status=403), True, 1, False, None),
    ("HTTP 429: never", RateLimitException(None, "HTTP 429", http_status=429), True, 1, False, None),
    ("10002: once, after a re-sync", TimestampException(10002, "ts"), False, 1, False, (0.0, True, False)),
    ("10002 again: raise", TimestampException(10002, "ts"), False, 2, True, None),
    ("10000, harmless to repeat", ServerException(10000, "timeout"), True, 1, False, (0.2, False, True)),
    ("10016, not harmless: raise", ServerException(10016, "busy"), False, 1, False, None),
    ("read timeout, harmless", TimeoutException("no answer"), True, 1, False, (0.2, False, True)),
    ("read timeout, not harmless", TimeoutException("no answer"), False, 1, False, None),
    ("lost after sending, harmless", TransportException("lost"), True, 2, False, (0.4, False, True)),
    ("HTTP 503, harmless", TransportException("5xx", http_status=503), True, 1, False, (0.2, False, True)),
    ("HTTP 503, not harmless", TransportException("5xx", http_status=503), False, 1, False, None),
    ("HTTP 404: never", TransportException("404", http_status=404), True, 1, False, None),
    ("not an envelope: never", ResponseFormatException("html"), True, 1, False, None),
    ("10001: final", InvalidParameterException(10001, "params"), True, 1, False, None),
    ("10003: final", AuthenticationException(10003, "key"), True, 1, False, None),
    ("110001: final", OrderNotFoundException(110001, "gone"), True, 1, False, None),
    ("unknown code: final", ApiException(170000, "?"), True, 1, False, None),
    ("misuse: never", SDKException("bad"), True, 1, False, None),
]


@pytest.mark.parametrize(
    ("error", "idempotent", "attempt", "resynced", "expected"),
    [row[1:] for row in RULES],
    ids=[row[0] for row in RULES],
)
def test_retry_rule(
    error: BybitException,
    idempotent: bool,
    attempt: int,
    resynced: bool,
    expected: tuple[float, bool, bool] | None,
) -> None:
    decision = POLICY.decide(error, attempt, idempotent=idempotent, now=NOW, resynced=resynced)
    if expected is None:
        assert decision is None
        return
    assert decision is not None
    delay, resync, uncertain = expected
    assert decision.delay == pytest.approx(delay)
    assert (decision.resync_clock, decision.uncertain) == (resync, uncertain)


def test_jitter_only_shortens_the_backoff() -> None:
    policy = RetryPolicy(backoff=1.0, jitter=0.5)
    delays = {policy.backoff_delay(1) for _ in range(200)}
    assert all(0.5 <= d <= 1.0 for d in delays)
    assert len(delays) > 1


OK_LIST = WireResponse.json({"retCode": 0, "retMsg": "OK", "result": {"list": []}, "time": 1})


def test_a_mock_transport_drives_the_same_rules_through_a_client() -> None:
    answers = [WireResponse(502, {}, b"<h1>502</h1>"), OK_LIST]
    mock = MockTransport(lambda request: answers.pop(0))
    api = BybitAPI("https://api.bybit.com", "mock-key-0001", "mock-secret-0001", transport=mock, retry=POLICY)
    request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
    assert len(api.rest(GetOpenOrders, request).get_body()) == 0
    assert [r.path for r in mock.requests] == ["/v5/order/realtime"] * 2
    assert all(len(r.headers["X-BAPI-SIGN"]) == 64 for r in mock.requests)  # each attempt signed


def test_a_mock_transport_failure_is_not_resent_when_it_could_act_twice() -> None:
    def no_answer(request: WireRequest) -> WireResponse:
        raise TimeoutException("no answer within the read timeout", method=request.method, path=request.path)

    mock = MockTransport(no_answer)
    api = BybitAPI("https://api.bybit.com", "mock-key-0001", "mock-secret-0001", transport=mock, retry=POLICY)
    place = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Market").set_qty("0.01")
    with pytest.raises(TimeoutException):
        api.rest(PlaceOrder, place)
    assert len(mock.requests) == 1
    with pytest.raises(TimeoutException):
        api.rest(PlaceOrder, place.set_order_link_id("link-0001"))
    assert len(mock.requests) == 1 + 3  # with a link id it is harmless to repeat: all 3 attempts
