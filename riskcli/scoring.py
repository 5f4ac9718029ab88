"""Current scores, explanations and matrix placement: pure functions of a register and a state.

The formula (DESIGN §4)::

    current = clamp(anchor + Σ_drivers [shift(b_now) − shift(b_anchor)] + Σ_applied responses, 1, N)

where the anchor is the register's baseline (at the baseline beliefs) or, once an analyst has
scored the risk, the analyst's levels at the beliefs in force when they scored it. The beliefs are
the posterior marginals of one model of the assumptions (``belief``): the point score is the
expected score under that posterior. Values stay unrounded: the matrix cell is the rounded value
(a tie — exactly half a step — goes toward the anchor's level), ranking uses the unrounded L×I.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from riskcli.combine import Belief, rule_of
from riskcli.combine import confidence as combine_confidence
from riskcli.combine import level as combine_level
from riskcli.model import (
    Axis,
    Band,
    BeliefUpdate,
    Combine,
    Confidence,
    Decision,
    Driver,
    End,
    Indicator,
    NotCounted,
    Outcome,
    Register,
    Resolvable,
    Resolved,
    Risk,
    SetBy,
    Shift,
    UserError,
)
from riskcli.perf import maker
from riskcli.records import frozen
from riskcli.rules import band_for, cell_of, is_tie, parse_belief

if TYPE_CHECKING:
    from riskcli.belief import Evidence  # the model itself is imported where evidence is made

__all__ = ["NotCounted", "Outcome", "SetBy"]


@frozen(slots=True)
class AnalystScore:
    """An analyst's own levels for a risk, anchored to the beliefs when they were given."""

    likelihood: float
    impact: float
    beliefs: Mapping[str, float]
    by: str = ""
    at: str = ""
    why: str = ""
    applied: frozenset[str] = frozenset()  # responses in force when it was given
    confidence: Confidence | None = None  # the analyst's confidence in this judgement (ICD 203)


@frozen
class State:
    """What the assessment currently says beyond the register: beliefs, scores, responses.

    ``beliefs`` are the posterior marginals every view reads; ``evidence`` is what they come
    from (None: no evidence beyond the register, or beliefs given as they are — read then as
    beliefs set together, ``evidence_of``). A state never changes: hypotheses copy the evidence."""

    beliefs: Mapping[str, float]
    scores: Mapping[str, AnalystScore] = field(default_factory=dict)
    applied: frozenset[str] = frozenset()
    evidence: Evidence | None = field(default=None, compare=False)
    decisions: Mapping[str, tuple[Decision, ...]] = field(default_factory=dict)  # by risk, oldest first by (at, id)
    # Several analysts (``riskcli.combine``): each one's latest score of a risk, by risk then analyst
    # (``scores`` holds the latest of them), and each one's latest belief, by assumption then analyst.
    panel: Mapping[str, Mapping[str, AnalystScore]] = field(default_factory=dict)
    opinions: Mapping[str, Mapping[str, Belief]] = field(default_factory=dict)
    # Risks and assumptions resolved (what happened, and when): a resolved risk leaves the live
    # views; a resolved assumption is hard evidence in ``evidence``.
    resolutions: Mapping[tuple[Resolvable, str], Resolved] = field(default_factory=dict)


def evidence_of(reg: Register, state: State) -> Evidence:
    """A copy of the state's evidence to add to; for a state given by its beliefs alone, the
    beliefs that differ from the register's, set together."""
    if state.evidence is not None:
        return state.evidence.copy()
    from riskcli.belief import Evidence, network

    ev = Evidence(network(reg))
    base = reg.baseline_beliefs
    targets = {a: float(b) for a, b in state.beliefs.items() if a in base and abs(b - base[a]) > 1e-12}
    if targets:
        ev.set(targets, SetBy.GIVEN, "")
    return ev


def with_evidence(state: State, ev: Evidence) -> State:
    """The state with this evidence (and the beliefs it gives)."""
    return replace(state, beliefs=dict(ev.beliefs), evidence=ev)


def is_opportunity(risk: Risk) -> bool:
    """An upside rated on the same scales (``extra: {kind: opportunity}``): counted apart from threats."""
    if not risk.extra:  # most risks: no generator made
        return False
    return any(k.lower() == "kind" and str(v).strip().lower() == "opportunity" for k, v in risk.extra)


def confidence_of(reg: Register, risk: Risk, state: State) -> Confidence | None:
    """The analytic confidence of a risk's current judgement: the analysts' in their latest scores
    (``state.panel``; one analyst's is theirs, several are combined by the register's rule,
    ``combine.confidence``), else the register's."""
    team = state.panel.get(risk.id)
    if team:
        given = sorted(team.values(), key=lambda a: (a.at, a.by))
        combined = combine_confidence([a.confidence for a in given], rule_of(reg.combine))
        if combined is not None:
            return combined
    return risk.confidence


def baseline_state(reg: Register) -> State:
    return State(beliefs=dict(reg.baseline_beliefs), applied=reg.baseline_applied)


@frozen(slots=True)
class Clamp:
    """A score pushed past an end of its scale and held there."""

    axis: Axis
    end: End
    raw: float  # the value before clamping
    limit: int  # the end it was held at


@frozen(slots=True)
class Scored:
    """A risk's current score: unrounded levels, its cell, band and the band's rank, any clamps."""

    risk: Risk
    likelihood: float  # unrounded, clamped to the scale
    impact: float
    cell: tuple[int, int]  # (likelihood, impact) levels, rounded
    band: Band
    clamped: tuple[Clamp, ...] = ()
    band_rank: int = 0  # position of the band in the rating, lowest 0

    @property
    def score(self) -> float:
        return self.likelihood * self.impact


