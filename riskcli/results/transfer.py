"""Import and export: a CSV or XLSX table of risks read into a register, and a register with its
current scores written out as CSV, XLSX, JSON or YAML.

Import reads the table (a CSV's separator is found from its header; a workbook's first sheet, or
the one named), maps columns to risk fields — by ``--map`` or by their headers — reads every
likelihood and impact as riskcli reads them everywhere (``rules.parse_level``), and writes a
register that reads back valid, or reports every bad cell and writes nothing. Export scores the
register with its journal replayed, as every read view does; the renderings are ``render.export``'s.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from riskcli import register, scoring
from riskcli.files import check_output, write_output
from riskcli.model import Confidence, OperationalError, Register, Risk, Rules, UserError
from riskcli.register.walker import ID_PATTERN
from riskcli.register.workbook import Value
from riskcli.results import convert
from riskcli.results.grid import grid
from riskcli.results.request import Request
from riskcli.results.session import Session, files_read
from riskcli.results.shapes.common import Cell
from riskcli.results.shapes.transfer import (
    COMPUTED,
    EXTRA_PREFIX,
    INHERENT_COLUMNS,
    AssignedId,
    ColumnUse,
    ColumnView,
    ExportData,
    ExportResult,
    ExportRisk,
    ImportResult,
    RowProblem,
)
from riskcli.rules import Via, accepted_forms, parse_level

MAX_BYTES = 1 << 30  # as for a register

# The risk fields a column can fill, in the format's order, and the headers that name each
# (compared after _norm: case, spacing and punctuation aside).
FIELDS = (
    "id", "title", "description", "category", "actors", "owner", "likelihood", "impact", "confidence",
    "rationale", "evidence",
)  # fmt: skip
_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "ref", "reference", "no", "number", "#"),
    "title": ("title", "name", "risk", "summary", "hazard", "threat"),
    "description": ("description", "desc", "details", "detail"),
    "category": ("category", "type", "theme", "area"),
    "actors": ("actors", "actor"),
    "owner": ("owner", "responsible", "assigned to", "owned by", "accountable"),
    "likelihood": ("likelihood", "probability", "prob", "chance", "frequency", "l"),
    "impact": ("impact", "consequence", "consequences", "severity", "i"),
    "confidence": ("confidence", "analytic confidence"),
    "rationale": ("rationale", "justification", "reasoning", "why"),
    "evidence": ("evidence", "source", "quote", "basis"),
}
_BY_ALIAS = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_PREFIXES = ("risk", "the")  # "Risk ID", "Risk title"
_SUFFIXES = ("level", "score", "rating", "value")  # "Impact score", "Likelihood (1-5)" (digits go too)
REQUIRED = ("title", "likelihood", "impact")


# A cell beginning with one of these is formula text to a spreadsheet: export writes it with a
# leading apostrophe, and import takes that apostrophe off again.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --------------------------------------------------------------------------- reading tables


@dataclass
class Table:
    source: str  # the file, as the user named it
    format: str
    sheet: str | None
    delimiter: str | None
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[Value]]]  # (row number, cells), blank rows left out


def read_table(path: Path, sheet: str | None = None) -> Table:
    """A CSV or XLSX table: its header (the first row that is not blank) and its data rows."""
    data = _read_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(path, data, sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UserError(f"{path}: an old binary .xls workbook; save it as .xlsx or CSV (UTF-8) and import that")
    if sheet is not None:
        raise UserError(f"{path}: --sheet is for XLSX workbooks; this is a CSV file")
    return _csv(path, data)


def _read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise UserError(f"{path}: is a directory, not a file")
        if path.stat().st_size > MAX_BYTES:
            raise UserError(f"{path}: larger than riskcli reads ({MAX_BYTES // 2**20} MiB)")
        data = path.read_bytes()
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


def _csv(path: Path, data: bytes) -> Table:
    text = _decode(path, data)
    if "\x00" in text:
        raise UserError(f"{path}: a binary file, not a CSV or XLSX table")
    delimiter = _sniff(text)
    records: list[tuple[int, list[Value]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    n = 0
    try:
        for n, record in enumerate(reader, start=1):
            records.append((n, list(record)))
    except csv.Error as e:
        raise UserError(f"{path}: row {n + 1}: {e}") from None
    return _table("csv", None, delimiter, records, path)


def _sniff(text: str) -> str:
    """The separator that splits the header into the most columns: ',' ';' or a tab."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 0
    for d in (",", ";", "\t"):
        with contextlib.suppress(csv.Error):
            width = len(next(csv.reader([first], delimiter=d), []))
            if width > most:
                best, most = d, width
    return best


