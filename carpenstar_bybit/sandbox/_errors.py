"""Errors the sandbox answers with, and the code tables of the two API families.

A route handler (or the exchange state it calls) raises ``ExchangeError``; the dispatcher turns it
into a Bybit envelope (HTTP 200, ``retCode != 0``). Generic codes (10001, 10002...) are the same in
every family; business codes differ between the V3 contract API (``140xxx``) and V5 (``110xxx``), so
the state raises a ``Reason`` and the route's ``Family`` picks the number.
"""

from __future__ import annotations

from enum import Enum

__all__ = [
    "INVALID_API_KEY",
    "PARAMS_ERROR",
    "RATE_LIMITED",
    "SERVER_ERROR",
    "SIGN_ERROR",
    "TIMESTAMP_ERROR",
    "ExchangeError",
    "Family",
    "Reason",
]

PARAMS_ERROR = 10001
TIMESTAMP_ERROR = 10002
INVALID_API_KEY = 10003
SIGN_ERROR = 10004
RATE_LIMITED = 10006
SERVER_ERROR = 10016


class Family(Enum):
    """Which API a route belongs to; decides the business error codes it answers with."""

    PUBLIC = "public"
    CONTRACT_V3 = "contract_v3"
    V5 = "v5"


class Reason(Enum):
    """A business error, with its V3 contract code, its V5 code and its message.

    The V3 contract API numbered these as the V5 ``110xxx`` codes with ``140`` in front (140001 for
    an order that does not exist); the sandbox uses that scheme for all of them.
    """

    ORDER_NOT_FOUND = (140001, 110001, "Order does not exist")
    INSUFFICIENT_BALANCE = (140007, 110007, "Insufficient available balance")
    REDUCE_ONLY = (140017, 110017, "Reduce-only rule not satisfied")
    DUPLICATE_ORDER_LINK_ID = (140072, 110072, "OrderLinkedID is duplicate")
    NOTIONAL_TOO_LOW = (140094, 110094, "Order notional value below the lower limit")
    LEVERAGE_NOT_MODIFIED = (140043, 110043, "Set leverage has not been modified.")
    POSITION_MODE_NOT_MODIFIED = (140025, 110025, "Position mode has not been modified.")
    MARGIN_MODE_NOT_MODIFIED = (140026, 110026, "Cross/isolated margin mode has not been modified.")
    POSITION_BLOCKS_MODE_SWITCH = (
        140024,
        110024,
        "You have an existing position, so the position mode cannot be switched.",
    )
    OPEN_ORDERS_BLOCK_MODE_SWITCH = (
        140028,
        110028,
        "You have existing open orders, so the position mode cannot be switched.",
    )
    ADD_MARGIN_INSUFFICIENT = (140014, 110014, "Insufficient available balance to add additional margin.")
    ADD_MARGIN_TOO_MUCH = (140078, 110078, "Added margin more than max can reduce margin")
    TRIGGER_RISING = (140092, 110092, "expect Rising, but trigger_price[{}] <= current[{}]")
    TRIGGER_FALLING = (140093, 110093, "expect Falling, but trigger_price[{}] >= current[{}]")
    # Spot codes exist on V5 only (the V3 contract API has no spot).
    SPOT_PRICE_DECIMALS = (170134, 170134, "Order price decimal too long.")
    SPOT_QTY_DECIMALS = (170137, 170137, "Order volume decimal too long")
    SPOT_QTY_TOO_LOW = (170136, 170136, "Order quantity lower than the minimum.")
    SPOT_AMOUNT_TOO_LARGE = (170124, 170124, "Order amount too large.")
    SPOT_VALUE_TOO_LOW = (170140, 170140, "Order value exceeded lower limit")
    SPOT_ORDER_NOT_FOUND = (170213, 170213, "Order does not exist.")
    SPOT_BALANCE = (170131, 170131, "Balance insufficient")

    @property
    def message(self) -> str:
        """The ``retMsg`` of this error."""
        return self.value[2]

    def code(self, family: Family) -> int:
        """The ``retCode`` of this error in ``family`` (V5 numbers outside the V3 contract API)."""
        return self.value[0] if family is Family.CONTRACT_V3 else self.value[1]


class ExchangeError(Exception):
    """A business or request error: answered as HTTP 200 with ``retCode != 0``.

    :param code: a generic ``retCode`` (10001...), or a ``Reason`` whose code depends on the family.
    :param message: the ``retMsg``; defaults to the reason's message.
    """

    def __init__(self, code: int | Reason, message: str | None = None) -> None:
        self.code = code
        if message is None:
            message = code.message if isinstance(code, Reason) else "error"
        self.message = message
        super().__init__(message)

    def ret_code(self, family: Family) -> int:
        """The ``retCode`` to answer with on a route of ``family``."""
        return self.code.code(family) if isinstance(self.code, Reason) else self.code

    @classmethod
    def params(cls, message: str) -> ExchangeError:
        """A 10001 error (``params error: ...``)."""
        return cls(PARAMS_ERROR, f"params error: {message}")
