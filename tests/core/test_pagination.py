"""``BybitAPI.paginate`` follows cursors to the end, bounded, without touching the caller's request."""

from __future__ import annotations

from typing import Any

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder
from carpenstar_bybit.derivatives.contract.order.get_order_list import GetOrderList, GetOrderListRequest
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import RecordingServer, Reply, envelope


def page(ids: list[str], cursor: str) -> Reply:
    items: list[dict[str, Any]] = [{"orderId": i, "symbol": "BTCUSDT", "price": "100.5"} for i in ids]
    return Reply(envelope({"list": items, "nextPageCursor": cursor}))


def test_walks_every_page_and_passes_each_cursor_back_exactly(server: RecordingServer) -> None:
    server.reply(page(["a", "b"], "c%2F1=="), page(["c", "d"], "page-3"), page(["e"], ""))
    request = GetOrderListRequest().set_symbol("BTCUSDT").set_limit(2)
    items = list(BybitAPI(server.url, API_KEY, SECRET).paginate(GetOrderList, request))
    assert [i.get_order_id() for i in items] == ["a", "b", "c", "d", "e"]
    assert [r.query for r in server.requests] == [
        "symbol=BTCUSDT&limit=2",
        "symbol=BTCUSDT&limit=2&cursor=c%252F1%3D%3D",
        "symbol=BTCUSDT&limit=2&cursor=page-3",
    ]
    assert request.get_cursor() is None  # the caller's request is untouched
    for sent in server.requests:
        assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)


def test_max_items_stops_early_without_fetching_more_pages(server: RecordingServer) -> None:
    server.reply(page(["a", "b"], "p2"), page(["c", "d"], "p3"))
    api = BybitAPI(server.url, API_KEY, SECRET)
    items = list(api.paginate(GetOrderList, GetOrderListRequest(), max_items=3))
    assert [i.get_order_id() for i in items] == ["a", "b", "c"]
    assert len(server.requests) == 2


def test_max_pages_bounds_the_walk(server: RecordingServer) -> None:
    server.reply(page(["a"], "p2"), page(["b"], "p3"), page(["c"], "p4"))
    items = list(BybitAPI(server.url, API_KEY, SECRET).paginate(GetOrderList, max_pages=2))
    assert [i.get_order_id() for i in items] == ["a", "b"]
    assert len(server.requests) == 2


def test_a_repeated_cursor_stops_with_an_error_instead_of_looping(server: RecordingServer) -> None:
    server.reply(page(["a"], "same"), page(["b"], "same"))
    walk = BybitAPI(server.url, API_KEY, SECRET).paginate(GetOrderList)
    assert next(walk).get_order_id() == "a"
    assert next(walk).get_order_id() == "b"
    with pytest.raises(SDKException, match="returned the cursor 'same' twice"):
        next(walk)


def test_endpoints_without_a_cursor_and_bad_bounds_are_refused(server: RecordingServer) -> None:
    api = BybitAPI(server.url, API_KEY, SECRET)
    with pytest.raises(SDKException, match="CancelOrderRequest has no cursor"):
        next(api.paginate(CancelOrder))
    with pytest.raises(SDKException, match="max_items must be a positive int"):
        next(api.paginate(GetOrderList, max_items=0))
    assert server.requests == []
