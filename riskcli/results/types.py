"""The results every command returns: frozen dataclasses of numbers, enums, ids and the
register's own text — never glyphs, colours or English.

These types *are* the JSON contract (DESIGN §7): ``render.json`` serializes them field by field
(a trailing ``_`` is dropped from a name: ``from_`` is ``"from"``), and ``render.schema`` derives
each view's JSON Schema from them. A top-level result names its schema in ``SCHEMA``; every one
carries the same ``register`` block. Changing a shape means a new schema version.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import ClassVar, Literal

from riskcli.diff import FieldChange
from riskcli.journal import Break
from riskcli.model import Axis, BeliefUpdate, Shift
from riskcli.rules import Via
from riskcli.scoring import (
    Cause,
    Clamp,
    ContributionKind,
    Direction,
    FindingCode,
    MoveKind,
    Override,
    ReviewStatus,
    WhatIf,
)

VERSION = 1

__all__ = [
    "Axis",
    "BeliefUpdate",
    "Break",
    "Cause",
    "Clamp",
    "ContributionKind",
    "Direction",
    "FieldChange",
    "FindingCode",
    "MoveKind",
    "Override",
    "ReviewStatus",
    "Shift",
    "Via",
    "WhatIf",
]


# --------------------------------------------------------------------------- shared shapes


@dataclass(frozen=True, slots=True)
class RegisterInfo:
    """Which register a result is about."""

    path: str
    id: str | None
    title: str | None
    as_of: str | None
    identity: str  # what its journal's events are bound to: the id, else the file name
    fingerprint: str  # a hash of its ids and scales


@dataclass(frozen=True, slots=True)
class Rating:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell of the matrix, or a risk's levels as whole numbers."""

    likelihood: int
    impact: int


@dataclass(frozen=True, slots=True)
class Levels:
    """Unrounded levels."""

    likelihood: float
    impact: float


@dataclass(frozen=True, slots=True)
class Score:
    """Where a risk stands: unrounded levels, their product, the rounded cell and its rating."""

    likelihood: float
    impact: float
    score: float
    cell: Cell
    rating: Rating
    clamped: tuple[Clamp, ...]


@dataclass(frozen=True, slots=True)
class MoveView:
    """A risk that moved between two states, and why."""

    risk: str
    title: str
    from_: Score
    to: Score
    causes: tuple[Cause, ...]


@dataclass(frozen=True, slots=True)
class BeliefChange:
    assumption: str
    from_: float
    to: float


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """The hypothetical state a read view shows (``--scenario``, ``--what-if``): nothing recorded."""

    scenario: str | None
    what_if: tuple[WhatIf, ...]
    overrides: tuple[Override, ...]


class StateKind(StrEnum):
    BASELINE = "baseline"
    CURRENT = "current"
    SCENARIO = "scenario"
    WHAT_IF = "what_if"


@dataclass(frozen=True, slots=True)
class StateRef:
    """One side of a comparison: the baseline, the current state, a scenario or a what-if set."""

    kind: StateKind
    scenario: str | None
    what_if: tuple[WhatIf, ...]


@dataclass(frozen=True, slots=True)
class Understood:
    """A value the user typed, as riskcli understood it."""

    field: str  # likelihood, impact or belief
    said: str
    value: float
    via: Via
    probability: float | None


@dataclass(frozen=True, slots=True)
class ActorRef:
    id: str
    name: str | None


# --------------------------------------------------------------------------- envelopes


@dataclass(frozen=True, kw_only=True)
class Output:
    """A command's whole result: its JSON names ``riskcli/<SCHEMA>/<VERSION>`` first."""

    SCHEMA: ClassVar[str] = ""
    register: RegisterInfo


@dataclass(frozen=True, kw_only=True)
class View(Output):
    """A read view, which may show a hypothetical state."""

    hypothetical: Hypothesis | None


# --------------------------------------------------------------------------- list


@dataclass(frozen=True, slots=True)
class RiskRow:
    rank: int
    id: str
    title: str
    category: str | None
    actors: tuple[str, ...]
    baseline: Cell
    current: Score


@dataclass(frozen=True, slots=True)
class ListFilters:
    actor: str | None
    category: str | None
    min_rating: str | None


@dataclass(frozen=True, kw_only=True)
class ListResult(View):
    SCHEMA = "list"
    filters: ListFilters
    count: int  # risks matching the filters
    shown: int  # risks listed
    risks: tuple[RiskRow, ...]


# --------------------------------------------------------------------------- show


