"""Reading order and position state over REST after a private stream reconnects.

The exchange does not replay what it pushed while a connection was down. After a reconnect (once
every topic is subscribed again, so that nothing can fall between the two), a ``Reconciler`` reads,
per ``ReconcileScope``:

* every open order (``GET /v5/order/realtime``), and the orders that finished since the connection
  was lost (``openOnly=1``: Bybit keeps the most recent 500 finished orders per category; ``updatedTime``
  from ``since - lookback``), as one ``OrderSnapshotEvent``;
* every position (``GET /v5/position/list`` through ``carpenstar_bybit.v5.position.position_info``),
  as one ``PositionSnapshotEvent``; for ``spot`` there are no positions.

A stream given ``reconcile=Reconciler(api, ...)`` yields these right after each ``ReconnectedEvent``.
Live events keep arriving meanwhile and come after them: an order event may then be older than the
snapshot; compare ``Order.get_updated_time()`` and keep the newest.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.kinds import DATETIME
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.pagination import PageWalk
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.v5.stream._events import OrderSnapshotEvent, PositionSnapshotEvent, StreamEvent
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest

if TYPE_CHECKING:
    from carpenstar_bybit.async_bybit_api import AsyncBybitAPI
    from carpenstar_bybit.bybit_api import BybitAPI

__all__ = ["POSITION_MODULE", "ReconcileScope", "Reconciler"]

#: Where the position list endpoint lives (``GetPositionInfo``, ``GetPositionInfoRequest``).
POSITION_MODULE = "carpenstar_bybit.v5.position.position_info"
_CATEGORIES = ("linear", "inverse", "spot", "option")
#: Fields the REST lists name differently from the stream (the position list's ``avgPrice`` is the
#: stream's ``entryPrice``, "average entry price" in both docs).
_POSITION_NAMES = {"avgPrice": "entryPrice", "mmrSysUpdateTime": "mmrSysUpdatedTime"}


@dataclass(frozen=True)
class ReconcileScope:
    """What to read for one category: ``linear`` needs one of ``symbol``, ``base_coin`` or
    ``settle_coin`` (Bybit's rule for open orders and positions); the others may go without."""

    category: str
    symbol: str | None = None
    base_coin: str | None = None
    settle_coin: str | None = None

    def __post_init__(self) -> None:
        if self.category not in _CATEGORIES:
            raise SDKException(f"category must be one of {', '.join(_CATEGORIES)}, got {self.category!r}")
        if self.category == "linear" and not (self.symbol or self.base_coin or self.settle_coin):
            raise SDKException("a linear ReconcileScope needs symbol, base_coin or settle_coin")

    def fields(self) -> dict[str, str]:
        """The scope as request fields (Bybit names)."""
        named = {"symbol": self.symbol, "baseCoin": self.base_coin, "settleCoin": self.settle_coin}
        return {"category": self.category, **{k: v for k, v in named.items() if v}}


def _position_endpoint() -> tuple[Any, Any] | None:
    """``(GetPositionInfo, GetPositionInfoRequest)`` (the tests stand in for a build without them)."""
    from carpenstar_bybit.v5.position.position_info import GetPositionInfo, GetPositionInfoRequest

    return GetPositionInfo, GetPositionInfoRequest


@dataclass
class _Read:
    """One list to read page by page: an endpoint, its first request, and, for finished orders, the
    time from which they count."""

    endpoint: Any
    request: AbstractParameters
    after: datetime | None = None


@dataclass
class _Section:
    """What becomes one snapshot event: a scope, a topic, and the lists it is read from."""

    scope: ReconcileScope
    topic: str
    reads: list[_Read]


class Reconciler:
    """Reads open orders, recently finished orders and positions over REST as snapshot events.

    :param api: a ``BybitAPI`` (or, for asyncio streams, an ``AsyncBybitAPI``) with the same
        account's key; the stream never sees its secret.
    :param scopes: what to read (default: linear USDT contracts).
    :param orders: read orders.
    :param positions: read positions: ``None`` (default) when this SDK has the position endpoint,
        ``True`` to require it (``SDKException`` if absent), ``False`` not to.
    :param lookback: finished orders are read from this long before the connection was lost.
    :param max_pages: at most this many pages per list.
    """

    def __init__(
        self,
        api: BybitAPI | AsyncBybitAPI,
        scopes: Sequence[ReconcileScope] = (ReconcileScope("linear", settle_coin="USDT"),),
        *,
        orders: bool = True,
        positions: bool | None = None,
        lookback: timedelta = timedelta(seconds=5),
        max_pages: int = 20,
    ) -> None:
        scopes = tuple(scopes)
        if not scopes or not all(isinstance(s, ReconcileScope) for s in scopes):
            raise SDKException("scopes must be one or more ReconcileScope")
        if positions is True and _position_endpoint() is None:
            raise SDKException(f"reading positions needs {POSITION_MODULE}, which this version lacks")
        self._api = api
        self._scopes = scopes
        self._orders = orders
        self._positions = positions
        self._lookback = lookback
        self._max_pages = max_pages

    @property
    def is_async(self) -> bool:
        """Whether the client is an ``AsyncBybitAPI`` (then only ``asnapshot`` reads)."""
        return inspect.iscoroutinefunction(self._api.rest)

    def snapshot(self, since: datetime | None = None) -> list[StreamEvent]:
        """Read now: per scope an ``OrderSnapshotEvent`` (open orders, plus those finished since
        ``since - lookback`` when ``since`` is given) and a ``PositionSnapshotEvent``."""
        if self.is_async:
            raise SDKException("this Reconciler reads through an AsyncBybitAPI: await asnapshot()")
        api: Any = self._api
        reading = self._reading(since)
        try:
            endpoint, page = next(reading)
            while True:
                endpoint, page = reading.send(api.rest(endpoint, page, EnumOutputMode.MODE_ARRAY))
        except StopIteration as done:
            events: list[StreamEvent] = done.value
            return events

    async def asnapshot(self, since: datetime | None = None) -> list[StreamEvent]:
        """``snapshot`` for asyncio: through the ``AsyncBybitAPI``, or a ``BybitAPI`` in a worker thread."""
        if not self.is_async:
            return await asyncio.to_thread(self.snapshot, since)
        api: Any = self._api
        reading = self._reading(since)
        try:
            endpoint, page = next(reading)
            while True:
                endpoint, page = reading.send(await api.rest(endpoint, page, EnumOutputMode.MODE_ARRAY))
        except StopIteration as done:
            events: list[StreamEvent] = done.value
            return events

    def _reading(
        self, since: datetime | None
    ) -> Generator[tuple[Any, AbstractParameters], RestResponse[Any], list[StreamEvent]]:
        """The reads without I/O: yields ``(endpoint, request)`` of each page, is sent the answer,
        returns the events."""
        events = []
        for section in self._plan(since):
            lists = []
            for read in section.reads:
                walk = PageWalk(read.request, max_pages=self._max_pages)
                items: list[Any] = []
                while (page := walk.next_page()) is not None:
                    items += walk.items_of((yield read.endpoint, page))
                walk.check()
                lists.append(items)
            events.append(self._event(section, lists))
        return events

    def _plan(self, since: datetime | None) -> list[_Section]:
        """What to read, in order (no I/O)."""
        sections = []
        positions = None if self._positions is False else _position_endpoint()
        for scope in self._scopes:
            if self._orders:
                request = self._request(GetOpenOrdersRequest(), scope, 50)
                reads = [_Read(GetOpenOrders, request)]
                if since is not None:
                    reads.append(
                        _Read(GetOpenOrders, request.with_field("openOnly", 1), since - self._lookback)
                    )
                sections.append(_Section(scope, "order", reads))
            if positions is not None and scope.category != "spot":
                endpoint, request_class = positions
                sections.append(
                    _Section(scope, "position", [_Read(endpoint, self._request(request_class(), scope, 200))])
                )
        return sections

    @staticmethod
    def _request(request: AbstractParameters, scope: ReconcileScope, limit: int) -> AbstractParameters:
        for name, value in scope.fields().items():
            request = request.with_field(name, value)
        return request.with_field("limit", limit) if request.has_field("limit") else request

    @staticmethod
    def _event(section: _Section, lists: list[list[Any]]) -> StreamEvent:
        """The snapshot event of what was read (no I/O): orders by ID (an open one first), finished
        ones only when they changed after the read's ``after``."""
        found: dict[str, dict[str, Any]] = {}
        for read, items in zip(section.reads, lists, strict=True):
            for item in items:
                if not isinstance(item, dict):
                    continue
                if read.after is not None:
                    updated = DATETIME.parse(item.get("updatedTime"))
                    if updated is None or updated < read.after:
                        continue
                key = str(item.get("orderId")) if section.topic == "order" else str(len(found))
                found.setdefault(key, item)
        data = []
        for item in found.values():
            item = {**item, "category": item.get("category") or section.scope.category}  # REST items lack it
            if section.topic == "position":
                for rest_key, stream_key in _POSITION_NAMES.items():
                    if rest_key in item and stream_key not in item:
                        item[stream_key] = item[rest_key]
            data.append(item)
        message = {
            "id": "",
            "topic": section.topic,
            "creationTime": now_ms(),
            "category": section.scope.category,
            "data": data,
        }
        return OrderSnapshotEvent(message) if section.topic == "order" else PositionSnapshotEvent(message)

    def __repr__(self) -> str:
        return f"Reconciler(scopes={self._scopes!r}, orders={self._orders}, positions={self._positions})"
