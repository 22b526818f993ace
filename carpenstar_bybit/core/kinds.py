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

Every number is bounded *before* it is converted, both ways (a 96-byte answer with ``1e1000000`` in an
integer field would otherwise build a 3.3-million-bit integer; a qty of ``"1E+100000000"`` would
become a 100 MB body): ``DECIMAL`` values have at most ``MAX_DIGITS`` significant digits and a
decimal exponent within ``±MAX_EXPONENT``; ``INT`` values lie within ``±INT_LIMIT``; ``DATETIME``
values are milliseconds within what ``datetime`` can hold. Beyond that a response value raises
``ResponseFormatException`` and a request value ``SDKException``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, Generic, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.timeutil import EPOCH, from_ms, to_ms

__all__ = [
    "BOOL",
    "DATETIME",
    "DECIMAL",
    "INT",
    "INT_LIMIT",
    "MAX_DIGITS",
    "MAX_EXPONENT",
    "OPT_STRING",
    "STRING",
    "Kind",
    "Number",
    "decimal_text",
]

T = TypeVar("T")

#: What numeric setters accept; stored and sent as an exact ``Decimal``.
Number = Decimal | int | float | str

#: Most significant digits of a decimal value (Bybit's have fewer than 30).
MAX_DIGITS = 40
#: Largest magnitude of a decimal value's exponent: 1e-40 .. 9.99e40 (Bybit's lie within 1e-18 .. 1e20).
MAX_EXPONENT = 40
#: Integers lie strictly within ``±INT_LIMIT`` (Bybit's fit in 64 bits: ``timeNano`` is ~1.7e18).
INT_LIMIT = 10**20
#: Longest text read as a number: longer text cannot be a bounded number written plainly.
_MAX_NUMBER_TEXT = MAX_DIGITS + MAX_EXPONENT + 8
#: Milliseconds a ``datetime`` can hold (0001-01-01 .. 9999-12-31, as epoch milliseconds).
_MIN_MS, _MAX_MS = -62_135_596_800_000, 253_402_300_799_999


def bounded_decimal(number: Decimal) -> bool:
    """Whether ``number`` is finite, with at most ``MAX_DIGITS`` digits and an adjusted exponent
    within ``±MAX_EXPONENT``. (Text of at most ``MAX_DIGITS`` characters always satisfies the digit
    bound, so a fast path may check only ``is_finite()`` and ``adjusted()`` for such text.)"""
    return (
        number.is_finite()
        and -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT
        and len(number.as_tuple().digits) <= MAX_DIGITS
    )


def _integral(value: Decimal) -> int | None:
    """``int(value)`` if ``value`` is a bounded whole number, else ``None`` (without converting a
    huge value first)."""
    if not value.is_finite() or value.adjusted() >= 20 or value != value.to_integral_value():
        return None
    number = int(value)
    return number if -INT_LIMIT < number < INT_LIMIT else None


def _int_text(text: str) -> int | None:
    """The integer written in ``text`` (ASCII digits, an optional sign), if bounded, else ``None``."""
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > 20 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if -INT_LIMIT < number < INT_LIMIT else None


