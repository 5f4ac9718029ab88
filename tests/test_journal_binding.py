"""The journal knows its register (issue 7, item 5): every event is bound to the register it was
recorded against, chained to the line before it, and refused by any other register."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import SUPPLY

# SUPPLY with an indicator and a response, so that every kind of event can be recorded.
WATCHED = (
    SUPPLY
    + """\
indicators:
  - {id: I1, title: Late shipment, review_every: 30, updates: [{assumption: A1, belief: 0.1}]}
responses:
  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}]}
"""
)

SEVEN_SCALE = """\
scales:
  likelihood:
    - {name: L1}
    - {name: L2}
    - {name: L3}
    - {name: L4}
    - {name: L5}
    - {name: L6}
    - {name: L7}
"""

SEVEN_LEVELS = "id: plant\n" + SEVEN_SCALE + "risks:\n  - {id: R1, title: Grid failure, likelihood: 3, impact: 5}\n"

FIVE_LEVELS = """\
id: plant
risks:
  - {id: R1, title: Grid failure, likelihood: 3, impact: 5}
"""


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def _fingerprint(run, reg: Path) -> str:
    result = run("list", "--json", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["register"]["fingerprint"]


@pytest.fixture
def reg(write) -> Path:
    return write(WATCHED)


@pytest.fixture
def chained(run, reg, tmp_path) -> Path:
    """A journal of four chained events."""
    for args in (
        ("assume", "A1", "fails"),
        ("score", "R3", "-l", "2", "-i", "2"),
        ("assume", "A2", "holds"),
        ("respond", "M1"),
    ):
        assert run(*args, "--register", str(reg)).exit_code == 0
    return tmp_path / "reg.journal.jsonl"


# --------------------------------------------------------------------------- binding


@pytest.mark.parametrize(
    "commands",
    [
        [("score", "R1", "-l", "4", "-i", "4")],
        [("assume", "A1", "fails")],
        [("observe", "I1")],
        [("observe", "I1", "--none")],
        [("respond", "M1")],
        [("assume", "A1", "fails"), ("undo",)],
    ],
    ids=["score", "belief", "observe", "review", "respond", "undo"],
)
def test_every_new_event_names_the_register_file_and_its_fingerprint(run, reg, tmp_path, commands) -> None:
    for args in commands:
        result = run(*args, "--register", str(reg))
        assert result.exit_code == 0, result.stderr
    fingerprint = _fingerprint(run, reg)
    events = _events(tmp_path / "reg.journal.jsonl")
    assert [(e["register"], e["fingerprint"]) for e in events] == [("reg.yaml", fingerprint)] * len(commands)


def test_a_register_with_an_id_binds_its_events_to_the_id(run, write, tmp_path) -> None:
    reg = write("id: supply-2025\n" + SUPPLY)
    assert run("assume", "A1", "fails", "--register", str(reg)).exit_code == 0
    (ev,) = _events(tmp_path / "reg.journal.jsonl")
    assert ev["register"] == "supply-2025"


def test_the_fingerprint_follows_ids_and_scales_not_text(run, write) -> None:
    base = _fingerprint(run, write(SUPPLY, "a.yaml"))
    retitled = _fingerprint(run, write(SUPPLY.replace("Production stops", "Line halts"), "b.yaml"))
    renamed_risk = _fingerprint(run, write(SUPPLY.replace("id: R3", "id: R4"), "c.yaml"))
    rescaled = _fingerprint(run, write(SEVEN_SCALE + SUPPLY, "d.yaml"))
    assert retitled == base
    assert len({base, renamed_risk, rescaled}) == 3


def test_another_registers_journal_is_refused_with_one_line_naming_both(run, reg, write, chained) -> None:
    other = write("id: other\n" + WATCHED, "other.yaml")
    result = run("list", "--register", str(other), "--journal", str(chained))
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: journal {chained} belongs to register 'reg.yaml' (line 1), not to 'other' ")
    assert "journal adopt" in line


def test_another_registers_journal_is_refused_as_json_on_stderr(run, reg, write, chained) -> None:
    other = write("id: other\n" + WATCHED, "other.yaml")
    result = run("list", "--json", "--register", str(other), "--journal", str(chained))
    assert result.exit_code == 2
    assert result.stdout == ""
    error = json.loads(result.stderr)
    assert error["schema"] == "riskcli/error/1"
    assert error["error"]["code"] == 2
    assert "belongs to register 'reg.yaml'" in error["error"]["message"]
    assert "not to 'other'" in error["error"]["message"]


def test_another_registers_journal_is_never_written(run, reg, write, chained) -> None:
    other = write("id: other\n" + WATCHED, "other.yaml")
    before = chained.read_bytes()
    result = run("assume", "A1", "holds", "--register", str(other), "--journal", str(chained))
    assert result.exit_code == 2
    assert chained.read_bytes() == before


def test_scores_beyond_a_smaller_scale_say_which_were_read_at_its_top(run, write, tmp_path) -> None:
    journal = str(tmp_path / "plant.jsonl")
    seven, five = write(SEVEN_LEVELS, "seven.yaml"), write(FIVE_LEVELS, "five.yaml")
    assert run("score", "R1", "-l", "7", "-i", "4", "--register", str(seven), "--journal", journal).exit_code == 0
    result = run("list", "--register", str(five), "--journal", journal)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "warning: journal scores beyond this register's scales (5×5) are read at the top of the scale: line 1: R1 7×4\n"
    )
    assert result.stdout.splitlines()[1].split("\t")[:4] == ["1", "R1", "5", "4"]


# --------------------------------------------------------------------------- verify


def test_verify_passes_an_intact_journal(run, reg, chained) -> None:
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ok: {chained}: 4 lines; 4 chained\nhead: ")
    assert result.stderr == ""


def test_verify_names_the_line_after_an_edited_one(run, reg, chained) -> None:
    lines = _lines(chained)
    lines[1] = lines[1].replace('"impact":2.0', '"impact":5.0')
    chained.write_text("".join(lines), encoding="utf-8")
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {chained}:3: line 3 does not follow the line before it: that line was edited, "
        "or lines between them deleted\n"
    )


def test_verify_finds_a_deleted_line(run, reg, chained) -> None:
    lines = _lines(chained)
    del lines[1]
    chained.write_text("".join(lines), encoding="utf-8")
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {chained}:2: line 2 does not follow the line before it")


def test_verify_says_two_swapped_lines_were_reordered(run, reg, chained) -> None:
    lines = _lines(chained)
    lines[1], lines[2] = lines[2], lines[1]
    chained.write_text("".join(lines), encoding="utf-8")
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {chained}:2: line 2 says it follows line 3: lines were reordered",
        f"error: {chained}:3: line 3 says it follows line 1: lines were reordered",
        f"error: {chained}:4: line 4 says it follows line 2: lines were reordered",
    ]


def test_verify_json_gives_the_breaks_as_data(run, reg, chained) -> None:
    lines = _lines(chained)
    lines[1], lines[2] = lines[2], lines[1]
    chained.write_text("".join(lines), encoding="utf-8")
    result = run("journal", "verify", "--json", "--register", str(reg))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False
    assert data["breaks"] == [
        {"line": 2, "follows": 3, "kind": "reordered"},
        {"line": 3, "follows": 1, "kind": "reordered"},
        {"line": 4, "follows": 2, "kind": "reordered"},
    ]


# --------------------------------------------------------------------------- journals from before binding

LEGACY = (
    '{"v":1,"id":"a1","at":"2025-01-02T09:00:00Z","by":"bob","kind":"belief","assumption":"A1","belief":0.0}\n'
    '{"v":1,"id":"a2","at":"2025-01-03T09:00:00Z","by":"bob","kind":"score","risk":"R3","likelihood":2,"impact":2}\n'
)


@pytest.fixture
def legacy(tmp_path) -> Path:
    path = tmp_path / "reg.journal.jsonl"
    path.write_text(LEGACY, encoding="utf-8")
    return path


def test_a_journal_from_before_binding_still_replays(run, reg, legacy) -> None:
    result = run("list", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t")[1:4] for line in result.stdout.splitlines()[1:]]
    assert rows == [["R1", "4", "4"], ["R2", "2", "3"], ["R3", "2", "2"]]


def test_a_journal_from_before_binding_gets_a_note(run, reg, legacy) -> None:
    result = run("list", "--register", str(reg))
    assert result.stderr == (
        f"warning: journal {legacy} was written before journals were bound to a register; its events are read as "
        "'reg.yaml''s, and new events will be bound to it\n"
    )


def test_the_note_goes_once_a_bound_event_is_recorded(run, reg, legacy) -> None:
    assert run("assume", "A2", "fails", "--register", str(reg)).exit_code == 0
    result = run("list", "--register", str(reg))
    assert result.exit_code == 0
    assert result.stderr == ""


def test_verify_counts_events_from_before_the_chain_as_unverifiable(run, reg, legacy) -> None:
    assert run("assume", "A2", "fails", "--register", str(reg)).exit_code == 0
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(
        f"ok: {legacy}: 3 lines; 1 chained, 2 from before the hash chain (not verifiable)\n"
    )


# --------------------------------------------------------------------------- adopt


@pytest.fixture
def renamed(run, write, tmp_path) -> Path:
    """old.yaml (no id) with a belief recorded, then renamed with its journal to new.yaml."""
    old = write(SUPPLY, "old.yaml")
    assert run("assume", "A1", "fails", "--register", str(old)).exit_code == 0
    new = tmp_path / "new.yaml"
    old.rename(new)
    (tmp_path / "old.journal.jsonl").rename(tmp_path / "new.journal.jsonl")
    return new


def test_a_renamed_register_refuses_its_old_journal_until_adopted(run, renamed) -> None:
    result = run("list", "--register", str(renamed))
    assert result.exit_code == 2
    assert "belongs to register 'old.yaml'" in result.stderr
    assert f"riskcli --register {renamed} --journal" in result.stderr and "journal adopt" in result.stderr


def test_adopt_lets_a_renamed_register_replay_its_old_journal(run, renamed) -> None:
    adopted = run("journal", "adopt", "--register", str(renamed))
    assert adopted.exit_code == 0, adopted.stderr
    assert adopted.stdout.startswith("new.yaml now replays the events of: new.yaml, old.yaml\n")
    result = run("list", "--register", str(renamed))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1].split("\t")[1:3] == ["R1", "4"]  # A1 fails: R1 3 → 4


def test_adopt_says_which_risks_the_adopted_events_move(run, renamed) -> None:
    result = run("journal", "adopt", "--json", "--register", str(renamed))
    assert result.exit_code == 0, result.stderr
    moves = json.loads(result.stdout)["moves"]
    assert [(m["risk"], m["from"]["likelihood"], m["to"]["likelihood"]) for m in moves] == [("R1", 3.0, 4.0)]


def test_a_copy_of_a_copy_adopts_the_journal_without_naming_a_register(run, renamed, tmp_path) -> None:
    """old.yaml → new.yaml (adopted) → third.yaml: the journal's owner is new.yaml, which carries old.yaml."""
    assert run("journal", "adopt", "--register", str(renamed)).exit_code == 0
    third = tmp_path / "third.yaml"
    renamed.rename(third)
    (tmp_path / "new.journal.jsonl").rename(tmp_path / "third.journal.jsonl")
    result = run("journal", "adopt", "--register", str(third))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("third.yaml now replays the events of: new.yaml, old.yaml, third.yaml\n")
    assert run("list", "--register", str(third)).stdout.splitlines()[1].split("\t")[1:3] == ["R1", "4"]


