"""Current scores, explanations and matrix placement: pure functions of a register and a state.

The formula (DESIGN §4)::

    current = clamp(anchor + Σ_drivers [shift(b_now) − shift(b_anchor)] + Σ_applied responses, 1, N)

where the anchor is the register's baseline (at the baseline beliefs) or, once an analyst has
scored the risk, the analyst's levels at the beliefs in force when they scored it. Values stay
unrounded: the matrix cell is the rounded value, ranking uses the unrounded L×I.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from dataclasses import dataclass, field

from riskcli.model import Band, Driver, Register, Risk, Shift, UserError
from riskcli.rules import band_for, cell_of


@dataclass(frozen=True, slots=True)
class AnalystScore:
    """An analyst's own levels for a risk, anchored to the beliefs when they were given."""

    likelihood: float
    impact: float
    beliefs: Mapping[str, float]
    by: str = ""
    at: str = ""
    why: str = ""
    applied: frozenset[str] = frozenset()  # responses in force when it was given


@dataclass(frozen=True)
class State:
    """What the assessment currently says beyond the register: beliefs, scores, responses."""

    beliefs: Mapping[str, float]
    scores: Mapping[str, AnalystScore] = field(default_factory=dict)
    applied: frozenset[str] = frozenset()


def baseline_state(reg: Register) -> State:
    return State(beliefs=dict(reg.baseline_beliefs))


@dataclass(frozen=True, slots=True)
class Scored:
    risk: Risk
    likelihood: float  # unrounded, clamped to the scale
    impact: float
    cell: tuple[int, int]  # (likelihood, impact) levels, rounded
    band: Band
    clamped: tuple[str, ...] = ()  # which ends were hit: "likelihood at the ceiling (5)", …
    band_rank: int = 0  # position of the band in the rating, lowest 0

    @property
    def score(self) -> float:
        return self.likelihood * self.impact


@dataclass(frozen=True, slots=True)
class Contribution:
    """One line of an explanation: what moved the score, and by how much."""

    kind: str  # "driver", "response", "side effect"
    ref: str  # assumption or response id
    shift: Shift
    belief_from: float | None = None
    belief_to: float | None = None
    driver: Driver | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Explanation:
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
    return 1.0 if x < 1.0 else float(n) if x > n else x


def contributions(reg: Register, risk: Risk, state: State) -> tuple[AnalystScore | None, list[Contribution]]:
    anchor = state.scores.get(risk.id)
    ref_beliefs = anchor.beliefs if anchor is not None else reg.baseline_beliefs
    out: list[Contribution] = []
    for d in risk.drivers:
        b0 = ref_beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        b1 = state.beliefs.get(d.assumption, b0)
        out.append(
            Contribution("driver", d.assumption, d.expected(b1) - d.expected(b0), b0, b1, d, d.note)
        )
    # Responses count from the anchor too: an analyst's score already reflects the responses
    # in force when it was given; only those applied (or withdrawn) since then move it.
    then = anchor.applied if anchor is not None else frozenset()
    if state.applied or then:
        for resp in reg.responses:
            now_on, then_on = resp.id in state.applied, resp.id in then
            if now_on == then_on:
                continue
            sign = 1.0 if now_on else -1.0
            suffix = "" if now_on else " withdrawn"
            for kind, group in (("response", resp.effects), ("side effect", resp.side_effects)):
                for e in group:
                    if e.risk == risk.id:
                        out.append(Contribution(kind + suffix, resp.id, e.shift.scaled(sign), note=e.note))
    return anchor, out


def score_risk(reg: Register, risk: Risk, state: State) -> Scored:
    return explain(reg, risk, state).scored


def explain(reg: Register, risk: Risk, state: State) -> Explanation:
    anchor, parts = contributions(reg, risk, state)
    base = Shift(float(risk.likelihood), float(risk.impact))
    raw = Shift(anchor.likelihood, anchor.impact) if anchor is not None else base
    for c in parts:
        raw = raw + c.shift
    return Explanation(_scored(reg, risk, raw), base, anchor, tuple(parts), raw)


def _scored(reg: Register, risk: Risk, raw: Shift) -> Scored:
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    lk, im = _clamp(raw.likelihood, nl), _clamp(raw.impact, ni)
    cell = (cell_of(lk, nl), cell_of(im, ni))
    clamped: list[str] = []
    eps = 1e-9
    if raw.likelihood < 1 - eps:
        clamped.append("likelihood at the floor (1)")
    elif raw.likelihood > nl + eps:
        clamped.append(f"likelihood at the ceiling ({nl})")
    if raw.impact < 1 - eps:
        clamped.append("impact at the floor (1)")
    elif raw.impact > ni + eps:
        clamped.append(f"impact at the ceiling ({ni})")
    band = band_for(reg.rules, *cell)
    return Scored(risk, lk, im, cell, band, tuple(clamped), reg.rules.rating.rank(band.id))


