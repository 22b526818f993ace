"""V5 GetOrderHistory (``GET /v5/order/history``): query string, closed orders to exact values, cursor."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrdersResponse, IGetOpenOrdersResponseInterface
from carpenstar_bybit.v5.trade.get_order_history import (
    ExtraFeeResponse,
    GetOrderHistory,
    GetOrderHistoryRequest,
    GetOrderHistoryResponse,
    IExtraFeeResponseInterface,
    IGetOrderHistoryResponseInterface,
)
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import EXTRA_FEE, assert_signed, docs_payload_bytes, payload_reply

NEW_YEAR = datetime(2024, 1, 1, tzinfo=timezone.utc)


def test_query_string_with_time_range_is_exact_and_signed(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("get_order_history"))
    request = (
        GetOrderHistoryRequest()
        .set_category(Category.LINEAR)
        .set_symbol("BTCUSDT")
        .set_order_status("Cancelled")
        .set_start_time(NEW_YEAR)
        .set_end_time(1704153600000)  # epoch milliseconds are accepted too
        .set_limit(50)
    )
    api.rest(GetOrderHistory, request)

    (sent,) = server.requests
    assert sent.method == "GET"
    assert sent.target == (
        "/v5/order/history?category=linear&symbol=BTCUSDT&orderStatus=Cancelled"
        "&startTime=1704067200000&endTime=1704153600000&limit=50"
    )
    assert_signed(sent)
    assert request.get_start_time() == NEW_YEAR
    assert request.get_end_time() == NEW_YEAR + timedelta(days=1)


def test_non_utc_aware_datetime_is_sent_as_the_same_instant(server: RecordingServer, api: BybitAPI) -> None:
    plus_three = timezone(timedelta(hours=3))
    request = (
        GetOrderHistoryRequest()
        .set_category("spot")
        .set_start_time(datetime(2024, 1, 1, 3, 0, 0, 250000, tzinfo=plus_three))
        .set_end_time(datetime(2024, 1, 2, tzinfo=timezone.utc))
    )
    api.rest(GetOrderHistory, request)
    assert server.requests[0].query == "category=spot&startTime=1704067200250&endTime=1704153600000"


def test_history_items_parse_to_exact_values(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("get_order_history"))
    response = api.rest(GetOrderHistory, GetOrderHistoryRequest().set_category("linear"))
    assert server.requests[0].target == "/v5/order/history?category=linear"

    assert response.get_next_page_cursor() == "page_token%3D40112%26"
    cancelled, filled = response.get_body()
    assert isinstance(cancelled, GetOrderHistoryResponse)
    assert isinstance(cancelled, IGetOrderHistoryResponseInterface)

    assert cancelled.get_order_id() == "0c8b3a4e-2f61-4d0a-8f5e-91b7c3d2e4a6"
    assert cancelled.get_order_link_id() == "v5-hist-001"
    assert cancelled.get_order_status() == "Cancelled"
    assert cancelled.get_cancel_type() == "CancelByUser"
    assert cancelled.get_time_in_force() == "PostOnly"
    assert cancelled.get_price() == Decimal("26864.40")
    assert cancelled.get_qty() == Decimal("0.003")
    assert cancelled.get_avg_price() is None
    assert cancelled.get_leaves_qty() == Decimal("0.000")
    assert cancelled.get_take_profit() == Decimal("0.00")
    assert cancelled.get_position_idx() == 0
    assert cancelled.get_last_price_on_created() == Decimal("26880.10")
    assert cancelled.get_created_time() == datetime(2023, 5, 19, 6, 1, 8, 369000, tzinfo=timezone.utc)
    assert cancelled.get_updated_time() == datetime(2023, 5, 19, 6, 1, 8, 372000, tzinfo=timezone.utc)

    assert filled.get_order_id() == "1684400000-stop-7781"
    assert filled.get_order_link_id() == "sl-eth-7781"
    assert filled.get_symbol() == "ETHUSDT"
    assert filled.get_side() == "Sell"
    assert filled.get_order_type() == "Market"
    assert filled.get_stop_order_type() == "Stop"
    assert filled.get_create_type() == "CreateByStopOrder"
    assert filled.get_order_status() == "Filled"
    assert filled.get_time_in_force() == "IOC"
    assert filled.get_price() == Decimal("1757.50")
    assert filled.get_qty() == Decimal("1.50")
    assert filled.get_avg_price() == Decimal("1849.12")
    assert filled.get_cum_exec_qty() == Decimal("1.50")
    assert filled.get_cum_exec_value() == Decimal("2773.68")
    assert filled.get_cum_exec_value() == filled.get_avg_price() * filled.get_cum_exec_qty()  # type: ignore[operator]
    assert filled.get_cum_exec_fee() == Decimal("1.525524")
    assert filled.get_leaves_qty() == Decimal("0.00")
    assert filled.get_leaves_value() == Decimal("0")
    assert filled.get_trigger_price() == Decimal("1850.00")
    assert filled.get_trigger_direction() == 2
    assert filled.get_trigger_by() == "MarkPrice"
    assert filled.is_leverage() is False
    assert filled.is_reduce_only() is True
    assert filled.is_close_on_trigger() is True
    assert filled.get_smp_type() == "None"
    assert filled.get_smp_group() == 0
    assert filled.get_created_time() == datetime(2023, 5, 18, 8, 53, 20, tzinfo=timezone.utc)
    assert filled.get_updated_time() == datetime(2023, 5, 18, 8, 55, 23, 456000, tzinfo=timezone.utc)


def test_missing_category_raises_before_sending(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"GetOrderHistoryRequest: missing required field\(s\): category$"):
        api.rest(GetOrderHistory, GetOrderHistoryRequest().set_order_id("x"))
    assert server.requests == []


def test_naive_datetime_is_refused_by_the_setter() -> None:
    with pytest.raises(SDKException, match="startTime: naive datetime"):
        GetOrderHistoryRequest().set_start_time(datetime(2024, 1, 1))


def test_the_docs_example_has_the_history_s_own_fields(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("get_order_history")))
    response = api.rest(GetOrderHistory, GetOrderHistoryRequest().set_category(Category.LINEAR).set_limit(1))
    (order,) = response.get_body()
    assert response.get_list_info().get_category() == "linear"
    assert response.get_next_page_cursor() == "page_token%3D39380%26"
    assert order.get_order_id() == "14bad3a1-6454-43d8-bcf2-5345896cf74d"
    assert order.get_reject_reason() == "EC_PostOnlyWillTakeLiquidity"
    assert order.get_slippage_tolerance_type() == "UNKNOWN"
    assert order.get_slippage_tolerance() is None  # ""
    assert len(order.get_extra_fees()) == 0  # "" when there are none
    assert order.get_cum_fee_detail() == {"MNT": Decimal("0.00242968")}
    assert order.is_rpi_taker_access() is False
    assert order.get_rpi_matched_qty() == Decimal("0")
    assert order.get_parent_order_link_id() == ""  # not in this example
    assert order.get_base_price() is None
    assert order.get_created_time() == datetime(2023, 5, 19, 6, 1, 8, 369000, tzinfo=timezone.utc)


def test_extra_fees_read_item_by_item(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope({"list": [{"orderId": "1", "extraFees": [EXTRA_FEE]}], "category": "spot"})))
    (order,) = api.rest(GetOrderHistory, GetOrderHistoryRequest().set_category("spot")).get_body()
    (extra,) = order.get_extra_fees()
    assert isinstance(extra, ExtraFeeResponse)
    assert isinstance(extra, IExtraFeeResponseInterface)
    assert (extra.get_fee_coin(), extra.get_fee_type(), extra.get_sub_fee_type()) == (
        "USDT",
        "GST",
        "IND_GST",
    )
    assert extra.get_fee_rate() == Decimal("0.0000675")
    assert extra.get_fee() == Decimal("0.006403779")


def test_history_items_are_open_order_items_with_more_fields() -> None:
    assert issubclass(GetOrderHistoryResponse, GetOpenOrdersResponse)
    assert issubclass(IGetOrderHistoryResponseInterface, IGetOpenOrdersResponseInterface)
    own = {f.slot for f in GetOrderHistoryResponse._fields} - {f.slot for f in GetOpenOrdersResponse._fields}
    assert own == {
        "_slippage_tolerance_type",
        "_slippage_tolerance",
        "_extra_fees",
        "_rpi_taker_access",
        "_rpi_matched_qty",
    }
