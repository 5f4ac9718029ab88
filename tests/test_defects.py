"""The defects users hit (issue 7, item 6), and option values moved by the hoisting of global
options (issue 8, item 5): each as a user meets it — stdout, stderr, exit code and files."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer.testing
from typer.main import get_command

from riskcli.cli.app import whole_app

from conftest import SUPPLY

app = whole_app()  # every command registered

# SUPPLY with an indicator overdue since its as_of (2025-01-01) and a scenario.
WATCHED = (
    SUPPLY
    + """\
indicators:
  - {id: I1, title: Late shipment, review_every: 30, updates: [{assumption: A1, belief: 0.1}]}
scenarios:
  - {id: squeeze, title: Supply squeeze, beliefs: {A1: fails, A2: 0.1}}
"""
)

_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_CENTS = re.compile(r"([+-]?\d+\.\d\d)\s+([+-]?\d+\.\d\d)$")


@pytest.fixture
def reg(write) -> str:
    return str(write(WATCHED))


def _events(tmp_path: Path, name: str = "reg.journal.jsonl") -> list[dict]:
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _beliefs(run, reg: str) -> dict[str, float]:
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    return {a["id"]: a["belief"] for a in json.loads(result.stdout)["assumptions"]}


def _backgrounds(segment: str) -> set[str]:
    """The background colours set by the SGR codes in a piece of a line."""
    found = set()
    for m in _SGR.finditer(segment):
        codes = m.group(1).split(";")
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == "48":  # 48;5;N or 48;2;R;G;B
                n = 3 if codes[i + 1] == "5" else 5
                found.add(";".join(codes[i : i + n]))
                i += n
                continue
            if c.isdigit() and (40 <= int(c) <= 47 or 100 <= int(c) <= 107):
                found.add(c)
            i += 1
    return found


# --------------------------------------------------------------------------- list


def test_list_piped_prints_every_risk(run, write) -> None:
    rows = "".join(f"  - {{id: R{n}, title: Risk {n}, likelihood: {n % 5 + 1}, impact: 3}}\n" for n in range(120))
    result = run("list", "--register", str(write("risks:\n" + rows)))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 121
    assert {line.split("\t")[1] for line in lines[1:]} == {f"R{n}" for n in range(120)}
    assert result.stderr == ""


# --------------------------------------------------------------------------- observe --none


def test_observe_none_records_a_review_that_moves_no_belief(run, reg, tmp_path) -> None:
    result = run("observe", "I1", "--none", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "I1 reviewed: nothing to record; no belief moves, and its review clock starts again\n"
    assert _beliefs(run, reg) == {"A1": 0.5, "A2": 0.8}
    assert [(e["kind"], e["outcome"]) for e in _events(tmp_path)] == [("observe", "none")]


def test_observe_none_resets_the_overdue_clock(run, reg) -> None:
    def i1() -> dict:
        result = run("indicators", "--json", "--register", reg)
        assert result.exit_code == 0, result.stderr
        (row,) = json.loads(result.stdout)["indicators"]
        return row

    assert i1()["overdue"] is True
    assert run("observe", "I1", "--none", "--register", reg).exit_code == 0
    today = datetime.now(UTC).date().isoformat()
    row = i1()
    assert (row["last_observed"], row["overdue"], row["days"]) == (today, False, 30)
    shown = run("indicators", "--register", reg)
    assert today in shown.stdout and "overdue" not in shown.stdout


def test_overdue_counts_against_every_indicator_of_the_register(run, write) -> None:
    two = WATCHED.replace(
        "indicators:\n", "indicators:\n  - {id: I0, title: Price index, review_every: 36500, updates: []}\n"
    )
    reg = str(write(two))
    result = run("indicators", "--overdue", "--register", reg, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    assert "I1" in result.stdout and "I0" not in result.stdout
    assert result.stderr == "1 of 2 indicators overdue for review\n"
    data = json.loads(run("indicators", "--overdue", "--json", "--register", reg).stdout)
    assert (data["total"], [i["id"] for i in data["indicators"]]) == (2, ["I1"])


# --------------------------------------------------------------------------- score and its prompts


def test_score_never_reads_a_pipe_unless_asked(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--register", reg, input="4\n4\nwhy\n")
    assert result.exit_code == 2
    assert "--stdin" in result.stderr
    assert "Likelihood [" not in result.stderr
    assert _events(tmp_path) == []


def test_score_stdin_answers_the_prompts_from_a_pipe(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="4\n4\npiped\n")
    assert result.exit_code == 0, result.stderr
    assert [(e["likelihood"], e["impact"], e["why"]) for e in _events(tmp_path)] == [(4.0, 4.0, "piped")]


PROMPTS = {"likelihood": "", "impact": "4\n", "why": "4\n3\n"}


@pytest.mark.parametrize("answers", ["", "4\n"], ids=["likelihood", "impact"])
def test_end_of_input_at_a_level_prompt_cancels(run, reg, tmp_path, answers) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input=answers)
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
def test_ctrl_c_at_any_prompt_cancels_with_130(run, reg, tmp_path, monkeypatch, answers) -> None:
    monkeypatch.setattr(typer.testing, "make_input_stream", lambda text, charset: _Interrupted(text.encode(charset)))
    result = run("score", "R1", "--stdin", "--register", reg, input=answers)
    assert result.exit_code == 130
    assert result.stderr.endswith(": \ncancelled\n")
    assert result.stdout == ""
    assert _events(tmp_path) == []


def test_score_keeps_what_the_analyst_typed(run, reg, tmp_path) -> None:
    assert run("score", "R1", "-l", "70%", "-i", "major", "--register", reg).exit_code == 0
    (ev,) = _events(tmp_path)
    assert ev["said"] == {"likelihood": "70%", "impact": "major"}


def test_score_does_not_repeat_a_plain_number_in_said(run, reg, tmp_path) -> None:
    assert run("score", "R1", "-l", "70%", "-i", "4", "--register", reg).exit_code == 0
    (ev,) = _events(tmp_path)
    assert (ev["likelihood"], ev["impact"], ev["said"]) == (4.0, 4.0, {"likelihood": "70%"})


def test_score_keeps_what_was_typed_at_a_prompt(run, reg, tmp_path) -> None:
    result = run("score", "R1", "--stdin", "--register", reg, input="very likely\n4\n\n")
    assert result.exit_code == 0, result.stderr
    (ev,) = _events(tmp_path)
    assert ev["said"] == {"likelihood": "very likely"}


# --------------------------------------------------------------------------- explain


def test_explain_adds_up_on_screen_over_an_analyst_score(run, reg) -> None:
    assert run("score", "R1", "-l", "2", "-i", "3", "--why", "calm", "--register", reg).exit_code == 0
    assert run("assume", "A1", "0.3", "--register", reg).exit_code == 0
    result = run("explain", "R1", "--register", reg)
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


# --------------------------------------------------------------------------- colour and pipes


@pytest.mark.parametrize("command", ["list", "history", "matrix"])
def test_force_color_never_changes_piped_output(run, reg, command) -> None:
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0
    plain = run(command, "--register", reg)
    forced = run(command, "--register", reg, env={"FORCE_COLOR": "1"})
    assert plain.exit_code == forced.exit_code == 0
    assert forced.stdout_bytes == plain.stdout_bytes
    assert b"\x1b" not in forced.stdout_bytes


# --------------------------------------------------------------------------- help


def test_global_options_metavars_read_naturally(run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    for option in ("-r, --register PATH", "--rules PATH", "--journal PATH", "--analyst NAME", "--what-if MOVE"):
        assert option in result.stdout
    assert not re.search(r"<[a-z ]+>", result.stdout)


def _commands() -> list[tuple[str, ...]]:
    root = get_command(app)
    out: list[tuple[str, ...]] = []
    for name, cmd in root.commands.items():  # type: ignore[attr-defined]
        out.append((name,))
        out.extend((name, sub) for sub in getattr(cmd, "commands", {}))
    return out


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_every_command_help_mentions_the_global_options(run, command) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "Global options (--register" in text and "riskcli --help" in text


@pytest.mark.parametrize("command", _commands(), ids=" ".join)
def test_usage_lines_read_naturally(run, command) -> None:
    usage = run(*command, "--help").stdout.splitlines()[0]
    assert usage.startswith(f"Usage: riskcli {' '.join(command)} [OPTIONS]")
    assert "[[" not in usage and "]]" not in usage


# --------------------------------------------------------------------------- undo


@pytest.fixture
def two_beliefs(run, reg, tmp_path) -> list[dict]:
    """alice assumes A1 fails, then bob assumes A2 fails."""
    assert run("assume", "A1", "fails", "--analyst", "alice", "--register", reg).exit_code == 0
    assert run("assume", "A2", "fails", "--analyst", "bob", "--register", reg).exit_code == 0
    return _events(tmp_path)


def test_undo_an_event_by_its_id(run, reg, two_beliefs) -> None:
    result = run("undo", two_beliefs[0]["id"], "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, reg) == {"A1": 0.5, "A2": 0.0}


def test_undo_an_event_by_its_line_number(run, reg, two_beliefs) -> None:
    result = run("undo", "1", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, reg) == {"A1": 0.5, "A2": 0.0}


def test_undo_mine_skips_another_analysts_later_event(run, reg, two_beliefs) -> None:
    result = run("undo", "--mine", "--analyst", "alice", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid alice's belief (line 1, ")
    assert _beliefs(run, reg) == {"A1": 0.5, "A2": 0.0}


def test_plain_undo_says_whose_event_it_reverted(run, reg, two_beliefs) -> None:
    result = run("undo", "--analyst", "alice", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("undid bob's belief (line 2, ")
    assert _beliefs(run, reg) == {"A1": 0.0, "A2": 0.8}


# --------------------------------------------------------------------------- assume


def test_a_repeated_assume_records_nothing_and_says_so(run, reg, tmp_path) -> None:
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0
    result = run("assume", "A1", "0", "--register", reg)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "A1's belief is already 0.00 (unsupported, derived); nothing recorded\n"
    assert len(_events(tmp_path)) == 1


def test_a_repeated_assume_says_recorded_false_in_json(run, reg, tmp_path) -> None:
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0
    result = run("assume", "A1", "fails", "--json", "--register", reg)
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["recorded"], data["event"]) == (False, None)
    assert len(_events(tmp_path)) == 1


# --------------------------------------------------------------------------- scenarios


def test_scenarios_lists_the_registers_scenarios(run, reg) -> None:
    result = run("scenarios", "--register", reg)
    assert result.exit_code == 0, result.stderr
    (row,) = [line.split() for line in result.stdout.splitlines() if line.strip().startswith("squeeze")]
    assert row == ["squeeze", "Supply", "squeeze", "A1", "0.00,", "A2", "0.10", "2", "1"]


def test_scenarios_json(run, reg) -> None:
    result = run("scenarios", "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    (sc,) = json.loads(result.stdout)["scenarios"]
    assert (sc["id"], sc["title"], sc["moved"], sc["rating_changes"]) == ("squeeze", "Supply squeeze", 2, 1)
    assert sc["beliefs"] == [{"assumption": "A1", "belief": 0.0}, {"assumption": "A2", "belief": 0.1}]


# --------------------------------------------------------------------------- the coloured matrix

TERMINAL = {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"}


def test_the_coloured_matrix_fills_every_line_of_a_cell(run, reg, monkeypatch) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    result = run("matrix", "--register", reg, env=TERMINAL)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    body = lines[next(i for i, line in enumerate(lines) if line.startswith("├")) :]
    rows: list[list[list[set[str]]]] = [[]]
    for line in body:
        if line.startswith(("├", "└")):
            rows.append([])
        elif line.startswith("│"):
            rows[-1].append([_backgrounds(cell) for cell in line.split("│")[2:-1]])
    rows = [r for r in rows if r]
    assert len(rows) == 5 and all(len(r) > 1 for r in rows)  # five likelihood rows, each of several lines
    for row in rows:
        for column in zip(*row, strict=True):
            assert all(len(bg) == 1 for bg in column), column  # every line of the cell has one background
            assert len(set.union(*column)) == 1, column  # and it is the same one


def _on_a_16_colour_terminal(*args: str) -> subprocess.CompletedProcess[str]:
    """riskcli in a process of its own (Rich keeps the escape codes of a style once made, so a
    colour system seen earlier in this process would leak in), on a 16-colour terminal."""
    env = {k: v for k, v in os.environ.items() if k != "COLORTERM"}
    env.update(TERMINAL, TERM="xterm", PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "riskcli", *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def _legend_backgrounds(stdout: str) -> list[set[str]]:
    legend = next(line for line in stdout.splitlines() if line.startswith("Ratings:"))
    return [_backgrounds(m.group(0)) for m in re.finditer(r"\x1b\[[0-9;]*m [^\x1b]+ \x1b\[0m", legend)]


def test_bands_stay_distinguishable_on_16_colours() -> None:
    result = _on_a_16_colour_terminal("matrix")
    assert result.returncode == 0, result.stderr
    bands = _legend_backgrounds(result.stdout)
    assert len(bands) == 5  # the four bands, then the band of the opportunity counted apart (R19, Medium)
    assert all(len(bg) == 1 and int(next(iter(bg))) in (*range(40, 48), *range(100, 108)) for bg in bands)
    assert len(set.union(*bands[:4])) == 4 and bands[4] == bands[1]


def test_bands_whose_colours_fall_together_stay_apart_on_16_colours(write) -> None:
    """Two greens fall together on 16 colours: the one moved aside must not take a third band's colour."""
    bands = (
        "rating:\n  bands:\n"
        "    - {id: low, name: Low, color: green}\n"
        "    - {id: guarded, name: Guarded, color: '#00aa00'}\n"
        "    - {id: elevated, name: Elevated, color: yellow}\n"
        "    - {id: severe, name: Severe, color: red}\n"
    )
    result = _on_a_16_colour_terminal("matrix", "--register", str(write(bands + SUPPLY)))
    assert result.returncode == 0, result.stderr
    backgrounds = _legend_backgrounds(result.stdout)
    assert len(backgrounds) == 4
    assert len(set.union(*backgrounds)) == 4


