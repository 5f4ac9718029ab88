"""history --risk: the risk's score over time, from the baseline through each event that moved it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.conftest import SUPPLY

from riskcli.journal import appending
from riskcli.render.track import bar, sparkline


def _json(run, *args: str) -> dict[str, Any]:
    r = run(*args, "--json")
    assert r.exit_code == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    return data


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(appending, "now_utc", lambda: when)


def _journal(run, reg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _at(monkeypatch, "2025-01-10T09:00:00.000000Z")
    assert run("-r", reg, "assume", "A1", "fails", "--why", "supplier lost").exit_code == 0
    _at(monkeypatch, "2025-02-10T09:00:00.000000Z")
    assert run("-r", reg, "--analyst", "alice", "score", "R1", "-l", "5", "-i", "5", "--why", "worse").exit_code == 0
    _at(monkeypatch, "2025-02-11T09:00:00.000000Z")
    assert run("-r", reg, "score", "R3", "-l", "2", "-i", "2").exit_code == 0  # not R1's
    _at(monkeypatch, "2025-03-10T09:00:00.000000Z")
    assert run("-r", reg, "undo", "--why", "not yet").exit_code == 0  # R3's score: not R1's either
    assert run("-r", reg, "undo", "2", "--why", "too soon").exit_code == 0


def test_the_track_runs_from_the_baseline_to_the_current_score(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    track = _json(run, "-r", reg, "history", "--risk", "R1")["track"]
    points = track["points"]
    assert track["risk"] == "R1" and track["top"] == 25
    assert [(p["line"], p["by"], p["kind"], p["why"]) for p in points] == [
        (None, None, None, None),
        (1, "tester", "belief", "supplier lost"),
        (2, "alice", "score", "worse"),
        (5, "tester", "undo", "too soon"),
    ]
    baseline = _json(run, "-r", reg, "show", "R1", "--as-of", "2025-01-01")["risk"]["current"]
    now = _json(run, "-r", reg, "show", "R1")["risk"]["current"]
    assert points[0]["score"] == baseline and points[-1]["score"] == now
    assert points[2]["score"]["cell"] == {"likelihood": 5, "impact": 5}
    for p in points[1:]:  # each step is the picture as of its moment
        then = _json(run, "-r", reg, "show", "R1", "--as-of", p["at"])["risk"]["current"]
        assert p["score"] == then


def test_history_without_a_risk_draws_no_track(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    assert _json(run, "-r", reg, "history")["track"] is None


def test_the_track_on_a_terminal_is_a_sparkline_and_bars(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    shown = run("-r", reg, "history", "--risk", "R1", env={"TTY_COMPATIBLE": "1", "COLUMNS": "120", "NO_COLOR": "1"})
    assert shown.exit_code == 0, shown.stderr
    first = shown.stdout.splitlines()[0]
    assert first.startswith("R1 over time ")
    assert first == "R1 over time ▄▅█▅  score 12 → 16 → 25 → 16"
    assert "█" * 20 in shown.stdout  # 25 of 25: the whole bar
    assert "worse" in shown.stdout and "alice" in shown.stdout


def test_sparkline_and_bar_scale_to_the_top_of_the_scales() -> None:
    assert sparkline([0, 12.5, 25], 25) == "▁▅█"
    assert sparkline([30, -1], 25) == "█▁"
    assert bar(25, 25) == "█" * 20
    assert bar(12.5, 25) == "█" * 10
    assert bar(1, 25) == "▊"  # 0.8 of a cell: 6 eighths
    assert bar(0, 25) == ""
