"""The journal's fold as it was written first — one event at a time, every belief set through the
model as it comes — kept as the oracle of the differential tests (tests/test_journal_fold.py): the
fold riskcli runs must give the same state, bit for bit."""

from __future__ import annotations

from typing import cast

from riskcli import combine, outcomes
from riskcli import decisions as decided
from riskcli.journal.replay import _MARKERS, REBASELINE, Replay, _evidence, in_order, order_key
from riskcli.model import Combine, Confidence, Event, Outcome, Register, Resolvable, SetBy
from riskcli.perf import gc_paused
from riskcli.scoring import AnalystScore, State, count


def replay(reg: Register, events: list[Event]) -> Replay:
    """``riskcli.journal.replay.replay`` with the reference fold."""
    from riskcli.journal.replay import rebaselined, undone_ids

    with gc_paused():
        rp = Replay(State(dict(reg.baseline_beliefs), {}, reg.baseline_applied), [], undone_ids(events), [], [])
        return _fold(reg, rp, events, rebaselined(reg.identity, events))


def _fold(reg: Register, rp: Replay, events: list[Event], cut: tuple[str, str] | None = None) -> Replay:
    """Fold events into the state. Beliefs are the posterior of one model (``riskcli.belief``): an
    assume is evidence by Jeffrey's rule; an observation counts once — the same indicator and
    ``ref`` once, an absence once per review window — and adds its log likelihood ratios. Events
    are folded in the order of their time (``in_order``), never of their lines: the caller folds
    onto a replay only events that come after it (``folds_on``). ``cut``: the events up to it are
    history, already in the register's baseline (``rebaselined``)."""
    evidence = rp.state.evidence  # made on the first belief or observation: none, none to keep
    beliefs = evidence.beliefs if evidence is not None else dict(rp.state.beliefs)
    scores = dict(rp.state.scores)
    applied = set(rp.state.applied)
    decisions = dict(rp.state.decisions)
    # Several analysts (riskcli.combine); an analysts' map of the state folded from is copied
    # before this fold changes it (``owned``), so that state stays as it was.
    panel = cast("dict[str, dict[str, AnalystScore]]", dict(rp.state.panel))
    opinions = cast("dict[str, dict[str, combine.Belief]]", dict(rp.state.opinions))
    owned: set[str] = set()  # risks and assumptions whose analysts' map this fold made (and may change)
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
                assert evidence.ledger is not None
                evidence.ledger.decide(
                    ind,
                    Outcome(d.get("outcome", "seen")),
                    every=ind.review_every or every,
                    line=ev.line,
                    ident=ev.id,
                    at=ev.at,
                    on=d.get("on"),
                    source=d.get("source"),
                    ref=d.get("ref"),
                )
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
            value = _believe(
                opinions, owned, aid, combine.Belief(float(d["belief"]), ev.by, ev.at, ev.id, ev.why), rule
            )
            evidence.assume(aid, value, SetBy.ASSUME, ev.id)
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
            scores[rid] = given = AnalystScore(
                lk, im, held, ev.by, ev.at, ev.why, held_applied, Confidence(conf) if conf is not None else None
            )
            team = panel.get(rid)
            if team is None or rid not in owned:  # the state folded from keeps its own
                team = panel[rid] = dict(team or ())
                owned.add(rid)
            team[ev.by] = given
        elif kind == "observe":
            ind = indicators.get(d["indicator"])
            if ind is None:
                unknown.setdefault("indicators", set()).add(d["indicator"])
                continue
            if evidence is None:
                evidence = _evidence(reg)
                beliefs = evidence.beliefs
            assert evidence.ledger is not None  # _evidence makes one; a checkpoint restores it
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
        elif kind == outcomes.KIND:
            r = outcomes.resolved_of(ev)
            if r.item not in (risks if r.kind is Resolvable.RISK else assumptions):
                unknown.setdefault(f"{r.kind.value}s", set()).add(r.item)
                continue
            outcomes.add(resolutions, r)  # in the fold's order: the one given last is in force
            if r.kind is Resolvable.ASSUMPTION:
                if evidence is None:
                    evidence = _evidence(reg)
                    beliefs = evidence.beliefs
                evidence.assume(r.item, 1.0 if r.outcome.came_true else 0.0, SetBy.RESOLVED, ev.id)
                held = None
        active(ev)
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
    rp.state = State(
        dict(beliefs),
        scores,
        frozenset(applied),
        evidence,
        decisions,
        panel=panel,
        opinions=opinions,
        resolutions=resolutions,
    )
    return rp


def _believe(
    opinions: dict[str, dict[str, combine.Belief]], owned: set[str], aid: str, b: combine.Belief, rule: Combine
) -> float:
    """An analyst's belief joins the others' in force on the assumption: the belief the model is set
    to is their combination (one analyst's alone: theirs; ``last``: this one, the latest folded)."""
    views = opinions.get(aid)
    if views is None or "?" + aid not in owned:  # the state folded from keeps its own
        views = opinions[aid] = dict(views or ())
        owned.add("?" + aid)
    views[b.by] = b
    if len(views) == 1 or rule is Combine.LAST:
        return b.belief
    return combine.belief([v.belief for v in views.values()], rule)


def extend(reg: Register, rp: Replay, new: list[Event]) -> Replay:
    """``riskcli.journal.replay.extend`` with the reference fold."""
    from riskcli.journal.replay import folds_on

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
