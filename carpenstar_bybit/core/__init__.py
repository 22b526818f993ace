"""The core of the SDK (PHP ``Carpenstar\\ByBitAPI\\Core``): everything endpoints share.

What an endpoint package needs to declare itself is re-exported here.
"""

from carpenstar_bybit.core.endpoints import Endpoint, PrivateEndpoint, PublicEndpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.kinds import BOOL, DATETIME, DECIMAL, INT, OPT_STRING, STRING, Kind, Number
from carpenstar_bybit.core.kinds_extra import (
    DECIMAL_MAP,
    ISO_DATETIME,
    MASKED_STRING,
    STRING_LIST,
    STRING_LIST_MAP,
    EnumOf,
    FrozenMap,
    ListOf,
    MapOf,
)
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
