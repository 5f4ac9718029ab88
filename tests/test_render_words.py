"""The word after a belief is its assumption's support, by one rule in every view: the support the
register states wins; where it states none, the word is derived from the belief and says so — as
the Key Assumptions Check (``riskcli assumptions``) marks it."""

from __future__ import annotations

import json

from conftest import SUPPLY

# SUPPLY with A1's support stated (solid) and A2's left to be derived from its belief.
STATED = SUPPLY.replace(
    "{id: A1, statement: Supplier delivers., belief: 0.5}",
    "{id: A1, statement: Supplier delivers., belief: 0.5, support: solid}",
)


def _support(run, assumption: str, *args: str) -> tuple[str, bool]:
    rows = json.loads(run(*args, "assumptions", "--json").stdout)["assumptions"]
    row = next(a for a in rows if a["id"] == assumption)
    return row["support"], row["support_derived"]


def test_observe_says_the_support_the_assumptions_table_shows(run) -> None:
    assert _support(run, "A8") == ("unsupported", False)
    result = run("observe", "I6", "seen")
    assert result.exit_code == 0, result.stderr
    assert "  A8: belief 0.50 → 0.71 (unsupported)\n" in result.stdout
    assert "  A7: belief 0.60 → 0.71 (caveated)\n" in result.stdout


def test_assume_keeps_the_stated_support_whatever_the_belief(run) -> None:
    assert _support(run, "A9") == ("caveated", False)
    result = run("assume", "A9", "holds")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("A9: belief 0.50 → 1.00 (caveated)\n  understood: holds → 1.00 (caveated)\n")
    assert "solid" not in result.stdout


def test_a_derived_support_is_marked_derived_on_both_sides_when_it_changes(run, write) -> None:
    reg = str(write(STATED))
    assert _support(run, "A2", "-r", reg) == ("solid", True)
    result = run("-r", reg, "assume", "A2", "0.1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        "A2: belief 0.80 (solid, derived) → 0.10 (unsupported, derived)\n"
        "  understood: 0.1 → 0.10 (unsupported, derived)\n"
    )
    assert _support(run, "A2", "-r", reg) == ("unsupported", True)  # the table agrees after it


def test_a_stated_support_wins_over_the_belief_in_assume(run, write) -> None:
    reg = str(write(STATED))
    result = run("-r", reg, "assume", "A1", "fails")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("A1: belief 0.50 → 0.00 (solid)\n  understood: fails → 0.00 (solid)\n")
    again = run("-r", reg, "assume", "A1", "fails")
    assert again.stderr == "A1's belief is already 0.00 (solid); nothing recorded\n"


def test_the_hypothetical_banner_says_the_stated_support(run) -> None:
    result = run("show", "R14", "--what-if", "A8=holds")
    assert result.exit_code == 0, result.stderr
    assert "HYPOTHETICAL — A8=1.00 (unsupported) (nothing is recorded)" in result.stdout


def test_set_and_add_say_the_support_of_the_register_they_leave(run, write) -> None:
    reg = str(write(STATED))
    result = run("set", "A1", "belief", "0.3", "-r", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("assumption A1 belief: 0.50 → 0.30 (solid)\n  understood: 0.3 → 0.30 (solid)\n")
    added = run("add", "assumption", "--statement", "Demand holds.", "--belief", "0.1", "--support", "solid", "-r", reg)
    assert added.exit_code == 0, added.stderr
    assert "  belief: 0.1 → 0.10 (solid)\n" in added.stdout


def test_the_report_gives_the_belief_beside_the_support_without_a_second_word(run) -> None:
    md = run("report").stdout
    row = next(line for line in md.splitlines() if line.startswith("| **A8** |"))
    assert "| 0.50 | unsupported |" in row
    assert "caveated" not in row
