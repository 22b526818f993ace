"""``Urllib3Transport`` over real HTTP on loopback: the exact bytes sent, answers, redirects, timeouts,
refused and dropped connections, proxies from the environment, and the SDK end to end.

The wire behaviour both transports share runs against ``RequestsTransport`` too. Everything here
talks to 127.0.0.1 only.
"""

from __future__ import annotations

import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from carpenstar_bybit import (
    BybitAPI,
    ConnectionFailedException,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.core.transport import RequestsTransport, Timeout, Transport, WireRequest
from carpenstar_bybit.core.urllib3_transport import Urllib3Transport
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope

FAST = Timeout(connect=2.0, read=2.0)


@dataclass(frozen=True)
class RawRequest:
    """One request exactly as its bytes arrived."""

    head: bytes  # request line and header lines, up to (not including) the blank line
    body: bytes
    connection: int

    @property
    def request_line(self) -> bytes:
        return self.head.split(b"\r\n", 1)[0]

    @property
    def header_lines(self) -> list[bytes]:
        return self.head.split(b"\r\n")[1:]

    def header(self, name: str) -> str | None:
        for line in self.header_lines:
            key, _, value = line.partition(b":")
            if key.decode().lower() == name.lower():
                return value.strip().decode()
        return None


@dataclass
class Answer:
    """What the server does with one request."""

    status: str = "200 OK"
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "application/json")])
    body: bytes = b'{"retCode":0,"retMsg":"OK","result":{},"retExtInfo":{},"time":1671017658012}'
    delay: float = 0.0  # seconds before answering
    drop: bool = False  # close the connection instead of answering
    close_after: bool = False  # answer, then close the connection (without saying so)
    truncate: bool = False  # announce the whole body, send half of it, close the connection

    def encoded(self) -> bytes:
        lines = [f"HTTP/1.1 {self.status}", *(f"{k}: {v}" for k, v in self.headers)]
        lines.append(f"Content-Length: {len(self.body)}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + self.body


class RawServer:
    """A keep-alive HTTP/1.1 server on 127.0.0.1 that records raw request bytes and answers from a
    script (``Answer()`` when the script is empty)."""

    def __init__(self) -> None:
        self.requests: list[RawRequest] = []
        self.script: deque[Answer] = deque()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._port = int(self._sock.getsockname()[1])
        self._connections = 0
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def connections(self) -> int:
        return self._connections

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self._connections += 1
                number = self._connections
                self._open.append(conn)
            threading.Thread(target=self._serve, args=(conn, number), daemon=True).start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        buffer = b""
        with conn:
            while True:
                while b"\r\n\r\n" not in buffer:
                    try:
                        chunk = conn.recv(65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                request = RawRequest(head, b"", number)
                length = int(request.header("Content-Length") or 0)
                while len(buffer) < length:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    buffer += chunk
                body, buffer = buffer[:length], buffer[length:]
                with self._lock:
                    self.requests.append(RawRequest(head, body, number))
                    answer = self.script.popleft() if self.script else Answer()
                if answer.delay:
                    time.sleep(answer.delay)
                if answer.drop:
                    conn.shutdown(socket.SHUT_RDWR)
                    return
                encoded = answer.encoded()
                if answer.truncate:
                    encoded = encoded[: len(encoded) - len(answer.body) // 2]
                try:
                    conn.sendall(encoded)
                except OSError:
                    return
                if answer.close_after or answer.truncate:
                    conn.shutdown(socket.SHUT_RDWR)
                    return

    def close(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread; close() alone may not
        except OSError:
            pass
        self._sock.close()
        with self._lock:
            for conn in self._open:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.fixture
def raw() -> Iterator[RawServer]:
    srv = RawServer()
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    # Proxy settings of the machine running the tests must not reroute loopback calls.
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)


TRANSPORTS: dict[str, Callable[[], Transport]] = {
    "urllib3": Urllib3Transport,
    "requests": RequestsTransport,
}


@pytest.fixture(params=list(TRANSPORTS))
def transport(request: pytest.FixtureRequest) -> Iterator[Transport]:
    made = TRANSPORTS[request.param]()
    yield made
    made.close()


def post(url: str, body: bytes = b'{"symbol":"BTCUSD"}', **headers: str) -> WireRequest:
    return WireRequest("POST", url, {"Content-Type": "application/json", **headers}, body)


# --------------------------------------------------------------------------- exact bytes


def test_post_sends_exactly_the_request_and_the_few_headers_urllib3_adds(raw: RawServer) -> None:
    transport = Urllib3Transport()
    body = b'{"symbol":"BTCUSD","orderId":"4c51a45f-7795-4b38-9b66-3c306b73f112"}'
    request = WireRequest(
        "POST",
        raw.url + "/contract/v3/private/order/cancel",
        {"Content-Type": "application/json", "X-BAPI-API-KEY": "key", "X-BAPI-SIGN": "ab" * 32},
        body,
    )
    transport.send(request, FAST)

    (sent,) = raw.requests
    assert sent.request_line == b"POST /contract/v3/private/order/cancel HTTP/1.1"
    assert sent.body == body
    names = [line.partition(b":")[0].decode() for line in sent.header_lines]
    assert sorted(names) == sorted(
        [
            "Host",
            "Accept-Encoding",
            "Content-Type",
            "X-BAPI-API-KEY",
            "X-BAPI-SIGN",
            "User-Agent",
            "Content-Length",
        ]
    )
    assert sent.header("Host") == f"127.0.0.1:{raw.port}"
    assert sent.header("Content-Length") == str(len(body))
    assert sent.header("Content-Type") == "application/json"
    assert sent.header("X-BAPI-API-KEY") == "key"
    assert sent.header("X-BAPI-SIGN") == "ab" * 32
    assert "gzip" in (sent.header("Accept-Encoding") or "")  # what requests sends too


def test_get_sends_the_query_exactly_and_no_body(raw: RawServer, transport: Transport) -> None:
    query = "symbol=BTCUSDT&limit=50&cursor=a%2Bb%3D%3D"
    transport.send(WireRequest("GET", f"{raw.url}/contract/v3/private/order/list?{query}", {}, None), FAST)

    (sent,) = raw.requests
    assert sent.request_line == f"GET /contract/v3/private/order/list?{query} HTTP/1.1".encode()
    assert sent.body == b""
    assert sent.header("Content-Length") is None
    assert sent.header("Transfer-Encoding") is None


def test_both_transports_send_the_same_request_line_body_and_call_headers(raw: RawServer) -> None:
    request = post(raw.url + "/v5/order/cancel", X_BAPI_TIMESTAMP="1700000000000")
    for make in TRANSPORTS.values():
        make().send(request, FAST)
    first, second = raw.requests
    assert first.request_line == second.request_line
    assert first.body == second.body
    for name in ("Content-Type", "Content-Length", "X_BAPI_TIMESTAMP", "Host"):
        assert first.header(name) == second.header(name)


# --------------------------------------------------------------------------- answers


def test_answer_status_body_and_case_insensitive_headers(raw: RawServer, transport: Transport) -> None:
    raw.script.append(
        Answer(
            headers=[("Content-Type", "application/json"), ("X-Bapi-Limit-Status", "99")],
            body=b'{"retCode":0}',
        )
    )
    answer = transport.send(post(raw.url + "/x"), FAST)
    assert answer.status == 200
    assert answer.body == b'{"retCode":0}'
    assert answer.headers["x-bapi-limit-status"] == "99"
    assert answer.headers["X-BAPI-LIMIT-STATUS"] == "99"
    assert answer.headers.get("X-Bapi-Limit-Status") == "99"


def test_an_error_status_is_an_answer_not_an_exception(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer("403 Forbidden", [("Content-Type", "text/html")], b"<html>blocked</html>"))
    answer = transport.send(post(raw.url + "/x"), FAST)
    assert (answer.status, answer.body) == (403, b"<html>blocked</html>")


def test_redirects_are_never_followed(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer("302 Found", [("Location", raw.url + "/elsewhere")], b""))
    answer = transport.send(post(raw.url + "/x", X_BAPI_SIGN="secret-bearing"), FAST)
    assert answer.status == 302
    assert len(raw.requests) == 1  # the signed headers did not travel on


def test_calls_reuse_one_keep_alive_connection(raw: RawServer, transport: Transport) -> None:
    for _ in range(3):
        transport.send(post(raw.url + "/x"), FAST)
    assert [r.connection for r in raw.requests] == [1, 1, 1]


def test_a_connection_the_server_closed_while_idle_is_replaced(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer(close_after=True))
    transport.send(post(raw.url + "/x"), FAST)
    time.sleep(0.05)  # the close reaches the client while its connection sits idle in the pool
    transport.send(post(raw.url + "/x"), FAST)
    assert [r.connection for r in raw.requests] == [1, 2]


# --------------------------------------------------------------------------- failures


def test_read_timeout_raises_timeout_exception(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer(delay=1.0))
    started = time.monotonic()
    with pytest.raises(TimeoutException) as info:
        transport.send(post(raw.url + "/contract/v3/private/order/cancel"), Timeout(connect=2.0, read=0.2))
    assert time.monotonic() - started < 0.9
    assert info.value.method == "POST"
    assert info.value.path == "/contract/v3/private/order/cancel"
    assert "0.2s" in str(info.value)


def test_refused_connection_raises_connection_failed(transport: Transport) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    # Nothing listens there any more.
    with pytest.raises(ConnectionFailedException) as info:
        transport.send(post(f"http://127.0.0.1:{port}/x?a=1"), FAST)
    assert info.value.path == "/x"


def test_connection_dropped_after_sending_is_an_unknown_outcome(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer(drop=True))
    with pytest.raises(TransportException) as info:
        transport.send(post(raw.url + "/contract/v3/private/order/cancel"), FAST)
    assert not isinstance(info.value, (ConnectionFailedException, TimeoutException))
    assert "outcome unknown" in str(info.value)
    assert len(raw.requests) == 1  # it was sent


def test_a_body_cut_short_is_a_transport_error(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer(truncate=True))
    with pytest.raises(TransportException) as info:
        transport.send(post(raw.url + "/x"), FAST)
    assert not isinstance(info.value, (ConnectionFailedException, TimeoutException))


def test_failures_never_show_headers_or_body(raw: RawServer, transport: Transport) -> None:
    raw.script.append(Answer(drop=True))
    request = post(
        raw.url + "/x", body=b'{"secret-body":1}', X_BAPI_API_KEY="the-api-key", X_BAPI_SIGN="f" * 64
    )
    with pytest.raises(TransportException) as info:
        transport.send(request, FAST)
    text = f"{info.value} {info.value!r} {info.value.args}"
    for secret in ("the-api-key", "f" * 64, "secret-body"):
        assert secret not in text


def test_a_connect_timeout_raises_connection_failed() -> None:
    # A listener whose accept queue is full leaves further SYNs unanswered: connect() times out.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        probe = socket.socket()
        probe.settimeout(0.3)
        try:
            probe.connect(("127.0.0.1", port))
        except (TimeoutError, OSError):
            pass
        else:
            pytest.skip("this system completes loopback connections beyond the backlog")
        finally:
            probe.close()
        with pytest.raises(ConnectionFailedException):
            Urllib3Transport().send(post(f"http://127.0.0.1:{port}/x"), Timeout(connect=0.3, read=2.0))
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


# --------------------------------------------------------------------------- proxies


def test_environment_proxy_is_used_with_an_absolute_uri(
    raw: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = RawServer()  # must receive nothing: the proxy answers
    try:
        monkeypatch.setenv("HTTP_PROXY", raw.url)
        Urllib3Transport().send(post(target.url + "/contract/v3/private/order/cancel?x=1"), FAST)
        (sent,) = raw.requests
        assert (
            sent.request_line == f"POST {target.url}/contract/v3/private/order/cancel?x=1 HTTP/1.1".encode()
        )
        assert target.requests == []
    finally:
        target.close()


def test_no_proxy_bypasses_the_environment_proxy(raw: RawServer, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = RawServer()
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        Urllib3Transport().send(post(raw.url + "/x"), FAST)
        assert len(raw.requests) == 1
        assert proxy.requests == []
    finally:
        proxy.close()


def test_proxy_settings_are_read_once_per_origin(raw: RawServer, monkeypatch: pytest.MonkeyPatch) -> None:
    proxy = RawServer()
    try:
        transport = Urllib3Transport()
        transport.send(post(raw.url + "/x"), FAST)  # no proxy set: direct, and remembered
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        transport.send(post(raw.url + "/x"), FAST)
        assert len(raw.requests) == 2
        assert proxy.requests == []
        Urllib3Transport().send(post(raw.url + "/x"), FAST)  # a new transport reads it
        assert len(proxy.requests) == 1
    finally:
        proxy.close()


def test_proxy_credentials_from_the_url_are_sent_to_the_proxy(
    raw: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss@127.0.0.1:{raw.port}")
    Urllib3Transport().send(post("http://127.0.0.1:9/x"), FAST)
    (sent,) = raw.requests
    assert sent.header("Proxy-Authorization") == "Basic dXNlcjpwQHNz"  # user:p@ss


def test_an_unreachable_proxy_raises_connection_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.create_server(("127.0.0.1", 0)) as sock:
        port = sock.getsockname()[1]
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{port}")
    with pytest.raises(ConnectionFailedException):
        Urllib3Transport().send(post("http://127.0.0.1:9/x"), FAST)


# --------------------------------------------------------------------------- the SDK on it


def test_cancel_order_end_to_end_with_a_signature_the_server_accepts(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1", "orderLinkId": "l-1"})))
    with BybitAPI(server.url, API_KEY, SECRET, transport=Urllib3Transport()) as api:
        response = api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1"))
    (sent,) = server.requests
    assert sent.target == "/contract/v3/private/order/cancel"
    assert sent.body == b'{"symbol":"BTCUSDT","orderId":"o-1"}'
    assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)
    result = response.get_result()
    assert result is not None
    assert result.get_order_id() == "o-1"


def test_close_releases_connections_and_the_transport_still_works(raw: RawServer) -> None:
    transport = Urllib3Transport()
    transport.send(post(raw.url + "/x"), FAST)
    transport.close()
    transport.send(post(raw.url + "/x"), FAST)
    assert [r.connection for r in raw.requests] == [1, 2]
