"""Reading request parameters the way the exchange does: one place for parsing and validation.

``Params`` wraps the fields of one request, from a query string (``GET``) or a JSON object body
(``POST``). Its readers convert and validate one field each and raise ``ExchangeError`` (10001) with
a message naming the field, so route handlers only say what they need. Empty strings and ``null``
count as "not sent", as on Bybit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload
from urllib.parse import parse_qsl

from carpenstar_bybit.sandbox._errors import ExchangeError

__all__ = ["OutOfRange", "Params"]

_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)")
_INTEGER = re.compile(r"[+-]?\d{1,18}")
_BAD_JSON = "request body is not valid JSON"
#: JSON numbers longer than this, or with a decimal exponent beyond ``_MAX_EXPONENT``, are never
#: converted: ``1e999999999`` read as an integer is a billion-digit number (a frozen server), and
#: even as a ``Decimal`` it would print as a billion characters.
_MAX_NUMBER_TEXT = 64
_MAX_EXPONENT = 40


class OutOfRange:
    """A JSON number too large (or too precise) for any field: kept unconverted, refused by every
    reader with a 10001 that names the field."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text[:20]

    def __repr__(self) -> str:
        return f"OutOfRange({self.text!r}...)"


def _json_float(text: str) -> Decimal | OutOfRange:
    if len(text) > _MAX_NUMBER_TEXT:
        return OutOfRange(text)
    # The exponent is read from the text before any conversion; a Decimal of a bounded text with a
    # bounded exponent is cheap in every later operation.
    exponent = text.lower().partition("e")[2]
    if exponent and (len(exponent.lstrip("+-")) > 4 or abs(int(exponent)) > _MAX_EXPONENT):
        return OutOfRange(text)
    number = Decimal(text)
    if number and abs(number.adjusted()) > _MAX_EXPONENT:
        return OutOfRange(text)
    return number


