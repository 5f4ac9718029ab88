"""Read views: list, show, assumptions, matrix, compare, explain, scenarios."""

from __future__ import annotations

from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command
from riskcli.cli.common import begin
from riskcli.cli.completion import complete_risks
from riskcli.model import UserError

TERMINAL_ROWS = 50  # risks a terminal shows unless asked for more


@command("list")
def list_(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option("--actor", metavar="ACTOR", help="Only risks borne by this actor (id or name).")
    ] = None,
    category: Annotated[
        str | None, typer.Option("--category", metavar="CATEGORY", help="Only risks in this category.")
    ] = None,
    min_rating: Annotated[
        str | None,
        typer.Option("--min-rating", metavar="BAND", help="Only risks rated at least this band (e.g. high)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", metavar="N", min=1, help="Show the top N risks.", show_default=False)
    ] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Show every risk on a terminal too.")] = False,
    owner: Annotated[str | None, typer.Option("--owner", metavar="NAME", help="Only risks this owner owns.")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS,…",
            help="Only risks of these statuses: open, treated, accepted, closed, retired (default: all but "
            "closed and retired).",
            show_default=False,
        ),
    ] = None,
    treatment: Annotated[
        str | None,
        typer.Option(
            "--treatment", metavar="HOW", help="Only risks treated so: avoid, reduce, transfer, accept, none."
        ),
    ] = None,
    over_appetite: Annotated[
        bool, typer.Option("--over-appetite", help="Only risks rated above their appetite, whatever was decided.")
    ] = False,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only risks whose review is overdue or whose acceptance has lapsed.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """List risks, highest first: by rating band, then unrounded likelihood × impact, then likelihood.

    On a terminal it shows the top 50 and says how many more there are (--all shows every one).
    Piped, it prints every risk as one tab-separated line, for grep, cut and sort; --json prints
    every matching risk. --limit N keeps the top N everywhere. What it says it leaves out (closed
    and retired risks, resolved ones, those not yet assessed) is of the risks the filters chose; a
    risk not yet assessed has no rating, so --min-rating and --over-appetite leave it out.

    Examples:

    \b
      riskcli list
      riskcli list --actor ROK --min-rating high
      riskcli list --owner "Korea desk" --overdue
      riskcli list --over-appetite --treatment none
      riskcli list --status closed,retired
      riskcli list | cut -f2,6
    """
    from riskcli.results import views

    c = begin(ctx)
    cut = limit is None and not all_ and not json_ and c.out.terminal
    r = views.list_risks(
        c.req,
        c.s,
        actor=actor,
        category=category,
        min_rating=min_rating,
        limit=TERMINAL_ROWS if cut else limit,
        owner=owner,
        status=tuple(status or ()),
        treatment=treatment,
        over_appetite=over_appetite,
        overdue=overdue,
    )
    c.emit(r, json_)


@command()
def show(
    ctx: typer.Context,
    risk_id: Annotated[
        str, typer.Argument(metavar="ID", help="The risk's id, e.g. R3.", autocompletion=complete_risks)
    ],
    json_: JsonOpt = False,
) -> None:
    """Show one risk: its score, rationale, evidence, drivers, the responses that move it and
    the latest analyst scores.

    A risk not yet assessed (its likelihood or impact unassessed, as import writes a TBD or N/A
    cell) is shown as the register gives it, with the command that assesses it; --json gives its
    score fields as null.

    Examples:

    \b
      riskcli show R14
      riskcli show R14 --json
    """
    from riskcli.results import views

    c = begin(ctx)
    c.emit(views.show(c.req, c.s, risk_id), json_)


