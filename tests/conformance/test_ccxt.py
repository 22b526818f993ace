"""ccxt's ``bybit``, unmodified (only its hosts changed), through a trading bot's day on the sandbox;
every value it reads is checked against the sandbox's own state."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carpenstar_bybit.sandbox import SandboxExchange
from tests.conformance.conftest import ccxt_client

ccxt = pytest.importorskip("ccxt")

SYMBOL = "BTC/USDT:USDT"
D = Decimal


def _d(value: object) -> Decimal:
    """A float ccxt computed, as the decimal it stands for."""
    return D(repr(value)) if isinstance(value, float) else D(str(value))


def test_load_markets_calls_the_bootstrap_routes(exchange: SandboxExchange) -> None:
    client = ccxt_client(exchange)
    markets = client.load_markets()
    paths = [r.path for r in exchange.requests()]
    assert paths[0] == "/v5/asset/coin/query-info"  # ccxt's first call (it used to be a 404)
    assert set(paths[1:]) == {"/v5/market/instruments-info"}
    assert {r.ret_code for r in exchange.requests()} == {0}
    perpetual = markets[SYMBOL]
    assert (perpetual["id"], perpetual["type"], perpetual["settle"], perpetual["linear"]) == (
        "BTCUSDT",
        "swap",
        "USDT",
        True,
    )
    assert (_d(perpetual["precision"]["price"]), _d(perpetual["precision"]["amount"])) == (
        D("0.1"),
        D("0.001"),
    )
    assert markets["BTC/USDT"]["spot"] is True
    assert markets["BTC/USD:BTC"]["inverse"] is True
    (future,) = [m for m in markets.values() if m["future"]]
    listed = {i.symbol for i in exchange.instruments("linear") if i.is_future}
    assert {future["id"]} == listed
    assert future["expiry"] > exchange.requests()[-1].time_ms
    assert {"BTC", "ETH", "USDT", "USDC"} <= set(client.currencies)


def test_a_bots_day(exchange: SandboxExchange) -> None:
    client = ccxt_client(exchange)
    client.load_markets()

    ticker = client.fetch_ticker(SYMBOL)
    last = _d(ticker["last"])
    assert last == exchange.mark_price("BTCUSDT")
    book = client.fetch_order_book(SYMBOL, 5)
    assert _d(book["bids"][0][0]) < last < _d(book["asks"][0][0])
    assert (_d(ticker["bid"]), _d(ticker["ask"])) == (_d(book["bids"][0][0]), _d(book["asks"][0][0]))
    candles = client.fetch_ohlcv(SYMBOL, "1m", limit=3)
    assert len(candles) == 3
    assert _d(candles[-1][4]) == last  # ccxt lists oldest first: the newest closes at the last price
    assert _d(ticker["high"]) >= last >= _d(ticker["low"])

    balance = client.fetch_balance()
    assert _d(balance["USDT"]["total"]) == exchange.wallet("USDT").wallet_balance == D(100_000)
    assert _d(balance["USDT"]["free"]) == exchange.wallet("USDT").available_balance

    client.set_leverage(5, SYMBOL)
    plain = client.create_order(SYMBOL, "limit", "buy", 0.01, 25000)
    tagged = client.create_order(SYMBOL, "limit", "buy", 0.02, 25500, {"clientOrderId": "ccxt-day-1"})
    assert tagged["clientOrderId"] == "ccxt-day-1"
    with pytest.raises(ccxt.InvalidOrder):
        client.create_order(SYMBOL, "limit", "buy", 0.01, 25000, {"clientOrderId": "ccxt-day-1"})
    open_orders = client.fetch_open_orders(SYMBOL)
    assert {o["id"] for o in open_orders} == {plain["id"], tagged["id"]}
    assert {o["id"] for o in open_orders} == {o.order_id for o in exchange.orders(status="New")}
    by_id = {o["id"]: o for o in open_orders}
    assert (_d(by_id[tagged["id"]]["price"]), _d(by_id[tagged["id"]]["amount"])) == (D(25500), D("0.02"))
    assert by_id[tagged["id"]]["clientOrderId"] == "ccxt-day-1"
    assert _d(client.fetch_balance()["USDT"]["used"]) == exchange.wallet("USDT").order_margin == D(152)

    client.edit_order(tagged["id"], SYMBOL, "limit", "buy", 0.03, 25600)
    amended = exchange.order(tagged["id"])
    assert amended is not None
    assert (amended.price, amended.qty) == (D(25600), D("0.03"))
    client.cancel_order(plain["id"], SYMBOL)
    assert exchange.order(plain["id"]).status == "Cancelled"  # type: ignore[union-attr]
    with pytest.raises(ccxt.OrderNotFound):
        client.cancel_order(plain["id"], SYMBOL)

    batch = client.create_orders(
        [
            {"symbol": SYMBOL, "type": "limit", "side": "buy", "amount": 0.01, "price": 24000},
            {"symbol": SYMBOL, "type": "limit", "side": "sell", "amount": 0.01, "price": 36000},
        ]
    )
    assert [exchange.order(o["id"]).status for o in batch] == ["New", "New"]  # type: ignore[union-attr]
    client.cancel_all_orders(SYMBOL)
    assert exchange.orders(status="New") == []

    market = client.create_order(SYMBOL, "market", "buy", 0.01)
    (position,) = client.fetch_positions([SYMBOL])
    (mine,) = exchange.positions()
    assert (position["side"], _d(position["contracts"]), _d(position["entryPrice"])) == (
        "long",
        mine.size,
        mine.entry_price,
    )
    assert _d(position["leverage"]) == D(5)
    (trade,) = client.fetch_my_trades(SYMBOL)
    (execution,) = exchange.executions()
    assert (trade["id"], trade["order"]) == (execution.exec_id, market["id"])
    assert (_d(trade["price"]), _d(trade["amount"]), _d(trade["fee"]["cost"])) == (
        execution.exec_price,
        execution.exec_qty,
        execution.exec_fee,
    )
    assert (
        _d(client.fetch_balance()["USDT"]["total"])
        == exchange.wallet("USDT").wallet_balance
        == D(100_000) - D("0.18")
    )

    exchange.set_mark_price("BTCUSDT", 31000)
    (position,) = client.fetch_positions([SYMBOL])
    assert _d(position["unrealizedPnl"]) == D(10) == exchange.wallet("USDT").unrealised_pnl
    client.create_order(SYMBOL, "market", "sell", 0.01, None, {"reduceOnly": True})
    assert exchange.positions() == []

    closed = client.fetch_closed_orders(SYMBOL)
    canceled = client.fetch_canceled_orders(SYMBOL)
    states = {o["id"]: o["status"] for o in closed + canceled}
    expected = {"Filled": "closed", "Cancelled": "canceled"}
    assert states == {o.order_id: expected[o.status] for o in exchange.orders()}
    (history,) = client.fetch_positions_history([SYMBOL])
    (record,) = exchange.closed_pnl()
    assert _d(history["realizedPnl"]) == record.closed_pnl == D(10) - D("0.18") - D("0.186")

    fee = client.fetch_trading_fee(SYMBOL)
    assert (_d(fee["taker"]), _d(fee["maker"])) == (D("0.0006"), D("0.0001"))


def test_wrong_secret_is_ccxts_authentication_error(exchange: SandboxExchange) -> None:
    client = ccxt_client(exchange, secret="not-the-secret")
    with pytest.raises(ccxt.AuthenticationError):
        client.fetch_open_orders(SYMBOL, params={"category": "linear"})
    assert 10004 in {r.ret_code for r in exchange.requests()}


def test_stale_timestamp_is_ccxts_invalid_nonce(exchange: SandboxExchange) -> None:
    client = ccxt_client(exchange)
    client.load_markets()
    exchange.faults.inject("clock_skew", count=None, ms=60_000)  # the exchange runs a minute ahead
    with pytest.raises(ccxt.InvalidNonce):
        client.fetch_open_orders(SYMBOL)
    assert exchange.requests()[-1].ret_code == 10002