def test_an_unrelated_register_cannot_adopt_a_journal(run, write, tmp_path) -> None:
    mine = write(SUPPLY, "mine.yaml")
    assert run("assume", "A1", "fails", "--register", str(mine)).exit_code == 0
    other = write("risks: [{id: X1, title: Other, likelihood: 2, impact: 2}]\n", "other.yaml")
    journal = tmp_path / "mine.journal.jsonl"
    before = journal.read_bytes()
    result = run("journal", "adopt", "--register", str(other), "--journal", str(journal))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: none of the events of 'mine.yaml' in {journal} names a risk, assumption, indicator or response "
        "of 'other.yaml' (they name A1): not a copy of this register? Check --journal (or RISKCLI_JOURNAL); "
        "if it is one, name it: riskcli journal adopt mine.yaml\n"
    )
    assert journal.read_bytes() == before
    assert run("list", "--register", str(mine)).exit_code == 0
    named = run("journal", "adopt", "mine.yaml", "--register", str(other), "--journal", str(journal))
    assert named.exit_code == 0, named.stderr  # the analyst's word for it


def test_registers_that_adopted_each_other_are_named_not_guessed(run, renamed, tmp_path) -> None:
    """old → new (adopt) → old again (adopt) → third: no register carries the other alone."""
    assert run("journal", "adopt", "--register", str(renamed)).exit_code == 0
    old = tmp_path / "old.yaml"
    renamed.rename(old)
    (tmp_path / "new.journal.jsonl").rename(tmp_path / "old.journal.jsonl")
    assert run("journal", "adopt", "--register", str(old)).exit_code == 0
    third = tmp_path / "third.yaml"
    old.rename(third)
    (tmp_path / "old.journal.jsonl").rename(tmp_path / "third.journal.jsonl")
    result = run("journal", "adopt", "--register", str(third))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "name the one to adopt" in result.stderr
    assert run("journal", "adopt", "new.yaml", "--register", str(third)).exit_code == 0


