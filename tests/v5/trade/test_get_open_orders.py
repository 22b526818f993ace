"""V5 GetOpenOrders (``GET /v5/order/realtime``): query string, order items to exact values, cursor."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.trade.get_open_orders import (
    GetOpenOrders,
    GetOpenOrdersRequest,
    GetOpenOrdersResponse,
    IGetOpenOrdersResponseInterface,
)
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, docs_payload_bytes, payload_reply

CURSOR = "page_args%3D1459321207564632064%26symbol%3D6%26"


def test_query_string_is_exact_and_signed(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("get_open_orders"))
    request = GetOpenOrdersRequest().set_category(Category.LINEAR).set_symbol("ETHUSDT").set_open_only(0)
    api.rest(GetOpenOrders, request.set_limit(1))

    (sent,) = server.requests
    assert sent.method == "GET"
    assert sent.target == "/v5/order/realtime?category=linear&symbol=ETHUSDT&openOnly=0&limit=1"
    assert sent.body == b""
    assert "Content-Type" not in sent.headers
    assert_signed(sent)  # signed over "category=linear&symbol=ETHUSDT&openOnly=0&limit=1"


def test_open_orders_parse_to_exact_values(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("get_open_orders"))
    response = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_settle_coin("USDT"))

    assert response.get_next_page_cursor() == CURSOR
    assert response.get_time() == datetime(2023, 5, 22, 14, 29, 30, 483000, tzinfo=timezone.utc)
    first, second = response.get_body()
    assert isinstance(first, GetOpenOrdersResponse)
    assert isinstance(first, IGetOpenOrdersResponseInterface)
    assert response.get_result() == first

    assert first.get_order_id() == "fd4300ae-7847-404e-b947-b46980a4d140"
    assert first.get_order_link_id() == "grid-eth-0001"
    assert first.get_block_trade_id() == ""
    assert first.get_symbol() == "ETHUSDT"
    assert first.get_price() == Decimal("1600.00")
    assert str(first.get_price()) == "1600.00"  # the exchange's digits are kept
    assert first.get_qty() == Decimal("0.10")
    assert first.get_side() == "Buy"
    assert first.is_leverage() is None  # "" on derivatives
    assert first.get_position_idx() == 1
    assert first.get_order_status() == "New"
    assert first.get_create_type() == "CreateByUser"
    assert first.get_cancel_type() == "UNKNOWN"
    assert first.get_reject_reason() == "EC_NoError"
    assert first.get_avg_price() is None  # "" until something fills
    assert first.get_leaves_qty() == Decimal("0.10")
    assert first.get_leaves_value() == Decimal("160")
    assert first.get_cum_exec_qty() == Decimal("0.00")
    assert first.get_cum_exec_value() == Decimal("0")
    assert first.get_cum_exec_fee() == Decimal("0")
    assert first.get_time_in_force() == "GTC"
    assert first.get_order_type() == "Limit"
    assert first.get_stop_order_type() == ""
    assert first.get_order_iv() is None
    assert first.get_market_unit() == ""
    assert first.get_trigger_price() == Decimal("0.00")
    assert first.get_take_profit() == Decimal("2500.00")
    assert first.get_stop_loss() == Decimal("1500.00")
    assert first.get_tpsl_mode() == "Full"
    assert first.get_oco_trigger_by() == "OcoTriggerByUnknown"
    assert first.get_tp_limit_price() is None
    assert first.get_sl_limit_price() is None
    assert first.get_tp_trigger_by() == "LastPrice"
    assert first.get_sl_trigger_by() == "MarkPrice"
    assert first.get_trigger_direction() == 0
    assert first.get_trigger_by() == ""
    assert first.get_last_price_on_created() == Decimal("1654.35")
    assert first.is_reduce_only() is False
    assert first.is_close_on_trigger() is False
    assert first.get_place_type() == ""
    assert first.get_smp_type() == "None"
    assert first.get_smp_group() == 0
    assert first.get_smp_order_id() == ""
    assert first.get_created_time() == datetime(2023, 5, 22, 6, 55, 40, 559000, tzinfo=timezone.utc)
    assert first.get_updated_time() == datetime(2023, 5, 22, 6, 55, 40, 561000, tzinfo=timezone.utc)

    assert second.get_order_id() == "1459321207564632064"
    assert second.get_order_link_id() == ""
    assert second.get_symbol() == "BTCUSDT"
    assert second.get_side() == "Sell"
    assert second.get_price() == Decimal("30250.5")
    assert second.get_qty() == Decimal("0.250")
    assert second.is_leverage() is False  # "0"
    assert second.get_position_idx() == 2
    assert second.get_order_status() == "PartiallyFilled"
    assert second.get_avg_price() == Decimal("30250.5")
    assert second.get_leaves_qty() == Decimal("0.150")
    assert second.get_leaves_value() == Decimal("4537.575")
    assert second.get_cum_exec_qty() == Decimal("0.100")
    assert second.get_cum_exec_value() == Decimal("3025.05")
    assert second.get_cum_exec_fee() == Decimal("0.60501")
    assert second.get_cum_exec_qty() + second.get_leaves_qty() == second.get_qty()  # type: ignore[operator]
    assert second.get_trigger_price() is None
    assert second.get_take_profit() is None
    assert second.get_stop_loss() is None
    assert second.get_tpsl_mode() == ""
    assert second.get_last_price_on_created() == Decimal("30101.1")
    assert second.is_reduce_only() is True
    assert second.is_close_on_trigger() is False
    assert second.get_created_time() == datetime(2023, 6, 29, 0, 53, 20, 123000, tzinfo=timezone.utc)
    assert second.get_updated_time() == datetime(2023, 6, 29, 0, 53, 32, 345000, tzinfo=timezone.utc)


def test_next_page_cursor_is_sent_back_encoded_and_signed_as_sent(
    server: RecordingServer, api: BybitAPI
) -> None:
    server.reply(payload_reply("get_open_orders"), Reply(envelope({"list": [], "nextPageCursor": ""})))
    request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_limit(2)
    first_page = api.rest(GetOpenOrders, request)
    cursor = first_page.get_next_page_cursor()
    assert cursor is not None
    last_page = api.rest(GetOpenOrders, request.set_cursor(cursor))

    assert server.requests[1].target == (
        "/v5/order/realtime?category=linear&symbol=BTCUSDT&limit=2"
        "&cursor=page_args%253D1459321207564632064%2526symbol%253D6%2526"
    )
    assert_signed(server.requests[1])
    assert last_page.get_next_page_cursor() is None  # "" means the last page
    assert last_page.get_body().count() == 0


def test_query_by_order_id_or_link_id(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        GetOpenOrdersRequest()
        .set_order_link_id("grid eth/1")
        .set_order_id("fd4300ae")
        .set_base_coin("ETH")
        .set_category("option")
        .set_order_filter("Order")
    )
    api.rest(GetOpenOrders, request)
    assert server.requests[0].target == (
        "/v5/order/realtime?category=option&baseCoin=ETH&orderId=fd4300ae&orderLinkId=grid+eth%2F1"
        "&orderFilter=Order"
    )
    assert_signed(server.requests[0])


def test_item_with_absent_and_null_keys_parses(server: RecordingServer, api: BybitAPI) -> None:
    item = {"orderId": "1", "price": None, "qty": "2", "reduceOnly": None, "createdTime": ""}
    server.reply(Reply(envelope({"list": [item], "nextPageCursor": "", "category": "spot"})))
    (order,) = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("spot")).get_body()
    assert order.get_order_id() == "1"
    assert order.get_order_link_id() == ""
    assert order.get_price() is None
    assert order.get_qty() == Decimal("2")
    assert order.is_reduce_only() is None
    assert order.get_created_time() is None
    assert order.get_position_idx() is None


def test_missing_category_raises_before_sending(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"GetOpenOrdersRequest: missing required field\(s\): category$"):
        api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT"))
    assert server.requests == []


def test_limit_must_be_an_int() -> None:
    with pytest.raises(SDKException, match="limit: expected an int, got str '20'"):
        GetOpenOrdersRequest().set_limit("20")  # type: ignore[arg-type]


def test_the_docs_example_reads_the_fee_detail_and_the_result_category(
    server: RecordingServer, api: BybitAPI
) -> None:
    server.reply(Reply(docs_payload_bytes("get_open_orders")))
    response = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("ETHUSDT"))
    (order,) = response.get_body()
    assert response.get_list_info().get_category() == "linear"
    assert order.get_cum_fee_detail() == {
        "MNT": Decimal("0.00242968")
    }  # instead of the deprecated cumExecFee
    assert order.get_cum_exec_fee() == Decimal("0")
    assert order.get_avg_price() == Decimal("0")
    assert order.get_trigger_by() == "UNKNOWN"
    assert order.get_last_price_on_created() is None  # ""


def test_parent_link_and_base_price_of_attached_and_spot_orders(
    server: RecordingServer, api: BybitAPI
) -> None:
    items = [
        {"orderId": "tp-1", "parentOrderLinkId": "entry-7", "stopOrderType": "TakeProfit", "basePrice": ""},
        {"orderId": "spot-1", "parentOrderLinkId": "", "basePrice": "64250.5", "cumFeeDetail": {}},
    ]
    server.reply(Reply(envelope({"list": items, "nextPageCursor": "", "category": "spot"})))
    attached, spot = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("spot")).get_body()
    assert attached.get_parent_order_link_id() == "entry-7"
    assert attached.get_base_price() is None
    assert attached.get_cum_fee_detail() == {}  # absent
    assert spot.get_base_price() == Decimal("64250.5")
    assert spot.get_cum_fee_detail() == {}
