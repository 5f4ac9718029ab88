"""Several analysts: each analyst's view of a risk or an assumption, and where they disagree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from pathlib import Path

from riskcli import combine, scoring
from riskcli.model import Register, Risk, UserError
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, hypothesize
from riskcli.results.shapes.common import Levels
from riskcli.results.shapes.team import (
    AnalystBelief,
    AnalystLevels,
    AssumptionDisagreement,
    ChainTip,
    DisagreementsResult,
    MergedFrom,
    MergedVerifyResult,
    MergeResult,
    RiskDisagreement,
    TeamBelief,
    TeamLevels,
)
from riskcli.scoring import State


def today(s: Session) -> date:
    """The day a judgement's age is counted to: today, or the date an --as-of view shows."""
    if s.as_of is not None:
        return date.fromisoformat(s.as_of.until[:10])
    return datetime.now(UTC).date()  # in UTC, as the journal's times are


def team_levels(reg: Register, risk: Risk, state: State, on: date) -> TeamLevels | None:
    """Several analysts' scores of a risk (None: fewer than two analysts scored it)."""
    panel = state.panel.get(risk.id)
    if panel is None or len(panel) < 2:
        return None
    given = sorted(panel.values(), key=lambda a: (a.at, a.by))
    rows = []
    for a in given:
        now = scoring.analyst_now(reg, risk, state, a)
        rows.append(
            AnalystLevels(
                a.by,
                a.at,
                Levels(a.likelihood, a.impact),
                Levels(now.likelihood, now.impact),
                a.why or None,
                combine.stale(a.at, risk.review_every, on),
                a.confidence,
            )
        )
    rule = combine.rule_of(reg.combine)
    lk = [x.now.likelihood for x in rows]
    im = [x.now.impact for x in rows]
    spread = Levels(combine.spread(lk), combine.spread(im))
    return TeamLevels(
        rule,
        tuple(rows),
        Levels(combine.level(lk, rule), combine.level(im, rule)),
        spread,
        combine.levels_disagree(max(spread.likelihood, spread.impact)),
        combine.confidence([a.confidence for a in given], rule),
    )


def disagreeing(reg: Register, risks: Iterable[Risk], state: State, on: date) -> tuple[str, ...]:
    """The ids of the risks whose analysts disagree, in the order given."""
    out = []
    for risk in risks:
        if risk.id in state.panel:
            t = team_levels(reg, risk, state, on)
            if t is not None and t.disagree:
                out.append(risk.id)
    return tuple(out)


def team_belief(reg: Register, assumption: str, state: State) -> TeamBelief | None:
    """Several analysts' beliefs in an assumption (None: fewer than two set one)."""
    views = state.opinions.get(assumption)
    if views is None or len(views) < 2:
        return None
    rule = combine.rule_of(reg.combine)
    given = combine.in_time(views.values())
    width = combine.spread(b.belief for b in given)
    return TeamBelief(
        rule,
        tuple(AnalystBelief(b.by, b.at, b.belief, b.why or None) for b in given),
        combine.combined_belief(views, rule),
        width,
        combine.beliefs_disagree(width),
    )


def disagreements(req: Request, s: Session) -> DisagreementsResult:
    """The risks and assumptions analysts disagree on, widest first."""
    reg = s.reg
    state, hyp = hypothesize(req, s)
    on = today(s)
    judged = 0
    risks = []
    for risk in reg.risks:
        t = team_levels(reg, risk, state, on)
        if t is None:
            continue
        judged += 1
        if t.disagree:
            risks.append(RiskDisagreement(risk.id, risk.title, t))
    assumptions = []
    for a in reg.assumptions:
        b = team_belief(reg, a.id, state)
        if b is None:
            continue
        judged += 1
        if b.disagree:
            assumptions.append(AssumptionDisagreement(a.id, a.statement, b))
    risks.sort(key=lambda x: -max(x.team.spread.likelihood, x.team.spread.impact))
    assumptions.sort(key=lambda x: -x.team.spread)
    return DisagreementsResult(
        register=convert.register_info(reg),
        hypothetical=hyp,
        as_of=s.as_of,
        combine=combine.rule_of(reg.combine),
        risks=tuple(risks),
        assumptions=tuple(assumptions),
        judged=judged,
    )


# --------------------------------------------------------------------------- a team's journals


def merge(req: Request, s: Session, journals: Sequence[Path], output: Path, *, force: bool = False) -> MergeResult:
    """Merge journals of this register into ``output`` (never over a file being read)."""
    from riskcli.journal.merging import merge as merge_journals
    from riskcli.results.session import files_read

    for p in journals:
        if not p.is_file():
            raise UserError(f"journal {p}: no such file")
    reading = [*files_read(req, s), *(("journal", p) for p in journals)]
    report = merge_journals(journals, output, force=force, reading=reading, register=s.reg.identity)
    return MergeResult(
        register=convert.register_info(s.reg),
        output=report.output,
        events=report.events,
        inputs=tuple(MergedFrom(r.path, r.events, r.added, r.duplicates, r.conflicts, r.torn) for r in report.inputs),
    )


def verify_merged(req: Request, s: Session, head: str | None = None) -> MergedVerifyResult:
    """The hash chains of a merged journal, each writer's checked apart (``journal.merging.chains``)."""
    from riskcli import journal
    from riskcli.journal.merging import chains

    kept = journal.parse_head(head) if head is not None else None
    c = chains(s.location.path, explicit=s.location.explicit, head=kept)
    return MergedVerifyResult(
        register=convert.register_info(s.reg),
        journal=str(s.location.path),
        ok=c.ok,
        lines=c.lines,
        chained=c.chained,
        unchained=c.unchained,
        dangling=c.dangling,
        tips=tuple(ChainTip(t.line, t.by, t.hash) for t in c.tips),
        kept=c.kept,
    )
