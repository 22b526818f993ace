"""The private stream against the sandbox exchange, over real sockets, with the sync and the async
classes (``on_sandbox``): what REST does to the account arrives as typed events whose values are
those of the REST views, ``auth`` is checked, and a lost connection loses no order state."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from decimal import Decimal

import pytest

from carpenstar_bybit import NO_RETRY, BybitAPI
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.stream import (
    ExecutionEvent,
    OrderEvent,
    OrderSnapshotEvent,
    PositionEvent,
    PositionSnapshotEvent,
    Reconciler,
    ReconcileScope,
    ReconnectedEvent,
    StreamAuthenticationException,
    StreamSettings,
    Wallet,
    WalletEvent,
)
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from tests.stream.conftest import WAIT, Opener
from tests.stream.sandboxing import differences, next_of, place, rest_list, rest_result
from tests.stream.server import API_KEY, SECRET

OPEN_ORDERS = ("/v5/order/realtime", "category=linear&symbol=BTCUSDT")


@pytest.fixture
def api(sandbox: SandboxExchange) -> Iterator[BybitAPI]:
    with BybitAPI(sandbox.url, API_KEY, SECRET, retry=NO_RETRY) as client:
        yield client


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """For tests that start a sandbox of their own: the kind of stream classes."""
    name: str = request.param
    return name


def wait_until(predicate: Callable[[], bool], what: str) -> None:
    """Wait (generously) until the sandbox's state says ``predicate``."""
    deadline = time.monotonic() + WAIT
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.005)


