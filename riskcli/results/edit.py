"""add and set: change a register file in place, validated by riskcli's own loader before an
atomic replace. The register's levels and beliefs are its baseline; nothing here touches the
journal (an analyst's judgement of the current state is ``score`` or ``assume``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from riskcli import scoring
from riskcli.files import atomic_write_text, edit_lock
from riskcli.model import (
    Confidence,
    OperationalError,
    Progress,
    Register,
    RegisterError,
    Risk,
    Rules,
    Span,
    Status,
    Strategy,
    Unassessed,
    UserError,
)
from riskcli.register import edit as editing
from riskcli.register.kinds import UNASSESSED
from riskcli.register.sections import load_text
from riskcli.register.walker import ID_PATTERN
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import load
from riskcli.results.shapes.common import Understood
from riskcli.results.shapes.edit import AddResult, Baseline, ItemKind, SetResult
from riskcli.rules import Parsed, parse_belief, parse_level


class Field(Enum):
    """How a field's value is read."""

    TEXT = "text"
    LEVEL = "level"
    BELIEF = "belief"
    CONFIDENCE = "confidence"
    SUPPORT = "support"
    DAYS = "days"
    DATE = "date"
    STATUS = "status"
    PROGRESS = "progress"
    STRATEGY = "strategy"
    BAND = "band"


# What ``set`` may change, by kind (ids, lists and links are edited in the file itself).
SETTABLE: dict[ItemKind, dict[str, Field]] = {
    ItemKind.RISK: {
        "title": Field.TEXT,
        "likelihood": Field.LEVEL,
        "impact": Field.LEVEL,
        "confidence": Field.CONFIDENCE,
        "category": Field.TEXT,
        "owner": Field.TEXT,
        "description": Field.TEXT,
        "rationale": Field.TEXT,
        "evidence": Field.TEXT,
        "status": Field.STATUS,
        "treatment": Field.STRATEGY,
        "review_every": Field.DAYS,
        "review_by": Field.DATE,
        "acceptance.by": Field.TEXT,
        "acceptance.date": Field.DATE,
        "acceptance.until": Field.DATE,
        "acceptance.why": Field.TEXT,
        "by": Field.DATE,
        "within": Field.TEXT,
    },
    ItemKind.ASSUMPTION: {
        "statement": Field.TEXT,
        "belief": Field.BELIEF,
        "support": Field.SUPPORT,
        "rationale": Field.TEXT,
        "evidence": Field.TEXT,
        "by": Field.DATE,
        "within": Field.TEXT,
    },
    ItemKind.INDICATOR: {
        "title": Field.TEXT,
        "watch": Field.TEXT,
        "rationale": Field.TEXT,
        "evidence": Field.TEXT,
        "review_every": Field.DAYS,
    },
    ItemKind.RESPONSE: {
        "title": Field.TEXT,
        "description": Field.TEXT,
        "rationale": Field.TEXT,
        "evidence": Field.TEXT,
        "owner": Field.TEXT,
        "due": Field.DATE,
        "status": Field.PROGRESS,
        "target": Field.BAND,
    },
}
PREFIX = {ItemKind.RISK: "R", ItemKind.ASSUMPTION: "A", ItemKind.INDICATOR: "I", ItemKind.RESPONSE: "M"}

# Values given to add: text (or None when not given), or the repeatable options' lists.
Given = Mapping[str, str | Sequence[str] | None]


def add(req: Request, kind: ItemKind, given: Given, item_id: str | None) -> tuple[AddResult, Register]:
    """Add an item to the register file given with --register, and the register it makes (for the view)."""
    path = _target(req, f"add {kind.value}")
    with edit_lock(path):  # read, edit, validate and replace with no other edit in between
        return _add(req, path, kind, given, item_id)


