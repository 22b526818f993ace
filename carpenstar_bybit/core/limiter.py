"""A client-side rate limiter per API key, to stay under the exchange's limit instead of hitting 10006.

Share one ``RateLimiter`` between the clients of a process that use the same key: it keeps one token
bucket per key, and pauses a key until the window resets when the exchange reports none left.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.ratelimit import RateLimit

__all__ = ["RateLimiter"]


class _Bucket:
    __slots__ = ("blocked_until", "stamp", "tokens")

    def __init__(self, tokens: float, stamp: float) -> None:
        self.tokens = tokens
        self.stamp = stamp
        self.blocked_until = 0.0


class RateLimiter:
    """At most ``per_second`` requests per second per API key (bursts up to ``burst``).

    ``acquire`` blocks the calling thread until a request may go, up to ``max_wait`` seconds, then
    raises ``SDKException`` (nothing is sent).
    """

    def __init__(self, per_second: float = 10.0, *, burst: int | None = None, max_wait: float = 30.0) -> None:
        if isinstance(per_second, bool) or not isinstance(per_second, (int, float)) or per_second <= 0:
            raise SDKException(f"per_second must be a positive number, got {per_second!r}")
        self.per_second = float(per_second)
        self.burst = float(burst if burst is not None else max(1, int(per_second)))
        self.max_wait = max_wait
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def _bucket(self, key: str, now: float) -> _Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self.burst, now)
        return bucket

    def acquire(self, key: str) -> float:
        """Take one token for ``key``, waiting if needed; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = time.monotonic()
                bucket = self._bucket(key, now)
                bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.stamp) * self.per_second)
                bucket.stamp = now
                wait = max(0.0, bucket.blocked_until - now)
                if wait == 0.0 and bucket.tokens >= 1.0:
                    bucket.tokens -= 1.0
                    return waited
                if wait == 0.0:
                    wait = (1.0 - bucket.tokens) / self.per_second
            if waited + wait > self.max_wait:
                raise SDKException(
                    f"client-side rate limit: would wait more than {self.max_wait}s for a request slot"
                )
            time.sleep(wait)
            waited += wait

    def observe(self, key: str, rate_limit: RateLimit | None, server_now: datetime | None = None) -> None:
        """Learn from the exchange's headers: with nothing left, pause ``key`` until the reset.

        ``server_now`` is the exchange's current time (the reset is a time on its clock); without it
        the local clock is used.
        """
        if rate_limit is None or rate_limit.remaining > 0:
            return
        now = server_now if server_now is not None else datetime.now(timezone.utc)
        seconds = (rate_limit.reset_at - now).total_seconds()
        if seconds <= 0:
            return
        with self._lock:
            bucket = self._bucket(key, time.monotonic())
            bucket.blocked_until = max(bucket.blocked_until, time.monotonic() + min(seconds, self.max_wait))

    def __repr__(self) -> str:
        return f"RateLimiter(per_second={self.per_second}, burst={self.burst:g})"
