"""Response DTOs: generated code is ordinary source (a bad value's traceback shows the line that read
it), and a hand-written DTO, read by the generic loop, reads a payload exactly as generated code does."""

from __future__ import annotations

import inspect
import json
import traceback
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit import EnumOutputMode, ResponseFormatException
from carpenstar_bybit.core import (
    BOOL,
    DATETIME,
    DECIMAL,
    INT,
    STRING,
    AbstractResponse,
    ArrayResponse,
    EntityCollection,
    Nested,
    ResponseField,
)
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.timeutil import from_ms, to_ms
from carpenstar_bybit.core.transport import WireResponse
from carpenstar_bybit.derivatives.market_data import kline, order_book
from carpenstar_bybit.derivatives.market_data.kline import KlineResponse
from carpenstar_bybit.derivatives.market_data.order_book import OrderBookPriceItemResponse, OrderBookResponse
from carpenstar_bybit.v5.trade import get_open_orders, get_order_history
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrdersResponse
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistoryResponse

PAYLOADS = Path(__file__).resolve().parent.parent / "v5" / "payloads"


def response_frames(exc: BaseException, package: ModuleType) -> list[traceback.FrameSummary]:
    """The frames of ``exc``'s traceback in the generated ``response.py`` of ``package``."""
    path = str(Path(package.__file__ or "").with_name("response.py"))
    return [frame for frame in traceback.extract_tb(exc.__traceback__) if frame.filename == path]


def test_a_bad_value_is_traced_to_the_line_of_response_py_that_reads_it() -> None:
    message = "expected a decimal number in the response, got 'abc'"
    with pytest.raises(ResponseFormatException, match=message) as caught:
        GetOpenOrdersResponse({"orderId": "1", "avgPrice": "abc"})
    (frame,) = response_frames(caught.value, get_open_orders)
    assert frame.name == "__init__"
    assert frame.line == "set_avg_price(self, DECIMAL.parse(avg_price))"
    source, first = inspect.getsourcelines(GetOpenOrdersResponse.__init__)
    assert first < frame.lineno < first + len(source)


def test_a_subclass_with_fields_of_its_own_reads_all_of_them_in_its_own_code() -> None:
    with pytest.raises(ResponseFormatException) as caught:
        GetOrderHistoryResponse({"createdTime": "yesterday"})  # a field of the open-order base class
    (frame,) = response_frames(caught.value, get_order_history)
    assert frame.line == "set_created_time(self, DATETIME.parse(created_time))"
    assert not response_frames(caught.value, get_open_orders)


def test_a_bad_nested_level_is_traced_through_both_classes() -> None:
    with pytest.raises(ResponseFormatException, match="got 'x'") as caught:
        OrderBookResponse({"s": "BTCUSDT", "b": [["1", "2"], ["3", "x"]]})
    frames = response_frames(caught.value, order_book)
    assert [f.name for f in frames] == ["__init__", "_build_list"]
    assert frames[0].line == "set_bid(self, EntityCollection(OrderBookPriceItemResponse._build_list(bid)))"
    assert frames[1].line == "v1 = DECIMAL.parse(raw)"


def test_a_bad_kline_row_is_traced_to_its_build_list() -> None:
    with pytest.raises(ResponseFormatException, match="expected an array item") as caught:
        KlineResponse._build_list([["1670371200000", "1", "1", "1", "1", "1", "1"], {"open": "1"}])
    (frame,) = response_frames(caught.value, kline)
    assert frame.name == "_build_list"
    assert frame.line == "raise not_an_array(cls, data)"


def test_through_the_handler_the_cause_keeps_the_generated_line() -> None:
    body = json.dumps({"retCode": 0, "retMsg": "OK", "result": {"list": [{"price": "1e", "orderId": "x"}]}})
    handler = ResponseHandler("GET", "/v5/order/realtime", str)
    wire = WireResponse(200, CaseInsensitiveDict(), body.encode())
    with pytest.raises(ResponseFormatException, match="GetOpenOrdersResponse: expected a decimal") as caught:
        handler.handle(wire, GetOpenOrdersResponse, EnumOutputMode.MODE_ENTITY)
    cause = caught.value.__context__
    assert cause is not None
    (frame,) = response_frames(cause, get_open_orders)
    assert frame.line == "set_price(self, DECIMAL.parse(price))"


class OrderStatusResponse(AbstractResponse):
    """A user's own DTO, as docs/extending.md declares one: read by the generic loop."""

    __slots__ = ("_created_time", "_order_id", "_order_status", "_position_idx", "_price", "_reduce_only")
    _fields = (
        ResponseField("orderId", "_order_id", STRING),
        ResponseField("orderStatus", "_order_status", STRING),
        ResponseField("price", "_price", DECIMAL),
        ResponseField("positionIdx", "_position_idx", INT),
        ResponseField("reduceOnly", "_reduce_only", BOOL),
        ResponseField("createdTime", "_created_time", DATETIME),
    )


class LevelResponse(ArrayResponse, tuple[Decimal | None, Decimal | None]):
    """A user's own array-shaped DTO."""

    __slots__ = ()
    _fields = (ResponseField(0, "_price", DECIMAL), ResponseField(1, "_size", DECIMAL))


class BookResponse(AbstractResponse):
    __slots__ = ("_bids", "_symbol")
    _fields = (ResponseField("s", "_symbol", STRING), ResponseField("b", "_bids", Nested(LevelResponse)))


def test_a_hand_written_dto_has_no_code_of_its_own() -> None:
    assert "__init__" not in vars(OrderStatusResponse)
    assert OrderStatusResponse.__init__ is AbstractResponse.__init__
    assert "_build_list" not in vars(LevelResponse)