def _add(req: Request, path: Path, kind: ItemKind, given: Given, item_id: str | None) -> tuple[AddResult, Register]:
    reg = load(req)
    before = editing.read(path, str(path))
    items = _items(reg, kind)
    taken = [x.id for x in items]
    assigned = item_id is None
    if item_id is None:
        item_id = editing.next_id(taken, PREFIX[kind])
    else:
        item_id = item_id.strip()
        if not ID_PATTERN.fullmatch(item_id):
            raise UserError(f"--id {item_id!r} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
        if item_id in taken:
            raise UserError(f"{kind.value} {item_id} is already in {path}; give another --id, or none to be given one")
    values: dict[str, Any] = {"id": item_id}
    understood: list[Understood] = []
    for key, raw in given.items():
        if raw is None or (not isinstance(raw, str) and not raw):
            continue
        if isinstance(raw, str):
            value, parsed = _value(reg.rules, kind, key, raw)
            values[key] = value
            if parsed is not None:
                understood.append(convert.understood(key, parsed))
        elif key == "actors":
            values[key] = [_ident(x, "--actor") for x in raw]
        else:
            values[key] = [_compound(key, x) for x in raw]
    edited = editing.add(before.text, editing.SECTIONS[kind.value], values, [x.line for x in items])
    new = _validated(req, path, edited.text, f"{kind.value} {item_id}", "not added")
    _write(path, before, edited.text)
    baseline = None
    if kind is ItemKind.RISK:
        risk = new.risk_by_id[item_id]
        baseline = convert.score(scoring.score_risk(new, risk, scoring.baseline_state(new)))
    result = AddResult(
        register=convert.register_info(new),
        kind=kind,
        id=item_id,
        assigned=assigned,
        line=edited.line,
        understood=tuple(understood),
        baseline=baseline,
    )
    return result, new


def set_field(req: Request, ident: str, field: str, raw: str) -> tuple[SetResult, Register]:
    """Set one field of an item in the register file given with --register, and the register it
    leaves (for the view)."""
    path = _target(req, "set")
    with edit_lock(path):  # read, edit, validate and replace with no other edit in between
        return _set_field(req, path, ident, field, raw)


def _set_field(req: Request, path: Path, ident: str, field: str, raw: str) -> tuple[SetResult, Register]:
    reg = load(req)
    kind, item = _locate(reg, ident)
    key = field.strip().lower().replace("-", "_")
    fields = SETTABLE[kind]
    if key not in fields:
        raise UserError(_not_settable(kind, item.id, key, fields))
    value, parsed = _value(reg.rules, kind, key, raw)
    old = _model_value(_current(item, key))
    understood = convert.understood(key, parsed) if parsed is not None else None
    meaning = parsed.value if parsed is not None else value
    if old is not None and old == meaning:
        result = SetResult(
            register=convert.register_info(reg),
            kind=kind,
            id=item.id,
            field=key,
            from_=old,
            to=old,
            changed=False,
            line=item.line,
            understood=understood,
            baseline=None,
        )
        return result, reg
    before = editing.read(path, str(path))
    lines = [x.line for x in _items(reg, kind)]
    at = lines.index(item.line)
    top, written = _written_value(item, key, value)
    edited = editing.set_field(
        before.text,
        editing.SECTIONS[kind.value],
        item.id,
        top,
        written,
        lines[at : at + 2],
        _import_note(reg, kind, key, old),
    )
    new = _validated(req, path, edited.text, f"{kind.value} {item.id}", "not changed")
    _write(path, before, edited.text)
    baseline = None
    after = new.risk_by_id.get(item.id)
    if kind is ItemKind.RISK and key in ("likelihood", "impact") and after is not None:
        baseline = Baseline(  # a risk not yet assessed had none: both its levels are given now
            convert.score(scoring.score_risk(reg, item, scoring.baseline_state(reg)))
            if isinstance(item, Risk)
            else None,
            convert.score(scoring.score_risk(new, after, scoring.baseline_state(new))),
        )
    if old is None and isinstance(item, Unassessed) and key in ("likelihood", "impact"):
        old = UNASSESSED  # as the register writes it
    result = SetResult(
        register=convert.register_info(new),
        kind=kind,
        id=item.id,
        field=key,
        from_=old,
        to=_or(_model_value(_current(_items_by_id(new, kind)[item.id], key)), value),
        changed=True,
        line=edited.line,
        understood=understood,
        baseline=baseline,
    )
    return result, new


def assess(req: Request, ident: str, likelihood: str, impact: str) -> Register:
    """A risk not yet assessed given both its levels in the register file given with --register —
    its baseline, as ``set`` writes them: how ``score`` decides them — and the register it leaves."""
    path = _target(req, "score")
    with edit_lock(path):  # both levels with no other edit in between
        _set_field(req, path, ident, "likelihood", likelihood)
        return _set_field(req, path, ident, "impact", impact)[1]


def _current(item: Any, key: str) -> Any:
    """A field's value in the model: ``treatment`` is its strategy, ``acceptance.until`` a part of
    the acceptance."""
    if key == "treatment":
        return item.treatment.strategy if item.treatment is not None else None
    if key.startswith("acceptance."):
        part = key.split(".", 1)[1]
        return getattr(item.acceptance, "on" if part == "date" else part) if item.acceptance is not None else None
    return getattr(item, key)


def _written_value(item: Any, key: str, value: str | int | float) -> tuple[str, Any]:
    """The key of the item to write and its value: a part of the acceptance is written as the whole
    acceptance with it changed; a treatment keeps the responses it names."""
    if key == "treatment" and item.treatment is not None and item.treatment.responses:
        return key, {"strategy": value, "with": list(item.treatment.responses)}
    if key.startswith("acceptance."):
        part = key.split(".", 1)[1]
        acc = item.acceptance
        now = {}
        if acc is not None:
            now = {"by": acc.by, "date": acc.on, "until": acc.until, "why": acc.why, "band": acc.band}
        now[part] = value
        return "acceptance", {k: v for k, v in now.items() if v != ""}
    return key, value


def _import_note(reg: Register, kind: ItemKind, key: str, old: object) -> Callable[[str], bool] | None:
    """For a risk's level: whether a ``# from '…'`` comment beside it is import's note, i.e. says
    what reads as the old level (``# from 'likely'`` beside 4, ``# from 'TBD'`` beside
    ``unassessed``); a comment of the analyst's own stays."""
    if kind is not ItemKind.RISK or key not in ("likelihood", "impact"):
        return None
    scale = reg.rules.likelihood if key == "likelihood" else reg.rules.impact

    def explains_old(said: str) -> bool:
        if old is None:  # not yet assessed: the words import read as such
            from riskcli.results.importing.levels import unassessed

            return unassessed(said)
        try:
            return parse_level(scale, reg.rules.words, said).value == old
        except UserError:
            return False

    return explains_old


# --------------------------------------------------------------------------- the file


def _target(req: Request, command: str) -> Path:
    req.refuse_hypothetical(command, records=False)
    if req.register is None:
        raise UserError(
            f"{command} changes a register file, and the embedded register is read-only: start your own "
            "with 'riskcli init mine.yaml', then give it with --register mine.yaml (or RISKCLI_REGISTER)"
        )
    return req.register


def _validated(req: Request, path: Path, text: str, what: str, undone: str) -> Register:
    """The register the edit makes, read by riskcli's loader; a problem means nothing is written."""
    try:
        return load_text(text, str(path), req.rules)
    except RegisterError as e:
        first = e.problems[0].message if e.problems else str(e)
        first = first.removeprefix(f"{what}: ")
        more = len(e.problems) - 1
        also = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise UserError(f"{what} {undone}: {first}{also}; {path} is unchanged") from None


def _write(path: Path, before: editing.Text, text: str) -> None:
    """Replace the file atomically (keeping its mode), unless it changed since it was read."""
    if editing.read(path, str(path)) != before:
        raise OperationalError(f"{path} changed while riskcli was editing it; nothing was written (try again)")
    target = path.resolve() if path.is_symlink() else path  # a link to the register stays a link
    atomic_write_text(target, editing.Text(text, before.bom).written, overwrite=True)


# --------------------------------------------------------------------------- items


def _items(reg: Register, kind: ItemKind) -> Sequence[Any]:
    """The items of a kind in the order the file gives them (the risks with those not yet assessed)."""
    items: dict[ItemKind, Sequence[Any]] = {
        ItemKind.RISK: _risks(reg),
        ItemKind.ASSUMPTION: reg.assumptions,
        ItemKind.INDICATOR: reg.indicators,
        ItemKind.RESPONSE: reg.responses,
    }
    return items[kind]


def _risks(reg: Register) -> Sequence[Risk | Unassessed]:
    if not reg.unassessed:
        return reg.risks
    return sorted((*reg.risks, *reg.unassessed), key=lambda r: r.line)


def _items_by_id(reg: Register, kind: ItemKind) -> dict[str, Any]:
    return {x.id: x for x in _items(reg, kind)}


def _locate(reg: Register, ident: str) -> tuple[ItemKind, Any]:
    """The risk, assumption, indicator or response with this id (exact, else ignoring case)."""
    found = [(k, x) for k in ItemKind for x in [scoring.find(_items(reg, k), ident)] if x is not None]
    exact = [(k, x) for k, x in found if x.id == ident]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    if found:
        kinds = " and ".join(f"{k.value} {x.id}" for k, x in found)
        raise UserError(f"{ident!r} names {kinds}; give ids that differ to edit one with set")
    known = [x.id for k in ItemKind for x in _items(reg, k)]
    raise convert.unknown("risk, assumption, indicator or response", ident, known)


def _not_settable(kind: ItemKind, ident: str, key: str, fields: Mapping[str, Field]) -> str:
    why = {
        "id": "an id is what the journal and other items refer to; rename it in your editor",
        "drivers": "edit drivers in your editor",
        "actors": "edit actors in your editor",
        "effects": "edit effects in your editor",
        "side_effects": "edit side effects in your editor",
        "bears_on": "edit bears_on in your editor",
    }.get(key)
    names = ", ".join(fields)
    return f"{kind.value} {ident}: cannot set {key!r}" + (f" ({why})" if why else "") + f"; set one of: {names}"


def _or(v: str | int | float | None, other: str | int | float) -> str | int | float:
    return other if v is None else v


def _model_value(v: Any) -> str | int | float | None:
    if isinstance(v, Enum):
        return str(v.value)
    if v is None or v == "":
        return None
    if isinstance(v, Span):  # a horizon's span, as it is written
        return str(v)
    assert isinstance(v, (str, int, float))
    return v


# --------------------------------------------------------------------------- values


_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+\.\d*|\.\d+)")


