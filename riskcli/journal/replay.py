"""Replaying a journal's events over the register's baseline into the current state; undo; event lookup."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from riskcli import decisions as decided
from riskcli.model import Confidence, Event, Outcome, Register, SetBy
from riskcli.perf import gc_paused
from riskcli.scoring import AnalystScore, State, count

if TYPE_CHECKING:
    from riskcli.belief import Evidence, Ledger


@dataclass
class Replay:
    """A fold of events. A replay checkpoint (checkpoint.py) saves what the fold carries from one
    event to the next — ``state`` (its evidence too, but for the ledger's record of every
    observation, kept for display), ``undone``, ``unknown``, ``clamped`` — and restores it to fold
    the lines after it; ``active``, ``events`` and ``warnings`` it does not keep. A field that the
    fold carries must be saved there too (a test holds the lists to these classes)."""

    state: State
    active: list[Event]  # events in force (not undone, not undo/torn/adopt markers)
    undone: set[str]
    warnings: list[str]
    events: list[Event] = field(default_factory=list)  # every event replayed
    unknown: dict[str, set[str]] = field(default_factory=dict)  # ids no longer in the register, by what they are
    clamped: list[str] = field(default_factory=list)  # scores beyond the register's scales


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Ids of the events reverted by undo events still in force (an undone undo restores)."""
    undone: set[str] = set()
    for ev in list(events)[::-1]:  # (reversed() of NamedTuples loses their type for mypy)
        if ev.kind == "undo" and ev.id not in undone:
            undone.add(ev.data["undoes"])
    return undone


def replay(reg: Register, events: Iterable[Event]) -> Replay:
    """Fold the journal over the register's baseline into the current state."""
    with gc_paused():
        events = list(events)
        rp = Replay(State(dict(reg.baseline_beliefs), {}, reg.baseline_applied), [], undone_ids(events), [], [])
        return _fold(reg, rp, events)


def extend(reg: Register, rp: Replay, new: list[Event]) -> Replay:
    """The replay with more events: folded on, unless one of them is an undo (which can reach
    back), in which case the whole list is replayed again in memory."""
    if any(ev.kind == "undo" for ev in new):
        return replay(reg, [*rp.events, *new])
    known = rp.state.evidence
    copy = Replay(
        State(
            dict(rp.state.beliefs),
            dict(rp.state.scores),
            rp.state.applied,
            known.copy() if known is not None else None,
            rp.state.decisions,
        ),
        list(rp.active),
        set(rp.undone),
        list(rp.warnings),
        list(rp.events),
        {k: set(v) for k, v in rp.unknown.items()},
        list(rp.clamped),
    )
    return _fold(reg, copy, new)


def fold_inputs(reg: Register) -> str:
    """What ``_fold`` reads of the register, as text: a replay checkpoint is used only with a
    register that gives the same (risks by id alone; assumptions, indicators and responses whole;
    the scales' sizes, the review period, the date review windows count from). A fold that reads
    more of the register must add it here."""
    return repr(
        (
            reg.identity,
            reg.rules.likelihood.size,
            reg.rules.impact.size,
            reg.rules.review_every,
            reg.as_of,
            sorted(reg.risk_by_id),
            reg.assumptions,
            reg.indicators,
            reg.responses,
        )
    )


def _evidence(reg: Register) -> Evidence:
    """The evidence a journal's first belief or observation starts (the model is imported then: a
    journal of scores and responses alone, or none, never needs it)."""
    from riskcli.belief import Evidence, network

    found = Evidence(network(reg))
    found.ledger = _ledger(reg)
    return found


def _ledger(reg: Register) -> Ledger:
    from riskcli.belief import Ledger, window_origin

    return Ledger(window_origin(reg))


