"""Contract → Order → Place Order: ``POST /contract/v3/private/order/create``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import (
    EnumOrderType,
    EnumPositionIdx,
    EnumSide,
    EnumTimeInForce,
    EnumTPSLModes,
    EnumTriggerDirection,
    EnumTriggerPriceType,
)
from carpenstar_bybit.derivatives.contract.order.place_order import (
    IPlaceOrderResponseInterface,
    PlaceOrder,
    PlaceOrderRequest,
)
from tests.derivatives.harness import UTC, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/order/create"


def limit_order() -> PlaceOrderRequest:
    return (
        PlaceOrderRequest()
        .set_symbol("BTCUSDT")
        .set_side(EnumSide.BUY)
        .set_order_type(EnumOrderType.LIMIT)
        .set_qty("0.022")
        .set_price(28000)
    )


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, PlaceOrder, limit_order(), payload("Contract.Order.PlaceOrder"))
    assert response.get_time() == datetime(2023, 8, 2, 16, 30, 29, 923000, tzinfo=UTC)
    assert response.get_return_message() == "OK"
    assert len(response.get_body()) == 1
    result = response.get_result()
    assert isinstance(result, IPlaceOrderResponseInterface)
    assert result.get_order_id() == "dab5d5f2-c425-4620-8699-2daa56f55f7a"
    assert result.get_order_link_id() == "custom-something-order-id"


def test_wire_limit_order_sends_the_php_defaults_time_in_force_and_trigger_by(
    server: RecordingServer,
) -> None:
    _, sent = call(server, PlaceOrder, limit_order())
    assert_post(
        sent,
        PATH,
        b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.022",'
        b'"timeInForce":"GoodTillCancel","price":"28000","triggerBy":"LastPrice"}',
    )
    assert_signed(sent)


def test_wire_every_field_with_the_json_types_bybit_documents(server: RecordingServer) -> None:
    # set in reverse order: the body follows the declaration order
    request = (
        PlaceOrderRequest()
        .set_sl_order_type("Limit")
        .set_tp_order_type("Limit")
        .set_sl_limit_price("28510")
        .set_tp_limit_price(Decimal("25990.5"))
        .set_tpsl_mode(EnumTPSLModes.MODE_PARTIAL)
        .set_close_on_trigger(True)
        .set_smp_type("CancelMaker")
        .set_reduce_only(False)
        .set_sl_trigger_by(EnumTriggerPriceType.PRICE_TYPE_INDEX)
        .set_tp_trigger_by("LastPrice")
        .set_stop_loss(28500)
        .set_take_profit(26000.0)
        .set_order_link_id("my-order-001")
        .set_position_idx(EnumPositionIdx.HEDGE_SELL)
        .set_trigger_by(EnumTriggerPriceType.PRICE_TYPE_MARK)
        .set_trigger_price("27600")
        .set_trigger_direction(EnumTriggerDirection.DIRECTION_DOWN)
        .set_price(27500.5)
        .set_time_in_force(EnumTimeInForce.POST_ONLY)
        .set_qty(Decimal("0.01"))
        .set_order_type("Limit")
        .set_side("Sell")
        .set_symbol("BTCUSDT")
    )
    _, sent = call(server, PlaceOrder, request)
    assert_post(
        sent,
        PATH,
        b'{"symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.01","timeInForce":"PostOnly",'
        b'"price":"27500.5","triggerDirection":2,"triggerPrice":"27600","triggerBy":"MarkPrice",'
        b'"positionIdx":2,"orderLinkId":"my-order-001","takeProfit":"26000.0","stopLoss":"28500",'
        b'"tpTriggerBy":"LastPrice","slTriggerBy":"IndexPrice","reduceOnly":false,"smpType":"CancelMaker",'
        b'"closeOnTrigger":true,"tpslMode":"Partial","tpLimitPrice":"25990.5","slLimitPrice":"28510",'
        b'"tpOrderType":"Limit","slOrderType":"Limit"}',
    )
    assert_signed(sent)


def test_enums_and_their_plain_values_are_stored_alike() -> None:
    by_enum = (
        limit_order().set_position_idx(EnumPositionIdx.HEDGE_BUY).set_time_in_force(EnumTimeInForce.POST_ONLY)
    )
    by_value = limit_order().set_position_idx(1).set_time_in_force("PostOnly")
    assert by_enum == by_value
    assert by_enum.get_position_idx() == 1
    assert type(by_enum.get_position_idx()) is int
    assert by_enum.get_time_in_force() == "PostOnly"
    assert type(by_enum.get_time_in_force()) is str
    assert by_enum.get_side() == "Buy"


@pytest.mark.parametrize(
    ("qty", "wire"),
    [
        (Decimal("0.00001"), "0.00001"),
        (Decimal("1E-5"), "0.00001"),
        (0.1, "0.1"),
        (1e-05, "0.00001"),
        (5, "5"),
        ("0.022", "0.022"),
        (Decimal("1.50"), "1.50"),
        (Decimal("1E+3"), "1000"),
        (123456789.12345678, "123456789.12345678"),
    ],
)
def test_qty_is_sent_exactly(server: RecordingServer, qty: Decimal | float | int | str, wire: str) -> None:
    request = PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Market").set_qty(qty)
    _, sent = call(server, PlaceOrder, request)
    assert_post(
        sent,
        PATH,
        b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"'
        + wire.encode()
        + b'","timeInForce":"GoodTillCancel","triggerBy":"LastPrice"}',
    )


def test_missing_required_fields_are_all_named_and_nothing_is_sent(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException, match=r"^PlaceOrderRequest: missing required field\(s\): symbol, side, orderType, qty$"
    ):
        call(server, PlaceOrder, PlaceOrderRequest().set_price(28000))
    with pytest.raises(SDKException, match=r"missing required field\(s\): qty$"):
        call(
            server,
            PlaceOrder,
            PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit"),
        )
    assert server.requests == []


@pytest.mark.parametrize(
    ("setter", "value", "message"),
    [
        ("set_qty", "abc", "qty: expected a number"),
        ("set_qty", True, "qty: expected a number"),
        ("set_qty", None, "qty: expected a number"),
        ("set_qty", float("nan"), "qty: expected a finite number"),
        ("set_qty", float("inf"), "qty: expected a finite number"),
        ("set_qty", "NaN", "qty: expected a finite number"),
        ("set_qty", [1], "qty: expected a number"),
        ("set_price", "28 000", "price: expected a number"),
        ("set_trigger_price", "", "triggerPrice: expected a number"),
        ("set_position_idx", "1", "positionIdx: expected an int"),
        ("set_position_idx", True, "positionIdx: expected an int"),
        ("set_position_idx", 1.0, "positionIdx: expected an int"),
        ("set_trigger_direction", False, "triggerDirection: expected an int"),
        ("set_reduce_only", 1, "reduceOnly: expected a bool"),
        ("set_reduce_only", "true", "reduceOnly: expected a bool"),
        ("set_close_on_trigger", None, "closeOnTrigger: expected a bool"),
        ("set_side", 1, "side: expected a string"),
        ("set_symbol", None, "symbol: expected a string"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_by_the_setter_and_not_stored(
    setter: str, value: object, message: str
) -> None:
    request = limit_order()
    before = repr(request)
    with pytest.raises(SDKException, match=message):
        getattr(request, setter)(value)
    assert repr(request) == before
