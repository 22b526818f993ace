"""When to send a request again, and how long to wait first. Defaults are safe for money.

A request is resent only when repeating it cannot do a thing twice:

* the connection failed before the request was sent (``ConnectionFailedException``): any request;
* the exchange refused it without acting: 10006 (after waiting for the rate-limit window to reset,
  bounded), 10002 (once, after re-syncing the clock): any request;
* the outcome is unknown (read timeout, connection lost after sending, HTTP 5xx) or the server
  failed (10000, 10016): only requests that are harmless to repeat (``Endpoint.is_idempotent``:
  GETs, cancel/amend by id, place-order only with an ``orderLinkId``).

An IP block (HTTP 403) is never retried: it lasts minutes. Waits grow exponentially with jitter;
attempts and the overall time are capped.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import NamedTuple

from carpenstar_bybit.core.exceptions import (
    BybitException,
    ConnectionFailedException,
    RateLimitException,
    ResponseFormatException,
    SDKException,
    ServerException,
    TimestampException,
    TransportException,
)
from carpenstar_bybit.core.timeutil import seconds

__all__ = ["NO_RETRY", "RetryDecision", "RetryPolicy"]


class RetryDecision(NamedTuple):
    """Retry after ``delay`` seconds; ``resync_clock`` first if set; ``uncertain`` if the failed
    attempt may have reached the exchange and acted."""

    delay: float
    reason: str
    resync_clock: bool = False
    uncertain: bool = False


class _RetryFields(NamedTuple):
    max_attempts: int
    deadline: float
    backoff: float
    max_backoff: float
    jitter: float
    max_rate_limit_wait: float


class RetryPolicy(_RetryFields):
    """Retry settings of a ``BybitAPI`` (immutable).

    :param max_attempts: attempts in all, the first included (1 = never retry).
    :param deadline: seconds from the first attempt after which no new attempt starts.
    :param backoff: first wait in seconds; doubled on each further attempt, up to ``max_backoff``.
    :param max_backoff: longest wait between two attempts, in seconds.
    :param jitter: fraction of each wait that is random (0 = none, 1 = "full jitter").
    :param max_rate_limit_wait: longest wait for a rate-limit window to reset (10006).
    """

    __slots__ = ()

    def __new__(
        cls,
        max_attempts: int = 3,
        deadline: float = 30.0,
        backoff: float = 0.2,
        max_backoff: float = 5.0,
        jitter: float = 0.5,
        max_rate_limit_wait: float = 10.0,
    ) -> RetryPolicy:
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int) or max_attempts < 1:
            raise SDKException(f"max_attempts must be an int >= 1, got {max_attempts!r}")
        deadline = seconds("deadline", deadline)
        backoff = seconds("backoff", backoff, allow_zero=True)
        max_backoff = seconds("max_backoff", max_backoff, allow_zero=True)
        max_rate_limit_wait = seconds("max_rate_limit_wait", max_rate_limit_wait, allow_zero=True)
        if isinstance(jitter, bool) or not isinstance(jitter, (int, float)) or not 0 <= jitter <= 1:
            raise SDKException(f"jitter must be within 0..1, got {jitter!r}")
        return super().__new__(cls, max_attempts, deadline, backoff, max_backoff, jitter, max_rate_limit_wait)

    def backoff_delay(self, attempt: int) -> float:
        """The wait before attempt ``attempt + 1``."""
        base = min(self.max_backoff, self.backoff * 2.0 ** (attempt - 1))
        return base * (1 - self.jitter * random.random())

    def decide(
        self,
        error: BybitException,
        attempt: int,
        *,
        idempotent: bool,
        now: datetime,
        resynced: bool,
    ) -> RetryDecision | None:
        """Whether to retry after ``error`` on attempt ``attempt`` (1-based), and how.

        ``now`` is the exchange's current time as best known (the time of its answer, else the local
        clock corrected by the measured offset): a rate-limit reset is a time on the exchange's clock.
        """
        if attempt >= self.max_attempts:
            return None
        if isinstance(error, ConnectionFailedException):
            return RetryDecision(self.backoff_delay(attempt), "connection failed before sending")
        if isinstance(error, RateLimitException):
            if error.ret_code not in (10006, 10018) or error.http_status in (403, 429):
                return None
            wait = self.backoff_delay(attempt)
            if error.rate_limit is not None:
                until_reset = (error.rate_limit.reset_at - now).total_seconds()
                wait = max(0.0, until_reset)
            if wait > self.max_rate_limit_wait:
                return None
            return RetryDecision(wait, f"rate limited ({error.ret_code})")
        if isinstance(error, TimestampException):
            if resynced:
                return None
            return RetryDecision(0.0, "timestamp outside the receive window", resync_clock=True)
        if isinstance(error, ServerException):
            if not idempotent:
                return None
            return RetryDecision(
                self.backoff_delay(attempt), f"server error {error.ret_code}", uncertain=True
            )
        if isinstance(error, ResponseFormatException):
            return None
        if isinstance(error, TransportException):
            status = error.http_status
            if status is not None and status < 500:
                return None
            if not idempotent:
                return None
            what = f"HTTP {status}" if status is not None else type(error).__name__
            return RetryDecision(self.backoff_delay(attempt), f"outcome unknown ({what})", uncertain=True)
        return None


NO_RETRY = RetryPolicy(max_attempts=1)
"""A policy that never retries."""
