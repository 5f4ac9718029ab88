"""Walking the hash chain, and checking it against a head the analyst kept.

What an unkeyed hash chain proves: each chained line names the hash of the line before it, so
editing, deleting, inserting or reordering a line breaks the chain at the next line — unless every
later hash is recomputed, which anyone can do. Cutting lines off the end leaves a chain that holds.
A head kept elsewhere (``journal head``) closes both gaps up to that line: its hash covers every
chained line before it, so ``verify(..., head=H)`` fails when the journal no longer holds that line
exactly (cut short before it, or rewritten at or before it).

``Chain`` is the walk itself, shared by ``verify`` (every break, in strict line order) and by
every read of the journal (the first break, named in a warning): it can start where a replay
checkpoint left off. A read resolves its breaks as a merged journal's (``resolve(merged=True)``):
a line that starts a chain of its own or names a line above it is where another writer's lines
meet, not a break; so a read does not see a line inserted that way, which ``verify`` does.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import field
from enum import StrEnum
from operator import attrgetter
from pathlib import Path
from typing import Any

from riskcli.journal.reading import HASH_CHARS, line_hash, read
from riskcli.model import Event, OperationalError, UserError
from riskcli.records import frozen, mutable


class BreakKind(StrEnum):
    """How a line breaks the chain."""

    BROKEN = "broken"  # its hash of the line before does not match: that line edited, or lines deleted
    REORDERED = "reordered"  # it names another line of the journal as the one before it
    UNCHAINED = "unchained"  # an event without a hash after the chain began: added by hand


@frozen(slots=True)
class Break:
    """A place where the hash chain does not hold."""

    line: int
    follows: int | None  # the line it says it follows, when that line is elsewhere (reordered)
    kind: BreakKind = BreakKind.BROKEN


def break_text(b: Break) -> str:
    """Why a line breaks the hash chain, in a few words."""
    if b.kind is BreakKind.REORDERED:
        return f"line {b.line} says it follows line {b.follows}: lines were reordered"
    if b.kind is BreakKind.UNCHAINED:
        return f"line {b.line} has no hash of the line before, yet follows chained lines: it was added by hand"
    return f"line {b.line} does not follow the line before it: that line was edited, or lines between them deleted"


@frozen(slots=True)
class KeptHead:
    """A head the analyst kept, and the line of the journal it is the hash of (None: no line)."""

    hash: str
    line: int | None


@frozen(slots=True)
class Verification:
    lines: int  # non-blank lines
    chained: int  # events that carry a hash of the line before
    unchained: int  # events from before the hash chain (the leading run without hashes)
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line: record it elsewhere to detect later edits of it
    head_line: int | None  # the last line's number
    kept: KeptHead | None = None  # the head checked against (verify --head)
    merged: bool = False  # every break is where writers' chains interleave (verify --merged holds)

    @property
    def ok(self) -> bool:
        return not self.breaks and (self.kept is None or self.kept.line is not None)


def _blank(raw: bytes) -> bool:
    """A line with nothing on it, as the reader sees it (Unicode spaces included)."""
    if not raw.strip():
        return True
    try:
        return not raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        return False


@mutable
class Chain:
    """The hash chain walked line by line: where it stands after the lines fed so far. A walk can
    start from the state a checkpoint saved, and go on over the lines after it."""

    prev: str | None = None  # hash of the last non-blank line
    skipped: str | None = None  # before an unchained line added by hand: what the next may follow too
    chained: int = 0  # events with a hash of the line before
    unchained: int = 0  # events without, before the first with one
    lines: int = 0  # non-blank lines
    last: int = 0  # the number of the last non-blank line
    breaks: list[tuple[int, BreakKind, Any]] = field(default_factory=list)  # (line, kind, its prev)

    def feed(self, events: Sequence[Event], raws: Sequence[bytes], first: int) -> None:
        """Walk the lines ``raws`` (bytes without their newline), which start at line ``first``
        and whose events are ``events`` (in line order)."""
        if self._feed_chained(events, raws, first):
            return
        prev, skipped, chained, unchained = self.prev, self.skipped, self.chained, self.unchained
        count, last, breaks = self.lines, self.last, self.breaks
        sha = hashlib.sha256
        done = first - 1  # the lines up to here are in prev
        for ev in events:
            n = ev.line
            for m in range(done + 1, n):  # blank lines, or lines torn by a crash, in between
                if not _blank(raws[m - first]):
                    prev, skipped, count, last = sha(raws[m - first]).hexdigest()[:HASH_CHARS], None, count + 1, m
            raw = raws[n - first]
            count, last, done = count + 1, n, n
            d = ev.data
            if "prev" not in d:
                if chained:  # only a leading run of lines may come from before the chain
                    # Reported once: the line after it may follow it (appended to) or the line before.
                    breaks.append((n, BreakKind.UNCHAINED, None))
                    skipped, prev = prev, sha(raw).hexdigest()[:HASH_CHARS]
                    continue
                unchained += 1
            else:
                chained += 1
                p = d["prev"]  # (a hash that is not a string is no hash)
                if p != prev and (skipped is None or p != skipped):
                    breaks.append((n, BreakKind.BROKEN, p))
            skipped, prev = None, sha(raw).hexdigest()[:HASH_CHARS]
        for m in range(done + 1, first + len(raws)):  # torn or blank lines after the last event
            if not _blank(raws[m - first]):
                prev, skipped, count, last = sha(raws[m - first]).hexdigest()[:HASH_CHARS], None, count + 1, m
        self.prev, self.skipped, self.chained, self.unchained = prev, skipped, chained, unchained
        self.lines, self.last = count, last

    def _feed_chained(self, events: Sequence[Event], raws: Sequence[bytes], first: int) -> bool:
        """``feed`` for the common case, a line at a time no more: one event on every line, each
        with a hash of the line before. False (nothing fed) when the lines are not all so."""
        n = len(raws)
        if not n or len(events) != n or events[0].line != first or events[-1].line != first + n - 1:
            return False
        datas = [ev.data for ev in events]
        if not all("prev" in d for d in datas):
            return False
        sha = hashlib.sha256
        hashes = [sha(raw).hexdigest()[:HASH_CHARS] for raw in raws]
        said = [d["prev"] for d in datas]  # (a hash that is not a string is no hash)
        p = said[0]
        if p != self.prev and (self.skipped is None or p != self.skipped):
            self.breaks.append((first, BreakKind.BROKEN, p))
        if said[1:] != hashes[:-1]:
            self.breaks.extend((first + i, BreakKind.BROKEN, said[i]) for i in range(1, n) if said[i] != hashes[i - 1])
        self.prev, self.skipped = hashes[-1], None
        self.chained += n
        self.lines += n
        self.last = first + n - 1
        return True

    def resolve(self, every_line: Sequence[tuple[int, bytes]], *, merged: bool = False) -> list[Break]:
        """The breaks found, a line that names another line of the journal as the one before it
        read as reordered (``every_line``: (number, bytes) of the whole journal's lines).

        ``merged``: read the lines as several writers' chains interleaved (``merging.chains``),
        as every read of the journal does — a line that starts a chain of its own (it names no
        line: another journal's first line) or names a line above it breaks nothing; a line that
        names a line below it, or a hash no line has, still does."""
        if not self.breaks:
            return []
        where: dict[str, int] = {}
        wanted = {p for _, kind, p in self.breaks if kind is BreakKind.BROKEN and type(p) is str}
        for n, raw in every_line:
            h = line_hash(raw)
            if h in wanted and h not in where:
                where[h] = n
        out = []
        for n, kind, p in self.breaks:
            at = where.get(p) if type(p) is str else None
            if merged and kind is BreakKind.BROKEN and (p is None or (at is not None and at < n)):
                continue
            if kind is BreakKind.BROKEN and at is not None and at != n:
                out.append(Break(n, at, BreakKind.REORDERED))
            else:
                out.append(Break(n, None, kind))
        return out


_LINE = attrgetter("line")


def walk(chain: Chain, events: Sequence[Event], data: bytes, first: int = 1, *, step: int = 1 << 23) -> None:
    """Feed ``data`` (the journal's lines from line ``first`` on, a byte-order mark at its start
    read as the reader reads it when ``first`` is 1) to the chain a few MiB at a time, so that a
    journal of a million lines is never held as a million ``bytes``."""
    if first == 1 and data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]
    start, i = 0, 0
    while start < len(data):
        end = data.find(b"\n", min(start + step, len(data)) - 1)
        end = len(data) if end < 0 else end + 1
        raws = data[start:end].split(b"\n")
        if raws and not raws[-1]:
            raws.pop()
        last = first + len(raws) - 1
        j = bisect_right(events, last, lo=i, key=_LINE)
        chain.feed(events[i:j], raws, first)
        first, start, i = last + 1, end, j


def lines_of(data: bytes) -> list[bytes]:
    """A journal's lines as the chain hashes them (a leading byte-order mark read as the reader
    reads it)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]
    raws = data.split(b"\n")
    if raws and not raws[-1]:
        raws.pop()
    return raws


