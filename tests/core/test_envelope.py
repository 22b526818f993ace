"""The envelope variants Bybit really sends, and answers that are not envelopes."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest

from carpenstar_bybit import (
    NO_RETRY,
    ApiException,
    AuthenticationException,
    BybitAPI,
    InvalidParameterException,
    RateLimitException,
    ResponseFormatException,
    ServerException,
    TimestampException,
    TransportException,
)
from carpenstar_bybit.core.exceptions import (
    V3_CODES,
    V5_CODES,
    DuplicateOrderException,
    InsufficientBalanceException,
    OrderNotFoundException,
    exception_for_code,
)
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply

REQUEST = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
RESULT = {"orderId": "o-1", "orderLinkId": ""}


def call(server: RecordingServer, reply: Reply) -> Any:
    server.reply(reply)
    return BybitAPI(server.url, API_KEY, SECRET, retry=NO_RETRY).rest(CancelOrder, REQUEST)


@pytest.mark.parametrize(
    "body",
    [
        {"retCode": 0, "retMsg": "OK", "result": RESULT, "retExtInfo": {}, "time": 1671017658012},
        {"retCode": 0, "retMsg": "success", "result": RESULT, "retExtInfo": None, "time": 1671017658012},
        {"retCode": 0, "retMsg": "OK", "result": RESULT, "time": 1671017658012, "newKey": [1, 2], "x": None},
        {"retCode": 0, "retMsg": "OK", "result": RESULT, "retExtInfo": {}, "time": "1671017658012"},
    ],
)
def test_envelope_variants_parse(server: RecordingServer, body: dict[str, Any]) -> None:
    response = call(server, Reply(body))
    assert response.get_return_code() == 0
    assert response.get_return_message() == body["retMsg"]
    assert response.get_extended_info() == {}
    assert response.get_time() == datetime(2022, 12, 14, 11, 34, 18, 12000, tzinfo=timezone.utc)
    assert response.get_next_page_cursor() is None
    assert response.get_result().get_order_id() == "o-1"
    assert response.get_result().get_order_link_id() == ""


def test_empty_result_gives_an_empty_body_and_no_result(server: RecordingServer) -> None:
    response = call(server, Reply({"retCode": 0, "retMsg": "OK", "result": {}, "retExtInfo": {}, "time": 1}))
    assert len(response.get_body()) == 0
    assert response.get_result() is None
    assert response.get_body().fetch() is None


def test_rate_limit_headers_are_parsed(server: RecordingServer) -> None:
    headers = {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "9",
        "X-Bapi-Limit-Reset-Timestamp": "1671017658999",
    }
    response = call(server, Reply({"retCode": 0, "retMsg": "OK", "result": RESULT}, headers=headers))
    limit = response.get_rate_limit()
    assert limit is not None
    assert (limit.limit, limit.remaining) == (10, 9)
    assert limit.reset_at == datetime(2022, 12, 14, 11, 34, 18, 999000, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("code", "cls"),
    [
        (10001, InvalidParameterException),
        (10002, TimestampException),
        (10003, AuthenticationException),
        (10004, AuthenticationException),
        (10006, RateLimitException),
        (10016, ServerException),
        (170213, OrderNotFoundException),
        (33004, ApiException),
    ],
)
def test_codes_map_to_their_classes(server: RecordingServer, code: int, cls: type[ApiException]) -> None:
    headers = {
        "X-Bapi-Limit": "10",
        "X-Bapi-Limit-Status": "0",
        "X-Bapi-Limit-Reset-Timestamp": "1671017659000",
    }
    body = {
        "retCode": code,
        "retMsg": "problem",
        "result": {},
        "retExtInfo": {"k": "v"},
        "time": 1671017658012,
    }
    with pytest.raises(ApiException) as info:
        call(server, Reply(body, headers=headers))
    assert type(info.value) is cls
    assert info.value.ret_code == code
    assert info.value.ret_ext_info == {"k": "v"}
    assert info.value.rate_limit is not None
    assert info.value.rate_limit.remaining == 0
    assert info.value.retryable is (cls in (TimestampException, RateLimitException, ServerException))


def test_code_tables_hold_the_codes_of_the_design() -> None:
    design: dict[type[ApiException], set[int]] = {
        AuthenticationException: {10003, 10004, 10005, 10007, 10009, 10010},
        TimestampException: {10002},
        RateLimitException: {10006, 10018},
        InvalidParameterException: {10001},
        ServerException: {10000, 10016},
    }
    v3_only = {OrderNotFoundException: {110001, 140001, 20001, 30034, 170213}}
    v5_only = {
        OrderNotFoundException: {110001, 170213},
        DuplicateOrderException: {110072, 10014},
        InsufficientBalanceException: {110004, 110006, 110007, 110012, 170131},
    }
    for table, extra in ((V3_CODES, v3_only), (V5_CODES, v5_only)):
        for cls, codes in [*design.items(), *extra.items()]:
            for code in codes:
                assert table[code].exception is cls, (code, cls)
    # V5 reuses V3 numbers with other meanings: each family reads its own table.
    assert exception_for_code(140001, "v3") is OrderNotFoundException
    assert exception_for_code(140001, "v5") is ApiException
    assert exception_for_code(110017, "v5") is InvalidParameterException
    assert exception_for_code(110017, "v3") is ApiException
    assert exception_for_code(99999) is ApiException
    assert exception_for_code(99999, "v5") is ApiException


def test_html_403_of_a_cdn_block_is_a_rate_limit_error_with_a_hint(server: RecordingServer) -> None:
    page = "<html><head><title>403 Forbidden</title></head><body>The request could not be satisfied.</body></html>"
    with pytest.raises(RateLimitException) as info:
        call(server, Reply(page, status=403, content_type="text/html"))
    assert info.value.http_status == 403
    assert info.value.ret_code is None
    assert "blocks an IP" in str(info.value)
    assert "403 Forbidden" in info.value.ret_msg


def test_server_error_page_is_a_transport_error_with_status_and_excerpt(server: RecordingServer) -> None:
    with pytest.raises(TransportException) as info:
        call(server, Reply("<h1>502 Bad Gateway</h1>", status=502, content_type="text/html"))
    assert info.value.http_status == 502
    assert info.value.body_excerpt == "<h1>502 Bad Gateway</h1>"
    assert str(info.value) == (
        "unexpected HTTP status (POST /contract/v3/private/order/cancel) HTTP 502 body: '<h1>502 Bad Gateway</h1>'"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "got a non-JSON body"),
        (b"[1, 2]", "JSON that is not an object"),
        (b'{"retCode": 0, "result": [1]}', "expected 'result' to be an object"),
        (b'{"retCode": "x", "result": {}}', "retCode must be an integer"),
        (b'{"retCode": 0, "result": {"orderId": {"a": 1}}}', "CancelOrderResponse: expected a string"),
    ],
)
def test_malformed_bodies_raise_the_sdks_own_exception(
    server: RecordingServer, body: bytes, message: str
) -> None:
    with pytest.raises(ResponseFormatException, match=message):
        call(server, Reply(body))


def test_redirects_are_not_followed_with_signed_headers(server: RecordingServer) -> None:
    with pytest.raises(TransportException) as info:
        call(server, Reply(b"", status=302, headers={"Location": "http://127.0.0.1:1/elsewhere"}))
    assert info.value.http_status == 302
    assert len(server.requests) == 1


def test_error_message_echoing_the_key_is_redacted(server: RecordingServer) -> None:
    echoed = f"error sign! origin_string[1658384314791{API_KEY}5000{{...}}] sign={'ab' * 32}"
    with pytest.raises(AuthenticationException) as info:
        call(server, Reply({"retCode": 10004, "retMsg": echoed, "result": {}}))
    assert API_KEY not in str(info.value)
    assert "ab" * 32 not in str(info.value)
    assert info.value.ret_msg == "error sign! origin_string[1658384314791<redacted>5000{...}] sign=<redacted>"
