"""Reliability against the sandbox: connections released after faults, and signatures the sandbox
accepts for any request the SDK accepts (property-based)."""

from __future__ import annotations

import string
import threading
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carpenstar_bybit import (
    ApiException,
    AuthenticationException,
    BybitAPI,
    BybitException,
    RetryPolicy,
    TimestampException,
)
from carpenstar_bybit.core.urllib3_transport import Urllib3Transport
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_order_list import GetOrderList, GetOrderListRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest

KEY, SECRET = "reliability-key-01", "reliability-secret-0123456789abcdef0123"


@pytest.fixture(scope="module")
def exchange() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1_000_000) as ex:
        yield ex


@pytest.mark.parametrize("transport", ["requests", "urllib3"])
@pytest.mark.parametrize(
    ("kind", "options"), [("drop", {}), ("latency", {"seconds": 0.5}), ("drop", {"after": True})]
)
def test_close_releases_every_connection_even_after_faults(
    exchange: SandboxExchange, transport: str, kind: str, options: dict[str, object]
) -> None:
    extra = {"transport": Urllib3Transport()} if transport == "urllib3" else {}
    api = BybitAPI(exchange.url, KEY, SECRET, timeout=(1.0, 0.2), retry=RetryPolicy(backoff=0.01), **extra)  # type: ignore[arg-type]
    kept: list[BybitException] = []  # a user who keeps the errors must not keep the sockets open

    def work() -> None:
        for _ in range(10):
            try:
                api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("none"))
            except BybitException as exc:
                kept.append(exc)

    exchange.faults.inject(kind, count=6, **options)  # type: ignore[arg-type]
    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    exchange.faults.clear()
    assert kept  # the not-found answers at least
    api.close()
    deadline = time.monotonic() + 5
    while exchange.open_connections() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert exchange.open_connections() == 0


texts = st.text(
    alphabet=string.ascii_letters + string.digits + "-_.~ !*'()&=+%/?#:@,;$[]{}\"\\é中", max_size=36
)
decimals = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("100000"), places=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    link=texts,
    qty=decimals,
    price=decimals,
    side=st.sampled_from(["Buy", "Sell"]),
    reduce_only=st.booleans(),
    status=texts,
    cursor=texts,
)
def test_any_accepted_request_is_signed_so_the_sandbox_accepts_it(
    exchange: SandboxExchange,
    link: str,
    qty: Decimal,
    price: Decimal,
    side: str,
    reduce_only: bool,
    status: str,
    cursor: str,
) -> None:
    api = BybitAPI(exchange.url, KEY, SECRET, retry=RetryPolicy(max_attempts=1))
    place = PlaceOrderRequest().set_symbol("BTCUSDT").set_side(side).set_order_type("Limit").set_qty(qty)
    place = place.set_price(price).set_reduce_only(reduce_only)
    if link:
        place = place.set_order_link_id(link)
    history = GetOrderListRequest().set_symbol("BTCUSDT").set_order_status(status).set_cursor(cursor or "x")
    v5 = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_order_link_id(link or "x")
    for endpoint, request in ((PlaceOrder, place), (GetOrderList, history), (GetOpenOrders, v5)):
        try:
            api.rest(endpoint, request)  # type: ignore[arg-type]
        except (AuthenticationException, TimestampException) as exc:  # pragma: no cover - the property
            pytest.fail(f"{endpoint.__name__}: the sandbox refused the signature: {exc}")
        except ApiException:
            pass  # a business answer (duplicate link id, bad status value...): the signature was accepted
    api.close()


def test_a_10006_from_the_sandbox_is_waited_out_and_retried() -> None:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=3) as ex:
        api = BybitAPI(ex.url, KEY, SECRET)
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        started = time.monotonic()
        for _ in range(5):
            response = api.rest(GetOpenOrders, request)
        elapsed = time.monotonic() - started
        codes = [r.ret_code for r in ex.requests()]
    assert response.get_return_code() == 0
    assert codes.count(10006) >= 1  # the exchange refused at least once...
    assert codes[-1] == 0  # ...and the SDK waited for the window and got through
    assert elapsed < 5.0


def test_a_shared_client_side_limiter_avoids_10006_altogether() -> None:
    from carpenstar_bybit import RateLimiter

    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=3) as ex:
        limiter = RateLimiter(2, burst=1)  # under the exchange's 3/s with room for jitter
        clients = [BybitAPI(ex.url, KEY, SECRET, rate_limiter=limiter) for _ in range(2)]
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        for i in range(6):
            clients[i % 2].rest(GetOpenOrders, request)
        codes = [r.ret_code for r in ex.requests()]
    assert codes == [0] * 6
