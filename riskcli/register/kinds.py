"""How the register format's table is read, described and written: the kinds of value a field
may hold (text, a level, a belief, a list of parts, …), each with its reader, its JSON Schema, the
way it is written back and the words the docs use for it; ``Field`` and ``Item``, the rows and
the mappings of the table in ``fields``; and the compiler that turns an item into its reader.

A kind's ``reader`` is made once per field when the table is compiled (``sections.compiled``),
with everything known about the field decided then; reading a value is one call of it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import Enum
from typing import Any, Final, TypeAlias

from riskcli.model import Acknowledged, Conditional, Rules, Span, SpanUnit, UserError
from riskcli.records import frozen, mutable
from riskcli.register.nodes import MappingNode, Node, ScalarNode
from riskcli.register.walker import (
    ANY,
    BAD,
    FORMATS,
    ID_PATTERN,
    MAP,
    NULL,
    STR,
    Bad,
    Fields,
    Reader,
    check_format,
    short,
)
from riskcli.rules import parse_belief, parse_level

Schema: TypeAlias = dict[str, Any]

# The end of the text, alike in ECMA-262 and Python regular expressions (where "$" also matches
# before a final line break, and "R1\n" is not an id).
END = r"(?![\s\S])"


@mutable
class Context:
    """What the readers of one register share: its rules, and the ids declared so far by section
    (an item with problems still declares its id, so that references to it are not reported as
    unknown as well). ``ids["actors"]`` is absent when the register declares no actors."""

    rules: Rules
    ids: dict[str, set[str]] = dataclasses.field(default_factory=dict)


# A field's reader: (reader, the value's node, where — the item as messages name it, context) →
# the value, or BAD once its problem is reported.
Read: TypeAlias = Callable[[Reader, Node, str, Context], Any]


class Flow(dict[str, Any]):
    """A mapping written on one line: ``{likelihood: -1}``."""


class FlowList(list[Any]):
    """A list written on one line: ``[US, CN]``."""


class Schemas:
    """What a kind's JSON Schema may use: the shipped rules (for examples) and shared definitions."""

    def __init__(self, rules: Rules):
        self.rules = rules
        self.defs: dict[str, Schema] = {}

    def define(self, name: str, schema: Schema) -> Schema:
        if self.defs.setdefault(name, schema) != schema:
            raise ValueError(f"two different schemas are named {name!r}")
        return {"$ref": f"#/$defs/{name}"}


class Kind:
    """How a field's value is read, described and written: ``reader`` makes the field's reader
    (once), ``schema`` describes the value, ``write`` turns the model's value into YAML data,
    ``words`` names the value in the docs and ``parts`` are the items it holds (documented too)."""

    words = "value"

    def reader(self, key: str, join: str) -> Read:
        raise NotImplementedError(f"{type(self).__name__} is not read field by field")

    def schema(self, s: Schemas) -> Schema:
        raise NotImplementedError

    def write(self, value: Any) -> Any:
        return value

    def parts(self) -> tuple[Item, ...]:
        return ()

    def says(self, rules: Rules) -> str:
        """The value, as the docs' field reference names it."""
        return self.words


def _link(item: Item, plural: bool = False) -> str:
    return f"[{item.name}{'s' if plural else ''}](#{item.name})"


class _Unset:
    """The type of ``UNSET``: a field whose default is the model's own."""

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = _Unset()


@frozen
class Field:
    """One key of an item: its kind, what it means (the schema's description and the docs' text),
    whether it must be given, the model attribute it fills (``attr``, else the key) and the value
    it has when not given (``default``, else the model's own default; the writer omits it)."""

    key: str
    kind: Kind
    doc: str
    required: bool = False
    attr: str = ""
    default: Any = UNSET

    @property
    def name(self) -> str:
        return self.attr or self.key


# Semantics spanning an item's fields: (reader, the values read by attribute, the mapping's
# entries, where, the item's node, context) → False to leave the item out. It reads the values
# and never changes them: the item is built from the same dictionary.
Check: TypeAlias = Callable[[Reader, dict[str, Any], Fields, str, Node, Context], bool]


@frozen
class Item:
    """A mapping of the format: an item of a section (a risk, …) or a part of one (a driver, …).

    ``model(**values)`` builds it (``build`` when its shape is not its keys; ``unbuild`` the
    reverse, for the writer). ``any_of``: at least one of these keys is given (``any_of_says``
    what to give); ``not_both``: two keys that exclude each other; ``check``: the rest of its
    semantics. ``flow``: written on one line; ``join``: between the item's name and a key in
    messages (``risk R1: title``, ``… if_holds.likelihood``); ``nullable``: an empty value reads
    as the item with no keys (a shift: no shift)."""

    name: str
    doc: str
    fields: tuple[Field, ...]
    model: type | None = None
    build: Callable[[dict[str, Any]], Any] | None = None
    unbuild: Callable[[Any], dict[str, Any]] | None = None
    any_of: tuple[str, ...] = ()
    any_of_says: str = ""
    not_both: tuple[str, str] | None = None
    not_both_says: str = ""
    check: Check | None = None
    flow: bool = False
    join: str = ": "
    nullable: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)

    def make(self, values: dict[str, Any]) -> Any:
        if self.build is not None:
            return self.build(values)
        assert self.model is not None, f"{self.name}: give a model or a build"
        return self.model(**values)

    def values_of(self, obj: Any) -> dict[str, Any]:
        """A model object's values by key (for the writer)."""
        if self.unbuild is not None:
            return self.unbuild(obj)
        return {f.key: getattr(obj, f.name) for f in self.fields}

    def defaults(self) -> dict[str, Any]:
        """Each field's value when not given, by key, where there is one."""
        model: dict[str, Any] = {}
        if self.model is not None and dataclasses.is_dataclass(self.model):
            model = {d.name: d.default for d in dataclasses.fields(self.model) if d.default is not dataclasses.MISSING}
        out = {}
        for f in self.fields:
            if f.default is not UNSET:
                out[f.key] = f.default
            elif f.name in model:
                out[f.key] = model[f.name]
        return out


