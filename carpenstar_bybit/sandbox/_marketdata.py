"""The deterministic market model: order books, public trades, candles and tickers as functions of
the symbol, its current mark price and time.

Every figure is reproducible (a SHA-256 of the symbol, the series and the time slot gives the
noise), and the figures agree with each other and with the exchange state:

- the last traded price is the mark price on the tick (``last_price``); the newest public trade is
  at that price, the current candle of every interval closes at it, and the ticker shows it;
- the book is a ladder of ``tick`` steps around it: best bid < last price < best ask, the sizes
  change every 100 ms, ``u``/``seq`` count those 100 ms slots (a snapshot's update id never
  decreases, so a stream can send a snapshot and then ``diff_books`` deltas);
- a past candle opens at the price of its start and closes at the price of its end (``price_at``
  of those minutes), so candles chain and agree across intervals at shared boundaries; highs and
  lows wrap open and close;
- the 24-hour ticker figures (``prevPrice24h``, high, low, volume, turnover) are those of the 24
  hourly candles that end with the current one.

The REST routes (V3 and V5) render from here, and the streams (``_ws_feeds``) publish from the same
functions (books and deltas, trades, tickers, candles), so a stream and a REST call made at the same
moment agree.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from carpenstar_bybit.sandbox._instruments import Instrument

__all__ = [
    "FUNDING_INTERVAL_MS",
    "KLINE_INTERVALS",
    "MINUTE_MS",
    "PRECISION",
    "Book",
    "Candle",
    "Ticker",
    "Trade",
    "book",
    "candles",
    "diff_books",
    "funding_rate",
    "index_price",
    "last_price",
    "next_funding_ms",
    "noise",
    "on_tick",
    "price_at",
    "ticker",
    "trades",
]

MINUTE_MS = 60_000
_HOUR_MS = 60 * MINUTE_MS
_DAY_MS = 24 * _HOUR_MS
KLINE_INTERVALS: dict[str, int] = {
    **{str(m): m * MINUTE_MS for m in (1, 3, 5, 15, 30, 60, 120, 240, 360, 720)},
    "D": _DAY_MS,
    "W": 7 * _DAY_MS,
    "M": 30 * _DAY_MS,
}
FUNDING_INTERVAL_MS = 8 * _HOUR_MS
BOOK_SLOT_MS = 100
#: Places of rates and ratios (``price24hPcnt``, basis rate).
PRECISION = Decimal("0.000001")
_PREMIUM_TICK = Decimal("0.000001")
_TRADE_NAMESPACE = uuid.UUID("6f1c7a52-3d8e-4b7a-9a51-0c2f5e8d9b10")
#: The price series a candle can follow.
SERIES = ("trade", "mark", "index", "premium")


def noise(*parts: object) -> Decimal:
    """A deterministic number in [-1, 1) for ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**31) - 1


def on_tick(price: Decimal, tick: Decimal, rounding: str | None = None) -> Decimal:
    """``price`` on a multiple of ``tick`` (nearest, or as ``rounding`` says)."""
    steps = (
        (price / tick).to_integral_value(rounding=rounding)
        if rounding
        else (price / tick).to_integral_value()
    )
    return (steps * tick).quantize(tick)


def last_price(instrument: Instrument, mark: Decimal) -> Decimal:
    """The last traded price: the mark price on the tick."""
    return on_tick(mark, instrument.tick)


def index_price(instrument: Instrument, mark: Decimal) -> Decimal:
    """The index price: within 0.02 % of the mark price, on the tick."""
    return on_tick(mark * (1 + Decimal("0.0002") * noise(instrument.symbol, "index")), instrument.tick)


def _live(instrument: Instrument, mark: Decimal, series: str) -> Decimal:
    """The current value of a series."""
    if series == "mark":
        return mark
    if series == "index":
        return index_price(instrument, mark)
    if series == "premium":
        index = index_price(instrument, mark)
        return ((mark - index) / index).quantize(_PREMIUM_TICK)
    return last_price(instrument, mark)


def _tick(instrument: Instrument, series: str) -> Decimal:
    return _PREMIUM_TICK if series == "premium" else instrument.tick


