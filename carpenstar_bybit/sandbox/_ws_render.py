"""Stream items in Bybit's shapes (``docs/v5/websocket/...``), rendered by the functions the V5 REST
routes use, so a stream and a REST view of the same moment show the same values:

* ``order``: ``/v5/order/realtime``'s order, plus the stream's own fields (``category``,
  ``closedPnl``, ``cumFeeDetail``...);
* ``execution``: ``/v5/execution/list``'s fill, plus ``category``, ``isLeverage``, ``marketUnit``;
* ``position``: ``/v5/position/list``'s position, with ``avgPrice`` named ``entryPrice`` as the stream
  names it, plus ``category``;
* ``wallet``: ``/v5/account/wallet-balance``'s unified account (every coin that is not zero);
* ``tickers``: ``/v5/market/tickers``' ticker, with the fields the stream sends for the kind of
  instrument (``deliveryTime`` as an ISO date, ``tickDirection``...);
* ``publicTrade``, ``kline``, ``orderbook``: the market model's trades, candles and books.

Private items are rendered when the change is handed out (right after it is committed).
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox import _marketdata as md
from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import Family
from carpenstar_bybit.sandbox._instruments import Instrument
from carpenstar_bybit.sandbox._params import Params
from carpenstar_bybit.sandbox._records import SandboxExecution, SandboxOrder, SandboxPosition
from carpenstar_bybit.sandbox._router import Call
from carpenstar_bybit.sandbox._routes_v5 import render_order
from carpenstar_bybit.sandbox._routes_v5_account import render_wallet
from carpenstar_bybit.sandbox._routes_v5_market import render_option_ticker, render_ticker
from carpenstar_bybit.sandbox._routes_v5_position import render_execution, render_position
from carpenstar_bybit.sandbox._state import ExchangeState, StateEvent

__all__ = [
    "book_message",
    "kline_item",
    "private_item",
    "tick_direction",
    "ticker_item",
    "trade_item",
]

_NO_PARAMS = Params({})
#: Ticker fields only dated futures have (a perpetual's stream ticker does not carry them).
_FUTURE_ONLY = (
    "deliveryTime",
    "basisRate",
    "basis",
    "deliveryFeeRate",
    "predictedDeliveryPrice",
    "basisRateYear",
)
#: Ticker fields only perpetuals have.
_PERPETUAL_ONLY = ("fundingIntervalHour", "fundingCap", "preOpenPrice", "preQty", "curPreListingPhase")
#: The option ticker's REST names and the stream's.
_OPTION_NAMES = {
    "bid1Price": "bidPrice",
    "bid1Size": "bidSize",
    "bid1Iv": "bidIv",
    "ask1Price": "askPrice",
    "ask1Size": "askSize",
    "ask1Iv": "askIv",
    "markIv": "markPriceIv",
}
#: Spot stream tickers carry no book and no index besides ``usdIndexPrice``.
_SPOT_FIELDS = (
    "symbol",
    "lastPrice",
    "highPrice24h",
    "lowPrice24h",
    "prevPrice24h",
    "volume24h",
    "turnover24h",
    "price24hPcnt",
    "usdIndexPrice",
)


def _call(state: ExchangeState, api_key: str | None, server_ms: int) -> Call:
    """What a REST handler of ``api_key`` gets, for rendering with the REST routes' functions."""
    return Call(_NO_PARAMS, state, Family.V5, server_ms, api_key)


# -- private ----------------------------------------------------------------------------------------


def _order_item(call: Call, order: SandboxOrder) -> dict[str, Any]:
    instrument = call.state.instrument(order.symbol)
    closed = [r.closed_pnl for r in call.account.closed_pnl if r.order_id == order.order_id]
    item = {"category": order.category, **render_order(call, order)}
    item.update(
        parentOrderLinkId="",
        brokerOrderPrice="",
        closedPnl=fmt(sum(closed, Decimal(0))),
        feeCurrency=instrument.quote_coin if order.category == "spot" else "",
        slippageToleranceType="UNKNOWN",
        slippageTolerance="0",
        rpiTakerAccess=False,
        rpiMatchedQty="0",
    )
    if order.category in ("linear", "spot"):  # these show fees per coin, the others cumExecFee
        fee_coin = instrument.quote_coin if order.category == "spot" else instrument.settle_coin
        item["cumFeeDetail"] = {fee_coin: fmt(order.cum_exec_fee)} if order.cum_exec_qty else {}
    return item


def _execution_item(call: Call, execution: SandboxExecution) -> dict[str, Any]:
    item = {"category": execution.category, **render_execution(call, execution)}
    item.update(isLeverage="0", marketUnit="")
    return item


