"""The value kinds of ``carpenstar_bybit.core.kinds_extra``: enum fields checked before sending,
lists and maps read immutably, ISO-8601 times, and credentials that never show in a ``repr``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest

from carpenstar_bybit import ResponseFormatException, SDKException
from carpenstar_bybit.core import (
    DECIMAL,
    DECIMAL_MAP,
    ISO_DATETIME,
    MASKED_STRING,
    STRING,
    STRING_LIST,
    STRING_LIST_MAP,
    AbstractResponse,
    EnumOf,
    FrozenMap,
    IntRange,
    ListOf,
    ResponseField,
)
from carpenstar_bybit.core.enums import EnumOrderType, EnumSide, EnumTimeInForce
from carpenstar_bybit.v5.enums import Category, PositionIdx, Side, TimeInForce

UTC = timezone.utc


def test_enum_field_takes_a_member_or_its_plain_value() -> None:
    kind = EnumOf(TimeInForce)
    assert kind.accept("timeInForce", TimeInForce.POST_ONLY) is TimeInForce.POST_ONLY
    assert kind.accept("timeInForce", "IOC") is TimeInForce.IOC
    assert kind.to_json(TimeInForce.RPI) == "RPI"
    assert kind.to_query(TimeInForce.GTC) == "GTC"
    ints = EnumOf(PositionIdx)
    assert ints.accept("positionIdx", 2) is PositionIdx.HEDGE_SELL
    assert ints.to_json(PositionIdx.ONE_WAY) == 0
    assert type(ints.to_json(PositionIdx.ONE_WAY)) is int
    assert ints.to_query(PositionIdx.HEDGE_BUY) == "1"


def test_a_member_of_another_enum_counts_by_its_value() -> None:
    assert EnumOf(Side).accept("side", EnumSide.SELL) is Side.SELL  # V3's EnumSide has V5's values


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        (
            EnumOf(TimeInForce),
            EnumTimeInForce.GOOD_TILL_CANCELED_FULL,
            "timeInForce: expected one of 'GTC', 'IOC', 'FOK', 'PostOnly', 'RPI' (TimeInForce), "
            "got EnumTimeInForce.GOOD_TILL_CANCELED_FULL",
        ),
        (
            EnumOf(TimeInForce),
            "GoodTillCancel",
            "timeInForce: expected one of 'GTC', 'IOC', 'FOK', 'PostOnly', 'RPI' (TimeInForce), got 'GoodTillCancel'",
        ),
        (EnumOf(Side), "buy", "side: expected one of 'Buy', 'Sell' (Side), got 'buy'"),
        (
            EnumOf(Side),
            EnumOrderType.LIMIT_MAKER,
            "side: expected one of 'Buy', 'Sell' (Side), got EnumOrderType",
        ),
        (EnumOf(PositionIdx), "1", "positionIdx: expected one of 0, 1, 2 (PositionIdx), got '1'"),
        (EnumOf(PositionIdx), True, "positionIdx: expected one of 0, 1, 2 (PositionIdx), got True"),
        (
            EnumOf(Category, Category.LINEAR, Category.INVERSE),
            Category.SPOT,
            "category: expected one of 'linear', 'inverse' (Category), got Category.SPOT",
        ),
        (
            EnumOf(Category, Category.LINEAR, Category.INVERSE),
            "option",
            "category: expected one of 'linear', 'inverse' (Category), got 'option'",
        ),
    ],
)
def test_other_values_are_refused_naming_the_values_taken(
    kind: EnumOf[Any], value: object, message: str
) -> None:
    field = message.split(":")[0]
    with pytest.raises(SDKException) as info:
        kind.accept(field, value)
    assert str(info.value).startswith(message)


def test_lists_read_as_tuples() -> None:
    assert STRING_LIST.parse(["18.181.170.164", "13.212.45.47"]) == ("18.181.170.164", "13.212.45.47")
    assert STRING_LIST.parse([]) == ()
    assert STRING_LIST.parse(None) == ()
    assert STRING_LIST.parse("") == ()
    decimals = ListOf(DECIMAL)
    assert decimals.parse(["1.50", "", None, 2]) == (Decimal("1.50"), Decimal(2))  # null elements left out
    with pytest.raises(ResponseFormatException, match="expected an array in the response, got 'a,b'"):
        STRING_LIST.parse("a,b")
    assert STRING_LIST.to_query(("USDT", "USDC")) == "USDT,USDC"
    assert STRING_LIST.to_json(STRING_LIST.accept("coin", ["USDT"])) == ["USDT"]
    with pytest.raises(SDKException, match="coin: expected a list, got str 'USDT'"):
        STRING_LIST.accept("coin", "USDT")


def test_maps_read_as_immutable_hashable_mappings() -> None:
    fees = DECIMAL_MAP.parse({"MNT": "0.00242968", "USDT": "0.1", "BTC": ""})
    assert isinstance(fees, FrozenMap)
    assert fees == {"MNT": Decimal("0.00242968"), "USDT": Decimal("0.1")}  # "" is no value: left out
    assert str(fees["MNT"]) == "0.00242968"
    assert list(fees) == ["MNT", "USDT"]
    assert len(fees) == 2
    assert hash(fees) == hash(DECIMAL_MAP.parse({"MNT": "0.00242968", "USDT": "0.1"}))
    assert repr(fees) == "FrozenMap({'MNT': Decimal('0.00242968'), 'USDT': Decimal('0.1')})"
    with pytest.raises(TypeError):
        fees["MNT"] = Decimal(1)  # type: ignore[index]
    assert DECIMAL_MAP.parse(None) == {}
    assert DECIMAL_MAP.parse("") == {}
    permissions = STRING_LIST_MAP.parse({"ContractTrade": ["Order", "Position"], "Options": []})
    assert permissions == {"ContractTrade": ("Order", "Position"), "Options": ()}
    with pytest.raises(ResponseFormatException, match=r"expected an object in the response, got \['MNT'\]"):
        DECIMAL_MAP.parse(["MNT"])
    with pytest.raises(ResponseFormatException):
        DECIMAL_MAP.parse({"MNT": "lots"})


def test_iso_times_read_as_aware_utc_datetimes() -> None:
    assert ISO_DATETIME.parse("2025-10-13T03:20:45Z") == datetime(2025, 10, 13, 3, 20, 45, tzinfo=UTC)
    assert ISO_DATETIME.parse("2025-10-13T06:20:45+03:00") == datetime(2025, 10, 13, 3, 20, 45, tzinfo=UTC)
    parsed = ISO_DATETIME.parse("2025-10-13T06:20:45+03:00")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)
    assert ISO_DATETIME.parse("1970-01-01T00:00:00Z") is None  # the epoch: "no time", as 0 ms is
    assert ISO_DATETIME.parse("") is None
    assert ISO_DATETIME.parse(None) is None
    for bad in ("2025-10-13", "2025-10-13T03:20:45", "yesterday", 1760325645000):
        with pytest.raises(ResponseFormatException, match="expected an ISO-8601 time with a zone"):
            ISO_DATETIME.parse(bad)


class _Key(AbstractResponse):
    __slots__ = ("_api_key", "_note")
    _fields = (ResponseField("apiKey", "_api_key", MASKED_STRING), ResponseField("note", "_note", STRING))
    _api_key: str
    _note: str

    def get_api_key(self) -> str:
        return self._api_key


def test_a_credential_read_from_a_response_never_shows_in_a_repr() -> None:
    key = _Key({"apiKey": "XXXXXXXXrealkey", "note": "testnet"})
    assert key.get_api_key() == "XXXXXXXXrealkey"
    assert str(key.get_api_key()) == "XXXXXXXXrealkey"
    assert "realkey" not in repr(key)
    assert repr(key) == "_Key(api_key='<redacted>', note='testnet')"
    assert MASKED_STRING.parse(None) == ""
    assert MASKED_STRING.parse("") == ""


def test_bounded_integers() -> None:
    kind = IntRange(3, 300)
    assert kind.accept("timeWindow", 3) == 3
    assert kind.accept("timeWindow", 300) == 300
    assert kind.to_json(40) == 40
    for value, message in (
        (2, "timeWindow: expected an int from 3 to 300, got 2"),
        (301, "timeWindow: expected an int from 3 to 300, got 301"),
        (True, "timeWindow: expected an int, got bool True"),
        ("40", "timeWindow: expected an int, got str '40'"),
    ):
        with pytest.raises(SDKException) as info:
            kind.accept("timeWindow", value)
        assert str(info.value) == message
    assert kind.parse("40") == 40
