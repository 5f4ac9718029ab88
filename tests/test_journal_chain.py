"""What the hash chain proves, and no more: an event added without a hash after the chain began
breaks it; cutting the tail or re-hashing every later line passes it, and a head kept elsewhere
(``journal head``, ``journal verify --head``) catches both."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import SUPPLY


@pytest.fixture
def reg(write) -> Path:
    return write("id: supply\n" + SUPPLY)


@pytest.fixture
def journal(run, reg, tmp_path) -> Path:
    """Four chained events."""
    for args in (
        ("assume", "A1", "fails"),
        ("score", "R3", "-l", "2", "-i", "2"),
        ("assume", "A2", "holds"),
        ("score", "R1", "-l", "2", "-i", "3"),
    ):
        assert run(*args, "--register", str(reg)).exit_code == 0
    return tmp_path / "reg.journal.jsonl"


def _hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()[:32]


def _rechain(lines: list[str]) -> list[str]:
    """Every line's prev recomputed, as anyone editing a journal can."""
    out: list[str] = []
    prev = None
    for line in lines:
        ev = json.loads(line)
        ev["prev"] = prev
        text = json.dumps(ev, ensure_ascii=False, separators=(",", ":"))
        out.append(text)
        prev = _hash(text)
    return out


def _read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _write(path: Path, lines: list[str]) -> None:
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")


BACKDATED = (
    '{"v":1,"id":"f00d","at":"2024-01-01T00:00:00Z","by":"mallory","kind":"score","risk":"R1",'
    '"likelihood":1,"impact":1}'
)


# --------------------------------------------------------------------------- unchained lines


def test_an_unchained_event_after_the_chain_breaks_it(run, reg, journal) -> None:
    _write(journal, [*_read(journal), BACKDATED])
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {journal}:5: line 5 has no hash of the line before, yet follows chained lines: it was added by hand\n"
    )
    assert "ok" not in result.stdout


def test_an_unchained_event_inside_the_chain_breaks_it_there(run, reg, journal) -> None:
    lines = _read(journal)
    _write(journal, [*lines[:2], BACKDATED, *lines[2:]])
    result = run("journal", "verify", "--json", "--register", str(reg))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["breaks"] == [{"line": 3, "follows": None, "kind": "unchained"}]  # reported once
    assert data["unchained"] == 0 and data["chained"] == 4


def test_a_leading_run_of_unchained_events_is_from_before_the_chain(run, reg, tmp_path) -> None:
    journal = tmp_path / "reg.journal.jsonl"
    _write(journal, [BACKDATED, BACKDATED.replace("f00d", "f00e")])
    assert run("assume", "A1", "fails", "--register", str(reg)).exit_code == 0
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"ok: {journal}: 3 lines; 1 chained, 2 from before the hash chain (not verifiable)")


def test_a_null_prev_after_the_first_line_breaks_the_chain(run, reg, journal) -> None:
    lines = _read(journal)
    ev = json.loads(lines[2])
    ev["prev"] = None
    lines[2] = json.dumps(ev, separators=(",", ":"))
    _write(journal, lines)
    result = run("journal", "verify", "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {journal}:3: line 3 does not follow the line before it")


# --------------------------------------------------------------------------- what an unkeyed chain cannot see


def test_a_journal_cut_short_passes_the_chain_alone(run, reg, journal) -> None:
    _write(journal, _read(journal)[:2])
    assert run("journal", "verify", "--register", str(reg)).exit_code == 0


def test_a_rehashed_edit_passes_the_chain_alone(run, reg, journal) -> None:
    lines = _read(journal)
    lines[1] = lines[1].replace('"likelihood":2', '"likelihood":5')
    _write(journal, _rechain(lines))
    assert run("journal", "verify", "--register", str(reg)).exit_code == 0


def test_verify_help_says_what_the_chain_cannot_detect(run) -> None:
    result = run("journal", "verify", "--help")
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert "lines cut off the end, or an edit followed by recomputing every later hash" in text
    assert "--head HASH" in text


# --------------------------------------------------------------------------- a kept head


def _head(run, reg) -> str:
    result = run("journal", "head", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def test_head_prints_the_hash_of_the_last_line(run, reg, journal) -> None:
    result = run("journal", "head", "--register", str(reg))
    assert result.exit_code == 0
    assert result.stdout == _hash(_read(journal)[-1]) + "\n"
    assert result.stderr == f"line 4 of {journal}; later: riskcli journal verify --head {result.stdout.strip()}\n"


def test_head_json(run, reg, journal) -> None:
    result = run("journal", "head", "--json", "--register", str(reg))
    data = json.loads(result.stdout)
    assert data["schema"] == "riskcli/journal-head/1"
    assert (data["head"], data["line"], data["journal"]) == (_hash(_read(journal)[-1]), 4, str(journal))


def test_head_of_an_empty_journal_is_none(run, reg, tmp_path) -> None:
    result = run("journal", "head", "--json", "--register", str(reg))
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["head"], data["line"]) == (None, None)
    plain = run("journal", "head", "--register", str(reg))
    assert plain.stdout == "" and plain.stderr == f"{tmp_path / 'reg.journal.jsonl'} has no lines yet: no head\n"


