"""--json output: compact when piped, indented on a terminal or with --indent; the same data."""

from __future__ import annotations

import json

import pytest

from conftest import WATCHED, Run


def test_piped_json_is_one_compact_line(run: Run) -> None:
    out = run("matrix", "--json").stdout
    data = json.loads(out)
    assert out == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert out.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--indent", "matrix", "--json"], {}),
        (["matrix", "--json", "--indent"], {}),  # a global option, after the command too
        (["matrix", "--json"], {"TTY_COMPATIBLE": "1"}),  # read by a person
    ],
)
def test_json_is_indented_on_a_terminal_or_when_asked(run: Run, args: list[str], env: dict[str, str]) -> None:
    out = run(*args, env=env).stdout
    data = json.loads(out)
    assert out == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert data == json.loads(run("matrix", "--json").stdout)


def test_indent_after_a_group_subcommand(run: Run) -> None:
    assert run("assume", "A1", "0.3", "--why", "doubt").exit_code == 0
    r = run("journal", "verify", "--json", "--indent")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith('{\n  "schema": "riskcli/journal-verify/')


def test_a_json_error_is_compact_piped_and_indented_when_asked(run: Run) -> None:
    compact = run("show", "R99", "--json")
    assert compact.exit_code == 2
    assert (
        compact.stderr.startswith('{"schema":"riskcli/error/1","error":{"code":2,') and compact.stderr.count("\n") == 1
    )
    indented = run("show", "R99", "--json", "--indent")
    assert indented.stderr.startswith('{\n  "schema": "riskcli/error/1",\n  "error": {\n    "code": 2,')
    assert json.loads(indented.stderr) == json.loads(compact.stderr)


def test_controls_are_escaped_in_both_forms(run: Run, write) -> None:
    reg = write('risks:\n  - {id: R1, title: "bidi \\u202e and C1 \\x85 here", likelihood: 3, impact: 3}\n')
    for extra in ([], ["--indent"]):
        out = run("-r", str(reg), "list", "--json", *extra).stdout
        assert "\u202e" not in out and "\x85" not in out
        assert "\\u202e" in out and "\\u0085" in out
        assert json.loads(out)["risks"][0]["title"] == "bidi \u202e and C1 \x85 here"


# --------------------------------------------------------------------------- errors with --json


@pytest.mark.parametrize(
    "args",
    [("show", "R9"), ("explain", "R9"), ("score", "R9", "-l", "3"), ("history", "--risk", "R9")],
    ids=["show", "explain", "score", "history"],
)
def test_an_unknown_risk_with_json_is_a_json_error_on_stderr(run, watched, args) -> None:
    result = run(*args, "--json", "--register", watched)
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
