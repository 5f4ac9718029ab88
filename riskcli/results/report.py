"""The briefing: the matrix, the top risks, the Key Assumptions Check and what moved, in one result.

``report`` composes the results of the read views (``grid.matrix``, ``views.list_risks``,
``views.assumptions``) and adds what moved since a point in time: the journal's events since
then, and the moves between the journal replayed up to then and the state shown. A hypothesis
(``--scenario``, ``--what-if``) applies to both ends, so the moves are the journal's under it.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from riskcli import journal, scoring
from riskcli.model import Event, Register
from riskcli.results import convert, grid, views
from riskcli.results.request import Request
from riskcli.results.session import Session, hypothesize
from riskcli.results.shapes.events import JournalInfo
from riskcli.results.shapes.matrix import Grid
from riskcli.results.shapes.report import Moved, ReportResult, SourceInfo, TopRisk, TopRisks
from riskcli.results.shapes.risks import RiskRow

TOP = 10  # risks a briefing lists unless asked for more
EVENTS = 50  # journal events a briefing lists: the latest


def report(
    req: Request, s: Session, *, top: int = TOP, since: datetime | None = None, if_wrong: bool = True
) -> ReportResult:
    """The briefing on the state shown (current, or hypothetical); ``since``: what moved since
    then (None: since the register's baseline, over the whole journal); ``if_wrong``: each
    assumption with what moves if it proves wrong (the JSON's; the documents do not show it)."""
    reg = s.reg
    m = grid.matrix(req, s)
    ranked = views.list_risks(req, s, limit=top)
    kac = views.assumptions(req, s, if_wrong=if_wrong)
    return ReportResult(
        register=m.register,
        hypothetical=m.hypothetical,
        as_of=s.as_of,
        description=reg.description or None,
        source=_source(reg),
        journal=JournalInfo(str(s.location.path), len(s.journal.events)),
        latest=_latest(s.replay.active),
        matrix=Grid(
            likelihood=m.likelihood, impact=m.impact, bands=m.bands, cells=m.cells, opportunities=m.opportunities
        ),
        applied=m.applied,
        top=TopRisks(ranked.count, ranked.shown, tuple(_top(reg, row) for row in ranked.risks)),
        resolved=m.resolved,
        apart=m.apart,
        unassessed=m.unassessed,
        assumptions=kac.assumptions,
        moved=moved(req, s, since),
        simulation=None,
        sensitivity=None,
    )


def moved(req: Request, s: Session, since: datetime | None, limit: int = EVENTS) -> Moved:
    """The journal's events since ``since`` and the risks that moved between the journal replayed
    up to then and the state shown."""
    reg = s.reg
    events = s.journal.events
    recent = list(events) if since is None else list(journal.iter_filtered(events, since=since))
    mv: list[scoring.Move] = []
    if recent:  # no event since then: the state then is the state shown, and nothing moved
        if since is None:
            then = scoring.baseline_state(reg)
        else:
            later = {id(ev) for ev in recent}
            then = journal.replay(reg, [ev for ev in events if id(ev) not in later]).state
        now, _ = hypothesize(req, s)
        then, _ = hypothesize(req, s, then)
        mv = scoring.moves(reg, scoring.score_all(reg, then), scoring.score_all(reg, now), then, now)
    shown = recent[-limit:] if limit else []
    lines = {ev.id: ev.line for ev in events}
    return Moved(
        since=since.isoformat() if since is not None else None,
        count=len(recent),
        shown=len(shown),
        events=tuple(convert.events(shown, s.replay.undone, lines)),
        moves=tuple(convert.move(x) for x in mv),
    )


def _source(reg: Register) -> SourceInfo | None:
    src = reg.source
    info = SourceInfo(
        src.title or None,
        src.author or None,
        src.role or None,
        src.published or None,
        src.url or None,
        src.note or None,
    )
    return info if any(dataclasses.astuple(info)) else None


def _top(reg: Register, row: RiskRow) -> TopRisk:
    risk = reg.risk_by_id[row.id]
    fields = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    return TopRisk(
        **fields,
        rationale=risk.rationale or None,
        evidence=risk.evidence or None,
        assumptions=tuple(dict.fromkeys(d.assumption for d in risk.drivers)),
    )


def _latest(active: list[Event]) -> str | None:
    """The time of the latest event in force (its ``at`` as recorded)."""
    best: tuple[datetime, str] | None = None
    for ev in active:
        when = journal.event_time(ev)
        if when is not None and (best is None or when > best[0]):
            best = (when, ev.at)
    return best[1] if best is not None else None