@dataclass(frozen=True, slots=True)
class DriverView:
    assumption: str
    statement: str | None
    baseline_belief: float
    belief: float
    if_holds: Shift
    if_fails: Shift
    note: str | None


@dataclass(frozen=True, slots=True)
class ResponseOnRisk:
    response: str
    title: str
    kind: ContributionKind
    shift: Shift
    applied: bool


@dataclass(frozen=True, slots=True)
class AnalystView:
    """The analyst score a risk's current score starts from."""

    likelihood: float
    impact: float
    by: str
    at: str
    why: str | None


@dataclass(frozen=True, slots=True)
class ScoreEntry:
    line: int
    id: str
    at: str
    by: str
    likelihood: float
    impact: float
    why: str | None


@dataclass(frozen=True, slots=True)
class RiskDetail:
    id: str
    title: str
    category: str | None
    actors: tuple[ActorRef, ...]
    description: str | None
    rationale: str | None
    evidence: str | None
    baseline: Cell
    current: Score
    drivers: tuple[DriverView, ...]
    responses: tuple[ResponseOnRisk, ...]
    analyst: AnalystView | None
    scores: tuple[ScoreEntry, ...]  # the latest analyst scores in force, newest last
    scores_total: int  # how many there are in all


@dataclass(frozen=True, kw_only=True)
class ShowResult(View):
    SCHEMA = "show"
    risk: RiskDetail


# --------------------------------------------------------------------------- assumptions


@dataclass(frozen=True, slots=True)
class AssumptionView:
    id: str
    statement: str
    baseline_belief: float
    belief: float
    label: str  # the Key Assumptions Check label: solid, caveated, unsupported
    rationale: str | None
    evidence: str | None
    risks: tuple[str, ...]  # the risks whose drivers name it


@dataclass(frozen=True, kw_only=True)
class AssumptionsResult(View):
    SCHEMA = "assumptions"
    assumptions: tuple[AssumptionView, ...]


# --------------------------------------------------------------------------- matrix and compare


@dataclass(frozen=True, slots=True)
class LevelView:
    value: int
    name: str
    description: str | None
    probability: tuple[float, float] | None  # a likelihood level's band: [low, high)


@dataclass(frozen=True, slots=True)
class BandCount:
    id: str
    name: str
    color: str
    count: int


@dataclass(frozen=True, slots=True)
class CellView:
    likelihood: int
    impact: int
    rating: Rating
    count: int
    risks: tuple[str, ...]  # ranked, highest score first


@dataclass(frozen=True, kw_only=True)
class Grid:
    """The matrix: both scales, the bands with their counts, and every cell (top row first)."""

    likelihood: tuple[LevelView, ...]
    impact: tuple[LevelView, ...]
    bands: tuple[BandCount, ...]
    cells: tuple[CellView, ...]


class MatrixView(StrEnum):
    RESIDUAL = "residual"  # with the responses applied in the journal
    INHERENT = "inherent"  # as if no response were applied


@dataclass(frozen=True, slots=True)
class Comparison:
    from_: StateRef
    moves: tuple[MoveView, ...]


@dataclass(frozen=True, slots=True)
class ClampedRisk:
    risk: str
    clamps: tuple[Clamp, ...]


@dataclass(frozen=True, kw_only=True)
class MatrixResult(Grid, View):
    SCHEMA = "matrix"
    view: MatrixView
    applied: tuple[str, ...]  # responses applied in the state shown
    compare: Comparison | None
    clamped: tuple[ClampedRisk, ...]  # risks whose score is pinned at an end of a scale


@dataclass(frozen=True, kw_only=True)
class CompareResult(Grid, Output):
    """Two states compared; the grid is the TO state's."""

    SCHEMA = "compare"
    from_: StateRef
    to: StateRef
    moves: tuple[MoveView, ...]


# --------------------------------------------------------------------------- explain


@dataclass(frozen=True, slots=True)
class ContributionView:
    kind: ContributionKind
    ref: str  # the assumption or response
    title: str | None  # its statement or title
    shift: Shift
    withdrawn: bool  # a response applied when the analyst scored, withdrawn since
    belief_from: float | None
    belief_to: float | None
    if_holds: Shift | None
    if_fails: Shift | None


@dataclass(frozen=True, kw_only=True)
class ExplainResult(View):
    """Every contribution to a risk's current score: start + contributions = sum, clamped → current."""

    SCHEMA = "explain"
    risk: str
    title: str
    rationale: str | None
    baseline: Cell
    analyst: AnalystView | None  # when set, the start is the analyst's score, not the baseline
    start: Levels
    contributions: tuple[ContributionView, ...]
    sum: Levels
    current: Score


