"""V5 funding history, open interest and risk limit (public), and the categories they take."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.enums import Category, IntervalTime
from carpenstar_bybit.v5.market.funding_history import GetFundingRateHistory, GetFundingRateHistoryRequest
from carpenstar_bybit.v5.market.open_interest import GetOpenInterest, GetOpenInterestRequest
from carpenstar_bybit.v5.market.risk_limit import GetRiskLimit, GetRiskLimitRequest
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import docs_payload_bytes

UTC = timezone.utc


def test_funding_rate_history(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("funding_history")))
    request = (
        GetFundingRateHistoryRequest()
        .set_category(Category.LINEAR)
        .set_symbol("ETHPERP")
        .set_start_time(datetime(2022, 12, 26, tzinfo=UTC))
        .set_end_time(datetime(2022, 12, 26, 8, tzinfo=UTC))
    )
    (rate,) = api.rest(GetFundingRateHistory, request).get_body()
    assert (
        server.requests[0].query
        == "category=linear&symbol=ETHPERP&startTime=1672012800000&endTime=1672041600000"
    )
    assert rate.get_symbol() == "ETHPERP"
    assert rate.get_funding_rate() == Decimal("0.0001")
    assert rate.get_funding_rate_timestamp() == datetime(2022, 12, 26, 8, 0, tzinfo=UTC)


def test_open_interest_pages(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("open_interest")))
    request = GetOpenInterestRequest().set_category("inverse").set_symbol("BTCUSD").set_interval_time("1d")
    response = api.rest(GetOpenInterest, request)
    first, *_, last = response.get_body()
    assert first.get_open_interest() == Decimal("63910691.00000000")
    assert first.get_single_open_interest() == Decimal("31955346")
    assert first.get_timestamp() == datetime(2026, 6, 9, tzinfo=UTC)
    assert last.get_open_interest() == Decimal("63942311.00000000")
    assert response.get_next_page_cursor() == "lastid%3D19408935%26lasttime%3D1780617600"
    assert response.get_list_info().get_symbol() == "BTCUSD"
    assert request.get_interval_time() is IntervalTime.DAY_1


def test_risk_limit_tiers(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("risk_limit")))
    (tier,) = api.rest(
        GetRiskLimit, GetRiskLimitRequest().set_category("inverse").set_symbol("BTCUSD")
    ).get_body()
    assert tier.get_id() == 1
    assert tier.get_risk_limit_value() == Decimal("150")
    assert tier.get_maintenance_margin() == Decimal("0.5")
    assert tier.get_initial_margin() == Decimal("1")
    assert tier.is_lowest_risk() is True  # 1
    assert tier.get_max_leverage() == Decimal("100.00")
    assert tier.get_mm_deduction() is None


@pytest.mark.parametrize(
    "setter",
    [
        GetFundingRateHistoryRequest().set_category,
        GetOpenInterestRequest().set_category,
        GetRiskLimitRequest().set_category,
    ],
)
def test_contracts_only(setter: object) -> None:
    with pytest.raises(
        SDKException, match=r"category: expected one of 'linear', 'inverse' \(Category\), got 'spot'"
    ):
        setter("spot")  # type: ignore[operator]


def test_open_interest_needs_its_interval(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"missing required field\(s\): intervalTime$"):
        api.rest(GetOpenInterest, GetOpenInterestRequest().set_category("linear").set_symbol("BTCUSDT"))
    with pytest.raises(
        SDKException, match="intervalTime: expected one of '5min', '15min', '30min', '1h', '4h', '1d'"
    ):
        GetOpenInterestRequest().set_interval_time("1w")
    assert server.requests == []
