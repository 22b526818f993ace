"""Contract → Order → Get Order List: ``GET /contract/v3/private/order/list``, paged by cursor."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.derivatives.contract.order.get_order_list import (
    GetOrderList,
    GetOrderListRequest,
    GetOrderListResponse,
)
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, decoded_query, payload
from tests.support.recording_server import RecordingServer, Reply, envelope

PATH = "/contract/v3/private/order/list"
#: As the exchange returned it in the captured payload: already percent-encoded.
CURSOR = "c6f055d9-7f21-4079-913d-e6523a9cfffa%3A1672216686849%2Cc6f055d9-7f21-4079-913d-e6523a9cfffa%3A1672216686849"

#: One order of the V3 order list with every key the spec reads, each with its own distinct value.
EVERY_FIELD = {
    "symbol": "BTCUSDT",
    "orderId": "1321052653536515584",
    "orderLinkId": "grid-7",
    "side": "Buy",
    "orderType": "Limit",
    "price": "21000.5",
    "qty": "0.010",
    "timeInForce": "PostOnly",
    "orderStatus": "PartiallyFilled",
    "positionIdx": 1,
    "lastPriceOnCreated": "21450.50",
    "createdTime": "1672712500000",
    "updatedTime": "1672712511222",
    "cancelType": "CancelByUser",
    "rejectReason": "EC_NoError",
    "stopOrderType": "TakeProfit",
    "triggerDirection": 2,
    "triggerBy": "LastPrice",
    "triggerPrice": "21500.0",
    "cumExecValue": "105.0025",
    "cumExecFee": "0.063",
    "cumExecQty": "0.005",
    "leavesValue": "105.0026",
    "leavesQty": "0.006",
    "takeProfit": "23000",
    "stopLoss": "20000",
    "tpslMode": "Partial",
    "tpLimitPrice": "22990",
    "slLimitPrice": "20010",
    "tpTriggerBy": "MarkPrice",
    "slTriggerBy": "IndexPrice",
    "reduceOnly": True,
    "closeOnTrigger": True,
    "blockTradeId": "b-42",
    "smpType": "CancelTaker",
    "smpGroup": 7,
    "smpOrderId": "smp-1",
}


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, GetOrderList, None, payload("Contract.Order.GetOrderList"))
    assert response.get_time() == datetime(2023, 1, 4, 5, 59, 18, 171000, tzinfo=UTC)
    assert response.get_next_page_cursor() == CURSOR
    (order,) = response.get_body()
    assert isinstance(order, GetOrderListResponse)
    assert order.get_symbol() == "ETHPERP"
    assert order.get_order_type() == "Limit"
    assert order.get_order_link_id() == "linear-004"
    assert order.get_order_id() == "c6f055d9-7f21-4079-913d-e6523a9cfffa"
    assert order.get_stop_order_type() == "Stop"
    assert order.get_order_status() == "Deactivated"
    assert order.get_take_profit() is None  # ""
    assert order.get_stop_loss() is None  # ""
    assert order.get_cum_exec_value() == Decimal("0")
    assert order.get_block_trade_id() == ""
    assert order.get_reject_reason() == "EC_NoError"
    assert order.get_price() == Decimal("1050")
    assert order.get_created_time() == datetime(2022, 12, 28, 8, 38, 6, 849000, tzinfo=UTC)  # a JSON int here
    assert order.get_updated_time() == datetime(2022, 12, 28, 8, 49, 37, 166000, tzinfo=UTC)
    assert order.get_tp_trigger_by() == "UNKNOWN"
    assert order.get_time_in_force() == "GoodTillCancel"
    assert order.get_leaves_value() == Decimal("0")
    assert order.get_side() == "Sell"
    assert order.get_trigger_price() == Decimal("1145.00000000")
    assert order.get_cum_exec_fee() == Decimal("0")
    assert order.get_sl_trigger_by() == "UNKNOWN"
    assert order.get_leaves_qty() == Decimal("0")
    assert order.is_close_on_trigger() is False
    assert order.get_cum_exec_qty() == Decimal("0")
    assert order.is_reduce_only() is False
    assert order.get_qty() == Decimal("0.15")
    assert order.get_trigger_by() == "MarkPrice"
    # keys this answer did not carry: absent string -> "", absent number -> None
    assert order.get_position_idx() is None
    assert order.get_last_price_on_created() is None
    assert order.get_cancel_type() == ""
    assert order.get_trigger_direction() is None
    assert order.get_tpsl_mode() == ""
    assert order.get_smp_group() is None


def test_php_defect_not_ported_every_field_is_read_from_its_own_key(server: RecordingServer) -> None:
    # PHP's GetOrderListResponse constructor was empty: every getter failed
    body = envelope({"list": [EVERY_FIELD], "nextPageCursor": "", "category": "linear"})
    response, _ = call(server, GetOrderList, None, body)
    (order,) = response.get_body()
    assert order.get_symbol() == "BTCUSDT"
    assert order.get_order_id() == "1321052653536515584"
    assert order.get_order_link_id() == "grid-7"
    assert order.get_side() == "Buy"
    assert order.get_order_type() == "Limit"
    assert order.get_price() == Decimal("21000.5")
    assert order.get_qty() == Decimal("0.010")
    assert order.get_time_in_force() == "PostOnly"
    assert order.get_order_status() == "PartiallyFilled"
    assert order.get_position_idx() == 1
    assert order.get_last_price_on_created() == Decimal("21450.50")
    assert order.get_created_time() == datetime(2023, 1, 3, 2, 21, 40, tzinfo=UTC)
    assert order.get_updated_time() == datetime(2023, 1, 3, 2, 21, 51, 222000, tzinfo=UTC)
    assert order.get_cancel_type() == "CancelByUser"
    assert order.get_reject_reason() == "EC_NoError"
    assert order.get_stop_order_type() == "TakeProfit"
    assert order.get_trigger_direction() == 2
    assert order.get_trigger_by() == "LastPrice"
    assert order.get_trigger_price() == Decimal("21500.0")
    assert order.get_cum_exec_value() == Decimal("105.0025")
    assert order.get_cum_exec_fee() == Decimal("0.063")
    assert order.get_cum_exec_qty() == Decimal("0.005")
    assert order.get_leaves_value() == Decimal("105.0026")
    assert order.get_leaves_qty() == Decimal("0.006")
    assert order.get_take_profit() == Decimal("23000")
    assert order.get_stop_loss() == Decimal("20000")
    assert order.get_tpsl_mode() == "Partial"
    assert order.get_tp_limit_price() == Decimal("22990")
    assert order.get_sl_limit_price() == Decimal("20010")
    assert order.get_tp_trigger_by() == "MarkPrice"
    assert order.get_sl_trigger_by() == "IndexPrice"
    assert order.is_reduce_only() is True
    assert order.is_close_on_trigger() is True
    assert order.get_block_trade_id() == "b-42"
    assert order.get_smp_type() == "CancelTaker"
    assert order.get_smp_group() == 7
    assert order.get_smp_order_id() == "smp-1"


def test_wire_without_filters_sends_the_php_default_limit(server: RecordingServer) -> None:
    _, sent = call(server, GetOrderList, GetOrderListRequest())
    assert_get(sent, PATH, "limit=20")
    assert_signed(sent)


def test_wire_with_every_field(server: RecordingServer) -> None:
    request = (
        GetOrderListRequest()
        .set_limit(5)
        .set_order_status("Filled")
        .set_symbol("ETHPERP")
        .set_order_filter("Order")
        .set_order_link_id("linear-004")
        .set_order_id("c6f055d9-7f21-4079-913d-e6523a9cfffa")
        .set_cursor("next-page")
    )
    _, sent = call(server, GetOrderList, request)
    assert_get(
        sent,
        PATH,
        "symbol=ETHPERP&orderId=c6f055d9-7f21-4079-913d-e6523a9cfffa&orderLinkId=linear-004"
        "&orderStatus=Filled&orderFilter=Order&limit=5&cursor=next-page",
    )
    assert_signed(sent)


def test_a_percent_encoded_cursor_reaches_the_exchange_exactly_as_it_issued_it(
    server: RecordingServer,
) -> None:
    # The exchange returns this cursor already percent-encoded. The SDK sends it as an opaque value:
    # encoded once more on the wire, so the exchange decodes exactly the string it issued, and the
    # signature covers the bytes sent, as tiagosiebler/bybit-api does (Bybit's pybit sends it unencoded).
    last_page = envelope({"list": [], "nextPageCursor": "", "category": "linear"})
    server.reply(Reply(payload("Contract.Order.GetOrderList")), Reply(last_page))
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        first = api.rest(GetOrderList, GetOrderListRequest())
        cursor = first.get_next_page_cursor()
        assert cursor == CURSOR
        second = api.rest(GetOrderList, GetOrderListRequest().set_cursor(cursor))
    assert second.get_next_page_cursor() is None
    sent = server.requests[1]
    assert_signed(sent)
    assert decoded_query(sent) == [("limit", "20"), ("cursor", CURSOR)]
    assert sent.target == f"{PATH}?limit=20&cursor=" + CURSOR.replace("%", "%25")
