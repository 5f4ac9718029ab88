"""Views of import and export: what was read and how, every problem, and what was written.

Messages go to stderr; the one piece of data — the imported register, when it is not written to
a file — goes to stdout as it is (YAML that riskcli wrote, with every unsafe character escaped).
"""

from __future__ import annotations

from pathlib import PurePath

from riskcli.rebaseline import NotCarried, Uncarried
from riskcli.render.console import Out, clean
from riskcli.render.layout import Key, fmt_belief, fmt_level
from riskcli.results.shapes.common import Cell
from riskcli.results.shapes.transfer import (
    AsOfSource,
    ColumnUse,
    ColumnView,
    ExportResult,
    FindingKind,
    ImportResult,
    RatingFinding,
    RebaselineResult,
    ScaleSource,
    SchemeSource,
    SkipReason,
    SourceCarried,
)

SHOWN_IDS = 10  # assigned ids listed one by one


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _rows(rows: list[int]) -> str:
    """``3, 7–9, 12``: row numbers with runs joined."""
    out: list[str] = []
    for n in sorted(rows):
        if out and "–" not in out[-1] and int(out[-1]) == n - 1:
            out[-1] = f"{out[-1]}–{n}"
        elif out and "–" in out[-1] and int(out[-1].split("–")[1]) == n - 1:
            out[-1] = f"{out[-1].split('–')[0]}–{n}"
        else:
            out.append(str(n))
    return ", ".join(out)


def _use(c: ColumnView) -> str:
    if c.use is ColumnUse.MAPPED:
        return f"{c.field} (--map)"
    if c.use is ColumnUse.GUESSED:
        return f"{c.field} (guessed)"
    if c.use is ColumnUse.COMPUTED:
        return "not read: a score riskcli's export computed"
    also = f" (looks like {c.also} too; --map {c.also}=… to use it instead)" if c.also else ""
    date = " (dates)" if c.date else ""
    return f"extra{date}{also}"


_REASONS = {
    SkipReason.BANNER: "above the table",
    SkipReason.HEADING: "a heading",
    SkipReason.FOOTER: "a total or a note under the table",
    SkipReason.BELOW: "below the table's end",
}


def _columns(letters: tuple[str, ...]) -> str:
    return f"column {letters[0]}" if len(letters) == 1 else f"columns {', '.join(letters[:-1])} and {letters[-1]}"


def _cell(c: Cell) -> str:
    return f"likelihood {c.likelihood}, impact {c.impact}"


def _finding(r: ImportResult, f: RatingFinding) -> str:
    where = f"{r.source}: row {f.row}, column {f.column}"
    if f.assessment != "current":
        where += f" ({f.assessment})"
    rated = f"rated {f.rating!r} at {_cell(f.cell)}"
    if f.kind is FindingKind.CONTRADICTS:
        return (
            f"{where}: {rated}, but row {f.other_row} in that cell is {f.expected!r}, as most rows there are: "
            f"the register rates the cell {f.expected}"
        )
    if f.kind is FindingKind.NOT_MONOTONE:
        return (
            f"{where}: {rated}, below row {f.other_row}'s {f.expected!r}, which is no more likely nor severe "
            "(kept as the sheet rates it)"
        )
    if f.kind is FindingKind.DISAGREES:
        return f"{where}: {rated}; the rules rate that cell {f.expected}"
    return f"{where}: {rated}; the rules have no band of that name (the cell is {f.expected})"