def score_all(reg: Register, state: State | None = None) -> list[Scored]:
    """Every risk's current score, in register order.

    The common case — the baseline, with no analyst scores and no responses — skips the
    per-driver arithmetic, since every driver contributes exactly zero there.
    """
    if state is None or (
        not state.scores and not state.applied and _same_beliefs(state.beliefs, reg.baseline_beliefs)
    ):
        return [_baseline_scored(reg, r) for r in reg.risks]
    return [score_risk(reg, r, state) for r in reg.risks]


def _baseline_scored(reg: Register, r: Risk) -> Scored:
    cell = (r.likelihood, r.impact)
    band = band_for(reg.rules, *cell)
    return Scored(r, float(r.likelihood), float(r.impact), cell, band, (), reg.rules.rating.rank(band.id))


def _same_beliefs(a: Mapping[str, float], b: Mapping[str, float]) -> bool:
    return all(abs(a.get(k, v) - v) < 1e-12 for k, v in b.items()) and all(k in b for k in a)


def rank_key(s: Scored) -> tuple[float, float, float, float]:
    return (-s.band_rank, -s.score, -s.likelihood, -s.impact)


def ranked(scored: Iterable[Scored]) -> list[Scored]:
    """Highest rated first; within a rating, highest unrounded L×I (so ties inside a cell are
    broken), then likelihood; register order last."""
    return sorted(scored, key=rank_key)


@dataclass(frozen=True, slots=True)
class Matrix:
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


@dataclass(frozen=True, slots=True)
class Warning:
    ref: str
    message: str


def coherence(reg: Register, scored: Iterable[Scored] | None = None) -> list[Warning]:
    """Where the model is strained: drivers that push the same way whether their assumption holds
    or fails, and risks whose current score is pinned at an end of the scale."""
    out: list[Warning] = []
    for r in reg.risks:
        for d in r.drivers:
            for axis in ("likelihood", "impact"):
                h, f = getattr(d.if_holds, axis), getattr(d.if_fails, axis)
                if h * f > 0:
                    out.append(
                        Warning(
                            r.id,
                            f"driver {d.assumption} moves {axis} the same way whether it holds "
                            f"({h:+g}) or fails ({f:+g})",
                        )
                    )
    for s in scored or ():
        for c in s.clamped:
            out.append(Warning(s.risk.id, f"current score is clamped: {c}"))
    return out


@dataclass(frozen=True, slots=True)
class Move:
    risk: Risk
    before: Scored
    after: Scored
    causes: tuple[str, ...] = ()

    @property
    def delta(self) -> float:
        return self.after.score - self.before.score

    @property
    def cell_changed(self) -> bool:
        return self.before.cell != self.after.cell


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
            out.append(Move(s.risk, p, s, _causes(reg, s.risk, before_state, after_state)))
    out.sort(key=lambda m: (-abs(m.delta), -abs(m.after.likelihood - m.before.likelihood), m.risk.id))
    return out


def _causes(reg: Register, risk: Risk, a: State | None, b: State | None) -> tuple[str, ...]:
    if a is None or b is None:
        return ()
    out: list[str] = []
    for d in risk.drivers:
        x = a.beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        y = b.beliefs.get(d.assumption, reg.baseline_beliefs.get(d.assumption, 0.5))
        if abs(x - y) > 1e-9 and d.assumption not in out:
            out.append(d.assumption)
    if a.scores.get(risk.id) != b.scores.get(risk.id):
        out.append("analyst score")
    for resp in reg.responses:
        if (resp.id in a.applied) != (resp.id in b.applied) and any(
            e.risk == risk.id for e in (*resp.effects, *resp.side_effects)
        ):
            out.append(resp.id)
    return tuple(out)


# --------------------------------------------------------------------------- hypotheses


def with_beliefs(state: State, beliefs: Mapping[str, float]) -> State:
    return State({**state.beliefs, **beliefs}, state.scores, state.applied)


def observed(reg: Register, state: State, indicator_id: str) -> State:
    ind = next(i for i in reg.indicators if i.id == indicator_id)
    return with_beliefs(state, {u.assumption: u.belief for u in ind.updates})


def with_response(state: State, response_id: str, applied: bool = True) -> State:
    applied_set = set(state.applied)
    if applied:
        applied_set.add(response_id)
    else:
        applied_set.discard(response_id)
    return State(state.beliefs, state.scores, frozenset(applied_set))


def inherent(state: State) -> State:
    """The state with no responses applied."""
    return State(state.beliefs, state.scores, frozenset())


def scenario_state(reg: Register, state: State, name: str) -> State:
    sc = find(reg.scenarios, name)
    if sc is None:
        raise UserError(
            f"unknown scenario {name!r}; the register has: {', '.join(s.id for s in reg.scenarios) or 'no scenarios'}"
        )
    return with_beliefs(state, dict(sc.beliefs))


def find(items: Iterable[Any], ident: str) -> Any:
    """The item whose id matches, ignoring case and surrounding spaces; None if none does."""
    key = ident.strip().lower()
    for x in items:
        if x.id.lower() == key:
            return x
    return None


