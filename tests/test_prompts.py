"""What riskcli asks at the terminal (cli/prompts.py): a score's confidence, and a belief when
``assume`` is given no value. Answers come from standard input with --stdin, as a terminal's would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SUPPLY


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def _journal(tmp_path: Path) -> list[dict]:
    path = tmp_path / "reg.journal.jsonl"
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --------------------------------------------------------------------------- score: confidence


def test_score_asks_for_confidence_after_why_and_records_it(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="4\n\nlate parts again\nmoderate\n")
    assert result.exit_code == 0, result.stderr
    assert "Why (optional): Confidence (ICD 203: low, moderate, high; Enter skips): " in result.stderr
    (ev,) = _journal(tmp_path)
    assert (ev["likelihood"], ev["why"], ev["confidence"]) == (4.0, "late parts again", "moderate")
    shown = json.loads(run("show", "R1", "--register", reg, "--json").stdout)["risk"]
    assert shown["confidence"] == "moderate"


def test_enter_skips_the_confidence(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="4\n\nwhy\n\n")
    assert result.exit_code == 0, result.stderr
    (ev,) = _journal(tmp_path)
    assert "confidence" not in ev


def test_a_word_that_is_no_confidence_is_asked_again(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="4\n\nwhy\nsure\nHigh\n")
    assert result.exit_code == 0, result.stderr
    assert "error: confidence 'sure' is not understood; give low, moderate, high, or Enter to skip" in result.stderr
    assert _journal(tmp_path)[0]["confidence"] == "high"


def test_confidence_given_as_an_option_is_not_asked(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "-c", "low", "--register", reg, input="4\n\nwhy\n")
    assert result.exit_code == 0, result.stderr
    assert "Confidence (" not in result.stderr
    assert _journal(tmp_path)[0]["confidence"] == "low"


# --------------------------------------------------------------------------- assume: the belief


def test_assume_without_a_value_asks_showing_the_assumption_its_belief_and_the_words(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "--stdin", "--register", reg, input="very likely\nsupplier confirmed\n")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert err.startswith("A1  Supplier delivers.\n  now: belief 0.50 (caveated, derived)\n")
    assert "Give holds (1.00), fails (0.00), uncertain (0.50), an ICD 203 phrase" in err
    assert "Belief [0.50]: Why (optional): " in err
    assert result.stdout.startswith("A1: belief 0.50 (caveated, derived) → 0.88 (solid, derived)\n")
    (ev,) = _journal(tmp_path)
    assert (ev["assumption"], ev["belief"], ev["said"], ev["why"]) == ("A1", 0.875, "very likely", "supplier confirmed")


def test_a_belief_riskcli_does_not_understand_is_asked_again(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "--stdin", "--register", reg, input="maybe\n30%\n\n")
    assert result.exit_code == 0, result.stderr
    assert "error: belief 'maybe' is not understood" in result.stderr
    assert _journal(tmp_path)[0]["belief"] == 0.3


@pytest.mark.parametrize(
    ("answers", "said"), [("\n", "no change; nothing recorded"), ("q\n", "stopped; nothing recorded")]
)
def test_enter_keeps_the_belief_and_q_stops(run, reg, tmp_path, answers, said) -> None:
    result = run("assume", "A1", "--stdin", "--register", reg, input=answers)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.endswith(f"Belief [0.50]: {said}\n")
    assert result.stdout == ""
    assert _journal(tmp_path) == []


def test_end_of_input_at_the_belief_cancels(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "--stdin", "--register", reg, input="")
    assert result.exit_code == 1
    assert result.stderr.endswith("\ncancelled\n")
    assert _journal(tmp_path) == []


def test_assume_without_a_value_never_reads_a_pipe_unless_asked(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "--register", reg, input="holds\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: give a belief for A1 (holds, fails, uncertain, an ICD 203 phrase, 0–1 or a percentage); "
        "standard input is not a terminal (--stdin answers the prompts from it)\n"
    )
    assert _journal(tmp_path) == []


def test_assume_without_a_value_names_an_unknown_assumption_first(run, reg) -> None:
    result = run("assume", "A9", "--register", reg)
    assert result.exit_code == 2 and "unknown assumption 'A9'" in result.stderr
