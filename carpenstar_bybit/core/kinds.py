"""Value kinds of Bybit fields: how a value is accepted from the user, written to the wire, and read back.

One ``Kind`` per JSON type Bybit documents. Request DTOs use ``accept`` (validate user input, before
any I/O), ``to_json`` (the JSON body) and ``to_query`` (the query string); response DTOs use ``parse``.

Parsing rules for response payloads (documented behaviour):

* ``STRING``: absent or ``null`` reads as ``""``; ``OPT_STRING`` (PHP ``?string``) reads them as ``None``.
* ``DECIMAL``, ``INT``, ``DATETIME``, ``BOOL``: absent, ``null`` or ``""`` read as ``None``.
* ``DECIMAL`` never goes through ``float``: strings and JSON numbers become exact ``Decimal`` values.
* ``DATETIME`` reads integer milliseconds (number or numeric string) as an aware UTC ``datetime``;
  ``0`` (Bybit's "no time", e.g. ``deliveryTime`` of a perpetual) reads as ``None``.
* A value of the wrong shape (``"abc"`` for a price) raises ``ResponseFormatException``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, ClassVar, Generic, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.timeutil import EPOCH, from_ms, to_ms

__all__ = [
    "BOOL",
    "DATETIME",
    "DECIMAL",
    "INT",
    "OPT_STRING",
    "STRING",
    "Kind",
    "Number",
    "decimal_text",
]

T = TypeVar("T")

#: What numeric setters accept; stored and sent as an exact ``Decimal``.
Number = Decimal | int | float | str


def decimal_text(value: Decimal) -> str:
    """Plain decimal notation, never an exponent: ``Decimal('1E-5')`` -> ``'0.00001'``."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _bad(field: str, expected: str, value: object) -> SDKException:
    return SDKException(f"{field}: expected {expected}, got {type(value).__name__} {value!r}")


def _unparsable(expected: str, raw: object) -> ResponseFormatException:
    return ResponseFormatException(f"expected {expected} in the response, got {raw!r}")


