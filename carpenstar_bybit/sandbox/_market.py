"""The market: which symbols are listed, and their mark prices.

Not locked by itself: ``ExchangeState`` owns one and uses it under its lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from carpenstar_bybit.sandbox._errors import ExchangeError
from carpenstar_bybit.sandbox._instruments import DEFAULT_MARK_PRICES, Instrument, instrument_for

__all__ = ["Market", "Price"]

#: What a mark price may be given as (a float is read through its ``repr``, never its binary value).
Price = Decimal | int | float | str


def _checked(symbol: str, price: Price) -> Decimal:
    if instrument_for(symbol) is None:
        raise ValueError(f"{symbol!r} is not a Bybit symbol (e.g. BTCUSDT, BTCPERP, BTCUSD)")
    try:
        value = Decimal(repr(price)) if isinstance(price, float) else Decimal(price)
    except ArithmeticError:
        raise ValueError(f"mark price of {symbol} must be a number, got {price!r}") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"mark price of {symbol} must be a positive number, got {price!r}")
    return value


class Market:
    """Listed instruments and their mark prices.

    :param mark_prices: symbols to list besides ``DEFAULT_MARK_PRICES`` (or other prices for those);
        ``ValueError`` for a symbol that is not shaped like a Bybit one, or a price that is not positive.
    """

    def __init__(self, mark_prices: Mapping[str, Price] | None = None) -> None:
        self._initial = dict(DEFAULT_MARK_PRICES)
        for symbol, price in (mark_prices or {}).items():
            self._initial[symbol] = _checked(symbol, price)
        self._marks: dict[str, Decimal] = {}
        self._instruments: dict[str, Instrument] = {}
        self.reset()

    def reset(self) -> None:
        """Back to the initial listing and prices."""
        self._marks = {}
        self._instruments = {}
        for symbol, price in self._initial.items():
            self.set_mark(symbol, price)

    def set_mark(self, symbol: str, price: Price) -> None:
        """Set a mark price, listing the symbol if it is new."""
        value = _checked(symbol, price)
        if symbol not in self._instruments:
            instrument = instrument_for(symbol, value)
            assert instrument is not None  # _checked made sure
            self._instruments[symbol] = instrument
        self._marks[symbol] = value

    def mark(self, symbol: str) -> Decimal:
        """The mark price of a listed symbol (``KeyError`` if it is not listed)."""
        return self._marks[symbol]

    def get(self, symbol: str) -> Instrument:
        """A listed instrument (``KeyError`` if it is not listed)."""
        return self._instruments[symbol]

    def instrument(self, symbol: str, categories: Iterable[str] | None = None) -> Instrument:
        """A listed instrument; 10001 (``symbol invalid``) unless it is listed in one of ``categories``."""
        instrument = self._instruments.get(symbol)
        if instrument is None or (
            categories is not None and not set(categories).intersection(instrument.categories)
        ):
            raise ExchangeError.params("symbol invalid")
        return instrument

    def instruments(self, category: str | None = None) -> list[Instrument]:
        """The listed instruments (of one category), in listing order."""
        return [i for i in self._instruments.values() if category is None or category in i.categories]

    def contract_symbols(self, symbol: str | None, coin: str | None) -> list[str]:
        """``[symbol]`` (checked to be a listed contract), or every contract settled in ``coin``."""
        if symbol is not None:
            self.instrument(symbol, ("linear", "inverse"))
            return [symbol]
        return [
            i.symbol
            for i in self._instruments.values()
            if i.settle_coin == coin and i.contract_category is not None
        ]
