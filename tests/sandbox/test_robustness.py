"""Bad input is answered with a Bybit-style error, never a crash or a hung connection, and the
server keeps serving afterwards."""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests

from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import (
    API_KEY,
    SECRET,
    auth_headers,
    raw_exchange,
    signed_get,
    signed_post,
    split_response,
)

CREATE = "/contract/v3/private/order/create"
OPEN_ORDERS = "/contract/v3/private/order/unfilled-orders"


def still_serving(ex: SandboxExchange) -> None:
    answer = requests.get(f"{ex.url}/v3/public/time", timeout=10)
    assert answer.status_code == 200
    assert answer.json()["retCode"] == 0


def test_malformed_json(exchange: SandboxExchange) -> None:
    answer = signed_post(exchange.url, CREATE, b'{"symbol": "BTCUSDT",')
    assert answer.status_code == 200
    assert answer.json()["retCode"] == 10001
    assert answer.json()["retMsg"] == "params error: request body is not valid JSON"
    still_serving(exchange)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'["symbol", "BTCUSDT"]', "params error: request body must be a JSON object"),
        (b'{"symbol": NaN}', "params error: request body is not valid JSON"),
        (b"\xff\xfe\x00garbage", "params error: request body is not valid JSON"),
        (
            b"[" * 30_000 + b"]" * 30_000,
            "params error: request body is not valid JSON",
        ),  # deeper than any recursion limit
        (
            b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":true}',
            "params error: qty invalid (expected a number)",
        ),
        (
            b'{"symbol":"BTCUSDT","side":"Up","orderType":"Limit","qty":"1"}',
            "params error: side invalid (expected one of Buy, Sell)",
        ),
        (
            b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1e5x"}',
            "params error: qty invalid (expected a number)",
        ),
        (b'{"symbol":"BTCUSDT","side":"Buy","orderType":"Limit"}', "params error: qty is required"),
        (
            b'{"symbol":42,"side":"Buy","orderType":"Limit","qty":"1"}',
            "params error: symbol invalid (expected a string)",
        ),
    ],
)
def test_bad_bodies(exchange: SandboxExchange, body: bytes, message: str) -> None:
    answer = signed_post(exchange.url, CREATE, body)
    assert (answer.status_code, answer.json()["retCode"], answer.json()["retMsg"]) == (200, 10001, message)
    assert exchange.orders() == []


def test_wrong_content_type(exchange: SandboxExchange) -> None:
    body = b"symbol=BTCUSDT&side=Buy"
    answer = signed_post(exchange.url, CREATE, body, content_type="application/x-www-form-urlencoded")
    assert answer.json()["retCode"] == 10001
    assert answer.json()["retMsg"] == (
        "params error: Content-Type must be application/json, got 'application/x-www-form-urlencoded'"
    )
    still_serving(exchange)


def test_json_with_charset_is_fine(exchange: SandboxExchange) -> None:
    body = {"symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.01", "price": "25000"}
    answer = signed_post(exchange.url, CREATE, body, content_type="application/json; charset=utf-8")
    assert answer.json()["retCode"] == 0


def test_huge_body_is_refused_with_413(exchange: SandboxExchange) -> None:
    body = json.dumps({"symbol": "BTCUSDT", "pad": "x" * 200_000}).encode()
    answer = signed_post(exchange.url, CREATE, body)
    assert answer.status_code == 413
    assert answer.headers["Connection"] == "close"
    assert answer.json()["retCode"] == 10001
    assert answer.json()["retMsg"] == "request body too large: at most 65536 bytes"
    still_serving(exchange)


def test_absurd_content_length_is_answered_at_once(exchange: SandboxExchange) -> None:
    request = f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n{{".encode()
    started = time.monotonic()
    status, headers, body = split_response(raw_exchange(exchange.port, request))
    assert time.monotonic() - started < 5
    assert status == 413
    assert json.loads(body)["retCode"] == 10001
    assert headers["connection"] == "close"
    still_serving(exchange)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("symbol", "params error: malformed query string"),
        ("symbol=BTCUSDT&&limit=5", "params error: malformed query string"),
        ("symbol=%FF%FE", "params error: malformed query string"),
        ("symbol=BTCUSDT&symbol=ETHUSDT", "params error: duplicate parameter symbol"),
        ("symbol=BTCUSDT&limit=abc", "params error: limit invalid (expected an integer)"),
        ("symbol=BTCUSDT&limit=51", "params error: limit invalid (must be at most 50)"),
        ("symbol=BTCUSDT&cursor=not-a-cursor", "params error: cursor invalid"),
    ],
)
def test_bad_query_strings(exchange: SandboxExchange, query: str, message: str) -> None:
    answer = signed_get(exchange.url, OPEN_ORDERS, query)
    assert (answer.status_code, answer.json()["retCode"], answer.json()["retMsg"]) == (200, 10001, message)


