"""The V3 contract routes (``/contract/v3/private/...``): orders, positions, account.

Shapes follow the payloads Bybit returned to the PHP SDK's tests; business errors use the V3
contract codes (140001 for an order that is unknown, filled or cancelled).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import MAKER_FEE_RATE, TAKER_FEE_RATE
from carpenstar_bybit.sandbox._ledger import HEDGE, ONE_WAY
from carpenstar_bybit.sandbox._orders import (
    SIDES,
    V3_TIME_IN_FORCE,
    order_filter,
    order_ids,
    order_page,
    order_ref,
    parse_amend,
    parse_new_order,
)
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._params import Params
from carpenstar_bybit.sandbox._records import (
    SandboxClosedPnl,
    SandboxExecution,
    SandboxOrder,
    SandboxPosition,
)
from carpenstar_bybit.sandbox._router import Answer, Call, Router

__all__ = ["render_closed_pnl", "router", "stop_changes"]

router = Router(Family.CONTRACT_V3, private=True)
CONTRACT = frozenset({"linear", "inverse"})
_PREFIX = "/contract/v3/private"
_STATUSES = ("New", "PartiallyFilled", "Filled", "Cancelled", "Rejected", "Untriggered", "Deactivated")


def _contract_category(call: Call) -> str:
    symbol = call.params.text("symbol", required=True)
    category = call.state.instrument(symbol, CONTRACT).contract_category
    assert category is not None
    return category


def render_order(call: Call, order: SandboxOrder) -> dict[str, Any]:
    """An order in the V3 contract shape."""
    instrument = call.state.instrument(order.symbol)
    leaves = order.leaves_qty
    return {
        "symbol": order.symbol,
        "orderId": order.order_id,
        "orderLinkId": order.order_link_id,
        "side": order.side,
        "orderType": order.order_type,
        "price": fmt(order.price),
        "qty": fmt(order.qty),
        "timeInForce": V3_TIME_IN_FORCE[order.time_in_force],
        "orderStatus": order.status,
        "positionIdx": order.position_idx,
        "lastPriceOnCreated": fmt(order.last_price_on_created),
        "createdTime": str(order.created_ms),
        "updatedTime": str(order.updated_ms),
        "cancelType": order.cancel_type,
        "rejectReason": order.reject_reason,
        "stopOrderType": "Stop" if order.is_conditional else "UNKNOWN",
        "triggerDirection": order.trigger_direction,
        "triggerBy": order.trigger_by or "UNKNOWN",
        "triggerPrice": fmt(order.trigger_price),
        "cumExecValue": fmt(order.cum_exec_value),
        "cumExecFee": fmt(order.cum_exec_fee),
        "cumExecQty": fmt(order.cum_exec_qty),
        "leavesValue": fmt(instrument.value(leaves, order.price) if order.price else Decimal(0)),
        "leavesQty": fmt(leaves),
        "takeProfit": fmt(order.take_profit),
        "stopLoss": fmt(order.stop_loss),
        "tpslMode": order.tpsl_mode,
        "tpLimitPrice": fmt(order.tp_limit_price, empty=""),
        "slLimitPrice": fmt(order.sl_limit_price, empty=""),
        "tpTriggerBy": order.tp_trigger_by or "UNKNOWN",
        "slTriggerBy": order.sl_trigger_by or "UNKNOWN",
        "reduceOnly": order.reduce_only,
        "closeOnTrigger": order.close_on_trigger,
        "blockTradeId": "",
        "iv": "",
        "smpType": "None",
        "smpGroup": 0,
        "smpOrderId": "",
    }


# -- orders ---------------------------------------------------------------------------------------


@router.post(f"{_PREFIX}/order/create")
def create_order(call: Call) -> dict[str, Any]:
    """Place an order."""
    category = _contract_category(call)
    return order_ids(call.state.place(call.account, parse_new_order(call.params, category)))


@router.post(f"{_PREFIX}/order/replace")
def replace_order(call: Call) -> dict[str, Any]:
    """Amend an open order."""
    symbol, order_id, link_id = order_ref(call.params)
    spec = parse_amend(call.params)
    return order_ids(call.state.amend(call.account, CONTRACT, symbol, order_id, link_id, spec))


@router.post(f"{_PREFIX}/order/cancel")
def cancel_order(call: Call) -> dict[str, Any]:
    """Cancel one open order (140001 if it is unknown or finished)."""
    symbol, order_id, link_id = order_ref(call.params)
    return order_ids(call.state.cancel(call.account, CONTRACT, symbol, order_id, link_id))


@router.post(f"{_PREFIX}/order/cancel-all")
def cancel_all_orders(call: Call) -> Answer:
    """Cancel every open order of a symbol, base coin or settle coin."""
    call.params.one_of("symbol", "baseCoin", "settleCoin")
    cancelled = call.state.cancel_all(call.account, order_filter(call, CONTRACT))
    items = [{"category": o.category, "symbol": o.symbol, **order_ids(o)} for o in cancelled]
    return Answer({"list": items}, {"list": [{"code": 0, "msg": "OK"} for _ in cancelled]})


@router.get(f"{_PREFIX}/order/unfilled-orders")
def open_orders(call: Call) -> dict[str, Any]:
    """Open orders (New, PartiallyFilled, Untriggered), newest first, paged."""
    call.params.one_of("symbol", "baseCoin", "settleCoin")
    items, cursor = order_page(call, order_filter(call, CONTRACT, active=True), render_order)
    return {"list": items, "nextPageCursor": cursor, "category": ""}


@router.get(f"{_PREFIX}/order/list")
def order_list(call: Call) -> dict[str, Any]:
    """Every order (open and finished), newest first, paged; ``orderStatus`` filters."""
    status = call.params.text("orderStatus", choices=_STATUSES)
    statuses = frozenset({status}) if status else None
    items, cursor = order_page(call, order_filter(call, CONTRACT, statuses=statuses), render_order)
    symbol = call.params.text("symbol")
    category = call.state.instrument(symbol, CONTRACT).contract_category if symbol else ""
    return {"list": items, "nextPageCursor": cursor, "category": category}


# -- positions ------------------------------------------------------------------------------------


def _render_position(call: Call, position: SandboxPosition) -> dict[str, Any]:
    metrics = call.state.position_metrics(call.account, position)
    settings = metrics.settings
    has_size = bool(position.size)
    return {
        "positionIdx": position.position_idx,
        "riskId": metrics.risk.id,
        "symbol": position.symbol,
        "side": position.side,
        "size": fmt(position.size),
        "positionValue": fmt(metrics.position_value),
        "entryPrice": fmt(position.entry_price),
        "tradeMode": settings.trade_mode,
        "autoAddMargin": settings.auto_add_margin.get(position.position_idx, 0),
        "leverage": fmt(metrics.leverage),
        "positionBalance": fmt(metrics.initial_margin),
        "liqPrice": fmt(metrics.liq_price) if has_size else "",
        "bustPrice": fmt(metrics.bust_price) if has_size else "",
        "takeProfit": fmt(position.take_profit),
        "stopLoss": fmt(position.stop_loss),
        "trailingStop": fmt(position.trailing_stop),
        "unrealisedPnl": fmt(metrics.unrealised_pnl),
        "createdTime": str(position.created_ms),
        "updatedTime": str(position.updated_ms),
        "tpSlMode": settings.tpsl_mode,
        "riskLimitValue": str(metrics.risk.limit),
        "activePrice": fmt(position.active_price),
        "markPrice": fmt(metrics.mark_price),
        "cumRealisedPnl": fmt(position.cum_realised_pnl),
        "positionMM": fmt(metrics.maintenance_margin),
        "positionIM": fmt(metrics.initial_margin),
        "positionStatus": "Normal",
        "sessionAvgPrice": "0",
        "occClosingFee": fmt(metrics.position_value * TAKER_FEE_RATE),
        "avgPrice": fmt(position.entry_price),
        "adlRankIndicator": 2 if has_size else 0,
    }


@router.get(f"{_PREFIX}/position/list")
def position_list(call: Call) -> dict[str, Any]:
    """Positions of a symbol (one per position index, empty ones too) or of a settle coin."""
    p = call.params
    p.one_of("symbol", "settleCoin")
    positions = call.state.positions(call.account, p.text("symbol"), p.text("settleCoin"))
    return {"list": [_render_position(call, pos) for pos in positions], "category": "", "nextPageCursor": ""}


def _position_idx(call: Call, *, required: bool = False) -> int:
    value = call.params.integer("positionIdx", required=required, choices=(0, 1, 2))
    return 0 if value is None else value


@router.post(f"{_PREFIX}/position/set-leverage")
def set_leverage(call: Call) -> dict[str, Any]:
    """Set buy and sell leverage of a symbol."""
    p = call.params
    symbol = p.text("symbol", required=True)
    call.state.set_leverage(
        call.account,
        symbol,
        p.decimal("buyLeverage", required=True),
        p.decimal("sellLeverage", required=True),
    )
    return {}


@router.post(f"{_PREFIX}/position/switch-isolated")
def switch_isolated(call: Call) -> dict[str, Any]:
    """Switch between cross (0) and isolated (1) margin."""
    p = call.params
    symbol = p.text("symbol", required=True)
    trade_mode = p.integer("tradeMode", required=True, choices=(0, 1))
    buy = p.decimal("buyLeverage", required=True)
    sell = p.decimal("sellLeverage", required=True)
    call.state.switch_isolated(call.account, symbol, trade_mode, buy, sell)
    return {}


@router.post(f"{_PREFIX}/position/switch-mode")
def switch_mode(call: Call) -> dict[str, Any]:
    """Switch between one-way (0) and hedge (3) mode for a symbol or a settle coin."""
    p = call.params
    mode = p.integer("positionMode", required=True, choices=(ONE_WAY, HEDGE))
    p.one_of("symbol", "coin")
    call.state.switch_mode(call.account, p.text("symbol"), p.text("coin"), mode)
    return {}


@router.post(f"{_PREFIX}/position/switch-tpsl-mode")
def switch_tpsl_mode(call: Call) -> dict[str, Any]:
    """Switch the take-profit/stop-loss mode of a symbol (Full or Partial)."""
    p = call.params
    symbol = p.text("symbol", required=True)
    call.state.switch_tpsl_mode(
        call.account, symbol, p.text("tpSlMode", required=True, choices=("Full", "Partial"))
    )
    return {}


@router.post(f"{_PREFIX}/position/set-risk-limit")
def set_risk_limit(call: Call) -> dict[str, Any]:
    """Choose a risk-limit tier."""
    p = call.params
    symbol = p.text("symbol", required=True)
    risk_id = p.integer("riskId", required=True)
    _position_idx(call)
    call.state.set_risk_limit(call.account, symbol, risk_id)
    return {}


def stop_changes(p: Params) -> dict[str, Any]:
    """The position fields a trading-stop request changes (V3 and V5 alike): take-profit,
    stop-loss, trailing stop and its activation price (0 removes one); 10001 without any of the
    first three. Partial-mode sizes and limit prices are validated, not kept."""
    p.one_of("takeProfit", "stopLoss", "trailingStop")
    changes: dict[str, Any] = {}
    for wire, name in (
        ("takeProfit", "take_profit"),
        ("stopLoss", "stop_loss"),
        ("trailingStop", "trailing_stop"),
        ("activePrice", "active_price"),
    ):
        value = p.decimal(wire, positive=False)
        if value is not None:
            changes[name] = value
    for wire in ("tpSize", "slSize", "tpLimitPrice", "slLimitPrice"):
        p.decimal(wire)
    return changes


@router.post(f"{_PREFIX}/position/trading-stop")
def trading_stop(call: Call) -> dict[str, Any]:
    """Set take-profit, stop-loss or trailing stop of an open position (0 removes one)."""
    symbol = call.params.text("symbol", required=True)
    idx = _position_idx(call)
    call.state.trading_stop(call.account, symbol, idx, stop_changes(call.params))
    return {}


@router.post(f"{_PREFIX}/position/set-auto-add-margin")
def set_auto_add_margin(call: Call) -> dict[str, Any]:
    """Turn automatic margin top-up on (1) or off (0) for a position."""
    p = call.params
    symbol = p.text("symbol", required=True)
    p.text("side", required=True, choices=SIDES)
    value = p.integer("autoAddMargin", required=True, choices=(0, 1))
    idx = _position_idx(call, required=True)
    call.state.set_auto_add_margin(call.account, symbol, idx, value)
    return {}


def _time_range(call: Call) -> tuple[int | None, int | None]:
    start = call.params.timestamp("startTime")
    end = call.params.timestamp("endTime")
    if start is not None and end is not None and start > end:
        raise ExchangeError.params("startTime must not be after endTime")
    return start, end


def _within(ms: int, start: int | None, end: int | None) -> bool:
    return (start is None or ms >= start) and (end is None or ms <= end)


def _render_execution(execution: SandboxExecution) -> dict[str, Any]:
    return {
        "symbol": execution.symbol,
        "side": execution.side,
        "orderId": execution.order_id,
        "orderLinkId": execution.order_link_id,
        "orderPrice": fmt(execution.order_price),
        "orderQty": fmt(execution.order_qty),
        "orderType": execution.order_type,
        "stopOrderType": execution.stop_order_type,
        "execId": execution.exec_id,
        "execPrice": fmt(execution.exec_price),
        "execQty": fmt(execution.exec_qty),
        "execFee": fmt(execution.exec_fee),
        "execType": "Trade",
        "execValue": fmt(execution.exec_value),
        "feeRate": fmt(execution.fee_rate),
        "lastLiquidityInd": "AddedLiquidity" if execution.is_maker else "RemovedLiquidity",
        "isMaker": execution.is_maker,
        "leavesQty": fmt(execution.leaves_qty),
        "closedSize": fmt(execution.closed_size),
        "blockTradeId": "",
        "markPrice": fmt(execution.mark_price),
        "indexPrice": fmt(execution.mark_price),
        "underlyingPrice": "",
        "iv": "",
        "markIv": "",
        "execTime": str(execution.exec_time_ms),
    }


@router.get(f"{_PREFIX}/execution/list")
def execution_list(call: Call) -> dict[str, Any]:
    """Fills of a symbol, newest first, paged."""
    p = call.params
    symbol = p.text("symbol", required=True)
    call.state.instrument(symbol, CONTRACT)
    order_id = p.text("orderId")
    p.text("execType", choices=("Trade", "AdlTrade", "Funding", "BustTrade"))
    start, end = _time_range(call)
    limit = p.limit(50, 100)
    found = [
        e
        for e in reversed(call.account.executions)
        if e.symbol == symbol
        and e.category in CONTRACT
        and (order_id is None or e.order_id == order_id)
        and _within(e.exec_time_ms, start, end)
    ]
    chunk, cursor = page(found, lambda e: e.seq, limit, p.text("cursor"))
    return {"list": [_render_execution(e) for e in chunk], "nextPageCursor": cursor, "category": ""}


def render_closed_pnl(record: SandboxClosedPnl) -> dict[str, Any]:
    return {
        "symbol": record.symbol,
        "orderId": record.order_id,
        "side": record.side,
        "qty": fmt(record.qty),
        "orderPrice": fmt(record.order_price),
        "orderType": record.order_type,
        "execType": "Trade",
        "closedSize": fmt(record.closed_size),
        "cumEntryValue": fmt(record.cum_entry_value),
        "avgEntryPrice": fmt(record.avg_entry_price),
        "cumExitValue": fmt(record.cum_exit_value),
        "avgExitPrice": fmt(record.avg_exit_price),
        "closedPnl": fmt(record.closed_pnl),
        "fillCount": "1",
        "leverage": fmt(record.leverage),
        "createdAt": str(record.created_ms),
    }


@router.get(f"{_PREFIX}/position/closed-pnl")
def closed_pnl(call: Call) -> dict[str, Any]:
    """Closed profit and loss of a symbol, newest first, paged."""
    p = call.params
    symbol = p.text("symbol", required=True)
    call.state.instrument(symbol, CONTRACT)
    start, end = _time_range(call)
    limit = p.limit(50, 200)
    found = [
        r
        for r in reversed(call.account.closed_pnl)
        if r.symbol == symbol and _within(r.created_ms, start, end)
    ]
    chunk, cursor = page(found, lambda r: r.seq, limit, p.text("cursor"))
    return {"list": [render_closed_pnl(r) for r in chunk], "nextPageCursor": cursor}


# -- account --------------------------------------------------------------------------------------


@router.get(f"{_PREFIX}/account/wallet/balance")
def wallet_balance(call: Call) -> dict[str, Any]:
    """Wallet balance per coin (or of one ``coin``)."""
    coin = call.params.text("coin")
    coins = [coin] if coin else call.state.coins(call.account)
    items = []
    for name in coins:
        w = call.state.wallet(call.account, name)
        items.append(
            {
                "coin": w.coin,
                "equity": fmt(w.equity),
                "walletBalance": fmt(w.wallet_balance),
                "positionMargin": fmt(w.position_margin),
                "availableBalance": fmt(w.available_balance),
                "orderMargin": fmt(w.order_margin),
                "occClosingFee": fmt(w.occ_closing_fee),
                "occFundingFee": "0",
                "unrealisedPnl": fmt(w.unrealised_pnl),
                "cumRealisedPnl": fmt(w.cum_realised_pnl),
                "givenCash": "0",
                "serviceCash": "0",
                "accountIM": fmt(w.account_im),
                "accountMM": fmt(w.account_mm),
            }
        )
    return {"list": items}


@router.get(f"{_PREFIX}/account/fee-rate")
def fee_rate(call: Call) -> dict[str, Any]:
    """Taker and maker fee rates of every contract symbol (or of one ``symbol``)."""
    symbol = call.params.text("symbol")
    if symbol is not None:
        symbols = [call.state.instrument(symbol, CONTRACT).symbol]
    else:
        symbols = [i.symbol for i in call.state.instruments() if i.contract_category is not None]
    items = [
        {"symbol": name, "takerFeeRate": fmt(TAKER_FEE_RATE), "makerFeeRate": fmt(MAKER_FEE_RATE)}
        for name in symbols
    ]
    return {"list": items}
