"""Public market-data routes of the V3 derivatives API (``/derivatives/v3/public/...``) and
``/v3/public/time``, rendered from the market model (``_marketdata``) in V3's shapes: klines are
arrays of strings, the order book is ``{"s","b","a","ts","u"}``, numbers are decimal strings.
"""

from __future__ import annotations

from typing import Any

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import RISK_TIERS, Instrument
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._router import Call, Router

__all__ = ["OI_INTERVALS", "funding_rows", "open_interest_rows", "router", "server_time", "trade_row"]

router = Router(Family.PUBLIC, private=False)
_PREFIX = "/derivatives/v3/public"
_CATEGORIES = ("linear", "inverse", "option")
_MINUTE = md.MINUTE_MS
_DAY = 1440 * _MINUTE
OI_INTERVALS = {
    "5min": 5 * _MINUTE,
    "15min": 15 * _MINUTE,
    "30min": 30 * _MINUTE,
    "1h": 60 * _MINUTE,
    "4h": 240 * _MINUTE,
    "1d": _DAY,
}
_OI_HISTORY = 1000


def _listed(call: Call, *, required: bool = True) -> tuple[str, Instrument | None]:
    """The request's ``category`` (default linear) and its listed ``symbol``."""
    category = call.params.text("category", choices=_CATEGORIES) or "linear"
    symbol = call.params.text("symbol", required=required)
    return category, call.state.instrument(symbol, (category,)) if symbol else None


def _instrument(call: Call) -> tuple[str, Instrument]:
    category, instrument = _listed(call)
    assert instrument is not None
    return category, instrument


def _kline(call: Call, series: str) -> dict[str, Any]:
    p = call.params
    category, instrument = _instrument(call)
    interval = p.text("interval", required=True, choices=md.KLINE_INTERVALS)
    start = p.timestamp("start", required=True)  # the V3 kline routes spell them start/end
    end = p.timestamp("end", required=True)
    if start > end:
        raise ExchangeError.params("start must not be after end")
    limit = p.limit(200, 200)
    mark = call.state.mark_price(instrument.symbol)
    rows = []
    step = md.KLINE_INTERVALS[interval]
    for c in md.candles(
        instrument, mark, series, step, call.server_ms, start_ms=start, end_ms=end, limit=limit
    ):
        row = [str(c.start_ms), fmt(c.open), fmt(c.high), fmt(c.low), fmt(c.close)]
        if series == "trade":
            row += [fmt(c.volume), fmt(c.turnover)]
        rows.append(row)
    return {"symbol": instrument.symbol, "category": category, "list": rows}


@router.get(f"{_PREFIX}/kline")
def kline(call: Call) -> dict[str, Any]:
    """Candles: ``[startTime, open, high, low, close, volume, turnover]``, newest first."""
    return _kline(call, "trade")


@router.get(f"{_PREFIX}/mark-price-kline")
def mark_price_kline(call: Call) -> dict[str, Any]:
    """Mark-price candles: ``[startTime, open, high, low, close]``, newest first."""
    return _kline(call, "mark")


@router.get(f"{_PREFIX}/index-price-kline")
def index_price_kline(call: Call) -> dict[str, Any]:
    """Index-price candles: ``[startTime, open, high, low, close]``, newest first."""
    return _kline(call, "index")


def _render_instrument(call: Call, instrument: Instrument) -> dict[str, Any]:
    tick = instrument.tick
    step = instrument.step
    exponent = tick.normalize().as_tuple().exponent
    return {
        "symbol": instrument.symbol,
        "contractType": instrument.contract_type,
        "status": "Trading",
        "baseCoin": instrument.base_coin,
        "quoteCoin": instrument.quote_coin,
        "launchTime": "1585526400000",
        "deliveryTime": "0",
        "deliveryFeeRate": "",
        "priceScale": str(-exponent if isinstance(exponent, int) and exponent < 0 else 0),
        "unifiedMarginTrade": True,
        "fundingInterval": md.FUNDING_INTERVAL_MS // _MINUTE,
        "settleCoin": instrument.settle_coin,
        "leverageFilter": {
            "minLeverage": "1",
            "maxLeverage": fmt(RISK_TIERS[0].max_leverage),
            "leverageStep": "0.01",
        },
        "priceFilter": {
            "minPrice": fmt(tick),
            "maxPrice": fmt(instrument.max_price),
            "tickSize": fmt(tick),
        },
        "lotSizeFilter": {
            "maxOrderQty": fmt(instrument.max_qty),
            "minOrderQty": fmt(instrument.min_qty),
            "qtyStep": fmt(step),
        },
    }


