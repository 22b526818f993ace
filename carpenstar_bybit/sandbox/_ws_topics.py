"""Which stream topics the sandbox serves, checked as Bybit checks them (``docs/v5/websocket/...``).

Public (``/v5/public/{category}``), for a symbol listed in the connection's category:

* ``orderbook.{depth}.{symbol}``: depth 1, 50, 200 or 1000 (spot, linear, inverse); 25 or 100 (option);
* ``publicTrade.{symbol}`` (option: the base coin, ``publicTrade.BTC``: every listed option of it);
* ``tickers.{symbol}``;
* ``kline.{interval}.{symbol}``: interval 1 3 5 15 30 60 120 240 360 720 D W M (not for options).

Private (``/v5/private``, after ``auth``): ``order``, ``execution``, ``position``, ``wallet``, and the
categorised ``order.{category}``, ``execution.{category}``, ``position.{category}``.

Limits: a request's ``args`` at most 21,000 characters (as JSON); spot at most 10 topics per request;
an option connection at most 2000 topics; an all-in-one private topic and a categorised one never in
the same request.

Refusals name the topic as Bybit does (``error:handler not found,topic:...``); the texts of the
limits are Bybit's where known (``args size >10``), the sandbox's own otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._errors import ExchangeError
from carpenstar_bybit.sandbox._instruments import Instrument
from carpenstar_bybit.sandbox._state import ExchangeState
from carpenstar_bybit.v5.stream._topics import (  # Bybit's facts, one copy for the SDK and the sandbox
    MAX_ARGS_CHARS,
    OPTION_TOPICS_PER_CONNECTION,
    ORDERBOOK_DEPTHS,
    PRIVATE_TOPICS,
    SPOT_ARGS_PER_REQUEST,
)

__all__ = [
    "StreamTopic",
    "TopicRefused",
    "check_request",
    "private_topic",
    "public_topic",
]


class TopicRefused(Exception):
    """A topic or a request the exchange refuses: ``str(exc)`` is the ``ret_msg``."""


@dataclass(frozen=True)
class StreamTopic:
    """A topic the sandbox serves: its name, family and what it covers."""

    name: str
    family: str
    #: Public topics: the connection's category; categorised private topics: theirs.
    category: str | None = None
    #: The instruments of a public topic (``publicTrade.BTC`` of options: every BTC option).
    instruments: tuple[Instrument, ...] = ()
    depth: int | None = None
    interval: str | None = None

    @property
    def categorised(self) -> bool:
        """Whether it is a private topic of one category (``order.linear``)."""
        return self.category is not None and self.family in PRIVATE_TOPICS


def _not_found(name: str) -> TopicRefused:
    return TopicRefused(f"error:handler not found,topic:{name}")


def _listed(state: ExchangeState, name: str, symbol: str, category: str) -> Instrument:
    try:
        return state.instrument(symbol, (category,))
    except ExchangeError:
        raise _not_found(name) from None


def public_topic(name: str, category: str, state: ExchangeState) -> StreamTopic:
    """The public topic ``name`` of a ``category`` connection; ``TopicRefused`` if Bybit would not
    serve it there (unknown family, depth or interval, a symbol not listed in the category)."""
    family, _, rest = name.partition(".")
    if family in ("orderbook", "kline"):
        param, _, symbol = rest.partition(".")
        if family == "orderbook":
            if not param.isdecimal() or int(param) not in ORDERBOOK_DEPTHS[category]:
                raise _not_found(name)
            instrument = _listed(state, name, symbol, category)
            return StreamTopic(name, family, category, (instrument,), depth=int(param))
        if param not in md.KLINE_INTERVALS or category == "option":
            raise _not_found(name)
        return StreamTopic(name, family, category, (_listed(state, name, symbol, category),), interval=param)
    if family == "tickers":
        return StreamTopic(name, family, category, (_listed(state, name, rest, category),))
    if family == "publicTrade":
        if category == "option":
            options = tuple(i for i in state.instruments("option") if i.base_coin == rest)
            if not options:
                raise _not_found(name)
            return StreamTopic(name, family, category, options)
        return StreamTopic(name, family, category, (_listed(state, name, rest, category),))
    raise _not_found(name)


def private_topic(name: str) -> StreamTopic:
    """The private topic ``name``; ``TopicRefused`` if it is not one the sandbox serves."""
    family, dot, category = name.partition(".")
    if family not in PRIVATE_TOPICS or (dot and category not in PRIVATE_TOPICS[family]):
        raise _not_found(name)
    return StreamTopic(name, family, category or None)


def check_request(args: Sequence[str], category: str | None, subscribed: int) -> None:
    """Bybit's limits on one ``subscribe`` request of ``args`` on a connection that already has
    ``subscribed`` topics (``category`` ``None``: private); ``TopicRefused`` when one is broken."""
    if category == "spot" and len(args) > SPOT_ARGS_PER_REQUEST:
        raise TopicRefused(f"args size >{SPOT_ARGS_PER_REQUEST}")
    if len(json.dumps(list(args))) > MAX_ARGS_CHARS:
        raise TopicRefused(f"args length >{MAX_ARGS_CHARS}")
    if category == "option" and subscribed + len(args) > OPTION_TOPICS_PER_CONNECTION:
        raise TopicRefused(f"topics per connection >{OPTION_TOPICS_PER_CONNECTION}")
    if category is None:
        if len({"." in a for a in args}) > 1:
            mixed = next(a for a in args if "." in a)
            raise TopicRefused(
                f"error:all-in-one and categorised topics cannot be in the same request,topic:{mixed}"
            )
