"""The track record (calibration): each forecaster's scores, the resolved items, the reliability
table and the signposts' check."""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text

from riskcli.render.console import Out, T, std_console
from riskcli.render.layout import Key, fit
from riskcli.render.words import header
from riskcli.results.shapes.record import CalibrationResult

WIDTH = 20  # the reliability bars: a frequency of 1 is this many cells


def _n(x: float | None, places: int = 3) -> str:
    return "—" if x is None else f"{x:.{places}f}"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def calibration_view(r: CalibrationResult, out: Out, key: Key) -> None:
    con = std_console(out)
    con.print(header(r.register, "track record", None, key, r.as_of))
    if not r.resolved:
        out.note("nothing is resolved yet: riskcli resolve ID OUTCOME records what happened")
        return
    rates = ", ".join(f"{kind}s {_pct(v)}" for kind, v in r.base_rates.items())
    con.print(T(f"{r.resolved} resolved; came true: {rates}"))
    t = Table(box=box.SIMPLE_HEAD, expand=True, title="Scores (lower is better)", title_justify="left")
    t.add_column("Forecaster", ratio=1)
    t.add_column("Items", justify="right", no_wrap=True)
    t.add_column("Judgements", justify="right", no_wrap=True)
    t.add_column("Brier", justify="right", no_wrap=True)
    t.add_column("Log", justify="right", no_wrap=True)
    for lead in r.forecasters[0].leads if r.forecasters else ():
        t.add_column(f"Brier {lead.days}d", justify="right", no_wrap=True)
    for f in r.forecasters:
        t.add_row(
            T(f.forecaster, one_line=True),
            str(f.items),
            str(f.judgements),
            _n(f.brier),
            _n(f.log),
            *(f"{_n(x.brier)} ({x.items})" if x.items else "—" for x in f.leads),
        )
    con.print(fit(con, t, {0: 12}))
    items = Table(box=box.SIMPLE_HEAD, expand=True, title="Resolved", title_justify="left")
    for name in ("Item", "Outcome", "On", "Judgements", "Brier", "Log", "Baseline Brier"):
        items.add_column(name, justify="right" if name in ("Judgements", "Brier", "Log", "Baseline Brier") else "left")
    for x in r.items:
        items.add_row(T(x.id), x.outcome.value, x.on, str(x.judgements), _n(x.brier), _n(x.log), _n(x.baseline_brier))
    con.print(fit(con, items, {0: 8}))
    rel = Table(
        box=box.SIMPLE_HEAD, expand=True, title="Reliability (judgements in force at resolution)", title_justify="left"
    )
    for name in ("Band", "Range", "Count", "True", "Forecast", "Observed", "95% interval", ""):
        rel.add_column(
            name, no_wrap=True, justify="right" if name in ("Count", "True", "Forecast", "Observed") else "left"
        )
    for row in r.reliability:
        drawn = Text()
        if row.observed is not None and row.interval is not None:
            drawn.append("█" * round(row.observed * WIDTH), style="bold")
            drawn.append(" " * (WIDTH - round(row.observed * WIDTH)))
            drawn.append(f" ({_pct(row.low)}–{_pct(row.high)} claimed)", style="dim")
        rel.add_row(
            T(f"{row.level} {row.name}", one_line=True),
            f"{_pct(row.low)}–{_pct(row.high)}",
            str(row.count),
            str(row.came_true),
            _n(row.mean_forecast, 2),
            _n(row.observed, 2),
            f"{_pct(row.interval[0])}–{_pct(row.interval[1])}" if row.interval else "—",
            drawn,
        )
    con.print(fit(con, rel, {0: 10}, optional=(7,)))
    if r.signposts:
        sp = Table(box=box.SIMPLE_HEAD, expand=True, title="Signposts on resolved assumptions", title_justify="left")
        for name in ("Signpost", "Assumption", "Outcome", "Seen", "Absent", "Claimed seen ratio"):
            sp.add_column(name, no_wrap=True)
        for s in r.signposts:
            sp.add_row(
                T(s.indicator), T(s.assumption), s.outcome.value, str(s.seen), str(s.absent), f"{s.claimed_seen:g}"
            )
        con.print(fit(con, sp, {0: 8}))
        for sm in r.signpost_summaries:
            ratio = (
                f"observed ratio {sm.observed_ratio:.2f}" if sm.observed_ratio is not None else "no observed ratio yet"
            )
            con.print(
                T(
                    f"{sm.indicator}: seen on {sm.held_seen} of {sm.held} that held, {sm.failed_seen} of {sm.failed} "
                    f"that failed; {ratio}"
                )
            )
    out.note(
        f"Likelihood levels are scored at the {r.levels_at} of their probability band, beliefs as given; "
        "Brier and log scores are averaged over each judgement's life (by days); the log score bounds p "
        "within [0.001, 0.999]; Brier Nd: the judgement in force N days before the resolution (items)"
    )
