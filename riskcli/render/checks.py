"""Checks of a register file: validate and diff."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from riskcli.diff import DriverSpec, EffectSpec, FieldValue
from riskcli.model import BeliefUpdate
from riskcli.render.console import Out, T, clean, print_lines, std_console
from riskcli.render.layout import Key, fit, fmt_belief
from riskcli.render.matrix import rating_change
from riskcli.render.words import finding_text, shift_text
from riskcli.results.shapes.checks import DiffResult, ValidateResult
from riskcli.results.shapes.common import Score


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def validate_view(r: ValidateResult, out: Out, key: Key) -> None:
    if not r.valid:
        for p in r.problems:
            where = f"{p.file}:{p.line}:{p.col}: " if p.line is not None else ""
            out.error(where + p.message)
        return
    assert r.register is not None and r.counts is not None
    con = std_console(out)
    c = r.counts
    parts = [_count(c.risks, "risk")]
    for n, word in (
        (c.assumptions, "assumption"),
        (c.indicators, "indicator"),
        (c.responses, "response"),
        (c.scenarios, "scenario"),
    ):
        if n:
            parts.append(_count(n, word))
    line = Text()
    line.append("ok", style="bold green")
    line.append(f": {clean(r.register.path, one_line=True)}: {', '.join(parts)}")
    con.print(line, soft_wrap=True)
    acknowledged = 0
    warnings: list[Text] = []
    for f in r.findings:
        if f.acknowledged:
            acknowledged += 1
            continue
        warnings.append(T(f"warning: {f.subject}: {finding_text(f)} [{f.id}]", style="yellow", one_line=True))
    for ident in r.stale:
        warnings.append(T(f"warning: acknowledge: {ident} no longer applies; remove it", style="yellow", one_line=True))
    print_lines(con, warnings)
    if acknowledged:
        con.print(
            T(
                f"{acknowledged} acknowledged warning{'s' if acknowledged != 1 else ''} (validate --json lists them)",
                style="dim",
            )
        )
    print_lines(con, [T(f"warning: {x}", style="yellow", one_line=True) for x in r.evidence])


def value_text(v: FieldValue) -> str:
    """A field's value in a diff, in words."""
    if v is None or v == "":
        return "—"
    if isinstance(v, DriverSpec):
        return f"holds {shift_text(v.if_holds)}; fails {shift_text(v.if_fails)}"
    if isinstance(v, float):
        return fmt_belief(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return v
    items = list(v)
    if not items:
        return "—"
    parts = []
    for x in items:
        if isinstance(x, BeliefUpdate):
            parts.append(f"{x.assumption} {fmt_belief(x.belief)}")
        elif isinstance(x, EffectSpec):
            parts.append(f"{x.risk} {shift_text(x.shift)}" + (f" ({x.note})" if x.note else ""))
        else:
            parts.append(str(x))
    return ", ".join(parts) if all(isinstance(x, str) for x in items) else "; ".join(parts)


def _apart(a: FieldValue, b: FieldValue) -> tuple[str, str]:
    """Two different values in words; where the words are the same (the text "3" and the number
    3), text is shown quoted."""
    ta, tb = value_text(a), value_text(b)
    if ta == tb:
        ta, tb = (f'"{v}"' if isinstance(v, str) else t for v, t in ((a, ta), (b, tb)))
    return ta, tb


def _cell(s: Score) -> str:
    return f"{s.cell.likelihood},{s.cell.impact}"


def _arrow(a: float, b: float) -> str:
    from riskcli.render.layout import fmt_level

    return fmt_level(b) if abs(a - b) < 1e-9 else f"{fmt_level(a)}→{fmt_level(b)}"


def diff_view(r: DiffResult, out: Out, key: Key) -> None:
    con = std_console(out)
    con.print(Text(f"{clean(r.old.path, one_line=True)} → {clean(r.register.path, one_line=True)}", style="bold"))
    if r.same:
        con.print(Text("no differences", style="dim"))
        return
    for kind in ("risk", "assumption", "indicator", "response", "scenario"):
        add = [x.id for x in r.added if x.kind == kind]
        rem = [x.id for x in r.removed if x.kind == kind]
        if add:
            con.print(T(f"+ {kind}s added: {', '.join(add)}", style="green"))
        if rem:
            con.print(T(f"- {kind}s removed: {', '.join(rem)}", style="red"))
    if r.rescored:
        t = Table(
            box=box.SIMPLE_HEAD,
            title=Text(f"Re-scored risks ({len(r.rescored)})", style="bold"),
            title_justify="left",
            expand=True,
        )
        t.add_column("Risk", no_wrap=True, style="bold")
        t.add_column("Title", ratio=1)
        t.add_column("L", no_wrap=True)
        t.add_column("I", no_wrap=True)
        t.add_column("Cell", no_wrap=True)
        t.add_column("Rating", no_wrap=True)
        for x in r.rescored:
            a, b = x.from_, x.to
            t.add_row(
                T(x.id),
                T(x.title, one_line=True),
                _arrow(a.likelihood, b.likelihood),
                _arrow(a.impact, b.impact),
                f"{_cell(a)} → {_cell(b)}" if a.cell != b.cell else _cell(b),
                rating_change(a.rating, b.rating, key, con),
            )
        con.print(fit(con, t, {1: 16}))
    if r.changed:
        t = Table(
            box=box.SIMPLE_HEAD,
            title=Text(f"Changed ({len(r.changed)})", style="bold"),
            title_justify="left",
            expand=True,
        )
        t.add_column("Item", no_wrap=True, style="bold")
        t.add_column("Field", no_wrap=True)
        t.add_column("Before", ratio=1)
        t.add_column("After", ratio=1)
        for ch in r.changed:
            for i, fc in enumerate(ch.fields):
                name = f"{fc.field} {fc.key}" if fc.key else fc.field
                t.add_row(
                    T(f"{ch.kind} {ch.id}") if i == 0 else "",
                    T(name),
                    *(T(x, one_line=True) for x in _apart(fc.from_, fc.to)),
                )
        con.print(fit(con, t, {2: 12, 3: 12}))