@command()
def assumptions(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Key Assumptions Check: each assumption, its belief, its label and the risks resting on it.

    A belief is the probability that the assumption holds. Labels: solid (≥ 0.8),
    caveated (0.5–0.8), unsupported (< 0.5).

    Examples:

    \b
      riskcli assumptions
      riskcli assumptions --json
    """
    from riskcli.results import views

    c = begin(ctx)
    c.emit(views.assumptions(c.req, c.s), json_)


@command()
def matrix(
    ctx: typer.Context,
    compare: Annotated[
        str | None,
        typer.Option(
            "--compare",
            metavar="STATE",
            help="Mark what moved since: baseline, current, a scenario or a what-if set (A2=fails,M1).",
            show_default=False,
        ),
    ] = None,
    residual: Annotated[
        bool, typer.Option("--residual", help="With the responses applied in the journal (the default).")
    ] = False,
    inherent: Annotated[bool, typer.Option("--inherent", help="As if no response were applied.")] = False,
    simulated: Annotated[
        bool,
        typer.Option(
            "--simulated", help="Shade each cell by the expected number of risks in it over the assumptions' draws."
        ),
    ] = False,
    actor: Annotated[
        str | None,
        typer.Option(
            "--actor", metavar="ACTOR", help="Only the risks this party bears: its own tally.", show_default=False
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """The likelihood × impact heat map: risk ids in their cells, band colours, counts.

    Rows are likelihood (highest at the top), columns impact. Within a cell, ids are ranked by
    their unrounded score. The matrix shows the current state: the register's baseline with the
    journal's scores, beliefs and applied responses (the residual view); --inherent leaves the
    responses out. --compare X marks every risk that moved since X and lists the moves.
    --simulated adds each cell's expected number of risks over the assumptions' draws (as
    simulate draws them), marks the risks whose outcomes split on both sides of their cell, and
    lists the risks whose likeliest band is not their rating. The tally counts threats by band,
    and opportunities (risks marked extra: {kind: opportunity}) apart; --actor shows one party's
    risks and its own tally, and names apart only its closed, retired, resolved and not yet assessed
    risks.

    Examples:

    \b
      riskcli matrix
      riskcli matrix --actor ROK
      riskcli matrix --compare baseline
      riskcli matrix --inherent
      riskcli matrix --what-if A7=fails --compare current
      riskcli matrix --simulated
      NO_COLOR=1 riskcli matrix > matrix.txt
    """
    from riskcli.results import grid

    if residual and inherent:
        raise UserError("give --residual or --inherent, not both")
    from riskcli.results.shapes.common import JournalInfo

    c = begin(ctx)
    in_force = JournalInfo(str(c.s.location.path), c.s.current.in_force)
    c.emit(
        grid.matrix(c.req, c.s, inherent=inherent, compare=compare, simulated=simulated, actor=actor),
        json_,
        journal=in_force,
    )


@command()
def compare(
    ctx: typer.Context,
    a: Annotated[
        str, typer.Argument(metavar="FROM", help="baseline, current, a scenario, or a what-if set such as A2=fails,M1.")
    ],
    b: Annotated[str, typer.Argument(metavar="TO", help="The same forms as FROM.")] = "current",
    json_: JsonOpt = False,
) -> None:
    """Compare two states: the moves table and the TO matrix with movement markers.

    FROM and TO are each: baseline (the register alone), current (with the journal), the id of
    one of the register's scenarios (applied to the current state), or a what-if set
    (A2=fails, I3 for an indicator observed, M1 for a response applied; comma-separated).

    Examples:

    \b
      riskcli compare baseline current
      riskcli compare current dprk-china-rupture
      riskcli compare current A7=fails,M2
    """
    from riskcli.results import grid

    c = begin(ctx, "compare (give the what-if set as FROM or TO)")
    c.emit(grid.compare(c.req, c.s, a, b), json_)


@command()
def explain(
    ctx: typer.Context,
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk, e.g. R14.", autocompletion=complete_risks)],
    json_: JsonOpt = False,
) -> None:
    """Every contribution to a risk's current score, adding up on screen.

    The start is the register's baseline, or your latest score for the risk; then each driver's
    shift from the beliefs at that start to the beliefs now; then applied responses; the sum is
    clamped to the scale, and its cell is the nearest level (exactly half-way between two: toward
    the level the score starts from).

    Examples:

    \b
      riskcli explain R14
      riskcli explain R14 --json
    """
    from riskcli.results import views

    c = begin(ctx)
    c.emit(views.explain(c.req, c.s, risk_id), json_)


@command()
def scenarios(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """The register's scenarios: the beliefs each sets, and how many risks it would move.

    Moves are counted against the current state. Look at one with compare, or view any read
    command under it with --scenario.

    Examples:

    \b
      riskcli scenarios
      riskcli compare current wider-war-in-ukraine
      riskcli matrix --scenario wider-war-in-ukraine
    """
    from riskcli.results import watchlist

    c = begin(ctx, "scenarios", records=False)
    c.emit(watchlist.scenarios(c.req, c.s), json_)
