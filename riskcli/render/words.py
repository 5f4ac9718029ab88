"""The English riskcli speaks: results carry ids, enums and numbers, and these functions say them.

Kept in one place so every view phrases a move, a shift, a belief or a clamp the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.text import Text

from riskcli.model import BeliefSet, Level, Resolution, SetBy, Shift, Tally
from riskcli.render.console import clean
from riskcli.render.layout import Key, fmt_belief, fmt_level, fmt_shift
from riskcli.results.shapes.common import (
    AsOfInfo,
    DueView,
    Earlier,
    HorizonView,
    Hypothesis,
    RegisterInfo,
    StateKind,
    StateRef,
    Understood,
)
from riskcli.rules import Via
from riskcli.scoring import (
    Cause,
    CauseKind,
    Clamp,
    Direction,
    FindingCode,
    MoveKind,
    Outcome,
    Override,
    ReviewStatus,
    WhatIf,
)

# Where an unrounded level is placed in the matrix (``rules.cell_of``), in words: the tie finding and
# the workbook's Method sheet say it from here alike.
TIE_TOWARD = "toward the level its score starts from (the analyst's score, else the register's level)"
CELL_RULE = (
    f"the nearest level to the unrounded value; a value exactly half-way between two levels goes {TIE_TOWARD}, "
    "so a score must move more than half a step, up or down alike, to change cell"
)

if TYPE_CHECKING:  # only the views that show them import their families
    from riskcli.results.shapes.common import FindingView
    from riskcli.results.shapes.events import (
        AcceptEvent,
        AssignEvent,
        CloseEvent,
        EventView,
        ReopenEvent,
        ReviewEvent,
        TreatEvent,
    )
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


def support_word(key: Key, assumption: str, belief: float) -> str:
    """An assumption's support, one rule everywhere: as the register states it, else derived from
    the belief and said so (``caveated, derived``), as the Key Assumptions Check marks it."""
    stated = key.supports.get(assumption)
    if stated:
        return stated
    name = label(key, belief)
    return f"{name}, derived" if name else ""


def belief_meaning(key: Key, assumption: str, belief: float) -> str:
    """``0.60 (caveated)``: a belief and its assumption's support."""
    word = support_word(key, assumption, belief)
    return fmt_belief(belief) + (f" ({word})" if word else "")


def belief_change(key: Key, assumption: str, before: float, after: float) -> str:
    """``0.50 → 0.71 (unsupported)``; the word before the arrow too when it differs."""
    first, last = support_word(key, assumption, before), support_word(key, assumption, after)
    start = fmt_belief(before) if first == last else belief_meaning(key, assumption, before)
    return f"{start} → {belief_meaning(key, assumption, after)}"


def understood(key: Key, u: Understood, assumption: str = "") -> str:
    """What riskcli understood a typed value as: ``very likely → 5 Almost certain (≥ 80%) at 87.5%``;
    a belief with the support of its ``assumption``."""
    if u.field == "belief":
        return f"{u.said} → {belief_meaning(key, assumption, u.value)}"
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
        return f"{w.id}={belief_meaning(key, w.id, w.belief)}"
    if w.kind is MoveKind.INDICATOR:
        sets = ", ".join(f"{u.assumption}={fmt_belief(u.belief)}" for u in w.sets)
        seen = "looked for and not seen" if w.outcome is Outcome.ABSENT else "observed"
        return f"{w.id} {seen}" + (f" ({sets})" if sets else "")
    return f"{w.id} {'applied' if w.applied else 'withdrawn'}"


def override_text(o: Override) -> str:
    return f"{o.id} is set by {o.first} and again by {o.then}; the later move counts"


def hypothesis_label(h: Hypothesis, key: Key | None = None) -> str:
    key = key or Key()
    said = ([f"scenario {h.scenario}"] if h.scenario else []) + [what_if_text(w, key) for w in h.what_if]
    return "HYPOTHETICAL — " + "; ".join(said) + " (nothing is recorded)"


