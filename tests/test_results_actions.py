"""Recording actions (results/actions.py): an action that records nothing — a refusal, or a state
already as asked — leaves no journal file behind where there was none."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["undo"], 2, "error: nothing to undo in "),
        (["undo", "--mine"], 2, "error: nothing of yours (tester) to undo in "),
        (["undo", "3"], 2, "error: no event '3' in "),
        (["assume", "A7", "0.6"], 0, "A7's belief is already 0.60 (caveated); nothing recorded"),
        (["respond", "M1", "--withdraw"], 0, "M1 is already not applied; nothing recorded"),
    ],
)
def test_recording_nothing_creates_no_journal(run, tmp_path, args, code, said) -> None:
    home = tmp_path / "home"
    result = run(*args)
    assert result.exit_code == code
    assert result.stderr.startswith(said)
    assert not home.exists() or list(home.iterdir()) == []


def test_undo_still_undoes_once_there_is_something(run, tmp_path) -> None:
    journal: Path = tmp_path / "home" / "dprk-troops-russia.journal.jsonl"
    assert run("assume", "A7", "fails").exit_code == 0
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 1
    result = run("undo")
    assert result.exit_code == 0, result.stderr
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 2
    again = run("undo")
    assert again.exit_code == 2 and again.stderr == f"error: nothing to undo in {journal}\n"