def _widest(stdout: str) -> int:
    return max(len(_SGR.sub("", line)) for line in stdout.splitlines())


def test_the_matrix_uses_the_width_it_has(run, reg) -> None:
    narrow = run("matrix", "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "100"})
    wide = run("matrix", "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"})
    assert narrow.exit_code == wide.exit_code == 0
    assert 150 < _widest(wide.stdout) <= 200
    assert _widest(narrow.stdout) <= 100


@pytest.mark.parametrize("terminal", ["1", "0"])
def test_columns_zero_still_prints_the_matrix(run, reg, terminal) -> None:
    result = run("matrix", "--register", reg, env={"COLUMNS": "0", "TTY_COMPATIBLE": terminal})
    assert result.exit_code == 0, result.stderr
    assert "Ratings:" in result.stdout and "R1" in result.stdout
    assert 40 <= _widest(result.stdout) <= 200


# --------------------------------------------------------------------------- bounded text

LONG = 2_000_000


@pytest.fixture
def long_description(write) -> str:
    text = ("lorem ipsum " * (LONG // 12 + 1))[:LONG]
    return str(write(SUPPLY.replace("    evidence: one shipment was late\n", f"    description: {text}x\n")))


def test_show_on_a_terminal_cuts_a_long_description_and_says_so(run, long_description) -> None:
    result = run("show", "R1", "--register", long_description, env={"TTY_COMPATIBLE": "1"})
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout) < 20_000
    assert f"{LONG + 1 - 4000:,} more characters; --json shows all" in " ".join(_SGR.sub("", result.stdout).split())


def test_show_json_keeps_a_long_description_whole(run, long_description) -> None:
    result = run("show", "R1", "--json", "--register", long_description)
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["risk"]["description"]) == LONG + 1


