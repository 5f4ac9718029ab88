"""Views of risks and assumptions: list, show, assumptions, explain."""

from __future__ import annotations

import shlex
from collections.abc import Iterable

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from riskcli.model import Axis
from riskcli.render.console import Out, T, clean, std_console
from riskcli.render.decide import standing_rows
from riskcli.render.layout import (
    Key,
    adding_up,
    band_text,
    cents,
    chances_text,
    fit,
    fmt_belief,
    fmt_level,
    likeliest_text,
    pct,
)
from riskcli.render.matrix import resolved_note, unassessed_note, warn_clamped
from riskcli.render.streams import tsv
from riskcli.render.team import DISAGREE_MARK, combine_text, disagree_note, print_team, team_belief_table
from riskcli.render.words import (
    as_of_label,
    banner,
    clamp_text,
    due_text,
    earlier_history,
    header,
    horizon_lines,
    hypothesis_label,
    level_meaning,
    resolution_text,
    set_text,
    shift_text,
    tally_text,
    unrated,
)
from riskcli.results.shapes.risks import (
    AssumptionsResult,
    ExplainResult,
    ImpactIfWrong,
    InfluenceView,
    ListFilters,
    ListResult,
    RiskDetail,
    RiskRow,
    ShowResult,
)
from riskcli.results.shapes.team import TeamLevels
from riskcli.scoring import ContributionKind

LIST_COLUMNS = (
    "rank", "id", "likelihood", "impact", "score", "rating", "category", "actors", "title", "likeliest", "p_top",
)  # fmt: skip
_LABEL_STYLE = {"solid": "green", "caveated": "yellow", "unsupported": "red"}


# --------------------------------------------------------------------------- list


def _same_filters(f: ListFilters) -> str:
    """The options that give the filters of ``f`` again (but --status), for a command to suggest."""
    parts = [
        f" {option} {shlex.quote(value)}"
        for option, value in (
            ("--actor", f.actor),
            ("--category", f.category),
            ("--min-rating", f.min_rating),
            ("--owner", f.owner),
            ("--treatment", f.treatment),
        )
        if value is not None
    ]
    parts += [" --over-appetite"] if f.over_appetite else []
    parts += [" --overdue"] if f.overdue else []
    return "".join(parts)


def list_view(r: ListResult, out: Out, key: Key, *, cut: bool = False) -> None:
    """A table on a terminal (``cut``: some risks were left out for the screen's sake); one
    tab-separated line per risk when piped."""
    if r.apart:
        out.note(
            f"{r.apart} closed or retired risk{'s' if r.apart != 1 else ''} not listed "
            f"(riskcli list --status closed,retired{_same_filters(r.filters)})"
        )
    if not out.terminal:
        if r.as_of is not None:  # the tab-separated lines carry no label: say it beside them
            out.note(as_of_label(r.as_of))
        if r.hypothetical is not None:
            out.note(hypothesis_label(r.hypothetical, key))
        list_plain(r.risks, out)
        if r.disagree:
            out.note(disagree_note(r.disagree))
        resolved_note(out, r.resolved)
        if r.due:
            out.note(clean(due_text(r.due)))
        unassessed_note(out, r.unassessed)
        unrated_note(r, out)
        return
    con = std_console(out)
    con.print(header(r.register, "risks, highest first", r.hypothetical, key, r.as_of))
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("#", justify="right", style="dim")
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("L", justify="right")
    table.add_column("I", justify="right")
    table.add_column("L×I", justify="right")
    table.add_column("Rating", no_wrap=True)
    table.add_column("Likeliest", no_wrap=True)
    table.add_column(Text(f"P({r.risks[0].chances.top_band.name})" if r.risks else "P(top)"), justify="right")
    table.add_column("Title", ratio=1, min_width=24)
    table.add_column("Category", max_width=20, overflow="fold")
    table.add_column("Actors", max_width=12)
    apart = set(r.disagree)
    for row in r.risks:
        c = row.current
        table.add_row(
            str(row.rank),
            T(row.id, one_line=True) + Text(DISAGREE_MARK if row.id in apart else "", style="bold yellow"),
            fmt_level(c.likelihood),
            fmt_level(c.impact),
            fmt_level(c.score),
            band_text(c.rating, key, con),
            likeliest_text(row.chances, c.rating, key, con),
            pct(row.chances.top),
            T(row.title, one_line=True),
            T(row.category or "", one_line=True),
            T(", ".join(row.actors), one_line=True),
        )
    con.print(fit(con, table, {8: 20}, optional=(9, 10), caps={9: 20, 10: 16}, spare=(0, 4, 7, 6)))
    filtered = any(x is not None for x in (r.filters.actor, r.filters.category, r.filters.min_rating))
    tail = f"{r.shown} of {r.count} risks" + (" matching the filters" if filtered else "")
    if r.shown < r.count:
        tail += f"; {r.count - r.shown} more not shown (--all shows every risk, --limit N the top N)"
    out.note(tail)
    if any(row.chances.likeliest.id != row.current.rating.id for row in r.risks):
        out.note(
            "Likeliest: the band a risk lands in most often when its assumptions are drawn from their beliefs "
            "(≠: not the rating shown); P: its chance of the top band"
        )
    if r.disagree:
        out.note(disagree_note(r.disagree))
    resolved_note(out, r.resolved, con)
    if r.due:
        con.print(T(due_text(r.due)))
    warn_clamped(out, ((row.id, row.current.clamped) for row in r.risks))
    unassessed_note(out, r.unassessed)
    unrated_note(r, out)


