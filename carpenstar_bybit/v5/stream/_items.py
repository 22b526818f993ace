"""The items of stream messages: typed, immutable DTOs read from Bybit's JSON (``docs/v5/websocket``).

Each is an ``AbstractResponse`` of the core: money and sizes are ``Decimal``, times aware UTC
``datetime``s with milliseconds, and absent, ``null`` or ``""`` values read as ``None`` (strings as
``""``), by the rules of ``carpenstar_bybit.core.kinds``. Unknown keys are ignored.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from carpenstar_bybit.core import (
    BOOL,
    DATETIME,
    DECIMAL,
    INT,
    STRING,
    AbstractResponse,
    EntityCollection,
    Nested,
    ResponseField,
)
from carpenstar_bybit.v5.stream._kinds import FEE_DETAIL, ISO_DATETIME

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


class Order(AbstractResponse):
    """One order of an ``order`` message (or of a REST reconciliation snapshot)."""

    __slots__ = (
        "_avg_price",
        "_block_trade_id",
        "_broker_order_price",
        "_cancel_type",
        "_category",
        "_close_on_trigger",
        "_closed_pnl",
        "_create_type",
        "_created_time",
        "_cum_exec_fee",
        "_cum_exec_qty",
        "_cum_exec_value",
        "_cum_fee_detail",
        "_fee_currency",
        "_last_price_on_created",
        "_leaves_qty",
        "_leaves_value",
        "_leverage",
        "_market_unit",
        "_oco_trigger_by",
        "_order_id",
        "_order_iv",
        "_order_link_id",
        "_order_status",
        "_order_type",
        "_parent_order_link_id",
        "_place_type",
        "_position_idx",
        "_price",
        "_qty",
        "_reduce_only",
        "_reject_reason",
        "_rpi_matched_qty",
        "_rpi_taker_access",
        "_side",
        "_sl_limit_price",
        "_sl_trigger_by",
        "_slippage_tolerance",
        "_slippage_tolerance_type",
        "_smp_group",
        "_smp_order_id",
        "_smp_type",
        "_stop_loss",
        "_stop_order_type",
        "_symbol",
        "_take_profit",
        "_time_in_force",
        "_tp_limit_price",
        "_tp_trigger_by",
        "_tpsl_mode",
        "_trigger_by",
        "_trigger_direction",
        "_trigger_price",
        "_updated_time",
    )
    _fields = (
        ResponseField("category", "_category", STRING),
        ResponseField("orderId", "_order_id", STRING),
        ResponseField("orderLinkId", "_order_link_id", STRING),
        ResponseField("parentOrderLinkId", "_parent_order_link_id", STRING),
        ResponseField("isLeverage", "_leverage", BOOL),
        ResponseField("blockTradeId", "_block_trade_id", STRING),
        ResponseField("symbol", "_symbol", STRING),
        ResponseField("price", "_price", DECIMAL),
        ResponseField("brokerOrderPrice", "_broker_order_price", DECIMAL),
        ResponseField("qty", "_qty", DECIMAL),
        ResponseField("side", "_side", STRING),
        ResponseField("positionIdx", "_position_idx", INT),
        ResponseField("orderStatus", "_order_status", STRING),
        ResponseField("createType", "_create_type", STRING),
        ResponseField("cancelType", "_cancel_type", STRING),
        ResponseField("rejectReason", "_reject_reason", STRING),
        ResponseField("avgPrice", "_avg_price", DECIMAL),
        ResponseField("leavesQty", "_leaves_qty", DECIMAL),
        ResponseField("leavesValue", "_leaves_value", DECIMAL),
        ResponseField("cumExecQty", "_cum_exec_qty", DECIMAL),
        ResponseField("cumExecValue", "_cum_exec_value", DECIMAL),
        ResponseField("cumExecFee", "_cum_exec_fee", DECIMAL),
        ResponseField("cumFeeDetail", "_cum_fee_detail", FEE_DETAIL),
        ResponseField("closedPnl", "_closed_pnl", DECIMAL),
        ResponseField("feeCurrency", "_fee_currency", STRING),
        ResponseField("timeInForce", "_time_in_force", STRING),
        ResponseField("orderType", "_order_type", STRING),
        ResponseField("stopOrderType", "_stop_order_type", STRING),
        ResponseField("ocoTriggerBy", "_oco_trigger_by", STRING),
        ResponseField("orderIv", "_order_iv", DECIMAL),
        ResponseField("marketUnit", "_market_unit", STRING),
        ResponseField("slippageToleranceType", "_slippage_tolerance_type", STRING),
        ResponseField("slippageTolerance", "_slippage_tolerance", DECIMAL),
        ResponseField("triggerPrice", "_trigger_price", DECIMAL),
        ResponseField("takeProfit", "_take_profit", DECIMAL),
        ResponseField("stopLoss", "_stop_loss", DECIMAL),
        ResponseField("tpslMode", "_tpsl_mode", STRING),
        ResponseField("tpLimitPrice", "_tp_limit_price", DECIMAL),
        ResponseField("slLimitPrice", "_sl_limit_price", DECIMAL),
        ResponseField("tpTriggerBy", "_tp_trigger_by", STRING),
        ResponseField("slTriggerBy", "_sl_trigger_by", STRING),
        ResponseField("triggerDirection", "_trigger_direction", INT),
        ResponseField("triggerBy", "_trigger_by", STRING),
        ResponseField("lastPriceOnCreated", "_last_price_on_created", DECIMAL),
        ResponseField("reduceOnly", "_reduce_only", BOOL),
        ResponseField("closeOnTrigger", "_close_on_trigger", BOOL),
        ResponseField("placeType", "_place_type", STRING),
        ResponseField("smpType", "_smp_type", STRING),
        ResponseField("smpGroup", "_smp_group", INT),
        ResponseField("smpOrderId", "_smp_order_id", STRING),
        ResponseField("rpiTakerAccess", "_rpi_taker_access", BOOL),
        ResponseField("rpiMatchedQty", "_rpi_matched_qty", DECIMAL),
        ResponseField("createdTime", "_created_time", DATETIME),
        ResponseField("updatedTime", "_updated_time", DATETIME),
    )
    _category: str
    _order_id: str
    _order_link_id: str
    _parent_order_link_id: str
    _leverage: bool | None
    _block_trade_id: str
    _symbol: str
    _price: Decimal | None
    _broker_order_price: Decimal | None
    _qty: Decimal | None
    _side: str
    _position_idx: int | None
    _order_status: str
    _create_type: str
    _cancel_type: str
    _reject_reason: str
    _avg_price: Decimal | None
    _leaves_qty: Decimal | None
    _leaves_value: Decimal | None
    _cum_exec_qty: Decimal | None
    _cum_exec_value: Decimal | None
    _cum_exec_fee: Decimal | None
    _cum_fee_detail: tuple[tuple[str, Decimal], ...]
    _closed_pnl: Decimal | None
    _fee_currency: str
    _time_in_force: str
    _order_type: str
    _stop_order_type: str
    _oco_trigger_by: str
    _order_iv: Decimal | None
    _market_unit: str
    _slippage_tolerance_type: str
    _slippage_tolerance: Decimal | None
    _trigger_price: Decimal | None
    _take_profit: Decimal | None
    _stop_loss: Decimal | None
    _tpsl_mode: str
    _tp_limit_price: Decimal | None
    _sl_limit_price: Decimal | None
    _tp_trigger_by: str
    _sl_trigger_by: str
    _trigger_direction: int | None
    _trigger_by: str
    _last_price_on_created: Decimal | None
    _reduce_only: bool | None
    _close_on_trigger: bool | None
    _place_type: str
    _smp_type: str
    _smp_group: int | None
    _smp_order_id: str
    _rpi_taker_access: bool | None
    _rpi_matched_qty: Decimal | None
    _created_time: datetime | None
    _updated_time: datetime | None

    def get_category(self) -> str:
        """Product type: ``spot``, ``linear``, ``inverse``, ``option``."""
        return self._category

    def get_order_id(self) -> str:
        """Order ID."""
        return self._order_id

    def get_order_link_id(self) -> str:
        """Your own order ID."""
        return self._order_link_id

    def get_parent_order_link_id(self) -> str:
        """The parent order of an attached take-profit or stop-loss order."""
        return self._parent_order_link_id

    def is_leverage(self) -> bool | None:
        """Whether the order borrows (spot margin)."""
        return self._leverage

    def get_block_trade_id(self) -> str:
        """Block trade ID."""
        return self._block_trade_id

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def get_price(self) -> Decimal | None:
        """Order price."""
        return self._price

    def get_broker_order_price(self) -> Decimal | None:
        """Dedicated field for EU liquidity providers."""
        return self._broker_order_price

    def get_qty(self) -> Decimal | None:
        """Order quantity."""
        return self._qty

    def get_side(self) -> str:
        """``Buy`` or ``Sell``."""
        return self._side

    def get_position_idx(self) -> int | None:
        """Position index (0 one-way, 1 buy side, 2 sell side of hedge mode)."""
        return self._position_idx

    def get_order_status(self) -> str:
        """Order status (``New``, ``PartiallyFilled``, ``Filled``, ``Cancelled``...)."""
        return self._order_status

    def get_create_type(self) -> str:
        """How the order was created (not for spot and options)."""
        return self._create_type

    def get_cancel_type(self) -> str:
        """Cancel type."""
        return self._cancel_type

    def get_reject_reason(self) -> str:
        """Reject reason (``EC_NoError`` when none)."""
        return self._reject_reason

    def get_avg_price(self) -> Decimal | None:
        """Average fill price (``None`` without fills)."""
        return self._avg_price

    def get_leaves_qty(self) -> Decimal | None:
        """Quantity not filled yet."""
        return self._leaves_qty

    def get_leaves_value(self) -> Decimal | None:
        """Value not filled yet."""
        return self._leaves_value

    def get_cum_exec_qty(self) -> Decimal | None:
        """Filled quantity so far."""
        return self._cum_exec_qty

    def get_cum_exec_value(self) -> Decimal | None:
        """Filled value so far."""
        return self._cum_exec_value

    def get_cum_exec_fee(self) -> Decimal | None:
        """Fees so far (inverse, option; linear and spot: see ``get_cum_fee_detail()``)."""
        return self._cum_exec_fee

    def get_cum_fee_detail(self) -> dict[str, Decimal]:
        """Fees so far by coin (linear, spot), e.g. ``{"USDT": Decimal("0.1")}``; empty when not sent."""
        return dict(self._cum_fee_detail)

    def get_closed_pnl(self) -> Decimal | None:
        """Closed profit and loss of a closing order."""
        return self._closed_pnl

    def get_fee_currency(self) -> str:
        """Fee currency (deprecated, spot)."""
        return self._fee_currency

    def get_time_in_force(self) -> str:
        """Time in force."""
        return self._time_in_force

    def get_order_type(self) -> str:
        """``Market`` or ``Limit``."""
        return self._order_type

    def get_stop_order_type(self) -> str:
        """Stop order type."""
        return self._stop_order_type

    def get_oco_trigger_by(self) -> str:
        """Trigger of a spot OCO order."""
        return self._oco_trigger_by

    def get_order_iv(self) -> Decimal | None:
        """Implied volatility (options)."""
        return self._order_iv

    def get_market_unit(self) -> str:
        """Unit of ``qty`` of spot market orders: ``baseCoin`` or ``quoteCoin``."""
        return self._market_unit

    def get_slippage_tolerance_type(self) -> str:
        """Slippage tolerance type of market orders."""
        return self._slippage_tolerance_type

    def get_slippage_tolerance(self) -> Decimal | None:
        """Slippage tolerance value."""
        return self._slippage_tolerance

    def get_trigger_price(self) -> Decimal | None:
        """Trigger price (the activation price of a trailing stop)."""
        return self._trigger_price

    def get_take_profit(self) -> Decimal | None:
        """Take-profit price."""
        return self._take_profit

    def get_stop_loss(self) -> Decimal | None:
        """Stop-loss price."""
        return self._stop_loss

    def get_tpsl_mode(self) -> str:
        """TP/SL mode: ``Full`` or ``Partial``."""
        return self._tpsl_mode

    def get_tp_limit_price(self) -> Decimal | None:
        """Limit price of the take-profit order."""
        return self._tp_limit_price

    def get_sl_limit_price(self) -> Decimal | None:
        """Limit price of the stop-loss order."""
        return self._sl_limit_price

    def get_tp_trigger_by(self) -> str:
        """Price type that triggers the take-profit."""
        return self._tp_trigger_by

    def get_sl_trigger_by(self) -> str:
        """Price type that triggers the stop-loss."""
        return self._sl_trigger_by

    def get_trigger_direction(self) -> int | None:
        """Trigger direction: 1 rise, 2 fall."""
        return self._trigger_direction

    def get_trigger_by(self) -> str:
        """Price type of the trigger price."""
        return self._trigger_by

    def get_last_price_on_created(self) -> Decimal | None:
        """Last price when the order was placed."""
        return self._last_price_on_created

    def is_reduce_only(self) -> bool | None:
        """Whether the order only reduces a position."""
        return self._reduce_only

    def is_close_on_trigger(self) -> bool | None:
        """Whether it is a close-on-trigger order."""
        return self._close_on_trigger

    def get_place_type(self) -> str:
        """Place type of options: ``iv`` or ``price``."""
        return self._place_type

    def get_smp_type(self) -> str:
        """SMP execution type."""
        return self._smp_type

    def get_smp_group(self) -> int | None:
        """SMP group ID (0 without a group)."""
        return self._smp_group

    def get_smp_order_id(self) -> str:
        """The counterparty order that triggered the SMP execution."""
        return self._smp_order_id

    def is_rpi_taker_access(self) -> bool | None:
        """Whether the order matched an RPI order as counterparty."""
        return self._rpi_taker_access

    def get_rpi_matched_qty(self) -> Decimal | None:
        """Quantity matched against RPI orders."""
        return self._rpi_matched_qty

    def get_created_time(self) -> datetime | None:
        """When the order was created."""
        return self._created_time

    def get_updated_time(self) -> datetime | None:
        """When the order last changed: compare it to order events of the same order."""
        return self._updated_time


class ExtraFee(AbstractResponse):
    """One extra fee of an execution."""

    __slots__ = (
        "_fee",
        "_fee_coin",
        "_fee_rate",
        "_fee_type",
        "_sub_fee_type",
    )
    _fields = (
        ResponseField("feeCoin", "_fee_coin", STRING),
        ResponseField("feeType", "_fee_type", STRING),
        ResponseField("subFeeType", "_sub_fee_type", STRING),
        ResponseField("feeRate", "_fee_rate", DECIMAL),
        ResponseField("fee", "_fee", DECIMAL),
    )
    _fee_coin: str
    _fee_type: str
    _sub_fee_type: str
    _fee_rate: Decimal | None
    _fee: Decimal | None

    def get_fee_coin(self) -> str:
        """Fee coin."""
        return self._fee_coin

    def get_fee_type(self) -> str:
        """Fee type."""
        return self._fee_type

    def get_sub_fee_type(self) -> str:
        """Sub fee type."""
        return self._sub_fee_type

    def get_fee_rate(self) -> Decimal | None:
        """Fee rate."""
        return self._fee_rate

    def get_fee(self) -> Decimal | None:
        """Fee amount."""
        return self._fee


class Execution(AbstractResponse):
    """One fill of an ``execution`` message."""

    __slots__ = (
        "_block_trade_id",
        "_category",
        "_closed_size",
        "_create_type",
        "_exec_fee",
        "_exec_id",
        "_exec_pnl",
        "_exec_price",
        "_exec_qty",
        "_exec_time",
        "_exec_type",
        "_exec_value",
        "_extra_fees",
        "_fee_currency",
        "_fee_rate",
        "_index_price",
        "_leaves_qty",
        "_leverage",
        "_maker",
        "_mark_iv",
        "_mark_price",
        "_market_unit",
        "_order_id",
        "_order_link_id",
        "_order_price",
        "_order_qty",
        "_order_type",
        "_seq",
        "_side",
        "_stop_order_type",
        "_symbol",
        "_trade_iv",
        "_underlying_price",
    )
    _fields = (
        ResponseField("category", "_category", STRING),
        ResponseField("symbol", "_symbol", STRING),
        ResponseField("isLeverage", "_leverage", BOOL),
        ResponseField("orderId", "_order_id", STRING),
        ResponseField("orderLinkId", "_order_link_id", STRING),
        ResponseField("side", "_side", STRING),
        ResponseField("orderPrice", "_order_price", DECIMAL),
        ResponseField("orderQty", "_order_qty", DECIMAL),
        ResponseField("leavesQty", "_leaves_qty", DECIMAL),
        ResponseField("createType", "_create_type", STRING),
        ResponseField("orderType", "_order_type", STRING),
        ResponseField("stopOrderType", "_stop_order_type", STRING),
        ResponseField("execFee", "_exec_fee", DECIMAL),
        ResponseField("feeCurrency", "_fee_currency", STRING),
        ResponseField("execId", "_exec_id", STRING),
        ResponseField("execPrice", "_exec_price", DECIMAL),
        ResponseField("execQty", "_exec_qty", DECIMAL),
        ResponseField("execPnl", "_exec_pnl", DECIMAL),
        ResponseField("execType", "_exec_type", STRING),
        ResponseField("execValue", "_exec_value", DECIMAL),
        ResponseField("execTime", "_exec_time", DATETIME),
        ResponseField("isMaker", "_maker", BOOL),
        ResponseField("feeRate", "_fee_rate", DECIMAL),
        ResponseField("tradeIv", "_trade_iv", DECIMAL),
        ResponseField("markIv", "_mark_iv", DECIMAL),
        ResponseField("markPrice", "_mark_price", DECIMAL),
        ResponseField("indexPrice", "_index_price", DECIMAL),
        ResponseField("underlyingPrice", "_underlying_price", DECIMAL),
        ResponseField("blockTradeId", "_block_trade_id", STRING),
        ResponseField("closedSize", "_closed_size", DECIMAL),
        ResponseField("marketUnit", "_market_unit", STRING),
        ResponseField("extraFees", "_extra_fees", Nested(ExtraFee)),
        ResponseField("seq", "_seq", INT),
    )
    _category: str
    _symbol: str
    _leverage: bool | None
    _order_id: str
    _order_link_id: str
    _side: str
    _order_price: Decimal | None
    _order_qty: Decimal | None
    _leaves_qty: Decimal | None
    _create_type: str
    _order_type: str
    _stop_order_type: str
    _exec_fee: Decimal | None
    _fee_currency: str
    _exec_id: str
    _exec_price: Decimal | None
    _exec_qty: Decimal | None
    _exec_pnl: Decimal | None
    _exec_type: str
    _exec_value: Decimal | None
    _exec_time: datetime | None
    _maker: bool | None
    _fee_rate: Decimal | None
    _trade_iv: Decimal | None
    _mark_iv: Decimal | None
    _mark_price: Decimal | None
    _index_price: Decimal | None
    _underlying_price: Decimal | None
    _block_trade_id: str
    _closed_size: Decimal | None
    _market_unit: str
    _extra_fees: EntityCollection[ExtraFee]
    _seq: int | None

    def get_category(self) -> str:
        """Product type: ``spot``, ``linear``, ``inverse``, ``option``."""
        return self._category

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def is_leverage(self) -> bool | None:
        """Whether the order borrows (spot margin)."""
        return self._leverage

    def get_order_id(self) -> str:
        """Order ID."""
        return self._order_id

    def get_order_link_id(self) -> str:
        """Your own order ID."""
        return self._order_link_id

    def get_side(self) -> str:
        """``Buy`` or ``Sell``."""
        return self._side

    def get_order_price(self) -> Decimal | None:
        """Order price."""
        return self._order_price

    def get_order_qty(self) -> Decimal | None:
        """Order quantity."""
        return self._order_qty

    def get_leaves_qty(self) -> Decimal | None:
        """Quantity of the order not filled yet."""
        return self._leaves_qty

    def get_create_type(self) -> str:
        """How the order was created (not for spot and options)."""
        return self._create_type

    def get_order_type(self) -> str:
        """``Market`` or ``Limit``."""
        return self._order_type

    def get_stop_order_type(self) -> str:
        """Stop order type."""
        return self._stop_order_type

    def get_exec_fee(self) -> Decimal | None:
        """Fee of this fill."""
        return self._exec_fee

    def get_fee_currency(self) -> str:
        """Fee currency."""
        return self._fee_currency

    def get_exec_id(self) -> str:
        """Execution ID."""
        return self._exec_id

    def get_exec_price(self) -> Decimal | None:
        """Fill price."""
        return self._exec_price

    def get_exec_qty(self) -> Decimal | None:
        """Fill quantity."""
        return self._exec_qty

    def get_exec_pnl(self) -> Decimal | None:
        """Profit and loss of a closing fill."""
        return self._exec_pnl

    def get_exec_type(self) -> str:
        """Execution type (``Trade``, ``Funding``...)."""
        return self._exec_type

    def get_exec_value(self) -> Decimal | None:
        """Fill value."""
        return self._exec_value

    def get_exec_time(self) -> datetime | None:
        """When the fill happened."""
        return self._exec_time

    def is_maker(self) -> bool | None:
        """Whether the order was the maker."""
        return self._maker

    def get_fee_rate(self) -> Decimal | None:
        """Fee rate."""
        return self._fee_rate

    def get_trade_iv(self) -> Decimal | None:
        """Implied volatility (options)."""
        return self._trade_iv

    def get_mark_iv(self) -> Decimal | None:
        """Implied volatility of the mark price (options)."""
        return self._mark_iv

    def get_mark_price(self) -> Decimal | None:
        """Mark price at the fill."""
        return self._mark_price

    def get_index_price(self) -> Decimal | None:
        """Index price at the fill (options)."""
        return self._index_price

    def get_underlying_price(self) -> Decimal | None:
        """Underlying price at the fill (options)."""
        return self._underlying_price

    def get_block_trade_id(self) -> str:
        """Block trade ID."""
        return self._block_trade_id

    def get_closed_size(self) -> Decimal | None:
        """Size of the position closed by this fill."""
        return self._closed_size

    def get_market_unit(self) -> str:
        """Unit of ``qty`` of spot market orders."""
        return self._market_unit

    def get_extra_fees(self) -> EntityCollection[ExtraFee]:
        """Extra fees (some regions only; empty otherwise)."""
        return self._extra_fees

    def get_seq(self) -> int | None:
        """Cross sequence: the same as the ``seq`` of the position update this fill caused."""
        return self._seq


class Position(AbstractResponse):
    """One position of a ``position`` message (or of a REST reconciliation snapshot)."""

    __slots__ = (
        "_adl_rank_indicator",
        "_auto_add_margin",
        "_break_even_price",
        "_bust_price",
        "_category",
        "_created_time",
        "_cum_realised_pnl",
        "_cur_realised_pnl",
        "_delta",
        "_entry_price",
        "_gamma",
        "_leverage",
        "_leverage_sys_updated_time",
        "_liq_price",
        "_mark_price",
        "_mmr_sys_updated_time",
        "_open_time",
        "_position_balance",
        "_position_idx",
        "_position_im",
        "_position_im_by_mp",
        "_position_mm",
        "_position_mm_by_mp",
        "_position_status",
        "_position_value",
        "_reduce_only",
        "_risk_id",
        "_risk_limit_value",
        "_seq",
        "_session_avg_price",
        "_side",
        "_size",
        "_stop_loss",
        "_symbol",
        "_take_profit",
        "_theta",
        "_tpsl_mode",
        "_trade_mode",
        "_trailing_stop",
        "_unrealised_pnl",
        "_updated_time",
        "_vega",
    )
    _fields = (
        ResponseField("category", "_category", STRING),
        ResponseField("symbol", "_symbol", STRING),
        ResponseField("side", "_side", STRING),
        ResponseField("size", "_size", DECIMAL),
        ResponseField("positionIdx", "_position_idx", INT),
        ResponseField("positionValue", "_position_value", DECIMAL),
        ResponseField("riskId", "_risk_id", INT),
        ResponseField("riskLimitValue", "_risk_limit_value", DECIMAL),
        ResponseField("entryPrice", "_entry_price", DECIMAL),
        ResponseField("markPrice", "_mark_price", DECIMAL),
        ResponseField("leverage", "_leverage", DECIMAL),
        ResponseField("breakEvenPrice", "_break_even_price", DECIMAL),
        ResponseField("autoAddMargin", "_auto_add_margin", INT),
        ResponseField("positionIM", "_position_im", DECIMAL),
        ResponseField("positionMM", "_position_mm", DECIMAL),
        ResponseField("positionIMByMp", "_position_im_by_mp", DECIMAL),
        ResponseField("positionMMByMp", "_position_mm_by_mp", DECIMAL),
        ResponseField("liqPrice", "_liq_price", DECIMAL),
        ResponseField("bustPrice", "_bust_price", DECIMAL),
        ResponseField("takeProfit", "_take_profit", DECIMAL),
        ResponseField("stopLoss", "_stop_loss", DECIMAL),
        ResponseField("trailingStop", "_trailing_stop", DECIMAL),
        ResponseField("unrealisedPnl", "_unrealised_pnl", DECIMAL),
        ResponseField("curRealisedPnl", "_cur_realised_pnl", DECIMAL),
        ResponseField("cumRealisedPnl", "_cum_realised_pnl", DECIMAL),
        ResponseField("sessionAvgPrice", "_session_avg_price", DECIMAL),
        ResponseField("delta", "_delta", DECIMAL),
        ResponseField("gamma", "_gamma", DECIMAL),
        ResponseField("vega", "_vega", DECIMAL),
        ResponseField("theta", "_theta", DECIMAL),
        ResponseField("positionStatus", "_position_status", STRING),
        ResponseField("adlRankIndicator", "_adl_rank_indicator", INT),
        ResponseField("isReduceOnly", "_reduce_only", BOOL),
        ResponseField("tpslMode", "_tpsl_mode", STRING),
        ResponseField("positionBalance", "_position_balance", DECIMAL),
        ResponseField("tradeMode", "_trade_mode", INT),
        ResponseField("seq", "_seq", INT),
        ResponseField("createdTime", "_created_time", DATETIME),
        ResponseField("updatedTime", "_updated_time", DATETIME),
        ResponseField("openTime", "_open_time", DATETIME),
        ResponseField("mmrSysUpdatedTime", "_mmr_sys_updated_time", DATETIME),
        ResponseField("leverageSysUpdatedTime", "_leverage_sys_updated_time", DATETIME),
    )
    _category: str
    _symbol: str
    _side: str
    _size: Decimal | None
    _position_idx: int | None
    _position_value: Decimal | None
    _risk_id: int | None
    _risk_limit_value: Decimal | None
    _entry_price: Decimal | None
    _mark_price: Decimal | None
    _leverage: Decimal | None
    _break_even_price: Decimal | None
    _auto_add_margin: int | None
    _position_im: Decimal | None
    _position_mm: Decimal | None
    _position_im_by_mp: Decimal | None
    _position_mm_by_mp: Decimal | None
    _liq_price: Decimal | None
    _bust_price: Decimal | None
    _take_profit: Decimal | None
    _stop_loss: Decimal | None
    _trailing_stop: Decimal | None
    _unrealised_pnl: Decimal | None
    _cur_realised_pnl: Decimal | None
    _cum_realised_pnl: Decimal | None
    _session_avg_price: Decimal | None
    _delta: Decimal | None
    _gamma: Decimal | None
    _vega: Decimal | None
    _theta: Decimal | None
    _position_status: str
    _adl_rank_indicator: int | None
    _reduce_only: bool | None
    _tpsl_mode: str
    _position_balance: Decimal | None
    _trade_mode: int | None
    _seq: int | None
    _created_time: datetime | None
    _updated_time: datetime | None
    _open_time: datetime | None
    _mmr_sys_updated_time: datetime | None
    _leverage_sys_updated_time: datetime | None

    def get_category(self) -> str:
        """Product type: ``linear``, ``inverse``, ``option``."""
        return self._category

    def get_symbol(self) -> str:
        """Symbol name."""
        return self._symbol

    def get_side(self) -> str:
        """``Buy`` (long), ``Sell`` (short), ``""`` for an empty position."""
        return self._side

    def get_size(self) -> Decimal | None:
        """Position size."""
        return self._size

    def get_position_idx(self) -> int | None:
        """Position index (0 one-way, 1 buy side, 2 sell side of hedge mode)."""
        return self._position_idx

    def get_position_value(self) -> Decimal | None:
        """Position value."""
        return self._position_value

    def get_risk_id(self) -> int | None:
        """Risk tier ID."""
        return self._risk_id

    def get_risk_limit_value(self) -> Decimal | None:
        """Risk limit value."""
        return self._risk_limit_value

    def get_entry_price(self) -> Decimal | None:
        """Average entry price."""
        return self._entry_price

    def get_mark_price(self) -> Decimal | None:
        """Mark price."""
        return self._mark_price

    def get_leverage(self) -> Decimal | None:
        """Leverage (``None`` in portfolio margin mode)."""
        return self._leverage

    def get_break_even_price(self) -> Decimal | None:
        """Break-even price (linear, inverse)."""
        return self._break_even_price

    def get_auto_add_margin(self) -> int | None:
        """Whether margin is added automatically (isolated margin): 1 yes, 0 no."""
        return self._auto_add_margin

    def get_position_im(self) -> Decimal | None:
        """Initial margin."""
        return self._position_im

    def get_position_mm(self) -> Decimal | None:
        """Maintenance margin."""
        return self._position_mm

    def get_position_im_by_mp(self) -> Decimal | None:
        """Initial margin by mark price."""
        return self._position_im_by_mp

    def get_position_mm_by_mp(self) -> Decimal | None:
        """Maintenance margin by mark price."""
        return self._position_mm_by_mp

    def get_liq_price(self) -> Decimal | None:
        """Liquidation price (``None`` when there is none)."""
        return self._liq_price

    def get_bust_price(self) -> Decimal | None:
        """Bankruptcy price (deprecated)."""
        return self._bust_price

    def get_take_profit(self) -> Decimal | None:
        """Take-profit price."""
        return self._take_profit

    def get_stop_loss(self) -> Decimal | None:
        """Stop-loss price."""
        return self._stop_loss

    def get_trailing_stop(self) -> Decimal | None:
        """Trailing stop."""
        return self._trailing_stop

    def get_unrealised_pnl(self) -> Decimal | None:
        """Unrealised profit and loss."""
        return self._unrealised_pnl

    def get_cur_realised_pnl(self) -> Decimal | None:
        """Realised profit and loss of the current position."""
        return self._cur_realised_pnl

    def get_cum_realised_pnl(self) -> Decimal | None:
        """Cumulative realised profit and loss."""
        return self._cum_realised_pnl

    def get_session_avg_price(self) -> Decimal | None:
        """USDC contract session average price."""
        return self._session_avg_price

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

    def get_position_status(self) -> str:
        """``Normal``, ``Liq`` or ``Adl``."""
        return self._position_status

    def get_adl_rank_indicator(self) -> int | None:
        """Auto-deleverage rank indicator."""
        return self._adl_rank_indicator

    def is_reduce_only(self) -> bool | None:
        """Whether only reducing the position is allowed (after a risk limit cut)."""
        return self._reduce_only

    def get_tpsl_mode(self) -> str:
        """TP/SL mode (deprecated, always ``Full``)."""
        return self._tpsl_mode

    def get_position_balance(self) -> Decimal | None:
        """Position margin (deprecated)."""
        return self._position_balance

    def get_trade_mode(self) -> int | None:
        """Trade mode (deprecated, always 0)."""
        return self._trade_mode

    def get_seq(self) -> int | None:
        """Cross sequence: the same as the ``seq`` of the fill that caused this update (-1: never traded)."""
        return self._seq

    def get_created_time(self) -> datetime | None:
        """When the position was first created on this symbol."""
        return self._created_time

    def get_updated_time(self) -> datetime | None:
        """When the position last changed."""
        return self._updated_time

    def get_open_time(self) -> datetime | None:
        """When the position was opened (``None`` for an empty one)."""
        return self._open_time

    def get_mmr_sys_updated_time(self) -> datetime | None:
        """When the system adjusts (or adjusted) the maintenance margin rate."""
        return self._mmr_sys_updated_time

    def get_leverage_sys_updated_time(self) -> datetime | None:
        """When the system adjusts (or adjusted) the leverage."""
        return self._leverage_sys_updated_time


class WalletCoin(AbstractResponse):
    """One coin of a wallet."""

    __slots__ = (
        "_accrued_interest",
        "_available_to_borrow",
        "_available_to_withdraw",
        "_bonus",
        "_borrow_amount",
        "_coin",
        "_col_res",
        "_collateral_switch",
        "_cum_realised_pnl",
        "_equity",
        "_free",
        "_locked",
        "_margin_collateral",
        "_spot_borrow",
        "_spot_hedging_qty",
        "_total_order_im",
        "_total_position_im",
        "_total_position_mm",
        "_unrealised_pnl",
        "_usd_value",
        "_wallet_balance",
    )
    _fields = (
        ResponseField("coin", "_coin", STRING),
        ResponseField("equity", "_equity", DECIMAL),
        ResponseField("usdValue", "_usd_value", DECIMAL),
        ResponseField("walletBalance", "_wallet_balance", DECIMAL),
        ResponseField("locked", "_locked", DECIMAL),
        ResponseField("spotHedgingQty", "_spot_hedging_qty", DECIMAL),
        ResponseField("borrowAmount", "_borrow_amount", DECIMAL),
        ResponseField("accruedInterest", "_accrued_interest", DECIMAL),
        ResponseField("totalOrderIM", "_total_order_im", DECIMAL),
        ResponseField("totalPositionIM", "_total_position_im", DECIMAL),
        ResponseField("totalPositionMM", "_total_position_mm", DECIMAL),
        ResponseField("unrealisedPnl", "_unrealised_pnl", DECIMAL),
        ResponseField("cumRealisedPnl", "_cum_realised_pnl", DECIMAL),
        ResponseField("bonus", "_bonus", DECIMAL),
        ResponseField("collateralSwitch", "_collateral_switch", BOOL),
        ResponseField("marginCollateral", "_margin_collateral", BOOL),
        ResponseField("colRes", "_col_res", INT),
        ResponseField("spotBorrow", "_spot_borrow", DECIMAL),
        ResponseField("free", "_free", DECIMAL),
        ResponseField("availableToBorrow", "_available_to_borrow", DECIMAL),
        ResponseField("availableToWithdraw", "_available_to_withdraw", DECIMAL),
    )
    _coin: str
    _equity: Decimal | None
    _usd_value: Decimal | None
    _wallet_balance: Decimal | None
    _locked: Decimal | None
    _spot_hedging_qty: Decimal | None
    _borrow_amount: Decimal | None
    _accrued_interest: Decimal | None
    _total_order_im: Decimal | None
    _total_position_im: Decimal | None
    _total_position_mm: Decimal | None
    _unrealised_pnl: Decimal | None
    _cum_realised_pnl: Decimal | None
    _bonus: Decimal | None
    _collateral_switch: bool | None
    _margin_collateral: bool | None
    _col_res: int | None
    _spot_borrow: Decimal | None
    _free: Decimal | None
    _available_to_borrow: Decimal | None
    _available_to_withdraw: Decimal | None

    def get_coin(self) -> str:
        """Coin name (``USDT``, ``BTC``...)."""
        return self._coin

    def get_equity(self) -> Decimal | None:
        """Equity of the coin."""
        return self._equity

    def get_usd_value(self) -> Decimal | None:
        """USD value of the coin."""
        return self._usd_value

    def get_wallet_balance(self) -> Decimal | None:
        """Wallet balance of the coin."""
        return self._wallet_balance

    def get_locked(self) -> Decimal | None:
        """Balance locked by open spot orders."""
        return self._locked

    def get_spot_hedging_qty(self) -> Decimal | None:
        """Spot quantity used to hedge in portfolio margin."""
        return self._spot_hedging_qty

    def get_borrow_amount(self) -> Decimal | None:
        """Borrowed amount."""
        return self._borrow_amount

    def get_accrued_interest(self) -> Decimal | None:
        """Accrued interest."""
        return self._accrued_interest

    def get_total_order_im(self) -> Decimal | None:
        """Margin pre-occupied by orders."""
        return self._total_order_im

    def get_total_position_im(self) -> Decimal | None:
        """Initial margin of all positions."""
        return self._total_position_im

    def get_total_position_mm(self) -> Decimal | None:
        """Maintenance margin of all positions."""
        return self._total_position_mm

    def get_unrealised_pnl(self) -> Decimal | None:
        """Unrealised profit and loss."""
        return self._unrealised_pnl

    def get_cum_realised_pnl(self) -> Decimal | None:
        """Cumulative realised profit and loss."""
        return self._cum_realised_pnl

    def get_bonus(self) -> Decimal | None:
        """Bonus."""
        return self._bonus

    def is_collateral_switch(self) -> bool | None:
        """Whether the platform allows the coin as collateral."""
        return self._collateral_switch

    def is_margin_collateral(self) -> bool | None:
        """Whether you turned collateral on for the coin."""
        return self._margin_collateral

    def get_col_res(self) -> int | None:
        """Platform collateral restriction status (-1 unknown, 0, 1, 2)."""
        return self._col_res

    def get_spot_borrow(self) -> Decimal | None:
        """Borrowed by spot margin trading and manual borrowing."""
        return self._spot_borrow

    def get_free(self) -> Decimal | None:
        """Deprecated."""
        return self._free

    def get_available_to_borrow(self) -> Decimal | None:
        """Deprecated."""
        return self._available_to_borrow

    def get_available_to_withdraw(self) -> Decimal | None:
        """Deprecated."""
        return self._available_to_withdraw


class Wallet(AbstractResponse):
    """One account of a ``wallet`` message."""

    __slots__ = (
        "_account_im_rate",
        "_account_im_rate_by_mp",
        "_account_ltv",
        "_account_mm_rate",
        "_account_mm_rate_by_mp",
        "_account_type",
        "_coin",
        "_total_available_balance",
        "_total_equity",
        "_total_initial_margin",
        "_total_initial_margin_by_mp",
        "_total_maintenance_margin",
        "_total_maintenance_margin_by_mp",
        "_total_margin_balance",
        "_total_perp_upl",
        "_total_wallet_balance",
    )
    _fields = (
        ResponseField("accountType", "_account_type", STRING),
        ResponseField("accountIMRate", "_account_im_rate", DECIMAL),
        ResponseField("accountMMRate", "_account_mm_rate", DECIMAL),
        ResponseField("accountIMRateByMp", "_account_im_rate_by_mp", DECIMAL),
        ResponseField("accountMMRateByMp", "_account_mm_rate_by_mp", DECIMAL),
        ResponseField("totalEquity", "_total_equity", DECIMAL),
        ResponseField("totalWalletBalance", "_total_wallet_balance", DECIMAL),
        ResponseField("totalMarginBalance", "_total_margin_balance", DECIMAL),
        ResponseField("totalAvailableBalance", "_total_available_balance", DECIMAL),
        ResponseField("totalPerpUPL", "_total_perp_upl", DECIMAL),
        ResponseField("totalInitialMargin", "_total_initial_margin", DECIMAL),
        ResponseField("totalMaintenanceMargin", "_total_maintenance_margin", DECIMAL),
        ResponseField("totalInitialMarginByMp", "_total_initial_margin_by_mp", DECIMAL),
        ResponseField("totalMaintenanceMarginByMp", "_total_maintenance_margin_by_mp", DECIMAL),
        ResponseField("accountLTV", "_account_ltv", DECIMAL),
        ResponseField("coin", "_coin", Nested(WalletCoin)),
    )
    _account_type: str
    _account_im_rate: Decimal | None
    _account_mm_rate: Decimal | None
    _account_im_rate_by_mp: Decimal | None
    _account_mm_rate_by_mp: Decimal | None
    _total_equity: Decimal | None
    _total_wallet_balance: Decimal | None
    _total_margin_balance: Decimal | None
    _total_available_balance: Decimal | None
    _total_perp_upl: Decimal | None
    _total_initial_margin: Decimal | None
    _total_maintenance_margin: Decimal | None
    _total_initial_margin_by_mp: Decimal | None
    _total_maintenance_margin_by_mp: Decimal | None
    _account_ltv: Decimal | None
    _coin: EntityCollection[WalletCoin]

    def get_account_type(self) -> str:
        """Account type (``UNIFIED``)."""
        return self._account_type

    def get_account_im_rate(self) -> Decimal | None:
        """Account initial margin rate."""
        return self._account_im_rate

    def get_account_mm_rate(self) -> Decimal | None:
        """Account maintenance margin rate."""
        return self._account_mm_rate

    def get_account_im_rate_by_mp(self) -> Decimal | None:
        """Account initial margin rate by mark price."""
        return self._account_im_rate_by_mp

    def get_account_mm_rate_by_mp(self) -> Decimal | None:
        """Account maintenance margin rate by mark price."""
        return self._account_mm_rate_by_mp

    def get_total_equity(self) -> Decimal | None:
        """Total equity (USD)."""
        return self._total_equity

    def get_total_wallet_balance(self) -> Decimal | None:
        """Total wallet balance (USD)."""
        return self._total_wallet_balance

    def get_total_margin_balance(self) -> Decimal | None:
        """Total margin balance (USD)."""
        return self._total_margin_balance

    def get_total_available_balance(self) -> Decimal | None:
        """Total available balance (USD)."""
        return self._total_available_balance

    def get_total_perp_upl(self) -> Decimal | None:
        """Unrealised profit and loss of perpetuals and futures (USD)."""
        return self._total_perp_upl

    def get_total_initial_margin(self) -> Decimal | None:
        """Total initial margin (USD)."""
        return self._total_initial_margin

    def get_total_maintenance_margin(self) -> Decimal | None:
        """Total maintenance margin (USD)."""
        return self._total_maintenance_margin

    def get_total_initial_margin_by_mp(self) -> Decimal | None:
        """Total initial margin by mark price (USD)."""
        return self._total_initial_margin_by_mp

    def get_total_maintenance_margin_by_mp(self) -> Decimal | None:
        """Total maintenance margin by mark price (USD)."""
        return self._total_maintenance_margin_by_mp

    def get_account_ltv(self) -> Decimal | None:
        """Deprecated."""
        return self._account_ltv

    def get_coin(self) -> EntityCollection[WalletCoin]:
        """Each coin of the account."""
        return self._coin
