"""Authentication of private requests, with Bybit's rules and error codes.

Headers: ``X-BAPI-API-KEY``, ``X-BAPI-TIMESTAMP`` (ms), ``X-BAPI-RECV-WINDOW`` (ms), ``X-BAPI-SIGN``
and optionally ``X-BAPI-SIGN-TYPE`` (only ``2``, HMAC-SHA256, exists). The signature is checked with
the SDK's own ``SignGenerator`` over ``timestamp + api_key + recv_window + payload``, the payload being
the raw query string (GET) or the raw body bytes (POST), exactly as received.

Keys registered with an RSA public key (``add_rsa``) are verified as Bybit does: the same string is
signed with RSA-SHA256 (PKCS#1 v1.5) and the signature sent base64-encoded in ``X-BAPI-SIGN``. The
``cryptography`` package is imported only when such a key is added.

Order of checks: key (10003), receive window header (10001), timestamp window (10002), signature
(10004).
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from typing import Any

from carpenstar_bybit.core.auth import SignGenerator
from carpenstar_bybit.sandbox._errors import (
    INVALID_API_KEY,
    SIGN_ERROR,
    TIMESTAMP_ERROR,
    ExchangeError,
)

__all__ = ["Authenticator"]

_MAX_RECV_WINDOW = 60_000
_FUTURE_TOLERANCE_MS = 1000


def _int_header(value: str | None) -> int | None:
    # Canonical digits only: the signature covers the header text, so "007" must not read as 7.
    if value is None or not value.isdigit() or len(value) > 18 or str(int(value)) != value:
        return None
    return int(value)


class Authenticator:
    """Checks private requests against the known keys (thread-safe for reads; keys are added under
    the exchange's control)."""

    def __init__(
        self, api_keys: Mapping[str, str], rsa_keys: Mapping[str, str | bytes] | None = None
    ) -> None:
        self._signers: dict[str, SignGenerator] = {}
        self._rsa: dict[str, Any] = {}
        self._rsa_pem: dict[str, str] = {}
        for key, secret in api_keys.items():
            self.add(key, secret)
        for key, pem in (rsa_keys or {}).items():
            self.add_rsa(key, pem)

    def add(self, api_key: str, secret: str) -> None:
        """Accept ``api_key`` signed with ``secret`` (only its signer is kept)."""
        if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
            raise ValueError("API keys and secrets must be non-empty strings")
        self._rsa.pop(api_key, None)
        self._signers[api_key] = SignGenerator(secret)

    def add_rsa(self, api_key: str, public_pem: str | bytes) -> None:
        """Accept ``api_key`` signed with the RSA private key of ``public_pem`` (a PEM public key)."""
        if not isinstance(api_key, str) or not api_key:
            raise ValueError("API keys must be non-empty strings")
        try:
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
            from cryptography.hazmat.primitives.serialization import load_pem_public_key
        except ImportError:  # pragma: no cover - depends on the environment
            raise RuntimeError(
                "RSA API keys need the cryptography package: pip install 'carpenstar-bybit[rsa]'"
            ) from None
        pem = public_pem.encode() if isinstance(public_pem, str) else public_pem
        try:
            key = load_pem_public_key(pem)
        except ValueError:
            raise ValueError(f"the RSA key of {api_key!r} is not a PEM public key") from None
        if not isinstance(key, RSAPublicKey):
            raise ValueError(f"the key of {api_key!r} is not an RSA public key")
        self._signers.pop(api_key, None)
        self._rsa[api_key] = key
        self._rsa_pem[api_key] = pem.decode("ascii", "replace")

    def rsa_public_key(self, api_key: str) -> str:
        """The PEM public key registered for ``api_key`` (``""`` for an HMAC key)."""
        return self._rsa_pem.get(api_key, "") if api_key in self._rsa else ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The accepted API keys."""
        return (*self._signers, *self._rsa)

    def identify(self, headers: Mapping[str, str]) -> str:
        """The request's API key; 10003 if it is missing or unknown."""
        api_key = headers.get("X-BAPI-API-KEY")
        if not api_key or (api_key not in self._signers and api_key not in self._rsa):
            raise ExchangeError(INVALID_API_KEY, "API key is invalid.")
        return api_key

    def verify(self, api_key: str, headers: Mapping[str, str], payload: bytes, server_ms: int) -> None:
        """Check the receive window, the timestamp window and the signature of a request by ``api_key``."""
        raw_window = headers.get("X-BAPI-RECV-WINDOW")
        recv_window = _int_header(raw_window)
        if recv_window is None or not 0 < recv_window <= _MAX_RECV_WINDOW:
            raise ExchangeError.params(
                f"X-BAPI-RECV-WINDOW invalid (an integer of milliseconds in 1..{_MAX_RECV_WINDOW})"
            )
        raw_timestamp = headers.get("X-BAPI-TIMESTAMP")
        timestamp = _int_header(raw_timestamp)
        if timestamp is None or not server_ms - recv_window <= timestamp < server_ms + _FUTURE_TOLERANCE_MS:
            raise ExchangeError(
                TIMESTAMP_ERROR,
                "invalid request, please check your server timestamp or recv_window param. "
                f"req_timestamp[{raw_timestamp or ''}],server_timestamp[{server_ms}],"
                f"recv_window[{recv_window}]",
            )
        sign_type = headers.get("X-BAPI-SIGN-TYPE")
        if sign_type not in (None, "2"):
            raise ExchangeError(
                SIGN_ERROR, f"error sign type! X-BAPI-SIGN-TYPE[{sign_type}] is not supported"
            )
        received = headers.get("X-BAPI-SIGN") or ""
        signed = f"{timestamp}{api_key}{recv_window}".encode() + payload
        if not self.signature_valid(api_key, signed, received):
            origin = f"{raw_timestamp}{api_key}{raw_window}" + payload.decode("utf-8", "replace")
            raise ExchangeError(SIGN_ERROR, f"error sign! origin_string[{origin}]")

    def knows(self, api_key: object) -> bool:
        """Whether ``api_key`` is an accepted key."""
        return isinstance(api_key, str) and (api_key in self._signers or api_key in self._rsa)

    def signature_valid(self, api_key: str, message: bytes, received: str) -> bool:
        """Whether ``received`` is the signature of ``message`` by the known ``api_key``: the lowercase
        hex HMAC-SHA256 with its secret, or the base64 RSA-SHA256 of its RSA key (REST requests sign
        ``timestamp + api_key + recv_window + payload``, a stream's ``auth`` ``GET/realtime{expires}``)."""
        if api_key in self._rsa:
            return self._rsa_valid(self._rsa[api_key], received, message)
        expected = self._signers[api_key].sign_text(message)
        return hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace"))

    @staticmethod
    def _rsa_valid(key: Any, received: str, message: bytes) -> bool:
        """Whether ``received`` is the base64 RSA-SHA256 (PKCS#1 v1.5) signature of ``message``."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        try:
            signature = base64.b64decode(received.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeError, ValueError):
            return False
        try:
            key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
        except (InvalidSignature, ValueError):
            return False
        return True
