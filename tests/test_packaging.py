"""The package as a user gets it: build the wheel, inspect it, install it into a fresh virtual
environment, run code against the installed copy and type-check a user script with ``mypy --strict``.

Nothing here needs the network when the build backend is at hand (setuptools with ``wheel``, or
setuptools 70.1 or newer): the wheel is built without build isolation, installed with ``--no-index``,
and the fresh environment sees the runtime dependencies (and mypy's stubs) of the test environment
through a ``.pth`` file. The source is copied first, so no build artefact lands in the checkout.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest

import carpenstar_bybit

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 300

USER_SCRIPT = '''\
"""A user's script: typed calls through the installed package, run against a sandbox."""

from __future__ import annotations

from decimal import Decimal

from carpenstar_bybit import BybitAPI, OrderNotFoundException
from carpenstar_bybit.derivatives.contract.order.cancel_order import (
    CancelOrder,
    CancelOrderRequest,
    CancelOrderResponse,
)
from carpenstar_bybit.sandbox import SandboxExchange
from carpenstar_bybit.v5.trade.place_order import PlaceOrder, PlaceOrderRequest, PlaceOrderResponse

KEY, SECRET = "packaging-key", "packaging-secret-0123456789"


def place(api: BybitAPI, price: Decimal) -> str:
    request = (
        PlaceOrderRequest()
        .set_category("linear")
        .set_symbol("BTCUSDT")
        .set_side("Buy")
        .set_order_type("Limit")
        .set_qty("0.01")
        .set_price(price)
    )
    result: PlaceOrderResponse | None = api.rest(PlaceOrder, request).get_result()
    assert result is not None
    return result.get_order_id()


def cancel_v3(api: BybitAPI, order_id: str) -> str | None:
    request = CancelOrderRequest().set_symbol("BTCUSDT").set_order_id(order_id)
    result: CancelOrderResponse | None = api.private_endpoint(CancelOrder, request).execute().get_result()
    return None if result is None else result.get_order_id()


def main() -> None:
    with SandboxExchange(api_keys={KEY: SECRET}) as exchange, BybitAPI(exchange.url, KEY, SECRET) as api:
        order_id = place(api, Decimal("20000"))
        print("cancelled", cancel_v3(api, order_id) == order_id)
        try:
            cancel_v3(api, order_id)
        except OrderNotFoundException as exc:
            print("not found", exc.ret_code)


if __name__ == "__main__":
    main()
