#!/usr/bin/env python3
"""The start-up baseline: a bare Typer app that prints the table `riskcli matrix` prints.

    python bench/bare_typer_app.py matrix

It does what riskcli's start-up cannot avoid, under the same conditions, and nothing else:

- it imports typer and rich (riskcli, loading the register it printed before from its cache,
  imports no YAML: the start-up benchmark's warm-up round fills that cache);
- Typer builds the same command: a group (its callback holds the global options, so Typer
  builds a click Group) with the one command run, `matrix` (riskcli builds only the command it
  runs), the same options of the same types and the completion options (Typer 0.29 builds a
  pydantic adapter per parameter on every run, so the number and types of parameters count);
- it prints the same table: the embedded register's likelihood × impact matrix, written out
  here as literals (the title, the levels, the band colours, the ids in each cell), laid out
  with Rich as riskcli lays it out — a square-boxed table of the console's width whose cells
  are centred on their band's background over the row's height — then the same legend and
  note. Piped, its lines differ from riskcli's only by the spaces Rich pads them with.

No file is read and nothing is computed. bench/bench.py times it against `riskcli matrix`, and
checks that both print the same lines.

    python bench/bare_typer_app.py [--table MATRIX.pickle] [--notes NOTES] [--pickle DATA.pickle] matrix

`--table` prints the table `riskcli matrix --json` printed (pickled by the bench: its title,
levels, bands and cells; at most 12 ids a cell, then "+N", opportunities marked "+", as riskcli)
instead of the literals above, which were the embedded register's when this was written;
`--notes` prints the lines riskcli printed under its table (its legend first) instead of this
app's own legend; the bench passes both, so that the bare app prints what riskcli prints today.
`--pickle` also loads a pickle before printing (the baseline of `matrix` on a register riskcli
has cached), with the collector paused as riskcli pauses it for its loads (then frozen).
"""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.align import Align
from rich.console import Console, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

TITLE = "North Korean troops in Russia — risks for the regime, the peninsula and beyond"
AS_OF = "2024-10-31"
LIKELIHOOD = [("Rare", "< 5%"), ("Unlikely", "5–20%"), ("Possible", "20–55%"), ("Likely", "55–80%")]
LIKELIHOOD += [("Almost certain", "≥ 80%")]
IMPACT = ["Insignificant", "Minor", "Moderate", "Major", "Catastrophic"]
BANDS = {"low": ("Low", "green"), "medium": ("Medium", "yellow"), "high": ("High", "dark_orange")}
BANDS["critical"] = ("Critical", "red")
# (likelihood, impact) -> (band, risk ids, highest score first); rows from the top
CELLS = {
    (5, 1): ("medium", []), (5, 2): ("high", []), (5, 3): ("critical", ["R11"]), (5, 4): ("critical", []),
    (5, 5): ("critical", []), (4, 1): ("medium", []), (4, 2): ("medium", ["R10", "R16", "R19"]),
    (4, 3): ("high", ["R3", "R7", "R8", "R13"]), (4, 4): ("critical", []), (4, 5): ("critical", []),
    (3, 1): ("low", []), (3, 2): ("medium", ["R1"]), (3, 3): ("medium", ["R5"]),
    (3, 4): ("high", ["R4", "R14", "R17", "R18"]), (3, 5): ("critical", ["R9"]), (2, 1): ("low", []),
    (2, 2): ("low", ["R6"]), (2, 3): ("medium", []), (2, 4): ("medium", ["R2"]), (2, 5): ("high", ["R12", "R15"]),
    (1, 1): ("low", []), (1, 2): ("low", []), (1, 3): ("low", []), (1, 4): ("medium", []), (1, 5): ("medium", []),
}  # fmt: skip

