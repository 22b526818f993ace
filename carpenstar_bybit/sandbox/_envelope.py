"""What the sandbox puts on the wire: envelopes, JSON encoding and decimal text, in one place.

Every answer goes through ``Reply``: a status, a body and headers, always sent with
``Content-Length``. Bybit envelopes are ``{"retCode","retMsg","result","retExtInfo","time"}``;
money and quantities are decimal strings (``fmt``), never floats.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["JSON_TYPE", "Reply", "envelope", "fmt", "json_bytes"]

JSON_TYPE = "application/json; charset=utf-8"
_EIGHT_PLACES = Decimal("0.00000001")


def fmt(value: Decimal | None, *, empty: str = "0") -> str:
    """A decimal as Bybit writes it: plain notation, at most 8 places, no trailing zeros.

    ``None`` gives ``empty``.
    """
    if value is None:
        return empty
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -8:
        value = value.quantize(_EIGHT_PLACES)
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        return fmt(value)
    raise TypeError(f"cannot encode {type(value).__name__}")


def json_bytes(data: Any) -> bytes:
    """Compact UTF-8 JSON; ``Decimal`` values become decimal strings."""
    return json.dumps(data, separators=(",", ":"), default=_default, ensure_ascii=False).encode()


def envelope(code: int, message: str, result: Any, time_ms: int, ext_info: Any = None) -> dict[str, Any]:
    """A Bybit response envelope."""
    return {
        "retCode": code,
        "retMsg": message,
        "result": {} if result is None else result,
        "retExtInfo": {} if ext_info is None else ext_info,
        "time": time_ms,
    }


@dataclass(frozen=True)
class Reply:
    """One HTTP answer. ``close`` ends the connection after it (``Connection: close``)."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)
    close: bool = False

    @classmethod
    def json(
        cls, data: Any, *, status: int = 200, headers: dict[str, str] | None = None, close: bool = False
    ) -> Reply:
        """A JSON answer."""
        return cls(status, json_bytes(data), JSON_TYPE, dict(headers or {}), close)

    @classmethod
    def text(
        cls, status: int, text: str, *, content_type: str = "text/plain; charset=utf-8", close: bool = False
    ) -> Reply:
        """A plain text (or HTML) answer."""
        return cls(status, text.encode(), content_type, {}, close)
