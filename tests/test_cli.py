"""The commands as a user runs them: stdout, stderr and exit codes, asserted apart."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

from riskcli import __version__
from riskcli.cli.app import whole_app

from conftest import DATA, MINIMAL, SUPPLY, WATCHED, riskcli_process

SMALL = """\
title: Small
as_of: 2025-01-01
actors:
  - {id: OPS, name: Operations}
risks:
  - {id: R1, title: Grid failure, category: infra, actors: [OPS], likelihood: 3, impact: 5}
  - {id: R2, title: Late parts, category: supply, likelihood: likely, impact: minor}
  - {id: R3, title: Flood, category: infra, likelihood: rare, impact: 4}
"""


def test_version(run) -> None:
    result = run("--version")
    assert (result.exit_code, result.stdout) == (0, f"riskcli {__version__}\n")


def test_no_arguments_shows_help(run) -> None:
    result = run()
    assert "matrix" in result.stdout + result.stderr


def test_matrix_of_the_embedded_register(run) -> None:
    result = run("matrix")
    assert result.exit_code == 0, result.stderr
    assert "North Korean troops in Russia" in result.stdout
    assert "5 Almost" in result.stdout and "Catastrophic" in result.stdout
    assert "R14" in result.stdout and "Ratings:" in result.stdout
    assert result.stderr == ""


def test_matrix_exact_rendering_at_fixed_width(run, write) -> None:
    reg = write(SMALL)
    result = run("matrix", "--register", str(reg), env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    grid = MATRIX_SMALL.splitlines()
    assert lines[: len(grid)] == grid
    state = "".join(lines[len(grid) :]).split()  # the journal's path is the test's own: it wraps where it does
    said = f"State: the register's baseline; no journal event in force ({reg.with_suffix('.journal.jsonl')})."
    assert "".join(state) == "".join(said.split())


MATRIX_SMALL = """\
Small  (as of 2025-01-01) — likelihood × impact
┌──────────┬────────────┬────────────┬────────────┬────────────┬────────────┐
│          │     1      │     2      │     3      │     4      │     5      │
│L ↓  I →  │Insignifica…│   Minor    │  Moderate  │   Major    │Catastrophic│
├──────────┼────────────┼────────────┼────────────┼────────────┼────────────┤
│5 Almost  │            │            │            │            │            │
│certain   │   Medium   │    High    │  Critical  │  Critical  │  Critical  │
│≥ 80%     │            │            │            │            │            │
├──────────┼────────────┼────────────┼────────────┼────────────┼────────────┤
│4 Likely  │   Medium   │     R2     │    High    │  Critical  │  Critical  │
│55–80%    │            │ Medium · 1 │            │            │            │
├──────────┼────────────┼────────────┼────────────┼────────────┼────────────┤
│3 Possible│    Low     │   Medium   │   Medium   │    High    │     R1     │
│20–55%    │            │            │            │            │Critical · 1│
├──────────┼────────────┼────────────┼────────────┼────────────┼────────────┤
│2 Unlikely│    Low     │    Low     │   Medium   │   Medium   │    High    │
│5–20%     │            │            │            │            │            │
├──────────┼────────────┼────────────┼────────────┼────────────┼────────────┤
│1 Rare    │    Low     │    Low     │    Low     │     R3     │   Medium   │
│< 5%      │            │            │            │ Medium · 1 │            │
└──────────┴────────────┴────────────┴────────────┴────────────┴────────────┘
Ratings:  Low  0   Medium  2   High  0   Critical  1   (3 risks)
Rows: likelihood (highest at the top). Columns: impact. In a cell: risk ids,
highest score first; then the rating and the count.
"""


def test_matrix_json_shape(run, write) -> None:
    result = run("matrix", "--json", "--register", str(write(SMALL)))
    data = json.loads(result.stdout)
    assert data["register"]["title"] == "Small"
    assert next(lv["name"] for lv in data["likelihood"]) == "Rare"
    cell = next(c for c in data["cells"] if (c["likelihood"], c["impact"]) == (3, 5))
    assert cell == {
        "likelihood": 3,
        "impact": 5,
        "rating": {"id": "critical", "name": "Critical"},
        "count": 1,
        "risks": ["R1"],
    }
    assert {b["id"]: b["count"] for b in data["bands"]} == {"low": 0, "medium": 2, "high": 0, "critical": 1}
    assert len(data["cells"]) == 25


def test_list_piped_is_tab_separated(run, write) -> None:
    result = run("list", "--register", str(write(SMALL)))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split("\t") == [
        "rank",
        "id",
        "likelihood",
        "impact",
        "score",
        "rating",
        "category",
        "actors",
        "title",
        "likeliest",
        "p_top",
    ]
    assert [line.split("\t")[1] for line in lines[1:]] == ["R1", "R2", "R3"]
    assert lines[1].split("\t") == [
        "1", "R1", "3", "5", "15", "critical", "infra", "OPS", "Grid failure", "critical", "1.000",
    ]  # fmt: skip


def test_list_table_on_a_terminal(run, write) -> None:
    result = run("list", "--register", str(write(SMALL)), env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert result.exit_code == 0
    assert "Grid failure" in result.stdout and "Critical" in result.stdout
    assert "\x1b[" not in result.stdout  # NO_COLOR: no colour codes even on a terminal
    assert result.stderr == "3 of 3 risks\n"


def test_list_limits_to_50_and_says_so(run, write) -> None:
    body = "".join(f"  - {{id: R{i}, title: Risk {i}, likelihood: {i % 5 + 1}, impact: 3}}\n" for i in range(60))
    path = write("risks:\n" + body)
    result = run("list", "--register", str(path), env={"TTY_COMPATIBLE": "1"})
    assert "50 of 60 risks; 10 more not shown (--all shows every risk, --limit N the top N)" in result.stderr
    piped = run("list", "--register", str(path))  # a pipe gets every risk, never a silent cut
    assert len(piped.stdout.splitlines()) == 61 and piped.stderr == ""
    top = run("list", "--limit", "5", "--register", str(path))
    assert len(top.stdout.splitlines()) == 6
    everything = run("list", "--all", "--register", str(path), env={"TTY_COMPATIBLE": "1"})
    assert "60 of 60 risks" in everything.stderr


@pytest.mark.parametrize(
    ("args", "ids"),
    [
        (["--actor", "OPS"], ["R1"]),
        (["--actor", "operations"], ["R1"]),
        (["--category", "infra"], ["R1", "R3"]),
        (["--min-rating", "critical"], ["R1"]),
        (["--min-rating", "medium", "--category", "infra"], ["R1", "R3"]),
    ],
)
def test_list_filters(run, write, args, ids) -> None:
    result = run("list", "--json", "--register", str(write(SMALL)), *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [r["id"] for r in data["risks"]] == ids
    assert data["count"] == len(ids)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--actor", "NOBODY"], "unknown actor 'NOBODY'"),
        (["list", "--category", "nope"], "unknown category 'nope'"),
        (["list", "--min-rating", "severe"], "unknown rating 'severe'"),
        (["show", "R9"], "unknown risk 'R9'"),
    ],
)
def test_unknown_values_give_one_line_and_exit_2(run, write, args, message) -> None:
    result = run(*args, "--register", str(write(SMALL)))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_list_json_shape(run, write) -> None:
    data = json.loads(run("list", "--json", "--register", str(write(SMALL))).stdout)
    assert data["schema"] == "riskcli/list/9"
    assert data["risks"][0] == {
        "rank": 1,
        "id": "R1",
        "title": "Grid failure",
        "category": "infra",
        "actors": ["OPS"],
        "baseline": {"likelihood": 3, "impact": 5},
        "current": {
            "likelihood": 3,
            "impact": 5,
            "score": 15,
            "cell": {"likelihood": 3, "impact": 5},
            "rating": {"id": "critical", "name": "Critical"},
            "clamped": [],
        },
        "confidence": None,
        "chances": {
            "likeliest": {"id": "critical", "name": "Critical"},
            "probability": 1.0,
            "top_band": {"id": "critical", "name": "Critical"},
            "top": 1.0,
        },
        "owner": None,
        "status": "open",
        "over_appetite": False,
    }
    assert (data["count"], data["shown"], data["hypothetical"]) == (3, 3, None)


def test_show(run) -> None:
    result = run("show", "R14")
    assert result.exit_code == 0
    out = result.stdout
    assert "R14" in out and "Drivers" in out and "evidence" in out and "“" in out
    assert "M5" in out  # the lethal-aid response's side effect lands on R14


def test_show_is_case_insensitive_and_json(run) -> None:
    data = json.loads(run("show", "r14", "--json").stdout)
    assert data["risk"]["id"] == "R14"
    assert data["risk"]["drivers"] and data["risk"]["evidence"]


def test_assumptions(run) -> None:
    result = run("assumptions")
    assert result.exit_code == 0
    assert "Key Assumptions Check" in result.stdout
    for label in ("solid", "caveated", "unsupported"):
        assert label in result.stdout
    data = json.loads(run("assumptions", "--json").stdout)["assumptions"]
    assert len(data) >= 8 and all(a["risks"] for a in data)
    assert set(data[0]) >= {
        "id",
        "statement",
        "belief",
        "baseline_belief",
        "support",
        "support_derived",
        "risks",
        "evidence",
    }


def test_validate_ok(run) -> None:
    result = run("validate", str(DATA / "full.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"ok: {DATA / 'full.yaml'}: 2 risks, 2 assumptions, 1 indicator, 1 response, 1 scenario"
    )


def test_validate_embedded_has_no_warnings(run) -> None:
    result = run("validate")
    assert result.exit_code == 0
    assert "warning" not in result.stdout


def test_validate_json(run, write) -> None:
    good = json.loads(run("validate", "--json", str(write(MINIMAL))).stdout)
    assert good["valid"] is True and good["counts"]["risks"] == 1
    missing = run("validate", "--json", "nope.yaml")
    assert missing.exit_code == 2
    assert json.loads(missing.stdout) == {
        "schema": "riskcli/validate/2",
        "register": None,
        "valid": False,
        "counts": None,
        "findings": [],
        "stale": [],
        "evidence": [],
        "problems": [{"file": "nope.yaml", "line": None, "col": None, "message": "nope.yaml: no such file"}],
    }
    path = write("risks:\n  - id: R1\n    titel: x\n    likelihood: 2\n    impact: 2\n", "bad.yaml")
    result = run("validate", "--json", str(path))
    assert result.exit_code == 2
    bad = json.loads(result.stdout)
    assert bad["valid"] is False
    assert bad["problems"][0] == {
        "file": str(path),
        "line": 3,
        "col": 5,
        "message": "risk R1: unknown key 'titel'; did you mean 'title'?",
    }


def test_validate_warns_on_same_sign_drivers(run, write) -> None:
    path = write(
        "assumptions: [{id: A1, statement: s, belief: 0.5}]\n"
        "risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: 1}}]}\n"
    )
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert "warning: R1: driver A1 moves likelihood the same way" in result.stdout


def test_missing_register_file(run, tmp_path) -> None:
    result = run("matrix", "--register", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: no such file\n"


def test_register_from_environment_and_option_before_command(run, write) -> None:
    path = str(write(SMALL))
    assert "Small" in run("matrix", env={"RISKCLI_REGISTER": path}).stdout
    assert "Small" in run("--register", path, "matrix").stdout


def test_rules_option_with_ciso_matrix(run, write) -> None:
    path = write("risks:\n  - {id: R1, title: t, likelihood: 4, impact: 3}\n")
    result = run("matrix", "--register", str(path), "--rules", str(DATA / "ciso_matrix_4x3.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "1 Very low" in result.stdout and "Unacceptable · 1" in result.stdout


def test_init_writes_a_register_that_validates(run, tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    result = run("init", str(path))
    assert result.exit_code == 0
    assert path.read_text().startswith("# A riskcli risk register")
    assert run("validate", str(path)).exit_code == 0
    assert run("matrix", "--register", str(path)).exit_code == 0


def test_init_never_overwrites_without_force(run, tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("keep me")
    result = run("init", str(path))
    assert result.exit_code == 2
    assert "already exists" in result.stderr and path.read_text() == "keep me"
    assert run("init", "--force", str(path)).exit_code == 0
    assert path.read_text() != "keep me"


HOSTILE = (
    "risks:\n"
    "  - id: R1\n"
    '    title: "[link=https://evil.example]click[/link] [/] [bold red]x \\e[2J\\e]8;;https://evil.example\\e\\\\y\\u202e"\n'
    '    category: "[red]cat"\n'
    "    likelihood: 3\n"
    "    impact: 3\n"
)


@pytest.mark.parametrize("command", [["list"], ["show", "R1"], ["matrix"], ["list", "--json"]])
@pytest.mark.parametrize("terminal", [False, True])
def test_register_text_is_literal_and_inert(run, write, command, terminal) -> None:
    env = {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1", "COLUMNS": "250"} if terminal else {"COLUMNS": "250"}
    result = run(*command, "--register", str(write(HOSTILE)), env=env)
    assert result.exit_code == 0, result.stderr
    out = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)  # colour codes are fine; nothing else is
    assert "\x1b]8;" not in out and "\x1b[2J" not in out and "\u202e" not in out
    if command == ["show", "R1"] or command == ["list"]:
        assert "[link=https://evil.example]click[/link] [/] [bold red]x" in out


def test_no_color_on_a_terminal_prints_no_escape_codes(run) -> None:
    result = run("matrix", env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1"})
    assert "\x1b" not in result.stdout


def test_colour_on_a_terminal(run) -> None:
    result = run("matrix", env={"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--limit", "0"], "Invalid value for '--limit'"),
        (["list", "--limit", "many"], "Invalid value for '--limit'"),
        (["list", "--bogus"], "No such option: --bogus (see 'riskcli list --help')"),
        (["--bogus", "list"], "No such option: --bogus (see 'riskcli --help')"),
        (["nocommand"], "No such command 'nocommand'"),
        (["show"], "Missing argument 'ID'"),
        (["matrix", "--register"], "option '--register' requires a value"),
    ],
)
def test_usage_mistakes_get_one_line_and_exit_2(run, args, message) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr


def test_global_options_after_the_command_keep_their_order(run, write) -> None:
    a, b = str(write(SMALL, "a.yaml")), str(write(MINIMAL, "b.yaml"))
    assert json.loads(run("-r", a, "list", "--json", "-r", b).stdout)["register"]["path"] == b
    assert json.loads(run("list", "--json", f"-r{b}").stdout)["register"]["path"] == b


def test_the_journal_cannot_be_the_register(run, write) -> None:
    path = str(write(SMALL))
    result = run("score", "R1", "-l", "2", "-i", "2", "--register", path, "--journal", path)
    assert result.exit_code == 2 and "is the register itself" in result.stderr


def test_what_if_with_init_is_refused(run, tmp_path) -> None:
    result = run("--what-if", "A1=fails", "init", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and not (tmp_path / "x.yaml").exists()


app = whole_app()  # every command registered


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _events(tmp_path: Path, name: str = "reg.journal.jsonl") -> list[dict]:
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


# --------------------------------------------------------------------------- list


def test_list_piped_prints_every_risk(run, write) -> None:
    rows = "".join(f"  - {{id: R{n}, title: Risk {n}, likelihood: {n % 5 + 1}, impact: 3}}\n" for n in range(120))
    result = run("list", "--register", str(write("risks:\n" + rows)))
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 121
    assert {line.split("\t")[1] for line in lines[1:]} == {f"R{n}" for n in range(120)}
    assert result.stderr == ""


# --------------------------------------------------------------------------- colour and pipes


@pytest.mark.parametrize("command", ["list", "history", "matrix"])
def test_force_color_never_changes_piped_output(run, watched, command) -> None:
    assert run("assume", "A1", "fails", "--register", watched).exit_code == 0
    plain = run(command, "--register", watched)
    forced = run(command, "--register", watched, env={"FORCE_COLOR": "1"})
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


# --------------------------------------------------------------------------- option values stay put


@pytest.mark.parametrize("why", ["-rother.yaml", "-rough estimate", "--register=other.yaml"])
def test_a_global_options_look_alike_stays_the_value_of_why(run, write, tmp_path, monkeypatch, why) -> None:
    monkeypatch.chdir(tmp_path)
    write(WATCHED, "other.yaml")
    result = run("observe", "I1", "--why", why, "--json", "--register", str(write(WATCHED)))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["event"]["why"] == why
    assert [e["why"] for e in _events(tmp_path)] == [why]
    assert not (tmp_path / "other.journal.jsonl").exists()


def test_global_options_between_a_group_and_its_subcommand(run, write) -> None:
    """``riskcli add -r FILE risk …``: the subcommand's own option values still stay put."""
    reg = write(SUPPLY)
    result = run("add", "-r", str(reg), "risk", "--title", "-rough estimate", "-l", "2", "-i", "2")
    assert result.exit_code == 0, result.stderr
    assert "title: -rough estimate" in reg.read_text(encoding="utf-8")
    failed = run("add", "-r", str(reg), "risk", "--title", "--json", "-l", "9", "-i", "3")
    assert failed.exit_code == 2 and failed.stdout == ""
    assert failed.stderr.startswith("error: ") and failed.stderr.count("\n") == 1, failed.stderr


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def test_a_non_utf8_why_is_refused_with_one_line(reg, tmp_path) -> None:
    why = os.fsdecode(b"caf\xe9")  # surrogate-escaped, as Python decodes a Latin-1 argument
    p = riskcli_process("--register", reg, "assume", "A1", "fails", "--why", why, env={"RISKCLI_HOME": str(tmp_path)})
    assert p.returncode == 2
    assert p.stderr.decode().strip().endswith("--why is not valid UTF-8 text; check your terminal's encoding")
    assert not (tmp_path / "reg.journal.jsonl").exists()


