"""The exact V5 request of every bridged V3 call, over real HTTP on loopback, and the V3 DTO read back
from the V5 answer (the example answer of the route's page in Bybit's V5 docs).

Each case names a V3 request and the bytes that must leave the machine: route, query string or JSON
body, with the category the bridge found. Private calls carry a signature the exchange's rule accepts
(recomputed by the server from the exact bytes it received). Every case runs with both clients.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import pytest

from carpenstar_bybit import EnumOutputMode
from carpenstar_bybit.core import AbstractParameters, AbstractResponse, Endpoint, EntityCollection, Nested
from carpenstar_bybit.v5.enums import TimeInForce
from tests.bridge import v3
from tests.bridge.support import BRIDGE, V5_BY_ROUTE, response_of
from tests.derivatives.harness import assert_get, assert_post, assert_signed, assert_unsigned
from tests.support.clients import Client
from tests.support.recording_server import Recorded, RecordingServer, Reply
from tests.v5.routes import DOCS_PAYLOADS, docs_payload, expected

UTC = timezone.utc
JAN_1 = datetime(2024, 1, 1, tzinfo=UTC)  # 1704067200000
JAN_2 = datetime(2024, 1, 2, tzinfo=UTC)  # 1704153600000


@dataclass(frozen=True)
class Case:
    """A bridged call: the V3 endpoint and request, what must be sent, and the docs answer to read."""

    endpoint: type[Endpoint[Any, Any]]
    request: Callable[[], AbstractParameters]
    method: str
    path: str
    sent: str  # the query string (GET) or the JSON body (POST), exactly
    answer: str  # the file of tests/v5/payloads/docs

    def __str__(self) -> str:
        return self.endpoint.__name__


CASES = [
    Case(
        v3.GetTradingFeeRate,
        lambda: v3.GetTradingFeeRateRequest().set_symbol("BTCUSD"),
        "GET",
        "/v5/account/fee-rate",
        "category=inverse&symbol=BTCUSD",
        "fee_rate",
    ),
    Case(
        v3.WalletBalance,
        lambda: v3.WalletBalanceRequest().set_coin("BTC"),
        "GET",
        "/v5/account/wallet-balance",
        "accountType=UNIFIED&coin=BTC",
        "wallet_balance",
    ),
    Case(
        v3.CancelAllOrder,
        lambda: v3.CancelAllOrderRequest().set_settle_coin("USDT"),
        "POST",
        "/v5/order/cancel-all",
        '{"category":"linear","settleCoin":"USDT"}',
        "cancel_all_orders",
    ),
    Case(
        v3.CancelOrder,
        lambda: v3.CancelOrderRequest().set_symbol("BTCUSD").set_order_link_id("link-0001"),
        "POST",
        "/v5/order/cancel",
        '{"category":"inverse","symbol":"BTCUSD","orderLinkId":"link-0001"}',
        "cancel_order",
    ),
    Case(
        v3.GetOpenOrders,
        lambda: (
            v3.GetOpenOrdersRequest()
            .set_symbol("ETHUSDT")
            .set_order_filter("Order")
            .set_cursor("page_args%3D2")
        ),
        "GET",
        "/v5/order/realtime",
        "category=linear&symbol=ETHUSDT&orderFilter=Order&limit=20&cursor=page_args%253D2",
        "get_open_orders",
    ),
    Case(
        v3.GetOrderList,
        lambda: v3.GetOrderListRequest().set_symbol("BTCPERP").set_order_status("Filled").set_limit(5),
        "GET",
        "/v5/order/history",
        "category=linear&symbol=BTCPERP&orderStatus=Filled&limit=5",
        "get_order_history",
    ),
    Case(
        v3.PlaceOrder,
        lambda: (
            v3.PlaceOrderRequest()
            .set_symbol("BTCUSDT")
            .set_side("Buy")
            .set_order_type("Limit")
            .set_qty("0.010")
            .set_price(Decimal("20000.5"))
            .set_time_in_force("PostOnly")
            .set_position_idx(1)
            .set_order_link_id("link-0002")
            .set_take_profit(25000)
            .set_tp_trigger_by("MarkPrice")
            .set_reduce_only(False)
        ),
        "POST",
        "/v5/order/create",
        '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.010",'
        '"price":"20000.5","triggerBy":"LastPrice","timeInForce":"PostOnly","positionIdx":1,'
        '"orderLinkId":"link-0002","takeProfit":"25000","tpTriggerBy":"MarkPrice","reduceOnly":false}',
        "place_order",
    ),
    Case(
        v3.ReplaceOrder,
        lambda: (
            v3.ReplaceOrderRequest()
            .set_symbol("ETHUSD")
            .set_order_id("c6f055d9-7f21-4079-913d-e6523a9cfffa")
            .set_qty(10)
            .set_price("1950.5")
            .set_trigger_by("IndexPrice")
        ),
        "POST",
        "/v5/order/amend",
        '{"category":"inverse","symbol":"ETHUSD","orderId":"c6f055d9-7f21-4079-913d-e6523a9cfffa",'
        '"qty":"10","price":"1950.5","triggerBy":"IndexPrice"}',
        "amend_order",
    ),
    Case(
        v3.GetClosedPnL,
        lambda: (
            v3.GetClosedPnLRequest().set_symbol("BTCUSDT").set_start_time(JAN_1).set_end_time(1704153600000)
        ),
        "GET",
        "/v5/position/closed-pnl",
        "category=linear&symbol=BTCUSDT&startTime=1704067200000&endTime=1704153600000&limit=50",
        "closed_pnl",
    ),
    Case(
        v3.GetExecutionList,
        lambda: (
            v3.GetExecutionListRequest()
            .set_symbol("BTCUSD")
            .set_order_id("o-1")
            .set_exec_type("Trade")
            .set_limit(100)
        ),
        "GET",
        "/v5/execution/list",
        "category=inverse&symbol=BTCUSD&orderId=o-1&execType=Trade&limit=100",
        "execution_list",
    ),
    Case(
        v3.MyPosition,
        lambda: v3.MyPositionRequest().set_settle_coin("BTC"),
        "GET",
        "/v5/position/list",
        "category=inverse&settleCoin=BTC",
        "position_info",
    ),
    Case(
        v3.SetAutoAddMargin,
        lambda: (
            v3.SetAutoAddMarginRequest()
            .set_symbol("BTCUSDT")
            .set_side("Sell")
            .set_auto_add_margin(1)
            .set_position_idx(2)
        ),
        "POST",
        "/v5/position/set-auto-add-margin",
        '{"category":"linear","symbol":"BTCUSDT","autoAddMargin":1,"positionIdx":2}',
        "set_auto_add_margin",
    ),
    Case(
        v3.SetLeverage,
        lambda: v3.SetLeverageRequest().set_symbol("ETHUSD").set_buy_leverage(5).set_sell_leverage("5.5"),
        "POST",
        "/v5/position/set-leverage",
        '{"category":"inverse","symbol":"ETHUSD","buyLeverage":"5","sellLeverage":"5.5"}',
        "set_leverage",
    ),
    Case(
        v3.SetTradingStop,
        lambda: (
            v3.SetTradingStopRequest().set_symbol("BTCUSDT").set_take_profit(35000).set_trailing_stop("0")
        ),
        "POST",
        "/v5/position/trading-stop",
        '{"category":"linear","symbol":"BTCUSDT","tpslMode":"Full","positionIdx":0,"takeProfit":"35000",'
        '"trailingStop":"0"}',
        "set_trading_stop",
    ),
    Case(
        v3.SwitchCrossIsolatedMargin,
        lambda: (
            v3.SwitchCrossIsolatedMarginRequest()
            .set_symbol("BTCUSDT")
            .set_trade_mode(1)
            .set_buy_leverage(10)
            .set_sell_leverage(10)
        ),
        "POST",
        "/v5/position/switch-isolated",
        '{"category":"linear","symbol":"BTCUSDT","tradeMode":1,"buyLeverage":"10","sellLeverage":"10"}',
        "switch_cross_isolated_margin",
    ),
    Case(
        v3.SwitchPositionMode,
        lambda: v3.SwitchPositionModeRequest().set_coin("USDT").set_position_mode(3),
        "POST",
        "/v5/position/switch-mode",
        '{"category":"linear","coin":"USDT","mode":3}',
        "switch_position_mode",
    ),
    Case(
        v3.FundingRateHistory,
        lambda: (
            v3.FundingRateHistoryRequest().set_symbol("BTCUSDT").set_start_time(JAN_1).set_end_time(JAN_2)
        ),
        "GET",
        "/v5/market/funding/history",
        "category=linear&symbol=BTCUSDT&startTime=1704067200000&endTime=1704153600000&limit=200",
        "funding_history",
    ),
    Case(
        v3.IndexPriceKline,
        lambda: (
            v3.IndexPriceKlineRequest()
            .set_category("inverse")
            .set_symbol("BTCUSDZ22")
            .set_start_time(JAN_1)
            .set_end_time(JAN_2)
        ),
        "GET",
        "/v5/market/index-price-kline",
        "category=inverse&symbol=BTCUSDZ22&interval=1&start=1704067200000&end=1704153600000&limit=200",
        "index_price_kline",
    ),
    Case(
        v3.InstrumentInfo,
        lambda: v3.InstrumentInfoRequest().set_symbol("BTCUSDT"),
        "GET",
        "/v5/market/instruments-info",
        "category=linear&symbol=BTCUSDT&limit=500",
        "instruments_info_linear",
    ),
    Case(
        v3.Kline,
        lambda: (
            v3.KlineRequest()
            .set_symbol("BTCUSD")
            .set_category("inverse")
            .set_interval("60")
            .set_start_time(JAN_1)
            .set_end_time(JAN_2)
            .set_limit(3)
        ),
        "GET",
        "/v5/market/kline",
        "category=inverse&symbol=BTCUSD&interval=60&start=1704067200000&end=1704153600000&limit=3",
        "kline",
    ),
    Case(
        v3.MarkPriceKline,
        lambda: (
            v3.MarkPriceKlineRequest()
            .set_symbol("BTCUSDT")
            .set_interval("D")
            .set_start_time(JAN_1)
            .set_end_time(JAN_2)
        ),
        "GET",
        "/v5/market/mark-price-kline",
        "category=linear&symbol=BTCUSDT&interval=D&start=1704067200000&end=1704153600000&limit=200",
        "mark_price_kline",
    ),
    Case(
        v3.OpenInterest,
        lambda: v3.OpenInterestRequest().set_symbol("BTCUSDT").set_interval("1h").set_cursor("c-1"),
        "GET",
        "/v5/market/open-interest",
        "category=linear&symbol=BTCUSDT&intervalTime=1h&limit=50&cursor=c-1",
        "open_interest",
    ),
    Case(
        v3.OrderBook,
        lambda: v3.OrderBookRequest().set_symbol("BTCUSDT").set_limit(1),
        "GET",
        "/v5/market/orderbook",
        "category=linear&symbol=BTCUSDT&limit=1",
        "orderbook",
    ),
    Case(
        v3.PublicTradingHistory,
        lambda: v3.PublicTradingHistoryRequest().set_category("inverse").set_symbol("ETHUSD"),
        "GET",
        "/v5/market/recent-trade",
        "category=inverse&symbol=ETHUSD&limit=500",
        "recent_trade",
    ),
    Case(
        v3.RiskLimit,
        lambda: v3.RiskLimitsRequest().set_symbol("BTCUSDT"),
        "GET",
        "/v5/market/risk-limit",
        "category=linear&symbol=BTCUSDT",
        "risk_limit",
    ),
    Case(
        v3.TickerInfo,
        lambda: v3.TickerInfoRequest().set_category("inverse").set_symbol("BTCUSD"),
        "GET",
        "/v5/market/tickers",
        "category=inverse&symbol=BTCUSD",
        "tickers_inverse",
    ),
]


def test_every_bridged_endpoint_has_a_case() -> None:
    assert sorted(c.endpoint.__name__ for c in CASES) == sorted(
        e["v3"] for e in BRIDGE["endpoints"].values() if e["route"] is not None
    )
    for case in CASES:
        entry = _entry(case)
        assert f"{case.method} {case.path}" == entry["route"]
        assert (DOCS_PAYLOADS / f"{case.answer}.json").exists()


def _entry(case: Case) -> dict[str, Any]:
    module = case.endpoint.__module__.removeprefix("carpenstar_bybit.derivatives.").removesuffix(".endpoint")
    entry: dict[str, Any] = BRIDGE["endpoints"][module]
    return entry


def _answer(case: Case) -> dict[str, Any]:
    return docs_payload(DOCS_PAYLOADS / f"{case.answer}.json")


def _sent(server: RecordingServer) -> Recorded:
    (sent,) = server.requests
    return sent


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_exact_v5_request(bridged: Client, server: RecordingServer, case: Case) -> None:
    server.reply(Reply(_answer(case)))
    bridged.rest(case.endpoint, case.request())
    sent = _sent(server)
    if case.method == "GET":
        assert_get(sent, case.path, case.sent)
    else:
        assert_post(sent, case.path, case.sent.encode())
    if case.endpoint.IS_PRIVATE:
        assert_signed(sent)  # the signature of exactly these bytes, as the exchange recomputes it
    else:
        assert_unsigned(sent)


# -- the answer, read back into the V3 DTO ---------------------------------------------------------


def _v5_items(entry: dict[str, Any], result: dict[str, Any]) -> list[Any]:
    where = response_of(entry)["items"]
    if where == "result":
        return [result]
    if where == "list":
        return list(result["list"])
    assert where == "list[0].coin"
    return list(result["list"][0]["coin"])


def _v3_view(entry: dict[str, Any], item: Any) -> Any:
    """What a V3 answer of the same state holds, written from the entry's rules (independently of the
    engine): V3 keys from their V5 names, V3 values from V5's, the lost keys left out."""
    if not isinstance(item, dict):
        return item
    response = response_of(entry)
    view = {k: v for k, v in item.items() if k not in response.get("lost", {})}
    for v3_key, v5_key in response.get("rename", {}).items():
        view[v3_key] = item.get(v5_key)
    for key, mapping in response.get("values", {}).items():
        value = view.get(key)
        text = {True: "true", False: "false"}.get(value, value) if isinstance(value, bool) else value
        if text in mapping:
            view[key] = mapping[text]
    return view


