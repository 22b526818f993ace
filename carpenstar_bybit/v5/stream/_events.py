"""The events a stream yields: one per message of a topic, plus the stream's own.

::

    StreamEvent
    ├── OrderBookEvent         orderbook.{depth}.{symbol}: the local book after the message
    ├── TradeEvent             publicTrade.{symbol}: the trades of the message
    ├── TickerEvent            tickers.{symbol}: the full ticker (snapshot and deltas merged)
    ├── KlineEvent             kline.{interval}.{symbol}: the candles of the message
    ├── OrderEvent             order: orders that changed
    │   └── OrderSnapshotEvent   open and recently changed orders read over REST after a reconnect
    ├── ExecutionEvent         execution: fills
    ├── PositionEvent          position: positions that changed
    │   └── PositionSnapshotEvent  every position read over REST after a reconnect
    ├── WalletEvent            wallet: accounts that changed
    ├── ReconnectedEvent       the connection was lost and is back: events may have been missed
    └── OrderBookResyncEvent   a gap in a book's updates: the book is being fetched again

Every event is immutable. Message events are ``AbstractResponse``s of the core, read from the message
as Bybit sends it (``ts``/``creationTime`` as aware UTC ``datetime``s).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar

from carpenstar_bybit.core import (
    DATETIME,
    INT,
    STRING,
    AbstractResponse,
    EntityCollection,
    Nested,
    ResponseField,
)
from carpenstar_bybit.v5.stream._book import BookLevel, OrderBook
from carpenstar_bybit.v5.stream._items import Execution, Kline, Order, Position, PublicTrade, Ticker, Wallet

__all__ = [
    "ExecutionEvent",
    "KlineEvent",
    "OrderBookEvent",
    "OrderBookResyncEvent",
    "OrderEvent",
    "OrderSnapshotEvent",
    "PositionEvent",
    "PositionSnapshotEvent",
    "ReconnectedEvent",
    "StreamEvent",
    "TickerEvent",
    "TradeEvent",
    "WalletEvent",
]

_set = object.__setattr__


class StreamEvent:
    """Base of every event a stream yields."""

    __slots__ = ()

    def get_topic(self) -> str:
        """The topic of the event (``""`` for events about the connection)."""
        raise NotImplementedError


class _Frozen(StreamEvent):
    """An event made by the stream itself: slotted, immutable, equal by value."""

    __slots__ = ()

    def _values(self) -> dict[str, Any]:
        names: tuple[str, ...] = getattr(type(self), "__slots__", ())
        return {name.lstrip("_"): getattr(self, name) for name in names}

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Frozen)
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(tuple(self._values().items()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self._values().items())
        return f"{type(self).__name__}({inner})"


# --- public market data -------------------------------------------------------------------------


class OrderBookEvent(_Frozen):
    """An ``orderbook`` message applied to the local book: ``get_book()`` is the whole book after it,
    ``get_bid_changes()``/``get_ask_changes()`` the levels the message set (size 0: removed).

    When the consumer lags, the stream conflates the book events of a topic that wait in its buffer
    into one: its book is the newest, its changes are those of every merged message (the newest size
    per price) and ``get_conflated()`` counts the messages merged (1 when none were).
    """

    __slots__ = ("_ask_changes", "_bid_changes", "_book", "_conflated", "_snapshot", "_topic")
    _topic: str
    _book: OrderBook
    _bid_changes: Sequence[tuple[Decimal, Decimal]]
    _ask_changes: Sequence[tuple[Decimal, Decimal]]
    _snapshot: bool
    _conflated: int

    def __init__(
        self,
        topic: str,
        book: OrderBook,
        bid_changes: Sequence[tuple[Decimal, Decimal]],
        ask_changes: Sequence[tuple[Decimal, Decimal]],
        *,
        snapshot: bool,
        conflated: int = 1,
    ) -> None:
        _set(self, "_topic", topic)
        _set(self, "_book", book)
        _set(self, "_bid_changes", bid_changes)
        _set(self, "_ask_changes", ask_changes)
        _set(self, "_snapshot", snapshot)
        _set(self, "_conflated", conflated)

    def get_topic(self) -> str:
        """``orderbook.{depth}.{symbol}``."""
        return self._topic

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._book.get_symbol()

    def is_snapshot(self) -> bool:
        """Whether the book was replaced (a ``snapshot`` message) rather than changed by a delta."""
        return self._snapshot

    def get_book(self) -> OrderBook:
        """The local book after this message (a frozen view)."""
        return self._book

    def get_bid_changes(self) -> tuple[BookLevel, ...]:
        """Bid levels the message set, in message order; size 0 means the level was removed."""
        return tuple(BookLevel(p, s) for p, s in self._bid_changes)

    def get_ask_changes(self) -> tuple[BookLevel, ...]:
        """Ask levels the message set, in message order; size 0 means the level was removed."""
        return tuple(BookLevel(p, s) for p, s in self._ask_changes)

    def get_update_id(self) -> int | None:
        """``u`` of the message."""
        return self._book.get_update_id()

    def get_seq(self) -> int | None:
        """``seq`` (cross sequence) of the message."""
        return self._book.get_seq()

    def get_ts(self) -> datetime | None:
        """When Bybit's system generated the message."""
        return self._book.get_ts()

    def get_conflated(self) -> int:
        """How many messages this event stands for (more than 1 when the consumer lagged)."""
        return self._conflated

    def merge(self, newer: OrderBookEvent) -> OrderBookEvent:
        """One event for this one and the ``newer`` one of the same topic (conflation)."""
        count = self._conflated + newer._conflated
        if self._snapshot or newer._snapshot:
            book = newer._book
            bids = [(level.price, level.size) for level in book.get_bids()]
            asks = [(level.price, level.size) for level in book.get_asks()]
            return OrderBookEvent(self._topic, book, bids, asks, snapshot=True, conflated=count)
        bid_map = dict(self._bid_changes)
        bid_map.update(newer._bid_changes)
        ask_map = dict(self._ask_changes)
        ask_map.update(newer._ask_changes)
        return OrderBookEvent(
            self._topic,
            newer._book,
            list(bid_map.items()),
            list(ask_map.items()),
            snapshot=False,
            conflated=count,
        )

    def _values(self) -> dict[str, Any]:
        return {
            "topic": self._topic,
            "snapshot": self._snapshot,
            "book": self._book,
            "bid_changes": len(self._bid_changes),
            "ask_changes": len(self._ask_changes),
            "conflated": self._conflated,
        }

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OrderBookEvent):
            return NotImplemented
        return (
            self._topic,
            self._snapshot,
            self._book,
            list(self._bid_changes),
            list(self._ask_changes),
        ) == (
            other._topic,
            other._snapshot,
            other._book,
            list(other._bid_changes),
            list(other._ask_changes),
        )

    def __hash__(self) -> int:
        return hash((self._topic, self._book))


