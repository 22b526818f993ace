"""``v3_over_v5``: ``True`` and ``False`` as given; ``None`` (the default) bridges on Bybit's own hosts
only. The same for ``BybitAPI`` and ``AsyncBybitAPI``, in the constructor and in ``set_credentials``."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from carpenstar_bybit import AsyncBybitAPI, BybitAPI, Hosts, OrderNotFoundException, SDKException
from carpenstar_bybit.core.mock_transport import AsyncMockTransport, MockTransport
from carpenstar_bybit.core.transport import WireRequest, WireResponse
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.cancel_order import CancelOrder as V5CancelOrder
from carpenstar_bybit.v5.trade.cancel_order import CancelOrderRequest as V5CancelOrderRequest

KEY, SECRET = "bridge-key-0001", "bridge-secret-0123456789"
HOSTS = [value for name, value in vars(Hosts).items() if name.isupper()]
CLIENTS = [BybitAPI, AsyncBybitAPI]
OK = WireResponse.json(
    {"retCode": 0, "retMsg": "OK", "result": {"orderId": "1", "orderLinkId": ""}, "time": 1}
)
CANCEL = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("1")


def make(cls: Any, *args: Any, **options: Any) -> BybitAPI | AsyncBybitAPI:
    if cls is AsyncBybitAPI:
        options.setdefault("transport", AsyncMockTransport(lambda request: OK))
    api: BybitAPI | AsyncBybitAPI = cls(*args, **options)
    return api


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("host", HOSTS)
def test_every_bybit_host_bridges_by_default(cls: Any, host: str) -> None:
    assert make(cls, host).bridges_v3 is True
    assert make(cls, host, v3_over_v5=None).bridges_v3 is True
    assert make(cls, host, v3_over_v5=False).bridges_v3 is False


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize(
    ("host", "bybit"),
    [
        ("https://api2.bybit.com", True),
        ("https://API.BYBIT.COM:443", True),
        ("https://api.bybit.kz", True),
        ("http://stream.bytick.com", True),
        ("http://127.0.0.1:8080", False),
        ("http://localhost:9000", False),
        ("https://api.bybit.com.example.org", False),
        ("https://my-exchange.test", False),
    ],
)
def test_any_bybit_domain_bridges_by_default_and_nothing_else(cls: Any, host: str, bybit: bool) -> None:
    assert make(cls, host).bridges_v3 is bybit
    assert make(cls, host, v3_over_v5=True).bridges_v3 is True
    assert make(cls, host, v3_over_v5=False).bridges_v3 is False


@pytest.mark.parametrize("cls", CLIENTS)
def test_a_sandbox_does_not_bridge_by_default(cls: Any) -> None:
    with SandboxExchange() as exchange:
        assert make(cls, exchange.url).bridges_v3 is False
        assert make(cls, exchange.url, v3_over_v5=True).bridges_v3 is True


@pytest.mark.parametrize("cls", CLIENTS)
def test_set_credentials_decides_for_its_host_and_keeps_a_given_choice(cls: Any) -> None:
    api = make(cls)
    assert api.bridges_v3 is False  # no host yet
    assert api.set_credentials(Hosts.MAINNET, KEY, SECRET).bridges_v3 is True
    assert api.set_credentials("http://127.0.0.1:8080", KEY, SECRET).bridges_v3 is False
    assert api.set_credentials("http://127.0.0.1:8080", KEY, SECRET, v3_over_v5=True).bridges_v3 is True
    assert api.set_credentials(Hosts.MAINNET, KEY, SECRET, v3_over_v5=False).bridges_v3 is False
    assert api.set_credentials(Hosts.TESTNET, KEY, SECRET).bridges_v3 is False  # the choice is kept
    fixed = make(cls, v3_over_v5=False)
    assert fixed.set_credentials(Hosts.MAINNET, KEY, SECRET).bridges_v3 is False
    forced = make(cls, v3_over_v5=True)
    assert forced.set_credentials("http://127.0.0.1:8080").bridges_v3 is True


@pytest.mark.parametrize("cls", CLIENTS)
@pytest.mark.parametrize("value", [1, 0, "yes", "true"])
def test_a_value_other_than_true_false_none_is_refused(cls: Any, value: Any) -> None:
    with pytest.raises(SDKException, match="v3_over_v5 must be True, False or None"):
        make(cls, Hosts.MAINNET, v3_over_v5=value)
    with pytest.raises(SDKException, match="v3_over_v5 must be True, False or None"):
        make(cls).set_credentials(Hosts.MAINNET, v3_over_v5=value)


def test_a_client_of_mainnet_sends_a_v3_cancel_to_the_v5_route() -> None:
    mock = MockTransport(lambda request: OK)
    with BybitAPI(Hosts.MAINNET, KEY, SECRET, transport=mock) as api:
        result = api.rest(CancelOrder, CANCEL).get_result()
    assert result is not None
    assert result.get_order_id() == "1"
    (sent,) = mock.requests
    assert (sent.method, sent.url) == ("POST", "https://api.bybit.com/v5/order/cancel")
    assert sent.body == b'{"category":"linear","symbol":"BTCUSDT","orderId":"1"}'


def test_an_async_client_of_mainnet_sends_a_v3_cancel_to_the_v5_route() -> None:
    mock = AsyncMockTransport(lambda request: OK)

    async def scenario() -> None:
        async with AsyncBybitAPI(Hosts.MAINNET, KEY, SECRET, transport=mock) as api:
            await api.rest(CancelOrder, CANCEL)

    asyncio.run(scenario())
    (sent,) = mock.requests
    assert (sent.method, sent.url) == ("POST", "https://api.bybit.com/v5/order/cancel")


def test_a_client_of_mainnet_told_not_to_bridge_sends_v3() -> None:
    mock = MockTransport(lambda request: OK)
    with BybitAPI(Hosts.MAINNET, KEY, SECRET, transport=mock, v3_over_v5=False) as api:
        api.rest(CancelOrder, CANCEL)
    assert [r.url for r in mock.requests] == ["https://api.bybit.com/contract/v3/private/order/cancel"]


def test_a_client_of_a_sandbox_sends_v3_and_v5_endpoints_as_written() -> None:
    codes = []
    with SandboxExchange(api_keys={KEY: SECRET}) as exchange, BybitAPI(exchange.url, KEY, SECRET) as api:
        for request in (CANCEL, CancelOrderRequest().set_symbol("BTCUSDT").set_order_link_id("x")):
            with pytest.raises(OrderNotFoundException) as v3:
                api.rest(CancelOrder, request)
            codes.append(v3.value.ret_code)
        with pytest.raises(OrderNotFoundException) as v5:
            api.rest(
                V5CancelOrder,
                V5CancelOrderRequest().set_category("linear").set_symbol("BTCUSDT").set_order_id("1"),
            )
        codes.append(v5.value.ret_code)
        paths = [r.path for r in exchange.requests()]
    assert paths == ["/contract/v3/private/order/cancel"] * 2 + ["/v5/order/cancel"]
    assert codes == [140001, 140001, 110001]


def test_v5_endpoints_are_untouched_on_a_bridging_client() -> None:
    seen: list[WireRequest] = []

    def answer(request: WireRequest) -> WireResponse:
        seen.append(request)
        return OK

    with BybitAPI(Hosts.MAINNET, KEY, SECRET, transport=MockTransport(answer)) as api:
        request = V5CancelOrderRequest().set_category("inverse").set_symbol("BTCUSD").set_order_link_id("a")
        api.rest(V5CancelOrder, request)
    assert [r.body for r in seen] == [b'{"category":"inverse","symbol":"BTCUSD","orderLinkId":"a"}']
