"""The briefing as a file: Markdown, one self-contained HTML page, or the matrix as an SVG picture.

The Markdown and HTML writers draw the same document (``_document``: headings, paragraphs,
tables, quotes and the matrix), so the two always say the same thing; the SVG is the matrix alone,
drawn by hand for slides. JSON is the one serializer's (``render.json``).

Every text from a register or a journal is escaped for the format it lands in — HTML and XML
escaping, Markdown's punctuation backslash-escaped — after ``clean`` has made control, bidi and
invisible characters visible, so a title such as ``</script><img src=x onerror=…>`` stays text.
The HTML page loads nothing: no script, no external URL, and a Content-Security-Policy that
forbids both. Band colours are parsed as colours (never inserted as written) and given as hex.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rich.color import Color, ColorParseError
from rich.terminal_theme import SVG_EXPORT_THEME

from riskcli import __version__
from riskcli.files import write_output
from riskcli.model import UserError
from riskcli.render.layout import Key, fmt_belief, fmt_level
from riskcli.render.streams import Out, clean
from riskcli.render.words import band_range, cause_text, event_text, hypothesis_label, label
from riskcli.results.shapes.common import MoveView, Score
from riskcli.results.shapes.matrix import CellView, Grid, LevelView
from riskcli.results.shapes.report import ReportResult, SensitivitySummary, SimulationSummary, SourceInfo

FORMATS = ("md", "html", "svg", "json")
SUFFIXES = {"md": ".md", "html": ".html", "svg": ".svg", "json": ".json"}
MAX_IDS = 12  # risk ids written in one matrix cell; the rest are counted
FALLBACK = "#d9d9d9"  # a band whose colour cannot be read as one


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
        return markdown(r, key)
    if fmt == "html":
        return html_page(r, key)
    if fmt == "svg":
        return svg(r.matrix, key, _title(r), _subtitle(r, key))
    if fmt == "json":
        from riskcli.render.json import chunks, document

        return "".join(chunks(document(r)))
    raise UserError(f"unknown report format {fmt!r}; the formats are: {', '.join(FORMATS)}")


# --------------------------------------------------------------------------- colours


def band_hex(key: Key, band_id: str) -> str:
    """A band's colour as ``#rrggbb``: a hex colour as given; a colour name as Rich draws it (the 16
    standard colours as in Rich's own SVG export, which reads better on paper than the VGA ones)."""
    name = key.colours.get(band_id, "")
    try:
        colour = Color.parse(name) if name else None
    except (ColorParseError, ValueError):  # Rich raises ValueError for "rgb(1 2,3,4)"
        colour = None
    if colour is None:
        return FALLBACK
    return colour.get_truecolor(SVG_EXPORT_THEME).hex


