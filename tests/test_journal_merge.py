"""A team's journals: replay never reads the order of lines. Events are folded by time (``at``,
then ``id``), an event found twice is folded once and an undo names its event by id, so two
analysts' journals concatenated or merged by git replay to the same state in any order — from a
replay checkpoint too."""

from __future__ import annotations

import json
import os
import random
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli import journal, register, scoring
from riskcli.journal.replay import in_order, last_undoable, moment, order_key, undone_ids
from riskcli.model import Event, Register

# --------------------------------------------------------------------------- helpers


@cache
def _embedded() -> Register:
    return register.load(None)


def _events(objs: list[dict]) -> list[Event]:
    return [journal.event_from(dict(o), n, "j.jsonl") for n, o in enumerate(objs, 1)]


def _state(objs: list[dict]):
    return journal.replay(_embedded(), _events(objs)).state


def _ev(ident: str, at: str, kind: str, by: str = "alice", **data) -> dict:
    return {"v": 1, "id": ident, "at": at, "by": by, "kind": kind, **data}


def _at(second: int) -> str:
    return f"2025-03-01T10:{second // 60:02d}:{second % 60:02d}.000000Z"


# --------------------------------------------------------------------------- time, not lines


def test_times_compare_in_one_form() -> None:
    assert moment("2025-03-01T10:00:00.000000Z") == "2025-03-01T10:00:00.000000Z"
    assert moment("2025-03-01T10:00:00Z") == "2025-03-01T10:00:00.000000Z"
    assert moment("2025-03-01T12:00:00+02:00") == "2025-03-01T10:00:00.000000Z"
    assert moment("2025-03-01") == "2025-03-01T00:00:00.000000Z"
    assert moment("2025-03-01T10:00:00.5Z") > moment("2025-03-01T10:00:00Z")  # not "." < "Z"
    assert moment("yesterday") == ""


def test_the_latest_score_by_time_wins_wherever_its_line_is() -> None:
    late = _ev("b", _at(20), "score", risk="R1", likelihood=5, impact=5)
    early = _ev("a", _at(10), "score", risk="R1", likelihood=1, impact=1)
    for objs in ([early, late], [late, early]):
        sc = _state(objs).scores["R1"]
        assert (sc.likelihood, sc.impact) == (5.0, 5.0)


def test_a_tie_of_times_is_broken_by_id_in_any_order() -> None:
    one = _ev("aaa", _at(10), "score", risk="R1", likelihood=2, impact=2)
    two = _ev("bbb", _at(10), "score", risk="R1", likelihood=4, impact=4)
    assert _state([one, two]).scores["R1"].likelihood == 4.0
    assert _state([two, one]).scores["R1"].likelihood == 4.0


def test_an_event_found_twice_counts_once() -> None:
    """An observation without a reference counts each time it is recorded, but the same event
    (the same id at the same time) copied into two journals is one observation."""
    seen = _ev("o1", _at(10), "observe", indicator="I1")
    again = _ev("o2", _at(11), "observe", indicator="I1")
    once = _state([seen]).beliefs["A9"]
    twice = _state([seen, again]).beliefs["A9"]
    assert once != twice
    assert _state([seen, seen]).beliefs["A9"] == once
    assert _state([seen, again, seen, again]).beliefs["A9"] == twice


def test_an_id_found_twice_with_different_content_keeps_one_copy_in_any_order() -> None:
    one = _ev("x", _at(10), "score", risk="R1", likelihood=2, impact=2)
    other = _ev("x", _at(10), "score", risk="R1", likelihood=4, impact=4)
    a = journal.replay(_embedded(), _events([one, other]))
    b = journal.replay(_embedded(), _events([other, one]))
    assert a.state == b.state
    assert any("has the id of line" in w for w in a.warnings)


def test_an_undo_undoes_its_event_wherever_their_lines_are() -> None:
    sc = _ev("s1", _at(10), "score", risk="R1", likelihood=5, impact=5)
    undo = _ev("u1", _at(20), "undo", undoes="s1")
    redo = _ev("u2", _at(30), "undo", undoes="u1")
    for objs in ([sc, undo], [undo, sc]):
        assert "R1" not in _state(objs).scores
    for objs in ([sc, undo, redo], [redo, undo, sc], [undo, redo, sc]):
        assert _state(objs).scores["R1"].likelihood == 5.0


