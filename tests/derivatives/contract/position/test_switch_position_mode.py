"""Contract → Position → Switch Position Mode: ``POST /contract/v3/private/position/switch-mode``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumPositionMode
from carpenstar_bybit.derivatives.contract.position.switch_position_mode import (
    SwitchPositionMode,
    SwitchPositionModeRequest,
)
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/switch-mode"


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    request = SwitchPositionModeRequest().set_coin("USDT").set_position_mode(EnumPositionMode.BOTH_SIDES)
    response, _ = call(server, SwitchPositionMode, request, payload("Contract.Position.SwitchPositionMode"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


@pytest.mark.parametrize(
    ("request_", "body"),
    [
        (
            SwitchPositionModeRequest().set_position_mode(EnumPositionMode.BOTH_SIDES).set_coin("USDT"),
            b'{"coin":"USDT","positionMode":3}',
        ),
        (
            SwitchPositionModeRequest()
            .set_position_mode(EnumPositionMode.MERGED_SINGLE)
            .set_symbol("BTCUSDT"),
            b'{"symbol":"BTCUSDT","positionMode":0}',
        ),
    ],
)
def test_wire(server: RecordingServer, request_: SwitchPositionModeRequest, body: bytes) -> None:
    _, sent = call(server, SwitchPositionMode, request_)
    assert_post(sent, PATH, body)
    assert_signed(sent)


def test_position_mode_and_symbol_or_coin_are_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException,
        match=(
            r"^SwitchPositionModeRequest: missing required field\(s\): positionMode; "
            r"one of symbol / coin is required$"
        ),
    ):
        call(server, SwitchPositionMode, SwitchPositionModeRequest())
    with pytest.raises(SDKException, match=r"^SwitchPositionModeRequest: one of symbol / coin is required$"):
        call(server, SwitchPositionMode, SwitchPositionModeRequest().set_position_mode(3))
    assert server.requests == []
