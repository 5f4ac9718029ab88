"""What changed between two versions of a register: the view for reviewing a change in git.

Pure functions over two ``Register`` objects. Values stay structured (numbers, shifts, ids);
the words are for ``render``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import field
from enum import StrEnum
from typing import TypeAlias, TypeVar

from riskcli.model import (
    Assumption,
    BeliefUpdate,
    Driver,
    Effect,
    Indicator,
    Register,
    Response,
    Risk,
    Scenario,
    Shift,
)
from riskcli.records import frozen, mutable
from riskcli.scoring import Scored, score_all

KINDS = ("risk", "assumption", "indicator", "response", "scenario")


@frozen(slots=True)
class DriverSpec:
    """A driver's two shifts: if its assumption holds, and if it fails."""

    if_holds: Shift
    if_fails: Shift


@frozen(slots=True)
class EffectSpec:
    risk: str
    shift: Shift
    note: str = ""


FieldValue: TypeAlias = (
    str | float | int | tuple[str, ...] | DriverSpec | tuple[EffectSpec, ...] | tuple[BeliefUpdate, ...] | None
)


@frozen(slots=True)
class FieldChange:
    """One field of an item that differs; ``key`` names the entry of a keyed field (a driver's
    assumption). ``None`` on one side: the entry is absent there."""

    field: str
    from_: FieldValue
    to: FieldValue
    key: str | None = None


@frozen(slots=True)
class Rescored:
    id: str
    title: str
    before: Scored
    after: Scored


@frozen(slots=True)
class Changed:
    """An item present in both versions whose fields differ."""

    kind: str  # risk, assumption, indicator, response, scenario
    id: str
    fields: tuple[FieldChange, ...]


@mutable
class RegisterDiff:
    added: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids
    removed: dict[str, list[str]] = field(default_factory=dict)
    rescored: list[Rescored] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (any(self.added.values()) or any(self.removed.values()) or self.rescored or self.changed)


def _text_fields(a: object, b: object, names: Sequence[str]) -> list[FieldChange]:
    out = []
    for name in names:
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            out.append(FieldChange(name, x, y))
    return out


def _driver(d: Driver | None) -> DriverSpec | None:
    return None if d is None else DriverSpec(d.if_holds, d.if_fails)


def _keyed(name: str, a: Mapping[str, FieldValue], b: Mapping[str, FieldValue]) -> list[FieldChange]:
    """The entries of a keyed field that differ, by key (absent on one side: ``None``)."""
    return [FieldChange(name, a.get(k), b.get(k), key=k) for k in sorted(a.keys() | b.keys()) if a.get(k) != b.get(k)]


def _notes(name: str, a: Mapping[str, str], b: Mapping[str, str]) -> list[FieldChange]:
    """Notes of entries on both sides that differ (an entry added or removed shows as such)."""
    return _keyed(name, {k: v for k, v in a.items() if k in b}, {k: v for k, v in b.items() if k in a})


def _risk_fields(a: Risk, b: Risk) -> list[FieldChange]:
    out = _text_fields(a, b, ("title", "category", "description", "rationale", "evidence", "owner"))
    if a.confidence != b.confidence:
        out.append(FieldChange("confidence", _value(a.confidence), _value(b.confidence)))
    if a.actors != b.actors:
        out.append(FieldChange("actors", a.actors, b.actors))
    da = {d.assumption: _driver(d) for d in a.drivers}
    db = {d.assumption: _driver(d) for d in b.drivers}
    out += _keyed("driver", da, db)
    out += _notes("driver.note", {d.assumption: d.note for d in a.drivers}, {d.assumption: d.note for d in b.drivers})
    out += _keyed("extra", dict(a.extra), dict(b.extra))
    out += _standing_fields(a, b)
    return out


def _standing_fields(a: Risk, b: Risk) -> list[FieldChange]:
    """The decisions a register holds about a risk: its status, treatment, reviews, acceptance."""
    out = []
    if a.status != b.status:
        out.append(FieldChange("status", _value(a.status), _value(b.status)))
    ta = (a.treatment.strategy.value, *a.treatment.responses) if a.treatment is not None else None
    tb = (b.treatment.strategy.value, *b.treatment.responses) if b.treatment is not None else None
    if ta != tb:
        out.append(FieldChange("treatment", ta, tb))
    out += _text_fields(a, b, ("review_every", "review_by"))
    for name in ("by", "on", "until", "why", "band"):
        x = getattr(a.acceptance, name) if a.acceptance is not None else None
        y = getattr(b.acceptance, name) if b.acceptance is not None else None
        if x != y:
            out.append(FieldChange(f"acceptance.{name}", x, y))
    return out


def _value(c: StrEnum | None) -> str | None:
    return None if c is None else c.value