def _fold(reg: Register, rp: Replay, events: list[Event]) -> Replay:
    """Fold events into the state. Beliefs are the posterior of one model (``riskcli.belief``): an
    assume is evidence by Jeffrey's rule; an observation counts once — the same indicator and
    ``ref`` once, an absence once per review window — and adds its log likelihood ratios."""
    evidence = rp.state.evidence  # made on the first belief or observation: none, none to keep
    beliefs = evidence.beliefs if evidence is not None else dict(rp.state.beliefs)
    scores = dict(rp.state.scores)
    applied = set(rp.state.applied)
    decisions = dict(rp.state.decisions)
    undone = rp.undone
    unknown, clamped = rp.unknown, rp.clamped
    risks, assumptions = reg.risk_by_id, reg.assumption_by_id
    indicators = {i.id: i for i in reg.indicators}
    responses = {m.id for m in reg.responses}
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    every = reg.rules.review_every
    # Analyst scores keep the beliefs and responses in force when given: snapshots are shared
    # between scores until a belief or a response changes.
    held: dict[str, float] | None = None
    held_applied: frozenset[str] | None = None
    active = rp.active.append
    rp.events.extend(events)
    for ev in events:
        kind = ev.kind
        if kind in ("undo", "torn", "adopt") or (undone and ev.id in undone):
            continue
        d = ev.data
        if kind == "belief":
            aid = d["assumption"]
            if aid not in assumptions:
                unknown.setdefault("assumptions", set()).add(aid)
                continue
            if evidence is None:
                evidence = _evidence(reg)
                beliefs = evidence.beliefs
            evidence.assume(aid, float(d["belief"]), SetBy.ASSUME, ev.id)
            held = None
        elif kind == "score":
            rid = d["risk"]
            if rid not in risks:
                unknown.setdefault("risks", set()).add(rid)
                continue
            lk, im = float(d["likelihood"]), float(d["impact"])
            if lk > nl or im > ni:
                clamped.append(f"line {ev.line}: {rid} {lk:g}×{im:g}")
                lk, im = min(lk, nl), min(im, ni)
            if held is None:
                held = dict(beliefs)
            if held_applied is None:
                held_applied = frozenset(applied)
            conf = d.get("confidence")
            scores[rid] = AnalystScore(
                lk, im, held, ev.by, ev.at, ev.why, held_applied, Confidence(conf) if conf is not None else None
            )
        elif kind == "observe":
            ind = indicators.get(d["indicator"])
            if ind is None:
                unknown.setdefault("indicators", set()).add(d["indicator"])
                continue
            if evidence is None:
                evidence = _evidence(reg)
                beliefs = evidence.beliefs
            if evidence.ledger is None:
                evidence.ledger = _ledger(reg)
            outcome = Outcome(d.get("outcome", "seen"))
            seen = evidence.ledger.decide(
                ind,
                outcome,
                every=ind.review_every or every,
                line=ev.line,
                ident=ev.id,
                at=ev.at,
                on=d.get("on"),
                source=d.get("source"),
                ref=d.get("ref"),
            )
            if seen.counted and outcome is not Outcome.NONE:
                count(evidence, ind, outcome)
                held = None
        elif kind == "respond":
            mid = d["response"]
            if mid not in responses:
                unknown.setdefault("responses", set()).add(mid)
                continue
            if d.get("applied", True):
                applied.add(mid)
            else:
                applied.discard(mid)
            held_applied = None
        elif kind in decided.KINDS:
            rid = d["risk"]
            if rid not in risks:
                unknown.setdefault("risks", set()).add(rid)
                continue
            decided.add(decisions, rid, decided.decision_of(ev))
        active(ev)
    rp.warnings = [
        f"journal events about {what} no longer in the register are ignored: {', '.join(sorted(ids)[:10])}"
        for what, ids in unknown.items()
    ]
    if clamped:
        rp.warnings.append(
            f"journal scores beyond this register's scales ({nl}×{ni}) are read at the top of the scale: "
            + "; ".join(clamped[:5])
            + (f" and {len(clamped) - 5} more" if len(clamped) > 5 else "")
        )
    rp.state = State(
        dict(beliefs) if evidence is not None else beliefs, scores, frozenset(applied), evidence, decisions
    )
    return rp


def last_undoable(events: list[Event], by: str | None = None) -> Event | None:
    """The most recent event still in force that undo can revert (``by``: that analyst's)."""
    undone = undone_ids(events)
    for ev in events[::-1]:
        if ev.kind not in ("undo", "torn", "adopt") and ev.id not in undone and (by is None or ev.by == by):
            return ev
    return None


def find_event(events: list[Event], ref: str) -> Event | None:
    """An event by its id, or by its line number (``12`` or ``#12``)."""
    key = ref.strip()
    for ev in events:
        if ev.id == key:
            return ev
    num = key.lstrip("#")
    if num.isascii() and num.isdigit():
        for ev in events:
            if ev.line == int(num):
                return ev
    return None
