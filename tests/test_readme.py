"""The README's claims that can run, run: its two commands' parts and the sandbox example."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def runnable_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return re.findall(r"<!-- runnable:[^>]*-->\n```python\n(.*?)```", text, flags=re.S)


def test_the_sandbox_example_runs() -> None:
    (block,) = runnable_blocks()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, str(README), "exec"), {})
    assert out.getvalue() == "as expected: 503\n"


def test_the_first_two_lines_are_the_install_and_test_commands() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[3].startswith("pip install . && carpenstar-bybit demo")
    assert lines[4].startswith('pip install -e ".[test]" && ruff check . && mypy --strict carpenstar_bybit && pytest')
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "ruff check . && mypy --strict carpenstar_bybit && pytest" in ci
