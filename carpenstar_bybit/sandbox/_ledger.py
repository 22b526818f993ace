"""Accounts and their arithmetic: settings per symbol, margin, available balance, position figures.

Pure functions of an ``Account`` and the ``Market``; ``ExchangeState`` calls them under its lock.
Margins are simple and documented: initial margin is value / leverage, maintenance margin value times
the risk tier's rate, a spot buy ties up its quote amount plus the taker fee, a spot sell its base.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from carpenstar_bybit.sandbox._instruments import RISK_TIERS, TAKER_FEE_RATE, RiskTier
from carpenstar_bybit.sandbox._market import Market
from carpenstar_bybit.sandbox._records import (
    ZERO,
    SandboxClosedPnl,
    SandboxExecution,
    SandboxOrder,
    SandboxPosition,
)

__all__ = [
    "HEDGE",
    "ONE_WAY",
    "Account",
    "PositionMetrics",
    "SymbolSettings",
    "WalletMetrics",
    "closable",
    "coins",
    "order_cost",
    "position_metrics",
    "settings_for",
    "wallet",
]

#: ``positionMode`` values: one-way (merged single) and hedge (both sides).
ONE_WAY = 0
HEDGE = 3
_DEFAULT_LEVERAGE = Decimal(10)


@dataclass
class SymbolSettings:
    """An account's settings for one symbol (position routes change them)."""

    buy_leverage: Decimal = _DEFAULT_LEVERAGE
    sell_leverage: Decimal = _DEFAULT_LEVERAGE
    trade_mode: int = 0
    position_mode: int = ONE_WAY
    tpsl_mode: str = "Full"
    risk_id: int = 1
    auto_add_margin: dict[int, int] = field(default_factory=dict)

    def leverage_for(self, side: str) -> Decimal:
        """The leverage that applies to an order or position on ``side``."""
        return self.buy_leverage if side == "Buy" else self.sell_leverage

    @property
    def risk(self) -> RiskTier:
        """The chosen risk-limit tier."""
        return RISK_TIERS[self.risk_id - 1]


class Account:
    """Everything one API key owns. Only ``ExchangeState`` changes it."""

    def __init__(self, api_key: str, balances: Mapping[str, Decimal]) -> None:
        self.api_key = api_key
        self.orders: dict[str, SandboxOrder] = {}
        self.link_ids: dict[str, str] = {}
        self.positions: dict[tuple[str, int], SandboxPosition] = {}
        self.executions: list[SandboxExecution] = []
        self.closed_pnl: list[SandboxClosedPnl] = []
        self.settings: dict[str, SymbolSettings] = {}
        self.coin_position_mode: dict[str, int] = {}
        self.balances: dict[str, Decimal] = dict(balances)
        self.realised: dict[str, Decimal] = {}
        #: Disconnect protection: window (ms) per product, and when the last private call arrived.
        self.dcp_windows: dict[str, int] = {}
        self.last_private_ms = 0
        self.created_ms = 0

    def __repr__(self) -> str:
        return f"Account(orders={len(self.orders)}, positions={len(self.positions)})"


@dataclass(frozen=True)
class PositionMetrics:
    """Derived figures of a position at the current mark price."""

    leverage: Decimal
    mark_price: Decimal
    position_value: Decimal
    initial_margin: Decimal
    maintenance_margin: Decimal
    unrealised_pnl: Decimal
    liq_price: Decimal
    bust_price: Decimal
    risk: RiskTier
    settings: SymbolSettings


@dataclass(frozen=True)
class WalletMetrics:
    """Derived figures of one coin of a wallet."""

    coin: str
    wallet_balance: Decimal
    equity: Decimal
    available_balance: Decimal
    position_margin: Decimal
    order_margin: Decimal
    spot_locked: Decimal
    unrealised_pnl: Decimal
    cum_realised_pnl: Decimal
    occ_closing_fee: Decimal
    account_im: Decimal
    account_mm: Decimal


def settings_for(account: Account, market: Market, symbol: str) -> SymbolSettings:
    """An account's settings for ``symbol`` (created from its coin's position mode on first use)."""
    settings = account.settings.get(symbol)
    if settings is None:
        coin = market.get(symbol).settle_coin
        settings = SymbolSettings(position_mode=account.coin_position_mode.get(coin, ONE_WAY))
        account.settings[symbol] = settings
    return settings


