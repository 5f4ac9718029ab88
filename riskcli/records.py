"""riskcli's records: ``@frozen`` and ``@mutable``, the dataclasses riskcli's values and results are.

A record is a dataclass in every way riskcli and the standard library use one: its fields are
``dataclasses.fields(cls)``, ``dataclasses.replace``, ``asdict`` and ``is_dataclass`` work on it, its
``__init__``, ``__eq__``, ``__hash__`` and ``__repr__`` behave as ``@dataclass(frozen=True)``'s do, and
type checkers treat it as one (``typing.dataclass_transform``). What differs is the cost of making the
class: ``@dataclass`` reads every annotation against the ``typing`` module, writes the source of six
methods and compiles them, and with ``slots=True`` makes the class twice — about a fifth of a
millisecond a class even when the compiled code comes from a cache, which for the hundred classes a
command imports was a tenth of riskcli's start-up. A record writes and compiles one method,
``__init__`` (the only one whose speed matters per object; its code comes from the cache of
``perf.compiled_code`` when there is one), and shares the others among every record.

What riskcli does not use is not supported and is refused when a class asks for it: ``InitVar``,
``KW_ONLY``, ``order``, ``unsafe_hash``, ``field(init=False)`` and a base class that is a dataclass
but not a record. ``ClassVar`` annotations are class attributes, as with ``@dataclass``.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform, overload

from riskcli import perf

__all__ = ["frozen", "mutable"]

T = TypeVar("T")

_FIELD: Any = getattr(dataclasses, "_FIELD")  # noqa: B009 - what marks a Field as a field in fields()
_MISSING: Any = dataclasses.MISSING
_NO_DEFAULT_CHECK = (list, dict, set)  # mutable defaults refused, as @dataclass refuses them
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
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__qualname__", "")
    return isinstance(text, str) and (text.startswith(("ClassVar", "typing.ClassVar")) or text == "ClassVar")


def _make(cls: type[T], *, frozen: bool, slots: bool, kw_only: bool) -> type[T]:
    body = cls.__dict__
    fields: dict[str, dataclasses.Field[Any]] = {}
    for base in cls.__mro__[-1:0:-1]:
        inherited = base.__dict__.get(_FIELDS)
        if inherited is not None:
            if not base.__dict__.get("__record__"):
                raise TypeError(f"{cls.__qualname__}: base {base.__qualname__} is a dataclass, not a record")
            fields.update(inherited)
    own: list[str] = []
    for name, annotation in body.get("__annotations__", {}).items():
        if _is_classvar(annotation):
            continue
        text = annotation if isinstance(annotation, str) else repr(annotation)
        if "InitVar" in text or "KW_ONLY" in text:
            raise TypeError(f"{cls.__qualname__}.{name}: InitVar and KW_ONLY are not supported by riskcli.records")
        default = body.get(name, _MISSING)
        if isinstance(default, dataclasses.Field):
            f = default
            if not f.init:
                raise TypeError(f"{cls.__qualname__}.{name}: field(init=False) is not supported by riskcli.records")
        else:
            if type(default) in _NO_DEFAULT_CHECK:
                raise ValueError(
                    f"{cls.__qualname__}.{name}: mutable default {type(default).__name__}: use default_factory"
                )
            f = dataclasses.field(default=default)
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
            raise TypeError(f"{cls.__qualname__}: non-default argument {f.name!r} follows default argument")
        seen_default = seen_default or has

    made: Any = cls
    if slots:
        if "__slots__" in body:
            raise TypeError(f"{cls.__qualname__} already specifies __slots__")
        ns = {k: v for k, v in body.items() if k not in ("__dict__", "__weakref__") and k not in own}
        ns["__slots__"] = tuple(own)
        meta: Any = type(cls)
        made = meta(cls.__name__, cls.__bases__, ns)
        made.__qualname__ = cls.__qualname__
    else:
        for name in own:
            f = fields[name]
            if f.default is not _MISSING:
                setattr(made, name, f.default)
            elif name in body:  # a field(default_factory=...) left on the class
                delattr(made, name)

    made.__dataclass_fields__ = fields
    made.__record__ = True
    if "__init__" not in body:
        made.__init__ = _init(made, every, frozen)
    if "__repr__" not in body:
        made.__repr__ = _repr
    made.__record_key__ = _key(tuple(f.name for f in every if f.compare))
    made.__record_names__ = names
    explicit_hash = body.get("__hash__", _MISSING)
    if "__eq__" not in body:
        made.__eq__ = _eq
    if explicit_hash is _MISSING or (explicit_hash is None and "__eq__" in body):  # none of its own
        made.__hash__ = _hash if frozen else None
    if frozen:
        if "__setattr__" in body or "__delattr__" in body:
            raise TypeError(f"{cls.__qualname__}: a frozen record cannot define __setattr__ or __delattr__")
        made.__setattr__ = _frozen_setattr
        made.__delattr__ = _frozen_delattr
        if slots:
            made.__getstate__ = _getstate
            made.__setstate__ = _setstate
    if "__match_args__" not in body:
        setattr(made, "__match_args__", tuple(f.name for f in positional))  # noqa: B010 - typed as read-only
    out: type[T] = made
    return out


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
    space: dict[str, Any] = {"__name__": cls.__module__}
    perf.run_compiled(source, space)
    init: Callable[..., None] = space["_rec_make"](*values.values())
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__annotations__ = {**{f.name: f.type for f in every}, "return": None}
    return init


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


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
