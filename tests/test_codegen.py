"""The committed endpoint packages are exactly what tools/codegen.py makes from spec/."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

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
