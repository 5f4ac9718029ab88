"""Export: a register with its current scores written out as CSV, XLSX, JSON or YAML (import, the
way back in, is ``results.importing``).

Export scores the register with its journal replayed, as every read view does; the renderings
are ``render.export``'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from riskcli import decisions, scoring
from riskcli.files import check_output, write_output
from riskcli.model import Register, Stated, Status, Strategy, Treatment, Unassessed, UserError
from riskcli.outcomes import live
from riskcli.results import convert
from riskcli.results.grid import grid
from riskcli.results.request import Request
from riskcli.results.session import Session, files_read
from riskcli.results.shapes.common import Cell
from riskcli.results.shapes.transfer import (
    ExportData,
    ExportResult,
    ExportRisk,
    ExportUnassessed,
    Levels,
    SourceCarried,
    StatedView,
)

# --------------------------------------------------------------------------- export

FORMATS = ("csv", "xlsx", "json", "yaml")
_SUFFIX_FORMAT = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}

# What render.export gives for data in a format: the payload and, for a workbook, its sheets.
Render = Callable[[ExportData, str], tuple[str | bytes, tuple[str, ...]]]


def export_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output's suffix names, else CSV."""
    if fmt is None:
        return _SUFFIX_FORMAT.get(output.suffix.lower(), "csv") if output is not None else "csv"
    key = fmt.strip().lower()
    if key not in FORMATS:
        raise UserError(f"unknown format {fmt!r}; give one of: {', '.join(FORMATS)}")
    return key


def export_data(req: Request, s: Session) -> ExportData:
    """Every risk with its current scores (and inherent ones when responses are applied) and what
    happened to it, if it is resolved; the live risks ranked as ``list`` ranks them; the current
    matrix and the inherent one, of the live risks as ``matrix`` draws them (no resolved, closed or
    retired risk)."""
    reg, state = s.reg, s.state
    scored = scoring.score_all(reg, state)
    inherent = scoring.score_all(reg, scoring.inherent(state)) if state.applied else None
    standing = [decisions.standing(reg, x.risk, state) for x in scored]
    closed = decisions.apart(reg, state)
    live_ones = [x for x in live(state, scored) if x.risk.id not in closed]
    shown = {x.risk.id for x in live_ones}
    # ranked as list ranks them: the live risks alone (a resolved, closed or retired risk has no rank)
    ranks = {x.risk.id: n for n, x in enumerate(scoring.ranked(live_ones), start=1)}
    resolved = {x.id: x for x in convert.resolved_risks(reg, state)}
    risks = tuple(
        ExportRisk(
            rank=ranks.get(x.risk.id),
            id=x.risk.id,
            title=x.risk.title,
            category=x.risk.category or None,
            owner=standing[i].owner or None,
            status=standing[i].status,
            treatment=_strategy(standing[i].treatment),
            review_by=standing[i].review_due or None,
            actors=x.risk.actors,
            confidence=scoring.confidence_of(reg, x.risk, state),
            baseline=Cell(x.risk.likelihood, x.risk.impact),
            current=convert.score(x),
            inherent=convert.score(inherent[i]) if inherent is not None else None,
            description=x.risk.description or None,
            rationale=x.risk.rationale or None,
            evidence=x.risk.evidence or None,
            extra=dict(x.risk.extra),
            stated=_stated(x.risk.inherent, x.risk.residual),
            resolution=resolved.get(x.risk.id),
        )
        for i, x in enumerate(scored)
    )
    unassessed = tuple(
        ExportUnassessed(
            id=u.id,
            title=u.title,
            category=u.category or None,
            owner=u.owner or None,
            status=_status(u),
            treatment=_strategy(u.treatment),
            review_by=u.review_by or None,
            actors=u.actors,
            confidence=u.confidence,
            levels=Levels(u.likelihood, u.impact),
            description=u.description or None,
            rationale=u.rationale or None,
            evidence=u.evidence or None,
            extra=dict(u.extra),
            stated=_stated(u.inherent, u.residual),
        )
        for u in reg.unassessed
    )
    return ExportData(
        register=convert.register_info(reg),
        applied=tuple(sorted(state.applied)),
        risks=risks,
        unassessed=unassessed,
        matrix=grid(reg, [x for x in scored if x.risk.id in shown]),
        inherent=grid(reg, [x for x in inherent if x.risk.id in shown]) if inherent is not None else None,
    )


