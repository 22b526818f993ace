"""The shared harness of the derivatives tests: the spec as data, the captured payloads, one real call
over loopback, and the assertions every wire test makes.

Everything here is uniform across the 28 endpoints; the per-endpoint files under this package keep
their exact-value assertions explicit.
"""

from __future__ import annotations

import copy
import importlib
import json
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

from carpenstar_bybit import BybitAPI
from carpenstar_bybit.core import AbstractParameters, AbstractResponse, Endpoint, Param, RestResponse
from tests.conftest import API_KEY, SECRET
from tests.support.recording_server import Recorded, RecordingServer, Reply

__all__ = [
    "ENDPOINTS",
    "OVERLAY",
    "PAYLOADS",
    "ROOT",
    "SIGNED_HEADERS",
    "SPEC",
    "UTC",
    "SpecEndpoint",
    "SpecField",
    "assert_empty_result",
    "assert_get",
    "assert_post",
    "assert_signed",
    "assert_unsigned",
    "call",
    "decoded_query",
    "getter_name",
    "iter_response_fields",
    "one_of_groups",
    "param_of",
    "payload",
    "sample_value",
    "setter_name",
    "valid_request",
]

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[2]
SPEC: dict[str, Any] = json.loads((ROOT / "spec" / "php_api.json").read_text(encoding="utf-8"))
OVERLAY: dict[str, Any] = json.loads((ROOT / "spec" / "overlay.json").read_text(encoding="utf-8"))
PAYLOADS = Path(__file__).resolve().parent / "payloads"

#: The headers a signed call carries, exactly (names as the SDK sends them).
SIGNED_HEADERS = (
    "X-BAPI-API-KEY",
    "X-BAPI-TIMESTAMP",
    "X-BAPI-RECV-WINDOW",
    "X-BAPI-SIGN-TYPE",
    "X-BAPI-SIGN",
)


@dataclass(frozen=True)
class SpecField:
    """One request or response field of the spec."""

    wire: str
    php_type: str
    python_name: str
    default: str | None

    @classmethod
    def of(cls, raw: dict[str, Any]) -> SpecField:
        return cls(raw["name"], raw["type"], raw["python_name"], raw.get("default"))

    @property
    def is_bool(self) -> bool:
        return self.php_type.lstrip("?") == "bool"


@dataclass(frozen=True)
class SpecEndpoint:
    """One endpoint of ``spec/php_api.json``, with the Python objects it names."""

    raw: dict[str, Any]

    @property
    def name(self) -> str:
        return str(self.raw["endpoint_class"])

    @property
    def package(self) -> str:
        return str(self.raw["python_package"])

    @property
    def url(self) -> str:
        return str(self.raw["url"])

    @property
    def method(self) -> str:
        return str(self.raw["method"])

    @property
    def is_private(self) -> bool:
        return bool(self.raw["access"] == "private")

    @property
    def payload_name(self) -> str:
        """``Contract.Order.PlaceOrder``: the namespace below ``Derivatives\\``."""
        return str(self.raw["php_namespace"]).split("\\Derivatives\\", 1)[1].replace("\\", ".")

    @property
    def request_spec(self) -> dict[str, Any]:
        (request,) = self.raw["request"]
        return dict(request)

    @property
    def overlay(self) -> dict[str, Any]:
        """What spec/overlay.json adds for this endpoint."""
        return dict(OVERLAY["endpoints"].get(f"php_api:{self.name}", {}))

    def wire_name(self, php_name: str) -> str:
        """The key the exchange takes for a PHP field (the overlay renames a few, e.g. kline start/end)."""
        return str(self.overlay.get("wire_names", {}).get(php_name, php_name))

    @property
    def request_fields(self) -> list[SpecField]:
        defaults = self.overlay.get("defaults", {})
        return [
            SpecField(
                self.wire_name(f["name"]),
                f["type"],
                f["python_name"],
                defaults.get(f["name"], f.get("default")),
            )
            for f in self.request_spec["fields"]
        ]

    @property
    def required(self) -> list[str]:
        return [self.wire_name(n) for n in self.request_spec["required"]]

    @property
    def one_of(self) -> list[list[str]]:
        return [[self.wire_name(n) for n in group] for group in self.request_spec["required_one_of"]]

    @property
    def responses(self) -> list[dict[str, Any]]:
        return list(self.raw["response"])

    @property
    def interfaces(self) -> list[dict[str, Any]]:
        return list(self.raw["interfaces"])

    def module(self) -> ModuleType:
        return importlib.import_module(self.package)

    def endpoint(self) -> type[Endpoint[Any, Any]]:
        cls: type[Endpoint[Any, Any]] = getattr(self.module(), self.name)
        return cls

    def request_class(self) -> type[AbstractParameters]:
        cls: type[AbstractParameters] = getattr(self.module(), self.request_spec["class"])
        return cls

    def response_class(self, name: str) -> type[AbstractResponse]:
        cls: type[AbstractResponse] = getattr(self.module(), name)
        return cls

    def __str__(self) -> str:
        return self.name


ENDPOINTS: list[SpecEndpoint] = [SpecEndpoint(e) for e in SPEC["endpoints"]]


def setter_name(field: SpecField) -> str:
    return f"set_{field.python_name}"


def getter_name(owner: type, field: SpecField) -> str:
    """The getter of a field on ``owner``: ``get_x``, or ``is_x`` for booleans (PHP ``isReduceOnly``),
    or the name itself when the field is already named ``is_…`` (``isBlockTrade`` -> ``is_block_trade``)."""
    candidates = [f"get_{field.python_name}", f"is_{field.python_name}"]
    if field.python_name.startswith("is_"):
        candidates.append(field.python_name)
    for name in candidates:
        if callable(getattr(owner, name, None)):
            return name
    raise AssertionError(f"{owner.__name__} has no getter for {field.wire} (tried {candidates})")


