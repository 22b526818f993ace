"""V5 batch orders (``POST /v5/order/create-batch``, ``amend-batch``, ``cancel-batch``): typed item
requests validated item by item before anything is sent, Bybit's item limits per category, and one
result per item with its own code and message, so a rejected item is visible without an exception."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import (
    ApiException,
    BybitAPI,
    EnumOutputMode,
    InsufficientBalanceException,
    InvalidParameterException,
    OrderNotFoundException,
    SDKException,
)
from carpenstar_bybit.core.exceptions import exception_for_code
from carpenstar_bybit.v5.enums import Category, OrderType, Side
from carpenstar_bybit.v5.trade.batch_amend_order import (
    BatchAmendOrder,
    BatchAmendOrderRequest,
    BatchAmendOrderRequestItem,
)
from carpenstar_bybit.v5.trade.batch_cancel_order import (
    BatchCancelOrder,
    BatchCancelOrderRequest,
    BatchCancelOrderRequestItem,
    BatchCancelOrderResponse,
    IBatchCancelOrderResponseInterface,
)
from carpenstar_bybit.v5.trade.batch_place_order import (
    BatchPlaceOrder,
    BatchPlaceOrderRequest,
    BatchPlaceOrderRequestItem,
    BatchPlaceOrderResponse,
    IBatchPlaceOrderRequestInterface,
    IBatchPlaceOrderRequestItemInterface,
    IBatchPlaceOrderResponseInterface,
)
from tests.conftest import API_KEY
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, docs_payload_bytes

UTC = timezone.utc


def order(symbol: str, link: str | None = None, qty: str = "0.01") -> BatchPlaceOrderRequestItem:
    item = BatchPlaceOrderRequestItem().set_symbol(symbol).set_side(Side.BUY).set_order_type(OrderType.LIMIT)
    item = item.set_qty(qty).set_price("30000")
    return item.set_order_link_id(link) if link else item


def test_place_results_item_by_item(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("batch_place_order")))
    request = (
        BatchPlaceOrderRequest()
        .set_category(Category.SPOT)
        .set_request([order("BTCUSDT"), order("ATOMUSDT")])
    )
    assert isinstance(request, IBatchPlaceOrderRequestInterface)
    response = api.rest(BatchPlaceOrder, request)
    assert_signed(server.requests[0])

    btc, atom = response.get_body()
    assert isinstance(btc, BatchPlaceOrderResponse)
    assert isinstance(btc, IBatchPlaceOrderResponseInterface)
    assert (btc.get_category(), btc.get_symbol()) == ("spot", "BTCUSDT")
    assert (btc.get_order_id(), btc.get_order_link_id()) == ("1666800494330512128", "spot-btc-03")
    assert btc.get_create_at() == datetime(2024, 4, 18, 9, 55, 2, 752000, tzinfo=UTC)
    assert (btc.get_code(), btc.get_msg()) == (0, "OK")
    assert (atom.get_order_id(), atom.get_code(), atom.get_msg()) == ("1666800494330512129", 0, "OK")


def test_a_rejected_item_is_an_item_not_an_exception(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("batch_cancel_order")))
    request = (
        BatchCancelOrderRequest()
        .set_category("spot")
        .add_request(BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1666800494330512128"))
        .add_request(
            BatchCancelOrderRequestItem().set_symbol("ATOMUSDT").set_order_link_id("1666800494330512129")
        )
    )
    response = api.rest(BatchCancelOrder, request)
    assert response.get_return_code() == 0
    cancelled, missing = response.get_body()
    assert isinstance(missing, BatchCancelOrderResponse)
    assert isinstance(missing, IBatchCancelOrderResponseInterface)
    assert (cancelled.get_code(), cancelled.get_order_link_id()) == (0, "spot-btc-03")
    assert (missing.get_code(), missing.get_msg()) == (170213, "Order does not exist.")
    assert missing.get_order_id() == ""
    assert missing.get_order_link_id() == "1666800494330512129"
    # The items that failed, and the exception class their code would raise as a whole request:
    failed = [item for item in response.get_body() if item.get_code() != 0]
    assert failed == [missing]
    assert exception_for_code(missing.get_code() or 0, "v5") is OrderNotFoundException


def test_each_item_gets_its_own_code_whatever_the_mix(server: RecordingServer, api: BybitAPI) -> None:
    result = {
        "list": [
            {
                "category": "linear",
                "symbol": "BTCUSDT",
                "orderId": "1",
                "orderLinkId": "a",
                "createAt": "1713434102752",
            },
            {"category": "linear", "symbol": "ETHUSDT", "orderId": "", "orderLinkId": "b", "createAt": ""},
            {"category": "linear", "symbol": "XRPUSDT", "orderId": "", "orderLinkId": "c", "createAt": ""},
        ]
    }
    codes = {
        "list": [
            {"code": 0, "msg": "OK"},
            {"code": 110007, "msg": "ab not enough"},
            {"code": 10001, "msg": "qty"},
        ]
    }
    server.reply(Reply(envelope(result, retExtInfo=codes)))
    request = BatchPlaceOrderRequest().set_category("linear")
    for link, symbol in (("a", "BTCUSDT"), ("b", "ETHUSDT"), ("c", "XRPUSDT")):
        request = request.add_request(order(symbol, link))
    placed, poor, invalid = api.rest(BatchPlaceOrder, request).get_body()
    assert [i.get_code() for i in (placed, poor, invalid)] == [0, 110007, 10001]
    assert poor.get_create_at() is None
    assert exception_for_code(110007, "v5") is InsufficientBalanceException
    assert exception_for_code(10001, "v5") is InvalidParameterException


def test_array_mode_keeps_bybits_items_and_codes_apart(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("batch_cancel_order")))
    request = (
        BatchCancelOrderRequest()
        .set_category("spot")
        .add_request(BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1"))
    )
    response = api.rest(BatchCancelOrder, request, EnumOutputMode.MODE_ARRAY)
    assert "code" not in response.get_result()
    assert response.get_extended_info()["list"][1] == {"code": 170213, "msg": "Order does not exist."}


def test_amend_items_need_an_order_id_or_link_id(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        BatchAmendOrderRequest()
        .set_category("linear")
        .set_request(
            [
                BatchAmendOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1").set_qty("0.2"),
                BatchAmendOrderRequestItem().set_symbol("BTCUSDT").set_price("30100"),
                BatchAmendOrderRequestItem().set_order_link_id("x"),
            ]
        )
    )
    with pytest.raises(SDKException) as info:
        api.rest(BatchAmendOrder, request)
    assert str(info.value) == (
        "BatchAmendOrderRequest: request[1]: BatchAmendOrderRequestItem: one of orderId / orderLinkId is required; "
        "request[2]: BatchAmendOrderRequestItem: missing required field(s): symbol"
    )
    assert server.requests == []


def test_option_orders_need_a_link_id_item_by_item(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        BatchPlaceOrderRequest()
        .set_category(Category.OPTION)
        .set_request([order("BTC-29DEC23-40000-C", "opt-1"), order("BTC-29DEC23-40000-P")])
    )
    with pytest.raises(
        SDKException,
        match=r"request\[1\]: BatchPlaceOrderRequestItem: orderLinkId is required when category is 'option'$",
    ):
        api.rest(BatchPlaceOrder, request)
    assert server.requests == []
    linear = BatchPlaceOrderRequest().set_category("linear").set_request([order("BTCUSDT")])
    api.rest(BatchPlaceOrder, linear)  # futures take orders without a link id
    assert len(server.requests) == 1


def test_item_limits_per_category(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"^request: at most 20 items, got 21$"):
        BatchPlaceOrderRequest().set_request([order("BTCUSDT")] * 21)
    twenty = BatchPlaceOrderRequest().set_category("linear").set_request([order("BTCUSDT")] * 20)
    twenty.validate()
    spot = BatchPlaceOrderRequest().set_category("spot").set_request([order("BTCUSDT")] * 11)
    with pytest.raises(
        SDKException, match=r"request takes at most 10 items when category is 'spot', got 11$"
    ):
        api.rest(BatchPlaceOrder, spot)
    cancels = (
        BatchCancelOrderRequest()
        .set_category("spot")
        .set_request(
            [BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id(str(i)) for i in range(11)]
        )
    )
    with pytest.raises(SDKException, match="at most 10 items when category is 'spot'"):
        api.rest(BatchCancelOrder, cancels)
    with pytest.raises(SDKException, match=r"missing required field\(s\): request$"):
        api.rest(BatchPlaceOrder, BatchPlaceOrderRequest().set_category("linear").set_request([]))
    assert server.requests == []


def test_items_are_typed_and_copied() -> None:
    item = order("BTCUSDT", "link-1")
    assert isinstance(item, IBatchPlaceOrderRequestItemInterface)
    request = BatchPlaceOrderRequest().set_category("linear").add_request(item)
    item.set_qty("5")
    (kept,) = request.get_request() or ()
    assert kept.get_qty() == Decimal("0.01")
    assert kept is not item
    with pytest.raises(SDKException, match=r"request\[0\]: expected a BatchPlaceOrderRequestItem, got dict"):
        BatchPlaceOrderRequest().set_request([{"symbol": "BTCUSDT"}])  # type: ignore[list-item]
    with pytest.raises(
        SDKException, match="expected a BatchPlaceOrderRequestItem, got BatchCancelOrderRequestItem"
    ):
        BatchPlaceOrderRequest().add_request(BatchCancelOrderRequestItem())  # type: ignore[arg-type]
    with pytest.raises(SDKException, match="side: expected one of 'Buy', 'Sell'"):
        BatchPlaceOrderRequestItem().set_side("buy")


def test_a_whole_batch_refused_raises(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope(code=10001, msg="params error: request list is empty")))
    request = (
        BatchCancelOrderRequest()
        .set_category("linear")
        .add_request(BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1"))
    )
    with pytest.raises(InvalidParameterException) as info:
        api.rest(BatchCancelOrder, request)
    assert isinstance(info.value, ApiException)
    assert info.value.path == "/v5/order/cancel-batch"


def test_item_messages_are_redacted_like_every_text_of_the_exchange(
    server: RecordingServer, api: BybitAPI
) -> None:
    echo = f"error sign! origin_string[1700000000000{API_KEY}5000]"
    codes = {"list": [{"code": 10004, "msg": echo}]}
    server.reply(Reply(envelope({"list": [{"category": "linear", "symbol": "BTCUSDT"}]}, retExtInfo=codes)))
    request = (
        BatchCancelOrderRequest()
        .set_category("linear")
        .add_request(BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1"))
    )
    response = api.rest(BatchCancelOrder, request)
    (item,) = response.get_body()
    assert item.get_code() == 10004
    assert API_KEY not in item.get_msg()
    assert API_KEY not in repr(item)
    assert API_KEY not in str(response.get_extended_info())
