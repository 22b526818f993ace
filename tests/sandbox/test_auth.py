"""Each authentication failure, from raw requests signed wrongly, with Bybit's codes and messages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from carpenstar_bybit import AuthenticationException, BybitAPI
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import API_KEY, SECRET, auth_headers, signed_get, signed_post

NOW = 1_700_000_000_000
OPEN_ORDERS = "/contract/v3/private/order/unfilled-orders"
QUERY = "symbol=BTCUSDT"


@pytest.fixture
def frozen() -> Iterator[SandboxExchange]:
    """A sandbox whose clock stands still at ``NOW``."""
    with SandboxExchange(api_keys={API_KEY: SECRET}, clock=lambda: NOW, rate_limit=1000) as ex:
        yield ex
        assert ex.internal_errors() == []


def get(ex: SandboxExchange, headers: dict[str, str], query: str = QUERY) -> requests.Response:
    return requests.get(f"{ex.url}{OPEN_ORDERS}?{query}", headers=headers, timeout=10)


def test_a_correct_signature_is_accepted(frozen: SandboxExchange) -> None:
    answer = signed_get(frozen.url, OPEN_ORDERS, QUERY, timestamp=NOW)
    assert answer.status_code == 200
    body = answer.json()
    assert (body["retCode"], body["retMsg"], body["time"]) == (0, "OK", NOW)
    assert body["result"] == {"list": [], "nextPageCursor": "", "category": ""}


def test_missing_key_is_10003(frozen: SandboxExchange) -> None:
    headers = auth_headers(QUERY, timestamp=NOW)
    del headers["X-BAPI-API-KEY"]
    answer = get(frozen, headers)
    assert answer.status_code == 200
    assert answer.json()["retCode"] == 10003
    assert answer.json()["retMsg"] == "API key is invalid."
    assert "X-Bapi-Limit" not in answer.headers  # no key, no per-key limit


def test_unknown_key_is_10003(frozen: SandboxExchange) -> None:
    answer = get(frozen, auth_headers(QUERY, api_key="SBXunknownKEY0000", timestamp=NOW))
    assert (answer.json()["retCode"], answer.json()["retMsg"]) == (10003, "API key is invalid.")


def test_bad_signature_is_10004_showing_the_signed_string(frozen: SandboxExchange) -> None:
    headers = auth_headers(QUERY, secret="SBXwrongSECRET00000000000000", timestamp=NOW)
    answer = get(frozen, headers)
    body = answer.json()
    assert body["retCode"] == 10004
    assert body["retMsg"] == f"error sign! origin_string[{NOW}{API_KEY}5000{QUERY}]"
    assert SECRET not in answer.text
    # The key is known, so the answer carries its rate-limit state (nothing was counted).
    assert answer.headers["X-Bapi-Limit-Status"] == "1000"


def test_signature_over_another_payload_is_10004(frozen: SandboxExchange) -> None:
    headers = auth_headers("symbol=ETHUSDT", timestamp=NOW)  # signed one query, sent another
    assert get(frozen, headers).json()["retCode"] == 10004
    body = b'{"symbol":"BTCUSDT","orderId":"x"}'
    post_headers = auth_headers(b'{"symbol":"BTCUSDT", "orderId":"x"}', timestamp=NOW)  # one space differs
    post_headers["Content-Type"] = "application/json"
    answer = requests.post(
        f"{frozen.url}/contract/v3/private/order/cancel", data=body, headers=post_headers, timeout=10
    )
    assert answer.json()["retCode"] == 10004
    assert answer.json()["retMsg"] == f"error sign! origin_string[{NOW}{API_KEY}5000{body.decode()}]"


def test_missing_signature_and_unsupported_sign_type_are_10004(frozen: SandboxExchange) -> None:
    headers = auth_headers(QUERY, timestamp=NOW)
    del headers["X-BAPI-SIGN"]
    assert get(frozen, headers).json()["retCode"] == 10004
    headers = auth_headers(QUERY, timestamp=NOW)
    headers["X-BAPI-SIGN-TYPE"] = "1"
    answer = get(frozen, headers).json()
    assert (answer["retCode"], answer["retMsg"]) == (
        10004,
        "error sign type! X-BAPI-SIGN-TYPE[1] is not supported",
    )


@pytest.mark.parametrize(
    ("timestamp", "code"),
    [
        (NOW - 5000, 0),  # server_time - recv_window: the oldest accepted
        (NOW - 5001, 10002),  # too early
        (NOW + 999, 0),  # the newest accepted
        (NOW + 1000, 10002),  # too late
        (NOW - 3_600_000, 10002),
        (NOW + 3_600_000, 10002),
    ],
)
def test_timestamp_window(frozen: SandboxExchange, timestamp: int, code: int) -> None:
    body = get(frozen, auth_headers(QUERY, timestamp=timestamp)).json()
    assert body["retCode"] == code
    if code:
        assert body["retMsg"] == (
            "invalid request, please check your server timestamp or recv_window param. "
            f"req_timestamp[{timestamp}],server_timestamp[{NOW}],recv_window[5000]"
        )


def test_recv_window_widens_the_window(frozen: SandboxExchange) -> None:
    late = NOW - 20_000
    assert get(frozen, auth_headers(QUERY, timestamp=late)).json()["retCode"] == 10002
    assert get(frozen, auth_headers(QUERY, timestamp=late, recv_window=20_000)).json()["retCode"] == 0


def test_missing_or_malformed_timestamp_is_10002(frozen: SandboxExchange) -> None:
    headers = auth_headers(QUERY, timestamp=NOW)
    del headers["X-BAPI-TIMESTAMP"]
    assert get(frozen, headers).json()["retCode"] == 10002
    headers = auth_headers(QUERY, timestamp=NOW)
    headers["X-BAPI-TIMESTAMP"] = "0" + headers["X-BAPI-TIMESTAMP"]  # signed text differs from the number
    assert get(frozen, headers).json()["retCode"] == 10002


def test_malformed_recv_window_is_10001(frozen: SandboxExchange) -> None:
    headers = auth_headers(QUERY, timestamp=NOW)
    headers["X-BAPI-RECV-WINDOW"] = "soon"
    body = get(frozen, headers).json()
    assert (body["retCode"], body["retMsg"]) == (
        10001,
        "params error: X-BAPI-RECV-WINDOW invalid (an integer of milliseconds in 1..60000)",
    )


def test_post_signs_the_raw_body(frozen: SandboxExchange) -> None:
    body = b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.01","price":"25000"}'
    answer = signed_post(frozen.url, "/contract/v3/private/order/create", body, timestamp=NOW)
    assert answer.json()["retCode"] == 0
    assert answer.json()["result"]["orderId"] == frozen.orders()[0].order_id


def test_the_sdk_maps_a_wrong_secret_to_authentication_exception(exchange: SandboxExchange) -> None:
    wrong_secret = "SBXnotTheSECRET1234567890abcdef"
    with BybitAPI(exchange.url, API_KEY, wrong_secret) as api:
        with pytest.raises(AuthenticationException) as caught:
            api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol("BTCUSDT"))
    assert caught.value.ret_code == 10004
    assert caught.value.ret_msg.startswith("error sign! origin_string[")
    assert API_KEY not in str(caught.value)  # the SDK redacts the key the exchange echoes
    assert wrong_secret not in str(caught.value)
