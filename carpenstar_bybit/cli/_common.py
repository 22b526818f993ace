"""What the commands share: exit codes, environment variables, output as text or JSON, failures."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, TextIO

from carpenstar_bybit.core.exceptions import ApiException, TransportException

__all__ = [
    "EXIT_EXCHANGE",
    "EXIT_FAILURE",
    "EXIT_OK",
    "EXIT_TRANSPORT",
    "EXIT_USAGE",
    "HOST_ENV",
    "KEY_ENV",
    "SECRET_ENV",
    "UsageError",
    "decimal_argument",
    "fail",
    "print_json",
    "table",
    "when",
]

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


def decimal_argument(text: str) -> Decimal:
    """An argparse type: a positive, finite decimal number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite() or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number: {text!r}")
    return value


def _json_default(value: object) -> Any:
    return str(value)  # Decimal (exact), datetime


def print_json(data: Any, out: TextIO) -> None:
    """``data`` as indented JSON (decimals and datetimes as their exact text)."""
    print(json.dumps(data, indent=2, default=_json_default, ensure_ascii=False), file=out)


def table(rows: Sequence[Sequence[str]], headers: Sequence[str], out: TextIO) -> None:
    """``rows`` as a plain text table under ``headers``."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    for row in (headers, *rows):
        print(
            "  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=out,
        )


def when(value: Any) -> str:
    """A datetime as ``YYYY-MM-DD HH:MM:SS`` (empty for ``None``)."""
    return value.strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


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


def fail(
    args: argparse.Namespace, command: str, exc: BaseException, code: int, err: TextIO, out: TextIO
) -> int:
    """Report ``exc`` (as JSON with ``--json``, else one line on stderr); return ``code``."""
    if getattr(args, "json", False):
        print_json(_error_payload(command, exc), out)
    elif isinstance(exc, UsageError):
        print(f"{command}: {exc}", file=err)
    else:
        print(f"{command}: {type(exc).__name__}: {exc}", file=err)
    return code
