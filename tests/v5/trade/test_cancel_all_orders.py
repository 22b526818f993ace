"""V5 CancelAllOrders (``POST /v5/order/cancel-all``): wire format, list parsing, errors, validation."""

from __future__ import annotations

import pytest

from carpenstar_bybit import BybitAPI, EnumOutputMode, InvalidParameterException, SDKException
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.trade.cancel_all_orders import (
    CancelAllOrders,
    CancelAllOrdersRequest,
    CancelAllOrdersResponse,
    ICancelAllOrdersResponseInterface,
)
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, docs_payload_bytes, payload_reply


def test_cancel_all_by_settle_coin_sends_exact_body(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("cancel_all_orders"))
    request = CancelAllOrdersRequest().set_category(Category.LINEAR).set_settle_coin("USDT")
    response = api.rest(CancelAllOrders, request)

    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == "/v5/order/cancel-all"
    assert sent.body == b'{"category":"linear","settleCoin":"USDT"}'
    assert_signed(sent)

    body = response.get_body()
    assert len(body) == 2
    first, second = body.all()
    assert isinstance(first, CancelAllOrdersResponse)
    assert isinstance(first, ICancelAllOrdersResponseInterface)
    assert (first.get_order_id(), first.get_order_link_id()) == ("1616024329462743808", "1616024329462743809")
    assert (second.get_order_id(), second.get_order_link_id()) == ("1616024287544869632", "")
    assert response.get_result() == first
    assert response.get_next_page_cursor() is None


def test_cancel_all_conditional_orders_of_a_symbol(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        CancelAllOrdersRequest()
        .set_category("inverse")
        .set_symbol("BTCUSD")
        .set_order_filter("StopOrder")
        .set_stop_order_type("Stop")
    )
    api.rest(CancelAllOrders, request)
    assert server.requests[0].body == (
        b'{"category":"inverse","symbol":"BTCUSD","orderFilter":"StopOrder","stopOrderType":"Stop"}'
    )


def test_spot_and_option_need_only_the_category(server: RecordingServer, api: BybitAPI) -> None:
    api.rest(CancelAllOrders, CancelAllOrdersRequest().set_category("option"))
    assert server.requests[0].body == b'{"category":"option"}'
    assert_signed(server.requests[0])


def test_nothing_to_cancel_is_an_empty_body(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope({"list": [], "success": "1"})))
    response = api.rest(CancelAllOrders, CancelAllOrdersRequest().set_category("spot"))
    assert response.get_body().count() == 0
    assert response.get_result() is None


def test_array_mode_returns_the_list_items_as_dicts(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(payload_reply("cancel_all_orders"))
    request = CancelAllOrdersRequest().set_category("linear").set_base_coin("BTC")
    response = api.rest(CancelAllOrders, request, EnumOutputMode.MODE_ARRAY)
    assert response.get_body().all() == [
        {"orderId": "1616024329462743808", "orderLinkId": "1616024329462743809"},
        {"orderId": "1616024287544869632", "orderLinkId": ""},
    ]
    assert server.requests[0].body == b'{"category":"linear","baseCoin":"BTC"}'


def test_parameter_error_from_the_exchange(server: RecordingServer, api: BybitAPI) -> None:
    # a rule the SDK does not know (an unknown settle coin): the exchange's 10001 is mapped
    server.reply(Reply(envelope(code=10001, msg="params error: settleCoin is invalid")))
    with pytest.raises(InvalidParameterException) as info:
        api.rest(CancelAllOrders, CancelAllOrdersRequest().set_category("linear").set_settle_coin("XYZ"))
    assert info.value.ret_code == 10001
    assert info.value.ret_msg == "params error: settleCoin is invalid"


def test_missing_category_raises_before_sending(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"CancelAllOrdersRequest: missing required field\(s\): category$"):
        api.rest(CancelAllOrders, CancelAllOrdersRequest().set_symbol("BTCUSDT"))
    assert server.requests == []


def test_success_flag_of_the_result(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(
        Reply(docs_payload_bytes("cancel_all_orders")),
        Reply(envelope({"list": [], "success": "0"})),
        Reply(envelope({"list": []})),  # UTA 1.0 inverse: no success field
    )
    request = CancelAllOrdersRequest().set_category(Category.LINEAR).set_settle_coin("USDT")
    done = api.rest(CancelAllOrders, request)
    failed = api.rest(CancelAllOrders, request)
    silent = api.rest(CancelAllOrders, request)
    assert done.get_list_info().is_success() is True
    assert [o.get_order_id() for o in done.get_body()] == ["1616024329462743808", "1616024287544869632"]
    assert failed.get_list_info().is_success() is False
    assert failed.get_result() is None
    assert silent.get_list_info().is_success() is None