@router.get(f"{_PREFIX}/instruments-info")
def instruments_info(call: Call) -> dict[str, Any]:
    """Instrument specifications (one symbol, or every listed one of the category, paged)."""
    category, instrument = _listed(call, required=False)
    limit = call.params.limit(500, 1000)
    listed = [instrument] if instrument else call.state.instruments(category)
    keyed = [(len(listed) - i, item) for i, item in enumerate(listed)]
    chunk, cursor = page(keyed, lambda pair: pair[0], limit, call.params.text("cursor"))
    return {
        "category": category,
        "list": [_render_instrument(call, item) for _, item in chunk],
        "nextPageCursor": cursor,
    }


def _render_ticker(call: Call, instrument: Instrument) -> dict[str, Any]:
    t = md.ticker(instrument, call.state.mark_price(instrument.symbol), call.server_ms)
    return {
        "symbol": t.symbol,
        "bidPrice": fmt(t.bid1[0]),
        "askPrice": fmt(t.ask1[0]),
        "lastPrice": fmt(t.last),
        "lastTickDirection": "PlusTick",
        "prevPrice24h": fmt(t.prev_24h),
        "price24hPcnt": fmt(t.change_24h),
        "highPrice24h": fmt(t.high_24h),
        "lowPrice24h": fmt(t.low_24h),
        "prevPrice1h": fmt(t.prev_1h),
        "markPrice": fmt(t.mark),
        "indexPrice": fmt(t.index),
        "openInterest": fmt(t.open_interest),
        "turnover24h": fmt(t.turnover_24h),
        "volume24h": fmt(t.volume_24h),
        "fundingRate": fmt(t.funding_rate),
        "nextFundingTime": str(t.next_funding_ms),
        "predictedDeliveryPrice": "",
        "basisRate": "",
        "deliveryFeeRate": "",
        "deliveryTime": str(instrument.delivery_ms),
        "openInterestValue": fmt(instrument.value(t.open_interest, t.mark)),
    }


@router.get(f"{_PREFIX}/tickers")
def tickers(call: Call) -> dict[str, Any]:
    """24-hour ticker of a symbol (or of every listed one of the category)."""
    category, instrument = _listed(call, required=False)
    listed = [instrument] if instrument else call.state.instruments(category)
    return {"category": category, "list": [_render_ticker(call, item) for item in listed]}


@router.get(f"{_PREFIX}/order-book/L2")
def order_book(call: Call) -> dict[str, Any]:
    """The order book: ``b`` bids (best first), ``a`` asks (best first), ``[price, size]`` each."""
    _, instrument = _instrument(call)
    limit = call.params.limit(25, 200)
    snapshot = md.book(instrument, call.state.mark_price(instrument.symbol), limit, call.server_ms)
    return {
        "s": instrument.symbol,
        "b": [[fmt(p), fmt(q)] for p, q in snapshot.bids],
        "a": [[fmt(p), fmt(q)] for p, q in snapshot.asks],
        "ts": snapshot.ts_ms,
        "u": snapshot.update_id,
    }


def trade_row(trade: md.Trade) -> dict[str, Any]:
    """A public trade as the recent-trade routes show it."""
    return {
        "execId": trade.exec_id,
        "symbol": trade.symbol,
        "price": fmt(trade.price),
        "size": fmt(trade.size),
        "side": trade.side,
        "time": str(trade.time_ms),
        "isBlockTrade": False,
    }


