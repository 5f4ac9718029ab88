"""The journal: durable appends, torn lines, replay, undo, and concurrent writers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path

import pytest

from riskcli import journal, register
from riskcli.journal import appending
from riskcli.model import Event, OperationalError, RegisterError, UserError

from conftest import DATA, SUPPLY, riskcli_process

REG = register.load(DATA / "full.yaml")


def _append(path: Path, **kw) -> dict:
    ev = journal.new_event(by="t", **kw)
    with journal.Writer(path) as w:
        w.append(w.read(), ev)
    return ev


def test_missing_journal_is_empty(tmp_path) -> None:
    j = journal.read(tmp_path / "none.jsonl")
    assert j.events == [] and j.warnings == []


def test_events_are_whole_json_lines(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.0, why="x")
    _append(path, kind="score", risk="R1", likelihood=4, impact=5)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b""
    objs = [json.loads(line) for line in lines[:-1]]
    assert [o["kind"] for o in objs] == ["belief", "score"]
    assert objs[0]["v"] == 1 and objs[0]["by"] == "t" and objs[0]["at"].endswith("Z") and objs[0]["why"] == "x"


def test_replay_applies_beliefs_and_anchors_scores(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.0)
    _append(path, kind="score", risk="R1", likelihood=2, impact=4)
    _append(path, kind="belief", assumption="A1", belief=1.0)
    rp = journal.replay(REG, journal.read(path).events)
    assert rp.state.beliefs["A1"] == 1.0
    anchor = rp.state.scores["R1"]
    assert (anchor.likelihood, anchor.impact, anchor.beliefs["A1"]) == (2.0, 4.0, 0.0)


def test_undo_reverts_the_last_event_in_force_and_steps_back(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    first = _append(path, kind="belief", assumption="A1", belief=0.2)
    second = _append(path, kind="belief", assumption="A1", belief=0.9)
    events = journal.read(path).events
    assert journal.last_undoable(events).id == second["id"]
    _append(path, kind="undo", undoes=second["id"])
    events = journal.read(path).events
    assert journal.replay(REG, events).state.beliefs["A1"] == 0.2
    assert journal.last_undoable(events).id == first["id"]
    _append(path, kind="undo", undoes=first["id"])
    events = journal.read(path).events
    assert journal.replay(REG, events).state.beliefs["A1"] == REG.baseline_beliefs["A1"]
    assert journal.last_undoable(events) is None
    assert len(events) == 4  # nothing deleted


def test_torn_last_line_is_reported_and_the_next_append_stays_readable(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    with path.open("ab") as f:
        f.write(b'{"v":1,"id":"x","kind":"belief","assumption":"A1","bel')  # a crash mid-write
    j = journal.read(path)
    assert len(j.events) == 1
    assert len(j.warnings) == 1 and ":2: an incomplete event" in j.warnings[0]
    _append(path, kind="belief", assumption="A1", belief=0.7)
    j = journal.read(path)
    assert [e.kind for e in j.events] == ["belief", "torn", "belief"]
    assert j.events[1].data["line"] == 2
    assert len(j.warnings) == 1 and ":2:" in j.warnings[0]  # still reported, never silently dropped
    assert journal.replay(REG, j.events).state.beliefs["A1"] == 0.7


def test_corrupt_line_in_the_middle_is_an_error_with_its_line(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    with path.open("ab") as f:
        f.write(b"garbage\n")
    with pytest.raises(RegisterError):  # never appended to
        _append(path, kind="belief", assumption="A1", belief=0.2)
    with path.open("ab") as f:
        f.write(b'{"v":1,"id":"b","kind":"belief","assumption":"A1","belief":0.2}\n')
    with pytest.raises(RegisterError) as e:
        journal.read(path)
    assert str(e.value) == f"{path}:2:1: not a riskcli journal line (one JSON event per line)"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"v":1,"kind":"explode"}', "unknown kind 'explode'"),
        ('{"v":2,"kind":"belief","assumption":"A1","belief":1}', "version '2' is not supported"),
        ('{"v":1,"kind":"belief","assumption":"A1","belief":"high"}', "'belief' is missing or of the wrong type"),
        ("[1, 2]", "not a JSON object"),
    ],
)
def test_bad_events_are_located_errors(tmp_path, line, message) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(RegisterError) as e:
        journal.read(path)
    assert message in str(e.value) and ":1:1:" in str(e.value)


def test_events_about_ids_no_longer_in_the_register_are_reported(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="score", risk="R99", likelihood=2, impact=2)
    rp = journal.replay(REG, journal.read(path).events)
    assert rp.state.scores == {}
    assert rp.warnings == ["journal events about risks no longer in the register are ignored: R99"]


def test_location_rules(tmp_path, monkeypatch) -> None:
    assert journal.locate(REG).path == DATA / "full.journal.jsonl"
    assert journal.locate(REG, tmp_path / "x.jsonl").path == tmp_path / "x.jsonl"
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path))
    assert journal.locate(register.load()).path == tmp_path / "dprk-troops-russia.journal.jsonl"


@pytest.mark.slow("twenty riskcli processes recording into one journal at once")
def test_twenty_concurrent_commands_lose_no_event(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    env = {**os.environ, "RISKCLI_JOURNAL": str(path), "RISKCLI_ANALYST": "proc", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("RISKCLI_REGISTER", None)
    procs = []
    for i in range(20):
        if i % 2:
            args = ["score", "R1", "--likelihood", str(i % 5 + 1), "--impact", "3", "--why", f"p{i}"]
        else:
            args = ["assume", "A1", f"{i * 5}%", "--why", f"p{i}"]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "riskcli", "--register", str(DATA / "full.yaml"), *args],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
        )
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 20, errors
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 20
    events = [json.loads(line) for line in lines]
    assert sorted(e["why"] for e in events) == sorted(f"p{i}" for i in range(20))
    assert len({e["id"] for e in events}) == 20


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_in_the_journal_are_located_errors(tmp_path, value) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(f'{{"v":1,"kind":"score","risk":"R1","likelihood":{value},"impact":2}}\n')
    with pytest.raises(RegisterError) as e:
        journal.read(path)
    assert str(e.value) == f"{path}:1:1: journal score event: 'likelihood' is not a finite number"


def test_a_complete_last_line_without_newline_is_just_ended(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":0.2}')  # an editor ate the newline
    assert journal.read(path).warnings == []
    _append(path, kind="belief", assumption="A1", belief=0.3)
    j = journal.read(path)
    assert [e.kind for e in j.events] == ["belief", "belief"] and j.warnings == []


def test_a_torn_repair_does_not_lock_the_journal(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    with path.open("ab") as f:  # a crash, then a second crash while the repair was written
        f.write(b'{"v":1,"kind":"bel\n{"v":1,"id":"t","kind":"torn","li')
    j = journal.read(path)
    assert len(j.events) == 1 and len(j.warnings) == 2
    _append(path, kind="belief", assumption="A1", belief=0.9)
    j = journal.read(path)
    assert [e.kind for e in j.events] == ["belief", "torn", "belief"]
    assert j.events[1].data["lines"] == [2, 3]
    assert len(j.warnings) == 2
    assert journal.replay(REG, j.events).state.beliefs["A1"] == 0.9


def test_no_lock_file_is_left_beside_the_journal(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["j.jsonl"]


def test_the_lock_is_exclusive(tmp_path, monkeypatch) -> None:
    path = tmp_path / "j.jsonl"
    monkeypatch.setattr(journal.appending, "LOCK_TIMEOUT", 0.2)  # where the writer reads it
    with journal.Writer(path), pytest.raises(OperationalError) as e, journal.Writer(path):
        pass
    assert "held its lock" in str(e.value)


def test_since_understands_dates_times_zones_and_spans() -> None:
    from datetime import datetime

    now = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    assert journal.parse_since("2026-03-01", now) == datetime(2026, 3, 1, tzinfo=UTC)
    assert journal.parse_since("2026-03-01T10:00+05:00", now) == datetime(2026, 3, 1, 5, 0, tzinfo=UTC)
    assert journal.parse_since("today", now) == datetime(2026, 3, 10, tzinfo=UTC)
    assert journal.parse_since("yesterday", now) == datetime(2026, 3, 9, tzinfo=UTC)
    assert journal.parse_since("7d", now) == datetime(2026, 3, 3, 15, 30, tzinfo=UTC)
    assert journal.parse_since("12h", now) == datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    for bad in ("20260101", "last week", "7x", ""):
        with pytest.raises(UserError) as e:
            journal.parse_since(bad, now)
        assert "not understood" in str(e.value)


def test_history_since_compares_times_not_strings(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(
        '{"v":1,"id":"a","at":"2026-11-30T04:00:00Z","by":"x","kind":"belief","assumption":"A1","belief":0.1}\n'
        '{"v":1,"id":"b","at":"2026-11-30T06:00:00.123456Z","by":"x","kind":"belief","assumption":"A1","belief":0.2}\n'
    )
    events = journal.read(path).events
    since = journal.parse_since("2026-11-30T10:00+05:00")  # 05:00 UTC
    assert [e.id for e in journal.iter_filtered(events, since=since)] == ["b"]


def test_journal_text_reaches_the_terminal_inert(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(
        '{"v":1,"id":"a","at":"\\u001b]0;pwned\\u0007\\u001b[2J","by":"\\u001b[31mmallory","kind":"score","risk":"R1","likelihood":2,"impact":2,"why":"[link=http://x]y[/link]"}\n'
    )
    for args in (["history"], ["show", "R1"], ["explain", "R1"], ["history", "--json"]):
        result = run(*args, "--journal", str(path), env={"TTY_COMPATIBLE": "1", "COLUMNS": "200"})
        assert result.exit_code == 0, result.stderr
        assert "\x1b]" not in result.stdout and "\x1b[2J" not in result.stdout and "\x07" not in result.stdout


def test_a_file_that_is_not_a_journal_is_refused_not_appended_to(tmp_path) -> None:
    path = tmp_path / "notes.yaml"
    path.write_text("# my notes\nrisks: []\n")
    with pytest.raises(RegisterError) as e:
        journal.read(path)
    assert str(e.value) == f"{path}:1:1: not a riskcli journal line (one JSON event per line)"


def test_a_torn_multibyte_character_is_a_torn_line(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    with path.open("ab") as f:
        f.write('{"v":1,"kind":"belief","why":"“'.encode()[:-1])  # cut inside the curly quote
    assert len(journal.read(path).warnings) == 1
    _append(path, kind="belief", assumption="A1", belief=0.4)
    j = journal.read(path)
    assert journal.replay(REG, j.events).state.beliefs["A1"] == 0.4 and len(j.warnings) == 1


def test_a_torn_line_that_ends_in_a_newline_is_still_recorded_as_torn(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="belief", assumption="A1", belief=0.1)
    with path.open("ab") as f:
        f.write(b'{"v":1,"kind":"bel\n')
    _append(path, kind="belief", assumption="A1", belief=0.6)
    _append(path, kind="belief", assumption="A1", belief=0.7)  # still readable after more appends
    j = journal.read(path)
    assert [e.kind for e in j.events] == ["belief", "torn", "belief", "belief"]
    assert len(j.warnings) == 1


def test_lines_that_only_parse_together_are_refused(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text(
        '{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":0.1,"why":"a\nb"}\n{"v":1,"id":"b","kind":"belief","assumption":"A1","belief":0.2}\n'
    )
    with pytest.raises(RegisterError):
        journal.read(path)


def test_overflowing_numbers_and_odd_torn_events_are_located_errors_or_ignored(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"v":1,"kind":"score","risk":"R1","likelihood":%s,"impact":3}\n' % ("9" * 400))
    with pytest.raises(RegisterError) as e:
        journal.read(path)
    assert "'likelihood' is not a finite number" in str(e.value)
    path.write_text('{"v":1,"id":"t","kind":"torn","line":1,"lines":5}\n')
    assert [ev.kind for ev in journal.read(path).events] == ["torn"]
    assert journal.parse_since("99999999999d").year == 1


def test_history_filters_all_apply(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _append(path, kind="score", risk="R1", likelihood=2, impact=2)
    _append(path, kind="belief", assumption="A2", belief=0.2)
    events = journal.read(path).events
    assert list(journal.iter_filtered(events, risk="R1", assumption="A2", reg=REG)) == []
    assert [e.kind for e in journal.iter_filtered(events, risk="R2", assumption="A2", reg=REG)] == ["belief"]


def _ev(line: int, kind: str, **data) -> Event:
    return Event(line, f"e{line}", f"2025-02-01T00:00:{line:02d}Z", "ann", kind, data)


def test_undoing_an_undo_reapplies_what_it_undid() -> None:
    """belief → undo it → undo the undo: the belief is back in force; a third undo reverts it again."""
    events = [_ev(1, "belief", assumption="A1", belief=0.0), _ev(2, "undo", undoes="e1")]
    assert journal.replay(REG, events).state.beliefs["A1"] == REG.baseline_beliefs["A1"]
    events.append(_ev(3, "undo", undoes="e2"))
    rp = journal.replay(REG, events)
    assert rp.state.beliefs["A1"] == 0.0
    assert rp.undone == {"e2"} and [e.id for e in rp.active] == ["e1"]
    assert journal.last_undoable(events).id == "e1"
    events.append(_ev(4, "undo", undoes="e3"))
    rp = journal.replay(REG, events)
    assert rp.state.beliefs["A1"] == REG.baseline_beliefs["A1"]
    assert rp.undone == {"e3", "e1"} and rp.active == []


def test_undo_of_an_undo_by_line_or_id_from_the_command_line(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    opts = ("--register", str(DATA / "full.yaml"), "--journal", str(path))

    def belief() -> float:
        data = json.loads(run("assumptions", "--json", *opts).stdout)
        return next(a["belief"] for a in data["assumptions"] if a["id"] == "A1")

    assert run("assume", "A1", "fails", *opts).exit_code == 0
    assert run("undo", *opts).exit_code == 0
    assert belief() == REG.baseline_beliefs["A1"]
    result = run("undo", "2", *opts)  # line 2 is the undo
    assert result.exit_code == 0, result.stderr
    assert "undid tester's undo (line 2" in result.stdout
    assert belief() == 0.0
    third = json.loads(path.read_text(encoding="utf-8").splitlines()[2])["id"]
    undo = json.loads(run("undo", third, "--json", *opts).stdout)  # by id this time
    assert undo["undid"]["kind"] == "undo" and undo["undid"]["line"] == 3
    assert undo["beliefs"] == [{"assumption": "A1", "from": 0.0, "to": REG.baseline_beliefs["A1"]}]
    assert belief() == REG.baseline_beliefs["A1"]
    hist = json.loads(run("history", "--json", *opts).stdout)["events"]
    assert [(e["kind"], e["undone"]) for e in hist] == [
        ("belief", True),
        ("undo", False),
        ("undo", True),
        ("undo", False),
    ]
    again = run("undo", "3", *opts)
    assert again.exit_code == 2 and "line 3 is already undone" in again.stderr


def test_a_reference_int_cannot_read_is_no_event() -> None:
    events = [_ev(1, "belief", assumption="A1", belief=0.0)]
    assert journal.find_event(events, "²") is None
    assert journal.find_event(events, "#²") is None


def test_undo_of_a_superscript_line_number_is_the_users_mistake(run, tmp_path) -> None:
    opts = ("--register", str(DATA / "full.yaml"), "--journal", str(tmp_path / "j.jsonl"))
    assert run("assume", "A1", "fails", *opts).exit_code == 0
    result = run("undo", "²", *opts)
    assert result.exit_code == 2 and "no event '²'" in result.stderr


def test_since_refuses_a_span_in_digits_int_cannot_read() -> None:
    with pytest.raises(UserError) as e:
        journal.parse_since("²d")
    assert "not understood" in str(e.value)


def test_events_made_fast_are_the_events_made_with_every_check(tmp_path) -> None:
    """reading builds events positionally, without NamedTuple's __new__ (event_from), and without
    checking a kind's fields again for lines a checkpoint vouches for (parse_at(checked=True)):
    the same events, field for field. A field added to Event must be added to both."""
    assert Event._fields == ("line", "id", "at", "by", "kind", "data", "why", "register", "fingerprint", "prev")
    lines = [
        {"v": 1, "id": "a", "at": "2025-01-01T00:00:00Z", "by": "al", "kind": "belief", "assumption": "A1",
         "belief": 0.2, "register": "r", "fingerprint": "f", "prev": None, "why": "w"},
        {"v": 1, "id": 7, "at": 5, "by": None, "kind": "score", "risk": "R1", "likelihood": 2, "impact": 3,
         "why": 0, "register": 3, "prev": "x"},
        {"kind": "undo", "undoes": "a"},
        {"v": 1, "kind": "observe", "indicator": "I1", "outcome": "absent", "why": ""},
    ]  # fmt: skip
    data = "".join(json.dumps(x) + "\n" for x in lines).encode()
    want = [
        Event(1, "a", "2025-01-01T00:00:00Z", "al", "belief", lines[0], "w", "r", "f", None),
        Event(2, "7", "5", "None", "score", lines[1], "", None, None, "x"),
        Event(3, "line-3", "", "", "undo", lines[2], "", None, None, None),
        Event(4, "line-4", "", "", "observe", lines[3], "", None, None, None),
    ]
    for checked in (False, True):
        got = journal.parse_at(data, "j", Path("j"), checked=checked).events
        assert got == want and all(type(ev) is Event for ev in got), checked


@pytest.mark.parametrize(
    "text",
    [
        b'\xef\xbb\xbf{"v":1,"kind":"undo","undoes":"x"}\n\n  \n{"v":1,"kind":"undo","undoes":"y"}\n',
        b'{"v":1,"kind":"undo","undoes":"x"}\n{"v":1,"kind":"undo","undoes":"y"}',  # no last line break
        b'{"v":1,"kind":"undo","undoes":"x"}\n{"v":1,"id":"cut',  # a torn last line
        b'{"v":1,"kind":"undo","undoes":"\\u00e9\xc3\xa9"}\n\n',
        b'{"v":1,"kind":"undo","undoes":"x"}\n{"v":1,"id":"\xc3',  # torn in a character: not UTF-8
    ],
)
def test_a_journal_parsed_a_few_bytes_at_a_time_is_the_journal_parsed_at_once(monkeypatch, text) -> None:
    whole = journal.parse(text, "j")
    for piece in (1, 5, 40):
        monkeypatch.setattr(journal.reading, "_PIECE", piece)
        got = journal.parse(text, "j")
        assert (got.events, got.torn_lines, got.torn, got.lines, got.last_no, got.ended) == (
            whole.events,
            whole.torn_lines,
            whole.torn,
            whole.lines,
            whole.last_no,
            whole.ended,
        ), piece


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- symlinked journals


def test_a_planted_symlink_as_default_journal_is_refused_and_its_target_untouched(run, reg, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "reg.journal.jsonl").symlink_to(victim)
    result = run("assume", "A1", "fails", "--register", reg)
    assert result.exit_code == 2
    assert "is a symbolic link; riskcli does not follow links for a register's default journal" in result.stderr
    assert victim.read_text() == "precious\n"


def test_a_planted_dangling_symlink_creates_nothing(run, reg, tmp_path) -> None:
    target = tmp_path / "created-by-riskcli"
    (tmp_path / "reg.journal.jsonl").symlink_to(target)
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 2
    assert not target.exists()


def test_an_explicit_journal_may_be_a_link_to_a_regular_file(run, reg, tmp_path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert run("assume", "A1", "fails", "--journal", str(link), "--register", reg).exit_code == 0
    assert [e["kind"] for e in _events(real)] == ["belief"]


def test_an_explicit_journal_link_to_nothing_is_refused(run, reg, tmp_path) -> None:
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "nowhere.jsonl")
    result = run("assume", "A1", "fails", "--journal", str(link), "--register", reg)
    assert result.exit_code == 2 and "is a symbolic link to nothing" in result.stderr
    assert not (tmp_path / "nowhere.jsonl").exists()


def test_an_explicit_journal_that_is_not_a_regular_file_is_refused(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "fails", "--journal", str(tmp_path), "--register", reg)
    assert result.exit_code in (1, 2) and result.stderr.startswith("error: ")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = run("history", "--journal", str(fifo), "--register", reg)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the journal to another user")
def test_a_default_journal_owned_by_another_user_is_not_written(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    path.write_text("")
    os.chown(path, 12345, 12345)
    result = run("assume", "A1", "fails", "--register", reg)
    assert result.exit_code == 2 and "belongs to another user" in result.stderr
    assert path.read_text() == ""
    assert run("history", "--register", reg).exit_code == 0  # reading it is fine


def test_a_hard_link_to_the_register_is_never_its_journal(run, reg, tmp_path) -> None:
    link = tmp_path / "looks-like-a-journal.jsonl"
    os.link(reg, link)
    before = Path(reg).read_bytes()
    result = run("assume", "A1", "fails", "--journal", str(link), "--register", reg)
    assert result.exit_code == 2 and "is the register itself" in result.stderr
    assert Path(reg).read_bytes() == before


def test_a_flow_style_register_given_as_journal_is_never_written(run, write, tmp_path) -> None:
    other = write("{risks: [{id: R1, title: t, likelihood: 2, impact: 2}]}", "other.yaml")
    before = other.read_bytes()
    result = run("assume", "A1", "fails", "--journal", str(other), "--register", str(write(SUPPLY)))
    assert result.exit_code == 2 and "not a riskcli journal line" in result.stderr
    assert other.read_bytes() == before


# --------------------------------------------------------------------------- odd text and hand-edited journals


def test_a_deeply_nested_journal_line_is_one_clear_error(run, reg, tmp_path) -> None:
    (tmp_path / "reg.journal.jsonl").write_text('{"v":1,"kind":"belief","x":' + "[" * 100_000 + "]" * 100_000 + "}\n")
    for args in (["matrix"], ["assume", "A1", "fails"]):
        result = run(*args, "--register", reg)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "not a riskcli journal line (nested too deeply)" in result.stderr


def test_a_lone_surrogate_in_a_journal_prints_safely(run, reg, tmp_path) -> None:
    (tmp_path / "reg.journal.jsonl").write_text(
        '{"v":1,"id":"a","at":"2026-01-01T00:00:00Z","by":"\\ud800x","kind":"score","risk":"R1",'
        '"likelihood":2,"impact":2,"why":"bad \\udfff text"}\n'
    )
    for args in (["history"], ["show", "R1"], ["explain", "R1"], ["history", "--json"]):
        result = run(*args, "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "150"})
        assert result.exit_code == 0, (args, result.stderr)
        assert "\ufffd" in result.stdout


@pytest.mark.parametrize("value", ["1e307", "13", "0", "-2"])
def test_analyst_scores_in_a_journal_are_bounded_like_levels(run, reg, tmp_path, value) -> None:
    (tmp_path / "reg.journal.jsonl").write_text(
        '{"v":1,"id":"a","kind":"score","risk":"R1","likelihood":' + value + ',"impact":2}\n'
    )
    result = run("explain", "R1", "--register", reg)
    assert result.exit_code == 2 and "'likelihood'" in result.stderr and "out of range" in result.stderr


def test_a_belief_outside_0_and_1_in_a_journal_is_a_located_error(reg, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":1.5}\n')
    with pytest.raises(RegisterError, match=r"j.jsonl:1:1: journal belief event: 'belief' 1.5 is out of range"):
        journal.read(path)


# --------------------------------------------------------------------------- a power cut


def test_a_nul_tail_from_a_power_cut_does_not_lock_the_journal(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0
    with path.open("ab") as f:
        f.write(b"\x00" * 4096)  # delayed allocation: the size grew, the data never came
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0 and ":2: an incomplete event" in result.stderr
    assert run("assume", "A2", "fails", "--register", reg).exit_code == 0
    kinds = [json.loads(line)["kind"] for line in path.read_bytes().split(b"\n") if line.startswith(b"{")]
    assert kinds == ["belief", "torn", "belief"]
    assert json.loads(run("assumptions", "--json", "--register", reg).stdout)["assumptions"][1]["belief"] == 0.0


def test_a_byte_order_mark_on_the_first_line_is_accepted(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":0.2}\n')
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["assumptions"][0]["belief"] == 0.2
    assert run("assume", "A1", "holds", "--register", reg).exit_code == 0


# --------------------------------------------------------------------------- bounded work


def test_an_append_reads_only_what_was_added_since_its_replay(reg, tmp_path, monkeypatch) -> None:
    reg_ = register.load(reg)
    loc = journal.locate(reg_, tmp_path / "j.jsonl")
    for i in range(50):
        journal.record(
            reg_, loc, lambda rp, i=i: journal.new_event("belief", "t", reg=reg_, assumption="A1", belief=i / 100)
        )
    seen = journal.read(loc.path)
    rp = journal.replay(reg_, seen.events)
    journal.record(reg_, loc, lambda _: journal.new_event("belief", "t", reg=reg_, assumption="A2", belief=0.3))

    parsed: list[int] = []
    real = appending.parse_at

    def counting(data: bytes, *args, **kwargs):
        parsed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(appending, "parse_at", counting)
    done = journal.record(
        reg_,
        loc,
        lambda _: journal.new_event("belief", "t", reg=reg_, assumption="A1", belief=0.9),
        seen=seen,
        before=rp,
    )
    assert parsed and max(parsed) < 1000  # the last line seen and the one added since, not 51 lines
    assert done.before.state.beliefs["A2"] == 0.3  # decided on the state as it was under the lock
    assert journal.replay(reg_, journal.read(loc.path).events).state.beliefs == done.after.state.beliefs


def test_a_mistyped_journal_folder_is_refused_not_created(run, write, tmp_path) -> None:
    reg = str(write(SUPPLY))
    journal = tmp_path / "jounral" / "deep" / "j.jsonl"
    result = run("assume", "A1", "fails", "--journal", str(journal), "--register", reg)
    assert result.exit_code == 2
    assert result.stderr == f"error: journal {journal}: no such directory {str(journal.parent)!r}\n"
    assert not (tmp_path / "jounral").exists()


# --------------------------------------------------------------------------- a register whose file name is not UTF-8


def test_a_register_whose_file_name_is_not_utf8_records_to_its_journal(tmp_path) -> None:
    name = os.fsdecode(b"reg-\xff.yaml")
    (tmp_path / name).write_text(SUPPLY, encoding="utf-8")
    env = {"RISKCLI_HOME": str(tmp_path)}
    p = riskcli_process("--register", name, "assume", "A1", "fails", cwd=tmp_path, env=env)
    assert p.returncode == 0 and b"Traceback" not in p.stderr, p.stderr
    journal_path = tmp_path / os.fsdecode(b"reg-\xff.journal.jsonl")
    assert _events(journal_path)[0]["register"] == "reg-\\xff.yaml"
    shown = riskcli_process("--register", name, "assumptions", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0 and b"warning" not in shown.stderr, shown.stderr
    assert json.loads(shown.stdout)["assumptions"][0]["belief"] == 0.0


_U = '{"v":1,"kind":"undo","undoes":"x"}'


@pytest.mark.parametrize(
    "text",
    [
        f"{_U}\n{_U}\n{_U}\n",
        f"{_U}\n" + '{"v":1,"kind":"undo","undoes":[1\n2]}\n' + f"{_U}\n",  # two lines that glue into one value
        f"{_U}\n" + '{"v":1,"kind":"undo","undoes":[1\n2]}\n{"v":1},{"v":1}\n' + f"{_U}\n",  # and one that splits
        f"{_U}\n" + '{"v":1,"kind":"undo","undoes":"a\n",{"v":1}\n',  # a string that would run on
        f'{_U}\n{_U},"{"0" * 24}",\n{_U}\n',  # a line that holds a marker's shape
        f"{_U}\n\n  \n{_U}\r\n {_U} \n",  # blank lines, a carriage return, spaces
        f"{_U}\n\u00a0{_U}\n",  # a space JSON does not read as one
        f'{_U}\n{{"v":1,"kind":"undo","undoes":"\\ud800"}}\n',  # a lone surrogate's escape
        f'{_U}\n{{"v":1,"kind":"undo","undoes":NaN}}\n',
        f"{_U}\n[1]\n",  # a value that is not an object
        f"{_U}\n" + "[" * 100_000 + "\n",  # nested too deeply
        f'{_U}\n{{"v":1,"id":"cut',  # a torn last line
    ],
)
def test_lines_decoded_together_are_the_lines_decoded_one_by_one(monkeypatch, text) -> None:
    """Many lines go to one json.loads (``reading._bulk``); a journal reads the same — its
    events, its torn lines, or the error that names a line — as when every line is decoded alone."""

    def read() -> object:
        try:
            j = journal.parse(text.encode(), "j")
        except RegisterError as e:
            return str(e)
        return (j.events, j.torn_lines, j.torn, j.lines)

    together = read()
    monkeypatch.setattr(journal.reading, "_bulk", lambda text: None)
    assert together == read()


def test_lines_that_are_each_one_value_are_decoded_together() -> None:
    assert journal.reading._bulk(f"{_U}\n {_U}\r") == [json.loads(_U)] * 2
    assert journal.reading._bulk(f"{_U}\n") is None  # a blank line: read line by line
