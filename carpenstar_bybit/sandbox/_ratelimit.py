"""Bybit's per-key rate limit on private routes, with its ``X-Bapi-Limit*`` headers.

Each API key gets ``limit`` requests per fixed window (one second by default) that starts with its
first request. Every private answer to a known key carries the limit, what is left of it and when
the window resets; a request past the limit is refused with 10006 and does not count.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter", "RateStatus"]


@dataclass(frozen=True)
class RateStatus:
    """The limit of one key after a request: ``allowed`` is whether that request was within it."""

    limit: int
    remaining: int
    reset_ms: int
    allowed: bool

    def headers(self) -> dict[str, str]:
        """The ``X-Bapi-Limit*`` response headers."""
        return {
            "X-Bapi-Limit": str(self.limit),
            "X-Bapi-Limit-Status": str(self.remaining),
            "X-Bapi-Limit-Reset-Timestamp": str(self.reset_ms),
        }


class RateLimiter:
    """Fixed-window request counter per API key (thread-safe).

    :param limit: requests per window and key (at least 1).
    :param window_ms: window length in milliseconds (Bybit: 1000).
    :param clock: milliseconds since the epoch.
    """

    def __init__(self, limit: int, window_ms: int, clock: Callable[[], int]) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"rate_limit must be a positive int of requests per window, got {limit!r}")
        if isinstance(window_ms, bool) or not isinstance(window_ms, int) or window_ms < 1:
            raise ValueError(f"rate_limit_window_ms must be a positive int, got {window_ms!r}")
        self.limit = limit
        self.window_ms = window_ms
        self._clock = clock
        self._lock = threading.Lock()
        self._windows: dict[str, tuple[int, int]] = {}  # key -> (window start, requests counted)

    def _current(self, key: str, now: int) -> tuple[int, int]:
        start, used = self._windows.get(key, (now, 0))
        if now >= start + self.window_ms:
            start, used = now, 0
        return start, used

    def hit(self, key: str) -> RateStatus:
        """Count one request of ``key`` if the limit allows it."""
        now = self._clock()
        with self._lock:
            start, used = self._current(key, now)
            allowed = used < self.limit
            if allowed:
                used += 1
            self._windows[key] = (start, used)
        return RateStatus(self.limit, self.limit - used, start + self.window_ms, allowed)

    def peek(self, key: str) -> RateStatus:
        """The status of ``key`` without counting a request."""
        now = self._clock()
        with self._lock:
            start, used = self._current(key, now)
        return RateStatus(self.limit, self.limit - used, start + self.window_ms, used < self.limit)

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self._windows.clear()
