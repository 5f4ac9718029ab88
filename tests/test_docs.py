"""The README documents every command, its quick start works, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskcli.cli.app import whole_app

app = whole_app()  # every command registered

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_there_are_commands() -> None:
    assert {"list", "show", "assumptions", "matrix", "validate", "init"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Examples" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme(command: str) -> None:
    assert re.search(rf"riskcli {re.escape(command)}\b", README), f"`riskcli {command}` is not in README.md"


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    return [
        line.strip() for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]


def test_quick_start_is_two_commands_install_and_test() -> None:
    commands = _quick_start()
    assert len(commands) == 2, commands
    assert "pip install" in commands[0] and "riskcli matrix" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = _quick_start()[1]
    assert test_command in ci


def test_exit_codes_are_documented() -> None:
    section = README.split("## Exit codes", 1)[1]
    for code in ("0", "1", "2"):
        assert f"| {code} |" in section


def test_every_coherence_warning_that_can_fire_is_in_the_format_docs_table() -> None:
    """Each finding code riskcli can report (W-<code>-…) has a row in docs/register-format.md."""
    from riskcli.scoring import FindingCode

    doc = (ROOT / "docs" / "register-format.md").read_text(encoding="utf-8")
    table = doc.split("## Coherence warnings", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"`W-([a-z-]+?)-[A-Z]", table)}
    missing = [c.value for c in FindingCode if c.value not in rows]
    assert not missing, f"coherence warnings missing from the table in docs/register-format.md: {missing}"
