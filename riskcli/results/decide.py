"""The decisions: accept, treat, review, assign, close and reopen a risk — each appends one
journal event under the lock (or none, when the risk already stands so) — and where a risk stands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

from riskcli import decisions, journal, scoring
from riskcli.decisions import Standing
from riskcli.journal import Replay
from riskcli.model import DECISION_KINDS, DecisionKind, Register, Risk, Status, Strategy, Unassessed, UserError
from riskcli.results import convert
from riskcli.results.actions import _append, _check_text, _event
from riskcli.results.request import Request
from riskcli.results.session import Session, lookup
from riskcli.results.shapes.common import Rating
from riskcli.results.shapes.decide import (
    AcceptanceView,
    DecidedView,
    DecisionResult,
    ReviewView,
    StandingView,
    TreatmentView,
)
from riskcli.results.shapes.edit import SetResult
from riskcli.scoring import Scored, State


def today_utc() -> date:
    """Today, in UTC as the journal's times are."""
    return datetime.now(UTC).date()


# --------------------------------------------------------------------------- standing


E = TypeVar("E", bound=Enum)


def members(
    given: Iterable[str], kind: type[E], refused: Callable[[str, str], str], empty: Callable[[str, str], str]
) -> tuple[E, ...]:
    """The members of ``kind`` an option names, comma-separated or repeated, in the enum's own
    order, each once (none given: none); a word that names none is refused with
    ``refused(word, choices)``, and an option given that names nothing at all (``""``, as an unset
    variable gives) with ``empty(what was given, choices)``."""
    given = tuple(given)
    named: set[E] = set()
    for text in given:
        for part in text.split(","):
            key = part.strip().lower()
            if not key:
                continue
            try:
                named.add(kind(key))
            except ValueError:
                raise UserError(refused(part.strip(), ", ".join(str(x.value) for x in kind))) from None
    if given and not named:
        raise UserError(empty(", ".join(given), ", ".join(str(x.value) for x in kind)))
    return tuple(x for x in kind if x in named)


def _rating(reg: Register, band: str) -> Rating | None:
    if not band:
        return None
    try:
        return convert.rating(reg.rules.rating.band(band))
    except KeyError:
        return Rating(band, band)


def standing_view(
    reg: Register,
    st: Standing,
    risk: Risk | Unassessed,
    scored: Scored | None,
    today: date,
    lines: Mapping[str, int] | None = None,
) -> StandingView:
    """A risk's standing as results show it, judged on ``today``; ``scored`` None: a risk not yet
    assessed, which is rated nowhere (so never above its appetite)."""
    acc = st.acceptance
    acceptance = None
    if acc is not None:
        a = acc.acceptance
        acceptance = AcceptanceView(
            a.by,
            a.on,
            a.until or None,
            a.why or None,
            _rating(reg, acc.band),
            acc.event or None,
            decisions.lapses(reg, acc, scored, today),
        )
    d = st.decided
    decided = None
    if d is not None:
        decided = DecidedView(d.kind, (lines or {}).get(d.id), d.id, d.at, d.by, d.why or None)
    appetite = decisions.appetite_of(reg, risk)
    return StandingView(
        as_of=today.isoformat(),
        owner=st.owner or None,
        status=st.status,
        treatment=TreatmentView(st.treatment.strategy, st.treatment.responses) if st.treatment else None,
        acceptance=acceptance,
        review=ReviewView(
            risk.review_every,
            st.last_review or None,
            st.review_due or None,
            decisions.review_overdue(st, today),
        ),
        appetite=_rating(reg, appetite),
        over_appetite=scored is not None and decisions.above(reg, scored.band.id, appetite),
        target=_rating(reg, decisions.target_of(reg, risk)),
        decided=decided,
    )


def _view(reg: Register, risk: Risk, state: State, today: date, lines: Mapping[str, int]) -> StandingView:
    st = decisions.standing(reg, risk, state)
    return standing_view(reg, st, risk, scoring.score_risk(reg, risk, state), today, lines)


# --------------------------------------------------------------------------- the decision commands


def _day(option: str, text: str) -> str:
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise UserError(f"{option} {text!r} is not a date; give YYYY-MM-DD, e.g. 2026-06-30") from None


def _line(option: str, text: str) -> str:
    value = _check_text(option, text).strip()
    if not value or any(c in value for c in "\r\n"):
        raise UserError(f"{option} {text!r}: give one line of text")
    return value


def _live(st: Standing, risk: Risk) -> None:
    if not st.status.live:
        raise UserError(
            f"{risk.id} is {st.status.value}; reopen it before deciding anything else about it "
            f"(riskcli reopen {risk.id} --why …)"
        )