def ink(hex_colour: str) -> str:
    """Legible text on a background: black on light colours, white on dark ones."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "#ffffff"


# --------------------------------------------------------------------------- the words of a briefing


def _title(r: ReportResult) -> str:
    reg = r.register
    return reg.title or reg.id or reg.path


def _subtitle(r: ReportResult, key: Key) -> list[str]:
    lines = []
    if r.hypothetical is not None:
        lines.append(hypothesis_label(r.hypothetical, key))
    lines.append(_as_of(r))
    return lines


def _as_of(r: ReportResult) -> str:
    """``Register as of 2024-10-31; shown with its journal replayed (2 events, the latest at …).``"""
    head = f"Register as of {r.register.as_of}; shown" if r.register.as_of else "Shown"
    n = r.journal.events
    if not n:
        return f"{head} as the register has it (no journal events)."
    latest = f", the latest in force at {_when(r.latest)}" if r.latest else ""
    return f"{head} with its journal replayed ({n} event{'s' if n != 1 else ''}{latest})."


def _when(at: str | None) -> str:
    """A recorded time as people read it: ``2025-01-31 09:00 UTC``."""
    if not at:
        return ""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|\+00:00)?", at)
    if m is None:
        return at
    return f"{m.group(1)} {m.group(2)}" + (" UTC" if m.group(3) else "")


def _since(since: str | None) -> str:
    if since is None:
        return "the register's baseline"
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2})T00:00:00(\+00:00)?", since)
    return m.group(1) if m else _when(since) or since


def _attribution(src: SourceInfo) -> str:
    """``“Title”, by Author (role), published 2024.``"""
    text = f"“{src.title}”" if src.title else ""
    if src.author:
        text += (", by " if text else "By ") + src.author
        if src.role:
            text += f" ({src.role})"
    if src.published:
        text += (", " if text else "") + f"published {src.published}"
    return (text + "." if text else "") + (f" {src.url}" if src.url else "")


def _cell_words(s: Score) -> str:
    return f"{s.cell.likelihood},{s.cell.impact}"


def _levels(a: float, b: float) -> str:
    return fmt_level(b) if abs(a - b) < 1e-9 else f"{fmt_level(a)} → {fmt_level(b)}"


def _level_name(levels: Sequence[LevelView], value: int) -> str:
    if not 1 <= value <= len(levels):
        return str(value)
    lv = levels[value - 1]
    band = band_range(*lv.probability) if lv.probability is not None else ""
    return f"{value} {lv.name}" + (f" ({band})" if band else "")


def _simulation_line(sim: SimulationSummary, key: Key, names: dict[str, str]) -> str:
    how = (
        "enumerated exactly"
        if sim.exact
        else f"{sim.trials:,} trials" + (f", seed {sim.seed}" if sim.seed is not None else "")
    )
    return (
        f"Assumptions simulated ({how}): the chance that at least one risk is "
        f"{names.get(sim.top_band, sim.top_band)} is {_pct(sim.any_in_top_band)}."
    )


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%" if p >= 0.01 or p == 0 else "< 1%"


# --------------------------------------------------------------------------- the document


@dataclass(frozen=True)
class Span:
    """Inline text: register text is always a Span (or a plain str) and escaped by the writer."""

    text: str
    strong: bool = False
    em: bool = False
    band: str | None = None  # a rating badge in this band's colours


Inline = str | Span


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Para:
    parts: tuple[Inline, ...]
    cls: str = ""


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    numeric: frozenset[int] = field(default_factory=frozenset)
    cls: str = ""


@dataclass(frozen=True)
class Matrix:
    grid: Grid


@dataclass(frozen=True)
class Section:
    anchor: str
    blocks: tuple[Block, ...]


Block = Heading | Para | Quote | Table | Matrix | Section


def _document(r: ReportResult, key: Key) -> list[Block]:
    names = {b.id: b.name for b in r.matrix.bands}
    head: list[Block] = [Heading(1, _title(r))]
    if r.hypothetical is not None:
        head.append(Para((Span(hypothesis_label(r.hypothetical, key), strong=True),), "hypothetical"))
    head.append(Para((_as_of(r),), "meta"))
    if r.applied:
        head.append(Para((f"Responses applied: {', '.join(r.applied)}.",), "meta"))
    if r.description:
        head.append(Para((r.description,), "description"))
    if r.source is not None:
        src: list[Inline] = [Span("Source: ", strong=True), _attribution(r.source)]
        if r.source.note:
            src.append(Span(f" {r.source.note.strip()}", em=True))
        head.append(Para(tuple(src), "source"))
    blocks: list[Block] = [Section("briefing", tuple(head)), _matrix_section(r)]
    blocks.append(_top_section(r, key))
    blocks.append(_assumptions_section(r, key))
    blocks.append(_moved_section(r, key))
    if r.simulation is not None:
        blocks.append(_simulation_section(r.simulation, key, names))
    if r.sensitivity is not None:
        blocks.append(_sensitivity_section(r.sensitivity, key))
    blocks.append(
        Para(
            (
                f"Made with riskcli {__version__}. Likelihood and impact are levels of the register's scales; "
                "L×I ranks the risks, unrounded.",
            ),
            "footer",
        )
    )
    return blocks


def _matrix_section(r: ReportResult) -> Section:
    g = r.matrix
    legend: list[Inline] = ["Ratings: "]
    for i, b in enumerate(g.bands):
        legend += [" · " if i else "", Span(b.name, band=b.id), f" {b.count}"]
    total = sum(b.count for b in g.bands)
    legend.append(f" ({total} risk{'s' if total != 1 else ''}).")
    return Section(
        "matrix",
        (
            Heading(2, "Likelihood × impact"),
            Matrix(g),
            Para(tuple(legend), "legend"),
            Para(
                (
                    "Rows: likelihood, highest at the top. Columns: impact. In a cell: its risks, highest score "
                    "first, then its rating and count.",
                ),
                "muted",
            ),
        ),
    )


def _top_section(r: ReportResult, key: Key) -> Section:
    top = r.top
    title = f"Top {top.shown} of {top.count} risks" if top.shown < top.count else f"All {top.count} risks, ranked"
    blocks: list[Block] = [Heading(2, title)]
    if not top.risks:
        blocks.append(Para(("The register has no risks.",)))
        return Section("top", tuple(blocks))
    rows = []
    for t in top.risks:
        c = t.current
        rows.append(
            (
                (str(t.rank),),
                (Span(t.id, strong=True),),
                (t.title,),
                (fmt_level(c.likelihood),),
                (fmt_level(c.impact),),
                (fmt_level(c.score),),
                (Span(c.rating.name, band=c.rating.id),),
                (t.confidence.value if t.confidence is not None else "—",),
            )
        )
    blocks.append(
        Table(
            ("Rank", "Risk", "Title", "L", "I", "L×I", "Rating", "Confidence"),
            tuple(rows),
            frozenset({0, 3, 4, 5}),
            "ranked",
        )
    )
    for t in top.risks:
        c = t.current
        blocks.append(Heading(3, f"{t.rank}. {t.id} — {t.title}", f"risk-{t.rank}"))
        facts: list[Inline] = [
            Span(c.rating.name, band=c.rating.id),
            f" — likelihood {_level_name(r.matrix.likelihood, c.cell.likelihood)}, impact "
            f"{_level_name(r.matrix.impact, c.cell.impact)}; L×I {fmt_level(c.score)}",
        ]
        if (t.baseline.likelihood, t.baseline.impact) != (c.cell.likelihood, c.cell.impact):
            facts.append(f" (baseline {t.baseline.likelihood},{t.baseline.impact})")
        if t.confidence is not None:
            facts.append(f"; {t.confidence.value} confidence")
        facts.append(".")
        blocks.append(Para(tuple(facts)))
        who = []
        if t.category:
            who.append(f"Category: {t.category}.")
        if t.actors:
            who.append(f"Borne by: {', '.join(t.actors)}.")
        if t.assumptions:
            who.append(f"Rests on: {', '.join(t.assumptions)}.")
        if who:
            blocks.append(Para((" ".join(who),), "muted"))
        if t.rationale:
            blocks.append(Para((Span("Rationale: ", strong=True), t.rationale)))
        if t.evidence:
            blocks.append(Quote(f"“{t.evidence}”"))
    return Section("top", tuple(blocks))


def _assumptions_section(r: ReportResult, key: Key) -> Section:
    blocks: list[Block] = [Heading(2, "Key Assumptions Check")]
    if not r.assumptions:
        blocks.append(Para(("The register states no assumptions.",)))
        return Section("assumptions", tuple(blocks))
    blocks.append(
        Para(
            (
                "Belief: the probability that the assumption holds (baseline → now). "
                "Support: the check's judgement of the evidence behind it (derived from the belief where the "
                "register gives none).",
            ),
            "muted",
        )
    )
    rows = []
    for a in r.assumptions:
        belief = (
            fmt_belief(a.belief)
            if abs(a.belief - a.baseline_belief) < 1e-9
            else f"{fmt_belief(a.baseline_belief)} → {fmt_belief(a.belief)}"
        )
        support = a.support + (" (derived)" if a.support_derived else "")
        rows.append(
            (
                (Span(a.id, strong=True),),
                (a.statement,),
                (belief,),
                (support,),
                (a.rationale or "",),
                (", ".join(a.risks) or "—",),
            )
        )
    blocks.append(Table(("Assumption", "Statement", "Belief", "Support", "Rationale", "Risks"), tuple(rows), cls="kac"))
    lowest = label(key, 0.0)
    weak = [a.id for a in r.assumptions if lowest and a.support == lowest and a.risks]
    if weak:
        blocks.append(Para((f"Risks rest on assumptions judged {lowest}: {', '.join(weak)}.",), "muted"))
    return Section("assumptions", tuple(blocks))


def _moved_section(r: ReportResult, key: Key) -> Section:
    m = r.moved
    since = _since(m.since)
    blocks: list[Block] = [Heading(2, f"What moved since {since}")]
    if not m.count:
        blocks.append(Para((f"No journal events since {since}.",)))
    else:
        shown = f"; the latest {m.shown} are listed" if m.shown < m.count else ""
        blocks.append(Para((f"{m.count} journal event{'s' if m.count != 1 else ''} since {since}{shown}.",)))
        rows = []
        for ev in m.events:
            what = event_text(ev) + (" (undone)" if ev.undone else "")
            rows.append(((str(ev.line),), (_when(ev.at),), (ev.by,), (what,), (ev.why or "",)))
        blocks.append(Table(("Line", "When", "By", "What", "Why"), tuple(rows), frozenset({0}), "events"))
    if not m.moves:
        blocks.append(Para((f"No risk has moved since {since}.",)))
    else:
        blocks.append(Heading(3, f"Risks that moved ({len(m.moves)})", "moves"))
        blocks.append(_moves_table(m.moves))
    return Section("moved", tuple(blocks))


def _moves_table(moves: Sequence[MoveView]) -> Table:
    rows = []
    for mv in moves:
        a, b = mv.from_, mv.to
        cell = f"{_cell_words(a)} → {_cell_words(b)}" if a.cell != b.cell else _cell_words(b)
        rating: tuple[Inline, ...] = (Span(a.rating.name, band=a.rating.id),)
        if a.rating.id != b.rating.id:
            rating = (*rating, " → ", Span(b.rating.name, band=b.rating.id))
        clamped = " (clamped)" if a.clamped or b.clamped else ""
        rows.append(
            (
                (Span(mv.risk, strong=True),),
                (mv.title,),
                (_levels(a.likelihood, b.likelihood),),
                (_levels(a.impact, b.impact),),
                (cell,),
                rating,
                (", ".join(cause_text(c) for c in mv.causes) + clamped or "—",),
            )
        )
    return Table(("Risk", "Title", "L", "I", "Cell", "Rating", "Because of"), tuple(rows), cls="moves")


def _simulation_section(sim: SimulationSummary, key: Key, names: dict[str, str]) -> Section:
    rows = []
    for x in sim.risks:
        chances: list[Inline] = []
        for bc in x.bands:
            if bc.probability <= 0:
                continue
            chances += [
                ", " if chances else "",
                f"{_pct(bc.probability)} ",
                Span(names.get(bc.band, bc.band), band=bc.band),
            ]
        rows.append(((Span(x.risk, strong=True),), tuple(chances) or ("—",), ("split" if x.split else "",)))
    return Section(
        "simulation",
        (
            Heading(2, "Simulation"),
            Para((_simulation_line(sim, key, names),)),
            Table(("Risk", "Chance of each rating", "Two modes"), tuple(rows), cls="simulation"),
        ),
    )


def _sensitivity_section(sens: SensitivitySummary, key: Key) -> Section:
    rows = tuple(
        (
            (Span(s.assumption, strong=True),),
            (s.statement,),
            (s.support,),
            (str(s.cells_changed),),
            (str(s.bands_changed),),
            (f"{s.score_shift:+.2f}".rstrip("0").rstrip("."),),
        )
        for s in sens.assumptions
    )
    return Section(
        "sensitivity",
        (
            Heading(2, "Sensitivity: the load-bearing assumptions"),
            Para(("Each assumption set to holds, then to fails: what moves across the register.",), "muted"),
            Table(
                ("Assumption", "Statement", "Support", "Cells changed", "Ratings changed", "L×I shift"),
                rows,
                frozenset({3, 4, 5}),
                "sensitivity",
            ),
        ),
    )


def _cell_parts(c: CellView) -> tuple[str, str]:
    """A matrix cell's ids (``R1 R3 +2``) and its rating line (``High · 4``)."""
    shown = " ".join(c.risks[:MAX_IDS]) + (f" +{len(c.risks) - MAX_IDS}" if len(c.risks) > MAX_IDS else "")
    return shown, f"{c.rating.name} · {c.count}" if c.count else c.rating.name


