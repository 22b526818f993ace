"""V5 CancelOrder (``POST /v5/order/cancel``): wire format, parsing, errors, validation before I/O."""

from __future__ import annotations

import pytest

from carpenstar_bybit import BybitAPI, OrderNotFoundException, SDKException
from carpenstar_bybit.derivatives.contract.order.cancel_order import (
    CancelOrderRequest as V3CancelOrderRequest,
)
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.trade.cancel_order import (
    CancelOrder,
    CancelOrderRequest,
    CancelOrderResponse,
    ICancelOrderRequestInterface,
    ICancelOrderResponseInterface,
)
from tests.support.recording_server import RecordingServer
from tests.v5.conftest import assert_signed, payload_reply

ORDER_ID = "c6f055d9-7f21-4079-913d-e6523a9cfffa"


def cancel_request() -> CancelOrderRequest:
    return CancelOrderRequest().set_category(Category.LINEAR).set_symbol("BTCPERP").set_order_id(ORDER_ID)


def test_cancel_sends_exact_json_body_signed(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("cancel_order"))
    response = api.private_endpoint(CancelOrder, cancel_request()).execute()

    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == "/v5/order/cancel"
    assert (
        sent.body
        == b'{"category":"linear","symbol":"BTCPERP","orderId":"c6f055d9-7f21-4079-913d-e6523a9cfffa"}'
    )
    assert sent.headers["Content-Length"] == str(len(sent.body))
    assert_signed(sent)

    result = response.get_result()
    assert isinstance(result, CancelOrderResponse)
    assert isinstance(result, ICancelOrderResponseInterface)
    assert result.get_order_id() == ORDER_ID
    assert result.get_order_link_id() == ""
    assert result.to_dict() == {"order_id": ORDER_ID, "order_link_id": ""}


def test_cancel_by_order_link_id_of_a_spot_stop_order(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        CancelOrderRequest()
        .set_order_filter("StopOrder")
        .set_order_link_id("spot-sl-1")
        .set_symbol("BTCUSDT")
        .set_category("spot")
    )
    assert isinstance(request, ICancelOrderRequestInterface)
    api.rest(CancelOrder, request)
    # fields go out in the order Bybit documents them, whatever order they were set in
    assert server.requests[0].body == (
        b'{"category":"spot","symbol":"BTCUSDT","orderLinkId":"spot-sl-1","orderFilter":"StopOrder"}'
    )
    assert_signed(server.requests[0])


def test_cancel_of_unknown_order_raises_order_not_found(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("order_not_found"))
    with pytest.raises(OrderNotFoundException) as info:
        api.rest(CancelOrder, cancel_request())
    error = info.value
    assert error.ret_code == 110001
    assert error.ret_msg == "Order does not exist."
    assert error.http_status == 200
    assert error.path == "/v5/order/cancel"
    assert str(error) == "[110001] Order does not exist. (POST /v5/order/cancel, HTTP 200)"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(ORDER_ID),
            r"CancelOrderRequest: missing required field\(s\): category$",
        ),
        (
            CancelOrderRequest().set_category("linear").set_order_id(ORDER_ID),
            r"missing required field\(s\): symbol$",
        ),
        (
            CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT"),
            "one of orderId / orderLinkId is required$",
        ),
        (
            CancelOrderRequest(),
            r"missing required field\(s\): category, symbol; one of orderId / orderLinkId is required$",
        ),
    ],
)
def test_invalid_cancel_raises_before_sending(
    server: RecordingServer, api: BybitAPI, request_: CancelOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        api.rest(CancelOrder, request_)
    assert server.requests == []


def test_a_v3_request_is_refused_by_the_v5_endpoint(server: RecordingServer, api: BybitAPI) -> None:
    v3 = V3CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(ORDER_ID)
    # Same class names, different classes: the factory checks the class, not the name.
    with pytest.raises(
        SDKException,
        match=r"^CancelOrder takes a carpenstar_bybit\.v5\.trade\.cancel_order\.request\.CancelOrderRequest, got carpenstar_bybit\.derivatives",
    ):
        api.rest(CancelOrder, v3)  # type: ignore[misc]
    assert server.requests == []
