"""The replay checkpoint is a cache: every view says the same with it, without it, with one in the
middle of the journal, or with one from another riskcli, register or user; a read with one replays
only the lines after it, and still names an edited, deleted or reordered line."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riskcli import cache, journal, register
from riskcli.belief import Evidence, Ledger
from riskcli.journal import checkpoint, current
from riskcli.journal.replay import Replay
from riskcli.model import Decision, DecisionKind, Resolved, Status, Strategy
from riskcli.scoring import AnalystScore, State

# --------------------------------------------------------------------------- helpers

_HEAD = len(cache.MAGIC) + 32 + 32  # a cache entry's magic, HMAC and what it was made from


def _cache(tmp_path: Path) -> Path:
    return Path(os.environ["RISKCLI_CACHE"]) / "journals"


def _checkpoints(tmp_path: Path) -> list[Path]:
    return sorted(_cache(tmp_path).glob("*.checkpoint"))


def _forget(tmp_path: Path) -> None:
    for p in _checkpoints(tmp_path):
        p.unlink()


def _hash(line: bytes) -> str:
    return hashlib.sha256(line).hexdigest()[:32]


def _append_chained(path: Path, events: list[dict]) -> None:
    """Events appended as riskcli would write them, chained to the last line."""
    data = path.read_bytes()
    prev = _hash(data.rstrip(b"\n").rsplit(b"\n", 1)[-1]) if data.strip() else None
    out = []
    for ev in events:
        line = json.dumps({**ev, "prev": prev}, ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line + b"\n")
        prev = _hash(line)
    path.write_bytes(data + b"".join(out))


def _rechain(lines: list[bytes]) -> list[bytes]:
    out, prev = [], None
    for raw in lines:
        ev = json.loads(raw)
        ev["prev"] = prev
        line = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode()
        out.append(line)
        prev = _hash(line)
    return out


def _said(result) -> tuple[int, str, str]:
    return result.exit_code, result.stdout, result.stderr


# Every kind of event, on the embedded register: scores (one with a confidence, one beyond the
# scale, one about a risk the register lacks), beliefs, observations seen, absent and none (and
# repeated, by reference and in a review window), responses applied and withdrawn, a torn line and
# its record, undos (one reaching far back).
RECORD = [
    ("score", "R1", "-l", "4", "-i", "4", "--why", "casualty reports"),
    ("assume", "A1", "fails", "--why", "Moscow keeps its distance"),
    ("score", "R2", "-l", "2", "-i", "3", "--confidence", "high"),
    ("observe", "I1", "--ref", "report-1"),
    ("respond", "M1"),
    ("assume", "A2", "0.3"),
    ("observe", "I2", "absent"),
    ("observe", "I3", "--none"),
    "torn",
    ("score", "R3", "-l", "5", "-i", "2"),
    "foreign",
    ("undo", "3"),  # reaches back to line 3
    ("respond", "M1", "--withdraw"),
    ("assume", "A3", "holds"),
    ("score", "R1", "-l", "3", "-i", "5"),
    ("undo",),
    ("assume", "A4", "0.9"),
    ("observe", "I1"),
    ("score", "R4", "-l", "1", "-i", "1"),
    ("observe", "I1", "--ref", "report-1"),  # the same report: counted once, across a checkpoint
    ("observe", "I2", "absent"),  # looked for again in the same review window: counted once
    ("resolve", "R6", "occurred", "--on", "2024-12-01", "--source", "news"),  # out of the live views
    ("resolve", "A14", "failed", "--on", "2025-01-15"),  # hard evidence, in a linked tree: its risks re-score
]

VIEWS = [
    ("list",),
    ("list", "--all", "--json"),
    ("show", "R1"),
    ("show", "R2", "--json"),
    ("assumptions",),
    ("assumptions", "--json"),
    ("matrix",),
    ("matrix", "--json"),
    ("compare", "baseline", "current"),
    ("explain", "R1"),
    ("scenarios",),
    ("indicators", "--json"),
    ("responses",),
    ("history",),
    ("history", "--json"),
    ("history", "--risk", "R1"),
    ("report",),
    ("export", "--format", "json"),
    ("simulate", "--seed", "1", "--trials", "500", "--json"),
    ("--what-if", "A1=holds", "matrix"),
    ("list", "--as-of", "2025-01-31", "--json"),
    ("journal", "verify"),
    ("journal", "head"),
]


@pytest.fixture
def recorded(run, tmp_path) -> Path:
    """A journal of every kind of event on the embedded register (checkpoint cleared)."""
    path = tmp_path / "j.jsonl"
    for step in RECORD:
        if step == "torn":
            with path.open("ab") as f:
                f.write(b'{"v":1,"id":"torn-by-a-crash","at":"2025-01-0')
            continue
        if step == "foreign":  # events about a risk the register lacks, and a score beyond its scale
            _append_chained(
                path,
                [
                    {"v": 1, "id": "gone1", "at": "2025-02-01T00:00:00Z", "by": "al", "kind": "score",
                     "risk": "R999", "likelihood": 2, "impact": 2},
                    {"v": 1, "id": "big1", "at": "2025-02-01T00:00:01Z", "by": "al", "kind": "score",
                     "risk": "R5", "likelihood": 9, "impact": 2},
                ],
            )  # fmt: skip
            continue
        result = run(*step, "--journal", str(path))
        assert result.exit_code == 0, (step, result.stderr)
    _forget(tmp_path)
    return path


@pytest.fixture
def simple(run, tmp_path) -> Path:
    """Eight chained events, nothing else (checkpoint cleared)."""
    path = tmp_path / "j.jsonl"
    for step in RECORD[:8]:
        assert run(*step, "--journal", str(path)).exit_code == 0
    _forget(tmp_path)
    return path


def _views(run, path: Path) -> list[tuple[int, str, str]]:
    return [_said(run(*view, "--journal", str(path))) for view in VIEWS]


def _cold(run, tmp_path: Path, path: Path) -> list[tuple[int, str, str]]:
    out = []
    for view in VIEWS:
        _forget(tmp_path)
        out.append(_said(run(*view, "--journal", str(path))))
    return out


# --------------------------------------------------------------------------- a cache, and nothing more


def test_every_view_says_the_same_with_and_without_a_checkpoint(run, tmp_path, recorded) -> None:
    cold = _cold(run, tmp_path, recorded)
    assert cold[0][0] == 0 and "R999" in cold[0][2]  # the journal's own warnings are there
    assert _checkpoints(tmp_path)
    warm = _views(run, recorded)
    for view, a, b in zip(VIEWS, cold, warm, strict=True):
        assert a == b, view


@pytest.mark.parametrize("keep", [4, 12, 18], ids=["before-the-torn-line", "before-an-undo", "after-the-undos"])
def test_every_view_says_the_same_with_a_checkpoint_in_the_middle(run, tmp_path, recorded, keep) -> None:
    """A checkpoint at line ``keep``, then the rest of the journal appended: the lines after it
    (with an undo reaching back before it, or not) replayed onto its state."""
    whole = recorded.read_bytes()
    cold = _cold(run, tmp_path, recorded)
    for view, want in zip(VIEWS, cold, strict=True):
        _forget(tmp_path)
        recorded.write_bytes(b"".join(whole.splitlines(keepends=True)[:keep]))
        assert run("list", "--journal", str(recorded)).exit_code == 0
        assert len(_checkpoints(tmp_path)) == 1
        recorded.write_bytes(whole)
        assert _said(run(*view, "--journal", str(recorded))) == want, view


def test_a_checkpoint_from_another_riskcli_is_not_used(run, tmp_path, recorded, monkeypatch) -> None:
    before = _said(run("list", "--journal", str(recorded)))
    (cp,) = _checkpoints(tmp_path)
    made = cp.read_bytes()
    monkeypatch.setattr(checkpoint, "code_digest", lambda: "another riskcli")
    name = checkpoint.entry(recorded)
    assert name is not None and checkpoint.load(name, register.load(None)) is None
    assert _said(run("list", "--journal", str(recorded))) == before
    assert cp.read_bytes() != made  # replaced by one of this riskcli's


def test_a_checkpoint_for_another_register_is_not_used(run, write, tmp_path) -> None:
    """A belief the fold starts from changes: the checkpoint of the old register would be wrong."""
    reg = write("assumptions: [{id: A1, statement: S, belief: 0.5}]\n"
                "risks: [{id: R1, title: T, likelihood: 3, impact: 3, drivers: "
                "[{assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]}]\n")  # fmt: skip
    assert run("score", "R1", "-l", "3", "-i", "3", "--register", str(reg)).exit_code == 0
    assert run("list", "--register", str(reg)).exit_code == 0
    reg.write_text(reg.read_text().replace("belief: 0.5", "belief: 0.9"))
    warm = _said(run("assumptions", "--json", "--register", str(reg)))
    _forget(tmp_path)
    assert warm == _said(run("assumptions", "--json", "--register", str(reg)))
    assert json.loads(warm[1])["assumptions"][0]["belief"] == 0.9  # not the 0.5 the old checkpoint holds


def test_the_checkpoint_is_kept_in_the_cache_not_beside_the_journal(run, tmp_path, recorded) -> None:
    assert run("list", "--journal", str(recorded)).exit_code == 0
    assert sorted(p.name for p in recorded.parent.iterdir()) == ["j.jsonl"]
    (cp,) = _checkpoints(tmp_path)
    assert stat.S_IMODE(cp.stat().st_mode) == 0o600
    assert stat.S_IMODE(cp.parent.stat().st_mode) == 0o700


def test_riskcli_cache_names_the_cache_directory(run, tmp_path, recorded) -> None:
    elsewhere = tmp_path / "elsewhere"
    result = run("list", "--journal", str(recorded), env={"RISKCLI_CACHE": str(elsewhere)})
    assert result.exit_code == 0
    assert list((elsewhere / "journals").glob("*.checkpoint")) and not _checkpoints(tmp_path)


# --------------------------------------------------------------------------- what a read notices


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines()


def _write(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(b"".join(line + b"\n" for line in lines))


def test_an_edited_line_before_the_checkpoint_is_named_and_not_trusted(run, tmp_path, simple) -> None:
    assert run("list", "--journal", str(simple)).exit_code == 0  # the checkpoint at the end
    lines = _lines(simple)
    lines[0] = lines[0].replace(b'"likelihood":4.0', b'"likelihood":1.0')
    _write(simple, lines)
    for view in (("list",), ("show", "R1"), ("matrix",)):
        result = run(*view, "--journal", str(simple))
        assert result.exit_code == 0
        assert (
            f"warning: {simple}:2: the hash chain breaks: line 2 does not follow the line before it: that "
            "line was edited, or lines between them deleted (riskcli journal verify lists every break)\n"
        ) in result.stderr, view
    _forget(tmp_path)
    assert _said(run("show", "R1", "--journal", str(simple))) == _said(run("show", "R1", "--journal", str(simple)))
    cold = _said(run("list", "--journal", str(simple)))
    _forget(tmp_path)
    run("list", "--journal", str(simple))
    assert _said(run("list", "--journal", str(simple))) == cold  # the break is named on every read


def test_a_reordered_or_deleted_line_is_named(run, tmp_path, simple) -> None:
    assert run("list", "--journal", str(simple)).exit_code == 0
    lines = _lines(simple)
    _write(simple, [lines[0], lines[2], lines[1], *lines[3:]])
    assert f"{simple}:2: the hash chain breaks: line 2 says it follows line 3: lines were reordered" in (
        run("matrix", "--journal", str(simple)).stderr
    )
    assert run("list", "--journal", str(simple)).exit_code == 0
    _write(simple, [lines[0], *lines[2:]])
    assert f"{simple}:2: the hash chain breaks: line 2 does not follow" in run("list", "--journal", str(simple)).stderr


def test_an_edited_line_after_the_checkpoint_is_named(run, tmp_path, simple) -> None:
    lines = _lines(simple)
    _write(simple, lines[:5])
    assert run("list", "--journal", str(simple)).exit_code == 0  # the checkpoint at line 5
    lines[6] = lines[6].replace(b'"outcome":"absent"', b'"outcome":"seen"')
    _write(simple, lines)
    result = run("list", "--journal", str(simple))
    assert f"warning: {simple}:8: the hash chain breaks: line 8 does not follow" in result.stderr


def test_an_unchained_line_appended_is_named_on_every_read(run, tmp_path, simple) -> None:
    assert run("list", "--journal", str(simple)).exit_code == 0
    n = len(_lines(simple))
    with simple.open("ab") as f:
        f.write(b'{"v":1,"id":"late","at":"2024-01-01T00:00:00Z","by":"x","kind":"score","risk":"R1",'
                b'"likelihood":1,"impact":1}\n')  # fmt: skip
    for _ in range(2):
        result = run("matrix", "--journal", str(simple))
        assert f"{simple}:{n + 1}: the hash chain breaks: line {n + 1} has no hash of the line before" in result.stderr


def test_a_rewritten_rechained_journal_is_noticed_against_the_checkpoint(run, tmp_path, simple) -> None:
    """The chain alone cannot show it (anyone can recompute it); the checkpoint riskcli kept can."""
    assert run("list", "--journal", str(simple)).exit_code == 0
    lines = _lines(simple)
    lines[0] = lines[0].replace(b'"likelihood":4.0', b'"likelihood":1.0')
    _write(simple, _rechain(lines))
    result = run("list", "--journal", str(simple))
    assert (
        f"warning: journal {simple} changed at or after line 1 since riskcli last read it, yet its hash chain "
        "holds: rewritten, with every later hash recomputed? (riskcli journal verify --head checks it against a "
        "head you kept)\n"
    ) in result.stderr
    _forget(tmp_path)
    cold = run("list", "--journal", str(simple))
    assert cold.stdout == result.stdout  # the state of the lines as they are
    assert "rewritten" not in cold.stderr  # without the checkpoint, only a kept head can tell


def test_a_journal_cut_short_before_the_checkpoint_is_noticed(run, tmp_path, simple) -> None:
    assert run("list", "--journal", str(simple)).exit_code == 0
    n = len(_lines(simple))
    _write(simple, _lines(simple)[:-3])
    result = run("list", "--journal", str(simple))
    assert (
        f"warning: journal {simple} ends before line {n}, which riskcli read there before: it was cut short"
    ) in result.stderr
    _forget(tmp_path)
    assert run("list", "--journal", str(simple)).stdout == result.stdout


def test_lines_merged_in_before_the_checkpoint_are_no_rewrite(run, tmp_path, simple) -> None:
    """A merge of two writers' journals (git's union merge) puts the other writer's lines among
    those riskcli read: its last line is still there and every chain holds, so nothing is said of
    a change — and a journal rewritten, every hash recomputed, still is (the test above)."""
    lines = _lines(simple)
    mine, theirs = lines[:5], _rechain([lines[5].replace(b'"by":"', b'"by":"other-')])  # a chain of its own
    _write(simple, mine)
    assert run("list", "--journal", str(simple)).exit_code == 0  # the checkpoint at line 5
    _write(simple, [*mine[:3], *theirs, *mine[3:]])
    result = run("list", "--journal", str(simple))
    assert result.exit_code == 0 and "warning" not in result.stderr, result.stderr
    _forget(tmp_path)
    cold = run("list", "--journal", str(simple))
    assert cold.stdout == result.stdout and cold.stderr == result.stderr


def test_a_line_cut_short_then_recorded_torn_is_said_as_it_is(run, tmp_path, simple) -> None:
    """A complete line riskcli read, cut short since: reads say so until an append records the
    torn line; after it, reads say the torn line is recorded — never that the journal was
    rewritten — and say the same with the checkpoint deleted."""
    assert run("list", "--journal", str(simple)).exit_code == 0
    n = len(_lines(simple))
    simple.write_bytes(simple.read_bytes()[:-40])  # the last line loses its end
    torn = f"warning: {simple}:{n}: an incomplete event (written during a crash?) is ignored; "
    before = run("list", "--journal", str(simple))
    assert torn + "leave the line in place: the next event records it" in before.stderr
    assert "it was cut short" in before.stderr
    assert run("assume", "A1", "0.3", "--journal", str(simple)).exit_code == 0  # records the torn line
    for _ in range(2):  # the read after the append, then one from its checkpoint
        after = run("list", "--journal", str(simple))
        assert after.stderr.splitlines() == [torn + "a torn event records it, and the hash chain runs through it"]
    _forget(tmp_path)
    cold = run("list", "--journal", str(simple))
    assert cold.stdout == after.stdout and cold.stderr == after.stderr


# --------------------------------------------------------------------------- what a checkpoint can be trusted with


def _planted(tmp_path: Path, recorded: Path, run, change) -> tuple[int, str, str]:
    """Run list with the checkpoint's content changed by ``change`` (bytes → bytes)."""
    assert run("list", "--journal", str(recorded)).exit_code == 0
    (cp,) = _checkpoints(tmp_path)
    cp.write_bytes(change(cp.read_bytes()))
    return _said(run("list", "--journal", str(recorded)))


