"""Fixtures of the sandbox tests: a running sandbox and an SDK client on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from carpenstar_bybit import NO_RETRY, BybitAPI
from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import API_KEY, OTHER_KEY, OTHER_SECRET, SECRET


@pytest.fixture
def exchange() -> Iterator[SandboxExchange]:
    """A sandbox with two accounts and a rate limit the tests never reach by accident."""
    with SandboxExchange(api_keys={API_KEY: SECRET, OTHER_KEY: OTHER_SECRET}, rate_limit=10_000) as ex:
        yield ex
        assert ex.internal_errors() == []


@pytest.fixture
def api(exchange: SandboxExchange) -> Iterator[BybitAPI]:
    """The SDK client of the first account, without retries: one call, one request."""
    with BybitAPI(exchange.url, API_KEY, SECRET, retry=NO_RETRY) as client:
        yield client
