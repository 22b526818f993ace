"""V5 GetApiKeyInfo (``GET /v5/user/query-api``): permissions, IPs, expiry; the key never in a repr."""

from __future__ import annotations

from datetime import datetime, timezone

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.v5.user.api_key_info import GetApiKeyInfo, GetApiKeyInfoResponse
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import assert_signed, docs_payload_bytes


def test_key_info(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("api_key_info")))
    info = api.rest(GetApiKeyInfo).get_result()
    assert_signed(server.requests[0])
    assert isinstance(info, GetApiKeyInfoResponse)
    assert info.get_id() == "2208369"
    assert info.get_note() == "testnet"
    assert info.get_read_only() == 1
    assert info.get_permissions()["ContractTrade"] == ("Order", "Position")
    assert info.get_permissions()["Options"] == ()
    assert info.get_permissions()["FiatGlobalPay"] == ()  # not in the docs' table: still read
    assert info.get_ips() == ("18.181.170.164", "13.212.45.47", "13.212.45.48")
    assert info.get_type() == 1
    assert info.get_deadline_day() == -2
    assert info.get_created_at() == datetime(2025, 10, 13, 3, 20, 45, tzinfo=timezone.utc)
    assert info.get_expired_at() is None  # the epoch: no expiry
    assert info.get_user_id() == 1448939
    assert info.get_vip_level() == "PRO-1"
    assert info.is_master() is True
    assert info.get_parent_uid() == "0"
    assert (info.get_kyc_level(), info.get_kyc_region()) == ("LEVEL_1", "MYS")


def test_the_api_key_never_shows_in_a_repr(server: RecordingServer, api: BybitAPI) -> None:
    payload = docs_payload_bytes("api_key_info").replace(b'"XXXXXXXX"', b'"kD7fQ2xw9RZp4mB1nC"')
    server.reply(Reply(payload))
    info = api.rest(GetApiKeyInfo).get_result()
    assert info is not None
    assert info.get_api_key() == "kD7fQ2xw9RZp4mB1nC"
    assert "kD7fQ2xw9RZp4mB1nC" not in repr(info)
    assert "kD7fQ2xw9RZp4mB1nC" not in str(info.to_dict())
    assert not hasattr(info, "get_secret")  # "secret" (always "") is not read
