"""Market Data → Instrument Info: ``GET /derivatives/v3/public/instruments-info``, with its nested
leverage, price and lot-size filters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.instrument_info import (
    IInstrumentInfoResponse,
    ILeverageFilterItem,
    ILotSizeFilterItem,
    InstrumentInfo,
    InstrumentInfoRequest,
    InstrumentInfoResponse,
    IPriceFilterItem,
    LeverageFilterItemResponse,
    LotSizeFilterItemResponse,
    PriceFilterItemResponse,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/instruments-info"


def _instruments(server: RecordingServer) -> tuple[InstrumentInfoResponse, InstrumentInfoResponse]:
    response, _ = call(
        server,
        InstrumentInfo,
        InstrumentInfoRequest().set_symbol("BTCUSDT"),
        payload("MarketData.InstrumentInfo"),
    )
    assert response.get_time() == datetime(2023, 7, 3, 7, 26, 53, 455000, tzinfo=UTC)
    assert response.get_next_page_cursor() is None
    perpetual, future = response.get_body()
    return perpetual, future


def test_parses_an_instrument_with_its_filters(server: RecordingServer) -> None:
    btc, _ = _instruments(server)
    assert isinstance(btc, IInstrumentInfoResponse)
    assert btc.get_symbol() == "BTCUSDT"
    assert btc.get_contract_type() == "LinearPerpetual"
    assert btc.get_status() == "Trading"
    assert btc.get_base_coin() == "BTC"
    assert btc.get_quote_coin() == "USDT"
    assert btc.get_settle_coin() == "USDT"
    assert btc.get_launch_time() == datetime(2020, 3, 30, tzinfo=UTC)
    assert btc.get_delivery_fee_rate() is None  # "" for a perpetual
    assert btc.get_price_scale() == Decimal("2")
    assert btc.get_unified_margin_trade() is True
    assert btc.get_funding_interval() == 480

    leverage = btc.get_leverage_filter()
    assert len(leverage) == 1
    (lev,) = leverage
    assert isinstance(lev, LeverageFilterItemResponse)
    assert isinstance(lev, ILeverageFilterItem)
    assert lev.get_min_leverage() == 1  # "1" on the wire, int in the PHP interface
    assert lev.get_max_leverage() == Decimal("100.00")
    assert lev.get_leverage_step() == Decimal("0.01")

    (price,) = btc.get_price_filter()
    assert isinstance(price, PriceFilterItemResponse)
    assert isinstance(price, IPriceFilterItem)
    assert price.get_min_price() == Decimal("0.10")
    assert price.get_max_price() == Decimal("199999.80")
    assert price.get_tick_size() == Decimal("0.10")

    (lot,) = btc.get_lot_size_filter()
    assert isinstance(lot, LotSizeFilterItemResponse)
    assert isinstance(lot, ILotSizeFilterItem)
    assert lot.get_max_order_qty() == Decimal("100.000")
    assert lot.get_min_order_qty() == Decimal("0.001")
    assert lot.get_qty_step() == Decimal("0.001")


def test_parses_a_dated_future(server: RecordingServer) -> None:
    _, future = _instruments(server)
    assert future.get_symbol() == "BTC-29DEC23"
    assert future.get_contract_type() == "LinearFutures"
    assert future.get_quote_coin() == "USDC"
    assert future.get_launch_time() == datetime(2023, 6, 30, 8, 0, tzinfo=UTC)
    assert future.get_delivery_time() == datetime(2023, 12, 29, 8, 0, tzinfo=UTC)
    assert future.get_delivery_fee_rate() == Decimal("0.0005")
    assert future.get_price_scale() == Decimal("1")
    assert future.get_funding_interval() == 0
    assert [(f.get_min_leverage(), f.get_max_leverage()) for f in future.get_leverage_filter()] == [
        (1, Decimal("50.00"))
    ]
    assert [f.get_tick_size() for f in future.get_price_filter()] == [Decimal("0.5")]
    assert [f.get_max_order_qty() for f in future.get_lot_size_filter()] == [Decimal("500.000")]


def test_a_perpetual_has_no_delivery_time(server: RecordingServer) -> None:
    # "0" for a perpetual: PHP mapped it to null (?DateTime), so does the port; never 1970-01-01
    btc, _ = _instruments(server)
    assert btc.get_delivery_time() is None


def test_wire(server: RecordingServer) -> None:
    _, sent = call(server, InstrumentInfo, InstrumentInfoRequest().set_cursor("p2").set_symbol("BTCUSDT"))
    assert_get(sent, PATH, "category=linear&symbol=BTCUSDT&limit=500&cursor=p2")
    assert_unsigned(sent)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^InstrumentInfoRequest: missing required field\(s\): symbol$"):
        call(server, InstrumentInfo, InstrumentInfoRequest().set_limit(10))
    assert server.requests == []
