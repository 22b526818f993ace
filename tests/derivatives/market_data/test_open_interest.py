"""Market Data → Open Interest: ``GET /derivatives/v3/public/open-interest``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.open_interest import (
    IOpenInterestResponse,
    OpenInterest,
    OpenInterestRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/open-interest"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = OpenInterestRequest().set_symbol("ETHUSDT").set_interval("5min")
    response, _ = call(server, OpenInterest, request, payload("MarketData.OpenInterest"))
    assert response.get_time() == datetime(2023, 3, 3, 8, 42, 35, 976000, tzinfo=UTC)
    assert response.get_next_page_cursor() == "lastid%3D44487872"  # as issued by the exchange
    first, second = response.get_body()
    assert isinstance(first, IOpenInterestResponse)
    assert first.get_open_interest() == Decimal("411496.22000000")
    assert first.get_timestamp() == datetime(2023, 3, 3, 8, 40, tzinfo=UTC)
    assert second.get_open_interest() == Decimal("411484.61000000")
    assert second.get_timestamp() == datetime(2023, 3, 3, 8, 35, tzinfo=UTC)


def test_wire(server: RecordingServer) -> None:
    request = (
        OpenInterestRequest()
        .set_end_time(datetime(2023, 3, 3, 9, tzinfo=UTC))
        .set_start_time(datetime(2023, 3, 3, 8, tzinfo=UTC))
        .set_interval("5min")
        .set_symbol("ETHUSDT")
        .set_limit(2)
    )
    _, sent = call(server, OpenInterest, request)
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=ETHUSDT&interval=5min&startTime=1677830400000&endTime=1677834000000&limit=2",
    )
    assert_unsigned(sent)


def test_symbol_and_interval_are_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException, match=r"^OpenInterestRequest: missing required field\(s\): symbol, interval$"
    ):
        call(server, OpenInterest, OpenInterestRequest())
    assert server.requests == []
