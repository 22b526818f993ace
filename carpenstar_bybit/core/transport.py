"""The transport seam: send one prepared HTTP request, get status, headers and body bytes back.

Everything above the seam (validation, signing, retries, parsing) is the SDK's core and does no
I/O; everything below it is a ``Transport`` (sync) or an ``AsyncTransport`` (asyncio)::

    WireRequest --Transport.send(request, timeout)--> WireResponse     (or a TransportException)

The transports that come with the SDK: ``RequestsTransport`` (the default, on ``requests``),
``Urllib3Transport`` (leaner, on ``urllib3``), ``MockTransport`` (canned answers, for your unit
tests) and the sandbox's in-memory transport. What every transport guarantees:

* redirects are never followed (signed headers must not travel to another host);
* a connect and a read timeout always apply, and the request's ``deadline`` (a ``time.monotonic()``
  value) bounds the whole exchange, however slowly the server trickles its answer;
* an answer's body is at most ``MAX_BODY_BYTES`` once decompressed (a compression bomb is refused);
* failures are ``TransportException`` subclasses that say whether the request may have reached the
  exchange: ``ConnectionFailedException`` (it never left: safe to resend), ``TimeoutException`` and
  plain ``TransportException`` (outcome unknown). A failure's message names the exception type and
  its first line only: never the request, its headers or its body.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping
from importlib import import_module
from typing import TYPE_CHECKING, Any, NamedTuple

from carpenstar_bybit.core.exceptions import (
    ResponseFormatException,
    SDKException,
    TimeoutException,
    TransportException,
)
from carpenstar_bybit.core.redact import REDACTED
from carpenstar_bybit.core.timeutil import seconds

if TYPE_CHECKING:
    from carpenstar_bybit.core.requests_transport import RequestsTransport

__all__ = [
    "ACCEPT_ENCODING",
    "DEFAULT_TIMEOUT",
    "MAX_BODY_BYTES",
    "AsyncTransport",
    "BoundedBody",
    "ErrorTable",
    "RequestsTransport",
    "Timeout",
    "Transport",
    "WireRequest",
    "WireResponse",
    "deadline_passed",
    "decode_body",
    "transport_error",
]

#: Largest answer body accepted, after decompression (an instruments list of 1000 items is ~1 MB).
MAX_BODY_BYTES = 32 * 1024 * 1024
#: The content codings the SDK's transports ask for and decode themselves (with the size bound).
ACCEPT_ENCODING = "gzip, deflate"
#: Request headers whose values are never shown.
SECRET_HEADERS = frozenset(
    {"x-bapi-api-key", "x-bapi-sign", "authorization", "proxy-authorization", "cookie"}
)


class _TimeoutFields(NamedTuple):
    connect: float
    read: float


class Timeout(_TimeoutFields):
    """Seconds to wait for a connection, and for each read of the answer (an immutable pair)."""

    __slots__ = ()

    def __new__(cls, connect: float = 3.05, read: float = 10.0) -> Timeout:
        return super().__new__(cls, seconds("timeout connect", connect), seconds("timeout read", read))

    @classmethod
    def of(cls, value: Timeout | float | tuple[float, float]) -> Timeout:
        """Accept a ``Timeout``, one number for both, or a ``(connect, read)`` pair."""
        if isinstance(value, Timeout):
            return value
        if isinstance(value, tuple):
            if len(value) != 2:
                raise SDKException(f"timeout must be (connect, read), got {value!r}")
            return cls(value[0], value[1])
        return cls(value, value)


DEFAULT_TIMEOUT = Timeout()


class WireRequest:
    """A request exactly as it goes on the wire.

    ``deadline`` is the ``time.monotonic()`` by which the whole call must be over (``None``: only the
    timeouts apply). The ``repr`` never shows the API key, the signature or other secret headers.
    """

    __slots__ = ("body", "deadline", "headers", "method", "url")

    def __init__(
        self,
        method: str,
        url: str,
        headers: Mapping[str, str],
        body: bytes | None,
        deadline: float | None = None,
    ) -> None:
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.deadline = deadline

    @property
    def path(self) -> str:
        """The URL's path, without the query string."""
        url = self.url
        start = url.find("/", url.find("://") + 3)
        return "/" if start < 0 else url[start:].partition("?")[0]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, WireRequest):
            return NotImplemented
        return (self.method, self.url, dict(self.headers), self.body) == (
            other.method,
            other.url,
            dict(other.headers),
            other.body,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        headers = {k: (REDACTED if k.lower() in SECRET_HEADERS else v) for k, v in self.headers.items()}
        body = f"<{len(self.body)} bytes>" if self.body else None
        return f"WireRequest({self.method} {self.url}, headers={headers!r}, body={body})"


class WireResponse:
    """An answer exactly as it came off the wire (``headers`` are case-insensitive; ``body`` is
    decompressed). The ``repr`` shows the status and the size, never the body (it may echo what was
    signed, API key included)."""

    __slots__ = ("body", "headers", "status")

    def __init__(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
        self.status = status
        self.headers = headers
        self.body = body

    @classmethod
    def json(
        cls, payload: object, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> WireResponse:
        """An answer with ``payload`` as its JSON body (for ``MockTransport`` handlers and tests)."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        return cls(status, _Headers({"Content-Type": "application/json", **(headers or {})}), body)

    def __repr__(self) -> str:
        return f"WireResponse(status={self.status}, body=<{len(self.body)} bytes>)"


class _Headers(dict[str, str]):
    """A small case-insensitive header mapping (lookups by any case of the name)."""

    def __init__(self, items: Mapping[str, str]) -> None:
        super().__init__({k.lower(): v for k, v in items.items()})

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())


class Transport:
    """Base class of sync transports: implement ``send`` (and ``close`` if there is something to
    release). ``send`` is called from many threads at once."""

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:  # pragma: no cover - abstract
        """Send ``request``; raise a ``TransportException`` subclass if there is no HTTP answer."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""


class AsyncTransport:
    """Base class of asyncio transports: the same contract as ``Transport``, awaited."""

    async def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:  # pragma: no cover
        """Send ``request``; raise a ``TransportException`` subclass if there is no HTTP answer."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Release connections."""


def decode_body(encoding: str | None, body: bytes, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body of an answer with ``Content-Encoding: encoding``, decompressed, at most ``limit``
    bytes; ``ResponseFormatException`` past that or for a coding the SDK did not ask for."""
    if len(body) > limit:
        raise _too_large(limit)
    coding = (encoding or "").strip().lower()
    if coding in ("", "identity"):
        return body
    if coding not in ("gzip", "x-gzip", "deflate"):
        raise ResponseFormatException(f"the answer is encoded as {coding[:40]!r}, which was not asked for")
    if coding == "deflate" and body[:1] != b"\x78":
        decoder = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
    else:
        decoder = zlib.decompressobj(zlib.MAX_WBITS | (16 if coding != "deflate" else 0))
    try:
        out = decoder.decompress(body, limit + 1)
    except zlib.error as exc:
        raise ResponseFormatException(f"the {coding} body does not decompress: {exc}") from None
    if len(out) > limit or decoder.unconsumed_tail:
        raise _too_large(limit)
    if not decoder.eof:
        raise ResponseFormatException(f"the {coding} body is cut short")
    return out


class BoundedBody:
    """The chunks of an answer's body as they arrive, refused past ``MAX_BODY_BYTES``: ``add``
    raises ``ResponseFormatException`` (the transport then drops the connection: unread bytes
    remain)."""

    __slots__ = ("_chunks", "_size")

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._size = 0

    def add(self, chunk: bytes) -> None:
        """One more chunk."""
        self._size += len(chunk)
        if self._size > MAX_BODY_BYTES:
            raise _too_large(MAX_BODY_BYTES)
        self._chunks.append(chunk)

    def joined(self) -> bytes:
        """The body so far."""
        return b"".join(self._chunks)


def _too_large(limit: int) -> ResponseFormatException:
    return ResponseFormatException(f"the answer is larger than {limit} bytes; refused")


#: One HTTP library's exceptions -> (the SDK's exception, what it means); first match wins, so
#: subclasses come before their bases. Each transport module has one (as httpx maps httpcore's).
ErrorTable = tuple[tuple[type[BaseException], type[TransportException], str], ...]


def transport_error(
    cause: BaseException,
    table: ErrorTable,
    request: WireRequest,
    timeout: Timeout,
    shown: BaseException | None = None,
) -> TransportException:
    """The SDK exception for ``cause`` by ``table`` (``TransportException`` if none matches). The
    message names the type and the first line of ``shown`` (default: ``cause``) only: never the
    request or its headers."""
    cls, what = next(
        ((cls, what) for kind, cls, what in table if isinstance(cause, kind)),
        (TransportException, "request failed"),
    )
    if cls is TimeoutException:
        return cls(f"{what} of {timeout.read}s", method=request.method, path=request.path)
    reason = _reason(shown if shown is not None else cause)
    return cls(f"{what}: {reason}"[:300], method=request.method, path=request.path)


def deadline_passed(request: WireRequest) -> TimeoutException:
    """The exception of a call whose deadline passed while its answer was awaited."""
    return TimeoutException(
        "the call's deadline passed while waiting for the answer (outcome unknown)",
        method=request.method,
        path=request.path,
    )


def _reason(exc: BaseException) -> str:
    """The type and the first line of the message of ``exc``."""
    # urllib3 puts the connection object first and the message last: ("<HTTPConnection ...>", "...").
    message = next((arg for arg in reversed(exc.args) if isinstance(arg, str)), str(exc))
    lines = message.splitlines()
    text = lines[0] if lines else ""
    if text.startswith("<") and ">: " in text:  # "<HTTPConnection object at 0x...>: Failed to ..."
        text = text.partition(">: ")[2]
    return f"{type(exc).__name__}: {text}"


def __getattr__(name: str) -> Any:
    # ``RequestsTransport`` lives in its own module (it imports requests); still importable here.
    if name == "RequestsTransport":
        return import_module("carpenstar_bybit.core.requests_transport").RequestsTransport
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