def _written(said: str) -> str | int | float:
    """What an analyst typed, as it is written into the register: a number as a number, anything
    else (a level name, a phrase, a percentage) as the words typed."""
    s = said.strip()
    if _INT.fullmatch(s):
        return int(s)
    if _FLOAT.fullmatch(s):
        return float(s)
    return s


def _value(rules: Rules, kind: ItemKind, key: str, raw: str) -> tuple[str | int | float, Parsed | None]:
    """A field's value as written into the register, and how a level or belief was understood."""
    how = SETTABLE[kind].get(key, Field.TEXT)
    said = raw.strip()
    if how is Field.LEVEL:
        scale = rules.likelihood if key == "likelihood" else rules.impact
        parsed = parse_level(scale, rules.words, said)
        return _written(said), parsed
    if how is Field.BELIEF:
        parsed = parse_belief(rules.words, said)
        return _written(said), parsed
    if not said:
        raise UserError(f"{key}: give a value (riskcli does not remove fields; delete one in your editor)")
    if how is Field.CONFIDENCE:
        try:
            return Confidence(said.lower()).value, None
        except ValueError:
            raise UserError(f"confidence {said!r} is not low, moderate or high (ICD 203)") from None
    if how is Field.SUPPORT:
        labels = [label for label, _ in rules.words.labels]
        if said.lower() not in labels:
            raise UserError(f"support {said!r} is not one of {', '.join(labels)}")
        return said.lower(), None
    if how is Field.STATUS:
        return _choice(key, said, [x.value for x in Status]), None
    if how is Field.PROGRESS:
        word = " ".join(said.lower().replace("-", " ").replace("_", " ").split())
        return _choice(key, word, [x.value for x in Progress]), None
    if how is Field.STRATEGY:
        return _choice(key, said, [x.value for x in Strategy]), None
    if how is Field.DATE:
        try:
            if len(said) != 10:
                raise ValueError
            return date.fromisoformat(said).isoformat(), None
        except ValueError:
            raise UserError(f"{key} {said!r} is not a date; give YYYY-MM-DD, e.g. 2026-06-30") from None
    if how is Field.BAND:
        key_ = " ".join(said.split()).lower()
        for b in rules.rating.bands:
            if key_ in (b.id.lower(), " ".join(b.name.split()).lower(), *(a.lower() for a in b.aliases)):
                return b.id, None
        raise UserError(
            f"{key} {said!r} is not a rating band; give one of {', '.join(b.id for b in rules.rating.bands)}"
        )
    if how is Field.DAYS:
        if not said.isascii() or not said.isdigit() or not 1 <= int(said) <= 36500:
            raise UserError(f"{key} {said!r}: give a whole number of days from 1 to 36500")
        return int(said), None
    return raw, None  # text as typed: its spaces and line breaks are the analyst's


