"""Contract → Order → Replace Order: ``POST /contract/v3/private/order/replace``."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.order.replace_order import (
    IReplaceOrderResponseInterface,
    ReplaceOrder,
    ReplaceOrderRequest,
)
from tests.derivatives.harness import assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/order/replace"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = ReplaceOrderRequest().set_symbol("BTCUSDT").set_order_link_id("e80d558e-ed").set_qty("0.01")
    response, _ = call(server, ReplaceOrder, request, payload("Contract.Order.ReplaceOrder"))
    assert response.get_time() is None
    result = response.get_result()
    assert isinstance(result, IReplaceOrderResponseInterface)
    assert result.get_order_id() == "1a1ae001-2034-4a6b-8b25-45aa9100b1ec"
    assert result.get_order_link_id() == "e80d558e-ed"


def test_wire_every_field(server: RecordingServer) -> None:
    request = (
        ReplaceOrderRequest()
        .set_tp_limit_price("30990")
        .set_trigger_by("MarkPrice")
        .set_sl_trigger_by("IndexPrice")
        .set_tp_trigger_by("LastPrice")
        .set_stop_loss(Decimal("27000"))
        .set_take_profit(31000)
        .set_trigger_price("28100.5")
        .set_qty(0.02)
        .set_price(Decimal("28050.00"))
        .set_order_link_id("e80d558e-ed")
        .set_order_id("1a1ae001-2034-4a6b-8b25-45aa9100b1ec")
        .set_symbol("BTCUSDT")
    )
    _, sent = call(server, ReplaceOrder, request)
    assert_post(
        sent,
        PATH,
        b'{"symbol":"BTCUSDT","orderId":"1a1ae001-2034-4a6b-8b25-45aa9100b1ec","orderLinkId":"e80d558e-ed",'
        b'"price":"28050.00","qty":"0.02","triggerPrice":"28100.5","takeProfit":"31000","stopLoss":"27000",'
        b'"tpTriggerBy":"LastPrice","slTriggerBy":"IndexPrice","triggerBy":"MarkPrice","tpLimitPrice":"30990"}',
    )
    assert_signed(sent)


def test_wire_by_order_link_id_only(server: RecordingServer) -> None:
    request = ReplaceOrderRequest().set_symbol("BTCUSDT").set_order_link_id("e80d558e-ed").set_price("28000")
    _, sent = call(server, ReplaceOrder, request)
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","orderLinkId":"e80d558e-ed","price":"28000"}')
    assert_signed(sent)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            ReplaceOrderRequest().set_price(1),
            r"^ReplaceOrderRequest: missing required field\(s\): symbol; one of orderId / orderLinkId is required$",
        ),
        (ReplaceOrderRequest().set_symbol("BTCUSDT").set_qty(1), "one of orderId / orderLinkId is required$"),
    ],
)
def test_symbol_and_an_order_id_are_required_before_sending(
    server: RecordingServer, request_: ReplaceOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        call(server, ReplaceOrder, request_)
    assert server.requests == []