def test_bad_query_on_a_public_route(exchange: SandboxExchange) -> None:
    answer = requests.get(f"{exchange.url}/derivatives/v3/public/tickers?symbol=BTCUSDT&symbol=X", timeout=10)
    assert (answer.json()["retCode"], answer.json()["retMsg"]) == (
        10001,
        "params error: duplicate parameter symbol",
    )


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64 + b"\r\n\r\n", 400),  # a TLS hello
        (b"GET /v3/public/time HTTP/9.9\r\n\r\n", 505),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"GET /v3/public/time HTTP/1.1\r\nX-Big: " + b"b" * 70_000 + b"\r\n\r\n", 431),
        (b"BREW /v3/public/time HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"POST /v3/public/time HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
        (b"POST /v3/public/time HTTP/1.1\r\nContent-Length: -5\r\n\r\n", 400),
        (b"POST /v3/public/time HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab", 400),
    ],
)
def test_protocol_garbage_gets_a_json_error_and_the_connection_closes(
    exchange: SandboxExchange, request_bytes: bytes, status: int
) -> None:
    answer = raw_exchange(exchange.port, request_bytes)
    got_status, headers, body = split_response(answer)
    assert got_status == status
    assert headers["content-type"] == "application/json; charset=utf-8"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body)["retCode"] == 10001
    still_serving(exchange)


def test_unknown_route_is_404_and_wrong_method_405(exchange: SandboxExchange) -> None:
    missing = requests.get(f"{exchange.url}/contract/v3/private/order/nope", timeout=10)
    assert (missing.status_code, missing.text) == (404, "404 page not found")
    wrong = requests.post(f"{exchange.url}/v3/public/time", timeout=10)
    assert (wrong.status_code, wrong.text) == (405, "405 method not allowed")
    still_serving(exchange)


def test_client_disconnecting_mid_body_does_not_hurt(exchange: SandboxExchange) -> None:
    with socket.create_connection(("127.0.0.1", exchange.port), timeout=5) as sock:
        sock.sendall(f"POST {CREATE} HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{{".encode())
    still_serving(exchange)


def test_keep_alive_serves_many_requests_on_one_connection(exchange: SandboxExchange) -> None:
    with requests.Session() as session:
        for _ in range(20):
            assert session.get(f"{exchange.url}/v3/public/time", timeout=10).status_code == 200
        answer = signed_get(exchange.url, OPEN_ORDERS, "symbol=BTCUSDT", session=session)
        assert answer.json()["retCode"] == 0
        assert answer.headers["Content-Length"] == str(len(answer.content))
    assert len({r.path for r in exchange.requests()}) == 2


def test_idle_connections_are_closed() -> None:
    with SandboxExchange(api_keys={API_KEY: SECRET}, idle_timeout=0.2) as ex:
        with socket.create_connection(("127.0.0.1", ex.port), timeout=10) as sock:
            started = time.monotonic()
            assert sock.recv(1) == b""  # the server hangs up on an idle connection
            assert time.monotonic() - started < 9


def test_stop_does_not_wait_for_idle_clients_or_latency() -> None:
    ex = SandboxExchange(api_keys={API_KEY: SECRET}).start()
    idle = socket.create_connection(("127.0.0.1", ex.port), timeout=10)
    ex.faults.inject("latency", seconds=60)
    slow = threading.Thread(
        target=lambda: _swallow(lambda: requests.get(f"{ex.url}/v3/public/time", timeout=30))
    )
    slow.start()
    deadline = time.monotonic() + 10
    while ex.faults.pending() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    ex.stop()
    assert time.monotonic() - started < 5
    assert not ex.running
    slow.join(10)
    assert not slow.is_alive()
    idle.close()
    ex.stop()  # twice is fine


def _swallow(call: object) -> None:
    try:
        call()  # type: ignore[operator]
    except requests.RequestException:
        pass


def test_concurrent_clients_share_one_consistent_state(exchange: SandboxExchange) -> None:
    errors: list[BaseException] = []

    def trade(n: int) -> None:
        try:
            with requests.Session() as session:
                for i in range(10):
                    body = {
                        "symbol": "BTCUSDT",
                        "side": "Buy",
                        "orderType": "Limit",
                        "qty": "0.001",
                        "price": "20000",
                        "orderLinkId": f"t{n}-{i}",
                    }
                    assert signed_post(exchange.url, CREATE, body, session=session).json()["retCode"] == 0
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=trade, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    orders = exchange.orders()
    assert len(orders) == 60
    assert len({o.order_link_id for o in orders}) == 60
    assert [o.seq for o in orders] == sorted(o.seq for o in orders)


def test_headers_of_a_signed_request_are_never_logged(exchange: SandboxExchange) -> None:
    headers = auth_headers("symbol=BTCUSDT")
    requests.get(f"{exchange.url}{OPEN_ORDERS}?symbol=BTCUSDT", headers=headers, timeout=10)
    assert headers["X-BAPI-SIGN"] not in repr(exchange.requests())
    assert API_KEY not in repr(exchange.requests())