# --------------------------------------------------------------------------- scenarios


@dataclass(frozen=True, slots=True)
class ScenarioView:
    id: str
    title: str
    description: str | None
    beliefs: tuple[BeliefUpdate, ...]
    moved: int  # risks that move against the current state
    rating_changes: int  # of those, risks that change rating


@dataclass(frozen=True, kw_only=True)
class ScenariosResult(Output):
    SCHEMA = "scenarios"
    scenarios: tuple[ScenarioView, ...]


# --------------------------------------------------------------------------- indicators and responses


@dataclass(frozen=True, slots=True)
class IndicatorUpdate:
    assumption: str
    belief: float  # the belief an observation sets
    direction: Direction  # from the baseline belief


@dataclass(frozen=True, slots=True)
class IndicatorView:
    id: str
    title: str
    watch: str | None
    evidence: str | None
    review_every: int  # days
    last_observed: str | None  # date
    due: str | None  # date
    days: int | None  # days until due; negative: overdue by that many
    status: ReviewStatus
    overdue: bool
    updates: tuple[IndicatorUpdate, ...]


@dataclass(frozen=True, kw_only=True)
class IndicatorsResult(Output):
    SCHEMA = "indicators"
    today: str
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True, slots=True)
class EffectView:
    risk: str
    shift: Shift
    note: str | None


@dataclass(frozen=True, slots=True)
class ResponseView:
    id: str
    title: str
    description: str | None
    actors: tuple[str, ...]
    evidence: str | None
    effects: tuple[EffectView, ...]
    side_effects: tuple[EffectView, ...]
    applied: bool


@dataclass(frozen=True, kw_only=True)
class ResponsesResult(View):
    SCHEMA = "responses"
    responses: tuple[ResponseView, ...]


# --------------------------------------------------------------------------- validate and diff


@dataclass(frozen=True, slots=True)
class Counts:
    risks: int
    assumptions: int
    indicators: int
    responses: int
    scenarios: int


@dataclass(frozen=True, slots=True)
class FindingView:
    """A coherence finding: where the model is strained (never an error)."""

    id: str  # stable: code, subject and related ids
    code: FindingCode
    subject: str
    related: tuple[str, ...]
    axis: Axis | None
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ProblemView:
    file: str
    line: int | None
    col: int | None
    message: str


@dataclass(frozen=True, kw_only=True)
class ValidateResult:
    SCHEMA: ClassVar[str] = "validate"
    register: RegisterInfo | None  # None when the register could not be read
    valid: bool
    counts: Counts | None
    findings: tuple[FindingView, ...]
    evidence: tuple[str, ...]  # evidence quotes not found verbatim in the source text
    problems: tuple[ProblemView, ...]


@dataclass(frozen=True, slots=True)
class ItemRef:
    kind: str  # risk, assumption, indicator, response, scenario
    id: str


@dataclass(frozen=True, slots=True)
class RescoredView:
    id: str
    title: str
    from_: Score
    to: Score


@dataclass(frozen=True, slots=True)
class ChangedView:
    kind: str
    id: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, kw_only=True)
class DiffResult(Output):
    """Two versions of a register; ``register`` is the new one."""

    SCHEMA = "diff"
    old: RegisterInfo
    same: bool
    added: tuple[ItemRef, ...]
    removed: tuple[ItemRef, ...]
    rescored: tuple[RescoredView, ...]
    changed: tuple[ChangedView, ...]


# --------------------------------------------------------------------------- journal events


@dataclass(frozen=True, kw_only=True)
class EventBase:
    line: int
    id: str
    at: str
    by: str
    why: str | None
    register: str | None  # the register it is bound to; None: written before binding
    undone: bool


@dataclass(frozen=True, slots=True)
class Said:
    """What the analyst typed, where it was not a plain number."""

    likelihood: str | None
    impact: str | None


@dataclass(frozen=True, kw_only=True)
class ScoreEvent(EventBase):
    kind: Literal["score"] = "score"
    risk: str
    likelihood: float
    impact: float
    said: Said | None


@dataclass(frozen=True, kw_only=True)
class BeliefEvent(EventBase):
    kind: Literal["belief"] = "belief"
    assumption: str
    belief: float
    said: str | None