# --------------------------------------------------------------------------- compiled readers


# A section item's reader, made once: (reader, the item's node, where, context, the mapping's
# entries, its id, its line) → the model object, or BAD.
ReadItem: TypeAlias = Callable[[Reader, Node, str, Context, Fields, str, int], Any]
# A part's reader: (reader, node, where, context[, the values seen so far of its unique key]) →
# the part, or BAD.
ReadPart: TypeAlias = Callable[..., Any]

_NOTHING: Final = object()  # a parameter no key has given


def compile_item(item: Item) -> ReadItem:
    """The reader of a section's item, given its mapping's entries (its id read by the section):
    the required keys not given, each key's reader in the order of the keys in the file, then
    ``any_of``, ``not_both`` and ``check``. An item whose required field is missing or unreadable
    is left out (BAD); any other field that cannot be read takes its default."""
    read: ReadItem = _compile(item, section=True)
    return read


def compile_part(item: Item, suffix: str = "", unique: tuple[str, str] | None = None) -> ReadPart:
    """The reader of a part (a driver, a shift, …): a mapping of the item's keys, named ``where``
    followed by ``suffix``. The mapping reports the required keys it lacks, and a part without
    them is not read further. ``unique``: a key no two parts of a list may share, and what to say
    of the second (the reader is then given the set of values seen)."""
    read: ReadPart = _compile(item, section=False, suffix=suffix, unique=unique)
    return read


