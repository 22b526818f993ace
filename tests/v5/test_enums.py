"""V5 enums apart from V3's, with Bybit's V5 values, and V5 setters that check them before sending."""

from __future__ import annotations

import enum

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import enums as v3_enums
from carpenstar_bybit.v5 import enums as v5_enums
from carpenstar_bybit.v5.enums import (
    Category,
    OrderFilter,
    OrderStatus,
    OrderType,
    SmpType,
    StopOrderType,
    TimeInForce,
)
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import payload_bytes


def members(cls: type[enum.Enum]) -> list[object]:
    return [m.value for m in cls]


def test_v5_values_are_bybits() -> None:
    assert members(TimeInForce) == ["GTC", "IOC", "FOK", "PostOnly", "RPI"]
    assert members(OrderType) == ["Market", "Limit"]
    assert members(SmpType) == ["None", "CancelMaker", "CancelTaker", "CancelBoth"]
    assert members(OrderStatus) == [
        "New",
        "PartiallyFilled",
        "Untriggered",
        "Rejected",
        "PartiallyFilledCanceled",
        "Filled",
        "Cancelled",
        "Triggered",
        "Deactivated",
    ]
    assert "Limit_maker" not in members(OrderType)
    assert "GoodTillCancel" not in members(TimeInForce)
    assert {"tpslOrder", "OcoOrder", "BidirectionalTpslOrder"} <= set(members(StopOrderType))
    assert {"Order", "tpslOrder", "StopOrder"} <= set(members(OrderFilter))


def test_v3_and_v5_enums_are_apart() -> None:
    v3 = {getattr(v3_enums, name) for name in v3_enums.__all__}
    v5 = {getattr(v5_enums, name) for name in v5_enums.__all__}
    assert all(issubclass(cls, enum.Enum) for cls in v3 | v5)
    assert v3 & v5 == {Category}  # V5's category, also importable from carpenstar_bybit.core.enums
    assert v3_enums.Category is Category
    assert Category.__module__ == "carpenstar_bybit.v5.enums"


def test_members_equal_their_plain_values() -> None:
    assert TimeInForce.POST_ONLY == "PostOnly"
    assert str(TimeInForce.POST_ONLY) == "PostOnly"
    assert OrderStatus.FILLED == "Filled"


def test_setters_take_the_v5_enum_or_its_plain_value_and_getters_give_the_member() -> None:
    by_member = PlaceOrderRequest().set_time_in_force(TimeInForce.FOK).set_category(Category.SPOT)
    by_value = PlaceOrderRequest().set_time_in_force("FOK").set_category("spot")
    assert by_member == by_value
    assert by_value.get_time_in_force() is TimeInForce.FOK
    assert by_value.get_category() is Category.SPOT


@pytest.mark.parametrize(
    ("setter", "value", "message"),
    [
        (
            "set_time_in_force",
            "GoodTillCancel",
            "timeInForce: expected one of 'GTC', 'IOC', 'FOK', 'PostOnly', 'RPI' (TimeInForce), "
            "got 'GoodTillCancel'",
        ),
        (
            "set_time_in_force",
            v3_enums.EnumTimeInForce.IMMEDIATE_OR_CANCEL_FULL,
            "timeInForce: expected one of 'GTC', 'IOC', 'FOK', 'PostOnly', 'RPI' (TimeInForce), "
            "got EnumTimeInForce.IMMEDIATE_OR_CANCEL_FULL",
        ),
        (
            "set_order_type",
            v3_enums.EnumOrderType.LIMIT_MAKER,
            "orderType: expected one of 'Market', 'Limit' (OrderType), got EnumOrderType.LIMIT_MAKER",
        ),
        (
            "set_smp_type",
            "CancelAll",
            "smpType: expected one of 'None', 'CancelMaker', 'CancelTaker', 'CancelBoth'",
        ),
        (
            "set_category",
            "futures",
            "category: expected one of 'linear', 'inverse', 'spot', 'option' (Category)",
        ),
    ],
)
def test_values_outside_the_v5_enum_are_refused_by_the_setter(
    setter: str, value: object, message: str
) -> None:
    with pytest.raises(SDKException) as info:
        getattr(PlaceOrderRequest(), setter)(value)
    assert str(info.value).startswith(message)


def test_response_getters_give_plain_strings_that_compare_with_the_members(
    server: RecordingServer, api: BybitAPI
) -> None:
    server.reply(Reply(payload_bytes("get_open_orders")))
    order = api.rest(
        GetOpenOrders, GetOpenOrdersRequest().set_category("linear").set_symbol("ETHUSDT")
    ).get_result()
    assert order is not None
    assert type(order.get_order_status()) is str
    assert order.get_order_status() == OrderStatus.NEW
    assert order.get_time_in_force() == TimeInForce.GTC


def test_a_refused_value_sends_nothing(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException):
        api.rest(PlaceOrder, PlaceOrderRequest().set_category("linear").set_time_in_force("GoodTillCancel"))
    assert server.requests == []
