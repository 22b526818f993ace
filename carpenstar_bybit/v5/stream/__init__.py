"""Bybit's V5 WebSocket streams: market data and your own orders, fills, positions and wallet, typed.

::

    from carpenstar_bybit.v5.stream import PublicStream, topics

    with PublicStream("linear", topics=[topics.orderbook("BTCUSDT", 50)]) as stream:
        for event in stream:                       # OrderBookEvent, TradeEvent, TickerEvent, ...
            print(event.get_book().get_best_bid())

``AsyncPublicStream`` and ``AsyncPrivateStream`` are the same for asyncio (``async with`` /
``async for``). Streams reconnect by themselves (``ReconnectPolicy``), authenticate and subscribe
again, keep order books and tickers, and tell you when events may have been missed
(``ReconnectedEvent``; a ``Reconciler`` reads the orders and positions over REST then).
``StreamProtocol`` is the protocol without I/O that all of them run. Needs the ``stream`` extra
(``pip install 'carpenstar-bybit[stream]'``).
"""

from carpenstar_bybit.v5.stream import topics
from carpenstar_bybit.v5.stream._backoff import ReconnectPolicy
from carpenstar_bybit.v5.stream._book import BookLevel, OrderBook
from carpenstar_bybit.v5.stream._events import (
    ExecutionEvent,
    KlineEvent,
    OrderBookEvent,
    OrderBookResyncEvent,
    OrderEvent,
    OrderSnapshotEvent,
    PositionEvent,
    PositionSnapshotEvent,
    ReconnectedEvent,
    StreamEvent,
    TickerEvent,
    TradeEvent,
    WalletEvent,
)
from carpenstar_bybit.v5.stream._exceptions import (
    StreamAuthenticationException,
    StreamConnectionException,
    StreamException,
    StreamOverflowException,
    SubscriptionRejectedException,
)
from carpenstar_bybit.v5.stream._hosts import StreamHosts
from carpenstar_bybit.v5.stream._items import (
    Execution,
    ExtraFee,
    Kline,
    Order,
    Position,
    PublicTrade,
    Ticker,
    Wallet,
    WalletCoin,
)
from carpenstar_bybit.v5.stream._protocol import StreamProtocol, StreamSettings, TopicResult
from carpenstar_bybit.v5.stream._reconcile import Reconciler, ReconcileScope
from carpenstar_bybit.v5.stream._streams import (
    AsyncPrivateStream,
    AsyncPublicStream,
    AsyncStream,
    PrivateStream,
    PublicStream,
    Stream,
)

__all__ = [
    "AsyncPrivateStream",
    "AsyncPublicStream",
    "AsyncStream",
    "BookLevel",
    "Execution",
    "ExecutionEvent",
    "ExtraFee",
    "Kline",
    "KlineEvent",
    "Order",
    "OrderBook",
    "OrderBookEvent",
    "OrderBookResyncEvent",
    "OrderEvent",
    "OrderSnapshotEvent",
    "Position",
    "PositionEvent",
    "PositionSnapshotEvent",
    "PrivateStream",
    "PublicStream",
    "PublicTrade",
    "ReconcileScope",
    "Reconciler",
    "ReconnectPolicy",
    "ReconnectedEvent",
    "Stream",
    "StreamAuthenticationException",
    "StreamConnectionException",
    "StreamEvent",
    "StreamException",
    "StreamHosts",
    "StreamOverflowException",
    "StreamProtocol",
    "StreamSettings",
    "SubscriptionRejectedException",
    "Ticker",
    "TickerEvent",
    "TopicResult",
    "TradeEvent",
    "Wallet",
    "WalletCoin",
    "WalletEvent",
    "topics",
]