def unrated_note(r: ListResult, out: Out) -> None:
    """The risks not yet assessed that --min-rating or --over-appetite leaves out, on stderr."""
    if r.unrated:
        options = ["--min-rating"] if r.filters.min_rating is not None else []
        out.note(unrated(r.unrated, [*options, "--over-appetite"] if r.filters.over_appetite else options))


def list_plain(rows: Iterable[RiskRow], out: Out) -> None:
    """The streaming path for pipes: one tab-separated line per risk, no Rich layout at all."""
    write = out.stdout.write
    write("\t".join(LIST_COLUMNS) + "\n")
    buf: list[str] = []
    for row in rows:
        c = row.current
        buf.append(
            f"{row.rank}\t{tsv(row.id)}\t{fmt_level(c.likelihood)}\t{fmt_level(c.impact)}\t{fmt_level(c.score)}\t"
            f"{tsv(c.rating.id)}\t{tsv(row.category or '')}\t{tsv(','.join(row.actors))}\t{tsv(row.title)}\t"
            f"{tsv(row.chances.likeliest.id)}\t{row.chances.top:.3f}\n"
        )
        if len(buf) >= 2048:
            write("".join(buf))
            buf.clear()
    write("".join(buf))
    out.stdout.flush()


# --------------------------------------------------------------------------- show


def evidence_text(assumption: str, found: Iterable[InfluenceView]) -> str:
    """What moved a belief, by Bayes' rule: ``I6 seen ×1.67; via A14 given A7: I9 seen ×3``."""
    parts = []
    for x in found:
        items = []
        if x.set is not None:
            items.append(set_text(x.set))
        items += [tally_text(t) for t in x.observations]
        what = ", ".join(items)
        if x.via:
            links = ", ".join(f"{k.child} given {k.parent}" for k in x.via)
            parts.append(f"{what} on {x.on} (via {links})")
        else:
            parts.append(f"{what} on {x.on}")
    return "; ".join(parts)


def _team_confidence(team: TeamLevels) -> str:
    """Whose confidence a risk scored by several analysts shows: those who gave one, combined."""
    gave = [f"{a.by}'s" for a in team.analysts if a.confidence is not None]
    none = [a.by for a in team.analysts if a.confidence is None]
    said = gave[0] if len(gave) == 1 else f"{', '.join(gave[:-1])} and {gave[-1]} combined"
    return said + (f"; {', '.join(none)} gave none" if none else "")


def _not_assessed_rows(facts: Table, risk: RiskDetail, key: Key) -> None:
    """What show says of a risk not yet assessed, where an assessed one has its score: that it has
    none, how to give it one, and the level the register gives, if either."""
    facts.add_row(
        "assessed",
        T(
            "not yet: no score and no place on the matrix until it is scored "
            f"(riskcli score {risk.id} --likelihood LEVEL --impact LEVEL --why …)"
        ),
    )
    given = risk.unassessed
    if given is None or (given.likelihood is None and given.impact is None):
        return
    axes = (("likelihood", key.likelihood, given.likelihood), ("impact", key.impact, given.impact))
    said = [f"{name} {level_meaning(scale, n)}" for name, scale, n in axes if n is not None]
    said += [f"{name} unassessed" for name, _, n in axes if n is None]
    facts.add_row("given", T("; ".join(said)))


