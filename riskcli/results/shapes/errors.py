"""What ``--json`` prints on stderr when a command fails."""

from __future__ import annotations

from typing import ClassVar

from riskcli.records import frozen
from riskcli.results.shapes.checks import ProblemView

# --------------------------------------------------------------------------- errors


@frozen
class ErrorInfo:
    code: int  # the exit code: 1 operational, 2 the user's input
    message: str
    file: str | None
    line: int | None
    col: int | None
    problems: tuple[ProblemView, ...]  # every problem, when there are several


@frozen(kw_only=True)
class ErrorResult:
    """What ``--json`` prints on stderr when a command fails."""

    SCHEMA: ClassVar[str] = "error"
    error: ErrorInfo
