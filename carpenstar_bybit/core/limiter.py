"""A client-side rate limiter per API key, to stay under the exchange's limit instead of hitting 10006.

Share one ``RateLimiter`` between the clients of a process that use the same key (sync and asyncio
clients alike): it keeps one token bucket per key, and pauses a key until the window resets when the
exchange reports none left. It never sleeps itself: ``reserve`` takes a slot and says how long to
wait for it, and each client waits in its own way (``time.sleep``, ``await asyncio.sleep``), so the
same limiter serves threads and event loops without blocking either.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime, timezone

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.timeutil import seconds

__all__ = ["RateLimiter"]


class _Bucket:
    __slots__ = ("blocked_until", "stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens  # below zero: slots already promised to waiting callers
        self.stamp = stamp
        self.blocked_until = 0.0


class RateLimiter:
    """At most ``per_second`` requests per second per API key (bursts up to ``burst``).

    :param per_second: the sustained rate, a finite number > 0.
    :param burst: requests that may go at once after a quiet period (an int >= 1; default: the
        rate, at least 1).
    :param max_wait: the longest wait for a slot; past it ``SDKException`` is raised and nothing
        is sent.
    """

    def __init__(self, per_second: float = 10.0, *, burst: int | None = None, max_wait: float = 30.0) -> None:
        if isinstance(per_second, bool) or not isinstance(per_second, (int, float)):
            raise SDKException(f"per_second must be a number, got {type(per_second).__name__}")
        if not (math.isfinite(per_second) and 0 < per_second <= 1_000_000):
            raise SDKException(f"per_second must be a finite number in (0, 1e6], got {per_second!r}")
        if burst is not None and (isinstance(burst, bool) or not isinstance(burst, int) or burst < 1):
            raise SDKException(f"burst must be an int >= 1, got {burst!r}")
        self.per_second = float(per_second)
        self.burst = float(burst if burst is not None else max(1, int(per_second)))
        self.max_wait = seconds("max_wait", max_wait, allow_zero=True)
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        return bucket

    def reserve(self, key: str) -> float:
        """Take the next slot for ``key``; return the seconds to wait before using it (0: now).

        Raises ``SDKException`` (and takes nothing) if the wait would exceed ``max_wait``.
        """
        with self._lock:
            now = time.monotonic()
            bucket = self._bucket(key, now)
            bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.per_second)
            bucket.stamp = now
            wait = max(0.0, bucket.blocked_until - now)
            if bucket.tokens < 1.0:
                wait = max(wait, (1.0 - bucket.tokens) / self.per_second)
            if wait > self.max_wait:
                raise SDKException(
                    f"client-side rate limit: would wait {wait:.3f}s for a request slot, "
                    f"more than max_wait={self.max_wait}s"
                )
            bucket.tokens -= 1.0
            return wait

    def acquire(self, key: str) -> float:
        """Take a slot for ``key``, sleeping this thread until it is due; return the seconds waited."""
        wait = self.reserve(key)
        if wait > 0:
            time.sleep(wait)
        return wait

    def observe(self, key: str, rate_limit: RateLimit | None, server_now: datetime | None = None) -> None:
        """Learn from the exchange's headers: with nothing left, pause ``key`` until the reset.

        ``server_now`` is the exchange's current time (the reset is a time on its clock); without it
        the local clock is used.
        """
        if rate_limit is None or rate_limit.remaining > 0:
            return
        now = server_now if server_now is not None else datetime.now(timezone.utc)
        until_reset = (rate_limit.reset_at - now).total_seconds()
        if until_reset <= 0:
            return
        with self._lock:
            mono = time.monotonic()
            bucket = self._bucket(key, mono)
            bucket.blocked_until = max(bucket.blocked_until, mono + min(until_reset, self.max_wait))

    def __repr__(self) -> str:
        return f"RateLimiter(per_second={self.per_second}, burst={self.burst:g})"
