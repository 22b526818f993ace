"""A seeded random walk of a busy V5 account (orders of every kind, batches, price moves that fill,
trigger and close, take-profits, added margin, mode and leverage changes, listings) through the
in-memory transport: nothing may be an internal error, and the observers see every fill."""

from __future__ import annotations

import json
import random
from collections import Counter
from typing import Any
from urllib.parse import urlencode

import pytest

from carpenstar_bybit.core.transport import Timeout, WireRequest
from carpenstar_bybit.sandbox import SandboxExchange, StateEvent
from tests.sandbox.raw import API_KEY, SECRET, auth_headers


@pytest.mark.parametrize("seed", [0, 1])
def test_a_random_busy_day_has_no_internal_error(seed: int) -> None:
    ex = SandboxExchange(api_keys={API_KEY: SECRET}, rate_limit=1_000_000)
    transport = ex.transport()
    events: list[StateEvent] = []
    ex.subscribe(events.append)
    future = next(i.symbol for i in ex.instruments("linear") if i.is_future)

    def post(path: str, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        headers = {**auth_headers(data), "Content-Type": "application/json"}
        transport.send(WireRequest("POST", f"http://x{path}", headers, data), Timeout())

    def get(path: str, params: dict[str, str]) -> None:
        query = urlencode(params)
        transport.send(WireRequest("GET", f"http://x{path}?{query}", auth_headers(query), None), Timeout())

    rnd = random.Random(seed)
    markets = [
        ("linear", "BTCUSDT"),
        ("linear", "ETHUSDT"),
        ("inverse", "BTCUSD"),
        ("spot", "BTCUSDT"),
        ("linear", future),
    ]
    for _ in range(800):
        category, symbol = rnd.choice(markets)
        mark = ex.mark_price(symbol)
        qty = {"BTCUSD": rnd.choice(["10", "100", "1000"]), "ETHUSDT": rnd.choice(["0.01", "0.1"])}.get(
            symbol, rnd.choice(["0.001", "0.01", "0.1"])
        )
        price = str(int(mark * rnd.choice([98, 99, 100, 101, 102]) / 100))
        op = rnd.random()
        if op < 0.35:
            order = {
                "category": category,
                "symbol": symbol,
                "side": rnd.choice(["Buy", "Sell"]),
                "orderType": rnd.choice(["Limit", "Market"]),
                "qty": qty,
                "price": price,
                "reduceOnly": rnd.random() < 0.2,
                "positionIdx": rnd.choice([0, 0, 1, 2]),
                "timeInForce": rnd.choice(["GTC", "IOC", "FOK", "PostOnly"]),
            }
            if rnd.random() < 0.2:
                order["triggerPrice"] = price
            if rnd.random() < 0.2:
                order.update(takeProfit=str(int(mark * 105 / 100)), stopLoss=str(int(mark * 95 / 100)))
            post("/v5/order/create", order)
        elif op < 0.45:
            batch = [
                {"symbol": symbol, "side": "Buy", "orderType": "Limit", "qty": qty, "price": price}
            ] * rnd.randint(1, 3)
            post("/v5/order/create-batch", {"category": category, "request": batch})
        elif op < 0.6:
            ex.set_mark_price(symbol, int(mark * rnd.choice([97, 99, 101, 103]) / 100))
        elif op < 0.65:
            stops = {"takeProfit": str(int(mark * 110 / 100)), "stopLoss": str(int(mark * 90 / 100))}
            post(
                "/v5/position/trading-stop",
                {"category": category, "symbol": symbol, "tpslMode": "Full", "positionIdx": 0, **stops},
            )
        elif op < 0.7:
            post(
                "/v5/position/add-margin",
                {"category": category, "symbol": symbol, "margin": rnd.choice(["10", "-5"])},
            )
        elif op < 0.75:
            post(
                "/v5/position/switch-mode",
                {"category": category, "symbol": symbol, "mode": rnd.choice([0, 3])},
            )
        elif op < 0.8:
            lev = str(rnd.choice([1, 5, 10]))
            post(
                "/v5/position/set-leverage",
                {"category": category, "symbol": symbol, "buyLeverage": lev, "sellLeverage": lev},
            )
        elif op < 0.85:
            post("/v5/order/cancel-all", {"category": category, "symbol": symbol})
        elif op < 0.9:
            get(
                "/v5/position/list",
                {"category": "inverse" if category == "inverse" else "linear", "settleCoin": "USDT"},
            )
        elif op < 0.95:
            get("/v5/account/wallet-balance", {"accountType": "UNIFIED"})
        else:
            get("/v5/execution/list", {"category": category})
    assert ex.internal_errors() == []
    codes = Counter(r.ret_code for r in ex.requests())
    assert codes[0] > 300  # the walk mostly trades, it does not only collect errors
    assert len(ex.executions()) > 50
    kinds = Counter(e.kind for e in events)
    assert kinds["execution"] == len(ex.executions())
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