def test_a_forged_state_in_a_checkpoint_is_not_used(run, tmp_path, recorded) -> None:
    honest = _said(run("list", "--journal", str(recorded)))

    def forge(data: bytes) -> bytes:
        head, newline, sections = data[_HEAD:].partition(b"\n")
        doc = json.loads(head)
        doc["state"]["scores"] = [[r[0], 1, 1, *r[3:]] for r in doc["state"]["scores"]]
        return data[:_HEAD] + json.dumps(doc).encode() + newline + sections

    assert _planted(tmp_path, recorded, run, forge) == honest


def test_a_checkpoint_sealed_with_another_key_is_not_used(run, tmp_path, recorded) -> None:
    honest = _said(run("list", "--journal", str(recorded)))

    def reseal(data: bytes) -> bytes:
        head, newline, sections = data[_HEAD:].partition(b"\n")
        doc = json.loads(head)
        doc["state"]["scores"] = [[r[0], 1, 1, *r[3:]] for r in doc["state"]["scores"]]
        body = json.dumps(doc, separators=(",", ":")).encode() + newline + sections
        made_from = data[_HEAD - 32 : _HEAD]
        name = "journals/" + _checkpoints(tmp_path)[0].name
        return data[: len(cache.MAGIC)] + cache._mac(b"k" * 32, name, made_from, [body]) + made_from + body

    assert _planted(tmp_path, recorded, run, reseal) == honest