app = typer.Typer(
    name="bare",
    help="A bare Typer app (the start-up baseline).",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def main_options(
    ctx: typer.Context,
    register: Annotated[Path | None, typer.Option("--register", "-r", envvar="BARE_REGISTER", metavar="PATH")] = None,
    rules: Annotated[Path | None, typer.Option("--rules", envvar="BARE_RULES", metavar="PATH")] = None,
    journal: Annotated[Path | None, typer.Option("--journal", envvar="BARE_JOURNAL", metavar="PATH")] = None,
    analyst: Annotated[str | None, typer.Option("--analyst", envvar="BARE_ANALYST", metavar="NAME")] = None,
    scenario: Annotated[str | None, typer.Option("--scenario", metavar="NAME")] = None,
    what_if: Annotated[list[str] | None, typer.Option("--what-if", metavar="MOVE")] = None,
    indent: Annotated[bool, typer.Option("--indent")] = False,
    version: Annotated[bool, typer.Option("--version", is_eager=True, help="Show the version and exit.")] = False,
) -> None:
    ctx.obj = (register, rules, journal, analyst, scenario, what_if, indent)


@app.command()
def matrix(
    ctx: typer.Context,
    compare: Annotated[str | None, typer.Option("--compare", metavar="STATE")] = None,
    residual: Annotated[bool, typer.Option("--residual")] = False,
    inherent: Annotated[bool, typer.Option("--inherent")] = False,
    simulated: Annotated[bool, typer.Option("--simulated")] = False,
    json_: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Print the embedded register's likelihood × impact matrix."""
    if "pickle" in FILES:
        gc.disable()
        with open(FILES["pickle"], "rb") as f:
            ctx.obj = (ctx.obj, pickle.load(f))
        gc.freeze()
        gc.enable()
    title, as_of, likelihood, impact, bands, cells, ups = _table()
    con = Console(highlight=False, emoji=False, markup=False, soft_wrap=False)
    head = Text(title, style="bold")
    head.append(f"  (as of {as_of})", style="dim")
    head.append(" — likelihood × impact", style="dim")
    con.print(head)
    label_w = max([10] + [len(band) for _, band in likelihood] + [len(w) + 2 for n, _ in likelihood for w in n.split()])
    col_w = max(3, (con.width - label_w - len(impact) - 2) // len(impact))
    table = Table(box=box.SQUARE, show_lines=True, padding=(0, 0), expand=False)
    table.add_column(Text("L ↓  I →", style="dim"), width=label_w)
    for i, name in enumerate(impact, start=1):
        label = Text(f"{i}", style="bold")
        label.append("\n" + (name if len(name) <= col_w else name[: col_w - 1] + "…"))
        table.add_column(label, justify="center", overflow="fold", width=col_w)
    for li in range(len(likelihood), 0, -1):
        name, band = likelihood[li - 1]
        axis = Text(f"{li}", style="bold")
        axis.append(" " + name)
        axis.append(f"\n{band}", style="dim")
        texts = []
        for ii in range(1, len(impact) + 1):
            band_id, ids, count = cells[(li, ii)]
            t = Text(justify="center")
            if ids:
                t.append(" ".join(i + ("+" if i in ups else "") for i in ids[:12]), style=Style(bold=True))
                if len(ids) > 12:
                    t.append(f" +{len(ids) - 12}")
                t.append(f"\n{bands[band_id][0]} · {count}", style=Style(italic=True))
            else:
                t.append(bands[band_id][0], style=Style(dim=True, italic=True))
            texts.append(t)
        heights = [len(con.render_lines(axis, con.options.update(width=label_w), pad=False))]
        heights += [len(con.render_lines(t, con.options.update(width=col_w), pad=False)) for t in texts]
        row: list[RenderableType] = [axis]
        for ii, t in enumerate(texts, start=1):
            colour = bands[cells[(li, ii)][0]][1]
            style = Style(bgcolor=colour, color="black" if colour in ("green", "yellow") else "white")
            row.append(Align(t, align="center", style=style, vertical="middle", height=max(heights)))
        table.add_row(*row)
    con.print(table)
    if "notes" in FILES:  # what riskcli prints under its table today (its legend first), as it printed it
        with open(FILES["notes"], encoding="utf-8") as f:
            for line in f.read().splitlines():
                con.print(Text(line, style="dim"))
        return
    legend = Text("Ratings: ")
    for i, (band_id, (name, colour)) in enumerate(bands.items()):
        if i:
            legend.append("  ")
        legend.append(f" {name} ", style=Style(bgcolor=colour))
        legend.append(f" {sum(c for b, _, c in cells.values() if b == band_id)}")
    con.print(legend)
    con.print(Text("Rows: likelihood (highest at the top). Columns: impact.", style="dim"))


def _table() -> tuple[str, str, list[tuple[str, str]], list[str], dict[str, tuple[str, str]], dict, set[str]]:
    """What the table shows: the literals above, or what `riskcli matrix --json` printed (the
    bench pickles it: pickle is imported by Typer already, json is not)."""
    if "table" not in FILES:
        return TITLE, AS_OF, LIKELIHOOD, IMPACT, BANDS, {k: (b, ids, len(ids)) for k, (b, ids) in CELLS.items()}, set()
    with open(FILES["table"], "rb") as f:
        m = pickle.load(f)
    reg = m["register"]

    def band(p: list[float]) -> str:
        lo, hi = (f"{x * 100:g}%" for x in p)
        return f"< {hi}" if p[0] <= 0 else f"≥ {lo}" if p[1] >= 1 else f"{lo[:-1]}–{hi}"

    return (
        reg["title"] or reg["id"] or reg["path"],
        reg["as_of"],
        [(lv["name"], band(lv["probability"])) for lv in m["likelihood"]],
        [lv["name"] for lv in m["impact"]],
        {b["id"]: (b["name"], b["color"]) for b in m["bands"]},
        {(c["likelihood"], c["impact"]): (c["rating"]["id"], c["risks"], c["count"]) for c in m["cells"]},
        set(m.get("opportunities") or ()),
    )


FILES: dict[str, str] = {}  # --pickle, --table, --notes FILE: taken before Typer parses the rest

if __name__ == "__main__":
    while sys.argv[1:2] in (["--pickle"], ["--table"], ["--notes"]):
        FILES[sys.argv[1][2:]] = sys.argv[2]
        del sys.argv[1:3]
    app(prog_name="bare")
