"""The risk views: list, show, assumptions, explain — one function each, session to result."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from riskcli import scoring
from riskcli.decisions import over_appetite
from riskcli.model import Axis, Register, Resolvable, Risk, Unassessed
from riskcli.outcomes import live
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, earlier, hypothesize, lookup_risk, not_assessed
from riskcli.results.shapes.common import ActorRef, Cell, DueView, HorizonView, Levels, ResolvedView
from riskcli.results.shapes.risks import (
    AssumptionsResult,
    AssumptionView,
    ContributionView,
    DriverView,
    ExplainResult,
    ImpactIfWrong,
    ListFilters,
    ListResult,
    NotAssessed,
    ResponseOnRisk,
    RiskDetail,
    RiskRow,
    ScoreEntry,
    ShowResult,
    Wrong,
)
from riskcli.results.team import disagreeing, team_belief, team_levels, today
from riskcli.rules import belief_label, is_tie
from riskcli.scoring import ContributionKind, Scored, State

if TYPE_CHECKING:
    from riskcli.belief import Evidence
    from riskcli.decisions import Standing

SHOW_SCORES = 10  # analyst scores listed by show: the latest


# --------------------------------------------------------------------------- list


def list_risks(
    req: Request,
    s: Session,
    *,
    actor: str | None = None,
    category: str | None = None,
    min_rating: str | None = None,
    limit: int | None = None,
    owner: str | None = None,
    status: Sequence[str] = (),
    treatment: str | None = None,
    over_appetite: bool = False,
    overdue: bool = False,
) -> ListResult:
    """Risks ranked highest first (rating, then unrounded L×I), filtered; ``limit`` keeps the top.
    Closed and retired risks are listed only when ``status`` names them. What the list says it
    leaves out — closed and retired risks, resolved ones, those not yet assessed — is of the risks
    the filters choose."""
    from riskcli import decisions
    from riskcli.results.choice import choose

    reg = s.reg
    state, hyp = hypothesize(req, s)
    everyone = scoring.score_all(reg, state)
    # every risk's standing, the resolved ones' too: their owners are known owners (--owner)
    standings = {x.risk.id: decisions.standing(reg, x.risk, state) for x in everyone}
    choice = choose(
        reg,
        actor=actor,
        category=category,
        min_rating=min_rating,
        owner=owner,
        owners=(st.owner for st in standings.values()),
        status=status,
        treatment=treatment,
        over_appetite=over_appetite,
        overdue=overdue,
        today=today(s),
    )
    chosen = [x for x in everyone if choice.chooses(reg, x.risk, standings[x.risk.id], x)]
    scored = live(state, chosen)
    unplaced = choice.unplaced(reg, state)
    apart = 0 if choice.statuses else sum(1 for x in scored if not standings[x.risk.id].status.live)
    apart += len(unplaced.closed)
    rows = scoring.ranked([x for x in scored if choice.shows(standings[x.risk.id].status)])
    shown = rows if limit is None else rows[:limit]
    resolved = convert.resolved_risks(reg, state)
    if resolved:
        named = {x.risk.id for x in chosen if choice.names(standings[x.risk.id].status)}
        resolved = tuple(x for x in resolved if x.id in named)
    ev = scoring.posterior(reg, state)
    return ListResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        filters=ListFilters(
            actor,
            category,
            choice.band,
            owner,
            choice.listed,
            choice.treatment,
            over_appetite,
            overdue,
        ),
        count=len(rows),
        shown=len(shown),
        risks=tuple(_row(reg, rank, x, state, ev, standings[x.risk.id]) for rank, x in enumerate(shown, 1)),
        apart=apart,
        disagree=disagreeing(reg, [x.risk for x in shown], state, today(s)),
        resolved=resolved,
        due=_due_of(s, state, {x.risk.id for x in shown}),
        unassessed=unplaced.waiting,
        unrated=unplaced.unrated,
    )


def _due_of(s: Session, state: State, listed: set[str]) -> tuple[DueView, ...]:
    """The risks listed whose horizon has ended and that are not resolved."""
    from riskcli.results.horizons import due

    return tuple(d for d in due(s.reg, state, today(s), assumptions=False) if d.id in listed)


def _row(reg: Register, rank: int, x: Scored, state: State, ev: Evidence, st: Standing) -> RiskRow:
    r = x.risk
    return RiskRow(
        rank,
        r.id,
        r.title,
        r.category or None,
        r.actors,
        Cell(r.likelihood, r.impact),
        convert.score(x),
        scoring.confidence_of(reg, r, state),
        convert.chances(reg, scoring.outlook(reg, state, r, ev)),
        st.owner or None,
        st.status,
        over_appetite(reg, x),
    )


# --------------------------------------------------------------------------- show


def show(req: Request, s: Session, risk_id: str) -> ShowResult:
    reg = s.reg
    waiting = not_assessed(reg, risk_id)
    if waiting is not None:
        return _show_unassessed(req, s, waiting)
    risk = lookup_risk(reg, risk_id)
    state, hyp = hypothesize(req, s)
    x = scoring.score_risk(reg, risk, state)
    drivers = tuple(
        DriverView(
            d.assumption,
            a.statement if (a := reg.assumption_by_id.get(d.assumption)) else None,
            reg.baseline_beliefs.get(d.assumption, 0.5),
            state.beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5)),
            d.if_holds,
            d.if_fails,
            d.note or None,
        )
        for d in risk.drivers
    )
    titles = {m.id: m.title for m in reg.responses}
    responses = tuple(
        ResponseOnRisk(mid, titles[mid], kind, shift, mid in state.applied)
        for mid, kind, shift in scoring.acting_on(reg, risk.id)
    )
    history = [ev for ev in s.replay.active if ev.kind == "score" and ev.data["risk"] == risk.id]
    scores = tuple(
        ScoreEntry(ev.line, ev.id, ev.at, ev.by, float(ev.data["likelihood"]), float(ev.data["impact"]), ev.why or None)
        for ev in history[-SHOW_SCORES:]
    )
    from riskcli import decisions
    from riskcli.results.decide import standing_view

    st = decisions.standing(reg, risk, state)
    lines = {ev.id: ev.line for ev in s.replay.active if ev.id in {d.id for d in st.decisions}}
    detail = RiskDetail(
        id=risk.id,
        title=risk.title,
        category=risk.category or None,
        actors=tuple(ActorRef(a, reg.actor_names.get(a)) for a in risk.actors),
        description=risk.description or None,
        rationale=risk.rationale or None,
        evidence=risk.evidence or None,
        baseline=Cell(risk.likelihood, risk.impact),
        current=convert.score(x),
        chances=convert.chances(reg, scoring.outlook(reg, state, risk)),
        confidence=scoring.confidence_of(reg, risk, state),
        owner=st.owner or None,
        extra=dict(risk.extra),
        drivers=drivers,
        responses=responses,
        analyst=convert.analyst(state.scores.get(risk.id)),
        scores=scores,
        scores_total=len(history),
        standing=standing_view(reg, st, risk, x, today(s), lines),
        team=team_levels(reg, risk, state, today(s)),
        resolved=_resolved(reg, state, Resolvable.RISK, risk.id),
    )
    return ShowResult(
        register=convert.register_info(reg), hypothetical=hyp, as_of=s.as_of, risk=detail, earlier=earlier(reg)
    )


def _show_unassessed(req: Request, s: Session, u: Unassessed) -> ShowResult:
    """A risk not yet assessed as the register gives it: no baseline, score or chances (it has no
    drivers, and no response acts on it), its standing the register's."""
    from riskcli import decisions
    from riskcli.results.decide import standing_view

    reg = s.reg
    state, hyp = hypothesize(req, s)
    detail = RiskDetail(
        id=u.id,
        title=u.title,
        category=u.category or None,
        actors=tuple(ActorRef(a, reg.actor_names.get(a)) for a in u.actors),
        description=u.description or None,
        rationale=u.rationale or None,
        evidence=u.evidence or None,
        baseline=None,
        current=None,
        chances=None,
        confidence=u.confidence,
        owner=u.owner or None,
        extra=dict(u.extra),
        drivers=(),
        responses=(),
        analyst=None,
        scores=(),
        scores_total=0,
        standing=standing_view(reg, decisions.standing(reg, u, state), u, None, today(s)),
        unassessed=NotAssessed(u.likelihood, u.impact),
    )
    return ShowResult(
        register=convert.register_info(reg), hypothetical=hyp, as_of=s.as_of, risk=detail, earlier=earlier(reg)
    )


