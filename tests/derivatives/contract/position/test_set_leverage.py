"""Contract → Position → Set Leverage: ``POST /contract/v3/private/position/set-leverage``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.position.set_leverage import SetLeverage, SetLeverageRequest
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/set-leverage"


def request() -> SetLeverageRequest:
    return SetLeverageRequest().set_symbol("BTCUSDT").set_buy_leverage(10).set_sell_leverage(12.5)


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    response, _ = call(server, SetLeverage, request(), payload("Contract.Position.SetLeverage"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


def test_wire_sends_leverage_as_decimal_strings(server: RecordingServer) -> None:
    _, sent = call(server, SetLeverage, request())
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","buyLeverage":"10","sellLeverage":"12.5"}')
    assert_signed(sent)
    assert request().get_sell_leverage() == Decimal("12.5")


def test_every_required_field_is_named_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException,
        match=r"^SetLeverageRequest: missing required field\(s\): symbol, buyLeverage, sellLeverage$",
    ):
        call(server, SetLeverage, SetLeverageRequest())
    with pytest.raises(SDKException, match=r"missing required field\(s\): sellLeverage$"):
        call(server, SetLeverage, SetLeverageRequest().set_symbol("BTCUSDT").set_buy_leverage("10"))
    assert server.requests == []
