"""The V5 order routes (``/v5/order/...``) and ``/v5/market/time``, over the same orders as V3.

Every order route takes ``category`` (linear, inverse, spot, option) and sees only that category's
orders; business errors use the V5 codes (110001 for an order that is unknown, filled or cancelled;
170213 for a spot one). Batch routes answer each order on its own: ``result.list`` and
``retExtInfo.list`` line up with the request's orders, each with its own code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import RATE_LIMITED, ExchangeError, Family, Reason
from carpenstar_bybit.sandbox._orders import (
    order_filter,
    order_ids,
    order_page,
    order_ref,
    parse_amend,
    parse_new_order,
)
from carpenstar_bybit.sandbox._params import Params
from carpenstar_bybit.sandbox._records import ZERO, SandboxOrder
from carpenstar_bybit.sandbox._router import Answer, Call, Router
from carpenstar_bybit.sandbox._routes_market import server_time
from carpenstar_bybit.sandbox._state import DCP_PRODUCTS

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


@contextmanager
def _codes_of(category: str) -> Iterator[None]:
    """Spot answers a missing order with its own code (170213), derivatives with 110001."""
    try:
        yield
    except ExchangeError as exc:
        if category == "spot" and exc.code is Reason.ORDER_NOT_FOUND:
            raise ExchangeError(Reason.SPOT_ORDER_NOT_FOUND) from None
        raise


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
        "createType": order.create_type,
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
        "stopOrderType": order.stop_type,
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


def _place(call: Call, p: Params, category: str) -> SandboxOrder:
    return call.state.place(call.account, parse_new_order(p, category))


def _amend(call: Call, p: Params, category: str) -> SandboxOrder:
    symbol, order_id, link_id = order_ref(p)
    spec = parse_amend(p)
    with _codes_of(category):
        return call.state.amend(call.account, frozenset({category}), symbol, order_id, link_id, spec)


def _cancel(call: Call, p: Params, category: str) -> SandboxOrder:
    symbol, order_id, link_id = order_ref(p)
    with _codes_of(category):
        return call.state.cancel(call.account, frozenset({category}), symbol, order_id, link_id)


@router.post("/v5/order/amend")
def amend_order(call: Call) -> dict[str, Any]:
    """Amend an open order (110001 if it is unknown or finished)."""
    return order_ids(_amend(call, call.params, _category(call)))


@router.post("/v5/order/cancel")
def cancel_order(call: Call) -> dict[str, Any]:
    """Cancel one open order (110001 if it is unknown or finished)."""
    return order_ids(_cancel(call, call.params, _category(call)))


#: Orders per batch request: 20 for options, 10 otherwise (Bybit's limits).
_BATCH_SIZE = {"option": 20}


def _batch(call: Call, act: Callable[[Call, Params, str], SandboxOrder], *, created: bool = False) -> Answer:
    """Apply ``act`` to each order of ``request``; each gets its own result and code. Orders past
    the rate limit's allowance get 10006."""
    category = _category(call)
    items = call.params.items("request", maximum=_BATCH_SIZE.get(category, 10))
    results: list[dict[str, Any]] = []
    codes: list[dict[str, Any]] = []
    for n, item in enumerate(items):
        try:
            if n >= call.granted:
                raise ExchangeError(RATE_LIMITED, "Too many visits!")
            order = act(call, item, category)
        except ExchangeError as exc:
            link_id = item.raw_text("orderLinkId") or ""
            result: dict[str, Any] = {
                "category": category,
                "symbol": item.raw_text("symbol") or "",
                "orderId": item.raw_text("orderId") or "",
                "orderLinkId": link_id,
            }
            if created:
                result["createAt"] = ""
            results.append(result)
            codes.append({"code": exc.ret_code(Family.V5), "msg": exc.message})
            continue
        result = {"category": category, "symbol": order.symbol, **order_ids(order)}
        if created:
            result["createAt"] = str(order.created_ms)
        results.append(result)
        codes.append({"code": 0, "msg": "OK"})
    return Answer({"list": results}, {"list": codes})


@router.post("/v5/order/create-batch", batch=True)
def create_batch(call: Call) -> Answer:
    """Place up to 10 orders (20 options) of one category."""
    return _batch(call, _place, created=True)


@router.post("/v5/order/amend-batch", batch=True)
def amend_batch(call: Call) -> Answer:
    """Amend up to 10 orders (20 options) of one category."""
    return _batch(call, _amend)


@router.post("/v5/order/cancel-batch", batch=True)
def cancel_batch(call: Call) -> Answer:
    """Cancel up to 10 orders (20 options) of one category."""
    return _batch(call, _cancel)


@router.post("/v5/order/disconnected-cancel-all")
def disconnected_cancel_all(call: Call) -> Answer:
    """Disconnect protection: once no private call has arrived for ``timeWindow`` seconds (3..300),
    the product's open orders (OPTIONS by default, DERIVATIVES, SPOT) are cancelled
    (``cancelType`` ``CancelByDCP``)."""
    p = call.params
    product = p.text("product", choices=DCP_PRODUCTS) or "OPTIONS"
    window = p.integer("timeWindow", required=True, minimum=3, maximum=300)
    call.state.set_dcp(call.account, product, window)
    return Answer({}, message="success")


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
