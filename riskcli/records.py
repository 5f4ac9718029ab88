"""riskcli's records: ``@frozen`` and ``@mutable``, the dataclasses riskcli's values and results are.

A record is a dataclass to everything riskcli and the standard library use of one: its fields are
``dataclasses.fields(cls)``; ``dataclasses.replace``, ``asdict``, ``astuple``, ``is_dataclass``,
pickle and copy work on it; its ``__init__`` (signature, annotations, defaults and factories),
``__eq__``, ``__hash__``, ``__repr__``, ``__doc__``, ``__match_args__`` and ``__slots__`` are those of
the same class under ``@dataclass(frozen=True)`` (``slots=True``, ``kw_only=True`` alike) or
``@dataclass``; and type checkers treat it as one (``typing.dataclass_transform``).
``tests/test_records.py`` holds the two side by side. What differs is the cost of making the class:
``@dataclass`` reads every annotation against the ``typing`` module, writes the source of six
methods and compiles them, and with ``slots=True`` makes the class twice — about a fifth of a
millisecond a class even when the compiled code comes from a cache, which for the hundred classes a
command imports was a tenth of riskcli's start-up. A record writes and compiles one method,
``__init__`` (the only one whose speed matters per object; its code comes from the cache of
``perf.compiled_code`` when there is one), and shares the others among every record.

What riskcli does not use is refused when a class asks for it: ``InitVar``, ``KW_ONLY``,
``field(init=...)``, ``field(hash=...)``, a field named ``self`` or ``_rec_*``, a base class that is
a dataclass but not a record, a frozen record extending a mutable one or the other way round. Not
provided: ``__dataclass_params__`` (so ``@dataclass`` cannot extend a record) and the options
``order``, ``unsafe_hash``, ``eq=False`` and ``weakref_slot``. Two records are compared as tuples of
their fields, as ``@dataclass`` compares them before Python 3.13 (which compares field by field: a
NaN held in both is equal as a tuple element, unequal field by field).
"""

from __future__ import annotations

import abc
import dataclasses
import operator
import reprlib
import sys
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform, overload

from riskcli import perf

__all__ = ["frozen", "mutable"]

T = TypeVar("T")

_FIELD: Any = getattr(dataclasses, "_FIELD")  # noqa: B009 - what marks a Field as a field in fields()
_MISSING: Any = dataclasses.MISSING
_FIELDS = "__dataclass_fields__"


