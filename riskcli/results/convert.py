"""Core objects turned into the result types: one converter per shape, shared by every view."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from riskcli.model import (
    DECISION_KINDS,
    Band,
    Confidence,
    Event,
    Register,
    Resolution,
    Resolvable,
    Resolved,
    Status,
    Strategy,
    UserError,
)
from riskcli.results.shapes.common import Cell, Chances, MoveView, Rating, RegisterInfo, Score, Understood
from riskcli.rules import Parsed
from riskcli.scoring import AnalystScore, Finding, Move, Outcome, Outlook, Scored, State

if TYPE_CHECKING:
    from riskcli.belief import Observed
    from riskcli.results.shapes.common import FindingView, ResolvedView
    from riskcli.results.shapes.events import EventView, ObservationView, Said
    from riskcli.results.shapes.risks import AnalystView, InfluenceView


def register_info(reg: Register) -> RegisterInfo:
    return RegisterInfo(reg.path, reg.id or None, reg.title or None, reg.as_of or None, reg.identity, reg.fingerprint)


def rating(band: Band) -> Rating:
    return Rating(band.id, band.name)


def score(s: Scored) -> Score:
    return Score(s.likelihood, s.impact, s.score, Cell(*s.cell), rating(s.band), s.clamped)


def chances(reg: Register, o: Outlook) -> Chances:
    bands = reg.rules.rating.bands
    return Chances(rating(bands[o.likeliest]), o.bands[o.likeliest], rating(bands[-1]), o.top)


def influences(state: State, assumption: str) -> tuple[InfluenceView, ...]:
    """The evidence in force that moves an assumption's belief: on it, and on the assumptions
    linked to it (with the links between)."""
    from riskcli.results.shapes.risks import InfluenceView, Link

    ev = state.evidence
    if ev is None:
        return ()
    out = []
    for x in ev.influences(assumption):
        via = tuple(
            Link(a, b) if ev.net.parent.get(a) == b else Link(b, a) for a, b in zip(x.path, x.path[1:], strict=False)
        )
        out.append(InfluenceView(x.on, via, x.belief_set, x.tallies))
    return tuple(out)


def move(m: Move) -> MoveView:
    return MoveView(m.risk.id, m.risk.title, score(m.before), score(m.after), m.causes)


def analyst(a: AnalystScore | None) -> AnalystView | None:
    from riskcli.results.shapes.risks import AnalystView

    if a is None:
        return None
    return AnalystView(a.likelihood, a.impact, a.by, a.at, a.why or None, a.confidence)


def understood(field: str, p: Parsed) -> Understood:
    return Understood(field, p.said, float(p.value), p.via, p.probability)


def event(ev: Event, undone: Iterable[str] | set[str], lines: Mapping[str, int] | None = None) -> EventView:
    """An event as history and the recording commands show it."""
    (view,) = events([ev], set(undone), lines or {})
    return view


def events(evs: Iterable[Event], undone: set[str], lines: Mapping[str, int]) -> list[EventView]:
    """Events as history shows them (100,000s at a time: one loop, each kind built directly)."""
    from riskcli.results.shapes.events import (
        AdoptEvent,
        BeliefEvent,
        ObserveEvent,
        RebaselineEvent,
        ResolveEvent,
        RespondEvent,
        ScoreEvent,
        TornEvent,
        UndoEvent,
        build,
    )

    out: list[EventView] = []
    append = out.append
    outcomes = {o.value: o for o in Outcome}
    for ev in evs:
        d = ev.data
        kind, ident, why = ev.kind, ev.id, ev.why or None
        if kind == "belief":
            said = d.get("said")
            append(build(BeliefEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                assumption=d["assumption"], belief=float(d["belief"]), said=said if type(said) is str else None,
            ))  # fmt: skip
        elif kind == "score":
            append(build(ScoreEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                risk=d["risk"], likelihood=float(d["likelihood"]), impact=float(d["impact"]), said=_said(d.get("said")),
                confidence=Confidence(d["confidence"]) if "confidence" in d else None,
            ))  # fmt: skip
        elif kind == "observe":
            append(build(ObserveEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                indicator=d["indicator"], outcome=outcomes[d.get("outcome", "seen")],
                source=_text(d.get("source")), ref=_text(d.get("ref")), on=_text(d.get("on")),
            ))  # fmt: skip
        elif kind == "respond":
            append(build(RespondEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                response=d["response"], applied=bool(d.get("applied", True)),
            ))  # fmt: skip
        elif kind == "undo":
            append(build(UndoEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                undoes=d["undoes"], undoes_line=lines.get(d["undoes"]),
            ))  # fmt: skip
        elif kind == "adopt":
            append(build(AdoptEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                from_register=str(d["from"]),
            ))  # fmt: skip
        elif kind == "rebaseline":
            append(build(RebaselineEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                into=str(d["into"]), file=str(d["file"]), sha256=str(d["sha256"]),
            ))  # fmt: skip
        elif kind in DECISION_KINDS:
            append(decision_event(ev, ident in undone))
        elif kind == "resolve":
            append(build(ResolveEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                risk=_text(d.get("risk")), assumption=_text(d.get("assumption")), outcome=Resolution(d["outcome"]),
                on=str(d["on"]), source=_text(d.get("source")),
            ))  # fmt: skip
        else:
            listed = d.get("lines")
            torn = listed if isinstance(listed, list) else [d["line"]]
            append(build(TornEvent,
                line=ev.line, id=ident, at=ev.at, by=ev.by, why=why, register=ev.register, undone=ident in undone,
                torn_lines=tuple(x for x in torn if type(x) is int),
            ))  # fmt: skip
    return out


def decision_event(ev: Event, undone: bool) -> EventView:
    """A decision event as history shows it."""
    from riskcli.results.shapes.events import (
        AcceptEvent,
        AssignEvent,
        CloseEvent,
        ReopenEvent,
        ReviewEvent,
        TreatEvent,
        build,
    )

    d, kind = ev.data, ev.kind
    common = {
        "line": ev.line, "id": ev.id, "at": ev.at, "by": ev.by, "why": ev.why or None,
        "register": ev.register, "undone": undone, "risk": d["risk"],
    }  # fmt: skip
    if kind == "accept":
        lk, im = d.get("likelihood"), d.get("impact")
        return build(AcceptEvent, **common,
            until=_text(d.get("until")), approver=_text(d.get("approver")), band=_text(d.get("band")),
            likelihood=float(lk) if lk is not None else None, impact=float(im) if im is not None else None,
        )  # fmt: skip
    if kind == "treat":
        return build(TreatEvent, **common, strategy=Strategy(d["strategy"]), with_=tuple(d.get("with", ())))
    if kind == "review":
        return build(ReviewEvent, **common, next=_text(d.get("next")))
    if kind == "assign":
        return build(AssignEvent, **common, owner=d["owner"])
    if kind == "close":
        return build(CloseEvent, **common, status=Status(d.get("status", "closed")))
    return build(ReopenEvent, **common)


def resolved(reg: Register, r: Resolved) -> ResolvedView:
    """A resolution as results show it, with the title of what it resolves."""
    from riskcli.results.shapes.common import ResolvedView

    if r.kind is Resolvable.RISK:
        risk = reg.risk_by_id.get(r.item)
        title = risk.title if risk is not None else ""
    else:
        a = reg.assumption_by_id.get(r.item)
        title = a.statement if a is not None else ""
    return ResolvedView(r.kind, r.item, title, r.outcome, r.on, r.by, r.at, r.why or None, r.source or None, r.id)


def resolved_risks(reg: Register, state: State) -> tuple[ResolvedView, ...]:
    """The risks resolved in a state, in register order (the live views list them apart)."""
    if not state.resolutions:  # most states: the risks are not walked
        return ()
    return tuple(
        resolved(reg, r) for risk in reg.risks if (r := state.resolutions.get((Resolvable.RISK, risk.id))) is not None
    )


def _text(value: object) -> str | None:
    return value if type(value) is str else None


def observation(o: Observed) -> ObservationView:
    from riskcli.results.shapes.events import ObservationView

    return ObservationView(
        o.line, o.id, o.at, o.on, o.outcome, o.source, o.ref, o.counted, o.not_counted, o.first, o.window
    )


def _said(value: object) -> Said | None:
    if not isinstance(value, Mapping):
        return None
    from riskcli.results.shapes.events import Said

    lk, im = value.get("likelihood"), value.get("impact")
    return Said(lk if isinstance(lk, str) else None, im if isinstance(im, str) else None)


def findings(reg: Register, found: Iterable[Finding]) -> tuple[FindingView, ...]:
    """Findings as results show them, each marked if the register acknowledges it."""
    from riskcli.results.shapes.common import FindingView

    why = {a.id: a.why for a in reg.acknowledged}
    return tuple(
        FindingView(f.id, f.code, f.subject, f.related, f.axis, f.values, f.id in why, why.get(f.id) or None)
        for f in found
    )


def unknown(kind: str, ident: str, known: list[str]) -> UserError:
    close = difflib.get_close_matches(ident, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    listing = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
    return UserError(f"unknown {kind} {ident!r}{hint} (known: {listing or 'none'})")
