"""The matrix says what its state is made of (render/matrix.py): the register's baseline, and how
many events of which journal are in force — on a terminal and piped alike."""

from __future__ import annotations

import pytest

TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "200"}


def _state_line(text: str) -> str:
    return next(line.strip() for line in text.splitlines() if line.startswith("State: "))


@pytest.mark.parametrize("env", [TERMINAL, {"COLUMNS": "200"}], ids=["terminal", "piped"])
def test_the_matrix_says_how_many_journal_events_are_in_force_and_from_where(run, tmp_path, env) -> None:
    journal = tmp_path / "home" / "dprk-troops-russia.journal.jsonl"
    assert _state_line(run("matrix", env=env).stdout) == (
        f"State: the register's baseline; no journal event in force ({journal})."
    )
    for args in (["assume", "A7", "fails"], ["observe", "I6"], ["assume", "A1", "0.3"], ["undo"]):
        assert run(*args).exit_code == 0
    assert _state_line(run("matrix", env=env).stdout) == (
        f"State: the register's baseline with 2 journal events in force, from {journal}."
    )


def test_one_event_is_one_event(run, tmp_path) -> None:
    assert run("assume", "A7", "fails").exit_code == 0
    assert _state_line(run("matrix", env=TERMINAL).stdout).startswith(
        "State: the register's baseline with 1 journal event in force, from "
    )


def test_the_json_grid_is_unchanged(run) -> None:
    assert "State:" not in run("matrix", "--json").stdout
