"""Enumerations of PHP ``Core\\Enums`` (3.0.5), as ``str``/``int`` enums so either the member or its
plain value is accepted wherever a setter takes one.

Two PHP values are corrected, names kept: ``EnumIntervals`` carried ``'1m'``-style values the exchange
does not accept (and ``MONTH_1`` collided with ``MINUTE1``); the port sends Bybit's documented interval
values (``'1'``, ``'60'``, ``'D'``, ``'W'``, ``'M'``). ``EnumTimeInForce.FILL_OR_KILL_FULL`` is
``'FillOrKill'`` (PHP misspelt it ``'FillOrKlii'``).

These are the V3 enums of the PHP package; V5 has its own in ``carpenstar_bybit.v5.enums``. ``Category``
(V5's product category) is defined there and importable from here too.
"""

from __future__ import annotations

from enum import Enum, IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from carpenstar_bybit.v5.enums import Category

__all__ = [
    "Category",
    "EnumDerivativesCategory",
    "EnumHttpMethods",
    "EnumIntervals",
    "EnumOrderCategory",
    "EnumOrderType",
    "EnumOutputMode",
    "EnumPositionIdx",
    "EnumPositionMode",
    "EnumSide",
    "EnumTPSLModes",
    "EnumTimeInForce",
    "EnumTradeMode",
    "EnumTriggerDirection",
    "EnumTriggerPriceType",
]


class _StrEnum(str, Enum):
    def __str__(self) -> str:
        return str(self.value)


class EnumOutputMode(IntEnum):
    """What a response body holds: DTO entities (default), plain dicts, or the raw JSON text."""

    MODE_ENTITY = 0
    MODE_ARRAY = 1
    MODE_JSON = 2

    @classmethod
    def default(cls) -> EnumOutputMode:
        """PHP ``DEFAULT_MODE``."""
        return cls.MODE_ENTITY


class EnumHttpMethods(_StrEnum):
    """HTTP methods of the endpoints."""

    GET = "GET"
    POST = "POST"


class EnumDerivativesCategory(_StrEnum):
    """V3 derivatives ``category``: linear (USDT/USDC), inverse, option."""

    CATEGORY_PRODUCT_LINEAR = "linear"
    CATEGORY_PRODUCT_INVERSE = "inverse"
    CATEGORY_PRODUCT_OPTION = "option"


class EnumIntervals(_StrEnum):
    """Kline ``interval`` values as Bybit takes them (PHP names kept)."""

    MINUTE1 = "1"
    MINUTE_3 = "3"
    MINUTE_5 = "5"
    MINUTE_15 = "15"
    MINUTE_30 = "30"
    HOUR_1 = "60"
    HOUR_2 = "120"
    HOUR_4 = "240"
    HOUR_6 = "360"
    HOUR_12 = "720"
    DAY_1 = "D"
    WEEK_1 = "W"
    MONTH_1 = "M"


class EnumOrderCategory(IntEnum):
    """PHP ``EnumOrderCategory``: a normal order or a TP/SL order."""

    NORMAL_ORDER = 0
    TPSL_ORDER = 1


class EnumOrderType(_StrEnum):
    """``orderType``: Limit, Market, or Limit_maker."""

    LIMIT = "Limit"
    MARKET = "Market"
    LIMIT_MAKER = "Limit_maker"


class EnumSide(_StrEnum):
    """``side`` of an order or position: Buy or Sell."""

    BUY = "Buy"
    SELL = "Sell"


class EnumTPSLModes(_StrEnum):
    """``tpslMode``: take profit / stop loss for the full position or a part of it."""

    MODE_FULL = "Full"
    MODE_PARTIAL = "Partial"


class EnumTimeInForce(_StrEnum):
    """``timeInForce`` of the V3 API: how long an order rests (its long names, and the short ones)."""

    GOOD_TILL_CANCELED_SHORT = "GTC"
    GOOD_TILL_CANCELED_FULL = "GoodTillCancel"
    FILL_OR_KILL_SHORT = "FOK"
    FILL_OR_KILL_FULL = "FillOrKill"
    IMMEDIATE_OR_CANCEL_SHORT = "IOC"
    IMMEDIATE_OR_CANCEL_FULL = "ImmediateOrCancel"
    POST_ONLY = "PostOnly"


class EnumTriggerDirection(IntEnum):
    """``triggerDirection`` of a conditional order: rises to (1) or falls to (2) the trigger price."""

    DIRECTION_UP = 1
    DIRECTION_DOWN = 2


class EnumTriggerPriceType(_StrEnum):
    """Which price triggers: last traded, mark, or index price."""

    PRICE_TYPE_LAST = "LastPrice"
    PRICE_TYPE_MARK = "MarkPrice"
    PRICE_TYPE_INDEX = "IndexPrice"


class EnumPositionIdx(IntEnum):
    """``positionIdx``: one-way mode, or the buy/sell side of hedge mode."""

    ONE_WAY = 0
    HEDGE_BUY = 1
    HEDGE_SELL = 2


class EnumPositionMode(IntEnum):
    """``positionMode`` of switch-mode: 0 merged single (one-way), 3 both sides (hedge)."""

    MERGED_SINGLE = 0
    BOTH_SIDES = 3


class EnumTradeMode(IntEnum):
    """``tradeMode`` of switch-isolated: 0 cross margin, 1 isolated margin."""

    CROSS = 0
    ISOLATED = 1


if not TYPE_CHECKING:  # mypy reads the import above

    def __getattr__(name: str) -> object:
        # Category is V5's: loaded from carpenstar_bybit.v5.enums on first use, so that importing the
        # core (and the V3 tree) does not load the V5 enums.
        if name == "Category":
            from carpenstar_bybit.v5.enums import Category

            return Category
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
