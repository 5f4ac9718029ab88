"""Replaying a journal's events over the register's baseline into the current state; undo; event lookup."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from datetime import UTC, datetime
from itertools import islice
from operator import itemgetter, lt
from typing import TYPE_CHECKING, cast

from riskcli import combine, outcomes
from riskcli import decisions as decided
from riskcli.model import Combine, Confidence, Event, Indicator, Outcome, Register, Resolvable, SetBy
from riskcli.perf import gc_paused
from riskcli.records import mutable
from riskcli.scoring import AnalystScore, State, count

if TYPE_CHECKING:
    from riskcli.belief import Evidence, Ledger, Observed


@mutable
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
    latest: tuple[str, str] = ("", "")  # the order key of the latest event folded (``order_key``)


# --------------------------------------------------------------------------- order
#
# A journal's lines are in the order they were appended, but two analysts' journals merged — by
# concatenation or by git's union merge — interleave in any order. The fold therefore never
# reads the order of lines: events are folded in the order of their time (``at``, then ``id``),
# an event that appears twice (the same id at the same time) is folded once, and an undo names
# the event it reverts by id.

REBASELINE = "rebaseline"
# Records about the journal itself: the fold reads no state from them.
_MARKERS = ("undo", "torn", "adopt", REBASELINE)


_CANONICAL = "2025-01-31T09:00:00.000000Z"
_AT, _AT_ID = itemgetter(2), itemgetter(2, 1)  # an Event's at, (at, id)
_SHAPE, _SHAPED = itemgetter(10, 19, 26), {("T", ".", "Z")}  # where ``moment`` looks, what it finds


def moment(at: str) -> str:
    """An event's time as riskcli writes it (UTC to the microsecond, ``2025-01-31T09:00:00.000000Z``),
    so that times compare as text: another ISO 8601 form (hand-written, with an offset or without
    fractions) is rewritten to it; text that is no time is "" (before every time). Text in that
    form is taken as written, unchecked (a hand-made ``2025-02-30T…`` falls where its text does)."""
    if len(at) == len(_CANONICAL) and at[-1] == "Z" and at[19] == "." and at[10] == "T":
        return at
    try:
        when = datetime.fromisoformat(at.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return ""
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def order_key(ev: Event) -> tuple[str, str]:
    """Where an event falls in the fold: by its time, then its id (ids are random: a tie of
    times is broken the same way in every copy of the journal)."""
    return (moment(ev.at), ev.id)


def in_order(events: list[Event]) -> tuple[list[Event], list[str]]:
    """The events in the order they are folded, each once, and a warning for each id found twice
    with different content (the copy whose content sorts first is kept, in every order of lines)
    and for each time that is no time (its event is folded before every event with a time)."""
    if len(events) < 2:
        return list(events), _no_time(events)
    ats = list(map(_AT, events))
    warnings: list[str] = []
    if set(map(len, ats)) == {len(_CANONICAL)} and set(map(_SHAPE, ats)) == _SHAPED:
        # riskcli's own times (``moment`` takes each as written): compared as they are
        if all(map(lt, ats, islice(ats, 1, None))):  # one writer's journal: in order, no time twice
            return list(events), []
        out = sorted(events, key=_AT_ID)
    else:
        out = sorted(events, key=order_key)
        warnings = _no_time(out)
    kept: list[Event] = []
    last: Event | None = None
    for ev in out:
        if last is not None and ev.id == last.id and ev.at == last.at:
            if ev.data != last.data:
                warnings.append(
                    f"line {ev.line} has the id of line {last.line} with different content: one of them is kept"
                )
                if _content(ev) < _content(last):
                    kept[-1] = last = ev
            continue
        kept.append(ev)
        last = ev
    return kept, warnings


def _no_time(events: Iterable[Event]) -> list[str]:
    return [
        f"line {ev.line}: its time {ev.at[:40]!r} is no time: the event is folded before every event that has one"
        for ev in events
        if not moment(ev.at)
    ]


def _content(ev: Event) -> str:
    import json

    return json.dumps(ev.data, sort_keys=True, ensure_ascii=True, default=str)


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Ids of the events reverted by undo events still in force, in any order of lines: an event
    is undone when an undo in force names it, and an undo is in force unless an undo in force
    names it (an undone undo restores). Undos that name each other in a loop, which only a
    hand-edit makes, are none of them in force."""
    undoes: dict[str, str] = {}  # undo id -> the id it names
    for ev in events:
        if ev.kind == "undo":
            undoes[ev.id] = ev.data["undoes"]
    named: dict[str, list[str]] = {}  # id -> the undos naming it
    for u in undoes:
        named.setdefault(undoes[u], []).append(u)
    memo = dict.fromkeys(_looped(undoes), False)
    return {undoes[u] for u in undoes if _in_force(u, named, memo)}


