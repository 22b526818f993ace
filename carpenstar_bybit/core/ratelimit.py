"""Bybit's per-key rate-limit headers (``X-Bapi-Limit*``), parsed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import NamedTuple

from carpenstar_bybit.core.timeutil import from_ms

__all__ = ["RateLimit"]


class RateLimit(NamedTuple):
    """One snapshot of the rate-limit headers of a private response.

    ``limit`` is the allowance per window, ``remaining`` what is left of it (``X-Bapi-Limit-Status``),
    ``reset_at`` when the window resets (``X-Bapi-Limit-Reset-Timestamp``, milliseconds).
    """

    limit: int
    remaining: int
    reset_at: datetime

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> RateLimit | None:
        """Parse the headers; ``None`` when they are absent or malformed."""
        limit = headers.get("X-Bapi-Limit")
        remaining = headers.get("X-Bapi-Limit-Status")
        reset = headers.get("X-Bapi-Limit-Reset-Timestamp")
        if limit is None or remaining is None or reset is None:
            return None
        try:
            return cls(int(limit), int(remaining), from_ms(int(reset)))
        except (ValueError, OverflowError):
            return None
