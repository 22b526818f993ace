"""Error mapping on every V5 route: a ``retCode`` raises the class of the V5 code table (not the V3
one), with the code, the message, the route's method and path; a refusal is sent once."""

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
)
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.routes import ROUTES
from tests.v5.samples import SAMPLES

CODES: list[tuple[int, str, type[ApiException]]] = [
    (110072, "OrderLinkedID is duplicate", DuplicateOrderException),
    (10014, "Invalid duplicate request.", DuplicateOrderException),
    (110007, "Available balance is insufficient", InsufficientBalanceException),
    (170131, "Balance insufficient", InsufficientBalanceException),
    (110008, "The order has been completed or cancelled.", OrderNotFoundException),
    (170190, "Cancel order has been finished", OrderNotFoundException),
    (110094, "Order notional value below the lower limit", InvalidParameterException),
    (170222, "Too many requests in this time frame.", RateLimitException),
    (33004, "Your api key has expired", AuthenticationException),
    (10024, "Compliance rules triggered", AuthenticationException),
    (140001, "Switching the PM spot hedging switch is not allowed in non PM mode", ApiException),
    (20001, "an older family's code", ApiException),
]


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_v5_codes_raise_the_v5_classes(name: str, server: RecordingServer) -> None:
    route = ROUTES[name]
    with BybitAPI(server.url, API_KEY, SECRET, retry=NO_RETRY) as api:
        for code, message, exception in CODES:
            server.reply(Reply(envelope(code=code, msg=message)))
            with pytest.raises(ApiException) as info:
                api.rest(route.endpoint(), SAMPLES[name].build())
            error = info.value
            assert type(error) is exception, (code, type(error))
            assert (error.ret_code, error.ret_msg) == (code, message)
            assert (error.method, error.path) == (route.method, route.url)
            assert error.http_status == 200
    assert len(server.requests) == len(CODES)  # each refusal sent once
