"""Views of the journal: history, what a recording command did, verification, and the prompts."""

from __future__ import annotations

from collections.abc import Iterable

from rich import box
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from riskcli.journal import break_text
from riskcli.model import Assumption, NotCounted, Resolvable, Risk, Words
from riskcli.render.console import Out, T, clean, err_console, std_console
from riskcli.render.layout import Key, band_text, fit, fmt_belief, fmt_level
from riskcli.render.matrix import moves_table, rating_change
from riskcli.render.streams import tsv
from riskcli.render.words import (
    as_of_label,
    band_range,
    belief_change,
    belief_meaning,
    earlier_history,
    event_text,
    observe_text,
    resolution_text,
    understood,
)
from riskcli.results.shapes.common import Score
from riskcli.results.shapes.events import (
    AdoptResult,
    AssumeResult,
    EventView,
    EventViews,
    HeadResult,
    HistoryResult,
    ObservationView,
    ObserveResult,
    Recorded,
    ResolveResult,
    RespondResult,
    ScoreAllResult,
    ScoreResult,
    UndoResult,
    VerifyResult,
)
from riskcli.scoring import Outcome

HISTORY_COLUMNS = ("line", "at", "by", "kind", "what", "why", "undone")


# --------------------------------------------------------------------------- history


def history_view(r: HistoryResult, out: Out, key: Key) -> None:
    if r.as_of is not None:
        out.note(as_of_label(r.as_of))
    if r.earlier is not None:
        out.note(earlier_history(r.earlier))
    if not r.events:
        filtered = any(x is not None for x in (r.filters.risk, r.filters.assumption, r.filters.by, r.filters.since))
        out.note(
            f"no matching events in {r.journal.path}"
            if filtered and r.journal.events
            else f"no events in {r.journal.path}"
        )
        return
    if not out.terminal:
        if isinstance(r.events, EventViews):
            history_lines(r.events, out)
        else:
            history_plain(r.events, out)
        return
    con = std_console(out)
    if r.track is not None:
        from riskcli.render.track import track_view

        track_view(con, r.track, key)
    t = Table(box=box.SIMPLE_HEAD, expand=True)
    t.add_column("#", justify="right", style="dim", no_wrap=True)
    t.add_column("When (UTC)", no_wrap=True)
    t.add_column("Who", max_width=14)
    t.add_column("Kind", no_wrap=True)
    t.add_column("What", ratio=1)
    t.add_column("Why", ratio=1)
    for ev in r.events:
        what = T(event_text(ev), one_line=True)
        if ev.undone:
            what.append("  (undone)", style="dim")
        t.add_row(
            str(ev.line),
            T(ev.at[:19].replace("T", " "), one_line=True),
            T(ev.by, one_line=True),
            ev.kind,
            what,
            T(ev.why or "", one_line=True),
        )
    con.print(fit(con, t, {4: 16, 5: 12}, optional=(2,), caps={2: 14}))
    if r.shown < r.count:
        out.note(f"the latest {r.shown} of {r.count} events; --all shows every one, --limit N the latest N")


