"""The sandbox's streams on the wire, with a plain WebSocket client and signatures made here with
``hmac`` (not the SDK's signer): Bybit's answers in each connection's shape, ``auth``'s rules, the
topic limits, faults, and a server that no frame can bring down."""

from __future__ import annotations

import hashlib
import hmac
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from carpenstar_bybit import NO_RETRY, BybitAPI
from carpenstar_bybit.sandbox import SandboxExchange, StreamConnection
from carpenstar_bybit.sandbox._ws_faults import WsFaultInjector
from tests.stream.conftest import WAIT
from tests.stream.sandboxing import Clock, Raw, place
from tests.stream.server import API_KEY, SECRET

OPTION = "BTC-29DEC23-30000-C"


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def exchange(clock: Clock) -> Iterator[SandboxExchange]:
    with SandboxExchange(
        api_keys={API_KEY: SECRET}, clock=clock, mark_prices={OPTION: "1000"}, streams=True
    ) as ex:
        yield ex
        assert ex.internal_errors() == []


@pytest.fixture
def connect(exchange: SandboxExchange) -> Iterator[Any]:
    opened: list[Raw] = []

    def open_(path: str) -> Raw:
        raw = Raw(exchange.ws_url + path)
        opened.append(raw)
        return raw

    yield open_
    for raw in opened:
        raw.close()


def auth_args(expires: int, *, key: str = API_KEY, secret: str = SECRET) -> list[Any]:
    signature = hmac.new(secret.encode(), f"GET/realtime{expires}".encode(), hashlib.sha256).hexdigest()
    return [key, expires, signature]


def authenticated(connect: Any, clock: Clock) -> Raw:
    raw: Raw = connect("/v5/private")
    assert raw.ask({"op": "auth", "args": auth_args(clock() + 5000)})["success"] is True
    return raw


# --- pings --------------------------------------------------------------------------------------


def test_pongs_come_in_the_shape_of_each_connection(connect: Any, clock: Clock) -> None:
    linear = connect("/v5/public/linear").ask({"req_id": "p1", "op": "ping"})
    assert linear == {
        "success": True,
        "ret_msg": "pong",
        "conn_id": linear["conn_id"],
        "req_id": "p1",
        "op": "ping",
    }
    spot = connect("/v5/public/spot").ask({"op": "ping"})
    assert spot == {"success": True, "ret_msg": "pong", "conn_id": spot["conn_id"], "op": "ping"}
    assert connect("/v5/public/option").ask({"op": "ping"}) == {"args": [str(clock())], "op": "pong"}
    private = connect("/v5/private").ask({"req_id": "p2", "op": "ping"})
    assert private == {"req_id": "p2", "op": "pong", "args": [str(clock())], "conn_id": private["conn_id"]}
    assert len({linear["conn_id"], spot["conn_id"], private["conn_id"]}) == 3


# --- auth ---------------------------------------------------------------------------------------


def test_auth_is_accepted_with_the_key_s_signature_of_get_realtime_expires(
    connect: Any, clock: Clock
) -> None:
    raw = connect("/v5/private")
    answer = raw.ask({"req_id": "a1", "op": "auth", "args": auth_args(clock() + 1000)})
    assert answer == {
        "success": True,
        "ret_msg": "",
        "conn_id": answer["conn_id"],
        "req_id": "a1",
        "op": "auth",
    }


