"""Parameters, responses and collections (PHP ``Core\\Objects``)."""

from carpenstar_bybit.core.objects.collections import EntityCollection
from carpenstar_bybit.core.objects.parameters import AbstractParameters, Items, Param
from carpenstar_bybit.core.objects.responses import AbstractResponse, ArrayResponse, Nested, ResponseField
from carpenstar_bybit.core.objects.rest_response import ListInfo, RestResponse

__all__ = [
    "AbstractParameters",
    "AbstractResponse",
    "ArrayResponse",
    "EntityCollection",
    "Items",
    "ListInfo",
    "Nested",
    "Param",
    "ResponseField",
    "RestResponse",
]
