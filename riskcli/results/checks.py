"""Checks of a register file itself: validate (problems and findings) and diff (two versions)."""

from __future__ import annotations

from pathlib import Path

from riskcli import diff as diffing
from riskcli import register, scoring
from riskcli.model import RegisterError, RiskcliError
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import load
from riskcli.results.shapes.checks import (
    ChangedView,
    Counts,
    DiffResult,
    ItemRef,
    ProblemView,
    RescoredView,
    ValidateResult,
)


def validate(req: Request, path: Path | None) -> tuple[ValidateResult, int]:
    """Every problem of a register (exit code 2), or its findings (exit 0): never raises for the
    register's own problems, since they are the answer."""
    target = path if path is not None else req.register
    try:
        reg = load(req, target, findings=True)
    except RiskcliError as e:
        problems = (
            tuple(ProblemView(p.file, p.line, p.col, p.message) for p in e.problems)
            if isinstance(e, RegisterError)
            else (ProblemView(str(target) if target else register.EMBEDDED, None, None, str(e)),)
        )
        result = ValidateResult(
            register=None, valid=False, counts=None, findings=(), stale=(), evidence=(), problems=problems
        )
        return result, e.exit_code
    findings = convert.findings(reg, scoring.coherence(reg))
    fired = {f.id for f in findings}
    stale = tuple(a.id for a in reg.acknowledged if a.id not in fired)
    counts = Counts(len(reg.risks), len(reg.assumptions), len(reg.indicators), len(reg.responses), len(reg.scenarios))
    result = ValidateResult(
        register=convert.register_info(reg),
        valid=True,
        counts=counts,
        findings=findings,
        stale=stale,
        evidence=tuple(register.evidence_warnings(reg)),
        problems=(),
    )
    return result, 0


def diff(req: Request, old: Path, new: Path) -> DiffResult:
    a, b = load(req, old), load(req, new)
    d = diffing.diff(a, b)
    return DiffResult(
        register=convert.register_info(b),
        old=convert.register_info(a),
        same=d.empty,
        added=tuple(ItemRef(k, i) for k in diffing.KINDS for i in d.added.get(k, ())),
        removed=tuple(ItemRef(k, i) for k in diffing.KINDS for i in d.removed.get(k, ())),
        rescored=tuple(
            RescoredView(r.id, r.title, convert.score(r.before), convert.score(r.after)) for r in d.rescored
        ),
        changed=tuple(ChangedView(c.kind, c.id, c.fields) for c in d.changed),
    )