@pytest.mark.parametrize("garbage", [b"", b"riskcli\x01", b"\x00" * 100, b"not a checkpoint\n{}"])
def test_a_torn_or_foreign_checkpoint_file_is_ignored(run, tmp_path, recorded, garbage) -> None:
    honest = _said(run("list", "--journal", str(recorded)))
    assert _planted(tmp_path, recorded, run, lambda _: garbage) == honest


@pytest.mark.skipif(os.geteuid() == 0 and sys.platform == "darwin", reason="")
def test_a_key_others_can_read_turns_checkpoints_off(run, tmp_path, recorded) -> None:
    assert run("list", "--journal", str(recorded)).exit_code == 0
    key = _cache(tmp_path).parent / "key"
    key.chmod(0o644)
    _forget(tmp_path)
    honest = _said(run("list", "--journal", str(recorded)))
    assert not _checkpoints(tmp_path)
    assert _said(run("list", "--journal", str(recorded))) == honest


def test_a_cache_others_can_write_to_turns_checkpoints_off(run, tmp_path, recorded) -> None:
    assert run("list", "--journal", str(recorded)).exit_code == 0
    _forget(tmp_path)
    _cache(tmp_path).chmod(0o777)
    assert run("list", "--journal", str(recorded)).exit_code == 0
    assert not _checkpoints(tmp_path)


