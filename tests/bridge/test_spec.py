"""``spec/v3_over_v5.json`` against the facts it is written from: the V3 endpoints of
``spec/php_api.json``, the V5 routes of ``spec/v5_api.json`` (read from Bybit's V5 docs) and the SDK's
classes. Every V3 field is accounted for, every V5 name exists, and the engine compiles every entry."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.core import bridge
from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.v5 import enums as v5_enums
from tests.bridge.support import BRIDGE, SUPPORTED, UNSUPPORTED, V3_ENDPOINTS, V3Endpoint


def test_every_v3_endpoint_has_exactly_one_entry() -> None:
    assert len(V3_ENDPOINTS) == 28
    assert sorted(BRIDGE["endpoints"]) == sorted(e.key for e in V3_ENDPOINTS)
    for endpoint in V3_ENDPOINTS:
        assert endpoint.entry["v3"] == endpoint.name
    assert len(SUPPORTED) == 26
    assert sorted(e.name for e in UNSUPPORTED) == ["SetRiskLimit", "SwitchTpSlMode"]


@pytest.mark.parametrize("endpoint", SUPPORTED, ids=str)
def test_the_route_is_a_v5_route_the_named_package_serves(endpoint: V3Endpoint) -> None:
    v5 = endpoint.v5()  # KeyError: the route is not one of spec/v5_api.json
    assert v5["python_package"] == "carpenstar_bybit.v5." + endpoint.entry["v5"]
    assert v5["access"] == endpoint.php["access"]
    plan = bridge.plan_of(endpoint.endpoint())
    assert plan is not None
    assert plan.v5_endpoint is getattr(importlib.import_module(v5["python_package"]), v5["endpoint_class"])


@pytest.mark.parametrize("endpoint", SUPPORTED, ids=str)
def test_the_wire_endpoint_keeps_the_v3_answer_and_retry_safety(endpoint: V3Endpoint) -> None:
    v3 = endpoint.endpoint()
    plan = bridge.plan_of(v3)
    assert plan is not None
    wire = plan.endpoint
    v5 = plan.v5_endpoint
    assert (wire.METHOD, wire.URL, wire.REQUEST, wire.IS_PRIVATE) == (
        v5.METHOD,
        v5.URL,
        v5.REQUEST,
        v3.IS_PRIVATE,
    )
    assert (wire.RESPONSE, wire.LIST_RESULT) == (v3.RESPONSE, v3.LIST_RESULT)
    assert (wire.IDEMPOTENT, wire.IDEMPOTENCY_KEY) == (v3.IDEMPOTENT, v3.IDEMPOTENCY_KEY)
    assert wire.__name__ == v3.__name__
    assert bridge.plan_of(v3) is plan  # compiled once


@pytest.mark.parametrize("endpoint", SUPPORTED, ids=str)
def test_every_v3_request_field_is_sent_dropped_or_refused(endpoint: V3Endpoint) -> None:
    request = endpoint.entry.get("request", {})
    v5_fields = {f["name"] for r in endpoint.v5()["request"] for f in r["fields"]}
    category = endpoint.entry["category"] or {}
    v3_request = endpoint.endpoint().REQUEST()
    for param in v3_request._params:
        wire = param.wire
        if wire in request.get("drop", {}) or wire in request.get("unsupported", {}):
            assert wire not in request.get("rename", {})
        elif wire == category.get("request"):
            assert "category" in v5_fields
        else:
            target = request.get("rename", {}).get(wire, wire)
            assert target in v5_fields, (endpoint.name, wire, target)
    for name in (*request.get("fixed", {}), *request.get("defaults", {})):
        assert name in v5_fields
    for name in (
        *request.get("rename", {}),
        *request.get("values", {}),
        *request.get("unsupported_values", {}),
    ):
        assert v3_request.has_field(name)
    if endpoint.entry["category"] is not None:
        assert "category" in v5_fields
        assert set(category) <= {"request", "symbol", "settle_coin", "default"}
        for source in ("symbol", "settle_coin", "request"):
            if source in category:
                assert v3_request.has_field(category[source])
    else:
        assert "category" not in v5_fields


def _v5_response_keys(v5: dict[str, Any], items: str) -> set[str]:
    """The keys of the V5 objects at ``items`` (from the spec's response classes)."""
    classes = {c["class"]: c for c in v5["response"]}
    main = next(c for c in v5["response"] if c["class"] == v5["endpoint_class"] + "Response")
    keys = {f["name"] for f in main["fields"]}
    if items == "list[0].coin":  # the wallet: the coins under the account
        keys = {f["name"] for f in classes["WalletCoinResponse"]["fields"]}
    return keys


@pytest.mark.parametrize("endpoint", SUPPORTED, ids=str)
def test_every_v3_answer_key_is_renamed_lost_or_in_the_v5_answer(endpoint: V3Endpoint) -> None:
    response = endpoint.response
    v3 = endpoint.endpoint()
    v3_keys = {f.key for f in v3.RESPONSE._fields}
    if all(isinstance(k, int) for k in v3_keys):  # klines: the same arrays in V3 and V5
        return
    v5_keys = _v5_response_keys(endpoint.v5(), response["items"])
    renamed = response.get("rename", {})
    lost = response.get("lost", {})
    for key in v3_keys:
        if key in lost:
            assert key not in renamed
        elif key in renamed:
            assert renamed[key] in v5_keys, (endpoint.name, key, renamed[key])
        else:
            assert key in v5_keys, (endpoint.name, key)
    for key in (*renamed, *lost, *response.get("values", {})):
        assert key in v3_keys, (endpoint.name, key)


@pytest.mark.parametrize("endpoint", SUPPORTED, ids=str)
def test_request_value_maps_give_values_v5_takes(endpoint: V3Endpoint) -> None:
    plan = bridge.plan_of(endpoint.endpoint())
    assert plan is not None
    v5_request = plan.v5_endpoint.REQUEST
    for wire, mapping in endpoint.entry.get("request", {}).get("values", {}).items():
        target = endpoint.entry["request"].get("rename", {}).get(wire, wire)
        for v3_value, v5_value in mapping.items():
            assert endpoint.endpoint().REQUEST().with_field(wire, v3_value).is_set(wire)
            assert v5_request().with_field(target, v5_value).is_set(target)


def test_response_value_maps_give_the_v3_names_of_v5_values() -> None:
    # timeInForce: every V5 value (docs/v5/enum.mdx) that V3 spelt otherwise, in V3's spelling
    orders = BRIDGE["endpoints"]["contract.order.get_open_orders"]["response"]["values"]["timeInForce"]
    assert set(orders) <= {m.value for m in v5_enums.TimeInForce}
    assert orders == {"GTC": "GoodTillCancel", "IOC": "ImmediateOrCancel", "FOK": "FillOrKill"}
    place = BRIDGE["endpoints"]["contract.order.place_order"]["request"]["values"]["timeInForce"]
    assert {v: k for k, v in place.items()} == orders  # the request map is the answer map reversed


@pytest.mark.parametrize("endpoint", UNSUPPORTED, ids=str)
def test_an_endpoint_without_v5_counterpart_names_the_alternative(endpoint: V3Endpoint) -> None:
    text = endpoint.entry["unsupported"]
    assert text["en"].startswith(f"{endpoint.name} has no V5 counterpart: ")
    assert "/v5/" in text["en"]
    assert "carpenstar_bybit.v5." in text["en"]
    assert text["ru"]
    with pytest.raises(SDKException) as caught:
        bridge.plan_of(endpoint.endpoint())
    assert str(caught.value) == text["en"]


def test_refusals_and_docs_texts_come_in_both_languages() -> None:
    def texts(value: Any) -> list[Any]:
        if isinstance(value, dict) and set(value) == {"en", "ru"}:
            return [value]
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        return []

    for key, entry in BRIDGE["endpoints"].items():
        request = entry.get("request", {})
        for group in ("drop", "unsupported"):
            for text in request.get(group, {}).values():
                assert set(text) == {"en", "ru"}, (key, group)
        for by_value in request.get("unsupported_values", {}).values():
            assert all(set(text) == {"en", "ru"} for text in by_value.values())
        for text in entry.get("response", {}).get("lost", {}).values():
            assert set(text) == {"en", "ru"}, key
        for text in texts(entry):
            assert text["en"].isascii(), key  # the engine raises the English text as it is


def test_endpoints_of_the_v5_tree_and_of_users_are_not_translated() -> None:
    from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder
    from carpenstar_bybit.v5.trade.cancel_order import CancelOrder as V5CancelOrder

    class MyCancel(CancelOrder):
        """A user's subclass of a V3 endpoint is bridged as its V3 base."""

    class Custom(Endpoint[Any, Any]):
        URL = "/contract/v3/private/account/something-else"
        METHOD = CancelOrder.METHOD
        IS_PRIVATE = True
        REQUEST = CancelOrder.REQUEST
        RESPONSE = CancelOrder.RESPONSE

    assert bridge.plan_of(V5CancelOrder) is None
    assert bridge.plan_of(Custom) is None
    mine = bridge.plan_of(MyCancel)
    assert mine is not None
    assert mine.route == "POST /v5/order/cancel"


@pytest.mark.parametrize(
    ("symbol", "category"),
    [
        ("BTCUSDT", "linear"),
        ("1000PEPEUSDT", "linear"),
        ("BTCUSDT-21FEB25", "linear"),
        ("BTCPERP", "linear"),
        ("BTC-24MAR23", "linear"),
        ("ETHUSDC", "linear"),
        ("BTCUSD", "inverse"),
        ("ETHUSD", "inverse"),
        ("BTCUSDH23", "inverse"),
        ("BTCUSDZ26", "inverse"),
    ],
)
def test_the_category_of_a_symbol(symbol: str, category: str) -> None:
    """The shapes of docs/v5/enum.mdx ("symbol")."""
    assert bridge.category_of_symbol(symbol) == category


@pytest.mark.parametrize(
    ("coin", "category"), [("USDT", "linear"), ("USDC", "linear"), ("BTC", "inverse"), ("ETH", "inverse")]
)
def test_the_category_of_a_settle_coin(coin: str, category: str) -> None:
    assert bridge.category_of_settle_coin(coin) == category


@pytest.mark.parametrize("page", ["docs/migration.md", "docs/ru/migration.md"])
def test_the_migration_pages_show_every_endpoint_and_every_changed_field(page: str) -> None:
    """The generated tables (kept current by tests/test_docs.py) carry the whole spec: each V3 endpoint
    once, its V5 route, and every field renamed, converted, not sent, refused or lost."""
    from tests.bridge.support import ROOT

    text = (ROOT / page).read_text(encoding="utf-8")
    table = text.split("<!-- generated:v3-over-v5:start -->", 1)[1].split(
        "<!-- generated:v3-over-v5:end -->"
    )[0]
    rows = [row for row in table.splitlines() if row.startswith("| [`")]
    assert len(rows) == 28
    for endpoint in V3_ENDPOINTS:
        (row,) = [r for r in rows if r.startswith(f"| [`{endpoint.name}`]")]
        entry = endpoint.entry
        if entry["route"] is None:
            assert "/v5/" in row
            continue
        assert f"`{entry['route']}`" in row
        request, response = entry.get("request", {}), endpoint.response
        for name in (*request.get("rename", {}), *request.get("drop", {}), *request.get("values", {})):
            assert f"`{name}`" in row, (endpoint, name)
        for name in (*response.get("rename", {}), *response.get("lost", {}), *response.get("values", {})):
            assert f"`{name}`" in row, (endpoint, name)