def decide(
    req: Request,
    s: Session,
    kind: DecisionKind,
    risk_id: str,
    why: str,
    *,
    owner: str | None = None,
    strategy: str | None = None,
    responses: Sequence[str] = (),
    until: str | None = None,
    approver: str | None = None,
    next_review: str | None = None,
    retired: bool = False,
    today: date | None = None,
) -> DecisionResult:
    """Record one decision about a risk, deciding on its standing under the lock; a decision that
    would change nothing records nothing (a review always records: it is a fact, with a date)."""
    reg = s.reg
    risk = lookup("risk", reg.risks, risk_id)
    today = today or today_utc()
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    data: dict[str, Any] = {"risk": risk.id}
    if kind is DecisionKind.ASSIGN:
        if owner is None:
            raise UserError(f"give the owner: riskcli assign {risk.id} --owner NAME")
        data["owner"] = _line("--owner", owner)
    elif kind is DecisionKind.TREAT:
        data.update(_treatment(reg, risk, strategy, responses))
    elif kind is DecisionKind.ACCEPT:
        if until is None:
            raise UserError(
                f"an acceptance expires: give its last day, e.g. riskcli accept {risk.id} --until 2026-06-30"
            )
        day = _day("--until", until)
        if day < today.isoformat():
            raise UserError(f"--until {day} is before today ({today.isoformat()}, UTC): an acceptance runs from today")
        if not why.strip():
            raise UserError(f"say why the risk is accepted: riskcli accept {risk.id} --until {day} --why …")
        data["until"] = day
        if approver is not None:
            data["approver"] = _line("--approver", approver)
    elif kind is DecisionKind.REVIEW:
        if next_review is not None:
            day = _day("--next", next_review)
            if day <= today.isoformat():
                raise UserError(f"--next {day} is not after today ({today.isoformat()}, UTC)")
            data["next"] = day
    elif kind is DecisionKind.CLOSE and retired:
        data["status"] = Status.RETIRED.value

    def make(rp: Replay) -> dict[str, Any] | None:
        st = decisions.standing(reg, risk, rp.state)
        extra = dict(data)
        if kind is DecisionKind.REOPEN:
            if st.status.live:
                return None
        elif kind is DecisionKind.CLOSE:
            if st.status is (Status.RETIRED if retired else Status.CLOSED):
                return None
        elif kind is not DecisionKind.REVIEW:
            _live(st, risk)
        if kind is DecisionKind.ASSIGN and st.owner == extra["owner"]:
            return None
        if (
            kind is DecisionKind.TREAT
            and st.status is Status.TREATED
            and st.treatment is not None
            and (st.treatment.strategy.value, list(st.treatment.responses))
            == (extra["strategy"], extra.get("with", []))
        ):
            return None
        if kind is DecisionKind.ACCEPT:
            # The risk as it stands now: an acceptance lapses when it is rated higher, or changes.
            now = scoring.score_risk(reg, risk, rp.state)
            extra.update(
                band=now.band.id,
                likelihood=now.likelihood,
                impact=now.impact,
                basis=decisions.risk_fingerprint(reg, risk),
            )
        return journal.new_event(kind.value, by, why, reg=reg, **extra)

    done = _append(req, s, make)
    lines = {e.id: e.line for e in done.after.active if e.kind in DECISION_KINDS}
    return DecisionResult(
        register=convert.register_info(reg),
        journal=str(s.location.path),
        recorded=done.event is not None,
        event=_event(done),
        beliefs=(),
        moves=(),
        decision=kind,
        risk=risk.id,
        title=risk.title,
        before=_view(reg, risk, done.before.state, today, lines),
        after=_view(reg, risk, done.after.state, today, lines),
    )


def undecided(req: Request, kind: DecisionKind, risk_id: str, **options: Any) -> SetResult:
    """A decision about a risk not yet assessed, which has no standing in the journal (its decisions
    are recorded once it is scored): its owner or its status is set in the register, as ``set``
    does; the other decisions wait, refused."""
    from riskcli.results import edit

    if kind is DecisionKind.ASSIGN:
        owner = options.get("owner")
        if owner is None:
            raise UserError(f"give the owner: riskcli assign {risk_id} --owner NAME")
        field, value = "owner", str(owner)
    elif kind is DecisionKind.CLOSE:
        field, value = "status", (Status.RETIRED if options.get("retired") else Status.CLOSED).value
    elif kind is DecisionKind.REOPEN:
        field, value = "status", Status.OPEN.value
    else:
        raise UserError(
            f"risk {risk_id} is not yet assessed: {kind.value} it once it is "
            f"(riskcli score {risk_id} --likelihood LEVEL --impact LEVEL --why …)"
        )
    return edit.set_field(req, risk_id, field, value)[0]


def _treatment(reg: Register, risk: Risk, strategy: str | None, responses: Sequence[str]) -> dict[str, Any]:
    choices = ", ".join(s.value for s in Strategy if s is not Strategy.ACCEPT)
    if strategy is None:
        raise UserError(f"give the treatment ({choices}): riskcli treat {risk.id} reduce --with M2")
    key = strategy.strip().lower()
    if key == Strategy.ACCEPT.value:
        raise UserError(
            f"accepting a risk is an acceptance, with an expiry and a reason: riskcli accept {risk.id} "
            "--until DATE --why …"
        )
    try:
        chosen = Strategy(key)
    except ValueError:
        raise UserError(f"treatment {strategy!r} is not one of {choices}") from None
    out: dict[str, Any] = {"strategy": chosen.value}
    ids: list[str] = []
    for ref in responses:
        for part in ref.split(","):
            if part.strip():
                mid = lookup("response", reg.responses, part.strip()).id
                if mid not in ids:
                    ids.append(mid)
    if ids:
        out["with"] = ids
    return out
