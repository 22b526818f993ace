"""The private stream's credentials: the one place that signs ``auth``, and logging without secrets.

Bybit's ``auth`` is ``{"op": "auth", "args": [api_key, expires, signature]}`` where ``expires`` is a
future time in epoch milliseconds and ``signature`` signs ``GET/realtime`` + ``expires`` with the
API secret, or the RSA private key of a key made from one (``docs/v5/ws/connect``). The signing is
the core's (``Signer.sign_text``), in one place: ``StreamCredentials.auth_args``.
"""

from __future__ import annotations

import logging
from typing import Any

from carpenstar_bybit.core.auth import Credentials, RsaSigner, Signer, SignGenerator
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.redact import RedactingFilter, Redactor, Secret, reveal

__all__ = ["StreamCredentials", "logger", "redacting_logger"]

#: The streams' logger (a child of the SDK's ``carpenstar_bybit``); a filter on a logger does not
#: apply to its children's records, so it has its own.
logger = logging.getLogger("carpenstar_bybit.stream")
logger.addFilter(RedactingFilter())


class StreamCredentials:
    """API key and signer of one private stream: an HMAC secret or an RSA private key, signed by the
    core's signers; the key, secret and private key never show in ``repr``."""

    __slots__ = ("_api_key", "_redactor", "_signer")

    def __init__(
        self,
        api_key: str | Secret,
        secret: str | Secret | None = None,
        *,
        private_key: str | bytes | Secret | None = None,
    ) -> None:
        key = reveal(api_key)
        if not isinstance(key, str) or not key:
            raise SDKException("api_key must be a non-empty string")
        if (secret is None) == (private_key is None):
            raise SDKException("pass the secret (HMAC) or private_key (RSA) of the API key, one of them")
        self._api_key = key
        self._signer: Signer
        if secret is not None:
            self._signer = SignGenerator(secret)
        else:
            assert private_key is not None
            self._signer = RsaSigner(private_key)
        self._redactor = Redactor(key, secret)

    @classmethod
    def of(cls, credentials: Credentials) -> StreamCredentials:
        """The key and signer of a REST client's credentials (``BybitAPI(...).context.credentials``)."""
        if credentials.api_key is None or credentials.signer is None:
            raise SDKException("the client has no API key and secret (or private key) to authenticate with")
        made = cls.__new__(cls)
        made._api_key = credentials.api_key
        made._signer = credentials.signer
        made._redactor = credentials.redactor
        return made

    @property
    def redactor(self) -> Redactor:
        """Removes this stream's key and secret (and any signature) from text about to be shown."""
        return self._redactor

    def auth_args(self, expires_ms: int) -> list[Any]:
        """``[api_key, expires, signature]`` of an ``auth`` request valid until ``expires_ms``: the
        signature of ``GET/realtime`` + expires (HMAC-SHA256 hex, or RSA-SHA256 base64)."""
        return [self._api_key, expires_ms, self._signer.sign_text(f"GET/realtime{expires_ms}".encode())]

    def __repr__(self) -> str:
        return "StreamCredentials(api_key=<redacted>, signer=<redacted>)"


class _RedactingAdapter(logging.LoggerAdapter):  # type: ignore[type-arg]
    """Formats each record's message and removes the stream's secrets from it before logging:
    given to ``websockets``, whose DEBUG lines show every frame, the ``auth`` frame included."""

    def __init__(self, target: logging.Logger, redactor: Redactor) -> None:
        super().__init__(target, {})
        self._redact = redactor

    def log(self, level: int, msg: object, *args: object, **kwargs: Any) -> None:
        """Log ``msg % args`` with secrets, auth header values and signatures replaced."""
        if not self.isEnabledFor(level):
            return
        text = str(msg) % args if args else str(msg)
        kwargs.pop("extra", None)
        self.logger.log(level, "%s", self._redact(text), **kwargs)

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        """Unchanged (``log`` does the work)."""
        return msg, kwargs


def redacting_logger(redactor: Redactor) -> logging.LoggerAdapter[logging.Logger]:
    """A logger for the ``websockets`` connection of one stream, on ``carpenstar_bybit.stream.ws``."""
    return _RedactingAdapter(logging.getLogger("carpenstar_bybit.stream.ws"), redactor)
