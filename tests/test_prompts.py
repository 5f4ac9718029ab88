"""What riskcli asks at the terminal (cli/prompts.py): a score's confidence, and a belief when
``assume`` is given no value. Answers come from standard input with --stdin, as a terminal's would."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import typer.testing

from conftest import SUPPLY, riskcli_process


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


def _events(tmp_path: Path, name: str = "reg.journal.jsonl") -> list[dict]:
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --------------------------------------------------------------------------- score and its prompts


def test_score_never_reads_a_pipe_unless_asked(run, watched, tmp_path) -> None:
    result = run("score", "R1", "--register", watched, input="4\n4\nwhy\n")
    assert result.exit_code == 2
    assert "--stdin" in result.stderr
    assert "Likelihood [" not in result.stderr
    assert _events(tmp_path) == []


def test_score_stdin_answers_the_prompts_from_a_pipe(run, watched, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", watched, input="4\n4\npiped\n")
    assert result.exit_code == 0, result.stderr
    assert [(e["likelihood"], e["impact"], e["why"]) for e in _events(tmp_path)] == [(4.0, 4.0, "piped")]


PROMPTS = {"likelihood": "", "impact": "4\n", "why": "4\n3\n"}


@pytest.mark.parametrize("answers", ["", "4\n"], ids=["likelihood", "impact"])
def test_end_of_input_at_a_level_prompt_cancels(run, watched, tmp_path, answers) -> None:
    result = run("score", "R1", "--stdin", "--register", watched, input=answers)
    assert result.exit_code == 1
    assert result.stderr.endswith(": \ncancelled\n")
    assert result.stdout == ""
    assert _events(tmp_path) == []


class _Interrupted(io.BytesIO):
    """Standard input that, once its lines are read, is interrupted as Ctrl-C would."""

    def read1(self, size: int = -1) -> bytes:
        data = super().read1(size)
        if not data:
            raise KeyboardInterrupt
        return data

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data:
            raise KeyboardInterrupt
        return data


@pytest.mark.parametrize("answers", PROMPTS.values(), ids=PROMPTS.keys())
def test_ctrl_c_at_any_prompt_cancels_with_130(run, watched, tmp_path, monkeypatch, answers) -> None:
    monkeypatch.setattr(typer.testing, "make_input_stream", lambda text, charset: _Interrupted(text.encode(charset)))
    result = run("score", "R1", "--stdin", "--register", watched, input=answers)
    assert result.exit_code == 130
    assert result.stderr.endswith(": \ncancelled\n")
    assert result.stdout == ""
    assert _events(tmp_path) == []


def test_score_keeps_what_was_typed_at_a_prompt(run, watched, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", watched, input="very likely\n4\n\n")
    assert result.exit_code == 0, result.stderr
    (ev,) = _events(tmp_path)
    assert ev["said"] == {"likelihood": "very likely"}


def test_a_non_utf8_answer_at_a_prompt_is_refused_not_a_traceback(reg, tmp_path) -> None:
    p = riskcli_process(
        "--register", reg, "score", "R1", "--stdin",
        env={"RISKCLI_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"},
        stdin=b"4\n3\nbad \xff why\n",
    )  # fmt: skip
    assert b"Traceback" not in p.stderr
    assert p.returncode == 2 and p.stderr.endswith(
        b"error: the answer is not valid UTF-8 text; check your terminal's encoding\n"
    )
    assert not (tmp_path / "reg.journal.jsonl").exists()
