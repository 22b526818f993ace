"""A local Bybit-compatible exchange for tests and demos: ``SandboxExchange``.

It runs a real HTTP/1.1 server on 127.0.0.1 that speaks the V3 routes of the PHP SDK (contract
orders, positions and account; derivatives market data) and every V5 route of the SDK (orders and
batches, positions, executions, closed PnL, the unified wallet, fee rates, account, coin and API key
info, market data from a deterministic model), over one in-memory state, with the exchange's rules:
HMAC and RSA signatures and the timestamp window (10002, 10003, 10004), parameter errors (10001),
instrument filters, the order lifecycle and its not-found codes (140001 on V3, 110001 on V5),
Bybit's per-route rate limits with ``X-Bapi-Limit*`` headers (10006), and fault injection. pybit
and ccxt run against it unchanged (only their host changes); ``transport()`` serves it without a
socket. ``ws_url`` serves Bybit's V5 WebSocket streams over the same state (with the ``stream``
extra): the account's orders, fills, positions and wallet as REST changes them, and the market
model's books, trades, tickers and candles, with faults of their own (``ws_faults``):

    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.sandbox import SandboxExchange

    with SandboxExchange(api_keys={"key": "secret"}) as ex:
        api = BybitAPI(ex.url, "key", "secret")
        ...                                    # your trading code, unchanged
        ex.faults.inject("http_5xx", count=2)  # the next two requests get a 503 page
        assert ex.orders()[0].status == "New"
        stream = PrivateStream("key", "secret", host=ex.ws_url, topics=["order"])
        ex.ws_faults.inject("drop")            # cut the stream's connection

Standalone: ``carpenstar-bybit sandbox --port 8080 --api-key K --secret S``.
"""

from carpenstar_bybit.sandbox._app import RequestRecord
from carpenstar_bybit.sandbox._exchange import DEFAULT_API_KEY, DEFAULT_SECRET, SandboxExchange
from carpenstar_bybit.sandbox._faults import Fault, FaultInjector, FaultKind
from carpenstar_bybit.sandbox._ledger import WalletMetrics as SandboxWallet
from carpenstar_bybit.sandbox._records import (
    SandboxClosedPnl,
    SandboxExecution,
    SandboxOrder,
    SandboxPosition,
)
from carpenstar_bybit.sandbox._state import StateEvent
from carpenstar_bybit.sandbox._transport import SandboxTransport
from carpenstar_bybit.sandbox._ws_connection import StreamConnection
from carpenstar_bybit.sandbox._ws_faults import WsFault, WsFaultInjector, WsFaultKind

__all__ = [
    "DEFAULT_API_KEY",
    "DEFAULT_SECRET",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "RequestRecord",
    "SandboxClosedPnl",
    "SandboxExchange",
    "SandboxExecution",
    "SandboxOrder",
    "SandboxPosition",
    "SandboxTransport",
    "SandboxWallet",
    "StateEvent",
    "StreamConnection",
    "WsFault",
    "WsFaultInjector",
    "WsFaultKind",
]
