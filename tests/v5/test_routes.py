"""Every V5 route, table-driven from the spec: the exact bytes on the wire and an accepted signature,
the docs' example answers parsed field by field to exact values, validation before any I/O, the
result-level fields of list answers, and ``paginate()`` over ``nextPageCursor`` for every cursor route.

The per-route files (``tests/v5/<family>/test_<route>.py``) keep the explicit values of each route;
this module checks that the same holds for all of them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import IntRange
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed
from tests.v5.routes import ROUTES, UTC, Route, check_item, docs_payload
from tests.v5.samples import SAMPLES

NAMES = sorted(ROUTES)
DOCS_CASES = [(name, path) for name in NAMES for path in ROUTES[name].docs_payloads()]
CURSOR_ROUTES = [name for name in NAMES if ROUTES[name].request()().has_field("cursor")]


def test_every_route_has_a_sample_and_a_docs_example() -> None:
    assert set(SAMPLES) == set(ROUTES)
    for name in NAMES:
        assert ROUTES[name].docs_payloads(), f"{name}: no docs example under tests/v5/payloads/docs"


@pytest.mark.parametrize("name", NAMES)
def test_wire_bytes_are_exact_and_signed(name: str, server: RecordingServer, api: BybitAPI) -> None:
    route, sample = ROUTES[name], SAMPLES[name]
    request = sample.build()
    api.rest(route.endpoint(), request)

    (sent,) = server.requests
    assert sent.method == route.method
    if isinstance(sample.wire, bytes):
        assert route.method == "POST"
        assert sent.target == route.url
        assert sent.body == sample.wire
        assert sent.headers["Content-Type"] == "application/json"
    else:
        assert route.method == "GET"
        assert sent.target == route.url + (f"?{sample.wire}" if sample.wire else "")
        assert sent.body == b""
    if route.private:
        assert_signed(sent)
    else:
        assert not any(header.upper().startswith("X-BAPI-") for header in sent.headers)


def items_of(route: Route, payload: dict[str, Any]) -> list[Any]:
    """The items of an answer as the docs define them (for batches, with their retExtInfo.list codes)."""
    result = payload.get("result") or {}
    listed = result.get("list")
    if not isinstance(listed, list):
        return [result] if result else []
    codes = (payload.get("retExtInfo") or {}).get("list") or []
    return [{**codes[i], **item} if i < len(codes) else item for i, item in enumerate(listed)]


@pytest.mark.parametrize(("name", "path"), DOCS_CASES, ids=[p.stem for _, p in DOCS_CASES])
def test_docs_example_parses_to_exact_values(
    name: str, path: Path, server: RecordingServer, api: BybitAPI
) -> None:
    route = ROUTES[name]
    server.reply(Reply(path.read_bytes()))
    response = api.rest(route.endpoint(), SAMPLES[name].build())
    payload = docs_payload(path)

    items = items_of(route, payload)
    body = response.get_body()
    assert len(body) == len(items)
    compared = sum(
        check_item(route, f"{name}Response", dto, raw) for dto, raw in zip(body, items, strict=True)
    )
    assert compared >= (1 if items and route.classes()[f"{name}Response"]["fields"] else 0)

    result = payload.get("result") or {}
    info = response.get_list_info()
    assert info.get_category() == result.get("category", "")
    assert info.get_symbol() == result.get("symbol", "")
    success = result.get("success")
    assert info.is_success() is (None if success is None else success == "1")
    assert response.get_next_page_cursor() == (result.get("nextPageCursor") or None)
    if "list" in result:  # every result-level key of the example is one the docs list (and read above)
        assert set(result) - {"list"} <= set(route.entry.get("result_fields", [])), path.name
        assert set(route.entry.get("result_fields", [])) <= {
            "category",
            "symbol",
            "success",
            "nextPageCursor",
        }
    if "time" in payload:
        ms = payload["time"]
        assert response.get_time() == datetime.fromtimestamp(ms // 1000, UTC).replace(
            microsecond=ms % 1000 * 1000
        )


@pytest.mark.parametrize("name", [n for n in NAMES if ROUTES[n].request()._required])
def test_missing_required_fields_raise_before_sending(
    name: str, server: RecordingServer, api: BybitAPI
) -> None:
    route = ROUTES[name]
    request = route.request()()
    missing = ", ".join(request._required)
    with pytest.raises(
        SDKException, match=rf"^{request.__class__.__name__}: missing required field\(s\): {missing}"
    ):
        api.rest(route.endpoint(), request)
    assert server.requests == []


@pytest.mark.parametrize("name", CURSOR_ROUTES)
def test_paginate_follows_next_page_cursor(name: str, server: RecordingServer, api: BybitAPI) -> None:
    route = ROUTES[name]
    (path, *_) = route.docs_payloads()
    first = docs_payload(path)
    items = (first.get("result") or {}).get("list") or []
    assert items, f"{path.name}: the docs example of a paged route has items"
    cursor = "page%3D2%26"
    category = (first.get("result") or {}).get("category", "")
    server.reply(
        Reply(envelope({**first["result"], "nextPageCursor": cursor})),
        Reply(envelope({"category": category, "list": items[:1], "nextPageCursor": ""})),
    )
    got = list(api.paginate(route.endpoint(), SAMPLES[name].build()))

    assert len(got) == len(items) + 1
    assert got[-1] == got[0]  # the second page repeats the first item: the same values
    first_query, second_query = (r.query for r in server.requests)
    assert "cursor=" not in first_query
    assert second_query == first_query.split("&cursor=")[0] + "&cursor=page%253D2%2526"
    for sent in server.requests:
        if route.private:
            assert_signed(sent)


BOUNDED = [
    (name, param.wire, param.kind)
    for name in NAMES
    for param in ROUTES[name].request()._params
    if isinstance(param.kind, IntRange)
]


@pytest.mark.parametrize(("name", "wire", "kind"), BOUNDED, ids=[f"{n}.{w}" for n, w, _ in BOUNDED])
def test_bounded_integers_are_checked_by_the_setter(name: str, wire: str, kind: IntRange) -> None:
    entry_field = next(f for f in ROUTES[name].entry["request"][0]["fields"] if f["name"] == wire)
    assert (kind.low, kind.high) == (entry_field["min"], entry_field["max"])
    request = ROUTES[name].request()()
    assert request.with_field(wire, kind.low).is_set(wire)
    assert request.with_field(wire, kind.high).is_set(wire)
    for outside in (kind.low - 1, kind.high + 1):
        with pytest.raises(
            SDKException, match=rf"^{wire}: expected an int from {kind.low} to {kind.high}, got {outside}$"
        ):
            request.with_field(wire, outside)
