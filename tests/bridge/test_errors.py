"""Errors of bridged calls: V5 codes raise the classes V3's codes raised for the same state (the V5 code
table applies, since the wire route is V5), the clock re-sync uses V5's time route, and what V5 cannot
do is refused before anything is sent, naming the V5 alternative."""

from __future__ import annotations

from typing import Any

import pytest

from carpenstar_bybit import (
    ApiException,
    DuplicateOrderException,
    InsufficientBalanceException,
    InvalidParameterException,
    OrderNotFoundException,
    SDKException,
    TimestampException,
)
from carpenstar_bybit.core import Param
from carpenstar_bybit.core.kinds import STRING
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.derivatives.contract.order.replace_order import ReplaceOrder, ReplaceOrderRequest
from carpenstar_bybit.derivatives.contract.position.get_closed_pnl import GetClosedPnL, GetClosedPnLRequest
from carpenstar_bybit.derivatives.contract.position.set_auto_add_margin import (
    SetAutoAddMargin,
    SetAutoAddMarginRequest,
)
from carpenstar_bybit.derivatives.contract.position.set_risk_limit import SetRiskLimit, SetRiskLimitRequest
from carpenstar_bybit.derivatives.contract.position.switch_tp_sl_mode import (
    SwitchTpSlMode,
    SwitchTpSlModeRequest,
)
from carpenstar_bybit.derivatives.market_data.risk_limit import RiskLimit, RiskLimitsRequest
from tests.conftest import API_KEY, SECRET
from tests.core.test_retry import time_answer
from tests.support.clients import KINDS, Client, client
from tests.support.recording_server import Recorded, RecordingServer, Reply, envelope

CANCEL = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
OK_IDS = Reply(envelope({"orderId": "o-1", "orderLinkId": ""}))


def _place() -> PlaceOrderRequest:
    return (
        PlaceOrderRequest()
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.01")
        .set_price("20000")
    )


@pytest.mark.parametrize(
    ("code", "raised"),
    [
        (110001, OrderNotFoundException),  # V3 said 140001 for the same state
        (110008, OrderNotFoundException),
        (110010, OrderNotFoundException),
        (140001, ApiException),  # a V5 route never reads V3's meaning of a code
        (10001, InvalidParameterException),
    ],
)
def test_a_bridged_cancel_raises_by_the_v5_code_table(
    bridged: Client, server: RecordingServer, code: int, raised: type[ApiException]
) -> None:
    server.reply(Reply(envelope(code=code, msg="order not exists or too late to cancel")))
    with pytest.raises(ApiException) as caught:
        bridged.rest(CancelOrder, CANCEL)
    assert type(caught.value) is raised
    assert caught.value.ret_code == code
    assert (caught.value.method, caught.value.path) == ("POST", "/v5/order/cancel")