class Outcome(StrEnum):
    SEEN = "seen"  # the indicator was observed: its updates apply
    NONE = "none"  # looked for, nothing to record: only the review clock is reset


@dataclass(frozen=True, kw_only=True)
class ObserveEvent(EventBase):
    kind: Literal["observe"] = "observe"
    indicator: str
    outcome: Outcome


@dataclass(frozen=True, kw_only=True)
class RespondEvent(EventBase):
    kind: Literal["respond"] = "respond"
    response: str
    applied: bool


@dataclass(frozen=True, kw_only=True)
class UndoEvent(EventBase):
    kind: Literal["undo"] = "undo"
    undoes: str
    undoes_line: int | None  # the line of the event it reverts, when it is in the journal


@dataclass(frozen=True, kw_only=True)
class AdoptEvent(EventBase):
    kind: Literal["adopt"] = "adopt"
    from_register: str  # the register whose events this one now replays


@dataclass(frozen=True, kw_only=True)
class TornEvent(EventBase):
    kind: Literal["torn"] = "torn"
    torn_lines: tuple[int, ...]  # lines left incomplete by a crash


EventView = ScoreEvent | BeliefEvent | ObserveEvent | RespondEvent | UndoEvent | AdoptEvent | TornEvent


@dataclass(frozen=True, slots=True)
class JournalInfo:
    path: str
    events: int


@dataclass(frozen=True, slots=True)
class HistoryFilters:
    risk: str | None
    assumption: str | None
    by: str | None
    since: str | None  # UTC ISO-8601


@dataclass(frozen=True, kw_only=True)
class HistoryResult(Output):
    SCHEMA = "history"
    journal: JournalInfo
    filters: HistoryFilters
    count: int  # events matching the filters
    shown: int  # events listed (the latest ones)
    events: tuple[EventView, ...]


# --------------------------------------------------------------------------- recording


@dataclass(frozen=True, kw_only=True)
class Recorded(Output):
    """What a recording command did: the event appended (None: nothing recorded) and what moved."""

    journal: str
    recorded: bool
    event: EventView | None
    beliefs: tuple[BeliefChange, ...]
    moves: tuple[MoveView, ...]


@dataclass(frozen=True, kw_only=True)
class ScoreResult(Recorded):
    SCHEMA = "score"
    risk: str
    understood: tuple[Understood, ...]


@dataclass(frozen=True, kw_only=True)
class ScoreAllResult(Output):
    SCHEMA = "score-all"
    journal: str
    scored: tuple[ScoreResult, ...]


@dataclass(frozen=True, kw_only=True)
class AssumeResult(Recorded):
    SCHEMA = "assume"
    assumption: str
    understood: Understood


@dataclass(frozen=True, kw_only=True)
class ObserveResult(Recorded):
    SCHEMA = "observe"
    indicator: str
    title: str
    outcome: Outcome


@dataclass(frozen=True, kw_only=True)
class RespondResult(Recorded):
    SCHEMA = "respond"
    response: str
    title: str
    applied: bool


@dataclass(frozen=True, kw_only=True)
class UndoResult(Recorded):
    SCHEMA = "undo"
    undid: EventView


@dataclass(frozen=True, kw_only=True)
class AdoptResult(Recorded):
    SCHEMA = "journal-adopt"
    adopted: tuple[str, ...]  # the register identities whose events this register now replays


@dataclass(frozen=True, kw_only=True)
class VerifyResult(Output):
    SCHEMA = "journal-verify"
    journal: str
    ok: bool
    lines: int
    chained: int  # events carrying the hash of the line before
    unchained: int  # events from before the hash chain
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    code: int  # the exit code: 1 operational, 2 the user's input
    message: str
    file: str | None
    line: int | None
    col: int | None
    problems: tuple[ProblemView, ...]  # every problem, when there are several


@dataclass(frozen=True, kw_only=True)
class ErrorResult:
    """What ``--json`` prints on stderr when a command fails."""

    SCHEMA: ClassVar[str] = "error"
    error: ErrorInfo


RESULTS: tuple[type, ...] = (
    ListResult,
    ShowResult,
    AssumptionsResult,
    MatrixResult,
    CompareResult,
    ExplainResult,
    ScenariosResult,
    IndicatorsResult,
    ResponsesResult,
    ValidateResult,
    DiffResult,
    HistoryResult,
    ScoreResult,
    ScoreAllResult,
    AssumeResult,
    ObserveResult,
    RespondResult,
    UndoResult,
    AdoptResult,
    VerifyResult,
    ErrorResult,
)
