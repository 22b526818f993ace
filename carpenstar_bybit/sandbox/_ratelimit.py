"""Bybit's per-route rate limits on private routes, with their ``X-Bapi-Limit*`` headers.

Each API key has one counter per route (and, where Bybit's table splits a route by category, per
category group: linear and inverse share one, spot and option have their own), each allowing its
limit per fixed window (one second by default) that starts with its first request. The headers of
an answer describe the route's counter: its limit, what is left of it, and when the window resets.
A request past the limit is refused with 10006 and does not count. A batch request consumes one per
order: when only part of it fits, the orders that fit are processed and the rest get 10006.

Limits come from Bybit's V5 rate-limit table (``ROUTE_LIMITS``); routes not in it (the V3 routes)
get ``DEFAULT_LIMIT``. ``SandboxExchange(rate_limit=N)`` puts every route at N instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_LIMIT", "ROUTE_LIMITS", "RateLimiter", "RateStatus"]

DEFAULT_LIMIT = 10


def _split(linear_inverse: int, option: int, spot: int) -> dict[str, int]:
    return {"linear": linear_inverse, "inverse": linear_inverse, "option": option, "spot": spot}


#: Requests per second per UID (Bybit's table, UTA 2.0 Pro): an int for the whole route, or a
#: limit per category.
ROUTE_LIMITS: Mapping[str, int | Mapping[str, int]] = {
    "/v5/order/create": _split(10, 10, 20),
    "/v5/order/amend": _split(10, 10, 10),
    "/v5/order/cancel": _split(10, 10, 20),
    "/v5/order/cancel-all": _split(10, 1, 20),
    "/v5/order/create-batch": _split(10, 10, 20),
    "/v5/order/amend-batch": _split(10, 10, 20),
    "/v5/order/cancel-batch": _split(10, 10, 20),
    "/v5/order/disconnected-cancel-all": 5,
    "/v5/order/realtime": 50,
    "/v5/order/history": 50,
    "/v5/execution/list": 50,
    "/v5/position/list": 50,
    "/v5/position/closed-pnl": 50,
    "/v5/position/set-leverage": 10,
    "/v5/position/switch-isolated": 10,
    "/v5/position/switch-mode": 10,
    "/v5/position/trading-stop": 10,
    "/v5/position/set-auto-add-margin": 10,
    "/v5/position/add-margin": 10,
    "/v5/account/wallet-balance": 50,
    "/v5/account/fee-rate": 5,
    "/v5/account/info": 50,
    "/v5/asset/coin/query-info": 5,
    "/v5/user/query-api": 10,
}
#: Categories that share one counter (Bybit's table gives linear and inverse one column).
_GROUP = {"inverse": "linear"}


@dataclass(frozen=True)
class RateStatus:
    """A counter after a request: ``granted`` of the request's cost fitted (``allowed``: any)."""

    limit: int
    remaining: int
    reset_ms: int
    granted: int

    @property
    def allowed(self) -> bool:
        """Whether the request (or at least its first order) was within the limit."""
        return self.granted > 0

    def headers(self) -> dict[str, str]:
        """The ``X-Bapi-Limit*`` response headers."""
        return {
            "X-Bapi-Limit": str(self.limit),
            "X-Bapi-Limit-Status": str(self.remaining),
            "X-Bapi-Limit-Reset-Timestamp": str(self.reset_ms),
        }


class RateLimiter:
    """Fixed-window request counters per API key and route (thread-safe).

    :param limit: requests per window for every route, or ``None`` for Bybit's table.
    :param window_ms: window length in milliseconds (Bybit: 1000).
    :param clock: milliseconds since the epoch.
    """

    def __init__(self, limit: int | None, window_ms: int, clock: Callable[[], int]) -> None:
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise ValueError(f"rate_limit must be a positive int of requests per window, got {limit!r}")
        if isinstance(window_ms, bool) or not isinstance(window_ms, int) or window_ms < 1:
            raise ValueError(f"rate_limit_window_ms must be a positive int, got {window_ms!r}")
        self.limit = limit
        self.window_ms = window_ms
        self._clock = clock
        self._lock = threading.Lock()
        # (key, route, category group) -> (window start, requests counted)
        self._windows: dict[tuple[str, str, str], tuple[int, int]] = {}

    def counter(self, path: str, category: str | None) -> tuple[str, int]:
        """The counter a request to ``path`` with ``category`` uses (its group name) and its limit."""
        spec = ROUTE_LIMITS.get(path)
        if isinstance(spec, Mapping):
            group = _GROUP.get(category or "", category or "")
            limit = spec.get(group) or spec.get(category or "") or DEFAULT_LIMIT
        else:
            group, limit = "", spec or DEFAULT_LIMIT
        return group, self.limit if self.limit is not None else limit

    def _current(self, counter: tuple[str, str, str], now: int) -> tuple[int, int]:
        start, used = self._windows.get(counter, (now, 0))
        if now >= start + self.window_ms:
            start, used = now, 0
        return start, used

    def hit(self, key: str, path: str = "", category: str | None = None, cost: int = 1) -> RateStatus:
        """Count a request of ``key`` to ``path`` costing ``cost`` (batch: its orders), as far as
        the limit allows."""
        group, limit = self.counter(path, category)
        counter = (key, path, group)
        now = self._clock()
        with self._lock:
            start, used = self._current(counter, now)
            granted = max(0, min(cost, limit - used))
            used += granted
            self._windows[counter] = (start, used)
        return RateStatus(limit, limit - used, start + self.window_ms, granted)

    def peek(self, key: str, path: str = "", category: str | None = None) -> RateStatus:
        """The status of a counter without counting a request."""
        group, limit = self.counter(path, category)
        now = self._clock()
        with self._lock:
            start, used = self._current((key, path, group), now)
        return RateStatus(limit, limit - used, start + self.window_ms, 1 if used < limit else 0)

    def reset(self) -> None:
        """Forget every window."""
        with self._lock:
            self._windows.clear()
