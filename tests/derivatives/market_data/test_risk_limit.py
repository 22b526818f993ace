"""Market Data → Risk Limit: ``GET /derivatives/v3/public/risk-limit/list``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from carpenstar_bybit.derivatives.market_data.risk_limit import (
    IRiskLimitsResponse,
    RiskLimit,
    RiskLimitsRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/risk-limit/list"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(
        server, RiskLimit, RiskLimitsRequest().set_symbol("ETHPERP"), payload("MarketData.RiskLimit")
    )
    assert response.get_time() == datetime(2022, 12, 25, 12, 16, 55, 467000, tzinfo=UTC)
    (tier,) = response.get_body()
    assert isinstance(tier, IRiskLimitsResponse)
    assert tier.get_id() == "1"  # a JSON number; a string in the PHP interface
    assert tier.get_symbol() == "ETHPERP"
    assert tier.get_limit() == 500000  # "500000" on the wire, int in the PHP interface
    assert tier.get_maintain_margin() == Decimal("0.01")
    assert tier.get_initial_margin() == Decimal("0.015")
    assert tier.get_max_leverage() == Decimal("66.67")


def test_php_defect_not_ported_is_lower_risk_reads_the_is_lowest_risk_key(server: RecordingServer) -> None:
    # PHP read $data['isLowerRisk']; the exchange sends "isLowestRisk"
    response, _ = call(server, RiskLimit, RiskLimitsRequest(), payload("MarketData.RiskLimit"))
    tier = response.get_result()
    assert tier is not None
    assert tier.get_is_lower_risk() == 1


def test_wire_defaults_only(server: RecordingServer) -> None:
    _, sent = call(server, RiskLimit, RiskLimitsRequest())
    assert_get(sent, PATH, "category=linear")
    assert_unsigned(sent)


def test_wire_with_symbol(server: RecordingServer) -> None:
    _, sent = call(server, RiskLimit, RiskLimitsRequest().set_symbol("ETHPERP"))
    assert_get(sent, PATH, "category=linear&symbol=ETHPERP")
    assert_unsigned(sent)
