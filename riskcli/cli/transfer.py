"""Your own risks in, the picture out: import (a CSV or XLSX table into a register) and export
(the register with its current scores as CSV, XLSX, JSON or YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, WhyOpt, command, request

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
            help="Read FIELD from COLUMN, e.g. likelihood=Prob,impact=Severity or 'residual rating=Net RAG' "
            "(repeatable; FIELD= maps no column).",
            show_default=False,
        ),
    ] = None,
    value: Annotated[
        list[str] | None,
        typer.Option(
            "--value",
            metavar="[AXIS:]VALUE=LEVEL",
            help="Read VALUE as LEVEL (a number, a level name or 'unassessed'), e.g. 'likelihood:Medium=3' "
            "(repeatable; without AXIS: for both).",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", metavar="NAME", help="The worksheet to read (default: the first).")
    ] = None,
    header_row: Annotated[
        int | None,
        typer.Option(
            "--header-row",
            metavar="N",
            help="The row of column names, as the sheet numbers it (default: found by its names).",
            show_default=False,
        ),
    ] = None,
    rating_column: Annotated[
        str | None,
        typer.Option(
            "--rating-column",
            metavar="COLUMN",
            help="The column of the sheet's published ratings (default: one headed Rating, RAG, Risk level …).",
            show_default=False,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The date the sheet speaks for (default: its newest date, else today).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option("--strict", help="Write nothing unless every row imports and every published rating is kept."),
    ] = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="The register's title (default: from the file name).")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Turn a CSV or XLSX table of risks into a register: one risk a row, the sheet's scheme kept.

    The table is found below any banner of titles and notes (--header-row N to say where);
    blank, heading, total and footer rows are left out and listed. Columns are found by their
    headers — id, title, likelihood, impact, rating, category, owner, status, description, actors,
    rationale, evidence, confidence, with their usual synonyms (Ref, Risk Description,
    Probability, Consequence, Severity, P, I, RAG, ref_id, current_proba …) and their inherent,
    current and residual forms; riskcli says what it guessed, and --map names the others.

    Levels may be numbers, level names, '3 - Possible', a verbal scale (Low … High), ICD 203
    phrases or percentages; the sheet's own level names and verbal scales become the register's
    scales. With a rating column (Rating, RAG, Risk level, --rating-column), the sheet's rating
    grid is learned from its rows and written into the register, so that the matrix gives back
    the published ratings; --rules FILE imposes a scheme instead, and disagreeing ratings are
    listed. The register's as_of is --as-of, else the sheet's newest date, else today.

    Every row with a bad cell is left out and reported (row, column, value, why); the rest is
    written and the exit code is 1. --strict writes nothing then (exit 2). Without -o the
    register is printed.

    Examples:

    \b
      riskcli import risks.csv -o mine.yaml
      riskcli import risks.xlsx --sheet Register --header-row 4 -o mine.yaml
      riskcli import risks.csv --map likelihood=Prob,impact=Severity --value 'likelihood:Rare-ish=1'
      riskcli --rules matrix.yaml import assessment.xlsx -o mine.yaml
    """
    from riskcli.model import UserError
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results.importing.run import import_table

    if request(ctx).as_of is not None:
        raise UserError(
            "the global --as-of does not apply to import; import's own --as-of DATE (the register's date) goes after the file"
        )
    r = import_table(
        request(ctx),
        path,
        sheet=sheet,
        maps=map_ or (),
        values=value or (),
        header_row=header_row,
        rating_column=rating_column,
        as_of=as_of,
        strict=strict,
        output=output,
        force=force,
        title=title,
    )
    emit(r, Out.open(), Key(), json=json_, indent=request(ctx).indent)
    if r.output is None and r.yaml is None:
        from riskcli.render.transfer import refusal

        raise UserError(refusal(r))  # nothing written: an error line, or JSON on stderr
    if not r.ok:
        raise typer.Exit(1)


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

    csv: one row a risk — its status, current cells, rating, score and rank, the baseline, the inherent
    cells when responses are applied, and its text and extra fields; it imports back. A resolved
    risk (riskcli resolve) is written with status closed and its outcome ("occurred on 2026-12-01").
    xlsx: that table, the matrix of the live risks in its band colours with the legend, the
    inherent matrix when responses are applied, the scales and the method in words (-o only). json: the same data, with its schema.
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
    from riskcli.render.export import for_terminal, render_export
    from riskcli.results import transfer

    c = begin(ctx, "export", dated=False)
    fmt = transfer.export_format(format_, output)
    result, payload = transfer.export(c.req, c.s, fmt, output, render_export, force=force, json=json_)
    if result is None:
        text = payload if isinstance(payload, str) else payload.decode("utf-8")
        c.out.stdout.write(for_terminal(text) if c.out.terminal else text)
        c.out.stdout.flush()
    else:
        c.emit(result, json_)


@command()
def rebaseline(
    ctx: typer.Context,
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", metavar="FILE", help="The new register to write (atomically).", show_default=False
        ),
    ],
    id_: Annotated[
        str | None,
        typer.Option(
            "--id",
            metavar="ID",
            help="The new register's id (default: FILE's name without its suffix).",
            show_default=False,
        ),
    ] = None,
    force: ForceOpt = False,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Write the register with its journal's current state as its baseline: next year's register.

    The new register carries each risk's current levels (without the responses in force, which
    it marks done), confidence, owner, status, treatment, acceptance and next review, and each
    assumption's current belief, and the day each indicator was last observed — the observations counted in it are not counted again. It gets
    its own id (--id, else FILE's name), and the step is recorded in this register's journal,
    which keeps the history: a copy of it beside the new register, adopted with 'journal
    adopt', applies none of the events before the step. What the format cannot hold as it stands (a score between
    levels, several analysts' judgements, a resolution) is written as near as it can and said,
    one line each; a level it cannot hold at all (at an end of the scale with a response in
    force on it) is said too, and the command exits 1. 'riskcli diff OLD NEW' shows what the journal had changed.

    Examples:

    \b
      riskcli -r threats-2025.yaml rebaseline -o threats-2026.yaml --why "the 2026 review"
      cp threats-2025.journal.jsonl threats-2026.journal.jsonl
      riskcli -r threats-2026.yaml journal adopt
      riskcli diff threats-2025.yaml threats-2026.yaml
    """
    from riskcli.cli.common import begin
    from riskcli.rebaseline import Uncarried
    from riskcli.results.rebaseline import rebaseline as fold_into

    c = begin(ctx, "rebaseline", records=True)
    result = fold_into(c.req, c.s, output, id_, why=why or "", force=force)
    c.emit(result, json_)
    if any(x.what is Uncarried.CELL for x in result.not_carried):
        raise typer.Exit(1)  # written, but a risk's cell or rating reads otherwise: said above
