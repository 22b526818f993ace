"""Request of Contract → Order → Cancel Order (PHP ``...\\CancelOrder\\Request\\CancelOrderRequest``)."""

from __future__ import annotations

from typing_extensions import Self

from carpenstar_bybit.core import STRING, AbstractParameters, Param
from carpenstar_bybit.derivatives.contract.order.cancel_order.interfaces import ICancelOrderRequestInterface

__all__ = ["CancelOrderRequest"]


class CancelOrderRequest(AbstractParameters, ICancelOrderRequestInterface):
    """Cancel one open order: ``symbol``, and ``orderId`` or ``orderLinkId``."""

    __slots__ = ()

    SYMBOL = Param("symbol", STRING)
    ORDER_ID = Param("orderId", STRING)
    ORDER_LINK_ID = Param("orderLinkId", STRING)
    _required = ("symbol",)
    _one_of = (("orderId", "orderLinkId"),)

    def set_symbol(self, symbol: str) -> Self:
        return self._set(self.SYMBOL, symbol)

    def get_symbol(self) -> str | None:
        return self._get(self.SYMBOL)

    def set_order_id(self, order_id: str) -> Self:
        return self._set(self.ORDER_ID, order_id)

    def get_order_id(self) -> str | None:
        return self._get(self.ORDER_ID)

    def set_order_link_id(self, order_link_id: str) -> Self:
        return self._set(self.ORDER_LINK_ID, order_link_id)

    def get_order_link_id(self) -> str | None:
        return self._get(self.ORDER_LINK_ID)
