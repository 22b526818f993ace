"""Topic names are checked before anything is sent, and split into requests within Bybit's limits."""

from __future__ import annotations

import json

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core.enums import Category, EnumIntervals
from carpenstar_bybit.v5.stream import StreamHosts, topics
from carpenstar_bybit.v5.stream._hosts import private_url, public_url
from carpenstar_bybit.v5.stream._topics import Topic, parse_topic, plan_requests


def test_helpers_build_the_documented_names() -> None:
    assert topics.orderbook("BTCUSDT", 50) == "orderbook.50.BTCUSDT"
    assert topics.orderbook("BTC-6JAN23-18000-C", 25) == "orderbook.25.BTC-6JAN23-18000-C"
    assert topics.public_trade("BTCUSDT") == "publicTrade.BTCUSDT"
    assert topics.tickers("BTCUSDT") == "tickers.BTCUSDT"
    assert topics.kline("BTCUSDT", "5") == "kline.5.BTCUSDT"
    assert topics.kline("BTCUSDT", EnumIntervals.DAY_1) == "kline.D.BTCUSDT"
    assert (topics.ORDER, topics.order(), topics.order("linear"), topics.order(Category.SPOT)) == (
        "order",
        "order",
        "order.linear",
        "order.spot",
    )
    assert topics.execution("option") == "execution.option"
    assert topics.position("inverse") == "position.inverse"
    assert topics.WALLET == "wallet"


@pytest.mark.parametrize(
    ("name", "category", "message"),
    [
        ("orderbook.7.BTCUSDT", "linear", "linear order book depth must be one of 1, 50, 200, 1000"),
        ("orderbook.50.BTCUSDT", "option", "option order book depth must be one of 25, 100"),
        ("orderbook.50", "linear", "expected orderbook.{depth}.{symbol}"),
        ("kline.2.BTCUSDT", "linear", "kline interval must be one of"),
        ("tickers.btcusdt", "linear", "a symbol is upper-case"),
        ("publicTrade.", "spot", "expected publicTrade.{symbol}"),
        ("order", "linear", "a private topic: use PrivateStream"),
        ("liquidation.BTCUSDT", "linear", "unknown public topic 'liquidation.BTCUSDT'"),
        ("orderbook.50.BTCUSDT", None, "a public topic: use PublicStream"),
        ("position.spot", None, "the categories of position are linear, inverse, option"),
        ("wallet.linear", None, "the categories of wallet are none"),
    ],
)
def test_bad_topics_are_refused_with_what_is_wrong(name: str, category: str | None, message: str) -> None:
    with pytest.raises(SDKException) as info:
        parse_topic(name, category=category)
    assert message in str(info.value)


def test_topic_parts() -> None:
    assert parse_topic("orderbook.200.BTCUSDT", category="spot") == Topic(
        "orderbook.200.BTCUSDT", "orderbook", "BTCUSDT", depth=200
    )
    assert parse_topic("kline.D.ETHUSDT", category="inverse") == Topic(
        "kline.D.ETHUSDT", "kline", "ETHUSDT", interval="D"
    )
    assert parse_topic("execution.linear", category=None) == Topic(
        "execution.linear", "execution", category="linear"
    )
    with pytest.raises(SDKException, match="a topic must be a string"):
        parse_topic(50, category="linear")


def test_spot_takes_ten_topics_per_request() -> None:
    names = [parse_topic(f"publicTrade.SYM{i}USDT", category="spot") for i in range(23)]
    groups = plan_requests(names, "spot")
    assert [len(g) for g in groups] == [10, 10, 3]
    assert [t for g in groups for t in g] == [t.name for t in names]


def test_a_request_stays_within_21000_characters_of_args() -> None:
    names = [parse_topic(f"orderbook.50.{'A' * 30}{i:05d}", category="linear") for i in range(1000)]
    groups = plan_requests(names, "linear")
    assert len(groups) > 1
    assert all(len(json.dumps(g)) <= 21_000 for g in groups)
    assert all(len(json.dumps([*g, groups[i + 1][0]])) > 21_000 for i, g in enumerate(groups[:-1]))
    assert [t for g in groups for t in g] == [t.name for t in names]


def test_all_in_one_and_categorised_private_topics_never_share_a_request() -> None:
    names = [parse_topic(n, category=None) for n in ("order", "order.linear", "wallet", "execution.spot")]
    assert plan_requests(names, None) == [["order", "wallet"], ["order.linear", "execution.spot"]]


def test_urls() -> None:
    assert public_url(StreamHosts.MAINNET, "linear") == "wss://stream.bybit.com/v5/public/linear"
    assert (
        public_url(StreamHosts.TESTNET + "/", "option") == "wss://stream-testnet.bybit.com/v5/public/option"
    )
    assert private_url(StreamHosts.DEMO) == "wss://stream-demo.bybit.com/v5/private"
    assert private_url("ws://127.0.0.1:8080") == "ws://127.0.0.1:8080/v5/private"
    with pytest.raises(SDKException, match="category must be one of spot, linear, inverse, option"):
        public_url(StreamHosts.MAINNET, "spread")
    for bad in ("https://api.bybit.com", "wss://stream.bybit.com/v5/private", "stream.bybit.com"):
        with pytest.raises(SDKException, match="WebSocket base URL"):
            private_url(bad)
