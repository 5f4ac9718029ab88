"""rebaseline: the register written with the journal's current state as its baseline, and the step
recorded in the journal — the register made reads the journal's history without applying it again
(``journal.rebaselined``)."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Any

from riskcli import journal
from riskcli.files import check_output, write_output
from riskcli.journal import Replay
from riskcli.journal.location import beside
from riskcli.model import Rebaselined, Register, UserError
from riskcli.rebaseline import fold
from riskcli.register.source import embedded_register_path
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.session import Session, files_read
from riskcli.results.shapes.transfer import RebaselineResult


def identity_for(output: Path, given: str | None) -> str:
    """The new register's id: the one given, else the output file's stem."""
    ident = (given if given is not None else output.stem).strip()
    if not ident or not ident.isprintable():
        raise UserError(f"give the new register an id with --id (from {output.name!r} none can be made)")
    return ident


def rebaseline(
    req: Request, s: Session, output: Path, ident: str | None, *, why: str, force: bool = False
) -> RebaselineResult:
    """Write ``output``: the register with its journal's state folded in (``riskcli.rebaseline.fold``),
    its own identity; and record the step (a ``rebaseline`` event) in the journal read. The event is
    appended first: a file that exists is always one the journal names."""
    reg = s.reg
    reading = files_read(req, s)
    check_output(output, force=force, reading=reading)
    if _same_place(output, embedded_register_path()):
        raise UserError(f"{output} is the embedded register, which riskcli never writes; write to another file")
    identity = identity_for(output, ident)
    if identity == reg.identity:
        raise UserError(
            f"the new register's id {identity!r} is this register's: give it another with --id "
            "(its journal's events would otherwise be read as the new register's own)"
        )
    by = req.who()
    day = dt.datetime.now(dt.UTC).date().isoformat()
    made: dict[str, Any] = {}

    def make(rp: Replay) -> dict[str, Any]:
        from riskcli.results.transfer import carried_source

        observed = {ev.data["indicator"]: ev.at for ev in rp.active if ev.kind == "observe"}  # the last, by time
        step = Rebaselined(reg.identity, day, "" if reg.embedded else _from_folder(Path(reg.path), output))
        new, kept = fold(reg, rp.state, identity, observed, step)
        new, made["source"] = carried_source(new, output)  # its source text named from the new file's folder
        data = _text(req, reg, new, day, s.location.path, output).encode("utf-8")
        made.update(data=data, kept=kept, new=new)
        digest = hashlib.sha256(data).hexdigest()
        return journal.new_event("rebaseline", by, why, reg=reg, into=identity, file=output.name, sha256=digest)

    # Every event at hand: each indicator's last observation is read from the events in force, and a
    # replay folded onto a checkpoint holds only those after it.
    done = journal.record(reg, s.location, make, current=s.current.everything())
    assert done.event is not None
    write_output(output, made["data"], force=force, reading=reading)
    new: Register = made["new"]
    return RebaselineResult(
        register=convert.register_info(reg),
        output=str(output),
        identity=identity,
        journal=str(s.location.path),
        new_journal=str(beside(output)),
        event=convert.event(done.event, done.after.undone),
        sha256=str(done.event.data["sha256"]),
        risks=len(new.risks),
        assumptions=len(new.assumptions),
        not_carried=made["kept"],
        source=made["source"],
    )


def _from_folder(path: Path, output: Path) -> str:
    """``path`` as the register written to ``output`` names it: from that register's folder."""
    return Path(os.path.relpath(path.resolve(), output.parent.resolve())).as_posix()


def _same_place(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except (OSError, RuntimeError):
        return False


def _text(req: Request, reg: Register, new: Register, day: str, journal_path: Path, output: Path) -> str:
    from riskcli.register.write import register_yaml

    old = "the embedded register" if reg.embedded else reg.path
    header = [
        f"A riskcli risk register rebaselined from {old} on {day}: its levels, beliefs, decisions",
        f"and responses are the state of {old} with its journal ({journal_path}) replayed.",
        "That journal keeps the history. To read it with this register (nothing in it is applied again):",
        f"  cp {journal_path} {beside(output)} && riskcli --register {output} journal adopt",
    ]
    if req.rules is not None:
        header.append(f"Scored with --rules {req.rules}; its scales and rating are written below.")
    return register_yaml(new, header=header, rules_path=req.rules)
