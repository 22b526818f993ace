"""No API key, secret or signature in any log line, repr or exception of a stream, with every
logger at DEBUG (``websockets`` logs each frame it sends, the ``auth`` frame included)."""

from __future__ import annotations

import logging
import re

import pytest

from carpenstar_bybit.v5.stream import StreamAuthenticationException
from tests.stream.conftest import Opener
from tests.stream.helpers import payload
from tests.stream.server import API_KEY, SECRET, ScriptedBybit

SIGNATURE = re.compile(r"\b[0-9a-f]{64}\b")


def test_debug_logs_show_frames_but_never_the_credentials(
    opened: Opener, exchange: ScriptedBybit, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stream = opened.private(topics=["order"])
    exchange.push(payload("order"))
    event = stream.get()
    exchange.drop()
    exchange.wait_peers(2)
    stream.get()  # the ReconnectedEvent: a second auth went out
    with pytest.raises(StreamAuthenticationException) as refused:
        opened.private(secret="another-secret-0123456789")
    text = caplog.text
    assert '"op": "auth"' in text  # websockets' frame lines are there, redacted
    assert "subscribe" in text
    for shown in (text, repr(stream.stream), repr(event), str(refused.value), repr(refused.value)):
        assert API_KEY not in shown
        assert SECRET not in shown
        assert "another-secret" not in shown
        assert not SIGNATURE.search(shown)
