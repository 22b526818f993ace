"""Canned answers for unit tests of your own code: no socket, no server.

::

    from carpenstar_bybit import BybitAPI, MockTransport, WireResponse

    def exchange(request):
        assert request.path == "/v5/order/cancel"
        return WireResponse.json({"retCode": 110001, "retMsg": "order not exists", "result": {}})

    api = BybitAPI("https://api.bybit.com", "key", "secret", transport=MockTransport(exchange))
    with pytest.raises(OrderNotFoundException):
        api.rest(CancelOrder, request)

The handler gets each ``WireRequest`` exactly as it would go on the wire (signed headers, body bytes)
and returns a ``WireResponse``, or raises a ``TransportException`` subclass to stand for a network
failure (``ConnectionFailedException``: never sent; ``TimeoutException``: outcome unknown). Every
request is kept in ``requests``. For a whole exchange with Bybit's rules, use the sandbox
(``carpenstar_bybit.sandbox.SandboxExchange``), which also runs without a socket.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Awaitable, Callable

from carpenstar_bybit.core.transport import AsyncTransport, Timeout, Transport, WireRequest, WireResponse

__all__ = ["AsyncMockTransport", "MockTransport"]


class MockTransport(Transport):
    """A transport that answers with ``handler(request)``."""

    def __init__(self, handler: Callable[[WireRequest], WireResponse]) -> None:
        self._handler = handler
        self._lock = threading.Lock()
        #: Every request sent, in order.
        self.requests: list[WireRequest] = []

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        with self._lock:
            self.requests.append(request)
        return self._handler(request)

    def __repr__(self) -> str:
        return f"MockTransport({len(self.requests)} requests)"


class AsyncMockTransport(AsyncTransport):
    """The asyncio twin of ``MockTransport``: ``handler`` may be a plain or an ``async`` function."""

    def __init__(self, handler: Callable[[WireRequest], WireResponse | Awaitable[WireResponse]]) -> None:
        self._handler = handler
        #: Every request sent, in order.
        self.requests: list[WireRequest] = []

    async def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        self.requests.append(request)
        answer = self._handler(request)
        if inspect.isawaitable(answer):
            return await answer
        return answer

    def __repr__(self) -> str:
        return f"AsyncMockTransport({len(self.requests)} requests)"
