"""Speed: bulk loads with the cyclic garbage collector paused; code made at run time compiled once;
frozen records made in bulk without a call per field."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import marshal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import CodeType
from typing import Any, TypeVar

from riskcli import __version__


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects, then freeze them.

    Loading a 10,000-risk register creates about 1.5 million YAML nodes and model objects, none
    in reference cycles; the collector would rescan the growing heap hundreds of times for
    nothing (about three quarters of the load time). Reference counting still frees memory.

    Re-enabling the collector alone only postpones that work: every object allocated while it
    was off is still in the youngest generation, so the first allocation after ``gc.enable()``
    starts a collection that traverses all of them (about 0.5 s of a 2.1 s ``matrix`` on
    10,000 risks), and a longer command then pays again as they are promoted to the older
    generations. So the objects are moved to the permanent generation with ``gc.freeze()``
    before the collector is re-enabled, and no collection ever looks at them again.

    What freezing costs: a frozen object is never examined by the cyclic collector, so a
    reference cycle among frozen objects (or cyclic garbage made while the collector was off)
    would stay in memory until the process exits. That is acceptable here: riskcli is a
    short-lived process, what it loads is acyclic (a register or journal dropped in a running
    process leaves no cyclic garbage) and lives until exit anyway, and reference counting still
    frees frozen objects whose last reference goes away. A long-lived caller that loads many
    registers can call ``gc.unfreeze()`` to hand them back to the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


# --------------------------------------------------------------------------- code, compiled once

_CODE_ENTRY = f"code-{sys.implementation.cache_tag}-{__version__}"


def _code_key() -> bytes:
    """What compiled code depends on: the interpreter and its marshal format."""
    return hashlib.sha256(f"{sys.version}\0{sys.implementation.cache_tag}\0{marshal.version}".encode()).digest()


class _Compiler:
    """Compiles the source riskcli writes at run time (a record's ``__init__``, a maker), taking
    the code from the cache when the same source was compiled before."""

    def __init__(self, stored: dict[str, bytes]):
        self.stored = stored
        self.new: dict[str, bytes] = {}

    def __call__(self, source: str, space: dict[str, Any], local: dict[str, Any] | None = None) -> None:
        data = self.stored.get(source)
        code = _code(data) if data is not None else None
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            self.new[source] = marshal.dumps(code)
        exec(code, space, local)


def _code(data: bytes) -> CodeType | None:
    try:
        code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return code if isinstance(code, CodeType) else None


_active: list[_Compiler] = []  # the compiler of compiled_code(), while it runs


def run_compiled(source: str, space: dict[str, Any], local: dict[str, Any] | None = None) -> None:
    """``exec(source, space, local)``, with the code from ``compiled_code``'s cache while it runs."""
    if _active:
        _active[-1](source, space, local)
    else:
        exec(compile(source, "<string>", "exec", dont_inherit=True), space, local)


@contextmanager
def compiled_code() -> Iterator[None]:
    """The code riskcli compiles at run time (``records.record``'s ``__init__`` of each class,
    ``maker``'s functions) taken from a cache written by an earlier run.

    Compiling a record's ``__init__`` from its text takes about a tenth of a millisecond; the
    code compiled from a given text is always the same, so the first run keeps it in the cache
    (one entry per interpreter and riskcli version) and later runs load it. Without a usable
    cache, nothing changes."""
    from riskcli import cache

    if _active:  # a nested call
        yield
        return
    stored: dict[str, bytes] = {}
    data = cache.read(_CODE_ENTRY, _code_key())
    if data is not None:
        try:
            loaded = marshal.loads(data)
        except (ValueError, EOFError, TypeError):
            loaded = None
        if isinstance(loaded, dict):
            stored = loaded
    compiler = _Compiler(stored)
    _active.append(compiler)
    try:
        yield
    finally:
        _active.remove(compiler)
        if compiler.new:
            cache.write(_CODE_ENTRY, _code_key(), [marshal.dumps({**stored, **compiler.new})])


# --------------------------------------------------------------------------- frozen records, made in bulk

T = TypeVar("T")


def maker(cls: type[T]) -> Callable[..., T]:
    """A function that makes an instance of ``cls``, a frozen slots dataclass, from all its fields
    in order: equal to ``cls(*fields)`` in every way, made several times faster.

    A frozen dataclass's ``__init__`` sets each field with ``object.__setattr__`` (its own
    ``__setattr__`` refuses), a call per field: 10,000 risks of 23 fields take some 20 ms to make
    that way, most of the time a cached register takes to load. The maker sets the fields on an
    instance of a plain class with the same slots (ordinary stores), then gives it ``cls`` as its
    class, which Python allows between classes of the same layout; from then on it is frozen.
    A class this cannot serve (a base other than object, a field that ``__init__`` does not take
    positionally, a ``__post_init__``, a layout Python will not switch) gets ``cls`` itself."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    names = tuple(f.name for f in fields)
    reserved = {"_maker_new", "_maker_plain", "_maker_cls", "_maker_self"}
    if (
        cls.__bases__ != (object,)
        or cls.__dict__.get("__slots__") != names
        or any(not f.init or f.kw_only or f.name in reserved for f in fields)
        or hasattr(cls, "__post_init__")
    ):
        return cls
    plain = type(f"_{cls.__name__}Fields", (), {"__slots__": names, "__module__": cls.__module__})
    probe: Any = object.__new__(plain)
    try:  # the layouts are the same
        probe.__class__ = cls
    except TypeError:
        return cls
    stores = "".join(f"    _maker_self.{n} = {n}\n" for n in names)
    source = (
        f"def make({', '.join(names)}):\n    _maker_self = _maker_new(_maker_plain)\n{stores}"
        "    _maker_self.__class__ = _maker_cls\n    return _maker_self\n"
    )
    space: dict[str, Any] = {
        "__name__": cls.__module__,
        "_maker_new": object.__new__,
        "_maker_plain": plain,
        "_maker_cls": cls,
    }
    run_compiled(source, space)  # compiled once, as a record's __init__
    make: Callable[..., T] = space["make"]
    make.__qualname__ = f"maker({cls.__qualname__})"
    return make
