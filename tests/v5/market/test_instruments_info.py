"""V5 GetInstrumentsInfo (``GET /v5/market/instruments-info``, public): tick size, lot size and
leverage filters per category, nested objects as typed items, pre-market phases, paging."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, ContractType, InstrumentStatus
from carpenstar_bybit.v5.market.instruments_info import (
    GetInstrumentsInfo,
    GetInstrumentsInfoRequest,
    GetInstrumentsInfoResponse,
    IGetInstrumentsInfoResponseInterface,
    InstrumentLotSizeFilterResponse,
    PreListingPhaseResponse,
)
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import docs_payload_bytes

UTC = timezone.utc


def call(server: RecordingServer, payload: str, category: Category) -> GetInstrumentsInfoResponse:
    server.reply(Reply(docs_payload_bytes(payload)))
    with BybitAPI(server.url) as api:  # public: no key needed
        response = api.public_endpoint(
            GetInstrumentsInfo, GetInstrumentsInfoRequest().set_category(category).set_symbol("BTCUSDT")
        ).execute()
    (sent,) = server.requests[-1:]
    assert not any(h.upper().startswith("X-BAPI-") for h in sent.headers)
    (instrument,) = response.get_body()
    return instrument


def test_linear_perpetual_filters(server: RecordingServer) -> None:
    btc = call(server, "instruments_info_linear", Category.LINEAR)
    assert isinstance(btc, IGetInstrumentsInfoResponseInterface)
    assert btc.get_symbol() == "BTCUSDT"
    assert btc.get_symbol_id() == 5
    assert btc.get_contract_type() == ContractType.LINEAR_PERPETUAL
    assert btc.get_status() == InstrumentStatus.TRADING
    assert btc.get_launch_time() == datetime(2020, 3, 30, tzinfo=UTC)
    assert btc.get_delivery_time() is None  # "0": a perpetual has none
    assert btc.get_delivery_fee_rate() is None
    assert btc.get_price_scale() == 2
    (price,) = btc.get_price_filter()
    assert (price.get_min_price(), price.get_max_price()) == (Decimal("0.10"), Decimal("1999999.80"))
    assert price.get_tick_size() == Decimal("0.10")
    (lot,) = btc.get_lot_size_filter()
    assert isinstance(lot, InstrumentLotSizeFilterResponse)
    assert lot.get_qty_step() == Decimal("0.001")
    assert lot.get_min_order_qty() == Decimal("0.001")
    assert lot.get_max_order_qty() == Decimal("1190.000")
    assert lot.get_max_mkt_order_qty() == Decimal("500.000")
    assert lot.get_min_notional_value() == Decimal("5")
    assert lot.get_base_precision() is None  # a spot field
    (leverage,) = btc.get_leverage_filter()
    assert leverage.get_max_leverage() == Decimal("100.00")
    assert leverage.get_leverage_step() == Decimal("0.01")
    assert btc.is_unified_margin_trade() is True
    assert btc.get_funding_interval() == 480
    assert btc.get_upper_funding_rate() == Decimal("0.00375")
    assert btc.get_lower_funding_rate() == Decimal("-0.00375")
    assert btc.is_pre_listing() is False
    assert len(btc.get_pre_listing_info()) == 0  # null
    (risk,) = btc.get_risk_parameters()
    assert (risk.get_price_limit_ratio_x(), risk.get_price_limit_ratio_y()) == (
        Decimal("0.01"),
        Decimal("0.02"),
    )
    assert btc.get_copy_trading() == "both"


def test_pre_market_contract_phases(server: RecordingServer) -> None:
    bio = call(server, "instruments_info_linear_prelisting", Category.LINEAR)
    assert bio.get_status() == InstrumentStatus.PRE_LAUNCH
    (info,) = bio.get_pre_listing_info()
    assert info.get_cur_auction_phase() == "ContinuousTrading"
    phases = info.get_phases()
    assert [p.get_phase() for p in phases] == [
        "CallAuction",
        "CallAuctionNoCancel",
        "CrossMatching",
        "ContinuousTrading",
    ]
    first, *_, last = phases
    assert isinstance(first, PreListingPhaseResponse)
    assert first.get_start_time() == datetime(2024, 12, 25, 8, 0, tzinfo=UTC)
    assert first.get_end_time() == datetime(2024, 12, 25, 8, 50, tzinfo=UTC)
    assert last.get_end_time() is None  # "": still running
    (fees,) = info.get_auction_fee_info()
    assert (fees.get_auction_fee_rate(), fees.get_taker_fee_rate()) == (Decimal("0"), Decimal("0.001"))


def test_option_and_spot_items_read_their_own_fields(server: RecordingServer) -> None:
    option = call(server, "instruments_info_option", Category.OPTION)
    assert option.get_options_type() == "Put"
    assert option.get_delivery_time() == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)
    assert option.get_display_name() == "BTCUSDT-27MAR26-70000-P"
    assert len(option.get_leverage_filter()) == 0
    spot = call(server, "instruments_info_spot", Category.SPOT)
    assert spot.get_margin_trading() == "utaOnly"
    assert spot.is_st_tag() is False  # "0"
    assert spot.is_innovation() is False
    (lot,) = spot.get_lot_size_filter()
    assert lot.get_base_precision() == Decimal("0.000001")
    assert lot.get_min_order_amt() == Decimal("5")
    assert lot.get_max_market_order_qty() == Decimal("41.5")
    assert lot.get_post_only_max_limit_order_size() == Decimal("60000")


def test_next_page_cursor_and_category_of_the_list(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("instruments_info_linear_prelisting")))
    response = api.rest(
        GetInstrumentsInfo, GetInstrumentsInfoRequest().set_category("linear").set_status("PreLaunch")
    )
    assert response.get_next_page_cursor() == "first%3DBIOUSDT%26last%3DBIOUSDT"
    assert response.get_list_info().get_category() == "linear"
    assert server.requests[0].query == "category=linear&status=PreLaunch"


def test_status_and_category_are_checked_before_sending() -> None:
    with pytest.raises(
        SDKException, match="status: expected one of 'PreLaunch', 'Trading', 'Delivering', 'Closed'"
    ):
        GetInstrumentsInfoRequest().set_status("Listed")
    with pytest.raises(SDKException, match="category: expected one of"):
        GetInstrumentsInfoRequest().set_category("futures")
