"""The briefing as a document: headings, paragraphs, tables, quotes and the matrix, in words.

The Markdown and HTML writers draw this same document, so the two always say the same thing.
Register text stays a plain ``str`` or a ``Span`` here: each writer escapes it for its format.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field

from riskcli import __version__
from riskcli.records import frozen
from riskcli.render.layout import Key, fmt_belief, fmt_level
from riskcli.render.words import (
    as_of_label,
    band_range,
    cause_text,
    event_text,
    hypothesis_label,
    label,
    resolution_text,
)
from riskcli.results.shapes.common import MoveView, Score
from riskcli.results.shapes.matrix import CellView, Grid, LevelView
from riskcli.results.shapes.report import ReportResult, SensitivitySummary, SimulationSummary, SourceInfo

MAX_IDS = 12  # risk ids written in one matrix cell; the rest are counted


def title(r: ReportResult) -> str:
    reg = r.register
    return reg.title or reg.id or reg.path


def subtitle(r: ReportResult, key: Key) -> list[str]:
    lines = []
    if r.as_of is not None:
        lines.append(as_of_label(r.as_of))
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


def level_name(levels: Sequence[LevelView], value: int) -> str:
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
        f"{names.get(sim.top_band, sim.top_band)} is {pct(sim.any_in_top_band)}."
    )


def pct(p: float) -> str:
    return f"{p * 100:.0f}%" if p >= 0.01 or p == 0 else "< 1%"


# --------------------------------------------------------------------------- the document


@frozen
class Span:
    """Inline text: register text is always a Span (or a plain str) and escaped by the writer."""

    text: str
    strong: bool = False
    em: bool = False
    band: str | None = None  # a rating badge in this band's colours


Inline = str | Span


@frozen
class Heading:
    level: int
    text: str
    anchor: str = ""


@frozen
class Para:
    parts: tuple[Inline, ...]
    cls: str = ""


@frozen
class Quote:
    text: str


@frozen
class Table:
    head: tuple[str, ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    numeric: frozenset[int] = field(default_factory=frozenset)
    cls: str = ""


@frozen
class Matrix:
    grid: Grid


@frozen
class Section:
    anchor: str
    blocks: tuple[Block, ...]


Block = Heading | Para | Quote | Table | Matrix | Section


def document(r: ReportResult, key: Key) -> list[Block]:
    names = {b.id: b.name for b in r.matrix.bands}
    head: list[Block] = [Heading(1, title(r))]
    if r.as_of is not None:
        head.append(Para((Span(as_of_label(r.as_of), strong=True),), "as-of"))
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
    ups = [b for b in g.bands if b.opportunities]
    what = "threat" if ups else "risk"
    legend.append(f" ({total} {what}{'s' if total != 1 else ''}).")
    if ups:
        legend.append(" Opportunities, counted apart: ")
        for i, b in enumerate(ups):
            legend += [" · " if i else "", Span(b.name, band=b.id), f" {b.opportunities}"]
        legend.append(f" ({', '.join(g.opportunities)}).")
    resolved: tuple[Block, ...] = ()
    if r.resolved:
        said = "; ".join(resolution_text(x.id, x.outcome, x.on) for x in r.resolved)
        resolved = (Para((f"Resolved, out of the matrix and the ranking: {said}.",), "meta"),)
    if r.apart:
        said = ", ".join(r.apart)
        resolved += (Para((f"Closed or retired, out of the matrix and the ranking: {said}.",), "meta"),)
    if r.unassessed:
        said = ", ".join(r.unassessed)
        resolved += (
            Para(
                (f"Not yet assessed (without a likelihood or an impact), out of the matrix and the ranking: {said}.",),
                "meta",
            ),
        )
    return Section(
        "matrix",
        (
            Heading(2, "Likelihood × impact"),
            Matrix(g),
            Para(tuple(legend), "legend"),
            *resolved,
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
    heading = f"Top {top.shown} of {top.count} risks" if top.shown < top.count else f"All {top.count} risks, ranked"
    blocks: list[Block] = [Heading(2, heading)]
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
                (
                    Span(t.chances.likeliest.name, band=t.chances.likeliest.id),
                    f" {pct(t.chances.probability)}",
                ),
                (pct(t.chances.top),),
                (t.confidence.value if t.confidence is not None else "—",),
            )
        )
    top_name = top.risks[0].chances.top_band.name
    blocks.append(
        Table(
            ("Rank", "Risk", "Title", "L", "I", "L×I", "Rating", "Likeliest", f"P({top_name})", "Confidence"),
            tuple(rows),
            frozenset({0, 3, 4, 5, 8}),
            "ranked",
        )
    )
    blocks.append(
        Para(
            (
                "Likeliest: the band a risk lands in most often when its assumptions are drawn from their "
                f"beliefs, with its chance; P({top_name}): its chance of the top band.",
            ),
            "muted",
        )
    )
    for t in top.risks:
        c = t.current
        blocks.append(Heading(3, f"{t.rank}. {t.id} — {t.title}", f"risk-{t.rank}"))
        facts: list[Inline] = [
            Span(c.rating.name, band=c.rating.id),
            f" — likelihood {level_name(r.matrix.likelihood, c.cell.likelihood)}, impact "
            f"{level_name(r.matrix.impact, c.cell.impact)}; L×I {fmt_level(c.score)}",
        ]
        if (t.baseline.likelihood, t.baseline.impact) != (c.cell.likelihood, c.cell.impact):
            facts.append(f" (baseline {t.baseline.likelihood},{t.baseline.impact})")
        if t.confidence is not None:
            facts.append(f"; {t.confidence.value} confidence")
        facts += [
            "; likeliest ",
            Span(t.chances.likeliest.name, band=t.chances.likeliest.id),
            f" ({pct(t.chances.probability)}), P({t.chances.top_band.name}) {pct(t.chances.top)}",
        ]
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
                f"{pct(bc.probability)} ",
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


def cell_parts(c: CellView) -> tuple[str, str]:
    """A matrix cell's ids (``R1 R3 +2``) and its rating line (``High · 4``)."""
    shown = " ".join(c.risks[:MAX_IDS]) + (f" +{len(c.risks) - MAX_IDS}" if len(c.risks) > MAX_IDS else "")
    return shown, f"{c.rating.name} · {c.count}" if c.count else c.rating.name
