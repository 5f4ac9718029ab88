"""The result of ``report``: one briefing composed of the other views' shapes.

The matrix is the ``Grid`` the matrix view draws, the top risks are ``list`` rows with their
rationale and evidence, the Key Assumptions Check is the ``assumptions`` view's rows, and what
moved is the journal's events since a point in time with the ``MoveView`` of every risk they
moved. ``simulation`` and ``sensitivity`` are the places for the summaries of ``simulate`` and
``sensitivity``: null until a run of them is part of the state a report is made from.
"""

from __future__ import annotations

from riskcli.records import frozen
from riskcli.results.shapes.common import MoveView, ResolvedView, View
from riskcli.results.shapes.events import EventView, JournalInfo
from riskcli.results.shapes.matrix import Grid
from riskcli.results.shapes.risks import AssumptionView, RiskRow


@frozen
class SourceInfo:
    """What the register was drawn from, for the attribution line."""

    title: str | None
    author: str | None
    role: str | None
    published: str | None
    url: str | None
    note: str | None


@frozen
class TopRisk(RiskRow):
    """A ranked risk as a briefing shows it: its row of ``list``, with the reasons for its rating."""

    rationale: str | None
    evidence: str | None
    assumptions: tuple[str, ...]  # the assumptions its drivers name, in order


@frozen
class TopRisks:
    count: int  # risks in the register
    shown: int  # the top ones listed
    risks: tuple[TopRisk, ...]


@frozen
class Moved:
    """What moved since a point in time: the journal's events since then, and the risks whose
    score differs between the state replayed up to then and the state shown."""

    since: str | None  # UTC ISO-8601; null: since the register's baseline (every journal event)
    count: int  # events since then
    shown: int  # events listed (the latest ones)
    events: tuple[EventView, ...]
    moves: tuple[MoveView, ...]


@frozen
class BandChance:
    band: str
    probability: float


@frozen
class SimulatedRisk:
    risk: str
    bands: tuple[BandChance, ...]  # the probability of each rating band, lowest band first
    split: bool  # two separated modes, with the point score between them


@frozen
class SimulationSummary:
    """A simulation of the assumptions: the chance of each band per risk."""

    trials: int  # 0 when enumerated exactly
    seed: int | None
    exact: bool
    top_band: str  # the highest band, which ``any_in_top_band`` counts
    any_in_top_band: float  # P(at least one risk in the top band)
    risks: tuple[SimulatedRisk, ...]


@frozen
class SensitivityRow:
    """What setting one assumption to holds, then to fails, moves across the register."""

    assumption: str
    statement: str
    support: str
    cells_changed: int
    bands_changed: int
    score_shift: float  # total change of likelihood × impact between holds and fails


@frozen
class SensitivitySummary:
    assumptions: tuple[SensitivityRow, ...]  # the load-bearing ones first


@frozen(kw_only=True)
class ReportResult(View):
    """A briefing on the state shown: the register and its source, the matrix, the top risks with
    their reasons, the Key Assumptions Check and what moved since a point in time."""

    SCHEMA = "report"
    # 2: opportunities counted apart; each risk's chances; events; 3: decisions among the events; 4: the date
    # shown (--as-of); 5: analysts' beliefs in the assumptions (team); 6: resolved risks apart (resolve events
    # among the events), assumptions' resolutions; 7: each top risk's owner, status and over_appetite;
    # 8: rebaselines among the events; the closed and retired risks left apart; 9: the risks not yet assessed
    SCHEMA_VERSION = 9
    description: str | None
    source: SourceInfo | None
    journal: JournalInfo
    latest: str | None  # the time of the latest journal event in force: the state is as of then
    matrix: Grid
    applied: tuple[str, ...]  # responses applied in the state shown
    top: TopRisks
    resolved: tuple[ResolvedView, ...]  # risks resolved: out of the matrix and the ranking
    apart: tuple[str, ...]  # risks closed or retired: out of the matrix and the ranking too
    unassessed: tuple[str, ...]  # live risks not yet assessed: never placed nor ranked
    assumptions: tuple[AssumptionView, ...]
    moved: Moved
    simulation: SimulationSummary | None
    sensitivity: SensitivitySummary | None
