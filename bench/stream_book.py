"""Order book maintenance: this SDK's stream against pybit's WebSocket order book, on one recorded
stream, in interleaved rounds.

::

    python bench/stream_book.py            # about a minute
    python bench/stream_book.py --quick    # a few seconds, fewer rounds

The stream is generated deterministically: an ``orderbook.200.BTCUSDT`` snapshot of 200 levels a side,
then deltas (updates, deletions, insertions near the top that push the 201st level out with size 0,
as Bybit does), each with ``u`` + 1, as the JSON text frames a socket would deliver. No socket is
involved: each contender gets the frames one by one, from a fresh state, and must leave the same final
book (checked against the generator's own book after every round).

Contenders, per message, from the text frame to what the user's code receives:

* ``carpenstar-bybit``: ``StreamProtocol.receive`` (JSON, checks, the local book with its gap checks,
  an ``OrderBookEvent`` with a frozen view of the book), then the event through the stream's
  ``EventBuffer`` (put and take, as the driver and the consumer do);
* ``pybit``: ``_V5WebSocketManager._on_message`` (JSON, its ``_process_delta_orderbook``, the copy of
  the message it hands to the callback), then the callback, as pybit's WebSocket thread does.

A second table compares the book update alone, on messages already parsed: ``LocalOrderBook.delta``
against pybit's ``_process_delta_orderbook`` (no JSON, no event, no callback).

Numbers are messages per second (median of rounds); ratios are taken per round, between numbers of
the same round, and their median reported. pybit is measured when installed (``pip install pybit``).
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from carpenstar_bybit.v5.stream import OrderBookEvent, StreamProtocol  # noqa: E402
from carpenstar_bybit.v5.stream._book import LocalOrderBook  # noqa: E402
from carpenstar_bybit.v5.stream._buffer import EventBuffer  # noqa: E402

TOPIC = "orderbook.200.BTCUSDT"
DEPTH = 200
TICK = Decimal("0.1")

Book = dict[str, dict[Decimal, Decimal]]


# --------------------------------------------------------------------------- the recorded stream


def record(deltas: int, seed: int = 17) -> tuple[list[str], Book]:
    """The frames (snapshot first) and the book they leave."""
    rng = random.Random(seed)
    mid = Decimal(65000)
    sides: Book = {
        "b": {mid - i * TICK: Decimal(rng.randint(1, 9000)) / 1000 for i in range(1, DEPTH + 1)},
        "a": {mid + i * TICK: Decimal(rng.randint(1, 9000)) / 1000 for i in range(1, DEPTH + 1)},
    }
    u, seq, ts = 80_000_000, 9_000_000_000, 1_700_000_000_000

    def level(price: Decimal, size: Decimal) -> list[str]:
        return [f"{price:.1f}", f"{size:.3f}"]

    def ordered(side: str) -> list[tuple[Decimal, Decimal]]:
        return sorted(sides[side].items(), reverse=side == "b")

    frames = [
        json.dumps(
            {
                "topic": TOPIC,
                "type": "snapshot",
                "ts": ts,
                "data": {
                    "s": "BTCUSDT",
                    "b": [level(p, s) for p, s in ordered("b")],
                    "a": [level(p, s) for p, s in ordered("a")],
                    "u": u,
                    "seq": seq,
                },
                "cts": ts - 2,
            }
        )
    ]
    for _ in range(deltas):
        changes: dict[str, list[list[str]]] = {"b": [], "a": []}
        for _ in range(rng.randint(3, 25)):
            side = rng.choice("ba")
            book = sides[side]
            roll = rng.random()
            if roll < 0.5:
                price = rng.choice(list(book))
                book[price] = Decimal(rng.randint(1, 9000)) / 1000
                changes[side].append(level(price, book[price]))
            elif roll < 0.7 and len(book) > DEPTH // 2:
                price = rng.choice(list(book))
                del book[price]
                changes[side].append(level(price, Decimal(0)))
            else:  # a level anywhere in the top of the book, new or not
                best_bid, best_ask = max(sides["b"]), min(sides["a"])
                if side == "b":
                    price = min(best_bid - rng.randint(-1, DEPTH) * TICK, best_ask - TICK)
                else:
                    price = max(best_ask + rng.randint(-1, DEPTH) * TICK, best_bid + TICK)
                book[price] = Decimal(rng.randint(1, 9000)) / 1000
                changes[side].append(level(price, book[price]))
                while len(book) > DEPTH:
                    worst = min(book) if side == "b" else max(book)
                    del book[worst]
                    changes[side].append(level(worst, Decimal(0)))
        u += 1
        seq += rng.randint(1, 9)
        ts += 100
        data = {"s": "BTCUSDT", "b": changes["b"], "a": changes["a"], "u": u, "seq": seq}
        frames.append(json.dumps({"topic": TOPIC, "type": "delta", "ts": ts, "data": data, "cts": ts - 1}))
    return frames, sides


# --------------------------------------------------------------------------- contenders


def sdk_stream(frames: list[str]) -> Callable[[], Book]:
    """From text frames to the events the consumer takes, as the stream does without its socket."""

    def run() -> Book:
        protocol = StreamProtocol(category="linear")
        protocol.subscribe([TOPIC], 0.0)
        protocol.connection_made(0.0)
        for request in protocol.data_to_send():
            req_id = json.loads(request)["req_id"]
            protocol.receive(f'{{"success":true,"ret_msg":"","op":"subscribe","req_id":"{req_id}"}}', 0.0)
        protocol.results()
        buffer = EventBuffer(10_000, conflate=False, on_overflow="block")
        receive, events, put, take = protocol.receive, protocol.events, buffer.put, buffer.get_nowait
        last: Any = None
        for frame in frames:
            receive(frame, 0.0)
            for event in events():
                put(event)
                last = take()
        assert isinstance(last, OrderBookEvent)
        view = last.get_book()
        return {"b": dict(view.get_bids()), "a": dict(view.get_asks())}

    return run


def pybit_stream(frames: list[str]) -> Callable[[], Book]:
    """pybit's WebSocket thread from its ``on_message`` on: JSON, its order book, the callback."""
    from pybit._websocket_stream import _V5WebSocketManager

    def run() -> Book:
        manager = _V5WebSocketManager("bench", testnet=True)
        received: list[Any] = []
        manager._set_callback(TOPIC, received.append)
        on_message = manager._on_message
        for frame in frames:
            on_message(frame)
            received.clear()
        return _pybit_book(manager.data[TOPIC])

    return run


