"""import, put together: the table found, its columns mapped, its levels read on the scales the
sheet implies, its rating scheme kept, its date found — and a register written with every good row
(with ``--strict``, only when every row is good), or printed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import field
from pathlib import Path

from riskcli import register
from riskcli.files import check_output, write_output
from riskcli.model import (
    Confidence,
    Level,
    Rating,
    Register,
    Risk,
    Rules,
    Scale,
    Stated,
    Treatment,
    Unassessed,
    UserError,
)
from riskcli.records import mutable
from riskcli.register.walker import ID_PATTERN
from riskcli.register.workbook import Value
from riskcli.results import convert
from riskcli.results.importing import dates, grid, levels
from riskcli.results.importing.headers import (
    Columns,
    Pair,
    known,
    map_columns,
    merge,
    parse_maps,
    status_of,
    strategy_of,
)
from riskcli.results.importing.table import Skip, Table, find_table, letter, read_records, said, text
from riskcli.results.request import Request
from riskcli.results.session import files_read
from riskcli.results.shapes.common import Cell
from riskcli.results.shapes.transfer import (
    AsOfSource,
    AsOfView,
    AssignedId,
    ColumnUse,
    FindingKind,
    ImportResult,
    RatingFinding,
    RowProblem,
    ScaleSource,
    ScaleView,
    Scheme,
    SchemeBand,
    SchemeSource,
    SkippedRow,
    SkipReason,
)

_AXES = ("likelihood", "impact")


@mutable
class _Row:
    """A row of risks as read: its cells by use, its levels by assessment, what it said."""

    row: int
    cells: list[Value]
    id: str = ""
    levels: dict[tuple[Pair, str], int | None] = field(default_factory=dict)
    said: dict[str, str] = field(default_factory=dict)  # level key → the words the cell had
    ok: bool = True


# (row, column index, field, message): a bad cell, its row left out
ProblemFn = Callable[["_Row", int | None, str | None, str], None]


_BAND = re.compile(r"(\d+(?:\.\d+)?)%\s*[–-]\s*(\d+(?:\.\d+)?)%")


def _exported_scales(path: Path) -> dict[str, Scale]:
    """The scales riskcli's own workbook gives in its Scales sheet (``export -o FILE.xlsx``): under
    the headings Likelihood and Impact, a row per level — its number, name, probability band
    (likelihood) and description. None of an axis whose levels are not 1, 2, … each named."""
    from riskcli.register.workbook import read_sheet, sheet_names

    data = path.read_bytes()
    if "Scales" not in sheet_names(path, data):
        return {}
    _, rows = read_sheet(path, data, "Scales")
    found: dict[str, list[Level]] = {}
    axis: str | None = None
    for _, cells in rows:
        first = text(cells[0]) if cells else ""
        if first.lower() in _AXES:
            axis = first.lower()
            found[axis] = []
            continue
        if axis is None or first.lower() == "level":
            continue
        if not first:
            axis = None  # the blank row after an axis's levels
            continue
        name = text(cells[1]) if len(cells) > 1 else ""
        band = _BAND.fullmatch(text(cells[2])) if len(cells) > 2 and axis == "likelihood" else None
        described = text(cells[3]) if len(cells) > 3 else ""
        if not first.isdigit() or int(first) != len(found[axis]) + 1 or not name:
            found[axis] = []  # not a level as export writes one: not the register's scale
            axis = None
            continue
        low, high = (float(band.group(1)) / 100, float(band.group(2)) / 100) if band else (None, None)
        found[axis].append(Level(int(first), name, described, low, high))
    return {a: Scale(a, tuple(lv)) for a, lv in found.items() if len(lv) >= 2}


def _sheets(path: Path) -> list[str]:
    from riskcli.register.workbook import sheet_names

    return sheet_names(path, path.read_bytes())


def _rules(req: Request) -> Rules:
    base = register.default_rules()
    return register.load_rules_file(req.rules, str(req.rules), base) if req.rules is not None else base


def import_table(
    req: Request,
    path: Path,
    *,
    sheet: str | None = None,
    maps: Sequence[str] = (),
    values: Sequence[str] = (),
    header_row: int | None = None,
    rating_column: str | None = None,
    as_of: str | None = None,
    strict: bool = False,
    output: Path | None = None,
    force: bool = False,
    title: str | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read a CSV or XLSX table of risks into a register: written to ``output`` (never over a
    file without ``force``) or returned as text. Rows with a bad cell are left out and reported;
    with ``strict``, any of them (or a published rating not given back) means nothing is written."""
    req.refuse_hypothetical("import", records=False)
    files = (("table", path), *files_read(req))
    if output is not None:
        check_output(output, force=force, reading=files)
    if header_row is not None and header_row < 1:
        raise UserError(f"--header-row {header_row}: rows are numbered from 1")
    given_maps = parse_maps(maps)
    if rating_column is not None:
        if "rating" in given_maps and given_maps["rating"] != rating_column:
            raise UserError("--rating-column and --map rating= name two columns; give one")
        given_maps["rating"] = rating_column
    value_maps = levels.parse_values(values)
    as_of_given = dates.parse_given(as_of) if as_of is not None else None
    imposed = req.rules is not None
    base = _rules(req)
    records = read_records(path, sheet)
    said = {"rating": f"--rating-column {rating_column}"} if rating_column is not None else None
    try:
        table = find_table(records, known, merge, header_row=header_row)
        cols = map_columns(table.source, table.headers, table.rows, given_maps, said=said)
    except UserError as e:
        if sheet is not None or records.format != "xlsx":
            raise
        names = _sheets(path)
        if len(names) < 2:
            raise
        listing = ", ".join(repr(n) for n in names)
        raise UserError(
            f"{e} (in the first sheet, {records.sheet!r}; the workbook has {listing}: name one with --sheet NAME)"
        ) from None
    skipped = [SkippedRow(s.row, SkipReason(s.kind.value), s.text) for s in table.skipped]
    rows, headings = _rows(table, cols)
    skipped += headings
    problems: list[RowProblem] = []

    def problem(r: _Row, index: int | None, name: str | None, message: str) -> None:
        value = text(r.cells[index]) if index is not None and index < len(r.cells) else None
        problems.append(
            RowProblem(
                r.row,
                letter(index) if index is not None else None,
                table.headers[index] if index is not None else None,
                name,
                value if value else None,
                message,
            )
        )
        r.ok = False

    # scales: each axis planned over all its cells, of every assessment; riskcli's own workbook
    # gives the register's scales in its Scales sheet
    exported = any(v.use is ColumnUse.COMPUTED for v in cols.views)
    kept = _exported_scales(path) if exported and table.format == "xlsx" and not imposed else {}
    plans: dict[str, levels.Plan] = {}
    for axis in _AXES:
        scale = kept.get(axis) or (base.likelihood if axis == "likelihood" else base.impact)
        maps_for = {**value_maps.get(None, {}), **value_maps.get(axis, {})}
        at = [i for (_, a), i in cols.levels.items() if a == axis]
        cells = [r.cells[i] for r in rows for i in at if i < len(r.cells)]
        sizes = {n for n in (levels.size_of(table.headers[i]) for i in at) if n is not None}
        size = sizes.pop() if len(sizes) == 1 else None
        plans[axis] = levels.plan(axis, cells, scale, base.words, maps_for, imposed=imposed, size=size)
        if axis in kept and plans[axis].scale == kept[axis]:
            plans[axis].source = ScaleSource.EXPORTED.value
    rules = dataclasses.replace(base, likelihood=plans["likelihood"].scale, impact=plans["impact"].scale)
    if (rules.likelihood.size, rules.impact.size) != (base.likelihood.size, base.impact.size):
        rules = dataclasses.replace(
            rules,
            rating=Rating(base.rating.bands, _derived(rules, base)),
        )
    # levels
    decimal_comma = table.delimiter == ";"
    level_columns = sorted(cols.levels.items(), key=lambda kv: kv[1])
    maps_by_axis = {axis: {**value_maps.get(None, {}), **value_maps.get(axis, {})} for axis in _AXES}
    readings: dict[tuple[str, type, Value], levels.Reading] = {}  # sheets repeat their values
    for r in rows:
        for (pair, axis), i in level_columns:
            value = r.cells[i] if i < len(r.cells) else None
            key = (axis, type(value), value)
            reading = readings.get(key)
            if reading is None:
                reading = levels.read(value, plans[axis], rules.words, maps_by_axis[axis], decimal_comma=decimal_comma)
                readings[key] = reading
            what = axis if pair is Pair.CURRENT else f"{pair} {axis}"
            if reading.error is not None:
                problem(r, i, what, reading.error)
                continue
            r.levels[(pair, axis)] = reading.level
            if pair is cols.primary and reading.said is not None:
                r.said[axis] = reading.said
    # ids: given ones kept; blank ones given the next free R1, R2, …
    assigned = _ids(rows, cols, problem)
    # the other fields, and the risks: assessed, or not yet
    risks: list[Risk] = []
    unassessed: list[Unassessed] = []
    review_at = cols.field_at.get("review_by")
    way = None
    if review_at is not None:
        way = dates.column_way(text(r.cells[review_at]) for r in rows if review_at < len(r.cells))
    for r in rows:
        risk = _risk(r, cols, problem, way)
        if isinstance(risk, Risk) and r.ok:
            risks.append(risk)
        elif isinstance(risk, Unassessed) and r.ok:
            unassessed.append(risk)
    # the rating scheme
    rated = _rated(rows, cols, table)
    scheme, rules = _scheme(rated, rules, base, imposed, cols)
    when = dates.as_of(
        as_of_given,
        [(r.row, r.cells) for r in rows],
        cols.dates,
        [(s.row, s.text) for s in table.skipped if s.kind is Skip.BANNER],
        today or dt.date.today(),
    )
    lost = any(f.kind is not FindingKind.NOT_MONOTONE for f in scheme.findings)
    not_held: tuple[str, ...] = ()
    if exported:  # riskcli's own export
        not_held = tuple(
            name
            for name, missing in (
                ("title", title is None),
                ("as_of", when.source == AsOfSource.TODAY.value),
                ("scales", not imposed and all(p.source == ScaleSource.RULES.value for p in plans.values())),
            )
            if missing
        )
    result = ImportResult(
        source=str(path),
        format=table.format,
        sheet=table.sheet,
        delimiter=table.delimiter,
        header_row=table.header_row,
        group_row=table.group_row,
        header_found=table.found,
        rows=len(rows),
        columns=tuple(cols.views),
        skipped=tuple(sorted(skipped, key=lambda s: s.row)),
        assigned=tuple(assigned),
        problems=tuple(sorted(problems, key=lambda p: (p.row, p.column or ""))),
        imported=len(risks),
        unassessed=tuple(u.id for u in unassessed),
        scales=tuple(
            ScaleView(p.axis, ScaleSource(p.source), tuple(lv.name for lv in p.scale.levels)) for p in plans.values()
        ),
        scheme=scheme,
        as_of=AsOfView(
            when.date,
            AsOfSource(when.source),
            when.row,
            letter(when.column) if when.column is not None else None,
            when.note,
        ),
        strict=strict,
        ok=not problems and not lost,
        output=None,
        register=None,
        yaml=None,
        not_held=not_held,
    )
    if not (risks or unassessed) or (strict and not result.ok):
        return result
    from riskcli.register.write import import_text

    shown = str(output) if output is not None else "(stdout)"
    reg = Register(
        path=shown,
        rules=rules,
        risks=tuple(risks),
        unassessed=tuple(unassessed),
        title=title if title is not None else f"Risks from {path.name}",
        as_of=when.date,
    )
    said_by_id = {r.id: r.said for r in rows if r.ok and r.said}
    text_ = import_text(
        reg,
        source=path.name,
        sheet=table.sheet,
        said=said_by_id,
        today=(today or dt.date.today()).isoformat(),
        rules_path=req.rules,
    )
    text_ = _annotate(text_, rules, scheme, list(plans.values()))
    if output is None:
        return dataclasses.replace(result, yaml=text_)
    write_output(output, text_.encode("utf-8"), force=force, reading=files)
    # the text was read back before it was trusted (register_yaml): it holds ``reg``
    written = dataclasses.replace(reg, path=str(output))
    return dataclasses.replace(result, output=str(output), register=convert.register_info(written))


