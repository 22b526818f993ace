"""The core of the SDK (PHP ``Carpenstar\\ByBitAPI\\Core``): everything endpoints share.

What an endpoint package needs to declare itself is re-exported here.
"""

from carpenstar_bybit.core.endpoints import Endpoint, PrivateEndpoint, PublicEndpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.kinds import BOOL, DATETIME, DECIMAL, INT, OPT_STRING, STRING, Kind, Number
from carpenstar_bybit.core.objects import (
    AbstractParameters,
    AbstractResponse,
    ArrayResponse,
    EntityCollection,
    Nested,
    Param,
    ResponseField,
    RestResponse,
)

__all__ = [
    "BOOL",
    "DATETIME",
    "DECIMAL",
    "INT",
    "OPT_STRING",
    "STRING",
    "AbstractParameters",
    "AbstractResponse",
    "ArrayResponse",
    "Endpoint",
    "EntityCollection",
    "EnumHttpMethods",
    "EnumOutputMode",
    "Kind",
    "Nested",
    "Number",
    "Param",
    "PrivateEndpoint",
    "PublicEndpoint",
    "ResponseField",
    "RestResponse",
]
