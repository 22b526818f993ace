"""After a reconnect, the orders that changed while the connection was down come back over REST:
the private stream against the scripted exchange, its REST reads against the sandbox exchange."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest
from typing_extensions import Self

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import (
    DECIMAL,
    INT,
    STRING,
    AbstractParameters,
    AbstractResponse,
    EnumHttpMethods,
    Param,
    PrivateEndpoint,
    ResponseField,
)
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.stream import (
    OrderEvent,
    OrderSnapshotEvent,
    PositionSnapshotEvent,
    Reconciler,
    ReconcileScope,
    ReconnectedEvent,
    _reconcile,
)
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.stream.conftest import Opener
from tests.stream.helpers import payload
from tests.stream.server import API_KEY, SECRET, ScriptedBybit
from tests.support.recording_server import Reply, envelope, recording_server


@pytest.fixture
def sandbox() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={API_KEY: SECRET}) as exchange:
        yield exchange


def place(api: BybitAPI, price: str, link_id: str) -> str:
    request = (
        PlaceOrderRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.01")
        .set_price(price)
        .set_order_link_id(link_id)
    )
    result = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def test_orders_changed_while_disconnected_come_back_after_the_reconnect(
    opened: Opener, exchange: ScriptedBybit, sandbox: SandboxExchange
) -> None:
    with BybitAPI(sandbox.url, API_KEY, SECRET) as api:
        kept = place(api, "20000", "kept")
        doomed = place(api, "20100", "doomed")
        reconciler = Reconciler(api, [ReconcileScope("linear", settle_coin="USDT")], positions=False)
        stream = opened.private(topics=["order"], reconcile=reconciler)
        exchange.push(payload("order"))
        assert isinstance(stream.get(), OrderEvent)

        exchange.reject_connections = True
        exchange.drop()
        exchange.wait_for(lambda: exchange.rejected >= 1, what="a reconnect attempt")
        # meanwhile, on the exchange: one order cancelled, one placed; the stream sees neither
        api.rest(
            CancelOrder,
            CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(doomed),
        )
        added = place(api, "20200", "added")
        exchange.reject_connections = False

        notice = stream.get()
        assert isinstance(notice, ReconnectedEvent)
        assert notice.get_attempts() >= 2
        snapshot = stream.get()
        assert isinstance(snapshot, OrderSnapshotEvent)
        assert isinstance(snapshot, OrderEvent)
        assert snapshot.get_category() == "linear"
        orders = {o.get_order_id(): o for o in snapshot.get_orders()}
        assert set(orders) == {kept, doomed, added}
        assert orders[doomed].get_order_status() == "Cancelled"
        assert orders[added].get_order_status() == "New"
        assert orders[added].get_order_link_id() == "added"
        assert orders[kept].get_price() == Decimal("20000")
        assert all(o.get_category() == "linear" for o in orders.values())
        cancelled_at = orders[doomed].get_updated_time()
        assert cancelled_at is not None
        assert cancelled_at >= notice.get_disconnected_at() - timedelta(seconds=5)  # the default lookback

        exchange.push(payload("order"))
        assert isinstance(stream.get(), OrderEvent)  # live events go on after the snapshot
        paths = [r.path for r in sandbox.requests()]
        assert paths.count("/v5/order/realtime") == 2  # open orders, then recently finished ones


def test_without_a_reconnect_there_is_no_snapshot_and_finished_orders_need_a_since(
    sandbox: SandboxExchange,
) -> None:
    with BybitAPI(sandbox.url, API_KEY, SECRET) as api:
        open_order = place(api, "20000", "open")
        done = place(api, "20100", "done")
        api.rest(
            CancelOrder, CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(done)
        )
        [event] = Reconciler(api, [ReconcileScope("linear", symbol="BTCUSDT")], positions=False).snapshot()
        assert isinstance(event, OrderSnapshotEvent)
        assert [o.get_order_id() for o in event.get_orders()] == [open_order]


class PositionListRequest(AbstractParameters):
    """What ``GetPositionInfoRequest`` will take (the parts the reconciler sets)."""

    __slots__ = ()
    CATEGORY = Param("category", STRING)
    SYMBOL = Param("symbol", STRING)
    BASE_COIN = Param("baseCoin", STRING)
    SETTLE_COIN = Param("settleCoin", STRING)
    LIMIT = Param("limit", INT)
    CURSOR = Param("cursor", STRING)
    _required = ("category",)

    def set_category(self, category: str) -> Self:
        return self._set(self.CATEGORY, category)


class PositionListItem(AbstractResponse):
    """Enough of a position to be a response."""

    __slots__ = ("_size", "_symbol")
    _fields = (ResponseField("symbol", "_symbol", STRING), ResponseField("size", "_size", DECIMAL))


class PositionList(PrivateEndpoint[PositionListRequest, PositionListItem]):
    """``GET /v5/position/list`` as the reconciler will find it in the SDK."""

    URL = "/v5/position/list"
    METHOD = EnumHttpMethods.GET
    REQUEST = PositionListRequest
    RESPONSE = PositionListItem


def test_positions_are_read_through_the_position_endpoint_when_the_sdk_has_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_reconcile, "_position_endpoint", lambda: (PositionList, PositionListRequest))
    docs_item = {
        "positionIdx": 0,
        "riskId": 1,
        "symbol": "BTCUSD",
        "side": "Sell",
        "size": "300",
        "avgPrice": "27464.50441675",
        "positionValue": "0.01092319",
        "leverage": "10",
        "markPrice": "28224.50",
        "liqPrice": "",
        "seq": 5723621632,
        "isReduceOnly": False,
        "mmrSysUpdateTime": "",
        "createdTime": "1676538056258",
        "updatedTime": "1697673600012",
    }
    with recording_server() as server:
        server.reply(
            Reply(envelope({"list": [docs_item], "nextPageCursor": "page2", "category": "inverse"})),
            Reply(
                envelope(
                    {"list": [{**docs_item, "symbol": "ETHUSD"}], "nextPageCursor": "", "category": "inverse"}
                )
            ),
        )
        with BybitAPI(server.url, API_KEY, SECRET) as api:
            [event] = Reconciler(api, [ReconcileScope("inverse")], orders=False).snapshot()
        assert [r.target for r in server.requests] == [
            "/v5/position/list?category=inverse&limit=200",
            "/v5/position/list?category=inverse&limit=200&cursor=page2",
        ]
        assert all(r.headers["X-BAPI-SIGN"] == r.expected_signature(SECRET) for r in server.requests)
    assert isinstance(event, PositionSnapshotEvent)
    first, second = event.get_positions()
    assert (first.get_symbol(), second.get_symbol()) == ("BTCUSD", "ETHUSD")
    assert first.get_category() == "inverse"
    assert first.get_entry_price() == Decimal("27464.50441675")  # REST's avgPrice
    assert first.get_size() == Decimal("300")
    assert first.get_seq() == 5723621632


def test_without_the_position_endpoint_positions_are_skipped_or_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_reconcile, "_position_endpoint", lambda: None)
    api = BybitAPI("http://127.0.0.1:9", API_KEY, SECRET)
    assert Reconciler(api, [ReconcileScope("inverse")], orders=False).snapshot() == []
    with pytest.raises(SDKException, match=r"carpenstar_bybit\.v5\.position\.position_info"):
        Reconciler(api, positions=True)


def test_scopes_are_checked() -> None:
    with pytest.raises(SDKException, match="a linear ReconcileScope needs symbol, base_coin or settle_coin"):
        ReconcileScope("linear")
    with pytest.raises(SDKException, match="category must be one of"):
        ReconcileScope("spread")
    assert ReconcileScope("linear", symbol="BTCUSDT").fields() == {"category": "linear", "symbol": "BTCUSDT"}


def test_an_async_stream_reconciles_through_an_async_client(
    exchange: ScriptedBybit, sandbox: SandboxExchange
) -> None:
    from carpenstar_bybit import AsyncBybitAPI
    from carpenstar_bybit.v5.stream import AsyncPrivateStream
    from tests.stream.conftest import FAST, AsyncHarness

    api = AsyncBybitAPI(sandbox.url, API_KEY, SECRET)
    with BybitAPI(sandbox.url, API_KEY, SECRET) as rest:
        kept = place(rest, "20000", "kept")
    reconciler = Reconciler(api, [ReconcileScope("linear", symbol="BTCUSDT")], positions=False)
    assert reconciler.is_async
    harness = AsyncHarness(
        AsyncPrivateStream(
            API_KEY,
            SECRET,
            host=exchange.url,
            topics=["order"],
            reconcile=reconciler,
            reconnect=FAST,
            proxy=None,
        )
    )
    try:
        harness.start()
        exchange.drop()
        assert isinstance(harness.get(), ReconnectedEvent)
        snapshot = harness.get()
        assert isinstance(snapshot, OrderSnapshotEvent)
        assert [o.get_order_id() for o in snapshot.get_orders()] == [kept]
    finally:
        harness.run(api.aclose())
        harness.close()


def test_an_async_client_is_only_for_async_streams(exchange: ScriptedBybit) -> None:
    from carpenstar_bybit import AsyncBybitAPI
    from carpenstar_bybit.v5.stream import PrivateStream

    reconciler = Reconciler(AsyncBybitAPI("http://127.0.0.1:9", API_KEY, SECRET), [ReconcileScope("inverse")])
    with pytest.raises(SDKException, match="await asnapshot"):
        reconciler.snapshot()
    with pytest.raises(SDKException, match="not an AsyncBybitAPI"):
        PrivateStream(API_KEY, SECRET, host=exchange.url, reconcile=reconciler)


def test_positions_come_back_as_the_sandbox_shows_them(
    monkeypatch: pytest.MonkeyPatch, sandbox: SandboxExchange
) -> None:
    monkeypatch.setattr(_reconcile, "_position_endpoint", lambda: (PositionList, PositionListRequest))
    with BybitAPI(sandbox.url, API_KEY, SECRET) as api:
        request = PlaceOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_side("Buy")
        api.rest(PlaceOrder, request.set_order_type("Market").set_qty("0.02"))
        [orders, positions] = Reconciler(api, [ReconcileScope("linear", settle_coin="USDT")]).snapshot()
    assert isinstance(orders, OrderSnapshotEvent)
    assert isinstance(positions, PositionSnapshotEvent)
    [position] = positions.get_positions()
    [expected] = [p for p in sandbox.positions(API_KEY) if p.symbol == "BTCUSDT" and p.size]
    assert (position.get_symbol(), position.get_side(), position.get_size()) == (
        "BTCUSDT",
        "Buy",
        Decimal("0.02"),
    )
    assert position.get_size() == expected.size
    assert position.get_entry_price() == expected.entry_price  # REST sends it as avgPrice
    assert position.get_category() == "linear"
