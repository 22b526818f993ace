"""The instruments the sandbox lists, derived from the symbol's name and its first mark price.

A symbol's shape says what it is, as on Bybit: ``BTCUSDT`` (USDT linear perpetual, also spot),
``BTCPERP`` (USDC linear perpetual), ``BTCUSDC`` (USDC linear, also spot), ``BTCUSD`` (inverse
perpetual settled in BTC), ``BTCUSDT-26JUN26`` (USDT linear future delivered on that day at 08:00
UTC), ``BTC-29DEC23-30000-C`` (USDC option). Tick size, quantity step and order limits are fixed
when the symbol is listed, scaled to its first mark price (BTCUSDT at 30000: tick 0.1, step 0.001,
as on Bybit); orders are checked against them (``check_order``) with Bybit's codes. Fee rates and
risk-limit tiers are fixed tables.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal

from carpenstar_bybit.sandbox._errors import ExchangeError, Reason

__all__ = [
    "DEFAULT_BALANCES",
    "DEFAULT_MARK_PRICES",
    "MAKER_FEE_RATE",
    "RISK_TIERS",
    "TAKER_FEE_RATE",
    "Instrument",
    "RiskTier",
    "check_order",
    "dated_future",
    "instrument_for",
]

#: Mark prices of the symbols listed by default.
DEFAULT_MARK_PRICES: dict[str, Decimal] = {
    "BTCUSDT": Decimal("30000"),
    "ETHUSDT": Decimal("2000"),
    "SOLUSDT": Decimal("20"),
    "XRPUSDT": Decimal("0.5"),
    "BTCPERP": Decimal("30000"),
    "ETHPERP": Decimal("2000"),
    "BTCUSD": Decimal("30000"),
    "ETHUSD": Decimal("2000"),
}

#: Wallet balance of every new account.
DEFAULT_BALANCES: dict[str, Decimal] = {
    "USDT": Decimal("100000"),
    "USDC": Decimal("100000"),
    "BTC": Decimal("10"),
    "ETH": Decimal("100"),
}

TAKER_FEE_RATE = Decimal("0.0006")
MAKER_FEE_RATE = Decimal("0.0001")

_OPTION = re.compile(r"([A-Z0-9]{2,10})-(\d{1,2}[A-Z]{3}\d{2})-(\d+)-([CP])")
_FUTURE = re.compile(r"([A-Z0-9]{2,12})(USDT|USDC)-(\d{1,2})([A-Z]{3})(\d{2})")
_MONTHS = {name.upper(): number for number, name in enumerate(calendar.month_abbr) if name}
_DELIVERY_HOUR = 8
#: When the default listing was launched (the launch time Bybit shows for BTCUSDT).
LAUNCH_MS = 1_585_526_400_000
MIN_NOTIONAL = Decimal(5)
_SUFFIXES = (
    # suffix, quote coin, settle coin (None: the base coin), categories, contract type
    ("USDT", "USDT", "USDT", ("linear", "spot"), "LinearPerpetual"),
    ("PERP", "USDC", "USDC", ("linear",), "LinearPerpetual"),
    ("USDC", "USDC", "USDC", ("linear", "spot"), "LinearPerpetual"),
    ("USD", "USD", None, ("inverse",), "InversePerpetual"),
)


@dataclass(frozen=True)
class RiskTier:
    """One risk-limit tier (``/derivatives/v3/public/risk-limit/list``)."""

    id: int
    limit: int
    maintain_margin: Decimal
    initial_margin: Decimal
    max_leverage: Decimal


RISK_TIERS: tuple[RiskTier, ...] = tuple(
    RiskTier(
        tier,
        2_000_000 * tier,
        Decimal("0.005") * tier,
        Decimal("0.01") * tier,
        (Decimal(100) / tier).quantize(Decimal("0.01")),
    )
    for tier in range(1, 6)
)


@dataclass(frozen=True)
class Instrument:
    """A tradable symbol and its order filters (fixed when it is listed)."""

    symbol: str
    base_coin: str
    quote_coin: str
    settle_coin: str
    categories: tuple[str, ...]
    contract_type: str
    tick: Decimal = Decimal("0.01")
    step: Decimal = Decimal("0.001")
    max_price: Decimal = Decimal(1_000_000)
    delivery_ms: int = 0

    @property
    def is_inverse(self) -> bool:
        """Whether quantities are in USD contracts and values in the base coin."""
        return "inverse" in self.categories

    @property
    def min_qty(self) -> Decimal:
        """Smallest order quantity (one step)."""
        return self.step

    @property
    def max_qty(self) -> Decimal:
        """Largest quantity of a limit order."""
        return self.step * 1_000_000

    @property
    def max_market_qty(self) -> Decimal:
        """Largest quantity of a market order."""
        return self.step * 200_000

    @property
    def min_notional(self) -> Decimal:
        """Smallest order value in the quote coin (linear and spot; inverse has none)."""
        return ZERO if self.is_inverse else MIN_NOTIONAL

    @property
    def is_future(self) -> bool:
        """Whether the contract is delivered on a date."""
        return self.delivery_ms > 0

    @property
    def contract_category(self) -> str | None:
        """The derivatives category of the V3 contract API (``linear``/``inverse``), if any."""
        for category in ("linear", "inverse"):
            if category in self.categories:
                return category
        return None

    def tick_size(self, mark: Decimal | None = None) -> Decimal:
        """Price step (fixed at listing; ``mark`` is not used)."""
        return self.tick

    def qty_step(self, mark: Decimal | None = None) -> Decimal:
        """Quantity step (fixed at listing; ``mark`` is not used)."""
        return self.step

    def value(self, qty: Decimal, price: Decimal) -> Decimal:
        """Value of ``qty`` at ``price`` in the settle coin (inverse: USD contracts in coin)."""
        if self.is_inverse:
            return qty / price if price else Decimal(0)
        return qty * price

    def pnl(self, long: bool, qty: Decimal, entry: Decimal, exit_price: Decimal) -> Decimal:
        """Profit of closing ``qty`` opened at ``entry`` at ``exit_price``, in the settle coin."""
        if self.is_inverse:
            if not entry or not exit_price:
                return Decimal(0)
            gain = qty / entry - qty / exit_price
        else:
            gain = (exit_price - entry) * qty
        return gain if long else -gain


ZERO = Decimal(0)


def _make(
    symbol: str,
    base: str,
    quote: str,
    settle: str,
    categories: tuple[str, ...],
    contract_type: str,
    mark: Decimal | None,
    delivery_ms: int = 0,
) -> Instrument:
    tick, step, max_price = _filters(mark, "inverse" in categories)
    return Instrument(
        symbol, base, quote, settle, categories, contract_type, tick, step, max_price, delivery_ms
    )


def _filters(mark: Decimal | None, inverse: bool) -> tuple[Decimal, Decimal, Decimal]:
    """Tick (about five significant digits of the price), step (about 10 quote units' worth, in
    0.001..1) and the highest price (1000 times the first price), as Bybit scales them."""
    if inverse:
        tick, step = Decimal("0.5"), Decimal(1)
    elif mark is None:
        tick, step = Decimal("0.01"), Decimal("0.001")
    else:
        tick = Decimal(1).scaleb(mark.adjusted() - 5)
        step = min(Decimal(1), max(Decimal("0.001"), Decimal(1).scaleb(1 - mark.adjusted())))
    top = (mark or Decimal(1000)) * 1000
    return tick, step, (top / tick).to_integral_value() * tick


def _delivery_ms(day: int, month: str, year: int) -> int | None:
    number = _MONTHS.get(month)
    if number is None:
        return None
    try:
        when = datetime(2000 + year, number, day, _DELIVERY_HOUR, tzinfo=timezone.utc)
    except ValueError:
        return None
    return int(when.timestamp()) * 1000


def instrument_for(symbol: str, mark: Decimal | None = None) -> Instrument | None:
    """The instrument a symbol names (filters scaled to ``mark``, its first price), or ``None`` when
    its shape is not a Bybit symbol's."""
    option = _OPTION.fullmatch(symbol)
    if option:
        return _make(symbol, option.group(1), "USDC", "USDC", ("option",), "Option", mark)
    future = _FUTURE.fullmatch(symbol)
    if future:
        delivery = _delivery_ms(int(future.group(3)), future.group(4), int(future.group(5)))
        if delivery is None:
            return None
        quote = future.group(2)
        return _make(symbol, future.group(1), quote, quote, ("linear",), "LinearFutures", mark, delivery)
    for suffix, quote, settle, categories, contract_type in _SUFFIXES:
        base = symbol[: -len(suffix)]
        if symbol.endswith(suffix) and re.fullmatch(r"[A-Z0-9]{2,12}", base):
            return _make(symbol, base, quote, settle or base, categories, contract_type, mark)
    return None