def test_undone_ids_reads_no_order_and_survives_a_loop() -> None:
    evs = _events(
        [
            _ev("u2", _at(30), "undo", undoes="u1"),
            _ev("u1", _at(20), "undo", undoes="s1"),
            _ev("s1", _at(10), "score", risk="R1", likelihood=5, impact=5),
        ]
    )
    assert undone_ids(evs) == {"u1"}
    loop = _events([_ev("p", _at(1), "undo", undoes="q"), _ev("q", _at(2), "undo", undoes="p")])
    assert undone_ids(loop) == undone_ids(loop[::-1])


def test_undo_takes_back_the_latest_event_in_time() -> None:
    evs = _events(
        [
            _ev("late", _at(20), "score", risk="R1", likelihood=5, impact=5, by="bob"),
            _ev("early", _at(10), "score", risk="R2", likelihood=1, impact=1),
        ]
    )
    last = last_undoable(evs)
    assert last is not None and last.id == "late"
    mine = last_undoable(evs, by="alice")
    assert mine is not None and mine.id == "early"


def test_the_fold_order_is_by_time_then_id() -> None:
    evs = _events([_ev("b", _at(5), "score", risk="R1", likelihood=1, impact=1),
                   _ev("a", _at(5), "score", risk="R1", likelihood=1, impact=1),
                   _ev("c", _at(1), "score", risk="R1", likelihood=1, impact=1)])  # fmt: skip
    ordered, warnings = in_order(evs)
    assert [e.id for e in ordered] == ["c", "a", "b"] and not warnings
    assert [order_key(e) for e in ordered] == sorted(order_key(e) for e in evs)


# --------------------------------------------------------------------------- the property

_RISKS = ("R1", "R2", "R3")
_ASSUMPTIONS = ("A9", "A10", "A21", "A3")  # A10 and A21 are linked; I1, I2, I3 bear on them
_INDICATORS = ("I1", "I2", "I3")


@st.composite
def _journal(draw) -> list[dict]:
    """Two analysts' events over a few risks, assumptions, signposts and responses, with times
    that may tie, and undos of earlier events (undos of undos too)."""
    n = draw(st.integers(1, 14))
    objs: list[dict] = []
    for i in range(n):
        at = _at(draw(st.integers(0, 40)) + 2 * i)
        by = draw(st.sampled_from(("alice", "bob")))
        ident = f"{by[0]}{i:02d}"
        kind = draw(st.sampled_from(("score", "belief", "observe", "respond", "undo")))
        if kind == "undo" and objs:
            target = draw(st.sampled_from(objs))
            objs.append(_ev(ident, _at(int(target["at"][14:16]) * 60 + int(target["at"][17:19]) + 1), "undo",
                            by, undoes=target["id"]))  # fmt: skip
        elif kind == "score":
            objs.append(_ev(ident, at, "score", by, risk=draw(st.sampled_from(_RISKS)),
                            likelihood=draw(st.integers(1, 5)), impact=draw(st.integers(1, 5))))  # fmt: skip
        elif kind == "belief":
            belief = draw(st.sampled_from((0.0, 0.1, 0.3, 0.5, 0.8, 1.0)))
            objs.append(_ev(ident, at, "belief", by, assumption=draw(st.sampled_from(_ASSUMPTIONS)), belief=belief))
        elif kind == "observe":
            extra = draw(
                st.sampled_from(({}, {"ref": "r1"}, {"outcome": "absent"}, {"outcome": "absent", "on": "2025-03-02"}))
            )
            objs.append(_ev(ident, at, "observe", by, indicator=draw(st.sampled_from(_INDICATORS)), **extra))
        else:
            objs.append(_ev(ident, at, "respond", by, response="M1", applied=draw(st.booleans())))
    return objs


@settings(max_examples=150, deadline=None)
@given(_journal(), st.randoms(use_true_random=False), st.integers(0, 5))
def test_any_shuffle_of_a_merged_journal_gives_the_same_state(objs, rnd: random.Random, copies: int) -> None:
    """The property: any order of the lines, with any of them found twice (two journals that
    share their first lines, concatenated), replays to the same state."""
    want = _state(objs)
    lines = objs + [rnd.choice(objs) for _ in range(copies)]
    rnd.shuffle(lines)
    got = journal.replay(_embedded(), _events(lines))
    assert got.state == want
    assert got.state.beliefs == want.beliefs  # (the evidence itself is not compared by State)


# --------------------------------------------------------------------------- with a checkpoint


