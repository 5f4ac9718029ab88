"""The only module that imports Rich: tables, the matrix, explanations, and JSON shapes.

Every string that comes from a register or a journal goes through ``clean`` and into a Rich
``Text`` — never a markup string — so ``[link=…]`` stays literal, and ESC, other C0/C1 controls
and bidi overrides are shown as visible symbols instead of reaching the terminal.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from rich import box
from rich.color import Color, ColorParseError
from rich.console import Console
from rich.padding import Padding
from rich.cells import cell_len
from rich.style import Style
from rich.table import Table
from rich.text import Text

from riskcli.model import Assumption, Band, Register, Risk, Scale
from riskcli.rules import belief_label, belief_meaning, format_belief, level_meaning
from riskcli.scoring import Matrix, Scored, Warning

# C0 controls except newline, DEL, C1 controls, and the Unicode bidi overrides / isolates.
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c == 0x09:
        return " "
    if c < 0x20:
        return chr(0x2400 + c)  # ␛ for ESC, ␍ for CR, …
    if c == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{c:04X}>"


def clean(text: object, *, one_line: bool = False) -> str:
    """Text from a file made safe to print: no control characters reach the terminal."""
    s = _CONTROL.sub(_picture, str(text))
    if one_line:
        s = s.replace("\n", " ")
    return s


def T(text: object, style: str | Style = "", *, one_line: bool = False) -> Text:
    """A literal, cleaned Text: never parsed as markup."""
    return Text(clean(text, one_line=one_line), style=style)


# --------------------------------------------------------------------------- consoles


def console(stderr: bool = False) -> Console:
    """A console on the current stdout/stderr (looked up per call, so tests can capture it).

    Rich honours FORCE_COLOR, TTY_COMPATIBLE and COLUMNS; NO_COLOR turns off every style, not
    just colour, so the output is plain text. Highlighting and emoji codes are off: data is
    printed as it is.
    """
    plain = os.environ.get("NO_COLOR", "") != ""
    out = _Console(
        file=sys.stderr if stderr else sys.stdout,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )
    if not out.is_terminal:  # piped: no padding spaces at the ends of lines
        out.file = _RStripped(out.file)
    return out


class _Console(Console):
    def on_broken_pipe(self) -> None:
        """A reader that stops early (``riskcli matrix | head``) is not an error: exit 0
        quietly, as the plain output of list does."""
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        raise SystemExit(0)


class _RStripped:
    """A text stream that drops the spaces Rich pads lines with, for files and pipes."""

    def __init__(self, f: TextIO):
        self._f = f
        self._pending = ""

    def write(self, s: str) -> int:
        data = self._pending + s
        lines = data.split("\n")
        self._pending = lines.pop()
        if lines:
            self._f.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
        return len(s)

    def flush(self) -> None:
        if self._pending:
            self._f.write(self._pending.rstrip(" "))
            self._pending = ""
        self._f.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._f.fileno()

    @property
    def encoding(self) -> str:
        return getattr(self._f, "encoding", "utf-8") or "utf-8"


def is_terminal() -> bool:
    return console().is_terminal


def error(message: str) -> None:
    """One line on stderr: ``error: …`` (cleaned, never markup)."""
    sys.stderr.write(f"error: {clean(message, one_line=True)}\n")


def note(message: str) -> None:
    sys.stderr.write(f"{clean(message, one_line=True)}\n")


def print_json(data: Any, out: TextIO | None = None) -> None:
    """JSON for machines: UTF-8, with C1 controls and bidi overrides escaped too."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    text = re.sub("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]", lambda m: f"\\u{ord(m.group()):04x}", text)
    (out or sys.stdout).write(text + "\n")


# --------------------------------------------------------------------------- helpers


def _colour(name: str) -> Color | None:
    try:
        return Color.parse(name)
    except ColorParseError:
        return None


def band_text(band: Band, label: str | None = None) -> Text:
    colour = _colour(band.color)
    return Text(clean(label if label is not None else band.name, one_line=True), style=Style(color=colour, bold=True))


def _cell_style(band: Band) -> Style:
    colour = _colour(band.color)
    if colour is None:
        return Style()
    # Black text on light bands, white on dark ones. Terminals draw the 16 standard colours
    # brighter than Rich's reference values, so those are judged by name.
    name = colour.name.lower()
    if colour.number is not None and colour.number < 16:
        light = any(w in name for w in ("yellow", "green", "cyan", "white")) or name.startswith("bright")
        return Style(bgcolor=colour, color="black" if light else "white")
    triplet = colour.get_truecolor()
    luminance = 0.2126 * triplet.red + 0.7152 * triplet.green + 0.0722 * triplet.blue
    return Style(bgcolor=colour, color="black" if luminance > 140 else "white")


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return cell if isinstance(cell, str) else ""


