"""Contract → Position → Set Auto Add Margin: ``POST /contract/v3/private/position/set-auto-add-margin``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumPositionIdx, EnumSide
from carpenstar_bybit.derivatives.contract.position.set_auto_add_margin import (
    SetAutoAddMargin,
    SetAutoAddMarginRequest,
)
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/set-auto-add-margin"


def request() -> SetAutoAddMarginRequest:
    return (
        SetAutoAddMarginRequest()
        .set_position_idx(EnumPositionIdx.ONE_WAY)
        .set_auto_add_margin(1)
        .set_side(EnumSide.BUY)
        .set_symbol("BTCUSDT")
    )


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    response, _ = call(server, SetAutoAddMargin, request(), payload("Contract.Position.SetAutoAddMargin"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


def test_wire_sends_integers_as_json_integers(server: RecordingServer) -> None:
    _, sent = call(server, SetAutoAddMargin, request())
    assert_post(sent, PATH, b'{"symbol":"BTCUSDT","side":"Buy","autoAddMargin":1,"positionIdx":0}')
    assert_signed(sent)


def test_every_required_field_is_named_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException,
        match=r"^SetAutoAddMarginRequest: missing required field\(s\): symbol, side, autoAddMargin, positionIdx$",
    ):
        call(server, SetAutoAddMargin, SetAutoAddMarginRequest())
    with pytest.raises(SDKException, match=r"missing required field\(s\): positionIdx$"):
        call(
            server,
            SetAutoAddMargin,
            SetAutoAddMarginRequest().set_symbol("BTCUSDT").set_side("Buy").set_auto_add_margin(0),
        )
    assert server.requests == []


@pytest.mark.parametrize("wrong", [True, "1", 1.0])
def test_auto_add_margin_must_be_an_int(wrong: object) -> None:
    with pytest.raises(SDKException, match="autoAddMargin: expected an int"):
        SetAutoAddMarginRequest().set_auto_add_margin(wrong)  # type: ignore[arg-type]
