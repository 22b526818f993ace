"""The exchange's side of one stream connection, without I/O: a frame in, the answers out, and the
topics it subscribed or unsubscribed (the server then starts or stops sending them).

As Bybit answers (``docs/v5/ws/connect``):

* ``{"op": "ping"}``: a pong in the shape of the connection: spot ``{"success": true, "ret_msg":
  "pong", "op": "ping"}``, linear and inverse the same with the ``req_id``, option ``{"op": "pong",
  "args": [ms]}``, private ``{"op": "pong", "args": [ms], "req_id": ...}``;
* ``auth`` (private connections): ``args`` ``[api_key, expires, signature]``, checked like a REST
  request by the sandbox's ``Authenticator``: a known key (else ``Request not authorized``),
  ``expires`` (ms) after the exchange clock and at most ``MAX_AUTH_AHEAD_MS`` ahead of it (else
  ``Params Error``, Bybit's answer to an expired one), and the signature of ``GET/realtime{expires}``:
  HMAC-SHA256 hex with the key's secret, or RSA-SHA256 base64 with its RSA key (else ``Request not
  authorized``);
* ``subscribe``/``unsubscribe`` with ``args`` (topics) and an optional ``req_id``, echoed in the
  answer: a request with a topic the exchange does not serve, one already subscribed, or past the
  limits (``_ws_topics``) is refused as a whole (``success`` false, ``ret_msg`` naming the topic);
  private topics need ``auth`` first. Option connections answer per topic (``successTopics``,
  ``failTopics``). Unsubscribing a topic that is not subscribed is a no-op.
* anything else: ``success`` false, ``error:invalid op`` (``Params Error`` for a frame that is not a
  JSON object).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from carpenstar_bybit.sandbox._auth import Authenticator
from carpenstar_bybit.sandbox._state import ExchangeState
from carpenstar_bybit.sandbox._ws_topics import (
    StreamTopic,
    TopicRefused,
    check_request,
    private_topic,
    public_topic,
)

__all__ = ["MAX_AUTH_AHEAD_MS", "Outcome", "StreamSession"]

#: How far ahead of the exchange clock an ``auth``'s ``expires`` may lie (Bybit does not document a
#: limit; an hour lets clients sign well ahead, as pybit's ``private_auth_expire`` allows).
MAX_AUTH_AHEAD_MS = 3_600_000
_PARAMS_ERROR = "Params Error"
_NOT_AUTHORIZED = "Request not authorized"


@dataclass
class Outcome:
    """What one frame made the connection do."""

    answers: list[dict[str, Any]] = field(default_factory=list)
    #: The answer is a pong (a ``no_pong`` fault withholds it).
    pong: bool = False
    subscribed: list[StreamTopic] = field(default_factory=list)
    unsubscribed: list[StreamTopic] = field(default_factory=list)
    #: The API key the connection has just authenticated as.
    authenticated: str | None = None


class _Refused(Exception):
    """A request refused: the ``ret_msg``."""


def _expires(raw: object) -> int:
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.isdecimal() and len(raw) <= 18:
        return int(raw)
    raise _Refused(_PARAMS_ERROR)


class StreamSession:
    """One connection to ``path`` (``/v5/public/{category}`` or ``/v5/private``)."""

    def __init__(
        self,
        path: str,
        conn_id: str,
        *,
        state: ExchangeState,
        authenticator: Authenticator,
        clock: Callable[[], int],
    ) -> None:
        self.path = path
        self.conn_id = conn_id
        self.category = path.rsplit("/", 1)[1] if path.startswith("/v5/public/") else None
        self.state = state
        self._auth = authenticator
        self._clock = clock
        #: The topics subscribed, by name, in the order they were.
        self.topics: dict[str, StreamTopic] = {}
        #: The API key of an authenticated private connection.
        self.api_key: str | None = None

    @property
    def private(self) -> bool:
        """Whether this is a private connection."""
        return self.category is None

    def receive(self, frame: str | bytes) -> Outcome:
        """Handle one frame of the client."""
        outcome = Outcome()
        try:
            message = json.loads(frame)
        except (ValueError, UnicodeDecodeError, RecursionError):
            message = None
        if not isinstance(message, dict):
            outcome.answers.append(self._failure("", _PARAMS_ERROR, None))
            return outcome
        op = message.get("op")
        req_id = message.get("req_id")
        if op == "ping":
            outcome.answers.append(self._pong(req_id))
            outcome.pong = True
        elif op == "auth" and self.private:
            outcome.answers.append(self._authenticate(message.get("args"), req_id, outcome))
        elif op in ("subscribe", "unsubscribe"):
            outcome.answers.append(self._request(op, message.get("args"), req_id, outcome))
        else:
            outcome.answers.append(
                self._failure(op if isinstance(op, str) else "", "error:invalid op", req_id)
            )
        return outcome

    # --- answers ---------------------------------------------------------------------------------

    def _answer(self, op: str, success: bool, ret_msg: str, req_id: object) -> dict[str, Any]:
        answer: dict[str, Any] = {"success": success, "ret_msg": ret_msg, "conn_id": self.conn_id}
        if req_id is not None or self.category in ("linear", "inverse"):
            answer["req_id"] = "" if req_id is None else req_id
        answer["op"] = op
        return answer

    def _failure(self, op: str, ret_msg: str, req_id: object) -> dict[str, Any]:
        return self._answer(op, False, ret_msg, req_id)

    def _pong(self, req_id: object) -> dict[str, Any]:
        now = str(self._clock())
        if self.private:
            answer: dict[str, Any] = {"op": "pong", "args": [now], "conn_id": self.conn_id}
            if req_id is not None:
                answer = {"req_id": req_id, **answer}
            return answer
        if self.category == "option":
            return {"args": [now], "op": "pong"}
        if self.category == "spot":
            return {"success": True, "ret_msg": "pong", "conn_id": self.conn_id, "op": "ping"}
        return self._answer("ping", True, "pong", req_id)

    # --- auth ------------------------------------------------------------------------------------

    def _authenticate(self, args: object, req_id: object, outcome: Outcome) -> dict[str, Any]:
        try:
            key = self._check_auth(args)
            if self.api_key is not None and key != self.api_key:
                raise _Refused("error:already authenticated with another API key")
        except _Refused as refused:
            return self._failure("auth", str(refused), req_id)
        if self.api_key is None:
            self.api_key = outcome.authenticated = key
        return self._answer("auth", True, "", req_id)

    def _check_auth(self, args: object) -> str:
        if not isinstance(args, list) or len(args) != 3:
            raise _Refused(_PARAMS_ERROR)
        key, raw_expires, signature = args
        expires = _expires(raw_expires)
        if not isinstance(key, str) or not isinstance(signature, str):
            raise _Refused(_PARAMS_ERROR)
        if not self._auth.knows(key):
            raise _Refused(_NOT_AUTHORIZED)
        now = self._clock()
        if not now < expires <= now + MAX_AUTH_AHEAD_MS:
            raise _Refused(_PARAMS_ERROR)
        if not self._auth.signature_valid(key, f"GET/realtime{raw_expires}".encode(), signature):
            raise _Refused(_NOT_AUTHORIZED)
        return key

    # --- subscriptions ---------------------------------------------------------------------------

    def _topic(self, name: str) -> StreamTopic:
        if self.category is None:
            return private_topic(name)
        return public_topic(name, self.category, self.state)

    def _request(self, op: str, args: object, req_id: object, outcome: Outcome) -> dict[str, Any]:
        if not isinstance(args, list) or not args or not all(isinstance(a, str) for a in args):
            return self._failure(op, _PARAMS_ERROR, req_id)
        names: list[str] = list(dict.fromkeys(args))
        if self.private and self.api_key is None:
            return self._failure(op, _NOT_AUTHORIZED, req_id)
        if op == "unsubscribe":
            gone = [self.topics.pop(name) for name in names if name in self.topics]
            outcome.unsubscribed.extend(gone)
            return self._acknowledge(op, names, [], "", req_id)
        try:
            check_request(args, self.category, len(self.topics))  # Bybit counts the args as sent
        except TopicRefused as refused:
            return self._acknowledge(op, [], names, str(refused), req_id)
        wanted: list[StreamTopic] = []
        failed: list[str] = []
        reason = ""
        for name in names:
            try:
                if name in self.topics:
                    raise TopicRefused(f"error:already subscribed,topic:{name}")
                wanted.append(self._topic(name))
            except TopicRefused as refused:
                failed.append(name)
                reason = reason or str(refused)
        if failed and self.category != "option":  # refused as a whole, naming the first bad topic
            return self._acknowledge(op, [], names, reason, req_id)
        for topic in wanted:
            self.topics[topic.name] = topic
        outcome.subscribed.extend(wanted)
        return self._acknowledge(op, [t.name for t in wanted], failed, reason, req_id)

    def _acknowledge(
        self, op: str, done: list[str], failed: list[str], reason: str, req_id: object
    ) -> dict[str, Any]:
        if self.category == "option":
            answer: dict[str, Any] = {
                "success": not failed,
                "ret_msg": reason,
                "conn_id": self.conn_id,
                "data": {"failTopics": failed, "successTopics": done},
                "type": "COMMAND_RESP",
            }
            if req_id is not None:
                answer["req_id"] = req_id
            return answer
        if failed:
            return self._failure(op, reason, req_id)
        return self._answer(op, True, op if self.category == "spot" else "", req_id)
