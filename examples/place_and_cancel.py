"""The whole life of an order on Bybit's V5 API, against a local sandbox exchange.

Place a limit order, find it among the open orders, cancel it, find it in the order history, and
cancel it again to see the typed not-found error. Everything goes over real HTTP to a
``SandboxExchange`` on 127.0.0.1. Run it with ``python examples/place_and_cancel.py``.
"""

from __future__ import annotations

from decimal import Decimal

from carpenstar_bybit import BybitAPI, OrderNotFoundException
from carpenstar_bybit.core.enums import Category, EnumOrderType, EnumSide, EnumTimeInForce
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistory, GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest

API_KEY = "example-api-key"
SECRET = "example-secret-do-not-use-for-real"


def main() -> None:
    sandbox = SandboxExchange(api_keys={API_KEY: SECRET})
    with sandbox as exchange, BybitAPI(exchange.url, API_KEY, SECRET) as api:
        print(f"sandbox at {exchange.url}, BTCUSDT mark price {exchange.mark_price('BTCUSDT')}")

        place = (
            PlaceOrderRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_side(EnumSide.BUY)
            .set_order_type(EnumOrderType.LIMIT)
            .set_qty("0.01")
            .set_price(Decimal("25000"))
            .set_time_in_force(EnumTimeInForce.GOOD_TILL_CANCELED_SHORT)
            .set_order_link_id("example-v5-order")  # makes the placement safe to retry
        )
        placed = api.rest(PlaceOrder, place).get_result()
        assert placed is not None
        order_id = placed.get_order_id()
        print(f"placed: {order_id} ({placed.get_order_link_id()})")

        listing = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
        open_orders = api.rest(GetOpenOrders, listing)
        for order in open_orders.get_body():
            print(
                f"open: {order.get_order_id()} {order.get_side()} {order.get_qty()} @ {order.get_price()} "
                f"status={order.get_order_status()}"
            )

        cancel = CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id(order_id)
        cancelled = api.private_endpoint(CancelOrder, cancel).execute().get_result()
        assert cancelled is not None
        print(f"cancelled: {cancelled.get_order_id()}")

        lookup = GetOrderHistoryRequest().set_category("linear").set_order_id(order_id)
        history = api.rest(GetOrderHistory, lookup)
        for past in history.get_body():
            created = past.get_created_time()
            print(
                f"history: {past.get_order_id()} status={past.get_order_status()} "
                f"created={created.isoformat() if created else '-'}"
            )

        try:
            api.rest(CancelOrder, cancel)
        except OrderNotFoundException as exc:
            print(f"second cancel: {type(exc).__name__} ret_code={exc.ret_code} ret_msg={exc.ret_msg!r}")


if __name__ == "__main__":
    main()
