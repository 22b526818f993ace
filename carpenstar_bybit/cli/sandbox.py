"""``carpenstar-bybit sandbox``: run the sandbox exchange as a server until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from types import FrameType
from typing import Any, TextIO

from carpenstar_bybit.cli._common import EXIT_FAILURE, EXIT_OK, EXIT_USAGE, KEY_ENV, SECRET_ENV
from carpenstar_bybit.sandbox import DEFAULT_API_KEY, DEFAULT_SECRET, SandboxExchange

__all__ = ["add_parsers"]


def run_sandbox(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
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
            ws_port=args.ws_port if args.ws_port is not None else (args.port + 1 if args.port else 0),
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
        try:
            print(f"Streams (WebSocket) at {exchange.ws_url}", file=out)
        except RuntimeError as exc:
            print(f"No streams: {str(exc).partition(': ')[2]}", file=out)
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


def add_parsers(commands: Any) -> None:
    """Register ``sandbox`` on the ``carpenstar-bybit`` parser."""
    sandbox = commands.add_parser("sandbox", help="run a local Bybit-compatible exchange")
    sandbox.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    sandbox.add_argument("--port", type=int, default=8080, help="TCP port (default 8080; 0 picks a free one)")
    sandbox.add_argument(
        "--ws-port",
        type=int,
        default=None,
        help="TCP port of the WebSocket streams (default: --port + 1; 0 picks a free one)",
    )
    sandbox.add_argument("--api-key", help=f"accepted API key (default: ${KEY_ENV}, else {DEFAULT_API_KEY})")
    sandbox.add_argument("--secret", help=f"its secret (default: ${SECRET_ENV}, else {DEFAULT_SECRET})")
    sandbox.add_argument(
        "--rate-limit",
        type=int,
        default=None,
        help="private requests per second, key and route (default: Bybit's per-route table)",
    )
    sandbox.set_defaults(run=run_sandbox)
