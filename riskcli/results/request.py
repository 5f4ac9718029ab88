"""The global options of one invocation, as the results layer takes them (light: the cli imports
it at start-up, before anything is loaded)."""

from __future__ import annotations

from pathlib import Path

from riskcli.model import Combine, UserError
from riskcli.records import frozen

# The read views that show the register under --scenario and --what-if: a view opened without a
# command name to refuse them for (``cli.common.begin``) must be one of these, and the refusal
# names them.
HYPOTHETICAL = (
    "list", "show", "assumptions", "matrix", "explain", "responses", "report", "simulate", "sensitivity",
    "disagreements",
)  # fmt: skip


@frozen
class Request:
    """The global options of one invocation."""

    register: Path | None = None
    rules: Path | None = None
    journal: Path | None = None
    analyst: str | None = None
    scenario: str | None = None
    what_if: tuple[str, ...] = ()
    indent: bool = False  # --json indented even when piped
    as_of: str | None = None  # --as-of: read views show the journal as it stood on this date
    combine: Combine | None = None  # --combine: how several analysts' judgements combine (else the register's)
    picture: str | None = None  # --analyst given on the command line: read views show that analyst's own picture

    @property
    def hypothetical(self) -> bool:
        return self.scenario is not None or bool(self.what_if)

    def who(self) -> str:
        from riskcli.journal import analyst_name

        return analyst_name(self.analyst)

    def refuse_as_of(self, command: str, *, records: bool = True) -> None:
        if self.as_of is None:
            return
        if records:
            raise UserError(f"{command} records to the journal now; --as-of is for read commands only")
        raise UserError(
            f"--as-of does not apply to {command}; use it with list, show, assumptions, matrix, explain, "
            "history, report or another read view of the journal"
        )

    def refuse_hypothetical(self, command: str, *, records: bool = True) -> None:
        if not self.hypothetical:
            return
        if records:
            raise UserError(f"{command} records to the journal; --scenario and --what-if are for read commands only")
        *most, last = HYPOTHETICAL
        raise UserError(
            f"--scenario and --what-if do not apply to {command}; use them with {', '.join(most)} or {last}"
        )
