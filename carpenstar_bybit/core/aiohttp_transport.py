"""The asyncio transport: one pooled keep-alive ``aiohttp`` session per client (the ``async`` extra).

Chosen by measurement (``bench/run.py``): at 64 requests in flight against the local bench server,
raw ``aiohttp`` serves several times the requests per second of ``httpx``'s async client.

The same contract as the sync transports (``carpenstar_bybit.core.transport``): redirects are never
followed; a connect timeout, a read timeout between bytes and the request's ``deadline`` over the
whole exchange always apply; bodies are read raw, bounded, and decompressed by the SDK; failures map
to ``ConnectionFailedException`` (never sent), ``TimeoutException`` and ``TransportException``
(outcome unknown) through one table. A task cancelled while waiting leaves no half-read connection
in the pool: aiohttp closes a connection whose answer was not read to its end.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from typing import Any

import aiohttp

from carpenstar_bybit.core.exceptions import (
    ConnectionFailedException,
    ResponseFormatException,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.core.transport import (
    ACCEPT_ENCODING,
    MAX_BODY_BYTES,
    AsyncTransport,
    BoundedBody,
    ErrorTable,
    Timeout,
    WireRequest,
    WireResponse,
    deadline_passed,
    decode_body,
    transport_error,
)

__all__ = ["ERRORS", "AiohttpTransport"]

#: aiohttp exception -> (SDK exception, what it means). First match wins: subclasses come first.
ERRORS: ErrorTable = (
    (aiohttp.ClientConnectorError, ConnectionFailedException, "could not connect"),
    (aiohttp.ConnectionTimeoutError, ConnectionFailedException, "could not connect"),
    (aiohttp.SocketTimeoutError, TimeoutException, "no answer within the read timeout"),
    (aiohttp.ServerDisconnectedError, TransportException, "connection lost after sending, outcome unknown"),
    (aiohttp.ClientPayloadError, TransportException, "connection lost after sending, outcome unknown"),
    (aiohttp.ClientOSError, TransportException, "connection lost after sending, outcome unknown"),
    (aiohttp.ClientError, TransportException, "request failed"),
)
_CHUNK = 1024 * 1024


class AiohttpTransport(AsyncTransport):
    """An asyncio transport on one ``aiohttp.ClientSession`` (created on first use, in the running
    event loop).

    :param limit: connections kept open at most (all hosts together).
    :param headers: extra headers sent with every request (e.g. a ``User-Agent`` of your own).

    Proxies from the environment (``HTTP(S)_PROXY``, ``NO_PROXY``) apply, read once per origin.
    """

    def __init__(self, *, limit: int = 100, headers: dict[str, str] | None = None) -> None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"limit must be an int >= 1, got {limit!r}")
        self._limit = limit
        self._headers = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    def _open(self) -> aiohttp.ClientSession:
        session = self._session
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(limit=self._limit, limit_per_host=self._limit)
            # No session-level headers: merging them costs on every request; ours go with each one.
            session = self._session = aiohttp.ClientSession(
                connector=connector, auto_decompress=False, trust_env=False
            )
        return session

    def _proxy_for(self, origin: str) -> str | None:
        if origin not in self._proxies:
            host = origin.partition("://")[2]
            proxies = urllib.request.getproxies_environment()
            scheme = origin.partition("://")[0]
            proxy = proxies.get(scheme) or proxies.get("all")
            if proxy and urllib.request.proxy_bypass(host):
                proxy = None
            self._proxies[origin] = proxy or None
        return self._proxies[origin]

    async def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        session = self._open()
        url = request.url
        origin = url[: url.find("/", url.find("://") + 3)] if url.count("/") > 2 else url
        total = None if request.deadline is None else max(0.001, request.deadline - time.monotonic())
        limits = aiohttp.ClientTimeout(total=total, connect=timeout.connect, sock_read=timeout.read)
        try:
            async with session.request(
                request.method,
                url,
                data=request.body,
                headers={**self._headers, **request.headers},
                allow_redirects=False,
                timeout=limits,
                proxy=self._proxy_for(origin),
            ) as response:
                body = await _read_body(response)
                return WireResponse(response.status, response.headers, body)
        except (aiohttp.ConnectionTimeoutError, aiohttp.SocketTimeoutError, aiohttp.ClientError) as exc:
            raise transport_error(exc, ERRORS, request, timeout) from None
        except asyncio.TimeoutError:
            raise deadline_passed(request) from None
        except (OSError, ValueError) as exc:
            raise transport_error(exc, ERRORS, request, timeout) from None

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None and not session.closed:
            await session.close()


async def _read_body(response: Any) -> bytes:
    """The answer's raw body, at most ``MAX_BODY_BYTES`` on the wire and once decompressed."""
    length = response.content_length
    if length is not None and length <= MAX_BODY_BYTES:
        raw: bytes = await response.read()
    else:
        body = BoundedBody()
        try:
            while chunk := await response.content.read(_CHUNK):
                body.add(chunk)
        except ResponseFormatException:
            response.close()  # unread bytes remain: the connection cannot be reused
            raise
        raw = body.joined()
    return decode_body(response.headers.get("Content-Encoding"), raw)