def _compile(item: Item, section: bool, suffix: str = "", unique: tuple[str, str] | None = None) -> Callable[..., Any]:
    """One function that reads an item, made once with everything known about the item decided
    here: each key's reader, and the values gathered in a list in the order the model takes them
    (a dataclass is built from positional arguments, the fastest call there is). This is what
    keeps the table-driven reader as fast as one written by hand."""
    if item.build is None:
        assert item.model is not None and dataclasses.is_dataclass(item.model), f"{item.name}: a dataclass or a build"
        params = [d for d in dataclasses.fields(item.model) if d.init]
        names = tuple(d.name for d in params)
        model_default = {d.name: d.default for d in params if d.default is not dataclasses.MISSING}
    else:
        names = tuple(f.name for f in item.fields) + (("line",) if section else ())
        model_default = {}
    at = {name: i for i, name in enumerate(names)}
    defaults = [_NOTHING] * len(names)
    for name, value in model_default.items():
        defaults[at[name]] = value
    for f in item.fields:
        if f.default is not UNSET:
            defaults[at[f.name]] = f.default
    readers: dict[str, tuple[int, Read] | None] = {
        f.key: None if section and f.key == "id" else (at[f.name], f.kind.reader(f.key, item.join)) for f in item.fields
    }
    keys = item.keys
    required = tuple(f.key for f in item.fields if f.required and not (section and f.key == "id"))
    needed = tuple(at[f.name] for f in item.fields if f.required)
    id_at, line_at = at.get("id", -1), at.get("line", -1)
    model, build = item.model, item.build
    any_of, any_of_says = item.any_of, item.any_of_says
    not_both, not_both_says = item.not_both, item.not_both_says
    check = item.check
    semantics = bool(any_of or not_both or check)
    unique_key, says_twice = unique or ("", "")
    unique_at = at[_field(item, unique_key).name] if unique else -1
    empty = (
        item.make({k: v for k, v in zip(names, defaults, strict=True) if v is not _NOTHING}) if item.nullable else None
    )
    token = _TOKENS.setdefault((id(item), unique), object())  # this part among those read (Reader.known)

    if not section and not required and not semantics and unique is None and build is None and model is not None:
        made = model

        def read_simple(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            """A part with no required key and no semantics (a shift): the common case, lean.
            A part written as another was, plain values only, is that part again (a register of
            10,000 risks writes some 30,000 shifts, a dozen different ones): read once, shared."""
            if empty is not None and node.tag == NULL and isinstance(node, ScalarNode):
                return empty
            known = r.known
            written = None
            if known is not None and type(node) is MappingNode:
                written = _written(node, token)
                if written is not None:
                    part = known.get(written[0])
                    if part is not None:
                        r.budget -= written[1]
                        if r.budget < 0:
                            r.spend(0, node)
                        return part
            if suffix:
                where += suffix
            found = len(r.reported)
            mm = r.mapping(node, where, keys)
            if mm is None:
                return BAD
            values = defaults.copy()
            for key, (_, v) in mm.items():
                i, read_value = readers[key]  # type: ignore[misc]
                x = read_value(r, v, where, ctx)
                if x is not BAD:
                    values[i] = x
            part = made(*values)
            if written is not None and known is not None and len(r.reported) == found:
                known[written[0]] = part  # (only what reads without a problem is shared)
            return part

        return read_simple

    if section and not semantics:

        def read_item(r: Reader, node: Node, where: str, ctx: Context, mm: Fields, ident: str, line: int) -> Any:
            """An item of a section with no semantics across its fields (a risk): lean."""
            for key in required:
                if key not in mm:
                    r.err(node, f"{where}: missing required key {key!r}")
            values = defaults.copy()
            values[id_at] = ident
            if line_at >= 0:
                values[line_at] = line
            for key, (_, v) in mm.items():
                field = readers[key]
                if field is not None:
                    i, read_value = field
                    x = read_value(r, v, where, ctx)
                    if x is not BAD:
                        values[i] = x
            for i in needed:
                if values[i] is _NOTHING:
                    return BAD
            if build is None:
                return model(*values)  # type: ignore[misc]
            return build({n: v for n, v in zip(names, values, strict=True) if v is not _NOTHING})

        return read_item

    def read(
        r: Reader,
        node: Node,
        where: str,
        ctx: Context,
        mm: Fields | None = None,
        ident: str = "",
        line: int = 0,
        seen: set[Any] | None = None,
    ) -> Any:
        written, found, known = None, 0, r.known
        if mm is None:  # a part: its mapping
            if empty is not None and node.tag == NULL and isinstance(node, ScalarNode):
                return empty
            if known is not None and type(node) is MappingNode:  # written as a part read already?
                written = _written(node, token)
                if written is not None:
                    hit = known.get(written[0])
                    if hit is not None and (seen is None or hit[1] not in seen):  # (else: read, and said)
                        r.budget -= written[1]
                        if r.budget < 0:
                            r.spend(0, node)
                        if seen is not None:
                            seen.add(hit[1])
                        return hit[0]
            found = len(r.reported)
            if suffix:
                where += suffix
            mm = r.mapping(node, where, keys, required)
            if mm is None:
                return BAD
            for key in required:
                if key not in mm:
                    return BAD
        else:  # an item of a section: its entries, read by the section
            for key in required:
                if key not in mm:
                    r.err(node, f"{where}: missing required key {key!r}")
        values = defaults.copy()
        if section:
            values[id_at] = ident
            if line_at >= 0:
                values[line_at] = line
        for key, (_, v) in mm.items():
            field = readers[key]
            if field is not None:
                i, read_value = field
                x = read_value(r, v, where, ctx)
                if x is not BAD:
                    values[i] = x
        ok = True
        for i in needed:
            if values[i] is _NOTHING:
                ok = False
                break
        if seen is not None and values[unique_at] is not _NOTHING:  # (its other fields may have problems)
            if values[unique_at] in seen:
                r.err(mm[unique_key][1], f"{where}: {says_twice.format(values[unique_at])}")
                return BAD
            seen.add(values[unique_at])
        if semantics:
            if any_of:
                for key in any_of:
                    if key in mm:
                        break
                else:
                    r.err(node, f"{where}: {any_of_says}")
                    ok = False
            if not_both is not None and not_both[0] in mm and not_both[1] in mm:
                r.err(mm[not_both[1]][0], f"{where}: {not_both_says}")
            if ok and check is not None:
                given = {n: v for n, v in zip(names, values, strict=True) if v is not _NOTHING}
                ok = check(r, given, mm, where, node, ctx)
                if ok and build is not None:
                    return build(given)
        if not ok:
            return BAD
        if build is None:
            obj = model(*values)  # type: ignore[misc]
        else:
            obj = build({n: v for n, v in zip(names, values, strict=True) if v is not _NOTHING})
        if written is not None and known is not None and len(r.reported) == found:  # read without a problem
            known[written[0]] = (obj, values[unique_at] if unique else None)  # shared from now on
        return obj

    return read


_TOKENS: dict[tuple[int, object], object] = {}  # by item (the table's, which live as long as the process)


def _written(node: MappingNode, token: object) -> tuple[tuple[object, ...], int] | None:
    """A mapping as written — its keys, and its values' tags and text (a value may be a mapping
    of such values, as a driver's shifts are) — with what reading it spends of the alias budget
    (``Reader.mapping``: one and its size per mapping); None when it holds anything else."""
    if node.tag != MAP:
        return None
    out: list[object] = [token]
    spent = 1 + len(node.value)
    for k, v in node.value:
        if type(k) is not ScalarNode:
            return None
        if type(v) is ScalarNode:
            out += (k.value, v.tag, v.value)
        elif type(v) is MappingNode and v.tag == MAP:
            inner: list[object] = [k.value]
            for kk, vv in v.value:
                if type(kk) is not ScalarNode or type(vv) is not ScalarNode:
                    return None
                inner += (kk.value, vv.tag, vv.value)
            out.append(tuple(inner))
            spent += 1 + len(v.value)
        else:
            return None
    return tuple(out), spent


def _field(item: Item, key: str) -> Field:
    return next(f for f in item.fields if f.key == key)


def _num(x: float) -> int | float:
    """A number as people write it: ``-1``, not ``-1.0``."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


# --------------------------------------------------------------------------- kinds: text and ids


class Text(Kind):
    """Text; numbers and dates are taken as written (a title may be ``2024``). ``nullable``: an
    empty value (``key:`` or ``~``) is no text; otherwise it is a problem. ``blank``: whether
    text of spaces only is allowed (a name a view shows is not)."""

    words = "text"

    def __init__(self, nullable: bool, blank: bool = True):
        self.nullable, self.blank = nullable, blank

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key
        text = Reader.text if self.blank else Reader.name
        nullable, blank = self.nullable, self.blank

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            if type(node) is ScalarNode and node.tag == STR and r.seen is None and (blank or node.value.strip()):
                return node.value  # most text: nothing to check, and no message to name it in
            if nullable and node.tag == NULL and isinstance(node, ScalarNode):
                return ""
            v = text(r, node, where + suffix)
            return BAD if v is None else v

        return read

    def schema(self, s: Schemas) -> Schema:
        if self.nullable:  # null: not given
            return s.define("optionalText", {"type": ["string", "number", "null"]})
        if not self.blank:
            return s.define("name", {"type": ["string", "number"], "pattern": r"\S"})
        return s.define("text", {"type": ["string", "number"]})  # numbers and dates are read as their text


class Ident(Kind):
    """An id: letters, digits, ``_ - . :``, up to 64 characters."""

    words = "id"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            v = r.ident(node, where + suffix)
            return BAD if v is None else v

        return read

    def schema(self, s: Schemas) -> Schema:
        return s.define(
            "id",
            {
                "type": ["string", "number"],
                "pattern": "^" + ID_PATTERN.pattern + END,
                "minimum": 0,  # a number is read as written: 2024 and 1.5 are ids, -1 is not
                "description": "An id: letters, digits, '_', '-', '.', ':' (up to 64), unique in its section.",
            },
        )


class Ref(Ident):
    """The id of an item of ``section``, which is read before the items that name its ids."""

    def __init__(self, section: str, noun: str):
        self.section, self.noun = section, noun
        self.words = f"{noun} id"

    def reader(self, key: str, join: str) -> Read:
        suffix, section, noun = join + key, self.section, self.noun
        none = f" (the register has no {section})"

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            v = r.ident(node, where + suffix)
            if v is None:
                return BAD
            known = ctx.ids.get(section)
            if known is None or v not in known:
                r.err(node, f"{where}: unknown {noun} {short(v)}{r.hint(v, known) if known else none}")
                return BAD
            return v

        return read


class Ids(Kind):
    """Ids: one, or a list. ``checked``: the section they name, checked as they are read when the
    register declares it (actors); otherwise the item's semantics check them (excludes)."""

    words = "ids"

    def __init__(self, checked: str | None = None, noun: str = ""):
        self.checked, self.noun = checked, noun

    def reader(self, key: str, join: str) -> Read:
        suffix, checked, noun = join + key, self.checked, self.noun

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            out = r.text_list(node, where + suffix)
            known = ctx.ids.get(checked) if checked is not None else None
            if known is not None:
                for a in out:
                    if a not in known:
                        r.err(node, f"{where}: unknown {noun} {short(a)}{r.hint(a, known)}")
            return out

        return read

    def schema(self, s: Schemas) -> Schema:
        ident = Ident().schema(s)
        one = {"type": "string", "pattern": "^" + ID_PATTERN.pattern + END}  # alone, an id is text (not 2024)
        return s.define(
            "ids", {"anyOf": [one, {"type": "array", "items": ident}], "description": "Ids: one, or a list."}
        )

    def write(self, value: Any) -> Any:
        return FlowList(value)


# --------------------------------------------------------------------------- kinds: judgements


UNASSESSED: Final = "unassessed"  # a level not given yet (a risk not yet assessed: never scored)


class Level(Kind):
    """A level of the likelihood or impact scale, in any form riskcli reads (a number, a level
    name, an ICD 203 phrase, a probability); ``unassessed``: or the word ``unassessed`` (None)."""

    words = "[level](#levels)"

    def __init__(self, axis: str, *, unassessed: bool = False):
        self.axis = axis
        self.unassessed = unassessed

    def reader(self, key: str, join: str) -> Read:
        suffix, likelihood, may_be_unassessed = join + key, self.axis == "likelihood", self.unassessed
        also = f" or {UNASSESSED}" if may_be_unassessed else ""

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            v = r.scalar(node, what)
            if isinstance(v, Bad):
                return BAD
            rules = ctx.rules
            scale = rules.likelihood if likelihood else rules.impact
            if may_be_unassessed and isinstance(v, str) and v.strip().lower() == UNASSESSED:
                return None
            # Ranges are written with an en dash, as people write them.
            if v is None:
                r.err(node, f"{what} is empty; give a level 1–{scale.size}{also}")
                return BAD
            if isinstance(v, bool):
                r.err(node, f"{what}: {short(node.value)} is a yes/no value, not a level; give a level 1–{scale.size}")
                return BAD
            try:
                return int(parse_level(scale, rules.words, v).value)
            except UserError as e:  # the message names the scale already
                r.err(node, f"{where}: {e}")
                return BAD

        return read

    def schema(self, s: Schemas) -> Schema:
        axis = self.axis
        scale = s.rules.likelihood if axis == "likelihood" else s.rules.impact
        forms = "a level 1–N (default 5), a level name"
        if scale.has_bands:
            forms += ", an ICD 203 phrase ('very likely') or a probability ('30%', 0.3)"
        if self.unassessed:
            forms += f", or {UNASSESSED} (not yet assessed: the risk is never scored)"
        return s.define(
            axis + ("-or-unassessed" if self.unassessed else ""),
            {
                "description": f"Baseline {axis}: {forms}.",
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": 12},
                    *([{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}] if scale.has_bands else []),
                    {"type": "string", "minLength": 1},
                ],
                "examples": [
                    *range(1, scale.size + 1),
                    *(lv.name.lower() for lv in scale.levels),
                    *([UNASSESSED] if self.unassessed else []),
                ],
            },
        )

    def write(self, value: Any) -> Any:
        return UNASSESSED if value is None and self.unassessed else value