@cache
def _payload_text(name: str) -> str:
    return (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of the captured envelope ``name`` (``Contract.Order.PlaceOrder``)."""
    data: dict[str, Any] = json.loads(_payload_text(name))
    return copy.deepcopy(data)


def call(
    server: RecordingServer,
    endpoint: type[Endpoint[Any, Any]],
    request: AbstractParameters | None,
    body: dict[str, Any] | bytes | str | None = None,
) -> tuple[RestResponse[Any], Recorded]:
    """One real call through ``BybitAPI.rest`` over loopback; ``body`` is what the server answers.

    Returns the response object and the one request the server recorded.
    """
    if body is not None:
        server.reply(Reply(body))
    with BybitAPI(server.url, API_KEY, SECRET) as api:
        response = api.rest(endpoint, request)
    (sent,) = server.requests
    return response, sent


def assert_empty_result(response: RestResponse[Any], time: datetime) -> None:
    """A write acknowledged with ``"result": {}``: success, an empty body, no result, the exchange's time."""
    assert response.get_return_code() == 0
    assert response.get_return_message() == "OK"
    assert response.get_extended_info() == {}
    assert response.get_time() == time
    assert len(response.get_body()) == 0
    assert response.get_body().all() == []
    assert response.get_result() is None
    assert response.get_next_page_cursor() is None


def assert_signed(sent: Recorded) -> None:
    """A private call: the five X-BAPI headers, a millisecond timestamp inside the exchange's window,
    and a signature the exchange recomputes from the exact bytes it received."""
    bapi = sorted(k for k in sent.headers if k.lower().startswith("x-bapi"))
    assert bapi == sorted(SIGNED_HEADERS)
    assert sent.headers["X-BAPI-API-KEY"] == API_KEY
    assert sent.headers["X-BAPI-RECV-WINDOW"] == "5000"
    assert sent.headers["X-BAPI-SIGN-TYPE"] == "2"
    timestamp = sent.headers["X-BAPI-TIMESTAMP"]
    assert timestamp.isdigit()
    assert sent.received_ms - 5000 <= int(timestamp) < sent.received_ms + 1000
    assert sent.headers["X-BAPI-SIGN"] == sent.expected_signature(SECRET)


def assert_unsigned(sent: Recorded) -> None:
    """A public call: no X-BAPI-* header at all (no key, no signature leaves the machine)."""
    assert [k for k in sent.headers if k.lower().startswith("x-bapi")] == []
    assert API_KEY not in sent.target


def assert_get(sent: Recorded, path: str, query: str) -> None:
    """A GET of exactly ``path?query`` (``query`` empty: no ``?`` at all), with no body."""
    assert sent.method == "GET"
    assert sent.target == (f"{path}?{query}" if query else path)
    assert sent.body == b""
    assert "Content-Type" not in sent.headers


def assert_post(sent: Recorded, path: str, body: bytes) -> None:
    """A POST to ``path`` (no query string) with exactly ``body`` as compact JSON."""
    assert sent.method == "POST"
    assert sent.target == path
    assert sent.body == body
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["Content-Length"] == str(len(body))
    # compact JSON: what was sent is exactly json.dumps(..., separators=(",", ":")) of itself
    assert json.dumps(json.loads(body), separators=(",", ":")).encode() == body


def decoded_query(sent: Recorded) -> list[tuple[str, str]]:
    """The query string as the exchange decodes it, pairs in order."""
    return parse_qsl(sent.query, keep_blank_values=True, strict_parsing=bool(sent.query))


#: A valid value per field kind, to fill a request generically.
_SAMPLES: dict[str, Any] = {
    "string": "BTCUSDT",
    "?string": "BTCUSDT",
    "decimal": Decimal("1.5"),
    "int": 1,
    "bool": True,
    "datetime": datetime(2023, 5, 1, tzinfo=UTC),
}


def param_of(request_class: type[AbstractParameters], wire: str) -> Param[Any]:
    """The declared ``Param`` (a public class attribute) of the request field ``wire``."""
    for klass in request_class.__mro__:
        for value in vars(klass).values():
            if isinstance(value, Param) and value.wire == wire:
                return value
    raise AssertionError(f"{request_class.__name__} declares no Param for {wire!r}")


def sample_value(request_class: type[AbstractParameters], field: SpecField) -> Any:
    """A valid value for the setter of ``field`` (by the kind the request declares for it)."""
    return _SAMPLES[param_of(request_class, field.wire).kind.name]


def one_of_groups(spec: SpecEndpoint) -> list[list[str]]:
    """The spec's one-of groups plus those the overlay adds (what the exchange requires and PHP missed)."""
    extra = OVERLAY["endpoints"].get(f"php_api:{spec.name}", {}).get("one_of", [])
    return [*spec.one_of, *(list(g) for g in extra)]


def valid_request(spec: SpecEndpoint, skip: AbstractSet[str] = frozenset()) -> AbstractParameters:
    """A request with every required field and the first member of every one-of group set
    (minus the wire names in ``skip``)."""
    cls = spec.request_class()
    request = cls()
    wanted = {*spec.required, *(group[0] for group in one_of_groups(spec))} - skip
    for field in spec.request_fields:
        if field.wire in wanted:
            getattr(request, setter_name(field))(sample_value(cls, field))
    return request


def iter_response_fields(response: dict[str, Any]) -> Iterator[SpecField]:
    for raw in response["fields"]:
        yield SpecField.of(raw)
