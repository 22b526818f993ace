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
import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.kinds import DATETIME
from carpenstar_bybit.core.objects.parameters import AbstractParameters
from carpenstar_bybit.core.objects.rest_response import RestResponse
from carpenstar_bybit.core.pagination import iterate_pages
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.v5.stream._events import OrderSnapshotEvent, PositionSnapshotEvent, StreamEvent
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest

if TYPE_CHECKING:
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
    """``(GetPositionInfo, GetPositionInfoRequest)`` when this SDK has them, else ``None``."""
    try:
        module = importlib.import_module(POSITION_MODULE)
    except ModuleNotFoundError:
        return None
    return module.GetPositionInfo, module.GetPositionInfoRequest


class Reconciler:
    """Reads open orders, recently finished orders and positions over REST as snapshot events.

    :param api: a ``BybitAPI`` with the same account's key (the stream never sees its secret).
    :param scopes: what to read (default: linear USDT contracts).
    :param orders: read orders.
    :param positions: read positions: ``None`` (default) when this SDK has the position endpoint,
        ``True`` to require it (``SDKException`` if absent), ``False`` not to.
    :param lookback: finished orders are read from this long before the connection was lost.
    :param max_pages: at most this many pages per list.
    """

    def __init__(
        self,
        api: BybitAPI,
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

    def snapshot(self, since: datetime | None = None) -> list[StreamEvent]:
        """Read now: per scope an ``OrderSnapshotEvent`` (open orders, plus those finished since
        ``since - lookback`` when ``since`` is given) and a ``PositionSnapshotEvent``."""
        events: list[StreamEvent] = []
        positions = None if self._positions is False else _position_endpoint()
        for scope in self._scopes:
            if self._orders:
                events.append(self._order_snapshot(scope, since))
            if positions is not None and scope.category != "spot":
                events.append(self._position_snapshot(scope, *positions))
        return events

    async def asnapshot(self, since: datetime | None = None) -> list[StreamEvent]:
        """``snapshot`` in a worker thread, for asyncio code."""
        return await asyncio.to_thread(self.snapshot, since)

    def _items(self, endpoint: Any, request: AbstractParameters) -> Iterator[dict[str, Any]]:
        def fetch(page: AbstractParameters) -> RestResponse[Any]:
            return self._api.rest(endpoint, page, EnumOutputMode.MODE_ARRAY)

        for item in iterate_pages(fetch, request, max_pages=self._max_pages):
            if isinstance(item, dict):
                yield item

    def _request(self, request: AbstractParameters, scope: ReconcileScope, limit: int) -> AbstractParameters:
        for name, value in scope.fields().items():
            request = request.with_field(name, value)
        return request.with_field("limit", limit) if request.has_field("limit") else request

    def _order_snapshot(self, scope: ReconcileScope, since: datetime | None) -> OrderSnapshotEvent:
        request = self._request(GetOpenOrdersRequest(), scope, 50)
        found: dict[str, dict[str, Any]] = {}
        for item in self._items(GetOpenOrders, request):
            found.setdefault(str(item.get("orderId")), item)
        if since is not None:
            after = since - self._lookback
            for item in self._items(GetOpenOrders, request.with_field("openOnly", 1)):
                updated = DATETIME.parse(item.get("updatedTime"))
                if updated is not None and updated >= after:
                    found.setdefault(str(item.get("orderId")), item)
        return OrderSnapshotEvent(self._message("order", scope, list(found.values())))

    def _position_snapshot(
        self, scope: ReconcileScope, endpoint: Any, request_class: Any
    ) -> PositionSnapshotEvent:
        request = self._request(request_class(), scope, 200)
        items = list(self._items(endpoint, request))
        return PositionSnapshotEvent(self._message("position", scope, items, _POSITION_NAMES))

    @staticmethod
    def _message(
        topic: str, scope: ReconcileScope, items: list[dict[str, Any]], renamed: dict[str, str] | None = None
    ) -> dict[str, Any]:
        data = []
        for item in items:
            item = {**item, "category": item.get("category") or scope.category}  # REST items lack it
            for rest_key, stream_key in (renamed or {}).items():
                if rest_key in item and stream_key not in item:
                    item[stream_key] = item[rest_key]
            data.append(item)
        return {"id": "", "topic": topic, "creationTime": now_ms(), "category": scope.category, "data": data}

    def __repr__(self) -> str:
        return f"Reconciler(scopes={self._scopes!r}, orders={self._orders}, positions={self._positions})"
