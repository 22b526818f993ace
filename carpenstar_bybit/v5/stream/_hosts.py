"""Where Bybit's V5 streams are: base URLs, and the paths of the public and private streams."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from carpenstar_bybit.core.exceptions import SDKException

__all__ = ["PUBLIC_CATEGORIES", "StreamHosts", "private_url", "public_url"]

#: The categories of the public streams, each at ``/v5/public/{category}``.
PUBLIC_CATEGORIES: Final = ("spot", "linear", "inverse", "option")


class StreamHosts:
    """Base URLs of the streams (``docs/v5/ws/connect``). Any ``ws://`` or ``wss://`` base URL is
    accepted too (e.g. a sandbox's ``ws_url``); the stream adds Bybit's path to it."""

    MAINNET: Final = "wss://stream.bybit.com"
    TESTNET: Final = "wss://stream-testnet.bybit.com"
    #: Demo trading: private streams only (its public data is mainnet's).
    DEMO: Final = "wss://stream-demo.bybit.com"


def _base(host: str) -> str:
    if not isinstance(host, str):
        raise SDKException(f"host must be a string, got {type(host).__name__}")
    parts = urlsplit(host)
    if parts.scheme not in ("ws", "wss") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise SDKException(f"host must be a WebSocket base URL like 'wss://stream.bybit.com', got {host!r}")
    return f"{parts.scheme}://{parts.netloc}"


def public_url(host: str, category: str) -> str:
    """``{host}/v5/public/{category}``, after checking both."""
    if category not in PUBLIC_CATEGORIES:
        raise SDKException(f"category must be one of {', '.join(PUBLIC_CATEGORIES)}, got {category!r}")
    return f"{_base(host)}/v5/public/{category}"


def private_url(host: str) -> str:
    """``{host}/v5/private``, after checking the host."""
    return f"{_base(host)}/v5/private"
