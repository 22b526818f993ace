"""Turning an HTTP answer into a ``RestResponse`` or the right exception (PHP ``CurlResponseHandler``).

Rules: HTTP 200 with a JSON envelope is read; ``retCode != 0`` raises the class of the code table of
the route's API family (``V3_CODES`` or ``V5_CODES``).
HTTP 403/429 (Bybit's CDN answers an IP block with an HTML page) raise ``RateLimitException``.
Any other status, a non-JSON body (also one nested too deeply to read) or an envelope of the wrong
shape raises a ``TransportException`` subclass. ``retCode`` is an integer, or a string of ASCII
digits (``"0"`` reads as 0); anything else is a malformed envelope.

The items of the body: those of ``result.list`` for an endpoint whose result is a list (a missing or
``null`` list is no items: never the result object read as one), else the ``result`` object itself.
An item that is empty (``{}`` or ``[]``) carries no field and is skipped. The entities of a batch
answer carry the ``code`` and ``msg`` of their entry in ``retExtInfo.list``. Text from the exchange
(``retMsg``, ``retExtInfo``, body excerpts) goes through the client's redactor before anyone sees it,
on errors and on success alike: Bybit's messages can echo what was signed, API key included.
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
    api_family,
    exception_for_code,
)
from carpenstar_bybit.core.objects.collections import EntityCollection
from carpenstar_bybit.core.objects.responses import AbstractResponse, build_all
from carpenstar_bybit.core.objects.rest_response import RestResponse, envelope_time, merge_item_codes
from carpenstar_bybit.core.ratelimit import RateLimit
from carpenstar_bybit.core.transport import WireResponse

__all__ = ["ROOT_DATA_KEY", "ResponseHandler"]

R = TypeVar("R", bound=AbstractResponse)

#: PHP ``AbstractResponse::$rootDataKey``: the key of ``result`` that holds the items of a list.
ROOT_DATA_KEY = "list"
#: ``retMsg`` values that need no redaction (the common case of a success: skip the regex).
_PLAIN_MESSAGES = frozenset({"OK", "ok", "success", "SUCCESS", ""})

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


def _dumps(envelope: dict[str, Any]) -> str:
    """An envelope as JSON text (a ``Decimal`` of a JSON number as that number)."""
    return json.dumps(envelope, separators=(",", ":"), default=float)


def _excerpt(body: bytes, redact: Callable[[str], str]) -> str:
    return redact(body[:200].decode("utf-8", "replace"))


def _ret_code(raw: Any) -> int | None:
    """``retCode`` as an int (``None`` if it is not one: a malformed envelope)."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        digits = raw[1:] if raw[:1] == "-" else raw
        if 0 < len(digits) <= 12 and digits.isascii() and digits.isdigit():
            return int(raw)
    return None


def _redacted(value: Any, redact: Callable[[str], str], depth: int = 0) -> Any:
    """``value`` (JSON) with every string redacted."""
    if isinstance(value, str):
        return redact(value)
    if depth > 16:
        return None
    if isinstance(value, dict):
        return {k: _redacted(v, redact, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v, redact, depth + 1) for v in value]
    return value


