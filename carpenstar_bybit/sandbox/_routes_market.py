"""Public market-data routes (``/derivatives/v3/public/...``) and ``/v3/public/time``.

The data is synthetic and deterministic: every figure is a function of the symbol, its mark price
and the time slot it describes (a SHA-256 of them gives the noise), so the same request gives the
same answer and tests can assert exact values. Shapes are Bybit's: klines are arrays of strings,
the order book is ``{"s","b","a","ts","u"}``, numbers are decimal strings.
"""

from __future__ import annotations

import hashlib
import uuid
from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import RISK_TIERS, Instrument
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._router import Call, Router

__all__ = ["router", "server_time"]

router = Router(Family.PUBLIC, private=False)
_PREFIX = "/derivatives/v3/public"
_CATEGORIES = ("linear", "inverse", "option")
_MINUTE = 60_000
_DAY = 1440 * _MINUTE
_KLINE_INTERVALS = {
    **{str(m): m * _MINUTE for m in (1, 3, 5, 15, 30, 60, 120, 240, 360, 720)},
    "D": _DAY,
    "W": 7 * _DAY,
    "M": 30 * _DAY,
}
_OI_INTERVALS = {
    "5min": 5 * _MINUTE,
    "15min": 15 * _MINUTE,
    "30min": 30 * _MINUTE,
    "1h": 60 * _MINUTE,
    "4h": 240 * _MINUTE,
    "1d": _DAY,
}
_FUNDING_INTERVAL = 480 * _MINUTE
_OI_HISTORY = 1000
_SANDBOX_NAMESPACE = uuid.UUID("6f1c7a52-3d8e-4b7a-9a51-0c2f5e8d9b10")


def _noise(*parts: object) -> Decimal:
    """A deterministic number in [-1, 1) for ``parts``."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big")) / Decimal(2**31) - 1


def _on_tick(price: Decimal, tick: Decimal) -> Decimal:
    return ((price / tick).to_integral_value() * tick).quantize(tick)


def _listed(call: Call, *, required: bool = True) -> tuple[str, Instrument | None]:
    """The request's ``category`` (default linear) and its listed ``symbol``."""
    category = call.params.text("category", choices=_CATEGORIES) or "linear"
    symbol = call.params.text("symbol", required=required)
    return category, call.state.instrument(symbol, (category,)) if symbol else None


def _instrument(call: Call) -> tuple[str, Instrument]:
    category, instrument = _listed(call)
    assert instrument is not None
    return category, instrument


def _candle(instrument: Instrument, mark: Decimal, start_ms: int, salt: str) -> list[Decimal]:
    tick = instrument.tick_size(mark)
    symbol = instrument.symbol
    opening = mark * (1 + Decimal("0.005") * _noise(symbol, salt, start_ms, "o"))
    closing = mark * (1 + Decimal("0.005") * _noise(symbol, salt, start_ms, "c"))
    high = max(opening, closing) * (1 + Decimal("0.001") * abs(_noise(symbol, salt, start_ms, "h")))
    low = min(opening, closing) * (1 - Decimal("0.001") * abs(_noise(symbol, salt, start_ms, "l")))
    return [_on_tick(v, tick) for v in (opening, high, low, closing)]


