"""Scoring the track record (DESIGN §4 "Track record"): how good were the judgements of the items
that have been resolved?

**Judgements.** A risk's likelihood is judged by the register's baseline (on its ``as_of``) and by
every analyst score (``score``) of it; an assumption's belief by the baseline and every belief set
(``assume``). A judgement counts if it was made before the day the item was resolved (its ``on``);
it is in force from the day it was made until the next judgement or the resolution. A likelihood
level is scored at the midpoint of its probability band (the levels of the scale in force); a
belief as given. The outcome is 1 when the register's statement came true (the risk occurred, the
assumption held), else 0.

**Scores** (lower is better). Brier: (p − o)². Log: −ln(p) if it came true, −ln(1 − p) if not,
with p kept within [0.001, 0.999] so that one certain judgement proved wrong is a large, finite
loss. Each item's score is averaged over the life of the judgements in force (weighted by days), and
taken at fixed lead times — the judgement in force 30, 90 and 180 days before the resolution.

**Forecasters.** ``overall``: the latest judgement of anyone (the register's own track); each
analyst: their own judgements, from their first on the item; ``baseline``: the register as
written; ``base rate``: always saying the share of resolved items of each kind that came true (a
forecaster with no knowledge of the item, scored in sample).

**Reliability.** The judgement in force at resolution of every resolved item, grouped by the
likelihood band it falls in: how many, how many came true, the observed frequency and its Wilson
95% interval beside the band.

**Signposts.** For each signpost bearing on a resolved assumption: how often it was seen (sightings
recorded before the resolution) when the assumption held, and when it failed, beside the ratio the
register claims for a sighting.

Pure: numbers, dates, ids.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from riskcli.horizons import day_of as day
from riskcli.model import Event, Level, Register, Resolvable, Resolved
from riskcli.records import frozen

LEADS = (30, 90, 180)  # days before resolution
EPSILON = 0.001  # the log score's bound on p
Z = 1.959963984540054  # the 95% two-sided normal quantile (Wilson interval)


@frozen(slots=True)
class Judgement:
    """One probability given for a resolved item: by whom (None: the register's baseline), from when."""

    kind: Resolvable
    item: str
    by: str | None
    start: date
    p: float
    event: str | None  # the journal event's id (None: the baseline)


@frozen(slots=True)
class Scored:
    """One forecaster's judgements of one item, scored: averaged over their life and at each lead."""

    kind: Resolvable
    item: str
    forecaster: str  # "overall", "baseline", "base rate", or an analyst
    outcome: int
    brier: float
    log: float
    at_lead: tuple[float | None, ...]  # the Brier score of the judgement in force at each of LEADS
    judgements: int


@frozen(slots=True)
class Summary:
    """A forecaster's scores over the items it judged."""

    forecaster: str
    items: int
    judgements: int
    brier: float
    log: float
    at_lead: tuple[tuple[int, float | None], ...]  # per lead: items with a judgement then, their mean Brier


@frozen(slots=True)
class Reliability:
    level: int  # the likelihood band's level
    low: float
    high: float
    count: int
    came_true: int
    mean_forecast: float | None
    observed: float | None
    interval: tuple[float, float] | None  # Wilson 95%


@frozen(slots=True)
class SignpostCheck:
    indicator: str
    assumption: str
    outcome: int  # 1: it held
    seen: int  # sightings recorded before the resolution
    absent: int  # reviews that found it absent
    claimed_seen: float  # the register's P(seen | holds) / P(seen | fails)
    claimed_absent: float


@frozen(slots=True)
class SignpostSummary:
    indicator: str
    held: int  # resolved assumptions it bears on that held …
    held_seen: int  # … and of them, those on which it was seen
    failed: int
    failed_seen: int
    observed_ratio: float | None  # (held_seen/held) / (failed_seen/failed), where both are defined and nonzero


@frozen(slots=True)
class Record:
    resolved: tuple[Resolved, ...]
    items: tuple[Scored, ...]
    summaries: tuple[Summary, ...]
    reliability: tuple[Reliability, ...]
    signposts: tuple[SignpostCheck, ...]
    signpost_summaries: tuple[SignpostSummary, ...]
    base_rates: tuple[tuple[Resolvable, float], ...]


# --------------------------------------------------------------------------- scores


def brier(p: float, o: int) -> float:
    return (p - o) ** 2


def log_score(p: float, o: int) -> float:
    q = min(max(p, EPSILON), 1.0 - EPSILON)
    return -math.log(q if o else 1.0 - q)


def wilson(k: int, n: int, z: float = Z) -> tuple[float, float]:
    """The Wilson score interval of a proportion k/n."""
    if n == 0:
        raise ValueError("no trials")
    phat = k / n
    denom = 1 + z * z / n
    centre = (phat + z * z / (2 * n)) / denom
    half = z * math.sqrt(phat * (1 - phat) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def midpoint(level: Level) -> float:
    """A likelihood level's probability: the midpoint of its band."""
    if level.low is None or level.high is None:
        raise ValueError(f"likelihood level {level.value} has no probability band")
    return (level.low + level.high) / 2


def level_p(reg: Register, value: float) -> float:
    """A likelihood (a level, perhaps unrounded) as a probability: its nearest level's midpoint."""
    levels = reg.rules.likelihood.levels
    k = min(max(math.floor(value + 0.5), 1), len(levels))
    return midpoint(levels[k - 1])


# --------------------------------------------------------------------------- judgements


def judgements(
    reg: Register, events: Iterable[Event], resolved: Mapping[tuple[Resolvable, str], Resolved]
) -> dict[tuple[Resolvable, str], list[Judgement]]:
    """Every judgement of every resolved item made before it was resolved, oldest first (the
    baseline first). ``events``: those in force, in the order replay folds them."""
    events = list(events)
    first = next((d for ev in events if (d := day(ev.at)) is not None), None)
    origin = day(reg.as_of) or first
    out: dict[tuple[Resolvable, str], list[Judgement]] = {}
    for key, r in resolved.items():
        on = date.fromisoformat(r.on)
        start = min(origin, on) if origin is not None else on
        if r.kind is Resolvable.RISK:
            risk = reg.risk_by_id.get(r.item)
            if risk is None:
                continue
            out[key] = [Judgement(r.kind, r.item, None, start, level_p(reg, risk.likelihood), None)]
        else:
            a = reg.assumption_by_id.get(r.item)
            if a is None:
                continue
            out[key] = [Judgement(r.kind, r.item, None, start, a.belief, None)]
    for ev in events:
        kind = ev.kind
        if kind == "score":
            key = (Resolvable.RISK, ev.data["risk"])
        elif kind == "belief":
            key = (Resolvable.ASSUMPTION, ev.data["assumption"])
        else:
            continue
        held = out.get(key)
        when = day(ev.at)
        if held is None or when is None or when >= date.fromisoformat(resolved[key].on):
            continue
        p = level_p(reg, float(ev.data["likelihood"])) if kind == "score" else float(ev.data["belief"])
        held.append(Judgement(key[0], key[1], ev.by, when, p, ev.id))
    for js in out.values():
        js[1:] = sorted(js[1:], key=lambda j: j.start)
    return out


def _in_force(js: Sequence[Judgement], on: date) -> Judgement | None:
    """The latest judgement made on or before a day."""
    found = None
    for j in js:
        if j.start <= on:
            found = j
    return found


def score_track(js: Sequence[Judgement], o: int, end: date, kind: Resolvable, item: str, who: str) -> Scored:
    """A sequence of judgements (oldest first), each in force until the next, scored against the
    outcome: averaged over their life (by days) until ``end``, and at each lead time."""
    total = b = lg = 0.0
    for i, j in enumerate(js):
        until = js[i + 1].start if i + 1 < len(js) else end
        days = float((until - j.start).days)
        if days <= 0:
            continue
        total += days
        b += days * brier(j.p, o)
        lg += days * log_score(j.p, o)
    if total == 0:  # judged only on the day it was resolved (or a day apart): the last judgement
        b, lg, total = brier(js[-1].p, o), log_score(js[-1].p, o), 1.0
    leads = []
    for lead in LEADS:
        then = _in_force(js, date.fromordinal(end.toordinal() - lead))
        leads.append(brier(then.p, o) if then is not None else None)
    return Scored(kind, item, who, o, b / total, lg / total, tuple(leads), len(js))


# --------------------------------------------------------------------------- the record


def record(reg: Register, events: Sequence[Event], resolved: Mapping[tuple[Resolvable, str], Resolved]) -> Record:
    """The track record of every resolved item: each forecaster's scores, the reliability table
    and the signposts' check."""
    found = judgements(reg, events, resolved)
    place = {(Resolvable.RISK, r.id): i for i, r in enumerate(reg.risks)}
    place.update({(Resolvable.ASSUMPTION, a.id): len(place) + i for i, a in enumerate(reg.assumptions)})
    found = {k: found[k] for k in sorted(found, key=lambda k: place.get(k, -1))}
    outcomes = {key: int(resolved[key].outcome.came_true) for key in found}
    rates: dict[Resolvable, float] = {}
    for kind in Resolvable:
        os_ = [o for (k, _), o in outcomes.items() if k is kind]
        if os_:
            rates[kind] = sum(os_) / len(os_)
    items: list[Scored] = []
    for key, js in found.items():
        kind, item = key
        o, end = outcomes[key], date.fromisoformat(resolved[key].on)
        items.append(score_track(js, o, end, kind, item, "overall"))
        items.append(score_track(js[:1], o, end, kind, item, "baseline"))
        rate = Judgement(kind, item, None, js[0].start, rates[kind], None)
        items.append(score_track([rate], o, end, kind, item, "base rate"))
        for who in sorted({j.by for j in js[1:] if j.by is not None}):
            own = [j for j in js[1:] if j.by == who]
            items.append(score_track(own, o, end, kind, item, who))
    order = {"overall": 0, "baseline": 1, "base rate": 2}
    names = sorted({x.forecaster for x in items}, key=lambda w: (order.get(w, 3), w))
    summaries = tuple(_summary(w, [x for x in items if x.forecaster == w]) for w in names)
    return Record(
        tuple(resolved[k] for k in found),
        tuple(items),
        summaries,
        reliability(reg, found, outcomes, resolved),
        *signposts(reg, events, resolved),
        tuple(rates.items()),
    )


def _summary(who: str, xs: Sequence[Scored]) -> Summary:
    leads = []
    for i in range(len(LEADS)):
        got = [x.at_lead[i] for x in xs if x.at_lead[i] is not None]
        leads.append((len(got), sum(v for v in got if v is not None) / len(got) if got else None))
    return Summary(
        who,
        len(xs),
        sum(x.judgements for x in xs),
        sum(x.brier for x in xs) / len(xs),
        sum(x.log for x in xs) / len(xs),
        tuple(leads),
    )


def band_of(reg: Register, p: float) -> Level:
    """The likelihood level whose band holds a probability (a band's upper edge belongs to the next)."""
    levels = reg.rules.likelihood.levels
    for lv in levels:
        if lv.high is not None and p < lv.high:
            return lv
    return levels[-1]


def reliability(
    reg: Register,
    found: Mapping[tuple[Resolvable, str], Sequence[Judgement]],
    outcomes: Mapping[tuple[Resolvable, str], int],
    resolved: Mapping[tuple[Resolvable, str], Resolved],
) -> tuple[Reliability, ...]:
    """The judgement in force at each resolution, by the likelihood band it falls in."""
    groups: dict[int, list[tuple[float, int]]] = {}
    for key, js in found.items():
        last = _in_force(js, date.fromisoformat(resolved[key].on)) or js[0]
        groups.setdefault(band_of(reg, last.p).value, []).append((last.p, outcomes[key]))
    rows = []
    for lv in reg.rules.likelihood.levels:
        if lv.low is None or lv.high is None:
            continue
        g = groups.get(lv.value, [])
        n, k = len(g), sum(o for _, o in g)
        rows.append(
            Reliability(
                lv.value,
                lv.low,
                lv.high,
                n,
                k,
                sum(p for p, _ in g) / n if n else None,
                k / n if n else None,
                wilson(k, n) if n else None,
            )
        )
    return tuple(rows)


def signposts(
    reg: Register, events: Sequence[Event], resolved: Mapping[tuple[Resolvable, str], Resolved]
) -> tuple[tuple[SignpostCheck, ...], tuple[SignpostSummary, ...]]:
    """How often each signpost was seen before the resolution of the assumptions it bears on."""
    seen: dict[tuple[str, str], int] = {}
    absent: dict[tuple[str, str], int] = {}
    bearing = {(ind.id, b.assumption): b for ind in reg.indicators for b in ind.bears_on}
    for ev in events:
        if ev.kind != "observe":
            continue
        ind = ev.data["indicator"]
        outcome = ev.data.get("outcome", "seen")
        when = day(str(ev.data.get("on") or ev.at))
        for (i, a), _ in bearing.items():
            if i != ind:
                continue
            r = resolved.get((Resolvable.ASSUMPTION, a))
            if r is None or when is None or when >= date.fromisoformat(r.on):
                continue
            if outcome == "seen":
                seen[(i, a)] = seen.get((i, a), 0) + 1
            elif outcome == "absent":
                absent[(i, a)] = absent.get((i, a), 0) + 1
    checks = []
    for (i, a), b in bearing.items():
        r = resolved.get((Resolvable.ASSUMPTION, a))
        if r is None:
            continue
        checks.append(
            SignpostCheck(i, a, int(r.outcome.came_true), seen.get((i, a), 0), absent.get((i, a), 0), b.seen, b.absent)
        )
    summaries = []
    for ind in reg.indicators:
        mine = [c for c in checks if c.indicator == ind.id]
        if not mine:
            continue
        held = [c for c in mine if c.outcome]
        failed = [c for c in mine if not c.outcome]
        hs, fs = sum(1 for c in held if c.seen), sum(1 for c in failed if c.seen)
        ratio = (hs / len(held)) / (fs / len(failed)) if held and failed and fs else None
        summaries.append(SignpostSummary(ind.id, len(held), hs, len(failed), fs, ratio))
    return tuple(checks), tuple(summaries)
