"""What each column of a sheet holds, from its header: a risk field (id, title, owner, …), a
likelihood or an impact — inherent, current or residual — a rating, a score, a date, or something
else kept under each risk's ``extra``.

Headers are compared as words (case, spacing, punctuation and units in brackets aside): ``Risk
ID``, ``ref_id`` and ``#`` are ids; ``Likelihood (1-5)``, ``P`` and ``current_proba`` likelihoods;
``Inherent Risk`` and ``RAG`` ratings. ``--map FIELD=COLUMN`` names a column outright.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from enum import StrEnum

from riskcli.model import Status, Strategy, UserError
from riskcli.records import frozen, mutable
from riskcli.register.workbook import Value
from riskcli.results.importing.dates import is_date
from riskcli.results.importing.table import letter
from riskcli.results.importing.table import text as cell_text
from riskcli.results.shapes.transfer import (
    COMPUTED,
    EXTRA_PREFIX,
    INHERENT_COLUMNS,
    STATED_COLUMNS,
    UNROUNDED_COLUMNS,
    ColumnUse,
    ColumnView,
)


class Pair(StrEnum):
    """Which of a sheet's assessments a likelihood, impact or rating is: before any control,
    now (with the controls in place), or after the planned treatment."""

    INHERENT = "inherent"
    CURRENT = "current"
    RESIDUAL = "residual"


# The risk fields a column can fill, in the format's order.
FIELDS = (
    "id", "title", "description", "category", "actors", "owner", "status", "treatment", "review_by", "confidence",
    "rationale", "evidence",
)  # fmt: skip
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "ref id", "ref no", "no", "number", "#", "code", "key", "risk no", "risk number"),
    "title": (
        "title", "name", "risk", "risk name", "summary", "hazard", "threat", "subject", "issue", "issue title",
        "risk event", "event", "threat event", "risk title", "short description",
    ),
    "description": ("description", "desc", "details", "detail", "risk description", "issue description"),
    "category": ("category", "type", "theme", "area", "risk category", "risk type", "domain"),
    "actors": ("actors", "actor"),
    "owner": ("owner", "responsible", "assigned to", "owned by", "accountable", "risk owner", "lead"),
    "status": ("status", "risk status"),
    "treatment": (
        "treatment", "risk treatment", "treatment option", "treatment strategy", "treatment decision", "strategy",
        "response strategy", "risk response",
    ),
    "review_by": (
        "review by", "review date", "next review", "next review date", "review due", "review due date",
        "date of next review", "next review due",
    ),
    "confidence": ("confidence", "analytic confidence"),
    "rationale": ("rationale", "justification", "reasoning", "why"),
    "evidence": ("evidence", "source", "quote", "basis"),
}  # fmt: skip
_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_PREFIXES = ("risk", "the", "issue")  # "Risk ID", "Issue Title"
_SUFFIXES = ("level", "score", "rating", "value", "no", "nr")  # "Impact score", "Likelihood (1-5)"

# The words of a level's or a rating's header, after a pair's qualifier is taken off.
_AXES: dict[str, tuple[str, ...]] = {
    "likelihood": (
        "likelihood", "probability", "prob", "proba", "chance", "frequency", "l", "p", "lik", "occurrence",
        "likelihood of occurrence",
    ),
    "impact": ("impact", "consequence", "consequences", "severity", "i", "c", "imp", "sev", "gravity"),
}  # fmt: skip
_BY_AXIS = {w: axis for axis, words in _AXES.items() for w in words}
_RATING = (
    "rating", "rag", "rag status", "rag rating", "level", "risk", "risk rating", "risk level", "grade", "overall",
    "overall risk", "overall rating",
)  # fmt: skip
_SCORE = ("score", "risk score", "l x i", "lxi", "p x i", "pxi", "calculated risk", "risk value", "exposure")
_QUALIFIERS: dict[str, Pair] = {
    **dict.fromkeys(("inherent", "gross", "initial", "raw", "untreated", "unmitigated", "uncontrolled", "pre"), Pair.INHERENT),
    **dict.fromkeys(("current", "present", "actual", "now", "today"), Pair.CURRENT),
    **dict.fromkeys(("residual", "net", "target", "post", "treated", "mitigated", "controlled", "revised"), Pair.RESIDUAL),
}  # fmt: skip
_PHRASES = (  # qualifiers of two or more words, before the single words are read
    (re.compile(r"\b(before|without|prior to) (any )?(controls?|mitigations?|treatments?|measures?)\b"), "inherent"),
    (re.compile(r"\b(after|with) (the )?(controls?|mitigations?|treatments?|measures?)\b"), "residual"),
    (re.compile(r"\b(pre|post) (controls?|mitigations?|treatments?)\b"), None),
)
# "Likelihood of the risk", "Inherent risk assessment"; "stated": riskcli's export of a register's own levels
_FILLER = ("of", "the", "risk", "assessment", "stated")

# Columns sheets often have that riskcli keeps under extra: a header naming one helps find the header row.
_COMMON = (
    "status", "controls", "control", "existing controls", "treatment", "action", "actions", "mitigation",
    "response", "comments", "comment", "notes", "note", "trend", "due", "review", "date", "cause", "causes",
    "effect", "effects", "proximity", "appetite", "tolerance", "department", "function", "project", "objective",
    "remarks", "action owner", "response plan",
)  # fmt: skip
_PAST = re.compile(
    r"\b(date|dated|reviewed|updated|identified|raised|created|assessed|logged|opened|recorded|modified|as of)\b"
)
_FUTURE = re.compile(r"\b(due|next|target|deadline|expiry|expires|eta|planned|by|until|closure|close)\b|^review date$")


@frozen
class Role:
    """What a column holds: ``kind`` is field, level, rating, score or date; ``name`` the field or
    the axis (likelihood, impact); ``pair`` the assessment a level or rating belongs to (None: not
    said, which is the current one)."""

    kind: str
    name: str
    pair: Pair | None = None


def norm(header: str) -> str:
    """A header as words: lower case, units in brackets and punctuation gone (``#`` kept)."""
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", header.lower())
    s = re.sub(r"[^\w#]+|_", " ", s)
    return " ".join(s.split())


def classify(header: str) -> tuple[Role, int] | None:
    """What a header names, and how surely (0: exactly; 1: once a qualifier, prefix or suffix is off)."""
    key = norm(header)
    if not key:
        return None
    if key in _BY_ALIAS:
        return Role("field", _BY_ALIAS[key]), 0
    pair: Pair | None = None
    for pattern, name in _PHRASES:
        m = pattern.search(key)
        if m is not None:
            pair = Pair(name) if name else (Pair.INHERENT if m.group(1) == "pre" else Pair.RESIDUAL)
            key = (key[: m.start()] + " " + key[m.end() :]).strip()
    words = key.split()
    rest = []
    for w in words:
        if w in _QUALIFIERS and pair is None and len(words) > 1:
            pair = _QUALIFIERS[w]
        else:
            rest.append(w)
    plain = " ".join(rest)
    if pair is not None:
        core = " ".join(w for w in rest if w not in _FILLER) or "risk"
        if core in _BY_AXIS:
            return Role("level", _BY_AXIS[core], pair), 1
        stripped = _strip(core.split())
        if stripped in _BY_AXIS:
            return Role("level", _BY_AXIS[stripped], pair), 1
        if core in _RATING or plain in _RATING or stripped in _RATING:
            return Role("rating", "rating", pair), 1
        if core in _SCORE or plain in _SCORE or stripped in _SCORE:
            return Role("score", "score", pair), 1
    if plain in _BY_AXIS:
        return Role("level", _BY_AXIS[plain], pair), 0
    if plain in _RATING:
        return Role("rating", "rating", pair), 0
    if plain in _SCORE:
        return Role("score", "score", pair), 0
    stripped = _strip(rest)
    if stripped in _BY_ALIAS and pair is None:
        return Role("field", _BY_ALIAS[stripped]), 1
    if stripped in _BY_AXIS:
        return Role("level", _BY_AXIS[stripped], pair), 1
    if stripped in _RATING:
        return Role("rating", "rating", pair), 1
    if stripped in _SCORE:
        return Role("score", "score", pair), 1
    if _PAST.search(key) and not _FUTURE.search(key):
        return Role("date", "date"), 1
    return None


def _strip(words: Sequence[str]) -> str:
    out = list(words)
    while len(out) > 1 and out[0] in _PREFIXES:
        out = out[1:]
    while len(out) > 1 and (out[-1] in _SUFFIXES or out[-1].isdigit()):
        out = out[:-1]
    return " ".join(out)


def known(header: str) -> int:
    """How much a header looks like a column of a risk register: 2 a column riskcli reads, 1 a
    column such sheets have, 0 neither (for finding the header row)."""
    role = classify(header)
    if role is not None and role[0].kind in ("field", "level", "rating"):
        return 2
    key = norm(header)
    if role is not None or key in _COMMON or any(w in _COMMON for w in key.split()):
        return 1
    return 0


def merge(group: list[str], headers: list[str]) -> list[str] | None:
    """A header under a row of group labels (``Inherent risk`` over ``L``, ``I``, ``Rating``) read
    as one: each level, rating or score header under a label, or right of one with nothing between,
    takes it. None when the group row says no more than the header alone."""
    out = list(headers)
    label = ""
    changed = False
    for j in range(max(len(group), len(headers))):
        g = group[j] if j < len(group) else ""
        h = headers[j] if j < len(headers) else ""
        if g:
            label = g
        if not h:
            if g:
                out += [""] * (j + 1 - len(out))
                out[j] = g
                changed = True
            continue
        role = classify(h)
        if label and role is not None and role[0].kind in ("level", "rating", "score") and role[0].pair is None:
            out[j] = f"{label} {h}"
            changed = True
        elif role is None or role[0].kind not in ("level", "rating", "score"):
            label = g  # a field ends a group unless it sits under the label itself
    if not changed:
        return None
    before = {(r.kind, r.name, r.pair) for r in (_role(h) for h in headers) if r is not None}
    after = {(r.kind, r.name, r.pair) for r in (_role(h) for h in out) if r is not None}
    return out if len(after) > len(before) else None


def _role(header: str) -> Role | None:
    c = classify(header)
    return c[0] if c is not None else None


# --------------------------------------------------------------------------- --map

# What --map may name: the fields, and the levels and ratings of each assessment.
MAP_NAMES = (
    *FIELDS, "likelihood", "impact", "rating",
    *(f"{p} {a}" for p in ("inherent", "current", "residual") for a in ("likelihood", "impact", "rating")),
)  # fmt: skip


def parse_maps(given: Iterable[str]) -> dict[str, str]:
    """``--map likelihood=Prob,impact=Severity`` (repeatable) as name → column; a column name
    may hold commas, since a comma starts a new pair only before ``NAME=``."""
    out: dict[str, str] = {}
    names = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(MAP_NAMES, key=len, reverse=True))
    for text in given:
        for pair in re.split(rf",(?=\s*(?:{names})\s*=)", text, flags=re.I):
            if not pair.strip():
                continue
            name, sep, column = pair.partition("=")
            key = " ".join(name.strip().lower().split()).removeprefix("current ")
            if not sep:
                raise UserError(f"--map {pair.strip()!r}: give FIELD=COLUMN, e.g. --map likelihood=Prob")
            if key not in MAP_NAMES:
                raise UserError(
                    f"--map {pair.strip()!r}: unknown field {name.strip()!r}; the fields are: "
                    f"{', '.join(FIELDS)}, likelihood, impact, rating and inherent or residual likelihood, "
                    "impact or rating"
                )
            out[key] = column.strip()
    return out


