"""The transport seam: send one prepared HTTP request, return status, headers and body bytes.

``Transport`` is the small base class; ``RequestsTransport`` (the default) keeps one keep-alive
``requests.Session``. Transports never follow redirects (signed headers must not travel to another
host) and always apply a connect and a read timeout. Failures become ``TransportException``
subclasses that say whether the request may have reached the exchange.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import requests
import requests.adapters
import requests.utils
import urllib3.exceptions
from requests.structures import CaseInsensitiveDict

from carpenstar_bybit.core.exceptions import (
    ConnectionFailedException,
    SDKException,
    TimeoutException,
    TransportException,
)

__all__ = ["DEFAULT_TIMEOUT", "RequestsTransport", "Timeout", "Transport", "WireRequest", "WireResponse"]


class _TimeoutFields(NamedTuple):
    connect: float
    read: float


class Timeout(_TimeoutFields):
    """Seconds to wait for a connection, and for each read of the answer (an immutable pair)."""

    __slots__ = ()

    def __new__(cls, connect: float = 3.05, read: float = 10.0) -> Timeout:
        for name, value in (("connect", connect), ("read", read)):
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise SDKException(f"timeout {name} must be a positive number of seconds, got {value!r}")
        return super().__new__(cls, connect, read)

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


class WireRequest(NamedTuple):
    """A request exactly as it goes on the wire."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes | None


