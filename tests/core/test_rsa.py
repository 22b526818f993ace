"""API keys created from the user's own RSA key pair: requests signed with RSA-SHA256 (PKCS#1 v1.5),
base64, over the same string as HMAC; checked here by a verifier built on ``cryptography`` alone."""

from __future__ import annotations

import base64
import traceback

import pytest

cryptography = pytest.importorskip("cryptography")

from cryptography.exceptions import InvalidSignature  # noqa: E402
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa  # noqa: E402

from carpenstar_bybit import BybitAPI, SDKException  # noqa: E402
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder, CancelOrderRequest  # noqa: E402
from carpenstar_bybit.v5.trade.get_open_orders import GetOpenOrders, GetOpenOrdersRequest  # noqa: E402
from tests.support.recording_server import Recorded, RecordingServer, Reply, envelope  # noqa: E402

KEY = "rsa-api-key-0001"
PRIVATE = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PEM = PRIVATE.private_bytes(
    serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
).decode()
PUBLIC = PRIVATE.public_key()


def verified(request: Recorded) -> bool:
    """What the exchange checks, done independently of the SDK's signer."""
    headers = request.headers
    message = f"{headers['X-BAPI-TIMESTAMP']}{headers['X-BAPI-API-KEY']}{headers['X-BAPI-RECV-WINDOW']}".encode()
    message += request.signature_payload()
    try:
        PUBLIC.verify(base64.b64decode(headers["X-BAPI-SIGN"]), message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def test_an_rsa_signed_post_is_verified_by_the_public_key(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1", "orderLinkId": ""})))
    api = BybitAPI(server.url, KEY, private_key=PEM)
    api.rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1"))
    (request,) = server.requests
    assert request.headers["X-BAPI-API-KEY"] == KEY
    assert len(base64.b64decode(request.headers["X-BAPI-SIGN"])) == 256  # a 2048-bit signature
    assert verified(request)


def test_an_rsa_signed_get_signs_the_query_and_the_5x_style_takes_the_key_too(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"list": []})))
    api = BybitAPI().set_credentials(server.url, KEY, private_key=PEM.encode())
    request = GetOpenOrdersRequest().set_category("linear").set_symbol("BTCUSDT")
    api.private_endpoint(GetOpenOrders, request).execute()
    (sent,) = server.requests
    assert sent.query == "category=linear&symbol=BTCUSDT"
    assert verified(sent)


def test_a_tampered_request_fails_the_independent_verifier(server: RecordingServer) -> None:
    server.reply(Reply(envelope({"orderId": "o-1"})))
    BybitAPI(server.url, KEY, private_key=PEM).rest(CancelOrder, CancelOrderRequest().set_symbol("BTCUSDT").set_order_id("o-1"))
    (request,) = server.requests
    tampered = Recorded(request.method, request.target, request.headers, request.body.replace(b"o-1", b"o-2"), 0, 0)
    assert not verified(tampered)


@pytest.mark.parametrize(
    ("pem", "message"),
    [
        ("not a key at all", "private_key must be a PEM-encoded RSA private key"),
        (PEM.replace("A", "*", 20), "private_key could not be loaded"),
        (
            PRIVATE.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"pass-phrase"),
            ).decode(),
            "private_key could not be loaded",
        ),
        (
            ec.generate_private_key(ec.SECP256R1())
            .private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
            .decode(),
            "private_key must be an RSA key",
        ),
    ],
)
def test_a_bad_pem_is_refused_without_echoing_the_key(pem: str, message: str) -> None:
    with pytest.raises(SDKException, match=message) as info:
        BybitAPI("https://api.bybit.com", KEY, private_key=pem)
    shown = "".join(traceback.format_exception(info.value))
    body = pem.splitlines()[1] if "\n" in pem else pem
    assert body not in shown


def test_secret_and_private_key_together_are_refused() -> None:
    with pytest.raises(SDKException, match=r"either secret \(HMAC\) or private_key \(RSA\)"):
        BybitAPI("https://api.bybit.com", KEY, "hmac-secret-0000", private_key=PEM)


def test_the_private_key_is_never_shown() -> None:
    api = BybitAPI("https://api.bybit.com", KEY, private_key=PEM)
    body_line = PEM.splitlines()[1]
    for text in (repr(api), repr(api.context), repr(api.context.credentials), repr(api.context.credentials.signer)):
        assert body_line not in text
        assert KEY not in text
