"""Results of the decisions: where a risk stands (owner, status, treatment, acceptance, review), the
decision commands (accept, treat, review, assign, close, reopen)."""

from __future__ import annotations

from riskcli.decisions import Lapse
from riskcli.model import DecisionKind, Status, Strategy
from riskcli.records import frozen
from riskcli.results.shapes.common import Rating
from riskcli.results.shapes.events import Recorded

# --------------------------------------------------------------------------- standing


@frozen
class TreatmentView:
    strategy: Strategy
    responses: tuple[str, ...]  # the responses that carry it out


@frozen
class AcceptanceView:
    """The acceptance in force: who accepted the risk, when, until when and why; the band it was
    accepted at, and why it no longer holds (``lapses``, empty while it holds)."""

    by: str
    on: str  # YYYY-MM-DD
    until: str | None  # YYYY-MM-DD, the last day it holds (None: it never expires)
    why: str | None
    band: Rating | None  # the band the risk was in when accepted
    event: str | None  # the journal event that recorded it (None: the register's)
    lapses: tuple[Lapse, ...]


@frozen
class ReviewView:
    every: int | None  # days between reviews
    last: str | None  # YYYY-MM-DD of the last review recorded
    due: str | None  # YYYY-MM-DD the next review is due by (None: none due)
    overdue: bool  # as of the day


@frozen
class DecidedView:
    """The decision that set a risk's status."""

    kind: DecisionKind
    line: int | None  # its journal line, when known
    id: str
    at: str
    by: str
    why: str | None


@frozen
class StandingView:
    """Where a risk stands on a day (``as_of``): who owns it, its status, what was decided, and how
    it measures against its appetite."""

    as_of: str  # YYYY-MM-DD: the day acceptances and reviews are judged on
    owner: str | None
    status: Status
    treatment: TreatmentView | None
    acceptance: AcceptanceView | None
    review: ReviewView
    appetite: Rating | None  # its category's appetite, else the register's (None: none declared)
    over_appetite: bool  # rated above its appetite
    target: Rating | None  # the band its treatment aims for
    decided: DecidedView | None  # the journal decision that set its status (None: as the register says)


# --------------------------------------------------------------------------- the decision commands


@frozen(kw_only=True)
class DecisionResult(Recorded):
    """What a decision command recorded (``recorded`` false: the risk already stood so), and the
    risk's standing before and after."""

    SCHEMA = "decision"
    SCHEMA_VERSION = 3  # 2: resolutions among the events; 3: rebaselines
    decision: DecisionKind
    risk: str
    title: str
    before: StandingView
    after: StandingView
