"""The Typer app: thin commands that parse options, call the core and hand results to render."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from riskcli import __version__
from riskcli.model import Register, RegisterError, RiskcliError, UserError


# Global options that take a value; they may also be written after the command name.
_GLOBAL_VALUE_OPTIONS = ("--register", "-r", "--rules", "--journal", "--analyst", "--scenario", "--what-if")


def _hoist_global_options(args: list[str]) -> list[str]:
    """Move global options written after the command (``riskcli matrix --register X``) to the
    front, where the group parses them. Everything after ``--`` is left alone."""
    i = 0
    while i < len(args):  # find the command name
        a = args[i]
        if a in _GLOBAL_VALUE_OPTIONS:
            i += 2
        elif a.startswith("-"):
            i += 1
        else:
            break
    if i >= len(args):
        return args
    head, rest, moved = args[: i + 1], [], []
    j = i + 1
    while j < len(args):
        a = args[j]
        if a == "--":
            rest.extend(args[j:])
            break
        if a in _GLOBAL_VALUE_OPTIONS:
            if j + 1 >= len(args):
                raise UserError(f"option {a!r} requires a value")
            moved.extend(args[j : j + 2])
            j += 2
            continue
        if any(a.startswith(o + "=") for o in _GLOBAL_VALUE_OPTIONS if o.startswith("--")) or (
            a.startswith("-r") and len(a) > 2 and not a.startswith("--")
        ):
            moved.append(a)
        else:
            rest.append(a)
        j += 1
    # Options after the command keep their order after those before it (a repeated
    # --what-if applies in the order written; a later --register wins).
    return head[:-1] + moved + head[-1:] + rest


class _Group(TyperGroup):
    """Turns riskcli's own errors into one clear line each and their exit code, in one place,
    and accepts the global options after the command name too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _hoist_global_options(list(args)))

    def main(self, args: Any = None, prog_name: Any = None, complete_var: Any = None, standalone_mode: bool = True, **extra: Any) -> Any:
        """Usage mistakes (unknown options, bad or missing values) get one line and exit 2."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        from typer._click import exceptions as cx

        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except cx.NoArgsIsHelpError as e:  # plain `riskcli`: the help, as asked for
            sys.stdout.write(e.format_message() + "\n")
            sys.exit(0)
        except cx.UsageError as e:
            from riskcli import render

            hint = f" (see '{e.ctx.command_path} --help')" if e.ctx is not None else ""
            render.error(e.format_message().replace("\n", " ") + hint)
            sys.exit(e.exit_code)
        except cx.ClickException as e:
            from riskcli import render

            render.error(e.format_message())
            sys.exit(e.exit_code)
        except RiskcliError as e:  # raised while parsing, before any command runs
            from riskcli import render

            for line in e.lines():
                render.error(line)
            sys.exit(e.exit_code)
        except typer.Abort:
            sys.stderr.write("\naborted; nothing recorded\n")
            sys.exit(1)
        except OSError as e:  # e.g. stdout closed, a disk full
            from riskcli import render

            render.error(f"{e.strerror or e}")
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except RiskcliError as e:
            from riskcli import render

            for line in e.lines():
                render.error(line)
            ctx.exit(e.exit_code)
        except BrokenPipeError:  # e.g. `riskcli list --all | head`
            _silence_broken_pipe()
            ctx.exit(0)


def _silence_broken_pipe() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    cls=_Group,
    name="riskcli",
    help=(
        "Keep a living risk assessment in the terminal.\n\n"
        "riskcli reads a YAML risk register (the embedded default is distilled from an essay on "
        "North Korea sending troops to Russia), scores likelihood and impact, links risks to the "
        "assumptions they rest on, and prints the likelihood × impact matrix.\n\n"
        "Examples:\n\n"
        "\b\n"
        "  riskcli matrix\n"
        "  riskcli list --actor ROK --min-rating high\n"
        "  riskcli assume A7 fails --why 'Moscow keeps its distance'\n"
        "  riskcli init mine.yaml && riskcli matrix --register mine.yaml\n\n"
        "Global options (--register, --rules, --journal, --analyst, --scenario, --what-if) may "
        "come before or after the command name."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@dataclass
class Options:
    register: Optional[Path]
    rules: Optional[Path]
    journal: Optional[Path]
    analyst: Optional[str]
    scenario: Optional[str] = None
    what_if: tuple[str, ...] = ()
    hypothesis: Optional[dict[str, Any]] = None  # set once a hypothetical view is applied

    def view(self, reg: Register, state: Any) -> Any:
        """The state to show: ``state`` under --scenario and --what-if, clearly labelled."""
        from riskcli import render, scoring

        if self.scenario is None and not self.what_if:
            return state
        said: list[str] = []
        if self.scenario is not None:
            state = scoring.scenario_state(reg, state, self.scenario)
            sc = next(x for x in reg.scenarios if x.id.lower() == self.scenario.strip().lower())
            said.append(f"scenario {sc.id}")
            scenario_id = sc.id
        else:
            scenario_id = None
        if self.what_if:
            state, moves, warnings = scoring.what_if(reg, state, self.what_if)
            for w in warnings:
                render.warn(w)
        else:
            moves = []
        said.extend(moves)
        label = "HYPOTHETICAL — " + "; ".join(said) + " (nothing is recorded)"
        self.hypothesis = {"scenario": scenario_id, "what_if": moves}
        render.set_banner(label)
        if not render.is_terminal():  # on a terminal the banner heads the output already
            render.note(label)
        return state

    def refuse_hypothetical(self, command: str, records: bool = True) -> None:
        if self.scenario is not None or self.what_if:
            if records:
                raise UserError(f"{command} records to the journal; --scenario and --what-if are for read commands only")
            raise UserError(
                f"--scenario and --what-if do not apply to {command}; use them with list, show, "
                "assumptions, matrix, explain or responses"
            )

    def tag(self, data: dict[str, Any]) -> dict[str, Any]:
        """Mark JSON output that shows a hypothetical state."""
        if self.hypothesis is not None:
            data["hypothetical"] = self.hypothesis
        return data

    def load(self) -> Register:
        from riskcli import register

        return register.load(self.register, self.rules)

    def journal_path(self, reg: Register) -> Path:
        from riskcli import journal

        path = journal.default_path(reg, self.journal)
        if not reg.embedded and _same_file(path, Path(reg.path)):
            raise UserError(f"the journal {path} is the register itself; give another --journal")
        return path

    def current(self) -> tuple[Register, Any, Any]:
        """The register, its journal and the replayed state (warnings go to stderr)."""
        from riskcli import journal, render

        reg = self.load()
        j = journal.read(self.journal_path(reg))
        rp = journal.replay(reg, j.events)
        for w in [*j.warnings, *rp.warnings]:
            render.warn(w)
        return reg, j, rp

    @property
    def who(self) -> str:
        from riskcli import journal

        return journal.analyst_name(self.analyst)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"riskcli {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    register: Annotated[
        Optional[Path],
        typer.Option("--register", "-r", envvar="RISKCLI_REGISTER", help="Register file to read (default: the embedded register).", show_default=False),
    ] = None,
    rules: Annotated[
        Optional[Path],
        typer.Option("--rules", envvar="RISKCLI_RULES", help="Rules file (scales and rating grid), or a CISO Assistant risk-matrix library.", show_default=False),
    ] = None,
    journal: Annotated[
        Optional[Path],
        typer.Option("--journal", envvar="RISKCLI_JOURNAL", help="Assessment journal (default: beside the register).", show_default=False),
    ] = None,
    analyst: Annotated[
        Optional[str],
        typer.Option("--analyst", envvar="RISKCLI_ANALYST", help="Who is recording (default: your login name).", show_default=False),
    ] = None,
    scenario: Annotated[
        Optional[str],
        typer.Option("--scenario", help="Show the state under a scenario of the register (read commands).", show_default=False),
    ] = None,
    what_if: Annotated[
        Optional[list[str]],
        typer.Option("--what-if", help="Show the state as if: A2=fails, I3 (observed), M1 (applied). Repeatable; nothing is recorded.", show_default=False),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Options(register, rules, journal, analyst, scenario, tuple(what_if or ()))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _opts(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    assert isinstance(obj, Options)
    return obj


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]


def _unknown(kind: str, ident: str, known: list[str]) -> UserError:
    import difflib

    close = difflib.get_close_matches(ident, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    listing = ", ".join(known[:20]) + (" …" if len(known) > 20 else "")
    return UserError(f"unknown {kind} {ident!r}{hint} (known: {listing or 'none'})")


# --------------------------------------------------------------------------- list


@app.command("list")
def list_(
    ctx: typer.Context,
    actor: Annotated[Optional[str], typer.Option("--actor", help="Only risks borne by this actor (id or name).")] = None,
    category: Annotated[Optional[str], typer.Option("--category", help="Only risks in this category.")] = None,
    min_rating: Annotated[Optional[str], typer.Option("--min-rating", help="Only risks rated at least this band (e.g. high).")] = None,
    limit: Annotated[Optional[int], typer.Option("--limit", "-n", min=1, help="How many risks to show [default: 50; all with --json].", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", "-a", help="Show every risk.")] = False,
    json_: JsonOpt = False,
) -> None:
    """List risks, highest rated first (ranked by unrounded likelihood × impact).

    Shows the top 50 on a terminal; --all shows every one. Piped output is one tab-separated
    line per risk, for grep, cut and sort. --json prints every matching risk.

    Examples:

    \b
      riskcli list
      riskcli list --actor ROK --min-rating high
      riskcli list --all | cut -f2,6
    """
    from riskcli import render, scoring
    from riskcli.rules import normalise

    opts = _opts(ctx)
    reg, _, rp = opts.current()
    scored = scoring.score_all(reg, opts.view(reg, rp.state))
    filtered = False
    if actor is not None:
        key = normalise(actor)
        ids = {a.id for a in reg.actors if normalise(a.id) == key or normalise(a.name) == key}
        known_actors = sorted({a for r in reg.risks for a in r.actors} | {a.id for a in reg.actors})
        if not ids:
            ids = {a for a in known_actors if normalise(a) == key}
        if not ids:
            raise _unknown("actor", actor, known_actors)
        scored = [s for s in scored if ids.intersection(s.risk.actors)]
        filtered = True
    if category is not None:
        key = normalise(category)
        cats = sorted({r.category for r in reg.risks if r.category})
        if not any(normalise(c) == key for c in cats):
            raise _unknown("category", category, cats)
        scored = [s for s in scored if normalise(s.risk.category) == key]
        filtered = True
    if min_rating is not None:
        rating = reg.rules.rating
        key = normalise(min_rating)
        band = next((b for b in rating.bands if normalise(b.id) == key or normalise(b.name) == key), None)
        if band is None:
            raise _unknown("rating", min_rating, [b.id for b in rating.bands])
        floor = rating.rank(band.id)
        ranks = {b.id: i for i, b in enumerate(rating.bands)}
        scored = [s for s in scored if ranks[s.band.id] >= floor]
        filtered = True
    rows = scoring.ranked(scored)
    if all_:
        limit = None
    elif limit is None and not json_:
        limit = 50
    shown = rows if limit is None else rows[:limit]
    if json_:
        data = {
            "register": render.register_json(reg),
            "count": len(rows),
            "shown": len(shown),
            "risks": [render.scored_json(reg, s, i) for i, s in enumerate(shown, 1)],
        }
        render.print_json(opts.tag(data))
        return
    numbered = list(enumerate(shown, 1))
    if not render.is_terminal():
        render.list_plain(numbered, sys.stdout)
        return
    render.list_table(reg, numbered, len(rows), len(rows) - len(shown), filtered)
    _warn_clamped(shown)


# --------------------------------------------------------------------------- show


def _lookup(kind: str, items: Any, ident: str) -> Any:
    """The item with this id (exact, else case-insensitive), or a UserError listing valid ids."""
    from riskcli import scoring

    for x in items:
        if x.id == ident:
            return x
    found = scoring.find(items, ident)
    if found is None:
        raise _unknown(kind, ident, [x.id for x in items])
    return found


def _risk(reg: Register, ident: str) -> Any:
    return _lookup("risk", reg.risks, ident)


@app.command()
def show(
    ctx: typer.Context,
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk's id, e.g. R3.")],
    json_: JsonOpt = False,
) -> None:
    """Show one risk: its score, rationale, evidence, drivers and the responses that move it.

    Examples:

    \b
      riskcli show R14
      riskcli show R14 --json
    """
    from riskcli import render, scoring

    opts = _opts(ctx)
    reg, _, rp = opts.current()
    risk = _risk(reg, risk_id)
    state = opts.view(reg, rp.state)
    s = scoring.score_risk(reg, risk, state)
    history = [ev for ev in rp.active if ev.kind == "score" and ev.data["risk"] == risk.id]
    if json_:
        data = render.risk_json(reg, s, state)
        data["history"] = [render.event_json(ev, rp.undone) for ev in history]
        render.print_json(opts.tag({"register": render.register_json(reg), "risk": data}))
        return
    render.show_risk(reg, s, history, state)


# --------------------------------------------------------------------------- assumptions


@app.command()
def assumptions(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Key Assumptions Check: each assumption, its belief, its label and the risks resting on it.

    A belief is the probability that the assumption holds. Labels: solid (≥ 0.8),
    caveated (0.5–0.8), unsupported (< 0.5).

    Examples:

    \b
      riskcli assumptions
      riskcli assumptions --json
    """
    from riskcli import render

    opts = _opts(ctx)
    reg, _, rp = opts.current()
    beliefs = dict(opts.view(reg, rp.state).beliefs)
    if json_:
        render.print_json(opts.tag({
            "register": render.register_json(reg),
            "assumptions": [render.assumption_json(reg, a, beliefs[a.id]) for a in reg.assumptions],
        }))  # fmt: skip
        return
    render.assumptions_table(reg, beliefs)


