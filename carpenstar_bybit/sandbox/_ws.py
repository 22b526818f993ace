"""The sandbox's WebSocket endpoint: Bybit's V5 streams over one exchange state, on loopback.

``StreamServer`` runs a ``websockets`` asyncio server on a thread of its own and serves Bybit's
paths: ``/v5/public/{spot,linear,inverse,option}`` and ``/v5/private``. Each connection runs a
``StreamSession`` (the protocol: pings, ``auth``, ``subscribe``/``unsubscribe``); what it subscribes
is sent by:

* the public feeds (``_ws_feeds``), one per topic and category, advanced every ``PUMP_INTERVAL``
  seconds against the exchange clock and the mark prices, shared by their subscribers;
* the exchange state's observer (``ExchangeState.subscribe``): each committed change of an order,
  fill, position or wallet is rendered (``_ws_render``, with the REST routes' functions) on the thread
  that committed it, right after the commit, and handed to this loop thread-safely
  (``call_soon_threadsafe``), so the account's connections get the changes in commit order.

Every connection sends through a queue of its own (a slow reader never holds up others; one more
than ``MAX_QUEUED`` messages behind is closed, code 1008), where the faults of ``WsFaultInjector``
apply. A bug in handling a frame, rendering an event or advancing a feed never stops the server: its
traceback is recorded (``internal_errors()``) and the connections concerned are closed (code 1011),
so their clients reconnect.

Frames are never logged (``websockets`` would log each one at DEBUG, ``auth`` and its signature
included): the server's ``websockets`` logger never has DEBUG on.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import traceback
import uuid
from collections import deque
from collections.abc import Callable
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from carpenstar_bybit.sandbox._auth import Authenticator
from carpenstar_bybit.sandbox._state import ExchangeState, StateEvent
from carpenstar_bybit.sandbox._ws_connection import StreamConnection
from carpenstar_bybit.sandbox._ws_faults import WsFaultInjector, WsFaultKind
from carpenstar_bybit.sandbox._ws_feeds import Feed, make_feed
from carpenstar_bybit.sandbox._ws_render import private_item
from carpenstar_bybit.sandbox._ws_session import StreamSession
from carpenstar_bybit.sandbox._ws_topics import StreamTopic

__all__ = ["MAX_QUEUED", "PATHS", "PUMP_INTERVAL", "StreamServer"]

logger = logging.getLogger("carpenstar_bybit.sandbox.ws")

PATHS = frozenset({"/v5/private", *(f"/v5/public/{c}" for c in ("spot", "linear", "inverse", "option"))})
#: Seconds between two looks at the exchange clock and mark prices for the public feeds.
PUMP_INTERVAL = 0.02
#: Messages a connection may have waiting to be sent before it is closed as too slow.
MAX_QUEUED = 100_000
#: Largest frame a client may send (a subscribe's args are at most 21,000 characters).
MAX_FRAME = 64 * 1024
_CLOSE_TIMEOUT = 2.0


def _dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, separators=(",", ":"))


class _QuietFrames(logging.LoggerAdapter):  # type: ignore[type-arg]
    """The ``websockets`` logger of the server: its DEBUG lines show every frame (``auth`` with its
    signature included), so DEBUG is never on; the rest goes to ``carpenstar_bybit.sandbox.ws``."""

    def isEnabledFor(self, level: int) -> bool:
        """Whether a record of ``level`` would be logged (never for DEBUG)."""
        return level > logging.DEBUG and self.logger.isEnabledFor(level)

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        """Unchanged."""
        return msg, kwargs


class _Peer:
    """One client connection: its session, and the queue of what is to be sent to it."""

    def __init__(self, number: int, ws: ServerConnection, session: StreamSession) -> None:
        self.number = number
        self.ws = ws
        self.session = session
        self.queue: deque[str] = deque()
        self.wake = asyncio.Event()
        self.sender: asyncio.Task[None] | None = None
        self.closed = False
        #: Why the server closes the connection (code, reason), once it does.
        self.close_code: tuple[int, str] | None = None
        self.last_wallet: str | None = None

    @property
    def path(self) -> str:
        return self.session.path


class _FeedEntry:
    def __init__(self, feed: Feed) -> None:
        self.feed = feed
        self.peers: dict[int, _Peer] = {}


class StreamServer:
    """Bybit's V5 streams of one sandbox exchange (see the module docstring). ``start`` and
    ``stop`` from any thread; everything else runs on the server's own event loop thread."""

    def __init__(
        self,
        *,
        state: ExchangeState,
        authenticator: Authenticator,
        faults: WsFaultInjector,
        clock: Callable[[], int],
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self._state = state
        self._auth = authenticator
        self._faults = faults
        self._clock = clock
        self._host = host
        self._port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._unsubscribe: Callable[[], None] | None = None
        self._numbers = itertools.count(1)
        self._peers: dict[int, _Peer] = {}
        self._feeds: dict[tuple[str, str], _FeedEntry] = {}
        self._accounts: dict[str, dict[int, _Peer]] = {}
        #: (API key, topic family) some connection wants: read by the committing threads.
        self._interest: frozenset[tuple[str, str]] = frozenset()
        self._pump_task: asyncio.Task[None] | None = None
        self._closing: set[asyncio.Task[None]] = set()  # closing handshakes under way
        self._errors: list[str] = []
        self._errors_lock = threading.Lock()
        self.address: tuple[str, int] | None = None

    # --- lifecycle (any thread) ------------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> None:
        """Listen, serve on a thread of its own, and follow the exchange's changes."""
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="sandbox-streams", daemon=True)
        thread.start()
        self._loop, self._thread = loop, thread
        try:
            asyncio.run_coroutine_threadsafe(self._listen(), loop).result(timeout)
        except BaseException:
            self._stop_loop(timeout)
            raise
        self._unsubscribe = self._state.subscribe(self._on_state_event)
        self._faults.on_drop = self._drop_soon

    async def _listen(self) -> None:
        self._server = await serve(
            self._handle,
            self._host,
            self._port,
            process_request=self._process_request,
            compression=None,
            ping_interval=None,  # Bybit's clients ping with {"op": "ping"}
            close_timeout=_CLOSE_TIMEOUT,
            max_size=MAX_FRAME,
            logger=_QuietFrames(logger, {}),
        )
        host, port = next(iter(self._server.sockets)).getsockname()[:2]
        self.address = (str(host), int(port))

    def stop(self, timeout: float = 5.0) -> None:
        """Close every connection (code 1001) and the listener, and end the thread."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self._faults.on_drop = None
        loop = self._loop
        if loop is not None and loop.is_running():
            try:
                asyncio.run_coroutine_threadsafe(self._shut_down(timeout), loop).result(timeout + 1)
            except Exception:  # a server that does not close in time is abandoned with its thread
                logger.warning("the sandbox's stream server did not close in %s s", timeout)
        self._stop_loop(timeout)

    async def _shut_down(self, timeout: float) -> None:
        server = self._server
        if self._pump_task is not None:
            self._pump_task.cancel()
        if server is not None:
            server.close()
            try:
                await asyncio.wait_for(server.wait_closed(), timeout)
            except asyncio.TimeoutError:
                for peer in list(self._peers.values()):
                    peer.ws.transport.abort()
        tasks = [p.sender for p in self._peers.values() if p.sender is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _stop_loop(self, timeout: float) -> None:
        loop, thread = self._loop, self._thread
        self._loop = self._thread = None
        if loop is None or thread is None:
            return
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if not thread.is_alive():
            loop.close()

    @property
    def url(self) -> str:
        """``ws://host:port`` (``RuntimeError`` before ``start``)."""
        if self.address is None:
            raise RuntimeError("the stream server is not running")
        host, port = self.address
        return f"ws://[{host}]:{port}" if ":" in host else f"ws://{host}:{port}"

    def internal_errors(self) -> list[str]:
        """Tracebacks of the bugs met (each closed the connections concerned)."""
        with self._errors_lock:
            return list(self._errors)

    def clear_errors(self) -> None:
        """Forget the recorded bugs."""
        with self._errors_lock:
            self._errors.clear()

    def connections(self, timeout: float = 10.0) -> list[StreamConnection]:
        """The open connections, oldest first (read on the server's loop: a consistent snapshot)."""
        loop = self._loop
        if loop is None or not loop.is_running():
            return []

        async def snapshot() -> list[StreamConnection]:
            return [
                StreamConnection(p.path, p.session.api_key, tuple(p.session.topics))
                for p in sorted(self._peers.values(), key=lambda p: p.number)
                if not p.closed
            ]

        try:
            return asyncio.run_coroutine_threadsafe(snapshot(), loop).result(timeout)
        except RuntimeError:  # the loop stopped meanwhile
            return []

    def _bug(self, where: str) -> None:
        trace = traceback.format_exc()
        with self._errors_lock:
            self._errors.append(trace)
        logger.error("sandbox stream bug in %s:\n%s", where, trace)

    # --- connections -----------------------------------------------------------------------------

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        path = urlsplit(request.path).path
        if path not in PATHS:
            return connection.respond(HTTPStatus.NOT_FOUND, "404 page not found\n")
        if self._faults.has(WsFaultKind.REFUSE) and self._faults.take(WsFaultKind.REFUSE, path):
            return connection.respond(HTTPStatus.SERVICE_UNAVAILABLE, "503 Service Temporarily Unavailable\n")
        return None

    async def _handle(self, ws: ServerConnection) -> None:
        assert ws.request is not None
        path = urlsplit(ws.request.path).path
        session = StreamSession(
            path, str(uuid.uuid4()), state=self._state, authenticator=self._auth, clock=self._clock
        )
        peer = _Peer(next(self._numbers), ws, session)
        self._peers[peer.number] = peer
        peer.sender = asyncio.create_task(self._send_loop(peer), name=f"sandbox-stream-send-{peer.number}")
        try:
            if self._faults.has(WsFaultKind.DROP) and self._faults.take(WsFaultKind.DROP, path):
                ws.transport.abort()
                return
            async for frame in ws:
                if not self._on_frame(peer, frame):
                    break
            if peer.close_code is not None:  # closed by the server: with its code, not a normal close
                await ws.close(*peer.close_code)
        except ConnectionClosed:
            pass
        finally:
            self._forget(peer)

    def _on_frame(self, peer: _Peer, frame: str | bytes) -> bool:
        """Answer one frame; ``False`` when the connection is being closed."""
        try:
            outcome = peer.session.receive(frame)
            for answer in outcome.answers:
                if outcome.pong and self._faults.has(WsFaultKind.NO_PONG):
                    if self._faults.take(WsFaultKind.NO_PONG, peer.path):
                        continue
                self._enqueue(peer, _dumps(answer))
            if outcome.authenticated is not None:
                self._accounts.setdefault(outcome.authenticated, {})[peer.number] = peer
            for topic in outcome.unsubscribed:
                self._leave(peer, topic)
            for topic in outcome.subscribed:
                self._join(peer, topic)
            if peer.session.private and (outcome.subscribed or outcome.unsubscribed):
                self._update_interest()
        except Exception:
            self._bug(f"a frame on {peer.path}")
            self._close(peer, 1011, "internal error")
            return False
        return not peer.closed

    def _join(self, peer: _Peer, topic: StreamTopic) -> None:
        if topic.family in ("order", "execution", "position", "wallet"):
            return  # private: delivered from the state's events
        assert topic.category is not None
        key = (topic.category, topic.name)
        entry = self._feeds.get(key)
        if entry is None:
            entry = self._feeds[key] = _FeedEntry(make_feed(topic, self._state, self._clock()))
            if self._pump_task is None:
                self._pump_task = asyncio.create_task(self._pump(), name="sandbox-stream-feeds")
        entry.peers[peer.number] = peer
        for message in entry.feed.initial():
            self._enqueue(peer, _dumps(message))

    def _leave(self, peer: _Peer, topic: StreamTopic) -> None:
        if topic.category is None or topic.categorised:
            return
        key = (topic.category, topic.name)
        entry = self._feeds.get(key)
        if entry is not None:
            entry.peers.pop(peer.number, None)
            if not entry.peers:
                del self._feeds[key]

    def _forget(self, peer: _Peer) -> None:
        peer.closed = True
        self._peers.pop(peer.number, None)
        for topic in list(peer.session.topics.values()):
            self._leave(peer, topic)
        key = peer.session.api_key
        if key is not None:
            peers = self._accounts.get(key, {})
            peers.pop(peer.number, None)
            if not peers:
                self._accounts.pop(key, None)
            self._update_interest()
        if peer.sender is not None:
            peer.sender.cancel()

    def _close(self, peer: _Peer, code: int, reason: str) -> None:
        if peer.closed:
            return
        peer.closed = True
        peer.close_code = (code, reason)
        peer.queue.clear()
        task = asyncio.create_task(peer.ws.close(code, reason))
        self._closing.add(task)
        task.add_done_callback(self._closing.discard)

    def _update_interest(self) -> None:
        self._interest = frozenset(
            (key, name.partition(".")[0])
            for key, peers in self._accounts.items()
            for peer in peers.values()
            for name in peer.session.topics
        )

    # --- sending ---------------------------------------------------------------------------------

    def _enqueue(self, peer: _Peer, text: str) -> None:
        if peer.closed:
            return
        peer.queue.append(text)
        peer.wake.set()
        if len(peer.queue) > MAX_QUEUED:
            logger.warning("stream connection %d is %d messages behind: closed", peer.number, MAX_QUEUED)
            self._close(peer, 1008, "too slow: too many messages waiting")

    async def _send_loop(self, peer: _Peer) -> None:
        faults = self._faults
        try:
            while True:
                while not peer.queue:
                    peer.wake.clear()
                    await peer.wake.wait()
                text = peer.queue.popleft()
                if faults.has(WsFaultKind.DELAY):
                    fault = faults.take(WsFaultKind.DELAY, peer.path)
                    if fault is not None:
                        await asyncio.sleep(fault.seconds)
                await peer.ws.send(text)
        except ConnectionClosed:
            pass
        except asyncio.CancelledError:
            raise
        except Exception:
            self._bug(f"sending on {peer.path}")
            peer.ws.transport.abort()

    # --- public feeds ----------------------------------------------------------------------------

    async def _pump(self) -> None:
        try:
            while self._feeds:
                await asyncio.sleep(PUMP_INTERVAL)
                now = self._clock()
                for key, entry in list(self._feeds.items()):
                    try:
                        messages = entry.feed.advance(now)
                    except Exception:
                        self._bug(f"the {key[1]} feed of {key[0]}")
                        for peer in list(entry.peers.values()):
                            self._close(peer, 1011, "internal error")
                        self._feeds.pop(key, None)
                        continue
                    for message in messages:
                        self._publish(entry, message)
        finally:
            self._pump_task = None

    def _publish(self, entry: _FeedEntry, message: dict[str, Any]) -> None:
        text = _dumps(message)
        topic = entry.feed.topic.name
        delta = message.get("type") == "delta" and entry.feed.topic.family == "orderbook"
        for peer in list(entry.peers.values()):
            if delta and self._faults.has(WsFaultKind.SKIP_DELTA):
                if self._faults.take(WsFaultKind.SKIP_DELTA, peer.path, topic):
                    continue
            self._enqueue(peer, text)

    # --- private events --------------------------------------------------------------------------

    def _on_state_event(self, event: StateEvent) -> None:
        """On the committing thread, right after the commit: render and hand to the loop."""
        loop = self._loop
        if loop is None or (event.account, event.kind) not in self._interest:
            return
        now = self._clock()
        try:
            item = private_item(self._state, event, now)
        except Exception:
            self._bug(f"rendering a {event.kind} event")
            self._call_soon(loop, self._close_account, event.account)
            return
        self._call_soon(loop, self._deliver, event, item, now)

    @staticmethod
    def _call_soon(loop: asyncio.AbstractEventLoop, callback: Callable[..., None], *args: Any) -> None:
        try:
            loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop closed meanwhile: the server is stopping
            pass

    def _deliver(self, event: StateEvent, item: dict[str, Any], now: int) -> None:
        category = item.get("category")
        names = (event.kind, f"{event.kind}.{category}") if category else (event.kind,)
        data = _dumps(item) if event.kind == "wallet" else ""
        for peer in list(self._accounts.get(event.account, {}).values()):
            wanted = [name for name in names if name in peer.session.topics]
            if not wanted:
                continue
            if event.kind == "wallet":
                if data == peer.last_wallet:
                    continue  # the same wallet as the last one sent (a spot fill changes two coins)
                peer.last_wallet = data
            for name in wanted:
                message = {"id": f"{event.seq}", "topic": name, "creationTime": now, "data": [item]}
                self._enqueue(peer, _dumps(message))

    def _close_account(self, api_key: str) -> None:
        for peer in list(self._accounts.get(api_key, {}).values()):
            self._close(peer, 1011, "internal error")

    # --- faults ----------------------------------------------------------------------------------

    def _drop_soon(self) -> None:
        loop = self._loop
        if loop is not None:
            self._call_soon(loop, self._drop_open)

    def _drop_open(self) -> None:
        for peer in sorted(self._peers.values(), key=lambda p: p.number):
            if not peer.closed and self._faults.take(WsFaultKind.DROP, peer.path):
                peer.closed = True
                peer.ws.transport.abort()