class Belief(Kind):
    """The probability that an assumption holds: 0..1, a percentage, a belief word or an ICD 203
    phrase."""

    words = "[belief](#beliefs-and-support)"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            b = belief(r, node, where + suffix, ctx.rules)
            return BAD if b is None else b

        return read

    def schema(self, s: Schemas) -> Schema:
        words = [w for w, _ in s.rules.words.beliefs]
        return s.define(
            "belief",
            {
                "description": "The probability that it holds: 0..1, a percentage ('70%'), "
                + ", ".join(words)
                + " or an ICD 203 phrase ('very likely').",
                "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "minLength": 1}],
                "examples": [*words, "likely", "70%", 0.7],
            },
        )

    def write(self, value: Any) -> Any:
        return _num(value)


def belief(r: Reader, node: Node, what: str, rules: Rules) -> float | None:
    v = r.scalar(node, what)
    if isinstance(v, Bad):
        return None
    if v is None or isinstance(v, bool):
        r.err(node, f"{what} must be a belief: holds, fails, uncertain, an ICD 203 phrase, 0..1 or a percentage")
        return None
    try:
        return float(parse_belief(rules.words, v).value)
    except UserError as e:  # the message names the belief already
        r.err(node, f"{what.rsplit(': ', 1)[0]}: {e}" if str(e).startswith("belief") else f"{what}: {e}")
        return None


