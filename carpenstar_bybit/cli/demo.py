"""``carpenstar-bybit demo``: the SDK's order lifecycle against an embedded sandbox exchange.

``demo --v5`` runs the same V3 calls over V5 (``v3_over_v5=True``) against a sandbox whose V3 routes
are off, as on today's Bybit (``SandboxExchange(v3_routes=False)``)."""

from __future__ import annotations

import argparse
import secrets
from typing import Any, TextIO

from carpenstar_bybit._version import __version__
from carpenstar_bybit.bybit_api import BybitAPI
from carpenstar_bybit.cli._common import EXIT_EXCHANGE, EXIT_FAILURE, EXIT_OK, EXIT_TRANSPORT, when
from carpenstar_bybit.core.bridge import plan_of
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.exceptions import ApiException, OrderNotFoundException, TransportException
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.derivatives.contract.order.get_order_list import GetOrderList, GetOrderListRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange

__all__ = ["add_parsers"]


def _step(out: TextIO, number: int, title: str, endpoint: type[Endpoint[Any, Any]], over_v5: bool) -> None:
    """A step's title, and the endpoint class with the route its call goes over."""
    plan = plan_of(endpoint) if over_v5 else None
    route = plan.route if plan is not None else f"{endpoint.METHOD.value} {endpoint.URL}"
    print(f"\n{number}. {title}\n   {endpoint.__name__}  {route}", file=out)


def run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    key = "demo-" + secrets.token_hex(8)
    secret = secrets.token_hex(24)
    symbol = "BTCUSDT"
    link_id = "demo-" + secrets.token_hex(4)
    over_v5: bool = args.v5
    try:
        with (
            SandboxExchange(api_keys={key: secret}, v3_routes=not over_v5) as exchange,
            BybitAPI(exchange.url, key, secret, v3_over_v5=over_v5) as api,
        ):
            print(f"carpenstar-bybit {__version__} demo" + (" --v5" if over_v5 else ""), file=out)
            print(
                f"A sandbox exchange runs at {exchange.url} (no account, no network); every step below",
                file=out,
            )
            print(
                "goes through the SDK (BybitAPI.rest) over HTTP, signed like a real Bybit request.", file=out
            )
            if over_v5:
                print(
                    "Its V3 routes are off, as on today's Bybit: the same V3 classes go over their V5 routes",
                    file=out,
                )
                print("(BybitAPI(..., v3_over_v5=True)) and read the V5 answers as V3 ones.", file=out)

            _step(out, 1, "Place a limit order", PlaceOrder, over_v5)
            placed = api.rest(
                PlaceOrder,
                PlaceOrderRequest()
                .set_symbol(symbol)
                .set_side("Buy")
                .set_order_type("Limit")
                .set_qty("0.01")
                .set_price("25000")
                .set_order_link_id(link_id),
            )
            result = placed.get_result()
            assert result is not None
            order_id = result.get_order_id()
            mark = exchange.mark_price(symbol)
            print(f"   Buy 0.01 {symbol} at 25000 (mark price {mark}), orderLinkId {link_id}", file=out)
            print(f"   -> orderId {order_id}", file=out)
            limit = placed.get_rate_limit()
            if limit is not None:
                print(
                    f"   -> rate limit: {limit.remaining} of {limit.limit} requests left this second",
                    file=out,
                )

            _step(out, 2, "List open orders", GetOpenOrders, over_v5)
            opened = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol(symbol))
            for order in opened.get_body():
                print(
                    f"   -> {order.get_order_id()}  {order.get_side()} {order.get_qty()} {order.get_symbol()}"
                    f" @ {order.get_price()}  {order.get_order_status()}",
                    file=out,
                )
            print(f"   ({len(opened.get_body())} open order(s))", file=out)

            _step(out, 3, "Cancel it", CancelOrder, over_v5)
            cancel = CancelOrderRequest().set_symbol(symbol).set_order_id(order_id)
            cancelled = api.rest(CancelOrder, cancel).get_result()
            assert cancelled is not None
            print(f"   -> cancelled orderId {cancelled.get_order_id()}", file=out)

            _step(out, 4, "Find it in the order history", GetOrderList, over_v5)
            history = api.rest(GetOrderList, GetOrderListRequest().set_symbol(symbol).set_order_id(order_id))
            for past in history.get_body():
                print(
                    f"   -> {past.get_order_id()}  status {past.get_order_status()},"
                    f" cancelType {past.get_cancel_type()}, updated {when(past.get_updated_time())} UTC",
                    file=out,
                )

            _step(out, 5, "Cancel it again", CancelOrder, over_v5)
            try:
                api.rest(CancelOrder, cancel)
            except OrderNotFoundException as exc:
                print(f"   -> {type(exc).__name__}: retCode {exc.ret_code}, {exc.ret_msg!r}", file=out)
                print(
                    "      (a typed exception: catch OrderNotFoundException, or ApiException for any",
                    file=out,
                )
                print("       exchange error; exc.retryable says whether resending may help)", file=out)
            else:
                print("demo: the second cancel unexpectedly succeeded", file=err)
                return EXIT_FAILURE
    except ApiException as exc:
        print(f"demo: {type(exc).__name__}: {exc}", file=err)
        return EXIT_EXCHANGE
    except TransportException as exc:
        print(f"demo: {type(exc).__name__}: {exc}", file=err)
        return EXIT_TRANSPORT
    print("\nDone: placed, listed, cancelled, found in history, and refused a second cancel.", file=out)
    return EXIT_OK


def add_parsers(commands: Any) -> None:
    """Register ``demo`` on the ``carpenstar-bybit`` parser."""
    demo = commands.add_parser("demo", help="place, list and cancel an order on an embedded sandbox")
    demo.add_argument(
        "--v5",
        action="store_true",
        help="send the same V3 calls over V5 (v3_over_v5=True) to a sandbox whose V3 routes are off",
    )
    demo.set_defaults(run=run_demo)
