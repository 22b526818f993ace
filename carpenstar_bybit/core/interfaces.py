"""The core interfaces of PHP ``Core\\Interfaces``, as runtime-checkable Protocols."""

from __future__ import annotations

from typing import Any, Protocol, TypeVar, runtime_checkable

__all__ = ["ICollectionInterface", "IParametersInterface", "IResponseDataInterface"]

T_co = TypeVar("T_co", covariant=True)


@runtime_checkable
class IParametersInterface(Protocol):
    """A request DTO: validates itself and gives its wire fields."""

    def validate(self) -> None: ...

    def array(self) -> dict[str, Any]: ...


@runtime_checkable
class IResponseDataInterface(Protocol):
    """A response DTO."""

    def to_dict(self) -> dict[str, Any]: ...


@runtime_checkable
class ICollectionInterface(Protocol[T_co]):
    """A collection of response items."""

    def all(self) -> list[Any]: ...

    def fetch(self) -> T_co | None: ...

    def count(self) -> int: ...
