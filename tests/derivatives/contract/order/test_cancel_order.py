"""Contract → Order → Cancel Order: ``POST /contract/v3/private/order/cancel`` (the seed endpoint;
tests/core/test_cancel_order_wire.py covers the pipeline around it)."""

from __future__ import annotations

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.order.cancel_order import (
    CancelOrder,
    CancelOrderRequest,
    ICancelOrderResponseInterface,
)
from tests.derivatives.harness import assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/order/cancel"


def test_parses_the_captured_payload_without_time_or_ext_info(server: RecordingServer) -> None:
    request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("4c51a45f-7795-4b38-9b66-3c306b73f112")
    response, _ = call(server, CancelOrder, request, payload("Contract.Order.CancelOrder"))
    # the captured envelope has neither "time" nor "retExtInfo"
    assert response.get_time() is None
    assert response.get_extended_info() == {}
    result = response.get_result()
    assert isinstance(result, ICancelOrderResponseInterface)
    assert result.get_order_id() == "4c51a45f-7795-4b38-9b66-3c306b73f112"
    assert result.get_order_link_id() == "e80d558e-ed"


def test_wire_by_order_id(server: RecordingServer) -> None:
    request = CancelOrderRequest().set_order_id("4c51a45f-7795-4b38-9b66-3c306b73f112").set_symbol("BTCUSDT")
    _, sent = call(server, CancelOrder, request)
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","orderId":"4c51a45f-7795-4b38-9b66-3c306b73f112"}')
    assert_signed(sent)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (CancelOrderRequest().set_order_link_id("e80d558e-ed"), r"missing required field\(s\): symbol$"),
        (CancelOrderRequest().set_symbol("BTCUSDT"), "one of orderId / orderLinkId is required$"),
    ],
)
def test_php_defects_not_ported_symbol_and_an_order_id_are_required(
    server: RecordingServer, request_: CancelOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        call(server, CancelOrder, request_)
    assert server.requests == []