def _pybit_book(data: dict[str, Any]) -> Book:
    return {side: {Decimal(p): Decimal(s) for p, s in data[side]} for side in ("b", "a")}


def sdk_book_only(parsed: list[dict[str, Any]]) -> Callable[[], Book]:
    def run() -> Book:
        book = LocalOrderBook("BTCUSDT")
        first = parsed[0]
        book.snapshot(first["data"], first["ts"], first["cts"])
        delta = book.delta
        for message in parsed[1:]:
            delta(message["data"], message["ts"], message["cts"])
        view = book.view()
        return {"b": dict(view.get_bids()), "a": dict(view.get_asks())}

    return run


def pybit_book_only(parsed: list[dict[str, Any]]) -> Callable[[], Book]:
    from pybit._websocket_stream import _V5WebSocketManager

    def run() -> Book:
        manager = _V5WebSocketManager("bench", testnet=True)
        process = manager._process_delta_orderbook
        # pybit keeps the snapshot's lists and changes them in place: give it its own copy
        process(json.loads(json.dumps(parsed[0])), TOPIC)
        for message in parsed[1:]:
            process(message, TOPIC)
        return _pybit_book(manager.data[TOPIC])

    return run


# --------------------------------------------------------------------------- measuring


def interleave(
    contenders: dict[str, Callable[[], Book]], rounds: int, expected: Book, messages: int
) -> dict[str, list[float]]:
    """Messages per second of each contender, one number per round, in a rotating order; every
    contender's final book is checked against ``expected`` each round."""
    rates: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(rounds):
        order = names[r % len(names) :] + names[: r % len(names)]
        for name in order:
            gc.collect()
            start = time.perf_counter()
            book = contenders[name]()
            elapsed = time.perf_counter() - start
            if book != expected:
                raise SystemExit(f"{name}: the final book differs from the recorded stream's")
            rates[name].append(messages / elapsed)
    return rates


def table(title: str, rates: dict[str, list[float]], baseline: str | None) -> str:
    lines = [
        f"### {title}",
        "",
        "| contender | messages/s (median) | p10 to p90 of rounds | ratio to baseline (median of rounds) |",
        "|---|---:|---:|---:|",
    ]
    for name, values in rates.items():
        ordered = sorted(values)
        low, high = (
            ordered[len(ordered) // 10],
            ordered[(len(ordered) * 9) // 10 - (1 if len(ordered) >= 10 else 0)],
        )
        if baseline is None or baseline not in rates or name == baseline:
            ratio = "1.00" if name == baseline else ""
        else:
            per_round = [a / b for a, b in zip(values, rates[baseline], strict=True)]
            ratio = f"{statistics.median(per_round):.2f}"
        lines.append(f"| {name} | {statistics.median(values):,.0f} | {low:,.0f} to {high:,.0f} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer deltas and rounds")
    parser.add_argument("--deltas", type=int, default=None, help="deltas after the snapshot (default 5000)")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 15)")
    args = parser.parse_args(argv)
    deltas = args.deltas or (1500 if args.quick else 5000)
    rounds = args.rounds or (5 if args.quick else 15)
    frames, final = record(deltas)
    expected = {side: dict(levels) for side, levels in final.items()}
    try:
        import pybit

        have_pybit = True
        pybit_version = pybit.VERSION if hasattr(pybit, "VERSION") else "?"
    except ImportError:
        have_pybit, pybit_version = False, "not installed"
    stream: dict[str, Callable[[], Book]] = {"carpenstar-bybit": sdk_stream(frames)}
    parsed = [json.loads(f) for f in frames]
    book_only: dict[str, Callable[[], Book]] = {"carpenstar-bybit": sdk_book_only(parsed)}
    if have_pybit:
        stream["pybit"] = pybit_stream(frames)
        book_only["pybit"] = pybit_book_only(parsed)
    messages = len(frames)
    print(f"# Order book stream: {messages} messages (1 snapshot of {DEPTH} levels a side, {deltas} deltas)")
    versions = f"Python {platform.python_version()} on {platform.machine()}, pybit {pybit_version}"
    print(f"{versions}, {rounds} rounds\n")
    rates = interleave(stream, rounds, expected, messages)
    print(table("Text frame to the user's code", rates, "pybit" if have_pybit else None))
    print()
    parsed_rates = interleave(book_only, rounds, expected, messages)
    print(table("Book update alone (messages already parsed)", parsed_rates, "pybit" if have_pybit else None))
    print(
        "\nThe same final book (every level, exact Decimal) was checked for each contender after every round."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
