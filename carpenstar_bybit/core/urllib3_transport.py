"""A transport on urllib3's connection pool: the same contract as ``RequestsTransport``, less work per call.

    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.core.urllib3_transport import Urllib3Transport

    api = BybitAPI(Hosts.TESTNET, api_key, secret, transport=Urllib3Transport())

``requests`` spends most of a call on things a signed JSON call does not use (request preparation,
cookie jars, hooks, redirect bookkeeping); this transport hands the prepared request to one
keep-alive ``urllib3`` pool per origin. What it keeps from ``RequestsTransport``:

* redirects are never followed (signed headers must not travel to another host);
* every call has a connect and a read timeout;
* proxies from the environment (``HTTP(S)_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) apply, read once per
  origin with ``requests``' own rules; ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` are honoured and
  certificates are otherwise checked against ``certifi``'s bundle, as ``requests`` does;
* failures map to the same exceptions: ``ConnectionFailedException`` when nothing was sent (refused,
  unresolvable, connect timeout, proxy failure), ``TimeoutException`` when no answer came within the
  read timeout, ``TransportException`` when the connection broke after sending (outcome unknown);
* response headers are case-insensitive; the call's deadline and the body size bound apply (see
  ``carpenstar_bybit.core.transport``).

Request headers on the wire: the ``WireRequest``'s own, plus ``Host``, ``Content-Length``,
``Accept-Encoding: gzip, deflate`` (compressed answers are decoded, bounded) and urllib3's
``User-Agent``.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import urllib3
from urllib3.exceptions import HTTPError
from urllib3.util.retry import Retry

from carpenstar_bybit.core._urllib3 import (
    WATCHDOG,
    WATCHED_POOL_CLASSES,
    ca_bundle,
    close_pool_manager,
    deadline_guard,
    read_body,
    urllib3_error,
)
from carpenstar_bybit.core.exceptions import TransportException
from carpenstar_bybit.core.transport import ACCEPT_ENCODING, Timeout, Transport, WireRequest, WireResponse

__all__ = ["Urllib3Transport"]

#: What ``retries=False, redirect=False`` means to urllib3 (never retry, never follow), built once
#: instead of on every call.
_NO_RETRY = Retry(False, redirect=False)


class _Route:
    """How to reach one origin: a pool (direct) or a proxy manager, and the URL form it takes."""

    __slots__ = ("absolute", "opener")

    def __init__(self, opener: urllib3.HTTPConnectionPool | urllib3.PoolManager, absolute: bool) -> None:
        self.opener = opener
        self.absolute = absolute


class Urllib3Transport(Transport):
    """A transport on ``urllib3`` connection pools (one keep-alive pool per origin).

    :param maxsize: connections kept per origin (extra concurrent calls open short-lived ones).
    :param headers: extra headers sent with every request (e.g. a ``User-Agent`` of your own).
    """

    def __init__(self, *, maxsize: int = 10, headers: dict[str, str] | None = None) -> None:
        self._maxsize = maxsize
        self._watching = False
        self._headers: dict[str, str] = {"Accept-Encoding": ACCEPT_ENCODING, **(headers or {})}
        ca_certs = ca_bundle()
        if ca_certs is None:
            import certifi

            ca_certs = certifi.where()
        # As requests does with a bundle path: a directory is a c_rehash'ed CA directory.
        self._tls: dict[str, Any] = {
            "cert_reqs": "CERT_REQUIRED",
            ("ca_cert_dir" if os.path.isdir(ca_certs) else "ca_certs"): ca_certs,
        }
        self._routes: dict[str, _Route] = {}
        self._lock = threading.Lock()
        self._timeouts: dict[Timeout, urllib3.Timeout] = {}

    def _route(self, origin: str) -> _Route:
        with self._lock:
            route = self._routes.get(origin)
            if route is None:
                route = self._routes[origin] = self._make_route(origin)
            return route

    def _make_route(self, origin: str) -> _Route:
        import requests.utils  # requests' own proxy rules, so both transports pick the same proxy

        tls = self._tls
        proxy = requests.utils.select_proxy(origin, requests.utils.get_environ_proxies(origin))
        is_https = origin.startswith("https:")
        if proxy:
            if "://" not in proxy:
                proxy = "http://" + proxy  # as requests reads "host:port"
            username, password = requests.utils.get_auth_from_url(proxy)
            pool_kw: dict[str, Any] = {"maxsize": self._maxsize, "block": False, "retries": _NO_RETRY, **tls}
            if proxy.lower().startswith("socks"):
                try:
                    from urllib3.contrib.socks import SOCKSProxyManager
                except ImportError:
                    raise TransportException(
                        f"a SOCKS proxy is set for {origin} but PySocks is not installed"
                    ) from None
                manager: urllib3.PoolManager = SOCKSProxyManager(
                    proxy, username=username or None, password=password or None, **pool_kw
                )
                return _Route(manager, absolute=True)
            proxy_headers = (
                urllib3.util.make_headers(proxy_basic_auth=f"{username}:{password}") if username else None
            )
            manager = urllib3.ProxyManager(proxy, proxy_headers=proxy_headers, **pool_kw)
            manager.pool_classes_by_scheme = WATCHED_POOL_CLASSES
            return _Route(manager, absolute=True)
        url = urllib3.util.parse_url(origin)
        pool_cls = WATCHED_POOL_CLASSES["https" if is_https else "http"]
        pool_kwargs: dict[str, Any] = {"maxsize": self._maxsize, "block": False, **(tls if is_https else {})}
        return _Route(pool_cls(url.host or "", port=url.port, **pool_kwargs), absolute=False)

    def _timeout(self, timeout: Timeout) -> urllib3.Timeout:
        value = self._timeouts.get(timeout)
        if value is None:
            value = self._timeouts[timeout] = urllib3.Timeout(connect=timeout.connect, read=timeout.read)
        return value

    def send(self, request: WireRequest, timeout: Timeout) -> WireResponse:
        if not self._watching:
            self._watching = True
            WATCHDOG.use()  # the deadline watchdog runs while a transport is open
        url = request.url
        scheme_end = url.index("://") + 3
        path_start = url.find("/", scheme_end)
        if path_start < 0:
            origin, target = url, "/"
        else:
            origin, target = url[:path_start], url[path_start:]
        route = self._routes.get(origin) or self._route(origin)
        with deadline_guard(request.deadline) as guard:
            try:
                response = route.opener.urlopen(
                    request.method,
                    url if route.absolute else target,
                    body=request.body,
                    headers={**self._headers, **request.headers},
                    retries=_NO_RETRY,
                    redirect=False,
                    assert_same_host=False,
                    timeout=self._timeout(timeout),
                    preload_content=False,
                    decode_content=False,
                )
                body = read_body(response)
            except (HTTPError, OSError) as exc:
                raise urllib3_error(exc, request, timeout, guard) from None
        return WireResponse(response.status, response.headers, body)

    def close(self) -> None:
        if self._watching:
            self._watching = False
            WATCHDOG.unuse()
        with self._lock:
            routes, self._routes = self._routes, {}
        for route in routes.values():
            opener = route.opener
            if isinstance(opener, urllib3.PoolManager):
                close_pool_manager(opener)
            else:
                opener.close()
