"""Interfaces of Contract → Order → Cancel Order (PHP ``...\\CancelOrder\\Interfaces``)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from typing_extensions import Self

__all__ = ["ICancelOrderRequestInterface", "ICancelOrderResponseInterface"]


@runtime_checkable
class ICancelOrderRequestInterface(Protocol):
    """Request of Cancel Order."""

    __slots__ = ()

    def set_order_link_id(self, order_link_id: str) -> Self:
        """User-defined order ID (this or ``order_id`` is required)."""
        ...

    def set_order_id(self, order_id: str) -> Self:
        """Order ID (this or ``order_link_id`` is required)."""
        ...

    def set_symbol(self, symbol: str) -> Self:
        """Symbol, e.g. ``BTCUSDT`` (required)."""
        ...

    def get_symbol(self) -> str | None: ...

    def get_order_id(self) -> str | None: ...

    def get_order_link_id(self) -> str | None: ...


@runtime_checkable
class ICancelOrderResponseInterface(Protocol):
    """Result of Cancel Order."""

    __slots__ = ()

    def get_order_id(self) -> str:
        """Order ID."""
        ...

    def get_order_link_id(self) -> str:
        """User-defined order ID."""
        ...
