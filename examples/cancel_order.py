"""Cancel an order, in both PHP usage styles, against a local sandbox exchange.

The PHP SDK's seed example is Contract -> Order -> Cancel Order. This script starts a
``SandboxExchange`` (a Bybit-compatible server on 127.0.0.1), places two resting limit orders, and
cancels one in the PHP 3.x style (``api.rest(...)``) and the other in the PHP 5.x style
(``api.private_endpoint(...).execute()``). Run it with ``python examples/cancel_order.py``.
"""

from __future__ import annotations

from decimal import Decimal

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.core.enums import EnumOrderType, EnumSide
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange

API_KEY = "example-api-key"
SECRET = "example-secret-do-not-use-for-real"


def place_limit_buy(api: BybitAPI, price: str, link_id: str) -> str:
    """Place a limit buy far below the market (so it rests), return its order id."""
    request = (
        PlaceOrderRequest()
        .set_symbol("BTCUSDT")
        .set_side(EnumSide.BUY)
        .set_order_type(EnumOrderType.LIMIT)
        .set_qty(Decimal("0.01"))
        .set_price(price)
        .set_order_link_id(link_id)
    )
    placed = api.rest(PlaceOrder, request).get_result()
    assert placed is not None
    return placed.get_order_id()


def main() -> None:
    with SandboxExchange(api_keys={API_KEY: SECRET}) as exchange:
        # PHP 3.x: new BybitAPI($host, $apiKey, $secret); $bybit->rest(CancelOrder::class, $request)
        with BybitAPI(exchange.url, API_KEY, SECRET) as api:
            order_id = place_limit_buy(api, "20000", "example-cancel-1")
            print(f"placed order {order_id}")
            request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
            response = api.rest(CancelOrder, request)
            result = response.get_result()
            assert result is not None
            code = response.get_return_code()
            print(f"3.x style: cancelled order {result.get_order_id()} (retCode {code})")

        # PHP 5.x: (new BybitAPI())->setCredentials(...); ->privateEndpoint(...)->execute()
        with BybitAPI().set_credentials(exchange.url, API_KEY, SECRET) as api:
            place_limit_buy(api, "20001", "example-cancel-2")
            request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_link_id("example-cancel-2")
            response = api.private_endpoint(CancelOrder, request).execute()
            result = response.get_result()
            assert result is not None
            code = response.get_return_code()
            print(f"5.x style: cancelled order {result.get_order_link_id()} (retCode {code})")

        statuses = sorted({order.status for order in exchange.orders()})
        print(f"orders on the exchange: {len(exchange.orders())}, statuses: {', '.join(statuses)}")


if __name__ == "__main__":
    main()
