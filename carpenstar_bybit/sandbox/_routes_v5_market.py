"""The V5 market routes (``/v5/market/...``): instruments, tickers, order book, the four kinds of
candles, recent trades, funding history, open interest and risk limits, in V5's shapes, rendered
from the market model (``_marketdata``) and the listed instruments, so they agree with each other
and with the mark prices orders fill at."""

from __future__ import annotations

from typing import Any

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import LAUNCH_MS, RISK_TIERS, Instrument
from carpenstar_bybit.sandbox._paging import page
from carpenstar_bybit.sandbox._router import Call, Router
from carpenstar_bybit.sandbox._routes_market import OI_INTERVALS, funding_rows, open_interest_rows, trade_row

__all__ = ["CATEGORIES", "category_of", "render_option_ticker", "render_ticker", "router"]

router = Router(Family.V5, private=False)
CATEGORIES = ("spot", "linear", "inverse", "option")
_PREFIX = "/v5/market"
_FUNDING_HOURS = md.FUNDING_INTERVAL_MS // 3_600_000
#: Order-book depth per category: (most, default).
_BOOK_DEPTH = {"spot": (200, 1), "linear": (500, 25), "inverse": (500, 25), "option": (25, 1)}


def category_of(call: Call, allowed: tuple[str, ...] = CATEGORIES, *, default: str | None = None) -> str:
    """The request's ``category`` (required unless ``default``); 10001 when it is not one of ``allowed``."""
    value = call.params.text("category")
    if value is None:
        if default is None:
            raise ExchangeError.params("category is required")
        return default
    if value not in allowed:
        raise ExchangeError.params("Illegal category")
    return value


def _symbol(call: Call, category: str, *, required: bool = True) -> Instrument | None:
    symbol = call.params.text("symbol", required=required)
    return call.state.instrument(symbol, (category,)) if symbol else None


def _required_symbol(call: Call, category: str) -> Instrument:
    instrument = _symbol(call, category)
    assert instrument is not None
    return instrument


def _listing(call: Call, category: str) -> list[Instrument]:
    """The instruments a list request is about: its ``symbol``, or the category filtered by
    ``baseCoin``."""
    instrument = _symbol(call, category, required=False)
    if instrument is not None:
        return [instrument]
    base = call.params.text("baseCoin")
    return [i for i in call.state.instruments(category) if base is None or i.base_coin == base]


# -- instruments -----------------------------------------------------------------------------------


