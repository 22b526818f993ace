"""V3 over V5: the V3 endpoints of ``carpenstar_bybit.derivatives`` sent over Bybit's V5 routes.

Bybit has switched its V3 contract routes off. A client that bridges (``BybitAPI(...,
v3_over_v5=True)``, and by default any client of one of Bybit's own hosts) keeps the V3 classes, DTOs,
getters and exceptions, and sends each V3 call over its V5 counterpart::

    V3 endpoint, validated V3 request
      -> translate()   the wire endpoint (V5 method, path and access; the V3 RESPONSE, LIST_RESULT
                       and retry safety), the V5 request, and the reshape of the V5 result
      -> the usual steps: signing, sending, retries, and the V5 code table for errors
      -> reshape()     the V5 result in the V3 shape, read by the V3 DTO's own generated code

The translation of each endpoint is data, ``spec/v3_over_v5.json`` (its comment says what each entry
holds); this module is the one engine that applies it, for every endpoint alike. It reads the data on
the first bridged call, and compiles an endpoint's ``Plan`` on that endpoint's first call: the V5
request class (the SDK's own, from ``carpenstar_bybit.v5``, so values go out typed as V5 documents
them and V5's rules are checked), the field by field mapping, the category rule and the reshape. What
V5 cannot do raises ``SDKException`` before anything is sent, naming the V5 alternative.

The V5 category is never asked of the exchange: it is the V3 request's own ``category`` where it has
one, else implied by the symbol (``BTCUSD``, ``BTCUSDH23``: inverse; anything else: linear) or by the
settle coin (USDT, USDC: linear; any other coin: inverse), else the entry's default.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, NoReturn

from carpenstar_bybit.core.endpoints import Endpoint
from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.objects.parameters import AbstractParameters, Param

__all__ = [
    "Bridged",
    "CategoryRule",
    "Plan",
    "Reshape",
    "category_of_settle_coin",
    "category_of_symbol",
    "plan_of",
    "spec",
    "translate",
]

#: Turns the ``result`` of a V5 answer into the ``result`` of the V3 answer of the same state.
Reshape = Callable[[dict[str, Any]], dict[str, Any]]

_V3_ROOT = "carpenstar_bybit.derivatives."
_V5_ROOT = "carpenstar_bybit.v5."


class Bridged(NamedTuple):
    """What a bridged call sends and how its answer is read (see ``translate``)."""

    endpoint: type[Endpoint[Any, Any]]
    parameters: AbstractParameters
    reshape: Reshape


_SPEC: dict[str, Any] | None = None


def spec() -> dict[str, Any]:
    """The translation data (``spec/v3_over_v5.json``, as ``core._bridge_spec`` carries it), loaded
    on first use."""
    global _SPEC
    if _SPEC is None:
        from carpenstar_bybit.core._bridge_spec import SPEC

        _SPEC = SPEC
    return _SPEC


def category_of_symbol(symbol: str) -> str:
    """The V5 category a contract symbol implies: ``inverse`` for coin-margined contracts (``BTCUSD``,
    ``BTCUSDH23``), else ``linear`` (``BTCUSDT``, ``BTCUSDT-21FEB25``, ``BTCPERP``, ``BTC-24MAR23``)."""
    rule = _rules()[0]
    return rule[1] if rule[0].fullmatch(symbol) else rule[2]


def category_of_settle_coin(coin: str) -> str:
    """The V5 category a settle coin implies: ``linear`` for USDT and USDC, else ``inverse``."""
    rule = _rules()[1]
    return "linear" if coin in rule[0] else rule[1]


_RULES: tuple[tuple[re.Pattern[str], str, str], tuple[frozenset[str], str]] | None = None


def _rules() -> tuple[tuple[re.Pattern[str], str, str], tuple[frozenset[str], str]]:
    global _RULES
    if _RULES is None:
        categories = spec()["categories"]
        symbol, settle = categories["symbol"], categories["settle_coin"]
        _RULES = (
            (re.compile(symbol["inverse"]), "inverse", symbol["default"]),
            (frozenset(settle["linear"]), settle["default"]),
        )
    return _RULES


class CategoryRule(NamedTuple):
    """Where a bridged request's V5 ``category`` comes from, in this order: the V3 request's own
    field ``request``, the category implied by the symbol in ``symbol`` or by the settle coin in
    ``settle_coin``, then ``default`` (``None``: the V3 request must give one of them)."""

    request: str | None
    symbol: str | None
    settle_coin: str | None
    default: str | None

    def category(self, values: Mapping[str, Any]) -> str | None:
        """The category for a V3 request's ``values`` (by wire name)."""
        if self.request is not None and self.request in values:
            return str(values[self.request])
        if self.symbol is not None and self.symbol in values:
            return category_of_symbol(values[self.symbol])
        if self.settle_coin is not None and self.settle_coin in values:
            return category_of_settle_coin(values[self.settle_coin])
        return self.default


