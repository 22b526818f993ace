"""``StreamConnection``: what the sandbox tells about one open stream connection (no dependencies, so
that ``carpenstar_bybit.sandbox`` exports it without importing the stream server)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StreamConnection"]


@dataclass(frozen=True)
class StreamConnection:
    """One open stream connection: its ``path``, the API key it authenticated with (``None`` before
    ``auth``, and on public connections), and the ``topics`` it has subscribed, in order."""

    path: str
    api_key: str | None
    topics: tuple[str, ...]
