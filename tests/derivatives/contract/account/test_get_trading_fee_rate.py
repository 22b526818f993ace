"""Contract → Account → Get Trading Fee Rate: ``GET /contract/v3/private/account/fee-rate``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.account.get_trading_fee_rate import (
    GetTradingFeeRate,
    GetTradingFeeRateRequest,
    GetTradingFeeRateResponse,
    IGetTradingFeeRateResponseInterface,
)
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/account/fee-rate"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, GetTradingFeeRate, None, payload("Contract.Account.GetTradingFeeRate"))
    assert response.get_return_code() == 0
    assert response.get_return_message() == "OK"
    assert response.get_extended_info() == {}
    assert response.get_time() == datetime(2022, 12, 13, 9, 34, 10, 413000, tzinfo=UTC)
    assert response.get_next_page_cursor() is None
    body = response.get_body()
    assert len(body) == 2
    sol, btc = body
    assert isinstance(sol, GetTradingFeeRateResponse)
    assert isinstance(sol, IGetTradingFeeRateResponseInterface)
    assert sol.get_symbol() == "SOLUSDT"
    assert sol.get_taker_fee_rate() == Decimal("0.0006")
    assert sol.get_maker_fee_rate() == Decimal("0.0001")
    assert btc.get_symbol() == "BTCUSDT"
    assert btc.get_taker_fee_rate() == Decimal("0.0006")
    assert btc.get_maker_fee_rate() == Decimal("0.0001")
    assert response.get_result() is sol


def test_wire_without_parameters_sends_no_query_and_signs_the_empty_payload(server: RecordingServer) -> None:
    _, sent = call(server, GetTradingFeeRate, GetTradingFeeRateRequest())
    assert_get(sent, PATH, "")
    assert_signed(sent)


def test_wire_with_symbol(server: RecordingServer) -> None:
    _, sent = call(server, GetTradingFeeRate, GetTradingFeeRateRequest().set_symbol("BTCUSDT"))
    assert_get(sent, PATH, "symbol=BTCUSDT")
    assert_signed(sent)


@pytest.mark.parametrize("wrong", [5, None, b"BTCUSDT", 1.5])
def test_symbol_of_the_wrong_type_is_refused_at_once(wrong: object) -> None:
    request = GetTradingFeeRateRequest()
    with pytest.raises(SDKException, match="symbol: expected a string"):
        request.set_symbol(wrong)  # type: ignore[arg-type]
    assert request.get_symbol() is None
