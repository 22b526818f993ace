"""Contract → Position → Get Execution List: ``GET /contract/v3/private/execution/list``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.position.get_execution_list import (
    GetExecutionList,
    GetExecutionListRequest,
    GetExecutionListResponse,
)
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, payload
from tests.support.recording_server import RecordingServer, envelope

PATH = "/contract/v3/private/execution/list"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = GetExecutionListRequest().set_symbol("ETHUSDT")
    response, _ = call(server, GetExecutionList, request, payload("Contract.Position.GetExecutionList"))
    assert response.get_time() == datetime(2023, 1, 8, 4, 0, 4, 910000, tzinfo=UTC)
    cursor = payload("Contract.Position.GetExecutionList")["result"]["nextPageCursor"]
    assert response.get_next_page_cursor() == cursor
    assert cursor.startswith("ZzU3NlU4M1JlLzhFTWkz")
    (execution,) = response.get_body()
    assert isinstance(execution, GetExecutionListResponse)
    assert execution.get_symbol() == "ETHUSDT"
    assert execution.get_exec_fee() == Decimal("-0.08720013")
    assert execution.get_exec_id() == "208751d8-f70e-4570-a5fd-d208c82af99d"
    assert execution.get_exec_type() == "Funding"
    assert execution.get_exec_value() == Decimal("872.0013")
    assert execution.get_fee_rate() == Decimal("-0.0001")
    assert execution.get_last_liquidity_ind() == "UNKNOWN"
    assert execution.get_leaves_qty() == Decimal("0.00")
    assert execution.get_order_id() == "1673136000-ETHUSDT-592334-Sell"
    assert execution.get_order_link_id() == ""
    assert execution.get_order_price() == Decimal("0.00")
    assert execution.get_order_qty() == Decimal("0.00")
    assert execution.get_order_type() == "UNKNOWN"
    assert execution.get_stop_order_type() == "UNKNOWN"
    assert execution.get_side() == "Sell"
    assert execution.get_exec_time() == datetime(2023, 1, 8, 0, 0, tzinfo=UTC)
    assert execution.get_closed_size() == Decimal("0.00")
    assert execution.get_block_trade_id() == ""
    assert execution.get_mark_price() is None  # "" in the payload
    assert execution.get_underlying_price() is None
    assert execution.get_index_price() is None
    assert execution.is_maker() is False


def test_php_defect_not_ported_exec_price_and_exec_qty_are_read_separately(server: RecordingServer) -> None:
    # PHP called setExecQty($data['execPrice']) then setExecQty($data['execQty']): getExecPrice was never set
    response, _ = call(
        server,
        GetExecutionList,
        GetExecutionListRequest().set_symbol("ETHUSDT"),
        payload("Contract.Position.GetExecutionList"),
    )
    execution = response.get_result()
    assert execution is not None
    assert execution.get_exec_price() == Decimal("1263.77")
    assert execution.get_exec_qty() == Decimal("0.69")


def test_a_maker_fill_reads_is_maker_true(server: RecordingServer) -> None:
    item = payload("Contract.Position.GetExecutionList")["result"]["list"][0]
    item.update(
        isMaker=True, execType="Trade", markPrice="1263.80", indexPrice="1263.75", underlyingPrice="1263.7"
    )
    response, _ = call(
        server, GetExecutionList, GetExecutionListRequest().set_symbol("ETHUSDT"), envelope({"list": [item]})
    )
    execution = response.get_result()
    assert execution is not None
    assert execution.is_maker() is True
    assert execution.get_mark_price() == Decimal("1263.80")
    assert execution.get_index_price() == Decimal("1263.75")
    assert execution.get_underlying_price() == Decimal("1263.7")


def test_wire_every_field(server: RecordingServer) -> None:
    request = (
        GetExecutionListRequest()
        .set_cursor("c-1")
        .set_limit(100)
        .set_exec_type("Trade")
        .set_end_time(datetime(2023, 1, 8, 12, 30, 15, 250000, tzinfo=UTC))
        .set_start_time(datetime(2023, 1, 7, tzinfo=UTC))
        .set_order_id("1673136000-ETHUSDT-592334-Sell")
        .set_symbol("ETHUSDT")
    )
    _, sent = call(server, GetExecutionList, request)
    assert_get(
        sent,
        PATH,
        "symbol=ETHUSDT&orderId=1673136000-ETHUSDT-592334-Sell&startTime=1673049600000"
        "&endTime=1673181015250&execType=Trade&limit=100&cursor=c-1",
    )
    assert_signed(sent)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"missing required field\(s\): symbol$"):
        call(server, GetExecutionList, GetExecutionListRequest().set_exec_type("Trade"))
    assert server.requests == []
