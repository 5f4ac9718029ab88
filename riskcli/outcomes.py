"""What happened: resolutions of risks and assumptions (DESIGN §4 "Track record").

A resolution is a fact with a date: ``resolve R3 occurred --on 2025-03-01`` says the risk happened
that day; ``resolve A7 failed`` that the assumption stopped holding. It is a journal event, undone
like any other. In the replayed state a resolved risk leaves the live views (the matrix, the
ranking), listed apart with its outcome; a resolved assumption is hard evidence in the model of
belief (held: belief 1; failed: 0), so the risks resting on it, and the assumptions linked to it,
re-score — and no later belief set on it moves it.

One item resolved twice (two analysts' journals merged) keeps the latest resolution by the time
it was recorded, then its id: the same state whatever the order of the journal's lines.

Pure: ids, dates and enums.
"""

from __future__ import annotations

from collections.abc import Iterable

from riskcli.model import Event, Resolution, Resolvable, Resolved
from riskcli.scoring import Scored, State

KIND = "resolve"  # the journal's event kind
OUTCOMES = tuple(r.value for r in Resolution)


def resolved_of(ev: Event) -> Resolved:
    """A ``resolve`` event (its fields checked by the journal's reader) as a resolution."""
    d = ev.data
    outcome = Resolution(d["outcome"])
    kind = outcome.of
    source = d.get("source")
    return Resolved(
        kind,
        str(d[kind.value]),
        outcome,
        str(d["on"]),
        ev.at,
        ev.id,
        ev.by,
        ev.why,
        source if type(source) is str else "",
    )


def add(resolutions: dict[tuple[Resolvable, str], Resolved], r: Resolved) -> None:
    """Keep a resolution, in force from now on: the fold gives them in its order (the moment each
    was recorded, then its id), so the one given last is the latest. (Comparing the times as written
    would put 10:00+02:00 after 09:00Z.)"""
    resolutions[(r.kind, r.item)] = r


def live(state: State, scored: Iterable[Scored]) -> list[Scored]:
    """The risks still live in a state: those not resolved (occurred, or settled as not)."""
    if not state.resolutions:
        return list(scored)
    return [x for x in scored if (Resolvable.RISK, x.risk.id) not in state.resolutions]