def history_lines(views: EventViews, out: Out) -> None:
    """The streaming path for pipes, straight from the journal's events: one tab-separated line
    per event, as ``history_plain`` writes it from their views (a test holds the two equal).
    Beliefs, scores, observations and responses, most of a journal, are written without a view."""
    write = out.stdout.write
    write("\t".join(HISTORY_COLUMNS) + "\n")
    undone = views.undone
    buf: list[str] = []
    # A journal's beliefs and levels are a few values written many times: each is formatted once.
    shown: dict[object, str] = {}
    level: dict[object, str] = {}
    for ev in views.events:
        d, kind = ev.data, ev.kind
        if kind == "belief":
            said, b = d.get("said"), d["belief"]
            if (text := shown.get(b)) is None:
                text = f"{float(b):.2f}"
                if b:  # (0.0 and -0.0 are one key, and shown apart)
                    shown[b] = text
            what = f"{d['assumption']}: belief {text}" + (f" ({said})" if type(said) is str and said else "")
        elif kind == "score":
            lk, im = d["likelihood"], d["impact"]
            if (lk_text := level.get(lk)) is None:
                lk_text = level[lk] = fmt_level(float(lk))
            if (im_text := level.get(im)) is None:
                im_text = level[im] = fmt_level(float(im))
            what = f"{d['risk']}: likelihood {lk_text}, impact {im_text}"
        elif kind == "observe":
            what = observe_text(d["indicator"], d.get("outcome", "seen"), d.get("ref"), d.get("source"), d.get("on"))
        elif kind == "respond":
            what = f"{d['response']} {'applied' if d.get('applied', True) else 'withdrawn'}"
        else:  # the rarer kinds (undo, adopt, torn), from their views
            what = event_text(views.view(ev))
        at, by, why = ev.at, ev.by, ev.why
        buf.append(
            f"{ev.line}\t{at if at.isprintable() else tsv(at)}\t{by if by.isprintable() else tsv(by)}\t{kind}\t"
            f"{what if what.isprintable() else tsv(what)}\t{why if why.isprintable() else tsv(why)}\t"
            f"{'undone' if ev.id in undone else ''}\n"
        )
        if len(buf) >= 4096:
            write("".join(buf))
            buf.clear()
    write("".join(buf))
    out.stdout.flush()


def history_plain(events: Iterable[EventView], out: Out) -> None:
    """The streaming path for pipes: one tab-separated line per event."""
    write = out.stdout.write
    write("\t".join(HISTORY_COLUMNS) + "\n")
    buf: list[str] = []
    for ev in events:
        at, by, why, what = ev.at, ev.by, ev.why or "", event_text(ev)
        # Most fields need no cleaning: isprintable() is false for anything clean() would change.
        buf.append(
            f"{ev.line}\t{at if at.isprintable() else tsv(at)}\t{by if by.isprintable() else tsv(by)}\t{ev.kind}\t"
            f"{what if what.isprintable() else tsv(what)}\t{why if why.isprintable() else tsv(why)}\t"
            f"{'undone' if ev.undone else ''}\n"
        )
        if len(buf) >= 4096:
            write("".join(buf))
            buf.clear()
    write("".join(buf))
    out.stdout.flush()


# --------------------------------------------------------------------------- recording


def _saved(r: Recorded, out: Out) -> None:
    if r.recorded:
        out.note(f"saved to {r.journal}")


def score_change(r: ScoreResult, out: Out, key: Key, title: str) -> None:
    con = std_console(out)
    t = Text()
    t.append(clean(r.risk, one_line=True), style="bold")
    t.append("  " + clean(title, one_line=True, limit=1000))
    con.print(t)
    for u in r.understood:
        con.print(T(f"  {understood(key, u)}", style="dim"))
    if r.moves:
        m = r.moves[0]
        a, b = m.from_, m.to
        line = Text(
            f"  likelihood {fmt_level(a.likelihood)} → {fmt_level(b.likelihood)}, "
            f"impact {fmt_level(a.impact)} → {fmt_level(b.impact)}, "
            f"cell {_cell(a)} → {_cell(b)}, "
        )
        line.append_text(rating_change(a.rating, b.rating, key, con))
        con.print(line)


def _cell(s: Score) -> str:
    return f"({s.cell.likelihood}, {s.cell.impact})"


def score_view(r: ScoreResult, out: Out, key: Key) -> None:
    title = r.moves[0].title if r.moves else ""
    score_change(r, out, key, title)
    _saved(r, out)


def score_all_view(r: ScoreAllResult, out: Out, key: Key) -> None:
    n = len(r.scored)
    out.note(f"recorded {n} score{'s' if n != 1 else ''} in {r.journal}")


def assume_view(r: AssumeResult, out: Out, key: Key) -> None:
    con = std_console(out)
    if not r.recorded:
        out.note(
            f"{r.assumption}'s belief is already {belief_meaning(key, r.assumption, r.understood.value)}; nothing recorded"
        )
        return
    for b in r.beliefs:
        con.print(T(f"{b.assumption}: belief {belief_change(key, b.assumption, b.from_, b.to)}"))
    con.print(T(f"  understood: {understood(key, r.understood, r.assumption)}", style="dim"))
    moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})")
    _saved(r, out)


