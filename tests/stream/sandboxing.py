"""Helpers of the stream tests against the sandbox exchange: its REST views (read with requests
signed by hand, so the comparison does not lean on the SDK's V5 endpoints), a clock the test moves,
and a plain WebSocket client for the wire-level tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from contextlib import ExitStack
from typing import Any, TypeVar

from websockets.sync.client import ClientConnection, connect

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.core import AbstractResponse
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.stream import StreamEvent
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.sandbox.raw import signed_get
from tests.stream.conftest import WAIT, Harness
from tests.stream.server import API_KEY, SECRET

E = TypeVar("E", bound=StreamEvent)


def place(
    api: BybitAPI,
    *,
    side: str = "Buy",
    price: str | None = "20000",
    qty: str = "0.01",
    link_id: str = "",
    category: str = "linear",
    symbol: str = "BTCUSDT",
) -> str:
    """Place an order over REST (a limit order at ``price``, a market order without); its ID."""
    request = (
        PlaceOrderRequest()
        .set_category(category)
        .set_symbol(symbol)
        .set_side(side)
        .set_order_type("Limit" if price else "Market")
        .set_qty(qty)
    )
    if price:
        request = request.set_price(price)
    if link_id:
        request = request.set_order_link_id(link_id)
    result = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def rest_result(exchange: SandboxExchange, path: str, query: str, *, public: bool = False) -> Any:
    """The ``result`` of a GET on the sandbox (signed with the test key unless ``public``)."""
    if public:
        import requests

        response = requests.get(f"{exchange.url}{path}?{query}", timeout=WAIT)
    else:
        response = signed_get(exchange.url, path, query, api_key=API_KEY, secret=SECRET)
    body = response.json()
    assert body["retCode"] == 0, body
    return body["result"]


def rest_list(exchange: SandboxExchange, path: str, query: str) -> list[dict[str, Any]]:
    """``result.list`` of a private GET on the sandbox."""
    items: list[dict[str, Any]] = rest_result(exchange, path, query)["list"]
    return items


def differences(item: AbstractResponse, rest: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The fields where a stream item and the REST view of the same record differ: the REST item is
    read by the stream item's own class, and every field the REST view has is compared, typed."""
    from_rest = type(item)(rest)
    shared = [f for f in item._fields if f.key in rest]
    assert len(shared) >= 10, f"too little in common with the REST view: {sorted(rest)}"
    return {
        str(f.key): (getattr(item, f.slot), getattr(from_rest, f.slot))
        for f in shared
        if getattr(item, f.slot) != getattr(from_rest, f.slot)
    }


def next_of(stream: Harness, kind: type[E], accept: Callable[[E], bool] = lambda e: True) -> E:
    """The next event of ``kind`` that ``accept``s (others are skipped)."""
    while True:
        event = stream.get(WAIT)
        if isinstance(event, kind) and accept(event):
            return event


class Clock:
    """An exchange clock the test moves (epoch ms; starts now, so ``auth``'s ``expires`` fits)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ms = now_ms() // 1000 * 1000

    def __call__(self) -> int:
        with self._lock:
            return self._ms

    def advance(self, ms: int) -> int:
        with self._lock:
            self._ms += ms
            return self._ms


class Raw:
    """A plain WebSocket client: exact frames out, parsed frames in."""

    def __init__(self, url: str) -> None:
        self._stack = ExitStack()
        self.ws: ClientConnection = self._stack.enter_context(
            connect(url, open_timeout=WAIT, close_timeout=2, proxy=None)
        )

    def send(self, frame: dict[str, Any] | str | bytes) -> None:
        self.ws.send(frame if isinstance(frame, (str, bytes)) else json.dumps(frame))

    def recv(self, timeout: float = WAIT) -> dict[str, Any]:
        text = self.ws.recv(timeout)
        message: dict[str, Any] = json.loads(text)
        return message

    def ask(self, frame: dict[str, Any] | str | bytes) -> dict[str, Any]:
        """Send a frame; the next message."""
        self.send(frame)
        return self.recv()

    def recv_topic(self, topic: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next message of ``topic`` (answers and other topics are skipped)."""
        while True:
            message = self.recv(timeout)
            if message.get("topic") == topic:
                return message

    def close(self) -> None:
        self._stack.close()
