"""A small real HTTP/1.1 server on 127.0.0.1 that records every request and answers from a script.

Wire tests use it to see the exact bytes the SDK sends (method, path, query, headers, body) and to
verify signatures the way the exchange does, over a real keep-alive connection.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Recorded:
    """One request as it arrived."""

    method: str
    target: str  # path with query string, exactly as sent
    headers: dict[str, str]
    body: bytes
    connection_id: int
    received_ms: int

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query

    def signature_payload(self) -> bytes:
        return self.body if self.method == "POST" else self.query.encode()

    def expected_signature(self, secret: str) -> str:
        h = self.headers
        prefix = f"{h['X-BAPI-TIMESTAMP']}{h['X-BAPI-API-KEY']}{h['X-BAPI-RECV-WINDOW']}".encode()
        return hmac.new(secret.encode(), prefix + self.signature_payload(), hashlib.sha256).hexdigest()


@dataclass
class Reply:
    """One scripted answer."""

    body: bytes | str | Mapping[str, Any] = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0  # seconds to wait before answering
    drop: bool = False  # close the connection without answering

    def encoded(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


def envelope(result: Any = None, code: int = 0, msg: str = "OK", **extra: Any) -> dict[str, Any]:
    """A Bybit envelope."""
    out: dict[str, Any] = {"retCode": code, "retMsg": msg, "result": {} if result is None else result}
    out.update({"retExtInfo": {}, "time": 1671017658012})
    out.update(extra)
    return out


class RecordingServer:
    """Answers each request with the next scripted ``Reply`` (or ``default``), recording it first."""

    def __init__(self, default: Reply | None = None) -> None:
        self.requests: list[Recorded] = []
        self.replies: deque[Reply | Callable[[Recorded], Reply]] = deque()
        self.default: Reply | Callable[[Recorded], Reply] = default or Reply(envelope())
        self._lock = threading.Lock()
        self._connections = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def setup(self) -> None:
                super().setup()
                with server._lock:
                    server._connections += 1
                    self.connection_id = server._connections

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _handle(self) -> None:
                import time

                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                recorded = Recorded(
                    self.command,
                    self.path,
                    {k: v for k, v in self.headers.items()},
                    body,
                    self.connection_id,
                    time.time_ns() // 1_000_000,
                )
                with server._lock:
                    server.requests.append(recorded)
                    reply = server.replies.popleft() if server.replies else server.default
                if callable(reply):
                    reply = reply(recorded)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                payload = reply.encoded()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                try:
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up waiting: nothing to answer

            do_GET = _handle
            do_POST = _handle

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def connections(self) -> int:
        """How many TCP connections were accepted."""
        return self._connections

    def reply(self, *replies: Reply | Callable[[Recorded], Reply]) -> None:
        """Queue answers for the next requests."""
        self.replies.extend(replies)

    def start(self) -> RecordingServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


@contextmanager
def recording_server(default: Reply | None = None) -> Iterator[RecordingServer]:
    server = RecordingServer(default).start()
    try:
        yield server
    finally:
        server.stop()
