"""Scoring, assumptions, explanations, history and undo, as an analyst uses them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from riskcli import register

from conftest import SUPPLY as SMALL


@pytest.fixture
def reg(write, tmp_path):
    return str(write(SMALL))


def _journal(tmp_path) -> list[dict]:
    path = tmp_path / "reg.journal.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def test_score_with_options(run, reg, tmp_path) -> None:
    result = run(
        "score", "R1", "--likelihood", "very likely", "--impact", "major", "--why", "casualties", "--register", reg
    )
    assert result.exit_code == 0, result.stderr
    assert "very likely → 5 Almost certain (≥ 80%) at 87.5%" in result.stdout
    assert "major → 4 Major" in result.stdout
    assert "likelihood 3 → 5, impact 4 → 4, cell (3, 4) → (5, 4), High → Critical" in result.stdout
    assert result.stderr == f"saved to {tmp_path / 'reg.journal.jsonl'}\n"
    (ev,) = _journal(tmp_path)
    assert {k: ev[k] for k in ("kind", "risk", "likelihood", "impact", "why", "by")} == {
        "kind": "score",
        "risk": "R1",
        "likelihood": 5.0,
        "impact": 4.0,
        "why": "casualties",
        "by": "tester",
    }


def test_score_prompts_for_missing_values_showing_scale_and_evidence(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="sometimes\nlikely\n\nlate parts again\n")
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "Likelihood scale" in err and "Almost certain" in err and "Impact scale" in err
    assert "evidence: “one shipment was late”" in err
    assert "error: likelihood 'sometimes' is not understood" in err  # asked again, not aborted
    assert "Likelihood [3 Possible]:" in err and "Impact [4 Major]:" in err and "Why (optional):" in err
    assert "likelihood 3 → 4, impact 4 → 4" in result.stdout
    (ev,) = _journal(tmp_path)
    assert (ev["likelihood"], ev["impact"], ev["why"]) == (4.0, 4.0, "late parts again")


def test_score_never_reads_a_pipe_unless_asked(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--register", reg, input="4\n4\nwhy\n")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: give --likelihood and/or --impact (standard input is not a terminal; --stdin answers the prompts from it)\n"
    )
    assert _journal(tmp_path) == []


def test_piped_answers_that_end_before_the_optional_why_are_recorded(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="4\n3\n")
    assert result.exit_code == 0, result.stderr
    assert [(e["likelihood"], e["impact"], e.get("why")) for e in _journal(tmp_path)] == [(4, 3, None)]


@pytest.mark.parametrize("answers", ["", "4\n"])
def test_end_of_input_at_a_level_prompt_cancels_and_records_nothing(run, reg, tmp_path, answers) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input=answers)
    assert result.exit_code == 1
    assert result.stderr.endswith("\ncancelled\n")
    assert _journal(tmp_path) == []


def test_score_all_walks_every_risk_enter_keeps(run, reg, tmp_path) -> None:
    # R1: likelihood 4, impact kept, why, no confidence; R2: both kept; R3: impact 5, no why, no confidence; q
    result = run("score", "--all", "--stdin", "--register", reg, input="4\n\nwhy one\n\n\n\n\n5\n\n\nq\n")
    assert result.exit_code == 0, result.stderr
    assert "[1/3]" in result.stderr and "[3/3]" in result.stderr
    events = _journal(tmp_path)
    assert [(e["risk"], e["likelihood"], e["impact"]) for e in events] == [("R1", 4.0, 4.0), ("R3", 1.0, 5.0)]
    assert "recorded 2 scores" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["score", "R1", "--likelihood", "7", "--impact", "2"], "likelihood '7' is out of range; levels are 1–5"),
        (["score", "R1", "--likelihood", "2", "--impact", "30%"], "impact '30%' is not understood"),
        (["score", "R9", "--likelihood", "2", "--impact", "2"], "unknown risk 'R9'"),
        (["score", "--likelihood", "2"], "give a risk ID to score"),
        (["score", "R1", "--all"], "score --all walks every risk"),
        (["assume", "A1", "perhaps"], "belief 'perhaps' is not understood"),
        (["assume", "A1", "1.5"], "belief '1.5' is out of range"),
        (["assume", "A1", "-0.1"], "belief '-0.1' is out of range"),
        (["assume", "A9", "holds"], "unknown assumption 'A9'"),
        (["explain", "R9"], "unknown risk 'R9'"),
        (["history", "--risk", "R9"], "unknown risk 'R9'"),
        (["history", "--since", "last week"], "--since 'last week' is not understood"),
        (["matrix", "--compare", "yesterday"], "'yesterday' is not baseline, current, a scenario"),
        (["undo"], "nothing to undo"),
    ],
)
def test_bad_values_get_one_line_and_exit_2(run, reg, tmp_path, args, message) -> None:
    result = run(*args, "--register", reg)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert _journal(tmp_path) == []


def test_assume_prints_the_risks_that_moved(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "fails", "--why", "strike", "--register", reg, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "A1: belief 0.50 (caveated, derived) → 0.00 (unsupported, derived)" in out
    assert "understood: fails → 0.00 (unsupported, derived)" in out
    assert "Risks that moved (1)" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("R1"))
    assert re.search(r"3→4\s+4\s+3,4 → 4,4\s+High → Critical\s+A1", row), row
    assert "R2" not in out
    data = json.loads(run("assume", "A2", "fails", "--json", "--register", reg).stdout)
    assert data["schema"] == "riskcli/assume/5" and data["recorded"] is True
    assert data["beliefs"] == [{"assumption": "A2", "from": 0.8, "to": 0.0}]
    assert [m["risk"] for m in data["moves"]] == ["R2"]
    assert data["moves"][0]["from"]["impact"] == 3 and data["moves"][0]["to"]["impact"] == pytest.approx(4.6)
    assert data["moves"][0]["causes"] == [{"kind": "assumption", "id": "A2"}]
    assert data["understood"] == {"field": "belief", "said": "fails", "value": 0.0, "via": "word", "probability": None}


def test_assumptions_show_current_next_to_baseline(run, reg) -> None:
    run("assume", "A1", "fails", "--register", reg)
    out = run("assumptions", "--register", reg).stdout
    assert "0.50 → 0.00" in out and "unsupported" in out
    data = json.loads(run("assumptions", "--json", "--register", reg).stdout)["assumptions"][0]
    assert (data["baseline_belief"], data["belief"], data["support"], data["support_derived"]) == (
        0.5,
        0.0,
        "unsupported",
        True,
    )


def test_explain_adds_up_after_a_score_and_a_belief_change(run, reg) -> None:
    run("score", "R1", "-l", "2", "-i", "4", "--why", "new supplier", "--register", reg)
    run("assume", "A1", "fails", "--register", reg)
    result = run("explain", "R1", "--register", reg, env={"COLUMNS": "140"})
    assert result.exit_code == 0
    out = result.stdout
    assert "analyst score by tester" in out and "“new supplier”" in out
    assert "A1 belief 0.50 → 0.00" in out
    data = json.loads(run("explain", "R1", "--json", "--register", reg).stdout)
    assert data["analyst"]["likelihood"] == 2 == data["start"]["likelihood"]
    total = data["start"]["likelihood"] + sum(c["shift"]["likelihood"] for c in data["contributions"])
    assert total == pytest.approx(data["sum"]["likelihood"]) == pytest.approx(3.0)
    assert (data["current"]["likelihood"], data["current"]["impact"]) == (3.0, 4.0)
    assert data["current"]["cell"] == {"likelihood": 3, "impact": 4}


def test_matrix_compare_baseline_marks_moves(run, reg) -> None:
    run("assume", "A1", "fails", "--register", reg)
    result = run("matrix", "--compare", "baseline", "--register", reg, env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "R1↑" in result.stdout
    assert "Moves since baseline" in result.stdout
    data = json.loads(run("matrix", "--compare", "baseline", "--json", "--register", reg).stdout)
    assert [m["risk"] for m in data["compare"]["moves"]] == ["R1"]
    assert data["compare"]["from"] == {"kind": "baseline", "scenario": None, "what_if": [], "as_of": None}
    cell = next(c for c in data["cells"] if c["risks"] == ["R1"])
    assert (cell["likelihood"], cell["impact"]) == (4, 4)


def test_undo_and_history(run, reg, tmp_path) -> None:
    run("assume", "A1", "fails", "--why", "strike", "--register", reg)
    run("score", "R2", "-l", "4", "-i", "4", "--register", reg)
    result = run("undo", "--register", reg)
    assert result.exit_code == 0
    assert re.search(r"undid tester's score \(line 2, [\d-]+ [\d:]+\): R2: likelihood 4, impact 4", result.stdout)
    assert json.loads(run("list", "--json", "--register", reg).stdout)["risks"][1]["id"] == "R2"
    result = run("undo", "--why", "too hasty", "--register", reg)
    assert re.search(r"undid tester's belief \(line 1, .*\): A1: belief 0.00 \(fails\)", result.stdout)
    assert run("undo", "--register", reg).exit_code == 2  # nothing left in force
    events = _journal(tmp_path)
    assert [e["kind"] for e in events] == ["belief", "score", "undo", "undo"]  # nothing deleted
    hist = json.loads(run("history", "--json", "--register", reg).stdout)["events"]
    assert [(e["kind"], e["undone"]) for e in hist] == [
        ("belief", True),
        ("score", True),
        ("undo", False),
        ("undo", False),
    ]
    assert [
        e["kind"] for e in json.loads(run("history", "--json", "--risk", "R2", "--register", reg).stdout)["events"]
    ] == ["score", "undo"]
    assert json.loads(run("history", "--json", "--by", "nobody", "--register", reg).stdout)["events"] == []
    assert len(json.loads(run("history", "--json", "--since", "2000-01-01", "--register", reg).stdout)["events"]) == 4
    table = run("history", "--register", reg, env={"COLUMNS": "150", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}).stdout
    assert "(undone)" in table and "undo of line 2" in table and "strike" in table
    piped = [line.split("\t") for line in run("history", "--register", reg).stdout.splitlines()]
    assert piped[0] == ["line", "at", "by", "kind", "what", "why", "undone"]
    assert [(row[0], row[3], row[6]) for row in piped[1:]] == [
        ("1", "belief", "undone"),
        ("2", "score", "undone"),
        ("3", "undo", ""),
        ("4", "undo", ""),
    ]


def test_show_includes_score_history(run, reg) -> None:
    run("score", "R1", "-l", "4", "-i", "4", "--why", "first look", "--register", reg)
    out = run("show", "R1", "--register", reg, env={"COLUMNS": "120"}).stdout
    assert "Score history" in out and "first look" in out
    data = json.loads(run("show", "R1", "--json", "--register", reg).stdout)
    assert data["risk"]["scores"][0]["why"] == "first look" and data["risk"]["scores_total"] == 1
    assert data["risk"]["analyst"]["likelihood"] == 4


def test_embedded_register_is_never_written(run, tmp_path) -> None:

    shipped = register.embedded_register_path()
    before = shipped.read_bytes()
    assert run("assume", "A7", "fails").exit_code == 0
    assert run("score", "R3", "-l", "5", "-i", "5").exit_code == 0
    assert shipped.read_bytes() == before
    assert (tmp_path / "home" / "dprk-troops-russia.journal.jsonl").exists()


def test_journal_option_and_env(run, reg, tmp_path) -> None:
    j = tmp_path / "elsewhere.jsonl"
    assert run("assume", "A1", "holds", "--journal", str(j), "--register", reg).exit_code == 0
    assert j.exists() and not (tmp_path / "reg.journal.jsonl").exists()
    out = run("assumptions", "--json", "--register", reg, env={"RISKCLI_JOURNAL": str(j)}).stdout
    assert json.loads(out)["assumptions"][0]["belief"] == 1.0


def test_unreadable_journal_is_a_located_error(run, reg, tmp_path) -> None:
    (tmp_path / "reg.journal.jsonl").write_text(
        '{"v":1,"kind":"belief","assumption":"A1","belief":0}\nnot json\n{"v":1,"kind":"belief","assumption":"A1","belief":1}\n'
    )
    result = run("matrix", "--register", reg)
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"error: {tmp_path / 'reg.journal.jsonl'}:2:1: not a riskcli journal line (one JSON event per line)\n"
    )


def test_torn_journal_warns_but_works(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    path.write_text('{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":0}\n{"v":1,"kind":"bel')
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0
    assert "warning: " in result.stderr and ":2: an incomplete event" in result.stderr
    assert run("assume", "A1", "holds", "--register", reg).exit_code == 0
    lines = path.read_text().splitlines()
    assert json.loads(lines[2])["kind"] == "torn" and json.loads(lines[3])["belief"] == 1.0


def test_explain_columns_add_up_on_screen_even_with_thirds(run, write) -> None:
    path = write(
        "assumptions: [{id: A1, statement: s, belief: likely}, {id: A2, statement: t, belief: 0.5}]\n"
        "risks:\n  - {id: R1, title: t, likelihood: 2, impact: 4, drivers: ["
        "{assumption: A1, if_holds: {impact: 1}, if_fails: {impact: -1}},"
        "{assumption: A2, if_holds: {impact: 0.333}, if_fails: {impact: -0.333}}]}\n"
    )
    result = run("explain", "R1", "--what-if", "A1=fails,A2=0.9", "--register", str(path), env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines() if re.search(r"\d\.\d\d\s*$", line)]
    impacts = [float(r[-1]) for r in rows]
    # baseline, two drivers, then sum and current
    assert round(sum(impacts[:3]), 2) == impacts[3] == impacts[4]


def test_score_with_one_value_keeps_the_other_when_nobody_can_be_asked(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--likelihood", "4", "--why", "x", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert "likelihood 3 → 4, impact 4 → 4" in result.stdout
    assert "scale" not in result.stderr  # nothing was asked


_CENTS = re.compile(r"([+-]?\d+\.\d\d)\s+([+-]?\d+\.\d\d)$")


def _events(tmp_path: Path, name: str = "reg.journal.jsonl") -> list[dict]:
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _beliefs(run, watched: str) -> dict[str, float]:
    result = run("assumptions", "--json", "--register", watched)
    assert result.exit_code == 0, result.stderr
    return {a["id"]: a["belief"] for a in json.loads(result.stdout)["assumptions"]}


def test_score_keeps_what_the_analyst_typed(run, watched, tmp_path) -> None:
    assert run("score", "R1", "-l", "70%", "-i", "major", "--register", watched).exit_code == 0
    (ev,) = _events(tmp_path)
    assert ev["said"] == {"likelihood": "70%", "impact": "major"}


def test_score_does_not_repeat_a_plain_number_in_said(run, watched, tmp_path) -> None:
    assert run("score", "R1", "-l", "70%", "-i", "4", "--register", watched).exit_code == 0
    (ev,) = _events(tmp_path)
    assert (ev["likelihood"], ev["impact"], ev["said"]) == (4.0, 4.0, {"likelihood": "70%"})


# --------------------------------------------------------------------------- explain


def test_explain_adds_up_on_screen_over_an_analyst_score(run, watched) -> None:
    assert run("score", "R1", "-l", "2", "-i", "3", "--why", "calm", "--register", watched).exit_code == 0
    assert run("assume", "A1", "0.3", "--register", watched).exit_code == 0
    result = run("explain", "R1", "--register", watched)
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    at_sum = next(i for i, line in enumerate(lines) if line.startswith("sum "))
    summed = [tuple(float(x) for x in m.groups()) for line in lines[:at_sum] if (m := _CENTS.search(line))]
    total = _CENTS.search(lines[at_sum])
    assert total is not None
    assert len(summed) == 2  # the analyst's score and A1's shift
    assert tuple(round(sum(col), 2) for col in zip(*summed, strict=True)) == (2.4, 3.0)
    assert tuple(float(x) for x in total.groups()) == (2.4, 3.0)
    assert not any(_CENTS.search(line) for line in lines if "baseline" in line)


# --------------------------------------------------------------------------- undo


@pytest.fixture
def two_beliefs(run, watched, tmp_path) -> list[dict]:
    """alice assumes A1 fails, then bob assumes A2 fails."""
    assert run("assume", "A1", "fails", "--analyst", "alice", "--register", watched).exit_code == 0
    assert run("assume", "A2", "fails", "--analyst", "bob", "--register", watched).exit_code == 0
    return _events(tmp_path)


def test_undo_an_event_by_its_id(run, watched, two_beliefs) -> None:
    result = run("undo", two_beliefs[0]["id"], "--register", watched)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, watched) == {"A1": 0.5, "A2": 0.0}


def test_undo_an_event_by_its_line_number(run, watched, two_beliefs) -> None:
    result = run("undo", "1", "--register", watched)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, watched) == {"A1": 0.5, "A2": 0.0}


def test_undo_mine_skips_another_analysts_later_event(run, watched, two_beliefs) -> None:
    result = run("undo", "--mine", "--analyst", "alice", "--register", watched)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, watched) == {"A1": 0.5, "A2": 0.0}


def test_plain_undo_says_whose_event_it_reverted(run, watched, two_beliefs) -> None:
    result = run("undo", "--analyst", "alice", "--register", watched)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid bob's belief (line 2, ")
    assert _beliefs(run, watched) == {"A1": 0.0, "A2": 0.8}


# --------------------------------------------------------------------------- assume


def test_a_repeated_assume_records_nothing_and_says_so(run, watched, tmp_path) -> None:
    assert run("assume", "A1", "fails", "--register", watched).exit_code == 0
    result = run("assume", "A1", "0", "--register", watched)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "A1's belief is already 0.00 (unsupported, derived); nothing recorded\n"
    assert len(_events(tmp_path)) == 1


def test_a_repeated_assume_says_recorded_false_in_json(run, watched, tmp_path) -> None:
    assert run("assume", "A1", "fails", "--register", watched).exit_code == 0
    result = run("assume", "A1", "fails", "--json", "--register", watched)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["recorded"], data["event"]) == (False, None)
    assert len(_events(tmp_path)) == 1


def test_show_lists_the_latest_scores_with_a_count(run, reg, tmp_path) -> None:
    lines = [
        json.dumps({"v": 1, "id": f"e{i}", "at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z", "by": "a",
                    "kind": "score", "risk": "R1",
                    "likelihood": 1 + i % 5, "impact": 2, "why": f"take {i}"})
        for i in range(300)
    ]  # fmt: skip
    (tmp_path / "reg.journal.jsonl").write_text("\n".join(lines) + "\n")
    data = json.loads(run("show", "R1", "--json", "--register", reg).stdout)["risk"]
    assert data["scores_total"] == 300 and len(data["scores"]) == 10 and data["scores"][-1]["why"] == "take 299"
    shown = run("show", "R1", "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert "the latest 10 of 300" in shown.stdout and "290 earlier scores of R1" in shown.stderr
