"""The matrix views: matrix and compare (and the grid both draw)."""

from __future__ import annotations

from collections.abc import Sequence

from riskcli import scoring
from riskcli.model import Level, Register
from riskcli.outcomes import live
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, hypothesize, operand
from riskcli.results.shapes.common import Rating
from riskcli.results.shapes.matrix import (
    BandCount,
    CellView,
    ClampedRisk,
    CompareResult,
    Comparison,
    Grid,
    LevelView,
    MatrixResult,
    MatrixView,
    SimulatedGrid,
)
from riskcli.scoring import Scored, State

# --------------------------------------------------------------------------- matrix and compare

# The coherence findings of the state a matrix shows (the register's own are validate's).
_STATE_FINDINGS = (
    scoring.FindingCode.EXCLUDES,
    scoring.FindingCode.CONFIDENCE,
    scoring.FindingCode.TIE,
    scoring.FindingCode.CONTRADICTS,
)


def grid(reg: Register, scored: Sequence[Scored]) -> Grid:
    """The matrix of the scored risks: both scales, band counts, every cell from the top row."""
    rules = reg.rules
    m = scoring.matrix(reg, scored)
    up = [scoring.is_opportunity(x.risk) for x in scored]  # once per risk
    counts = scoring.band_counts(reg, [x for x, u in zip(scored, up, strict=True) if not u])
    upsides = scoring.band_counts(reg, [x for x, u in zip(scored, up, strict=True) if u])

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
        bands=tuple(
            BandCount(b.id, b.name, b.color, counts.get(b.id, 0), upsides.get(b.id, 0)) for b in rules.rating.bands
        ),
        cells=cells,
        opportunities=tuple(x.risk.id for x, u in zip(scored, up, strict=True) if u),
    )


def matrix(
    req: Request,
    s: Session,
    *,
    inherent: bool = False,
    compare: str | None = None,
    simulated: bool = False,
    actor: str | None = None,
) -> MatrixResult:
    reg = s.reg
    state, hyp = hypothesize(req, s)
    if inherent:
        state = scoring.inherent(state)
    from riskcli import decisions
    from riskcli.results.choice import choose

    # what the matrix leaves out and names apart (closed, retired, resolved, not yet assessed) is,
    # under --actor, that party's alone
    choice = choose(reg, actor=actor)
    everyone = scoring.score_all(reg, state)
    if choice.actors is not None:
        everyone = [x for x in everyone if choice.chooses(reg, x.risk, None, x)]
    scored = live(state, everyone)
    closed = decisions.apart(reg, state)
    if closed:
        scored = [x for x in scored if x.risk.id not in closed]
    chosen = {x.risk.id for x in everyone} if choice.actors is not None else None
    unplaced = choice.unplaced(reg, state)
    comparison = None
    if compare is not None:
        shown = {x.risk.id for x in scored}
        ref, from_state = operand(s, compare)
        before = [x for x in scoring.score_all(reg, from_state) if x.risk.id in shown]
        mv = scoring.moves(reg, before, scored, from_state, state)
        comparison = Comparison(ref, tuple(convert.move(x) for x in mv))
    g = grid(reg, scored)
    return MatrixResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        likelihood=g.likelihood,
        impact=g.impact,
        bands=g.bands,
        cells=g.cells,
        opportunities=g.opportunities,
        view=MatrixView.INHERENT if inherent else MatrixView.RESIDUAL,
        applied=tuple(sorted(state.applied)),
        compare=comparison,
        clamped=tuple(ClampedRisk(x.risk.id, x.clamped) for x in scored if x.clamped),
        findings=convert.findings(
            reg,
            [f for f in scoring.state_findings(reg, scored, state=state) if f.code in _STATE_FINDINGS],
        ),
        actor=", ".join(sorted(choice.actors)) if choice.actors is not None else None,
        simulated=_simulated(reg, state, scored) if simulated else None,
        apart=(
            *(r.id for r in reg.risks if r.id in closed and (chosen is None or r.id in chosen)),
            *unplaced.closed,
        ),
        appetite=_band(reg, reg.appetite),
        target=_band(reg, reg.target),
        disagree=_disagreeing(reg, scored, state, s),
        resolved=tuple(x for x in convert.resolved_risks(reg, state) if chosen is None or x.id in chosen),
        unassessed=unplaced.waiting,
    )


def _disagreeing(reg: Register, scored: Sequence[Scored], state: State, s: Session) -> tuple[str, ...]:
    """The risks shown whose analysts disagree: none without analysts' scores (and then the team's
    module, which only several analysts need, is not imported)."""
    if not state.panel:
        return ()
    from riskcli.results.team import disagreeing, today

    return disagreeing(reg, [x.risk for x in scored], state, today(s))


def _band(reg: Register, band: str) -> Rating | None:
    """A band the register names (its appetite, its target) as results show it."""
    if not band:
        return None
    try:
        return convert.rating(reg.rules.rating.band(band))
    except KeyError:
        return Rating(band, band)


def _simulated(reg: Register, state: State, scored: Sequence[Scored]) -> SimulatedGrid:
    from riskcli.results.analysis import simulated_grid  # numpy: only for matrix --simulated

    return simulated_grid(reg, state, scored)


def compare(req: Request, s: Session, a: str, b: str) -> CompareResult:
    reg = s.reg
    ref_a, state_a = operand(s, a)
    ref_b, state_b = operand(s, b)
    from riskcli import decisions

    closed = decisions.apart(reg, state_b)
    after = [x for x in live(state_b, scoring.score_all(reg, state_b)) if x.risk.id not in closed]
    shown = {x.risk.id for x in after}
    before = [x for x in scoring.score_all(reg, state_a) if x.risk.id in shown]
    mv = scoring.moves(reg, before, after, state_a, state_b)
    g = grid(reg, after)
    return CompareResult(
        register=convert.register_info(reg),
        as_of=s.as_of,
        likelihood=g.likelihood,
        impact=g.impact,
        bands=g.bands,
        cells=g.cells,
        opportunities=g.opportunities,
        from_=ref_a,
        to=ref_b,
        moves=tuple(convert.move(x) for x in mv),
        resolved=convert.resolved_risks(reg, state_b),
        apart=tuple(r.id for r in reg.risks if r.id in closed),
    )
