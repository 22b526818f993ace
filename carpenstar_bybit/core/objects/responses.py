"""Response DTOs (PHP ``Core\\Objects\\AbstractResponse``): immutable, built once from the payload.

A response class declares ``__slots__`` and ``_fields``: one ``ResponseField`` per value, naming the
payload key it reads (a string, or an index for array-shaped items such as klines and order-book
levels), the slot it fills, and how to read it (a ``Kind``, or ``Nested`` for items of another DTO).
Unknown payload keys are ignored; absent keys follow the rules of ``carpenstar_bybit.core.kinds``.

Two ways to read a payload, with one result:

* the generic loop here, ``AbstractResponse.__init__`` (and ``ArrayResponse._build_list`` for
  array-shaped items), calls each field's reader: it reads any class declared this way, such as a
  user's own (``docs/extending.md``);
* the SDK's generated classes carry their own ``__init__`` (array-shaped ones: ``_build_list``),
  written out by ``tools/codegen.py`` as ordinary source in their ``response.py``: straight-line
  code per field, the trivially valid common case inline (a ``str`` for a string, a plain decimal
  string for a decimal), everything else through the kind's own ``parse``.

``tests/core/test_generated_fast_paths.py`` checks that the inline cases agree with ``parse`` and
that the generic loop reads what the generated code reads. Lists of items are built by the item
class's ``_build_list``. What the generated code shares lives here: ``payload_values`` (all the
field values of a payload object in one call), each class's ``_slot_setters``, ``plain_decimal``,
``plain_decimal_rows`` (book levels a column at a time) and the errors ``not_an_object`` and
``not_an_array``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, InvalidOperation
from itertools import repeat
from operator import itemgetter
from types import MemberDescriptorType
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from carpenstar_bybit.core.exceptions import ResponseFormatException
from carpenstar_bybit.core.kinds import Kind
from carpenstar_bybit.core.objects.collections import EntityCollection

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AbstractResponse", "ArrayResponse", "Nested", "ResponseField"]

R = TypeVar("R", bound="AbstractResponse")
A = TypeVar("A", bound="ArrayResponse")

#: The characters of a plain decimal string (no exponent, sign, space or ``_``), and its longest
#: length: what the fast paths convert without asking ``DECIMAL.parse`` (bounded, so never huge).
PLAIN_DECIMAL_CHARS = "-.0123456789"
PLAIN_DECIMAL_MAX_LEN = 24

#: ``Decimal(text)`` of a plain decimal string, exactly (the precision covers every digit), and a
#: little faster than the ``Decimal`` constructor.
plain_decimal = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation]).create_decimal


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
            return EntityCollection(self.item._build_list(raw))
        raise ResponseFormatException(f"expected an object or a list for {self.item.__name__}, got {raw!r}")


class ResponseField(NamedTuple):
    """``key`` in the payload (str, or int for array-shaped items) -> ``slot`` on the DTO, via ``reader``."""

    key: str | int
    slot: str
    reader: Kind[Any] | Nested[Any]


_set = object.__setattr__
#: ``tuple.__new__``, typed loosely: ``ArrayResponse`` subclasses are tuples only in their concrete
#: classes.
new_tuple: Callable[..., Any] = tuple.__new__
Setter = Callable[[Any, Any], None]


def not_an_object(response: AbstractResponse, data: object) -> ResponseFormatException:
    """The error of a DTO given something other than a JSON object."""
    return ResponseFormatException(f"{type(response).__name__}: expected an object, got {data!r}")


def not_an_array(cls: type[AbstractResponse], data: object) -> ResponseFormatException:
    """The error of an array-shaped DTO given something other than a JSON array."""
    return ResponseFormatException(f"{cls.__name__}: expected an array item, got {data!r}")


def _slot_setter(cls: type, slot: str) -> Setter:
    """A function that sets ``slot`` on instances of ``cls``: the slot descriptor's own ``__set__``
    (faster than ``object.__setattr__``), or ``object.__setattr__`` for a slot declared otherwise."""
    for klass in cls.__mro__:
        descriptor = vars(klass).get(slot)
        if isinstance(descriptor, MemberDescriptorType):
            setter: Setter = descriptor.__set__
            return setter

    def set_attribute(obj: Any, value: Any) -> None:
        _set(obj, slot, value)

    return set_attribute


def _key_reader(keys: tuple[str | int, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """``lambda data: (data[k0], data[k1], ...)``, at C speed."""
    if len(keys) == 1:
        (key,) = keys
        return lambda data: (data[key],)
    if not keys:
        return lambda data: ()
    reader: Callable[[Any], tuple[Any, ...]] = itemgetter(*keys)
    return reader


def payload_values(response: AbstractResponse, data: object) -> tuple[Any, ...]:
    """The values of the payload object ``data`` under the keys of ``response``'s fields, in order,
    ``None`` for an absent key; ``ResponseFormatException`` if ``data`` is not an object."""
    if data.__class__ is dict:
        try:  # one C call when every key is there (the usual case)
            return response.__class__._read_payload(data)
        except KeyError:
            pass
    elif not isinstance(data, Mapping):
        raise not_an_object(response, data)
    return tuple(map(data.get, response._payload_keys))


def _check_inherited_code(cls: type[AbstractResponse], name: str, generic: type) -> None:
    """``TypeError`` if ``cls`` declares ``_fields`` of its own but inherits the method ``name`` from
    a class that wrote it for its own, other fields (generated code reads exactly those)."""
    if name in vars(cls) or "_fields" not in vars(cls):
        return
    owner: type[AbstractResponse] = next(klass for klass in cls.__mro__ if name in vars(klass))
    if owner is generic or "_fields" not in vars(owner) or owner._fields == cls._fields:
        return
    raise TypeError(
        f"{cls.__name__} declares its own _fields but inherits the {name} of {owner.__name__}, which "
        f"reads {owner.__name__}'s fields: define {name} = {generic.__name__}.{name} (the generic loop) "
        "or your own"
    )


class AbstractResponse:
    """Base of every response DTO: frozen, slotted, equal by value, with a readable ``repr``."""

    __slots__ = ()

    _fields: ClassVar[tuple[ResponseField, ...]] = ()
    #: Whether items are arrays read by index (klines, order-book levels) rather than objects.
    _by_index: ClassVar[bool] = False
    #: One setter per field of ``_fields``, in that order (what generated ``__init__``s use).
    _slot_setters: ClassVar[tuple[Setter, ...]] = ()
    #: The payload keys of ``_fields``, in order, and a function that reads all of them from a dict
    #: at once (``KeyError`` if one is absent): see ``payload_values``.
    _payload_keys: ClassVar[tuple[str | int, ...]] = ()
    _read_payload: ClassVar[Callable[[Any], tuple[Any, ...]]] = staticmethod(lambda data: ())

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._by_index = any(isinstance(f.key, int) for f in cls._fields)
        cls._slot_setters = tuple(_slot_setter(cls, f.slot) for f in cls._fields)
        cls._payload_keys = tuple(f.key for f in cls._fields)
        cls._read_payload = staticmethod(_key_reader(cls._payload_keys))
        _check_inherited_code(cls, "__init__", AbstractResponse)

    def __init__(self, data: Mapping[str, Any] | Sequence[Any]) -> None:
        """Read ``data`` (one payload object) field by field with each field's reader (the generic
        loop; the SDK's generated classes do the same in code of their own)."""
        if self._by_index:
            if not isinstance(data, (list, tuple)):
                raise not_an_array(type(self), data)
            size = len(data)
            for (key, _slot, reader), put in zip(self._fields, self._slot_setters, strict=True):
                assert isinstance(key, int)
                put(self, reader.parse(data[key] if key < size else None))
            return
        values = payload_values(self, data)
        for (_key, _slot, reader), put, raw in zip(self._fields, self._slot_setters, values, strict=True):
            put(self, reader.parse(raw))

    @classmethod
    def _build_list(cls, items: Iterable[Any]) -> list[Self]:
        """``[cls(item) for item in items]``: one DTO per item, in order."""
        if cls.__new__ is not object.__new__:
            return [cls(item) for item in items]
        new = object.__new__
        init = cls.__init__
        built = []
        for item in items:
            dto = new(cls)
            init(dto, item)
            built.append(dto)
        return built

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


