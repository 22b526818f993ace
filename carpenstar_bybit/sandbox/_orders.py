"""Order requests and listings shared by the V3 contract and the V5 order routes.

Both APIs use the same field names for an order; they differ in the category (V5 sends it, V3
derives it from the symbol), in the names of time-in-force values (V3 ``GoodTillCancel``, V5
``GTC``; both are accepted) and in how an order is shown (each route module renders its own).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from carpenstar_bybit.sandbox._errors import ExchangeError
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._params import Params
from carpenstar_bybit.sandbox._records import AmendSpec, OrderFilter, OrderSpec, SandboxOrder
from carpenstar_bybit.sandbox._router import Call

__all__ = [
    "ORDER_TYPES",
    "SIDES",
    "TRIGGER_BY",
    "V3_TIME_IN_FORCE",
    "order_filter",
    "order_ids",
    "order_page",
    "order_ref",
    "parse_amend",
    "parse_new_order",
]

SIDES = ("Buy", "Sell")
ORDER_TYPES = ("Limit", "Market")
TRIGGER_BY = ("LastPrice", "MarkPrice", "IndexPrice")
TPSL_MODES = ("Full", "Partial")
_TIME_IN_FORCE = {
    "GTC": "GTC",
    "GoodTillCancel": "GTC",
    "IOC": "IOC",
    "ImmediateOrCancel": "IOC",
    "FOK": "FOK",
    "FillOrKill": "FOK",
    "PostOnly": "PostOnly",
}
#: V5 time-in-force -> the V3 contract API's name of it.
V3_TIME_IN_FORCE = {
    "GTC": "GoodTillCancel",
    "IOC": "ImmediateOrCancel",
    "FOK": "FillOrKill",
    "PostOnly": "PostOnly",
}
_ORDER_FILTERS = {"Order": False, "StopOrder": True}


def parse_new_order(p: Params, category: str) -> OrderSpec:
    """A new order from the fields of a V3 or V5 create request."""
    order_type = p.text("orderType", required=True, choices=ORDER_TYPES)
    time_in_force = _TIME_IN_FORCE[p.text("timeInForce", choices=_TIME_IN_FORCE) or "GTC"]
    if order_type == "Market":
        time_in_force = "IOC"
    trigger_price = p.decimal("triggerPrice")
    return OrderSpec(
        category=category,
        symbol=p.text("symbol", required=True),
        side=p.text("side", required=True, choices=SIDES),
        order_type=order_type,
        qty=p.decimal("qty", required=True),
        price=p.decimal("price"),
        time_in_force=time_in_force,
        position_idx=p.integer("positionIdx", choices=(0, 1, 2)),
        order_link_id=p.text("orderLinkId") or "",
        reduce_only=bool(p.boolean("reduceOnly")),
        close_on_trigger=bool(p.boolean("closeOnTrigger")),
        trigger_price=trigger_price,
        trigger_direction=p.integer("triggerDirection", choices=(1, 2)) if trigger_price else None,
        trigger_by=p.text("triggerBy", choices=TRIGGER_BY) or "",
        take_profit=p.decimal("takeProfit", positive=False),
        stop_loss=p.decimal("stopLoss", positive=False),
        tp_trigger_by=p.text("tpTriggerBy", choices=TRIGGER_BY) or "",
        sl_trigger_by=p.text("slTriggerBy", choices=TRIGGER_BY) or "",
        tpsl_mode=p.text("tpslMode", choices=TPSL_MODES) or "",
        tp_limit_price=p.decimal("tpLimitPrice"),
        sl_limit_price=p.decimal("slLimitPrice"),
        market_unit=p.text("marketUnit", choices=("baseCoin", "quoteCoin")) or "",
    )


def parse_amend(p: Params) -> AmendSpec:
    """The changes of a V3 replace or V5 amend request."""
    return AmendSpec(
        qty=p.decimal("qty"),
        price=p.decimal("price"),
        trigger_price=p.decimal("triggerPrice"),
        take_profit=p.decimal("takeProfit", positive=False),
        stop_loss=p.decimal("stopLoss", positive=False),
        tp_trigger_by=p.text("tpTriggerBy", choices=TRIGGER_BY),
        sl_trigger_by=p.text("slTriggerBy", choices=TRIGGER_BY),
        trigger_by=p.text("triggerBy", choices=TRIGGER_BY),
        tp_limit_price=p.decimal("tpLimitPrice"),
        sl_limit_price=p.decimal("slLimitPrice"),
    )


def order_ref(p: Params) -> tuple[str, str | None, str | None]:
    """``symbol`` (required) and ``orderId`` / ``orderLinkId`` (one of them required)."""
    symbol = p.text("symbol", required=True)
    p.one_of("orderId", "orderLinkId")
    return symbol, p.text("orderId"), p.text("orderLinkId")


def order_filter(call: Call, categories: frozenset[str], **fixed: Any) -> OrderFilter:
    """The order filter of a list or cancel-all request (``symbol``, ``baseCoin``, ``settleCoin``,
    ``orderId``, ``orderLinkId``, ``orderFilter``), plus the ``fixed`` fields the route sets.
    A ``symbol`` that is not listed in ``categories`` is a 10001."""
    p = call.params
    symbol = p.text("symbol")
    if symbol is not None:
        call.state.instrument(symbol, categories)
    kind = p.text("orderFilter")
    if kind is not None and kind not in _ORDER_FILTERS:
        raise ExchangeError.params("orderFilter invalid (expected Order or StopOrder)")
    fields: dict[str, Any] = {
        "symbol": symbol,
        "base_coin": p.text("baseCoin"),
        "settle_coin": p.text("settleCoin"),
        "order_id": p.text("orderId"),
        "order_link_id": p.text("orderLinkId"),
        "conditional": _ORDER_FILTERS.get(kind) if kind is not None else None,
    }
    fields.update(fixed)
    return OrderFilter(categories, **fields)


def order_page(
    call: Call,
    flt: OrderFilter,
    render: Callable[[Call, SandboxOrder], dict[str, Any]],
    *,
    default_limit: int = 20,
    max_limit: int = 50,
) -> tuple[list[dict[str, Any]], str]:
    """One page of the caller's orders that pass ``flt``, rendered, and the next cursor."""
    limit = call.params.limit(default_limit, max_limit)
    orders = call.state.find_orders(call.account, flt)
    chunk, cursor = page(orders, lambda o: o.seq, limit, call.params.text("cursor"))
    return [render(call, order) for order in chunk], cursor


def order_ids(order: SandboxOrder) -> dict[str, Any]:
    """``{"orderId", "orderLinkId"}``: the result of create, amend and cancel."""
    return {"orderId": order.order_id, "orderLinkId": order.order_link_id}
