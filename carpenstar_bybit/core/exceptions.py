"""The exception tree of the SDK, and the code tables that map Bybit codes to it (one per API family).

    BybitException
    ├── SDKException                    misuse or invalid input, found before anything is sent
    ├── ApiException                    the exchange answered retCode != 0 (or blocked us at HTTP level)
    │   ├── AuthenticationException     key, signature, permission, IP or account refused
    │   ├── TimestampException          10002
    │   ├── RateLimitException          10006 10018 (and the spot limits in V5), HTTP 403/429
    │   ├── InvalidParameterException   10001 and the order validation codes
    │   ├── OrderNotFoundException      the order does not exist, or is already filled or cancelled
    │   ├── DuplicateOrderException     the orderLinkId (or the request) was seen before
    │   ├── InsufficientBalanceException the wallet or the available balance cannot cover it
    │   └── ServerException             10000 10016
    └── TransportException              could not talk to the exchange
        ├── ConnectionFailedException   the request never left this machine (safe to resend)
        ├── TimeoutException            no answer within the read timeout (outcome unknown)
        └── ResponseFormatException     an answer that is not a Bybit envelope (non-JSON, bad shape)

Bybit numbers its business errors per API family, and V5 reuses some numbers of the V3 contract API
with other meanings (140001 is "order does not exist" in V3 and a portfolio-margin setting in V5;
110017 a reduce-only rule in V3 and a quantity truncated to zero in V5). So there is one table per
family, ``V3_CODES`` (``/contract/v3/...``, ``/derivatives/v3/...``, from Bybit's V3 derivatives error
page: its contract and unified-margin sections) and ``V5_CODES`` (every ``/v5/...`` route, from
``docs/v5/error.mdx``), and ``exception_for_code`` picks the table by the route's family. A code not in
its family's table raises ``ApiException`` itself.

No exception ever carries the secret, the API key or a signature.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

if TYPE_CHECKING:
    from carpenstar_bybit.core.ratelimit import RateLimit

__all__ = [
    "CODE_TABLES",
    "V3_CODES",
    "V5_CODES",
    "ApiException",
    "ApiFamily",
    "AuthenticationException",
    "BybitException",
    "Code",
    "ConnectionFailedException",
    "DuplicateOrderException",
    "InsufficientBalanceException",
    "InvalidParameterException",
    "OrderNotFoundException",
    "RateLimitException",
    "ResponseFormatException",
    "SDKException",
    "ServerException",
    "TimeoutException",
    "TimestampException",
    "TransportException",
    "api_family",
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


class DuplicateOrderException(ApiException):
    """The exchange has seen this order before: its ``orderLinkId`` is taken (V5 110072), or the
    request itself was a duplicate (10014). The first order may well exist: look it up by its
    ``orderLinkId`` instead of placing it again."""


class InsufficientBalanceException(ApiException):
    """The wallet balance, the available balance or the margin cannot cover the order or the
    change (V5 110004, 110006, 110007, 110012, 170131, ...)."""


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


class Code(NamedTuple):
    """One row of a code table: the exception class a ``retCode`` raises, and what Bybit says it means."""

    exception: type[ApiException]
    meaning: str


#: The V3 contract API (``/contract/v3/...`` and ``/derivatives/v3/...``), from Bybit's V3
#: derivatives error page (its "Contract" and "Unified Margin" sections) and the older families.
V3_CODES: dict[int, Code] = {
    10000: Code(ServerException, "server timeout"),
    10001: Code(InvalidParameterException, "a request parameter is missing or invalid"),
    10002: Code(TimestampException, "the timestamp is outside the receive window (clock drift)"),
    10003: Code(AuthenticationException, "the API key is invalid, or missing"),
    10004: Code(AuthenticationException, "the signature does not match"),
    10005: Code(AuthenticationException, "the key lacks the permission"),
    10006: Code(RateLimitException, "too many requests for this key"),
    10007: Code(AuthenticationException, "the user behind the key was not found (authentication failed)"),
    10008: Code(AuthenticationException, "the user is banned; check the account mode"),
    10009: Code(AuthenticationException, "the IP is banned"),
    10010: Code(AuthenticationException, "the IP is not bound to this key"),
    10014: Code(DuplicateOrderException, "the request is a duplicate"),
    10016: Code(ServerException, "internal server error"),
    10018: Code(RateLimitException, "the IP exceeded its rate limit"),
    10024: Code(AuthenticationException, "compliance rules triggered"),
    10027: Code(AuthenticationException, "trading is banned"),
    20001: Code(OrderNotFoundException, "order not found (older API families)"),
    30034: Code(OrderNotFoundException, "order not found (older API families)"),
    110001: Code(OrderNotFoundException, "order does not exist (unified margin)"),
    110003: Code(InvalidParameterException, "the order price is out of range (unified margin)"),
    110004: Code(InsufficientBalanceException, "insufficient wallet balance (unified margin)"),
    110006: Code(InsufficientBalanceException, "cannot afford the position margin (unified margin)"),
    110007: Code(InsufficientBalanceException, "insufficient available balance (unified margin)"),
    110008: Code(OrderNotFoundException, "the order is already filled or cancelled (unified margin)"),
    110010: Code(OrderNotFoundException, "the order is already cancelled (unified margin)"),
    110012: Code(InsufficientBalanceException, "available balance not enough (unified margin)"),
    110014: Code(InsufficientBalanceException, "available balance not enough to add margin (unified margin)"),
    110044: Code(InsufficientBalanceException, "insufficient available margin (unified margin)"),
    110045: Code(InsufficientBalanceException, "insufficient wallet balance (unified margin)"),
    140001: Code(OrderNotFoundException, "order does not exist"),
    140003: Code(InvalidParameterException, "the order price is out of the permissible range"),
    140004: Code(InsufficientBalanceException, "insufficient wallet balance"),
    140006: Code(InsufficientBalanceException, "cannot afford the estimated position margin"),
    140007: Code(InsufficientBalanceException, "insufficient available balance"),
    140008: Code(OrderNotFoundException, "the order is already filled or cancelled"),
    140010: Code(OrderNotFoundException, "the order is already cancelled"),
    140012: Code(InsufficientBalanceException, "available balance not enough"),
    140014: Code(InsufficientBalanceException, "available balance not enough to add margin"),
    140030: Code(DuplicateOrderException, "duplicate orderId"),
    140044: Code(InsufficientBalanceException, "insufficient available margin"),
    140045: Code(InsufficientBalanceException, "insufficient wallet balance"),
    170213: Code(OrderNotFoundException, "order does not exist (spot)"),
}

#: Every ``/v5/...`` route, from Bybit's V5 error page (``docs/v5/error.mdx``: UTA and spot trade).
V5_CODES: dict[int, Code] = {
    -2015: Code(AuthenticationException, "the API key has expired (spot)"),
    429: Code(ServerException, "the trading service is under high load; retry later"),
    10000: Code(ServerException, "server timeout"),
    10001: Code(InvalidParameterException, "a request parameter is missing or invalid"),
    10002: Code(TimestampException, "the timestamp is outside the receive window (clock drift)"),
    10003: Code(AuthenticationException, "the API key is invalid, or not of this environment"),
    10004: Code(AuthenticationException, "the signature does not match"),
    10005: Code(AuthenticationException, "the key lacks the permission"),
    10006: Code(RateLimitException, "too many requests: the API rate limit was exceeded"),
    10007: Code(AuthenticationException, "the user behind the key was not found (authentication failed)"),
    10008: Code(AuthenticationException, "the account is banned; check the account mode"),
    10009: Code(AuthenticationException, "the service is restricted in this region"),
    10010: Code(AuthenticationException, "the IP is not bound to this key"),
    10014: Code(DuplicateOrderException, "invalid duplicate request"),
    10016: Code(ServerException, "internal server error, or the service is restarting"),
    10018: Code(RateLimitException, "the IP exceeded its rate limit"),
    10024: Code(AuthenticationException, "compliance rules triggered"),
    10027: Code(AuthenticationException, "transactions are banned"),
    10029: Code(InvalidParameterException, "the symbol is not in the symbol whitelist"),
    33004: Code(AuthenticationException, "the API key has expired (derivatives)"),
    110001: Code(OrderNotFoundException, "order does not exist"),
    110003: Code(InvalidParameterException, "the order price is out of the allowable range"),
    110004: Code(InsufficientBalanceException, "insufficient wallet balance"),
    110006: Code(InsufficientBalanceException, "the assets cannot cover the position margin"),
    110007: Code(InsufficientBalanceException, "insufficient available balance"),
    110008: Code(OrderNotFoundException, "the order is already filled or cancelled"),
    110010: Code(OrderNotFoundException, "the order is already cancelled"),
    110012: Code(InsufficientBalanceException, "insufficient available balance"),
    110014: Code(InsufficientBalanceException, "insufficient available balance to add margin"),
    110017: Code(InvalidParameterException, "the order quantity would be truncated to zero"),
    110032: Code(InvalidParameterException, "the order is illegal"),
    110044: Code(InsufficientBalanceException, "insufficient available margin"),
    110045: Code(InsufficientBalanceException, "insufficient wallet balance"),
    110072: Code(DuplicateOrderException, "the orderLinkId is a duplicate"),
    110092: Code(InvalidParameterException, "a rising trigger price is at or below the current price"),
    110093: Code(InvalidParameterException, "a falling trigger price is at or above the current price"),
    110094: Code(InvalidParameterException, "the order's notional value is below the lower limit"),
    110108: Code(InvalidParameterException, "slippage tolerance outside 1 to 10000 ticks"),
    110109: Code(InvalidParameterException, "slippage tolerance outside 0.01% to 10%"),
    110120: Code(InvalidParameterException, "the order price is below the price limit"),
    110121: Code(InvalidParameterException, "the order price is above the price limit"),
    170001: Code(ServerException, "internal error (spot)"),
    170005: Code(RateLimitException, "too many new orders (spot)"),
    170007: Code(ServerException, "timeout waiting for the backend (spot)"),
    170033: Code(InsufficientBalanceException, "insufficient account balance (spot margin)"),
    170105: Code(InvalidParameterException, "a parameter is empty (spot)"),
    170115: Code(InvalidParameterException, "invalid timeInForce (spot)"),
    170116: Code(InvalidParameterException, "invalid orderType (spot)"),
    170117: Code(InvalidParameterException, "invalid side (spot)"),
    170121: Code(InvalidParameterException, "invalid symbol (spot)"),
    170124: Code(InvalidParameterException, "the order amount is too large (spot)"),
    170130: Code(InvalidParameterException, "invalid data sent for a parameter (spot)"),
    170131: Code(InsufficientBalanceException, "insufficient balance (spot)"),
    170132: Code(InvalidParameterException, "the order price is too high (spot)"),
    170133: Code(InvalidParameterException, "the order price is below the minimum (spot)"),
    170134: Code(InvalidParameterException, "the order price has too many decimals (spot)"),
    170136: Code(InvalidParameterException, "the order quantity is below the minimum (spot)"),
    170137: Code(InvalidParameterException, "the order quantity has too many decimals (spot)"),
    170139: Code(OrderNotFoundException, "the order is already filled (spot)"),
    170140: Code(InvalidParameterException, "the order value is below the lower limit (spot)"),
    170141: Code(DuplicateOrderException, "duplicate clientOrderId (spot)"),
    170142: Code(OrderNotFoundException, "the order is already cancelled (spot)"),
    170143: Code(OrderNotFoundException, "the order cannot be found on the order book (spot)"),
    170148: Code(InvalidParameterException, "the market order amount has too many decimals (spot)"),
    170190: Code(OrderNotFoundException, "the order is already finished (spot)"),
    170201: Code(InvalidParameterException, "invalid orderFilter (spot)"),
    170202: Code(InvalidParameterException, "the TP/SL price is missing (spot)"),
    170203: Code(InvalidParameterException, "the trigger price is above 110% of the price (spot)"),
    170204: Code(InvalidParameterException, "the trigger price is below 90% of the price (spot)"),
    170213: Code(OrderNotFoundException, "order does not exist (spot)"),
    170222: Code(RateLimitException, "too many requests in this time frame (spot)"),
    170234: Code(ServerException, "system error (spot)"),
    170371: Code(InvalidParameterException, "the order price is below the price limit (spot)"),
    170372: Code(InvalidParameterException, "the order price is above the price limit (spot)"),
    170381: Code(InvalidParameterException, "the order quantity is too large (spot)"),
    170382: Code(InvalidParameterException, "the order quantity is too large (spot)"),
}

ApiFamily = Literal["v3", "v5"]

#: The code table of each API family.
CODE_TABLES: dict[ApiFamily, dict[int, Code]] = {"v3": V3_CODES, "v5": V5_CODES}


def api_family(path: str) -> ApiFamily:
    """The API family of a route path: ``"v5"`` for ``/v5/...``, else ``"v3"``."""
    return "v5" if path.startswith("/v5/") else "v3"


def exception_for_code(ret_code: int, family: ApiFamily = "v3") -> type[ApiException]:
    """The exception class of a Bybit ``retCode`` in the code table of ``family`` (``ApiException``
    when the code is not in it)."""
    row = CODE_TABLES[family].get(ret_code)
    return row.exception if row is not None else ApiException
