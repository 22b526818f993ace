"""Endpoint of Contract → Order → Cancel Order (PHP ``...\\CancelOrder\\CancelOrder``)."""

from __future__ import annotations

from carpenstar_bybit.core import EnumHttpMethods, PrivateEndpoint
from carpenstar_bybit.derivatives.contract.order.cancel_order.request import CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order.response import CancelOrderResponse

__all__ = ["CancelOrder"]


class CancelOrder(PrivateEndpoint[CancelOrderRequest, CancelOrderResponse]):
    """``POST /contract/v3/private/order/cancel``: cancel one open order."""

    URL = "/contract/v3/private/order/cancel"
    METHOD = EnumHttpMethods.POST
    IDEMPOTENT = True  # cancelling the same order id twice cancels it once
    REQUEST = CancelOrderRequest
    RESPONSE = CancelOrderResponse