class _Field(NamedTuple):
    """What becomes of one V3 request field: the V5 field it is sent as (``None``: not sent), the
    V3 -> V5 value map, and the refusals (of the field, or of some of its values). ``direct``: the
    V5 field is of the same kind, so the V3 value (already accepted) is taken as it is."""

    target: Param[Any] | None
    values: Mapping[str, Any] | None = None
    refused: str | None = None
    refused_values: Mapping[str, str] | None = None
    direct: bool = False


class _Answer:
    """The reshape of one endpoint's V5 result (a ``Reshape``)."""

    __slots__ = ("_lost", "_path", "_renames", "_values", "_wrap")

    def __init__(self, response: Mapping[str, Any], list_result: bool) -> None:
        self._path = _parse_path(response.get("items", "result"))
        self._renames = tuple(response.get("rename", {}).items())
        self._values = tuple((key, dict(mapping)) for key, mapping in response.get("values", {}).items())
        self._lost = tuple(response.get("lost", {}))
        #: The items are the V3 result's list (True) or the V3 result itself (False).
        self._wrap = list_result
        if list_result == (self._path == ()):
            shape = "a list" if list_result else "an object"
            raise TypeError(f"the V3 result is {shape}, but the V5 items are at {response.get('items')!r}")

    def __call__(self, result: dict[str, Any]) -> dict[str, Any]:
        path = self._path
        if not self._wrap:
            reshaped: dict[str, Any] = self._item(result)
            return reshaped
        node: Any = result
        for step in path:
            if isinstance(step, int):
                node = node[step] if isinstance(node, list) and len(node) > step else None
            else:
                node = node.get(step) if isinstance(node, dict) else None
            if node is None:
                break
        items = [self._item(item) for item in node] if isinstance(node, list) else node
        if path == ("list",):
            out = dict(result)  # the cursor and the category stay beside the list
            out["list"] = items
            return out
        return {"list": [] if items is None else items}

    def _item(self, item: Any) -> Any:
        if not isinstance(item, dict) or not (self._renames or self._values or self._lost):
            return item
        out = dict(item)
        for v3_key, v5_key in self._renames:
            if v5_key in item:
                out[v3_key] = item[v5_key]
        for key in self._lost:
            out.pop(key, None)
        for key, mapping in self._values:
            if key in out:
                value = out[key]
                text = value if isinstance(value, str) else _bool_text(value)
                if text is not None and text in mapping:
                    out[key] = mapping[text]
        return out


def _bool_text(value: Any) -> str | None:
    return "true" if value is True else "false" if value is False else None


def _parse_path(text: str) -> tuple[str | int, ...]:
    """``"list[0].coin"`` -> ``("list", 0, "coin")``; ``"result"`` -> ``()``."""
    if text == "result":
        return ()
    steps: list[str | int] = []
    for part in text.split("."):
        name, _, index = part.partition("[")
        steps.append(name)
        if index:
            steps.append(int(index.rstrip("]")))
    return tuple(steps)