_make_scored = maker(Scored)  # Scored(*fields), made once per risk by every view


class ContributionKind(StrEnum):
    DRIVER = "driver"
    RESPONSE = "response"
    SIDE_EFFECT = "side_effect"


@frozen(slots=True)
class Contribution:
    """One line of an explanation: what moved the score, and by how much."""

    kind: ContributionKind
    ref: str  # assumption or response id
    shift: Shift
    belief_from: float | None = None
    belief_to: float | None = None
    driver: Driver | None = None
    note: str = ""
    withdrawn: bool = False  # a response applied when the analyst scored, withdrawn since


@frozen(slots=True)
class Explanation:
    """How a risk's current score is made: where it starts and what moved it, line by line."""

    scored: Scored
    base: Shift  # baseline levels as a point (likelihood, impact)
    anchor: AnalystScore | None
    contributions: tuple[Contribution, ...]
    raw: Shift  # before clamping

    @property
    def start(self) -> Shift:
        if self.anchor is not None:
            return Shift(self.anchor.likelihood, self.anchor.impact)
        return self.base


def _clamp(x: float, n: int) -> float:
    return min(max(x, 1.0), float(n))


def contributions(reg: Register, risk: Risk, state: State) -> tuple[AnalystScore | None, list[Contribution]]:
    anchor = state.scores.get(risk.id)
    ref_beliefs = anchor.beliefs if anchor is not None else reg.baseline_beliefs
    out: list[Contribution] = []
    for d in risk.drivers:
        b0 = ref_beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        b1 = state.beliefs.get(d.assumption, b0)
        shift = d.expected(b1) - d.expected(b0)
        out.append(Contribution(ContributionKind.DRIVER, d.assumption, shift, b0, b1, d, d.note))
    # Responses count from the anchor too: an analyst's score already reflects the responses
    # in force when it was given; only those applied (or withdrawn) since then move it.
    then = anchor.applied if anchor is not None else frozenset()
    if state.applied or then:
        for resp in reg.responses:
            now_on, then_on = resp.id in state.applied, resp.id in then
            if now_on == then_on:
                continue
            sign = 1.0 if now_on else -1.0
            for kind, group in (
                (ContributionKind.RESPONSE, resp.effects),
                (ContributionKind.SIDE_EFFECT, resp.side_effects),
            ):
                for e in group:
                    if e.risk == risk.id:
                        out.append(Contribution(kind, resp.id, e.shift.scaled(sign), note=e.note, withdrawn=not now_on))
    return anchor, out


def score_risk(reg: Register, risk: Risk, state: State) -> Scored:
    return explain(reg, risk, state).scored


def explain(reg: Register, risk: Risk, state: State) -> Explanation:
    team = state.panel.get(risk.id)
    if team is not None and len(team) > 1 and rule_of(reg.combine) is not Combine.LAST:
        state = replace(state, scores={**state.scores, risk.id: combined_score(reg, risk, state, team)})
    anchor, parts = contributions(reg, risk, state)
    base = Shift(float(risk.likelihood), float(risk.impact))
    raw = Shift(anchor.likelihood, anchor.impact) if anchor is not None else base
    for c in parts:
        raw = raw + c.shift
    return Explanation(_scored(reg, risk, raw, toward(reg, risk, anchor)), base, anchor, tuple(parts), raw)


def analyst_now(reg: Register, risk: Risk, state: State, given: AnalystScore) -> Shift:
    """One analyst's score of a risk as it stands now: their levels moved by what changed since they
    gave them (beliefs, responses), each axis held to its scale."""
    _, parts = contributions(reg, risk, replace(state, scores={risk.id: given}))
    raw = Shift(given.likelihood, given.impact)
    for c in parts:
        raw = raw + c.shift
    return Shift(_clamp(raw.likelihood, reg.rules.likelihood.size), _clamp(raw.impact, reg.rules.impact.size))


def combined_score(reg: Register, risk: Risk, state: State, team: Mapping[str, AnalystScore]) -> AnalystScore:
    """Several analysts' scores of a risk as one: each analyst's score as it stands now, combined per
    axis by the register's rule; anchored at the beliefs and responses in force now (so nothing moves
    it further), its time the latest analyst's, its confidence theirs combined (``confidence_of``)."""
    given = sorted(team.values(), key=lambda a: (a.at, a.by))
    now = [analyst_now(reg, risk, state, a) for a in given]
    rule = rule_of(reg.combine)
    last = given[-1]
    return AnalystScore(
        combine_level([x.likelihood for x in now], rule),
        combine_level([x.impact for x in now], rule),
        state.beliefs,
        "",
        last.at,
        "",
        state.applied,
        confidence_of(reg, risk, state),
    )


def toward(reg: Register, risk: Risk, anchor: AnalystScore | None) -> tuple[int, int]:
    """The levels a tie is resolved toward, per axis: the anchor's — the analyst's score, else the
    register's level (an analyst's score that is itself a tie goes toward the register's)."""
    if anchor is None:
        return risk.likelihood, risk.impact
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    return (
        cell_of(_clamp(anchor.likelihood, nl), nl, risk.likelihood),
        cell_of(_clamp(anchor.impact, ni), ni, risk.impact),
    )