def _choice(key: str, said: str, words: list[str]) -> str:
    word = said.strip().lower()
    if word not in words:
        raise UserError(f"{key} {said!r} is not one of {', '.join(words)}")
    return word


_TERM = re.compile(r"\s*([LIli]?)\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+))\s*")


def _number(text: str) -> int | float:
    return int(text) if _INT.fullmatch(text.strip()) else float(text)


def _shift(text: str, what: str, example: str) -> dict[str, int | float]:
    """``L+1,I-1`` (or ``+1``: likelihood) as a shift mapping."""
    out: dict[str, int | float] = {}
    for part in text.split(","):
        m = _TERM.fullmatch(part)
        if m is None:
            raise UserError(
                f"{what}: {part.strip()!r} is not a shift; give steps such as +1, L-1 or I+0.5 (e.g. {example})"
            )
        axis = "impact" if m.group(1).lower() == "i" else "likelihood"
        if axis in out:
            raise UserError(f"{what}: {axis} is given twice")
        out[axis] = _number(m.group(2))
    return out


def _compound(key: str, spec: str) -> dict[str, Any]:
    """A driver, signpost ratio or effect from its option text."""
    if key == "drivers":
        return _driver(spec)
    if key == "bears_on":
        return _bearing(spec)
    return _effect(key, spec)


