"""Enumerations of Bybit's V5 API, apart from the V3 ones of ``carpenstar_bybit.core.enums``.

Values and names follow Bybit's V5 enum page (``docs/v5/enum.mdx``) and the parameter tables of the
routes. Every enum is a ``str`` (or ``int``) enum, so a member equals its plain value
(``Side.BUY == "Buy"``) and a V5 setter accepts either. A V5 setter whose field has an enum checks the
value before anything is sent: a value that is not one of the enum's (the V3 ``"GoodTillCancel"`` for
``timeInForce``, say) raises ``SDKException`` naming the values it takes.

Response getters return the exchange's plain strings (a value Bybit adds later never breaks parsing);
compare them with the members: ``order.get_order_status() == OrderStatus.FILLED``.
"""

from __future__ import annotations

from enum import Enum, IntEnum

__all__ = [
    "AccountType",
    "AutoAddMargin",
    "BboLevel",
    "BboSideType",
    "CancelType",
    "Category",
    "ContractType",
    "CopyTrading",
    "CreateType",
    "CurAuctionPhase",
    "DcpProduct",
    "ExecType",
    "InstrumentStatus",
    "Interval",
    "IntervalTime",
    "MarginMode",
    "MarginTrading",
    "MarketUnit",
    "OcoTriggerBy",
    "OptionType",
    "OrderFilter",
    "OrderStatus",
    "OrderType",
    "PlaceType",
    "PositionIdx",
    "PositionMode",
    "PositionStatus",
    "RejectReason",
    "Side",
    "SlippageToleranceType",
    "SmpType",
    "StopOrderType",
    "SymbolType",
    "TimeInForce",
    "TpslMode",
    "TradeMode",
    "TriggerBy",
    "TriggerDirection",
    "UnifiedMarginStatus",
]


class _V5Enum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class Category(_V5Enum):
    """``category``: the product type of a V5 request."""

    LINEAR = "linear"
    INVERSE = "inverse"
    SPOT = "spot"
    OPTION = "option"


class Side(_V5Enum):
    """``side`` of an order, a trade or a position."""

    BUY = "Buy"
    SELL = "Sell"


class OrderType(_V5Enum):
    """``orderType`` (and ``tpOrderType`` / ``slOrderType``); responses also carry ``UNKNOWN``."""

    MARKET = "Market"
    LIMIT = "Limit"


class TimeInForce(_V5Enum):
    """``timeInForce`` (V5 short names; the V3 long names are not V5 values)."""

    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"
    POST_ONLY = "PostOnly"
    RPI = "RPI"


class TriggerBy(_V5Enum):
    """``triggerBy``, ``tpTriggerBy``, ``slTriggerBy``: the price that triggers."""

    LAST_PRICE = "LastPrice"
    INDEX_PRICE = "IndexPrice"
    MARK_PRICE = "MarkPrice"


class TriggerDirection(IntEnum):
    """``triggerDirection`` of a conditional order: the price rises (1) or falls (2) to the trigger."""

    RISE = 1
    FALL = 2


class PositionIdx(IntEnum):
    """``positionIdx``: one-way mode, or the buy/sell side of hedge mode."""

    ONE_WAY = 0
    HEDGE_BUY = 1
    HEDGE_SELL = 2


class TpslMode(_V5Enum):
    """``tpslMode``: take profit / stop loss for the entire position or a part of it."""

    FULL = "Full"
    PARTIAL = "Partial"


class SmpType(_V5Enum):
    """``smpType``: self-match prevention."""

    NONE = "None"
    CANCEL_MAKER = "CancelMaker"
    CANCEL_TAKER = "CancelTaker"
    CANCEL_BOTH = "CancelBoth"


class OrderFilter(_V5Enum):
    """``orderFilter``: which kind of order a request is about."""

    ORDER = "Order"
    TPSL_ORDER = "tpslOrder"
    STOP_ORDER = "StopOrder"
    OCO_ORDER = "OcoOrder"
    BIDIRECTIONAL_TPSL_ORDER = "BidirectionalTpslOrder"
    OPEN_ORDER = "OpenOrder"


class OrderStatus(_V5Enum):
    """``orderStatus``: New, PartiallyFilled and Untriggered are open; the others are closed."""

    NEW = "New"
    PARTIALLY_FILLED = "PartiallyFilled"
    UNTRIGGERED = "Untriggered"
    REJECTED = "Rejected"
    PARTIALLY_FILLED_CANCELED = "PartiallyFilledCanceled"
    FILLED = "Filled"
    CANCELLED = "Cancelled"
    TRIGGERED = "Triggered"
    DEACTIVATED = "Deactivated"