@overload
def frozen(cls: type[T], /) -> type[T]: ...
@overload
def frozen(*, slots: bool = False, kw_only: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen(
    cls: type[T] | None = None, /, *, slots: bool = False, kw_only: bool = False
) -> type[T] | Callable[[type[T]], type[T]]:
    """``@frozen`` is ``@dataclass(frozen=True)``; ``slots=True`` and ``kw_only=True`` are
    ``@dataclass``'s."""

    def wrap(c: type[T]) -> type[T]:
        return _make(c, frozen=True, slots=slots, kw_only=kw_only)

    return wrap if cls is None else wrap(cls)


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def mutable(cls: type[T], /) -> type[T]:
    """``@mutable`` is ``@dataclass``: fields that can be set, compared by value, unhashable."""
    return _make(cls, frozen=False, slots=False, kw_only=False)


def _is_classvar(annotation: object) -> bool:
    """Whether an annotation is a ClassVar, however it is spelled (``ClassVar[...]``,
    ``typing.ClassVar[...]``, ``t.ClassVar[...]`` as text, as riskcli's modules have them; or the
    object itself, in a module without ``from __future__ import annotations``)."""
    if not isinstance(annotation, str):
        return annotation is ClassVar or getattr(annotation, "__origin__", None) is ClassVar
    head = annotation.split("[", 1)[0].strip()
    return head == "ClassVar" or head.endswith(".ClassVar")


_RESERVED = ("self",)  # names the written __init__ takes for itself (and every name starting _rec_)


def _make(cls: type[T], *, frozen: bool, slots: bool, kw_only: bool) -> type[T]:
    body = cls.__dict__
    where = cls.__qualname__
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get(_FIELDS)
        if inherited is not None:
            if not base.__dict__.get("__record__"):
                raise TypeError(f"{where}: base {base.__qualname__} is a dataclass, not a record")
            if base.__dict__["__record_frozen__"] != frozen:
                raise TypeError(
                    f"{where}: cannot inherit {'non-frozen' if frozen else 'frozen'} record {base.__qualname__}"
                )
            fields.update(inherited)
    annotations = body.get("__annotations__")
    if annotations is None:  # Python 3.14 keeps a class's annotations unevaluated, and not in its dict
        annotations = getattr(cls, "__annotations__", {})  # (its own only, never a base's, since 3.10)
    own: list[str] = []
    for name, annotation in annotations.items():
        if _is_classvar(annotation):
            continue
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if "InitVar" in text or "KW_ONLY" in text:
            raise TypeError(f"{where}.{name}: InitVar and KW_ONLY are not supported by riskcli.records")
        if name in _RESERVED or name.startswith("_rec_"):
            raise TypeError(f"{where}.{name}: a name riskcli.records keeps for itself")
        default = body.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
            if not f.init or f.hash is not None:
                raise TypeError(
                    f"{where}.{name}: field(init=...) and field(hash=...) are not supported by riskcli.records"
                )
        else:
            f = dataclasses.field(default=default)
        if f.default is not _MISSING and type(f.default).__hash__ is None:  # as @dataclass refuses them
            raise ValueError(f"{where}.{name}: mutable default {type(f.default).__name__}: use default_factory")
        f.name = name
        f.type = annotation
        f._field_type = _FIELD  # type: ignore[attr-defined]
        if f.kw_only is _MISSING:
            f.kw_only = kw_only
        fields[name] = f
        own.append(name)

    every = tuple(fields.values())
    names = tuple(fields)
    positional = [f for f in every if not f.kw_only]
    seen_default = False
    for f in positional:
        has = f.default is not _MISSING or f.default_factory is not _MISSING
        if seen_default and not has:
            raise TypeError(f"{where}: non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has

    made: Any = cls
    if slots:
        if "__slots__" in body:
            raise TypeError(f"{where} already specifies __slots__")
        ns = {k: v for k, v in body.items() if k not in ("__dict__", "__weakref__") and k not in own}
        ns["__slots__"] = tuple(own)
        meta: Any = type(cls)
        made = meta(cls.__name__, cls.__bases__, ns)
        made.__qualname__ = where
    else:
        for name in own:
            f = fields[name]
            if f.default is not _MISSING:
                setattr(made, name, f.default)
            elif name in body:  # a field(default_factory=...) left on the class
                delattr(made, name)

    made.__dataclass_fields__ = fields
    made.__record__ = True
    made.__record_frozen__ = frozen
    if "__init__" not in body:
        made.__init__ = _init(made, every, frozen)
    if "__repr__" not in body:
        made.__repr__ = _repr
    if body.get("__doc__") is None:  # as @dataclass writes it: the class's signature
        made.__doc__ = made.__name__ + _signature(every)
    made.__record_key__ = _key(tuple(f.name for f in every if f.compare))
    made.__record_names__ = names
    explicit_hash = body.get("__hash__", _MISSING)
    if "__eq__" not in body:
        made.__eq__ = _eq
    if explicit_hash is _MISSING or (explicit_hash is None and "__eq__" in body):  # none of its own
        made.__hash__ = _hash if frozen else None
    if "__replace__" not in body:
        made.__replace__ = dataclasses.replace  # copy.replace (Python 3.13)
    if frozen:
        if "__setattr__" in body or "__delattr__" in body:
            raise TypeError(f"{where}: a frozen record cannot define __setattr__ or __delattr__")
        made.__setattr__ = _frozen_setattr
        made.__delattr__ = _frozen_delattr
        if slots and "__getstate__" not in body and "__setstate__" not in body:
            made.__getstate__ = _getstate
            made.__setstate__ = _setstate
    if "__match_args__" not in body:
        setattr(made, "__match_args__", tuple(f.name for f in positional))  # noqa: B010 - typed as read-only
    if getattr(made, "__abstractmethods__", None):  # what an abstract base asked for may be written now
        abc.update_abstractmethods(made)
    out: type[T] = made
    return out


def _signature(every: tuple[dataclasses.Field[Any], ...]) -> str:
    """``str(inspect.signature(cls))`` of the written ``__init__``, without its ``-> None``."""
    params: list[str] = []
    starred = False
    for f in sorted(every, key=lambda f: bool(f.kw_only)):
        if f.kw_only and not starred:
            params.append("*")
            starred = True
        text = (
            f"{f.name}: {f.type!r}"
            if isinstance(f.type, str)
            else f"{f.name}: {getattr(f.type, '__qualname__', f.type)}"
        )
        if f.default_factory is not _MISSING:
            text += " = <factory>"
        elif f.default is not _MISSING:
            text += f" = {f.default!r}"
        params.append(text)
    return f"({', '.join(params)})"


def _key(compared: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The values an instance is compared and hashed by, as a tuple (as @dataclass's methods do)."""
    if not compared:
        return lambda _self: ()
    if len(compared) == 1:
        one = operator.attrgetter(compared[0])
        return lambda self: (one(self),)
    many: Callable[[Any], tuple[Any, ...]] = operator.attrgetter(*compared)
    return many


def _init(cls: type, every: tuple[dataclasses.Field[Any], ...], frozen: bool) -> Callable[..., None]:
    """``__init__``, written and compiled as @dataclass writes it; the code comes from the cache of
    ``perf.compiled_code`` when an earlier run compiled the same text."""
    args: list[str] = []
    kw: list[str] = []
    lines: list[str] = []
    values: dict[str, Any] = {"_rec_set": object.__setattr__, "_rec_FACTORY": _FACTORY}
    for f in every:
        name = f.name
        if f.default_factory is not _MISSING:
            values[f"_rec_d_{name}"] = f.default_factory
            param = f"{name}=_rec_FACTORY"
            value = f"_rec_d_{name}() if {name} is _rec_FACTORY else {name}"
        elif f.default is not _MISSING:
            values[f"_rec_d_{name}"] = f.default
            param, value = f"{name}=_rec_d_{name}", name
        else:
            param, value = name, name
        (kw if f.kw_only else args).append(param)
        lines.append(f"  _rec_set(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("  self.__post_init__()")
    params = ", ".join(["self", *args, *(["*", *kw] if kw else [])])
    source = (
        f"def _rec_make({', '.join(values)}):\n"
        f" def __init__({params}):\n" + ("\n".join(lines) or "  pass") + "\n return __init__\n"
    )
    module = sys.modules.get(cls.__module__)  # its globals, as a method written in the class has them
    space: dict[str, Any] = module.__dict__ if module is not None else {"__name__": cls.__module__}
    local: dict[str, Any] = {}
    perf.run_compiled(source, space, local)
    init: Callable[..., None] = local["_rec_make"](*values.values())
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    return init


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    names = type(self).__dataclass_fields__
    shown = ", ".join(f"{n}={getattr(self, n)!r}" for n, f in names.items() if f.repr)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        key = type(self).__record_key__  # from the class: a function, not a bound method
        return key(self) == key(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(type(self).__record_key__(self))


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    if name in type(self).__dataclass_fields__ or type(self).__dict__.get("__record__"):
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _frozen_delattr(self: Any, name: str) -> None:
    if name in type(self).__dataclass_fields__ or type(self).__dict__.get("__record__"):
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
    object.__delattr__(self, name)


def _getstate(self: Any) -> list[Any]:
    return [getattr(self, n) for n in self.__record_names__]


def _setstate(self: Any, state: list[Any]) -> None:
    for n, v in zip(self.__record_names__, state, strict=False):
        object.__setattr__(self, n, v)
