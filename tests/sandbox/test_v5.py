"""The V5 order routes, through the SDK's ``carpenstar_bybit.v5``, over the same orders as V3."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, InvalidParameterException, OrderNotFoundException
from carpenstar_bybit.derivatives.contract.order import cancel_order as v3_cancel
from carpenstar_bybit.derivatives.contract.order import get_open_orders as v3_open
from carpenstar_bybit.derivatives.contract.order import place_order as v3_place
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.market.server_time import ServerTime
from carpenstar_bybit.v5.trade.amend_order import AmendOrder, AmendOrderRequest
from carpenstar_bybit.v5.trade.cancel_all_orders import CancelAllOrders, CancelAllOrdersRequest
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistory, GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.sandbox.raw import signed_get, signed_post


def v5_limit(
    category: str = "linear", symbol: str = "BTCUSDT", price: str = "25000", link: str = ""
) -> PlaceOrderRequest:
    request = (
        PlaceOrderRequest()
        .set_category(category)
        .set_symbol(symbol)
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.01" if category != "inverse" else "100")
        .set_price(price)
    )
    return request.set_order_link_id(link) if link else request


def v5_place(api: BybitAPI, request: PlaceOrderRequest) -> str:
    result = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def test_v5_lifecycle_with_v5_codes(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = v5_place(api, v5_limit(link="v5-life"))
    realtime = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
    assert len(realtime.get_body()) == 1
    order = realtime.get_body()[0]
    assert (order.get_order_id(), order.get_order_link_id(), order.get_order_status()) == (
        order_id,
        "v5-life",
        "New",
    )
    assert (order.get_time_in_force(), order.get_create_type()) == ("GTC", "CreateByUser")
    assert (order.get_avg_price(), order.get_leaves_qty(), order.get_cum_exec_qty()) == (
        Decimal("0"),
        Decimal("0.01"),
        Decimal("0"),
    )
    assert order.get_created_time() is not None
    assert abs((datetime.now(timezone.utc) - order.get_created_time()).total_seconds()) < 60

    amended = api.rest(
        AmendOrder,
        AmendOrderRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_order_id(order_id)
        .set_qty("0.02"),
    )
    assert amended.get_result() is not None
    assert amended.get_result().get_order_id() == order_id
    assert exchange.order(order_id).qty == Decimal("0.02")  # type: ignore[union-attr]

    cancel = CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_link_id("v5-life")
    assert api.rest(CancelOrder, cancel).get_result().get_order_id() == order_id  # type: ignore[union-attr]
    with pytest.raises(OrderNotFoundException) as caught:
        api.rest(CancelOrder, cancel)
    assert caught.value.ret_code == 110001

    history = api.rest(GetOrderHistory, GetOrderHistoryRequest().set_category("linear")).get_body()
    assert [(o.get_order_id(), o.get_order_status(), o.get_cancel_type()) for o in history] == [
        (order_id, "Cancelled", "CancelByUser")
    ]


def test_v3_and_v5_share_orders(exchange: SandboxExchange, api: BybitAPI) -> None:
    v3_id = (
        api.rest(
            v3_place.PlaceOrder,
            v3_place.PlaceOrderRequest()
            .set_symbol("BTCUSDT")
            .set_side("Buy")
            .set_order_type("Limit")
            .set_qty(1)
            .set_price(20000),
        )
        .get_result()
        .get_order_id()
    )  # type: ignore[union-attr]
    v5_id = v5_place(api, v5_limit())
    seen_by_v3 = api.rest(
        v3_open.GetOpenOrders, v3_open.GetOpenOrdersRequest().set_symbol("BTCUSDT")
    ).get_body()
    assert [o.get_order_id() for o in seen_by_v3] == [v5_id, v3_id]
    seen_by_v5 = api.rest(
        GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_settle_coin("USDT")
    )
    assert [o.get_order_id() for o in seen_by_v5.get_body()] == [v5_id, v3_id]

    # Cancel the V3 order through V5 and the V5 order through V3.
    api.rest(
        CancelOrder, CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(v3_id)
    )
    api.rest(v3_cancel.CancelOrder, v3_cancel.CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(v5_id))
    assert [o.status for o in exchange.orders()] == ["Cancelled", "Cancelled"]
    # ...and each API answers a second cancel with its own not-found code.
    with pytest.raises(OrderNotFoundException) as v3_caught:
        api.rest(
            v3_cancel.CancelOrder, v3_cancel.CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(v3_id)
        )
    with pytest.raises(OrderNotFoundException) as v5_caught:
        api.rest(
            CancelOrder, CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(v5_id)
        )
    assert (v3_caught.value.ret_code, v5_caught.value.ret_code) == (140001, 110001)


def test_categories_are_separate(exchange: SandboxExchange, api: BybitAPI) -> None:
    spot_id = v5_place(api, v5_limit(category="spot"))
    inverse_id = v5_place(api, v5_limit(category="inverse", symbol="BTCUSD"))
    linear = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_settle_coin("USDT"))
    assert len(linear.get_body()) == 0
    spot = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("spot"))
    assert [o.get_order_id() for o in spot.get_body()] == [spot_id]
    # The V3 contract API does not see spot orders.
    with pytest.raises(OrderNotFoundException):
        api.rest(
            v3_cancel.CancelOrder, v3_cancel.CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(spot_id)
        )
    v3_inverse = api.rest(
        v3_open.GetOpenOrders, v3_open.GetOpenOrdersRequest().set_symbol("BTCUSD")
    ).get_body()
    assert [o.get_order_id() for o in v3_inverse] == [inverse_id]
    with pytest.raises(InvalidParameterException) as caught:
        v5_place(api, v5_limit(category="inverse", symbol="BTCUSDT"))
    assert caught.value.ret_msg == "params error: symbol invalid"


def test_spot_fills_move_balances(exchange: SandboxExchange, api: BybitAPI) -> None:
    usdt, btc = exchange.balance("USDT", "SBXtestKEY7fd0c1a2"), exchange.balance("BTC", "SBXtestKEY7fd0c1a2")
    request = (
        PlaceOrderRequest()
        .set_category("spot")
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Market")
    )
    v5_place(api, request.set_qty("3000"))  # a spot market buy's qty is in the quote coin by default
    assert exchange.balance("BTC", "SBXtestKEY7fd0c1a2") == btc + Decimal("0.1")
    assert exchange.balance("USDT", "SBXtestKEY7fd0c1a2") == usdt - Decimal("3000") - Decimal("1.8")
    assert exchange.positions() == []


def test_cancel_all_and_its_rules(exchange: SandboxExchange, api: BybitAPI) -> None:
    ids = [v5_place(api, v5_limit(price=str(20000 + i))) for i in range(3)]
    spot = v5_place(api, v5_limit(category="spot"))
    response = api.rest(
        CancelAllOrders, CancelAllOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
    )
    assert sorted(o.get_order_id() for o in response.get_body()) == sorted(ids)
    assert exchange.order(spot).status == "New"  # type: ignore[union-attr]
    raw = signed_post(exchange.url, "/v5/order/cancel-all", {"category": "linear"}).json()
    assert (raw["retCode"], raw["retMsg"]) == (
        10001,
        "params error: one of symbol, baseCoin, settleCoin is required",
    )
    everything_spot = signed_post(exchange.url, "/v5/order/cancel-all", {"category": "spot"}).json()
    assert everything_spot["result"] == {"list": [{"orderId": spot, "orderLinkId": ""}], "success": "1"}


def test_realtime_open_only_and_history_filters(exchange: SandboxExchange, api: BybitAPI) -> None:
    keep = v5_place(api, v5_limit(price="20000"))
    gone = v5_place(api, v5_limit(price="20001"))
    api.rest(
        CancelOrder, CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(gone)
    )
    closed = api.rest(
        GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_open_only(1)
    )
    assert [o.get_order_id() for o in closed.get_body()] == [gone]
    new = api.rest(GetOrderHistory, GetOrderHistoryRequest().set_category("linear").set_order_status("New"))
    assert [o.get_order_id() for o in new.get_body()] == [keep]
    raw = signed_get(
        exchange.url, "/v5/order/history", "category=linear&startTime=0&endTime=999999999999"
    ).json()
    assert (raw["retCode"], raw["retMsg"]) == (
        10001,
        "params error: startTime and endTime must be at most 7 days apart, start first",
    )


def test_v5_parameter_rules(exchange: SandboxExchange) -> None:
    no_category = signed_post(exchange.url, "/v5/order/create", {"symbol": "BTCUSDT"}).json()
    assert (no_category["retCode"], no_category["retMsg"]) == (10001, "params error: category is required")
    bad_category = signed_get(exchange.url, "/v5/order/realtime", "category=futures").json()
    assert (
        bad_category["retMsg"]
        == "params error: category invalid (expected one of inverse, linear, option, spot)"
    )
    no_scope = signed_get(exchange.url, "/v5/order/realtime", "category=linear").json()
    assert no_scope["retMsg"] == "params error: one of symbol, baseCoin, settleCoin is required"
    option = {
        "category": "option",
        "symbol": "BTC-29DEC23-30000-C",
        "side": "Buy",
        "orderType": "Limit",
        "qty": "1",
        "price": "5",
    }
    exchange.set_mark_price("BTC-29DEC23-30000-C", 10)
    no_link = signed_post(exchange.url, "/v5/order/create", option).json()
    assert no_link["retMsg"] == "params error: orderLinkId is required for option orders"
    assert (
        signed_post(exchange.url, "/v5/order/create", {**option, "orderLinkId": "opt-1"}).json()["retCode"]
        == 0
    )


def test_v5_server_time(exchange: SandboxExchange, api: BybitAPI) -> None:
    result = api.rest(ServerTime).get_result()
    assert result is not None
    seconds, nanos = result.get_time_second(), result.get_time_nano()
    assert seconds is not None
    assert nanos is not None
    assert nanos // 1_000_000_000 == seconds
    assert abs(seconds - int(datetime.now(timezone.utc).timestamp())) <= 60