_HEAD = re.compile(rf"[0-9a-f]{{{HASH_CHARS}}}")


def parse_head(text: str) -> str:
    """A head as ``journal head`` prints it: the line hash, 32 hexadecimal digits."""
    key = text.strip().lower()
    if not _HEAD.fullmatch(key):
        raise UserError(
            f"--head {text[:80]!r} is not a journal head ({HASH_CHARS} hexadecimal digits, as riskcli journal head prints)"
        )
    return key


def verify(path: Path, *, explicit: bool = True, head: str | None = None) -> Verification:
    """Check the hash chain of a journal, line by line; with ``head``, that the journal still
    holds the line whose hash it is."""
    j = read(path, explicit=explicit)  # also refuses a file that is not a journal
    try:
        data = path.read_bytes()
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    chain = Chain()
    walk(chain, j.events, data)
    raws = lines_of(data)
    numbered = [(n, raw) for n, raw in enumerate(raws, 1) if not _blank(raw)]
    kept = None
    if head is not None:
        kept = KeptHead(head, next((n for n, raw in numbered if line_hash(raw) == head), None))
    return Verification(
        chain.lines,
        chain.chained,
        chain.unchained,
        tuple(chain.resolve(numbered)),
        chain.prev if chain.lines else None,
        chain.last or None,
        kept,
        merged=bool(chain.breaks) and not chain.resolve(numbered, merged=True),
    )


def head(path: Path, *, explicit: bool = True) -> tuple[str | None, int | None]:
    """The journal's head: the hash of its last line, and that line's number (None: empty)."""
    j = read(path, explicit=explicit)
    if not j.last_line:
        return None, None
    return line_hash(j.last_line), j.last_no