def _write(path: Path, objs: list[dict]) -> None:
    path.write_text("".join(json.dumps(o) + "\n" for o in objs))


def test_a_merged_line_earlier_than_the_checkpoint_gives_the_state_of_a_full_replay(run, tmp_path) -> None:
    """A checkpoint after the last line, then a line from another analyst's journal appended
    whose time falls before it (what a merge does): the read gives what reading every line gives."""
    path = tmp_path / "j.jsonl"
    mine = [
        _ev("a1", _at(10), "belief", assumption="A9", belief=0.2),
        _ev("a2", _at(30), "score", risk="R1", likelihood=2, impact=2),
        _ev("a3", _at(40), "observe", indicator="I1"),
    ]
    theirs = [
        _ev("b1", _at(20), "belief", "bob", assumption="A9", belief=0.9),  # before a2: R1's anchor moves
        _ev("b2", _at(35), "score", "bob", risk="R1", likelihood=4, impact=4),
    ]
    _write(path, mine)
    assert run("list", "--journal", str(path)).exit_code == 0  # a checkpoint at line 3
    _write(path, mine + theirs)
    views = [("assumptions", "--json"), ("list", "--json"), ("explain", "R1", "--json"), ("show", "R1", "--json")]
    warm = [run(*v, "--journal", str(path)).stdout for v in views]
    _forget()
    assert [run(*v, "--journal", str(path)).stdout for v in views] == warm
    _write(path, theirs + mine)  # the same lines in another order: the same state
    assert [run(*v, "--journal", str(path)).stdout for v in views[:3]] == warm[:3]


def _forget() -> None:
    for p in (Path(os.environ["RISKCLI_CACHE"]) / "journals").glob("*.checkpoint"):
        p.unlink()


