"""Market Data → Funding Rate History: ``GET /derivatives/v3/public/funding/history-funding-rate``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from carpenstar_bybit.derivatives.market_data.funding_rate_history import (
    FundingRateHistory,
    FundingRateHistoryRequest,
    IFundingRateHistoryResponse,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/funding/history-funding-rate"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = FundingRateHistoryRequest().set_symbol("BTCUSDT")
    response, _ = call(server, FundingRateHistory, request, payload("MarketData.FundingRateHistory"))
    assert response.get_time() == datetime(2023, 5, 13, 18, 55, 10, 974000, tzinfo=UTC)
    assert response.get_next_page_cursor() is None
    body = response.get_body()
    assert len(body) == 3
    assert all(isinstance(item, IFundingRateHistoryResponse) for item in body)
    assert [(i.get_symbol(), i.get_funding_rate(), i.get_funding_rate_timestamp()) for i in body] == [
        ("BTCUSDT", Decimal("0.0001"), datetime(2023, 5, 13, 16, 0, tzinfo=UTC)),
        ("BTCUSDT", Decimal("0.00009144"), datetime(2023, 5, 13, 8, 0, tzinfo=UTC)),
        ("BTCUSDT", Decimal("0.0008453"), datetime(2023, 5, 13, 0, 0, tzinfo=UTC)),
    ]
    assert str(body[1].get_funding_rate()) == "0.00009144"  # never through float (9.144e-05)


def test_wire_defaults_only(server: RecordingServer) -> None:
    _, sent = call(server, FundingRateHistory, FundingRateHistoryRequest())
    assert_get(sent, PATH, "category=linear&limit=200")
    assert_unsigned(sent)


def test_wire_every_field(server: RecordingServer) -> None:
    request = (
        FundingRateHistoryRequest()
        .set_limit(3)
        .set_end_time(datetime(2023, 5, 14, tzinfo=UTC))
        .set_start_time(datetime(2023, 5, 13, tzinfo=UTC))
        .set_symbol("BTCUSDT")
        .set_category("inverse")
    )
    _, sent = call(server, FundingRateHistory, request)
    assert_get(
        sent, PATH, "category=inverse&symbol=BTCUSDT&startTime=1683936000000&endTime=1684022400000&limit=3"
    )
    assert_unsigned(sent)
