"""What every command does first and last: open the session, and emit the result."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from riskcli.cli.app import request
from riskcli.records import mutable
from riskcli.results.request import Request

if TYPE_CHECKING:
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results.session import Session


@mutable
class Call:
    """One command's request, session, output streams and key to the register's rules."""

    req: Request
    s: Session
    out: Out
    key: Key

    def emit(self, result: Any, json: bool, **options: Any) -> None:
        from riskcli.render import emit

        emit(result, self.out, self.key, json=json, indent=self.req.indent, **options)


def begin(
    ctx: typer.Context,
    command: str | None = None,
    *,
    records: bool = False,
    chain: bool = True,
    dated: bool = True,
) -> Call:
    """Open the register and its journal; warnings go to stderr. ``command``: refuse
    --scenario / --what-if for it (``records``: because it writes; a command that records refuses
    --as-of too, as does one that is not ``dated``). ``chain``: warn of a break in the journal's
    hash chain (journal verify reports every break itself)."""
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results.request import HYPOTHETICAL
    from riskcli.results.session import open_session

    req = request(ctx)
    if command is not None:
        req.refuse_hypothetical(command, records=records)
        if records or not dated:
            req.refuse_as_of(command, records=records)
    elif ctx.info_name not in HYPOTHETICAL:  # a view takes them only if it is declared to
        req.refuse_hypothetical(ctx.info_name or "this command", records=False)
    out = Out.open()
    s = open_session(req, quick=records)
    for note in s.notes:
        if chain or note != s.current.chain_note:
            out.warn(note)
    return Call(req, s, out, Key.of(s.reg.rules, s.reg.assumptions))
