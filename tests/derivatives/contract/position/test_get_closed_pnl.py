"""Contract → Position → Get Closed PnL: ``GET /contract/v3/private/position/closed-pnl``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.contract.position.get_closed_pnl import (
    GetClosedPnL,
    GetClosedPnLRequest,
    IGetClosedPnLResponseInterface,
)
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/position/closed-pnl"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    request = GetClosedPnLRequest().set_symbol("ETHUSDT")
    response, _ = call(server, GetClosedPnL, request, payload("Contract.Position.GetClosedPnL"))
    assert response.get_time() == datetime(2022, 12, 12, 14, 25, 40, 831000, tzinfo=UTC)
    # the cursor exactly as captured (an opaque base64 token)
    assert (
        response.get_next_page_cursor()
        == payload("Contract.Position.GetClosedPnL")["result"]["nextPageCursor"]
    )
    (pnl,) = response.get_body()
    assert isinstance(pnl, IGetClosedPnLResponseInterface)
    assert pnl.get_symbol() == "ETHUSDT"
    assert pnl.get_order_id() == "ee650123-74bf-4094-aadb-efa139d99c50"
    assert pnl.get_side() == "Buy"
    assert pnl.get_qty() == Decimal("0.30")
    assert pnl.get_order_price() == Decimal("1314.75")
    assert pnl.get_order_type() == "Market"
    assert pnl.get_exec_type() == "Trade"
    assert pnl.get_closed_size() == Decimal("0.30")
    assert pnl.get_cum_entry_value() == Decimal("373.71078947")
    assert pnl.get_avg_entry_price() == Decimal("1245.7026")
    assert pnl.get_cum_exit_value() == Decimal("375.532")
    assert pnl.get_avg_exit_price() == Decimal("1251.7734")
    assert pnl.get_closed_pnl() == Decimal("-2.27050237")
    assert pnl.get_fill_count() == 2  # "2" on the wire
    assert pnl.get_leverage() == Decimal("50")
    assert pnl.get_created_at() == datetime(2022, 12, 12, 9, 40, 34, 412000, tzinfo=UTC)


def test_wire_sends_datetimes_as_epoch_milliseconds_whatever_their_timezone(server: RecordingServer) -> None:
    moscow = timezone(timedelta(hours=3))
    request = (
        GetClosedPnLRequest()
        .set_cursor("page-2")
        .set_end_time(datetime(2022, 12, 13, 3, 0, tzinfo=moscow))  # 2022-12-13 00:00 UTC
        .set_start_time(datetime(2022, 12, 12, tzinfo=UTC))
        .set_symbol("ETHUSDT")
    )
    _, sent = call(server, GetClosedPnL, request)
    assert_get(
        sent,
        PATH,
        "symbol=ETHUSDT&startTime=1670803200000&endTime=1670889600000&limit=50&cursor=page-2",
    )
    assert_signed(sent)


def test_epoch_milliseconds_are_accepted_and_read_back_as_aware_datetimes() -> None:
    request = GetClosedPnLRequest().set_start_time(1670803200123)
    assert request.get_start_time() == datetime(2022, 12, 12, 0, 0, 0, 123000, tzinfo=UTC)


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^GetClosedPnLRequest: missing required field\(s\): symbol$"):
        call(server, GetClosedPnL, GetClosedPnLRequest().set_limit(10))
    assert server.requests == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (datetime(2022, 12, 12), "startTime: naive datetime"),
        ("2022-12-12", "startTime: expected an aware datetime or epoch milliseconds"),
        (-1, "startTime: expected an aware datetime or epoch milliseconds"),
        (1670803200.5, "startTime: expected an aware datetime or epoch milliseconds"),
        (True, "startTime: expected an aware datetime or epoch milliseconds"),
    ],
)
def test_a_naive_or_malformed_datetime_is_refused_at_once(value: object, message: str) -> None:
    request = GetClosedPnLRequest()
    with pytest.raises(SDKException, match=message):
        request.set_start_time(value)  # type: ignore[arg-type]
    assert request.get_start_time() is None
