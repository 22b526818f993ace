"""The V5 routes beyond the order basics, over raw signed HTTP: market data consistency, order
filters, batch orders, per-route rate limits, disconnect protection, positions, v3_routes=False,
RSA keys and the state observers."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import requests

from carpenstar_bybit.sandbox import SandboxExchange, StateEvent
from tests.sandbox.raw import API_KEY, SECRET, signed_get, signed_post

D = Decimal
NOW = 1_800_000_000_000


class Clock:
    def __init__(self) -> None:
        self.ms = NOW

    def __call__(self) -> int:
        return self.ms


def _ok(answer: requests.Response) -> Any:
    body = answer.json()
    assert body["retCode"] == 0, body
    return body["result"]


def _code(answer: requests.Response) -> int:
    return int(answer.json()["retCode"])


def _public(ex: SandboxExchange, path: str, **params: object) -> Any:
    return _ok(requests.get(f"{ex.url}{path}", params=params, timeout=10))


def _order(**fields: object) -> dict[str, object]:
    body: dict[str, object] = {
        "category": "linear",
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Limit",
        "qty": "0.01",
        "price": "25000",
    }
    body.update(fields)
    return body


# -- market data -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "symbol"), [("linear", "BTCUSDT"), ("inverse", "BTCUSD"), ("spot", "ETHUSDT")]
)
def test_ticker_book_trades_and_candles_agree(exchange: SandboxExchange, category: str, symbol: str) -> None:
    (ticker,) = _public(exchange, "/v5/market/tickers", category=category, symbol=symbol)["list"]
    last = D(ticker["lastPrice"])
    book = _public(exchange, "/v5/market/orderbook", category=category, symbol=symbol, limit=3)
    assert D(book["b"][0][0]) < last < D(book["a"][0][0])
    assert sorted(book) == ["a", "b", "cts", "s", "seq", "ts", "u"]
    assert D(ticker["bid1Price"]) == D(book["b"][0][0])
    (newest, *_) = _public(exchange, "/v5/market/kline", category=category, symbol=symbol, interval="60")[
        "list"
    ]
    assert D(newest[4]) == last
    (trade,) = _public(exchange, "/v5/market/recent-trade", category=category, symbol=symbol, limit=1)["list"]
    assert D(trade["price"]) == last
    assert D(ticker["lowPrice24h"]) <= last <= D(ticker["highPrice24h"])
    hours = _public(exchange, "/v5/market/kline", category=category, symbol=symbol, interval="60", limit=24)[
        "list"
    ]
    assert D(ticker["prevPrice24h"]) == D(hours[-1][1])
    assert D(ticker["highPrice24h"]) == max(D(h[2]) for h in hours)
    assert D(ticker["volume24h"]) == sum(D(h[5]) for h in hours)
    if category != "spot":
        (mark,) = _public(
            exchange, "/v5/market/mark-price-kline", category=category, symbol=symbol, interval="1", limit=1
        )["list"]
        assert D(mark[4]) == D(ticker["markPrice"]) == exchange.mark_price(symbol)
        (index,) = _public(
            exchange, "/v5/market/index-price-kline", category=category, symbol=symbol, interval="1", limit=1
        )["list"]
        assert D(index[4]) == D(ticker["indexPrice"])


def test_instruments_of_each_kind(exchange: SandboxExchange) -> None:
    (spot,) = _public(exchange, "/v5/market/instruments-info", category="spot", symbol="BTCUSDT")["list"]
    assert sorted(spot["lotSizeFilter"])[:3] == ["basePrecision", "maxLimitOrderQty", "maxMarketOrderQty"]
    assert spot["priceFilter"] == {"tickSize": "0.1"}
    (inverse,) = _public(exchange, "/v5/market/instruments-info", category="inverse", symbol="BTCUSD")["list"]
    assert (inverse["contractType"], inverse["settleCoin"], inverse["priceFilter"]["tickSize"]) == (
        "InversePerpetual",
        "BTC",
        "0.5",
    )
    futures = [
        i
        for i in _public(exchange, "/v5/market/instruments-info", category="linear")["list"]
        if i["contractType"] == "LinearFutures"
    ]
    (future,) = futures
    assert int(future["deliveryTime"]) > exchange.requests()[-1].time_ms
    assert (
        _public(exchange, "/v5/market/instruments-info", category="linear", symbol="NOPEUSDT")["list"] == []
    )
    assert _public(exchange, "/v5/market/instruments-info", category="option")["list"] == []
    bad = requests.get(f"{exchange.url}/v5/market/instruments-info?category=futures", timeout=10)
    assert (bad.json()["retCode"], bad.json()["retMsg"]) == (10001, "params error: Illegal category")
    (tier, *_) = _public(exchange, "/v5/market/risk-limit", category="linear", symbol="BTCUSDT")["list"]
    assert (tier["id"], tier["maxLeverage"], tier["isLowestRisk"]) == (1, "100.00", 1)
    rates = _public(exchange, "/v5/market/funding/history", category="linear", symbol="BTCUSDT", limit=2)[
        "list"
    ]
    assert int(rates[0]["fundingRateTimestamp"]) - int(rates[1]["fundingRateTimestamp"]) == 8 * 3600 * 1000
    oi = _public(
        exchange, "/v5/market/open-interest", category="linear", symbol="BTCUSDT", intervalTime="1h", limit=2
    )
    assert len(oi["list"]) == 2
    assert oi["nextPageCursor"] != ""


# -- order filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"price": "25000.05"}, 10001, "params error: price invalid (must be a multiple of tickSize 0.1)"),
        ({"qty": "0.0015"}, 10001, "params error: Qty invalid (must be a multiple of qtyStep 0.001)"),
        ({"qty": "2000"}, 10001, "params error: The number of contracts exceeds maximum limit allowed"),
        ({"qty": "0.001", "price": "100"}, 110094, "Order notional value below the lower limit"),
        ({"category": "spot", "price": "25000.05"}, 170134, "Order price decimal too long."),
        ({"category": "spot", "qty": "0.0015"}, 170137, "Order volume decimal too long"),
        ({"category": "spot", "orderType": "Market", "qty": "1"}, 170140, "Order value exceeded lower limit"),
    ],
)
def test_order_filters_are_enforced(
    exchange: SandboxExchange, fields: dict[str, object], code: int, message: str
) -> None:
    answer = signed_post(exchange.url, "/v5/order/create", _order(**fields))
    assert (answer.json()["retCode"], answer.json()["retMsg"]) == (code, message)
    assert exchange.orders() == []


def test_spot_market_buy_spends_quote_and_spot_not_found_is_170213(exchange: SandboxExchange) -> None:
    _ok(
        signed_post(exchange.url, "/v5/order/create", _order(category="spot", orderType="Market", qty="3000"))
    )
    (order,) = exchange.orders()
    assert (order.qty, order.status) == (D("0.1"), "Filled")
    base = _ok(
        signed_post(
            exchange.url,
            "/v5/order/create",
            _order(category="spot", orderType="Market", qty="0.05", marketUnit="baseCoin"),
        )
    )
    assert exchange.order(base["orderId"]).qty == D("0.05")  # type: ignore[union-attr]
    missing = signed_post(
        exchange.url, "/v5/order/cancel", {"category": "spot", "symbol": "BTCUSDT", "orderId": "x"}
    )
    assert _code(missing) == 170213


# -- batches and rate limits -----------------------------------------------------------------------


def test_batch_items_have_their_own_codes(exchange: SandboxExchange) -> None:
    placed = signed_post(
        exchange.url,
        "/v5/order/create-batch",
        {
            "category": "linear",
            "request": [_order(orderLinkId="b-1"), _order(orderLinkId="b-1"), _order(qty="0")],
        },
    ).json()
    assert placed["retCode"] == 0
    assert [i["code"] for i in placed["retExtInfo"]["list"]] == [0, 110072, 10001]
    first = placed["result"]["list"][0]
    assert (first["orderLinkId"], first["createAt"]) == (
        "b-1",
        str(exchange.order(first["orderId"]).created_ms),
    )  # type: ignore[union-attr]
    amended = signed_post(
        exchange.url,
        "/v5/order/amend-batch",
        {
            "category": "linear",
            "request": [
                {"symbol": "BTCUSDT", "orderLinkId": "b-1", "price": "25100"},
                {"symbol": "BTCUSDT", "orderId": "nope", "price": "1"},
            ],
        },
    ).json()
    assert [i["code"] for i in amended["retExtInfo"]["list"]] == [0, 110001]
    assert exchange.order(first["orderId"]).price == D(25100)  # type: ignore[union-attr]
    cancelled = signed_post(
        exchange.url,
        "/v5/order/cancel-batch",
        {
            "category": "linear",
            "request": [
                {"symbol": "BTCUSDT", "orderLinkId": "b-1"},
                {"symbol": "BTCUSDT", "orderLinkId": "b-1"},
            ],
        },
    ).json()
    assert [i["code"] for i in cancelled["retExtInfo"]["list"]] == [0, 110001]
    too_many = signed_post(
        exchange.url, "/v5/order/create-batch", {"category": "linear", "request": [_order()] * 11}
    )
    assert (_code(too_many), too_many.json()["retMsg"]) == (
        10001,
        "params error: request invalid (expected 1 to 10 items)",
    )


@pytest.fixture
def limited() -> Iterator[tuple[SandboxExchange, Clock]]:
    clock = Clock()
    with SandboxExchange(api_keys={API_KEY: SECRET}, clock=clock) as ex:
        yield ex, clock
        assert ex.internal_errors() == []


def test_limits_are_per_route_and_category_as_bybit_lists_them(
    limited: tuple[SandboxExchange, Clock],
) -> None:
    ex, clock = limited
    create = [
        signed_post(ex.url, "/v5/order/create", _order(price=str(20000 + n)), timestamp=NOW)
        for n in range(11)
    ]
    assert [a.headers["X-Bapi-Limit"] for a in create] == ["10"] * 11
    assert [int(a.headers["X-Bapi-Limit-Status"]) for a in create] == [*range(9, -1, -1), 0]
    assert [_code(a) for a in create] == [0] * 10 + [10006]
    # Other routes and categories count on their own.
    listing = signed_get(ex.url, "/v5/order/realtime", "category=linear&symbol=BTCUSDT", timestamp=NOW)
    assert (listing.headers["X-Bapi-Limit"], listing.headers["X-Bapi-Limit-Status"]) == ("50", "49")
    spot = signed_post(ex.url, "/v5/order/create", _order(category="spot"), timestamp=NOW)
    assert (_code(spot), spot.headers["X-Bapi-Limit"], spot.headers["X-Bapi-Limit-Status"]) == (0, "20", "19")
    inverse = signed_post(
        ex.url, "/v5/order/create", _order(symbol="BTCUSD", category="inverse", qty="100"), timestamp=NOW
    )
    assert _code(inverse) == 10006  # linear and inverse share one counter
    fee = signed_get(ex.url, "/v5/account/fee-rate", "category=linear", timestamp=NOW)
    assert fee.headers["X-Bapi-Limit"] == "5"
    clock.ms += 1000
    again = signed_post(ex.url, "/v5/order/create", _order(price="19000"), timestamp=clock.ms)
    assert (_code(again), again.headers["X-Bapi-Limit-Status"]) == (0, "9")


def test_a_batch_consumes_one_per_order_and_the_excess_gets_10006(
    limited: tuple[SandboxExchange, Clock],
) -> None:
    ex, _ = limited
    for n in range(8):
        _ok(
            signed_post(
                ex.url,
                "/v5/order/create-batch",
                {"category": "linear", "request": [_order(price=str(21000 + n))]},
                timestamp=NOW,
            )
        )
    batch = signed_post(
        ex.url,
        "/v5/order/create-batch",
        {"category": "linear", "request": [_order(price=str(22000 + n)) for n in range(3)]},
        timestamp=NOW,
    ).json()
    assert [i["code"] for i in batch["retExtInfo"]["list"]] == [0, 0, 10006]
    assert len(ex.orders()) == 10
    full = signed_post(
        ex.url, "/v5/order/create-batch", {"category": "linear", "request": [_order()]}, timestamp=NOW
    )
    assert _code(full) == 10006


# -- disconnect protection ---------------------------------------------------------------------


def test_disconnected_cancel_all(limited: tuple[SandboxExchange, Clock]) -> None:
    ex, clock = limited
    armed = signed_post(
        ex.url,
        "/v5/order/disconnected-cancel-all",
        {"product": "DERIVATIVES", "timeWindow": 10},
        timestamp=NOW,
    ).json()
    assert (armed["retCode"], armed["retMsg"]) == (0, "success")
    spot = _ok(signed_post(ex.url, "/v5/order/create", _order(category="spot"), timestamp=NOW))
    linear = _ok(signed_post(ex.url, "/v5/order/create", _order(), timestamp=NOW))
    clock.ms += 9_000
    _ok(
        signed_get(ex.url, "/v5/order/realtime", "category=linear&symbol=BTCUSDT", timestamp=clock.ms)
    )  # a call: the window restarts
    clock.ms += 9_000
    assert ex.order(linear["orderId"]).status == "New"  # type: ignore[union-attr]
    clock.ms += 1_001
    cancelled = ex.order(linear["orderId"])
    assert cancelled is not None
    assert (cancelled.status, cancelled.cancel_type) == ("Cancelled", "CancelByDCP")
    assert ex.order(spot["orderId"]).status == "New"  # type: ignore[union-attr]  # another product
    bad = signed_post(ex.url, "/v5/order/disconnected-cancel-all", {"timeWindow": 2}, timestamp=clock.ms)
    assert bad.json()["retMsg"] == "params error: timeWindow invalid (must be at least 3)"


# -- positions -----------------------------------------------------------------------------------


def test_position_settings_answer_with_v5_codes(exchange: SandboxExchange) -> None:
    mode = {"category": "linear", "symbol": "BTCUSDT", "mode": 0}
    assert _code(signed_post(exchange.url, "/v5/position/switch-mode", mode)) == 110025
    _ok(signed_post(exchange.url, "/v5/order/create", _order()))
    assert _code(signed_post(exchange.url, "/v5/position/switch-mode", {**mode, "mode": 3})) == 110028
    _ok(signed_post(exchange.url, "/v5/order/cancel-all", {"category": "linear", "symbol": "BTCUSDT"}))
    _ok(signed_post(exchange.url, "/v5/order/create", _order(orderType="Market")))
    assert _code(signed_post(exchange.url, "/v5/position/switch-mode", {**mode, "mode": 3})) == 110024
    leverage = {"category": "linear", "symbol": "BTCUSDT", "buyLeverage": "10", "sellLeverage": "10"}
    assert _code(signed_post(exchange.url, "/v5/position/set-leverage", leverage)) == 110043
    isolated = {**leverage, "tradeMode": 0}
    assert _code(signed_post(exchange.url, "/v5/position/switch-isolated", isolated)) == 110026


def test_add_margin_moves_the_liquidation_price_and_the_wallet(exchange: SandboxExchange) -> None:
    _ok(signed_post(exchange.url, "/v5/order/create", _order(orderType="Market", qty="1")))
    (before,) = _ok(signed_get(exchange.url, "/v5/position/list", "category=linear&symbol=BTCUSDT"))["list"]
    available = exchange.wallet("USDT", API_KEY).available_balance
    after = _ok(
        signed_post(
            exchange.url,
            "/v5/position/add-margin",
            {"category": "linear", "symbol": "BTCUSDT", "margin": "1000"},
        )
    )
    assert D(after["positionIM"]) == D(before["positionIM"]) + 1000 == D(4000)
    assert D(after["liqPrice"]) < D(before["liqPrice"])
    assert exchange.wallet("USDT", API_KEY).available_balance == available - 1000
    too_much = signed_post(
        exchange.url,
        "/v5/position/add-margin",
        {"category": "linear", "symbol": "BTCUSDT", "margin": "-1000.5"},
    )
    assert _code(too_much) == 110078
    _ok(
        signed_post(
            exchange.url,
            "/v5/position/add-margin",
            {"category": "linear", "symbol": "BTCUSDT", "margin": "-1000"},
        )
    )
    (back,) = _ok(signed_get(exchange.url, "/v5/position/list", "category=linear&symbol=BTCUSDT"))["list"]
    assert back["liqPrice"] == before["liqPrice"]


def test_wallet_totals_are_the_coins_in_usd(exchange: SandboxExchange) -> None:
    (account,) = _ok(signed_get(exchange.url, "/v5/account/wallet-balance", "accountType=UNIFIED"))["list"]
    coins = {c["coin"]: c for c in account["coin"]}
    assert sorted(coins) == ["BTC", "ETH", "USDC", "USDT"]
    assert D(coins["BTC"]["usdValue"]) == D(10) * exchange.mark_price("BTCUSDT")
    assert D(account["totalEquity"]) == sum(D(c["usdValue"]) for c in coins.values())
    assert _code(signed_get(exchange.url, "/v5/account/wallet-balance", "accountType=CONTRACT")) == 10001
    info = _ok(signed_get(exchange.url, "/v5/user/query-api", ""))
    assert (info["apiKey"], info["readOnly"], info["uta"], info["rsaPublicKey"]) == (API_KEY, 0, 1, "")
    assert _ok(signed_get(exchange.url, "/v5/account/info", ""))["unifiedMarginStatus"] == 5
    (btc,) = _ok(signed_get(exchange.url, "/v5/asset/coin/query-info", "coin=BTC"))["rows"]
    assert (btc["coin"], btc["chains"][0]["chain"]) == ("BTC", "BTC")


# -- V3 switched off, RSA keys, observers ----------------------------------------------------------


def test_v3_routes_can_be_switched_off() -> None:
    with SandboxExchange(api_keys={API_KEY: SECRET}, v3_routes=False) as ex:
        for path in (
            "/contract/v3/private/order/create",
            "/derivatives/v3/public/tickers",
            "/v3/public/time",
        ):
            answer = (
                requests.post(f"{ex.url}{path}", timeout=10)
                if "order" in path
                else requests.get(f"{ex.url}{path}", timeout=10)
            )
            assert (answer.status_code, answer.text) == (404, "404 page not found")
        assert _public(ex, "/v5/market/time")["timeSecond"]
        _ok(signed_post(ex.url, "/v5/order/create", _order()))


def test_rsa_keys_are_verified_as_bybit_does() -> None:
    pytest.importorskip("cryptography")
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    key = "RSAkey0001"

    def headers(payload: bytes, signer: Any = private) -> dict[str, str]:
        ts = NOW
        message = f"{ts}{key}5000".encode() + payload
        signature = base64.b64encode(signer.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()
        return {
            "X-BAPI-API-KEY": key,
            "X-BAPI-TIMESTAMP": str(ts),
            "X-BAPI-RECV-WINDOW": "5000",
            "X-BAPI-SIGN": signature,
            "Content-Type": "application/json",
        }

    with SandboxExchange(rsa_keys={key: public_pem}, clock=lambda: NOW) as ex:
        body = json.dumps(_order()).encode()
        placed = requests.post(f"{ex.url}/v5/order/create", data=body, headers=headers(body), timeout=10)
        assert _ok(placed)["orderId"] == ex.orders()[0].order_id
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = requests.post(
            f"{ex.url}/v5/order/create", data=body, headers=headers(body, other), timeout=10
        )
        assert _code(forged) == 10004
        hmac_style = requests.post(
            f"{ex.url}/v5/order/create",
            data=body,
            headers={**headers(body), "X-BAPI-SIGN": "ab" * 32},
            timeout=10,
        )
        assert _code(hmac_style) == 10004
        query = ""
        info = requests.get(f"{ex.url}/v5/user/query-api", headers=headers(query.encode()), timeout=10)
        assert _ok(info)["rsaPublicKey"] == public_pem
        assert len(ex.orders()) == 1


def test_observers_see_every_change_after_it_is_committed(exchange: SandboxExchange) -> None:
    events: list[StateEvent] = []
    seen_orders: list[int] = []
    done = threading.Event()

    def listener(event: StateEvent) -> None:
        events.append(event)
        seen_orders.append(len(exchange.orders()))  # reading the state from a listener is fine
        if event.kind == "wallet":
            done.set()

    def broken(event: StateEvent) -> None:
        raise RuntimeError("a listener bug")

    exchange.subscribe(broken)
    unsubscribe = exchange.subscribe(listener)
    placed = _ok(signed_post(exchange.url, "/v5/order/create", _order(orderType="Market")))
    assert done.wait(10)
    assert [e.kind for e in events] == ["order", "order", "execution", "position", "wallet"]
    assert [e.seq for e in events] == sorted(e.seq for e in events)
    new, filled = events[0].data, events[1].data
    assert (new.order_id, new.status, filled.status) == (placed["orderId"], "New", "Filled")  # type: ignore[attr-defined]
    assert events[2].data == exchange.executions()[0]
    assert events[3].data == exchange.positions()[0]
    assert events[4].data == exchange.wallet("USDT", API_KEY)
    assert {e.account for e in events} == {API_KEY}
    assert seen_orders == [1] * 5
    unsubscribe()
    exchange.set_mark_price("BTCUSDT", 31000)
    assert len(events) == 5
