"""Response of Contract → Order → Cancel Order (PHP ``...\\CancelOrder\\Response\\CancelOrderResponse``)."""

from __future__ import annotations

from carpenstar_bybit.core import STRING, AbstractResponse, ResponseField
from carpenstar_bybit.derivatives.contract.order.cancel_order.interfaces import ICancelOrderResponseInterface

__all__ = ["CancelOrderResponse"]


class CancelOrderResponse(AbstractResponse, ICancelOrderResponseInterface):
    """The cancelled order's ids."""

    __slots__ = ("_order_id", "_order_link_id")
    _fields = (
        ResponseField("orderId", "_order_id", STRING),
        ResponseField("orderLinkId", "_order_link_id", STRING),
    )
    _order_id: str
    _order_link_id: str

    def get_order_id(self) -> str:
        return self._order_id

    def get_order_link_id(self) -> str:
        return self._order_link_id
