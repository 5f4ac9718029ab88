"""Results of the risk views: list, show, assumptions, explain."""

from __future__ import annotations

from enum import StrEnum

from riskcli.model import Axis, BeliefSet, Confidence, Shift, Status, Tally
from riskcli.records import frozen
from riskcli.results.shapes.common import (
    ActorRef,
    Cell,
    Chances,
    DueView,
    Earlier,
    HorizonView,
    Levels,
    ResolvedView,
    Score,
    View,
)
from riskcli.results.shapes.decide import StandingView
from riskcli.results.shapes.team import TeamBelief, TeamLevels
from riskcli.scoring import ContributionKind

# --------------------------------------------------------------------------- list


@frozen
class RiskRow:
    rank: int
    id: str
    title: str
    category: str | None
    actors: tuple[str, ...]
    baseline: Cell
    current: Score
    confidence: Confidence | None  # of the current judgement: the analyst's if given, else the register's
    chances: Chances  # its rating over the posterior of its assumptions: the likeliest band, P(top band)
    owner: str | None  # as decided: the journal's latest assignment, else the register's
    status: Status  # open, treated, accepted; closed and retired only when --status asks for them
    over_appetite: bool  # rated above its appetite (its category's, else the register's)


@frozen
class ListFilters:
    actor: str | None
    category: str | None
    min_rating: str | None
    owner: str | None
    status: tuple[Status, ...]  # the statuses listed (by default the live ones: open, treated, accepted)
    treatment: str | None  # avoid, reduce, transfer, accept, or none
    over_appetite: bool
    overdue: bool  # its review overdue, or its acceptance lapsed


@frozen(kw_only=True)
class ListResult(View):
    SCHEMA = "list"
    # 2: each risk's chances (likeliest band, P(top band)); 3: the date shown (--as-of); 4: disagree;
    # 5: resolved risks apart; 6: judgements past their horizon (due); 7: owner, status, over_appetite;
    # filters by decision; closed and retired risks apart; 8: the risks not yet assessed, and under --owner
    # what is named apart (closed and retired, resolved) is the owner's alone; 9: what is named apart is of
    # the risks every filter chose; unrated
    SCHEMA_VERSION = 9
    filters: ListFilters
    count: int  # live risks matching the filters
    shown: int  # risks listed
    risks: tuple[RiskRow, ...]
    # What the list leaves out and names apart is of the risks the filters chose (all but --status):
    apart: int = 0  # closed and retired risks left out, assessed or not (list --status closed,retired lists them); none under --status
    disagree: tuple[str, ...] = ()  # risks listed whose analysts' current levels are two or more apart on an axis
    resolved: tuple[ResolvedView, ...]  # risks resolved (occurred or not; of the statuses --status names): apart
    due: tuple[DueView, ...]  # risks listed whose horizon has ended, not resolved
    unassessed: tuple[str, ...]  # risks not yet assessed, of the statuses listed: never ranked (empty under unrated)
    unrated: tuple[str, ...]  # under --min-rating or --over-appetite, the risks not yet assessed the other filters
    # chose: a filter on the rating leaves them out, as they have no rating


# --------------------------------------------------------------------------- show


@frozen
class DriverView:
    assumption: str
    statement: str | None
    baseline_belief: float
    belief: float
    if_holds: Shift
    if_fails: Shift
    note: str | None


@frozen
class ResponseOnRisk:
    response: str
    title: str
    kind: ContributionKind
    shift: Shift
    applied: bool


@frozen
class AnalystView:
    """The analyst score a risk's current score starts from."""

    likelihood: float
    impact: float
    by: str
    at: str
    why: str | None
    confidence: Confidence | None


@frozen
class ScoreEntry:
    line: int
    id: str
    at: str
    by: str
    likelihood: float
    impact: float
    why: str | None


@frozen
class NotAssessed:
    """A risk not yet assessed: the level its register gives, if one of the two is (None: unassessed)."""

    likelihood: int | None
    impact: int | None


