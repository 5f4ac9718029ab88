"""The Typer app: global options, the commands' table, and the one place where errors become exit codes.

Commands live in the modules named by ``COMMANDS`` (``read``: list, show, matrix, …; ``record``:
score, assume, …). Each parses its options, calls one function of ``riskcli.results`` and hands
the result to ``riskcli.render.emit``. The console script imports only the module of the
command it runs (``just_the_command``); the group's help, an unknown command and shell
completion import them all (``whole_app``).
"""

from __future__ import annotations

import contextlib
import copy
import errno
import sys
from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperGroup

from riskcli import __version__
from riskcli.cli.completion import complete_moves, complete_scenarios, use_riskcli_bash
from riskcli.model import Combine, RegisterError, RiskcliError
from riskcli.records import frozen
from riskcli.results.request import Request

# Global options that take a value; they may also be written after the command name.
GLOBAL_VALUE_OPTIONS = (
    "--register", "-r", "--rules", "--journal", "--analyst", "--scenario", "--what-if", "--as-of", "--combine",
)  # fmt: skip
GLOBAL_FLAGS = ("--indent",)  # global options that take no value
GLOBAL_HELP = (
    "Global options (--register/-r, --rules, --journal, --analyst, --scenario, --what-if, --as-of, --combine, --indent) "
    "may be given before or after the command name; see 'riskcli --help'."
)


def _value_options(command: Any) -> set[str]:
    """The option names of a command that take a value (so that the value is never moved)."""
    names: set[str] = set()
    for p in getattr(command, "params", ()):
        if (
            getattr(p, "param_type_name", "") == "option"
            and not getattr(p, "is_flag", False)
            and not getattr(p, "count", False)
        ):
            names.update(p.opts)
            names.update(p.secondary_opts)
    return names


def command_position(args: Sequence[str]) -> int | None:
    """Where the command name is in ``args`` (after the global options and their values), if any."""
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            return None
        if a in GLOBAL_VALUE_OPTIONS:
            i += 2
        elif a.startswith("-"):
            i += 1
        else:
            return i
    return None


def _glued_global(a: str) -> bool:
    """A global option and its value in one token: ``--register=x.yaml``, ``-rx.yaml``."""
    glued = any(a.startswith(o + "=") for o in GLOBAL_VALUE_OPTIONS if o.startswith("--"))
    return glued or (a.startswith("-r") and len(a) > 2 and not a.startswith("--"))


@frozen
class _At:
    command: Any  # the command named (a group's subcommand when one follows), None if unknown
    names: list[str]  # the command's name, and its subcommand's
    between: list[str]  # global options written between a group and its subcommand
    end: int  # where the command's own arguments start


def _command_at(args: Sequence[str], i: int, lookup: Callable[[str], Any]) -> _At:
    """The command named at ``args[i]``: for a group, the subcommand that follows it, past any
    global options written in between (``riskcli journal -r x.yaml adopt``)."""
    command = lookup(args[i])
    if command is not None and hasattr(command, "get_command"):  # a group: its subcommand's options count
        j = i + 1
        between: list[str] = []
        while j < len(args):
            if args[j] in GLOBAL_VALUE_OPTIONS and j + 1 < len(args):
                between += args[j : j + 2]
                j += 2
            elif _glued_global(args[j]):
                between.append(args[j])
                j += 1
            else:
                break
        if j < len(args) and not args[j].startswith("-"):
            return _At(command.get_command(None, args[j]), [args[i], args[j]], between, j + 1)
    return _At(command, [args[i]], [], i + 1)


