"""Response DTOs (PHP ``Core\\Objects\\AbstractResponse``): immutable, built once from the payload.

A response class declares ``__slots__`` and ``_fields``: one ``ResponseField`` per value, naming the
payload key it reads (a string, or an index for array-shaped items such as klines and order-book
levels), the slot it fills, and how to read it (a ``Kind``, or ``Nested`` for items of another DTO).
Unknown payload keys are ignored; absent keys follow the rules of ``carpenstar_bybit.core.kinds``.

Each class gets an ``__init__`` compiled from its ``_fields`` (as ``dataclasses`` does), once, when
its first instance is made (so importing endpoint packages stays cheap): straight-line code per
field, with the common case of each kind inline (a value of the type the kind would return
unchanged; a decimal string) and everything else through the kind's own ``parse``, plus a loop
that builds the items of a list without a call per item. It does exactly what the generic
``AbstractResponse.__init__`` loop does, which stays the reference and the fallback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from types import MemberDescriptorType
from typing import Any, ClassVar, Generic, NamedTuple, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException
from carpenstar_bybit.core.kinds import DECIMAL, MAX_DIGITS, MAX_EXPONENT, Kind
from carpenstar_bybit.core.objects.collections import EntityCollection

__all__ = ["AbstractResponse", "ArrayResponse", "Nested", "ResponseField"]

R = TypeVar("R", bound="AbstractResponse")


class Nested(Generic[R]):
    """Reads an object or a list of objects into an ``EntityCollection`` of another response DTO."""

    __slots__ = ("item",)

    def __init__(self, item: type[R]) -> None:
        self.item = item

    def parse(self, raw: Any) -> EntityCollection[R]:
        """An ``EntityCollection`` of the item DTO: empty for absent/``null``/``""``, one item for
        an object, one per element for a list; anything else raises ``ResponseFormatException``."""
        if raw is None or raw == "":
            return EntityCollection()
        if isinstance(raw, Mapping):
            return EntityCollection((self.item(raw),))
        if isinstance(raw, list):
            return EntityCollection(build_all(self.item, raw))
        raise ResponseFormatException(f"expected an object or a list for {self.item.__name__}, got {raw!r}")


class ResponseField(NamedTuple):
    """``key`` in the payload (str, or int for array-shaped items) -> ``slot`` on the DTO, via ``reader``."""

    key: str | int
    slot: str
    reader: Kind[Any] | Nested[Any]


_set = object.__setattr__


class AbstractResponse:
    """Base of every response DTO: frozen, slotted, equal by value, with a readable ``repr``."""

    __slots__ = ()

    _fields: ClassVar[tuple[ResponseField, ...]] = ()
    #: Whether items are arrays read by index (klines, order-book levels) rather than objects.
    _by_index: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_index = any(isinstance(f.key, int) for f in cls._fields)
        inherited = cls.__init__
        if "__init__" not in cls.__dict__ and (
            inherited is AbstractResponse.__init__
            or hasattr(inherited, "__compile_for__")
            or hasattr(inherited, "__compiled_from__")
        ):
            # Compiled on the first instance, not here: importing endpoint packages stays cheap.
            cls.__init__ = _compile_on_first_use(cls)  # type: ignore[assignment,method-assign]

    def __init__(self, data: Mapping[str, Any] | Sequence[Any]) -> None:
        if self._by_index:
            if not isinstance(data, (list, tuple)):
                raise ResponseFormatException(f"{type(self).__name__}: expected an array item, got {data!r}")
            size = len(data)
            for key, slot, reader in self._fields:
                assert isinstance(key, int)
                _set(self, slot, reader.parse(data[key] if key < size else None))
            return
        if not isinstance(data, Mapping):
            raise ResponseFormatException(f"{type(self).__name__}: expected an object, got {data!r}")
        get = data.get
        for key, slot, reader in self._fields:
            _set(self, slot, reader.parse(get(key)))  # type: ignore[arg-type]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _field_values(self) -> tuple[Any, ...]:
        """The parsed values, in ``_fields`` order."""
        return tuple(getattr(self, f.slot) for f in self._fields)

    def to_dict(self) -> dict[str, Any]:
        """The parsed values by their Python names (nested collections as lists of dicts)."""
        out: dict[str, Any] = {}
        for field, value in zip(self._fields, self._field_values(), strict=True):
            if isinstance(value, EntityCollection):
                value = [item.to_dict() for item in value]
            out[field.slot.lstrip("_")] = value
        return out

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, AbstractResponse)
        return self._field_values() == other._field_values()

    def __hash__(self) -> int:
        return hash(self._field_values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())
        return f"{type(self).__name__}({inner})"


def _expected(response: AbstractResponse, what: str, data: object) -> ResponseFormatException:
    return ResponseFormatException(f"{type(response).__name__}: expected {what}, got {data!r}")


def _passthrough(reader: Kind[Any] | Nested[Any]) -> type | None:
    """``reader.passthrough``, if the class that defines its ``parse`` declares it."""
    for klass in type(reader).__mro__:
        if "parse" in vars(klass):
            found = vars(klass).get("passthrough")
            return found if isinstance(found, type) else None
    return None


def _slot_setter(cls: type, slot: str) -> Callable[[Any, Any], None] | None:
    """The ``__set__`` of the slot descriptor ``slot`` of ``cls`` (faster than ``object.__setattr__``)."""
    for klass in cls.__mro__:
        if slot in vars(klass):
            descriptor = vars(klass)[slot]
            return descriptor.__set__ if isinstance(descriptor, MemberDescriptorType) else None
    return None


def _read_lines(
    i: int,
    key: str | int,
    reader: Kind[Any] | Nested[Any],
    by_index: bool,
    target: str,
    scope: dict[str, Any],
) -> list[str]:
    """Source lines that read field ``i`` of ``data`` into the local ``target``: the common case of
    each kind inline (a value of the type the kind returns unchanged; a decimal string), anything
    else through the kind's own ``parse``."""
    parse = f"parse{i}"
    scope[parse] = reader.parse
    lines = [f"    raw = data[{key!r}]" if by_index else f"    raw = get({key!r})"]
    passthrough = _passthrough(reader)
    if reader is DECIMAL:  # Bybit sends decimals as strings: read them inline
        lines += [
            f"    if raw.__class__ is str and 0 < len(raw) <= {MAX_DIGITS}:",
            "        try:",
            f"            {target} = _Decimal(raw)",
            "        except _InvalidOperation:",
            f"            {target} = {parse}(raw)",
            f"        if not ({target}.is_finite()"
            f" and {-MAX_EXPONENT} <= {target}.adjusted() <= {MAX_EXPONENT}):",
            f"            {target} = {parse}(raw)",
            "    else:",
            f"        {target} = {parse}(raw)",
        ]
    elif passthrough is not None:  # a value the kind returns unchanged needs no call
        scope[f"type{i}"] = passthrough
        lines.append(f"    {target} = raw if raw.__class__ is type{i} else {parse}(raw)")
    else:
        lines.append(f"    {target} = {parse}(raw)")
    return lines


