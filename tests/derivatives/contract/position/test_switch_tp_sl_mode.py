"""Contract → Position → Switch TP/SL Mode: ``POST /contract/v3/private/position/switch-tpsl-mode``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumTPSLModes
from carpenstar_bybit.derivatives.contract.position.switch_tp_sl_mode import (
    SwitchTpSlMode,
    SwitchTpSlModeRequest,
)
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/switch-tpsl-mode"


def request() -> SwitchTpSlModeRequest:
    return SwitchTpSlModeRequest().set_tp_sl_mode(EnumTPSLModes.MODE_PARTIAL).set_symbol("BTCUSDT")


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    response, _ = call(server, SwitchTpSlMode, request(), payload("Contract.Position.SwitchTpSlMode"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


def test_wire(server: RecordingServer) -> None:
    _, sent = call(server, SwitchTpSlMode, request())
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","tpSlMode":"Partial"}')
    assert_signed(sent)


def test_symbol_and_mode_are_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException, match=r"^SwitchTpSlModeRequest: missing required field\(s\): symbol, tpSlMode$"
    ):
        call(server, SwitchTpSlMode, SwitchTpSlModeRequest())
    assert server.requests == []