class Plan:
    """The compiled translation of one V3 endpoint class (see ``plan_of``)."""

    __slots__ = (
        "_categories",
        "_category",
        "_category_param",
        "_defaults",
        "_fields",
        "_fixed",
        "_name",
        "endpoint",
        "reshape",
        "route",
        "v5_endpoint",
    )

    def __init__(self, v3: type[Endpoint[Any, Any]], entry: Mapping[str, Any]) -> None:
        self._name = v3.__name__
        self.route: str = entry["route"]
        method, _, url = self.route.partition(" ")
        module = importlib.import_module(_V5_ROOT + entry["v5"])
        found = [
            obj
            for obj in vars(module).values()
            if isinstance(obj, type)
            and issubclass(obj, Endpoint)
            and getattr(obj, "URL", None) == url
            and obj.METHOD.value == method
        ]
        if len(found) != 1:
            raise TypeError(f"{_V5_ROOT}{entry['v5']} has no endpoint of {self.route}")
        #: The V5 endpoint of the SDK that serves the route (its request class is the one sent).
        self.v5_endpoint: type[Endpoint[Any, Any]] = found[0]
        #: What goes on the wire: V5 method, path and request; the V3 endpoint's answer and retry safety.
        self.endpoint = _wire_endpoint(v3, self.v5_endpoint)
        request: Mapping[str, Any] = entry.get("request", {})
        v5_params = {p.wire: p for p in self.v5_endpoint.REQUEST._params}
        rule = entry.get("category")
        self._category: CategoryRule | None = None
        self._category_param: Param[Any] | None = None
        #: Each category value as V5's field accepted it (the same on every call).
        self._categories: dict[str, Any] = {}
        if rule is not None:
            self._category = CategoryRule(
                rule.get("request"), rule.get("symbol"), rule.get("settle_coin"), rule.get("default")
            )
            self._category_param = v5_params["category"]
        v3_params: tuple[Param[Any], ...] = v3.REQUEST._params
        self._fields = {p.wire: self._field(p, request, v5_params) for p in v3_params}
        self._fixed = tuple((v5_params[k], v) for k, v in request.get("fixed", {}).items())
        self._defaults = tuple((v5_params[k], v) for k, v in request.get("defaults", {}).items())
        response: Mapping[str, Any] = entry.get("response", {})
        if "like" in response:  # the same answer mapping as another endpoint's
            response = spec()["endpoints"][response["like"]]["response"]
        #: Reshapes the V5 result into the V3 result.
        self.reshape: Reshape = _Answer(response, bool(v3.LIST_RESULT))

    def _field(
        self, param: Param[Any], request: Mapping[str, Any], v5_params: Mapping[str, Param[Any]]
    ) -> _Field:
        wire = param.wire
        unsupported = request.get("unsupported", {})
        if wire in unsupported:
            return _Field(None, refused=_en(unsupported[wire]))
        if wire in request.get("drop", {}) or (self._category and wire == self._category.request):
            return _Field(None)  # not sent (a V3 category becomes the V5 one: see CategoryRule)
        target = request.get("rename", {}).get(wire, wire)
        if target not in v5_params:
            raise TypeError(f"{self._name}: V3 field {wire!r} maps to {target!r}, which V5 does not take")
        refused = request.get("unsupported_values", {}).get(wire)
        mapping = request.get("values", {}).get(wire)
        return _Field(
            v5_params[target],
            mapping,
            refused_values={value: _en(text) for value, text in refused.items()} if refused else None,
            direct=v5_params[target].kind is param.kind and not mapping and not refused,
        )

    def request(self, parameters: AbstractParameters) -> AbstractParameters:
        """The V5 request of a V3 request, validated: ``SDKException`` (nothing sent) for what the
        V3 rules refuse, what V5 cannot do, and what V5's rules refuse."""
        parameters.validate()
        values: dict[str, Any] = parameters._values
        fields = self._fields
        for wire, value in values.items():
            field = fields.get(wire)
            if field is None:
                self._refuse(f"field {wire!r} of {type(parameters).__name__} has no V5 counterpart")
            elif field.refused is not None:
                self._refuse(field.refused)
            elif field.refused_values is not None and value in field.refused_values:
                self._refuse(field.refused_values[value])
        out: AbstractParameters = self.v5_endpoint.REQUEST()
        sent: dict[str, Any] = out._values
        try:
            for wire, value in values.items():
                field = fields[wire]
                target = field.target
                if target is None:
                    continue
                if field.direct:
                    sent[target.wire] = value
                    continue
                mapping = field.values
                if mapping is not None and isinstance(value, str):
                    value = mapping.get(value, value)
                out._set(target, value)
            if self._category is not None and self._category_param is not None:
                category = self._category.category(values)
                if category is None:
                    missing = " or ".join(
                        n for n in (self._category.symbol, self._category.settle_coin) if n is not None
                    )
                    raise SDKException(f"set {missing}: V5 needs the category it implies")
                accepted = self._categories.get(category)
                if accepted is None:
                    out._set(self._category_param, category)
                    self._categories[category] = sent[self._category_param.wire]
                else:
                    sent[self._category_param.wire] = accepted
            for param, value in self._fixed:
                out._set(param, value)
            for param, value in self._defaults:
                if not out.is_set(param.wire):
                    out._set(param, value)
            out.validate()
        except SDKException as exc:
            self._refuse(str(exc))
        return out

    def _refuse(self, message: str) -> NoReturn:
        raise SDKException(f"{self._name} over V5 ({self.route}): {message}")

    def __repr__(self) -> str:
        return f"Plan({self._name} -> {self.route})"


