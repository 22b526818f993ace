"""The local order book of an ``orderbook.{depth}.{symbol}`` topic, and its immutable views.

Rules (``docs/v5/websocket/public/orderbook``): a ``snapshot`` replaces the book (also mid-stream, and
``u == 1`` after a restart of Bybit's service); a ``delta`` sets each listed level, inserting it if new,
and a size of 0 deletes it. A delta must carry the update ID after the book's (``u`` + 1) and a cross
sequence ``seq`` that does not go back; anything else is a gap: the book stops taking deltas until a
new snapshot arrives (the stream resubscribes the topic to get one).

Prices and sizes are exact ``Decimal``s: ``"30240.00"`` and ``"30240.0"`` are one level. Each event
holds an ``OrderBook``, a frozen view of the book after that message; the book copies a side (a dict
copy) before changing it while a view holds it, so views never change and cost no copy when none is
taken. Sorting happens when a view is read, once per view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from carpenstar_bybit.core.exceptions import ResponseFormatException
from carpenstar_bybit.core.timeutil import from_ms

__all__ = ["BookGap", "BookLevel", "LocalOrderBook", "OrderBook"]

Side = dict[Decimal, Decimal]
_set = object.__setattr__


class BookLevel(NamedTuple):
    """One price level: ``price, size = level``."""

    price: Decimal
    size: Decimal


def _time(raw: Any) -> datetime | None:
    return from_ms(raw) if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0 else None


class OrderBook:
    """A frozen view of a local order book after one update. Levels are ``BookLevel``s, best first."""

    __slots__ = (
        "_asks",
        "_bids",
        "_cts",
        "_seq",
        "_sorted_asks",
        "_sorted_bids",
        "_symbol",
        "_ts",
        "_update_id",
    )
    _symbol: str
    _bids: Mapping[Decimal, Decimal]
    _asks: Mapping[Decimal, Decimal]
    _update_id: int | None
    _seq: int | None
    _ts: int | None
    _cts: int | None
    _sorted_bids: tuple[BookLevel, ...] | None
    _sorted_asks: tuple[BookLevel, ...] | None

    def __init__(
        self,
        symbol: str,
        bids: Mapping[Decimal, Decimal],
        asks: Mapping[Decimal, Decimal],
        *,
        update_id: int | None = None,
        seq: int | None = None,
        ts: int | None = None,
        cts: int | None = None,
    ) -> None:
        _set(self, "_symbol", symbol)
        _set(self, "_bids", bids)
        _set(self, "_asks", asks)
        _set(self, "_update_id", update_id)
        _set(self, "_seq", seq)
        _set(self, "_ts", ts)
        _set(self, "_cts", cts)
        _set(self, "_sorted_bids", None)
        _set(self, "_sorted_asks", None)

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def get_update_id(self) -> int | None:
        """``u`` of the last message applied."""
        return self._update_id

    def get_seq(self) -> int | None:
        """``seq`` (cross sequence) of the last message applied."""
        return self._seq

    def get_ts(self) -> datetime | None:
        """When Bybit's system generated the last message applied (``ts``)."""
        return _time(self._ts)

    def get_cts(self) -> datetime | None:
        """When the matching engine produced the last message applied (``cts``)."""
        return _time(self._cts)

    def get_bids(self, depth: int | None = None) -> tuple[BookLevel, ...]:
        """The bids, highest price first (at most ``depth`` of them)."""
        levels = self._sorted_bids
        if levels is None:
            levels = tuple(BookLevel(p, s) for p, s in sorted(self._bids.items(), reverse=True))
            _set(self, "_sorted_bids", levels)
        return levels if depth is None else levels[:depth]

    def get_asks(self, depth: int | None = None) -> tuple[BookLevel, ...]:
        """The asks, lowest price first (at most ``depth`` of them)."""
        levels = self._sorted_asks
        if levels is None:
            levels = tuple(BookLevel(p, s) for p, s in sorted(self._asks.items()))
            _set(self, "_sorted_asks", levels)
        return levels if depth is None else levels[:depth]

    def get_best_bid(self) -> BookLevel | None:
        """The highest bid, or ``None`` when there are no bids."""
        if not self._bids:
            return None
        price = max(self._bids)
        return BookLevel(price, self._bids[price])

    def get_best_ask(self) -> BookLevel | None:
        """The lowest ask, or ``None`` when there are no asks."""
        if not self._asks:
            return None
        price = min(self._asks)
        return BookLevel(price, self._asks[price])

    def get_bid_size(self, price: Decimal) -> Decimal | None:
        """The size bid at ``price``, or ``None`` when there is no such level."""
        return self._bids.get(price)

    def get_ask_size(self, price: Decimal) -> Decimal | None:
        """The size asked at ``price``, or ``None`` when there is no such level."""
        return self._asks.get(price)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("OrderBook is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("OrderBook is immutable")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OrderBook):
            return NotImplemented
        return (self._symbol, self._update_id, self._seq, self._bids, self._asks) == (
            other._symbol,
            other._update_id,
            other._seq,
            other._bids,
            other._asks,
        )

    def __hash__(self) -> int:
        return hash((self._symbol, self._update_id, self._seq, len(self._bids), len(self._asks)))

    def __repr__(self) -> str:
        bid, ask = self.get_best_bid(), self.get_best_ask()
        return (
            f"OrderBook({self._symbol}, u={self._update_id}, bids={len(self._bids)}, asks={len(self._asks)}, "
            f"best bid={tuple(bid) if bid else None}, best ask={tuple(ask) if ask else None})"
        )


class BookGap(Exception):
    """Raised by ``LocalOrderBook.delta`` when a delta does not follow the book: why, in words."""

    def __init__(self, reason: str, expected: int | None, received: int | None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expected = expected
        self.received = received


Changes = list[tuple[Decimal, Decimal]]
#: Texts of numbers a book remembers at most (then it starts again): a few dozen kB.
_MAX_KNOWN = 20_000


class LocalOrderBook:
    """The book of one topic, changed in place by ``snapshot`` and ``delta`` (the protocol's state)."""

    __slots__ = (
        "_asks",
        "_asks_shared",
        "_bids",
        "_bids_shared",
        "_numbers",
        "cts",
        "seq",
        "symbol",
        "ts",
        "update_id",
    )

    def __init__(self, symbol: str) -> None:
        self.symbol = symbol
        self._bids: Side = {}
        self._asks: Side = {}
        self._bids_shared = False
        self._asks_shared = False
        self._numbers: dict[str, Decimal] = {}  # texts of prices and sizes already read
        self.update_id: int | None = None  # None: no snapshot yet, or after a gap
        self.seq: int | None = None
        self.ts: int | None = None
        self.cts: int | None = None

    @property
    def synced(self) -> bool:
        """Whether the book has a snapshot and no gap since."""
        return self.update_id is not None

    def invalidate(self) -> None:
        """Forget the book until the next snapshot (after a gap, or on a new connection)."""
        self.update_id = None

    def snapshot(self, data: Mapping[str, Any], ts: Any, cts: Any) -> tuple[Changes, Changes]:
        """Replace the book; the changes are every level of it."""
        try:
            bids = _levels(data["b"])
            asks = _levels(data["a"])
            update_id = _integer(data["u"])
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise ResponseFormatException(f"order book snapshot of {self.symbol}: {exc!r}") from None
        self._bids = {p: s for p, s in bids if s}
        self._asks = {p: s for p, s in asks if s}
        self._bids_shared = self._asks_shared = False
        self.update_id = update_id
        self.seq = _optional_integer(data.get("seq"))
        self.ts, self.cts = ts, cts
        return bids, asks

    def delta(self, data: Mapping[str, Any], ts: Any, cts: Any) -> tuple[Changes, Changes]:
        """Apply a delta after checking that it follows the book (``BookGap`` if not)."""
        try:
            update_id = _integer(data["u"])
            seq = _optional_integer(data.get("seq"))
            raw_bids = data["b"]
            raw_asks = data["a"]
        except (KeyError, TypeError, ValueError) as exc:
            raise ResponseFormatException(f"order book delta of {self.symbol}: {exc!r}") from None
        if self.update_id is None:
            raise BookGap("a delta before any snapshot", None, update_id)
        if update_id != self.update_id + 1:
            raise BookGap(
                f"u gap: expected {self.update_id + 1}, got {update_id}", self.update_id + 1, update_id
            )
        if seq is not None and self.seq is not None and seq < self.seq:
            raise BookGap(f"seq went back from {self.seq} to {seq}", self.update_id + 1, update_id)
        try:
            bids = self._apply(raw_bids, True) if raw_bids else []
            asks = self._apply(raw_asks, False) if raw_asks else []
        except (TypeError, ValueError, InvalidOperation) as exc:
            self.update_id = None  # half applied: useless until the next snapshot
            raise ResponseFormatException(f"order book delta of {self.symbol}: {exc!r}") from None
        self.update_id = update_id
        if seq is not None:
            self.seq = seq
        self.ts, self.cts = ts, cts
        return bids, asks

    def _apply(self, levels: Iterable[Any], bid: bool) -> Changes:
        if bid:
            side = self._bids
            if self._bids_shared:
                side = self._bids = dict(side)
                self._bids_shared = False
        else:
            side = self._asks
            if self._asks_shared:
                side = self._asks = dict(side)
                self._asks_shared = False
        changes: Changes = []
        append = changes.append
        known = self._numbers
        if len(known) > _MAX_KNOWN:
            known.clear()
        for price_text, size_text in levels:
            # the same texts come again and again: a dict lookup is a quarter of Decimal(text)
            price = known.get(price_text)
            if price is None:
                price = known[price_text] = Decimal(price_text)
            size = known.get(size_text)
            if size is None:
                size = known[size_text] = Decimal(size_text)
            if size:
                side[price] = size
            else:
                side.pop(price, None)
            append((price, size))
        return changes

    def view(self) -> OrderBook:
        """A frozen view of the book now (the book copies a side before its next change)."""
        self._bids_shared = self._asks_shared = True
        return OrderBook(
            self.symbol,
            self._bids,
            self._asks,
            update_id=self.update_id,
            seq=self.seq,
            ts=self.ts,
            cts=self.cts,
        )


def _levels(raw: Any) -> Changes:
    if not isinstance(raw, list):
        raise TypeError(f"levels must be a list, got {raw!r}")
    return [(Decimal(p), Decimal(s)) for p, s in raw]


def _integer(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise TypeError(f"expected an integer, got {raw!r}")
    return int(raw)


def _optional_integer(raw: Any) -> int | None:
    return None if raw is None or raw == "" else _integer(raw)
