"""Results of several analysts' views: each analyst's judgement of a risk or an assumption, their
combination, and the items they disagree on (``disagreements``)."""

from __future__ import annotations

from dataclasses import dataclass

from riskcli.model import Combine
from riskcli.results.shapes.common import Levels, View


@dataclass(frozen=True)
class AnalystLevels:
    """One analyst's latest score of a risk: as given, and as it stands now (moved by the beliefs and
    responses that changed since)."""

    by: str
    at: str
    given: Levels
    now: Levels
    why: str | None
    stale: bool  # older than the risk's review period


@dataclass(frozen=True)
class TeamLevels:
    """Several analysts' scores of one risk and their combination."""

    combine: Combine
    analysts: tuple[AnalystLevels, ...]  # oldest first
    combined: Levels  # their current levels combined: where the risk's score starts from
    spread: Levels  # how far apart their current levels are, per axis
    disagree: bool  # two levels or more apart on an axis


@dataclass(frozen=True)
class AnalystBelief:
    by: str
    at: str
    belief: float
    why: str | None


@dataclass(frozen=True)
class TeamBelief:
    """Several analysts' beliefs in one assumption and their combination."""

    combine: Combine
    analysts: tuple[AnalystBelief, ...]  # oldest first
    combined: float  # what the model is set to by their beliefs (evidence since moves the belief shown)
    spread: float
    disagree: bool  # more than 0.3 apart


@dataclass(frozen=True)
class RiskDisagreement:
    id: str
    title: str
    team: TeamLevels


@dataclass(frozen=True)
class AssumptionDisagreement:
    id: str
    statement: str
    team: TeamBelief


@dataclass(frozen=True, kw_only=True)
class DisagreementsResult(View):
    """The risks and assumptions on which analysts disagree, widest first."""

    SCHEMA = "disagreements"
    combine: Combine
    risks: tuple[RiskDisagreement, ...]  # two levels or more apart on an axis, widest first
    assumptions: tuple[AssumptionDisagreement, ...]  # beliefs more than 0.3 apart, widest first
    judged: int  # risks and assumptions judged by two analysts or more
