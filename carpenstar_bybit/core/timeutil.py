"""Milliseconds since the epoch <-> aware UTC datetimes, exactly (no float rounding)."""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta, timezone

from carpenstar_bybit.core.exceptions import SDKException

__all__ = ["EPOCH", "MAX_SECONDS", "from_ms", "now_ms", "seconds", "to_ms"]

#: Longest duration accepted for a timeout, deadline or wait: a REST call that takes longer is a hang.
MAX_SECONDS = 86_400.0

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def from_ms(ms: int) -> datetime:
    """An aware UTC datetime from integer milliseconds since the epoch."""
    # Positional microseconds: the same exact integer arithmetic as timedelta(milliseconds=ms), at
    # half the cost (response DTOs read two or three of these per order).
    return EPOCH + timedelta(0, 0, ms * 1000)


def to_ms(value: datetime) -> int:
    """Integer milliseconds since the epoch of an aware datetime."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def now_ms() -> int:
    """The local clock in integer milliseconds."""
    return time.time_ns() // 1_000_000


def seconds(name: str, value: object, *, allow_zero: bool = False, limit: float = MAX_SECONDS) -> float:
    """``value`` as finite seconds with ``0 < value <= limit`` (``0 <=`` with ``allow_zero``);
    ``SDKException`` naming ``name`` otherwise (``inf``, ``nan``, a bool, text, out of range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SDKException(f"{name} must be a number of seconds, got {type(value).__name__} {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0 or (number == 0 and not allow_zero) or number > limit:
        low = "0 <=" if allow_zero else "0 <"
        raise SDKException(f"{name} must be finite seconds, {low} {name} <= {limit:g}, got {value!r}")
    return number
