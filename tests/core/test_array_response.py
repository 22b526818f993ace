"""Array-shaped items (order-book levels, klines) are typed, immutable tuples read by index."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import ResponseFormatException
from carpenstar_bybit.core.objects.responses import build_all
from carpenstar_bybit.derivatives.market_data.kline import KlineResponse
from carpenstar_bybit.derivatives.market_data.order_book import OrderBookPriceItemResponse


def test_a_level_unpacks_like_the_array_bybit_sends() -> None:
    level = OrderBookPriceItemResponse(["16818.5", "0.183"])
    price, qty = level
    assert (price, qty) == (Decimal("16818.5"), Decimal("0.183"))
    assert level.get_price() == Decimal("16818.5")
    assert level.get_quantity() == Decimal("0.183")
    assert level.to_dict() == {"price": Decimal("16818.5"), "quantity": Decimal("0.183")}
    assert repr(level) == "OrderBookPriceItemResponse(price=Decimal('16818.5'), quantity=Decimal('0.183'))"


def test_levels_are_immutable_hashable_and_equal_by_value() -> None:
    a = OrderBookPriceItemResponse(["1", "2"])
    b = OrderBookPriceItemResponse(["1", "2"])
    assert a == b
    assert hash(a) == hash(b)
    assert a != OrderBookPriceItemResponse(["1", "3"])
    with pytest.raises(AttributeError, match="OrderBookPriceItemResponse is immutable"):
        a.price = Decimal(5)  # type: ignore[attr-defined]
    assert not hasattr(a, "__dict__")


def test_the_fast_path_and_the_general_path_agree() -> None:
    items = [["1.5", "2"], ("3", "4"), ["-1", "0.000001"], ["7", "8", "extra"], ["9"], [5, "6"], ["", None]]
    built = build_all(OrderBookPriceItemResponse, items)
    assert [tuple(level) for level in built] == [
        (Decimal("1.5"), Decimal("2")),
        (Decimal("3"), Decimal("4")),
        (Decimal("-1"), Decimal("0.000001")),
        (Decimal("7"), Decimal("8")),
        (Decimal("9"), None),
        (Decimal("5"), Decimal("6")),
        (None, None),
    ]
    assert built == [OrderBookPriceItemResponse(item) for item in items]


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (["NaN", "1"], "expected a decimal number in the response, got 'NaN'"),
        (["1", "Infinity"], "got 'Infinity'"),
        (["abc", "1"], "got 'abc'"),
        ({"price": "1"}, "OrderBookPriceItemResponse: expected an array item"),
        ("1,2", "OrderBookPriceItemResponse: expected an array item"),
    ],
)
def test_bad_items_raise_the_sdks_exception(item: object, message: str) -> None:
    with pytest.raises(ResponseFormatException, match=message):
        build_all(OrderBookPriceItemResponse, [item])


def test_a_kline_row_reads_every_element() -> None:
    kline = KlineResponse(["1670371200000", "17077", "17084", "17077", "17084", "0.017", "290.412"])
    start, open_, high, low, close, volume, turnover = kline
    assert start == datetime(2022, 12, 7, 0, 0, tzinfo=timezone.utc)
    assert kline.get_start_time() == start
    assert (open_, high, low, close) == (
        Decimal("17077"),
        Decimal("17084"),
        Decimal("17077"),
        Decimal("17084"),
    )
    assert kline.get_volume() == volume == Decimal("0.017")
    assert kline.get_turnover() == turnover == Decimal("290.412")
