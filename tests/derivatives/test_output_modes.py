"""The PHP 3.x output modes for every endpoint's real payload: ``MODE_ENTITY`` (DTOs, the default),
``MODE_ARRAY`` (the raw items, one per list item or the result object) and ``MODE_JSON`` (the body)."""

from __future__ import annotations

import json

import pytest

from carpenstar_bybit import BybitAPI, EnumOutputMode
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import ENDPOINTS, SpecEndpoint, payload, valid_request
from tests.support.recording_server import RecordingServer, Reply


@pytest.mark.parametrize("spec", ENDPOINTS, ids=str)
def test_the_three_output_modes(spec: SpecEndpoint, server: RecordingServer) -> None:
    body = payload(spec.payload_name)
    result = body["result"]
    items = result["list"] if "list" in result else ([result] if result else [])
    raw = json.dumps(body)
    server.reply(Reply(raw), Reply(raw), Reply(raw))
    endpoint = spec.endpoint()
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        entities = api.rest(endpoint, valid_request(spec))
        arrays = api.rest(endpoint, valid_request(spec), EnumOutputMode.MODE_ARRAY)
        text = api.rest(endpoint, valid_request(spec), EnumOutputMode.MODE_JSON)
    assert len(entities.get_body()) == len(items)
    assert all(isinstance(e, endpoint.RESPONSE) for e in entities.get_body())
    assert arrays.get_body().all() == items
    assert text.get_body().all() == [raw]
    for response in (entities, arrays, text):
        assert response.get_return_code() == 0
        assert response.get_next_page_cursor() == (result.get("nextPageCursor") or None)
