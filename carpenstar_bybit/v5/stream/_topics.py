"""Topic names: which ones exist, checked before anything is sent, and how they are split into
``subscribe`` requests within Bybit's limits (``docs/v5/ws/connect``, ``docs/v5/websocket/...``).

Public topics (the category is the stream's):

* ``orderbook.{depth}.{symbol}``: depth 1, 50, 200 or 1000 (spot, linear, inverse); 25 or 100 (option);
* ``publicTrade.{symbol}`` (option: the base coin, ``publicTrade.BTC``);
* ``tickers.{symbol}``;
* ``kline.{interval}.{symbol}``: interval 1 3 5 15 30 60 120 240 360 720 D W M.

Private topics: ``order``, ``execution``, ``position``, ``wallet``, and the categorised
``order.{category}``, ``execution.{category}``, ``position.{category}``.

Limits: a request's ``args`` array is at most 21,000 characters; spot takes at most 10 topics per
request; an option connection at most 2000 topics; an all-in-one private topic (``order``) and a
categorised one (``order.linear``) never share a request.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Final, NamedTuple

from carpenstar_bybit.core.exceptions import SDKException

__all__ = [
    "KLINE_INTERVALS",
    "ORDERBOOK_DEPTHS",
    "PRIVATE_TOPICS",
    "Topic",
    "check_connection_limit",
    "parse_topic",
    "plan_requests",
]

ORDERBOOK_DEPTHS: Final[dict[str, tuple[int, ...]]] = {
    "spot": (1, 50, 200, 1000),
    "linear": (1, 50, 200, 1000),
    "inverse": (1, 50, 200, 1000),
    "option": (25, 100),
}
KLINE_INTERVALS: Final = ("1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W", "M")
#: Private topic families and the categories of their categorised forms.
PRIVATE_TOPICS: Final[dict[str, tuple[str, ...]]] = {
    "order": ("spot", "linear", "inverse", "option"),
    "execution": ("spot", "linear", "inverse", "option"),
    "position": ("linear", "inverse", "option"),
    "wallet": (),
}
MAX_ARGS_CHARS: Final = 21_000
SPOT_ARGS_PER_REQUEST: Final = 10
OPTION_TOPICS_PER_CONNECTION: Final = 2000

_SYMBOL = re.compile(r"[A-Z0-9][A-Z0-9_-]*\Z")
_PUBLIC_FAMILIES = ("orderbook", "publicTrade", "tickers", "kline")


class Topic(NamedTuple):
    """A checked topic: its name, family (``orderbook``, ``order``...) and the parts of the name."""

    name: str
    family: str
    symbol: str | None = None
    depth: int | None = None
    interval: str | None = None
    #: The category of a categorised private topic (``order.linear``), else ``None``.
    category: str | None = None


def _symbol(topic: str, symbol: str) -> str:
    if not _SYMBOL.match(symbol):
        raise SDKException(
            f"topic {topic!r}: a symbol is upper-case letters, digits and '-' (e.g. BTCUSDT), got {symbol!r}"
        )
    return symbol


def _public(name: str, category: str) -> Topic:
    family, _, rest = name.partition(".")
    if family == "orderbook" or family == "kline":
        param, _, symbol = rest.partition(".")
        if not symbol:
            shape = "orderbook.{depth}.{symbol}" if family == "orderbook" else "kline.{interval}.{symbol}"
            raise SDKException(f"topic {name!r}: expected {shape}")
        if family == "orderbook":
            depths = ORDERBOOK_DEPTHS[category]
            if not param.isdecimal() or int(param) not in depths:
                allowed = ", ".join(map(str, depths))
                raise SDKException(f"topic {name!r}: {category} order book depth must be one of {allowed}")
            return Topic(name, family, _symbol(name, symbol), depth=int(param))
        if param not in KLINE_INTERVALS:
            raise SDKException(f"topic {name!r}: kline interval must be one of {' '.join(KLINE_INTERVALS)}")
        return Topic(name, family, _symbol(name, symbol), interval=param)
    if family in ("publicTrade", "tickers"):
        if not rest:
            raise SDKException(f"topic {name!r}: expected {family}.{{symbol}}")
        return Topic(name, family, _symbol(name, rest))
    private = " (a private topic: use PrivateStream)" if family in PRIVATE_TOPICS else ""
    raise SDKException(
        f"unknown public topic {name!r}{private}; public topics are "
        "orderbook.{depth}.{symbol}, publicTrade.{symbol}, tickers.{symbol}, kline.{interval}.{symbol}"
    )


def _private(name: str) -> Topic:
    family, dot, category = name.partition(".")
    if family not in PRIVATE_TOPICS:
        public = " (a public topic: use PublicStream)" if family in _PUBLIC_FAMILIES else ""
        raise SDKException(
            f"unknown private topic {name!r}{public}; private topics are order, execution, position, "
            "wallet and order.{category}, execution.{category}, position.{category}"
        )
    if not dot:
        return Topic(name, family)
    if category not in PRIVATE_TOPICS[family]:
        allowed = ", ".join(PRIVATE_TOPICS[family]) or "none"
        raise SDKException(f"topic {name!r}: the categories of {family} are {allowed}")
    return Topic(name, family, category=category)


def parse_topic(name: object, *, category: str | None) -> Topic:
    """Check a topic name: a public one for ``category``, a private one when ``category`` is ``None``.
    Raises ``SDKException`` naming what is wrong."""
    if not isinstance(name, str):
        raise SDKException(f"a topic must be a string, got {type(name).__name__} {name!r}")
    return _private(name) if category is None else _public(name, category)


def check_connection_limit(count: int, category: str | None) -> None:
    """Raise ``SDKException`` when one connection would carry more topics than Bybit allows."""
    if category == "option" and count > OPTION_TOPICS_PER_CONNECTION:
        raise SDKException(
            f"an option stream takes at most {OPTION_TOPICS_PER_CONNECTION} topics per connection, "
            f"this would make {count}: open another stream"
        )


def _json_chars(name: str) -> int:
    return len(json.dumps(name))


def plan_requests(topics: Iterable[Topic], category: str | None) -> list[list[str]]:
    """The topics as the ``args`` of as few requests as the limits allow, in order."""
    per_request = SPOT_ARGS_PER_REQUEST if category == "spot" else None
    groups: list[tuple[list[str], bool, list[int]]] = []  # names, categorised?, [JSON chars of args]
    for topic in topics:
        size = _json_chars(topic.name)
        if size + 2 > MAX_ARGS_CHARS:
            raise SDKException(f"topic {topic.name[:40]!r}... is longer than a request may be")
        categorised = topic.category is not None
        for names, kind, chars in groups:
            # '["a", "b"]': brackets, each name as JSON, ", " between names
            if (
                kind == categorised
                and (per_request is None or len(names) < per_request)
                and chars[0] + 2 + size <= MAX_ARGS_CHARS
            ):
                names.append(topic.name)
                chars[0] += 2 + size
                break
        else:
            groups.append(([topic.name], categorised, [2 + size]))
    return [names for names, _, _ in groups]