class Kind(Generic[T]):
    """A Bybit field type. Subclasses are stateless singletons."""

    __slots__ = ("name",)

    #: The type whose values (of exactly that type) ``parse`` returns unchanged, if any: compiled
    #: response constructors keep such values without calling ``parse``. Only trusted on the class
    #: that defines ``parse``: a subclass overriding ``parse`` must declare it again to use it.
    passthrough: ClassVar[type | None] = None

    def __init__(self, name: str) -> None:
        self.name = name

    def accept(self, field: str, value: Any) -> T:  # pragma: no cover - abstract
        """Validate and normalise a user value for ``field``; raise ``SDKException`` if it is wrong."""
        raise NotImplementedError

    def to_json(self, value: T) -> Any:
        """The value as Bybit expects it in a JSON body."""
        return value

    def to_query(self, value: T) -> str:
        """The value as it appears in a query string (before URL-encoding)."""
        return str(value)

    def parse(self, raw: Any) -> T | None:  # pragma: no cover - abstract
        """Read a value from a response payload (see the module docstring for the rules)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<Kind {self.name}>"


class _String(Kind[str]):
    __slots__ = ("nullable",)
    passthrough = str

    def __init__(self, name: str, nullable: bool) -> None:
        super().__init__(name)
        self.nullable = nullable

    def accept(self, field: str, value: Any) -> str:
        if isinstance(value, Enum):
            value = value.value
        if not isinstance(value, str):
            raise _bad(field, "a string", value)
        return value

    def parse(self, raw: Any) -> str | None:
        if raw is None:
            return None if self.nullable else ""
        if isinstance(raw, str):
            return raw
        if isinstance(raw, bool):
            return "true" if raw else "false"
        if isinstance(raw, (int, Decimal)):
            return str(raw)
        raise _unparsable("a string", raw)


class _Decimal(Kind[Decimal]):
    __slots__ = ()
    passthrough = Decimal

    def accept(self, field: str, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
            raise _bad(field, "a number (Decimal, int, float or numeric str)", value)
        try:
            # repr() of a float is the shortest text that round-trips: 0.1 -> '0.1', never float noise.
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise _bad(field, "a number", value) from None
        if not number.is_finite():
            raise _bad(field, "a finite number", value)
        return number

    def to_json(self, value: Decimal) -> str:
        return decimal_text(value)

    def to_query(self, value: Decimal) -> str:
        return decimal_text(value)

    def parse(self, raw: Any) -> Decimal | None:
        if raw.__class__ is str and raw:  # the common case first: Bybit sends decimals as strings
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise _unparsable("a decimal number", raw) from None
            if number.is_finite():
                return number
            raise _unparsable("a decimal number", raw)
        if raw is None or raw == "":
            return None
        if isinstance(raw, Decimal):
            return raw
        if isinstance(raw, str) or (isinstance(raw, int) and not isinstance(raw, bool)):
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise _unparsable("a decimal number", raw) from None
            if number.is_finite():
                return number
        raise _unparsable("a decimal number", raw)


class _Int(Kind[int]):
    __slots__ = ()
    passthrough = int

    def accept(self, field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(field, "an int", value)
        return int(value)

    def parse(self, raw: Any) -> int | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            try:
                return int(raw)
            except ValueError:
                pass
        if isinstance(raw, Decimal) and raw == raw.to_integral_value():
            return int(raw)
        raise _unparsable("an integer", raw)


class _Bool(Kind[bool]):
    __slots__ = ()
    passthrough = bool

    def accept(self, field: str, value: Any) -> bool:
        if not isinstance(value, bool):
            raise _bad(field, "a bool", value)
        return value

    def to_query(self, value: bool) -> str:
        return "true" if value else "false"

    def parse(self, raw: Any) -> bool | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            return raw
        if raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str) and raw.lower() in ("true", "false", "0", "1"):
            return raw.lower() in ("true", "1")
        raise _unparsable("a boolean", raw)


class _DateTime(Kind[datetime]):
    __slots__ = ()

    def accept(self, field: str, value: Any) -> datetime:
        if isinstance(value, datetime):
            if value.tzinfo is None or value.utcoffset() is None:
                raise SDKException(
                    f"{field}: naive datetime {value!r} is ambiguous; pass an aware datetime "
                    "(e.g. datetime(..., tzinfo=timezone.utc))"
                )
            if value < EPOCH:
                raise _bad(field, "a datetime after 1970-01-01 UTC", value)
            return value
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return from_ms(value)
        raise _bad(field, "an aware datetime or epoch milliseconds", value)

    def to_json(self, value: datetime) -> int:
        return to_ms(value)

    def to_query(self, value: datetime) -> str:
        return str(to_ms(value))

    def parse(self, raw: Any) -> datetime | None:
        if raw.__class__ is str and raw.isdecimal() and len(raw) < 15:  # the common case first
            ms = int(raw)  # below 10**14 ms: always a valid datetime
            return from_ms(ms) if ms != 0 else None
        if raw is None or raw == "":
            return None
        try:
            if isinstance(raw, bool):
                raise ValueError
            if isinstance(raw, Decimal) and raw != raw.to_integral_value():
                raise ValueError  # a fraction of a millisecond is not a Bybit timestamp
            if isinstance(raw, (str, Decimal)):
                raw = int(raw)
            if isinstance(raw, int):
                return from_ms(raw) if raw != 0 else None
        except (ValueError, OverflowError, ArithmeticError):
            pass
        raise _unparsable("epoch milliseconds", raw)


STRING: Kind[str] = _String("string", nullable=False)
OPT_STRING: Kind[str] = _String("?string", nullable=True)
DECIMAL: Kind[Decimal] = _Decimal("decimal")
INT: Kind[int] = _Int("int")
BOOL: Kind[bool] = _Bool("bool")
DATETIME: Kind[datetime] = _DateTime("datetime")
