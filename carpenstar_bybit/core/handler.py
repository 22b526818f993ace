"""Turning an HTTP answer into a ``RestResponse`` or the right exception (PHP ``CurlResponseHandler``).

Rules: HTTP 200 with a JSON envelope is read; ``retCode != 0`` raises the class of ``CODE_TABLE``.
HTTP 403/429 (Bybit's CDN answers an IP block with an HTML page) raise ``RateLimitException``.
Any other status, a non-JSON body or an envelope of the wrong shape raises a ``TransportException``.
The body is the ``result.list`` items when the result has a list, else the result object itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from carpenstar_bybit.core.enums import EnumOutputMode
from carpenstar_bybit.core.exceptions import (
    RateLimitException,
    ResponseFormatException,
    TransportException,
    exception_for_code,
)
from carpenstar_bybit.core.objects.collections import EntityCollection
from carpenstar_bybit.core.objects.responses import AbstractResponse, build_all
from carpenstar_bybit.core.objects.rest_response import RestResponse, envelope_time
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.transport import WireResponse

__all__ = ["ROOT_DATA_KEY", "ResponseHandler"]

R = TypeVar("R", bound=AbstractResponse)

#: PHP ``AbstractResponse::$rootDataKey``: the key of ``result`` that holds the items of a list.
ROOT_DATA_KEY = "list"

_BLOCK_HINT = (
    "the exchange refused this IP (HTTP {status}); Bybit's CDN blocks an IP that exceeds its limits "
    "for several minutes, or one from a restricted region: slow down and retry later"
)


#: ``json.loads(body, parse_float=Decimal)`` builds this decoder on every call; it is stateless.
_JSON = json.JSONDecoder(parse_float=Decimal)


def _loads(body: bytes | bytearray | str) -> Any:
    """``json.loads(body, parse_float=Decimal)``, exactly, with one shared decoder."""
    if isinstance(body, (bytes, bytearray)):
        raw = body
        try:
            body = raw.decode("utf-8-sig")  # Bybit answers in UTF-8: skip json's encoding sniffing
        except UnicodeDecodeError:
            body = raw.decode(json.detect_encoding(raw), "surrogatepass")
    return _JSON.decode(body)


def _excerpt(body: bytes, redact: Callable[[str], str]) -> str:
    return redact(body[:200].decode("utf-8", "replace"))


class ResponseHandler:
    """Parses answers of one endpoint call; stateless apart from what it is told about the call."""

    __slots__ = ("_method", "_path", "_redact")

    def __init__(self, method: str, path: str, redact: Callable[[str], str]) -> None:
        self._method = method
        self._path = path
        self._redact = redact

    def decode(self, wire: WireResponse) -> dict[str, Any]:
        """The JSON envelope, after the HTTP-level checks; raises for anything else."""
        status = wire.status
        envelope: Any = None
        try:
            envelope = _loads(wire.body)
        except (ValueError, UnicodeDecodeError):
            envelope = None
        if status != 200 and not (isinstance(envelope, dict) and "retCode" in envelope):
            if status in (403, 429):
                raise RateLimitException(
                    None,
                    f"HTTP {status} from the exchange, body: {_excerpt(wire.body, self._redact)!r}",
                    http_status=status,
                    method=self._method,
                    path=self._path,
                    rate_limit=RateLimit.from_headers(wire.headers),
                    hint=_BLOCK_HINT.format(status=status),
                )
            raise TransportException(
                "unexpected HTTP status",
                method=self._method,
                path=self._path,
                http_status=status,
                body_excerpt=_excerpt(wire.body, self._redact),
            )
        if not isinstance(envelope, dict):
            kind = (
                "a non-JSON body"
                if envelope is None
                else f"JSON that is not an object ({type(envelope).__name__})"
            )
            raise ResponseFormatException(
                f"expected a Bybit JSON envelope, got {kind}",
                method=self._method,
                path=self._path,
                http_status=status,
                body_excerpt=_excerpt(wire.body, self._redact),
            )
        return envelope

    def raise_for_code(self, envelope: dict[str, Any], wire: WireResponse) -> None:
        """Raise the mapped ``ApiException`` subclass when ``retCode`` is not 0."""
        code = envelope.get("retCode", 0)
        if code == 0 or code is None:
            return
        if isinstance(code, str) and code.lstrip("-").isdigit():
            code = int(code)
        if not isinstance(code, int) or isinstance(code, bool):
            raise ResponseFormatException(
                f"retCode must be an integer, got {code!r}", method=self._method, path=self._path
            )
        ext = envelope.get("retExtInfo")
        raise exception_for_code(code)(
            code,
            self._redact(str(envelope.get("retMsg") or "")),
            ret_ext_info=ext if isinstance(ext, dict) else None,
            time=envelope_time(envelope.get("time")),
            http_status=wire.status,
            method=self._method,
            path=self._path,
            rate_limit=RateLimit.from_headers(wire.headers),
        )

    def handle(self, wire: WireResponse, dto: type[R], mode: EnumOutputMode) -> RestResponse[Any]:
        """PHP ``handle()``: the response object of one answer, or the exception it means."""
        envelope = self.decode(wire)
        self.raise_for_code(envelope, wire)
        result = envelope.get("result")
        if result is not None and not isinstance(result, dict):
            raise ResponseFormatException(
                f"expected 'result' to be an object, got {type(result).__name__}",
                method=self._method,
                path=self._path,
            )
        items: list[Any]
        cursor: str | None = None
        if not result:
            items = []
        else:
            raw_cursor = result.get("nextPageCursor")
            cursor = raw_cursor if isinstance(raw_cursor, str) and raw_cursor else None
            listed = result.get(ROOT_DATA_KEY)
            if isinstance(listed, list):
                items = listed
            elif listed is None:
                items = [result]
            else:
                raise ResponseFormatException(
                    f"expected 'result.list' to be an array, got {type(listed).__name__}",
                    method=self._method,
                    path=self._path,
                )
        body: EntityCollection[Any]
        if mode is EnumOutputMode.MODE_JSON:
            body = EntityCollection((wire.body.decode("utf-8", "replace"),))
        elif mode is EnumOutputMode.MODE_ARRAY:
            body = EntityCollection(items)
        else:
            try:
                body = EntityCollection(build_all(dto, filter(None, items)))
            except ResponseFormatException as exc:
                raise ResponseFormatException(
                    f"{dto.__name__}: {exc}", method=self._method, path=self._path
                ) from None
        ext = envelope.get("retExtInfo")
        msg = envelope.get("retMsg")
        return RestResponse(
            ret_code=0,
            ret_msg=msg if isinstance(msg, str) else "",
            ret_ext_info=ext if isinstance(ext, dict) else {},
            time=envelope.get("time"),
            next_page_cursor=cursor,
            body=body,
            headers=wire.headers,
            http_status=wire.status,
        )
