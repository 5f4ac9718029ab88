"""The likelihood × impact heat map, comparisons, and the table of risks that moved."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rich import box
from rich.align import Align
from rich.console import Console, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from riskcli.render.console import Out, T, clean, std_console
from riskcli.render.layout import Key, band_text, cell_style, fit, fmt_level
from riskcli.render.words import (
    band_range,
    cause_text,
    clamp_text,
    finding_text,
    header,
    resolution_text,
    state_label,
    unassessed,
)
from riskcli.results.shapes.common import JournalInfo, MoveView, Rating, ResolvedView, Score
from riskcli.results.shapes.matrix import CellView, CompareResult, Grid, LevelView, MatrixResult, MatrixView
from riskcli.scoring import Clamp

MAX_IDS_PER_CELL = 12


def marks_of(moves: Sequence[MoveView]) -> dict[str, str]:
    """↑ rose into its cell, ↓ fell into it, • moved within it."""
    out = {}
    for m in moves:
        changed = (m.from_.cell.likelihood, m.from_.cell.impact) != (m.to.cell.likelihood, m.to.cell.impact)
        out[m.risk] = ("↑" if m.to.score > m.from_.score else "↓") if changed else "•"
    return out


def matrix_view(r: MatrixResult, out: Out, key: Key, *, journal: JournalInfo | None = None) -> None:
    """The heat map; ``journal``: the journal read and its events in force, said under it."""
    con = std_console(out)
    what = "likelihood × impact"
    if r.view is MatrixView.INHERENT:
        what += ", inherent (no responses applied)"
    elif r.applied:
        what += f", residual (responses applied: {', '.join(r.applied)})"
    marks = None
    if r.compare is not None:
        what += f", compared with {state_label(r.compare.from_, key)}"
        marks = marks_of(r.compare.moves)
    if r.actor is not None:
        what += f", the risks {r.actor} bears"
    expected = None
    if r.simulated is not None:
        what += ", simulated"
        marks = {**(marks or {}), **{rid: (marks or {}).get(rid, "") + "⇕" for rid in r.simulated.split}}
        expected = {(c.likelihood, c.impact): c.expected for c in r.simulated.cells}
    if r.disagree:
        from riskcli.render.team import DISAGREE_MARK

        marks = {**(marks or {}), **{rid: (marks or {}).get(rid, "") + DISAGREE_MARK for rid in r.disagree}}
    con.print(header(r.register, what, r.hypothetical, key, r.as_of))
    grid_table(con, r, key, marks, expected=expected, appetite=r.appetite, target=r.target)
    apart_note(out, r.apart)
    if r.disagree:
        from riskcli.render.team import disagree_note

        out.note(disagree_note(r.disagree))
    resolved_note(out, r.resolved, con)
    if journal is not None:
        con.print(T(journal_text(journal), style="dim"))
    if r.simulated is not None:
        from riskcli.render.analysis import simulated_chances, simulated_note

        con.print(simulated_note(r.simulated), style="dim")
        simulated_chances(con, r.simulated, key)
    if r.compare is not None:
        label = state_label(r.compare.from_, key)
        moves_table(con, key, r.compare.moves, f"Moves since {label}", f"nothing has moved since {label}")
    warn_clamped(out, ((c.risk, c.clamps) for c in r.clamped))
    for f in r.findings:
        if not f.acknowledged:
            out.warn(f"{f.subject}: {finding_text(f)} [{f.id}]")
    unassessed_note(out, r.unassessed)


def journal_text(j: JournalInfo) -> str:
    """What the state shown is made of: ``State: the register's baseline with 3 journal events in
    force, from PATH.``"""
    if not j.events:
        return f"State: the register's baseline; no journal event in force ({j.path})."
    return f"State: the register's baseline with {j.events} journal event{'s' if j.events != 1 else ''} in force, from {j.path}."


def compare_view(r: CompareResult, out: Out, key: Key) -> None:
    con = std_console(out)
    a, b = state_label(r.from_, key), state_label(r.to, key)
    con.print(header(r.register, f"{b}, compared with {a}", as_of=r.as_of))
    grid_table(con, r, key, marks_of(r.moves))
    moves_table(con, key, r.moves, f"Moves from {a} to {b} ({len(r.moves)})", f"nothing moves from {a} to {b}")
    resolved_note(out, r.resolved, con)
    apart_note(out, r.apart)


def apart_note(out: Out, apart: Sequence[str]) -> None:
    """The closed and retired risks a view leaves out, on stderr."""
    if apart:
        n = len(apart)
        out.note(f"{n} closed or retired risk{'s' if n != 1 else ''} not shown: {', '.join(apart)}")


def unassessed_note(out: Out, ids: Sequence[str]) -> None:
    """The risks not yet assessed a view leaves out, on stderr."""
    if ids:
        out.note(unassessed(ids))


def resolved_note(out: Out, resolved: Sequence[ResolvedView], con: Console | None = None) -> None:
    """The risks out of a live view because they are resolved, with their outcomes: under the view
    (``con``), else on stderr (beside tab-separated lines)."""
    if not resolved:
        return
    said = "; ".join(resolution_text(x.id, x.outcome, x.on) for x in resolved)
    text = f"Resolved, out of the live view ({len(resolved)}): {said}."
    if con is None:
        out.note(text)
    else:
        con.print(T(text))


def grid_table(
    con: Console,
    g: Grid,
    key: Key,
    marks: Mapping[str, str] | None = None,
    *,
    expected: Mapping[tuple[int, int], float] | None = None,
    appetite: Rating | None = None,
    target: Rating | None = None,
) -> None:
    """The matrix, using the width it has; every line of a cell carries its band's background
    (with ``expected``, the number of risks each cell expects, shading it: matrix --simulated).
    With an ``appetite``, the cells rated above it are marked ▲; with a ``target``, those at or
    below it ✓."""
    rank = {b: i for i, b in enumerate(key.order)}
    above = rank.get(appetite.id) if appetite is not None else None
    within = rank.get(target.id) if target is not None else None

    def mark(c: CellView) -> str:
        at = rank.get(c.rating.id)
        if at is None:
            return ""
        if above is not None and at > above:
            return " ▲"
        if within is not None and at <= within:
            return " ✓"
        return ""

    nl, ni = len(g.likelihood), len(g.impact)
    label_w = max(
        [10]
        + [len(band_range(*lv.probability)) for lv in g.likelihood if lv.probability is not None]
        + [len(w) + 2 for lv in g.likelihood for w in lv.name.split()]
    )
    label_w = min(label_w, max(6, con.width - ni * 4 - ni - 2))  # narrow terminals
    col_w = max(3, (con.width - label_w - ni - 2) // ni)
    table = Table(box=box.SQUARE, show_lines=True, padding=(0, 0), expand=False)
    table.add_column(Text("L ↓  I →", style="dim"), width=label_w)
    for lv in g.impact:
        table.add_column(_axis(lv, col_w, impact=True), justify="center", overflow="fold", width=col_w)
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    if g.opportunities:
        marks = {**(marks or {}), **{rid: (marks or {}).get(rid, "") + "+" for rid in g.opportunities}}
    for li in range(nl, 0, -1):
        axis = _axis(g.likelihood[li - 1], label_w)
        texts = [
            _cell_text(
                by_cell[(li, ii)],
                marks or {},
                None if expected is None else expected.get((li, ii), 0.0),
                mark(by_cell[(li, ii)]),
            )
            for ii in range(1, ni + 1)
        ]
        height = max([_height(con, axis, label_w)] + [_height(con, t, col_w) for t in texts])
        row: list[RenderableType] = [axis]
        for ii, text in zip(range(1, ni + 1), texts, strict=True):
            style = cell_style(by_cell[(li, ii)].rating.id, key, con)
            if expected is not None:
                from riskcli.render.analysis import shaded

                style = shaded(style, expected.get((li, ii), 0.0) / (max(expected.values()) or 1.0))
            row.append(Align(text, align="center", style=style, vertical="middle", height=height))
        table.add_row(*row)
    con.print(table)
    con.print(tally(g, key, con))
    explain_marks = (
        " Marks: ↑ score rose into this cell, ↓ fell into it, • moved within it."
        if marks and any(m.strip("⇕+±") for m in marks.values())
        else ""
    )
    con.print(
        Text(
            "Rows: likelihood (highest at the top). Columns: impact. In a cell: risk ids, highest score first; "
            "then the rating and the count."
            + explain_marks
            + (" +: an opportunity (an upside), counted apart from the threats." if g.opportunities else "")
            + (f" ▲: above the appetite ({appetite.name})." if appetite is not None and above is not None else "")
            + (f" ✓: at or below the target ({target.name})." if target is not None and within is not None else ""),
            style="dim",
        )
    )


def tally(g: Grid, key: Key, con: Console) -> Text:
    """``Ratings: Low 1  Medium 5 …  (18 risks)``; opportunities apart: ``Opportunities: Medium 1``."""
    legend = Text("Ratings: ")
    for i, b in enumerate(g.bands):
        if i:
            legend.append("  ")
        legend.append(f" {clean(b.name, one_line=True)} ", style=cell_style(b.id, key, con))
        legend.append(f" {b.count}")
    total = sum(b.count for b in g.bands)
    ups = [b for b in g.bands if b.opportunities]
    what = "threat" if ups else "risk"
    legend.append(f"   ({total} {what}{'s' if total != 1 else ''})", style="dim")
    if ups:
        legend.append("   Opportunities (+): ")
        for i, b in enumerate(ups):
            if i:
                legend.append("  ")
            legend.append(f" {clean(b.name, one_line=True)} ", style=cell_style(b.id, key, con))
            legend.append(f" {b.opportunities}")
    return legend


def _height(con: Console, text: Text, width: int) -> int:
    return len(con.render_lines(text, con.options.update(width=width), pad=False))


def _axis(lv: LevelView, width: int, *, impact: bool = False) -> Text:
    """An axis label: the level and its name (and band); impact names are cut to the column."""
    name = clean(lv.name, one_line=True)
    t = Text(f"{lv.value}", style="bold")
    if impact:
        t.append("\n" + (name if len(name) <= width else name[: width - 1] + "…"))
    else:
        t.append(" " + name)
    if lv.probability is not None:
        t.append(f"\n{band_range(*lv.probability)}", style="dim")
    return t


def _cell_text(c: CellView, marks: Mapping[str, str], expected: float | None = None, mark: str = "") -> Text:
    t = Text(justify="center")
    shown = c.risks[:MAX_IDS_PER_CELL]
    if shown:
        t.append(" ".join(clean(rid, one_line=True) + marks.get(rid, "") for rid in shown), style=Style(bold=True))
        if len(c.risks) > len(shown):
            t.append(f" +{len(c.risks) - len(shown)}")
        t.append(f"\n{clean(c.rating.name, one_line=True)} · {c.count}{mark}", style=Style(italic=True))
    else:
        t.append(clean(c.rating.name, one_line=True) + mark, style=Style(dim=True, italic=True))
    if expected:
        t.append(f"\n≈{expected:.1f}", style=Style(bold=True))
    return t


def warn_clamped(out: Out, rows: Iterable[tuple[str, Sequence[Clamp]]]) -> None:
    """Coherence: a score pinned at an end of its scale hides how far the model pushes it."""
    pinned = [(rid, cl) for rid, cl in rows if cl]
    for rid, cl in pinned[:5]:
        out.warn(f"{rid}: score is clamped ({'; '.join(clamp_text(c) for c in cl)}); see riskcli explain {rid}")
    if len(pinned) > 5:
        out.warn(f"{len(pinned) - 5} more risks have clamped scores")


# --------------------------------------------------------------------------- moves


def _arrow(a: float, b: float) -> str:
    return fmt_level(b) if abs(a - b) < 1e-9 else f"{fmt_level(a)}→{fmt_level(b)}"


def _cell(s: Score) -> str:
    return f"{s.cell.likelihood},{s.cell.impact}"


def rating_change(before: Rating, after: Rating, key: Key, con: Console | None = None) -> Text:
    t = band_text(before, key, con)
    if before.id != after.id:
        t.append(" → ")
        t.append_text(band_text(after, key, con))
    return t


def moves_table(con: Console, key: Key, moves: Sequence[MoveView], title: str, empty: str = "no risk moved") -> None:
    if not moves:
        con.print(Text(empty, style="dim"))
        return
    table = Table(
        box=box.SIMPLE_HEAD, title=Text(clean(title, one_line=True), style="bold"), title_justify="left", expand=True
    )
    table.add_column("Risk", no_wrap=True, style="bold")
    table.add_column("Title", ratio=1, min_width=20)
    table.add_column("L", no_wrap=True)
    table.add_column("I", no_wrap=True)
    table.add_column("Cell", no_wrap=True)
    table.add_column("Rating", no_wrap=True)
    table.add_column("Because of", max_width=14)
    for m in moves:
        a, b = m.from_, m.to
        cell = f"{_cell(a)} → {_cell(b)}" if (a.cell != b.cell) else _cell(b)
        clamped = " (clamped)" if a.clamped or b.clamped else ""
        table.add_row(
            T(m.risk),
            T(m.title, one_line=True),
            _arrow(a.likelihood, b.likelihood),
            _arrow(a.impact, b.impact),
            cell,
            rating_change(a.rating, b.rating, key, con),
            T(", ".join(cause_text(c) for c in m.causes) + clamped),
        )
    con.print(fit(con, table, {1: 16, 6: 10}))
