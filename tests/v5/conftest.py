"""Fixtures of the V5 tests: a client on the loopback recording server, and the recorded payloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from carpenstar_bybit import BybitAPI
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import Recorded, RecordingServer, Reply

PAYLOADS = Path(__file__).parent / "payloads"

#: An ``extraFees`` element as Bybit's execution topic documents it (REST examples only show ``""``).
EXTRA_FEE = {
    "feeCoin": "USDT",
    "feeType": "GST",
    "subFeeType": "IND_GST",
    "feeRate": "0.0000675",
    "fee": "0.006403779",
}


def payload_bytes(name: str) -> bytes:
    """The exact bytes of ``tests/v5/payloads/<name>.json``."""
    return (PAYLOADS / f"{name}.json").read_bytes()


def docs_payload_bytes(name: str) -> bytes:
    """The exact bytes of ``tests/v5/payloads/docs/<name>.json`` (the example answer of Bybit's docs)."""
    return (PAYLOADS / "docs" / f"{name}.json").read_bytes()


def payload_reply(name: str) -> Reply:
    """A reply whose body is the payload file, byte for byte."""
    return Reply(payload_bytes(name))


def payload_result(name: str) -> Any:
    """The ``result`` object of a payload, as plain JSON."""
    return json.loads(payload_bytes(name))["result"]


def assert_signed(sent: Recorded) -> None:
    """The request carries V5 auth headers and a signature the exchange would recompute identically."""
    headers = sent.headers
    assert headers["X-BAPI-API-KEY"] == API_KEY
    assert headers["X-BAPI-RECV-WINDOW"] == "5000"
    assert headers["X-BAPI-SIGN-TYPE"] == "2"
    assert headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)
    timestamp = int(headers["X-BAPI-TIMESTAMP"])
    assert sent.received_ms - 5000 <= timestamp < sent.received_ms + 1000


@pytest.fixture
def api(server: RecordingServer) -> Iterator[BybitAPI]:
    """A signed client pointed at the recording server."""
    with BybitAPI(server.url, API_KEY, SECRET) as client:
        yield client
