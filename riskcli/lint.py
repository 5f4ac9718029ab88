"""The rating grid checked against Cox (2008), "What's wrong with risk matrices?" (Risk Analysis 28(2)).

Each cell is read as a range of quantitative risk, probability × consequence: the likelihood
level's probability band (from the scale; equal-width bands when the scale gives none) times a
consequence range for the impact level (geometric by default — each level ten times the one below,
level i covering [10^(i-1), 10^i] — or linear, level i of n covering [(i-1)/n, i/n] of the worst,
Cox's own reading). Then:

- **monotonicity**: the rating never falls as likelihood rises (impact held) or as impact rises
  (likelihood held): a cell rated above its neighbour one level up on either axis ranks a risk
  above one that dominates it on both axes, whatever ranges the levels stand for;
- **weak consistency**: every point of a top-band cell is riskier than every point of a
  bottom-band cell (no top cell reaches below what a bottom cell reaches);
- **betweenness**: no top-band cell touches a bottom-band cell — sharing an edge, or a corner on a
  rising diagonal (the positively sloped line of Cox's definition) — so that a small change cannot
  jump from the bottom band to the top;
- **consistent colouring**, generalised to ordered bands: no cell is rated higher than a cell whose
  every point is at least as risky as every point of its own;

and, beyond the axioms, every pair of cells the grid ranks in the opposite order from their
expected risk (the product of the midpoints of their ranges: a point spread evenly over the cell).

Pure: numbers and ids in, numbers and ids out.
"""

from __future__ import annotations

import itertools
from enum import StrEnum

from riskcli.model import Rules, UserError
from riskcli.records import frozen

EPS = 1e-12


class ConsequenceKind(StrEnum):
    GEOMETRIC = "geometric"  # level i covers [r^(i-1), r^i] (units of the least consequence)
    LINEAR = "linear"  # level i of n covers [(i-1)/n, i/n] of the worst consequence


@frozen(slots=True)
class Consequence:
    """The consequence range assumed for each impact level."""

    kind: ConsequenceKind = ConsequenceKind.GEOMETRIC
    ratio: float = 10.0  # geometric: each level this many times the one below

    def ranges(self, n: int) -> tuple[tuple[float, float], ...]:
        if self.kind is ConsequenceKind.LINEAR:
            return tuple(((i - 1) / n, i / n) for i in range(1, n + 1))
        return tuple((self.ratio ** (i - 1), self.ratio**i) for i in range(1, n + 1))


def parse_consequence(text: str) -> Consequence:
    """``geometric`` (×10 a level), ``geometric:R`` (×R, R > 1) or ``linear``."""
    kind, _, ratio = text.strip().lower().partition(":")
    if kind == ConsequenceKind.LINEAR.value and not ratio:
        return Consequence(ConsequenceKind.LINEAR)
    if kind == ConsequenceKind.GEOMETRIC.value:
        if not ratio:
            return Consequence()
        try:
            r = float(ratio)
        except ValueError:
            r = 0.0
        if r > 1 and r < float("inf"):
            return Consequence(ConsequenceKind.GEOMETRIC, r)
    raise UserError(
        f"--consequence {text!r} is not understood; give geometric (each impact level ten times the one below), "
        "geometric:R (R times, R > 1) or linear (equal steps up to the worst)"
    )


@frozen(slots=True)
class CellRange:
    """One cell of the grid as a range of quantitative risk."""

    likelihood: int
    impact: int
    band: str
    rank: int  # the band's position, lowest 0
    probability: tuple[float, float]
    consequence: tuple[float, float]

    @property
    def low(self) -> float:
        return self.probability[0] * self.consequence[0]

    @property
    def high(self) -> float:
        return self.probability[1] * self.consequence[1]

    @property
    def expected(self) -> float:
        return (sum(self.probability) / 2) * (sum(self.consequence) / 2)


