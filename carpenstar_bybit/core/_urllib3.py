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

import os
import socket
import threading
import time
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
    BoundedBody,
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
    "WATCHDOG",
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
            body = BoundedBody()
            try:
                while chunk := response.read(_CHUNK, decode_content=False):
                    body.add(chunk)
            except ResponseFormatException:
                response.close()  # unread bytes remain: the connection cannot be reused
                raise
            raw = body.joined()
        return decode_body(response.headers.get("Content-Encoding"), raw)
    finally:
        guard: _Guard | None = getattr(_current, "guard", None)
        if guard is not None:
            _WATCHDOG.release(guard)
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


class deadline_guard:
    """One call's watch: ``with deadline_guard(deadline) as guard:`` watches the connection this
    thread uses inside the block, and past ``deadline`` cuts it (``guard`` is ``None`` without a
    deadline). ``fired`` says whether that happened."""

    __slots__ = ("active", "connection", "deadline", "fired")

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.connection: urllib3.connection.HTTPConnection | None = None
        self.fired = False
        self.active = False

    def __enter__(self) -> deadline_guard | None:
        if self.deadline is None:
            return None
        _current.guard = self
        _WATCHDOG.watch(self)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.deadline is not None:
            _WATCHDOG.release(self)
            _current.guard = None

    def cut(self) -> None:
        """Shut the connection's socket down: a read blocked on it returns at once (called by the
        watchdog, under its lock, so never on a connection ``release`` has handed back)."""
        self.fired = True
        sock = getattr(self.connection, "sock", None)
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


_Guard = deadline_guard


class _Watchdog:
    """One daemon thread for the process: cuts the connections of calls past their deadline.

    Calls register while they wait for an answer (a set add and discard, no heap of every call ever
    made); the thread looks at the registered ones every ``TICK`` seconds while there are any, so a
    deadline is enforced within a tick, and sleeps (then exits) when there are none. One lock orders
    a cut and a call's release of its connection, so a connection back in its pool is never cut.
    """

    TICK = 0.05

    def __init__(self) -> None:
        self._active: set[_Guard] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        #: Open transports that may call ``watch``: with none left and no call in progress, the
        #: thread ends at once (a closed client leaves no thread behind).
        self._users = 0

    def use(self) -> None:
        """A transport that may watch calls was opened."""
        with self._lock:
            self._users += 1

    def unuse(self) -> None:
        """Such a transport was closed."""
        with self._lock:
            self._users = max(0, self._users - 1)
            if not self._users:
                self._wake.set()

    def watch(self, guard: _Guard) -> None:
        with self._lock:
            guard.active = True
            self._active.add(guard)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="carpenstar-bybit-deadlines", daemon=True
                )
                self._thread.start()
            elif len(self._active) == 1:
                self._wake.set()

    def release(self, guard: _Guard) -> None:
        """The call is over with its connection (before it goes back to the pool)."""
        with self._lock:
            guard.active = False
            guard.connection = None
            self._active.discard(guard)

    def _run(self) -> None:
        idle_since = time.monotonic()
        while True:
            now = time.monotonic()
            with self._lock:
                due = [
                    guard for guard in self._active if guard.deadline is not None and guard.deadline <= now
                ]
                for guard in due:
                    self._active.discard(guard)
                    guard.cut()
                busy = bool(self._active)
                if not busy and (not self._users or now - idle_since > 60.0):
                    self._thread = None
                    return
            if busy:
                idle_since = now
                time.sleep(self.TICK)
            else:
                self._wake.wait(1.0)
                self._wake.clear()


_WATCHDOG = WATCHDOG = _Watchdog()
_current = threading.local()


def _watch(connection: urllib3.connection.HTTPConnection) -> None:
    guard: _Guard | None = getattr(_current, "guard", None)
    if guard is not None and guard.active:
        guard.connection = connection
        if guard.fired:  # the deadline passed before this connection was in use (connect, pool)
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
