"""Market Data → Public Trading History: ``GET /derivatives/v3/public/recent-trade``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.public_trading_history import (
    IPublicTradingHistoryResponse,
    PublicTradingHistory,
    PublicTradingHistoryRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/recent-trade"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = PublicTradingHistoryRequest().set_symbol("BTCUSDT")
    response, _ = call(server, PublicTradingHistory, request, payload("MarketData.PublicTradingHistory"))
    assert response.get_time() == datetime(2022, 12, 25, 12, 11, 37, 723000, tzinfo=UTC)
    (trade,) = response.get_body()
    assert isinstance(trade, IPublicTradingHistoryResponse)
    assert trade.get_exec_id() == "5706445b-8543-59bc-8988-93e0f4a3f0f9"
    assert trade.get_symbol() == "BTCUSDT"
    assert trade.get_price() == Decimal("16814.50")
    assert trade.get_size() == Decimal("0.001")
    assert trade.get_side() == "Buy"
    assert trade.get_time() == datetime(2022, 12, 25, 12, 11, 37, 430000, tzinfo=UTC)
    assert trade.is_block_trade() is False


def test_wire(server: RecordingServer) -> None:
    _, sent = call(server, PublicTradingHistory, PublicTradingHistoryRequest().set_symbol("BTCUSDT"))
    assert_get(sent, PATH, "category=linear&symbol=BTCUSDT&limit=500")
    assert_unsigned(sent)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"missing required field\(s\): symbol$"):
        call(server, PublicTradingHistory, PublicTradingHistoryRequest().set_limit(1))
    assert server.requests == []
