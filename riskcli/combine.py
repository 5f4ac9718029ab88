"""Several analysts: every analyst's latest judgement of an item stays in force, and the value
views read is their combination. Pure: numbers, enums and ids.

- ``geo-odds`` (the default): beliefs by the geometric mean of their odds — the pooling rule that
  forecasting research favours (it keeps the analysts' log-odds, so two analysts at 0.9 and 0.5
  give 0.75, not the 0.7 of the mean) — and levels, which are not probabilities, by the median;
- ``median``: the median of the values (of two, their mean: levels 2 and 5 give 3.5);
- ``mean``: their arithmetic mean;
- ``last``: the latest judgement alone (by time, then event id), what one analyst's journal gives.

A belief of exactly 0 or 1 has infinite log-odds: the geometric mean of odds is 1 when some analyst
is certain that it holds and none that it fails (0 the other way round), and when analysts are
certain both ways it is the median. Analytic confidence (low, moderate, high) combines as levels do,
by rank, over the analysts who gave one (``confidence``). Analysts disagree on a risk when their current levels differ by
two or more on either axis, on an assumption when their beliefs differ by more than 0.3.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from riskcli.model import Combine, Confidence
from riskcli.records import frozen

DEFAULT = Combine.GEO_ODDS
LEVEL_GAP = 2.0  # levels this far apart (or further) on an axis: analysts disagree
BELIEF_GAP = 0.3  # beliefs further apart than this: analysts disagree

__all__ = ["BELIEF_GAP", "DEFAULT", "LEVEL_GAP", "Combine"]


@frozen(slots=True)
class Belief:
    """One analyst's latest belief in an assumption (a ``belief`` event in force)."""

    belief: float
    by: str
    at: str
    id: str
    why: str = ""


def rule_of(chosen: Combine | None) -> Combine:
    return DEFAULT if chosen is None else chosen


def median(values: Sequence[float]) -> float:
    xs = sorted(values)
    n = len(xs)
    mid = n // 2
    return xs[mid] if n % 2 else (xs[mid - 1] + xs[mid]) / 2.0


def mean(values: Sequence[float]) -> float:
    return math.fsum(values) / len(values)


def geo_odds(values: Sequence[float]) -> float:
    """The probability whose odds are the geometric mean of the values' odds."""
    logits: list[float] = []
    certain = never = False
    for p in values:
        if p >= 1.0:
            certain = True
        elif p <= 0.0:
            never = True
        else:
            logits.append(math.log(p / (1.0 - p)))
    if certain and never:
        return median(values)
    if certain or never:
        return 1.0 if certain else 0.0
    return 1.0 / (1.0 + math.exp(-math.fsum(logits) / len(values)))


def level(values: Sequence[float], rule: Combine) -> float:
    """Levels combined (``values`` oldest first by (at, id): ``last`` takes the last)."""
    if len(values) == 1 or rule is Combine.LAST:
        return values[-1]
    if rule is Combine.MEAN:
        return mean(values)
    return median(values)  # median, and geo-odds (levels are not probabilities)


CONFIDENCES = (Confidence.LOW, Confidence.MODERATE, Confidence.HIGH)  # ICD 203's, in order


def confidence(values: Sequence[Confidence | None], rule: Combine) -> Confidence | None:
    """Analysts' confidences in their latest scores combined (``values`` oldest first by (at, id),
    None where one gave none): ``last`` takes the latest analyst's; the other rules combine the
    confidences given as levels are (their ranks by the median, or the mean), a rank half-way
    between two read as the lower. None when no analyst (``last``: the latest) gave one."""
    if rule is Combine.LAST:
        return values[-1]
    ranks = [float(CONFIDENCES.index(c)) for c in values if c is not None]
    if not ranks:
        return None
    return CONFIDENCES[math.ceil(level(ranks, rule) - 0.5)]  # the nearest; half-way, the lower


def belief(values: Sequence[float], rule: Combine) -> float:
    """Beliefs combined (``values`` oldest first by (at, id): ``last`` takes the last)."""
    if len(values) == 1 or rule is Combine.LAST:
        return values[-1]
    if rule is Combine.MEAN:
        return mean(values)
    if rule is Combine.MEDIAN:
        return median(values)
    return geo_odds(values)


def combined_belief(views: Mapping[str, Belief], rule: Combine) -> float:
    """The combination of every analyst's latest belief in one assumption."""
    return belief([b.belief for b in in_time(views.values())], rule)


def in_time(views: Iterable[Belief]) -> list[Belief]:
    return sorted(views, key=lambda b: (b.at, b.id))


def spread(values: Iterable[float]) -> float:
    """How far apart the values are (0 for one)."""
    xs = list(values)
    return max(xs) - min(xs) if xs else 0.0


def levels_disagree(width: float) -> bool:
    return width >= LEVEL_GAP - 1e-9


def beliefs_disagree(width: float) -> bool:
    return width > BELIEF_GAP + 1e-9


def stale(at: str, every: int | None, today: date) -> bool:
    """Whether a judgement given at ``at`` (ISO 8601) is older than the review period ``every``
    (days; None: the item has none, and nothing is stale)."""
    if every is None or len(at) < 10:
        return False
    try:
        given = date.fromisoformat(at[:10])
    except ValueError:
        return False
    return given + timedelta(days=every) < today
