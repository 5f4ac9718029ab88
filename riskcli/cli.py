"""The Typer app: thin commands that parse options, call the core and hand results to render."""

from __future__ import annotations

import difflib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from typer.core import TyperGroup

from riskcli import __version__
from riskcli.model import Register, RiskcliError, UserError


# Global options that take a value; they may also be written after the command name.
_GLOBAL_VALUE_OPTIONS = ("--register", "-r", "--rules", "--journal", "--analyst")


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
        if a in _GLOBAL_VALUE_OPTIONS and j + 1 < len(args):
            moved.extend(args[j : j + 2])
            j += 2
            continue
        if any(a.startswith(o + "=") for o in _GLOBAL_VALUE_OPTIONS if o.startswith("--")):
            moved.append(a)
        else:
            rest.append(a)
        j += 1
    return moved + head + rest


class _Group(TyperGroup):
    """Turns riskcli's own errors into one clear line each and their exit code, in one place,
    and accepts the global options after the command name too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _hoist_global_options(list(args)))

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
        "  riskcli matrix\n\n"
        "  riskcli list --actor ROK --min-rating high\n\n"
        "  riskcli init mine.yaml && riskcli matrix --register mine.yaml\n\n"
        "Global options (--register, --rules, --journal, --analyst) may come before or after "
        "the command name."
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

    def load(self) -> Register:
        from riskcli import register

        return register.load(self.register, self.rules)


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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    ctx.obj = Options(register, rules, journal, analyst)


def _opts(ctx: typer.Context) -> Options:
    obj = ctx.find_root().obj
    assert isinstance(obj, Options)
    return obj


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]


def _unknown(kind: str, ident: str, known: list[str]) -> UserError:
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

      riskcli list

      riskcli list --actor ROK --min-rating high

      riskcli list --all | cut -f2,6
    """
    from riskcli import render, scoring
    from riskcli.rules import normalise

    reg = _opts(ctx).load()
    scored = scoring.score_all(reg)
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
            "risks": [render.scored_json(reg, s, i) for i, s in enumerate(shown, 1)],
        }
        render.print_json(data)
        return
    numbered = list(enumerate(shown, 1))
    if not render.is_terminal():
        render.list_plain(numbered, sys.stdout)
        return
    render.list_table(reg, numbered, len(rows), len(rows) - len(shown), filtered)


# --------------------------------------------------------------------------- show


def _risk(reg: Register, ident: str) -> Any:
    r = reg.risk_by_id.get(ident)
    if r is None:
        folded = {k.lower(): v for k, v in reg.risk_by_id.items()}
        r = folded.get(ident.lower())
    if r is None:
        raise _unknown("risk", ident, [x.id for x in reg.risks])
    return r


@app.command()
def show(
    ctx: typer.Context,
    risk_id: Annotated[str, typer.Argument(metavar="ID", help="The risk's id, e.g. R3.")],
    json_: JsonOpt = False,
) -> None:
    """Show one risk: its score, rationale, evidence, drivers and the responses that move it.

    Examples:

      riskcli show R14

      riskcli show R14 --json
    """
    from riskcli import render, scoring

    reg = _opts(ctx).load()
    s = scoring.score_risk(reg, _risk(reg, risk_id), scoring.baseline_state(reg))
    if json_:
        render.print_json({"register": render.register_json(reg), "risk": render.risk_json(reg, s)})
        return
    render.show_risk(reg, s)


# --------------------------------------------------------------------------- assumptions


@app.command()
def assumptions(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Key Assumptions Check: each assumption, its belief, its label and the risks resting on it.

    A belief is the probability that the assumption holds. Labels: solid (≥ 0.8),
    caveated (0.5–0.8), unsupported (< 0.5).

    Examples:

      riskcli assumptions

      riskcli assumptions --json
    """
    from riskcli import render

    reg = _opts(ctx).load()
    beliefs = dict(reg.baseline_beliefs)
    if json_:
        render.print_json({
            "register": render.register_json(reg),
            "assumptions": [render.assumption_json(reg, a, beliefs[a.id]) for a in reg.assumptions],
        })  # fmt: skip
        return
    render.assumptions_table(reg, beliefs)


# --------------------------------------------------------------------------- matrix


@app.command()
def matrix(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """The likelihood × impact heat map: risk ids in their cells, band colours, counts.

    Rows are likelihood (highest at the top), columns impact. Within a cell, ids are ranked by
    their unrounded score.

    Examples:

      riskcli matrix

      riskcli matrix --register mine.yaml

      NO_COLOR=1 riskcli matrix > matrix.txt
    """
    from riskcli import render, scoring

    reg = _opts(ctx).load()
    scored = scoring.score_all(reg)
    m = scoring.matrix(reg, scored)
    counts = scoring.band_counts(reg, scored)
    if json_:
        render.print_json(render.matrix_json(reg, m, counts))
        return
    render.matrix_table(reg, m, counts)


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

      riskcli validate mine.yaml

      riskcli validate mine.yaml --json
    """
    from riskcli import register, render, scoring
    from riskcli.model import RegisterError

    opts = _opts(ctx)
    target = path if path is not None else opts.register
    try:
        reg = register.load(target, opts.rules)
    except RegisterError as e:
        if json_:
            render.print_json({"valid": False, "problems": [
                {"file": p.file, "line": p.line, "column": p.col, "message": p.message} for p in e.problems
            ]})  # fmt: skip
            raise typer.Exit(2) from None
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
    path: Annotated[Path, typer.Argument(help="Where to write the starter register.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a small, commented starter register that validates.

    Examples:

      riskcli init mine.yaml

      riskcli matrix --register mine.yaml
    """
    from riskcli import register, render

    register.write_starter(path, force=force)
    render.note(f"wrote {path}; next: riskcli validate {path} && riskcli matrix --register {path}")


def main() -> None:
    """Console-script entry point."""
    app(prog_name="riskcli")
