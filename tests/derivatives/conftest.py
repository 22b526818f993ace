"""Fixtures of the derivatives tests.

``server`` is the suite's recording server, started once for this package and reset before each test
(no recorded requests, no queued replies, the default answer): several hundred wire tests then cost
no server start-up and shutdown each. Every client a test makes is closed by the test (``with``), so
no connection outlives it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.recording_server import RecordingServer, recording_server


@pytest.fixture(scope="package")
def _shared_server() -> Iterator[RecordingServer]:
    with recording_server() as srv:
        yield srv


@pytest.fixture
def server(_shared_server: RecordingServer) -> Iterator[RecordingServer]:
    """The shared recording server, reset: nothing recorded, nothing scripted."""
    default = _shared_server.default
    _shared_server.requests.clear()
    _shared_server.replies.clear()
    yield _shared_server
    _shared_server.requests.clear()
    _shared_server.replies.clear()
    _shared_server.default = default