def ci_pattern(words: Iterable[str], bare: bool = False) -> str:
    """A pattern matching any of ``words`` in any case, with spaces around (as the reader reads
    them); ``bare``: the alternatives alone."""
    alternatives = ["".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else _escape(c) for c in w) for w in words]
    if bare:
        return "(" + "|".join(alternatives) + ")"
    return r"^\s*(" + "|".join(alternatives) + r")\s*" + END


def _escape(c: str) -> str:
    return "\\" + c if c in r"\^$.|?*+()[]{}" else c


class Choice(Kind):
    """One of a few words, in any case, spaces around ignored. ``values``: the words (from the
    rules, where a rules file may rename them); ``say``: how a message lists them; ``convert``:
    the word → the model's value."""

    words = "one of"

    def __init__(
        self,
        values: Callable[[Rules], Sequence[str]],
        say: Callable[[Sequence[str]], str] | None = None,
        convert: Callable[[str], Any] = str,
        aliases: dict[str, str] | None = None,
    ):
        self.values, self.convert, self.aliases = values, convert, aliases or {}
        self.say = say or (lambda vs: "one of " + ", ".join(vs))

    def reader(self, key: str, join: str) -> Read:
        suffix, values, say, convert, aliases = join + key, self.values, self.say, self.convert, self.aliases

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            v = r.text(node, what)
            if v is None:
                return BAD
            word = v.strip().lower()
            word = aliases.get(word, word)
            allowed = values(ctx.rules)
            if word not in allowed:
                r.err(node, f"{what} {short(v)} is not {say(allowed)}")
                return BAD
            return convert(word)

        return read

    def schema(self, s: Schemas) -> Schema:
        words = list(self.values(s.rules))
        return {"anyOf": [{"enum": words}, {"type": "string", "pattern": ci_pattern([*words, *self.aliases])}]}

    def write(self, value: Any) -> Any:
        return str(value.value) if isinstance(value, Enum) else value

    def says(self, rules: Rules) -> str:
        return " \\| ".join(f"`{w}`" for w in self.values(rules))


class Day(Kind):
    """A calendar date, ``YYYY-MM-DD`` (quoted or not)."""

    words = "date (YYYY-MM-DD)"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            v = r.text(node, what)
            if v is None:
                return BAD
            day = v.strip()
            try:
                if len(day) != 10:
                    raise ValueError
                return date.fromisoformat(day).isoformat()
            except ValueError:
                r.err(node, f"{what} {short(v)} is not a date; give YYYY-MM-DD, e.g. 2026-06-30")
                return BAD

        return read

    def schema(self, s: Schemas) -> Schema:
        return s.define("date", {"type": "string", "pattern": r"^\s*\d{4}-\d{2}-\d{2}\s*" + END})


class Within(Kind):
    """A span of time: a whole number and a unit, ``12 months`` (days, weeks, months, years; one
    of each in the singular too, any case)."""

    words = "span (12 months, 2 years, 90 days, 6 weeks)"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            v = r.text(node, what)
            if v is None:
                return BAD
            span = parse_span(v)
            if span is None:
                r.err(node, f"{what} {short(v)} is not a span; give a whole number and a unit, e.g. 12 months")
                return BAD
            return span

        return read

    def schema(self, s: Schemas) -> Schema:
        units = "days?|weeks?|months?|years?"
        return s.define(
            "span",
            {"type": "string", "pattern": rf"^\s*[1-9][0-9]{{0,3}}\s+({ci_pattern_body(units)})\s*" + END},
        )

    def write(self, value: Any) -> Any:
        return None if value is None else str(value)