def test_an_append_after_a_merged_line_from_the_future_folds_every_line(run, tmp_path) -> None:
    """A line merged in from a clock ahead of this one: the next event recorded here comes before
    it in time, and the state after the append is still the replay of every line."""
    path = tmp_path / "j.jsonl"
    _write(path, [_ev("b1", "2999-01-01T00:00:00.000000Z", "score", "bob", risk="R1", likelihood=5, impact=5)])
    assert run("list", "--journal", str(path)).exit_code == 0
    result = run("score", "R1", "-l", "1", "-i", "1", "--journal", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    after = json.loads(run("show", "R1", "--json", "--journal", str(path)).stdout)
    events = journal.read(path).events
    assert [e.by for e in events] == ["bob", "tester"]
    state = journal.replay(_embedded(), events).state
    reg = _embedded()
    assert scoring.score_risk(reg, reg.risk_by_id["R1"], state).likelihood == after["risk"]["current"]["likelihood"]
    assert after["risk"]["current"]["likelihood"] == 3.0  # bob's 5 and tester's 1, by the median


# --------------------------------------------------------------------------- journal merge


def _fork(run, tmp_path: Path) -> tuple[Path, Path]:
    """Two analysts' journals that share their first line (a copy of one journal, each appended to)."""
    alice, bob = tmp_path / "alice.jsonl", tmp_path / "bob.jsonl"
    r = run("--analyst", "alice", "score", "R1", "-l", "2", "-i", "4", "--journal", str(alice))
    assert r.exit_code == 0, r.stderr
    bob.write_bytes(alice.read_bytes())
    for path, who, args in (
        (alice, "alice", ("assume", "A3", "0.9")),
        (bob, "bob", ("score", "R1", "-l", "4", "-i", "4")),
        (bob, "bob", ("assume", "A3", "0.5")),
    ):
        r = run("--analyst", who, *args, "--journal", str(path))
        assert r.exit_code == 0, r.stderr
    return alice, bob


def test_merge_takes_every_event_once_and_says_where_it_came_from(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    out = tmp_path / "team.jsonl"
    r = run("journal", "merge", str(alice), str(bob), "-o", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["events"] == 4
    assert [(x["events"], x["added"], x["duplicates"]) for x in data["inputs"]] == [(2, 2, 0), (3, 2, 1)]
    lines = out.read_bytes().splitlines()
    assert lines == alice.read_bytes().splitlines() + bob.read_bytes().splitlines()[1:]  # byte for byte
    text = run("journal", "merge", str(alice), str(bob), "-o", str(tmp_path / "t2.jsonl"))
    assert "t2.jsonl: 4 events" in text.stdout and "journal verify --merged" in text.stderr


def test_a_merged_journal_gives_the_state_of_both_journals_concatenated(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    out, cat = tmp_path / "team.jsonl", tmp_path / "cat.jsonl"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out)).exit_code == 0
    cat.write_bytes(alice.read_bytes() + bob.read_bytes())
    reg = _embedded()
    merged = journal.replay(reg, journal.read(out).events).state
    assert merged == journal.replay(reg, journal.read(cat).events).state
    assert merged.beliefs["A3"] == journal.replay(reg, journal.read(cat).events).state.beliefs["A3"]
    assert set(merged.panel["R1"]) == {"alice", "bob"}


def test_merge_never_writes_over_an_input_or_an_existing_file(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    before = alice.read_bytes()
    r = run("journal", "merge", str(alice), str(bob), "-o", str(alice), "--force")
    assert r.exit_code == 2 and "being read" in r.stderr
    assert alice.read_bytes() == before
    out = tmp_path / "team.jsonl"
    out.write_text("keep me\n")
    r = run("journal", "merge", str(alice), str(bob), "-o", str(out))
    assert r.exit_code == 2 and "already exists" in r.stderr and out.read_text() == "keep me\n"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out), "--force").exit_code == 0
    assert len(out.read_bytes().splitlines()) == 4


def test_merge_refuses_bad_inputs(run, tmp_path) -> None:
    alice, _ = _fork(run, tmp_path)
    r = run("journal", "merge", str(alice), "-o", str(tmp_path / "o.jsonl"))
    assert r.exit_code == 2 and "two journals or more" in r.stderr
    r = run("journal", "merge", str(alice), str(tmp_path / "nobody.jsonl"), "-o", str(tmp_path / "o.jsonl"))
    assert r.exit_code == 2 and "no such file" in r.stderr
    other = tmp_path / "other.jsonl"
    other.write_text(
        json.dumps(_ev("z1", _at(1), "score", register="another", risk="R1", likelihood=1, impact=1)) + "\n"
    )
    r = run("journal", "merge", str(alice), str(other), "-o", str(tmp_path / "o.jsonl"))
    assert r.exit_code == 2 and "other registers (another)" in r.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_merge_keeps_the_copy_a_replay_keeps_when_an_id_has_two_contents(run, tmp_path) -> None:
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    one = _ev("x", _at(10), "score", risk="R1", likelihood=4, impact=4)
    other = _ev("x", _at(10), "score", risk="R1", likelihood=2, impact=2)
    _write(a, [one])
    _write(b, [other])
    out = tmp_path / "o.jsonl"
    r = run("journal", "merge", str(a), str(b), "-o", str(out))
    assert r.exit_code == 0 and "other content" in r.stderr
    both = journal.replay(_embedded(), _events([one, other])).state
    assert journal.replay(_embedded(), journal.read(out).events).state == both


# --------------------------------------------------------------------------- verify --merged


def test_verify_merged_checks_each_writers_chain(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    out = tmp_path / "team.jsonl"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out)).exit_code == 0
    plain = run("journal", "verify", "--journal", str(out))
    assert plain.exit_code == 1  # one chain read in line order breaks where bob's lines start
    r = run("journal", "verify", "--merged", "--journal", str(out), "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["ok"] and data["dangling"] == [] and data["lines"] == 4
    assert [(t["line"], t["by"]) for t in data["tips"]] == [(2, "alice"), (4, "bob")]
    text = run("journal", "verify", "--merged", "--journal", str(out)).stdout
    assert "4 events in 2 chains" in text
    # Every read takes the writers' chains as they interleave: nothing to warn of.
    read = run("list", "--journal", str(out))
    assert read.exit_code == 0 and "hash chain" not in read.stderr, read.stderr
    assert "journal verify --merged checks apart" in plain.stderr


def test_a_read_of_a_merged_journal_still_names_an_edited_line(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    out = tmp_path / "team.jsonl"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out)).exit_code == 0
    lines = out.read_bytes().split(b"\n")
    first = json.loads(lines[0])
    first["why"] = "rewritten"
    lines[0] = json.dumps(first, separators=(",", ":")).encode()
    out.write_bytes(b"\n".join(lines))
    read = run("list", "--journal", str(out))
    assert f"{out}:2: the hash chain breaks: line 2 does not follow the line before it" in read.stderr


