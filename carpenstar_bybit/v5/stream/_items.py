"""The items of stream messages: typed, immutable DTOs read from Bybit's JSON (``docs/v5/websocket``).

The private items (``Order``, ``Execution``, ``Position``, ``Wallet``) are the REST items of the same
records (``GET /v5/order/realtime``, ``/v5/execution/list``, ``/v5/position/list``,
``/v5/account/wallet-balance``) with the fields only the stream sends: one set of fields and getters
for both.

Each is an ``AbstractResponse`` of the core: money and sizes are ``Decimal``, times aware UTC
``datetime``s with milliseconds, and absent, ``null`` or ``""`` values read as ``None`` (strings as
``""``), by the rules of ``carpenstar_bybit.core.kinds``. Unknown keys are ignored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from carpenstar_bybit.core import (
    BOOL,
    DATETIME,
    DECIMAL,
    INT,
    STRING,
    AbstractResponse,
    ResponseField,
)
from carpenstar_bybit.v5.account.wallet_balance import GetWalletBalanceResponse, WalletCoinResponse
from carpenstar_bybit.v5.position.execution_list import GetExecutionListResponse
from carpenstar_bybit.v5.position.position_info import GetPositionInfoResponse
from carpenstar_bybit.v5.stream._kinds import ISO_DATETIME
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrdersResponse
from carpenstar_bybit.v5.trade.get_order_history import ExtraFeeResponse

__all__ = [
    "Execution",
    "ExtraFee",
    "Kline",
    "Order",
    "Position",
    "PublicTrade",
    "Ticker",
    "Wallet",
    "WalletCoin",
]


class PublicTrade(AbstractResponse):
    """One trade of a ``publicTrade`` message."""

    __slots__ = (
        "_block_trade",
        "_index_price",
        "_iv",
        "_mark_iv",
        "_mark_price",
        "_price",
        "_rpi_trade",
        "_seq",
        "_side",
        "_size",
        "_symbol",
        "_tick_direction",
        "_trade_id",
        "_trade_time",
    )
    _fields = (
        ResponseField("T", "_trade_time", DATETIME),
        ResponseField("s", "_symbol", STRING),
        ResponseField("S", "_side", STRING),
        ResponseField("v", "_size", DECIMAL),
        ResponseField("p", "_price", DECIMAL),
        ResponseField("L", "_tick_direction", STRING),
        ResponseField("i", "_trade_id", STRING),
        ResponseField("BT", "_block_trade", BOOL),
        ResponseField("RPI", "_rpi_trade", BOOL),
        ResponseField("seq", "_seq", INT),
        ResponseField("mP", "_mark_price", DECIMAL),
        ResponseField("iP", "_index_price", DECIMAL),
        ResponseField("mIv", "_mark_iv", DECIMAL),
        ResponseField("iv", "_iv", DECIMAL),
    )
    _trade_time: datetime | None
    _symbol: str
    _side: str
    _size: Decimal | None
    _price: Decimal | None
    _tick_direction: str
    _trade_id: str
    _block_trade: bool | None
    _rpi_trade: bool | None
    _seq: int | None
    _mark_price: Decimal | None
    _index_price: Decimal | None
    _mark_iv: Decimal | None
    _iv: Decimal | None

    def get_trade_time(self) -> datetime | None:
        """When the trade was matched."""
        return self._trade_time

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def get_side(self) -> str:
        """Side of the taker: ``Buy`` or ``Sell``."""
        return self._side

    def get_size(self) -> Decimal | None:
        """Trade size."""
        return self._size

    def get_price(self) -> Decimal | None:
        """Trade price."""
        return self._price

    def get_tick_direction(self) -> str:
        """Direction of the price change (``PlusTick``...; perpetuals and futures only)."""
        return self._tick_direction

    def get_trade_id(self) -> str:
        """Trade ID."""
        return self._trade_id

    def is_block_trade(self) -> bool | None:
        """Whether it is a block trade."""
        return self._block_trade

    def is_rpi_trade(self) -> bool | None:
        """Whether it is an RPI trade (``None`` when not sent)."""
        return self._rpi_trade

    def get_seq(self) -> int | None:
        """Cross sequence."""
        return self._seq

    def get_mark_price(self) -> Decimal | None:
        """Mark price (options only)."""
        return self._mark_price

    def get_index_price(self) -> Decimal | None:
        """Index price (options only)."""
        return self._index_price

    def get_mark_iv(self) -> Decimal | None:
        """Mark IV (options only)."""
        return self._mark_iv

    def get_iv(self) -> Decimal | None:
        """IV (options only)."""
        return self._iv


class Kline(AbstractResponse):
    """One candle of a ``kline`` message."""

    __slots__ = (
        "_close",
        "_confirmed",
        "_end",
        "_high",
        "_interval",
        "_low",
        "_open",
        "_start",
        "_timestamp",
        "_turnover",
        "_volume",
    )
    _fields = (
        ResponseField("start", "_start", DATETIME),
        ResponseField("end", "_end", DATETIME),
        ResponseField("interval", "_interval", STRING),
        ResponseField("open", "_open", DECIMAL),
        ResponseField("close", "_close", DECIMAL),
        ResponseField("high", "_high", DECIMAL),
        ResponseField("low", "_low", DECIMAL),
        ResponseField("volume", "_volume", DECIMAL),
        ResponseField("turnover", "_turnover", DECIMAL),
        ResponseField("confirm", "_confirmed", BOOL),
        ResponseField("timestamp", "_timestamp", DATETIME),
    )
    _start: datetime | None
    _end: datetime | None
    _interval: str
    _open: Decimal | None
    _close: Decimal | None
    _high: Decimal | None
    _low: Decimal | None
    _volume: Decimal | None
    _turnover: Decimal | None
    _confirmed: bool | None
    _timestamp: datetime | None

    def get_start(self) -> datetime | None:
        """Start of the candle."""
        return self._start

    def get_end(self) -> datetime | None:
        """End of the candle."""
        return self._end

    def get_interval(self) -> str:
        """Interval (``1``... ``720``, ``D``, ``W``, ``M``)."""
        return self._interval

    def get_open(self) -> Decimal | None:
        """Open price."""
        return self._open

    def get_close(self) -> Decimal | None:
        """Close price (the last price while the candle is open)."""
        return self._close

    def get_high(self) -> Decimal | None:
        """Highest price."""
        return self._high

    def get_low(self) -> Decimal | None:
        """Lowest price."""
        return self._low

    def get_volume(self) -> Decimal | None:
        """Trade volume."""
        return self._volume

    def get_turnover(self) -> Decimal | None:
        """Turnover."""
        return self._turnover

    def is_confirmed(self) -> bool | None:
        """Whether the candle has closed (``False``: still open and updating)."""
        return self._confirmed

    def get_timestamp(self) -> datetime | None:
        """Time of the last trade matched in the candle."""
        return self._timestamp


class Ticker(AbstractResponse):
    """A full ticker: the snapshot with every delta since merged in. Fields a category does not send
    read as ``None``."""

    __slots__ = (
        "_ask_1price",
        "_ask_1size",
        "_ask_iv",
        "_ask_price",
        "_ask_size",
        "_basis",
        "_basis_rate",
        "_basis_rate_year",
        "_bid_1price",
        "_bid_1size",
        "_bid_iv",
        "_bid_price",
        "_bid_size",
        "_change_24h",
        "_cur_pre_listing_phase",
        "_delivery_fee_rate",
        "_delivery_time",
        "_delta",
        "_funding_cap",
        "_funding_interval_hour",
        "_funding_rate",
        "_gamma",
        "_high_price_24h",
        "_index_price",
        "_last_price",
        "_low_price_24h",
        "_mark_price",
        "_mark_price_iv",
        "_next_funding_time",
        "_open_interest",
        "_open_interest_value",
        "_pre_open_price",
        "_pre_qty",
        "_predicted_delivery_price",
        "_prev_price_1h",
        "_prev_price_24h",
        "_price_24h_pcnt",
        "_single_open_interest",
        "_single_open_interest_value",
        "_symbol",
        "_theta",
        "_tick_direction",
        "_total_turnover",
        "_total_volume",
        "_turnover_24h",
        "_underlying_price",
        "_usd_index_price",
        "_vega",
        "_volume_24h",
    )
    _fields = (
        ResponseField("symbol", "_symbol", STRING),
        ResponseField("tickDirection", "_tick_direction", STRING),
        ResponseField("price24hPcnt", "_price_24h_pcnt", DECIMAL),
        ResponseField("lastPrice", "_last_price", DECIMAL),
        ResponseField("prevPrice24h", "_prev_price_24h", DECIMAL),
        ResponseField("highPrice24h", "_high_price_24h", DECIMAL),
        ResponseField("lowPrice24h", "_low_price_24h", DECIMAL),
        ResponseField("prevPrice1h", "_prev_price_1h", DECIMAL),
        ResponseField("markPrice", "_mark_price", DECIMAL),
        ResponseField("indexPrice", "_index_price", DECIMAL),
        ResponseField("openInterest", "_open_interest", DECIMAL),
        ResponseField("openInterestValue", "_open_interest_value", DECIMAL),
        ResponseField("singleOpenInterest", "_single_open_interest", DECIMAL),
        ResponseField("singleOpenInterestValue", "_single_open_interest_value", DECIMAL),
        ResponseField("turnover24h", "_turnover_24h", DECIMAL),
        ResponseField("volume24h", "_volume_24h", DECIMAL),
        ResponseField("nextFundingTime", "_next_funding_time", DATETIME),
        ResponseField("fundingRate", "_funding_rate", DECIMAL),
        ResponseField("fundingIntervalHour", "_funding_interval_hour", INT),
        ResponseField("fundingCap", "_funding_cap", DECIMAL),
        ResponseField("bid1Price", "_bid_1price", DECIMAL),
        ResponseField("bid1Size", "_bid_1size", DECIMAL),
        ResponseField("ask1Price", "_ask_1price", DECIMAL),
        ResponseField("ask1Size", "_ask_1size", DECIMAL),
        ResponseField("deliveryTime", "_delivery_time", ISO_DATETIME),
        ResponseField("basisRate", "_basis_rate", DECIMAL),
        ResponseField("basis", "_basis", DECIMAL),
        ResponseField("basisRateYear", "_basis_rate_year", DECIMAL),
        ResponseField("deliveryFeeRate", "_delivery_fee_rate", DECIMAL),
        ResponseField("predictedDeliveryPrice", "_predicted_delivery_price", DECIMAL),
        ResponseField("preOpenPrice", "_pre_open_price", DECIMAL),
        ResponseField("preQty", "_pre_qty", DECIMAL),
        ResponseField("curPreListingPhase", "_cur_pre_listing_phase", STRING),
        ResponseField("bidPrice", "_bid_price", DECIMAL),
        ResponseField("bidSize", "_bid_size", DECIMAL),
        ResponseField("bidIv", "_bid_iv", DECIMAL),
        ResponseField("askPrice", "_ask_price", DECIMAL),
        ResponseField("askSize", "_ask_size", DECIMAL),
        ResponseField("askIv", "_ask_iv", DECIMAL),
        ResponseField("markPriceIv", "_mark_price_iv", DECIMAL),
        ResponseField("underlyingPrice", "_underlying_price", DECIMAL),
        ResponseField("totalVolume", "_total_volume", DECIMAL),
        ResponseField("totalTurnover", "_total_turnover", DECIMAL),
        ResponseField("delta", "_delta", DECIMAL),
        ResponseField("gamma", "_gamma", DECIMAL),
        ResponseField("vega", "_vega", DECIMAL),
        ResponseField("theta", "_theta", DECIMAL),
        ResponseField("change24h", "_change_24h", DECIMAL),
        ResponseField("usdIndexPrice", "_usd_index_price", DECIMAL),
    )
    _symbol: str
    _tick_direction: str
    _price_24h_pcnt: Decimal | None
    _last_price: Decimal | None
    _prev_price_24h: Decimal | None
    _high_price_24h: Decimal | None
    _low_price_24h: Decimal | None
    _prev_price_1h: Decimal | None
    _mark_price: Decimal | None
    _index_price: Decimal | None
    _open_interest: Decimal | None
    _open_interest_value: Decimal | None
    _single_open_interest: Decimal | None
    _single_open_interest_value: Decimal | None
    _turnover_24h: Decimal | None
    _volume_24h: Decimal | None
    _next_funding_time: datetime | None
    _funding_rate: Decimal | None
    _funding_interval_hour: int | None
    _funding_cap: Decimal | None
    _bid_1price: Decimal | None
    _bid_1size: Decimal | None
    _ask_1price: Decimal | None
    _ask_1size: Decimal | None
    _delivery_time: datetime | None
    _basis_rate: Decimal | None
    _basis: Decimal | None
    _basis_rate_year: Decimal | None
    _delivery_fee_rate: Decimal | None
    _predicted_delivery_price: Decimal | None
    _pre_open_price: Decimal | None
    _pre_qty: Decimal | None
    _cur_pre_listing_phase: str
    _bid_price: Decimal | None
    _bid_size: Decimal | None
    _bid_iv: Decimal | None
    _ask_price: Decimal | None
    _ask_size: Decimal | None
    _ask_iv: Decimal | None
    _mark_price_iv: Decimal | None
    _underlying_price: Decimal | None
    _total_volume: Decimal | None
    _total_turnover: Decimal | None
    _delta: Decimal | None
    _gamma: Decimal | None
    _vega: Decimal | None
    _theta: Decimal | None
    _change_24h: Decimal | None
    _usd_index_price: Decimal | None

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def get_tick_direction(self) -> str:
        """Tick direction (linear, inverse)."""
        return self._tick_direction

    def get_price_24h_pcnt(self) -> Decimal | None:
        """Change of the price over 24 hours, as a fraction."""
        return self._price_24h_pcnt

    def get_last_price(self) -> Decimal | None:
        """Last price."""
        return self._last_price

    def get_prev_price_24h(self) -> Decimal | None:
        """Price 24 hours ago."""
        return self._prev_price_24h

    def get_high_price_24h(self) -> Decimal | None:
        """Highest price in the last 24 hours."""
        return self._high_price_24h

    def get_low_price_24h(self) -> Decimal | None:
        """Lowest price in the last 24 hours."""
        return self._low_price_24h

    def get_prev_price_1h(self) -> Decimal | None:
        """Price an hour ago (linear, inverse)."""
        return self._prev_price_1h

    def get_mark_price(self) -> Decimal | None:
        """Mark price."""
        return self._mark_price

    def get_index_price(self) -> Decimal | None:
        """Index price."""
        return self._index_price

    def get_open_interest(self) -> Decimal | None:
        """Open interest size (both sides)."""
        return self._open_interest

    def get_open_interest_value(self) -> Decimal | None:
        """Open interest value (both sides)."""
        return self._open_interest_value

    def get_single_open_interest(self) -> Decimal | None:
        """Open interest size (single side)."""
        return self._single_open_interest

    def get_single_open_interest_value(self) -> Decimal | None:
        """Open interest value (single side)."""
        return self._single_open_interest_value

    def get_turnover_24h(self) -> Decimal | None:
        """Turnover over 24 hours."""
        return self._turnover_24h

    def get_volume_24h(self) -> Decimal | None:
        """Volume over 24 hours."""
        return self._volume_24h

    def get_next_funding_time(self) -> datetime | None:
        """Next funding time (perpetuals; ``None`` for futures)."""
        return self._next_funding_time

    def get_funding_rate(self) -> Decimal | None:
        """Funding rate (perpetuals)."""
        return self._funding_rate

    def get_funding_interval_hour(self) -> int | None:
        """Funding interval in hours (perpetuals)."""
        return self._funding_interval_hour

    def get_funding_cap(self) -> Decimal | None:
        """Upper and lower limit of the funding rate (perpetuals)."""
        return self._funding_cap

    def get_bid_1price(self) -> Decimal | None:
        """Best bid price."""
        return self._bid_1price

    def get_bid_1size(self) -> Decimal | None:
        """Best bid size."""
        return self._bid_1size

    def get_ask_1price(self) -> Decimal | None:
        """Best ask price."""
        return self._ask_1price

    def get_ask_1size(self) -> Decimal | None:
        """Best ask size."""
        return self._ask_1size

    def get_delivery_time(self) -> datetime | None:
        """Delivery time (futures; Bybit sends it as an ISO date)."""
        return self._delivery_time

    def get_basis_rate(self) -> Decimal | None:
        """Basis rate (futures)."""
        return self._basis_rate

    def get_basis(self) -> Decimal | None:
        """Basis (futures)."""
        return self._basis

    def get_basis_rate_year(self) -> Decimal | None:
        """Annual basis rate (futures)."""
        return self._basis_rate_year

    def get_delivery_fee_rate(self) -> Decimal | None:
        """Delivery fee rate (futures)."""
        return self._delivery_fee_rate

    def get_predicted_delivery_price(self) -> Decimal | None:
        """Predicted delivery price (futures, options)."""
        return self._predicted_delivery_price

    def get_pre_open_price(self) -> Decimal | None:
        """Estimated pre-market open price."""
        return self._pre_open_price

    def get_pre_qty(self) -> Decimal | None:
        """Estimated pre-market open quantity."""
        return self._pre_qty

    def get_cur_pre_listing_phase(self) -> str:
        """Current pre-market phase."""
        return self._cur_pre_listing_phase

    def get_bid_price(self) -> Decimal | None:
        """Best bid price (options)."""
        return self._bid_price

    def get_bid_size(self) -> Decimal | None:
        """Best bid size (options)."""
        return self._bid_size

    def get_bid_iv(self) -> Decimal | None:
        """Best bid IV (options)."""
        return self._bid_iv

    def get_ask_price(self) -> Decimal | None:
        """Best ask price (options)."""
        return self._ask_price

    def get_ask_size(self) -> Decimal | None:
        """Best ask size (options)."""
        return self._ask_size

    def get_ask_iv(self) -> Decimal | None:
        """Best ask IV (options)."""
        return self._ask_iv

    def get_mark_price_iv(self) -> Decimal | None:
        """Mark price IV (options)."""
        return self._mark_price_iv

    def get_underlying_price(self) -> Decimal | None:
        """Underlying price (options)."""
        return self._underlying_price

    def get_total_volume(self) -> Decimal | None:
        """Total volume (options)."""
        return self._total_volume

    def get_total_turnover(self) -> Decimal | None:
        """Total turnover (options)."""
        return self._total_turnover

    def get_delta(self) -> Decimal | None:
        """Delta (options)."""
        return self._delta

    def get_gamma(self) -> Decimal | None:
        """Gamma (options)."""
        return self._gamma

    def get_vega(self) -> Decimal | None:
        """Vega (options)."""
        return self._vega

    def get_theta(self) -> Decimal | None:
        """Theta (options)."""
        return self._theta

    def get_change_24h(self) -> Decimal | None:
        """Change over 24 hours (options)."""
        return self._change_24h

    def get_usd_index_price(self) -> Decimal | None:
        """USD index price (spot; ``None`` for coins that are not collateral)."""
        return self._usd_index_price


class Order(GetOpenOrdersResponse):
    """One order of an ``order`` message (or of a REST reconciliation snapshot): the order as
    ``GET /v5/order/realtime`` shows it (``GetOpenOrdersResponse``: every field and getter of it), and
    the fields only the stream sends."""

    __slots__ = (
        "_broker_order_price",
        "_category",
        "_closed_pnl",
        "_fee_currency",
        "_rpi_matched_qty",
        "_rpi_taker_access",
        "_slippage_tolerance",
        "_slippage_tolerance_type",
    )
    _fields: ClassVar[tuple[ResponseField, ...]] = (
        *GetOpenOrdersResponse._fields,
        ResponseField("category", "_category", STRING),
        ResponseField("brokerOrderPrice", "_broker_order_price", DECIMAL),
        ResponseField("closedPnl", "_closed_pnl", DECIMAL),
        ResponseField("feeCurrency", "_fee_currency", STRING),
        ResponseField("slippageToleranceType", "_slippage_tolerance_type", STRING),
        ResponseField("slippageTolerance", "_slippage_tolerance", DECIMAL),
        ResponseField("rpiTakerAccess", "_rpi_taker_access", BOOL),
        ResponseField("rpiMatchedQty", "_rpi_matched_qty", DECIMAL),
    )
    __init__ = AbstractResponse.__init__  # the REST class's generated one reads its fields only
    _category: str
    _broker_order_price: Decimal | None
    _closed_pnl: Decimal | None
    _fee_currency: str
    _slippage_tolerance_type: str
    _slippage_tolerance: Decimal | None
    _rpi_taker_access: bool | None
    _rpi_matched_qty: Decimal | None

    def get_category(self) -> str:
        """Product type: ``spot``, ``linear``, ``inverse``, ``option``."""
        return self._category

    def get_broker_order_price(self) -> Decimal | None:
        """Dedicated field for EU liquidity providers."""
        return self._broker_order_price

    def get_closed_pnl(self) -> Decimal | None:
        """Closed profit and loss of a closing order."""
        return self._closed_pnl

    def get_fee_currency(self) -> str:
        """Fee currency (deprecated, spot)."""
        return self._fee_currency

    def get_slippage_tolerance_type(self) -> str:
        """Slippage tolerance type of market orders."""
        return self._slippage_tolerance_type

    def get_slippage_tolerance(self) -> Decimal | None:
        """Slippage tolerance value."""
        return self._slippage_tolerance

    def is_rpi_taker_access(self) -> bool | None:
        """Whether the order matched an RPI order as counterparty."""
        return self._rpi_taker_access

    def get_rpi_matched_qty(self) -> Decimal | None:
        """Quantity matched against RPI orders."""
        return self._rpi_matched_qty


#: One extra fee of an execution: the item of the REST execution list.
ExtraFee = ExtraFeeResponse


class Execution(GetExecutionListResponse):
    """One fill of an ``execution`` message: the fill as ``GET /v5/execution/list`` shows it
    (``GetExecutionListResponse``: every field and getter of it), and the fields only the stream
    sends."""

    __slots__ = ("_category", "_exec_pnl", "_leverage", "_market_unit")
    _fields: ClassVar[tuple[ResponseField, ...]] = (
        *GetExecutionListResponse._fields,
        ResponseField("category", "_category", STRING),
        ResponseField("isLeverage", "_leverage", BOOL),
        ResponseField("execPnl", "_exec_pnl", DECIMAL),
        ResponseField("marketUnit", "_market_unit", STRING),
    )
    __init__ = AbstractResponse.__init__  # the REST class's generated one reads its fields only
    _category: str
    _leverage: bool | None
    _exec_pnl: Decimal | None
    _market_unit: str

    def get_category(self) -> str:
        """Product type: ``spot``, ``linear``, ``inverse``, ``option``."""
        return self._category

    def is_leverage(self) -> bool | None:
        """Whether the order borrows (spot margin)."""
        return self._leverage

    def get_exec_pnl(self) -> Decimal | None:
        """Profit and loss of a closing fill."""
        return self._exec_pnl

    def get_market_unit(self) -> str:
        """Unit of ``qty`` of spot market orders."""
        return self._market_unit


class Position(GetPositionInfoResponse):
    """One position of a ``position`` message (or of a REST reconciliation snapshot): the position as
    ``GET /v5/position/list`` shows it (``GetPositionInfoResponse``: every field and getter of it),
    with the average entry price the stream sends as ``entryPrice`` where REST has ``avgPrice``
    (``get_entry_price()`` and ``get_avg_price()`` alike), and the ``category``."""

    __slots__ = ("_category",)
    _fields: ClassVar[tuple[ResponseField, ...]] = (
        *(
            ResponseField("entryPrice", f.slot, f.reader) if f.key == "avgPrice" else f
            for f in GetPositionInfoResponse._fields
        ),
        ResponseField("category", "_category", STRING),
    )
    __init__ = AbstractResponse.__init__  # the REST class's generated one reads its fields only
    _category: str

    def get_category(self) -> str:
        """Product type: ``linear``, ``inverse``, ``option``."""
        return self._category

    def get_entry_price(self) -> Decimal | None:
        """Average entry price (the stream's ``entryPrice``, REST's ``avgPrice``)."""
        return self._avg_price


#: One coin of a wallet: the coin of the REST wallet balance.
WalletCoin = WalletCoinResponse


class Wallet(GetWalletBalanceResponse):
    """One account of a ``wallet`` message: the account as ``GET /v5/account/wallet-balance`` shows it
    (``GetWalletBalanceResponse``: the stream sends the same fields); ``get_coin()`` gives its
    ``WalletCoin``s."""

    __slots__ = ()
