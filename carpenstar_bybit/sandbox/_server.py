"""The HTTP/1.1 plumbing of the sandbox: a threading server on loopback with keep-alive.

Each connection gets a daemon thread; idle connections time out (``idle_timeout``), so they never
pin a thread for ever. Every answer carries ``Content-Length``. Whatever arrives (a garbage request
line, oversized headers, a missing or lying ``Content-Length``, a huge body, chunked encoding) is
answered with a Bybit-style JSON error and the connection is closed, or the connection is simply
closed when the client has gone. ``close_connections`` shuts every open connection down so that
``stop()`` never waits on a client.
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

__all__ = ["SandboxHTTPServer"]

#: Bodies up to this size past the limit are read and discarded so the client sees the answer;
#: beyond it the connection is answered and closed without reading.
_DRAIN_LIMIT = 16 * 1024 * 1024
_CHUNK = 64 * 1024


def _error_reply(status: int, message: str) -> Reply:
    body = envelope(PARAMS_ERROR, message, {}, now_ms())
    return Reply.json(body, status=status, close=True)


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
            self._send(_error_reply(413, f"request body too large: at most {limit} bytes"))
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


class SandboxHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that tracks its connections so it can close them on stop."""

    daemon_threads = True
    block_on_close = False

    def __init__(
        self, address: tuple[str, int], app: SandboxApp, *, idle_timeout: float, max_body: int
    ) -> None:
        self.app = app
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self._connections_lock = threading.Lock()
        self._connections: dict[threading.Thread, socket.socket] = {}
        # Socket timeout of each connection (idle keep-alive included): a handler class per server.
        handler = type("_Handler", (_Handler,), {"timeout": idle_timeout})
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind resolves the host's FQDN, which can stall on a misconfigured resolver.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def process_request(self, request: Any, client_address: Any) -> None:
        thread = threading.Thread(
            target=self._run_connection,
            args=(request, client_address),
            name="sandbox-connection",
            daemon=True,
        )
        with self._connections_lock:
            self._connections[thread] = request
        thread.start()

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

    def close_connections(self, timeout: float) -> None:
        """Shut every open connection down and wait up to ``timeout`` seconds for their threads."""
        with self._connections_lock:
            connections = list(self._connections.items())
        for _, sock in connections:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        for thread, _ in connections:
            thread.join(max(0.0, deadline - time.monotonic()))