def _compile_init(cls: type[AbstractResponse]) -> Callable[[AbstractResponse, Any], None] | None:
    """An ``__init__`` for ``cls._fields`` with no per-field loop (``None``: use the generic one)."""
    fields = cls._fields
    by_index = cls._by_index
    if by_index and not all(isinstance(f.key, int) and f.key >= 0 for f in fields):
        return None  # mixed or negative keys: the generic loop's behaviour applies
    scope: dict[str, Any] = {
        "Mapping": Mapping,
        "_expected": _expected,
        "_set": _set,
        "_Decimal": Decimal,
        "_InvalidOperation": InvalidOperation,
    }
    if by_index:
        size = max((int(f.key) for f in fields), default=-1) + 1
        lines = [
            "    if data.__class__ is not list and not isinstance(data, (list, tuple)):",
            '        raise _expected(self, "an array item", data)',
            f"    if len(data) < {size}:",
            f"        data = [*data, *([None] * ({size} - len(data)))]",
        ]
    else:
        lines = [
            "    if data.__class__ is not dict and not isinstance(data, Mapping):",
            '        raise _expected(self, "an object", data)',
            "    get = data.get",
        ]
    for i, (key, slot, reader) in enumerate(fields):
        setter = f"set{i}"
        slot_set = _slot_setter(cls, slot)
        if slot_set is not None:
            scope[setter] = slot_set
            assign = f"{setter}(self, value)"
        else:
            assign = f"_set(self, {slot!r}, value)"
        lines += _read_lines(i, key, reader, by_index, "value", scope)
        lines.append(f"    {assign}")
    body = "\n".join(lines)
    # The same body twice: as __init__, and in a loop that builds the items of a list without a call
    # per item (what Nested and the handler use for lists).
    many = "\n".join("    " + line for line in lines)
    source = (
        f"def __init__(self, data):\n{body}\n\n"
        "def many(items):\n    built = []\n    append = built.append\n    for data in items:\n"
        f"        self = _new(cls)\n{many}\n        append(self)\n    return built\n"
    )
    scope["_new"] = object.__new__
    scope["cls"] = cls
    exec(compile(source, f"<compiled __init__ of {cls.__qualname__}>", "exec"), scope)
    init: Callable[[AbstractResponse, Any], None] = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = AbstractResponse.__init__.__doc__
    init.__compiled_from__ = source  # type: ignore[attr-defined]
    if cls.__new__ is object.__new__:  # the loop makes instances with object.__new__
        init.__many__ = scope["many"]  # type: ignore[attr-defined]
    return init


def _compile_on_first_use(cls: type[AbstractResponse]) -> Callable[[AbstractResponse, Any], None]:
    """A stand-in ``__init__`` of ``cls`` that puts the compiled one in its place on first use."""

    def __init__(self: AbstractResponse, data: Any) -> None:
        _compiled(cls)(self, data)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    __init__.__compile_for__ = cls  # type: ignore[attr-defined]
    return __init__


