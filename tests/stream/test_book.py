"""The local order book against a plain reference after thousands of random deltas, and its gap
detection and repair (through ``StreamProtocol``, frame by frame)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carpenstar_bybit.v5.stream import OrderBook, OrderBookEvent, OrderBookResyncEvent, StreamProtocol
from carpenstar_bybit.v5.stream._book import LocalOrderBook
from tests.stream.helpers import answer, feed, public, sent
from tests.stream.reference import ReferenceBook


def levels(book: OrderBook) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    return [tuple(level) for level in book.get_bids()], [tuple(level) for level in book.get_asks()]  # type: ignore[misc]


def book_event(events: list[object]) -> OrderBookEvent:
    [event] = events
    assert isinstance(event, OrderBookEvent)
    return event


@pytest.mark.parametrize(("depth", "seed"), [(50, 1), (200, 2), (1000, 3)])
def test_thousands_of_random_deltas_give_the_reference_book(depth: int, seed: int) -> None:
    reference = ReferenceBook(depth=depth, seed=seed)
    protocol = public(reference.topic)
    event = book_event(feed(protocol, reference.snapshot()))
    assert levels(event.get_book()) == (reference.sorted_bids(), reference.sorted_asks())
    for step in range(3000):
        event = book_event(feed(protocol, reference.delta()))
        if step % 250 == 0:
            assert levels(event.get_book()) == (reference.sorted_bids(), reference.sorted_asks()), step
    book = event.get_book()
    assert levels(book) == (reference.sorted_bids(), reference.sorted_asks())
    assert book.get_update_id() == reference.u
    assert book.get_seq() == reference.seq
    assert len(book.get_bids()) <= depth
    assert protocol.data_to_send() == []  # no gap was seen: nothing was resubscribed


def test_every_view_stays_as_it_was_when_its_event_was_made() -> None:
    reference = ReferenceBook(depth=50, seed=7)
    protocol = public(reference.topic)
    views = [
        (
            book_event(feed(protocol, reference.snapshot())).get_book(),
            reference.sorted_bids(),
            reference.sorted_asks(),
        )
    ]
    for _ in range(300):
        event = book_event(feed(protocol, reference.delta()))
        views.append((event.get_book(), reference.sorted_bids(), reference.sorted_asks()))
    for book, bids, asks in views:
        assert levels(book) == (bids, asks)


operations = st.lists(
    st.lists(
        st.tuples(
            st.booleans(), st.integers(1, 40), st.sampled_from(["0", "0.000", "1", "2.5", "0.001", "10"])
        ),
        max_size=8,
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(operations, st.booleans())
def test_any_sequence_of_level_changes(
    deltas: list[list[tuple[bool, int, str]]], trailing_zero: bool
) -> None:
    """Sizes of 0 in any spelling delete; a price in another spelling is the same level."""
    topic = "orderbook.50.BTCUSDT"
    protocol = public(topic)
    feed(
        protocol,
        {
            "topic": topic,
            "type": "snapshot",
            "ts": 1,
            "data": {"s": "BTCUSDT", "b": [], "a": [], "u": 1, "seq": 1},
        },
    )
    bids: dict[Decimal, Decimal] = {}
    asks: dict[Decimal, Decimal] = {}
    for u, changes in enumerate(deltas, start=2):
        message: dict[str, list[list[str]]] = {"b": [], "a": []}
        for is_bid, tick, size in changes:
            price = Decimal(tick) / 2
            spelled = f"{price:.2f}" if trailing_zero and tick % 2 else format(price, "f")
            message["b" if is_bid else "a"].append([spelled, size])
            side = bids if is_bid else asks
            if Decimal(size):
                side[price] = Decimal(size)
            else:
                side.pop(price, None)
        data = {"s": "BTCUSDT", **message, "u": u, "seq": u}
        event = book_event(feed(protocol, {"topic": topic, "type": "delta", "ts": u, "data": data}))
        assert levels(event.get_book()) == (sorted(bids.items(), reverse=True), sorted(asks.items()))


def gap_setup() -> tuple[StreamProtocol, ReferenceBook]:
    reference = ReferenceBook(depth=50, seed=11)
    protocol = public(reference.topic)
    feed(protocol, reference.snapshot())
    for _ in range(20):
        feed(protocol, reference.delta())
    return protocol, reference


def assert_resubscribes(
    protocol: StreamProtocol, reference: ReferenceBook, events: list[object], reason: str
) -> None:
    [notice] = events
    assert isinstance(notice, OrderBookResyncEvent)
    assert notice.get_topic() == reference.topic
    assert reason in notice.get_reason()
    frames = sent(protocol)
    assert [(f["op"], f["args"]) for f in frames] == [
        ("unsubscribe", [reference.topic]),
        ("subscribe", [reference.topic]),
    ]
    # deltas are ignored until the new snapshot
    assert feed(protocol, reference.delta()) == []
    answer(protocol, frames)
    assert protocol.results() == []  # the protocol's own requests: no one waits for them
    assert protocol.is_active(reference.topic)
    repaired = book_event(feed(protocol, reference.snapshot()))
    assert repaired.is_snapshot()
    assert levels(repaired.get_book()) == (reference.sorted_bids(), reference.sorted_asks())
    for _ in range(50):
        event = book_event(feed(protocol, reference.delta()))
    assert levels(event.get_book()) == (reference.sorted_bids(), reference.sorted_asks())


def test_a_skipped_delta_is_detected_and_repaired() -> None:
    protocol, reference = gap_setup()
    reference.delta()  # the exchange sent it; it never arrived
    assert_resubscribes(
        protocol,
        reference,
        feed(protocol, reference.delta()),
        f"u gap: expected {reference.u - 1}, got {reference.u}",
    )


def test_a_repeated_delta_is_a_gap() -> None:
    protocol, reference = gap_setup()
    message = reference.delta()
    feed(protocol, message)
    assert_resubscribes(protocol, reference, feed(protocol, message), "u gap")


def test_seq_going_back_is_a_gap() -> None:
    protocol, reference = gap_setup()
    message = reference.delta()
    message["data"]["seq"] = reference.seq - 1000
    assert_resubscribes(protocol, reference, feed(protocol, message), "seq went back")


def test_a_malformed_delta_is_repaired_like_a_gap() -> None:
    protocol, reference = gap_setup()
    message = reference.delta()
    message["data"]["b"] = [["30000.5", "1"], ["not a price", "1"]]
    assert_resubscribes(protocol, reference, feed(protocol, message), "order book delta of BTCUSDT")


def test_a_delta_before_any_snapshot_asks_for_one() -> None:
    reference = ReferenceBook(depth=50, seed=3)
    protocol = public(reference.topic)
    reference.snapshot()
    events = feed(protocol, reference.delta())
    assert_resubscribes(protocol, reference, events, "a delta before any snapshot")


def test_a_gap_is_asked_about_once() -> None:
    protocol, reference = gap_setup()
    reference.delta()
    feed(protocol, reference.delta())
    sent(protocol)
    reference.delta()
    assert feed(protocol, reference.delta()) == []
    assert protocol.data_to_send() == []


@pytest.mark.parametrize("u", [1, 999_999])
def test_a_snapshot_mid_stream_resets_the_book(u: int) -> None:
    """Bybit resends a snapshot after trouble on its side; ``u == 1`` after a restart of its service."""
    protocol, _ = gap_setup()
    fresh = ReferenceBook(depth=50, seed=99, mid=25000)
    fresh.u = u
    event = book_event(feed(protocol, fresh.snapshot()))
    assert event.is_snapshot()
    assert levels(event.get_book()) == (fresh.sorted_bids(), fresh.sorted_asks())
    event = book_event(feed(protocol, fresh.delta()))
    assert event.get_update_id() == u + 1
    assert levels(event.get_book()) == (fresh.sorted_bids(), fresh.sorted_asks())
    assert protocol.data_to_send() == []


def test_level_one_snapshots_repeat_with_the_same_u() -> None:
    topic = "orderbook.1.BTCUSDT"
    protocol = public(topic)
    message = {
        "topic": topic,
        "type": "snapshot",
        "ts": 1,
        "data": {"s": "BTCUSDT", "b": [["1", "2"]], "a": [["3", "4"]], "u": 5, "seq": 9},
    }
    first = book_event(feed(protocol, message))
    second = book_event(feed(protocol, json.dumps(message)))
    assert first.get_book() == second.get_book()
    assert protocol.data_to_send() == []


def test_a_book_event_of_a_topic_no_longer_wanted_is_dropped() -> None:
    reference = ReferenceBook(depth=50)
    protocol = public(reference.topic, "publicTrade.BTCUSDT")
    protocol.unsubscribe([reference.topic], 0.0)
    assert feed(protocol, reference.snapshot()) == []


def test_local_book_copies_a_side_only_while_a_view_holds_it() -> None:
    book = LocalOrderBook("X")
    book.snapshot({"b": [["1", "1"]], "a": [["2", "1"]], "u": 1}, None, None)
    view = book.view()
    book.delta({"b": [["1", "5"]], "a": [], "u": 2}, None, None)
    assert view.get_bid_size(Decimal(1)) == Decimal(1)
    assert book.view().get_bid_size(Decimal(1)) == Decimal(5)
    # no view taken between: changed in place, and the asks were never copied
    asks_before = book._asks
    book.delta({"b": [["1", "6"]], "a": [], "u": 3}, None, None)
    assert book._asks is asks_before


def test_the_texts_a_book_remembers_stay_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from carpenstar_bybit.v5.stream import _book

    monkeypatch.setattr(_book, "_MAX_KNOWN", 64)
    reference = ReferenceBook(depth=50, seed=13)
    protocol = public(reference.topic)
    feed(protocol, reference.snapshot())
    for _ in range(500):
        event = book_event(feed(protocol, reference.delta()))
        assert len(protocol._books[reference.topic]._numbers) <= 64 + 2 * 40
    assert levels(event.get_book()) == (reference.sorted_bids(), reference.sorted_asks())
