"""The node walker: validates YAML nodes against the format, with a line and column per problem.

The walk only descends where the format expects structure, and a budget bounds how much aliased
structure it will expand, so an alias bomb is refused instead of walked. Duplicate keys, unknown
keys and unsafe tags are all reported; nothing is ever built from a tag riskcli does not know.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Container, Iterable
from typing import Any, Final, TypeAlias

import yaml
from yaml.constructor import SafeConstructor
from yaml.error import Mark

from riskcli.model import Problem, RegisterError
from riskcli.register.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_PROBLEMS = 50

# Always ``fullmatch``: with ``match``, a ``$`` also matches before a final newline ("R1\n").
ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}")
YAML_TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL, TS = (YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp"))
SEQ, MAP, MERGE = YAML_TAG + "seq", YAML_TAG + "map", YAML_TAG + "merge"
SCALAR_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, TS, MERGE})
_TEXT_TAGS = frozenset({STR, TS, MERGE})  # read as the text written

# What a plain YAML scalar reads as (a timestamp is kept as its text).
Value: TypeAlias = str | int | float | bool | None
# A mapping's entries by key: the key's node and the value's node.
Fields: TypeAlias = dict[str, tuple[Node, Node]]


# --------------------------------------------------------------------------- the node walker


class Abort(Exception):
    """Stop walking: the file is not worth reading further (alias bomb, too many problems)."""


class Reader:
    """Validates nodes against the format, collecting every problem with its location."""

    def __init__(self, shown: str, text: str):
        self.file = shown
        self.problems: list[Problem] = []
        self.reported: set[Problem] = set()  # every problem found, each once
        self.more = 0
        self.ctor = SafeConstructor()
        # Alias expansion budget: a legitimate file visits about as many nodes as it has text;
        # an alias bomb visits vastly more. Mappings and lists cost their size on every visit;
        # text costs nothing the first time (it is in the file already) and its length on every
        # later visit, which only an alias can cause. ``seen`` holds the scalars read so far; a
        # file without a '&' has no anchor, so no alias, and skips that bookkeeping (a few per
        # cent of the load time of a large register).
        self.budget = 100_000 + 2 * len(text)
        self.seen: set[Node] | None = set() if "&" in text else None
        # Parts read already, by what is written (``kinds.compile_part``): a value written again
        # is the same value. Not in a file with anchors, whose aliases may repeat a problem.
        self.known: dict[tuple[object, ...], Any] | None = {} if self.seen is None else None
        self._sets: dict[int, tuple[tuple[str, ...], frozenset[str]]] = {}

    # -- problems

    def err(self, node: Node, message: str) -> None:
        m = node.start_mark
        self._add(Problem(self.file, m.line + 1, m.column + 1, message))

    def err_at(self, line: int, message: str) -> None:
        """A problem found after the walk, located at the line of the item it is about."""
        self._add(Problem(self.file, line, 1, message))

    def _add(self, p: Problem) -> None:
        """Each problem once (an aliased item is read again at each alias), up to MAX_PROBLEMS."""
        if p in self.reported:
            return
        self.reported.add(p)
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        self.problems.append(p)

    def hint(self, key: str, allowed: Iterable[str]) -> str:
        """``did_you_mean`` — skipped once no more problems will be shown (it costs time)."""
        return "" if len(self.problems) >= MAX_PROBLEMS else did_you_mean(key, allowed)

    def spend(self, n: int, node: Node) -> None:
        self.budget -= n
        if self.budget < 0:
            self.err(node, "the file expands to far more data than it holds (YAML alias bomb?)")
            raise Abort

    def tag_ok(self, node: Node, what: str) -> bool:
        tag = node.tag
        if tag in SCALAR_TAGS or tag in (SEQ, MAP):
            return True
        shown = "!!" + tag[len(YAML_TAG) :] if tag.startswith(YAML_TAG) else tag
        self.err(node, f"{what}: unsupported YAML tag {short(shown, 60)} (riskcli reads plain YAML only)")
        return False

    # -- shapes

    def mapping(
        self,
        node: Node,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> Fields | None:
        if type(node) is not MappingNode or node.tag != MAP:  # the common case skips both checks
            if not self.tag_ok(node, what):
                return None
            if not isinstance(node, MappingNode):
                self.err(node, f"{what} must be a mapping (key: value), not {kind_of(node)}")
                return None
        pairs = node.value
        self.budget -= 1 + len(pairs)
        if self.budget < 0:
            self.spend(0, node)
        out: Fields = {}
        if isinstance(allowed, tuple):
            known = self._known(allowed)
        else:
            allowed = tuple(allowed)
            known = frozenset(allowed)
        for k, v in pairs:
            if type(k) is ScalarNode and k.tag != MERGE:
                key: str = k.value
                if key not in out and key in known:
                    out[key] = (k, v)
                    continue
            self._bad_key(k, v, what, allowed, out)
        for key in required:
            if key not in out:
                self.err(node, f"{what}: missing required key {key!r}")
        return out

    def _known(self, allowed: tuple[str, ...]) -> Container[str]:
        """``allowed`` as a set, made once per tuple of names (a mapping's keys are many)."""
        if isinstance(allowed, Anything):
            return allowed
        entry = self._sets.get(id(allowed))
        if entry is None or entry[0] is not allowed:
            entry = self._sets[id(allowed)] = (allowed, frozenset(allowed))
        return entry[1]

    def _bad_key(self, k: Node, v: Node, what: str, allowed: tuple[str, ...], out: Fields) -> None:
        """A key the mapping does not take: not a name, a duplicate, or unknown."""
        if not isinstance(k, ScalarNode) or k.tag == MERGE:
            self.err(
                k,
                f"{what}: keys must be plain names"
                + (" (merge keys '<<' are not supported)" if k.tag == MERGE else ""),
            )
            return
        key: str = k.value
        if key in out:
            first = out[key][0].start_mark.line + 1
            self.err(
                k, f"{what}: duplicate key {short(key)} (first at line {first}); YAML would silently keep only the last"
            )
        elif key not in allowed:
            self.err(k, f"{what}: unknown key {short(key)}{self.hint(key, allowed)}")
        else:
            out[key] = (k, v)

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not self.tag_ok(node, what):
            return None
        if not isinstance(node, SequenceNode):
            self.err(node, f"{what} must be a list, not {kind_of(node)}")
            return None
        self.spend(1 + len(node.value), node)
        items: list[Node] = node.value
        return items

    def scalar(self, node: Node, what: str) -> Value | Bad:
        """A scalar's Python value; ``BAD`` after reporting a problem."""
        tag = node.tag
        if type(node) is not ScalarNode or tag not in SCALAR_TAGS:
            if not self.tag_ok(node, what):
                return BAD
            if not isinstance(node, ScalarNode):
                self.err(node, f"{what} must be a single value, not {kind_of(node)}")
                return BAD
        seen = self.seen
        if seen is not None:
            if node in seen:  # nodes hash by identity
                self.spend(len(node.value), node)
            else:
                seen.add(node)
        value: str = node.value
        if tag in _TEXT_TAGS:
            return value
        if tag == NULL:
            return None
        try:
            if tag == INT:
                digits = value[1:] if value[:1] in ("+", "-") else value  # (a sign, as the constructor reads it)
                if digits.isascii() and digits.isdigit() and (digits[0] != "0" or len(digits) == 1):
                    return int(value)  # plain decimal, as the constructor reads it (too long: ValueError)
                return self.ctor.construct_yaml_int(_pyyaml(node))
            if tag == FLOAT:
                if "_" not in value and ":" not in value and value[:1] != ".":
                    with contextlib.suppress(ValueError):  # else as the constructor reads it
                        return float(value)
                return self.ctor.construct_yaml_float(_pyyaml(node))
            if tag == BOOL:
                return self.ctor.construct_yaml_bool(_pyyaml(node))
        except (ValueError, IndexError, yaml.YAMLError):  # IndexError: the constructor on an empty !!int
            self.err(node, f"{what}: cannot read {short(node.value)} as {tag[len(YAML_TAG) :]}")
            return BAD
        return value  # a scalar tagged !!seq or !!map: read as its text

    def text(self, node: Node, what: str) -> str | None:
        """A string; numbers and dates are taken as their text (a title may be ``2024``)."""
        if type(node) is ScalarNode and node.tag == STR and self.seen is None:  # most text: nothing to check
            plain: str = node.value
            return plain
        v = self.scalar(node, what)
        if isinstance(v, Bad):
            return None
        if v is None:
            self.err(node, f"{what} is empty")
            return None
        if isinstance(v, bool):
            self.err(node, f"{what} must be text, not {short(node.value)} (a yes/no value); quote it")
            return None
        if isinstance(v, str):
            return v
        written: str = node.value
        return written

    def name(self, node: Node, what: str) -> str | None:
        """Text that names something a view shows (a level, a band): blank is as empty as null."""
        v = self.text(node, what)
        if v is not None and not v.strip():
            self.err(node, f"{what} is empty")
            return None
        return v

    def ident(self, node: Node, what: str) -> str | None:
        v = self.text(node, what)
        if v is None:
            return None
        if not ID_PATTERN.fullmatch(v):
            self.err(node, f"{what} {short(v)} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
            return None
        return v

    def number(self, node: Node, what: str) -> float | None:
        v = self.scalar(node, what)
        if isinstance(v, Bad):
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(
                node,
                f"{what} must be a number, not {short(node.value) if isinstance(node, ScalarNode) else kind_of(node)}",
            )
            return None
        try:
            x = float(v)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            self.err(node, f"{what} must be a finite number, not {short(node.value)}")
            return None
        return x

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.tag == STR:  # a single actor needs no brackets
            one = self.ident(node, what)
            return () if one is None else (one,)
        items = self.sequence(node, what)
        if items is None:
            return ()
        out = []
        for i, item in enumerate(items):
            v = self.ident(item, f"{what}[{i + 1}]")
            if v is not None:
                out.append(v)
        return tuple(out)

    def unique_ids(self, items: list[tuple[str, Node]], what: str) -> None:
        seen: dict[str, int] = {}
        for ident, node in items:
            if ident in seen:
                self.err(node, f"duplicate {what} id {short(ident)} (first at line {seen[ident]})")
            else:
                seen[ident] = node.start_mark.line + 1


def _pyyaml(node: ScalarNode) -> yaml.ScalarNode:
    """A scalar as PyYAML's constructor takes it (its own node class)."""
    return yaml.ScalarNode(node.tag, node.value, node.start_mark, node.start_mark)


class Bad:
    """The type of ``BAD``: a value that could not be read (its problem is reported)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


BAD: Final = Bad()


def kind_of(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "an empty value"
    return f"the value {short(node.value)}"


def short(s: object, limit: int = 40) -> str:
    """A user value fit for a one-line message: bounded, one line, quoted."""
    text = str(s)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def did_you_mean(key: str, allowed: Iterable[str]) -> str:
    """A hint for an unknown name: the closest known one, else (for short lists) all of them."""
    import difflib

    names = list(allowed)
    if len(names) > 200:  # a large register: compare with names of about the same length only
        names = [n for n in names if abs(len(n) - len(key)) <= 2][:2000]
    close = difflib.get_close_matches(key.lower(), names, n=1, cutoff=0.6)
    if not close and names is not allowed:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    all_names = sorted(allowed)
    if not all_names:
        return "; there are none"
    if len(all_names) > 30:
        return ""
    return f"; expected one of: {', '.join(all_names)}"


# Where a problem with no node of its own is reported: line 1, column 1.
NOWHERE: Final[Node] = ScalarNode(NULL, "", Mark("", 0, 0, 0, None, 0))


class Anything(tuple[str, ...]):
    """An ``allowed`` collection that admits every key (foreign formats are read leniently)."""

    def __contains__(self, key: object) -> bool:
        return True


ANY = Anything()


FORMATS = (1, 2)  # 2 adds signposts (bears_on), support, confidence, excludes, given, acknowledge


def check_format(r: Reader, node: Node) -> None:
    v = r.number(node, "format")
    if v is not None and v not in FORMATS:
        r.err(node, f"format {v:g} is not supported; this riskcli reads formats 1 and 2")


def raise_if(r: Reader) -> None:
    if r.problems:
        problems = list(r.problems)
        if r.more:
            last = problems[-1]
            problems.append(Problem(last.file, last.line, last.col, f"… and {r.more} more problems"))
        raise RegisterError(problems)