def fit(
    out: Console, table: Table, flex: dict[int, int], optional: Sequence[int] = (), caps: dict[int, int] | None = None
) -> Table:
    """Size a table to the console, so that Rich never has to squeeze it.

    Fixed columns keep their natural width (up to a cap); the ``flex`` columns (index → minimum
    width) share the rest and wrap. When that leaves a flex column below its minimum,
    ``optional`` columns are dropped, last first. If the table is still too wide, flex columns go
    down to their longest word and fixed columns to theirs, so every column stays visible and
    text wraps rather than disappears."""
    caps = caps or {}
    cols = table.columns
    texts = [[_plain(c) for c in (col.header, *col._cells)] for col in cols]
    nat = [max((cell_len(line) for t in ts for line in t.split("\n")), default=1) for ts in texts]
    word = [max((cell_len(w) for t in ts for w in t.split()), default=1) for ts in texts]
    keep = list(range(len(cols)))

    def layout(keep: list[int]) -> dict[int, int] | None:
        fixed = {i: max(1, min(nat[i], caps.get(i, nat[i]))) for i in keep if i not in flex}
        room = out.width - (3 * len(keep) + 1) - sum(fixed.values())
        fl = [i for i in keep if i in flex]
        mins = {i: min(flex[i], nat[i]) for i in fl}
        if sum(mins.values()) > room:
            return None
        extra = room - sum(mins.values())
        want = sum(nat[i] - mins[i] for i in fl)
        widths = dict(fixed)
        for i in fl:
            widths[i] = nat[i] if extra >= want else mins[i] + (nat[i] - mins[i]) * extra // max(1, want)
        return widths

    widths = layout(keep)
    while widths is None and any(i in keep for i in optional):
        keep.remove([i for i in optional if i in keep][-1])
        widths = layout(keep)
    if widths is None:  # narrower than the minimums: shrink to longest words, then share
        fixed = {i: max(1, min(nat[i], caps.get(i, nat[i]))) for i in keep if i not in flex}
        fl = [i for i in keep if i in flex]
        floor = {i: max(1, min(word[i], nat[i])) for i in fl}
        over = (3 * len(keep) + 1) + sum(fixed.values()) + sum(floor.values()) - out.width
        for i in sorted(fixed, key=lambda i: fixed[i] - word[i], reverse=True):
            if over <= 0:
                break
            cut = min(over, max(0, fixed[i] - max(1, min(word[i], nat[i]))))
            fixed[i] -= cut
            over -= cut
        room = out.width - (3 * len(keep) + 1) - sum(fixed.values())
        spare = max(0, room - sum(floor.values()))
        total = sum(nat[i] - floor[i] for i in fl) or 1
        widths = dict(fixed)
        for i in fl:
            widths[i] = floor[i] + (nat[i] - floor[i]) * spare // total
    for i in keep:
        col = cols[i]
        col.no_wrap = False
        col.overflow = "fold"
        col.width = max(1, widths[i])
        col.ratio = None
        col.min_width = col.max_width = None
    table.columns = [cols[i] for i in keep]
    table.expand = False
    return table


def fmt_level(x: float) -> str:
    """An unrounded level as shown: ``3`` or ``3.4``."""
    return f"{x:.0f}" if abs(x - round(x)) < 0.005 else f"{x:.2f}".rstrip("0")


def fmt_shift(x: float) -> str:
    return "0" if abs(x) < 0.005 else f"{x:+.2f}".rstrip("0").rstrip(".")


_banner: list[str] = []


def set_banner(text: str) -> None:
    """Label every header that follows (a hypothetical view says so on screen)."""
    _banner[:] = [text]


def _header(reg: Register, what: str) -> Text:
    t = Text()
    t.append(clean(reg.title or reg.id or reg.path, one_line=True), style="bold")
    if reg.as_of:
        t.append(f"  (as of {clean(reg.as_of, one_line=True)})", style="dim")
    t.append(f" — {what}", style="dim")
    for b in _banner:
        t.append(f"\n{clean(b, one_line=True)}", style="bold reverse")
    return t


# --------------------------------------------------------------------------- list


LIST_COLUMNS = ("rank", "id", "likelihood", "impact", "score", "rating", "category", "actors", "title")


def list_table(reg: Register, rows: Sequence[tuple[int, Scored]], total: int, hidden: int, filtered: bool) -> None:
    out = console()
    out.print(_header(reg, "risks, highest first"))
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("L", justify="right")
    table.add_column("I", justify="right")
    table.add_column("L×I", justify="right")
    table.add_column("Rating", no_wrap=True)
    table.add_column("Title", ratio=1, min_width=24)
    table.add_column("Category", max_width=20, overflow="fold")
    table.add_column("Actors", max_width=12)
    for rank, s in rows:
        table.add_row(
            str(rank), T(s.risk.id, one_line=True), fmt_level(s.likelihood), fmt_level(s.impact),
            fmt_level(s.score), band_text(s.band), T(s.risk.title, one_line=True),
            T(s.risk.category, one_line=True), T(", ".join(s.risk.actors), one_line=True),
        )  # fmt: skip
    out.print(fit(out, table, {6: 24}, optional=(7, 8), caps={7: 20, 8: 16}))
    tail = f"{len(rows)} of {total} risks" + (" matching the filters" if filtered else "")
    if hidden:
        tail += f"; {hidden} more not shown (use --all or --limit N)"
    note(tail)


def list_plain(rows: Iterable[tuple[int, Scored]], out: TextIO) -> None:
    """The streaming path for pipes: one tab-separated line per risk, no Rich layout at all."""
    write = out.write
    write("\t".join(LIST_COLUMNS) + "\n")
    buf: list[str] = []
    for rank, s in rows:
        r = s.risk
        buf.append(
            f"{rank}\t{clean(r.id, one_line=True)}\t{fmt_level(s.likelihood)}\t{fmt_level(s.impact)}\t"
            f"{fmt_level(s.score)}\t{s.band.id}\t{_tsv(r.category)}\t{_tsv(','.join(r.actors))}\t{_tsv(r.title)}\n"
        )
        if len(buf) >= 2048:
            write("".join(buf))
            buf.clear()
    write("".join(buf))


def _tsv(s: str) -> str:
    return clean(s, one_line=True).replace("\t", " ")


