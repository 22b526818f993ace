"""The V5 order lifecycle against the local sandbox exchange, over real HTTP on loopback and over the
sandbox's in-memory transport (no socket, the sandbox never started), with identical results:
create -> realtime shows it -> amend -> cancel -> history shows Cancelled -> cancel again is 110001."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, OrderNotFoundException
from carpenstar_bybit.core.enums import Category, EnumOrderType, EnumSide, EnumTimeInForce
from carpenstar_bybit.v5.market.server_time import ServerTime
from carpenstar_bybit.v5.trade.amend_order import AmendOrder, AmendOrderRequest
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import (
    GetOpenOrders,
    GetOpenOrdersRequest,
    GetOpenOrdersResponse,
)
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistory, GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.conftest import API_KEY, SECRET

sandbox = pytest.importorskip("carpenstar_bybit.sandbox")
if not hasattr(sandbox, "SandboxExchange"):  # the package exists before its entry point does
    pytest.skip("carpenstar_bybit.sandbox.SandboxExchange is not there yet", allow_module_level=True)

SYMBOL = "BTCUSDT"  # the sandbox marks it at 30000: a buy at 25000 rests on the book
LINK_ID = "v5-lifecycle-0001"


@contextmanager
def client_on(ex: sandbox.SandboxExchange, way: str) -> Iterator[BybitAPI]:
    """A client of ``ex`` over a socket (the sandbox started) or in memory (never started)."""
    if way == "socket":
        with ex, BybitAPI(ex.url, API_KEY, SECRET) as api:
            yield api
    else:
        with BybitAPI(ex.url_or_placeholder, API_KEY, SECRET, transport=ex.transport()) as api:
            yield api
            assert not ex.running
            assert ex.open_connections() == 0


@pytest.mark.parametrize("way", ["socket", "memory"])
def test_v5_order_lifecycle(way: str) -> None:
    ex = sandbox.SandboxExchange(api_keys={API_KEY: SECRET})
    with client_on(ex, way) as api:
        clock = api.public_endpoint(ServerTime).execute().get_result()
        assert clock is not None
        seconds = clock.get_time_second()
        assert seconds is not None
        assert seconds > 1_600_000_000

        created = api.rest(
            PlaceOrder,
            PlaceOrderRequest()
            .set_category(Category.LINEAR)
            .set_symbol(SYMBOL)
            .set_side(EnumSide.BUY)
            .set_order_type(EnumOrderType.LIMIT)
            .set_qty("0.01")
            .set_price("25000")
            .set_time_in_force(EnumTimeInForce.GOOD_TILL_CANCELED_SHORT)
            .set_order_link_id(LINK_ID),
        ).get_result()
        assert created is not None
        order_id = created.get_order_id()
        assert order_id != ""
        assert created.get_order_link_id() == LINK_ID

        def open_order() -> GetOpenOrdersResponse:
            listed = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol(SYMBOL))
            (mine,) = [o for o in listed.get_body() if o.get_order_id() == order_id]
            return mine

        resting = open_order()
        assert resting.get_order_link_id() == LINK_ID
        assert resting.get_symbol() == SYMBOL
        assert resting.get_side() == "Buy"
        assert resting.get_order_type() == "Limit"
        assert resting.get_order_status() == "New"
        assert resting.get_price() == Decimal("25000")
        assert resting.get_qty() == Decimal("0.01")
        assert resting.get_leaves_qty() == Decimal("0.01")
        assert resting.get_cum_exec_qty() == Decimal("0")

        amended = api.rest(
            AmendOrder,
            AmendOrderRequest()
            .set_category("linear")
            .set_symbol(SYMBOL)
            .set_order_link_id(LINK_ID)
            .set_price("25500")
            .set_qty("0.02"),
        ).get_result()
        assert amended is not None
        assert (amended.get_order_id(), amended.get_order_link_id()) == (order_id, LINK_ID)

        after_amend = open_order()
        assert after_amend.get_price() == Decimal("25500")
        assert after_amend.get_qty() == Decimal("0.02")
        assert after_amend.get_order_status() == "New"

        cancel = CancelOrderRequest().set_category("linear").set_symbol(SYMBOL).set_order_id(order_id)
        cancelled = api.rest(CancelOrder, cancel).get_result()
        assert cancelled is not None
        assert (cancelled.get_order_id(), cancelled.get_order_link_id()) == (order_id, LINK_ID)

        still_open = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol(SYMBOL))
        assert [o for o in still_open.get_body() if o.get_order_id() == order_id] == []

        history = api.rest(
            GetOrderHistory, GetOrderHistoryRequest().set_category("linear").set_order_id(order_id)
        )
        (closed,) = history.get_body()
        assert closed.get_order_id() == order_id
        assert closed.get_order_link_id() == LINK_ID
        assert closed.get_order_status() == "Cancelled"
        assert closed.get_price() == Decimal("25500")
        assert closed.get_qty() == Decimal("0.02")
        assert closed.get_cum_exec_qty() == Decimal("0")

        with pytest.raises(OrderNotFoundException) as info:
            api.rest(CancelOrder, cancel)
        assert info.value.ret_code == 110001
        assert info.value.path == "/v5/order/cancel"

    (order,) = ex.orders()
    assert (order.order_id, order.order_link_id, order.status) == (order_id, LINK_ID, "Cancelled")
    assert (order.price, order.qty) == (Decimal("25500"), Decimal("0.02"))
    assert [(r.method, r.path, r.ret_code) for r in ex.requests()][-1] == ("POST", "/v5/order/cancel", 110001)
    assert ex.internal_errors() == []
