"""Access of every endpoint, as the spec declares it, through both PHP usage styles: private endpoints
are signed and need credentials, public ones need none and send none; each accessor refuses the other
kind before anything is sent."""

from __future__ import annotations

from typing import Any

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core import PrivateEndpoint, PublicEndpoint
from tests.conftest import API_KEY, SECRET
from tests.derivatives.harness import ENDPOINTS, SpecEndpoint, assert_signed, assert_unsigned, valid_request
from tests.support.recording_server import RecordingServer


def private(spec: SpecEndpoint) -> type[PrivateEndpoint[Any, Any]]:
    endpoint = spec.endpoint()
    assert issubclass(endpoint, PrivateEndpoint)
    return endpoint


def public(spec: SpecEndpoint) -> type[PublicEndpoint[Any, Any]]:
    endpoint = spec.endpoint()
    assert issubclass(endpoint, PublicEndpoint)
    return endpoint


PRIVATE = [s for s in ENDPOINTS if s.is_private]
PUBLIC = [s for s in ENDPOINTS if not s.is_private]


def test_the_spec_has_18_private_and_10_public_endpoints() -> None:
    assert len(PRIVATE) == 18
    assert len(PUBLIC) == 10
    assert all(s.url.startswith("/contract/v3/private/") for s in PRIVATE)
    assert all(s.url.startswith("/derivatives/v3/public/") for s in PUBLIC)


@pytest.mark.parametrize("spec", PRIVATE, ids=str)
def test_private_endpoint_5x_style_is_signed(spec: SpecEndpoint, server: RecordingServer) -> None:
    with BybitAPI().set_credentials(server.url, API_KEY, SECRET) as api:
        response = api.private_endpoint(private(spec), valid_request(spec)).execute()
        assert response.get_return_code() == 0
        with pytest.raises(SDKException, match=f"{spec.name} is a private endpoint: use private_endpoint"):
            api.public_endpoint(spec.endpoint(), valid_request(spec))  # type: ignore[arg-type]
    (sent,) = server.requests
    assert sent.path == spec.url
    assert sent.method == spec.method
    assert_signed(sent)


@pytest.mark.parametrize("spec", PRIVATE, ids=str)
def test_private_endpoint_without_credentials_is_refused_before_sending(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    with BybitAPI(server.url) as api:
        with pytest.raises(
            SDKException, match=f"{spec.name} is a private endpoint: set an API key and secret"
        ):
            api.rest(spec.endpoint(), valid_request(spec))
        with pytest.raises(SDKException, match="needs host, api_key and secret"):
            api.private_endpoint(private(spec), valid_request(spec))
    assert server.requests == []


@pytest.mark.parametrize("spec", PUBLIC, ids=str)
def test_public_endpoint_needs_no_credentials_and_sends_none(
    spec: SpecEndpoint, server: RecordingServer
) -> None:
    with BybitAPI(server.url) as anonymous, BybitAPI().set_credentials(server.url, API_KEY, SECRET) as keyed:
        anonymous.rest(spec.endpoint(), valid_request(spec))
        keyed.public_endpoint(public(spec), valid_request(spec)).execute()
        with pytest.raises(SDKException, match=f"{spec.name} is a public endpoint: use public_endpoint"):
            keyed.private_endpoint(spec.endpoint(), valid_request(spec))  # type: ignore[arg-type]
    assert len(server.requests) == 2
    for sent in server.requests:
        assert sent.path == spec.url
        assert sent.method == "GET"
        assert_unsigned(sent)
    assert server.requests[0].target == server.requests[1].target
