"""Milliseconds since the epoch <-> aware UTC datetimes, exactly (no float rounding)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

__all__ = ["EPOCH", "from_ms", "now_ms", "to_ms"]

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def from_ms(ms: int) -> datetime:
    """An aware UTC datetime from integer milliseconds since the epoch."""
    return EPOCH + timedelta(milliseconds=ms)


def to_ms(value: datetime) -> int:
    """Integer milliseconds since the epoch of an aware datetime."""
    delta = value - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def now_ms() -> int:
    """The local clock in integer milliseconds."""
    return time.time_ns() // 1_000_000
