"""Cancel Order end to end over real HTTP on loopback: the exact request, the signature, the result,
the errors, and what must never be sent."""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal

import pytest

from carpenstar_bybit import (
    BybitAPI,
    EnumOutputMode,
    OrderNotFoundException,
    SDKException,
)
from carpenstar_bybit.derivatives.contract.order.cancel_order import (
    CancelOrder,
    CancelOrderRequest,
    CancelOrderResponse,
    ICancelOrderResponseInterface,
)
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope

ORDER_ID = "4c51a45f-7795-4b38-9b66-3c306b73f112"
CANCEL_RESULT = {"orderId": ORDER_ID, "orderLinkId": "e80d558e-ed"}


def cancel_request() -> CancelOrderRequest:
    return CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(ORDER_ID)


def test_cancel_sends_exact_bytes_and_a_signature_the_server_accepts(server: RecordingServer) -> None:
    server.reply(Reply(envelope(CANCEL_RESULT)))
    before = time.time_ns() // 1_000_000
    response = BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, cancel_request())
    after = time.time_ns() // 1_000_000

    (sent,) = server.requests
    assert sent.method == "POST"
    assert sent.target == "/contract/v3/private/order/cancel"
    assert sent.body == b'{"symbol":"BTCUSDT","orderId":"4c51a45f-7795-4b38-9b66-3c306b73f112"}'
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Content-Length"] == str(len(sent.body))
    assert sent.headers["X-BAPI-API-KEY"] == API_KEY
    assert sent.headers["X-BAPI-RECV-WINDOW"] == "5000"
    assert sent.headers["X-BAPI-SIGN-TYPE"] == "2"
    assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)
    timestamp = int(sent.headers["X-BAPI-TIMESTAMP"])
    assert before <= timestamp <= after  # milliseconds, taken just before sending
    assert sent.received_ms - 5000 <= timestamp < sent.received_ms + 1000  # the exchange's window

    result = response.get_result()
    assert isinstance(result, CancelOrderResponse)
    assert isinstance(result, ICancelOrderResponseInterface)
    assert result.get_order_id() == ORDER_ID
    assert result.get_order_link_id() == "e80d558e-ed"
    assert response.get_return_code() == 0
    assert response.get_return_message() == "OK"
    assert response.get_body().count() == 1


def test_order_link_id_alone_is_enough_and_is_sent_in_declaration_order(server: RecordingServer) -> None:
    request = CancelOrderRequest().set_order_link_id("my-id-1").set_symbol("BTCUSD")
    BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, request)
    assert server.requests[0].body == b'{"symbol":"BTCUSD","orderLinkId":"my-id-1"}'


@pytest.mark.parametrize(
    ("code", "message"), [(110001, "Order does not exist"), (140001, "Order does not exist.")]
)
def test_not_found_codes_raise_order_not_found_with_code_and_message(
    server: RecordingServer, code: int, message: str
) -> None:
    server.reply(Reply(envelope(code=code, msg=message)))
    with pytest.raises(OrderNotFoundException) as info:
        BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, cancel_request())
    error = info.value
    assert error.ret_code == code
    assert error.ret_msg == message
    assert error.http_status == 200
    assert error.method == "POST"
    assert error.path == "/contract/v3/private/order/cancel"
    assert str(error) == f"[{code}] {message} (POST /contract/v3/private/order/cancel, HTTP 200)"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (CancelOrderRequest().set_order_id(ORDER_ID), "missing required field\\(s\\): symbol"),
        (CancelOrderRequest().set_symbol("BTCUSDT"), "one of orderId / orderLinkId is required"),
        (CancelOrderRequest(), "missing required field\\(s\\): symbol; one of orderId / orderLinkId"),
    ],
)
def test_invalid_cancel_raises_before_sending(
    server: RecordingServer, request_: CancelOrderRequest, message: str
) -> None:
    with pytest.raises(SDKException, match=message):
        BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, request_)
    assert server.requests == []


def test_request_of_another_endpoint_is_refused_before_sending(server: RecordingServer) -> None:
    wrong = PlaceOrderRequest().set_symbol("BTCUSDT")
    with pytest.raises(SDKException, match="CancelOrder takes a CancelOrderRequest, got PlaceOrderRequest"):
        BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, wrong)  # type: ignore[arg-type]
    assert server.requests == []


def test_not_an_endpoint_class_is_refused(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match="is not an endpoint class"):
        BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrderRequest, cancel_request())  # type: ignore[arg-type]
    assert server.requests == []


