"""The HTTP/1.1 plumbing of the sandbox: a threading server on loopback with keep-alive.

Each connection gets a daemon thread, and connections are capped (``max_connections``). A connection
must deliver each complete request (line, headers and body) within ``idle_timeout`` of the previous
answer (or of connecting): a reaper shuts down connections that are idle too long or send too
slowly, however they trickle their bytes. When the cap is reached, a new connection evicts the
connection that has waited longest for its next request (never one whose request is being served);
if every connection is busy, the newcomer gets a 503 JSON answer. The listen backlog is 1024, so a
burst of connects never waits for SYN retransmits. Every answer carries ``Content-Length``.

Whatever arrives (a garbage request line, oversized headers, a missing or lying
``Content-Length``, a huge body, chunked encoding) is answered with a Bybit-style JSON error and the
connection is closed, or the connection is simply closed when the client has gone.
``close_connections`` shuts every open connection down so that ``stop()`` never waits on a client.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.sandbox._app import IncomingRequest, SandboxApp, header_map, logger
from carpenstar_bybit.sandbox._envelope import Reply, envelope
from carpenstar_bybit.sandbox._errors import PARAMS_ERROR

__all__ = ["SandboxHTTPServer", "body_too_large", "default_max_connections"]

#: Bodies up to this size past the limit are read and discarded so the client sees the answer;
#: beyond it the connection is answered and closed without reading.
_DRAIN_LIMIT = 16 * 1024 * 1024
_CHUNK = 64 * 1024


#: File descriptors kept free for the listener, the reaper and whatever else the process opens.
_FD_RESERVE = 64
_REAPER_TICK = 0.05
_BACKLOG = 1024


def default_max_connections() -> int:
    """1024 client connections, or fewer when the process may open fewer files than that."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (ImportError, OSError, ValueError):  # pragma: no cover - not POSIX
        return 1024
    if soft == resource.RLIM_INFINITY:
        return 1024
    return max(8, min(1024, soft - _FD_RESERVE))


def _error_reply(status: int, message: str) -> Reply:
    body = envelope(PARAMS_ERROR, message, {}, now_ms())
    return Reply.json(body, status=status, close=True)


def body_too_large(limit: int) -> Reply:
    """The answer to a body over ``limit`` bytes (HTTP 413, a 10001 envelope, connection closed)."""
    return _error_reply(413, f"request body too large: at most {limit} bytes")


