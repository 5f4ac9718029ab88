"""Views of several analysts' judgements: each analyst's view of a risk or an assumption (show,
explain, assumptions) and the items they disagree on (disagreements)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from riskcli.render.console import Out, T, clean, std_console
from riskcli.render.layout import Key, fit, fmt_belief, fmt_level
from riskcli.render.words import banner, header
from riskcli.results.shapes.team import (
    DisagreementsResult,
    MergedVerifyResult,
    MergeResult,
    TeamBelief,
    TeamLevels,
)

DISAGREE_MARK = "±"  # beside a risk's id in list and matrix: its analysts disagree


def disagree_note(ids: tuple[str, ...]) -> str:
    return (
        f"{DISAGREE_MARK}: analysts disagree by two levels or more on "
        + ", ".join(ids)
        + " (riskcli disagreements lists each analyst's view)"
    )


def combine_text(team: TeamLevels | TeamBelief) -> str:
    rule = team.combine.value
    if rule == "geo-odds":
        how = "the median" if isinstance(team, TeamLevels) else "the geometric mean of their odds"
    elif rule == "last":
        how = "the latest alone"
    else:
        how = f"the {rule}"
    return f"{len(team.analysts)} analysts, combined by {how}"


def _when(at: str) -> str:
    return at[:16].replace("T", " ")


def team_levels_table(team: TeamLevels) -> Table:
    """Each analyst's score of a risk: as given, as it stands now, and whether it is stale."""
    t = Table(box=box.SIMPLE_HEAD, expand=True, title_justify="left")
    t.title = Text(
        combine_text(team) + (" — they disagree" if team.disagree else ""),
        style="bold yellow" if team.disagree else "bold",
    )
    t.add_column("Analyst", no_wrap=True)
    t.add_column("Given", justify="right", no_wrap=True)
    t.add_column("Now", justify="right", no_wrap=True)
    confident = any(a.confidence is not None for a in team.analysts)  # a column only when one gave one
    if confident:
        t.add_column("Confidence", no_wrap=True)
    t.add_column("When", no_wrap=True)
    t.add_column("Why", ratio=1)
    for a in team.analysts:
        when = Text(_when(a.at))
        if a.stale:
            when.append(" stale", style="yellow")
        t.add_row(
            T(a.by, one_line=True),
            f"L {fmt_level(a.given.likelihood)} × I {fmt_level(a.given.impact)}",
            f"L {fmt_level(a.now.likelihood)} × I {fmt_level(a.now.impact)}",
            *([a.confidence.value if a.confidence is not None else ""] if confident else []),
            when,
            T(a.why or ""),
        )
    t.add_section()
    t.add_row(
        Text("combined", style="bold"),
        "",
        f"L {fmt_level(team.combined.likelihood)} × I {fmt_level(team.combined.impact)}",
        *([team.confidence.value if team.confidence is not None else ""] if confident else []),
        "",
        Text(f"apart by L {fmt_level(team.spread.likelihood)}, I {fmt_level(team.spread.impact)}", style="dim"),
    )
    return t


def team_belief_table(team: TeamBelief) -> Table:
    t = Table(box=box.SIMPLE_HEAD, expand=True, title_justify="left")
    t.title = Text(
        combine_text(team) + (" — they disagree" if team.disagree else ""),
        style="bold yellow" if team.disagree else "bold",
    )
    t.add_column("Analyst", no_wrap=True)
    t.add_column("Belief", justify="right", no_wrap=True)
    t.add_column("When", no_wrap=True)
    t.add_column("Why", ratio=1)
    for a in team.analysts:
        t.add_row(T(a.by, one_line=True), fmt_belief(a.belief), _when(a.at), T(a.why or ""))
    t.add_section()
    t.add_row(
        Text("combined", style="bold"), fmt_belief(team.combined), "", Text(f"apart by {team.spread:.2f}", style="dim")
    )
    return t


def print_team(con: Console, team: TeamLevels | None) -> None:
    if team is not None:
        con.print(fit(con, t := team_levels_table(team), {len(t.columns) - 1: 20}))


def disagreements_view(r: DisagreementsResult, out: Out, key: Key) -> None:
    con = std_console(out)
    b = banner(r.hypothetical, key, r.as_of)
    if b is not None:
        con.print(b)
    con.print(header(r.register, "where analysts disagree, widest first", r.hypothetical, key, r.as_of))
    if not r.risks and not r.assumptions:
        out.note(
            f"no disagreement: {r.judged} {'risk or assumption is' if r.judged == 1 else 'risks and assumptions are'} "
            "judged by two analysts or more, "
            "none two levels (or 0.3 in belief) apart"
        )
        return
    for d in r.risks:
        con.print(Text.assemble((d.id, "bold"), "  ", T(d.title, one_line=True)))
        con.print(fit(con, t := team_levels_table(d.team), {len(t.columns) - 1: 20}))
    for a in r.assumptions:
        con.print(Text.assemble((a.id, "bold"), "  ", T(a.statement, one_line=True)))
        con.print(fit(con, team_belief_table(a.team), {3: 20}))
    out.note(
        f"{_plural(len(r.risks), 'risk')} two levels or more apart, "
        f"{_plural(len(r.assumptions), 'assumption')} more than 0.3 apart; "
        f"a stale judgement is older than its risk's review period"
    )


# --------------------------------------------------------------------------- a team's journals


def merge_view(r: MergeResult, out: Out, key: Key) -> None:
    con = std_console(out)
    t = Table(box=box.SIMPLE_HEAD, title=T(f"{r.output}: {r.events} events"), title_justify="left")
    t.add_column("From", ratio=1)
    t.add_column("Events", justify="right")
    t.add_column("Added", justify="right")
    t.add_column("Already there", justify="right")
    for x in r.inputs:
        t.add_row(T(x.journal, one_line=True), str(x.events), str(x.added), str(x.duplicates))
    con.print(fit(con, t, {0: 20}))
    for x in r.inputs:
        if x.conflicts:
            out.warn(
                f"{x.journal}: {x.conflicts} events have the id of an event already taken with other content: "
                "the copy whose content sorts first is kept, as a replay of both journals would"
            )
        if x.torn:
            out.note(f"{x.journal}: {x.torn} incomplete lines (a crash mid-write) are kept once, as they were")
    out.note(f"verify each writer's hash chain: riskcli --journal {r.output} journal verify --merged")


def merged_verify_view(r: MergedVerifyResult, out: Out, key: Key) -> None:
    con = std_console(out)
    if r.ok:
        line = Text()
        line.append("ok", style="bold green")
        line.append(
            f": {clean(r.journal, one_line=True)}: {r.lines} events in {len(r.tips)} chains; {r.chained} chained"
        )
        if r.unchained:
            line.append(f", {r.unchained} from before the hash chain (not verifiable)")
        con.print(line, soft_wrap=True)
    for n in r.dangling:
        out.error(
            f"{r.journal}:{n}: names a line before it that no line of the journal is: that line was edited, or deleted"
        )
    if r.kept is not None and r.kept.line is None:
        out.error(f"{r.journal}: the head you kept ({r.kept.hash}) is no line of this journal")
    elif r.kept is not None and r.ok:
        con.print(T(f"the head you kept is line {r.kept.line}: its chain up to it is as it was"), soft_wrap=True)
    for tip in r.tips:
        con.print(T(f"chain ending at line {tip.line} (by {tip.by}): head {tip.hash}", style="dim"), soft_wrap=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
