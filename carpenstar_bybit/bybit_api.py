"""The facade (PHP ``Carpenstar\\ByBitAPI\\BybitAPI``), with both PHP usage styles.

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

from carpenstar_bybit.core.builders import RestBuilder
from carpenstar_bybit.core.client import DEFAULT_RECV_WINDOW, SyncRunner, run
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.endpoints import (
    Endpoint,
    PrivateEndpoint,
    PublicEndpoint,
    output_mode,
)
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.facade import ClientBase, held
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.requests_transport import RequestsTransport
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.transport import DEFAULT_TIMEOUT, Timeout, Transport

if TYPE_CHECKING:
    from typing_extensions import Self

    from carpenstar_bybit.core.limiter import RateLimiter

__all__ = ["BybitAPI"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class BybitAPI(ClientBase):
    """A Bybit REST client. Credentials belong to this instance only.

    :param host: base URL (``Hosts.MAINNET``, ``Hosts.TESTNET``, a sandbox's ``url``...).
    :param api_key: API key; with ``secret``, enables private endpoints.
    :param secret: API secret (HMAC keys); never shown in any ``repr``, log line or exception.
    :param private_key: instead of ``secret``, for API keys created from your own RSA key pair: the
        RSA private key in PEM (needs the ``rsa`` extra: ``pip install "carpenstar-bybit[rsa]"``).
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
    :param v3_over_v5: ``True`` sends each V3 endpoint of ``carpenstar_bybit.derivatives`` over its
        V5 route and reads the answer back into the same V3 DTO; ``False`` sends V3 as written;
        ``None`` (default): ``True`` on Bybit's own hosts (Bybit has switched its V3 routes off),
        ``False`` elsewhere (a sandbox, a server of your own). ``bridges_v3`` tells what was decided.
    """

    def __init__(
        self,
        host: str | None = None,
        api_key: str | None = None,
        secret: str | None = None,
        *,
        private_key: str | bytes | None = None,
        recv_window: int = DEFAULT_RECV_WINDOW,
        timeout: Timeout | float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
        transport: Transport | None = None,
        retry: RetryPolicy | None = None,
        time_sync: bool | TimeSync = False,
        rate_limiter: RateLimiter | None = None,
        v3_over_v5: bool | None = None,
    ) -> None:
        # Held in Secrets at once: a traceback captured with its locals shows no credential.
        api_key, secret, private_key = held(api_key), held(secret), held(private_key)
        if session is not None and transport is not None:
            raise SDKException("pass either session or transport, not both")
        if session is not None and not isinstance(session, requests.Session):
            raise SDKException(f"session must be a requests.Session, got {type(session).__name__}")
        if transport is not None and not isinstance(transport, Transport):
            raise SDKException(f"transport must be a Transport, got {type(transport).__name__}")
        self._context = self._make_context(
            host,
            api_key,
            secret,
            private_key,
            recv_window=recv_window,
            timeout=timeout,
            retry=retry,
            time_sync=time_sync,
            rate_limiter=rate_limiter,
            v3_over_v5=v3_over_v5,
        )
        self._runner = SyncRunner(
            self._context, transport if transport is not None else RequestsTransport(session)
        )

    def sync_time(self) -> int:
        """Measure the exchange's clock now; return (and use from now on) the offset in ms.

        Uses the ``TimeSync`` path if one was given, else ``GET /v5/market/time``.
        """
        context = self._context
        return run(context.sync_clock(), self._runner.transport, context.timeout).offset_ms

    @property
    def transport(self) -> Transport:
        """The transport calls go through."""
        return self._runner.transport

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
        return self._runner.call(endpoint, RestBuilder.check(endpoint, parameters), output_mode(mode))

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
        first = RestBuilder.check(endpoint, parameters)
        runner, mode = self._runner, EnumOutputMode.MODE_ENTITY

        def fetch(page: Q) -> RestResponse[R]:
            return runner.call(endpoint, page, mode)

        from carpenstar_bybit.core.pagination import iterate_pages  # loaded by the first walk

        return iterate_pages(fetch, first, max_items=max_items, max_pages=max_pages)

    def private_endpoint(
        self, endpoint: type[PrivateEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound private endpoint; call ``.execute()`` on it (5.x style).

        Raises ``SDKException`` at once if host, key or secret is missing.
        """
        self._require_signing()
        bound = RestBuilder.make(endpoint, parameters, self._runner)
        self._require_access(endpoint, private=True)
        return bound

    def public_endpoint(
        self, endpoint: type[PublicEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound public endpoint; call ``.execute()`` on it (5.x style)."""
        self._require_host()
        bound = RestBuilder.make(endpoint, parameters, self._runner)
        self._require_access(endpoint, private=False)
        return bound

    def close(self) -> None:
        """Close pooled connections."""
        self._runner.transport.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
