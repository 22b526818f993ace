"""The V5 account routes (wallet balance of the unified account, fee rates, account info) and the
bootstrap routes third-party clients call first (coin info, API key info).

The wallet is the account's state: each coin's balance moves with fills and fees, its margins with
positions and open orders. USD figures value each coin at its USDT perpetual's mark price (USDT and
USDC at 1); account totals add them up.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from carpenstar_bybit.sandbox._envelope import fmt
from carpenstar_bybit.sandbox._errors import ExchangeError, Family
from carpenstar_bybit.sandbox._instruments import MAKER_FEE_RATE, TAKER_FEE_RATE
from carpenstar_bybit.sandbox._ledger import WalletMetrics
from carpenstar_bybit.sandbox._router import Call, Router
from carpenstar_bybit.sandbox._routes_v5_market import category_of

__all__ = ["render_wallet", "router", "usd_price"]

router = Router(Family.V5, private=True)
_STABLE = ("USDT", "USDC")
_ZERO = Decimal(0)
_KEY_LIFETIME_DAYS = 90
_DAY_MS = 86_400_000


def usd_price(call: Call, coin: str) -> Decimal:
    """A coin's USD price: 1 for USDT and USDC, else its USDT perpetual's mark price (0 unlisted)."""
    if coin in _STABLE or coin == "USD":
        return Decimal(1)
    try:
        return call.state.mark_price(f"{coin}USDT")
    except KeyError:
        return _ZERO


def _render_coin(w: WalletMetrics, usd: Decimal) -> dict[str, Any]:
    return {
        "coin": w.coin,
        "equity": fmt(w.equity),
        "usdValue": fmt(w.equity * usd),
        "walletBalance": fmt(w.wallet_balance),
        "free": "",
        "locked": fmt(w.spot_locked),
        "spotHedgingQty": "0",
        "borrowAmount": "0",
        "availableToWithdraw": fmt(w.available_balance),
        "availableToBorrow": "",
        "accruedInterest": "0",
        "totalOrderIM": fmt(w.order_margin),
        "totalPositionIM": fmt(w.position_margin),
        "totalPositionMM": fmt(w.account_mm),
        "unrealisedPnl": fmt(w.unrealised_pnl),
        "cumRealisedPnl": fmt(w.cum_realised_pnl),
        "bonus": "0",
        "marginCollateral": True,
        "collateralSwitch": True,
        "spotBorrow": "0",
    }


def _ratio(part: Decimal, whole: Decimal) -> str:
    return fmt((part / whole).quantize(Decimal("0.0001"))) if whole else "0"


def render_wallet(call: Call, names: list[str] | None = None) -> dict[str, Any]:
    """The unified account as ``/v5/account/wallet-balance`` shows it (the wallet stream too): the
    coins ``names`` (default: every coin that is not zero), with account totals in USD over them."""
    listed = call.state.coins(call.account) if names is None else names
    coins = []
    equity = balance = available = upl = im = mm = _ZERO
    for name in listed:
        w = call.state.wallet(call.account, name)
        if names is None and not (w.wallet_balance or w.equity or w.position_margin or w.order_margin):
            continue  # without ``coin``, only assets that are not zero
        usd = usd_price(call, name)
        coins.append(_render_coin(w, usd))
        equity += w.equity * usd
        balance += w.wallet_balance * usd
        available += w.available_balance * usd
        upl += w.unrealised_pnl * usd
        im += w.account_im * usd
        mm += w.account_mm * usd
    margin_balance = balance + upl
    return {
        "accountType": "UNIFIED",
        "accountIMRate": _ratio(im, margin_balance),
        "accountIMRateByMp": _ratio(im, margin_balance),
        "accountMMRate": _ratio(mm, margin_balance),
        "accountMMRateByMp": _ratio(mm, margin_balance),
        "totalEquity": fmt(equity),
        "totalWalletBalance": fmt(balance),
        "totalMarginBalance": fmt(margin_balance),
        "totalAvailableBalance": fmt(available),
        "totalPerpUPL": fmt(upl),
        "totalInitialMargin": fmt(im),
        "totalInitialMarginByMp": fmt(im),
        "totalMaintenanceMargin": fmt(mm),
        "totalMaintenanceMarginByMp": fmt(mm),
        "accountLTV": "0",
        "coin": coins,
    }


@router.get("/v5/account/wallet-balance")
def wallet_balance(call: Call) -> dict[str, Any]:
    """The unified account (``accountType=UNIFIED``): every coin it holds (or the ``coin`` list
    asked for, comma-separated), with account totals in USD."""
    p = call.params
    account_type = p.text("accountType", required=True)
    if account_type != "UNIFIED":
        raise ExchangeError.params("accountType only support UNIFIED")
    asked = p.text("coin")
    names = [c.strip() for c in asked.split(",") if c.strip()] if asked else None
    return {"list": [render_wallet(call, names)]}


@router.get("/v5/account/fee-rate")
def fee_rate(call: Call) -> dict[str, Any]:
    """Taker and maker fee rates of a category's symbols (or of one ``symbol``)."""
    category = category_of(call)
    symbol = call.params.text("symbol")
    base = call.params.text("baseCoin")
    if symbol is not None:
        listed = [call.state.instrument(symbol, (category,))]
    else:
        listed = call.state.instruments(category)
    rates = {"takerFeeRate": fmt(TAKER_FEE_RATE), "makerFeeRate": fmt(MAKER_FEE_RATE)}
    if category == "option":
        bases = sorted({i.base_coin for i in listed if base is None or i.base_coin == base})
        return {"category": "option", "list": [{"symbol": "", "baseCoin": b, **rates} for b in bases]}
    items = [{"symbol": i.symbol, **rates} for i in listed]
    return {"category": category, "list": items} if category == "spot" else {"list": items}


