"""What changed between two versions of a register: the view for reviewing a change in git.

Pure functions over two ``Register`` objects; rendering is done by ``render``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from riskcli.model import Driver, Register, Risk, Shift
from riskcli.scoring import Scored, score_all


@dataclass(frozen=True, slots=True)
class Rescored:
    id: str
    title: str
    before: Scored
    after: Scored


@dataclass(frozen=True, slots=True)
class Changed:
    """An item present in both versions whose fields differ: (field, old, new) triples."""

    kind: str  # risk, assumption, indicator, response, scenario
    id: str
    fields: tuple[tuple[str, str, str], ...]


@dataclass
class RegisterDiff:
    added: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids
    removed: dict[str, list[str]] = field(default_factory=dict)
    rescored: list[Rescored] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (any(self.added.values()) or any(self.removed.values()) or self.rescored or self.changed)


def _shift(s: Shift) -> str:
    parts = [f"{k[0].upper()} {v:+g}" for k, v in (("likelihood", s.likelihood), ("impact", s.impact)) if v]
    return ", ".join(parts) or "0"


def _driver(d: Driver) -> str:
    return f"holds {_shift(d.if_holds)}; fails {_shift(d.if_fails)}"


def _risk_fields(a: Risk, b: Risk) -> list[tuple[str, str, str]]:
    out = []
    for name in ("title", "category", "description", "rationale", "evidence"):
        x, y = getattr(a, name), getattr(b, name)
        if x != y:
            out.append((name, x, y))
    if a.actors != b.actors:
        out.append(("actors", ", ".join(a.actors), ", ".join(b.actors)))
    da = {d.assumption: d for d in a.drivers}
    db = {d.assumption: d for d in b.drivers}
    for aid in sorted(da.keys() | db.keys()):
        x, y = da.get(aid), db.get(aid)
        if x is None:
            out.append((f"driver {aid}", "—", _driver(y)))  # type: ignore[arg-type]
        elif y is None:
            out.append((f"driver {aid}", _driver(x), "—"))
        elif (x.if_holds, x.if_fails) != (y.if_holds, y.if_fails):
            out.append((f"driver {aid}", _driver(x), _driver(y)))
    return out


def diff(old: Register, new: Register) -> RegisterDiff:
    d = RegisterDiff()
    sections = {
        "risk": (old.risks, new.risks),
        "assumption": (old.assumptions, new.assumptions),
        "indicator": (old.indicators, new.indicators),
        "response": (old.responses, new.responses),
        "scenario": (old.scenarios, new.scenarios),
    }
    for kind, (xs, ys) in sections.items():
        a = {x.id: x for x in xs}
        b = {y.id: y for y in ys}
        d.added[kind] = [i for i in b if i not in a]
        d.removed[kind] = [i for i in a if i not in b]
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
    for a in new.assumptions:
        o = old_a.get(a.id)
        if o is None:
            continue
        fields = []
        for name in ("statement", "rationale", "evidence"):
            if getattr(o, name) != getattr(a, name):
                fields.append((name, getattr(o, name), getattr(a, name)))
        if abs(o.belief - a.belief) > 1e-12:
            fields.append(("belief", f"{o.belief:.2f}", f"{a.belief:.2f}"))
        if fields:
            d.changed.append(Changed("assumption", a.id, tuple(fields)))
    for kind, xs, ys, describe in (
        ("indicator", old.indicators, new.indicators, _indicator_fields),
        ("response", old.responses, new.responses, _response_fields),
        ("scenario", old.scenarios, new.scenarios, _scenario_fields),
    ):
        a_map = {x.id: x for x in xs}
        for y in ys:
            x = a_map.get(y.id)
            if x is None:
                continue
            before, after = describe(x), describe(y)
            fields = [(name, before[name], after[name]) for name in before if before[name] != after[name]]
            if fields:
                d.changed.append(Changed(kind, y.id, tuple(fields)))
    return d


def _effects(effects) -> str:  # type: ignore[no-untyped-def]
    return "; ".join(f"{e.risk} {_shift(e.shift)}" for e in effects) or "—"


def _indicator_fields(i) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "title": i.title, "watch": i.watch, "evidence": i.evidence,
        "review_every": "" if i.review_every is None else f"{i.review_every} d",
        "updates": "; ".join(f"{u.assumption} → {u.belief:.2f}" for u in i.updates) or "—",
    }  # fmt: skip


def _response_fields(m) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "title": m.title, "description": m.description, "evidence": m.evidence, "actors": ", ".join(m.actors),
        "effects": _effects(m.effects), "side_effects": _effects(m.side_effects),
    }  # fmt: skip


def _scenario_fields(sc) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "title": sc.title, "description": sc.description,
        "beliefs": "; ".join(f"{a} {b:.2f}" for a, b in sc.beliefs) or "—",
    }  # fmt: skip
