"""The committed endpoint packages are exactly what tools/codegen.py makes from spec/."""

from __future__ import annotations

import ast
import importlib.util
import json
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from types import ModuleType

import pytest

from carpenstar_bybit.core import EntityCollection

ROOT = Path(__file__).resolve().parent.parent


def load_codegen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("codegen", ROOT / "tools" / "codegen.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["codegen"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_packages_match_the_generator() -> None:
    codegen = load_codegen()
    drift = [
        str(path.relative_to(ROOT))
        for path, text in sorted(codegen.outputs().items())
        if not path.exists() or path.read_text() != text
    ]
    assert drift == [], "run: python tools/codegen.py"


def test_naming_rule_of_the_spec() -> None:
    snake = load_codegen().snake
    assert snake("setOrderLinkId") == "set_order_link_id"
    assert snake("getPrice24hPcnt") == "get_price_24h_pcnt"
    assert snake("GetClosedPnL") == "get_closed_pnl"
    assert snake("accountIM") == "account_im"


def test_the_generator_runs_no_formatter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its output is its own text: the same whether or not ruff (or anything else) could be run."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"the generator started a process: {args}")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(subprocess, "Popen", refuse)
    outputs = load_codegen().outputs()
    assert all(path.read_text() == text for path, text in outputs.items())


def test_the_generated_files_are_as_ruff_format_leaves_them() -> None:
    """What the generator writes is also what the project's pinned formatter would write."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    folders = [str(ROOT / "carpenstar_bybit" / "derivatives"), str(ROOT / "carpenstar_bybit" / "v5")]
    config = ["--config", str(ROOT / "pyproject.toml")]
    done = subprocess.run([ruff, "format", "--check", *config, *folders], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_interfaces_name_protocols_only() -> None:
    """No interfaces.py imports a concrete class (response.py imports interfaces.py, not the reverse);
    a getter of nested items returns a collection of the item Protocol."""
    for path in sorted((ROOT / "carpenstar_bybit").rglob("interfaces.py")):
        tree = ast.parse(path.read_text())
        imported = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        assert not [m for m in imported if m.endswith((".response", ".request", ".endpoint"))], path
    from carpenstar_bybit.derivatives.market_data.instrument_info import interfaces

    hints = typing.get_type_hints(interfaces.IInstrumentInfoResponse.get_price_filter)
    assert hints["return"] == EntityCollection[interfaces.IPriceFilterItem]


def test_long_lines_are_split_as_black_splits_them() -> None:
    wrap = load_codegen().wrap
    head = "class KlineResponse(ArrayResponse, tuple[" + ", ".join(["Decimal | None"] * 7) + "], IKline):"
    assert wrap(head) == [
        "class KlineResponse(",
        "    ArrayResponse,",
        "    tuple[",
        *["        Decimal | None,"] * 7,
        "    ],",
        "    IKline,",
        "):",
    ]
    signature = (
        "    def set_time_in_force(self, time_in_force: " + " | ".join(["EnumTimeInForce"] * 4) + ") -> Self:"
    )
    assert wrap(signature) == [
        "    def set_time_in_force(",
        "        self, time_in_force: " + " | ".join(["EnumTimeInForce"] * 4),
        "    ) -> Self:",
    ]
    assert wrap("    x = 1") == ["    x = 1"]


def test_a_nested_item_without_a_php_interface_gets_a_protocol() -> None:
    """Protocols refer to Protocols: an item class the spec gives no interface gets one, named after it."""
    codegen = load_codegen()
    overlay = json.loads((ROOT / "spec" / "overlay.json").read_text())
    spec = json.loads((ROOT / "spec" / "php_api.json").read_text())
    (book,) = [e for e in spec["endpoints"] if e["endpoint_class"] == "OrderBook"]
    book["interfaces"] = [i for i in book["interfaces"] if i["class"] != "IOrderBookPriceResponse"]
    files = codegen.render(codegen.build_package(book, overlay, "php_api"))
    interfaces, response = (codegen.final_text(files[name]) for name in ("interfaces.py", "response.py"))
    assert "class IOrderBookPriceItemResponse(Protocol):" in interfaces
    assert "def get_bid(self) -> EntityCollection[IOrderBookPriceItemResponse]: ..." in interfaces
    assert "def get_price(self) -> Decimal | None: ..." in interfaces
    assert ".response import" not in interfaces
    bases = {
        node.name: [ast.unparse(base) for base in node.bases]
        for node in ast.parse(response).body
        if isinstance(node, ast.ClassDef)
    }
    assert bases["OrderBookPriceItemResponse"][-1] == "IOrderBookPriceItemResponse"  # conforms explicitly
    assert bases["OrderBookResponse"] == ["AbstractResponse", "IOrderBookResponse"]
