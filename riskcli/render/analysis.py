"""Views of the analyses: simulate, sensitivity, the matrix lint; the progress bar of a long run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from rich import box
from rich.align import Align
from rich.color import Color, blend_rgb
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from riskcli.model import Axis
from riskcli.render.console import Out, T, clean, err_console, std_console
from riskcli.render.layout import Key, band_text, cell_style, fit, fmt_belief, pct
from riskcli.render.streams import _is_terminal
from riskcli.render.words import band_range, header
from riskcli.results.shapes.analysis import (
    CellPair,
    LeverageView,
    LintCell,
    LintResult,
    Method,
    RiskOutlook,
    SensitivityResult,
    SimulatedGrid,
    SimulationResult,
)

TERMINAL_ROWS = 50  # risks a terminal shows
REVERSALS_SHOWN = 10  # pairs of cells the lint lists on screen
BAR = 9  # half the width of a tornado bar
_SUPPORT_STYLE = {"solid": "green", "caveated": "yellow", "unsupported": "red"}
_AXIOM_WORDS = {
    "weak-consistency": "weak consistency",
    "betweenness": "betweenness",
    "consistent-colouring": "consistent colouring",
}


# --------------------------------------------------------------------------- numbers


def pct1(p: float) -> str:
    """One decimal: ``99.8%``."""
    if 0 < p < 0.0005:
        return "<0.1%"
    if 0.9995 < p < 1:
        return ">99.9%"
    return f"{p * 100:.1f}%"


def points(d: float) -> str:
    """A change of probability in percentage points: ``+12``, ``−0.4``, ``0``."""
    if abs(d) < 0.0005:
        return "0"
    x = d * 100
    text = f"{abs(x):.0f}" if abs(x) >= 9.95 else f"{abs(x):.1f}"
    return f"{'+' if d > 0 else '−'}{text}"


def magnitude(x: float) -> str:
    """A quantitative risk for reading: ``0``, ``0.013``, ``4.5``, ``45``, ``1,250``."""
    if x == 0:
        return "0"
    if x >= 1000:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.3g}"
    return f"{x:.2g}"


def bands_text(r: RiskOutlook, key: Key, con: Console | None = None) -> Text:
    """``58% High, 31% Critical``: every band it reaches, likeliest first."""
    reached = sorted((b for b in r.bands if b.probability > 0), key=lambda b: -b.probability)
    t = Text()
    for i, b in enumerate(reached):
        if i:
            t.append(", ")
        t.append(pct(b.probability) + " ")
        t.append_text(band_text(b.rating, key, con))
    return t


def split_text(r: RiskOutlook) -> str:
    parts = []
    for sp in r.splits:
        axis = "L" if sp.axis is Axis.LIKELIHOOD else "I"
        parts.append(f"{axis} {sp.low} or {sp.high}")
    return "; ".join(parts)


def _method_text(method: Method, trials: int, seed: int | None) -> str:
    if method is Method.EXACT:
        return f"exact: every combination of the uncertain assumptions, group by group ({trials:,})"
    return f"{trials:,} draws (seed {seed})"


# --------------------------------------------------------------------------- progress


@contextmanager
def progress(
    out: Out, *, json: bool, label: str = "simulating", after: float = 1.0
) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on the terminal (stderr) for a run that takes more than ``after`` seconds;
    nothing when the output is piped or JSON."""
    if json or not out.terminal or not _is_terminal(out.stderr):
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

    start = time.monotonic()
    bar: Progress | None = None
    task = None

    def tick(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - start < after or done >= total:
                return
            bar = Progress(
                TextColumn(label),
                BarColumn(),
                TaskProgressColumn(),
                TimeRemainingColumn(),
                console=err_console(out),
                transient=True,
            )
            bar.start()
            task = bar.add_task(label, total=total)
        assert task is not None
        bar.update(task, completed=done, total=total)

    try:
        yield tick
    finally:
        if bar is not None:
            bar.stop()


# --------------------------------------------------------------------------- simulate


def simulate_view(r: SimulationResult, out: Out, key: Key) -> None:
    con = std_console(out)
    top = clean(r.top.name, one_line=True)
    con.print(
        header(r.register, f"simulated: {_method_text(r.method, r.trials, r.seed)}", r.hypothetical, key, r.as_of)
    )
    shown_now = sum(1 for x in r.risks if x.point.rating.id == r.top.id)
    line = Text()
    line.append(f"P(at least one {top}): ", style="bold")
    line.append(pct1(r.any_top))
    if r.method is Method.SAMPLED and 0 < r.any_top < 1:
        se = (r.any_top * (1 - r.any_top) / r.trials) ** 0.5 * 100
        line.append(f" (± {se:.2g} pts, one standard error)", style="dim")
    con.print(line)
    line = Text()
    line.append(f"Expected number of {top} risks: ", style="bold")
    line.append(f"{r.expected_top:.2f}")
    line.append(f" (the matrix shows {shown_now})", style="dim")
    con.print(line)
    _counts_table(con, r, key)
    rows = r.risks if not out.terminal else r.risks[:TERMINAL_ROWS]
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Now", no_wrap=True)
    table.add_column(Text(f"L 1→{len(r.risks[0].likelihood) if r.risks else 5}"), no_wrap=True)
    table.add_column("Rating over the draws", ratio=2, min_width=20)
    table.add_column("Split", ratio=1)
    for x in rows:
        now = Text(f"{x.point.cell.likelihood},{x.point.cell.impact} ")
        now.append_text(band_text(x.point.rating, key, con))
        split = T(split_text(x), "bold yellow" if x.splits else "", one_line=True)
        table.add_row(T(x.id, one_line=True), now, spark(x.likelihood), bands_text(x, key, con), split)
    con.print(fit(con, table, {3: 20, 4: 12}))
    if len(rows) < len(r.risks):
        out.note(f"{len(rows)} of {len(r.risks)} risks shown; --json gives every one")
    linked = [d for d in r.draws if d.parent is not None]
    notes = [
        "Now: the cell and rating the matrix shows. L: the chance of each likelihood level, 1 on the left, "
        "against the likeliest (█); --json gives the numbers. Split: its outcomes cluster on both sides of "
        "the level shown (L likelihood, I impact): the score shown is a compromise few draws give."
    ]
    if linked:
        notes.append(
            "Linked, drawn from the posterior given the parent's draw: "
            + "; ".join(
                f"{d.assumption} given {d.parent} ({fmt_belief(d.holds or 0)} if it holds, "
                f"{fmt_belief(d.fails or 0)} if it fails)"
                for d in linked
            )
            + "."
        )
    for n in notes:
        con.print(T(n), style="dim")


_SPARK = " ▁▂▃▄▅▆▇█"


def spark(dist: Sequence[float]) -> str:
    """The chance of each level as a bar of eighths of the likeliest (█); ▁ at least for any chance
    of half a percent, · for none."""
    peak = max(dist, default=0.0)
    out = []
    for p in dist:
        h = round(p / peak * 8) if peak > 0 else 0
        out.append(_SPARK[max(h, 1 if p >= 0.005 else 0)])
    return "".join(out).replace(" ", "·")


def _counts_table(con: Console, r: SimulationResult, key: Key) -> None:
    """The distribution of how many risks land in the top band, as bars."""
    shown = [(n, p) for n, p in enumerate(r.top_counts) if p >= 0.0005]
    if not shown:
        return
    biggest = max(p for _, p in shown)
    width = 30
    top = clean(r.top.name, one_line=True)
    t = Table(box=None, padding=(0, 1), show_header=False)
    t.add_column(justify="right", no_wrap=True)
    t.add_column(no_wrap=True)
    t.add_column(justify="right", no_wrap=True)
    colour = key.colour(r.top.id, con)
    for n, p in shown:
        cells = p / biggest * width
        bar = "█" * int(cells) + ("▌" if cells - int(cells) >= 0.5 else "")
        t.add_row(f"{n} {top}", Text(bar or "▏", style=Style(color=colour)), pct1(p))
    con.print(Text(f"How many risks are {top}, over the draws:", style="bold"))
    con.print(t)


# --------------------------------------------------------------------------- sensitivity


def _bar(fails: float, holds: float, scale: float) -> Text:
    """The tornado: what moves if it fails (left of the axis) and if it holds (right)."""
    left = round(fails / scale * BAR) if scale > 0 else 0
    right = round(holds / scale * BAR) if scale > 0 else 0
    left = max(left, 1 if fails > 0 else 0)
    right = max(right, 1 if holds > 0 else 0)
    t = Text(" " * (BAR - left))
    t.append("█" * left, style="red")
    t.append("│")
    t.append("█" * right, style="cyan")
    t.append(" " * (BAR - right))
    return t


def sensitivity_view(r: SensitivityResult, out: Out, key: Key) -> None:
    con = std_console(out)
    top = clean(r.top.name, one_line=True)
    what = f"sensitivity of {r.risk}" if r.risk else "sensitivity: each assumption set to fails and to holds"
    con.print(header(r.register, f"{what}; {_method_text(r.method, r.trials, r.seed)}", r.hypothetical, key, r.as_of))
    now = Text()
    if r.risk:
        now.append(f"{r.risk} now: P({top}) ", style="bold")
        now.append(pct1(r.now))
    else:
        now.append(f"Now: P(at least one {top}) ", style="bold")
        now.append(pct1(r.now))
        now.append(f"; expected number {top} ", style="bold")
        now.append(f"{r.expected:.2f}")
    con.print(now)

    def shows(x: LeverageView) -> bool:
        """Whether setting it moves what the matrix shows: a cell, a rating or a chance."""
        return any(
            s.cells
            or s.bands
            or (s.top is not None and abs(s.top - r.now) > 0.0005)
            or (s.expected is not None and abs(s.expected - r.expected) >= 0.005)
            for s in (x.holds, x.fails)
        )

    rows = [x for x in r.assumptions if shows(x)]
    within = [x.id for x in r.assumptions if not shows(x) and max(x.holds.moved, x.fails.moved) > 1e-9]
    idle = [x.id for x in r.assumptions if not shows(x) and max(x.holds.moved, x.fails.moved) <= 1e-9]
    who = r.risk or "the register"
    if not rows:
        con.print(T(f"No assumption moves a cell, a rating or a chance for {who}, whether it fails or holds."))
    scale = max([max(x.fails.moved, x.holds.moved) for x in rows] or [0.0])
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("Assumption", ratio=1, min_width=20)
    table.add_column(Text("fails ◀ L×I ▶ holds"), no_wrap=True, justify="center")
    table.add_column("Ratings", justify="right", no_wrap=True)
    if r.risk:
        table.add_column(f"P({top})", justify="right", no_wrap=True)
    else:
        table.add_column(f"E[{top}]", justify="right", no_wrap=True)
        table.add_column(f"P(≥1 {top})", justify="right", no_wrap=True)
    for x in rows:
        label = Text()
        label.append(clean(x.id, one_line=True), style="bold")
        label.append(f" {fmt_belief(x.belief)} ")
        label.append(clean(x.support, one_line=True), style=_SUPPORT_STYLE.get(x.support, ""))
        if x.support_derived:
            label.append("*", style="dim")
        label.append("\n" + clean(x.statement, one_line=True))
        cells: list[Text | str] = [
            str(x.rank),
            label,
            _bar(x.fails.moved, x.holds.moved, scale),
            f"{len(x.fails.bands)} / {len(x.holds.bands)}",
        ]
        if not r.risk:
            cells.append(
                f"{_delta((x.fails.expected or 0) - r.expected)} / {_delta((x.holds.expected or 0) - r.expected)}"
            )
        cells.append(f"{points((x.fails.top or 0) - r.now)} / {points((x.holds.top or 0) - r.now)}")
        table.add_row(*cells)
    if rows:
        con.print(fit(con, table, {1: 20}, optional=() if r.risk else (5,)))
    chance = f"{r.risk} being {top}" if r.risk else f"at least one risk being {top}"
    notes: list[str] = []
    if rows:
        notes += [
            f"Bars: how much likelihood × impact moves across {who} (every risk's change, added up) if the "
            "assumption fails (left) or holds (right); the load-bearing first. Each pair of figures is "
            "if it fails / if it holds. Ratings: risks changing band."
            + ("" if r.risk else f" E[{top}]: the change in the expected number of {top} risks.")
            + f" P: the change in the chance of {chance}, in percentage points. * support derived from the belief.",
            "Point scores move only with the assumption itself; in the draws, the assumptions linked to it "
            "(given) follow it too.",
        ]
    if within:
        notes.append(
            f"Not drawn, as they move {who}'s scores only within their cells (no cell, rating or chance "
            f"changes): {', '.join(within)}."
        )
    if idle:
        notes.append(f"Not drawn, as they move nothing for {who}: {', '.join(idle)}.")
    for n in notes:
        con.print(T(n), style="dim")


def _delta(x: float) -> str:
    return "0" if abs(x) < 0.005 else f"{x:+.2f}".replace("-", "−")


# --------------------------------------------------------------------------- lint-matrix


def _cell_name(c: LintCell) -> str:
    return f"{c.likelihood},{c.impact}"


def _rated(c: LintCell, key: Key, con: Console) -> Text:
    t = Text(f"{_cell_name(c)} ")
    t.append_text(band_text(c.rating, key, con))
    return t


def lint_view(r: LintResult, out: Out, key: Key) -> None:
    key = Key({b.id: b.color for b in r.bands}, tuple(b.id for b in r.bands))
    con = std_console(out)
    head = Text()
    if r.rules is not None:
        head.append(clean(r.rules, one_line=True), style="bold")
    else:
        head.append("The rules of ", style="bold")
        head.append(clean(r.register.path if r.register is not None else "the register", one_line=True), style="bold")
    head.append(f" — the rating grid ({len(r.likelihood)} × {len(r.impact)}, {len(r.bands)} bands) ", style="dim")
    head.append("against Cox (2008)", style="dim")
    con.print(head)
    if r.probability_assumed:
        prob = "a probability band of equal width for the likelihood level (the scale gives none)"
    else:
        prob = "the likelihood level's probability band"
    if r.ratio is not None:
        levels = "; ".join(f"{lv.value}: {magnitude(lv.range[0])}–{magnitude(lv.range[1])}" for lv in r.impact)
        conseq = f"a consequence range for the impact level, ×{r.ratio:g} the one below ({levels})"
    else:
        conseq = "a consequence range for the impact level, in equal steps up to the worst (linear)"
    con.print(
        T(
            f"Each cell is a range of risk: {prob} times {conseq}. In a cell: its rating and its expected "
            "risk (the middle of its ranges)."
        ),
        style="dim",
    )
    _lint_grid(con, r, key)
    top, bottom = clean(r.bands[-1].name, one_line=True), clean(r.bands[0].name, one_line=True)
    for check in r.checks:
        line = Text()
        name = _AXIOM_WORDS.get(check.axiom.value, check.axiom.value)
        if check.passed:
            line.append("✓ ", style="bold green")
            line.append(name, style="bold")
            line.append(": " + _AXIOM_PASS[check.axiom.value].format(top=top, bottom=bottom))
            con.print(line)
            continue
        line.append("✗ ", style="bold red")
        line.append(name, style="bold")
        n = len(check.pairs)
        line.append(f": {n} pair{'s' if n != 1 else ''} of cells break it — " + _AXIOM_FAIL[check.axiom.value])
        con.print(line)
        t = Table(box=None, padding=(0, 1), show_header=False)
        for _ in range(4):
            t.add_column(no_wrap=True)
        for p in check.pairs[:REVERSALS_SHOWN]:
            t.add_row(
                Text("  ") + _rated(p.higher, key, con),
                _AXIOM_VERB[check.axiom.value],
                _rated(p.lower, key, con),
                _axiom_numbers(check.axiom.value, p),
            )
        con.print(t)
        if n > REVERSALS_SHOWN:
            con.print(Text(f"  … and {n - REVERSALS_SHOWN} more (--json lists every one)", style="dim"))
    if not r.reversals:
        con.print(Text("No two cells are ranked in the opposite order from their expected risk.", style="dim"))
        return
    n = len(r.reversals)
    con.print(
        Text(
            f"{n} pair{'s' if n != 1 else ''} of cells ranked in the opposite order from their expected risk, "
            "the worst first:",
            style="bold",
        )
    )
    t = Table(box=box.SIMPLE_HEAD, padding=(0, 1))
    t.add_column("Rated higher", no_wrap=True)
    t.add_column("than", no_wrap=True)
    t.add_column("Expected risk", justify="right", no_wrap=True)
    t.add_column("", justify="right", no_wrap=True)
    for p in r.reversals[:REVERSALS_SHOWN]:
        t.add_row(
            _rated(p.higher, key, con),
            _rated(p.lower, key, con),
            f"{magnitude(p.higher.expected)} < {magnitude(p.lower.expected)}",
            f"×{p.lower.expected / p.higher.expected:.1f}",
        )
    con.print(t)
    if n > REVERSALS_SHOWN:
        con.print(Text(f"  … and {n - REVERSALS_SHOWN} more (--json lists every one)", style="dim"))


_AXIOM_PASS = {
    "monotonicity": "the rating never falls as likelihood or impact rises",
    "weak-consistency": "every {top} cell is riskier throughout than every {bottom} cell",
    "betweenness": "no {top} cell touches a cell rated {bottom}",
    "consistent-colouring": "no cell is rated above a cell that is at least as risky throughout",
}
_AXIOM_FAIL = {
    "monotonicity": "a cell is rated above its neighbour with one level more likelihood or impact:",
    "weak-consistency": "a top-band cell reaches below what a bottom-band cell reaches:",
    "betweenness": "a top-band cell touches a bottom-band cell:",
    "consistent-colouring": "a cell is rated above one that is at least as risky throughout:",
}
_AXIOM_VERB = {
    "monotonicity": "above",
    "weak-consistency": "vs",
    "betweenness": "touches",
    "consistent-colouring": "above",
}


def _axiom_numbers(axiom: str, p: CellPair) -> Text:
    if axiom == "weak-consistency":
        return Text(f"from {magnitude(p.higher.low)}, below {magnitude(p.lower.high)}", style="dim")
    if axiom == "consistent-colouring":
        return Text(f"up to {magnitude(p.higher.high)}, from {magnitude(p.lower.low)}", style="dim")
    return Text("")


def _lint_grid(con: Console, r: LintResult, key: Key) -> None:
    """The grid, each cell with its rating and its expected risk."""
    table = Table(box=box.SQUARE, show_lines=True, padding=(0, 0))
    table.add_column(Text("L ↓  I →", style="dim"), no_wrap=True)
    for lv in r.impact:
        name = clean(lv.name, one_line=True)
        name = name if len(name) <= 12 else name[:11] + "…"
        table.add_column(Text(f"{lv.value}\n{name}", style="bold"), justify="center")
    by = {(c.likelihood, c.impact): c for c in r.cells}
    for lv in reversed(r.likelihood):
        label = Text(f"{lv.value} {clean(lv.name, one_line=True)}", style="bold")
        label.append(f"\n{band_range(*lv.range)}", style="dim")
        row: list[Text | Align] = [label]
        for iv in r.impact:
            c = by[(lv.value, iv.value)]
            text = Text(clean(c.rating.name, one_line=True), style=Style(bold=True), justify="center")
            text.append(f"\n≈{magnitude(c.expected)}", style=Style(italic=True))
            row.append(Align(text, align="center", style=cell_style(c.rating.id, key, con)))
        table.add_row(*row)
    con.print(table)


# --------------------------------------------------------------------------- shading (matrix --simulated)


def shaded(style: Style, share: float) -> Style:
    """A cell's background faded towards black as its expected number of risks falls (``share`` of
    the fullest cell); on a 16-colour terminal, or without colour, the style as it is."""
    bg = style.bgcolor
    if bg is None or (bg.number is not None and bg.number < 16):
        return style
    rgb = bg.get_truecolor()
    mixed = blend_rgb(Color.parse("black").get_truecolor(), rgb, 0.25 + 0.75 * max(0.0, min(1.0, share)))
    luminance = 0.2126 * mixed.red + 0.7152 * mixed.green + 0.0722 * mixed.blue
    return Style(bgcolor=Color.from_triplet(mixed), color="black" if luminance > 140 else "white")


def simulated_chances(con: Console, g: SimulatedGrid, key: Key) -> None:
    """The risks whose likeliest band over the draws is not their rating (--json lists every risk)."""
    differ = [x for x in g.risks if x.chances.likeliest.id != x.rating.id]
    if not differ:
        con.print(Text("Every risk's rating is its likeliest band over the draws.", style="dim"))
        return
    top = differ[0].chances.top_band.name
    t = Table(
        box=box.SIMPLE_HEAD,
        title=Text(f"Rated other than their likeliest band ({len(differ)})", style="bold"),
        title_justify="left",
    )
    t.add_column("Risk", no_wrap=True, style="bold")
    t.add_column("Rating", no_wrap=True)
    t.add_column("Likeliest", no_wrap=True)
    t.add_column(Text(f"P({clean(top, one_line=True)})"), justify="right", no_wrap=True)
    for x in differ:
        likeliest = band_text(x.chances.likeliest, key, con)
        likeliest.append(f" {pct(x.chances.probability)}")
        t.add_row(T(x.risk, one_line=True), band_text(x.rating, key, con), likeliest, pct(x.chances.top))
    con.print(t)


def simulated_note(g: SimulatedGrid) -> Text:
    """What ``matrix --simulated`` adds to the grid."""
    how = (
        f"every combination of the uncertain assumptions, group by group ({g.trials:,})"
        if g.method is Method.EXACT
        else f"{g.trials:,} draws of the assumptions (seed {g.seed})"
    )
    split = f" Split: {', '.join(g.split)}." if g.split else ""
    return T(
        f"Simulated over {how}: ≈ the expected number of risks in each cell (on a colour terminal, the fuller "
        f"the brighter); ⇕ a risk whose outcomes split on both sides of its cell (riskcli simulate).{split}"
    )
