"""Public streams against the sandbox exchange, with the sync and the async classes: the market
model driven fast by a clock the test moves, and what the streams show compared with what the REST
market routes answer at the same moment."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal

import pytest

from carpenstar_bybit.core.timeutil import from_ms
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.stream import (
    BookLevel,
    Kline,
    KlineEvent,
    OrderBook,
    OrderBookEvent,
    OrderBookResyncEvent,
    TickerEvent,
    TradeEvent,
)
from tests.stream.conftest import Opener
from tests.stream.sandboxing import Clock, next_of, rest_result
from tests.stream.server import API_KEY, SECRET

BOOK = "orderbook.50.BTCUSDT"
SLOT_MS = 100


class Market:
    """A sandbox on a clock the test moves, and streams of one kind on it."""

    def __init__(self, kind: str) -> None:
        self.clock = Clock()
        self.exchange = SandboxExchange(api_keys={API_KEY: SECRET}, clock=self.clock, streams=True)
        self.exchange.start()
        self.streams = Opener(kind, self.exchange.ws_url)

    def slot(self) -> int:
        return self.clock() // SLOT_MS

    def rest(self, path: str, query: str) -> dict[str, object]:
        result: dict[str, object] = rest_result(self.exchange, path, query, public=True)
        return result

    def rest_candles(self, limit: int) -> list[list[str]]:
        """The newest 1-minute candles REST shows, newest first."""
        rows = self.rest("/v5/market/kline", f"category=linear&symbol=BTCUSDT&interval=1&limit={limit}")[
            "list"
        ]
        assert isinstance(rows, list)
        return rows

    def rest_book(self, depth: int = 50) -> dict[str, object]:
        return self.rest("/v5/market/orderbook", f"category=linear&symbol=BTCUSDT&limit={depth}")

    def close(self) -> None:
        try:
            self.streams.close_all()
        finally:
            self.exchange.stop()


@pytest.fixture(params=["sync", "async"])
def market(request: pytest.FixtureRequest) -> Iterator[Market]:
    market = Market(request.param)
    try:
        yield market
    finally:
        market.close()
    assert market.exchange.internal_errors() == []


def levels(raw: object) -> list[BookLevel]:
    assert isinstance(raw, list)
    return [BookLevel(Decimal(price), Decimal(size)) for price, size in raw]


def assert_same_book(book: OrderBook, rest: dict[str, object]) -> None:
    assert book.get_seq() == rest["seq"]
    assert list(book.get_bids()) == levels(rest["b"])
    assert list(book.get_asks()) == levels(rest["a"])


def test_the_local_book_equals_the_exchange_book_after_thousands_of_deltas(market: Market) -> None:
    stream = market.streams.public(topics=[BOOK], conflate=False)  # every message, one event each
    event = next_of(stream, OrderBookEvent)
    assert event.is_snapshot()
    assert_same_book(event.get_book(), market.rest_book())
    deltas = deletions = 0
    update_id = event.get_update_id()
    for round_ in range(24):
        if round_ % 3 == 1:  # the ladder moves with the last price: levels leave it (size 0), others join
            mark = market.exchange.mark_price("BTCUSDT") + Decimal("1.5") * (1 if round_ % 2 else -1)
            market.exchange.set_mark_price("BTCUSDT", mark)
        for _ in range(100):  # 100 slots of 100 ms: the sizes of the model's book change every slot
            market.clock.advance(SLOT_MS)
        target = market.slot()
        while True:
            event = next_of(stream, OrderBookEvent)
            assert not event.is_snapshot()
            assert event.get_update_id() == update_id + 1  # u + 1 per message: no gap, no resync
            update_id = event.get_update_id()
            deltas += 1
            deletions += sum(
                1 for level in event.get_bid_changes() + event.get_ask_changes() if not level.size
            )
            if event.get_book().get_seq() == target:
                break
    assert deltas >= 2400
    assert deletions >= 8 * 2 * 15  # each move of 15 ticks takes 15 levels off each side
    assert_same_book(event.get_book(), market.rest_book())


def test_a_skipped_delta_is_detected_and_the_book_repaired(market: Market) -> None:
    stream = market.streams.public(topics=[BOOK], conflate=False)
    snapshot = next_of(stream, OrderBookEvent)
    start = snapshot.get_update_id()
    assert start is not None
    market.exchange.ws_faults.inject("skip_delta", topic=BOOK)
    market.clock.advance(SLOT_MS)  # this slot's delta is never sent...
    market.clock.advance(SLOT_MS)  # ...so this one's u is 2 ahead of the book
    resync = next_of(stream, OrderBookResyncEvent)
    assert resync.get_reason() == f"u gap: expected {start + 1}, got {start + 2}"
    fresh = next_of(stream, OrderBookEvent)
    assert fresh.is_snapshot()
    assert market.exchange.ws_faults.pending() == []
    assert_same_book(fresh.get_book(), market.rest_book())
    market.clock.advance(SLOT_MS)  # and the book goes on from there
    after = next_of(stream, OrderBookEvent)
    assert not after.is_snapshot()
    assert after.get_update_id() == (fresh.get_update_id() or 0) + 1
    assert_same_book(after.get_book(), market.rest_book())


def test_the_ticker_is_the_rest_ticker_of_the_moment(market: Market) -> None:
    stream = market.streams.public(topics=["tickers.BTCUSDT"], conflate=False)
    first = next_of(stream, TickerEvent)
    assert first.get_type() == "snapshot"
    market.exchange.set_mark_price("BTCUSDT", "30123.4")
    market.clock.advance(SLOT_MS)
    event = next_of(stream, TickerEvent, lambda e: e.get_cross_seq() == market.slot())
    assert event.get_type() == "delta"
    ticker = event.get_ticker()  # the snapshot with the deltas merged
    tickers = market.rest("/v5/market/tickers", "category=linear&symbol=BTCUSDT")["list"]
    assert isinstance(tickers, list)
    [rest] = tickers
    assert ticker.get_tick_direction() == "PlusTick"
    for getter, key in (
        (ticker.get_last_price, "lastPrice"),
        (ticker.get_mark_price, "markPrice"),
        (ticker.get_index_price, "indexPrice"),
        (ticker.get_bid_1price, "bid1Price"),
        (ticker.get_bid_1size, "bid1Size"),
        (ticker.get_ask_1price, "ask1Price"),
        (ticker.get_ask_1size, "ask1Size"),
        (ticker.get_prev_price_24h, "prevPrice24h"),
        (ticker.get_price_24h_pcnt, "price24hPcnt"),
        (ticker.get_high_price_24h, "highPrice24h"),
        (ticker.get_low_price_24h, "lowPrice24h"),
        (ticker.get_volume_24h, "volume24h"),
        (ticker.get_turnover_24h, "turnover24h"),
        (ticker.get_open_interest, "openInterest"),
        (ticker.get_funding_rate, "fundingRate"),
    ):
        assert getter() == Decimal(rest[key]), key
    assert ticker.get_last_price() == Decimal("30123.4")


def test_trades_and_candles_are_those_rest_shows(market: Market) -> None:
    stream = market.streams.public(topics=["publicTrade.BTCUSDT", "kline.1.BTCUSDT"], conflate=False)
    current = next_of(stream, KlineEvent).get_klines()[0]  # the current candle, at once
    [rest_candle] = market.rest_candles(limit=1)
    assert current.get_start() == from_ms(int(rest_candle[0]))
    assert candle_values(current) == [Decimal(v) for v in rest_candle[1:]]
    assert current.is_confirmed() is False

    market.clock.advance(3000)  # three seconds: three trades, as REST lists them
    trades = next_of(stream, TradeEvent).get_trades()
    rest_trades = market.rest("/v5/market/recent-trade", "category=linear&symbol=BTCUSDT&limit=3")["list"]
    assert isinstance(rest_trades, list)
    assert [(t.get_trade_id(), t.get_price(), t.get_size(), t.get_side()) for t in trades] == [
        (r["execId"], Decimal(r["price"]), Decimal(r["size"]), r["side"]) for r in reversed(rest_trades)
    ]

    market.clock.advance(60_000)  # the minute ends: the candle closes, the next one starts
    closed = next_of(stream, KlineEvent, lambda e: e.get_klines()[0].is_confirmed() is True).get_klines()[0]
    opened = next_of(stream, KlineEvent).get_klines()[0]
    assert closed.get_start() == current.get_start()
    assert opened.get_start() == closed.get_end() + timedelta(milliseconds=1)  # type: ignore[operator]
    rest_now, rest_closed = market.rest_candles(limit=2)
    assert candle_values(closed) == [Decimal(v) for v in rest_closed[1:]]
    assert candle_values(opened) == [Decimal(v) for v in rest_now[1:]]


def candle_values(candle: Kline) -> list[Decimal | None]:
    return [
        candle.get_open(),
        candle.get_high(),
        candle.get_low(),
        candle.get_close(),
        candle.get_volume(),
        candle.get_turnover(),
    ]
