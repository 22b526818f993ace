"""The money cases of the hostile-input review, against the sandbox: nothing is done twice.

* A place whose ``orderLinkId`` is an empty string is not idempotent (the exchange ignores an empty
  id): after a 5xx or a dropped connection *after the exchange acted*, it is not resent, so there is
  one order, not two (V3 and V5).
* Cancel-all is never resent once it may have acted: a resend would also cancel an order placed in
  between.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carpenstar_bybit import BybitAPI, RetryPolicy, TransportException
from carpenstar_bybit.derivatives.contract.order.cancel_all_order import CancelAllOrder, CancelAllOrderRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.cancel_all_orders import CancelAllOrders, CancelAllOrdersRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder as PlaceOrderV5
from carpenstar_bybit.v5.trade.place_order import PlaceOrderRequest as PlaceOrderRequestV5

KEY, SECRET = "money-safety-key-01", "money-safety-secret-0123456789abcdef"
RETRY = RetryPolicy(max_attempts=5, backoff=0.01, max_backoff=0.02)


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1_000_000) as ex:
        yield ex


@pytest.fixture
def api(exchange: SandboxExchange) -> Iterator[BybitAPI]:
    with BybitAPI(exchange.url, KEY, SECRET, retry=RETRY, timeout=(2.0, 2.0)) as client:
        yield client


def v3_place() -> PlaceOrderRequest:
    request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
    return request.set_qty("0.01").set_price("25000").set_order_link_id("")


def v5_place() -> PlaceOrderRequestV5:
    request = PlaceOrderRequestV5().set_category("linear").set_symbol("BTCUSDT").set_side("Buy")
    request = request.set_order_type("Limit").set_qty("0.01").set_price("25000")
    return request.set_order_link_id("")


def test_an_empty_order_link_id_is_no_value() -> None:
    request = v5_place()
    assert request.get_order_link_id() is None
    assert not request.is_set("orderLinkId")
    assert b"orderLinkId" not in request.to_json_body()
    assert not PlaceOrderV5.is_idempotent(request)
    assert PlaceOrderV5.is_idempotent(request.set_order_link_id("L-1"))
    assert not PlaceOrderV5.is_idempotent(request.set_order_link_id(""))  # unset again


@pytest.mark.parametrize("fault", [{"kind": "http_5xx"}, {"kind": "drop"}])
@pytest.mark.parametrize("version", ["v3", "v5"])
def test_a_place_with_an_empty_link_id_is_not_resent_after_the_exchange_acted(
    exchange: SandboxExchange, api: BybitAPI, version: str, fault: dict[str, str]
) -> None:
    exchange.faults.inject(fault["kind"], count=1, after=True)  # type: ignore[arg-type]
    place = (lambda: api.rest(PlaceOrder, v3_place())) if version == "v3" else (lambda: api.rest(PlaceOrderV5, v5_place()))
    with pytest.raises(TransportException):
        place()
    assert len(exchange.orders()) == 1  # the exchange acted once; nothing was sent again
    places = [r for r in exchange.requests() if r.method == "POST"]
    assert len(places) == 1


@pytest.mark.parametrize("version", ["v3", "v5"])
def test_cancel_all_is_not_resent_after_a_5xx_that_may_have_acted(
    exchange: SandboxExchange, api: BybitAPI, version: str
) -> None:
    exchange.faults.inject("http_5xx", count=1, after=True)
    v3 = CancelAllOrderRequest().set_symbol("BTCUSDT")
    v5 = CancelAllOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
    cancel_all = (lambda: api.rest(CancelAllOrder, v3)) if version == "v3" else (lambda: api.rest(CancelAllOrders, v5))
    with pytest.raises(TransportException, match="HTTP 503"):
        cancel_all()
    cancels = [r for r in exchange.requests() if "cancel" in r.path]
    assert len(cancels) == 1
    assert not CancelAllOrder.IDEMPOTENT
    assert not CancelAllOrders.IDEMPOTENT