_TYPE_OF_KIND = {"string": "string", "decimal": "float", "int": "int", "bool": "bool", "datetime": "DateTime"}


def _check(dto: AbstractResponse, raw: Any) -> int:
    """Every field of ``dto`` against the reading rules applied to ``raw``; how many were compared."""
    compared = 0
    for field in type(dto)._fields:
        value = raw[field.key] if isinstance(field.key, int) else raw.get(field.key)
        got = dto[field.key] if isinstance(field.key, int) else getattr(dto, field.slot)  # type: ignore[index]
        if isinstance(field.reader, Nested):
            assert isinstance(got, EntityCollection)
            children = [] if value in (None, "") else value if isinstance(value, list) else [value]
            assert len(got) == len(children)
            compared += sum(_check(child, data) for child, data in zip(got, children, strict=True))
            continue
        kind = field.reader.name
        want = (
            (None if value is None else str(value))
            if kind == "?string"
            else expected(_TYPE_OF_KIND[kind], value)
        )
        assert got == want, (type(dto).__name__, field.key, got, want)
        assert type(got) is type(want), (type(dto).__name__, field.key)
        compared += 1
    return compared


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_v5_answer_reads_as_the_v3_answer_of_the_same_state(
    bridged: Client, server: RecordingServer, case: Case
) -> None:
    answer = _answer(case)
    entry = _entry(case)
    server.reply(Reply(answer))
    response = bridged.rest(case.endpoint, case.request())
    items = [_v3_view(entry, item) for item in _v5_items(entry, answer["result"])]
    body = response.get_body().all()
    assert len(body) == len(items) > 0 or (items == [{}] and body == [])
    compared = sum(_check(dto, raw) for dto, raw in zip(body, items, strict=False))
    assert compared >= sum(1 for _ in body)
    assert response.get_return_code() == 0
    assert response.get_next_page_cursor() == (answer["result"].get("nextPageCursor") or None)
    for lost in response_of(entry).get("lost", {}):
        for dto in body:  # left out: the getter reads an absent key
            slot = next(f.slot for f in type(dto)._fields if f.key == lost)
            assert getattr(dto, slot) in (None, "")


