"""How sure are we: simulate, sensitivity and lint-matrix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command, request
from riskcli.cli.common import begin

MAX_TRIALS = 1_000_000  # a run's draws; beyond, more draws change no percentage shown
TrialsOpt = Annotated[
    int,
    typer.Option(
        "--trials",
        metavar="N",
        min=1,
        max=MAX_TRIALS,
        help="Draws of the assumptions, at most 1,000,000 (ignored with --exact).",
    ),
]
SeedOpt = Annotated[
    int | None,
    typer.Option(
        "--seed", metavar="N", min=0, help="Seed for the draws: the same seed, the same output.", show_default=False
    ),
]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact", help="Enumerate every combination of the uncertain assumptions (at most 20) instead of drawing."
    ),
]


@command()
def simulate(
    ctx: typer.Context,
    trials: TrialsOpt = 10_000,
    seed: SeedOpt = None,
    exact: ExactOpt = False,
    json_: JsonOpt = False,
) -> None:
    """How sure is the matrix? Draw every assumption from its belief and score every risk each time.

    Per draw each assumption holds or fails with its current belief (an assumption the register
    links with given: follows its parent's draw, unless a belief was set for it since); every risk
    is then scored as the matrix scores it. Shows each risk's chances of every rating ("58% High,
    31% Critical") and likelihood level, flags risks whose outcomes split on both sides of the
    score shown, and gives how many risks land in the top band. Honours --scenario and --what-if.

    Examples:

    \b
      riskcli simulate
      riskcli simulate --trials 100000 --seed 7
      riskcli simulate --exact --json
      riskcli simulate --what-if A7=fails
    """
    from riskcli.render.analysis import progress
    from riskcli.results import analysis

    c = begin(ctx)
    with progress(c.out, json=json_) as tick:
        r = analysis.simulate(c.req, c.s, trials=trials, seed=seed, exact=exact, progress=tick)
    c.emit(r, json_)


@command()
def sensitivity(
    ctx: typer.Context,
    risk: Annotated[
        str | None, typer.Option("--risk", metavar="ID", help="One risk's sensitivity (e.g. R14).", show_default=False)
    ] = None,
    trials: TrialsOpt = 10_000,
    seed: SeedOpt = None,
    exact: ExactOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Which assumptions carry the register? Each one set to fails and to holds, a tornado.

    For every assumption: the risks that change cell and rating, the total likelihood × impact
    that moves, and the change in the chance of at least one risk in the top band (simulated; the
    runs share their draws, so differences are not noise). Load-bearing assumptions first.
    --risk ID measures one risk instead.

    Examples:

    \b
      riskcli sensitivity
      riskcli sensitivity --risk R14
      riskcli sensitivity --exact --json
    """
    from riskcli.render.analysis import progress
    from riskcli.results import analysis

    c = begin(ctx)
    with progress(c.out, json=json_, label="sensitivity") as tick:
        r = analysis.sensitivity(c.req, c.s, risk_id=risk, trials=trials, seed=seed, exact=exact, progress=tick)
    c.emit(r, json_)


@command("lint-matrix")
def lint_matrix(
    ctx: typer.Context,
    rules: Annotated[
        Path | None,
        typer.Argument(
            metavar="RULES",
            help="A rules file or CISO Assistant matrix to check alone (default: the rules in force).",
            show_default=False,
        ),
    ] = None,
    consequence: Annotated[
        str,
        typer.Option(
            "--consequence",
            metavar="KIND",
            help="Consequence range of each impact level: geometric (x10 a level), geometric:R, or linear.",
        ),
    ] = "geometric",
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 if a check fails (for scripts and CI).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Check the rating grid: monotonicity and Cox's (2008) axioms for risk matrices.

    Each cell is read as a range of quantitative risk: the likelihood level's probability band
    times a consequence range per impact level (geometric by default: each level ten times the
    one below). Checks that the rating never falls as likelihood or impact rises, then weak
    consistency, betweenness and consistent colouring, and lists the
    pairs of cells ranked in the opposite order from their expected risk. Without RULES it checks
    the rules in force (the register's own scales and grid, the shipped ones, or --rules).

    Examples:

    \b
      riskcli lint-matrix
      riskcli lint-matrix tests/data/ciso_matrix_4x3.yaml
      riskcli lint-matrix --consequence linear --json
    """
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import analysis

    req = request(ctx)
    req.refuse_hypothetical("lint-matrix", records=False)
    req.refuse_as_of("lint-matrix", records=False)
    r = analysis.lint_matrix(req, rules, consequence)
    emit(r, Out.open(), Key(), json=json_, indent=req.indent)
    if exit_code and not r.passed:
        raise typer.Exit(1)
