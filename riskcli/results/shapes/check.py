"""Results of the watch: ``check`` (what is due, and whether it fails) and ``owners`` (what is due,
by owner)."""

from __future__ import annotations

from riskcli.decisions import DueKind, Lapse
from riskcli.records import frozen
from riskcli.results.shapes.common import AsOfInfo, FindingView, Output, Rating, ResolvedView


@frozen
class CheckFinding:
    """One finding of ``check``: what it is about, whose it is, and since when."""

    kind: DueKind
    subject: str | None  # the risk, response or indicator (None: the risks not yet assessed)
    title: str | None  # its title
    owner: str | None  # the risk's owner (a response's, for a late response)
    due: str | None  # YYYY-MM-DD: the last day before it was due, lapsed or late (None: not known)
    days: int | None  # days past that day, as of the day checked
    rating: Rating | None  # the risk's rating now
    limit: Rating | None  # over-appetite: the appetite; an acceptance: the band it was accepted at
    accepted_by: str | None  # an acceptance: who accepted the risk
    lapses: tuple[Lapse, ...]  # an acceptance: why it no longer holds
    warning: FindingView | None  # coherence: the warning
    risks: tuple[str, ...]  # unassessed: the risks not yet assessed
    fails: bool  # counts against the check (its kind is one --fail-on names)


@frozen(kw_only=True)
class CheckResult(Output):
    """What is due on a day (``day``): ``ok`` when nothing that fails the check is. Never
    hypothetical: check refuses --scenario and --what-if."""

    SCHEMA = "check"
    SCHEMA_VERSION = 3  # 2: resolved risks apart; 3: no hypothetical (always null)
    as_of: AsOfInfo | None
    day: str  # YYYY-MM-DD: the day acceptances, reviews and due dates are judged on
    fail_on: tuple[DueKind, ...]  # the kinds that fail the check
    ok: bool
    risks: int  # the live risks checked (closed, retired and resolved ones are not)
    findings: tuple[CheckFinding, ...]
    resolved: tuple[ResolvedView, ...]  # risks resolved (occurred or not): not checked, listed apart


@frozen
class OwnerView:
    """What one owner has: their live risks, and of those what is due; the late responses they own."""

    owner: str | None  # None: the risks and responses no one owns
    risks: tuple[str, ...]  # the live risks they own
    over_appetite: tuple[str, ...]  # above their appetite with neither a treatment nor an acceptance in force
    reviews_overdue: tuple[str, ...]
    acceptances_lapsed: tuple[str, ...]  # expired, or needing renewal
    responses_late: tuple[str, ...]  # the responses they own, past due and not done


@frozen(kw_only=True)
class OwnersResult(Output):
    """Each owner's risks and what is due of them on a day (``day``), owners in alphabetical order
    and the unowned last. Never hypothetical: owners refuses --scenario and --what-if."""

    SCHEMA = "owners"
    SCHEMA_VERSION = 3  # 2: resolved risks apart; 3: no hypothetical (always null)
    as_of: AsOfInfo | None
    day: str
    owners: tuple[OwnerView, ...]
    resolved: tuple[ResolvedView, ...]  # risks resolved (occurred or not): no one's live risk, listed apart
