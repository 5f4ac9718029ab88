"""Results of scenarios, indicators and responses."""

from __future__ import annotations

from typing import Literal

from riskcli.model import BeliefUpdate, Shift
from riskcli.records import frozen
from riskcli.results.shapes.common import AsOfInfo, Output, View
from riskcli.results.shapes.events import ObservationView
from riskcli.scoring import Diagnosticity, ReviewStatus

# --------------------------------------------------------------------------- scenarios


@frozen
class ScenarioView:
    id: str
    title: str
    description: str | None
    beliefs: tuple[BeliefUpdate, ...]
    moved: int  # risks that move against the current state
    rating_changes: int  # of those, risks that change rating


@frozen(kw_only=True)
class ScenariosResult(Output):
    SCHEMA = "scenarios"
    SCHEMA_VERSION = 2  # 2: the date shown (--as-of)
    as_of: AsOfInfo | None
    scenarios: tuple[ScenarioView, ...]


# --------------------------------------------------------------------------- indicators and responses


@frozen
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
    form: Literal["sets", "evidence"]  # format 1: a sighting sets beliefs; format 2: it is evidence
    bears_on: tuple[Diagnosticity, ...]  # each assumption: the belief now, after a sighting, after none
    observations: tuple[ObservationView, ...]  # every one in force in the journal, counted or not, oldest first


@frozen(kw_only=True)
class IndicatorsResult(Output):
    SCHEMA = "indicators"
    SCHEMA_VERSION = 3  # 2: the observations in force, and which count; 3: the date shown (--as-of)
    as_of: AsOfInfo | None
    today: str
    total: int  # the register's indicators (with --overdue, more than are listed)
    indicators: tuple[IndicatorView, ...]


@frozen
class EffectView:
    risk: str
    shift: Shift
    note: str | None


@frozen
class ResponseView:
    id: str
    title: str
    description: str | None
    actors: tuple[str, ...]
    evidence: str | None
    effects: tuple[EffectView, ...]
    side_effects: tuple[EffectView, ...]
    applied: bool


@frozen(kw_only=True)
class ResponsesResult(View):
    SCHEMA = "responses"
    SCHEMA_VERSION = 2  # 2: the date shown (--as-of)
    responses: tuple[ResponseView, ...]
