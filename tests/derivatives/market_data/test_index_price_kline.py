"""Market Data → Index Price Kline: ``GET /derivatives/v3/public/index-price-kline``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumIntervals
from carpenstar_bybit.derivatives.market_data.index_price_kline import (
    IIndexPriceKlineResponse,
    IndexPriceKline,
    IndexPriceKlineRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/index-price-kline"


def request() -> IndexPriceKlineRequest:
    return (
        IndexPriceKlineRequest()
        .set_symbol("ETHUSDT")
        .set_start_time(datetime(2023, 5, 1, tzinfo=UTC))
        .set_end_time(datetime(2023, 5, 1, 10, 5, tzinfo=UTC))
    )


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, IndexPriceKline, request(), payload("MarketData.IndexPriceKline"))
    assert response.get_return_message() == ""  # this answer's retMsg is empty
    assert response.get_time() == datetime(2023, 5, 13, 19, 38, 23, 286000, tzinfo=UTC)
    body = response.get_body()
    assert len(body) == 5
    assert all(isinstance(item, IIndexPriceKlineResponse) for item in body)
    assert [k.get_start_time() for k in body] == [
        datetime(2023, 5, 1, 10, minute, tzinfo=UTC) for minute in (4, 3, 2, 1, 0)
    ]
    first, last = body[0], body[4]
    assert (first.get_open(), first.get_high(), first.get_low(), first.get_close()) == (
        Decimal("1847.37"),
        Decimal("1847.65"),
        Decimal("1847.37"),
        Decimal("1847.4"),
    )
    assert (last.get_open(), last.get_high(), last.get_low(), last.get_close()) == (
        Decimal("1847.25"),
        Decimal("1847.68"),
        Decimal("1847.25"),
        Decimal("1847.63"),
    )


def test_wire_sends_the_php_default_interval(server: RecordingServer) -> None:
    _, sent = call(server, IndexPriceKline, request())
    assert request().get_interval() == EnumIntervals.MINUTE1.value
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=ETHUSDT&interval=1&start=1682899200000&end=1682935500000&limit=200",
    )
    assert_unsigned(sent)


def test_wire_with_an_interval_enum(server: RecordingServer) -> None:
    _, sent = call(server, IndexPriceKline, request().set_interval(EnumIntervals.DAY_1).set_limit(5))
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=ETHUSDT&interval=D&start=1682899200000&end=1682935500000&limit=5",
    )


def test_wire_uses_the_start_and_end_keys_bybit_documents(server: RecordingServer) -> None:
    _, sent = call(server, IndexPriceKline, request())
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=ETHUSDT&interval=1&start=1682899200000&end=1682935500000&limit=200",
    )


def test_required_fields_are_named_before_sending(server: RecordingServer) -> None:
    # interval has a PHP default, so it is never missing
    with pytest.raises(
        SDKException,
        match=r"^IndexPriceKlineRequest: missing required field\(s\): symbol, start, end$",
    ):
        call(server, IndexPriceKline, IndexPriceKlineRequest())
    assert server.requests == []