def build_all(dto: type[R], items: Iterable[Any]) -> list[R]:
    """``[dto(item) for item in items]``, by the class's ``_build_list``."""
    return dto._build_list(items)


class ArrayResponse(AbstractResponse):
    """Base of the DTOs of array-shaped items (klines, order-book levels): an immutable, typed tuple.

    A concrete class derives from this and from ``tuple[...]`` of its field types, in that order, and
    its getters read ``self[i]``; it unpacks like the array Bybit sends (``price, qty = level``).
    Its ``_fields`` keys are the indexes read; a short array reads its missing elements as absent.
    """

    __slots__ = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not all(isinstance(f.key, int) and f.key >= 0 for f in cls._fields):
            raise TypeError(f"{cls.__name__}: an ArrayResponse reads array items by index")
        _check_inherited_code(cls, "_build_list", ArrayResponse)

    def __new__(cls, data: Sequence[Any]) -> Self:
        return cls._build_list((data,))[0]

    def __init__(self, data: Sequence[Any]) -> None:
        pass  # everything happens in __new__: a tuple is complete once made

    @classmethod
    def _build_list(cls, items: Iterable[Any]) -> list[Self]:
        """One tuple per array item, each element read by its field's reader (the generic loop)."""
        fields = [(key, reader) for key, _slot, reader in cls._fields if isinstance(key, int)]
        built = []
        for data in items:
            if not isinstance(data, (list, tuple)):
                raise not_an_array(cls, data)
            size = len(data)
            values = [reader.parse(data[key] if key < size else None) for key, reader in fields]
            built.append(new_tuple(cls, values))
        return built

    def _field_values(self) -> tuple[Any, ...]:
        values: Iterable[Any] = self  # type: ignore[assignment]  # the concrete class is a tuple
        return tuple(values)


