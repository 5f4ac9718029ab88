"""The validated-register cache: an unchanged register is not read again; its model is loaded.

An entry is the validated model (``model.Register``) with what the core derived from it alone
(``Register.derived``: the structural coherence findings, once ``validate`` has made them),
pickled into the user's cache (``riskcli.cache``, which reads back only what riskcli wrote
there). Its key is a SHA-256 of the register's bytes, of the rules it is read with (the shipped
rules and ``--rules``), of the name it is shown by, and of the versions of riskcli and Python and
of the code that makes an entry (the size and time of the files of ``riskcli`` and
``riskcli/register``): a change to any of them misses. There is one entry per register file (and
rules file), replaced when either changes. A register with problems is never cached: its
problems are found again every time.

Loading an entry costs about as much as ``json.loads`` of the same data: each object is made from
its class and its fields by ``perf.maker`` (as ``cls(*fields)``, without the frozen ``__init__``'s
call per field; a slots dataclass would otherwise pickle through a ``__getstate__``/``__setstate__``
per object), and equal values (shifts, drivers) are stored once and shared, as the frozen values
they are.
"""

from __future__ import annotations

import copyreg
import dataclasses
import hashlib
import io
import os
import pickle
import re
import sys
from collections.abc import Callable
from operator import attrgetter
from pathlib import Path
from typing import Any

from riskcli import __version__, cache, model
from riskcli.model import Register
from riskcli.perf import gc_paused, maker
from riskcli.register.source import EMBEDDED, data_dir, decode, default_rules_path, read_bytes

SUBDIR = "registers"
Rules = str | os.PathLike[str] | None  # a --rules file, if any


def load(path: str | os.PathLike[str] | None = None, rules_path: Rules = None, *, findings: bool = False) -> Register:
    """``register.load``, from the cache when the register and its rules are unchanged; with
    ``findings``, the structural coherence findings made (``scoring.structural_findings``) and
    kept in the entry too (``validate`` shows them; the views need none of them).

    Raises what the full load raises; the cache itself never raises (an entry that cannot be
    used is rebuilt)."""
    if path is None:
        p, shown = data_dir() / "register.yaml", f"{EMBEDDED} register.yaml"
    else:
        p, shown = Path(path), str(path)
    data = read_bytes(p, shown)
    rules = _rules_bytes(rules_path)
    if rules is None:  # an unreadable rules file: the full load says why
        return _full(path, rules_path, None)
    key = _key(data, rules, shown, path is None, rules_path)
    name = f"{SUBDIR}/{_slot(p, shown, rules_path)}"
    reg = _read(name, key)
    if reg is None:
        text = decode(data, shown)
        del data  # the text is what is read now: the bytes would only add to the load's peak memory
        reg = _full(path, rules_path, text)
        _made(reg, findings)
        _write(name, key, reg)
    elif _made(reg, findings):  # an entry written without them: kept with them from now on
        _write(name, key, reg)
    return reg


def _made(reg: Register, findings: bool) -> bool:
    """Make what is asked for and kept in the entry; whether anything new was made."""
    if not findings:
        return False
    from riskcli import scoring

    known = len(reg.derived)
    scoring.structural_findings(reg)
    return len(reg.derived) > known


def _full(path: str | os.PathLike[str] | None, rules_path: Rules, text: str | None) -> Register:
    from riskcli.register import sections

    return sections.load(path, rules_path, text=text)


# --------------------------------------------------------------------------- keys


def _rules_bytes(rules_path: Rules) -> list[bytes] | None:
    try:
        out = [default_rules_path().read_bytes()]
        if rules_path is not None:
            out.append(Path(rules_path).read_bytes())
    except OSError:
        return None
    return out


def _key(data: bytes, rules: list[bytes], shown: str, embedded: bool, rules_path: Rules) -> bytes:
    h = hashlib.sha256()
    for part in (__version__, sys.version, str(pickle.HIGHEST_PROTOCOL), _code_stamp(), shown, str(embedded)):
        h.update(part.encode("utf-8", "surrogatepass") + b"\0")
    h.update(str(rules_path).encode("utf-8", "surrogatepass") + b"\0")
    for blob in (data, *rules):
        h.update(len(blob).to_bytes(8, "big"))
        h.update(blob)
    return h.digest()


def _code_stamp() -> str:
    """The size and modification time of the files of the code that makes an entry (the core
    and the register reader), so that an edited checkout, whose version does not change, never
    loads an entry of its former self."""
    here = Path(__file__).resolve().parent
    files = sorted(here.parent.glob("*.py")) + sorted(here.glob("*.py"))
    out = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out.append(f"{f.name}:{st.st_size}:{st.st_mtime_ns}")
    return ",".join(out)


def _slot(p: Path, shown: str, rules_path: Rules) -> str:
    """The entry's file: one per register file, name shown and rules file."""
    where = f"{os.path.abspath(p)}\0{shown}\0{os.path.abspath(rules_path) if rules_path is not None else ''}"
    return hashlib.sha256(where.encode("utf-8", "surrogatepass")).hexdigest()[:32]


# --------------------------------------------------------------------------- entries