def test_an_unwritable_cache_changes_nothing(run, tmp_path, recorded) -> None:
    honest = _said(run("list", "--journal", str(recorded)))
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    assert _said(run("list", "--journal", str(recorded), env={"RISKCLI_CACHE": str(blocked)})) == honest
    assert (
        run(
            "score", "R1", "-l", "2", "-i", "2", "--journal", str(recorded), env={"RISKCLI_CACHE": str(blocked)}
        ).exit_code
        == 0
    )


# --------------------------------------------------------------------------- what a read and an append cost


def _big(tmp_path: Path, n: int) -> Path:
    """A chained journal of n beliefs (n = 5,000 is about 1.3 MB: more than one digest block)."""
    path = tmp_path / "big.jsonl"
    path.write_bytes(b"")
    _append_chained(
        path,
        [
            {"v": 1, "id": f"e{i}", "at": f"2025-01-01T00:00:{i % 60:02d}Z", "by": "al", "kind": "belief",
             "register": "dprk-troops-russia", "fingerprint": "x", "assumption": f"A{1 + i % 20}",
             "belief": (i % 97) / 100, "why": "a reason of ordinary length for this change"}
            for i in range(n)
        ],
    )  # fmt: skip
    return path


def test_an_append_reads_the_last_block_and_the_lines_after_the_checkpoint(run, tmp_path, monkeypatch) -> None:
    path = _big(tmp_path, 5000)
    assert path.stat().st_size > checkpoint.BLOCK
    assert run("list", "--journal", str(path)).exit_code == 0  # the checkpoint at its end
    read: list[int] = []
    real = os.pread

    def counting(fd: int, n: int, offset: int) -> bytes:
        data = real(fd, n, offset)
        read.append(len(data))
        return data

    with monkeypatch.context() as m:
        m.setattr(current.os, "pread", counting)
        m.setattr(journal.appending.os, "pread", counting)
        m.setattr(current, "parse", lambda *a, **k: pytest.fail("the whole journal was parsed"))
        for lk in ("2", "3"):
            assert run("score", "R1", "-l", lk, "-i", "2", "--journal", str(path)).exit_code == 0
    assert 0 < sum(read) < 2 * checkpoint.BLOCK + 10_000  # two appends: a part-block each, not 1.3 MB
    _forget(tmp_path)
    assert run("journal", "verify", "--journal", str(path)).exit_code == 0


