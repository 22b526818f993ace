"""The signer against independent vectors, and credentials that never show their secrets."""

from __future__ import annotations

import pytest

from carpenstar_bybit import BybitAPI, SDKException
from carpenstar_bybit.core.auth import Credentials, SignGenerator

KEY, SECRET = "XXXXXXXXXX", "YYYYYYYYYY"


def test_signature_of_a_get_query_string_matches_the_vector() -> None:
    assert (
        SignGenerator.make(KEY, SECRET, "category=option&symbol=BTC-29JUL22-25000-C", 1658384314791, 5000)
        == "37813c67fafb3017e92354eb88f218e7e52a98f9f5eb74cfcf0b21f17edb143b"
    )


def test_signature_of_a_post_body_matches_the_vector() -> None:
    body = b'{"symbol":"BTCUSDT","orderId":"a0c76874-1777-48dd-9f99-b4120ec71cc0"}'
    assert (
        SignGenerator(SECRET).sign(KEY, body, 1670570871662, 5000)
        == "019557bf940cd1fd7e587a782c2c2401348a1cb8b507e113f2f1dc69b3c1bd1e"
    )


def test_signer_reuse_gives_the_same_signature_each_time() -> None:
    signer = SignGenerator(SECRET)
    first = signer.sign(KEY, "a=1", 1, 5000)
    assert signer.sign(KEY, "b=2", 1, 5000) != first
    assert signer.sign(KEY, "a=1", 1, 5000) == first


def test_repr_of_credentials_signer_and_client_never_show_key_or_secret() -> None:
    creds = Credentials("https://api-testnet.bybit.com", KEY, SECRET)
    api = BybitAPI("https://api-testnet.bybit.com", KEY, SECRET)
    for text in (
        repr(creds),
        str(creds),
        repr(SignGenerator(SECRET)),
        repr(api),
        repr(api.context.credentials),
    ):
        assert KEY not in text
        assert SECRET not in text
    assert repr(creds) == (
        "Credentials(host='https://api-testnet.bybit.com', api_key='<redacted>', secret='<redacted>')"
    )


@pytest.mark.parametrize(
    ("host", "key", "secret", "message"),
    [
        ("api.bybit.com", None, None, "host must be a base URL"),
        ("ftp://api.bybit.com", None, None, "host must be a base URL"),
        ("https://api.bybit.com/v5", None, None, "host must be a base URL"),
        ("https://api.bybit.com", KEY, None, "api_key and secret must be given together"),
        ("https://api.bybit.com", "", "s3cr3t-value", "api_key must be a non-empty string"),
        ("https://api.bybit.com", "k", "", "secret must be a non-empty string"),
    ],
)
def test_bad_credentials_are_refused_with_a_clear_message(
    host: str, key: str | None, secret: str | None, message: str
) -> None:
    with pytest.raises(SDKException, match=message) as info:
        Credentials(host, key, secret)
    if secret:
        assert secret not in str(info.value)


def test_trailing_slash_of_host_is_dropped() -> None:
    assert Credentials("http://127.0.0.1:8080/").host == "http://127.0.0.1:8080"
