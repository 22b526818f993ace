"""The streams over a real WebSocket on 127.0.0.1, against the scripted exchange; every test runs
with the sync classes and with the async ones (the ``opened`` fixture)."""

from __future__ import annotations

import socket
import time
from decimal import Decimal
from typing import Any

import pytest

from carpenstar_bybit import AuthenticationException, SDKException
from carpenstar_bybit.v5.stream import (
    OrderBookEvent,
    OrderBookResyncEvent,
    OrderEvent,
    ReconnectedEvent,
    ReconnectPolicy,
    StreamAuthenticationException,
    StreamConnectionException,
    StreamException,
    StreamOverflowException,
    StreamSettings,
    SubscriptionRejectedException,
    TickerEvent,
    TradeEvent,
    WalletEvent,
)
from tests.stream.conftest import WAIT, Opener
from tests.stream.helpers import payload
from tests.stream.reference import ReferenceBook
from tests.stream.server import ScriptedBybit


def snapshot_on_subscribe(exchange: ScriptedBybit, book: ReferenceBook) -> None:
    """Like Bybit: a subscription to the book's topic is followed by the book's snapshot."""
    exchange.on_subscribe = lambda peer, topic: [book.snapshot()] if topic == book.topic else []


def test_public_topics_arrive_as_typed_events(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.public(topics=["publicTrade.BTCUSDT"], conflate=False)  # see every ticker message
    peer = exchange.current()
    assert peer.path == "/v5/public/linear"
    assert [f["args"] for _, f in exchange.frames("subscribe")] == [["publicTrade.BTCUSDT"]]
    stream.subscribe("tickers.BTCUSDT")
    exchange.push(payload("publicTrade"))
    exchange.push(payload("tickers_linear_perpetual"))
    exchange.push(
        {
            "topic": "tickers.BTCUSDT",
            "type": "delta",
            "data": {"symbol": "BTCUSDT", "lastPrice": "66700"},
            "cs": 1,
            "ts": 1,
        }
    )
    trade = stream.get()
    assert isinstance(trade, TradeEvent)
    assert trade.get_trades()[0].get_price() == Decimal("16578.50")
    first, second = stream.get(), stream.get()
    assert isinstance(first, TickerEvent)
    assert isinstance(second, TickerEvent)
    assert second.get_ticker().get_last_price() == Decimal("66700")
    assert second.get_ticker().get_mark_price() == Decimal("66666.60")
    stream.unsubscribe("publicTrade.BTCUSDT")
    assert exchange.frames("unsubscribe")[-1][1]["args"] == ["publicTrade.BTCUSDT"]
    assert stream.stream.topics == ("tickers.BTCUSDT",)


def test_a_refused_topic_is_an_error_naming_it_and_the_others_are_subscribed(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    exchange.refuse.add("orderbook.50.NOPEUSDT")
    stream = opened.public()
    with pytest.raises(SubscriptionRejectedException) as info:
        stream.subscribe("publicTrade.BTCUSDT", "orderbook.50.NOPEUSDT")
    assert info.value.topics == ("orderbook.50.NOPEUSDT",)
    assert "handler not found" in info.value.ret_msg
    assert isinstance(info.value, StreamException)
    exchange.wait_subscribed(exchange.current(), "publicTrade.BTCUSDT")
    assert stream.stream.topics == ("publicTrade.BTCUSDT",)
    with pytest.raises(SDKException, match="depth"):
        stream.subscribe("orderbook.51.BTCUSDT")


def test_a_refused_topic_at_start_fails_the_start(opened: Opener, exchange: ScriptedBybit) -> None:
    exchange.refuse.add("tickers.NOPEUSDT")
    with pytest.raises(SubscriptionRejectedException, match=r"tickers\.NOPEUSDT"):
        opened.public(topics=["tickers.NOPEUSDT"])


def test_private_events_after_auth(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.private(topics=["order", "wallet"])
    peer = exchange.current()
    assert peer.path == "/v5/private"
    assert peer.authenticated
    ops = [f["op"] for _, f in exchange.frames()]
    assert ops[:2] == ["auth", "subscribe"]
    exchange.push(payload("order"))
    exchange.push(payload("wallet"))
    order = stream.get()
    assert isinstance(order, OrderEvent)
    assert order.get_orders()[0].get_cum_fee_detail() == {"MNT": Decimal("0.00242968")}
    assert isinstance(stream.get(), WalletEvent)


def test_a_wrong_secret_is_a_typed_error_without_the_secret(opened: Opener, exchange: ScriptedBybit) -> None:
    with pytest.raises(StreamAuthenticationException) as info:
        opened.private(secret="wrong-secret-0123456789")
    assert isinstance(info.value, AuthenticationException)
    assert "Request not authorized" in str(info.value)
    for text in (str(info.value), repr(info.value)):
        assert "wrong-secret" not in text
        assert "stream-key-0001" not in text
    assert len(exchange.peers) == 1  # not retried: the same credentials would be refused again


def test_an_rsa_key_authenticates(opened: Opener, exchange: ScriptedBybit) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    exchange.rsa_keys["rsa-key-0001"] = private.public_key()
    stream = opened.private("rsa-key-0001", None, private_key=pem, topics=["order"])
    assert exchange.current().authenticated
    exchange.push(payload("order"))
    assert isinstance(stream.get(), OrderEvent)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    wrong = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(StreamAuthenticationException):
        opened.private("rsa-key-0001", None, private_key=wrong)


def test_nothing_listening_fails_the_start(opened: Opener) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StreamConnectionException, match="connection failed") as info:
        opened.public(host=f"ws://127.0.0.1:{port}")
    assert info.value.attempts == 1  # the first connection is not retried


def test_a_dropped_connection_is_reconnected_resubscribed_and_reported(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    stream = opened.private(topics=["order", "execution"])
    first = exchange.current()
    exchange.push(payload("order"))
    assert isinstance(stream.get(), OrderEvent)
    exchange.drop(first)
    second = exchange.wait_peers(2)
    exchange.wait_subscribed(second, "order", "execution")
    notice = stream.get()
    assert isinstance(notice, ReconnectedEvent)
    assert notice.get_topics() == ("order", "execution")
    assert notice.get_attempts() == 1
    assert "1006" in notice.get_reason() or "connection failed" in notice.get_reason()
    assert notice.get_disconnected_at() <= notice.get_reconnected_at()
    assert [f["op"] for f in second.received[:2]] == ["auth", "subscribe"]
    assert second.received[1]["args"] == ["order", "execution"]
    exchange.push(payload("order"), peer=second)
    assert isinstance(stream.get(), OrderEvent)


def test_a_server_that_stops_answering_pings_is_left_for_a_new_connection(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    stream = opened.public(
        topics=["publicTrade.BTCUSDT"], settings=StreamSettings(ping_interval=0.2, pong_timeout=0.5)
    )
    first = exchange.current()
    exchange.wait_for(lambda: any(f["op"] == "ping" for f in first.received), what="a ping")
    assert next(f for f in first.received if f["op"] == "ping") == {"req_id": "2", "op": "ping"}
    exchange.answer_pings = False
    notice = stream.get()
    assert isinstance(notice, ReconnectedEvent)
    assert notice.get_reason() == "no pong within 0.5 s"
    second = exchange.peers[-1]
    assert second is not first
    assert "publicTrade.BTCUSDT" in second.topics


def test_a_server_that_never_acknowledges_is_left_too(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.public(topics=["publicTrade.BTCUSDT"], settings=StreamSettings(ack_timeout=0.3))
    exchange.answer_commands = False
    with pytest.raises(TimeoutError, match=r"no answer to subscribe of tickers\.BTCUSDT within 0.5 s"):
        stream.subscribe("tickers.BTCUSDT", timeout=0.5)
    exchange.wait_peers(2)  # the silent connection was found dead and replaced
    exchange.answer_commands = True
    notice = stream.get()
    assert isinstance(notice, ReconnectedEvent)
    assert notice.get_reason() == "no answer to subscribe within 0.3 s"
    assert notice.get_topics() == ("publicTrade.BTCUSDT", "tickers.BTCUSDT")  # still wanted after the timeout


def book_until(stream: Any, update_id: int) -> OrderBookEvent:
    """Book events until the one of ``update_id`` (conflated ones stand for several messages)."""
    while True:
        event = stream.get()
        assert isinstance(event, OrderBookEvent), event
        if event.get_update_id() == update_id:
            return event


def test_the_book_over_the_wire_matches_and_a_skipped_delta_is_repaired(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    book = ReferenceBook(depth=200, seed=21)
    snapshot_on_subscribe(exchange, book)
    stream = opened.public(topics=[book.topic])
    event = stream.get()
    assert isinstance(event, OrderBookEvent)
    assert event.is_snapshot()
    exchange.push_many([book.delta() for _ in range(500)])
    event = book_until(stream, book.u)
    assert [tuple(x) for x in event.get_book().get_bids()] == book.sorted_bids()
    book.delta()  # lost on the way
    exchange.push(book.delta())
    notice = stream.get()
    assert isinstance(notice, OrderBookResyncEvent)
    assert notice.get_reason() == f"u gap: expected {book.u - 1}, got {book.u}"
    repaired = stream.get()
    assert isinstance(repaired, OrderBookEvent)
    assert repaired.is_snapshot()
    ops = [(f["op"], f.get("args")) for f in exchange.current().received if f["op"] != "ping"]
    assert ops[-2:] == [("unsubscribe", [book.topic]), ("subscribe", [book.topic])]
    exchange.push_many([book.delta() for _ in range(300)])
    event = book_until(stream, book.u)
    assert [tuple(x) for x in event.get_book().get_bids()] == book.sorted_bids()
    assert [tuple(x) for x in event.get_book().get_asks()] == book.sorted_asks()


def test_a_lagging_consumer_gets_conflated_books_and_every_trade(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    book = ReferenceBook(depth=50, seed=8)
    snapshot_on_subscribe(exchange, book)
    stream = opened.public(topics=[book.topic, "publicTrade.BTCUSDT"], buffer_size=1000)
    assert isinstance(stream.get(), OrderBookEvent)
    messages: list[dict[str, Any]] = []
    for i in range(400):
        messages.append(book.delta())
        if i % 40 == 0:
            messages.append(payload("publicTrade"))
    last_u = book.u
    exchange.push_many(messages)
    trades: list[TradeEvent] = []
    books: list[OrderBookEvent] = []
    while len(trades) < 10 or books[-1].get_update_id() != last_u:
        event = stream.get()
        (trades if isinstance(event, TradeEvent) else books).append(event)  # type: ignore[arg-type]
    assert len(trades) == 10
    assert sum(e.get_conflated() for e in books) == 400
    assert [tuple(x) for x in books[-1].get_book().get_bids()] == book.sorted_bids()


def test_private_events_are_never_dropped_by_a_slow_consumer(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.private(topics=["order"], buffer_size=5)
    messages = []
    for i in range(300):
        message = payload("order")
        message["id"] = f"message-{i}"
        messages.append(message)
    assert exchange.push_many(messages) == 300
    buffer = stream.stream._connection.buffer
    protocol = stream.stream._protocol
    deadline = time.monotonic() + WAIT
    # The reader fills the buffer, then (on the loop's thread) stops awaiting pongs: wait for both.
    while not (len(buffer) == 5 and protocol.next_deadline() is None) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(buffer) == 5  # full: the rest waits unread in the socket, not in memory
    assert protocol.next_deadline() is None  # and pongs are not awaited meanwhile
    received = [stream.get() for _ in range(300)]
    assert [e.get_id() for e in received] == [m["id"] for m in messages]  # type: ignore[union-attr]
    assert len(buffer) == 0


def test_on_overflow_raise_fails_loudly_after_what_was_received(
    opened: Opener, exchange: ScriptedBybit
) -> None:
    stream = opened.private(topics=["order"], buffer_size=5, on_overflow="raise")
    messages = []
    for i in range(50):
        message = payload("order")
        message["id"] = f"message-{i}"
        messages.append(message)
    exchange.push_many(messages)
    exchange.wait_for(lambda: exchange.peers[-1].closed, what="the stream to give up")
    received = [stream.get() for _ in range(6)]
    assert [e.get_id() for e in received] == [f"message-{i}" for i in range(6)]  # type: ignore[union-attr]
    with pytest.raises(StreamOverflowException):
        stream.get()
    assert stream.get() is None
    assert len(exchange.peers) == 1  # not reconnected


def test_close_ends_the_events_and_later_calls_are_refused(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.public(topics=["publicTrade.BTCUSDT"])
    exchange.push(payload("publicTrade"))
    exchange.wait_for(lambda: exchange.current().received, what="the subscription")
    first = stream.get()
    assert isinstance(first, TradeEvent)
    stream.close_stream()
    assert stream.get() is None
    with pytest.raises(SDKException, match="closed"):
        stream.subscribe("tickers.BTCUSDT")
    exchange.wait_for(lambda: exchange.peers[0].closed, what="the connection to close")


def test_reconnect_gives_up_after_its_attempts(opened: Opener, exchange: ScriptedBybit) -> None:
    stream = opened.public(
        topics=["publicTrade.BTCUSDT"], reconnect=ReconnectPolicy(initial_delay=0.01, max_attempts=2)
    )
    exchange.shut_down()
    with pytest.raises(StreamConnectionException) as info:
        stream.get()
    assert info.value.attempts == 2
    assert exchange.url in str(info.value)
    assert stream.get() is None