class _PublicMessage(AbstractResponse, StreamEvent):
    """Fields every public message has: ``topic``, ``type``, ``ts``."""

    __slots__ = ("_topic", "_ts", "_type")
    _topic: str
    _type: str
    _ts: datetime | None

    def get_topic(self) -> str:
        """The topic of the message."""
        return self._topic

    def get_type(self) -> str:
        """``snapshot`` or ``delta``, as Bybit sent it."""
        return self._type

    def get_ts(self) -> datetime | None:
        """When Bybit's system generated the message."""
        return self._ts


_PUBLIC = (
    ResponseField("topic", "_topic", STRING),
    ResponseField("type", "_type", STRING),
    ResponseField("ts", "_ts", DATETIME),
)


class TradeEvent(_PublicMessage):
    """A ``publicTrade`` message: trades in the order they were matched. Never conflated."""

    __slots__ = ("_id", "_trades")
    _fields = (
        *_PUBLIC,
        ResponseField("id", "_id", STRING),
        ResponseField("data", "_trades", Nested(PublicTrade)),
    )
    _id: str
    _trades: EntityCollection[PublicTrade]

    def get_id(self) -> str:
        """Message ID (options only)."""
        return self._id

    def get_trades(self) -> EntityCollection[PublicTrade]:
        """The trades of the message."""
        return self._trades