def _xlsx(path: Path, data: bytes, sheet: str | None) -> Table:
    from riskcli.register.workbook import read_sheet

    name, records = read_sheet(path, data, sheet)
    return _table("xlsx", name, None, records, path)


def _table(
    fmt: str, sheet: str | None, delimiter: str | None, records: list[tuple[int, list[Value]]], path: Path
) -> Table:
    rows = [(n, cells) for n, cells in records if any(_text(c) for c in cells)]
    if not rows:
        raise UserError(f"{path}: no rows: the table is empty")
    (header_row, header), *data = rows
    if not data:
        raise UserError(f"{path}: no risks: the table has a header (row {header_row}) but no rows under it")
    width = max(len(cells) for _, cells in rows)
    headers = [_text(h) for h in header] + [""] * (width - len(header))
    while (
        headers and not headers[-1] and not any(len(c) >= len(headers) and _text(c[len(headers) - 1]) for _, c in data)
    ):
        headers.pop()  # trailing empty columns
    return Table(str(path), fmt, sheet, delimiter, header_row, headers, data)


def _text(v: Value) -> str:
    """A cell as text: trimmed, line breaks as \\n, a spreadsheet's guarding apostrophe removed."""
    if v is None:
        return ""
    if not isinstance(v, str):
        return str(v)
    s = v.replace("\r\n", "\n").replace("\r", "\n").strip()
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


# --------------------------------------------------------------------------- mapping columns


def _norm(header: str) -> str:
    s = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", header.lower())
    s = re.sub(r"[^\w#]+|_", " ", s)
    return " ".join(s.split())


def _guess(header: str) -> tuple[str, int] | None:
    """The field a header names, and how surely (0: exactly; 1: once a prefix or suffix is off)."""
    key = _norm(header)
    if key in _BY_ALIAS:
        return _BY_ALIAS[key], 0
    words = key.split()
    while len(words) > 1 and words[0] in _PREFIXES:
        words = words[1:]
    while len(words) > 1 and (words[-1] in _SUFFIXES or words[-1].isdigit()):
        words = words[:-1]
    stripped = " ".join(words)
    if stripped in _BY_ALIAS:
        return _BY_ALIAS[stripped], 1
    return None


def parse_maps(given: Iterable[str]) -> dict[str, str]:
    """``--map likelihood=Prob,impact=Severity`` (repeatable) as field → column; a column name
    may hold commas, since a comma starts a new pair only before ``FIELD=``."""
    out: dict[str, str] = {}
    fields = "|".join(FIELDS)
    for text in given:
        for pair in re.split(rf",(?=\s*(?:{fields})\s*=)", text, flags=re.I):
            if not pair.strip():
                continue
            name, sep, column = pair.partition("=")
            key = name.strip().lower()
            if not sep:
                raise UserError(f"--map {pair.strip()!r}: give FIELD=COLUMN, e.g. --map likelihood=Prob")
            if key not in FIELDS:
                raise UserError(
                    f"--map {pair.strip()!r}: unknown field {name.strip()!r}; the fields are: {', '.join(FIELDS)}"
                )
            out[key] = column.strip()
    return out


@dataclass
class Columns:
    """Which column fills each field, and what every column is used for."""

    field_of: dict[int, str] = field(default_factory=dict)  # column index → field
    extra: dict[int, str] = field(default_factory=dict)  # column index → key under extra
    views: list[ColumnView] = field(default_factory=list)


