"""The records the sandbox keeps (orders, positions, executions, closed PnL) and the parsed requests
that change them.

Records are frozen: the exchange state stores a new version on every change, so a snapshot handed
to a test (``SandboxExchange.orders()``) never changes under it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from carpenstar_bybit.sandbox._instruments import Instrument

__all__ = [
    "ACTIVE_STATUSES",
    "ZERO",
    "AmendSpec",
    "OrderFilter",
    "OrderSpec",
    "SandboxClosedPnl",
    "SandboxExecution",
    "SandboxOrder",
    "SandboxPosition",
]

ZERO = Decimal(0)

#: Statuses of an order that can still fill, be amended or be cancelled.
ACTIVE_STATUSES = frozenset({"New", "PartiallyFilled", "Untriggered"})


@dataclass(frozen=True, slots=True)
class SandboxOrder:
    """One order, as the sandbox holds it. ``time_in_force`` uses V5's names (GTC, IOC, FOK, PostOnly);
    ``price`` is 0 for a market order, ``trigger_price`` 0 for a plain (not conditional) order."""

    order_id: str
    order_link_id: str
    account: str
    category: str
    symbol: str
    side: str
    order_type: str
    qty: Decimal
    price: Decimal
    time_in_force: str
    position_idx: int
    status: str
    created_ms: int
    updated_ms: int
    seq: int
    reduce_only: bool = False
    close_on_trigger: bool = False
    trigger_price: Decimal = ZERO
    trigger_direction: int = 0
    trigger_by: str = ""
    take_profit: Decimal = ZERO
    stop_loss: Decimal = ZERO
    tp_trigger_by: str = ""
    sl_trigger_by: str = ""
    tpsl_mode: str = ""
    tp_limit_price: Decimal | None = None
    sl_limit_price: Decimal | None = None
    cum_exec_qty: Decimal = ZERO
    cum_exec_value: Decimal = ZERO
    cum_exec_fee: Decimal = ZERO
    avg_price: Decimal = ZERO
    cancel_type: str = "UNKNOWN"
    reject_reason: str = "EC_NoError"
    last_price_on_created: Decimal = ZERO
    create_type: str = "CreateByUser"
    stop_order_type: str = ""

    @property
    def is_active(self) -> bool:
        """Whether the order can still fill, be amended or be cancelled."""
        return self.status in ACTIVE_STATUSES

    @property
    def is_conditional(self) -> bool:
        """Whether this is a conditional (stop) order."""
        return self.trigger_price > 0

    @property
    def stop_type(self) -> str:
        """``stopOrderType``: ``Stop`` for a conditional order, ``TakeProfit``/``StopLoss`` for the
        order a position's take-profit or stop-loss created, ``""`` otherwise."""
        return self.stop_order_type or ("Stop" if self.is_conditional else "")

    @property
    def leaves_qty(self) -> Decimal:
        """Quantity still to fill (0 once the order is finished)."""
        return self.qty - self.cum_exec_qty if self.is_active else ZERO


@dataclass(frozen=True, slots=True)
class SandboxPosition:
    """One position (``side`` is ``"None"`` and ``size`` 0 once it is closed)."""

    account: str
    category: str
    symbol: str
    position_idx: int
    side: str
    size: Decimal
    entry_price: Decimal
    created_ms: int
    updated_ms: int
    cum_realised_pnl: Decimal = ZERO
    take_profit: Decimal = ZERO
    stop_loss: Decimal = ZERO
    trailing_stop: Decimal = ZERO
    active_price: Decimal = ZERO
    cur_realised_pnl: Decimal = ZERO
    extra_margin: Decimal = ZERO
    open_fees: Decimal = ZERO
    tp_trigger_by: str = ""
    sl_trigger_by: str = ""
    seq: int = 0

    @property
    def signed_size(self) -> Decimal:
        """Size, negative for a short position."""
        return -self.size if self.side == "Sell" else self.size


