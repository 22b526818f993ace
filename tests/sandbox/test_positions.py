"""Positions, executions, closed PnL, wallet and settings follow from fills (V3 contract routes)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from carpenstar_bybit import ApiException, BybitAPI, InvalidParameterException
from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.derivatives.contract.account.get_trading_fee_rate import (
    GetTradingFeeRate,
    GetTradingFeeRateRequest,
)
from carpenstar_bybit.derivatives.contract.account.wallet_balance import WalletBalance, WalletBalanceRequest
from carpenstar_bybit.derivatives.contract.order.place_order import PlaceOrder, PlaceOrderRequest
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
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.sandbox._instruments import dated_future
from tests.sandbox.raw import API_KEY


def market(api: BybitAPI, side: str, qty: str, symbol: str = "ETHUSDT", **extra: object) -> str:
    request = PlaceOrderRequest().set_symbol(symbol).set_side(side).set_order_type("Market").set_qty(qty)
    if extra.get("position_idx") is not None:
        request.set_position_idx(extra["position_idx"])  # type: ignore[arg-type]
    if extra.get("reduce_only"):
        request.set_reduce_only(True)
    result = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def position(api: BybitAPI, symbol: str = "ETHUSDT") -> list[tuple[int, str, Decimal | None, Decimal | None]]:
    body = api.rest(MyPosition, MyPositionRequest().set_symbol(symbol)).get_body()
    return [(p.get_position_idx(), p.get_side(), p.get_size(), p.get_entry_price()) for p in body]


def test_a_flat_symbol_lists_one_empty_position(api: BybitAPI) -> None:
    body = api.rest(MyPosition, MyPositionRequest().set_symbol("ETHUSDT")).get_body()
    assert len(body) == 1
    empty = body[0]
    assert (empty.get_side(), empty.get_size(), empty.get_leverage(), empty.get_risk_id()) == (
        "None",
        Decimal("0"),
        Decimal("10"),
        1,
    )
    assert (empty.get_position_status(), empty.get_tp_sl_mode(), empty.get_mark_price()) == (
        "Normal",
        "Full",
        Decimal("2000"),
    )


def test_open_add_reduce_flip_and_close(exchange: SandboxExchange, api: BybitAPI) -> None:
    market(api, "Buy", "1")
    assert position(api) == [(0, "Buy", Decimal("1"), Decimal("2000"))]
    exchange.set_mark_price("ETHUSDT", 2100)
    market(api, "Buy", "1")
    assert position(api) == [(0, "Buy", Decimal("2"), Decimal("2050"))]
    pos = api.rest(MyPosition, MyPositionRequest().set_symbol("ETHUSDT")).get_result()
    assert pos is not None
    assert (pos.get_unrealised_pnl(), pos.get_position_value(), pos.get_position_balance()) == (
        Decimal("100"),
        Decimal("4100"),
        Decimal("410"),
    )
    assert (pos.get_bust_price(), pos.get_liq_price()) == (Decimal("1845"), Decimal("1855.25"))

    exchange.set_mark_price("ETHUSDT", 2200)
    close_id = market(api, "Sell", "3")  # closes 2, opens 1 short
    assert position(api) == [(0, "Sell", Decimal("1"), Decimal("2200"))]
    pnl = api.rest(GetClosedPnL, GetClosedPnLRequest().set_symbol("ETHUSDT")).get_body()
    assert len(pnl) == 1
    record = pnl[0]
    assert (record.get_order_id(), record.get_side(), record.get_closed_size()) == (
        close_id,
        "Sell",
        Decimal("2"),
    )
    assert (record.get_avg_entry_price(), record.get_avg_exit_price()) == (Decimal("2050"), Decimal("2200"))
    # As on Bybit, closed PnL is net of the opening fees of the closed size (1.2 + 1.26) and of the
    # closing fee of the closed part (2 of the 3 filled: 6600 * 0.0006 * 2/3).
    assert record.get_closed_pnl() == Decimal("300") - Decimal("2.46") - Decimal("2.64")

    market(api, "Buy", "1", reduce_only=True)
    assert position(api) == [(0, "None", Decimal("0"), Decimal("0"))]
    assert exchange.positions() == []


def test_executions_page_and_filter_by_order(api: BybitAPI) -> None:
    ids = [market(api, "Buy", "0.1") for _ in range(3)]
    page1 = api.rest(GetExecutionList, GetExecutionListRequest().set_symbol("ETHUSDT").set_limit(2))
    assert [e.get_order_id() for e in page1.get_body()] == [ids[2], ids[1]]
    cursor = page1.get_next_page_cursor()
    assert cursor is not None
    page2 = api.rest(
        GetExecutionList, GetExecutionListRequest().set_symbol("ETHUSDT").set_limit(2).set_cursor(cursor)
    )
    assert [e.get_order_id() for e in page2.get_body()] == [ids[0]]
    assert page2.get_next_page_cursor() is None
    one = api.rest(
        GetExecutionList, GetExecutionListRequest().set_symbol("ETHUSDT").set_order_id(ids[1])
    ).get_result()
    assert one is not None
    assert (one.get_exec_price(), one.get_exec_qty(), one.get_exec_fee(), one.get_exec_type()) == (
        Decimal("2000"),
        Decimal("0.1"),
        Decimal("0.12"),
        "Trade",
    )
    assert (one.get_fee_rate(), one.get_last_liquidity_ind()) == (Decimal("0.0006"), "RemovedLiquidity")


def test_wallet_follows_fills_and_orders(exchange: SandboxExchange, api: BybitAPI) -> None:
    def usdt() -> tuple[Decimal | None, ...]:
        w = api.rest(WalletBalance, WalletBalanceRequest().set_coin("USDT")).get_result()
        assert w is not None
        assert w.get_coin() == "USDT"
        return (
            w.get_wallet_balance(),
            w.get_available_balance(),
            w.get_position_margin(),
            w.get_order_margin(),
        )

    assert usdt() == (Decimal("100000"), Decimal("100000"), Decimal("0"), Decimal("0"))
    market(api, "Buy", "1")  # 2000 USDT at 10x: 200 margin, 1.2 fee
    assert usdt() == (Decimal("99998.8"), Decimal("99798.8"), Decimal("200"), Decimal("0"))
    api.rest(
        PlaceOrder,
        PlaceOrderRequest()
        .set_symbol("ETHUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty(1)
        .set_price(1000),
    )
    assert usdt() == (Decimal("99998.8"), Decimal("99698.8"), Decimal("200"), Decimal("100"))
    coins = [w.get_coin() for w in api.rest(WalletBalance, WalletBalanceRequest()).get_body()]
    assert coins == ["BTC", "ETH", "USDC", "USDT"]
    assert exchange.balance("USDT", API_KEY) == Decimal("99998.8")


def test_orders_beyond_the_balance_are_refused(exchange: SandboxExchange, api: BybitAPI) -> None:
    with pytest.raises(ApiException) as caught:
        market(api, "Buy", "1000")  # 2M USDT of ETH at 10x needs 200000 margin
    assert (caught.value.ret_code, caught.value.ret_msg) == (140007, "Insufficient available balance")
    assert exchange.orders() == []


def test_reduce_only_without_a_position_is_refused(api: BybitAPI) -> None:
    with pytest.raises(ApiException) as caught:
        market(api, "Sell", "1", reduce_only=True)
    assert (caught.value.ret_code, caught.value.ret_msg) == (140017, "Reduce-only rule not satisfied")


def test_fee_rates(api: BybitAPI) -> None:
    one = api.rest(GetTradingFeeRate, GetTradingFeeRateRequest().set_symbol("BTCUSDT")).get_body()
    assert [(r.get_symbol(), r.get_taker_fee_rate(), r.get_maker_fee_rate()) for r in one] == [
        ("BTCUSDT", Decimal("0.0006"), Decimal("0.0001"))
    ]
    every = api.rest(GetTradingFeeRate, GetTradingFeeRateRequest()).get_body()
    assert [r.get_symbol() for r in every] == [
        "BTCUSDT",
        "ETHUSDT",
        "SOLUSDT",
        "XRPUSDT",
        "BTCPERP",
        "ETHPERP",
        "BTCUSD",
        "ETHUSD",
        dated_future("BTC", "USDT", now_ms()),
    ]


def test_settings_routes_change_what_the_position_shows(api: BybitAPI) -> None:
    assert api.rest(
        SetLeverage, SetLeverageRequest().set_symbol("ETHUSDT").set_buy_leverage(5).set_sell_leverage(5)
    )
    api.rest(SwitchTpSlMode, SwitchTpSlModeRequest().set_symbol("ETHUSDT").set_tp_sl_mode("Partial"))
    api.rest(SetRiskLimit, SetRiskLimitRequest().set_symbol("ETHUSDT").set_risk_id(2))
    api.rest(
        SwitchCrossIsolatedMargin,
        SwitchCrossIsolatedMarginRequest()
        .set_symbol("ETHUSDT")
        .set_trade_mode(1)
        .set_buy_leverage(4)
        .set_sell_leverage(4),
    )
    api.rest(
        SetAutoAddMargin,
        SetAutoAddMarginRequest()
        .set_symbol("ETHUSDT")
        .set_side("Buy")
        .set_auto_add_margin(1)
        .set_position_idx(0),
    )
    shown = api.rest(MyPosition, MyPositionRequest().set_symbol("ETHUSDT")).get_result()
    assert shown is not None
    assert (
        shown.get_leverage(),
        shown.get_tp_sl_mode(),
        shown.get_risk_id(),
        shown.get_risk_limit_value(),
    ) == (
        Decimal("4"),
        "Partial",
        2,
        "4000000",
    )
    assert (shown.get_trade_mode(), shown.get_auto_add_margin()) == (1, 1)
    response = api.rest(
        SetLeverage, SetLeverageRequest().set_symbol("ETHUSDT").set_buy_leverage(3).set_sell_leverage(3)
    )
    assert (response.get_return_code(), response.get_result()) == (0, None)


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (
            SetLeverageRequest().set_symbol("ETHUSDT").set_buy_leverage(5).set_sell_leverage(6),
            "params error: buyLeverage must equal sellLeverage in one-way mode",
        ),
        (
            SetLeverageRequest().set_symbol("ETHUSDT").set_buy_leverage(101).set_sell_leverage(101),
            "params error: leverage invalid (must be in [1, 100.00])",
        ),
        (
            SetRiskLimitRequest().set_symbol("ETHUSDT").set_risk_id(9),
            "params error: riskId invalid (the tiers are 1..5)",
        ),
        (
            SetTradingStopRequest().set_symbol("ETHUSDT").set_take_profit(2500),
            "params error: can not set tp/sl/ts for zero position",
        ),
        (
            SwitchTpSlModeRequest().set_symbol("ETHUSDT").set_tp_sl_mode("Half"),
            "params error: tpSlMode invalid (expected one of Full, Partial)",
        ),
    ],
)
def test_settings_are_validated(api: BybitAPI, request_: object, message: str) -> None:
    endpoint = {
        SetLeverageRequest: SetLeverage,
        SetRiskLimitRequest: SetRiskLimit,
        SetTradingStopRequest: SetTradingStop,
        SwitchTpSlModeRequest: SwitchTpSlMode,
    }[type(request_)]  # type: ignore[index]
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(endpoint, request_)  # type: ignore[arg-type]
    assert caught.value.ret_msg == message


def test_trading_stop_on_an_open_position(api: BybitAPI) -> None:
    market(api, "Buy", "1")
    api.rest(
        SetTradingStop,
        SetTradingStopRequest().set_symbol("ETHUSDT").set_take_profit(2500).set_stop_loss(1800),
    )
    shown = api.rest(MyPosition, MyPositionRequest().set_symbol("ETHUSDT")).get_result()
    assert shown is not None
    assert (shown.get_take_profit(), shown.get_stop_loss()) == (Decimal("2500"), Decimal("1800"))


def test_hedge_mode_keeps_two_positions(exchange: SandboxExchange, api: BybitAPI) -> None:
    api.rest(SwitchPositionMode, SwitchPositionModeRequest().set_symbol("ETHUSDT").set_position_mode(3))
    assert position(api) == [(1, "None", Decimal("0"), Decimal("0")), (2, "None", Decimal("0"), Decimal("0"))]
    with pytest.raises(InvalidParameterException):
        market(api, "Buy", "1")  # positionIdx 0 in hedge mode
    market(api, "Buy", "1", position_idx=1)
    market(api, "Sell", "2", position_idx=2)
    assert position(api) == [
        (1, "Buy", Decimal("1"), Decimal("2000")),
        (2, "Sell", Decimal("2"), Decimal("2000")),
    ]
    with pytest.raises(InvalidParameterException) as caught:
        api.rest(SwitchPositionMode, SwitchPositionModeRequest().set_symbol("ETHUSDT").set_position_mode(0))
    assert caught.value.ret_msg == (
        "params error: cannot switch position mode of ETHUSDT: position or open orders exist"
    )
    assert len(exchange.positions()) == 2


def test_switch_mode_by_coin(api: BybitAPI) -> None:
    api.rest(SwitchPositionMode, SwitchPositionModeRequest().set_coin("USDT").set_position_mode(3))
    assert [idx for idx, *_ in position(api, "SOLUSDT")] == [1, 2]
    assert [idx for idx, *_ in position(api, "BTCPERP")] == [0]  # settled in USDC


def test_inverse_positions_are_valued_in_coin(exchange: SandboxExchange, api: BybitAPI) -> None:
    btc = exchange.balance("BTC", API_KEY)
    market(api, "Buy", "3000", symbol="BTCUSD")  # 3000 USD contracts at 30000: 0.1 BTC
    pos = api.rest(MyPosition, MyPositionRequest().set_symbol("BTCUSD")).get_result()
    assert pos is not None
    assert (pos.get_size(), pos.get_position_value(), pos.get_entry_price()) == (
        Decimal("3000"),
        Decimal("0.1"),
        Decimal("30000"),
    )
    assert exchange.balance("BTC", API_KEY) == btc - Decimal("0.00006")
    exchange.set_mark_price("BTCUSD", 31250)
    market(api, "Sell", "3000", symbol="BTCUSD")
    record = api.rest(GetClosedPnL, GetClosedPnLRequest().set_symbol("BTCUSD")).get_result()
    assert record is not None
    # 3000/30000 - 3000/31250 = 0.004 BTC, minus the open fee 0.1 * 0.0006 and the close fee 0.096 * 0.0006
    assert record.get_closed_pnl() == Decimal("0.004") - Decimal("0.00006") - Decimal("0.0000576")
