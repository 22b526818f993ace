"""The ``carpenstar-bybit`` command.

::

    carpenstar-bybit demo                                   # the SDK against an embedded sandbox
    carpenstar-bybit sandbox --port 8080 --api-key K --secret S
    carpenstar-bybit place-order --symbol BTCUSDT --side Buy --qty 0.01 --price 25000 --testnet
    carpenstar-bybit open-orders --symbol BTCUSDT --testnet --json
    carpenstar-bybit order-list --symbol BTCUSDT --testnet
    carpenstar-bybit cancel-order --symbol BTCUSDT --order-id ID --testnet

Order commands read the credentials from ``BYBIT_API_KEY`` and ``BYBIT_API_SECRET`` and talk to
``--host URL``, ``--testnet``, ``--mainnet`` or ``$BYBIT_HOST``: there is no silent default.
Neither the key nor the secret is ever printed.

Exit codes: 0 success, 1 unexpected failure, 2 usage error (bad arguments, missing credentials,
a request the SDK refuses before sending), 3 the exchange answered with an error (``ApiException``),
4 the exchange could not be reached or answered garbage (``TransportException``).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import FrameType
from typing import Any, TextIO

from carpenstar_bybit._version import __version__
from carpenstar_bybit.bybit_api import BybitAPI
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import (
    ApiException,
    BybitException,
    OrderNotFoundException,
    SDKException,
    TransportException,
)
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
from carpenstar_bybit.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET, SandboxExchange

__all__ = ["EXIT_EXCHANGE", "EXIT_FAILURE", "EXIT_OK", "EXIT_TRANSPORT", "EXIT_USAGE", "build_parser", "main"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2
EXIT_EXCHANGE = 3
EXIT_TRANSPORT = 4

KEY_ENV = "BYBIT_API_KEY"
SECRET_ENV = "BYBIT_API_SECRET"
HOST_ENV = "BYBIT_HOST"


class UsageError(Exception):
    """A problem with how the command was called (exit code 2)."""


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


# -- output ---------------------------------------------------------------------------------------


def _json_default(value: object) -> Any:
    return str(value)  # Decimal (exact), datetime


def _print_json(data: Any, out: TextIO) -> None:
    print(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False), file=out)


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: TextIO) -> None:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    for row in (headers, *rows):
        print(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=out,
        )


def _when(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


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
            _when(o.get_created_time()),
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
            _table(_order_rows(orders), _ORDER_HEADERS, out)
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


def _host(args: argparse.Namespace) -> str:
    if args.host:
        return str(args.host)
    if args.testnet:
        return Hosts.TESTNET
    if args.mainnet:
        return Hosts.MAINNET
    host = os.environ.get(HOST_ENV)
    if not host:
        # Real money is never the silent default: the user names the exchange.
        raise UsageError(f"choose the exchange: --host URL, --testnet, --mainnet or ${HOST_ENV}")
    return host


def _credentials() -> tuple[str, str]:
    key = os.environ.get(KEY_ENV)
    secret = os.environ.get(SECRET_ENV)
    if not key or not secret:
        raise UsageError(f"set {KEY_ENV} and {SECRET_ENV} in the environment")
    return key, secret


def _error_payload(command: str, exc: BaseException) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "ok": False,
        "command": command,
        "error": type(exc).__name__,
        "message": str(exc),
    }
    if isinstance(exc, ApiException):
        payload.update(retCode=exc.ret_code, retMsg=exc.ret_msg, httpStatus=exc.http_status)
    elif isinstance(exc, TransportException):
        payload.update(httpStatus=exc.http_status)
    return payload


def _run_order_command(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    command: str = args.command
    spec = _ORDER_COMMANDS[command]
    try:
        request = spec.build(args)
        key, secret = _credentials()
        with BybitAPI(_host(args), key, secret, recv_window=args.recv_window, timeout=args.timeout) as api:
            mode = EnumOutputMode.MODE_ARRAY if args.json else EnumOutputMode.MODE_ENTITY
            response = api.rest(spec.endpoint, request, mode)
    except (UsageError, SDKException) as exc:
        return _fail(args, command, exc, EXIT_USAGE, err, out)
    except ApiException as exc:
        return _fail(args, command, exc, EXIT_EXCHANGE, err, out)
    except TransportException as exc:
        return _fail(args, command, exc, EXIT_TRANSPORT, err, out)
    except BybitException as exc:
        return _fail(args, command, exc, EXIT_FAILURE, err, out)
    if args.json:
        _print_json(
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


def _fail(
    args: argparse.Namespace, command: str, exc: BaseException, code: int, err: TextIO, out: TextIO
) -> int:
    if getattr(args, "json", False):
        _print_json(_error_payload(command, exc), out)
    elif isinstance(exc, UsageError):
        print(f"{command}: {exc}", file=err)
    else:
        print(f"{command}: {type(exc).__name__}: {exc}", file=err)
    return code


# -- sandbox --------------------------------------------------------------------------------------


def _run_sandbox(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    key = args.api_key or os.environ.get(KEY_ENV)
    secret = args.secret or os.environ.get(SECRET_ENV)
    if (key is None) != (secret is None):
        print("sandbox: give both --api-key and --secret (or neither)", file=err)
        return EXIT_USAGE
    defaults = key is None
    try:
        exchange = SandboxExchange(
            {key: secret} if key is not None and secret is not None else None,
            host=args.host,
            port=args.port,
            rate_limit=args.rate_limit,
        )
        exchange.start()
    except (OSError, ValueError) as exc:
        print(f"sandbox: cannot start: {exc}", file=err)
        return EXIT_FAILURE
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Ctrl-C and SIGTERM both stop the server. The SIGINT handler is installed explicitly: a process
    # started in the background by a non-interactive shell inherits SIGINT as ignored, and Python
    # would then never raise KeyboardInterrupt.
    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(f"Bybit sandbox listening on {exchange.url}", file=out)
        if defaults:
            print("Credentials: the sandbox defaults (see carpenstar-bybit sandbox --help)", file=out)
        else:
            print("Credentials: as given (not shown)", file=out)
        print("Press Ctrl-C to stop.", file=out, flush=True)
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        exchange.stop()
    print("Sandbox stopped.", file=out, flush=True)
    return EXIT_OK


# -- demo -----------------------------------------------------------------------------------------


def _step(out: TextIO, number: int, title: str, call: str) -> None:
    print(f"\n{number}. {title}\n   {call}", file=out)


def _run_demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    key = "demo-" + secrets.token_hex(8)
    secret = secrets.token_hex(24)
    symbol = "BTCUSDT"
    link_id = "demo-" + secrets.token_hex(4)
    try:
        with SandboxExchange(api_keys={key: secret}) as exchange, BybitAPI(exchange.url, key, secret) as api:
            print(f"carpenstar-bybit {__version__} demo", file=out)
            print(
                f"A sandbox exchange runs at {exchange.url} (no account, no network); every step below",
                file=out,
            )
            print(
                "goes through the SDK (BybitAPI.rest) over HTTP, signed like a real Bybit request.", file=out
            )

            _step(out, 1, "Place a limit order", "PlaceOrder  POST /contract/v3/private/order/create")
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

            _step(out, 2, "List open orders", "GetOpenOrders  GET /contract/v3/private/order/unfilled-orders")
            opened = api.rest(GetOpenOrders, GetOpenOrdersRequest().set_symbol(symbol))
            for order in opened.get_body():
                print(
                    f"   -> {order.get_order_id()}  {order.get_side()} {order.get_qty()} {order.get_symbol()}"
                    f" @ {order.get_price()}  {order.get_order_status()}",
                    file=out,
                )
            print(f"   ({len(opened.get_body())} open order(s))", file=out)

            _step(out, 3, "Cancel it", "CancelOrder  POST /contract/v3/private/order/cancel")
            cancel = CancelOrderRequest().set_symbol(symbol).set_order_id(order_id)
            cancelled = api.rest(CancelOrder, cancel).get_result()
            assert cancelled is not None
            print(f"   -> cancelled orderId {cancelled.get_order_id()}", file=out)

            _step(out, 4, "Find it in the order history", "GetOrderList  GET /contract/v3/private/order/list")
            history = api.rest(GetOrderList, GetOrderListRequest().set_symbol(symbol).set_order_id(order_id))
            for past in history.get_body():
                print(
                    f"   -> {past.get_order_id()}  status {past.get_order_status()},"
                    f" cancelType {past.get_cancel_type()}, updated {_when(past.get_updated_time())} UTC",
                    file=out,
                )

            _step(out, 5, "Cancel it again", "CancelOrder  POST /contract/v3/private/order/cancel")
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


# -- parser ---------------------------------------------------------------------------------------


def _order_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--host", help=f"base URL of the exchange (default: ${HOST_ENV})")
    where.add_argument("--testnet", action="store_true", help=f"use {Hosts.TESTNET}")
    where.add_argument("--mainnet", action="store_true", help=f"use {Hosts.MAINNET} (real money)")
    parser.add_argument("--json", action="store_true", help="print the answer (or the error) as JSON")
    parser.add_argument("--recv-window", type=int, default=5000, help="receive window in ms (default 5000)")
    parser.add_argument(
        "--timeout", type=float, default=10.0, help="seconds to wait for the exchange (default 10)"
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``carpenstar-bybit``."""
    parser = argparse.ArgumentParser(
        prog="carpenstar-bybit",
        description="Bybit from the command line, and a local sandbox exchange to try it on.",
        epilog=f"Order commands read {KEY_ENV} and {SECRET_ENV}. Exit codes: 0 ok, 2 usage, "
        "3 exchange error, 4 transport error.",
    )
    parser.add_argument("--version", action="version", version=f"carpenstar-bybit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    commands.add_parser("demo", help="place, list and cancel an order on an embedded sandbox")

    sandbox = commands.add_parser("sandbox", help="run a local Bybit-compatible exchange")
    sandbox.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0 picks a free one)")
    sandbox.add_argument("--api-key", help=f"accepted API key (default: ${KEY_ENV}, else {DEFAULT_API_KEY})")
    sandbox.add_argument("--secret", help=f"its secret (default: ${SECRET_ENV}, else {DEFAULT_SECRET})")
    sandbox.add_argument(
        "--rate-limit", type=int, default=10, help="private requests per second and key (10)"
    )

    place = commands.add_parser("place-order", help="place an order (V3 contract)")
    place.add_argument("--symbol", required=True)
    place.add_argument("--side", required=True, choices=("Buy", "Sell"))
    place.add_argument("--order-type", default="Limit", choices=("Limit", "Market"))
    place.add_argument("--qty", required=True, type=_decimal)
    place.add_argument("--price", type=_decimal, help="required for a Limit order")
    place.add_argument(
        "--time-in-force",
        default="GoodTillCancel",
        choices=("GoodTillCancel", "ImmediateOrCancel", "FillOrKill", "PostOnly"),
    )
    place.add_argument("--order-link-id", help="your own id for the order")
    place.add_argument("--position-idx", type=int, choices=(0, 1, 2))
    place.add_argument("--reduce-only", action="store_true")
    place.add_argument("--take-profit", type=_decimal)
    place.add_argument("--stop-loss", type=_decimal)
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
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command; returns the exit code (usage errors: 2, as argparse does)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a usage error
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        if args.command == "demo":
            return _run_demo(args, out, err)
        if args.command == "sandbox":
            return _run_sandbox(args, out, err)
        return _run_order_command(args, out, err)
    except BrokenPipeError:
        # The reader went away (``carpenstar-bybit demo | head``): stop quietly, as Unix tools do.
        if out is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
