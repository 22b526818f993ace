"""Streams as users type them: a strict user script passes ``mypy --strict``, with the events,
books and items inferred; misusing them fails it."""

from __future__ import annotations

import textwrap
from pathlib import Path

from mypy import api as mypy_api

USER = """
    from decimal import Decimal

    from carpenstar_bybit import BybitAPI
    from carpenstar_bybit.v5.stream import (
        AsyncPrivateStream,
        BookLevel,
        OrderBookEvent,
        OrderEvent,
        PublicStream,
        ReconcileScope,
        Reconciler,
        StreamEvent,
        topics,
    )


    def best_bid(stream: PublicStream) -> Decimal | None:
        for event in stream:
            reveal_type(event)
            if isinstance(event, OrderBookEvent):
                level = event.get_book().get_best_bid()
                reveal_type(level)
                return None if level is None else level.price
        return None


    async def statuses(key: str, secret: str, api: BybitAPI) -> list[str]:
        reconciler = Reconciler(api, [ReconcileScope("linear", settle_coin="USDT")])
        async with AsyncPrivateStream(key, secret, topics=[topics.ORDER], reconcile=reconciler) as stream:
            async for event in stream:
                if isinstance(event, OrderEvent):
                    return [order.get_order_status() for order in event.get_orders()]
        return []


    def wrong(event: StreamEvent, level: BookLevel) -> int:
        price: str = level.price
        return event.get_book()
"""


def test_a_stream_user_script_under_mypy_strict(tmp_path: Path) -> None:
    script = tmp_path / "stream_user.py"
    script.write_text(textwrap.dedent(USER))
    stdout, stderr, _ = mypy_api.run(
        ["--strict", "--no-incremental", "--cache-dir", str(tmp_path / ".cache"), str(script)]
    )
    lines = [
        line.replace(str(tmp_path) + "/", "")
        for line in stdout.splitlines()
        if line.startswith(str(tmp_path))
    ]
    assert lines[:2] == [
        'stream_user.py:20: note: Revealed type is "carpenstar_bybit.v5.stream._events.StreamEvent"',
        'stream_user.py:23: note: Revealed type is "tuple[decimal.Decimal, decimal.Decimal, '
        'fallback=carpenstar_bybit.v5.stream._book.BookLevel] | None"',
    ], stdout + stderr
    assert [line.split(": error: ")[1] for line in lines[2:]] == [
        'Incompatible types in assignment (expression has type "Decimal", variable has type "str")  [assignment]',
        'Returning Any from function declared to return "int"  [no-any-return]',
        '"StreamEvent" has no attribute "get_book"  [attr-defined]',
    ], stdout + stderr
