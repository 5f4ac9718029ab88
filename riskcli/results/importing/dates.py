"""The date a sheet speaks for: ``--as-of``, else the newest date it gives — in a column of dates
(identified, reviewed, updated; never a due date, nor a day after today) or a banner line above
the table ("Last updated: 12 March 2018") — else today, said.

Dates are read as ISO (``2018-03-12``), as a workbook's date cells, with a month's name (``12 March
2018``, ``March 12, 2018``) or as day and month in numbers (``12/03/2018``): a column whose dates
read both ways (no day above 12) is read only where both readings agree on the newest date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence

from riskcli.model import UserError
from riskcli.records import frozen
from riskcli.register.workbook import Value
from riskcli.results.importing.table import text

_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
            ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
            ("november", "nov"), ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}  # fmt: skip
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[t ][\d:.]+)?")  # lower-cased
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")
_DAY_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
_MONTH_DAY = re.compile(r"([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})")
_BANNER = re.compile(r"\b(as\s+(of|at)|updated|date[ds]?|reviewed|version|issued|revised)\b", re.I)


@frozen
class AsOf:
    """The register's date, and where it came from."""

    date: str  # ISO 8601
    source: str  # "given" (--as-of), "column", "banner", "today"
    row: int | None = None  # the cell it was read from
    column: int | None = None
    note: str | None = None  # why it is today (no date found, or dates that read both ways)


def parse_given(value: str) -> str:
    """``--as-of``: an ISO date (or any date form a sheet may hold, read unambiguously)."""
    d = _unambiguous(value)
    if d is None:
        raise UserError(f"--as-of {value!r}: give a date as YYYY-MM-DD")
    return d.isoformat()


def _unambiguous(s: str) -> dt.date | None:
    reads = _reads(s)
    return reads[0] if len(set(reads)) == 1 else None


def _reads(s: str) -> list[dt.date]:
    """Every date a text may be: one, or two for 03/04/2018 (day first, then month first)."""
    t = s.strip().lower()
    m = _ISO.fullmatch(t)
    if m is not None:
        return _valid(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.fullmatch(t)
    if m is not None:
        a, b, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        y = y + 2000 if y < 100 else y
        return _valid(y, b, a) + _valid(y, a, b)
    m = _DAY_MONTH.fullmatch(t)
    if m is not None and m.group(2) in _MONTHS:
        return _valid(int(m.group(3)), _MONTHS[m.group(2)], int(m.group(1)))
    m = _MONTH_DAY.fullmatch(t)
    if m is not None and m.group(1) in _MONTHS:
        return _valid(int(m.group(3)), _MONTHS[m.group(1)], int(m.group(2)))
    return []


def is_date(s: str) -> bool:
    """Whether a text reads as a date (one way or two)."""
    return bool(_reads(s))


def column_way(texts: Iterable[str]) -> str | None:
    """How a column writes its numeric dates: "day" or "month" first, when one of them says (13/03/2018)."""
    ways = {_way(t) for t in texts} - {None}
    return ways.pop() if len(ways) == 1 else None


def day(s: str, way: str | None) -> str | None:
    """A cell as a day (ISO 8601), read as its column writes dates (``column_way``); None when it
    is no date, or could be two (03/04/2018 in a column that never says which comes first)."""
    reads = _reads(s)
    if len(set(reads)) == 2 and way is not None:
        return (reads[0] if way == "day" else reads[1]).isoformat()
    return reads[0].isoformat() if len(set(reads)) == 1 else None


def _way(s: str) -> str | None:
    """How a numeric date must be read: "day" first (13/03/2018), "month" first (03/13/2018), or None."""
    m = _NUMERIC.fullmatch(s.strip())
    if m is None:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    return "day" if a > 12 >= b else "month" if b > 12 >= a else None


def _valid(y: int, m: int, d: int) -> list[dt.date]:
    try:
        return [dt.date(y, m, d)]
    except ValueError:
        return []


def as_of(
    given: str | None,
    rows: Sequence[tuple[int, list[Value]]],
    columns: Iterable[int],
    banner: Sequence[tuple[int, str]],
    today: dt.date,
) -> AsOf:
    """The register's as_of: ``given``, else the newest date of the sheet, else today."""
    if given is not None:
        return AsOf(parse_given(given), "given")
    best: tuple[dt.date, str, int, int | None] | None = None
    ambiguous: list[int] = []
    for c in columns:
        found: list[tuple[list[dt.date], int, str]] = []  # (readings, row, text)
        for n, cells in rows:
            if c < len(cells):
                reads = _reads(text(cells[c]))
                if reads:
                    found.append((reads, n, text(cells[c])))
        if not found:
            continue
        # a numeric date that reads one way only (13/03/2018) says how the column writes them all
        ways = {_way(t) for _, _, t in found} - {None}
        day_first, month_first = [], []
        for reads, n, _ in found:
            two = len(reads) == 2
            a = reads[1] if two and ways == {"month"} else reads[0]
            b = reads[0] if two and ways == {"day"} else reads[-1]
            if a <= today and a.year >= 1900:
                day_first.append((a, n))
            if b <= today and b.year >= 1900:
                month_first.append((b, n))
        if not day_first or not month_first:
            continue
        x, y = max(day_first), max(month_first)
        if x[0] != y[0]:
            ambiguous.append(c)
            continue
        if best is None or x[0] > best[0]:
            best = (x[0], "column", x[1], c)
    for n, line in banner:
        m = _BANNER.search(line)
        if m is None:
            continue
        rest = line[m.end() :].lower()
        for pattern in (_ISO, _DAY_MONTH, _MONTH_DAY, _NUMERIC):
            for hit in pattern.finditer(rest):
                d = _unambiguous(hit.group(0))
                if d is not None and d <= today and (best is None or d > best[0]):
                    best = (d, "banner", n, None)
    if best is not None:
        return AsOf(best[0].isoformat(), best[1], best[2], best[3])
    note = "dates in numbers that read either way (day/month or month/day)" if ambiguous else "no date"
    return AsOf(today.isoformat(), "today", None, ambiguous[0] if ambiguous else None, note)
