"""``EntityCollection`` (PHP ``Core\\Objects\\Collection\\EntityCollection``): an immutable, typed list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Generic, TypeVar, overload

__all__ = ["EntityCollection"]

T_co = TypeVar("T_co", covariant=True)


class EntityCollection(Sequence[T_co], Generic[T_co]):
    """The entities of one response body, in payload order.

    A ``Sequence``: iterate it, index it, ``len()`` it. The PHP methods are kept: ``all()`` (a list),
    ``count()`` (no argument: the number of items), and ``fetch()``, which returns the next item of
    an internal cursor, then ``None`` at the end.

    Covariant, like ``Sequence``: an ``EntityCollection[OrderBookPriceItemResponse]`` is an
    ``EntityCollection[IOrderBookPriceResponse]``, so the generated Protocols name item Protocols and
    the concrete DTOs, which return collections of concrete items, still conform to them.
    """

    __slots__ = ("_cursor", "_items")

    def __init__(self, items: Iterable[T_co] = ()) -> None:
        self._items: tuple[T_co, ...] = tuple(items)
        self._cursor = 0

    @overload
    def __getitem__(self, index: int) -> T_co: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T_co]: ...

    def __getitem__(self, index: int | slice) -> T_co | Sequence[T_co]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T_co]:
        return iter(self._items)

    def all(self) -> list[T_co]:
        """Every item, as a new list."""
        return list(self._items)

    def count(self, value: object = None) -> int:
        """PHP ``count()``: the number of items. With an argument, ``Sequence.count`` semantics."""
        if value is None:
            return len(self._items)
        return self._items.count(value)

    def fetch(self) -> T_co | None:
        """The next item of the collection's own cursor, or ``None`` once past the end (PHP ``fetch()``)."""
        if self._cursor >= len(self._items):
            return None
        item = self._items[self._cursor]
        self._cursor += 1
        return item

    def __eq__(self, other: object) -> bool:
        if isinstance(other, EntityCollection):
            return self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._items)

    def __repr__(self) -> str:
        return f"EntityCollection({list(self._items)!r})"