def import_view(r: ImportResult, out: Out, key: Key) -> None:
    what = r.format.upper()
    if r.sheet is not None:
        what += f", sheet {r.sheet!r}"
    if r.delimiter is not None:
        what += ", tab-separated" if r.delimiter == "\t" else f", {r.delimiter!r}-separated"
    header = f"header in row {r.header_row}"
    if r.group_row is not None:
        header += f" under the group labels of row {r.group_row}"
    if not r.header_found and r.group_row is None:
        header += " (--header-row N if it is another)"
    out.note(f"read {r.source} ({what}): {header}, {_plural(r.rows, 'row')} of risks")
    width = min(max((len(clean(c.header, one_line=True)) for c in r.columns), default=0), 40)
    for c in r.columns:
        name = clean(c.header, one_line=True) or "(no header)"
        out.note(f"  {c.column:<3} {name:<{width}}  → {_use(c)}")
    blank = [s.row for s in r.skipped if s.reason is SkipReason.BLANK]
    for s in r.skipped:
        if s.reason is not SkipReason.BLANK:
            out.note(f"row {s.row} left out, {_REASONS[s.reason]}: {clean(s.text, one_line=True)!r}")
    if blank:
        out.note(f"blank {'row' if len(blank) == 1 else 'rows'} left out: {_rows(blank)}")
    if r.assigned:
        ids = ", ".join(f"{a.id} (row {a.row})" for a in r.assigned[:SHOWN_IDS])
        more = f", … and {len(r.assigned) - SHOWN_IDS} more" if len(r.assigned) > SHOWN_IDS else ""
        out.note(f"ids given to {_plural(len(r.assigned), 'row')} without one: {ids}{more}")
    for sc in r.scales:
        levels = ", ".join(f"{i} {n}" for i, n in enumerate(sc.levels, start=1))
        if sc.source is ScaleSource.VERBAL:
            out.note(f"{sc.axis}: the sheet's verbal scale, now the register's: {levels}")
        elif sc.source is ScaleSource.NAMED:
            out.note(f"{sc.axis}: the sheet's own level names, now the register's: {levels}")
        elif sc.source is ScaleSource.NUMBERED:
            out.note(f"{sc.axis}: {len(sc.levels)} levels, as the column's header says, now the register's")
        elif sc.source is ScaleSource.EXPORTED:
            out.note(f"{sc.axis}: the exported register's scale, from the workbook's Scales sheet: {levels}")
    _scheme(r, out)
    a = r.as_of
    if a.source is AsOfSource.COLUMN:
        out.note(f"as of {a.date}: the newest date in column {a.column} (row {a.row})")
    elif a.source is AsOfSource.BANNER:
        out.note(f"as of {a.date}: the date in row {a.row}, above the table")
    elif a.source is AsOfSource.TODAY:
        why = "the sheet gives no date" if a.note == "no date" else f"column {a.column} has {a.note}"
        out.note(f"as of {a.date} (today): {why}; --as-of DATE to say")
    if r.not_held:
        out.note(not_held_text(r.not_held))
    for p in r.problems:
        where = f"row {p.row}"
        if p.column is not None:
            where += f", column {p.column}"
            if p.header:
                where += f" ({p.header})"
        out.error(f"{r.source}: {where}: {p.message}")
    for f in r.scheme.findings:
        out.warn(_finding(r, f))
    if r.unassessed:
        ids = ", ".join(r.unassessed[:SHOWN_IDS]) + (", …" if len(r.unassessed) > SHOWN_IDS else "")
        out.note(
            f"not yet assessed, kept apart and never plotted: {ids} "
            f"({_plural(len(r.unassessed), 'risk')} with a likelihood or an impact of N/A, TBD, - or none)"
        )
    bad = sorted({p.row for p in r.problems})
    left = f"; {_plural(len(bad), 'row')} left out ({_rows(bad)})" if bad else ""
    if r.unassessed:
        left = f", {len(r.unassessed)} not yet assessed{left}"
    if r.output is None and r.yaml is None:
        return  # the command says why nothing was written: refusal()
    if r.output is not None:
        out.note(
            f"wrote {r.output}: {_plural(r.imported, 'risk')}{left}; "
            f"next: riskcli validate {r.output} && riskcli matrix --register {r.output}"
        )
    elif r.yaml is not None:
        if bad:
            out.note(f"{_plural(r.imported, 'risk')}{left}")
        out.stdout.write(r.yaml)
        out.stdout.flush()


_NOT_HELD = {"title": ("title", "--title TEXT"), "as_of": ("as_of", "--as-of DATE"), "scales": ("scales' level names", "--rules FILE")}  # fmt: skip


def not_held_text(names: tuple[str, ...]) -> str:
    """What of the register riskcli exported its table does not hold, and how to give it, in a line."""
    what, options = [_NOT_HELD[n][0] for n in names], [_NOT_HELD[n][1] for n in names]
    listed = ", ".join(what[:-1]) + (" or " if len(what) > 1 else "") + what[-1]
    return (
        f"riskcli's own export: the table does not hold the register's {listed}, so this register has its own "
        f"(give {'them' if len(what) > 1 else 'it'} with {', '.join(options)}; riskcli export --format yaml "
        "copies a register whole)"
    )


def refusal(r: ImportResult) -> str:
    """Why nothing was written: no row of risks, no row importable, or --strict's reasons."""
    bad = {p.row for p in r.problems}
    problems = _plural(len(r.problems), "problem") + f" in {_plural(len(bad), 'row')}"
    if r.strict and (r.imported or r.unassessed):
        lost = sum(1 for f in r.scheme.findings if f.kind is not FindingKind.NOT_MONOTONE)
        reasons = [problems] if bad else []
        reasons += [f"{_plural(lost, 'published rating')} not given back"] if lost else []
        return f"{r.source}: nothing written (--strict): {' and '.join(reasons)}"
    if r.rows:
        return f"{r.source}: nothing written: no row could be imported ({problems})"
    return f"{r.source}: nothing written: no row of risks under the header in row {r.header_row}"


