"""Contract → Order → Cancel Order: ``POST /contract/v3/private/order/cancel``.

PHP ``Carpenstar\\ByBitAPI\\Derivatives\\Contract\\Order\\CancelOrder``.
"""

from carpenstar_bybit.derivatives.contract.order.cancel_order.endpoint import CancelOrder
from carpenstar_bybit.derivatives.contract.order.cancel_order.interfaces import (
    ICancelOrderRequestInterface,
    ICancelOrderResponseInterface,
)
from carpenstar_bybit.derivatives.contract.order.cancel_order.request import CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order.response import CancelOrderResponse

__all__ = [
    "CancelOrder",
    "CancelOrderRequest",
    "CancelOrderResponse",
    "ICancelOrderRequestInterface",
    "ICancelOrderResponseInterface",
]
