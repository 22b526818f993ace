"""Both clients behind one test interface, so that the same test runs against ``BybitAPI`` and
``AsyncBybitAPI`` (parametrise a test with ``@pytest.mark.parametrize("kind", KINDS)``).

The async client lives on an event loop of its own in a background thread, for the whole test, so
that its connection pool is kept between calls as a real asyncio program keeps it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from carpenstar_bybit import AsyncBybitAPI, BybitAPI, EnumOutputMode
from carpenstar_bybit.core.client import ClientContext
from carpenstar_bybit.core.objects.rest_response import RestResponse

KINDS = ["sync", "async"]
T = TypeVar("T")


class EventLoopThread:
    """An event loop running in a daemon thread; ``run`` waits for a coroutine's result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Awaitable[T], timeout: float = 60.0) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)  # type: ignore[arg-type]

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class Client:
    """One interface over either client: the calls of the 3.x and 5.x styles, and pagination."""

    def __init__(self, kind: str, api: BybitAPI | AsyncBybitAPI, loop: EventLoopThread | None) -> None:
        self.kind = kind
        self.api = api
        self._loop = loop

    def _wait(self, call: Callable[[], Any]) -> Any:
        if self._loop is None:
            return call()
        return self._loop.run(call())

    @property
    def context(self) -> ClientContext:
        return self.api.context

    def rest(
        self, endpoint: Any, request: Any = None, mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY
    ) -> RestResponse[Any]:
        return self._wait(lambda: self.api.rest(endpoint, request, mode))  # type: ignore[no-any-return]

    def private(self, endpoint: Any, request: Any = None) -> RestResponse[Any]:
        return self._wait(lambda: self.api.private_endpoint(endpoint, request).execute())  # type: ignore[no-any-return]

    def public(self, endpoint: Any, request: Any = None) -> RestResponse[Any]:
        return self._wait(lambda: self.api.public_endpoint(endpoint, request).execute())  # type: ignore[no-any-return]

    def paginate(self, endpoint: Any, request: Any = None, **bounds: Any) -> list[Any]:
        if isinstance(self.api, BybitAPI):
            return list(self.api.paginate(endpoint, request, **bounds))
        api = self.api

        async def collect() -> list[Any]:
            return [item async for item in api.paginate(endpoint, request, **bounds)]

        return self._wait(collect)  # type: ignore[no-any-return]

    def sync_time(self) -> int:
        return self._wait(self.api.sync_time)  # type: ignore[no-any-return]


@contextmanager
def client(
    kind: str, host: str | None = None, api_key: str | None = None, secret: str | None = None, **options: Any
) -> Iterator[Client]:
    """A ``Client`` of ``kind`` ("sync" or "async"), closed afterwards."""
    if kind == "sync":
        with BybitAPI(host, api_key, secret, **options) as api:
            yield Client(kind, api, None)
        return
    loop = EventLoopThread()
    try:
        api = AsyncBybitAPI(host, api_key, secret, **options)
        try:
            yield Client(kind, api, loop)
        finally:
            loop.run(api.aclose())
    finally:
        loop.close()
