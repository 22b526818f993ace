"""The factories of PHP ``Core\\Builders``: one place that checks classes before anything is built.

``RestBuilder.make`` is the single way the facade turns an endpoint class and a request into a bound
endpoint; mypy infers the response DTO type from the endpoint class and rejects a request of another
endpoint's class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse

if TYPE_CHECKING:
    from carpenstar_bybit.core.client import ClientContext
    from carpenstar_bybit.core.objects.rest_response import RestResponse
    from carpenstar_bybit.core.transport import WireResponse

__all__ = ["ResponseDtoBuilder", "ResponseHandlerBuilder", "RestBuilder"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class RestBuilder:
    """PHP ``RestBuilder::make($className, $parameters)``, bound to one client."""

    @staticmethod
    def make(endpoint: type[Endpoint[Q, R]], parameters: Q | None, client: ClientContext) -> Endpoint[Q, R]:
        """A bound endpoint; ``SDKException`` if ``endpoint`` is not an endpoint class or
        ``parameters`` is not its request class."""
        if not (isinstance(endpoint, type) and issubclass(endpoint, Endpoint)):
            raise SDKException(f"{endpoint!r} is not an endpoint class (a subclass of Endpoint)")
        if parameters is not None and not isinstance(parameters, AbstractParameters):
            raise SDKException(f"request parameters must be a request DTO, got {type(parameters).__name__}")
        return endpoint(client, parameters)


class ResponseDtoBuilder:
    """PHP ``ResponseDtoBuilder::make($className, $data)``."""

    @staticmethod
    def make(dto: type[R], data: Mapping[str, Any] | Sequence[Any]) -> R:
        """An instance of the response DTO ``dto`` read from one payload item."""
        if not (isinstance(dto, type) and issubclass(dto, AbstractResponse)):
            raise SDKException(f"{dto!r} is not a response DTO class (a subclass of AbstractResponse)")
        return dto(data)


class ResponseHandlerBuilder:
    """PHP ``ResponseHandlerBuilder::make($data, $handler, $dto, $mode)``."""

    @staticmethod
    def make(
        wire: WireResponse,
        dto: type[R],
        mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY,
        *,
        method: str = "",
        path: str = "",
        handler: type[ResponseHandler] = ResponseHandler,
    ) -> RestResponse[Any]:
        """Parse one answer with ``handler`` into a response object of ``dto`` items."""
        if not (isinstance(dto, type) and issubclass(dto, AbstractResponse)):
            raise SDKException(f"{dto!r} is not a response DTO class (a subclass of AbstractResponse)")
        return handler(method, path, str).handle(wire, dto, EnumOutputMode(mode))
