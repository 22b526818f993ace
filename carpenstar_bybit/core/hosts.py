"""Base URLs of Bybit's REST API, and a test of whether a URL belongs to Bybit.

Every host here is one that Bybit's V5 documentation names as a REST base URL: the integration guide
(``docs/v5/guide.mdx``: mainnet, its alternate, testnet and the regional mainnet hosts), the demo
trading page (``docs/v5/demo.mdx``) and, for Hong Kong, the P2P integration guide. Bybit documents
a testnet twin only for the global site and for Japan, and demo trading only on the global site.

An API key belongs to one of these sites: a key made on ``www.bybit.nl`` works on ``Hosts.MAINNET_NL``,
a demo-trading key only on ``Hosts.DEMO``, a testnet key only on ``Hosts.TESTNET``.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

__all__ = ["BYBIT_DOMAINS", "Hosts", "is_bybit_host"]


class Hosts:
    """Known hosts. Any ``http(s)://host[:port]`` base URL is accepted too (e.g. a sandbox's ``url``)."""

    MAINNET: Final = "https://api.bybit.com"
    """Global mainnet: real money. The default site of ``www.bybit.com`` accounts."""

    MAINNET_ALT: Final = "https://api.bytick.com"
    """Bybit's alternate mainnet domain (the same exchange and accounts as ``MAINNET``)."""

    TESTNET: Final = "https://api-testnet.bybit.com"
    """Global testnet: test funds, keys made on ``testnet.bybit.com``."""

    DEMO: Final = "https://api-demo.bybit.com"
    """Demo trading of the global mainnet: a separate demo account with its own keys (made under "Demo
    Trading" of a ``www.bybit.com`` account), simulated funds, mainnet market data. Bybit serves only
    part of the V5 routes there; there is no testnet twin."""

    MAINNET_NL: Final = "https://api.bybit.nl"
    """Mainnet for accounts of the Netherlands site (``www.bybit.nl``)."""

    MAINNET_TR: Final = "https://api.bybit.tr"
    """Mainnet for accounts of the Turkey site (``www.bybit.tr``)."""

    MAINNET_KZ: Final = "https://api.bybit.kz"
    """Mainnet for accounts of the Kazakhstan site (``www.bybit.kz``)."""

    MAINNET_GE: Final = "https://api.bybitgeorgia.ge"
    """Mainnet for accounts of the Georgia site (``www.bybitgeorgia.ge``)."""

    MAINNET_AE: Final = "https://api.bybit.ae"
    """Mainnet for accounts of the United Arab Emirates site (``www.bybit.ae``)."""

    MAINNET_EU: Final = "https://api.bybit.eu"
    """Mainnet for accounts of the EEA site (``www.bybit.eu``). Bybit documents that its API there
    serves only the "Connect to Third-Party Applications" feature of API broker users."""

    MAINNET_ID: Final = "https://api.bybit.id"
    """Mainnet for accounts of the Indonesia site (``www.bybit.id``)."""

    MAINNET_JP: Final = "https://api.manepa.jp"
    """Mainnet for accounts of the Japan site (``www.manepa.jp``)."""

    TESTNET_JP: Final = "https://api-testnet.manepa.jp"
    """Testnet twin of ``MAINNET_JP``."""

    MAINNET_HK: Final = "https://api.byhkbit.com"
    """Mainnet for accounts of the Hong Kong site (named in Bybit's P2P integration guide)."""


BYBIT_DOMAINS: Final[frozenset[str]] = frozenset(
    {
        "bybit.com",
        "bytick.com",
        "bybits.org",
        "bybit.nl",
        "bybit.tr",
        "bybit.kz",
        "bybitgeorgia.ge",
        "bybit.ae",
        "bybit.eu",
        "bybit.id",
        "manepa.jp",
        "byhkbit.com",
    }
)
"""The domains of every ``Hosts`` value, plus ``bybits.org`` (Bybit's testnet SBE streams). A host equal
to one of them or under one (``stream.bybit.com``, ``api2.bybit.com``) is Bybit's."""


def is_bybit_host(url: str) -> bool:
    """Whether ``url`` may point at one of Bybit's own servers.

    True for every ``Hosts`` value and for any URL whose host is one of ``BYBIT_DOMAINS`` or under one
    of them, whatever the scheme, port, path or letter case (``https://API.Bybit.com:443/v5``,
    ``wss://stream.bybit.com``, and a bare ``api.bybit.com`` alike). The host is read both as the
    standard library reads a URL and as urllib3 (under requests) does, and either being Bybit's is
    enough: ``https://api.bybit.com\\@example.org`` or ``https://api%2ebybit%2ecom`` reach Bybit when
    sent, so they count. False for anything else: loopback, a sandbox's ``url``, a look-alike such as
    ``https://api.bybit.com.example.org`` or ``https://api.bybit.com@example.org`` (whose host is
    ``example.org``), and text that is not a URL.
    """
    if not isinstance(url, str):
        return False
    text = url.strip()
    text = text if "://" in text else "//" + text
    return any(_is_bybit_domain(host) for host in (_stdlib_host(text), _urllib3_host(text)))


def _stdlib_host(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:
        return None


def _urllib3_host(url: str) -> str | None:
    # How requests reads the URL it sends; imported here to keep urllib3 off ``import carpenstar_bybit``.
    from urllib3.exceptions import LocationParseError
    from urllib3.util import parse_url

    try:
        return parse_url(url).host
    except (LocationParseError, ValueError):
        return None


def _is_bybit_domain(host: str | None) -> bool:
    if not host:
        return False
    host = host.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in BYBIT_DOMAINS)