class WireResponse(NamedTuple):
    """An answer exactly as it came off the wire (``headers`` are case-insensitive)."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class Transport:
    """Base class of transports: implement ``send`` (and ``close`` if there is something to release)."""

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:  # pragma: no cover - abstract
        """Send ``request``; raise a ``TransportException`` subclass if there is no HTTP answer."""
        raise NotImplementedError

    def close(self) -> None:
        """Release connections."""


_CA_BUNDLE_VARS = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")
#: urllib3 errors while reading a body -> what ``requests.Response.content`` raises for them.
_READ_ERROR_MAP: tuple[tuple[type[Exception], type[requests.exceptions.RequestException]], ...] = (
    (urllib3.exceptions.ProtocolError, requests.exceptions.ChunkedEncodingError),
    (urllib3.exceptions.DecodeError, requests.exceptions.ContentDecodingError),
    (urllib3.exceptions.ReadTimeoutError, requests.exceptions.ConnectionError),
    (urllib3.exceptions.SSLError, requests.exceptions.SSLError),
)
_READ_ERRORS = tuple(cause for cause, _ in _READ_ERROR_MAP)


def _plain_header(name: object, value: object) -> bool:
    """Whether a header is one requests accepts as it is (a stricter test than requests' own: what
    fails it goes through ``Session.request`` and gets requests' checks and errors)."""
    return (
        type(name) is str
        and type(value) is str
        and name != ""
        and not name[0].isspace()
        and ":" not in name
        and "\r" not in name
        and "\n" not in name
        and "\r" not in value
        and "\n" not in value
        and not value[:1].isspace()
    )


class RequestsTransport(Transport):
    """A transport on one keep-alive ``requests.Session``.

    A session passed by the user is used exactly as configured, through ``Session.request``.

    With a session of its own, proxy and CA-bundle settings are read from the environment once per
    host, instead of on every call as ``requests`` does by default (that scan costs more than the
    rest of a call); the effect is the same as ``requests``' ``trust_env``. Such a session is also
    sent through directly: the request is prepared here (the session's headers, then the call's,
    then ``Content-Length``: the same bytes ``Session.request`` would send) and handed to the
    session's adapter, which skips the per-call merging of settings, cookies, auth and hooks that
    the session does not use. Once the session is handed out (the ``session`` property), holds a
    cookie, or a request needs anything unusual (a non-ASCII URL, credentials in the URL, a header
    requests would reject), calls go through ``Session.request`` again, with identical results.
    """

    def __init__(self, session: requests.Session | None = None) -> None:
        self._own_session = session is None
        #: The own session's TLS verification (True, or the CA bundle from the environment).
        self._verify: bool | str = True
        if session is None:
            session = requests.Session()
            session.trust_env = False
            for var in _CA_BUNDLE_VARS:
                bundle = os.environ.get(var)
                if bundle:
                    session.verify = self._verify = bundle
                    break
        self._session = session
        self._proxies: dict[str, dict[str, str]] = {}
        #: Whether calls may skip ``Session.request`` (own session, never handed out, no cookies).
        self._direct = self._own_session
        #: The own session's default headers (nothing can change them while it is not handed out).
        self._session_headers = {k: v for k, v in session.headers.items() if isinstance(v, str)}

    @property
    def session(self) -> requests.Session:
        """The underlying session (once read, every call goes through ``Session.request``)."""
        self._direct = False
        return self._session

    def _proxies_for(self, url: str) -> dict[str, str] | None:
        if not self._own_session:
            return None
        origin = _origin(url)
        proxies = self._proxies.get(origin)
        if proxies is None:
            proxies = dict(requests.utils.get_environ_proxies(origin))
            self._proxies[origin] = proxies
        return proxies

    def _can_send_directly(self, request: WireRequest) -> bool:
        if not self._direct or self._session.cookies:
            return False
        url = request.url
        if not url.isascii() or "@" in _origin(url):
            return False
        return all(_plain_header(name, value) for name, value in request.headers.items())

    def _send_directly(
        self, request: WireRequest, timeout: Timeout, proxies: dict[str, str] | None
    ) -> WireResponse:
        session = self._session
        body = request.body or None  # as Session.request: an empty body is no body
        headers: CaseInsensitiveDict[str] = CaseInsensitiveDict(self._session_headers)
        headers.update(request.headers)
        if body is not None:
            headers["Content-Length"] = str(len(body))
        elif request.method not in ("GET", "HEAD"):
            headers["Content-Length"] = "0"
        prepared = requests.PreparedRequest()
        prepared.method = request.method
        prepared.url = request.url
        prepared.headers = headers
        prepared.body = body
        response = session.get_adapter(request.url).send(
            prepared,
            stream=False,
            timeout=(timeout.connect, timeout.read),
            verify=self._verify,
            proxies=proxies or {},
        )
        if response.cookies:
            # Keep the cookies in the session's jar, as Session.send does; the next calls send them
            # through Session.request.
            session.cookies.update(response.cookies)
        # The body in one read (``response.content`` reads it through a chunk generator), with
        # read errors turned into the exceptions ``response.content`` would raise.
        try:
            content = response.raw.read(decode_content=True)
        except _READ_ERRORS as exc:
            raise next(wrap for cause, wrap in _READ_ERROR_MAP if isinstance(exc, cause))(exc) from exc
        return WireResponse(response.status_code, response.headers, content)

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        proxies = self._proxies_for(request.url)
        try:
            if self._can_send_directly(request):
                return self._send_directly(request, timeout, proxies)
            kwargs: dict[str, Any] = {
                "headers": request.headers,
                "data": request.body,
                "timeout": (timeout.connect, timeout.read),
                "allow_redirects": False,
            }
            if proxies:
                kwargs["proxies"] = proxies
            response = self._session.request(request.method, request.url, **kwargs)
            content = response.content
        except (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError) as exc:
            raise ConnectionFailedException(
                f"could not connect: {type(exc).__name__}", method=request.method, path=_path(request)
            ) from None
        except requests.exceptions.Timeout:
            raise TimeoutException(
                f"no answer within the read timeout of {timeout.read}s",
                method=request.method,
                path=_path(request),
            ) from None
        except requests.exceptions.ConnectionError as exc:
            if _never_sent(exc):
                raise ConnectionFailedException(
                    f"could not connect: {_reason(exc)}", method=request.method, path=_path(request)
                ) from None
            raise TransportException(
                f"connection lost after sending, outcome unknown: {_reason(exc)}",
                method=request.method,
                path=_path(request),
            ) from None
        except requests.exceptions.RequestException as exc:
            raise TransportException(
                f"request failed: {_reason(exc)}", method=request.method, path=_path(request)
            ) from None
        return WireResponse(response.status_code, response.headers, content)

    def close(self) -> None:
        for adapter in self._session.adapters.values():
            for manager in (
                getattr(adapter, "poolmanager", None),
                *getattr(adapter, "proxy_manager", {}).values(),
            ):
                if manager is not None:
                    close_pool_manager(manager)
        self._session.close()


def close_pool_manager(manager: Any) -> None:
    """Close every connection pool of a urllib3 ``PoolManager``, then forget them.

    ``PoolManager.clear()`` of urllib3 2 only forgets its pools: their sockets stay open until the
    pools are garbage collected, which an exception still held somewhere can delay indefinitely.
    """
    pools = manager.pools
    for key in list(pools.keys()):
        pool = pools.get(key)
        if pool is not None:
            pool.close()
    manager.clear()


def _origin(url: str) -> str:
    """``scheme://netloc`` of an absolute URL (cheaper than ``urlsplit`` on the hot path)."""
    end = url.find("/", url.find("://") + 3)
    return url if end < 0 else url[:end]


def _path(request: WireRequest) -> str:
    return urlsplit(request.url).path


def _reason(exc: BaseException) -> str:
    # Only the exception types and their messages' first line: never the request, never headers.
    inner = exc.args[0] if exc.args else None
    reason = getattr(inner, "reason", inner)
    text = str(reason).splitlines()[0] if reason else ""
    return f"{type(exc).__name__}: {text}"[:300]


def _never_sent(exc: requests.exceptions.ConnectionError) -> bool:
    """Whether urllib3 failed while establishing the connection (so the request was not sent)."""
    from urllib3.exceptions import MaxRetryError, NewConnectionError

    inner = exc.args[0] if exc.args else None
    if isinstance(inner, MaxRetryError):
        inner = inner.reason
    return isinstance(inner, NewConnectionError)
