"""The documentation is current and builds: the tables generated from the code match it, the API
reference covers every public module and endpoint package by itself, and MkDocs builds the whole site
in strict mode (every warning, broken link, unresolved cross-reference or missing anchor fails it)
without touching the network."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# -- the generated tables -----------------------------------------------------------------------


def test_generated_tables_are_current() -> None:
    stale = [str(path.relative_to(ROOT)) for path in load_tool("gen_reference").stale_pages()]
    assert stale == [], "run: python tools/gen_reference.py"


def test_check_mode_reports_success() -> None:
    assert load_tool("gen_reference").main(["--check"]) == 0


def test_check_mode_reports_a_stale_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generator = load_tool("gen_reference")
    page = tmp_path / "routes.md"
    page.write_text("# hand-edited\n")
    monkeypatch.setattr(generator, "PAGES", {page: generator.routes_page})
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.stale_pages() == [page]
    assert generator.main(["--check"]) == 1
    assert generator.main([]) == 0
    assert page.read_text() == generator.routes_page()


def test_routes_page_lists_every_endpoint_once() -> None:
    generator = load_tool("gen_reference")
    endpoints = generator.endpoints()
    routes = [(e.METHOD.value, e.URL) for e in endpoints]
    assert len(routes) == len(set(routes))
    assert sum(1 for e in endpoints if generator.api_of(e) == "V3") == 28
    text = (ROOT / "docs" / "routes.md").read_text()
    every = text.split("## Every endpoint", 1)[1]
    for endpoint in endpoints:
        assert every.count(f"`{endpoint.METHOD.value} {endpoint.URL}`") == 1, endpoint


def test_every_v3_endpoint_has_a_v5_successor_or_a_reason() -> None:
    generator = load_tool("gen_reference")
    v3 = {
        generator.package_of(e).removeprefix("carpenstar_bybit.derivatives.")
        for e in generator.endpoints()
        if generator.api_of(e) == "V3"
    }
    assert set(generator.V3_TO_V5) | set(generator.V3_WITHOUT_V5) == v3
    assert not set(generator.V3_TO_V5) & set(generator.V3_WITHOUT_V5)
    # A V5 package the table names either exists or is shown as planned, never as a broken link.
    text = (ROOT / "docs" / "routes.md").read_text()
    v5 = {generator.package_of(e) for e in generator.endpoints() if generator.api_of(e) == "V5"}
    for v3_package, v5_package in generator.V3_TO_V5.items():
        path = f"carpenstar_bybit.v5.{v5_package}"
        shipped = path in v5
        assert (f"][{path}." in text) is shipped, v3_package
        assert (f"planned: `{path}`" in text) is not shipped, v3_package


def test_error_table_is_read_from_the_code() -> None:
    from carpenstar_bybit.core import exceptions

    generator = load_tool("gen_reference")
    block = generator.error_codes_block()
    tables = generator.code_tables()
    assert tables
    for codes in tables.values():
        for code, cls in codes.items():
            row = f"| `{code}` | [`{cls.__name__}`][carpenstar_bybit.core.exceptions.{cls.__name__}] |"
            assert row in block
    assert exceptions.OrderNotFoundException.__name__ in block


# -- the API reference pages --------------------------------------------------------------------


def api_pages() -> dict[str, str]:
    pytest.importorskip("griffe", reason="the docs extra is not installed: pip install -e '.[docs]'")
    pages: dict[str, str] = load_tool("gen_api_pages").pages()
    return pages


def endpoint_packages() -> Iterator[str]:
    for endpoint in load_tool("gen_reference").endpoints():
        yield endpoint.__module__.rsplit(".", 1)[0]


def test_every_endpoint_package_is_rendered_on_its_group_page() -> None:
    pages = api_pages()
    for package in endpoint_packages():
        group = "/".join(package.split(".")[:-1])
        page = pages.get(f"{group}.md") or pages[f"{group}/index.md"]
        assert f"::: {package}\n" in page, package
        endpoint = importlib.import_module(package)
        for name in endpoint.__all__:
            assert f"        - {name}\n" in page.split(f"::: {package}\n", 1)[1], (package, name)


def test_every_page_is_in_the_reference_nav() -> None:
    pages = api_pages()
    nav = pages["SUMMARY.md"]
    linked = set(re.findall(r"\]\(([^)]+)\)", nav))
    assert linked == {*pages} - {"SUMMARY.md"} | {"index.md"}
    assert (ROOT / "docs" / "reference" / "index.md").exists()


def test_every_public_name_is_documented_once() -> None:
    """Each public module's page renders what it defines; re-exports link to that page instead."""
    pages = api_pages()
    core = pages["carpenstar_bybit/core/index.md"]
    assert "members: []" in core
    assert "[`Endpoint`][carpenstar_bybit.core.endpoints.Endpoint]" in core
    hosts = pages["carpenstar_bybit/core/hosts.md"]
    assert hosts.startswith("::: carpenstar_bybit.core.hosts\n")
    for name in ("Hosts", "BYBIT_DOMAINS", "is_bybit_host"):
        assert f"        - {name}\n" in hosts
    sandbox = pages["carpenstar_bybit/sandbox.md"]  # defined in private modules: rendered here
    assert "        - SandboxExchange\n" in sandbox
    assert not [
        path
        for path in pages
        if "/_" in path or path.startswith(("carpenstar_bybit/cli", "carpenstar_bybit/__"))
    ]