# --------------------------------------------------------------------------- the columns


@mutable
class Columns:
    """Which column holds what: fields, each assessment's levels and rating, dates, and the rest
    kept under extra (with a view of every column for the report)."""

    field_at: dict[str, int] = field(default_factory=dict)  # field → column
    levels: dict[tuple[Pair, str], int] = field(default_factory=dict)  # (pair, axis) → column
    ratings: dict[Pair, int] = field(default_factory=dict)  # pair → column
    dates: list[int] = field(default_factory=list)  # columns of dates (kept under extra too)
    extra: dict[int, str] = field(default_factory=dict)  # column → key under extra
    views: list[ColumnView] = field(default_factory=list)
    primary: Pair = Pair.CURRENT  # the assessment that places a risk on the matrix
    title_from: str | None = None  # the field a title was taken from when no column is a title

    def level(self, pair: Pair, axis: str) -> int | None:
        return self.levels.get((pair, axis))


def _key(name: str) -> tuple[str, Pair | None, str]:
    """A --map name as (kind, pair, name): ("field", None, "owner"), ("level", CURRENT, "likelihood")."""
    words = name.split()
    if words[-1] in ("likelihood", "impact"):
        return "level", Pair(words[0]) if len(words) > 1 else Pair.CURRENT, words[-1]
    if words[-1] == "rating":
        return "rating", Pair(words[0]) if len(words) > 1 else Pair.CURRENT, "rating"
    return "field", None, name


