"""``Hosts``: every REST base URL Bybit's V5 docs name, each documented; ``is_bybit_host``: which URLs
are Bybit's own servers (used to pick defaults and to keep the CLI off real hosts)."""

from __future__ import annotations

import ast
import inspect

import pytest

from carpenstar_bybit import Hosts as ExportedHosts
from carpenstar_bybit.core.hosts import BYBIT_DOMAINS, Hosts, is_bybit_host

#: The base URLs as Bybit's docs write them (docs/v5/guide.mdx, docs/v5/demo.mdx, docs/p2p/guide.mdx).
DOCUMENTED = {
    "MAINNET": "https://api.bybit.com",
    "MAINNET_ALT": "https://api.bytick.com",
    "TESTNET": "https://api-testnet.bybit.com",
    "DEMO": "https://api-demo.bybit.com",
    "MAINNET_NL": "https://api.bybit.nl",
    "MAINNET_TR": "https://api.bybit.tr",
    "MAINNET_KZ": "https://api.bybit.kz",
    "MAINNET_GE": "https://api.bybitgeorgia.ge",
    "MAINNET_AE": "https://api.bybit.ae",
    "MAINNET_EU": "https://api.bybit.eu",
    "MAINNET_ID": "https://api.bybit.id",
    "MAINNET_JP": "https://api.manepa.jp",
    "TESTNET_JP": "https://api-testnet.manepa.jp",
    "MAINNET_HK": "https://api.byhkbit.com",
}


def host_constants() -> dict[str, str]:
    return {name: value for name, value in vars(Hosts).items() if name.isupper()}


def test_hosts_are_exactly_the_documented_base_urls() -> None:
    assert host_constants() == DOCUMENTED
    assert ExportedHosts is Hosts


def test_every_host_has_a_docstring_saying_who_it_is_for() -> None:
    """Attribute docstrings (a string right after the assignment) are what the API reference renders."""
    tree = ast.parse(inspect.getsource(Hosts))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    documented: dict[str, str] = {}
    for statement, following in zip(body.body, body.body[1:], strict=False):
        if (
            isinstance(statement, ast.AnnAssign)
            and isinstance(statement.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            documented[statement.target.id] = following.value.value
    assert set(documented) == set(DOCUMENTED)
    for name, doc in documented.items():
        assert len(doc.split()) >= 4, f"{name}: {doc!r}"


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_every_host_is_a_bybit_host(name: str) -> None:
    url = DOCUMENTED[name]
    assert is_bybit_host(url)
    assert is_bybit_host(url + "/v5/order/create")
    assert is_bybit_host(url.upper())
    assert is_bybit_host(url.removeprefix("https://"))


@pytest.mark.parametrize(
    "url",
    [
        "https://api2.bybit.com/oauth/v1/public/access_token",
        "wss://stream.bybit.com/v5/public/linear",
        "wss://stream-testnet.bybits.org/v5/private-sbe",
        "wss://stream.bybitgeorgia.ge",
        "https://api.bybit.com:443",
        "https://api.bybit.com.",
        "  https://api.bybit.com  ",
        "https://someone@api.bybit.com",
        "http://bybit.com",
        "api.manepa.jp",
        "api.bybit.com:443",
        # requests (urllib3) sends these to api.bybit.com, whatever urllib.parse makes of them:
        "https://api.bybit.com\\@example.org",
        "https://api%2ebybit%2ecom",
        "https://api.bybit.com#@example.org",
        "https://api.bybit.com?@example.org",
    ],
)
def test_hosts_under_a_bybit_domain_are_bybit_hosts(url: str) -> None:
    assert is_bybit_host(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://localhost:9000",
        "http://[::1]:8080",
        "https://api.bybit.com.example.org",
        "https://api.bybit.com@example.org",
        "https://example.org/api.bybit.com",
        "https://example.org/?host=api.bybit.com",
        "https://notbybit.com",
        "https://bybit.co",
        "https://api-bybit.com",
        "https://bybit.com-example.org",
        "https://api.bybit.com%2eexample.org",
        "http://[::1",
        "",
        "   ",
        "https://",
    ],
)
def test_other_urls_are_not_bybit_hosts(url: str) -> None:
    assert not is_bybit_host(url)


def test_a_non_string_is_not_a_bybit_host() -> None:
    assert not is_bybit_host(None)  # type: ignore[arg-type]
    assert not is_bybit_host(b"https://api.bybit.com")  # type: ignore[arg-type]


def test_every_domain_is_the_domain_of_a_host_but_the_stream_one() -> None:
    """No stray domain: each is the domain of a ``Hosts`` value, except Bybit's testnet SBE stream domain."""
    used = {
        domain for domain in BYBIT_DOMAINS if any(url.endswith("." + domain) for url in DOCUMENTED.values())
    }
    assert BYBIT_DOMAINS - used == {"bybits.org"}
