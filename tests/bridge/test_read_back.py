"""A bridged place that carried an ``orderLinkId``, resent after an outcome the client could not know
and refused as a duplicate (V5's 110072): the first attempt took effect, so the core reads the order
back through V5's routes and returns it in the V3 response class, as it does for a V5 place.

The read-back is the core's (``Endpoint.READ_BACK``); in a tree without it these tests are skipped."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carpenstar_bybit import RetryPolicy
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.sandbox import SandboxExchange
from tests.bridge import v3
from tests.support.clients import KINDS, client

pytestmark = pytest.mark.skipif(
    not hasattr(Endpoint, "READ_BACK"), reason="the core's 110072 read-back is not in this tree"
)

KEY, SECRET = "bridge-read-back-01", "bridge-read-back-secret-0123456789"
RETRY = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.02)


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, v3_routes=False, rate_limit=1_000_000) as ex:
        yield ex
        assert ex.internal_errors() == []


def _place(link_id: str) -> v3.PlaceOrderRequest:
    request = v3.PlaceOrderRequest().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
    return request.set_qty("0.01").set_price("25000").set_order_link_id(link_id)


@pytest.mark.parametrize("kind", KINDS)
def test_a_bridged_place_is_read_back_over_v5(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("drop", after=True, route="/v5/order/create")
    with client(kind, exchange.url, KEY, SECRET, retry=RETRY, v3_over_v5=True) as api:
        result = api.rest(v3.PlaceOrder, _place("bridge-read-back-1")).get_result()
    (order,) = exchange.orders()
    assert type(result).__name__ == "PlaceOrderResponse"
    assert type(result).__module__.startswith("carpenstar_bybit.derivatives.")
    assert result is not None
    assert (result.get_order_id(), result.get_order_link_id()) == (order.order_id, "bridge-read-back-1")
    trail = [(r.path, r.ret_code) for r in exchange.requests()]
    assert trail == [("/v5/order/create", None), ("/v5/order/create", 110072), ("/v5/order/realtime", 0)]