def scored_json(reg: Register, s: Scored, rank: int | None = None) -> dict[str, Any]:
    r = s.risk
    d: dict[str, Any] = {}
    if rank is not None:
        d["rank"] = rank
    d.update(
        id=r.id,
        title=r.title,
        category=r.category or None,
        actors=list(r.actors),
        likelihood=round(s.likelihood, 4),
        impact=round(s.impact, 4),
        score=round(s.score, 4),
        cell={"likelihood": s.cell[0], "impact": s.cell[1]},
        rating=_band_json(s.band),
        baseline={"likelihood": r.likelihood, "impact": r.impact},
    )
    if s.clamped:
        d["clamped"] = list(s.clamped)
    return d


def _band_json(band: Band) -> dict[str, str]:
    return {"id": band.id, "name": band.name}


def register_json(reg: Register) -> dict[str, Any]:
    return {"path": reg.path, "id": reg.id or None, "title": reg.title or None, "as_of": reg.as_of or None}


# --------------------------------------------------------------------------- show


def _print_banner(out: Console) -> None:
    for b in _banner:
        out.print(Text(clean(b, one_line=True), style="bold reverse"))


def show_risk(reg: Register, s: Scored, history: Sequence[Any] = (), state: Any = None) -> None:
    out = console()
    _print_banner(out)
    r = s.risk
    rules = reg.rules
    title = Text()
    title.append(clean(r.id, one_line=True), style="bold")
    title.append("  ")
    title.append(clean(r.title, one_line=True), style="bold")
    out.print(title)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    cur = Text()
    cur.append(f"L {fmt_level(s.likelihood)} × I {fmt_level(s.impact)} → cell ({s.cell[0]}, {s.cell[1]}) ")
    cur.append_text(band_text(s.band))
    facts.add_row("current", cur)
    facts.add_row("baseline", T(
        f"likelihood {level_meaning(rules.likelihood, r.likelihood)}; impact {level_meaning(rules.impact, r.impact)}"
    ))  # fmt: skip
    if r.category:
        facts.add_row("category", T(r.category))
    if r.actors:
        names = [f"{a} ({reg.actor_names[a]})" if a in reg.actor_names else a for a in r.actors]
        facts.add_row("actors", T(", ".join(names)))
    if r.description:
        facts.add_row("description", T(r.description))
    if r.rationale:
        facts.add_row("rationale", T(r.rationale))
    if r.evidence:
        facts.add_row("evidence", T(f"“{r.evidence}”", style="italic"))
    for c in s.clamped:
        facts.add_row("warning", T(f"clamped: {c}", style="yellow"))
    out.print(Padding(facts, (0, 0, 0, 2)))
    if r.drivers:
        t = Table(box=box.SIMPLE_HEAD, title=Text("Drivers: the assumptions this risk rests on", style="bold"), title_justify="left")
        t.add_column("Assumption", no_wrap=True)
        t.add_column("Belief", justify="right")
        t.add_column("If it holds")
        t.add_column("If it fails")
        t.add_column("Statement", ratio=1)
        for d in r.drivers:
            a = reg.assumption_by_id.get(d.assumption)
            t.add_row(
                T(d.assumption), _belief_change(a.belief, state.beliefs.get(a.id, a.belief) if state else a.belief) if a else "?", _shift_text(d.if_holds),
                _shift_text(d.if_fails), T(a.statement if a else "", one_line=True),
            )  # fmt: skip
        out.print(fit(out, t, {4: 20}))
    effects = [(resp, kind.replace("_", " "), e) for resp, kind, e in _acting_on(reg, r.id)]
    if effects:
        t = Table(box=box.SIMPLE_HEAD, title=Text("Responses that move it", style="bold"), title_justify="left")
        t.add_column("Response", no_wrap=True)
        t.add_column("Kind")
        t.add_column("Shift")
        t.add_column("Status")
        t.add_column("Title", ratio=1)
        applied = state.applied if state is not None else frozenset()
        for resp, kind, e in effects:
            status = Text("applied", style="green") if resp.id in applied else Text("not applied", style="dim")
            t.add_row(T(resp.id), kind, _shift_text(e.shift), status, T(resp.title, one_line=True))
        out.print(fit(out, t, {4: 20}))
    if history:
        t = Table(box=box.SIMPLE_HEAD, title=Text("Score history", style="bold"), title_justify="left", expand=True)
        t.add_column("When (UTC)", no_wrap=True)
        t.add_column("Who", max_width=14)
        t.add_column("Likelihood", justify="right")
        t.add_column("Impact", justify="right")
        t.add_column("Why", ratio=1)
        for ev in history:
            t.add_row(
                T(ev.at[:19].replace("T", " "), one_line=True), T(ev.by, one_line=True), fmt_level(float(ev.data["likelihood"])),
                fmt_level(float(ev.data["impact"])), T(ev.why, one_line=True),
            )  # fmt: skip
        out.print(fit(out, t, {4: 16}, caps={1: 14}))


def _acting_on(reg: Register, risk_id: str) -> list[tuple[Any, str, Any]]:
    """(response, "effect" or "side_effect", effect) for every response that shifts a risk."""
    return [
        (resp, kind, e)
        for resp in reg.responses
        for kind, group in (("effect", resp.effects), ("side_effect", resp.side_effects))
        for e in group
        if e.risk == risk_id
    ]


def _belief_change(baseline: float, now: float) -> str:
    if abs(now - baseline) < 1e-9:
        return format_belief(now)
    return f"{format_belief(baseline)} → {format_belief(now)}"


