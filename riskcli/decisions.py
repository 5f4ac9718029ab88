"""Decisions about risks (DESIGN §4 "Decisions and appetite"): pure functions of a register, the
decisions its journal records and a day.

A risk's *standing* is the register's baseline — its ``owner``, ``status``, ``treatment``,
``acceptance``, ``review_every`` and ``review_by`` — with the journal's decisions applied in the
order of their time (``at``, then ``id``): the latest decision wins, wherever its line is.

- ``assign`` sets the owner; ``review`` records a review (and when the next is due);
- ``treat`` records a treatment (avoid, reduce, transfer) and the responses that carry it out: the
  risk is *treated*, and an earlier acceptance no longer stands;
- ``accept`` records an acceptance until a day: the risk is *accepted*, its treatment ``accept``;
- ``close`` closes or retires it (it leaves the live views); ``reopen`` brings it back.

An acceptance holds for the risk as it was when given: it records the risk's rating band then and
the risk's fingerprint (what rates it, ``risk_fingerprint``). It lapses when it expires, when the
risk is rated in a higher band than it was accepted at, or when the register changes what rates the
risk — a material change needs a new decision (ISO/IEC 27001 6.1.3).
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from riskcli.model import (
    DECISION_KINDS,
    Acceptance,
    Decision,
    DecisionKind,
    Event,
    Progress,
    Register,
    Resolvable,
    Risk,
    Status,
    Strategy,
    Treatment,
    Unassessed,
)
from riskcli.records import frozen
from riskcli.rules import normalise
from riskcli.scoring import Finding, Scored, State, baseline_state, is_opportunity, review, score_risk

KINDS = DECISION_KINDS


# --------------------------------------------------------------------------- the journal's decisions


def decision_of(ev: Event) -> Decision:
    """A journal event of a decision kind as a decision (its fields checked by the reader)."""
    d = ev.data
    kind = DecisionKind(ev.kind)
    if kind is DecisionKind.ASSIGN:
        return Decision(kind, ev.at, ev.id, ev.by, ev.why, owner=d["owner"])
    if kind is DecisionKind.TREAT:
        return Decision(
            kind, ev.at, ev.id, ev.by, ev.why, strategy=Strategy(d["strategy"]), responses=tuple(d.get("with", ()))
        )
    if kind is DecisionKind.ACCEPT:
        lk, im = d.get("likelihood"), d.get("impact")
        return Decision(
            kind,
            ev.at,
            ev.id,
            ev.by,
            ev.why,
            until=d.get("until", ""),
            approver=d.get("approver", ""),
            band=d.get("band", ""),
            likelihood=float(lk) if lk is not None else None,
            impact=float(im) if im is not None else None,
            basis=d.get("basis", ""),
        )
    if kind is DecisionKind.REVIEW:
        return Decision(kind, ev.at, ev.id, ev.by, ev.why, next=d.get("next", ""))
    if kind is DecisionKind.CLOSE:
        return Decision(kind, ev.at, ev.id, ev.by, ev.why, status=Status(d.get("status", "closed")))
    return Decision(kind, ev.at, ev.id, ev.by, ev.why)


def _order(d: Decision) -> tuple[str, str]:
    return (d.at, d.id)


def add(decisions: dict[str, tuple[Decision, ...]], risk: str, decision: Decision) -> None:
    """Put a decision among a risk's, in order of time (then id): the same state whatever the
    order of the journal's lines."""
    mine = list(decisions.get(risk, ()))
    bisect.insort(mine, decision, key=_order)
    decisions[risk] = tuple(mine)


# --------------------------------------------------------------------------- what rates a risk


def risk_fingerprint(reg: Register, risk: Risk) -> str:
    """A short hash of what rates a risk in the register: its levels, drivers and category, the
    effects of the responses on it, and the scales and rating grid. Wording (title, description,
    evidence) is not in it: rewording a risk is no material change."""
    effects = sorted(
        (m.id, kind, e.shift.likelihood, e.shift.impact)
        for m in reg.responses
        for kind, group in (("effect", m.effects), ("side effect", m.side_effects))
        for e in group
        if e.risk == risk.id
    )
    rules = reg.rules
    parts: list[Any] = [
        risk.id,
        risk.likelihood,
        risk.impact,
        normalise(risk.category),
        [
            (d.assumption, d.if_holds.likelihood, d.if_holds.impact, d.if_fails.likelihood, d.if_fails.impact)
            for d in risk.drivers
        ],
        effects,
        [lv.name for lv in rules.likelihood.levels],
        [lv.name for lv in rules.impact.levels],
        [b.id for b in rules.rating.bands],
        rules.rating.grid,
    ]
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]


