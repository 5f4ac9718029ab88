#!/usr/bin/env python3
"""The start-up baseline: a bare Typer app that prints a 10-row Rich table.

    python bench/bare_typer_app.py matrix

It imports what riskcli's own start-up cannot avoid (typer, rich, yaml), has the same shape as
riskcli (a Typer group with subcommands, so Typer builds a click Group) and prints a table of about
the same size as `riskcli matrix` on the embedded register (6 columns, ~100 wide, ~25 lines,
~4 KB). Nothing else: no file is read, nothing is computed. bench/bench.py times it against
`riskcli matrix`.
"""

from __future__ import annotations

import typer
import yaml  # noqa: F401  (imported because riskcli must import it too)
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)


@app.callback()
def main_options(register: str = typer.Option(None, "--register", help="Unused.")) -> None:
    """A bare Typer app (start-up baseline)."""


@app.command()
def matrix() -> None:
    """Print a 10-row, 6-column table."""
    table = Table(
        title="A bare Typer app printing a 10-row Rich table — likelihood × impact",
        caption="Rows: likelihood. Columns: impact.",
        show_lines=True,
        expand=True,
    )
    table.add_column("L ↓  I →")
    for name in ("1 Insignificant", "2 Minor", "3 Moderate", "4 Major", "5 Catastrophic"):
        table.add_column(name, justify="center")
    for i in range(10, 0, -1):
        table.add_row(f"{i} Level {i}", *(f"R{i * 5 + j} R{i * 7 + j}" for j in range(5)))
    Console().print(table)


@app.command()
def other() -> None:
    """A second command, so the app is a group like riskcli."""


if __name__ == "__main__":
    app(prog_name="bare")
