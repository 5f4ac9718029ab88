"""Finding the table in a sheet: the rows of a CSV file or an XLSX worksheet, the header row (below
any banner of titles and notes, or the row ``--header-row`` names; with a row of group labels
such as "Inherent risk" over it read as one header), and the rows of risks — blank rows, headings,
total and footer rows left out and said."""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
from collections.abc import Callable
from dataclasses import field
from enum import StrEnum
from pathlib import Path

from riskcli.model import OperationalError, UserError
from riskcli.records import frozen, mutable
from riskcli.register.workbook import MAX_TABLE_BYTES, Limits, Value

SCAN = 40  # the non-blank rows searched for a header

# A cell beginning with one of these is formula text to a spreadsheet: export writes it with a
# leading apostrophe, and import takes that apostrophe off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Row = tuple[int, list[Value]]  # (row number as the sheet numbers it, cells)


@mutable
class Records:
    """A sheet's rows as read: every row, blank ones too."""

    source: str  # the file, as the user named it
    format: str  # csv or xlsx
    sheet: str | None
    delimiter: str | None
    rows: list[Row]


class Skip(StrEnum):
    """Why a row of the sheet is not a risk."""

    BANNER = "banner"  # above the header: a title, an owner, a date
    BLANK = "blank"
    HEADING = "heading"  # a row with one cell among the risks: a section's name
    FOOTER = "footer"  # a total, a count, a note under the table
    BELOW = "below"  # under a total or a note: no longer the table


@frozen
class Skipped:
    row: int
    kind: Skip
    text: str  # what the row says (its cells joined), for the report


@mutable
class Table:
    source: str
    format: str
    sheet: str | None
    delimiter: str | None
    header_row: int
    group_row: int | None  # a row of group labels over the header ("Inherent risk"), read with it
    found: bool  # the header was found by its names (not the first row for want of one, nor given)
    headers: list[str]
    rows: list[Row]  # the rows of risks
    skipped: list[Skipped] = field(default_factory=list)


# --------------------------------------------------------------------------- reading


def read_records(path: Path, sheet: str | None = None) -> Records:
    """A CSV or XLSX sheet's rows (a workbook's first sheet, or the one named)."""
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        from riskcli.register.workbook import read_sheet

        name, sheet_rows = read_sheet(path, data, sheet)
        return Records(str(path), "xlsx", name, None, sheet_rows)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(f"{path}: an old binary .xls workbook; save it as .xlsx or CSV (UTF-8) and import that")
    if path.suffix.lower() == ".xlsx":  # named a workbook, but not one (a workbook is a zip archive)
        raise UserError(f"{path}: not a readable XLSX workbook (it is not a zip archive)")
    if sheet is not None:
        raise UserError(f"{path}: --sheet is for XLSX workbooks; this is a CSV file")
    content = _decode(path, data)
    if "\x00" in content:
        raise UserError(f"{path}: a binary file, not a CSV or XLSX table")
    delimiter = _sniff(content)
    rows: list[Row] = []
    limits = Limits(path)
    n = 0
    try:
        for n, record in enumerate(csv.reader(io.StringIO(content, newline=""), delimiter=delimiter), start=1):
            cells: list[Value] = list(record)
            limits.row(n, cells)
            rows.append((n, cells))
    except csv.Error as e:
        raise UserError(f"{path}: row {n + 1}: {e}") from None
    return Records(str(path), "csv", None, delimiter, rows)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise UserError(f"{path}: is a directory, not a file")
        with path.open("rb") as f:  # at most one byte past the limit, from a pipe too
            data = f.read(MAX_TABLE_BYTES + 1)
        if len(data) > MAX_TABLE_BYTES:
            raise UserError(f"{path}: larger than riskcli imports ({MAX_TABLE_BYTES // 2**20} MiB)")
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except PermissionError:
        raise UserError(f"{path}: permission denied") from None
    except OSError as e:
        raise OperationalError(f"{path}: cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise UserError(f"{path}: the file is empty")
    return data


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UserError(f"{path}: not valid UTF-16 text") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise UserError(
            f"{path}: line {line} is not UTF-8 text (byte {data[e.start]:#04x}); "
            "save the file as CSV UTF-8 and import it again"
        ) from None


def _sniff(text: str) -> str:
    """The separator that splits the widest of the first lines into the most columns: ',' ';' or
    a tab (the first line may be a title alone)."""
    lines = [line for line in text.splitlines()[:SCAN] if line.strip()]
    best, most = ",", 0
    for d in (",", ";", "\t"):
        with contextlib.suppress(csv.Error):
            width = max((len(r) for r in csv.reader(lines, delimiter=d)), default=0)
            if width > most:
                best, most = d, width
    return best


def text(v: Value) -> str:
    """A cell as text: trimmed, line breaks as \\n, a spreadsheet's guarding apostrophe removed —
    and after the apostrophe export puts before text that begins with an apostrophe or begins or
    ends with white space, that text exactly."""
    if v is None:
        return ""
    if not isinstance(v, str):
        return str(v)
    s = v.replace("\r\n", "\n").replace("\r", "\n")
    if s[:1] == "'" and (s[1:2] in (*FORMULA_START, "'") or s[1:] != s[1:].strip()):
        return s[1:]
    s = s.strip()
    if s[:1] == "'" and s[1:2] in FORMULA_START:
        s = s[1:]
    return s


def letter(index: int) -> str:
    """A spreadsheet's column letter for a 0-based index: A … Z, AA …"""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def said(cells: list[Value], limit: int = 60) -> str:
    """A row's cells as one line, for a report."""
    s = " | ".join(t for t in (text(c).replace("\n", " ") for c in cells) if t)
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --------------------------------------------------------------------------- finding the table

_NUMBER = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)\s*%?")
# The first cell of a row that totals the table (skipped), or that ends it (skipped, and every row
# under it): each pattern matches the whole cell, so that a risk called "Total loss of power" is a risk.
_TOTAL = re.compile(
    r"((grand|sub-?)\s*)?(totals?|sum|count|average|mean)(\s+(of\s+)?(risks?|scores?|rows?|items?|hazards?))?"
    r"\s*[:=]?\s*[\d.,]*(\s+(risks?|rows?|items?|hazards?))?"
    r"|(number|no\.?|#)\s+of\s+(risks?|rows?|items?|hazards?)\b.*",
    re.I | re.S,
)
_END = re.compile(
    r"end\s+of\s+(the\s+)?(register|table|list|sheet|report)\b.*"
    r"|(notes?|key|legend|sources?|comments?)\s*:.*"
    r"|(prepared|approved|reviewed|signed|compiled|maintained)\s+(by|on)\b.*",
    re.I | re.S,
)


