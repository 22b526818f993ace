"""The code ``tools/codegen.py`` writes into each ``response.py`` reads a value exactly as the field's
kind does: for any JSON-ish value, every inline fast path gives what ``Kind.parse`` (or ``Nested``)
gives, or raises the same exception type; and the generic loop that reads hand-written DTOs gives the
same as the generated code, for every generated class."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import carpenstar_bybit.derivatives
import carpenstar_bybit.v5
from carpenstar_bybit.core import DECIMAL, AbstractResponse, ArrayResponse, EntityCollection, ResponseField
from carpenstar_bybit.core.objects.responses import plain_decimal_rows


def generated_classes() -> list[type[AbstractResponse]]:
    found: list[type[AbstractResponse]] = []
    for root in (carpenstar_bybit.derivatives, carpenstar_bybit.v5):
        for info in pkgutil.walk_packages(root.__path__, root.__name__ + "."):
            if info.name.endswith(".response"):
                module = importlib.import_module(info.name)
                found += [getattr(module, name) for name in module.__all__]
    return found


CLASSES = generated_classes()
ARRAYS = [cls for cls in CLASSES if issubclass(cls, ArrayResponse)]
BOOK_LEVELS = [cls for cls in ARRAYS if all(f.reader is DECIMAL for f in cls._fields)]

#: Text that decimal, integer, datetime and boolean fields meet that is odd in some way.
ODD_TEXT = [
    *("", " ", "0", "00", "-0", "0.0", "1.", ".5", "-.5", "-", ".", "1.2.3", "--1", "+1", " 1", "1 "),
    *("1_000", "\u0661\u0662", "NaN", "-Infinity", "inf", "sNaN", "1e5", "1E-5", "1e999999999", "abc"),
    *("9" * 24, "9" * 25, "0" * 30 + "1", "true", "False", "1", "\ud800", "28000.50", "-0.000001"),
    *("1670371200000", "01670371200000", "99999999999999", "100000000000000"),
]

#: Text that those fields meet, well-formed or not.
numeric_text = st.one_of(
    st.from_regex(r"-?[0-9]{0,30}(\.[0-9]{0,30})?", fullmatch=True),
    st.from_regex(r"[-+]?[0-9]{1,4}(\.[0-9]{0,4})?[eE][-+]?[0-9]{1,9}", fullmatch=True),
    st.from_regex(r"[0-9]{1,16}", fullmatch=True),
    st.sampled_from(ODD_TEXT),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([0, 1, -1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**14, 10**40]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("1E+1000"), Decimal("-0"), Decimal("1.50"), Decimal("1E+2")]),
    st.floats(),
    numeric_text,
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=6,
)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (``Decimal('1.50')`` is not ``Decimal('1.5')``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return a.as_tuple() == b.as_tuple()
    if isinstance(a, datetime):
        return a == b and a.tzinfo == b.tzinfo
    if isinstance(a, (EntityCollection, tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, AbstractResponse):
        return same(a._field_values(), b._field_values())
    return bool(a == b)


def outcome(read: Any, *args: Any) -> tuple[str, Any]:
    """What ``read(*args)`` gives: ``("value", v)`` or ``("raised", exception type)``."""
    try:
        return "value", read(*args)
    except Exception as exc:  # the types are compared: any exception is an answer here
        return "raised", type(exc)


def agree(got: tuple[str, Any], expected: tuple[str, Any]) -> bool:
    if got[0] != expected[0]:
        return False
    return got[1] is expected[1] if got[0] == "raised" else same(got[1], expected[1])


def read_fields(cls: type[AbstractResponse], positions: list[int], value: Any, every_key: bool) -> list[Any]:
    """The values of fields ``positions`` of a ``cls`` built by its generated code from a payload that
    holds ``value`` there (and, with ``every_key``, ``None`` under every other key)."""
    keys = [cls._fields[p].key for p in positions]
    if issubclass(cls, ArrayResponse):
        size = max(int(f.key) for f in cls._fields) + 1 if every_key else max(map(int, keys)) + 1
        row: list[Any] = [None] * size
        for key in keys:
            row[int(key)] = value
        built = cls._build_list([row])[0]
        return [built[p] for p in positions]
    payload: dict[str, Any] = dict.fromkeys(str(f.key) for f in cls._fields) if every_key else {}
    payload.update(dict.fromkeys(map(str, keys), value))
    dto = cls(payload)
    return [getattr(dto, cls._fields[p].slot) for p in positions]


#: Per class, its fields grouped by reader: the fields of a group run the same inline code.
GROUPS = [
    (cls, [p for p, f in enumerate(cls._fields) if f.reader is reader])
    for cls in CLASSES
    for reader in {id(f.reader): f.reader for f in cls._fields}.values()
]


def check_every_field(value: Any) -> None:
    """``value`` in every field of every generated class reads as the field's reader reads it."""
    for cls, positions in GROUPS:
        expected = outcome(cls._fields[positions[0]].reader.parse, value)
        if expected[0] == "value":
            expected = ("value", [expected[1]] * len(positions))
        for every_key in (True, False):
            got = outcome(read_fields, cls, positions, value, every_key)
            assert agree(got, expected), (cls.__name__, positions, value, every_key, got, expected)


