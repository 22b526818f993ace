"""Credentials and the HMAC-SHA256 signer (PHP ``Core\\Auth``).

Bybit signs ``timestamp + api_key + recv_window + payload`` with the secret, where the payload is the
exact query string sent (GET, without ``?``) or the exact JSON body bytes sent (POST).
"""

from __future__ import annotations

import hashlib
import hmac
from urllib.parse import urlsplit

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.redact import Redactor

__all__ = ["Credentials", "SignGenerator"]


class SignGenerator:
    """Signs requests for one secret; the keyed HMAC state is computed once and copied per call."""

    __slots__ = ("_mac",)

    def __init__(self, secret: str) -> None:
        self._mac = hmac.new(secret.encode(), digestmod=hashlib.sha256)

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


def _check_host(host: str) -> str:
    parts = urlsplit(host)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise SDKException(f"host must be a base URL like 'https://api.bybit.com', got {host!r}")
    return f"{parts.scheme}://{parts.netloc}"


class Credentials:
    """Host, API key and secret of one client instance (never process-wide, unlike PHP 3.0.5).

    The secret and the key are masked in ``repr``; the secret is only reachable through the signer.
    """

    __slots__ = ("_api_key", "_host", "_redactor", "_signer")

    def __init__(self, host: str, api_key: str | None = None, secret: str | None = None) -> None:
        if not isinstance(host, str):
            raise SDKException(f"host must be a string, got {type(host).__name__}")
        if (api_key is None) != (secret is None):
            raise SDKException("api_key and secret must be given together")
        if api_key is not None and (not isinstance(api_key, str) or not api_key):
            raise SDKException("api_key must be a non-empty string")
        if secret is not None and (not isinstance(secret, str) or not secret):
            raise SDKException("secret must be a non-empty string")
        self._host = _check_host(host)
        self._api_key = api_key
        self._signer = SignGenerator(secret) if secret is not None else None
        self._redactor = Redactor(api_key, secret)

    @property
    def host(self) -> str:
        """Base URL of the exchange, without a trailing slash."""
        return self._host

    @property
    def api_key(self) -> str | None:
        """The API key (sent in clear as ``X-BAPI-API-KEY``), or ``None`` for a public-only client."""
        return self._api_key

    @property
    def signer(self) -> SignGenerator | None:
        """The signer keyed with the secret, or ``None`` without credentials."""
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
        key = "<redacted>" if self._api_key is not None else None
        secret = "<redacted>" if self._signer is not None else None
        return f"Credentials(host={self._host!r}, api_key={key!r}, secret={secret!r})"
