"""Topic names of the V5 streams, built and checked::

    from carpenstar_bybit.v5.stream import topics

    topics.orderbook("BTCUSDT", 50)      # 'orderbook.50.BTCUSDT'
    topics.kline("BTCUSDT", "5")         # 'kline.5.BTCUSDT'
    topics.ORDER, topics.order("linear")  # 'order', 'order.linear'

A stream checks every topic again before sending it (the depth against the stream's category, too).
"""

from __future__ import annotations

from enum import Enum
from typing import Final

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.v5.stream._topics import parse_topic

__all__ = [
    "EXECUTION",
    "ORDER",
    "POSITION",
    "WALLET",
    "execution",
    "kline",
    "order",
    "orderbook",
    "position",
    "public_trade",
    "tickers",
]

ORDER: Final = "order"
EXECUTION: Final = "execution"
POSITION: Final = "position"
WALLET: Final = "wallet"


def _text(value: object) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def _public(name: str) -> str:
    """``name`` if some category takes it (depths differ: the stream checks its own category)."""
    try:
        return parse_topic(name, category="linear").name
    except SDKException:
        if not name.startswith("orderbook."):
            raise
        try:
            return parse_topic(name, category="option").name
        except SDKException:
            pass
        raise


def orderbook(symbol: str, depth: int = 50) -> str:
    """``orderbook.{depth}.{symbol}``: the order book, kept as a local book by the stream."""
    return _public(f"orderbook.{depth}.{symbol}")


def public_trade(symbol: str) -> str:
    """``publicTrade.{symbol}``: every public trade (options: the base coin, e.g. ``BTC``)."""
    return _public(f"publicTrade.{symbol}")


def tickers(symbol: str) -> str:
    """``tickers.{symbol}``: the ticker, merged from snapshot and deltas into a full one."""
    return _public(f"tickers.{symbol}")


def kline(symbol: str, interval: object) -> str:
    """``kline.{interval}.{symbol}``: candles (interval ``1``... ``720``, ``D``, ``W``, ``M``, or an
    ``EnumIntervals``)."""
    return _public(f"kline.{_text(interval)}.{symbol}")


def _private(family: str, category: object) -> str:
    name = family if category is None else f"{family}.{_text(category)}"
    return parse_topic(name, category=None).name


def order(category: object = None) -> str:
    """``order``, or ``order.{category}`` for one category."""
    return _private("order", category)


def execution(category: object = None) -> str:
    """``execution``, or ``execution.{category}`` for one category."""
    return _private("execution", category)


def position(category: object = None) -> str:
    """``position``, or ``position.{category}`` for one category (linear, inverse, option)."""
    return _private("position", category)
