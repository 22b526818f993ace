"""The buffer between a connection and its consumer: conflation of market data, a bound on
everything else, and never a dropped private event."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.v5.stream import (
    OrderBookEvent,
    OrderBookResyncEvent,
    OrderEvent,
    ReconnectPolicy,
    StreamOverflowException,
    TickerEvent,
    TradeEvent,
)
from carpenstar_bybit.v5.stream._buffer import EMPTY, END, EventBuffer
from tests.stream.helpers import feed, payload, private, public
from tests.stream.reference import ReferenceBook


def market() -> tuple[Any, ReferenceBook]:
    reference = ReferenceBook(depth=50, seed=5)
    protocol = public(reference.topic, "publicTrade.BTCUSDT", "tickers.BTCUSDT", "kline.1.BTCUSDT")
    return protocol, reference


def drain(buffer: EventBuffer) -> list[Any]:
    out = []
    while (item := buffer.get_nowait()) is not EMPTY and item is not END:
        out.append(item)
    return out


def test_book_events_of_a_lagging_consumer_merge_into_one_with_every_change() -> None:
    protocol, reference = market()
    buffer = EventBuffer(10, conflate=True, on_overflow="block")
    [snapshot] = feed(protocol, reference.snapshot())
    assert buffer.put(snapshot)
    first = drain(buffer)
    assert first == [snapshot]
    deltas = [reference.delta() for _ in range(200)]
    changed_bids: dict[Any, Any] = {}
    for message in deltas:
        [event] = feed(protocol, message)
        for price, size in event.get_bid_changes():
            changed_bids[price] = size
        assert buffer.put(event)
    assert len(buffer) == 1
    [merged] = drain(buffer)
    assert isinstance(merged, OrderBookEvent)
    assert merged.get_conflated() == 200
    assert not merged.is_snapshot()
    assert dict(merged.get_bid_changes()) == changed_bids
    assert [tuple(level) for level in merged.get_book().get_bids()] == reference.sorted_bids()
    assert merged.get_update_id() == reference.u


def test_a_snapshot_in_a_merge_makes_the_merged_event_a_snapshot() -> None:
    protocol, reference = market()
    buffer = EventBuffer(10, conflate=True, on_overflow="block")
    for message in (reference.snapshot(), reference.delta(), reference.delta()):
        for event in feed(protocol, message):
            buffer.put(event)
    [merged] = drain(buffer)
    assert merged.is_snapshot()
    assert merged.get_bid_changes() == merged.get_book().get_bids()


def test_trades_are_never_merged_and_tickers_keep_the_newest() -> None:
    protocol, _ = market()
    buffer = EventBuffer(100, conflate=True, on_overflow="block")
    feed_tickers = [payload("tickers_linear_perpetual")]
    for i in range(5):
        delta = {
            "topic": "tickers.BTCUSDT",
            "type": "delta",
            "data": {"lastPrice": f"1000{i}"},
            "cs": i,
            "ts": 1,
        }
        feed_tickers.append(delta)
    trades = payload("publicTrade")
    for message in feed_tickers:
        for event in feed(protocol, message):
            buffer.put(event)
        for event in feed(protocol, trades):
            buffer.put(event)
    items = drain(buffer)
    assert [type(i) for i in items] == [TickerEvent] + [TradeEvent] * 6
    assert str(items[0].get_ticker().get_last_price()) == "10004"


def test_klines_merge_per_candle() -> None:
    protocol, _ = market()
    buffer = EventBuffer(100, conflate=True, on_overflow="block")
    candle = payload("kline")
    candle["topic"] = "kline.1.BTCUSDT"
    closing = {**candle, "data": [{**candle["data"][0], "close": "16680", "confirm": True}]}
    following = {**candle, "data": [{**candle["data"][0], "start": 1672325100000, "end": 1672325399999}]}
    for message in (candle, closing, following):
        for event in feed(protocol, message):
            buffer.put(event)
    first, second = drain(buffer)
    assert first.get_klines()[0].is_confirmed() is True
    assert str(first.get_klines()[0].get_close()) == "16680"
    assert second.get_klines()[0].get_start().timestamp() == 1672325100


def test_nothing_merges_across_a_notice_about_the_same_topic() -> None:
    protocol, reference = market()
    buffer = EventBuffer(10, conflate=True, on_overflow="block")
    for event in feed(protocol, reference.snapshot()):
        buffer.put(event)
    buffer.put(OrderBookResyncEvent(reference.topic, "u gap"))
    for event in feed(protocol, reference.snapshot()):
        buffer.put(event)
    assert [type(i) for i in drain(buffer)] == [OrderBookEvent, OrderBookResyncEvent, OrderBookEvent]


def test_without_conflation_every_event_counts() -> None:
    protocol, reference = market()
    buffer = EventBuffer(3, conflate=False, on_overflow="block")
    events = [
        e
        for m in (reference.snapshot(), reference.delta(), reference.delta(), reference.delta())
        for e in feed(protocol, m)
    ]
    assert [buffer.put(e) for e in events] == [True, True, True, False]


def test_block_refuses_when_full_and_takes_again_when_room_is_made() -> None:
    protocol = private("order")
    events = [feed(protocol, payload("order"))[0] for _ in range(4)]
    woken = []
    buffer = EventBuffer(3, conflate=True, on_overflow="block", on_space=lambda: woken.append(1))
    assert [buffer.put(e) for e in events[:3]] == [True, True, True]
    assert not buffer.put(events[3])
    assert len(buffer) == 3
    assert buffer.get_nowait() is events[0]
    assert woken
    assert buffer.put(events[3])
    assert drain(buffer) == events[1:]


def test_raise_ends_the_buffer_after_every_event_it_received() -> None:
    protocol = private("order")
    events = [feed(protocol, payload("order"))[0] for _ in range(4)]
    buffer = EventBuffer(3, conflate=False, on_overflow="raise")
    assert all(buffer.put(e) for e in events)
    assert buffer.ended
    assert buffer.put(events[0])  # after the end nothing is added
    assert [buffer.get_nowait() for _ in range(4)] == events
    with pytest.raises(StreamOverflowException, match="fell 3 events behind") as info:
        buffer.get_nowait()
    assert info.value.capacity == 3
    assert buffer.drained
    assert buffer.get_nowait() is END


def test_a_thread_waits_for_an_event_or_times_out() -> None:
    protocol = private("order")
    [event] = feed(protocol, payload("order"))
    buffer = EventBuffer(3, conflate=False, on_overflow="block")
    assert buffer.get(timeout=0.01) is EMPTY
    got: list[Any] = []
    taker = threading.Thread(target=lambda: got.append(buffer.get(timeout=30)))
    taker.start()
    buffer.put(event)
    taker.join(30)
    assert got == [event]
    assert isinstance(event, OrderEvent)
    buffer.end()
    assert buffer.get(timeout=30) is END


def test_options_are_checked() -> None:
    with pytest.raises(SDKException, match="capacity must be a positive int"):
        EventBuffer(0, conflate=True, on_overflow="block")
    with pytest.raises(SDKException, match="on_overflow must be 'block' or 'raise'"):
        EventBuffer(1, conflate=True, on_overflow="drop")  # type: ignore[arg-type]


def test_reconnect_backoff_grows_with_jitter_up_to_the_maximum() -> None:
    import random

    policy = ReconnectPolicy(initial_delay=1, max_delay=8, multiplier=2, jitter=0.5, max_attempts=5)
    rng = random.Random(1)
    delays = [policy.delay(n, rng) for n in range(1, 8)]
    for n, delay in enumerate(delays, start=1):
        base = min(8, 2 ** (n - 1))
        assert base * 0.5 <= delay <= base
    assert len(set(delays)) == len(delays)
    assert ReconnectPolicy(jitter=0).delay(3) == 2.0
    assert not policy.gives_up_after(4)
    assert policy.gives_up_after(5)
    assert not ReconnectPolicy().gives_up_after(10**6)
    with pytest.raises(SDKException, match="jitter must be between 0 and 1"):
        ReconnectPolicy(jitter=2)
    with pytest.raises(SDKException, match="max_attempts must be a positive int or None"):
        ReconnectPolicy(max_attempts=0)
