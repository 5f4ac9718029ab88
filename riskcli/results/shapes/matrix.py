"""Results of the matrix views: matrix and compare."""

from __future__ import annotations

from enum import StrEnum

from riskcli.records import frozen
from riskcli.results.shapes.common import (
    AsOfInfo,
    Chances,
    FindingView,
    MoveView,
    Output,
    Rating,
    ResolvedView,
    StateRef,
    View,
)
from riskcli.scoring import Clamp

# --------------------------------------------------------------------------- matrix --simulated


class Method(StrEnum):
    """How a simulation went through the assumptions' states."""

    SAMPLED = "sampled"  # draws from the beliefs (seeded)
    EXACT = "exact"  # every combination of the uncertain assumptions, weighted by its probability


@frozen
class ExpectedCell:
    likelihood: int
    impact: int
    expected: float  # the expected number of risks in the cell


@frozen
class RiskChances:
    """A risk's point rating beside its rating over the draws."""

    risk: str
    rating: Rating  # the point rating, as the grid shows it
    chances: Chances


@frozen
class SimulatedGrid:
    """``matrix --simulated``: the expected number of risks in each cell, the split risks, and each
    risk's likeliest band and chance of the top band beside its point rating."""

    method: Method
    trials: int
    seed: int | None
    cells: tuple[ExpectedCell, ...]  # top row first, as the grid's cells
    split: tuple[str, ...]  # risks whose outcomes cluster on both sides of their cell
    risks: tuple[RiskChances, ...]  # ranked as the matrix ranks them


# --------------------------------------------------------------------------- matrix and compare


@frozen
class LevelView:
    value: int
    name: str
    description: str | None
    probability: tuple[float, float] | None  # a likelihood level's band: [low, high)


@frozen
class BandCount:
    id: str
    name: str
    color: str
    count: int  # threats in the band
    opportunities: int  # upsides in the band (extra: {kind: opportunity}), counted apart


@frozen
class CellView:
    likelihood: int
    impact: int
    rating: Rating
    count: int
    risks: tuple[str, ...]  # ranked, highest score first


@frozen(kw_only=True)
class Grid:
    """The matrix: both scales, the bands with their counts, and every cell (top row first)."""

    likelihood: tuple[LevelView, ...]
    impact: tuple[LevelView, ...]
    bands: tuple[BandCount, ...]
    cells: tuple[CellView, ...]
    opportunities: tuple[str, ...]  # risks in the cells that are upsides, counted apart from threats


class MatrixView(StrEnum):
    RESIDUAL = "residual"  # with the responses applied in the journal
    INHERENT = "inherent"  # as if no response were applied


@frozen
class Comparison:
    from_: StateRef
    moves: tuple[MoveView, ...]


@frozen
class ClampedRisk:
    risk: str
    clamps: tuple[Clamp, ...]


@frozen(kw_only=True)
class MatrixResult(Grid, View):
    SCHEMA = "matrix"
    # 2: opportunities counted apart; --actor; each risk's chances (--simulated); ties; 3: the date shown
    # (--as-of); compare with a date; 4: disagree; 5: resolved risks apart; 6: closed and retired risks apart,
    # the appetite and the target; 7: the risks not yet assessed
    SCHEMA_VERSION = 7
    view: MatrixView
    applied: tuple[str, ...]  # responses applied in the state shown
    compare: Comparison | None
    clamped: tuple[ClampedRisk, ...]  # risks whose score is pinned at an end of a scale
    findings: tuple[FindingView, ...]  # coherence findings of the state shown (excludes, confidence, ties)
    actor: str | None = None  # --actor: the party whose risks these are (its own tally)
    simulated: SimulatedGrid | None = None  # matrix --simulated: expected risks per cell, split risks, chances
    disagree: tuple[str, ...] = ()  # risks whose analysts' current levels are two or more apart on an axis
    resolved: tuple[ResolvedView, ...] = ()  # risks resolved (occurred or not): out of the matrix, listed apart
    apart: tuple[str, ...] = ()  # risks closed or retired, assessed or not: out of the matrix
    appetite: Rating | None = None  # the register's: the highest band accepted without treatment
    target: Rating | None = None  # the register's: the band treatment aims for
    unassessed: tuple[str, ...]  # live risks not yet assessed: never placed


@frozen(kw_only=True)
class CompareResult(Grid, Output):
    """Two states compared; the grid is the TO state's."""

    SCHEMA = "compare"
    # 2: opportunities counted apart; 3: the date shown (--as-of); a date to compare; 4: resolved; 5: apart
    SCHEMA_VERSION = 5
    as_of: AsOfInfo | None  # --as-of: the journal as it stood on a date (current is then)
    from_: StateRef
    to: StateRef
    moves: tuple[MoveView, ...]
    resolved: tuple[ResolvedView, ...]  # risks resolved in the TO state: out of its grid
    apart: tuple[str, ...]  # risks closed or retired in the TO state: out of its grid and its moves
