"""Market Data → Ticker Info: ``GET /derivatives/v3/public/tickers``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.ticker_info import (
    ITickerInfoResponse,
    TickerInfo,
    TickerInfoRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/tickers"


def test_parses_the_payload(server: RecordingServer) -> None:
    response, _ = call(
        server, TickerInfo, TickerInfoRequest().set_symbol("APTUSDT"), payload("MarketData.TickerInfo")
    )
    assert response.get_time() == datetime(2023, 5, 9, 17, 30, 22, 133000, tzinfo=UTC)
    (ticker,) = response.get_body()
    assert isinstance(ticker, ITickerInfoResponse)
    assert ticker.get_symbol() == "APTUSDT"
    assert ticker.get_bid_price() == Decimal("8.285")
    assert ticker.get_ask_price() == Decimal("8.2855")
    assert ticker.get_last_price() == Decimal("8.2855")
    assert ticker.get_last_tick_direction() == "ZeroMinusTick"
    assert ticker.get_prev_price_24h() == Decimal("8.667")
    assert ticker.get_price_24h_pcnt() == Decimal("-0.044017")
    assert ticker.get_high_price_24h() == Decimal("8.667")
    assert ticker.get_low_price_24h() == Decimal("7.505")
    assert ticker.get_prev_price_1h() == Decimal("8.254")
    assert ticker.get_mark_price() == Decimal("8.2872")
    assert ticker.get_index_price() == Decimal("8.2919")
    assert ticker.get_open_interests() == Decimal("403884.9")  # read from "openInterest"
    assert ticker.get_turnover_24h() == Decimal("12624160.9399")
    assert ticker.get_volume_24h() == Decimal("1535221.53")
    assert ticker.get_funding_rate() == Decimal("0.000028")
    assert str(ticker.get_funding_rate()) == "0.000028"  # PHP printed 2.8E-5
    assert ticker.get_next_funding_time() == datetime(2023, 5, 10, tzinfo=UTC)
    assert ticker.get_predicted_delivery_price() is None  # "" for a perpetual
    assert ticker.get_basis_rate() is None
    assert ticker.get_delivery_fee_rate() is None
    # "0" for a perpetual reads as no time (PHP 3.x printed "1970-01-01 00:00:00" here)
    assert ticker.get_delivery_time() is None
    assert ticker.get_open_interest_value() == Decimal("3347074.94")


def test_wire(server: RecordingServer) -> None:
    _, sent = call(server, TickerInfo, TickerInfoRequest().set_symbol("APTUSDT"))
    assert_get(sent, PATH, "category=linear&symbol=APTUSDT")
    assert_unsigned(sent)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^TickerInfoRequest: missing required field\(s\): symbol$"):
        call(server, TickerInfo, TickerInfoRequest())
    assert server.requests == []
