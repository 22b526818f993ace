"""The documentation is current and builds: the pages generated from the code match it, and MkDocs
builds the whole site in strict mode (every warning, broken link or missing anchor fails the build)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_reference", ROOT / "tools" / "gen_reference.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_reference"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_pages_are_current() -> None:
    stale = [str(path.relative_to(ROOT)) for path in load_generator().stale_pages()]
    assert stale == [], "run: python tools/gen_reference.py"


def test_check_mode_reports_success() -> None:
    assert load_generator().main(["--check"]) == 0


def test_reference_lists_every_endpoint_once() -> None:
    generator = load_generator()
    infos = generator.collect()
    routes = [(i.method, i.url) for i in infos]
    assert len(routes) == len(set(routes))
    assert sum(1 for i in infos if i.api == "V3") == 28
    index = (ROOT / "docs" / "reference" / "index.md").read_text()
    for info in infos:
        assert f"`{info.method} {info.url}`" in index


def test_every_reference_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in sorted((ROOT / "docs" / "reference").glob("*.md")):
        assert f"reference/{page.name}" in nav, f"{page.name} is not in mkdocs.yml nav"


def test_mkdocs_build_is_strict_and_clean(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    assert (tmp_path / "site" / "reference" / "index.html").exists()
    assert (tmp_path / "site" / "ru" / "migration" / "index.html").exists()