def test_a_hand_written_dto_reads_a_real_payload_as_the_generated_class_does() -> None:
    payload = json.loads((PAYLOADS / "get_open_orders.json").read_text())
    items = payload["result"]["list"]
    assert len(items) > 1
    for mine, theirs in zip(
        OrderStatusResponse._build_list(items), GetOpenOrdersResponse._build_list(items), strict=True
    ):
        assert mine.to_dict() == {
            "order_id": theirs.get_order_id(),
            "order_status": theirs.get_order_status(),
            "price": theirs.get_price(),
            "position_idx": theirs.get_position_idx(),
            "reduce_only": theirs.is_reduce_only(),
            "created_time": theirs.get_created_time(),
        }
        assert isinstance(mine.to_dict()["created_time"], datetime)
        assert mine.to_dict()["created_time"].tzinfo == timezone.utc


@pytest.mark.parametrize(
    "value",
    ["28000.50", "", None, "0", "1e5", " 1", "1670371200000", 5, 2**70, True, Decimal("2.5"), "abc", [1]],
    ids=repr,
)
def test_the_generic_loop_reads_each_value_as_the_generated_code_does(value: Any) -> None:
    """Same fields, same value: same result, or the same exception."""
    item = dict.fromkeys(
        ["orderId", "orderStatus", "price", "positionIdx", "reduceOnly", "createdTime"], value
    )

    def read(cls: type[AbstractResponse]) -> Any:
        try:
            dto = cls(item)
        except Exception as exc:
            return type(exc)
        return [repr(getattr(dto, f.slot)) for f in OrderStatusResponse._fields]

    assert read(OrderStatusResponse) == read(GetOpenOrdersResponse)


def test_hand_written_array_items_read_as_the_generated_ones_do() -> None:
    rows: list[Any] = [["16818.5", "0.183"], ("1", "2"), ["3"], ["4", "5", "extra"], ["", None], [7, "8.10"]]
    mine = [tuple(level) for level in LevelResponse._build_list(rows)]
    theirs = [tuple(level) for level in OrderBookPriceItemResponse._build_list(rows)]
    assert [[repr(v) for v in row] for row in mine] == [[repr(v) for v in row] for row in theirs]
    book = BookResponse({"s": "X", "b": rows[:1]})
    assert book.to_dict() == {
        "symbol": "X",
        "bids": [{"price": Decimal("16818.5"), "size": Decimal("0.183")}],
    }
    assert isinstance(book._bids, EntityCollection)  # type: ignore[attr-defined]
    price, size = LevelResponse(["1.5", "2"])
    assert (price, size) == (Decimal("1.5"), Decimal(2))
    with pytest.raises(ResponseFormatException, match="LevelResponse: expected an array item, got 'x'"):
        LevelResponse._build_list(["x"])


def test_a_hand_written_dto_reads_arrays_by_index_too() -> None:
    class Pair(AbstractResponse):  # not an ArrayResponse: slots, read by index
        __slots__ = ("_a", "_b")
        _fields = (ResponseField(0, "_a", DECIMAL), ResponseField(1, "_b", INT))

    assert Pair(["1.5"]).to_dict() == {"a": Decimal("1.5"), "b": None}
    with pytest.raises(ResponseFormatException, match="Pair: expected an array item"):
        Pair({"a": 1})


def test_a_dto_that_is_not_given_an_object_says_so() -> None:
    for cls in (OrderStatusResponse, GetOpenOrdersResponse):
        with pytest.raises(ResponseFormatException, match=f"{cls.__name__}: expected an object, got"):
            cls(["not", "an", "object"])  # type: ignore[arg-type]


def test_a_subclass_with_fields_of_its_own_cannot_inherit_generated_code() -> None:
    with pytest.raises(TypeError, match="inherits the __init__ of GetOpenOrdersResponse"):

        class MoreFields(GetOpenOrdersResponse):
            __slots__ = ("_extra",)
            _fields = (*GetOpenOrdersResponse._fields, ResponseField("extra", "_extra", STRING))

    class WithTheLoop(GetOpenOrdersResponse):
        __slots__ = ("_extra",)
        _fields = (*GetOpenOrdersResponse._fields, ResponseField("extra", "_extra", STRING))
        __init__ = AbstractResponse.__init__

    dto = WithTheLoop({"orderId": "1", "extra": "yes", "price": "2"})
    assert (dto.get_order_id(), dto.get_price(), dto._extra) == ("1", Decimal(2), "yes")  # type: ignore[attr-defined]

    with pytest.raises(TypeError, match="inherits the _build_list of OrderBookPriceItemResponse"):

        class ThreeColumns(OrderBookPriceItemResponse):
            __slots__ = ()
            _fields = (*OrderBookPriceItemResponse._fields, ResponseField(2, "_third", DECIMAL))


def test_an_array_response_reads_by_index_only() -> None:
    with pytest.raises(TypeError, match="an ArrayResponse reads array items by index"):

        class Named(ArrayResponse, tuple[Decimal | None]):
            __slots__ = ()
            _fields = (ResponseField("price", "_price", DECIMAL),)


@settings(max_examples=300, deadline=None)
@given(ms=st.integers(min_value=-62_135_596_800_000, max_value=253_402_300_799_999))
def test_milliseconds_become_datetimes_exactly(ms: int) -> None:
    moment = from_ms(ms)
    assert moment == datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(milliseconds=ms)
    assert moment.tzinfo is timezone.utc
    assert to_ms(moment) == ms
