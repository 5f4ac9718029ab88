"""Horizons in the views: the horizon of a risk's likelihood (explain), with its probability band
converted to another horizon at a constant hazard; the judgements past their horizon and not
resolved (list, assumptions)."""

from __future__ import annotations

from datetime import date

from riskcli import horizons
from riskcli.horizons import YEAR, Horizon
from riskcli.model import Register, Resolvable, Risk
from riskcli.results.shapes.common import ConvertedView, DueView, HorizonView
from riskcli.scoring import State


def risk_start(reg: Register, state: State, risk: Risk) -> tuple[date | None, str]:
    """The day the judgement of a risk's likelihood in force was made, and whose it is: its
    analyst score's, else the register's baseline (its as_of)."""
    a = state.scores.get(risk.id)
    if a is not None and (d := horizons.day_of(a.at)) is not None:
        return d, a.by
    return horizons.day_of(reg.as_of), ""


def explain_horizon(reg: Register, state: State, risk: Risk, level: int, on: date) -> HorizonView | None:
    """A risk's horizon as explain shows it: from when, to when, due or not, and its level's
    probability band over it and converted to the register's default horizon (or a year)."""
    h = horizons.of_item(reg, risk.by, risk.within)
    if h is None:
        return None
    start, _ = risk_start(reg, state, risk)
    end = h.end(start)
    t = h.days(start)
    lv = reg.rules.likelihood.levels[level - 1]
    band = (lv.low, lv.high) if lv.low is not None and lv.high is not None else None
    converted = None
    if band is not None and t is not None:
        target, span = _target(reg, h, start)
        if target is not None and abs(target - t) >= 1:
            converted = ConvertedView(
                str(span), target, (horizons.convert(band[0], t, target), horizons.convert(band[1], t, target))
            )
    resolved = (Resolvable.RISK, risk.id) in state.resolutions
    return HorizonView(
        by=h.by.isoformat() if h.by is not None else None,
        within=str(h.within) if h.within is not None else None,
        own=h.own,
        start=start.isoformat() if start is not None else None,
        end=end.isoformat() if end is not None else None,
        days=t,
        due=end is not None and end < on and not resolved,
        probability=band,
        converted=converted,
    )


def _target(reg: Register, h: Horizon, start: date | None) -> tuple[float | None, object]:
    """What to convert to: the register's default horizon when the item has its own, else a year."""
    if h.own and reg.within is not None:
        return horizons.nominal_days(reg.within), reg.within
    return horizons.nominal_days(YEAR), YEAR


def due(reg: Register, state: State, on: date, *, risks: bool = True, assumptions: bool = True) -> tuple[DueView, ...]:
    """The judgements past their horizon on a day and not resolved: risks (from the judgement in
    force), then assumptions (from the register's as_of), in register order."""
    out: list[DueView] = []
    if risks and (reg.within is not None or any(r.by or r.within for r in reg.risks)):
        for r in reg.risks:
            h = horizons.of_item(reg, r.by, r.within)
            if h is None or (Resolvable.RISK, r.id) in state.resolutions:
                continue
            start, by = risk_start(reg, state, r)
            end = h.end(start)
            if end is not None and end < on:
                out.append(DueView(Resolvable.RISK, r.id, r.title, end.isoformat(), by or None))
    if assumptions and (reg.within is not None or any(a.by or a.within for a in reg.assumptions)):
        for a in reg.assumptions:
            h = horizons.of_item(reg, a.by, a.within)
            if h is None or (Resolvable.ASSUMPTION, a.id) in state.resolutions:
                continue
            end = h.end(horizons.day_of(reg.as_of))
            if end is not None and end < on:
                out.append(DueView(Resolvable.ASSUMPTION, a.id, a.statement, end.isoformat(), None))
    return tuple(out)
