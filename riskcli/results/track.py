"""A risk's score over time (``history --risk``): its baseline, then its score after each event
that moved it, replayed in the order the journal folds events (by time)."""

from __future__ import annotations

from collections.abc import Sequence

from riskcli import journal, scoring
from riskcli.journal.replay import in_order
from riskcli.model import Event, Register, Risk
from riskcli.results import convert
from riskcli.results.shapes.events import Track, TrackPoint


def risk_track(reg: Register, events: Sequence[Event], risk: Risk, touching: set[str]) -> Track:
    """The baseline's score, then the score after each event in ``touching`` (the events that
    moved the risk), each event folded with every event before it in time — an undo as well, so a
    point is the state as it stood then."""
    rp = journal.replay(reg, [])
    points = [TrackPoint(None, None, None, None, None, None, convert.score(scoring.score_risk(reg, risk, rp.state)))]
    pending: list[Event] = []
    ordered, _ = in_order(list(events))
    for ev in ordered:
        pending.append(ev)
        if ev.id not in touching:
            continue
        rp = journal.extend(reg, rp, pending)
        pending = []
        x = scoring.score_risk(reg, risk, rp.state)
        points.append(TrackPoint(ev.line, ev.id, ev.at, ev.by, ev.kind, ev.why or None, convert.score(x)))
    return Track(risk.id, float(reg.rules.likelihood.size * reg.rules.impact.size), tuple(points))
