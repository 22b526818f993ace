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

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.builders import RestBuilder
from carpenstar_bybit.core.client import DEFAULT_RECV_WINDOW, ClientContext, SyncRunner, run
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.endpoints import (
    Endpoint,
    PrivateEndpoint,
    PublicEndpoint,
    checked_request,
    output_mode,
)
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.limiter import RateLimiter
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.pagination import iterate_pages
from carpenstar_bybit.core.redact import Secret
from carpenstar_bybit.core.requests_transport import RequestsTransport
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.transport import DEFAULT_TIMEOUT, Timeout, Transport

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["BybitAPI"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


def _secret(value: Any) -> Any:
    """``value`` held in a ``Secret`` if it is text (a PEM as bytes too); other values are left for
    the checks to refuse."""
    if isinstance(value, bytes) and value.isascii():
        value = value.decode("ascii")
    return Secret(value) if isinstance(value, str) else value


class BybitAPI:
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
    ) -> None:
        # Held in Secrets at once: a traceback captured with its locals shows no credential.
        api_key, secret, private_key = _secret(api_key), _secret(secret), _secret(private_key)
        if session is not None and transport is not None:
            raise SDKException("pass either session or transport, not both")
        if session is not None and not isinstance(session, requests.Session):
            raise SDKException(f"session must be a requests.Session, got {type(session).__name__}")
        if transport is not None and not isinstance(transport, Transport):
            raise SDKException(f"transport must be a Transport, got {type(transport).__name__}")
        if host is None and (api_key is not None or secret is not None or private_key is not None):
            raise SDKException("api_key and secret need a host: BybitAPI(host, api_key, secret)")
        credentials = (
            Credentials(host, api_key, secret, private_key=private_key) if host is not None else None
        )
        context = ClientContext(
            credentials,
            Timeout.of(timeout),
            recv_window,
            retry=retry,
            time_sync=TimeSync() if time_sync is True else (time_sync or None),
            limiter=rate_limiter,
        )
        self._runner = SyncRunner(context, transport if transport is not None else RequestsTransport(session))

    def set_credentials(
        self,
        host: str,
        api_key: str | None = None,
        secret: str | None = None,
        *,
        private_key: str | bytes | None = None,
    ) -> Self:
        """Set host, key and secret (or RSA private key) of this client (5.x style, fluent)."""
        api_key, secret, private_key = _secret(api_key), _secret(secret), _secret(private_key)
        self._runner.context.credentials = Credentials(host, api_key, secret, private_key=private_key)
        return self

    def sync_time(self) -> int:
        """Measure the exchange's clock now; return (and use from now on) the offset in ms.

        Uses the ``TimeSync`` path if one was given, else ``GET /v5/market/time``.
        """
        context = self._runner.context
        return run(context.sync_clock(), self._runner.transport, context.timeout).offset_ms

    @property
    def clock_offset_ms(self) -> int:
        """Milliseconds added to the local clock when signing (0 until a time sync)."""
        return self._runner.context.clock_offset_ms

    @property
    def context(self) -> ClientContext:
        """The client's settings and state (credentials, timeouts, retry policy, clock offset)."""
        return self._runner.context

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
        return self._runner.call(endpoint, checked_request(endpoint, parameters), output_mode(mode))

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
        first = checked_request(endpoint, parameters)
        runner, mode = self._runner, EnumOutputMode.MODE_ENTITY

        def fetch(page: Q) -> RestResponse[R]:
            return runner.call(endpoint, page, mode)

        return iterate_pages(fetch, first, max_items=max_items, max_pages=max_pages)

    def private_endpoint(
        self, endpoint: type[PrivateEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound private endpoint; call ``.execute()`` on it (5.x style).

        Raises ``SDKException`` at once if host, key or secret is missing.
        """
        credentials = self._runner.context.credentials
        if credentials is None or not credentials.can_sign:
            raise SDKException(
                "private_endpoint() needs host, api_key and secret: call set_credentials() first"
            )
        bound = RestBuilder.make(endpoint, parameters, self._runner)
        if not bound.IS_PRIVATE:
            raise SDKException(f"{endpoint.__name__} is a public endpoint: use public_endpoint()")
        return bound

    def public_endpoint(
        self, endpoint: type[PublicEndpoint[Q, R]], parameters: Q | None = None
    ) -> Endpoint[Q, R]:
        """A bound public endpoint; call ``.execute()`` on it (5.x style)."""
        if self._runner.context.credentials is None:
            raise SDKException("public_endpoint() needs a host: call set_credentials(host) first")
        bound = RestBuilder.make(endpoint, parameters, self._runner)
        if bound.IS_PRIVATE:
            raise SDKException(f"{endpoint.__name__} is a private endpoint: use private_endpoint()")
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

    def __repr__(self) -> str:
        runner = getattr(self, "_runner", None)  # None while __init__ has not finished
        if runner is None:
            return "BybitAPI(<not initialised>)"
        return f"BybitAPI({runner.context.credentials!r}, recv_window={runner.context.recv_window})"
