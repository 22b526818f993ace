"""Another client on the sandbox's streams: pybit (the conformance suite's pinned release), with only
its stream hosts pointed at the sandbox (pybit writes them as ``wss://`` module constants), receives
the book, the ticker and its own order and wallet as it would from Bybit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from carpenstar_bybit.sandbox import SandboxExchange
from tests.stream.conftest import WAIT

pybit = pytest.importorskip("pybit.unified_trading")

KEY, SECRET = "pybit-stream-key", "pybit-stream-secret-0123456789"


class Inbox:
    """What pybit's callbacks received, and a wait for a condition on it."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    def __call__(self, message: dict[str, Any]) -> None:
        with self._changed:
            self.messages.append(message)
            self._changed.notify_all()

    def wait_for(self, topic: str) -> dict[str, Any]:
        with self._changed:
            found = self._changed.wait_for(
                lambda: next((m for m in self.messages if m.get("topic") == topic), None), WAIT
            )
        assert found, f"no {topic} message; got {[m.get('topic') for m in self.messages]}"
        return found


@pytest.fixture
def exchange(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={KEY: SECRET}, streams=True) as ex:
        monkeypatch.setattr(pybit, "PUBLIC_WSS", ex.ws_url + "/v5/public/{CHANNEL_TYPE}")
        monkeypatch.setattr(pybit, "PRIVATE_WSS", ex.ws_url + "/v5/private")
        yield ex
        assert ex.internal_errors() == []


def test_pybit_gets_the_book_the_ticker_and_its_own_order_and_wallet(exchange: SandboxExchange) -> None:
    inbox = Inbox()
    public = pybit.WebSocket(testnet=True, channel_type="linear")
    private = pybit.WebSocket(testnet=True, channel_type="private", api_key=KEY, api_secret=SECRET)
    try:
        public.orderbook_stream(depth=50, symbol="BTCUSDT", callback=inbox)
        public.ticker_stream(symbol="BTCUSDT", callback=inbox)
        private.order_stream(callback=inbox)
        private.wallet_stream(callback=inbox)
        book = inbox.wait_for("orderbook.50.BTCUSDT")
        assert (len(book["data"]["b"]), len(book["data"]["a"])) == (50, 50)
        assert inbox.wait_for("tickers.BTCUSDT")["data"]["symbol"] == "BTCUSDT"
        # pybit subscribes without waiting for the answers: wait until the exchange has them
        wait_until(lambda: any(set(c.topics) == {"order", "wallet"} for c in exchange.stream_connections()))
        http = pybit.HTTP(testnet=True, api_key=KEY, api_secret=SECRET)
        http.endpoint = exchange.url
        placed = http.place_order(
            category="linear", symbol="BTCUSDT", side="Buy", orderType="Market", qty="0.01"
        )
        order = inbox.wait_for("order")["data"][0]
        assert order["orderId"] == placed["result"]["orderId"]
        wallet = inbox.wait_for("wallet")["data"][0]
        assert wallet["accountType"] == "UNIFIED"
    finally:
        public.exit()
        private.exit()


def wait_until(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for pybit's subscriptions"
        time.sleep(0.005)
