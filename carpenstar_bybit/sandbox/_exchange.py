"""``SandboxExchange``: a local Bybit-compatible exchange on loopback, for tests and demos."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING

from typing_extensions import Self

from carpenstar_bybit.core.timeutil import now_ms
from carpenstar_bybit.sandbox import (
    _routes_contract,
    _routes_market,
    _routes_v5,
    _routes_v5_account,
    _routes_v5_market,
    _routes_v5_position,
)
from carpenstar_bybit.sandbox._app import RequestRecord, SandboxApp
from carpenstar_bybit.sandbox._auth import Authenticator
from carpenstar_bybit.sandbox._faults import FaultInjector
from carpenstar_bybit.sandbox._instruments import Instrument
from carpenstar_bybit.sandbox._ledger import WalletMetrics
from carpenstar_bybit.sandbox._market import Price
from carpenstar_bybit.sandbox._ratelimit import RateLimiter
from carpenstar_bybit.sandbox._records import (
    SandboxClosedPnl,
    SandboxExecution,
    SandboxOrder,
    SandboxPosition,
)
from carpenstar_bybit.sandbox._router import Route, route_table
from carpenstar_bybit.sandbox._server import SandboxHTTPServer, default_max_connections
from carpenstar_bybit.sandbox._state import ExchangeState, StateListener
from carpenstar_bybit.sandbox._transport import PLACEHOLDER_URL, SandboxTransport
from carpenstar_bybit.sandbox._ws_connection import StreamConnection
from carpenstar_bybit.sandbox._ws_faults import WsFaultInjector

if TYPE_CHECKING:
    from carpenstar_bybit.sandbox._ws import StreamServer

__all__ = ["DEFAULT_API_KEY", "DEFAULT_SECRET", "SandboxExchange"]

#: The key pair a sandbox accepts when it is given no ``api_keys`` (public knowledge: test use only).
DEFAULT_API_KEY = "sandbox-api-key"
DEFAULT_SECRET = "sandbox-api-secret"

_ROUTES = route_table(
    (
        _routes_market.router,
        _routes_contract.router,
        _routes_v5.router,
        _routes_v5_market.router,
        _routes_v5_position.router,
        _routes_v5_account.router,
    )
)
_V5_ROUTES = {key: route for key, route in _ROUTES.items() if route.path.startswith("/v5/")}


def _routes(v3_routes: bool) -> dict[tuple[str, str], Route]:
    return dict(_ROUTES) if v3_routes else dict(_V5_ROUTES)


class SandboxExchange:
    """A Bybit-compatible exchange in this process: a real HTTP/1.1 keep-alive server on loopback,
    speaking the V3 routes of the PHP SDK and every V5 route of the SDK over one in-memory state
    (or, through ``transport()``, the same exchange without a socket).

    ::

        with SandboxExchange(api_keys={"key": "secret"}) as ex:
            api = BybitAPI(ex.url, "key", "secret")
            ...
            assert ex.orders()[0].status == "Cancelled"

    :param api_keys: accepted API keys and their secrets; each key is its own account. Default: one
        pair, ``DEFAULT_API_KEY`` / ``DEFAULT_SECRET``.
    :param host: interface to listen on (loopback by default; the sandbox is not meant to be exposed).
    :param port: TCP port; 0 picks a free one (see ``url``).
    :param rate_limit: private requests per key, route and window before 10006; default ``None``:
        Bybit's V5 table per route (10/s to place an order, 50/s to list them...; 10/s for V3).
    :param rate_limit_window_ms: length of the rate-limit window (Bybit: one second).
    :param mark_prices: symbols to list besides the defaults (BTCUSDT, ETHUSDT, SOLUSDT, XRPUSDT,
        BTCPERP, ETHPERP, BTCUSD, ETHUSD), or other mark prices for those; market orders fill there.
    :param balances: starting wallet of every account, per coin.
    :param idle_timeout: seconds a connection may take to deliver its next complete request (an idle
        keep-alive connection, or one that sends too slowly, is closed after that).
    :param max_connections: most client connections served at once (default: 1024, or fewer when
        the process may open fewer files); past it a new connection evicts the one that has waited
        longest for its next request.
    :param max_body_bytes: largest request body accepted (larger: HTTP 413 with a 10001 envelope).
    :param clock: the server clock in epoch milliseconds (default: the system clock); tests pass a
        controllable one to check the timestamp window and the rate-limit window exactly.
    :param v3_routes: ``False`` answers the pre-V5 routes (``/contract/v3/...``,
        ``/derivatives/v3/...``, ``/v3/public/time``) as today's Bybit does, with HTTP 404, for
        testing code that must not use them.
    :param rsa_keys: API keys registered with an RSA public key (PEM), verified with RSA-SHA256 as
        Bybit does (needs the ``cryptography`` package: ``pip install carpenstar-bybit[rsa]``).
    :param streams: serve Bybit's V5 WebSocket streams at ``ws_url`` (see ``carpenstar_bybit.sandbox._ws``):
        ``None`` (default) when the ``websockets`` package is installed (``pip install
        carpenstar-bybit[stream]``), ``True`` to require it (``RuntimeError`` at ``start`` without it),
        ``False`` not to.
    :param ws_port: TCP port of the streams; 0 picks a free one (see ``ws_url``).
    """

    def __init__(
        self,
        api_keys: Mapping[str, str] | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        rate_limit: int | None = None,
        rate_limit_window_ms: int = 1000,
        mark_prices: Mapping[str, Price] | None = None,
        balances: Mapping[str, Decimal | int | str] | None = None,
        idle_timeout: float = 15.0,
        max_connections: int | None = None,
        max_body_bytes: int = 64 * 1024,
        clock: Callable[[], int] | None = None,
        v3_routes: bool = True,
        rsa_keys: Mapping[str, str | bytes] | None = None,
        streams: bool | None = None,
        ws_port: int = 0,
    ) -> None:
        for name, number in (("port", port), ("ws_port", ws_port)):
            if not 0 <= number <= 65535:
                raise ValueError(f"{name} must be in 0..65535, got {number!r}")
        if streams not in (None, True, False):
            raise ValueError(f"streams must be None, True or False, got {streams!r}")
        if not idle_timeout > 0:
            raise ValueError(f"idle_timeout must be positive, got {idle_timeout!r}")
        if max_body_bytes < 1:
            raise ValueError(f"max_body_bytes must be positive, got {max_body_bytes!r}")
        if max_connections is None:
            max_connections = default_max_connections()
        if isinstance(max_connections, bool) or not isinstance(max_connections, int) or max_connections < 1:
            raise ValueError(f"max_connections must be a positive int, got {max_connections!r}")
        self._max_connections = max_connections
        self._host = host
        self._port = port
        self._idle_timeout = float(idle_timeout)
        self._max_body = max_body_bytes
        clock = now_ms if clock is None else clock
        self._state = ExchangeState(
            mark_prices,
            {k: Decimal(v) for k, v in balances.items()} if balances is not None else None,
            clock,
        )
        if api_keys is None:
            api_keys = {} if rsa_keys else {DEFAULT_API_KEY: DEFAULT_SECRET}
        self._auth = Authenticator(api_keys, rsa_keys)
        for key in rsa_keys or {}:
            self._state.rsa_public_keys[key] = self._auth.rsa_public_key(key)
        self._limiter = RateLimiter(rate_limit, rate_limit_window_ms, clock)
        #: Fault injection: ``ex.faults.inject("http_5xx", count=2)`` (see ``FaultInjector``).
        self.faults = FaultInjector()
        self._stopping = threading.Event()
        self._app = SandboxApp(
            state=self._state,
            authenticator=self._auth,
            limiter=self._limiter,
            faults=self.faults,
            routes=_routes(v3_routes),
            clock=clock,
            stopping=self._stopping,
        )
        self._server: SandboxHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lifecycle = threading.Lock()
        #: Stream fault injection: ``ex.ws_faults.inject("drop")`` (see ``WsFaultInjector``).
        self.ws_faults = WsFaultInjector()
        self._clock = clock
        self._streams_wanted = streams
        self._ws_port = ws_port
        self._streams: StreamServer | None = None
        self._streams_off = "streams=False" if streams is False else "the sandbox is not running"
        self._stream_errors: list[str] = []

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Self:
        """Bind the port and serve in a background thread (a no-op if already running)."""
        with self._lifecycle:
            if self._server is not None:
                return self
            self._stopping.clear()
            server = SandboxHTTPServer(
                (self._host, self._port),
                self._app,
                idle_timeout=self._idle_timeout,
                max_body=self._max_body,
                max_connections=self._max_connections,
            )
            thread = threading.Thread(
                target=server.serve_forever,
                kwargs={"poll_interval": 0.01},
                name="sandbox-server",
                daemon=True,
            )
            thread.start()
            self._server, self._thread = server, thread
            try:
                self._start_streams()
            except BaseException:
                self._stopping.set()
                server.shutdown()
                server.server_close()
                thread.join(5.0)
                self._server = self._thread = None
                raise
            return self

    def _start_streams(self) -> None:
        if self._streams_wanted is False:
            return
        try:
            from carpenstar_bybit.sandbox._ws import StreamServer
        except ImportError:
            self._streams_off = (
                "the websockets package is not installed: pip install 'carpenstar-bybit[stream]'"
            )
            if self._streams_wanted:
                raise RuntimeError(f"streams=True, but {self._streams_off}") from None
            return
        streams = StreamServer(
            state=self._state,
            authenticator=self._auth,
            faults=self.ws_faults,
            clock=self._clock,
            host=self._host,
            port=self._ws_port,
        )
        streams.start()
        self._streams = streams

    def stop(self, timeout: float = 5.0) -> None:
        """Stop serving: close the listening socket and every open connection, wake requests held by
        latency faults, and wait up to ``timeout`` seconds for the threads. Safe to call twice."""
        with self._lifecycle:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            if server is None or thread is None:
                return
            streams, self._streams = self._streams, None
            if streams is not None:
                streams.stop(timeout)
                self._stream_errors += streams.internal_errors()
            self._stopping.set()
            server.shutdown()
            server.server_close()
            server.close_connections(timeout)
            thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the server is up."""
        return self._server is not None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to give ``BybitAPI``, e.g. ``http://127.0.0.1:54321`` (``RuntimeError`` if stopped)."""
        server = self._server
        if server is None:
            raise RuntimeError("the sandbox is not running: call start() or use it as a context manager")
        host, port = server.server_address[:2]
        host_text = str(host)
        return f"http://[{host_text}]:{port}" if ":" in host_text else f"http://{host_text}:{port}"

    @property
    def ws_url(self) -> str:
        """Base URL of the WebSocket streams, e.g. ``ws://127.0.0.1:54322``, to give a stream as its
        ``host``; the streams are at Bybit's paths under it (``/v5/public/linear``, ``/v5/private``...).
        ``RuntimeError`` when the sandbox serves no streams (stopped, ``streams=False``, or no
        ``websockets`` package)."""
        streams = self._streams
        if streams is None:
            raise RuntimeError(f"the sandbox serves no streams: {self._streams_off}")
        return streams.url

    def stream_connections(self) -> list[StreamConnection]:
        """The open stream (WebSocket) connections, oldest first: each one's ``path``, ``api_key``
        (once authenticated) and subscribed ``topics``: what your stream code has asked the exchange for."""
        streams = self._streams
        return streams.connections() if streams is not None else []

    @property
    def port(self) -> int:
        """The bound TCP port (``RuntimeError`` if stopped)."""
        server = self._server
        if server is None:
            raise RuntimeError("the sandbox is not running")
        return int(server.server_address[1])

    @property
    def url_or_placeholder(self) -> str:
        """``url`` while the server runs; otherwise a base URL that never resolves
        (``http://sandbox.invalid``), for clients on the in-memory ``transport()``."""
        return self.url if self._server is not None else PLACEHOLDER_URL

    def transport(self) -> SandboxTransport:
        """A transport that serves requests from this exchange in memory, without a socket (the
        sandbox need not be started): ``BybitAPI(ex.url_or_placeholder, k, s, transport=ex.transport())``.
        Faults behave as over a socket (see ``SandboxTransport``)."""
        return SandboxTransport(self._app, self._max_body)

    def open_connections(self) -> int:
        """How many client connections are open right now."""
        server = self._server
        return server.open_connections() if server is not None else 0

    def connection_stats(self) -> dict[str, int]:
        """``open`` connections, and how many were ``evicted`` or ``refused`` at ``max_connections``
        since the server started (zeros while stopped)."""
        server = self._server
        return server.connection_stats() if server is not None else {"open": 0, "evicted": 0, "refused": 0}

    # -- credentials --------------------------------------------------------------------------

    @property
    def api_keys(self) -> tuple[str, ...]:
        """The accepted API keys (their secrets are not kept, only their signers)."""
        return self._auth.keys

    def add_api_key(self, api_key: str, secret: str) -> None:
        """Accept another key (a new, empty account)."""
        self._auth.add(api_key, secret)

    def add_rsa_key(self, api_key: str, public_pem: str | bytes) -> None:
        """Accept another key whose requests are signed with the RSA private key of ``public_pem``."""
        self._auth.add_rsa(api_key, public_pem)
        self._state.rsa_public_keys[api_key] = self._auth.rsa_public_key(api_key)

    # -- observers ----------------------------------------------------------------------------

    def subscribe(self, listener: StateListener) -> Callable[[], None]:
        """Call ``listener`` with a ``StateEvent`` for every order, execution, position and wallet
        change, after it is committed and outside the state lock (see ``ExchangeState``); returns
        the function that unsubscribes it."""
        return self._state.subscribe(listener)

    # -- state for tests ----------------------------------------------------------------------

    def orders(
        self, api_key: str | None = None, *, symbol: str | None = None, status: str | None = None
    ) -> list[SandboxOrder]:
        """Every order (of one key, symbol or status), oldest first, as immutable snapshots."""
        self._app.tick()
        with self._state.lock:
            found = [
                order
                for account in self._state.accounts(api_key)
                for order in account.orders.values()
                if (symbol is None or order.symbol == symbol) and (status is None or order.status == status)
            ]
        return sorted(found, key=lambda o: o.seq)

    def order(self, order_id: str) -> SandboxOrder | None:
        """One order by id, or ``None``."""
        return next((o for o in self.orders() if o.order_id == order_id), None)

    def positions(self, api_key: str | None = None) -> list[SandboxPosition]:
        """Open positions (of one key)."""
        self._app.tick()
        with self._state.lock:
            return [p for a in self._state.accounts(api_key) for p in a.positions.values() if p.size]

    def executions(self, api_key: str | None = None) -> list[SandboxExecution]:
        """Every fill (of one key), oldest first."""
        with self._state.lock:
            found = [e for a in self._state.accounts(api_key) for e in a.executions]
        return sorted(found, key=lambda e: e.seq)

    def closed_pnl(self, api_key: str | None = None) -> list[SandboxClosedPnl]:
        """Every closed-PnL record (of one key), oldest first."""
        with self._state.lock:
            found = [c for a in self._state.accounts(api_key) for c in a.closed_pnl]
        return sorted(found, key=lambda c: c.seq)

    def balance(self, coin: str, api_key: str | None = None) -> Decimal:
        """Wallet balance of ``coin`` for ``api_key`` (default: the only key, or ``ValueError``)."""
        if api_key is None:
            keys = self.api_keys
            if len(keys) != 1:
                raise ValueError("several API keys: say whose balance")
            api_key = keys[0]
        return self._state.wallet(self._state.account(api_key), coin).wallet_balance

    def wallet(self, coin: str, api_key: str | None = None) -> WalletMetrics:
        """Balance, equity, margins, available balance and PnL of one coin of ``api_key``'s unified
        wallet (default: the only key), as ``/v5/account/wallet-balance`` shows them."""
        self._app.tick()
        return self._state.wallet(self._state.account(self._only_key(api_key)), coin)

    def _only_key(self, api_key: str | None) -> str:
        if api_key is not None:
            return api_key
        keys = self.api_keys
        if len(keys) != 1:
            raise ValueError("several API keys: say whose")
        return keys[0]

    def instruments(self, category: str | None = None) -> list[Instrument]:
        """The listed instruments (of one category: linear, inverse, spot, option), in listing order,
        with their order filters (``tick``, ``step``, ``min_qty``...) and ``delivery_ms`` (futures)."""
        return self._state.instruments(category)

    def mark_price(self, symbol: str) -> Decimal:
        """The mark price of a listed symbol (``KeyError`` otherwise)."""
        return self._state.mark_price(symbol)

    def set_mark_price(self, symbol: str, price: Price) -> None:
        """Move a symbol's mark price (or list a new symbol): conditional orders trigger and resting
        limit orders the price reaches fill, as maker, at their price; positions whose take-profit or
        stop-loss the price crosses are closed by a reduce-only market order."""
        self._state.set_mark_price(symbol, price)
        self._state.flush_events()

    def fill_order(
        self, order_id: str, qty: Decimal | int | str | None = None, price: Decimal | int | str | None = None
    ) -> SandboxOrder:
        """Fill an open order as maker, fully or by ``qty``, at its price or ``price``."""
        filled = self._state.fill(
            order_id,
            Decimal(qty) if qty is not None else None,
            Decimal(price) if price is not None else None,
        )
        self._state.flush_events()
        return filled

    def requests(self) -> list[RequestRecord]:
        """The requests served (up to the last 10000), oldest first: method, path, HTTP status
        (``None`` when dropped), ``retCode`` (``None`` without an envelope) and the faults applied.
        No headers and no credentials are kept."""
        return self._app.records()

    def internal_errors(self) -> list[str]:
        """Tracebacks of sandbox bugs (should stay empty): requests answered with 10016, and stream
        frames, events or feeds whose connections were closed (code 1011)."""
        streams = self._streams
        live = streams.internal_errors() if streams is not None else []
        return self._app.internal_errors() + self._stream_errors + live

    def reset(self) -> None:
        """Back to the initial state: no orders, positions or fills, initial balances and mark prices,
        fresh rate-limit windows, no pending faults (HTTP or stream), an empty request log. Open
        stream connections stay open."""
        self._state.reset()
        self._limiter.reset()
        self.faults.clear()
        self.ws_faults.clear()
        self._app.clear_records()
        self._stream_errors.clear()
        streams = self._streams
        if streams is not None:
            streams.clear_errors()

    def __repr__(self) -> str:
        where = self.url if self._server is not None else "stopped"
        return f"SandboxExchange({where}, keys={len(self.api_keys)})"