def _kline(call: Call, salt: str, with_volume: bool) -> dict[str, Any]:
    p = call.params
    category, instrument = _instrument(call)
    interval = p.text("interval", required=True, choices=_KLINE_INTERVALS)
    start = p.timestamp("start", required=True)  # the V3 kline routes spell them start/end
    end = p.timestamp("end", required=True)
    if start > end:
        raise ExchangeError.params("start must not be after end")
    limit = p.limit(200, 200)
    step = _KLINE_INTERVALS[interval]
    first = -(-start // step) * step
    count = max(0, (end - first) // step + 1)
    newest = first + (count - 1) * step
    mark = call.state.mark_price(instrument.symbol)
    rows = []
    for i in range(min(count, limit)):
        slot = newest - i * step
        row = [str(slot), *(fmt(v) for v in _candle(instrument, mark, slot, salt))]
        if with_volume:
            volume = instrument.qty_step(mark) * (
                100 + int(abs(_noise(instrument.symbol, salt, slot, "v")) * 1000)
            )
            row += [fmt(volume), fmt(instrument.value(volume, Decimal(row[4])))]
        rows.append(row)
    return {"symbol": instrument.symbol, "category": category, "list": rows}


@router.get(f"{_PREFIX}/kline")
def kline(call: Call) -> dict[str, Any]:
    """Candles: ``[startTime, open, high, low, close, volume, turnover]``, newest first."""
    return _kline(call, "trade", with_volume=True)


@router.get(f"{_PREFIX}/mark-price-kline")
def mark_price_kline(call: Call) -> dict[str, Any]:
    """Mark-price candles: ``[startTime, open, high, low, close]``, newest first."""
    return _kline(call, "mark", with_volume=False)


@router.get(f"{_PREFIX}/index-price-kline")
def index_price_kline(call: Call) -> dict[str, Any]:
    """Index-price candles: ``[startTime, open, high, low, close]``, newest first."""
    return _kline(call, "index", with_volume=False)


def _render_instrument(call: Call, instrument: Instrument) -> dict[str, Any]:
    mark = call.state.mark_price(instrument.symbol)
    tick = instrument.tick_size(mark)
    step = instrument.qty_step(mark)
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
        "fundingInterval": _FUNDING_INTERVAL // _MINUTE,
        "settleCoin": instrument.settle_coin,
        "leverageFilter": {
            "minLeverage": "1",
            "maxLeverage": fmt(RISK_TIERS[0].max_leverage),
            "leverageStep": "0.01",
        },
        "priceFilter": {
            "minPrice": fmt(tick),
            "maxPrice": fmt(_on_tick(mark * 100, tick)),
            "tickSize": fmt(tick),
        },
        "lotSizeFilter": {"maxOrderQty": fmt(step * 100_000), "minOrderQty": fmt(step), "qtyStep": fmt(step)},
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
    symbol = instrument.symbol
    mark = call.state.mark_price(symbol)
    tick = instrument.tick_size(mark)
    step = instrument.qty_step(mark)
    prev_24h = _on_tick(mark * (1 + Decimal("0.02") * _noise(symbol, "prev24h")), tick)
    last = _on_tick(mark, tick)
    volume = step * (500_000 + int(abs(_noise(symbol, "volume")) * 500_000))
    open_interest = step * (1_000_000 + int(abs(_noise(symbol, "oi")) * 1_000_000))
    next_funding = (call.server_ms // _FUNDING_INTERVAL + 1) * _FUNDING_INTERVAL
    return {
        "symbol": symbol,
        "bidPrice": fmt(last - tick),
        "askPrice": fmt(last + tick),
        "lastPrice": fmt(last),
        "lastTickDirection": "PlusTick",
        "prevPrice24h": fmt(prev_24h),
        "price24hPcnt": fmt(((last - prev_24h) / prev_24h).quantize(Decimal("0.000001"))),
        "highPrice24h": fmt(_on_tick(max(last, prev_24h) * Decimal("1.01"), tick)),
        "lowPrice24h": fmt(_on_tick(min(last, prev_24h) * Decimal("0.99"), tick)),
        "prevPrice1h": fmt(_on_tick(mark * (1 + Decimal("0.003") * _noise(symbol, "prev1h")), tick)),
        "markPrice": fmt(mark),
        "indexPrice": fmt(_on_tick(mark * (1 + Decimal("0.0002") * _noise(symbol, "index")), tick)),
        "openInterest": fmt(open_interest),
        "turnover24h": fmt(instrument.value(volume, mark)),
        "volume24h": fmt(volume),
        "fundingRate": fmt(_funding_rate(symbol, next_funding)),
        "nextFundingTime": str(next_funding),
        "predictedDeliveryPrice": "",
        "basisRate": "",
        "deliveryFeeRate": "",
        "deliveryTime": "0",
        "openInterestValue": fmt(instrument.value(open_interest, mark)),
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
    mark = call.state.mark_price(instrument.symbol)
    tick = instrument.tick_size(mark)
    step = instrument.qty_step(mark)
    centre = _on_tick(mark, tick)

    def level(side: str, i: int) -> list[str]:
        price = centre - tick * (i + 1) if side == "b" else centre + tick * (i + 1)
        size = step * (1 + int(abs(_noise(instrument.symbol, side, i)) * 50))
        return [fmt(price), fmt(size)]

    return {
        "s": instrument.symbol,
        "b": [level("b", i) for i in range(limit)],
        "a": [level("a", i) for i in range(limit)],
        "ts": call.server_ms,
        "u": call.server_ms // 100,
    }


@router.get(f"{_PREFIX}/recent-trade")
def recent_trades(call: Call) -> dict[str, Any]:
    """Public trades, one per second, newest first."""
    category, instrument = _instrument(call)
    limit = call.params.limit(500, 1000)
    mark = call.state.mark_price(instrument.symbol)
    tick = instrument.tick_size(mark)
    step = instrument.qty_step(mark)
    symbol = instrument.symbol
    items = []
    for i in range(limit):
        at = (call.server_ms // 1000 - i) * 1000
        noise = _noise(symbol, "trade", at)
        items.append(
            {
                "execId": str(uuid.uuid5(_SANDBOX_NAMESPACE, f"{symbol}:{at}")),
                "symbol": symbol,
                "price": fmt(_on_tick(mark * (1 + Decimal("0.001") * noise), tick)),
                "size": fmt(step * (1 + int(abs(noise) * 20))),
                "side": "Buy" if noise >= 0 else "Sell",
                "time": str(at),
                "isBlockTrade": False,
            }
        )
    return {"category": category, "list": items}


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


def _funding_rate(symbol: str, at_ms: int) -> Decimal:
    return (Decimal("0.0001") + Decimal("0.0001") * _noise(symbol, "funding", at_ms)).quantize(
        Decimal("0.00000001")
    )


@router.get(f"{_PREFIX}/funding/history-funding-rate")
def funding_history(call: Call) -> dict[str, Any]:
    """Funding rates, one per 8 hours, newest first."""
    p = call.params
    category, instrument = _instrument(call)
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    limit = p.limit(200, 200)
    newest = ((call.server_ms if end is None else end) // _FUNDING_INTERVAL) * _FUNDING_INTERVAL
    items = []
    for i in range(limit):
        at = newest - i * _FUNDING_INTERVAL
        if at < 0 or (start is not None and at < start):
            break
        items.append(
            {
                "symbol": instrument.symbol,
                "fundingRate": fmt(_funding_rate(instrument.symbol, at)),
                "fundingRateTimestamp": str(at),
            }
        )
    return {"category": category, "list": items}


@router.get(f"{_PREFIX}/open-interest")
def open_interest(call: Call) -> dict[str, Any]:
    """Open interest per interval, newest first, paged by cursor."""
    p = call.params
    category, instrument = _instrument(call)
    interval = p.text("interval", required=True, choices=_OI_INTERVALS)
    step_ms = _OI_INTERVALS[interval]
    start = p.timestamp("startTime")
    end = p.timestamp("endTime")
    limit = p.limit(50, 200)
    newest = ((call.server_ms if end is None else end) // step_ms) * step_ms
    symbol = instrument.symbol
    base = instrument.qty_step(call.state.mark_price(symbol)) * 1_000_000
    slots = [
        at
        for at in (newest - i * step_ms for i in range(_OI_HISTORY))
        if at > 0 and (start is None or at >= start)
    ]
    chunk, cursor = page(slots, lambda at: at, limit, p.text("cursor"))
    items = [
        {"openInterest": fmt(base * (2 + _noise(symbol, "oi", at))), "timestamp": str(at)} for at in chunk
    ]
    return {"symbol": symbol, "category": category, "list": items, "nextPageCursor": cursor}


@router.get("/v3/public/time")
def server_time(call: Call) -> dict[str, Any]:
    """The server clock: ``timeSecond`` and ``timeNano`` (strings)."""
    return {"timeSecond": str(call.server_ms // 1000), "timeNano": str(call.server_ms * 1_000_000)}