def _scored(reg: Register, risk: Risk, raw: Shift, to: tuple[int, int]) -> Scored:
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    lk, im = _clamp(raw.likelihood, nl), _clamp(raw.impact, ni)
    cell = (cell_of(lk, nl, to[0]), cell_of(im, ni, to[1]))
    clamped: list[Clamp] = []
    eps = 1e-9
    for axis, x, n in ((Axis.LIKELIHOOD, raw.likelihood, nl), (Axis.IMPACT, raw.impact, ni)):
        if x < 1 - eps:
            clamped.append(Clamp(axis, End.FLOOR, x, 1))
        elif x > n + eps:
            clamped.append(Clamp(axis, End.CEILING, x, n))
    band = band_for(reg.rules, *cell)
    return _make_scored(risk, lk, im, cell, band, tuple(clamped), reg.rules.rating.rank(band.id))


def score_all(reg: Register, state: State | None = None) -> list[Scored]:
    """Every risk's current score, in register order.

    The common case — the baseline, with no analyst scores and no responses — skips the
    per-driver arithmetic, since every driver contributes exactly zero there.
    """
    if state is None:
        if reg.baseline_applied:  # responses done in the baseline move their risks
            return score_all(reg, baseline_state(reg))
        state_is_baseline = True
    else:
        state_is_baseline = (
            not state.scores and not state.applied and _same_beliefs(state.beliefs, reg.baseline_beliefs)
        )
    if state_is_baseline:
        cells: dict[tuple[int, int], tuple[Band, int]] = {}  # a cell's band and its rank, looked up once
        return [_baseline_scored(reg, r, cells) for r in reg.risks]
    assert state is not None
    return [score_risk(reg, r, state) for r in reg.risks]


def _baseline_scored(reg: Register, r: Risk, cells: dict[tuple[int, int], tuple[Band, int]]) -> Scored:
    cell = (r.likelihood, r.impact)
    known = cells.get(cell)
    if known is None:
        band = band_for(reg.rules, *cell)
        known = cells[cell] = (band, reg.rules.rating.rank(band.id))
    return _make_scored(r, float(r.likelihood), float(r.impact), cell, known[0], (), known[1])


def _same_beliefs(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return all(abs(a.get(k, v) - v) < 1e-12 for k, v in b.items()) and all(k in b for k in a)


def rank_key(s: Scored) -> tuple[float, float, float]:
    return (-s.band_rank, -s.score, -s.likelihood)  # with score and likelihood tied, impact is tied


def ranked(scored: Iterable[Scored]) -> list[Scored]:
    """Highest rated first; within a rating, highest unrounded L×I (so ties inside a cell are
    broken), then likelihood; register order last."""
    return sorted(scored, key=rank_key)


@frozen(slots=True)
class Matrix:
    """The scored risks by cell, ranked within each cell."""

    n_likelihood: int
    n_impact: int
    cells: dict[tuple[int, int], list[Scored]]  # ranked within each cell

    def count(self, likelihood: int, impact: int) -> int:
        return len(self.cells.get((likelihood, impact), ()))


def matrix(reg: Register, scored: Iterable[Scored]) -> Matrix:
    cells: dict[tuple[int, int], list[Scored]] = {}
    for s in ranked(scored):
        cells.setdefault(s.cell, []).append(s)
    return Matrix(reg.rules.likelihood.size, reg.rules.impact.size, cells)


def band_counts(reg: Register, scored: Iterable[Scored]) -> dict[str, int]:
    counts = {b.id: 0 for b in reg.rules.rating.bands}
    for s in scored:
        counts[s.band.id] += 1
    return counts


class FindingCode(StrEnum):
    """Stable codes of coherence findings (DESIGN §4)."""

    SAME_SIGN = "same-sign"  # a driver moves an axis the same way whether its assumption holds or fails
    CLAMP = "clamp"  # a risk's own drivers can push it past an end of its scale (the excess is lost)
    CLAMPED = "clamped"  # a current score is pinned at an end of its scale
    RESTATES = "restates"  # a risk that rests on one assumption and says what it says
    HUB = "hub"  # an assumption that drives more than a third of the risks
    EXCLUDES = "excludes"  # items declared to exclude each other held or applied together
    CONFIDENCE = "confidence"  # a high-confidence judgement resting on an unsupported assumption
    GIVEN = "given"  # a conditional belief that does not add up to the belief stated
    JOINT = "joint"  # linked beliefs make a joint state likelier than one of its parts
    TIE = "tie"  # a current score exactly half-way between two levels (resolved toward its anchor)
    CONTRADICTS = "contradicts"  # hard evidence contradicts a certain link or belief (read loosened)


@frozen(slots=True)
class Finding:
    """A place where the model is strained: a code, the item it is about, and its numbers."""

    code: FindingCode
    subject: str  # the risk, assumption or scenario it is about
    related: tuple[str, ...] = ()  # e.g. the assumption of a driver
    axis: Axis | None = None
    values: tuple[float, ...] = ()  # the numbers behind it (see render.words.finding_text)

    @property
    def id(self) -> str:
        """A stable id a register can cite to acknowledge the finding: ``W-clamp-R11-likelihood``."""
        return "-".join(("W", self.code.value, self.subject, *self.related, *((self.axis.value,) if self.axis else ())))


_WORD = re.compile(r"[a-z]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "into",
        "onto",
        "as",
        "is",
        "are",
        "be",
        "been",
        "being",
        "its",
        "it",
        "their",
        "his",
        "her",
        "than",
        "that",
        "this",
        "these",
        "those",
        "there",
        "rather",
        "not",
        "no",
    ]
)