class _Handler(BaseHTTPRequestHandler):
    """One connection: reads complete requests and writes the app's answers."""

    protocol_version = "HTTP/1.1"
    server_version = "carpenstar-bybit-sandbox"
    # One segment per answer (status line, headers and body are buffered, flushed once per request)
    # and no Nagle delay: otherwise delayed ACKs add ~40 ms to every keep-alive request.
    wbufsize = 64 * 1024
    disable_nagle_algorithm = True
    server: SandboxHTTPServer

    def version_string(self) -> str:
        return self.server_version

    def handle_one_request(self) -> None:
        self.server.mark_waiting()
        super().handle_one_request()

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.client_address[0], *args)

    def _send(self, reply: Reply) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.close or self.close_connection:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(reply.body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Protocol errors (bad request line, headers too large, unsupported method...) as a Bybit-style
        JSON error; the connection is closed afterwards."""
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # so that the status line and headers are written
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        self.close_connection = True
        self._send(_error_reply(code, f"{code} {phrase}: {message or phrase}"))

    def _read_body(self) -> bytes | None:
        """The request body, or ``None`` when the request was answered or the client has gone."""
        if self.headers.get("Transfer-Encoding") is not None:
            self._send(_error_reply(411, "Transfer-Encoding is not supported: send a Content-Length"))
            return None
        lengths = self.headers.get_all("Content-Length") or []
        if not lengths:
            return b""
        text = lengths[0].strip()
        if len(set(lengths)) != 1 or not text.isdigit() or len(text) > 18:
            self._send(_error_reply(400, "Content-Length invalid"))
            return None
        length = int(text)
        limit = self.server.max_body
        if length > limit:
            if length <= _DRAIN_LIMIT and not self._drain(length):
                self.close_connection = True
                return None
            self._send(body_too_large(limit))
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True  # the client closed the connection mid-body
            return None
        return body

    def _drain(self, length: int) -> bool:
        left = length
        while left:
            chunk = self.rfile.read(min(left, _CHUNK))
            if not chunk:
                return False
            left -= len(chunk)
        return True

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        self.server.mark_busy()
        request = IncomingRequest(self.command, self.path, header_map(list(self.headers.items())), body)
        reply = self.server.app.handle(request)
        if reply is None:  # fault injection: drop the connection without an answer
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        self._send(reply)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve
    do_OPTIONS = _serve


class _Connection:
    """One client connection: its socket, and since when it waits for its next request (``None``
    while a request is being served)."""

    __slots__ = ("sock", "waiting_since")

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.waiting_since: float | None = time.monotonic()


def _hang_up(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that caps, times out and tracks its connections (see the module)."""

    daemon_threads = True
    block_on_close = False
    request_queue_size = _BACKLOG

    def __init__(
        self,
        address: tuple[str, int],
        app: SandboxApp,
        *,
        idle_timeout: float,
        max_body: int,
        max_connections: int,
    ) -> None:
        self.app = app
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self.max_connections = max_connections
        self._connections_lock = threading.Lock()
        self._connections: dict[threading.Thread, _Connection] = {}
        self._refused = 0
        self._evicted = 0
        self._reaper_stop = threading.Event()
        # Socket timeout of each connection (idle keep-alive included): a handler class per server.
        handler = type("_Handler", (_Handler,), {"timeout": idle_timeout})
        super().__init__(address, handler)
        self._reaper = threading.Thread(target=self._reap, name="sandbox-reaper", daemon=True)
        self._reaper.start()

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a misconfigured resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    # -- connection states ------------------------------------------------------------------------

    def _current(self) -> _Connection | None:
        return self._connections.get(threading.current_thread())

    def mark_waiting(self) -> None:
        """The calling connection now waits for (or reads) its next request."""
        connection = self._current()
        if connection is not None:
            connection.waiting_since = time.monotonic()

    def mark_busy(self) -> None:
        """The calling connection has a complete request and is being served."""
        connection = self._current()
        if connection is not None:
            connection.waiting_since = None

    def _reap(self) -> None:
        """Hang up on connections that took longer than ``idle_timeout`` to deliver a request."""
        while not self._reaper_stop.wait(_REAPER_TICK):
            try:
                self.app.tick()  # the exchange's timers run even when no request arrives
            except Exception:
                logger.exception("sandbox timer failed")
            limit = time.monotonic() - self.idle_timeout
            with self._connections_lock:
                late = [
                    c.sock
                    for c in self._connections.values()
                    if c.waiting_since is not None and c.waiting_since < limit
                ]
            for sock in late:
                _hang_up(sock)

    # -- accepting ------------------------------------------------------------------------------

    def process_request(self, request: Any, client_address: Any) -> None:
        victim: _Connection | None = None
        with self._connections_lock:
            if len(self._connections) >= self.max_connections:
                waiting = [c for c in self._connections.values() if c.waiting_since is not None]
                if not waiting:
                    self._refused += 1
                    refuse = True
                else:
                    victim = min(waiting, key=lambda c: c.waiting_since or 0.0)
                    victim.waiting_since = None  # being evicted: not a candidate twice
                    self._evicted += 1
                    refuse = False
            else:
                refuse = False
        if refuse:
            self._refuse(request)
            return
        if victim is not None:
            _hang_up(victim.sock)
        thread = threading.Thread(
            target=self._run_connection,
            args=(request, client_address),
            name="sandbox-connection",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[thread] = _Connection(request)
        thread.start()

    def _refuse(self, sock: socket.socket) -> None:
        """Answer a connection over the cap with a 503 (without reading it) and close it."""
        reply = _error_reply(503, "too many connections: try again later")
        head = (
            f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: {reply.content_type}\r\n"
            f"Content-Length: {len(reply.body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        try:
            sock.setblocking(False)
            sock.send(head + reply.body)
        except OSError:
            pass
        self.shutdown_request(sock)

    def _run_connection(self, request: Any, client_address: Any) -> None:
        try:
            self.process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.pop(threading.current_thread(), None)

    def handle_error(self, request: Any, client_address: Any) -> None:
        logger.debug("connection from %s ended with an error", client_address, exc_info=True)

    def open_connections(self) -> int:
        """How many connections are being served."""
        with self._connections_lock:
            return len(self._connections)

    def connection_stats(self) -> dict[str, int]:
        """Open connections, and how many were evicted or refused at the cap so far."""
        with self._connections_lock:
            return {"open": len(self._connections), "evicted": self._evicted, "refused": self._refused}

    def close_connections(self, timeout: float) -> None:
        """Shut every open connection down and wait up to ``timeout`` seconds for their threads."""
        self._reaper_stop.set()
        with self._connections_lock:
            connections = list(self._connections.items())
        for _, connection in connections:
            _hang_up(connection.sock)
        deadline = time.monotonic() + timeout
        for thread, _ in connections:
            thread.join(max(0.0, deadline - time.monotonic()))
        self._reaper.join(max(0.0, deadline - time.monotonic()))
