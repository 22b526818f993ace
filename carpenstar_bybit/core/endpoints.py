"""Endpoint bases (PHP ``Core\\Endpoints``): an endpoint is a declaration, generic in its DTOs.

    class CancelOrder(PrivateEndpoint[CancelOrderRequest, CancelOrderResponse]):
        URL = "/contract/v3/private/order/cancel"
        METHOD = EnumHttpMethods.POST
        REQUEST = CancelOrderRequest
        RESPONSE = CancelOrderResponse

Everything else (validation, signing, sending, parsing, error mapping) is the core's. An instance is
an endpoint bound to a client and a request (PHP 5.x ``privateEndpoint(...)``): ``execute()`` runs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, Protocol, TypeVar, overload

from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse

if TYPE_CHECKING:
    from carpenstar_bybit.core.objects.rest_response import RestResponse

__all__ = [
    "Caller",
    "Endpoint",
    "PrivateEndpoint",
    "PublicEndpoint",
    "bind",
    "checked_request",
    "output_mode",
]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


class Caller(Protocol):
    """What a bound endpoint runs on: a client's ``call`` (the sync client's runner)."""

    def call(
        self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters, mode: EnumOutputMode
    ) -> RestResponse[Any]:
        """Run one call of ``endpoint`` with a checked request."""
        ...


class Endpoint(Generic[Q, R]):
    """Base of every endpoint. Subclasses declare ``URL``, ``METHOD``, ``REQUEST`` and ``RESPONSE``."""

    URL: ClassVar[str]
    """The route's path, e.g. ``"/v5/order/create"``."""
    METHOD: ClassVar[EnumHttpMethods]
    """``EnumHttpMethods.GET`` (parameters in the query string) or ``.POST`` (a JSON body)."""
    IS_PRIVATE: ClassVar[bool]
    """Whether calls are signed with the API key (set by ``PrivateEndpoint`` / ``PublicEndpoint``)."""
    IDEMPOTENT: ClassVar[bool | None] = None
    """Whether sending the same request twice has the effect of sending it once (retry safety).
    GETs are; POSTs are not unless an endpoint says so (e.g. cancel by id)."""
    IDEMPOTENCY_KEY: ClassVar[str | None] = None
    """A request field that makes a non-idempotent POST safe to repeat when set (the exchange
    rejects a second order with the same ``orderLinkId``), e.g. ``"orderLinkId"``."""
    READ_BACK: ClassVar[tuple[type[Endpoint[Any, Any]], ...]] = ()
    """Endpoints that find what this one made by its ``IDEMPOTENCY_KEY`` (open orders, then order
    history): when a resend after an unknown outcome is refused as a duplicate, the first attempt
    took effect, and the core reads it back instead of raising."""
    LIST_RESULT: ClassVar[bool | None] = None
    """Where the items are: ``True`` under ``result.list`` (a missing or ``null`` list is no items),
    ``False`` the ``result`` object itself, ``None`` (hand-written endpoints) ``result.list`` when
    the answer has one, else the result object."""
    REQUEST: type[Q]
    """The request class the factory accepts for this endpoint."""
    RESPONSE: type[R]
    """The response class each item of the answer is parsed into."""

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

    def __init__(self, client: Caller, parameters: Q | None = None) -> None:
        self._client = client
        self._parameters = checked_request(type(self), parameters)

    @classmethod
    def bind_request_parameters(cls, parameters: Q | None) -> Q:
        """Check that ``parameters`` is this endpoint's request class (PHP ``bindRequestParameters``);
        ``None`` means a fresh request with no fields set."""
        return checked_request(cls, parameters)

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
        return self._client.call(type(self), self._parameters, output_mode(mode))

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


def checked_request(endpoint: type[Endpoint[Q, R]], parameters: Q | None) -> Q:
    """The one check of a call: ``endpoint`` is a concrete endpoint class and ``parameters`` its
    request class (``None``: a fresh request with no fields set); ``SDKException`` otherwise."""
    if not (isinstance(endpoint, type) and issubclass(endpoint, Endpoint)):
        raise SDKException(f"{endpoint!r} is not an endpoint class (a subclass of Endpoint)")
    if getattr(endpoint, "URL", None) is None:
        raise SDKException(f"{endpoint.__name__} is not a concrete endpoint (it declares no URL)")
    expected = endpoint.REQUEST
    if parameters is None:
        return expected()
    if not isinstance(parameters, expected):
        got = type(parameters)
        if not isinstance(parameters, AbstractParameters):
            raise SDKException(f"request parameters must be a request DTO, got {got.__name__}")
        if expected.__name__ == got.__name__:  # e.g. a V3 request given to the V5 endpoint
            raise SDKException(
                f"{endpoint.__name__} takes a {expected.__module__}.{expected.__name__}, "
                f"got {got.__module__}.{got.__name__}"
            )
        raise SDKException(f"{endpoint.__name__} takes a {expected.__name__}, got {got.__name__}")
    return parameters


def output_mode(mode: object) -> EnumOutputMode:
    """``mode`` as an ``EnumOutputMode`` (the member or its int value); ``SDKException`` otherwise."""
    if isinstance(mode, EnumOutputMode):
        return mode
    try:
        return EnumOutputMode(mode)  # type: ignore[arg-type]  # any value: checked here
    except ValueError:
        raise SDKException(f"mode must be an EnumOutputMode, got {mode!r}") from None


def bind(endpoint: type[Endpoint[Q, R]], client: Caller, parameters: Q) -> Endpoint[Q, R]:
    """An instance of ``endpoint`` bound to ``client`` and an already checked request."""
    bound = object.__new__(endpoint)
    bound._client = client
    bound._parameters = parameters
    return bound