def _scheme(r: ImportResult, out: Out) -> None:
    s = r.scheme
    columns = _columns(s.columns) if s.columns else ""
    rated = sum(b.rows for b in s.bands) + sum(1 for f in s.findings if f.kind is not FindingKind.NOT_MONOTONE)
    if s.source is SchemeSource.AGREES:
        out.note(f"rating: the sheet's {_plural(rated, 'rating')} ({columns}) agree with riskcli's grid, kept")
    elif s.source is SchemeSource.IMPOSED:
        agree = sum(b.rows for b in s.bands)
        out.note(f"rating: the --rules grid; {agree} of the sheet's {_plural(rated, 'rating')} ({columns}) agree")
    elif s.source is SchemeSource.LEARNED:
        bands = ", ".join(f"{b.name} ({b.rows})" for b in s.bands)
        against = sum(1 for f in s.findings if f.kind is not FindingKind.NOT_MONOTONE)
        contradicted = f", and {against} contradicted" if against else ""
        cells = len(s.inferred)
        out.note(
            f"rating: the sheet's own grid, learned from {_plural(rated, 'rating')} in {columns}: "
            f"{bands}, lowest first{contradicted}; "
            f"{_plural(cells, 'cell')} inferred (no row rates {'it' if cells == 1 else 'them'})"
        )


def export_view(r: ExportResult, out: Out, key: Key) -> None:
    sheets = f"; sheets: {', '.join(r.sheets)}" if r.sheets else ""
    unassessed = f" and {r.unassessed} not yet assessed" if r.unassessed else ""
    out.note(f"wrote {r.output} ({r.format.upper()}): {_plural(r.risks, 'risk')}{unassessed}{sheets}")
    if r.source is not None:
        source_note(r.source, r.output, out)


def source_note(s: SourceCarried, output: str, out: Out) -> None:
    """Where the source text of a register written elsewhere is, when its name had to change or the
    text is not beside the new file (where a register reads it)."""
    if not s.file:
        out.note(
            f"source.file left out: the embedded register's source text ({s.was}) is riskcli's own, not in the "
            f"folder of {output}, where a register reads it"
        )
    elif not s.beside:
        where = PurePath(output).parent / s.file
        out.warn(
            f"the source text {s.text} is not in the folder of {output}, where a register reads it: "
            f"copy it to {where} for validate to check the evidence quotes against it"
        )
    elif s.file != s.was:
        out.note(f"source.file: {s.file} (the source text {s.text}, named from the folder of {output})")


def rebaseline_view(r: RebaselineResult, out: Out, key: Key) -> None:
    ev = r.event
    out.note(
        f"wrote {r.output}: register {r.identity!r}, {_plural(r.risks, 'risk')} and {_plural(r.assumptions, 'assumption')}"
        f" with the state of {r.register.identity!r} as its baseline"
    )
    for x in r.not_carried:
        out.warn(not_carried_text(x))
    if r.source is not None:
        source_note(r.source, r.output, out)
    out.note(f"recorded in {r.journal} (line {ev.line}); the history stays there. To read it with the new register:")
    out.note(f"  cp {r.journal} {r.new_journal} && riskcli --register {r.output} journal adopt")


def not_carried_text(x: NotCarried) -> str:
    """What the new register holds otherwise than the state, in a line."""
    if x.what in (Uncarried.LIKELIHOOD, Uncarried.IMPACT):
        return (
            f"{x.item}: {x.what} {fmt_level(x.was or 0.0)} is between levels; the register holds whole levels: "
            f"written {fmt_level(x.now or 0.0)}"
        )
    if x.what is Uncarried.CELL:
        was, now = int(x.was or 0), int(x.now or 0)
        rating = f", rated {x.rating[1]} where it was {x.rating[0]}" if x.rating and x.rating[0] != x.rating[1] else ""
        if x.responses:
            why = (
                f"the register adds {_and(x.responses)}, in force, to its levels, and no whole {x.axis} "
                f"from 1 to the top of the scale gives {was} with {'it' if len(x.responses) == 1 else 'them'}"
            )
        else:
            why = f"no whole {x.axis} reads back as {was}"
        return f"{x.item}: {x.axis} {was} cannot be carried ({why}): the new register reads {now}{rating}"
    if x.what is Uncarried.FINDING:
        return (
            f"{x.item}: the new register gives a coherence warning this one does not ({x.finding}; see its "
            "check), read from the levels and beliefs written"
        )
    if x.what is Uncarried.BELIEF:
        return f"{x.item}: belief {fmt_belief(x.was or 0.0)} reads back as {fmt_belief(x.now or 0.0)}"
    if x.what is Uncarried.STATUS:
        return f"{x.item}: status {x.status} could not be written as it stands"
    if x.what is Uncarried.REVIEW:
        return f"{x.item}: its last review, on {x.day}, is no register field (the journal keeps it)"
    if x.what is Uncarried.ANALYSTS:
        return f"{x.item}: {int(x.now or 0)} analysts' judgements written as their combination"
    written = f"status {x.status}" if x.status is not None else f"belief {fmt_belief(x.now or 0.0)}"
    return f"{x.item}: a resolution is no register field: written as {written} (the journal keeps what happened)"


def _and(ids: tuple[str, ...]) -> str:
    return ids[0] if len(ids) == 1 else f"{', '.join(ids[:-1])} and {ids[-1]}"
