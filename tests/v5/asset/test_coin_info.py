"""V5 GetCoinInfo (``GET /v5/asset/coin/query-info``): coins with their chains."""

from __future__ import annotations

from decimal import Decimal

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.v5.asset.coin_info import (
    CoinChainResponse,
    CoinInfoRowResponse,
    GetCoinInfo,
    GetCoinInfoRequest,
    GetCoinInfoResponse,
)
from tests.support.recording_server import RecordingServer, Reply
from tests.v5.conftest import assert_signed, docs_payload_bytes


def test_coin_with_its_chains(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("coin_info")))
    response = api.rest(GetCoinInfo, GetCoinInfoRequest().set_coin("MNT"))
    assert server.requests[0].target == "/v5/asset/coin/query-info?coin=MNT"
    assert_signed(server.requests[0])
    result = response.get_result()
    assert isinstance(result, GetCoinInfoResponse)  # the result object: its coins are under rows
    (mnt,) = result.get_rows()
    assert isinstance(mnt, CoinInfoRowResponse)
    assert (mnt.get_name(), mnt.get_coin()) == ("MNT", "MNT")
    assert mnt.get_remain_amount() == Decimal("10000000")
    eth, mantle = mnt.get_chains()
    assert isinstance(eth, CoinChainResponse)
    assert (eth.get_chain(), eth.get_chain_type()) == ("ETH", "Ethereum")
    assert eth.get_confirmation() == 6
    assert eth.get_withdraw_fee() == Decimal("3")
    assert eth.get_withdraw_min() == Decimal("3")
    assert eth.get_min_accuracy() == 8
    assert eth.is_chain_deposit() is True  # "1"
    assert eth.is_chain_withdraw() is True
    assert eth.get_safe_confirm_number() == 65
    assert eth.get_contract_address() == "0x3c3a81e81dc49a522a592e7622a7e711c06bf354"
    assert mantle.get_contract_address() == ""
    assert mantle.get_withdraw_fee() == Decimal("0")
    assert mantle.get_withdraw_max() == Decimal("10000000")


def test_all_coins_without_a_filter(server: RecordingServer, api: BybitAPI) -> None:
    api.rest(GetCoinInfo)
    assert server.requests[0].target == "/v5/asset/coin/query-info"