def _looped(undoes: Mapping[str, str]) -> set[str]:
    """The undos on a loop of undos naming each other (each names one id: a walk along what
    they name ends at an event, or comes back to where it was)."""
    looped: set[str] = set()
    done: set[str] = set()
    for start in undoes:
        path: dict[str, int] = {}  # the walk from start: undo -> its place on it
        u = start
        while u in undoes and u not in done:
            if u in path:
                looped.update(list(path)[path[u] :])
                break
            path[u] = len(path)
            u = undoes[u]
        done.update(path)
    return looped


def _in_force(start: str, named: Mapping[str, list[str]], memo: dict[str, bool]) -> bool:
    """Whether an undo is in force, given ``memo`` (what is known: every undo on a loop, as not
    in force). Iterative: a chain of undos of undos can be long; off the loops, the undos naming
    one another form trees, so each is pushed once."""
    stack = [start]
    while stack:
        u = stack[-1]
        if u in memo:
            stack.pop()
            continue
        pending = [v for v in named.get(u, ()) if v not in memo]
        if pending:
            stack.extend(pending)
            continue
        memo[u] = not any(memo[v] for v in named.get(u, ()))
        stack.pop()
    return memo[start]


def folds_on(rp: Replay, new: Iterable[Event]) -> bool:
    """Whether new events can be folded onto a replay as it is: none of them is an undo (which
    can reach back) and each comes after every event folded so far. Otherwise the whole journal
    is replayed: a merged line can fall anywhere in time."""
    latest = rp.latest
    for ev in new:
        kind = ev.kind
        if kind == "undo" or kind == REBASELINE:  # a rebaseline reaches back for the register it made
            return False
        if kind not in _MARKERS and order_key(ev) <= latest:
            return False
    return True


def replay(reg: Register, events: Iterable[Event]) -> Replay:
    """Fold the journal over the register's baseline into the current state."""
    with gc_paused():
        events = list(events)
        rp = Replay(State(dict(reg.baseline_beliefs), {}, reg.baseline_applied), [], undone_ids(events), [], [])
        return _fold(reg, rp, events, rebaselined(reg.identity, events))


def rebaselined(identity: str, events: Iterable[Event]) -> tuple[str, str] | None:
    """Where the history of a register made by ``rebaseline`` ends in a journal it reads: the order
    key (``order_key``) of the latest rebaseline event that made it, or None. Its baseline holds
    the state those events and every event before them had made, so the fold applies none of them."""
    cut: tuple[str, str] | None = None
    for ev in events:
        if ev.kind == REBASELINE and ev.data.get("into") == identity and ev.register != identity:
            key = order_key(ev)
            cut = key if cut is None else max(cut, key)
    return cut