def map_columns(table: Table, maps: dict[str, str]) -> Columns:
    headers = table.headers
    cols = Columns()
    chosen: dict[str, int] = {}
    for name, column in maps.items():
        if not column:
            continue  # FIELD= : no column for it (nor a guess)
        at = _find_column(headers, column)
        if at is None:
            listing = ", ".join(repr(h) for h in headers if h)
            raise UserError(f"--map {name}={column}: no column {column!r}; the columns are: {listing}")
        if at in chosen.values():
            other = next(k for k, v in chosen.items() if v == at)
            raise UserError(f"--map: column {headers[at]!r} is given for both {other} and {name}")
        chosen[name] = at
    mapped = set(chosen)
    keys = {_norm(h) for h in headers}
    exported = all(c in keys for c in COMPUTED)
    guesses: dict[int, tuple[str, int]] = {}
    for i, h in enumerate(headers):
        if i in chosen.values() or not h:
            continue
        g = _guess(h)
        if g is not None:
            guesses[i] = g
    also: dict[int, str] = {}
    for name in FIELDS:
        candidates = sorted((tier, i) for i, (f, tier) in guesses.items() if f == name)
        if name not in maps and candidates:
            chosen[name] = candidates[0][1]
            candidates = candidates[1:]
        for _, i in candidates:
            also[i] = name
    field_at = {i: name for name, i in chosen.items()}
    used_keys: set[str] = set()
    for i, h in enumerate(headers):
        col = letter(i)
        if i in field_at:
            name = field_at[i]
            cols.field_of[i] = name
            use = ColumnUse.MAPPED if name in mapped else ColumnUse.GUESSED
            cols.views.append(ColumnView(col, h, name, use, None))
            continue
        if exported and _norm(h) in (*COMPUTED, *INHERENT_COLUMNS):
            cols.views.append(ColumnView(col, h, None, ColumnUse.COMPUTED, None))
            continue
        if not h and not any(i < len(cells) and _text(cells[i]) for _, cells in table.rows):
            continue  # an empty column
        key = h.removeprefix(EXTRA_PREFIX) if h.startswith(EXTRA_PREFIX) and h != EXTRA_PREFIX else h
        key = key or f"column {col}"
        if key in used_keys:
            key = f"{key} ({col})"
        used_keys.add(key)
        cols.extra[i] = key
        cols.views.append(ColumnView(col, h, None, ColumnUse.EXTRA, also.get(i)))
    missing = [name for name in REQUIRED if name not in chosen]
    if missing:
        listing = ", ".join(repr(h) for h in headers if h) or "none"
        names = missing[0] if len(missing) == 1 else f"{', '.join(missing[:-1])} and {missing[-1]}"
        example = ",".join(f"{m}=COLUMN" for m in missing)
        raise UserError(
            f"{table.source}: no column for {names} (the columns are: {listing}); name it with --map {example}"
        )
    return cols


def _find_column(headers: Sequence[str], column: str) -> int | None:
    for test in (
        lambda h: h == column,
        lambda h: h.strip().lower() == column.strip().lower(),
        lambda h: bool(_norm(h)) and _norm(h) == _norm(column),
    ):
        found = [i for i, h in enumerate(headers) if test(h)]
        if found:
            return found[0]
    if re.fullmatch(r"[A-Za-z]{1,3}", column.strip()):
        for i in range(len(headers)):
            if letter(i) == column.strip().upper():
                return i
    return None


# --------------------------------------------------------------------------- rows to risks


def _number(text: str) -> int | float | str:
    """Text that is exactly a number as riskcli writes one (``42``, ``-1.5``) becomes that number;
    anything else (``007``, ``1e3``, ``1.50``) stays text."""
    if re.fullmatch(r"-?(0|[1-9]\d{0,17})", text):
        return int(text)
    if re.fullmatch(r"-?(0|[1-9]\d*)\.\d+", text):
        x = float(text)
        if math.isfinite(x) and repr(x) == text:
            return x
    return text


@dataclass
class _Rows:
    risks: list[Risk] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    assigned: list[AssignedId] = field(default_factory=list)
    said: dict[str, dict[str, str]] = field(default_factory=dict)  # risk id → level key → what the cell said


