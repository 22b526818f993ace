"""The I/O around the protocol: one asyncio task per stream runs the connection on ``websockets``'
asyncio client; the consumer takes events from the buffer, in the loop (async streams) or from a
thread (sync streams, whose loop runs in a background thread).

The connection's life::

    connect ──> serve: send what the protocol queues, feed it frames and ticks, deliver its events
       ^          │ lost (closed, failed, dead: no pong or no acknowledgement)
       │          v
       └── wait ReconnectPolicy.delay(n) <── unless closed, fatal (auth refused) or out of attempts
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from carpenstar_bybit._version import __version__
from carpenstar_bybit.core.exceptions import BybitException, SDKException
from carpenstar_bybit.v5.stream._auth import logger, redacting_logger
from carpenstar_bybit.v5.stream._backoff import ReconnectPolicy
from carpenstar_bybit.v5.stream._buffer import EMPTY, EventBuffer, Item, Marker, Overflow
from carpenstar_bybit.v5.stream._events import ReconnectedEvent, StreamEvent
from carpenstar_bybit.v5.stream._exceptions import StreamConnectionException
from carpenstar_bybit.v5.stream._protocol import StreamProtocol, TopicResult
from carpenstar_bybit.v5.stream._reconcile import Reconciler

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

__all__ = ["Connection", "Consumer", "StreamOptions"]

Consumer = Literal["async", "thread"]


class StreamOptions:
    """What every stream class takes besides its URL and credentials (checked once, here)."""

    __slots__ = ("buffer_size", "conflate", "on_overflow", "open_timeout", "proxy", "reconcile", "reconnect")

    def __init__(
        self,
        *,
        reconnect: ReconnectPolicy | None,
        buffer_size: int,
        on_overflow: Overflow,
        conflate: bool,
        open_timeout: float,
        proxy: str | bool | None,
        reconcile: Reconciler | None,
    ) -> None:
        if reconnect is not None and not isinstance(reconnect, ReconnectPolicy):
            raise SDKException(f"reconnect must be a ReconnectPolicy, got {type(reconnect).__name__}")
        if reconcile is not None and not isinstance(reconcile, Reconciler):
            raise SDKException(f"reconcile must be a Reconciler, got {type(reconcile).__name__}")
        if isinstance(open_timeout, bool) or not isinstance(open_timeout, (int, float)) or open_timeout <= 0:
            raise SDKException(f"open_timeout must be a positive number of seconds, got {open_timeout!r}")
        EventBuffer(buffer_size, conflate=conflate, on_overflow=on_overflow)  # checks both
        self.reconnect = reconnect or ReconnectPolicy()
        self.buffer_size = buffer_size
        self.on_overflow = on_overflow
        self.conflate = conflate
        self.open_timeout = float(open_timeout)
        self.proxy = proxy
        self.reconcile = reconcile


def _websockets() -> Any:
    try:
        from websockets.asyncio import client
    except ImportError:  # pragma: no cover - depends on the installation
        raise SDKException(
            "streams need the 'websockets' package: pip install 'carpenstar-bybit[stream]'"
        ) from None
    return client


def _closed_reason(exc: BaseException | None) -> str:
    received = getattr(exc, "rcvd", None)
    if received is not None:
        text = f" {received.reason}" if received.reason else ""
        return f"closed by the exchange (code {received.code}{text})"
    if exc is None:
        return "closed by the exchange"
    return (
        f"connection failed: {type(exc).__name__}: {exc}"
        if str(exc)
        else f"connection failed: {type(exc).__name__}"
    )


class Connection:
    """The driver of one stream: its protocol, connection task, buffer and waiters (loop thread only,
    except ``get_blocking`` and ``wake`` which the sync consumer calls from its thread)."""

    def __init__(
        self, url: str, protocol: StreamProtocol, options: StreamOptions, consumer: Consumer
    ) -> None:
        self.url = url
        self.protocol = protocol
        self.options = options
        self._client = _websockets()
        self._loop = asyncio.get_running_loop()
        self._readable = asyncio.Event()
        self._space = asyncio.Event()
        self._waiting_for_space = False
        self.buffer = EventBuffer(
            options.buffer_size,
            conflate=options.conflate,
            on_overflow=options.on_overflow,
            on_readable=self._readable.set if consumer == "async" else None,
            on_space=self._wake_producer,
        )
        self._ws: ClientConnection | None = None
        self._task: asyncio.Task[None] | None = None
        self._send_lock = asyncio.Lock()
        self._waiters: dict[tuple[str, str], list[asyncio.Future[None]]] = {}
        self._first: asyncio.Future[None] = self._loop.create_future()
        self._closing = False
        self._error: BaseException | None = None
        self._extra: deque[Item] = deque()  # reconciliation events, before the buffer's next
        self._reconcile_since: ReconnectedEvent | None = None

    @staticmethod
    def _now() -> float:
        return time.monotonic()

    # --- lifecycle -------------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the first connection, authenticate, and wait for the topics wanted so far to be
        subscribed: raises what went wrong (a refused topic, auth, the connection), without retrying."""
        futures = self._register("subscribe", self.protocol.topics)
        try:
            ws = await self._connect()
        except BybitException:
            raise
        except Exception as exc:
            raise StreamConnectionException(_closed_reason(exc), url=self.url) from None
        self._task = asyncio.create_task(self._run(ws), name=f"carpenstar-bybit stream {self.url}")
        await self._first
        await self._wait("subscribe", futures, self.protocol.topics, self.options.open_timeout)

    async def _connect(self) -> ClientConnection:
        ws: ClientConnection = await self._client.connect(
            self.url,
            ping_interval=None,  # Bybit's own {"op": "ping"} keeps the connection, see the protocol
            open_timeout=self.options.open_timeout,
            close_timeout=2,
            max_size=2**23,
            proxy=self.options.proxy,
            user_agent_header=f"carpenstar-bybit/{__version__}",
            logger=redacting_logger(self.protocol.redactor),
        )
        return ws

    async def close(self) -> None:
        """Close the connection and end the stream (the consumer gets what was received, then the end)."""
        self._closing = True
        ws = self._ws
        if ws is not None:
            await ws.close()
        task = self._task
        if task is not None and not task.done():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                pass
        self._finish(None)

    @staticmethod
    def _fail(future: asyncio.Future[None], error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)
            future.exception()  # whoever awaits it still gets the error; no one else logs it

    def _finish(self, error: BaseException | None) -> None:
        self.protocol.finish()
        for item in self.protocol.events():
            self.buffer.put(item)  # after the end nothing blocks: the buffer takes what is left
        if self._error is None:
            self._error = error
        self.buffer.end(error)
        failure = error or StreamConnectionException("the stream was closed", url=self.url)
        for futures in self._waiters.values():
            for future in futures:
                self._fail(future, failure)
        self._waiters.clear()
        self._fail(self._first, failure)

    @property
    def error(self) -> BaseException | None:
        """What ended the stream, if anything did."""
        return self._error

    async def _run(self, ws: ClientConnection) -> None:
        policy = self.options.reconnect
        error: BaseException | None = None
        failures = 0  # connections in a row that failed, or never got every topic subscribed
        try:
            while True:
                reason = await self._serve(ws)
                worked = self.protocol.connection_ready
                self.protocol.connection_lost(reason, self._now(), closing=self._closing)
                await self._deliver_all()
                if self._closing or self.protocol.fatal is not None:
                    error = self.protocol.fatal
                    break
                if not self._first.done():
                    error = StreamConnectionException(reason, url=self.url)
                    break
                failures = 0 if worked else failures + 1
                if failures and policy.gives_up_after(failures):
                    raise StreamConnectionException(reason, url=self.url, attempts=failures)
                while True:
                    await asyncio.sleep(policy.delay(failures + 1))
                    try:
                        ws = await self._connect()
                        break
                    except Exception as exc:
                        failures += 1
                        logger.warning("stream %s: reconnect attempt %d failed: %s", self.url, failures, exc)
                        if policy.gives_up_after(failures):
                            raise StreamConnectionException(
                                _closed_reason(exc), url=self.url, attempts=failures
                            ) from None
        except asyncio.CancelledError:
            error = None
        except BybitException as exc:
            error = exc
        except Exception as exc:  # a bug: end the stream loudly rather than hang the consumer
            logger.exception("stream %s: stopped by an unexpected error", self.url)
            error = exc
        finally:
            self._ws = None
        self._finish(error)

    async def _serve(self, ws: ClientConnection) -> str:
        """One connection, until it is lost: why it was."""
        self._ws = ws
        protocol = self.protocol
        protocol.connection_made(self._now())
        timer = asyncio.create_task(self._timer(ws))
        reason = "closed"
        try:
            await self._flush(ws)
            async for frame in ws:
                protocol.receive(frame, self._now())
                await self._flush(ws)
                if protocol.dead is not None:
                    break
            else:
                reason = _closed_reason(None)
        except Exception as exc:  # ConnectionClosed and the socket's own errors
            reason = _closed_reason(exc)
        finally:
            timer.cancel()
        if protocol.dead is not None:
            reason = protocol.dead
            ws.transport.abort()  # a dead peer would not finish a closing handshake
        elif self._closing:
            reason = "closed by the client"
        return reason

    async def _timer(self, ws: ClientConnection) -> None:
        protocol = self.protocol
        while True:
            deadline = protocol.next_deadline()
            delay = 1.0 if deadline is None else min(1.0, max(0.0, deadline - self._now()))
            await asyncio.sleep(delay)
            protocol.tick(self._now())
            await self._flush(ws)
            if protocol.dead is not None:
                ws.transport.abort()  # ends the reader's loop
                return

    # --- protocol outputs ------------------------------------------------------------------------

    async def _flush(self, ws: ClientConnection | None) -> None:
        protocol = self.protocol
        frames = protocol.data_to_send()
        if frames and ws is not None:
            async with self._send_lock:
                for frame in frames:
                    await ws.send(frame)
        for result in protocol.results():
            self._resolve(result)
        if not self._first.done():
            if protocol.fatal is not None:
                self._fail(self._first, protocol.fatal)
            elif protocol.commandable:
                self._first.set_result(None)
        await self._deliver_all()

    def _resolve(self, result: TopicResult) -> None:
        futures = self._waiters.pop((result.op, result.topic), [])
        for future in futures:
            if future.done():
                continue
            if result.error is None:
                future.set_result(None)
            else:
                future.set_exception(result.error)
        if result.error is not None and not futures and result.op == "subscribe":
            self.protocol.emit(result.error)  # a refused resubscription: the consumer must know

    async def _deliver_all(self) -> None:
        for item in self.protocol.events():
            await self._deliver(item)

    async def _deliver(self, item: Item) -> None:
        if self.buffer.put(item):
            if self.buffer.ended and not self._closing:  # overflow with on_overflow="raise"
                self._closing = True
                if self._ws is not None:
                    self._ws.transport.abort()
            return
        self.protocol.hold(self._now())
        try:
            while True:
                self._space.clear()
                self._waiting_for_space = True
                if self.buffer.put(item):
                    return
                await self._space.wait()
        finally:
            self._waiting_for_space = False
            self.protocol.release(self._now())

    def _wake_producer(self) -> None:
        if self._waiting_for_space and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._space.set)

    # --- what the user asks ----------------------------------------------------------------------

    async def request(
        self, op: Literal["subscribe", "unsubscribe"], topics: Iterable[object], timeout: float | None
    ) -> None:
        """Subscribe or unsubscribe, and wait until the exchange has answered for every topic."""
        if self.buffer.ended:
            raise SDKException("the stream is closed")
        now = self._now()
        if op == "subscribe":
            names = self.protocol.subscribe(topics, now)
            names = [n for n in names if not self.protocol.is_active(n)]
        else:
            names = self.protocol.unsubscribe(topics, now)
        futures = self._register(op, names)
        await self._flush(self._ws if self.protocol.connected else None)
        await self._wait(op, futures, names, timeout)

    def _register(self, op: str, names: Iterable[str]) -> list[asyncio.Future[None]]:
        futures = []
        for name in names:
            future: asyncio.Future[None] = self._loop.create_future()
            self._waiters.setdefault((op, name), []).append(future)
            futures.append(future)
        return futures

    @staticmethod
    async def _wait(
        op: str, futures: list[asyncio.Future[None]], names: Iterable[str], timeout: float | None
    ) -> None:
        if not futures:
            return
        try:
            await asyncio.wait_for(asyncio.gather(*futures), timeout)
        except asyncio.TimeoutError:  # not the builtin TimeoutError before Python 3.11
            raise TimeoutError(f"no answer to {op} of {', '.join(names)} within {timeout} s") from None

    # --- the consumer ----------------------------------------------------------------------------

    def _after(self, item: Item) -> None:
        if isinstance(item, ReconnectedEvent) and self.options.reconcile is not None:
            self._reconcile_since = item

    async def get(self) -> StreamEvent | None:
        """The next event (an async consumer), ``None`` after the end; raises errors the stream hit."""
        while True:
            if self._reconcile_since is not None:
                since, self._reconcile_since = self._reconcile_since, None
                assert self.options.reconcile is not None
                self._extra.extend(await self.options.reconcile.asnapshot(since.get_disconnected_at()))
            if self._extra:
                return self._deliverable(self._extra.popleft())
            item = self.buffer.get_nowait()
            if item is EMPTY:
                self._readable.clear()
                item = self.buffer.get_nowait()
                if item is EMPTY:
                    await self._readable.wait()
                    continue
            if isinstance(item, Marker):
                return None  # END
            self._after(item)
            return self._deliverable(item)

    def get_blocking(self, timeout: float | None) -> StreamEvent | None:
        """The next event (a thread consumer): ``None`` after the end, ``TimeoutError`` if none came."""
        if self._reconcile_since is not None:
            since, self._reconcile_since = self._reconcile_since, None
            assert self.options.reconcile is not None
            self._extra.extend(self.options.reconcile.snapshot(since.get_disconnected_at()))
        if self._extra:
            return self._deliverable(self._extra.popleft())
        item = self.buffer.get(timeout)
        if item is EMPTY:
            raise TimeoutError(f"no event within {timeout} s")
        if isinstance(item, Marker):
            return None  # END
        self._after(item)
        return self._deliverable(item)

    @staticmethod
    def _deliverable(item: Item) -> StreamEvent:
        if isinstance(item, BaseException):
            raise item
        return item
