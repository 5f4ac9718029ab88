"""The journal actions: each appends (at most) one event under the lock and says what moved.

Every action decides on the state as it is when the lock is held (``journal.record``), so two
analysts recording at once never act on a stale state. An action that would change nothing
records nothing and says so (``recorded`` is false).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from riskcli import journal, scoring
from riskcli.journal import Recorded as Appended
from riskcli.journal import Replay
from riskcli.model import Assumption, Confidence, Event, Register, Resolution, Resolvable, Risk, UserError
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, earlier, lookup, lookup_risk
from riskcli.results.shapes.common import BeliefChange, MoveView
from riskcli.results.shapes.events import (
    AdoptResult,
    AssumeResult,
    EventView,
    EventViews,
    HeadResult,
    HistoryFilters,
    HistoryResult,
    JournalInfo,
    ObserveResult,
    ResolveResult,
    RespondResult,
    ScoreResult,
    Track,
    UndoResult,
    VerifyResult,
)
from riskcli.rules import Parsed, parse_belief
from riskcli.scoring import Outcome


def _append(req: Request, s: Session, make: Callable[[Replay], dict[str, Any] | None]) -> Appended:
    # With no journal yet, decide first: a refusal, or nothing to record, creates no journal file.
    if not s.location.path.exists() and make(s.replay) is None:
        return Appended(s.replay, s.replay, None, s.journal)
    return journal.record(s.reg, s.location, make, current=s.current)


def _append_knowing_all(req: Request, s: Session, make: Callable[[Replay], dict[str, Any] | None]) -> Appended:
    """An append whose decision needs every event (undo, adopt)."""
    if not s.location.path.exists() and make(s.replay) is None:
        return Appended(s.replay, s.replay, None, s.journal)
    return journal.record(s.reg, s.location, make, current=s.current.everything())


def _changes(s: Session, done: Appended) -> tuple[tuple[BeliefChange, ...], tuple[MoveView, ...]]:
    reg = s.reg
    before, after = done.before.state, done.after.state
    beliefs = tuple(
        BeliefChange(a.id, before.beliefs[a.id], after.beliefs[a.id])
        for a in reg.assumptions
        if abs(before.beliefs[a.id] - after.beliefs[a.id]) > 1e-12
    )
    mv = scoring.moves(reg, scoring.score_all(reg, before), scoring.score_all(reg, after), before, after)
    return beliefs, tuple(convert.move(m) for m in mv)


def _event(done: Appended) -> EventView | None:
    if done.event is None:
        return None
    return convert.event(done.event, done.after.undone)


def _check_text(what: str, text: str) -> str:
    """User text bound for the journal must be writable as UTF-8 (a non-UTF-8 argument is not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise UserError(f"{what} is not valid UTF-8 text; check your terminal's encoding") from None
    return text


# --------------------------------------------------------------------------- score


def score(
    req: Request,
    s: Session,
    risk: Risk,
    likelihood: float,
    impact: float,
    why: str,
    said: dict[str, Parsed],
    confidence: Confidence | None = None,
) -> ScoreResult:
    """Record an analyst's levels for a risk (with their ICD 203 confidence, when given); ``said``
    holds the values the analyst typed."""
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    said_text = {k: p.said for k, p in said.items() if p.said.strip() != _plain(float(p.value))}

    def make(rp: Replay) -> dict[str, Any]:
        _refuse_resolved(rp, Resolvable.RISK, risk.id, "score")
        extra: dict[str, Any] = {"said": said_text} if said_text else {}
        if confidence is not None:
            extra["confidence"] = confidence.value
        return journal.new_event(
            "score", by, why, reg=s.reg, risk=risk.id, likelihood=likelihood, impact=impact, **extra
        )

    done = _append(req, s, make)
    # The risk's move, even to where it was: a score at the same levels still anchors it anew.
    before = scoring.score_risk(s.reg, risk, done.before.state)
    after = scoring.score_risk(s.reg, risk, done.after.state)
    cause = (scoring.Cause(scoring.CauseKind.ANALYST_SCORE),)
    return ScoreResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        recorded=True,
        event=_event(done),
        beliefs=(),
        moves=(convert.move(scoring.Move(risk, before, after, cause)),),
        risk=risk.id,
        understood=tuple(convert.understood(k, p) for k, p in said.items()),
    )


