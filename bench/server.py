"""A fast local HTTP/1.1 server with canned Bybit replies, for the benchmarks only.

It listens on 127.0.0.1 only, keeps connections alive, answers every request of a connection in
order (pipelining-safe), and checks the ``X-BAPI-SIGN`` of signed requests against the benchmark's
key and secret, so that every contender really does the work of a signed call: a wrong signature
gets Bybit's ``retCode`` 10004, an unknown route an HTTP 404.

Run it as a subprocess (what ``bench/run.py`` does)::

    python bench/server.py --key KEY --secret SECRET      # prints "PORT <n> <event loop>", then serves

The answers are canned (no order state): the cost measured is the client's.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import sys

__all__ = ["ORDER_ID", "ROUTES", "build_routes", "main", "serve"]

ORDER_ID = "c6f055d9-7f21-4079-913d-e6523a9cfffa"
_TIME = 1672217377164


def _envelope(result: object) -> bytes:
    return json.dumps(
        {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": _TIME},
        separators=(",", ":"),
    ).encode()


def _instrument(symbol: str) -> dict[str, object]:
    # One linear USDT perpetual as ``/v5/market/instruments-info`` describes it (for ccxt's markets).
    return {
        "symbol": symbol,
        "contractType": "LinearPerpetual",
        "status": "Trading",
        "baseCoin": symbol[:-4],
        "quoteCoin": "USDT",
        "launchTime": "1585526400000",
        "deliveryTime": "0",
        "deliveryFeeRate": "",
        "priceScale": "2",
        "leverageFilter": {"minLeverage": "1", "maxLeverage": "100.00", "leverageStep": "0.01"},
        "priceFilter": {"minPrice": "0.10", "maxPrice": "199999.80", "tickSize": "0.10"},
        "lotSizeFilter": {
            "maxOrderQty": "100.000",
            "minOrderQty": "0.001",
            "qtyStep": "0.001",
            "postOnlyMaxOrderQty": "1000.000",
            "maxMktOrderQty": "100.000",
            "minNotionalValue": "5",
        },
        "unifiedMarginTrade": True,
        "fundingInterval": 480,
        "settleCoin": "USDT",
        "copyTrading": "both",
        "upperFundingRate": "0.00375",
        "lowerFundingRate": "-0.00375",
    }


def build_routes() -> dict[tuple[str, str], bytes]:
    """``(method, path) -> JSON body`` of every route the benchmark calls."""
    cancelled = {"orderId": ORDER_ID, "orderLinkId": ""}
    return {
        # V3 contract: the SDK, raw requests/http.client, ccxt's implicit V3 method.
        ("POST", "/contract/v3/private/order/cancel"): _envelope(cancelled),
        # V5: pybit (V5 only) and ccxt's unified cancel_order.
        ("POST", "/v5/order/cancel"): _envelope(cancelled),
        ("GET", "/v5/market/time"): _envelope(
            {"timeSecond": str(_TIME // 1000), "timeNano": str(_TIME * 1_000_000)}
        ),
        # What ccxt's load_markets() reads before its unified cancel_order().
        ("GET", "/v5/asset/coin/query-info"): _envelope({"rows": []}),
        ("GET", "/v5/market/instruments-info"): _envelope(
            {"category": "linear", "list": [_instrument("BTCUSDT")], "nextPageCursor": ""}
        ),
    }


ROUTES = build_routes()

_BAD_SIGN = json.dumps(
    {"retCode": 10004, "retMsg": "error sign!", "result": {}, "retExtInfo": {}, "time": _TIME},
    separators=(",", ":"),
).encode()
_NOT_FOUND = b'{"retCode":404,"retMsg":"route not found"}'


def _response(status: str, body: bytes, close: bool) -> bytes:
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        "X-Bapi-Limit: 10\r\n"
        "X-Bapi-Limit-Status: 9\r\n"
        f"X-Bapi-Limit-Reset-Timestamp: {_TIME}\r\n"
        "Traceid: 3f3b1e0c0d4b1e4f9d2c6a8b7e5f4a3c\r\n"
        "Timenow: 1672217377164\r\n"
        f"Connection: {'close' if close else 'keep-alive'}\r\n\r\n"
    )
    return head.encode() + body


def _header(head: bytes, lower: bytes, name: bytes) -> bytes | None:
    """The value of header ``name`` (lowercase, with the CRLF before it and the colon after it)."""
    at = lower.find(name)
    if at < 0:
        return None
    start = at + len(name)
    stop = head.find(b"\r\n", start)
    return head[start : stop if stop >= 0 else len(head)].strip()


class _Http(asyncio.Protocol):
    """One connection: parse requests (Content-Length bodies) and answer them in order.

    Only what the answer depends on is parsed: the request line, ``Content-Length``, ``Connection``
    and the four ``X-BAPI-*`` headers of a signature.
    """

    def __init__(self, routes: dict[tuple[str, str], bytes], key: str, secret: bytes) -> None:
        self._routes = {(m.encode(), p.encode()): body for (m, p), body in routes.items()}
        self._key = key.encode()
        self._mac = hmac.new(secret, digestmod=hashlib.sha256)
        self._buffer = b""
        self._transport: asyncio.WriteTransport | None = None
        self._cache: dict[tuple[bytes, bytes, bool], bytes] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # uvloop's is not an asyncio.Transport

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer + data if self._buffer else data
        while True:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                break
            head = buffer[: end + 2]  # keep the last CRLF so every header line ends with one
            lower = head.lower()
            length = _header(head, lower, b"\r\ncontent-length:")
            size = int(length) if length else 0
            if len(buffer) < end + 4 + size:
                break
            body = buffer[end + 4 : end + 4 + size]
            buffer = buffer[end + 4 + size :]
            close = _header(head, lower, b"\r\nconnection:") in (b"close", b"Close")
            assert self._transport is not None
            self._transport.write(self._answer(head, lower, body, close))
            if close:
                self._transport.close()
                break
        self._buffer = buffer

    def _answer(self, head: bytes, lower: bytes, body: bytes, close: bool) -> bytes:
        method, target, _version = head[: head.find(b"\r\n")].split(b" ", 2)
        if not target.startswith(b"/"):  # an absolute URI (through a proxy)
            target = b"/" + target.split(b"/", 3)[3]
        path, _, query = target.partition(b"?")
        canned = self._routes.get((method, path))
        if canned is None:
            return _response("404 Not Found", _NOT_FOUND, close)
        sign = _header(head, lower, b"\r\nx-bapi-sign:")
        if sign is not None:
            api_key = _header(head, lower, b"\r\nx-bapi-api-key:") or b""
            mac = self._mac.copy()
            mac.update(_header(head, lower, b"\r\nx-bapi-timestamp:") or b"")
            mac.update(api_key)
            mac.update(_header(head, lower, b"\r\nx-bapi-recv-window:") or b"")
            mac.update(body if method == b"POST" else query)
            if api_key != self._key or not hmac.compare_digest(mac.hexdigest().encode(), sign):
                return _response("200 OK", _BAD_SIGN, close)
        key = (method, path, close)
        answer = self._cache.get(key)
        if answer is None:
            answer = self._cache[key] = _response("200 OK", canned, close)
        return answer


async def serve(port: int, key: str, secret: str) -> None:
    """Serve on 127.0.0.1:``port`` (0: a free port) until cancelled; print ``PORT <n> <loop>`` first."""
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: _Http(ROUTES, key, secret.encode()), "127.0.0.1", port, reuse_address=True
    )
    bound = server.sockets[0].getsockname()[1]
    print(f"PORT {bound} {type(loop).__module__.split('.')[0]}", flush=True)
    async with server:
        await server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--key", default="bench-key")
    parser.add_argument("--secret", default="bench-secret")
    parser.add_argument("--uvloop", action="store_true", help="serve on uvloop (if installed)")
    args = parser.parse_args(argv)
    runner = asyncio.run
    if args.uvloop:
        import uvloop

        runner = uvloop.run
    try:
        runner(serve(args.port, args.key, args.secret))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
