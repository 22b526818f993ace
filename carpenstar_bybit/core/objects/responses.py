"""Response DTOs (PHP ``Core\\Objects\\AbstractResponse``): immutable, built once from the payload.

A response class declares ``__slots__`` and ``_fields``: one ``ResponseField`` per value, naming the
payload key it reads (a string, or an index for array-shaped items such as klines and order-book
levels), the slot it fills, and how to read it (a ``Kind``, or ``Nested`` for items of another DTO).
Unknown payload keys are ignored; absent keys follow the rules of ``carpenstar_bybit.core.kinds``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException
from carpenstar_bybit.core.kinds import Kind
from carpenstar_bybit.core.objects.collections import EntityCollection

__all__ = ["AbstractResponse", "Nested", "ResponseField"]

R = TypeVar("R", bound="AbstractResponse")


class Nested(Generic[R]):
    """Reads an object or a list of objects into an ``EntityCollection`` of another response DTO."""

    __slots__ = ("item",)

    def __init__(self, item: type[R]) -> None:
        self.item = item

    def parse(self, raw: Any) -> EntityCollection[R]:
        if raw is None or raw == "":
            return EntityCollection()
        if isinstance(raw, Mapping):
            return EntityCollection((self.item(raw),))
        if isinstance(raw, list):
            item = self.item
            return EntityCollection([item(x) for x in raw])
        raise ResponseFormatException(f"expected an object or a list for {self.item.__name__}, got {raw!r}")


class ResponseField(NamedTuple):
    """``key`` in the payload (str, or int for array-shaped items) -> ``slot`` on the DTO, via ``reader``."""

    key: str | int
    slot: str
    reader: Kind[Any] | Nested[Any]


_set = object.__setattr__


class AbstractResponse:
    """Base of every response DTO: frozen, slotted, equal by value, with a readable ``repr``."""

    __slots__ = ()

    _fields: ClassVar[tuple[ResponseField, ...]] = ()
    #: Whether items are arrays read by index (klines, order-book levels) rather than objects.
    _by_index: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_index = any(isinstance(f.key, int) for f in cls._fields)

    def __init__(self, data: Mapping[str, Any] | Sequence[Any]) -> None:
        if self._by_index:
            if not isinstance(data, (list, tuple)):
                raise ResponseFormatException(f"{type(self).__name__}: expected an array item, got {data!r}")
            size = len(data)
            for key, slot, reader in self._fields:
                assert isinstance(key, int)
                _set(self, slot, reader.parse(data[key] if key < size else None))
            return
        if not isinstance(data, Mapping):
            raise ResponseFormatException(f"{type(self).__name__}: expected an object, got {data!r}")
        get = data.get
        for key, slot, reader in self._fields:
            _set(self, slot, reader.parse(get(key)))  # type: ignore[arg-type]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def to_dict(self) -> dict[str, Any]:
        """The parsed values by their Python names (nested collections as lists of dicts)."""
        out: dict[str, Any] = {}
        for field in self._fields:
            value = getattr(self, field.slot)
            if isinstance(value, EntityCollection):
                value = [item.to_dict() for item in value]
            out[field.slot.lstrip("_")] = value
        return out

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, f.slot) == getattr(other, f.slot) for f in self._fields)

    def __hash__(self) -> int:
        return hash(tuple(getattr(self, f.slot) for f in self._fields))

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({inner})"