def _rest(
    bridged: Client, endpoint: Any, request: Any, answer: dict[str, Any], server: RecordingServer
) -> Any:
    server.reply(Reply(answer))
    return bridged.rest(endpoint, request)


def test_values_v3_spelt_otherwise_are_read_in_v3_spelling(bridged: Client, server: RecordingServer) -> None:
    """Hand-checked against the V3 answers the PHP SDK captured (tests/derivatives/payloads)."""
    order = {
        "orderId": "o-1",
        "symbol": "BTCUSDT",
        "timeInForce": "GTC",
        "stopOrderType": "",
        "triggerBy": "",
        "tpTriggerBy": "",
        "slTriggerBy": "MarkPrice",
        "createdTime": "1672216686849",
    }
    answer = {"retCode": 0, "retMsg": "OK", "result": {"list": [order], "nextPageCursor": ""}, "time": 1}
    (got,) = _rest(
        bridged, v3.GetOpenOrders, v3.GetOpenOrdersRequest().set_symbol("BTCUSDT"), answer, server
    ).get_body()
    assert got.get_time_in_force() == "GoodTillCancel"
    assert (got.get_stop_order_type(), got.get_trigger_by(), got.get_tp_trigger_by()) == ("UNKNOWN",) * 3
    assert got.get_sl_trigger_by() == "MarkPrice"
    for v5, spelt in (
        ("IOC", "ImmediateOrCancel"),
        ("FOK", "FillOrKill"),
        ("PostOnly", "PostOnly"),
        ("RPI", "RPI"),
    ):
        order["timeInForce"] = v5
        (got,) = _rest(bridged, v3.GetOrderList, v3.GetOrderListRequest(), answer, server).get_body()
        assert got.get_time_in_force() == spelt
    assert {m.value for m in TimeInForce} == {"GTC", "IOC", "FOK", "PostOnly", "RPI"}


