"""What the two urllib3-based transports share (``RequestsTransport`` sends through urllib3 too).

* ``ERRORS``: the one table that maps urllib3's exceptions (also when ``requests`` wraps them) to the
  SDK's, and ``transport_error`` that applies it;
* deadlines: connection and pool classes that let a watchdog thread cut a connection whose call has
  run past its ``WireRequest.deadline`` (a server trickling one byte per read timeout would
  otherwise hold a call for as long as it likes);
* ``read_body``: the answer's raw bytes, bounded, then decompressed by ``decode_body``;
* the CA bundle and proxy settings of the environment, read as ``requests`` reads them.
"""

from __future__ import annotations

import heapq
import itertools
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import urllib3
import urllib3.connection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ProxyError,
    ReadTimeoutError,
    SSLError,
)

from carpenstar_bybit.core.exceptions import (
    ConnectionFailedException,
    ResponseFormatException,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.core.transport import (
    MAX_BODY_BYTES,
    ErrorTable,
    Timeout,
    WireRequest,
    deadline_passed,
    decode_body,
    transport_error,
)

__all__ = [
    "CA_BUNDLE_VARS",
    "ERRORS",
    "WATCHED_POOL_CLASSES",
    "ca_bundle",
    "close_pool_manager",
    "deadline_guard",
    "read_body",
    "urllib3_error",
]

CA_BUNDLE_VARS = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
_CHUNK = 1024 * 1024

#: urllib3 exception -> (SDK exception, what it means). First match wins: subclasses come first.
ERRORS: ErrorTable = (
    (NewConnectionError, ConnectionFailedException, "could not connect"),
    (ConnectTimeoutError, ConnectionFailedException, "could not connect"),
    (ProxyError, ConnectionFailedException, "could not connect through the proxy"),
    (SSLError, ConnectionFailedException, "TLS handshake failed"),
    (ReadTimeoutError, TimeoutException, "no answer within the read timeout"),
    (ProtocolError, TransportException, "connection lost after sending, outcome unknown"),
    (HTTPError, TransportException, "request failed"),
)


def ca_bundle() -> str | None:
    """The CA bundle the environment names (``REQUESTS_CA_BUNDLE``, ``CURL_CA_BUNDLE``), if any."""
    for var in CA_BUNDLE_VARS:
        bundle = os.environ.get(var)
        if bundle:
            return bundle
    return None


def _cause(exc: BaseException) -> BaseException:
    """The urllib3 exception behind ``exc`` (``requests`` wraps them; ``MaxRetryError`` has a reason)."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            break
        if isinstance(seen, MaxRetryError) and isinstance(seen.reason, BaseException):
            return seen.reason
        if isinstance(seen, HTTPError):
            return seen
        inner = seen.args[0] if seen.args and isinstance(seen.args[0], BaseException) else None
        seen = inner if inner is not None else seen.__context__
    return exc


def urllib3_error(
    exc: BaseException, request: WireRequest, timeout: Timeout, guard: _Guard | None = None
) -> TransportException:
    """The SDK exception for a failure of ``request``: by ``ERRORS``, or a deadline that passed."""
    if guard is not None and guard.fired:
        return deadline_passed(request)
    cause = _cause(exc)
    shown = cause
    if isinstance(cause, ProtocolError) and len(cause.args) > 1 and isinstance(cause.args[1], BaseException):
        shown = cause.args[1]  # ('Connection aborted.', RemoteDisconnected(...))
    return transport_error(cause, ERRORS, request, timeout, shown)


def read_body(response: Any) -> bytes:
    """The whole body of a urllib3 response read with ``preload_content=False``: at most
    ``MAX_BODY_BYTES`` on the wire and once decompressed (``ResponseFormatException`` past that); a
    body cut short raises urllib3's ``ProtocolError``. The connection goes back to its pool only
    when the body was read to its end."""
    try:
        length = response.length_remaining
        if length is not None and length <= MAX_BODY_BYTES:
            raw = response.read(decode_content=False)  # the common case: one read of a known length
        else:
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK, decode_content=False):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    response.close()  # unread bytes remain: the connection cannot be reused
                    raise ResponseFormatException(f"the answer is larger than {MAX_BODY_BYTES} bytes")
                chunks.append(chunk)
            raw = b"".join(chunks)
        return decode_body(response.headers.get("Content-Encoding"), raw)
    finally:
        response.release_conn()


def close_pool_manager(manager: Any) -> None:
    """Close every connection pool of a urllib3 ``PoolManager``, then forget them.

    ``PoolManager.clear()`` of urllib3 2 only forgets its pools: their sockets stay open until the
    pools are garbage collected, which an exception still held somewhere can delay indefinitely.
    """
    pools = manager.pools
    for key in list(pools.keys()):
        pool = pools.get(key)
        if pool is not None:
            pool.close()
    manager.clear()


# ------------------------------------------------------------------------------------ deadlines


class _Guard:
    """One call's watch: the connection it is using, and whether its deadline passed."""

    __slots__ = ("active", "connection", "deadline", "fired")

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.connection: urllib3.connection.HTTPConnection | None = None
        self.fired = False
        self.active = True

    def cut(self) -> None:
        """Shut the connection's socket down: a read blocked on it returns at once."""
        self.fired = True
        connection = self.connection
        sock = getattr(connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Watchdog:
    """One daemon thread for the process: cuts the connections of calls past their deadline."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, _Guard]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def watch(self, guard: _Guard) -> None:
        with self._wake:
            heapq.heappush(self._heap, (guard.deadline, next(self._order), guard))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="carpenstar-bybit-deadlines", daemon=True
                )
                self._thread.start()
            elif self._heap[0][2] is guard:
                self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._heap and not self._heap[0][2].active:
                    heapq.heappop(self._heap)
                if not self._heap:
                    if not self._wake.wait(60.0) and not self._heap:
                        self._thread = None
                        return
                    continue
                deadline, _, guard = self._heap[0]
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._wake.wait(wait)
                    continue
                heapq.heappop(self._heap)
                if guard.active:
                    guard.cut()


_WATCHDOG = _Watchdog()
_current = threading.local()


@contextmanager
def deadline_guard(deadline: float | None) -> Iterator[_Guard | None]:
    """Watch the connection this thread uses inside the block: past ``deadline`` it is cut."""
    if deadline is None:
        yield None
        return
    guard = _Guard(deadline)
    _current.guard = guard
    _WATCHDOG.watch(guard)
    try:
        yield guard
    finally:
        guard.active = False
        guard.connection = None
        _current.guard = None


def _watch(connection: urllib3.connection.HTTPConnection) -> None:
    guard: _Guard | None = getattr(_current, "guard", None)
    if guard is not None and guard.active:
        guard.connection = connection
        if guard.fired:
            guard.cut()


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self)
        super().request(*args, **kwargs)


class _WatchedHTTPConnectionPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


#: For ``PoolManager.pool_classes_by_scheme``: pools whose connections the deadline watchdog can cut.
WATCHED_POOL_CLASSES: dict[str, type[urllib3.HTTPConnectionPool]] = {
    "http": _WatchedHTTPConnectionPool,
    "https": _WatchedHTTPSConnectionPool,
}
