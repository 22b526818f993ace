"""A value kind the streams send and the core does not know: ISO dates.

``ISO_DATETIME``: the ticker's ``deliveryTime`` comes as ``"2025-12-26T08:00:00Z"``, not in
milliseconds; it reads as an aware UTC ``datetime`` (epoch milliseconds are accepted too); absent,
``null`` and ``""`` read as ``None``. A value of another shape raises ``ResponseFormatException``, as
the core kinds do. (An order's ``cumFeeDetail`` reads with the core's map kind, as REST's does.)
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from carpenstar_bybit.core.exceptions import ResponseFormatException, SDKException
from carpenstar_bybit.core.kinds import DATETIME, Kind

__all__ = ["ISO_DATETIME"]


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


ISO_DATETIME: Kind[datetime] = _IsoDateTime("iso-datetime")
