"""Two value kinds the streams send and the core does not know: ISO dates and fee maps.

* ``ISO_DATETIME``: the ticker's ``deliveryTime`` comes as ``"2025-12-26T08:00:00Z"``, not in
  milliseconds; it reads as an aware UTC ``datetime`` (epoch milliseconds are accepted too); absent,
  ``null`` and ``""`` read as ``None``.
* ``FEE_DETAIL``: an order's ``cumFeeDetail`` is a map of coin to amount (``{"USDT": "0.1"}``); it reads
  as a tuple of ``(coin, Decimal)`` pairs in payload order (immutable, hashable), empty when absent.

A value of another shape raises ``ResponseFormatException``, as the core kinds do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.kinds import DATETIME, DECIMAL, Kind

__all__ = ["FEE_DETAIL", "ISO_DATETIME"]

FeeDetail = tuple[tuple[str, Decimal], ...]


class _IsoDateTime(Kind[datetime]):
    __slots__ = ()

    def accept(self, field: str, value: Any) -> datetime:
        raise SDKException(f"{field}: a stream field, not a request parameter")

    def parse(self, raw: Any) -> datetime | None:
        if raw is None or raw == "":
            return None
        if isinstance(raw, str) and not raw.isdecimal():
            try:
                value = datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                raise ResponseFormatException(f"expected an ISO date in the response, got {raw!r}") from None
            if value.tzinfo is None:
                value = value.replace(tzinfo=timezone.utc)
            return value.astimezone(timezone.utc)
        return DATETIME.parse(raw)


class _FeeDetail(Kind[FeeDetail]):
    __slots__ = ()

    def accept(self, field: str, value: Any) -> FeeDetail:
        raise SDKException(f"{field}: a stream field, not a request parameter")

    def parse(self, raw: Any) -> FeeDetail:
        if raw is None or raw == "":
            return ()
        if not isinstance(raw, Mapping):
            raise ResponseFormatException(f"expected a map of coin to amount in the response, got {raw!r}")
        pairs = []
        for coin, amount in raw.items():
            value = DECIMAL.parse(amount)
            if not isinstance(coin, str) or value is None:
                raise ResponseFormatException(f"expected a coin and an amount in the response, got {raw!r}")
            pairs.append((coin, value))
        return tuple(pairs)


ISO_DATETIME: Kind[datetime] = _IsoDateTime("iso-datetime")
FEE_DETAIL: Kind[FeeDetail] = _FeeDetail("fee-detail")
