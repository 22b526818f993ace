"""V5 GetRecentTrades (``GET /v5/market/recent-trade``, public)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, OptionType
from carpenstar_bybit.v5.market.recent_trade import GetRecentTrades, GetRecentTradesRequest
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import docs_payload_bytes


def test_docs_trade(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("recent_trade")))
    response = api.rest(GetRecentTrades, GetRecentTradesRequest().set_category("spot").set_symbol("BTCUSDT"))
    (trade,) = response.get_body()
    assert trade.get_exec_id() == "2100000000007764263"
    assert trade.get_price() == Decimal("16618.49")
    assert trade.get_size() == Decimal("0.00012")
    assert trade.get_side() == "Buy"
    assert trade.get_time() == datetime(2022, 12, 26, 11, 9, 15, 758000, tzinfo=timezone.utc)
    assert trade.is_block_trade() is False
    assert trade.is_rpi_trade() is True
    assert trade.get_seq() == 123456
    assert trade.get_mark_price() is None  # an option's field
    assert response.get_list_info().get_category() == "spot"


def test_option_trades_read_mark_and_index_price(server: RecordingServer, api: BybitAPI) -> None:
    item = {
        "execId": "x",
        "symbol": "BTC-30DEC22-18000-C",
        "mP": "435.1",
        "iP": "16600.55",
        "mIv": "0.7567",
        "iv": "0.8",
    }
    server.reply(Reply(envelope({"category": "option", "list": [item]})))
    request = (
        GetRecentTradesRequest()
        .set_category(Category.OPTION)
        .set_base_coin("BTC")
        .set_option_type(OptionType.CALL)
    )
    (trade,) = api.rest(GetRecentTrades, request).get_body()
    assert server.requests[0].query == "category=option&baseCoin=BTC&optionType=Call"
    assert (trade.get_mark_price(), trade.get_index_price()) == (Decimal("435.1"), Decimal("16600.55"))
    assert (trade.get_mark_iv(), trade.get_iv()) == (Decimal("0.7567"), Decimal("0.8"))


@pytest.mark.parametrize("category", ["spot", "linear", "inverse"])
def test_symbol_is_required_except_for_options(category: str, server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=f"symbol is required when category is '{category}'"):
        api.rest(GetRecentTrades, GetRecentTradesRequest().set_category(category).set_limit(60))
    assert server.requests == []