class StopOrderType(_V5Enum):
    """``stopOrderType``: what kind of conditional order it is."""

    TAKE_PROFIT = "TakeProfit"
    STOP_LOSS = "StopLoss"
    TRAILING_STOP = "TrailingStop"
    STOP = "Stop"
    PARTIAL_TAKE_PROFIT = "PartialTakeProfit"
    PARTIAL_STOP_LOSS = "PartialStopLoss"
    TPSL_ORDER = "tpslOrder"
    OCO_ORDER = "OcoOrder"
    MM_RATE_CLOSE = "MmRateClose"
    BIDIRECTIONAL_TPSL_ORDER = "BidirectionalTpslOrder"


class MarketUnit(_V5Enum):
    """``marketUnit``: the unit of ``qty`` of a spot market order."""

    BASE_COIN = "baseCoin"
    QUOTE_COIN = "quoteCoin"


class SlippageToleranceType(_V5Enum):
    """``slippageToleranceType`` of a market order."""

    TICK_SIZE = "TickSize"
    PERCENT = "Percent"


class BboSideType(_V5Enum):
    """``bboSideType``: price a BBO order on its own side of the book or on the other side."""

    QUEUE = "Queue"
    COUNTERPARTY = "Counterparty"


class BboLevel(_V5Enum):
    """``bboLevel``: which level of the book a BBO order takes its price from."""

    LEVEL_1 = "1"
    LEVEL_2 = "2"
    LEVEL_3 = "3"
    LEVEL_4 = "4"
    LEVEL_5 = "5"


class Interval(_V5Enum):
    """Kline ``interval``: minutes, or day, week, month."""

    MINUTE_1 = "1"
    MINUTE_3 = "3"
    MINUTE_5 = "5"
    MINUTE_15 = "15"
    MINUTE_30 = "30"
    HOUR_1 = "60"
    HOUR_2 = "120"
    HOUR_4 = "240"
    HOUR_6 = "360"
    HOUR_12 = "720"
    DAY = "D"
    WEEK = "W"
    MONTH = "M"


class IntervalTime(_V5Enum):
    """``intervalTime`` of open interest."""

    MINUTE_5 = "5min"
    MINUTE_15 = "15min"
    MINUTE_30 = "30min"
    HOUR_1 = "1h"
    HOUR_4 = "4h"
    DAY_1 = "1d"


class ExecType(_V5Enum):
    """``execType`` of an execution (responses may also carry ``UNKNOWN``)."""

    TRADE = "Trade"
    ADL_TRADE = "AdlTrade"
    FUNDING = "Funding"
    BUST_TRADE = "BustTrade"
    DELIVERY = "Delivery"
    SETTLE = "Settle"
    BLOCK_TRADE = "BlockTrade"
    MOVE_POSITION = "MovePosition"
    FUTURE_SPREAD = "FutureSpread"
    CORPORATE_ACTION = "CorporateAction"


class AccountType(_V5Enum):
    """``accountType``: the unified trading account (wallet balance takes ``UNIFIED`` only)."""

    UNIFIED = "UNIFIED"
    FUND = "FUND"


class TradeMode(IntEnum):
    """``tradeMode`` of switch-isolated: 0 cross margin, 1 isolated margin."""

    CROSS = 0
    ISOLATED = 1


class PositionMode(IntEnum):
    """``mode`` of switch-mode: 0 merged single (one-way), 3 both sides (hedge)."""

    MERGED_SINGLE = 0
    BOTH_SIDES = 3


class AutoAddMargin(IntEnum):
    """``autoAddMargin``: off (0) or on (1)."""

    OFF = 0
    ON = 1


class InstrumentStatus(_V5Enum):
    """``status`` of an instrument."""

    PRE_LAUNCH = "PreLaunch"
    TRADING = "Trading"
    DELIVERING = "Delivering"
    CLOSED = "Closed"


class SymbolType(_V5Enum):
    """``symbolType``: the region a trading pair belongs to."""

    INNOVATION = "innovation"
    ADVENTURE = "adventure"
    XSTOCKS = "xstocks"
    COMMODITY = "commodity"
    STOCK = "stock"
    FOREX = "forex"