class Axiom(StrEnum):
    MONOTONICITY = "monotonicity"
    WEAK_CONSISTENCY = "weak-consistency"
    BETWEENNESS = "betweenness"
    CONSISTENT_COLOURING = "consistent-colouring"


@frozen(slots=True)
class Pair:
    """Two cells that break a check: ``higher`` is rated above ``lower``."""

    higher: CellRange
    lower: CellRange


@frozen
class Lint:
    probability: tuple[tuple[float, float], ...]  # per likelihood level
    probability_assumed: bool  # the scale gives no probability bands: equal widths assumed
    consequence: Consequence
    consequence_ranges: tuple[tuple[float, float], ...]  # per impact level
    cells: tuple[CellRange, ...]  # top row (highest likelihood) first, impact ascending
    breaches: tuple[tuple[Axiom, tuple[Pair, ...]], ...]  # every axiom, with the pairs that break it
    reversals: tuple[Pair, ...]  # rated higher, lower expected risk; the worst first

    @property
    def passed(self) -> bool:
        return not any(pairs for _, pairs in self.breaches)


def probability_bands(rules: Rules) -> tuple[tuple[tuple[float, float], ...], bool]:
    """The likelihood levels' probability bands, and whether they were assumed (equal widths)."""
    scale = rules.likelihood
    if scale.has_bands:
        return tuple((float(lv.low or 0.0), float(lv.high or 0.0)) for lv in scale.levels), False
    n = scale.size
    return tuple(((i - 1) / n, i / n) for i in range(1, n + 1)), True


def lint(rules: Rules, consequence: Consequence | None = None) -> Lint:
    consequence = consequence or Consequence()
    nl, ni = rules.likelihood.size, rules.impact.size
    probability, assumed = probability_bands(rules)
    conseq = consequence.ranges(ni)
    rating = rules.rating
    cells = tuple(
        CellRange(
            li,
            ii,
            rating.grid[li - 1][ii - 1],
            rating.rank(rating.grid[li - 1][ii - 1]),
            probability[li - 1],
            conseq[ii - 1],
        )
        for li in range(nl, 0, -1)
        for ii in range(1, ni + 1)
    )
    used = sorted({c.rank for c in cells})
    top, bottom = (used[-1], used[0]) if len(used) > 1 else (None, None)
    tops = [c for c in cells if c.rank == top]
    bottoms = [c for c in cells if c.rank == bottom]
    at = {(c.likelihood, c.impact): c for c in cells}
    monotone = tuple(
        Pair(c, up)
        for c in cells
        for step in ((1, 0), (0, 1))
        if (up := at.get((c.likelihood + step[0], c.impact + step[1]))) is not None and up.rank < c.rank
    )
    weak = tuple(Pair(t, b) for t in tops for b in bottoms if t.low < b.high - EPS * max(1.0, b.high))
    touching = {(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, -1)}
    between = tuple(
        Pair(t, b) for t in tops for b in bottoms if (b.likelihood - t.likelihood, b.impact - t.impact) in touching
    )
    colouring = tuple(
        Pair(x, y)
        for x, y in itertools.permutations(cells, 2)
        if x.rank > y.rank and x.high <= y.low + EPS * max(1.0, y.low)
    )
    reversed_ = [
        Pair(x, y)
        for x, y in itertools.permutations(cells, 2)
        if x.rank > y.rank and x.expected < y.expected * (1 - 1e-9)
    ]
    reversed_.sort(key=lambda p: (-(p.lower.expected / p.higher.expected), -p.higher.likelihood, -p.higher.impact))
    return Lint(
        probability,
        assumed,
        consequence,
        conseq,
        cells,
        (
            (Axiom.MONOTONICITY, monotone),
            (Axiom.WEAK_CONSISTENCY, weak),
            (Axiom.BETWEENNESS, between),
            (Axiom.CONSISTENT_COLOURING, colouring),
        ),
        tuple(reversed_),
    )
