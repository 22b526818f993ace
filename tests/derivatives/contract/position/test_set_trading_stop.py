"""Contract → Position → Set Trading Stop: ``POST /contract/v3/private/position/trading-stop``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumPositionIdx, EnumTPSLModes, EnumTriggerPriceType
from carpenstar_bybit.derivatives.contract.position.set_trading_stop import (
    SetTradingStop,
    SetTradingStopRequest,
)
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/trading-stop"


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    request = SetTradingStopRequest().set_symbol("BTCUSDT").set_take_profit(31000)
    response, _ = call(server, SetTradingStop, request, payload("Contract.Position.SetTradingStop"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


def test_wire_every_field(server: RecordingServer) -> None:
    request = (
        SetTradingStopRequest()
        .set_position_idx(EnumPositionIdx.ONE_WAY)
        .set_sl_order_type("Limit")
        .set_tp_order_type("Limit")
        .set_sl_limit_price("26990")
        .set_tp_limit_price(Decimal("31010.5"))
        .set_active_price(29500)
        .set_trailing_stop("0")
        .set_sl_trigger_by(EnumTriggerPriceType.PRICE_TYPE_INDEX)
        .set_tp_trigger_by(EnumTriggerPriceType.PRICE_TYPE_MARK)
        .set_sl_size(0.01)
        .set_tp_size(Decimal("0.010"))
        .set_tpsl_mode(EnumTPSLModes.MODE_PARTIAL)
        .set_stop_loss("27000")
        .set_take_profit(31000)
        .set_symbol("BTCUSDT")
    )
    _, sent = call(server, SetTradingStop, request)
    assert_post(
        sent,
        PATH,
        b'{"symbol":"BTCUSDT","takeProfit":"31000","stopLoss":"27000","tpslMode":"Partial","tpSize":"0.010",'
        b'"slSize":"0.01","tpTriggerBy":"MarkPrice","slTriggerBy":"IndexPrice","trailingStop":"0",'
        b'"activePrice":"29500","tpLimitPrice":"31010.5","slLimitPrice":"26990","tpOrderType":"Limit",'
        b'"slOrderType":"Limit","positionIdx":0}',
    )
    assert_signed(sent)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^SetTradingStopRequest: missing required field\(s\): symbol$"):
        call(server, SetTradingStop, SetTradingStopRequest().set_take_profit(31000))
    assert server.requests == []