@dataclass(frozen=True, slots=True)
class SandboxExecution:
    """One fill of an order."""

    account: str
    exec_id: str
    order_id: str
    order_link_id: str
    category: str
    symbol: str
    side: str
    order_type: str
    order_price: Decimal
    order_qty: Decimal
    stop_order_type: str
    exec_price: Decimal
    exec_qty: Decimal
    exec_value: Decimal
    exec_fee: Decimal
    fee_rate: Decimal
    is_maker: bool
    leaves_qty: Decimal
    closed_size: Decimal
    mark_price: Decimal
    exec_time_ms: int
    seq: int


@dataclass(frozen=True, slots=True)
class SandboxClosedPnl:
    """The profit of one fill that reduced a position."""

    account: str
    order_id: str
    category: str
    symbol: str
    side: str
    qty: Decimal
    order_price: Decimal
    order_type: str
    closed_size: Decimal
    avg_entry_price: Decimal
    avg_exit_price: Decimal
    cum_entry_value: Decimal
    cum_exit_value: Decimal
    closed_pnl: Decimal
    leverage: Decimal
    created_ms: int
    seq: int
    open_fee: Decimal = ZERO
    close_fee: Decimal = ZERO


@dataclass(frozen=True)
class OrderSpec:
    """A new order, parsed from a V3 or V5 create request."""

    category: str
    symbol: str
    side: str
    order_type: str
    qty: Decimal
    price: Decimal | None = None
    time_in_force: str = "GTC"
    position_idx: int | None = None
    order_link_id: str = ""
    reduce_only: bool = False
    close_on_trigger: bool = False
    trigger_price: Decimal | None = None
    trigger_direction: int | None = None
    trigger_by: str = ""
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    tp_trigger_by: str = ""
    sl_trigger_by: str = ""
    tpsl_mode: str = ""
    tp_limit_price: Decimal | None = None
    sl_limit_price: Decimal | None = None
    market_unit: str = ""


@dataclass(frozen=True)
class AmendSpec:
    """Changes to an open order, parsed from a V3 replace or a V5 amend request."""

    qty: Decimal | None = None
    price: Decimal | None = None
    trigger_price: Decimal | None = None
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    tp_trigger_by: str | None = None
    sl_trigger_by: str | None = None
    trigger_by: str | None = None
    tp_limit_price: Decimal | None = None
    sl_limit_price: Decimal | None = None

    def is_empty(self) -> bool:
        """Whether nothing would change."""
        return all(getattr(self, name) is None for name in self.__dataclass_fields__)


@dataclass(frozen=True)
class OrderFilter:
    """Which orders a list or cancel-all request is about. ``None`` fields do not filter."""

    categories: frozenset[str]
    symbol: str | None = None
    base_coin: str | None = None
    settle_coin: str | None = None
    order_id: str | None = None
    order_link_id: str | None = None
    statuses: frozenset[str] | None = None
    active: bool | None = None
    conditional: bool | None = None
    start_ms: int | None = None
    end_ms: int | None = None

    def matches(self, order: SandboxOrder, instrument: Instrument) -> bool:
        """Whether ``order`` (of ``instrument``) passes every filter."""
        return (
            order.category in self.categories
            and (self.symbol is None or order.symbol == self.symbol)
            and (self.base_coin is None or instrument.base_coin == self.base_coin)
            and (self.settle_coin is None or instrument.settle_coin == self.settle_coin)
            and (self.order_id is None or order.order_id == self.order_id)
            and (self.order_link_id is None or order.order_link_id == self.order_link_id)
            and (self.statuses is None or order.status in self.statuses)
            and (self.active is None or order.is_active == self.active)
            and (self.conditional is None or order.is_conditional == self.conditional)
            and (self.start_ms is None or order.created_ms >= self.start_ms)
            and (self.end_ms is None or order.created_ms <= self.end_ms)
        )