def what_if(reg: Register, state: State, moves: Iterable[str]) -> tuple[State, list[str], list[str]]:
    """Apply hypothetical moves, in order: ``A2=fails`` (a belief), ``I3`` (an indicator
    observed), ``M1`` or ``M1=applied`` / ``M1=withdrawn`` (a response). Several moves may be
    given comma-separated. Returns the state, what each move was understood as, and warnings
    where a later move overrides an earlier one."""
    from riskcli.rules import parse_belief

    said: list[str] = []
    warnings: list[str] = []
    set_by: dict[str, tuple[str, object]] = {}  # id -> (the move that set it, the value it set)

    def record(ident: str, value: object, move: str) -> None:
        prior = set_by.get(ident)
        if prior is not None and prior[1] != value:
            warnings.append(f"{ident} is set by {prior[0]} and again by {move}; the later move counts")
        set_by[ident] = (move, value)

    def set_belief(aid: str, b: float, move: str) -> None:
        record(aid, round(b, 9), move)

    given = [m.strip() for chunk in moves for m in chunk.split(",")]
    if not any(given):
        raise UserError("--what-if needs a move: an assumption (A2=fails), an indicator (I3) or a response (M1)")
    for move in given:
        if not move:
            continue
        ident, eq, value = move.partition("=")
        ident, value = ident.strip(), value.strip()
        a = find(reg.assumptions, ident)
        if a is not None:
            if not eq or not value:
                raise UserError(f"--what-if {move!r}: give a belief, e.g. {a.id}=fails or {a.id}=30%")
            p = parse_belief(reg.rules.words, value)
            set_belief(a.id, float(p.value), move)
            state = with_beliefs(state, {a.id: float(p.value)})
            said.append(f"{a.id}={p.meaning}")
            continue
        ind = find(reg.indicators, ident)
        if ind is not None:
            if eq and value.lower() not in ("observed", "yes", "true"):
                raise UserError(f"--what-if {move!r}: an indicator is either observed ({ind.id}) or not mentioned")
            for u in ind.updates:
                set_belief(u.assumption, u.belief, ind.id)
            state = observed(reg, state, ind.id)
            sets = ", ".join(f"{u.assumption}={u.belief:.2f}" for u in ind.updates)
            said.append(f"{ind.id} observed" + (f" ({sets})" if sets else ""))
            continue
        resp = find(reg.responses, ident)
        if resp is not None:
            v = value.lower() if eq else "applied"
            if v in ("applied", "apply", "on", "yes", "true"):
                record(resp.id, True, move)
                state = with_response(state, resp.id, True)
                said.append(f"{resp.id} applied")
            elif v in ("withdrawn", "withdraw", "off", "no", "false"):
                record(resp.id, False, move)
                state = with_response(state, resp.id, False)
                said.append(f"{resp.id} withdrawn")
            else:
                raise UserError(f"--what-if {move!r}: a response is {resp.id}=applied or {resp.id}=withdrawn")
            continue
        valid = [x.id for x in (*reg.assumptions, *reg.indicators, *reg.responses)]
        raise UserError(
            f"--what-if {move!r}: unknown id {ident!r}; give an assumption (A2=fails), an indicator "
            f"(I3) or a response (M1); the register has: {', '.join(valid) or 'none'}"
        )
    return state, said, warnings




# --------------------------------------------------------------------------- indicators


@dataclass(frozen=True, slots=True)
class Review:
    every: int  # days
    last: str | None  # date last observed (YYYY-MM-DD)
    due: str | None  # date the next review is due
    overdue: bool
    status: str


def review(reg: Register, indicator: Any, last_at: str | None, today: Any) -> Review:
    """When an indicator was last observed and whether it is overdue for review.

    Never observed: it has been due since the register's ``as_of`` plus its period."""
    from datetime import date, timedelta

    every = indicator.review_every or reg.rules.review_every
    last = last_at[:10] if last_at else None
    since = last or (reg.as_of[:10] if reg.as_of else None)
    try:
        start = date.fromisoformat(since) if since else None
    except ValueError:
        start = None
    if start is None:
        return Review(every, last, None, True, "never observed")
    try:
        due = start + timedelta(days=every)
    except OverflowError:
        return Review(every, last, None, False, "not due")
    days = (due - today).days
    if days < 0:
        return Review(every, last, due.isoformat(), True, f"overdue by {-days} d")
    return Review(every, last, due.isoformat(), False, "due today" if days == 0 else f"due in {days} d")


def bears_on(reg: Register, indicator: Any) -> list[tuple[str, float, str]]:
    """(assumption, belief set when observed, ↑/↓/= against the baseline belief)."""
    out = []
    for u in indicator.updates:
        b0 = reg.baseline_beliefs.get(u.assumption, 0.5)
        arrow = "↑" if u.belief > b0 + 1e-9 else "↓" if u.belief < b0 - 1e-9 else "="
        out.append((u.assumption, u.belief, arrow))
    return out
