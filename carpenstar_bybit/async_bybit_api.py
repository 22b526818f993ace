"""``AsyncBybitAPI``: the asyncio twin of ``BybitAPI``, over the same endpoints, DTOs and exceptions.

::

    async with AsyncBybitAPI(Hosts.TESTNET, api_key, secret) as api:
        resp = await api.rest(CancelOrder, request)                          # 3.x style
        resp = await api.private_endpoint(CancelOrder, request).execute()    # 5.x style
        async for order in api.paginate(GetOpenOrders, open_orders):
            ...

Every rule runs in the same core as the sync client's (``ClientContext.steps``): validation,
signing, clock sync, the rate limiter, parsing and the retry decision. Only the I/O differs: an
``AsyncTransport`` (``aiohttp`` by default: ``pip install "carpenstar-bybit[async]"``) and
``asyncio.sleep``. One client serves any number of concurrent tasks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from carpenstar_bybit.core.async_client import AsyncEndpointCall, AsyncRunner, arun
from carpenstar_bybit.core.builders import RestBuilder
from carpenstar_bybit.core.client import DEFAULT_RECV_WINDOW
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.endpoints import Endpoint, PrivateEndpoint, PublicEndpoint, output_mode
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.facade import ClientBase, held
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.pagination import PageWalk
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.transport import DEFAULT_TIMEOUT, AsyncTransport, Timeout

if TYPE_CHECKING:
    from typing_extensions import Self

    from carpenstar_bybit.core.limiter import RateLimiter

__all__ = ["AsyncBybitAPI"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


def _default_transport() -> AsyncTransport:
    try:
        from carpenstar_bybit.core.aiohttp_transport import AiohttpTransport
    except ImportError:
        raise SDKException(
            "AsyncBybitAPI needs aiohttp: pip install 'carpenstar-bybit[async]' (or pass transport=)"
        ) from None
    return AiohttpTransport()


class AsyncBybitAPI(ClientBase):
    """A Bybit REST client for asyncio. Credentials belong to this instance only.

    The options are ``BybitAPI``'s (``host``, ``api_key``, ``secret`` or ``private_key``,
    ``recv_window``, ``timeout``, ``retry``, ``time_sync``, ``rate_limiter``, ``v3_over_v5``), with
    ``transport`` an ``AsyncTransport`` (default: one pooled keep-alive ``aiohttp`` session,
    created in the running event loop on the first call). Close it with ``await api.aclose()`` or
    ``async with``.
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
        transport: AsyncTransport | None = None,
        retry: RetryPolicy | None = None,
        time_sync: bool | TimeSync = False,
        rate_limiter: RateLimiter | None = None,
        v3_over_v5: bool | None = None,
    ) -> None:
        # Held in Secrets at once: a traceback captured with its locals shows no credential.
        api_key, secret, private_key = held(api_key), held(secret), held(private_key)
        if transport is not None and not isinstance(transport, AsyncTransport):
            raise SDKException(f"transport must be an AsyncTransport, got {type(transport).__name__}")
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
        self._runner = AsyncRunner(
            self._context, transport if transport is not None else _default_transport()
        )

    @property
    def transport(self) -> AsyncTransport:
        """The transport calls go through."""
        return self._runner.transport

    async def sync_time(self) -> int:
        """Measure the exchange's clock now; return (and use from now on) the offset in ms."""
        context = self._context
        return (await arun(context.sync_clock(), self._runner.transport, context.timeout)).offset_ms

    @overload
    async def rest(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        mode: Literal[EnumOutputMode.MODE_ENTITY] = ...,
    ) -> RestResponse[R]: ...

    @overload
    async def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: Literal[EnumOutputMode.MODE_ARRAY]
    ) -> RestResponse[Any]: ...

    @overload
    async def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: Literal[EnumOutputMode.MODE_JSON]
    ) -> RestResponse[str]: ...

    @overload
    async def rest(
        self, endpoint: type[Endpoint[Q, R]], parameters: Q | None, mode: EnumOutputMode
    ) -> RestResponse[Any]: ...

    async def rest(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY,
    ) -> RestResponse[Any]:
        """Call an endpoint (3.x style); exchange errors are raised, not swallowed."""
        return await self._runner.call(endpoint, RestBuilder.check(endpoint, parameters), output_mode(mode))

    async def paginate(
        self,
        endpoint: type[Endpoint[Q, R]],
        parameters: Q | None = None,
        *,
        max_items: int | None = None,
        max_pages: int = 100,
    ) -> AsyncIterator[R]:
        """Every item of a cursor-paged endpoint, page after page (fetched as the loop goes),
        bounded by ``max_items`` and ``max_pages``: ``async for item in api.paginate(...)``."""
        walk: PageWalk[Q] = PageWalk(
            RestBuilder.check(endpoint, parameters), max_items=max_items, max_pages=max_pages
        )
        runner, mode = self._runner, EnumOutputMode.MODE_ENTITY
        while (page := walk.next_page()) is not None:
            response: RestResponse[R] = await runner.call(endpoint, page, mode)
            for item in walk.items_of(response):
                yield item
            walk.check()

    def private_endpoint(
        self, endpoint: type[PrivateEndpoint[Q, R]], parameters: Q | None = None
    ) -> AsyncEndpointCall[Q, R]:
        """A bound private endpoint; ``await`` its ``.execute()`` (5.x style).

        Raises ``SDKException`` at once if host, key or secret is missing.
        """
        self._require_signing()
        checked = RestBuilder.check(endpoint, parameters)
        self._require_access(endpoint, private=True)
        return AsyncEndpointCall(self._runner, endpoint, checked)

    def public_endpoint(
        self, endpoint: type[PublicEndpoint[Q, R]], parameters: Q | None = None
    ) -> AsyncEndpointCall[Q, R]:
        """A bound public endpoint; ``await`` its ``.execute()`` (5.x style)."""
        self._require_host()
        checked = RestBuilder.check(endpoint, parameters)
        self._require_access(endpoint, private=False)
        return AsyncEndpointCall(self._runner, endpoint, checked)

    async def aclose(self) -> None:
        """Close pooled connections."""
        await self._runner.transport.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()
