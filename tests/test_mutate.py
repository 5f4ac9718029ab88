"""The mutation gate (tools/mutate.py) is honest: what it mutates, how an exclusion is named, and
that a wrong or stale exclusion fails the run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "tools" / "mutate.py"
_spec = importlib.util.spec_from_file_location("mutate", _PATH)
assert _spec is not None and _spec.loader is not None
mutate = importlib.util.module_from_spec(_spec)
sys.modules["mutate"] = mutate  # dataclasses look their module up by name
_spec.loader.exec_module(mutate)

TARGET = mutate.Target("toy", "toy.py", None, ())
SOURCE = """\
def f(a, b):
    assert a is not None and b > 0
    return a + b
"""


def test_an_assert_and_what_it_tests_are_left_alone() -> None:
    assert [m.description for m in mutate.mutants(TARGET, SOURCE)] == [
        "drop statement: return a + b",
        "operator: a + b → a - b",
    ]


def test_a_mutant_is_named_by_its_statement_before_and_after_not_by_where_it_is() -> None:
    keys = [m.key for m in mutate.mutants(TARGET, SOURCE)]
    assert keys == [("toy.py", "f", "return a + b", "pass"), ("toy.py", "f", "return a + b", "return a - b")]
    moved = "import os\n\n\n" + SOURCE
    assert [m.key for m in mutate.mutants(TARGET, moved)] == keys


def test_an_exclusion_that_matches_no_mutant_is_stale(monkeypatch) -> None:
    matching = mutate.Excluded("toy.py", "f", "return a + b", "return a - b", "a reason")
    stale = mutate.Excluded("toy.py", "f", "return a * b", "return a / b", "code that has gone")
    monkeypatch.setattr(mutate, "EXCLUDED", (matching, stale))
    ms = mutate.mutants(TARGET, SOURCE)
    matched, found_stale = mutate.exclusions(TARGET, ms)
    assert [(ex, [m.description for m in found]) for ex, found in matched.items()] == [
        (matching, ["operator: a + b → a - b"])
    ]
    assert found_stale == [stale]


@pytest.mark.parametrize(
    ("status", "failures"),
    [
        ("survived", []),
        (
            "killed",
            [
                "KILLED BUT EXCLUDED toy.py:3 in f: operator: a + b → a - b — not equivalent after all: remove it from EXCLUDED"
            ],
        ),
        (
            "error",
            [
                "ERROR BUT EXCLUDED toy.py:3 in f: operator: a + b → a - b — not equivalent after all: remove it from EXCLUDED"
            ],
        ),
    ],
)
def test_an_excluded_mutant_is_run_and_fails_the_gate_unless_it_survives(status, failures, capsys) -> None:
    drop, swap = mutate.mutants(TARGET, SOURCE)
    ex = mutate.Excluded("toy.py", "f", "return a + b", "return a - b", "a reason")
    outcomes = [mutate.Outcome(drop, "killed", 0.1), mutate.Outcome(swap, status, 0.1)]
    tally = mutate.report(TARGET, outcomes, {ex: [outcomes[1]]}, [])
    assert (tally.detected, tally.total, tally.failures) == (1, 1, failures)
    assert "excluded as equivalent (1): a reason" in capsys.readouterr().out


def test_a_survivor_and_a_stale_exclusion_fail_the_gate(capsys) -> None:
    drop, swap = mutate.mutants(TARGET, SOURCE)
    stale = mutate.Excluded("toy.py", "f", "return a * b", "return a / b", "gone")
    tally = mutate.report(
        TARGET, [mutate.Outcome(drop, "killed", 0.1), mutate.Outcome(swap, "survived", 0.1)], {}, [stale]
    )
    assert (tally.detected, tally.total) == (1, 2)
    assert tally.failures == [
        "SURVIVED toy.py:3 in f: operator: a + b → a - b",
        "STALE EXCLUSION in f: 'return a * b' → 'return a / b' matches no mutant",
    ]
    assert capsys.readouterr().out.startswith("toy.py: 1/2 killed (50.0%)")


def test_the_gate_names_every_excluded_mutant_of_the_project_by_a_statement_that_exists() -> None:
    """No exclusion is stale at the committed tree (the full run fails on one too)."""
    root = _PATH.parents[1]
    for target in mutate.TARGETS:
        _, stale = mutate.exclusions(target, mutate.mutants(target, (root / target.path).read_text(encoding="utf-8")))
        assert stale == [], target.name
