"""Keeping the assessment: score, assume, undo, history, and the journal itself."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from riskcli.cli.app import JsonOpt, WhyOpt, app, command
from riskcli.cli.common import Call, begin
from riskcli.cli.completion import (
    complete_assumptions,
    complete_beliefs,
    complete_resolutions,
    complete_resolvable,
    complete_risks,
)

if TYPE_CHECKING:  # imported where used: nothing beyond Typer loads before a command runs
    from riskcli.model import Confidence, Risk
    from riskcli.results.shapes.events import ScoreResult
    from riskcli.rules import Parsed

TERMINAL_EVENTS = 50  # events a terminal shows unless asked for more

# --------------------------------------------------------------------------- score


def _score_one(
    c: Call, risk: Risk, given: dict[str, Parsed], why: str | None, ask: bool, confidence: Confidence | None = None
) -> ScoreResult | None:
    """Ask for what was not given (when ``ask``), then record; None when nothing changed."""
    from riskcli import scoring
    from riskcli.cli.prompts import ask_confidence, ask_level, ask_why
    from riskcli.render.journal import risk_help
    from riskcli.results import actions

    rules = c.s.reg.rules
    cur = scoring.score_risk(c.s.reg, risk, c.s.state)
    if ask:
        from riskcli.results.convert import score

        risk_help(c.out, c.key, risk, score(cur))
        for kind, scale, now in (
            ("likelihood", rules.likelihood, cur.likelihood),
            ("impact", rules.impact, cur.impact),
        ):
            if kind not in given:
                got = ask_level(c.out, scale, rules.words, now)
                if got is not None:
                    given[kind] = got
        if not given:
            return None
        if why is None:
            why = ask_why(c.out)
        if confidence is None:
            confidence = ask_confidence(c.out)
    lk = float(given["likelihood"].value) if "likelihood" in given else cur.likelihood
    im = float(given["impact"].value) if "impact" in given else cur.impact
    return actions.score(c.req, c.s, risk, lk, im, why or "", given, confidence)


@command()
def score(
    ctx: typer.Context,
    risk_id: Annotated[
        str | None,
        typer.Argument(
            metavar="ID", help="The risk to score (or --all).", show_default=False, autocompletion=complete_risks
        ),
    ] = None,
    likelihood: Annotated[
        str | None,
        typer.Option(
            "--likelihood",
            "-l",
            metavar="LEVEL",
            help="1–5, a level name, an ICD 203 phrase or a probability.",
            show_default=False,
        ),
    ] = None,
    impact: Annotated[
        str | None, typer.Option("--impact", "-i", metavar="LEVEL", help="1–5 or a level name.", show_default=False)
    ] = None,
    why: WhyOpt = None,
    confidence: Annotated[
        str | None,
        typer.Option(
            "--confidence",
            "-c",
            metavar="low|moderate|high",
            help="Your analytic confidence (ICD 203).",
            show_default=False,
        ),
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Walk every risk in turn (Enter keeps a value, q stops).")
    ] = False,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Answer the prompts from standard input when it is not a terminal.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Record your own likelihood and impact for a risk, with why.

    Values not given as options are asked for at the terminal, showing both scales and the
    risk's evidence (Enter keeps the current value; Ctrl-C or Ctrl-D cancel), then why and your
    confidence unless given (Enter skips either). When standard input
    is not a terminal, nothing is read from it unless --stdin says so, and a value not given keeps
    its current value. A score holds for the beliefs and responses in force when you give it:
    later changes to them move it from there.

    Examples:

    \b
      riskcli score R3 --likelihood "very likely" --impact major --why "casualty reports"
      riskcli score R3
      riskcli score --all
      printf '4\\n3\\nreports\\n' | riskcli score R3 --stdin
    """
    from riskcli.cli.prompts import Cancelled, Quit
    from riskcli.model import UserError
    from riskcli.results import session
    from riskcli.rules import parse_level

    c = begin(ctx, "score", records=True)
    rules = c.s.reg.rules
    interactive = sys.stdin.isatty() or stdin
    if all_:
        if risk_id is not None or likelihood is not None or impact is not None:
            raise UserError("score --all walks every risk: give no ID, --likelihood or --impact with it")
        if not interactive:
            raise UserError(
                "score --all asks at the terminal; standard input is not one (use --stdin to answer from it)"
            )
        _score_all(c, why, json_, _confidence(confidence))
        return
    if risk_id is None:
        raise UserError("give a risk ID to score (e.g. riskcli score R3), or --all")
    waiting = session.not_assessed(c.s.reg, risk_id)
    if waiting is not None:
        _assess(c, waiting.id, likelihood, impact)
    risk = session.lookup_risk(c.s.reg, risk_id)
    given: dict[str, Parsed] = {}
    if likelihood is not None:
        given["likelihood"] = parse_level(rules.likelihood, rules.words, likelihood)
    if impact is not None:
        given["impact"] = parse_level(rules.impact, rules.words, impact)
    if not given and not interactive:
        raise UserError(
            "give --likelihood and/or --impact (standard input is not a terminal; --stdin answers the prompts from it)"
        )
    ask = interactive and len(given) < 2
    if ask:
        from riskcli.render.journal import scales_help

        scales_help(c.out, c.key)
    try:
        result = _score_one(c, risk, given, why, ask, _confidence(confidence))
    except Quit:
        c.out.note("stopped; nothing recorded")
        return
    except Cancelled as e:
        raise typer.Exit(e.code) from None
    if result is None:
        c.out.note("no change; nothing recorded")
        return
    c.emit(result, json_)


