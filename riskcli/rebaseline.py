"""Pure: a register with a state folded in as its baseline (``riskcli rebaseline``).

The new register's levels, beliefs, decisions and responses are the state's, so that reading it
with no journal gives what the old register and its journal gave. The format holds whole levels and
one judgement per item, so not everything can be carried exactly; ``fold`` scores the register it
made and says what differs (``NotCarried``), never silently.

- A risk's levels are its current cell without the responses in force (the register's levels are
  read before the responses it marks done, which are added on top: counting them in the levels
  too would count them twice).
- Beliefs are the posterior marginals. A linked assumption (``given:``) keeps its link with the
  conditional probabilities the evidence gives (``Evidence.draws``): its link times the evidence
  on it and below it, P(it holds | its parent holds, E) and P(it holds | its parent fails, E). On
  a tree of links the posterior factorises along the same tree, so the new prior is the old
  posterior, and the new register holds no observation to count again; the ledger of which
  reports were counted stays in the old journal, which the new register reads once it adopts it.
- Decisions (owner, status, treatment, acceptance, the next review) are each risk's standing; an
  indicator's last observation is its ``observed`` day, which its next review counts from.
  Responses in force are done; a response the register marked done and the journal withdrew is
  no longer marked.
- A level at an end of the scale with a response in force on it (kept there by an analyst or held
  there by a driver) has no whole level that gives it once the response is added on top: it is
  written as near as the scale allows and reported with what the register reads (``CELL``).
- The register's own coherence warnings (``scoring.structural_findings``) are read from its levels
  and beliefs: a risk written at another level, with its drivers, can reach past an end of the
  scale where the old one did not. A warning the new register gives and the old one did not (nor
  acknowledged) is reported (``FINDING``), never written as acknowledged for it.
- Several analysts' judgements of one item become their combination; a resolution (what happened)
  becomes a closed risk or a belief of 0 or 1. Both are reported, as is any score or belief that
  reads back otherwise.

Pure: ids and numbers; no Rich, YAML or Typer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from enum import StrEnum

from riskcli import decisions, scoring
from riskcli.model import (
    Acceptance,
    Assumption,
    Conditional,
    Progress,
    Rebaselined,
    Register,
    Resolvable,
    Response,
    Risk,
    Status,
)
from riskcli.records import frozen
from riskcli.scoring import State

_NEAR = 1e-9  # a score or a belief read back this close is the same


class Uncarried(StrEnum):
    """What of a state a register cannot hold as it was."""

    LIKELIHOOD = "likelihood"  # a score between levels: written as the nearest level
    IMPACT = "impact"
    BELIEF = "belief"  # a belief that reads back otherwise
    STATUS = "status"  # a standing that reads back otherwise
    ANALYSTS = "analysts"  # several analysts' judgements: written as their combination
    RESOLUTION = "resolution"  # what happened: a risk written closed, an assumption held or failed as belief 1 or 0
    CELL = "cell"  # a level that reads back as another: at an end of the scale, with responses in force on it
    REVIEW = "review"  # the day of the last review: no register field holds it (the next review's day is carried)
    FINDING = "finding"  # a coherence warning of the new register that the old one did not give


@frozen(slots=True)
class NotCarried:
    """One thing the new register holds otherwise than the state: ``was`` in the state, ``now`` as
    the new register reads (numbers for levels and beliefs; for analysts, how many)."""

    item: str
    what: Uncarried
    was: float | None = None
    now: float | None = None
    status: Status | None = None  # the status the state gave, when that differs; a resolved risk's: closed
    axis: str | None = None  # for a cell: the axis (likelihood, impact) whose level reads back otherwise
    responses: tuple[str, ...] = ()  # for a cell: the responses in force that move that axis of the risk
    rating: tuple[str, str] | None = None  # for a cell: the rating in the state, and as the new register reads
    day: str = ""  # for a review: the day of the last one (YYYY-MM-DD)
    finding: str | None = None  # for a finding: its id (``W-clamp-R1-likelihood``), which a register may acknowledge


def fold(
    reg: Register,
    state: State,
    identity: str,
    observed: Mapping[str, str] | None = None,
    made: Rebaselined | None = None,
) -> tuple[Register, tuple[NotCarried, ...]]:
    """``reg`` with ``state`` as its baseline and ``identity`` as its ``id``; and what it could not
    carry (``check`` on the register made). Its ``as_of`` stays: review windows of absences are
    counted from it, in the old register's journal as in the new one's. ``observed``: the day each
    indicator was last observed (the journal's), written as its ``observed`` day; ``made``: the step,
    written as its ``rebaselined``."""
    observed = {k: v[:10] for k, v in (observed or {}).items()}
    scored = {x.risk.id: x for x in scoring.score_all(reg, state)}
    bare = {x.risk.id: x for x in scoring.score_all(reg, scoring.inherent(state))} if state.applied else scored
    risks = tuple(_risk(reg, r, state, bare[r.id].cell) for r in reg.risks)
    new = dataclasses.replace(
        reg,
        id=identity,
        risks=risks,
        assumptions=_assumptions(reg, state),
        responses=tuple(_response(m, m.id in state.applied) for m in reg.responses),
        indicators=tuple(dataclasses.replace(i, observed=observed.get(i.id, i.observed)) for i in reg.indicators),
        rebaselined=made,
    )
    return new, check(reg, state, new, scored)


def _risk(reg: Register, r: Risk, state: State, cell: tuple[int, int]) -> Risk:
    st = decisions.standing(reg, r, state)
    acceptance: Acceptance | None = None
    if st.acceptance is not None:
        acceptance = dataclasses.replace(st.acceptance.acceptance, band=st.acceptance.band)
    status: Status | None = st.status
    if (Resolvable.RISK, r.id) in state.resolutions:
        status = Status.CLOSED
    elif status is decisions.derived_status(st.treatment, acceptance is not None):
        status = None  # the register derives it as the standing did
    return dataclasses.replace(
        r,
        likelihood=cell[0],
        impact=cell[1],
        confidence=scoring.confidence_of(reg, r, state),
        owner=st.owner,
        status=status,
        treatment=st.treatment,
        acceptance=acceptance,
        review_by=st.review_due,
    )


def _assumptions(reg: Register, state: State) -> tuple[Assumption, ...]:
    beliefs = state.beliefs
    drawn = state.evidence.draws() if state.evidence is not None else {}
    out = []
    for a in reg.assumptions:
        given, d = a.given, drawn.get(a.id)
        if given is not None and d is not None and d.parent == given.parent and d.holds is not None:
            assert d.fails is not None
            given = Conditional(given.parent, d.holds, d.fails)
        out.append(dataclasses.replace(a, belief=float(beliefs.get(a.id, a.belief)), given=given))
    return tuple(out)


def _response(m: Response, applied: bool) -> Response:
    if applied:
        return dataclasses.replace(m, status=Progress.DONE)
    if m.status is Progress.DONE:  # withdrawn since
        return dataclasses.replace(m, status=None)
    return m


def check(reg: Register, state: State, new: Register, scored: dict[str, scoring.Scored]) -> tuple[NotCarried, ...]:
    """What ``new``, read with no journal, gives otherwise than ``reg`` in ``state``: scores,
    standings, beliefs; and the judgements and resolutions it holds only as their outcome."""
    fresh = scoring.baseline_state(new)
    out: list[NotCarried] = []
    for r in new.risks:
        was, now = scored[r.id], scoring.score_risk(new, r, fresh)
        rating = (was.band.name, now.band.name)
        for what, a, b, i in (
            (Uncarried.LIKELIHOOD, was.likelihood, now.likelihood, 0),
            (Uncarried.IMPACT, was.impact, now.impact, 1),
        ):
            if was.cell[i] != now.cell[i]:
                # The register adds the responses it marks done to its levels, held to the scale:
                # a level at an end of the scale that a response in force moves away from it (or a
                # driver pushed past it) has no whole level to be written as.
                moving = _moving(new, r.id, what)
                out.append(NotCarried(r.id, Uncarried.CELL, was.cell[i], now.cell[i], None, what.value, moving, rating))
            elif abs(a - b) > _NEAR:
                out.append(NotCarried(r.id, what, a, b))
        standing = decisions.standing(reg, reg.risk_by_id[r.id], state)
        if (Resolvable.RISK, r.id) in state.resolutions:
            out.append(NotCarried(r.id, Uncarried.RESOLUTION, status=Status.CLOSED))
        elif decisions.standing(new, r, fresh).status is not standing.status:
            out.append(NotCarried(r.id, Uncarried.STATUS, status=standing.status))
        if standing.last_review:
            out.append(NotCarried(r.id, Uncarried.REVIEW, day=standing.last_review))
        team = state.panel.get(r.id)
        if team is not None and len(team) > 1:
            out.append(NotCarried(r.id, Uncarried.ANALYSTS, now=float(len(team))))
    before = {f.id for f in scoring.structural_findings(reg)} | {a.id for a in reg.acknowledged}
    for f in scoring.structural_findings(new):
        if f.id not in before:
            axis = f.axis.value if f.axis is not None else None
            out.append(NotCarried(f.subject, Uncarried.FINDING, axis=axis, finding=f.id))
    for item in new.assumptions:
        b0, b1 = float(state.beliefs.get(item.id, item.belief)), new.baseline_beliefs[item.id]
        if (Resolvable.ASSUMPTION, item.id) in state.resolutions:
            out.append(NotCarried(item.id, Uncarried.RESOLUTION, now=b1))
        elif abs(b0 - b1) > _NEAR:
            out.append(NotCarried(item.id, Uncarried.BELIEF, b0, b1))
        views = state.opinions.get(item.id)
        if views is not None and len(views) > 1:
            out.append(NotCarried(item.id, Uncarried.ANALYSTS, now=float(len(views))))
    return tuple(out)


def _moving(reg: Register, risk_id: str, axis: Uncarried) -> tuple[str, ...]:
    """The responses ``reg`` marks done whose effects or side effects move ``axis`` of the risk."""
    out = []
    for m in reg.responses:
        if m.id in reg.baseline_applied:
            shifts = [e.shift for e in (*m.effects, *m.side_effects) if e.risk == risk_id]
            if any((s.likelihood if axis is Uncarried.LIKELIHOOD else s.impact) for s in shifts):
                out.append(m.id)
    return tuple(out)
