"""The sandbox without a socket: a ``Transport`` that hands each request straight to the sandbox's
application, for tests that must not open ports (or want no thread per connection)::

    ex = SandboxExchange(api_keys={"key": "secret"})            # never started
    api = BybitAPI(ex.url_or_placeholder, "key", "secret", transport=ex.transport())

The request goes through exactly the pipeline a socket request goes through (faults, routing,
authentication, rate limit, parameters, the state), so answers are byte for byte the same. Faults
behave as a client on a socket sees them: ``drop`` raises the ``TransportException`` the SDK's
socket transport raises for a connection lost after sending; ``latency`` longer than the read
timeout raises ``TimeoutException`` after that timeout (the exchange still acts on the request,
as it does behind a socket). The host part of the URL is ignored; the path and query are used.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from requests.structures import CaseInsensitiveDict

from carpenstar_bybit.core.exceptions import TimeoutException, TransportException
from carpenstar_bybit.core.transport import Timeout, Transport, WireRequest, WireResponse
from carpenstar_bybit.sandbox._app import IncomingRequest, SandboxApp
from carpenstar_bybit.sandbox._envelope import Reply
from carpenstar_bybit.sandbox._server import body_too_large

__all__ = ["SandboxTransport"]

#: What ``SandboxExchange.url_or_placeholder`` gives while the sandbox has no socket: a host that
#: can never resolve (RFC 2606), so a request that escapes the in-memory transport fails at once.
PLACEHOLDER_URL = "http://sandbox.invalid"


class SandboxTransport(Transport):
    """Sends requests to a ``SandboxExchange`` in this process, without a socket.

    Get one from ``SandboxExchange.transport()``; any number may share one exchange. ``close()`` is
    a no-op (nothing is held), and the transport keeps working after it, as the exchange does.
    """

    def __init__(self, app: SandboxApp, max_body: int) -> None:
        self._app = app
        self._max_body = max_body

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        parts = urlsplit(request.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = request.body or b""
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(request.headers)
        if body:
            headers["Content-Length"] = str(len(body))
        if len(body) > self._max_body:
            return _wire(body_too_large(self._max_body))
        reply, timed_out = self._app.serve(
            IncomingRequest(request.method, target, headers, body), max_wait=timeout.read
        )
        if timed_out:
            raise TimeoutException(
                f"no answer within the read timeout of {timeout.read}s",
                method=request.method,
                path=parts.path,
            )
        if reply is None:
            raise TransportException(
                "connection lost after sending, outcome unknown: the sandbox dropped the connection",
                method=request.method,
                path=parts.path,
            )
        return _wire(reply, head=request.method == "HEAD")

    def __repr__(self) -> str:
        return "SandboxTransport()"


def _wire(reply: Reply, *, head: bool = False) -> WireResponse:
    """The answer as the HTTP server would put it on the wire (same headers, same body)."""
    headers: CaseInsensitiveDict[str] = CaseInsensitiveDict()
    headers["Content-Type"] = reply.content_type
    headers["Content-Length"] = str(len(reply.body))
    headers.update(reply.headers)
    if reply.close:
        headers["Connection"] = "close"
    return WireResponse(reply.status, headers, b"" if head else reply.body)