def show_view(r: ShowResult, out: Out, key: Key) -> None:
    con = std_console(out)
    b = banner(r.hypothetical, key, r.as_of)
    if b is not None:
        con.print(b)
    risk = r.risk
    c = risk.current
    title = Text()
    title.append(clean(risk.id, one_line=True), style="bold")
    title.append("  ")
    title.append(clean(risk.title, one_line=True, limit=1000), style="bold")
    con.print(title)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="dim", no_wrap=True)
    facts.add_column()
    if c is None or risk.chances is None or risk.baseline is None:
        _not_assessed_rows(facts, risk, key)
    else:
        cur = Text()
        cur.append(
            f"L {fmt_level(c.likelihood)} × I {fmt_level(c.impact)} → cell ({c.cell.likelihood}, {c.cell.impact}) "
        )
        cur.append_text(band_text(c.rating, key, con))
        facts.add_row("current", cur)
        if risk.resolved is not None:
            x = risk.resolved
            said = resolution_text(x.id, x.outcome, x.on, x.source) + f", recorded by {x.by}"
            facts.add_row(
                "resolved", T(said + (f": “{x.why}”" if x.why else "") + " — out of the live views", style="bold")
            )
        facts.add_row(
            "chances", chances_text(risk.chances, c.rating, key, con) + Text(" (over its assumptions)", style="dim")
        )
        facts.add_row(
            "baseline",
            T(
                f"likelihood {level_meaning(key.likelihood, risk.baseline.likelihood)}; "
                f"impact {level_meaning(key.impact, risk.baseline.impact)}"
            ),
        )
    if risk.team is not None:
        facts.add_row("analysts", T(combine_text(risk.team) + ": see below"))
    elif risk.analyst is not None:
        a = risk.analyst
        who = f"L {fmt_level(a.likelihood)} × I {fmt_level(a.impact)} by {a.by or '?'} at {a.at[:16].replace('T', ' ')}"
        facts.add_row("analyst", T(who + (f": “{a.why}”" if a.why else "")))
    if risk.confidence is not None:
        if risk.team is not None and risk.team.confidence is not None:
            whose = _team_confidence(risk.team)
        elif risk.team is None and risk.analyst is not None and risk.analyst.confidence is not None:
            whose = "the analyst's"
        else:
            whose = "the register's"
        facts.add_row("confidence", T(f"{risk.confidence.value} ({whose}; ICD 203 analytic confidence)"))
    if risk.category:
        facts.add_row("category", T(risk.category))
    for label, text in standing_rows(risk.standing):
        facts.add_row(label, T(text, style="bold red" if label == "appetite" and risk.standing.over_appetite else ""))
    for name, value in risk.extra.items():
        facts.add_row(T(name, one_line=True), T(value))
    if risk.actors:
        facts.add_row("actors", T(", ".join(f"{x.id} ({x.name})" if x.name else x.id for x in risk.actors)))
    if risk.description:
        facts.add_row("description", T(risk.description))
    if risk.rationale:
        facts.add_row("rationale", T(risk.rationale))
    if risk.evidence:
        facts.add_row("evidence", T(f"“{risk.evidence}”", style="italic"))
    for cl in c.clamped if c is not None else ():
        facts.add_row("warning", T(f"clamped: {clamp_text(cl)}", style="yellow"))
    con.print(Padding(facts, (0, 0, 0, 2)))
    if risk.team is not None:
        print_team(con, risk.team)
    if risk.drivers:
        t = Table(
            box=box.SIMPLE_HEAD,
            title=Text("Drivers: the assumptions this risk rests on", style="bold"),
            title_justify="left",
        )
        t.add_column("Assumption", no_wrap=True)
        t.add_column("Belief", justify="right")
        t.add_column("If it holds")
        t.add_column("If it fails")
        t.add_column("Statement", ratio=1)
        for d in risk.drivers:
            belief = (
                fmt_belief(d.belief)
                if abs(d.belief - d.baseline_belief) < 1e-9
                else f"{fmt_belief(d.baseline_belief)} → {fmt_belief(d.belief)}"
            )
            t.add_row(
                T(d.assumption),
                belief,
                shift_text(d.if_holds),
                shift_text(d.if_fails),
                T(d.statement or "", one_line=True),
            )
        con.print(fit(con, t, {4: 20}))
    if risk.responses:
        t = Table(box=box.SIMPLE_HEAD, title=Text("Responses that move it", style="bold"), title_justify="left")
        t.add_column("Response", no_wrap=True)
        t.add_column("Kind")
        t.add_column("Shift")
        t.add_column("Status")
        t.add_column("Title", ratio=1)
        for m in risk.responses:
            status = Text("applied", style="green") if m.applied else Text("not applied", style="dim")
            kind = "effect" if m.kind is ContributionKind.RESPONSE else "side effect"
            t.add_row(T(m.response), kind, shift_text(m.shift), status, T(m.title, one_line=True))
        con.print(fit(con, t, {4: 20}))
    if risk.scores:
        more = risk.scores_total - len(risk.scores)
        title_text = "Score history" + (f" (the latest {len(risk.scores)} of {risk.scores_total})" if more else "")
        t = Table(box=box.SIMPLE_HEAD, title=Text(title_text, style="bold"), title_justify="left", expand=True)
        t.add_column("When (UTC)", no_wrap=True)
        t.add_column("Who", max_width=14)
        t.add_column("Likelihood", justify="right")
        t.add_column("Impact", justify="right")
        t.add_column("Why", ratio=1)
        for sc in risk.scores:
            t.add_row(
                T(sc.at[:19].replace("T", " "), one_line=True),
                T(sc.by, one_line=True),
                fmt_level(sc.likelihood),
                fmt_level(sc.impact),
                T(sc.why or "", one_line=True),
            )
        con.print(fit(con, t, {4: 16}, caps={1: 14}))
        if more:
            out.note(f"{more} earlier scores of {risk.id}: riskcli history --risk {risk.id}")
    if r.earlier is not None:
        out.note(earlier_history(r.earlier))


