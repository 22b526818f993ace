"""V5 rules that depend on the category, and V3/V5 requests that share a class name."""

from __future__ import annotations

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrderRequest as V3CancelRequest
from carpenstar_bybit.v5.trade.cancel_all_orders import CancelAllOrders, CancelAllOrdersRequest
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer


@pytest.mark.parametrize(
    ("endpoint", "request_", "message"),
    [
        (
            GetOpenOrders,
            GetOpenOrdersRequest().set_category("linear"),
            "symbol / baseCoin / settleCoin is required when category is 'linear'",
        ),
        (
            CancelAllOrders,
            CancelAllOrdersRequest().set_category("inverse"),
            "symbol / baseCoin / settleCoin is required when category is 'inverse'",
        ),
        (
            PlaceOrder,
            PlaceOrderRequest()
            .set_category("option")
            .set_symbol("BTC-29DEC23-40000-C")
            .set_side("Buy")
            .set_order_type("Limit")
            .set_qty("1")
            .set_price("100"),
            "orderLinkId is required when category is 'option'",
        ),
    ],
)
def test_category_rules_are_checked_before_sending(
    server: RecordingServer, endpoint: type, request_: object, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        BybitAPI(server.url, API_KEY, SECRET).rest(endpoint, request_)  # type: ignore[arg-type]
    assert server.requests == []


def test_other_categories_do_not_need_the_conditional_group(server: RecordingServer) -> None:
    BybitAPI(server.url, API_KEY, SECRET).rest(GetOpenOrders, GetOpenOrdersRequest().set_category("spot"))
    assert server.requests[0].query == "category=spot"


def test_a_v3_request_given_to_the_v5_endpoint_names_both_modules(server: RecordingServer) -> None:
    v3 = V3CancelRequest().set_symbol("BTCUSDT").set_order_id("o")
    with pytest.raises(SDKException) as info:
        BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, v3)  # type: ignore[arg-type]
    assert str(info.value) == (
        "CancelOrder takes a carpenstar_bybit.v5.trade.cancel_order.request.CancelOrderRequest, "
        "got carpenstar_bybit.derivatives.contract.order.cancel_order.request.CancelOrderRequest"
    )
    assert server.requests == []
