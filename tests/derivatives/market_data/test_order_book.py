"""Market Data → Order Book: ``GET /derivatives/v3/public/order-book/L2``: a single result object whose
``b``/``a`` levels are ``[price, size]`` arrays."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from carpenstar_bybit import SDKException
from carpenstar_bybit.derivatives.market_data.order_book import (
    IOrderBookPriceResponse,
    IOrderBookResponse,
    OrderBook,
    OrderBookPriceItemResponse,
    OrderBookRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_unsigned, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/derivatives/v3/public/order-book/L2"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(
        server, OrderBook, OrderBookRequest().set_symbol("BTCPERP"), payload("MarketData.OrderBook")
    )
    assert response.get_time() == datetime(2022, 12, 25, 11, 52, 2, 869000, tzinfo=UTC)
    assert len(response.get_body()) == 1  # one book, not one entity per level
    book = response.get_result()
    assert isinstance(book, IOrderBookResponse)
    assert book.get_symbol() == "BTCPERP"
    assert book.get_timestamp() == datetime(2022, 12, 25, 11, 52, 2, 791000, tzinfo=UTC)
    assert book.get_update_id() == 6404345
    bids, asks = book.get_bid(), book.get_ask()
    assert len(bids) == 2
    assert len(asks) == 2
    assert all(isinstance(level, OrderBookPriceItemResponse) for level in (*bids, *asks))
    assert all(isinstance(level, IOrderBookPriceResponse) for level in (*bids, *asks))
    assert [(b.get_price(), b.get_quantity()) for b in bids] == [
        (Decimal("16818"), Decimal("0.156")),
        (Decimal("16818.5"), Decimal("0.183")),
    ]
    assert [(a.get_price(), a.get_quantity()) for a in asks] == [
        (Decimal("16819"), Decimal("0.454")),
        (Decimal("16819.5"), Decimal("0.054")),
    ]
    # the PHP collection API on the nested levels
    assert bids.count() == 2
    assert bids.fetch() is bids[0]
    assert bids.fetch() is bids[1]
    assert bids.fetch() is None


def test_an_empty_side_of_the_book_is_an_empty_collection(server: RecordingServer) -> None:
    body = payload("MarketData.OrderBook")
    body["result"]["a"] = []
    response, _ = call(server, OrderBook, OrderBookRequest().set_symbol("BTCPERP"), body)
    book = response.get_result()
    assert book is not None
    assert len(book.get_ask()) == 0
    assert len(book.get_bid()) == 2


def test_wire(server: RecordingServer) -> None:
    _, sent = call(server, OrderBook, OrderBookRequest().set_limit(50).set_symbol("BTCPERP"))
    assert_get(sent, PATH, "category=linear&symbol=BTCPERP&limit=50")
    assert_unsigned(sent)


def test_wire_defaults(server: RecordingServer) -> None:
    _, sent = call(server, OrderBook, OrderBookRequest().set_symbol("BTCPERP"))
    assert_get(sent, PATH, "category=linear&symbol=BTCPERP&limit=25")


def test_symbol_is_required_before_sending(server: RecordingServer) -> None:
    with pytest.raises(SDKException, match=r"^OrderBookRequest: missing required field\(s\): symbol$"):
        call(server, OrderBook, OrderBookRequest())
    assert server.requests == []