# --------------------------------------------------------------------------- assumptions


def assumptions_view(r: AssumptionsResult, out: Out, key: Key) -> None:
    if not r.assumptions:
        out.note("this register has no assumptions")
        return
    con = std_console(out)
    table = Table(box=box.SIMPLE_HEAD, expand=True)
    table.add_column("ID", no_wrap=True, style="bold")
    table.add_column("Statement", ratio=1, min_width=24)
    table.add_column("Belief", justify="right", no_wrap=True)
    table.add_column("Support", no_wrap=True)
    table.add_column("Risks", max_width=16)
    table.add_column("If wrong", no_wrap=True)
    derived = False
    for a in r.assumptions:
        moved = abs(a.belief - a.baseline_belief) > 1e-9
        b = Text(f"{fmt_belief(a.baseline_belief)} → {fmt_belief(a.belief)}" if moved else fmt_belief(a.belief))
        if a.resolved is not None:
            b.append(f"\n{a.resolved.outcome.value} {a.resolved.on}", style="bold")
        support = T(a.support, _LABEL_STYLE.get(a.support, ""), one_line=True)
        if a.support_derived:
            support.append("*", style="dim")
            derived = True
        table.add_row(
            T(a.id),
            T(a.statement, one_line=True),
            b,
            support,
            T(" ".join(a.risks) or "—"),
            _if_wrong(a.impact_if_wrong),
        )
    con.print(header(r.register, "Key Assumptions Check", r.hypothetical, key, r.as_of))
    con.print(fit(con, table, {1: 24}, optional=(4,), caps={4: 16}))
    for a in r.assumptions:
        if a.team is not None:
            con.print(Text.assemble((a.id, "bold"), "  ", T(a.statement, one_line=True)))
            con.print(fit(con, team_belief_table(a.team), {3: 20}))
    if r.due:
        con.print(T(due_text(r.due)))
    if any(a.impact_if_wrong is not None for a in r.assumptions):
        out.note(
            "If wrong: the risks that change rating if it fails (or holds, for a belief under 0.50); "
            "riskcli sensitivity weighs every assumption both ways"
        )
    if derived:
        out.note(
            "Belief: the probability it holds. Support: the evidence behind it; * = derived from the belief, "
            "as the register states none (give support: solid, caveated or unsupported)"
        )


def _if_wrong(w: ImpactIfWrong | None) -> Text:
    if w is None:
        return Text("—")
    n = len(w.bands)
    t = Text(f"{w.wrong.value}: ")
    t.append(f"{n} rating{'s' if n != 1 else ''}", style="bold red" if n else "dim")
    return t


# --------------------------------------------------------------------------- explain