def _resolved(reg: Register, state: State, kind: Resolvable, item: str) -> ResolvedView | None:
    r = state.resolutions.get((kind, item))
    return convert.resolved(reg, r) if r is not None else None


# --------------------------------------------------------------------------- assumptions


def assumptions(req: Request, s: Session, *, if_wrong: bool = True) -> AssumptionsResult:
    """The Key Assumptions Check; ``if_wrong``: with what moves if each assumption proves wrong
    (a what-if per assumption: left out by a view that does not show it)."""
    reg = s.reg
    state, hyp = hypothesize(req, s)
    words = reg.rules.words
    rows = []
    for a in reg.assumptions:
        now = state.beliefs.get(a.id, a.belief)
        resolved = _resolved(reg, state, Resolvable.ASSUMPTION, a.id)
        rows.append(
            AssumptionView(
                a.id,
                a.statement,
                a.belief,
                now,
                a.support or belief_label(words, now),
                not a.support,
                a.rationale or None,
                a.evidence or None,
                reg.dependents.get(a.id, ()),
                _impact_if_wrong(reg, state, a.id) if if_wrong and resolved is None else None,  # a fact is not wrong
                team_belief(reg, a.id, state),
                resolved,
            )
        )
    from riskcli.results.horizons import due

    return AssumptionsResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        assumptions=tuple(rows),
        due=due(reg, state, today(s), risks=False),
    )