def _assess(c: Call, risk_id: str, likelihood: str | None, impact: str | None) -> None:
    """A risk not yet assessed is assessed by scoring it: the levels given become its levels in the
    register (its baseline), then the score is recorded as any other."""
    from riskcli.model import UserError
    from riskcli.results import edit, session

    if likelihood is None or impact is None:
        raise UserError(
            f"{risk_id} is not yet assessed: give both --likelihood and --impact to assess it "
            "(they are written in the register as its levels, and the score recorded)"
        )
    reg = edit.assess(c.req, risk_id, likelihood, impact)
    c.s = session.open_session(c.req, reg, quick=True)
    c.out.note(f"{risk_id} was not yet assessed: its likelihood and impact are written in {c.req.register}")


def _confidence(text: str | None) -> Confidence | None:
    from riskcli.model import Confidence, UserError

    if text is None:
        return None
    try:
        return Confidence(text.strip().lower())
    except ValueError:
        raise UserError(f"--confidence {text!r}: give low, moderate or high (ICD 203 analytic confidence)") from None


def _score_all(c: Call, why: str | None, json_: bool, conf: Confidence | None = None) -> None:
    from riskcli.cli.prompts import Cancelled, Quit
    from riskcli.render.journal import scales_help
    from riskcli.results import session
    from riskcli.results.convert import register_info
    from riskcli.results.shapes.events import ScoreAllResult

    scales_help(c.out, c.key)
    done: list[ScoreResult] = []
    risks = c.s.reg.risks
    code = 0
    for n, risk in enumerate(risks, 1):
        if done:
            c.s = session.open_session(c.req, c.s.reg, quick=True)  # the state after the last score
        c.out.note(f"\n[{n}/{len(risks)}]")
        try:
            result = _score_one(c, risk, {}, why, True, conf)
        except Quit:
            break
        except Cancelled as e:
            code = e.code
            break
        if result is not None:
            done.append(result)
            if not json_:
                from riskcli.render.journal import score_change

                score_change(result, c.out, c.key, risk.title)
    summary = ScoreAllResult(register=register_info(c.s.reg), journal=str(c.s.location.path), scored=tuple(done))
    c.emit(summary, json_)
    if code:
        raise typer.Exit(code)


# --------------------------------------------------------------------------- assume


