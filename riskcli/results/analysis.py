"""The analyses: simulate, sensitivity, lint-matrix — and the simulated matrix, which ``matrix
--simulated`` borrows."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from riskcli import lint, register, scoring
from riskcli import simulate as sim
from riskcli.model import Register, Risk, Rules, UserError
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, hypothesize, lookup_risk
from riskcli.results.shapes.analysis import (
    AxiomCheck,
    CellChance,
    CellPair,
    DrawView,
    ExpectedCell,
    LeverageView,
    LintBand,
    LintCell,
    LintLevel,
    LintResult,
    Method,
    RatingChance,
    RiskOutlook,
    SensitivityResult,
    SimulatedGrid,
    SimulationResult,
)
from riskcli.results.shapes.common import Chances, Levels, Rating
from riskcli.results.shapes.matrix import RiskChances
from riskcli.scoring import State

Progress = Callable[[int, int], None]
MATRIX_SEED = 0  # matrix --simulated samples with a fixed seed: the same picture every time
# sensitivity sets each assumption that matters to fails and to holds, one simulated run each, and
# its setup grows faster than the square of their number: at most this many, and this many trials
# drawn in all ((2 × assumptions + 1) runs × --trials)
SENSITIVITY_ASSUMPTIONS = 500
SENSITIVITY_TRIALS = 10_000_000
EXACT_WORK = 1 << 24  # matrix --simulated enumerates when combinations × risks stay below this


def _seed(seed: int | None, exact: bool) -> int | None:
    if exact:
        return None
    return seed if seed is not None else secrets.randbelow(1_000_000_000)


def _method(exact: bool) -> Method:
    return Method.EXACT if exact else Method.SAMPLED


# --------------------------------------------------------------------------- simulate


def simulate(
    req: Request,
    s: Session,
    *,
    trials: int = sim.TRIALS,
    seed: int | None = None,
    exact: bool = False,
    progress: Progress | None = None,
) -> SimulationResult:
    """Every risk's chances of each rating and likelihood level over draws of the assumptions (or
    every combination of them), and how many risks land in the top band."""
    reg = s.reg
    state, hyp = hypothesize(req, s)
    run = sim.simulate(reg, state, trials=trials, seed=_seed(seed, exact), exact=exact, progress=progress)
    bands = reg.rules.rating.bands
    spreads = sorted(run.spreads, key=lambda x: scoring.rank_key(x.point))
    risks = tuple(
        RiskOutlook(
            x.risk.id,
            x.risk.title,
            convert.score(x.point),
            tuple(RatingChance(convert.rating(b), p) for b, p in zip(bands, x.bands, strict=True)),
            x.likelihood,
            x.impact,
            Levels(*x.mean),
            x.splits,
            tuple(CellChance(li, ii, p) for (li, ii), p in sorted(x.cells.items(), key=lambda c: (-c[0][0], c[0][1]))),
        )
        for x in spreads
    )
    return SimulationResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        method=_method(exact),
        trials=run.trials,
        seed=run.seed,
        draws=tuple(DrawView(d.assumption, d.belief, d.parent, d.holds, d.fails) for d in run.draws),
        top=convert.rating(run.top),
        top_counts=run.top_counts,
        any_top=run.any_top,
        expected_top=run.expected_top,
        risks=risks,
    )


# --------------------------------------------------------------------------- sensitivity


def sensitivity(
    req: Request,
    s: Session,
    *,
    risk_id: str | None = None,
    trials: int = sim.TRIALS,
    seed: int | None = None,
    exact: bool = False,
    progress: Progress | None = None,
) -> SensitivityResult:
    """Each assumption set to holds and to fails: what moves across the register (or for one risk),
    most load-bearing first."""
    reg = s.reg
    risk = lookup_risk(reg, risk_id) if risk_id is not None else None
    _refuse_too_large(reg, risk, trials, exact)
    state, hyp = hypothesize(req, s)
    sens = sim.sensitivity(
        reg, state, risk=risk, trials=trials, seed=_seed(seed, exact), exact=exact, progress=progress
    )
    rows = []
    for rank, x in enumerate(sens.rows, 1):
        a = reg.assumption_by_id[x.assumption]
        support, derived = scoring.support_of(reg, a.id, x.belief)
        rows.append(LeverageView(rank, a.id, a.statement, x.belief, support, derived, x.holds, x.fails))
    return SensitivityResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        risk=risk.id if risk is not None else None,
        method=_method(exact),
        trials=sens.trials,
        seed=sens.seed,
        top=convert.rating(sens.top),
        now=sens.now,
        expected=sens.expected,
        assumptions=tuple(rows),
    )


def _refuse_too_large(reg: Register, risk: Risk | None, trials: int, exact: bool) -> None:
    """A sensitivity past SENSITIVITY_ASSUMPTIONS or SENSITIVITY_TRIALS, refused before any work
    with what to give instead. The assumptions counted are those the risks' drivers name and the
    ones they are linked to (given:), as the run sets them."""
    parent = {a.id: a.given.parent for a in reg.assumptions if a.given is not None}
    moving: set[str] = set()
    for r in [risk] if risk is not None else reg.risks:
        for d in r.drivers:
            a: str | None = d.assumption
            while a is not None and a not in moving:
                moving.add(a)
                a = parent.get(a)
    n = len(moving)
    narrower = "" if risk is not None else ", or one risk's with --risk ID"
    if n > SENSITIVITY_ASSUMPTIONS:
        raise UserError(
            f"sensitivity sets at most {SENSITIVITY_ASSUMPTIONS:,} assumptions each way, and {n:,} drive these "
            f"risks; simulate them together with 'riskcli simulate'{narrower}"
        )
    runs = 2 * n + 1
    if not exact and runs * trials > SENSITIVITY_TRIALS:
        raise UserError(
            f"sensitivity would draw {runs:,} runs × {trials:,} trials; it draws at most {SENSITIVITY_TRIALS:,} "
            f"in all: give --trials {SENSITIVITY_TRIALS // runs:,} or fewer{narrower}"
        )


# --------------------------------------------------------------------------- for other views


def simulated_grid(reg: Register, state: State, scored: Sequence[scoring.Scored] | None = None) -> SimulatedGrid:
    """``matrix --simulated``: exact when the combinations are few enough, else 10,000 draws with a
    fixed seed, so that the picture is the same every time; of the risks ``scored`` (the matrix's)."""
    sizes = sim.exact_sizes(reg, state)
    exact = all(k <= sim.EXACT_MAX for k, _ in sizes) and sum((1 << k) * n for k, n in sizes) <= EXACT_WORK
    run = sim.simulate(reg, state, exact=exact, seed=None if exact else MATRIX_SEED)
    shown = {x.risk.id for x in scored} if scored is not None else {r.id for r in reg.risks}
    spreads = [x for x in run.spreads if x.risk.id in shown]
    expected: dict[tuple[int, int], float] = {}
    for x in spreads:
        for cell, p in x.cells.items():
            expected[cell] = expected.get(cell, 0.0) + p
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    cells = tuple(
        ExpectedCell(li, ii, expected.get((li, ii), 0.0)) for li in range(nl, 0, -1) for ii in range(1, ni + 1)
    )
    split = tuple(x.risk.id for x in spreads if x.splits)
    bands = reg.rules.rating.bands
    risks = []
    for x in sorted(spreads, key=lambda x: scoring.rank_key(x.point)):
        best = max(x.bands)
        ties = [k for k, p in enumerate(x.bands) if p >= best - 1e-9]
        k = x.point.band_rank if x.point.band_rank in ties else ties[-1]
        chances = Chances(convert.rating(bands[k]), x.bands[k], convert.rating(bands[-1]), x.bands[-1])
        risks.append(RiskChances(x.risk.id, convert.rating(x.point.band), chances))
    return SimulatedGrid(_method(exact), run.trials, run.seed, cells, split, tuple(risks))


# --------------------------------------------------------------------------- lint-matrix


def lint_matrix(req: Request, path: Path | None = None, consequence: str | None = None) -> LintResult:
    """The rules in force (the register's own over the shipped ones, then --rules), or a rules file
    alone (a riskcli rules file or a CISO Assistant matrix), against Cox's axioms."""
    cq = lint.parse_consequence(consequence) if consequence is not None else lint.Consequence()
    info = None
    if path is not None:
        rules: Rules = register.load_rules_file(path, str(path), register.default_rules())
        shown: str | None = str(path)
    else:
        reg = register.load(req.register, req.rules)
        rules, info = reg.rules, convert.register_info(reg)
        shown = str(req.rules) if req.rules is not None else None
    result = lint.lint(rules, cq)

    def cell(c: lint.CellRange) -> LintCell:
        return LintCell(c.likelihood, c.impact, _rating(rules, c.band), c.low, c.high, c.expected)

    def pair(p: lint.Pair) -> CellPair:
        return CellPair(cell(p.higher), cell(p.lower))

    return LintResult(
        register=info,
        rules=shown,
        likelihood=tuple(
            LintLevel(lv.value, lv.name, band)
            for lv, band in zip(rules.likelihood.levels, result.probability, strict=True)
        ),
        probability_assumed=result.probability_assumed,
        impact=tuple(
            LintLevel(lv.value, lv.name, band)
            for lv, band in zip(rules.impact.levels, result.consequence_ranges, strict=True)
        ),
        bands=tuple(
            LintBand(b.id, b.name, b.color, sum(row.count(b.id) for row in rules.rating.grid))
            for b in rules.rating.bands
        ),
        consequence=cq.kind,
        ratio=cq.ratio if cq.kind is lint.ConsequenceKind.GEOMETRIC else None,
        cells=tuple(cell(c) for c in result.cells),
        checks=tuple(AxiomCheck(a, not pairs, tuple(pair(p) for p in pairs)) for a, pairs in result.breaches),
        reversals=tuple(pair(p) for p in result.reversals),
        passed=result.passed,
    )


def _rating(rules: Rules, band_id: str) -> Rating:
    return convert.rating(rules.rating.band(band_id))