def _plain(x: float) -> str:
    return str(int(x)) if x == int(x) else repr(x)


# --------------------------------------------------------------------------- assume


def assume(req: Request, s: Session, assumption_id: str, value: str, why: str) -> AssumeResult:
    """Set a belief; the same belief again records nothing."""
    a = lookup("assumption", s.reg.assumptions, assumption_id)
    parsed = parse_belief(s.reg.rules.words, value)
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    belief = float(parsed.value)

    def make(rp: Replay) -> dict[str, Any] | None:
        _refuse_resolved(rp, Resolvable.ASSUMPTION, a.id, "belief")
        if abs(rp.state.beliefs[a.id] - belief) < 1e-12:
            return None
        return journal.new_event(
            "belief", by, why, reg=s.reg, assumption=a.id, belief=belief, said=_check_text("the belief", parsed.said)
        )

    done = _append(req, s, make)
    beliefs, moves = _changes(s, done)
    if done.event is None:
        beliefs = (BeliefChange(a.id, belief, belief),)
    return AssumeResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        recorded=done.event is not None,
        event=_event(done),
        beliefs=beliefs,
        moves=moves,
        assumption=a.id,
        understood=convert.understood("belief", parsed),
    )


# --------------------------------------------------------------------------- observe and respond


def observe(
    req: Request,
    s: Session,
    indicator_id: str,
    outcome: Outcome,
    why: str,
    *,
    source: str | None = None,
    ref: str | None = None,
    on: str | None = None,
) -> ObserveResult:
    """Record a sighting (seen), a sighting looked for and missed (absent), or a review with
    nothing to record (none). A signpost's sighting is evidence by Bayes' rule; a format-1
    indicator sets its preset beliefs, and knows no 'absent'. It counts once: an observation of the
    same indicator with the same ``ref`` as one counted, or an absence in a review window whose
    absence is counted, is recorded and says so, but moves nothing."""
    ind = lookup("indicator", s.reg.indicators, indicator_id)
    if outcome is Outcome.ABSENT and not ind.is_evidence:
        raise UserError(
            f"{ind.id} sets beliefs when seen and gives no ratio for 'absent' (bears_on in the register); "
            f"record a review with nothing seen as: riskcli observe {ind.id} --none"
        )
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    extra: dict[str, Any] = {} if outcome is Outcome.SEEN else {"outcome": outcome.value}
    for name, value in (("source", source), ("ref", ref)):
        if value is not None:
            text = _check_text(f"--{name}", value).strip()
            if not text or any(c in text for c in "\r\n"):
                raise UserError(f"--{name} {value!r}: give one line of text")
            extra[name] = text
    if on is not None:
        extra["on"] = _day(on)
    done = _append(req, s, lambda rp: journal.new_event("observe", by, why, reg=s.reg, indicator=ind.id, **extra))
    beliefs, moves = _changes(s, done)
    ev = done.after.state.evidence
    assert done.event is not None and ev is not None and ev.ledger is not None
    mine = next(o for o in reversed(ev.ledger.by_indicator[ind.id]) if o.id == done.event.id)
    return ObserveResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        recorded=True,
        event=_event(done),
        beliefs=beliefs,
        moves=moves,
        indicator=ind.id,
        title=ind.title,
        outcome=outcome,
        fixed=tuple(
            b.assumption
            for b in ind.bears_on
            if mine.counted
            and outcome is not Outcome.NONE
            and done.before.state.beliefs.get(b.assumption, 0.5) in (0.0, 1.0)
        ),
        counted=convert.observation(mine),
    )


