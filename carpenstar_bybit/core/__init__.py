"""The core of the SDK (PHP ``Carpenstar\\ByBitAPI\\Core``): everything endpoints share.

What an endpoint package needs to declare itself is re-exported here. The kinds of
``carpenstar_bybit.core.kinds_extra`` (enums, lists, maps: V5's) are imported on first use (PEP 562),
so that importing a V3 endpoint does not load them.
"""

from importlib import import_module as _import_module
from typing import TYPE_CHECKING

from carpenstar_bybit.core.endpoints import Endpoint, PrivateEndpoint, PublicEndpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.kinds import BOOL, DATETIME, DECIMAL, INT, OPT_STRING, STRING, Kind, Number
from carpenstar_bybit.core.objects import (
    AbstractParameters,
    AbstractResponse,
    ArrayResponse,
    EntityCollection,
    Items,
    ListInfo,
    Nested,
    Param,
    ResponseField,
    RestResponse,
)

if TYPE_CHECKING:
    from carpenstar_bybit.core.kinds_extra import (
        DECIMAL_MAP,
        ISO_DATETIME,
        MASKED_STRING,
        STRING_LIST,
        STRING_LIST_MAP,
        EnumOf,
        FrozenMap,
        IntRange,
        ListOf,
        MapOf,
    )
else:
    _LAZY = frozenset(
        {
            "DECIMAL_MAP",
            "ISO_DATETIME",
            "MASKED_STRING",
            "STRING_LIST",
            "STRING_LIST_MAP",
            "EnumOf",
            "FrozenMap",
            "IntRange",
            "ListOf",
            "MapOf",
        }
    )

    def __getattr__(name: str) -> object:
        if name not in _LAZY:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_import_module("carpenstar_bybit.core.kinds_extra"), name)
        globals()[name] = value  # later lookups are plain attribute reads
        return value


__all__ = [
    "BOOL",
    "DATETIME",
    "DECIMAL",
    "DECIMAL_MAP",
    "INT",
    "ISO_DATETIME",
    "MASKED_STRING",
    "OPT_STRING",
    "STRING",
    "STRING_LIST",
    "STRING_LIST_MAP",
    "AbstractParameters",
    "AbstractResponse",
    "ArrayResponse",
    "Endpoint",
    "EntityCollection",
    "EnumHttpMethods",
    "EnumOf",
    "EnumOutputMode",
    "FrozenMap",
    "IntRange",
    "Items",
    "Kind",
    "ListInfo",
    "ListOf",
    "MapOf",
    "Nested",
    "Number",
    "Param",
    "PrivateEndpoint",
    "PublicEndpoint",
    "ResponseField",
    "RestResponse",
]
