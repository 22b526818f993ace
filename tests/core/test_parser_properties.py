"""Property: any JSON the parser is given either parses or raises the SDK's own exception."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit import BybitException, EnumOutputMode
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.transport import WireResponse
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrdersResponse
from carpenstar_bybit.derivatives.market_data.instrument_info import InstrumentInfoResponse
from carpenstar_bybit.derivatives.market_data.kline import KlineResponse
from carpenstar_bybit.derivatives.market_data.order_book import OrderBookResponse

DTOS: list[type[AbstractResponse]] = [
    GetOpenOrdersResponse,
    OrderBookResponse,
    KlineResponse,
    InstrumentInfoResponse,
]

#: Number literals JSON can carry but Python's json.dumps never writes: each stands in the dumped text
#: for a marker string, so huge exponents and odd digits reach every kind's parser.
LITERALS = {
    '"@huge@"': "1e1000000",
    '"@hugeneg@"': "-1e999999999",
    '"@tiny@"': "1e-999999",
    '"@inf@"': "Infinity",
    '"@nan@"': "NaN",
    '"@long@"': "9" * 4000,
    '"@longtext@"': '"' + "8" * 5000 + '"',
    '"@super@"': '"\u00b2"',
    '"@arabic@"': '"\u0661\u0662"',
    '"@expstr@"': '"1E+999999999"',
}
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True)
    | st.text(max_size=12)
    | st.sampled_from([marker.strip('"') for marker in LITERALS])
)
keys = st.sampled_from(
    ["price", "qty", "createdTime", "reduceOnly", "s", "b", "a", "ts", "u", "list", "leverageFilter", "x"]
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(keys | st.text(max_size=5), inner, max_size=5)
    ),
    max_leaves=25,
)
envelopes = st.fixed_dictionaries(
    {
        "retCode": st.sampled_from([0, 0, 0, 10001, "0", None, 1.5, "@super@", "@longtext@", "@huge@"]),
        "result": json_values,
    },
    optional={"retMsg": scalars, "retExtInfo": json_values, "time": scalars, "list": json_values},
)


def _dumped(value: Any) -> bytes:
    text = json.dumps(value)
    for marker, literal in LITERALS.items():
        text = text.replace(marker, literal)
    return text.encode()


bodies = st.one_of(
    envelopes.map(_dumped),
    json_values.map(_dumped),
    st.binary(max_size=64),
    st.integers(min_value=1, max_value=100_000).map(lambda depth: b'{"retCode":0,"result":' + b"[" * depth),
)


@settings(max_examples=300, deadline=None)
@given(
    body=bodies,
    dto=st.sampled_from(DTOS),
    status=st.sampled_from([200, 200, 200, 403, 500]),
    list_result=st.sampled_from([None, True, False]),
)
def test_any_body_parses_or_raises_the_sdks_exception(
    body: bytes, dto: type[AbstractResponse], status: int, list_result: bool | None
) -> None:
    handler = ResponseHandler("GET", "/x", str)
    wire = WireResponse(status, CaseInsensitiveDict({"X-Bapi-Limit": "x"}), body)
    try:
        response: Any = handler.handle(wire, dto, EnumOutputMode.MODE_ENTITY, list_result)
    except BybitException:
        return
    for item in response.get_body():
        assert isinstance(item, dto)
        item.to_dict()
        repr(item)
