"""Requests that hold a list of item requests (``Items``): each item validated with its own rules and
the values of the request that holds it, the number of items bounded, copies kept, the JSON exact."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core import DECIMAL, STRING, AbstractParameters, Items, Number, Param

if TYPE_CHECKING:
    from collections.abc import Sequence

    from typing_extensions import Self


class Leg(AbstractParameters):
    __slots__ = ()
    SYMBOL = Param("symbol", STRING)
    QTY = Param("qty", DECIMAL)
    LINK = Param("orderLinkId", STRING)
    _required = ("symbol", "qty")
    _one_of_when = (("category", "option", ("orderLinkId",)),)
    _context = ("category",)

    def set_symbol(self, symbol: str) -> Self:
        return self._set(self.SYMBOL, symbol)

    def set_qty(self, qty: Number) -> Self:
        return self._set(self.QTY, qty)

    def set_order_link_id(self, link: str) -> Self:
        return self._set(self.LINK, link)


class Batch(AbstractParameters):
    __slots__ = ()
    CATEGORY = Param("category", STRING)
    REQUEST = Param("request", Items(Leg, max_items=3))
    _required = ("category", "request")
    _max_items_when = (("category", "spot", "request", 2),)

    def set_category(self, category: str) -> Self:
        return self._set(self.CATEGORY, category)

    def set_request(self, request: Sequence[Leg]) -> Self:
        return self._set(self.REQUEST, request)


def test_items_go_out_as_a_json_array_of_objects() -> None:
    batch = Batch().set_category("linear").set_request([Leg().set_symbol("BTCUSDT").set_qty("0.001")])
    assert batch.to_json_body() == b'{"category":"linear","request":[{"symbol":"BTCUSDT","qty":"0.001"}]}'


def test_items_are_copied_when_set() -> None:
    leg = Leg().set_symbol("BTCUSDT").set_qty(1)
    batch = Batch().set_category("linear").set_request([leg])
    leg.set_qty(5)
    assert batch.to_json_body() == b'{"category":"linear","request":[{"symbol":"BTCUSDT","qty":"1"}]}'


def test_each_item_is_validated_with_its_position_and_the_batch_values() -> None:
    legs = [Leg().set_symbol("A").set_qty(1), Leg().set_symbol("B"), Leg().set_qty(2).set_symbol("C")]
    with pytest.raises(SDKException) as info:
        Batch().set_category("option").set_request(legs).validate()
    assert str(info.value) == (
        "Batch: request[0]: Leg: orderLinkId is required when category is 'option'; "
        "request[1]: Leg: missing required field(s): qty; orderLinkId is required when category is 'option'; "
        "request[2]: Leg: orderLinkId is required when category is 'option'"
    )
    Batch().set_category("linear").set_request([legs[0], legs[2]]).validate()  # the rule is the option's


def test_the_number_of_items_is_bounded() -> None:
    leg = Leg().set_symbol("A").set_qty(1)
    with pytest.raises(SDKException, match=r"^request: at most 3 items, got 4$"):
        Batch().set_request([leg] * 4)
    with pytest.raises(SDKException, match=r"request takes at most 2 items when category is 'spot', got 3$"):
        Batch().set_category("spot").set_request([leg] * 3).validate()
    with pytest.raises(SDKException, match=r"missing required field\(s\): request$"):
        Batch().set_category("linear").set_request([]).validate()  # an empty list is no value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A", r"request: expected a list of Leg, got str"),
        ([{"symbol": "A"}], r"request\[0\]: expected a Leg, got dict"),
        ([Leg(), Batch()], r"request\[1\]: expected a Leg, got Batch"),
    ],
)
def test_only_a_list_of_item_requests_is_taken(value: object, message: str) -> None:
    with pytest.raises(SDKException, match=message):
        Batch().set_request(value)  # type: ignore[arg-type]


def test_items_cannot_go_into_a_query_string() -> None:
    batch = Batch().set_category("linear").set_request([Leg().set_symbol("A").set_qty(1)])
    with pytest.raises(SDKException, match="is sent in a JSON body, not in a query string"):
        batch.to_query_string()
