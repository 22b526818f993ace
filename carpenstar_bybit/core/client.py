"""One client's call pipeline, written once for every way in: sync, asyncio, streams' REST helpers.

A call is a generator of *effects* (``Send`` a request, ``Sleep`` a while) that does no I/O itself::

    steps = context.steps(CancelOrder, request, EnumOutputMode.MODE_ENTITY)
    response = run(steps, transport, timeout)            # the sync driver below
    response = await arun(steps, async_transport, ...)   # the asyncio driver (core.async_client)

Everything with rules lives in the steps: validation and signing (``prepare``), the scheduled and the
10002 clock re-sync, the client-side rate limiter, parsing and the code -> exception table (the
handler), and the retry decision (``RetryPolicy.decide``) with its deadline. A driver only sends,
sleeps, and hands results (or transport failures) back in. Holds no global state: every
``BybitAPI`` owns one ``ClientContext``, and nothing in it changes per call apart from the clock
offset, so one client can be used from many threads (or tasks) at once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Generator
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from carpenstar_bybit.core.auth import Credentials
from carpenstar_bybit.core.clock import (
    V5_TIME_PATH,
    ClockState,
    ServerTimeParameters,
    TimeSync,
    TimeSyncResult,
    server_ms_of,
    time_endpoint,
    time_path_for,
)
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.enums import EnumHttpMethods, EnumOutputMode
from carpenstar_bybit.core.exceptions import (
    ApiException,
    BybitException,
    DuplicateOrderException,
    ResponseFormatException,
    SDKException,
    TimestampException,
    api_family,
)
from carpenstar_bybit.core.handler import ResponseHandler
from carpenstar_bybit.core.objects.collections import EntityCollection
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.redact import RedactingFilter
from carpenstar_bybit.core.retry import RetryPolicy
from carpenstar_bybit.core.timeutil import from_ms, now_ms, to_ms
from carpenstar_bybit.core.transport import Timeout, Transport, WireRequest, WireResponse

if TYPE_CHECKING:
    from carpenstar_bybit.core.bridge import Reshape
    from carpenstar_bybit.core.limiter import RateLimiter

__all__ = ["DEFAULT_RECV_WINDOW", "ClientContext", "Send", "Sleep", "Steps", "SyncRunner", "logger", "run"]

DEFAULT_RECV_WINDOW = 5000

logger = logging.getLogger("carpenstar_bybit")
logger.addFilter(RedactingFilter())

_JSON_HEADERS = {"Content-Type": "application/json"}

T = TypeVar("T")


class Send(NamedTuple):
    """Effect: send ``request``; the driver sends back the ``WireResponse``, or throws in the
    ``TransportException`` of a failure."""

    request: WireRequest


class Sleep(NamedTuple):
    """Effect: wait ``seconds`` (``time.sleep`` or ``await asyncio.sleep``), then resume."""

    seconds: float


#: A sans-I/O computation that needs the effects above and returns ``T``.
Steps = Generator["Send | Sleep", Any, T]


class ClientContext:
    """The settings and state of one client, and the steps every endpoint call goes through."""

    __slots__ = (
        "bridges_v3",
        "clock",
        "credentials",
        "limiter",
        "recv_window",
        "retry",
        "time_sync",
        "timeout",
        "v3_over_v5",
    )

    def __init__(
        self,
        credentials: Credentials | None,
        timeout: Timeout,
        recv_window: int = DEFAULT_RECV_WINDOW,
        *,
        retry: RetryPolicy | None = None,
        time_sync: TimeSync | None = None,
        limiter: RateLimiter | None = None,
        v3_over_v5: bool | None = None,
    ) -> None:
        if isinstance(recv_window, bool) or not isinstance(recv_window, int) or not 0 < recv_window <= 60_000:
            raise SDKException(f"recv_window must be an int of milliseconds in 1..60000, got {recv_window!r}")
        if time_sync is not None and not isinstance(time_sync, TimeSync):
            raise SDKException(f"time_sync must be True, False or a TimeSync, got {time_sync!r}")
        if retry is not None and not isinstance(retry, RetryPolicy):
            raise SDKException(f"retry must be a RetryPolicy, got {type(retry).__name__}")
        if limiter is not None and not (hasattr(limiter, "reserve") and hasattr(limiter, "observe")):
            raise SDKException(f"rate_limiter must be a RateLimiter, got {type(limiter).__name__}")
        self.credentials = credentials
        self.timeout = timeout
        self.recv_window = recv_window
        self.retry = retry if retry is not None else RetryPolicy()
        self.time_sync = time_sync
        self.limiter = limiter
        #: This client's clock offset (its own, whoever else shares its ``TimeSync`` settings).
        self.clock = ClockState()
        self.v3_over_v5: bool | None = None
        #: Whether the V3 endpoints go over V5 (``v3_over_v5`` decided against the host).
        self.bridges_v3 = False
        self.resolve_bridge(v3_over_v5)

    def resolve_bridge(self, v3_over_v5: bool | None) -> None:
        """Decide whether V3 endpoints are sent over V5 (see ``core.bridge``): ``True`` or ``False``
        as given, ``None`` on Bybit's own hosts only. Call again whenever the host changes."""
        if v3_over_v5 is not None and not isinstance(v3_over_v5, bool):
            raise SDKException(f"v3_over_v5 must be True, False or None, got {v3_over_v5!r}")
        self.v3_over_v5 = v3_over_v5
        credentials = self.credentials
        if v3_over_v5 is None:
            from carpenstar_bybit.core.hosts import is_bybit_host  # needed once a host is set

            v3_over_v5 = credentials is not None and is_bybit_host(credentials.host)
        self.bridges_v3 = v3_over_v5

    @property
    def clock_offset_ms(self) -> int:
        """Milliseconds to add to the local clock to get the exchange's (see time sync)."""
        return self.clock.offset_ms

    @clock_offset_ms.setter
    def clock_offset_ms(self, value: int) -> None:
        self.clock.offset_ms = value

    def require_credentials(self) -> Credentials:
        """The credentials; ``SDKException`` if no host was set."""
        credentials = self.credentials
        if credentials is None:
            raise SDKException("no host set: pass host to BybitAPI(...) or call set_credentials() first")
        return credentials

    def timestamp_ms(self) -> int:
        """The timestamp to sign with: the local clock corrected by the known offset."""
        return now_ms() + self.clock.offset_ms

    def prepare(
        self,
        endpoint: type[Endpoint[Any, Any]],
        parameters: AbstractParameters,
        deadline: float | None = None,
    ) -> WireRequest:
        """Validate and build the exact request to send, signed if the endpoint is private.

        Raises ``SDKException`` (nothing sent) on invalid parameters or missing credentials.
        """
        credentials = self.require_credentials()
        if endpoint.METHOD is EnumHttpMethods.POST:
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
        return WireRequest(endpoint.METHOD.value, url, headers, body, deadline)

    # ------------------------------------------------------------------------------ the steps

    def steps(
        self,
        endpoint: type[Endpoint[Any, Any]],
        parameters: AbstractParameters,
        mode: EnumOutputMode = EnumOutputMode.MODE_ENTITY,
    ) -> Steps[RestResponse[Any]]:
        """One endpoint call end to end, with the client's retry policy, clock and limiter.

        ``endpoint`` and ``parameters`` are already checked (``checked_request``).
        """
        credentials = self.require_credentials()
        reshape: Reshape | None = None
        if self.bridges_v3 and api_family(endpoint.URL) == "v3":
            from carpenstar_bybit.core.bridge import translate  # loaded by the first bridged call

            bridged = translate(endpoint, parameters)  # SDKException here: nothing was sent
            if bridged is not None:
                endpoint, parameters, reshape = bridged
        policy = self.retry
        deadline = time.monotonic() + policy.deadline
        private = endpoint.IS_PRIVATE
        sync = self.time_sync
        if private and sync is not None and self.clock.claim(sync.interval):
            yield from self._resync(sync.path or time_path_for(endpoint.URL), deadline)
        method, path = endpoint.METHOD.value, endpoint.URL
        handler = ResponseHandler(method, path, credentials.redactor)
        limiter = self.limiter if private else None
        limited = (limiter, credentials.key_id) if limiter is not None and credentials.key_id else None
        idempotent = endpoint.is_idempotent(parameters)
        debug = logger.isEnabledFor(logging.DEBUG)
        attempt = 0
        uncertain = resynced = False
        while True:
            attempt += 1
            if limited is not None:
                wait = limited[0].reserve(limited[1])
                if wait > 0:
                    yield Sleep(wait)
            request = self.prepare(endpoint, parameters, deadline)
            started = time.perf_counter()
            if debug:
                logger.debug("-> %s %s attempt=%d", method, path, attempt)
            status: int | None = None
            try:
                wire: WireResponse = yield Send(request)
                status = wire.status
                if limited is not None:
                    rate_limit = RateLimit.from_headers(wire.headers)
                    limited[0].observe(limited[1], rate_limit, from_ms(self.timestamp_ms()))
                response = handler.handle(wire, endpoint.RESPONSE, mode, endpoint.LIST_RESULT, reshape)
            except BybitException as exc:
                if debug:
                    code = exc.ret_code if isinstance(exc, ApiException) else type(exc).__name__
                    _log_answer(method, path, status, code, started, attempt)
                if isinstance(exc, TimestampException):
                    exc.hint = self._clock_report(exc)
                if uncertain and endpoint.READ_BACK and isinstance(exc, DuplicateOrderException):
                    # A resend after an unknown outcome refused as a duplicate: the first attempt
                    # took effect. What it made is read back and returned, not raised.
                    found = yield from self._read_back(endpoint, parameters, mode)
                    if found is not None:
                        logger.warning(
                            "%s %s: the resend was refused as a duplicate (%s): the first attempt had "
                            "taken effect; returning what it made, read back",
                            method,
                            path,
                            exc.ret_code,
                        )
                        return found
                decision = policy.decide(
                    exc, attempt, idempotent=idempotent, now=self._exchange_now(exc), resynced=resynced
                )
                if decision is None or time.monotonic() + decision.delay > deadline:
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
                    yield from self._resync((sync and sync.path) or time_path_for(endpoint.URL), deadline)
                if decision.delay > 0:
                    yield Sleep(decision.delay)
                continue
            if debug:
                _log_answer(method, path, status, 0, started, attempt)
            return response

    def _read_back(
        self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters, mode: EnumOutputMode
    ) -> Steps[RestResponse[Any] | None]:
        """Find what a call of ``endpoint`` made, by its idempotency key, through the endpoint's
        ``READ_BACK`` routes (e.g. open orders, then history); ``None`` if none has it."""
        key = endpoint.IDEMPOTENCY_KEY
        wanted = parameters.field(key) if key is not None else None
        if key is None or wanted is None:
            return None
        for reader in endpoint.READ_BACK:
            query = reader.REQUEST()
            for name in query.wire_names():
                if name not in ("cursor", "limit") and parameters.is_set(name):
                    query = query.with_field(name, parameters.field(name))
            listed = yield from self.steps(reader, query, EnumOutputMode.MODE_ARRAY)
            found = next((i for i in listed.get_body() if isinstance(i, dict) and i.get(key) == wanted), None)
            if found is None:
                continue
            shown = {f.key: found.get(f.key) for f in endpoint.RESPONSE._fields if isinstance(f.key, str)}
            body: list[Any]
            if mode is EnumOutputMode.MODE_ENTITY:
                body = [endpoint.RESPONSE(shown)]
            elif mode is EnumOutputMode.MODE_ARRAY:
                body = [shown]
            else:
                body = [json.dumps({"retCode": 0, "retMsg": "OK", "result": shown}, separators=(",", ":"))]
            answered = listed.get_time()
            return RestResponse(
                ret_code=0,
                ret_msg=listed.get_return_message(),
                ret_ext_info={},
                time=to_ms(answered) if answered is not None else None,
                next_page_cursor=None,
                body=EntityCollection(body),
                headers=listed.get_headers(),
                http_status=listed.get_http_status(),
                result=shown,
            )
        return None

    def sync_clock(self, path: str | None = None, deadline: float | None = None) -> Steps[TimeSyncResult]:
        """Measure the exchange's clock through its server-time route (``path``; default: the
        ``TimeSync`` path, else ``/v5/market/time``) and use the offset from now on.

        The request is an ordinary public call through the same handler; an answer without a
        plausible time raises ``ResponseFormatException`` and the old offset stays.
        """
        credentials = self.require_credentials()
        route = path or (self.time_sync and self.time_sync.path) or V5_TIME_PATH
        endpoint = time_endpoint(route)
        if deadline is None:
            deadline = time.monotonic() + self.retry.deadline
        request = self.prepare(endpoint, ServerTimeParameters(), deadline)
        before = now_ms()
        wire: WireResponse = yield Send(request)
        after = now_ms()
        handler = ResponseHandler(endpoint.METHOD.value, endpoint.URL, credentials.redactor)
        try:
            response = handler.handle(wire, endpoint.RESPONSE, EnumOutputMode.MODE_ENTITY, False)
        except ResponseFormatException as exc:
            raise ResponseFormatException(f"server time: {exc}") from None
        server = server_ms_of(response)
        local = (before + after) // 2
        result = TimeSyncResult(server, local, server - local, after - before)
        self.clock.record(result)
        return result

    def _resync(self, path: str, deadline: float) -> Steps[None]:
        """A clock sync inside a call: a failure is logged, and the old offset kept."""
        try:
            result = yield from self.sync_clock(path, deadline)
        except BybitException as exc:
            self.clock.release()
            logger.warning("server time sync failed, keeping offset %d ms: %s", self.clock.offset_ms, exc)
            return
        logger.debug("clock offset %d ms (round trip %d ms)", result.offset_ms, result.round_trip_ms)

    def _exchange_now(self, exc: BybitException) -> datetime:
        """The exchange's time when it answered: the envelope's ``time`` of an error answer, else the
        local clock corrected by the measured offset."""
        answered = exc.time if isinstance(exc, ApiException) else None
        return answered if answered is not None else from_ms(self.timestamp_ms())

    def _clock_report(self, exc: TimestampException) -> str:
        local = now_ms()
        server = f"{to_ms(exc.time)} ms" if exc.time is not None else "unknown"
        return (
            f"local time {local} ms, server time {server}, clock offset {self.clock.offset_ms} ms, "
            f"recv_window {self.recv_window} ms; enable time sync (BybitAPI(..., time_sync=True)) "
            "or widen recv_window"
        )

    def __repr__(self) -> str:
        return f"ClientContext({self.credentials!r}, recv_window={self.recv_window})"


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


def run(steps: Steps[T], transport: Transport, timeout: Timeout) -> T:
    """The sync driver: perform the effects of ``steps`` with ``transport`` and ``time.sleep``."""
    try:
        effect = next(steps)
        while True:
            if isinstance(effect, Send):
                try:
                    answer = transport.send(effect.request, timeout)
                except BybitException as exc:
                    effect = steps.throw(exc)
                    continue
                effect = steps.send(answer)
            else:
                time.sleep(effect.seconds)
                effect = steps.send(None)
    except StopIteration as done:
        result: T = done.value
        return result


class SyncRunner:
    """A context and a sync transport: what a ``BybitAPI`` (and its bound endpoints) call through."""

    __slots__ = ("context", "transport")

    def __init__(self, context: ClientContext, transport: Transport) -> None:
        self.context = context
        self.transport = transport

    def call(
        self, endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters, mode: EnumOutputMode
    ) -> RestResponse[Any]:
        """Run one checked endpoint call."""
        context = self.context
        return run(context.steps(endpoint, parameters, mode), self.transport, context.timeout)

    def __repr__(self) -> str:
        return f"SyncRunner({self.context!r})"
