"""Fixtures of the stream tests: the scripted exchange, the sandbox exchange, and the sync and async
streams behind one test API, so that each wire test runs against both.

``opened`` gives a ``Harness``: ``start``, ``subscribe``, ``unsubscribe``, ``get(timeout)``,
``close``. The sync harness calls ``PublicStream``/``PrivateStream`` directly; the async one runs an
event loop in a thread and awaits ``AsyncPublicStream``/``AsyncPrivateStream`` on it, as an asyncio
program would.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from typing import Any, Protocol, TypeVar

import pytest

from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.stream import (
    AsyncPrivateStream,
    AsyncPublicStream,
    AsyncStream,
    PrivateStream,
    PublicStream,
    ReconnectPolicy,
    Stream,
    StreamEvent,
)
from tests.stream.server import API_KEY, SECRET, ScriptedBybit, scripted_bybit

T = TypeVar("T")
WAIT = 20.0  # seconds: generous, for a loaded machine; the tests wait on events, never sleep
FAST = ReconnectPolicy(initial_delay=0.01, max_delay=0.05)


class Harness(Protocol):
    stream: Any

    def start(self) -> None: ...
    def subscribe(self, *topics: str, timeout: float = WAIT) -> None: ...
    def unsubscribe(self, *topics: str) -> None: ...
    def get(self, timeout: float = WAIT) -> StreamEvent | None: ...
    def close_stream(self) -> None: ...
    def close(self) -> None: ...


class SyncHarness:
    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    def start(self) -> None:
        self.stream.start()

    def subscribe(self, *topics: str, timeout: float = WAIT) -> None:
        self.stream.subscribe(*topics, timeout=timeout)

    def unsubscribe(self, *topics: str) -> None:
        self.stream.unsubscribe(*topics, timeout=WAIT)

    def get(self, timeout: float = WAIT) -> StreamEvent | None:
        return self.stream.get(timeout)

    def close_stream(self) -> None:
        self.stream.close()

    def close(self) -> None:
        self.stream.close()


class AsyncHarness:
    def __init__(self, stream: AsyncStream) -> None:
        self.stream = stream
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="test asyncio", daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 2 * WAIT) -> T:
        if self.loop.is_closed():
            coroutine.close()
            raise RuntimeError("the test's event loop is closed")
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> None:
        self.run(self.stream.start())

    def subscribe(self, *topics: str, timeout: float = WAIT) -> None:
        self.run(self.stream.subscribe(*topics, timeout=timeout))

    def unsubscribe(self, *topics: str) -> None:
        self.run(self.stream.unsubscribe(*topics, timeout=WAIT))

    def get(self, timeout: float = WAIT) -> StreamEvent | None:
        async def get() -> StreamEvent | None:
            try:
                return await asyncio.wait_for(self.stream.get(), timeout)
            except asyncio.TimeoutError:
                raise TimeoutError(f"no event within {timeout} s") from None

        return self.run(get())

    def close_stream(self) -> None:
        self.run(self.stream.close())

    def close(self) -> None:
        if self.loop.is_closed():
            return
        try:
            self.run(self.stream.close())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join()
            self.loop.close()


class Opener:
    """Makes streams of one kind (``sync`` or ``async``) against the exchange at ``host``."""

    def __init__(self, kind: str, host: str) -> None:
        self.kind = kind
        self.host = host
        self.opened: list[Harness] = []

    def public(self, category: str = "linear", *, start: bool = True, **options: Any) -> Harness:
        options.setdefault("reconnect", FAST)
        options.setdefault("proxy", None)
        options.setdefault("host", self.host)
        maker: Callable[..., Any] = PublicStream if self.kind == "sync" else AsyncPublicStream
        return self._open(maker(category, **options), start)

    def private(
        self, key: str = API_KEY, secret: str | None = SECRET, *, start: bool = True, **options: Any
    ) -> Harness:
        options.setdefault("reconnect", FAST)
        options.setdefault("proxy", None)
        options.setdefault("host", self.host)
        maker: Callable[..., Any] = PrivateStream if self.kind == "sync" else AsyncPrivateStream
        return self._open(maker(key, secret, **options), start)

    def _open(self, stream: Any, start: bool) -> Harness:
        harness: Harness = SyncHarness(stream) if self.kind == "sync" else AsyncHarness(stream)
        self.opened.append(harness)
        if start:
            harness.start()
        return harness

    def close_all(self) -> None:
        for harness in self.opened:
            harness.close()


@pytest.fixture
def exchange() -> Iterator[ScriptedBybit]:
    with scripted_bybit() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
def opened(request: pytest.FixtureRequest, exchange: ScriptedBybit) -> Iterator[Opener]:
    opener = Opener(request.param, exchange.url)
    try:
        yield opener
    finally:
        opener.close_all()


@pytest.fixture
def sandbox() -> Iterator[SandboxExchange]:
    """The sandbox exchange, serving streams, with the stream tests' key; its bugs fail the test."""
    with SandboxExchange(api_keys={API_KEY: SECRET}, rate_limit=10_000, streams=True) as exchange:
        yield exchange
        assert exchange.internal_errors() == []


@pytest.fixture(params=["sync", "async"])
def on_sandbox(request: pytest.FixtureRequest, sandbox: SandboxExchange) -> Iterator[Opener]:
    """Streams of both kinds against the sandbox's streams."""
    opener = Opener(request.param, sandbox.ws_url)
    try:
        yield opener
    finally:
        opener.close_all()
