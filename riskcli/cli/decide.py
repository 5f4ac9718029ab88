"""Decisions about risks: accept, treat, review, assign, close, reopen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from riskcli.cli.app import JsonOpt, WhyOpt, command
from riskcli.cli.common import Call, begin
from riskcli.cli.completion import complete_risks

if TYPE_CHECKING:
    from riskcli.model import DecisionKind

RiskArg = Annotated[str, typer.Argument(metavar="ID", help="The risk, e.g. R3.", autocompletion=complete_risks)]


def _decide(ctx: typer.Context, kind: DecisionKind, risk_id: str, why: str | None, json_: bool, **options: Any) -> None:
    from riskcli.results import decide, session

    c = begin(ctx, kind.value, records=True)
    waiting = session.not_assessed(c.s.reg, risk_id)
    if waiting is not None:
        _undecided(c, kind, waiting.id, json_, **options)
        return
    c.emit(decide.decide(c.req, c.s, kind, risk_id, why or "", **options), json_)


def _undecided(c: Call, kind: DecisionKind, risk_id: str, json_: bool, **options: Any) -> None:
    from riskcli.results import decide

    result = decide.undecided(c.req, kind, risk_id, **options)
    c.emit(result, json_)
    if result.changed:
        c.out.note(
            f"{risk_id} is not yet assessed: its {result.field} is set in the register, not recorded in the "
            "journal (decisions are, once it is scored)"
        )


@command()
def accept(
    ctx: typer.Context,
    risk_id: RiskArg,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", metavar="DATE", help="The last day the acceptance holds (YYYY-MM-DD).", show_default=False
        ),
    ] = None,
    approver: Annotated[
        str | None,
        typer.Option(
            "--approver", metavar="NAME", help="Who accepted the risk (default: you, the analyst).", show_default=False
        ),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Accept a risk as it stands, until a day, and say why.

    The acceptance records the risk's rating band and what rates it (its levels, drivers and
    category, the responses on it, the scales and grid). It lapses when the day passes, when the
    risk is later rated in a higher band, or when the register changes what rates it: riskcli check
    reports it, and a new decision is needed. Undo it with riskcli undo.

    Examples:

    \b
      riskcli accept R3 --until 2026-06-30 --why "cost of treatment exceeds the exposure"
      riskcli accept R3 --until 2026-06-30 --approver "CFO" --why "board decision 2025-14"
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.ACCEPT, risk_id, why, json_, until=until, approver=approver)


@command()
def treat(
    ctx: typer.Context,
    risk_id: RiskArg,
    strategy: Annotated[
        str | None,
        typer.Argument(metavar="HOW", help="avoid, reduce or transfer.", show_default=False),
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            metavar="RESPONSE",
            help="A response that carries it out (repeatable, or comma-separated).",
            show_default=False,
        ),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Decide how a risk is treated: avoid, reduce or transfer it, and with which responses.

    The risk is then treated: above its appetite, it no longer needs an acceptance. A treatment
    replaces an earlier acceptance. To accept a risk, use riskcli accept.

    Examples:

    \b
      riskcli treat R3 reduce --with M2 --why "sanctions enforcement funded"
      riskcli treat R7 transfer --with M4,M5
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.TREAT, risk_id, why, json_, strategy=strategy, responses=tuple(with_ or ()))


@command()
def review(
    ctx: typer.Context,
    risk_id: RiskArg,
    next_: Annotated[
        str | None,
        typer.Option(
            "--next",
            metavar="DATE",
            help="When the next review is due (default: today plus the risk's review_every, if it has one).",
            show_default=False,
        ),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record that a risk was reviewed today, and when the next review is due.

    Examples:

    \b
      riskcli review R3 --why "quarterly review: no change"
      riskcli review R3 --next 2026-03-31
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.REVIEW, risk_id, why, json_, next_review=next_)


@command()
def assign(
    ctx: typer.Context,
    risk_id: RiskArg,
    owner: Annotated[
        str | None, typer.Option("--owner", "-o", metavar="NAME", help="Who owns the risk.", show_default=False)
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Give a risk an owner.

    Examples:

    \b
      riskcli assign R3 --owner "Head of Security"
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.ASSIGN, risk_id, why, json_, owner=owner)


@command()
def close(
    ctx: typer.Context,
    risk_id: RiskArg,
    retired: Annotated[
        bool,
        typer.Option("--retired", help="Retire it (no longer tracked) rather than close it (it can no longer happen)."),
    ] = False,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Close a risk (it can no longer happen) or retire it (--retired): it leaves the matrix.

    Closed and retired risks are listed apart (riskcli list --status closed) and not checked.

    Examples:

    \b
      riskcli close R3 --why "the troops were withdrawn"
      riskcli close R9 --retired --why "merged into R4"
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.CLOSE, risk_id, why, json_, retired=retired)


@command()
def reopen(ctx: typer.Context, risk_id: RiskArg, why: WhyOpt = None, json_: JsonOpt = False) -> None:
    """Reopen a closed or retired risk: it is back in the matrix and the checks.

    Examples:

    \b
      riskcli reopen R3 --why "troops redeployed"
    """
    from riskcli.model import DecisionKind

    _decide(ctx, DecisionKind.REOPEN, risk_id, why, json_)
