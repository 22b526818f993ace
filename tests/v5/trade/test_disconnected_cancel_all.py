"""V5 SetDisconnectCancelAll (``POST /v5/order/disconnected-cancel-all``): the DCP window."""

from __future__ import annotations

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import DcpProduct
from carpenstar_bybit.v5.trade.disconnected_cancel_all import (
    ISetDisconnectCancelAllRequestInterface,
    SetDisconnectCancelAll,
    SetDisconnectCancelAllRequest,
)
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import assert_signed, docs_payload_bytes


def test_window_only_as_in_the_docs(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("disconnected_cancel_all")))
    request = SetDisconnectCancelAllRequest().set_time_window(40)
    assert isinstance(request, ISetDisconnectCancelAllRequestInterface)
    response = api.rest(SetDisconnectCancelAll, request)
    (sent,) = server.requests
    assert sent.body == b'{"timeWindow":40}'
    assert_signed(sent)
    assert response.get_return_message() == "success"
    assert response.get_result() is None  # the answer has no result
    assert response.get_time() is None


def test_product_and_window_are_checked_before_sending(server: RecordingServer, api: BybitAPI) -> None:
    assert SetDisconnectCancelAllRequest().set_product("SPOT").get_product() is DcpProduct.SPOT
    with pytest.raises(SDKException, match="product: expected one of 'OPTIONS', 'DERIVATIVES', 'SPOT'"):
        SetDisconnectCancelAllRequest().set_product("FUTURES")
    with pytest.raises(SDKException, match="timeWindow: expected an int"):
        SetDisconnectCancelAllRequest().set_time_window("40")  # type: ignore[arg-type]
    with pytest.raises(SDKException, match=r"missing required field\(s\): timeWindow$"):
        api.rest(SetDisconnectCancelAll, SetDisconnectCancelAllRequest().set_product(DcpProduct.OPTIONS))
    assert server.requests == []


def test_a_setting_is_safe_to_resend() -> None:
    assert SetDisconnectCancelAll.is_idempotent(SetDisconnectCancelAllRequest().set_time_window(10))
