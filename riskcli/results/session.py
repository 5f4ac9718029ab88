"""A register opened with its journal: what every command starts from.

``Request`` is the global options as given; ``open_session`` loads the register, finds and reads
its journal (refusing one bound to another register) and replays it — from its replay checkpoint
and the lines after it when it can: the events themselves are parsed only for a view that needs
them (``Session.journal``, ``Session.replay``). ``hypothesize`` applies
``--scenario`` and ``--what-if`` to a state. With ``--as-of`` the session is the journal as it
stood on that date (``journal.dated``). Nothing here is kept between calls.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import field, replace
from datetime import datetime
from pathlib import Path

from riskcli import journal, register, scoring
from riskcli.journal import Journal, Location, Replay
from riskcli.journal.current import own
from riskcli.model import Event, Register, Risk, Unassessed, UserError
from riskcli.records import mutable
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.shapes.common import AsOfInfo, Earlier, Hypothesis, StateKind, StateRef
from riskcli.scoring import State


@mutable
class Session:
    """The register, its journal and the state they add up to."""

    reg: Register
    location: Location
    current: journal.Current  # the journal as read
    notes: list[str] = field(default_factory=list)  # for stderr: torn lines, the hash chain, unknown ids, …
    as_of: AsOfInfo | None = None  # --as-of: the date shown, and what of the journal it counts

    @property
    def state(self) -> State:
        return self.current.state

    @property
    def journal(self) -> Journal:
        """Every line of the journal, parsed (read on first use)."""
        return self.current.whole()

    @property
    def replay(self) -> Replay:
        """The replay of every event, the events included (made on first use)."""
        return self.current.full()


def load(req: Request, path: Path | None = None, *, findings: bool = False) -> Register:
    """The register (``path``, else the request's); ``findings``: its structural coherence
    findings made too, and kept in the register cache."""
    return register.load(path if path is not None else req.register, req.rules, findings=findings)


def open_session(req: Request, reg: Register | None = None, *, quick: bool = False, bind: bool = True) -> Session:
    """``quick``: for a command that records, which checks a replay checkpoint's last part only;
    ``bind``: refuse a journal of another register (all but adopt)."""
    reg = reg if reg is not None else load(req)
    if req.combine is not None:
        reg = replace(reg, combine=req.combine)
    location = journal.locate(reg, req.journal)
    journal.refuse_register(location.path, reg)
    current = journal.open_current(reg, location, quick=quick, bind=bind)
    if req.picture is not None and not quick:
        current = own(current, req.picture)
    if req.as_of is None:
        return Session(reg, location, current, list(current.notes))
    until = journal.parse_as_of(req.as_of)
    refuse_before(reg, req.as_of, until)
    then = journal.dated(current, until)
    info = as_of_info(reg, req.as_of, until, then.tail.events, current.events)
    notes = list(then.notes)
    if info.same_register is False:
        notes.append(
            f"the journal's events up to {info.date} were recorded against another version of this register "
            f"(other ids or scales: fingerprint {info.fingerprint}, now {reg.fingerprint}); the picture on that "
            "date is drawn with the register as it is now (give the version of then with --register to see it)"
        )
    return Session(reg, location, then, notes, info)


def earlier_file(reg: Register) -> str:
    """The file of the register a rebaselined register was made from, as a path from here (the
    register names it from its own folder); empty: none is named (the embedded register's)."""
    made = reg.rebaselined
    if made is None or not made.file:
        return ""
    if reg.embedded or os.path.isabs(made.file):
        return made.file
    return os.path.normpath(os.path.join(os.path.dirname(reg.path), made.file))


def earlier(reg: Register) -> Earlier | None:
    """Where a register made by rebaseline has its history before then (None: it was not made so)."""
    made = reg.rebaselined
    if made is None:
        return None
    return Earlier(made.register, made.on, earlier_file(reg) or None)


def refuse_before(reg: Register, asked: str, until: datetime) -> None:
    """A register made by rebaseline has no state before the day it was made: that is the register
    it was made from, with its journal."""
    made = reg.rebaselined
    if made is None or until.date().isoformat() >= made.on:
        return
    earlier = earlier_file(reg)
    there = f"riskcli -r {earlier} … --as-of {asked.strip()}" if earlier else f"--as-of {asked.strip()} with it"
    raise UserError(
        f"{reg.path} was rebaselined from register {made.register!r} on {made.on}: its state on "
        f"{asked.strip()} is that register's, with its journal ({there})"
    )


def as_of_info(reg: Register, asked: str, until: datetime, kept: Sequence[Event], total: int) -> AsOfInfo:
    """What an ``--as-of`` view counts: the events of the journal by then, and whether the register
    read is the one the last of them was recorded against (the journal keeps its fingerprint — its
    ids and scales — not its text)."""
    stamp = next((ev.fingerprint for ev in reversed(kept) if ev.fingerprint is not None), None)
    return AsOfInfo(
        date=asked.strip(),
        until=until.isoformat().replace("+00:00", "Z"),
        events=len(kept),
        total=total,
        fingerprint=stamp,
        same_register=None if stamp is None else stamp == reg.fingerprint,
    )


def files_read(req: Request, s: Session | None = None) -> tuple[tuple[str, Path | None], ...]:
    """The files an invocation reads as its register, rules and journal — the session's, else
    those the global options name — which a file a command writes (``-o``) never replaces."""
    from riskcli.journal.location import beside

    reg: Path | None
    jr: Path | None
    if s is not None:
        reg, jr = (None if s.reg.embedded else Path(s.reg.path)), s.location.path
    else:
        reg = req.register
        jr = req.journal if req.journal is not None else beside(reg) if reg is not None else None
    return (("register", reg), ("rules", req.rules), ("journal", jr))


def hypothesize(req: Request, s: Session, state: State | None = None) -> tuple[State, Hypothesis | None]:
    """The state to show under ``--scenario`` and ``--what-if`` (the current state if neither)."""
    state = state if state is not None else s.state
    if not req.hypothetical:
        return state, None
    scenario_id = None
    if req.scenario is not None:
        state = scoring.scenario_state(s.reg, state, req.scenario)
        sc = scoring.find(s.reg.scenarios, req.scenario)
        scenario_id = sc.id if sc is not None else req.scenario
    moves: Sequence[scoring.WhatIf] = ()
    overrides: Sequence[scoring.Override] = ()
    if req.what_if:
        state, moves, overrides = scoring.what_if(s.reg, state, req.what_if)
    return state, Hypothesis(scenario_id, tuple(moves), tuple(overrides))


def operand(s: Session, text: str) -> tuple[StateRef, State]:
    """A state to compare: baseline, current, a scenario's id, a date (the journal as it stood
    then) or a what-if set (A2=fails,M1)."""
    key = text.strip().lower()
    if key == "baseline":
        return StateRef(StateKind.BASELINE, None, (), None), scoring.baseline_state(s.reg)
    if key == "current":
        return StateRef(StateKind.CURRENT, None, (), None), s.state
    sc = scoring.find(s.reg.scenarios, text)
    if sc is not None:
        return StateRef(StateKind.SCENARIO, sc.id, (), None), scoring.scenario_state(s.reg, s.state, sc.id)
    if _DATED.match(key):
        info, state = state_on(s, text)
        return StateRef(StateKind.AS_OF, None, (), info), state
    try:
        state, moves, _ = scoring.what_if(s.reg, s.state, [text])
    except UserError as e:
        scenarios = ", ".join(x.id for x in s.reg.scenarios) or "none"
        raise UserError(
            f"{text!r} is not baseline, current, a scenario (the register has: {scenarios}), a date or a "
            f"what-if set: {e}"
        ) from None
    return StateRef(StateKind.WHAT_IF, None, tuple(moves), None), state


_DATED = re.compile(r"\d{4}-\d{2}-\d{2}")


def state_on(s: Session, text: str) -> tuple[AsOfInfo, State]:
    """The state of the journal as it stood on a date (of the session's journal: under --as-of,
    nothing after that date)."""
    until = journal.parse_as_of(text)
    refuse_before(s.reg, text, until)
    events = s.journal.events
    kept = journal.recorded_by(events, until)
    return as_of_info(s.reg, text, until, kept, len(events)), journal.replay(s.reg, kept).state


def lookup(kind: str, items: Iterable[scoring.Item], ident: str) -> scoring.Item:
    """The item with this id (exact, else case-insensitive), or a UserError listing valid ids."""
    items = list(items)
    found = scoring.find(items, ident)
    if found is None:
        raise convert.unknown(kind, ident, [x.id for x in items])
    return found


def not_assessed(reg: Register, ident: str) -> Unassessed | None:
    """The risk not yet assessed with this id (none: no such risk, or one that is assessed)."""
    if scoring.find(reg.risks, ident) is not None:
        return None
    waiting = scoring.find(reg.unassessed, ident)
    assert waiting is None or isinstance(waiting, Unassessed)
    return waiting


def lookup_risk(reg: Register, ident: str) -> Risk:
    """The risk with this id; a risk not yet assessed is refused as such (it has no score)."""
    waiting = not_assessed(reg, ident)
    if waiting is not None:
        raise UserError(
            f"risk {waiting.id} is not yet assessed (its likelihood or impact is unassessed in the register); "
            f"assess it first: riskcli score {waiting.id} --likelihood LEVEL --impact LEVEL --why …"
        )
    risk = lookup("risk", reg.risks, ident)
    assert isinstance(risk, Risk)
    return risk
