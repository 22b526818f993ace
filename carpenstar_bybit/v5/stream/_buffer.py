"""The buffer between a stream's connection and its consumer: bounded, conflating market data, never
dropping a private event.

* Conflation (public streams, ``conflate=True``): an ``OrderBookEvent`` or ``TickerEvent`` of a topic
  whose previous event still waits in the buffer merges into that one, in its place (a book keeps the
  newest book and every change; a ticker is the newest full ticker); a ``KlineEvent`` does the same
  for the same candles. A consumer that keeps up sees every message; one that lags sees the newest
  state, with at most one waiting event per topic (and candle). An event that is not conflated
  (a trade, a resync or reconnect notice) in between starts a new chain: nothing merges across it.
* Everything else (trades, private events, notices) counts against ``capacity``. When it is reached,
  ``on_overflow="block"`` makes ``put`` refuse until the consumer takes an event: the connection stops
  reading (the exchange's data waits in the socket); ``"raise"`` accepts the event, then ends the
  buffer with ``StreamOverflowException`` after everything in it.

Thread-safe: the connection puts from its event loop, the consumer takes from that loop or from
another thread (``get``, blocking). ``on_readable`` and ``on_space`` are called (under no lock) when
an event arrives and when room is made, for an asyncio consumer or producer to wake up.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable
from typing import Final, Literal

from carpenstar_bybit.core.exceptions import BybitException, SDKException
from carpenstar_bybit.v5.stream._events import KlineEvent, OrderBookEvent, StreamEvent, TickerEvent
from carpenstar_bybit.v5.stream._exceptions import StreamOverflowException

__all__ = ["EMPTY", "END", "EventBuffer", "Item", "Marker", "Overflow"]

Item = StreamEvent | BybitException
Overflow = Literal["block", "raise"]


class Marker:
    """``EMPTY`` or ``END``."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: ``get_nowait``: nothing waits. ``END``: the buffer ended without an error and is empty.
EMPTY: Final = Marker("EMPTY")
END: Final = Marker("END")


Key = tuple[Hashable, ...]


def _key(item: Item) -> Key | None:
    if isinstance(item, OrderBookEvent):
        return ("book", item.get_topic())
    if isinstance(item, TickerEvent):
        return ("ticker", item.get_topic())
    if isinstance(item, KlineEvent):
        return ("kline", item.get_topic(), tuple(k.get_start() for k in item.get_klines()))
    return None


def _merge(older: Item, newer: Item) -> Item:
    if isinstance(older, OrderBookEvent) and isinstance(newer, OrderBookEvent):
        return older.merge(newer)
    return newer


class _Slot:
    __slots__ = ("item", "key")

    def __init__(self, item: Item, key: Key | None) -> None:
        self.item = item
        self.key = key


class EventBuffer:
    """A bounded queue of events with conflation; see the module docstring."""

    def __init__(
        self,
        capacity: int,
        *,
        conflate: bool,
        on_overflow: Overflow,
        on_readable: Callable[[], None] | None = None,
        on_space: Callable[[], None] | None = None,
    ) -> None:
        if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
            raise SDKException(f"buffer capacity must be a positive int, got {capacity!r}")
        if on_overflow not in ("block", "raise"):
            raise SDKException(f"on_overflow must be 'block' or 'raise', got {on_overflow!r}")
        self.capacity = capacity
        self._conflate = conflate
        self._overflow = on_overflow
        self._slots: deque[_Slot] = deque()
        self._keyed: dict[Key, _Slot] = {}
        self._counted = 0  # items that count against the capacity
        self._ended = False
        self._drained = False
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._readable = threading.Condition(self._lock)
        self._on_readable = on_readable
        self._on_space = on_space

    def __len__(self) -> int:
        with self._lock:
            return len(self._slots)

    @property
    def ended(self) -> bool:
        """Whether ``end`` was called (events may still wait to be taken)."""
        return self._ended

    @property
    def drained(self) -> bool:
        """Whether the buffer ended and everything in it, its ending error included, was taken."""
        return self._drained

    def put(self, item: Item) -> bool:
        """Add an event; ``False`` when the buffer is full (``"block"``): call again after ``on_space``."""
        with self._lock:
            if self._ended:
                return True  # the stream is over: nothing is read after the end
            key = _key(item) if self._conflate else None
            if key is not None:
                slot = self._keyed.get(key)
                if slot is not None:
                    slot.item = _merge(slot.item, item)
                    return True
                slot = _Slot(item, key)
                self._keyed[key] = slot
                self._slots.append(slot)
            else:
                if self._counted >= self.capacity:
                    if self._overflow == "block":
                        return False
                    self._append_counted(item)
                    self._end(StreamOverflowException(self.capacity))
                    return True
                self._append_counted(item)
            self._readable.notify()
        if self._on_readable is not None:
            self._on_readable()
        return True

    def _append_counted(self, item: Item) -> None:
        self._counted += 1
        self._slots.append(_Slot(item, None))
        if self._keyed:
            topic = item.get_topic() if isinstance(item, StreamEvent) else None
            # nothing merges across a notice about the same topic (or, for "", about the connection)
            for key in [k for k in self._keyed if topic == "" or k[1] == topic]:
                del self._keyed[key]

    def end(self, error: BaseException | None = None) -> None:
        """No more events: the consumer takes what is left, then gets ``error`` raised (or ``END``)."""
        with self._lock:
            self._end(error)
        if self._on_readable is not None:
            self._on_readable()
        if self._on_space is not None:
            self._on_space()

    def _end(self, error: BaseException | None) -> None:
        if not self._ended:
            self._ended = True
            self._error = error
        self._readable.notify_all()

    def get_nowait(self) -> Item | Marker:
        """The next event, ``EMPTY``, or ``END``; raises the ending error once everything is taken."""
        with self._lock:
            item = self._take()
        if item is not EMPTY and self._on_space is not None:
            self._on_space()
        return item

    def get(self, timeout: float | None = None) -> Item | Marker:
        """The next event, waiting up to ``timeout`` seconds (``None``: until there is one) for one:
        ``EMPTY`` on timeout, ``END`` (or the ending error raised) when the buffer ended."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._lock:
            while not self._slots and not self._ended:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return EMPTY
                self._readable.wait(remaining)
            item = self._take()
        if item is not EMPTY and self._on_space is not None:
            self._on_space()
        return item

    def _take(self) -> Item | Marker:
        if self._slots:
            slot = self._slots.popleft()
            if slot.key is None:
                self._counted -= 1
            elif self._keyed.get(slot.key) is slot:
                del self._keyed[slot.key]
            return slot.item
        if not self._ended:
            return EMPTY
        self._drained = True
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return END
