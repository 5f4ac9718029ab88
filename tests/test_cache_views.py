"""riskcli's caches change no output of any read view: the validated-register cache and the
journal's replay checkpoint deleted, one or both, every view says what it said with them; and a
journal line edited behind riskcli's back (``sed``) is named by the reads, which compute the state
from the journal's bytes, never from the checkpoint."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from riskcli.cli.app import COMMANDS

from conftest import MINIMAL, Run

# The journal behind the views: every kind of event on the embedded register — scores, beliefs,
# observations, responses, decisions about risks, an undo, a second analyst, a resolution.
RECORD = [
    ("score", "R1", "-l", "4", "-i", "4", "--why", "casualty reports"),
    ("assume", "A1", "fails", "--why", "Moscow keeps its distance"),
    ("score", "R2", "-l", "2", "-i", "3", "--confidence", "high"),
    ("observe", "I1", "--ref", "report-1"),
    ("respond", "M1"),
    ("assume", "A2", "0.3"),
    ("accept", "R3", "--until", "2030-06-30", "--why", "cost of treatment exceeds the exposure"),
    ("treat", "R4", "reduce", "--with", "M2", "--why", "funded"),
    ("assign", "R4", "--owner", "Head of Security"),
    ("review", "R4", "--why", "quarterly review"),
    ("close", "R5", "--why", "withdrawn"),
    ("score", "R3", "-l", "5", "-i", "2"),
    ("undo",),
    ("score", "R1", "-l", "2", "-i", "2", "--analyst", "alice", "--why", "a second view"),
    ("resolve", "R3", "occurred", "--on", "2025-03-01", "--why", "troops deployed"),
    ("observe", "I2", "absent"),
]

# Every view that reads a register or a journal, in text and JSON, with and without a hypothesis
# or a date. A command missing from here and from WRITES fails the test below: add it.
READS: list[tuple[str, ...]] = [
    ("list",),
    ("list", "--all"),
    ("list", "--all", "--json"),
    ("show", "R1"),
    ("show", "R4", "--json"),
    ("assumptions",),
    ("assumptions", "--json"),
    ("matrix",),
    ("matrix", "--json"),
    ("matrix", "--inherent", "--compare", "baseline"),
    ("compare", "baseline", "current", "--json"),
    ("explain", "R1"),
    ("explain", "R1", "--json"),
    ("scenarios",),
    ("scenarios", "--json"),
    ("indicators",),
    ("indicators", "--json"),
    ("responses",),
    ("responses", "--json"),
    ("history",),
    ("history", "--json"),
    ("history", "--risk", "R1"),
    ("journal", "verify"),
    ("journal", "head"),
    ("validate",),
    ("validate", "--json"),
    ("diff", "{old}", "{new}", "--json"),
    ("diff", "{old}", "{new}"),
    ("schema", "matrix"),
    ("report", "--json"),
    ("report", "--format", "md"),
    ("report", "--format", "html"),
    ("export", "--format", "csv"),
    ("export", "--format", "json"),
    ("export", "--format", "yaml"),
    ("simulate", "--trials", "300", "--seed", "3", "--json"),
    ("sensitivity", "--trials", "300", "--seed", "3"),
    ("sensitivity", "--trials", "300", "--seed", "3", "--json"),
    ("lint-matrix", "--json"),
    ("--what-if", "A1=holds", "matrix"),
    ("--what-if", "A3=fails", "list", "--json"),
    ("--as-of", "2000-01-01", "matrix", "--json"),
    ("disagreements",),
    ("disagreements", "--json"),
    ("--analyst", "alice", "matrix"),
    ("calibration",),
    ("calibration", "--json"),
    ("history", "--risk", "R3"),
    ("check", "--fail-on", "response-late"),
    ("check", "--json", "--fail-on", "response-late"),
    ("owners",),
    ("owners", "--json"),
]
# Commands that write (the register, the journal or a file): not views.
WRITES = {
    "set", "add", "init", "score", "assume", "undo", "accept", "treat", "review", "assign", "close", "reopen",
    "import", "observe", "respond", "resolve", "rebaseline",
}  # fmt: skip


def _seen(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


def _cache() -> Path:
    return Path(os.environ["RISKCLI_CACHE"])


def _forget(what: str) -> None:
    """Delete the checkpoints (``journals``), the registers cached (``registers``) or both (``all``)."""
    cache = _cache()
    if what == "all":
        shutil.rmtree(cache, ignore_errors=True)
        return
    shutil.rmtree(cache / what, ignore_errors=True)


_RECORDED: list[bytes] = []  # the journal, recorded once for this module


@pytest.fixture
def journal_behind(run: Run, tmp_path: Path) -> Path:
    path = tmp_path / "j.jsonl"
    if not _RECORDED:
        for step in RECORD:
            result = run(*step, "--journal", str(path))
            assert result.exit_code == 0, (step, result.stderr)
        _RECORDED.append(path.read_bytes())
    path.write_bytes(_RECORDED[0])
    return path


def test_every_command_is_a_view_here_or_writes() -> None:
    views = {next(a for a in v if a in COMMANDS) for v in READS}
    assert not views & WRITES
    assert views | WRITES == set(COMMANDS), "a command is neither a read view here nor a write: add it to READS"


def test_the_caches_are_where_the_test_deletes_them(run: Run, journal_behind: Path) -> None:
    assert run("matrix", "--journal", str(journal_behind)).exit_code == 0
    assert list((_cache() / "journals").glob("*.checkpoint"))
    assert any((_cache() / "registers").iterdir())


@pytest.mark.parametrize("view", READS, ids=" ".join)
def test_deleting_the_register_cache_and_the_checkpoint_changes_no_output(
    run: Run, journal_behind: Path, view: tuple[str, ...]
) -> None:
    """Warm (both caches there), then without the checkpoints, without the registers cached, and
    with the whole cache deleted: the same exit code, stdout and stderr."""
    old, new = journal_behind.parent / "old.yaml", journal_behind.parent / "new.yaml"
    old.write_text(MINIMAL)
    new.write_text(MINIMAL.replace("impact: 5", "impact: 4") + "  - {id: R2, title: Flood, likelihood: 2, impact: 2}\n")
    args = (*(a.format(old=old, new=new) for a in view), "--journal", str(journal_behind))
    cold = _seen(run(*args))  # fills the caches, as any earlier run would have
    warm = _seen(run(*args))
    assert warm == cold
    assert warm[0] == 0, warm
    for what in ("journals", "registers", "all"):
        _forget(what)
        assert _seen(run(*args)) == warm, what


# --------------------------------------------------------------------------- a line edited with sed


def _sed(expression: str, path: Path) -> None:
    sed = shutil.which("sed")
    if sed is None:  # pragma: no cover - every POSIX system has sed
        pytest.skip("no sed")
    subprocess.run([sed, "-i", expression, str(path)], check=True)


@pytest.mark.parametrize(
    "view", [("show", "R1", "--json"), ("matrix", "--json"), ("show", "R1"), ("matrix",)], ids=" ".join
)
def test_a_score_edited_with_sed_is_named_and_the_state_read_from_the_lines(
    run: Run, tmp_path: Path, view: tuple[str, ...]
) -> None:
    path = tmp_path / "j.jsonl"
    for step in RECORD[:6]:
        assert run(*step, "--journal", str(path)).exit_code == 0
    trusted = _seen(run(*view, "--journal", str(path)))  # leaves a checkpoint at the last line
    assert list((_cache() / "journals").glob("*.checkpoint"))
    _sed('1s/"likelihood":4.0/"likelihood":1.0/', path)  # the first score, 4 → 1
    forged = run(*view, "--journal", str(path))
    about_the_journal = [line for line in forged.stderr.splitlines() if str(path) in line]
    assert about_the_journal == [
        f"warning: {path}:2: the hash chain breaks: line 2 does not follow the line before it: that line was "
        "edited, or lines between them deleted (riskcli journal verify lists every break)"
    ]
    assert forged.exit_code == 0
    assert _seen(forged) != trusted  # not the checkpoint's state: the lines as they are now
    _forget("all")
    assert _seen(run(*view, "--journal", str(path))) == _seen(forged)  # as a read with no checkpoint
    assert _seen(run(*view, "--journal", str(path))) == _seen(forged)  # and on every read after
