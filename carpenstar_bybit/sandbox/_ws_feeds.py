"""The public streams: one ``Feed`` per topic of a category, shared by every connection subscribed to
it, publishing what the market model (``_marketdata``, the functions of the REST market routes)
shows as the exchange clock moves and as mark prices move. No I/O: the server calls ``advance`` every
few milliseconds and sends what it returns to every subscriber; a new subscriber first gets
``initial()``.

* ``orderbook.{depth}.{symbol}``: a snapshot, then a delta for each 100 ms slot of the exchange clock
  in which the book changed (the sizes of the model's book change every slot), and for a mark price
  move (the ladder moves with the last price; levels that leave it are sent with size 0). ``u``
  counts the topic's messages (+1 per message; each depth has its own, as on Bybit), ``seq`` is the
  cross sequence: the slot, the ``seq`` REST shows at that time, so at any moment the stream's book
  (after the last message) is the book REST answers. After the clock jumps more than
  ``MAX_CATCHUP_SLOTS`` slots (or goes back), a fresh snapshot instead of the deltas. Depth 1 is
  snapshots only, as on Bybit.
* ``tickers.{symbol}``: a snapshot, then (linear, inverse) deltas of the fields that changed
  (always with ``symbol``), or (spot, option) snapshots; ``cs`` is the slot.
* ``publicTrade.{symbol}``: the model's trade of each second, once that second has come (at most
  the last 60 after a jump of the clock).
* ``kline.{interval}.{symbol}``: the current candle at once, then whenever it changes; when it
  closes, the closed candle (``confirm`` true), then the new one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._state import ExchangeState
from carpenstar_bybit.sandbox._ws_render import (
    book_message,
    kline_item,
    tick_direction,
    ticker_item,
    trade_item,
)
from carpenstar_bybit.sandbox._ws_topics import StreamTopic

__all__ = ["MAX_CATCHUP_SLOTS", "Feed", "make_feed"]

Message = dict[str, Any]
SLOT_MS = md.BOOK_SLOT_MS
#: Book slots replayed one delta each after the clock moved on; past that, a snapshot.
MAX_CATCHUP_SLOTS = 100
#: Seconds of public trades sent after the clock jumped (the older ones are skipped).
MAX_TRADE_CATCHUP = 60


class Feed:
    """One public topic of one category."""

    def __init__(self, topic: StreamTopic, state: ExchangeState) -> None:
        self.topic = topic
        self.state = state
        self._instrument = topic.instruments[0]
        self._moment: tuple[int, Decimal] | None = None

    def _changed(self, period: int, now_ms: int) -> Decimal | None:
        """The mark price when the ``period`` slot of the clock or the mark moved since the last
        call (else ``None``)."""
        mark = self.state.mark_price(self._instrument.symbol)
        moment = (now_ms // period, mark)
        if moment == self._moment:
            return None
        self._moment = moment
        return mark

    def initial(self) -> list[Message]:
        """What a new subscriber gets first."""
        return []

    def advance(self, now_ms: int) -> list[Message]:  # pragma: no cover - abstract
        """The messages for every subscriber of what changed until ``now_ms``."""
        raise NotImplementedError


class BookFeed(Feed):
    """``orderbook.{depth}.{symbol}``."""

    def __init__(self, topic: StreamTopic, state: ExchangeState, now_ms: int) -> None:
        super().__init__(topic, state)
        assert topic.depth is not None
        self._depth = topic.depth
        mark = self._changed(SLOT_MS, now_ms)
        assert mark is not None
        self._book = md.book(self._instrument, mark, self._depth, now_ms)
        self._update_id = self._book.update_id

    def initial(self) -> list[Message]:
        return [book_message(self.topic.name, self._book, self._update_id)]

    def advance(self, now_ms: int) -> list[Message]:
        mark = self._changed(SLOT_MS, now_ms)
        if mark is None:
            return []
        last, slot = self._book.update_id, now_ms // SLOT_MS
        if slot < last or slot - last > MAX_CATCHUP_SLOTS:
            self._book = md.book(self._instrument, mark, self._depth, now_ms)
            self._update_id += 1
            return self.initial()
        out = []
        for at in [s * SLOT_MS for s in range(last + 1, slot)] + [now_ms]:
            book = md.book(self._instrument, mark, self._depth, at)
            bids, asks = md.diff_books(self._book, book)
            self._book = book
            if bids or asks:
                self._update_id += 1
                if self._depth == 1:  # level 1 is snapshots only
                    out.append(book_message(self.topic.name, book, self._update_id))
                else:
                    out.append(book_message(self.topic.name, book, self._update_id, (bids, asks)))
        return out


class TickerFeed(Feed):
    """``tickers.{symbol}``."""

    def __init__(self, topic: StreamTopic, state: ExchangeState, now_ms: int) -> None:
        super().__init__(topic, state)
        assert topic.category is not None
        self._category = topic.category
        self._direction = "ZeroPlusTick"
        self._changed(SLOT_MS, now_ms)
        self._ticker: dict[str, Any] = self._render(now_ms, None)
        self._at = now_ms

    def _render(self, now_ms: int, before: dict[str, Any] | None) -> dict[str, Any]:
        ticker = ticker_item(self.state, self._category, self._instrument, now_ms)
        if self._category in ("linear", "inverse"):
            previous = Decimal(before["lastPrice"]) if before is not None else None
            self._direction = tick_direction(Decimal(ticker["lastPrice"]), previous, self._direction)
            ticker = {"symbol": ticker["symbol"], "tickDirection": self._direction, **ticker}
        return ticker

    def _message(self, kind: str, data: dict[str, Any]) -> Message:
        ts = self._at
        if self._category == "option":
            return {
                "id": f"{self.topic.name}-{ts // SLOT_MS}-{ts}",
                "topic": self.topic.name,
                "ts": ts,
                "data": data,
                "type": kind,
            }
        return {"topic": self.topic.name, "type": kind, "data": data, "cs": ts // SLOT_MS, "ts": ts}

    def initial(self) -> list[Message]:
        return [self._message("snapshot", dict(self._ticker))]

    def advance(self, now_ms: int) -> list[Message]:
        if self._changed(SLOT_MS, now_ms) is None:
            return []
        ticker = self._render(now_ms, self._ticker)
        changed = {k: v for k, v in ticker.items() if self._ticker.get(k) != v}
        if not changed:
            return []
        self._ticker, self._at = ticker, now_ms
        if self._category in ("spot", "option"):  # their tickers are snapshots only
            return self.initial()
        return [self._message("delta", {"symbol": ticker["symbol"], **changed})]


class TradeFeed(Feed):
    """``publicTrade.{symbol}`` (options: ``publicTrade.{baseCoin}``, every option of the coin)."""

    def __init__(self, topic: StreamTopic, state: ExchangeState, now_ms: int) -> None:
        super().__init__(topic, state)
        self._second = now_ms // 1000
        self._last: dict[str, tuple[Decimal, str]] = {}  # symbol: price and tick direction of its last trade

    def advance(self, now_ms: int) -> list[Message]:
        second = now_ms // 1000
        if second <= self._second:
            self._second = min(self._second, second)  # the clock went back: wait for it
            return []
        count = min(second - self._second, MAX_TRADE_CATCHUP)
        self._second = second
        items = []
        for instrument in self.topic.instruments:
            mark = self.state.mark_price(instrument.symbol)
            for trade in reversed(md.trades(instrument, mark, now_ms, count)):
                price, before = self._last.get(trade.symbol, (None, "ZeroPlusTick"))
                direction = tick_direction(trade.price, price, before)
                self._last[trade.symbol] = (trade.price, direction)
                items.append(trade_item(instrument, mark, trade, direction))
        items.sort(key=lambda item: int(item["T"]))
        message: Message = {"topic": self.topic.name, "type": "snapshot", "ts": now_ms, "data": items}
        if self.topic.category == "option":
            message = {"id": f"{self.topic.name}-{now_ms}", **message}
        return [message]


class KlineFeed(Feed):
    """``kline.{interval}.{symbol}``."""

    def __init__(self, topic: StreamTopic, state: ExchangeState, now_ms: int) -> None:
        super().__init__(topic, state)
        assert topic.interval is not None
        self._interval = topic.interval
        self._step = md.KLINE_INTERVALS[topic.interval]
        mark = self._changed(1000, now_ms)
        assert mark is not None
        self._candle = self._candles(mark, now_ms)[0]
        self._at = now_ms

    def _candles(self, mark: Decimal, now_ms: int) -> list[md.Candle]:
        return md.candles(
            self._instrument, mark, "trade", self._step, now_ms, start_ms=None, end_ms=None, limit=2
        )

    def _message(self, candle: md.Candle, now_ms: int, *, confirm: bool) -> Message:
        item = kline_item(candle, self._interval, self._step, now_ms, confirm=confirm)
        return {"topic": self.topic.name, "data": [item], "ts": now_ms, "type": "snapshot"}

    def initial(self) -> list[Message]:
        return [self._message(self._candle, self._at, confirm=False)]

    def advance(self, now_ms: int) -> list[Message]:
        mark = self._changed(1000, now_ms)
        if mark is None:
            return []
        candles = self._candles(mark, now_ms)
        current = candles[0]
        if current == self._candle:
            return []
        out = []
        if current.start_ms > self._candle.start_ms and len(candles) > 1:  # the candle has closed
            out.append(self._message(candles[1], now_ms, confirm=True))
        self._candle, self._at = current, now_ms
        out.append(self._message(current, now_ms, confirm=False))
        return out


_FEEDS: dict[str, type[BookFeed] | type[TickerFeed] | type[TradeFeed] | type[KlineFeed]] = {
    "orderbook": BookFeed,
    "tickers": TickerFeed,
    "publicTrade": TradeFeed,
    "kline": KlineFeed,
}


def make_feed(topic: StreamTopic, state: ExchangeState, now_ms: int) -> Feed:
    """The feed of a public topic, started at ``now_ms``."""
    return _FEEDS[topic.family](topic, state, now_ms)