def _ident(text: str, option: str) -> str:
    ident = text.strip()
    if not ID_PATTERN.fullmatch(ident):
        raise UserError(f"{option} {text!r} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
    return ident


def _split(spec: str, option: str, example: str) -> tuple[str, str]:
    ident, sep, rest = spec.strip().rpartition(":")
    if not sep or not ident.strip() or not rest.strip():
        raise UserError(f"{option} {spec!r}: give {example}")
    ident = ident.strip()
    if not ID_PATTERN.fullmatch(ident):
        raise UserError(f"{option} {spec!r}: {ident!r} is not a valid id")
    return ident, rest


def _driver(spec: str) -> dict[str, Any]:
    example = "ASSUMPTION:IF_HOLDS/IF_FAILS, e.g. A2:+1/-1 (likelihood steps) or A2:L+1,I+1/L-1"
    aid, rest = _split(spec, "--driver", example)
    holds_text, slash, fails_text = rest.partition("/")
    if not slash:
        raise UserError(f"--driver {spec!r}: give {example}")
    out: dict[str, Any] = {"assumption": aid}
    holds = _shift(holds_text, f"--driver {spec!r}", "A2:+1/-1") if holds_text.strip() else {}
    fails = _shift(fails_text, f"--driver {spec!r}", "A2:+1/-1") if fails_text.strip() else {}
    if holds:
        out["if_holds"] = holds
    if fails:
        out["if_fails"] = fails
    if not holds and not fails:
        raise UserError(f"--driver {spec!r}: give {example}")
    return out


def _bearing(spec: str) -> dict[str, Any]:
    example = "ASSUMPTION:SEEN[/ABSENT] likelihood ratios, e.g. A9:3/0.7"
    aid, rest = _split(spec, "--bears-on", example)
    seen_text, slash, absent_text = rest.partition("/")
    out: dict[str, Any] = {"assumption": aid}
    for key, text in (("seen", seen_text), ("absent", absent_text)):
        if key == "absent" and not slash:
            continue
        try:
            out[key] = _number(text)
        except ValueError:
            raise UserError(f"--bears-on {spec!r}: {text.strip()!r} is not a number; give {example}") from None
    return out


def _effect(key: str, spec: str) -> dict[str, Any]:
    option = "--side-effect" if key == "side_effects" else "--effect"
    example = "RISK:SHIFT, e.g. R3:L-1 or R3:L-1,I-1 (steps of likelihood and impact)"
    rid, rest = _split(spec, option, example)
    return {"risk": rid, **_shift(rest, f"{option} {spec!r}", "R3:L-1")}
