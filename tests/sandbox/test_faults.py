"""Fault injection: each kind, as raw HTTP shows it and as the SDK reports it."""

from __future__ import annotations

import time

import pytest
import requests

from carpenstar_bybit import (
    NO_RETRY,
    ApiException,
    BybitAPI,
    RateLimitException,
    RetryPolicy,
    ServerException,
    TimeoutException,
    TimestampException,
    TransportException,
)
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import FaultKind, SandboxExchange
from tests.sandbox.raw import API_KEY, SECRET, signed_post

TIME = "/v3/public/time"


def open_orders(api: BybitAPI) -> None:
    api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT"))


def get_time(ex: SandboxExchange) -> requests.Response:
    return requests.get(f"{ex.url}{TIME}", timeout=10)


def test_latency_delays_the_answer(exchange: SandboxExchange) -> None:
    exchange.faults.inject("latency", seconds=0.3)
    started = time.monotonic()
    answer = get_time(exchange)
    assert time.monotonic() - started >= 0.25
    assert answer.json()["retCode"] == 0
    get_time(exchange)
    assert exchange.faults.pending() == []
    assert [r.faults for r in exchange.requests()] == [("latency",), ()]


def test_latency_beyond_the_read_timeout_is_a_timeout(exchange: SandboxExchange) -> None:
    exchange.faults.inject("latency", seconds=5)
    with BybitAPI(exchange.url, API_KEY, SECRET, timeout=(2.0, 0.3), retry=NO_RETRY) as api:
        with pytest.raises(TimeoutException):
            open_orders(api)


