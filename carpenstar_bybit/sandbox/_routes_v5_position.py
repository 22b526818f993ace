"""The V5 position routes (``/v5/position/...``) and ``/v5/execution/list``, over the same positions,
fills and closed-PnL records as the V3 routes, in V5's shapes and with V5's codes (110043 leverage
not modified, 110025 position mode not modified, 110024/110028 a position or open orders block a
mode switch...)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import TAKER_FEE_RATE
from carpenstar_bybit.sandbox._ledger import HEDGE, ONE_WAY
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._records import SandboxClosedPnl, SandboxExecution, SandboxPosition
from carpenstar_bybit.sandbox._router import Call, Router
from carpenstar_bybit.sandbox._routes_contract import render_closed_pnl, stop_changes
from carpenstar_bybit.sandbox._routes_v5_market import category_of

__all__ = ["render_execution", "render_position", "router"]

router = Router(Family.V5, private=True)
_CONTRACT = ("linear", "inverse")
_SEVEN_DAYS_MS = 7 * 24 * 3600 * 1000
_EXEC_TYPES = (
    "Trade",
    "AdlTrade",
    "Funding",
    "BustTrade",
    "Delivery",
    "Settle",
    "BlockTrade",
    "MovePosition",
)


def _contract(call: Call, allowed: tuple[str, ...] = _CONTRACT) -> tuple[str, str]:
    """``category`` and a ``symbol`` listed in it."""
    category = category_of(call, allowed)
    symbol = call.params.text("symbol", required=True)
    call.state.instrument(symbol, (category,))
    return category, symbol


def _position_idx(call: Call, *, required: bool = False) -> int:
    value = call.params.integer("positionIdx", required=required, choices=(0, 1, 2))
    return 0 if value is None else value


def render_position(call: Call, position: SandboxPosition) -> dict[str, Any]:
    """A position in the V5 shape (``side`` is ``""`` for an empty one)."""
    metrics = call.state.position_metrics(call.account, position)
    settings = metrics.settings
    has_size = bool(position.size)
    instrument = call.state.instrument(position.symbol)
    break_even = ""
    if has_size:
        # The price at which closing (with the taker fee) gives back what the position cost so far.
        realised = position.cur_realised_pnl
        long = position.side == "Buy"
        per_unit = realised / position.size if not instrument.is_inverse else Decimal(0)
        fee = position.entry_price * TAKER_FEE_RATE
        break_even = fmt(
            position.entry_price - per_unit + fee if long else position.entry_price + per_unit - fee
        )
    return {
        "positionIdx": position.position_idx,
        "riskId": metrics.risk.id,
        "riskLimitValue": str(metrics.risk.limit),
        "symbol": position.symbol,
        "side": position.side if has_size else "",
        "size": fmt(position.size),
        "avgPrice": fmt(position.entry_price),
        "positionValue": fmt(metrics.position_value),
        "tradeMode": 0,
        "autoAddMargin": settings.auto_add_margin.get(position.position_idx, 0),
        "positionStatus": "Normal",
        "leverage": fmt(metrics.leverage),
        "markPrice": fmt(metrics.mark_price),
        "liqPrice": fmt(metrics.liq_price) if has_size else "",
        "bustPrice": "",
        "positionIM": fmt(metrics.initial_margin),
        "positionIMByMp": fmt(metrics.initial_margin),
        "positionMM": fmt(metrics.maintenance_margin),
        "positionMMByMp": fmt(metrics.maintenance_margin),
        "positionBalance": fmt(metrics.initial_margin),
        "takeProfit": fmt(position.take_profit),
        "stopLoss": fmt(position.stop_loss),
        "trailingStop": fmt(position.trailing_stop),
        "sessionAvgPrice": "",
        "delta": "",
        "gamma": "",
        "vega": "",
        "theta": "",
        "unrealisedPnl": fmt(metrics.unrealised_pnl),
        "curRealisedPnl": fmt(position.cur_realised_pnl),
        "cumRealisedPnl": fmt(position.cum_realised_pnl),
        "breakEvenPrice": break_even,
        "adlRankIndicator": 2 if has_size else 0,
        "isReduceOnly": False,
        "mmrSysUpdatedTime": "",
        "leverageSysUpdatedTime": "",
        "tpslMode": "Full",
        "createdTime": str(position.created_ms),
        "updatedTime": str(position.updated_ms),
        "seq": position.seq,
    }


@router.get("/v5/position/list")
def position_list(call: Call) -> dict[str, Any]:
    """Positions of a symbol (one per position index of its mode, empty ones too), or the open
    positions of a settle coin (linear needs one of them; inverse without either lists all)."""
    p = call.params
    category = category_of(call, ("linear", "inverse", "option"))
    symbol = p.text("symbol")
    settle = p.text("settleCoin")
    if category == "linear" and symbol is None and settle is None:
        raise ExchangeError.params("symbol or settleCoin is required")
    limit = p.limit(20, 200)
    if category == "option":
        found: list[SandboxPosition] = []
    elif symbol is not None:
        found = call.state.positions(call.account, symbol)
        if found[0].category != category:
            raise ExchangeError.params("symbol invalid")
    else:
        found = [pos for pos in call.state.positions(call.account, None, settle) if pos.category == category]
    keyed = sorted(found, key=lambda pos: (pos.seq, pos.position_idx), reverse=True)
    numbered = [(len(keyed) - n, pos) for n, pos in enumerate(keyed)]
    chunk, cursor = page(numbered, lambda pair: pair[0], limit, p.text("cursor"))
    return {
        "category": category,
        "list": [render_position(call, pos) for _, pos in chunk],
        "nextPageCursor": cursor,
    }


@router.post("/v5/position/set-leverage")
def set_leverage(call: Call) -> dict[str, Any]:
    """Set buy and sell leverage (110043 when it does not change)."""
    _, symbol = _contract(call)
    p = call.params
    call.state.set_leverage(
        call.account,
        symbol,
        p.decimal("buyLeverage", required=True),
        p.decimal("sellLeverage", required=True),
        v5=True,
    )
    return {}


@router.post("/v5/position/switch-isolated")
def switch_isolated(call: Call) -> dict[str, Any]:
    """Switch between cross (0) and isolated (1) margin (110026 when it does not change)."""
    _, symbol = _contract(call)
    p = call.params
    trade_mode = p.integer("tradeMode", required=True, choices=(0, 1))
    buy = p.decimal("buyLeverage", required=True)
    sell = p.decimal("sellLeverage", required=True)
    call.state.switch_isolated(call.account, symbol, trade_mode, buy, sell, v5=True)
    return {}


@router.post("/v5/position/switch-mode")
def switch_mode(call: Call) -> dict[str, Any]:
    """One-way (0) or hedge (3) mode for a symbol or every symbol of a coin."""
    p = call.params
    category_of(call, _CONTRACT)
    mode = p.integer("mode", required=True, choices=(ONE_WAY, HEDGE))
    p.one_of("symbol", "coin")
    call.state.switch_mode(call.account, p.text("symbol"), p.text("coin"), mode, v5=True)
    return {}


@router.post("/v5/position/trading-stop")
def trading_stop(call: Call) -> dict[str, Any]:
    """Take-profit, stop-loss and trailing stop of an open position (0 removes one). They close the
    position with a market order when the mark price crosses them."""
    _, symbol = _contract(call, ("linear", "inverse", "option"))
    p = call.params
    p.text("tpslMode", required=True, choices=("Full", "Partial"))
    idx = _position_idx(call, required=True)
    changes = stop_changes(p)
    for wire, name in (("tpTriggerBy", "tp_trigger_by"), ("slTriggerBy", "sl_trigger_by")):
        trigger = p.text(wire, choices=("LastPrice", "MarkPrice", "IndexPrice"))
        if trigger is not None:
            changes[name] = trigger
    p.text("tpOrderType", choices=("Market", "Limit"))
    p.text("slOrderType", choices=("Market", "Limit"))
    call.state.trading_stop(call.account, symbol, idx, changes)
    return {}


@router.post("/v5/position/set-auto-add-margin")
def set_auto_add_margin(call: Call) -> dict[str, Any]:
    """Automatic margin top-up on (1) or off (0)."""
    _, symbol = _contract(call, ("linear",))
    value = call.params.integer("autoAddMargin", required=True, choices=(0, 1))
    call.state.set_auto_add_margin(call.account, symbol, _position_idx(call), value)
    return {}


@router.post("/v5/position/add-margin")
def add_margin(call: Call) -> dict[str, Any]:
    """Add (positive) or reduce (negative) the margin of an open position; the position after it."""
    category, symbol = _contract(call)
    margin = call.params.decimal("margin", required=True, signed=True)
    if margin == 0 or -margin.as_tuple().exponent > 4:  # type: ignore[operator]
        raise ExchangeError.params("margin invalid (a non-zero number with at most 4 decimals)")
    position = call.state.add_margin(call.account, symbol, _position_idx(call), margin)
    metrics = call.state.position_metrics(call.account, position)
    return {
        "category": category,
        "symbol": symbol,
        "positionIdx": position.position_idx,
        "riskId": metrics.risk.id,
        "riskLimitValue": str(metrics.risk.limit),
        "size": fmt(position.size),
        "avgPrice": fmt(position.entry_price),
        "liqPrice": fmt(metrics.liq_price),
        "bustPrice": fmt(metrics.bust_price),
        "markPrice": fmt(metrics.mark_price),
        "positionValue": fmt(metrics.position_value),
        "leverage": fmt(metrics.leverage),
        "autoAddMargin": metrics.settings.auto_add_margin.get(position.position_idx, 0),
        "positionStatus": "Normal",
        "positionIM": fmt(metrics.initial_margin),
        "positionMM": fmt(metrics.maintenance_margin),
        "takeProfit": fmt(position.take_profit),
        "stopLoss": fmt(position.stop_loss),
        "trailingStop": fmt(position.trailing_stop),
        "unrealisedPnl": fmt(metrics.unrealised_pnl),
        "cumRealisedPnl": fmt(position.cum_realised_pnl),
        "createdTime": str(position.created_ms),
        "updatedTime": str(position.updated_ms),
    }


def _time_window(call: Call) -> tuple[int, int]:
    """``startTime``/``endTime``: at most 7 days apart; the last 7 days by default."""
    p = call.params
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    if start is None and end is None:
        end = call.server_ms
        start = end - _SEVEN_DAYS_MS
    elif start is None:
        assert end is not None
        start = end - _SEVEN_DAYS_MS
    elif end is None:
        end = start + _SEVEN_DAYS_MS
    if not 0 <= end - start <= _SEVEN_DAYS_MS:
        raise ExchangeError.params("startTime and endTime must be at most 7 days apart, start first")
    return start, end


def render_execution(call: Call, execution: SandboxExecution) -> dict[str, Any]:
    """A fill in the V5 shape (``call.account`` is its account)."""
    instrument = call.state.instrument(execution.symbol)
    order = call.account.orders.get(execution.order_id)
    fee_coin = instrument.quote_coin if execution.category == "spot" else ""
    return {
        "symbol": execution.symbol,
        "orderId": execution.order_id,
        "orderLinkId": execution.order_link_id,
        "side": execution.side,
        "orderPrice": fmt(execution.order_price),
        "orderQty": fmt(execution.order_qty),
        "leavesQty": fmt(execution.leaves_qty),
        "createType": order.create_type if order is not None else "CreateByUser",
        "orderType": execution.order_type,
        "stopOrderType": execution.stop_order_type,
        "execFee": fmt(execution.exec_fee),
        "execId": execution.exec_id,
        "execPrice": fmt(execution.exec_price),
        "execQty": fmt(execution.exec_qty),
        "execType": "Trade",
        "execValue": fmt(execution.exec_value),
        "execTime": str(execution.exec_time_ms),
        "feeCurrency": fee_coin,
        "isMaker": execution.is_maker,
        "feeRate": fmt(execution.fee_rate),
        "tradeIv": "",
        "markIv": "",
        "markPrice": fmt(execution.mark_price),
        "indexPrice": "",
        "underlyingPrice": "",
        "blockTradeId": "",
        "closedSize": fmt(execution.closed_size) if execution.category != "spot" else "",
        "seq": execution.seq,
        "extraFees": "",
    }


@router.get("/v5/execution/list")
def execution_list(call: Call) -> dict[str, Any]:
    """The caller's fills of a category, newest first, paged (the last 7 days by default)."""
    p = call.params
    category = category_of(call)
    symbol = p.text("symbol")
    if symbol is not None:
        call.state.instrument(symbol, (category,))
    order_id = p.text("orderId")
    link_id = p.text("orderLinkId")
    base = p.text("baseCoin")
    settle = p.text("settleCoin")
    exec_type = p.text("execType", choices=_EXEC_TYPES)
    start, end = _time_window(call)
    limit = p.limit(50, 100)
    market = call.state.instrument
    found = [
        e
        for e in reversed(call.account.executions)
        if e.category == category
        and (symbol is None or e.symbol == symbol)
        and (order_id is None or e.order_id == order_id)
        and (link_id is None or e.order_link_id == link_id)
        and (base is None or market(e.symbol).base_coin == base)
        and (settle is None or market(e.symbol).settle_coin == settle)
        and exec_type in (None, "Trade")
        and start <= e.exec_time_ms <= end
    ]
    chunk, cursor = page(found, lambda e: e.seq, limit, p.text("cursor"))
    return {
        "category": category,
        "list": [render_execution(call, e) for e in chunk],
        "nextPageCursor": cursor,
    }


def _render_closed_pnl(record: SandboxClosedPnl) -> dict[str, Any]:
    row = render_closed_pnl(record)  # the V3 record, with V5's fee and time fields
    created = row.pop("createdAt")
    row.update(
        openFee=fmt(record.open_fee), closeFee=fmt(record.close_fee), createdTime=created, updatedTime=created
    )
    return row


@router.get("/v5/position/closed-pnl")
def closed_pnl(call: Call) -> dict[str, Any]:
    """Closed profit and loss (one record per closing fill), newest first, paged."""
    p = call.params
    category = category_of(call, _CONTRACT)
    symbol = p.text("symbol")
    if symbol is not None:
        call.state.instrument(symbol, (category,))
    start, end = _time_window(call)
    limit = p.limit(50, 100)
    found = [
        r
        for r in reversed(call.account.closed_pnl)
        if r.category == category and (symbol is None or r.symbol == symbol) and start <= r.created_ms <= end
    ]
    chunk, cursor = page(found, lambda r: r.seq, limit, p.text("cursor"))
    return {"category": category, "list": [_render_closed_pnl(r) for r in chunk], "nextPageCursor": cursor}
