"""A journal belongs to one register (and those it adopted)."""

from __future__ import annotations

from collections.abc import Iterable

from riskcli.journal.reading import Journal
from riskcli.model import Event, Register, UserError


def accepted_registers(reg: Register | str, events: Iterable[Event]) -> set[str]:
    """The register identities whose events this register (or identity) replays: its own, and
    those it adopted (``journal adopt``), transitively."""
    adopted: dict[str, set[str]] = {}
    for ev in events:
        if ev.kind == "adopt" and ev.register is not None:
            adopted.setdefault(ev.register, set()).add(str(ev.data["from"]))
    identity = reg if isinstance(reg, str) else reg.identity
    accepted = {identity}
    todo = [identity]
    while todo:
        for source in adopted.get(todo.pop(), ()):
            if source not in accepted:
                accepted.add(source)
                todo.append(source)
    return accepted


def check_binding(reg: Register, j: Journal) -> list[str]:
    """Refuse a journal bound to another register; notes for a journal of unbound events."""
    accepted = accepted_registers(reg, j.events)
    bound = False
    for ev in j.events:
        if ev.register is None:
            continue
        bound = True
        if ev.register not in accepted:
            raise UserError(
                f"journal {j.path} belongs to register {ev.register!r} (line {ev.line}), not to "
                f"{reg.identity!r} ({reg.path}); give --journal for this register's own journal, or take "
                f"this one over with: riskcli --register {reg.path} --journal {j.path} journal adopt"
            )
    if j.events and not bound:
        return [
            f"journal {j.path} was written before journals were bound to a register; its events are read "
            f"as {reg.identity!r}'s, and new events will be bound to it"
        ]
    return []
