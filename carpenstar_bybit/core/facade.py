"""What ``BybitAPI`` and ``AsyncBybitAPI`` share: their settings, credentials and the factories'
checks. The two facades differ only in how a call is run (``SyncRunner`` / ``AsyncRunner``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.client import ClientContext
from carpenstar_bybit.core.clock import TimeSync
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.redact import Secret
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.transport import Timeout

if TYPE_CHECKING:
    from typing_extensions import Self

    from carpenstar_bybit.core.limiter import RateLimiter

__all__ = ["ClientBase", "held"]

Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


def held(value: Any) -> Any:
    """``value`` held in a ``Secret`` if it is text (a PEM as bytes too); other values are left for
    the checks to refuse."""
    if isinstance(value, bytes) and value.isascii():
        value = value.decode("ascii")
    return Secret(value) if isinstance(value, str) else value


class ClientBase:
    """The settings, credentials and checks of a client; subclasses add how calls run."""

    _context: ClientContext

    @staticmethod
    def _make_context(
        host: str | None,
        api_key: Any,
        secret: Any,
        private_key: Any,
        *,
        recv_window: int,
        timeout: Timeout | float | tuple[float, float],
        retry: RetryPolicy | None,
        time_sync: bool | TimeSync,
        rate_limiter: RateLimiter | None,
        v3_over_v5: bool | None,
    ) -> ClientContext:
        if host is None and (api_key is not None or secret is not None or private_key is not None):
            raise SDKException("api_key and secret need a host: BybitAPI(host, api_key, secret)")
        credentials = (
            Credentials(host, api_key, secret, private_key=private_key) if host is not None else None
        )
        return ClientContext(
            credentials,
            Timeout.of(timeout),
            recv_window,
            retry=retry,
            time_sync=TimeSync() if time_sync is True else (time_sync or None),
            limiter=rate_limiter,
            v3_over_v5=v3_over_v5,
        )

    def set_credentials(
        self,
        host: str,
        api_key: str | None = None,
        secret: str | None = None,
        *,
        private_key: str | bytes | None = None,
        v3_over_v5: bool | None = None,
    ) -> Self:
        """Set host, key and secret (or RSA private key) of this client (5.x style, fluent).

        ``v3_over_v5`` as in the constructor: ``True`` sends the V3 endpoints over V5, ``False`` as
        V3; ``None`` keeps this client's setting (unless one was given: over V5 on Bybit's own hosts
        only), decided again for the new host.
        """
        api_key, secret, private_key = held(api_key), held(secret), held(private_key)
        context = self._context
        context.credentials = Credentials(host, api_key, secret, private_key=private_key)
        context.resolve_bridge(context.v3_over_v5 if v3_over_v5 is None else v3_over_v5)
        return self

    @property
    def bridges_v3(self) -> bool:
        """Whether this client sends the V3 endpoints of ``carpenstar_bybit.derivatives`` over their
        V5 routes (the ``v3_over_v5`` option, decided against the host; see ``core.bridge``)."""
        return self._context.bridges_v3

    @property
    def clock_offset_ms(self) -> int:
        """Milliseconds added to the local clock when signing (0 until a time sync)."""
        return self._context.clock_offset_ms

    @property
    def context(self) -> ClientContext:
        """The client's settings and state (credentials, timeouts, retry policy, clock offset)."""
        return self._context

    def _require_signing(self) -> None:
        """``private_endpoint()`` needs host, key and secret: ``SDKException`` at once otherwise."""
        credentials = self._context.credentials
        if credentials is None or not credentials.can_sign:
            raise SDKException(
                "private_endpoint() needs host, api_key and secret: call set_credentials() first"
            )

    def _require_host(self) -> None:
        """``public_endpoint()`` needs a host: ``SDKException`` at once otherwise."""
        if self._context.credentials is None:
            raise SDKException("public_endpoint() needs a host: call set_credentials(host) first")

    @staticmethod
    def _require_access(endpoint: type[Endpoint[Any, Any]], private: bool) -> None:
        """A checked endpoint class is of the access its factory serves."""
        if endpoint.IS_PRIVATE and not private:
            raise SDKException(f"{endpoint.__name__} is a private endpoint: use private_endpoint()")
        if private and not endpoint.IS_PRIVATE:
            raise SDKException(f"{endpoint.__name__} is a public endpoint: use public_endpoint()")

    def __repr__(self) -> str:
        context = getattr(self, "_context", None)  # None while __init__ has not finished
        if context is None:
            return f"{type(self).__name__}(<not initialised>)"
        return f"{type(self).__name__}({context.credentials!r}, recv_window={context.recv_window})"
