"""What people write in a likelihood or impact cell, read as a level.

A cell may hold a level number, a level name of the scale (or one of its other names), an ICD 203
phrase or a probability (on a scale with probability bands), a number and a name together
(``3 - Possible``, ``Possible (3)``), a word of a verbal scale (``Very low`` … ``Very high``, or
``Low``/``Medium``/``High``), or nothing yet: ``N/A``, ``TBD``, ``-`` or an empty cell mark a risk
not yet assessed. ``--value "likelihood:Medium=3"`` reads a value as the user says.

Each axis is planned once over all its cells (of every assessment in the sheet), so that the scale
is one for the register: the sheet's own level names (learned from ``3 - Possible``) or a verbal
scale become the register's scale, unless ``--rules`` imposes one.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import field

from riskcli.model import Level, Scale, UserError, Words
from riskcli.records import frozen, mutable
from riskcli.register.workbook import Value
from riskcli.results.importing.table import text
from riskcli.rules import Via, normalise, parse_level

# A cell that says "not assessed yet" (compared lower-cased, spaces and dots aside).
UNASSESSED_WORDS = frozenset(
    {
        "", "n/a", "na", "n a", "n.a", "n.a.", "tbd", "tbc", "t.b.d.", "t.b.c.", "-", "--", "–", "—", "?", "??",
        "unknown", "not assessed", "unassessed", "not yet assessed", "pending", "to be assessed",
        "to be determined", "to be confirmed", "not rated", "unrated",
    }
)  # fmt: skip
UNASSESSED = "unassessed"  # what --value maps a value to, to mark it not assessed

_NUM_NAME = re.compile(r"(\d{1,2})\s*(?:[-–—:.)=]\s*|\s+)([^\d\s%].*)", re.S)  # 3 - Possible, 3. Possible
_NAME_NUM = re.compile(r"([^\d\s].*?)\s*(?:[(\[]\s*(\d{1,2})\s*[)\]]|[-–—:=]\s*(\d{1,2}))", re.S)  # Possible (3)

# Verbal scales, smallest first: (name, the words that say it).
_LOW = ("Low", ("low", "l", "lo"))
_MEDIUM = ("Medium", ("medium", "med", "moderate", "mod", "m", "mid"))
_HIGH = ("High", ("high", "h", "hi"))
VERBAL: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = (
    (_LOW, _MEDIUM, _HIGH),
    (("Very low", ("very low", "vl")), _LOW, _MEDIUM, _HIGH, ("Very high", ("very high", "vh"))),
)


@frozen
class Reading:
    """A cell read: its level (None: not assessed), and what it said when that was not a number."""

    level: int | None
    said: str | None = None  # the cell's words, kept beside the level in the register
    error: str | None = None


@mutable
class Plan:
    """How an axis is read: its scale, and where the scale came from."""

    axis: str
    scale: Scale
    source: str  # "rules" (the base scale), "named" (the sheet's own names), "verbal", "numbered"
    names: dict[int, str] = field(default_factory=dict)  # level → the name the sheet gives it
    conflicts: dict[str, str] = field(default_factory=dict)  # a cell's text → why it cannot be read
    hint: str = ""  # said after a word the scale does not read


# --------------------------------------------------------------------------- --value


def parse_values(given: Iterable[str]) -> dict[str | None, dict[str, str]]:
    """``--value "likelihood:Medium=3"`` (repeatable; without ``AXIS:`` for both axes; ``=unassessed``
    marks a value not assessed) as axis → {the value, normalised → what it means}."""
    out: dict[str | None, dict[str, str]] = {}
    for item in given:
        head, sep, target = item.rpartition("=")
        axis: str | None = None
        value = head
        a, colon, rest = head.partition(":")
        if colon and a.strip().lower() in ("likelihood", "impact"):
            axis, value = a.strip().lower(), rest
        if not sep or not value.strip() or not target.strip():
            raise UserError(
                f"--value {item!r}: give [likelihood:|impact:]VALUE=LEVEL, e.g. --value 'likelihood:Medium=3' "
                "(LEVEL a number, a level name or 'unassessed')"
            )
        out.setdefault(axis, {})[_key(value)] = target.strip()
    return out


def _key(value: str) -> str:
    return " ".join(value.strip().lower().split())


# --------------------------------------------------------------------------- planning an axis


def _is_number(v: Value) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    return isinstance(v, str) and bool(re.fullmatch(r"\s*[+-]?\d+(\.\d+)?\s*", v))


def _combo(s: str) -> tuple[int, str] | None:
    """``3 - Possible`` or ``Possible (3)`` as (3, "Possible")."""
    m = _NUM_NAME.fullmatch(s)
    if m is not None:
        return int(m.group(1)), m.group(2).strip()
    m = _NAME_NUM.fullmatch(s)
    if m is not None:
        return int(m.group(2) or m.group(3)), m.group(1).strip()
    return None


def unassessed(s: str) -> bool:
    return _key(s).strip(".") in UNASSESSED_WORDS or _key(s) in UNASSESSED_WORDS


def plan(
    axis: str,
    values: Sequence[Value],
    base: Scale,
    words: Words,
    maps: dict[str, str],
    *,
    imposed: bool,
    size: int | None = None,
) -> Plan:
    """The scale an axis is read on: ``base`` (the rules'), or — unless the rules are ``imposed`` —
    the sheet's own level names or the verbal scale its words belong to; ``size``: the number of
    levels its header gives (``Likelihood (1-4)``)."""
    names: dict[int, set[str]] = {}
    numbers: list[int] = []
    words_seen: list[str] = []
    combos: list[str] = []  # the cells that number a name, as written
    for v in values:
        if _is_number(v):
            x = float(str(v).strip()) if isinstance(v, str) else float(v)  # type: ignore[arg-type]
            if x == int(x):
                numbers.append(int(x))
            continue
        s = text(v)
        if _key(s) in maps or unassessed(s) or s.endswith("%"):
            continue
        c = _combo(s)
        if c is not None:
            numbers.append(c[0])
            names.setdefault(c[0], set()).add(c[1])
            combos.append(s)
            continue
        words_seen.append(s)
    out = Plan(axis, base, "rules")
    if imposed:
        return out
    if size is not None and size != base.size:
        base = Scale(axis, tuple(Level(i, f"Level {i}") for i in range(1, size + 1)))
        out.scale, out.source = base, "numbered"
    top = max(numbers, default=0)
    if names:
        out.scale, out.names, out.conflicts = _named(axis, base, names, exact=size is not None)
        if out.scale != base:
            out.source = "named"
        if any(not _parses(out.scale, words, s) for s in words_seen):
            # words beside the numbered names: the verbal scale of the same size, the names its aliases
            verbal = _verbal(axis, words_seen, 0, size=out.scale.size)
            if verbal is not None:
                out.scale, out.source = _aliased(verbal, out.names), "verbal"
            else:
                c = _combo(combos[0])
                to = str(c[0]) if c is not None and c[0] <= len(VERBAL[-1]) else "LEVEL"
                out.hint = (
                    f" (the column's numbered names such as {combos[0]!r} give its scale; to read its words"
                    f" as a verbal scale, map those with --value '{axis}:{combos[0]}={to}')"
                )
        return out
    failing = [s for s in dict.fromkeys(words_seen) if not _parses(base, words, s)]
    if not failing:
        return out
    verbal = _verbal(axis, words_seen, top)
    if verbal is not None and (size is None or size == verbal.size):
        out.scale, out.source = verbal, "verbal"
    return out


_RANGE = re.compile(r"[(\[]\s*1\s*(?:-|–|—|to)\s*(\d{1,2})\s*[)\]]", re.I)


def size_of(header: str) -> int | None:
    """The number of levels a header gives: ``Likelihood (1-4)`` → 4 (2 to 12)."""
    m = _RANGE.search(header)
    return int(m.group(1)) if m is not None and 2 <= int(m.group(1)) <= 12 else None


def _parses(scale: Scale, words: Words, s: str) -> bool:
    try:
        parse_level(scale, words, s)
    except UserError:
        return False
    return True


def _named(
    axis: str, base: Scale, seen: dict[int, set[str]], *, exact: bool = False
) -> tuple[Scale, dict[int, str], dict[str, str]]:
    """The base scale with the levels the sheet names renamed (``3 - Credible``: level 3 is
    Credible), its old names kept as other names where free; a number named two ways, or a name
    given two numbers, is a conflict and renames nothing. The numbered names give the scale's
    size: a bare number beyond them is out of range, not a level of its own."""
    conflicts: dict[str, str] = {}
    numbers: dict[str, set[int]] = {}
    for n, written in seen.items():
        for x in written:
            numbers.setdefault(normalise(x), set()).add(n)
    names: dict[int, str] = {}
    for n in sorted(seen):
        spellings = sorted(seen[n], key=lambda x: (normalise(x), x))
        if len({normalise(x) for x in spellings}) > 1:
            for x in spellings:
                conflicts[normalise(x)] = f"level {n} is named both {' and '.join(repr(y) for y in spellings)}"
            continue
        name = spellings[0]
        if len(numbers[normalise(name)]) > 1:
            given = " and ".join(str(k) for k in sorted(numbers[normalise(name)]))
            conflicts[normalise(name)] = f"{name!r} is given as level {given}"
            continue
        names[n] = name
    size = max(base.size, max(seen)) if not exact else base.size
    if size > 12 or not names:
        return base, names, conflicts
    learned = {normalise(x) for x in names.values()}
    keep_bands = size == base.size and base.has_bands
    levels = []
    for i in range(1, size + 1):
        old = base.levels[i - 1] if i <= base.size else None
        if old is not None and i in names and normalise(names[i]) == normalise(old.name):
            # the sheet names it as the scale does (a stretched scale has no bands: none of them)
            levels.append(old if keep_bands else dataclasses.replace(old, low=None, high=None))
            continue
        if i in names:
            name, description = names[i], ""
            # its old names still say it, unless the sheet gives one of them to another level
            aliases = tuple(a for a in ((old.name, *old.aliases) if old else ()) if normalise(a) not in learned)
        else:
            free = old is not None and normalise(old.name) not in learned
            name = old.name if old is not None and free else f"Level {i}"
            description = old.description if old is not None else ""
            aliases = tuple(a for a in (old.aliases if old else ()) if normalise(a) not in learned)
        low = old.low if keep_bands and old is not None else None
        high = old.high if keep_bands and old is not None else None
        levels.append(Level(i, name, description, low, high, aliases))
    return Scale(axis, tuple(levels)), names, conflicts


def _verbal(axis: str, seen: Sequence[str], top: int, *, size: int | None = None) -> Scale | None:
    """The smallest verbal scale (of ``size`` levels, if given) whose words say most of ``seen``
    (the others are then reported, read on it) and that holds the numbers up to ``top``; its names
    are the scale's, the other words seen that say a level its aliases."""
    keys = [_key(s) for s in seen]
    for scale in VERBAL:
        if top > len(scale) or size not in (None, len(scale)):
            continue
        said = {w for _, ws in scale for w in ws}
        if sum(1 for k in keys if k in said) * 2 <= len(keys):
            continue
        if len(scale) == 3 and any(k in _VERY for k in keys):
            continue
        levels = []
        for i, (name, ws) in enumerate(scale, start=1):
            unique: dict[str, str] = {}
            for s in sorted((s for s in seen if _key(s) in ws and _key(s) != name.lower()), key=_key):
                unique.setdefault(_key(s), s)
            levels.append(Level(i, name, "", aliases=tuple(unique.values())))
        return Scale(axis, tuple(levels))
    return None


def _aliased(scale: Scale, names: dict[int, str]) -> Scale:
    """``scale`` with each name the sheet numbers (``3 - Possible``) an other name of its level,
    where no level has it already."""
    taken = {normalise(x) for lv in scale.levels for x in (lv.name, *lv.aliases)}
    levels = []
    for lv in scale.levels:
        name = names.get(lv.value)
        if name is not None and normalise(name) not in taken:
            lv = dataclasses.replace(lv, aliases=(*lv.aliases, name))
        levels.append(lv)
    return Scale(scale.kind, tuple(levels))


_VERY = frozenset(w for _, ws in VERBAL[1] for w in ws if w.startswith("very") or w in ("vl", "vh"))


# --------------------------------------------------------------------------- reading a cell


def read(value: Value, p: Plan, words: Words, maps: dict[str, str], *, decimal_comma: bool = False) -> Reading:
    """A level cell on its axis's plan: a level, not assessed (level None), or an error."""
    scale = p.scale
    raw: Value = text(value) if isinstance(value, str) or value is None else value
    s = text(value)
    if isinstance(raw, str):
        mapped = maps.get(_key(raw))
        if mapped is not None:
            if mapped.strip().lower() == UNASSESSED:
                return Reading(None, raw)
            try:
                return Reading(int(parse_level(scale, words, mapped).value), raw)
            except UserError as e:
                return Reading(None, error=f"--value {raw}={mapped}: {e}")
        if unassessed(raw):
            return Reading(None, raw or None)
        c = _combo(raw)
        said_name = normalise(c[1]) if c is not None else normalise(raw)
        if said_name in p.conflicts:
            return Reading(None, error=f"{p.axis} {raw!r}: {p.conflicts[said_name]}")
        if c is not None:
            return _combined(raw, c, p, words)
        if decimal_comma and re.fullmatch(r"-?[0-9]+,[0-9]+\s*%?", raw):
            try:
                parsed = parse_level(scale, words, raw.replace(",", "."))
            except UserError as e:
                return Reading(None, error=str(e).replace(repr(raw.replace(",", ".")), repr(raw), 1))
            return Reading(int(parsed.value), raw)
    try:
        parsed = parse_level(scale, words, raw)
    except UserError as e:
        return Reading(None, error=str(e) + (p.hint if isinstance(raw, str) and not _is_number(raw) else ""))
    return Reading(int(parsed.value), None if parsed.via is Via.LEVEL else s)


def _combined(raw: str, c: tuple[int, str], p: Plan, words: Words) -> Reading:
    """``3 - Possible``: level 3, unless the scale gives the name to another level."""
    n, name = c
    scale = p.scale
    if not 1 <= n <= scale.size:
        return Reading(None, error=f"{p.axis} {raw!r}: {n} is out of range; levels are 1–{scale.size}")
    key = normalise(name)
    for lv in scale.levels:
        if key in (normalise(lv.name), *(normalise(a) for a in lv.aliases)) and lv.value != n:
            return Reading(
                None,
                error=f"{p.axis} {raw!r}: level {n} is {scale.level(n).name} on the scale, and {name!r} is "
                f"level {lv.value}; say which with --value '{p.axis}:{raw}=LEVEL'",
            )
    return Reading(n, raw)


def scale_levels(scale: Scale) -> str:
    """``1 Low, 2 Medium, 3 High``: a scale for a report."""
    return ", ".join(f"{lv.value} {lv.name}" for lv in scale.levels)


__all__: Sequence[str] = ("Plan", "Reading", "parse_values", "plan", "read", "unassessed")