def test_a_new_module_or_endpoint_package_needs_no_edit(tmp_path: Path) -> None:
    """The rules on a package of its own: a group of endpoint packages becomes one page, a module one
    page, a private module none, and the nav follows."""
    tree = {
        "shop/__init__.py": '"""Shop."""\nfrom shop.api import Client\n\n__all__ = ["Client"]\n',
        "shop/api.py": '"""The client."""\n\n__all__ = ["Client"]\n\n\nclass Client:\n    """C."""\n',
        "shop/_private.py": '"""Hidden."""\n\n\nclass Secret:\n    """S."""\n',
        "shop/cli.py": '"""Command line."""\n\n\ndef main() -> None:\n    """M."""\n',
        "shop/orders/__init__.py": '"""Orders."""\n',
    }
    for name in ("place", "cancel"):
        cls = name.title()
        tree[f"shop/orders/{name}/__init__.py"] = (
            f'"""{cls}."""\nfrom shop.orders.{name}.endpoint import {cls}\n'
            f"from shop.orders.{name}.request import {cls}Request\n\n"
            f'__all__ = ["{cls}", "{cls}Request"]\n'
        )
        tree[f"shop/orders/{name}/endpoint.py"] = textwrap.dedent(f'''\
            """E."""


            class {cls}:
                """{cls}."""

                URL = "/v5/order/{name}"
                METHOD = EnumHttpMethods.POST
            ''')
        tree[f"shop/orders/{name}/request.py"] = f'"""R."""\n\n\nclass {cls}Request:\n    """R."""\n'
    for path, text in tree.items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(text)
    pytest.importorskip("griffe")
    pages = load_tool("gen_api_pages").pages("shop", tmp_path)
    assert sorted(pages) == ["SUMMARY.md", "shop/api.md", "shop/index.md", "shop/orders.md"]
    assert pages["SUMMARY.md"] == (
        "* [Overview](index.md)\n* [shop](shop/index.md)\n* [api](shop/api.md)\n* [orders](shop/orders.md)\n"
    )
    orders = pages["shop/orders.md"]
    assert orders.index("::: shop.orders.cancel\n") < orders.index("::: shop.orders.place\n")
    assert 'heading: "Place · POST /v5/order/place"' in orders
    assert "        - Place\n        - PlaceRequest\n" in orders
    assert "[`Client`][shop.api.Client]" in pages["shop/index.md"]


# -- the site -----------------------------------------------------------------------------------

#: Runs ``mkdocs build`` in a process where only loopback can be reached: a fetch of anything (fonts,
#: a CDN, an object inventory) fails the build instead of passing on a machine that happens to be online.
OFFLINE_BUILD = """
import socket, sys

def loopback_only(address):
    host = address[0] if isinstance(address, tuple) else address
    if host not in ("127.0.0.1", "::1", "localhost"):
        raise OSError(f"network access during the docs build: {address!r}")

real_connect = socket.socket.connect
def connect(self, address):
    loopback_only(address)
    return real_connect(self, address)
socket.socket.connect = connect

real_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    loopback_only((host,))
    return real_getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo

from mkdocs.__main__ import cli
sys.exit(cli(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mkdocs", reason="the docs extra is not installed: pip install -e '.[docs]'")
    out = tmp_path_factory.mktemp("site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}  # Material's banner about MkDocs 2 (not a build warning)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            OFFLINE_BUILD,
            "build",
            "--strict",
            "-f",
            str(ROOT / "mkdocs.yml"),
            "-d",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out


def test_site_builds_strict_and_offline(site: Path) -> None:
    assert (site / "index.html").exists()
    assert (site / "routes" / "index.html").exists()
    assert (site / "ru" / "migration" / "index.html").exists()
    for page in site.rglob("*.html"):
        text = page.read_text()
        assert "fonts.googleapis.com" not in text, page
        assert "fonts.gstatic.com" not in text, page


def test_api_pages_are_rendered_from_the_code(site: Path) -> None:
    """Each endpoint class, request and response has its anchor, carrying its docstring's text."""
    from carpenstar_bybit.v5.trade.cancel_order import CancelOrderRequest

    for package in endpoint_packages():
        group = package.rsplit(".", 1)[0]
        html = (site / "reference" / Path(*group.split(".")) / "index.html").read_text()
        for name in importlib.import_module(package).__all__:
            assert f'id="{package}.{name}"' in html, (package, name)
    trade = (site / "reference" / "carpenstar_bybit" / "v5" / "trade" / "index.html").read_text()
    summary = " ".join((CancelOrderRequest.__doc__ or "").split()[:3])  # "Parameters of ``POST"
    assert summary.replace("``", "<code>", 1) in trade
    # Built by __new__ (tools/griffe_constructors.py): the signature and its documented parameters.
    retry = (site / "reference" / "carpenstar_bybit" / "core" / "retry" / "index.html").read_text()
    signature = re.sub(r"<[^>]+>", "", retry.split('id="carpenstar_bybit.core.retry.RetryPolicy"', 1)[1])
    assert "RetryPolicy(\n    max_attempts: int = 3," in signature
    hosts = (site / "reference" / "carpenstar_bybit" / "core" / "hosts" / "index.html").read_text()
    assert 'id="carpenstar_bybit.core.hosts.Hosts.DEMO"' in hosts
    assert "https://api-demo.bybit.com" in hosts


def test_generated_tables_link_to_the_api_pages(site: Path) -> None:
    errors = (site / "errors" / "index.html").read_text()
    assert (
        'href="../reference/carpenstar_bybit/core/exceptions/'
        '#carpenstar_bybit.core.exceptions.OrderNotFoundException"' in errors
    )
    routes = (site / "routes" / "index.html").read_text()
    assert (
        'href="../reference/carpenstar_bybit/v5/trade/#carpenstar_bybit.v5.trade.place_order.PlaceOrder"'
        in routes
    )
