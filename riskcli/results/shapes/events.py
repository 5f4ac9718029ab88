"""Journal events as results show them, history, and what the recording commands did."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Literal, TypeVar, overload

from riskcli.journal import Break, KeptHead
from riskcli.model import Confidence, Event, NotCounted, Resolution, Status, Strategy
from riskcli.records import frozen
from riskcli.results.shapes.common import (
    AsOfInfo,
    BeliefChange,
    Earlier,
    MoveView,
    Output,
    ResolvedView,
    Score,
    Understood,
)
from riskcli.results.shapes.common import JournalInfo as JournalInfo  # re-exported: it was defined here
from riskcli.scoring import Outcome

# --------------------------------------------------------------------------- journal events


@frozen(kw_only=True)
class EventBase:
    line: int
    id: str
    at: str
    by: str
    why: str | None
    register: str | None  # the register it is bound to; None: written before binding
    undone: bool


@frozen
class Said:
    """What the analyst typed, where it was not a plain number."""

    likelihood: str | None
    impact: str | None


@frozen(kw_only=True)
class ScoreEvent(EventBase):
    kind: Literal["score"] = "score"
    risk: str
    likelihood: float
    impact: float
    said: Said | None
    confidence: Confidence | None


@frozen(kw_only=True)
class BeliefEvent(EventBase):
    kind: Literal["belief"] = "belief"
    assumption: str
    belief: float
    said: str | None


@frozen(kw_only=True)
class ObserveEvent(EventBase):
    kind: Literal["observe"] = "observe"
    indicator: str
    outcome: Outcome
    source: str | None  # who or what reported it (--source)
    ref: str | None  # the report or event it is (--ref): the same indicator and ref count once
    on: str | None  # the day it is about (--on), when not the day it was recorded


@frozen(kw_only=True)
class RespondEvent(EventBase):
    kind: Literal["respond"] = "respond"
    response: str
    applied: bool


@frozen(kw_only=True)
class UndoEvent(EventBase):
    kind: Literal["undo"] = "undo"
    undoes: str
    undoes_line: int | None  # the line of the event it reverts, when it is in the journal


@frozen(kw_only=True)
class AdoptEvent(EventBase):
    kind: Literal["adopt"] = "adopt"
    from_register: str  # the register whose events this one now replays


@frozen(kw_only=True)
class RebaselineEvent(EventBase):
    kind: Literal["rebaseline"] = "rebaseline"
    into: str  # the identity of the register written with this journal's state as its baseline
    file: str  # that register's file name
    sha256: str  # the digest of its bytes as written


@frozen(kw_only=True)
class TornEvent(EventBase):
    kind: Literal["torn"] = "torn"
    torn_lines: tuple[int, ...]  # lines left incomplete by a crash


@frozen(kw_only=True)
class AcceptEvent(EventBase):
    kind: Literal["accept"] = "accept"
    risk: str
    until: str | None  # the last day the acceptance holds
    approver: str | None  # who accepted the risk, when not the analyst who recorded it
    band: str | None  # the rating band the risk was in when accepted
    likelihood: float | None  # its score then
    impact: float | None


@frozen(kw_only=True)
class TreatEvent(EventBase):
    kind: Literal["treat"] = "treat"
    risk: str
    strategy: Strategy
    with_: tuple[str, ...]  # the responses that carry it out


@frozen(kw_only=True)
class ReviewEvent(EventBase):
    kind: Literal["review"] = "review"
    risk: str
    next: str | None  # the next review is due by then


@frozen(kw_only=True)
class AssignEvent(EventBase):
    kind: Literal["assign"] = "assign"
    risk: str
    owner: str


@frozen(kw_only=True)
class CloseEvent(EventBase):
    kind: Literal["close"] = "close"
    risk: str
    status: Status  # closed or retired


@frozen(kw_only=True)
class ReopenEvent(EventBase):
    kind: Literal["reopen"] = "reopen"
    risk: str


@frozen(kw_only=True)
class ResolveEvent(EventBase):
    kind: Literal["resolve"] = "resolve"
    risk: str | None  # the risk resolved (occurred, did-not-occur) …
    assumption: str | None  # … or the assumption (held, failed)
    outcome: Resolution
    on: str  # the day it happened, or was settled
    source: str | None


_E = TypeVar("_E", bound=EventBase)
_new = object.__new__


def build(cls: type[_E], **fields: Any) -> _E:
    """A frozen event view made without its generated ``__init__``, which sets each field through
    ``object.__setattr__`` at 4x the cost: history makes 100,000s of them. The same object, as frozen
    (a test compares it with the constructor's for every kind); ``kind`` comes from the class."""
    view = _new(cls)
    view.__dict__.update(fields)
    return view


EventView = (
    ScoreEvent
    | BeliefEvent
    | ObserveEvent
    | RespondEvent
    | UndoEvent
    | AdoptEvent
    | RebaselineEvent
    | TornEvent
    | AcceptEvent
    | TreatEvent
    | ReviewEvent
    | AssignEvent
    | CloseEvent
    | ReopenEvent
    | ResolveEvent
)


class EventViews(Sequence[EventView]):
    """Journal events as views, each built when it is read (JSON, a terminal's table). The events
    themselves stay at hand (``events``, ``undone``, ``lines``), so the piped history prints
    straight from them without building a view per event."""

    def __init__(
        self,
        events: Sequence[Event],
        undone: set[str],
        lines: Mapping[str, int],
        make: Callable[[Sequence[Event], set[str], Mapping[str, int]], list[EventView]],
    ):
        self.events, self.undone, self.lines, self._make = events, undone, lines, make

    def __len__(self) -> int:
        return len(self.events)

    def view(self, ev: Event) -> EventView:
        """One event's view."""
        (view,) = self._make([ev], self.undone, self.lines)
        return view

    @overload
    def __getitem__(self, i: int) -> EventView: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[EventView]: ...
    def __getitem__(self, i: int | slice) -> EventView | Sequence[EventView]:
        if isinstance(i, slice):
            return EventViews(self.events[i], self.undone, self.lines, self._make)
        return self.view(self.events[i])

    def __iter__(self) -> Iterator[EventView]:
        step = 4096
        for start in range(0, len(self.events), step):
            yield from self._make(self.events[start : start + step], self.undone, self.lines)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


@frozen
class HistoryFilters:
    risk: str | None
    assumption: str | None
    by: str | None
    since: str | None  # UTC ISO-8601


@frozen(kw_only=True)
class HistoryResult(Output):
    SCHEMA = "history"
    # 2: an observation's source, ref and day; 3: decisions (accept, treat, review, …); 4: the date shown
    # (--as-of); 5: resolutions among the events; 6: the risk's score over time (--risk); 7: rebaselines;
    # 8: where a rebaselined register's earlier history is
    SCHEMA_VERSION = 8
    as_of: AsOfInfo | None
    journal: JournalInfo
    filters: HistoryFilters
    count: int  # events matching the filters
    shown: int  # events listed (the latest ones)
    events: Sequence[EventView]  # EventViews: built as read
    track: Track | None = None  # --risk: its score in the baseline, then after each of its events
    earlier: Earlier | None = None  # a register made by rebaseline: where its history before then is


@frozen
class Track:
    """A risk's score over time: the baseline, then after each event that moved it."""

    risk: str
    top: float  # the highest score the scales allow (N × M)
    points: tuple[TrackPoint, ...]


@frozen
class TrackPoint:
    """A risk's score after one event that moved it (``line`` None: the register's baseline)."""

    line: int | None
    id: str | None
    at: str | None
    by: str | None
    kind: str | None
    why: str | None
    score: Score


# --------------------------------------------------------------------------- recording


@frozen(kw_only=True)
class Recorded(Output):
    """What a recording command did: the event appended (None: nothing recorded) and what moved."""

    journal: str
    recorded: bool
    event: EventView | None
    beliefs: tuple[BeliefChange, ...]
    moves: tuple[MoveView, ...]


@frozen(kw_only=True)
class ScoreResult(Recorded):
    SCHEMA = "score"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    risk: str
    understood: tuple[Understood, ...]


@frozen(kw_only=True)
class ScoreAllResult(Output):
    SCHEMA = "score-all"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    journal: str
    scored: tuple[ScoreResult, ...]


@frozen(kw_only=True)
class AssumeResult(Recorded):
    SCHEMA = "assume"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    assumption: str
    understood: Understood


@frozen(kw_only=True)
class ObserveResult(Recorded):
    SCHEMA = "observe"
    # 2: whether it counts; its source, ref and day; 3: decisions among the events; 4: resolutions;
    # 5: rebaselines among the events
    SCHEMA_VERSION = 5
    indicator: str
    title: str
    outcome: Outcome
    fixed: tuple[str, ...]  # assumptions the evidence could not move: fixed at 0 or 1 by assume
    counted: ObservationView  # whether it counts as evidence, and if not, why


@frozen
class ObservationView:
    """An observation as the assessment counts it: the same indicator and ref once, an absence once
    per review window; a review with nothing to record never."""

    line: int
    id: str
    at: str
    on: str | None  # the day it is about: --on, else the day it was recorded
    outcome: Outcome
    source: str | None
    ref: str | None
    counted: bool
    not_counted: NotCounted | None  # why not: ref, window or review
    first: int | None  # the line of the counted observation it repeats
    window: tuple[str, str] | None  # an absence's review window: its first and last day


@frozen(kw_only=True)
class RespondResult(Recorded):
    SCHEMA = "respond"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    response: str
    title: str
    applied: bool


@frozen(kw_only=True)
class ResolveResult(Recorded):
    """A risk or an assumption resolved: a resolved risk leaves the live views; a resolved assumption
    is hard evidence, and the risks resting on it (and on assumptions linked to it) move."""

    SCHEMA = "resolve"
    SCHEMA_VERSION = 2  # 2: rebaselines among the events
    resolved: ResolvedView


@frozen(kw_only=True)
class UndoResult(Recorded):
    SCHEMA = "undo"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    undid: EventView


@frozen(kw_only=True)
class AdoptResult(Recorded):
    SCHEMA = "journal-adopt"
    # 2: an observation's source, ref and day (events); 3: decisions among the events; 4: resolutions;
    # 5: rebaselines
    SCHEMA_VERSION = 5
    adopted: tuple[str, ...]  # the register identities whose events this register now replays


@frozen(kw_only=True)
class VerifyResult(Output):
    SCHEMA = "journal-verify"
    SCHEMA_VERSION = 3  # 2: breaks say their kind; the last line's number; the kept head checked; 3: merged
    journal: str
    ok: bool
    lines: int
    chained: int  # events carrying the hash of the line before
    unchained: int  # events from before the hash chain (a leading run of lines without hashes)
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line
    head_line: int | None  # its number
    kept: KeptHead | None  # the head given with --head, and the line it is the hash of (null: none)
    merged: bool  # every break is where several writers' chains interleave: journal verify --merged holds


@frozen(kw_only=True)
class HeadResult(Output):
    SCHEMA = "journal-head"
    journal: str
    head: str | None  # hash of the last line (null: an empty journal)
    line: int | None  # its number