@router.get(f"{_PREFIX}/recent-trade")
def recent_trades(call: Call) -> dict[str, Any]:
    """Public trades, one per second, newest first."""
    category, instrument = _instrument(call)
    limit = call.params.limit(500, 1000)
    trades = md.trades(instrument, call.state.mark_price(instrument.symbol), call.server_ms, limit)
    return {"category": category, "list": [trade_row(t) for t in trades]}


@router.get(f"{_PREFIX}/risk-limit/list")
def risk_limits(call: Call) -> dict[str, Any]:
    """Risk-limit tiers of a symbol (or of every listed one of the category)."""
    category, instrument = _listed(call, required=False)
    listed = [instrument] if instrument else call.state.instruments(category)
    items = [
        {
            "id": tier.id,
            "symbol": item.symbol,
            "limit": str(tier.limit),
            "maintainMargin": fmt(tier.maintain_margin),
            "initialMargin": fmt(tier.initial_margin),
            "isLowestRisk": 1 if tier.id == 1 else 0,
            "maxLeverage": fmt(tier.max_leverage),
        }
        for item in listed
        for tier in RISK_TIERS
    ]
    return {"category": "", "list": items}


def funding_rows(call: Call, instrument: Instrument) -> list[dict[str, Any]]:
    """Funding rates of ``instrument``, one per 8 hours, newest first (``startTime``, ``endTime``,
    ``limit`` 1..200)."""
    p = call.params
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    if start is not None and end is not None and start > end:
        raise ExchangeError.params("startTime must not be after endTime")
    limit = p.limit(200, 200)
    interval = md.FUNDING_INTERVAL_MS
    newest = ((call.server_ms if end is None else end) // interval) * interval
    items = []
    for i in range(limit):
        at = newest - i * interval
        if at < 0 or (start is not None and at < start):
            break
        items.append(
            {
                "symbol": instrument.symbol,
                "fundingRate": fmt(md.funding_rate(instrument.symbol, at)),
                "fundingRateTimestamp": str(at),
            }
        )
    return items


@router.get(f"{_PREFIX}/funding/history-funding-rate")
def funding_history(call: Call) -> dict[str, Any]:
    """Funding rates, one per 8 hours, newest first."""
    category, instrument = _instrument(call)
    return {"category": category, "list": funding_rows(call, instrument)}


def open_interest_rows(call: Call, instrument: Instrument, step_ms: int) -> tuple[list[dict[str, Any]], str]:
    """One page of open interest per ``step_ms`` interval, newest first (``startTime``, ``endTime``,
    ``limit`` 1..200, ``cursor``)."""
    p = call.params
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    limit = p.limit(50, 200)
    newest = ((call.server_ms if end is None else end) // step_ms) * step_ms
    symbol = instrument.symbol
    base = instrument.step * 1_000_000
    slots = [
        at
        for at in (newest - i * step_ms for i in range(_OI_HISTORY))
        if at > 0 and (start is None or at >= start)
    ]
    chunk, cursor = page(slots, lambda at: at, limit, p.text("cursor"))
    items = [
        {"openInterest": fmt(base * (2 + md.noise(symbol, "oi", at))), "timestamp": str(at)} for at in chunk
    ]
    return items, cursor


@router.get(f"{_PREFIX}/open-interest")
def open_interest(call: Call) -> dict[str, Any]:
    """Open interest per interval, newest first, paged by cursor."""
    category, instrument = _instrument(call)
    interval = call.params.text("interval", required=True, choices=OI_INTERVALS)
    items, cursor = open_interest_rows(call, instrument, OI_INTERVALS[interval])
    return {"symbol": instrument.symbol, "category": category, "list": items, "nextPageCursor": cursor}


@router.get("/v3/public/time")
def server_time(call: Call) -> dict[str, Any]:
    """The server clock: ``timeSecond`` and ``timeNano`` (strings)."""
    return {"timeSecond": str(call.server_ms // 1000), "timeNano": str(call.server_ms * 1_000_000)}