def _read_rows(table: Table, cols: Columns, rules: Rules) -> _Rows:
    out = _Rows()
    at = {name: i for i, name in cols.field_of.items()}
    headers = table.headers

    def problem(row: int, name: str | None, message: str, index: int | None = None) -> None:
        i = at.get(name) if index is None and name is not None else index
        out.problems.append(
            RowProblem(row, letter(i) if i is not None else None, headers[i] if i is not None else None, name, message)
        )

    def cell(cells: list[Value], name: str) -> Value:
        i = at.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    # Ids given in the table are kept; blank ones are given the next free R1, R2, …
    given: dict[str, int] = {}
    ids: list[str | None] = []
    for row, cells in table.rows:
        written = _text(cell(cells, "id")) if "id" in at else ""
        if not written:
            ids.append(None)
            continue
        if not ID_PATTERN.fullmatch(written):
            problem(row, "id", f"id {written!r} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
            ids.append("")
        elif written in given:
            problem(row, "id", f"id {written!r} is used already, in row {given[written]}")
            ids.append("")
        else:
            given[written] = row
            ids.append(written)
    counter = 0
    for (row, cells), given_id in zip(table.rows, ids, strict=True):
        ident = given_id
        if ident is None:
            counter += 1
            while f"R{counter}" in given:
                counter += 1
            ident = f"R{counter}"
            out.assigned.append(AssignedId(row, ident))
        risk = _read_row(row, cells, ident, at, cols, rules, problem, out, decimal_comma=table.delimiter == ";")
        if risk is not None and ident:
            out.risks.append(risk)
    return out


_DECIMAL_COMMA = re.compile(r"-?[0-9]+,[0-9]+\s*%?")


def _read_row(
    row: int,
    cells: list[Value],
    ident: str,
    at: dict[str, int],
    cols: Columns,
    rules: Rules,
    problem: Callable[..., None],
    out: _Rows,
    *,
    decimal_comma: bool = False,
) -> Risk | None:
    def raw(name: str) -> Value:
        i = at.get(name)
        return cells[i] if i is not None and i < len(cells) else None

    def text(name: str) -> str:
        return _text(raw(name))

    ok = True
    title = text("title")
    if not title:
        problem(row, "title", "the title is empty")
        ok = False
    levels: dict[str, int] = {}
    for name, scale in (("likelihood", rules.likelihood), ("impact", rules.impact)):
        v = raw(name)
        value: Value = _text(v) if isinstance(v, str) or v is None else v
        written = value
        if decimal_comma and isinstance(value, str) and _DECIMAL_COMMA.fullmatch(value):
            value = value.replace(",", ".")  # '0,3' or '30,5 %' from a ';'-separated (European) export
        if value == "":
            problem(row, name, f"{name} is empty; give {accepted_forms(scale)}")
            ok = False
            continue
        try:
            parsed = parse_level(scale, rules.words, value)
        except UserError as e:
            # quoted as the cell has it ('3,4'), not as it was read (3.4)
            problem(row, name, str(e).replace(repr(value), repr(written), 1) if written != value else str(e))
            ok = False
            continue
        levels[name] = int(parsed.value)
        if parsed.via is not Via.LEVEL:
            out.said.setdefault(ident, {})[name] = str(written) if written != value else parsed.said
    confidence = None
    if text("confidence"):
        try:
            confidence = Confidence(text("confidence").lower())
        except ValueError:
            problem(row, "confidence", f"confidence {text('confidence')!r} is not low, moderate or high (ICD 203)")
            ok = False
    actors: list[str] = []
    for a in (x.strip() for x in re.split(r"[,;\n]", text("actors"))):
        if not a:
            continue
        if not ID_PATTERN.fullmatch(a):
            problem(
                row,
                "actors",
                f"actor {a!r} is not an id (letters, digits, '_', '-', '.', ':'; up to 64); "
                "give ids separated by commas, or keep the column under extra with --map actors=",
            )
            ok = False
        elif a not in actors:
            actors.append(a)
    extra: list[tuple[str, str | int | float]] = []
    for i, key in cols.extra.items():
        v = cells[i] if i < len(cells) else None
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            extra.append((key, v))
        elif _text(v):
            extra.append((key, _number(_text(v))))
    if not ok or not ident:
        return None
    return Risk(
        id=ident,
        title=title,
        likelihood=levels["likelihood"],
        impact=levels["impact"],
        description=text("description"),
        category=text("category"),
        actors=tuple(actors),
        rationale=text("rationale"),
        evidence=text("evidence"),
        confidence=confidence,
        owner=text("owner"),
        extra=tuple(extra),
    )


# --------------------------------------------------------------------------- import


def _rules(req: Request) -> Rules:
    base = register.default_rules()
    return register.load_rules_file(req.rules, str(req.rules), base) if req.rules is not None else base


def import_table(
    req: Request,
    path: Path,
    *,
    sheet: str | None = None,
    maps: Sequence[str] = (),
    output: Path | None = None,
    force: bool = False,
    title: str | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read a CSV or XLSX table of risks into a register: written to ``output`` (never over a
    file without ``force``) or returned as text; with any problem, nothing is written."""
    req.refuse_hypothetical("import", records=False)
    reading = (("table", path), *files_read(req))
    if output is not None:
        check_output(output, force=force, reading=reading)
    rules = _rules(req)
    table = read_table(path, sheet)
    cols = map_columns(table, parse_maps(maps))
    rows = _read_rows(table, cols, rules)
    result = ImportResult(
        source=str(path),
        format=table.format,
        sheet=table.sheet,
        delimiter=table.delimiter,
        header_row=table.header_row,
        rows=len(table.rows),
        columns=tuple(cols.views),
        assigned=tuple(rows.assigned),
        problems=tuple(rows.problems),
        ok=not rows.problems,
        output=None,
        register=None,
        yaml=None,
    )
    if rows.problems:
        return result
    from riskcli.register.write import import_text

    shown = str(output) if output is not None else "(stdout)"
    reg = Register(
        path=shown,
        rules=rules,
        risks=tuple(rows.risks),
        title=title if title is not None else f"Risks from {path.name}",
        as_of=(today or dt.date.today()).isoformat(),
    )
    text = import_text(reg, source=path.name, sheet=table.sheet, said=rows.said, rules_path=req.rules)
    if output is None:
        return _replace(result, yaml=text)
    write_output(output, text.encode("utf-8"), force=force, reading=reading)
    from riskcli.register.sections import load_text

    written = load_text(text, str(output), req.rules)  # the text written (a FIFO cannot be read back)
    return _replace(result, output=str(output), register=convert.register_info(written))


def _replace(r: ImportResult, **changes: object) -> ImportResult:
    import dataclasses

    return dataclasses.replace(r, **changes)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- export

FORMATS = ("csv", "xlsx", "json", "yaml")
_SUFFIX_FORMAT = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

# What render.export gives for data in a format: the payload and, for a workbook, its sheets.
Render = Callable[[ExportData, str], tuple[str | bytes, tuple[str, ...]]]


def export_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output's suffix names, else CSV."""
    if fmt is None:
        return _SUFFIX_FORMAT.get(output.suffix.lower(), "csv") if output is not None else "csv"
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; give one of: {', '.join(FORMATS)}")
    return key


def export_data(req: Request, s: Session) -> ExportData:
    """The risks with their current scores (and inherent ones when responses are applied), the
    current matrix and the inherent one."""
    reg, state = s.reg, s.state
    scored = scoring.score_all(reg, state)
    ranks = {x.risk.id: n for n, x in enumerate(scoring.ranked(scored), start=1)}
    inherent = scoring.score_all(reg, scoring.inherent(state)) if state.applied else None
    risks = tuple(
        ExportRisk(
            rank=ranks[x.risk.id],
            id=x.risk.id,
            title=x.risk.title,
            category=x.risk.category or None,
            owner=x.risk.owner or None,
            actors=x.risk.actors,
            confidence=scoring.confidence_of(x.risk, state),
            baseline=Cell(x.risk.likelihood, x.risk.impact),
            current=convert.score(x),
            inherent=convert.score(inherent[i]) if inherent is not None else None,
            description=x.risk.description or None,
            rationale=x.risk.rationale or None,
            evidence=x.risk.evidence or None,
            extra=dict(x.risk.extra),
        )
        for i, x in enumerate(scored)
    )
    return ExportData(
        register=convert.register_info(reg),
        applied=tuple(sorted(state.applied)),
        risks=risks,
        matrix=grid(reg, scored),
        inherent=grid(reg, inherent) if inherent is not None else None,
    )


def export(
    req: Request,
    s: Session,
    fmt: str,
    output: Path | None,
    render: Render,
    *,
    force: bool = False,
    json: bool = False,
    today: dt.date | None = None,
) -> tuple[ExportResult | None, str | bytes]:
    """The register in ``fmt``: written to ``output`` (atomically; never over a file without
    ``force``, never over the register or its journal) with a result saying so, or returned.
    A CSV file starts with a byte-order mark, so that spreadsheets read it as UTF-8."""
    req.refuse_hypothetical("export", records=False)
    if json and output is None:
        raise UserError("--json reports the file written: give -o FILE (--format json prints the data itself)")
    if fmt == "xlsx" and output is None:
        raise UserError("XLSX is a binary file: write it with -o FILE.xlsx")
    reading = files_read(req, s)
    if output is not None:
        check_output(output, force=force, reading=reading)
    sheets: tuple[str, ...] = ()
    if fmt == "yaml":
        payload: str | bytes = _export_yaml(req, s, today or dt.date.today())
    else:
        payload, sheets = render(export_data(req, s), fmt)
    if output is None:
        return None, payload
    if fmt == "csv" and isinstance(payload, str):
        payload = "\ufeff" + payload
    write_output(
        output, payload if isinstance(payload, bytes) else payload.encode("utf-8"), force=force, reading=reading
    )
    result = ExportResult(
        register=convert.register_info(s.reg), format=fmt, output=str(output), risks=len(s.reg.risks), sheets=sheets
    )
    return result, payload


def _export_yaml(req: Request, s: Session, today: dt.date) -> str:
    from riskcli.register.write import export_text

    state = s.state
    inherent = scoring.score_all(s.reg, scoring.inherent(state)) if state.applied else None
    return export_text(
        s.reg,
        scoring.score_all(s.reg, state),
        inherent,
        applied=sorted(state.applied),
        today=today.isoformat(),
        rules_path=req.rules,
    )
