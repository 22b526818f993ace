"""Contract → Position → Switch Cross/Isolated Margin: ``POST /contract/v3/private/position/switch-isolated``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumTradeMode
from carpenstar_bybit.derivatives.contract.position.switch_cross_isolated_margin import (
    SwitchCrossIsolatedMargin,
    SwitchCrossIsolatedMarginRequest,
)
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/switch-isolated"


def request() -> SwitchCrossIsolatedMarginRequest:
    return (
        SwitchCrossIsolatedMarginRequest()
        .set_sell_leverage("10")
        .set_buy_leverage(10)
        .set_trade_mode(EnumTradeMode.ISOLATED)
        .set_symbol("BTCUSDT")
    )


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    response, _ = call(
        server, SwitchCrossIsolatedMargin, request(), payload("Contract.Position.SwitchCrossIsolatedMargin")
    )
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


def test_wire_sends_trade_mode_as_an_integer_and_leverage_as_strings(server: RecordingServer) -> None:
    _, sent = call(server, SwitchCrossIsolatedMargin, request())
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","tradeMode":1,"buyLeverage":"10","sellLeverage":"10"}')
    assert_signed(sent)
    assert request().get_trade_mode() == 1


def test_every_required_field_is_named_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException,
        match=(
            r"^SwitchCrossIsolatedMarginRequest: missing required field\(s\): "
            r"symbol, tradeMode, buyLeverage, sellLeverage$"
        ),
    ):
        call(server, SwitchCrossIsolatedMargin, SwitchCrossIsolatedMarginRequest())
    assert server.requests == []
