"""Authentication of private requests, with Bybit's rules and error codes.

Headers: ``X-BAPI-API-KEY``, ``X-BAPI-TIMESTAMP`` (ms), ``X-BAPI-RECV-WINDOW`` (ms), ``X-BAPI-SIGN``
and optionally ``X-BAPI-SIGN-TYPE`` (only ``2``, HMAC-SHA256, exists). The signature is checked with
the SDK's own ``SignGenerator`` over ``timestamp + api_key + recv_window + payload``, the payload being
the raw query string (GET) or the raw body bytes (POST), exactly as received.

Order of checks: key (10003), receive window header (10001), timestamp window (10002), signature
(10004).
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

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

    def __init__(self, api_keys: Mapping[str, str]) -> None:
        self._signers: dict[str, SignGenerator] = {}
        for key, secret in api_keys.items():
            self.add(key, secret)

    def add(self, api_key: str, secret: str) -> None:
        """Accept ``api_key`` signed with ``secret`` (only its signer is kept)."""
        if not isinstance(api_key, str) or not api_key or not isinstance(secret, str) or not secret:
            raise ValueError("API keys and secrets must be non-empty strings")
        self._signers[api_key] = SignGenerator(secret)

    @property
    def keys(self) -> tuple[str, ...]:
        """The accepted API keys."""
        return tuple(self._signers)

    def identify(self, headers: Mapping[str, str]) -> str:
        """The request's API key; 10003 if it is missing or unknown."""
        api_key = headers.get("X-BAPI-API-KEY")
        if not api_key or api_key not in self._signers:
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
        expected = self._signers[api_key].sign(api_key, payload, timestamp, recv_window)
        received = headers.get("X-BAPI-SIGN") or ""
        if not hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace")):
            origin = f"{raw_timestamp}{api_key}{raw_window}" + payload.decode("utf-8", "replace")
            raise ExchangeError(SIGN_ERROR, f"error sign! origin_string[{origin}]")
