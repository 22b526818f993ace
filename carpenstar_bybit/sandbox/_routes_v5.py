"""The V5 order routes (``/v5/order/...``) and ``/v5/market/time``, over the same orders as V3.

Every order route takes ``category`` (linear, inverse, spot, option) and sees only that category's
orders; business errors use the V5 codes (110001 for an order that is unknown, filled or cancelled).
"""

from __future__ import annotations

from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._orders import (
    order_filter,
    order_ids,
    order_page,
    order_ref,
    parse_amend,
    parse_new_order,
)
from carpenstar_bybit.sandbox._records import ZERO, SandboxOrder
from carpenstar_bybit.sandbox._router import Call, Router
from carpenstar_bybit.sandbox._routes_market import server_time

__all__ = ["router"]

router = Router(Family.V5, private=True)
CATEGORIES = ("linear", "inverse", "spot", "option")
_STATUSES = (
    "New",
    "PartiallyFilled",
    "Untriggered",
    "Rejected",
    "PartiallyFilledCanceled",
    "Filled",
    "Cancelled",
    "Triggered",
    "Deactivated",
)
_SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000


def _category(call: Call) -> str:
    return call.params.text("category", required=True, choices=CATEGORIES)


def _needs_scope(call: Call, category: str, categories: tuple[str, ...]) -> None:
    """linear (and inverse, where Bybit says so) need one of symbol / baseCoin / settleCoin."""
    if category in categories:
        call.params.one_of("symbol", "baseCoin", "settleCoin")


def render_order(call: Call, order: SandboxOrder) -> dict[str, Any]:
    """An order in the V5 shape."""
    instrument = call.state.instrument(order.symbol)
    leaves = order.leaves_qty
    return {
        "orderId": order.order_id,
        "orderLinkId": order.order_link_id,
        "blockTradeId": "",
        "symbol": order.symbol,
        "price": fmt(order.price),
        "qty": fmt(order.qty),
        "side": order.side,
        "isLeverage": "0" if order.category == "spot" else "",
        "positionIdx": order.position_idx,
        "orderStatus": order.status,
        "createType": "CreateByUser",
        "cancelType": order.cancel_type,
        "rejectReason": order.reject_reason,
        "avgPrice": fmt(order.avg_price) if order.cum_exec_qty else ("" if order.category == "spot" else "0"),
        "leavesQty": fmt(leaves),
        "leavesValue": fmt(instrument.value(leaves, order.price) if order.price else ZERO),
        "cumExecQty": fmt(order.cum_exec_qty),
        "cumExecValue": fmt(order.cum_exec_value),
        "cumExecFee": fmt(order.cum_exec_fee),
        "timeInForce": order.time_in_force,
        "orderType": order.order_type,
        "stopOrderType": "Stop" if order.is_conditional else "",
        "orderIv": "",
        "marketUnit": "",
        "triggerPrice": fmt(order.trigger_price),
        "takeProfit": fmt(order.take_profit),
        "stopLoss": fmt(order.stop_loss),
        "tpslMode": order.tpsl_mode,
        "ocoTriggerBy": "",
        "tpLimitPrice": fmt(order.tp_limit_price, empty=""),
        "slLimitPrice": fmt(order.sl_limit_price, empty=""),
        "tpTriggerBy": order.tp_trigger_by,
        "slTriggerBy": order.sl_trigger_by,
        "triggerDirection": order.trigger_direction,
        "triggerBy": order.trigger_by,
        "lastPriceOnCreated": fmt(order.last_price_on_created),
        "reduceOnly": order.reduce_only,
        "closeOnTrigger": order.close_on_trigger,
        "placeType": "",
        "smpType": "None",
        "smpGroup": 0,
        "smpOrderId": "",
        "createdTime": str(order.created_ms),
        "updatedTime": str(order.updated_ms),
    }


@router.post("/v5/order/create")
def create_order(call: Call) -> dict[str, Any]:
    """Place an order."""
    category = _category(call)
    return order_ids(call.state.place(call.account, parse_new_order(call.params, category)))


@router.post("/v5/order/amend")
def amend_order(call: Call) -> dict[str, Any]:
    """Amend an open order (110001 if it is unknown or finished)."""
    category = _category(call)
    symbol, order_id, link_id = order_ref(call.params)
    spec = parse_amend(call.params)
    return order_ids(call.state.amend(call.account, frozenset({category}), symbol, order_id, link_id, spec))


@router.post("/v5/order/cancel")
def cancel_order(call: Call) -> dict[str, Any]:
    """Cancel one open order (110001 if it is unknown or finished)."""
    category = _category(call)
    symbol, order_id, link_id = order_ref(call.params)
    return order_ids(call.state.cancel(call.account, frozenset({category}), symbol, order_id, link_id))


@router.post("/v5/order/cancel-all")
def cancel_all_orders(call: Call) -> dict[str, Any]:
    """Cancel every open order of a category (linear and inverse: of a symbol, base or settle coin)."""
    category = _category(call)
    _needs_scope(call, category, ("linear", "inverse"))
    call.params.text("stopOrderType")
    cancelled = call.state.cancel_all(call.account, order_filter(call, frozenset({category})))
    return {"list": [order_ids(o) for o in cancelled], "success": "1"}


@router.get("/v5/order/realtime")
def open_orders(call: Call) -> dict[str, Any]:
    """Open orders (``openOnly=0``, the default) or recently finished ones (``openOnly=1``)."""
    category = _category(call)
    _needs_scope(call, category, ("linear",))
    open_only = call.params.integer("openOnly", choices=(0, 1, 2))
    flt = order_filter(call, frozenset({category}), active=not open_only)
    items, cursor = order_page(call, flt, render_order)
    return {"category": category, "list": items, "nextPageCursor": cursor}


@router.get("/v5/order/history")
def order_history(call: Call) -> dict[str, Any]:
    """Every order of a category, newest first; ``orderStatus``, ``startTime``/``endTime`` filter."""
    p = call.params
    category = _category(call)
    status = p.text("orderStatus", choices=_STATUSES)
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    if start is not None and end is not None and not 0 <= end - start <= _SEVEN_DAYS_MS:
        raise ExchangeError.params("startTime and endTime must be at most 7 days apart, start first")
    flt = order_filter(
        call,
        frozenset({category}),
        statuses=frozenset({status}) if status else None,
        start_ms=start,
        end_ms=end,
    )
    items, cursor = order_page(call, flt, render_order)
    return {"category": category, "list": items, "nextPageCursor": cursor}


router.get("/v5/market/time", private=False)(server_time)
