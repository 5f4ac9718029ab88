"""Results of the analyses: simulate, sensitivity, the matrix lint. (What they lend to other views —
the simulated matrix, the Key Assumptions Check's "impact if wrong" — is defined with those views,
so that their commands load none of this.)"""

from __future__ import annotations

from riskcli.lint import Axiom, ConsequenceKind
from riskcli.records import frozen
from riskcli.results.shapes.common import Levels, Rating, RegisterInfo, Score, View
from riskcli.results.shapes.matrix import ExpectedCell, Method, SimulatedGrid
from riskcli.results.shapes.risks import ImpactIfWrong, Wrong
from riskcli.simulate import Split, Swing

# --------------------------------------------------------------------------- simulate


@frozen
class DrawView:
    """How an assumption is drawn from the posterior: with its belief, or given its parent's draw."""

    assumption: str
    belief: float  # its current belief: the posterior marginal
    parent: str | None  # drawn given this parent's draw (both uncertain and linked)
    holds: float | None  # P(it holds | parent holds, the evidence)
    fails: float | None  # P(it holds | parent fails, the evidence)


@frozen
class RatingChance:
    rating: Rating
    probability: float


@frozen
class CellChance:
    likelihood: int
    impact: int
    probability: float


@frozen
class RiskOutlook:
    """One risk over the draws: where it is now, and where it lands."""

    id: str
    title: str
    point: Score  # the current score, as the matrix shows it
    bands: tuple[RatingChance, ...]  # every band, lowest first
    likelihood: tuple[float, ...]  # probability of each likelihood level, 1 first
    impact: tuple[float, ...]  # probability of each impact level, 1 first
    mean: Levels  # mean unclamped likelihood and impact over the draws
    splits: tuple[Split, ...]  # axes on which its outcomes cluster on both sides of the point
    cells: tuple[CellChance, ...]  # the cells it reaches, top row first


@frozen(kw_only=True)
class SimulationResult(View):
    """The register over draws of its assumptions (or every combination of them)."""

    SCHEMA = "simulate"
    SCHEMA_VERSION = 3  # 2: draws from the posterior (no override); 3: the date shown (--as-of)
    method: Method
    trials: int  # draws made, or combinations enumerated (exact)
    seed: int | None  # reproduces a sampled run; None when exact
    draws: tuple[DrawView, ...]  # how each assumption is drawn, register order
    top: Rating  # the top band
    top_counts: tuple[float, ...]  # P(exactly n risks in the top band), n = 0, 1, …
    any_top: float  # P(at least one risk in the top band)
    expected_top: float  # the expected number of risks in the top band
    risks: tuple[RiskOutlook, ...]  # ranked by the current score, highest first


# --------------------------------------------------------------------------- sensitivity


@frozen
class LeverageView:
    """One assumption's weight: what moves if it holds, and if it fails."""

    rank: int
    id: str
    statement: str
    belief: float
    support: str
    support_derived: bool  # the register states none: derived from the belief
    holds: Swing
    fails: Swing


@frozen(kw_only=True)
class SensitivityResult(View):
    """Each assumption set to holds and to fails: what moves, most load-bearing first."""

    SCHEMA = "sensitivity"
    SCHEMA_VERSION = 2  # 2: the date shown (--as-of)
    risk: str | None  # one risk's sensitivity (its cell, band, L×I and P(in the top band)), else None
    method: Method
    trials: int  # per run: draws, or combinations (exact)
    seed: int | None
    top: Rating
    now: float  # P(at least one risk in the top band) — for one risk, P(it is) — in the state shown
    expected: float  # the expected number of risks in the top band in the state shown
    assumptions: tuple[LeverageView, ...]


# --------------------------------------------------------------------------- the matrix lint


@frozen
class LintLevel:
    value: int
    name: str
    range: tuple[float, float]  # probability band (likelihood) or consequence range (impact)


@frozen
class LintBand:
    id: str
    name: str
    color: str
    cells: int  # cells of the grid in this band


@frozen
class LintCell:
    """A cell as a range of quantitative risk: probability × consequence."""

    likelihood: int
    impact: int
    rating: Rating
    low: float
    high: float
    expected: float  # the product of the midpoints


@frozen
class CellPair:
    higher: LintCell  # rated above …
    lower: LintCell  # … this one


@frozen
class AxiomCheck:
    axiom: Axiom
    passed: bool
    pairs: tuple[CellPair, ...]  # the cells that break it


@frozen(kw_only=True)
class LintResult:
    """The rating grid against Cox's (2008) axioms, each cell read as a range of quantitative risk."""

    SCHEMA = "lint-matrix"
    SCHEMA_VERSION = 2  # 2: the monotonicity check
    register: RegisterInfo | None  # the register whose rules were checked; None for a rules file alone
    rules: str | None  # the rules file checked (a path), or None: the register's own and the shipped ones
    likelihood: tuple[LintLevel, ...]  # probability bands
    probability_assumed: bool  # the scale gives none: equal widths assumed
    impact: tuple[LintLevel, ...]  # consequence ranges
    bands: tuple[LintBand, ...]  # lowest first
    consequence: ConsequenceKind
    ratio: float | None  # geometric: each impact level this many times the one below
    cells: tuple[LintCell, ...]  # top row first
    checks: tuple[AxiomCheck, ...]
    reversals: tuple[CellPair, ...]  # rated higher with a lower expected risk; the worst first
    passed: bool  # every check holds: monotonicity and Cox's three axioms


__all__ = [
    "AxiomCheck",
    "CellChance",
    "CellPair",
    "DrawView",
    "ExpectedCell",
    "ImpactIfWrong",
    "LeverageView",
    "LintBand",
    "LintCell",
    "LintLevel",
    "LintResult",
    "Method",
    "RatingChance",
    "RiskOutlook",
    "SensitivityResult",
    "SimulatedGrid",
    "SimulationResult",
    "Wrong",
]
