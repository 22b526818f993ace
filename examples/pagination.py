"""Walk a cursor-paged list two ways: by hand with ``nextPageCursor``, and with ``BybitAPI.paginate``.

Starts a ``SandboxExchange`` on 127.0.0.1, rests five limit orders on it, then reads the open orders
two per page. Run it with ``python examples/pagination.py``.
"""

from __future__ import annotations

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest

API_KEY = "example-api-key"
SECRET = "example-secret-do-not-use-for-real"
ORDERS = 5


def main() -> None:
    # Bybit allows 10 private requests per second per key, and so does the sandbox by default; this
    # script makes a dozen in a burst, so it raises the sandbox's limit rather than wait for a window.
    sandbox = SandboxExchange(api_keys={API_KEY: SECRET}, rate_limit=50)
    with sandbox as exchange, BybitAPI(exchange.url, API_KEY, SECRET) as api:
        for n in range(ORDERS):
            place = (
                PlaceOrderRequest()
                .set_category("linear")
                .set_symbol("BTCUSDT")
                .set_side("Buy")
                .set_order_type("Limit")
                .set_qty("0.01")
                .set_price(20000 + n * 100)
                .set_order_link_id(f"example-page-{n}")
            )
            api.rest(PlaceOrder, place)
        print(f"placed {ORDERS} orders")

        first_page = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT").set_limit(2)

        # 1. By hand, as in PHP: read getNextPageCursor() and send it back as the cursor.
        request, page, seen = first_page, 0, 0
        while True:
            response = api.rest(GetOpenOrders, request)
            page += 1
            seen += len(response.get_body())
            links = ", ".join(order.get_order_link_id() for order in response.get_body())
            print(f"page {page}: {links}")
            cursor = response.get_next_page_cursor()
            if cursor is None:
                break
            request = request.copy().set_cursor(cursor)
        print(f"by hand: {seen} orders in {page} pages")

        # 2. Lazily, with the SDK following the cursor (bounded by max_items and max_pages).
        prices = [order.get_price() for order in api.paginate(GetOpenOrders, first_page, max_pages=10)]
        print(f"paginate(): {len(prices)} orders, prices {', '.join(str(p) for p in prices)}")
        first_three = list(api.paginate(GetOpenOrders, first_page, max_items=3))
        print(f"paginate(max_items=3): {len(first_three)} orders")


if __name__ == "__main__":
    main()
