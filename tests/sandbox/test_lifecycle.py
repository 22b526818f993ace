"""The SDK drives the sandbox over real HTTP through the whole order lifecycle (V3 contract routes)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import (
    ApiException,
    BybitAPI,
    InvalidParameterException,
    OrderNotFoundException,
    SDKException,
)
from carpenstar_bybit.derivatives.contract.order.cancel_all_order import CancelAllOrder, CancelAllOrderRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.derivatives.contract.order.get_order_list import GetOrderList, GetOrderListRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.derivatives.contract.order.replace_order import ReplaceOrder, ReplaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import API_KEY, OTHER_KEY, OTHER_SECRET, signed_post


def limit_buy(price: str = "25000", qty: str = "0.01", link: str | None = None) -> PlaceOrderRequest:
    request = (
        PlaceOrderRequest()
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty(qty)
        .set_price(price)
    )
    return request.set_order_link_id(link) if link else request


def place(api: BybitAPI, request: PlaceOrderRequest) -> str:
    result = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def test_full_lifecycle_through_the_sdk(exchange: SandboxExchange, api: BybitAPI) -> None:
    before = datetime.now(timezone.utc).replace(microsecond=0)
    placed = api.rest(PlaceOrder, limit_buy(link="life-1"))
    result = placed.get_result()
    assert result is not None
    order_id = result.get_order_id()
    assert result.get_order_link_id() == "life-1"
    assert placed.get_return_code() == 0
    assert placed.get_return_message() == "OK"

    opened = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT"))
    assert len(opened.get_body()) == 1
    order = opened.get_body()[0]
    assert order.get_order_id() == order_id
    assert order.get_order_status() == "New"
    assert order.get_price() == Decimal("25000")
    assert order.get_qty() == Decimal("0.01")
    assert order.get_leaves_qty() == Decimal("0.01")
    assert order.get_leaves_value() == Decimal("250")
    assert order.get_time_in_force() == "GoodTillCancel"
    assert order.get_last_price_on_created() == "30000"
    assert order.get_created_time() >= before
    assert opened.get_next_page_cursor() is None

    replaced = api.rest(
        ReplaceOrder, ReplaceOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id).set_price(26000)
    )
    assert replaced.get_result() is not None
    assert replaced.get_result().get_order_id() == order_id
    snapshot = exchange.order(order_id)
    assert snapshot is not None
    assert snapshot.price == Decimal("26000")
    assert snapshot.status == "New"

    cancel = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
    cancelled = api.rest(CancelOrder, cancel).get_result()
    assert cancelled is not None
    assert (cancelled.get_order_id(), cancelled.get_order_link_id()) == (order_id, "life-1")

    assert len(api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT")).get_body()) == 0
    history = api.rest(GetOrderList, GetOrderListRequest().set_symbol("BTCUSDT")).get_body()
    assert [(o.get_order_id(), o.get_order_status(), o.get_cancel_type()) for o in history] == [
        (order_id, "Cancelled", "CancelByUser")
    ]
    assert history[0].get_price() == Decimal("26000")
    assert history[0].get_leaves_qty() == Decimal("0")

    with pytest.raises(OrderNotFoundException) as caught:
        api.rest(CancelOrder, cancel)
    assert caught.value.ret_code == 140001
    assert caught.value.ret_msg == "Order does not exist"
    assert caught.value.http_status == 200
    assert caught.value.path == "/contract/v3/private/order/cancel"
    assert [r.ret_code for r in exchange.requests()] == [0, 0, 0, 0, 0, 0, 140001]


def test_cancel_by_order_link_id(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = place(api, limit_buy(link="by-link"))
    result = api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_link_id("by-link"))
    assert result.get_result() is not None
    assert result.get_result().get_order_id() == order_id
    assert exchange.orders()[0].status == "Cancelled"


def test_cancel_unknown_filled_or_wrong_symbol_order_is_not_found(
    exchange: SandboxExchange, api: BybitAPI
) -> None:
    order_id = place(api, limit_buy())
    for request in (
        CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("no-such-order"),
        CancelOrderRequest().set_symbol("ETHUSDT").set_order_id(order_id),
        CancelOrderRequest().set_symbol("BTCUSDT").set_order_link_id("never-used"),
    ):
        with pytest.raises(OrderNotFoundException) as caught:
            api.rest(CancelOrder, request)
        assert caught.value.ret_code == 140001
    exchange.fill_order(order_id)
    with pytest.raises(OrderNotFoundException):
        api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id))
    assert exchange.order(order_id).status == "Filled"  # type: ignore[union-attr]


def test_orders_of_one_key_are_invisible_to_another(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = place(api, limit_buy())
    with BybitAPI(exchange.url, OTHER_KEY, OTHER_SECRET) as other:
        assert len(other.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT")).get_body()) == 0
        with pytest.raises(OrderNotFoundException):
            other.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id))
    assert [o.account for o in exchange.orders()] == [API_KEY]


def test_market_order_fills_at_the_mark_price(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = place(
        api, PlaceOrderRequest().set_symbol("ETHUSDT").set_side("Sell").set_order_type("Market").set_qty("2")
    )
    order = exchange.order(order_id)
    assert order is not None
    assert (order.status, order.cum_exec_qty, order.avg_price) == ("Filled", Decimal("2"), Decimal("2000"))
    assert order.cum_exec_fee == Decimal("2.4000")  # 4000 * 0.0006 taker
    history = api.rest(GetOrderList, GetOrderListRequest().set_order_id(order_id)).get_body()
    assert history[0].get_order_status() == "Filled"
    assert history[0].get_time_in_force() == "ImmediateOrCancel"
    assert history[0].get_cum_exec_value() == Decimal("4000")


def test_marketable_limit_fills_as_taker_and_post_only_is_cancelled(
    exchange: SandboxExchange, api: BybitAPI
) -> None:
    filled = place(api, limit_buy(price="31000"))
    post_only = place(api, limit_buy(price="31000").set_time_in_force("PostOnly"))
    ioc = place(api, limit_buy(price="20000").set_time_in_force("ImmediateOrCancel"))
    assert exchange.order(filled).status == "Filled"  # type: ignore[union-attr]
    assert exchange.order(filled).avg_price == Decimal("30000")  # type: ignore[union-attr]
    assert (exchange.order(post_only).status, exchange.order(post_only).reject_reason) == (  # type: ignore[union-attr]
        "Cancelled",
        "EC_PostOnlyWillTakeLiquidity",
    )
    assert exchange.order(ioc).status == "Cancelled"  # type: ignore[union-attr]


def test_mark_price_move_fills_resting_orders_as_maker(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = place(api, limit_buy(price="29000", qty="0.5"))
    exchange.set_mark_price("BTCUSDT", "29500")
    assert exchange.order(order_id).status == "New"  # type: ignore[union-attr]
    exchange.set_mark_price("BTCUSDT", 28900)
    order = exchange.order(order_id)
    assert order is not None
    assert (order.status, order.avg_price, order.cum_exec_fee) == (
        "Filled",
        Decimal("29000"),
        Decimal("1.45"),
    )
    execution = exchange.executions()[-1]
    assert (execution.is_maker, execution.exec_price, execution.fee_rate) == (
        True,
        Decimal("29000"),
        Decimal("0.0001"),
    )


def test_partial_fill_then_cancel(exchange: SandboxExchange, api: BybitAPI) -> None:
    order_id = place(api, limit_buy(qty="1"))
    exchange.fill_order(order_id, qty="0.4")
    opened = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT")).get_body()
    assert [(o.get_order_status(), o.get_cum_exec_qty(), o.get_leaves_qty()) for o in opened] == [
        ("PartiallyFilled", Decimal("0.4"), Decimal("0.6"))
    ]
    api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id))
    order = exchange.order(order_id)
    assert order is not None
    assert (order.status, order.cum_exec_qty, order.leaves_qty) == ("Cancelled", Decimal("0.4"), Decimal("0"))


def test_open_orders_page_by_cursor(api: BybitAPI) -> None:
    ids = [place(api, limit_buy(price=str(20000 + i))) for i in range(5)]
    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        request = GetOpenOrdersRequest().set_symbol("BTCUSDT").set_limit(2)
        if cursor:
            request.set_cursor(cursor)
        response = api.rest(GetOpenOrders, request)
        seen += [o.get_order_id() for o in response.get_body()]
        pages += 1
        cursor = response.get_next_page_cursor()
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(ids))  # newest first, each once


def test_order_list_filters_by_status(api: BybitAPI) -> None:
    keep = place(api, limit_buy(price="20000"))
    gone = place(api, limit_buy(price="20001"))
    api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(gone))
    cancelled = api.rest(
        GetOrderList, GetOrderListRequest().set_symbol("BTCUSDT").set_order_status("Cancelled")
    )
    assert [o.get_order_id() for o in cancelled.get_body()] == [gone]
    new = api.rest(GetOrderList, GetOrderListRequest().set_symbol("BTCUSDT").set_order_status("New"))
    assert [o.get_order_id() for o in new.get_body()] == [keep]


def test_cancel_all_by_symbol_and_its_one_of_rule(exchange: SandboxExchange, api: BybitAPI) -> None:
    btc = [place(api, limit_buy(price=str(20000 + i))) for i in range(2)]
    eth = place(
        api,
        PlaceOrderRequest()
        .set_symbol("ETHUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty(1)
        .set_price(1000),
    )
    response = api.rest(CancelAllOrder, CancelAllOrderRequest().set_symbol("BTCUSDT"))
    assert sorted(r.get_order_id() for r in response.get_body()) == sorted(btc)
    assert response.get_extended_info() == {"list": [{"code": 0, "msg": "OK"}, {"code": 0, "msg": "OK"}]}
    assert exchange.order(eth).status == "New"  # type: ignore[union-attr]
    settled = api.rest(CancelAllOrder, CancelAllOrderRequest().set_settle_coin("USDT"))
    assert [r.get_order_id() for r in settled.get_body()] == [eth]

    with pytest.raises(SDKException):  # the SDK checks the rule before sending...
        api.rest(CancelAllOrder, CancelAllOrderRequest())
    answer = signed_post(
        exchange.url, "/contract/v3/private/order/cancel-all", {}
    )  # ...and so does the exchange
    assert answer.json()["retCode"] == 10001
    assert answer.json()["retMsg"] == "params error: one of symbol, baseCoin, settleCoin is required"


def test_duplicate_order_link_id_is_refused(api: BybitAPI) -> None:
    place(api, limit_buy(link="twice"))
    with pytest.raises(ApiException) as caught:
        place(api, limit_buy(link="twice"))
    assert type(caught.value) is ApiException
    assert (caught.value.ret_code, caught.value.ret_msg) == (140072, "OrderLinkedID is duplicate")


def test_parameter_errors_are_10001(api: BybitAPI) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(
            PlaceOrder,
            PlaceOrderRequest().set_symbol("NOPE").set_side("Buy").set_order_type("Market").set_qty(1),
        )
    assert (caught.value.ret_code, caught.value.ret_msg) == (10001, "params error: symbol invalid")
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(
            PlaceOrder,
            PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit").set_qty(1),
        )
    assert caught.value.ret_msg == "params error: price is required for a Limit order"
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(PlaceOrder, limit_buy(qty="0"))
    assert caught.value.ret_msg == "params error: qty invalid (must be greater than 0)"


def test_reset_forgets_everything(exchange: SandboxExchange, api: BybitAPI) -> None:
    place(api, limit_buy())
    exchange.set_mark_price("BTCUSDT", 31000)
    exchange.reset()
    assert exchange.orders() == []
    assert exchange.requests() == []
    assert exchange.mark_price("BTCUSDT") == Decimal("30000")


def test_conditional_orders_wait_trigger_and_deactivate(exchange: SandboxExchange, api: BybitAPI) -> None:
    stop = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Market").set_qty("0.01")
    triggered_id = place(api, stop.set_trigger_price(31000))
    idle_id = place(api, limit_buy(price="27000").set_trigger_price(28000))
    stops = api.rest(
        GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT").set_order_filter("StopOrder")
    )
    assert [
        (o.get_order_id(), o.get_order_status(), o.get_stop_order_type(), o.get_trigger_direction())
        for o in stops.get_body()
    ] == [
        (idle_id, "Untriggered", "Stop", 2),
        (triggered_id, "Untriggered", "Stop", 1),
    ]
    plain = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT").set_order_filter("Order"))
    assert len(plain.get_body()) == 0

    exchange.set_mark_price("BTCUSDT", 31000)  # rises through the first trigger: a market buy
    triggered = exchange.order(triggered_id)
    assert triggered is not None
    assert (triggered.status, triggered.avg_price) == ("Filled", Decimal("31000"))
    api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(idle_id))
    assert exchange.order(idle_id).status == "Deactivated"  # type: ignore[union-attr]