def find_table(
    records: Records,
    known: Callable[[str], int],
    merge: Callable[[list[str], list[str]], list[str] | None],
    *,
    header_row: int | None = None,
) -> Table:
    """The header row and the rows of risks under it.

    ``known(header)`` scores a header cell: 2 for a column riskcli reads (a field, a level, a
    rating), 1 for one sheets often have (status, controls, a date), 0 otherwise. The header is
    ``header_row`` if given, else the row among the first ``SCAN`` with the most known columns
    (at least two, one of them read), else the first row with two cells or more. ``merge(group,
    header)`` says whether a row of group labels over the header makes it read better."""
    rows = records.rows
    filled = [(n, cells) for n, cells in rows if any(text(c) for c in cells)]
    if not filled:
        raise UserError(f"{records.source}: no rows: the table is empty")
    index = {n: i for i, (n, _) in enumerate(rows)}
    found = header_row is not None  # given, or found by its column names: not a guess
    if header_row is not None:
        if header_row not in index:
            last = rows[-1][0] if rows else 0
            raise UserError(f"{records.source}: --header-row {header_row}: the sheet's rows are 1 to {last}")
        at = index[header_row]
        if not any(text(c) for c in rows[at][1]):
            raise UserError(f"{records.source}: --header-row {header_row}: that row is blank")
    else:
        best: tuple[int, int, int] | None = None
        for n, cells in filled[:SCAN]:
            scores = [known(text(c)) for c in cells if text(c)]
            numbers = sum(1 for c in cells if _is_number(c))
            read = sum(1 for s in scores if s == 2)
            if read < 1 or len([s for s in scores if s]) < 2 or numbers * 2 >= len(scores):
                continue
            key = (sum(scores), -numbers, -n)
            if best is None or key > best:
                best = key
        if best is not None:
            at, found = index[-best[2]], True
        else:
            wide = next((n for n, cells in filled if sum(1 for c in cells if text(c)) >= 2), filled[0][0])
            at = index[wide]
    number, header = rows[at]
    headers = [text(h) for h in header]
    group_row = None
    if at > 0 and any(text(c) for c in rows[at - 1][1]):
        group = [text(c) for c in rows[at - 1][1]]
        merged = merge(group, headers)
        if merged:
            headers, group_row = merged, rows[at - 1][0]
    skipped = [
        Skipped(n, Skip.BANNER, said(cells)) for n, cells in rows[:at] if any(text(c) for c in cells) and n != group_row
    ]
    data: list[Row] = []
    below: int | None = None
    for n, cells in rows[at + 1 :]:
        texts = [text(c) for c in cells]
        content = [t for t in texts if t]
        if not content:
            skipped.append(Skipped(n, Skip.BLANK, ""))
            continue
        if below is not None:
            skipped.append(Skipped(n, Skip.BELOW, said(cells)))
            continue
        first = content[0]
        if _TOTAL.fullmatch(first):
            skipped.append(Skipped(n, Skip.FOOTER, said(cells)))
        elif _END.fullmatch(first):
            skipped.append(Skipped(n, Skip.FOOTER, said(cells)))
            below = n
        else:
            data.append((n, cells))
    width = max((len(cells) for _, cells in [(number, header), *data]), default=0)
    headers += [""] * (width - len(headers))
    while (
        headers and not headers[-1] and not any(len(c) >= len(headers) and text(c[len(headers) - 1]) for _, c in data)
    ):
        headers.pop()  # trailing empty columns
    if not data:
        raise UserError(f"{records.source}: no risks: the table has a header (row {number}) but no rows under it")
    return Table(
        records.source,
        records.format,
        records.sheet,
        records.delimiter,
        number,
        group_row,
        found,
        headers,
        data,
        sorted(skipped, key=lambda s: s.row),
    )


def _is_number(v: Value) -> bool:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return True
    return isinstance(v, str) and bool(_NUMBER.fullmatch(v.strip()))