def as_of_label(a: AsOfInfo) -> str:
    """``AS OF 2025-01-01 — the journal's 3 events recorded by then (of 12)``."""
    counted = f"{a.events} event{'s' if a.events != 1 else ''}"
    of = f" (of {a.total})" if a.total != a.events else ""
    return f"AS OF {a.date} — the journal's {counted} recorded by then{of}"


def state_label(ref: StateRef, key: Key | None = None) -> str:
    if ref.kind is StateKind.SCENARIO:
        return f"scenario {ref.scenario}"
    if ref.kind is StateKind.WHAT_IF:
        return "what-if " + ", ".join(what_if_text(w, key or Key()) for w in ref.what_if)
    if ref.kind is StateKind.AS_OF and ref.as_of is not None:
        return f"{ref.as_of.date} ({ref.as_of.events} journal event{'s' if ref.as_of.events != 1 else ''})"
    return ref.kind.value


def tally_text(t: Tally) -> str:
    """``I6 seen ×1.67``, ``I1 absent ×0.65 (3 times)``."""
    times = f" ({t.count} times)" if t.count != 1 else ""
    return f"{t.indicator} {t.outcome.value} ×{t.ratio:g}{times}"


def set_text(b: BeliefSet) -> str:
    """A belief set, and by what: ``assumed 0.90``, ``scenario wider-war: 1.00``."""
    value = f"{b.value:.2f}"
    if b.by is SetBy.ASSUME:
        return f"assumed {value}"
    if b.by is SetBy.SCENARIO:
        return f"scenario {b.ref}: {value}"
    if b.by is SetBy.WHAT_IF:
        return f"what-if {value}"
    if b.by is SetBy.PRESET:
        return f"{b.ref} seen: {value}"
    if b.by is SetBy.RESOLVED:
        return "resolved as held" if b.value == 1.0 else "resolved as failed"
    return f"set {value}"


def finding_text(f: FindingView) -> str:
    """A coherence finding in words, with its numbers."""
    v, rel = f.values, f.related
    axis = f.axis.value if f.axis is not None else ""
    if f.code is FindingCode.SAME_SIGN and len(v) == 2:
        return f"driver {rel[0]} moves {axis} the same way whether it holds ({v[0]:+g}) or fails ({v[1]:+g})"
    if f.code is FindingCode.CLAMP and len(v) == 3:
        lo, hi, n = v
        return (
            f"its own drivers can push {axis} from {lo:.2f} to {hi:.2f}, past the scale's 1–{n:g}: "
            "the excess is clamped and lost"
        )
    if f.code is FindingCode.CLAMPED and len(v) == 2:
        raw, limit = v
        end = "ceiling" if raw > limit else "floor"
        return f"current {axis} is clamped at the {end} ({limit:g}); unclamped it would be {raw:.2f}"
    if f.code is FindingCode.RESTATES and len(v) == 2:
        return (
            f"rests on {rel[0]} alone and its title shares {v[0]:g} of its {v[1]:g} words with {rel[0]}: "
            "a risk that restates its assumption adds nothing to the assessment"
        )
    if f.code is FindingCode.HUB and len(v) == 2:
        return f"drives {v[0]:g} of the {v[1]:g} risks: if it is wrong, most of the register is"
    if f.code is FindingCode.EXCLUDES and len(v) == 2:
        if len(rel) == 2:  # in a scenario
            return (
                f"sets {rel[0]} and {rel[1]}, which exclude each other, to beliefs that add to {v[0] + v[1]:.2f} (> 1)"
            )
        if v == (1.0, 1.0):
            return f"{f.subject} and {rel[0]} exclude each other but are both applied"
        return f"{f.subject} and {rel[0]} exclude each other but their beliefs add to {v[0] + v[1]:.2f} (> 1)"
    if f.code is FindingCode.CONFIDENCE and len(v) == 1:
        return f"is judged with high confidence but rests on {rel[0]}, whose support is unsupported (belief {v[0]:.2f})"
    if f.code is FindingCode.GIVEN and len(v) == 2:
        return (
            f"its beliefs given {rel[0]} add up to {v[0]:.2f}, not the {v[1]:.2f} stated: "
            f"the link's {v[0]:.2f} is its baseline"
        )
    if f.code is FindingCode.JOINT and len(v) == 4:
        parent = f"{rel[0]} {'holds' if v[0] else 'fails'}"
        this = f"{f.subject} {'holds' if v[1] else 'fails'}"
        return (
            f"its beliefs given {rel[0]} make P({parent} and {this}) = {v[2]:.2f}, more than "
            f"{'0 (they exclude each other)' if v[3] == 0 else f'P({this}) = {v[3]:.2f}'}: they cannot all hold"
        )
    if f.code is FindingCode.TIE and len(v) == 2:
        return f"current {axis} {v[0]:.2f} is exactly half-way between two levels: shown as {v[1]:g}, {TIE_TOWARD}"
    if f.code is FindingCode.CONTRADICTS:
        return (
            f"evidence on {f.subject} or the assumptions linked to it contradicts a belief or link of 0 or 1: "
            "that certainty is read as one in a trillion so that the evidence holds"
        )
    return f"{f.code.value} {' '.join(rel)}".strip()


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


