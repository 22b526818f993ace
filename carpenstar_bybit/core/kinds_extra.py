"""More value kinds (see ``carpenstar_bybit.core.kinds``): enums, lists and maps of values, ISO-8601
times and masked strings, as Bybit's V5 API uses them.

* ``IntRange(low, high)``: a request integer that Bybit takes within bounds (``limit`` per page,
  ``timeWindow``); a value outside them raises ``SDKException`` before anything is sent.
* ``EnumOf(E)``: a request field that takes one of the values of the enum ``E`` (optionally a subset,
  e.g. the categories a route serves). The setter accepts a member of ``E``, a member of another enum
  with the same value, or the plain value; anything else raises ``SDKException`` naming the values.
* ``ListOf(kind)``: a JSON array of values of ``kind``, read as a tuple; absent, ``null`` or ``""``
  read as ``()``.
* ``MapOf(kind)``: a JSON object of values of ``kind`` keyed by string (``cumFeeDetail``:
  ``{"USDT": "0.12"}``), read as an immutable, hashable ``FrozenMap``; absent, ``null`` or ``""``
  read as an empty map.
* In both, an element that reads as ``None`` (``null``, or ``""`` for a number) is left out, so the
  elements have the kind's type.
* ``ISO_DATETIME``: an ISO-8601 time (``"2025-10-13T03:20:45Z"``) read as an aware UTC ``datetime``;
  the epoch (``"1970-01-01T00:00:00Z"``), like ``0`` for ``DATETIME``, means "no time" and reads as
  ``None``.
* ``MASKED_STRING``: a string that is a credential (the ``apiKey`` of the key-info route): the value
  is the plain string, but its ``repr`` (and so the ``repr`` of the DTO holding it) shows
  ``'<redacted>'``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timezone
from decimal import Decimal
from enum import Enum
from typing import Any, Generic, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.kinds import DECIMAL, INT, STRING, Kind

__all__ = [
    "DECIMAL_MAP",
    "ISO_DATETIME",
    "MASKED_STRING",
    "STRING_LIST",
    "STRING_LIST_MAP",
    "EnumOf",
    "FrozenMap",
    "IntRange",
    "ListOf",
    "MapOf",
    "MaskedStr",
]

E = TypeVar("E", bound=Enum)
T = TypeVar("T")
V = TypeVar("V")


class EnumOf(Kind[E]):
    """A request field whose values are those of an enum (or of a subset of it)."""

    __slots__ = ("allowed", "enum")

    def __init__(self, enum: type[E], *allowed: E) -> None:
        super().__init__(enum.__name__)
        self.enum = enum
        self.allowed: tuple[E, ...] = allowed or tuple(enum)

    def accept(self, field: str, value: Any) -> E:
        raw = value.value if isinstance(value, Enum) else value
        member = None
        if not isinstance(raw, bool) and isinstance(raw, (str, int)):
            member = next(
                (m for m in self.allowed if m.value == raw and isinstance(raw, type(m.value))), None
            )
        if member is None:
            shown = f"{type(value).__name__}.{value.name}" if isinstance(value, Enum) else repr(value)
            values = ", ".join(repr(m.value) for m in self.allowed)
            raise SDKException(f"{field}: expected one of {values} ({self.enum.__name__}), got {shown}")
        return member

    def to_json(self, value: E) -> Any:
        return value.value

    def to_query(self, value: E) -> str:
        return str(value.value)


class IntRange(Kind[int]):
    """A request integer within the bounds Bybit documents for it (both included)."""

    __slots__ = ("high", "low")

    def __init__(self, low: int, high: int) -> None:
        super().__init__(f"int {low}..{high}")
        self.low = low
        self.high = high

    def accept(self, field: str, value: Any) -> int:
        number = INT.accept(field, value)
        if not self.low <= number <= self.high:
            raise SDKException(f"{field}: expected an int from {self.low} to {self.high}, got {number}")
        return number

    def parse(self, raw: Any) -> int | None:
        return INT.parse(raw)


class FrozenMap(Mapping[str, V]):
    """An immutable, hashable mapping (the value of a ``MapOf`` field)."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, V] | None = None) -> None:
        self._items: dict[str, V] = dict(items or {})

    def __getitem__(self, key: str) -> V:
        return self._items[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(tuple(self._items.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenMap({self._items!r})"


def _unparsable(expected: str, raw: object) -> ResponseFormatException:
    return ResponseFormatException(f"expected {expected} in the response, got {raw!r}")


class ListOf(Kind[tuple[T, ...]], Generic[T]):
    """A JSON array of values of one kind, as a tuple."""

    __slots__ = ("item",)

    def __init__(self, item: Kind[T]) -> None:
        super().__init__(f"list of {item.name}")
        self.item = item

    def accept(self, field: str, value: Any) -> tuple[T, ...]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise SDKException(f"{field}: expected a list, got {type(value).__name__} {value!r}")
        return tuple(self.item.accept(f"{field}[{i}]", v) for i, v in enumerate(value))

    def to_json(self, value: tuple[T, ...]) -> list[Any]:
        return [self.item.to_json(v) for v in value]

    def to_query(self, value: tuple[T, ...]) -> str:
        return ",".join(self.item.to_query(v) for v in value)

    def parse(self, raw: Any) -> tuple[T, ...]:
        if raw is None or raw == "":
            return ()
        if not isinstance(raw, list):
            raise _unparsable("an array", raw)
        parse = self.item.parse
        return tuple(value for value in map(parse, raw) if value is not None)


class MapOf(Kind[FrozenMap[T]], Generic[T]):
    """A JSON object of values of one kind, keyed by string, as a ``FrozenMap``."""

    __slots__ = ("value",)

    def __init__(self, value: Kind[T]) -> None:
        super().__init__(f"map of {value.name}")
        self.value = value

    def parse(self, raw: Any) -> FrozenMap[T]:
        if raw is None or raw == "":
            return FrozenMap()
        if not isinstance(raw, Mapping):
            raise _unparsable("an object", raw)
        parse = self.value.parse
        values = ((str(k), parse(v)) for k, v in raw.items())
        return FrozenMap({k: v for k, v in values if v is not None})


class _IsoDateTime(Kind[datetime]):
    __slots__ = ()

    def parse(self, raw: Any) -> datetime | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, str) and 19 <= len(raw) <= 40 and raw[4:5] == "-" and raw[10:11] == "T":
            try:
                value = datetime.fromisoformat(raw[:-1] + "+00:00" if raw.endswith("Z") else raw)
            except ValueError:
                pass
            else:
                if value.tzinfo is not None:
                    value = value.astimezone(timezone.utc)
                    return None if value.timestamp() == 0 else value
        raise _unparsable("an ISO-8601 time with a zone", raw)


class MaskedStr(str):
    """A credential read from a response: the plain string, with a ``repr`` that hides it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'<redacted>'"


class _Masked(Kind[str]):
    __slots__ = ()

    def parse(self, raw: Any) -> str | None:
        value = STRING.parse(raw)
        return MaskedStr(value) if value else value


ISO_DATETIME: Kind[datetime] = _IsoDateTime("iso-datetime")
MASKED_STRING: Kind[str] = _Masked("masked string")
STRING_LIST: Kind[tuple[str, ...]] = ListOf(STRING)
DECIMAL_MAP: Kind[FrozenMap[Decimal]] = MapOf(DECIMAL)
STRING_LIST_MAP: Kind[FrozenMap[tuple[str, ...]]] = MapOf(ListOf(STRING))