def _impact_if_wrong(reg: Register, state: State, assumption: str) -> ImpactIfWrong:
    """The risks that change rating (and cell) if an assumption proves wrong: set to fails when its
    belief is 0.5 or more, to holds when less — the point scores, as ``--what-if`` shows them."""
    from riskcli.simulate import swing

    belief = state.beliefs.get(assumption, reg.assumption_by_id[assumption].belief)
    wrong = Wrong.FAILS if belief >= 0.5 else Wrong.HOLDS
    sw = swing(reg, state, assumption, holds=wrong is Wrong.HOLDS)
    return ImpactIfWrong(wrong, sw.bands, sw.cells)


# --------------------------------------------------------------------------- explain


def explain(req: Request, s: Session, risk_id: str) -> ExplainResult:
    reg = s.reg
    risk = lookup_risk(reg, risk_id)
    state, hyp = hypothesize(req, s)
    e = scoring.explain(reg, risk, state)
    titles = {m.id: m.title for m in reg.responses}
    parts = []
    for c in e.contributions:
        if c.kind is ContributionKind.DRIVER:
            a = reg.assumption_by_id.get(c.ref)
            d = c.driver
            parts.append(
                ContributionView(
                    c.kind,
                    c.ref,
                    a.statement if a else None,
                    c.shift,
                    False,
                    c.belief_from,
                    c.belief_to,
                    d.if_holds if d else None,
                    d.if_fails if d else None,
                    convert.influences(state, c.ref),
                )
            )
        else:
            parts.append(
                ContributionView(c.kind, c.ref, titles.get(c.ref), c.shift, c.withdrawn, None, None, None, None, ())
            )
    start = e.start
    return ExplainResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        risk=risk.id,
        title=risk.title,
        rationale=risk.rationale or None,
        baseline=Cell(risk.likelihood, risk.impact),
        analyst=convert.analyst(e.anchor),
        confidence=scoring.confidence_of(reg, risk, state),
        start=Levels(start.likelihood, start.impact),
        contributions=tuple(parts),
        sum=Levels(e.raw.likelihood, e.raw.impact),
        current=(current := convert.score(e.scored)),
        ties=tuple(
            axis
            for axis, value in ((Axis.LIKELIHOOD, e.scored.likelihood), (Axis.IMPACT, e.scored.impact))
            if is_tie(value)
        ),
        chances=convert.chances(reg, scoring.outlook(reg, state, risk)),
        team=team_levels(reg, risk, state, today(s)),
        horizon=_horizon(s, state, risk, current.cell.likelihood),
    )


def _horizon(s: Session, state: State, risk: Risk, level: int) -> HorizonView | None:
    from riskcli.results.horizons import explain_horizon

    return explain_horizon(s.reg, state, risk, level, today(s))