@pytest.mark.parametrize(
    ("args", "ret_msg"),
    [
        (lambda now: auth_args(now + 5000, secret="not-the-secret"), "Request not authorized"),
        (lambda now: auth_args(now + 5000, key="unknown-key"), "Request not authorized"),
        (lambda now: [*auth_args(now + 5000)[:2], "00" * 32], "Request not authorized"),
        (lambda now: auth_args(now), "Params Error"),  # expired: not after the exchange's clock
        (lambda now: auth_args(now - 1), "Params Error"),
        (lambda now: auth_args(now + 3_600_001), "Params Error"),  # too far ahead
        (lambda now: auth_args(now + 5000)[:2], "Params Error"),
        (lambda now: [API_KEY, True, "x"], "Params Error"),
        (lambda now: [API_KEY, "soon", "x"], "Params Error"),
        (lambda now: "not a list", "Params Error"),
    ],
    ids=[
        "wrong secret",
        "unknown key",
        "wrong signature",
        "expired",
        "past",
        "too far",
        "two args",
        "bool expires",
        "text expires",
        "no list",
    ],
)
def test_auth_is_refused_as_bybit_refuses_it(connect: Any, clock: Clock, args: Any, ret_msg: str) -> None:
    raw = connect("/v5/private")
    answer = raw.ask({"op": "auth", "args": args(clock())})
    assert answer == {"success": False, "ret_msg": ret_msg, "conn_id": answer["conn_id"], "op": "auth"}
    refused = raw.ask({"op": "subscribe", "args": ["order"], "req_id": "s"})  # still not authenticated
    assert (refused["success"], refused["ret_msg"]) == (False, "Request not authorized")


def test_expires_may_come_as_digits(connect: Any, clock: Clock) -> None:
    expires = clock() + 5000
    key, _, signature = auth_args(expires)
    assert (
        connect("/v5/private").ask({"op": "auth", "args": [key, str(expires), signature]})["success"] is True
    )


def test_auth_has_no_place_on_a_public_connection(connect: Any, clock: Clock) -> None:
    answer = connect("/v5/public/linear").ask({"op": "auth", "args": auth_args(clock() + 5000)})
    assert (answer["success"], answer["ret_msg"], answer["op"]) == (False, "error:invalid op", "auth")


# --- subscriptions ------------------------------------------------------------------------------


def test_a_subscription_is_acknowledged_with_its_req_id_then_the_snapshot_follows(connect: Any) -> None:
    raw = connect("/v5/public/linear")
    ack = raw.ask({"req_id": "s1", "op": "subscribe", "args": ["orderbook.50.BTCUSDT"]})
    assert ack == {
        "success": True,
        "ret_msg": "",
        "conn_id": ack["conn_id"],
        "req_id": "s1",
        "op": "subscribe",
    }
    snapshot = raw.recv()
    assert (snapshot["topic"], snapshot["type"]) == ("orderbook.50.BTCUSDT", "snapshot")
    assert set(snapshot["data"]) == {"s", "b", "a", "u", "seq"}
    assert (len(snapshot["data"]["b"]), len(snapshot["data"]["a"])) == (50, 50)
    spot = connect("/v5/public/spot").ask({"req_id": "s2", "op": "subscribe", "args": ["tickers.BTCUSDT"]})
    assert (spot["ret_msg"], spot["req_id"]) == ("subscribe", "s2")
    unsubscribed = raw.ask({"req_id": "u1", "op": "unsubscribe", "args": ["orderbook.50.BTCUSDT"]})
    assert (unsubscribed["success"], unsubscribed["op"], unsubscribed["req_id"]) == (
        True,
        "unsubscribe",
        "u1",
    )


@pytest.mark.parametrize(
    ("path", "args", "ret_msg"),
    [
        (
            "/v5/public/linear",
            ["orderbook.7.BTCUSDT", "tickers.BTCUSDT"],
            "error:handler not found,topic:orderbook.7.BTCUSDT",
        ),
        (
            "/v5/public/linear",
            ["tickers.BTCUSDT", "tickers.BTCUSD"],
            "error:handler not found,topic:tickers.BTCUSD",
        ),
        ("/v5/public/linear", ["kline.2.BTCUSDT"], "error:handler not found,topic:kline.2.BTCUSDT"),
        ("/v5/public/linear", ["order"], "error:handler not found,topic:order"),
        ("/v5/public/spot", ["tickers.BTCUSDT"] * 11, "args size >10"),
        ("/v5/public/linear", ["tickers." + "A" * 21_000], "args length >21000"),
    ],
    ids=["depth", "unlisted symbol", "interval", "private topic", "spot args", "args length"],
)
def test_a_refused_request_names_why_and_subscribes_none_of_its_topics(
    connect: Any, path: str, args: list[str], ret_msg: str
) -> None:
    raw = connect(path)
    answer = raw.ask({"req_id": "r", "op": "subscribe", "args": args})
    assert (answer["success"], answer["ret_msg"], answer["req_id"], answer["op"]) == (
        False,
        ret_msg,
        "r",
        "subscribe",
    )
    assert raw.ask({"op": "ping"})["ret_msg"] == "pong"  # nothing was subscribed: no data came first