def test_history_shows_the_adopt_event(run, renamed) -> None:
    assert run("journal", "adopt", "--register", str(renamed), "--why", "renamed").exit_code == 0
    result = run("history", "--register", str(renamed))
    assert result.exit_code == 0, result.stderr
    rows = [line.split("\t")[3:6] for line in result.stdout.splitlines()[1:]]
    assert rows == [
        ["belief", "A1: belief 0.00 (fails)", ""],
        ["adopt", "adopted the events of register 'old.yaml'", "renamed"],
    ]


# --------------------------------------------------------------------------- where a journal is


@pytest.fixture
def twins(write) -> tuple[Path, Path]:
    return write(SUPPLY, "g.yaml"), write(SUPPLY, "g.yml")


@pytest.mark.parametrize("which", [0, 1])
def test_g_yaml_and_g_yml_never_share_a_journal(run, twins, tmp_path, which) -> None:
    mine, theirs = twins[which], twins[1 - which]
    result = run("assume", "A1", "fails", "--register", str(mine))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {mine.name} and {theirs.name} would share the journal {tmp_path / 'g.journal.jsonl'}; "
        "give --journal to say which journal is whose\n"
    )
    assert not (tmp_path / "g.journal.jsonl").exists()


@pytest.mark.parametrize("sibling", ["g.orig.yaml", "g.snapshot.yml", "g.2025.yaml"])
def test_a_sibling_with_a_longer_name_has_its_own_journal(run, write, tmp_path, sibling) -> None:
    mine = write(SUPPLY, "g.yaml")
    write(SUPPLY, sibling)  # its journal is g.orig.journal.jsonl, …: nothing is shared
    result = run("assume", "A1", "fails", "--register", str(mine))
    assert result.exit_code == 0, result.stderr
    assert [e["register"] for e in _events(tmp_path / "g.journal.jsonl")] == ["g.yaml"]
    assert run("list", "--register", str(tmp_path / sibling)).exit_code == 0


def test_journal_option_resolves_twin_registers(run, twins, tmp_path) -> None:
    journal = tmp_path / "g-yml.journal.jsonl"
    result = run("assume", "A1", "fails", "--register", str(twins[1]), "--journal", str(journal))
    assert result.exit_code == 0, result.stderr
    assert [e["register"] for e in _events(journal)] == ["g.yml"]


@pytest.mark.parametrize("command", [("list",), ("assume", "A1", "fails")], ids=["read", "write"])
def test_a_hard_link_to_the_register_is_not_a_journal(run, reg, tmp_path, command) -> None:
    link = tmp_path / "link.jsonl"
    os.link(reg, link)
    before = reg.read_bytes()
    result = run(*command, "--register", str(reg), "--journal", str(link))
    assert result.exit_code == 2
    assert result.stderr == f"error: the journal {link} is the register itself; give another --journal\n"
    assert reg.read_bytes() == before
