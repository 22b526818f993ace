"""Robustness of every response DTO of the spec against what real payloads do: keys missing, ``null``,
``""`` in numeric fields, new keys, and garbage. The expected values come from the spec's PHP types
and the parsing rules documented in ``carpenstar_bybit.core.kinds``:

* ``string``: absent or ``null`` -> ``""``; ``?string``: absent or ``null`` -> ``None``;
* ``float`` (``Decimal``), ``int``, ``DateTime``, ``bool``: absent, ``null`` or ``""`` -> ``None``;
  a ``DateTime`` of ``0`` (Bybit's "no time") -> ``None``;
* nested collections: absent, ``null`` or ``""`` -> an empty collection;
* unknown keys are ignored; a value of the wrong shape raises ``ResponseFormatException``, the SDK's
  own exception (never a bare ``ValueError``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit import BybitException, EnumOutputMode, ResponseFormatException
from carpenstar_bybit.core import AbstractResponse, EntityCollection
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.transport import WireResponse
from tests.derivatives.harness import (
    ENDPOINTS,
    OVERLAY,
    UTC,
    SpecEndpoint,
    SpecField,
    call,
    getter_name,
    iter_response_fields,
    payload,
    valid_request,
)
from tests.support.recording_server import RecordingServer, envelope

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
NUMERIC = {"float", "?float", "int", "DateTime", "?\\DateTime", "bool"}
STRINGS = {"string", "?string"}
COLLECTIONS = {"EntityCollection", "ICollectionInterface"}
ABSENT = object()


class Dto:
    """One response class of the spec, with how each of its fields is read."""

    def __init__(self, spec: SpecEndpoint, response: dict[str, Any]) -> None:
        self.spec = spec
        self.response = response
        self.cls: type[AbstractResponse] = spec.response_class(response["class"])
        self.fields = list(iter_response_fields(response))
        self.by_index = any(isinstance(r["key"], int) for r in response["reads"])

    def __str__(self) -> str:
        return self.cls.__name__

    def key(self, field: SpecField) -> str | int:
        """The payload key of ``field``: the key its PHP setter reads, or its own name where PHP read
        nothing (or the wrong key); corrected by the overlay where PHP read the wrong key."""
        key: str | int = field.wire
        for read in self.response["reads"]:
            if read["setter"].lower() == f"set{field.wire}".lower():
                key = read["key"]
        remap: dict[str, str] = OVERLAY["endpoints"].get(f"php_api:{self.spec.name}", {}).get("keys", {})
        return remap.get(key, key) if isinstance(key, str) else key

    def item(self, values: dict[str | int, Any]) -> Any:
        """A payload item with ``values`` by key (ABSENT leaves a key out / an array short)."""
        if self.by_index:
            # an array item: a missing column can only be missing at the end (a shorter array)
            size = max(int(self.key(f)) for f in self.fields) + 1
            row = [values.get(i, ABSENT) for i in range(size)]
            while row and row[-1] is ABSENT:
                row.pop()
            return [None if v is ABSENT else v for v in row]
        return {k: v for k, v in values.items() if v is not ABSENT}

    def read(self, instance: AbstractResponse, field: SpecField) -> Any:
        return getattr(instance, getter_name(self.cls, field))()


DTOS = [Dto(spec, response) for spec in ENDPOINTS for response in spec.responses]
each_dto = pytest.mark.parametrize("dto", DTOS, ids=str)
each_list_endpoint = pytest.mark.parametrize(
    "spec", [s for s in ENDPOINTS if payload(s.payload_name)["result"]], ids=str
)


#: A well-formed raw value per PHP type.
_RAW_SAMPLES: dict[str, Any] = {
    "string": "x",
    "?string": "x",
    "float": "1.5",
    "?float": "1.5",
    "int": "1",
    "DateTime": "1670371200000",
    "?\\DateTime": "1670371200000",
    "bool": True,
    "EntityCollection": [],
    "ICollectionInterface": [],
}


def _top(spec: SpecEndpoint) -> Dto:
    return next(d for d in DTOS if d.cls is spec.endpoint().RESPONSE)


each_numeric_endpoint = pytest.mark.parametrize(
    "spec",
    [
        s
        for s in ENDPOINTS
        if payload(s.payload_name)["result"] and any(f.php_type in NUMERIC for f in _top(s).fields)
    ],
    ids=str,
)


def default_of(field: SpecField) -> Any:
    """What a field reads when its key is absent, ``null`` (or ``""`` for non-strings)."""
    if field.php_type == "string":
        return ""
    if field.php_type == "?string":
        return None
    if field.php_type in COLLECTIONS:
        return EntityCollection()
    assert field.php_type in NUMERIC, field.php_type
    return None


def decoded(raw: Any) -> Any:
    """``raw`` as the pipeline hands it to a DTO: through JSON, floats as exact Decimals."""
    return json.loads(json.dumps(raw), parse_float=Decimal)


def test_every_response_dto_of_the_spec_is_covered() -> None:
    assert len(DTOS) == 32  # one per endpoint, plus the order-book level and the 3 instrument filters
    assert {f.php_type for d in DTOS for f in d.fields} <= NUMERIC | STRINGS | COLLECTIONS


@each_dto
def test_missing_keys_read_the_documented_defaults(dto: Dto) -> None:
    instance = dto.cls(dto.item({}))
    for field in dto.fields:
        assert dto.read(instance, field) == default_of(field), field.wire


@each_dto
def test_null_everywhere_reads_the_documented_defaults(dto: Dto) -> None:
    instance = dto.cls(dto.item({dto.key(f): None for f in dto.fields}))
    for field in dto.fields:
        assert dto.read(instance, field) == default_of(field), field.wire


@each_dto
def test_empty_strings_read_as_none_in_numeric_fields_and_stay_empty_in_string_fields(dto: Dto) -> None:
    instance = dto.cls(dto.item({dto.key(f): "" for f in dto.fields}))
    for field in dto.fields:
        expected = "" if field.php_type in STRINGS else default_of(field)
        assert dto.read(instance, field) == expected, field.wire


@each_dto
def test_unknown_new_keys_are_ignored(dto: Dto) -> None:
    if dto.by_index:
        base = dto.item({dto.key(f): _RAW_SAMPLES[f.php_type] for f in dto.fields})
        longer = [*base, "17084.5", "new-column"]  # extra trailing columns
        assert dto.cls(longer) == dto.cls(base)
        assert dto.read(dto.cls(longer), dto.fields[-1]) == dto.read(dto.cls(base), dto.fields[-1])
    else:
        extended = {"someNewKey": "1", "anotherOne": {"nested": [1, 2]}, "retCode": 5, "": None}
        assert dto.cls(extended) == dto.cls({})


def _garbage_cases(dto: Dto) -> Iterator[tuple[SpecField, Any]]:
    for field in dto.fields:
        if field.php_type in NUMERIC:
            yield field, "abc"
            yield field, {"value": "1"}
        elif field.php_type in STRINGS:
            yield field, {"value": "1"}
            yield field, ["a"]
        else:
            yield field, "abc"
            yield field, 5


@each_dto
def test_a_value_of_the_wrong_shape_raises_response_format_exception(dto: Dto) -> None:
    for field, garbage in _garbage_cases(dto):
        with pytest.raises(ResponseFormatException) as info:
            dto.cls(decoded(dto.item({dto.key(field): garbage})))
        assert not isinstance(info.value, ValueError), field.wire
        assert isinstance(info.value, BybitException)


@each_list_endpoint
def test_each_key_of_a_real_payload_may_go_missing(spec: SpecEndpoint) -> None:
    dto = _top(spec)
    result = decoded(payload(spec.payload_name)["result"])
    items = result["list"] if "list" in result else [result]
    for raw in items:
        original = dto.cls(raw)
        for field in dto.fields:
            key = dto.key(field)
            if dto.by_index:
                assert isinstance(key, int)
                shorter = raw[:key]  # the array cut before this column
                trimmed = dto.cls(shorter)
                later = [f for f in dto.fields if int(dto.key(f)) >= key]
                for f in later:
                    assert dto.read(trimmed, f) == default_of(f), f.wire
                continue
            if key not in raw:
                continue
            trimmed = dto.cls({k: v for k, v in raw.items() if k != key})
            assert dto.read(trimmed, field) == default_of(field), field.wire
            for other in dto.fields:
                if other is not field:
                    assert dto.read(trimmed, other) == dto.read(original, other), other.wire


@each_numeric_endpoint
def test_garbage_in_a_numeric_field_of_a_real_payload_raises_through_the_real_pipeline(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    dto = _top(spec)
    body = payload(spec.payload_name)
    result = body["result"]
    items = result["list"] if "list" in result else [result]
    numeric = next(f for f in dto.fields if f.php_type in NUMERIC)
    items[0][dto.key(numeric)] = "abc"
    with pytest.raises(ResponseFormatException, match=f"{dto.cls.__name__}: .*'abc'") as info:
        call(server, spec.endpoint(), valid_request(spec), body)
    assert info.value.path == spec.url
    assert info.value.method == spec.method


# --- properties -----------------------------------------------------------------------------------

decimal_texts = st.decimals(
    allow_nan=False, allow_infinity=False, places=8, min_value=-(10**12), max_value=10**12
)
millis = st.integers(min_value=0, max_value=4_102_444_800_000)  # up to 2100-01-01


def _valid_value(php_type: str) -> st.SearchStrategy[tuple[Any, Any]]:
    """(raw JSON value, what the getter must return) for a well-formed value, or absent/null/""."""
    empty = st.sampled_from([ABSENT, None, ""])
    if php_type in STRINGS:
        missing = "" if php_type == "string" else None
        return st.one_of(
            st.text(max_size=20).map(lambda t: (t, t)),
            st.sampled_from([ABSENT, None]).map(lambda v: (v, missing)),
        )
    if php_type in ("float", "?float"):
        return st.one_of(
            decimal_texts.map(lambda d: (format(d, "f"), Decimal(format(d, "f")))),
            st.integers(min_value=-(10**15), max_value=10**15).map(lambda i: (i, Decimal(i))),
            empty.map(lambda v: (v, None)),
        )
    if php_type == "int":
        return st.one_of(
            st.integers(min_value=-(10**12), max_value=10**12).map(lambda i: (i, i)),
            st.integers(min_value=0, max_value=10**9).map(lambda i: (str(i), i)),
            empty.map(lambda v: (v, None)),
        )
    if php_type in ("DateTime", "?\\DateTime"):
        expect: Callable[[int], Any] = lambda ms: None if ms == 0 else EPOCH + timedelta(milliseconds=ms)  # noqa: E731
        return st.one_of(
            millis.map(lambda ms: (ms, expect(ms))),
            millis.map(lambda ms: (str(ms), expect(ms))),
            empty.map(lambda v: (v, None)),
        )
    if php_type == "bool":
        return st.one_of(
            st.booleans().map(lambda b: (b, b)),
            st.sampled_from([("true", True), ("false", False)]),
            empty.map(lambda v: (v, None)),
        )
    assert php_type in COLLECTIONS
    return st.sampled_from([ABSENT, None, []]).map(lambda v: (v, EntityCollection()))


@st.composite
def well_formed(draw: st.DrawFn, dto: Dto) -> tuple[Any, dict[str, Any]]:
    values: dict[str | int, Any] = {}
    expected: dict[str, Any] = {}
    for field in dto.fields:
        raw, value = draw(_valid_value(field.php_type))
        values[dto.key(field)] = raw
        expected[field.wire] = value
    return dto.item(values), expected


def _handle(dto: Dto, item: Any) -> list[Any]:
    body = json.dumps({"retCode": 0, "retMsg": "OK", "result": {"list": [item]}, "time": 1}).encode()
    wire = WireResponse(200, CaseInsensitiveDict(), body)
    response = ResponseHandler("GET", dto.spec.url, str).handle(wire, dto.cls, EnumOutputMode.MODE_ENTITY)
    return list(response.get_body())


@settings(max_examples=400, deadline=None)
@given(data=st.data(), dto=st.sampled_from(DTOS))
def test_well_formed_values_parse_to_exactly_the_documented_values(data: st.DataObject, dto: Dto) -> None:
    item, expected = data.draw(well_formed(dto))
    parsed = _handle(dto, item)
    if not item:  # an empty object or array is no item at all
        assert parsed == []
        return
    (instance,) = parsed
    for field in dto.fields:
        assert dto.read(instance, field) == expected[field.wire], field.wire


json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["", "0", "1", "abc", "1e5", "NaN", "-0", "1.5", "true", "2023-01-01"])
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=10,
)


@settings(max_examples=400, deadline=None)
@given(data=st.data(), dto=st.sampled_from(DTOS))
def test_any_json_in_any_field_parses_or_raises_the_sdks_own_exception(data: st.DataObject, dto: Dto) -> None:
    values = {dto.key(f): data.draw(st.one_of(st.just(ABSENT), json_values)) for f in dto.fields}
    try:
        parsed = _handle(dto, dto.item(values))
    except ResponseFormatException:
        return
    for instance in parsed:
        for field in dto.fields:
            value = dto.read(instance, field)
            if field.php_type in COLLECTIONS:
                assert isinstance(value, EntityCollection)
            elif field.php_type == "string":
                assert isinstance(value, str)
            elif field.php_type in ("float", "?float"):
                assert value is None or (isinstance(value, Decimal) and value.is_finite())
            elif field.php_type == "int":
                assert value is None or (isinstance(value, int) and not isinstance(value, bool))
            elif field.php_type == "bool":
                assert value is None or isinstance(value, bool)
            elif field.php_type in ("DateTime", "?\\DateTime"):
                assert value is None or (isinstance(value, datetime) and value.utcoffset() == timedelta(0))


def test_a_null_result_without_time_is_an_empty_answer(server: RecordingServer) -> None:
    spec = next(s for s in ENDPOINTS if s.name == "WalletBalance")
    response, _ = call(server, spec.endpoint(), None, {"retCode": 0, "retMsg": "OK", "result": None})
    assert response.get_time() is None
    assert response.get_extended_info() == {}
    assert len(response.get_body()) == 0
    assert response.get_result() is None


def test_an_empty_list_and_a_null_ext_info_are_an_empty_answer(server: RecordingServer) -> None:
    spec = next(s for s in ENDPOINTS if s.name == "WalletBalance")
    response, _ = call(server, spec.endpoint(), None, envelope({"list": []}, retExtInfo=None))
    assert response.get_extended_info() == {}
    assert response.get_result() is None
    assert response.get_time() == datetime(2022, 12, 14, 11, 34, 18, 12000, tzinfo=UTC)


def test_a_fractional_millisecond_number_is_not_a_datetime(server: RecordingServer) -> None:
    body = payload("Contract.Order.GetOpenOrders")
    raw = json.dumps(body).replace('"1690997416487"', "1690997416487.5").encode()
    spec = next(s for s in ENDPOINTS if s.name == "GetOpenOrders")
    with pytest.raises(ResponseFormatException, match=r"1690997416487\.5"):
        call(server, spec.endpoint(), valid_request(spec), raw)
