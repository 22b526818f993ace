"""``mypy --strict carpenstar_bybit`` passes against both typings of ``requests``: the ``types-requests``
stubs (a test dependency, so installed here) and the type hints ``requests`` 2.34+ ships itself
(``py.typed``), which mypy reads once the stubs are absent. The two differ (e.g.
``PreparedRequest.headers`` is ``CaseInsensitiveDict[str]`` in the stubs and
``CaseInsensitiveDict[str | bytes]`` in requests), so code can be clean against one and not the other.

Both runs happen in this one environment. For the run without stubs, mypy is pointed
(``--python-executable``) at a throw-away virtual environment whose site-packages holds a symlink to
every entry of ours except the files of the ``types-requests`` distribution. A probe file in each run
reveals which typing mypy actually used, so neither run can pass by checking the wrong thing. The
environment and mypy's caches live in pytest's cache directory, so repeated runs are incremental.
"""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
import venv
from pathlib import Path

import pytest
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parent.parent
STUBS = "types-requests"

PROBE = "import requests\n\nreveal_type(requests.PreparedRequest().headers)\n"
REVEALED_WITH_STUBS = "requests.structures.CaseInsensitiveDict[str]"
REVEALED_WITHOUT_STUBS = "requests.structures.CaseInsensitiveDict[str | bytes]"


def work_dir(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> Path:
    """A directory that survives between runs (pytest's cache) when the cache plugin is on."""
    cache = getattr(request.config, "cache", None)
    if cache is not None:
        return Path(cache.mkdir(name))
    (tmp_path / name).mkdir()
    return tmp_path / name


def stubs_distribution() -> importlib.metadata.Distribution:
    try:
        return importlib.metadata.distribution(STUBS)
    except importlib.metadata.PackageNotFoundError:
        pytest.fail(f"{STUBS} is a test dependency: pip install -e '.[test]'")


def environment_without_stubs(where: Path) -> Path:
    """A virtual environment that sees every installed distribution but ``types-requests``; its python."""
    stubs = stubs_distribution()
    site_packages = Path(str(stubs.locate_file("")))
    hidden = {Path(str(f)).parts[0] for f in stubs.files or ()}
    assert "requests-stubs" in hidden, hidden
    shutil.rmtree(where, ignore_errors=True)
    venv.EnvBuilder(with_pip=False, symlinks=True).create(where)
    python = where / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    target = next(where.glob("lib*/python*/site-packages"), None) or where / "Lib" / "site-packages"
    for entry in site_packages.iterdir():
        if entry.name not in hidden and entry.name != "__pycache__":
            (target / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return python


def run_mypy(python: Path, cache_dir: Path, probe: Path) -> tuple[list[str], str]:
    """``mypy --strict carpenstar_bybit`` plus the probe, as the gate runs it; lines and full output."""
    stdout, stderr, _ = mypy_api.run(
        [
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--strict",
            "--python-executable",
            str(python),
            "--cache-dir",
            str(cache_dir),
            str(ROOT / "carpenstar_bybit"),
            str(probe),
        ]
    )
    # mypy names files relative to the working directory when it can: keep the file name only.
    lines = [
        f"{Path(path).name}:{rest}" for path, _, rest in (line.partition(":") for line in stdout.splitlines())
    ]
    return lines, stdout + stderr


def probe_file(where: Path) -> Path:
    """The probe, at a path that stays the same between runs (mypy's cache records it)."""
    probe = where / "probe_requests_typing.py"
    probe.write_text(PROBE)
    return probe


def test_strict_clean_with_the_types_requests_stubs(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    stubs_distribution()
    base = work_dir(request, tmp_path, "mypy-with-requests-stubs")
    probe = probe_file(base)
    lines, output = run_mypy(Path(sys.executable), base / "mypy-cache", probe)
    assert lines[:-1] == [f'{probe.name}:3: note: Revealed type is "{REVEALED_WITH_STUBS}"'], output
    assert lines[-1].startswith("Success: no issues found"), output


def test_strict_clean_with_the_hints_requests_ships(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    base = work_dir(request, tmp_path, "mypy-without-requests-stubs")
    python = environment_without_stubs(base / "venv")
    probe = probe_file(base)
    lines, output = run_mypy(python, base / "mypy-cache", probe)
    assert lines[:-1] == [f'{probe.name}:3: note: Revealed type is "{REVEALED_WITHOUT_STUBS}"'], output
    assert lines[-1].startswith("Success: no issues found"), output