def _shift_text(shift: Any) -> str:
    parts = []
    if shift.likelihood:
        parts.append(f"L {fmt_shift(shift.likelihood)}")
    if shift.impact:
        parts.append(f"I {fmt_shift(shift.impact)}")
    return ", ".join(parts) or "—"


def risk_json(reg: Register, s: Scored, state: Any = None) -> dict[str, Any]:
    r = s.risk
    d = scored_json(reg, s)
    beliefs = state.beliefs if state is not None else reg.baseline_beliefs
    applied = state.applied if state is not None else frozenset()
    d.update(
        description=r.description or None,
        rationale=r.rationale or None,
        evidence=r.evidence or None,
        drivers=[
            {
                "assumption": dr.assumption,
                "baseline_belief": reg.baseline_beliefs.get(dr.assumption),
                "belief": beliefs.get(dr.assumption),
                "if_holds": _shift_json(dr.if_holds),
                "if_fails": _shift_json(dr.if_fails),
                "note": dr.note or None,
            }
            for dr in r.drivers
        ],
        responses=[
            {"response": resp.id, "kind": kind, "shift": _shift_json(e.shift), "applied": resp.id in applied}
            for resp, kind, e in _acting_on(reg, r.id)
        ],
    )
    return d


def _shift_json(shift: Any) -> dict[str, float]:
    return {"likelihood": shift.likelihood, "impact": shift.impact}


# --------------------------------------------------------------------------- assumptions


def assumptions_table(reg: Register, beliefs: dict[str, float]) -> None:
    out = console()
    words = reg.rules.words
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Statement", ratio=1, min_width=24)
    table.add_column("Belief", justify="right", no_wrap=True)
    table.add_column("Label", no_wrap=True)
    table.add_column("Risks", max_width=16)
    for a in reg.assumptions:
        now = beliefs.get(a.id, a.belief)
        b = Text(format_belief(now))
        if abs(now - a.belief) > 1e-9:
            b = Text(f"{format_belief(a.belief)} → {format_belief(now)}")
        label = belief_label(words, now)
        table.add_row(
            T(a.id), T(a.statement, one_line=True), b, T(label, _LABEL_STYLE.get(label, ""), one_line=True),
            T(" ".join(reg.dependents.get(a.id, ())) or "—"),
        )  # fmt: skip
    if not reg.assumptions:
        note("this register has no assumptions")
        return
    out.print(_header(reg, "Key Assumptions Check"))
    out.print(fit(out, table, {1: 24}, optional=(4,), caps={4: 16}))


_LABEL_STYLE = {"solid": "green", "caveated": "yellow", "unsupported": "red"}


def assumption_json(reg: Register, a: Assumption, now: float) -> dict[str, Any]:
    words = reg.rules.words
    return {
        "id": a.id,
        "statement": a.statement,
        "baseline_belief": a.belief,
        "belief": round(now, 6),
        "label": belief_label(words, now),
        "rationale": a.rationale or None,
        "evidence": a.evidence or None,
        "risks": list(reg.dependents.get(a.id, ())),
    }


# --------------------------------------------------------------------------- matrix


MAX_IDS_PER_CELL = 12