def hoist_global_options(args: Sequence[str], lookup: Callable[[str], Any], completing: bool = False) -> list[str]:
    """Move global options written after the command (``riskcli matrix --register X``) to the
    front, where the group parses them. Only tokens in option position move: the value of a
    command's own option (``--why -rough``) stays with it, and everything after ``--`` is left.
    ``completing`` (shell completion): a last global option still without its value ends the
    arguments, so that the group completes its value."""
    args = list(args)
    i = command_position(args)
    if i is None:
        return args
    at = _command_at(args, i, lookup)
    keep = _value_options(at.command)
    rest: list[str] = []
    moved = list(at.between)
    j = at.end
    while j < len(args):
        a = args[j]
        if a == "--":
            rest.extend(args[j:])
            break
        if a in keep:  # a command option and its value, whatever the value looks like
            rest.extend(args[j : j + 2])
            j += 2
            continue
        if a in GLOBAL_VALUE_OPTIONS:
            if j + 1 >= len(args):
                if completing:
                    return args[:i] + moved + [a]
                raise typer.BadParameter(f"option {a!r} requires a value")
            moved.extend(args[j : j + 2])
            j += 2
            continue
        (moved if _glued_global(a) or a in GLOBAL_FLAGS else rest).append(a)
        j += 1
    # Options after the command keep their order after those before it (a repeated
    # --what-if applies in the order written; a later --register wins).
    return args[:i] + moved + at.names + rest


def _json_wanted(args: Sequence[str], lookup: Callable[[str], Any]) -> bool:
    """Whether the command prints JSON (--json, or --format json): its errors are JSON too. An
    option's value is not a flag: ``--why --json`` gives "--json" as the reason."""
    i = command_position(args)
    values = set(GLOBAL_VALUE_OPTIONS)
    if i is not None:
        values |= _value_options(_command_at(args, i, lookup).command)
    j = 0
    while j < len(args):
        a, after = args[j], args[j + 1] if j + 1 < len(args) else ""
        if a == "--":
            return False
        if a in ("--json", "--format=json", "-fjson") or (a in ("--format", "-f") and after == "json"):
            return True
        j += 2 if a in values else 1
    return False


class _Group(TyperGroup):
    """riskcli's own errors become one clear line each (or a JSON object with --json) and their
    exit code, in one place; global options are accepted after the command name too; ``--help``
    lists the commands by their help panel, in the order a newcomer needs them."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        hoisted = hoist_global_options(args, lambda name: self.get_command(ctx, name), ctx.resilient_parsing)
        return super().parse_args(ctx, hoisted)

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except typer.TyperException as e:  # no such command: say what was meant, if anything was
            hint = suggestion(args[0], list(self.commands)) if args else None
            if hint is not None and hasattr(e, "message"):
                e.message = f"No such command {args[0]!r}. {hint}"
            raise

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        panels: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is None or cmd.hidden:
                continue
            panel = getattr(cmd, "rich_help_panel", None) or PANEL_OF.get(name, OTHER_PANEL)
            summary = SUMMARIES.get(name) or cmd.get_short_help_str(limit=1000)  # whole, never cut with …
            panels.setdefault(panel, []).append((name, summary))
        width = max((len(name) for rows in panels.values() for name, _ in rows), default=0)
        for panel in [*HELP_PANELS, OTHER_PANEL]:
            rows = sorted(panels.get(panel, ()), key=lambda row: ORDER.get(row[0], len(ORDER)))
            if rows:
                with formatter.section(panel):  # the names padded alike, so that every panel lines up
                    formatter.write_dl([(name.ljust(width), summary) for name, summary in rows])

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        args = list(sys.argv[1:] if args is None else args)
        use_riskcli_bash()
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **extra)
        from riskcli.render.streams import Out

        _tolerant_streams()
        out = Out.open()
        json_mode = _json_wanted(args, lambda name: self.get_command(None, name))  # type: ignore[arg-type]
        indent = "--indent" in args[: args.index("--")] if "--" in args else "--indent" in args
        try:
            rv = super().main(args or ["--help"], prog_name, complete_var, False, windows_expand_args, **extra)
        except RiskcliError as e:
            _fail(out, e, json_mode, indent=indent)
            sys.exit(e.exit_code)
        except typer.Abort:
            out.note("\ncancelled")
            sys.exit(1)
        except typer.TyperException as e:  # usage mistakes: unknown options, bad or missing values
            code = int(getattr(e, "exit_code", 2))
            ctx = getattr(e, "ctx", None)
            hint = f" (see '{ctx.command_path} --help')" if ctx is not None and code == 2 else ""
            _fail(out, _plain_choice(e.format_message().replace("\n", " ")) + hint, json_mode, code, indent)
            sys.exit(code)
        except BrokenPipeError:  # e.g. `riskcli list --all | head`
            from riskcli.render.console import quiet_stdout

            quiet_stdout()
            sys.exit(0)
        except OSError as e:  # e.g. a full disk while writing output
            if e.errno == errno.EPIPE:
                sys.exit(0)
            _fail(out, f"{e.strerror or e}", json_mode, 1, indent)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)


def _plain_choice(message: str) -> str:
    """A value that is none of an option's choices, said as riskcli's own options say it
    (``--status 'x' is not one of open, …``): Typer's message names the converter ("Value error")
    and quotes each choice."""
    import re

    m = re.fullmatch(
        r"Invalid value for '(-[^']+)'(?: / '[^']+')*: Value error, (['\"].*['\"]) is not one of (.+?)\.?", message
    )
    if m is None:
        return message
    choices = ", ".join(c.strip().strip("'") for c in m.group(3).split(","))
    return f"{m.group(1)} {m.group(2)} is not one of {choices}"


def _tolerant_streams() -> None:
    """An ASCII or Latin-1 terminal (PYTHONIOENCODING) gets '?' for what it cannot show, never a
    traceback."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change stays as it is
                reconfigure(errors="replace")


