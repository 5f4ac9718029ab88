"""Horizons: the time a likelihood or a belief is a probability over (DESIGN §4 "Horizons").

A risk or an assumption may say ``by: 2025-12-31`` (a fixed day) or ``within: 12 months`` (a span
from the day the judgement is made); the register may give ``within`` as the default of every item.
A likelihood is then the probability that the risk occurs before the horizon ends; a belief, that
the assumption still holds when it ends.

Converting a probability between horizons assumes a constant hazard — the chance of the event in
any stretch of time depends only on its length — so ``p_T = 1 − (1 − p)^(T/t)``: a risk judged
50% within 24 months is 1 − 0.5^(1/2) ≈ 29% within 12.

A judgement is due when its horizon has ended and the item is not resolved: what it forecast
should be known by then. Pure: dates, numbers and the register's records.
"""

from __future__ import annotations

import calendar
import math
from datetime import date

from riskcli.model import Register, Span, SpanUnit
from riskcli.records import frozen

# Nominal lengths in days, where a span has no start to count calendar months from.
_DAYS = {SpanUnit.DAYS: 1.0, SpanUnit.WEEKS: 7.0, SpanUnit.MONTHS: 365.25 / 12, SpanUnit.YEARS: 365.25}
YEAR = Span(12, SpanUnit.MONTHS)


@frozen(slots=True)
class Horizon:
    """The horizon a judgement is over: a fixed day (``by``) or a span from its start (``within``);
    ``own``: the item's own, else the register's default."""

    by: date | None
    within: Span | None
    own: bool

    def end(self, start: date | None) -> date | None:
        """The day it ends, for a judgement made on ``start`` (a span with no start has no end)."""
        if self.by is not None:
            return self.by
        if self.within is None or start is None:
            return None
        return after(start, self.within)

    def days(self, start: date | None) -> float | None:
        """Its length in days from ``start`` (a span without one: its nominal length; a day before
        or on ``start``: none)."""
        if self.within is not None:
            end = self.end(start)
            return float((end - start).days) if end is not None and start is not None else nominal_days(self.within)
        if self.by is None or start is None or self.by <= start:
            return None
        return float((self.by - start).days)


def after(start: date, span: Span) -> date:
    """The day a span after ``start`` ends (calendar months and years; the 31st of a short month
    is its last day)."""
    from datetime import timedelta

    if span.unit in (SpanUnit.DAYS, SpanUnit.WEEKS):
        return start + timedelta(days=span.count * int(_DAYS[span.unit]))
    months = span.count * (12 if span.unit is SpanUnit.YEARS else 1)
    y, m = divmod(start.month - 1 + months, 12)
    year, month = start.year + y, m + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def nominal_days(span: Span) -> float:
    return span.count * _DAYS[span.unit]


def of_item(reg: Register, by: str, within: Span | None) -> Horizon | None:
    """An item's horizon: its own ``by`` or ``within``, else the register's default, else none."""
    if by or within is not None:
        return Horizon(date.fromisoformat(by) if by else None, within, True)
    if reg.within is not None:
        return Horizon(None, reg.within, False)
    return None


def convert(p: float, t: float, target: float) -> float:
    """A probability of an event within ``t`` days as one within ``target`` days, at a constant
    hazard: ``1 − (1 − p)^(target/t)``."""
    if t <= 0 or target <= 0:
        raise ValueError("horizons are positive lengths of time")
    if p >= 1.0:
        return 1.0
    return -math.expm1(target / t * math.log1p(-p))  # the formula, exact for small p too


def day_of(text: str) -> date | None:
    """The day an ISO date or date-time names (its first ten characters), or None."""
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
