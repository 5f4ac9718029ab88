"""The briefing as a file: Markdown, one self-contained HTML page, or the matrix as an SVG picture.

One module per format: ``document`` is the briefing in words (headings, paragraphs, tables,
quotes and the matrix), which ``markdown`` and ``html`` both draw, so the two always say the same
thing; ``svg`` is the matrix alone, drawn by hand for slides; ``colours`` gives the bands' colours
on paper. JSON is the one serializer's (``render.json``).

Every text from a register or a journal is escaped for the format it lands in — HTML and XML
escaping, Markdown's punctuation backslash-escaped — after ``clean`` has made control, bidi and
invisible characters visible, so a title such as ``</script><img src=x onerror=…>`` stays text.
The HTML page loads nothing: no script, no external URL, and a Content-Security-Policy that
forbids both. Band colours are parsed as colours (never inserted as written) and given as hex.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from riskcli.files import write_output
from riskcli.model import UserError
from riskcli.render.layout import Key
from riskcli.render.report.colours import band_hex, ink
from riskcli.render.streams import Out
from riskcli.results.shapes.report import ReportResult

FORMATS = ("md", "html", "svg", "json")
SUFFIXES = {"md": ".md", "html": ".html", "svg": ".svg", "json": ".json"}


def report_view(
    r: ReportResult,
    out: Out,
    key: Key,
    *,
    fmt: str = "md",
    path: Path | None = None,
    force: bool = False,
    reading: Iterable[tuple[str, Path | None]] = (),
) -> None:
    """Write the briefing to ``path`` as ``files.write_output`` writes (never over a file without
    ``force``, never over one of the files ``reading``), or to stdout. HTML and SVG go to stdout
    only when it is not a terminal."""
    if path is None and fmt in ("html", "svg") and out.terminal:
        raise UserError(
            f"an {fmt.upper()} report is a file, not terminal output; write it with -o report{SUFFIXES[fmt]} "
            "(or pipe it to a file)"
        )
    text = render(r, key, fmt)
    if path is None:
        out.stdout.write(text)
        out.stdout.flush()
        return
    write_output(path, text.encode("utf-8"), force=force, reading=reading)
    out.note(f"wrote {path}")


def render(r: ReportResult, key: Key, fmt: str) -> str:
    """The briefing as text in one of FORMATS."""
    if fmt == "md":
        from riskcli.render.report.markdown import markdown

        return markdown(r, key)
    if fmt == "html":
        from riskcli.render.report.html import html_page

        return html_page(r, key)
    if fmt == "svg":
        from riskcli.render.report.document import subtitle, title
        from riskcli.render.report.svg import svg

        return svg(r.matrix, key, title(r), subtitle(r, key))
    if fmt == "json":
        from riskcli.render.json import chunks, document

        return "".join(chunks(document(r)))
    raise UserError(f"unknown report format {fmt!r}; the formats are: {', '.join(FORMATS)}")


__all__ = ["FORMATS", "SUFFIXES", "band_hex", "ink", "render", "report_view"]
