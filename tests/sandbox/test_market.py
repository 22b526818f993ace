"""Public market-data routes: Bybit's shapes, deterministic synthetic data, parsed by the SDK."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest
import requests

from carpenstar_bybit import BybitAPI, InvalidParameterException
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.derivatives.market_data.funding_rate_history import (
    FundingRateHistory,
    FundingRateHistoryRequest,
)
from carpenstar_bybit.derivatives.market_data.index_price_kline import IndexPriceKline, IndexPriceKlineRequest
from carpenstar_bybit.derivatives.market_data.instrument_info import InstrumentInfo, InstrumentInfoRequest
from carpenstar_bybit.derivatives.market_data.kline import Kline, KlineRequest
from carpenstar_bybit.derivatives.market_data.mark_price_kline import MarkPriceKline, MarkPriceKlineRequest
from carpenstar_bybit.derivatives.market_data.open_interest import OpenInterest, OpenInterestRequest
from carpenstar_bybit.derivatives.market_data.order_book import OrderBook, OrderBookRequest
from carpenstar_bybit.derivatives.market_data.public_trading_history import (
    PublicTradingHistory,
    PublicTradingHistoryRequest,
)
from carpenstar_bybit.derivatives.market_data.risk_limit import RiskLimit, RiskLimitsRequest
from carpenstar_bybit.derivatives.market_data.ticker_info import TickerInfo, TickerInfoRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.sandbox._instruments import dated_future

START = 1_700_000_000_000  # 2023-11-14 22:13:20 UTC
MINUTE = 60_000


def utc(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, timezone.utc)


def test_kline_shape_order_and_determinism(exchange: SandboxExchange, api: BybitAPI) -> None:
    end = START + 10 * MINUTE
    request = KlineRequest().set_symbol("BTCUSDT").set_interval("1").set_start_time(START).set_end_time(end)
    raw = requests.get(
        f"{exchange.url}/derivatives/v3/public/kline", params=request.array(), timeout=10
    ).json()
    assert (raw["result"]["symbol"], raw["result"]["category"]) == ("BTCUSDT", "linear")
    rows = raw["result"]["list"]
    first_slot = START + MINUTE - START % MINUTE  # the first minute boundary not before START
    assert [row[0] for row in rows] == [str(first_slot + i * MINUTE) for i in reversed(range(10))]
    assert all(len(row) == 7 and all(isinstance(cell, str) for cell in row) for row in rows)

    candles = api.rest(Kline, request).get_body()
    assert len(candles) == 10
    assert candles[0].get_start_time() == utc(first_slot + 9 * MINUTE)
    for candle in candles:
        low, high = candle.get_low(), candle.get_high()
        assert low is not None
        assert high is not None
        assert low <= min(candle.get_open(), candle.get_close()) <= high  # type: ignore[type-var]
        assert Decimal("29700") <= low <= high <= Decimal("30300")
    again = api.rest(Kline, request).get_body()
    assert again == candles
    limited = api.rest(Kline, request.set_limit(3)).get_body()
    assert [c.get_start_time() for c in limited] == [c.get_start_time() for c in candles[:3]]


def test_mark_and_index_klines_have_five_fields(api: BybitAPI) -> None:
    end = START + 60 * MINUTE * 3
    mark = (
        MarkPriceKlineRequest()
        .set_symbol("ETHUSDT")
        .set_interval("60")
        .set_start_time(START)
        .set_end_time(end)
    )
    marks = api.rest(MarkPriceKline, mark).get_body()
    index = (
        IndexPriceKlineRequest()
        .set_symbol("ETHUSDT")
        .set_interval("60")
        .set_start_time(START)
        .set_end_time(end)
    )
    indexes = api.rest(IndexPriceKline, index).get_body()
    assert len(marks) == len(indexes) == 3
    assert marks[0].get_start_time() == indexes[0].get_start_time()
    assert marks[0].get_close() != indexes[0].get_close()  # different series


def test_kline_parameter_errors(api: BybitAPI) -> None:
    request = KlineRequest().set_symbol("BTCUSDT").set_interval("7").set_start_time(START).set_end_time(START)
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(Kline, request)
    assert caught.value.ret_msg.startswith("params error: interval invalid (expected one of ")
    backwards = (
        KlineRequest().set_symbol("BTCUSDT").set_interval("1").set_start_time(START).set_end_time(START - 1)
    )
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(Kline, backwards)
    assert caught.value.ret_msg == "params error: start must not be after end"


def test_order_book(exchange: SandboxExchange, api: BybitAPI) -> None:
    book = api.rest(OrderBook, OrderBookRequest().set_symbol("BTCUSDT").set_limit(5)).get_result()
    assert book is not None
    assert book.get_symbol() == "BTCUSDT"
    bids = [b.get_price() for b in book.get_bid()]
    asks = [a.get_price() for a in book.get_ask()]
    assert bids == [
        Decimal("29999.9"),
        Decimal("29999.8"),
        Decimal("29999.7"),
        Decimal("29999.6"),
        Decimal("29999.5"),
    ]
    assert asks == [
        Decimal("30000.1"),
        Decimal("30000.2"),
        Decimal("30000.3"),
        Decimal("30000.4"),
        Decimal("30000.5"),
    ]
    assert all(level.get_quantity() > 0 for level in book.get_bid())  # type: ignore[operator]
    assert book.get_update_id() is not None
    raw = requests.get(
        f"{exchange.url}/derivatives/v3/public/order-book/L2?symbol=BTCUSDT&limit=1", timeout=10
    )
    assert sorted(raw.json()["result"]) == ["a", "b", "s", "ts", "u"]


def test_tickers_follow_the_mark_price(exchange: SandboxExchange, api: BybitAPI) -> None:
    ticker = api.rest(TickerInfo, TickerInfoRequest().set_symbol("ETHUSDT")).get_result()
    assert ticker is not None
    assert (ticker.get_mark_price(), ticker.get_last_price()) == (Decimal("2000"), Decimal("2000"))
    assert (ticker.get_bid_price(), ticker.get_ask_price()) == (Decimal("1999.99"), Decimal("2000.01"))
    next_funding = ticker.get_next_funding_time()
    assert next_funding is not None
    assert next_funding.hour % 8 == 0
    assert (next_funding.minute, next_funding.second) == (0, 0)
    exchange.set_mark_price("ETHUSDT", "2500.5")
    moved = api.rest(TickerInfo, TickerInfoRequest().set_symbol("ETHUSDT")).get_result()
    assert moved is not None
    assert moved.get_mark_price() == Decimal("2500.5")


def test_instruments_info(api: BybitAPI) -> None:
    info = api.rest(InstrumentInfo, InstrumentInfoRequest().set_symbol("BTCUSDT")).get_result()
    assert info is not None
    assert (info.get_symbol(), info.get_contract_type(), info.get_status()) == (
        "BTCUSDT",
        "LinearPerpetual",
        "Trading",
    )
    assert (info.get_base_coin(), info.get_quote_coin(), info.get_settle_coin()) == ("BTC", "USDT", "USDT")
    assert info.get_price_filter()[0].get_tick_size() == Decimal("0.1")
    assert info.get_lot_size_filter()[0].get_qty_step() == Decimal("0.001")
    assert info.get_leverage_filter()[0].get_max_leverage() == Decimal("100")
    inverse = api.rest(
        InstrumentInfo, InstrumentInfoRequest().set_category("inverse").set_symbol("BTCUSD")
    ).get_result()
    assert inverse is not None
    assert (inverse.get_contract_type(), inverse.get_settle_coin()) == ("InversePerpetual", "BTC")


def test_instruments_info_pages_without_a_symbol(exchange: SandboxExchange) -> None:
    url = f"{exchange.url}/derivatives/v3/public/instruments-info"
    first = requests.get(url, params={"category": "linear", "limit": 4}, timeout=10).json()["result"]
    second = requests.get(
        url, params={"category": "linear", "limit": 4, "cursor": first["nextPageCursor"]}, timeout=10
    ).json()["result"]
    symbols = [i["symbol"] for i in first["list"]] + [i["symbol"] for i in second["list"]]
    future = dated_future("BTC", "USDT", now_ms())  # the next quarterly future, listed by default
    assert symbols == ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "BTCPERP", "ETHPERP", future]
    assert second["nextPageCursor"] == ""


def test_recent_trades(api: BybitAPI) -> None:
    trades = api.rest(
        PublicTradingHistory, PublicTradingHistoryRequest().set_symbol("BTCUSDT").set_limit(5)
    ).get_body()
    assert len(trades) == 5
    times = [t.get_time() for t in trades]
    assert times == sorted(times, reverse=True)  # type: ignore[type-var]
    assert {t.get_side() for t in trades} <= {"Buy", "Sell"}
    assert len({t.get_exec_id() for t in trades}) == 5


def test_risk_limits(api: BybitAPI) -> None:
    tiers = api.rest(RiskLimit, RiskLimitsRequest().set_symbol("BTCUSDT")).get_body()
    assert [(t.get_id(), t.get_limit(), t.get_max_leverage(), t.get_is_lower_risk()) for t in tiers] == [
        ("1", 2_000_000, Decimal("100"), 1),
        ("2", 4_000_000, Decimal("50"), 0),
        ("3", 6_000_000, Decimal("33.33"), 0),
        ("4", 8_000_000, Decimal("25"), 0),
        ("5", 10_000_000, Decimal("20"), 0),
    ]


def test_funding_history(api: BybitAPI) -> None:
    eight_hours = 8 * 60 * MINUTE
    end = START + 3 * eight_hours
    request = FundingRateHistoryRequest().set_symbol("BTCUSDT").set_start_time(START).set_end_time(end)
    rates = api.rest(FundingRateHistory, request).get_body()
    expected = [end - end % eight_hours - i * eight_hours for i in range(3)]
    assert [r.get_funding_rate_timestamp() for r in rates] == [utc(ms) for ms in expected]
    assert all(Decimal("0") <= r.get_funding_rate() <= Decimal("0.0002") for r in rates)  # type: ignore[operator]


def test_open_interest_pages_by_cursor(api: BybitAPI) -> None:
    end = START
    request = OpenInterestRequest().set_symbol("ETHUSDT").set_interval("5min").set_end_time(end).set_limit(3)
    first = api.rest(OpenInterest, request)
    assert [o.get_timestamp() for o in first.get_body()] == [
        utc(end - end % (5 * MINUTE) - i * 5 * MINUTE) for i in range(3)
    ]
    cursor = first.get_next_page_cursor()
    assert cursor is not None
    second = api.rest(OpenInterest, request.set_cursor(cursor))
    assert second.get_body()[0].get_timestamp() == utc(end - end % (5 * MINUTE) - 3 * 5 * MINUTE)


def test_v3_server_time(exchange: SandboxExchange) -> None:
    body = requests.get(f"{exchange.url}/v3/public/time", timeout=10).json()
    result = body["result"]
    assert sorted(result) == ["timeNano", "timeSecond"]
    assert int(result["timeNano"]) // 1_000_000 == body["time"]
    assert int(result["timeSecond"]) == body["time"] // 1000


def test_unknown_symbol_is_10001(api: BybitAPI) -> None:
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(TickerInfo, TickerInfoRequest().set_symbol("DOGEUSDT"))
    assert caught.value.ret_msg == "params error: symbol invalid"


def test_extra_symbols_can_be_listed() -> None:
    with SandboxExchange(mark_prices={"DOGEUSDT": Decimal("0.07")}) as ex:
        body = requests.get(f"{ex.url}/derivatives/v3/public/tickers?symbol=DOGEUSDT", timeout=10).json()
        assert body["result"]["list"][0]["markPrice"] == "0.07"
    with pytest.raises(ValueError, match="is not a Bybit symbol"):
        SandboxExchange(mark_prices={"not a symbol": Decimal(1)})
