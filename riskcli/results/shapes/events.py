"""Journal events as results show them, history, and what the recording commands did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from riskcli.journal import Break, KeptHead
from riskcli.model import Confidence
from riskcli.results.shapes.common import BeliefChange, MoveView, Output, Understood
from riskcli.scoring import Outcome

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


@dataclass(frozen=True)
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
    confidence: Confidence | None


@dataclass(frozen=True, kw_only=True)
class BeliefEvent(EventBase):
    kind: Literal["belief"] = "belief"
    assumption: str
    belief: float
    said: str | None


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


_E = TypeVar("_E", bound=EventBase)
_new = object.__new__


def build(cls: type[_E], **fields: Any) -> _E:
    """A frozen event view made without its generated ``__init__``, which sets each field through
    ``object.__setattr__`` at 4x the cost: history makes 100,000s of them. The same object, as frozen
    (a test compares it with the constructor's for every kind); ``kind`` comes from the class."""
    view = _new(cls)
    view.__dict__.update(fields)
    return view


EventView = ScoreEvent | BeliefEvent | ObserveEvent | RespondEvent | UndoEvent | AdoptEvent | TornEvent


@dataclass(frozen=True)
class JournalInfo:
    path: str
    events: int


@dataclass(frozen=True)
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
    fixed: tuple[str, ...]  # assumptions the evidence could not move: fixed at 0 or 1 by assume


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
    SCHEMA_VERSION = 2  # 2: breaks say their kind; the last line's number; the kept head checked
    journal: str
    ok: bool
    lines: int
    chained: int  # events carrying the hash of the line before
    unchained: int  # events from before the hash chain (a leading run of lines without hashes)
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line
    head_line: int | None  # its number
    kept: KeptHead | None  # the head given with --head, and the line it is the hash of (null: none)


@dataclass(frozen=True, kw_only=True)
class HeadResult(Output):
    SCHEMA = "journal-head"
    journal: str
    head: str | None  # hash of the last line (null: an empty journal)
    line: int | None  # its number