def decimal_text(value: Decimal) -> str:
    """Plain decimal notation, never an exponent: ``Decimal('1E-5')`` -> ``'0.00001'``."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def _bad(field: str, expected: str, value: object) -> SDKException:
    return SDKException(f"{field}: expected {expected}, got {type(value).__name__} {value!r}")


def _unparsable(expected: str, raw: object) -> ResponseFormatException:
    return ResponseFormatException(f"expected {expected} in the response, got {raw!r}")


def _shown(raw: object) -> object:
    """``raw`` as an error message may show it: long text and huge numbers by their size only."""
    if isinstance(raw, str) and len(raw) > 64:
        return f"<a string of {len(raw)} characters>"
    if isinstance(raw, int) and not -INT_LIMIT < raw < INT_LIMIT:
        return f"<a {raw.bit_length()}-bit integer>"
    return raw


class Kind(Generic[T]):
    """A Bybit field type. Subclasses are stateless singletons."""

    __slots__ = ("name",)

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

    def __init__(self, name: str, nullable: bool) -> None:
        super().__init__(name)
        self.nullable = nullable

    def accept(self, field: str, value: Any) -> str:
        if isinstance(value, Enum):
            value = value.value
        if not isinstance(value, str):
            raise _bad(field, "a string", value)
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise SDKException(
                    f"{field}: the string is not valid Unicode text (it holds a lone surrogate)"
                ) from None
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

    def accept(self, field: str, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, (Decimal, int, float, str)):
            raise _bad(field, "a number (Decimal, int, float or numeric str)", value)
        if isinstance(value, str) and len(value) > _MAX_NUMBER_TEXT:
            raise SDKException(f"{field}: expected a number, got a string of {len(value)} characters")
        if isinstance(value, int) and not -INT_LIMIT < value < INT_LIMIT:
            raise SDKException(f"{field}: {value.bit_length()}-bit integer out of range (±1e20)")
        try:
            # repr() of a float is the shortest text that round-trips: 0.1 -> '0.1', never float noise.
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            raise _bad(field, "a number", value) from None
        if not number.is_finite():
            raise _bad(field, "a finite number", value)
        if not bounded_decimal(number):
            raise SDKException(
                f"{field}: {value!r} is out of range (at most {MAX_DIGITS} significant digits, "
                f"magnitude 1e-{MAX_EXPONENT} .. 1e{MAX_EXPONENT})"
            )
        return number

    def to_json(self, value: Decimal) -> str:
        return decimal_text(value)

    def to_query(self, value: Decimal) -> str:
        return decimal_text(value)

    def parse(self, raw: Any) -> Decimal | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, str):
            if len(raw) > _MAX_NUMBER_TEXT:
                raise _unparsable("a decimal number", f"<a string of {len(raw)} characters>")
            try:
                number = Decimal(raw)
            except InvalidOperation:
                raise _unparsable("a decimal number", raw) from None
        elif isinstance(raw, Decimal):
            number = raw
        elif isinstance(raw, int) and not isinstance(raw, bool) and -INT_LIMIT < raw < INT_LIMIT:
            return Decimal(raw)
        else:
            raise _unparsable("a decimal number", raw)
        if bounded_decimal(number):
            return number
        if number.is_finite():
            bounds = f"within 1e±{MAX_EXPONENT}, of {MAX_DIGITS} digits at most"
            raise _unparsable(f"a decimal number {bounds}", raw)
        raise _unparsable("a decimal number", raw)


class _Int(Kind[int]):
    __slots__ = ()

    def accept(self, field: str, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _bad(field, "an int", value)
        if not -INT_LIMIT < value < INT_LIMIT:
            raise SDKException(f"{field}: {value.bit_length()}-bit integer out of range (±1e20)")
        return int(value)

    def parse(self, raw: Any) -> int | None:
        if raw is None or raw == "":
            return None
        number: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            number = raw if -INT_LIMIT < raw < INT_LIMIT else None
        elif isinstance(raw, str):
            number = _int_text(raw)
        elif isinstance(raw, Decimal):
            number = _integral(raw)
        if number is None:
            raise _unparsable("an integer", _shown(raw))
        return number


class _Bool(Kind[bool]):
    __slots__ = ()

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
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _MAX_MS:
            return from_ms(value)
        raise _bad(field, "an aware datetime or epoch milliseconds (0 .. year 9999)", value)

    def to_json(self, value: datetime) -> int:
        return to_ms(value)

    def to_query(self, value: datetime) -> str:
        return str(to_ms(value))

    def parse(self, raw: Any) -> datetime | None:
        if raw is None or raw == "":
            return None
        ms: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            ms = raw
        elif isinstance(raw, str):
            ms = _int_text(raw)
        elif isinstance(raw, Decimal):
            ms = _integral(raw)  # a fraction of a millisecond is not a Bybit timestamp
        if ms is None or not _MIN_MS <= ms <= _MAX_MS:
            raise _unparsable("epoch milliseconds", _shown(raw))
        return from_ms(ms) if ms != 0 else None


STRING: Kind[str] = _String("string", nullable=False)
OPT_STRING: Kind[str] = _String("?string", nullable=True)
DECIMAL: Kind[Decimal] = _Decimal("decimal")
INT: Kind[int] = _Int("int")
BOOL: Kind[bool] = _Bool("bool")
DATETIME: Kind[datetime] = _DateTime("datetime")