def test_an_order_placed_over_rest_arrives_as_its_typed_order_event(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    stream = on_sandbox.private(topics=["order"])
    order_id = place(api, price="20000", link_id="first-order")
    event = stream.get()
    assert isinstance(event, OrderEvent)
    assert event.get_topic() == "order"
    [order] = event.get_orders()
    assert (order.get_order_id(), order.get_order_link_id()) == (order_id, "first-order")
    assert (order.get_category(), order.get_symbol(), order.get_side()) == ("linear", "BTCUSDT", "Buy")
    assert (order.get_price(), order.get_qty(), order.get_leaves_qty()) == (
        Decimal("20000"),
        Decimal("0.01"),
        Decimal("0.01"),
    )
    assert order.get_order_status() == "New"
    [rest] = rest_list(sandbox, *OPEN_ORDERS)
    assert differences(order, rest) == {}


def test_a_fill_arrives_as_execution_position_and_wallet_events_equal_to_the_rest_views(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    stream = on_sandbox.private(topics=["order", "execution", "position", "wallet"])
    order_id = place(api, price="29000", qty="0.02")
    assert next_of(stream, OrderEvent).get_orders()[0].get_order_status() == "New"

    sandbox.set_mark_price("BTCUSDT", "28990")  # the price reaches the order: it fills as maker
    filled = next_of(stream, OrderEvent).get_orders()[0]
    execution = next_of(stream, ExecutionEvent).get_executions()[0]
    position = next_of(stream, PositionEvent).get_positions()[0]
    wallet = next_of(stream, WalletEvent).get_wallets()[0]

    assert (filled.get_order_id(), filled.get_order_status()) == (order_id, "Filled")
    assert (execution.get_order_id(), execution.get_exec_qty(), execution.get_exec_price()) == (
        order_id,
        Decimal("0.02"),
        Decimal("29000"),
    )
    assert execution.is_maker() is True
    assert execution.get_exec_fee() == Decimal("29000") * Decimal("0.02") * Decimal("0.0001")
    assert (position.get_side(), position.get_size(), position.get_entry_price()) == (
        "Buy",
        Decimal("0.02"),
        Decimal("29000"),
    )
    assert position.get_unrealised_pnl() == (Decimal("28990") - Decimal("29000")) * Decimal("0.02")
    usdt = next(c for c in wallet.get_coin() if c.get_coin() == "USDT")
    assert usdt.get_wallet_balance() == sandbox.wallet("USDT").wallet_balance

    [rest_order] = rest_list(sandbox, "/v5/order/history", "category=linear&symbol=BTCUSDT")
    assert differences(filled, rest_order) == {}
    [rest_fill] = rest_list(sandbox, "/v5/execution/list", "category=linear&symbol=BTCUSDT")
    assert differences(execution, {"category": "linear", **rest_fill}) == {}
    [rest_position] = rest_list(sandbox, "/v5/position/list", "category=linear&symbol=BTCUSDT")
    rest_position["entryPrice"] = rest_position.pop("avgPrice")  # "average entry price" in both docs
    assert differences(position, {"category": "linear", **rest_position}) == {}
    [rest_wallet] = rest_list(sandbox, "/v5/account/wallet-balance", "accountType=UNIFIED")
    assert wallet == Wallet(rest_wallet)  # the whole unified account, every field and coin


def test_a_categorised_topic_gets_its_category_only_under_its_own_name(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    stream = on_sandbox.private(topics=["order.spot"])
    place(api, price="20000")  # linear: not for this topic
    spot_id = place(api, price="20000", category="spot")
    event = stream.get()
    assert isinstance(event, OrderEvent)
    assert event.get_topic() == "order.spot"
    [order] = event.get_orders()
    assert (order.get_order_id(), order.get_category()) == (spot_id, "spot")
    assert order.get_fee_currency() == "USDT"


def test_a_wrong_secret_is_a_typed_error_without_the_secret(on_sandbox: Opener) -> None:
    wrong = "wrong-secret-never-shown-0123456789"
    with pytest.raises(StreamAuthenticationException) as caught:
        on_sandbox.private(secret=wrong, topics=["order"])
    assert caught.value.ret_msg == "Request not authorized"
    assert wrong not in str(caught.value)
    assert wrong not in repr(caught.value)


def test_a_clock_far_behind_the_exchange_gets_auth_refused(kind: str) -> None:
    # the exchange's clock runs 30 s ahead: the stream's expires (10 s ahead of its own) is past there
    ahead = SandboxExchange(api_keys={API_KEY: SECRET}, clock=lambda: now_ms() + 30_000, streams=True)
    with ahead:
        opener = Opener(kind, ahead.ws_url)
        try:
            with pytest.raises(StreamAuthenticationException) as caught:
                opener.private(topics=["order"])
            assert caught.value.ret_msg == "Params Error"
        finally:
            opener.close_all()


def test_an_rsa_key_authenticates(kind: str) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public_pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    with SandboxExchange(rsa_keys={"rsa-key-0001": public_pem}, streams=True) as exchange:
        opener = Opener(kind, exchange.ws_url)
        try:
            stream = opener.private("rsa-key-0001", None, private_key=private_pem, topics=["wallet"])
            with BybitAPI(exchange.url, "rsa-key-0001", private_key=private_pem) as api:
                place(api, price=None)  # a market buy: the wallet changes
            assert isinstance(stream.get(), WalletEvent)
        finally:
            opener.close_all()
        assert exchange.internal_errors() == []


def test_a_dropped_connection_is_reconnected_and_rest_reconciliation_yields_what_changed_meanwhile(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    reconciler = Reconciler(api, [ReconcileScope("linear", settle_coin="USDT")], positions=False)
    stream = on_sandbox.private(topics=["order"], reconcile=reconciler)
    kept = place(api, price="20000", link_id="kept")
    doomed = place(api, price="20100", link_id="doomed")
    seen = {next_of(stream, OrderEvent).get_orders()[0].get_order_id() for _ in range(2)}
    assert seen == {kept, doomed}

    sandbox.ws_faults.inject("refuse", count=None)  # the exchange is unreachable for a while
    sandbox.ws_faults.inject("drop")
    wait_until(lambda: sandbox.stream_connections() == [], "the connection to drop")
    # while the stream is away: one order cancelled, one placed; it sees neither
    api.rest(
        CancelOrder, CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(doomed)
    )
    born = place(api, price="20200", link_id="born")
    sandbox.ws_faults.clear("refuse")

    reconnected = stream.get()
    assert isinstance(reconnected, ReconnectedEvent)
    assert reconnected.may_have_missed_events() is True
    assert reconnected.get_topics() == ("order",)
    snapshot = stream.get()
    assert isinstance(snapshot, OrderSnapshotEvent)
    statuses = {o.get_order_id(): o.get_order_status() for o in snapshot.get_orders()}
    assert statuses == {kept: "New", doomed: "Cancelled", born: "New"}

    # and the topic is subscribed again: the next change arrives live
    again = place(api, price="20300")
    assert next_of(stream, OrderEvent).get_orders()[0].get_order_id() == again


def test_after_a_reconnect_the_positions_come_back_over_rest_too(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    reconciler = Reconciler(api, [ReconcileScope("linear", symbol="BTCUSDT")])  # orders and positions
    stream = on_sandbox.private(topics=["position"], reconcile=reconciler)
    sandbox.ws_faults.inject("refuse", count=None)
    sandbox.ws_faults.inject("drop")
    wait_until(lambda: sandbox.stream_connections() == [], "the connection to drop")
    place(api, price=None, qty="0.03")  # a market buy fills while the stream is away
    sandbox.ws_faults.clear("refuse")

    assert isinstance(stream.get(), ReconnectedEvent)
    orders = stream.get()
    assert isinstance(orders, OrderSnapshotEvent)
    assert [o.get_order_status() for o in orders.get_orders()] == ["Filled"]
    positions = stream.get()
    assert isinstance(positions, PositionSnapshotEvent)
    [position] = positions.get_positions()
    assert (position.get_side(), position.get_size()) == ("Buy", Decimal("0.03"))
    assert position.get_entry_price() == position.get_avg_price() == sandbox.mark_price("BTCUSDT")
    [rest] = rest_list(sandbox, "/v5/position/list", "category=linear&symbol=BTCUSDT")
    rest["entryPrice"] = rest.pop("avgPrice")
    assert differences(position, {"category": "linear", **rest}) == {}


def test_an_exchange_that_stops_answering_pings_is_left_for_a_new_connection(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    settings = StreamSettings(ping_interval=0.05, pong_timeout=1.0)
    stream = on_sandbox.private(topics=["order"], settings=settings)
    sandbox.ws_faults.inject("no_pong", path="/v5/private")
    reconnected = next_of(stream, ReconnectedEvent)
    assert reconnected.get_reason() == "no pong within 1 s"
    assert sandbox.ws_faults.pending() == []
    order_id = place(api, price="20000")
    assert next_of(stream, OrderEvent).get_orders()[0].get_order_id() == order_id


def test_events_of_other_accounts_never_arrive(
    on_sandbox: Opener, sandbox: SandboxExchange, api: BybitAPI
) -> None:
    sandbox.add_api_key("other-key-0001", "other-secret-0123456789")
    stream = on_sandbox.private(topics=["order", "wallet"])
    with BybitAPI(sandbox.url, "other-key-0001", "other-secret-0123456789") as other:
        place(other, price=None)  # fills: order, execution, position and wallet events of the other
    mine = place(api, price="20000")
    event = stream.get()
    assert isinstance(event, OrderEvent)
    assert event.get_orders()[0].get_order_id() == mine
    assert rest_result(sandbox, *OPEN_ORDERS)["list"][0]["orderId"] == mine
