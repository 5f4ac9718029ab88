"""The track record (calibration): resolved items scored, each forecaster's scores, the reliability
table and the signposts' check."""

from __future__ import annotations

from riskcli.model import Resolution, Resolvable
from riskcli.records import frozen
from riskcli.results.shapes.common import AsOfInfo, Output


@frozen
class LeadScore:
    days: int  # days before the resolution
    items: int  # items with a judgement in force then
    brier: float | None  # their mean Brier score


@frozen
class ForecasterScore:
    """One forecaster's mean scores over the resolved items it judged (lower is better)."""

    forecaster: str  # overall, baseline, base rate, or an analyst's name
    items: int
    judgements: int
    brier: float  # time-averaged over each judgement's life
    log: float
    leads: tuple[LeadScore, ...]


@frozen
class ItemScore:
    """One resolved item: what happened and the register's (overall) scores of it."""

    kind: Resolvable
    id: str
    outcome: Resolution
    on: str
    judgements: int
    brier: float
    log: float
    baseline_brier: float


@frozen
class ReliabilityRow:
    """The judgements in force at resolution that fall in one likelihood band."""

    level: int
    name: str
    low: float
    high: float
    count: int
    came_true: int
    mean_forecast: float | None
    observed: float | None
    interval: tuple[float, float] | None  # Wilson 95%


@frozen
class SignpostRow:
    """A signpost on one resolved assumption: sightings and absences recorded before it was resolved."""

    indicator: str
    assumption: str
    outcome: Resolution
    seen: int
    absent: int
    claimed_seen: float  # P(seen | holds) / P(seen | fails), as the register states it
    claimed_absent: float


@frozen
class SignpostSummaryView:
    indicator: str
    held: int
    held_seen: int
    failed: int
    failed_seen: int
    observed_ratio: float | None  # (held_seen / held) / (failed_seen / failed)


@frozen(kw_only=True)
class CalibrationResult(Output):
    """The track record: every judgement in force before each resolution, scored."""

    SCHEMA = "calibration"
    as_of: AsOfInfo | None
    levels_at: str  # how a likelihood level becomes a probability: "midpoint" of its band
    resolved: int
    base_rates: dict[str, float]  # by kind: the share of resolved items that came true
    forecasters: tuple[ForecasterScore, ...]
    items: tuple[ItemScore, ...]
    reliability: tuple[ReliabilityRow, ...]
    signposts: tuple[SignpostRow, ...]
    signpost_summaries: tuple[SignpostSummaryView, ...]
