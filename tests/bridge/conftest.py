"""Fixtures of the bridge tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import API_KEY, SECRET
from tests.support.clients import KINDS, Client, client
from tests.support.recording_server import RecordingServer


@pytest.fixture(params=KINDS)
def bridged(request: pytest.FixtureRequest, server: RecordingServer) -> Iterator[Client]:
    """A client of the recording server that sends V3 endpoints over V5 (sync and async)."""
    with client(request.param, server.url, API_KEY, SECRET, v3_over_v5=True) as api:
        yield api
