"""Cursor pagination as Bybit does it: ``limit`` items per page, ``nextPageCursor`` to go on.

Items are listed newest first and each carries a sequence number that only grows; the cursor is an
opaque token for "items older than this one", so pages stay consistent while new items arrive.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from carpenstar_bybit.sandbox._errors import ExchangeError

__all__ = ["decode_cursor", "encode_cursor", "page"]

T = TypeVar("T")
_PREFIX = "sbx:"


def encode_cursor(position: int) -> str:
    """The opaque cursor for "continue after the item at ``position``"."""
    return base64.urlsafe_b64encode(f"{_PREFIX}{position}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position a cursor continues after; 10001 if it is not a cursor of this sandbox."""
    try:
        text = base64.urlsafe_b64decode(cursor.encode("ascii")).decode("ascii")
    except (ValueError, binascii.Error, UnicodeError):
        raise ExchangeError.params("cursor invalid") from None
    if not text.startswith(_PREFIX) or not text[len(_PREFIX) :].isdigit():
        raise ExchangeError.params("cursor invalid")
    return int(text[len(_PREFIX) :])


def page(items: Sequence[T], key: Callable[[T], int], limit: int, cursor: str | None) -> tuple[list[T], str]:
    """One page of ``items`` (sorted by ``key`` descending) and the cursor of the next ("" if none)."""
    start = 0
    if cursor is not None:
        after = decode_cursor(cursor)
        start = next((i for i, item in enumerate(items) if key(item) < after), len(items))
    chunk = list(items[start : start + limit])
    more = start + limit < len(items)
    return chunk, encode_cursor(key(chunk[-1])) if more and chunk else ""
