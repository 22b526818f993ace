"""The 28 V3 endpoint classes and their request classes, in one namespace for the bridge tests
(``from tests.bridge import v3``; ``v3.PlaceOrder``, ``v3.PlaceOrderRequest()``)."""

from __future__ import annotations

from carpenstar_bybit.derivatives.contract.account.get_trading_fee_rate import (
    GetTradingFeeRate,
    GetTradingFeeRateRequest,
)
from carpenstar_bybit.derivatives.contract.account.wallet_balance import WalletBalance, WalletBalanceRequest
from carpenstar_bybit.derivatives.contract.order.cancel_all_order import CancelAllOrder, CancelAllOrderRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.derivatives.contract.order.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.derivatives.contract.order.get_order_list import GetOrderList, GetOrderListRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
from carpenstar_bybit.derivatives.contract.order.replace_order import ReplaceOrder, ReplaceOrderRequest
from carpenstar_bybit.derivatives.contract.position.get_closed_pnl import GetClosedPnL, GetClosedPnLRequest
from carpenstar_bybit.derivatives.contract.position.get_execution_list import (
    GetExecutionList,
    GetExecutionListRequest,
)
from carpenstar_bybit.derivatives.contract.position.my_position import MyPosition, MyPositionRequest
from carpenstar_bybit.derivatives.contract.position.set_auto_add_margin import (
    SetAutoAddMargin,
    SetAutoAddMarginRequest,
)
from carpenstar_bybit.derivatives.contract.position.set_leverage import SetLeverage, SetLeverageRequest
from carpenstar_bybit.derivatives.contract.position.set_risk_limit import SetRiskLimit, SetRiskLimitRequest
from carpenstar_bybit.derivatives.contract.position.set_trading_stop import (
    SetTradingStop,
    SetTradingStopRequest,
)
from carpenstar_bybit.derivatives.contract.position.switch_cross_isolated_margin import (
    SwitchCrossIsolatedMargin,
    SwitchCrossIsolatedMarginRequest,
)
from carpenstar_bybit.derivatives.contract.position.switch_position_mode import (
    SwitchPositionMode,
    SwitchPositionModeRequest,
)
from carpenstar_bybit.derivatives.contract.position.switch_tp_sl_mode import (
    SwitchTpSlMode,
    SwitchTpSlModeRequest,
)
from carpenstar_bybit.derivatives.market_data.funding_rate_history import (
    FundingRateHistory,
    FundingRateHistoryRequest,
)
from carpenstar_bybit.derivatives.market_data.index_price_kline import IndexPriceKline, IndexPriceKlineRequest
from carpenstar_bybit.derivatives.market_data.instrument_info import InstrumentInfo, InstrumentInfoRequest
from carpenstar_bybit.derivatives.market_data.kline import Kline, KlineRequest
from carpenstar_bybit.derivatives.market_data.mark_price_kline import MarkPriceKline, MarkPriceKlineRequest
from carpenstar_bybit.derivatives.market_data.open_interest import OpenInterest, OpenInterestRequest
from carpenstar_bybit.derivatives.market_data.order_book import OrderBook, OrderBookRequest
from carpenstar_bybit.derivatives.market_data.public_trading_history import (
    PublicTradingHistory,
    PublicTradingHistoryRequest,
)
from carpenstar_bybit.derivatives.market_data.risk_limit import RiskLimit, RiskLimitsRequest
from carpenstar_bybit.derivatives.market_data.ticker_info import TickerInfo, TickerInfoRequest

__all__ = [
    "CancelAllOrder",
    "CancelAllOrderRequest",
    "CancelOrder",
    "CancelOrderRequest",
    "FundingRateHistory",
    "FundingRateHistoryRequest",
    "GetClosedPnL",
    "GetClosedPnLRequest",
    "GetExecutionList",
    "GetExecutionListRequest",
    "GetOpenOrders",
    "GetOpenOrdersRequest",
    "GetOrderList",
    "GetOrderListRequest",
    "GetTradingFeeRate",
    "GetTradingFeeRateRequest",
    "IndexPriceKline",
    "IndexPriceKlineRequest",
    "InstrumentInfo",
    "InstrumentInfoRequest",
    "Kline",
    "KlineRequest",
    "MarkPriceKline",
    "MarkPriceKlineRequest",
    "MyPosition",
    "MyPositionRequest",
    "OpenInterest",
    "OpenInterestRequest",
    "OrderBook",
    "OrderBookRequest",
    "PlaceOrder",
    "PlaceOrderRequest",
    "PublicTradingHistory",
    "PublicTradingHistoryRequest",
    "ReplaceOrder",
    "ReplaceOrderRequest",
    "RiskLimit",
    "RiskLimitsRequest",
    "SetAutoAddMargin",
    "SetAutoAddMarginRequest",
    "SetLeverage",
    "SetLeverageRequest",
    "SetRiskLimit",
    "SetRiskLimitRequest",
    "SetTradingStop",
    "SetTradingStopRequest",
    "SwitchCrossIsolatedMargin",
    "SwitchCrossIsolatedMarginRequest",
    "SwitchPositionMode",
    "SwitchPositionModeRequest",
    "SwitchTpSlMode",
    "SwitchTpSlModeRequest",
    "TickerInfo",
    "TickerInfoRequest",
    "WalletBalance",
    "WalletBalanceRequest",
]
