"""Route declarations: each handler module fills a ``Router``; the app looks routes up by method
and path.

A handler takes a ``Call`` (the parsed parameters, the exchange state, the caller's account) and
returns the ``result`` object of the envelope (or an ``Answer`` when it also has ``retExtInfo``).
It raises ``ExchangeError`` for anything the exchange refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from carpenstar_bybit.sandbox._errors import Family
from carpenstar_bybit.sandbox._ledger import Account
from carpenstar_bybit.sandbox._params import Params
from carpenstar_bybit.sandbox._state import ExchangeState

__all__ = ["Answer", "Call", "Handler", "Route", "Router", "route_table"]


@dataclass(frozen=True)
class Answer:
    """A handler's result with ``retExtInfo``."""

    result: dict[str, Any]
    ext_info: dict[str, Any] | None = None
    message: str = "OK"


@dataclass(frozen=True)
class Call:
    """What a handler gets: one request, authenticated if the route is private."""

    params: Params
    state: ExchangeState
    family: Family
    server_ms: int
    api_key: str | None = None
    #: Batch routes: how many of the request's orders the rate limit let through (the rest: 10006).
    granted: int = 1

    @property
    def account(self) -> Account:
        """The caller's account (private routes only)."""
        if self.api_key is None:  # pragma: no cover - the app authenticates private routes first
            raise RuntimeError("a public route has no account")
        return self.state.account(self.api_key)


Handler = Callable[[Call], "dict[str, Any] | Answer"]


@dataclass(frozen=True)
class Route:
    """One route of the sandbox."""

    method: str
    path: str
    family: Family
    private: bool
    handler: Handler
    #: A batch route: its rate-limit cost is the number of orders in ``request``.
    batch: bool = False


class Router:
    """The routes of one API family, declared with ``@router.get(path)`` / ``@router.post(path)``."""

    def __init__(self, family: Family, *, private: bool) -> None:
        self.family = family
        self.private = private
        self.routes: list[Route] = []

    def _add(
        self, method: str, path: str, private: bool | None, batch: bool = False
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            is_private = self.private if private is None else private
            self.routes.append(Route(method, path, self.family, is_private, handler, batch))
            return handler

        return register

    def get(self, path: str, *, private: bool | None = None) -> Callable[[Handler], Handler]:
        """Declare a GET route (private by the router's default unless told)."""
        return self._add("GET", path, private)

    def post(
        self, path: str, *, private: bool | None = None, batch: bool = False
    ) -> Callable[[Handler], Handler]:
        """Declare a POST route (``batch``: its rate-limit cost is its number of orders)."""
        return self._add("POST", path, private, batch)


def route_table(routers: Iterable[Router]) -> dict[tuple[str, str], Route]:
    """Every route by ``(method, path)``; ``ValueError`` on a duplicate."""
    table: dict[tuple[str, str], Route] = {}
    for router in routers:
        for route in router.routes:
            key = (route.method, route.path)
            if key in table:
                raise ValueError(f"route declared twice: {route.method} {route.path}")
            table[key] = route
    return table
