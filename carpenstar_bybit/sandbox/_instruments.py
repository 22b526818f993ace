"""The instruments the sandbox lists, derived from the symbol's name and its mark price.

A symbol's shape says what it is, as on Bybit: ``BTCUSDT`` (USDT linear perpetual, also spot),
``BTCPERP`` (USDC linear perpetual), ``BTCUSDC`` (USDC linear, also spot), ``BTCUSD`` (inverse
perpetual settled in BTC), ``BTC-29DEC23-30000-C`` (USDC option). Tick size and quantity step
scale with the price. Fee rates and risk-limit tiers are fixed tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

__all__ = [
    "DEFAULT_BALANCES",
    "DEFAULT_MARK_PRICES",
    "MAKER_FEE_RATE",
    "RISK_TIERS",
    "TAKER_FEE_RATE",
    "Instrument",
    "RiskTier",
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
    """A tradable symbol."""

    symbol: str
    base_coin: str
    quote_coin: str
    settle_coin: str
    categories: tuple[str, ...]
    contract_type: str

    @property
    def is_inverse(self) -> bool:
        """Whether quantities are in USD contracts and values in the base coin."""
        return "inverse" in self.categories

    @property
    def contract_category(self) -> str | None:
        """The derivatives category of the V3 contract API (``linear``/``inverse``), if any."""
        for category in ("linear", "inverse"):
            if category in self.categories:
                return category
        return None

    def tick_size(self, mark: Decimal) -> Decimal:
        """Price step: about five significant digits of the mark price."""
        if self.is_inverse:
            return Decimal("0.5")
        return Decimal(1).scaleb(mark.adjusted() - 5)

    def qty_step(self, mark: Decimal) -> Decimal:
        """Quantity step: about 10 quote units' worth (at least 0.001, at most 1)."""
        if self.is_inverse:
            return Decimal(1)
        return min(Decimal(1), max(Decimal("0.001"), Decimal(1).scaleb(1 - mark.adjusted())))

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


def instrument_for(symbol: str) -> Instrument | None:
    """The instrument a symbol names, or ``None`` when its shape is not a Bybit symbol's."""
    option = _OPTION.fullmatch(symbol)
    if option:
        return Instrument(symbol, option.group(1), "USDC", "USDC", ("option",), "Option")
    for suffix, quote, settle, categories, contract_type in _SUFFIXES:
        base = symbol[: -len(suffix)]
        if symbol.endswith(suffix) and re.fullmatch(r"[A-Z0-9]{2,12}", base):
            return Instrument(symbol, base, quote, settle or base, categories, contract_type)
    return None
