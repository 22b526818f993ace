"""The PHP factories: each checks the classes it is given before building anything."""

from __future__ import annotations

from decimal import Decimal

import pytest
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit import EnumOutputMode, SDKException
from carpenstar_bybit.core.builders import ResponseDtoBuilder, ResponseHandlerBuilder
from carpenstar_bybit.core.transport import WireResponse
from carpenstar_bybit.derivatives.market_data.kline import KlineResponse
from carpenstar_bybit.derivatives.market_data.order_book import OrderBookRequest


def test_response_dto_builder_builds_and_checks_the_class() -> None:
    kline = ResponseDtoBuilder.make(
        KlineResponse, ["1670371200000", "17077", "17084", "17077", "17084", "0.017"]
    )
    assert kline.get_close() == Decimal("17084")
    assert kline.get_turnover() is None  # a missing trailing element
    with pytest.raises(SDKException, match="is not a response DTO class"):
        ResponseDtoBuilder.make(OrderBookRequest, {})  # type: ignore[type-var]


def test_response_handler_builder_parses_a_wire_answer() -> None:
    body = b'{"retCode":0,"retMsg":"OK","result":{"list":[["1670371200000","1","2","0.5","1.5","3","4"]]},"time":1}'
    wire = WireResponse(200, CaseInsensitiveDict(), body)
    response = ResponseHandlerBuilder.make(wire, KlineResponse, EnumOutputMode.MODE_ENTITY)
    (item,) = response.get_body()
    assert isinstance(item, KlineResponse)
    assert item.get_low() == Decimal("0.5")
    assert item.get_start_time() is not None
    assert item.get_start_time().isoformat() == "2022-12-07T00:00:00+00:00"
    with pytest.raises(SDKException, match="is not a response DTO class"):
        ResponseHandlerBuilder.make(wire, dict)  # type: ignore[type-var]


def test_response_dtos_are_immutable_and_equal_by_value() -> None:
    a = KlineResponse(["1", "2", "3", "4", "5", "6", "7"])
    b = KlineResponse(["1", "2", "3", "4", "5", "6", "7"])
    assert a == b
    assert hash(a) == hash(b)
    with pytest.raises(AttributeError, match="KlineResponse is immutable"):
        a._open = Decimal(1)  # type: ignore[misc]
    assert not hasattr(a, "__dict__")


def test_an_empty_string_does_not_satisfy_a_required_field() -> None:
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrderRequest

    with pytest.raises(
        SDKException, match=r"missing required field\(s\): symbol; one of orderId / orderLinkId"
    ):
        CancelOrderRequest().set_symbol("").set_order_id("").validate()


def test_a_datetime_before_the_epoch_is_refused() -> None:
    from datetime import datetime, timezone

    from carpenstar_bybit.derivatives.market_data.kline import KlineRequest

    with pytest.raises(SDKException, match="start: expected a datetime after 1970-01-01 UTC"):
        KlineRequest().set_start_time(datetime(1969, 12, 31, tzinfo=timezone.utc))
