"""The exception tree of the SDK, and the one table that maps Bybit codes to it.

    BybitException
    ├── SDKException                  misuse or invalid input, found before anything is sent
    ├── ApiException                  the exchange answered retCode != 0 (or blocked us at HTTP level)
    │   ├── AuthenticationException   10003 10004 10005 10007 10009 10010
    │   ├── TimestampException        10002
    │   ├── RateLimitException        10006 10018, HTTP 403 (CDN/IP block) and 429
    │   ├── InvalidParameterException 10001
    │   ├── OrderNotFoundException    110001 140001 20001 30034 170213
    │   └── ServerException           10000 10016
    └── TransportException            could not talk to the exchange
        ├── ConnectionFailedException the request never left this machine (safe to resend)
        ├── TimeoutException          no answer within the read timeout (outcome unknown)
        └── ResponseFormatException   an answer that is not a Bybit envelope (non-JSON, bad shape)

No exception ever carries the secret, the API key or a signature.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from carpenstar_bybit.core.ratelimit import RateLimit

__all__ = [
    "CODE_TABLE",
    "ApiException",
    "AuthenticationException",
    "BybitException",
    "ConnectionFailedException",
    "InvalidParameterException",
    "OrderNotFoundException",
    "RateLimitException",
    "ResponseFormatException",
    "SDKException",
    "ServerException",
    "TimeoutException",
    "TimestampException",
    "TransportException",
    "exception_for_code",
]


class BybitException(Exception):
    """Base of every exception this SDK raises."""


class SDKException(BybitException):
    """The SDK was misused or given invalid input; nothing was sent."""


class ApiException(BybitException):
    """The exchange answered with ``retCode != 0`` (or refused at HTTP level, see subclasses).

    ``retryable`` says whether sending the same request again may succeed (rate limits,
    timestamp drift, server-side trouble); it never means the first attempt had no effect.
    """

    retryable: bool = False

    def __init__(
        self,
        ret_code: int | None,
        ret_msg: str,
        *,
        ret_ext_info: dict[str, Any] | None = None,
        time: datetime | None = None,
        http_status: int | None = None,
        method: str | None = None,
        path: str | None = None,
        rate_limit: RateLimit | None = None,
        hint: str | None = None,
    ) -> None:
        self.ret_code = ret_code
        self.ret_msg = ret_msg
        self.ret_ext_info: dict[str, Any] = ret_ext_info or {}
        self.time = time
        self.http_status = http_status
        self.method = method
        self.path = path
        self.rate_limit = rate_limit
        self.hint = hint
        super().__init__(self._line())

    def _line(self) -> str:
        code = f"[{self.ret_code}] " if self.ret_code is not None else ""
        where = " ".join(p for p in (self.method, self.path) if p)
        status = f"HTTP {self.http_status}" if self.http_status is not None else ""
        ctx = ", ".join(p for p in (where, status) if p)
        line = f"{code}{self.ret_msg}" + (f" ({ctx})" if ctx else "")
        return line + (f"; {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        return self._line()


class AuthenticationException(ApiException):
    """API key missing, unknown, expired, lacking permission, or a bad signature."""


class TimestampException(ApiException):
    """The request timestamp was outside the exchange's receive window (10002)."""

    retryable = True


class RateLimitException(ApiException):
    """Too many requests (10006, 10018) or an IP-level block (HTTP 403/429)."""

    retryable = True


class InvalidParameterException(ApiException):
    """The exchange rejected a parameter (10001)."""


class OrderNotFoundException(ApiException):
    """The order does not exist, or is already filled or cancelled."""


class ServerException(ApiException):
    """Server-side trouble (10000 timeout, 10016 internal error); safe to retry reads."""

    retryable = True


class TransportException(BybitException):
    """The exchange could not be talked to, or answered with something that is not an envelope."""

    def __init__(
        self,
        message: str,
        *,
        method: str | None = None,
        path: str | None = None,
        http_status: int | None = None,
        body_excerpt: str | None = None,
    ) -> None:
        self.method = method
        self.path = path
        self.http_status = http_status
        self.body_excerpt = body_excerpt
        where = " ".join(p for p in (method, path) if p)
        parts = [message]
        if where:
            parts.append(f"({where})")
        if http_status is not None:
            parts.append(f"HTTP {http_status}")
        if body_excerpt:
            parts.append(f"body: {body_excerpt!r}")
        super().__init__(" ".join(parts))


class ConnectionFailedException(TransportException):
    """The connection failed before the request was sent: resending cannot duplicate it."""


class TimeoutException(TransportException):
    """No answer in time: the request may or may not have reached the exchange."""


class ResponseFormatException(TransportException):
    """The body is not a Bybit envelope, or a field in it has a value of the wrong shape."""


# One table, V3 and V5 alike: retCode -> exception class.
CODE_TABLE: dict[int, type[ApiException]] = {
    10000: ServerException,
    10001: InvalidParameterException,
    10002: TimestampException,
    10003: AuthenticationException,
    10004: AuthenticationException,
    10005: AuthenticationException,
    10006: RateLimitException,
    10007: AuthenticationException,
    10009: AuthenticationException,
    10010: AuthenticationException,
    10016: ServerException,
    10018: RateLimitException,
    20001: OrderNotFoundException,
    30034: OrderNotFoundException,
    110001: OrderNotFoundException,
    140001: OrderNotFoundException,
    170213: OrderNotFoundException,
}


def exception_for_code(ret_code: int) -> type[ApiException]:
    """The exception class for a Bybit ``retCode`` (``ApiException`` when the code is not in the table)."""
    return CODE_TABLE.get(ret_code, ApiException)
