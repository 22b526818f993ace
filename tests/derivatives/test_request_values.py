"""Every request field of the spec, by its kind: a value of the wrong type is refused by the setter at
once (``SDKException`` naming the field; nothing stored), and accepted values go out exactly:
decimals as plain decimal strings (never an exponent, never float noise), integers as JSON integers,
booleans as JSON booleans, datetimes as epoch milliseconds."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core import AbstractParameters
from carpenstar_bybit.core.enums import EnumPositionIdx
from tests.derivatives.harness import (
    ENDPOINTS,
    UTC,
    SpecEndpoint,
    SpecField,
    getter_name,
    param_of,
    setter_name,
    valid_request,
)

each_endpoint = pytest.mark.parametrize("spec", ENDPOINTS, ids=str)

WRONG: dict[str, list[Any]] = {
    "string": [5, None, 1.5, b"BTCUSDT", ["BTCUSDT"], EnumPositionIdx.ONE_WAY],
    "decimal": ["abc", True, False, None, float("nan"), float("inf"), "", "1,5", [1], "NaN", "-Infinity"],
    "int": ["1", True, 1.5, None, Decimal("1"), [1]],
    "bool": [1, 0, "true", None, "false"],
    "datetime": [datetime(2023, 5, 1), "2023-05-01", -1, 1.5, True, None, Decimal("1682899200000")],
}

#: (value given to a decimal setter, the exact text sent)
DECIMALS: list[tuple[Any, str]] = [
    (Decimal("0.00001"), "0.00001"),
    (Decimal("1E-8"), "0.00000001"),
    (0.1, "0.1"),
    (1e-05, "0.00001"),
    (5, "5"),
    (0, "0"),
    ("0.022", "0.022"),
    ("28000.00", "28000.00"),
    (Decimal("1E+3"), "1000"),
    (Decimal("-0"), "0"),
    (27500.5, "27500.5"),
]


def _fields_of_kind(spec: SpecEndpoint, kind: str) -> list[SpecField]:
    cls = spec.request_class()
    return [f for f in spec.request_fields if param_of(cls, f.wire).kind.name == kind]


def _sent_value(spec: SpecEndpoint, request: AbstractParameters, wire: str) -> Any:
    """The value of ``wire`` as it goes out: the JSON body (POST) or the query string (GET)."""
    if spec.method == "POST":
        return json.loads(request.to_json_body())[wire]
    return dict(parse_qsl(request.to_query_string(), strict_parsing=True))[wire]


@each_endpoint
def test_a_value_of_the_wrong_type_is_refused_by_every_setter_and_not_stored(spec: SpecEndpoint) -> None:
    cls = spec.request_class()
    checked = 0
    for field in spec.request_fields:
        kind = param_of(cls, field.wire).kind.name.lstrip("?")
        for wrong in WRONG[kind]:
            request = cls()
            before = getattr(request, getter_name(cls, field))()
            with pytest.raises(SDKException, match=rf"^{field.wire}: "):
                getattr(request, setter_name(field))(wrong)
            assert getattr(request, getter_name(cls, field))() == before
            assert request.is_set(field.wire) is (field.default is not None)
            checked += 1
    assert checked >= len(spec.request_fields) * 5


@each_endpoint
def test_every_decimal_field_is_sent_exactly(spec: SpecEndpoint) -> None:
    for field in _fields_of_kind(spec, "decimal"):
        for value, text in DECIMALS:
            request = valid_request(spec)
            getattr(request, setter_name(field))(value)
            assert _sent_value(spec, request, field.wire) == text, (field.wire, value)
            assert getattr(request, getter_name(type(request), field))() == Decimal(text)


@each_endpoint
def test_every_int_field_is_sent_as_an_integer(spec: SpecEndpoint) -> None:
    for field in _fields_of_kind(spec, "int"):
        for value, expected in [(0, 0), (2, 2), (EnumPositionIdx.HEDGE_SELL, 2), (1000, 1000)]:
            request = valid_request(spec)
            getattr(request, setter_name(field))(value)
            sent = _sent_value(spec, request, field.wire)
            if spec.method == "POST":
                assert type(sent) is int
                assert sent == expected
            else:
                assert sent == str(expected)
            assert type(getattr(request, getter_name(type(request), field))()) is int


@each_endpoint
def test_every_bool_field_is_sent_as_a_json_boolean(spec: SpecEndpoint) -> None:
    for field in _fields_of_kind(spec, "bool"):
        for value in (True, False):
            request = valid_request(spec)
            getattr(request, setter_name(field))(value)
            assert _sent_value(spec, request, field.wire) is value


@each_endpoint
def test_every_datetime_field_is_sent_as_epoch_milliseconds(spec: SpecEndpoint) -> None:
    new_york = timezone(timedelta(hours=-5))
    cases = [
        (datetime(2023, 5, 1, tzinfo=UTC), "1682899200000"),
        (datetime(2023, 4, 30, 19, 0, 0, 123456, tzinfo=new_york), "1682899200123"),  # ms kept, µs dropped
        (1682899200999, "1682899200999"),
        (0, "0"),
    ]
    for field in _fields_of_kind(spec, "datetime"):
        for value, millis in cases:
            request = valid_request(spec)
            getattr(request, setter_name(field))(value)
            assert _sent_value(spec, request, field.wire) == millis, (field.wire, value)
            read_back = getattr(request, getter_name(type(request), field))()
            assert read_back.utcoffset() is not None


def test_the_kinds_of_the_requests_cover_every_spec_type() -> None:
    kinds = {param_of(s.request_class(), f.wire).kind.name for s in ENDPOINTS for f in s.request_fields}
    assert kinds == {"string", "decimal", "int", "bool", "datetime"}
