"""The public surface of ``carpenstar_bybit``: sorted, complete, and what DESIGN.md names."""

from __future__ import annotations

import carpenstar_bybit


def test_public_names_are_unique_and_exported() -> None:
    names = carpenstar_bybit.__all__  # its order is checked by ruff (RUF022)
    assert len(set(names)) == len(names)
    for name in names:
        assert hasattr(carpenstar_bybit, name), name


def test_design_names_are_exported_from_the_top_package() -> None:
    design = {
        "BybitAPI",
        "Hosts",
        "EnumOutputMode",
        "BybitException",
        "SDKException",
        "ApiException",
        "AuthenticationException",
        "TimestampException",
        "RateLimitException",
        "InvalidParameterException",
        "OrderNotFoundException",
        "ServerException",
        "TransportException",
        "DuplicateOrderException",
        "InsufficientBalanceException",
    }
    assert design <= set(carpenstar_bybit.__all__)
    for name in design - {"BybitAPI", "Hosts", "EnumOutputMode"}:
        assert issubclass(getattr(carpenstar_bybit, name), carpenstar_bybit.BybitException)


def test_hosts() -> None:
    assert carpenstar_bybit.Hosts.MAINNET == "https://api.bybit.com"
    assert carpenstar_bybit.Hosts.MAINNET_ALT == "https://api.bytick.com"
    assert carpenstar_bybit.Hosts.TESTNET == "https://api-testnet.bybit.com"
