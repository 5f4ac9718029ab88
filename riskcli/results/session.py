"""A register opened with its journal: what every command starts from.

``Request`` is the global options as given; ``open_session`` loads the register, finds and reads
its journal (refusing one bound to another register) and replays it — from its replay checkpoint
and the lines after it when it can: the events themselves are parsed only for a view that needs
them (``Session.journal``, ``Session.replay``). ``hypothesize`` applies
``--scenario`` and ``--what-if`` to a state. Nothing here is kept between calls.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from riskcli import journal, register, scoring
from riskcli.journal import Journal, Location, Replay
from riskcli.model import Register, UserError
from riskcli.results import convert
from riskcli.results.request import Request
from riskcli.results.shapes.common import Hypothesis, StateKind, StateRef
from riskcli.scoring import State


@dataclass
class Session:
    """The register, its journal and the state they add up to."""

    reg: Register
    location: Location
    current: journal.Current  # the journal as read
    notes: list[str] = field(default_factory=list)  # for stderr: torn lines, the hash chain, unknown ids, …

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
    location = journal.locate(reg, req.journal)
    journal.refuse_register(location.path, reg)
    current = journal.open_current(reg, location, quick=quick, bind=bind)
    return Session(reg, location, current, list(current.notes))


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
    """A state to compare: baseline, current, a scenario's id or a what-if set (A2=fails,M1)."""
    key = text.strip().lower()
    if key == "baseline":
        return StateRef(StateKind.BASELINE, None, ()), scoring.baseline_state(s.reg)
    if key == "current":
        return StateRef(StateKind.CURRENT, None, ()), s.state
    sc = scoring.find(s.reg.scenarios, text)
    if sc is not None:
        return StateRef(StateKind.SCENARIO, sc.id, ()), scoring.scenario_state(s.reg, s.state, sc.id)
    try:
        state, moves, _ = scoring.what_if(s.reg, s.state, [text])
    except UserError as e:
        scenarios = ", ".join(x.id for x in s.reg.scenarios) or "none"
        raise UserError(
            f"{text!r} is not baseline, current, a scenario (the register has: {scenarios}) or a what-if set: {e}"
        ) from None
    return StateRef(StateKind.WHAT_IF, None, tuple(moves)), state


def lookup(kind: str, items: Iterable[scoring.Item], ident: str) -> scoring.Item:
    """The item with this id (exact, else case-insensitive), or a UserError listing valid ids."""
    items = list(items)
    found = scoring.find(items, ident)
    if found is None:
        raise convert.unknown(kind, ident, [x.id for x in items])
    return found
