"""A scripted WebSocket server on 127.0.0.1 that plays Bybit's side of the V5 streams.

It answers as the docs show (``docs/v5/ws/connect``): ``auth`` checked with its own HMAC of
``GET/realtime`` + expires (independent of the SDK's signer), ``subscribe``/``unsubscribe`` acknowledged
with the request's ``req_id`` (a topic in ``refuse`` is refused, naming it, as Bybit's
``error:handler not found,topic:...`` does), pings answered in the public or private shape. Tests push
messages, drop connections, stop answering pings, and read every frame the client sent.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

API_KEY = "stream-key-0001"
SECRET = "stream-secret-0123456789"


@dataclass
class Peer:
    """One client connection as the server sees it."""

    number: int
    path: str
    ws: ServerConnection
    received: list[dict[str, Any]] = field(default_factory=list)
    authenticated: bool = False
    topics: list[str] = field(default_factory=list)
    closed: bool = False


class ScriptedBybit:
    """See the module docstring. Every public method is safe to call from the test's thread."""

    def __init__(self, api_keys: dict[str, str] | None = None) -> None:
        self.api_keys = api_keys or {API_KEY: SECRET}
        #: API keys made from an RSA key pair: key -> public key
        self.rsa_keys: dict[str, Any] = {}
        self.refuse: set[str] = set()
        self.answer_pings = True
        self.answer_commands = True
        #: close every new connection at once (the exchange is unreachable for a while)
        self.reject_connections = False
        self.ack_delay = 0.0
        #: called (in the server's loop) after a subscribe is acknowledged: messages to send next
        self.on_subscribe: Callable[[Peer, str], list[dict[str, Any]]] | None = None
        self.peers: list[Peer] = []
        self.rejected = 0
        self._numbers = itertools.count(1)
        self._changed = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="scripted-bybit", daemon=True)
        self._server: Any = None
        self.port = 0

    # --- lifecycle -------------------------------------------------------------------------------

    def start(self) -> ScriptedBybit:
        self._thread.start()

        async def open_server() -> Any:
            return await serve(self._handle, "127.0.0.1", 0, ping_interval=None, compression=None)

        self._server = self._call(open_server())
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def shut_down(self) -> None:
        """Stop listening and close every connection (the exchange is gone); ``stop`` still works."""
        server, self._server = self._server, None

        async def close_server() -> None:
            server.close()
            await server.wait_closed()

        if server is not None:
            self._call(close_server())

    def stop(self) -> None:
        self.shut_down()
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def _call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(30)

    # --- what the test does ----------------------------------------------------------------------

    def push(self, message: dict[str, Any] | str, *, peer: Peer | None = None) -> None:
        """Send a message to one connection (default: the newest open one)."""
        text = message if isinstance(message, str) else json.dumps(message)
        target = peer or self.current()

        async def send() -> None:
            await target.ws.send(text)

        self._call(send())

    def push_many(self, messages: list[dict[str, Any]], *, peer: Peer | None = None) -> int:
        """Send messages in order, in one go (the client may still be busy with the first); stop
        quietly if the client goes away. Returns how many were sent."""
        target = peer or self.current()
        texts = [json.dumps(m) for m in messages]

        async def send() -> int:
            for count, text in enumerate(texts):
                try:
                    await target.ws.send(text)
                except (ConnectionClosed, OSError):
                    return count
            return len(texts)

        count: int = self._call(send())
        return count

    def drop(self, peer: Peer | None = None) -> None:
        """Cut a connection without a closing handshake, as a network failure does."""
        target = peer or self.current()

        async def abort() -> None:
            target.ws.transport.abort()

        self._call(abort())

    def current(self) -> Peer:
        with self._changed:
            open_peers = [p for p in self.peers if not p.closed]
            assert open_peers, "no client is connected"
            return open_peers[-1]

    def wait_for(
        self, predicate: Callable[[], object], timeout: float = 20.0, what: str = "a condition"
    ) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked on every frame and connection); return it."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"timed out waiting for {what}; frames: {self.frames()}")
                self._changed.wait(remaining)

    def wait_peers(self, count: int, timeout: float = 20.0) -> Peer:
        """Wait until ``count`` connections have been made; return the newest."""
        self.wait_for(lambda: len(self.peers) >= count, timeout, f"{count} connection(s)")
        return self.peers[count - 1]

    def wait_subscribed(self, peer: Peer, *topics: str, timeout: float = 20.0) -> None:
        self.wait_for(lambda: set(topics) <= set(peer.topics), timeout, f"subscriptions to {topics}")

    def frames(self, op: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """Every frame received, as (connection number, frame), optionally of one ``op``."""
        return [(p.number, f) for p in self.peers for f in p.received if op is None or f.get("op") == op]

    # --- Bybit's side ----------------------------------------------------------------------------

    def _changed_now(self) -> None:
        with self._changed:
            self._changed.notify_all()

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        if self.reject_connections:
            with self._changed:
                self.rejected += 1
                self._changed.notify_all()
            await ws.close(1013, "try again later")
            return
        peer = Peer(next(self._numbers), ws.request.path, ws)
        with self._changed:
            self.peers.append(peer)
            self._changed.notify_all()
        try:
            async for text in ws:
                frame = json.loads(text)
                with self._changed:
                    peer.received.append(frame)
                    self._changed.notify_all()
                await self._answer(peer, frame)
        except Exception:
            pass
        finally:
            peer.closed = True
            self._changed_now()

    async def _answer(self, peer: Peer, frame: dict[str, Any]) -> None:
        op = frame.get("op")
        req_id = frame.get("req_id", "")
        conn_id = f"conn-{peer.number}"
        private = peer.path == "/v5/private"
        if op == "ping":
            if not self.answer_pings:
                return
            if private:
                answer = {
                    "req_id": req_id,
                    "op": "pong",
                    "args": [str(int(time.time() * 1000))],
                    "conn_id": conn_id,
                }
            else:
                answer = {
                    "success": True,
                    "ret_msg": "pong",
                    "conn_id": conn_id,
                    "req_id": req_id,
                    "op": "ping",
                }
            await peer.ws.send(json.dumps(answer))
            return
        if not self.answer_commands:
            return
        if self.ack_delay:
            await asyncio.sleep(self.ack_delay)
        if op == "auth":
            ok = self._auth_ok(frame.get("args"))
            peer.authenticated = ok
            answer = {
                "success": ok,
                "ret_msg": "" if ok else "Request not authorized",
                "op": "auth",
                "conn_id": conn_id,
            }
            if req_id:
                answer["req_id"] = req_id
            await peer.ws.send(json.dumps(answer))
            self._changed_now()
            return
        if op in ("subscribe", "unsubscribe"):
            args = list(frame.get("args") or [])
            refused = [t for t in args if t in self.refuse] if op == "subscribe" else []
            if private and not peer.authenticated:
                refused = args
            if refused:
                reason = f"error:handler not found,topic:{refused[0]}"
                answer = {"success": False, "ret_msg": reason, "conn_id": conn_id, "req_id": req_id, "op": op}
            else:
                answer = {"success": True, "ret_msg": "", "conn_id": conn_id, "req_id": req_id, "op": op}
            if not refused:
                with self._changed:
                    if op == "subscribe":
                        peer.topics.extend(args)
                    else:
                        peer.topics[:] = [t for t in peer.topics if t not in args]
                    self._changed.notify_all()
            await peer.ws.send(json.dumps(answer))
            if not refused:
                if op == "subscribe" and self.on_subscribe is not None:
                    for topic in args:
                        for message in self.on_subscribe(peer, topic):
                            await peer.ws.send(json.dumps(message))

    def _auth_ok(self, args: object) -> bool:
        if not isinstance(args, list) or len(args) != 3:
            return False
        key, expires, signature = args
        if not isinstance(key, str) or not isinstance(expires, int) or expires <= int(time.time() * 1000):
            return False
        message = f"GET/realtime{expires}".encode()
        public_key = self.rsa_keys.get(key)
        if public_key is not None:  # an API key made from an RSA key pair
            try:
                public_key.verify(base64.b64decode(str(signature)), message, PKCS1v15(), SHA256())
            except (InvalidSignature, ValueError):
                return False
            return True
        secret = self.api_keys.get(key)
        if secret is None:
            return False
        expected = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, str(signature))


@contextmanager
def scripted_bybit(api_keys: dict[str, str] | None = None) -> Iterator[ScriptedBybit]:
    server = ScriptedBybit(api_keys).start()
    try:
        yield server
    finally:
        server.stop()