def closable(account: Account, symbol: str, position_idx: int, side: str) -> Decimal:
    """How much an order on ``side`` can close of the position at ``position_idx``."""
    position = account.positions.get((symbol, position_idx))
    if position is None or not position.size:
        return ZERO
    return position.size if position.side != side else ZERO


def _opening_qty(account: Account, order: SandboxOrder) -> Decimal:
    """The part of an order's open quantity that would open or grow a position."""
    leaves = order.qty - order.cum_exec_qty
    if order.category == "spot":
        return leaves
    if order.position_idx:
        return leaves if (order.side == "Buy") == (order.position_idx == 1) else ZERO
    return max(ZERO, leaves - closable(account, order.symbol, 0, order.side))


def order_cost(account: Account, market: Market, order: SandboxOrder) -> tuple[str, Decimal]:
    """The coin and amount an open order ties up (initial margin, or the spot amount to pay)."""
    instrument = market.get(order.symbol)
    price = order.price or market.mark(order.symbol)
    qty = _opening_qty(account, order)
    if order.category == "spot":
        if order.side == "Buy":
            return instrument.quote_coin, instrument.value(qty, price) * (1 + TAKER_FEE_RATE)
        return instrument.base_coin, qty
    leverage = settings_for(account, market, order.symbol).leverage_for(order.side)
    return instrument.settle_coin, instrument.value(qty, price) / leverage


def position_metrics(account: Account, market: Market, position: SandboxPosition) -> PositionMetrics:
    """Leverage, value, margins, unrealised PnL and liquidation price of a position."""
    instrument = market.get(position.symbol)
    settings = settings_for(account, market, position.symbol)
    risk = settings.risk
    if position.side != "None":
        side = position.side
    else:
        side = "Sell" if position.position_idx == 2 else "Buy"
    leverage = settings.leverage_for(side)
    mark = market.mark(position.symbol)
    long = side == "Buy"
    value = unrealised = liq = bust = ZERO
    if position.size:
        value = instrument.value(position.size, position.entry_price)
        unrealised = instrument.pnl(long, position.size, position.entry_price, mark)
        # Margin added by hand (add-margin) moves the bankruptcy and liquidation prices away.
        step = 1 / leverage + (position.extra_margin / value if value else ZERO)
        bust = position.entry_price * (1 - step if long else 1 + step)
        rate = risk.maintain_margin
        liq = position.entry_price * (1 - step + rate if long else 1 + step - rate)
    return PositionMetrics(
        leverage=leverage,
        mark_price=mark,
        position_value=value,
        initial_margin=value / leverage + position.extra_margin,
        maintenance_margin=value * risk.maintain_margin,
        unrealised_pnl=unrealised,
        liq_price=max(liq, ZERO),
        bust_price=max(bust, ZERO),
        risk=risk,
        settings=settings,
    )


def coins(account: Account, market: Market) -> list[str]:
    """Coins the account holds or has positions in, sorted."""
    found = set(account.balances)
    found.update(market.get(p.symbol).settle_coin for p in account.positions.values())
    return sorted(found)


def wallet(account: Account, market: Market, coin: str) -> WalletMetrics:
    """Balance, margins and available balance of one coin."""
    position_margin = maintenance = unrealised = closing_fee = ZERO
    for position in account.positions.values():
        if not position.size or market.get(position.symbol).settle_coin != coin:
            continue
        metrics = position_metrics(account, market, position)
        position_margin += metrics.initial_margin
        maintenance += metrics.maintenance_margin
        unrealised += metrics.unrealised_pnl
        closing_fee += metrics.position_value * TAKER_FEE_RATE
    order_margin = spot_locked = ZERO
    for order in account.orders.values():
        if order.is_active and not (order.reduce_only or order.close_on_trigger):
            order_coin, cost = order_cost(account, market, order)
            if order_coin == coin:
                if order.category == "spot":
                    spot_locked += cost
                else:
                    order_margin += cost
    balance = account.balances.get(coin, ZERO)
    return WalletMetrics(
        coin=coin,
        wallet_balance=balance,
        equity=balance + unrealised,
        available_balance=max(ZERO, balance - position_margin - order_margin - spot_locked),
        position_margin=position_margin,
        order_margin=order_margin,
        spot_locked=spot_locked,
        unrealised_pnl=unrealised,
        cum_realised_pnl=account.realised.get(coin, ZERO),
        occ_closing_fee=closing_fee,
        account_im=position_margin + order_margin + spot_locked,
        account_mm=maintenance,
    )
