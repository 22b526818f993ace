"""Raw HTTP helpers for sandbox tests: requests signed (or mis-signed) by hand, without the SDK.

The signature is computed here with ``hmac`` directly, independently of the SDK's signer, so these
tests check the sandbox against Bybit's rule, not against the SDK.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time
from collections.abc import Mapping
from typing import Any

import requests

API_KEY = "SBXtestKEY7fd0c1a2"
SECRET = "SBXtestSECRET9b8e7d6c5f4a3b2c1d0e"
OTHER_KEY = "SBXotherKEY55aa11bb"
OTHER_SECRET = "SBXotherSECRET0f1e2d3c4b5a69788796"


def sign(
    secret: str, timestamp: int | str, api_key: str, recv_window: int | str, payload: bytes | str
) -> str:
    """Bybit's signature: hex HMAC-SHA256 of timestamp + key + recv_window + payload."""
    data = payload if isinstance(payload, bytes) else payload.encode()
    return hmac.new(
        secret.encode(), f"{timestamp}{api_key}{recv_window}".encode() + data, hashlib.sha256
    ).hexdigest()


def auth_headers(
    payload: bytes | str,
    *,
    api_key: str = API_KEY,
    secret: str = SECRET,
    timestamp: int | None = None,
    recv_window: int = 5000,
) -> dict[str, str]:
    """Correctly signed Bybit headers for ``payload``."""
    ts = timestamp if timestamp is not None else time.time_ns() // 1_000_000
    return {
        "X-BAPI-API-KEY": api_key,
        "X-BAPI-TIMESTAMP": str(ts),
        "X-BAPI-RECV-WINDOW": str(recv_window),
        "X-BAPI-SIGN-TYPE": "2",
        "X-BAPI-SIGN": sign(secret, ts, api_key, recv_window, payload),
    }


def signed_get(
    base: str, path: str, query: str = "", *, session: requests.Session | None = None, **auth: Any
) -> requests.Response:
    """A signed GET with this exact query string."""
    http = session or requests
    url = f"{base}{path}" + (f"?{query}" if query else "")
    return http.get(url, headers=auth_headers(query, **auth), timeout=10)


def signed_post(
    base: str,
    path: str,
    body: Mapping[str, Any] | bytes,
    *,
    content_type: str = "application/json",
    session: requests.Session | None = None,
    **auth: Any,
) -> requests.Response:
    """A signed POST of this body (a dict is sent as compact JSON)."""
    data = body if isinstance(body, bytes) else json.dumps(body, separators=(",", ":")).encode()
    headers = auth_headers(data, **auth)
    headers["Content-Type"] = content_type
    http = session or requests
    return http.post(f"{base}{path}", data=data, headers=headers, timeout=10)


def raw_exchange(port: int, data: bytes, *, timeout: float = 5.0) -> bytes:
    """Send raw bytes on a fresh connection and read until the server closes it (or ``timeout``)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def split_response(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Status, headers (lower-case names) and body of one raw HTTP/1.1 response."""
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
