"""A risk's score over time (``history --risk``): a sparkline, then a bar per step with who moved
it, when, how and why."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from riskcli.render.console import T
from riskcli.render.layout import Key, band_text, fit, fmt_level
from riskcli.results.shapes.common import Score
from riskcli.results.shapes.events import Track

SPARKS = "▁▂▃▄▅▆▇█"
BAR = 20  # the widest bar, in cells: the top of the scale (N × M)


def sparkline(scores: Sequence[float], top: float) -> str:
    """One character per score, from ▁ (0) to █ (``top``)."""
    out = []
    for s in scores:
        k = 0 if top <= 0 else round(max(0.0, min(s, top)) / top * (len(SPARKS) - 1))
        out.append(SPARKS[k])
    return "".join(out)


def bar(score: float, top: float) -> str:
    """A bar of eighths: ``score`` of ``top`` in ``BAR`` cells."""
    eighths = 0 if top <= 0 else round(max(0.0, min(score, top)) / top * BAR * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + ("▏▎▍▌▋▊▉"[part - 1] if part else "")


def _levels(s: Score) -> str:
    return f"L {fmt_level(s.likelihood)} × I {fmt_level(s.impact)}"


def track_view(con: Console, track: Track, key: Key) -> None:
    """The risk's score over time: its sparkline, then one row per step."""
    risk, top = track.risk, track.top
    scores = [p.score.score for p in track.points]
    head = Text()
    head.append(f"{risk} over time ", style="bold")
    head.append(sparkline(scores, top))
    head.append(f"  score {' → '.join(f'{s:g}' for s in _changes(scores))}", style="dim")
    con.print(head)
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("When (UTC)", no_wrap=True)
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column("Who", max_width=14)
    t.add_column("Kind", no_wrap=True)
    t.add_column("Score", no_wrap=True)
    t.add_column("", justify="right", no_wrap=True)
    t.add_column("Levels", no_wrap=True)
    t.add_column("Rating", no_wrap=True)
    t.add_column("Why", ratio=1)
    for p in track.points:
        s = p.score
        t.add_row(
            T(p.at[:16].replace("T", " ") if p.at else "baseline", one_line=True),
            str(p.line) if p.line is not None else "",
            T(p.by or "register", one_line=True),
            p.kind or "",
            Text(bar(s.score, top), style="bold"),
            f"{s.score:.2f}".rstrip("0").rstrip("."),
            _levels(s),
            band_text(s.rating, key, con),
            T(p.why or "", one_line=True),
        )
    con.print(fit(con, t, {8: 12}, optional=(2, 6), caps={2: 14}))


def _changes(scores: Sequence[float]) -> list[float]:
    """The scores with repeats dropped: 9 → 16 → 12."""
    out: list[float] = []
    for s in scores:
        r = round(s, 2)
        if not out or out[-1] != r:
            out.append(r)
    return out