def dated_future(base: str, quote: str, now_ms: int) -> str:
    """The symbol of the next quarterly future (last Friday of March, June, September or December)
    that is delivered at least a week after ``now_ms``, e.g. ``BTCUSDT-26JUN26``."""
    now = datetime.fromtimestamp(now_ms / 1000, tz=timezone.utc)
    year, month = now.year, now.month
    while True:
        if month % 3 == 0:
            last_day = calendar.monthrange(year, month)[1]
            day = max(d for d in range(last_day - 6, last_day + 1) if calendar.weekday(year, month, d) == 4)
            delivery = datetime(year, month, day, _DELIVERY_HOUR, tzinfo=timezone.utc)
            if (delivery - now).days >= 7:
                return f"{base}{quote}-{day:02d}{calendar.month_abbr[month].upper()}{year % 100:02d}"
        month += 1
        if month > 12:
            year, month = year + 1, 1


def _off_grid(value: Decimal, grid: Decimal) -> bool:
    return value % grid != 0


def check_order(
    instrument: Instrument,
    category: str,
    order_type: str,
    qty: Decimal,
    price: Decimal,
    *,
    notional: bool = True,
) -> None:
    """Refuse an order that breaks the instrument's filters, with Bybit's codes: 10001 (or the
    170xxx spot codes) for a price off the tick or out of range and a quantity off the step or out
    of range, 110094 / 170140 for an order value under the minimum."""
    spot = category == "spot"
    if order_type == "Limit":
        if _off_grid(price, instrument.tick):
            if spot:
                raise ExchangeError(Reason.SPOT_PRICE_DECIMALS)
            raise ExchangeError.params(f"price invalid (must be a multiple of tickSize {instrument.tick})")
        if not instrument.tick <= price <= instrument.max_price:
            raise ExchangeError.params(
                f"price invalid (must be in [{instrument.tick}, {instrument.max_price}])"
            )
    if _off_grid(qty, instrument.step):
        if spot:
            raise ExchangeError(Reason.SPOT_QTY_DECIMALS)
        raise ExchangeError.params(f"Qty invalid (must be a multiple of qtyStep {instrument.step})")
    if qty < instrument.min_qty:
        if spot:
            raise ExchangeError(Reason.SPOT_QTY_TOO_LOW)
        raise ExchangeError.params("The number of contracts exceeds minimum limit allowed")
    limit = instrument.max_market_qty if order_type == "Market" else instrument.max_qty
    if qty > limit:
        if spot:
            raise ExchangeError(Reason.SPOT_AMOUNT_TOO_LARGE)
        raise ExchangeError.params("The number of contracts exceeds maximum limit allowed")
    if notional and instrument.min_notional and instrument.value(qty, price) < instrument.min_notional:
        raise ExchangeError(Reason.SPOT_VALUE_TOO_LOW if spot else Reason.NOTIONAL_TOO_LOW)
