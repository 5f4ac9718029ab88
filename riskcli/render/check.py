"""Views of the watch: check (one line per finding) and owners."""

from __future__ import annotations

from rich import box
from rich.table import Table

from riskcli.decisions import DueKind, Lapse
from riskcli.render.console import Out, T, print_lines, std_console
from riskcli.render.decide import LAPSES
from riskcli.render.layout import Key
from riskcli.render.matrix import resolved_note
from riskcli.render.words import finding_text
from riskcli.results.shapes.check import CheckFinding, CheckResult, OwnersResult


def _days(n: int | None, word: str) -> str:
    if n is None or n <= 0:
        return ""
    return f" ({n} day{'s' if n != 1 else ''} {word})"


def due_text(d: CheckFinding) -> str:
    """What a finding says, after its kind and subject."""
    k = d.kind
    rating = d.rating.name if d.rating is not None else ""
    limit = d.limit.name if d.limit is not None else ""
    if k is DueKind.OVER_APPETITE:
        why = "its acceptance lapsed and it is not treated" if d.lapses else "neither treated nor accepted"
        return f"rated {rating}, above its appetite ({limit}); {why}"
    if k is DueKind.ACCEPTANCE_EXPIRED:
        return f"accepted by {d.accepted_by} until {d.due}: expired{_days(d.days, 'ago')}"
    if k is DueKind.ACCEPTANCE_RENEWAL:
        reasons = "; ".join(LAPSES[x] for x in d.lapses if x is not Lapse.EXPIRED)
        return f"accepted by {d.accepted_by} at {limit}, now rated {rating}: needs renewal ({reasons})"
    if k is DueKind.REVIEW_OVERDUE:
        return f"review due {d.due}{_days(d.days, 'overdue')}" if d.due else "never reviewed"
    if k is DueKind.RESPONSE_LATE:
        return f"due {d.due}, not done{_days(d.days, 'late')}"
    if k is DueKind.INDICATOR_OVERDUE:
        return f"review due {d.due}{_days(d.days, 'overdue')}" if d.due else "never observed"
    if k is DueKind.HORIZON:
        return f"its horizon ended {d.due}{_days(d.days, 'ago')}, not resolved (riskcli resolve)"
    if k is DueKind.COHERENCE:
        assert d.warning is not None
        return f"{finding_text(d.warning)} [{d.warning.id}] (not acknowledged)"
    n = len(d.risks)
    return f"{n} risk{'s' if n != 1 else ''} not yet assessed: {', '.join(d.risks)}"


def due_line(d: CheckFinding) -> str:
    """``over-appetite: R3 Grid failure: rated High, above its appetite (Medium); …; owner ops``."""
    head = f"{d.kind.value}: "
    if d.subject is not None:
        head += d.subject + (f" {d.title}" if d.title else "") + ": "
    tail = f"; owner {d.owner}" if d.owner else ""
    return head + due_text(d) + tail


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _kinds(found: list[CheckFinding]) -> str:
    kinds: dict[str, int] = {}
    for d in found:
        kinds[d.kind.value] = kinds.get(d.kind.value, 0) + 1
    return ", ".join(f"{n} {k}" for k, n in kinds.items())


def check_view(r: CheckResult, out: Out, key: Key, *, quiet: bool = False) -> None:
    """One line per finding that fails the check, then what it adds up to (the findings of the kinds
    --fail-on leaves out are counted, not listed). ``quiet``: the lines alone, and nothing at all
    when nothing fails (for cron)."""
    failing = [d for d in r.findings if d.fails]
    others = [d for d in r.findings if not d.fails]
    if quiet and not failing:
        return
    con = std_console(out)
    lines = [T(due_line(d), style="red" if d.kind is DueKind.OVER_APPETITE else "", one_line=True) for d in failing]
    print_lines(con, lines)
    if quiet:
        return
    apart = f"; resolved, not checked: {', '.join(x.id for x in r.resolved)}" if r.resolved else ""
    if r.ok:
        summary = f"ok: {_count(r.risks, 'live risk')} checked on {r.day}; " + (
            f"none of the kinds --fail-on names is due (left out: {_kinds(others)})" if others else "nothing due"
        )
        con.print(T(summary + apart, style="green"), soft_wrap=True)
        return
    summary = f"{_count(len(failing), 'finding')} on {r.day} ({_kinds(failing)}) in {_count(r.risks, 'live risk')}"
    if others:
        summary += f"; left out by --fail-on: {_kinds(others)}"
    con.print(T(summary + apart, style="bold red"), soft_wrap=True)


def _ids(ids: tuple[str, ...]) -> str:
    return f"{len(ids)}: {', '.join(ids)}" if ids else "—"


def owners_view(r: OwnersResult, out: Out, key: Key) -> None:
    """One row per owner: their live risks, and what is due of them."""
    con = std_console(out)
    if not r.owners:
        out.note(f"no live risk and no late response on {r.day}")
        resolved_note(out, r.resolved)
        return
    table = Table(box=box.SIMPLE_HEAD, title=T(f"Owners on {r.day}"), title_justify="left")
    for head in ("Owner", "Risks", "Over appetite", "Reviews overdue", "Acceptances lapsed", "Responses late"):
        table.add_column(head, overflow="fold")
    for o in r.owners:
        table.add_row(
            T(o.owner if o.owner is not None else "(no owner)", one_line=True),
            T(_ids(o.risks)),
            T(_ids(o.over_appetite), style="red" if o.over_appetite else ""),
            T(_ids(o.reviews_overdue)),
            T(_ids(o.acceptances_lapsed)),
            T(_ids(o.responses_late)),
        )
    con.print(table)
    resolved_note(out, r.resolved, con)