_OBSERVED = {"seen": "observed", "absent": "looked for and not seen"}


def observe_text(indicator: str, outcome: str, ref: str | None, source: str | None, on: str | None) -> str:
    """``I3 observed (ref GUR-2024-11-19, Ukrainian intelligence, on 2024-11-19)``."""
    said = _OBSERVED.get(outcome, "reviewed, nothing to record")
    about = [x for x in (f"ref {ref}" if ref else "", source or "", f"on {on}" if on else "") if x]
    return f"{indicator} {said}" + (f" ({', '.join(about)})" if about else "")


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
        return observe_text(ev.indicator, ev.outcome or "seen", ev.ref, ev.source, ev.on)
    if ev.kind == "respond":
        return f"{ev.response} {'applied' if ev.applied else 'withdrawn'}"
    if ev.kind == "adopt":
        return f"adopted the events of register {ev.from_register!r}"
    if ev.kind == "rebaseline":
        return f"rebaselined into register {ev.into!r} ({ev.file}, sha256 {ev.sha256[:12]})"
    if ev.kind == "resolve":
        return resolution_text(ev.risk or ev.assumption or "?", ev.outcome, ev.on, ev.source)
    return decision_text(ev)


_RESOLVED = {
    Resolution.OCCURRED: "occurred",
    Resolution.DID_NOT_OCCUR: "did not occur",
    Resolution.HELD: "held",
    Resolution.FAILED: "failed",
}


def resolution_text(item: str, outcome: Resolution, on: str, source: str | None = None) -> str:
    """``R3 occurred on 2025-03-01 (Reuters)``; ``A7 held (settled 2025-06-30)``."""
    when = f"on {on}" if outcome in (Resolution.OCCURRED, Resolution.FAILED) else f"(settled {on})"
    return f"{item} {_RESOLVED[outcome]} {when}" + (f" ({source})" if source else "")


def decision_text(ev: AcceptEvent | TreatEvent | ReviewEvent | AssignEvent | CloseEvent | ReopenEvent) -> str:
    """What a decision event decided, in a few words."""
    if ev.kind == "accept":
        until = f" until {ev.until}" if ev.until else ""
        who = f" by {ev.approver}" if ev.approver else ""
        band = f" (rated {ev.band})" if ev.band else ""
        return f"{ev.risk}: accepted{who}{until}{band}"
    if ev.kind == "treat":
        carried = f" with {', '.join(ev.with_)}" if ev.with_ else ""
        return f"{ev.risk}: treat — {ev.strategy.value}{carried}"
    if ev.kind == "review":
        return f"{ev.risk}: reviewed" + (f"; next review by {ev.next}" if ev.next else "")
    if ev.kind == "assign":
        return f"{ev.risk}: owner {ev.owner}"
    if ev.kind == "close":
        return f"{ev.risk}: {ev.status.value}"
    return f"{ev.risk}: reopened"


