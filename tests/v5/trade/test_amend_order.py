"""V5 AmendOrder (``POST /v5/order/amend``): wire format, parsing, errors, validation before I/O."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, OrderNotFoundException, SDKException
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.trade.amend_order import (
    AmendOrder,
    AmendOrderRequest,
    AmendOrderResponse,
    IAmendOrderResponseInterface,
)
from tests.support.recording_server import RecordingServer
from tests.v5.conftest import assert_signed, payload_reply


def test_amend_sends_exact_json_body_signed(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("amend_order"))
    request = (
        AmendOrderRequest()
        .set_category(Category.LINEAR)
        .set_symbol("ETHPERP")
        .set_order_link_id("linear-004")
        .set_trigger_price("1145")
        .set_qty(Decimal("0.15"))
        .set_price(1050)
        .set_take_profit(0)  # "0" clears the take profit
        .set_stop_loss("0")
    )
    response = api.rest(AmendOrder, request)

    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == "/v5/order/amend"
    assert sent.body == (
        b'{"category":"linear","symbol":"ETHPERP","orderLinkId":"linear-004","triggerPrice":"1145",'
        b'"qty":"0.15","price":"1050","takeProfit":"0","stopLoss":"0"}'
    )
    assert_signed(sent)

    result = response.get_result()
    assert isinstance(result, AmendOrderResponse)
    assert isinstance(result, IAmendOrderResponseInterface)
    assert result.get_order_id() == "c6f055d9-7f21-4079-913d-e6523a9cfffa"
    assert result.get_order_link_id() == "linear-004"


def test_amend_by_order_id_with_tp_sl_trigger_types(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        AmendOrderRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_order_id("1523347543495541248")
        .set_tpsl_mode("Partial")
        .set_take_profit("31000")
        .set_tp_trigger_by("MarkPrice")
        .set_tp_limit_price("30990.5")
    )
    api.rest(AmendOrder, request)
    assert server.requests[0].body == (
        b'{"category":"linear","symbol":"BTCUSDT","orderId":"1523347543495541248","tpslMode":"Partial",'
        b'"takeProfit":"31000","tpTriggerBy":"MarkPrice","tpLimitPrice":"30990.5"}'
    )


def test_amend_of_unknown_order_raises_order_not_found(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("order_not_found"))
    request = AmendOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id("nope")
    with pytest.raises(OrderNotFoundException) as info:
        api.rest(AmendOrder, request)
    assert info.value.ret_code == 110001
    assert info.value.ret_msg == "Order does not exist."
    assert info.value.method == "POST"
    assert info.value.path == "/v5/order/amend"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            AmendOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_price("1"),
            "AmendOrderRequest: one of orderId / orderLinkId is required$",
        ),
        (
            AmendOrderRequest().set_symbol("BTCUSDT").set_order_id("x"),
            r"missing required field\(s\): category$",
        ),
        (
            AmendOrderRequest(),
            r"missing required field\(s\): category, symbol; one of orderId / orderLinkId is required$",
        ),
    ],
)
def test_invalid_amend_raises_before_sending(
    server: RecordingServer, api: BybitAPI, request_: AmendOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        api.rest(AmendOrder, request_)
    assert server.requests == []
