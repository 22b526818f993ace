"""The default ``RequestsTransport`` and the environment: proxies still apply although the transport
reads them once per origin (not on every call, as a ``requests`` session with ``trust_env`` does), and
its direct path to the session's adapter sends exactly what ``Session.request`` sends.

Every server here is on 127.0.0.1; a "proxy" is a recording server that answers in the exchange's
place, so the target is never contacted.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from carpenstar_bybit import BybitAPI, ConnectionFailedException
from carpenstar_bybit.core.transport import RequestsTransport, WireRequest
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.core.test_urllib3_transport import FAST, Answer, RawServer, post

CANCELLED = (
    b'{"retCode":0,"retMsg":"OK","result":{"orderId":"o-1","orderLinkId":""},"retExtInfo":{},"time":1}'
)
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
        monkeypatch.delenv(var.lower(), raising=False)


@pytest.fixture
def target() -> Iterator[RawServer]:
    """Where the SDK is pointed."""
    srv = RawServer()
    srv.script.extend(Answer(body=CANCELLED) for _ in range(10))
    yield srv
    srv.close()


@pytest.fixture
def proxy() -> Iterator[RawServer]:
    """A proxy-ish server: records what it is asked and answers like the exchange."""
    srv = RawServer()
    srv.script.extend(Answer(body=CANCELLED) for _ in range(10))
    yield srv
    srv.close()


def cancel(api: BybitAPI) -> str | None:
    result = api.rest(
        CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
    ).get_result()
    return result.get_order_id() if result is not None else None


@pytest.mark.parametrize("var", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_environment_proxy_applies_to_the_default_transport(
    target: RawServer, proxy: RawServer, monkeypatch: pytest.MonkeyPatch, var: str
) -> None:
    monkeypatch.setenv(var, proxy.url)
    assert cancel(BybitAPI(target.url, API_KEY, SECRET)) == "o-1"

    (sent,) = proxy.requests
    # A proxied plain-HTTP request carries the absolute URI of the target.
    assert sent.request_line == f"POST {target.url}/contract/v3/private/order/cancel HTTP/1.1".encode()
    assert sent.body == b'{"symbol":"BTCUSDT","orderId":"o-1"}'
    assert target.requests == []


def test_no_proxy_sends_directly(
    target: RawServer, proxy: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "localhost,127.0.0.1")
    assert cancel(BybitAPI(target.url, API_KEY, SECRET)) == "o-1"
    assert len(target.requests) == 1
    assert proxy.requests == []


def test_the_proxy_chosen_is_the_one_requests_itself_would_choose(
    target: RawServer, proxy: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.invalid")  # does not cover the target
    chosen = requests.utils.select_proxy(target.url, requests.utils.get_environ_proxies(target.url))
    assert chosen == proxy.url
    assert cancel(BybitAPI(target.url, API_KEY, SECRET)) == "o-1"
    assert len(proxy.requests) == 1


def test_the_environment_is_read_once_per_origin(
    target: RawServer, proxy: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = BybitAPI(target.url, API_KEY, SECRET)
    cancel(api)  # no proxy in the environment yet: direct, and remembered for this origin
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    cancel(api)
    assert len(target.requests) == 2
    assert proxy.requests == []
    cancel(BybitAPI(target.url, API_KEY, SECRET))  # a new client reads the environment again
    assert len(proxy.requests) == 1


def test_an_unreachable_environment_proxy_is_a_connection_failure(
    target: RawServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    dead = RawServer()
    dead.close()  # nothing listens on its port any more
    monkeypatch.setenv("HTTP_PROXY", dead.url)
    with pytest.raises(ConnectionFailedException):
        RequestsTransport().send(post(target.url + "/x"), FAST)
    assert target.requests == []


def test_a_users_session_is_used_as_configured(target: RawServer, proxy: RawServer) -> None:
    session = requests.Session()
    session.trust_env = False
    session.proxies = {"http": proxy.url}
    session.headers["User-Agent"] = "my-app/1.0"
    assert cancel(BybitAPI(target.url, API_KEY, SECRET, session=session)) == "o-1"
    (sent,) = proxy.requests
    assert sent.header("User-Agent") == "my-app/1.0"
    assert target.requests == []


def test_the_direct_path_sends_the_bytes_session_request_sends(target: RawServer) -> None:
    requests_to_send = [
        post(target.url + "/contract/v3/private/order/cancel", X_BAPI_API_KEY="k", X_BAPI_SIGN="ab" * 32),
        WireRequest("GET", target.url + "/contract/v3/private/order/list?symbol=BTCUSDT&limit=2", {}, None),
        WireRequest("POST", target.url + "/empty", {"Content-Type": "application/json"}, b""),
    ]
    transport = RequestsTransport()
    for request in requests_to_send:
        transport.send(request, FAST)  # straight to the session's adapter
    assert transport.session is not None  # handing the session out: later calls use Session.request
    for request in requests_to_send:
        transport.send(request, FAST)

    direct, through_session = target.requests[:3], target.requests[3:]
    assert [(r.head, r.body) for r in direct] == [(r.head, r.body) for r in through_session]
    assert direct[2].header("Content-Length") == "0"


def test_cookies_the_server_sets_are_sent_back(target: RawServer) -> None:
    target.script.clear()
    target.script.append(
        Answer(headers=[("Content-Type", "application/json"), ("Set-Cookie", "edge=abc; Path=/")])
    )
    transport = RequestsTransport()
    transport.send(post(target.url + "/x"), FAST)
    transport.send(post(target.url + "/x"), FAST)
    first, second = target.requests
    assert first.header("Cookie") is None
    assert second.header("Cookie") == "edge=abc"
