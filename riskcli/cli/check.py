"""The watch: check (exit 1 when the register is outside its appetite or something is due)."""

from __future__ import annotations

from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command
from riskcli.cli.common import begin


@command()
def check(
    ctx: typer.Context,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="KIND,…",
            help=(
                "Fail only on these kinds of finding (comma-separated or repeated; default: every kind): "
                "over-appetite, acceptance-expired, acceptance-renewal, review-overdue, response-late, "
                "indicator-overdue, horizon, coherence, unassessed. The others are counted."
            ),
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[
        bool,
        typer.Option("--quiet", "-q", help="Print only the findings that fail, and nothing when none does (cron)."),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Check the register against its appetite and its dates: exit 0 when nothing is due, 1 with
    one line per finding otherwise.

    A finding is a live risk rated above its appetite (its category's, else the register's) that is
    neither treated nor under an acceptance in force; an acceptance expired, or needing renewal
    because the risk is rated higher than when accepted or the register changed what rates it; a
    risk's review overdue; a response past its due date and not done; an indicator's review
    overdue; a judgement past its horizon and not resolved; a coherence warning the register does
    not acknowledge; risks not yet assessed.
    Closed and retired risks are not checked, nor resolved ones (riskcli resolve): the last line names
    those. --as-of DATE checks the journal as it stood on that
    day, judged on that day: a date ahead says what will have lapsed by then.

    Exit codes: 0 nothing fails the check; 1 something does; 2 a mistake in the register or the
    command.

    Examples:

    \b
      riskcli check
      riskcli check --as-of 2026-07-31          # what lapses by the end of July?
      riskcli check --fail-on over-appetite,acceptance-expired,acceptance-renewal
      riskcli check --quiet || mail -s "risk register" team@example.org   # cron
      riskcli check --json | jq '.findings[] | select(.fails)'
    """
    from riskcli.results import check as checking

    c = begin(ctx, "check", records=False)
    r = checking.check(c.req, c.s, tuple(fail_on or ()))
    c.emit(r, json_, **({} if json_ else {"quiet": quiet}))
    if not r.ok:
        raise typer.Exit(1)


@command()
def owners(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Each owner's live risks, and what is due of them: risks above their appetite with neither a
    treatment nor an acceptance in force, reviews overdue, acceptances lapsed (expired or needing
    renewal), and the late responses each owns. Risks no one owns are gathered last; resolved risks
    (riskcli resolve) are no one's live risk, and are named under the table. --as-of DATE judges on
    that day.

    Examples:

    \b
      riskcli owners
      riskcli owners --as-of 2026-09-30
      riskcli owners --json
    """
    from riskcli.results import check as checking

    c = begin(ctx, "owners", records=False)
    c.emit(checking.owners(c.req, c.s), json_)
