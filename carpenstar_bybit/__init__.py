"""carpenstar-bybit: a typed Python SDK for the Bybit exchange.

A port of carpenstar's PHP SDK (``bybitapi-sdk-derivatives`` on ``bybitapi-sdk-core`` 3.0.5):
``carpenstar_bybit.derivatives`` holds the V3 endpoints of the PHP package, ``carpenstar_bybit.v5``
Bybit's live V5 order API, and ``carpenstar_bybit.sandbox`` a local exchange to test against.
"""

from carpenstar_bybit._version import __version__
from carpenstar_bybit.bybit_api import BybitAPI
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import (
    ApiException,
    AuthenticationException,
    BybitException,
    ConnectionFailedException,
    InvalidParameterException,
    OrderNotFoundException,
    RateLimitException,
    ResponseFormatException,
    SDKException,
    ServerException,
    TimeoutException,
    TimestampException,
    TransportException,
)
from carpenstar_bybit.core.hosts import Hosts
from carpenstar_bybit.core.limiter import RateLimiter
from carpenstar_bybit.core.redact import RedactingFilter
from carpenstar_bybit.core.retry import NO_RETRY, RetryPolicy
from carpenstar_bybit.core.transport import Timeout

__all__ = [
    "NO_RETRY",
    "ApiException",
    "AuthenticationException",
    "BybitAPI",
    "BybitException",
    "ConnectionFailedException",
    "EnumOutputMode",
    "Hosts",
    "InvalidParameterException",
    "OrderNotFoundException",
    "RateLimitException",
    "RateLimiter",
    "RedactingFilter",
    "ResponseFormatException",
    "RetryPolicy",
    "SDKException",
    "ServerException",
    "TimeSync",
    "Timeout",
    "TimeoutException",
    "TimestampException",
    "TransportException",
    "__version__",
]
