"""The facade (PHP ``Carpenstar\\ByBitAPI\\BybitAPI``), with both PHP usage styles.

::

    api = BybitAPI(Hosts.TESTNET, api_key, secret)                      # 3.x style
    resp = api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSD").set_order_id(oid))

    api = BybitAPI().set_credentials(Hosts.TESTNET, api_key, secret)    # 5.x style
    resp = api.private_endpoint(CancelOrder, request).execute()
"""

from __future__ import annotations

from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import requests

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.builders import RestBuilder
from carpenstar_bybit.core.client import DEFAULT_RECV_WINDOW, ClientContext
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.endpoints import Endpoint, PrivateEndpoint, PublicEndpoint
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.limiter import RateLimiter
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.pagination import iterate_pages
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.transport import DEFAULT_TIMEOUT, RequestsTransport, Timeout, Transport

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["BybitAPI"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class BybitAPI:
    """A Bybit REST client. Credentials belong to this instance only.

    :param host: base URL (``Hosts.MAINNET``, ``Hosts.TESTNET``, a sandbox's ``url``...).
    :param api_key: API key; with ``secret``, enables private endpoints.
    :param secret: API secret; never shown in any ``repr``, log line or exception.
    :param recv_window: milliseconds the exchange accepts a signed request for (default 5000).
    :param timeout: ``(connect, read)`` seconds, one number for both, or a ``Timeout``.
    :param session: a ``requests.Session`` of your own (proxies, adapters), used as configured.
    :param transport: a ``Transport`` of your own (e.g. ``Urllib3Transport()``); excludes ``session``.
    :param retry: a ``RetryPolicy`` (default: 3 attempts, 30 s deadline, only where repeating is
        harmless; ``NO_RETRY`` disables retries).
    :param time_sync: ``True`` or a ``TimeSync`` to measure the exchange's clock before the first
        private call and on a schedule; without it the clock is still re-synced once after a 10002.
    :param rate_limiter: a ``RateLimiter`` shared by the clients of one API key, to stay under the
        exchange's per-second limit instead of hitting 10006.
    """

    def __init__(
        self,
        host: str | None = None,
        api_key: str | None = None,
        secret: str | None = None,
        *,
        recv_window: int = DEFAULT_RECV_WINDOW,
        timeout: Timeout | float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
        time_sync: bool | TimeSync = False,
        rate_limiter: RateLimiter | None = None,
    ) -> None:
        if session is not None and transport is not None:
            raise SDKException("pass either session or transport, not both")
        if session is not None and not isinstance(session, requests.Session):
            raise SDKException(f"session must be a requests.Session, got {type(session).__name__}")
        credentials = Credentials(host, api_key, secret) if host is not None else None
        if host is None and (api_key is not None or secret is not None):
            raise SDKException("api_key and secret need a host: BybitAPI(host, api_key, secret)")
        self._context = ClientContext(
            credentials,
            transport if transport is not None else RequestsTransport(session),
            Timeout.of(timeout),
            recv_window,
            retry=retry,
            time_sync=TimeSync() if time_sync is True else (time_sync or None),
            limiter=rate_limiter,
        )

    def set_credentials(self, host: str, api_key: str | None = None, secret: str | None = None) -> Self:
        """Set host, key and secret of this client (5.x style, fluent)."""
        self._context.credentials = Credentials(host, api_key, secret)
        return self

    def sync_time(self) -> int:
        """Measure the exchange's clock now; return (and use from now on) the offset in ms."""
        sync = self._context.time_sync or TimeSync(interval=None)
        return sync.sync(self._context).offset_ms

    @property
    def clock_offset_ms(self) -> int:
        """Milliseconds added to the local clock when signing (0 until a time sync)."""
        return self._context.clock_offset_ms

    @property
    def context(self) -> ClientContext:
        """The client's pipeline state (credentials, transport, timeouts, clock offset)."""
        return self._context

    @overload
    def rest(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        mode: Literal[EnumOutputMode.MODE_ENTITY] = ...,
    ) -> RestResponse[R]: ...

    @overload
    def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: Literal[EnumOutputMode.MODE_ARRAY]
    ) -> RestResponse[Any]: ...

    @overload
    def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: Literal[EnumOutputMode.MODE_JSON]
    ) -> RestResponse[str]: ...

    @overload
    def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: EnumOutputMode
    ) -> RestResponse[Any]: ...

    def rest(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY,
    ) -> RestResponse[Any]:
        """Call an endpoint (3.x style). Unlike PHP 3.0.5, exchange errors are raised, not swallowed."""
        return RestBuilder.make(endpoint, parameters, self._context).execute(EnumOutputMode(mode))

    def paginate(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        *,
        max_items: int | None = None,
        max_pages: int = 100,
    ) -> Iterator[R]:
        """Every item of a cursor-paged endpoint, page after page, bounded by ``max_items`` and
        ``max_pages``. Pages are fetched lazily, as the iterator is consumed."""
        first = RestBuilder.make(endpoint, parameters, self._context).parameters

        def fetch(page: Q) -> RestResponse[R]:
            return self.rest(endpoint, page)

        return iterate_pages(fetch, first, max_items=max_items, max_pages=max_pages)

    def private_endpoint(
        self, endpoint: type[PrivateEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound private endpoint; call ``.execute()`` on it (5.x style).

        Raises ``SDKException`` at once if host, key or secret is missing.
        """
        credentials = self._context.credentials
        if credentials is None or not credentials.can_sign:
            raise SDKException(
                "private_endpoint() needs host, api_key and secret: call set_credentials() first"
            )
        bound = RestBuilder.make(endpoint, parameters, self._context)
        if not bound.IS_PRIVATE:
            raise SDKException(f"{endpoint.__name__} is a public endpoint: use public_endpoint()")
        return bound

    def public_endpoint(
        self, endpoint: type[PublicEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound public endpoint; call ``.execute()`` on it (5.x style)."""
        if self._context.credentials is None:
            raise SDKException("public_endpoint() needs a host: call set_credentials(host) first")
        bound = RestBuilder.make(endpoint, parameters, self._context)
        if bound.IS_PRIVATE:
            raise SDKException(f"{endpoint.__name__} is a private endpoint: use private_endpoint()")
        return bound

    def close(self) -> None:
        """Close pooled connections."""
        self._context.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"BybitAPI({self._context.credentials!r}, recv_window={self._context.recv_window})"