def test_verify_passes_with_a_kept_head_of_a_journal_that_grew(run, reg, journal) -> None:
    kept = _head(run, reg)
    assert run("assume", "A1", "holds", "--register", str(reg)).exit_code == 0
    result = run("journal", "verify", "--head", kept, "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert "the head you kept is line 4: lines up to it are as they were when you kept it" in result.stdout


def test_a_kept_head_fails_a_journal_cut_short_before_it(run, reg, journal) -> None:
    kept = _head(run, reg)
    _write(journal, _read(journal)[:3])
    result = run("journal", "verify", "--head", kept, "--register", str(reg))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {journal}: the head you kept ({kept}) is no line of this journal: it was cut short before "
        "that line, or a line up to it was rewritten\n"
    )


def test_a_kept_head_fails_a_rehashed_edit(run, reg, journal) -> None:
    kept = _head(run, reg)
    lines = _read(journal)
    lines[1] = lines[1].replace('"likelihood":2', '"likelihood":5')
    _write(journal, _rechain(lines))
    result = run("journal", "verify", "--head", kept, "--json", "--register", str(reg))
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["breaks"] == []
    assert data["kept"] == {"hash": kept, "line": None}


def test_a_head_in_capitals_with_spaces_is_read(run, reg, journal) -> None:
    kept = _head(run, reg)
    result = run("journal", "verify", "--head", f" {kept.upper()}\n", "--register", str(reg))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("bad", ["", "abc", "g" * 32, "0" * 64])
def test_a_malformed_head_is_refused(run, reg, journal, bad) -> None:
    result = run("journal", "verify", "--head", bad, "--register", str(reg))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --head ") and "is not a journal head" in result.stderr
    assert len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- adopt


def test_adopt_refuses_a_register_no_event_was_recorded_against(run, reg, journal) -> None:
    before = journal.read_bytes()
    result = run("journal", "adopt", "nosuch.yaml", "--register", str(reg))
    assert result.exit_code == 2
    assert result.stderr == f"error: no event in {journal} was recorded against register 'nosuch.yaml'\n"
    assert journal.read_bytes() == before


def test_adopt_refusing_an_unknown_name_names_those_it_may_adopt(run, write, tmp_path) -> None:
    old = write(SUPPLY, "old.yaml")
    assert run("assume", "A1", "fails", "--register", str(old)).exit_code == 0
    new = write(SUPPLY, "new.yaml")
    journal = tmp_path / "old.journal.jsonl"
    result = run("journal", "adopt", "typo.yaml", "--register", str(new), "--journal", str(journal))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: no event in {journal} was recorded against register 'typo.yaml'; "
        "the events of 'old.yaml' may be adopted\n"
    )


def test_an_event_appended_after_an_unchained_one_adds_no_second_break(run, reg, journal) -> None:
    _write(journal, [*_read(journal), BACKDATED])
    assert run("assume", "A2", "fails", "--register", str(reg)).exit_code == 0
    result = run("journal", "verify", "--json", "--register", str(reg))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["breaks"] == [{"line": 5, "follows": None, "kind": "unchained"}]


def test_the_chain_walked_a_few_bytes_at_a_time_is_the_chain_walked_at_once(run, reg, journal) -> None:
    """walk() feeds a large journal in pieces: blank lines, a torn line and a break across the
    pieces give the same walk as one piece."""
    from riskcli import journal as jn
    from riskcli.journal.verifying import Chain, lines_of, walk

    lines = _read(journal)
    lines[1] = lines[1].replace('"likelihood":2', '"likelihood":4')  # line 3: a break at line 6
    journal.write_bytes(("\n\n".join(lines[:2]) + "\n\n  \n" + "\n".join(lines[2:]) + "\n").encode())
    with journal.open("ab") as f:
        f.write(b'{"v":1,"id":"cut-')
    events = jn.read(journal).events
    data = journal.read_bytes()
    whole = Chain()
    whole.feed(events, lines_of(data), 1)
    for step in (1, 7, 64, 1 << 20):
        piecewise = Chain()
        walk(piecewise, events, data, step=step)
        assert piecewise == whole, step
    assert [n for n, _, _ in whole.breaks] == [6] and (whole.lines, whole.last) == (5, 8)


def test_a_torn_line_left_in_place_keeps_the_chain_whole(run, write, tmp_path) -> None:
    """The warning's advice is the one that works: leave the line; verify stays ok."""
    reg = str(write(SUPPLY))
    assert run("assume", "A1", "0.2", "--register", reg).exit_code == 0
    path = tmp_path / "reg.journal.jsonl"
    with path.open("ab") as f:
        f.write(b'{"v":1,"id":"abc')  # a crash mid-append
    after = run("assume", "A1", "0.3", "--register", reg)
    assert after.exit_code == 0, after.stderr
    assert "leave the line in place" in after.stderr and "delete" not in after.stderr
    verify = run("journal", "verify", "--register", reg)
    assert verify.exit_code == 0 and verify.stdout.startswith(f"ok: {path}: 4 lines; 3 chained"), verify.stdout
