"""Results of validate and diff."""

from __future__ import annotations

from typing import ClassVar

from riskcli.diff import FieldChange
from riskcli.records import frozen
from riskcli.results.shapes.common import FindingView, Output, RegisterInfo, Score

# --------------------------------------------------------------------------- validate and diff


@frozen
class Counts:
    risks: int
    assumptions: int
    indicators: int
    responses: int
    scenarios: int


@frozen
class ProblemView:
    file: str
    line: int | None
    col: int | None
    message: str


@frozen(kw_only=True)
class ValidateResult:
    SCHEMA: ClassVar[str] = "validate"
    SCHEMA_VERSION: ClassVar[int] = 2  # 2: findings: ties and contradicted links
    register: RegisterInfo | None  # None when the register could not be read
    valid: bool
    counts: Counts | None
    findings: tuple[FindingView, ...]
    stale: tuple[str, ...]  # acknowledged warning ids that no longer fire
    evidence: tuple[str, ...]  # evidence quotes not found verbatim in the source text
    problems: tuple[ProblemView, ...]


@frozen
class ItemRef:
    kind: str  # risk, assumption, indicator, response, scenario
    id: str


@frozen
class RescoredView:
    id: str
    title: str
    from_: Score
    to: Score


@frozen
class ChangedView:
    kind: str
    id: str
    fields: tuple[FieldChange, ...]


@frozen(kw_only=True)
class DiffResult(Output):
    """Two versions of a register; ``register`` is the new one."""

    SCHEMA = "diff"
    old: RegisterInfo
    same: bool
    added: tuple[ItemRef, ...]
    removed: tuple[ItemRef, ...]
    rescored: tuple[RescoredView, ...]
    changed: tuple[ChangedView, ...]
