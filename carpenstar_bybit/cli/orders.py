"""The order commands: ``place-order``, ``cancel-order``, ``open-orders``, ``order-list``."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from carpenstar_bybit.bybit_api import BybitAPI
from carpenstar_bybit.cli._common import (
    EXIT_EXCHANGE,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_TRANSPORT,
    EXIT_USAGE,
    HOST_ENV,
    KEY_ENV,
    SECRET_ENV,
    UsageError,
    decimal_argument,
    fail,
    print_json,
    table,
    when,
)
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import ApiException, BybitException, SDKException, TransportException
from carpenstar_bybit.core.hosts import Hosts
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import (
    GetOpenOrders,
    GetOpenOrdersRequest,
    GetOpenOrdersResponse,
)
from carpenstar_bybit.derivatives.contract.order.get_order_list import (
    GetOrderList,
    GetOrderListRequest,
    GetOrderListResponse,
)
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest

__all__ = ["add_parsers"]


def _order_rows(orders: Sequence[GetOpenOrdersResponse | GetOrderListResponse]) -> list[list[str]]:
    return [
        [
            o.get_order_id(),
            o.get_order_link_id(),
            o.get_symbol(),
            o.get_side(),
            o.get_order_type(),
            str(o.get_price() or ""),
            str(o.get_qty() or ""),
            str(o.get_cum_exec_qty() or "0"),
            o.get_order_status(),
            when(o.get_created_time()),
        ]
        for o in orders
    ]


_ORDER_HEADERS = (
    "ORDER ID",
    "LINK ID",
    "SYMBOL",
    "SIDE",
    "TYPE",
    "PRICE",
    "QTY",
    "FILLED",
    "STATUS",
    "CREATED",
)


# -- order commands -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _OrderCommand:
    """An order command: the endpoint, how to build its request, how to show its answer as text."""

    endpoint: type[Endpoint[Any, Any]]
    build: Callable[[argparse.Namespace], AbstractParameters]
    show: Callable[[RestResponse[Any], TextIO], None]


def _build_place(args: argparse.Namespace) -> AbstractParameters:
    if args.order_type == "Limit" and args.price is None:
        raise UsageError("a Limit order needs --price")
    request = (
        PlaceOrderRequest()
        .set_symbol(args.symbol)
        .set_side(args.side)
        .set_order_type(args.order_type)
        .set_qty(args.qty)
        .set_time_in_force(args.time_in_force)
    )
    if args.price is not None:
        request.set_price(args.price)
    if args.order_link_id:
        request.set_order_link_id(args.order_link_id)
    if args.position_idx is not None:
        request.set_position_idx(args.position_idx)
    if args.reduce_only:
        request.set_reduce_only(True)
    if args.take_profit is not None:
        request.set_take_profit(args.take_profit)
    if args.stop_loss is not None:
        request.set_stop_loss(args.stop_loss)
    return request


def _show_ids(verb: str) -> Callable[[RestResponse[Any], TextIO], None]:
    def show(response: RestResponse[Any], out: TextIO) -> None:
        result = response.get_result()
        if result is None:
            print(f"Order {verb}.", file=out)
            return
        link = result.get_order_link_id()
        print(
            f"Order {verb}: orderId {result.get_order_id()}" + (f", orderLinkId {link}" if link else ""),
            file=out,
        )

    return show


def _build_cancel(args: argparse.Namespace) -> AbstractParameters:
    request = CancelOrderRequest().set_symbol(args.symbol)
    if args.order_id:
        request.set_order_id(args.order_id)
    if args.order_link_id:
        request.set_order_link_id(args.order_link_id)
    return request


def _build_open_orders(args: argparse.Namespace) -> AbstractParameters:
    if not (args.symbol or args.base_coin or args.settle_coin):
        raise UsageError("give --symbol, --base-coin or --settle-coin")
    request = GetOpenOrdersRequest().set_limit(args.limit)
    for value, setter in (
        (args.symbol, request.set_symbol),
        (args.base_coin, request.set_base_coin),
        (args.settle_coin, request.set_settle_coin),
        (args.order_id, request.set_order_id),
        (args.order_link_id, request.set_order_link_id),
        (args.order_filter, request.set_order_filter),
        (args.cursor, request.set_cursor),
    ):
        if value:
            setter(value)
    return request


def _build_order_list(args: argparse.Namespace) -> AbstractParameters:
    request = GetOrderListRequest().set_limit(args.limit)
    for value, setter in (
        (args.symbol, request.set_symbol),
        (args.order_id, request.set_order_id),
        (args.order_link_id, request.set_order_link_id),
        (args.order_status, request.set_order_status),
        (args.order_filter, request.set_order_filter),
        (args.cursor, request.set_cursor),
    ):
        if value:
            setter(value)
    return request


def _show_orders(empty: str) -> Callable[[RestResponse[Any], TextIO], None]:
    def show(response: RestResponse[Any], out: TextIO) -> None:
        orders = response.get_body().all()
        if not orders:
            print(empty, file=out)
        else:
            table(_order_rows(orders), _ORDER_HEADERS, out)
        cursor = response.get_next_page_cursor()
        if cursor:
            print(f"More: --cursor {cursor}", file=out)

    return show


_ORDER_COMMANDS: dict[str, _OrderCommand] = {
    "place-order": _OrderCommand(PlaceOrder, _build_place, _show_ids("placed")),
    "cancel-order": _OrderCommand(CancelOrder, _build_cancel, _show_ids("cancelled")),
    "open-orders": _OrderCommand(GetOpenOrders, _build_open_orders, _show_orders("No open orders.")),
    "order-list": _OrderCommand(GetOrderList, _build_order_list, _show_orders("No orders.")),
}


#: ``--region`` values: Bybit's regional mainnet hosts.
_REGIONS = {
    "nl": Hosts.MAINNET_NL,
    "tr": Hosts.MAINNET_TR,
    "kz": Hosts.MAINNET_KZ,
    "ge": Hosts.MAINNET_GE,
    "ae": Hosts.MAINNET_AE,
    "eu": Hosts.MAINNET_EU,
    "id": Hosts.MAINNET_ID,
    "jp": Hosts.MAINNET_JP,
    "hk": Hosts.MAINNET_HK,
}


def _host(args: argparse.Namespace) -> str:
    if args.host:
        return str(args.host)
    if args.testnet:
        return Hosts.TESTNET
    if args.demo:
        return Hosts.DEMO
    if args.mainnet:
        return Hosts.MAINNET
    if args.region:
        return _REGIONS[args.region]
    host = os.environ.get(HOST_ENV)
    if not host:
        # Real money is never the silent default: the user names the exchange.
        raise UsageError(
            f"choose the exchange: --host URL, --testnet, --demo, --mainnet, --region or ${HOST_ENV}"
        )
    return host


def _credentials() -> tuple[str, str]:
    key = os.environ.get(KEY_ENV)
    secret = os.environ.get(SECRET_ENV)
    if not key or not secret:
        raise UsageError(f"set {KEY_ENV} and {SECRET_ENV} in the environment")
    return key, secret


def run_order_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    command: str = args.command
    spec = _ORDER_COMMANDS[command]
    try:
        request = spec.build(args)
        key, secret = _credentials()
        with BybitAPI(_host(args), key, secret, recv_window=args.recv_window, timeout=args.timeout) as api:
            mode = EnumOutputMode.MODE_ARRAY if args.json else EnumOutputMode.MODE_ENTITY
            response = api.rest(spec.endpoint, request, mode)
    except (UsageError, SDKException) as exc:
        return fail(args, command, exc, EXIT_USAGE, err, out)
    except ApiException as exc:
        return fail(args, command, exc, EXIT_EXCHANGE, err, out)
    except TransportException as exc:
        return fail(args, command, exc, EXIT_TRANSPORT, err, out)
    except BybitException as exc:
        return fail(args, command, exc, EXIT_FAILURE, err, out)
    if args.json:
        print_json(
            {
                "ok": True,
                "command": command,
                "retCode": response.get_return_code(),
                "retMsg": response.get_return_message(),
                "items": response.get_body().all(),
                "nextPageCursor": response.get_next_page_cursor(),
            },
            out,
        )
    else:
        spec.show(response, out)
    return EXIT_OK


def _order_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--host", help=f"base URL of the exchange (default: ${HOST_ENV})")
    where.add_argument("--testnet", action="store_true", help=f"use {Hosts.TESTNET}")
    where.add_argument("--demo", action="store_true", help=f"use Bybit's demo trading, {Hosts.DEMO}")
    where.add_argument("--mainnet", action="store_true", help=f"use {Hosts.MAINNET} (real money)")
    where.add_argument(
        "--region", choices=sorted(_REGIONS), help="use Bybit's mainnet host for that region (real money)"
    )
    parser.add_argument("--json", action="store_true", help="print the answer (or the error) as JSON")
    parser.add_argument("--recv-window", type=int, default=5000, help="receive window in ms (default 5000)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for the exchange (default 10)"
    )


def add_parsers(commands: Any) -> None:
    """Register the order commands on the ``carpenstar-bybit`` parser."""
    place = commands.add_parser("place-order", help="place an order (V3 contract)")
    place.add_argument("--symbol", required=True)
    place.add_argument("--side", required=True, choices=("Buy", "Sell"))
    place.add_argument("--order-type", default="Limit", choices=("Limit", "Market"))
    place.add_argument("--qty", required=True, type=decimal_argument)
    place.add_argument("--price", type=decimal_argument, help="required for a Limit order")
    place.add_argument(
        "--time-in-force",
        default="GoodTillCancel",
        choices=("GoodTillCancel", "ImmediateOrCancel", "FillOrKill", "PostOnly"),
    )
    place.add_argument("--order-link-id", help="your own id for the order")
    place.add_argument("--position-idx", type=int, choices=(0, 1, 2))
    place.add_argument("--reduce-only", action="store_true")
    place.add_argument("--take-profit", type=decimal_argument)
    place.add_argument("--stop-loss", type=decimal_argument)
    _order_options(place)

    cancel = commands.add_parser("cancel-order", help="cancel an open order (V3 contract)")
    cancel.add_argument("--symbol", required=True)
    which = cancel.add_mutually_exclusive_group(required=True)
    which.add_argument("--order-id")
    which.add_argument("--order-link-id")
    _order_options(cancel)

    opened = commands.add_parser("open-orders", help="list open orders (V3 contract)")
    scope = opened.add_mutually_exclusive_group()
    scope.add_argument("--symbol")
    scope.add_argument("--base-coin")
    scope.add_argument("--settle-coin")
    opened.add_argument("--order-id")
    opened.add_argument("--order-link-id")
    opened.add_argument("--order-filter", choices=("Order", "StopOrder"))
    opened.add_argument("--limit", type=int, default=20, help="orders per page (1-50)")
    opened.add_argument("--cursor", help="nextPageCursor of the previous page")
    _order_options(opened)

    history = commands.add_parser("order-list", help="list orders, open and finished (V3 contract)")
    history.add_argument("--symbol")
    history.add_argument("--order-id")
    history.add_argument("--order-link-id")
    history.add_argument("--order-status")
    history.add_argument("--order-filter", choices=("Order", "StopOrder"))
    history.add_argument("--limit", type=int, default=20, help="orders per page (1-50)")
    history.add_argument("--cursor", help="nextPageCursor of the previous page")
    _order_options(history)
    for parser in (place, cancel, opened, history):
        parser.set_defaults(run=run_order_command)
