"""One client's call pipeline: validate, sign, send, parse. Holds no global state.

Every ``BybitAPI`` owns one ``ClientContext``: its credentials, transport (one keep-alive session),
timeouts, receive window and clock offset. Nothing in it changes per call, so one instance can be
used from many threads at once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.exceptions import ApiException, SDKException
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.redact import RedactingFilter
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.core.transport import Timeout, Transport, WireRequest, WireResponse

__all__ = ["DEFAULT_RECV_WINDOW", "ClientContext", "logger"]

DEFAULT_RECV_WINDOW = 5000

logger = logging.getLogger("carpenstar_bybit")
logger.addFilter(RedactingFilter())

_JSON_HEADERS = {"Content-Type": "application/json"}


class ClientContext:
    """The state of one client and the pipeline every endpoint call goes through."""

    __slots__ = ("clock_offset_ms", "credentials", "recv_window", "timeout", "transport")

    def __init__(
        self,
        credentials: Credentials | None,
        transport: Transport,
        timeout: Timeout,
        recv_window: int = DEFAULT_RECV_WINDOW,
    ) -> None:
        if isinstance(recv_window, bool) or not isinstance(recv_window, int) or not 0 < recv_window <= 60_000:
            raise SDKException(f"recv_window must be an int of milliseconds in 1..60000, got {recv_window!r}")
        self.credentials = credentials
        self.transport = transport
        self.timeout = timeout
        self.recv_window = recv_window
        #: Milliseconds to add to the local clock to get the exchange's (see time sync).
        self.clock_offset_ms = 0

    def timestamp_ms(self) -> int:
        """The timestamp to sign with: the local clock corrected by the known offset."""
        return now_ms() + self.clock_offset_ms

    def prepare(self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters) -> WireRequest:
        """Validate and build the exact request to send, signed if the endpoint is private.

        Raises ``SDKException`` (nothing sent) on invalid parameters or missing credentials.
        """
        credentials = self.credentials
        if credentials is None:
            raise SDKException("no host set: pass host to BybitAPI(...) or call set_credentials() first")
        is_post = endpoint.METHOD is EnumHttpMethods.POST
        if is_post:
            body: bytes | None = parameters.to_json_body()
            payload: str | bytes = body or b""
            url = credentials.host + endpoint.URL
            headers: dict[str, str] = dict(_JSON_HEADERS)
        else:
            body = None
            query = parameters.to_query_string()
            payload = query
            url = credentials.host + endpoint.URL + ("?" + query if query else "")
            headers = {}
        if endpoint.IS_PRIVATE:
            api_key = credentials.api_key
            signer = credentials.signer
            if api_key is None or signer is None:
                raise SDKException(
                    f"{endpoint.__name__} is a private endpoint: set an API key and secret first "
                    "(BybitAPI(host, api_key, secret) or set_credentials(host, api_key, secret))"
                )
            timestamp = self.timestamp_ms()
            headers["X-BAPI-API-KEY"] = api_key
            headers["X-BAPI-TIMESTAMP"] = str(timestamp)
            headers["X-BAPI-RECV-WINDOW"] = str(self.recv_window)
            headers["X-BAPI-SIGN-TYPE"] = "2"
            headers["X-BAPI-SIGN"] = signer.sign(api_key, payload, timestamp, self.recv_window)
        return WireRequest(endpoint.METHOD.value, url, headers, body)

    def send(self, request: WireRequest) -> WireResponse:
        """Send one prepared request through the transport."""
        return self.transport.send(request, self.timeout)

    def call(
        self,
        endpoint: type[Endpoint[Any, Any]],
        parameters: AbstractParameters,
        mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY,
    ) -> RestResponse[Any]:
        """Run one endpoint call end to end."""
        request = self.prepare(endpoint, parameters)
        method, path = request.method, endpoint.URL
        credentials = self.credentials
        assert credentials is not None
        handler = ResponseHandler(method, path, credentials.redactor)
        started = time.perf_counter()
        debug = logger.isEnabledFor(logging.DEBUG)
        if debug:
            logger.debug("-> %s %s attempt=1", method, path)
        wire = self.send(request)
        try:
            response = handler.handle(wire, endpoint.RESPONSE, EnumOutputMode(mode))
        except ApiException as exc:
            if debug:
                self._log_answer(method, path, wire.status, exc.ret_code, started)
            raise
        if debug:
            self._log_answer(method, path, wire.status, 0, started)
        return response

    @staticmethod
    def _log_answer(method: str, path: str, status: int, ret_code: int | None, started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug(
            "<- %s %s status=%d retCode=%s latency=%.1fms attempt=1", method, path, status, ret_code, elapsed
        )
