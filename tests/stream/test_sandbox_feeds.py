"""The sandbox's public feeds without sockets: their messages, applied by the rules of Bybit's docs
to a plain book and ticker written here, rebuild at every moment what the market model (and so
REST) shows, through random clock steps, jumps, a clock going back and mark price moves."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._state import ExchangeState
from carpenstar_bybit.sandbox._ws_feeds import MAX_CATCHUP_SLOTS, make_feed
from carpenstar_bybit.sandbox._ws_render import ticker_item
from carpenstar_bybit.sandbox._ws_topics import public_topic

START_MS = 1_700_000_000_000


class PlainBook:
    """A book kept by the docs' rules: a snapshot replaces it; in a delta, size 0 deletes a level,
    any other size sets it."""

    def __init__(self) -> None:
        self.sides: dict[str, dict[Decimal, Decimal]] = {"b": {}, "a": {}}
        self.u: int | None = None

    def apply(self, message: dict[str, Any]) -> None:
        data = message["data"]
        if message["type"] == "snapshot":
            self.sides = {"b": {}, "a": {}}
        else:
            assert self.u is not None
            assert data["u"] == self.u + 1
        for side in ("b", "a"):
            for price, size in data[side]:
                if Decimal(size):
                    self.sides[side][Decimal(price)] = Decimal(size)
                else:
                    self.sides[side].pop(Decimal(price), None)
        self.u = data["u"]

    def levels(self, side: str) -> list[tuple[Decimal, Decimal]]:
        return sorted(self.sides[side].items(), reverse=side == "b")


def moves(seed: int, steps: int) -> list[tuple[int, Decimal | None]]:
    """Random (clock step in ms, new mark or None): mostly steps within a few slots, sometimes a jump
    past the catch-up, the clock going back, or the mark moving some ticks."""
    rng = random.Random(seed)
    out: list[tuple[int, Decimal | None]] = []
    for _ in range(steps):
        roll = rng.random()
        if roll < 0.03:
            step = -rng.randint(1, 3000)
        elif roll < 0.06:
            step = (MAX_CATCHUP_SLOTS + rng.randint(1, 50)) * 100
        else:
            step = rng.choice((0, 1, 40, 99, 100, 101, 250, 1000))
        mark = Decimal(30000) + Decimal(rng.randint(-300, 300)) / 10 if rng.random() < 0.15 else None
        out.append((step, mark))
    return out


@pytest.mark.parametrize("depth", [1, 50])
def test_book_messages_rebuild_the_model_s_book_at_every_moment(depth: int) -> None:
    state = ExchangeState()
    instrument = state.instrument("BTCUSDT", ("linear",))
    now = START_MS
    feed = make_feed(public_topic(f"orderbook.{depth}.BTCUSDT", "linear", state), state, now)
    book = PlainBook()
    [snapshot] = feed.initial()
    book.apply(snapshot)
    kinds: set[str] = set()
    for step, mark in moves(seed=depth, steps=400):
        if mark is not None:
            state.set_mark_price("BTCUSDT", mark)
        now += step
        for message in feed.advance(now):
            kinds.add(message["type"])
            assert message["data"]["seq"] == message["ts"] // 100 == message["cts"] // 100
            book.apply(message)
        expected = md.book(instrument, state.mark_price("BTCUSDT"), depth, now)
        assert book.levels("b") == list(expected.bids)
        assert book.levels("a") == list(expected.asks)
    assert kinds == ({"snapshot"} if depth == 1 else {"snapshot", "delta"})


def test_a_late_subscriber_starts_from_the_book_the_others_have() -> None:
    state = ExchangeState()
    feed = make_feed(public_topic("orderbook.50.BTCUSDT", "linear", state), state, START_MS)
    early = PlainBook()
    early.apply(feed.initial()[0])
    for message in feed.advance(START_MS + 500):
        early.apply(message)
    late = PlainBook()
    [snapshot] = feed.initial()
    late.apply(snapshot)
    assert (late.sides, late.u) == (early.sides, early.u)
    for message in feed.advance(START_MS + 700):
        early.apply(message)
        late.apply(message)
    assert late.sides == early.sides


@pytest.mark.parametrize(
    ("category", "symbol"), [("linear", "BTCUSDT"), ("inverse", "BTCUSD"), ("spot", "ETHUSDT")]
)
def test_ticker_deltas_merge_into_the_rest_ticker_of_the_moment(category: str, symbol: str) -> None:
    state = ExchangeState()
    instrument = state.instrument(symbol, (category,))
    now = START_MS
    feed = make_feed(public_topic(f"tickers.{symbol}", category, state), state, now)
    [snapshot] = feed.initial()
    merged = dict(snapshot["data"])
    kinds = set()
    for step, mark in moves(seed=11, steps=150):
        if mark is not None:
            state.set_mark_price(symbol, mark * (Decimal(1) if symbol.startswith("BTC") else Decimal("0.1")))
        now += max(step, 0)
        for message in feed.advance(now):
            kinds.add(message["type"])
            assert message["data"]["symbol"] == symbol
            assert message["cs"] == now // 100
            if message["type"] == "snapshot":
                merged = dict(message["data"])
            else:
                merged.update(message["data"])
        direction = merged.get("tickDirection")
        assert {k: v for k, v in merged.items() if k != "tickDirection"} == ticker_item(
            state, category, instrument, now
        )
        if category != "spot":
            assert direction in ("PlusTick", "ZeroPlusTick", "MinusTick", "ZeroMinusTick")
    assert kinds == ({"snapshot"} if category == "spot" else {"delta"})


def test_trades_of_each_second_once_as_rest_lists_them() -> None:
    state = ExchangeState()
    instrument = state.instrument("BTCUSDT", ("linear",))
    feed = make_feed(public_topic("publicTrade.BTCUSDT", "linear", state), state, START_MS)
    assert feed.initial() == []
    assert feed.advance(START_MS + 999) == []  # the same second: nothing new
    [message] = feed.advance(START_MS + 2500)
    rest = md.trades(instrument, state.mark_price("BTCUSDT"), START_MS + 2500, 2)
    assert [t["i"] for t in message["data"]] == [t.exec_id for t in reversed(rest)]
    assert [t["T"] for t in message["data"]] == [START_MS + 1000, START_MS + 2000]
    [jump] = feed.advance(START_MS + 3_600_000)  # an hour later: the last minute only
    assert len(jump["data"]) == 60
    assert feed.advance(START_MS) == []  # the clock went back: nothing until it passes that second again


def test_a_closing_candle_comes_confirmed_then_the_next_one() -> None:
    state = ExchangeState()
    start = START_MS - START_MS % 300_000
    feed = make_feed(public_topic("kline.5.BTCUSDT", "linear", state), state, start + 1000)
    [current] = feed.initial()
    assert current["data"][0]["start"] == start
    assert current["data"][0]["end"] == start + 300_000 - 1
    assert feed.advance(start + 1500) == []  # nothing changed within the second
    state.set_mark_price("BTCUSDT", "30100")
    [moved] = feed.advance(start + 2000)
    assert (moved["data"][0]["close"], moved["data"][0]["confirm"]) == ("30100", False)
    closed, opened = feed.advance(start + 300_000)
    assert (closed["data"][0]["start"], closed["data"][0]["confirm"]) == (start, True)
    assert (opened["data"][0]["start"], opened["data"][0]["confirm"]) == (start + 300_000, False)
