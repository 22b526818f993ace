"""V5 GetOrderbook (``GET /v5/market/orderbook``, public): levels as typed (price, size) tuples."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.market.orderbook import (
    GetOrderbook,
    GetOrderbookRequest,
    IOrderbookLevelResponseInterface,
    OrderbookLevelResponse,
)
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import docs_payload_bytes

UTC = timezone.utc


def test_docs_book_reads_to_exact_levels(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("orderbook")))
    book = api.rest(
        GetOrderbook, GetOrderbookRequest().set_category("spot").set_symbol("BTCUSDT")
    ).get_result()
    assert book is not None
    assert book.get_symbol() == "BTCUSDT"
    (bid,) = book.get_bids()
    (ask,) = book.get_asks()
    assert isinstance(bid, OrderbookLevelResponse)
    assert isinstance(bid, IOrderbookLevelResponseInterface)
    price, size = bid  # a tuple, unpacked like Bybit's array
    assert (price, size) == (Decimal("65485.47"), Decimal("47.081829"))
    assert (ask.get_price(), ask.get_size()) == (Decimal("65557.7"), Decimal("16.606555"))
    assert ask == (Decimal("65557.7"), Decimal("16.606555"))
    assert book.get_timestamp() == datetime(2024, 5, 28, 2, 35, 19, 31000, tzinfo=UTC)
    assert book.get_cts() == datetime(2024, 5, 28, 2, 35, 18, 905000, tzinfo=UTC)
    assert book.get_update_id() == 230704
    assert book.get_seq() == 1432604333


def test_many_levels_keep_their_order_and_digits(server: RecordingServer, api: BybitAPI) -> None:
    bids = [[f"{30000 - i}.5", f"0.{i:03d}"] for i in range(200)]
    asks = [[f"{30001 + i}.0", "1E-3"] for i in range(200)]
    server.reply(
        Reply(envelope({"s": "BTCUSDT", "b": bids, "a": asks, "ts": 1716863719031, "u": 1, "seq": 2}))
    )
    book = api.rest(
        GetOrderbook, GetOrderbookRequest().set_category("linear").set_symbol("BTCUSDT").set_limit(200)
    )
    result = book.get_result()
    assert result is not None
    assert [str(level.get_price()) for level in result.get_bids()] == [b[0] for b in bids]
    assert result.get_asks()[0].get_size() == Decimal("0.001")
    assert result.get_bids()[199] == (Decimal("29801.5"), Decimal("0.199"))
    assert server.requests[0].query == "category=linear&symbol=BTCUSDT&limit=200"


def test_symbol_and_category_are_required(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"missing required field\(s\): symbol$"):
        api.rest(GetOrderbook, GetOrderbookRequest().set_category("spot"))
    assert server.requests == []
