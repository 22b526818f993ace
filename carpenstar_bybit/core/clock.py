"""Keeping the signing clock close to the exchange's: server-time sync, halving the round trip.

Bybit accepts a signed request only if ``server_time - recv_window <= timestamp < server_time + 1000``;
a local clock that runs a second ahead is refused (10002). ``TimeSync`` (immutable settings) asks a
client to measure the offset before its first private call and on a schedule; every client re-syncs
at once after a 10002. The offset itself is the client's own state (``ClockState``), so one
``TimeSync`` may configure any number of clients.

The measurement is an ordinary public call (``GET /v5/market/time`` or ``GET /v3/public/time``)
through the client's pipeline: the same handler, transport and deadline as every other call. An
answer whose time is not a plausible epoch (``timeNano: Infinity``, ``time: true``, a year 2300)
is refused and the old offset kept.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from carpenstar_bybit.core.endpoints import PublicEndpoint
from carpenstar_bybit.core.enums import EnumHttpMethods
from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.kinds import INT
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.responses import AbstractResponse, ResponseField
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.timeutil import seconds, to_ms

__all__ = [
    "V3_TIME_PATH",
    "V5_TIME_PATH",
    "ClockState",
    "ServerTimeParameters",
    "ServerTimeResult",
    "TimeSync",
    "TimeSyncResult",
    "server_ms_of",
    "time_endpoint",
    "time_path_for",
]

V3_TIME_PATH = "/v3/public/time"
V5_TIME_PATH = "/v5/market/time"
#: The plausible range of the exchange's clock, in epoch ms (2015-01-01 .. 2100-01-01).
_PLAUSIBLE_MS = (1_420_070_400_000, 4_102_444_800_000)


def time_path_for(url: str) -> str:
    """The server-time route of the API family of an endpoint path (V5 routes use V5's)."""
    return V3_TIME_PATH if url.startswith(("/contract/", "/derivatives/", "/v3/")) else V5_TIME_PATH


class _TimeSyncFields(NamedTuple):
    path: str | None
    interval: float | None


class TimeSync(_TimeSyncFields):
    """Server-time sync settings (immutable; share them between clients freely).

    :param path: ``"/v5/market/time"``, ``"/v3/public/time"``, or ``None`` (default): the route of the
        API family of the call that needs the sync.
    :param interval: seconds between scheduled re-syncs (``None``: only before the first private call
        and after a 10002).
    """

    __slots__ = ()

    def __new__(cls, path: str | None = None, interval: float | None = 300.0) -> TimeSync:
        if path not in (None, V3_TIME_PATH, V5_TIME_PATH):
            raise SDKException(f"time sync path must be {V3_TIME_PATH!r} or {V5_TIME_PATH!r}, got {path!r}")
        if interval is not None:
            interval = seconds("interval", interval)
        return super().__new__(cls, path, interval)


class TimeSyncResult(NamedTuple):
    """One measurement: the exchange's time, the local midpoint of the round trip, and the offset."""

    server_ms: int
    local_ms: int
    offset_ms: int
    round_trip_ms: int


class ClockState:
    """One client's clock offset, and when it was last measured (thread- and task-safe)."""

    __slots__ = ("_lock", "_synced_at", "last", "offset_ms")

    def __init__(self) -> None:
        #: Milliseconds to add to the local clock to get the exchange's.
        self.offset_ms = 0
        #: The last successful measurement.
        self.last: TimeSyncResult | None = None
        self._synced_at: float | None = None
        self._lock = threading.Lock()

    def claim(self, interval: float | None) -> bool:
        """Whether a scheduled sync is due (never synced, or ``interval`` passed); if so, the caller
        does it and others carry on with the current offset meanwhile."""
        with self._lock:
            now = time.monotonic()
            synced_at = self._synced_at
            if synced_at is not None and (interval is None or now - synced_at < interval):
                return False
            self._synced_at = now
            return True

    def release(self) -> None:
        """Give a claim back after a failed sync, so the next private call tries again."""
        with self._lock:
            if self.last is None:
                self._synced_at = None

    def record(self, result: TimeSyncResult) -> None:
        """Use a new measurement from now on."""
        with self._lock:
            self.offset_ms = result.offset_ms
            self.last = result
            self._synced_at = time.monotonic()

    def __repr__(self) -> str:
        return f"ClockState(offset_ms={self.offset_ms})"


class ServerTimeParameters(AbstractParameters):
    """The server-time routes take no parameters."""

    __slots__ = ()


class ServerTimeResult(AbstractResponse):
    """``timeSecond`` and ``timeNano`` of a server-time answer (integers, bounded)."""

    __slots__ = ("_time_nano", "_time_second")
    _fields = (
        ResponseField("timeSecond", "_time_second", INT),
        ResponseField("timeNano", "_time_nano", INT),
    )
    _time_second: int | None
    _time_nano: int | None


class _V5ServerTime(PublicEndpoint[ServerTimeParameters, ServerTimeResult]):
    URL = V5_TIME_PATH
    METHOD = EnumHttpMethods.GET
    LIST_RESULT = False
    REQUEST = ServerTimeParameters
    RESPONSE = ServerTimeResult


class _V3ServerTime(_V5ServerTime):
    URL = V3_TIME_PATH


def time_endpoint(path: str) -> type[PublicEndpoint[ServerTimeParameters, ServerTimeResult]]:
    """The endpoint class of a server-time route."""
    return _V3ServerTime if path == V3_TIME_PATH else _V5ServerTime


def server_ms_of(response: RestResponse[ServerTimeResult]) -> int:
    """The exchange's time in ms from a server-time answer (``timeNano``, else ``timeSecond``, else
    the envelope's ``time``); ``ResponseFormatException`` unless it is a plausible epoch."""
    item = response.get_result()
    ms: int | None = None
    if item is not None and item._time_nano:
        ms = item._time_nano // 1_000_000
    elif item is not None and item._time_second:
        ms = item._time_second * 1000
    else:
        answered = response.get_time()
        ms = to_ms(answered) if answered is not None else None
    low, high = _PLAUSIBLE_MS
    if ms is None or not low <= ms <= high:
        raise ResponseFormatException(f"server time: no plausible time in the answer (got {ms!r} ms)")
    return ms