# --------------------------------------------------------------------------- errors with --json


@pytest.mark.parametrize(
    "args",
    [("show", "R9"), ("explain", "R9"), ("score", "R9", "-l", "3"), ("history", "--risk", "R9")],
    ids=["show", "explain", "score", "history"],
)
def test_an_unknown_risk_with_json_is_a_json_error_on_stderr(run, reg, args) -> None:
    result = run(*args, "--json", "--register", reg)
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["schema"] == "riskcli/error/1"
    assert error["error"]["code"] == 2
    assert error["error"]["message"].startswith("unknown risk 'R9'")


def test_a_bad_register_with_json_is_a_located_json_error(run, write) -> None:
    bad = write("risks:\n  - id: R1\n    title: t\n    likelihood: 9\n    impact: 2\n", "bad.yaml")
    result = run("list", "--json", "--register", str(bad))
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert (error["file"], error["line"], error["col"]) == (str(bad), 4, 17)
    assert error["message"] == "risk R1: likelihood '9' is out of range; levels are 1–5"


# --------------------------------------------------------------------------- option values stay put (issue 8)


@pytest.mark.parametrize("why", ["-rother.yaml", "-rough estimate", "--register=other.yaml"])
def test_a_global_options_look_alike_stays_the_value_of_why(run, write, tmp_path, monkeypatch, why) -> None:
    monkeypatch.chdir(tmp_path)
    write(WATCHED, "other.yaml")
    result = run("observe", "I1", "--why", why, "--json", "--register", str(write(WATCHED)))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["event"]["why"] == why
    assert [e["why"] for e in _events(tmp_path)] == [why]
    assert not (tmp_path / "other.journal.jsonl").exists()