def _words(text: str) -> set[str]:
    """Content words, lightly stemmed: 'Korea's forces' → {korea, force}."""
    out = set()
    for w in _WORD.findall(text.lower().replace("’s", "").replace("'s", "")):
        if w in _STOP or len(w) < 3:
            continue
        out.add(w[:-1] if len(w) > 4 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def reach(reg: Register, risk: Risk, axis: Axis) -> tuple[float, float]:
    """How low and how high a risk's own drivers can push one axis from its baseline, over every
    belief from 0 to 1 (before clamping)."""
    base = float(risk.likelihood if axis is Axis.LIKELIHOOD else risk.impact)
    lo = hi = base
    name, beliefs = str(axis), reg.baseline_beliefs  # an enum's value is a property: looked up once
    for d in risk.drivers:
        h, f = getattr(d.if_holds, name), getattr(d.if_fails, name)
        b0 = beliefs.get(d.assumption, 0.5)
        at = b0 * h + (1 - b0) * f
        lo += min(h, f) - at
        hi += max(h, f) - at
    return lo, hi


def support_of(reg: Register, assumption_id: str, belief: float | None = None) -> tuple[str, bool]:
    """An assumption's support (the Key Assumptions Check's judgement) and whether it is derived
    from the belief because the register states none."""
    from riskcli.rules import belief_label

    a = reg.assumption_by_id.get(assumption_id)
    if a is not None and a.support:
        return a.support, False
    b = belief if belief is not None else (a.belief if a is not None else 0.5)
    return belief_label(reg.rules.words, b), True


def coherence(reg: Register, scored: Iterable[Scored] | None = None, state: State | None = None) -> list[Finding]:
    """Where the model is strained (DESIGN §4). Structural findings come from the register alone;
    with ``state`` (the current or a hypothetical one) and ``scored``, those of that state too."""
    return [*structural_findings(reg), *state_findings(reg, scored, state)]


def structural_findings(reg: Register) -> tuple[Finding, ...]:
    """The findings of the register alone (same-sign, clamp, restates, hub, given, joint): made
    once per register and kept with it (``Register.derived``, which the register cache keeps)."""
    found = reg.derived.get("structural_findings")
    if found is None:
        found = reg.derived["structural_findings"] = tuple(_structural(reg))
    return cast(tuple[Finding, ...], found)


def _structural(reg: Register) -> list[Finding]:
    out: list[Finding] = []
    n = {Axis.LIKELIHOOD: reg.rules.likelihood.size, Axis.IMPACT: reg.rules.impact.size}
    statements = {a.id: _words(a.statement) for a in reg.assumptions}
    axes = [(axis, str(axis)) for axis in Axis]  # an enum's value is a property: looked up once
    for r in reg.risks:
        for d in r.drivers:
            for axis, name in axes:
                h, f = getattr(d.if_holds, name), getattr(d.if_fails, name)
                if h * f > 0:
                    out.append(Finding(FindingCode.SAME_SIGN, r.id, (d.assumption,), axis, (h, f)))
        for axis, _ in axes:
            lo, hi = reach(reg, r, axis)
            if lo < 1 - 1e-9 or hi > n[axis] + 1e-9:
                out.append(Finding(FindingCode.CLAMP, r.id, (), axis, (lo, hi, float(n[axis]))))
        if len(r.drivers) == 1:
            (only,) = r.drivers
            aid = only.assumption
            title = _words(r.title)
            shared = title & statements.get(aid, set())
            if len(shared) >= 3 and len(shared) >= len(title) / 2:
                out.append(Finding(FindingCode.RESTATES, r.id, (aid,), None, (float(len(shared)), float(len(title)))))
    total = len(reg.risks)
    for aid, dependents in reg.dependents.items():
        if total and len(dependents) >= 3 and len(dependents) * 3 > total:
            out.append(Finding(FindingCode.HUB, aid, (), None, (float(len(dependents)), float(total))))
    for a in reg.assumptions:
        if a.given is not None and a.given.parent in reg.assumption_by_id:
            p = reg.assumption_by_id[a.given.parent].belief  # as stated: the register's own arithmetic
            implied = p * a.given.holds + (1 - p) * a.given.fails
            if abs(implied - a.belief) > 0.05 + 1e-9:
                out.append(Finding(FindingCode.GIVEN, a.id, (a.given.parent,), None, (implied, a.belief)))
    for conflict in conditional_conflicts(reg):
        if conflict.joint - conflict.bound > 0.005:  # beyond rounding: beliefs are written to two places
            values = (float(conflict.parent_holds), float(conflict.holds), conflict.joint, conflict.bound)
            out.append(Finding(FindingCode.JOINT, conflict.assumption, (conflict.parent,), None, values))
    return out


def state_findings(reg: Register, scored: Iterable[Scored] | None = None, state: State | None = None) -> list[Finding]:
    """The findings of a state (the baseline's without ``state``): excludes and confidence; with
    ``scored``, the clamped scores too."""
    out: list[Finding] = []
    now = state if state is not None else baseline_state(reg)
    seen: set[tuple[str, str]] = set()
    for a in reg.assumptions:
        for other in a.excludes:
            pair = (min(a.id, other), max(a.id, other))
            if pair in seen or other not in reg.assumption_by_id:
                continue
            seen.add(pair)
            x, y = now.beliefs[pair[0]], now.beliefs[pair[1]]  # a state has a belief in every assumption
            if x + y > 1 + 1e-9:  # P(A and B) >= P(A) + P(B) - 1 > 0
                out.append(Finding(FindingCode.EXCLUDES, pair[0], (pair[1],), None, (x, y)))
            for sc in reg.scenarios:
                sb = {**now.beliefs, **dict(sc.beliefs)}
                sx, sy = sb[pair[0]], sb[pair[1]]
                if (sx + sy > 1 + 1e-9) and (pair[0] in dict(sc.beliefs) or pair[1] in dict(sc.beliefs)):
                    out.append(Finding(FindingCode.EXCLUDES, sc.id, pair, None, (sx, sy)))
    for m in reg.responses:
        for other in m.excludes:
            pair = (min(m.id, other), max(m.id, other))
            if pair in seen:
                continue
            seen.add(pair)
            if pair[0] in now.applied and pair[1] in now.applied:
                out.append(Finding(FindingCode.EXCLUDES, pair[0], (pair[1],), None, (1.0, 1.0)))
    for r in reg.risks:
        if confidence_of(reg, r, now) is not Confidence.HIGH:
            continue
        for d in r.drivers:
            support, _ = support_of(reg, d.assumption, now.beliefs.get(d.assumption))
            if support == "unsupported":
                out.append(Finding(FindingCode.CONFIDENCE, r.id, (d.assumption,), None, (now.beliefs[d.assumption],)))
    for s in scored or ():
        for c in s.clamped:
            out.append(Finding(FindingCode.CLAMPED, s.risk.id, (), c.axis, (c.raw, float(c.limit))))
        # a whole level (most scores) is no tie: only the others are looked at
        if s.likelihood != s.cell[0] and is_tie(s.likelihood):
            out.append(Finding(FindingCode.TIE, s.risk.id, (), Axis.LIKELIHOOD, (s.likelihood, float(s.cell[0]))))
        if s.impact != s.cell[1] and is_tie(s.impact):
            out.append(Finding(FindingCode.TIE, s.risk.id, (), Axis.IMPACT, (s.impact, float(s.cell[1]))))
    if now.evidence is not None:
        net = now.evidence.net
        for root in sorted(now.evidence.loose, key=net.ids.index):
            if len(net.trees[root]) > 1:  # an unlinked belief of 0 or 1 revised is no contradiction
                out.append(Finding(FindingCode.CONTRADICTS, root, ()))
    return out


@frozen(slots=True)
class ConditionalConflict:
    """Linked beliefs that cannot all hold: the probability of a joint state, as the parent's belief
    and the conditional belief give it, exceeds the probability of one of its parts (e.g.
    P(A7 ∧ A8) = 0.6 × 0.9 = 0.54 > P(A8) = 0.5), or is above zero though the two exclude each other."""

    assumption: str
    parent: str
    parent_holds: bool  # the joint state: the parent holds (or fails) …
    holds: bool  # … and the assumption holds (or fails)
    joint: float  # its probability: P(parent state) × P(this state | parent state)
    bound: float  # what it may not exceed: P(this state) as believed (0 when they exclude each other)


def conditional_conflicts(reg: Register, beliefs: Mapping[str, float] | None = None) -> list[ConditionalConflict]:
    """Every linked assumption (``given``) whose conditional beliefs cannot hold together with its
    own belief and its parent's (the register's beliefs, unless ``beliefs`` are given): the worst
    joint state for each, in register order."""
    now = beliefs if beliefs is not None else {a.id: a.belief for a in reg.assumptions}  # as stated
    out = []
    for a in reg.assumptions:
        g = a.given
        if g is None or g.parent not in reg.assumption_by_id:
            continue
        pa = now.get(g.parent, reg.assumption_by_id[g.parent].belief)
        b = now.get(a.id, a.belief)
        parent = reg.assumption_by_id[g.parent]
        exclusive = g.parent in a.excludes or a.id in parent.excludes
        worst: ConditionalConflict | None = None
        for ph in (True, False):
            for h in (True, False):
                cond = g.holds if ph else g.fails
                joint = (pa if ph else 1 - pa) * (cond if h else 1 - cond)
                bound = 0.0 if (exclusive and ph and h) else (b if h else 1 - b)
                if joint > bound + 1e-9 and (worst is None or joint - bound > worst.joint - worst.bound):
                    worst = ConditionalConflict(a.id, g.parent, ph, h, joint, bound)
        if worst is not None:
            out.append(worst)
    return out


class CauseKind(StrEnum):
    ASSUMPTION = "assumption"  # a belief changed
    RESPONSE = "response"  # a response applied or withdrawn
    ANALYST_SCORE = "analyst_score"  # an analyst's own score changed


@frozen(slots=True)
class Cause:
    """What moved a risk: an analyst score, an assumption or a response."""

    kind: CauseKind
    id: str | None = None  # the assumption or response; None for an analyst score


@frozen(slots=True)
class Move:
    """A risk's score before and after, and what moved it."""

    risk: Risk
    before: Scored
    after: Scored
    causes: tuple[Cause, ...] = ()

    @property
    def delta(self) -> float:
        return self.after.score - self.before.score


def moves(
    reg: Register,
    before: Iterable[Scored],
    after: Iterable[Scored],
    before_state: State | None = None,
    after_state: State | None = None,
) -> list[Move]:
    """Risks whose unrounded score changed between two views, biggest change first."""
    b = {s.risk.id: s for s in before}
    out = []
    for s in after:
        p = b.get(s.risk.id)
        if p is None:
            continue
        if abs(p.likelihood - s.likelihood) > 1e-9 or abs(p.impact - s.impact) > 1e-9:
            out.append(Move(s.risk, p, s, causes(reg, s.risk, before_state, after_state)))
    out.sort(key=lambda m: (-abs(m.delta), -abs(m.after.likelihood - m.before.likelihood), m.risk.id))
    return out


def causes(reg: Register, risk: Risk, a: State | None, b: State | None) -> tuple[Cause, ...]:
    """What differs between two states for one risk: its drivers' beliefs, its analyst score,
    the responses acting on it."""
    if a is None or b is None:
        return ()
    out: list[Cause] = []
    seen: set[str] = set()
    for d in risk.drivers:
        x = a.beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        y = b.beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        if abs(x - y) > 1e-9 and d.assumption not in seen:
            seen.add(d.assumption)
            out.append(Cause(CauseKind.ASSUMPTION, d.assumption))
    if a.scores.get(risk.id) != b.scores.get(risk.id):
        out.append(Cause(CauseKind.ANALYST_SCORE))
    for resp in reg.responses:
        if (resp.id in a.applied) != (resp.id in b.applied) and any(
            e.risk == risk.id for e in (*resp.effects, *resp.side_effects)
        ):
            out.append(Cause(CauseKind.RESPONSE, resp.id))
    return tuple(out)


# --------------------------------------------------------------------------- hypotheses


def with_beliefs(
    reg: Register, state: State, beliefs: Mapping[str, float], by: SetBy = SetBy.WHAT_IF, ref: str = ""
) -> State:
    """The state with beliefs set together (evidence by Jeffrey's rule: each ends at its value and
    informs the assumptions linked to it)."""
    if not beliefs:
        return state
    ev = evidence_of(reg, state)
    ev.set(beliefs, by, ref)
    return with_evidence(state, ev)


def sighted(belief: float, ratio: float) -> float:
    """Bayes' rule in odds form: an assumption's belief after evidence on it with this likelihood
    ratio (whatever its links: its own posterior odds scale by its own factor). A belief fixed at 0
    or 1 stays; any other stays within [EDGE, 1 − EDGE] (``belief.EDGE``)."""
    if belief <= 0.0 or belief >= 1.0:
        return belief
    from riskcli.belief import EDGE

    odds = belief / (1.0 - belief) * ratio
    return min(1.0 - EDGE, max(EDGE, odds / (1.0 + odds)))


def observation(indicator: Indicator, beliefs: Mapping[str, float], outcome: Outcome) -> dict[str, float]:
    """Where one observation takes the beliefs of the assumptions it bears on, from these: a
    format-1 indicator sets its presets when seen; a signpost multiplies each one's odds by its
    ratio for the outcome. (The joint model also moves the assumptions linked to them.)"""
    if outcome is Outcome.NONE:
        return {}
    if not indicator.is_evidence:
        return {u.assumption: u.belief for u in indicator.updates} if outcome is Outcome.SEEN else {}
    out = {}
    for b in indicator.bears_on:
        ratio = b.seen if outcome is Outcome.SEEN else b.absent
        out[b.assumption] = sighted(beliefs.get(b.assumption, 0.5), ratio)
    return out


def count(ev: Evidence, indicator: Indicator, outcome: Outcome) -> None:
    """Add one counted observation to the evidence: a signpost's likelihood ratios on the
    assumptions it bears on, or a format-1 indicator's presets (beliefs set together) when seen; a
    review with nothing to record (``Outcome.NONE``) is none."""
    if outcome is Outcome.NONE:
        return
    if indicator.is_evidence:
        for b in indicator.bears_on:
            ev.observe(b.assumption, indicator.id, outcome, b.seen if outcome is Outcome.SEEN else b.absent)
    elif outcome is Outcome.SEEN:
        ev.set({u.assumption: u.belief for u in indicator.updates}, SetBy.PRESET, indicator.id)


def inherent(state: State) -> State:
    """The state with no responses applied."""
    return replace(state, applied=frozenset(), evidence=None)


class HasId(Protocol):
    @property
    def id(self) -> str: ...


Item = TypeVar("Item", bound=HasId)


def find(items: Iterable[Item], ident: str) -> Item | None:
    """The item whose id matches exactly, else ignoring case and surrounding spaces; None if none does."""
    items = list(items)
    for x in items:
        if x.id == ident:
            return x
    key = ident.strip().lower()
    for x in items:
        if x.id.lower() == key:
            return x
    return None


def scenario_state(reg: Register, state: State, name: str) -> State:
    sc = find(reg.scenarios, name)
    if sc is None:
        known = ", ".join(s.id for s in reg.scenarios) or "no scenarios"
        raise UserError(f"unknown scenario {name!r}; the register has: {known}")
    return with_beliefs(reg, state, dict(sc.beliefs), SetBy.SCENARIO, sc.id)


class MoveKind(StrEnum):
    BELIEF = "belief"  # A2=fails
    INDICATOR = "indicator"  # I3 (observed)
    RESPONSE = "response"  # M1, M1=withdrawn


@frozen(slots=True)
class WhatIf:
    """One hypothetical move as riskcli understood it."""

    kind: MoveKind
    id: str
    said: str  # as the user wrote it
    belief: float | None = None  # a belief move
    applied: bool | None = None  # a response move
    sets: tuple[BeliefUpdate, ...] = ()  # an indicator move: the beliefs it sets
    outcome: Outcome | None = None  # an indicator move: seen or absent


@frozen(slots=True)
class Override:
    """A later what-if move that overrides an earlier one on the same item."""

    id: str
    first: str
    then: str


def what_if(reg: Register, state: State, given: Iterable[str]) -> tuple[State, list[WhatIf], list[Override]]:
    """Apply hypothetical moves, in order: ``A2=fails`` (a belief), ``I3`` (an indicator
    observed), ``M1`` or ``M1=applied`` / ``M1=withdrawn`` (a response). Several moves may be
    given comma-separated. Beliefs given one after another are set together (each ends at its
    value); an observation is evidence from where the beliefs then stand. Returns the state, each
    move as understood, and the overrides where a later move sets what an earlier one set."""
    understood: list[WhatIf] = []
    overrides: list[Override] = []
    set_by: dict[str, tuple[str, object]] = {}  # id -> (the move that set it, the value it set)
    ev: Evidence | None = None
    pending: dict[str, float] = {}
    pending_moves: list[str] = []
    applied = set(state.applied)

    def record(ident: str, value: object, move: str, *, compounds: bool = False) -> None:
        """``compounds``: evidence updates the belief from where it stands, overriding nothing."""
        prior = set_by.get(ident)
        if prior is not None and prior[1] != value and not compounds:
            overrides.append(Override(ident, prior[0], move))
        set_by[ident] = (move, value)

    def evidence() -> Evidence:
        nonlocal ev
        if ev is None:
            ev = evidence_of(reg, state)
        return ev

    def flush() -> None:
        if pending:
            evidence().set(pending, SetBy.WHAT_IF, ",".join(pending_moves))
            pending.clear()
            pending_moves.clear()

    moves_given = [m.strip() for chunk in given for m in chunk.split(",")]
    if not any(moves_given):
        raise UserError("--what-if needs a move: an assumption (A2=fails), an indicator (I3) or a response (M1)")
    for move in moves_given:
        if not move:
            continue
        ident, eq, value = move.partition("=")
        ident, value = ident.strip(), value.strip()
        a = find(reg.assumptions, ident)
        if a is not None:
            if not eq or not value:
                raise UserError(f"--what-if {move!r}: give a belief, e.g. {a.id}=fails or {a.id}=30%")
            b = float(parse_belief(reg.rules.words, value).value)
            record(a.id, round(b, 9), move)
            pending[a.id] = b
            pending_moves.append(move)
            understood.append(WhatIf(MoveKind.BELIEF, a.id, move, belief=b))
            continue
        ind = find(reg.indicators, ident)
        if ind is not None:
            word = value.lower() if eq else "seen"
            outcome = Outcome.SEEN if word in ("seen", "observed", "yes", "true") else None
            if word == "absent" and ind.is_evidence:
                outcome = Outcome.ABSENT
            if outcome is None:
                if ind.is_evidence:
                    raise UserError(f"--what-if {move!r}: a signpost is seen ({ind.id}) or absent ({ind.id}=absent)")
                raise UserError(f"--what-if {move!r}: an indicator is either observed ({ind.id}) or not mentioned")
            flush()
            e = evidence()
            count(e, ind, outcome)
            named = [x.assumption for x in ind.bears_on] if ind.is_evidence else [u.assumption for u in ind.updates]
            sets = {aid: e.beliefs[aid] for aid in dict.fromkeys(named) if aid in e.beliefs}
            for aid, b in sets.items():
                record(aid, round(b, 9), move, compounds=ind.is_evidence)
            understood.append(
                WhatIf(
                    MoveKind.INDICATOR,
                    ind.id,
                    move,
                    sets=tuple(BeliefUpdate(a, b) for a, b in sets.items()),
                    outcome=outcome,
                )
            )
            continue
        resp = find(reg.responses, ident)
        if resp is not None:
            v = value.lower() if eq else "applied"
            if v in ("applied", "apply", "on", "yes", "true"):
                on = True
            elif v in ("withdrawn", "withdraw", "off", "no", "false"):
                on = False
            else:
                raise UserError(f"--what-if {move!r}: a response is {resp.id}=applied or {resp.id}=withdrawn")
            record(resp.id, on, move)
            if on:
                applied.add(resp.id)
            else:
                applied.discard(resp.id)
            understood.append(WhatIf(MoveKind.RESPONSE, resp.id, move, applied=on))
            continue
        valid = [*(a.id for a in reg.assumptions), *(i.id for i in reg.indicators), *(m.id for m in reg.responses)]
        raise UserError(
            f"--what-if {move!r}: unknown id {ident!r}; give an assumption (A2=fails), an indicator "
            f"(I3) or a response (M1); the register has: {', '.join(valid) or 'none'}"
        )
    flush()
    out = replace(state, applied=frozenset(applied))
    return (with_evidence(out, ev) if ev is not None else out), understood, overrides


# --------------------------------------------------------------------------- indicators


class ReviewStatus(StrEnum):
    NEVER = "never"  # never observed, and the register gives no date to count from
    OVERDUE = "overdue"
    DUE = "due"  # due today
    UPCOMING = "upcoming"


@frozen(slots=True)
class Review:
    """An indicator's review: its period, when it was last observed, when the next is due."""

    every: int  # days
    last: str | None  # date last observed (YYYY-MM-DD)
    due: str | None  # date the next review is due
    days: int | None  # days until due (negative: overdue by that many)
    status: ReviewStatus

    @property
    def overdue(self) -> bool:
        return self.status in (ReviewStatus.OVERDUE, ReviewStatus.NEVER)


def review(reg: Register, indicator: Indicator, last_at: str | None, today: date) -> Review:
    """When an indicator was last observed and whether it is overdue for review.

    Never observed: it has been due since the register's ``as_of`` plus its period. Due on the
    day the period ends; overdue the day after. ``last_at`` is the journal's last observation; the
    register's ``observed`` day (a rebaselined register's) stands for it when it is later or none."""
    every = indicator.review_every or reg.rules.review_every
    last = max(last_at[:10] if last_at else "", indicator.observed) or None
    since = last or (reg.as_of[:10] if reg.as_of else None)
    try:
        start = date.fromisoformat(since) if since else None
    except ValueError:
        start = None
    if start is None:
        return Review(every, last, None, None, ReviewStatus.NEVER)
    try:
        due = start + timedelta(days=every)
    except OverflowError:
        return Review(every, last, None, None, ReviewStatus.UPCOMING)
    days = (due - today).days
    status = ReviewStatus.OVERDUE if days < 0 else ReviewStatus.DUE if days == 0 else ReviewStatus.UPCOMING
    return Review(every, last, due.isoformat(), days, status)


class Direction(StrEnum):
    UP = "up"
    DOWN = "down"
    SAME = "same"


def direction(before: float, after: float) -> Direction:
    return Direction.UP if after > before + 1e-9 else Direction.DOWN if after < before - 1e-9 else Direction.SAME


@frozen(slots=True)
class Diagnosticity:
    """How far a signpost would move one belief from where it stands now."""

    assumption: str
    belief: float  # now
    if_seen: float
    if_absent: float | None  # None: a format-1 indicator, whose absence says nothing
    seen_ratio: float | None  # None: a format-1 indicator (it sets the belief)
    absent_ratio: float | None
    direction: Direction  # of a sighting, from the belief now


def diagnosticity(indicator: Indicator, beliefs: Mapping[str, float]) -> list[Diagnosticity]:
    """For each assumption an indicator bears on: the belief now, after a sighting, after looking
    and not seeing it. Arrows are measured from the current belief."""
    out = []
    if indicator.is_evidence:
        for b in indicator.bears_on:
            now = beliefs.get(b.assumption, 0.5)
            seen = sighted(now, b.seen)
            out.append(
                Diagnosticity(b.assumption, now, seen, sighted(now, b.absent), b.seen, b.absent, direction(now, seen))
            )
    else:
        for u in indicator.updates:
            now = beliefs.get(u.assumption, 0.5)
            out.append(Diagnosticity(u.assumption, now, u.belief, None, None, None, direction(now, u.belief)))
    return out


def acting_on(reg: Register, risk_id: str) -> list[tuple[str, ContributionKind, Shift]]:
    """(response id, effect or side effect, shift) for every response that shifts a risk."""
    return [
        (resp.id, kind, e.shift)
        for resp in reg.responses
        for kind, group in (
            (ContributionKind.RESPONSE, resp.effects),
            (ContributionKind.SIDE_EFFECT, resp.side_effects),
        )
        for e in group
        if e.risk == risk_id
    ]


# --------------------------------------------------------------------------- chances over the posterior


@frozen(slots=True)
class Outlook:
    """A risk's rating over the posterior of its assumptions, exactly: the chance of each band,
    its likeliest band, and the chance of the top band."""

    bands: tuple[float, ...]  # lowest first
    likeliest: int  # the rank of the likeliest band (equal chances: the point's band, else the higher)
    top: float  # P(the top band)


def posterior(reg: Register, state: State) -> Evidence:
    """The state's evidence to read (not to change): its own, or the one its beliefs give."""
    return state.evidence if state.evidence is not None else evidence_of(reg, state)


def outlook(reg: Register, state: State, risk: Risk, ev: Evidence | None = None) -> Outlook:
    """A risk's chances of each band when its assumptions are drawn from the posterior: the
    distribution of its score (a sum over its drivers' states, the states of linked assumptions
    taken jointly), each outcome placed in a cell as the matrix places a score. ``ev``: the state's
    ``posterior``, when many risks are read."""
    e = explain(reg, risk, state)
    ev = ev if ev is not None else posterior(reg, state)
    net = ev.net
    base_l, base_i = e.raw.likelihood, e.raw.impact
    by_tree: dict[str, list[tuple[str, float, float]]] = {}
    for c in e.contributions:
        d, b = c.driver, c.belief_to
        if d is None:  # a response's or a side effect's (every driver's assumption is in the network)
            continue
        assert b is not None  # a driver's contribution carries the belief it moved to
        dl = d.if_holds.likelihood - d.if_fails.likelihood
        di = d.if_holds.impact - d.if_fails.impact
        base_l -= b * dl
        base_i -= b * di
        by_tree.setdefault(net.root[c.ref], []).append((c.ref, dl, di))
    dist = {(base_l, base_i): 1.0}
    for parts in by_tree.values():
        steps = []
        for states, p in ev.joint([a for a, _, _ in parts]):
            steps.append((sum(dl for a, dl, _ in parts if states[a]), sum(di for a, _, di in parts if states[a]), p))
        nxt: dict[tuple[float, float], float] = {}
        for (lv, iv), p in dist.items():
            for dl, di, q in steps:
                key = (round(lv + dl, 12), round(iv + di, 12))
                nxt[key] = nxt.get(key, 0.0) + p * q
        dist = nxt
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    to = toward(reg, risk, e.anchor)
    rating = reg.rules.rating
    bands = [0.0] * len(rating.bands)
    for (lv, iv), p in dist.items():
        cell = (cell_of(_clamp(lv, nl), nl, to[0]), cell_of(_clamp(iv, ni), ni, to[1]))
        bands[rating.rank(rating.grid[cell[0] - 1][cell[1] - 1])] += p
    best = max(bands)
    ties = [k for k, p in enumerate(bands) if p >= best - 1e-9]
    point = e.scored.band_rank
    return Outlook(tuple(bands), point if point in ties else ties[-1], bands[-1])
