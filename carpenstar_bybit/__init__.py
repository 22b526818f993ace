"""carpenstar-bybit: a typed Python SDK for the Bybit exchange.

A port of carpenstar's PHP SDK (``bybitapi-sdk-derivatives`` on ``bybitapi-sdk-core`` 3.0.5):
``carpenstar_bybit.derivatives`` holds the V3 endpoints of the PHP package, ``carpenstar_bybit.v5``
Bybit's live V5 API, and ``carpenstar_bybit.sandbox`` a local exchange to test against.
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING

from carpenstar_bybit._version import __version__

if TYPE_CHECKING:
    from carpenstar_bybit.async_bybit_api import AsyncBybitAPI
    from carpenstar_bybit.bybit_api import BybitAPI
    from carpenstar_bybit.core.clock import TimeSync
    from carpenstar_bybit.core.enums import EnumOutputMode
    from carpenstar_bybit.core.exceptions import (
        ApiException,
        AuthenticationException,
        BybitException,
        ConnectionFailedException,
        DuplicateOrderException,
        InsufficientBalanceException,
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
    from carpenstar_bybit.core.mock_transport import AsyncMockTransport, MockTransport
    from carpenstar_bybit.core.redact import RedactingFilter
    from carpenstar_bybit.core.retry import NO_RETRY, RetryPolicy
    from carpenstar_bybit.core.transport import AsyncTransport, Timeout, Transport, WireRequest, WireResponse

#: Where each public name lives. Names are imported on first use (PEP 562), so ``import
#: carpenstar_bybit`` (and so every endpoint package) loads nothing it does not use: the HTTP stack
#: (``requests``) comes with ``BybitAPI``.
_LAZY = {
    "ApiException": "carpenstar_bybit.core.exceptions",
    "AsyncBybitAPI": "carpenstar_bybit.async_bybit_api",
    "AsyncMockTransport": "carpenstar_bybit.core.mock_transport",
    "AsyncTransport": "carpenstar_bybit.core.transport",
    "AuthenticationException": "carpenstar_bybit.core.exceptions",
    "BybitAPI": "carpenstar_bybit.bybit_api",
    "BybitException": "carpenstar_bybit.core.exceptions",
    "ConnectionFailedException": "carpenstar_bybit.core.exceptions",
    "DuplicateOrderException": "carpenstar_bybit.core.exceptions",
    "EnumOutputMode": "carpenstar_bybit.core.enums",
    "Hosts": "carpenstar_bybit.core.hosts",
    "InsufficientBalanceException": "carpenstar_bybit.core.exceptions",
    "InvalidParameterException": "carpenstar_bybit.core.exceptions",
    "MockTransport": "carpenstar_bybit.core.mock_transport",
    "NO_RETRY": "carpenstar_bybit.core.retry",
    "OrderNotFoundException": "carpenstar_bybit.core.exceptions",
    "RateLimitException": "carpenstar_bybit.core.exceptions",
    "RateLimiter": "carpenstar_bybit.core.limiter",
    "RedactingFilter": "carpenstar_bybit.core.redact",
    "ResponseFormatException": "carpenstar_bybit.core.exceptions",
    "RetryPolicy": "carpenstar_bybit.core.retry",
    "SDKException": "carpenstar_bybit.core.exceptions",
    "ServerException": "carpenstar_bybit.core.exceptions",
    "TimeSync": "carpenstar_bybit.core.clock",
    "Timeout": "carpenstar_bybit.core.transport",
    "TimeoutException": "carpenstar_bybit.core.exceptions",
    "TimestampException": "carpenstar_bybit.core.exceptions",
    "Transport": "carpenstar_bybit.core.transport",
    "TransportException": "carpenstar_bybit.core.exceptions",
    "WireRequest": "carpenstar_bybit.core.transport",
    "WireResponse": "carpenstar_bybit.core.transport",
}


if not TYPE_CHECKING:  # mypy reads the imports above; an unknown name stays an error for it

    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_import_module(module), name)
        globals()[name] = value  # later lookups are plain attribute reads
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *__all__})


__all__ = [
    "NO_RETRY",
    "ApiException",
    "AsyncBybitAPI",
    "AsyncMockTransport",
    "AsyncTransport",
    "AuthenticationException",
    "BybitAPI",
    "BybitException",
    "ConnectionFailedException",
    "DuplicateOrderException",
    "EnumOutputMode",
    "Hosts",
    "InsufficientBalanceException",
    "InvalidParameterException",
    "MockTransport",
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
    "Transport",
    "TransportException",
    "WireRequest",
    "WireResponse",
    "__version__",
]
