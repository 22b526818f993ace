"""The ``carpenstar-bybit`` command: the demo, the order commands against a sandbox, the sandbox
command, exit codes, JSON output, and that no key or secret is ever printed."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from websockets.sync.client import connect

from carpenstar_bybit.cli import EXIT_EXCHANGE, EXIT_OK, EXIT_TRANSPORT, EXIT_USAGE, main
from carpenstar_bybit.sandbox import SandboxExchange
from tests.sandbox.raw import signed_get

ROOT = Path(__file__).resolve().parents[1]
KEY = "CLItestKEY0a1b2c3d4e"
SECRET = "CLItestSECRET5f6a7b8c9d0e1f2a3b"


@pytest.fixture
def sandbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[SandboxExchange]:
    """A sandbox whose credentials are in the environment, as the order commands expect."""
    monkeypatch.setenv("BYBIT_API_KEY", KEY)
    monkeypatch.setenv("BYBIT_API_SECRET", SECRET)
    monkeypatch.setenv(
        "BYBIT_HOST", "http://127.0.0.1:9"
    )  # a command missing --host never leaves this machine
    with SandboxExchange(api_keys={KEY: SECRET}, rate_limit=1000) as ex:
        yield ex
        assert ex.internal_errors() == []


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    for text in (out, err):
        assert KEY not in text
        assert SECRET not in text
    return code, out, err


def place(capsys: pytest.CaptureFixture[str], ex: SandboxExchange, *extra: str) -> str:
    code, out, _ = run(
        capsys,
        "place-order",
        "--symbol",
        "BTCUSDT",
        "--side",
        "Buy",
        "--qty",
        "0.01",
        "--price",
        "25000",
        "--host",
        ex.url,
        *extra,
    )
    assert code == EXIT_OK
    assert out.startswith("Order placed: orderId ")
    return out.split()[3].rstrip(",")


# -- demo -----------------------------------------------------------------------------------------


def test_demo_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demo")
    assert code == EXIT_OK
    assert err == ""
    steps = [line for line in out.splitlines() if line[:2] in ("1.", "2.", "3.", "4.", "5.")]
    assert steps == [
        "1. Place a limit order",
        "2. List open orders",
        "3. Cancel it",
        "4. Find it in the order history",
        "5. Cancel it again",
    ]
    assert "BTCUSDT @ 25000  New" in out
    assert "status Cancelled, cancelType CancelByUser" in out
    assert "-> OrderNotFoundException: retCode 140001, 'Order does not exist'" in out
    assert out.rstrip().endswith(
        "Done: placed, listed, cancelled, found in history, and refused a second cancel."
    )


def test_demo_over_v5(capsys: pytest.CaptureFixture[str]) -> None:
    """``demo --v5``: the same V3 classes over their V5 routes, on a sandbox whose V3 routes are off."""
    code, out, err = run(capsys, "demo", "--v5")
    assert code == EXIT_OK
    assert err == ""
    assert out.startswith("carpenstar-bybit ")
    assert out.splitlines()[0].endswith(" demo --v5")
    assert "Its V3 routes are off, as on today's Bybit" in out
    assert re.findall(r"^   (\w+  (?:GET|POST) /\S+)$", out, re.MULTILINE) == [
        "PlaceOrder  POST /v5/order/create",
        "GetOpenOrders  GET /v5/order/realtime",
        "CancelOrder  POST /v5/order/cancel",
        "GetOrderList  GET /v5/order/history",
        "CancelOrder  POST /v5/order/cancel",
    ]
    assert "BTCUSDT @ 25000  New" in out  # the V3 DTOs read the V5 answers
    assert "status Cancelled, cancelType CancelByUser" in out
    assert "-> OrderNotFoundException: retCode 110001, 'Order does not exist'" in out  # V5's code, V3's class
    assert out.rstrip().endswith(
        "Done: placed, listed, cancelled, found in history, and refused a second cancel."
    )


@pytest.mark.parametrize("module", ["carpenstar_bybit.cli", "carpenstar_bybit"])
def test_demo_as_a_subprocess(module: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", module, "demo"], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr
    assert "5. Cancel it again" in done.stdout
    assert "retCode 140001" in done.stdout
    assert done.stderr == ""


# -- order commands -------------------------------------------------------------------------------


def test_place_list_cancel_and_history(sandbox: SandboxExchange, capsys: pytest.CaptureFixture[str]) -> None:
    order_id = place(capsys, sandbox, "--order-link-id", "cli-1")
    assert sandbox.orders()[0].order_id == order_id

    code, out, _ = run(capsys, "open-orders", "--symbol", "BTCUSDT", "--host", sandbox.url)
    assert code == EXIT_OK
    header, row = out.splitlines()
    assert header.split() == [
        "ORDER",
        "ID",
        "LINK",
        "ID",
        "SYMBOL",
        "SIDE",
        "TYPE",
        "PRICE",
        "QTY",
        "FILLED",
        "STATUS",
        "CREATED",
    ]
    assert row.split()[:9] == [order_id, "cli-1", "BTCUSDT", "Buy", "Limit", "25000", "0.01", "0", "New"]

    code, out, _ = run(
        capsys, "cancel-order", "--symbol", "BTCUSDT", "--order-link-id", "cli-1", "--host", sandbox.url
    )
    assert (code, out) == (EXIT_OK, f"Order cancelled: orderId {order_id}, orderLinkId cli-1\n")

    code, out, _ = run(capsys, "open-orders", "--symbol", "BTCUSDT", "--host", sandbox.url)
    assert (code, out) == (EXIT_OK, "No open orders.\n")
    code, out, _ = run(capsys, "order-list", "--symbol", "BTCUSDT", "--host", sandbox.url)
    assert code == EXIT_OK
    assert out.splitlines()[1].split()[8] == "Cancelled"


def test_json_output(sandbox: SandboxExchange, capsys: pytest.CaptureFixture[str]) -> None:
    order_id = place(capsys, sandbox)
    code, out, _ = run(capsys, "open-orders", "--symbol", "BTCUSDT", "--host", sandbox.url, "--json")
    assert code == EXIT_OK
    data = json.loads(out)
    assert (data["ok"], data["command"], data["retCode"], data["nextPageCursor"]) == (
        True,
        "open-orders",
        0,
        None,
    )
    assert [(o["orderId"], o["price"], o["orderStatus"]) for o in data["items"]] == [
        (order_id, "25000", "New")
    ]


def test_exchange_errors_exit_3(sandbox: SandboxExchange, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys, "cancel-order", "--symbol", "BTCUSDT", "--order-id", "nope", "--host", sandbox.url
    )
    assert (code, out) == (EXIT_EXCHANGE, "")
    assert err.startswith("cancel-order: OrderNotFoundException: [140001] Order does not exist")
    code, out, err = run(
        capsys, "cancel-order", "--symbol", "BTCUSDT", "--order-id", "nope", "--host", sandbox.url, "--json"
    )
    assert code == EXIT_EXCHANGE
    data = json.loads(out)
    assert (data["ok"], data["error"], data["retCode"], data["retMsg"], data["httpStatus"]) == (
        False,
        "OrderNotFoundException",
        140001,
        "Order does not exist",
        200,
    )


def test_transport_errors_exit_4(sandbox: SandboxExchange, capsys: pytest.CaptureFixture[str]) -> None:
    sandbox.faults.inject("drop", route="/contract/v3/private/order/create")
    code, out, err = run(
        capsys,
        "place-order",
        "--symbol",
        "BTCUSDT",
        "--side",
        "Buy",
        "--qty",
        "1",
        "--price",
        "1",
        "--host",
        sandbox.url,
    )
    assert (code, out) == (EXIT_TRANSPORT, "")
    assert err.startswith("place-order: TransportException: ")
    sandbox.faults.inject("http_5xx", count=None)
    code, out, _ = run(capsys, "order-list", "--host", sandbox.url, "--json")
    assert code == EXIT_TRANSPORT
    assert json.loads(out)["httpStatus"] == 503


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["cancel-order", "--symbol", "BTCUSDT"],
            "one of the arguments --order-id --order-link-id is required",
        ),
        (
            ["cancel-order", "--symbol", "X", "--order-id", "1", "--order-link-id", "2"],
            "not allowed with argument",
        ),
        (["place-order", "--symbol", "BTCUSDT", "--side", "Buy", "--qty", "-1"], "must be a positive number"),
        (
            ["place-order", "--symbol", "BTCUSDT", "--side", "Buy", "--qty", "1"],
            "a Limit order needs --price",
        ),
        (["open-orders"], "give --symbol, --base-coin or --settle-coin"),
        (
            ["cancel-order", "--symbol", "X", "--order-id", "1", "--host", "h", "--testnet"],
            "not allowed with argument",
        ),
        (["frobnicate"], "invalid choice"),
        (
            ["open-orders", "--symbol", "BTCUSDT", "--timeout", "inf"],
            "timeout connect must be finite seconds",
        ),
        (
            ["open-orders", "--symbol", "BTCUSDT", "--timeout", "nan"],
            "timeout connect must be finite seconds",
        ),
        (["open-orders", "--symbol", "BTCUSDT", "--recv-window", "0"], "recv_window must be an int"),
        ([], "the following arguments are required: COMMAND"),
    ],
)
def test_usage_errors_exit_2(
    sandbox: SandboxExchange, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == EXIT_USAGE
    assert message in err
    assert "Traceback" not in err


def test_missing_credentials_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("BYBIT_API_KEY", raising=False)
    monkeypatch.delenv("BYBIT_API_SECRET", raising=False)
    code, out, err = run(capsys, "order-list", "--host", "http://127.0.0.1:9")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == "order-list: set BYBIT_API_KEY and BYBIT_API_SECRET in the environment\n"


def test_help_and_version_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "demo" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("carpenstar-bybit ")


# -- the sandbox command --------------------------------------------------------------------------


def test_sandbox_command_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [
        sys.executable,
        "-m",
        "carpenstar_bybit.cli",
        "sandbox",
        "--port",
        "0",
        "--api-key",
        KEY,
        "--secret",
        SECRET,
    ]
    proc = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT
    )
    try:
        assert proc.stdout is not None
        banner = [proc.stdout.readline() for _ in range(4)]
        assert banner[0].startswith("Bybit sandbox listening on http://127.0.0.1:")
        assert banner[1].startswith("Streams (WebSocket) at ws://127.0.0.1:")
        assert banner[2:] == ["Credentials: as given (not shown)\n", "Press Ctrl-C to stop.\n"]
        url = banner[0].split()[-1]
        assert requests.get(f"{url}/v3/public/time", timeout=10).json()["retCode"] == 0
        with connect(banner[1].split()[-1] + "/v5/public/linear", proxy=None) as ws:
            ws.send('{"op": "ping"}')
            assert json.loads(ws.recv(10))["ret_msg"] == "pong"
        answer = signed_get(
            url, "/contract/v3/private/order/unfilled-orders", "symbol=BTCUSDT", api_key=KEY, secret=SECRET
        )
        assert answer.json()["retCode"] == 0
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err
    assert out == "Sandbox stopped.\n"
    for text in (*banner, out, err):
        assert KEY not in text
        assert SECRET not in text


def test_sandbox_command_refuses_half_credentials(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BYBIT_API_SECRET", raising=False)
    monkeypatch.delenv("BYBIT_API_KEY", raising=False)
    code, _, err = run(capsys, "sandbox", "--port", "0", "--api-key", KEY)
    assert (code, err) == (EXIT_USAGE, "sandbox: give both --api-key and --secret (or neither)\n")


def test_no_exchange_chosen_is_a_usage_error_not_mainnet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BYBIT_API_KEY", KEY)
    monkeypatch.setenv("BYBIT_API_SECRET", SECRET)
    monkeypatch.delenv("BYBIT_HOST", raising=False)
    code, out, err = run(capsys, "open-orders", "--symbol", "BTCUSDT")
    assert (code, out) == (EXIT_USAGE, "")
    assert err == (
        "open-orders: choose the exchange: --host URL, --testnet, --demo, --mainnet, --region or $BYBIT_HOST\n"
    )


@pytest.mark.parametrize(
    ("flags", "host"),
    [
        (["--demo"], "https://api-demo.bybit.com"),
        (["--testnet"], "https://api-testnet.bybit.com"),
        (["--mainnet"], "https://api.bybit.com"),
        (["--region", "nl"], "https://api.bybit.nl"),
        (["--region", "jp"], "https://api.manepa.jp"),
        (["--host", "http://127.0.0.1:9"], "http://127.0.0.1:9"),
    ],
)
def test_the_host_flags_name_bybits_documented_hosts(flags: list[str], host: str) -> None:
    from carpenstar_bybit.cli import build_parser, orders

    args = build_parser().parse_args(["open-orders", "--symbol", "BTCUSDT", *flags])
    assert orders._host(args) == host


def test_demo_piped_into_a_reader_that_stops_early_ends_quietly() -> None:
    import subprocess
    import sys

    demo = subprocess.Popen(
        [sys.executable, "-u", "-m", "carpenstar_bybit", "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert demo.stdout is not None
    demo.stdout.readline()
    demo.stdout.close()  # like `| head -1`
    _, err = demo.communicate(timeout=60)
    assert b"Traceback" not in err
    assert demo.returncode in (0, 1)


def test_sandbox_command_stops_on_ctrl_c_even_when_started_with_sigint_ignored() -> None:
    # A background job of a non-interactive shell starts with SIGINT ignored: the command must still stop.
    argv = [sys.executable, "-m", "carpenstar_bybit.cli", "sandbox", "--port", "0"]
    proc = subprocess.Popen(
        argv,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().startswith("Bybit sandbox listening on http://127.0.0.1:")
        proc.stdout.readline()
        proc.stdout.readline()
        proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0
    assert out == "Sandbox stopped.\n"
