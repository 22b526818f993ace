"""V5 account: wallet balance (``/v5/account/wallet-balance``), fee rates (``/v5/account/fee-rate``)
and account info (``/v5/account/info``)."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.v5.account.account_info import GetAccountInfo, GetAccountInfoResponse
from carpenstar_bybit.v5.account.fee_rate import GetFeeRate, GetFeeRateRequest
from carpenstar_bybit.v5.account.wallet_balance import (
    GetWalletBalance,
    GetWalletBalanceRequest,
    IWalletCoinResponseInterface,
    WalletCoinResponse,
)
from carpenstar_bybit.v5.enums import AccountType, Category, MarginMode, UnifiedMarginStatus
from tests.support.recording_server import RecordingServer, Reply, envelope
from tests.v5.conftest import assert_signed, docs_payload_bytes

UTC = timezone.utc


def test_wallet_totals_and_coins(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("wallet_balance")))
    request = GetWalletBalanceRequest().set_account_type(AccountType.UNIFIED).set_coin("BTC")
    wallet = api.rest(GetWalletBalance, request).get_result()
    assert_signed(server.requests[0])
    assert wallet is not None
    assert wallet.get_account_type() == AccountType.UNIFIED
    assert wallet.get_total_equity() == Decimal("3.31216591")
    assert wallet.get_total_wallet_balance() == Decimal("3.00326056")
    assert wallet.get_total_available_balance() == Decimal("3.00326056")
    assert wallet.get_total_perp_upl() == Decimal("0")
    assert wallet.get_account_im_rate() == Decimal("0")
    assert wallet.get_account_ltv() == Decimal("0")
    (btc,) = wallet.get_coin()
    assert isinstance(btc, WalletCoinResponse)
    assert isinstance(btc, IWalletCoinResponseInterface)
    assert btc.get_coin() == "BTC"
    assert btc.get_wallet_balance() == Decimal("0")
    assert btc.get_spot_hedging_qty() == Decimal("0.01592413")
    assert btc.get_borrow_amount() == Decimal("0.0")
    assert btc.is_margin_collateral() is True
    assert btc.is_collateral_switch() is True
    assert btc.get_available_to_borrow() == Decimal("3")  # deprecated, still read
    assert btc.get_col_res() is None  # not in this example


def test_several_coins_are_one_comma_separated_value(server: RecordingServer, api: BybitAPI) -> None:
    api.rest(GetWalletBalance, GetWalletBalanceRequest().set_account_type("UNIFIED").set_coin("USDT,USDC"))
    assert server.requests[0].query == "accountType=UNIFIED&coin=USDT%2CUSDC"
    with pytest.raises(
        SDKException, match=r"accountType: expected one of 'UNIFIED' \(AccountType\), got AccountType.FUND"
    ):
        GetWalletBalanceRequest().set_account_type(AccountType.FUND)  # the funding wallet has its own route


def test_fee_rates(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(
        Reply(docs_payload_bytes("fee_rate")),
        Reply(
            envelope(
                {
                    "category": "option",
                    "list": [
                        {"symbol": "", "baseCoin": "SOL", "takerFeeRate": "0.0003", "makerFeeRate": "0.0003"}
                    ],
                }
            )
        ),
    )
    (eth,) = api.rest(
        GetFeeRate, GetFeeRateRequest().set_category(Category.LINEAR).set_symbol("ETHUSDT")
    ).get_body()
    assert (eth.get_symbol(), eth.get_taker_fee_rate(), eth.get_maker_fee_rate()) == (
        "ETHUSDT",
        Decimal("0.0006"),
        Decimal("0.0001"),
    )
    response = api.rest(GetFeeRate, GetFeeRateRequest().set_category(Category.OPTION).set_base_coin("SOL"))
    (sol,) = response.get_body()
    assert (sol.get_symbol(), sol.get_base_coin()) == ("", "SOL")
    assert response.get_list_info().get_category() == "option"
    assert server.requests[1].query == "category=option&baseCoin=SOL"
    with pytest.raises(SDKException, match=r"missing required field\(s\): category$"):
        api.rest(GetFeeRate, GetFeeRateRequest().set_symbol("ETHUSDT"))
    assert len(server.requests) == 2


def test_account_info(server: RecordingServer, api: BybitAPI) -> None:
    server.reply(Reply(docs_payload_bytes("account_info")))
    response = api.private_endpoint(GetAccountInfo).execute()
    assert server.requests[0].target == "/v5/account/info"
    assert_signed(server.requests[0])
    info = response.get_result()
    assert isinstance(info, GetAccountInfoResponse)
    assert info.get_margin_mode() == MarginMode.REGULAR_MARGIN
    assert info.get_unified_margin_status() == UnifiedMarginStatus.UTA_1_PRO
    assert info.is_master_trader() is False
    assert info.get_spot_hedging_status() == "OFF"
    assert info.get_updated_time() == datetime(2023, 10, 12, 2, 49, 6, tzinfo=UTC)
    assert info.get_time_window() == 10
    assert response.get_time() is None  # this example has no envelope time
