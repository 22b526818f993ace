"""Contract → Position → My Position: ``GET /contract/v3/private/position/list``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.position.my_position import (
    IMyPositionResponseInterface,
    MyPosition,
    MyPositionRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/list"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = MyPositionRequest().set_symbol("ETCUSDT")
    response, _ = call(server, MyPosition, request, payload("Contract.Position.MyPosition"))
    assert response.get_time() == datetime(2023, 1, 11, 7, 11, 16, 67000, tzinfo=UTC)
    assert response.get_next_page_cursor() is None  # "" in the payload
    (position,) = response.get_body()
    assert isinstance(position, IMyPositionResponseInterface)
    assert position.get_position_idx() == 0
    assert position.get_risk_id() == 236
    assert position.get_symbol() == "ETCUSDT"
    assert position.get_side() == "Sell"
    assert position.get_size() == Decimal("5.0")
    assert position.get_position_value() == Decimal("101.025")
    assert position.get_entry_price() == Decimal("20.205")
    assert position.get_trade_mode() == 0
    assert position.get_auto_add_margin() == 0
    assert position.get_leverage() == Decimal("10")
    assert position.get_position_balance() == Decimal("10.1691765")
    assert position.get_liq_price() == Decimal("1606.060")
    assert position.get_bust_price() == Decimal("1606.260")
    assert position.get_take_profit() == Decimal("0.000")
    assert position.get_stop_loss() == Decimal("0.000")
    assert position.get_trailing_stop() == "0.000"  # a string in the PHP interface
    assert position.get_unrealised_pnl() == Decimal("1.35")
    assert position.get_created_time() == datetime(2023, 1, 6, 6, 32, 31, 942000, tzinfo=UTC)
    assert position.get_updated_time() == datetime(2023, 1, 11, 6, 51, 57, 797000, tzinfo=UTC)
    assert position.get_tp_sl_mode() == "Full"
    assert position.get_risk_limit_value() == "200000"  # a string in the PHP interface
    assert position.get_active_price() == Decimal("0.000")
    assert position.get_mark_price() == Decimal("19.935")
    assert position.get_cum_realised_pnl() == Decimal("0.02758243")
    assert position.get_position_mm() is None  # ""
    assert position.get_position_im() is None  # ""
    assert position.get_position_status() == "Normal"
    assert position.get_session_avg_price() == Decimal("0.000")
    assert position.get_occ_closing_fee() == Decimal("4.81878")
    assert position.get_adl_rank_indicator() == 2


@pytest.mark.parametrize(
    ("request_", "query"),
    [
        (MyPositionRequest().set_symbol("ETCUSDT"), "symbol=ETCUSDT"),
        (MyPositionRequest().set_settle_coin("USDT"), "settleCoin=USDT"),
        (MyPositionRequest().set_settle_coin("USDT").set_symbol("ETCUSDT"), "symbol=ETCUSDT&settleCoin=USDT"),
    ],
)
def test_wire(server: RecordingServer, request_: MyPositionRequest, query: str) -> None:
    _, sent = call(server, MyPosition, request_)
    assert_get(sent, PATH, query)
    assert_signed(sent)


def test_symbol_or_settle_coin_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^MyPositionRequest: one of symbol / settleCoin is required$"):
        call(server, MyPosition, MyPositionRequest())
    assert server.requests == []