def parse_span(text: str) -> Span | None:
    """``12 months`` → Span(12, months); a count from 1 to 9999 and a unit, else None."""
    parts = text.strip().lower().split()
    if len(parts) != 2 or not parts[0].isascii() or not parts[0].isdigit() or parts[0].startswith("0"):
        return None
    count, word = int(parts[0]), parts[1] if parts[1].endswith("s") else parts[1] + "s"
    if not 1 <= count <= 9999 or word not in {u.value for u in SpanUnit}:
        return None
    return Span(count, SpanUnit(word))


def ci_pattern_body(alternatives: str) -> str:
    """A regular expression's alternatives in any case (JSON Schema patterns have no flags)."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else c for c in alternatives)


class BandRef(Kind):
    """A rating band of the register's rules, by its id or name (any case); read as its id."""

    words = "rating band"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            v = r.text(node, what)
            if v is None:
                return BAD
            word = " ".join(v.split()).lower()
            for b in ctx.rules.rating.bands:
                if word in (b.id.lower(), " ".join(b.name.split()).lower(), *(a.lower() for a in b.aliases)):
                    return b.id
            ids = [b.id for b in ctx.rules.rating.bands]
            r.err(node, f"{what} {short(v)} is not a rating band{r.hint(v, ids)}")
            return BAD

        return read

    def schema(self, s: Schemas) -> Schema:
        bands = [b.id for b in s.rules.rating.bands]
        return s.define(
            "bandRef",
            {
                "type": "string",
                "description": "A rating band's id or name (the rules' bands: the shipped ones, unless the register "
                "or --rules gives its own).",
                "examples": bands,
            },
        )


# --------------------------------------------------------------------------- kinds: numbers


class Number(Kind):
    """A finite number; within ``low``..``high`` when they are given (``out`` says it is not)."""

    def __init__(self, low: float | None = None, high: float | None = None, out: str = ""):
        self.low, self.high, self.out = low, high, out
        self.words = "number" if low is None or high is None else f"number, {_num(low)} to {_num(high)}"

    def reader(self, key: str, join: str) -> Read:
        suffix, low, high, out = join + key, self.low, self.high, self.out
        number = Reader.number
        if low is None or high is None:

            def read_number(r: Reader, node: Node, where: str, ctx: Context) -> Any:
                x = number(r, node, where + suffix)
                return BAD if x is None else x

            return read_number

        def read_in_range(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            x = number(r, node, what)
            if x is None:
                return BAD
            if not low <= x <= high:
                r.err(node, out.format(what=what, x=x))
                return BAD
            return x

        return read_in_range

    def schema(self, s: Schemas) -> Schema:
        out: Schema = {"type": "number"}
        if self.low is not None:
            out["minimum"] = _num(self.low)
        if self.high is not None:
            out["maximum"] = _num(self.high)
        return out

    def write(self, value: Any) -> Any:
        return _num(value)


class Whole(Kind):
    """A whole number of ``unit`` from ``low`` to ``high``."""

    def __init__(self, low: int, high: int, unit: str):
        self.low, self.high, self.unit = low, high, unit
        self.words = f"whole number{' of ' + unit if unit else ''}, {low} to {high}"

    def reader(self, key: str, join: str) -> Read:
        suffix, low, high = join + key, self.low, self.high
        says = f" must be a whole number of {self.unit} from {low} to {high}"

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            n = r.number(node, what)
            if n is None:
                return BAD
            if n != int(n) or not low <= n <= high:
                r.err(node, what + says)
                return BAD
            return int(n)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


class Format(Kind):
    """The format version: a label for readers (riskcli reads every key in either)."""

    words = " or ".join(str(f) for f in FORMATS)

    def reader(self, key: str, join: str) -> Read:
        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            check_format(r, node)
            return BAD  # nothing to keep

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"enum": list(FORMATS)}


# --------------------------------------------------------------------------- kinds: structures


class Part(Kind):
    """A mapping that is an ``Item`` of its own (a shift, the source)."""

    def __init__(self, item: Item):
        self.item = item
        self.words = item.name

    def reader(self, key: str, join: str) -> Read:
        read: Read = compile_part(self.item, join + key)
        return read

    def schema(self, s: Schemas) -> Schema:
        return s.define(self.item.name, item_schema(self.item, s))

    def write(self, value: Any) -> Any:
        return None if value is None else write_item(self.item, value)  # None: a part not given

    def parts(self) -> tuple[Item, ...]:
        return (self.item,)

    def says(self, rules: Rules) -> str:
        return _link(self.item)


