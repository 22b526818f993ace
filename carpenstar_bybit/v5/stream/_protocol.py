"""Bybit's V5 stream protocol as a state machine without I/O: frames and time in, frames, events and
acknowledgements out. The asyncio driver (and through it the sync streams) runs it on a socket; tests
and benchmarks run it on plain strings.

One ``StreamProtocol`` serves one stream over its successive connections::

    protocol.connection_made(now)        # queues auth (private) or the subscriptions (public)
    protocol.receive(text, now)          # a frame from the exchange
    protocol.tick(now)                   # at protocol.next_deadline(): pings, dead connections
    protocol.connection_lost(reason, now)
    protocol.data_to_send()              # frames to write, in order
    protocol.events()                    # StreamEvents (and non-fatal exceptions) for the consumer
    protocol.results()                   # TopicResults: a topic subscribed, or refused
    protocol.dead, protocol.fatal        # close this connection (and, if fatal, stop)

``now`` is a monotonic clock in seconds; ``expires`` of ``auth`` reads the wall clock (``wall_ms``).

What it does, as Bybit documents it (``docs/v5/ws/connect``):

* private streams send ``auth`` first and subscribe once it is accepted; a refusal is fatal;
* ``subscribe``/``unsubscribe`` carry a ``req_id``; each acknowledgement is matched to its request
  by ``req_id`` (or, when the answer has none, to the oldest request of that operation); a refusal
  refuses the topics its message names (all of the request's when it names none), the others are
  requested again; option streams answer with ``successTopics``/``failTopics``;
* ``{"op": "ping"}`` every ``ping_interval`` seconds; no pong within ``pong_timeout``, or no answer
  to a request within ``ack_timeout``, makes the connection dead;
* the topics stay desired across connections: a new connection subscribes them all again, and after
  the first connection a ``ReconnectedEvent`` is emitted once every topic is subscribed again (data of
  the new connection that arrives before that waits behind it);
* order books and tickers are kept per topic; a gap in a book, or a ticker delta without a snapshot,
  unsubscribes and subscribes the topic again to get a fresh snapshot.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from carpenstar_bybit.core.exceptions import BybitException, ResponseFormatException, SDKException
from carpenstar_bybit.core.redact import Redactor
from carpenstar_bybit.core.timeutil import from_ms, now_ms
from carpenstar_bybit.v5.stream._auth import StreamCredentials, logger
from carpenstar_bybit.v5.stream._book import BookGap, LocalOrderBook
from carpenstar_bybit.v5.stream._events import (
    ExecutionEvent,
    KlineEvent,
    OrderBookEvent,
    OrderBookResyncEvent,
    OrderEvent,
    PositionEvent,
    ReconnectedEvent,
    StreamEvent,
    TickerEvent,
    TradeEvent,
    WalletEvent,
)
from carpenstar_bybit.v5.stream._exceptions import (
    StreamAuthenticationException,
    SubscriptionRejectedException,
)
from carpenstar_bybit.v5.stream._topics import Topic, check_connection_limit, parse_topic, plan_requests

__all__ = ["StreamProtocol", "StreamSettings", "TopicResult"]

_JSON = json.JSONDecoder(parse_float=Decimal)  # no JSON number ever becomes a binary float
_MESSAGE_EVENTS: dict[str, Callable[[dict[str, Any]], StreamEvent]] = {
    "publicTrade": TradeEvent,
    "kline": KlineEvent,
    "order": OrderEvent,
    "execution": ExecutionEvent,
    "position": PositionEvent,
    "wallet": WalletEvent,
}


def _positive(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise SDKException(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


@dataclass(frozen=True)
class StreamSettings:
    """Timing of a stream, in seconds.

    :param ping_interval: a ``ping`` this often (Bybit recommends 20 s).
    :param pong_timeout: the connection is dead when a ping's pong takes longer.
    :param ack_timeout: the connection is dead when ``auth``/``subscribe``/``unsubscribe`` takes longer.
    :param auth_expiry: how far ahead of the local clock ``auth``'s ``expires`` lies.
    """

    ping_interval: float = 20.0
    pong_timeout: float = 10.0
    ack_timeout: float = 10.0
    auth_expiry: float = 10.0

    def __post_init__(self) -> None:
        for name in ("ping_interval", "pong_timeout", "ack_timeout", "auth_expiry"):
            object.__setattr__(self, name, _positive(name, getattr(self, name)))


class TopicResult(NamedTuple):
    """The outcome of a request for one topic: ``error`` is ``None`` when it was accepted."""

    topic: str
    op: str
    error: SubscriptionRejectedException | None


@dataclass
class _Request:
    req_id: str
    op: str
    topics: list[str]
    sent_at: float
    internal: bool = False  # a resubscription of the protocol's own (a book gap): no one waits


class StreamProtocol:
    """The protocol of one public (``category`` given) or private (``credentials`` given) stream."""

    def __init__(
        self,
        *,
        category: str | None = None,
        credentials: StreamCredentials | None = None,
        settings: StreamSettings | None = None,
        wall_ms: Callable[[], int] = now_ms,
    ) -> None:
        if (category is None) == (credentials is None):
            raise SDKException(
                "a stream is public (a category) or private (credentials), not both or neither"
            )
        self.category = category
        self.settings = settings or StreamSettings()
        self._credentials = credentials
        self._redact = credentials.redactor if credentials is not None else Redactor()
        self._wall_ms = wall_ms
        self._desired: dict[str, Topic] = {}
        self._active: set[str] = set()
        self._pending: dict[str, _Request] = {}
        self._books: dict[str, LocalOrderBook] = {}
        self._tickers: dict[str, dict[str, Any]] = {}
        self._resyncing: set[str] = set()
        self._out: list[str] = []
        self._events: list[StreamEvent | BybitException] = []
        self._held: list[StreamEvent | BybitException] | None = None  # data waiting behind ReconnectedEvent
        self._results: list[TopicResult] = []
        self._counter = 0
        self._connected = False
        self._authenticated = False
        self._ever_ready = False
        self._lost: tuple[str, int] | None = None  # reason, wall ms: set until reconnected
        self._attempts = 0
        self._next_ping = 0.0
        self._pong_due: float | None = None
        self._held_since: float | None = None
        #: Whether the current connection got ready (authenticated, every topic subscribed).
        self.connection_ready = False
        #: Why the current connection must be closed (``None`` while it is fine).
        self.dead: str | None = None
        #: An error that ends the stream (a refused ``auth``): do not reconnect.
        self.fatal: BybitException | None = None

    # --- state -----------------------------------------------------------------------------------

    @property
    def private(self) -> bool:
        """Whether this is the private stream."""
        return self.category is None

    @property
    def topics(self) -> tuple[str, ...]:
        """The topics wanted, in the order they were first subscribed."""
        return tuple(self._desired)

    @property
    def connected(self) -> bool:
        """Whether a connection is open."""
        return self._connected

    @property
    def ready(self) -> bool:
        """Whether the connection is open, authenticated (private) and every topic subscribed."""
        return self._connected and self.commandable and not self._subscribing()

    def is_active(self, topic: str) -> bool:
        """Whether ``topic`` is subscribed on the current connection."""
        return topic in self._active

    @property
    def commandable(self) -> bool:
        """Whether the connection takes subscriptions (open, and authenticated if private)."""
        return self._connected and (self.category is not None or self._authenticated)

    @property
    def redactor(self) -> Redactor:
        """Removes the stream's key and secret (and any signature) from text about to be shown."""
        return self._redact

    def _subscribing(self) -> bool:
        return any(r.op == "subscribe" for r in self._pending.values())

    # --- outputs ---------------------------------------------------------------------------------

    def data_to_send(self) -> list[str]:
        """Frames to send, in order (and forget)."""
        out, self._out = self._out, []
        return out

    def events(self) -> list[StreamEvent | BybitException]:
        """Events for the consumer, in order (and forget). A ``BybitException`` among them is an
        error to raise to the consumer without ending the stream (a refused resubscription, a
        message that could not be read)."""
        out, self._events = self._events, []
        return out

    def results(self) -> list[TopicResult]:
        """Outcomes of subscribe/unsubscribe requests, per topic (and forget)."""
        out, self._results = self._results, []
        return out

    def next_deadline(self) -> float | None:
        """When ``tick`` must run next (``None``: nothing scheduled)."""
        if not self._connected or self._held_since is not None:
            return None
        times = [self._pong_due if self._pong_due is not None else self._next_ping]
        times += [r.sent_at + self.settings.ack_timeout for r in self._pending.values()]
        return min(times)

    # --- what the user asks ----------------------------------------------------------------------

    def subscribe(self, names: Iterable[object], now: float) -> list[str]:
        """Want these topics (checked first, all or none: ``SDKException``); request the new ones if
        the connection can take commands. Returns the topic names (to wait for their results)."""
        topics = [parse_topic(name, category=self.category) for name in names]
        if not topics:
            raise SDKException("subscribe needs at least one topic")
        wanted = list(dict.fromkeys(t.name for t in topics))
        new = [t for t in dict.fromkeys(topics) if t.name not in self._desired]
        check_connection_limit(len(self._desired) + len(new), self.category)
        for topic in new:
            self._desired[topic.name] = topic
            if topic.family == "orderbook":
                assert topic.symbol is not None
                self._books[topic.name] = LocalOrderBook(topic.symbol)
        if self.commandable and new:
            self._request("subscribe", new, now)
        return wanted

    def unsubscribe(self, names: Iterable[object], now: float) -> list[str]:
        """Stop wanting these topics (unknown names are ignored). Returns the names sent to the
        exchange (to wait for their results)."""
        topics = [parse_topic(name, category=self.category) for name in names]
        gone = [t for t in dict.fromkeys(topics) if t.name in self._desired]
        for topic in gone:
            del self._desired[topic.name]
            self._books.pop(topic.name, None)
            self._tickers.pop(topic.name, None)
            self._resyncing.discard(topic.name)
        if not self.commandable or not gone:
            return []
        self._request("unsubscribe", gone, now)
        return [t.name for t in gone]

    def _request(self, op: str, topics: list[Topic], now: float, *, internal: bool = False) -> None:
        for group in plan_requests(topics, self.category):
            req_id = self._next_id()
            self._pending[req_id] = _Request(req_id, op, group, now, internal)
            self._out.append(json.dumps({"req_id": req_id, "op": op, "args": group}))
            logger.debug("stream %s %s: %s", self._name(), op, ", ".join(group))

    def _next_id(self) -> str:
        self._counter += 1
        return str(self._counter)

    def _name(self) -> str:
        return self.category or "private"

    # --- the connection --------------------------------------------------------------------------

    def connection_made(self, now: float) -> None:
        """A connection is open: authenticate (private) or subscribe every wanted topic (public)."""
        self._connected = True
        self._authenticated = False
        self.connection_ready = False
        self._active.clear()
        self._pending.clear()
        self._out.clear()
        self._resyncing.clear()
        self._tickers.clear()
        for book in self._books.values():
            book.invalidate()
        self.dead = None
        self._held_since = None
        self._pong_due = None
        self._next_ping = now + self.settings.ping_interval
        if self._lost is not None:
            self._attempts += 1
            if self._held is None:
                self._held = []
        if self._credentials is not None:
            req_id = self._next_id()
            expires = self._wall_ms() + int(self.settings.auth_expiry * 1000)
            self._pending[req_id] = _Request(req_id, "auth", [], now)
            self._out.append(
                json.dumps({"req_id": req_id, "op": "auth", "args": self._credentials.auth_args(expires)})
            )
        else:
            self._on_commandable(now)

    def connection_lost(self, reason: str, now: float, *, closing: bool = False) -> None:
        """The connection is gone (closed, failed, or closed by us after ``dead``); ``closing``: the
        stream itself is being closed (nothing to report)."""
        del now
        if not self._connected:
            return
        self._connected = False
        self._pending.clear()
        self._out.clear()
        self._active.clear()
        if self._ever_ready and self._lost is None:
            self._lost = (reason, self._wall_ms())
            self._attempts = 0
        level = logging.DEBUG if closing else logging.WARNING
        logger.log(level, "stream %s: connection lost (%s)", self._name(), self._redact(reason))

    def finish(self) -> None:
        """The stream stops: what waited behind a ``ReconnectedEvent`` that will not come is released."""
        if self._held:
            self._events.extend(self._held)
        self._held = None

    def hold(self, now: float) -> None:
        """The consumer is behind and the frames wait unread: stop judging the exchange's silence."""
        if self._held_since is None:
            self._held_since = now

    def release(self, now: float) -> None:
        """Reading again after ``hold``: the deadlines move by the time spent holding."""
        if self._held_since is None:
            return
        paused = now - self._held_since
        self._held_since = None
        if self._pong_due is not None:
            self._pong_due += paused
        self._next_ping += paused
        for request in self._pending.values():
            request.sent_at += paused

    def tick(self, now: float) -> None:
        """Send the ping that is due; find a dead connection (no pong, no acknowledgement)."""
        if not self._connected or self.dead is not None or self._held_since is not None:
            return
        if self._pong_due is not None:
            if now >= self._pong_due:
                self._die(f"no pong within {self.settings.pong_timeout:g} s")
                return
        elif now >= self._next_ping:
            self._out.append(json.dumps({"req_id": self._next_id(), "op": "ping"}))
            self._pong_due = now + self.settings.pong_timeout
            self._next_ping = now + self.settings.ping_interval
        for request in self._pending.values():
            if now >= request.sent_at + self.settings.ack_timeout:
                self._die(f"no answer to {request.op} within {self.settings.ack_timeout:g} s")
                return

    def _die(self, reason: str) -> None:
        if self.dead is None:
            self.dead = reason
            logger.warning("stream %s: connection dead: %s", self._name(), reason)

    # --- frames from the exchange ----------------------------------------------------------------

    def receive(self, data: str | bytes, now: float) -> None:
        """Handle one frame from the exchange."""
        try:
            message = _JSON.decode(data if isinstance(data, str) else data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            logger.warning(
                "stream %s: ignored a frame that is not JSON: %.200r", self._name(), self._redact(str(data))
            )
            return
        if not isinstance(message, dict):
            logger.warning("stream %s: ignored a frame that is not an object: %.200r", self._name(), message)
            return
        topic = message.get("topic")
        if isinstance(topic, str):
            self._on_data(topic, message, now)
            return
        op = message.get("op")
        if op == "pong" or (op == "ping" and message.get("ret_msg") == "pong"):
            self._pong_due = None
        elif op in ("auth", "subscribe", "unsubscribe") or message.get("type") in (
            "COMMAND_RESP",
            "AUTH_RESP",
        ):
            self._on_answer(message, now)
        else:
            logger.debug("stream %s: ignored %.200r", self._name(), message)

    def _on_answer(self, message: Mapping[str, Any], now: float) -> None:
        success = message.get("success")
        code = message.get("retCode")
        if success is None and isinstance(code, int):
            success = code == 0
        reason = self._redact(str(message.get("ret_msg") or message.get("retMsg") or ""))
        op = message.get("op")
        if message.get("type") == "AUTH_RESP":
            op = "auth"
        req_id = message.get("req_id") or message.get("reqId")
        request = self._pending.pop(req_id, None) if isinstance(req_id, str) else None
        if message.get("type") == "COMMAND_RESP":
            self._on_command_response(request, message, reason, now)
            return
        if request is None:
            request = self._oldest(op)
        if request is None:
            logger.debug("stream %s: an answer to no request: %.200r", self._name(), message)
            return
        if request.op == "auth":
            self._on_auth(success is True, reason, code if isinstance(code, int) else None, now)
        elif success is True:
            self._accepted(request, request.topics)
        else:
            named = [t for t in request.topics if t in reason]
            refused = named or request.topics
            self._refused(request, refused, reason, code if isinstance(code, int) else None)
            again = [self._desired[t] for t in request.topics if t not in refused and t in self._desired]
            if again and request.op == "subscribe":
                self._request("subscribe", again, now, internal=request.internal)
        self._check_ready()

    def _on_command_response(
        self, request: _Request | None, message: Mapping[str, Any], reason: str, now: float
    ) -> None:
        """Option/spread streams: ``data.successTopics`` and ``data.failTopics``."""
        del now
        data = message.get("data")
        data = data if isinstance(data, Mapping) else {}
        ok = [t for t in data.get("successTopics") or () if isinstance(t, str)]
        failed = [t for t in data.get("failTopics") or () if isinstance(t, str)]
        if request is None:
            named = set(ok) | set(failed)
            request = next((r for r in self._pending.values() if named & set(r.topics)), None)
            if request is None:
                request = self._oldest(None)
            if request is not None:
                del self._pending[request.req_id]
        if request is None:
            return
        failed = [
            t for t in request.topics if t in failed or (t not in ok and message.get("success") is False)
        ]
        self._accepted(request, [t for t in request.topics if t not in failed])
        if failed:
            self._refused(request, failed, reason or "failTopics", None)
        self._check_ready()

    def _oldest(self, op: object) -> _Request | None:
        for req_id, request in self._pending.items():
            if op is None or request.op == op:
                del self._pending[req_id]
                return request
        return None

    def _on_auth(self, accepted: bool, reason: str, code: int | None, now: float) -> None:
        if not accepted:
            self.fatal = StreamAuthenticationException(
                code, reason or "auth refused", hint="check the API key, the secret and the local clock"
            )
            self._die("auth refused")
            return
        self._authenticated = True
        logger.debug("stream %s: authenticated", self._name())
        self._on_commandable(now)

    def _on_commandable(self, now: float) -> None:
        if self._desired:
            self._request("subscribe", list(self._desired.values()), now)
        self._check_ready()

    def _accepted(self, request: _Request, topics: list[str]) -> None:
        for name in topics:
            if request.op == "subscribe":
                if name in self._desired:
                    self._active.add(name)
            elif not request.internal:
                self._active.discard(name)
            if not request.internal:
                self._results.append(TopicResult(name, request.op, None))

    def _refused(self, request: _Request, topics: list[str], reason: str, code: int | None) -> None:
        error = SubscriptionRejectedException(request.op, topics, reason, ret_code=code)
        logger.warning("stream %s: %s", self._name(), error)
        if request.op == "subscribe":
            for name in topics:
                self._desired.pop(name, None)
                self._books.pop(name, None)
                self._tickers.pop(name, None)
                self._resyncing.discard(name)
        elif request.internal:
            return  # the resubscription's own unsubscribe: its subscribe follows and decides
        for name in topics:
            self._results.append(TopicResult(name, request.op, error))

    def _check_ready(self) -> None:
        if not self.ready:
            return
        self._ever_ready = self.connection_ready = True
        if self._lost is None:
            return
        reason, lost_ms = self._lost
        self._lost = None
        held, self._held = self._held or [], None
        logger.info("stream %s: reconnected after %d attempt(s) (%s)", self._name(), self._attempts, reason)
        self._events.append(
            ReconnectedEvent(
                reason=reason,
                disconnected_at=from_ms(lost_ms),
                reconnected_at=from_ms(self._wall_ms()),
                attempts=self._attempts,
                topics=self.topics,
            )
        )
        self._events.extend(held)

    # --- data ------------------------------------------------------------------------------------

    def emit(self, event: StreamEvent | BybitException) -> None:
        """Queue an event (or a non-fatal error) for the consumer, after those already queued."""
        (self._held if self._held is not None else self._events).append(event)

    def _on_data(self, topic: str, message: dict[str, Any], now: float) -> None:
        family = topic.partition(".")[0]
        if self.category is None:
            if not any(t.family == family for t in self._desired.values()):
                return
        elif topic not in self._desired:
            return  # unsubscribed while the exchange was still sending
        try:
            if family == "orderbook":
                self._on_book(topic, message, now)
            elif family == "tickers":
                self._on_ticker(topic, message, now)
            else:
                kind = _MESSAGE_EVENTS.get(family)
                if kind is None:
                    logger.debug("stream %s: ignored topic %s", self._name(), topic)
                    return
                self.emit(kind(message))
        except ResponseFormatException as exc:
            logger.warning("stream %s: unreadable %s message: %s", self._name(), topic, exc)
            self.emit(ResponseFormatException(f"{topic}: {exc}"))

    def _on_book(self, topic: str, message: dict[str, Any], now: float) -> None:
        book = self._books[topic]
        data = message.get("data")
        if not isinstance(data, dict):
            raise ResponseFormatException(f"expected an object in data, got {data!r}")
        kind = message.get("type")
        try:
            if kind == "snapshot":
                bids, asks = book.snapshot(data, message.get("ts"), message.get("cts"))
                self._resyncing.discard(topic)
            elif kind == "delta":
                if topic in self._resyncing:
                    return
                bids, asks = book.delta(data, message.get("ts"), message.get("cts"))
            else:
                raise ResponseFormatException(f"unknown order book message type {kind!r}")
        except BookGap as gap:
            self._resubscribe(topic, gap.reason, now)
            return
        except ResponseFormatException as exc:
            self._resubscribe(topic, str(exc), now)
            return
        self.emit(OrderBookEvent(topic, book.view(), bids, asks, snapshot=kind == "snapshot"))

    def _on_ticker(self, topic: str, message: dict[str, Any], now: float) -> None:
        data = message.get("data")
        if not isinstance(data, dict):
            raise ResponseFormatException(f"expected an object in data, got {data!r}")
        if message.get("type") == "delta":
            merged = self._tickers.get(topic)
            if merged is None:
                if topic not in self._resyncing:
                    self._resubscribe(topic, "a ticker delta before any snapshot", now)
                return
            merged.update(data)
        else:
            merged = self._tickers[topic] = dict(data)
            self._resyncing.discard(topic)
        self.emit(TickerEvent({**message, "data": merged}))

    def _resubscribe(self, topic: str, reason: str, now: float) -> None:
        """Get a fresh snapshot: unsubscribe and subscribe again (once per gap)."""
        if topic in self._resyncing:
            return
        self._resyncing.add(topic)
        book = self._books.get(topic)
        if book is not None:
            book.invalidate()
            self.emit(OrderBookResyncEvent(topic, reason))
        self._tickers.pop(topic, None)
        logger.warning("stream %s: %s: %s; subscribing again", self._name(), topic, reason)
        if self.commandable:
            spec = [self._desired[topic]]
            self._request("unsubscribe", spec, now, internal=True)
            self._request("subscribe", spec, now, internal=True)
