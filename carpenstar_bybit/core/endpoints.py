"""Endpoint bases (PHP ``Core\\Endpoints``): an endpoint is a declaration, generic in its DTOs.

::

    class CancelOrder(PrivateEndpoint[CancelOrderRequest, CancelOrderResponse]):
        URL = "/contract/v3/private/order/cancel"
        METHOD = EnumHttpMethods.POST
        REQUEST = CancelOrderRequest
        RESPONSE = CancelOrderResponse

Everything else (validation, signing, sending, parsing, error mapping) is the core's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar, overload

from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse

if TYPE_CHECKING:
    from carpenstar_bybit.core.client import ClientContext
    from carpenstar_bybit.core.objects.rest_response import RestResponse

__all__ = ["Endpoint", "PrivateEndpoint", "PublicEndpoint"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class Endpoint(Generic[Q, R]):
    """Base of every endpoint. Subclasses declare ``URL``, ``METHOD``, ``REQUEST`` and ``RESPONSE``."""

    URL: ClassVar[str]
    METHOD: ClassVar[EnumHttpMethods]
    IS_PRIVATE: ClassVar[bool]
    #: Whether sending the same request twice has the effect of sending it once (retry safety).
    #: GETs are; POSTs are not unless an endpoint says so (e.g. cancel by id).
    IDEMPOTENT: ClassVar[bool | None] = None
    #: A request field that makes a non-idempotent POST safe to repeat when set (the exchange
    #: rejects a second order with the same ``orderLinkId``), e.g. ``"orderLinkId"``.
    IDEMPOTENCY_KEY: ClassVar[str | None] = None
    REQUEST: type[Q]
    RESPONSE: type[R]

    __slots__ = ("_client", "_parameters")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("URL") is None:
            return  # an intermediate base, not a concrete endpoint
        if not cls.URL.startswith("/"):
            raise TypeError(f"{cls.__name__}.URL must start with '/', got {cls.URL!r}")
        if not isinstance(cls.METHOD, EnumHttpMethods):
            raise TypeError(f"{cls.__name__}.METHOD must be an EnumHttpMethods member")
        if not (isinstance(cls.REQUEST, type) and issubclass(cls.REQUEST, AbstractParameters)):
            raise TypeError(f"{cls.__name__}.REQUEST must be an AbstractParameters subclass")
        if not (isinstance(cls.RESPONSE, type) and issubclass(cls.RESPONSE, AbstractResponse)):
            raise TypeError(f"{cls.__name__}.RESPONSE must be an AbstractResponse subclass")
        if cls.IDEMPOTENT is None:
            cls.IDEMPOTENT = cls.METHOD is EnumHttpMethods.GET

    def __init__(self, client: ClientContext, parameters: Q | None = None) -> None:
        self._client = client
        self._parameters = self.bind_request_parameters(parameters)

    @classmethod
    def bind_request_parameters(cls, parameters: Q | None) -> Q:
        """Check that ``parameters`` is this endpoint's request class (PHP ``bindRequestParameters``);
        ``None`` means a fresh request with no fields set."""
        if getattr(cls, "URL", None) is None:
            raise SDKException(f"{cls.__name__} is not a concrete endpoint (it declares no URL)")
        if parameters is None:
            return cls.REQUEST()
        if not isinstance(parameters, cls.REQUEST):
            expected, got = cls.REQUEST, type(parameters)
            if expected.__name__ == got.__name__:  # e.g. a V3 request given to the V5 endpoint
                raise SDKException(
                    f"{cls.__name__} takes a {expected.__module__}.{expected.__name__}, "
                    f"got {got.__module__}.{got.__name__}"
                )
            raise SDKException(f"{cls.__name__} takes a {expected.__name__}, got {got.__name__}")
        return parameters

    @classmethod
    def is_idempotent(cls, parameters: AbstractParameters) -> bool:
        """Whether sending ``parameters`` twice has the effect of sending them once."""
        if cls.IDEMPOTENT:
            return True
        key = cls.IDEMPOTENCY_KEY
        return key is not None and parameters.is_set(key)

    @property
    def parameters(self) -> Q:
        """The bound request."""
        return self._parameters

    @overload
    def execute(self, mode: Literal[EnumOutputMode.MODE_ENTITY] = ...) -> RestResponse[R]: ...

    @overload
    def execute(self, mode: Literal[EnumOutputMode.MODE_ARRAY]) -> RestResponse[Any]: ...

    @overload
    def execute(self, mode: Literal[EnumOutputMode.MODE_JSON]) -> RestResponse[str]: ...

    @overload
    def execute(self, mode: EnumOutputMode) -> RestResponse[Any]: ...

    def execute(self, mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY) -> RestResponse[Any]:
        """Validate, sign, send and parse; raise on any ``retCode != 0``."""
        return self._client.call(type(self), self._parameters, mode)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._parameters!r})"


class PublicEndpoint(Endpoint[Q, R]):
    """An endpoint that needs no credentials."""

    IS_PRIVATE = False
    __slots__ = ()


class PrivateEndpoint(Endpoint[Q, R]):
    """An endpoint that is signed with the client's credentials."""

    IS_PRIVATE = True
    __slots__ = ()
