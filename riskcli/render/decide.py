"""Views of the decisions: what a decision command recorded, and where a risk stands."""

from __future__ import annotations

from riskcli.decisions import Lapse
from riskcli.model import DecisionKind, Status
from riskcli.render.console import Out, T, std_console
from riskcli.render.layout import Key
from riskcli.results.shapes.decide import AcceptanceView, DecisionResult, StandingView

LAPSES = {
    Lapse.EXPIRED: "expired",
    Lapse.BAND_ROSE: "the risk is rated higher than when accepted",
    Lapse.CHANGED: "the register changed what rates the risk since",
}


def acceptance_text(a: AcceptanceView) -> str:
    """``by CFO on 2025-01-10 until 2025-06-30 at High — lapsed: expired``."""
    text = f"by {a.by} on {a.on}" + (f" until {a.until}" if a.until else ", no expiry")
    if a.band is not None:
        text += f" at {a.band.name}"
    if a.lapses:
        text += " — lapsed: " + "; ".join(LAPSES[x] for x in a.lapses)
    return text


def review_text(st: StandingView) -> str:
    """``every 90 days; last 2025-01-10; due 2025-04-10 (overdue)``, or ``—``."""
    rv = st.review
    parts = []
    if rv.every:
        parts.append(f"every {rv.every} days")
    if rv.last:
        parts.append(f"last {rv.last}")
    if rv.due:
        parts.append(f"due {rv.due}")
    elif rv.overdue:
        parts.append("never reviewed")
    text = "; ".join(parts) or "—"
    return text + (" (overdue)" if rv.overdue else "")


def treatment_text(st: StandingView) -> str:
    t = st.treatment
    if t is None:
        return "—"
    return t.strategy.value + (f" with {', '.join(t.responses)}" if t.responses else "")


def standing_rows(st: StandingView) -> list[tuple[str, str]]:
    """What ``show`` says of a risk's standing: only what is set (a register without decisions
    shows nothing more than its owner)."""
    rows = standing_lines(st)
    keep = []
    for label, text in rows:
        if label == "status" and st.status is Status.OPEN and st.decided is None:
            continue
        if text == "—":
            continue
        keep.append((label, text))
    return keep


def standing_lines(st: StandingView) -> list[tuple[str, str]]:
    """A risk's standing as (label, text) rows: owner, status, treatment, acceptance, review, appetite."""
    rows = [("owner", st.owner or "—"), ("status", st.status.value)]
    if st.decided is not None:
        d = st.decided
        rows[-1] = ("status", f"{st.status.value} ({d.by}, {d.at[:10]})")
    rows.append(("treatment", treatment_text(st)))
    if st.acceptance is not None:
        rows.append(("acceptance", acceptance_text(st.acceptance)))
        if st.acceptance.why:
            rows.append(("accepted because", st.acceptance.why))
    rows.append(("review", review_text(st)))
    if st.appetite is not None:
        rows.append(("appetite", st.appetite.name + (" — rated above it" if st.over_appetite else "")))
    if st.target is not None:
        rows.append(("target", st.target.name))
    return rows


_DONE = {
    DecisionKind.ACCEPT: "accepted",
    DecisionKind.TREAT: "treated",
    DecisionKind.REVIEW: "reviewed",
    DecisionKind.ASSIGN: "assigned",
    DecisionKind.CLOSE: "closed",
    DecisionKind.REOPEN: "reopened",
}


def _unchanged(r: DecisionResult) -> str:
    b = r.before
    if r.decision is DecisionKind.ASSIGN:
        return f"{r.risk}'s owner is already {b.owner}"
    if r.decision is DecisionKind.TREAT and b.treatment is not None:
        return f"{r.risk} is already treated: {treatment_text(b)}"
    if r.decision is DecisionKind.REOPEN:
        return f"{r.risk} is {b.status.value}, not closed or retired"
    return f"{r.risk} is already {b.status.value}"


def decision_view(r: DecisionResult, out: Out, key: Key) -> None:
    if not r.recorded:
        out.note(f"{_unchanged(r)}; nothing recorded")
        return
    con = std_console(out)
    a, b = r.before, r.after
    done = _DONE[r.decision]
    if r.decision is DecisionKind.CLOSE and b.status is Status.RETIRED:
        done = "retired"
    con.print(T(f"{r.risk} {done}: {r.title}", style="bold"))
    before = dict(standing_lines(a))
    for label, text in standing_lines(b):
        if before.get(label) != text:
            was = before.get(label)
            change = f"{was} → {text}" if was is not None and label in ("owner", "treatment") else text
            con.print(T(f"  {label}: {change}"))
    out.note(f"saved to {r.journal}")