@frozen
class RiskDetail:
    id: str
    title: str
    category: str | None
    actors: tuple[ActorRef, ...]
    description: str | None
    rationale: str | None
    evidence: str | None
    baseline: Cell | None  # None: not yet assessed (see unassessed)
    current: Score | None  # None: not yet assessed
    chances: Chances | None  # its rating over the posterior of its assumptions: the likeliest band, P(top band)
    confidence: Confidence | None  # of the current judgement: the analyst's if given, else the register's
    owner: str | None  # the register's, or the latest assign
    extra: dict[str, str | int | float]
    drivers: tuple[DriverView, ...]
    responses: tuple[ResponseOnRisk, ...]
    analyst: AnalystView | None
    scores: tuple[ScoreEntry, ...]  # the latest analyst scores in force, newest last
    scores_total: int  # how many there are in all
    standing: StandingView  # owner, status, treatment, acceptance, review; against its appetite
    team: TeamLevels | None = None  # several analysts' scores and their combination (None: one analyst or none)
    resolved: ResolvedView | None = None  # what happened, once resolved (it has left the live views)
    unassessed: NotAssessed | None = None  # not yet assessed: no baseline, score or chances until it is scored


@frozen(kw_only=True)
class ShowResult(View):
    SCHEMA = "show"
    # 2: the risk's chances (likeliest band, P(top band)); 3: its standing; 4: the date shown (--as-of);
    # 5: team; 6: its resolution; 7: where a rebaselined register's earlier history is; 8: each analyst's
    # confidence in the team, and theirs combined; 9: a risk not yet assessed (unassessed; its baseline,
    # current score and chances null)
    SCHEMA_VERSION = 9
    risk: RiskDetail
    earlier: Earlier | None = None  # a register made by rebaseline: where its history before then is


# --------------------------------------------------------------------------- assumptions


class Wrong(StrEnum):
    """The state that would prove an assumption wrong: the opposite of what its belief leans to."""

    FAILS = "fails"  # belief ≥ 0.5
    HOLDS = "holds"  # belief < 0.5


@frozen
class ImpactIfWrong:
    """What moves if an assumption turns out wrong (set to the state its belief leans against)."""

    wrong: Wrong
    bands: tuple[str, ...]  # risks that change band
    cells: tuple[str, ...]  # risks that change cell


@frozen
class AssumptionView:
    id: str
    statement: str
    baseline_belief: float
    belief: float
    support: str  # the Key Assumptions Check's judgement of the evidence: solid, caveated, unsupported
    support_derived: bool  # the register gives none: derived from the belief
    rationale: str | None
    evidence: str | None
    risks: tuple[str, ...]  # the risks whose drivers name it
    impact_if_wrong: ImpactIfWrong | None = None  # the risks that change rating if it proves wrong
    team: TeamBelief | None = None  # several analysts' beliefs and their combination (None: one analyst or none)
    resolved: ResolvedView | None = None  # held or failed, once resolved (its belief is then 1 or 0)


@frozen(kw_only=True)
class AssumptionsResult(View):
    SCHEMA = "assumptions"
    # 2: the date shown (--as-of); 3: several analysts' beliefs (team); 4: its resolution; 5: due
    SCHEMA_VERSION = 5
    assumptions: tuple[AssumptionView, ...]
    due: tuple[DueView, ...]  # assumptions whose horizon has ended, not resolved


# --------------------------------------------------------------------------- explain


@frozen
class Link:
    """One link of the network: ``child`` is given ``parent``."""

    child: str
    parent: str


@frozen
class InfluenceView:
    """Evidence in force on one assumption (``on``) that moves the driver's: its own, or through the
    links between them (``via``, from ``on`` to the driver's assumption)."""

    on: str
    via: tuple[Link, ...]
    set: BeliefSet | None  # the last belief set on it
    observations: tuple[Tally, ...]  # signposts counted on it since


@frozen
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
    evidence: tuple[InfluenceView, ...]  # a driver: what moved its assumption's belief, by Bayes' rule


@frozen(kw_only=True)
class ExplainResult(View):
    """Every contribution to a risk's current score: start + contributions = sum, clamped → current."""

    SCHEMA = "explain"
    # 2: the evidence behind each driver's belief; ties; 3: the date shown (--as-of); 4: team; 5: resolved;
    # 6: horizon; 7: each analyst's confidence in the team, and theirs combined
    SCHEMA_VERSION = 7
    risk: str
    title: str
    rationale: str | None
    baseline: Cell
    analyst: AnalystView | None  # when set, the start is the analyst's score, not the baseline
    confidence: Confidence | None
    start: Levels
    contributions: tuple[ContributionView, ...]
    sum: Levels
    current: Score
    ties: tuple[Axis, ...]  # axes whose current score is exactly half-way between two levels
    chances: Chances  # its rating over the posterior of its assumptions
    team: TeamLevels | None = None  # several analysts: each one's score, combined into the start
    horizon: HorizonView | None = None  # what its likelihood is a probability over (None: no horizon given)