def observe_view(r: ObserveResult, out: Out, key: Key) -> None:
    con = std_console(out)
    if r.outcome is Outcome.NONE:
        con.print(
            T(
                f"{r.indicator} reviewed: nothing to record; no belief moves, and its review clock starts again",
                style="bold",
            )
        )
        _saved(r, out)
        return
    seen = "observed" if r.outcome is Outcome.SEEN else "looked for and not seen"
    con.print(T(f"{r.indicator} {seen}: {r.title}", style="bold"))
    if not r.counted.counted:
        out.note(f"{not_counted_text(r.indicator, r.counted)}: recorded, but it moves no belief")
        _saved(r, out)
        return
    for aid in r.fixed:
        out.note(
            f"{aid} is fixed at 0 or 1 by assume; evidence does not move it (assume a belief between 0 and 1, such as 0.8, to let it)"
        )
    if not r.beliefs:
        out.warn(f"{r.indicator} sets no belief that differs from the current one; recorded the observation only")
    for b in r.beliefs:
        con.print(T(f"  {b.assumption}: belief {belief_change(key, b.assumption, b.from_, b.to)}"))
    moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})")
    _saved(r, out)


def not_counted_text(indicator: str, o: ObservationView) -> str:
    """Why an observation counts for nothing more."""
    if o.not_counted is NotCounted.REF:
        return f"{indicator} with ref {o.ref} is counted already (line {o.first})"
    if o.not_counted is NotCounted.WINDOW and o.window is not None:
        return (
            f"an absence of {indicator} is counted already for its review window {o.window[0]} to {o.window[1]} "
            f"(line {o.first}), and continued absence is one observation"
        )
    return f"{indicator} reviewed with nothing to record"


def respond_view(r: RespondResult, out: Out, key: Key) -> None:
    if not r.recorded:
        out.note(f"{r.response} is already {'applied' if r.applied else 'not applied'}; nothing recorded")
        return
    con = std_console(out)
    con.print(T(f"{r.response} {'applied' if r.applied else 'withdrawn'}: {r.title}", style="bold"))
    moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})")
    _saved(r, out)


def resolve_view(r: ResolveResult, out: Out, key: Key) -> None:
    con = std_console(out)
    x = r.resolved
    con.print(T(f"{resolution_text(x.id, x.outcome, x.on, x.source)}: {x.title}", style="bold"))
    if x.kind is Resolvable.RISK:
        con.print(T("  it leaves the live matrix and enters the track record (riskcli calibration)", style="dim"))
    for b in r.beliefs:
        con.print(T(f"  {b.assumption}: belief {belief_change(key, b.assumption, b.from_, b.to)}"))
    if x.kind is Resolvable.ASSUMPTION:
        moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})")
    _saved(r, out)


def undo_view(r: UndoResult, out: Out, key: Key) -> None:
    con = std_console(out)
    u = r.undid
    con.print(T(f"undid {u.by}'s {u.kind} (line {u.line}, {u.at[:16].replace('T', ' ')}): {event_text(u)}"))
    moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})")
    _saved(r, out)


def adopt_view(r: AdoptResult, out: Out, key: Key) -> None:
    con = std_console(out)
    con.print(T(f"{r.register.identity} now replays the events of: {', '.join(r.adopted)}"))
    moves_table(con, key, r.moves, f"Risks that moved ({len(r.moves)})", "no risk moved")
    _saved(r, out)


def verify_view(r: VerifyResult, out: Out, key: Key) -> None:
    con = std_console(out)
    if r.ok:
        line = Text()
        line.append("ok", style="bold green")
        line.append(f": {clean(r.journal, one_line=True)}: {r.lines} lines; {r.chained} chained")
        if r.unchained:
            line.append(f", {r.unchained} from before the hash chain (not verifiable)")
        con.print(line, soft_wrap=True)
    for b in r.breaks:
        out.error(f"{r.journal}:{b.line}: {break_text(b)}")
    if r.merged:
        out.note(
            "each break is where another writer's lines begin: a merged journal, whose chains "
            "journal verify --merged checks apart"
        )
    if r.kept is not None and r.kept.line is None:
        out.error(
            f"{r.journal}: the head you kept ({r.kept.hash}) is no line of this journal: it was cut short "
            "before that line, or a line up to it was rewritten"
        )
    elif r.kept is not None and r.ok:
        con.print(
            T(f"the head you kept is line {r.kept.line}: lines up to it are as they were when you kept it"),
            soft_wrap=True,
        )
    if r.head:
        con.print(
            T(
                f"head: {r.head}  (line {r.head_line}; keep it elsewhere: riskcli journal verify --head HASH)",
                style="dim",
            ),
            soft_wrap=True,
        )


