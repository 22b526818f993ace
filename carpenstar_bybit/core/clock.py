"""Keeping the signing clock close to the exchange's: server-time sync, halving the round trip.

Bybit accepts a signed request only if ``server_time - recv_window <= timestamp < server_time + 1000``;
a local clock that runs a second ahead is refused (10002). ``TimeSync`` measures the offset with
``GET /v3/public/time`` (or ``/v5/market/time``), re-measures on a schedule, and the client
re-syncs at once after a 10002.
"""

from __future__ import annotations

import json
import threading
import time
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.core.transport import WireRequest

if TYPE_CHECKING:
    from carpenstar_bybit.core.client import ClientContext

__all__ = ["TimeSync", "TimeSyncResult", "time_path_for"]

V3_TIME_PATH = "/v3/public/time"
V5_TIME_PATH = "/v5/market/time"


def time_path_for(url: str) -> str:
    """The server-time route of the API family of an endpoint path (V5 routes use V5's)."""
    return V5_TIME_PATH if url.startswith("/v5/") else V3_TIME_PATH


class TimeSyncResult(NamedTuple):
    """One measurement: the exchange's time, the local midpoint of the round trip, and the offset."""

    server_ms: int
    local_ms: int
    offset_ms: int
    round_trip_ms: int


def server_ms_of(body: bytes) -> int:
    """Exchange time in ms from a server-time answer (``timeNano``, else ``timeSecond``, else ``time``)."""
    try:
        envelope: Any = json.loads(body, parse_float=Decimal)
    except ValueError:
        raise ResponseFormatException("server time: the answer is not JSON") from None
    if not isinstance(envelope, dict):
        raise ResponseFormatException("server time: the answer is not a JSON object")
    raw_result = envelope.get("result")
    result: dict[str, Any] = raw_result if isinstance(raw_result, dict) else {}
    try:
        if result.get("timeNano"):
            return int(result["timeNano"]) // 1_000_000
        if result.get("timeSecond"):
            return int(result["timeSecond"]) * 1000
        if envelope.get("time"):
            return int(envelope["time"])
    except (TypeError, ValueError):
        pass
    raise ResponseFormatException(f"server time: no usable time in {str(envelope)[:200]!r}")


class TimeSync:
    """Server-time sync settings and state of one client.

    :param path: ``"/v3/public/time"`` (default) or ``"/v5/market/time"``.
    :param interval: seconds between scheduled re-syncs (``None``: only at start and after 10002).
    """

    def __init__(self, path: str = V3_TIME_PATH, interval: float | None = 300.0) -> None:
        if path not in (V3_TIME_PATH, V5_TIME_PATH):
            raise SDKException(f"time sync path must be {V3_TIME_PATH!r} or {V5_TIME_PATH!r}, got {path!r}")
        if interval is not None and (isinstance(interval, bool) or not interval > 0):
            raise SDKException(f"interval must be a positive number of seconds or None, got {interval!r}")
        self.path = path
        self.interval = interval
        self.last: TimeSyncResult | None = None
        self._synced_at: float | None = None
        self._lock = threading.Lock()

    def due(self) -> bool:
        """Whether a sync is needed now (never synced, or the interval has passed)."""
        synced_at = self._synced_at
        if synced_at is None:
            return True
        return self.interval is not None and time.monotonic() - synced_at >= self.interval

    def sync(self, context: ClientContext) -> TimeSyncResult:
        """Measure the offset through ``context``'s transport and store it on the context."""
        credentials = context.credentials
        if credentials is None:
            raise SDKException("time sync needs a host")
        with self._lock:
            request = WireRequest("GET", credentials.host + self.path, {}, None)
            before = now_ms()
            wire = context.transport.send(request, context.timeout)
            after = now_ms()
            if wire.status != 200:
                raise ResponseFormatException(f"server time: HTTP {wire.status}", http_status=wire.status)
            server = server_ms_of(wire.body)
            local = (before + after) // 2
            result = TimeSyncResult(server, local, server - local, after - before)
            context.clock_offset_ms = result.offset_ms
            self.last = result
            self._synced_at = time.monotonic()
            return result

    def __repr__(self) -> str:
        offset = self.last.offset_ms if self.last else None
        return f"TimeSync(path={self.path!r}, interval={self.interval!r}, offset_ms={offset!r})"
