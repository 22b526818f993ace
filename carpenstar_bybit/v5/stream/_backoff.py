"""When to try again after a lost connection: exponential backoff with jitter."""

from __future__ import annotations

import random
from dataclasses import dataclass

from carpenstar_bybit.core.exceptions import SDKException

__all__ = ["ReconnectPolicy"]


@dataclass(frozen=True)
class ReconnectPolicy:
    """How a stream reconnects after losing its connection.

    Attempt ``n`` (1 for the first) waits a random time between ``(1 - jitter)`` and 1 times
    ``min(max_delay, initial_delay * multiplier ** (n - 1))`` seconds, so that many clients cut off
    at once do not come back at once. The count starts again once a connection is back with every
    topic subscribed. ``max_attempts=None`` tries forever; otherwise the stream stops with
    ``StreamConnectionException`` after that many failed attempts in a row.

    Bybit asks not to open more than 500 connections in 5 minutes per IP: keep ``initial_delay``
    reasonable for many streams.
    """

    initial_delay: float = 0.5
    max_delay: float = 30.0
    multiplier: float = 2.0
    jitter: float = 0.5
    max_attempts: int | None = None

    def __post_init__(self) -> None:
        for name in ("initial_delay", "max_delay", "multiplier"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise SDKException(f"{name} must be a positive number, got {value!r}")
        if self.multiplier < 1:
            raise SDKException(f"multiplier must be at least 1, got {self.multiplier!r}")
        if (
            isinstance(self.jitter, bool)
            or not isinstance(self.jitter, (int, float))
            or not 0 <= self.jitter <= 1
        ):
            raise SDKException(f"jitter must be between 0 and 1, got {self.jitter!r}")
        attempts = self.max_attempts
        if attempts is not None and (
            isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 1
        ):
            raise SDKException(f"max_attempts must be a positive int or None, got {attempts!r}")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt ``attempt`` (1-based)."""
        base = min(self.max_delay, self.initial_delay * self.multiplier ** min(attempt - 1, 64))
        fraction = (rng or random).random()
        return base * (1 - self.jitter * fraction)

    def gives_up_after(self, attempt: int) -> bool:
        """Whether no attempt follows a failed attempt ``attempt``."""
        return self.max_attempts is not None and attempt >= self.max_attempts
