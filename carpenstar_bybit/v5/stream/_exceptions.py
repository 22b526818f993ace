"""The exceptions of the streams, placed in the SDK's tree so that existing handlers catch them.

::

    BybitException
    ├── ApiException
    │   ├── AuthenticationException
    │   │   └── StreamAuthenticationException  the private stream's auth was refused (key, secret, expiry)
    │   └── InvalidParameterException
    │       └── SubscriptionRejectedException  the exchange refused topics of a subscribe/unsubscribe
    ├── TransportException
    │   └── StreamConnectionException          the connection could not be (re)opened: the stream stopped
    └── StreamException                        base of the four stream exceptions (and the above)
        └── StreamOverflowException            private events waited longer than the consumer allows

``StreamException`` is a second base of each stream exception: ``except StreamException`` catches
every one of them, ``except AuthenticationException`` a refused auth among the REST ones.
No exception carries the secret, the API key or a signature.
"""

from __future__ import annotations

from collections.abc import Sequence

from carpenstar_bybit.core.exceptions import (
    AuthenticationException,
    BybitException,
    InvalidParameterException,
    TransportException,
)

__all__ = [
    "StreamAuthenticationException",
    "StreamConnectionException",
    "StreamException",
    "StreamOverflowException",
    "SubscriptionRejectedException",
]


class StreamException(BybitException):
    """Base of the exceptions raised by ``carpenstar_bybit.v5.stream``."""


class StreamAuthenticationException(StreamException, AuthenticationException):
    """The exchange refused the private stream's ``auth`` (unknown key, wrong secret, ``expires`` in
    the past): the stream stops, since reconnecting with the same credentials cannot succeed."""


class SubscriptionRejectedException(StreamException, InvalidParameterException):
    """The exchange refused a ``subscribe`` or ``unsubscribe``: ``topics`` lists the refused topics,
    ``op`` the operation, ``ret_msg`` the exchange's reason. The stream goes on with its other topics."""

    def __init__(self, op: str, topics: Sequence[str], ret_msg: str, *, ret_code: int | None = None) -> None:
        self.op = op
        self.topics: tuple[str, ...] = tuple(topics)
        super().__init__(ret_code, ret_msg or "refused", hint=f"{op} refused for {', '.join(self.topics)}")


class StreamConnectionException(StreamException, TransportException):
    """The stream could not open its connection (the first one, or again within the reconnect
    policy's attempts) and has stopped. ``attempts`` is the number of attempts made."""

    def __init__(self, message: str, *, url: str, attempts: int = 1) -> None:
        self.url = url
        self.attempts = attempts
        super().__init__(f"{message} (url {url}, {attempts} attempt{'s' if attempts != 1 else ''})")


class StreamOverflowException(StreamException):
    """Private events were not consumed fast enough: with ``on_overflow="raise"``, the buffer reached
    its capacity. The events received before are all delivered first; then this is raised and the
    stream stops. Private events are never dropped."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        super().__init__(
            f"the consumer fell {capacity} events behind the private stream; the stream stopped "
            "(nothing was dropped: every event received before is delivered)"
        )