def test_a_non_utf8_analyst_name_is_refused_with_one_line(reg, tmp_path) -> None:
    p = riskcli_process(
        "--register", reg, "assume", "A1", "fails",
        env={"RISKCLI_ANALYST": os.fsdecode(b"j\xf6rg"), "RISKCLI_HOME": str(tmp_path)},
    )  # fmt: skip
    assert p.returncode == 2 and b"Traceback" not in p.stderr
    assert b"the analyst name is not valid UTF-8 text" in p.stderr


def test_a_non_utf8_register_path_is_shown_safely(tmp_path) -> None:
    name = os.fsdecode(b"reg-\xff.yaml")
    (tmp_path / name).write_text(SUPPLY, encoding="utf-8")
    for args in (["validate", name], ["--register", name, "matrix"], ["--register", name, "list", "--json"]):
        p = riskcli_process(*args, cwd=tmp_path, env={"RISKCLI_HOME": str(tmp_path)})
        assert p.returncode == 0 and b"Traceback" not in p.stderr, (args, p.stderr)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_narrow_output_encoding_never_crashes_a_table(reg, tmp_path, encoding) -> None:
    for args in (["matrix"], ["list"], ["show", "R1"], ["explain", "R1"], ["assumptions"]):
        p = riskcli_process("--register", reg, *args, env={"PYTHONIOENCODING": encoding, "RISKCLI_HOME": str(tmp_path)})
        assert p.returncode == 0 and b"Traceback" not in p.stderr, (args, p.stderr)


# --------------------------------------------------------------------------- odd characters, and output that cannot be written


@pytest.mark.parametrize("char", ["\u061c", "\u200b", "\u200d", "\u2028", "\u2029", "\u00ad", "\U000e0041", "\ufeff"])
def test_invisible_and_formatting_characters_are_made_visible(run, write, char) -> None:
    path = write(f"risks:\n  - {{id: R1, title: 'a{char}b', likelihood: 2, impact: 2}}\n")
    result = run("list", "--register", str(path), env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert result.exit_code == 0 and char not in result.stdout
    assert f"<U+{ord(char):04X}>" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list", "--json"], ["matrix"], ["list"]])
def test_output_that_cannot_be_written_is_an_error_never_a_silent_cut(reg, tmp_path, args) -> None:
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "riskcli", "--register", reg, *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, "RISKCLI_HOME": str(tmp_path)},
            timeout=60,
        )
    assert p.returncode == 1 and b"Traceback" not in p.stderr
    assert b"No space left on device" in p.stderr
