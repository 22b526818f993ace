"""The stream classes: ``AsyncPublicStream``/``AsyncPrivateStream`` for asyncio, and
``PublicStream``/``PrivateStream``, the same streams for synchronous code (their asyncio loop runs in a
background thread; events are iterated, or passed to a callback on a thread of their own).

Both kinds share everything below them: the options, the protocol (``StreamProtocol``), the driver
(``Connection``) and the buffer.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterable, Iterator
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

from carpenstar_bybit.core.exceptions import BybitException, SDKException
from carpenstar_bybit.v5.stream._auth import StreamCredentials, logger
from carpenstar_bybit.v5.stream._backoff import ReconnectPolicy
from carpenstar_bybit.v5.stream._buffer import Overflow
from carpenstar_bybit.v5.stream._driver import Connection, Consumer, StreamOptions
from carpenstar_bybit.v5.stream._events import StreamEvent
from carpenstar_bybit.v5.stream._hosts import StreamHosts, private_url, public_url
from carpenstar_bybit.v5.stream._protocol import StreamProtocol, StreamSettings
from carpenstar_bybit.v5.stream._reconcile import Reconciler

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = [
    "AsyncPrivateStream",
    "AsyncPublicStream",
    "AsyncStream",
    "PrivateStream",
    "PublicStream",
    "Stream",
]

T = TypeVar("T")
#: Default seconds to wait for the exchange to answer a subscribe or unsubscribe.
REQUEST_TIMEOUT = 30.0


def _category(category: object) -> str:
    value = category.value if isinstance(category, Enum) else category
    if not isinstance(value, str):
        raise SDKException(f"category must be a string or a Category, got {type(category).__name__}")
    return value


def _public(
    category: object, host: str, topics: Iterable[str], settings: StreamSettings | None
) -> tuple[str, StreamProtocol]:
    name = _category(category)
    url = public_url(host, name)
    protocol = StreamProtocol(category=name, settings=settings)
    if topics:
        protocol.subscribe(topics, 0.0)
    return url, protocol


def _private(
    credentials: StreamCredentials, host: str, topics: Iterable[str], settings: StreamSettings | None
) -> tuple[str, StreamProtocol]:
    url = private_url(host)
    protocol = StreamProtocol(credentials=credentials, settings=settings)
    if topics:
        protocol.subscribe(topics, 0.0)
    return url, protocol


async def _cancel_the_rest() -> None:
    """Cancel every other task of the loop (a subscribe another thread waits for), and wait for them."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class _Described:
    """What every stream tells about itself."""

    _url: str
    _protocol: StreamProtocol

    @property
    def url(self) -> str:
        """The stream's URL."""
        return self._url

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics subscribed (or being subscribed)."""
        return self._protocol.topics

    @property
    def connected(self) -> bool:
        """Whether a connection is open now (a stream reconnects by itself)."""
        return self._protocol.connected

    def __repr__(self) -> str:
        return f"{type(self).__name__}(url={self._url!r}, topics={list(self.topics)!r})"


# --- asyncio ------------------------------------------------------------------------------------


class AsyncStream(_Described):
    """What the asyncio streams share: ``async with stream: async for event in stream``."""

    def __init__(self, url: str, protocol: StreamProtocol, options: StreamOptions) -> None:
        self._url = url
        self._protocol = protocol
        self._options = options
        self._connection: Connection | None = None

    def _live(self) -> Connection:
        if self._connection is None:
            raise SDKException("the stream is not started: use 'async with' or await start()")
        return self._connection

    async def start(self) -> Self:
        """Connect (and authenticate, for a private stream), and subscribe the topics given so far.
        Raises ``StreamConnectionException``, ``StreamAuthenticationException`` or
        ``SubscriptionRejectedException``; the first connection is not retried."""
        return await self._start("async")

    async def _start(self, consumer: Consumer) -> Self:
        if self._connection is not None:
            raise SDKException("the stream is already started")
        connection = Connection(self._url, self._protocol, self._options, consumer)
        self._connection = connection
        try:
            await connection.start()
        except BaseException:
            await connection.close()
            raise
        return self

    async def subscribe(self, *topics: str, timeout: float | None = REQUEST_TIMEOUT) -> None:
        """Subscribe topics and wait until the exchange accepted each (``SubscriptionRejectedException``
        names those it refused; ``TimeoutError`` if it did not answer). Topics are checked before
        anything is sent (``SDKException``); a topic already subscribed is left as it is."""
        await self._live().request("subscribe", topics, timeout)

    async def unsubscribe(self, *topics: str, timeout: float | None = REQUEST_TIMEOUT) -> None:
        """Unsubscribe topics and wait until the exchange confirmed."""
        await self._live().request("unsubscribe", topics, timeout)

    async def get(self) -> StreamEvent | None:
        """The next event; ``None`` once the stream is closed. Raises what ended the stream (after
        every event received before), and errors that do not end it (a topic refused on resubscribe,
        a message that could not be read)."""
        return await self._live().get()

    async def close(self) -> None:
        """Close the connection; the events received so far can still be taken."""
        if self._connection is not None:
            await self._connection.close()

    def __aiter__(self) -> AsyncIterator[StreamEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[StreamEvent]:
        while (event := await self.get()) is not None:
            yield event

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()


class AsyncPublicStream(AsyncStream):
    """A public stream of one category (asyncio)::

        async with AsyncPublicStream("linear", topics=["orderbook.50.BTCUSDT"]) as stream:
            async for event in stream:
                ...

    :param category: ``spot``, ``linear``, ``inverse`` or ``option`` (or a ``Category``).
    :param host: ``StreamHosts.MAINNET`` (default), ``TESTNET``, or any ``ws(s)://`` base URL.
    :param topics: topics to subscribe when the stream starts.
    :param settings: ping, pong, acknowledgement and auth timing (``StreamSettings``).
    :param reconnect: how to reconnect (``ReconnectPolicy``; by default forever, with backoff).
    :param buffer_size: events (other than conflated market data) that may wait for the consumer.
    :param on_overflow: ``"block"`` (stop reading the socket until the consumer catches up) or
        ``"raise"`` (end the stream with ``StreamOverflowException``).
    :param conflate: merge waiting order book, ticker and kline events of a topic when the consumer lags.
    :param open_timeout: seconds to open a connection.
    :param proxy: ``True`` (the environment's proxy settings), ``None`` (no proxy) or a proxy URL.
    """

    def __init__(
        self,
        category: object,
        *,
        host: str = StreamHosts.MAINNET,
        topics: Iterable[str] = (),
        settings: StreamSettings | None = None,
        reconnect: ReconnectPolicy | None = None,
        buffer_size: int = 10_000,
        on_overflow: Overflow = "block",
        conflate: bool = True,
        open_timeout: float = 10.0,
        proxy: str | bool | None = True,
    ) -> None:
        options = StreamOptions(
            reconnect=reconnect,
            buffer_size=buffer_size,
            on_overflow=on_overflow,
            conflate=conflate,
            open_timeout=open_timeout,
            proxy=proxy,
            reconcile=None,
        )
        super().__init__(*_public(category, host, topics, settings), options)


class AsyncPrivateStream(AsyncStream):
    """The private stream of one account (asyncio): orders, fills, positions, wallet::

        async with AsyncPrivateStream(key, secret, topics=["order", "execution"]) as stream:
            async for event in stream:
                ...

    Private events are never dropped or merged. After a reconnect the stream yields a
    ``ReconnectedEvent``; with ``reconcile=Reconciler(api)`` it then yields the open orders and
    positions read over REST (``OrderSnapshotEvent``, ``PositionSnapshotEvent``).

    :param api_key: API key (never shown in any ``repr``, log line or exception).
    :param secret: API secret; it signs ``auth`` and nothing else.
    :param private_key: instead of ``secret``, the RSA private key (PEM) of a key made from one
        (needs the ``rsa`` extra).
    :param reconcile: read orders and positions over REST after each reconnect.
    The other parameters are those of ``AsyncPublicStream`` (without ``conflate``).
    """

    def __init__(
        self,
        api_key: str,
        secret: str | None = None,
        *,
        private_key: str | bytes | None = None,
        host: str = StreamHosts.MAINNET,
        topics: Iterable[str] = (),
        reconcile: Reconciler | None = None,
        settings: StreamSettings | None = None,
        reconnect: ReconnectPolicy | None = None,
        buffer_size: int = 10_000,
        on_overflow: Overflow = "block",
        open_timeout: float = 10.0,
        proxy: str | bool | None = True,
    ) -> None:
        options = StreamOptions(
            reconnect=reconnect,
            buffer_size=buffer_size,
            on_overflow=on_overflow,
            conflate=False,
            open_timeout=open_timeout,
            proxy=proxy,
            reconcile=reconcile,
        )
        credentials = StreamCredentials(api_key, secret, private_key=private_key)
        super().__init__(*_private(credentials, host, topics, settings), options)


# --- synchronous --------------------------------------------------------------------------------


class Stream(_Described):
    """What the synchronous streams share: ``with stream: for event in stream``, or a callback.

    A synchronous stream is its asyncio twin (``AsyncPublicStream``, ``AsyncPrivateStream``) run on
    an asyncio loop in a daemon thread of the stream; the events go from its buffer to your thread.
    Without a callback, iterate the stream (or call ``get``) in your thread. With ``callback``, the
    stream calls it with each event on a thread of its own; an error that ends the stream, or one the
    callback raises, ends it and is raised by ``wait()`` (and by leaving the ``with`` block); other
    errors go to ``on_error`` (logged when there is none).
    """

    def __init__(
        self,
        stream: AsyncStream,
        callback: Callable[[StreamEvent], object] | None,
        on_error: Callable[[BybitException], object] | None,
    ) -> None:
        if callback is not None and not callable(callback):
            raise SDKException("callback must be callable")
        if on_error is not None and not callable(on_error):
            raise SDKException("on_error must be callable")
        self._stream = stream  # the same stream, run on the loop of a thread of this one
        self._url = stream.url
        self._protocol = stream._protocol
        self._callback = callback
        self._on_error = on_error
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._dispatcher: threading.Thread | None = None
        self._connection: Connection | None = None
        self._failure: BaseException | None = None
        self._closing = threading.Lock()
        self._closed = False

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        loop = self._loop
        problem = None
        if loop is None or self._connection is None:
            problem = "the stream is not started: use 'with' or call start()"
        elif self._closed or not loop.is_running():
            problem = "the stream is closed"
        elif threading.current_thread() is self._thread:
            problem = "a stream's own loop thread cannot wait for it"
        if problem is not None or loop is None:
            coroutine.close()
            raise SDKException(problem or "the stream is not started")
        try:
            return asyncio.run_coroutine_threadsafe(coroutine, loop).result()
        except concurrent.futures.CancelledError:  # closed meanwhile, by another thread
            raise SDKException("the stream is closed") from None

    def start(self) -> Self:
        """Connect (and authenticate, for a private stream), and subscribe the topics given so far;
        start the callback thread. Raises as ``AsyncStream.start`` does."""
        if self._loop is not None:
            raise SDKException("the stream is already started")
        loop = asyncio.new_event_loop()
        thread = threading.Thread(
            target=loop.run_forever, name=f"carpenstar-bybit stream {self._url}", daemon=True
        )
        self._loop, self._thread = loop, thread
        thread.start()

        try:
            asyncio.run_coroutine_threadsafe(self._stream._start("thread"), loop).result()
        except BaseException:
            self._stop_loop()
            raise
        finally:
            self._connection = self._stream._connection
        if self._callback is not None:
            self._dispatcher = threading.Thread(
                target=self._dispatch, name="carpenstar-bybit stream callback", daemon=True
            )
            self._dispatcher.start()
        return self

    def subscribe(self, *topics: str, timeout: float | None = REQUEST_TIMEOUT) -> None:
        """Subscribe topics and wait until the exchange accepted each (see ``AsyncStream.subscribe``)."""
        connection = self._connection
        if connection is None:
            raise SDKException("the stream is not started: use 'with' or call start()")
        self._run(connection.request("subscribe", topics, timeout))

    def unsubscribe(self, *topics: str, timeout: float | None = REQUEST_TIMEOUT) -> None:
        """Unsubscribe topics and wait until the exchange confirmed."""
        connection = self._connection
        if connection is None:
            raise SDKException("the stream is not started: use 'with' or call start()")
        self._run(connection.request("unsubscribe", topics, timeout))

    def get(self, timeout: float | None = None) -> StreamEvent | None:
        """The next event, waiting up to ``timeout`` seconds (``None``: as long as it takes);
        ``None`` once the stream is closed; ``TimeoutError`` if none came in time. Raises errors as
        ``AsyncStream.get`` does. Not for callback streams (their thread takes the events)."""
        connection = self._connection
        if connection is None:
            raise SDKException("the stream is not started: use 'with' or call start()")
        if self._callback is not None and threading.current_thread() is not self._dispatcher:
            raise SDKException("this stream passes its events to its callback")
        return connection.get_blocking(timeout)

    def __iter__(self) -> Iterator[StreamEvent]:
        while (event := self.get()) is not None:
            yield event

    def _dispatch(self) -> None:
        callback = self._callback
        assert callback is not None
        while True:
            try:
                event = self.get()
            except BybitException as exc:
                connection = self._connection
                if connection is not None and connection.buffer.drained:
                    self._failure = exc  # it ended the stream
                    return
                if self._on_error is not None:
                    self._on_error(exc)
                else:
                    logger.error("stream %s: %s", self._url, exc)
                continue
            except BaseException as exc:
                self._failure = exc
                return
            if event is None:
                return
            try:
                callback(event)
            except BaseException as exc:
                logger.exception("stream %s: the callback raised; the stream stops", self._url)
                self._failure = exc
                loop = self._loop
                if loop is not None and self._connection is not None:
                    asyncio.run_coroutine_threadsafe(self._connection.close(), loop)
                return

    def wait(self, timeout: float | None = None) -> None:
        """Wait until a callback stream ends (closed, or stopped by an error), up to ``timeout``
        seconds; raise the error that stopped it."""
        if self._dispatcher is None:
            raise SDKException("wait() is for streams with a callback")
        self._dispatcher.join(timeout)
        if self._failure is not None:
            raise self._failure

    def close(self) -> None:
        """Close the connection and stop the stream's threads; events received so far can still be
        taken by ``get``. Safe to call again, and from any thread."""
        with self._closing:
            if self._closed:
                return
            self._closed = True
            loop, connection = self._loop, self._connection
            if loop is not None and loop.is_running() and threading.current_thread() is not self._thread:
                if connection is not None:
                    asyncio.run_coroutine_threadsafe(self._stream.close(), loop).result()
                asyncio.run_coroutine_threadsafe(_cancel_the_rest(), loop).result()
            self._stop_loop()
        dispatcher = self._dispatcher
        if dispatcher is not None and dispatcher is not threading.current_thread():
            dispatcher.join()

    def _stop_loop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        if loop.is_running():
            loop.call_soon_threadsafe(loop.stop)
        if thread is not threading.current_thread():
            thread.join()
            if not loop.is_closed():
                loop.close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
        if exc_type is None and self._failure is not None:
            raise self._failure


class PublicStream(Stream):
    """A public stream of one category (synchronous)::

        with PublicStream("linear", topics=["orderbook.50.BTCUSDT"]) as stream:
            for event in stream:
                ...

    :param callback: called with each event on the stream's own thread, instead of iterating.
    :param on_error: called with errors that do not end the stream (callback streams).
    The other parameters are those of ``AsyncPublicStream``.
    """

    def __init__(
        self,
        category: object,
        *,
        host: str = StreamHosts.MAINNET,
        topics: Iterable[str] = (),
        callback: Callable[[StreamEvent], object] | None = None,
        on_error: Callable[[BybitException], object] | None = None,
        settings: StreamSettings | None = None,
        reconnect: ReconnectPolicy | None = None,
        buffer_size: int = 10_000,
        on_overflow: Overflow = "block",
        conflate: bool = True,
        open_timeout: float = 10.0,
        proxy: str | bool | None = True,
    ) -> None:
        stream = AsyncPublicStream(
            category,
            host=host,
            topics=topics,
            settings=settings,
            reconnect=reconnect,
            buffer_size=buffer_size,
            on_overflow=on_overflow,
            conflate=conflate,
            open_timeout=open_timeout,
            proxy=proxy,
        )
        super().__init__(stream, callback, on_error)


class PrivateStream(Stream):
    """The private stream of one account (synchronous); see ``AsyncPrivateStream``::

        with PrivateStream(key, secret, topics=["order"], reconcile=Reconciler(api)) as stream:
            for event in stream:
                ...

    :param callback: called with each event on the stream's own thread, instead of iterating.
    :param on_error: called with errors that do not end the stream (callback streams).
    The other parameters are those of ``AsyncPrivateStream``.
    """

    def __init__(
        self,
        api_key: str,
        secret: str | None = None,
        *,
        private_key: str | bytes | None = None,
        host: str = StreamHosts.MAINNET,
        topics: Iterable[str] = (),
        reconcile: Reconciler | None = None,
        callback: Callable[[StreamEvent], object] | None = None,
        on_error: Callable[[BybitException], object] | None = None,
        settings: StreamSettings | None = None,
        reconnect: ReconnectPolicy | None = None,
        buffer_size: int = 10_000,
        on_overflow: Overflow = "block",
        open_timeout: float = 10.0,
        proxy: str | bool | None = True,
    ) -> None:
        if reconcile is not None and reconcile.is_async:
            raise SDKException("a PrivateStream reconciles through a BybitAPI, not an AsyncBybitAPI")
        stream = AsyncPrivateStream(
            api_key,
            secret,
            private_key=private_key,
            host=host,
            topics=topics,
            reconcile=reconcile,
            settings=settings,
            reconnect=reconnect,
            buffer_size=buffer_size,
            on_overflow=on_overflow,
            open_timeout=open_timeout,
            proxy=proxy,
        )
        super().__init__(stream, callback, on_error)
