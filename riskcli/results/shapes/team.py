"""Results of several analysts' views: each analyst's judgement of a risk or an assumption, their
combination, and the items they disagree on (``disagreements``); a team's journals merged
(``journal merge``) and their hash chains checked (``journal verify --merged``)."""

from __future__ import annotations

from riskcli.journal.verifying import KeptHead
from riskcli.model import Combine, Confidence
from riskcli.records import frozen
from riskcli.results.shapes.common import Levels, Output, View


@frozen
class AnalystLevels:
    """One analyst's latest score of a risk: as given, and as it stands now (moved by the beliefs and
    responses that changed since)."""

    by: str
    at: str
    given: Levels
    now: Levels
    why: str | None
    stale: bool  # older than the risk's review period
    confidence: Confidence | None  # the analyst's in this score (ICD 203), None: none given


@frozen
class TeamLevels:
    """Several analysts' scores of one risk and their combination."""

    combine: Combine
    analysts: tuple[AnalystLevels, ...]  # oldest first
    combined: Levels  # their current levels combined: where the risk's score starts from
    spread: Levels  # how far apart their current levels are, per axis
    disagree: bool  # two levels or more apart on an axis
    confidence: Confidence | None  # the confidences given combined by the rule (None: no analyst gave one)


@frozen
class AnalystBelief:
    by: str
    at: str
    belief: float
    why: str | None


@frozen
class TeamBelief:
    """Several analysts' beliefs in one assumption and their combination."""

    combine: Combine
    analysts: tuple[AnalystBelief, ...]  # oldest first
    combined: float  # what the model is set to by their beliefs (evidence since moves the belief shown)
    spread: float
    disagree: bool  # more than 0.3 apart


@frozen
class RiskDisagreement:
    id: str
    title: str
    team: TeamLevels


@frozen
class AssumptionDisagreement:
    id: str
    statement: str
    team: TeamBelief


@frozen(kw_only=True)
class DisagreementsResult(View):
    """The risks and assumptions on which analysts disagree, widest first."""

    SCHEMA = "disagreements"
    SCHEMA_VERSION = 2  # 2: each analyst's confidence, and theirs combined
    combine: Combine
    risks: tuple[RiskDisagreement, ...]  # two levels or more apart on an axis, widest first
    assumptions: tuple[AssumptionDisagreement, ...]  # beliefs more than 0.3 apart, widest first
    judged: int  # risks and assumptions judged by two analysts or more


# --------------------------------------------------------------------------- a team's journals


@frozen
class MergedFrom:
    """What one input journal gave the merged journal."""

    journal: str
    events: int  # events read from it
    added: int  # events it added (not already taken from a journal before it)
    duplicates: int  # events already there (the same id)
    conflicts: int  # of those, events whose content differs (the copy whose content sorts first is kept)
    torn: int  # incomplete lines (a crash mid-write): kept once, not events


@frozen(kw_only=True)
class MergeResult(Output):
    """journal merge: the union of the journals' events, each once, written to ``output``."""

    SCHEMA = "journal-merge"
    output: str
    events: int  # events in the merged journal
    inputs: tuple[MergedFrom, ...]


@frozen
class ChainTip:
    """The last line of a chain (no line names it): one writer's latest line, or a copy's."""

    line: int
    by: str
    hash: str


@frozen(kw_only=True)
class MergedVerifyResult(Output):
    """journal verify --merged: the hash chains of a merged journal, read as a graph."""

    SCHEMA = "journal-verify-merged"
    journal: str
    ok: bool
    lines: int  # events read
    chained: int  # events naming the line before them in their writer's journal
    unchained: int  # events naming none (from before the hash chain)
    dangling: tuple[int, ...]  # lines naming a line that is in no line of the file: edited or deleted
    tips: tuple[ChainTip, ...]  # the last line of each chain
    kept: KeptHead | None  # the head given with --head, and the line it is the hash of (null: none)
