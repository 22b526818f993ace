"""Inputs and connection patterns that used to stall or lock up the sandbox (issue #11), and the
256 concurrent keep-alive clients the asyncio client will be checked with (issue #16).

No timing assertions: a stall shows up as a client timeout (generous ones), a lock-out as a request
that never gets an answer.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time

import pytest
import requests

from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import API_KEY, SECRET, signed_post

CREATE = "/v5/order/create"
ORDER = b'{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","price":"25000",'


def _still_serving(ex: SandboxExchange) -> None:
    assert requests.get(f"{ex.url}/v5/market/time", timeout=10).json()["retCode"] == 0


@pytest.mark.parametrize(
    ("tail", "field"),
    [
        (b'"qty":"0.01","positionIdx":1e999999999}', "positionIdx"),
        (b'"qty":"0.01","positionIdx":1e1000000}', "positionIdx"),
        (b'"qty":1e999999999}', "qty"),
        (b'"qty":1E+999999999}', "qty"),
        (b'"qty":"0.01","positionIdx":' + b"9" * 5000 + b"}", "positionIdx"),
        (b'"qty":0.' + b"0" * 200 + b"1}", "qty"),
        (b'"qty":1e-999999999}', "qty"),
    ],
)
def test_huge_json_numbers_are_a_prompt_10001(exchange: SandboxExchange, tail: bytes, field: str) -> None:
    # Before the fix: positionIdx 1e999999999 became int(Decimal(...)) under the state lock (a frozen
    # sandbox), 1e1000000 a 25 s stall, a qty of 1e999999999 an internal error.
    answer = signed_post(exchange.url, CREATE, ORDER + tail)
    assert answer.json()["retCode"] == 10001
    assert answer.json()["retMsg"] == f"params error: {field} invalid (number out of range)"
    assert exchange.orders() == []
    _still_serving(exchange)


def test_json_numbers_in_range_still_work(exchange: SandboxExchange) -> None:
    answer = signed_post(exchange.url, CREATE, ORDER + b'"qty":0.01,"positionIdx":0}')
    assert answer.json()["retCode"] == 0
    (order,) = exchange.orders()
    assert str(order.qty) == "0.01"


def test_256_concurrent_keep_alive_clients(exchange: SandboxExchange) -> None:
    clients = 256
    all_connected = threading.Barrier(clients + 1)
    go_on = threading.Event()
    errors: list[BaseException] = []

    def run(n: int) -> None:
        try:
            with requests.Session() as session:
                assert session.get(f"{exchange.url}/v5/market/time", timeout=30).status_code == 200
                all_connected.wait(60)
                assert go_on.wait(60)
                for i in range(2):
                    body = ORDER + f'"qty":"0.001","orderLinkId":"c{n}-{i}"}}'.encode()
                    answer = signed_post(exchange.url, CREATE, body, session=session)
                    assert answer.json()["retCode"] == 0, answer.text
                assert session.get(f"{exchange.url}/v5/market/time", timeout=30).status_code == 200
        except BaseException as exc:  # reported below
            errors.append(exc)
            all_connected.abort()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    all_connected.wait(120)
    open_at_once = exchange.open_connections()
    go_on.set()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert open_at_once == clients  # every client holds its own keep-alive connection
    orders = exchange.orders()
    assert len(orders) == 2 * clients
    assert {o.order_link_id for o in orders} == {f"c{n}-{i}" for n in range(clients) for i in range(2)}
    assert exchange.connection_stats()["evicted"] == exchange.connection_stats()["refused"] == 0


def _slow_connection(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"GET /v5/market/time HTTP/1.1\r\nHost: x\r\n")  # never finishes its headers
    return sock


def test_connections_are_capped_and_slow_ones_make_room() -> None:
    with SandboxExchange(api_keys={API_KEY: SECRET}, max_connections=50, idle_timeout=60) as ex:
        slow = [_slow_connection(ex.port) for _ in range(300)]
        try:
            # Without the cap each of the 300 held a thread; now at most 50 are open at any time.
            deadline = time.monotonic() + 30
            while ex.open_connections() > 50 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert ex.open_connections() <= 50
            _still_serving(ex)
            stats = ex.connection_stats()
            assert stats["evicted"] >= 250
            assert stats["refused"] == 0
        finally:
            for sock in slow:
                sock.close()
        assert ex.internal_errors() == []


def test_a_trickling_client_is_cut_off() -> None:
    # One byte every 50 ms never trips a per-read timeout; the whole request must arrive within
    # idle_timeout, so the server hangs up.
    with SandboxExchange(idle_timeout=0.5) as ex:
        with socket.create_connection(("127.0.0.1", ex.port), timeout=10) as sock:
            payload = b"GET /v5/market/time HTTP/1.1\r\nX-Slow: " + b"a" * 10_000
            cut = False
            deadline = time.monotonic() + 30
            for byte in payload:
                if time.monotonic() > deadline:
                    break
                try:
                    sock.sendall(bytes([byte]))
                except OSError:
                    cut = True
                    break
                time.sleep(0.05)
                if _closed_by_peer(sock):
                    cut = True
                    break
            assert cut
        _still_serving(ex)


def _closed_by_peer(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)


def test_crash_is_a_500_envelope_and_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    from carpenstar_bybit.sandbox._state import ExchangeState

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(ExchangeState, "place", broken)
    with SandboxExchange(api_keys={API_KEY: SECRET}) as ex:
        answer = signed_post(ex.url, CREATE, ORDER + b'"qty":"0.01"}')
        assert answer.status_code == 500
        assert (answer.json()["retCode"], answer.json()["retMsg"]) == (10016, "Server error.")
        (trace,) = ex.internal_errors()
        assert "RuntimeError: a bug" in trace
        _still_serving(ex)


@pytest.mark.skipif(shutil.which("ss") is None, reason="needs ss (iproute2) to read the listen backlog")
def test_listen_backlog_takes_a_burst() -> None:
    # ss shows a listening socket's backlog as Send-Q; it was 5, bursts waited for SYN retransmits.
    with SandboxExchange() as ex:
        out = subprocess.run(
            ["ss", "-ltnH", f"sport = :{ex.port}"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.split()
        with open("/proc/sys/net/core/somaxconn") as f:
            somaxconn = int(f.read())
        assert int(out[2]) == min(1024, somaxconn)


_FD_LIMITED_SANDBOX = textwrap.dedent(
    """
    import resource, sys
    resource.setrlimit(resource.RLIMIT_NOFILE, (256, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    from carpenstar_bybit.sandbox import SandboxExchange
    with SandboxExchange(idle_timeout=60) as ex:
        print(ex.port, flush=True)
        sys.stdin.read()
    """
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs POSIX rlimits")
def test_slow_connections_do_not_lock_out_a_sandbox_with_256_file_descriptors() -> None:
    # Before the fix, 258 slow connections used every descriptor and nobody else got in.
    with subprocess.Popen(
        [sys.executable, "-c", _FD_LIMITED_SANDBOX],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as proc:
        slow: list[socket.socket] = []
        try:
            assert proc.stdout is not None
            port = int(proc.stdout.readline())
            slow = [_slow_connection(port) for _ in range(400)]
            answer = requests.get(f"http://127.0.0.1:{port}/v5/market/time", timeout=20)
            assert answer.status_code == 200
            assert json.loads(answer.content)["retCode"] == 0
        finally:
            for sock in slow:
                sock.close()
            assert proc.stdin is not None
            proc.stdin.close()
            proc.wait(30)