def test_a_report_in_json_fails_in_json_too(run) -> None:
    result = run("report", "--format", "json", "--register", "nope.yaml")
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["message"] == "nope.yaml: no such file"


@pytest.mark.parametrize(
    "args",
    [
        ("assume", "A99", "fails", "--why", "--json"),  # "--json" is the reason given, not the flag
        ("observe", "I99", "seen", "--why", "--format=json"),
        ("score", "R99", "-l", "3", "-i", "3", "--why", "--json"),
    ],
)
def test_json_as_an_options_value_leaves_errors_in_plain_text(run, write, args) -> None:
    result = run(*args, "--register", str(write(WATCHED)))
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr


def test_json_after_an_options_value_still_asks_for_json_errors(run, write) -> None:
    result = run("assume", "A99", "fails", "--why", "a reason", "--json", "--register", str(write(WATCHED)))
    assert result.exit_code == 2 and result.stdout == ""
    assert json.loads(result.stderr)["error"]["code"] == 2


def test_evidence_on_a_belief_fixed_by_assume_says_how_to_free_it(run, write) -> None:
    reg = str(write(SUPPLY + "indicators:\n  - {id: I1, title: t, bears_on: [{assumption: A1, seen: 3}]}\n"))
    run("assume", "A1", "holds", "--register", reg)
    result = run("observe", "I1", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert (
        "A1 is fixed at 0 or 1 by assume; evidence does not move it "
        "(assume a belief between 0 and 1, such as 0.8, to let it)\n" in result.stderr
    )


def test_an_unknown_reference_in_a_register_with_none_of_its_kind(run, write) -> None:
    path = write(
        "risks: [{id: R1, title: t, likelihood: 2, impact: 2}]\nscenarios: [{id: s, title: t, beliefs: {A1: fails}}]\n"
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}:2:41: scenario s: unknown assumption 'A1'; there are none\n"


def test_global_options_between_a_group_and_its_subcommand(run, write) -> None:
    """``riskcli add -r FILE risk …``: the subcommand's own option values still stay put."""
    reg = write(SUPPLY)
    result = run("add", "-r", str(reg), "risk", "--title", "-rough estimate", "-l", "2", "-i", "2")
    assert result.exit_code == 0, result.stderr
    assert "title: -rough estimate" in reg.read_text(encoding="utf-8")
    failed = run("add", "-r", str(reg), "risk", "--title", "--json", "-l", "9", "-i", "3")
    assert failed.exit_code == 2 and failed.stdout == ""
    assert failed.stderr.startswith("error: ") and failed.stderr.count("\n") == 1, failed.stderr


@pytest.mark.parametrize("outcome", ["seen", "absent", "SEEN"])
def test_an_outcome_and_none_together_are_refused(run, reg, tmp_path, outcome) -> None:
    result = run("observe", "I1", outcome, "--none", "--register", reg)
    assert result.exit_code == 2
    assert result.stderr == f"error: give {outcome.lower()} or --none, not both\n"
    assert _events(tmp_path) == []