# --------------------------------------------------------------------------- appetite


def category_of(reg: Register, risk: Risk | Unassessed) -> str | None:
    """The id of the register's category entry for a risk's category (None: none declared)."""
    key = normalise(risk.category)
    if not key:
        return None
    for c in reg.categories:
        if normalise(c.id) == key:
            return c.id
    return None


def appetite_of(reg: Register, risk: Risk | Unassessed) -> str:
    """The highest band accepted without treatment for a risk: its category's, else the register's
    ("" none declared)."""
    cid = category_of(reg, risk)
    if cid is not None:
        for c in reg.categories:
            if c.id == cid and c.appetite:
                return c.appetite
    return reg.appetite


def target_of(reg: Register, risk: Risk | Unassessed) -> str:
    """The band treatment aims to bring a risk to: its category's, else the register's."""
    cid = category_of(reg, risk)
    if cid is not None:
        for c in reg.categories:
            if c.id == cid and c.target:
                return c.target
    return reg.target


def above(reg: Register, band: str, limit: str) -> bool:
    """Whether ``band`` is rated above ``limit`` (no limit: never)."""
    if not limit or not band:
        return False
    rating = reg.rules.rating
    try:
        return rating.rank(band) > rating.rank(limit)
    except KeyError:
        return False


def over_appetite(reg: Register, scored: Scored) -> bool:
    return above(reg, scored.band.id, appetite_of(reg, scored.risk))


# --------------------------------------------------------------------------- standing


@frozen(slots=True)
class Accepted:
    """An acceptance in force: the register's, or the journal's (``event``; ``basis`` the risk's
    fingerprint when it was given)."""

    acceptance: Acceptance
    band: str  # the band it was accepted at
    basis: str = ""  # "" from the register: the register itself is the risk as accepted
    event: str = ""  # the journal event that recorded it ("" the register's)
    likelihood: float | None = None  # the risk's score when it was given (journal acceptances)
    impact: float | None = None


@frozen(slots=True)
class Standing:
    """Where a risk stands: who owns it, what was decided, and when it is next reviewed."""

    risk: str
    owner: str  # "" no owner
    status: Status
    treatment: Treatment | None
    acceptance: Accepted | None  # the acceptance in force (accepted risks only)
    last_review: str  # YYYY-MM-DD of the last review recorded ("" none)
    review_due: str  # YYYY-MM-DD the next review is due by ("" none due)
    never_reviewed: bool  # reviewed every N days, never reviewed and no date to count from: due now
    decided: Decision | None  # the latest decision that set its status (None: as the register says)
    decisions: tuple[Decision, ...]  # the journal's decisions about it, oldest first


def standing(reg: Register, risk: Risk | Unassessed, state: State) -> Standing:
    """A risk's standing: the register's baseline with the journal's decisions applied in order (a
    risk not yet assessed has none in the journal: its decisions are set in the register)."""
    owner = risk.owner
    status = risk.status
    treatment = risk.treatment
    accepted: Accepted | None = None
    if risk.acceptance is not None:
        # a risk not yet assessed has no band of its own to be accepted at
        band = risk.acceptance.band or (_baseline_band(reg, risk) if isinstance(risk, Risk) else "")
        accepted = Accepted(risk.acceptance, band)
    last = ""
    next_due = risk.review_by
    decided: Decision | None = None
    mine = state.decisions.get(risk.id, ())
    for d in mine:
        kind = d.kind
        if kind is DecisionKind.ASSIGN:
            owner = d.owner
        elif kind is DecisionKind.REVIEW:
            last = d.at[:10]
            next_due = d.next or _after(last, risk.review_every)
        elif kind is DecisionKind.TREAT:
            assert d.strategy is not None
            treatment = Treatment(d.strategy, d.responses)
            status, decided, accepted = Status.TREATED, d, None
        elif kind is DecisionKind.ACCEPT:
            approver = d.approver or d.by
            acceptance = Acceptance(approver, d.at[:10], d.until, d.why, d.band)
            accepted = Accepted(acceptance, d.band, d.basis, d.id, d.likelihood, d.impact)
            treatment = Treatment(Strategy.ACCEPT)
            status, decided = Status.ACCEPTED, d
        elif kind is DecisionKind.CLOSE:
            status, decided = d.status or Status.CLOSED, d
        elif kind is DecisionKind.REOPEN:
            status, decided = None, d
    if status is None:
        status = derived_status(treatment, accepted is not None)
    if status is not Status.ACCEPTED and status.live:
        accepted = None  # a treated or open risk has no acceptance in force
    never = False
    if not last and not next_due and risk.review_every:
        next_due = _after(reg.as_of[:10], risk.review_every) if reg.as_of else ""
        never = not next_due
    return Standing(risk.id, owner, status, treatment, accepted, last, next_due, never, decided, mine)


