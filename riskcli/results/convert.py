"""Core objects turned into the result types: one converter per shape, shared by every view."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from riskcli.model import Band, Event, Register, UserError
from riskcli.results.shapes.common import Cell, MoveView, Rating, RegisterInfo, Score, Understood
from riskcli.rules import Parsed
from riskcli.scoring import AnalystScore, Move, Scored

if TYPE_CHECKING:
    from riskcli.results.shapes.events import EventView, Said
    from riskcli.results.shapes.risks import AnalystView


def register_info(reg: Register) -> RegisterInfo:
    return RegisterInfo(reg.path, reg.id or None, reg.title or None, reg.as_of or None, reg.identity, reg.fingerprint)


def rating(band: Band) -> Rating:
    return Rating(band.id, band.name)


def score(s: Scored) -> Score:
    return Score(s.likelihood, s.impact, s.score, Cell(*s.cell), rating(s.band), s.clamped)


def move(m: Move) -> MoveView:
    return MoveView(m.risk.id, m.risk.title, score(m.before), score(m.after), m.causes)


def analyst(a: AnalystScore | None) -> AnalystView | None:
    from riskcli.results.shapes.risks import AnalystView

    if a is None:
        return None
    return AnalystView(a.likelihood, a.impact, a.by, a.at, a.why or None)


def understood(field: str, p: Parsed) -> Understood:
    return Understood(field, p.said, float(p.value), p.via, p.probability)


def _said(value: object) -> Said | None:
    from riskcli.results.shapes.events import Said

    if isinstance(value, Mapping):
        lk, im = value.get("likelihood"), value.get("impact")
        return Said(lk if isinstance(lk, str) else None, im if isinstance(im, str) else None)
    return None


def event(ev: Event, undone: Iterable[str] | set[str], lines: Mapping[str, int] | None = None) -> EventView:
    """An event as history and the recording commands show it."""
    from riskcli.results.shapes.events import (
        AdoptEvent,
        BeliefEvent,
        ObserveEvent,
        Outcome,
        RespondEvent,
        ScoreEvent,
        TornEvent,
        UndoEvent,
    )  # fmt: skip

    d = ev.data
    common: dict[str, Any] = {
        "line": ev.line,
        "id": ev.id,
        "at": ev.at,
        "by": ev.by,
        "why": ev.why or None,
        "register": ev.register,
        "undone": ev.id in undone,
    }
    if ev.kind == "score":
        return ScoreEvent(
            **common,
            risk=d["risk"],
            likelihood=float(d["likelihood"]),
            impact=float(d["impact"]),
            said=_said(d.get("said")),
        )
    if ev.kind == "belief":
        said = d.get("said")
        return BeliefEvent(
            **common,
            assumption=d["assumption"],
            belief=float(d["belief"]),
            said=said if isinstance(said, str) else None,
        )
    if ev.kind == "observe":
        return ObserveEvent(**common, indicator=d["indicator"], outcome=Outcome(d.get("outcome", "seen")))
    if ev.kind == "respond":
        return RespondEvent(**common, response=d["response"], applied=bool(d.get("applied", True)))
    if ev.kind == "undo":
        return UndoEvent(**common, undoes=d["undoes"], undoes_line=(lines or {}).get(d["undoes"]))
    if ev.kind == "adopt":
        return AdoptEvent(**common, from_register=str(d["from"]))
    lines_torn = d.get("lines")
    torn = lines_torn if isinstance(lines_torn, list) else [d["line"]]
    return TornEvent(**common, torn_lines=tuple(x for x in torn if isinstance(x, int) and not isinstance(x, bool)))


def unknown(kind: str, ident: str, known: list[str]) -> UserError:
    close = difflib.get_close_matches(ident, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    listing = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
    return UserError(f"unknown {kind} {ident!r}{hint} (known: {listing or 'none'})")
