"""Several analysts: where they disagree."""

from __future__ import annotations

import typer

from riskcli.cli.app import JsonOpt, command
from riskcli.cli.common import begin


@command()
def disagreements(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Where analysts disagree, widest first: each analyst's latest view of it.

    Every analyst's latest score of a risk and belief in an assumption stays in force; views show
    their combination (--combine, else the register's combine:, else geo-odds: levels by the
    median, beliefs by the geometric mean of their odds). Listed: risks whose analysts' current
    levels are two or more apart on an axis, and assumptions whose beliefs are more than 0.3
    apart. A judgement older than its risk's review period (review_every) is marked stale.

    Examples:

    \b
      riskcli disagreements
      riskcli disagreements --json
      riskcli --analyst alice matrix      (alice's own picture)
    """
    from riskcli.results import team

    c = begin(ctx)
    c.emit(team.disagreements(c.req, c.s), json_)
