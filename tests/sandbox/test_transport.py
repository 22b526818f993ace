"""The in-memory transport: the same exchange without a socket, faults included, with the same SDK
exceptions a socket client gets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from carpenstar_bybit import NO_RETRY, BybitAPI, OrderNotFoundException
from carpenstar_bybit.core.exceptions import BybitException, TimeoutException, TransportException
from carpenstar_bybit.core.transport import Timeout, WireRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.market.server_time import ServerTime
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.sandbox.raw import API_KEY, SECRET, auth_headers

NOW = 1_700_000_000_123
PLACE = (
    PlaceOrderRequest()
    .set_category("linear")
    .set_symbol("BTCUSDT")
    .set_side("Buy")
    .set_order_type("Limit")
    .set_qty("0.01")
    .set_price("25000")
)


@contextmanager
def client(ex: SandboxExchange, way: str, timeout: float = 10.0) -> Iterator[BybitAPI]:
    if way == "socket":
        with ex, BybitAPI(ex.url, API_KEY, SECRET, retry=NO_RETRY, timeout=timeout) as api:
            yield api
    else:
        with BybitAPI(
            ex.url_or_placeholder, API_KEY, SECRET, retry=NO_RETRY, timeout=timeout, transport=ex.transport()
        ) as api:
            yield api


def test_placeholder_url_never_resolves_and_url_needs_a_socket() -> None:
    ex = SandboxExchange()
    assert ex.url_or_placeholder == "http://sandbox.invalid"
    with pytest.raises(RuntimeError):
        _ = ex.url
    with ex:
        assert ex.url_or_placeholder == ex.url


def test_answers_are_the_same_bytes_as_on_the_socket() -> None:
    ex = SandboxExchange(api_keys={API_KEY: SECRET}, clock=lambda: NOW)
    query = "category=linear&symbol=BTCUSDT"
    headers = auth_headers(query, timestamp=NOW)
    memory = ex.transport().send(
        WireRequest("GET", f"http://anything/v5/order/realtime?{query}", headers, None), Timeout()
    )
    with ex:
        wire = requests.get(f"{ex.url}/v5/order/realtime?{query}", headers=headers, timeout=10)
    assert memory.status == wire.status_code == 200
    assert memory.body == wire.content
    for name in ("Content-Type", "Content-Length", "X-Bapi-Limit", "X-Bapi-Limit-Reset-Timestamp"):
        assert memory.headers[name] == wire.headers[name]
    assert memory.headers["X-Bapi-Limit-Status"] == str(int(wire.headers["X-Bapi-Limit-Status"]) + 1)


def test_an_oversized_body_is_a_413_as_on_the_socket() -> None:
    ex = SandboxExchange(max_body_bytes=100)
    answer = ex.transport().send(
        WireRequest(
            "POST", "http://x/v5/order/create", {"Content-Type": "application/json"}, b"{" + b" " * 200
        ),
        Timeout(),
    )
    assert answer.status == 413
    assert answer.headers["Connection"] == "close"
    assert b'"retMsg":"request body too large: at most 100 bytes"' in answer.body


def _failure(ex: SandboxExchange, way: str, timeout: float = 10.0) -> BybitException:
    with client(ex, way, timeout) as api, pytest.raises(BybitException) as info:
        api.rest(PlaceOrder, PLACE)
    return info.value


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("drop", {}),
        ("drop", {"after": True}),
        ("http_5xx", {"status": 502}),
        ("html_403", {}),
        ("api_error", {"code": 10016}),
        ("api_error", {"code": 10006, "message": "Too many visits!"}),
    ],
)
def test_faults_raise_the_same_exception_as_over_a_socket(kind: str, options: dict[str, object]) -> None:
    seen = []
    for way in ("socket", "memory"):
        ex = SandboxExchange(api_keys={API_KEY: SECRET})
        ex.faults.inject(kind, **options)  # type: ignore[arg-type]
        error = _failure(ex, way)
        seen.append((type(error), getattr(error, "ret_code", None), getattr(error, "http_status", None)))
        placed = len(ex.orders())
        assert placed == (1 if options.get("after") else 0)
        assert ex.internal_errors() == []
    assert seen[0] == seen[1]
    if kind == "drop":
        assert seen[0][0] is TransportException


def test_latency_past_the_read_timeout_is_a_timeout_and_the_exchange_still_acts() -> None:
    for way in ("socket", "memory"):
        ex = SandboxExchange(api_keys={API_KEY: SECRET})
        ex.faults.inject("latency", seconds=1.0)
        error = _failure(ex, way, timeout=0.2)
        assert type(error) is TimeoutException
        if way == "memory":  # (over the socket, stop() cuts the remaining latency short)
            assert len(ex.orders()) == 1


def test_latency_within_the_read_timeout_is_only_slow() -> None:
    ex = SandboxExchange(api_keys={API_KEY: SECRET})
    ex.faults.inject("latency", seconds=0.05)
    with client(ex, "memory") as api:
        assert api.rest(PlaceOrder, PLACE).get_result() is not None
    assert len(ex.orders()) == 1


def test_many_clients_share_one_exchange_in_memory() -> None:
    ex = SandboxExchange(api_keys={API_KEY: SECRET})
    with client(ex, "memory") as first, client(ex, "memory") as second:
        placed = first.rest(PlaceOrder, PLACE).get_result()
        assert placed is not None
        cancel = CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT")
        second.rest(CancelOrder, cancel.set_order_id(placed.get_order_id()))
        with pytest.raises(OrderNotFoundException):
            first.rest(CancelOrder, cancel)
        assert second.public_endpoint(ServerTime).execute().get_result() is not None
    assert [o.status for o in ex.orders()] == ["Cancelled"]
    assert not ex.running