def map_columns(
    source: str,
    headers: list[str],
    rows: Sequence[tuple[int, list[Value]]],
    maps: dict[str, str],
    *,
    said: Mapping[str, str] | None = None,
) -> Columns:
    """The columns read for each field; ``said[name]``: how the user named that map's column
    (``--rating-column Risk level``), when not with --map."""
    cols = Columns()
    chosen: dict[str, int] = {}  # map name → column
    for name, column in maps.items():
        if not column:
            continue  # NAME= : no column for it (nor a guess)
        at = find_column(headers, column)
        if at is None:
            listing = _listing(headers)
            option = (said or {}).get(name, f"--map {name}={column}")
            raise UserError(f"{option}: no column {column!r}; the columns are: {listing}")
        if at in chosen.values():
            other = next(k for k, v in chosen.items() if v == at)
            raise UserError(f"--map: column {headers[at]!r} is given for both {other} and {name}")
        chosen[name] = at
    mapped = set(chosen)
    keys = {norm(h) for h in headers}
    # riskcli's own export: its scores are not read back (its ratings are, as any sheet's)
    exported = all(c in keys for c in COMPUTED)
    not_read = [*(c for c in COMPUTED if c != "rating"), *UNROUNDED_COLUMNS]
    if exported and any(c in keys for c in STATED_COLUMNS):  # the register's own; the others computed
        not_read += INHERENT_COLUMNS
    guesses: dict[int, tuple[str, int]] = {}  # column → (map name, tier)
    also: dict[int, str] = {}  # column kept under extra → the field it looks like
    dates: list[int] = []
    for i, h in enumerate(headers):
        if i in chosen.values() or not h:
            continue
        if exported and norm(h) in not_read:
            continue
        c = classify(h)
        if c is None:
            continue
        role, tier = c
        if role.kind == "date":
            dates.append(i)
        elif role.kind == "field":
            if role.name == "status" and not _statuses(i, rows):
                also[i] = "status"  # a workflow's own states ("In progress"): text, kept under extra
                continue
            if role.name == "treatment" and not _any_strategy(i, rows):
                also[i] = "treatment"  # what is done, in words ("Install CCTV"): text, kept under extra
                continue
            if role.name == "review_by" and not _any_date(i, rows):
                also[i] = "review_by"  # a cadence in words ("Quarterly"): text, kept under extra
                continue
            guesses[i] = (role.name, tier)
        elif role.kind in ("level", "rating"):
            pair = role.pair or Pair.CURRENT
            name = role.name if pair is Pair.CURRENT else f"{pair} {role.name}"
            if role.kind == "level" and _prose(i, rows):
                continue  # "Consequence" as a sentence per risk: text, kept under extra
            guesses[i] = (name, tier - (1 if "stated" in norm(h).split() else 0))
    for name in MAP_NAMES:
        candidates = sorted((tier, i) for i, (n, tier) in guesses.items() if n == name)
        if name not in maps and candidates:
            chosen[name] = candidates[0][1]
            candidates = candidates[1:]
        for _, i in candidates:
            also[i] = name
    if "title" not in chosen and "title" not in maps:  # "Risk Description" and no title: it is the title
        for stand_in in ("description",):
            if stand_in in chosen:
                chosen["title"] = chosen.pop(stand_in)
                cols.title_from = stand_in
                break
    name_at = {i: name for name, i in chosen.items()}
    for name, i in chosen.items():
        kind, which, what = _key(name)
        if kind == "field":
            cols.field_at[what] = i
        elif kind == "level":
            assert which is not None
            cols.levels[(which, what)] = i
        else:
            assert which is not None
            cols.ratings[which] = i
    used_keys: set[str] = set()
    for i, h in enumerate(headers):
        col = letter(i)
        if i in name_at:
            name = name_at[i]
            use = ColumnUse.MAPPED if name in mapped else ColumnUse.GUESSED
            shown = "title" if name == "title" and cols.title_from else name
            cols.views.append(ColumnView(col, h, shown, use, None, False))
            continue
        if exported and norm(h) in not_read:
            cols.views.append(ColumnView(col, h, None, ColumnUse.COMPUTED, None, False))
            continue
        if not h and not any(i < len(cells) and cells[i] not in (None, "") for _, cells in rows):
            continue  # an empty column
        key = h.removeprefix(EXTRA_PREFIX) if h.startswith(EXTRA_PREFIX) and h != EXTRA_PREFIX else h
        key = key or f"column {col}"
        if key in used_keys:
            key = f"{key} ({col})"
        used_keys.add(key)
        cols.extra[i] = key
        if i in dates:
            cols.dates.append(i)
        cols.views.append(ColumnView(col, h, None, ColumnUse.EXTRA, also.get(i), i in dates))
    for pair in (Pair.CURRENT, Pair.RESIDUAL, Pair.INHERENT):
        if (pair, "likelihood") in cols.levels and (pair, "impact") in cols.levels:
            cols.primary = pair
            break
    else:
        have = {axis for _, axis in cols.levels}
        missing = [n for n in ("title", "likelihood", "impact") if n not in have and n not in cols.field_at]
        if not missing:  # a likelihood of one assessment and an impact of another
            missing = ["likelihood", "impact"]
        listing = _listing(headers)
        names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        example = ",".join(f"{m}=COLUMN" for m in missing)
        raise UserError(f"{source}: no column for {names} (the columns are: {listing}); name it with --map {example}")
    if "title" not in cols.field_at:
        listing = _listing(headers)
        raise UserError(f"{source}: no column for title (the columns are: {listing}); name it with --map title=COLUMN")
    return cols


