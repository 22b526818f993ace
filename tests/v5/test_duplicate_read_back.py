"""A resend of a place that carried an ``orderLinkId``, after an outcome the client could not know,
refused by the exchange as a duplicate (110072): the first attempt took effect, so the SDK reads that
order back and returns it instead of raising. Against the sandbox, with both clients."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carpenstar_bybit import DuplicateOrderException, EnumOutputMode, RetryPolicy
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest, PlaceOrderResponse
from tests.support.clients import KINDS, client

KEY, SECRET = "read-back-key-0001", "read-back-secret-0123456789abcdef"
RETRY = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.02)


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1_000_000) as ex:
        yield ex
        assert ex.internal_errors() == []


def place(link_id: str, order_type: str = "Limit") -> PlaceOrderRequest:
    request = PlaceOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_side("Buy")
    request = request.set_order_type(order_type).set_qty("0.01").set_order_link_id(link_id)
    return request.set_price("25000") if order_type == "Limit" else request


@pytest.mark.parametrize("kind", KINDS)
def test_a_resting_order_is_read_back_from_open_orders(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("drop", after=True, route="/v5/order/create")
    with client(kind, exchange.url, KEY, SECRET, retry=RETRY) as api:
        result = api.rest(PlaceOrder, place("read-back-1")).get_result()
    (order,) = exchange.orders()
    assert isinstance(result, PlaceOrderResponse)
    assert (result.get_order_id(), result.get_order_link_id()) == (order.order_id, "read-back-1")
    trail = [(r.path, r.ret_code) for r in exchange.requests()]
    assert trail == [("/v5/order/create", None), ("/v5/order/create", 110072), ("/v5/order/realtime", 0)]


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_order_is_read_back_from_the_history(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("http_5xx", after=True, route="/v5/order/create")
    with client(kind, exchange.url, KEY, SECRET, retry=RETRY) as api:
        result = api.rest(PlaceOrder, place("read-back-2", "Market")).get_result()
    (order,) = exchange.orders()
    assert order.status == "Filled"
    assert result is not None
    assert (result.get_order_id(), result.get_order_link_id()) == (order.order_id, "read-back-2")
    paths = [r.path for r in exchange.requests()]
    assert paths[-2:] == ["/v5/order/realtime", "/v5/order/history"]


@pytest.mark.parametrize("kind", KINDS)
def test_the_read_back_answers_in_the_calls_output_mode(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("drop", after=True, route="/v5/order/create")
    with client(kind, exchange.url, KEY, SECRET, retry=RETRY) as api:
        response = api.rest(PlaceOrder, place("read-back-3"), EnumOutputMode.MODE_ARRAY)
    (order,) = exchange.orders()
    assert response.get_body().all() == [{"orderId": order.order_id, "orderLinkId": "read-back-3"}]


@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicate_on_the_first_attempt_is_raised(exchange: SandboxExchange, kind: str) -> None:
    with client(kind, exchange.url, KEY, SECRET, retry=RETRY) as api:
        api.rest(PlaceOrder, place("used-before"))
        with pytest.raises(DuplicateOrderException) as info:
            api.rest(PlaceOrder, place("used-before"))  # not a resend of ours: the user's own reuse
    assert info.value.ret_code == 110072
    assert [r.path for r in exchange.requests()] == ["/v5/order/create", "/v5/order/create"]
