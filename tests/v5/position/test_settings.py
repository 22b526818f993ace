"""V5 position settings: leverage, cross/isolated margin, position mode, TP/SL/trailing stop,
auto-add-margin, add or reduce margin. Numbers that Bybit documents as strings go out as strings,
modes and indexes as integers; the values each field takes are checked before sending."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import ApiException, BybitAPI, InsufficientBalanceException, SDKException
from carpenstar_bybit.v5.enums import AutoAddMargin, Category, PositionIdx, PositionMode, TpslMode, TradeMode
from carpenstar_bybit.v5.position.add_or_reduce_margin import (
    AddOrReduceMargin,
    AddOrReduceMarginRequest,
    AddOrReduceMarginResponse,
)
from carpenstar_bybit.v5.position.set_auto_add_margin import SetAutoAddMargin, SetAutoAddMarginRequest
from carpenstar_bybit.v5.position.set_leverage import SetLeverage, SetLeverageRequest
from carpenstar_bybit.v5.position.set_trading_stop import SetTradingStop, SetTradingStopRequest
from carpenstar_bybit.v5.position.switch_cross_isolated_margin import (
    SwitchCrossIsolatedMargin,
    SwitchCrossIsolatedMarginRequest,
)
from carpenstar_bybit.v5.position.switch_position_mode import SwitchPositionMode, SwitchPositionModeRequest
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, docs_payload_bytes

UTC = timezone.utc


def test_leverage_goes_out_as_strings_and_the_answer_is_empty(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("set_leverage")))
    request = SetLeverageRequest().set_category("linear").set_symbol("BTCUSDT").set_buy_leverage(12.5)
    response = api.rest(SetLeverage, request.set_sell_leverage(Decimal("12.50")))
    assert server.requests[0].body == (
        b'{"category":"linear","symbol":"BTCUSDT","buyLeverage":"12.5","sellLeverage":"12.50"}'
    )
    assert_signed(server.requests[0])
    assert response.get_result() is None  # result: {}
    assert SetLeverage.is_idempotent(request)


def test_leverage_not_modified_is_an_api_error(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope(code=110043, msg="Set leverage has not been modified.")))
    request = (
        SetLeverageRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_buy_leverage(5)
        .set_sell_leverage(5)
    )
    with pytest.raises(ApiException) as info:
        api.rest(SetLeverage, request)
    assert type(info.value) is ApiException
    assert info.value.ret_code == 110043


def test_margin_and_position_modes_are_integers(server: RecordingServer, api: BybitAPI) -> None:
    isolated = (
        SwitchCrossIsolatedMarginRequest()
        .set_category(Category.INVERSE)
        .set_symbol("BTCUSD")
        .set_trade_mode(TradeMode.CROSS)
        .set_buy_leverage(3)
        .set_sell_leverage(3)
    )
    mode = (
        SwitchPositionModeRequest().set_category("linear").set_coin("USDT").set_mode(PositionMode.BOTH_SIDES)
    )
    api.rest(SwitchCrossIsolatedMargin, isolated)
    api.rest(SwitchPositionMode, mode)
    assert server.requests[0].body == (
        b'{"category":"inverse","symbol":"BTCUSD","tradeMode":0,"buyLeverage":"3","sellLeverage":"3"}'
    )
    assert server.requests[1].body == b'{"category":"linear","coin":"USDT","mode":3}'
    with pytest.raises(SDKException, match=r"mode: expected one of 0, 3 \(PositionMode\), got 1"):
        SwitchPositionModeRequest().set_mode(1)
    with pytest.raises(SDKException, match=r"tradeMode: expected one of 0, 1 \(TradeMode\), got 2"):
        SwitchCrossIsolatedMarginRequest().set_trade_mode(2)


def test_position_mode_needs_a_symbol_or_a_coin(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match="one of symbol / coin is required"):
        api.rest(SwitchPositionMode, SwitchPositionModeRequest().set_category("linear").set_mode(0))
    assert server.requests == []


def test_trading_stop_full_mode_with_a_trailing_stop(server: RecordingServer, api: BybitAPI) -> None:
    request = (
        SetTradingStopRequest()
        .set_category(Category.LINEAR)
        .set_symbol("BTCUSDT")
        .set_tpsl_mode(TpslMode.FULL)
        .set_position_idx(PositionIdx.HEDGE_BUY)
        .set_stop_loss(0)  # 0 cancels the stop loss
        .set_trailing_stop("150.5")
        .set_active_price(Decimal("31000"))
    )
    api.rest(SetTradingStop, request)
    assert server.requests[0].body == (
        b'{"category":"linear","symbol":"BTCUSDT","tpslMode":"Full","positionIdx":1,"stopLoss":"0",'
        b'"trailingStop":"150.5","activePrice":"31000"}'
    )
    with pytest.raises(SDKException, match=r"missing required field\(s\): tpslMode, positionIdx$"):
        api.rest(SetTradingStop, SetTradingStopRequest().set_category("linear").set_symbol("BTCUSDT"))
    assert len(server.requests) == 1


def test_auto_add_margin_is_a_linear_switch(server: RecordingServer, api: BybitAPI) -> None:
    request = SetAutoAddMarginRequest().set_category("linear").set_symbol("BTCUSDT").set_auto_add_margin(0)
    api.rest(SetAutoAddMargin, request.set_position_idx(PositionIdx.HEDGE_SELL))
    assert (
        server.requests[0].body
        == b'{"category":"linear","symbol":"BTCUSDT","autoAddMargin":0,"positionIdx":2}'
    )
    assert request.get_auto_add_margin() is AutoAddMargin.OFF
    with pytest.raises(SDKException, match=r"category: expected one of 'linear' \(Category\), got 'inverse'"):
        SetAutoAddMarginRequest().set_category("inverse")


def test_add_margin_answers_the_position(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("add_or_reduce_margin")))
    request = AddOrReduceMarginRequest().set_category("inverse").set_symbol("ETHUSD").set_margin("-0.01")
    position = api.rest(AddOrReduceMargin, request).get_result()
    assert server.requests[0].body == b'{"category":"inverse","symbol":"ETHUSD","margin":"-0.01"}'
    assert isinstance(position, AddOrReduceMarginResponse)
    assert (position.get_category(), position.get_symbol()) == ("inverse", "ETHUSD")
    assert position.get_risk_id() == 11
    assert position.get_size() == Decimal("200")
    assert position.get_liq_price() == Decimal("1550.80")
    assert position.get_bust_price() == Decimal("1544.20")
    assert position.get_position_im() == Decimal("0.01926611")
    assert position.get_leverage() == Decimal("12")
    assert position.get_updated_time() == datetime(2023, 5, 16, 10, 52, 43, 788000, tzinfo=UTC)
    assert not AddOrReduceMargin.is_idempotent(request)  # each call moves margin: never resent


def test_too_little_balance_to_add_margin(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(envelope(code=110014, msg="Insufficient available balance to add additional margin.")))
    request = AddOrReduceMarginRequest().set_category("linear").set_symbol("BTCUSDT").set_margin(10)
    with pytest.raises(InsufficientBalanceException) as info:
        api.rest(AddOrReduceMargin, request)
    assert info.value.ret_code == 110014
