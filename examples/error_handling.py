"""Every kind of failure the SDK reports, provoked on purpose against a local sandbox exchange.

``SDKException`` (bad input, nothing sent), the ``ApiException`` family (the exchange said no:
not found, bad signature, bad parameter, blocked IP), and the ``TransportException`` family (no usable
answer: connection refused, timeout, a 5xx page). The sandbox's fault injection produces the failures a
healthy exchange would not. Run it with ``python examples/error_handling.py``.
"""

from __future__ import annotations

import logging
import socket

from carpenstar_bybit import (
    NO_RETRY,
    ApiException,
    AuthenticationException,
    BybitAPI,
    BybitException,
    ConnectionFailedException,
    InvalidParameterException,
    OrderNotFoundException,
    RateLimitException,
    SDKException,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest

API_KEY = "example-api-key"
SECRET = "example-secret-do-not-use-for-real"


def free_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def show(label: str, exc: BybitException) -> None:
    print(f"{label}: {type(exc).__name__}: {exc}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="log %(levelname)s %(name)s: %(message)s")
    with SandboxExchange(api_keys={API_KEY: SECRET}) as exchange:
        api = BybitAPI(exchange.url, API_KEY, SECRET)

        # 1. Invalid input is refused before anything is sent.
        sent_before = len(exchange.requests())
        try:
            api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT"))
        except SDKException as exc:
            show("missing field", exc)
        try:
            PlaceOrderRequest().set_qty("a lot")
        except SDKException as exc:
            show("bad value", exc)
        print(f"requests sent for those: {len(exchange.requests()) - sent_before}")

        # 2. The exchange answers retCode != 0: a typed ApiException with the envelope's facts.
        try:
            api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("no-such-order"))
        except OrderNotFoundException as exc:
            show("unknown order", exc)
            print(f"  ret_code={exc.ret_code} http_status={exc.http_status} {exc.method} {exc.path}")

        wrong_secret = BybitAPI(exchange.url, API_KEY, "not-the-secret-of-this-key")
        try:
            wrong_secret.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("x"))
        except AuthenticationException as exc:
            print(f"bad signature: {type(exc).__name__} ret_code={exc.ret_code} retryable={exc.retryable}")
            print(f"  secret in the message: {'not-the-secret-of-this-key' in str(exc)}")
        wrong_secret.close()

        unlisted = (  # the SDK cannot know which symbols are listed: the exchange checks that
            PlaceOrderRequest()
            .set_symbol("NOSUCHUSDT")
            .set_side("Buy")
            .set_order_type("Limit")
            .set_qty("1")
            .set_price("1")
        )
        try:
            api.rest(PlaceOrder, unlisted)
        except InvalidParameterException as exc:
            show("exchange-side validation", exc)

        # 3. An IP block (HTTP 403 with an HTML page from the CDN) is a RateLimitException; never retried.
        exchange.faults.inject("html_403")
        try:
            api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
        except RateLimitException as exc:
            print(f"ip block: {type(exc).__name__} http_status={exc.http_status} ret_code={exc.ret_code}")

        # 4. A 502 on a read is retried (a GET cannot do anything twice): the caller sees success.
        exchange.faults.inject("http_5xx", status=502)
        orders = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
        statuses = [r.http_status for r in exchange.requests()[-2:]]
        print(f"read after a 502: retCode {orders.get_return_code()}, HTTP statuses seen {statuses}")

        # ... but a 502 on a new order without orderLinkId is not: it may have been placed.
        exchange.faults.inject("http_5xx", status=502)
        place = (
            PlaceOrderRequest()
            .set_symbol("BTCUSDT")
            .set_side("Buy")
            .set_order_type("Limit")
            .set_qty("0.01")
            .set_price("20000")
        )
        try:
            api.rest(PlaceOrder, place)
        except TransportException as exc:
            print(f"order after a 502: {type(exc).__name__} http_status={exc.http_status} (not retried)")

        # 5. No answer in time: TimeoutException (the outcome of a write would be unknown).
        exchange.faults.inject("latency", seconds=1.0)
        impatient = BybitAPI(exchange.url, API_KEY, SECRET, timeout=(1.0, 0.2), retry=NO_RETRY)
        try:
            impatient.rest(GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT"))
        except TimeoutException as exc:
            show("slow answer", exc)
        impatient.close()
        api.close()

    # 6. Nothing listening: ConnectionFailedException (the request never left, so it is safe to resend).
    unreachable = BybitAPI(f"http://127.0.0.1:{free_port()}", API_KEY, SECRET, retry=NO_RETRY)
    try:
        unreachable.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("x"))
    except ConnectionFailedException as exc:
        is_transport = isinstance(exc, TransportException)
        print(f"no server: {type(exc).__name__} (a TransportException: {is_transport})")
    unreachable.close()

    # One except clause for everything the exchange refused, whatever the code:
    print(f"every exchange refusal is an ApiException: {issubclass(OrderNotFoundException, ApiException)}")


if __name__ == "__main__":
    main()
