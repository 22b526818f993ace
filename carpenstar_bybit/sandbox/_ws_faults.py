"""Fault injection for the sandbox's streams: make its WebSocket endpoint misbehave as a real one does.

::

    ex.ws_faults.inject("drop")                                   # cut the open connection(s) now
    ex.ws_faults.inject("drop", count=None, path="/v5/private")   # ...and every new one, until cleared
    ex.ws_faults.inject("refuse", count=None)                     # new connections: HTTP 503 at the handshake
    ex.ws_faults.inject("no_pong", count=None)                    # pings go unanswered
    ex.ws_faults.inject("skip_delta", topic="orderbook.50.BTCUSDT")   # one book delta never sent: a u gap
    ex.ws_faults.inject("delay", seconds=0.5, count=3)            # the next 3 messages go out 0.5 s late
    ex.ws_faults.clear()

Each fault applies ``count`` times (``None``: until cleared), to connections of one ``path``
(``/v5/private``, ``/v5/public/linear``...) when given:

* ``drop``: a connection is cut without a closing handshake, as a network failure does: those open
  now first (oldest first), then new ones as soon as they open. ``count`` counts connections.
* ``refuse``: a new connection is answered HTTP 503 instead of upgrading. ``count`` counts attempts.
* ``no_pong``: a ``ping`` gets no answer (the connection stays open). ``count`` counts pings.
* ``skip_delta``: an order book delta (of ``topic``, or of any book) is not sent to a connection;
  the book's ``u`` goes on, so the client sees a gap. ``count`` counts deltas (per connection sent to).
* ``delay``: a message the exchange sends (data or an answer) goes out ``seconds`` late; later ones
  wait behind it, so the order is kept. ``count`` counts messages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

__all__ = ["WsFault", "WsFaultInjector", "WsFaultKind"]


class WsFaultKind(str, Enum):
    """What a stream fault does."""

    DROP = "drop"
    REFUSE = "refuse"
    NO_PONG = "no_pong"
    SKIP_DELTA = "skip_delta"
    DELAY = "delay"


@dataclass
class WsFault:
    """One injected stream fault. ``remaining`` counts down each time it applies (``None``: forever)."""

    kind: WsFaultKind
    remaining: int | None
    path: str | None = None
    topic: str | None = None
    seconds: float = 0.0

    @property
    def pending(self) -> bool:
        """Whether it still applies."""
        return self.remaining is None or self.remaining > 0

    def applies_to(self, path: str, topic: str | None = None) -> bool:
        """Whether it is pending for a connection to ``path`` (and, for ``skip_delta``, ``topic``)."""
        return (
            self.pending
            and (self.path is None or self.path == path)
            and (self.topic is None or self.topic == topic)
        )


class WsFaultInjector:
    """The stream faults pending on one sandbox (thread-safe). Reach it as ``SandboxExchange.ws_faults``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[WsFault] = []
        #: Called (from the injecting thread) after a ``drop`` is injected: the server cuts open
        #: connections at once.
        self.on_drop: Callable[[], None] | None = None

    def inject(
        self,
        kind: WsFaultKind | str,
        count: int | None = 1,
        path: str | None = None,
        *,
        topic: str | None = None,
        seconds: float | None = None,
    ) -> WsFault:
        """Add a fault that applies ``count`` times (``None``: until cleared), to connections of
        ``path`` only if given. ``skip_delta`` takes ``topic`` (an ``orderbook.{depth}.{symbol}``);
        ``delay`` needs ``seconds``. ``ValueError`` for an option the kind does not take, or a bad value."""
        kind = WsFaultKind(kind)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise ValueError(f"count must be a positive int or None (until cleared), got {count!r}")
        if path is not None and not (path == "/v5/private" or path.startswith("/v5/public/")):
            raise ValueError(f"path must be a stream path like '/v5/private', got {path!r}")
        if topic is not None and kind is not WsFaultKind.SKIP_DELTA:
            raise ValueError(f"{kind.value} does not take topic")
        if topic is not None and not topic.startswith("orderbook."):
            raise ValueError(f"skip_delta topic must be an orderbook topic, got {topic!r}")
        if seconds is not None and kind is not WsFaultKind.DELAY:
            raise ValueError(f"{kind.value} does not take seconds")
        fault = WsFault(kind, count, path, topic)
        if kind is WsFaultKind.DELAY:
            if seconds is None or isinstance(seconds, bool) or not 0 <= seconds <= 600:
                raise ValueError(f"delay needs seconds in [0, 600], got {seconds!r}")
            fault.seconds = float(seconds)
        with self._lock:
            self._faults.append(fault)
        if kind is WsFaultKind.DROP and self.on_drop is not None:
            self.on_drop()
        return fault

    def clear(self, kind: WsFaultKind | str | None = None) -> None:
        """Remove every pending fault (of one kind, if given)."""
        wanted = None if kind is None else WsFaultKind(kind)
        with self._lock:
            self._faults = [f for f in self._faults if wanted is not None and f.kind is not wanted]

    def pending(self) -> list[WsFault]:
        """The faults that still apply, in injection order."""
        with self._lock:
            return [f for f in self._faults if f.pending]

    def take(self, kind: WsFaultKind, path: str, topic: str | None = None) -> WsFault | None:
        """Consume one application of the earliest pending fault of ``kind`` for a connection to
        ``path`` (and ``topic``); ``None`` when there is none."""
        with self._lock:
            for fault in self._faults:
                if fault.kind is kind and fault.applies_to(path, topic):
                    if fault.remaining is not None:
                        fault.remaining -= 1
                    self._faults = [f for f in self._faults if f.pending]
                    return fault
        return None

    def has(self, kind: WsFaultKind) -> bool:
        """Whether a fault of ``kind`` is pending (a cheap check before ``take``)."""
        with self._lock:
            return any(f.kind is kind and f.pending for f in self._faults)
