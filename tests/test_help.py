"""riskcli --help: the commands in help panels, in the order a newcomer needs them, each with a
summary that no terminal of 80 columns cuts; an unknown command says what was meant."""

from __future__ import annotations

import re

import pytest

from riskcli.cli.app import HELP_PANELS, OTHER_PANEL, SUMMARIES, suggestion, whole_app

app = whole_app()
NAMES = sorted(
    [c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands]
    + [str(g.typer_instance.info.name) for g in app.registered_groups]
)


def test_every_command_has_a_panel_and_a_summary_and_no_row_is_stale() -> None:
    missing = [n for n in NAMES if n not in SUMMARIES]
    assert not missing, f"add these commands to HELP_PANELS in riskcli/cli/app.py: {missing}"
    assert sorted(SUMMARIES) == NAMES


def test_the_panels_come_in_the_order_a_newcomer_needs_them(run) -> None:
    out = run("--help", env={"COLUMNS": "80"}).stdout
    headings = [line[:-1] for line in out.splitlines() if line.endswith(":") and not line.startswith(" ")]
    assert headings[headings.index("Look") :] == [
        "Look",
        "Record",
        "Decide",
        "Watch",
        "Analyse",
        "In and out",
        "Register",
    ]
    assert OTHER_PANEL not in headings


def test_every_command_is_listed_once_under_its_panel_with_its_whole_summary(run) -> None:
    out = run("--help", env={"COLUMNS": "80"}).stdout
    listed = re.findall(r"^  ([a-z-]+) +(\S.*)$", out.split("\nLook:\n", 1)[1], re.M)
    assert sorted(name for name, _ in listed) == NAMES
    assert all(summary == SUMMARIES[name] for name, summary in listed)
    sections = re.split(r"\n\n(?=[A-Z][A-Za-z ]+:\n)", "Look:\n" + out.split("\nLook:\n", 1)[1])
    for section in sections:
        panel, *rows = section.strip("\n").split("\n")
        assert [r.split()[0] for r in rows] == list(HELP_PANELS[panel[:-1]]), panel


@pytest.mark.parametrize("columns", ["80", "100", "200"])
def test_no_line_is_cut_or_too_wide(run, columns: str) -> None:
    out = run("--help", env={"COLUMNS": columns}).stdout
    commands = out.split("\nLook:\n", 1)[1]
    assert "…" not in commands and "..." not in commands
    assert max(len(line) for line in out.splitlines()) <= 80


def test_a_summary_fits_beside_the_longest_name_at_80_columns() -> None:
    # 80 columns: click writes at most 78, two of indent and two between the columns
    room = 78 - 2 - max(len(n) for n in NAMES) - 2
    assert max(len(s) for s in SUMMARIES.values()) <= room


def test_each_command_carries_its_panel_as_typer_s_rich_help_panel() -> None:
    panel_of = {c.name or c.callback.__name__: c.rich_help_panel for c in app.registered_commands}
    assert panel_of["matrix"] == "Look" and panel_of["assume"] == "Record" and panel_of["import"] == "In and out"


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("whatif", "--what-if is an option, not a command: e.g. riskcli matrix --what-if A7=fails"),
        ("what_if", "--what-if is an option, not a command"),
        ("asof", "--as-of is an option, not a command: e.g. riskcli matrix --as-of 2025-01-31"),
        ("Scenario", "--scenario is an option, not a command"),
        ("lintmatrix", "Did you mean 'lint-matrix'?"),
        ("LIST", "Did you mean 'list'?"),
    ],
)
def test_an_unknown_command_says_what_was_meant(run, typed: str, hint: str) -> None:
    result = run(typed)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: No such command {typed!r}. {hint}")
    assert result.stderr.count("\n") == 1


def test_a_close_misspelling_still_gets_typer_s_suggestions(run) -> None:
    assert "Did you mean 'list'" in run("lst").stderr
    assert suggestion("lst", NAMES) is None


def test_an_unknown_command_with_json_is_a_json_error_with_the_hint(run) -> None:
    import json

    result = run("whatif", "--json")
    assert result.exit_code == 2
    assert "--what-if is an option" in json.loads(result.stderr)["error"]["message"]
