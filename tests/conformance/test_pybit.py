"""pybit, unmodified (only its host changed), through a trading bot's day on the sandbox; every value
it reads is checked against the sandbox's own state."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from carpenstar_bybit.sandbox import SandboxExchange
from tests.conformance.conftest import pybit_client

pytest.importorskip("pybit")

from pybit.exceptions import FailedRequestError, InvalidRequestError

SYMBOL = "BTCUSDT"
D = Decimal


def _result(answer: Any) -> Any:
    assert answer["retCode"] == 0, answer
    return answer["result"]


def test_a_bots_day(exchange: SandboxExchange) -> None:
    http = pybit_client(exchange)

    # Markets: the instrument's filters, and a ticker, book and candles that agree with each other.
    (info,) = _result(http.get_instruments_info(category="linear", symbol=SYMBOL))["list"]
    assert (info["contractType"], info["settleCoin"], info["status"]) == (
        "LinearPerpetual",
        "USDT",
        "Trading",
    )
    assert (info["priceFilter"]["tickSize"], info["lotSizeFilter"]["qtyStep"]) == ("0.1", "0.001")
    (ticker,) = _result(http.get_tickers(category="linear", symbol=SYMBOL))["list"]
    last = D(ticker["lastPrice"])
    assert last == D(ticker["markPrice"]) == exchange.mark_price(SYMBOL)
    book = _result(http.get_orderbook(category="linear", symbol=SYMBOL, limit=5))
    assert D(book["b"][0][0]) < last < D(book["a"][0][0])
    assert [D(b[0]) for b in book["b"]] == sorted((D(b[0]) for b in book["b"]), reverse=True)
    assert (D(ticker["bid1Price"]), D(ticker["ask1Price"])) == (D(book["b"][0][0]), D(book["a"][0][0]))
    candles = _result(http.get_kline(category="linear", symbol=SYMBOL, interval="1", limit=3))["list"]
    assert len(candles) == 3
    assert D(candles[0][4]) == last  # the current candle closes at the last price
    assert candles[1][4] == candles[0][1]  # and opens where the previous one closed

    # The wallet before trading.
    (account,) = _result(http.get_wallet_balance(accountType="UNIFIED", coin="USDT"))["list"]
    (usdt,) = account["coin"]
    assert D(usdt["walletBalance"]) == exchange.wallet("USDT").wallet_balance == D(100_000)

    # Leverage, then a resting limit order with and without a client id.
    assert (
        _result(http.set_leverage(category="linear", symbol=SYMBOL, buyLeverage="5", sellLeverage="5")) == {}
    )
    with pytest.raises(InvalidRequestError) as unchanged:
        http.set_leverage(category="linear", symbol=SYMBOL, buyLeverage="5", sellLeverage="5")
    assert unchanged.value.status_code == 110043
    plain = _result(
        http.place_order(
            category="linear", symbol=SYMBOL, side="Buy", orderType="Limit", qty="0.01", price="25000"
        )
    )
    tagged = _result(
        http.place_order(
            category="linear",
            symbol=SYMBOL,
            side="Buy",
            orderType="Limit",
            qty="0.02",
            price="25500",
            orderLinkId="bot-day-1",
        )
    )
    assert tagged["orderLinkId"] == "bot-day-1"
    with pytest.raises(InvalidRequestError) as duplicate:
        http.place_order(
            category="linear",
            symbol=SYMBOL,
            side="Buy",
            orderType="Limit",
            qty="0.01",
            price="25000",
            orderLinkId="bot-day-1",
        )
    assert duplicate.value.status_code == 110072
    with pytest.raises(InvalidRequestError) as off_tick:
        http.place_order(
            category="linear", symbol=SYMBOL, side="Buy", orderType="Limit", qty="0.01", price="25000.05"
        )
    assert off_tick.value.status_code == 10001
    listed = _result(http.get_open_orders(category="linear", symbol=SYMBOL))["list"]
    assert [o["orderId"] for o in listed] == [tagged["orderId"], plain["orderId"]]  # newest first
    assert {o["orderId"] for o in listed} == {o.order_id for o in exchange.orders(status="New")}
    assert (listed[0]["price"], listed[0]["qty"], listed[0]["orderStatus"]) == ("25500", "0.02", "New")

    # Order margin shows in the wallet: 0.01*25000/5 + 0.02*25500/5.
    (account,) = _result(http.get_wallet_balance(accountType="UNIFIED", coin="USDT"))["list"]
    assert D(account["coin"][0]["totalOrderIM"]) == exchange.wallet("USDT").order_margin == D(152)

    # Amend, cancel, cancel again.
    _result(http.amend_order(category="linear", symbol=SYMBOL, orderLinkId="bot-day-1", price="25600"))
    assert exchange.order(tagged["orderId"]).price == D(25600)  # type: ignore[union-attr]
    _result(http.cancel_order(category="linear", symbol=SYMBOL, orderId=plain["orderId"]))
    assert exchange.order(plain["orderId"]).status == "Cancelled"  # type: ignore[union-attr]
    with pytest.raises(InvalidRequestError) as gone:
        http.cancel_order(category="linear", symbol=SYMBOL, orderId=plain["orderId"])
    assert gone.value.status_code == 110001

    # A batch with one bad order: per-item results and codes.
    batch = http.place_batch_order(
        category="linear",
        request=[
            {"symbol": SYMBOL, "side": "Buy", "orderType": "Limit", "qty": "0.01", "price": "24000"},
            {"symbol": SYMBOL, "side": "Buy", "orderType": "Limit", "qty": "0.0001", "price": "24000"},
            {"symbol": SYMBOL, "side": "Sell", "orderType": "Limit", "qty": "0.01", "price": "36000"},
        ],
    )
    assert [item["code"] for item in batch["retExtInfo"]["list"]] == [0, 10001, 0]
    placed = [item["orderId"] for item in batch["result"]["list"]]
    assert placed[1] == ""
    assert {exchange.order(i).status for i in (placed[0], placed[2])} == {"New"}  # type: ignore[union-attr]

    # Cancel all: the three open orders go.
    cancelled = _result(http.cancel_all_orders(category="linear", symbol=SYMBOL))["list"]
    assert {c["orderId"] for c in cancelled} == {tagged["orderId"], placed[0], placed[2]}
    assert exchange.orders(status="New") == []

    # A market order: one fill, a position, the fee off the wallet.
    market = _result(
        http.place_order(category="linear", symbol=SYMBOL, side="Buy", orderType="Market", qty="0.01")
    )
    (position,) = _result(http.get_positions(category="linear", symbol=SYMBOL))["list"]
    (mine,) = exchange.positions()
    assert (position["side"], D(position["size"]), D(position["avgPrice"])) == (
        mine.side,
        mine.size,
        mine.entry_price,
    )
    assert (position["side"], position["size"], position["leverage"]) == ("Buy", "0.01", "5")
    (fill,) = _result(http.get_executions(category="linear", symbol=SYMBOL))["list"]
    (execution,) = exchange.executions()
    assert (fill["execId"], fill["orderId"]) == (execution.exec_id, market["orderId"])
    assert (D(fill["execPrice"]), D(fill["execQty"]), D(fill["execFee"])) == (
        execution.exec_price,
        execution.exec_qty,
        execution.exec_fee,
    )
    assert D(fill["execFee"]) == D("0.18")  # 300 USDT at the 0.06 % taker fee
    (account,) = _result(http.get_wallet_balance(accountType="UNIFIED", coin="USDT"))["list"]
    wallet = exchange.wallet("USDT")
    assert D(account["coin"][0]["walletBalance"]) == wallet.wallet_balance == D(100_000) - D("0.18")
    assert D(account["coin"][0]["totalPositionIM"]) == wallet.position_margin == D(60)

    # The price moves; the position's unrealised PnL follows; a reduce-only sell closes it.
    exchange.set_mark_price(SYMBOL, 31000)
    (position,) = _result(http.get_positions(category="linear", symbol=SYMBOL))["list"]
    assert D(position["unrealisedPnl"]) == D(10) == exchange.wallet("USDT").unrealised_pnl
    closing = _result(
        http.place_order(
            category="linear", symbol=SYMBOL, side="Sell", orderType="Market", qty="0.01", reduceOnly=True
        )
    )
    assert exchange.positions() == []
    history = _result(http.get_order_history(category="linear", symbol=SYMBOL, limit=50))["list"]
    assert {o["orderId"]: o["orderStatus"] for o in history} == {
        o.order_id: o.status for o in exchange.orders()
    }
    (pnl,) = _result(http.get_closed_pnl(category="linear", symbol=SYMBOL))["list"]
    (record,) = exchange.closed_pnl()
    assert pnl["orderId"] == closing["orderId"] == record.order_id
    assert D(pnl["closedPnl"]) == record.closed_pnl == D(10) - D("0.18") - D("0.186")
    assert exchange.wallet("USDT").wallet_balance == D(100_000) + D(10) - D("0.18") - D("0.186")

    (rate,) = _result(http.get_fee_rates(category="linear", symbol=SYMBOL))["list"]
    assert (rate["takerFeeRate"], rate["makerFeeRate"]) == ("0.0006", "0.0001")
    assert len(exchange.executions()) == 2


def test_take_profit_closes_the_position_when_the_market_crosses_it(exchange: SandboxExchange) -> None:
    http = pybit_client(exchange)
    _result(http.place_order(category="linear", symbol=SYMBOL, side="Buy", orderType="Market", qty="0.01"))
    with pytest.raises(InvalidRequestError) as wrong_side:
        http.set_trading_stop(
            category="linear", symbol=SYMBOL, tpslMode="Full", positionIdx=0, takeProfit="29000"
        )
    assert wrong_side.value.status_code == 10001
    _result(
        http.set_trading_stop(
            category="linear",
            symbol=SYMBOL,
            tpslMode="Full",
            positionIdx=0,
            takeProfit="32000",
            stopLoss="28000",
        )
    )
    (position,) = _result(http.get_positions(category="linear", symbol=SYMBOL))["list"]
    assert (position["takeProfit"], position["stopLoss"]) == ("32000", "28000")
    exchange.set_mark_price(SYMBOL, 31999)
    assert len(exchange.positions()) == 1
    exchange.set_mark_price(SYMBOL, 32000)
    assert exchange.positions() == []
    closing = exchange.orders()[-1]
    assert (closing.create_type, closing.stop_order_type, closing.status) == (
        "CreateByTakeProfit",
        "TakeProfit",
        "Filled",
    )
    history = _result(http.get_order_history(category="linear", symbol=SYMBOL))["list"]
    assert (history[0]["orderId"], history[0]["stopOrderType"], history[0]["createType"]) == (
        closing.order_id,
        "TakeProfit",
        "CreateByTakeProfit",
    )


def test_wrong_secret_is_pybits_auth_error(exchange: SandboxExchange) -> None:
    http = pybit_client(exchange, secret="not-the-secret")
    with pytest.raises(InvalidRequestError) as caught:
        http.get_wallet_balance(accountType="UNIFIED")
    assert caught.value.status_code == 10004
    assert [r.ret_code for r in exchange.requests()] == [10004]


def test_stale_timestamp_is_10002_and_pybit_gives_up(exchange: SandboxExchange) -> None:
    # The exchange's clock runs a minute ahead: every timestamp pybit sends is stale. pybit retries
    # 10002 with a longer recv_window (no delay here), then raises.
    exchange.faults.inject("clock_skew", count=None, ms=60_000)
    http = pybit_client(exchange, retry_delay=0)
    with pytest.raises(FailedRequestError):
        http.get_open_orders(category="linear", symbol=SYMBOL)
    assert {r.ret_code for r in exchange.requests()} == {10002}
    assert exchange.orders() == []