class Short(Part):
    """A part that may be written as the value of one of its keys alone: ``treatment: reduce`` for
    ``treatment: {strategy: reduce}``; written so when its other keys have their defaults."""

    def __init__(self, item: Item, key: str):
        super().__init__(item)
        self.key = key
        self.words = f"{_field(item, key).kind.words}, or {item.name}"

    def reader(self, key: str, join: str) -> Read:
        read_part = compile_part(self.item, join + key)
        field = _field(self.item, self.key)
        read_one = field.kind.reader(key, join)
        item, name = self.item, field.name
        defaults = {_field(item, k).name: v for k, v in item.defaults().items()}

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            if isinstance(node, ScalarNode) and node.tag != NULL:
                v = read_one(r, node, where, ctx)
                return BAD if v is BAD else item.make({**defaults, name: v})
            return read_part(r, node, where, ctx)

        return read

    def schema(self, s: Schemas) -> Schema:
        one = _field(self.item, self.key).kind.schema(s)
        return {"anyOf": [one, s.define(self.item.name, item_schema(self.item, s))]}

    def write(self, value: Any) -> Any:
        written = write_item(self.item, value)
        if list(written) == [self.key]:
            return written[self.key]
        return written

    def says(self, rules: Rules) -> str:
        return f"{_field(self.item, self.key).kind.says(rules)}, or {_link(self.item)}"


class ByName(Kind):
    """``{name: part}``: parts named by free text (a category as risks write it); the model's
    ``id`` is the name."""

    def __init__(self, item: Item, noun: str):
        self.item, self.noun = item, noun
        self.words = f"{{{noun}: {item.name}}}"

    def reader(self, key: str, join: str) -> Read:
        suffix, noun = join + key, self.noun
        read_part = compile_part(self.item)

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            if isinstance(node, ScalarNode) and node.tag == NULL:
                return ()
            out = []
            for name, (k, v) in (r.mapping(node, where + suffix, ANY) or {}).items():
                if not name.strip():
                    r.err(k, f"{where + suffix}: a {noun} needs a name")
                    continue
                x = read_part(r, v, f"{where + suffix} {short(name)}", ctx)
                if x is not BAD:
                    out.append(dataclasses.replace(x, id=name, line=k.start_mark.line + 1))
            return tuple(out)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": ["object", "null"], "additionalProperties": s.define(self.item.name, item_schema(self.item, s))}

    def write(self, value: Any) -> Any:
        return {x.id: write_item(self.item, x) for x in value}

    def parts(self) -> tuple[Item, ...]:
        return (self.item,)

    def says(self, rules: Rules) -> str:
        return f"{{{self.noun}: {_link(self.item)}}}"


class Parts(Kind):
    """A list of ``Item`` mappings, each named ``label N`` in messages (``driver 2``). ``unique``:
    a key no two of them may share, and what to say when two do."""

    def __init__(self, item: Item, label: str, unique: tuple[str, str] | None = None):
        self.item, self.label, self.unique = item, label, unique
        self.words = f"list of {item.name}s"

    def reader(self, key: str, join: str) -> Read:
        suffix, label = join + key, self.label
        read_part = compile_part(self.item, unique=self.unique)
        unique = self.unique is not None

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            out = []
            seen: set[Any] | None = set() if unique else None
            for j, child in enumerate(r.sequence(node, where + suffix) or (), start=1):
                x = read_part(r, child, f"{where}: {label} {j}", ctx, None, "", 0, seen)
                if x is not BAD:
                    out.append(x)
            return tuple(out)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": "array", "items": s.define(self.item.name, item_schema(self.item, s))}

    def write(self, value: Any) -> Any:
        return [write_item(self.item, x) for x in value]

    def parts(self) -> tuple[Item, ...]:
        return (self.item,)

    def says(self, rules: Rules) -> str:
        return "list of " + _link(self.item, plural=True)