@command(context_settings={"ignore_unknown_options": True})  # so that VALUE may be "-0.1"
def assume(
    ctx: typer.Context,
    assumption_id: Annotated[
        str, typer.Argument(metavar="ID", help="The assumption, e.g. A2.", autocompletion=complete_assumptions)
    ],
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="VALUE",
            help="holds, fails, uncertain, an ICD 203 phrase, 0–1 or a percentage (asked for when left out).",
            show_default=False,
            autocompletion=complete_beliefs,
        ),
    ] = None,
    why: WhyOpt = None,
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Answer the prompts from standard input when it is not a terminal.")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Set your belief that an assumption holds, and see every risk that moves.

    The belief is the probability the assumption holds. Each risk that rests on it moves by the
    difference of its drivers' expected shifts; the table lists them, biggest move first. The
    same belief again records nothing. Without VALUE it is asked for at the terminal, showing the
    assumption, its belief now and the words riskcli understands (Enter keeps the belief; Ctrl-C
    or Ctrl-D cancel); standard input that is not a terminal is read only with --stdin.

    Examples:

    \b
      riskcli assume A7 fails --why "Russia refuses technology transfer"
      riskcli assume A3 "very likely"
      riskcli assume A5 35%
      riskcli assume A5
    """
    from riskcli.model import UserError
    from riskcli.results import actions

    c = begin(ctx, "assume", records=True)
    if value is None:
        from riskcli.results.session import lookup

        assumption_id = lookup("assumption", c.s.reg.assumptions, assumption_id).id
        if not (sys.stdin.isatty() or stdin):
            raise UserError(
                f"give a belief for {assumption_id} (holds, fails, uncertain, an ICD 203 phrase, 0–1 or a "
                "percentage); standard input is not a terminal (--stdin answers the prompts from it)"
            )
        value, why = _ask_belief(c, assumption_id, why)
        if value is None:
            return
    c.emit(actions.assume(c.req, c.s, assumption_id, value, why or ""), json_)


def _ask_belief(c: Call, assumption_id: str, why: str | None) -> tuple[str | None, str | None]:
    """The belief (as typed) and why, asked at the terminal; no belief when Enter keeps it or q stops."""
    from riskcli.cli.prompts import Cancelled, Quit, ask_belief, ask_why
    from riskcli.render.journal import assumption_help

    a = c.s.reg.assumption_by_id[assumption_id]
    now = c.s.state.beliefs[a.id]
    words = c.s.reg.rules.words
    assumption_help(c.out, c.key, a, now, words)
    try:
        answer = ask_belief(c.out, words, now)
        if answer is None:
            c.out.note("no change; nothing recorded")
            return None, why
        return answer, why if why is not None else ask_why(c.out)
    except Quit:
        c.out.note("stopped; nothing recorded")
        return None, why
    except Cancelled as e:
        raise typer.Exit(e.code) from None


# --------------------------------------------------------------------------- resolve


@command()
def resolve(
    ctx: typer.Context,
    item_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="The risk or assumption, e.g. R3 or A7.", autocompletion=complete_resolvable),
    ],
    outcome: Annotated[
        str,
        typer.Argument(
            metavar="OUTCOME",
            help="A risk: occurred or did-not-occur. An assumption: held or failed.",
            autocompletion=complete_resolutions,
        ),
    ],
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="DATE",
            help="The day it happened, or was settled (YYYY-MM-DD; default: today, UTC).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", metavar="TEXT", help="Who or what reports it.", show_default=False),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Record what happened: a risk occurred or did not, an assumption held or failed.

    A resolved risk leaves the live matrix and the ranking (they list it apart, with its outcome)
    and enters the track record (riskcli calibration). A resolved assumption is a fact the model
    of belief keeps — held is belief 1, failed 0, as hard evidence — so the risks resting on it
    re-score, the assumptions linked to it follow, and no later belief moves it. An item is
    resolved once; to correct a resolution, undo it (riskcli undo) and resolve again.

    Examples:

    \b
      riskcli resolve R3 occurred --on 2025-03-01 --source Reuters --why "troops deployed to Kursk"
      riskcli resolve R7 did-not-occur --on 2025-06-30 --why "the horizon passed"
      riskcli resolve A7 failed --on 2025-02-10 --why "Moscow declined the transfer"
      riskcli undo --why "resolved the wrong risk"
    """
    from riskcli.model import Resolution, UserError
    from riskcli.results import actions

    word = "-".join(outcome.strip().lower().replace("_", " ").split())
    try:
        what = Resolution(word)
    except ValueError:
        raise UserError(
            f"resolve {item_id} {outcome!r}: give occurred or did-not-occur (a risk), held or failed (an assumption)"
        ) from None
    c = begin(ctx, "resolve", records=True)
    c.emit(actions.resolve(c.req, c.s, item_id, what, why or "", on=on, source=source), json_)


