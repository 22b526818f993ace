"""The in-memory exchange behind every route: accounts, orders, fills, positions and wallets.

One ``ExchangeState`` serves the V3 and the V5 routes alike, so an order placed through one API is
listed, amended and cancelled through the other. Every public method takes the state's lock; the
HTTP dispatcher holds the same (re-entrant) lock around each route handler, so each request sees and
changes the state atomically.

Observers (the hook the streams, ``_ws``, use): ``subscribe(listener)`` registers a callable
that receives a ``StateEvent`` for every change of an order, an execution (fill), a position or a
wallet coin, in the order they happened. Events are queued while the state lock is held and handed
to listeners by ``flush_events()`` after the change is committed, outside the state lock (the
dispatcher flushes after each request, ``SandboxExchange`` after each of its own changes), so a
listener may take its time, do I/O or read the state; one listener at a time, in commit order. A
listener that raises is logged and skipped; it never breaks a request.

Matching is deterministic: a market order fills at once at the symbol's mark price; a limit order
that would cross the mark price fills at the mark price (taker) unless it is PostOnly (then it is
cancelled), otherwise it rests as ``New`` (IOC and FOK are cancelled instead). Resting orders fill at
their own price (maker) when the mark price moves through them (``set_mark_price``) or when a test
fills them (``fill``). Conditional orders (``triggerPrice``) wait as ``Untriggered``.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_FLOOR, Decimal

from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.sandbox._errors import ExchangeError, Reason
from carpenstar_bybit.sandbox._instruments import (
    DEFAULT_BALANCES,
    MAKER_FEE_RATE,
    RISK_TIERS,
    TAKER_FEE_RATE,
    Instrument,
    check_order,
    dated_future,
)
from carpenstar_bybit.sandbox._ledger import (
    ONE_WAY,
    Account,
    PositionMetrics,
    SymbolSettings,
    WalletMetrics,
    closable,
    coins,
    order_cost,
    position_metrics,
    settings_for,
    wallet,
)
from carpenstar_bybit.sandbox._market import Market, Price
from carpenstar_bybit.sandbox._records import (
    ZERO,
    AmendSpec,
    OrderFilter,
    OrderSpec,
    SandboxExecution,
    SandboxOrder,
    SandboxPosition,
)
from carpenstar_bybit.sandbox._settlement import settle_position, settle_spot

__all__ = ["DCP_PRODUCTS", "ExchangeState", "StateEvent", "StateListener"]

logger = logging.getLogger("carpenstar_bybit.sandbox")

_MAX_LINK_ID = 36
_CONTRACT = ("linear", "inverse")
#: Disconnect protection products and the categories whose orders each one cancels.
DCP_PRODUCTS: dict[str, frozenset[str]] = {
    "OPTIONS": frozenset({"option"}),
    "DERIVATIVES": frozenset({"linear", "inverse"}),
    "SPOT": frozenset({"spot"}),
}


@dataclass(frozen=True)
class StateEvent:
    """One committed change: ``kind`` is ``order``, ``execution``, ``position`` or ``wallet``;
    ``data`` the new immutable record (``SandboxOrder``, ``SandboxExecution``, ``SandboxPosition``,
    or ``WalletMetrics`` of one coin); ``account`` the API key; ``seq`` grows by one per event."""

    kind: str
    account: str
    data: object
    seq: int


StateListener = Callable[[StateEvent], None]


class ExchangeState:
    """The whole exchange: listed symbols with their mark prices, and one ``Account`` per API key.

    :param mark_prices: symbols to list besides the defaults, with their mark prices.
    :param balances: the starting wallet of every account (default: 100000 USDT and USDC, 10 BTC,
        100 ETH).
    :param clock: milliseconds since the epoch (injectable for tests).
    """

    def __init__(
        self,
        mark_prices: Mapping[str, Price] | None = None,
        balances: Mapping[str, Decimal] | None = None,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        self.lock = threading.RLock()
        self._clock = clock
        # A dated future besides the perpetuals: the next quarterly BTC future, priced with a basis.
        listing: dict[str, Price] = {dated_future("BTC", "USDT", clock()): Decimal("30150")}
        listing.update(mark_prices or {})
        self.market = Market(listing)
        self._initial_balances = dict(DEFAULT_BALANCES if balances is None else balances)
        self._accounts: dict[str, Account] = {}
        self._seq = 0
        self._listeners: list[StateListener] = []
        self._pending: list[StateEvent] = []
        self._event_seq = 0
        self._dispatch_lock = threading.Lock()
        self._dcp_armed = False
        #: PEM public keys of the RSA API keys (``/v5/user/query-api`` shows them).
        self.rsa_public_keys: dict[str, str] = {}

    # -- observers ----------------------------------------------------------------------------

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        """Call ``listener`` with every ``StateEvent`` from now on; returns the unsubscribe function."""
        with self.lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self.lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    def _emit(self, kind: str, account: Account, data: object) -> None:
        if self._listeners:
            self._event_seq += 1
            self._pending.append(StateEvent(kind, account.api_key, data, self._event_seq))

    def _emit_wallets(self, account: Account, coin_names: Iterable[str]) -> None:
        if self._listeners:
            for coin in coin_names:
                self._emit("wallet", account, wallet(account, self.market, coin))

    def flush_events(self) -> None:
        """Hand the queued events to the listeners. Call it without holding the state lock."""
        if not self._pending:
            return
        with self._dispatch_lock:
            with self.lock:
                events, self._pending = self._pending, []
                listeners = list(self._listeners)
            for event in events:
                for listener in listeners:
                    try:
                        listener(event)
                    except Exception:
                        logger.exception("sandbox state listener failed on a %s event", event.kind)

    # -- timers: disconnect protection ----------------------------------------------------------

    def touch(self, api_key: str, now_ms: int) -> None:
        """A private call of ``api_key`` arrived: it restarts the disconnect-protection window."""
        with self.lock:
            account = self._accounts.get(api_key)
            if account is not None:
                account.last_private_ms = now_ms

    def set_dcp(self, account: Account, product: str, window_s: int) -> None:
        """Arm disconnect protection: the ``product``'s open orders are cancelled once no private
        call has arrived for ``window_s`` seconds."""
        with self.lock:
            account.dcp_windows[product] = window_s * 1000
            account.last_private_ms = self._clock()
            self._dcp_armed = True

    def run_timers(self, now_ms: int | None = None) -> None:
        """Cancel the open orders of every account whose disconnect-protection window has passed."""
        if not self._dcp_armed:
            return
        with self.lock:
            now = self._clock() if now_ms is None else now_ms
            for account in self._accounts.values():
                for product, window in account.dcp_windows.items():
                    if now - account.last_private_ms <= window:
                        continue
                    categories = DCP_PRODUCTS[product]
                    for order in sorted(account.orders.values(), key=lambda o: o.seq):
                        if order.is_active and order.category in categories:
                            self._finish(account, order, "CancelByDCP")

    # -- the market ---------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget every account, order and fill, and restore the initial mark prices."""
        with self.lock:
            self.market.reset()
            self._accounts = {}

    def now(self) -> int:
        """The exchange clock in milliseconds."""
        return self._clock()

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def instruments(self, category: str | None = None) -> list[Instrument]:
        """The listed instruments (of one category), in listing order."""
        with self.lock:
            return self.market.instruments(category)

    def instrument(self, symbol: str, categories: Iterable[str] | None = None) -> Instrument:
        """A listed instrument; 10001 (``symbol invalid``) if it is not listed in ``categories``."""
        with self.lock:
            return self.market.instrument(symbol, categories)

    def mark_price(self, symbol: str) -> Decimal:
        """The mark price of a listed symbol (``KeyError`` if not listed)."""
        with self.lock:
            return self.market.mark(symbol)

    def set_mark_price(self, symbol: str, price: Price) -> None:
        """Move (or list) a symbol's mark price; triggers conditional orders, fills resting limit
        orders that the new price reaches, and closes positions whose take-profit or stop-loss it
        crosses (a reduce-only market order, created by the take-profit or stop-loss)."""
        with self.lock:
            self.market.set_mark(symbol, price)
            for account in list(self._accounts.values()):
                for order in sorted(account.orders.values(), key=lambda o: o.seq):
                    if order.symbol == symbol and order.is_active:
                        self._on_price(account, order)
                for position in list(account.positions.values()):
                    if position.symbol == symbol and position.size:
                        self._check_stops(account, position)

    def _check_stops(self, account: Account, position: SandboxPosition) -> None:
        mark = self.market.mark(position.symbol)
        long = position.side == "Buy"
        hit = ""
        tp, sl = position.take_profit, position.stop_loss
        if tp and (mark >= tp if long else mark <= tp):
            hit = "TakeProfit"
        elif sl and (mark <= sl if long else mark >= sl):
            hit = "StopLoss"
        if not hit:
            return
        now = self._clock()
        order = SandboxOrder(
            order_id=str(uuid.uuid4()),
            order_link_id="",
            account=account.api_key,
            category=position.category,
            symbol=position.symbol,
            side="Sell" if long else "Buy",
            order_type="Market",
            qty=position.size,
            price=ZERO,
            time_in_force="IOC",
            position_idx=position.position_idx,
            status="New",
            created_ms=now,
            updated_ms=now,
            seq=self._next_seq(),
            reduce_only=True,
            close_on_trigger=True,
            trigger_price=position.take_profit if hit == "TakeProfit" else position.stop_loss,
            trigger_by=(position.tp_trigger_by if hit == "TakeProfit" else position.sl_trigger_by)
            or "LastPrice",
            last_price_on_created=mark,
            create_type=f"CreateBy{hit}",
            stop_order_type=hit,
        )
        self._store(account, order)
        self._execute(account, order, order.qty, mark, maker=False)

    # -- accounts ------------------------------------------------------------------------------

    def account(self, api_key: str) -> Account:
        """The account of an API key (created on first use)."""
        with self.lock:
            account = self._accounts.get(api_key)
            if account is None:
                account = self._accounts[api_key] = Account(api_key, self._initial_balances)
                account.created_ms = self._clock()
            return account

    def accounts(self, api_key: str | None = None) -> list[Account]:
        """Every account, or the one of ``api_key`` (none if it never traded)."""
        with self.lock:
            if api_key is None:
                return list(self._accounts.values())
            account = self._accounts.get(api_key)
            return [account] if account is not None else []

    def settings(self, account: Account, symbol: str) -> SymbolSettings:
        """An account's settings for ``symbol`` (created from the coin's defaults on first use)."""
        with self.lock:
            return settings_for(account, self.market, symbol)

    # -- orders -------------------------------------------------------------------------------

    def find_orders(self, account: Account, flt: OrderFilter) -> list[SandboxOrder]:
        """The account's orders that pass ``flt``, newest first."""
        with self.lock:
            found = [o for o in account.orders.values() if flt.matches(o, self.market.get(o.symbol))]
            return sorted(found, key=lambda o: o.seq, reverse=True)

    def _active_order(
        self,
        account: Account,
        categories: frozenset[str],
        symbol: str,
        order_id: str | None,
        order_link_id: str | None,
    ) -> SandboxOrder:
        key = order_id if order_id is not None else account.link_ids.get(order_link_id or "")
        order = account.orders.get(key or "")
        if order is None or order.symbol != symbol or order.category not in categories or not order.is_active:
            raise ExchangeError(Reason.ORDER_NOT_FOUND)
        return order

    def place(self, account: Account, spec: OrderSpec) -> SandboxOrder:
        """Validate and place a new order, then match it; the order as it stands afterwards."""
        with self.lock:
            instrument = self.market.instrument(spec.symbol, (spec.category,))
            mark = self.market.mark(spec.symbol)
            self._check_link_id(account, spec.order_link_id, spec.category)
            price = ZERO
            if spec.order_type == "Limit":
                if spec.price is None:
                    raise ExchangeError.params("price is required for a Limit order")
                price = spec.price
            in_quote = spec.category == "spot" and spec.order_type == "Market" and self._quote_unit(spec)
            if not in_quote:
                check_order(
                    instrument,
                    spec.category,
                    spec.order_type,
                    spec.qty,
                    price or mark,
                    notional=not (spec.reduce_only or spec.close_on_trigger),
                )
            position_idx = 0
            qty = spec.qty
            if spec.category == "spot" and spec.order_type == "Market":
                qty = self._spot_market_qty(instrument, spec, mark)
            reduce_only = spec.reduce_only or spec.close_on_trigger
            if spec.category != "spot":
                settings = self.settings(account, spec.symbol)
                position_idx = self._position_idx(settings, spec.side, spec.position_idx, reduce_only)
                if reduce_only:
                    can_close = closable(account, spec.symbol, position_idx, spec.side)
                    if can_close <= 0:
                        raise ExchangeError(Reason.REDUCE_ONLY)
                    qty = min(qty, can_close)
            elif reduce_only:
                raise ExchangeError.params("reduceOnly is not supported for spot")
            trigger = spec.trigger_price or ZERO
            direction = 0
            if trigger:
                direction = spec.trigger_direction or (1 if trigger > mark else 2)
            now = self._clock()
            order = SandboxOrder(
                order_id=str(uuid.uuid4()),
                order_link_id=spec.order_link_id,
                account=account.api_key,
                category=spec.category,
                symbol=spec.symbol,
                side=spec.side,
                order_type=spec.order_type,
                qty=qty,
                price=price,
                time_in_force=spec.time_in_force,
                position_idx=position_idx,
                status="Untriggered" if trigger else "New",
                created_ms=now,
                updated_ms=now,
                seq=self._next_seq(),
                reduce_only=spec.reduce_only,
                close_on_trigger=spec.close_on_trigger,
                trigger_price=trigger,
                trigger_direction=direction,
                trigger_by=(spec.trigger_by or "LastPrice") if trigger else "",
                take_profit=spec.take_profit or ZERO,
                stop_loss=spec.stop_loss or ZERO,
                tp_trigger_by=spec.tp_trigger_by,
                sl_trigger_by=spec.sl_trigger_by,
                tpsl_mode=spec.tpsl_mode,
                tp_limit_price=spec.tp_limit_price,
                sl_limit_price=spec.sl_limit_price,
                last_price_on_created=mark,
            )
            if not reduce_only:
                self._check_funds(account, order)
            self._store(account, order)
            if order.order_link_id:
                account.link_ids[order.order_link_id] = order.order_id
            if not trigger:
                self._match_new(account, order)
            return account.orders[order.order_id]

    @staticmethod
    def _quote_unit(spec: OrderSpec) -> bool:
        """Whether a spot market order's qty is in the quote coin (Bybit's default for a buy)."""
        unit = spec.market_unit or ("quoteCoin" if spec.side == "Buy" else "baseCoin")
        return unit == "quoteCoin"

    def _spot_market_qty(self, instrument: Instrument, spec: OrderSpec, mark: Decimal) -> Decimal:
        """The base quantity of a spot market order (a quote amount is converted at the mark price
        and rounded down to the step); 170140 under the minimum order value."""
        if not self._quote_unit(spec):
            return spec.qty
        if spec.qty < instrument.min_notional:
            raise ExchangeError(Reason.SPOT_VALUE_TOO_LOW)
        qty = (spec.qty / mark / instrument.step).to_integral_value(rounding=ROUND_FLOOR) * instrument.step
        if qty < instrument.min_qty:
            raise ExchangeError(Reason.SPOT_QTY_TOO_LOW)
        return qty

    def amend(
        self,
        account: Account,
        categories: frozenset[str],
        symbol: str,
        order_id: str | None,
        order_link_id: str | None,
        spec: AmendSpec,
    ) -> SandboxOrder:
        """Change an open order (V3 replace, V5 amend); not-found if it is not open."""
        with self.lock:
            order = self._active_order(account, categories, symbol, order_id, order_link_id)
            if spec.is_empty():
                raise ExchangeError.params("nothing to amend: send qty, price, triggerPrice, takeProfit...")
            if spec.price is not None and order.order_type != "Limit":
                raise ExchangeError.params("price can only be amended on a Limit order")
            if spec.trigger_price is not None and not order.is_conditional:
                raise ExchangeError.params("triggerPrice can only be amended on a conditional order")
            if spec.qty is not None and spec.qty <= order.cum_exec_qty:
                raise ExchangeError.params("qty must be greater than the filled quantity")
            if spec.qty is not None or spec.price is not None:
                check_order(
                    self.market.get(order.symbol),
                    order.category,
                    order.order_type,
                    spec.qty if spec.qty is not None else order.qty,
                    (spec.price if spec.price is not None else order.price) or self.market.mark(order.symbol),
                    notional=not (order.reduce_only or order.close_on_trigger),
                )
            changes: dict[str, object] = {
                name: value
                for name, value in (
                    ("qty", spec.qty),
                    ("price", spec.price),
                    ("trigger_price", spec.trigger_price if order.status == "Untriggered" else None),
                    ("take_profit", spec.take_profit),
                    ("stop_loss", spec.stop_loss),
                    ("tp_trigger_by", spec.tp_trigger_by),
                    ("sl_trigger_by", spec.sl_trigger_by),
                    ("trigger_by", spec.trigger_by),
                    ("tp_limit_price", spec.tp_limit_price),
                    ("sl_limit_price", spec.sl_limit_price),
                )
                if value is not None
            }
            amended = replace(order, updated_ms=self._clock(), **changes)  # type: ignore[arg-type]
            if not (amended.reduce_only or amended.close_on_trigger):
                self._check_funds(account, amended, replacing=order)
            self._store(account, amended)
            if amended.status != "Untriggered":
                self._match_new(account, amended)
            return account.orders[order.order_id]

    def cancel(
        self,
        account: Account,
        categories: frozenset[str],
        symbol: str,
        order_id: str | None,
        order_link_id: str | None,
    ) -> SandboxOrder:
        """Cancel one open order; not-found if it is unknown, filled or already cancelled."""
        with self.lock:
            order = self._active_order(account, categories, symbol, order_id, order_link_id)
            return self._finish(account, order, "CancelByUser")

    def cancel_all(self, account: Account, flt: OrderFilter) -> list[SandboxOrder]:
        """Cancel every open order that passes ``flt``; the cancelled orders, newest first."""
        with self.lock:
            found = self.find_orders(account, replace(flt, active=True))
            return [self._finish(account, order, "CancelByUser") for order in found]

    def fill(self, order_id: str, qty: Decimal | None = None, price: Decimal | None = None) -> SandboxOrder:
        """Fill an open order (of any account) as maker, fully or by ``qty``, at its price or ``price``.

        ``ValueError`` if the order is unknown, finished, untriggered, or ``qty`` exceeds what is left.
        """
        with self.lock:
            for account in self._accounts.values():
                order = account.orders.get(order_id)
                if order is not None:
                    break
            else:
                raise ValueError(f"no order {order_id!r}")
            if not order.is_active or order.status == "Untriggered":
                raise ValueError(f"order {order_id} is {order.status}: only New or PartiallyFilled fill")
            qty = order.leaves_qty if qty is None else Decimal(qty)
            if not 0 < qty <= order.leaves_qty:
                raise ValueError(f"qty must be in (0, {order.leaves_qty}], got {qty}")
            fill_price = (
                Decimal(price) if price is not None else order.price or self.market.mark(order.symbol)
            )
            self._execute(account, order, qty, fill_price, maker=True)
            return account.orders[order_id]

    # -- matching -----------------------------------------------------------------------------

    def _store(self, account: Account, order: SandboxOrder) -> None:
        account.orders[order.order_id] = order
        self._emit("order", account, order)

    def _finish(
        self, account: Account, order: SandboxOrder, cancel_type: str, reason: str = ""
    ) -> SandboxOrder:
        status = "Deactivated" if order.status == "Untriggered" else "Cancelled"
        done = replace(
            order,
            status=status,
            cancel_type=cancel_type,
            reject_reason=reason or order.reject_reason,
            updated_ms=self._clock(),
        )
        self._store(account, done)
        return done

    def _match_new(self, account: Account, order: SandboxOrder) -> None:
        """Match a just placed, amended or triggered order against the mark price (as taker)."""
        mark = self.market.mark(order.symbol)
        if order.order_type == "Market":
            self._execute(account, order, order.leaves_qty, mark, maker=False)
            return
        crosses = order.price >= mark if order.side == "Buy" else order.price <= mark
        if crosses:
            if order.time_in_force == "PostOnly":
                self._finish(account, order, "UNKNOWN", "EC_PostOnlyWillTakeLiquidity")
            else:
                self._execute(account, order, order.leaves_qty, mark, maker=False)
        elif order.time_in_force in ("IOC", "FOK"):
            self._finish(account, order, "UNKNOWN", "EC_NoImmediateQtyToFill")

    def _on_price(self, account: Account, order: SandboxOrder) -> None:
        """React to a new mark price: trigger a conditional order, or fill a resting limit order."""
        mark = self.market.mark(order.symbol)
        if order.status == "Untriggered":
            rising = order.trigger_direction == 1
            if (rising and mark >= order.trigger_price) or (not rising and mark <= order.trigger_price):
                triggered = replace(order, status="New", updated_ms=self._clock())
                self._store(account, triggered)
                self._match_new(account, triggered)
            return
        if order.order_type == "Limit":
            crosses = order.price >= mark if order.side == "Buy" else order.price <= mark
            if crosses:
                self._execute(account, order, order.leaves_qty, order.price, maker=True)

    def _execute(
        self, account: Account, order: SandboxOrder, qty: Decimal, price: Decimal, *, maker: bool
    ) -> None:
        """Fill ``qty`` of ``order`` at ``price``: order, position or spot balances, fees, records."""
        instrument = self.market.get(order.symbol)
        if order.reduce_only or order.close_on_trigger:
            qty = min(qty, closable(account, order.symbol, order.position_idx, order.side))
            if qty <= 0:
                self._finish(account, order, "CancelByReduceOnly")
                return
        now = self._clock()
        rate = MAKER_FEE_RATE if maker else TAKER_FEE_RATE
        value = instrument.value(qty, price)
        fee = value * rate
        closed = ZERO
        if order.category == "spot":
            settle_spot(account, instrument, order.side, qty, value, fee)
            touched: tuple[str, ...] = (instrument.base_coin, instrument.quote_coin)
        else:
            settings = settings_for(account, self.market, order.symbol)
            closed = settle_position(
                account, instrument, settings, order, qty, price, fee, now, self._next_seq
            )
            touched = (instrument.settle_coin,)
        cum_qty = order.cum_exec_qty + qty
        cum_value = order.cum_exec_value + value
        if instrument.is_inverse:
            avg = cum_qty / cum_value if cum_value else ZERO
        else:
            avg = cum_value / cum_qty
        remaining = order.qty - cum_qty
        filled = replace(
            order,
            cum_exec_qty=cum_qty,
            cum_exec_value=cum_value,
            cum_exec_fee=order.cum_exec_fee + fee,
            avg_price=avg,
            status="Filled" if remaining <= 0 else "PartiallyFilled",
            updated_ms=now,
        )
        self._store(account, filled)
        account.executions.append(
            SandboxExecution(
                account=account.api_key,
                exec_id=str(uuid.uuid4()),
                order_id=order.order_id,
                order_link_id=order.order_link_id,
                category=order.category,
                symbol=order.symbol,
                side=order.side,
                order_type=order.order_type,
                order_price=order.price,
                order_qty=order.qty,
                stop_order_type=order.stop_type or "UNKNOWN",
                exec_price=price,
                exec_qty=qty,
                exec_value=value,
                exec_fee=fee,
                fee_rate=rate,
                is_maker=maker,
                leaves_qty=filled.leaves_qty,
                closed_size=closed,
                mark_price=self.market.mark(order.symbol),
                exec_time_ms=now,
                seq=self._next_seq(),
            )
        )
        self._emit("execution", account, account.executions[-1])
        if order.category != "spot":
            self._emit("position", account, account.positions[(order.symbol, order.position_idx)])
        self._emit_wallets(account, touched)
        reducing = order.reduce_only or order.close_on_trigger
        if (
            filled.is_active
            and reducing
            and not closable(account, order.symbol, order.position_idx, order.side)
        ):
            self._finish(account, filled, "CancelByReduceOnly")

    # -- rules --------------------------------------------------------------------------------

    def _check_link_id(self, account: Account, link_id: str, category: str) -> None:
        if not link_id:
            if category == "option":
                raise ExchangeError.params("orderLinkId is required for option orders")
            return
        if len(link_id) > _MAX_LINK_ID or not all(
            c.isascii() and (c.isalnum() or c in "-_") for c in link_id
        ):
            raise ExchangeError.params(
                f"orderLinkId invalid (at most {_MAX_LINK_ID} letters, digits, '-' or '_')"
            )
        if link_id in account.link_ids:
            raise ExchangeError(Reason.DUPLICATE_ORDER_LINK_ID)

    @staticmethod
    def _position_idx(settings: SymbolSettings, side: str, requested: int | None, reduce_only: bool) -> int:
        if settings.position_mode == ONE_WAY:
            if requested not in (None, 0):
                raise ExchangeError.params("position idx not match position mode (one-way mode takes 0)")
            return 0
        if requested not in (1, 2):
            raise ExchangeError.params("position idx not match position mode (hedge mode takes 1 or 2)")
        opening = (side == "Buy") == (requested == 1)
        if not opening and not reduce_only:
            raise ExchangeError.params(
                "position idx not match position mode (a closing order in hedge mode must be reduce-only)"
            )
        return requested

    def _check_funds(
        self, account: Account, order: SandboxOrder, replacing: SandboxOrder | None = None
    ) -> None:
        """Insufficient balance unless the account can afford ``order`` (in place of ``replacing``)."""
        coin, needed = order_cost(account, self.market, order)
        available = self.wallet(account, coin).available_balance
        if replacing is not None and replacing.is_active:
            old_coin, old_cost = order_cost(account, self.market, replacing)
            if old_coin == coin:
                available += old_cost
        if needed > available:
            raise ExchangeError(Reason.INSUFFICIENT_BALANCE)

    # -- positions ----------------------------------------------------------------------------

    def positions(
        self, account: Account, symbol: str | None = None, settle_coin: str | None = None
    ) -> list[SandboxPosition]:
        """Positions as the V3 position list shows them: for a symbol, one per position index of its
        mode (empty ones included); for a settle coin, the open ones."""
        with self.lock:
            if symbol is not None:
                instrument = self.market.instrument(symbol, _CONTRACT)
                settings = self.settings(account, symbol)
                indexes = (0,) if settings.position_mode == ONE_WAY else (1, 2)
                now = self._clock()
                return [
                    account.positions.get((symbol, idx))
                    or SandboxPosition(
                        account.api_key,
                        instrument.contract_category or "linear",
                        symbol,
                        idx,
                        "None",
                        ZERO,
                        ZERO,
                        now,
                        now,
                    )
                    for idx in indexes
                ]
            return [
                p
                for p in account.positions.values()
                if p.size and (settle_coin is None or self.market.get(p.symbol).settle_coin == settle_coin)
            ]

    def position_metrics(self, account: Account, position: SandboxPosition) -> PositionMetrics:
        """Leverage, value, margins, unrealised PnL and liquidation price of a position."""
        with self.lock:
            return position_metrics(account, self.market, position)

    def _check_leverage(self, account: Account, symbol: str, *leverages: Decimal) -> None:
        risk = self.settings(account, symbol).risk
        for leverage in leverages:
            if not 1 <= leverage <= risk.max_leverage:
                raise ExchangeError.params(f"leverage invalid (must be in [1, {risk.max_leverage}])")

    def set_leverage(
        self, account: Account, symbol: str, buy: Decimal, sell: Decimal, *, v5: bool = False
    ) -> None:
        """``set-leverage``: in one-way mode both sides must be equal; on V5 an unchanged leverage is
        110043, and the positions' figures move with the new leverage."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            settings = self.settings(account, symbol)
            self._check_leverage(account, symbol, buy, sell)
            if settings.position_mode == ONE_WAY and buy != sell:
                raise ExchangeError.params("buyLeverage must equal sellLeverage in one-way mode")
            if v5 and (settings.buy_leverage, settings.sell_leverage) == (buy, sell):
                raise ExchangeError(Reason.LEVERAGE_NOT_MODIFIED)
            settings.buy_leverage, settings.sell_leverage = buy, sell
            self._emit_positions(account, symbol)

    def _emit_positions(self, account: Account, symbol: str) -> None:
        for position in account.positions.values():
            if position.symbol == symbol and position.size:
                self._emit("position", account, position)
                self._emit_wallets(account, (self.market.get(symbol).settle_coin,))

    def switch_isolated(
        self, account: Account, symbol: str, trade_mode: int, buy: Decimal, sell: Decimal, *, v5: bool = False
    ) -> None:
        """``switch-isolated``: cross (0) or isolated (1) margin, with the leverage to use (on V5 an
        unchanged mode is 110026)."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            self._check_leverage(account, symbol, buy, sell)
            settings = self.settings(account, symbol)
            if v5 and settings.trade_mode == trade_mode:
                raise ExchangeError(Reason.MARGIN_MODE_NOT_MODIFIED)
            settings.trade_mode = trade_mode
            settings.buy_leverage, settings.sell_leverage = buy, sell

    def switch_mode(
        self, account: Account, symbol: str | None, coin: str | None, mode: int, *, v5: bool = False
    ) -> None:
        """``switch-mode``: one-way (0) or hedge (3), for a symbol or every symbol of a settle coin.

        Refused while an affected symbol has a position or an open order (V3: 10001; V5: 110024,
        110028), and on V5 when nothing would change (110025).
        """
        with self.lock:
            symbols = self.market.contract_symbols(symbol, coin)
            for name in symbols:
                has_position = any(p.symbol == name and p.size for p in account.positions.values())
                has_orders = any(
                    o.symbol == name and o.is_active and o.category != "spot" for o in account.orders.values()
                )
                if v5 and has_position:
                    raise ExchangeError(Reason.POSITION_BLOCKS_MODE_SWITCH)
                if v5 and has_orders:
                    raise ExchangeError(Reason.OPEN_ORDERS_BLOCK_MODE_SWITCH)
                if has_position or has_orders:
                    raise ExchangeError.params(
                        f"cannot switch position mode of {name}: position or open orders exist"
                    )
            if v5 and symbol is not None and self.settings(account, symbol).position_mode == mode:
                raise ExchangeError(Reason.POSITION_MODE_NOT_MODIFIED)
            if symbol is None and coin is not None:
                account.coin_position_mode[coin] = mode
            for name in symbols:
                self.settings(account, name).position_mode = mode
                if mode == ONE_WAY:
                    settings = self.settings(account, name)
                    settings.sell_leverage = settings.buy_leverage

    def switch_tpsl_mode(self, account: Account, symbol: str, mode: str) -> None:
        """``switch-tpsl-mode``: Full or Partial."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            self.settings(account, symbol).tpsl_mode = mode

    def set_risk_limit(self, account: Account, symbol: str, risk_id: int) -> None:
        """``set-risk-limit``: one of the symbol's risk-limit tiers."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            if not 1 <= risk_id <= len(RISK_TIERS):
                raise ExchangeError.params(f"riskId invalid (the tiers are 1..{len(RISK_TIERS)})")
            self.settings(account, symbol).risk_id = risk_id

    def set_auto_add_margin(self, account: Account, symbol: str, position_idx: int, value: int) -> None:
        """``set-auto-add-margin``: 1 on, 0 off, per position index."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            self.settings(account, symbol).auto_add_margin[position_idx] = value

    def trading_stop(
        self,
        account: Account,
        symbol: str,
        position_idx: int,
        changes: Mapping[str, Decimal],
    ) -> SandboxPosition:
        """``trading-stop``: set take-profit, stop-loss, trailing stop (0 removes one) of an open
        position; 10001 when there is no position."""
        with self.lock:
            self.market.instrument(symbol, _CONTRACT)
            position = account.positions.get((symbol, position_idx))
            if position is None or not position.size:
                raise ExchangeError.params("can not set tp/sl/ts for zero position")
            mark = self.market.mark(symbol)
            long = position.side == "Buy"
            take_profit = changes.get("take_profit")
            stop_loss = changes.get("stop_loss")
            if take_profit and (take_profit <= mark if long else take_profit >= mark):
                side = "higher" if long else "lower"
                raise ExchangeError.params(
                    f"TakeProfit:{take_profit} set for {position.side} position should be {side} than "
                    f"base_price:{mark}??LastPrice"
                )
            if stop_loss and (stop_loss >= mark if long else stop_loss <= mark):
                side = "lower" if long else "higher"
                raise ExchangeError.params(
                    f"StopLoss:{stop_loss} set for {position.side} position should be {side} than "
                    f"base_price:{mark}??LastPrice"
                )
            updated = replace(position, updated_ms=self._clock(), **changes)  # type: ignore[arg-type]
            account.positions[(symbol, position_idx)] = updated
            self._emit("position", account, updated)
            return updated

    def add_margin(
        self, account: Account, symbol: str, position_idx: int, margin: Decimal
    ) -> SandboxPosition:
        """``add-margin``: add (positive) or take back (negative) margin of an open position; it moves
        the liquidation price and the available balance."""
        with self.lock:
            instrument = self.market.instrument(symbol, _CONTRACT)
            position = account.positions.get((symbol, position_idx))
            if position is None or not position.size:
                raise ExchangeError.params("position not exists (no margin to add to a zero position)")
            coin = instrument.settle_coin
            if margin > 0 and margin > self.wallet(account, coin).available_balance:
                raise ExchangeError(Reason.ADD_MARGIN_INSUFFICIENT)
            if margin < 0 and -margin > position.extra_margin:
                raise ExchangeError(Reason.ADD_MARGIN_TOO_MUCH)
            updated = replace(position, extra_margin=position.extra_margin + margin, updated_ms=self._clock())
            account.positions[(symbol, position_idx)] = updated
            self._emit("position", account, updated)
            self._emit_wallets(account, (coin,))
            return updated

    # -- wallet -------------------------------------------------------------------------------

    def coins(self, account: Account) -> list[str]:
        """Coins the account holds or has positions in, sorted."""
        with self.lock:
            return coins(account, self.market)

    def wallet(self, account: Account, coin: str) -> WalletMetrics:
        """Balance, margins and available balance of one coin."""
        with self.lock:
            return wallet(account, self.market, coin)