# --------------------------------------------------------------------------- matrix


def _operand(reg: Register, current: Any, text: str) -> tuple[str, Any]:
    """A state to compare: baseline, current, a scenario name or a what-if set (A2=fails,M1)."""
    from riskcli import scoring

    key = text.strip().lower()
    if key == "baseline":
        return "baseline", scoring.baseline_state(reg)
    if key == "current":
        return "current", current
    if any(sc.id.lower() == key for sc in reg.scenarios):
        sc = next(x for x in reg.scenarios if x.id.lower() == key)
        return f"scenario {sc.id}", scoring.scenario_state(reg, current, sc.id)
    try:
        state, said, warnings = scoring.what_if(reg, current, [text])
    except UserError as e:
        scenarios = ", ".join(x.id for x in reg.scenarios) or "none"
        raise UserError(
            f"{text!r} is not baseline, current, a scenario (the register has: {scenarios}) or a what-if set: {e}"
        ) from None
    from riskcli import render

    for w in warnings:
        render.warn(w)
    return "what-if " + ", ".join(said), state


@app.command()
def matrix(
    ctx: typer.Context,
    compare: Annotated[Optional[str], typer.Option("--compare", help="Mark what moved since: baseline, current, a scenario or a what-if set (A2=fails,M1).", show_default=False)] = None,
    residual: Annotated[bool, typer.Option("--residual", help="With the responses applied in the journal (the default).")] = False,
    inherent: Annotated[bool, typer.Option("--inherent", help="As if no response were applied.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The likelihood × impact heat map: risk ids in their cells, band colours, counts.

    Rows are likelihood (highest at the top), columns impact. Within a cell, ids are ranked by
    their unrounded score. The matrix shows the current state: the register's baseline with the
    journal's scores, beliefs and applied responses (the residual view); --inherent leaves the
    responses out. --compare X marks every risk that moved since X and lists the moves.

    Examples:

    \b
      riskcli matrix
      riskcli matrix --compare baseline
      riskcli matrix --inherent
      riskcli matrix --what-if A7=fails --compare current
      NO_COLOR=1 riskcli matrix > matrix.txt
    """
    from riskcli import render, scoring

    if residual and inherent:
        raise UserError("give --residual or --inherent, not both")
    opts = _opts(ctx)
    reg, _, rp = opts.current()
    state = opts.view(reg, rp.state)
    view = "likelihood × impact"
    if inherent:
        state = scoring.inherent(state)
        view += ", inherent (no responses applied)"
    elif state.applied:
        view += f", residual (responses applied: {', '.join(sorted(state.applied))})"
    scored = scoring.score_all(reg, state)
    m = scoring.matrix(reg, scored)
    counts = scoring.band_counts(reg, scored)
    mv = label = None
    if compare is not None:
        label, from_state = _operand(reg, rp.state, compare)
        mv = scoring.moves(reg, scoring.score_all(reg, from_state), scored, from_state, state)
    if json_:
        data = render.matrix_json(reg, m, counts)
        data["view"] = "inherent" if inherent else "residual"
        if mv is not None:
            data["compare"] = {"from": label, "moves": [render.move_json(x) for x in mv]}
        render.print_json(opts.tag(data))
        return
    marks = None
    if mv is not None:
        marks = {x.risk.id: ("↑" if x.delta > 0 else "↓") if x.cell_changed else "•" for x in mv}
        view += f", compared with {label}"
    render.matrix_table(reg, m, counts, view, marks)
    if mv is not None:
        render.moves_table(reg, mv, f"Moves since {label}", f"nothing has moved since {label}")
    _warn_clamped(scored)


def _warn_clamped(scored: Any) -> None:
    """Coherence: a score pinned at an end of its scale hides how far the model pushes it."""
    from riskcli import render

    pinned = [s for s in scored if s.clamped]
    for s in pinned[:5]:
        render.warn(f"{s.risk.id}: score is clamped ({'; '.join(s.clamped)}); see riskcli explain {s.risk.id}")
    if len(pinned) > 5:
        render.warn(f"{len(pinned) - 5} more risks have clamped scores")


@app.command()
def compare(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(metavar="FROM", help="baseline, current, a scenario, or a what-if set such as A2=fails,M1.")],
    b: Annotated[str, typer.Argument(metavar="TO", help="The same forms as FROM.")] = "current",
    json_: JsonOpt = False,
) -> None:
    """Compare two states: the moves table and the TO matrix with movement markers.

    FROM and TO are each: baseline (the register alone), current (with the journal), the id of
    one of the register's scenarios (applied to the current state), or a what-if set
    (A2=fails, I3 for an indicator observed, M1 for a response applied; comma-separated).

    Examples:

    \b
      riskcli compare baseline current
      riskcli compare current dprk-china-rupture
      riskcli compare current A7=fails,M2
    """
    from riskcli import render, scoring

    opts = _opts(ctx)
    opts.refuse_hypothetical("compare (give the what-if set as FROM or TO)", records=False)
    reg, _, rp = opts.current()
    label_a, state_a = _operand(reg, rp.state, a)
    label_b, state_b = _operand(reg, rp.state, b)
    before, after = scoring.score_all(reg, state_a), scoring.score_all(reg, state_b)
    mv = scoring.moves(reg, before, after, state_a, state_b)
    if json_:
        render.print_json({"from": label_a, "to": label_b, "moves": [render.move_json(x) for x in mv]})
        return
    marks = {x.risk.id: ("↑" if x.delta > 0 else "↓") if x.cell_changed else "•" for x in mv}
    render.matrix_table(reg, scoring.matrix(reg, after), scoring.band_counts(reg, after), f"{label_b}, compared with {label_a}", marks)
    render.moves_table(reg, mv, f"Moves from {label_a} to {label_b} ({len(mv)})", f"nothing moves from {label_a} to {label_b}")


# --------------------------------------------------------------------------- validate


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[Optional[Path], typer.Argument(help="Register to check (default: --register, else the embedded one).", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Check a register: every problem is reported as FILE:LINE:COL: message; exit 2 if any.

    Also warns (without failing) where the model looks strained: drivers that move a risk the
    same way whether their assumption holds or fails, and evidence quotes not found in the
    register's source text.

    Examples:

    \b
      riskcli validate mine.yaml
      riskcli validate mine.yaml --json
    """
    from riskcli import register, render, scoring

    opts = _opts(ctx)
    opts.refuse_hypothetical("validate", records=False)
    target = path if path is not None else opts.register
    try:
        reg = register.load(target, opts.rules)
    except RiskcliError as e:
        if json_:
            problems = e.problems if isinstance(e, RegisterError) else [None]
            render.print_json({"valid": False, "problems": [
                {"file": p.file, "line": p.line, "column": p.col, "message": p.message} if p is not None
                else {"file": str(target) if target else None, "line": None, "column": None, "message": str(e)}
                for p in problems
            ]})  # fmt: skip
            raise typer.Exit(e.exit_code) from None
        raise
    warnings = scoring.coherence(reg)
    extra = register.evidence_warnings(reg)
    if json_:
        render.print_json({
            "valid": True, "register": render.register_json(reg),
            "counts": {"risks": len(reg.risks), "assumptions": len(reg.assumptions),
                       "indicators": len(reg.indicators), "responses": len(reg.responses),
                       "scenarios": len(reg.scenarios)},
            "warnings": [f"{w.ref}: {w.message}" for w in warnings] + list(extra),
        })  # fmt: skip
        return
    render.validate_ok(reg, warnings, extra)


# --------------------------------------------------------------------------- init


@app.command()
def init(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the starter register.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a small, commented starter register that validates.

    Examples:

    \b
      riskcli init mine.yaml
      riskcli matrix --register mine.yaml
    """
    from riskcli import register, render

    _opts(ctx).refuse_hypothetical("init", records=False)
    register.write_starter(path, force=force)
    render.note(f"wrote {path}; next: riskcli validate {path} && riskcli matrix --register {path}")


# --------------------------------------------------------------------------- score


def _ask_level(reg: Register, kind: str, current: float) -> tuple[float, str | None] | None:
    """Prompt until the answer parses; Enter keeps ``current``. None at end of input."""
    from riskcli import render
    from riskcli.rules import parse_level

    scale = reg.rules.likelihood if kind == "likelihood" else reg.rules.impact
    shown = render.fmt_level(current)
    if abs(current - round(current)) < 1e-9:
        shown += " " + render.clean(scale.level(int(round(current))).name, one_line=True)
    while True:
        answer = render.prompt(f"{kind.capitalize()} [{shown}]: ")
        if answer is None:
            return None
        if not answer.strip():
            return current, None
        if answer.strip().lower() in ("q", "quit"):
            raise _Quit
        try:
            parsed = parse_level(scale, reg.rules.words, answer)
        except UserError as e:
            render.error(str(e))
            continue
        return float(parsed.value), parsed.echo()


class _Quit(Exception):
    pass


def _record_score(opts: Options, reg: Register, risk: Any, likelihood: float, impact: float, why: str, echoes: list[str], json_: bool) -> dict[str, Any]:
    from riskcli import journal, render, scoring

    path = opts.journal_path(reg)
    with journal.Writer(path) as w:
        rp = journal.replay(reg, w.read().events)
        before = scoring.score_risk(reg, risk, rp.state)
        ev = journal.new_event("score", opts.who, why, risk=risk.id, likelihood=likelihood, impact=impact)
        w.append(ev)
    after_state = scoring.State(
        rp.state.beliefs,
        {**rp.state.scores, risk.id: scoring.AnalystScore(likelihood, impact, dict(rp.state.beliefs), ev["by"], ev["at"], why, rp.state.applied)},
        rp.state.applied,
    )
    after = scoring.score_risk(reg, risk, after_state)
    if not json_:
        render.scored_change(reg, before, after, echoes)
    return {"event": ev["id"], "journal": str(path), **render.move_json(scoring.Move(risk, before, after))}


@app.command()
def score(
    ctx: typer.Context,
    risk_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="The risk to score (or --all).", show_default=False)] = None,
    likelihood: Annotated[Optional[str], typer.Option("--likelihood", "-l", help="1–5, a level name, an ICD 203 phrase or a probability.", show_default=False)] = None,
    impact: Annotated[Optional[str], typer.Option("--impact", "-i", help="1–5 or a level name.", show_default=False)] = None,
    why: Annotated[Optional[str], typer.Option("--why", "-w", help="Your rationale, kept in the journal.", show_default=False)] = None,
    all_: Annotated[bool, typer.Option("--all", help="Walk every risk in turn (Enter keeps a value, q stops).")] = False,
    json_: JsonOpt = False,
) -> None:
    """Record your own likelihood and impact for a risk, with why.

    Values missing from the options are asked for, showing the scale and the risk's evidence
    (Enter keeps the current value); when input is not a terminal, a value not given keeps its
    current value. A score holds for the beliefs and responses in force when
    you give it: later changes to them move it from there. It prints the risk's old and new cell.

    Examples:

    \b
      riskcli score R3 --likelihood "very likely" --impact major --why "casualty reports"
      riskcli score R3
      riskcli score --all
    """
    from riskcli import render, scoring
    from riskcli.rules import parse_level

    opts = _opts(ctx)
    opts.refuse_hypothetical("score")
    reg, _, rp = opts.current()
    if all_:
        if risk_id is not None or likelihood is not None or impact is not None:
            raise UserError("score --all walks every risk: give no ID, --likelihood or --impact with it")
        render.scales_table(reg)
        results = []
        try:
            for n, risk in enumerate(reg.risks, 1):
                rp_now = rp if not results else _replayed(opts, reg)
                cur = scoring.score_risk(reg, risk, rp_now.state)
                render.note(f"\n[{n}/{len(reg.risks)}]")
                render.scale_help(reg, risk, cur)
                got_l = _ask_level(reg, "likelihood", cur.likelihood)
                got_i = _ask_level(reg, "impact", cur.impact) if got_l is not None else None
                if got_l is None or got_i is None:
                    break
                if got_l[1] is None and got_i[1] is None:
                    continue
                reason = why if why is not None else (render.prompt("Why (optional): ") or "")
                echoes = [e for e in (got_l[1], got_i[1]) if e]
                results.append(_record_score(opts, reg, risk, got_l[0], got_i[0], reason, echoes, json_))
        except _Quit:
            pass
        if json_:
            render.print_json({"scored": results})
        render.note(f"recorded {len(results)} score{'s' if len(results) != 1 else ''} in {opts.journal_path(reg)}")
        return
    if risk_id is None:
        raise UserError("give a risk ID to score (e.g. riskcli score R3), or --all")
    risk = _risk(reg, risk_id)
    cur = scoring.score_risk(reg, risk, rp.state)
    echoes: list[str] = []
    new_l = new_i = None
    if likelihood is not None:
        p = parse_level(reg.rules.likelihood, reg.rules.words, likelihood)
        new_l, _ = float(p.value), echoes.append(p.echo())
    if impact is not None:
        p = parse_level(reg.rules.impact, reg.rules.words, impact)
        new_i, _ = float(p.value), echoes.append(p.echo())
    if (new_l is None) != (new_i is None) and not sys.stdin.isatty():
        # One value given and nobody at a terminal to ask: the other keeps its current value.
        new_l = cur.likelihood if new_l is None else new_l
        new_i = cur.impact if new_i is None else new_i
    if new_l is None or new_i is None:
        render.scales_table(reg)
        render.scale_help(reg, risk, cur)
        try:
            for kind in ("likelihood", "impact"):
                if (new_l if kind == "likelihood" else new_i) is not None:
                    continue
                got = _ask_level(reg, kind, cur.likelihood if kind == "likelihood" else cur.impact)
                if got is None:
                    raise UserError(f"no {kind} given (end of input); pass --{kind}")
                if got[1]:
                    echoes.append(got[1])
                if kind == "likelihood":
                    new_l = got[0]
                else:
                    new_i = got[0]
        except _Quit:
            render.note("stopped; nothing recorded")
            raise typer.Exit(0) from None
        if why is None:
            why = render.prompt("Why (optional): ") or ""
    assert new_l is not None and new_i is not None
    if abs(new_l - cur.likelihood) < 1e-9 and abs(new_i - cur.impact) < 1e-9 and not echoes:
        render.note("no change; nothing recorded")
        return
    result = _record_score(opts, reg, risk, new_l, new_i, why or "", echoes, json_)
    if json_:
        render.print_json(result)
    render.note(f"saved to {result['journal']}")


def _replayed(opts: Options, reg: Register) -> Any:
    from riskcli import journal

    return journal.replay(reg, journal.read(opts.journal_path(reg)).events)


# --------------------------------------------------------------------------- assume


def _assumption(reg: Register, ident: str) -> Any:
    return _lookup("assumption", reg.assumptions, ident)


def _apply(opts: Options, reg: Register, make_event: Any) -> tuple[Any, Any, list[Any], dict[str, Any]]:
    """Append an event under the lock; return the states before and after and what moved."""
    from riskcli import journal, scoring
    from riskcli.model import Event

    path = opts.journal_path(reg)
    with journal.Writer(path) as w:
        events = w.read().events
        before = journal.replay(reg, events)
        ev = make_event(events, before)
        if ev is None:  # nothing to record, decided under the lock
            return before, before, [], None
        w.append(ev)
    data = {k: v for k, v in ev.items() if k not in ("v", "id", "at", "by", "kind", "why")}
    after = journal.replay(reg, [*events, Event(0, ev["id"], ev["at"], ev["by"], ev["kind"], data, ev.get("why", ""))])
    mv = scoring.moves(reg, scoring.score_all(reg, before.state), scoring.score_all(reg, after.state), before.state, after.state)
    return before, after, mv, ev


@app.command(context_settings={"ignore_unknown_options": True})  # so that VALUE may be "-0.1"
def assume(
    ctx: typer.Context,
    assumption_id: Annotated[str, typer.Argument(metavar="ID", help="The assumption, e.g. A2.")],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="holds, fails, uncertain, an ICD 203 phrase, 0–1 or a percentage.")],
    why: Annotated[Optional[str], typer.Option("--why", "-w", help="Your rationale, kept in the journal.", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Set your belief that an assumption holds, and see every risk that moves.

    The belief is the probability the assumption holds. Each risk that rests on it moves by the
    difference of its drivers' expected shifts; the table lists them, biggest move first.

    Examples:

    \b
      riskcli assume A7 fails --why "Russia refuses technology transfer"
      riskcli assume A3 "very likely"
      riskcli assume A5 35%
    """
    from riskcli import journal, render
    from riskcli.rules import parse_belief

    opts = _opts(ctx)
    opts.refuse_hypothetical("assume")
    reg = opts.load()
    a = _assumption(reg, assumption_id)
    parsed = parse_belief(reg.rules.words, value)
    before, after, mv, ev = _apply(
        opts, reg,
        lambda events, _: journal.new_event("belief", opts.who, why or "", assumption=a.id, belief=float(parsed.value), said=parsed.said),
    )  # fmt: skip
    old, new = before.state.beliefs[a.id], after.state.beliefs[a.id]
    if json_:
        render.print_json({
            "event": ev["id"], "journal": str(opts.journal_path(reg)), "assumption": a.id,
            "belief": {"from": old, "to": new}, "moved": [render.move_json(m) for m in mv],
        })  # fmt: skip
    else:
        render.belief_moved(reg, a.id, old, new)
        render.console().print(render.T(f"  understood: {parsed.echo()}", style="dim"))
        render.moves_table(reg, mv, f"Risks that moved ({len(mv)})")
    render.note(f"saved to {opts.journal_path(reg)}")


# --------------------------------------------------------------------------- explain


@app.command()
def explain(ctx: typer.Context, risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk, e.g. R14.")], json_: JsonOpt = False) -> None:
    """Every contribution to a risk's current score, adding up on screen.

    The start is the register's baseline, or your latest score for the risk; then each driver's
    shift from the beliefs at that start to the beliefs now; then applied responses; the sum is
    clamped to the scale and rounded to a cell.

    Examples:

    \b
      riskcli explain R14
      riskcli explain R14 --json
    """
    from riskcli import render, scoring

    opts = _opts(ctx)
    reg, _, rp = opts.current()
    e = scoring.explain(reg, _risk(reg, risk_id), opts.view(reg, rp.state))
    if json_:
        render.print_json(opts.tag(render.explain_json(reg, e)))
        return
    render.explain(reg, e)


# --------------------------------------------------------------------------- history and undo


@app.command()
def history(
    ctx: typer.Context,
    risk: Annotated[Optional[str], typer.Option("--risk", help="Only events about this risk.", show_default=False)] = None,
    assumption: Annotated[Optional[str], typer.Option("--assumption", help="Only events about this assumption.", show_default=False)] = None,
    analyst_: Annotated[Optional[str], typer.Option("--by", help="Only events recorded by this analyst.", show_default=False)] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only events at or after: a date (2025-01-31), a date-time (UTC unless given), today, yesterday, or 7d / 12h ago.", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """The journal as a table: who changed what, when and why. Undone events are marked.

    --risk R3 lists every event that moved R3: its scores, the beliefs of the assumptions it
    rests on, the observations that set them and the responses that act on it.

    Examples:

    \b
      riskcli history
      riskcli history --risk R14
      riskcli history --by alice --since 2025-01-01 --json
      riskcli history --since 7d
    """
    from riskcli import journal, render

    opts = _opts(ctx)
    opts.refuse_hypothetical("history", records=False)
    reg, j, rp = opts.current()
    if risk is not None:
        risk = _risk(reg, risk).id
    if assumption is not None:
        assumption = _assumption(reg, assumption).id
    when = journal.parse_since(since) if since is not None else None
    events = list(journal.iter_filtered(j.events, risk, assumption, analyst_, when, reg))
    if json_:
        render.print_json({"journal": str(j.path), "events": [render.event_json(ev, rp.undone) for ev in events]})
        return
    filtered = any(x is not None for x in (risk, assumption, analyst_, since))
    render.history_table(reg, events, rp.undone, str(j.path), j.events, filtered)


@app.command()
def undo(
    ctx: typer.Context,
    why: Annotated[Optional[str], typer.Option("--why", "-w", help="Why you are undoing it.", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Revert the last event still in force by appending its inverse; nothing is deleted.

    Run it again to step further back. The undone event stays in the journal, marked in history.

    Examples:

    \b
      riskcli undo
      riskcli undo --why "entered against the wrong risk"
    """
    from riskcli import journal, render

    opts = _opts(ctx)
    opts.refuse_hypothetical("undo")
    reg = opts.load()
    target: list[Any] = []

    def make(events: list[Any], _: Any) -> dict[str, Any]:
        last = journal.last_undoable(events)
        if last is None:
            raise UserError(f"nothing to undo in {opts.journal_path(reg)}")
        target.append(last)
        return journal.new_event("undo", opts.who, why or "", undoes=last.id)

    _, _, mv, ev = _apply(opts, reg, make)
    what = render.describe_event(reg, target[0])
    if json_:
        render.print_json({"event": ev["id"], "journal": str(opts.journal_path(reg)), "undid": render.event_json(target[0], {target[0].id}), "moved": [render.move_json(m) for m in mv]})
    else:
        render.console().print(render.T(f"undid {target[0].kind} (line {target[0].line}): {what}"))
        render.moves_table(reg, mv, f"Risks that moved ({len(mv)})")
    render.note(f"saved to {opts.journal_path(reg)}")


# --------------------------------------------------------------------------- indicators


def _indicator(reg: Register, ident: str) -> Any:
    return _lookup("indicator", reg.indicators, ident)


@app.command()
def indicators(
    ctx: typer.Context,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only indicators overdue for review.")] = False,
    json_: JsonOpt = False,
) -> None:
    """The watchlist: what to watch, which assumptions each bears on, and which are overdue.

    An indicator is due for review every `review_every` days (from the register, else the
    rules' default) after it was last observed — or, if never observed, after the register's
    as_of date. "A3 ↑0.80" means observing it sets A3's belief to 0.80, up from its baseline.

    Examples:

    \b
      riskcli indicators
      riskcli indicators --overdue
      riskcli observe I2 --why "casualty figures published"
    """
    from datetime import datetime, timezone

    from riskcli import render, scoring

    opts = _opts(ctx)
    opts.refuse_hypothetical("indicators", records=False)
    reg, _, rp = opts.current()
    last: dict[str, str] = {}
    for ev in rp.active:
        if ev.kind == "observe":
            last[ev.data["indicator"]] = ev.at
    today = datetime.now(timezone.utc).date()
    rows = []
    for ind in reg.indicators:
        rv = scoring.review(reg, ind, last.get(ind.id), today)
        if overdue and not rv.overdue:
            continue
        rows.append({
            "indicator": ind, "every": rv.every, "last": rv.last, "due": rv.due, "overdue": rv.overdue,
            "status": rv.status, "bears_on": ", ".join(f"{a} {arrow}{b:.2f}" for a, b, arrow in scoring.bears_on(reg, ind)) or "—",
        })  # fmt: skip
    if json_:
        render.print_json({
            "register": render.register_json(reg),
            "indicators": [{
                "id": r["indicator"].id, "title": r["indicator"].title, "watch": r["indicator"].watch or None,
                "evidence": r["indicator"].evidence or None, "review_every": r["every"], "last_observed": r["last"],
                "due": r["due"], "overdue": r["overdue"],
                "updates": [{"assumption": a, "belief": b, "direction": {"↑": "up", "↓": "down", "=": "same"}[arrow]}
                            for a, b, arrow in scoring.bears_on(reg, r["indicator"])],
            } for r in rows],
        })  # fmt: skip
        return
    if not rows and overdue:
        render.note("no indicator is overdue for review")
        return
    render.indicators_table(reg, rows)


@app.command()
def observe(
    ctx: typer.Context,
    indicator_id: Annotated[str, typer.Argument(metavar="ID", help="The indicator, e.g. I2.")],
    why: Annotated[Optional[str], typer.Option("--why", "-w", help="What you saw, kept in the journal.", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Record that an indicator was observed: its belief updates apply, and the moves are shown.

    Undo it like any other event with `riskcli undo`.

    Examples:

    \b
      riskcli observe I2 --why "casualty figures published"
      riskcli observe I2 --json
    """
    from riskcli import journal, render

    opts = _opts(ctx)
    opts.refuse_hypothetical("observe")
    reg = opts.load()
    ind = _indicator(reg, indicator_id)
    if not ind.updates:
        render.warn(f"{ind.id} updates no assumption; recording the observation only")
    before, after, mv, ev = _apply(opts, reg, lambda events, _: journal.new_event("observe", opts.who, why or "", indicator=ind.id))
    changes = [
        (u.assumption, before.state.beliefs[u.assumption], after.state.beliefs[u.assumption]) for u in ind.updates
    ]
    if json_:
        render.print_json({
            "event": ev["id"], "journal": str(opts.journal_path(reg)), "indicator": ind.id,
            "beliefs": [{"assumption": a, "from": x, "to": y} for a, x, y in changes],
            "moved": [render.move_json(m) for m in mv],
        })  # fmt: skip
    else:
        out = render.console()
        out.print(render.T(f"{ind.id} observed: {ind.title}", style="bold"))
        for a, x, y in changes:
            render.belief_moved(reg, a, x, y, indent="  ")
        render.moves_table(reg, mv, f"Risks that moved ({len(mv)})")
    render.note(f"saved to {opts.journal_path(reg)}")


# --------------------------------------------------------------------------- responses


@app.command()
def responses(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """The responses in the register: their effects, side effects, and whether applied.

    Examples:

    \b
      riskcli responses
      riskcli respond M2 --apply --why "agreed in cabinet"
      riskcli matrix --what-if M5 --compare current
    """
    from riskcli import render

    opts = _opts(ctx)
    reg, _, rp = opts.current()
    state = opts.view(reg, rp.state)
    if json_:
        render.print_json(opts.tag({"register": render.register_json(reg), "responses": [render.response_json(m, state.applied) for m in reg.responses]}))
        return
    render.responses_table(reg, state.applied)


@app.command()
def respond(
    ctx: typer.Context,
    response_id: Annotated[str, typer.Argument(metavar="ID", help="The response, e.g. M2.")],
    apply_: Annotated[bool, typer.Option("--apply", help="Apply the response (the default).")] = False,
    withdraw: Annotated[bool, typer.Option("--withdraw", help="Withdraw a response applied earlier.")] = False,
    why: Annotated[Optional[str], typer.Option("--why", "-w", help="The decision's rationale, kept in the journal.", show_default=False)] = None,
    json_: JsonOpt = False,
) -> None:
    """Record a decision to apply (or withdraw) a response; its effects and side effects show.

    Preview first, without recording anything: riskcli matrix --what-if M2 --compare current

    Examples:

    \b
      riskcli respond M2 --apply --why "agreed in cabinet"
      riskcli respond M2 --withdraw
    """
    from riskcli import journal, render

    if apply_ and withdraw:
        raise UserError("give --apply or --withdraw, not both")
    apply = not withdraw
    opts = _opts(ctx)
    opts.refuse_hypothetical("respond")
    reg = opts.load()
    resp = _lookup("response", reg.responses, response_id)

    def make(events: list[Any], before: Any) -> dict[str, Any] | None:
        if (resp.id in before.state.applied) == apply:  # checked under the lock
            return None
        return journal.new_event("respond", opts.who, why or "", response=resp.id, applied=apply)

    _, _, mv, ev = _apply(opts, reg, make)
    if ev is None:
        if json_:
            render.print_json({"event": None, "journal": str(opts.journal_path(reg)), "response": resp.id, "applied": apply, "moved": []})
        render.note(f"{resp.id} is already {'applied' if apply else 'not applied'}; nothing recorded")
        return
    if json_:
        render.print_json({"event": ev["id"], "journal": str(opts.journal_path(reg)), "response": resp.id, "applied": apply, "moved": [render.move_json(m) for m in mv]})
    else:
        render.console().print(render.T(f"{resp.id} {'applied' if apply else 'withdrawn'}: {resp.title}", style="bold"))
        render.moves_table(reg, mv, f"Risks that moved ({len(mv)})")
    render.note(f"saved to {opts.journal_path(reg)}")


# --------------------------------------------------------------------------- diff


@app.command("diff")
def diff_(
    ctx: typer.Context,
    old: Annotated[Path, typer.Argument(help="The earlier register.")],
    new: Annotated[Path, typer.Argument(help="The later register.")],
    exit_code: Annotated[bool, typer.Option("--exit-code", help="Exit 1 if the registers differ (for scripts and CI).")] = False,
    json_: JsonOpt = False,
) -> None:
    """What changed between two versions of a register: risks added, removed, re-scored
    (baseline cell and rating), and changed assumptions, drivers and text.

    Examples:

    \b
      riskcli diff old.yaml new.yaml
      git show HEAD~1:register.yaml > /tmp/old.yaml && riskcli diff /tmp/old.yaml register.yaml
      riskcli diff old.yaml new.yaml --json
      riskcli diff --exit-code old.yaml new.yaml || echo "the register changed"
    """
    from riskcli import diff, register, render

    opts = _opts(ctx)
    opts.refuse_hypothetical("diff", records=False)
    a = register.load(old, opts.rules)
    b = register.load(new, opts.rules)
    d = diff.diff(a, b)
    if json_:
        render.print_json(render.diff_json(a, b, d))
    else:
        render.diff_view(a, b, d)
    if exit_code and not d.empty:
        raise typer.Exit(1)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="riskcli")
