"""What only the synchronous streams have: a callback on the stream's own thread, and iteration."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.v5.stream import (
    OrderEvent,
    PrivateStream,
    PublicStream,
    StreamEvent,
    SubscriptionRejectedException,
    TradeEvent,
)
from tests.stream.conftest import FAST, WAIT
from tests.stream.helpers import payload
from tests.stream.server import API_KEY, SECRET, ScriptedBybit, scripted_bybit


@pytest.fixture
def exchange() -> Iterator[ScriptedBybit]:
    with scripted_bybit() as server:
        yield server


def test_a_callback_gets_every_event_on_its_own_thread(exchange: ScriptedBybit) -> None:
    seen: list[StreamEvent] = []
    threads: set[str] = set()
    done = threading.Event()

    def handle(event: StreamEvent) -> None:
        seen.append(event)
        threads.add(threading.current_thread().name)
        if len(seen) == 3:
            done.set()

    with PrivateStream(
        API_KEY, SECRET, host=exchange.url, topics=["order"], callback=handle, proxy=None
    ) as stream:
        for _ in range(3):
            exchange.push(payload("order"))
        assert done.wait(WAIT)
        with pytest.raises(SDKException, match="passes its events to its callback"):
            stream.get()
    assert all(isinstance(e, OrderEvent) for e in seen)
    assert threads == {"carpenstar-bybit stream callback"}
    stream.wait(WAIT)


def test_a_callback_that_raises_stops_the_stream_and_wait_raises_it(exchange: ScriptedBybit) -> None:
    def handle(event: StreamEvent) -> None:
        raise ValueError("my bug")

    stream = PublicStream(
        "linear", host=exchange.url, topics=["publicTrade.BTCUSDT"], callback=handle, proxy=None
    )
    stream.start()
    exchange.push(payload("publicTrade"))
    with pytest.raises(ValueError, match="my bug"):
        stream.wait(WAIT)
    exchange.wait_for(lambda: exchange.peers[0].closed, what="the stream to close")
    stream.close()


def test_errors_that_do_not_end_the_stream_go_to_on_error(exchange: ScriptedBybit) -> None:
    errors: list[Exception] = []
    trades: list[StreamEvent] = []
    got = threading.Event()
    refused = threading.Event()

    def on_error(error: Exception) -> None:
        errors.append(error)
        refused.set()

    def on_trade(event: StreamEvent) -> None:
        trades.append(event)
        got.set()

    stream = PublicStream(
        "linear",
        host=exchange.url,
        topics=["publicTrade.BTCUSDT", "tickers.BTCUSDT"],
        callback=on_trade,
        on_error=on_error,
        reconnect=FAST,
        proxy=None,
    )
    with stream:
        exchange.refuse.add("tickers.BTCUSDT")  # refused when subscribed again after the reconnect
        exchange.drop()
        exchange.wait_peers(2)
        exchange.wait_subscribed(exchange.peers[1], "publicTrade.BTCUSDT")
        assert refused.wait(WAIT)
        got.clear()
        exchange.push(payload("publicTrade"))
        assert got.wait(WAIT)
    [error] = errors
    assert isinstance(error, SubscriptionRejectedException)
    assert error.topics == ("tickers.BTCUSDT",)
    assert any(isinstance(t, TradeEvent) for t in trades)


def test_iterating_ends_when_the_stream_is_closed_from_another_thread(exchange: ScriptedBybit) -> None:
    with PublicStream("linear", host=exchange.url, topics=["publicTrade.BTCUSDT"], proxy=None) as stream:
        exchange.push(payload("publicTrade"))
        seen = []
        for event in stream:
            seen.append(event)
            threading.Thread(target=stream.close).start()
    assert [type(e) for e in seen] == [TradeEvent]


def test_a_stream_must_be_started_first(exchange: ScriptedBybit) -> None:
    stream = PublicStream("linear", host=exchange.url, proxy=None)
    with pytest.raises(SDKException, match="not started"):
        stream.subscribe("publicTrade.BTCUSDT")
    with pytest.raises(SDKException, match="not started"):
        stream.get()
    with pytest.raises(SDKException, match="wait\\(\\) is for streams with a callback"):
        stream.wait()
    stream.close()  # harmless