class TickerEvent(_PublicMessage):
    """A ``tickers`` message with the ticker merged: ``get_ticker()`` is always the full ticker, the
    snapshot with every later delta applied (a field a delta leaves out keeps its last value).
    Conflated per topic when the consumer lags: the newest full ticker stands for the older ones."""

    __slots__ = ("_cross_seq", "_ticker")
    _fields = (
        *_PUBLIC,
        ResponseField("cs", "_cross_seq", INT),
        ResponseField("data", "_ticker", Nested(Ticker)),
    )
    _cross_seq: int | None
    _ticker: EntityCollection[Ticker]

    def get_cross_seq(self) -> int | None:
        """Cross sequence (``cs``)."""
        return self._cross_seq

    def get_ticker(self) -> Ticker:
        """The full ticker after this message."""
        return self._ticker[0]


class KlineEvent(_PublicMessage):
    """A ``kline`` message. Conflated when the consumer lags: a newer message for the same candles
    (the same ``start``s) stands for an older one; a closed candle is never merged into the next."""

    __slots__ = ("_klines",)
    _fields = (*_PUBLIC, ResponseField("data", "_klines", Nested(Kline)))
    _klines: EntityCollection[Kline]

    def get_klines(self) -> EntityCollection[Kline]:
        """The candles of the message."""
        return self._klines


# --- private ------------------------------------------------------------------------------------


class _PrivateMessage(AbstractResponse, StreamEvent):
    """Fields every private message has: ``id``, ``topic``, ``creationTime``."""

    __slots__ = ("_creation_time", "_id", "_topic")
    _id: str
    _topic: str
    _creation_time: datetime | None

    def get_id(self) -> str:
        """Message ID."""
        return self._id

    def get_topic(self) -> str:
        """The topic of the message (``order``, or ``order.linear`` when subscribed by category)."""
        return self._topic

    def get_creation_time(self) -> datetime | None:
        """When the data was created."""
        return self._creation_time


_PRIVATE = (
    ResponseField("id", "_id", STRING),
    ResponseField("topic", "_topic", STRING),
    ResponseField("creationTime", "_creation_time", DATETIME),
)


class OrderEvent(_PrivateMessage):
    """An ``order`` message: every order that changed. Bybit acknowledges REST orders before they
    are processed: this is where an order's status is confirmed."""

    __slots__ = ("_orders",)
    _fields: ClassVar[tuple[ResponseField, ...]] = (
        *_PRIVATE,
        ResponseField("data", "_orders", Nested(Order)),
    )
    _orders: EntityCollection[Order]

    def get_orders(self) -> EntityCollection[Order]:
        """The orders of the message."""
        return self._orders


class ExecutionEvent(_PrivateMessage):
    """An ``execution`` message: fills (several of one order may share a message)."""

    __slots__ = ("_executions",)
    _fields = (*_PRIVATE, ResponseField("data", "_executions", Nested(Execution)))
    _executions: EntityCollection[Execution]

    def get_executions(self) -> EntityCollection[Execution]:
        """The fills of the message."""
        return self._executions


class PositionEvent(_PrivateMessage):
    """A ``position`` message: positions that changed (Bybit sends one on every order change)."""

    __slots__ = ("_positions",)
    _fields: ClassVar[tuple[ResponseField, ...]] = (
        *_PRIVATE,
        ResponseField("data", "_positions", Nested(Position)),
    )
    _positions: EntityCollection[Position]

    def get_positions(self) -> EntityCollection[Position]:
        """The positions of the message."""
        return self._positions