def price_at(instrument: Instrument, mark: Decimal, series: str, at_ms: int, now_ms: int) -> Decimal:
    """The value of a series at the minute boundary ``at_ms`` (the live value from the current
    minute on): within 0.5 % of the mark price (premium: around 0.0001)."""
    if at_ms > now_ms - now_ms % MINUTE_MS:
        return _live(instrument, mark, series)
    minute = at_ms - at_ms % MINUTE_MS
    wobble = noise(instrument.symbol, series, minute)
    if series == "premium":
        return (Decimal("0.0001") + Decimal("0.0002") * wobble).quantize(_PREMIUM_TICK)
    return on_tick(mark * (1 + Decimal("0.005") * wobble), instrument.tick)


@dataclass(frozen=True)
class Candle:
    """One candle; ``volume`` and ``turnover`` are 0 for mark, index and premium series."""

    start_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    turnover: Decimal


def candle(
    instrument: Instrument, mark: Decimal, series: str, start_ms: int, step_ms: int, now_ms: int
) -> Candle:
    """The candle of ``series`` that starts at ``start_ms`` and lasts ``step_ms``."""
    symbol = instrument.symbol
    tick = _tick(instrument, series)
    end = start_ms + step_ms
    opening = price_at(instrument, mark, series, start_ms, now_ms)
    closing = (
        _live(instrument, mark, series) if end > now_ms else price_at(instrument, mark, series, end, now_ms)
    )
    top, bottom = max(opening, closing), min(opening, closing)
    spread = abs(top) * Decimal("0.001") if series != "premium" else Decimal("0.00005")
    high = on_tick(top + spread * abs(noise(symbol, series, step_ms, start_ms, "h")), tick, ROUND_CEILING)
    low = on_tick(bottom - spread * abs(noise(symbol, series, step_ms, start_ms, "l")), tick, ROUND_FLOOR)
    volume = turnover = Decimal(0)
    if series == "trade":
        minutes = max(1, min(step_ms, max(0, now_ms - start_ms) + MINUTE_MS) // MINUTE_MS)
        volume = (
            instrument.step * (100 + int(abs(noise(symbol, "volume", step_ms, start_ms)) * 1000)) * minutes
        )
        turnover = instrument.value(volume, closing)
    return Candle(start_ms, opening, high, low, closing, volume, turnover)


def candles(
    instrument: Instrument,
    mark: Decimal,
    series: str,
    step_ms: int,
    now_ms: int,
    *,
    start_ms: int | None,
    end_ms: int | None,
    limit: int,
) -> list[Candle]:
    """Up to ``limit`` candles, newest first, that start within ``[start_ms, end_ms]`` (default: the
    ``limit`` newest up to now; never a candle that starts after now)."""
    current = now_ms - now_ms % step_ms
    newest = current if end_ms is None else min(current, end_ms - end_ms % step_ms)
    first = newest - (limit - 1) * step_ms if start_ms is None else -(-start_ms // step_ms) * step_ms
    out: list[Candle] = []
    slot = newest
    while slot >= first and slot >= 0 and len(out) < limit:
        out.append(candle(instrument, mark, series, slot, step_ms, now_ms))
        slot -= step_ms
    return out


@dataclass(frozen=True)
class Book:
    """An order-book snapshot: ``bids`` best (highest) first, ``asks`` best (lowest) first, each
    ``(price, size)``; ``update_id`` and ``seq`` grow with time (one per 100 ms)."""

    symbol: str
    bids: tuple[tuple[Decimal, Decimal], ...]
    asks: tuple[tuple[Decimal, Decimal], ...]
    ts_ms: int
    update_id: int
    seq: int


def book(instrument: Instrument, mark: Decimal, depth: int, now_ms: int) -> Book:
    """The book ``depth`` levels deep around the last price, as it is at ``now_ms``."""
    last = last_price(instrument, mark)
    tick = instrument.tick
    slot = now_ms // BOOK_SLOT_MS

    def size(side: str, i: int) -> Decimal:
        return instrument.step * (1 + int(abs(noise(instrument.symbol, side, i, slot)) * 50))

    bids = []
    for i in range(depth):
        price = last - tick * (i + 1)
        if price <= 0:
            break
        bids.append((price, size("b", i)))
    asks = [(last + tick * (i + 1), size("a", i)) for i in range(depth)]
    return Book(instrument.symbol, tuple(bids), tuple(asks), now_ms, slot, slot)


def diff_books(old: Book, new: Book) -> tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]]:
    """The bid and ask levels that changed from ``old`` to ``new`` (size 0: the level is gone), as a
    delta message carries them."""

    def side(
        before: tuple[tuple[Decimal, Decimal], ...], after: tuple[tuple[Decimal, Decimal], ...]
    ) -> list[tuple[Decimal, Decimal]]:
        was, now = dict(before), dict(after)
        changed = [(p, s) for p, s in after if was.get(p) != s]
        gone = [(p, Decimal(0)) for p in was if p not in now]
        return changed + gone

    return side(old.bids, new.bids), side(old.asks, new.asks)