def test_http_5xx_is_a_gateway_page_and_a_transport_error(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("http_5xx", count=2, status=502)
    answer = get_time(exchange)
    assert answer.status_code == 502
    assert answer.headers["Content-Type"] == "text/html"
    assert "<h1>502 Bad Gateway</h1>" in answer.text
    with pytest.raises(TransportException) as caught:
        open_orders(api)
    assert caught.value.http_status == 502
    assert not isinstance(caught.value, ApiException)
    assert get_time(exchange).status_code == 200  # only the next two requests


def test_http_5xx_defaults_to_503(exchange: SandboxExchange) -> None:
    exchange.faults.inject(FaultKind.HTTP_5XX)
    answer = get_time(exchange)
    assert answer.status_code == 503
    assert "503 Service Unavailable" in answer.text


def test_html_403_is_the_cdn_block_page(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("html_403", count=2)
    answer = get_time(exchange)
    assert answer.status_code == 403
    assert answer.headers["Content-Type"] == "text/html"
    assert "The request could not be satisfied" in answer.text
    with pytest.raises(RateLimitException) as caught:
        open_orders(api)
    assert caught.value.http_status == 403
    assert caught.value.ret_code is None


def test_drop_closes_the_connection_without_an_answer(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("drop", count=2)
    with pytest.raises(requests.ConnectionError):
        get_time(exchange)
    with pytest.raises(TransportException) as caught:
        open_orders(api)
    assert caught.value.http_status is None
    assert get_time(exchange).json()["retCode"] == 0  # and the server still serves
    open_orders(api)
    assert [(r.faults, r.http_status) for r in exchange.requests()] == [
        (("drop",), None),
        (("drop",), None),
        ((), 200),
        ((), 200),
    ]


def test_drop_after_acting_loses_only_the_answer(exchange: SandboxExchange) -> None:
    exchange.faults.inject("drop", after=True, route="/contract/v3/private/order/create")
    body = {
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Limit",
        "qty": "0.01",
        "price": "25000",
        "orderLinkId": "lost-1",
    }
    with pytest.raises(requests.ConnectionError):
        signed_post(exchange.url, "/contract/v3/private/order/create", body)
    assert [(o.order_link_id, o.status) for o in exchange.orders()] == [("lost-1", "New")]
    again = signed_post(exchange.url, "/contract/v3/private/order/create", body).json()
    assert (again["retCode"], again["retMsg"]) == (140072, "OrderLinkedID is duplicate")
    assert len(exchange.orders()) == 1


def test_http_5xx_after_acting(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("http_5xx", after=True)
    request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
    with pytest.raises(TransportException) as caught:
        api.rest(PlaceOrder, request.set_qty("0.01").set_price("25000"))
    assert caught.value.http_status == 503
    assert len(exchange.orders()) == 1


def test_clock_skew_moves_the_server_clock(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("clock_skew", count=None, ms=60_000)
    before = time.time()
    seconds = int(get_time(exchange).json()["result"]["timeSecond"])
    assert before + 59 <= seconds <= time.time() + 61
    with pytest.raises(TimestampException) as caught:
        open_orders(api)  # signed with the local clock: a minute behind the exchange
    assert caught.value.ret_code == 10002
    exchange.faults.clear("clock_skew")
    open_orders(api)


def test_api_error_answers_an_envelope(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("api_error", code=10016, message="Server error.")
    with pytest.raises(ServerException) as caught:
        open_orders(api)
    assert (caught.value.ret_code, caught.value.ret_msg, caught.value.http_status) == (
        10016,
        "Server error.",
        200,
    )


def test_a_fault_can_target_one_route(exchange: SandboxExchange, api: BybitAPI) -> None:
    exchange.faults.inject("http_5xx", route=TIME)
    open_orders(api)  # another route: untouched
    assert get_time(exchange).status_code == 503
    assert get_time(exchange).status_code == 200


def test_until_cleared_and_clear(exchange: SandboxExchange) -> None:
    fault = exchange.faults.inject("http_5xx", count=None)
    for _ in range(3):
        assert get_time(exchange).status_code == 503
    assert exchange.faults.pending() == [fault]
    exchange.faults.clear()
    assert exchange.faults.pending() == []
    assert get_time(exchange).status_code == 200


def test_one_answering_fault_per_request_in_injection_order(exchange: SandboxExchange) -> None:
    exchange.faults.inject("html_403")
    exchange.faults.inject("http_5xx", status=500)
    assert get_time(exchange).status_code == 403
    assert get_time(exchange).status_code == 500
    assert get_time(exchange).status_code == 200


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        ("nonsense", {}, "'nonsense' is not a valid FaultKind"),
        ("latency", {}, "latency needs seconds"),
        ("latency", {"status": 500, "seconds": 1}, "latency does not take status"),
        ("http_5xx", {"status": 404}, "http_5xx status must be in 500..599"),
        ("clock_skew", {}, "clock_skew needs ms"),
        ("drop", {"ms": 5}, "drop does not take ms"),
        ("latency", {"seconds": 1, "after": True}, "latency does not take after"),
    ],
)
def test_bad_injections_are_refused(
    exchange: SandboxExchange, kind: str, options: dict[str, int], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        exchange.faults.inject(kind, **options)  # type: ignore[arg-type]


def test_count_must_be_positive(exchange: SandboxExchange) -> None:
    with pytest.raises(ValueError, match="count must be a positive int"):
        exchange.faults.inject("drop", count=0)


# -- the SDK's retries against the sandbox's faults -----------------------------------------------


def test_the_sdk_retries_a_read_after_a_5xx(exchange: SandboxExchange) -> None:
    exchange.faults.inject("http_5xx", status=503)
    with BybitAPI(exchange.url, API_KEY, SECRET, retry=RetryPolicy(backoff=0.01, jitter=0)) as api:
        open_orders(api)
    assert [r.http_status for r in exchange.requests()] == [503, 200]


def test_the_sdk_resyncs_its_clock_after_10002(exchange: SandboxExchange) -> None:
    exchange.faults.inject("clock_skew", count=None, ms=60_000)
    with BybitAPI(exchange.url, API_KEY, SECRET) as api:
        open_orders(api)
        assert 59_000 <= api.clock_offset_ms <= 61_000
    records = exchange.requests()
    assert (records[0].ret_code, records[-1].ret_code) == (10002, 0)
    assert {r.path for r in records[1:-1]} <= {"/v3/public/time", "/v5/market/time"}
    assert len(records) == 3


def test_the_sdk_does_not_resend_an_order_whose_outcome_is_unknown(exchange: SandboxExchange) -> None:
    exchange.faults.inject("http_5xx", route="/contract/v3/private/order/create")
    request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
    with BybitAPI(exchange.url, API_KEY, SECRET, retry=RetryPolicy(backoff=0.01, jitter=0)) as api:
        with pytest.raises(TransportException):
            api.rest(PlaceOrder, request.set_qty("0.01").set_price("25000"))
    assert len(exchange.requests()) == 1