def _derived(rules: Rules, base: Rules) -> tuple[tuple[str, ...], ...]:
    from riskcli.rules import derived_grid

    return derived_grid(rules.likelihood.size, rules.impact.size, base.rating)


# --------------------------------------------------------------------------- rows


def _rows(table: Table, cols: Columns) -> tuple[list[_Row], list[SkippedRow]]:
    """The rows of risks, and the headings among them: a row of one cell, outside the title column
    and not an id in the id column, names a section."""
    title = cols.field_at.get("title")
    ident = cols.field_at.get("id")
    out: list[_Row] = []
    headings: list[SkippedRow] = []
    for n, cells in table.rows:
        filled = [i for i, c in enumerate(cells) if text(c)]
        lone = text(cells[filled[0]]) if len(filled) == 1 else ""
        if len(filled) == 1 and (filled[0] != title and (filled[0] != ident or not ID_PATTERN.fullmatch(lone))):
            headings.append(SkippedRow(n, SkipReason.HEADING, said(cells)))
            continue
        out.append(_Row(n, cells))
    return out, headings


def _ids(rows: list[_Row], cols: Columns, problem: ProblemFn) -> list[AssignedId]:
    at = cols.field_at.get("id")
    given: dict[str, int] = {}
    for r in rows:
        written = text(r.cells[at]) if at is not None and at < len(r.cells) else ""
        if not written:
            continue
        if not ID_PATTERN.fullmatch(written):
            problem(r, at, "id", f"id {written!r} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
        elif written in given:
            problem(r, at, "id", f"id {written!r} is used already, in row {given[written]}")
        else:
            given[written] = r.row
            r.id = written
    assigned = []
    counter = 0
    for r in rows:
        written = text(r.cells[at]) if at is not None and at < len(r.cells) else ""
        if written:
            continue
        counter += 1
        while f"R{counter}" in given:
            counter += 1
        r.id = f"R{counter}"
        assigned.append(AssignedId(r.row, r.id))
    return assigned


def _number(s: str) -> int | float | str:
    """Text that is exactly a number as riskcli writes one (``42``, ``-1.5``) becomes that number;
    anything else (``007``, ``1e3``, ``1.50``) stays text."""
    if re.fullmatch(r"-?(0|[1-9]\d{0,17})", s):
        return int(s)
    if re.fullmatch(r"-?(0|[1-9]\d*)\.\d+", s):
        x = float(s)
        if math.isfinite(x) and repr(x) == s:
            return x
    return s


def _risk(r: _Row, cols: Columns, problem: ProblemFn, way: str | None = None) -> Risk | Unassessed | None:
    """A row's risk (None when a problem leaves it out); ``way``: how its review dates are written."""

    def cell(name: str) -> str:
        i = cols.field_at.get(name)
        return text(r.cells[i]) if i is not None and i < len(r.cells) else ""

    title = cell("title")
    if not title:
        problem(r, cols.field_at.get("title"), "title", "the title is empty")
    confidence = None
    if cell("confidence"):
        try:
            confidence = Confidence(cell("confidence").lower())
        except ValueError:
            problem(
                r,
                cols.field_at.get("confidence"),
                "confidence",
                f"confidence {cell('confidence')!r} is not low, moderate or high (ICD 203)",
            )
    status = status_of(cell("status")) if cell("status") else None
    if cell("status") and status is None:
        problem(
            r,
            cols.field_at.get("status"),
            "status",
            f"status {cell('status')!r} is not open, treated, accepted, closed or retired; "
            "keep the column under extra with --map status=",
        )
    treatment: Treatment | None = None
    if cell("treatment"):
        strategy = strategy_of(cell("treatment"))
        if strategy is None:
            problem(
                r,
                cols.field_at.get("treatment"),
                "treatment",
                f"treatment {cell('treatment')!r} is not avoid, reduce, transfer or accept (nor mitigate, tolerate, "
                "retain, share, insure or terminate); keep the column under extra with --map treatment=",
            )
        else:
            treatment = Treatment(strategy)
    review_by = dates.day(cell("review_by"), way) if cell("review_by") else ""
    if review_by is None:
        problem(
            r,
            cols.field_at.get("review_by"),
            "review_by",
            f"review date {cell('review_by')!r} is not a date (or could be two: write it as YYYY-MM-DD); "
            "keep the column under extra with --map review_by=",
        )
    actors: list[str] = []
    for a in (x.strip() for x in re.split(r"[,;\n]", cell("actors"))):
        if not a:
            continue
        if not ID_PATTERN.fullmatch(a):
            problem(
                r,
                cols.field_at.get("actors"),
                "actors",
                f"actor {a!r} is not an id (letters, digits, '_', '-', '.', ':'; up to 64); "
                "give ids separated by commas, or keep the column under extra with --map actors=",
            )
        elif a not in actors:
            actors.append(a)
    extra: list[tuple[str, str | int | float]] = []
    for i, key in cols.extra.items():
        v = r.cells[i] if i < len(r.cells) else None
        if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
            extra.append((key, v))
        elif text(v):
            extra.append((key, _number(text(v))))
    if not r.ok or not r.id:
        return None
    lk = r.levels.get((cols.primary, "likelihood"))
    im = r.levels.get((cols.primary, "impact"))
    fields = {
        "id": r.id,
        "title": title,
        "description": cell("description"),
        "category": cell("category"),
        "actors": tuple(actors),
        "rationale": cell("rationale"),
        "evidence": cell("evidence"),
        "confidence": confidence,
        "owner": cell("owner"),
        "status": status,
        "treatment": treatment,
        "review_by": review_by or "",
        "extra": tuple(extra),
        "inherent": _stated(r, cols, Pair.INHERENT),
        "residual": _stated(r, cols, Pair.RESIDUAL),
    }
    if lk is None or im is None:
        return Unassessed(likelihood=lk, impact=im, **fields)  # type: ignore[arg-type]
    return Risk(likelihood=lk, impact=im, **fields)  # type: ignore[arg-type]


def _stated(r: _Row, cols: Columns, pair: Pair) -> Stated | None:
    """An assessment of the sheet's other than the one that places the risk, as it states it."""
    if pair is cols.primary or not any(p is pair for p, _ in cols.levels):
        return None
    lk, im = r.levels.get((pair, "likelihood")), r.levels.get((pair, "impact"))
    return Stated(lk, im) if lk is not None or im is not None else None


# --------------------------------------------------------------------------- the rating scheme


def _rated(rows: list[_Row], cols: Columns, table: Table) -> list[grid.Rated]:
    """Every rated row with both levels of its assessment read, in a column of words (a column of
    numbers alone is a score, not a rating)."""
    out = []
    for pair, i in cols.ratings.items():
        cells = [text(r.cells[i]) for r in rows if i < len(r.cells) and text(r.cells[i])]
        if not cells or all(re.fullmatch(r"[+-]?\d+([.,]\d+)?", c) for c in cells):
            continue
        for r in rows:
            if not r.ok:
                continue
            lk, im = r.levels.get((pair, "likelihood")), r.levels.get((pair, "impact"))
            written = text(r.cells[i]) if i < len(r.cells) else ""
            if lk is None or im is None or not grid.label(written) or levels.unassessed(written):
                continue
            out.append(grid.Rated(r.row, letter(i), str(pair), (lk, im), grid.label(written)))
    return out


def _scheme(rated: list[grid.Rated], rules: Rules, base: Rules, imposed: bool, cols: Columns) -> tuple[Scheme, Rules]:
    columns = tuple(letter(i) for _, i in sorted(cols.ratings.items(), key=lambda kv: kv[1]))

    def counts(found: list[grid.Finding], r: Rules) -> tuple[SchemeBand, ...]:
        n = dict.fromkeys((b.id for b in r.rating.bands), 0)
        wrong = {id(f.rated) for f in found}
        for x in rated:
            if id(x) not in wrong:
                n[r.rating.grid[x.cell[0] - 1][x.cell[1] - 1]] += 1
        return tuple(SchemeBand(b.id, b.name, b.color, n[b.id]) for b in r.rating.bands)

    if not rated:
        return Scheme(SchemeSource.RULES, columns, counts([], rules), (), ()), rules
    checked = grid.check(rated, rules)
    if imposed or not checked:
        source = SchemeSource.IMPOSED if imposed else SchemeSource.AGREES
        return Scheme(source, columns, counts(checked, rules), (), tuple(_finding(f) for f in checked)), rules
    learned = grid.learn(rated, rules.likelihood.size, rules.impact.size)
    rules = dataclasses.replace(rules, rating=Rating(learned.bands, learned.grid))
    bands = tuple(SchemeBand(b.id, b.name, b.color, learned.counts[b.id]) for b in learned.bands)
    inferred = tuple(Cell(lk, im) for lk, im in sorted(learned.inferred))
    return Scheme(SchemeSource.LEARNED, columns, bands, inferred, tuple(_finding(f) for f in learned.findings)), rules


def _finding(f: grid.Finding) -> RatingFinding:
    return RatingFinding(
        f.rated.row,
        f.rated.column,
        f.rated.assessment,
        Cell(*f.rated.cell),
        f.rated.rating,
        FindingKind(f.kind),
        f.expected,
        f.other.row if f.other is not None else None,
    )


# --------------------------------------------------------------------------- writing


def _columns(letters: Sequence[str]) -> str:
    return f"column {letters[0]}" if len(letters) == 1 else f"columns {', '.join(letters[:-1])} and {letters[-1]}"


def _annotate(text_: str, rules: Rules, scheme: Scheme, plans: list[levels.Plan]) -> str:
    """The register's text with what came from the sheet said in comments: its scales, its learned
    grid (each row named, its inferred cells marked)."""
    notes = []
    for p in plans:
        if p.source == "verbal":
            notes.append(f"The {p.axis} scale is the sheet's verbal one: {levels.scale_levels(p.scale)}.")
        elif p.source == "named":
            notes.append(f"The {p.axis} scale has the sheet's level names: {levels.scale_levels(p.scale)}.")
        elif p.source == "numbered":
            notes.append(f"The {p.axis} scale has the {p.scale.size} levels its column's header gives.")
        elif p.source == "exported":
            notes.append(
                f"The {p.axis} scale is the exported register's (the Scales sheet): {levels.scale_levels(p.scale)}."
            )
    if scheme.source is SchemeSource.LEARNED:
        n = rules.likelihood.size * rules.impact.size
        notes.append(
            f"The rating grid is the sheet's own, learned from its rated rows ({_columns(scheme.columns)}): "
            f"{n - len(scheme.inferred)} of its {n} cells as the rows rate them; {len(scheme.inferred)} inferred, marked "
            "beside their rows: no row rates them, so each takes the band of the rated cells nearest in L×I, "
            "held between the bands of the cells around it."
        )
    if not notes:
        return text_
    lines = text_.split("\n")
    top = next(i for i, line in enumerate(lines) if not line.startswith("#"))
    lines[top:top] = [f"# {part}" for line in notes for part in textwrap.wrap(line, 96)]
    if scheme.source is SchemeSource.LEARNED:
        inferred = {(c.likelihood, c.impact) for c in scheme.inferred}
        at = next((i for i, line in enumerate(lines) if line == "  grid:"), None)
        if at is not None:
            for lk in range(1, rules.likelihood.size + 1):
                i = at + lk
                if not lines[i].lstrip().startswith("- ["):
                    break
                note = f"{lk} {rules.likelihood.level(lk).name}"
                marks = [f"I{im}" for im in range(1, rules.impact.size + 1) if (lk, im) in inferred]
                if marks:
                    note += f"; inferred: {', '.join(marks)}"
                lines[i] += f"  # {note}"
    return "\n".join(lines)
