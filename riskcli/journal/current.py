"""The journal as it stands: its state, from a replay checkpoint and the lines after it, or from
every line; what a read warns about; the whole journal when a view needs its events.

``open_current`` reads a journal for a register. With a checkpoint (checkpoint.py) it checks the
bytes up to the checkpoint's line against its digests — or, for an append (``quick``), only the
last part-MiB and that line — parses only the lines after it and folds them onto its state. With
none, or one that does not hold, it reads every line. Either way it walks the hash chain over the
lines it parses, and names the first line where the chain breaks in a warning (every read: a
checkpoint remembers a break before its line), and it writes a checkpoint for the next read.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import field
from datetime import datetime
from pathlib import Path

from riskcli.journal import checkpoint
from riskcli.journal.binding import accepted_by, adoptions, refuse_foreign, unbound_note
from riskcli.journal.checkpoint import BLOCK, Checkpoint, block_digests, digest
from riskcli.journal.filtering import recorded_by
from riskcli.journal.location import Location, open_checked
from riskcli.journal.reading import Journal, line_hash, parse, parse_at, torn_lines_of
from riskcli.journal.replay import Replay, extend, folds_on, replay
from riskcli.journal.verifying import Break, BreakKind, Chain, _blank, break_text, lines_of, walk
from riskcli.model import Event, OperationalError, Register
from riskcli.perf import gc_paused
from riskcli.records import mutable
from riskcli.scoring import State


@mutable
class Seal:
    """What a new checkpoint needs of the bytes read: the digests of their whole blocks up to
    ``upto`` (a multiple of BLOCK, at or before the checkpoint's line), and the bytes read after
    it, as they were read (a new checkpoint's digests are of the bytes its state was folded from)."""

    blocks: list[str]
    upto: int
    recent: bytes

    @property
    def end(self) -> int:
        return self.upto + len(self.recent)


@mutable
class Current:
    """A journal read for a register: the lines read (all of them, or those after ``base``), the
    replay of every event, and what a read says about them."""

    reg: Register
    location: Location
    tail: Journal  # the lines read: every line, or those after the checkpoint (``base``)
    replay: Replay  # the fold of every event; its ``events`` and ``active`` are ``tail``'s alone with a base
    base: Checkpoint | None  # the checkpoint the lines were read after (None: every line was read)
    chain: Chain  # the hash chain's walk, up to the end of the lines read
    first_break: Break | None  # the first line where the chain breaks
    notes: list[str] = field(default_factory=list)  # for stderr, in order: line_notes, binding, the replay
    events: int = 0  # events in the whole journal
    adopted: dict[str, list[str]] = field(default_factory=dict)
    bound: bool = False
    torn_named: list[int] = field(default_factory=list)
    seal: Seal | None = None
    chain_note: str | None = None  # the note naming where the hash chain breaks (among ``notes``)
    _line_notes: int = 0
    _whole: Journal | None = None
    _full: Replay | None = None

    @property
    def state(self) -> State:
        return self.replay.state

    @property
    def in_force(self) -> int:
        """How many events are in force (not undone, nor undo, torn or adopt records)."""
        return (self.base.active if self.base is not None else 0) + len(self.replay.active)

    @property
    def line_notes(self) -> list[str]:
        """What a read says about the lines themselves: torn lines, the hash chain."""
        return self.notes[: self._line_notes]

    def whole(self) -> Journal:
        """Every line of the journal, parsed (read again when the lines before the checkpoint
        were not)."""
        if self.base is None:
            return self.tail
        if self._whole is None:
            self._whole = _read_whole(self)
        return self._whole

    def full(self) -> Replay:
        """The replay of every event, the events themselves included."""
        if self.base is None:
            return self.replay
        if self._full is None:
            self._full = replay(self.reg, self.whole().events)
        return self._full

    def everything(self) -> Current:
        """This reading with every event at hand (what undo and adopt decide on)."""
        if self.base is None:
            return self
        return Current(
            self.reg,
            self.location,
            self.whole(),
            self.full(),
            None,
            self.chain,
            self.first_break,
            self.notes,
            self.events,
            self.adopted,
            self.bound,
            self.torn_named,
            self.seal,
            self.chain_note,
            self._line_notes,
        )


def dated(cur: Current, until: datetime) -> Current:
    """The journal as it stood at ``until`` (``--as-of``): its events recorded by then, replayed
    from the register's baseline. Never from a replay checkpoint: a checkpoint holds the state after
    the journal's last line, which is past the date whenever there is anything to leave out."""
    whole = cur.whole()
    kept = recorded_by(whole.events, until)
    return _replayed(cur, whole, kept, len(kept))


def own(cur: Current, analyst: str) -> Current:
    """The journal as one analyst's own picture (``--analyst NAME`` on a read view): their scores and
    beliefs alone, with everything else the journal records (observations, responses, decisions)."""
    whole = cur.whole()
    kept = [ev for ev in whole.events if ev.kind not in _JUDGEMENTS or ev.by == analyst]
    judged = sorted({ev.by for ev in whole.events if ev.kind in _JUDGEMENTS})
    notes = []
    if analyst not in judged:
        who = f"those who have: {', '.join(judged)}" if judged else "no one has"
        notes.append(
            f"{analyst} has recorded no score or belief in {whole.path} ({who}): "
            "the picture shown is the register's, with the team's other events"
        )
    return _replayed(cur, whole, kept, cur.events, notes)


def _replayed(cur: Current, whole: Journal, kept: list[Event], events: int, notes: Sequence[str] = ()) -> Current:
    """``cur`` with only the events ``kept`` of its journal ``whole``, replayed from the register's
    baseline: the same chain and notes (the replay's own warnings anew), and no seal — a state that
    is not the journal's whole is never checkpointed."""
    j = Journal(whole.path, kept, size=whole.size, lines=whole.lines)
    rp = replay(cur.reg, kept)
    return Current(
        cur.reg,
        cur.location,
        j,
        rp,
        None,
        cur.chain,
        cur.first_break,
        [n for n in cur.notes if n not in cur.replay.warnings] + rp.warnings + list(notes),
        events,
        cur.adopted,
        cur.bound,
        cur.torn_named,
        None,
        cur.chain_note,
        cur._line_notes,
    )


_JUDGEMENTS = ("score", "belief")  # what an analyst judges; the rest is the team's


def _read_whole(cur: Current) -> Journal:
    """The lines before the checkpoint, read again (their digests checked: they are the lines the
    checkpoint was made from, whose events were checked then), and those after it, as read."""
    base = cur.base
    assert base is not None
    path = cur.location.path
    try:
        fd = open_checked(path, os.O_RDONLY, cur.location.explicit, writing=False)
    except FileNotFoundError:
        raise OperationalError(f"journal {path} was removed while being read; run the command again") from None
    try:
        data = _pread(fd, base.end, 0, path)
    finally:
        os.close(fd)
    if len(data) != base.end or _prefix_fault(memoryview(data), base) is not None:
        raise OperationalError(f"journal {path} changed while being read; run the command again")
    with gc_paused():
        before = parse_at(data, str(path), path, known_torn=base.torn_named, checked=True)
    tail = cur.tail
    return Journal(
        path,
        [*before.events, *tail.events],
        list(tail.torn_lines),  # (those before the checkpoint's line included)
        list(tail.torn),
        tail.size,
        tail.lines,
        tail.last_start,
        tail.last_no,
        tail.last_line,
        tail.ended,
    )


# --------------------------------------------------------------------------- reading


def open_current(reg: Register, location: Location, *, quick: bool = False, bind: bool = True) -> Current:
    """Read a journal for a register: its state, and the notes a read gives. ``quick`` (an
    append): trust a checkpoint after checking only its last part-MiB and line, not every byte
    before it. ``bind``: refuse a journal of another register (adopt reads one on purpose)."""
    path = location.path
    try:
        fd = open_checked(path, os.O_RDONLY, location.explicit, writing=False)
    except FileNotFoundError:
        return _empty(reg, location)
    store = checkpoint.entry(path)
    try:
        size = os.fstat(fd).st_size
        cp = checkpoint.load(store, reg) if store is not None and size else None
        fault: str | None = None
        if cp is not None:
            cur, fault = _after(reg, location, fd, size, cp, quick=quick, bind=bind)
            if cur is not None:
                _save(store, cur)
                return cur
        data = _pread(fd, size, 0, path)
    finally:
        os.close(fd)
    if fault is not None and cp is not None and size >= cp.end and _merged_in(data, cp):
        fault = None
    cur = _every_line(reg, location, data, bind=bind, fault=fault)
    _save(store, cur)
    return cur


def _merged_in(data: bytes, cp: Checkpoint) -> bool:
    """Whether the checkpoint's last line is still in the journal: then the lines before it that
    changed were lines merged in among them (a merge of writers' journals), not a rewrite — the
    lines its hash chain runs back through are as they were, or the chain breaks."""
    return any(line_hash(raw) == cp.last for raw in lines_of(data))


def _empty(reg: Register, location: Location) -> Current:
    return Current(
        reg,
        location,
        Journal(location.path),
        replay(reg, []),
        None,
        Chain(),
        None,
    )


def _pread(fd: int, size: int, offset: int, path: Path) -> bytes:
    try:
        return os.pread(fd, size, offset)
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None


def _prefix_fault(data: memoryview, cp: Checkpoint) -> int | None:
    """The first byte offset at which ``data`` (the journal from its start) leaves what the
    checkpoint saw, to a block; None when every byte up to the checkpoint's line is the same."""
    if len(data) < cp.end:
        return len(data)
    for i, want in enumerate(cp.blocks):
        if digest(data[i * BLOCK : (i + 1) * BLOCK]) != want:
            return i * BLOCK
    upto = len(cp.blocks) * BLOCK
    if digest(data[upto : cp.end]) != cp.rest:
        return upto
    return None


def _after(
    reg: Register, location: Location, fd: int, size: int, cp: Checkpoint, *, quick: bool, bind: bool
) -> tuple[Current | None, str | None]:
    """The journal read after its checkpoint; (None, why) when the checkpoint does not hold."""
    path = location.path
    upto = len(cp.blocks) * BLOCK
    if size < cp.end:
        return None, f"ends before line {cp.line}, which riskcli read there before: it was cut short"
    if not quick:  # every byte before the checkpoint's line, one block at a time
        for i, want in enumerate(cp.blocks):
            if digest(_pread(fd, BLOCK, i * BLOCK, path)) != want:
                return None, _changed_at(fd, i * BLOCK, path)
    last_part = _pread(fd, cp.end - upto, upto, path)
    if digest(last_part) != cp.rest:
        return None, _changed_at(fd, upto, path)
    if cp.start >= upto:
        line = last_part[cp.start - upto : cp.end - upto - 1]
    else:  # the line begins in the last whole block
        line = _pread(fd, cp.end - cp.start - 1, cp.start, path)
    if line_hash(line) != cp.last:  # (covered by the digests; a cheap second look)
        return None, _changed_at(fd, cp.start, path)
    data = _pread(fd, size - cp.end, cp.end, path)
    with gc_paused():
        tail = parse_at(data, str(path), path, cp.line + 1, cp.end, cp.torn_named)
    if not folds_on(cp.fold, tail.events):  # an undo, or an event (merged) from before the checkpoint's latest
        return None, None
    if not tail.last_line:  # nothing but blank lines after the checkpoint's line
        tail.last_line, tail.last_start, tail.last_no = line, cp.start, cp.line
    tail.torn_lines = [*cp.torn_lines, *tail.torn_lines]
    adopted = adoptions(tail.events, {k: list(v) for k, v in cp.adopted.items()})
    bound = cp.bound
    if bind:
        bound = refuse_foreign(reg, path, tail.events, accepted_by(reg.identity, adopted)) or bound
    else:
        bound = bound or any(ev.register is not None for ev in tail.events)
    chain = Chain(**cp.chain)
    walk(chain, tail.events, data, cp.line + 1)
    first_break = _break_of(cp.first_break)
    if first_break is None and chain.breaks:
        first_break = _first_break(chain, fd, size, path)
    with gc_paused():
        rp = extend(reg, cp.fold, tail.events)  # (they fold on: checked above)
    events = cp.events + len(tail.events)
    torn_named = [*cp.torn_named, *(n for ev in tail.events if ev.kind == "torn" for n in sorted(torn_lines_of(ev)))]
    seal = Seal(cp.blocks, upto, last_part + data)
    cur = Current(reg, location, tail, rp, cp, chain, first_break, [], events, adopted, bound, torn_named, seal)
    _notes(cur, None)
    return cur, None


def _changed_at(fd: int, offset: int, path: Path) -> str:
    """Where the bytes first differ from those the checkpoint saw, as a line."""
    line = 1
    done = 0
    while done < offset:
        chunk = _pread(fd, min(BLOCK, offset - done), done, path)
        if not chunk:
            break
        line += chunk.count(b"\n")
        done += len(chunk)
    return (
        f"changed at or after line {line} since riskcli last read it, yet its hash chain holds: "
        "rewritten, with every later hash recomputed?"
    )


def _break_of(saved: list[object] | None) -> Break | None:
    if saved is None:
        return None
    line, kind, follows = saved
    assert isinstance(line, int) and isinstance(kind, str) and (follows is None or isinstance(follows, int))
    return Break(line, follows, BreakKind(kind))


def _first_break(chain: Chain, fd: int, size: int, path: Path) -> Break | None:
    """The first break the walk found, told apart from a reordering by the whole journal's lines
    (read only when there is a break)."""
    raws = lines_of(_pread(fd, size, 0, path))
    found = chain.resolve([(n, raw) for n, raw in enumerate(raws, 1) if not _blank(raw)], merged=True)
    return found[0] if found else None


def _every_line(reg: Register, location: Location, data: bytes, *, bind: bool, fault: str | None) -> Current:
    path = location.path
    j = parse(data, str(path), path)
    adopted = adoptions(j.events)
    if bind:
        bound = refuse_foreign(reg, path, j.events, accepted_by(reg.identity, adopted))
    else:
        bound = any(ev.register is not None for ev in j.events)
    chain = Chain()
    walk(chain, j.events, data)
    first_break = None
    if chain.breaks:
        found = chain.resolve([(n, raw) for n, raw in enumerate(lines_of(data), 1) if not _blank(raw)], merged=True)
        first_break = found[0] if found else None
    rp = replay(reg, j.events)
    torn_named = [n for ev in j.events if ev.kind == "torn" for n in sorted(torn_lines_of(ev))]
    upto = len(data) // BLOCK * BLOCK
    seal = Seal(block_digests(memoryview(data)[:upto])[0], upto, data[upto:])
    cur = Current(reg, location, j, rp, None, chain, first_break, [], len(j.events), adopted, bound, torn_named, seal)
    _notes(cur, fault if first_break is None else None)
    return cur


def _notes(cur: Current, fault: str | None) -> None:
    """What a read says, in order: torn lines, the hash chain, binding, the replay."""
    path = cur.location.path
    notes = list(cur.tail.warnings)
    if cur.first_break is not None:
        cur.chain_note = f"{path}:{cur.first_break.line}: the hash chain breaks: {break_text(cur.first_break)} " + (
            "(if it is a merge of several writers' journals, riskcli journal verify --merged checks each chain)"
            if cur.first_break.kind is BreakKind.REORDERED
            else "(riskcli journal verify lists every break)"
        )
    elif fault is not None:
        cur.chain_note = f"journal {path} {fault} (riskcli journal verify --head checks it against a head you kept)"
    if cur.chain_note is not None:
        notes.append(cur.chain_note)
    cur._line_notes = len(notes)
    if cur.events and not cur.bound:
        notes.append(unbound_note(cur.reg, path))
    notes.extend(cur.replay.warnings)
    cur.notes = notes


# --------------------------------------------------------------------------- checkpoints


def _save(store: str | None, cur: Current) -> None:
    """Write a checkpoint of what was read, for the next read: when there is something new since
    the checkpoint read (or there was none), and the journal ends with a complete event."""
    if store is None or cur.seal is None:
        return
    j = cur.tail
    if not j.events or j.torn or not j.ended or j.events[-1].line != j.last_no:
        return  # nothing new, or a last line still to be ended by the next append
    end = j.last_start + len(j.last_line) + 1
    if end > cur.seal.end:
        return
    save_at(store, cur, end)


def save_at(store: str, cur: Current, end: int) -> None:
    """Write a checkpoint of ``cur`` at ``end``, the offset after its last line (which must be a
    complete event, within the bytes of its seal)."""
    seal, j = cur.seal, cur.tail
    assert seal is not None and seal.upto <= j.last_start < end <= seal.end
    blocks, rest = block_digests(memoryview(seal.recent)[: end - seal.upto])
    b = cur.first_break
    cp = Checkpoint(
        line=j.last_no,
        start=j.last_start,
        end=end,
        last=line_hash(j.last_line),
        blocks=[*seal.blocks, *blocks],
        rest=rest,
        events=cur.events,
        active=cur.in_force,
        fold=cur.replay,
        torn_lines=list(j.torn_lines),
        torn_named=list(cur.torn_named),
        adopted=cur.adopted,
        bound=cur.bound,
        chain={k: getattr(cur.chain, k) for k in ("prev", "skipped", "chained", "unchained", "lines", "last")},
        first_break=None if b is None else [b.line, b.kind.value, b.follows],
    )
    checkpoint.save(store, cur.reg, cp)
