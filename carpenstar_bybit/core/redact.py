"""Keeping secrets out of output: a ``Redactor`` for text and a ``logging`` filter.

Bybit's own error messages can echo what was signed (10004: ``origin_string[...]``), which contains
the API key; every message the SDK passes on goes through the client's redactor first.
"""

from __future__ import annotations

import logging
import re

__all__ = ["REDACTED", "RedactingFilter", "Redactor", "Secret", "reveal"]

#: An HMAC signature (64 hex digits) or an RSA one (base64, 172+ characters for 1024-bit keys).
_SIGNATURE = re.compile(r"\b[0-9a-fA-F]{64}\b|[A-Za-z0-9+/]{150,}={0,2}")
_AUTH_HEADER = re.compile(r"(X-BAPI-(?:SIGN|API-KEY)['\"]?\s*[:=]\s*['\"]?)[^'\",\s}]+", re.IGNORECASE)
REDACTED = "<redacted>"


class Secret:
    """A secret held so that nothing shows it: ``repr``/``str`` say ``<redacted>``, it does not
    compare or pickle, and only ``reveal()`` gives the text. A client wraps its secret, private key
    and API key in one at once, so even a traceback captured with its locals (as error trackers do)
    does not carry them in clear."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The secret text."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED})"

    __str__ = __repr__

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret is not pickled")


def reveal(value: str | Secret | None) -> str | None:
    """The text of ``value``, whether it is held in a ``Secret`` or not."""
    return value.reveal() if isinstance(value, Secret) else value


class Redactor:
    """Replaces the given secrets, auth header values and 64-hex signatures in text."""

    __slots__ = ("_pattern",)

    #: Shorter strings are not credentials (Bybit keys have 18 characters, secrets 36); replacing
    #: them would shred ordinary words of messages.
    MIN_SECRET_LENGTH = 8

    def __init__(self, *secrets: str | Secret | None) -> None:
        texts = (reveal(s) for s in secrets)
        words = sorted({s for s in texts if s and len(s) >= self.MIN_SECRET_LENGTH}, key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(w) for w in words)) if words else None

    def __call__(self, text: str) -> str:
        if self._pattern is not None:
            text = self._pattern.sub(REDACTED, text)
        text = _AUTH_HEADER.sub(lambda m: m.group(1) + REDACTED, text)
        return _SIGNATURE.sub(REDACTED, text)

    def __repr__(self) -> str:
        return "Redactor(<redacted>)"


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's formatted message (signatures, auth headers, and
    any secrets it was given). The SDK installs one on its ``carpenstar_bybit`` logger; add one to a
    handler to protect other loggers' records too."""

    def __init__(self, *secrets: str | Secret | None) -> None:
        super().__init__()
        self._redact = Redactor(*secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = self._redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