def _day(text: str) -> str:
    """``--on``: a date, not after today (UTC, as the journal's times are)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"--on {text!r} is not a date; give YYYY-MM-DD, e.g. 2024-11-05") from None
    today = datetime.now(UTC).date()
    if day > today:
        raise UserError(f"--on {day.isoformat()} is after today ({today.isoformat()}, UTC): record what was observed")
    return day.isoformat()


def respond(req: Request, s: Session, response_id: str, apply: bool, why: str) -> RespondResult:
    """Apply or withdraw a response; one already in that state records nothing."""
    resp = lookup("response", s.reg.responses, response_id)
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)

    def make(rp: Replay) -> dict[str, Any] | None:
        if (resp.id in rp.state.applied) == apply:
            return None
        return journal.new_event("respond", by, why, reg=s.reg, response=resp.id, applied=apply)

    done = _append(req, s, make)
    beliefs, moves = _changes(s, done)
    return RespondResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        recorded=done.event is not None,
        event=_event(done),
        beliefs=beliefs,
        moves=moves,
        response=resp.id,
        title=resp.title,
        applied=apply,
    )


# --------------------------------------------------------------------------- resolve


def resolve(
    req: Request,
    s: Session,
    item_id: str,
    outcome: Resolution,
    why: str,
    *,
    on: str | None = None,
    source: str | None = None,
) -> ResolveResult:
    """Record what happened to a risk (occurred, did-not-occur) or an assumption (held, failed), on
    a day (today unless ``on``). An item already resolved is refused: undo that resolution first."""
    reg = s.reg
    kind = outcome.of
    item = lookup_for(reg, kind, item_id, outcome)
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    extra: dict[str, Any] = {"on": _day(on) if on is not None else datetime.now(UTC).date().isoformat()}
    if source is not None:
        text = _check_text("--source", source).strip()
        if not text or any(c in text for c in "\r\n"):
            raise UserError(f"--source {source!r}: give one line of text")
        extra["source"] = text

    def make(rp: Replay) -> dict[str, Any]:
        held = rp.state.resolutions.get((kind, item.id))
        if held is not None:
            line = next((ev.line for ev in rp.events if ev.id == held.id), None)
            where = f"line {line}" if line is not None else f"event {held.id}"
            raise UserError(
                f"{item.id} is resolved already: {held.outcome.value} ({held.on}, {where}); "
                f"to correct it, undo that first: riskcli undo {line if line is not None else held.id}"
            )
        return journal.new_event(
            "resolve", by, why, reg=reg, **{kind.value: item.id, "outcome": outcome.value}, **extra
        )

    done = _append(req, s, make)
    beliefs, moves = _changes(s, done)
    r = done.after.state.resolutions[(kind, item.id)]
    return ResolveResult(
        register=convert.register_info(reg),
        journal=str(s.location.path),
        recorded=True,
        event=_event(done),
        beliefs=beliefs,
        moves=moves,
        resolved=convert.resolved(reg, r),
    )


def _refuse_resolved(rp: Replay, kind: Resolvable, item: str, judgement: str) -> None:
    """A judgement of an item that has been resolved would judge a fact: refused."""
    held = rp.state.resolutions.get((kind, item))
    if held is not None:
        raise UserError(
            f"{item} is resolved ({held.outcome.value}, {held.on}) and takes no {judgement}; if the resolution "
            f"was a mistake, undo it: riskcli undo {held.id}"
        )


def lookup_for(reg: Register, kind: Resolvable, ident: str, outcome: Resolution) -> Risk | Assumption:
    """The risk or assumption an outcome is of; naming the other kind says which outcomes it takes."""
    found: Risk | Assumption | None
    if kind is Resolvable.RISK:
        found = scoring.find(reg.risks, ident)
        other = scoring.find(reg.assumptions, ident) is not None
    else:
        found = scoring.find(reg.assumptions, ident)
        other = scoring.find(reg.risks, ident) is not None
    if found is not None:
        return found
    if other:
        takes = "held or failed" if kind is Resolvable.RISK else "occurred or did-not-occur"
        what = "an assumption" if kind is Resolvable.RISK else "a risk"
        raise UserError(f"{ident} is {what}: it is resolved {takes}, not {outcome.value}")
    ids = [x.id for x in (reg.risks if kind is Resolvable.RISK else reg.assumptions)]
    raise convert.unknown(kind.value, ident, ids)


# --------------------------------------------------------------------------- undo


def undo(req: Request, s: Session, ref: str | None, *, mine: bool, why: str) -> UndoResult:
    """Revert an event by appending its inverse: the last in force, the analyst's own last
    (``mine``), or the one named (an id or a line number; naming an undo re-applies what it undid)."""
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    target: list[Event] = []

    def make(rp: Replay) -> dict[str, Any]:
        events = rp.events
        cut = journal.rebaselined(s.reg.identity, events)  # the events before it are this register's history
        if ref is not None:
            ev = journal.find_event(events, ref)
            if ev is None:
                raise UserError(
                    f"no event {ref!r} in {s.location.path} (give an event id or a line number from history)"
                )
            if ev.kind == "rebaseline":
                raise UserError(
                    f"line {ev.line} is a rebaseline record, which cannot be undone: it changed nothing here, "
                    f"and register {ev.data['into']!r} holds its state as its baseline"
                )
            if ev.kind in ("torn", "adopt"):
                raise UserError(f"line {ev.line} is a {ev.kind} record, which cannot be undone")
            if ev.id in rp.undone:
                raise UserError(f"line {ev.line} is already undone")
            if cut is not None and journal.order_key(ev) <= cut:
                raise UserError(
                    f"line {ev.line} is history: it came before the rebaseline that made {s.reg.identity!r}, "
                    "whose baseline holds its effect; record a new judgement instead"
                )
        else:
            after = events if cut is None else [e for e in events if journal.order_key(e) > cut]
            found = journal.last_undoable(after, by=by if mine else None)
            if found is None:
                whose = f"of yours ({by}) " if mine else ""
                raise UserError(f"nothing {whose}to undo in {s.location.path}")
            ev = found
        target.append(ev)
        return journal.new_event("undo", by, why, reg=s.reg, undoes=ev.id)

    done = _append_knowing_all(req, s, make)
    beliefs, moves = _changes(s, done)
    lines = {e.id: e.line for e in done.after.events}
    return UndoResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        recorded=True,
        event=convert.event(done.event, done.after.undone, lines) if done.event else None,
        beliefs=beliefs,
        moves=moves,
        undid=convert.event(target[0], done.after.undone, lines),
    )


# --------------------------------------------------------------------------- the journal itself


def adopt(req: Request, s: Session, source: str | None, why: str) -> AdoptResult:
    """Take over a journal recorded against another register (a renamed or copied one): from now
    on its events replay onto this register."""
    reg = s.reg
    by, why = _check_text("the analyst name", req.who()), _check_text("--why", why)
    accepted = journal.accepted_registers(reg, s.journal.events)
    foreign = sorted({ev.register for ev in s.journal.events if ev.register is not None} - accepted)
    if source is None:
        if not foreign:
            raise UserError(f"nothing to adopt: every event in {s.location.path} is already {reg.identity!r}'s")
        # A register that adopted others carries them: y3 takes over y2, which had adopted y1.
        heads = [
            f
            for f in foreign
            if not any(f in journal.accepted_registers(g, s.journal.events) for g in foreign if g != f)
        ]
        if len(heads) != 1:  # several, or none when registers adopted each other
            raise UserError(
                f"{s.location.path} holds events of several registers ({', '.join(heads or foreign)}); "
                "name the one to adopt"
            )
        source = heads[0]
        _refuse_unrelated(reg, source, s.journal.events, s.location.path)  # named: the analyst knows
    elif source in accepted:
        raise UserError(f"{source!r} is already adopted by {reg.identity!r}")
    elif source not in foreign:  # adopting it would change nothing
        named = f"; the events of {', '.join(repr(f) for f in foreign)} may be adopted" if foreign else ""
        raise UserError(f"no event in {s.location.path} was recorded against register {source!r}{named}")
    chosen = source
    done = _append_knowing_all(req, s, lambda rp: journal.new_event("adopt", by, why, reg=reg, **{"from": chosen}))
    # What moved is what the adopted events bring: compare with this register's own events alone.
    own = [ev for ev in done.journal.events if ev.register is None or ev.register in accepted]
    beliefs, moves = _changes(s, Appended(journal.replay(reg, own), done.after, done.event, done.journal))
    return AdoptResult(
        register=convert.register_info(reg),
        journal=str(s.location.path),
        recorded=True,
        event=_event(done),
        beliefs=beliefs,
        moves=moves,
        adopted=tuple(sorted(journal.accepted_registers(reg, done.after.events))),
    )


def _refuse_unrelated(reg: Register, source: str, events: Sequence[Event], path: Path) -> None:
    """Adopting is for a renamed or copied register: without the source named, refused when not
    one of the adopted events names an item of this register (a stale --journal or
    RISKCLI_JOURNAL, most likely)."""
    theirs = journal.accepted_registers(source, events)
    named = {
        str(ev.data[k])
        for ev in events
        if ev.register in theirs
        for k in ("risk", "assumption", "indicator", "response")
        if k in ev.data
    }
    ours = {r.id for r in reg.risks} | {a.id for a in reg.assumptions}
    ours |= {i.id for i in reg.indicators} | {m.id for m in reg.responses}
    if named and not named & ours:
        raise UserError(
            f"none of the events of {source!r} in {path} names a risk, assumption, indicator or response of "
            f"{reg.identity!r} (they name {', '.join(sorted(named)[:5])}{' …' if len(named) > 5 else ''}): "
            f"not a copy of this register? Check --journal (or RISKCLI_JOURNAL); if it is one, name it: "
            f"riskcli journal adopt {source}"
        )


def verify(req: Request, s: Session, head: str | None = None) -> VerifyResult:
    """Walk the hash chain; with ``head`` (one the analyst kept), check the journal still holds
    the line it is the hash of."""
    kept = journal.parse_head(head) if head is not None else None
    v = journal.verify(s.location.path, explicit=s.location.explicit, head=kept)
    return VerifyResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        ok=v.ok,
        lines=v.lines,
        chained=v.chained,
        unchained=v.unchained,
        breaks=v.breaks,
        head=v.head,
        head_line=v.head_line,
        kept=v.kept,
        merged=v.merged,
    )


def head(req: Request, s: Session) -> HeadResult:
    """The journal's head: the hash of its last line, to keep elsewhere (``verify --head``)."""
    h, line = journal.head(s.location.path, explicit=s.location.explicit)
    return HeadResult(register=convert.register_info(s.reg), journal=str(s.location.path), head=h, line=line)


