"""The per-key rate limit on private routes and its ``X-Bapi-Limit*`` headers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
import requests

from carpenstar_bybit import NO_RETRY, BybitAPI, RateLimitException
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import API_KEY, OTHER_KEY, OTHER_SECRET, SECRET, signed_get

OPEN_ORDERS = "/contract/v3/private/order/unfilled-orders"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: int) -> None:
        self.now = now

    def __call__(self) -> int:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(1_700_000_000_000)


@pytest.fixture
def limited(clock: Clock) -> Iterator[SandboxExchange]:
    """Three private requests per second and key, on a hand-moved clock."""
    keys = {API_KEY: SECRET, OTHER_KEY: OTHER_SECRET}
    with SandboxExchange(api_keys=keys, rate_limit=3, clock=clock) as ex:
        yield ex
        assert ex.internal_errors() == []


def call(ex: SandboxExchange, clock: Clock, **auth: str) -> requests.Response:
    return signed_get(ex.url, OPEN_ORDERS, "symbol=BTCUSDT", timestamp=clock.now, **auth)


def test_headers_count_down_then_10006(limited: SandboxExchange, clock: Clock) -> None:
    reset = str(clock.now + 1000)
    for remaining in ("2", "1", "0"):
        answer = call(limited, clock)
        assert answer.json()["retCode"] == 0
        assert answer.headers["X-Bapi-Limit"] == "3"
        assert answer.headers["X-Bapi-Limit-Status"] == remaining
        assert answer.headers["X-Bapi-Limit-Reset-Timestamp"] == reset
        clock.now += 100
    refused = call(limited, clock)
    assert refused.status_code == 200
    assert (refused.json()["retCode"], refused.json()["retMsg"]) == (10006, "Too many visits!")
    assert refused.headers["X-Bapi-Limit"] == "3"
    assert refused.headers["X-Bapi-Limit-Status"] == "0"
    assert refused.headers["X-Bapi-Limit-Reset-Timestamp"] == reset


def test_the_window_resets(limited: SandboxExchange, clock: Clock) -> None:
    start = clock.now
    for _ in range(4):
        call(limited, clock)
    clock.now = start + 999
    assert call(limited, clock).json()["retCode"] == 10006
    clock.now = start + 1000
    answer = call(limited, clock)
    assert answer.json()["retCode"] == 0
    assert answer.headers["X-Bapi-Limit-Status"] == "2"
    assert answer.headers["X-Bapi-Limit-Reset-Timestamp"] == str(start + 2000)


def test_each_key_has_its_own_limit(limited: SandboxExchange, clock: Clock) -> None:
    for _ in range(4):
        call(limited, clock)
    answer = call(limited, clock, api_key=OTHER_KEY, secret=OTHER_SECRET)
    assert answer.json()["retCode"] == 0
    assert answer.headers["X-Bapi-Limit-Status"] == "2"


def test_public_routes_are_not_limited(limited: SandboxExchange, clock: Clock) -> None:
    for _ in range(5):
        answer = requests.get(f"{limited.url}/v3/public/time", timeout=10)
        assert answer.json()["retCode"] == 0
        assert "X-Bapi-Limit" not in answer.headers


def test_the_sdk_reads_the_headers_and_raises_rate_limit_exception(
    limited: SandboxExchange, clock: Clock
) -> None:
    limited_api = BybitAPI(limited.url, API_KEY, SECRET, recv_window=60_000, retry=NO_RETRY)
    # The sandbox's clock stands still: sign 30 s behind it, well inside the 60 s receive window.
    limited_api.context.clock_offset_ms = clock.now - now_ms() - 30_000
    request = GetOpenOrdersRequest().set_symbol("BTCUSDT")
    with limited_api as api:
        first = api.rest(GetOpenOrders, request).get_rate_limit()
        assert first is not None
        assert (first.limit, first.remaining) == (3, 2)
        assert first.reset_at == datetime.fromtimestamp((clock.now + 1000) / 1000, timezone.utc)
        api.rest(GetOpenOrders, request)
        api.rest(GetOpenOrders, request)
        with pytest.raises(RateLimitException) as caught:
            api.rest(GetOpenOrders, request)
    assert caught.value.ret_code == 10006
    assert caught.value.retryable is True
    assert caught.value.rate_limit is not None
    assert caught.value.rate_limit.remaining == 0


def test_default_limit_is_ten_per_second() -> None:
    with SandboxExchange(api_keys={API_KEY: SECRET}, clock=lambda: 1_700_000_000_000) as ex:
        answer = signed_get(ex.url, OPEN_ORDERS, "symbol=BTCUSDT", timestamp=1_700_000_000_000)
        assert answer.headers["X-Bapi-Limit"] == "10"
        assert answer.headers["X-Bapi-Limit-Status"] == "9"


@pytest.mark.parametrize("bad", [0, -1])
def test_rate_limit_must_be_positive(bad: int) -> None:
    with pytest.raises(ValueError, match="rate_limit must be a positive int"):
        SandboxExchange(rate_limit=bad)