def head_view(r: HeadResult, out: Out, key: Key) -> None:
    if r.head is None:
        out.note(f"{r.journal} has no lines yet: no head")
        return
    out.stdout.write(f"{r.head}\n")
    out.stdout.flush()
    out.note(f"line {r.line} of {r.journal}; later: riskcli journal verify --head {r.head}")


# --------------------------------------------------------------------------- prompts


def scales_help(out: Out, key: Key) -> None:
    """Shown before prompting for a score: both scales, on stderr."""
    err = err_console(out)
    for kind, levels in (("Likelihood", key.likelihood), ("Impact", key.impact)):
        t = Table(
            box=box.SIMPLE,
            title=Text(f"{kind} scale", style="bold"),
            title_justify="left",
            show_header=False,
            expand=True,
        )
        t.add_column(justify="right", no_wrap=True)
        t.add_column(no_wrap=True, style="bold")
        t.add_column(no_wrap=True)
        t.add_column(ratio=1)
        for lv in levels:
            t.add_row(
                str(lv.value), T(lv.name, one_line=True), band_range(lv.low, lv.high), T(lv.description, one_line=True)
            )
        err.print(fit(err, t, {3: 20}))
    if key.likelihood and all(lv.low is not None for lv in key.likelihood):
        err.print(
            T(
                "Likelihood also takes an ICD 203 phrase (e.g. 'very likely') or a probability (30%). Enter keeps the current value; q stops.",
                style="dim",
            )
        )


def assumption_help(out: Out, key: Key, a: Assumption, belief: float, words: Words) -> None:
    """Shown before prompting for a belief: the assumption, its evidence, its belief now and the
    words riskcli understands."""
    err = err_console(out)
    head = Text()
    head.append(clean(a.id, one_line=True), style="bold")
    head.append("  " + clean(a.statement, one_line=True, limit=1000), style="bold")
    err.print(head)
    if a.evidence:
        err.print(Padding(T(f"evidence: “{a.evidence}”", style="italic"), (0, 0, 0, 2)))
    if a.rationale:
        err.print(Padding(T(f"rationale: {a.rationale}"), (0, 0, 0, 2)))
    err.print(T(f"  now: belief {belief_meaning(key, a.id, belief)}"))
    said = ", ".join(f"{w} ({fmt_belief(b)})" for w, b in words.beliefs)
    err.print(
        T(
            f"Give {said}, an ICD 203 phrase (e.g. 'very likely', 'roughly even chance'), a number from 0 "
            "to 1 or a percentage. Enter keeps the belief; q stops.",
            style="dim",
        )
    )


def risk_help(out: Out, key: Key, risk: Risk, current: Score) -> None:
    """Shown before prompting for one risk's score: the risk, its evidence and where it stands."""
    err = err_console(out)
    head = Text()
    head.append(clean(risk.id, one_line=True), style="bold")
    head.append("  " + clean(risk.title, one_line=True, limit=1000), style="bold")
    err.print(head)
    if risk.evidence:
        err.print(Padding(T(f"evidence: “{risk.evidence}”", style="italic"), (0, 0, 0, 2)))
    if risk.rationale:
        err.print(Padding(T(f"rationale: {risk.rationale}"), (0, 0, 0, 2)))
    cur = Text(
        f"  now: likelihood {fmt_level(current.likelihood)}, impact {fmt_level(current.impact)}, cell {_cell(current)} "
    )
    cur.append_text(band_text(current.rating, key, err))
    err.print(cur)