@command()
def calibration(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """The track record: every judgement of every resolved item, scored.

    For each risk and assumption resolved (riskcli resolve), every judgement made before the
    resolution — the register's baseline, each analyst score, each belief set — is scored against
    what happened: the Brier and log scores, averaged over each judgement's life and at 30, 90 and
    180 days before, per analyst and overall, beside always saying the base rate and the register's
    baseline alone. A likelihood level counts as the midpoint of its probability band. Then a
    reliability table (each band's judgements against how often they came true, with a 95%
    interval) and, for resolved assumptions, how often each signpost was seen when they held and
    when they failed, beside the ratios the register claims. --as-of DATE scores the record as it
    stood then.

    Examples:

    \b
      riskcli calibration
      riskcli calibration --as-of 2025-12-31
      riskcli calibration --json | jq '.forecasters[] | {forecaster, brier}'
    """
    from riskcli.results.record import calibration_of

    c = begin(ctx, "calibration", records=False)
    c.emit(calibration_of(c.req, c.s), json_)


# --------------------------------------------------------------------------- undo and history


@command()
def undo(
    ctx: typer.Context,
    event: Annotated[
        str | None,
        typer.Argument(
            metavar="EVENT",
            help="An event id or line number from history (default: the last event in force).",
            show_default=False,
        ),
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Your own last event in force, not anyone's.")] = False,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Revert an event by appending its inverse; nothing is deleted.

    With no EVENT, the last event still in force (anyone's; --mine for your own). Run it again
    to step further back. Naming an undo event re-applies what it undid. The undone event stays
    in the journal, marked in history.

    Examples:

    \b
      riskcli undo
      riskcli undo --mine --why "entered against the wrong risk"
      riskcli undo 12
    """
    from riskcli.model import UserError
    from riskcli.results import actions

    if event is not None and mine:
        raise UserError("give an EVENT or --mine, not both")
    c = begin(ctx, "undo", records=True)
    c.emit(actions.undo(c.req, c.s, event, mine=mine, why=why or ""), json_)


@command()
def history(
    ctx: typer.Context,
    risk: Annotated[
        str | None, typer.Option("--risk", metavar="ID", help="Only events that moved this risk.", show_default=False)
    ] = None,
    assumption: Annotated[
        str | None,
        typer.Option("--assumption", metavar="ID", help="Only events about this assumption.", show_default=False),
    ] = None,
    analyst_: Annotated[
        str | None,
        typer.Option("--by", metavar="NAME", help="Only events recorded by this analyst.", show_default=False),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Only events at or after: a date (2025-01-31), a date-time, today, yesterday (all UTC, as the journal's times, unless a zone is given), or 7d / 12h ago.",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option("--limit", "-n", metavar="N", min=1, help="Only the latest N events.", show_default=False),
    ] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Every event on a terminal too.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The journal: who changed what, when and why. Undone events are marked.

    On a terminal it shows the latest 50 events as a table (--all for every one); piped, every
    event as one tab-separated line. --risk R3 lists every event that moved R3: its scores, the
    beliefs of the assumptions it rests on, the observations that bear on them and the responses that
    act on it.

    Examples:

    \b
      riskcli history
      riskcli history --risk R14
      riskcli history --by alice --since 2025-01-01 --json
      riskcli history --since 7d | cut -f2,4,5
    """
    from riskcli.journal import parse_since
    from riskcli.results import actions

    c = begin(ctx, "history", records=False)
    when = parse_since(since) if since is not None else None
    cut = limit is None and not all_ and not json_ and c.out.terminal
    r = actions.history(
        c.req, c.s, risk=risk, assumption=assumption, by=analyst_, since=when, limit=TERMINAL_EVENTS if cut else limit
    )
    c.emit(r, json_)


# --------------------------------------------------------------------------- the journal itself

JOURNAL_HELP = "Global options (--register, --journal, …) may be given here too; see 'riskcli --help'."

journal_app = typer.Typer(
    name="journal",
    help="The journal itself: verify its hash chain, print its head, or adopt one from another register.",
    epilog=JOURNAL_HELP,
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(journal_app)


@journal_app.command("verify", epilog=JOURNAL_HELP)
def journal_verify(
    ctx: typer.Context,
    head: Annotated[
        str | None,
        typer.Option(
            "--head",
            metavar="HASH",
            help="A head you kept (riskcli journal head): fail unless the journal still holds that line, "
            "with every chained line before it unchanged.",
            show_default=False,
        ),
    ] = None,
    merged: Annotated[
        bool,
        typer.Option(
            "--merged",
            help="A merged journal (journal merge, or git's merge=union): check each writer's chain apart.",
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Walk the journal's hash chain (exit 1 where it breaks).

    Each event records the hash of the line before it. verify finds a line that was edited,
    deleted, inserted or reordered, and an event added without a hash after the chain began,
    as long as the lines after it were left as they were. It cannot find what a hash without a
    key cannot show: lines cut off the end, or an edit followed by recomputing every later hash
    (anyone can). Against both, keep the head (riskcli journal head) somewhere else: --head
    HASH fails when the journal no longer holds that line exactly, with the lines before it.
    Events written before the chain existed (a leading run) are counted but cannot be checked.

    A merged journal interleaves several writers' lines, each naming the line before it in its own
    writer's journal: --merged checks that every line named is in the file unchanged, chain by
    chain, and lists each chain's last line (its head); order between writers is not checked
    (the replay reads none).

    Examples:

    \b
      riskcli journal verify
      riskcli journal head > kept-head.txt
      riskcli journal verify --head "$(cat kept-head.txt)"
      riskcli --register mine.yaml journal verify --json
      riskcli --journal team.jsonl journal verify --merged
    """
    from riskcli.results import actions, team

    c = begin(ctx, "journal verify", records=False, chain=False, dated=False)
    if merged:
        m = team.verify_merged(c.req, c.s, head)
        c.emit(m, json_)
        if not m.ok:
            raise typer.Exit(1)
        return
    r = actions.verify(c.req, c.s, head)
    c.emit(r, json_)
    if not r.ok:
        raise typer.Exit(1)


@journal_app.command("merge", epilog=JOURNAL_HELP)
def journal_merge(
    ctx: typer.Context,
    journals: Annotated[list[Path], typer.Argument(metavar="JOURNAL...", help="Two journals or more.")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", metavar="PATH", help="Where to write the merged journal.", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace PATH if it exists (never an input).")] = False,
    json_: JsonOpt = False,
) -> None:
    """Merge a team's journals into one: every event once, and what came from where.

    The lines of the first journal, then those of each next one not already there (an event
    found twice, by its id, is taken once), each line kept byte for byte so that each writer's
    hash chain stays verifiable (journal verify --merged). Every view replays events by time,
    never by line, so the merged journal gives the state of all their events together. The
    output is written atomically and never over an input, the register or the journal read.
    Git can do the same on every merge: a line "*.journal.jsonl merge=union" in .gitattributes.

    Examples:

    \b
      riskcli journal merge alice.jsonl bob.jsonl -o team.jsonl
      riskcli --journal team.jsonl journal verify --merged
      riskcli --journal team.jsonl disagreements
    """
    from riskcli.results import team

    c = begin(ctx, "journal merge", records=False, dated=False)
    c.emit(team.merge(c.req, c.s, journals, output, force=force), json_)


@journal_app.command("head", epilog=JOURNAL_HELP)
def journal_head(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Print the journal's head: the hash of its last line, to keep somewhere else.

    The head covers every chained line up to it. Kept where the journal's writers cannot change
    it (a ticket, a message, a signed commit), it lets riskcli journal verify --head HASH show
    later that the journal was neither cut short before that line nor rewritten up to it.

    Examples:

    \b
      riskcli journal head
      riskcli journal head >> ~/kept-heads.txt
      riskcli --register mine.yaml journal head --json
    """
    from riskcli.results import actions

    c = begin(ctx, "journal head", records=False, dated=False)
    c.emit(actions.head(c.req, c.s), json_)


@journal_app.command("adopt", epilog=JOURNAL_HELP)
def journal_adopt(
    ctx: typer.Context,
    source: Annotated[
        str | None,
        typer.Argument(
            metavar="REGISTER",
            help="The register whose events to take over (default: the one other register in the journal).",
            show_default=False,
        ),
    ] = None,
    why: WhyOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Take over a journal recorded against another register: after renaming or copying a register,
    its history carries on.

    A journal belongs to the register it was recorded against (its id, else its file name), and
    another register refuses it. Adopting records that this register now replays those events.

    Examples:

    \b
      mv old.yaml new.yaml && mv old.journal.jsonl new.journal.jsonl
      riskcli --register new.yaml journal adopt
    """
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import actions
    from riskcli.results.session import open_session

    req = ctx.find_root().obj
    req.refuse_hypothetical("journal adopt", records=True)
    req.refuse_as_of("journal adopt", records=True)
    s = open_session(req, bind=False)  # no binding check: that is the point
    out = Out.open()
    for note in s.current.line_notes:
        out.warn(note)
    Call(req, s, out, Key.of(s.reg.rules)).emit(actions.adopt(req, s, source, why or ""), json_)
