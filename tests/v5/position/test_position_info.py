"""V5 GetPositionInfo (``GET /v5/position/list``): a position to exact values, the linear rule, paging."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, PositionStatus, Side
from carpenstar_bybit.v5.position.position_info import (
    GetPositionInfo,
    GetPositionInfoRequest,
    GetPositionInfoResponse,
    IGetPositionInfoResponseInterface,
)
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import assert_signed, docs_payload_bytes

UTC = timezone.utc


def test_docs_position(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("position_info")))
    response = api.rest(
        GetPositionInfo, GetPositionInfoRequest().set_category(Category.INVERSE).set_symbol("BTCUSD")
    )
    assert_signed(server.requests[0])
    (position,) = response.get_body()
    assert isinstance(position, GetPositionInfoResponse)
    assert isinstance(position, IGetPositionInfoResponseInterface)
    assert position.get_symbol() == "BTCUSD"
    assert position.get_side() == Side.SELL
    assert position.get_size() == Decimal("300")
    assert position.get_avg_price() == Decimal("27464.50441675")
    assert position.get_position_value() == Decimal("0.01092319")
    assert position.get_leverage() == Decimal("10")
    assert position.get_mark_price() == Decimal("28224.50")
    assert position.get_liq_price() is None  # "": outside the price limits
    assert position.get_break_even_price() == Decimal("93556.73034991")
    assert position.get_position_im() == Decimal("0.00010923")
    assert position.get_position_mm_by_mp() == Decimal("0.0000015")
    assert position.get_unrealised_pnl() == Decimal("-0.00029413")
    assert position.get_cur_realised_pnl() == Decimal("0.00013123")
    assert position.get_cum_realised_pnl() == Decimal("-0.00096902")
    assert position.get_position_status() == PositionStatus.NORMAL
    assert position.get_position_idx() == 0
    assert position.get_risk_id() == 1
    assert position.get_auto_add_margin() == 1
    assert position.get_adl_rank_indicator() == 2
    assert position.get_seq() == 5723621632
    assert position.is_reduce_only() is False
    assert position.get_take_profit() == Decimal("0.00")
    assert position.get_created_time() == datetime(2023, 2, 16, 9, 0, 56, 258000, tzinfo=UTC)
    assert position.get_updated_time() == datetime(2023, 10, 19, 0, 0, 0, 12000, tzinfo=UTC)
    assert position.get_open_time() is None  # absent
    assert position.get_mmr_sys_updated_time() is None
    assert response.get_list_info().get_category() == "inverse"
    assert response.get_next_page_cursor() is None


def test_linear_needs_a_symbol_or_a_settle_coin(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match="symbol / settleCoin is required when category is 'linear'"):
        api.rest(GetPositionInfo, GetPositionInfoRequest().set_category("linear"))
    with pytest.raises(
        SDKException, match=r"category: expected one of 'linear', 'inverse', 'option' \(Category\)"
    ):
        GetPositionInfoRequest().set_category(Category.SPOT)
    assert server.requests == []
    api.rest(
        GetPositionInfo,
        GetPositionInfoRequest().set_category("linear").set_settle_coin("USDT").set_limit(200),
    )
    assert server.requests[0].query == "category=linear&settleCoin=USDT&limit=200"
