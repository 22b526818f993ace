"""The factories of PHP ``Core\\Builders``: one place that checks classes before anything is built.

``RestBuilder.make`` is how the facade turns an endpoint class and a request into a bound endpoint
(``private_endpoint()`` / ``public_endpoint()``); ``rest()`` and ``paginate()`` make the same one
check (``checked_request``) and call straight through. mypy infers the response DTO type from the
endpoint class and rejects a request of another endpoint's class.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from carpenstar_bybit.core.endpoints import Caller, Endpoint, bind, checked_request, output_mode
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.redact import Redactor

if TYPE_CHECKING:
    from carpenstar_bybit.core.objects.rest_response import RestResponse
    from carpenstar_bybit.core.transport import WireResponse

__all__ = ["ResponseDtoBuilder", "ResponseHandlerBuilder", "RestBuilder"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class RestBuilder:
    """PHP ``RestBuilder::make($className, $parameters)``, bound to one client.

    ``check`` is the one check every call makes (``rest()``, ``paginate()``, the bound endpoints
    of both clients): ``endpoint`` is a concrete endpoint class and ``parameters`` its request class.
    """

    check = staticmethod(checked_request)

    @staticmethod
    def make(endpoint: type[Endpoint[Q, R]], parameters: Q | None, client: Caller) -> Endpoint[Q, R]:
        """A bound endpoint; ``SDKException`` if ``endpoint`` is not an endpoint class or
        ``parameters`` is not its request class."""
        return bind(endpoint, client, checked_request(endpoint, parameters))


def _check_dto(dto: object) -> None:
    if not (isinstance(dto, type) and issubclass(dto, AbstractResponse)):
        raise SDKException(f"{dto!r} is not a response DTO class (a subclass of AbstractResponse)")


class ResponseDtoBuilder:
    """PHP ``ResponseDtoBuilder::make($className, $data)``."""

    @staticmethod
    def make(dto: type[R], data: Mapping[str, Any] | Sequence[Any]) -> R:
        """An instance of the response DTO ``dto`` read from one payload item."""
        _check_dto(dto)
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
        redact: Callable[[str], str] | None = None,
    ) -> RestResponse[Any]:
        """Parse one answer with ``handler`` into a response object of ``dto`` items.

        Text the exchange sent back (messages, body excerpts) goes through ``redact`` before it is
        shown: by default a ``Redactor`` that removes signatures and auth header values; pass your
        client's (``Credentials.redactor``) to remove its key and secret too.
        """
        _check_dto(dto)
        redactor = redact if redact is not None else Redactor()
        return handler(method, path, redactor).handle(wire, dto, output_mode(mode))
