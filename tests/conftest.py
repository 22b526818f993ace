"""Fixtures shared by the whole suite."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.recording_server import RecordingServer, recording_server

API_KEY = "XXXXXXXXXX"
SECRET = "YYYYYYYYYY"


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    """A recording HTTP server on 127.0.0.1."""
    with recording_server() as srv:
        yield srv