class OptionType(_V5Enum):
    """``optionType`` (``optionsType`` in instruments): call or put."""

    CALL = "Call"
    PUT = "Put"


class DcpProduct(_V5Enum):
    """``product`` of disconnected-cancel-all."""

    OPTIONS = "OPTIONS"
    DERIVATIVES = "DERIVATIVES"
    SPOT = "SPOT"


class CreateType(_V5Enum):
    """``createType`` of an order (responses)."""

    CREATE_BY_USER = "CreateByUser"
    CREATE_BY_FUTURE_SPREAD = "CreateByFutureSpread"
    CREATE_BY_ADMIN_CLOSING = "CreateByAdminClosing"
    CREATE_BY_SETTLE = "CreateBySettle"
    CREATE_BY_STOP_ORDER = "CreateByStopOrder"
    CREATE_BY_TAKE_PROFIT = "CreateByTakeProfit"
    CREATE_BY_PARTIAL_TAKE_PROFIT = "CreateByPartialTakeProfit"
    CREATE_BY_STOP_LOSS = "CreateByStopLoss"
    CREATE_BY_PARTIAL_STOP_LOSS = "CreateByPartialStopLoss"
    CREATE_BY_TRAILING_STOP = "CreateByTrailingStop"
    CREATE_BY_TRAILING_PROFIT = "CreateByTrailingProfit"
    CREATE_BY_LIQ = "CreateByLiq"
    CREATE_BY_TAKE_OVER_PASS_THROUGH = "CreateByTakeOver_PassThrough"
    CREATE_BY_ADL_PASS_THROUGH = "CreateByAdl_PassThrough"
    CREATE_BY_BLOCK_PASS_THROUGH = "CreateByBlock_PassThrough"
    CREATE_BY_BLOCK_TRADE_MOVE_POSITION_PASS_THROUGH = "CreateByBlockTradeMovePosition_PassThrough"
    CREATE_BY_CHASE_ORDER = "CreateByChaseOrder"
    CREATE_BY_F_GRID_BOT = "CreateByFGridBot"
    CLOSE_BY_F_GRID_BOT = "CloseByFGridBot"
    CREATE_BY_TWAP = "CreateByTWAP"
    CREATE_BY_MARTINGALE_BOT = "CreateByMartingaleBot"
    CLOSE_BY_MARTINGALE_BOT = "CloseByMartingaleBot"
    CREATE_BY_ICE_BERG = "CreateByIceBerg"
    CREATE_BY_BBO_ORDER = "CreateByBboOrder"
    CREATE_BY_CLOSING = "CreateByClosing"
    CREATE_BY_TV_SIGNAL = "CreateByTVSignal"
    CREATE_BY_MM_RATE_CLOSE = "CreateByMmRateClose"
    CREATE_BY_ARBITRAGE = "CreateByArbitrage"
    CREATE_BY_DDH = "CreateByDdh"


class CancelType(_V5Enum):
    """``cancelType`` of an order (responses; ``UNKNOWN`` while not cancelled)."""

    CANCEL_BY_USER = "CancelByUser"
    CANCEL_BY_REDUCE_ONLY = "CancelByReduceOnly"
    CANCEL_BY_PREPARE_LIQ = "CancelByPrepareLiq"
    CANCEL_ALL_BEFORE_LIQ = "CancelAllBeforeLiq"
    CANCEL_BY_PREPARE_ADL = "CancelByPrepareAdl"
    CANCEL_ALL_BEFORE_ADL = "CancelAllBeforeAdl"
    CANCEL_BY_ADMIN = "CancelByAdmin"
    CANCEL_BY_SETTLE = "CancelBySettle"
    CANCEL_BY_TP_SL_TS_CLEAR = "CancelByTpSlTsClear"
    CANCEL_BY_SMP = "CancelBySmp"
    CANCEL_BY_DCP = "CancelByDCP"
    CANCEL_BY_REBALANCE = "CancelByRebalance"
    CANCEL_BY_OCO_TP_CANCELED_BY_SL_TRIGGERED = "CancelByOCOTpCanceledBySlTriggered"
    CANCEL_BY_OCO_SL_CANCELED_BY_TP_TRIGGERED = "CancelByOCOSlCanceledByTpTriggered"
    CANCEL_BY_CANNOT_AFFORD_ORDER_COST = "CancelByCannotAffordOrderCost"
    CANCEL_BY_PM_TRIAL_MM_OVER_EQUITY = "CancelByPmTrialMmOverEquity"
    CANCEL_BY_ACCOUNT_BLOCKING = "CancelByAccountBlocking"
    CANCEL_BY_DELIVERY = "CancelByDelivery"
    CANCEL_BY_MMP_TRIGGERED = "CancelByMmpTriggered"
    CANCEL_BY_CROSS_SELF_MUCH = "CancelByCrossSelfMuch"
    CANCEL_BY_CROSS_REACH_MAX_TRADE_NUM = "CancelByCrossReachMaxTradeNum"


