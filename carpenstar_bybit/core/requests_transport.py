"""The default transport: one keep-alive ``requests.Session`` per client."""

from __future__ import annotations

from typing import Any

import requests
import requests.adapters
import requests.utils
from requests.structures import CaseInsensitiveDict
from urllib3.exceptions import HTTPError

from carpenstar_bybit.core._urllib3 import (
    WATCHDOG,
    WATCHED_POOL_CLASSES,
    ca_bundle,
    close_pool_manager,
    deadline_guard,
    read_body,
    urllib3_error,
)
from carpenstar_bybit.core.transport import ACCEPT_ENCODING, Timeout, Transport, WireRequest, WireResponse

__all__ = ["RequestsTransport"]


class _Adapter(requests.adapters.HTTPAdapter):
    """requests' adapter on pools whose connections the deadline watchdog can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = WATCHED_POOL_CLASSES

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = WATCHED_POOL_CLASSES
        return manager


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


def _origin(url: str) -> str:
    """``scheme://netloc`` of an absolute URL (cheaper than ``urlsplit`` on the hot path)."""
    end = url.find("/", url.find("://") + 3)
    return url if end < 0 else url[:end]


class RequestsTransport(Transport):
    """A transport on one keep-alive ``requests.Session``.

    A session passed by the user is used exactly as configured, through ``Session.request`` (its
    adapters are the user's: the call's deadline is then checked between attempts, not while an
    answer trickles in).

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
        self._watching = False
        #: The own session's TLS verification (True, or the CA bundle from the environment).
        self._verify: bool | str = True
        if session is None:
            session = requests.Session()
            session.trust_env = False
            session.headers["Accept-Encoding"] = ACCEPT_ENCODING
            for prefix in ("https://", "http://"):
                session.mount(prefix, _Adapter())
            bundle = ca_bundle()
            if bundle:
                session.verify = self._verify = bundle
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
    ) -> requests.Response:
        body = request.body or None  # as Session.request: an empty body is no body
        headers: CaseInsensitiveDict[Any] = CaseInsensitiveDict(self._session_headers)
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
        response = self._session.get_adapter(request.url).send(
            prepared,
            stream=True,
            timeout=(timeout.connect, timeout.read),
            verify=self._verify,
            proxies=proxies or {},
        )
        if response.cookies:
            # Keep the cookies in the session's jar, as Session.send does; the next calls send them
            # through Session.request.
            self._session.cookies.update(response.cookies)
        return response

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        if not self._watching:
            self._watching = True
            WATCHDOG.use()  # the deadline watchdog runs while a transport is open
        proxies = self._proxies_for(request.url)
        with deadline_guard(request.deadline) as guard:
            try:
                if self._can_send_directly(request):
                    response = self._send_directly(request, timeout, proxies)
                else:
                    kwargs: dict[str, Any] = {
                        "headers": request.headers,
                        "data": request.body,
                        "timeout": (timeout.connect, timeout.read),
                        "allow_redirects": False,
                        "stream": True,
                    }
                    if proxies:
                        kwargs["proxies"] = proxies
                    response = self._session.request(request.method, request.url, **kwargs)
                body = read_body(response.raw)
            except (requests.exceptions.RequestException, HTTPError, OSError) as exc:
                raise urllib3_error(exc, request, timeout, guard) from None
        return WireResponse(response.status_code, response.headers, body)

    def close(self) -> None:
        if self._watching:
            self._watching = False
            WATCHDOG.unuse()
        for adapter in self._session.adapters.values():
            for manager in (
                getattr(adapter, "poolmanager", None),
                *getattr(adapter, "proxy_manager", {}).values(),
            ):
                if manager is not None:
                    close_pool_manager(manager)
        self._session.close()
