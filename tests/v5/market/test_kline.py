"""V5 klines (``GET /v5/market/kline``, ``mark-price-kline``, ``index-price-kline``,
``premium-index-price-kline``, public): candles as typed tuples, the categories each route takes."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, Interval
from carpenstar_bybit.v5.market.index_price_kline import (
    GetIndexPriceKline,
    GetIndexPriceKlineRequest,
    GetIndexPriceKlineResponse,
)
from carpenstar_bybit.v5.market.kline import (
    GetKline,
    GetKlineRequest,
    GetKlineResponse,
    IGetKlineResponseInterface,
)
from carpenstar_bybit.v5.market.mark_price_kline import GetMarkPriceKlineRequest, GetMarkPriceKlineResponse
from carpenstar_bybit.v5.market.premium_index_price_kline import (
    GetPremiumIndexPriceKline,
    GetPremiumIndexPriceKlineRequest,
    GetPremiumIndexPriceKlineResponse,
)
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import docs_payload_bytes

UTC = timezone.utc


def test_candles_are_typed_tuples_newest_first(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("kline")))
    request = (
        GetKlineRequest().set_category(Category.INVERSE).set_symbol("BTCUSD").set_interval(Interval.HOUR_1)
    )
    response = api.rest(GetKline, request)
    newest, middle, oldest = response.get_body()
    assert isinstance(newest, GetKlineResponse)
    assert isinstance(newest, IGetKlineResponseInterface)
    start, open_, high, low, close, volume, turnover = newest  # Bybit's array order
    assert start == datetime(2022, 12, 9, 18, 0, tzinfo=UTC)
    assert (open_, high, low, close) == (
        Decimal("17071"),
        Decimal("17073"),
        Decimal("17027"),
        Decimal("17055.5"),
    )
    assert volume == Decimal("268611")
    assert turnover == Decimal("15.74462667")
    assert newest.get_close_price() == Decimal("17055.5")
    assert oldest.get_start_time() == datetime(2022, 12, 9, 16, 0, tzinfo=UTC)
    assert middle.get_turnover() == Decimal("0.24469757")
    info = response.get_list_info()
    assert (info.get_category(), info.get_symbol()) == ("inverse", "BTCUSD")


def test_price_klines_have_five_fields_and_share_one_class(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("premium_index_price_kline")))
    request = GetPremiumIndexPriceKlineRequest().set_symbol("BTCUSDT").set_interval("D")
    newest, oldest = api.rest(GetPremiumIndexPriceKline, request).get_body()
    assert isinstance(newest, GetPremiumIndexPriceKlineResponse)
    assert isinstance(newest, GetMarkPriceKlineResponse)
    assert issubclass(GetIndexPriceKlineResponse, GetMarkPriceKlineResponse)
    assert len(newest) == 5
    assert newest == (
        datetime(2022, 5, 14, tzinfo=UTC),
        Decimal("-0.000587"),
        Decimal("-0.000344"),
        Decimal("-0.000480"),
        Decimal("-0.000344"),
    )
    assert oldest.get_low_price() == Decimal("-0.000587")
    assert server.requests[0].query == "symbol=BTCUSDT&interval=D"  # category defaults to linear at Bybit


def test_category_is_optional_and_limited_per_route(server: RecordingServer, api: BybitAPI) -> None:
    api.rest(
        GetIndexPriceKline, GetIndexPriceKlineRequest().set_symbol("BTCUSDT").set_interval(Interval.WEEK)
    )
    assert server.requests[0].query == "symbol=BTCUSDT&interval=W"
    with pytest.raises(
        SDKException, match=r"category: expected one of 'linear', 'inverse' \(Category\), got 'spot'"
    ):
        GetIndexPriceKlineRequest().set_category("spot")
    with pytest.raises(
        SDKException, match=r"category: expected one of 'linear' \(Category\), got Category.INVERSE"
    ):
        GetPremiumIndexPriceKlineRequest().set_category(Category.INVERSE)
    with pytest.raises(
        SDKException, match=r"category: expected one of 'spot', 'linear', 'inverse' \(Category\)"
    ):
        GetKlineRequest().set_category(Category.OPTION)
    GetMarkPriceKlineRequest().set_category(Category.OPTION)  # mark price klines serve options too


def test_interval_takes_bybits_values_only() -> None:
    assert GetKlineRequest().set_interval("240").get_interval() is Interval.HOUR_4
    with pytest.raises(SDKException, match="interval: expected one of '1', '3', '5', '15', '30', '60'"):
        GetKlineRequest().set_interval("1h")
