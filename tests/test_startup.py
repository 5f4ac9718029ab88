"""Start-up stays at the floor: help and usage errors load neither Rich nor YAML, and heavy
libraries are imported only by the commands that need them."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "yaml", "jsonschema", "numpy", "openpyxl", "ruamel"})
sys.stderr.write("LOADED " + ",".join(heavy) + "\\n")
"""


def _loaded(*args: str) -> set[str]:
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    line = next(x for x in p.stderr.splitlines() if x.startswith("LOADED "))
    return set(filter(None, line.removeprefix("LOADED ").split(",")))


@pytest.mark.parametrize("args", [["--help"], ["matrix", "--help"], ["list", "--nope"], ["--version"]])
def test_help_and_usage_errors_load_neither_rich_nor_yaml(args: list[str]) -> None:
    assert _loaded(*args) == set()


def test_a_view_loads_rich_and_yaml_but_no_heavier_library(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path))
    assert _loaded("matrix") == {"rich", "yaml"}


def test_a_view_of_a_cached_register_loads_no_yaml(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path))
    _loaded("matrix")  # reads the register and caches it
    assert _loaded("matrix") == {"rich"}
    assert _loaded("list") == {"rich"}


# Only the command named is built (Typer inspects every command it builds); everything that
# lists or completes commands still sees them all.

BUILT = """
import sys
import typer.main
from riskcli.cli import main
built = []
original = typer.main.get_command_from_info
def spy(*args, **kw):
    built.append(1)
    return original(*args, **kw)
typer.main.get_command_from_info = spy
sys.argv = ["riskcli", *sys.argv[1:]]
code = 0
try:
    main()
except SystemExit as e:
    code = e.code
sys.stderr.write("BUILT %d\\n" % len(built))
sys.exit(code)
"""


def _built(*args: str, env: dict[str, str] | None = None) -> tuple[int, subprocess.CompletedProcess[str]]:
    import os

    p = subprocess.run(
        [sys.executable, "-c", BUILT, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )
    line = next(x for x in p.stderr.splitlines() if x.startswith("BUILT "))
    return int(line.removeprefix("BUILT ")), p


@pytest.mark.parametrize(
    ("args", "usage", "group"),
    [
        (["matrix", "--help"], "riskcli matrix [OPTIONS]", False),
        (["--register", "matrix", "list", "--help"], "riskcli list [OPTIONS]", False),  # a value is no command
        (["-r", "x.yaml", "show", "R1", "--help"], "riskcli show [OPTIONS]", False),
        (["journal", "verify", "--help"], "riskcli journal verify [OPTIONS]", True),
        (["add", "risk", "--help"], "riskcli add risk [OPTIONS]", True),
    ],
)
def test_a_command_builds_only_itself(args: list[str], usage: str, group: bool) -> None:
    n, p = _built(*args)
    assert p.stdout.startswith(f"Usage: {usage}"), p.stdout
    # the command alone; for a group (journal, add), its own subcommands; never the whole app
    assert 1 < n <= 6 if group else n == 1


@pytest.mark.parametrize("args", [["--help"], ["--help", "matrix"], ["-h", "list"]])
def test_help_lists_every_command(args: list[str]) -> None:
    n, p = _built(*args)
    assert n > 20
    assert p.stdout.startswith("Usage: riskcli [OPTIONS] COMMAND")
    for name in ("matrix", "simulate", "journal", "add", "import", "lint-matrix"):
        assert f" {name} " in p.stdout


def test_a_misspelt_command_is_offered_the_near_ones() -> None:
    n, p = _built("matrx")
    assert p.returncode == 2
    assert "No such command 'matrx'. Did you mean 'matrix'" in p.stderr
    assert n > 20


def test_completion_sees_every_command() -> None:
    _, p = _built(env={"_RISKCLI_COMPLETE": "complete_bash", "COMP_WORDS": "riskcli mat", "COMP_CWORD": "1"})
    assert p.stdout.split() == ["plain,matrix"]  # riskcli's bash protocol: the type, the word
    _, p = _built(env={"_RISKCLI_COMPLETE": "complete_bash", "COMP_WORDS": "riskcli li", "COMP_CWORD": "1"})
    assert p.stdout.split() == ["plain,lint-matrix", "plain,list"]


def test_the_commands_table_names_every_command_where_it_is_defined() -> None:
    from riskcli.cli.app import COMMANDS, _name, whole_app

    app = whole_app()
    defined = {_name(c): c.callback.__module__ for c in app.registered_commands}
    for g in app.registered_groups:
        defined[_name(g)] = g.typer_instance.registered_commands[0].callback.__module__
    assert {name: f"riskcli.cli.{module}" for name, module in COMMANDS.items()} == defined


MODULES = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES " + ",".join(sorted(m for m in sys.modules if m.startswith("riskcli.cli."))) + "\\n")
"""


@pytest.mark.parametrize(
    ("args", "module"),
    [(["matrix", "--help"], "read"), (["journal", "verify", "--help"], "record"), (["add", "risk", "--help"], "edit")],
)
def test_a_command_imports_only_its_own_module(args: list[str], module: str) -> None:
    p = subprocess.run([sys.executable, "-c", MODULES, *args], capture_output=True, text=True, timeout=60)
    line = next(x for x in p.stderr.splitlines() if x.startswith("MODULES "))
    commands = set(line.removeprefix("MODULES ").split(",")) - {"riskcli.cli.app", "riskcli.cli.common"}
    assert commands - {"riskcli.cli.completion"} == {f"riskcli.cli.{module}"}


def test_help_imports_every_command_module() -> None:
    p = subprocess.run([sys.executable, "-c", MODULES, "--help"], capture_output=True, text=True, timeout=60)
    line = next(x for x in p.stderr.splitlines() if x.startswith("MODULES "))
    from riskcli.cli.app import COMMANDS

    assert {f"riskcli.cli.{m}" for m in COMMANDS.values()} <= set(line.removeprefix("MODULES ").split(","))


RISKCLI_MODULES = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("MODULES " + ",".join(sorted(m for m in sys.modules if m.startswith("riskcli."))) + "\\n")
"""


def test_the_matrix_of_a_cached_register_imports_what_it_shows_and_no_more(tmp_path, monkeypatch) -> None:
    """Every module is classes to make: the matrix of a register read before loads it from the
    cache (no YAML reader) and makes no event, report, simulation or edit shapes."""
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path))

    def modules() -> set[str]:
        p = subprocess.run(
            [sys.executable, "-c", RISKCLI_MODULES, "matrix"], capture_output=True, text=True, timeout=60
        )
        line = next(x for x in p.stderr.splitlines() if x.startswith("MODULES "))
        return set(line.removeprefix("MODULES ").split(","))

    assert "riskcli.register.sections" in modules()  # the first time, the register is read
    loaded = modules()
    unneeded = {
        "riskcli.register.sections",
        "riskcli.register.walker",
        "riskcli.register.rules_formats",
        "riskcli.results.shapes.events",
        "riskcli.results.shapes.report",
        "riskcli.results.shapes.analysis",
        "riskcli.results.types",
        "riskcli.simulate",
        "riskcli.belief",  # the model of belief: only where a journal carries evidence
        "riskcli.lint",
        "riskcli.diff",
        "riskcli.render.json",
        "riskcli.render.report",
        "riskcli.results.team",  # several analysts' views: only where analysts scored a risk
        "riskcli.results.shapes.team",
        "riskcli.journal.appending",  # the writer: a read writes nothing
    }
    assert loaded & unneeded == set()
