"""V5 PlaceOrder (``POST /v5/order/create``): wire format, parsing, errors, validation before I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, DuplicateOrderException, OrderNotFoundException, SDKException
from carpenstar_bybit.v5.enums import (
    BboLevel,
    BboSideType,
    Category,
    MarketUnit,
    OrderType,
    PositionIdx,
    Side,
    SlippageToleranceType,
    SmpType,
    TimeInForce,
    TpslMode,
    TriggerBy,
    TriggerDirection,
)
from carpenstar_bybit.v5.trade.place_order import (
    IPlaceOrderRequestInterface,
    IPlaceOrderResponseInterface,
    PlaceOrder,
    PlaceOrderRequest,
    PlaceOrderResponse,
)
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, payload_reply


def limit_buy() -> PlaceOrderRequest:
    return (
        PlaceOrderRequest()
        .set_category(Category.LINEAR)
        .set_symbol("BTCUSDT")
        .set_side(Side.BUY)
        .set_order_type(OrderType.LIMIT)
        .set_qty("0.001")
        .set_price(Decimal("25000.5"))
        .set_time_in_force(TimeInForce.GTC)
        .set_position_idx(PositionIdx.ONE_WAY)
        .set_order_link_id("v5-linear-buy-0001")
    )


def test_create_sends_exact_json_body_signed(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("place_order"))
    response = api.rest(PlaceOrder, limit_buy())

    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == "/v5/order/create"
    assert sent.body == (
        b'{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001",'
        b'"price":"25000.5","timeInForce":"GTC","positionIdx":0,"orderLinkId":"v5-linear-buy-0001"}'
    )
    assert sent.headers["Content-Type"] == "application/json"
    assert_signed(sent)

    result = response.get_result()
    assert isinstance(result, PlaceOrderResponse)
    assert isinstance(result, IPlaceOrderResponseInterface)
    assert result.get_order_id() == "1321003749386327552"
    assert result.get_order_link_id() == "v5-linear-buy-0001"
    assert response.get_return_code() == 0
    assert response.get_next_page_cursor() is None
    assert len(response.get_body()) == 1


def test_every_kind_goes_out_with_the_type_bybit_documents(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        PlaceOrderRequest()
        .set_category("linear")
        .set_symbol("ETHUSDT")
        .set_is_leverage(0)
        .set_side("Sell")
        .set_order_type("Market")
        .set_qty(0.1)  # a float is read through its shortest repr, no float noise
        .set_trigger_direction(TriggerDirection.FALL)
        .set_trigger_price(Decimal("1E+3"))
        .set_trigger_by(TriggerBy.MARK_PRICE)
        .set_position_idx(PositionIdx.HEDGE_SELL)
        .set_take_profit(Decimal("0.00001"))
        .set_stop_loss(1500)
        .set_tp_trigger_by(TriggerBy.LAST_PRICE)
        .set_sl_trigger_by("IndexPrice")
        .set_reduce_only(True)
        .set_close_on_trigger(False)
        .set_tpsl_mode(TpslMode.PARTIAL)
        .set_tp_limit_price("2500.10")
        .set_sl_limit_price("1499.9")
        .set_tp_order_type(OrderType.LIMIT)
        .set_sl_order_type("Limit")
    )
    api.rest(PlaceOrder, request)
    (sent,) = server.requests
    assert sent.body == (
        b'{"category":"linear","symbol":"ETHUSDT","isLeverage":0,"side":"Sell","orderType":"Market",'
        b'"qty":"0.1","triggerDirection":2,"triggerPrice":"1000","triggerBy":"MarkPrice","positionIdx":2,'
        b'"takeProfit":"0.00001","stopLoss":"1500","tpTriggerBy":"LastPrice","slTriggerBy":"IndexPrice",'
        b'"reduceOnly":true,"closeOnTrigger":false,"tpslMode":"Partial","tpLimitPrice":"2500.10",'
        b'"slLimitPrice":"1499.9","tpOrderType":"Limit","slOrderType":"Limit"}'
    )
    assert_signed(sent)


def test_option_order_fields(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        PlaceOrderRequest()
        .set_category(Category.OPTION)
        .set_symbol("BTC-29DEC23-10000-P")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.1")
        .set_price("5")
        .set_order_iv("0.1")
        .set_order_link_id("opt-0001")
        .set_mmp(True)
    )
    api.rest(PlaceOrder, request)
    assert server.requests[0].body == (
        b'{"category":"option","symbol":"BTC-29DEC23-10000-P","side":"Buy","orderType":"Limit","qty":"0.1",'
        b'"price":"5","orderIv":"0.1","orderLinkId":"opt-0001","mmp":true}'
    )


def test_bbo_market_slippage_and_rpi_fields(server: RecordingServer, api: BybitAPI) -> None:
    bbo = (
        PlaceOrderRequest()
        .set_category(Category.LINEAR)
        .set_symbol("BTCUSDT")
        .set_side(Side.SELL)
        .set_order_type(OrderType.LIMIT)
        .set_qty("0.01")
        .set_bbo_side_type(BboSideType.COUNTERPARTY)
        .set_bbo_level(BboLevel.LEVEL_2)
        .set_smp_type(SmpType.CANCEL_TAKER)
    )
    market = (
        PlaceOrderRequest()
        .set_category("spot")
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Market")
        .set_qty("200")
        .set_market_unit(MarketUnit.QUOTE_COIN)
        .set_slippage_tolerance_type(SlippageToleranceType.PERCENT)
        .set_slippage_tolerance(Decimal("0.05"))
        .set_rpi_taker_access(True)
        .set_is_leverage(0)
    )
    api.rest(PlaceOrder, bbo)
    api.rest(PlaceOrder, market)
    assert server.requests[0].body == (
        b'{"category":"linear","symbol":"BTCUSDT","side":"Sell","orderType":"Limit","qty":"0.01",'
        b'"smpType":"CancelTaker","bboSideType":"Counterparty","bboLevel":"2"}'
    )
    assert server.requests[1].body == (
        b'{"category":"spot","symbol":"BTCUSDT","isLeverage":0,"side":"Buy","orderType":"Market","qty":"200",'
        b'"marketUnit":"quoteCoin","rpiTakerAccess":true,"slippageToleranceType":"Percent",'
        b'"slippageTolerance":"0.05"}'
    )
    for sent in server.requests:
        assert_signed(sent)
    assert bbo.get_bbo_level() is BboLevel.LEVEL_2
    assert market.is_rpi_taker_access() is True


def test_a_taken_order_link_id_raises_duplicate_order(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope(code=110072, msg="OrderLinkedID is duplicate")))
    with pytest.raises(DuplicateOrderException) as info:
        api.rest(PlaceOrder, limit_buy())
    assert info.value.ret_code == 110072
    assert info.value.path == "/v5/order/create"
    assert len(server.requests) == 1  # a refusal is not retried


def test_getters_return_what_was_set_and_none_otherwise() -> None:
    request = limit_buy()
    assert isinstance(request, IPlaceOrderRequestInterface)
    assert request.get_category() == "linear"
    assert request.get_qty() == Decimal("0.001")
    assert request.get_price() == Decimal("25000.5")
    assert request.get_position_idx() == 0
    assert request.get_trigger_price() is None
    assert request.is_reduce_only() is None


def test_unknown_order_id_code_maps_to_order_not_found(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("order_not_found"))
    with pytest.raises(OrderNotFoundException) as info:
        api.rest(PlaceOrder, limit_buy())
    assert info.value.ret_code == 110001
    assert info.value.ret_msg == "Order does not exist."
    assert info.value.path == "/v5/order/create"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            PlaceOrderRequest(),
            r"PlaceOrderRequest: missing required field\(s\): category, symbol, side, orderType, qty$",
        ),
        (
            PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Market").set_qty(1),
            r"missing required field\(s\): category$",
        ),
        (
            PlaceOrderRequest().set_category("spot").set_symbol("BTCUSDT").set_side("Buy").set_qty(1),
            r"missing required field\(s\): orderType$",
        ),
    ],
)
def test_missing_required_fields_raise_before_sending(
    server: RecordingServer, api: BybitAPI, request_: PlaceOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        api.rest(PlaceOrder, request_)
    assert server.requests == []


@pytest.mark.parametrize(
    ("setter", "value", "message"),
    [
        ("set_qty", "0.1.2", "qty: expected a number"),
        ("set_price", float("nan"), "price: expected a finite number"),
        ("set_position_idx", "1", r"positionIdx: expected one of 0, 1, 2 \(PositionIdx\), got '1'"),
        ("set_reduce_only", 1, "reduceOnly: expected a bool"),
        ("set_rpi_taker_access", "true", "rpiTakerAccess: expected a bool"),
        (
            "set_category",
            5,
            r"category: expected one of 'linear', 'inverse', 'spot', 'option' \(Category\), got 5",
        ),
        ("set_bbo_level", 1, r"bboLevel: expected one of '1', '2', '3', '4', '5' \(BboLevel\), got 1"),
    ],
)
def test_wrong_value_types_are_refused_by_the_setter(setter: str, value: object, message: str) -> None:
    with pytest.raises(SDKException, match=message):
        getattr(PlaceOrderRequest(), setter)(value)
