"""The V5 routes as data for the table-driven tests: the spec entries, the endpoint classes, the docs'
example payloads, and an independent reader of expected values.

``expected(spec_type, raw)`` turns a raw JSON value into what the SDK must return for a field of that
spec type. It is written from the rules of the spec's notes, not from the SDK's kinds, so a test
comparing the two checks the kinds against the documented rules.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from carpenstar_bybit.core import AbstractParameters, AbstractResponse, Endpoint, EntityCollection

ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = json.loads((ROOT / "spec" / "v5_api.json").read_text(encoding="utf-8"))
OVERLAY: dict[str, Any] = json.loads((ROOT / "spec" / "overlay.json").read_text(encoding="utf-8"))
DOCS_PAYLOADS = Path(__file__).resolve().parent / "payloads" / "docs"
UTC = timezone.utc


@dataclass(frozen=True)
class Route:
    """One V5 route of the spec."""

    entry: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.entry["endpoint_class"])

    @property
    def package(self) -> str:
        return str(self.entry["python_package"])

    @property
    def method(self) -> str:
        return str(self.entry["method"])

    @property
    def url(self) -> str:
        return str(self.entry["url"])

    @property
    def private(self) -> bool:
        return bool(self.entry["access"] == "private")

    def module(self) -> Any:
        return importlib.import_module(self.package)

    def endpoint(self) -> type[Endpoint[Any, Any]]:
        endpoint: type[Endpoint[Any, Any]] = getattr(self.module(), self.name)
        return endpoint

    def request(self) -> type[AbstractParameters]:
        return self.endpoint().REQUEST

    def classes(self) -> dict[str, dict[str, Any]]:
        """The response classes of the entry by name (with those of ``items_like`` routes)."""
        found = {c["class"]: c for c in self.entry["response"]}
        like = self.overlay().get("items_like")
        if like:
            found = {**ROUTES[like].classes(), **found}
        return found

    def overlay(self) -> dict[str, Any]:
        endpoint: dict[str, Any] = OVERLAY["endpoints"].get(f"v5_api:{self.name}", {})
        return endpoint

    def docs_payloads(self) -> list[Path]:
        """The docs' example answers of this route (``<package>.json`` or ``<package>_<variant>.json``)."""
        base = self.package.rsplit(".", 1)[1]
        return sorted(
            p for p in DOCS_PAYLOADS.glob("*.json") if p.stem == base or p.stem.startswith(base + "_")
        )

    def __str__(self) -> str:
        return self.name


ROUTES: dict[str, Route] = {e["endpoint_class"]: Route(e) for e in SPEC["endpoints"]}


def nested_of(route: Route, cls: str, name: str) -> str | None:
    """The item class a response field is read into, if it is nested."""
    nested: dict[str, str] = route.overlay().get("nested", {})
    target = nested.get(f"{cls}.{name}", nested.get(name))
    if target is None and route.overlay().get("items_like"):
        return nested_of(ROUTES[route.overlay()["items_like"]], cls, name)
    return target.rpartition(":")[2] if target else None


def expected(spec_type: str, raw: Any) -> Any:
    """What a field of ``spec_type`` must read as, from the documented rules."""
    if spec_type == "string":
        return "" if raw is None else str(raw)
    if spec_type == "secret":
        return "" if raw is None else raw
    if spec_type == "string[]":
        return tuple(raw or ())
    if spec_type == "map<float>":
        return {k: Decimal(v) for k, v in (raw or {}).items() if v not in ("", None)}
    if spec_type == "map<string[]>":
        return {k: tuple(v) for k, v in (raw or {}).items()}
    if raw is None or raw == "":
        return None
    if spec_type == "float":
        return Decimal(str(raw))
    if spec_type == "int":
        return int(raw)
    if spec_type == "bool":
        return raw in (True, 1, "1", "true")
    if spec_type == "DateTime":
        ms = int(raw)
        return (
            None if ms == 0 else datetime.fromtimestamp(ms // 1000, UTC).replace(microsecond=ms % 1000 * 1000)
        )
    if spec_type == "IsoDateTime":
        value = datetime.strptime(raw, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return None if value.timestamp() == 0 else value
    raise AssertionError(f"no rule for {spec_type}")


def getter_of(dto: AbstractResponse, python_name: str) -> Any:
    for name in (f"get_{python_name}", f"is_{python_name.removeprefix('is_')}", python_name):
        method = getattr(dto, name, None)
        if callable(method):
            return method()
    raise AssertionError(f"{type(dto).__name__} has no getter for {python_name}")


def check_item(route: Route, cls: str, dto: AbstractResponse, raw: Any) -> int:
    """Assert that every field of ``dto`` equals what the spec's rules make of ``raw``; return how
    many values were compared."""
    spec_class = route.classes()[cls]
    assert type(dto).__name__ == cls
    compared = 0
    reads = {r["setter"]: r["key"] for r in spec_class.get("reads", [])}
    for field in spec_class["fields"]:
        name = field["name"]
        key = reads.get("set" + name[0].upper() + name[1:], name)
        value = raw[key] if isinstance(key, int) else raw.get(key)
        got = getter_of(dto, field["python_name"])
        item_cls = nested_of(route, cls, name)
        if item_cls is not None:
            assert isinstance(got, EntityCollection)
            children = [] if value in (None, "") else value if isinstance(value, list) else [value]
            assert len(got) == len(children), (cls, name)
            for child_dto, child in zip(got, children, strict=True):
                compared += check_item(route, item_cls, child_dto, child)
            continue
        want = expected(field["type"], value)
        assert got == want, (cls, name, got, want)
        if isinstance(want, dict):
            assert isinstance(got, Mapping), (cls, name)
        else:  # exactly the type: a Decimal, not a float; an int, not a bool; a str (or a masked str)
            assert type(got) is type(want) or (isinstance(got, str) and isinstance(want, str)), (cls, name)
        compared += 1
    return compared


@cache
def docs_payload(path: Path) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return payload