def test_renamed_and_lost_values_by_hand(bridged: Client, server: RecordingServer) -> None:
    wallet = (
        _rest(bridged, v3.WalletBalance, v3.WalletBalanceRequest(), _answer(CASES[1]), server)
        .get_body()
        .all()
    )
    btc = next(c for c in wallet if c.get_coin() == "BTC")
    assert btc.get_position_margin() == Decimal("0")  # totalPositionIM
    assert btc.get_order_margin() == Decimal("0")  # totalOrderIM
    assert btc.get_account_mm() == "0"  # totalPositionMM (a string in V3)
    assert btc.get_occ_closing_fee() is None
    assert btc.get_account_im() == ""  # a V3 string field: absent reads as ""
    (position,) = _rest(
        bridged, v3.MyPosition, v3.MyPositionRequest().set_symbol("BTCUSD"), _answer(CASES[10]), server
    ).get_body()
    assert position.get_entry_price() == Decimal("27464.50441675")  # avgPrice
    assert position.get_position_balance() == Decimal("0.00010923")  # positionIM (V5 deprecates its own)
    assert position.get_trade_mode() is None
    assert position.get_tp_sl_mode() == ""
    (ticker,) = _rest(
        bridged, v3.TickerInfo, v3.TickerInfoRequest().set_symbol("BTCUSD"), _answer(CASES[-1]), server
    ).get_body()
    assert (ticker.get_bid_price(), ticker.get_ask_price()) == (Decimal("103401.00"), Decimal("109152.80"))
    assert ticker.get_last_tick_direction() == ""
    tiers = _rest(bridged, v3.RiskLimit, v3.RiskLimitsRequest(), _answer(CASES[-2]), server).get_body().all()
    assert (tiers[0].get_limit(), tiers[0].get_maintain_margin()) == (150, Decimal("0.5"))
    (pnl,) = _rest(
        bridged, v3.GetClosedPnL, v3.GetClosedPnLRequest().set_symbol("ETHPERP"), _answer(CASES[8]), server
    ).get_body()
    assert pnl.get_created_at() == datetime(2022, 12, 28, 8, 8, 7, 231000, tzinfo=UTC)  # createdTime
    fills = _rest(
        bridged,
        v3.GetExecutionList,
        v3.GetExecutionListRequest().set_symbol("ETHPERP"),
        _answer(CASES[9]),
        server,
    )
    (fill,) = fills.get_body()
    assert (fill.is_maker(), fill.get_last_liquidity_ind()) == (False, "RemovedLiquidity")


