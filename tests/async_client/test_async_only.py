"""What only an asyncio client has to show: cancellation, a free event loop while waiting, many
concurrent tasks on one client, the aiohttp transport's wire behaviour, canned async answers."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

import pytest

from carpenstar_bybit import (
    AsyncBybitAPI,
    AsyncMockTransport,
    ConnectionFailedException,
    RateLimiter,
    RetryPolicy,
    SDKException,
    TimeoutException,
    WireRequest,
    WireResponse,
)
from carpenstar_bybit.core.aiohttp_transport import AiohttpTransport
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope

CANCEL = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
OPEN_ORDERS = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")


def test_a_cancelled_task_is_not_resent_and_leaves_no_half_read_connection(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1"}), delay=2.0), Reply(envelope({"orderId": "o-1"})))

    async def scenario() -> None:
        async with AsyncBybitAPI(server.url, API_KEY, SECRET, retry=RetryPolicy(backoff=0.01)) as api:
            task = asyncio.create_task(api.rest(CancelOrder, CANCEL))
            while not server.requests:
                await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.sleep(0.3)  # a resend, had there been one, would have gone by now
            assert len(server.requests) == 1
            result = (await api.rest(CancelOrder, CANCEL)).get_result()
            assert result is not None
            assert result.get_order_id() == "o-1"

    asyncio.run(scenario())
    first, second = server.requests
    assert first.connection_id != second.connection_id  # the half-read connection was not reused


def test_a_rate_limit_wait_does_not_block_the_event_loop(server: RecordingServer) -> None:
    reset_in = 0.5

    def limited(_: object) -> Reply:
        reset = int(time.time() * 1000 + reset_in * 1000)
        headers = {
            "X-Bapi-Limit": "1",
            "X-Bapi-Limit-Status": "0",
            "X-Bapi-Limit-Reset-Timestamp": str(reset),
        }
        return Reply(
            envelope(code=10006, msg="Too many visits!", time=int(time.time() * 1000)), headers=headers
        )

    server.reply(limited, Reply(envelope({"orderId": "o-1"})))
    ticks = 0

    async def heartbeat(stop: asyncio.Event) -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    async def scenario() -> None:
        async with AsyncBybitAPI(server.url, API_KEY, SECRET) as api:
            stop = asyncio.Event()
            beat = asyncio.create_task(heartbeat(stop))
            await api.rest(CancelOrder, CANCEL)
            stop.set()
            await beat

    asyncio.run(scenario())
    assert len(server.requests) == 2
    assert ticks >= 10  # the loop ran other tasks during the ~0.5 s wait (a blocking sleep gives 1)


def test_a_shared_rate_limiter_spaces_concurrent_tasks(server: RecordingServer) -> None:
    server.default = Reply(envelope({"orderId": "o-1"}))
    limiter = RateLimiter(per_second=20, burst=1)

    async def scenario() -> None:
        async with AsyncBybitAPI(server.url, API_KEY, SECRET, rate_limiter=limiter) as api:
            await asyncio.gather(*(api.rest(CancelOrder, CANCEL) for _ in range(6)))

    asyncio.run(scenario())
    stamps = sorted(r.received_ms for r in server.requests)
    assert len(stamps) == 6
    assert stamps[-1] - stamps[0] >= 5 * 50 - 20  # 20 per second, one at a time: 250 ms at least


def test_256_concurrent_tasks_on_one_client_against_the_sandbox() -> None:
    key, secret = "concurrency-key-0001", "concurrency-secret-0123456789abcdef"
    with SandboxExchange(api_keys={key: secret}, rate_limit=1_000_000) as ex:

        async def scenario() -> list[str]:
            transport = AiohttpTransport(limit=256)
            async with AsyncBybitAPI(ex.url, key, secret, transport=transport, timeout=(10, 30)) as api:
                requests = [
                    PlaceOrderRequest()
                    .set_category("linear")
                    .set_symbol("BTCUSDT")
                    .set_side("Buy")
                    .set_order_type("Limit")
                    .set_qty("0.01")
                    .set_price(str(20000 + i))
                    .set_order_link_id(f"many-{i:03d}")
                    for i in range(256)
                ]
                answers = await asyncio.gather(*(api.rest(PlaceOrder, r) for r in requests))
                open_after = ex.open_connections()
                assert open_after > 64, open_after  # many connections at once, kept alive in the pool
                return [a.get_result().get_order_link_id() for a in answers]  # type: ignore[union-attr]

        links = asyncio.run(scenario())
        assert links == [f"many-{i:03d}" for i in range(256)]
        assert sorted(o.order_link_id for o in ex.orders()) == links
        assert ex.internal_errors() == []


def test_an_async_mock_transport_answers_through_the_same_rules() -> None:
    answers = [
        WireResponse(502, {}, b"<h1>502</h1>"),
        WireResponse.json({"retCode": 0, "result": {"list": []}}),
    ]

    async def handler(request: WireRequest) -> WireResponse:
        await asyncio.sleep(0)
        return answers.pop(0)

    mock = AsyncMockTransport(handler)

    async def scenario() -> int:
        api = AsyncBybitAPI("https://api.bybit.com", "mock-key-0001", "mock-secret-0001", transport=mock)
        return len((await api.rest(GetOpenOrders, OPEN_ORDERS)).get_body())

    assert asyncio.run(scenario()) == 0
    assert [r.path for r in mock.requests] == ["/v5/order/realtime"] * 2


def test_a_refused_connection_is_a_connection_failure() -> None:
    async def scenario() -> None:
        async with AsyncBybitAPI(
            "http://127.0.0.1:9", API_KEY, SECRET, retry=RetryPolicy(max_attempts=1)
        ) as api:
            await api.rest(CancelOrder, CANCEL)

    with pytest.raises(ConnectionFailedException, match="could not connect"):
        asyncio.run(scenario())


def test_a_read_timeout_is_a_timeout_with_unknown_outcome(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1"}), delay=2.0))

    async def scenario() -> None:
        async with AsyncBybitAPI(
            server.url, API_KEY, SECRET, timeout=(2, 0.3), retry=RetryPolicy(max_attempts=1)
        ) as api:
            await api.rest(CancelOrder, CANCEL)

    with pytest.raises(TimeoutException, match=r"no answer within the read timeout of 0\.3s"):
        asyncio.run(scenario())


def test_the_async_client_sends_the_same_bytes_as_the_sync_one(server: RecordingServer) -> None:
    from carpenstar_bybit import BybitAPI

    server.default = Reply(envelope({"orderId": "o-1"}))
    BybitAPI(server.url, API_KEY, SECRET).rest(CancelOrder, CANCEL)

    async def scenario() -> None:
        async with AsyncBybitAPI(server.url, API_KEY, SECRET) as api:
            await api.rest(CancelOrder, CANCEL)

    asyncio.run(scenario())
    sync, async_ = server.requests
    assert (sync.method, sync.target, sync.body) == (async_.method, async_.target, async_.body)
    assert async_.body == b'{"symbol":"BTCUSDT","orderId":"o-1"}'
    assert async_.headers["X-BAPI-SIGN"] == async_.expected_signature(SECRET)
    signed = {"X-BAPI-API-KEY", "X-BAPI-RECV-WINDOW", "X-BAPI-SIGN-TYPE", "Content-Type"}
    assert {k: sync.headers[k] for k in signed} == {k: async_.headers[k] for k in signed}
    assert async_.headers["Accept-Encoding"] == "gzip, deflate"


def test_private_endpoint_without_credentials_is_refused_before_io() -> None:
    api = AsyncBybitAPI("https://api.bybit.com")
    with pytest.raises(SDKException, match="needs host, api_key and secret"):
        api.private_endpoint(CancelOrder, CANCEL)
    with pytest.raises(SDKException, match="is a private endpoint: use private_endpoint"):
        api.public_endpoint(CancelOrder, CANCEL)  # type: ignore[arg-type]
    with pytest.raises(SDKException, match="takes a CancelOrderRequest"):
        asyncio.run(api.rest(CancelOrder, OPEN_ORDERS))  # type: ignore[arg-type]


@pytest.fixture
def sandbox() -> Iterator[SandboxExchange]:
    with SandboxExchange(api_keys={API_KEY: SECRET}) as ex:
        yield ex