def test_a_read_hashes_the_journal_and_parses_only_the_lines_after_the_checkpoint(run, tmp_path, monkeypatch) -> None:
    path = _big(tmp_path, 3000)
    assert run("list", "--journal", str(path)).exit_code == 0
    _append_chained(path, [{"v": 1, "id": "new", "at": "2025-03-01T00:00:00Z", "by": "bo", "kind": "score",
                            "register": "dprk-troops-russia", "risk": "R1", "likelihood": 1, "impact": 1}])  # fmt: skip
    parsed: list[int] = []
    real = current.parse_at

    def counting(data: bytes, *args, **kwargs):
        parsed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(current, "parse_at", counting)
    monkeypatch.setattr(current, "parse", lambda *a, **k: pytest.fail("the whole journal was parsed"))
    result = run("list", "--all", "--journal", str(path))
    assert result.exit_code == 0 and ["R1", "1", "1"] in [r.split("\t")[1:4] for r in result.stdout.splitlines()]
    assert parsed and max(parsed) < 500


# --------------------------------------------------------------------------- undo, torn lines, adopt


def test_an_undo_reaching_back_before_the_checkpoint(run, tmp_path, recorded) -> None:
    assert run("list", "--journal", str(recorded)).exit_code == 0
    assert run("undo", "1", "--journal", str(recorded)).exit_code == 0  # the first score, long before
    warm = _views(run, recorded)
    assert warm == _cold(run, tmp_path, recorded)


