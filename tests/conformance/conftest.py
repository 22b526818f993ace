"""Fixtures of the conformance suite: a sandbox, and pybit and ccxt clients pointed at it with
nothing changed but their host (install them with ``pip install -e ".[conformance]"``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from carpenstar_bybit.sandbox import SandboxExchange

API_KEY = "CONFkey0a1b2c3d4"
SECRET = "CONFsecret9f8e7d6c5b4a"


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    """A sandbox with Bybit's per-route rate limits; its internal error list must stay empty."""
    with SandboxExchange(api_keys={API_KEY: SECRET}) as ex:
        yield ex
        assert ex.internal_errors() == []


def pybit_client(ex: SandboxExchange, secret: str = SECRET, **options: Any) -> Any:
    """pybit's ``unified_trading.HTTP`` with its host changed to the sandbox's."""
    unified_trading = pytest.importorskip("pybit.unified_trading")
    session = unified_trading.HTTP(api_key=API_KEY, api_secret=secret, **options)
    session.endpoint = ex.url
    return session


def ccxt_client(ex: SandboxExchange, secret: str = SECRET) -> Any:
    """ccxt's ``bybit`` with every API host changed to the sandbox's."""
    ccxt = pytest.importorskip("ccxt")
    # ccxt throttles itself to Bybit's limits by default; the sandbox enforces them, so the throttle only
    # slows the suite down.
    client = ccxt.bybit({"apiKey": API_KEY, "secret": secret, "enableRateLimit": False})
    client.urls["api"] = {name: ex.url for name in client.urls["api"]}
    return client
