"""Driving a ``StreamProtocol`` by hand: the exchange's answers, the docs' payloads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carpenstar_bybit.v5.stream import StreamProtocol, StreamSettings
from carpenstar_bybit.v5.stream._auth import StreamCredentials

PAYLOADS = Path(__file__).parent / "payloads"
KEY, SECRET = "proto-key-0001", "proto-secret-0123456789"
WALL_MS = 1_700_000_000_000


def payload(name: str) -> dict[str, Any]:
    """A message of the docs' examples (``tests/stream/payloads``; the order book snapshot without
    the ``...`` the docs put in it)."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text())
    return data


def sent(protocol: StreamProtocol) -> list[dict[str, Any]]:
    """The frames the protocol wants to send, parsed."""
    return [json.loads(frame) for frame in protocol.data_to_send()]


def answer(protocol: StreamProtocol, frames: list[dict[str, Any]], now: float = 0.0, **extra: Any) -> None:
    """Acknowledge each request the way Bybit's linear stream does (``success``, the ``req_id``)."""
    for frame in frames:
        if frame["op"] in ("auth", "subscribe", "unsubscribe"):
            reply = {
                "success": True,
                "ret_msg": "",
                "conn_id": "c",
                "req_id": frame["req_id"],
                "op": frame["op"],
            }
            reply.update(extra)
            protocol.receive(json.dumps(reply), now)


def public(*topics: str, category: str = "linear", settings: StreamSettings | None = None) -> StreamProtocol:
    """A connected public protocol with ``topics`` subscribed and acknowledged."""
    protocol = StreamProtocol(category=category, settings=settings, wall_ms=lambda: WALL_MS)
    if topics:
        protocol.subscribe(topics, 0.0)
    protocol.connection_made(0.0)
    answer(protocol, sent(protocol))
    assert protocol.ready
    protocol.results()
    return protocol


def private(*topics: str, settings: StreamSettings | None = None) -> StreamProtocol:
    """A connected, authenticated private protocol with ``topics`` subscribed and acknowledged."""
    protocol = StreamProtocol(
        credentials=StreamCredentials(KEY, SECRET), settings=settings, wall_ms=lambda: WALL_MS
    )
    if topics:
        protocol.subscribe(topics, 0.0)
    protocol.connection_made(0.0)
    answer(protocol, sent(protocol))  # auth
    answer(protocol, sent(protocol))  # the subscriptions
    assert protocol.ready
    protocol.results()
    return protocol


def feed(protocol: StreamProtocol, message: dict[str, Any] | str, now: float = 0.0) -> list[Any]:
    """Receive one message; the events it made."""
    protocol.receive(message if isinstance(message, str) else json.dumps(message), now)
    return protocol.events()
