"""calibration: the track record of the resolved items."""

from __future__ import annotations

from riskcli import calibration
from riskcli.model import Resolution
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session
from riskcli.results.shapes.record import (
    CalibrationResult,
    ForecasterScore,
    ItemScore,
    LeadScore,
    ReliabilityRow,
    SignpostRow,
    SignpostSummaryView,
)


def calibration_of(req: Request, s: Session) -> CalibrationResult:
    """Every judgement of every resolved item, scored (``calibration``)."""
    reg = s.reg
    state = s.state
    rp = s.replay
    rec = calibration.record(reg, rp.active, state.resolutions)
    overall = {(x.kind, x.item): x for x in rec.items if x.forecaster == "overall"}
    baseline = {(x.kind, x.item): x for x in rec.items if x.forecaster == "baseline"}
    items = []
    for r in rec.resolved:
        o = overall[(r.kind, r.item)]
        items.append(
            ItemScore(r.kind, r.item, r.outcome, r.on, o.judgements, o.brier, o.log, baseline[(r.kind, r.item)].brier)
        )
    names = {lv.value: lv.name for lv in reg.rules.likelihood.levels}
    held = {True: Resolution.HELD, False: Resolution.FAILED}
    return CalibrationResult(
        register=convert.register_info(reg),
        as_of=s.as_of,
        levels_at="midpoint",
        resolved=len(rec.resolved),
        base_rates={k.value: v for k, v in rec.base_rates},
        forecasters=tuple(
            ForecasterScore(
                x.forecaster,
                x.items,
                x.judgements,
                x.brier,
                x.log,
                tuple(LeadScore(d, n, b) for d, (n, b) in zip(calibration.LEADS, x.at_lead, strict=True)),
            )
            for x in rec.summaries
        ),
        items=tuple(items),
        reliability=tuple(
            ReliabilityRow(
                x.level, names[x.level], x.low, x.high, x.count, x.came_true, x.mean_forecast, x.observed, x.interval
            )
            for x in rec.reliability
        ),
        signposts=tuple(
            SignpostRow(
                x.indicator, x.assumption, held[bool(x.outcome)], x.seen, x.absent, x.claimed_seen, x.claimed_absent
            )
            for x in rec.signposts
        ),
        signpost_summaries=tuple(
            SignpostSummaryView(x.indicator, x.held, x.held_seen, x.failed, x.failed_seen, x.observed_ratio)
            for x in rec.signpost_summaries
        ),
    )
