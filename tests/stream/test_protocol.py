"""``StreamProtocol`` frame by frame: exact frames out, every acknowledgement shape in, pings and dead
connections on a virtual clock, limits, and what a reconnect does."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from carpenstar_bybit import AuthenticationException, SDKException
from carpenstar_bybit.v5.stream import (
    OrderEvent,
    ReconnectedEvent,
    StreamAuthenticationException,
    StreamProtocol,
    StreamSettings,
    SubscriptionRejectedException,
    TopicResult,
)
from carpenstar_bybit.v5.stream._auth import StreamCredentials
from tests.stream.helpers import KEY, SECRET, WALL_MS, answer, feed, payload, private, public, sent


def test_a_public_stream_subscribes_on_connect_with_req_ids() -> None:
    protocol = StreamProtocol(category="linear")
    assert protocol.subscribe(
        ["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT", "orderbook.50.BTCUSDT"], 0.0
    ) == [
        "orderbook.50.BTCUSDT",
        "publicTrade.BTCUSDT",
    ]
    assert protocol.data_to_send() == []  # not connected: nothing to send yet
    protocol.connection_made(0.0)
    assert protocol.data_to_send() == [
        '{"req_id": "1", "op": "subscribe", "args": ["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"]}'
    ]
    assert not protocol.ready
    protocol.receive('{"success":true,"ret_msg":"","conn_id":"c","req_id":"1","op":"subscribe"}', 0.0)
    assert protocol.results() == [
        TopicResult("orderbook.50.BTCUSDT", "subscribe", None),
        TopicResult("publicTrade.BTCUSDT", "subscribe", None),
    ]
    assert protocol.ready
    assert protocol.subscribe(["tickers.BTCUSDT"], 1.0) == ["tickers.BTCUSDT"]
    assert protocol.data_to_send() == ['{"req_id": "2", "op": "subscribe", "args": ["tickers.BTCUSDT"]}']
    assert protocol.unsubscribe(["publicTrade.BTCUSDT", "kline.5.BTCUSDT"], 1.0) == ["publicTrade.BTCUSDT"]
    assert protocol.data_to_send() == [
        '{"req_id": "3", "op": "unsubscribe", "args": ["publicTrade.BTCUSDT"]}'
    ]
    assert protocol.topics == ("orderbook.50.BTCUSDT", "tickers.BTCUSDT")


def test_the_private_stream_authenticates_first_with_the_documented_signature() -> None:
    protocol = StreamProtocol(
        credentials=StreamCredentials(KEY, SECRET),
        settings=StreamSettings(auth_expiry=5),
        wall_ms=lambda: WALL_MS,
    )
    protocol.subscribe(["order", "execution"], 0.0)
    protocol.connection_made(0.0)
    [auth] = sent(protocol)
    expires = WALL_MS + 5000
    signature = hmac.new(SECRET.encode(), f"GET/realtime{expires}".encode(), hashlib.sha256).hexdigest()
    assert auth == {"req_id": "1", "op": "auth", "args": [KEY, expires, signature]}
    assert not protocol.commandable
    protocol.subscribe(["wallet"], 0.0)
    assert protocol.data_to_send() == []  # subscriptions wait for the auth
    protocol.receive('{"success":true,"ret_msg":"","op":"auth","conn_id":"cejreaspqfh3sjdnldmg-p"}', 0.0)
    assert sent(protocol) == [{"req_id": "2", "op": "subscribe", "args": ["order", "execution", "wallet"]}]


def test_a_refused_auth_is_fatal_and_typed() -> None:
    protocol = StreamProtocol(credentials=StreamCredentials(KEY, SECRET), wall_ms=lambda: WALL_MS)
    protocol.connection_made(0.0)
    sent(protocol)
    protocol.receive(
        json.dumps({"success": False, "ret_msg": f"Invalid sign for {KEY}", "op": "auth", "conn_id": "c"}),
        0.0,
    )
    assert isinstance(protocol.fatal, StreamAuthenticationException)
    assert isinstance(protocol.fatal, AuthenticationException)
    assert protocol.dead == "auth refused"
    assert KEY not in str(protocol.fatal)
    assert "Invalid sign for <redacted>" in str(protocol.fatal)


def test_the_trade_stream_auth_answer_shape_counts_too() -> None:
    protocol = StreamProtocol(credentials=StreamCredentials(KEY, SECRET), wall_ms=lambda: WALL_MS)
    protocol.connection_made(0.0)
    sent(protocol)
    protocol.receive('{"retCode":10004,"retMsg":"invalid sign","op":"auth","connId":"x"}', 0.0)
    assert isinstance(protocol.fatal, StreamAuthenticationException)
    assert protocol.fatal.ret_code == 10004


def test_answers_without_req_id_match_the_oldest_request_of_their_op() -> None:
    protocol = StreamProtocol(credentials=StreamCredentials(KEY, SECRET), wall_ms=lambda: WALL_MS)
    protocol.subscribe(["order"], 0.0)
    protocol.connection_made(0.0)
    sent(protocol)
    protocol.receive('{"success":true,"ret_msg":"","op":"auth","conn_id":"c"}', 0.0)
    sent(protocol)
    protocol.subscribe(["wallet"], 0.0)
    sent(protocol)
    protocol.receive('{"success":true,"ret_msg":"","op":"subscribe","conn_id":"c"}', 0.0)
    assert protocol.results() == [TopicResult("order", "subscribe", None)]
    protocol.receive('{"success":true,"ret_msg":"","op":"subscribe","conn_id":"c"}', 0.0)
    assert protocol.results() == [TopicResult("wallet", "subscribe", None)]


def test_a_refusal_refuses_the_topics_it_names_and_asks_again_for_the_others() -> None:
    protocol = public()
    protocol.subscribe(["orderbook.50.BTCUSDT", "orderbook.50.NOPEUSDT", "publicTrade.BTCUSDT"], 0.0)
    [request] = sent(protocol)
    reply = {
        "success": False,
        "ret_msg": "error:handler not found,topic:orderbook.50.NOPEUSDT",
        "conn_id": "c",
        "req_id": request["req_id"],
        "op": "subscribe",
    }
    protocol.receive(json.dumps(reply), 0.0)
    [result] = protocol.results()
    assert result.topic == "orderbook.50.NOPEUSDT"
    assert isinstance(result.error, SubscriptionRejectedException)
    assert result.error.topics == ("orderbook.50.NOPEUSDT",)
    assert result.error.op == "subscribe"
    assert result.error.ret_msg == "error:handler not found,topic:orderbook.50.NOPEUSDT"
    assert "subscribe refused for orderbook.50.NOPEUSDT" in str(result.error)
    assert protocol.topics == ("orderbook.50.BTCUSDT", "publicTrade.BTCUSDT")
    [again] = sent(protocol)
    assert again["args"] == ["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"]
    answer(protocol, [again])
    assert [r.topic for r in protocol.results()] == ["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"]


def test_a_refusal_that_names_no_topic_refuses_the_whole_request() -> None:
    protocol = public()
    protocol.subscribe(["publicTrade.BTCUSDT", "tickers.BTCUSDT"], 0.0)
    [request] = sent(protocol)
    protocol.receive(
        json.dumps(
            {"success": False, "ret_msg": "Params Error", "req_id": request["req_id"], "op": "subscribe"}
        ),
        0.0,
    )
    results = protocol.results()
    assert [r.topic for r in results] == ["publicTrade.BTCUSDT", "tickers.BTCUSDT"]
    assert all(
        r.error is not None and r.error.topics == ("publicTrade.BTCUSDT", "tickers.BTCUSDT") for r in results
    )
    assert protocol.topics == ()
    assert protocol.data_to_send() == []


def test_option_command_responses() -> None:
    protocol = public(category="option")
    protocol.subscribe(["orderbook.25.BTC-6JAN23-18000-C", "orderbook.25.BTC-NOPE-C"], 0.0)
    sent(protocol)
    reply = {
        "success": True,
        "conn_id": "aa01",
        "data": {
            "failTopics": ["orderbook.25.BTC-NOPE-C"],
            "successTopics": ["orderbook.25.BTC-6JAN23-18000-C"],
        },
        "type": "COMMAND_RESP",
    }
    protocol.receive(json.dumps(reply), 0.0)
    ok, refused = protocol.results()
    assert ok == TopicResult("orderbook.25.BTC-6JAN23-18000-C", "subscribe", None)
    assert refused.topic == "orderbook.25.BTC-NOPE-C"
    assert refused.error is not None
    assert protocol.is_active("orderbook.25.BTC-6JAN23-18000-C")


def test_spot_requests_carry_ten_topics_and_options_at_most_2000_per_connection() -> None:
    spot = StreamProtocol(category="spot")
    spot.subscribe([f"publicTrade.C{i}USDT" for i in range(25)], 0.0)
    spot.connection_made(0.0)
    assert [len(f["args"]) for f in sent(spot)] == [10, 10, 5]
    option = StreamProtocol(category="option")
    option.subscribe([f"tickers.BTC-{i}-C" for i in range(2000)], 0.0)
    with pytest.raises(SDKException, match="at most 2000 topics per connection, this would make 2001"):
        option.subscribe(["tickers.ETH-1-C"], 0.0)
    assert len(option.topics) == 2000


def test_bad_topics_are_refused_before_anything_changes() -> None:
    protocol = public("publicTrade.BTCUSDT")
    with pytest.raises(SDKException, match="depth"):
        protocol.subscribe(["tickers.ETHUSDT", "orderbook.3.BTCUSDT"], 0.0)
    assert protocol.topics == ("publicTrade.BTCUSDT",)
    assert protocol.data_to_send() == []
    with pytest.raises(SDKException, match="at least one topic"):
        protocol.subscribe([], 0.0)


def test_a_ping_every_interval_and_a_dead_connection_when_the_pong_does_not_come() -> None:
    protocol = public("publicTrade.BTCUSDT", settings=StreamSettings(ping_interval=20, pong_timeout=10))
    assert protocol.next_deadline() == 20.0
    protocol.tick(19.9)
    assert protocol.data_to_send() == []
    protocol.tick(20.0)
    assert sent(protocol) == [{"req_id": "2", "op": "ping"}]
    assert protocol.next_deadline() == 30.0
    protocol.receive('{"success":true,"ret_msg":"pong","conn_id":"c","req_id":"2","op":"ping"}', 21.0)
    assert protocol.next_deadline() == 40.0
    protocol.tick(40.0)
    assert sent(protocol) == [{"req_id": "3", "op": "ping"}]
    protocol.tick(49.9)
    assert protocol.dead is None
    protocol.tick(50.0)
    assert protocol.dead == "no pong within 10 s"


@pytest.mark.parametrize(
    "pong",
    [
        '{"req_id":"test","op":"pong","args":["1675418560633"],"conn_id":"cfcb4ocsvfriu23r3er0-1b"}',
        '{"args":["1672916271846"],"op":"pong"}',
        '{"success":true,"ret_msg":"pong","conn_id":"0970e817","op":"ping"}',
    ],
)
def test_every_documented_pong_shape_counts(pong: str) -> None:
    protocol = public()
    protocol.tick(20.0)
    protocol.data_to_send()
    protocol.receive(pong, 21.0)
    protocol.tick(35.0)
    assert protocol.dead is None


def test_a_request_without_an_answer_makes_the_connection_dead() -> None:
    protocol = public(settings=StreamSettings(ack_timeout=5))
    protocol.subscribe(["publicTrade.BTCUSDT"], 100.0)
    assert protocol.next_deadline() == 20.0  # the ping comes first
    protocol.tick(104.9)
    assert protocol.dead is None
    protocol.tick(105.0)
    assert protocol.dead == "no answer to subscribe within 5 s"


def test_while_the_consumer_holds_the_reader_the_exchange_is_not_judged() -> None:
    protocol = public("publicTrade.BTCUSDT", settings=StreamSettings(ping_interval=20, pong_timeout=10))
    protocol.tick(20.0)
    protocol.data_to_send()
    protocol.hold(25.0)
    assert protocol.next_deadline() is None
    protocol.tick(60.0)
    assert protocol.dead is None
    protocol.release(65.0)  # 40 s held: the pong is now due at 70
    assert protocol.next_deadline() == 70.0
    protocol.tick(69.0)
    assert protocol.dead is None
    protocol.tick(70.0)
    assert protocol.dead == "no pong within 10 s"


def test_a_reconnect_resubscribes_and_then_says_so_before_any_new_data() -> None:
    clock = [WALL_MS]
    protocol = StreamProtocol(credentials=StreamCredentials(KEY, SECRET), wall_ms=lambda: clock[0])
    protocol.subscribe(["order", "wallet", "execution.linear"], 0.0)
    protocol.connection_made(0.0)
    answer(protocol, sent(protocol))
    answer(protocol, sent(protocol))
    assert protocol.ready
    protocol.results()
    [first] = feed(protocol, payload("order"))
    assert isinstance(first, OrderEvent)

    clock[0] += 1000
    protocol.connection_lost("closed by the exchange (code 1006)", 10.0)
    assert not protocol.connected
    protocol.connection_made(11.0)  # attempt 1 fails before the auth is answered
    protocol.connection_lost("connection failed", 11.5)
    clock[0] += 2000
    protocol.connection_made(12.0)
    [auth] = sent(protocol)
    assert auth["op"] == "auth"
    answer(protocol, [auth])
    requests = sent(protocol)
    assert [f["args"] for f in requests] == [["order", "wallet"], ["execution.linear"]]
    answer(protocol, requests[:1])
    # data of the new connection before every topic is back waits behind the notice
    assert feed(protocol, payload("order")) == []
    answer(protocol, requests[1:])
    notice, held = protocol.events()
    assert isinstance(notice, ReconnectedEvent)
    assert isinstance(held, OrderEvent)
    assert notice.get_reason() == "closed by the exchange (code 1006)"
    assert notice.get_attempts() == 2
    assert notice.get_topics() == ("order", "wallet", "execution.linear")
    assert notice.get_disconnected_at().timestamp() * 1000 == WALL_MS + 1000
    assert notice.get_reconnected_at().timestamp() * 1000 == WALL_MS + 3000
    assert notice.may_have_missed_events()
    # a caller still waiting for a topic (subscribed while the connection was down) learns it is back
    assert [r.topic for r in protocol.results()] == ["order", "wallet", "execution.linear"]


def test_a_topic_refused_on_resubscribe_is_reported() -> None:
    protocol = public("publicTrade.BTCUSDT", "tickers.BTCUSDT")
    protocol.connection_lost("closed", 5.0)
    protocol.connection_made(6.0)
    [request] = sent(protocol)
    reply = {
        "success": False,
        "ret_msg": "error:handler not found,topic:tickers.BTCUSDT",
        "req_id": request["req_id"],
        "op": "subscribe",
    }
    protocol.receive(json.dumps(reply), 6.0)
    [result] = protocol.results()
    assert result.error is not None
    assert result.error.topics == ("tickers.BTCUSDT",)
    answer(protocol, sent(protocol))
    [notice] = protocol.events()
    assert notice.get_topics() == ("publicTrade.BTCUSDT",)


def test_the_first_connection_gives_no_reconnected_event() -> None:
    protocol = public("publicTrade.BTCUSDT")
    assert protocol.events() == []
    fresh = StreamProtocol(category="linear")
    fresh.subscribe(["publicTrade.BTCUSDT"], 0.0)
    fresh.connection_made(0.0)
    fresh.connection_lost("failed before ready", 1.0)
    fresh.connection_made(2.0)
    answer(fresh, sent(fresh))
    assert fresh.events() == []


def test_frames_that_are_not_messages_are_ignored() -> None:
    protocol = public("publicTrade.BTCUSDT")
    for frame in (
        "not json",
        "[1, 2]",
        '{"op": "welcome"}',
        b"\xff\xfe",
        '{"topic": "publicTrade.ETHUSDT", "data": []}',
    ):
        protocol.receive(frame, 0.0)
    assert protocol.events() == []
    assert protocol.dead is None


def test_settings_are_checked() -> None:
    with pytest.raises(SDKException, match="pong_timeout must be a positive number of seconds"):
        StreamSettings(pong_timeout=0)
    with pytest.raises(SDKException, match=r"public \(a category\) or private"):
        StreamProtocol()
    with pytest.raises(SDKException, match="api_key must be a non-empty string"):
        StreamCredentials("", SECRET)


def test_credentials_never_show() -> None:
    credentials = StreamCredentials(KEY, SECRET)
    protocol = private("order")
    for text in (repr(credentials), str(credentials), repr(protocol.redactor)):
        assert KEY not in text
        assert SECRET not in text


def test_an_rsa_key_signs_auth_with_rsa_sha256() -> None:
    import base64

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    credentials = StreamCredentials(KEY, private_key=pem)
    key, expires, signature = credentials.auth_args(WALL_MS)
    assert (key, expires) == (KEY, WALL_MS)
    private.public_key().verify(
        base64.b64decode(signature), f"GET/realtime{WALL_MS}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    assert "PRIVATE KEY" not in repr(credentials)
    with pytest.raises(SDKException, match="one of them"):
        StreamCredentials(KEY, SECRET, private_key=pem)


def test_a_rest_clients_credentials_serve_the_stream() -> None:
    from carpenstar_bybit import BybitAPI

    api = BybitAPI("https://api-testnet.bybit.com", KEY, SECRET)
    credentials = StreamCredentials.of(api.context.credentials)  # type: ignore[arg-type]
    assert credentials.auth_args(WALL_MS) == StreamCredentials(KEY, SECRET).auth_args(WALL_MS)
    with pytest.raises(SDKException, match="no API key"):
        StreamCredentials.of(BybitAPI("https://api-testnet.bybit.com").context.credentials)  # type: ignore[arg-type]
