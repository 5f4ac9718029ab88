"""A journal belongs to one register (and those it adopted)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from riskcli.journal.reading import Journal
from riskcli.model import Event, Register, UserError


def adoptions(events: Iterable[Event], into: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """What the adopt events say: register → the registers it adopted (added to ``into``)."""
    adopted = into if into is not None else {}
    for ev in events:
        if ev.kind == "adopt" and ev.register is not None:
            sources = adopted.setdefault(ev.register, [])
            source = str(ev.data["from"])
            if source not in sources:
                sources.append(source)
    return adopted


def accepted_by(identity: str, adopted: Mapping[str, Iterable[str]]) -> set[str]:
    """The register identities whose events ``identity`` replays: its own, and those it adopted,
    transitively."""
    accepted = {identity}
    todo = [identity]
    while todo:
        for source in adopted.get(todo.pop(), ()):
            if source not in accepted:
                accepted.add(source)
                todo.append(source)
    return accepted


def accepted_registers(reg: Register | str, events: Iterable[Event]) -> set[str]:
    """The register identities whose events this register (or identity) replays: its own, and
    those it adopted (``journal adopt``), transitively."""
    return accepted_by(reg if isinstance(reg, str) else reg.identity, adoptions(events))


def refuse_foreign(reg: Register, path: Path, events: Iterable[Event], accepted: set[str]) -> bool:
    """Refuse the first event bound to a register not in ``accepted``; whether any is bound."""
    bound = False
    for ev in events:
        if ev.register is None:
            continue
        bound = True
        if ev.register not in accepted:
            raise UserError(
                f"journal {path} belongs to register {ev.register!r} (line {ev.line}), not to "
                f"{reg.identity!r} ({reg.path}); give --journal for this register's own journal, or take "
                f"this one over with: riskcli --register {reg.path} --journal {path} journal adopt"
            )
    return bound


def unbound_note(reg: Register, path: Path) -> str:
    return (
        f"journal {path} was written before journals were bound to a register; its events are read "
        f"as {reg.identity!r}'s, and new events will be bound to it"
    )


def check_binding(reg: Register, j: Journal) -> list[str]:
    """Refuse a journal bound to another register; notes for a journal of unbound events."""
    bound = refuse_foreign(reg, j.path, j.events, accepted_registers(reg, j.events))
    return [unbound_note(reg, j.path)] if j.events and not bound else []
