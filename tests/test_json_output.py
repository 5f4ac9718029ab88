"""--json output: compact when piped, indented on a terminal or with --indent; the same data."""

from __future__ import annotations

import json

import pytest

from conftest import Run


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