# --------------------------------------------------------------------------- Markdown

_MD_INLINE = re.compile(r"([\\`*_\[\]#|~$])|&(?=#?\w+;)|<(?=[A-Za-z/!?])")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")  # a list item, a quote or a heading underline


def md(text: object) -> str:
    """Register text as literal Markdown inline text: one line, its punctuation escaped."""
    s = clean(text).replace("\r", " ").replace("\n", " ")
    return _MD_INLINE.sub(lambda m: "\\" + m.group(), s)


def md_para(text: object) -> str:
    """Literal text at the start of a line: also never a list item, quote, heading rule or code block."""
    return _guard(md(text).strip())


def _guard(line: str) -> str:
    """A line of Markdown that starts as text: a list marker, ``=`` or ``1.`` at its start is escaped."""
    m = _MD_BLOCK_START.match(line)
    if m is None:
        return line
    at = m.end(2) - 1
    return line[:at] + "\\" + line[at:]


def _md_inline(parts: Iterable[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(md(p))
            continue
        t = md(p.text)
        if p.strong or p.band is not None:
            stripped = t.strip()
            t = t.replace(stripped, f"**{stripped}**", 1) if stripped else t
        elif p.em:
            stripped = t.strip()
            t = t.replace(stripped, f"*{stripped}*", 1) if stripped else t
        out.append(t)
    text = "".join(out)
    return text if text.strip() else ""


def markdown(r: ReportResult, key: Key) -> str:
    lines: list[str] = []

    def block(b: Block) -> None:
        if isinstance(b, Section):
            for x in b.blocks:
                block(x)
        elif isinstance(b, Heading):
            lines.extend([f"{'#' * b.level} {md(b.text)}", ""])
        elif isinstance(b, Para):
            text = _md_inline(b.parts)
            if b.cls == "description":
                for para in re.split(r"\n\s*\n", clean(b.parts[0] if isinstance(b.parts[0], str) else "")):
                    if para.strip():
                        lines.extend([md_para(" ".join(para.split())), ""])
                return
            text = text.strip()
            lines.extend(["> " + text if b.cls == "hypothetical" else _guard(text), ""])
        elif isinstance(b, Quote):
            lines.extend(["> " + _guard(md(b.text)), ""])
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(md(h) for h in b.head) + " |")
            lines.append("| " + " | ".join("---:" if i in b.numeric else "---" for i in range(len(b.head))) + " |")
            for row in b.rows:
                lines.append("| " + " | ".join(_md_inline(cell) or " " for cell in row) + " |")
            lines.append("")
        else:
            lines.extend(_md_matrix(b.grid))

    for b in _document(r, key):
        block(b)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_matrix(g: Grid) -> list[str]:
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    head = ["Likelihood ↓ · Impact →"] + [_level_name(g.impact, lv.value) for lv in g.impact]
    lines = ["| " + " | ".join(md(h) for h in head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for lv in reversed(g.likelihood):
        row = [f"**{md(_level_name(g.likelihood, lv.value))}**"]
        for iv in g.impact:
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                row.append(" ")
                continue
            ids, rating = _cell_parts(c)
            row.append(f"{md(ids)} · **{md(rating)}**" if c.count else f"*{md(rating)}*")
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]


# --------------------------------------------------------------------------- HTML


def h(text: object) -> str:
    """Register text as literal HTML (and XML) text, safe in element content and quoted attributes."""
    return _xml_chars(html.escape(clean(text), quote=True))


def _xml_chars(s: str) -> str:
    """Characters XML 1.0 forbids (the noncharacters U+FFFE and U+FFFF; ``clean`` has made the
    controls visible) become U+FFFD."""
    return s.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")


_CSS = """\
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: #1b1b1b; background: #ffffff; max-width: 1100px; margin: 2rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.65rem; line-height: 1.25; margin: 0 0 .4rem; overflow-wrap: anywhere; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 1px solid #d0d0d0; }
h3 { font-size: 1.02rem; margin: 1.2rem 0 .2rem; overflow-wrap: anywhere; }
p { margin: .3rem 0 .6rem; overflow-wrap: anywhere; }
.meta, .muted, .footer { color: #555555; }
.footer { margin-top: 2.5rem; font-size: .85rem; }
.hypothetical { background: #1b1b1b; color: #ffffff; padding: .4rem .7rem; }
blockquote { margin: .2rem 0 .8rem; padding: .1rem .9rem; border-left: 3px solid #bdbdbd; color: #333333;
  font-style: italic; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #e0e0e0;
  overflow-wrap: anywhere; }
th { border-bottom: 2px solid #bdbdbd; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.matrix { border-collapse: separate; border-spacing: 4px; table-layout: fixed; font-size: .95rem; }
table.matrix th { border: none; text-align: center; vertical-align: bottom; font-weight: 600; }
table.matrix th.axis { width: 11rem; text-align: left; vertical-align: middle; }
table.matrix th.corner { color: #555555; font-weight: 400; vertical-align: bottom; }
table.matrix td { height: 4.6rem; border: none; padding: .45rem; text-align: center; vertical-align: middle; }
table.matrix .ids { display: block; font-weight: 700; }
table.matrix .rating { display: block; font-size: .82rem; font-style: italic; }
.band { display: inline-block; padding: 0 .4em; border-radius: 3px; font-weight: 600; white-space: nowrap; }
.swatch { display: inline-block; width: .9em; height: .9em; margin-right: .3em; vertical-align: -.1em; }
.level { display: block; color: #555555; font-weight: 400; font-size: .82rem; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  .band, .swatch, .hypothetical, table.matrix td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2, h3 { break-after: avoid; }
  tr, blockquote, table.matrix { break-inside: avoid; }
  thead { display: table-header-group; }
}
"""

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def html_page(r: ReportResult, key: Key) -> str:
    bands = {b.id: i for i, b in enumerate(r.matrix.bands)}
    css = [_CSS]
    for b in r.matrix.bands:
        colour = band_hex(key, b.id)
        css.append(f".b{bands[b.id]} {{ background: {colour}; color: {ink(colour)}; }}\n")
    body: list[str] = []

    def inline(parts: Iterable[Inline]) -> str:
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(h(p))
            elif p.band is not None:
                out.append(f'<span class="band b{bands.get(p.band, 0)}">{h(p.text)}</span>')
            elif p.strong:
                out.append(f"<strong>{h(p.text)}</strong>")
            elif p.em:
                out.append(f"<em>{h(p.text)}</em>")
            else:
                out.append(h(p.text))
        return "".join(out)

    def block(b: Block) -> None:
        if isinstance(b, Section):
            body.append(f'<section id="{b.anchor}">')
            for x in b.blocks:
                block(x)
            body.append("</section>")
        elif isinstance(b, Heading):
            anchor = f' id="{b.anchor}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{h(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            if b.cls == "description":
                for para in re.split(r"\n\s*\n", clean(b.parts[0] if isinstance(b.parts[0], str) else "")):
                    if para.strip():
                        body.append(f'<p class="description">{h(" ".join(para.split()))}</p>')
                return
            if b.cls == "legend":
                parts = [
                    f'<span class="swatch b{bands.get(p.band, 0)}"></span>{h(p.text)}'
                    if isinstance(p, Span) and p.band is not None
                    else inline([p])
                    for p in b.parts
                ]
                body.append(f'<p class="legend">{"".join(parts)}</p>')
                return
            cls = f' class="{b.cls}"' if b.cls else ""
            body.append(f"<p{cls}>{inline(b.parts)}</p>")
        elif isinstance(b, Quote):
            body.append(f"<blockquote><p>{h(b.text)}</p></blockquote>")
        elif isinstance(b, Table):
            cls = f' class="{b.cls}"' if b.cls else ""
            body.append(f"<table{cls}>")
            body.append(
                "<thead><tr>"
                + "".join(
                    f'<th class="num">{h(x)}</th>' if i in b.numeric else f"<th>{h(x)}</th>"
                    for i, x in enumerate(b.head)
                )
                + "</tr></thead>"
            )
            body.append("<tbody>")
            for row in b.rows:
                body.append(
                    "<tr>"
                    + "".join(
                        f'<td class="num">{inline(c)}</td>' if i in b.numeric else f"<td>{inline(c)}</td>"
                        for i, c in enumerate(row)
                    )
                    + "</tr>"
                )
            body.append("</tbody></table>")
        else:
            body.extend(_html_matrix(b.grid, bands))

    for part in _document(r, key):
        block(part)
    title = h(_title(r))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="riskcli {h(__version__)}">\n'
        f"<title>{title}</title>\n<style>\n{''.join(css)}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )


def _html_matrix(g: Grid, bands: dict[str, int]) -> list[str]:
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    out = ['<table class="matrix">', "<thead><tr>", '<th class="axis corner">Likelihood ↓ · Impact →</th>']
    for lv in g.impact:
        out.append(f'<th scope="col">{lv.value}<span class="level">{h(lv.name)}</span></th>')
    out.append("</tr></thead><tbody>")
    for lv in reversed(g.likelihood):
        band = band_range(*lv.probability) if lv.probability is not None else ""
        level = f'<span class="level">{h(band)}</span>' if band else ""
        out.append(f'<tr><th scope="row" class="axis">{lv.value} {h(lv.name)}{level}</th>')
        for iv in g.impact:
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                out.append("<td></td>")
                continue
            ids, rating = _cell_parts(c)
            inner = (
                f'<span class="ids">{h(ids)}</span>' if c.count else ""
            ) + f'<span class="rating">{h(rating)}</span>'
            out.append(
                f'<td class="cell b{bands.get(c.rating.id, 0)}" data-likelihood="{c.likelihood}" '
                f'data-impact="{c.impact}" data-band="{h(c.rating.id)}">{inner}</td>'
            )
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


# --------------------------------------------------------------------------- SVG


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word is cut); at most ``max_lines``,
    the last ending in … when text was left out."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: width - 1] + "…")
            word = ""
        if not word:
            continue
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines


def _chars(width: float, size: float) -> int:
    """How many characters of a sans-serif font at ``size`` fit in ``width`` (an estimate)."""
    return max(4, int(width / (size * 0.58)))


def _text(x: float, y: float, text: str, size: int, **attrs: str) -> str:
    """An SVG text element; ``attrs`` are trusted attribute values (``font_weight`` → font-weight)."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}"{extra}>{h(text)}</text>'


def _rect(x: float, y: float, w: float, hgt: float, fill: str, inner: str = "", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    head = f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{hgt:.0f}" fill="{fill}"{extra}'
    return f"{head}>{inner}</rect>" if inner else f"{head}/>"


def svg(g: Grid, key: Key, title: str, subtitle: Sequence[str]) -> str:
    """The matrix as a picture for slides: cells in their band colours with their risk ids, the
    axes labelled with the levels, and a legend."""
    nl, ni = len(g.likelihood), len(g.impact)
    cell_w, cell_h, gap = 150, 92, 4
    label_w, left = 190, 44
    grid_w = ni * cell_w + (ni - 1) * gap
    grid_h = nl * cell_h + (nl - 1) * gap
    width = left + label_w + grid_w + 24
    x0 = left + label_w
    out: list[str] = []
    add = out.append
    y = 24.0
    for line in _wrap(clean(title, one_line=True), _chars(width - 48, 22), 2):
        y += 28
        add(_text(24, y, line, 22, font_weight="700"))
    y += 6
    for line in (x for s in subtitle for x in _wrap(clean(s, one_line=True), _chars(width - 48, 14), 2)):
        y += 20
        add(_text(24, y, line, 14, fill="#444444"))
    top = y + 24
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    for row, lv in enumerate(reversed(g.likelihood)):
        cy = top + row * (cell_h + gap)
        names = _wrap(f"{lv.value} {clean(lv.name, one_line=True)}", _chars(label_w - 16, 14), 2)
        band = band_range(*lv.probability) if lv.probability is not None else ""
        ty = cy + cell_h / 2 - (len(names) + bool(band) - 1) * 9 + 5
        for line in names:
            add(_text(x0 - 12, ty, line, 14, font_weight="600", text_anchor="end"))
            ty += 18
        if band:
            add(_text(x0 - 12, ty, band, 12, fill="#555555", text_anchor="end"))
        for col, iv in enumerate(g.impact):
            cx = x0 + col * (cell_w + gap)
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                add(_rect(cx, cy, cell_w, cell_h, "#f2f2f2"))
                continue
            fill = band_hex(key, c.rating.id)
            fg = ink(fill)
            add(_rect(cx, cy, cell_w, cell_h, fill, f"<title>{h(_cell_title(c))}</title>"))
            ids, rating = _cell_parts(c)
            lines = _wrap(ids, _chars(cell_w - 16, 15), 3) if c.count else []
            ty = cy + cell_h / 2 - len(lines) * 10 + 5
            mid = cx + cell_w / 2
            for line in lines:
                add(_text(mid, ty, line, 15, font_weight="700", fill=fg, text_anchor="middle"))
                ty += 20
            add(
                _text(
                    mid,
                    ty,
                    " ".join(_wrap(rating, _chars(cell_w - 16, 12), 1)),
                    12,
                    font_style="italic",
                    fill=fg,
                    text_anchor="middle",
                )
            )
    by = top + grid_h + 22
    for col, iv in enumerate(g.impact):
        mid = x0 + col * (cell_w + gap) + cell_w / 2
        add(_text(mid, by, str(iv.value), 14, font_weight="600", text_anchor="middle"))
        for i, line in enumerate(_wrap(clean(iv.name, one_line=True), _chars(cell_w - 8, 13), 2)):
            add(_text(mid, by + 17 + 16 * i, line, 13, fill="#333333", text_anchor="middle"))
    ay = by + 56
    add(_text(x0 + grid_w / 2, ay, "Impact →", 15, font_weight="700", text_anchor="middle"))
    ly = top + grid_h / 2
    add(
        _text(
            left - 16,
            ly,
            "Likelihood →",
            15,
            font_weight="700",
            text_anchor="middle",
            transform=f"rotate(-90 {left - 16} {ly:.0f})",
        )
    )
    legend_y = ay + 30
    add(_text(24, legend_y + 13, "Ratings:", 14, font_weight="600"))
    lx = 100.0
    for b in g.bands:
        words = f"{clean(b.name, one_line=True)} ({b.count})"
        if lx + 22 + len(words) * 8 > width - 24:
            lx = 100.0
            legend_y += 26
        add(_rect(lx, legend_y, 16, 16, band_hex(key, b.id), stroke="#7f7f7f", stroke_width="0.5"))
        add(_text(lx + 22, legend_y + 13, words, 14))
        lx += 22 + len(words) * 8 + 18
    total = sum(b.count for b in g.bands)
    foot = f"{total} risk{'s' if total != 1 else ''}. In a cell: its risks, highest score first, then its rating and count."
    add(_text(24, legend_y + 40, foot + " Made with riskcli.", 12, fill="#555555"))
    height = int(legend_y + 60)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" fill="#1b1b1b" role="img">\n'
        f"<title>{h(clean(title, one_line=True))} — likelihood × impact</title>\n"
        + _rect(0, 0, width, height, "#ffffff")
        + "\n"
        + "\n".join(out)
        + "\n</svg>\n"
    )


def _cell_title(c: CellView) -> str:
    return (
        f"likelihood {c.likelihood}, impact {c.impact}: {c.rating.name}, {c.count} risk{'s' if c.count != 1 else ''}"
        + (f" ({' '.join(c.risks)})" if c.risks else "")
    )


__all__ = ["FORMATS", "band_hex", "ink", "markdown", "render", "report_view", "svg"]
