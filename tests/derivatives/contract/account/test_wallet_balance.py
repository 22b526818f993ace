"""Contract → Account → Wallet Balance: ``GET /contract/v3/private/account/wallet/balance``."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from carpenstar_bybit.derivatives.contract.account.wallet_balance import (
    IWalletBalanceResponseInterface,
    WalletBalance,
    WalletBalanceRequest,
)
from tests.derivatives.harness import UTC, assert_get, assert_signed, call, payload
from tests.support.recording_server import RecordingServer

PATH = "/contract/v3/private/account/wallet/balance"


def test_parses_the_captured_payload(server: RecordingServer) -> None:
    response, _ = call(server, WalletBalance, None, payload("Contract.Account.WalletBalance"))
    assert response.get_time() == datetime(2022, 12, 13, 9, 27, 11, 261000, tzinfo=UTC)
    assert response.get_next_page_cursor() is None
    (usdc,) = response.get_body()
    assert isinstance(usdc, IWalletBalanceResponseInterface)
    assert usdc.get_coin() == "USDC"
    assert usdc.get_equity() == Decimal("1259.7788251")
    assert usdc.get_wallet_balance() == Decimal("1259.7488251")
    assert usdc.get_position_margin() == Decimal("1259.7788251")
    assert usdc.get_available_balance() == Decimal("1246.7387871")
    assert usdc.get_order_margin() == Decimal("0")
    assert usdc.get_occ_closing_fee() == Decimal("0")
    assert usdc.get_occ_funding_fee() == Decimal("0")
    assert usdc.get_unrealised_pnl() == Decimal("0.03")
    assert usdc.get_cum_realised_pnl() == Decimal("26.6561752")
    assert usdc.get_given_cash() == Decimal("0")
    assert usdc.get_service_cash() == Decimal("0")
    # accountIM / accountMM are strings in the PHP interface: kept as the exchange wrote them
    assert usdc.get_account_im() == "13.040038"
    assert usdc.get_account_mm() == "1.367038"
    # exactness: no float went in between
    assert str(usdc.get_equity()) == "1259.7788251"


def test_wire_with_coin(server: RecordingServer) -> None:
    _, sent = call(server, WalletBalance, WalletBalanceRequest().set_coin("USDC"))
    assert_get(sent, PATH, "coin=USDC")
    assert_signed(sent)


def test_wire_without_coin(server: RecordingServer) -> None:
    _, sent = call(server, WalletBalance, WalletBalanceRequest())
    assert_get(sent, PATH, "")
    assert_signed(sent)
