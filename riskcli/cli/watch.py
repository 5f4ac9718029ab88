"""Watching and acting: indicators, observe, responses, respond."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, WhyOpt, command
from riskcli.cli.common import begin
from riskcli.cli.completion import complete_indicators, complete_outcomes, complete_responses
from riskcli.model import UserError


@command()
def indicators(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only indicators overdue for review.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The watchlist: what to watch, which assumptions each bears on, and which are overdue.

    An indicator is due for review every `review_every` days (from the register, else the
    rules' default) after it was last observed or reviewed — or, if never, after the register's
    as_of date. "A3 ↑0.80" means observing it sets A3's belief to 0.80, up from its baseline.

    Examples:

    \b
      riskcli indicators
      riskcli indicators --overdue
      riskcli observe I2 --why "casualty figures published"
      riskcli observe I2 --none --why "checked the reports: nothing new"
    """
    from riskcli.results import watchlist

    c = begin(ctx, "indicators", records=False)
    today = datetime.fromisoformat(c.s.as_of.until).date() if c.s.as_of is not None else datetime.now(UTC).date()
    r = watchlist.indicators(c.req, c.s, today=today, overdue_only=overdue)
    c.emit(r, json_, **({} if json_ else {"overdue_only": overdue}))


@command()
def observe(
    ctx: typer.Context,
    indicator_id: Annotated[
        str, typer.Argument(metavar="ID", help="The indicator, e.g. I2.", autocompletion=complete_indicators)
    ],
    outcome: Annotated[
        str | None,
        typer.Argument(
            metavar="seen|absent",
            help="seen (the default), or absent: looked for and not seen.",
            show_default=False,
            autocompletion=complete_outcomes,
        ),
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Reviewed, nothing to record: reset its review clock, move no belief.")
    ] = False,
    source: Annotated[
        str | None, typer.Option("--source", metavar="TEXT", help="Who or what reported it.", show_default=False)
    ] = None,
    ref: Annotated[
        str | None,
        typer.Option(
            "--ref",
            metavar="ID",
            help="The report or event it is: the same indicator with the same ref counts once.",
            show_default=False,
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on", metavar="DATE", help="The day it is about (YYYY-MM-DD; default: today).", show_default=False
        ),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record what watching an indicator found: seen, or absent (looked for and not seen); with
    --none, a review with nothing to record.

    A signpost (an indicator with likelihood ratios, bears_on in the register) is evidence on each
    assumption it bears on, by Bayes' rule: a sighting moves it one way, an absence the other way or
    not at all, repeated sightings compound, and the assumptions linked to it move too. Evidence
    counts once: the same indicator with the same --ref counts once, and an absence counts once per
    review window (the indicator's review_every days, else the rules' default) — a second one is
    recorded and says so, but moves nothing. An indicator that sets beliefs (updates in the
    register) sets them when seen. Undo either with `riskcli undo`.

    Examples:

    \b
      riskcli observe I1 --why "further lifting of limits on Western weapons"
      riskcli observe I3 --source "Ukrainian intelligence" --ref GUR-2024-11-19 --on 2024-11-19
      riskcli observe I5 absent --why "no Chinese statement after the summit"
      riskcli observe I2 --none --why "checked the reports: nothing new"
    """
    from riskcli.results import actions
    from riskcli.scoring import Outcome

    word = "seen" if outcome is None else outcome.strip().lower()
    if word not in ("seen", "absent"):
        raise UserError(f"observe {indicator_id} {outcome!r}: give seen or absent (or --none for a review)")
    if none and outcome is not None:
        raise UserError(f"give {word} or --none, not both")
    c = begin(ctx, "observe", records=True)
    what = Outcome.NONE if none else Outcome(word)
    c.emit(actions.observe(c.req, c.s, indicator_id, what, why or "", source=source, ref=ref, on=on), json_)


@command()
def responses(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """The responses in the register: their effects, side effects, and whether applied.

    Examples:

    \b
      riskcli responses
      riskcli respond M2 --apply --why "agreed in cabinet"
      riskcli matrix --what-if M5 --compare current
    """
    from riskcli.results import watchlist

    c = begin(ctx)
    c.emit(watchlist.responses(c.req, c.s), json_)


@command()
def respond(
    ctx: typer.Context,
    response_id: Annotated[
        str, typer.Argument(metavar="ID", help="The response, e.g. M2.", autocompletion=complete_responses)
    ],
    apply_: Annotated[bool, typer.Option("--apply", help="Apply the response (the default).")] = False,
    withdraw: Annotated[bool, typer.Option("--withdraw", help="Withdraw a response applied earlier.")] = False,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record a decision to apply (or withdraw) a response; its effects and side effects show.

    Preview first, without recording anything: riskcli matrix --what-if M2 --compare current

    Examples:

    \b
      riskcli respond M2 --apply --why "agreed in cabinet"
      riskcli respond M2 --withdraw
    """
    from riskcli.results import actions

    if apply_ and withdraw:
        raise UserError("give --apply or --withdraw, not both")
    c = begin(ctx, "respond", records=True)
    c.emit(actions.respond(c.req, c.s, response_id, not withdraw, why or ""), json_)
