"""Error mapping of every endpoint: an answer with ``retCode != 0`` raises the exception class of the
one code table, carrying the code, the message, the endpoint's method and path and the HTTP status;
an IP block (HTTP 403 with an HTML page) raises ``RateLimitException``. The PHP 3.0.5 facade swallowed
these; the port raises them."""

from __future__ import annotations

import pytest

from carpenstar_bybit import (
    NO_RETRY,
    ApiException,
    AuthenticationException,
    BybitAPI,
    DuplicateOrderException,
    InsufficientBalanceException,
    InvalidParameterException,
    OrderNotFoundException,
    RateLimitException,
    ServerException,
    TimestampException,
)
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import ENDPOINTS, SpecEndpoint, valid_request
from tests.support.recording_server import RecordingServer, Reply, envelope

CODES: list[tuple[int, str, type[ApiException]]] = [
    (10001, "params error: symbol invalid", InvalidParameterException),
    (10002, "invalid request, please check your server timestamp or recv_window param", TimestampException),
    (10003, "API key is invalid.", AuthenticationException),
    (10004, "error sign! origin_string[...]", AuthenticationException),
    (10006, "Too many visits!", RateLimitException),
    (10016, "Server Error", ServerException),
    (110001, "order not exists or too late to cancel", OrderNotFoundException),
    (140001, "Order does not exist", OrderNotFoundException),
    (10014, "Request is duplicate", DuplicateOrderException),
    (140007, "Insufficient available balance", InsufficientBalanceException),
    (33004, "Your api key has expired", ApiException),  # a V5 code, not a V3 one
    (130021, "order cost not available", ApiException),  # a code outside the table: the base class
]


@pytest.mark.parametrize("spec", ENDPOINTS, ids=str)
def test_every_ret_code_family_maps_to_its_exception(spec: SpecEndpoint, server: RecordingServer) -> None:
    endpoint = spec.endpoint()
    with BybitAPI(server.url, API_KEY, SECRET, retry=NO_RETRY) as api:
        for code, message, exception in CODES:
            server.reply(Reply(envelope(code=code, msg=message, retExtInfo={"list": []}, time=1672810388787)))
            with pytest.raises(ApiException) as info:
                api.rest(endpoint, valid_request(spec))
            error = info.value
            assert type(error) is exception
            assert error.ret_code == code
            assert error.ret_msg == message
            assert error.ret_ext_info == {"list": []}
            assert error.method == spec.method
            assert error.path == spec.url
            assert error.http_status == 200
            assert str(error).startswith(f"[{code}] {message} ({spec.method} {spec.url}, HTTP 200)")
    assert len(server.requests) == len(CODES)  # each sent exactly once


@pytest.mark.parametrize("spec", ENDPOINTS, ids=str)
def test_an_ip_block_is_a_rate_limit_error_and_is_not_retried(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    server.reply(Reply("<html><body>403 Forbidden</body></html>", status=403, content_type="text/html"))
    with BybitAPI(server.url, API_KEY, SECRET) as api, pytest.raises(RateLimitException) as info:
        api.rest(spec.endpoint(), valid_request(spec))
    assert info.value.http_status == 403
    assert info.value.ret_code is None
    assert info.value.path == spec.url
    assert len(server.requests) == 1


@pytest.mark.parametrize("spec", ENDPOINTS, ids=str)
def test_a_parameter_error_is_raised_after_one_attempt_with_the_default_retry_policy(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    server.reply(Reply(envelope(code=10001, msg="params error")))
    with BybitAPI(server.url, API_KEY, SECRET) as api, pytest.raises(InvalidParameterException):
        api.rest(spec.endpoint(), valid_request(spec))
    assert len(server.requests) == 1
