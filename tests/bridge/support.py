"""The bridge's spec as data for the tests: the V3 endpoints of ``spec/php_api.json``, their entries of
``spec/v3_over_v5.json`` and the V5 routes of ``spec/v5_api.json``."""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carpenstar_bybit.core import Endpoint

ROOT = Path(__file__).resolve().parents[2]
BRIDGE: dict[str, Any] = json.loads((ROOT / "spec" / "v3_over_v5.json").read_text(encoding="utf-8"))
PHP: dict[str, Any] = json.loads((ROOT / "spec" / "php_api.json").read_text(encoding="utf-8"))
V5: dict[str, Any] = json.loads((ROOT / "spec" / "v5_api.json").read_text(encoding="utf-8"))
V5_BY_ROUTE: dict[str, dict[str, Any]] = {f"{e['method']} {e['url']}": e for e in V5["endpoints"]}


def response_of(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry's answer mapping (``like``: that of the entry it names)."""
    response: dict[str, Any] = entry["response"]
    if "like" in response:
        response = BRIDGE["endpoints"][response["like"]]["response"]
    return response


@dataclass(frozen=True)
class V3Endpoint:
    """One V3 endpoint of the PHP spec and its bridge entry."""

    php: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.php["endpoint_class"])

    @property
    def key(self) -> str:
        return str(self.php["python_package"]).removeprefix("carpenstar_bybit.derivatives.")

    @property
    def entry(self) -> dict[str, Any]:
        entry: dict[str, Any] = BRIDGE["endpoints"][self.key]
        return entry

    @property
    def response(self) -> dict[str, Any]:
        return response_of(self.entry)

    @property
    def supported(self) -> bool:
        return self.entry["route"] is not None

    def endpoint(self) -> type[Endpoint[Any, Any]]:
        cls: type[Endpoint[Any, Any]] = getattr(
            importlib.import_module(self.php["python_package"]), self.name
        )
        return cls

    def v5(self) -> dict[str, Any]:
        return V5_BY_ROUTE[self.entry["route"]]

    def __str__(self) -> str:
        return self.name


V3_ENDPOINTS = [V3Endpoint(e) for e in PHP["endpoints"]]
SUPPORTED = [e for e in V3_ENDPOINTS if e.supported]
UNSUPPORTED = [e for e in V3_ENDPOINTS if not e.supported]
