"""V5 GetClosedPnl (``GET /v5/position/closed-pnl``) and GetExecutionList (``GET /v5/execution/list``):
closed positions and fills to exact values, time windows, extra fees read as items."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, ExecType
from carpenstar_bybit.v5.position.closed_pnl import GetClosedPnl, GetClosedPnlRequest
from carpenstar_bybit.v5.position.execution_list import GetExecutionList, GetExecutionListRequest
from carpenstar_bybit.v5.trade.get_order_history import ExtraFeeResponse
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import EXTRA_FEE, docs_payload_bytes

UTC = timezone.utc


def test_closed_pnl(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("closed_pnl")))
    request = (
        GetClosedPnlRequest()
        .set_category("linear")
        .set_symbol("ETHPERP")
        .set_start_time(datetime(2022, 12, 28, tzinfo=UTC))
        .set_end_time(datetime(2022, 12, 29, tzinfo=UTC))
    )
    response = api.rest(GetClosedPnl, request)
    assert (
        server.requests[0].query
        == "category=linear&symbol=ETHPERP&startTime=1672185600000&endTime=1672272000000"
    )
    (pnl,) = response.get_body()
    assert pnl.get_closed_pnl() == Decimal("-47.4065323")
    assert pnl.get_avg_entry_price() == Decimal("1194.97516667")
    assert pnl.get_avg_exit_price() == Decimal("1180.59833333")
    assert pnl.get_cum_entry_value() == Decimal("3584.9255")
    assert pnl.get_closed_size() == Decimal("3")
    assert pnl.get_fill_count() == 4
    assert pnl.get_exec_type() == ExecType.TRADE
    assert pnl.get_open_fee() is None  # absent in this example
    assert pnl.get_created_time() == datetime(2022, 12, 28, 8, 8, 7, 231000, tzinfo=UTC)
    assert response.get_next_page_cursor() == (
        "5a373bfe-188d-4913-9c81-d57ab5be8068%3A1672214887231423699%2C"
        "5a373bfe-188d-4913-9c81-d57ab5be8068%3A1672214887231423699"
    )
    with pytest.raises(
        SDKException, match=r"category: expected one of 'linear', 'inverse' \(Category\), got 'spot'"
    ):
        GetClosedPnlRequest().set_category("spot")


def test_executions(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("execution_list")))
    request = (
        GetExecutionListRequest().set_category(Category.LINEAR).set_exec_type(ExecType.TRADE).set_limit(1)
    )
    (fill,) = api.rest(GetExecutionList, request).get_body()
    assert server.requests[0].query == "category=linear&execType=Trade&limit=1"
    assert fill.get_exec_id() == "e0cbe81d-0f18-5866-9415-cf319b5dab3b"
    assert fill.get_exec_price() == Decimal("1190.15")
    assert fill.get_exec_qty() == Decimal("0.1")
    assert fill.get_exec_value() == Decimal("119.015")
    assert fill.get_exec_fee() == Decimal("0.071409")
    assert fill.get_fee_rate() == Decimal("0.0006")
    assert fill.is_maker() is False
    assert fill.get_exec_time() == datetime(2022, 12, 29, 2, 58, 42, 429000, tzinfo=UTC)
    assert fill.get_seq() == 4688002127
    assert fill.get_closed_size() is None
    assert fill.get_exec_fee_v2() is None
    assert len(fill.get_extra_fees()) == 0


def test_extra_fees_of_a_fill_are_typed_items(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope({"category": "spot", "list": [{"execId": "1", "extraFees": [EXTRA_FEE]}]})))
    (fill,) = api.rest(GetExecutionList, GetExecutionListRequest().set_category("spot")).get_body()
    (extra,) = fill.get_extra_fees()
    assert isinstance(extra, ExtraFeeResponse)  # the class of order history's extraFees
    assert extra.get_fee() == Decimal("0.006403779")


def test_exec_type_takes_bybits_values() -> None:
    with pytest.raises(SDKException, match="execType: expected one of 'Trade', 'AdlTrade', 'Funding'"):
        GetExecutionListRequest().set_exec_type("UNKNOWN")  # a response value only: not a filter