class ResponseHandler:
    """Parses answers of one endpoint call; stateless apart from what it is told about the call."""

    __slots__ = ("_method", "_path", "_redact")

    def __init__(self, method: str, path: str, redact: Callable[[str], str]) -> None:
        self._method = method
        self._path = path
        self._redact = redact

    def _format_error(self, message: str, wire: WireResponse | None = None) -> ResponseFormatException:
        return ResponseFormatException(
            message,
            method=self._method,
            path=self._path,
            http_status=wire.status if wire is not None else None,
            body_excerpt=_excerpt(wire.body, self._redact) if wire is not None else None,
        )

    def decode(self, wire: WireResponse) -> dict[str, Any]:
        """The JSON envelope, after the HTTP-level checks; raises for anything else."""
        status = wire.status
        envelope: Any = None
        deep = False
        try:
            envelope = _loads(wire.body)
        except (ValueError, UnicodeDecodeError):
            envelope = None
        except RecursionError:
            envelope, deep = None, True
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
                "JSON nested too deeply to read"
                if deep
                else "a non-JSON body"
                if envelope is None
                else f"JSON that is not an object ({type(envelope).__name__})"
            )
            raise self._format_error(f"expected a Bybit JSON envelope, got {kind}", wire)
        return envelope

    def raise_for_code(self, envelope: dict[str, Any], wire: WireResponse) -> None:
        """Raise the mapped ``ApiException`` subclass when ``retCode`` is not 0."""
        raw = envelope.get("retCode", 0)
        if raw == 0 or raw is None:
            return
        code = _ret_code(raw)
        if code is None:
            shown = raw if not isinstance(raw, str) or len(raw) <= 20 else f"<{len(raw)} characters>"
            raise self._format_error(f"retCode must be an integer, got {shown!r}")
        if code == 0:
            return
        redact = self._redact
        ext = envelope.get("retExtInfo")
        message = redact(str(envelope.get("retMsg") or ""))
        # What the exchange echoed is redacted in the envelope itself too: a traceback captured
        # with its locals (as error trackers do) must not show it either.
        envelope["retMsg"] = message
        ext = envelope["retExtInfo"] = _redacted(ext, redact) if isinstance(ext, dict) else None
        raise exception_for_code(code, api_family(self._path))(
            code,
            message,
            ret_ext_info=ext,
            time=envelope_time(envelope.get("time")),
            http_status=wire.status,
            method=self._method,
            path=self._path,
            rate_limit=RateLimit.from_headers(wire.headers),
        )

    def handle(
        self,
        wire: WireResponse,
        dto: type[R],
        mode: EnumOutputMode,
        list_result: bool | None = None,
        reshape: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> RestResponse[Any]:
        """PHP ``handle()``: the response object of one answer, or the exception it means.

        ``list_result``: whether the items are under ``result.list`` (``Endpoint.LIST_RESULT``).
        ``reshape``: turns the ``result`` into the one the DTOs read (a V3 call sent over V5, see
        ``core.bridge``); in ``MODE_JSON`` the body is then the envelope with that result.
        """
        envelope = self.decode(wire)
        self.raise_for_code(envelope, wire)
        result = envelope.get("result")
        if result is not None and not isinstance(result, dict):
            raise self._format_error(f"expected 'result' to be an object, got {type(result).__name__}")
        if reshape is not None and result:
            result = envelope["result"] = reshape(result)
        items: list[Any]
        cursor: str | None = None
        if not result:
            items = []
        else:
            raw_cursor = result.get("nextPageCursor")
            cursor = raw_cursor if isinstance(raw_cursor, str) and raw_cursor else None
            listed = result.get(ROOT_DATA_KEY)
            if list_result is None:  # a hand-written endpoint: a list answer has the key
                list_result = ROOT_DATA_KEY in result
            if not list_result:
                items = [result]
            elif isinstance(listed, list):
                items = listed
            elif listed is None:
                items = []
            else:
                raise self._format_error(
                    f"expected 'result.list' to be an array, got {type(listed).__name__}"
                )
        ext = envelope.get("retExtInfo")
        ext = _redacted(ext, self._redact) if isinstance(ext, dict) and ext else {}
        body: EntityCollection[Any]
        if mode is EnumOutputMode.MODE_JSON:
            text = wire.body.decode("utf-8", "replace") if reshape is None else _dumps(envelope)
            body = EntityCollection((text,))
        elif mode is EnumOutputMode.MODE_ARRAY:
            body = EntityCollection(items)
        else:
            try:
                items = merge_item_codes(items, ext)  # batches: each item's code and msg
                body = EntityCollection(build_all(dto, filter(None, items)))
            except ResponseFormatException as exc:
                raise self._format_error(f"{dto.__name__}: {exc}") from None
        msg = envelope.get("retMsg")
        if not isinstance(msg, str):
            msg = ""
        elif msg not in _PLAIN_MESSAGES:
            msg = self._redact(msg)
        return RestResponse(
            ret_code=0,
            ret_msg=msg,
            ret_ext_info=ext,
            time=envelope.get("time"),
            next_page_cursor=cursor,
            body=body,
            headers=wire.headers,
            http_status=wire.status,
            result=result,
        )
