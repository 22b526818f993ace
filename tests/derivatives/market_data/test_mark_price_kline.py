"""Market Data → Mark Price Kline: ``GET /derivatives/v3/public/mark-price-kline``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.mark_price_kline import (
    IMarkPriceKline,
    MarkPriceKline,
    MarkPriceKlineRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/mark-price-kline"


def request() -> MarkPriceKlineRequest:
    return (
        MarkPriceKlineRequest()
        .set_symbol("BTCUSD")
        .set_interval("1")
        .set_start_time(1670261100000)
        .set_end_time(datetime(2022, 12, 5, 17, 29, tzinfo=UTC))
    )


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, MarkPriceKline, request(), payload("MarketData.MarkPriceKline"))
    assert response.get_time() == datetime(2022, 12, 25, 11, 45, 6, 92000, tzinfo=UTC)
    body = response.get_body()
    assert all(isinstance(item, IMarkPriceKline) for item in body)
    rows = [(k.get_start_time(), k.get_open(), k.get_high(), k.get_low(), k.get_close()) for k in body]
    assert rows == [
        (
            datetime(2022, 12, 5, 17, 28, tzinfo=UTC),
            Decimal("17064.76"),
            Decimal("17068.45"),
            Decimal("17063.5"),
            Decimal("17067"),
        ),
        (
            datetime(2022, 12, 5, 17, 27, tzinfo=UTC),
            Decimal("17062.5"),
            Decimal("17064.88"),
            Decimal("17062.5"),
            Decimal("17064.76"),
        ),
        (
            datetime(2022, 12, 5, 17, 26, tzinfo=UTC),
            Decimal("17064"),
            Decimal("17064"),
            Decimal("17062.5"),
            Decimal("17062.5"),
        ),
        (
            datetime(2022, 12, 5, 17, 25, tzinfo=UTC),
            Decimal("17072"),
            Decimal("17072"),
            Decimal("17064"),
            Decimal("17064"),
        ),
    ]


def test_wire_sends_the_linear_category_by_default(server: RecordingServer) -> None:
    # PHP forced category "linear"; the spec records no default, the overlay restores it
    _, sent = call(server, MarkPriceKline, request())
    assert_get(
        sent, PATH, "category=linear&symbol=BTCUSD&interval=1&start=1670261100000&end=1670261340000&limit=200"
    )
    assert_unsigned(sent)


def test_wire_with_category(server: RecordingServer) -> None:
    _, sent = call(server, MarkPriceKline, request().set_category("inverse").set_limit(4))
    assert_get(
        sent,
        PATH,
        "category=inverse&symbol=BTCUSD&interval=1&start=1670261100000&end=1670261340000&limit=4",
    )


def test_wire_uses_the_start_and_end_keys_bybit_documents(server: RecordingServer) -> None:
    _, sent = call(server, MarkPriceKline, request())
    assert_get(
        sent, PATH, "category=linear&symbol=BTCUSD&interval=1&start=1670261100000&end=1670261340000&limit=200"
    )


def test_required_fields_are_named_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"missing required field\(s\): interval, start, end$"):
        call(server, MarkPriceKline, MarkPriceKlineRequest().set_symbol("BTCUSD"))
    assert server.requests == []