def history(
    req: Request,
    s: Session,
    *,
    risk: str | None = None,
    assumption: str | None = None,
    by: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
) -> HistoryResult:
    """The journal's events, filtered; ``limit`` keeps the latest."""
    reg = s.reg
    risk_id = lookup_risk(reg, risk).id if risk is not None else None
    assumption_id = lookup("assumption", reg.assumptions, assumption).id if assumption is not None else None
    everything = s.journal.events
    events = list(journal.iter_filtered(everything, risk_id, assumption_id, by, since, reg))
    shown = events if limit is None or len(events) <= limit else events[-limit:]
    # The lines of the events undo events name (only those: history lists 100,000s of events).
    targets = {ev.data["undoes"] for ev in shown if ev.kind == "undo"}
    lines = {e.id: e.line for e in everything if e.id in targets} if targets else {}
    return HistoryResult(
        register=convert.register_info(reg),
        as_of=s.as_of,
        journal=JournalInfo(str(s.location.path), len(everything)),
        filters=HistoryFilters(risk_id, assumption_id, by, since.isoformat() if since else None),
        count=len(events),
        shown=len(shown),
        events=EventViews(shown, journal.undone_ids(everything), lines, convert.events),
        track=_track(reg, everything, risk_id),
        earlier=earlier(reg),
    )


def _track(reg: Register, everything: list[Event], risk_id: str | None) -> Track | None:
    """history --risk: the risk's score over time, after each of its events (every one, whatever --by or --since)."""
    if risk_id is None:
        return None
    from riskcli.results.track import risk_track

    touching = {ev.id for ev in journal.iter_filtered(everything, risk_id, None, None, None, reg)}
    return risk_track(reg, everything, reg.risk_by_id[risk_id], touching)
