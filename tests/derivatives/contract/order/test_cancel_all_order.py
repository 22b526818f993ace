"""Contract → Order → Cancel All Order: ``POST /contract/v3/private/order/cancel-all``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.order.cancel_all_order import (
    CancelAllOrder,
    CancelAllOrderRequest,
    CancelAllOrderResponse,
)
from tests.derivatives.harness import UTC, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/order/cancel-all"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = CancelAllOrderRequest().set_symbol("ETHUSDT")
    response, _ = call(server, CancelAllOrder, request, payload("Contract.Order.CancelAllOrder"))
    assert response.get_time() == datetime(2023, 1, 4, 5, 33, 8, 787000, tzinfo=UTC)
    assert response.get_extended_info() == {"list": [{"code": 0, "msg": "success"}]}
    (cancelled,) = response.get_body()
    assert isinstance(cancelled, CancelAllOrderResponse)
    assert cancelled.get_order_id() == "6cba55ea-6996-44f5-bd0f-ac09ffda4ab1"
    assert cancelled.get_order_link_id() == "liang-001"


@pytest.mark.parametrize(
    ("request_", "body"),
    [
        (CancelAllOrderRequest().set_symbol("ETHUSDT"), b'{"symbol":"ETHUSDT"}'),
        (CancelAllOrderRequest().set_base_coin("BTC"), b'{"baseCoin":"BTC"}'),
        (CancelAllOrderRequest().set_settle_coin("USDT"), b'{"settleCoin":"USDT"}'),
        (
            CancelAllOrderRequest().set_settle_coin("USDT").set_base_coin("ETH").set_symbol("ETHUSDT"),
            b'{"symbol":"ETHUSDT","baseCoin":"ETH","settleCoin":"USDT"}',
        ),
    ],
)
def test_wire_sends_only_the_fields_set_in_declaration_order(
    server: RecordingServer, request_: CancelAllOrderRequest, body: bytes
) -> None:
    _, sent = call(server, CancelAllOrder, request_)
    assert_post(sent, PATH, body)
    assert_signed(sent)


def test_php_defect_not_ported_one_of_symbol_base_coin_settle_coin_is_required(
    server: RecordingServer,
) -> None:
    # PHP sent an empty cancel-all; the exchange requires one of the three
    with pytest.raises(SDKException, match="one of symbol / baseCoin / settleCoin is required"):
        call(server, CancelAllOrder, CancelAllOrderRequest())
    assert server.requests == []