def test_private_call_without_credentials_raises_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match="private endpoint: set an API key and secret"):
        BybitAPI(server.url).rest(CancelOrder, cancel_request())
    with pytest.raises(SDKException, match="needs host, api_key and secret"):
        BybitAPI().private_endpoint(CancelOrder, cancel_request())
    with pytest.raises(SDKException, match="no host set"):
        BybitAPI().rest(CancelOrder, cancel_request())
    assert server.requests == []


def test_php_5x_style_fluent_credentials_and_execute(server: RecordingServer) -> None:
    server.reply(Reply(envelope(CANCEL_RESULT)))
    api = BybitAPI().set_credentials(server.url, API_KEY, SECRET)
    response = api.private_endpoint(CancelOrder, cancel_request()).execute()
    result = response.get_result()
    assert result is not None
    assert result.get_order_id() == ORDER_ID
    assert server.requests[0].headers["X-BAPI-SIGN"] == server.requests[0].expected_signature(SECRET)


def test_public_endpoint_refuses_a_private_one(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match="CancelOrder is a private endpoint: use private_endpoint"):
        BybitAPI(server.url, API_KEY, SECRET).public_endpoint(CancelOrder, cancel_request())  # type: ignore[arg-type]


def test_two_clients_with_different_keys_never_mix(server: RecordingServer) -> None:
    alice = BybitAPI(server.url, "alice-key-0001", "alice-secret")
    bob = BybitAPI(server.url, "bob-key-00002", "bob-secret")
    errors: list[BaseException] = []

    def run(api: BybitAPI, n: int) -> None:
        try:
            for _ in range(n):
                api.rest(CancelOrder, cancel_request())
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(api, 15)) for api in (alice, bob, alice, bob)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    assert len(server.requests) == 60
    secrets = {"alice-key-0001": "alice-secret", "bob-key-00002": "bob-secret"}
    for sent in server.requests:
        assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(secrets[sent.headers["X-BAPI-API-KEY"]])
    assert sum(r.headers["X-BAPI-API-KEY"] == "alice-key-0001" for r in server.requests) == 30


def test_repeated_calls_reuse_one_keep_alive_connection(server: RecordingServer) -> None:
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        for _ in range(5):
            api.rest(CancelOrder, cancel_request())
    assert len(server.requests) == 5
    assert {r.connection_id for r in server.requests} == {1}
    assert server.connections == 1


def test_array_and_json_output_modes(server: RecordingServer) -> None:
    body = envelope(CANCEL_RESULT)
    server.reply(Reply(body), Reply(body))
    api = BybitAPI(server.url, API_KEY, SECRET)
    as_array = api.rest(CancelOrder, cancel_request(), EnumOutputMode.MODE_ARRAY)
    assert as_array.get_body().all() == [CANCEL_RESULT]
    as_json = api.rest(CancelOrder, cancel_request(), EnumOutputMode.MODE_JSON)
    assert json.loads(as_json.get_body().all()[0]) == body


def test_recv_window_option_is_sent_and_signed(server: RecordingServer) -> None:
    BybitAPI(server.url, API_KEY, SECRET, recv_window=20000).rest(CancelOrder, cancel_request())
    sent = server.requests[0]
    assert sent.headers["X-BAPI-RECV-WINDOW"] == "20000"
    assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)


def test_get_request_signs_the_exact_query_string(server: RecordingServer) -> None:
    from carpenstar_bybit.derivatives.contract.order.get_open_orders import (
        GetOpenOrders,
        GetOpenOrdersRequest,
    )

    request = GetOpenOrdersRequest().set_symbol("BTCUSDT").set_order_link_id("a b&c")
    BybitAPI(server.url, API_KEY, SECRET).rest(GetOpenOrders, request)
    sent = server.requests[0]
    assert sent.method == "GET"
    assert (
        sent.target
        == "/contract/v3/private/order/unfilled-orders?symbol=BTCUSDT&orderLinkId=a+b%26c&limit=20"
    )
    assert sent.body == b""
    assert "Content-Type" not in sent.headers
    assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)


def test_decimal_values_of_results_are_exact(server: RecordingServer) -> None:
    from carpenstar_bybit.derivatives.contract.account.get_trading_fee_rate import GetTradingFeeRate

    server.reply(
        Reply(envelope({"list": [{"symbol": "ETHUSDT", "takerFeeRate": "0.0006", "makerFeeRate": 0.0001}]}))
    )
    result = BybitAPI(server.url, API_KEY, SECRET).rest(GetTradingFeeRate).get_result()
    assert result is not None
    assert result.get_taker_fee_rate() == Decimal("0.0006")
    assert str(result.get_maker_fee_rate()) == "0.0001"