def test_a_torn_line_after_the_checkpoint_is_reported_then_recorded(run, tmp_path, recorded) -> None:
    assert run("list", "--journal", str(recorded)).exit_code == 0
    n = len(_lines(recorded))
    with recorded.open("ab") as f:
        f.write(b'{"v":1,"id":"cut')
    result = run("list", "--journal", str(recorded))
    assert f"{recorded}:{n + 1}: an incomplete event" in result.stderr
    assert run("assume", "A5", "fails", "--journal", str(recorded)).exit_code == 0
    assert run("journal", "verify", "--journal", str(recorded)).exit_code == 0
    warm = _views(run, recorded)
    assert warm == _cold(run, tmp_path, recorded)
    assert f"{recorded}:{n + 1}: an incomplete event" in warm[0][2]  # reported on every read


def test_adopt_after_a_checkpoint(run, write, tmp_path) -> None:
    old = write("risks: [{id: R1, title: T, likelihood: 3, impact: 3}]\n", "old.yaml")
    assert run("score", "R1", "-l", "4", "-i", "4", "--register", str(old)).exit_code == 0
    new = tmp_path / "new.yaml"
    old.rename(new)
    (tmp_path / "old.journal.jsonl").rename(tmp_path / "new.journal.jsonl")
    assert run("journal", "adopt", "--register", str(new)).exit_code == 0
    warm = _said(run("list", "--register", str(new)))
    _forget(tmp_path)
    assert _said(run("list", "--register", str(new))) == warm
    assert warm[1].splitlines()[1].split("\t")[1:4] == ["R1", "4", "4"]


# --------------------------------------------------------------------------- concurrency