def derived_status(treatment: Treatment | None, accepted: bool) -> Status:
    """The status of a risk whose register and journal give none: from its treatment and whether an
    acceptance holds."""
    if accepted:
        return Status.ACCEPTED
    if treatment is not None and treatment.strategy is not Strategy.ACCEPT:
        return Status.TREATED
    return Status.OPEN


def _baseline_band(reg: Register, risk: Risk) -> str:
    return score_risk(reg, risk, baseline_state(reg)).band.id


def _after(day: str, every: int | None) -> str:
    if not every or not day:
        return ""
    try:
        return (date.fromisoformat(day) + timedelta(days=every)).isoformat()
    except (ValueError, OverflowError):
        return ""


# --------------------------------------------------------------------------- acceptances that lapse


class Lapse(StrEnum):
    """Why an acceptance no longer holds."""

    EXPIRED = "expired"  # past its last day
    BAND_ROSE = "band-rose"  # the risk is rated in a higher band than it was accepted at
    CHANGED = "changed"  # the register changed what rates the risk since it was accepted


def lapses(reg: Register, accepted: Accepted, scored: Scored | None, today: date) -> tuple[Lapse, ...]:
    """Why an acceptance no longer holds on ``today`` (none: it holds); ``scored`` None: a risk not
    yet assessed, whose acceptance can only expire."""
    out: list[Lapse] = []
    until = accepted.acceptance.until
    if until and until < today.isoformat():
        out.append(Lapse.EXPIRED)
    if scored is None:
        return tuple(out)
    if above(reg, scored.band.id, accepted.band):
        out.append(Lapse.BAND_ROSE)
    if accepted.basis and accepted.basis != risk_fingerprint(reg, scored.risk):
        out.append(Lapse.CHANGED)
    return tuple(out)


def apart(reg: Register, state: State) -> set[str]:
    """The risks closed or retired, and not resolved: out of the live views, and named apart as
    such (a resolved one, whatever its status, is named with the resolved risks). Only a risk the
    register gives a status or the journal decided about can be, so the others are not looked at."""
    out = {r.id for r in reg.risks if r.status is not None and not r.status.live}
    for rid in state.decisions:
        risk = reg.risk_by_id.get(rid)
        if risk is not None:
            if standing(reg, risk, state).status.live:
                out.discard(rid)
            else:
                out.add(rid)
    if state.resolutions:
        out = {rid for rid in out if (Resolvable.RISK, rid) not in state.resolutions}
    return out


def review_overdue(st: Standing, today: date) -> bool:
    return st.never_reviewed or (bool(st.review_due) and st.review_due < today.isoformat())


# --------------------------------------------------------------------------- what is due (check)


class DueKind(StrEnum):
    """What ``check`` reports, in the order it reports them."""

    OVER_APPETITE = "over-appetite"  # rated above its appetite, with no treatment and no acceptance in force
    ACCEPTANCE_EXPIRED = "acceptance-expired"  # past its last day
    ACCEPTANCE_RENEWAL = "acceptance-renewal"  # rated higher than when accepted, or what rates it changed
    REVIEW_OVERDUE = "review-overdue"  # a risk's review
    RESPONSE_LATE = "response-late"  # a response past its due date, not done
    INDICATOR_OVERDUE = "indicator-overdue"  # an indicator's review
    HORIZON = "horizon"  # a judgement past its horizon and not resolved
    COHERENCE = "coherence"  # a coherence warning the register does not acknowledge
    UNASSESSED = "unassessed"  # risks named but not yet assessed