def test_verify_merged_finds_an_edited_or_deleted_line(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    out = tmp_path / "team.jsonl"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out)).exit_code == 0
    lines = out.read_bytes().splitlines(keepends=True)
    edited = tmp_path / "edited.jsonl"
    edited.write_bytes(
        lines[0].replace(b'"likelihood": 2', b'"likelihood": 1').replace(b'"likelihood":2', b'"likelihood":1')
        + b"".join(lines[1:])
    )
    assert edited.read_bytes() != out.read_bytes()
    r = run("journal", "verify", "--merged", "--journal", str(edited), "--json")
    assert r.exit_code == 1 and json.loads(r.stdout)["dangling"] == [2, 3]  # alice's and bob's next lines
    deleted = tmp_path / "deleted.jsonl"
    deleted.write_bytes(lines[0] + lines[1] + lines[3])  # bob's score gone: his belief names it
    r = run("journal", "verify", "--merged", "--journal", str(deleted))
    assert r.exit_code == 1 and "deleted.jsonl:3: names a line before it that no line of the journal is" in r.stderr


def test_verify_merged_checks_a_kept_head(run, tmp_path) -> None:
    alice, bob = _fork(run, tmp_path)
    head = run("journal", "head", "--journal", str(bob)).stdout.strip()
    out = tmp_path / "team.jsonl"
    assert run("journal", "merge", str(alice), str(bob), "-o", str(out)).exit_code == 0
    r = run("journal", "verify", "--merged", "--head", head, "--journal", str(out))
    assert r.exit_code == 0 and "the head you kept is line 4" in r.stdout
    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(out.read_bytes().splitlines(keepends=True)[:3]))
    r = run("journal", "verify", "--merged", "--head", head, "--journal", str(cut))
    assert r.exit_code == 1 and "is no line of this journal" in r.stderr


# --------------------------------------------------------------------------- the property, merged


def _chained(objs: list[dict], prefix: list[bytes]) -> list[bytes]:
    """Lines as riskcli appends them: each naming the hash of the line before (after ``prefix``)."""
    from riskcli.journal.reading import line_hash

    out: list[bytes] = []
    for o in objs:
        before = (prefix + out)[-1] if prefix + out else None
        line = json.dumps({**o, **({"prev": line_hash(before)} if before else {})}).encode()
        out.append(line)
    return out


@settings(max_examples=60, deadline=None)
@given(_journal(), st.integers(0, 14), st.randoms(use_true_random=False))
def test_any_shuffle_of_a_merged_journal_gives_the_same_state_and_chains(tmp_path_factory, objs, split, rnd) -> None:
    """Two analysts' journals that share a first part, merged by ``journal merge``: any order of the
    merged lines replays to the merge's state, and its chains verify the same."""
    from riskcli.journal.merging import chains, merged_lines

    tmp = tmp_path_factory.mktemp("m")
    shared = _chained(objs[: split // 2], [])
    mine = [o for o in objs[split // 2 :] if o["by"] == "alice"]
    theirs = [o for o in objs[split // 2 :] if o["by"] != "alice"]
    a, b = tmp / "a.jsonl", tmp / "b.jsonl"
    a.write_bytes(b"".join(x + b"\n" for x in shared + _chained(mine, shared)))
    b.write_bytes(b"".join(x + b"\n" for x in shared + _chained(theirs, shared)))
    data, _, _ = merged_lines([a, b])
    merged = tmp / "merged.jsonl"
    merged.write_bytes(data)
    want = journal.replay(_embedded(), journal.read(merged).events).state
    lines = data.splitlines(keepends=True)
    rnd.shuffle(lines)
    shuffled = tmp / "shuffled.jsonl"
    shuffled.write_bytes(b"".join(lines))
    assert journal.replay(_embedded(), journal.read(shuffled).events).state == want
    c, d = chains(merged), chains(shuffled)
    assert c.ok and d.ok
    assert sorted(t.hash for t in c.tips) == sorted(t.hash for t in d.tips)


def test_one_analysts_picture_says_when_that_analyst_recorded_nothing(run, tmp_path) -> None:
    alice, _ = _fork(run, tmp_path)
    r = run("--analyst", "carol", "show", "R1", "--journal", str(alice))
    assert r.exit_code == 0
    assert f"carol has recorded no score or belief in {alice} (those who have: alice)" in r.stderr
    assert "carol has recorded" not in run("--analyst", "alice", "show", "R1", "--journal", str(alice)).stderr