class WalletEvent(_PrivateMessage):
    """A ``wallet`` message: the accounts that changed, with their coins."""

    __slots__ = ("_wallets",)
    _fields = (*_PRIVATE, ResponseField("data", "_wallets", Nested(Wallet)))
    _wallets: EntityCollection[Wallet]

    def get_wallets(self) -> EntityCollection[Wallet]:
        """The accounts of the message."""
        return self._wallets


_CATEGORY = ResponseField("category", "_category", STRING)


class OrderSnapshotEvent(OrderEvent):
    """Orders of one category read over REST by the reconciliation after a reconnect: every open
    order, and every order that changed since the connection was lost (Bybit's recent closed orders).
    ``get_id()`` is ``""``; ``get_creation_time()`` is when the REST answer came."""

    __slots__ = ("_category",)
    _fields = (*OrderEvent._fields, _CATEGORY)
    _category: str

    def get_category(self) -> str:
        """The category that was read."""
        return self._category


class PositionSnapshotEvent(PositionEvent):
    """Every position of one category read over REST by the reconciliation after a reconnect.
    ``get_id()`` is ``""``; ``get_creation_time()`` is when the REST answer came."""

    __slots__ = ("_category",)
    _fields = (*PositionEvent._fields, _CATEGORY)
    _category: str

    def get_category(self) -> str:
        """The category that was read."""
        return self._category


# --- the stream's own ---------------------------------------------------------------------------


class ReconnectedEvent(_Frozen):
    """The connection was lost and is open again, authenticated and with every topic subscribed again.

    Events sent while it was down are lost: a private stream's consumer should read the state again
    (the stream does it when given a ``Reconciler``); order books restart from a fresh snapshot.
    """

    __slots__ = ("_attempts", "_disconnected_at", "_reason", "_reconnected_at", "_topics")
    _reason: str
    _disconnected_at: datetime
    _reconnected_at: datetime
    _attempts: int
    _topics: tuple[str, ...]

    def __init__(
        self,
        *,
        reason: str,
        disconnected_at: datetime,
        reconnected_at: datetime,
        attempts: int,
        topics: Sequence[str],
    ) -> None:
        _set(self, "_reason", reason)
        _set(self, "_disconnected_at", disconnected_at)
        _set(self, "_reconnected_at", reconnected_at)
        _set(self, "_attempts", attempts)
        _set(self, "_topics", tuple(topics))

    def get_topic(self) -> str:
        """``""``: the event is about the connection."""
        return ""

    def get_reason(self) -> str:
        """Why the connection was lost."""
        return self._reason

    def get_disconnected_at(self) -> datetime:
        """When the connection was found lost (UTC)."""
        return self._disconnected_at

    def get_reconnected_at(self) -> datetime:
        """When every topic was subscribed again (UTC)."""
        return self._reconnected_at

    def get_attempts(self) -> int:
        """Connection attempts it took."""
        return self._attempts

    def get_topics(self) -> tuple[str, ...]:
        """The topics subscribed again."""
        return self._topics

    def may_have_missed_events(self) -> bool:
        """Always ``True``: the exchange does not replay what it sent while the connection was down."""
        return True


class OrderBookResyncEvent(_Frozen):
    """A book's updates had a gap (a ``u`` skipped, ``seq`` going back, a delta before the snapshot or
    a malformed message): the book is useless until the stream has subscribed the topic again and the
    new snapshot has arrived (the next ``OrderBookEvent`` of the topic, a snapshot)."""

    __slots__ = ("_reason", "_topic")
    _topic: str
    _reason: str

    def __init__(self, topic: str, reason: str) -> None:
        _set(self, "_topic", topic)
        _set(self, "_reason", reason)

    def get_topic(self) -> str:
        """``orderbook.{depth}.{symbol}``."""
        return self._topic

    def get_reason(self) -> str:
        """What was wrong, e.g. ``u gap: expected 101, got 103``."""
        return self._reason
