"""Shell completion: commands, options, and the ids of the register in use — through the protocol a
shell speaks (the _RISKCLI_COMPLETE environment variable), as the installed scripts call it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskcli.cli.app import whole_app

from conftest import SUPPLY

app = whole_app()  # every command registered


def _bash(words: str, env: dict[str, str] | None = None) -> list[str]:
    """What bash is offered for the last word of ``words`` (completing after a space: a new word)."""
    parts = words.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="riskcli",
        env={
            "_RISKCLI_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )
    assert result.exit_code == 0, result.output
    return [line.split(",", 1)[1] for line in result.stdout.splitlines() if line.startswith("plain,")]


def _zsh(words: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(
        app,
        [],
        prog_name="riskcli",
        env={"_RISKCLI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words, **(env or {})},
    )
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def test_commands_complete() -> None:
    assert _bash("riskcli sh") == ["show"]
    assert {"add", "set", "matrix", "validate"} <= set(_bash("riskcli "))


def test_options_complete() -> None:
    assert _bash("riskcli add risk --c") == ["--category", "--confidence"]
    assert "--install-completion" in _bash("riskcli --")


def test_risk_ids_of_the_register_given_with_register(reg) -> None:
    assert _bash(f"riskcli --register {reg} show ") == ["R1", "R2", "R3"]
    assert _bash(f"riskcli show --register {reg} R") == ["R1", "R2", "R3"]  # after the command too
    assert _bash(f"riskcli -r {reg} score R2") == ["R2"]


def test_ids_of_the_register_in_the_environment(reg) -> None:
    assert _bash("riskcli explain ", {"RISKCLI_REGISTER": reg}) == ["R1", "R2", "R3"]
    assert _bash("riskcli assume ", {"RISKCLI_REGISTER": reg}) == ["A1", "A2"]


def test_each_command_completes_its_own_kind(write) -> None:
    reg = str(
        write(
            SUPPLY
            + "indicators:\n  - {id: I1, title: Late shipment, updates: [{assumption: A1, belief: 0.2}]}\n"
            + "responses:\n  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}]}\n"
        )
    )
    assert _bash(f"riskcli -r {reg} observe ") == ["I1"]
    assert _bash(f"riskcli -r {reg} respond ") == ["M1"]
    assert _bash(f"riskcli -r {reg} set ") == ["R1", "R2", "R3", "A1", "A2", "I1", "M1"]


def test_the_embedded_register_completes_without_register() -> None:
    ids = _bash("riskcli show ")
    assert ids[:3] == ["R1", "R2", "R3"] and len(ids) >= 10


def test_a_register_that_cannot_be_read_completes_nothing(write, tmp_path) -> None:
    assert _bash(f"riskcli -r {tmp_path / 'missing.yaml'} show ") == []
    broken = write("risks: [\n", "broken.yaml")
    assert _bash(f"riskcli -r {broken} show ") == []


def test_zsh_shows_titles_as_plain_text(write) -> None:
    reg = write(
        "risks:\n"
        '  - {id: R1, title: "Grid failure", likelihood: 1, impact: 1}\n'
        "  - {id: R2, title: \"x'; touch /tmp/owned; echo '$(id)`id`\", likelihood: 1, impact: 1}\n"
    )
    out = _zsh(f"riskcli -r {reg} show ")
    assert '"R1":"Grid failure"' in out
    assert '"R2":"x touch tmp owned echo id id"' in out
    for ch in ("$", "`", ";", "/"):
        assert ch not in out.split('"R2":', 1)[1]


def test_show_completion_prints_a_script(monkeypatch) -> None:
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="riskcli")
    assert result.exit_code == 0
    assert "_RISKCLI_COMPLETE=complete_bash" in result.stdout
    assert "complete -F _riskcli_completion riskcli" in result.stdout and "complete -o default" not in result.stdout


# What bash offers, with the script --show-completion prints (the one --install-completion installs)
# sourced into bash itself: the words in COMPREPLY, and "file names" when the script turns on bash's
# own (compopt -o default; recorded here, as compopt works only while bash is completing).
BASH_TAB = r"""
source "$1"; shift
compopt() { echo compopt "$@" >> "$OFFERED"; }
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
complete -p riskcli >> "$OFFERED"
_riskcli_completion riskcli
for word in "${COMPREPLY[@]}"; do echo "$word" >> "$OFFERED"; done
"""


@pytest.fixture
def tab(tmp_path, monkeypatch):
    """``tab("observe I1 ")``: what bash offers at the end of ``riskcli observe I1 ``, as lines."""
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    script = tmp_path / "riskcli.bash"
    script.write_text(CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="riskcli").stdout)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "riskcli").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m riskcli "$@"\n')
    (bin_dir / "riskcli").chmod(0o755)
    (tmp_path / "notes.txt").write_text("a file bash would offer\n")

    def offered(line: str) -> list[str]:
        out = tmp_path / "offered"
        out.write_text("")
        words = ["riskcli", *line.split(" ")]
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "OFFERED": str(out), "HOME": str(tmp_path)}
        done = subprocess.run(
            ["bash", "--norc", "-c", BASH_TAB, "bash", str(script), *words],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0 and done.stderr == "", done.stderr
        lines = out.read_text().splitlines()
        assert lines[0] == "complete -F _riskcli_completion riskcli"  # never -o default
        return lines[1:]

    return offered


def test_bash_offers_no_file_names_where_riskcli_has_nothing_to_offer(tab) -> None:
    assert tab("observe I1 ") == ["seen", "absent"]
    assert tab("observe I1 seen ") == []
    assert tab("assume A7 ve") == ["very-unlikely", "very-likely"]
    assert tab("assume A7 holds ") == []
    assert tab("assume A7 no") == []  # a word riskcli does not know
    assert tab("assume A7 holds --why ") == []  # nor any text
    assert tab("show R14 --what-if A7=h") == ["A7=holds"]


def test_bash_offers_file_names_where_a_path_is_asked_for(tab) -> None:
    file_names = ["compopt -o default"]
    assert tab("--register ") == file_names
    assert tab("-r no") == file_names
    assert tab("matrix --journal ") == file_names
    assert tab("export -o ") == file_names
    assert tab("import ") == file_names
    assert tab("diff a.yaml ") == file_names
    assert tab("sh") == ["show"]  # and still the commands, options and ids riskcli knows


def test_the_docs_say_how_to_install_it() -> None:
    page = (Path(__file__).resolve().parents[1] / "docs" / "editing.md").read_text(encoding="utf-8")
    assert "riskcli --install-completion" in page and "riskcli --show-completion" in page


def _bash_run(words: str, env: dict[str, str] | None = None):
    parts = words.split(" ")
    return CliRunner().invoke(
        app,
        [],
        prog_name="riskcli",
        env={
            "_RISKCLI_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(parts) - 1),
            **(env or {}),
        },
    )


@pytest.mark.parametrize("option", ["--scenario", "--what-if", "--register"])
@pytest.mark.parametrize("where", ["riskcli show {} ", "riskcli {} ", "riskcli matrix --json {} "])
def test_a_global_option_after_or_before_the_command_completes_without_an_error(option, where) -> None:
    result = _bash_run(where.format(option))
    assert result.exit_code == 0
    assert result.stderr == "" and "error" not in result.stdout


def test_scenario_completes_the_scenarios_of_the_register_in_use(write) -> None:
    reg = str(
        write(
            SUPPLY
            + "scenarios:\n  - {id: squeeze, title: Supply squeeze, beliefs: {A1: fails}}\n"
            + "  - {id: calm, title: All quiet, beliefs: {A1: holds}}\n"
        )
    )
    assert _bash(f"riskcli -r {reg} show --scenario ") == ["squeeze", "calm"]
    assert _bash(f"riskcli show -r {reg} --scenario s") == ["squeeze"]
    assert "contained" in _bash("riskcli matrix --scenario ")  # the embedded register's


def test_what_if_completes_moves_of_every_kind(write) -> None:
    reg = str(
        write(
            SUPPLY
            + "indicators:\n  - {id: I1, title: Late shipment, updates: [{assumption: A1, belief: 0.2}]}\n"
            + "  - {id: I2, title: Port strike, bears_on: [{assumption: A1, seen: 0.5}]}\n"
            + "responses:\n  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}]}\n"
        )
    )
    assert _bash(f"riskcli -r {reg} show R1 --what-if A2") == ["A2=holds", "A2=fails", "A2=uncertain"]
    assert _bash(f"riskcli -r {reg} matrix --what-if I") == ["I1", "I2", "I2=absent"]  # only a signpost is absent
    assert _bash(f"riskcli -r {reg} --what-if M") == ["M1", "M1=withdrawn"]


def test_every_move_offered_is_one_that_what_if_accepts(run) -> None:
    moves = _bash("riskcli show R14 --what-if ")
    assert len(moves) > 60
    for move in moves:
        result = run("show", "R14", "--what-if", move, "--json")
        assert result.exit_code == 0, (move, result.stderr)


def test_observe_completes_its_outcomes_not_file_names() -> None:
    assert _bash("riskcli observe I1 ") == ["seen", "absent"]
    assert _bash("riskcli observe I1 a") == ["absent"]


def test_assume_completes_belief_words_each_of_which_assume_understands(run) -> None:
    words = _bash("riskcli assume A7 ")
    assert words[:3] == ["holds", "fails", "uncertain"]
    assert {"likely", "very-likely", "roughly-even-chance"} <= set(words)
    assert _bash("riskcli assume A7 very") == ["very-unlikely", "very-likely"]
    for word in words:
        result = run("assume", "A7", word, "--json")
        assert result.exit_code == 0, (word, result.stderr)


def test_assume_completes_the_words_of_the_register_s_own_rules(write, tmp_path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("words:\n  beliefs: {sure: 1.0, doubtful: 0.2}\n", encoding="utf-8")
    reg = str(write(SUPPLY))
    assert _bash(f"riskcli -r {reg} --rules {rules} assume A1 ")[:2] == ["sure", "doubtful"]
    assert _bash(f"riskcli -r {tmp_path / 'missing.yaml'} assume A1 ") == []
