"""Base URLs of Bybit's REST API."""

from __future__ import annotations

from typing import Final

__all__ = ["Hosts"]


class Hosts:
    """Known hosts. Any ``http(s)://host[:port]`` base URL is accepted too (e.g. a sandbox's ``url``)."""

    MAINNET: Final = "https://api.bybit.com"
    #: Bybit's alternate mainnet domain.
    MAINNET_ALT: Final = "https://api.bytick.com"
    TESTNET: Final = "https://api-testnet.bybit.com"
