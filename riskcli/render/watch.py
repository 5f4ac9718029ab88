"""The watchlist and the levers: indicators, responses and scenarios."""

from __future__ import annotations

from collections import Counter

from rich import box
from rich.table import Table
from rich.text import Text

from riskcli.render.console import LIMIT, Out, T, clean, std_console
from riskcli.render.layout import Key, fit, fmt_belief
from riskcli.render.words import arrow, header, review_text, shift_text
from riskcli.results.shapes.watch import IndicatorsResult, IndicatorView, ResponsesResult, ScenariosResult
from riskcli.scoring import Diagnosticity, Direction, NotCounted, Outcome, direction


def indicators_view(r: IndicatorsResult, out: Out, key: Key, *, overdue_only: bool = False) -> None:
    if not r.indicators:
        out.note("no indicator is overdue for review" if overdue_only else "this register has no indicators")
        return
    con = std_console(out)
    con.print(header(r.register, "indicators to watch", as_of=r.as_of))
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("ID", no_wrap=True, style="bold")
    t.add_column("Indicator", ratio=2, min_width=20)
    t.add_column("Bears on")
    t.add_column("Every", justify="right", no_wrap=True)
    t.add_column("Last observed", no_wrap=True)
    t.add_column("Review", no_wrap=True)
    for iv in r.indicators:
        what = T(iv.title)
        if iv.watch:
            what.append("\n")
            what.append(clean(iv.watch, limit=LIMIT), style="dim")
        bears = "\n".join(_bearing(d) for d in iv.bears_on) or "—"
        status = Text(review_text(iv), style="bold red" if iv.overdue else "green")
        t.add_row(T(iv.id), what, T(bears), f"{iv.review_every} d", _observed(iv), status)
    con.print(fit(con, t, {1: 20}, optional=(3, 4), spare=(2,)))
    overdue = sum(1 for iv in r.indicators if iv.overdue)
    out.note(
        f"{overdue} of {r.total} indicators overdue for review" if overdue else "no indicator is overdue for review"
    )


def _observed(iv: IndicatorView) -> Text:
    """When it was last observed, and what counts: ``2024-11-19`` / ``in force: seen 2, absent 1`` /
    ``not counted: 3``."""
    t = T(iv.last_observed or "never", one_line=True)
    counted = [o for o in iv.observations if o.counted and o.outcome is not Outcome.NONE]
    if counted:
        n = Counter(o.outcome.value for o in counted)
        t.append("\nin force: " + ", ".join(f"{k} {v}" for k, v in sorted(n.items(), reverse=True)), style="dim")
    skipped = sum(1 for o in iv.observations if not o.counted and o.not_counted is not NotCounted.REVIEW)
    if skipped:
        t.append(f"\nnot counted: {skipped}", style="dim")
    return t


def _bearing(d: Diagnosticity) -> str:
    """A signpost's bearing, the absence under the sighting (a narrow column leaves the
    indicator's text room)::

        A9 0.50: seen ↑0.75
                 absent ↓0.41

    or ``A3 ↑0.90`` (a preset belief)."""
    if d.if_absent is None:
        return f"{d.assumption} {arrow(d.direction)}{fmt_belief(d.if_seen)}"
    lead = f"{d.assumption} {fmt_belief(d.belief)}: "
    back = direction(d.belief, d.if_absent)
    absent = f"\n{' ' * len(lead)}absent {arrow(back)}{fmt_belief(d.if_absent)}" if back is not Direction.SAME else ""
    return f"{lead}seen {arrow(d.direction)}{fmt_belief(d.if_seen)}{absent}"


def responses_view(r: ResponsesResult, out: Out, key: Key) -> None:
    if not r.responses:
        out.note("this register has no responses")
        return
    con = std_console(out)
    con.print(header(r.register, "responses", r.hypothetical, key, r.as_of))
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("ID", no_wrap=True, style="bold")
    t.add_column("Response", ratio=2, min_width=20)
    t.add_column("Effects", ratio=1)
    t.add_column("Side effects", ratio=1)
    t.add_column("Status", no_wrap=True)
    for m in r.responses:
        eff = ", ".join(f"{e.risk} {shift_text(e.shift)}" for e in m.effects) or "—"
        side = ", ".join(f"{e.risk} {shift_text(e.shift)}" for e in m.side_effects) or "—"
        status = Text("applied", style="bold green") if m.applied else Text("not applied", style="dim")
        t.add_row(T(m.id), T(m.title), T(eff), T(side), status)
    con.print(fit(con, t, {1: 20, 2: 12, 3: 12}))


def scenarios_view(r: ScenariosResult, out: Out, key: Key) -> None:
    if not r.scenarios:
        out.note("this register has no scenarios")
        return
    con = std_console(out)
    con.print(header(r.register, "scenarios", as_of=r.as_of))
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("ID", no_wrap=True, style="bold")
    t.add_column("Scenario", ratio=2, min_width=20)
    t.add_column("Beliefs", ratio=1, min_width=12)
    t.add_column("Moves", justify="right", no_wrap=True)
    t.add_column("Rating changes", justify="right", no_wrap=True)
    for sc in r.scenarios:
        what = T(sc.title)
        if sc.description:
            what.append("\n")
            what.append(clean(sc.description, limit=2000), style="dim")
        beliefs = ", ".join(f"{b.assumption} {fmt_belief(b.belief)}" for b in sc.beliefs) or "—"
        t.add_row(T(sc.id), what, T(beliefs), str(sc.moved), str(sc.rating_changes))
    con.print(fit(con, t, {1: 20, 2: 12}, optional=(4,)))
    out.note("moves and rating changes are against the current state; see one with: riskcli compare current SCENARIO")