#: ``bytes.translate`` table of the fast column check: a character of a plain decimal -> ``x``,
#: the separator ``,`` -> itself, anything else -> ``?``.
_PLAIN_TEXT = bytes(
    ord("x") if chr(i) in PLAIN_DECIMAL_CHARS else ord(",") if chr(i) == "," else ord("?") for i in range(256)
)
_TOO_LONG = b"x" * (PLAIN_DECIMAL_MAX_LEN + 1)


def plain_decimal_rows(cls: type[A], rows: list[Any], size: int) -> list[A] | None:
    """The instances of ``cls`` (all fields decimals, keys ``0..size-1``) for ``rows``, a column at a
    time, when every row is a list of ``size`` plain decimal strings (what Bybit sends for book
    levels); ``None`` otherwise, and the caller reads the rows one by one."""
    if not rows or set(map(type, rows)) != {list} or set(map(len, rows)) != {size}:
        return None
    # A column at a time, without a temporary object per row: allocating them would run the
    # garbage collector over the young rows of the payload several times per book.
    columns = []
    for index in range(size):
        column = list(map(itemgetter(index), rows))
        try:
            text = ",".join(column).encode("utf-8", "surrogatepass")
        except TypeError:  # an element that is not a string
            return None
        # Only plain decimal characters, at most PLAIN_DECIMAL_MAX_LEN of them between commas:
        mapped = text.translate(_PLAIN_TEXT)
        if b"?" in mapped or _TOO_LONG in mapped:
            return None
        try:
            columns.append(list(map(plain_decimal, column)))
        except InvalidOperation:  # "", "-", "1.2.3", or a "," inside an element
            return None
    return list(map(new_tuple, repeat(cls), zip(*columns, strict=True)))
