"""How sure are we: the assumptions simulated, and how much each one carries.

Pure functions over the model; numpy is imported inside them, so no other command pays for it.

**A draw** is one draw of the assumptions from the posterior of the one model of belief
(``riskcli.belief``), the same posterior whose marginals the point scores use: an assumption no
link ties holds with its belief; the root of a tree of links with its belief, and each assumption
linked to another with its posterior probability given its parent's draw (parents are drawn
first) — evidence on a linked assumption, set by ``assume`` or seen, informs its parent and its
children in the draws as in the point scores. Every risk is then scored by DESIGN §4 at beliefs
of 0 or 1, with the responses and analyst scores of the state — ``clamp(anchor + Σ_drivers
[shift(s) − shift(b_anchor)] + responses)``, computed by ``scoring.explain`` itself.

**How it is fast.** A risk's cell depends only on the states of the assumptions its drivers
name, so each risk gets a small table — one entry per combination of those states, each scored by
``scoring.explain`` — and a whole chunk of draws finds every risk's entry at once: the trials ×
assumptions state matrix times a matrix of powers of two (one matrix product), then one
``bincount`` of the entries. A risk whose drivers name more than ``TABLE_MAX`` assumptions is
scored arithmetically instead (the product with its shifts, clamped and rounded like
``rules.cell_of``). Draws are made in chunks of about ``CHUNK_ELEMENTS`` risk-draws, so memory
stays bounded whatever the number of trials.

**Exact.** ``exact=True`` enumerates the posterior per connected group of assumptions — those tied
together by the risks that rest on several of them or by links: risks in different groups are
independent, so each group's combinations are enumerated on their own (at most ``EXACT_MAX``
uncertain assumptions in one group), each weighted by its posterior probability, and the counts of
top-band risks of the groups are convolved.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from riskcli import scoring
from riskcli.model import Axis, Band, Register, Risk, UserError
from riskcli.records import frozen, mutable
from riskcli.scoring import ContributionKind, Scored, SetBy, State

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Floats = NDArray[np.float64]
    Ints = NDArray[np.intp]

TRIALS = 10_000  # draws when none are asked for
EXACT_MAX = 20  # uncertain assumptions --exact enumerates at most (2^20 combinations)
TABLE_MAX = 10  # assumptions of one risk scored by table (2^10 entries); more: arithmetically
CHUNK_ELEMENTS = 1 << 21  # risk-draws per chunk: bounds memory (tens of MB) and stays in cache
SPLIT_MODE = 0.15  # each of a split risk's two modes holds at least this probability
SPLIT_DIP = 0.75  # ... and the level between them (the point score's) less than this share of the smaller
EPS = 1e-9

Progress = Callable[[int, int], None]  # (done, total) units of work


def _numpy() -> None:
    """Before numpy is first imported: one BLAS thread unless the user says otherwise. The products
    here are small and chunked; a second BLAS thread only spins while the reductions run
    (measured: the same wall time for nearly twice the CPU)."""
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


# --------------------------------------------------------------------------- what is drawn


@frozen(slots=True)
class Draw:
    """How one assumption is drawn in each trial: from its posterior."""

    assumption: str
    belief: float  # its posterior marginal (what it is drawn with when no parent is drawn first)
    parent: str | None = None  # drawn given this parent's draw
    holds: float | None = None  # P(it holds | parent holds, evidence)
    fails: float | None = None  # P(it holds | parent fails, evidence)


def draws(reg: Register, state: State) -> tuple[Draw, ...]:
    """How each assumption is drawn, in register order: from the posterior of the state's evidence.
    A linked assumption is drawn given its parent while both are uncertain; given a certain parent
    its conditional is its marginal."""
    ev = state.evidence if state.evidence is not None else scoring.evidence_of(reg, state)
    tree = ev.draws()
    out = []
    for a in reg.assumptions:
        t = tree.get(a.id)
        b = state.beliefs.get(a.id, a.belief) if t is None else t.belief
        if t is not None and t.parent is not None and _unsure(b) and _unsure(ev.beliefs[t.parent]):
            out.append(Draw(a.id, b, t.parent, t.holds, t.fails))
        else:
            out.append(Draw(a.id, b))
    return tuple(out)


def _unsure(b: float) -> bool:
    return EPS < b < 1 - EPS


def _order(ds: tuple[Draw, ...]) -> list[int]:
    """Indices of the draws, parents before their children (the register forbids loops)."""
    at = {d.assumption: i for i, d in enumerate(ds)}
    depth: dict[int, int] = {}

    def deep(i: int) -> int:
        if i not in depth:
            p = ds[i].parent
            depth[i] = 0 if p is None or p not in at else deep(at[p]) + 1
        return depth[i]

    return sorted(range(len(ds)), key=lambda i: (deep(i), i))


def _relevant(reg: Register, ds: tuple[Draw, ...], risks: Iterable[Risk] | None = None) -> set[str]:
    """Assumptions that matter to some risk (of ``risks``, else of the register): those its
    drivers name, and their linked ancestors."""
    parent = {d.assumption: d.parent for d in ds if d.parent is not None}
    out: set[str] = set()
    for r in reg.risks if risks is None else risks:
        for d in r.drivers:
            a: str | None = d.assumption
            while a is not None and a not in out:
                out.add(a)
                a = parent.get(a)
    return out


def _uncertain(d: Draw) -> bool:
    return _unsure(d.belief)


def groups(reg: Register, risks: Iterable[Risk] | None = None) -> list[tuple[tuple[str, ...], list[Risk]]]:
    """The connected groups of assumptions — tied by a risk that rests on several, or by a link —
    with the risks that rest on each (risks on no assumption form a group of their own, with none).
    Risks in different groups are independent. Register order throughout."""
    pool = list(reg.risks if risks is None else risks)
    known = reg.assumption_by_id
    up: dict[str, str] = {a.id: a.id for a in reg.assumptions}

    def find(x: str) -> str:
        while up[x] != x:
            up[x] = up[up[x]]
            x = up[x]
        return x

    def join(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            up[ry] = rx

    for a in reg.assumptions:
        if a.given is not None and a.given.parent in known:
            join(a.id, a.given.parent)
    for r in pool:
        names = [d.assumption for d in r.drivers if d.assumption in known]
        for n in names[1:]:
            join(names[0], n)
    members: dict[str, list[str]] = {}
    for a in reg.assumptions:
        members.setdefault(find(a.id), []).append(a.id)
    by_group: dict[str | None, list[Risk]] = {}
    for r in pool:
        names = [d.assumption for d in r.drivers if d.assumption in known]
        by_group.setdefault(find(names[0]) if names else None, []).append(r)
    out: list[tuple[tuple[str, ...], list[Risk]]] = []
    if None in by_group:
        out.append(((), by_group[None]))
    for root, ids in members.items():
        if root in by_group:
            out.append((tuple(ids), by_group[root]))
    return out


def exact_sizes(reg: Register, state: State, risks: Iterable[Risk] | None = None) -> list[tuple[int, int]]:
    """Per connected group: the uncertain assumptions ``exact`` enumerates, and the risks in it."""
    ds = draws(reg, state)
    unsure = {d.assumption for d in ds if _uncertain(d)}
    out = []
    for ids, rs in groups(reg, risks):
        rel = _relevant(reg, ds, rs)
        out.append((sum(1 for a in ids if a in rel and a in unsure), len(rs)))
    return out


def refuse_exact(reg: Register, state: State, risk: Risk | None = None) -> None:
    k = max((n for n, _ in exact_sizes(reg, state, None if risk is None else [risk])), default=0)
    if k > EXACT_MAX:
        whose = f"{risk.id} rests on" if risk is not None else "one connected group of this register's has"
        raise UserError(
            f"--exact enumerates every combination of the uncertain assumptions of each connected group: "
            f"{whose} {k} (2^{k} combinations; at most {EXACT_MAX}). Sample instead: drop --exact "
            f"(--trials N sets how many draws)"
        )


# --------------------------------------------------------------------------- results (numbers only)


@frozen(slots=True)
class Split:
    """A risk whose outcomes cluster on both sides of its point score, on one axis."""

    axis: Axis
    low: int  # the mode below the point (a level)
    high: int  # the mode above it
    point: int  # the point score's level, between them
    low_probability: float
    high_probability: float
    point_probability: float


@frozen(slots=True)
class Spread:
    """One risk over the draws."""

    risk: Risk
    point: Scored  # the deterministic current score
    cells: Mapping[tuple[int, int], float]  # (likelihood, impact) -> probability, the cells it reaches
    bands: tuple[float, ...]  # probability of each band, lowest first
    likelihood: tuple[float, ...]  # probability of each likelihood level, 1 first
    impact: tuple[float, ...]
    mean: tuple[float, float]  # the mean unclamped likelihood and impact over the draws
    splits: tuple[Split, ...]


@frozen
class Simulation:
    exact: bool
    trials: int  # draws made, or combinations enumerated (exact)
    seed: int | None  # None when exact
    draws: tuple[Draw, ...]
    spreads: tuple[Spread, ...]  # register order
    top: Band  # the top band of the rating
    top_counts: tuple[float, ...]  # P(exactly n risks in the top band), n = 0, 1, …
    any_top: float  # P(at least one risk in the top band)
    expected_top: float  # the expected number of risks in the top band


# --------------------------------------------------------------------------- the plan: tables and shifts


class _Over(Mapping[str, float]):
    """Beliefs with a few replaced, without copying the rest."""

    def __init__(self, over: Mapping[str, float], base: Mapping[str, float]):
        self.over, self.base = over, base

    def __getitem__(self, key: str) -> float:
        return self.over[key] if key in self.over else self.base[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.over
        yield from (k for k in self.base if k not in self.over)

    def __len__(self) -> int:
        return len(self.base) + sum(1 for k in self.over if k not in self.base)


def _with(state: State, beliefs: Mapping[str, float]) -> State:
    return State(
        _Over(beliefs, state.beliefs),
        state.scores,
        state.applied,
        decisions=state.decisions,
        panel=state.panel,
        opinions=state.opinions,
        resolutions=state.resolutions,
    )


@frozen(slots=True)
class _Table:
    """A risk's cells by the states of the assumptions its drivers name: entry ``code`` is the
    cell (flat: (likelihood - 1) * n_impact + impact - 1) when assumption ``cols[j]`` holds iff bit
    j of ``code`` is set."""

    risk: int
    cols: tuple[int, ...]
    cells: tuple[int, ...]
    vary: bool  # in the top band for some entries and not for others


@mutable
class _Plan:
    """Everything about the risks that does not depend on the beliefs: each risk's table of cells by
    the states of its assumptions (or its shifts, for a wide risk)."""

    reg: Register
    risks: list[Risk]
    ids: list[str]  # assumption ids, register order: the columns of the state matrix
    nl: int
    ni: int
    top_rank: int
    grid_rank: list[int]  # band rank of each flat cell
    point: list[Scored]  # the current score of each risk
    raw: list[tuple[float, float]]  # its unclamped current likelihood and impact
    # per risk, per driver: (column, Δlikelihood, Δimpact, belief now): raw(s) = raw + Σ (s − belief) Δ
    deltas: list[list[tuple[int, float, float, float]]]
    constant: dict[int, int]  # risk -> its only cell
    always_top: int  # risks in the top band in every draw
    # Risks by table, grouped so that each use is one slice of the code matrix:
    # [counted (3+ assumptions, not varying), counted and varying, varying (1-2 assumptions)];
    # risks of 1-2 assumptions that never change top-band membership need no code at all.
    coded: list[_Table]
    n_counted: int  # coded[:n_counted]: their entries are counted one by one (bincount)
    vary_from: int  # coded[vary_from:]: in and out of the top band
    small: list[_Table]  # 1-2 assumptions: counted from the state matrix's Gram matrix
    wide: list[int]  # risks scored arithmetically (more than table_max assumptions)


def _plan(reg: Register, state: State, risks: Iterable[Risk], table_max: int = TABLE_MAX) -> _Plan:
    rules = reg.rules
    nl, ni = rules.likelihood.size, rules.impact.size
    grid_rank = [rules.rating.rank(rules.rating.grid[li][ii]) for li in range(nl) for ii in range(ni)]
    top_rank = len(rules.rating.bands) - 1
    ids = [a.id for a in reg.assumptions]
    col = {a: i for i, a in enumerate(ids)}
    plan = _Plan(reg, list(risks), ids, nl, ni, top_rank, grid_rank, [], [], [], {}, 0, [], 0, 0, [], [])
    tables: list[_Table] = []
    for k, risk in enumerate(plan.risks):
        e = scoring.explain(reg, risk, state)
        plan.point.append(e.scored)
        plan.raw.append((e.raw.likelihood, e.raw.impact))
        ds = [c for c in e.contributions if c.kind is ContributionKind.DRIVER and c.driver is not None and c.ref in col]
        plan.deltas.append(
            [
                (
                    col[c.ref],
                    c.driver.if_holds.likelihood - c.driver.if_fails.likelihood,
                    c.driver.if_holds.impact - c.driver.if_fails.impact,
                    c.belief_to if c.belief_to is not None else 0.5,
                )
                for c in ds
                if c.driver is not None
            ]
        )
        names = list(dict.fromkeys(c.ref for c in ds))
        if len(names) > table_max:
            plan.wide.append(k)
            continue
        cells = []
        for code in range(1 << len(names)):
            over = {a: float((code >> j) & 1) for j, a in enumerate(names)}
            sc = scoring.score_risk(reg, risk, _with(state, over)) if names else e.scored
            cells.append((sc.cell[0] - 1) * ni + sc.cell[1] - 1)
        tops = {grid_rank[c] == top_rank for c in cells}
        if tops == {True}:
            plan.always_top += 1
        if len(set(cells)) == 1:
            plan.constant[k] = cells[0]
        else:
            tables.append(_Table(k, tuple(col[a] for a in names), tuple(cells), len(tops) == 2))
    counted = [t for t in tables if len(t.cols) > 2]
    groups = (
        [t for t in counted if not t.vary],
        [t for t in counted if t.vary],
        [t for t in tables if len(t.cols) <= 2 and t.vary],
    )
    plan.coded = [*groups[0], *groups[1], *groups[2]]
    plan.n_counted = len(groups[0]) + len(groups[1])
    plan.vary_from = len(groups[0])
    plan.small = [t for t in tables if len(t.cols) <= 2]
    return plan


# --------------------------------------------------------------------------- the engine


@mutable
class _Totals:
    """What a run adds up (weights: draws counted, or probabilities when exact)."""

    weight: float
    mean_state: Floats  # weighted mean state of each assumption
    cells: Floats | None  # risk × flat cell: probability
    top_counts: Floats  # P(n risks in the top band), n = 0 … number of risks


def _chunk(n_risks: int) -> int:
    return max(256, min(1 << 16, CHUNK_ELEMENTS // max(1, n_risks)))


class _Engine:
    def __init__(self, plan: _Plan):
        _numpy()
        import numpy as np

        self.plan = plan
        p, k = plan, len(plan.ids)
        bases, at = [], 0
        for t in p.coded:
            bases.append(at)
            at += len(t.cells)
        self.n_entries = at
        # float32 keeps codes exact below 2^24, and its conversion to int32 is several times faster
        self.dtype = np.float32 if at < (1 << 24) else np.float64
        codes = np.zeros((k + 1, len(p.coded)), dtype=self.dtype)
        for j, (t, base) in enumerate(zip(p.coded, bases, strict=True)):
            for bit, c in enumerate(t.cols):
                codes[c, j] += 1 << bit
            codes[k, j] = base
        self.codes = codes
        self.bases = bases
        self.top_table = np.array([p.grid_rank[c] == p.top_rank for t in p.coded for c in t.cells], dtype=bool)
        self.n_cells = p.nl * p.ni
        n_wide = len(p.wide)
        dl, di = np.zeros((k, n_wide)), np.zeros((k, n_wide))
        cl, ci = np.zeros(n_wide), np.zeros(n_wide)
        for j, r in enumerate(p.wide):
            cl[j], ci[j] = p.raw[r]
            for c, x, y, b in p.deltas[r]:
                dl[c, j] += x
                di[c, j] += y
                cl[j] -= b * x
                ci[j] -= b * y
        self.wide = (dl, di, cl, ci)
        self.grid_rank = np.array(p.grid_rank, dtype=np.intp)

    def size(self, ds: tuple[Draw, ...], *, exact: bool, trials: int) -> int:
        """Draws a run makes: ``trials``, or every combination of the uncertain assumptions."""
        if not exact:
            return trials
        rel = _relevant(self.plan.reg, ds, self.plan.risks)
        return 1 << sum(1 for d in ds if d.assumption in rel and _uncertain(d))

    def run(
        self,
        ds: tuple[Draw, ...],
        *,
        exact: bool,
        trials: int,
        seed: int | None,
        cells: bool = True,
        progress: Progress | None = None,
        done: int = 0,
        total: int | None = None,
    ) -> _Totals:
        import numpy as np

        p = self.plan
        k, n_risks = len(p.ids), len(p.risks)
        col = {a: i for i, a in enumerate(p.ids)}
        order = _order(ds)
        linked = [(i, col[d.parent], d.holds or 0.0, d.fails or 0.0) for i in order if (d := ds[i]).parent is not None]
        beliefs = np.array([d.belief for d in ds], dtype=np.float64)
        rel = _relevant(p.reg, ds, p.risks)
        random = [i for i in order if ds[i].assumption in rel and _uncertain(ds[i])]
        n = self.size(ds, exact=exact, trials=trials)
        total = total if total is not None else n
        chunk = _chunk(n_risks)
        rng = None if exact else np.random.default_rng(seed)
        counted = np.zeros(self.n_entries) if cells else None
        wide_cells = np.zeros(len(p.wide) * self.n_cells) if cells and p.wide else None
        gram = np.zeros((k, k))  # Σ w s_a s_b: pairs of states, for the small tables and the means
        top_counts = np.zeros(n_risks + 1)
        weight = 0.0
        s = np.empty((chunk, k + 1), dtype=self.dtype)
        s[:, k] = 1.0
        n_counted_entries = self.bases[p.n_counted] if p.n_counted < len(p.coded) else self.n_entries
        for start in range(0, n, chunk):
            m = min(chunk, n - start)
            sm = s[:m]
            w: Floats | None = None
            if exact:
                idx = np.arange(start, start + m, dtype=np.int64)
                sm[:, :k] = (beliefs >= 1 - EPS)[None, :]  # the certain; the uncertain are set below
                for j, c in enumerate(random):
                    sm[:, c] = (idx >> j) & 1
                w = np.ones(m)
                for c in random:
                    d = ds[c]
                    pc: Floats | float = d.belief
                    if d.parent is not None:
                        pc = np.where(sm[:, col[d.parent]] > 0.5, d.holds or 0.0, d.fails or 0.0)
                    w *= np.where(sm[:, c] > 0.5, pc, 1.0 - pc)
            else:
                assert rng is not None
                u = rng.random((m, k))
                sm[:, :k] = u < beliefs
                for c, parent, h, f in linked:  # parents first
                    sm[:, c] = u[:, c] < np.where(sm[:, parent] > 0.5, h, f)
            states = sm[:, :k]
            weight += float(m) if w is None else float(w.sum())
            if w is None:
                gram += (states.T @ states).astype(np.float64)  # counts below 2^24: exact in float32
            else:
                s64 = states.astype(np.float64)
                gram += (s64 * w[:, None]).T @ s64
            count = np.full(m, p.always_top, dtype=np.intp)
            if p.coded and ((counted is not None and p.n_counted) or p.vary_from < len(p.coded)):
                code = (sm @ self.codes).astype(np.int32)
                if counted is not None and p.n_counted:
                    flat = code[:, : p.n_counted].ravel()
                    wts = None if w is None else np.repeat(w, p.n_counted)
                    counted[:n_counted_entries] += np.bincount(flat, weights=wts, minlength=n_counted_entries)
                if p.vary_from < len(p.coded):
                    count += np.count_nonzero(np.take(self.top_table, code[:, p.vary_from :]), axis=1)
            if p.wide:
                count += self._wide(states, w, wide_cells)
            top_counts += np.bincount(count, weights=w, minlength=n_risks + 1)[: n_risks + 1]
            if progress is not None:
                progress(done + start + m, total)
        out = None
        if cells:
            out = self._cells(counted, wide_cells, gram, weight)
        return _Totals(weight, np.diag(gram) / weight, out, top_counts / weight)

    def sweep(
        self,
        base: tuple[Draw, ...],
        variants: Sequence[tuple[Draw, ...]],
        *,
        trials: int,
        seed: int | None,
        progress: Progress | None = None,
    ) -> list[Floats]:
        """P(n risks in the top band), n = 0, 1, …, under the draws ``base`` and under each of
        ``variants``, from common random numbers: the trials are drawn once, and a variant redraws
        only the columns whose draw differs from the base's (the assumption it sets and those
        linked to it) and rescores only the risks those columns reach. Each result is the one
        ``run`` gives for the same seed: ``run`` draws the same numbers for every set of draws."""
        import numpy as np

        p = self.plan
        k, n_risks = len(p.ids), len(p.risks)
        col = {a: i for i, a in enumerate(p.ids)}
        order = _order(base)
        linked = [
            (i, col[d.parent], d.holds or 0.0, d.fails or 0.0) for i in order if (d := base[i]).parent is not None
        ]
        beliefs = np.array([d.belief for d in base], dtype=np.float64)
        vary = p.coded[p.vary_from :]
        plans = []
        for ds in variants:
            changed: dict[int, Draw] = {}
            for i in _order(ds):
                d = ds[i]
                if d != base[i] or (d.parent is not None and col[d.parent] in changed):
                    changed[i] = d  # in the variant's order: parents first
            reach = set(changed)
            tables = np.array([j for j, t in enumerate(vary) if reach.intersection(t.cols)], dtype=np.intp)
            reaches = any(c in reach for r in p.wide for c, _, _, _ in p.deltas[r])
            plans.append((changed, tables, reaches))
        chunk = _chunk(n_risks)
        rng = np.random.default_rng(seed)
        top_counts = [np.zeros(n_risks + 1) for _ in range(1 + len(variants))]
        codes = self.codes[:, p.vary_from :]
        s = np.empty((chunk, k + 1), dtype=self.dtype)
        s[:, k] = 1.0
        runs = 1 + len(variants)
        for start in range(0, trials, chunk):
            m = min(chunk, trials - start)
            sm = s[:m]
            u = rng.random((m, k))
            sm[:, :k] = u < beliefs
            for c, parent, h, f in linked:  # parents first
                sm[:, c] = u[:, c] < np.where(sm[:, parent] > 0.5, h, f)
            states = sm[:, :k]
            count = np.full(m, p.always_top, dtype=np.intp)
            code = top = None
            if vary:
                code = (sm @ codes).astype(np.int32)
                top = np.take(self.top_table, code)
                count += np.count_nonzero(top, axis=1)
            wide = self._wide(states, None, None) if p.wide else None
            if wide is not None:
                count += wide
            top_counts[0] += np.bincount(count, minlength=n_risks + 1)[: n_risks + 1]
            for v, (changed, tables, reaches_wide) in enumerate(plans, 1):
                cols: dict[int, Any] = {}
                for c, d in changed.items():
                    if d.parent is None:
                        cols[c] = u[:, c] < d.belief
                    else:
                        pc = col[d.parent]
                        parent_holds = cols[pc] if pc in cols else sm[:, pc] > 0.5
                        cols[c] = u[:, c] < np.where(parent_holds, d.holds or 0.0, d.fails or 0.0)
                cv = count.copy()
                if tables.size:
                    assert code is not None and top is not None
                    moved = code[:, tables]
                    for c, x in cols.items():
                        step = codes[c, tables]
                        moved = moved + (
                            (x.astype(np.int32) - sm[:, c].astype(np.int32))[:, None] * step.astype(np.int32)
                        )
                    cv += np.count_nonzero(np.take(self.top_table, moved), axis=1)
                    cv -= np.count_nonzero(top[:, tables], axis=1)
                if reaches_wide:
                    assert wide is not None
                    sv = states.copy()
                    for c, x in cols.items():
                        sv[:, c] = x
                    cv += self._wide(sv, None, None) - wide
                top_counts[v] += np.bincount(cv, minlength=n_risks + 1)[: n_risks + 1]
            if progress is not None:
                progress((start + m) * runs, trials * runs)
        return [t / float(trials) for t in top_counts]

    def _cells(self, counted: Floats | None, wide_cells: Floats | None, gram: Floats, weight: float) -> Floats:
        """Each risk's probability of each cell."""
        import numpy as np

        p = self.plan
        out = np.zeros((len(p.risks), self.n_cells))
        for r, c in p.constant.items():
            out[r, c] = weight
        assert counted is not None
        for t, base in zip(p.coded[: p.n_counted], self.bases, strict=False):
            for code, c in enumerate(t.cells):
                out[t.risk, c] += counted[base + code]
        for t in p.small:  # from pairs of states: P(a), P(b), P(a and b)
            a = t.cols[0]
            na = gram[a, a]
            by_code: tuple[float, ...]
            if len(t.cols) == 1:
                by_code = (weight - na, na)
            else:
                b = t.cols[1]
                nb, nab = gram[b, b], gram[a, b]
                by_code = (weight - na - nb + nab, na - nab, nb - nab, nab)
            for code, c in enumerate(t.cells):
                out[t.risk, c] += by_code[code]
        if wide_cells is not None:
            out[np.array(p.wide)] = wide_cells.reshape(len(p.wide), self.n_cells)
        out /= weight
        np.clip(out, 0.0, 1.0, out=out)  # differences of sums may come out a hair below zero
        return out

    def _wide(self, states: Any, w: Floats | None, hist: Floats | None) -> Ints:
        """Risks with too many assumptions for a table: their shifts, clamped and rounded."""
        import numpy as np

        p = self.plan
        dl, di, cl, ci = self.wide
        s64 = states.astype(np.float64)
        lk = np.clip(s64 @ dl + cl, 1.0, p.nl)
        im = np.clip(s64 @ di + ci, 1.0, p.ni)
        cell_l = np.clip(np.floor(np.round(lk, 9) + 0.5), 1, p.nl).astype(np.intp)  # as rules.cell_of
        cell_i = np.clip(np.floor(np.round(im, 9) + 0.5), 1, p.ni).astype(np.intp)
        flat = (cell_l - 1) * p.ni + (cell_i - 1)
        if hist is not None:
            where = flat + (np.arange(len(p.wide), dtype=np.intp) * self.n_cells)[None, :]
            weights = None if w is None else np.repeat(w, len(p.wide))
            hist += np.bincount(where.ravel(), weights=weights, minlength=hist.size)
        return np.count_nonzero(self.grid_rank[flat] == p.top_rank, axis=1)  # type: ignore[no-any-return]


