"""Views of import and export: what was read and how, every problem, and what was written.

Messages go to stderr; the one piece of data — the imported register, when it is not written to
a file — goes to stdout as it is (YAML that riskcli wrote, with every unsafe character escaped).
"""

from __future__ import annotations

from riskcli.render.console import Out, clean
from riskcli.render.layout import Key
from riskcli.results.shapes.transfer import ColumnUse, ColumnView, ExportResult, ImportResult

SHOWN_IDS = 10  # assigned ids listed one by one


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _use(c: ColumnView) -> str:
    if c.use is ColumnUse.MAPPED:
        return f"{c.field} (--map)"
    if c.use is ColumnUse.GUESSED:
        return f"{c.field} (guessed)"
    if c.use is ColumnUse.COMPUTED:
        return "not read: a score riskcli's export computed"
    also = f" (looks like {c.also} too; --map {c.also}=… to use it instead)" if c.also else ""
    return f"extra{also}"


def import_view(r: ImportResult, out: Out, key: Key) -> None:
    what = r.format.upper()
    if r.sheet is not None:
        what += f", sheet {r.sheet!r}"
    if r.delimiter is not None:
        what += ", tab-separated" if r.delimiter == "\t" else f", {r.delimiter!r}-separated"
    out.note(f"read {r.source} ({what}): header in row {r.header_row}, {_plural(r.rows, 'row')} of risks")
    width = max((len(clean(c.header, one_line=True)) for c in r.columns), default=0)
    width = min(width, 40)
    for c in r.columns:
        header = clean(c.header, one_line=True) or "(no header)"
        out.note(f"  {c.column:<3} {header:<{width}}  → {_use(c)}")
    if r.assigned:
        ids = ", ".join(f"{a.id} (row {a.row})" for a in r.assigned[:SHOWN_IDS])
        more = f", … and {len(r.assigned) - SHOWN_IDS} more" if len(r.assigned) > SHOWN_IDS else ""
        out.note(f"ids given to {_plural(len(r.assigned), 'row')} without one: {ids}{more}")
    for p in r.problems:
        where = f"row {p.row}"
        if p.column is not None:
            where += f", column {p.column}"
            if p.header:
                where += f" ({p.header})"
        out.error(f"{r.source}: {where}: {p.message}")
    if not r.ok:
        rows = len({p.row for p in r.problems})
        out.note(f"nothing written: {_plural(len(r.problems), 'problem')} in {_plural(rows, 'row')}")
        return
    if r.output is not None:
        out.note(
            f"wrote {r.output}: {_plural(r.rows, 'risk')}; "
            f"next: riskcli validate {r.output} && riskcli matrix --register {r.output}"
        )
    elif r.yaml is not None:
        out.stdout.write(r.yaml)
        out.stdout.flush()


def export_view(r: ExportResult, out: Out, key: Key) -> None:
    sheets = f"; sheets: {', '.join(r.sheets)}" if r.sheets else ""
    out.note(f"wrote {r.output} ({r.format.upper()}): {_plural(r.risks, 'risk')}{sheets}")