@router.get("/v5/account/info")
def account_info(call: Call) -> dict[str, Any]:
    """The account's mode: a unified trading account (UTA 2.0), regular (cross) margin."""
    return {
        "unifiedMarginStatus": 5,
        "marginMode": "REGULAR_MARGIN",
        "isMasterTrader": False,
        "spotHedgingStatus": "OFF",
        "updatedTime": str(call.account.created_ms),
        "dcpStatus": "OFF",
        "timeWindow": 0,
        "smpGroup": 0,
    }


#: Coins with their chains: (name, chain, chain type, withdraw fee, minimum withdrawal, precision).
_CHAINS = {
    "BTC": ("Bitcoin", "BTC", "BTC", "0.0002", "0.001", "8"),
    "ETH": ("Ethereum", "ETH", "ERC20", "0.0012", "0.0024", "8"),
    "USDT": ("Tether USDT", "ETH", "ERC20", "4", "10", "4"),
    "USDC": ("USD Coin", "ETH", "ERC20", "4", "10", "4"),
    "SOL": ("Solana", "SOL", "SOL", "0.01", "0.1", "8"),
    "XRP": ("Ripple", "XRP", "XRP", "0.25", "20", "6"),
}


def _known_coins(call: Call) -> list[str]:
    found = set(_CHAINS)
    for instrument in call.state.instruments():
        found.update((instrument.base_coin, instrument.quote_coin, instrument.settle_coin))
    found.discard("USD")
    return sorted(found)


@router.get("/v5/asset/coin/query-info")
def coin_info(call: Call) -> dict[str, Any]:
    """Every coin of the listed instruments (or one ``coin``), with its deposit and withdrawal chain."""
    asked = call.params.text("coin")
    names = [asked] if asked is not None else _known_coins(call)
    rows = []
    for name in names:
        title, chain, chain_type, fee, minimum, precision = _CHAINS.get(
            name, (name, name, name, "0", "0", "8")
        )
        rows.append(
            {
                "name": title,
                "coin": name,
                "remainAmount": "1000000",
                "chains": [
                    {
                        "chainType": chain_type,
                        "confirmation": "6",
                        "withdrawFee": fee,
                        "depositMin": "0",
                        "withdrawMin": minimum,
                        "chain": chain,
                        "chainDeposit": "1",
                        "chainWithdraw": "1",
                        "minAccuracy": precision,
                        "withdrawPercentageFee": "0",
                        "contractAddress": "",
                        "safeConfirmNumber": "6",
                        "withdrawMax": "-1",
                    }
                ],
            }
        )
    return {"rows": rows}


def _iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@router.get("/v5/user/query-api")
def api_key_info(call: Call) -> dict[str, Any]:
    """The calling key: read-write, trading permissions, its account (a UTA master account)."""
    api_key = call.api_key or ""
    digest = hashlib.sha256(api_key.encode()).digest()
    user_id = 100_000_000 + int.from_bytes(digest[:4], "big") % 900_000_000
    created = call.account.created_ms
    return {
        "id": str(int.from_bytes(digest[4:8], "big") % 10_000_000),
        "note": "carpenstar-bybit sandbox",
        "apiKey": api_key,
        "readOnly": 0,
        "secret": "",
        "permissions": {
            "ContractTrade": ["Order", "Position"],
            "Spot": ["SpotTrade"],
            "Wallet": ["AccountTransfer", "SubMemberTransfer"],
            "Options": ["OptionsTrade"],
            "Derivatives": ["DerivativesTrade"],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": ["ExchangeHistory"],
            "NFT": [],
            "Affiliate": [],
            "Earn": [],
            "FiatP2P": [],
            "FiatBitPay": [],
            "FiatConvertBroker": [],
            "BitCard": [],
            "ByXPost": [],
        },
        "ips": ["*"],
        "type": 1,
        "deadlineDay": _KEY_LIFETIME_DAYS - (call.server_ms - created) // _DAY_MS,
        "expiredAt": _iso(created + _KEY_LIFETIME_DAYS * _DAY_MS),
        "createdAt": _iso(created),
        "unified": 0,
        "uta": 1,
        "userID": user_id,
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
        "rsaPublicKey": call.state.rsa_public_keys.get(api_key, ""),
        "isMaster": True,
        "parentUid": "0",
        "kycLevel": "LEVEL_DEFAULT",
        "kycRegion": "",
    }