class Given(Kind):
    """``{A7: {holds: 0.8, fails: 0.3}}``: a belief conditional on one other assumption."""

    words = "{assumption id: conditional belief}"
    example = "given: {A7: {holds: 0.8, fails: 0.3}}"

    def __init__(self, pair: Item):
        self.pair = pair

    def reader(self, key: str, join: str) -> Read:
        suffix, example = join + key, self.example
        read_pair = compile_part(self.pair)

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            what = where + suffix
            gm = r.mapping(node, what, ANY)
            if gm is None:
                return BAD
            if len(gm) != 1:
                r.err(node, f"{where}: given names one assumption this one depends on (e.g. {example})")
                return BAD
            ((parent, (_, pv)),) = gm.items()
            pair = read_pair(r, pv, f"{what} {parent}", ctx)
            return BAD if pair is BAD else Conditional(parent, *pair)

        return read

    def schema(self, s: Schemas) -> Schema:
        pair = item_schema(self.pair, s)
        return {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": pair}

    def write(self, value: Any) -> Any:
        return {value.parent: Flow(holds=_num(value.holds), fails=_num(value.fails))}

    def parts(self) -> tuple[Item, ...]:
        return (self.pair,)

    def says(self, rules: Rules) -> str:
        return f"{{assumption id: {_link(self.pair)}}}"


class BeliefsById(Kind):
    """``{A1: fails, A2: 0.3}``: beliefs by assumption id."""

    words = "{assumption id: belief}"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            known = ctx.ids.get("assumptions", set())
            out = []
            for aid, (k, v) in (r.mapping(node, where + suffix, ANY) or {}).items():
                if aid not in known:
                    r.err(k, f"{where}: unknown assumption {short(aid)}{r.hint(aid, known)}")
                    continue
                b = belief(r, v, f"{where}: belief of {aid}", ctx.rules)
                if b is not None:
                    out.append((aid, b))
            return tuple(out)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": "object", "additionalProperties": Belief().schema(s)}

    def write(self, value: Any) -> Any:
        return {aid: _num(b) for aid, b in value}


class Extra(Kind):
    """Free-form fields: names to text or numbers, nothing nested."""

    words = "{name: text or number}"

    def reader(self, key: str, join: str) -> Read:
        suffix = join + key

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            em = r.mapping(node, where + suffix, ANY)
            if em is None:
                return BAD
            out: list[tuple[str, str | int | float]] = []
            for name, (_, v) in em.items():
                value = r.scalar(v, f"{where}: extra.{name}")
                if isinstance(value, Bad):
                    return BAD
                if isinstance(value, bool) or not isinstance(value, (str, int, float)):
                    r.err(v, f"{where}: extra.{name} must be text or a number")
                    return BAD
                out.append((name, value if not isinstance(value, float) or value == value else str(v.value)))
            return tuple(out)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": "object", "additionalProperties": {"type": ["string", "number"]}}

    def write(self, value: Any) -> Any:
        return dict(value)


class Acknowledgements(Kind):
    """Coherence warnings accepted on purpose: each its id, or ``{id, why}``."""

    words = "list of ids or acknowledgements"

    def __init__(self, item: Item):
        self.item = item

    def reader(self, key: str, join: str) -> Read:
        read_part = compile_part(self.item)

        def read(r: Reader, node: Node, where: str, ctx: Context) -> Any:
            out: list[Acknowledged] = []
            for i, child in enumerate(r.sequence(node, key) or (), start=1):
                if isinstance(child, ScalarNode):
                    v = r.text(child, f"{key}[{i}]")
                    if v is not None:
                        out.append(Acknowledged(v.strip()))
                    continue
                x = read_part(r, child, f"{key}[{i}]", ctx)
                if x is not BAD:
                    out.append(x)
            return tuple(out)

        return read

    def schema(self, s: Schemas) -> Schema:
        return {"type": "array", "items": {"anyOf": [{"type": "string"}, item_schema(self.item, s)]}}

    def write(self, value: Any) -> Any:
        return [a.id if not a.why else {"id": a.id, "why": a.why} for a in value]

    def parts(self) -> tuple[Item, ...]:
        return (self.item,)

    def says(self, rules: Rules) -> str:
        return "list of ids or " + _link(self.item, plural=True)


class Section(Kind):
    """A top-level list of items, each with an id unique in the section (``null``: none).
    ``sections.read_section`` reads it."""

    def __init__(self, item: Item, at_least_one: bool = False):
        self.item, self.at_least_one = item, at_least_one
        self.words = f"list of {item.name}s"

    def schema(self, s: Schemas) -> Schema:
        one = s.define(self.item.name, item_schema(self.item, s))
        if self.at_least_one:
            return {"type": "array", "items": one, "minItems": 1}
        return {"type": ["array", "null"], "items": one}

    def write(self, value: Any) -> Any:
        return [write_item(self.item, x) for x in value]

    def parts(self) -> tuple[Item, ...]:
        return (self.item,)

    def says(self, rules: Rules) -> str:
        return "list of " + _link(self.item, plural=True)


class Described(Kind):
    """A value read elsewhere (scales and rating, by ``rules_formats``): its schema and docs only."""

    def __init__(self, schema: Callable[[Schemas], Schema], words: str, parts: tuple[Item, ...] = ()):
        self._schema, self.words, self._parts = schema, words, parts

    def schema(self, s: Schemas) -> Schema:
        return self._schema(s)

    def parts(self) -> tuple[Item, ...]:
        return self._parts

    def says(self, rules: Rules) -> str:
        return self.words.format(*(_link(p, plural=True) for p in self._parts))


# --------------------------------------------------------------------------- schema and writer


def item_schema(item: Item, s: Schemas) -> Schema:
    """A mapping whose keys are exactly the item's, in its order."""
    props: Schema = {}
    for f in item.fields:
        one = f.kind.schema(s)
        props[f.key] = {"description": f.doc, **one} if f.doc else one
    out: Schema = {
        "description": item.doc,
        "type": ["object", "null"] if item.nullable else "object",
        "properties": props,
        "additionalProperties": False,
    }
    if item.required:
        out["required"] = list(item.required)
    if item.any_of:
        out["anyOf"] = [{"required": [k]} for k in item.any_of]
    if item.not_both is not None:
        out["not"] = {"required": list(item.not_both)}
    return out


_DEFAULTS: dict[str, dict[str, Any]] = {}


def write_item(item: Item, obj: Any) -> dict[str, Any]:
    """A model object as the mapping a register holds: keys in the table's order; a field left
    out when its value is its default or empty, except one of ``any_of``, which is always written."""
    values = item.values_of(obj)
    defaults = _DEFAULTS.get(item.name)
    if defaults is None:
        defaults = _DEFAULTS[item.name] = item.defaults()
    out: dict[str, Any] = {}
    for f in item.fields:
        v = values[f.key]
        if f.required or (f.key not in defaults or v != defaults[f.key]):
            w = f.kind.write(v)
            if f.required or w not in ("", None, (), [], {}):
                out[f.key] = w
    if item.any_of and not any(k in out for k in item.any_of):
        first = item.any_of[0]
        out[first] = next(f for f in item.fields if f.key == first).kind.write(values[first])
        out = {k: out[k] for k in item.keys if k in out}
    return Flow(out) if item.flow else out
