"""The register written out for other tools: CSV, an XLSX workbook, or JSON.

CSV and the workbook's risks sheet have the same columns (``shapes.transfer.EXPORT_COLUMNS``),
so either imports back. Text is written as it is in the register, except that a cell beginning
with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe, so that no spreadsheet
reads it as a formula — headers too, since a register's extra keys become columns — as does a
cell beginning with an apostrophe or beginning or ending with white space, so that import gives
it back exactly; in the workbook, control characters (which XLSX cannot hold) are shown as
visible symbols, and so they are in CSV printed to a terminal (``for_terminal``). The workbook
also has the current matrix in its band colours with a legend, the inherent matrix when
responses are applied, the scales, and the method in words.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from typing import Any

from riskcli.model import Status
from riskcli.records import frozen
from riskcli.render.streams import clean
from riskcli.results.shapes.common import Score
from riskcli.results.shapes.matrix import Grid, LevelView
from riskcli.results.shapes.transfer import (
    EXPORT_COLUMNS,
    EXTRA_PREFIX,
    INHERENT_COLUMNS,
    OUTCOME_COLUMN,
    STATED_COLUMNS,
    TEXT_COLUMNS,
    UNROUNDED_COLUMNS,
    ExportData,
    ExportRisk,
    ExportUnassessed,
    StatedView,
)

# openpyxl's write-only sheet: its stubs omit the column and row dimensions, freeze panes and
# filter that it has (as a normal sheet has them) and that are set here before its first row.
WriteOnlyWorksheet = Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARDED_START = (*FORMULA_START, "'")
XLSX_TEXT_LIMIT = 32_767  # characters in one cell
# Printable text starting with none of these and not ending with a space is written as it is
# (``isprintable`` is false for every other character ``clean`` changes or ``strip`` removes).
_PLAIN_NOT = (*GUARDED_START, " ")

# The 16 standard terminal colours as a spreadsheet shows them (a terminal draws them in its own
# theme; these are the familiar office colours of the same names).
_STANDARD_HEX = (
    "000000", "FF0000", "00B050", "FFFF00", "0070C0", "FF00FF", "00FFFF", "FFFFFF",
    "808080", "FF5555", "92D050", "FFFF99", "5B9BD5", "FF77FF", "99FFFF", "FFFFFF",
)  # fmt: skip


def render_export(data: ExportData, fmt: str) -> tuple[str | bytes, tuple[str, ...]]:
    """The data in a format — ``csv``, ``xlsx`` or ``json`` — and, for a workbook, its sheets."""
    if fmt == "csv":
        return to_csv(data), ()
    if fmt == "xlsx":
        return to_xlsx(data)
    if fmt == "json":
        from riskcli.render.json import chunks, document

        return "".join(chunks(document(data))), ()
    raise ValueError(fmt)


# --------------------------------------------------------------------------- the risks table


def guard(text: str) -> str:
    """Text a spreadsheet would take for a formula gets a leading apostrophe; so does text that
    begins with an apostrophe or begins or ends with white space, so that import, which takes the
    apostrophe off again (``results.importing.table.text``), gives back the text exactly."""
    return "'" + text if text.startswith(GUARDED_START) or text != text.strip() else text


def number(x: float) -> int | float:
    """A score as a table shows it: whole numbers whole, others to 4 places."""
    return round(x) if abs(x - round(x)) < 1e-9 else round(x, 4)


def extra_keys(data: ExportData) -> list[str]:
    """Every extra field of the risks (those not yet assessed too), in the order they first appear."""
    keys: dict[str, None] = {}
    for extra in [r.extra for r in data.risks] + [u.extra for u in data.unassessed]:
        keys.update(dict.fromkeys(extra))
    return list(keys)


@frozen
class Layout:
    """Which of the optional columns a table has: the outcome (a risk is resolved), the unrounded
    levels (a risk's current levels are not whole), the inherent cells (responses are applied),
    the stated assessments (a risk states an inherent or a residual one)."""

    unrounded: bool
    inherent: bool
    stated_inherent: bool
    stated_residual: bool
    outcome: bool = False

    @classmethod
    def of(cls, data: ExportData) -> Layout:
        everyone = [r.stated for r in data.risks] + [u.stated for u in data.unassessed]
        return cls(
            any(abs(x - round(x)) > 1e-9 for r in data.risks for x in (r.current.likelihood, r.current.impact)),
            data.inherent is not None,
            any(x.inherent is not None for x in everyone),
            any(x.residual is not None for x in everyone),
            any(r.resolution is not None for r in data.risks),
        )


_AFTER_STATUS = EXPORT_COLUMNS.index("status") + 1  # where the outcome column goes


def headers(layout: Layout, extra: Sequence[str]) -> list[str]:
    taken = {*EXPORT_COLUMNS, *UNROUNDED_COLUMNS, *INHERENT_COLUMNS, *STATED_COLUMNS, *TEXT_COLUMNS}
    if layout.outcome:
        taken.add(OUTCOME_COLUMN)
    cols = [
        *EXPORT_COLUMNS[:_AFTER_STATUS],
        *((OUTCOME_COLUMN,) if layout.outcome else ()),
        *EXPORT_COLUMNS[_AFTER_STATUS:],
        *(UNROUNDED_COLUMNS if layout.unrounded else ()),
        *(INHERENT_COLUMNS if layout.inherent else ()),
        *(STATED_COLUMNS[:2] if layout.stated_inherent else ()),
        *(STATED_COLUMNS[2:] if layout.stated_residual else ()),
        *TEXT_COLUMNS,
    ]
    return cols + [EXTRA_PREFIX + k if k.strip().lower() in taken or k.startswith(EXTRA_PREFIX) else k for k in extra]


def _stated(stated: StatedView, layout: Layout) -> list[Any]:
    out: list[Any] = []
    for on, levels in ((layout.stated_inherent, stated.inherent), (layout.stated_residual, stated.residual)):
        if on:
            out += [levels.likelihood, levels.impact] if levels is not None else [None, None]
    return out


def row(r: ExportRisk, layout: Layout, extra: Sequence[str]) -> list[Any]:
    """A risk's cells: text, numbers, or None for an empty cell; ``extra`` is every risk's extra
    fields, in order. ``score`` is the product of the cells, as the sheet's own =L*I gives it."""
    cur = r.current
    done = r.resolution
    out: list[Any] = [
        r.id,
        r.title,
        r.category,
        r.owner,
        # a resolved risk is out of the live views: closed, so that import reads it back as such
        Status.CLOSED.value if done is not None and r.status.live else r.status.value,
        *((outcome_text(r),) if layout.outcome else ()),
        r.treatment.value if r.treatment else None,
        r.review_by,
        ", ".join(r.actors) or None,
        cur.cell.likelihood,
        cur.cell.impact,
        cur.rating.name,
        cur.cell.likelihood * cur.cell.impact,
        r.rank,
        r.confidence.value if r.confidence else None,
        r.baseline.likelihood,
        r.baseline.impact,
    ]
    if layout.unrounded:
        out += [number(cur.likelihood), number(cur.impact), number(cur.score)]
    if layout.inherent:
        inh: Score = r.inherent or cur
        out += [inh.cell.likelihood, inh.cell.impact, inh.rating.name]
    out += _stated(r.stated, layout)
    out += [r.description, r.rationale, r.evidence]
    out += [r.extra.get(k) for k in extra]
    return out


def outcome_text(r: ExportRisk) -> str | None:
    """What happened to a resolved risk, for the outcome column: ``occurred on 2026-12-01``."""
    done = r.resolution
    return f"{done.outcome.value.replace('-', ' ')} on {done.on}" if done is not None else None


def unassessed_row(u: ExportUnassessed, layout: Layout, extra: Sequence[str]) -> list[Any]:
    """A risk not yet assessed: its level given, if any; no rating, score, rank or cell."""
    lk, im = u.levels.likelihood, u.levels.impact
    out: list[Any] = [
        u.id, u.title, u.category, u.owner, u.status.value, *((None,) if layout.outcome else ()),
        u.treatment.value if u.treatment else None, u.review_by,
        ", ".join(u.actors) or None, lk, im, None, None, None, u.confidence.value if u.confidence else None, lk, im,
    ]  # fmt: skip
    out += [None] * ((3 if layout.unrounded else 0) + (3 if layout.inherent else 0))
    out += _stated(u.stated, layout)
    out += [u.description, u.rationale, u.evidence]
    out += [u.extra.get(k) for k in extra]
    return out


def rows(data: ExportData, layout: Layout, extra: Sequence[str]) -> list[list[Any]]:
    """Every row of the table: the risks, then those not yet assessed."""
    return [row(r, layout, extra) for r in data.risks] + [unassessed_row(u, layout, extra) for u in data.unassessed]


def to_csv(data: ExportData) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    extra = extra_keys(data)
    layout = Layout.of(data)
    w.writerow([guard(h) for h in headers(layout, extra)])
    for cells in rows(data, layout, extra):
        w.writerow(["" if v is None else guard(v) if isinstance(v, str) else v for v in cells])
    return buf.getvalue()


def for_terminal(payload: str) -> str:
    """An export printed to a terminal: its control characters (an escape sequence in a title,
    a bidi override) shown as visible symbols, its CRLF line ends as plain ones. Piped or written
    with -o, an export stays exact."""
    return clean(payload.replace("\r\n", "\n"))


# --------------------------------------------------------------------------- colours


def hex_colour(name: str) -> str | None:
    """A band colour as RRGGBB: a hex colour as given, a named one through its palette."""
    from rich.color import Color, ColorParseError, ColorType

    try:
        c = Color.parse(name)
    except (ColorParseError, ValueError):  # Rich raises ValueError for "rgb(1 2,3,4)"
        return None
    if c.type is ColorType.DEFAULT:
        return None
    if c.number is not None and c.number < 16 and c.type is not ColorType.TRUECOLOR:
        return _STANDARD_HEX[c.number]
    t = c.get_truecolor()
    return f"{t.red:02X}{t.green:02X}{t.blue:02X}"


def ink(fill: str) -> str:
    """Legible text on a fill: black on light colours, white on dark ones."""
    r, g, b = (int(fill[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "FFFFFF"


# --------------------------------------------------------------------------- the workbook


def _text(value: object) -> str:
    """Text fit for a workbook cell: controls made visible, bounded, guarded from formulas."""
    s = clean(value)
    if len(s) > XLSX_TEXT_LIMIT:
        s = s[: XLSX_TEXT_LIMIT - 1] + "…"
    return guard(s)


def _cell(value: object) -> object:
    t = type(value)
    if t is str:  # the common case first: printable text that needs no guard is written as it is
        s: str = value  # type: ignore[assignment]
        if s.isprintable() and len(s) <= XLSX_TEXT_LIMIT and not s.startswith(_PLAIN_NOT) and not s.endswith(" "):
            return s
    elif t is int or t is float or value is None:
        return value
    elif t is bool:
        return str(value)
    return _text(value)


def to_xlsx(data: ExportData) -> tuple[bytes, tuple[str, ...]]:
    """The workbook, written row by row (openpyxl's write-only mode: no cell is kept once written)
    with one style object per band, shared by every cell of that band."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    _risks_sheet(wb.create_sheet("Risks"), data)
    _matrix_sheet(wb.create_sheet("Matrix"), data, data.matrix, inherent=False)
    if data.inherent is not None:
        _matrix_sheet(wb.create_sheet("Inherent"), data, data.inherent, inherent=True)
    _scales_sheet(wb.create_sheet("Scales"), data)
    _method_sheet(wb.create_sheet("Method"), data)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), tuple(wb.sheetnames)


def _fill(hex_rgb: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color="FF" + hex_rgb, end_color="FF" + hex_rgb)


def _band_colours(data: ExportData) -> dict[str, str | None]:
    return {b.id: hex_colour(b.color) for b in data.matrix.bands}


def _styled(ws: WriteOnlyWorksheet, value: str | float | None = None, **style: Any) -> Any:
    """A write-only cell with a value and a style (font, fill, alignment, border)."""
    c = _styled_cell()(worksheet=ws, column=1, row=1, value=value)  # as openpyxl.cell.WriteOnlyCell
    for k, v in style.items():
        setattr(c, k, v)
    return c


@functools.cache
def _styled_cell() -> type:
    """openpyxl's cell, but for its repr. A write-only sheet takes each value of a row as a cell's
    value first, and a styled cell only once that has failed, with an error message it formats
    with the cell's repr (the sheet's title and the cell's coordinate) and then drops: for every
    styled cell, some 40,000 in the workbook of 10,000 risks, a few per cent of its time. A plain
    repr makes that failure cheap; the cell is written the same."""
    from openpyxl.cell import Cell

    class StyledCell(Cell):
        __slots__ = ()

        def __repr__(self) -> str:
            return "<StyledCell>"

    return StyledCell


def _risks_sheet(ws: WriteOnlyWorksheet, data: ExportData) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    extra = extra_keys(data)
    layout = Layout.of(data)
    cols = headers(layout, extra)
    wide = {"title": 50, "description": 60, "rationale": 60, "evidence": 60}
    for i, h in enumerate(cols, start=1):  # before the first row: the sheet is written as it goes
        ws.column_dimensions[get_column_letter(i)].width = wide.get(h, max(10, min(30, len(h) + 2)))
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{len(data.risks) + len(data.unassessed) + 1}"
    bold = Font(bold=True)
    ws.append([_styled(ws, _text(h), font=bold) for h in cols])
    # One cell per band, its value the band's name: every rating cell of that band is this cell,
    # placed anew in each row as the row is written.
    colours = _band_colours(data)
    rated: dict[str, Any] = {}
    for b in data.matrix.bands:
        c = colours.get(b.id)
        if c:
            rated[b.id] = _styled(ws, _text(b.name), fill=_fill(c), font=Font(color="FF" + ink(c)))
    at = {h: i for i, h in enumerate(cols)}
    rating, inherent = at["rating"], at.get("inherent rating")
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = [(i, _styled(ws, alignment=wrap)) for i, h in enumerate(cols) if h in wide]
    for r in data.risks:
        values = [_cell(v) for v in row(r, layout, extra)]
        if r.current.rating.id in rated:
            values[rating] = rated[r.current.rating.id]
        if inherent is not None and (band := (r.inherent or r.current).rating.id) in rated:
            values[inherent] = rated[band]
        for i, c in wrapped:
            if values[i] is not None:
                c.value = values[i]
                values[i] = c
        ws.append(values)
    for u in data.unassessed:
        ws.append([_cell(v) for v in unassessed_row(u, layout, extra)])


def _level(lv: LevelView) -> str:
    return _text(f"{lv.value} {lv.name}")


def _not_drawn(data: ExportData) -> str:
    """The risks the matrices leave out, as ``matrix`` does: resolved, closed or retired."""
    out = [f"{r.id} ({outcome_text(r) or r.status.value})" for r in data.risks if r.resolution or not r.status.live]
    return f" Not drawn (listed on the Risks sheet): {', '.join(out)}." if out else ""


def _matrix_sheet(ws: WriteOnlyWorksheet, data: ExportData, g: Grid, *, inherent: bool) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    title = data.register.title or data.register.path
    if inherent:
        heading = "Inherent matrix: as if no response were applied"
    elif data.applied:
        heading = f"Current matrix (residual): with responses {', '.join(data.applied)} applied"
    else:
        heading = "Current matrix: no response is applied, so inherent and residual are the same"
    colours = _band_colours(data)
    thin = Side(style="thin", color="FF808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    top = 5  # the first row of the grid: likelihood from the highest level down, impact across
    n_i = len(g.impact)
    legend = n_i + 3  # the legend's column (1-based), after a blank one
    ws.column_dimensions["A"].width = 24
    for k in range(n_i):
        ws.column_dimensions[get_column_letter(k + 2)].width = 18
    ws.column_dimensions[get_column_letter(legend)].width = 16
    for j in range(len(g.likelihood)):
        ws.row_dimensions[top + j].height = 45
    ws.append([_styled(ws, _text(title), font=Font(bold=True, size=14))])
    ws.append([_text(heading)])
    ws.append(
        [
            _text(
                "Each cell lists the risks in it, highest score first; its colour is the cell's rating."
                + _not_drawn(data)
            )
        ]
    )
    header: list[Any] = [_styled(ws, "Likelihood ↓ / Impact →", font=bold)]
    header += [
        _styled(ws, _level(lv), font=bold, alignment=Alignment(horizontal="center", wrap_text=True)) for lv in g.impact
    ]
    header += [None, _styled(ws, "Rating", font=bold), _styled(ws, "Risks", font=bold)]
    ws.append(header)
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    likelihood = list(reversed(g.likelihood))
    bands = list(reversed(g.bands))
    centred = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j in range(max(len(likelihood), len(bands))):
        line: list[Any] = [None] * (legend + 1)
        if j < len(likelihood):
            lv = likelihood[j]
            line[0] = _styled(ws, _level(lv), font=bold, alignment=Alignment(vertical="center", wrap_text=True))
            for k, iv in enumerate(g.impact):
                cell = by_cell.get((lv.value, iv.value))
                if cell is None:
                    continue
                style: dict[str, Any] = {"alignment": centred, "border": border}
                colour = colours.get(cell.rating.id)
                if colour:
                    style["fill"] = _fill(colour)
                    style["font"] = Font(color="FF" + ink(colour), bold=bool(cell.risks))
                value = _text(", ".join(cell.risks)) if cell.risks else None
                line[k + 1] = _styled(ws, value, **style)
        if j < len(bands):
            band = bands[j]
            colour = colours.get(band.id)
            style = {"fill": _fill(colour), "font": Font(color="FF" + ink(colour), bold=True)} if colour else {}
            line[legend - 1] = _styled(ws, _text(band.name), **style)
            line[legend] = band.count
        ws.append(line)


def _scales_sheet(ws: WriteOnlyWorksheet, data: ExportData) -> None:
    from openpyxl.styles import Font

    g = data.matrix
    for letter, width in (("A", 10), ("B", 18), ("C", 14), ("D", 70)):
        ws.column_dimensions[letter].width = width
    heading = Font(bold=True, size=12)
    ws.append([_styled(ws, "Likelihood", font=heading)])
    ws.append(["level", "name", "probability", "description"])
    for lv in g.likelihood:
        band = f"{lv.probability[0]:.0%}–{lv.probability[1]:.0%}" if lv.probability else None
        ws.append([lv.value, _text(lv.name), band, _text(lv.description) if lv.description else None])
    ws.append([])
    ws.append([_styled(ws, "Impact", font=heading)])
    ws.append(["level", "name", "", "description"])
    for lv in g.impact:
        ws.append([lv.value, _text(lv.name), None, _text(lv.description) if lv.description else None])
    ws.append([])
    ws.append([_styled(ws, "Rating bands (lowest first)", font=heading)])
    ws.append(["id", "name", "colour"])
    colours = _band_colours(data)
    for b in g.bands:
        colour = colours.get(b.id)
        name: Any = _text(b.name)
        if colour:
            name = _styled(ws, name, fill=_fill(colour), font=Font(color="FF" + ink(colour)))
        ws.append([_text(b.id), name, _text(f"#{colour}" if colour else b.color)])


def method_text(data: ExportData) -> list[str]:
    """How riskcli computed the scores in this workbook, in words."""
    from riskcli.render.words import CELL_RULE  # the words the views place a tie by

    g = data.matrix
    nl, ni = len(g.likelihood), len(g.impact)
    bands = ", ".join(clean(b.name, one_line=True) for b in g.bands)
    applied = ", ".join(data.applied)
    return [
        "How the scores in this workbook are computed",
        "",
        f"Levels. Each risk has a likelihood (1–{nl}) and an impact (1–{ni}) on the scales of the Scales sheet. "
        "Likelihood levels carry probability bands, so an estimative phrase (ICD 203: “very likely”) or a "
        "probability (30%) is read as the level whose band holds it.",
        f"Rating. A cell's rating comes from the register's rating grid (one band per cell: {bands}); the "
        "Matrix sheet shows the grid in its band colours.",
        "Baseline. The register gives each risk its baseline likelihood and impact (the 'baseline' columns).",
        "Assumptions and drivers. A risk may rest on assumptions, each held with a belief b (the probability "
        "that it holds). A driver says how many scale steps the risk moves if its assumption holds and if it "
        "fails; at belief b its expected shift is b × if_holds + (1 − b) × if_fails.",
        "Current score. current = baseline + Σ over drivers of [shift at today's belief − shift at the baseline "
        f"belief], held within 1–{nl} (likelihood) and 1–{ni} (impact) and kept unrounded. The matrix cell is "
        f"{CELL_RULE}. 'score' is likelihood × impact of the cells, as a spreadsheet's own L×I "
        "gives it; where a risk's levels are not whole, the 'unrounded' columns give them and their product. "
        "'rank' orders the live risks by rating, then the unrounded product — so risks sharing a cell are still "
        "told apart; a resolved, closed or retired risk has none.",
        "Analyst scores. The latest score an analyst gave a risk replaces its baseline and holds for the "
        "beliefs and responses in force when it was given; later changes move it from there.",
        "Responses. A response shifts the risks it treats (and may raise others: side effects). The inherent "
        "score is the score as if no response were applied; the residual score is the score with the responses "
        "applied."
        + (f" Applied when exported: {applied}." if applied else " None was applied when this was exported."),
        "Confidence. Analytic confidence (low, moderate, high) is shown beside a judgement and never changes a score.",
        "The journal. What analysts did — scores, beliefs, observations, responses — is recorded in the "
        "register's journal; the current scores are the register's baseline with the journal replayed, as of "
        "this export.",
        "Resolved risks. A risk that occurred, or was settled as not occurring (riskcli resolve), is out of the "
        "live views: the Risks sheet lists it with its outcome and its status closed, and the matrices do not "
        "draw it, nor any closed or retired risk.",
        "",
        "Text from the register is written as it is, except that a cell beginning with =, +, - or @ starts "
        "with an apostrophe, so that no spreadsheet reads it as a formula (as does one that begins with an "
        "apostrophe or begins or ends with a space, so that riskcli import reads back exactly what was written).",
    ]


def _method_sheet(ws: WriteOnlyWorksheet, data: ExportData) -> None:
    from openpyxl.styles import Alignment, Font

    ws.column_dimensions["A"].width = 110
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, line in enumerate(method_text(data)):
        font = Font(bold=True, size=14) if i == 0 else None
        ws.append([_styled(ws, guard(line) if line else None, alignment=wrap, **({"font": font} if font else {}))])


__all__: Sequence[str] = ("for_terminal", "render_export", "to_csv", "to_xlsx")