def header(
    reg: RegisterInfo, what: str, hyp: Hypothesis | None = None, key: Key | None = None, as_of: AsOfInfo | None = None
) -> Text:
    """A view's heading: the register's title, its date and what is shown; under it, in reverse, the
    date shown (--as-of) and what is hypothetical."""
    t = Text()
    t.append(clean(reg.title or reg.id or reg.path, one_line=True), style="bold")
    if reg.as_of:
        t.append(f"  (as of {clean(reg.as_of, one_line=True)})", style="dim")
    t.append(f" — {what}", style="dim")
    b = banner(hyp, key, as_of)
    if b is not None:
        t.append("\n")
        t.append_text(b)
    return t


def banner(hyp: Hypothesis | None, key: Key | None = None, as_of: AsOfInfo | None = None) -> Text | None:
    """The date shown (--as-of) and what is hypothetical, each as a line of its own (None when
    neither)."""
    lines = [clean(as_of_label(as_of), one_line=True)] if as_of is not None else []
    if hyp is not None:
        lines.append(clean(hypothesis_label(hyp, key), one_line=True))
    return Text("\n".join(lines), style="bold reverse") if lines else None


def earlier_history(e: Earlier) -> str:
    """Where a rebaselined register's history before the step is, in a line."""
    where = e.file if e.file is not None else "the embedded register"
    return f"history before {e.date} is in the journal of {where} (register {e.register!r}), which this one was rebaselined from"


def unassessed(ids: Sequence[str], shown: int = 10) -> str:
    """The risks a view leaves out because they are not yet assessed."""
    listed = ", ".join(ids[:shown]) + (f", … ({len(ids) - shown} more)" if len(ids) > shown else "")
    one = len(ids) == 1
    return (
        f"not yet assessed, so not placed: {listed} ({len(ids)} risk{'' if one else 's'} without a likelihood "
        f"or an impact; score {'it' if one else 'them'} to give both: riskcli score {ids[0]} -l LEVEL -i LEVEL --why …)"
    )


def unrated(ids: Sequence[str], options: Sequence[str], shown: int = 10) -> str:
    """The risks not yet assessed that a filter on the rating (``options``) leaves out: they have no rating."""
    listed = ", ".join(ids[:shown]) + (f", … ({len(ids) - shown} more)" if len(ids) > shown else "")
    one = len(ids) == 1
    return (
        f"{' and '.join(options)} {'leaves' if len(options) == 1 else 'leave'} out "
        f"{'the risk' if one else f'the {len(ids)} risks'} not yet assessed, which "
        f"{'has' if one else 'have'} no rating: {listed}"
    )


def _pct_text(p: float) -> str:
    return f"{p * 100:.1f}".rstrip("0").rstrip(".") + "%"


def horizon_lines(h: HorizonView) -> list[str]:
    """A risk's horizon in a line or two: over what, from when to when, due or not; its level's
    band over it and converted (constant hazard)."""
    over = f"by {h.by}" if h.by is not None else f"within {h.within}"
    whose = "its own" if h.own else "the register's default"
    line = f"Horizon: {over} ({whose})"
    if h.start is not None:
        line += f", judged {h.start}"
    if h.due and h.end is not None:
        line += f" — due since {h.end}, not resolved"
    elif h.end is not None and h.by is None:
        line += f", ends {h.end}"
    lines = [line]
    if h.probability is not None:
        lo, hi = h.probability
        text = f"Its likelihood level's band, {_pct_text(lo)}–{_pct_text(hi)} over {over.removeprefix('within ')}"
        c = h.converted
        if c is not None and h.days is not None:
            clo, chi = c.probability
            text += (
                f", is {_pct_text(clo)}–{_pct_text(chi)} over {c.over} at a constant hazard"
                f" (p_T = 1 − (1 − p)^(T/t), t = {h.days:g} days, T = {c.days:g})"
            )
        lines.append(text)
    return lines


def due_text(due: Sequence[DueView]) -> str:
    """``Due since their horizon, not resolved (2): R3 (2025-10-31, alice's), A2 (2025-06-30).``"""
    said = ", ".join(f"{d.id} ({d.since}{', ' + d.by + chr(8217) + 's' if d.by else ''})" for d in due)
    return f"Due since their horizon, not resolved ({len(due)}): {said} — riskcli resolve ID records what happened"