def test_a_maker_fill_reads_as_added_liquidity(bridged: Client, server: RecordingServer) -> None:
    answer = {"retCode": 0, "retMsg": "OK", "result": {"list": [{"execId": "e", "isMaker": True}]}, "time": 1}
    (fill,) = _rest(
        bridged, v3.GetExecutionList, v3.GetExecutionListRequest().set_symbol("BTCUSDT"), answer, server
    ).get_body()
    assert fill.get_last_liquidity_ind() == "AddedLiquidity"


def test_the_array_and_json_modes_give_the_v3_shape(bridged: Client, server: RecordingServer) -> None:
    answer = _answer(CASES[10])
    server.reply(Reply(answer), Reply(answer))
    request = v3.MyPositionRequest().set_symbol("BTCUSD")
    (item,) = bridged.rest(v3.MyPosition, request, EnumOutputMode.MODE_ARRAY).get_body()
    assert item["entryPrice"] == "27464.50441675"
    assert "tradeMode" not in item
    (text,) = bridged.rest(v3.MyPosition, request, EnumOutputMode.MODE_JSON).get_body()
    envelope = json.loads(text)
    assert envelope["retCode"] == 0
    assert envelope["time"] == answer["time"]
    assert envelope["result"]["list"][0]["entryPrice"] == "27464.50441675"
    assert envelope["result"]["list"][0]["side"] == "Sell"
    assert envelope["result"]["category"] == "inverse"