def test_writers_and_readers_at_once_lose_nothing_and_agree(tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    env = {**os.environ, "RISKCLI_HOME": str(tmp_path / "home"), "RISKCLI_ANALYST": "t"}
    cmd = [sys.executable, "-m", "riskcli", "--journal", str(path)]
    procs = [
        subprocess.Popen(
            [*cmd, "assume", f"A{1 + i % 20}", f"0.{10 + i}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        if i % 2 == 0
        else subprocess.Popen([*cmd, "matrix"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for i in range(16)
    ]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    assert len(_lines(path)) == 8
    warm = subprocess.run([*cmd, "assumptions", "--json"], env=env, capture_output=True, check=True).stdout
    assert _checkpoints(tmp_path)
    _forget(tmp_path)
    cold = subprocess.run([*cmd, "assumptions", "--json"], env=env, capture_output=True, check=True).stdout
    assert warm == cold
    verified = subprocess.run([*cmd, "journal", "verify"], env=env, capture_output=True)
    assert verified.returncode == 0, verified.stderr


# --------------------------------------------------------------------------- the codec


def test_the_checkpoint_saves_what_the_fold_carries() -> None:
    """A field added to the replay, the state or an analyst's score must be saved by the
    checkpoint (checkpoint.py) or listed here as one the fold does not carry."""
    carried = {"state", "undone", "unknown", "clamped", "latest"}
    not_carried = {"active", "events", "warnings"}
    assert {f.name for f in dataclasses.fields(Replay)} == carried | not_carried
    assert {f.name for f in dataclasses.fields(State)} == {
        "beliefs",
        "scores",
        "applied",
        "evidence",
        "decisions",
        "panel",
        "opinions",
        "resolutions",
    }
    assert tuple(f.name for f in dataclasses.fields(Decision)) == checkpoint.DECISION_SAVED
    assert tuple(f.name for f in dataclasses.fields(Resolved)) == checkpoint.RESOLVED_SAVED
    assert set(Evidence.__slots__) == {*checkpoint.EVIDENCE_SAVED, "net"}  # the network: from the register
    assert set(Ledger.__slots__) == {*checkpoint.LEDGER_SAVED, "by_indicator"}  # every observation: for views
    assert {f.name for f in dataclasses.fields(AnalystScore)} == {
        "likelihood", "impact", "beliefs", "by", "at", "why", "applied", "confidence",
    }  # fmt: skip


def test_the_state_round_trips_with_shared_snapshots() -> None:
    from riskcli.combine import Belief
    from riskcli.model import Confidence

    snap1 = {"A1": 0.5, "A2": 1 / 3}
    snap2 = {"A1": 0.1, "A2": 1 / 3}
    on = frozenset({"M1"})
    scores = {
        "R1": AnalystScore(4.0, 4.0, snap1, "al", "2025-01-01", "why", on, Confidence.HIGH),
        "R2": AnalystScore(2.5, 1.0, snap1, "bo", "2025-01-02", "", on, None),
        "R3": AnalystScore(1.0, 12.0, snap2, "\u202e", "2025-01-03", "\ud800", frozenset(), None),
    }
    earlier = AnalystScore(2.0, 5.0, snap1, "bo", "2024-12-31", "older", frozenset(), None)  # bo's view of R1
    st = State(
        {"A1": 0.1, "A2": 1 / 3},
        scores,
        frozenset({"M1", "M2"}),
        panel={"R1": {"al": scores["R1"], "bo": earlier}, "R2": {"bo": scores["R2"]}, "R3": {"\u202e": scores["R3"]}},
        opinions={
            "A1": {"al": Belief(0.9, "al", "2025-01-01", "e1", "why"), "bo": Belief(0.5, "bo", "2025-01-02", "e2")}
        },
    )
    encoded = json.loads(json.dumps(checkpoint._encode_state(st)))
    back = checkpoint._decode_state(encoded, register.load(None))
    assert back == st
    assert back.scores["R1"].beliefs is back.scores["R2"].beliefs  # shared, as the fold shares them
    assert back.panel["R1"]["bo"].beliefs is back.scores["R1"].beliefs  # an analyst's other score shares them too
    assert len(encoded["panel"]) == 1  # the risk's latest score is not saved twice
    assert encoded["snapshots"] == [[snap1, []], [{"A1": 0.1}, []]]  # the second as a change


def test_decisions_round_trip() -> None:
    """Every kind of decision, each field set, comes back as it was."""
    full = Decision(
        DecisionKind.ACCEPT, "2025-01-01T00:00:00Z", "e1", "al", "why", "", None, (), "2025-06-30", "CFO", "high",
        4.0, 3.5, "abc", "", None,
    )  # fmt: skip
    st = State(
        {},
        decisions={
            "R1": (
                full,
                Decision(DecisionKind.TREAT, "2025-02-01", "e2", "bo", strategy=Strategy.REDUCE, responses=("M1",)),
            ),
            "R2": (
                Decision(DecisionKind.ASSIGN, "2025-01-02", "e3", "bo", owner="ops"),
                Decision(DecisionKind.REVIEW, "2025-01-03", "e4", "bo", next="2025-04-01"),
                Decision(DecisionKind.CLOSE, "2025-01-04", "e5", "bo", status=Status.RETIRED),
                Decision(DecisionKind.REOPEN, "2025-01-05", "e6", "bo"),
            ),
        },
    )
    back = checkpoint._decode_state(json.loads(json.dumps(checkpoint._encode_state(st))), register.load(None))
    assert back.decisions == st.decisions


def test_resolutions_round_trip() -> None:
    """A risk's and an assumption's resolution, each field set, come back as they were."""
    from riskcli.model import Resolution, Resolvable

    risk = Resolved(Resolvable.RISK, "R1", Resolution.OCCURRED, "2025-03-01", "2025-03-02T09:00:00Z", "e1", "al",
                    "it happened", "Reuters")  # fmt: skip
    held = Resolved(Resolvable.ASSUMPTION, "A1", Resolution.HELD, "2025-06-30", "2025-07-01T09:00:00Z", "e2", "bo")
    st = State({}, resolutions={(risk.kind, risk.item): risk, (held.kind, held.item): held})
    back = checkpoint._decode_state(json.loads(json.dumps(checkpoint._encode_state(st))), register.load(None))
    assert back.resolutions == st.resolutions


def test_the_evidence_round_trips(run, tmp_path) -> None:
    """Beliefs set, signposts seen and absent, refs and review windows: the evidence a fold
    carries on comes back as it was, and goes on to the same beliefs."""
    reg = register.load(None)
    path = tmp_path / "e.jsonl"
    for step in (
        ("assume", "A1", "0.3"),
        ("observe", "I1", "--ref", "report-1"),
        ("observe", "I1", "--ref", "report-1"),
        ("observe", "I2", "absent"),
        ("observe", "I2", "absent"),
        ("assume", "A7", "fails"),
        ("observe", "I3"),
    ):
        assert run(*step, "--journal", str(path)).exit_code == 0, step
    rp = journal.replay(reg, journal.read(path).events)
    ev = rp.state.evidence
    assert ev is not None and ev.ledger is not None and ev.ledger.refs and ev.ledger.windows
    back = checkpoint._decode_state(json.loads(json.dumps(checkpoint._encode_state(rp.state))), reg)
    got = back.evidence
    assert got is not None and got.ledger is not None
    for name in checkpoint.EVIDENCE_SAVED:
        if name != "ledger":
            assert getattr(got, name) == getattr(ev, name), name
    for name in checkpoint.LEDGER_SAVED:
        assert getattr(got.ledger, name) == getattr(ev.ledger, name), name
    more = journal.read(path).events[:2]  # the same observations again: counted once, by ref
    a = journal.extend(reg, rp, more).state.beliefs
    b = journal.extend(reg, Replay(back, [], set(rp.undone), []), more).state.beliefs
    assert a == b


def test_long_columns_are_kept_after_the_json_and_read_back(tmp_path) -> None:
    """Tens of thousands of undone ids and observation references (a journal of a million
    events) round-trip through the sections after the checkpoint's JSON, line breaks included."""
    from datetime import date

    reg = register.load(None)
    from riskcli.belief import Evidence, network

    ev = Evidence(network(reg))
    ev.ledger = Ledger(date(2024, 1, 1))
    ev.ledger.refs = {(f"I{i % 7}", f"report-{i}"): i for i in range(20_000)}
    ev.ledger.refs[("I1", "two\nlines")] = 5  # an item with a line break: kept in the JSON as a list
    ev.ledger.windows = {(f"I{i % 7}", i - 50): i for i in range(10_000)}
    fold = Replay(State({}, {}, frozenset(), ev), [], {f"id-{i}" for i in range(30_000)}, [])
    walked = {"prev": "x", "skipped": None, "chained": 1, "unchained": 0, "lines": 1, "last": 1}
    cp = checkpoint.Checkpoint(
        line=1, start=0, end=10, last="x", blocks=[], rest="y", events=1, active=1, fold=fold, chain=walked
    )
    data = checkpoint._encode(cp)
    assert data.count(b"\n") > 30_000  # the columns, after the JSON
    back = checkpoint._decode(data, reg)
    assert back.fold.undone == fold.undone
    got = back.fold.state.evidence
    assert got is not None and got.ledger is not None
    assert got.ledger.refs == ev.ledger.refs and got.ledger.windows == ev.ledger.windows
    with pytest.raises(checkpoint._Bad):
        checkpoint._decode(data[:-10], reg)  # cut short
    with pytest.raises(checkpoint._Bad):
        checkpoint._decode(data + b"\nmore", reg)
