"""The ``carpenstar-bybit`` command.

::

    carpenstar-bybit demo                                   # the SDK against an embedded sandbox
    carpenstar-bybit sandbox --port 8080 --api-key K --secret S
    carpenstar-bybit place-order --symbol BTCUSDT --side Buy --qty 0.01 --price 25000 --testnet
    carpenstar-bybit open-orders --symbol BTCUSDT --testnet --json
    carpenstar-bybit order-list --symbol BTCUSDT --testnet
    carpenstar-bybit cancel-order --symbol BTCUSDT --order-id ID --testnet

Order commands read the credentials from ``BYBIT_API_KEY`` and ``BYBIT_API_SECRET`` and talk to
``--host URL``, ``--testnet``, ``--demo``, ``--mainnet``, ``--region XX`` or ``$BYBIT_HOST``: there is
no silent default.
Neither the key nor the secret is ever printed.

Exit codes: 0 success, 1 unexpected failure, 2 usage error (bad arguments, missing credentials,
a request the SDK refuses before sending), 3 the exchange answered with an error (``ApiException``),
4 the exchange could not be reached or answered garbage (``TransportException``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import TextIO

from carpenstar_bybit._version import __version__
from carpenstar_bybit.cli import demo, orders, sandbox
from carpenstar_bybit.cli._common import (
    EXIT_EXCHANGE,
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_TRANSPORT,
    EXIT_USAGE,
    KEY_ENV,
    SECRET_ENV,
)

__all__ = ["EXIT_EXCHANGE", "EXIT_FAILURE", "EXIT_OK", "EXIT_TRANSPORT", "EXIT_USAGE", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``carpenstar-bybit``: each command's module adds its own."""
    parser = argparse.ArgumentParser(
        prog="carpenstar-bybit",
        description="Bybit from the command line, and a local sandbox exchange to try it on.",
        epilog=f"Order commands read {KEY_ENV} and {SECRET_ENV}. Exit codes: 0 ok, 2 usage, "
        "3 exchange error, 4 transport error.",
    )
    parser.add_argument("--version", action="version", version=f"carpenstar-bybit {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (demo, sandbox, orders):
        module.add_parsers(commands)
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
        code: int = args.run(args, out, err)
        return code
    except BrokenPipeError:
        # The reader went away (``carpenstar-bybit demo | head``): stop quietly, as Unix tools do.
        if out is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
