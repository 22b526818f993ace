"""Extend the SDK with endpoints of your own: declarations only, no change to the SDK.

Two endpoints the SDK does not ship, declared here and called through the same ``BybitAPI`` factory
as the built-in ones (validation, signing, retries, error mapping and typing all come with it):

* ``V3ServerTime``: the public ``GET /v3/public/time``;
* ``OrderStatus``: a private, narrow view of ``GET /v5/order/realtime`` that reads only the fields
  this program cares about.

Run it with ``python examples/custom_endpoint.py`` (it starts a ``SandboxExchange`` on 127.0.0.1).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from typing_extensions import Self

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import (
    DATETIME,
    DECIMAL,
    INT,
    STRING,
    AbstractParameters,
    AbstractResponse,
    EnumHttpMethods,
    Param,
    PrivateEndpoint,
    PublicEndpoint,
    ResponseField,
)
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest

API_KEY = "example-api-key"
SECRET = "example-secret-do-not-use-for-real"


# -- a public endpoint with no request fields ---------------------------------------------------


class V3ServerTimeRequest(AbstractParameters):
    """No parameters."""

    __slots__ = ()


class V3ServerTimeResponse(AbstractResponse):
    """The exchange clock: epoch seconds and epoch nanoseconds."""

    __slots__ = ("_time_nano", "_time_second")
    _fields = (
        ResponseField("timeSecond", "_time_second", INT),
        ResponseField("timeNano", "_time_nano", INT),
    )
    _time_second: int | None
    _time_nano: int | None

    def get_time_second(self) -> int | None:
        """``timeSecond``: seconds since the epoch."""
        return self._time_second

    def get_time_nano(self) -> int | None:
        """``timeNano``: nanoseconds since the epoch."""
        return self._time_nano


class V3ServerTime(PublicEndpoint[V3ServerTimeRequest, V3ServerTimeResponse]):
    """``GET /v3/public/time``."""

    URL = "/v3/public/time"
    METHOD = EnumHttpMethods.GET
    REQUEST = V3ServerTimeRequest
    RESPONSE = V3ServerTimeResponse


# -- a private endpoint with required fields -----------------------------------------------------


class OrderStatusRequest(AbstractParameters):
    """Which order to look up. Required: ``category``, ``symbol``, ``orderId``."""

    __slots__ = ()

    CATEGORY = Param("category", STRING)
    SYMBOL = Param("symbol", STRING)
    ORDER_ID = Param("orderId", STRING)
    _required = ("category", "symbol", "orderId")

    def set_category(self, category: str) -> Self:
        """Set ``category`` (``linear``, ``inverse``, ``spot``, ``option``)."""
        return self._set(self.CATEGORY, category)

    def set_symbol(self, symbol: str) -> Self:
        """Set ``symbol``."""
        return self._set(self.SYMBOL, symbol)

    def set_order_id(self, order_id: str) -> Self:
        """Set ``orderId``."""
        return self._set(self.ORDER_ID, order_id)


class OrderStatusResponse(AbstractResponse):
    """The few fields of an open order this program reads; every other key is ignored."""

    __slots__ = ("_created_time", "_order_id", "_order_status", "_price")
    _fields = (
        ResponseField("orderId", "_order_id", STRING),
        ResponseField("orderStatus", "_order_status", STRING),
        ResponseField("price", "_price", DECIMAL),
        ResponseField("createdTime", "_created_time", DATETIME),
    )
    _order_id: str
    _order_status: str
    _price: Decimal | None
    _created_time: datetime | None

    def get_order_id(self) -> str:
        """``orderId``."""
        return self._order_id

    def get_order_status(self) -> str:
        """``orderStatus``: ``New``, ``PartiallyFilled``, ..."""
        return self._order_status

    def get_price(self) -> Decimal | None:
        """``price``, exact."""
        return self._price

    def get_created_time(self) -> datetime | None:
        """``createdTime``, an aware UTC datetime."""
        return self._created_time


class OrderStatus(PrivateEndpoint[OrderStatusRequest, OrderStatusResponse]):
    """``GET /v5/order/realtime``, narrowed to one order."""

    URL = "/v5/order/realtime"
    METHOD = EnumHttpMethods.GET
    REQUEST = OrderStatusRequest
    RESPONSE = OrderStatusResponse


def main() -> None:
    sandbox = SandboxExchange(api_keys={API_KEY: SECRET})
    with sandbox as exchange, BybitAPI(exchange.url, API_KEY, SECRET) as api:
        clock = api.public_endpoint(V3ServerTime).execute().get_result()
        assert clock is not None
        print(f"server time: {clock.get_time_second()} s")

        placed = api.rest(
            PlaceOrder,
            PlaceOrderRequest()
            .set_category("linear")
            .set_symbol("ETHUSDT")
            .set_side("Sell")
            .set_order_type("Limit")
            .set_qty("0.5")
            .set_price("9999.5"),
        ).get_result()
        assert placed is not None

        lookup = (
            OrderStatusRequest()
            .set_category("linear")
            .set_symbol("ETHUSDT")
            .set_order_id(placed.get_order_id())
        )
        status = api.rest(OrderStatus, lookup).get_result()  # mypy knows: OrderStatusResponse | None
        assert status is not None
        print(f"order {status.get_order_id()}: {status.get_order_status()} at {status.get_price()!r}")

        try:  # the declared _required is checked before anything is sent, as for built-in endpoints
            api.rest(OrderStatus, OrderStatusRequest().set_category("linear"))
        except SDKException as exc:
            print(f"validation: {exc}")


if __name__ == "__main__":
    main()
