"""V5 ServerTime (``GET /v5/market/time``, public): an unsigned GET with no query, two integer clocks."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from carpenstar_bybit import BybitAPI, EnumOutputMode, SDKException
from carpenstar_bybit.v5.market.server_time import (
    IServerTimeResponseInterface,
    ServerTime,
    ServerTimeRequest,
    ServerTimeResponse,
)
from tests.support.recording_server import RecordingServer
from tests.v5.conftest import payload_bytes, payload_reply


def test_public_call_sends_no_credentials_and_parses_both_clocks(server: RecordingServer) -> None:
    server.reply(payload_reply("server_time"))
    with BybitAPI(server.url) as api:
        response = api.public_endpoint(ServerTime).execute()

    (sent,) = server.requests
    assert sent.method == "GET"
    assert sent.target == "/v5/market/time"
    assert sent.body == b""
    assert not any(name.upper().startswith("X-BAPI-") for name in sent.headers)

    result = response.get_result()
    assert isinstance(result, ServerTimeResponse)
    assert isinstance(result, IServerTimeResponseInterface)
    assert result.get_time_second() == 1688639403
    assert result.get_time_nano() == 1688639403423213947
    assert result.get_time_nano() // 1_000_000_000 == result.get_time_second()  # type: ignore[operator]
    assert response.get_time() == datetime(2023, 7, 6, 10, 30, 3, 423000, tzinfo=timezone.utc)


def test_a_signed_client_does_not_sign_a_public_call(server: RecordingServer, api: BybitAPI) -> None:
    api.rest(ServerTime, ServerTimeRequest())
    assert "X-BAPI-SIGN" not in server.requests[0].headers
    assert server.requests[0].target == "/v5/market/time"


def test_json_mode_returns_the_body_unchanged(server: RecordingServer) -> None:
    server.reply(payload_reply("server_time"))
    with BybitAPI(server.url) as api:
        response = api.rest(ServerTime, None, EnumOutputMode.MODE_JSON)
    assert response.get_result() == payload_bytes("server_time").decode()


def test_private_endpoint_refuses_a_public_endpoint(server: RecordingServer, api: BybitAPI) -> None:
    with pytest.raises(SDKException, match=r"ServerTime is a public endpoint: use public_endpoint\(\)"):
        api.private_endpoint(ServerTime)  # type: ignore[arg-type]
    assert server.requests == []
