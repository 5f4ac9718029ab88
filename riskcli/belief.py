"""One model of belief: the assumptions as a Bayesian network, and the evidence in it.

**The prior.** Each assumption holds or fails. One that the register links to another
(``given: {P: {holds: h, fails: f}}``) holds with probability h when P holds and f when P fails;
any other holds with its register belief. Each assumption has at most one parent and the register
forbids loops, so the links form trees. The prior marginal of a linked assumption is the one its
link implies (``p·h + (1−p)·f``): the register's levels are read at these beliefs.

**Evidence** is a likelihood factor on one assumption's state, φ(holds) / φ(fails) = e^λ, and all
of it is kept as log-odds:

- a signpost seen (or looked for and not seen) adds the log of its likelihood ratio to λ. A sum:
  the order of observations never matters. The counts of each observation are kept and summed in
  one fixed order, so any permutation gives the same λ to the last bit;
- a belief set — by ``assume``, a scenario, ``--what-if`` or a format-1 indicator's preset — is an
  observation of the assumption by Jeffrey's rule: the factor is chosen so that, with everything
  else in force, the assumption's posterior is the value set (beliefs set together are all met at
  once, by iterative proportional fitting). It replaces the assumption's own earlier evidence
  (which the value set already weighed) and, like any evidence, informs the assumptions linked to
  it by Bayes' rule. A value of 0 or 1 is hard evidence: the assumption stays there.

**The posterior** is P(x | E) ∝ Π_a P(x_a | x_parent(a)) · φ_a(x_a). Each tree is solved exactly by
belief propagation (one pass up, one down). A marginal moved only by soft evidence is kept within
[``EDGE``, 1 − ``EDGE``]; the bound is applied to the result, never along the way, so it brings no
order effect. When hard evidence contradicts a link that allows no exception (a conditional or a
belief of exactly 0 or 1), that tree's certain probabilities are read as ``LOOSE`` away from 0 and 1
(and the tree is marked), so the evidence holds instead of the arithmetic failing.

Pure: ids and numbers; no Rich, YAML or Typer.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING

from riskcli.model import BeliefSet, NotCounted, Outcome, SetBy, Tally
from riskcli.records import frozen

if TYPE_CHECKING:
    from riskcli.model import Indicator, Register

__all__ = ["BeliefSet", "NotCounted", "Outcome", "SetBy", "Tally"]  # the vocabulary lives in model

EDGE = 1e-9  # a belief moved by soft evidence stays this far from 0 and 1
LOOSE = 1e-12  # a contradicted certain probability is read this far from 0 or 1
_CAP = 700.0  # |λ| beyond this is treated as this in the arithmetic (e^700 is finite)
_FIT = 1e-13  # beliefs set together are met to this
_FIT_ROUNDS = 1000


@frozen(slots=True)
class Influence:
    """Evidence on one assumption (``on``) that bears on another through the links (``path``: from
    ``on`` to the other, e.g. (A14, A7) for A14 given A7; empty when it is the assumption's own)."""

    on: str
    path: tuple[str, ...]
    belief_set: BeliefSet | None
    tallies: tuple[Tally, ...]


# --------------------------------------------------------------------------- the network


@frozen
class Net:
    """The assumptions as a Bayesian network: each tree of links, its priors and conditionals."""

    ids: tuple[str, ...]  # register order
    prior: Mapping[str, float]  # a root's P(holds) (a linked assumption's own belief is not used)
    parent: Mapping[str, str]  # a linked assumption -> its parent
    cpt: Mapping[str, tuple[float, float]]  # a linked assumption -> (P(holds | parent fails), P(holds | parent holds))
    children: Mapping[str, tuple[str, ...]]
    root: Mapping[str, str]  # each assumption -> the root of its tree
    trees: Mapping[str, tuple[str, ...]]  # root -> its nodes, parents before children
    marginal: Mapping[str, float]  # the prior marginals: the register's baseline beliefs

    def tree_of(self, a: str) -> tuple[str, ...]:
        return self.trees[self.root[a]]

    def path(self, src: str, dst: str) -> tuple[str, ...]:
        """The assumptions on the links from ``src`` to ``dst`` in one tree, both ends included."""
        up_src = self._up(src)
        up_dst = self._up(dst)
        common = next(x for x in up_src if x in set(up_dst))
        return (*up_src[: up_src.index(common) + 1], *reversed(up_dst[: up_dst.index(common)]))

    def _up(self, a: str) -> list[str]:
        out = [a]
        while out[-1] in self.parent:
            out.append(self.parent[out[-1]])
        return out


def network(reg: Register) -> Net:
    """The register's assumptions as a network (a link to an unknown assumption, or one in a loop,
    is read as no link: the register's validation reports both)."""
    by_id = reg.assumption_by_id
    parent: dict[str, str] = {}
    cpt: dict[str, tuple[float, float]] = {}
    for a in reg.assumptions:
        g = a.given
        if g is None or g.parent not in by_id or g.parent == a.id:
            continue
        at, seen = g.parent, {a.id}
        while at in by_id and at not in seen:
            seen.add(at)
            up = by_id[at].given
            at = up.parent if up is not None else ""
        if at in seen:  # a loop
            continue
        parent[a.id] = g.parent
        cpt[a.id] = (g.fails, g.holds)
    children: dict[str, list[str]] = {a.id: [] for a in reg.assumptions}
    for c, p in parent.items():
        children[p].append(c)
    root: dict[str, str] = {}
    trees: dict[str, tuple[str, ...]] = {}
    for a in reg.assumptions:
        if a.id in parent:
            continue
        order, i = [a.id], 0
        while i < len(order):
            order.extend(children[order[i]])
            i += 1
        trees[a.id] = tuple(order)
        for n in order:
            root[n] = a.id
    return Net(
        tuple(x.id for x in reg.assumptions),
        {x.id: x.belief for x in reg.assumptions},
        parent,
        cpt,
        {k: tuple(v) for k, v in children.items()},
        root,
        trees,
        reg.baseline_beliefs,
    )


# --------------------------------------------------------------------------- evidence


def logit(p: float) -> float:
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    """1 / (1 + e^−x), without overflow."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(max(x, -_CAP))
    return e / (1.0 + e)


def _phi(lam: float) -> tuple[float, float]:
    """The factor (φ(fails), φ(holds)) of log-odds λ, the larger of the two 1."""
    if lam == math.inf:
        return 0.0, 1.0
    if lam == -math.inf:
        return 1.0, 0.0
    lam = max(-_CAP, min(_CAP, lam))
    return (math.exp(-lam), 1.0) if lam >= 0 else (1.0, math.exp(lam))


def _bound(p0: float, p1: float) -> float:
    """P(holds) from the pair, kept within [EDGE, 1 − EDGE] unless one side is exactly impossible."""
    if p0 <= 0.0:
        return 1.0
    if p1 <= 0.0:
        return 0.0
    return min(1.0 - EDGE, max(EDGE, p1 / (p0 + p1)))


def _loose(p: float) -> float:
    return min(1.0 - LOOSE, max(LOOSE, p))


class Infeasible(Exception):
    """Evidence the links make impossible (inside this module only: the tree is then loosened)."""


@frozen(slots=True)
class TreeDraw:
    """How a posterior draw goes for one assumption: its marginal, and given its parent's state."""

    assumption: str
    belief: float  # P(holds | E)
    parent: str | None
    holds: float | None  # P(holds | parent holds, E)
    fails: float | None  # P(holds | parent fails, E)


class Evidence:
    """The evidence in force and the posterior marginals it gives (``beliefs``).

    Mutable for the replay's sake — a journal folds thousands of events into one — and copied
    (``copy``) before any hypothetical change: a ``State`` never sees its evidence change."""

    __slots__ = ("beliefs", "counts", "lams", "ledger", "loose", "net", "offset", "post", "sets")

    def __init__(self, net: Net) -> None:
        self.net = net
        self.offset: dict[str, float] = {}  # log-odds from the last belief set (absent: 0)
        self.counts: dict[str, dict[tuple[str, Outcome, float], int]] = {}  # (indicator, outcome, ratio) -> n
        self.lams: dict[str, float] = {}  # λ of the assumptions with evidence (offset + counts), kept current
        self.sets: dict[str, tuple[float, SetBy, str]] = {}  # the last belief set: value, by what, its ref
        self.loose: set[str] = set()  # roots of trees whose certain probabilities are loosened
        self.beliefs: dict[str, float] = dict(net.marginal)
        self.post: dict[str, tuple[float, float]] = {}  # a linked assumption's exact posterior, when it has evidence
        self.ledger: Ledger | None = None  # which journal observations count (none: no journal)

    def copy(self) -> Evidence:
        e = Evidence.__new__(Evidence)
        e.net = self.net
        e.offset = dict(self.offset)
        e.counts = {a: dict(c) for a, c in self.counts.items()}
        e.lams = dict(self.lams)
        e.sets = dict(self.sets)
        e.loose = set(self.loose)
        e.beliefs = dict(self.beliefs)
        e.post = dict(self.post)
        e.ledger = self.ledger.copy() if self.ledger is not None else None
        return e

    @property
    def empty(self) -> bool:
        return not self.lams

    # ----------------------------------------------------------------- log-odds

    def lam(self, a: str) -> float:
        """The assumption's own log-odds factor: its last belief set plus the observations counted
        since, summed in one fixed order."""
        return self.lams.get(a, 0.0)

    def _relam(self, a: str) -> None:
        total = self.offset.get(a, 0.0)
        c = self.counts.get(a)
        if c:
            for key in sorted(c):
                total += c[key] * math.log(key[2])
        if total or a in self.offset or c:
            self.lams[a] = total
        else:
            self.lams.pop(a, None)

    def observe(self, a: str, indicator: str, outcome: Outcome, ratio: float) -> None:
        """Count one observation of a signpost on an assumption (likelihood ratio ``ratio``)."""
        if a not in self.net.root or ratio == 1.0:
            return
        mine = self.counts.setdefault(a, {})
        key = (indicator, outcome, ratio)
        mine[key] = mine.get(key, 0) + 1
        self._relam(a)
        self._settle(self.net.root[a])

    # ----------------------------------------------------------------- beliefs set

    def assume(self, a: str, v: float, by: SetBy, ref: str) -> None:
        """One belief set (``set`` with one target, for the replay's sake: thousands of them)."""
        root = self.net.root.get(a)
        if root is None:
            return
        self.sets[a] = (v, by, ref)
        if root in self.loose or not self._set_one(a, v, root):
            self.set({a: v}, by, ref)

    def set(self, targets: Mapping[str, float], by: SetBy, ref: str) -> None:
        """Set beliefs together (Jeffrey's rule; several at once by iterative proportional fitting):
        each assumption named ends at its value, and informs those linked to it."""
        root_of = self.net.root
        if len(targets) == 1:
            ((a, v),) = targets.items()
            root = root_of.get(a)
            if root is None:
                return
            v = float(v)
            self.sets[a] = (v, by, ref)
            if root not in self.loose and self._set_one(a, v, root):
                return
            targets = {a: v}
        else:
            targets = {a: float(v) for a, v in targets.items() if a in root_of}
            for a, v in targets.items():
                self.sets[a] = (v, by, ref)
        roots = list(dict.fromkeys(root_of[a] for a in targets))
        for root in roots:
            mine = {a: v for a, v in targets.items() if self.net.root[a] == root}
            try:
                self._fit(root, mine)
            except Infeasible:
                self.loose.add(root)
                self._fit(root, mine)
            for a, v in mine.items():
                self.beliefs[a] = v  # met to _FIT; shown as set

    def _set_one(self, a: str, v: float, root: str) -> bool:
        """One belief set, the common case, without fitting: Jeffrey's rule in closed form. False
        when it needs the general path (a certain prior or posterior, hard evidence in a tree)."""
        nodes = self.net.trees[root]
        if len(nodes) == 1:
            prior = self.net.prior[a]
            if not 0.0 < prior < 1.0:
                return False
            self.counts.pop(a, None)
            lam = math.inf if v == 1.0 else -math.inf if v == 0.0 else logit(v) - logit(prior)
            self.offset[a] = lam
            self.lams[a] = lam
            self.beliefs[a] = v
            return True
        if not 0.0 < v < 1.0:
            return False
        before = self.lams.get(a, 0.0)
        p = self.post.get(a)
        if p is None:  # no evidence in the tree: its posterior is the prior
            m = self.net.marginal[a]
            p = (1.0 - m, m)
        p0, p1 = p
        if not (p0 > 0.0 and p1 > 0.0 and -_CAP < before < _CAP):
            return False
        # Its posterior odds are its own factor times the rest's, so without its own factor the
        # log-odds are log(p1 / p0) − λ before.
        self.counts.pop(a, None)
        lam = logit(v) - (math.log(p1) - math.log(p0) - before)
        self.offset[a] = lam
        self.lams[a] = lam
        post = self._solve(root)  # soft evidence on a tree that allowed it: never infeasible
        self.post.update(post)
        beliefs = self.beliefs
        for n, (q0, q1) in post.items():
            beliefs[n] = min(1.0 - EDGE, max(EDGE, q1 / (q0 + q1))) if q0 > 0.0 and q1 > 0.0 else float(q0 <= 0.0)
        beliefs[a] = v
        return True

    def _set_lam(self, a: str, lam: float) -> None:
        self.offset[a] = lam
        self.lams[a] = lam

    def _fit(self, root: str, targets: Mapping[str, float]) -> None:
        before = {a: self.lams.get(a, 0.0) for a in targets}
        for a in targets:
            self.offset.pop(a, None)
            self.counts.pop(a, None)
            self.lams.pop(a, None)
        hard = {a: v for a, v in targets.items() if v in (0.0, 1.0)}
        soft = {a: v for a, v in targets.items() if a not in hard}
        for a, v in hard.items():
            self._set_lam(a, math.inf if v == 1.0 else -math.inf)
        if len(self.net.trees[root]) == 1:
            (a,) = targets
            if a in soft:
                prior = self._prior(root)
                if prior in (0.0, 1.0):
                    raise Infeasible
                self._set_lam(a, logit(soft[a]) - logit(prior))
            elif self._prior(root) == (0.0 if hard[a] == 1.0 else 1.0):
                raise Infeasible
            self._settle(root)
            return
        if len(soft) == 1 and not hard and root not in self.loose:
            ((a, v),) = soft.items()
            m = self.net.marginal[a]
            p0, p1 = self.post.get(a, (1.0 - m, m))
            if p0 > 0.0 and p1 > 0.0 and abs(before[a]) < _CAP:
                # Its posterior odds are its own factor times the rest's, so without its own (the
                # stored posterior still has it): logit = log(p1 / p0) − λ before.
                self._set_lam(a, logit(v) - (math.log(p1) - math.log(p0) - before[a]))
                self._settle(root)
                return
        for _ in range(_FIT_ROUNDS):
            worst = 0.0
            for a, v in soft.items():
                self._set_lam(a, 0.0)
                post = self._solve(root)
                p0, p1 = post[a]
                if p0 <= 0.0 or p1 <= 0.0:
                    raise Infeasible
                self._set_lam(a, logit(v) - (math.log(p1) - math.log(p0)))
            if len(soft) <= 1:
                break  # one belief set: Jeffrey's rule is exact in one step (its odds scale with its own factor)
            post = self._solve(root)
            for a, v in soft.items():
                worst = max(worst, abs(post[a][1] - v))
            if worst <= _FIT:
                break
        self._settle(root)

    # ----------------------------------------------------------------- the posterior

    def _prior(self, root: str) -> float:
        p = self.net.prior[root]
        return _loose(p) if root in self.loose else p

    def _cpt(self, a: str, root: str) -> tuple[float, float]:
        f, h = self.net.cpt[a]
        return (_loose(f), _loose(h)) if root in self.loose else (f, h)

    def _settle(self, root: str) -> None:
        """Recompute the marginals of one tree into ``beliefs``."""
        nodes = self.net.trees[root]
        if len(nodes) == 1:
            a = nodes[0]
            prior = self._prior(root)
            lam = self.lam(a)
            if prior in (0.0, 1.0) or lam in (math.inf, -math.inf):
                z0, z1 = (1.0 - prior) * _phi(lam)[0], prior * _phi(lam)[1]
                if z0 + z1 <= 0.0:
                    self.loose.add(root)
                    self._settle(root)
                    return
                self.beliefs[a] = _bound(z0, z1)
                return
            if lam == 0.0:
                self.beliefs[a] = self.net.marginal[a] if root not in self.loose else prior
                return
            self.beliefs[a] = min(1.0 - EDGE, max(EDGE, sigmoid(logit(prior) + lam)))
            return
        if all(n not in self.lams for n in nodes) and root not in self.loose:
            for n in nodes:
                self.beliefs[n] = self.net.marginal[n]
                self.post.pop(n, None)
            return
        try:
            post = self._solve(root)
        except Infeasible:
            self.loose.add(root)
            post = self._solve(root)
        self.post.update(post)
        for n, (p0, p1) in post.items():
            self.beliefs[n] = _bound(p0, p1)

    def _up(self, root: str, clamp: Mapping[str, bool] | None = None) -> tuple[dict[str, tuple[float, float]], float]:
        """Messages up the tree: each node's (m(fails), m(holds)) from its own evidence and its
        subtree, normalised; and the log of the scale taken out."""
        net, lams = self.net, self.lams
        children, cpt, loose = net.children, net.cpt, root in self.loose
        m: dict[str, tuple[float, float]] = {}
        log_scale = 0.0
        for n in reversed(net.trees[root]):
            lam = lams.get(n, 0.0)
            f0, f1 = (1.0, 1.0) if lam == 0.0 else _phi(lam)
            if clamp is not None and n in clamp:
                f0, f1 = (0.0, f1) if clamp[n] else (f0, 0.0)
            for c in children[n]:
                c0, c1 = m[c]
                qf, qh = cpt[c]
                if loose:
                    qf, qh = _loose(qf), _loose(qh)
                f0 *= (1.0 - qf) * c0 + qf * c1
                f1 *= (1.0 - qh) * c0 + qh * c1
            s = f0 + f1
            if s <= 0.0:
                raise Infeasible
            m[n] = (f0 / s, f1 / s)
            if s != 1.0:
                log_scale += math.log(s)
        return m, log_scale

    def _solve(self, root: str) -> dict[str, tuple[float, float]]:
        """Each node's posterior (P(fails | E), P(holds | E)); Infeasible if E is impossible."""
        if root not in self.loose:
            return self._solve_fast(root)
        m, _ = self._up(root)
        prior = self._prior(root)
        z0, z1 = (1.0 - prior) * m[root][0], prior * m[root][1]
        if z0 + z1 <= 0.0:
            raise Infeasible
        post = {root: (z0 / (z0 + z1), z1 / (z0 + z1))}
        parent, cpt, loose = self.net.parent, self.net.cpt, root in self.loose
        for n in self.net.trees[root][1:]:
            qf, qh = cpt[n]
            if loose:
                qf, qh = _loose(qf), _loose(qh)
            c0, c1 = m[n]
            w1, w0 = qf * c1, (1.0 - qf) * c0
            gf = w1 / (w0 + w1) if w0 + w1 > 0.0 else qf
            w1, w0 = qh * c1, (1.0 - qh) * c0
            gh = w1 / (w0 + w1) if w0 + w1 > 0.0 else qh
            p0, p1 = post[parent[n]]
            post[n] = (p0 * (1.0 - gf) + p1 * (1.0 - gh), p0 * gf + p1 * gh)
        return post

    def _solve_fast(self, root: str) -> dict[str, tuple[float, float]]:
        """``_solve`` for a tree read as the register gives it: the same arithmetic, fewer lookups."""
        net, lams = self.net, self.lams
        children, cpt, parent = net.children, net.cpt, net.parent
        nodes = net.trees[root]
        m: dict[str, tuple[float, float]] = {}
        for n in reversed(nodes):
            lam = lams.get(n, 0.0)
            f0, f1 = (1.0, 1.0) if lam == 0.0 else _phi(lam)
            for c in children[n]:
                c0, c1 = m[c]
                qf, qh = cpt[c]
                f0 *= (1.0 - qf) * c0 + qf * c1
                f1 *= (1.0 - qh) * c0 + qh * c1
            t = f0 + f1
            if t <= 0.0:
                raise Infeasible
            m[n] = (f0 / t, f1 / t)
        prior = net.prior[root]
        r0, r1 = m[root]
        z0, z1 = (1.0 - prior) * r0, prior * r1
        z = z0 + z1
        if z <= 0.0:
            raise Infeasible
        post = {root: (z0 / z, z1 / z)}
        for i in range(1, len(nodes)):
            n = nodes[i]
            qf, qh = cpt[n]
            c0, c1 = m[n]
            w1, w0 = qf * c1, (1.0 - qf) * c0
            gf = w1 / (w0 + w1) if w0 + w1 > 0.0 else qf
            w1, w0 = qh * c1, (1.0 - qh) * c0
            gh = w1 / (w0 + w1) if w0 + w1 > 0.0 else qh
            p0, p1 = post[parent[n]]
            post[n] = (p0 * (1.0 - gf) + p1 * (1.0 - gh), p0 * gf + p1 * gh)
        return post

    def _given(self, n: str, root: str, m: Mapping[str, tuple[float, float]]) -> tuple[float, float]:
        """P(n holds | parent fails, E), P(n holds | parent holds, E): the conditional times the
        evidence in n's subtree (an unreachable parent state keeps the prior conditional)."""
        qf, qh = self._cpt(n, root)
        c0, c1 = m[n]
        out = []
        for q in (qf, qh):
            w1, w0 = q * c1, (1.0 - q) * c0
            out.append(w1 / (w0 + w1) if w0 + w1 > 0.0 else q)
        return out[0], out[1]

    def draws(self) -> dict[str, TreeDraw]:
        """How each assumption is drawn from the posterior: roots by their marginal, a linked one
        given its parent's draw."""
        out: dict[str, TreeDraw] = {}
        for root, nodes in self.net.trees.items():
            if len(nodes) == 1:
                out[root] = TreeDraw(root, self.beliefs[root], None, None, None)
                continue
            if root in self.loose or any(n in self.lams for n in nodes):
                m, _ = self._up(root)
            else:
                m = dict.fromkeys(nodes, (0.5, 0.5))
            out[root] = TreeDraw(root, self.beliefs[root], None, None, None)
            for n in nodes[1:]:
                fails, holds = self._given(n, root, m)
                out[n] = TreeDraw(n, self.beliefs[n], self.net.parent[n], holds, fails)
        return out

    def joint(self, nodes: Iterable[str]) -> list[tuple[dict[str, bool], float]]:
        """The posterior probability of every combination of states of some assumptions of one tree
        (those with probability zero left out)."""
        nodes = list(nodes)
        if not nodes:
            return [({}, 1.0)]
        root = self.net.root[nodes[0]]
        if len(nodes) == 1:  # its belief is its marginal, linked or not
            b = self.beliefs[nodes[0]]
            return [(s, p) for s, p in (({nodes[0]: False}, 1.0 - b), ({nodes[0]: True}, b)) if p > 0.0]
        m, base = self._up(root)
        prior = self._prior(root)
        zall = math.log((1.0 - prior) * m[root][0] + prior * m[root][1]) + base
        out = []
        for code in range(1 << len(nodes)):
            states = {a: bool((code >> j) & 1) for j, a in enumerate(nodes)}
            try:
                mc, scale = self._up(root, states)
            except Infeasible:
                continue
            z = (1.0 - prior) * mc[root][0] + prior * mc[root][1]
            if z > 0.0:
                out.append((states, math.exp(math.log(z) + scale - zall)))
        return out

    # ----------------------------------------------------------------- what moved a belief

    def influences(self, a: str) -> tuple[Influence, ...]:
        """The evidence in force on the assumption and on every assumption linked to it."""
        if a not in self.net.root:
            return ()
        out = []
        for n in self.net.tree_of(a):
            bs, c = self.sets.get(n), self.counts.get(n)
            if bs is None and not c:
                continue
            tallies = tuple(Tally(ind, o, n_, r) for (ind, o, r), n_ in sorted((c or {}).items()))
            found = BeliefSet(*bs) if bs is not None else None
            out.append(Influence(n, () if n == a else self.net.path(n, a), found, tallies))
        out.sort(key=lambda x: (len(x.path), self.net.ids.index(x.on)))
        return tuple(out)


# --------------------------------------------------------------------------- counted once


@frozen(slots=True)
class Observed:
    """One observation as the replay read it: what it was, and whether it counts."""

    indicator: str
    outcome: Outcome
    line: int
    id: str
    at: str
    on: str | None  # the day it is about: --on, else the day it was recorded (YYYY-MM-DD)
    source: str | None
    ref: str | None
    counted: bool
    not_counted: NotCounted | None = None
    first: int | None = None  # the line of the observation it repeats (REF, WINDOW)
    window: tuple[str, str] | None = None  # an absence's review window: first and last day


def review_window(day: date, origin: date, every: int) -> tuple[int, date, date]:
    """The review window a day falls in: windows of ``every`` days from ``origin``."""
    k = (day - origin).days // every
    start = origin + timedelta(days=k * every)
    return k, start, start + timedelta(days=every - 1)


def window_origin(reg: Register) -> date:
    """Review windows are counted from the register's as_of date (else 1970-01-01)."""
    try:
        return date.fromisoformat(reg.as_of[:10]) if reg.as_of else date(1970, 1, 1)
    except ValueError:
        return date(1970, 1, 1)


class Ledger:
    """Which observations count: the same indicator and reference once; an absence once per review
    window. Mutable for the replay; copied with the state's evidence."""

    __slots__ = ("by_indicator", "origin", "refs", "windows")

    def __init__(self, origin: date) -> None:
        self.origin = origin
        self.refs: dict[tuple[str, str], int] = {}  # (indicator, ref) -> line counted
        self.windows: dict[tuple[str, int], int] = {}  # (indicator, window) -> line counted
        self.by_indicator: dict[str, list[Observed]] = {}

    def copy(self) -> Ledger:
        out = Ledger(self.origin)
        out.refs, out.windows = dict(self.refs), dict(self.windows)
        out.by_indicator = {k: list(v) for k, v in self.by_indicator.items()}
        return out

    def decide(
        self,
        ind: Indicator,
        outcome: Outcome,
        *,
        every: int,
        line: int,
        ident: str,
        at: str,
        on: str | None,
        source: str | None,
        ref: str | None,
    ) -> Observed:
        """Whether an observation counts, and the record of it (kept for ``indicators`` and ``explain``)."""
        day_text = on or (at[:10] if len(at) >= 10 else None)
        if day_text is not None and (len(day_text) != 10 or day_text[4] != "-" or day_text[7] != "-"):
            day_text = None
        day: date | None = None
        if outcome is Outcome.ABSENT and day_text is not None:  # only an absence needs its window
            try:
                day = date.fromisoformat(day_text)
            except ValueError:
                day_text = None
        window: tuple[str, str] | None = None
        why: NotCounted | None = None
        first: int | None = None
        if outcome is Outcome.NONE:
            why = NotCounted.REVIEW
        elif ref is not None and (ind.id, ref) in self.refs:
            why, first = NotCounted.REF, self.refs[(ind.id, ref)]
        elif outcome is Outcome.ABSENT and day is not None:
            k, start, end = review_window(day, self.origin, every)
            window = (start.isoformat(), end.isoformat())
            if (ind.id, k) in self.windows:
                why, first = NotCounted.WINDOW, self.windows[(ind.id, k)]
            else:
                self.windows[(ind.id, k)] = line
        if why is None and ref is not None:
            self.refs[(ind.id, ref)] = line
        seen = Observed(
            ind.id,
            outcome,
            line,
            ident,
            at,
            day_text,
            source,
            ref,
            why is None,
            why,
            first,
            window,
        )
        self.by_indicator.setdefault(ind.id, []).append(seen)
        return seen
