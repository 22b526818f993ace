"""Credentials and signers (PHP ``Core\\Auth``).

Bybit signs ``timestamp + api_key + recv_window + payload``, where the payload is the exact query
string sent (GET, without ``?``) or the exact JSON body bytes sent (POST), with either

* the API secret: HMAC-SHA256, lowercase hex (``SignGenerator``), or
* the user's own RSA private key, for API keys created from an RSA public key: RSA-SHA256
  (PKCS#1 v1.5), base64 (``RsaSigner``; needs the ``cryptography`` package: the ``rsa`` extra).

Streams sign ``GET/realtime`` + expires the same two ways (``Signer.sign_text``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Any
from urllib.parse import urlsplit

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.redact import Redactor, Secret, reveal

__all__ = ["Credentials", "RsaSigner", "SignGenerator", "Signer"]


class Signer:
    """Base of the signers: ``sign_text`` signs bytes; ``sign`` a REST request."""

    __slots__ = ()

    def sign_text(self, message: bytes) -> str:  # pragma: no cover - abstract
        """The signature of ``message`` as Bybit expects it in a header or an ``auth`` frame."""
        raise NotImplementedError

    def sign(self, api_key: str, payload: str | bytes, timestamp: int, recv_window: int) -> str:
        """The signature of ``timestamp + api_key + recv_window + payload``."""
        body = payload if isinstance(payload, bytes) else payload.encode()
        return self.sign_text(f"{timestamp}{api_key}{recv_window}".encode() + body)


class SignGenerator(Signer):
    """Signs with an HMAC secret; the keyed HMAC state is computed once and copied per call."""

    __slots__ = ("_mac",)

    def __init__(self, secret: str | Secret) -> None:
        text = reveal(secret)
        if not isinstance(text, str) or not text:
            raise SDKException("secret must be a non-empty string")
        try:
            key = text.encode()
        except UnicodeEncodeError:
            raise SDKException("secret must be valid Unicode text (it holds a lone surrogate)") from None
        self._mac = hmac.new(key, digestmod=hashlib.sha256)

    def sign_text(self, message: bytes) -> str:
        mac = self._mac.copy()
        mac.update(message)
        return mac.hexdigest()

    def sign(self, api_key: str, payload: str | bytes, timestamp: int, recv_window: int) -> str:
        """Lowercase hex HMAC-SHA256 of ``timestamp + api_key + recv_window + payload``."""
        mac = self._mac.copy()
        mac.update(f"{timestamp}{api_key}{recv_window}".encode())
        mac.update(payload if isinstance(payload, bytes) else payload.encode())
        return mac.hexdigest()

    @staticmethod
    def make(api_key: str, secret: str, params: str | bytes, timestamp: int, recv_window: int) -> str:
        """PHP ``SignGenerator::make($apiKey, $secretKey, $params, $timestamp, $recvWindow)``."""
        return SignGenerator(secret).sign(api_key, params, timestamp, recv_window)

    def __repr__(self) -> str:
        return "SignGenerator(secret=<redacted>)"


class RsaSigner(Signer):
    """Signs with an RSA private key (PEM, PKCS#1 or PKCS#8, unencrypted or with ``password``):
    RSA-SHA256 with PKCS#1 v1.5 padding, base64-encoded."""

    __slots__ = ("_key", "_padding", "_sha256")

    def __init__(self, private_key: str | bytes | Secret, password: str | bytes | None = None) -> None:
        try:
            from cryptography.hazmat.primitives import hashes, serialization
            from cryptography.hazmat.primitives.asymmetric import padding, rsa
        except ImportError:
            raise SDKException(
                "RSA keys need the 'cryptography' package: pip install 'carpenstar-bybit[rsa]'"
            ) from None
        pem = reveal(private_key) if isinstance(private_key, Secret) else private_key
        if isinstance(pem, str):
            pem = pem.encode("utf-8", "replace")
        if not isinstance(pem, bytes) or b"PRIVATE KEY-----" not in pem:
            raise SDKException(
                "private_key must be a PEM-encoded RSA private key ('-----BEGIN ... PRIVATE KEY-----')"
            )
        secret = password.encode() if isinstance(password, str) else password
        try:
            key: Any = serialization.load_pem_private_key(pem, password=secret)
        except (ValueError, TypeError) as exc:
            # The loader's message names the problem (bad base64, encrypted without a password...)
            # and never the key material; only its first line is kept.
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise SDKException(f"private_key could not be loaded: {reason[:160]}") from None
        except Exception as exc:  # cryptography's unsupported-algorithm errors
            raise SDKException(f"private_key could not be loaded: {type(exc).__name__}") from None
        if not isinstance(key, rsa.RSAPrivateKey):
            raise SDKException(f"private_key must be an RSA key, got a {type(key).__name__}")
        self._key = key
        self._padding = padding.PKCS1v15()
        self._sha256 = hashes.SHA256()

    def sign_text(self, message: bytes) -> str:
        signature: bytes = self._key.sign(message, self._padding, self._sha256)
        return base64.b64encode(signature).decode("ascii")

    def __repr__(self) -> str:
        return "RsaSigner(private_key=<redacted>)"


def _check_host(host: str) -> str:
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SDKException(f"host must be a base URL like 'https://api.bybit.com', got {host!r}")
    return f"{parts.scheme}://{parts.netloc}"


def _check_api_key(api_key: object) -> str:
    """The API key, if it can go into an HTTP header as it is; ``SDKException`` (that does not show
    the key) otherwise."""
    if not isinstance(api_key, str) or not api_key:
        raise SDKException("api_key must be a non-empty string")
    if not (api_key.isascii() and api_key.isprintable()) or any(c.isspace() for c in api_key):
        raise SDKException(
            "api_key must be printable ASCII without spaces or line breaks (it is sent as the "
            "X-BAPI-API-KEY header); check for a stray space or newline copied with it"
        )
    return api_key


class Credentials:
    """Host, API key and secret (or RSA private key) of one client instance (never process-wide,
    unlike PHP 3.0.5).

    The key, the secret and the private key are masked in ``repr``; the secret is only reachable
    through the signer.
    """

    __slots__ = ("_api_key", "_host", "_key_id", "_redactor", "_signer")

    def __init__(
        self,
        host: str,
        api_key: str | Secret | None = None,
        secret: str | Secret | None = None,
        *,
        private_key: str | bytes | Secret | None = None,
    ) -> None:
        if not isinstance(host, str):
            raise SDKException(f"host must be a string, got {type(host).__name__}")
        if secret is not None and private_key is not None:
            raise SDKException("pass either secret (HMAC) or private_key (RSA), not both")
        signing = secret if secret is not None else private_key
        if (api_key is None) != (signing is None):
            raise SDKException("api_key and secret must be given together (or api_key and private_key)")
        self._host = _check_host(host)
        self._api_key = _check_api_key(reveal(api_key)) if api_key is not None else None
        self._key_id = hashlib.sha256(self._api_key.encode()).hexdigest()[:16] if self._api_key else None
        self._signer: Signer | None
        if secret is not None:
            self._signer = SignGenerator(secret)
        elif private_key is not None:
            self._signer = RsaSigner(private_key)
        else:
            self._signer = None
        self._redactor = Redactor(self._api_key, secret if secret is not None else None)

    @property
    def host(self) -> str:
        """Base URL of the exchange, without a trailing slash."""
        return self._host

    @property
    def api_key(self) -> str | None:
        """The API key (sent in clear as ``X-BAPI-API-KEY``), or ``None`` for a public-only client."""
        return self._api_key

    @property
    def key_id(self) -> str | None:
        """A digest of the API key that names its account in bookkeeping (the rate limiter's buckets)
        without carrying the key itself; ``None`` without a key."""
        return self._key_id

    @property
    def signer(self) -> Signer | None:
        """The signer keyed with the secret or private key, or ``None`` without credentials."""
        return self._signer

    @property
    def redactor(self) -> Redactor:
        """Removes this client's key and secret (and any signature) from text about to be shown."""
        return self._redactor

    @property
    def can_sign(self) -> bool:
        """Whether private endpoints can be called."""
        return self._api_key is not None and self._signer is not None

    def __repr__(self) -> str:
        key = "<redacted>" if getattr(self, "_api_key", None) is not None else None
        secret = "<redacted>" if getattr(self, "_signer", None) is not None else None
        return f"Credentials(host={getattr(self, '_host', None)!r}, api_key={key!r}, secret={secret!r})"