def matrix_table(
    reg: Register, m: Matrix, counts: dict[str, int], subtitle: str = "likelihood × impact",
    marks: dict[str, str] | None = None,
) -> None:
    out = console()
    rules = reg.rules
    out.print(_header(reg, subtitle))
    table = Table(box=box.SQUARE, show_lines=True, padding=(0, 0), expand=False)
    label_w = max(
        [10]
        + [len(lv.band_text) for lv in rules.likelihood.levels]
        + [len(w) + 2 for lv in rules.likelihood.levels for w in lv.name.split()]
    )
    label_w = min(label_w, max(6, out.width - m.n_impact * 4 - m.n_impact - 2))  # narrow terminals
    col_w = max(3, min(16, (out.width - label_w - m.n_impact - 2) // m.n_impact))
    table.add_column(Text("L ↓  I →", style="dim"), width=label_w)
    for lv in rules.impact.levels:
        table.add_column(_axis(rules.impact, lv.value, col_w), justify="center", overflow="fold", width=col_w)
    for li in range(m.n_likelihood, 0, -1):
        row: list[Any] = [_axis(rules.likelihood, li, label_w)]
        for ii in range(1, m.n_impact + 1):
            band = rules.rating.band(rules.rating.grid[li - 1][ii - 1])
            row.append(_matrix_cell(m.cells.get((li, ii), []), band, marks or {}))
        table.add_row(*row)
    out.print(table)
    legend = Text("Ratings: ")
    for i, b in enumerate(rules.rating.bands):
        if i:
            legend.append("  ")
        legend.append(f" {clean(b.name, one_line=True)} ", style=_cell_style(b))
        legend.append(f" {counts.get(b.id, 0)}")
    total = sum(counts.values())
    legend.append(f"   ({total} risk{'s' if total != 1 else ''})", style="dim")
    out.print(legend)
    explain_marks = " Marks: ↑ score rose into this cell, ↓ fell into it, • moved within it." if marks else ""
    note_line = Text("Rows: likelihood (highest at the top). Columns: impact. In a cell: risk ids, highest score first; then the rating and the count." + explain_marks, style="dim")
    out.print(note_line)


def _axis(scale: Scale, value: int, width: int) -> Text:
    """An axis label: the level and its name (and band); impact names are cut to the column."""
    lv = scale.level(value)
    name = clean(lv.name, one_line=True)
    t = Text(f"{value}", style="bold")
    if scale.kind == "impact":
        t.append("\n" + (name if len(name) <= width else name[: width - 1] + "…"))
    else:
        t.append(" " + name)
    if lv.band_text:
        t.append(f"\n{lv.band_text}", style="dim")
    return t


def _matrix_cell(items: list[Scored], band: Band, marks: dict[str, str]) -> Text:
    style = _cell_style(band)
    t = Text(style=style, justify="center")
    shown = items[:MAX_IDS_PER_CELL]
    if shown:
        t.append(" ".join(clean(s.risk.id, one_line=True) + marks.get(s.risk.id, "") for s in shown), style=Style(bold=True))
        if len(items) > len(shown):
            t.append(f" +{len(items) - len(shown)}")
        t.append(f"\n{clean(band.name, one_line=True)} · {len(items)}", style=Style(italic=True))
    else:
        t.append(f"{clean(band.name, one_line=True)}", style=Style(dim=True, italic=True))
    return t


def matrix_json(reg: Register, m: Matrix, counts: dict[str, int]) -> dict[str, Any]:
    rules = reg.rules
    return {
        "register": register_json(reg),
        "likelihood": [_level_json(lv) for lv in rules.likelihood.levels],
        "impact": [_level_json(lv) for lv in rules.impact.levels],
        "bands": [{"id": b.id, "name": b.name, "color": b.color, "count": counts.get(b.id, 0)} for b in rules.rating.bands],
        "cells": [
            {
                "likelihood": li,
                "impact": ii,
                "rating": _band_json(rules.rating.band(rules.rating.grid[li - 1][ii - 1])),
                "count": m.count(li, ii),
                "risks": [s.risk.id for s in m.cells.get((li, ii), [])],
            }
            for li in range(m.n_likelihood, 0, -1)
            for ii in range(1, m.n_impact + 1)
        ],
    }


def _level_json(lv: Any) -> dict[str, Any]:
    d: dict[str, Any] = {"value": lv.value, "name": lv.name}
    if lv.description:
        d["description"] = lv.description
    if lv.low is not None:
        d["probability"] = [lv.low, lv.high]
    return d


# --------------------------------------------------------------------------- validate


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def validate_ok(reg: Register, warnings: Sequence[Warning], extra: Sequence[str]) -> None:
    out = console()
    parts = [_count(len(reg.risks), "risk")]
    for n, word in (
        (len(reg.assumptions), "assumption"), (len(reg.indicators), "indicator"),
        (len(reg.responses), "response"), (len(reg.scenarios), "scenario"),
    ):  # fmt: skip
        if n:
            parts.append(_count(n, word))
    line = Text()
    line.append("ok", style="bold green")
    line.append(f": {clean(reg.path, one_line=True)}: {', '.join(parts)}")
    out.print(line, soft_wrap=True)
    for w in warnings:
        out.print(T(f"warning: {w.ref}: {w.message}", style="yellow", one_line=True), soft_wrap=True)
    for x in extra:
        out.print(T(f"warning: {x}", style="yellow", one_line=True), soft_wrap=True)


# --------------------------------------------------------------------------- journal views


def warn(message: str) -> None:
    sys.stderr.write(f"warning: {clean(message, one_line=True)}\n")


def belief_moved(reg: Register, assumption_id: str, old: float, new: float, indent: str = "") -> None:
    words = reg.rules.words
    console().print(T(f"{indent}{assumption_id}: belief {belief_meaning(words, old)} → {belief_meaning(words, new)}"))


def cell_text(s: Scored) -> str:
    return f"({s.cell[0]}, {s.cell[1]})"


def moves_table(reg: Register, moves: Sequence[Any], title: str, empty: str = "no risk moved") -> None:
    out = console()
    if not moves:
        out.print(Text(empty, style="dim"))
        return
    table = Table(box=box.SIMPLE_HEAD, title=Text(clean(title, one_line=True), style="bold"), title_justify="left", expand=True)
    table.add_column("Risk", no_wrap=True, style="bold")
    table.add_column("Title", ratio=1, min_width=20)
    table.add_column("L", no_wrap=True)
    table.add_column("I", no_wrap=True)
    table.add_column("Cell", no_wrap=True)
    table.add_column("Rating", no_wrap=True)
    table.add_column("Because of", max_width=14)
    for m in moves:
        rating = _rating_change(m.before.band, m.after.band)
        table.add_row(
            T(m.risk.id),
            T(m.risk.title, one_line=True),
            _arrow(m.before.likelihood, m.after.likelihood),
            _arrow(m.before.impact, m.after.impact),
            f"{_cell(m.before)} → {_cell(m.after)}" if m.cell_changed else _cell(m.after),
            rating,
            T(", ".join(m.causes) + (" (clamped)" if m.after.clamped or m.before.clamped else "")),
        )
    out.print(fit(out, table, {1: 16, 6: 10}))


def _rating_change(before: Band, after: Band) -> Text:
    t = band_text(before)
    if before.id != after.id:
        t.append(" → ")
        t.append_text(band_text(after))
    return t


def _arrow(a: float, b: float) -> str:
    return fmt_level(b) if abs(a - b) < 1e-9 else f"{fmt_level(a)}→{fmt_level(b)}"


def _cell(s: Scored) -> str:
    return f"{s.cell[0]},{s.cell[1]}"


def move_json(m: Any) -> dict[str, Any]:
    def side(s: Scored) -> dict[str, Any]:
        return {
            "likelihood": round(s.likelihood, 4), "impact": round(s.impact, 4), "score": round(s.score, 4),
            "cell": {"likelihood": s.cell[0], "impact": s.cell[1]}, "rating": _band_json(s.band),
        }  # fmt: skip

    return {"id": m.risk.id, "title": m.risk.title, "from": side(m.before), "to": side(m.after), "causes": list(m.causes)}


def scale_help(reg: Register, risk: Risk, current: Scored) -> None:
    """Shown before prompting for a score: the risk, its evidence and both scales."""
    err = console(stderr=True)
    head = Text()
    head.append(clean(risk.id, one_line=True), style="bold")
    head.append("  " + clean(risk.title, one_line=True), style="bold")
    err.print(head)
    if risk.evidence:
        err.print(Padding(T(f"evidence: “{risk.evidence}”", style="italic"), (0, 0, 0, 2)))
    if risk.rationale:
        err.print(Padding(T(f"rationale: {risk.rationale}"), (0, 0, 0, 2)))
    cur = Text(f"  now: likelihood {fmt_level(current.likelihood)}, impact {fmt_level(current.impact)}, cell {cell_text(current)} ")
    cur.append_text(band_text(current.band))
    err.print(cur)


def scales_table(reg: Register) -> None:
    err = console(stderr=True)
    for scale in (reg.rules.likelihood, reg.rules.impact):
        t = Table(box=box.SIMPLE, title=Text(f"{scale.kind.capitalize()} scale", style="bold"), title_justify="left", show_header=False, expand=True)
        t.add_column(justify="right", no_wrap=True)
        t.add_column(no_wrap=True, style="bold")
        t.add_column(no_wrap=True)
        t.add_column(ratio=1)
        for lv in scale.levels:
            t.add_row(str(lv.value), T(lv.name, one_line=True), lv.band_text, T(lv.description, one_line=True))
        err.print(fit(err, t, {3: 20}))
    if reg.rules.likelihood.has_bands:
        names = {lv.name.lower() for lv in reg.rules.likelihood.levels}
        phrases = [p for g in reg.rules.words.icd203 for p in g.phrases if p not in names]
        example = f" (e.g. '{phrases[-3] if len(phrases) >= 3 else phrases[0]}')" if phrases else ""
        err.print(T(f"Likelihood also takes an ICD 203 phrase{example} or a probability (30%). Enter keeps the current value.", style="dim"))


def prompt(text: str) -> str | None:
    """Ask on stderr, read a line from stdin; None at end of input."""
    sys.stderr.write(text)
    sys.stderr.flush()
    line = sys.stdin.readline()
    if not line:
        sys.stderr.write("\n")
        return None
    return line.rstrip("\r\n")


def scored_change(reg: Register, before: Scored, after: Scored, echoes: Sequence[str]) -> None:
    out = console()
    t = Text()
    t.append(clean(after.risk.id, one_line=True), style="bold")
    t.append("  " + clean(after.risk.title, one_line=True))
    out.print(t)
    for e in echoes:
        out.print(T(f"  {e}", style="dim"))
    line = Text(
        f"  likelihood {fmt_level(before.likelihood)} → {fmt_level(after.likelihood)}, "
        f"impact {fmt_level(before.impact)} → {fmt_level(after.impact)}, "
        f"cell {cell_text(before)} → {cell_text(after)}, "
    )
    line.append_text(band_text(before.band))
    line.append(" → ")
    line.append_text(band_text(after.band))
    out.print(line)


def explain(reg: Register, e: Any) -> None:
    out = console()
    _print_banner(out)
    s = e.scored
    r = s.risk
    head = Text()
    head.append(clean(r.id, one_line=True), style="bold")
    head.append("  " + clean(r.title, one_line=True), style="bold")
    out.print(head)
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("Step", ratio=1)
    t.add_column("Likelihood", justify="right", no_wrap=True)
    t.add_column("Impact", justify="right", no_wrap=True)
    start = e.start
    parts_l = adding_up([start.likelihood, *(c.shift.likelihood for c in e.contributions)])
    parts_i = adding_up([start.impact, *(c.shift.impact for c in e.contributions)])
    base_row = (f"{e.base.likelihood:.2f}", f"{e.base.impact:.2f}") if e.anchor is not None else (_cents(parts_l[0]), _cents(parts_i[0]))
    t.add_row(
        T(f"baseline in the register (rationale: {r.rationale})" if r.rationale else "baseline in the register"),
        *base_row,
    )  # fmt: skip
    if e.anchor is not None:
        a = e.anchor
        who = f"analyst score by {a.by or '?'} at {a.at[:16].replace('T', ' ')}"  # cleaned by T() below
        if a.why:
            who += f": “{a.why}”"
        who += " (replaces the baseline; drivers and responses count from the moment it was given)"
        t.add_row(T(who), _cents(parts_l[0]), _cents(parts_i[0]))
    for k, c in enumerate(e.contributions, start=1):
        if c.kind == "driver":
            a = reg.assumption_by_id.get(c.ref)
            d = c.driver
            label = (
                f"{c.ref} belief {format_belief(c.belief_from)} → {format_belief(c.belief_to)}"
                f" (if holds {_shift_text(d.if_holds)}; if fails {_shift_text(d.if_fails)})"
            )
            if a is not None:
                label += f" — {a.statement}"
        else:
            resp = next((m for m in reg.responses if m.id == c.ref), None)
            label = f"{c.kind}: {c.ref}" + (f" — {resp.title}" if resp else "")
        t.add_row(T(label), _cents(parts_l[k], signed=True), _cents(parts_i[k], signed=True))
    t.add_section()
    sum_l, sum_i = sum(parts_l), sum(parts_i)
    t.add_row(Text("sum", style="bold"), _cents(sum_l), _cents(sum_i))
    cur_l = sum_l if not any("likelihood" in c for c in s.clamped) else round(s.likelihood * 100)
    cur_i = sum_i if not any("impact" in c for c in s.clamped) else round(s.impact * 100)
    if s.clamped:
        t.add_row(T("clamped to the scale: " + "; ".join(s.clamped), style="yellow"), _cents(cur_l), _cents(cur_i))
    result = Text(f"current → cell {cell_text(s)} (rounded) ")
    result.append_text(band_text(s.band))
    t.add_row(result, _cents(cur_l), _cents(cur_i))
    out.print(fit(out, t, {0: 30}))
    if len(e.contributions) and any(abs(x * 100 - round(x * 100)) > 1e-6 for x in (start.likelihood, start.impact, *(c.shift.likelihood for c in e.contributions), *(c.shift.impact for c in e.contributions))):
        note("figures are rounded to hundredths so that each column adds up; --json gives them unrounded")


def adding_up(values: Sequence[float]) -> list[int]:
    """Values in hundredths, rounded so that they add up to the rounded total (largest
    remainder): what is shown on screen always sums to the total shown."""
    scaled = [v * 100 for v in values]
    floors = [math.floor(x + 1e-9) for x in scaled]
    target = round(sum(scaled))
    short = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: scaled[i] - floors[i], reverse=True)
    for i in order[: max(0, short)]:
        floors[i] += 1
    return floors


def _cents(n: int, signed: bool = False) -> str:
    if signed:
        return "0.00" if n == 0 else f"{'+' if n > 0 else '-'}{abs(n) // 100}.{abs(n) % 100:02d}"
    return f"{'-' if n < 0 else ''}{abs(n) // 100}.{abs(n) % 100:02d}"


def explain_json(reg: Register, e: Any) -> dict[str, Any]:
    s = e.scored
    parts = []
    for c in e.contributions:
        item: dict[str, Any] = {"kind": c.kind, "ref": c.ref, "likelihood": round(c.shift.likelihood, 6) + 0.0, "impact": round(c.shift.impact, 6) + 0.0}
        if c.kind == "driver":
            item["belief_from"] = c.belief_from
            item["belief_to"] = c.belief_to
        parts.append(item)
    anchor = None
    if e.anchor is not None:
        anchor = {"likelihood": e.anchor.likelihood, "impact": e.anchor.impact, "by": e.anchor.by, "at": e.anchor.at, "why": e.anchor.why or None}
    return {
        "id": s.risk.id,
        "baseline": {"likelihood": e.base.likelihood, "impact": e.base.impact},
        "analyst": anchor,
        "contributions": parts,
        "sum": {"likelihood": round(e.raw.likelihood, 6), "impact": round(e.raw.impact, 6)},
        "current": {"likelihood": round(s.likelihood, 6), "impact": round(s.impact, 6)},
        "clamped": list(s.clamped),
        "cell": {"likelihood": s.cell[0], "impact": s.cell[1]},
        "rating": _band_json(s.band),
    }


def describe_event(reg: Register, ev: Any, by_id: dict[str, Any] | None = None) -> str:
    d = ev.data
    if ev.kind == "score":
        return f"{d['risk']}: likelihood {fmt_level(float(d['likelihood']))}, impact {fmt_level(float(d['impact']))}"
    if ev.kind == "belief":
        said = f" ({d['said']})" if d.get("said") else ""
        return f"{d['assumption']}: belief {format_belief(float(d['belief']))}{said}"
    if ev.kind == "undo":
        target = (by_id or {}).get(d["undoes"])
        if target is not None:
            return f"undo of line {target.line} ({describe_event(reg, target)})"
        return f"undo of {d['undoes']}"
    if ev.kind == "torn":
        return f"line {d['line']} was left incomplete by a crash"
    if ev.kind == "observe":
        return f"{d['indicator']} observed"
    if ev.kind == "respond":
        return f"{d['response']} {'applied' if d.get('applied', True) else 'withdrawn'}"
    return ""


def history_table(
    reg: Register, events: Sequence[Any], undone: set[str], path: str, all_events: Sequence[Any] = (), filtered: bool = False
) -> None:
    out = console()
    if not events:
        note(f"no matching events in {path}" if filtered and all_events else f"no events in {path}")
        return
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column("When (UTC)", no_wrap=True)
    t.add_column("Who", max_width=14)
    t.add_column("Kind", no_wrap=True)
    t.add_column("What", ratio=1)
    t.add_column("Why", ratio=1)
    by_id = {ev.id: ev for ev in all_events or events}
    for ev in events:
        what = T(describe_event(reg, ev, by_id), one_line=True)
        if ev.id in undone:
            what.append("  (undone)", style="dim")
        t.add_row(str(ev.line), T(ev.at[:19].replace("T", " "), one_line=True), T(ev.by, one_line=True), ev.kind, what, T(ev.why, one_line=True))
    out.print(fit(out, t, {4: 16, 5: 12}, optional=(2,), caps={2: 14}))


def event_json(ev: Any, undone: set[str]) -> dict[str, Any]:
    d: dict[str, Any] = {"line": ev.line, "id": ev.id, "at": ev.at, "by": ev.by, "kind": ev.kind}
    for k, v in ev.data.items():  # the event's own fields never hide the common ones
        d["torn_" + k if k in d else k] = v
    d["why"] = ev.why or None
    d["undone"] = ev.id in undone
    return d


# --------------------------------------------------------------------------- indicators and responses


def indicators_table(reg: Register, rows: Sequence[Any]) -> None:
    out = console()
    if not reg.indicators:
        note("this register has no indicators")
        return
    out.print(_header(reg, "indicators to watch"))
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("ID", no_wrap=True, style="bold")
    t.add_column("Indicator", ratio=2, min_width=20)
    t.add_column("Bears on", ratio=1, min_width=12)
    t.add_column("Every", justify="right", no_wrap=True)
    t.add_column("Last observed", no_wrap=True)
    t.add_column("Review", no_wrap=True)
    for row in rows:
        ind = row["indicator"]
        what = T(ind.title)
        if ind.watch:
            what.append("\n")
            what.append(clean(ind.watch), style="dim")
        status = Text(row["status"], style="bold red" if row["overdue"] else "green")
        t.add_row(T(ind.id), what, T(row["bears_on"]), f"{row['every']} d", T(row["last"] or "never", one_line=True), status)
    out.print(fit(out, t, {1: 20, 2: 10}, optional=(3, 4)))
    overdue = sum(1 for r in rows if r["overdue"])
    note(f"{overdue} of {len(rows)} indicators overdue for review" if overdue else "no indicator is overdue for review")


def responses_table(reg: Register, applied: frozenset[str]) -> None:
    out = console()
    if not reg.responses:
        note("this register has no responses")
        return
    out.print(_header(reg, "responses"))
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("ID", no_wrap=True, style="bold")
    t.add_column("Response", ratio=2, min_width=20)
    t.add_column("Effects", ratio=1)
    t.add_column("Side effects", ratio=1)
    t.add_column("Status", no_wrap=True)
    for m in reg.responses:
        eff = ", ".join(f"{e.risk} {_shift_text(e.shift)}" for e in m.effects) or "—"
        side = ", ".join(f"{e.risk} {_shift_text(e.shift)}" for e in m.side_effects) or "—"
        status = Text("applied", style="bold green") if m.id in applied else Text("not applied", style="dim")
        t.add_row(T(m.id), T(m.title), T(eff), T(side), status)
    out.print(fit(out, t, {1: 20, 2: 12, 3: 12}))


def response_json(m: Any, applied: frozenset[str]) -> dict[str, Any]:
    def effects(group: Any) -> list[dict[str, Any]]:
        return [{"risk": e.risk, **_shift_json(e.shift), "note": e.note or None} for e in group]

    return {
        "id": m.id, "title": m.title, "description": m.description or None, "actors": list(m.actors),
        "evidence": m.evidence or None, "effects": effects(m.effects), "side_effects": effects(m.side_effects),
        "applied": m.id in applied,
    }  # fmt: skip


def diff_view(old: Register, new: Register, d: Any) -> None:
    out = console()
    head = Text(f"{clean(old.path, one_line=True)} → {clean(new.path, one_line=True)}", style="bold")
    out.print(head)
    if d.empty:
        out.print(Text("no differences", style="dim"))
        return
    for kind in ("risk", "assumption", "indicator", "response", "scenario"):
        add, rem = d.added.get(kind, []), d.removed.get(kind, [])
        if add:
            out.print(T(f"+ {kind}s added: {', '.join(add)}", style="green"))
        if rem:
            out.print(T(f"- {kind}s removed: {', '.join(rem)}", style="red"))
    if d.rescored:
        t = Table(box=box.SIMPLE_HEAD, title=Text(f"Re-scored risks ({len(d.rescored)})", style="bold"), title_justify="left", expand=True)
        t.add_column("Risk", no_wrap=True, style="bold")
        t.add_column("Title", ratio=1)
        t.add_column("L", no_wrap=True)
        t.add_column("I", no_wrap=True)
        t.add_column("Cell", no_wrap=True)
        t.add_column("Rating", no_wrap=True)
        for r in d.rescored:
            rating = _rating_change(r.before.band, r.after.band)
            t.add_row(
                T(r.id), T(r.title, one_line=True), _arrow(r.before.likelihood, r.after.likelihood),
                _arrow(r.before.impact, r.after.impact),
                f"{_cell(r.before)} → {_cell(r.after)}" if r.before.cell != r.after.cell else _cell(r.after), rating,
            )  # fmt: skip
        out.print(fit(out, t, {1: 16}))
    if d.changed:
        t = Table(box=box.SIMPLE_HEAD, title=Text(f"Changed ({len(d.changed)})", style="bold"), title_justify="left", expand=True)
        t.add_column("Item", no_wrap=True, style="bold")
        t.add_column("Field", no_wrap=True)
        t.add_column("Before", ratio=1)
        t.add_column("After", ratio=1)
        for c in d.changed:
            for i, (name, x, y) in enumerate(c.fields):
                t.add_row(T(f"{c.kind} {c.id}") if i == 0 else "", T(name), T(x, one_line=True), T(y, one_line=True))
        out.print(fit(out, t, {2: 12, 3: 12}))


def diff_json(old: Register, new: Register, d: Any) -> dict[str, Any]:
    def side(s: Scored) -> dict[str, Any]:
        return {"likelihood": s.likelihood, "impact": s.impact, "cell": {"likelihood": s.cell[0], "impact": s.cell[1]}, "rating": _band_json(s.band)}

    return {
        "old": old.path, "new": new.path, "same": d.empty,
        "added": {k: v for k, v in d.added.items() if v},
        "removed": {k: v for k, v in d.removed.items() if v},
        "rescored": [{"id": r.id, "title": r.title, "from": side(r.before), "to": side(r.after)} for r in d.rescored],
        "changed": [
            {"kind": c.kind, "id": c.id, "fields": [{"field": n, "from": x, "to": y} for n, x, y in c.fields]}
            for c in d.changed
        ],
    }  # fmt: skip
