"""The English riskcli speaks: results carry ids, enums and numbers, and these functions say them.

Kept in one place so every view phrases a move, a shift, a belief or a clamp the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from riskcli.model import Level, Shift
from riskcli.render.layout import Key, fmt_belief, fmt_level, fmt_shift
from riskcli.results.shapes.common import Hypothesis, StateKind, StateRef, Understood
from riskcli.rules import Via
from riskcli.scoring import Cause, CauseKind, Clamp, Direction, FindingCode, MoveKind, Override, ReviewStatus, WhatIf

if TYPE_CHECKING:  # only the views that show them import their families
    from riskcli.results.shapes.checks import FindingView
    from riskcli.results.shapes.events import EventView
    from riskcli.results.shapes.watch import IndicatorView


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%" if abs(p * 100 - round(p * 100)) < 1e-9 else f"{p * 100:g}%"


def band_range(low: float | None, high: float | None) -> str:
    """A likelihood level's probability band as people write it: ``5–20%``, ``< 5%``, ``≥ 80%``."""
    if low is None or high is None:
        return ""
    lo, hi = _pct(low), _pct(high)
    if low <= 0:
        return f"< {hi}"
    if high >= 1:
        return f"≥ {lo}"
    return f"{lo[:-1]}–{hi}"


def level_meaning(levels: Sequence[Level], value: int) -> str:
    """``2 Unlikely (5–20%)``."""
    if not 1 <= value <= len(levels):
        return str(value)
    lv = levels[value - 1]
    band = band_range(lv.low, lv.high)
    return f"{value} {lv.name}" + (f" ({band})" if band else "")


def label(key: Key, belief: float) -> str:
    """The Key Assumptions Check label of a belief."""
    for name, minimum in key.labels:
        if belief >= minimum - 1e-12:
            return name
    return key.labels[-1][0] if key.labels else ""


def belief_meaning(key: Key, belief: float) -> str:
    """``0.60 (caveated)``."""
    name = label(key, belief)
    return fmt_belief(belief) + (f" ({name})" if name else "")


def understood(key: Key, u: Understood) -> str:
    """What riskcli understood a typed value as: ``very likely → 5 Almost certain (≥ 80%) at 87.5%``."""
    if u.field == "belief":
        return f"{u.said} → {belief_meaning(key, u.value)}"
    levels = key.likelihood if u.field == "likelihood" else key.impact
    meaning = level_meaning(levels, int(u.value))
    if u.via in (Via.PHRASE, Via.PROBABILITY) and u.probability is not None:
        meaning += f" at {u.probability * 100:g}%"
    return f"{u.said} → {meaning}"


def shift_text(shift: Shift | None) -> str:
    """``L +1, I -0.5``; ``—`` for no shift."""
    if shift is None:
        return "—"
    parts = []
    if shift.likelihood:
        parts.append(f"L {fmt_shift(shift.likelihood)}")
    if shift.impact:
        parts.append(f"I {fmt_shift(shift.impact)}")
    return ", ".join(parts) or "—"


def clamp_text(c: Clamp) -> str:
    return f"{c.axis.value} at the {c.end.value} ({c.limit})"


def cause_text(c: Cause) -> str:
    return "analyst score" if c.kind is CauseKind.ANALYST_SCORE else (c.id or c.kind.value)


def arrow(d: Direction) -> str:
    return {Direction.UP: "↑", Direction.DOWN: "↓", Direction.SAME: "="}[d]


def what_if_text(w: WhatIf, key: Key) -> str:
    if w.kind is MoveKind.BELIEF and w.belief is not None:
        return f"{w.id}={belief_meaning(key, w.belief)}"
    if w.kind is MoveKind.INDICATOR:
        sets = ", ".join(f"{u.assumption}={fmt_belief(u.belief)}" for u in w.sets)
        return f"{w.id} observed" + (f" ({sets})" if sets else "")
    return f"{w.id} {'applied' if w.applied else 'withdrawn'}"


def override_text(o: Override) -> str:
    return f"{o.id} is set by {o.first} and again by {o.then}; the later move counts"


def hypothesis_label(h: Hypothesis, key: Key | None = None) -> str:
    key = key or Key()
    said = ([f"scenario {h.scenario}"] if h.scenario else []) + [what_if_text(w, key) for w in h.what_if]
    return "HYPOTHETICAL — " + "; ".join(said) + " (nothing is recorded)"


def state_label(ref: StateRef, key: Key | None = None) -> str:
    if ref.kind is StateKind.SCENARIO:
        return f"scenario {ref.scenario}"
    if ref.kind is StateKind.WHAT_IF:
        return "what-if " + ", ".join(what_if_text(w, key or Key()) for w in ref.what_if)
    return ref.kind.value


def finding_text(f: FindingView) -> str:
    if f.code is FindingCode.SAME_SIGN_DRIVER and f.axis is not None and len(f.values) == 2:
        h, fl = f.values
        return f"driver {f.related[0]} moves {f.axis.value} the same way whether it holds ({h:+g}) or fails ({fl:+g})"
    if f.code is FindingCode.CLAMPED and f.axis is not None and len(f.values) == 2:
        raw, limit = f.values
        end = "ceiling" if raw > limit else "floor"
        return f"current {f.axis.value} is clamped at the {end} ({limit:g}); unclamped it would be {raw:.2f}"
    return f"{f.code.value} {' '.join(f.related)}".strip()


def review_text(iv: IndicatorView) -> str:
    if iv.status is ReviewStatus.NEVER:
        return "never observed"
    if iv.days is None:
        return "not due"
    if iv.status is ReviewStatus.OVERDUE:
        return f"overdue by {-iv.days} d"
    if iv.status is ReviewStatus.DUE:
        return "due today"
    return f"due in {iv.days} d"


def event_text(ev: EventView) -> str:
    """What an event did, in a few words."""
    if ev.kind == "score":
        return f"{ev.risk}: likelihood {fmt_level(ev.likelihood)}, impact {fmt_level(ev.impact)}"
    if ev.kind == "belief":
        said = f" ({ev.said})" if ev.said else ""
        return f"{ev.assumption}: belief {fmt_belief(ev.belief)}{said}"
    if ev.kind == "undo":
        return f"undo of line {ev.undoes_line}" if ev.undoes_line is not None else f"undo of {ev.undoes}"
    if ev.kind == "torn":
        lines = ", ".join(str(n) for n in ev.torn_lines)
        return f"line{'s' if len(ev.torn_lines) != 1 else ''} {lines} left incomplete by a crash"
    if ev.kind == "observe":
        return f"{ev.indicator} observed" if ev.outcome == "seen" else f"{ev.indicator} reviewed, nothing seen"
    if ev.kind == "respond":
        return f"{ev.response} {'applied' if ev.applied else 'withdrawn'}"
    return f"adopted the events of register {ev.from_register!r}"
