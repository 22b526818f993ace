"""Fault injection: make the sandbox misbehave like a real exchange and its CDN sometimes do.

::

    ex.faults.inject("latency", seconds=0.5)                  # next request answered 0.5 s late
    ex.faults.inject("http_5xx", count=2, status=502)         # next two requests: a gateway error page
    ex.faults.inject("html_403", route="/v5/order/create")    # the CDN's HTML block page, one route
    ex.faults.inject("drop")                                  # connection closed without an answer
    ex.faults.inject("drop", after=True)                      # ...after the exchange acted on it
    ex.faults.inject("clock_skew", count=None, ms=-7000)      # the server clock runs 7 s behind
    ex.faults.inject("api_error", code=10016, message="Server error.")
    ex.faults.clear()

Each fault applies to the next ``count`` requests (``None``: until cleared), of one path when
``route`` is given. ``latency`` and ``clock_skew`` add to a request's handling; ``http_5xx``,
``html_403``, ``drop`` and ``api_error`` answer it instead of the exchange (the first one injected
wins when several are pending; the others wait for later requests). With ``after=True`` the exchange
handles the request first (an order is placed, a cancel done) and the fault then replaces its
answer: the "outcome unknown" case a client must survive without doing a thing twice.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import Enum

__all__ = ["Fault", "FaultInjector", "FaultKind"]


class FaultKind(str, Enum):
    """What a fault does."""

    LATENCY = "latency"
    HTTP_5XX = "http_5xx"
    HTML_403 = "html_403"
    DROP = "drop"
    CLOCK_SKEW = "clock_skew"
    API_ERROR = "api_error"

    @property
    def answers(self) -> bool:
        """Whether this fault answers the request instead of the exchange."""
        return self not in (FaultKind.LATENCY, FaultKind.CLOCK_SKEW)


@dataclass
class Fault:
    """One injected fault. ``remaining`` counts down per request it applies to (``None``: forever)."""

    kind: FaultKind
    remaining: int | None
    route: str | None = None
    seconds: float = 0.0
    status: int = 503
    skew_ms: int = 0
    code: int = 10016
    message: str = "Server error."
    after: bool = False

    def applies_to(self, path: str) -> bool:
        """Whether the fault is pending for a request to ``path``."""
        return (self.remaining is None or self.remaining > 0) and (self.route is None or self.route == path)


class FaultInjector:
    """The faults pending on one sandbox (thread-safe). Reach it as ``SandboxExchange.faults``."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []

    def inject(
        self,
        kind: FaultKind | str,
        count: int | None = 1,
        route: str | None = None,
        *,
        seconds: float | None = None,
        status: int | None = None,
        ms: int | None = None,
        code: int | None = None,
        message: str | None = None,
        after: bool = False,
    ) -> Fault:
        """Add a fault for the next ``count`` requests (to ``route`` only, if given).

        Options by kind: ``latency`` needs ``seconds``; ``http_5xx`` takes ``status`` (500-599,
        default 503); ``clock_skew`` needs ``ms`` (added to the server clock, may be negative);
        ``api_error`` takes ``code`` (default 10016) and ``message``. ``after=True`` (answering kinds
        only) lets the exchange act on the request before the fault replaces the answer.
        ``ValueError`` for an option the kind does not take, or a bad value.
        """
        kind = FaultKind(kind)
        if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 1):
            raise ValueError(f"count must be a positive int or None (until cleared), got {count!r}")
        if route is not None and not route.startswith("/"):
            raise ValueError(f"route must be a path like '/v5/order/create', got {route!r}")
        given = {
            name
            for name, value in (
                ("seconds", seconds),
                ("status", status),
                ("ms", ms),
                ("code", code),
                ("message", message),
            )
            if value is not None
        }
        allowed = {
            FaultKind.LATENCY: {"seconds"},
            FaultKind.HTTP_5XX: {"status"},
            FaultKind.CLOCK_SKEW: {"ms"},
            FaultKind.API_ERROR: {"code", "message"},
        }.get(kind, set())
        if given - allowed:
            raise ValueError(f"{kind.value} does not take {', '.join(sorted(given - allowed))}")
        if after and not kind.answers:
            raise ValueError(f"{kind.value} does not take after")
        fault = Fault(kind, count, route, after=after)
        if kind is FaultKind.LATENCY:
            if seconds is None or not 0 <= seconds <= 600:
                raise ValueError(f"latency needs seconds in [0, 600], got {seconds!r}")
            fault.seconds = float(seconds)
        elif kind is FaultKind.HTTP_5XX and status is not None:
            if not 500 <= status <= 599:
                raise ValueError(f"http_5xx status must be in 500..599, got {status!r}")
            fault.status = status
        elif kind is FaultKind.CLOCK_SKEW:
            if ms is None:
                raise ValueError("clock_skew needs ms")
            fault.skew_ms = int(ms)
        elif kind is FaultKind.API_ERROR:
            if code is not None:
                if code == 0:
                    raise ValueError("api_error code must not be 0")
                fault.code = code
            if message is not None:
                fault.message = message
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self, kind: FaultKind | str | None = None) -> None:
        """Remove every pending fault (of one kind, if given)."""
        wanted = None if kind is None else FaultKind(kind)
        with self._lock:
            self._faults = [f for f in self._faults if wanted is not None and f.kind is not wanted]

    def pending(self) -> list[Fault]:
        """The faults that still apply to some request, in injection order."""
        with self._lock:
            return [f for f in self._faults if f.remaining is None or f.remaining > 0]

    def take(self, path: str) -> list[Fault]:
        """Consume the faults for one request to ``path``: every pending ``latency``/``clock_skew``
        and at most one answering fault (the earliest injected)."""
        taken: list[Fault] = []
        with self._lock:
            answered = False
            for fault in self._faults:
                if not fault.applies_to(path) or (fault.kind.answers and answered):
                    continue
                answered = answered or fault.kind.answers
                if fault.remaining is not None:
                    fault.remaining -= 1
                taken.append(fault)
            self._faults = [f for f in self._faults if f.remaining is None or f.remaining > 0]
        return taken