def _json_int(text: str) -> int | OutOfRange:
    if len(text.lstrip("-")) > 18:
        return OutOfRange(text)
    return int(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


class Params:
    """The parameters of one request, read with the exchange's rules."""

    __slots__ = ("_raw",)

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self._raw = {k: v for k, v in raw.items() if v is not None and v != ""}

    @classmethod
    def from_query(cls, query: str) -> Params:
        """Parse a raw query string (without ``?``); 10001 if it is malformed or repeats a field."""
        if not query:
            return cls({})
        try:
            pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True, errors="strict")
        except (ValueError, UnicodeDecodeError):
            raise ExchangeError.params("malformed query string") from None
        raw: dict[str, str] = {}
        for name, value in pairs:
            if name in raw:
                raise ExchangeError.params(f"duplicate parameter {name}")
            raw[name] = value
        return cls(raw)

    @classmethod
    def from_json(cls, body: bytes, content_type: str | None) -> Params:
        """Parse a JSON object body; 10001 for another content type, invalid JSON or a non-object."""
        if not body.strip():
            return cls({})
        media = (content_type or "").split(";", 1)[0].strip().lower()
        if media != "application/json":
            raise ExchangeError.params(f"Content-Type must be application/json, got {media or 'none'!r}")
        try:
            data = json.loads(
                body, parse_float=_json_float, parse_int=_json_int, parse_constant=_reject_constant
            )
        except (ValueError, RecursionError):
            raise ExchangeError.params(_BAD_JSON) from None
        if not isinstance(data, dict):
            raise ExchangeError.params("request body must be a JSON object")
        return cls(data)

    def raw_text(self, name: str) -> str | None:
        """A field's value if it is a string, without validation (``None`` otherwise)."""
        value = self._raw.get(name)
        return value if isinstance(value, str) else None

    def count(self, name: str) -> int:
        """How many items a list field holds (1 when it is not a list: one request)."""
        value = self._raw.get(name)
        return len(value) if isinstance(value, list) and value else 1

    def items(self, name: str, *, maximum: int) -> list[Params]:
        """A required list of 1..``maximum`` JSON objects, each read as its own ``Params``."""
        value = self._raw.get(name)
        if value is None:
            raise self._missing(name)
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            raise self._invalid(name, "expected a list of objects")
        if not 1 <= len(value) <= maximum:
            raise self._invalid(name, f"expected 1 to {maximum} items")
        return [Params(item) for item in value]

    def has(self, name: str) -> bool:
        """Whether ``name`` was sent (and not empty)."""
        return name in self._raw

    @staticmethod
    def _missing(name: str) -> ExchangeError:
        return ExchangeError.params(f"{name} is required")

    @staticmethod
    def _invalid(name: str, why: str) -> ExchangeError:
        return ExchangeError.params(f"{name} invalid ({why})")

    @overload
    def text(self, name: str, *, required: Literal[True], choices: Collection[str] | None = None) -> str: ...

    @overload
    def text(
        self, name: str, *, required: bool = False, choices: Collection[str] | None = None
    ) -> str | None: ...

    def text(
        self, name: str, *, required: bool = False, choices: Collection[str] | None = None
    ) -> str | None:
        """A string field, optionally limited to ``choices``."""
        value = self._raw.get(name)
        if value is None:
            if required:
                raise self._missing(name)
            return None
        if not isinstance(value, str):
            raise self._invalid(name, "expected a string")
        if choices is not None and value not in choices:
            raise self._invalid(name, "expected one of " + ", ".join(sorted(choices)))
        return value

    @overload
    def decimal(
        self, name: str, *, required: Literal[True], positive: bool = True, signed: bool = False
    ) -> Decimal: ...

    @overload
    def decimal(
        self, name: str, *, required: bool = False, positive: bool = True, signed: bool = False
    ) -> Decimal | None: ...

    def decimal(
        self, name: str, *, required: bool = False, positive: bool = True, signed: bool = False
    ) -> Decimal | None:
        """A decimal field (a numeric string, or a JSON number); ``positive`` rejects ``<= 0``,
        otherwise negatives are rejected unless ``signed``."""
        value = self._raw.get(name)
        if value is None:
            if required:
                raise self._missing(name)
            return None
        if isinstance(value, bool):
            raise self._invalid(name, "expected a number")
        if isinstance(value, OutOfRange):
            raise self._invalid(name, "number out of range")
        if isinstance(value, str):
            if not _DECIMAL.fullmatch(value) or len(value) > 40:
                raise self._invalid(name, "expected a number")
            try:
                number = Decimal(value)
            except InvalidOperation:  # pragma: no cover - the pattern admits only valid numbers
                raise self._invalid(name, "expected a number") from None
        elif isinstance(value, (int, Decimal)):
            number = Decimal(value)
        else:
            raise self._invalid(name, "expected a number")
        if not number.is_finite():
            raise self._invalid(name, "expected a finite number")
        if signed:
            return number
        if positive and number <= 0:
            raise self._invalid(name, "must be greater than 0")
        if not positive and number < 0:
            raise self._invalid(name, "must not be negative")
        return number

    @overload
    def integer(
        self,
        name: str,
        *,
        required: Literal[True],
        choices: Collection[int] | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int: ...

    @overload
    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        choices: Collection[int] | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None: ...

    def integer(
        self,
        name: str,
        *,
        required: bool = False,
        choices: Collection[int] | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An integer field (a JSON integer or a string of digits), optionally bounded."""
        value = self._raw.get(name)
        if value is None:
            if required:
                raise self._missing(name)
            return None
        number: int
        if isinstance(value, bool):
            raise self._invalid(name, "expected an integer")
        if isinstance(value, OutOfRange):
            raise self._invalid(name, "number out of range")
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and _INTEGER.fullmatch(value):
            number = int(value)
        elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            number = int(value)
        else:
            raise self._invalid(name, "expected an integer")
        if choices is not None and number not in choices:
            raise self._invalid(name, "expected one of " + ", ".join(str(c) for c in sorted(choices)))
        if minimum is not None and number < minimum:
            raise self._invalid(name, f"must be at least {minimum}")
        if maximum is not None and number > maximum:
            raise self._invalid(name, f"must be at most {maximum}")
        return number

    def boolean(self, name: str) -> bool | None:
        """A boolean field (JSON ``true``/``false``, or those words in a query string)."""
        value = self._raw.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        raise self._invalid(name, "expected true or false")

    @overload
    def timestamp(self, name: str, *, required: Literal[True]) -> int: ...

    @overload
    def timestamp(self, name: str, *, required: bool = False) -> int | None: ...

    def timestamp(self, name: str, *, required: bool = False) -> int | None:
        """A time in epoch milliseconds."""
        return self.integer(name, required=required, minimum=0)

    def limit(self, default: int, maximum: int) -> int:
        """The page size: ``limit`` in ``[1, maximum]``, ``default`` when not sent."""
        value = self.integer("limit", minimum=1, maximum=maximum)
        return default if value is None else value

    def one_of(self, *names: str) -> None:
        """10001 unless at least one of ``names`` was sent."""
        if not any(name in self._raw for name in names):
            raise ExchangeError.params("one of " + ", ".join(names) + " is required")

    def __repr__(self) -> str:
        return f"Params({sorted(self._raw)!r})"
