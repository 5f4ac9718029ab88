"""The read views: one function each, from a session (and the request's hypotheses) to a result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from riskcli import scoring
from riskcli.model import BeliefUpdate, Level, Register
from riskcli.results import convert
from riskcli.results.session import Request, Session, hypothesize, lookup, operand
from riskcli.results.types import (
    ActorRef,
    AssumptionsResult,
    AssumptionView,
    BandCount,
    Cell,
    CellView,
    ClampedRisk,
    CompareResult,
    Comparison,
    ContributionView,
    DriverView,
    EffectView,
    ExplainResult,
    Grid,
    IndicatorsResult,
    IndicatorUpdate,
    IndicatorView,
    Levels,
    LevelView,
    ListFilters,
    ListResult,
    MatrixResult,
    MatrixView,
    ResponseOnRisk,
    ResponsesResult,
    ResponseView,
    RiskDetail,
    RiskRow,
    ScenariosResult,
    ScenarioView,
    ScoreEntry,
    ShowResult,
)
from riskcli.rules import belief_label, normalise
from riskcli.scoring import ContributionKind, Scored

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
) -> ListResult:
    """Risks ranked highest first (rating, then unrounded L×I), filtered; ``limit`` keeps the top."""
    reg = s.reg
    state, hyp = hypothesize(req, s)
    scored = scoring.score_all(reg, state)
    if actor is not None:
        key = normalise(actor)
        ids = {a.id for a in reg.actors if normalise(a.id) == key or normalise(a.name) == key}
        known = sorted({a for r in reg.risks for a in r.actors} | {a.id for a in reg.actors})
        if not ids:
            ids = {a for a in known if normalise(a) == key}
        if not ids:
            raise convert.unknown("actor", actor, known)
        scored = [x for x in scored if ids.intersection(x.risk.actors)]
    if category is not None:
        key = normalise(category)
        cats = sorted({r.category for r in reg.risks if r.category})
        if not any(normalise(c) == key for c in cats):
            raise convert.unknown("category", category, cats)
        scored = [x for x in scored if normalise(x.risk.category) == key]
    band_id = None
    if min_rating is not None:
        key = normalise(min_rating)
        band = next((b for b in reg.rules.rating.bands if normalise(b.id) == key or normalise(b.name) == key), None)
        if band is None:
            raise convert.unknown("rating", min_rating, [b.id for b in reg.rules.rating.bands])
        floor = reg.rules.rating.rank(band.id)
        scored = [x for x in scored if x.band_rank >= floor]
        band_id = band.id
    rows = scoring.ranked(scored)
    shown = rows if limit is None else rows[:limit]
    return ListResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        filters=ListFilters(actor, category, band_id),
        count=len(rows),
        shown=len(shown),
        risks=tuple(_row(rank, x) for rank, x in enumerate(shown, 1)),
    )


def _row(rank: int, x: Scored) -> RiskRow:
    r = x.risk
    return RiskRow(rank, r.id, r.title, r.category or None, r.actors, Cell(r.likelihood, r.impact), convert.score(x))


# --------------------------------------------------------------------------- show


def show(req: Request, s: Session, risk_id: str) -> ShowResult:
    reg = s.reg
    risk = lookup("risk", reg.risks, risk_id)
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
        drivers=drivers,
        responses=responses,
        analyst=convert.analyst(state.scores.get(risk.id)),
        scores=scores,
        scores_total=len(history),
    )
    return ShowResult(register=convert.register_info(reg), hypothetical=hyp, risk=detail)


# --------------------------------------------------------------------------- assumptions


def assumptions(req: Request, s: Session) -> AssumptionsResult:
    reg = s.reg
    state, hyp = hypothesize(req, s)
    words = reg.rules.words
    rows = []
    for a in reg.assumptions:
        now = state.beliefs.get(a.id, a.belief)
        rows.append(
            AssumptionView(
                a.id,
                a.statement,
                a.belief,
                now,
                belief_label(words, now),
                a.rationale or None,
                a.evidence or None,
                reg.dependents.get(a.id, ()),
            )
        )
    return AssumptionsResult(register=convert.register_info(reg), hypothetical=hyp, assumptions=tuple(rows))


# --------------------------------------------------------------------------- matrix and compare


def grid(reg: Register, scored: Sequence[Scored]) -> Grid:
    """The matrix of the scored risks: both scales, band counts, every cell from the top row."""
    rules = reg.rules
    m = scoring.matrix(reg, scored)
    counts = scoring.band_counts(reg, scored)

    def level(lv: Level) -> LevelView:
        band = (lv.low, lv.high) if lv.low is not None and lv.high is not None else None
        return LevelView(lv.value, lv.name, lv.description or None, band)

    cells = tuple(
        CellView(
            li,
            ii,
            convert.rating(rules.rating.band(rules.rating.grid[li - 1][ii - 1])),
            m.count(li, ii),
            tuple(x.risk.id for x in m.cells.get((li, ii), [])),
        )
        for li in range(m.n_likelihood, 0, -1)
        for ii in range(1, m.n_impact + 1)
    )
    return Grid(
        likelihood=tuple(level(lv) for lv in rules.likelihood.levels),
        impact=tuple(level(lv) for lv in rules.impact.levels),
        bands=tuple(BandCount(b.id, b.name, b.color, counts.get(b.id, 0)) for b in rules.rating.bands),
        cells=cells,
    )


def matrix(req: Request, s: Session, *, inherent: bool = False, compare: str | None = None) -> MatrixResult:
    reg = s.reg
    state, hyp = hypothesize(req, s)
    if inherent:
        state = scoring.inherent(state)
    scored = scoring.score_all(reg, state)
    comparison = None
    if compare is not None:
        ref, from_state = operand(s, compare)
        mv = scoring.moves(reg, scoring.score_all(reg, from_state), scored, from_state, state)
        comparison = Comparison(ref, tuple(convert.move(x) for x in mv))
    g = grid(reg, scored)
    return MatrixResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        likelihood=g.likelihood,
        impact=g.impact,
        bands=g.bands,
        cells=g.cells,
        view=MatrixView.INHERENT if inherent else MatrixView.RESIDUAL,
        applied=tuple(sorted(state.applied)),
        compare=comparison,
        clamped=tuple(ClampedRisk(x.risk.id, x.clamped) for x in scored if x.clamped),
    )


def compare(req: Request, s: Session, a: str, b: str) -> CompareResult:
    reg = s.reg
    ref_a, state_a = operand(s, a)
    ref_b, state_b = operand(s, b)
    before, after = scoring.score_all(reg, state_a), scoring.score_all(reg, state_b)
    mv = scoring.moves(reg, before, after, state_a, state_b)
    g = grid(reg, after)
    return CompareResult(
        register=convert.register_info(reg),
        likelihood=g.likelihood,
        impact=g.impact,
        bands=g.bands,
        cells=g.cells,
        from_=ref_a,
        to=ref_b,
        moves=tuple(convert.move(x) for x in mv),
    )


# --------------------------------------------------------------------------- explain


def explain(req: Request, s: Session, risk_id: str) -> ExplainResult:
    reg = s.reg
    risk = lookup("risk", reg.risks, risk_id)
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
                )
            )
        else:
            parts.append(
                ContributionView(c.kind, c.ref, titles.get(c.ref), c.shift, c.withdrawn, None, None, None, None)
            )
    start = e.start
    return ExplainResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        risk=risk.id,
        title=risk.title,
        rationale=risk.rationale or None,
        baseline=Cell(risk.likelihood, risk.impact),
        analyst=convert.analyst(e.anchor),
        start=Levels(start.likelihood, start.impact),
        contributions=tuple(parts),
        sum=Levels(e.raw.likelihood, e.raw.impact),
        current=convert.score(e.scored),
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
    return ScenariosResult(register=convert.register_info(reg), scenarios=tuple(out))


# --------------------------------------------------------------------------- indicators and responses


def indicators(req: Request, s: Session, *, today: date, overdue_only: bool = False) -> IndicatorsResult:
    reg = s.reg
    last: dict[str, str] = {}
    for ev in s.replay.active:
        if ev.kind == "observe":
            last[ev.data["indicator"]] = ev.at
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
                tuple(IndicatorUpdate(a, b, d) for a, b, d in scoring.bears_on(reg, ind)),
            )
        )
    return IndicatorsResult(register=convert.register_info(reg), today=today.isoformat(), indicators=tuple(rows))


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
    return ResponsesResult(register=convert.register_info(reg), hypothetical=hyp, responses=rows)
