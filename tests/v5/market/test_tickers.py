"""V5 GetTickers (``GET /v5/market/tickers``, public): the price snapshot of each category."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category
from carpenstar_bybit.v5.market.tickers import GetTickers, GetTickersRequest, GetTickersResponse
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import docs_payload_bytes

UTC = timezone.utc


def ticker(server: RecordingServer, payload: str, request: GetTickersRequest) -> GetTickersResponse:
    server.reply(Reply(docs_payload_bytes(payload)))
    with BybitAPI(server.url) as api:
        result = api.rest(GetTickers, request).get_result()
    assert isinstance(result, GetTickersResponse)
    return result


def test_inverse_perpetual(server: RecordingServer) -> None:
    btc = ticker(
        server, "tickers_inverse", GetTickersRequest().set_category(Category.INVERSE).set_symbol("BTCUSD")
    )
    assert server.requests[0].target == "/v5/market/tickers?category=inverse&symbol=BTCUSD"
    assert btc.get_symbol() == "BTCUSD"
    assert btc.get_last_price() == Decimal("120635.50")
    assert btc.get_bid_1_price() == Decimal("103401.00")
    assert btc.get_ask_1_price() == Decimal("109152.80")
    assert btc.get_bid_1_size() == Decimal("1063")
    assert btc.get_price_24h_pcnt() == Decimal("0.142425")
    assert btc.get_funding_rate() == Decimal("0.0001")
    assert btc.get_next_funding_time() == datetime(2025, 10, 13, 16, 0, tzinfo=UTC)
    assert btc.get_funding_interval_hour() == 8
    assert btc.get_funding_cap() == Decimal("0.005")
    assert btc.get_delivery_time() is None
    assert btc.get_basis() is None  # ""
    assert btc.get_volume_24h() == Decimal("13713832.0000")


def test_option_greeks_and_spot_usd_index(server: RecordingServer) -> None:
    option = ticker(
        server, "tickers_option", GetTickersRequest().set_category("option").set_symbol("BTC-30DEC22-18000-C")
    )
    assert option.get_mark_iv() == Decimal("0.7567")
    assert option.get_delta() == Decimal("0.00000001")
    assert option.get_theta() == Decimal("-0.00000152")
    assert option.get_change_24h() == Decimal("86")
    assert option.get_funding_rate() is None  # absent for options
    spot = ticker(server, "tickers_spot", GetTickersRequest().set_category("spot").set_symbol("BTCUSDT"))
    assert spot.get_usd_index_price() == Decimal("20784.12009279")
    assert spot.get_turnover_24h() == Decimal("243765620.65899866")


def test_options_need_a_symbol_or_a_base_coin(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match="symbol / baseCoin is required when category is 'option'"):
        api.rest(GetTickers, GetTickersRequest().set_category(Category.OPTION).set_exp_date("25DEC22"))
    assert server.requests == []
    api.rest(
        GetTickers,
        GetTickersRequest().set_category(Category.OPTION).set_base_coin("BTC").set_exp_date("25DEC22"),
    )
    assert server.requests[0].query == "category=option&baseCoin=BTC&expDate=25DEC22"