def _prose(i: int, rows: Sequence[tuple[int, list[Value]]]) -> bool:
    """Whether a column holds sentences rather than levels: most of its cells are five words or more."""
    cells = [str(cells[i]).split() for _, cells in rows if i < len(cells) and cells[i] not in (None, "")]
    return bool(cells) and sum(1 for words in cells if len(words) >= 5) * 2 > len(cells)


def status_of(text: str) -> Status | None:
    """A status cell as riskcli reads it: open, treated, accepted, closed or retired, in any case."""
    try:
        return Status(text.strip().lower())
    except ValueError:
        return None


# A treatment as sheets write it (ISO 31000's four options, the "four Ts", ISO 27005's words).
_STRATEGIES: dict[str, Strategy] = {
    **dict.fromkeys(("avoid", "avoidance", "terminate", "termination", "eliminate"), Strategy.AVOID),
    **dict.fromkeys(("reduce", "reduction", "mitigate", "mitigation", "modify", "modification", "treat"), Strategy.REDUCE),
    **dict.fromkeys(("transfer", "share", "sharing", "insure", "insurance"), Strategy.TRANSFER),
    **dict.fromkeys(("accept", "acceptance", "tolerate", "retain", "retention"), Strategy.ACCEPT),
}  # fmt: skip


def strategy_of(text: str) -> Strategy | None:
    """A treatment cell as riskcli reads it: avoid, reduce, transfer or accept, or a usual synonym
    (mitigate, tolerate, retain, share, insure, terminate, …), in any case."""
    return _STRATEGIES.get(norm(text))