def test_cursors_pass_through_pagination(bridged: Client, server: RecordingServer) -> None:
    def page(ids: list[str], cursor: str) -> Reply:
        items = [{"orderId": i, "symbol": "BTCUSDT"} for i in ids]
        return Reply(
            {"retCode": 0, "retMsg": "OK", "result": {"list": items, "nextPageCursor": cursor}, "time": 1}
        )

    server.reply(page(["a", "b"], "page_args%3Db%26"), page(["c"], ""))
    orders = bridged.paginate(v3.GetOpenOrders, v3.GetOpenOrdersRequest().set_symbol("BTCUSDT").set_limit(2))
    assert [o.get_order_id() for o in orders] == ["a", "b", "c"]
    first, second = server.requests
    assert first.target == "/v5/order/realtime?category=linear&symbol=BTCUSDT&limit=2"
    assert (
        second.target
        == "/v5/order/realtime?category=linear&symbol=BTCUSDT&limit=2&cursor=page_args%253Db%2526"
    )
    assert_signed(second)


def test_wire_expectations_match_the_docs_of_the_route() -> None:
    """Every key a case sends is a request parameter of the route's V5 page (spec/v5_api.json)."""
    for case in CASES:
        v5 = V5_BY_ROUTE[f"{case.method} {case.path}"]
        names = {f["name"] for r in v5["request"] for f in r["fields"]}
        if case.method == "GET":
            keys = [pair.split("=", 1)[0] for pair in case.sent.split("&")]
        else:
            keys = list(json.loads(case.sent))
        assert set(keys) <= names, (case, set(keys) - names)
        assert ("category" in keys) == ("category" in names)


def test_the_5x_style_is_bridged_too(bridged: Client, server: RecordingServer) -> None:
    """``private_endpoint(...).execute()`` and ``public_endpoint(...).execute()`` go the same way."""
    server.reply(Reply(_answer(CASES[3])), Reply(_answer(CASES[-1])))
    cancelled = bridged.private(
        v3.CancelOrder, v3.CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1")
    )
    ticker = bridged.public(v3.TickerInfo, v3.TickerInfoRequest().set_symbol("BTCUSDT"))
    first, second = server.requests
    assert (first.method, first.target) == ("POST", "/v5/order/cancel")
    assert first.body == b'{"category":"linear","symbol":"BTCUSDT","orderId":"o-1"}'
    assert_signed(first)
    assert (second.method, second.target) == ("GET", "/v5/market/tickers?category=linear&symbol=BTCUSDT")
    assert_unsigned(second)
    result = cancelled.get_result()
    assert result is not None
    assert result.get_order_id() == _answer(CASES[3])["result"]["orderId"]
    assert ticker.get_result() is not None
