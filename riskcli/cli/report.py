"""The briefing: report."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command
from riskcli.cli.common import begin
from riskcli.model import UserError


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    SVG = "svg"
    JSON = "json"


_BY_SUFFIX = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".svg": "svg", ".json": "json"}
# Files a briefing is not, and the command that writes them (a suffix not named here gets Markdown).
_WORKBOOK = "the workbook for the risk committee is 'riskcli export -o FILE.xlsx'"
_ELSEWHERE = {
    ".xlsx": _WORKBOOK,
    ".xls": _WORKBOOK,
    ".csv": "the risks as a table are 'riskcli export -o FILE.csv'",
    ".yaml": "the register with its scores is 'riskcli export -o FILE.yaml'",
    ".yml": "the register with its scores is 'riskcli export -o FILE.yaml'",
    ".pdf": "write HTML ('riskcli report -o FILE.html') and print it to PDF from a browser",
    ".png": "the matrix as a picture is 'riskcli report -o FILE.svg'",
}


@command()
def report(
    ctx: typer.Context,
    format_: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="md, html (one self-contained page), svg (the matrix as a picture) or json. "
            "Default: from the -o file's suffix, else md.",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the report to FILE (atomically).", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="What moved since: a date (2025-01-31), a date-time, today, yesterday (all UTC unless a zone is given), "
            "or 7d / 12h ago. Default: since the register's baseline.",
            show_default=False,
        ),
    ] = None,
    top: Annotated[
        int, typer.Option("--top", "-n", metavar="N", min=1, help="How many of the top risks to brief.")
    ] = 10,
    json_: JsonOpt = False,
) -> None:
    """A briefing of the current state: the register and its source, the matrix, the top risks
    with their rationale and evidence, the Key Assumptions Check, and what moved since --since
    (the journal's events since then and the risks they moved, and why).

    Markdown and JSON print to stdout; HTML (one self-contained page that prints well) and SVG
    (the matrix for slides) go to a file with -o, or to stdout when it is piped. -o never
    overwrites a file without --force. With --scenario or --what-if the report is labelled
    HYPOTHETICAL. The Excel workbook (risks, matrices, legend, method) is 'riskcli export -o
    FILE.xlsx'.

    Examples:

    \b
      riskcli report > briefing.md
      riskcli report -o briefing.html
      riskcli report --format svg -o matrix.svg
      riskcli report --since 7d --top 5 -o week.md
      riskcli report --what-if A7=fails -o a7-fails.html
    """
    from riskcli.files import check_output
    from riskcli.journal import parse_since
    from riskcli.results.report import report as briefing
    from riskcli.results.session import files_read

    fmt = format_.value if format_ is not None else None
    if json_:
        if fmt not in (None, "json"):
            raise UserError(f"--json prints JSON; it cannot be given with --format {fmt}")
        fmt = "json"
    if fmt is None and output is not None and output.suffix.lower() in _ELSEWHERE:
        raise UserError(
            f"report writes Markdown, HTML, SVG or JSON, not {output.suffix}: {_ELSEWHERE[output.suffix.lower()]}"
        )
    if fmt is None:
        fmt = _BY_SUFFIX.get(output.suffix.lower(), "md") if output is not None else "md"
    when = parse_since(since) if since is not None else None
    c = begin(ctx)
    reading = files_read(c.req, c.s)
    if output is not None:
        check_output(output, force=force, reading=reading)
    r = briefing(c.req, c.s, top=top, since=when, if_wrong=fmt == "json")  # only the JSON shows it
    c.emit(r, fmt == "json" and output is None, fmt=fmt, path=output, force=force, reading=reading)
