"""The shapes every result shares: the register block, ratings, cells, scores, moves, hypotheses,
and the envelopes (``Output``, ``View``)."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from riskcli.model import Axis, Resolution, Resolvable
from riskcli.records import frozen
from riskcli.rules import Via
from riskcli.scoring import Cause, Clamp, FindingCode, Override, WhatIf

VERSION = 1


# --------------------------------------------------------------------------- shared shapes


@frozen
class RegisterInfo:
    """Which register a result is about."""

    path: str
    id: str | None
    title: str | None
    as_of: str | None
    identity: str  # what its journal's events are bound to: the id, else the file name
    fingerprint: str  # a hash of its ids and scales


@frozen
class Earlier:
    """Where the history of a register made by rebaseline is, before the day it was made: in the
    journal of the register it was made from."""

    register: str  # that register's id
    date: str  # YYYY-MM-DD: the day of the rebaseline
    file: str | None  # that register's file, as a path from here; None: the embedded register


@frozen
class Rating:
    id: str
    name: str


@frozen
class Cell:
    """A cell of the matrix, or a risk's levels as whole numbers."""

    likelihood: int
    impact: int


@frozen
class Levels:
    """Unrounded levels."""

    likelihood: float
    impact: float


@frozen
class Score:
    """Where a risk stands: unrounded levels, their product, the rounded cell and its rating."""

    likelihood: float
    impact: float
    score: float
    cell: Cell
    rating: Rating
    clamped: tuple[Clamp, ...]


@frozen
class Chances:
    """A risk's rating over the posterior of its assumptions (exact): the likeliest band — which may
    not be the point rating — and the chance of the top band."""

    likeliest: Rating
    probability: float  # of the likeliest band
    top_band: Rating  # the rating's top band
    top: float  # P(the top band)


@frozen
class MoveView:
    """A risk that moved between two states, and why."""

    risk: str
    title: str
    from_: Score
    to: Score
    causes: tuple[Cause, ...]


@frozen
class BeliefChange:
    assumption: str
    from_: float
    to: float


@frozen
class Hypothesis:
    """The hypothetical state a read view shows (``--scenario``, ``--what-if``): nothing recorded."""

    scenario: str | None
    what_if: tuple[WhatIf, ...]
    overrides: tuple[Override, ...]


@frozen
class AsOfInfo:
    """The date a read view shows the assessment on (``--as-of``): the journal's events recorded by
    then, replayed over the register as it is now."""

    date: str  # as asked: a date (the whole day counts), a date-time, today, …
    until: str  # the last instant counted (UTC ISO-8601)
    events: int  # journal events counted
    total: int  # events in the journal
    fingerprint: str | None  # the register fingerprint the last of them was recorded against
    same_register: bool | None  # that fingerprint is the register's read now (None: no event records one)


class StateKind(StrEnum):
    BASELINE = "baseline"
    CURRENT = "current"
    SCENARIO = "scenario"
    WHAT_IF = "what_if"
    AS_OF = "as_of"  # the journal as it stood on a date


@frozen
class StateRef:
    """One side of a comparison: the baseline, the current state, a scenario, a what-if set or the
    state on a date."""

    kind: StateKind
    scenario: str | None
    what_if: tuple[WhatIf, ...]
    as_of: AsOfInfo | None  # a date: what of the journal that state counts


@frozen
class Understood:
    """A value the user typed, as riskcli understood it."""

    field: str  # likelihood, impact or belief
    said: str
    value: float
    via: Via
    probability: float | None


@frozen
class ActorRef:
    id: str
    name: str | None


# --------------------------------------------------------------------------- envelopes


@frozen(kw_only=True)
class Output:
    """A command's whole result: its JSON names ``riskcli/<SCHEMA>/<SCHEMA_VERSION>`` first."""

    SCHEMA: ClassVar[str] = ""
    SCHEMA_VERSION: ClassVar[int] = VERSION  # a change of shape is a new version
    register: RegisterInfo


@frozen(kw_only=True)
class View(Output):
    """A read view, which may show a hypothetical state, or the state on a past date."""

    hypothetical: Hypothesis | None
    as_of: AsOfInfo | None


@frozen
class FindingView:
    """A coherence finding: where the model is strained (never an error)."""

    id: str  # stable: code, subject and related ids
    code: FindingCode
    subject: str
    related: tuple[str, ...]
    axis: Axis | None
    values: tuple[float, ...]
    acknowledged: bool  # the register accepts it deliberately (acknowledge:)
    why: str | None  # and says why


@frozen
class ResolvedView:
    """A risk or an assumption resolved: what happened, on what day, and who recorded it."""

    kind: Resolvable
    id: str
    title: str  # the risk's title, or the assumption's statement
    outcome: Resolution
    on: str  # YYYY-MM-DD
    by: str
    at: str  # when it was recorded (UTC ISO-8601)
    why: str | None
    source: str | None
    event: str  # the journal event's id (undo it to take the resolution back)


@frozen
class ConvertedView:
    """A probability band converted to another horizon at a constant hazard: p_T = 1 − (1 − p)^(T/t)."""

    over: str  # the horizon converted to (12 months, by 2025-12-31)
    days: float  # T
    probability: tuple[float, float]


@frozen
class HorizonView:
    """The horizon a risk's likelihood is a probability over: a day (by) or a span (within) from
    the judgement in force; its own or the register's default."""

    by: str | None
    within: str | None
    own: bool  # the risk's own (else the register's default)
    start: str | None  # the day the judgement in force was made (an analyst's score, else the register's as_of)
    end: str | None  # the day it ends
    days: float | None  # t: its length in days
    due: bool  # it has ended and the risk is not resolved
    probability: tuple[float, float] | None  # the current likelihood level's band over it
    converted: ConvertedView | None  # that band over the register's default horizon (or a year)


@frozen
class DueView:
    """A judgement past its horizon and not resolved: what it forecast should be known by now."""

    kind: Resolvable
    id: str
    title: str  # the risk's title, or the assumption's statement
    since: str  # the day its horizon ended
    by: str | None  # the analyst whose judgement it is (None: the register's baseline)


# Here, not with the events: a view that names its journal need not make every event's shape.
@frozen
class JournalInfo:
    path: str
    events: int
