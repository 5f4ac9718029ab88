"""Your own risks in, the picture out: import (a CSV or XLSX table into a register) and export
(the register with its current scores as CSV, XLSX, JSON or YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command, request

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of stdout.", show_default=False
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]


@command("import")
def import_(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(metavar="FILE", help="A CSV file (, ; or tab separated) or an XLSX workbook.")
    ],
    map_: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="FIELD=COLUMN",
            help="Read FIELD from COLUMN, e.g. likelihood=Prob,impact=Severity (repeatable; FIELD= maps no column).",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The worksheet to read (default: the first).")
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The register's title (default: from the file name).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Turn a CSV or XLSX table of risks into a register: one risk a row.

    Columns are found by their headers — id, title, likelihood, impact, category, owner,
    description, actors, rationale, evidence, confidence; case, spacing and prefixes such as
    'Risk ID' or 'Likelihood (1-5)' do not matter — and riskcli says what it guessed; --map names
    the others. Levels may be numbers, level names, ICD 203 phrases or percentages. Ids are given
    (R1, R2, …) where there are none; other columns are kept under each risk's extra. Every bad
    cell is reported with its row and column, and then nothing is written (exit 2). Without -o
    the register is printed.

    Examples:

    \b
      riskcli import risks.csv -o mine.yaml
      riskcli import risks.xlsx --sheet Register --map likelihood=Prob,impact=Severity -o mine.yaml
      riskcli import risks.csv | less
    """
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import transfer

    r = transfer.import_table(request(ctx), path, sheet=sheet, maps=map_ or (), output=output, force=force, title=title)
    emit(r, Out.open(), Key(), json=json_)
    if not r.ok:
        raise typer.Exit(2)


@command()
def export(
    ctx: typer.Context,
    format_: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="csv|xlsx|json|yaml",
            help="What to write (default: from -o's suffix, else csv).",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    force: ForceOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Write the register's risks with their current scores (the journal replayed) for other tools.

    csv: one row a risk — its current cells, rating, score and rank, the baseline, the inherent
    cells when responses are applied, and its text and extra fields; it imports back. xlsx: that
    table, the matrix in its band colours with the legend, the inherent matrix when responses are
    applied, the scales and the method in words (-o only). json: the same data, with its schema.
    yaml: the register itself, each risk's current score as a comment above it. A cell starting
    with = + - @ is written with a leading apostrophe, so that no spreadsheet runs it as a formula.

    Examples:

    \b
      riskcli export -o risks.xlsx
      riskcli export --format csv > risks.csv
      riskcli export --format json | jq '.risks[] | [.id, .current.rating.name]'
      riskcli export --format yaml -o snapshot.yaml
    """
    from riskcli.cli.common import begin
    from riskcli.render.export import render_export
    from riskcli.results import transfer

    c = begin(ctx, "export")
    fmt = transfer.export_format(format_, output)
    result, payload = transfer.export(c.req, c.s, fmt, output, render_export, force=force, json=json_)
    if result is None:
        c.out.stdout.write(payload if isinstance(payload, str) else payload.decode("utf-8"))
        c.out.stdout.flush()
    else:
        c.emit(result, json_)