def _assumption_fields(a: Assumption, b: Assumption) -> list[FieldChange]:
    out = _text_fields(a, b, ("statement", "rationale", "evidence", "support"))
    if abs(a.belief - b.belief) > 1e-12:
        out.append(FieldChange("belief", a.belief, b.belief))
    if a.excludes != b.excludes:
        out.append(FieldChange("excludes", a.excludes, b.excludes))
    for state in ("holds", "fails"):
        ga = {a.given.parent: getattr(a.given, state)} if a.given else {}
        gb = {b.given.parent: getattr(b.given, state)} if b.given else {}
        out += _keyed(f"given.{state}", ga, gb)
    return out


def _effects(effects: Iterable[Effect]) -> tuple[EffectSpec, ...]:
    return tuple(EffectSpec(e.risk, e.shift, e.note) for e in effects)


def _indicator_fields(i: Indicator) -> dict[str, FieldValue]:
    return {
        "title": i.title,
        "watch": i.watch,
        "evidence": i.evidence,
        "review_every": i.review_every,
        "updates": tuple(BeliefUpdate(u.assumption, u.belief) for u in i.updates),
        "rationale": i.rationale,
    }


def _indicator_bearings(a: Indicator, b: Indicator) -> list[FieldChange]:
    out = []
    for ratio in ("seen", "absent"):
        ra: dict[str, FieldValue] = {x.assumption: getattr(x, ratio) for x in a.bears_on}
        rb: dict[str, FieldValue] = {x.assumption: getattr(x, ratio) for x in b.bears_on}
        out += _keyed(f"bears_on.{ratio}", ra, rb)
    out += _notes(
        "bears_on.note", {x.assumption: x.note for x in a.bears_on}, {x.assumption: x.note for x in b.bears_on}
    )
    return out


def _response_fields(m: Response) -> dict[str, FieldValue]:
    return {
        "title": m.title,
        "description": m.description,
        "evidence": m.evidence,
        "actors": m.actors,
        "effects": _effects(m.effects),
        "side_effects": _effects(m.side_effects),
        "rationale": m.rationale,
        "excludes": m.excludes,
        "owner": m.owner,
        "due": m.due,
        "status": _value(m.status),
        "target": m.target,
    }


def _scenario_fields(sc: Scenario) -> dict[str, FieldValue]:
    return {
        "title": sc.title,
        "description": sc.description,
        "beliefs": tuple(BeliefUpdate(a, b) for a, b in sc.beliefs),
        "rationale": sc.rationale,
    }


_Item = TypeVar("_Item", Indicator, Response, Scenario)


def _compare_fields(
    d: RegisterDiff,
    kind: str,
    xs: Iterable[_Item],
    ys: Iterable[_Item],
    describe: Callable[[_Item], Mapping[str, FieldValue]],
    keyed: Callable[[_Item, _Item], list[FieldChange]] | None = None,
) -> None:
    before_by_id = {x.id: x for x in xs}
    for y in ys:
        x = before_by_id.get(y.id)
        if x is None:
            continue
        before, after = describe(x), describe(y)
        fields = [FieldChange(name, before[name], after[name]) for name in before if before[name] != after[name]]
        if keyed is not None:
            fields += keyed(x, y)
        if fields:
            d.changed.append(Changed(kind, y.id, tuple(fields)))


def diff(old: Register, new: Register) -> RegisterDiff:
    d = RegisterDiff()
    for kind, a, b in (
        ("risk", [x.id for x in old.risks], [y.id for y in new.risks]),
        ("assumption", [x.id for x in old.assumptions], [y.id for y in new.assumptions]),
        ("indicator", [x.id for x in old.indicators], [y.id for y in new.indicators]),
        ("response", [x.id for x in old.responses], [y.id for y in new.responses]),
        ("scenario", [x.id for x in old.scenarios], [y.id for y in new.scenarios]),
    ):
        in_a, in_b = set(a), set(b)
        d.added[kind] = [i for i in b if i not in in_a]
        d.removed[kind] = [i for i in a if i not in in_b]
    before = {s.risk.id: s for s in score_all(old)}
    for s in score_all(new):
        p = before.get(s.risk.id)
        if p is None:
            continue
        if (p.likelihood, p.impact) != (s.likelihood, s.impact) or p.band.id != s.band.id:
            d.rescored.append(Rescored(s.risk.id, s.risk.title, p, s))
        fields = _risk_fields(p.risk, s.risk)
        if fields:
            d.changed.append(Changed("risk", s.risk.id, tuple(fields)))
    old_a = {a.id: a for a in old.assumptions}
    for asm in new.assumptions:
        o = old_a.get(asm.id)
        if o is None:
            continue
        fields = _assumption_fields(o, asm)
        if fields:
            d.changed.append(Changed("assumption", asm.id, tuple(fields)))
    _compare_fields(d, "indicator", old.indicators, new.indicators, _indicator_fields, _indicator_bearings)
    _compare_fields(d, "response", old.responses, new.responses, _response_fields)
    _compare_fields(d, "scenario", old.scenarios, new.scenarios, _scenario_fields)
    return d
