"""The docs' example messages of every topic, read into typed events with exact values."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import ResponseFormatException
from carpenstar_bybit.v5.account.wallet_balance import GetWalletBalanceResponse, WalletCoinResponse
from carpenstar_bybit.v5.position.execution_list import GetExecutionListResponse
from carpenstar_bybit.v5.position.position_info import GetPositionInfoResponse
from carpenstar_bybit.v5.stream import (
    BookLevel,
    Execution,
    ExecutionEvent,
    ExtraFee,
    KlineEvent,
    Order,
    OrderBookEvent,
    OrderEvent,
    Position,
    PositionEvent,
    TickerEvent,
    TradeEvent,
    Wallet,
    WalletCoin,
    WalletEvent,
)
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrdersResponse, IGetOpenOrdersResponseInterface
from carpenstar_bybit.v5.trade.get_order_history import ExtraFeeResponse
from tests.stream.helpers import feed, payload, private, public

UTC = timezone.utc


def at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)


def test_order_book_snapshot_and_delta() -> None:
    protocol = public("orderbook.50.BTCUSDT")
    [first] = feed(protocol, payload("orderbook_snapshot"))
    assert isinstance(first, OrderBookEvent)
    assert first.is_snapshot()
    assert first.get_topic() == "orderbook.50.BTCUSDT"
    assert first.get_symbol() == "BTCUSDT"
    assert first.get_update_id() == 18521288
    assert first.get_seq() == 7961638724
    assert first.get_ts() == datetime(2022, 12, 29, 9, 1, 24, 978000, tzinfo=UTC)
    book = first.get_book()
    assert book.get_cts() == datetime(2022, 12, 29, 9, 1, 24, 976000, tzinfo=UTC)
    assert book.get_bids() == (
        BookLevel(Decimal("16493.50"), Decimal("0.006")),
        BookLevel(Decimal("16493.00"), Decimal("0.100")),
    )
    assert book.get_asks() == (
        BookLevel(Decimal("16611.00"), Decimal("0.029")),
        BookLevel(Decimal("16612.00"), Decimal("0.213")),
    )
    assert book.get_best_bid() == (Decimal("16493.5"), Decimal("0.006"))
    assert first.get_bid_changes() == book.get_bids()

    delta = payload("orderbook_delta")
    delta["data"]["u"] = 18521289
    delta["data"]["seq"] = 7961638725
    [second] = feed(protocol, delta)
    assert isinstance(second, OrderBookEvent)
    assert not second.is_snapshot()
    after = second.get_book()
    assert after.get_bid_size(Decimal("30247.20")) == Decimal("30.028")
    assert after.get_bid_size(Decimal("30240.00")) is None  # size 0: deleted (and never there)
    assert after.get_ask_size(Decimal("30248.7")) is None
    assert after.get_best_ask() == (Decimal("16611.00"), Decimal("0.029"))
    assert len(after.get_bids()) == 2 + 4
    assert len(after.get_asks()) == 2 + 5
    assert second.get_ask_changes()[0] == BookLevel(Decimal("30248.70"), Decimal("0"))
    # the first event's book did not change
    assert len(book.get_bids()) == 2
    assert book.get_bid_size(Decimal("30247.20")) is None


def test_public_trade() -> None:
    [event] = feed(public("publicTrade.BTCUSDT"), payload("publicTrade"))
    assert isinstance(event, TradeEvent)
    assert event.get_type() == "snapshot"
    assert event.get_ts() == at(1672304486868)
    [trade] = event.get_trades()
    assert trade.get_trade_time() == at(1672304486865)
    assert trade.get_symbol() == "BTCUSDT"
    assert trade.get_side() == "Buy"
    assert trade.get_size() == Decimal("0.001")
    assert trade.get_price() == Decimal("16578.50")
    assert trade.get_tick_direction() == "PlusTick"
    assert trade.get_trade_id() == "20f43950-d8dd-5b31-9112-a178eb6023af"
    assert trade.is_block_trade() is False
    assert trade.is_rpi_trade() is None
    assert trade.get_seq() == 1783284617
    assert trade.get_mark_price() is None


def test_kline() -> None:
    [event] = feed(public("kline.5.BTCUSDT"), payload("kline"))
    assert isinstance(event, KlineEvent)
    [candle] = event.get_klines()
    assert (candle.get_start(), candle.get_end()) == (at(1672324800000), at(1672325099999))
    assert candle.get_interval() == "5"
    assert (candle.get_open(), candle.get_close(), candle.get_high(), candle.get_low()) == (
        Decimal("16649.5"),
        Decimal("16677"),
        Decimal("16677"),
        Decimal("16608"),
    )
    assert (candle.get_volume(), candle.get_turnover()) == (Decimal("2.081"), Decimal("34666.4005"))
    assert candle.is_confirmed() is False
    assert candle.get_timestamp() == at(1672324988882)


@pytest.mark.parametrize(
    ("name", "category"),
    [("tickers_linear_perpetual", "linear"), ("tickers_option", "option"), ("tickers_spot", "spot")],
)
def test_tickers_of_each_category_parse(name: str, category: str) -> None:
    message = payload(name)
    [event] = feed(public(message["topic"], category=category), message)
    assert isinstance(event, TickerEvent)
    ticker = event.get_ticker()
    assert ticker.get_symbol() == message["data"]["symbol"]
    assert ticker.get_last_price() == Decimal(message["data"]["lastPrice"])


def test_linear_tickers_exact_values() -> None:
    [event] = feed(public("tickers.BTCUSDT"), payload("tickers_linear_perpetual"))
    ticker = event.get_ticker()
    assert event.get_cross_seq() == 9532239429
    assert ticker.get_price_24h_pcnt() == Decimal("-0.158315")
    assert ticker.get_next_funding_time() == at(1760342400000)
    assert ticker.get_funding_rate() == Decimal("-0.005")
    assert ticker.get_funding_interval_hour() == 8
    assert ticker.get_bid_1price() == Decimal("66666.60")
    assert ticker.get_ask_1size() == Decimal("23775.469")
    assert ticker.get_pre_open_price() is None  # "" in the payload
    assert ticker.get_delivery_time() is None
    [futures] = feed(public("tickers.BTC-26DEC25"), payload("tickers_linear_futures"))
    assert futures.get_ticker().get_delivery_time() == datetime(2025, 12, 26, 8, 0, tzinfo=UTC)
    assert futures.get_ticker().get_next_funding_time() is None
    assert futures.get_ticker().get_basis() == Decimal("-4730.84")


def test_ticker_deltas_merge_into_the_full_ticker() -> None:
    protocol = public("tickers.BTCUSDT")
    snapshot = payload("tickers_linear_perpetual")
    feed(protocol, snapshot)
    delta = {
        "topic": "tickers.BTCUSDT",
        "type": "delta",
        "data": {"symbol": "BTCUSDT", "lastPrice": "66670.10", "bid1Price": "66670.00"},
        "cs": 9532239430,
        "ts": 1760325052730,
    }
    [event] = feed(protocol, delta)
    ticker = event.get_ticker()
    assert event.get_type() == "delta"
    assert ticker.get_last_price() == Decimal("66670.10")
    assert ticker.get_bid_1price() == Decimal("66670.00")
    assert ticker.get_mark_price() == Decimal("66666.60")  # kept from the snapshot
    assert ticker.get_open_interest() == Decimal("492373.72")
    [again] = feed(protocol, {**delta, "data": {"symbol": "BTCUSDT", "markPrice": "66671"}})
    assert again.get_ticker().get_last_price() == Decimal("66670.10")
    assert again.get_ticker().get_mark_price() == Decimal("66671")


def test_order() -> None:
    [event] = feed(private("order"), payload("order"))
    assert isinstance(event, OrderEvent)
    assert event.get_id() == "5923240c6880ab-c59f-420b-9adb-3639adc9dd90"
    assert event.get_creation_time() == at(1672364262474)
    [order] = event.get_orders()
    assert order.get_category() == "option"
    assert order.get_order_id() == "5cf98598-39a7-459e-97bf-76ca765ee020"
    assert order.get_symbol() == "ETH-30DEC22-1400-C"
    assert (order.get_side(), order.get_order_type(), order.get_order_status()) == (
        "Sell",
        "Market",
        "Filled",
    )
    assert (order.get_price(), order.get_qty(), order.get_avg_price()) == (
        Decimal("72.5"),
        Decimal("1"),
        Decimal("75"),
    )
    assert order.get_leaves_qty() is None
    assert order.get_cum_exec_value() == Decimal("75")
    assert order.get_cum_exec_fee() == Decimal("0.358635")
    assert order.get_cum_fee_detail() == {"MNT": Decimal("0.00242968")}
    assert order.get_closed_pnl() == Decimal("0")
    assert order.get_position_idx() == 0
    assert order.is_reduce_only() is False
    assert order.is_rpi_taker_access() is False
    assert order.get_rpi_matched_qty() == Decimal("0")
    assert order.get_trigger_direction() == 0
    assert order.get_created_time() == at(1672364262444)
    assert order.get_updated_time() == at(1672364262457)
    assert order.get_reject_reason() == "EC_NoError"


def test_execution() -> None:
    [event] = feed(private("execution"), payload("execution"))
    assert isinstance(event, ExecutionEvent)
    [fill] = event.get_executions()
    assert fill.get_category() == "linear"
    assert (fill.get_exec_price(), fill.get_exec_qty(), fill.get_exec_value()) == (
        Decimal("95900.1"),
        Decimal("0.5"),
        Decimal("47950.05"),
    )
    assert fill.get_exec_fee() == Decimal("26.3725275")
    assert fill.get_fee_rate() == Decimal("0.00055")
    assert fill.get_exec_time() == at(1746270400353)
    assert fill.is_maker() is False
    assert fill.is_leverage() is False
    assert fill.get_seq() == 140612148849382
    assert fill.get_exec_pnl() == Decimal("0.05")
    assert fill.get_trade_iv() is None
    [fee] = fill.get_extra_fees()
    assert (fee.get_fee_coin(), fee.get_fee_type(), fee.get_sub_fee_type()) == ("USDT", "GST", "IND_GST")
    assert (fee.get_fee_rate(), fee.get_fee()) == (Decimal("0.0000675"), Decimal("0.006403779"))


def test_position() -> None:
    [event] = feed(private("position"), payload("position"))
    assert isinstance(event, PositionEvent)
    [position] = event.get_positions()
    assert (position.get_symbol(), position.get_position_idx(), position.get_side()) == ("BTCUSDT", 2, "")
    assert position.get_size() == Decimal("0")
    assert position.get_leverage() == Decimal("10")
    assert position.get_break_even_price() == Decimal("93556.73034991")
    assert position.get_cum_realised_pnl() == Decimal("-25.06579337")
    assert position.get_bust_price() is None
    assert position.get_risk_id() == 1
    assert position.get_seq() == 8327597863
    assert position.is_reduce_only() is False
    assert position.get_mmr_sys_updated_time() is None
    assert position.get_updated_time() == at(1697682317038)
    assert position.get_entry_price() == position.get_avg_price() == Decimal("0")  # entryPrice


def test_private_items_are_the_rest_items_with_the_stream_s_own_fields() -> None:
    assert issubclass(Order, GetOpenOrdersResponse)
    assert issubclass(Execution, GetExecutionListResponse)
    assert issubclass(Position, GetPositionInfoResponse)
    assert issubclass(Wallet, GetWalletBalanceResponse)
    assert (WalletCoin, ExtraFee) == (WalletCoinResponse, ExtraFeeResponse)
    for stream_item, rest_item in (
        (Order, GetOpenOrdersResponse),
        (Execution, GetExecutionListResponse),
        (Position, GetPositionInfoResponse),
    ):
        keys = [f.key for f in stream_item._fields]
        assert len(keys) == len(set(keys))  # no field twice
        own = [f for f in stream_item._fields if f.slot not in {g.slot for g in rest_item._fields}]
        assert {f.key for f in own} == STREAM_ONLY[stream_item.__name__]
    [order] = feed(private("order"), payload("order"))[0].get_orders()
    assert isinstance(order, IGetOpenOrdersResponseInterface)  # code written for REST orders takes it


STREAM_ONLY = {
    "Order": {
        "category", "brokerOrderPrice", "closedPnl", "feeCurrency", "slippageToleranceType",
        "slippageTolerance", "rpiTakerAccess", "rpiMatchedQty",
    },
    "Execution": {"category", "isLeverage", "execPnl", "marketUnit"},
    "Position": {"category"},
}


def test_wallet() -> None:
    [event] = feed(private("wallet"), payload("wallet"))
    assert isinstance(event, WalletEvent)
    [wallet] = event.get_wallets()
    assert wallet.get_account_type() == "UNIFIED"
    assert wallet.get_total_equity() == Decimal("10262.91335023")
    assert wallet.get_total_available_balance() == Decimal("9556.6056555")
    assert wallet.get_total_perp_upl() == Decimal("0")
    [coin] = wallet.get_coin()
    assert coin.get_coin() == "BTC"
    assert coin.get_wallet_balance() == Decimal("0.00102964")
    assert coin.get_total_order_im() is None
    assert coin.is_collateral_switch() is True
    assert coin.get_spot_hedging_qty() == Decimal("0.01592413")


def test_events_are_immutable_and_compare_by_value() -> None:
    protocol = private("order")
    [first] = feed(protocol, payload("order"))
    [second] = feed(protocol, payload("order"))
    assert first == second
    assert hash(first) == hash(second)
    with pytest.raises(AttributeError):
        first._id = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        first.get_orders()[0]._price = Decimal(1)  # type: ignore[misc]


def test_an_unreadable_message_is_an_error_for_the_consumer_not_the_end() -> None:
    protocol = private("order")
    bad = payload("order")
    bad["data"][0]["price"] = "abc"
    [error] = feed(protocol, bad)
    assert isinstance(error, ResponseFormatException)
    assert "order" in str(error)
    [event] = feed(protocol, payload("order"))
    assert isinstance(event, OrderEvent)