def _en(text: Any) -> str:
    """The English text of a spec text (a string, or ``{"en": ..., "ru": ...}``)."""
    return str(text["en"]) if isinstance(text, Mapping) else str(text)


def _wire_endpoint(v3: type[Endpoint[Any, Any]], v5: type[Endpoint[Any, Any]]) -> type[Endpoint[Any, Any]]:
    """An endpoint class of V5's route, access and request class, with the V3 endpoint's response
    DTO, result shape and retry safety (and V5's read-back routes); named as the V3 class, so
    messages speak of what was called."""

    class Wire(Endpoint[Any, Any]):
        __slots__ = ()
        URL = v5.URL
        METHOD = v5.METHOD
        IS_PRIVATE = v3.IS_PRIVATE
        IDEMPOTENT = v3.IDEMPOTENT
        IDEMPOTENCY_KEY = v3.IDEMPOTENCY_KEY
        LIST_RESULT = v3.LIST_RESULT
        REQUEST = v5.REQUEST
        RESPONSE = v3.RESPONSE
        # Where the core reads back what a resend refused as a duplicate had made (V5's routes: V5
        # items carry the keys the V3 response reads).
        READ_BACK = v5.READ_BACK

    Wire.__name__ = Wire.__qualname__ = v3.__name__
    Wire.__doc__ = f"{v3.__name__} over V5: ``{v5.METHOD.value} {v5.URL}``."
    return Wire


class _Unsupported(NamedTuple):
    """A V3 endpoint without a V5 counterpart: its message names the V5 alternative."""

    message: str


#: Compiled plans by V3 endpoint class (``None``: not a bridged endpoint).
_PLANS: dict[type[Endpoint[Any, Any]], Plan | _Unsupported | None] = {}


def _entry_of(endpoint: type[Endpoint[Any, Any]]) -> Mapping[str, Any] | None:
    """The spec entry of a V3 endpoint class (or of the V3 class it derives from)."""
    entries: Mapping[str, Any] = spec()["endpoints"]
    for cls in endpoint.__mro__:
        module = cls.__module__
        if module.startswith(_V3_ROOT):
            entry: Mapping[str, Any] | None = entries.get(
                module.removeprefix(_V3_ROOT).removesuffix(".endpoint")
            )
            if entry is not None and entry["v3"] == cls.__name__:
                return entry
    return None


def plan_of(endpoint: type[Endpoint[Any, Any]]) -> Plan | None:
    """The compiled plan of a V3 endpoint class; ``None`` for a class the bridge does not translate
    (V5 endpoints, endpoints of your own); ``SDKException`` for one without a V5 counterpart."""
    try:
        plan = _PLANS[endpoint]
    except KeyError:
        entry = _entry_of(endpoint)
        if entry is None:
            plan = None
        elif entry["route"] is None:
            plan = _Unsupported(_en(entry["unsupported"]))
        else:
            plan = Plan(endpoint, entry)
        _PLANS[endpoint] = plan
    if isinstance(plan, _Unsupported):
        raise SDKException(plan.message)
    return plan


def translate(endpoint: type[Endpoint[Any, Any]], parameters: AbstractParameters) -> Bridged | None:
    """How to send a checked V3 call over V5: the wire endpoint, the V5 request and the reshape of
    the answer; ``None`` when ``endpoint`` is not one the bridge translates. Raises ``SDKException``
    (nothing sent) for an endpoint, field or value without a V5 counterpart, and for a request that
    the V3 rules or V5's refuse."""
    plan = plan_of(endpoint)
    if plan is None:
        return None
    return Bridged(plan.endpoint, plan.request(parameters), plan.reshape)
