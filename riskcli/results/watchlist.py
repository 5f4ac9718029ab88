"""Scenarios, indicators and responses: what to watch and what can be done."""

from __future__ import annotations

from datetime import date

from riskcli import scoring
from riskcli.model import BeliefUpdate
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, hypothesize
from riskcli.results.shapes.watch import (
    EffectView,
    IndicatorsResult,
    IndicatorView,
    ResponsesResult,
    ResponseView,
    ScenariosResult,
    ScenarioView,
)

# --------------------------------------------------------------------------- scenarios


def scenarios(req: Request, s: Session) -> ScenariosResult:
    reg = s.reg
    now = scoring.score_all(reg, s.state)
    out = []
    for sc in reg.scenarios:
        st = scoring.scenario_state(reg, s.state, sc.id)
        mv = scoring.moves(reg, now, scoring.score_all(reg, st))
        out.append(
            ScenarioView(
                sc.id,
                sc.title,
                sc.description or None,
                tuple(BeliefUpdate(a, b) for a, b in sc.beliefs),
                len(mv),
                sum(1 for m in mv if m.before.band.id != m.after.band.id),
            )
        )
    return ScenariosResult(register=convert.register_info(reg), as_of=s.as_of, scenarios=tuple(out))


# --------------------------------------------------------------------------- indicators and responses


def indicators(req: Request, s: Session, *, today: date, overdue_only: bool = False) -> IndicatorsResult:
    reg = s.reg
    state = s.state
    last: dict[str, str] = {}
    for ev in s.replay.active:
        if ev.kind == "observe":
            last[ev.data["indicator"]] = ev.at
    found = s.replay.state.evidence  # every observation as read: the replay of every event keeps them
    seen = found.ledger.by_indicator if found is not None and found.ledger is not None else {}
    rows = []
    for ind in reg.indicators:
        rv = scoring.review(reg, ind, last.get(ind.id), today)
        if overdue_only and not rv.overdue:
            continue
        rows.append(
            IndicatorView(
                ind.id,
                ind.title,
                ind.watch or None,
                ind.evidence or None,
                rv.every,
                rv.last,
                rv.due,
                rv.days,
                rv.status,
                rv.overdue,
                "evidence" if ind.is_evidence else "sets",
                tuple(scoring.diagnosticity(ind, state.beliefs)),
                tuple(convert.observation(o) for o in seen.get(ind.id, ())),
            )
        )
    return IndicatorsResult(
        register=convert.register_info(reg),
        as_of=s.as_of,
        today=today.isoformat(),
        total=len(reg.indicators),
        indicators=tuple(rows),
    )


def responses(req: Request, s: Session) -> ResponsesResult:
    reg = s.reg
    state, hyp = hypothesize(req, s)
    rows = tuple(
        ResponseView(
            m.id,
            m.title,
            m.description or None,
            m.actors,
            m.evidence or None,
            tuple(EffectView(e.risk, e.shift, e.note or None) for e in m.effects),
            tuple(EffectView(e.risk, e.shift, e.note or None) for e in m.side_effects),
            m.id in state.applied,
        )
        for m in reg.responses
    )
    return ResponsesResult(register=convert.register_info(reg), hypothetical=hyp, as_of=s.as_of, responses=rows)