def explain_view(r: ExplainResult, out: Out, key: Key) -> None:
    con = std_console(out)
    b = banner(r.hypothetical, key, r.as_of)
    if b is not None:
        con.print(b)
    head = Text()
    head.append(clean(r.risk, one_line=True), style="bold")
    head.append("  " + clean(r.title, one_line=True, limit=1000), style="bold")
    if r.confidence is not None:
        head.append(f"  (confidence: {r.confidence.value})", style="dim")
    con.print(head)
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("Step", ratio=1)
    t.add_column("Likelihood", justify="right", no_wrap=True)
    t.add_column("Impact", justify="right", no_wrap=True)
    parts_l = adding_up([r.start.likelihood, *(c.shift.likelihood for c in r.contributions)])
    parts_i = adding_up([r.start.impact, *(c.shift.impact for c in r.contributions)])
    base = "baseline in the register" + (f" (rationale: {r.rationale})" if r.rationale else "")
    if r.analyst is None:
        t.add_row(T(base), cents(parts_l[0]), cents(parts_i[0]))
    else:
        # The analyst's score replaces the baseline: the baseline is shown, not summed.
        t.add_row(
            T(
                f"{base}: L {r.baseline.likelihood}, I {r.baseline.impact} — replaced by the analyst "
                + ("scores combined below" if r.team is not None else "score below"),
                style="dim",
            ),
            "",
            "",
        )
        a = r.analyst
        if r.team is not None:
            who = f"{combine_text(r.team)}, each moved by what changed since they scored (see below)"
        else:
            who = f"analyst score by {a.by or '?'} at {a.at[:16].replace('T', ' ')}"
            if a.why:
                who += f": “{a.why}”"
            who += " (drivers and responses count from the moment it was given)"
        t.add_row(T(who), cents(parts_l[0]), cents(parts_i[0]))
    for k, c in enumerate(r.contributions, start=1):
        if c.kind is ContributionKind.DRIVER:
            label_text = (
                f"{c.ref} belief {fmt_belief(c.belief_from or 0.0)} → {fmt_belief(c.belief_to or 0.0)}"
                f" (if holds {shift_text(c.if_holds)}; if fails {shift_text(c.if_fails)})"
            )
            if c.evidence:
                label_text += ": " + evidence_text(c.ref, c.evidence)
        else:
            kind = "response" if c.kind is ContributionKind.RESPONSE else "side effect"
            label_text = f"{kind}{' withdrawn' if c.withdrawn else ''}: {c.ref}"
        if c.title:
            label_text += f" — {c.title}"
        t.add_row(T(label_text), cents(parts_l[k], signed=True), cents(parts_i[k], signed=True))
    t.add_section()
    sum_l, sum_i = sum(parts_l), sum(parts_i)
    t.add_row(Text("sum", style="bold"), cents(sum_l), cents(sum_i))
    cur = r.current
    axes = {cl.axis.value for cl in cur.clamped}
    cur_l = round(cur.likelihood * 100) if "likelihood" in axes else sum_l
    cur_i = round(cur.impact * 100) if "impact" in axes else sum_i
    if cur.clamped:
        t.add_row(
            T("clamped to the scale: " + "; ".join(clamp_text(cl) for cl in cur.clamped), style="yellow"),
            cents(cur_l),
            cents(cur_i),
        )
    result = Text(f"current → cell ({cur.cell.likelihood}, {cur.cell.impact}) (rounded) ")
    result.append_text(band_text(cur.rating, key, con))
    t.add_row(result, cents(cur_l), cents(cur_i))
    con.print(fit(con, t, {0: 30}))
    for axis in r.ties:
        value = cur.likelihood if axis is Axis.LIKELIHOOD else cur.impact
        level = cur.cell.likelihood if axis is Axis.LIKELIHOOD else cur.cell.impact
        out.note(
            f"{axis.value} {value:.2f} is exactly half-way between two levels: a tie, shown as {level} — "
            "toward the level the score starts from (W-tie)"
        )
    con.print(Text("Over its assumptions' beliefs: ", style="dim") + chances_text(r.chances, cur.rating, key, con))
    print_team(con, r.team)
    if r.horizon is not None:
        for line in horizon_lines(r.horizon):
            con.print(T(line, style="bold" if r.horizon.due and line.startswith("Horizon") else ""))
    values = (
        r.start.likelihood,
        r.start.impact,
        *(x for c in r.contributions for x in (c.shift.likelihood, c.shift.impact)),
    )
    if r.contributions and any(abs(x * 100 - round(x * 100)) > 1e-6 for x in values):
        out.note("figures are rounded to hundredths so that each column adds up; --json gives them unrounded")