def test_a_bridged_replace_of_a_finished_order_is_order_not_found(
    bridged: Client, server: RecordingServer
) -> None:
    server.reply(Reply(envelope(code=110001, msg="order not exists or too late to replace")))
    with pytest.raises(OrderNotFoundException):
        bridged.rest(ReplaceOrder, ReplaceOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1").set_qty(1))


@pytest.mark.parametrize(
    ("code", "raised"), [(110072, DuplicateOrderException), (110007, InsufficientBalanceException)]
)
def test_a_bridged_place_raises_v5_classes(
    bridged: Client, server: RecordingServer, code: int, raised: type[ApiException]
) -> None:
    server.reply(Reply(envelope(code=code, msg="refused")))
    with pytest.raises(raised):
        bridged.rest(PlaceOrder, _place().set_order_link_id("link-0001"))


@pytest.mark.parametrize("kind", KINDS)
def test_10002_resyncs_through_the_v5_time_route(kind: str, server: RecordingServer) -> None:
    def answer(recorded: Recorded) -> Reply:
        return time_answer(-7000) if recorded.path == "/v5/market/time" else OK_IDS

    server.reply(
        Reply(envelope(code=10002, msg="invalid request, please check your server timestamp")), answer, answer
    )
    with client(kind, server.url, API_KEY, SECRET, v3_over_v5=True) as api:
        api.rest(CancelOrder, CANCEL)
        assert -7300 < api.context.clock_offset_ms < -6700
    assert [r.path for r in server.requests] == ["/v5/order/cancel", "/v5/market/time", "/v5/order/cancel"]


@pytest.mark.parametrize("kind", KINDS)
def test_scheduled_time_sync_uses_the_v5_time_route(kind: str, server: RecordingServer) -> None:
    server.reply(time_answer(2500), OK_IDS)
    with client(kind, server.url, API_KEY, SECRET, v3_over_v5=True, time_sync=True) as api:
        api.rest(CancelOrder, CANCEL)
    assert [r.path for r in server.requests] == ["/v5/market/time", "/v5/order/cancel"]


def test_a_second_10002_is_raised_as_timestamp_exception(bridged: Client, server: RecordingServer) -> None:
    refused = Reply(envelope(code=10002, msg="invalid request, please check your server timestamp"))
    server.reply(refused, time_answer(0), refused)
    with pytest.raises(TimestampException) as caught:
        bridged.rest(CancelOrder, CANCEL)
    assert caught.value.path == "/v5/order/cancel"


# -- refused before anything is sent --------------------------------------------------------------


def _refused(bridged: Client, server: RecordingServer, endpoint: Any, request: Any) -> str:
    with pytest.raises(SDKException) as caught:
        bridged.rest(endpoint, request)
    assert server.requests == []  # nothing left the machine
    return str(caught.value)


def test_an_endpoint_without_v5_counterpart_is_refused_naming_the_alternative(
    bridged: Client, server: RecordingServer
) -> None:
    text = _refused(bridged, server, SetRiskLimit, SetRiskLimitRequest().set_symbol("BTCUSDT").set_risk_id(2))
    assert text.startswith("SetRiskLimit has no V5 counterpart: Bybit sets risk limits automatically")
    assert "carpenstar_bybit.v5.market.risk_limit.GetRiskLimit (GET /v5/market/risk-limit)" in text
    text = _refused(
        bridged, server, SwitchTpSlMode, SwitchTpSlModeRequest().set_symbol("BTCUSDT").set_tp_sl_mode("Full")
    )
    assert text.startswith("SwitchTpSlMode has no V5 counterpart: V5 sets the TP/SL mode per order")
    assert "carpenstar_bybit.v5.trade.place_order.PlaceOrderRequest" in text


def test_a_value_without_v5_counterpart_is_refused_naming_the_alternative(
    bridged: Client, server: RecordingServer
) -> None:
    text = _refused(bridged, server, PlaceOrder, _place().set_order_type("Limit_maker"))
    assert text == (
        "PlaceOrder over V5 (POST /v5/order/create): orderType 'Limit_maker' has no V5 counterpart: "
        "send orderType 'Limit' with timeInForce 'PostOnly' (EnumTimeInForce.POST_ONLY)"
    )


def test_what_v5_rules_refuse_is_refused_in_v3_terms(bridged: Client, server: RecordingServer) -> None:
    text = _refused(bridged, server, GetClosedPnL, GetClosedPnLRequest().set_symbol("BTCUSDT").set_limit(200))
    assert text.startswith("GetClosedPnL over V5 (GET /v5/position/closed-pnl): limit: ")
    assert "100" in text  # V5 takes at most 100 records a page
    text = _refused(
        bridged,
        server,
        RiskLimit,
        RiskLimitsRequest().set_category("option").set_symbol("BTC-29DEC23-30000-C"),
    )
    assert text.startswith(
        "RiskLimit over V5 (GET /v5/market/risk-limit): category: expected one of 'linear', 'inverse'"
    )
    request = (
        SetAutoAddMarginRequest()
        .set_symbol("BTCUSD")
        .set_side("Buy")
        .set_auto_add_margin(1)
        .set_position_idx(0)
    )
    text = _refused(bridged, server, SetAutoAddMargin, request)  # V5 serves linear contracts only
    assert text.startswith("SetAutoAddMargin over V5 (POST /v5/position/set-auto-add-margin): category: ")


def test_the_v3_rules_are_checked_first_with_v3_names(bridged: Client, server: RecordingServer) -> None:
    text = _refused(bridged, server, CancelOrder, CancelOrderRequest().set_order_id("o-1"))
    assert text == "CancelOrderRequest: missing required field(s): symbol"
    text = _refused(bridged, server, SetAutoAddMargin, SetAutoAddMarginRequest().set_symbol("BTCUSDT"))
    assert text.startswith(
        "SetAutoAddMarginRequest: missing required field(s): side, autoAddMargin, positionIdx"
    )


def test_a_field_of_a_users_request_subclass_without_v5_counterpart_is_refused(
    bridged: Client, server: RecordingServer
) -> None:
    class TaggedCancel(CancelOrderRequest):
        TAG = Param("tag", STRING)

    text = _refused(
        bridged,
        server,
        CancelOrder,
        TaggedCancel().set_symbol("BTCUSDT").set_order_id("o-1")._set(TaggedCancel.TAG, "x"),
    )
    assert (
        text
        == "CancelOrder over V5 (POST /v5/order/cancel): field 'tag' of TaggedCancel has no V5 counterpart"
    )


def test_a_dropped_field_is_not_sent(bridged: Client, server: RecordingServer) -> None:
    server.reply(Reply(envelope()))
    request = (
        SetAutoAddMarginRequest()
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_auto_add_margin(0)
        .set_position_idx(0)
    )
    bridged.rest(SetAutoAddMargin, request)
    (sent,) = server.requests
    assert sent.body == b'{"category":"linear","symbol":"BTCUSDT","autoAddMargin":0,"positionIdx":0}'