# --------------------------------------------------------------------------- simulate


class _Grouped:
    """``exact`` group by group: a plan and an engine for each connected group of assumptions."""

    def __init__(self, reg: Register, state: State, pool: list[Risk], table_max: int = TABLE_MAX):
        at = {r.id: i for i, r in enumerate(pool)}
        self.n_risks = len(pool)
        self.parts: list[tuple[list[int], _Engine]] = []
        for _, rs in groups(reg, pool):
            self.parts.append(([at[r.id] for r in rs], _Engine(_plan(reg, state, rs, table_max))))

    def size(self, ds: tuple[Draw, ...]) -> int:
        """The combinations enumerated: of each group with an uncertain assumption (at least one)."""
        return max(1, sum(n for _, e in self.parts if (n := e.size(ds, exact=True, trials=0)) > 1))

    def run(
        self,
        ds: tuple[Draw, ...],
        *,
        cells: bool = True,
        progress: Progress | None = None,
        done: int = 0,
        total: int | None = None,
    ) -> _Totals:
        import numpy as np

        total = total if total is not None else self.size(ds)
        mean = np.array([d.belief for d in ds], dtype=np.float64)
        out_cells = None
        top = np.ones(1)
        for idx, engine in self.parts:
            n = engine.size(ds, exact=True, trials=0)
            report = progress if n > 1 else None
            t = engine.run(ds, exact=True, trials=0, seed=None, cells=cells, progress=report, done=done, total=total)
            done += n if n > 1 else 0
            rel = _relevant(engine.plan.reg, ds, engine.plan.risks)
            for c, d in enumerate(ds):
                if d.assumption in rel and _uncertain(d):
                    mean[c] = t.mean_state[c]
            if cells:
                assert t.cells is not None
                if out_cells is None:
                    out_cells = np.zeros((self.n_risks, t.cells.shape[1]))
                out_cells[np.array(idx, dtype=np.intp)] = t.cells
            top = np.convolve(top, t.top_counts[: len(idx) + 1])
        counts = np.zeros(self.n_risks + 1)
        counts[: len(top)] = top[: self.n_risks + 1]
        return _Totals(1.0, mean, out_cells, counts)


