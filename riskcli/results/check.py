"""The watch: ``check`` — what is due on a day, and whether it fails."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from riskcli import decisions, scoring
from riskcli.decisions import Due, DueKind
from riskcli.model import Register
from riskcli.outcomes import live
from riskcli.results import convert
from riskcli.results.decide import _rating, members
from riskcli.results.grid import _STATE_FINDINGS
from riskcli.results.request import Request
from riskcli.results.session import Session
from riskcli.results.shapes.check import CheckFinding, CheckResult, OwnersResult, OwnerView
from riskcli.results.team import today as day_of


def parse_fail_on(given: Iterable[str]) -> tuple[DueKind, ...]:
    """``--fail-on``: kinds, comma-separated or repeated (none given: every kind). Given, but naming
    none (``--fail-on ""``, an unset variable): refused, not read as every kind."""
    refused = "--fail-on {!r} is not a kind of finding; give any of {}".format
    empty = "--fail-on {!r} names no kind of finding; give any of {}".format
    return members(given, DueKind, refused, empty) or tuple(DueKind)


def due(s: Session, today: date) -> tuple[list[Due], dict[str, str]]:
    """What is due in a session on a day, and the live risks checked with their owners ("" none): a
    resolved risk (occurred, or settled as not) is out of the live view here as in list and matrix,
    and so are closed and retired risks."""
    reg, state = s.reg, s.state
    owners: dict[str, str] = {}
    checked = []
    for x in live(state, scoring.score_all(reg, state)):
        st = decisions.standing(reg, x.risk, state)
        if st.status.live:
            checked.append(x)
            owners[x.risk.id] = st.owner
    observed: dict[str, str] = {}
    if reg.indicators:
        for ev in s.replay.active:
            if ev.kind == "observe":
                observed[ev.data["indicator"]] = ev.at
    findings = [
        *scoring.structural_findings(reg),
        *(f for f in scoring.state_findings(reg, checked, state) if f.code in _STATE_FINDINGS),
    ]
    from riskcli.results.horizons import due as past_horizon

    alive = {x.risk.id for x in checked}
    past = [
        (h.id, h.since)
        for h in past_horizon(reg, state, today)
        if h.id in alive or h.id not in reg.risk_by_id  # a closed risk's forecast is not checked
    ]
    return decisions.dues(reg, state, checked, today, observed, findings, past), owners


def view(reg: Register, d: Due, today: date, fails: bool) -> CheckFinding:
    """A finding as results show it."""
    title = None
    if d.kind is DueKind.RESPONSE_LATE:
        title = next((m.title for m in reg.responses if m.id == d.subject), None)
    elif d.kind is DueKind.INDICATOR_OVERDUE:
        title = next((i.title for i in reg.indicators if i.id == d.subject), None)
    elif d.kind is DueKind.HORIZON and d.subject in reg.assumption_by_id:
        title = reg.assumption_by_id[d.subject].statement
    elif d.subject in reg.risk_by_id:
        title = reg.risk_by_id[d.subject].title
    days = None
    if d.due:
        try:
            days = (today - date.fromisoformat(d.due)).days
        except ValueError:
            days = None
    warning = convert.findings(reg, [d.finding])[0] if d.finding is not None else None
    return CheckFinding(
        kind=d.kind,
        subject=d.subject or None,
        title=title,
        owner=d.owner or None,
        due=d.due or None,
        days=days,
        rating=_rating(reg, d.band),
        limit=_rating(reg, d.limit),
        accepted_by=d.accepted.acceptance.by or None if d.accepted is not None else None,
        lapses=d.lapses,
        warning=warning,
        risks=d.risks,
        fails=fails,
    )


def check(req: Request, s: Session, fail_on: Sequence[str] = ()) -> CheckResult:
    """Everything due on the day (``--as-of``, else today), each marked if it fails the check."""
    kinds = parse_fail_on(fail_on)
    today = day_of(s)
    found, checked = due(s, today)
    views = tuple(view(s.reg, d, today, d.kind in kinds) for d in found)
    return CheckResult(
        register=convert.register_info(s.reg),
        as_of=s.as_of,
        day=today.isoformat(),
        fail_on=kinds,
        ok=not any(v.fails for v in views),
        risks=len(checked),
        findings=views,
        resolved=convert.resolved_risks(s.reg, s.state),
    )


def owners(req: Request, s: Session) -> OwnersResult:
    """Each owner's live risks, and of those the ones above appetite, with reviews overdue or
    acceptances lapsed; the late responses each owns."""
    today = day_of(s)
    found, owned = due(s, today)
    rows: dict[str, dict[DueKind | None, list[str]]] = {}

    def of(owner: str) -> dict[DueKind | None, list[str]]:
        return rows.setdefault(owner, {})

    for rid, owner in owned.items():
        of(owner).setdefault(None, []).append(rid)
    for u in decisions.waiting(s.reg):  # not yet assessed, owned all the same
        of(u.owner).setdefault(None, []).append(u.id)
    for d in found:
        if d.subject and d.kind in _BY_OWNER:
            of(d.owner).setdefault(_BY_OWNER[d.kind], []).append(d.subject)
    order = sorted(rows, key=lambda o: (not o, o.casefold(), o))
    return OwnersResult(
        register=convert.register_info(s.reg),
        as_of=s.as_of,
        day=today.isoformat(),
        owners=tuple(
            OwnerView(
                owner or None,
                tuple(rows[owner].get(None, ())),
                tuple(rows[owner].get(DueKind.OVER_APPETITE, ())),
                tuple(rows[owner].get(DueKind.REVIEW_OVERDUE, ())),
                tuple(dict.fromkeys(rows[owner].get(DueKind.ACCEPTANCE_EXPIRED, ()))),
                tuple(rows[owner].get(DueKind.RESPONSE_LATE, ())),
            )
            for owner in order
        ),
        resolved=convert.resolved_risks(s.reg, s.state),
    )


# What owners counts of check's findings: a lapsed acceptance, expired or needing renewal, counts once.
_BY_OWNER = {
    DueKind.OVER_APPETITE: DueKind.OVER_APPETITE,
    DueKind.REVIEW_OVERDUE: DueKind.REVIEW_OVERDUE,
    DueKind.ACCEPTANCE_EXPIRED: DueKind.ACCEPTANCE_EXPIRED,
    DueKind.ACCEPTANCE_RENEWAL: DueKind.ACCEPTANCE_EXPIRED,
    DueKind.RESPONSE_LATE: DueKind.RESPONSE_LATE,
}
