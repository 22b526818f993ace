"""Market Data → Kline: ``GET /derivatives/v3/public/kline``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumIntervals
from carpenstar_bybit.derivatives.market_data.kline import IKlineResponseInterface, Kline, KlineRequest
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/kline"


def request() -> KlineRequest:
    return (
        KlineRequest()
        .set_symbol("BTCPERP")
        .set_interval(EnumIntervals.MINUTE1)
        .set_start_time(datetime(2022, 12, 6, 23, 59, tzinfo=UTC))
        .set_end_time(datetime(2022, 12, 7, tzinfo=UTC))
    )


def test_parses_the_captured_payload_array_items_by_position(server: RecordingServer) -> None:
    response, _ = call(server, Kline, request(), payload("MarketData.Kline"))
    assert response.get_time() == datetime(2022, 12, 25, 11, 43, 32, 436000, tzinfo=UTC)
    body = response.get_body()
    assert len(body) == 2
    first, second = body
    assert isinstance(first, IKlineResponseInterface)
    assert first.get_start_time() == datetime(2022, 12, 7, 0, 0, tzinfo=UTC)
    assert first.get_open() == Decimal("17077")
    assert first.get_high() == Decimal("17084")
    assert first.get_low() == Decimal("17077")
    assert first.get_close() == Decimal("17084")
    assert first.get_volume() == Decimal("0.017")
    assert first.get_turnover() == Decimal("290.412")
    assert second.get_start_time() == datetime(2022, 12, 6, 23, 59, tzinfo=UTC)
    assert second.get_open() == Decimal("17074")
    assert second.get_high() == Decimal("17077.5")
    assert second.get_low() == Decimal("17074")
    assert second.get_close() == Decimal("17077")
    assert second.get_volume() == Decimal("0.006")
    assert second.get_turnover() == Decimal("102.457")


def test_wire_as_the_spec_names_the_fields(server: RecordingServer) -> None:
    _, sent = call(server, Kline, request())
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=BTCPERP&interval=1&start=1670371140000&end=1670371200000&limit=200",
    )
    assert_unsigned(sent)


def test_wire_uses_the_start_and_end_keys_bybit_documents(server: RecordingServer) -> None:
    _, sent = call(server, Kline, request())
    assert_get(
        sent,
        PATH,
        "category=linear&symbol=BTCPERP&interval=1&start=1670371140000&end=1670371200000&limit=200",
    )


def test_required_fields_are_named_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException,
        match=r"^KlineRequest: missing required field\(s\): symbol, interval, start, end$",
    ):
        call(server, Kline, KlineRequest().set_limit(5))
    assert server.requests == []