def _compiled(cls: type[AbstractResponse]) -> Callable[..., None]:
    """The ``__init__`` of ``cls``, compiled now if its stand-in is still in place."""
    init: Callable[..., None] = vars(cls)["__init__"]
    if getattr(init, "__compile_for__", None) is cls:
        init = _compile_init(cls) or AbstractResponse.__init__
        cls.__init__ = init
    return init


def build_all(dto: type[R], items: Iterable[Any]) -> list[R]:
    """``[dto(item) for item in items]``, through the class's compiled loop when it has one."""
    if issubclass(dto, ArrayResponse):
        return dto._build_many()(items)
    init = dto.__init__
    owner = getattr(init, "__compile_for__", None)
    if owner is not None:
        init = _compiled(owner)
    many: Callable[[Iterable[Any]], list[R]] | None = getattr(init, "__many__", None)
    return many(items) if many is not None else [dto(item) for item in items]


class ArrayResponse(AbstractResponse):
    """Base of the DTOs of array-shaped items (klines, order-book levels): an immutable, typed tuple.

    A concrete class derives from this and from ``tuple[...]`` of its field types, in that order, and
    its getters read ``self[i]``; it unpacks like the array Bybit sends (``price, qty = level``).
    Its ``_fields`` keys are the indexes read; a short array reads its missing elements as absent.
    """

    __slots__ = ()

    _many: ClassVar[Callable[[Iterable[Any]], list[Any]] | None] = None

    def __new__(cls, data: Sequence[Any]) -> Any:
        return cls._build_many()((data,))[0]

    def __init__(self, data: Sequence[Any]) -> None:
        pass  # everything happens in __new__: a tuple is complete once made

    def _field_values(self) -> tuple[Any, ...]:
        values: Iterable[Any] = self  # type: ignore[assignment]  # the concrete class is a tuple
        return tuple(values)

    @classmethod
    def _build_many(cls) -> Callable[[Iterable[Any]], list[Any]]:
        """The compiled loop that builds instances from array items (compiled on first use)."""
        many = cls.__dict__.get("_many")
        if many is None:
            many = _compile_array_many(cls)
            cls._many = many
        return many


def _compile_array_many(cls: type[ArrayResponse]) -> Callable[[Iterable[Any]], list[Any]]:
    """Straight-line code that reads each item's fields into one tuple per item."""
    fields = cls._fields
    if not all(isinstance(f.key, int) and f.key >= 0 for f in fields):
        raise TypeError(f"{cls.__name__}: an ArrayResponse reads array items by index")
    size = max((int(f.key) for f in fields), default=-1) + 1
    scope: dict[str, Any] = {
        "_expected_item": _expected_item,
        "_Decimal": Decimal,
        "_InvalidOperation": InvalidOperation,
        "_new": tuple.__new__,
        "cls": cls,
    }
    lines = [
        "    if data.__class__ is not list and not isinstance(data, (list, tuple)):",
        "        raise _expected_item(cls, data)",
        f"    if len(data) < {size}:",
        f"        data = [*data, *([None] * ({size} - len(data)))]",
    ]
    for i, (key, _slot, reader) in enumerate(fields):
        lines += _read_lines(i, key, reader, True, f"v{i}", scope)
    values = "".join(f"v{i}, " for i in range(len(fields)))
    lines.append(f"    append(_new(cls, ({values})))")
    if [f.key for f in fields] == list(range(size)) and all(f.reader is DECIMAL for f in fields):
        # All decimals in order (order-book levels): one unpacking and one try per item when the
        # item is what Bybit sends (strings of finite numbers); anything else takes the general
        # path below, which reports what is wrong.
        raws = "".join(f"r{i}, " for i in range(size))
        strings = " and ".join(f"r{i}.__class__ is str and len(r{i}) <= {MAX_DIGITS}" for i in range(size))
        decimals = "; ".join(f"v{i} = _Decimal(r{i})" for i in range(size))
        finite = " and ".join(
            f"_finite(v{i}) and {-MAX_EXPONENT} <= v{i}.adjusted() <= {MAX_EXPONENT}" for i in range(size)
        )
        fast = [
            f"    if data.__class__ is list and len(data) == {size}:",
            f"        {raws}= data",
            f"        if {strings}:",
            "            try:",
            f"                {decimals}",
            "            except _InvalidOperation:",
            "                pass",
            "            else:",
            f"                if {finite}:",
            f"                    append(_new(cls, ({values})))",
            "                    continue",
        ]
        scope["_finite"] = Decimal.is_finite
        lines = fast + lines
    body = "\n".join("    " + line for line in lines)
    head = "def many(items):\n    built = []\n    append = built.append\n    for data in items:\n"
    source = f"{head}{body}\n    return built\n"
    exec(compile(source, f"<compiled constructor of {cls.__qualname__}>", "exec"), scope)
    many: Callable[[Iterable[Any]], list[Any]] = scope["many"]
    return many


def _expected_item(cls: type, data: object) -> ResponseFormatException:
    return ResponseFormatException(f"{cls.__name__}: expected an array item, got {data!r}")