def test_a_topic_subscribed_twice_is_refused(connect: Any) -> None:
    raw = connect("/v5/public/linear")
    assert raw.ask({"op": "subscribe", "args": ["publicTrade.BTCUSDT"]})["success"] is True
    again = raw.ask({"op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
    assert again["ret_msg"] == "error:already subscribed,topic:publicTrade.BTCUSDT"


def test_option_connections_answer_per_topic(connect: Any) -> None:
    raw = connect("/v5/public/option")
    answer = raw.ask(
        {"req_id": "o1", "op": "subscribe", "args": [f"orderbook.25.{OPTION}", "orderbook.25.NOPE"]}
    )
    assert answer["type"] == "COMMAND_RESP"
    assert answer["data"] == {
        "failTopics": ["orderbook.25.NOPE"],
        "successTopics": [f"orderbook.25.{OPTION}"],
    }
    assert answer["success"] is False
    assert raw.recv()["topic"] == f"orderbook.25.{OPTION}"
    trades = raw.ask({"op": "subscribe", "args": ["publicTrade.BTC"]})  # options trade by base coin
    assert trades["data"] == {"failTopics": [], "successTopics": ["publicTrade.BTC"]}


def test_private_topics_need_auth_and_keep_all_in_one_and_categorised_apart(
    connect: Any, clock: Clock, exchange: SandboxExchange
) -> None:
    raw = connect("/v5/private")
    assert raw.ask({"op": "subscribe", "args": ["order"]})["ret_msg"] == "Request not authorized"
    assert raw.ask({"op": "auth", "args": auth_args(clock() + 5000)})["success"] is True
    mixed = raw.ask({"op": "subscribe", "args": ["order", "execution.linear"]})
    assert mixed["ret_msg"] == (
        "error:all-in-one and categorised topics cannot be in the same request,topic:execution.linear"
    )
    assert raw.ask({"op": "subscribe", "args": ["position.spot"]})["ret_msg"] == (
        "error:handler not found,topic:position.spot"
    )
    assert raw.ask({"op": "subscribe", "args": ["order", "wallet"]})["success"] is True
    assert raw.ask({"op": "subscribe", "args": ["execution.linear"]})["success"] is True
    assert exchange.stream_connections() == [
        StreamConnection("/v5/private", API_KEY, ("order", "wallet", "execution.linear"))
    ]


def test_a_private_message_carries_the_topic_as_subscribed(
    connect: Any, clock: Clock, exchange: SandboxExchange
) -> None:
    raw = authenticated(connect, clock)
    raw.ask({"op": "subscribe", "args": ["order.linear"]})
    with BybitAPI(exchange.url, API_KEY, SECRET, retry=NO_RETRY) as api:
        order_id = place(api, price="20000")
    message = raw.recv()
    assert set(message) == {"id", "topic", "creationTime", "data"}
    assert (message["topic"], message["creationTime"]) == ("order.linear", clock())
    [order] = message["data"]
    assert (order["orderId"], order["category"], order["orderStatus"]) == (order_id, "linear", "New")


# --- the market on the wire ---------------------------------------------------------------------


def test_a_linear_ticker_delta_carries_only_what_changed(
    connect: Any, clock: Clock, exchange: SandboxExchange
) -> None:
    raw = connect("/v5/public/linear")
    raw.ask({"op": "subscribe", "args": ["tickers.BTCUSDT"]})
    snapshot = raw.recv_topic("tickers.BTCUSDT")
    assert snapshot["type"] == "snapshot"
    assert "deliveryTime" not in snapshot["data"]  # a perpetual's stream ticker
    exchange.set_mark_price("BTCUSDT", "30010")
    delta = raw.recv_topic("tickers.BTCUSDT")
    assert delta["type"] == "delta"
    assert delta["cs"] == clock() // 100
    changed = {k for k, v in delta["data"].items() if snapshot["data"].get(k) != v}
    assert set(delta["data"]) == changed | {"symbol"}
    assert {"lastPrice", "markPrice", "tickDirection"} <= changed
    assert (delta["data"]["lastPrice"], delta["data"]["tickDirection"]) == ("30010", "PlusTick")


def test_a_dated_future_s_ticker_has_its_delivery_date(connect: Any, exchange: SandboxExchange) -> None:
    future = next(i for i in exchange.instruments("linear") if i.is_future)
    raw = connect("/v5/public/linear")
    raw.ask({"op": "subscribe", "args": [f"tickers.{future.symbol}"]})
    data = raw.recv_topic(f"tickers.{future.symbol}")["data"]
    assert data["deliveryTime"].endswith("T08:00:00Z")
    assert (data["fundingRate"], data["nextFundingTime"]) == ("", "")
    assert "fundingIntervalHour" not in data


def test_a_spot_ticker_is_a_snapshot_of_spot_fields(connect: Any, clock: Clock) -> None:
    raw = connect("/v5/public/spot")
    raw.ask({"op": "subscribe", "args": ["tickers.BTCUSDT", "orderbook.1.BTCUSDT"]})
    ticker = raw.recv_topic("tickers.BTCUSDT")
    assert set(ticker["data"]) == {
        "symbol",
        "lastPrice",
        "highPrice24h",
        "lowPrice24h",
        "prevPrice24h",
        "volume24h",
        "turnover24h",
        "price24hPcnt",
        "usdIndexPrice",
    }
    first = raw.recv_topic("orderbook.1.BTCUSDT")
    clock.advance(100)
    second = raw.recv_topic("orderbook.1.BTCUSDT")  # level 1: snapshots only
    assert (first["type"], second["type"]) == ("snapshot", "snapshot")
    assert second["data"]["u"] == first["data"]["u"] + 1


# --- faults -------------------------------------------------------------------------------------


def test_no_pong_withholds_pongs(connect: Any, exchange: SandboxExchange) -> None:
    raw = connect("/v5/public/linear")
    exchange.ws_faults.inject("no_pong")
    raw.send({"req_id": "1", "op": "ping"})
    assert raw.ask({"req_id": "2", "op": "ping"})["req_id"] == "2"


def test_a_delay_keeps_the_order(connect: Any, exchange: SandboxExchange) -> None:
    raw = connect("/v5/public/linear")
    fault = exchange.ws_faults.inject("delay", seconds=0.05, count=2)
    for n in range(4):
        raw.send({"req_id": str(n), "op": "ping"})
    assert [raw.recv()["req_id"] for _ in range(4)] == ["0", "1", "2", "3"]
    assert fault.remaining == 0


def test_refuse_answers_the_handshake_with_503(exchange: SandboxExchange) -> None:
    exchange.ws_faults.inject("refuse", path="/v5/private")
    with pytest.raises(InvalidStatus) as refused:
        Raw(exchange.ws_url + "/v5/private")
    assert refused.value.response.status_code == 503
    Raw(exchange.ws_url + "/v5/private").close()  # count=1: the next one is served


def test_an_unknown_path_is_404(exchange: SandboxExchange) -> None:
    for path in ("/v5/public/futures", "/realtime", "/v5/trade"):
        with pytest.raises(InvalidStatus) as missing:
            Raw(exchange.ws_url + path)
        assert missing.value.response.status_code == 404


def test_drop_cuts_open_connections_of_its_path_then_new_ones(
    connect: Any, exchange: SandboxExchange
) -> None:
    public = connect("/v5/public/linear")
    private = connect("/v5/private")
    exchange.ws_faults.inject("drop", count=2, path="/v5/private")
    with pytest.raises(ConnectionClosed) as cut:
        private.recv()
    assert cut.value.rcvd is None  # no closing handshake: a network failure
    assert public.ask({"op": "ping"})["ret_msg"] == "pong"  # another path: untouched
    late = connect("/v5/private")  # the second drop waited for a new connection
    with pytest.raises(ConnectionClosed):
        late.recv()
    assert exchange.ws_faults.pending() == []


def test_skip_delta_makes_a_u_gap_on_one_connection(
    connect: Any, clock: Clock, exchange: SandboxExchange
) -> None:
    topic = "orderbook.50.BTCUSDT"
    one, two = connect("/v5/public/linear"), connect("/v5/public/linear")
    for raw in (one, two):
        raw.ask({"op": "subscribe", "args": [topic]})
    start = one.recv_topic(topic)["data"]["u"]
    assert two.recv_topic(topic)["data"]["u"] == start
    exchange.ws_faults.inject("skip_delta", topic=topic)
    clock.advance(200)
    us = [one.recv_topic(topic)["data"]["u"], two.recv_topic(topic)["data"]["u"]]
    assert sorted(us) == [start + 1, start + 2]  # one connection lost a delta, the other did not


def test_fault_options_are_checked() -> None:
    faults = WsFaultInjector()
    for bad in (
        lambda: faults.inject("flood"),
        lambda: faults.inject("drop", count=0),
        lambda: faults.inject("drop", path="/v5/order/create"),
        lambda: faults.inject("drop", seconds=1),
        lambda: faults.inject("delay"),
        lambda: faults.inject("delay", seconds=-1),
        lambda: faults.inject("no_pong", topic="orderbook.1.BTCUSDT"),
        lambda: faults.inject("skip_delta", topic="tickers.BTCUSDT"),
    ):
        with pytest.raises(ValueError):  # noqa: PT011 - each message is checked where it matters
            bad()
    assert faults.pending() == []


# --- nothing brings the server down ---------------------------------------------------------------


def test_frames_of_every_wrong_kind_are_answered_and_never_crash_the_server(connect: Any) -> None:
    raw = connect("/v5/public/linear")
    for frame in (
        "not json",
        b"\xff\xfe\x00",
        "[1, 2]",
        "null",
        '"text"',
        "[" * 50_000,
        json.dumps({"op": 5}),
        json.dumps({"op": "subscribe", "args": "orderbook.1.BTCUSDT"}),
        json.dumps({"op": "subscribe", "args": [1, {"a": 1}, None]}),
        json.dumps({"op": "subscribe", "args": []}),
        json.dumps({"op": "subscribe", "args": [["orderbook.1.BTCUSDT"]], "req_id": {"x": 1}}),
        json.dumps({"op": "unsubscribe", "args": [{"a": 1}]}),
        json.dumps({"op": "ping", "req_id": [1]}),
        json.dumps({"op": "subscribe", "args": ["orderbook.1.", "kline..", ".", "tickers."]}),
    ):
        answer = raw.ask(frame)
        assert answer.get("success") is False or answer.get("ret_msg") == "pong", (frame[:40], answer)
    assert raw.ask({"op": "ping"})["ret_msg"] == "pong"


def test_a_frame_larger_than_allowed_closes_that_connection_only(connect: Any) -> None:
    big = connect("/v5/public/linear")
    big.send(json.dumps({"op": "subscribe", "args": ["x" * 70_000]}))
    with pytest.raises(ConnectionClosed) as closed:
        big.recv()
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009  # message too big
    assert connect("/v5/public/linear").ask({"op": "ping"})["ret_msg"] == "pong"


def test_a_bug_is_recorded_and_closes_its_connection_not_the_server(
    monkeypatch: pytest.MonkeyPatch, clock: Clock
) -> None:
    from carpenstar_bybit.sandbox import _ws, _ws_feeds

    with SandboxExchange(api_keys={API_KEY: SECRET}, clock=clock, streams=True) as exchange:
        url = exchange.ws_url
        # a frame the session cannot handle
        monkeypatch.setattr(_ws.StreamSession, "receive", _raise_on("bug-me", _ws.StreamSession.receive))
        victim, bystander = Raw(url + "/v5/public/linear"), Raw(url + "/v5/public/linear")
        victim.send({"op": "bug-me"})
        with pytest.raises(ConnectionClosed) as closed:
            victim.recv()
        assert closed.value.rcvd is not None
        assert closed.value.rcvd.code == 1011
        assert bystander.ask({"op": "ping"})["ret_msg"] == "pong"
        # a feed that fails
        monkeypatch.setattr(_ws_feeds.TradeFeed, "advance", _always_raise)
        trades = Raw(url + "/v5/public/linear")
        trades.ask({"op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
        clock.advance(1000)
        with pytest.raises(ConnectionClosed):
            trades.recv()
        # a private event that cannot be rendered: the account's connection closes, REST is unharmed
        monkeypatch.setattr(_ws, "private_item", _always_raise)
        private = Raw(url + "/v5/private")
        private.ask({"op": "auth", "args": auth_args(clock() + 5000)})
        private.ask({"op": "subscribe", "args": ["order"]})
        with BybitAPI(exchange.url, API_KEY, SECRET, retry=NO_RETRY) as api:
            place(api, price="20000")
        with pytest.raises(ConnectionClosed):
            private.recv()
        assert bystander.ask({"op": "ping"})["ret_msg"] == "pong"
        errors = exchange.internal_errors()
        assert len(errors) == 3
        assert all("RuntimeError: injected" in e for e in errors)
        for raw in (bystander,):
            raw.close()
        exchange.reset()
        assert exchange.internal_errors() == []


def _always_raise(*args: object, **kwargs: object) -> Any:
    raise RuntimeError("injected")


def _raise_on(op: str, receive: Any) -> Any:
    def patched(self: Any, frame: str | bytes) -> Any:
        if op in str(frame):
            raise RuntimeError("injected")
        return receive(self, frame)

    return patched


# --- lifecycle ----------------------------------------------------------------------------------


def test_streams_start_and_stop_with_the_exchange() -> None:
    exchange = SandboxExchange(streams=True)
    with pytest.raises(RuntimeError, match="not running"):
        _ = exchange.ws_url
    with exchange:
        url = exchange.ws_url
        assert url.startswith("ws://127.0.0.1:")
        assert exchange.port != int(url.rsplit(":", 1)[1])
        raw = Raw(url + "/v5/public/linear")
        assert exchange.stream_connections() == [StreamConnection("/v5/public/linear", None, ())]
    with pytest.raises(ConnectionClosed) as closed:
        raw.recv(WAIT)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1001  # going away
    with pytest.raises(OSError):  # noqa: PT011 - refused: nothing listens any more
        Raw(url + "/v5/public/linear")


def test_streams_can_be_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    with SandboxExchange(streams=False) as exchange:
        with pytest.raises(RuntimeError, match="streams=False"):
            _ = exchange.ws_url
    monkeypatch.setitem(sys.modules, "carpenstar_bybit.sandbox._ws", None)  # as without websockets
    with SandboxExchange() as exchange:
        with pytest.raises(RuntimeError, match="websockets package is not installed"):
            _ = exchange.ws_url
        assert exchange.stream_connections() == []
    with pytest.raises(RuntimeError, match="streams=True"):
        SandboxExchange(streams=True).start()