def _strategy(t: Treatment | None) -> Strategy | None:
    return t.strategy if t is not None else None


def _status(u: Unassessed) -> Status:
    """A risk not yet assessed has no decision in the journal: its status is the register's, else
    derived as a risk's is (accepted with an acceptance, treated with a treatment, else open)."""
    if u.status is not None:
        return u.status
    if u.acceptance is not None:
        return Status.ACCEPTED
    return Status.TREATED if u.treatment is not None and u.treatment.strategy is not Strategy.ACCEPT else Status.OPEN


def _stated(inherent: Stated | None, residual: Stated | None) -> StatedView:
    def levels(x: Stated | None) -> Levels | None:
        return Levels(x.likelihood, x.impact) if x is not None else None

    return StatedView(levels(inherent), levels(residual))


def export(
    req: Request,
    s: Session,
    fmt: str,
    output: Path | None,
    render: Render,
    *,
    force: bool = False,
    json: bool = False,
    today: dt.date | None = None,
) -> tuple[ExportResult | None, str | bytes]:
    """The register in ``fmt``: written to ``output`` (atomically; never over a file without
    ``force``, never over the register or its journal) with a result saying so, or returned.
    A CSV file starts with a byte-order mark, so that spreadsheets read it as UTF-8."""
    req.refuse_hypothetical("export", records=False)
    if json and output is None:
        raise UserError("--json reports the file written: give -o FILE (--format json prints the data itself)")
    if fmt == "xlsx" and output is None:
        raise UserError("XLSX is a binary file: write it with -o FILE.xlsx")
    reading = files_read(req, s)
    if output is not None:
        check_output(output, force=force, reading=reading)
    sheets: tuple[str, ...] = ()
    source = None
    if fmt == "yaml":
        reg, source = carried_source(s.reg, output) if output is not None else (s.reg, None)
        payload: str | bytes = _export_yaml(req, s, reg, today or dt.date.today())
    else:
        payload, sheets = render(export_data(req, s), fmt)
    if output is None:
        return None, payload
    if fmt == "csv" and isinstance(payload, str):
        payload = "\ufeff" + payload
    write_output(
        output, payload if isinstance(payload, bytes) else payload.encode("utf-8"), force=force, reading=reading
    )
    result = ExportResult(
        register=convert.register_info(s.reg),
        format=fmt,
        output=str(output),
        risks=len(s.reg.risks),
        unassessed=len(s.reg.unassessed),
        sheets=sheets,
        source=source,
    )
    return result, payload


def carried_source(reg: Register, output: Path) -> tuple[Register, SourceCarried | None]:
    """``reg`` to be written to ``output``, its ``source.file`` naming the same source text from
    ``output``'s folder when it can (``companions.source_for``); and where that text is."""
    from riskcli.register.companions import source_for

    found = source_for(reg, output)
    if found is None:
        return reg, None
    file, text, beside = found
    if reg.embedded and not beside:  # riskcli's own text, which the user has no copy of to put there
        file = ""
    carried = SourceCarried(file, reg.source.file, "" if reg.embedded else str(text), beside)
    return (replace(reg, source=replace(reg.source, file=file)) if file != reg.source.file else reg), carried


def _export_yaml(req: Request, s: Session, reg: Register, today: dt.date) -> str:
    from riskcli.register.write import export_text

    state = s.state
    inherent = scoring.score_all(s.reg, scoring.inherent(state)) if state.applied else None
    return export_text(
        reg,
        scoring.score_all(s.reg, state),
        inherent,
        applied=sorted(state.applied),
        today=today.isoformat(),
        rules_path=req.rules,
    )
