"""A plain reference order book and a generator of Bybit-like order book messages.

The reference is written without the SDK: two dicts of ``Decimal`` price to ``Decimal`` size, sorted
when read. The generator makes a snapshot, then deltas that update, insert and delete levels while
each side stays within the depth (a level pushed out is deleted with size 0, as Bybit does), with
``u`` + 1 per delta and a growing ``seq``. Prices are written sometimes with a trailing zero
(``"100.50"``) and sometimes without (``"100.5"``): the same level either way.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

TICK = Decimal("0.5")


def text(value: Decimal, rng: random.Random | None = None) -> str:
    plain = format(value, "f")
    if rng is not None and "." in plain and rng.random() < 0.3:
        plain = plain.rstrip("0").rstrip(".") or "0"
    elif "." not in plain and rng is not None and rng.random() < 0.3:
        plain += ".00"
    return plain


class ReferenceBook:
    def __init__(self, symbol: str = "BTCUSDT", depth: int = 50, *, seed: int = 1, mid: int = 30000) -> None:
        self.symbol = symbol
        self.depth = depth
        self.topic = f"orderbook.{depth}.{symbol}"
        self.rng = random.Random(seed)
        self.bids: dict[Decimal, Decimal] = {}
        self.asks: dict[Decimal, Decimal] = {}
        self.u = 1000
        self.seq = 50_000
        self.ts = 1_700_000_000_000
        mid_price = Decimal(mid)
        for i in range(1, depth + 1):
            self.bids[mid_price - i * TICK] = self._size()
            self.asks[mid_price + i * TICK] = self._size()

    def _size(self) -> Decimal:
        return Decimal(self.rng.randint(1, 50_000)) / 1000

    def sorted_bids(self) -> list[tuple[Decimal, Decimal]]:
        return sorted(self.bids.items(), reverse=True)

    def sorted_asks(self) -> list[tuple[Decimal, Decimal]]:
        return sorted(self.asks.items())

    def snapshot(self) -> dict[str, Any]:
        self.ts += 100
        return {
            "topic": self.topic,
            "type": "snapshot",
            "ts": self.ts,
            "data": {
                "s": self.symbol,
                "b": [[text(p), text(s)] for p, s in self.sorted_bids()],
                "a": [[text(p), text(s)] for p, s in self.sorted_asks()],
                "u": self.u,
                "seq": self.seq,
            },
            "cts": self.ts - 2,
        }

    def delta(self, changes: int = 12) -> dict[str, Any]:
        rng = self.rng
        out: dict[str, list[list[str]]] = {"b": [], "a": []}
        for _ in range(changes):
            bid = rng.random() < 0.5
            side, key = (self.bids, "b") if bid else (self.asks, "a")
            roll = rng.random()
            if roll < 0.45 and side:  # update a level
                price = rng.choice(list(side))
                side[price] = self._size()
                out[key].append([text(price, rng), text(side[price])])
            elif roll < 0.7 and side:  # delete a level
                price = rng.choice(list(side))
                del side[price]
                out[key].append([text(price, rng), "0"])
            else:  # insert a level near the top, pushing the worst one out past the depth
                best_bid = max(self.bids) if self.bids else Decimal(29990)
                best_ask = min(self.asks) if self.asks else Decimal(30010)
                if bid:
                    price = best_bid - rng.randint(-2, 20) * TICK
                    if price >= best_ask:
                        price = best_ask - TICK
                else:
                    price = best_ask + rng.randint(-2, 20) * TICK
                    if price <= best_bid:
                        price = best_bid + TICK
                side[price] = self._size()
                out[key].append([text(price, rng), text(side[price])])
                while len(side) > self.depth:
                    worst = min(side) if bid else max(side)
                    del side[worst]
                    out[key].append([text(worst, rng), "0"])
        self.u += 1
        self.seq += rng.randint(1, 5)
        self.ts += 20
        return {
            "topic": self.topic,
            "type": "delta",
            "ts": self.ts,
            "data": {"s": self.symbol, "b": out["b"], "a": out["a"], "u": self.u, "seq": self.seq},
            "cts": self.ts - 1,
        }