def _fail(out: Any, error: RiskcliError | str, json_mode: bool, code: int = 2, indent: bool = False) -> None:
    from riskcli.render import emit_error
    from riskcli.results.shapes.checks import ProblemView
    from riskcli.results.shapes.errors import ErrorInfo

    if isinstance(error, RegisterError):
        problems = tuple(ProblemView(p.file, p.line, p.col, p.message) for p in error.problems)
        first = error.problems[0] if error.problems else None
        info = ErrorInfo(
            error.exit_code,
            first.message if first else str(error),
            first.file if first else None,
            first.line if first else None,
            first.col if first else None,
            problems,
        )
    elif isinstance(error, RiskcliError):
        info = ErrorInfo(error.exit_code, str(error), None, None, None, ())
    else:
        info = ErrorInfo(code, error, None, None, None, ())
    emit_error(info, out, json=json_mode, indent=indent)


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
        "Global options (--register, --rules, --journal, --analyst, --scenario, --what-if, --as-of, --combine, --indent) "
        "may come before or after the command name."
    ),
    add_completion=True,  # --install-completion / --show-completion: commands, options and ids
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_F = TypeVar("_F", bound=Callable[..., Any])


def command(name: str | None = None, **kw: Any) -> Callable[[_F], _F]:
    """``app.command`` with the note on global options in every command's help, in its help panel."""

    def register(f: _F) -> _F:
        called = name or f.__name__.lower().replace("_", "-")
        panel = kw.pop("rich_help_panel", None) or PANEL_OF.get(called)
        return app.command(name, epilog=GLOBAL_HELP, rich_help_panel=panel, **kw)(f)

    return register


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"riskcli {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    register: Annotated[
        Path | None,
        typer.Option(
            "--register",
            "-r",
            envvar="RISKCLI_REGISTER",
            metavar="PATH",
            help="Register file to read (default: the embedded register).",
            show_default=False,
        ),
    ] = None,
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            envvar="RISKCLI_RULES",
            metavar="PATH",
            help="Rules file (scales and rating grid), or a CISO Assistant risk-matrix library.",
            show_default=False,
        ),
    ] = None,
    journal: Annotated[
        Path | None,
        typer.Option(
            "--journal",
            envvar="RISKCLI_JOURNAL",
            metavar="PATH",
            help="Assessment journal (default: beside the register).",
            show_default=False,
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option(
            "--analyst",
            envvar="RISKCLI_ANALYST",
            metavar="NAME",
            help="Who is recording (default: your login name); on a read command's line, that analyst's own picture.",
            show_default=False,
        ),
    ] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            metavar="NAME",
            help="Read commands: show the state under one of the register's scenarios.",
            show_default=False,
            autocompletion=complete_scenarios,
        ),
    ] = None,
    what_if: Annotated[
        list[str] | None,
        typer.Option(
            "--what-if",
            metavar="MOVE",
            help="Read commands: show the state as if A2=fails, I3 (observed), M1 (applied). Repeatable; nothing is recorded.",
            show_default=False,
            autocompletion=complete_moves,
        ),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="Read commands: show the assessment as it stood on DATE (the journal's events recorded by the end "
            "of that day, UTC); a date-time, today, yesterday or 30d also work.",
            show_default=False,
        ),
    ] = None,
    combine: Annotated[
        Combine | None,
        typer.Option(
            "--combine",
            case_sensitive=False,
            help="Read commands: how several analysts' judgements combine — geo-odds (beliefs by the geometric "
            "mean of their odds, levels by the median), median, mean or last (default: the register's combine:, "
            "else geo-odds).",
            show_default=False,
        ),
    ] = None,
    indent: Annotated[
        bool,
        typer.Option("--indent", help="Indent --json output when piped too (on a terminal it is; piped, compact)."),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    source = ctx.get_parameter_source("analyst")
    own = analyst if source is not None and source.name == "COMMANDLINE" else None
    ctx.obj = Request(register, rules, journal, analyst, scenario, tuple(what_if or ()), indent, as_of, combine, own)


def request(ctx: typer.Context) -> Request:
    obj = ctx.find_root().obj
    assert isinstance(obj, Request)
    return obj


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts (its schema: riskcli schema VIEW).")]
WhyOpt = Annotated[
    str | None,
    typer.Option("--why", "-w", metavar="TEXT", help="Your rationale, kept in the journal.", show_default=False),
]


def _name(info: Any) -> str | None:
    """The name a registered command or group is called by: its own, else (Typer's rule) its
    function's name with dashes for underscores."""
    if info.name:
        return str(info.name)
    instance = getattr(info, "typer_instance", None)
    if instance is not None:  # a group: named by its Typer
        return str(instance.info.name) if isinstance(instance.info.name, str) else None
    return str(info.callback.__name__).lower().replace("_", "-")


# Every command and group, and the module of this package that defines it (in the order of
# riskcli --help). A command is imported only when it runs: to add one, define it with
# ``@command()`` in one of these modules (or a new one) and name it here; tests/test_startup.py
# checks that this table and the modules agree.
COMMANDS: dict[str, str] = {
    "simulate": "analysis",
    "sensitivity": "analysis",
    "lint-matrix": "analysis",
    "set": "edit",
    "add": "edit",
    "validate": "files",
    "init": "files",
    "diff": "files",
    "schema": "files",
    "list": "read",
    "show": "read",
    "assumptions": "read",
    "matrix": "read",
    "compare": "read",
    "explain": "read",
    "disagreements": "team",
    "scenarios": "read",
    "score": "record",
    "assume": "record",
    "resolve": "record",
    "calibration": "record",
    "undo": "record",
    "history": "record",
    "journal": "record",
    "accept": "decide",
    "treat": "decide",
    "review": "decide",
    "assign": "decide",
    "close": "decide",
    "reopen": "decide",
    "check": "check",
    "owners": "check",
    "report": "report",
    "import": "transfer",
    "export": "transfer",
    "rebaseline": "transfer",
    "indicators": "watch",
    "observe": "watch",
    "responses": "watch",
    "respond": "watch",
}


# ``riskcli --help`` lists the commands in these panels (Typer's ``rich_help_panel``), in this order:
# what a newcomer looks at first, then how to record, decide and watch, then analysis, files in and
# out, and the register itself. Each command's line is its summary here (at most 56 characters, so
# that no line is cut at 80 columns); tests/test_help.py checks that every command has one.
HELP_PANELS: dict[str, dict[str, str]] = {
    "Look": {
        "matrix": "The likelihood × impact heat map",
        "list": "The risks, highest rated first",
        "show": "One risk: its score, reasons, drivers and standing",
        "explain": "How a risk's score adds up, step by step",
        "assumptions": "The Key Assumptions Check: belief, support, if wrong",
        "scenarios": "The register's scenarios and what each would move",
    },
    "Record": {
        "score": "Record your likelihood and impact for a risk",
        "assume": "Set your belief that an assumption holds",
        "history": "The journal: who changed what, when and why",
        "undo": "Revert an event, by appending its inverse",
        "journal": "Verify the journal's hash chain, print its head, adopt",
        "resolve": "Record what happened to a risk or an assumption",
    },
    "Decide": {
        "assign": "Give a risk an owner",
        "treat": "Decide how a risk is treated: avoid, reduce, transfer",
        "accept": "Accept a risk as it stands, until a day",
        "review": "Record a review of a risk, and when the next is due",
        "close": "Close a risk, or retire it",
        "reopen": "Bring a closed or retired risk back",
        "owners": "Each owner's risks and what is due of them",
    },
    "Watch": {
        "check": "Exit 1 when anything is due: for cron, CI, pre-commit",
        "indicators": "The signposts to watch, and which are due for review",
        "observe": "Record what watching an indicator found",
        "responses": "The responses: their effects and side effects",
        "respond": "Record a decision to apply or withdraw a response",
    },
    "Analyse": {
        "compare": "Two states side by side: baseline, current, what-if",
        "simulate": "How sure is the matrix? Every assumption drawn",
        "sensitivity": "Which assumptions carry the register",
        "disagreements": "Where the analysts disagree, widest first",
        "calibration": "The track record: past judgements, scored",
        "lint-matrix": "Check the rating grid itself (Cox 2008)",
    },
    "In and out": {
        "report": "A briefing: Markdown, HTML, SVG or JSON",
        "export": "The risks with their scores: XLSX, CSV, JSON, YAML",
        "import": "A spreadsheet of risks (CSV or XLSX) into a register",
        "rebaseline": "The journal's state as a new register's baseline",
        "schema": "The JSON Schema of a --json output, or of a register",
    },
    "Register": {
        "init": "Write a starter register that validates",
        "validate": "Check registers: every problem, with file and line",
        "add": "Add a risk, assumption, indicator or response",
        "set": "Set one field of an item of a register",
        "diff": "What changed between two versions of a register",
    },
}
OTHER_PANEL = "Other"  # a command with no row above (tests/test_help.py refuses one)
PANEL_OF = {name: panel for panel, rows in HELP_PANELS.items() for name in rows}
SUMMARIES = {name: summary for rows in HELP_PANELS.values() for name, summary in rows.items()}
ORDER = {name: k for k, name in enumerate(SUMMARIES)}


def _normal(word: str) -> str:
    return word.lstrip("-").replace("-", "").replace("_", "").lower()


# What a global option written as a command was probably meant to do.
_OPTION_EXAMPLES = {
    "--what-if": "riskcli matrix --what-if A7=fails",
    "--as-of": "riskcli matrix --as-of 2025-01-31",
    "--scenario": "riskcli matrix --scenario NAME",
}


def suggestion(word: str, commands: Sequence[str]) -> str | None:
    """What an unknown command was probably meant to be: a command written with other dashes or
    case (``lintmatrix``), or a global option written as a command (``whatif``); else None (Typer
    then suggests the commands whose names are close)."""
    norm = _normal(word)
    same = [c for c in commands if _normal(c) == norm]
    if same:
        return f"Did you mean {same[0]!r}?"
    options = [o for o in GLOBAL_VALUE_OPTIONS + GLOBAL_FLAGS if o.startswith("--") and _normal(o) == norm]
    if options:
        option = options[0]
        example = _OPTION_EXAMPLES.get(option, f"riskcli {option} … COMMAND")
        return f"{option} is an option, not a command: e.g. {example}"
    return None


def whole_app() -> typer.Typer:
    """The app with every command registered (imports every command module)."""
    for module in dict.fromkeys(COMMANDS.values()):
        import_module(f"riskcli.cli.{module}")
    return app


def just_the_command(args: Sequence[str]) -> typer.Typer:
    """The app with only the command that ``args`` names, its module alone imported: Typer
    inspects the signature of every command it builds, and one command's start-up should pay
    for neither forty commands nor their imports. The whole app is built for the group's help
    and its errors (an unknown command's hint names the near ones); shell completion passes no
    arguments, so it sees every command too."""
    i = command_position(args)
    module = COMMANDS.get(args[i]) if i is not None else None
    if i is None or module is None or any(a in ("-h", "--help") for a in args[:i]):
        return whole_app()
    import_module(f"riskcli.cli.{module}")
    commands = [c for c in app.registered_commands if _name(c) == args[i]]
    groups = [g for g in app.registered_groups if _name(g) == args[i]]
    if len(commands) + len(groups) != 1:
        return whole_app()
    only = copy.copy(app)
    only.registered_commands = commands
    only.registered_groups = groups
    return only


def main() -> None:
    """Console-script entry point."""
    just_the_command(sys.argv[1:])(prog_name="riskcli")
