"""Contract → Order → Get Open Orders: ``GET /contract/v3/private/order/unfilled-orders``, paged by
cursor."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.derivatives.contract.order.get_open_orders import (
    GetOpenOrders,
    GetOpenOrdersRequest,
    GetOpenOrdersResponse,
    IGetOpenOrdersResponseInterface,
)
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import (
    UTC,
    assert_get,
    assert_signed,
    call,
    decoded_query,
    payload,
)
from tests.support.recording_server import RecordingServer, Reply, envelope

PATH = "/contract/v3/private/order/unfilled-orders"
CURSOR = (
    "ME51NFhyekVsNFlrUitoZVd0TWNGZ3FPZkVpMmswT2Z0aDdQR2g3eTMwWDFOZkNoM2tFVkNZWmYzeHVqaGpZcGgyWHQ2RGRqR3VS"
    "dElUVmdzSmJQZkE9PQ=="
)


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = GetOpenOrdersRequest().set_symbol("BTCUSDT")
    response, _ = call(server, GetOpenOrders, request, payload("Contract.Order.GetOpenOrders"))
    assert response.get_time() == datetime(2023, 8, 2, 18, 42, 8, 355000, tzinfo=UTC)
    assert response.get_next_page_cursor() == CURSOR
    (order,) = response.get_body()
    assert isinstance(order, GetOpenOrdersResponse)
    assert isinstance(order, IGetOpenOrdersResponseInterface)
    assert order.get_symbol() == "BTCUSDT"
    assert order.get_order_id() == "6753a9db-3d47-4b06-8c35-599511c0fb00"
    assert order.get_order_link_id() == ""
    assert order.get_side() == "Buy"
    assert order.get_order_type() == "Limit"
    assert order.get_stop_order_type() == "UNKNOWN"
    assert order.get_price() == Decimal("28000.00")
    assert str(order.get_price()) == "28000.00"
    assert order.get_qty() == Decimal("0.022")
    assert order.get_time_in_force() == "GoodTillCancel"
    assert order.get_order_status() == "New"
    assert order.get_trigger_price() == Decimal("0.00")
    assert order.get_created_time() == datetime(2023, 8, 2, 17, 30, 16, 487000, tzinfo=UTC)
    assert order.get_updated_time() == datetime(2023, 8, 2, 17, 30, 16, 490000, tzinfo=UTC)
    assert order.get_take_profit() == Decimal("0.00")
    assert order.get_stop_loss() == Decimal("0.00")
    assert order.get_tp_trigger_by() == "UNKNOWN"
    assert order.get_sl_trigger_by() == "UNKNOWN"
    assert order.get_trigger_by() == "UNKNOWN"
    assert order.is_reduce_only() is False
    assert order.get_leaves_qty() == Decimal("0.022")
    assert order.get_leaves_value() == Decimal("616")
    assert order.get_cum_exec_qty() == Decimal("0.000")
    assert order.get_cum_exec_value() == Decimal("0")
    assert order.get_cum_exec_fee() == Decimal("0")
    assert order.get_trigger_direction() == 0
    assert order.get_cancel_type() == "UNKNOWN"
    assert order.get_last_price_on_created() == ""  # a string in the PHP interface; "" stays ""
    assert order.is_close_on_trigger() is False
    assert order.get_tpsl_mode() == ""
    assert order.get_tp_limit_price() is None  # "" in a numeric field reads as None
    assert order.get_sl_limit_price() is None
    assert order.get_smp_type() == "None"
    assert order.get_smp_group() == 0
    assert order.get_smp_order_id() == ""


def test_wire_minimal_sends_the_php_default_limit(server: RecordingServer) -> None:
    _, sent = call(server, GetOpenOrders, GetOpenOrdersRequest().set_settle_coin("USDT"))
    assert_get(sent, PATH, "settleCoin=USDT&limit=20")
    assert_signed(sent)


def test_wire_sends_every_field_in_declaration_order_whatever_the_order_of_the_setters(
    server: RecordingServer,
) -> None:
    request = (
        GetOpenOrdersRequest()
        .set_cursor("abc")
        .set_limit(50)
        .set_order_filter("StopOrder")
        .set_order_link_id("link-1")
        .set_order_id("oid-1")
        .set_settle_coin("USDT")
        .set_base_coin("BTC")
        .set_symbol("BTCUSDT")
    )
    _, sent = call(server, GetOpenOrders, request)
    assert_get(
        sent,
        PATH,
        "symbol=BTCUSDT&baseCoin=BTC&settleCoin=USDT&orderId=oid-1&orderLinkId=link-1"
        "&orderFilter=StopOrder&limit=50&cursor=abc",
    )
    assert_signed(sent)


def test_php_defect_not_ported_one_of_symbol_base_coin_settle_coin_is_required(
    server: RecordingServer,
) -> None:
    with pytest.raises(SDKException, match="one of symbol / baseCoin / settleCoin is required"):
        call(server, GetOpenOrders, GetOpenOrdersRequest().set_order_id("oid-1"))
    assert server.requests == []


@pytest.mark.parametrize("wrong", ["20", 20.0, True, None])
def test_limit_of_the_wrong_type_is_refused_at_once(wrong: object) -> None:
    request = GetOpenOrdersRequest()
    with pytest.raises(SDKException, match="limit: expected an int"):
        request.set_limit(wrong)  # type: ignore[arg-type]
    assert request.get_limit() == 20


def _second_page() -> dict[str, object]:
    order = dict(payload("Contract.Order.GetOpenOrders")["result"]["list"][0])
    order.update(orderId="2b0f3bd3-7f9a-4b1e-9d2e-3c4f5a6b7c8d", price="27950.50", qty="0.010")
    return envelope({"list": [order], "nextPageCursor": "", "category": ""}, time=1691001729001)


def test_pagination_follows_the_cursor_to_the_last_page(server: RecordingServer) -> None:
    server.reply(Reply(payload("Contract.Order.GetOpenOrders")), Reply(_second_page()))
    request = GetOpenOrdersRequest().set_symbol("BTCUSDT").set_limit(1)
    orders: list[GetOpenOrdersResponse] = []
    cursors: list[str | None] = []
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        while True:
            response = api.rest(GetOpenOrders, request)
            orders.extend(response.get_body())
            cursor = response.get_next_page_cursor()
            cursors.append(cursor)
            if cursor is None:
                break
            request.set_cursor(cursor)

    assert cursors == [CURSOR, None]  # "" on the last page reads as "no next page"
    assert [o.get_order_id() for o in orders] == [
        "6753a9db-3d47-4b06-8c35-599511c0fb00",
        "2b0f3bd3-7f9a-4b1e-9d2e-3c4f5a6b7c8d",
    ]
    assert orders[1].get_price() == Decimal("27950.50")
    first, second = server.requests
    assert_get(first, PATH, "symbol=BTCUSDT&limit=1")
    # the cursor goes back exactly as the exchange issued it
    assert decoded_query(second) == [("symbol", "BTCUSDT"), ("limit", "1"), ("cursor", CURSOR)]
    assert second.path == PATH
    assert_signed(first)
    assert_signed(second)


def test_paginate_walks_both_pages_and_leaves_the_callers_request_untouched(server: RecordingServer) -> None:
    server.reply(Reply(payload("Contract.Order.GetOpenOrders")), Reply(_second_page()))
    request = GetOpenOrdersRequest().set_symbol("BTCUSDT").set_limit(1)
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        orders = list(api.paginate(GetOpenOrders, request, max_pages=5))
    assert [(o.get_order_id(), o.get_price()) for o in orders] == [
        ("6753a9db-3d47-4b06-8c35-599511c0fb00", Decimal("28000.00")),
        ("2b0f3bd3-7f9a-4b1e-9d2e-3c4f5a6b7c8d", Decimal("27950.50")),
    ]
    assert request.get_cursor() is None
    first, second = server.requests
    assert decoded_query(first) == [("symbol", "BTCUSDT"), ("limit", "1")]
    assert decoded_query(second) == [("symbol", "BTCUSDT"), ("limit", "1"), ("cursor", CURSOR)]
    assert_signed(second)
