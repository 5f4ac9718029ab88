"""Views of add and set: what was written to the register file, and how values were understood."""

from __future__ import annotations

from rich.text import Text

from riskcli.render.console import Out, T, clean, std_console
from riskcli.render.layout import Key
from riskcli.render.matrix import rating_change
from riskcli.render.words import belief_change, belief_meaning, level_meaning, understood
from riskcli.results.shapes.common import Score
from riskcli.results.shapes.edit import AddResult, ItemKind, SetResult


def _cell(s: Score) -> str:
    return f"({s.cell.likelihood}, {s.cell.impact})"


def add_view(r: AddResult, out: Out, key: Key) -> None:
    con = std_console(out)
    line = Text()
    line.append(f"added {r.kind.value} ")
    line.append(clean(r.id, one_line=True), style="bold")
    line.append(f" to {clean(r.register.path, one_line=True)} (line {r.line})")
    con.print(line, soft_wrap=True)
    for u in r.understood:
        con.print(T(f"  {u.field}: {understood(key, u, r.id)}", style="dim"), soft_wrap=True)
    if r.baseline is not None:
        b = Text(f"  baseline cell {_cell(r.baseline)}, ")
        b.append_text(rating_change(r.baseline.rating, r.baseline.rating, key, con))
        con.print(b, soft_wrap=True)
    if r.assigned:
        out.note(f"{r.id} is the next free id; give --id to choose one")


def _value(r: SetResult, key: Key, v: str | int | float | None) -> str:
    if v is None:
        return "—"
    if r.field in ("likelihood", "impact") and isinstance(v, int):
        return level_meaning(key.likelihood if r.field == "likelihood" else key.impact, v)
    if r.field == "belief" and isinstance(v, (int, float)):
        return belief_meaning(key, r.id, float(v))
    return str(v)


def set_view(r: SetResult, out: Out, key: Key) -> None:
    what = f"{r.kind.value} {r.id}" if r.kind is not ItemKind.RISK else r.id
    if not r.changed:
        out.note(f"{what}: {r.field} is already {_value(r, key, r.to)}; {r.register.path} is unchanged")
        return
    con = std_console(out)
    line = Text()
    line.append(clean(what, one_line=True), style="bold")
    if r.field == "belief" and isinstance(r.from_, (int, float)) and isinstance(r.to, (int, float)):
        change = belief_change(key, r.id, float(r.from_), float(r.to))
    else:
        change = f"{_value(r, key, r.from_)} → {_value(r, key, r.to)}"
    line.append(clean(f" {r.field}: {change}", one_line=True, limit=1000))
    con.print(line, soft_wrap=True)
    if r.understood is not None:
        con.print(T(f"  understood: {understood(key, r.understood, r.id)}", style="dim"), soft_wrap=True)
    if r.baseline is not None:
        a, b = r.baseline.from_, r.baseline.to
        if a is None:  # the risk was not yet assessed: it is now
            moved = Text(f"  assessed: baseline cell {_cell(b)}, ")
            moved.append_text(rating_change(b.rating, b.rating, key, con))
        else:
            moved = Text(f"  baseline cell {_cell(a)} → {_cell(b)}, ")
            moved.append_text(rating_change(a.rating, b.rating, key, con))
        con.print(moved, soft_wrap=True)
    out.note(f"wrote {r.register.path} (line {r.line})")
