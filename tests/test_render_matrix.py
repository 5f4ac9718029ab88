"""The matrix says what its state is made of (render/matrix.py): the register's baseline, and how
many events of which journal are in force — on a terminal and piped alike."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import SUPPLY

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


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


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


# --------------------------------------------------------------------------- the coloured matrix

COLOURED = {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"}


def test_the_coloured_matrix_fills_every_line_of_a_cell(run, watched, monkeypatch) -> None:
    monkeypatch.setenv("COLORTERM", "truecolor")
    result = run("matrix", "--register", watched, env=COLOURED)
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
    env.update(COLOURED, TERM="xterm", PYTHONIOENCODING="utf-8")
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


def test_the_matrix_uses_the_width_it_has(run, watched) -> None:
    narrow = run("matrix", "--register", watched, env={"TTY_COMPATIBLE": "1", "COLUMNS": "100"})
    wide = run("matrix", "--register", watched, env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"})
    assert narrow.exit_code == wide.exit_code == 0
    assert 150 < _widest(wide.stdout) <= 200
    assert _widest(narrow.stdout) <= 100


@pytest.mark.parametrize("terminal", ["1", "0"])
def test_columns_zero_still_prints_the_matrix(run, watched, terminal) -> None:
    result = run("matrix", "--register", watched, env={"COLUMNS": "0", "TTY_COMPATIBLE": terminal})
    assert result.exit_code == 0, result.stderr
    assert "Ratings:" in result.stdout and "R1" in result.stdout
    assert 40 <= _widest(result.stdout) <= 200


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def test_columns_zero_still_prints(run, reg) -> None:
    result = run("matrix", "--register", reg, env={"COLUMNS": "0"})
    assert result.exit_code == 0 and "Ratings:" in result.stdout