def simulate(
    reg: Register,
    state: State,
    *,
    trials: int = TRIALS,
    seed: int | None = None,
    exact: bool = False,
    progress: Progress | None = None,
    table_max: int = TABLE_MAX,
) -> Simulation:
    """Every risk's rating, likelihood and impact over draws of the assumptions from the posterior
    (or over every combination of them, group by group: ``exact``), and how many risks land in
    the top band."""
    if exact:
        refuse_exact(reg, state)
    elif trials < 1:
        raise UserError("--trials must be at least 1")
    plan = _plan(reg, state, reg.risks, table_max)
    ds = draws(reg, state)
    if exact:
        grouped = _Grouped(reg, state, list(reg.risks), table_max)
        n = grouped.size(ds)
        t = grouped.run(ds, progress=progress, total=n)
    else:
        t = _Engine(plan).run(ds, exact=False, trials=trials, seed=seed, progress=progress)
        n = trials
    return _simulation(plan, ds, t, exact, n, None if exact else seed)


def _simulation(plan: _Plan, ds: tuple[Draw, ...], t: _Totals, exact: bool, n: int, seed: int | None) -> Simulation:
    rules = plan.reg.rules
    nl, ni = plan.nl, plan.ni
    assert t.cells is not None
    spreads = []
    for k, risk in enumerate(plan.risks):
        row = t.cells[k]
        cells = {(c // ni + 1, c % ni + 1): float(row[c]) for c in range(nl * ni) if row[c] > 0}
        bands = [0.0] * len(rules.rating.bands)
        lk, im = [0.0] * nl, [0.0] * ni
        for (li, ii), pr in cells.items():
            bands[plan.grid_rank[(li - 1) * ni + ii - 1]] += pr
            lk[li - 1] += pr
            im[ii - 1] += pr
        raw_l, raw_i = plan.raw[k]
        ml, mi = raw_l, raw_i
        for c, x, y, b in plan.deltas[k]:
            diff = float(t.mean_state[c]) - b
            ml += diff * x
            mi += diff * y
        point = plan.point[k]
        splits = tuple(
            sp
            for axis, dist, at in ((Axis.LIKELIHOOD, lk, point.cell[0]), (Axis.IMPACT, im, point.cell[1]))
            if (sp := split(axis, dist, at)) is not None
        )
        spreads.append(Spread(risk, point, cells, tuple(bands), tuple(lk), tuple(im), (ml, mi), splits))
    counts = [float(x) for x in t.top_counts]
    while len(counts) > 1 and counts[-1] <= 0:
        counts.pop()
    top = rules.rating.bands[-1]
    return Simulation(
        exact,
        n,
        seed,
        ds,
        tuple(spreads),
        top,
        tuple(counts),
        max(0.0, 1.0 - counts[0]),
        sum(i * c for i, c in enumerate(counts)),
    )


def split(axis: Axis, dist: tuple[float, ...] | list[float], point: int) -> Split | None:
    """Two separated modes with the point score between them: the likeliest level below the point
    and the likeliest above it each hold at least ``SPLIT_MODE``, and the point's own level holds
    less than ``SPLIT_DIP`` of the smaller of them."""
    below, above = dist[: point - 1], dist[point:]
    if not below or not above:
        return None
    lo = max(range(len(below)), key=lambda i: (below[i], i)) + 1
    hi = max(range(len(above)), key=lambda i: (above[i], -i)) + point + 1
    p_lo, p_hi, p_at = dist[lo - 1], dist[hi - 1], dist[point - 1]
    if min(p_lo, p_hi) < SPLIT_MODE or p_at >= SPLIT_DIP * min(p_lo, p_hi):
        return None
    return Split(axis, lo, hi, point, p_lo, p_hi, p_at)


# --------------------------------------------------------------------------- one assumption at a time


@frozen(slots=True)
class Swing:
    """What moves when one assumption is set to holds (or to fails), against the current state."""

    holds: bool
    cells: tuple[str, ...]  # risks whose cell changes
    bands: tuple[str, ...]  # risks whose band changes
    shift: float  # total change of the unrounded likelihood × impact (signed)
    moved: float  # total size of those changes
    top: float | None = None  # P(at least one risk in the top band) — or P(the risk is) — with it set
    expected: float | None = None  # the expected number of risks in the top band with it set


def holding(reg: Register, state: State, assumption: str, holds: bool) -> State:
    """The state with one assumption known to hold (or to fail): ``--what-if A=holds``."""
    move = f"{assumption}={'holds' if holds else 'fails'}"
    return scoring.with_beliefs(reg, state, {assumption: 1.0 if holds else 0.0}, SetBy.WHAT_IF, move)


def swing(reg: Register, state: State, assumption: str, holds: bool, risks: Iterable[Risk] | None = None) -> Swing:
    """The point scores with one belief set to 1 (holds) or 0 (fails), as ``--what-if A=holds``
    shows them: hard evidence, which moves the assumptions linked to it too, and so the risks
    whose drivers name any of them."""
    after_state = holding(reg, state, assumption, holds)
    moved_beliefs = {
        a for a, b in after_state.beliefs.items() if abs(b - state.beliefs.get(a, b)) > 1e-12 or a == assumption
    }
    names = {r for a in moved_beliefs for r in reg.dependents.get(a, ())}
    pool = [r for r in (reg.risks if risks is None else risks) if r.id in names]
    cells, bands = [], []
    shift = moved = 0.0
    for r in pool:
        a, b = scoring.score_risk(reg, r, state), scoring.score_risk(reg, r, after_state)
        if a.cell != b.cell:
            cells.append(r.id)
        if a.band.id != b.band.id:
            bands.append(r.id)
        shift += b.score - a.score
        moved += abs(b.score - a.score)
    return Swing(holds, tuple(cells), tuple(bands), shift, moved)


@frozen(slots=True)
class Leverage:
    """One assumption's weight: what moves if it holds, and if it fails."""

    assumption: str
    belief: float
    holds: Swing
    fails: Swing

    @property
    def moved(self) -> float:
        return self.holds.moved + self.fails.moved


@frozen
class Sensitivity:
    risk: Risk | None  # one risk's sensitivity, or the register's (None)
    exact: bool
    trials: int
    seed: int | None
    top: Band
    now: float  # P(at least one risk in the top band), or P(the risk is), in the current state
    expected: float  # the expected number of risks in the top band in the current state
    rows: tuple[Leverage, ...]  # most load-bearing first


def _top_of(top_counts: Floats) -> tuple[float, float]:
    """P(at least one risk in the top band) and the expected number of them, from P(n of them)."""
    return max(0.0, 1.0 - float(top_counts[0])), float(sum(i * float(x) for i, x in enumerate(top_counts)))


def sensitivity(
    reg: Register,
    state: State,
    *,
    risk: Risk | None = None,
    trials: int = TRIALS,
    seed: int | None = None,
    exact: bool = False,
    progress: Progress | None = None,
) -> Sensitivity:
    """For each assumption, set to holds and to fails: the risks that change cell and band, the
    total L×I shift, and P(at least one risk in the top band) — or, for one risk, P(it is in the
    top band). Simulated runs share their random numbers, so differences are not noise. Ranked by
    the total L×I that moves (holds + fails), then band changes, then register order."""
    if exact:
        refuse_exact(reg, state, risk)
    elif trials < 1:
        raise UserError("--trials must be at least 1")
    pool = [risk] if risk is not None else list(reg.risks)
    base = draws(reg, state)
    # What can move the pool: its drivers' assumptions and every assumption linked to one of them
    # (evidence on any of a tree's assumptions informs the others).
    net = (state.evidence or scoring.evidence_of(reg, state)).net
    trees = {net.root[d.assumption] for r in pool for d in r.drivers if d.assumption in net.root}
    moving = [a.id for a in reg.assumptions if net.root[a.id] in trees]
    variants = {(a, holds): draws(reg, holding(reg, state, a, holds)) for a in moving for holds in (True, False)}
    engine: _Engine | None = None
    grouped: _Grouped | None = None
    if exact:
        grouped = _Grouped(reg, state, pool)
        sizes = [grouped.size(ds) for ds in (base, *variants.values())]
    else:
        engine = _Engine(_plan(reg, state, pool))
        sizes = [trials for _ in (base, *variants.values())]
    total, done = sum(sizes), 0
    tops: dict[tuple[str, bool] | None, tuple[float, float]] = {}
    if grouped is not None:
        for key, ds in ((None, base), *variants.items()):
            t = grouped.run(ds, cells=False, progress=progress, done=done, total=total)
            done += grouped.size(ds)
            tops[key] = _top_of(t.top_counts)
    else:  # common random numbers: drawn once, each variant redraws only the columns it changes
        assert engine is not None
        counts = engine.sweep(base, list(variants.values()), trials=trials, seed=seed, progress=progress)
        for key, c in zip((None, *variants), counts, strict=True):
            tops[key] = _top_of(c)
    now, expected = tops[None]
    rows = []
    for a in reg.assumptions:
        sides = []
        for holds in (True, False):
            sw = swing(reg, state, a.id, holds, pool)
            top, exp = tops[(a.id, holds)] if a.id in moving else (now, expected)
            sides.append(Swing(sw.holds, sw.cells, sw.bands, sw.shift, sw.moved, top, exp))
        rows.append(Leverage(a.id, state.beliefs.get(a.id, a.belief), sides[0], sides[1]))
    order = {a.id: i for i, a in enumerate(reg.assumptions)}
    rows.sort(
        key=lambda x: (
            -round(x.moved, 9),
            -(len(x.holds.bands) + len(x.fails.bands)),
            -(abs((x.holds.top or 0) - now) + abs((x.fails.top or 0) - now)),
            order[x.assumption],
        )
    )
    top_band = reg.rules.rating.bands[-1]
    return Sensitivity(risk, exact, sizes[0], None if exact else seed, top_band, now, expected, tuple(rows))


# --------------------------------------------------------------------------- coherence of linked beliefs
