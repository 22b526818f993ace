"""Request parameters (PHP ``Core\\Objects\\AbstractParameters``), declared instead of reflected.

A request class declares its fields as ``Param`` class attributes, in the order Bybit documents
them, plus ``_required`` and ``_one_of`` (wire names). Setters validate the value's type at once;
``validate()`` checks required fields and one-of groups; only fields that were set (or carry a PHP
default) are serialised, in declaration order, with the JSON types Bybit documents.

An empty string is no value: setting a field to ``""`` leaves it unset (its getter returns ``None``,
it is not sent, and it satisfies no required field). Bybit ignores an empty field, so counting it as
set would be a lie with consequences: an empty ``orderLinkId`` would make a place look safe to resend.
An empty list of items is no value either.

A field of kind ``Items`` holds a list of item requests (the ``request`` list of V5's batch routes):
each item is a request class of its own, validated with its own rules when the enclosing request is,
with the enclosing request's values of its ``_context`` fields (an item's rule may depend on the
batch's ``category``); ``_max_items_when`` bounds the number of items by the value of a field.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast
from urllib.parse import urlencode

from carpenstar_bybit.core.exceptions import SDKException
from carpenstar_bybit.core.kinds import Kind

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AbstractParameters", "Items", "Param"]

T = TypeVar("T")
P = TypeVar("P", bound="AbstractParameters")


#: ``json.dumps(..., separators=(",", ":"))`` builds this encoder on every call; it is stateless.
_JSON = json.JSONEncoder(separators=(",", ":"))


class Param(Generic[T]):
    """One request field: its wire name, its kind and, where the PHP code sets one, its default."""

    __slots__ = ("default", "kind", "wire")

    def __init__(self, wire: str, kind: Kind[T], default: T | None = None) -> None:
        self.wire = wire
        self.kind = kind
        self.default = default

    def __repr__(self) -> str:
        return f"Param({self.wire!r}, {self.kind.name})"


class AbstractParameters:
    """Base of every request DTO."""

    __slots__ = ("_values",)

    #: Every ``Param`` of the class, in declaration order (collected once, at class creation).
    _params: ClassVar[tuple[Param[Any], ...]] = ()
    #: Wire names that must be set.
    _required: ClassVar[tuple[str, ...]] = ()
    #: Groups of wire names of which at least one must be set.
    _one_of: ClassVar[tuple[tuple[str, ...], ...]] = ()
    #: Groups that apply only when a field has a given value: ``(field, value, group)``, e.g. V5's
    #: ``("category", "linear", ("symbol", "baseCoin", "settleCoin"))``.
    _one_of_when: ClassVar[tuple[tuple[str, str, tuple[str, ...]], ...]] = ()
    #: At most ``n`` items in an ``Items`` field when a field has a given value: ``(field, value,
    #: items field, n)``, e.g. V5's ``("category", "spot", "request", 10)``.
    _max_items_when: ClassVar[tuple[tuple[str, str, str, int], ...]] = ()
    #: Fields of the enclosing request that the rules of an item request read (``("category",)``).
    _context: ClassVar[tuple[str, ...]] = ()
    #: The fields whose values are item requests (batches), validated item by item.
    _item_fields: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        params: dict[str, Param[Any]] = {p.wire: p for p in cls._params}
        for value in vars(cls).values():
            if isinstance(value, Param):
                params[value.wire] = value
        cls._params = tuple(params.values())
        known = set(params) | set(cls._context)
        conditional = (n for field, _, group in cls._one_of_when for n in (field, *group))
        for name in (*cls._required, *(n for group in cls._one_of for n in group), *conditional):
            if name not in known:
                raise TypeError(f"{cls.__name__}: required field {name!r} is not a declared Param")
        cls._defaults = {p.wire: p.default for p in cls._params if p.default is not None}
        cls._item_fields = tuple(p.wire for p in cls._params if isinstance(p.kind, Items))

    def __init__(self) -> None:
        self._values: dict[str, Any] = dict(self._defaults)

    def _set(self, param: Param[Any], value: object) -> Self:
        """Validate ``value`` with the field's kind (``SDKException`` if wrong) and store it; an
        empty string (or an empty list of items) unsets the field."""
        accepted = param.kind.accept(param.wire, value)
        if accepted == "" or accepted == ():
            self._values.pop(param.wire, None)
        else:
            self._values[param.wire] = accepted
        return self

    def _get(self, param: Param[T]) -> T | None:
        return cast("T | None", self._values.get(param.wire))

    def copy(self) -> Self:
        """An independent copy with the same values."""
        clone = type(self)()
        clone._values = dict(self._values)
        return clone

    def has_field(self, wire_name: str) -> bool:
        """Whether this request declares a field of that Bybit name."""
        return any(p.wire == wire_name for p in self._params)

    def with_field(self, wire_name: str, value: object) -> Self:
        """A copy with one field (by its Bybit name) set and validated; the original is unchanged."""
        for param in self._params:
            if param.wire == wire_name:
                return self.copy()._set(param, value)
        raise SDKException(f"{type(self).__name__} has no field {wire_name!r}")

    @classmethod
    def wire_names(cls) -> tuple[str, ...]:
        """The Bybit names of every field this request declares, in declaration order."""
        return tuple(p.wire for p in cls._params)

    def field(self, wire_name: str) -> Any:
        """The value of a field by its Bybit name (``None`` if it is not set)."""
        return self._values.get(wire_name)

    def is_set(self, wire_name: str) -> bool:
        """Whether a field (by its Bybit name) has a value to send."""
        return wire_name in self._values

    def validate(self, context: Mapping[str, Any] | None = None) -> None:
        """Raise ``SDKException`` naming every missing required field and unmet one-of group (and,
        for an item request, ``context``: the values of the request that holds it)."""
        values = self._values
        if context is not None:
            values = {**{k: context[k] for k in self._context if k in context}, **values}
        problems = []
        missing = [name for name in self._required if name not in values]
        if missing:
            problems.append("missing required field(s): " + ", ".join(missing))
        for group in self._one_of:  # loops, not any(): this runs on every call
            for name in group:
                if name in values:
                    break
            else:
                problems.append("one of " + " / ".join(group) + " is required")
        for field, value, group in self._one_of_when:
            if values.get(field) == value and not any(name in values for name in group):
                problems.append(" / ".join(group) + f" is required when {field} is {value!r}")
        for field, value, name, most in self._max_items_when:
            count = len(values.get(name, ()))
            if values.get(field) == value and count > most:
                problems.append(f"{name} takes at most {most} items when {field} is {value!r}, got {count}")
        for wire in self._item_fields:
            for index, item in enumerate(values.get(wire, ())):
                try:
                    item.validate(values)
                except SDKException as exc:
                    problems.append(f"{wire}[{index}]: {exc}")
        if problems:
            raise SDKException(f"{type(self).__name__}: " + "; ".join(problems))

    def array(self) -> dict[str, Any]:
        """PHP ``array()``: the fields to send, validated, in declaration order, as JSON values."""
        self.validate()
        values = self._values
        return {p.wire: p.kind.to_json(values[p.wire]) for p in self._params if p.wire in values}

    def to_query_string(self) -> str:
        """The exact query string to send and sign (GET), without the leading ``?``."""
        self.validate()
        values = self._values
        return urlencode(
            [(p.wire, p.kind.to_query(values[p.wire])) for p in self._params if p.wire in values]
        )

    def to_json_body(self) -> bytes:
        """The exact JSON body bytes to send and sign (POST)."""
        return _JSON.encode(self.array()).encode()

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self._values.items())
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values == other._values

    __hash__ = None  # type: ignore[assignment]  # mutable builder: equality by value, not hashable


class Items(Kind[tuple[P, ...]]):
    """A JSON array of item requests of one class (the ``request`` list of V5's batch routes).

    The setter takes a list (or tuple) of instances of the item class, at most ``max_items`` of them,
    and keeps copies, so changing an item afterwards does not change the request. Each item is
    validated with its own rules when the enclosing request is (``AbstractParameters.validate``).
    """

    __slots__ = ("item", "max_items")

    def __init__(self, item: type[P], max_items: int | None = None) -> None:
        super().__init__(f"list of {item.__name__}")
        self.item = item
        self.max_items = max_items

    def accept(self, field: str, value: Any) -> tuple[P, ...]:
        if isinstance(value, (str, bytes)) or not isinstance(value, Sequence):
            raise SDKException(
                f"{field}: expected a list of {self.item.__name__}, got {type(value).__name__}"
            )
        for index, item in enumerate(value):
            if not isinstance(item, self.item):
                raise SDKException(
                    f"{field}[{index}]: expected a {self.item.__name__}, got {type(item).__name__}"
                )
        if self.max_items is not None and len(value) > self.max_items:
            raise SDKException(f"{field}: at most {self.max_items} items, got {len(value)}")
        return tuple(item.copy() for item in value)

    def to_json(self, value: tuple[P, ...]) -> list[dict[str, Any]]:
        return [item.array() for item in value]

    def to_query(self, value: tuple[P, ...]) -> str:
        raise SDKException(f"a {self.name} is sent in a JSON body, not in a query string")