'''

WRONG_SCRIPT = """\
from carpenstar_bybit import BybitAPI
from carpenstar_bybit.derivatives.contract.order.cancel_order import CancelOrder
from carpenstar_bybit.v5.trade.cancel_order import CancelOrderRequest


def cancel(api: BybitAPI) -> None:
    api.rest(CancelOrder, CancelOrderRequest())  # a V5 request for the V3 endpoint
"""


def run(cmd: list[str], cwd: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MYPYPATH", "PIP_REQUIRE_VIRTUALENV")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return subprocess.run(
        cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False, **kwargs
    )


def offline_backend() -> bool:
    """Whether setuptools can build a wheel here without fetching anything."""
    try:
        import setuptools
    except ImportError:
        return False
    major, minor = (int(p) for p in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "setup.cfg", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, src / name)
    shutil.copytree(
        ROOT / "carpenstar_bybit",
        src / "carpenstar_bybit",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    out = tmp_path_factory.mktemp("dist")
    cmd = [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-w", str(out), "-q"]
    if offline_backend():
        cmd.append("--no-build-isolation")
    result = run(cmd, cwd=src)
    if result.returncode != 0 and not offline_backend():
        pytest.skip(
            "cannot build offline here: install wheel or setuptools>=70.1 "
            f"(isolated build failed: {result.stderr.strip()[-300:]})"
        )
    assert result.returncode == 0, result.stdout + result.stderr
    wheels = sorted(out.glob("carpenstar_bybit-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def metadata_of(wheel: Path) -> tuple[list[str], dict[str, list[str]]]:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        message = Parser().parsestr(archive.read(meta_name).decode())
    fields: dict[str, list[str]] = {}
    for key, value in message.items():
        fields.setdefault(key, []).append(value)
    return names, fields


def test_wheel_contents(wheel: Path) -> None:
    names, _ = metadata_of(wheel)
    assert "carpenstar_bybit/py.typed" in names
    assert "carpenstar_bybit/__init__.py" in names
    assert "carpenstar_bybit/sandbox/__init__.py" in names
    assert "carpenstar_bybit/derivatives/contract/order/cancel_order/__init__.py" in names
    assert "carpenstar_bybit/v5/trade/place_order/__init__.py" in names
    tops = {name.split("/", 1)[0] for name in names}
    dist_info = f"carpenstar_bybit-{carpenstar_bybit.__version__}.dist-info"
    assert tops == {"carpenstar_bybit", dist_info}, tops
    assert not [n for n in names if "/tests/" in n or n.startswith("tests/") or "/test_" in n]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert any(n.startswith(dist_info) and n.endswith("LICENSE") for n in names)


def test_wheel_metadata(wheel: Path) -> None:
    _, meta = metadata_of(wheel)
    assert meta["Name"] == ["carpenstar-bybit"]
    assert meta["Version"] == [carpenstar_bybit.__version__]
    classifiers = meta.get("Classifier", [])
    assert "Typing :: Typed" in classifiers
    licence = meta.get("License", []) + meta.get("License-Expression", []) + classifiers
    assert any(value in ("MIT", "License :: OSI Approved :: MIT License") for value in licence), licence
    requires = " ".join(meta.get("Requires-Dist", []))
    assert "requests" in requires
    assert "typing-extensions" in requires or "typing_extensions" in requires
    assert meta["Requires-Python"][0].startswith(">=")


def dependency_dir(tmp_path: Path) -> Path:
    """The test environment's site-packages, without this project, as one directory of symlinks."""
    deps = tmp_path / "deps"
    deps.mkdir()
    roots = [*site.getsitepackages(), site.getusersitepackages(), sysconfig.get_paths()["purelib"]]
    for root in dict.fromkeys(Path(r) for r in roots):
        if not root.is_dir():
            continue
        for entry in root.iterdir():
            name = entry.name.lower()
            if "carpenstar" in name or entry.suffix == ".pth" or (deps / entry.name).exists():
                continue
            (deps / entry.name).symlink_to(entry)
    return deps


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its python."""
    tmp = tmp_path_factory.mktemp("venv")
    venv = tmp / "venv"
    result = run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp)
    assert result.returncode == 0, result.stderr
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=tmp)
    site_packages = Path(purelib.stdout.strip())
    (site_packages / "_test_dependencies.pth").write_text(f"{dependency_dir(tmp)}\n")
    install = run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-index",
            "--find-links",
            str(wheel.parent),
            "carpenstar-bybit",
        ],
        cwd=tmp,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    return python


def test_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = textwrap.dedent(
        """
        import importlib.metadata, pathlib, carpenstar_bybit
        here = pathlib.Path(carpenstar_bybit.__file__).parent
        print(here)
        print(importlib.metadata.version("carpenstar-bybit"), carpenstar_bybit.__version__)
        print((here / "py.typed").exists())
        """
    )
    result = run([str(installed), "-c", code], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    location, versions, typed = result.stdout.splitlines()
    assert Path(location).is_relative_to(installed.parent.parent), location
    assert not Path(location).is_relative_to(ROOT)
    assert versions == f"{carpenstar_bybit.__version__} {carpenstar_bybit.__version__}"
    assert typed == "True"


def test_installed_package_runs_a_user_script(installed: Path, tmp_path: Path) -> None:
    script = tmp_path / "user_script.py"
    script.write_text(USER_SCRIPT)
    result = run([str(installed), str(script)], cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == ["cancelled True", "not found 140001"]


def test_console_script_is_installed(installed: Path, tmp_path: Path) -> None:
    command = installed.parent / ("carpenstar-bybit.exe" if os.name == "nt" else "carpenstar-bybit")
    result = run([str(command), "--version"], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert carpenstar_bybit.__version__ in result.stdout


def mypy(installed: Path, script: Path) -> subprocess.CompletedProcess[str]:
    config = script.parent / "mypy.ini"
    config.write_text("[mypy]\n")
    return run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(config),
            "--python-executable",
            str(installed),
            "--cache-dir",
            str(script.parent / ".mypy_cache"),
            str(script),
        ],
        cwd=script.parent,
    )


def test_mypy_strict_passes_on_a_user_script(installed: Path, tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    script = tmp_path / "user_script.py"
    script.write_text(USER_SCRIPT)
    result = mypy(installed, script)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_sees_the_installed_types(installed: Path, tmp_path: Path) -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    script = tmp_path / "wrong.py"
    script.write_text(WRONG_SCRIPT)
    result = mypy(installed, script)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "arg-type" in result.stdout or "type-var" in result.stdout or "misc" in result.stdout, (
        result.stdout
    )
    assert "wrong.py:7" in result.stdout, result.stdout