@frozen(slots=True)
class Due:
    """One thing ``check`` finds: its kind, what it is about, whose it is, and since when."""

    kind: DueKind
    subject: str  # the risk, response or indicator ("" for the risks not yet assessed)
    owner: str = ""  # the risk's owner (a response's, for a late response)
    due: str = ""  # YYYY-MM-DD: the last day before it was due, lapsed or late ("" none: never reviewed, …)
    band: str = ""  # the risk's rating band now
    limit: str = ""  # over-appetite: the appetite; an acceptance: the band it was accepted at
    accepted: Accepted | None = None  # the acceptance that lapsed
    lapses: tuple[Lapse, ...] = ()
    finding: Finding | None = None  # the coherence warning
    risks: tuple[str, ...] = ()  # unassessed: the risks not yet assessed


def treated(st: Standing) -> bool:
    """Whether a treatment other than acceptance is decided for a risk."""
    return st.status is Status.TREATED or (st.treatment is not None and st.treatment.strategy is not Strategy.ACCEPT)


def waiting(reg: Register) -> tuple[Unassessed, ...]:
    """The risks not yet assessed that are live (neither closed nor retired): what check names."""
    return tuple(u for u in reg.unassessed if u.status is None or u.status.live)


def dues(
    reg: Register,
    state: State,
    scored: Sequence[Scored],
    today: date,
    observed: Mapping[str, str],
    findings: Sequence[Finding],
    past: Sequence[tuple[str, str]] = (),
) -> list[Due]:
    """Everything due on ``today``: the live risks' appetite, acceptances and reviews (closed and
    retired risks are not checked), late responses, overdue indicator reviews (``observed``: each
    indicator's last observation, UTC ISO-8601), the coherence ``findings`` the register does not
    acknowledge, and the risks not yet assessed; ``past``: the judgements past their horizon and not
    resolved (a risk's or an assumption's id, the day the horizon ended) — in the order of
    ``DueKind``, then the register's."""
    day = today.isoformat()
    found: dict[DueKind, list[Due]] = {k: [] for k in DueKind}
    for x in scored:
        risk = x.risk
        st = standing(reg, risk, state)
        if not st.status.live:
            continue
        band, owner = x.band.id, st.owner
        acc = st.acceptance
        lapsed = lapses(reg, acc, x, today) if acc is not None else ()
        if acc is not None and lapsed:
            kind = DueKind.ACCEPTANCE_EXPIRED if Lapse.EXPIRED in lapsed else DueKind.ACCEPTANCE_RENEWAL
            until = acc.acceptance.until if kind is DueKind.ACCEPTANCE_EXPIRED else ""
            found[kind].append(Due(kind, risk.id, owner, until, band, acc.band, acc, lapsed))
        appetite = appetite_of(reg, risk)
        if above(reg, band, appetite) and not is_opportunity(risk) and not treated(st) and (acc is None or lapsed):
            found[DueKind.OVER_APPETITE].append(
                Due(DueKind.OVER_APPETITE, risk.id, owner, "", band, appetite, acc, lapsed)
            )
        if review_overdue(st, today):
            found[DueKind.REVIEW_OVERDUE].append(Due(DueKind.REVIEW_OVERDUE, risk.id, owner, st.review_due, band))
    for m in reg.responses:
        if m.due and m.due < day and m.status is not Progress.DONE and m.id not in state.applied:
            found[DueKind.RESPONSE_LATE].append(Due(DueKind.RESPONSE_LATE, m.id, m.owner, m.due))
    for ind in reg.indicators:
        rv = review(reg, ind, observed.get(ind.id), today)
        if rv.overdue:
            found[DueKind.INDICATOR_OVERDUE].append(Due(DueKind.INDICATOR_OVERDUE, ind.id, "", rv.due or ""))
    for ident, since in past:
        owner = standing(reg, reg.risk_by_id[ident], state).owner if ident in reg.risk_by_id else ""
        found[DueKind.HORIZON].append(Due(DueKind.HORIZON, ident, owner, since))
    acknowledged = {a.id for a in reg.acknowledged}
    for f in findings:
        if f.id not in acknowledged:
            found[DueKind.COHERENCE].append(Due(DueKind.COHERENCE, f.subject, finding=f))
    unassessed = tuple(u.id for u in waiting(reg))
    if unassessed:
        found[DueKind.UNASSESSED].append(Due(DueKind.UNASSESSED, "", risks=unassessed))
    return [d for k in DueKind for d in found[k]]
