"""The same scenarios against ``BybitAPI`` and ``AsyncBybitAPI``: one core, so the same behaviour.

Order lifecycles, V3 and V5, against the sandbox over real HTTP; its faults (5xx, a dropped
connection after the exchange acted, 10006, a skewed clock); the deadline against a trickling
server; a compression bomb; pagination; RSA keys; credentials kept out of tracebacks.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from decimal import Decimal

import pytest

from carpenstar_bybit import (
    AuthenticationException,
    OrderNotFoundException,
    ResponseFormatException,
    RetryPolicy,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.derivatives.contract.order.cancel_all_order import CancelAllOrder, CancelAllOrderRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder as CancelOrderV3
from carpenstar_bybit.derivatives.contract.order.cancel_order import (
    CancelOrderRequest as CancelOrderRequestV3,
)
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders as GetOpenOrdersV3
from carpenstar_bybit.derivatives.contract.order.get_open_orders import (
    GetOpenOrdersRequest as GetOpenOrdersRequestV3,
)
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder as PlaceOrderV3
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrderRequest as PlaceOrderRequestV3
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.market.server_time import ServerTime
from carpenstar_bybit.v5.trade.amend_order import AmendOrder, AmendOrderRequest
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistory, GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.core.test_hostile_input import TrickleServer
from tests.support.clients import KINDS, client

KEY, SECRET = "both-clients-key-01", "both-clients-secret-0123456789abcdef"
FAST = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.05)


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1_000_000) as ex:
        yield ex
        assert ex.internal_errors() == []


def v5_place(price: str = "25000", link_id: str | None = None) -> PlaceOrderRequest:
    request = PlaceOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_side("Buy")
    request = request.set_order_type("Limit").set_qty("0.01").set_price(price)
    return request.set_order_link_id(link_id) if link_id else request


@pytest.mark.parametrize("kind", KINDS)
def test_v5_order_lifecycle(exchange: SandboxExchange, kind: str) -> None:
    with client(kind, exchange.url, KEY, SECRET) as api:
        clock = api.public(ServerTime).get_result()
        assert clock is not None
        placed = api.rest(PlaceOrder, v5_place(link_id=f"both-{kind}-1")).get_result()
        assert placed is not None
        order_id = placed.get_order_id()
        opened = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
        (mine,) = [o for o in opened.get_body() if o.get_order_id() == order_id]
        assert (mine.get_price(), mine.get_qty(), mine.get_order_status()) == (
            Decimal(25000),
            Decimal("0.01"),
            "New",
        )
        amend = AmendOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(order_id)
        api.private(AmendOrder, amend.set_price("24000"))
        assert exchange.order(order_id).price == Decimal(24000)  # type: ignore[union-attr]
        cancel = CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(order_id)
        assert api.rest(CancelOrder, cancel).get_result() is not None
        history = api.rest(
            GetOrderHistory, GetOrderHistoryRequest().set_category("linear").set_order_id(order_id)
        )
        assert [o.get_order_status() for o in history.get_body()] == ["Cancelled"]
        with pytest.raises(OrderNotFoundException) as info:
            api.rest(CancelOrder, cancel)
        assert info.value.ret_code == 110001


@pytest.mark.parametrize("kind", KINDS)
def test_v3_order_lifecycle(exchange: SandboxExchange, kind: str) -> None:
    with client(kind, exchange.url, KEY, SECRET) as api:
        place = PlaceOrderRequestV3().set_symbol("BTCUSDT").set_side("Buy").set_order_type("Limit")
        placed = api.rest(PlaceOrderV3, place.set_qty("0.01").set_price("25000")).get_result()
        assert placed is not None
        listed = api.private(GetOpenOrdersV3, GetOpenOrdersRequestV3().set_symbol("BTCUSDT")).get_body()
        assert [o.get_order_id() for o in listed] == [placed.get_order_id()]
        cancel = CancelOrderRequestV3().set_symbol("BTCUSDT").set_order_id(placed.get_order_id())
        api.rest(CancelOrderV3, cancel)
        with pytest.raises(OrderNotFoundException) as info:
            api.rest(CancelOrderV3, cancel)
        assert info.value.ret_code == 140001


@pytest.mark.parametrize("kind", KINDS)
def test_a_read_is_resent_after_a_5xx(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("http_5xx", count=2)
    with client(kind, exchange.url, KEY, SECRET, retry=FAST) as api:
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        assert len(api.rest(GetOpenOrders, request).get_body()) == 0
    assert [r.http_status for r in exchange.requests()] == [503, 503, 200]


@pytest.mark.parametrize("kind", KINDS)
def test_a_place_without_link_id_is_never_sent_twice(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("drop", after=True)
    with client(kind, exchange.url, KEY, SECRET, retry=FAST) as api, pytest.raises(TransportException):
        api.rest(PlaceOrder, v5_place())
    assert len(exchange.orders()) == 1
    assert len(exchange.requests()) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_cancel_all_is_not_resent_after_it_may_have_acted(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("http_5xx", after=True)
    with client(kind, exchange.url, KEY, SECRET, retry=FAST) as api, pytest.raises(TransportException):
        api.rest(CancelAllOrder, CancelAllOrderRequest().set_symbol("BTCUSDT"))
    assert len(exchange.requests()) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_rate_limited_call_waits_for_the_window_then_succeeds(kind: str) -> None:
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1, rate_limit_window_ms=300) as ex:
        with client(kind, ex.url, KEY, SECRET, retry=FAST) as api:
            request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
            api.rest(GetOpenOrders, request)
            api.rest(GetOpenOrders, request)  # 10006 first, then resent after the reset
        codes = [r.ret_code for r in ex.requests()]
        assert codes == [0, 10006, 0]
        assert ex.internal_errors() == []


@pytest.mark.parametrize("kind", KINDS)
def test_a_skewed_clock_is_resynced_once_and_the_call_resent(exchange: SandboxExchange, kind: str) -> None:
    exchange.faults.inject("clock_skew", count=None, ms=-60_000)  # the exchange's clock 60 s behind ours
    with client(kind, exchange.url, KEY, SECRET, retry=FAST) as api:
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        api.rest(GetOpenOrders, request)
        assert -61_000 < api.context.clock_offset_ms < -59_000
    paths = [(r.path, r.ret_code) for r in exchange.requests()]
    assert paths == [("/v5/order/realtime", 10002), ("/v5/market/time", 0), ("/v5/order/realtime", 0)]


@pytest.mark.parametrize("kind", KINDS)
def test_the_deadline_bounds_the_call_against_a_trickling_server(kind: str) -> None:
    trickle = TrickleServer()
    try:
        with client(kind, trickle.url, KEY, SECRET, timeout=(1, 1), retry=RetryPolicy(deadline=2)) as api:
            with pytest.raises(TimeoutException, match="deadline passed"):
                api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
    finally:
        trickle.close()


@pytest.mark.parametrize("kind", KINDS)
def test_a_compression_bomb_is_refused(kind: str) -> None:
    import gzip

    bomb = TrickleServer(bomb=gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9))
    try:
        with (
            client(kind, bomb.url, KEY, SECRET) as api,
            pytest.raises(ResponseFormatException, match="larger than"),
        ):
            api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
    finally:
        bomb.close()


@pytest.mark.parametrize("kind", KINDS)
def test_pagination_follows_the_cursor_to_the_end(exchange: SandboxExchange, kind: str) -> None:
    with client(kind, exchange.url, KEY, SECRET) as api:
        ids = {
            api.rest(PlaceOrder, v5_place(price=str(20000 + i))).get_result().get_order_id() for i in range(7)
        }  # type: ignore[union-attr]
        request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_limit(3)
        assert {o.get_order_id() for o in api.paginate(GetOpenOrders, request)} == ids
        assert len(api.paginate(GetOpenOrders, request, max_items=4)) == 4
    pages = [r for r in exchange.requests() if r.path == "/v5/order/realtime"]
    assert len(pages) == 3 + 2


@pytest.mark.parametrize("kind", KINDS)
def test_a_traceback_with_locals_shows_no_credential(exchange: SandboxExchange, kind: str) -> None:
    with client(kind, exchange.url, KEY, "a-wrong-secret-0123456789abcdef") as api:
        with pytest.raises(AuthenticationException) as info:
            api.rest(PlaceOrder, v5_place())
    frames = traceback.TracebackException.from_exception(info.value, capture_locals=True).stack
    text = "".join(repr(f.locals) for f in frames if "carpenstar_bybit" in f.filename)
    assert "steps" in text or "request" in text
    assert KEY not in text
    assert "a-wrong-secret-0123456789abcdef" not in text