def _filled(i: int, rows: Sequence[tuple[int, list[Value]]]) -> list[str]:
    return [t for _, cells in rows if i < len(cells) and (t := cell_text(cells[i]))]


def _any_strategy(i: int, rows: Sequence[tuple[int, list[Value]]]) -> bool:
    """Whether a column says a treatment in one cell at least, or is empty (its other cells are
    then findings)."""
    cells = _filled(i, rows)
    return not cells or any(strategy_of(c) is not None for c in cells)


def _any_date(i: int, rows: Sequence[tuple[int, list[Value]]]) -> bool:
    """Whether a column holds a date in one cell at least, or is empty (its other cells are then
    findings)."""
    cells = _filled(i, rows)
    return not cells or any(is_date(c) for c in cells)


def _statuses(i: int, rows: Sequence[tuple[int, list[Value]]]) -> bool:
    """Whether every filled cell of a column is one of riskcli's statuses."""
    cells = [str(cells[i]) for _, cells in rows if i < len(cells) and str(cells[i] or "").strip()]
    return all(status_of(c) is not None for c in cells)


def find_column(headers: Sequence[str], column: str) -> int | None:
    for test in (
        lambda h: h == column,
        lambda h: h.strip().lower() == column.strip().lower(),
        lambda h: bool(norm(h)) and norm(h) == norm(column),
    ):
        found = [i for i, h in enumerate(headers) if test(h)]
        if found:
            return found[0]
    if re.fullmatch(r"[A-Za-z]{1,3}", column.strip()):
        for i in range(len(headers)):
            if letter(i) == column.strip().upper():
                return i
    return None


SHOWN_COLUMNS = 20  # the columns a message names (a sheet may have thousands)


def _listing(headers: Sequence[str]) -> str:
    """The sheet's named columns for a message: the first SHOWN_COLUMNS, each cut at 40 characters."""
    named = [h for h in headers if h]
    shown = ", ".join(repr(h if len(h) <= 40 else h[:39] + "…") for h in named[:SHOWN_COLUMNS])
    more = len(named) - SHOWN_COLUMNS
    return shown + (f", … and {more:,} more" if more > 0 else "") if named else "none"
