"""Contract → Position → Set Risk Limit: ``POST /contract/v3/private/position/set-risk-limit``."""

from __future__ import annotations

from datetime import datetime

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import EnumPositionIdx
from carpenstar_bybit.derivatives.contract.position.set_risk_limit import SetRiskLimit, SetRiskLimitRequest
from tests.derivatives.harness import UTC, assert_empty_result, assert_post, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/set-risk-limit"


def test_parses_the_captured_empty_result(server: RecordingServer) -> None:
    request = SetRiskLimitRequest().set_symbol("BTCUSDT").set_risk_id(2)
    response, _ = call(server, SetRiskLimit, request, payload("Contract.Position.SetRiskLimit"))
    assert_empty_result(response, datetime(2022, 12, 12, 6, 22, 31, 500000, tzinfo=UTC))


@pytest.mark.parametrize(
    ("request_", "body"),
    [
        (SetRiskLimitRequest().set_risk_id(2).set_symbol("BTCUSDT"), b'{"symbol":"BTCUSDT","riskId":2}'),
        (
            SetRiskLimitRequest()
            .set_position_idx(EnumPositionIdx.HEDGE_BUY)
            .set_risk_id(3)
            .set_symbol("ETHUSDT"),
            b'{"symbol":"ETHUSDT","riskId":3,"positionIdx":1}',
        ),
    ],
)
def test_wire(server: RecordingServer, request_: SetRiskLimitRequest, body: bytes) -> None:
    _, sent = call(server, SetRiskLimit, request_)
    assert_post(sent, PATH, body)
    assert_signed(sent)


def test_symbol_and_risk_id_are_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(
        SDKException, match=r"^SetRiskLimitRequest: missing required field\(s\): symbol, riskId$"
    ):
        call(server, SetRiskLimit, SetRiskLimitRequest().set_position_idx(0))
    assert server.requests == []
