"""Every script in examples/ runs to completion against its own sandbox exchange, as a user would run it.

Each runs in a fresh interpreter (``sys.executable``), from a scratch directory, with a timeout; the
test checks the exit code and the lines that show the example did what it says.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TIMEOUT = 60
SECRET = "example-secret-do-not-use-for-real"

EXPECTED: dict[str, list[str]] = {
    "cancel_order.py": [
        "placed order ",
        "3.x style: cancelled order ",
        "5.x style: cancelled order example-cancel-2 (retCode 0)",
        "orders on the exchange: 2, statuses: Cancelled",
    ],
    "place_and_cancel.py": [
        "placed: ",
        " Buy 0.01 @ 25000 status=New",
        "cancelled: ",
        "status=Cancelled created=",
        "second cancel: OrderNotFoundException ret_code=110001",
    ],
    "pagination.py": [
        "placed 5 orders",
        "page 1: example-page-4, example-page-3",
        "page 3: example-page-0",
        "by hand: 5 orders in 3 pages",
        "paginate(): 5 orders, prices 20400, 20300, 20200, 20100, 20000",
        "paginate(max_items=3): 3 orders",
    ],
    "error_handling.py": [
        "missing field: SDKException: CancelOrderRequest: one of orderId / orderLinkId is required",
        "bad value: SDKException: qty:",
        "requests sent for those: 0",
        "unknown order: OrderNotFoundException: [140001]",
        "bad signature: AuthenticationException ret_code=10004 retryable=False",
        "secret in the message: False",
        "exchange-side validation: InvalidParameterException: [10001]",
        "ip block: RateLimitException http_status=403",
        "read after a 502: retCode 0, HTTP statuses seen [502, 200]",
        "order after a 502: TransportException http_status=502 (not retried)",
        "slow answer: TimeoutException:",
        "no server: ConnectionFailedException (a TransportException: True)",
        "every exchange refusal is an ApiException: True",
    ],
    "custom_endpoint.py": [
        "server time: ",
        ": New at Decimal('9999.5')",
        "validation: OrderStatusRequest: missing required field(s): symbol, orderId",
    ],
}


def run_example(name: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    # The scripts import the SDK as an installed user would; point them at this checkout.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        [sys.executable, str(EXAMPLES / name)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def test_every_example_is_covered() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs_against_the_sandbox(name: str, tmp_path: Path) -> None:
    result = run_example(name, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for line in EXPECTED[name]:
        assert line in result.stdout, f"{name}: {line!r} missing from:\n{output}"
    assert SECRET not in output
    assert "Traceback" not in output


def test_examples_type_check_strictly() -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(EXAMPLES)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT * 3,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
