"""One valid request per V5 route, with the exact bytes it must put on the wire.

Each sample is modelled on the request example of the route's page in Bybit's V5 docs, set through
the fluent setters with V5 enums, ``Decimal``s and ``datetime``s where the route takes them; ``wire``
is the exact JSON body (POST) or query string (GET) that the SDK must send and sign. The values Bybit
documents as strings (prices, quantities, leverage) go out as strings, integers and booleans as JSON
integers and booleans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from carpenstar_bybit.core import AbstractParameters
from carpenstar_bybit.v5.account.account_info import GetAccountInfoRequest
from carpenstar_bybit.v5.account.fee_rate import GetFeeRateRequest
from carpenstar_bybit.v5.account.wallet_balance import GetWalletBalanceRequest
from carpenstar_bybit.v5.asset.coin_info import GetCoinInfoRequest
from carpenstar_bybit.v5.enums import (
    AccountType,
    AutoAddMargin,
    Category,
    DcpProduct,
    InstrumentStatus,
    Interval,
    IntervalTime,
    OrderFilter,
    OrderStatus,
    OrderType,
    PositionIdx,
    PositionMode,
    Side,
    StopOrderType,
    TimeInForce,
    TpslMode,
    TradeMode,
    TriggerBy,
)
from carpenstar_bybit.v5.market.funding_history import GetFundingRateHistoryRequest
from carpenstar_bybit.v5.market.index_price_kline import GetIndexPriceKlineRequest
from carpenstar_bybit.v5.market.instruments_info import GetInstrumentsInfoRequest
from carpenstar_bybit.v5.market.kline import GetKlineRequest
from carpenstar_bybit.v5.market.mark_price_kline import GetMarkPriceKlineRequest
from carpenstar_bybit.v5.market.open_interest import GetOpenInterestRequest
from carpenstar_bybit.v5.market.orderbook import GetOrderbookRequest
from carpenstar_bybit.v5.market.premium_index_price_kline import GetPremiumIndexPriceKlineRequest
from carpenstar_bybit.v5.market.recent_trade import GetRecentTradesRequest
from carpenstar_bybit.v5.market.risk_limit import GetRiskLimitRequest
from carpenstar_bybit.v5.market.server_time import ServerTimeRequest
from carpenstar_bybit.v5.market.tickers import GetTickersRequest
from carpenstar_bybit.v5.position.add_or_reduce_margin import AddOrReduceMarginRequest
from carpenstar_bybit.v5.position.closed_pnl import GetClosedPnlRequest
from carpenstar_bybit.v5.position.execution_list import GetExecutionListRequest
from carpenstar_bybit.v5.position.position_info import GetPositionInfoRequest
from carpenstar_bybit.v5.position.set_auto_add_margin import SetAutoAddMarginRequest
from carpenstar_bybit.v5.position.set_leverage import SetLeverageRequest
from carpenstar_bybit.v5.position.set_trading_stop import SetTradingStopRequest
from carpenstar_bybit.v5.position.switch_cross_isolated_margin import SwitchCrossIsolatedMarginRequest
from carpenstar_bybit.v5.position.switch_position_mode import SwitchPositionModeRequest
from carpenstar_bybit.v5.trade.amend_order import AmendOrderRequest
from carpenstar_bybit.v5.trade.batch_amend_order import BatchAmendOrderRequest, BatchAmendOrderRequestItem
from carpenstar_bybit.v5.trade.batch_cancel_order import BatchCancelOrderRequest, BatchCancelOrderRequestItem
from carpenstar_bybit.v5.trade.batch_place_order import BatchPlaceOrderRequest, BatchPlaceOrderRequestItem
from carpenstar_bybit.v5.trade.cancel_all_orders import CancelAllOrdersRequest
from carpenstar_bybit.v5.trade.cancel_order import CancelOrderRequest
from carpenstar_bybit.v5.trade.disconnected_cancel_all import SetDisconnectCancelAllRequest
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.get_order_history import GetOrderHistoryRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrderRequest
from carpenstar_bybit.v5.user.api_key_info import GetApiKeyInfoRequest

UTC = timezone.utc


@dataclass(frozen=True)
class Sample:
    """A valid request of a route and the exact body (POST) or query string (GET) it sends."""

    build: Callable[[], AbstractParameters]
    wire: bytes | str


SAMPLES: dict[str, Sample] = {
    "PlaceOrder": Sample(
        lambda: (
            PlaceOrderRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_side(Side.BUY)
            .set_order_type(OrderType.LIMIT)
            .set_qty("1")
            .set_price(Decimal("25000"))
            .set_time_in_force(TimeInForce.GTC)
            .set_position_idx(PositionIdx.ONE_WAY)
            .set_order_link_id("usdt-test-01")
            .set_reduce_only(False)
            .set_take_profit("28000")
            .set_stop_loss(20000)
            .set_tpsl_mode(TpslMode.PARTIAL)
            .set_tp_order_type("Limit")
            .set_sl_order_type(OrderType.LIMIT)
            .set_tp_limit_price("27500")
            .set_sl_limit_price(Decimal("20500"))
        ),
        b'{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"1",'
        b'"price":"25000","timeInForce":"GTC","positionIdx":0,"orderLinkId":"usdt-test-01","takeProfit":"28000",'
        b'"stopLoss":"20000","reduceOnly":false,"tpslMode":"Partial","tpLimitPrice":"27500",'
        b'"slLimitPrice":"20500","tpOrderType":"Limit","slOrderType":"Limit"}',
    ),
    "AmendOrder": Sample(
        lambda: (
            AmendOrderRequest()
            .set_category("linear")
            .set_symbol("ETHPERP")
            .set_order_link_id("linear-004")
            .set_trigger_price("1145")
            .set_qty(Decimal("0.15"))
            .set_price(1050)
            .set_take_profit(0)
            .set_stop_loss("0")
        ),
        b'{"category":"linear","symbol":"ETHPERP","orderLinkId":"linear-004","triggerPrice":"1145",'
        b'"qty":"0.15","price":"1050","takeProfit":"0","stopLoss":"0"}',
    ),
    "CancelOrder": Sample(
        lambda: (
            CancelOrderRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCPERP")
            .set_order_id("c6f055d9-7f21-4079-913d-e6523a9cfffa")
        ),
        b'{"category":"linear","symbol":"BTCPERP","orderId":"c6f055d9-7f21-4079-913d-e6523a9cfffa"}',
    ),
    "CancelAllOrders": Sample(
        lambda: (
            CancelAllOrdersRequest()
            .set_category(Category.LINEAR)
            .set_settle_coin("USDT")
            .set_order_filter(OrderFilter.STOP_ORDER)
            .set_stop_order_type(StopOrderType.STOP)
        ),
        b'{"category":"linear","settleCoin":"USDT","orderFilter":"StopOrder","stopOrderType":"Stop"}',
    ),
    "GetOpenOrders": Sample(
        lambda: (
            GetOpenOrdersRequest()
            .set_symbol("ETHUSDT")
            .set_category(Category.LINEAR)
            .set_open_only(0)
            .set_limit(1)
        ),
        "category=linear&symbol=ETHUSDT&openOnly=0&limit=1",
    ),
    "GetOrderHistory": Sample(
        lambda: (
            GetOrderHistoryRequest()
            .set_category("linear")
            .set_order_status(OrderStatus.FILLED)
            .set_start_time(datetime(2023, 5, 19, tzinfo=UTC))
            .set_end_time(1684540800000)
            .set_limit(1)
        ),
        "category=linear&orderStatus=Filled&startTime=1684454400000&endTime=1684540800000&limit=1",
    ),
    "ServerTime": Sample(ServerTimeRequest, ""),
    "GetInstrumentsInfo": Sample(
        lambda: (
            GetInstrumentsInfoRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_status(InstrumentStatus.TRADING)
            .set_limit(500)
        ),
        "category=linear&symbol=BTCUSDT&status=Trading&limit=500",
    ),
    "GetTickers": Sample(
        lambda: GetTickersRequest().set_category(Category.INVERSE).set_symbol("BTCUSD"),
        "category=inverse&symbol=BTCUSD",
    ),
    "GetOrderbook": Sample(
        lambda: GetOrderbookRequest().set_category(Category.SPOT).set_symbol("BTCUSDT").set_limit(1),
        "category=spot&symbol=BTCUSDT&limit=1",
    ),
    "GetKline": Sample(
        lambda: (
            GetKlineRequest()
            .set_category(Category.INVERSE)
            .set_symbol("BTCUSD")
            .set_interval(Interval.HOUR_1)
            .set_start(datetime(2022, 12, 9, 16, tzinfo=UTC))
            .set_end(1670608800000)
        ),
        "category=inverse&symbol=BTCUSD&interval=60&start=1670601600000&end=1670608800000",
    ),
    "GetMarkPriceKline": Sample(
        lambda: (
            GetMarkPriceKlineRequest()
            .set_category("linear")
            .set_symbol("BTCUSDT")
            .set_interval("15")
            .set_start(1670601600000)
            .set_end(datetime(2022, 12, 9, 18, tzinfo=UTC))
            .set_limit(1)
        ),
        "category=linear&symbol=BTCUSDT&interval=15&start=1670601600000&end=1670608800000&limit=1",
    ),
    "GetIndexPriceKline": Sample(
        lambda: (
            GetIndexPriceKlineRequest()
            .set_category(Category.INVERSE)
            .set_symbol("BTCUSDZ22")
            .set_interval(Interval.MINUTE_1)
            .set_start(1670601600000)
            .set_end(1670608800000)
            .set_limit(2)
        ),
        "category=inverse&symbol=BTCUSDZ22&interval=1&start=1670601600000&end=1670608800000&limit=2",
    ),
    "GetPremiumIndexPriceKline": Sample(
        lambda: (
            GetPremiumIndexPriceKlineRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_interval(Interval.DAY)
            .set_start(1652112000000)
            .set_end(1652544000000)
        ),
        "category=linear&symbol=BTCUSDT&interval=D&start=1652112000000&end=1652544000000",
    ),
    "GetRecentTrades": Sample(
        lambda: GetRecentTradesRequest().set_category(Category.SPOT).set_symbol("BTCUSDT").set_limit(1),
        "category=spot&symbol=BTCUSDT&limit=1",
    ),
    "GetFundingRateHistory": Sample(
        lambda: (
            GetFundingRateHistoryRequest().set_category(Category.LINEAR).set_symbol("ETHPERP").set_limit(1)
        ),
        "category=linear&symbol=ETHPERP&limit=1",
    ),
    "GetOpenInterest": Sample(
        lambda: (
            GetOpenInterestRequest()
            .set_category(Category.INVERSE)
            .set_symbol("BTCUSD")
            .set_interval_time(IntervalTime.DAY_1)
            .set_limit(5)
        ),
        "category=inverse&symbol=BTCUSD&intervalTime=1d&limit=5",
    ),
    "GetRiskLimit": Sample(
        lambda: GetRiskLimitRequest().set_category(Category.INVERSE).set_symbol("BTCUSD"),
        "category=inverse&symbol=BTCUSD",
    ),
    "BatchPlaceOrder": Sample(
        lambda: (
            BatchPlaceOrderRequest()
            .set_category(Category.SPOT)
            .add_request(
                BatchPlaceOrderRequestItem()
                .set_symbol("BTCUSDT")
                .set_side(Side.BUY)
                .set_order_type(OrderType.LIMIT)
                .set_is_leverage(0)
                .set_qty("0.05")
                .set_price(30000)
                .set_time_in_force(TimeInForce.GTC)
                .set_order_link_id("spot-btc-03")
            )
            .add_request(
                BatchPlaceOrderRequestItem()
                .set_symbol("ATOMUSDT")
                .set_side("Sell")
                .set_order_type("Limit")
                .set_is_leverage(0)
                .set_qty(2)
                .set_price(Decimal("12"))
                .set_time_in_force("GTC")
                .set_order_link_id("spot-atom-03")
            )
        ),
        b'{"category":"spot","request":['
        b'{"symbol":"BTCUSDT","isLeverage":0,"side":"Buy","orderType":"Limit","qty":"0.05","price":"30000",'
        b'"timeInForce":"GTC","orderLinkId":"spot-btc-03"},'
        b'{"symbol":"ATOMUSDT","isLeverage":0,"side":"Sell","orderType":"Limit","qty":"2","price":"12",'
        b'"timeInForce":"GTC","orderLinkId":"spot-atom-03"}]}',
    ),
    "BatchAmendOrder": Sample(
        lambda: (
            BatchAmendOrderRequest()
            .set_category(Category.OPTION)
            .set_request(
                [
                    BatchAmendOrderRequestItem()
                    .set_symbol("ETH-30DEC22-500-C")
                    .set_order_iv("6.8")
                    .set_order_id("b551f227-7059-4fb5-a6a6-699c04dbd2f2"),
                    BatchAmendOrderRequestItem()
                    .set_symbol("ETH-30DEC22-700-C")
                    .set_price(650)
                    .set_order_id("fa6a595f-1a57-483f-b9d3-30e9c8235a52"),
                ]
            )
        ),
        b'{"category":"option","request":['
        b'{"symbol":"ETH-30DEC22-500-C","orderId":"b551f227-7059-4fb5-a6a6-699c04dbd2f2","orderIv":"6.8"},'
        b'{"symbol":"ETH-30DEC22-700-C","orderId":"fa6a595f-1a57-483f-b9d3-30e9c8235a52","price":"650"}]}',
    ),
    "BatchCancelOrder": Sample(
        lambda: (
            BatchCancelOrderRequest()
            .set_category("spot")
            .add_request(
                BatchCancelOrderRequestItem().set_symbol("BTCUSDT").set_order_id("1666800494330512128")
            )
            .add_request(
                BatchCancelOrderRequestItem().set_symbol("ATOMUSDT").set_order_link_id("1666800494330512129")
            )
        ),
        b'{"category":"spot","request":[{"symbol":"BTCUSDT","orderId":"1666800494330512128"},'
        b'{"symbol":"ATOMUSDT","orderLinkId":"1666800494330512129"}]}',
    ),
    "SetDisconnectCancelAll": Sample(
        lambda: SetDisconnectCancelAllRequest().set_product(DcpProduct.DERIVATIVES).set_time_window(40),
        b'{"product":"DERIVATIVES","timeWindow":40}',
    ),
    "GetPositionInfo": Sample(
        lambda: GetPositionInfoRequest().set_category(Category.INVERSE).set_symbol("BTCUSD"),
        "category=inverse&symbol=BTCUSD",
    ),
    "SetLeverage": Sample(
        lambda: (
            SetLeverageRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_buy_leverage(6)
            .set_sell_leverage(Decimal("6"))
        ),
        b'{"category":"linear","symbol":"BTCUSDT","buyLeverage":"6","sellLeverage":"6"}',
    ),
    "SwitchCrossIsolatedMargin": Sample(
        lambda: (
            SwitchCrossIsolatedMarginRequest()
            .set_category("linear")
            .set_symbol("ETHUSDT")
            .set_trade_mode(TradeMode.ISOLATED)
            .set_buy_leverage("10")
            .set_sell_leverage("10")
        ),
        b'{"category":"linear","symbol":"ETHUSDT","tradeMode":1,"buyLeverage":"10","sellLeverage":"10"}',
    ),
    "SwitchPositionMode": Sample(
        lambda: (
            SwitchPositionModeRequest()
            .set_category(Category.INVERSE)
            .set_symbol("BTCUSDH23")
            .set_mode(PositionMode.MERGED_SINGLE)
        ),
        b'{"category":"inverse","symbol":"BTCUSDH23","mode":0}',
    ),
    "SetTradingStop": Sample(
        lambda: (
            SetTradingStopRequest()
            .set_category(Category.LINEAR)
            .set_symbol("XRPUSDT")
            .set_take_profit("0.6")
            .set_stop_loss(Decimal("0.2"))
            .set_tp_trigger_by(TriggerBy.MARK_PRICE)
            .set_sl_trigger_by("IndexPrice")
            .set_tpsl_mode(TpslMode.PARTIAL)
            .set_tp_order_type(OrderType.LIMIT)
            .set_sl_order_type("Limit")
            .set_tp_size(50)
            .set_sl_size("50")
            .set_tp_limit_price("0.57")
            .set_sl_limit_price("0.21")
            .set_position_idx(PositionIdx.ONE_WAY)
        ),
        b'{"category":"linear","symbol":"XRPUSDT","tpslMode":"Partial","positionIdx":0,"takeProfit":"0.6",'
        b'"stopLoss":"0.2","tpTriggerBy":"MarkPrice","slTriggerBy":"IndexPrice","tpSize":"50","slSize":"50",'
        b'"tpLimitPrice":"0.57","slLimitPrice":"0.21","tpOrderType":"Limit","slOrderType":"Limit"}',
    ),
    "SetAutoAddMargin": Sample(
        lambda: (
            SetAutoAddMarginRequest()
            .set_category(Category.LINEAR)
            .set_symbol("BTCUSDT")
            .set_auto_add_margin(AutoAddMargin.ON)
        ),
        b'{"category":"linear","symbol":"BTCUSDT","autoAddMargin":1}',
    ),
    "AddOrReduceMargin": Sample(
        lambda: (
            AddOrReduceMarginRequest()
            .set_category(Category.INVERSE)
            .set_symbol("ETHUSD")
            .set_margin(Decimal("0.01"))
            .set_position_idx(0)
        ),
        b'{"category":"inverse","symbol":"ETHUSD","margin":"0.01","positionIdx":0}',
    ),
    "GetClosedPnl": Sample(
        lambda: GetClosedPnlRequest().set_category(Category.LINEAR).set_limit(1),
        "category=linear&limit=1",
    ),
    "GetExecutionList": Sample(
        lambda: GetExecutionListRequest().set_category(Category.LINEAR).set_limit(1),
        "category=linear&limit=1",
    ),
    "GetWalletBalance": Sample(
        lambda: GetWalletBalanceRequest().set_account_type(AccountType.UNIFIED).set_coin("BTC"),
        "accountType=UNIFIED&coin=BTC",
    ),
    "GetFeeRate": Sample(
        lambda: GetFeeRateRequest().set_category(Category.LINEAR).set_symbol("ETHUSDT"),
        "category=linear&symbol=ETHUSDT",
    ),
    "GetAccountInfo": Sample(GetAccountInfoRequest, ""),
    "GetCoinInfo": Sample(lambda: GetCoinInfoRequest().set_coin("MNT"), "coin=MNT"),
    "GetApiKeyInfo": Sample(GetApiKeyInfoRequest, ""),
}