def _read(name: str, key: bytes) -> Register | None:
    view = cache.read(name, key)
    if view is None:
        return None
    try:
        with gc_paused():
            reg, derived = pickle.loads(view)
    except Exception as e:  # noqa: BLE001 - an entry riskcli wrote but cannot read now: rebuilt
        cache.note(f"{name}: cannot be read back: {type(e).__name__}: {e}")
        return None
    if not isinstance(reg, Register) or not isinstance(derived, dict):
        cache.note(f"{name}: not a register")
        return None
    reg.derived.update(derived)
    return reg


def _write(name: str, key: bytes, reg: Register) -> None:
    buf = io.BytesIO()
    pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _dispatch_table()
    try:
        with gc_paused():  # tens of thousands of reduce tuples, none in a cycle
            pickler.dump((reg, dict(reg.derived)))
    except (pickle.PicklingError, TypeError, AttributeError, RecursionError) as e:
        cache.note(f"{name}: cannot be pickled: {e}")
        return
    cache.write(name, key, [buf.getbuffer()])


class _Makers(dict[type, Callable[..., Any]]):
    """Each class's ``perf.maker``, made when the first object of the class is loaded."""

    def __missing__(self, cls: type) -> Callable[..., Any]:
        made = self[cls] = maker(cls)
        return made


_MAKERS = _Makers()


def _rebuilt(cls: type, *fields: Any) -> Any:
    """An object of the model, as loading an entry makes it: ``cls(*fields)``."""
    return _MAKERS[cls](*fields)


def _dispatch_table() -> dict[type, Any]:
    """How each dataclass of the model (and a coherence finding) is pickled: its class and its
    fields, so that loading makes it with ``_rebuilt`` (a slots dataclass would otherwise pickle
    through a ``__getstate__``/``__setstate__`` per object), and values without identity shared."""
    from riskcli import scoring

    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    classes.append(scoring.Finding)
    shared = _Shared(classes)
    table: dict[type, Any] = dict(copyreg.dispatch_table)
    for c in classes:
        table[c] = shared.reducer(c)
    return table


_SCALARS = {"int", "float", "str", "bool", "None"}
_WORD = re.compile(r"\w+")


class _Shared:
    """Values — classes with no ``id`` whose fields are numbers, text or other values, such as a
    shift or a driver — carry no identity: an equal one met in a field is replaced by the first,
    so that pickle stores it once and loading makes it once (a register of 10,000 risks has some
    36,000 shifts of a dozen values and 18,000 drivers of 5,000). The model is frozen, so sharing
    changes nothing. A value is known by its leaves (``if_holds.likelihood``, …) and their types,
    read in one ``attrgetter`` call."""

    def __init__(self, classes: list[type]):
        fields = {c: dataclasses.fields(c) for c in classes}
        names = {c.__name__: c for c in classes}
        values = {c for c, fs in fields.items() if all(f.name != "id" for f in fs)}
        while True:  # a value's fields are scalars or values (not optional, not in tuples)
            kept = {c for c in values if all(_scalar(f) or names.get(str(f.type)) in values for f in fields[c])}
            if kept == values:
                break
            values = kept

        def leaves(c: type) -> list[str]:
            out: list[str] = []
            for f in fields[c]:
                inner = names.get(str(f.type))
                out += [f.name] if inner is None else [f"{f.name}.{leaf}" for leaf in leaves(inner)]
            return out

        self.get = {c: _getter(tuple(f.name for f in fs)) for c, fs in fields.items()}
        self.key = {c: _getter(tuple(leaves(c))) for c in values}
        value_names = {c.__name__ for c in values}
        # Per class, the fields that may hold values (alone, optional, or in tuples).
        self.holding = {
            c: tuple(i for i, f in enumerate(fs) if value_names & set(_WORD.findall(str(f.type))))
            for c, fs in fields.items()
        }
        self.seen: dict[tuple[Any, ...], Any] = {}
        # The value each value met so far is stored as, by its identity: the reader already
        # shares most values (a shift written again is the same object), so most are met again.
        # (The register being pickled keeps every one of them alive, so no identity is reused.)
        self.met: dict[int, Any] = {}

    def reducer(self, cls: type) -> Callable[[Any], tuple[Any, ...]]:
        get, holding = self.get[cls], self.holding[cls]
        if not holding:
            return lambda obj: (_rebuilt, (cls, *get(obj)))
        keys, keep, met = self.key, self.seen.setdefault, self.met

        def share(x: Any) -> Any:
            stored = met.get(id(x), met)
            if stored is met:
                k = keys[type(x)](x)
                stored = met[id(x)] = keep((type(x), k, tuple(map(type, k))), x)
            return stored

        def reduce(obj: Any) -> tuple[Any, ...]:
            args = list(get(obj))
            for i in holding:
                v = args[i]
                if type(v) is tuple:
                    args[i] = tuple([share(x) for x in v])
                elif v is not None:
                    args[i] = share(v)
            return (_rebuilt, (cls, *args))

        return reduce


def _scalar(f: dataclasses.Field[Any]) -> bool:
    return set(_WORD.findall(str(f.type))) <= _SCALARS


def _getter(names: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    get = attrgetter(*names)
    if len(names) > 1:
        return get
    return lambda obj: (get(obj),)
