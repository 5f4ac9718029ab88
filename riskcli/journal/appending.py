"""Appending events: under an exclusive lock, hash-chained, whole lines, fsynced."""

from __future__ import annotations

import json
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from riskcli.files import flock_within, fsync_dir
from riskcli.journal import checkpoint
from riskcli.journal.binding import accepted_by, adoptions, check_binding, refuse_foreign
from riskcli.journal.checkpoint import Checkpoint
from riskcli.journal.current import Current, Seal, open_current, save_at
from riskcli.journal.location import Location, now_utc, open_checked
from riskcli.journal.reading import VERSION, Journal, event_from, line_hash, parse, parse_at, torn_lines_of
from riskcli.journal.replay import Replay, extend, folds_on, replay
from riskcli.journal.verifying import Chain
from riskcli.model import Event, OperationalError, Register, UserError
from riskcli.perf import gc_paused
from riskcli.records import mutable

LOCK_TIMEOUT = 30.0


def new_event(kind: str, by: str, why: str = "", *, reg: Register | None = None, **data: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {"v": VERSION, "id": secrets.token_hex(6), "at": now_utc(), "by": by, "kind": kind}
    if reg is not None:
        ev["register"] = reg.identity
        ev["fingerprint"] = reg.fingerprint
    ev.update(data)
    if why:
        ev["why"] = why
    return ev


class Writer:
    """Holds the journal's lock for one append.

    The lock is an exclusive ``flock`` on the journal file itself, so no lock file is left beside a
    register."""

    def __init__(self, path: Path, *, explicit: bool = True, register_file: Path | None = None):
        self.path = path
        self.explicit = explicit
        self.register_file = register_file
        self._fd: int | None = None
        self.torn_event: dict[str, Any] | None = None  # the torn event the last append wrote first

    def __enter__(self) -> Writer:
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if self.explicit and not parent.is_dir():  # a mistyped --journal makes no folders
            raise UserError(f"journal {self.path}: no such directory {str(parent)!r}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot create its directory: {e.strerror or e}") from None
        created = not os.path.lexists(self.path)
        self._fd = open_checked(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, self.explicit, writing=True)
        try:
            self._refuse_register()
            if created:
                fsync_dir(self.path.parent)
            self._acquire()
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise
        return self

    def _refuse_register(self) -> None:
        """The register itself is never written, whatever name it is reached by."""
        if self.register_file is None or self._fd is None:
            return
        try:
            reg = os.stat(self.register_file)
        except OSError:
            return
        mine = os.fstat(self._fd)
        if (mine.st_dev, mine.st_ino) == (reg.st_dev, reg.st_ino):
            raise UserError(f"the journal {self.path} is the register itself; give another --journal")

    def _acquire(self) -> None:
        assert self._fd is not None
        try:
            locked = flock_within(self._fd, time.monotonic() + LOCK_TIMEOUT)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot lock: {e.strerror or e}") from None
        if not locked:
            raise OperationalError(
                f"journal {self.path}: another riskcli has held its lock for {LOCK_TIMEOUT:.0f} s; try again"
            )

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the flock
            self._fd = None

    @property
    def fd(self) -> int | None:
        """The journal's file descriptor while the lock is held."""
        return self._fd

    def read(self) -> Journal:
        """The whole journal as it is now (under the lock)."""
        assert self._fd is not None, "read outside 'with Writer(...)'"
        return parse(os.pread(self._fd, os.fstat(self._fd).st_size, 0), str(self.path), self.path)

    def catch_up(self, seen: Journal) -> tuple[Journal, list[Event]]:
        """The journal as it is now, and the events appended since ``seen`` was read. Only the
        bytes from the start of ``seen``'s last line on are read and parsed."""
        assert self._fd is not None, "catch_up outside 'with Writer(...)'"
        size = os.fstat(self._fd).st_size
        if size == seen.size:
            return seen, []
        if size < seen.size or not seen.last_line:  # shrunk (edited by hand), or had no line
            now = parse(os.pread(self._fd, size, 0), str(self.path), self.path)
            return now, now.events
        first, start = seen.last_no, seen.last_start
        known = {n for e in seen.events if e.kind == "torn" for n in torn_lines_of(e)}
        with gc_paused():
            tail = parse_at(os.pread(self._fd, size - start, start), str(self.path), self.path, first, start, known)
        last_seen = max((e.line for e in seen.events), default=0)
        new = [e for e in tail.events if e.line > last_seen]
        tail.events = [e for e in seen.events if e.line < first] + tail.events
        tail.torn_lines = [n for n in seen.torn_lines if n < first] + tail.torn_lines
        return tail, new

    def append(self, seen: Journal, *events: dict[str, Any]) -> list[dict[str, Any]]:
        """Append whole lines, chained and fsynced, after the journal ``seen`` (which must be
        current: see ``catch_up``). A last line without its newline is ended first: left as it
        is if it is a complete event, else recorded as torn in an event of its own, synced before
        the new events are written. Returns the events as written."""
        assert self._fd is not None, "append outside 'with Writer(...)'"
        fd = self._fd
        prev = line_hash(seen.last_line) if seen.last_line else None
        lines: list[bytes] = []
        written: list[dict[str, Any]] = []
        repair = b"" if seen.ended else b"\n"
        self.torn_event = None
        if seen.torn:
            torn = new_event("torn", by="riskcli", line=seen.torn[-1], lines=list(seen.torn))
            torn["prev"] = prev
            line = _dump(torn)
            repair += line + b"\n"
            prev = line_hash(line)
            self.torn_event = torn
        for ev in events:
            ev = {**ev, "prev": prev}
            line = _dump(ev)
            lines.append(line + b"\n")
            written.append(ev)
            prev = line_hash(line)
        try:
            if repair:
                _write_all(fd, repair)
                os.fsync(fd)
            _write_all(fd, b"".join(lines))
            os.fsync(fd)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: write failed: {e.strerror or e}") from None
        return written


def _dump(ev: dict[str, Any]) -> bytes:
    return json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


@mutable
class Recorded:
    """What an append did: the replay before and after, and the event written (None: nothing)."""

    before: Replay
    after: Replay
    event: Event | None
    journal: Journal


def record(
    reg: Register,
    location: Location,
    make: Callable[[Replay], dict[str, Any] | None],
    *,
    seen: Journal | None = None,
    before: Replay | None = None,
    current: Current | None = None,
) -> Recorded:
    """Append the event ``make`` builds from the current state, under the lock.

    The journal is read before the lock is taken (``current``: as read already; else from its
    checkpoint, checking only the checkpoint's last part-MiB and line, and the lines after it);
    under the lock only the lines appended since are read and folded in, so ``make`` decides on
    the state as it is now and the lock is held for the time of a write. A checkpoint after the
    new line is written before the lock is let go. ``make`` sees every event only when
    ``current`` holds them all (``Current.everything``)."""
    if current is None:
        if seen is not None:
            rp0 = before if before is not None else replay(reg, seen.events)
            current = Current(reg, location, seen, rp0, None, Chain(), None)
        else:
            current = open_current(reg, location, quick=True)
    j, rp = current.tail, current.replay
    register_file = None if reg.embedded else Path(reg.path)
    with Writer(location.path, explicit=location.explicit, register_file=register_file) as w:
        now, new = w.catch_up(j)
        keep = current.seal is not None and j.ended and not j.torn  # a checkpoint can follow
        if now is not j:
            appended = len(now.events) == len(j.events) + len(new)
            if appended and (current.base is None or folds_on(rp, new)):
                adopted = adoptions(new, {k: list(v) for k, v in current.adopted.items()})
                refuse_foreign(reg, location.path, new, accepted_by(reg.identity, adopted))
                rp = extend(reg, rp, new)
            else:  # changed by hand, or an undo (or a merged event) that reaches back before the checkpoint
                now = w.read()
                check_binding(reg, now)
                rp, new, keep = replay(reg, now.events), [], False
                current = Current(reg, location, now, rp, None, Chain(), None)
            j = now
        raw = make(rp)
        if raw is None:
            return Recorded(rp, rp, None, j)
        (written,) = w.append(j, raw)
        line = j.lines + (1 if j.torn else 0) + 1
        event = event_from(dict(written), line, str(location.path))
        torn = [] if w.torn_event is None else [event_from(dict(w.torn_event), line - 1, str(location.path))]
        base = current.base
        if base is not None and not folds_on(rp, [*torn, event]):  # an undo can reach back: every event
            after, base = replay(reg, [*current.whole().events, *new, *torn, event]), None
        else:
            after = extend(reg, rp, [*torn, event])
        if keep:
            _checkpoint_after(w, current, base, now, new, [*torn, event], after)
        elif torn and current.base is None and (store := checkpoint.entry(w.path)) is not None:
            # The torn line is recorded now, so a checkpoint that did not hold when it was read
            # (it saw that line whole: the journal was cut short since) would only misname the
            # change on the next read; that read reads every line and writes a checkpoint again.
            checkpoint.drop(store)
    return Recorded(rp, after, event, j)


def _checkpoint_after(
    w: Writer, cur: Current, base: Checkpoint | None, now: Journal, new: list[Event], wrote: list[Event], after: Replay
) -> None:
    """Write the checkpoint after an append, under the lock: from the checkpoint (or the whole
    journal) read before, the lines appended since and those written."""
    store = checkpoint.entry(w.path)
    seal = cur.seal
    fd = w.fd
    if store is None or seal is None or fd is None:
        return
    try:
        end = os.fstat(fd).st_size
        more = os.pread(fd, end - seal.end, seal.end)
    except OSError:
        return
    chain = Chain(**{k: getattr(cur.chain, k) for k in ("prev", "skipped", "chained", "unchained", "lines", "last")})
    raws = more.split(b"\n")
    if raws and not raws[-1]:
        raws.pop()
    events = [*new, *wrote]
    first = cur.tail.lines + 1
    if len(raws) != wrote[-1].line - first + 1:
        return  # not the lines expected (written by something that does not take the lock?)
    chain.feed(events, raws, first)
    if chain.breaks:
        return  # a line appended by hand since breaks the chain: the next read names it
    last = wrote[-1]
    line_bytes = raws[-1]
    tail = Journal(
        w.path,
        events=[*now.events, *wrote],
        torn_lines=list(now.torn_lines),
        size=end,
        lines=last.line,
        last_start=end - len(line_bytes) - 1,
        last_no=last.line,
        last_line=line_bytes,
    )
    post = Current(
        cur.reg,
        cur.location,
        tail,
        after,
        base,
        chain,
        cur.first_break,
        [],
        cur.events + len(events),
        adoptions(events, {k: list(v) for k, v in cur.adopted.items()}),
        cur.bound or any(ev.register is not None for ev in events),
        [*cur.torn_named, *(n for ev in events if ev.kind == "torn" for n in sorted(torn_lines_of(ev)))],
        Seal(seal.blocks, seal.upto, seal.recent + more),
    )
    save_at(store, post, end)