SPECIAL = [
    *(None, True, False, 0, 1, -1, 2**63 - 1, 2**63, -(2**63), -(2**63) - 1, 10**14, 10**40, 1.5),
    *(Decimal("1.50"), Decimal("-0"), Decimal("1E+2"), Decimal("1E+1000"), Decimal("0.5")),
    *(Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), float("nan")),
    *([], {}, [["1", "2"]], {"a": 1}, [None]),
    *ODD_TEXT,
]


@pytest.mark.parametrize("value", SPECIAL, ids=repr)
def test_each_inline_fast_path_reads_what_the_kind_reads(value: Any) -> None:
    check_every_field(value)


@settings(max_examples=100, deadline=None)
@given(value=json_values)
def test_each_inline_fast_path_reads_any_value_as_the_kind_does(value: Any) -> None:
    check_every_field(value)


def test_every_kind_and_shape_of_field_is_covered() -> None:
    readers = {type(f.reader).__name__ for cls in CLASSES for f in cls._fields}
    assert {"_String", "_Decimal", "_Int", "_Bool", "_DateTime", "Nested"} <= readers
    assert any(
        f.reader.name == "?string" for cls in CLASSES for f in cls._fields if hasattr(f.reader, "name")
    )
    assert ARRAYS
    assert BOOK_LEVELS


@settings(max_examples=100, deadline=None)
@given(
    cls=st.sampled_from(BOOK_LEVELS),
    rows=st.lists(st.lists(numeric_text | scalars, min_size=1, max_size=3), max_size=6),
    plain=st.lists(st.from_regex(r"-?[0-9]{1,12}\.[0-9]{1,11}", fullmatch=True), min_size=2, max_size=2),
)
def test_book_levels_a_column_at_a_time_read_what_one_at_a_time_reads(
    cls: type[ArrayResponse], rows: list[list[Any]], plain: list[str]
) -> None:
    for batch in (rows, [*rows, plain], [plain] * 3, [[*plain, "1"]], [tuple(plain)]):
        expected = outcome(ArrayResponse._build_list.__func__, cls, batch)  # type: ignore[attr-defined]
        assert agree(outcome(cls._build_list, batch), expected), (batch, expected)
        fast = plain_decimal_rows(cls, list(batch), len(cls._fields))
        if fast is not None:  # what the column-wise path takes, it reads like the kind
            assert same(fast, expected[1])


def generic_read(cls: type[AbstractResponse], data: Any) -> Any:
    """``cls`` built by the runtime path that reads hand-written DTOs (the loop over ``_fields``)."""
    if issubclass(cls, ArrayResponse):
        return ArrayResponse._build_list.__func__(cls, [data])[0]  # type: ignore[attr-defined]
    dto = object.__new__(cls)
    AbstractResponse.__init__(dto, data)
    return dto


def generated_read(cls: type[AbstractResponse], data: Any) -> Any:
    return cls._build_list([data])[0] if issubclass(cls, ArrayResponse) else cls(data)


@settings(max_examples=200, deadline=None)
@given(cls=st.sampled_from(CLASSES), data=st.data())
def test_the_generic_loop_reads_what_the_generated_code_reads(cls: type[AbstractResponse], data: Any) -> None:
    if issubclass(cls, ArrayResponse):
        payload: Any = data.draw(st.lists(json_values, max_size=len(cls._fields) + 1) | json_values)
    else:
        keys = st.sampled_from([f.key for f in cls._fields] or ["x"]) | st.text(max_size=3)
        payload = data.draw(st.dictionaries(keys, json_values, max_size=len(cls._fields) + 1) | json_values)
    assert agree(outcome(generated_read, cls, payload), outcome(generic_read, cls, payload))


@pytest.mark.parametrize("cls", [c for c in CLASSES if c._fields], ids=lambda c: c.__name__)
def test_each_generated_class_carries_its_own_code(cls: type[AbstractResponse]) -> None:
    """Straight-line code of its own (or of the class it extends with the same fields), no loop."""
    owner = next(k for k in cls.__mro__ if "_fields" in vars(k))
    assert ("_build_list" if issubclass(cls, ArrayResponse) else "__init__") in vars(owner)
    method = vars(owner)["_build_list" if issubclass(cls, ArrayResponse) else "__init__"]
    code = getattr(method, "__func__", method).__code__
    assert code.co_filename == importlib.import_module(owner.__module__).__file__


def test_a_dto_of_one_field_reads_it_like_a_longer_one() -> None:
    class One(AbstractResponse):
        __slots__ = ("_price",)
        _fields = (ResponseField("price", "_price", DECIMAL),)

    assert One({"price": "1.50"}).to_dict() == {"price": Decimal("1.50")}
    assert One({}).to_dict() == {"price": None}