@dataclass(frozen=True)
class Trade:
    """One public trade (``side`` is the taker's)."""

    exec_id: str
    symbol: str
    price: Decimal
    size: Decimal
    side: str
    time_ms: int
    seq: int


def trades(instrument: Instrument, mark: Decimal, now_ms: int, limit: int) -> list[Trade]:
    """Public trades, one per second, newest first; the newest is at the last price."""
    symbol = instrument.symbol
    last = last_price(instrument, mark)
    out: list[Trade] = []
    for i in range(limit):
        at = (now_ms // 1000 - i) * 1000
        wobble = noise(symbol, "trade", at)
        price = last if i == 0 else on_tick(mark * (1 + Decimal("0.001") * wobble), instrument.tick)
        out.append(
            Trade(
                exec_id=str(uuid.uuid5(_TRADE_NAMESPACE, f"{symbol}:{at}")),
                symbol=symbol,
                price=price,
                size=instrument.step * (1 + int(abs(wobble) * 20)),
                side="Buy" if wobble >= 0 else "Sell",
                time_ms=at,
                seq=at // 1000,
            )
        )
    return out


def funding_rate(symbol: str, at_ms: int) -> Decimal:
    """The funding rate settled at ``at_ms`` (0 to 0.0002)."""
    return (Decimal("0.0001") + Decimal("0.0001") * noise(symbol, "funding", at_ms)).quantize(
        Decimal("0.00000001")
    )


def next_funding_ms(now_ms: int) -> int:
    """The next funding time (every 8 hours from midnight UTC)."""
    return (now_ms // FUNDING_INTERVAL_MS + 1) * FUNDING_INTERVAL_MS


@dataclass(frozen=True)
class Ticker:
    """The 24-hour ticker of a symbol."""

    symbol: str
    last: Decimal
    mark: Decimal
    index: Decimal
    bid1: tuple[Decimal, Decimal]
    ask1: tuple[Decimal, Decimal]
    prev_24h: Decimal
    prev_1h: Decimal
    high_24h: Decimal
    low_24h: Decimal
    volume_24h: Decimal
    turnover_24h: Decimal
    open_interest: Decimal
    funding_rate: Decimal
    next_funding_ms: int

    @property
    def change_24h(self) -> Decimal:
        """``price24hPcnt``: the change against 24 hours ago, as a fraction."""
        return ((self.last - self.prev_24h) / self.prev_24h).quantize(PRECISION)


def ticker(instrument: Instrument, mark: Decimal, now_ms: int) -> Ticker:
    """The ticker at ``now_ms``, from the book and the 24 hourly candles ending with the current one."""
    hours = candles(instrument, mark, "trade", _HOUR_MS, now_ms, start_ms=None, end_ms=None, limit=24)
    top = book(instrument, mark, 1, now_ms)
    next_funding = next_funding_ms(now_ms)
    return Ticker(
        symbol=instrument.symbol,
        last=last_price(instrument, mark),
        mark=mark,
        index=index_price(instrument, mark),
        bid1=top.bids[0] if top.bids else (Decimal(0), Decimal(0)),
        ask1=top.asks[0],
        prev_24h=hours[-1].open,
        prev_1h=price_at(instrument, mark, "trade", now_ms - _HOUR_MS, now_ms),
        high_24h=max(c.high for c in hours),
        low_24h=min(c.low for c in hours),
        volume_24h=sum((c.volume for c in hours), Decimal(0)),
        turnover_24h=sum((c.turnover for c in hours), Decimal(0)),
        open_interest=instrument.step * (1_000_000 + int(abs(noise(instrument.symbol, "oi")) * 1_000_000)),
        funding_rate=funding_rate(instrument.symbol, next_funding),
        next_funding_ms=next_funding,
    )
