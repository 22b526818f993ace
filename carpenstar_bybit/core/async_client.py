"""The asyncio driver of the call steps (``core.client``): the same steps, awaited.

Nothing here decides anything: validation, signing, clock sync, the limiter's bookkeeping, parsing
and the retry decision all run inside ``ClientContext.steps``. The driver sends with an
``AsyncTransport`` and waits with ``asyncio.sleep`` (a 10006 reset or a backoff never blocks the
event loop). A task cancelled mid-call stops there: the steps are closed, nothing is resent.
"""

from __future__ import annotations

import asyncio
from typing import Any, Generic, Literal, TypeVar, overload

from carpenstar_bybit.core.client import ClientContext, Send, Steps
from carpenstar_bybit.core.endpoints import Endpoint, output_mode
from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import BybitException
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.transport import AsyncTransport, Timeout

__all__ = ["AsyncEndpointCall", "AsyncRunner", "arun"]

T = TypeVar("T")
Q = TypeVar("Q", bound=AbstractParameters)
R = TypeVar("R", bound=AbstractResponse)


async def arun(steps: Steps[T], transport: AsyncTransport, timeout: Timeout) -> T:
    """The asyncio driver: perform the effects of ``steps`` with ``transport`` and ``asyncio.sleep``."""
    try:
        effect = next(steps)
        while True:
            if isinstance(effect, Send):
                try:
                    answer = await transport.send(effect.request, timeout)
                except BybitException as exc:
                    effect = steps.throw(exc)
                    continue
                effect = steps.send(answer)
            else:
                await asyncio.sleep(effect.seconds)
                effect = steps.send(None)
    except StopIteration as done:
        result: T = done.value
        return result
    finally:
        steps.close()  # after a cancellation: the call ends here, never resent


class AsyncRunner:
    """A context and an asyncio transport: what an ``AsyncBybitAPI`` calls through."""

    __slots__ = ("context", "transport")

    def __init__(self, context: ClientContext, transport: AsyncTransport) -> None:
        self.context = context
        self.transport = transport

    async def call(
        self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters, mode: EnumOutputMode
    ) -> RestResponse[Any]:
        """Run one checked endpoint call."""
        context = self.context
        return await arun(context.steps(endpoint, parameters, mode), self.transport, context.timeout)

    def __repr__(self) -> str:
        return f"AsyncRunner({self.context!r})"


class AsyncEndpointCall(Generic[Q, R]):
    """An endpoint bound to an asyncio client and a request (``AsyncBybitAPI.private_endpoint()``):
    ``await call.execute()`` runs it, as ``execute()`` does for the sync client."""

    __slots__ = ("_endpoint", "_parameters", "_runner")

    def __init__(self, runner: AsyncRunner, endpoint: type[Endpoint[Q, R]], parameters: Q) -> None:
        self._runner = runner
        self._endpoint = endpoint
        self._parameters = parameters

    @property
    def endpoint(self) -> type[Endpoint[Q, R]]:
        """The endpoint class."""
        return self._endpoint

    @property
    def parameters(self) -> Q:
        """The bound request."""
        return self._parameters

    @overload
    async def execute(self, mode: Literal[EnumOutputMode.MODE_ENTITY] = ...) -> RestResponse[R]: ...

    @overload
    async def execute(self, mode: Literal[EnumOutputMode.MODE_ARRAY]) -> RestResponse[Any]: ...

    @overload
    async def execute(self, mode: Literal[EnumOutputMode.MODE_JSON]) -> RestResponse[str]: ...

    @overload
    async def execute(self, mode: EnumOutputMode) -> RestResponse[Any]: ...

    async def execute(self, mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY) -> RestResponse[Any]:
        """Validate, sign, send and parse; raise on any ``retCode != 0``."""
        return await self._runner.call(self._endpoint, self._parameters, output_mode(mode))

    def __repr__(self) -> str:
        return f"{self._endpoint.__name__}({self._parameters!r})"