def extend(reg: Register, rp: Replay, new: list[Event]) -> Replay:
    """The replay with more events: folded on when they can be (``folds_on``), else the whole
    list (the replay's events and the new ones) replayed again in memory."""
    if not folds_on(rp, new):
        return replay(reg, [*rp.events, *new])
    known = rp.state.evidence
    copy = Replay(
        State(
            dict(rp.state.beliefs),
            dict(rp.state.scores),
            rp.state.applied,
            known.copy() if known is not None else None,
            rp.state.decisions,
            panel=rp.state.panel,
            opinions=rp.state.opinions,
            resolutions=rp.state.resolutions,
        ),
        list(rp.active),
        set(rp.undone),
        list(rp.warnings),
        list(rp.events),
        {k: set(v) for k, v in rp.unknown.items()},
        list(rp.clamped),
        rp.latest,
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
            reg.combine,
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


def _decide(evidence: Evidence, ind: Indicator, outcome: Outcome, ev: Event, every: int) -> Observed:
    """The ledger's decision on an observe event: whether it counts, or repeats a report or a review
    window (the ledger records it either way; its next review counts from it)."""
    assert evidence.ledger is not None  # _evidence makes one; a checkpoint restores it
    d = ev.data
    return evidence.ledger.decide(
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


def _ledger(reg: Register) -> Ledger:
    from riskcli.belief import Ledger, window_origin

    return Ledger(window_origin(reg))


def _fold(reg: Register, rp: Replay, events: list[Event], cut: tuple[str, str] | None = None) -> Replay:
    """Fold events into the state. Beliefs are the posterior of one model (``riskcli.belief``): an
    assume is evidence by Jeffrey's rule; an observation counts once — the same indicator and
    ``ref`` once, an absence once per review window — and adds its log likelihood ratios. Events
    are folded in the order of their time (``in_order``), never of their lines: the caller folds
    onto a replay only events that come after it (``folds_on``). ``cut``: the events up to it are
    history, already in the register's baseline (``rebaselined``).

    The fold does per event only what the state it ends in needs (``_Beliefs``, ``_Scores``): it
    is the state of folding every event in turn through the model, bit for bit (tests/
    test_journal_fold.py holds it to that fold, kept in tests/reference_fold.py)."""
    evidence = rp.state.evidence  # made on the first belief or observation: none, none to keep
    beliefs = evidence.beliefs if evidence is not None else dict(rp.state.beliefs)
    applied = set(rp.state.applied)
    decisions = dict(rp.state.decisions)
    rule = combine.rule_of(reg.combine)
    resolutions = dict(rp.state.resolutions)
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
    ordered, twice = in_order(events)
    said = _Beliefs(rp.state.opinions, rule)
    kept = _Scores(ordered, undone, risks, cut)
    for ev in ordered:
        kind = ev.kind
        if kind in _MARKERS or (undone and ev.id in undone):
            continue
        d = ev.data
        if cut is not None and order_key(ev) <= cut:  # history: its effect is in the baseline
            ind = indicators.get(d["indicator"]) if kind == "observe" else None
            if ind is not None:  # the ledger knows it, so that the same report is not counted again
                if evidence is None:
                    evidence = _evidence(reg)
                    beliefs = evidence.beliefs
                _decide(evidence, ind, Outcome(d.get("outcome", "seen")), ev, every)
                active(ev)  # the indicator's last observation, which its next review counts from
            continue
        if kind == "belief":
            aid = d["assumption"]
            if aid not in assumptions:
                unknown.setdefault("assumptions", set()).add(aid)
                continue
            if resolutions and (Resolvable.ASSUMPTION, aid) in resolutions:
                continue  # a fact outweighs a judgement: a belief after the resolution moves nothing
            if evidence is None:
                evidence = _evidence(reg)
                beliefs = evidence.beliefs
            said.add(evidence, aid, ev)
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
            if kept.last(rid, ev.by) is ev:  # an analyst's latest score of the risk: it stays in the state
                if held is None:
                    if evidence is not None:
                        said.settle(evidence)
                    held = dict(beliefs)
                if held_applied is None:
                    held_applied = frozenset(applied)
                conf = d.get("confidence")
                kept.given(
                    rid,
                    AnalystScore(
                        lk,
                        im,
                        held,
                        ev.by,
                        ev.at,
                        ev.why,
                        held_applied,
                        Confidence(conf) if conf is not None else None,
                    ),
                )
        elif kind == "observe":
            ind = indicators.get(d["indicator"])
            if ind is None:
                unknown.setdefault("indicators", set()).add(d["indicator"])
                continue
            if evidence is None:
                evidence = _evidence(reg)
                beliefs = evidence.beliefs
            outcome = Outcome(d.get("outcome", "seen"))
            seen = _decide(evidence, ind, outcome, ev, every)
            if seen.counted and outcome is not Outcome.NONE:
                said.settle(evidence, _touched(ind))
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
        elif kind == outcomes.KIND:
            r = outcomes.resolved_of(ev)
            if r.item not in (risks if r.kind is Resolvable.RISK else assumptions):
                unknown.setdefault(f"{r.kind.value}s", set()).add(r.item)
                continue
            outcomes.add(resolutions, r)
            if r.kind is Resolvable.ASSUMPTION:
                if evidence is None:
                    evidence = _evidence(reg)
                    beliefs = evidence.beliefs
                said.settle(evidence, (r.item,))
                evidence.assume(r.item, 1.0 if r.outcome.came_true else 0.0, SetBy.RESOLVED, ev.id)
                held = None
        active(ev)
    if evidence is not None:
        said.settle(evidence)
    rp.warnings = [
        f"journal events about {what} no longer in the register are ignored: {', '.join(sorted(ids)[:10])}"
        for what, ids in unknown.items()
    ]
    rp.warnings.extend(twice[:5])
    for ev in reversed(ordered):
        if ev.kind not in _MARKERS or ev.kind == REBASELINE:
            rp.latest = max(rp.latest, order_key(ev))
            break
    if clamped:
        rp.warnings.append(
            f"journal scores beyond this register's scales ({nl}×{ni}) are read at the top of the scale: "
            + "; ".join(clamped[:5])
            + (f" and {len(clamped) - 5} more" if len(clamped) > 5 else "")
        )
    scores, panel = kept.state(rp.state.scores, rp.state.panel)
    rp.state = State(
        dict(beliefs),
        scores,
        frozenset(applied),
        evidence,
        decisions,
        panel=panel,
        opinions=said.state(),
        resolutions=resolutions,
    )
    return rp


def _touched(ind: Indicator) -> tuple[str, ...]:
    """The assumptions an observation of the indicator sets or bears on."""
    return (*(b.assumption for b in ind.bears_on), *(u.assumption for u in ind.updates))


class _Beliefs:
    """The analysts' beliefs a fold records, and the belief sets they make in the model.

    Each analyst's latest belief in an assumption stays in force, and the model is set to their
    combination (``riskcli.combine``; one analyst's alone: theirs; ``last``: the latest folded).
    A belief set on an assumption that stands alone in the model (no links; a prior neither 0 nor
    1) replaces what the last one set — its factor depends on its value and the prior alone — so
    such a set waits until something reads that assumption (an observation or a resolution of
    it, a score's snapshot of every belief, the end of the fold) and only the latest is made; a
    set on a linked assumption depends on the whole tree's evidence as it stands, and is made at
    once. The first set of an assumption is made at once too, so the model's maps hold their
    assumptions in the order they were first set."""

    def __init__(self, opinions: Mapping[str, Mapping[str, combine.Belief]], rule: Combine) -> None:
        self.before = opinions  # the state folded from keeps its own maps
        self.rule = rule
        self.latest: dict[str, dict[str, Event]] = {}  # assumption -> analyst -> their latest belief event
        self.values: dict[str, dict[str, float]] = {}  # assumption -> analyst -> belief in force, views' order
        self.waiting: dict[str, Event] = {}  # assumption -> the belief event whose set waits
        self.alone: set[str] | None = None  # the assumptions that stand alone in the model

    def add(self, evidence: Evidence, aid: str, ev: Event) -> None:
        values = self.values.get(aid)
        if values is None:
            values = self.values[aid] = {by: b.belief for by, b in self.before.get(aid, {}).items()}
            self.latest[aid] = {}
        values[ev.by] = float(ev.data["belief"])
        self.latest[aid][ev.by] = ev
        if self.alone is None:
            net = evidence.net
            self.alone = {
                a for a, r in net.root.items() if r == a and len(net.trees[a]) == 1 and 0.0 < net.prior[a] < 1.0
            }
        if aid in self.alone and aid in evidence.sets and aid not in evidence.loose:
            self.waiting[aid] = ev
        else:
            evidence.assume(aid, self._value(aid, ev), SetBy.ASSUME, ev.id)

    def _value(self, aid: str, ev: Event) -> float:
        values = self.values[aid]
        if len(values) == 1 or self.rule is Combine.LAST:
            return values[ev.by]
        return combine.belief(list(values.values()), self.rule)

    def settle(self, evidence: Evidence, aids: Iterable[str] | None = None) -> None:
        """Make the sets that wait (on ``aids``; None: every one)."""
        waiting = self.waiting
        if not waiting:
            return
        for aid in list(waiting) if aids is None else aids:
            ev = waiting.pop(aid, None)
            if ev is not None:
                evidence.assume(aid, self._value(aid, ev), SetBy.ASSUME, ev.id)

    def state(self) -> dict[str, dict[str, combine.Belief]]:
        """Every analyst's latest belief, by assumption then analyst (as ``State.opinions``)."""
        opinions = dict(self.before)
        for aid, latest in self.latest.items():
            views = dict(self.before.get(aid, {}))
            for by, ev in latest.items():
                views[by] = combine.Belief(float(ev.data["belief"]), by, ev.at, ev.id, ev.why)
            opinions[aid] = views
        return cast("dict[str, dict[str, combine.Belief]]", opinions)


class _Scores:
    """The analysts' scores a fold keeps: each analyst's latest score of a risk (``panel``), the
    latest of them by risk (``scores``). Only those are made (``last``: whether an event is one),
    and the maps hold risks and analysts in the order the events first gave them."""

    def __init__(
        self, ordered: list[Event], undone: set[str], risks: Mapping[str, object], cut: tuple[str, str] | None
    ) -> None:
        final: dict[tuple[str, str], Event] = {}
        for ev in ordered:
            if ev.kind == "score" and not (undone and ev.id in undone) and (cut is None or order_key(ev) > cut):
                rid = ev.data["risk"]
                if rid in risks:
                    final[rid, ev.by] = ev
        self.final = final  # (risk, analyst) -> the latest score, in the order the pairs first came
        self.made: dict[tuple[str, str], AnalystScore] = {}
        self.newest: dict[str, AnalystScore] = {}  # risk -> the latest score made (of any analyst)

    def last(self, rid: str, by: str) -> Event | None:
        return self.final.get((rid, by))

    def given(self, rid: str, score: AnalystScore) -> None:
        """A latest score, made (in the fold's order)."""
        self.made[rid, score.by] = self.newest[rid] = score

    def state(
        self, scores_before: Mapping[str, AnalystScore], panel_before: Mapping[str, Mapping[str, AnalystScore]]
    ) -> tuple[dict[str, AnalystScore], dict[str, dict[str, AnalystScore]]]:
        scores = dict(scores_before)
        panel = cast("dict[str, dict[str, AnalystScore]]", dict(panel_before))
        for rid, by in self.final:
            team = panel.get(rid)
            if team is None or team is panel_before.get(rid):  # the state folded from keeps its own
                team = panel[rid] = dict(team or ())
            scores[rid] = self.newest[rid]  # (a risk's place: where its first score came)
            team[by] = self.made[rid, by]
        return scores, panel


def last_undoable(events: list[Event], by: str | None = None) -> Event | None:
    """The latest event in time still in force that undo can revert (``by``: that analyst's)."""
    undone = undone_ids(events)
    undoable = (ev for ev in events if ev.kind not in _MARKERS and ev.id not in undone and (by is None or ev.by == by))
    return max(undoable, key=order_key, default=None)


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