class RejectReason(_V5Enum):
    """``rejectReason`` of an order (responses; ``EC_NoError`` unless rejected). The common ones."""

    EC_NO_ERROR = "EC_NoError"
    EC_OTHERS = "EC_Others"
    EC_DUPLICATED_CL_ORD_ID = "EC_DuplicatedClOrdID"
    EC_TOO_LATE_TO_CANCEL = "EC_TooLateToCancel"
    EC_NO_ENOUGH_QTY_TO_FILL = "EC_NoEnoughQtyToFill"
    EC_NO_IMMEDIATE_QTY_TO_FILL = "EC_NoImmediateQtyToFill"
    EC_POST_ONLY_WILL_TAKE_LIQUIDITY = "EC_PostOnlyWillTakeLiquidity"
    EC_CANCEL_FOR_NO_FULL_FILL = "EC_CancelForNoFullFill"
    EC_BY_SELF_MATCH = "EC_BySelfMatch"
    EC_INVALID_SYMBOL_STATUS = "EC_InvalidSymbolStatus"
    EC_REACH_MAX_TRADE_NUM = "EC_ReachMaxTradeNum"
    EC_INVALID_PRICE_SCALE = "EC_InvalidPriceScale"
    EC_REACH_RISK_PRICE_LIMIT = "EC_ReachRiskPriceLimit"
    EC_ORDER_NOT_EXIST = "EC_OrderNotExist"
    EC_REACH_MARKET_PRICE_LIMIT = "EC_ReachMarketPriceLimit"


class PositionStatus(_V5Enum):
    """``positionStatus``."""

    NORMAL = "Normal"
    LIQ = "Liq"
    ADL = "Adl"


class ContractType(_V5Enum):
    """``contractType`` of an instrument."""

    INVERSE_PERPETUAL = "InversePerpetual"
    LINEAR_PERPETUAL = "LinearPerpetual"
    LINEAR_FUTURES = "LinearFutures"
    INVERSE_FUTURES = "InverseFutures"


class CurAuctionPhase(_V5Enum):
    """``curAuctionPhase`` (and ``phase``) of a pre-market contract."""

    NOT_STARTED = "NotStarted"
    FINISHED = "Finished"
    CALL_AUCTION = "CallAuction"
    CALL_AUCTION_NO_CANCEL = "CallAuctionNoCancel"
    CROSS_MATCHING = "CrossMatching"
    CONTINUOUS_TRADING = "ContinuousTrading"


class MarginTrading(_V5Enum):
    """``marginTrading`` of a spot pair."""

    NONE = "none"
    BOTH = "both"
    UTA_ONLY = "utaOnly"
    NORMAL_SPOT_ONLY = "normalSpotOnly"


class CopyTrading(_V5Enum):
    """``copyTrading`` of a contract."""

    NONE = "none"
    BOTH = "both"
    UTA_ONLY = "utaOnly"
    NORMAL_ONLY = "normalOnly"


class OcoTriggerBy(_V5Enum):
    """``ocoTriggerBy``: which leg of a spot OCO order fired."""

    UNKNOWN = "OcoTriggerByUnknown"
    TP = "OcoTriggerByTp"
    SL = "OcoTriggerBySl"


class PlaceType(_V5Enum):
    """``placeType`` of an option order: by implied volatility or by price."""

    IV = "iv"
    PRICE = "price"


class MarginMode(_V5Enum):
    """``marginMode`` of the account."""

    ISOLATED_MARGIN = "ISOLATED_MARGIN"
    REGULAR_MARGIN = "REGULAR_MARGIN"
    PORTFOLIO_MARGIN = "PORTFOLIO_MARGIN"


class UnifiedMarginStatus(IntEnum):
    """``unifiedMarginStatus`` of the account."""

    CLASSIC = 1
    UTA_1 = 3
    UTA_1_PRO = 4
    UTA_2 = 5
    UTA_2_PRO = 6
