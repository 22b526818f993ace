"""The response object of one call (PHP ``Core\\Response\\CurlResponseDto``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Generic, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException
from carpenstar_bybit.core.kinds import BOOL, DATETIME, STRING
from carpenstar_bybit.core.objects.collections import EntityCollection
from carpenstar_bybit.core.objects.responses import AbstractResponse, ResponseField
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.timeutil import EPOCH, from_ms

__all__ = ["ListInfo", "RestResponse", "envelope_time", "merge_item_codes"]

#: The last millisecond a ``datetime`` can hold (9999-12-31).
_MAX_MS = 253_402_300_799_999


def envelope_time(raw: Any) -> datetime | None:
    """The envelope's ``time`` (epoch ms, an integer or ASCII digits) as a datetime; ``None`` when
    absent or not a plausible timestamp (bounded before it is converted: see ``core.kinds``)."""
    if raw.__class__ is int and 0 < raw < _MAX_MS:  # the common case first
        return from_ms(raw)
    try:
        value = DATETIME.parse(raw)
    except ResponseFormatException:
        return None
    return value if value is not None and value > EPOCH else None


def merge_item_codes(items: list[Any], ext_info: Any) -> list[Any]:
    """The items of a batch answer, each with the ``code`` and ``msg`` of its entry in
    ``retExtInfo.list`` (the same position): Bybit reports the outcome of each item of a batch there,
    0 for accepted. Keys the item has itself win; items past the end of the list stay as they are.
    Answers without such a list are returned unchanged."""
    codes = ext_info.get("list") if isinstance(ext_info, dict) else None
    if not isinstance(codes, list) or not codes:
        return items
    merged = []
    for index, item in enumerate(items):
        code = codes[index] if index < len(codes) else None
        merged.append({**code, **item} if isinstance(item, dict) and isinstance(code, dict) else item)
    return merged


class ListInfo(AbstractResponse):
    """The result-level fields of an answer, next to its ``list`` (V5: ``category`` of list answers,
    ``symbol`` of klines and open interest, ``success`` of cancel-all); ``""`` / ``None`` where the
    answer has none. The cursor is ``RestResponse.get_next_page_cursor()``."""

    __slots__ = ("_category", "_success", "_symbol")
    _fields = (
        ResponseField("category", "_category", STRING),
        ResponseField("symbol", "_symbol", STRING),
        ResponseField("success", "_success", BOOL),
    )
    _category: str
    _symbol: str
    _success: bool | None

    def get_category(self) -> str:
        """``category``: the product type of the list (``""`` when the answer has none)."""
        return self._category

    def get_symbol(self) -> str:
        """``symbol``: the symbol of a kline or open-interest list (``""`` when the answer has none)."""
        return self._symbol

    def is_success(self) -> bool | None:
        """``success`` of cancel-all (``"1"``: true, ``"0"``: false; ``None`` when absent)."""
        return self._success


T = TypeVar("T")


class RestResponse(Generic[T]):
    """Envelope and body of one answer. ``T`` is the item type: the endpoint's response DTO in
    ``MODE_ENTITY``, the raw JSON item in ``MODE_ARRAY``, the body text in ``MODE_JSON``."""

    __slots__ = (
        "_body",
        "_code",
        "_cursor",
        "_ext",
        "_headers",
        "_http_status",
        "_msg",
        "_raw_time",
        "_result",
    )

    def __init__(
        self,
        *,
        ret_code: int,
        ret_msg: str,
        ret_ext_info: dict[str, Any],
        time: Any,
        next_page_cursor: str | None,
        body: EntityCollection[T],
        headers: Mapping[str, str],
        http_status: int,
        result: Mapping[str, Any] | None = None,
    ) -> None:
        # ``time`` (the raw envelope value) and the rate-limit headers are read on demand: most
        # callers never ask, and parsing them costs more than the rest of the envelope.
        self._code = ret_code
        self._msg = ret_msg
        self._ext = ret_ext_info
        self._raw_time = time
        self._cursor = next_page_cursor
        self._body = body
        self._headers = headers
        self._http_status = http_status
        self._result = result

    def get_return_code(self) -> int:
        """``retCode`` (0 on success: errors raise instead of returning)."""
        return self._code

    def get_return_message(self) -> str:
        """``retMsg`` ("OK", "success", ...)."""
        return self._msg

    def get_extended_info(self) -> dict[str, Any]:
        """``retExtInfo`` (``{}`` when the exchange sent ``{}`` or ``null``)."""
        return self._ext

    def get_return_extended_info(self) -> dict[str, Any]:
        """PHP 3.x ``getReturnExtendedInfo()``: the same as ``get_extended_info()``."""
        return self._ext

    def get_time(self) -> datetime | None:
        """The exchange's ``time`` as an aware UTC datetime with milliseconds (``None`` if absent)."""
        return envelope_time(self._raw_time)

    def get_next_page_cursor(self) -> str | None:
        """``result.nextPageCursor``; ``None`` when absent or empty (last page)."""
        return self._cursor

    def get_list_info(self) -> ListInfo:
        """The result-level fields next to the list (``category``, ``symbol``, ``success``)."""
        return ListInfo(self._result or {})

    def get_body(self) -> EntityCollection[T]:
        """Every item of the body (one per list item, or the single result object)."""
        return self._body

    def get_result(self) -> T | None:
        """The first item of the body, or ``None`` when it is empty."""
        return self._body[0] if self._body else None

    def get_rate_limit(self) -> RateLimit | None:
        """The parsed ``X-Bapi-Limit*`` headers (private endpoints), else ``None``."""
        return RateLimit.from_headers(self._headers)

    def get_headers(self) -> Mapping[str, str]:
        """The HTTP headers of the answer (case-insensitive)."""
        return self._headers

    def get_http_status(self) -> int:
        """The HTTP status of the answer."""
        return self._http_status

    def __repr__(self) -> str:
        return (
            f"RestResponse(ret_code={self._code}, ret_msg={self._msg!r}, items={len(self._body)}, "
            f"next_page_cursor={self._cursor!r})"
        )