def _position_item(call: Call, position: SandboxPosition) -> dict[str, Any]:
    rendered = render_position(call, position)
    rendered["entryPrice"] = rendered.pop("avgPrice")  # "average entry price" in both docs
    return {"category": position.category, **rendered}


def private_item(state: ExchangeState, event: StateEvent, server_ms: int) -> dict[str, Any]:
    """The stream item of a committed change, as the REST view of the same record shows it."""
    call = _call(state, event.account, server_ms)
    if event.kind == "order":
        assert isinstance(event.data, SandboxOrder)
        return _order_item(call, event.data)
    if event.kind == "execution":
        assert isinstance(event.data, SandboxExecution)
        return _execution_item(call, event.data)
    if event.kind == "position":
        assert isinstance(event.data, SandboxPosition)
        return _position_item(call, event.data)
    if event.kind == "wallet":
        return render_wallet(call)
    raise ValueError(f"no stream for {event.kind!r} events")


# -- public -----------------------------------------------------------------------------------------


def _levels(levels: tuple[tuple[Decimal, Decimal], ...] | list[tuple[Decimal, Decimal]]) -> list[list[str]]:
    return [[fmt(price), fmt(size)] for price, size in levels]


def book_message(
    topic: str,
    book: md.Book,
    update_id: int,
    changes: tuple[list[tuple[Decimal, Decimal]], list[tuple[Decimal, Decimal]]] | None = None,
) -> dict[str, Any]:
    """An ``orderbook`` message: the whole ``book`` (a snapshot), or its ``changes`` (a delta)."""
    bids, asks = (book.bids, book.asks) if changes is None else changes
    return {
        "topic": topic,
        "type": "snapshot" if changes is None else "delta",
        "ts": book.ts_ms,
        "data": {"s": book.symbol, "b": _levels(bids), "a": _levels(asks), "u": update_id, "seq": book.seq},
        "cts": book.ts_ms,
    }


def tick_direction(price: Decimal, previous: Decimal | None, before: str) -> str:
    """Bybit's tick direction of ``price`` after ``previous`` (``before``: the previous direction)."""
    if previous is None or price == previous:
        return "ZeroMinusTick" if before in ("MinusTick", "ZeroMinusTick") else "ZeroPlusTick"
    return "PlusTick" if price > previous else "MinusTick"


def trade_item(instrument: Instrument, mark: Decimal, trade: md.Trade, direction: str) -> dict[str, Any]:
    """A ``publicTrade`` item (options add mark and index price and IVs)."""
    item: dict[str, Any] = {
        "T": trade.time_ms,
        "s": trade.symbol,
        "S": trade.side,
        "v": fmt(trade.size),
        "p": fmt(trade.price),
        "L": direction,
        "i": trade.exec_id,
        "BT": False,
        "RPI": False,
        "seq": trade.seq,
    }
    if "option" in instrument.categories:
        del item["L"]
        item.update(mP=fmt(mark), iP=fmt(md.index_price(instrument, mark)), mIv="0", iv="0")
    return item


def _iso(ms: int) -> str:
    moment = datetime.fromtimestamp(ms / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ticker_item(state: ExchangeState, category: str, instrument: Instrument, now_ms: int) -> dict[str, Any]:
    """The full stream ticker of ``instrument`` at ``now_ms`` (without ``tickDirection``, which
    depends on the previous one)."""
    call = _call(state, None, now_ms)
    if category == "option":
        rest = render_option_ticker(call, instrument)
        return {_OPTION_NAMES.get(key, key): value for key, value in rest.items()}
    rest = render_ticker(call, category, instrument)
    if category == "spot":
        return {key: rest[key] for key in _SPOT_FIELDS}
    if instrument.is_future:
        item = {k: v for k, v in rest.items() if k not in _PERPETUAL_ONLY}
        item.update(deliveryTime=_iso(instrument.delivery_ms), nextFundingTime="", fundingRate="")
        return item
    return {k: v for k, v in rest.items() if k not in _FUTURE_ONLY}


def kline_item(
    candle: md.Candle, interval: str, step_ms: int, now_ms: int, *, confirm: bool
) -> dict[str, Any]:
    """A ``kline`` item: ``confirm`` once the candle has closed."""
    return {
        "start": candle.start_ms,
        "end": candle.start_ms + step_ms - 1,
        "interval": interval,
        "open": fmt(candle.open),
        "close": fmt(candle.close),
        "high": fmt(candle.high),
        "low": fmt(candle.low),
        "volume": fmt(candle.volume),
        "turnover": fmt(candle.turnover),
        "confirm": confirm,
        "timestamp": now_ms,
    }
