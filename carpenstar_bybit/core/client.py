"""One client's call pipeline: validate, sign, send, parse. Holds no global state.

Every ``BybitAPI`` owns one ``ClientContext``: its credentials, transport (one keep-alive session),
timeouts, receive window and clock offset. Nothing in it changes per call, so one instance can be
used from many threads at once.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.clock import TimeSync, time_path_for
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.exceptions import ApiException, BybitException, SDKException, TimestampException
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.limiter import RateLimiter
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.redact import RedactingFilter
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.timeutil import from_ms, now_ms, to_ms
from carpenstar_bybit.core.transport import Timeout, Transport, WireRequest, WireResponse

__all__ = ["DEFAULT_RECV_WINDOW", "ClientContext", "logger"]

DEFAULT_RECV_WINDOW = 5000

logger = logging.getLogger("carpenstar_bybit")
logger.addFilter(RedactingFilter())

_JSON_HEADERS = {"Content-Type": "application/json"}


class ClientContext:
    """The state of one client and the pipeline every endpoint call goes through."""

    __slots__ = (
        "clock_offset_ms",
        "credentials",
        "limiter",
        "recv_window",
        "retry",
        "time_sync",
        "timeout",
        "transport",
    )

    def __init__(
        self,
        credentials: Credentials | None,
        transport: Transport,
        timeout: Timeout,
        recv_window: int = DEFAULT_RECV_WINDOW,
        *,
        retry: RetryPolicy | None = None,
        time_sync: TimeSync | None = None,
        limiter: RateLimiter | None = None,
    ) -> None:
        if isinstance(recv_window, bool) or not isinstance(recv_window, int) or not 0 < recv_window <= 60_000:
            raise SDKException(f"recv_window must be an int of milliseconds in 1..60000, got {recv_window!r}")
        self.credentials = credentials
        self.transport = transport
        self.timeout = timeout
        self.recv_window = recv_window
        #: Milliseconds to add to the local clock to get the exchange's (see time sync).
        self.clock_offset_ms = 0
        self.retry = retry if retry is not None else RetryPolicy()
        self.time_sync = time_sync
        self.limiter = limiter

    def _require_credentials(self) -> Credentials:
        credentials = self.credentials
        if credentials is None:
            raise SDKException("no host set: pass host to BybitAPI(...) or call set_credentials() first")
        return credentials

    def timestamp_ms(self) -> int:
        """The timestamp to sign with: the local clock corrected by the known offset."""
        return now_ms() + self.clock_offset_ms

    def prepare(self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters) -> WireRequest:
        """Validate and build the exact request to send, signed if the endpoint is private.

        Raises ``SDKException`` (nothing sent) on invalid parameters or missing credentials.
        """
        credentials = self._require_credentials()
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
        """Run one endpoint call end to end, with the client's retry policy, clock and limiter."""
        credentials = self._require_credentials()
        sync = self.time_sync
        if sync is not None and endpoint.IS_PRIVATE and sync.due():
            self._sync_clock(sync)
        method, path = endpoint.METHOD.value, endpoint.URL
        handler = ResponseHandler(method, path, credentials.redactor)
        limiter = self.limiter if endpoint.IS_PRIVATE else None
        policy = self.retry
        debug = logger.isEnabledFor(logging.DEBUG)
        output_mode = EnumOutputMode(mode)
        first_started = time.monotonic()
        attempt = 0
        uncertain = resynced = False
        while True:
            attempt += 1
            request = self.prepare(endpoint, parameters)
            if limiter is not None and credentials.api_key is not None:
                limiter.acquire(credentials.api_key)
            started = time.perf_counter()
            if debug:
                logger.debug("-> %s %s attempt=%d", method, path, attempt)
            status: int | None = None
            try:
                wire = self.send(request)
                status = wire.status
                if limiter is not None and credentials.api_key is not None:
                    rate_limit = RateLimit.from_headers(wire.headers)
                    limiter.observe(credentials.api_key, rate_limit, from_ms(self.timestamp_ms()))
                response = handler.handle(wire, endpoint.RESPONSE, output_mode)
            except BybitException as exc:
                if debug:
                    code = exc.ret_code if isinstance(exc, ApiException) else type(exc).__name__
                    self._log_answer(method, path, status, code, started, attempt)
                if isinstance(exc, TimestampException):
                    exc.hint = self._clock_report(exc)
                decision = policy.decide(
                    exc,
                    attempt,
                    idempotent=endpoint.is_idempotent(parameters),
                    now=self._exchange_now(exc),
                    resynced=resynced,
                )
                if decision is None or time.monotonic() - first_started + decision.delay > policy.deadline:
                    if uncertain and isinstance(exc, ApiException):
                        exc.hint = (
                            "an earlier attempt of this request was sent but its outcome is unknown; "
                            "it may already have taken effect" + (f"; {exc.hint}" if exc.hint else "")
                        )
                    raise
                uncertain = uncertain or decision.uncertain
                logger.warning(
                    "retrying %s %s: %s (attempt %d of %d failed, next in %.3fs)",
                    method,
                    path,
                    decision.reason,
                    attempt,
                    policy.max_attempts,
                    decision.delay,
                )
                if decision.resync_clock:
                    resynced = True
                    self._sync_clock(sync or TimeSync(time_path_for(endpoint.URL), interval=None))
                if decision.delay > 0:
                    time.sleep(decision.delay)
                continue
            if debug:
                self._log_answer(method, path, status, 0, started, attempt)
            return response

    def _exchange_now(self, exc: BybitException) -> datetime:
        """The exchange's time when it answered: the envelope's ``time`` of an error answer, else the
        local clock corrected by the measured offset."""
        answered = exc.time if isinstance(exc, ApiException) else None
        return answered if answered is not None else from_ms(self.timestamp_ms())

    def _sync_clock(self, sync: TimeSync) -> None:
        try:
            result = sync.sync(self)
        except BybitException as exc:
            logger.warning("server time sync failed, keeping offset %d ms: %s", self.clock_offset_ms, exc)
            return
        logger.debug("clock offset %d ms (round trip %d ms)", result.offset_ms, result.round_trip_ms)

    def _clock_report(self, exc: TimestampException) -> str:
        local = now_ms()
        server = f"{to_ms(exc.time)} ms" if exc.time is not None else "unknown"
        return (
            f"local time {local} ms, server time {server}, clock offset {self.clock_offset_ms} ms, "
            f"recv_window {self.recv_window} ms; enable time sync (BybitAPI(..., time_sync=True)) "
            "or widen recv_window"
        )

    @staticmethod
    def _log_answer(
        method: str, path: str, status: int | None, ret_code: object, started: float, attempt: int
    ) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        logger.debug(
            "<- %s %s status=%s retCode=%s latency=%.1fms attempt=%d",
            method,
            path,
            status,
            ret_code,
            elapsed,
            attempt,
        )
