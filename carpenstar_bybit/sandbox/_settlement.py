"""Settling fills: what a fill does to spot balances, or to a position and the settle coin.

Position arithmetic: adding to a position averages the entry price (by value for inverse
contracts, whose value is ``qty / price``); reducing realises ``Instrument.pnl`` on the closed size;
an order larger than the position flips it in one-way mode (never in hedge mode, never when
reduce-only). Fees are charged in the settle coin and count in the realised PnL, as on Bybit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from carpenstar_bybit.sandbox._instruments import Instrument
from carpenstar_bybit.sandbox._ledger import Account, SymbolSettings
from carpenstar_bybit.sandbox._records import ZERO, SandboxClosedPnl, SandboxOrder, SandboxPosition

__all__ = ["settle_position", "settle_spot"]


def settle_spot(
    account: Account, instrument: Instrument, side: str, qty: Decimal, value: Decimal, fee: Decimal
) -> None:
    """Apply a spot fill to the balances: the buyer pays value and fee in the quote coin."""
    balances = account.balances
    base, quote = instrument.base_coin, instrument.quote_coin
    if side == "Buy":
        balances[quote] = balances.get(quote, ZERO) - value - fee
        balances[base] = balances.get(base, ZERO) + qty
    else:
        balances[base] = balances.get(base, ZERO) - qty
        balances[quote] = balances.get(quote, ZERO) + value - fee


def settle_position(
    account: Account,
    instrument: Instrument,
    settings: SymbolSettings,
    order: SandboxOrder,
    qty: Decimal,
    price: Decimal,
    fee: Decimal,
    now: int,
    next_seq: Callable[[], int],
) -> Decimal:
    """Apply a derivatives fill of ``order`` to its position (open, add, reduce, close or, in one-way
    mode, flip), book the realised PnL and the fee in the settle coin, and record closed PnL; the
    size it closed."""
    key = (order.symbol, order.position_idx)
    position = account.positions.get(key) or SandboxPosition(
        account.api_key, order.category, order.symbol, order.position_idx, "None", ZERO, ZERO, now, now
    )
    held = position.signed_size
    delta = qty if order.side == "Buy" else -qty
    pnl = ZERO
    closed = ZERO
    entry = position.entry_price
    open_fees = position.open_fees
    cur_realised = position.cur_realised_pnl if held else ZERO
    if held == 0 or (held > 0) == (delta > 0):
        open_fees += fee
        new_size = held + delta
        total = abs(held) + qty
        if instrument.is_inverse:
            entry = total / (abs(held) / entry + qty / price) if held else price
        else:
            entry = (abs(held) * entry + qty * price) / total
    else:
        closed = min(abs(held), qty)
        pnl = instrument.pnl(held > 0, closed, entry, price)
        rest = qty - closed
        open_fee = open_fees * closed / abs(held)
        close_fee = fee * closed / qty
        open_fees -= open_fee
        if abs(held) > closed:
            new_size = held + delta
        elif rest > 0 and order.position_idx == 0 and not (order.reduce_only or order.close_on_trigger):
            new_size = rest if delta > 0 else -rest
            entry = price
            open_fees = fee - close_fee  # the fee of the part that opened the flipped position
        else:
            new_size = ZERO
        account.closed_pnl.append(
            SandboxClosedPnl(
                account=account.api_key,
                order_id=order.order_id,
                category=order.category,
                symbol=order.symbol,
                side=order.side,
                qty=order.qty,
                order_price=order.price or price,
                order_type=order.order_type,
                closed_size=closed,
                avg_entry_price=position.entry_price,
                avg_exit_price=price,
                cum_entry_value=instrument.value(closed, position.entry_price),
                cum_exit_value=instrument.value(closed, price),
                closed_pnl=pnl - open_fee - close_fee,
                leverage=settings.leverage_for("Sell" if order.side == "Buy" else "Buy"),
                created_ms=now,
                seq=next_seq(),
                open_fee=open_fee,
                close_fee=close_fee,
            )
        )
    coin = instrument.settle_coin
    account.balances[coin] = account.balances.get(coin, ZERO) + pnl - fee
    account.realised[coin] = account.realised.get(coin, ZERO) + pnl - fee
    if new_size == 0:
        side, entry = "None", ZERO
    elif order.position_idx == 0:
        side = "Buy" if new_size > 0 else "Sell"
    else:
        side = "Buy" if order.position_idx == 1 else "Sell"
    opening = abs(new_size) > abs(held)
    keep = new_size != 0
    account.positions[key] = replace(
        position,
        side=side,
        size=abs(new_size),
        entry_price=entry,
        updated_ms=now,
        cum_realised_pnl=position.cum_realised_pnl + pnl - fee,
        cur_realised_pnl=cur_realised + pnl - fee,
        open_fees=open_fees if keep else ZERO,
        extra_margin=position.extra_margin if keep else ZERO,
        seq=next_seq(),
        take_profit=(order.take_profit if opening and order.take_profit else position.take_profit)
        if keep
        else ZERO,
        stop_loss=(order.stop_loss if opening and order.stop_loss else position.stop_loss) if keep else ZERO,
        tp_trigger_by=(order.tp_trigger_by or "LastPrice")
        if opening and order.take_profit
        else position.tp_trigger_by,
        sl_trigger_by=(order.sl_trigger_by or "LastPrice")
        if opening and order.stop_loss
        else position.sl_trigger_by,
        trailing_stop=position.trailing_stop if keep else ZERO,
        active_price=position.active_price if keep else ZERO,
    )
    return closed