def _price_scale(instrument: Instrument) -> str:
    exponent = instrument.tick.normalize().as_tuple().exponent
    return str(-exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _price_filter(instrument: Instrument) -> dict[str, str]:
    return {
        "minPrice": fmt(instrument.tick),
        "maxPrice": fmt(instrument.max_price),
        "tickSize": fmt(instrument.tick),
    }


def _render_contract(instrument: Instrument) -> dict[str, Any]:
    return {
        "symbol": instrument.symbol,
        "contractType": instrument.contract_type,
        "status": "Trading",
        "baseCoin": instrument.base_coin,
        "quoteCoin": instrument.quote_coin,
        "launchTime": str(LAUNCH_MS),
        "deliveryTime": str(instrument.delivery_ms),
        "deliveryFeeRate": "0.0005" if instrument.is_future else "",
        "priceScale": _price_scale(instrument),
        "leverageFilter": {
            "minLeverage": "1",
            "maxLeverage": f"{RISK_TIERS[0].max_leverage:.2f}",
            "leverageStep": "0.01",
        },
        "priceFilter": _price_filter(instrument),
        "lotSizeFilter": {
            "maxOrderQty": fmt(instrument.max_qty),
            "minOrderQty": fmt(instrument.min_qty),
            "qtyStep": fmt(instrument.step),
            "postOnlyMaxOrderQty": fmt(instrument.max_qty),
            "maxMktOrderQty": fmt(instrument.max_market_qty),
            "minNotionalValue": fmt(instrument.min_notional),
        },
        "unifiedMarginTrade": True,
        "fundingInterval": 0 if instrument.is_future else md.FUNDING_INTERVAL_MS // md.MINUTE_MS,
        "settleCoin": instrument.settle_coin,
        "copyTrading": "none",
        "upperFundingRate": "" if instrument.is_future else "0.00375",
        "lowerFundingRate": "" if instrument.is_future else "-0.00375",
        "displayName": "",
        "forbidUplWithdrawal": False,
        "riskParameters": {"priceLimitRatioX": "0.01", "priceLimitRatioY": "0.02"},
        "isPreListing": False,
        "preListingInfo": None,
        "symbolType": "",
    }


def _render_spot(instrument: Instrument) -> dict[str, Any]:
    return {
        "symbol": instrument.symbol,
        "baseCoin": instrument.base_coin,
        "quoteCoin": instrument.quote_coin,
        "innovation": "0",
        "symbolType": "",
        "status": "Trading",
        "marginTrading": "none",
        "stTag": "0",
        "lotSizeFilter": {
            "basePrecision": fmt(instrument.step),
            "quotePrecision": "0.00000001",
            "minOrderQty": fmt(instrument.min_qty),
            "maxOrderQty": fmt(instrument.max_qty),
            "minOrderAmt": fmt(instrument.min_notional),
            "maxOrderAmt": fmt(instrument.value(instrument.max_qty, instrument.max_price)),
            "maxLimitOrderQty": fmt(instrument.max_qty),
            "maxMarketOrderQty": fmt(instrument.max_market_qty),
            "postOnlyMaxLimitOrderSize": fmt(instrument.max_qty),
        },
        "priceFilter": {"tickSize": fmt(instrument.tick)},
        "riskParameters": {"priceLimitRatioX": "0.05", "priceLimitRatioY": "0.05"},
    }


def _render_option(instrument: Instrument) -> dict[str, Any]:
    return {
        "symbol": instrument.symbol,
        "optionsType": "Call" if instrument.symbol.endswith("-C") else "Put",
        "status": "Trading",
        "baseCoin": instrument.base_coin,
        "quoteCoin": instrument.quote_coin,
        "settleCoin": instrument.settle_coin,
        "launchTime": str(LAUNCH_MS),
        "deliveryTime": str(instrument.delivery_ms),
        "deliveryFeeRate": "0.00015",
        "priceFilter": _price_filter(instrument),
        "lotSizeFilter": {
            "maxOrderQty": fmt(instrument.max_qty),
            "minOrderQty": fmt(instrument.min_qty),
            "qtyStep": fmt(instrument.step),
        },
        "displayName": instrument.symbol,
    }


@router.get(f"{_PREFIX}/instruments-info")
def instruments_info(call: Call) -> dict[str, Any]:
    """Instrument specifications of a category (one symbol, or all of them, paged by cursor). An
    unknown symbol gives an empty list, as on Bybit."""
    category = category_of(call)
    p = call.params
    limit = p.limit(500, 1000)
    status = p.text("status")
    symbol = p.text("symbol")
    base = p.text("baseCoin")
    listed = [
        i
        for i in call.state.instruments(category)
        if (symbol is None or i.symbol == symbol) and (base is None or i.base_coin == base)
    ]
    if status is not None and status != "Trading":
        listed = []
    keyed = [(len(listed) - n, item) for n, item in enumerate(listed)]
    chunk, cursor = page(keyed, lambda pair: pair[0], limit, p.text("cursor"))
    render = {"spot": _render_spot, "option": _render_option}.get(category, _render_contract)
    return {"category": category, "list": [render(item) for _, item in chunk], "nextPageCursor": cursor}


# -- tickers, book, trades -------------------------------------------------------------------------


def render_ticker(call: Call, category: str, instrument: Instrument) -> dict[str, Any]:
    """A spot, linear or inverse ticker in the V5 shape, at ``call.server_ms``."""
    t = md.ticker(instrument, call.state.mark_price(instrument.symbol), call.server_ms)
    common = {
        "symbol": t.symbol,
        "bid1Price": fmt(t.bid1[0]),
        "bid1Size": fmt(t.bid1[1]),
        "ask1Price": fmt(t.ask1[0]),
        "ask1Size": fmt(t.ask1[1]),
        "lastPrice": fmt(t.last),
        "prevPrice24h": fmt(t.prev_24h),
        "price24hPcnt": fmt(t.change_24h),
        "highPrice24h": fmt(t.high_24h),
        "lowPrice24h": fmt(t.low_24h),
        "turnover24h": fmt(t.turnover_24h),
        "volume24h": fmt(t.volume_24h),
    }
    if category == "spot":
        return {**common, "usdIndexPrice": fmt(t.index) if instrument.quote_coin in ("USDT", "USDC") else ""}
    future = instrument.is_future
    return {
        **common,
        "indexPrice": fmt(t.index),
        "markPrice": fmt(t.mark),
        "prevPrice1h": fmt(t.prev_1h),
        "openInterest": fmt(t.open_interest),
        "openInterestValue": fmt(instrument.value(t.open_interest, t.mark)),
        "fundingRate": "" if future else fmt(t.funding_rate),
        "nextFundingTime": "0" if future else str(t.next_funding_ms),
        "predictedDeliveryPrice": "",
        "basisRate": fmt(((t.last - t.index) / t.index).quantize(md.PRECISION)) if future else "",
        "basis": fmt(t.last - t.index) if future else "",
        "deliveryFeeRate": "0.0005" if future else "",
        "deliveryTime": str(instrument.delivery_ms),
        "preOpenPrice": "",
        "preQty": "",
        "curPreListingPhase": "",
        "fundingIntervalHour": "" if future else str(_FUNDING_HOURS),
        "fundingCap": "" if future else "0.005",
        "basisRateYear": "",
    }


@router.get(f"{_PREFIX}/tickers")
def tickers(call: Call) -> dict[str, Any]:
    """24-hour tickers of a category (or of one symbol)."""
    category = category_of(call)
    if category == "option":
        listed = _listing(call, category)
        return {"category": category, "list": [render_option_ticker(call, i) for i in listed]}
    instrument = _symbol(call, category, required=False)
    listed = [instrument] if instrument else call.state.instruments(category)
    return {"category": category, "list": [render_ticker(call, category, i) for i in listed]}


def render_option_ticker(call: Call, instrument: Instrument) -> dict[str, Any]:
    """An option ticker in the V5 shape, at ``call.server_ms``."""
    t = md.ticker(instrument, call.state.mark_price(instrument.symbol), call.server_ms)
    return {
        "symbol": t.symbol,
        "bid1Price": fmt(t.bid1[0]),
        "bid1Size": fmt(t.bid1[1]),
        "bid1Iv": "0",
        "ask1Price": fmt(t.ask1[0]),
        "ask1Size": fmt(t.ask1[1]),
        "ask1Iv": "0",
        "lastPrice": fmt(t.last),
        "highPrice24h": fmt(t.high_24h),
        "lowPrice24h": fmt(t.low_24h),
        "markPrice": fmt(t.mark),
        "indexPrice": fmt(t.index),
        "markIv": "0",
        "underlyingPrice": fmt(t.index),
        "openInterest": fmt(t.open_interest),
        "turnover24h": fmt(t.turnover_24h),
        "volume24h": fmt(t.volume_24h),
        "totalVolume": fmt(t.volume_24h),
        "totalTurnover": fmt(t.turnover_24h),
        "delta": "0",
        "gamma": "0",
        "vega": "0",
        "theta": "0",
        "predictedDeliveryPrice": "0",
        "change24h": fmt(t.change_24h),
    }


@router.get(f"{_PREFIX}/orderbook")
def orderbook(call: Call) -> dict[str, Any]:
    """The order book: ``b`` bids best first, ``a`` asks best first, ``[price, size]`` each."""
    category = category_of(call)
    instrument = _required_symbol(call, category)
    most, default = _BOOK_DEPTH[category]
    snapshot = md.book(
        instrument, call.state.mark_price(instrument.symbol), call.params.limit(default, most), call.server_ms
    )
    return {
        "s": snapshot.symbol,
        "b": [[fmt(p), fmt(q)] for p, q in snapshot.bids],
        "a": [[fmt(p), fmt(q)] for p, q in snapshot.asks],
        "ts": snapshot.ts_ms,
        "u": snapshot.update_id,
        "seq": snapshot.seq,
        "cts": snapshot.ts_ms,
    }


@router.get(f"{_PREFIX}/recent-trade")
def recent_trades(call: Call) -> dict[str, Any]:
    """Public trades, newest first (the newest at the last price)."""
    category = category_of(call)
    instrument = _required_symbol(call, category)
    limit = call.params.limit(60, 60) if category == "spot" else call.params.limit(500, 1000)
    trades = md.trades(instrument, call.state.mark_price(instrument.symbol), call.server_ms, limit)
    items = [{**trade_row(t), "isRPITrade": False, "seq": str(t.seq)} for t in trades]
    return {"category": category, "list": items}


# -- candles ---------------------------------------------------------------------------------------


def _klines(call: Call, series: str, categories: tuple[str, ...]) -> dict[str, Any]:
    p = call.params
    category = category_of(call, categories, default="linear")
    instrument = _required_symbol(call, category)
    interval = p.text("interval", required=True, choices=md.KLINE_INTERVALS)
    start = p.timestamp("start")
    end = p.timestamp("end")
    if start is not None and end is not None and start > end:
        raise ExchangeError.params("start must not be after end")
    limit = p.limit(200, 1000)
    rows = []
    for c in md.candles(
        instrument,
        call.state.mark_price(instrument.symbol),
        series,
        md.KLINE_INTERVALS[interval],
        call.server_ms,
        start_ms=start,
        end_ms=end,
        limit=limit,
    ):
        row = [str(c.start_ms), fmt(c.open), fmt(c.high), fmt(c.low), fmt(c.close)]
        if series == "trade":
            row += [fmt(c.volume), fmt(c.turnover)]
        rows.append(row)
    return {"category": category, "symbol": instrument.symbol, "list": rows}


@router.get(f"{_PREFIX}/kline")
def kline(call: Call) -> dict[str, Any]:
    """Candles ``[start, open, high, low, close, volume, turnover]``, newest first; the current one
    closes at the last price."""
    return _klines(call, "trade", ("spot", "linear", "inverse"))


@router.get(f"{_PREFIX}/mark-price-kline")
def mark_price_kline(call: Call) -> dict[str, Any]:
    """Mark-price candles ``[start, open, high, low, close]``, newest first."""
    return _klines(call, "mark", ("linear", "inverse", "option"))


@router.get(f"{_PREFIX}/index-price-kline")
def index_price_kline(call: Call) -> dict[str, Any]:
    """Index-price candles, newest first."""
    return _klines(call, "index", ("linear", "inverse"))


@router.get(f"{_PREFIX}/premium-index-price-kline")
def premium_index_price_kline(call: Call) -> dict[str, Any]:
    """Premium-index candles (linear only), newest first."""
    return _klines(call, "premium", ("linear",))


# -- derivatives data ------------------------------------------------------------------------------


@router.get(f"{_PREFIX}/funding/history")
def funding_history(call: Call) -> dict[str, Any]:
    """Funding rates of a perpetual, one per 8 hours, newest first."""
    category = category_of(call, ("linear", "inverse"))
    instrument = _required_symbol(call, category)
    if instrument.is_future:
        raise ExchangeError.params("symbol invalid (a dated future has no funding)")
    return {"category": category, "list": funding_rows(call, instrument)}


@router.get(f"{_PREFIX}/open-interest")
def open_interest(call: Call) -> dict[str, Any]:
    """Open interest per interval, newest first, paged by cursor."""
    category = category_of(call, ("linear", "inverse"))
    instrument = _required_symbol(call, category)
    interval = call.params.text("intervalTime", required=True, choices=OI_INTERVALS)
    items, cursor = open_interest_rows(call, instrument, OI_INTERVALS[interval])
    return {"category": category, "symbol": instrument.symbol, "list": items, "nextPageCursor": cursor}


@router.get(f"{_PREFIX}/risk-limit")
def risk_limit(call: Call) -> dict[str, Any]:
    """Risk-limit tiers of a symbol (or of every contract of the category)."""
    category = category_of(call, ("linear", "inverse"))
    instrument = _symbol(call, category, required=False)
    listed = [instrument] if instrument else call.state.instruments(category)
    items = [
        {
            "id": tier.id,
            "symbol": item.symbol,
            "riskLimitValue": str(tier.limit),
            "maintenanceMargin": fmt(tier.maintain_margin),
            "initialMargin": fmt(tier.initial_margin),
            "isLowestRisk": 1 if tier.id == 1 else 0,
            "maxLeverage": f"{tier.max_leverage:.2f}",
            "mmDeduction": "",
        }
        for item in listed
        for tier in RISK_TIERS
    ]
    return {"category": category, "list": items, "nextPageCursor": ""}
