"""The register file itself: validate, init, diff, and the JSON schemas of every view."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from riskcli.cli.app import JsonOpt, command, request
from riskcli.model import UserError

REGISTER_FORMAT = "riskcli/register-format/1"  # the register format's own JSON Schema


@command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="PATH",
            help="Registers to check (default: --register, else the embedded one).",
            show_default=False,
        ),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Check registers: every problem is reported as FILE:LINE:COL: message; exit 2 if any.

    Also warns (without failing) where the model looks strained: drivers that move a risk the
    same way whether their assumption holds or fails, and evidence quotes not found in the
    register's source text. With --json the report (valid or not) is printed on stdout, for one
    register at a time. Several registers are each reported (as a pre-commit hook passes them).

    Examples:

    \b
      riskcli validate mine.yaml
      riskcli validate mine.yaml --json
      riskcli validate registers/*.yaml
    """
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import checks

    req = request(ctx)
    req.refuse_hypothetical("validate", records=False)
    req.refuse_as_of("validate", records=False)
    targets: list[Path | None] = list(paths) if paths else [None]
    if json_ and len(targets) > 1:
        raise UserError("validate --json reports one register at a time; give one PATH")
    out, worst = Out.open(), 0
    for path in targets:
        result, code = checks.validate(req, path)
        emit(result, out, Key(), json=json_, indent=req.indent)
        worst = max(worst, code)
    if worst:
        raise typer.Exit(worst)


@command()
def init(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Where to write the starter register.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a small, commented starter register that validates, dated today.

    Examples:

    \b
      riskcli init mine.yaml
      riskcli matrix --register mine.yaml
    """
    from riskcli import register
    from riskcli.render.streams import Out
    from riskcli.results.session import files_read

    req = request(ctx)
    req.refuse_hypothetical("init", records=False)
    req.refuse_as_of("init", records=False)
    register.write_starter(path, today=date.today(), force=force, reading=files_read(req))
    Out.open().note(f"wrote {path}; next: riskcli validate {path} && riskcli matrix --register {path}")


@command("diff")
def diff_(
    ctx: typer.Context,
    old: Annotated[Path, typer.Argument(help="The earlier register.")],
    new: Annotated[Path, typer.Argument(help="The later register.")],
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 if the registers differ (for scripts and CI).")
    ] = False,
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
    from riskcli.render import emit
    from riskcli.render.layout import Key
    from riskcli.render.streams import Out
    from riskcli.results import checks

    req = request(ctx)
    req.refuse_hypothetical("diff", records=False)
    req.refuse_as_of("diff", records=False)
    r = checks.diff(req, old, new)
    from riskcli.results.session import load

    emit(r, Out.open(), Key.of(load(req, new).rules), json=json_, indent=req.indent)
    if exit_code and not r.same:
        raise typer.Exit(1)


@command()
def schema(
    ctx: typer.Context,
    view: Annotated[
        str | None,
        typer.Argument(
            metavar="VIEW",
            help="A view (list, matrix, history, …), or register for the register format; none: list them.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The JSON Schema of a view's --json output (riskcli/VIEW/1), or of the register format
    itself (riskcli schema register), as shipped with riskcli.

    Every --json output names its schema in its "schema" key; a change of shape is a new version.
    The register format's schema lets an editor check and complete a register as you type: put
    '# yaml-language-server: $schema=register.schema.json' on the register's first line.

    Examples:

    \b
      riskcli schema
      riskcli schema matrix > matrix.schema.json
      riskcli schema register > register.schema.json
    """
    from importlib import resources

    files = resources.files("riskcli") / "schemas"
    names = sorted(p.name[: -len(".json")] for p in files.iterdir() if p.name.endswith(".json"))
    if view is None:
        ids = [json.loads((files / f"{n}.json").read_text(encoding="utf-8"))["$id"] for n in names]
        sys.stdout.write("".join(f"{i}\n" for i in ids) + f"{REGISTER_FORMAT}\n")
        return
    name, _, version = view.strip().removeprefix("riskcli/").partition("/")
    if name in ("register", "register-format"):
        fmt = resources.files("riskcli") / "formats" / "register.schema.json"
        sys.stdout.write(fmt.read_text(encoding="utf-8"))
        return
    if name not in names:
        raise UserError(f"unknown view {view!r}; the views are: {', '.join(names)} (and register, the register format)")
    text = (files / f"{name}.json").read_text(encoding="utf-8")
    shipped = json.loads(text)["$id"]
    if version and f"riskcli/{name}/{version}" != shipped:
        raise UserError(f"{view!r} is not this riskcli's schema for {name}: it writes {shipped}")
    sys.stdout.write(text)
