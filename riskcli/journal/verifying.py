"""Walking the hash chain, and checking it against a head the analyst kept.

What an unkeyed hash chain proves: each chained line names the hash of the line before it, so
editing, deleting, inserting or reordering a line breaks the chain at the next line — unless every
later hash is recomputed, which anyone can do. Cutting lines off the end leaves a chain that holds.
A head kept elsewhere (``journal head``) closes both gaps up to that line: its hash covers every
chained line before it, so ``verify(..., head=H)`` fails when the journal no longer holds that line
exactly (cut short before it, or rewritten at or before it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from riskcli.journal.reading import HASH_CHARS, line_hash, read, split_lines
from riskcli.model import OperationalError, UserError


class BreakKind(StrEnum):
    """How a line breaks the chain."""

    BROKEN = "broken"  # its hash of the line before does not match: that line edited, or lines deleted
    REORDERED = "reordered"  # it names another line of the journal as the one before it
    UNCHAINED = "unchained"  # an event without a hash after the chain began: added by hand


@dataclass(frozen=True, slots=True)
class Break:
    """A place where the hash chain does not hold."""

    line: int
    follows: int | None  # the line it says it follows, when that line is elsewhere (reordered)
    kind: BreakKind = BreakKind.BROKEN


@dataclass(frozen=True, slots=True)
class KeptHead:
    """A head the analyst kept, and the line of the journal it is the hash of (None: no line)."""

    hash: str
    line: int | None


@dataclass(frozen=True, slots=True)
class Verification:
    lines: int  # non-blank lines
    chained: int  # events that carry a hash of the line before
    unchained: int  # events from before the hash chain (the leading run without hashes)
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line: record it elsewhere to detect later edits of it
    head_line: int | None  # the last line's number
    kept: KeptHead | None = None  # the head checked against (verify --head)

    @property
    def ok(self) -> bool:
        return not self.breaks and (self.kept is None or self.kept.line is not None)


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
    if data.startswith(b"\xef\xbb\xbf"):  # as parse reads it
        data = b"   " + data[3:]
    rows = [(n, raw if text is None else text.encode("utf-8", "surrogatepass")) for n, text, raw in split_lines(data)]
    hashes: dict[str, int] = {}
    for n, raw in rows:
        hashes.setdefault(line_hash(raw), n)
    by_line = {e.line: e for e in j.events}
    breaks: list[Break] = []
    chained = unchained = 0
    prev_hash: str | None = None
    skipped: str | None = None  # before an unchained line added by hand: what the next may follow too
    for n, raw in rows:
        ev = by_line.get(n)
        if ev is not None:
            if "prev" not in ev.data:
                if chained:  # only a leading run of lines may come from before the chain
                    # Reported once: the line after it may follow it (appended to) or the line before.
                    breaks.append(Break(n, None, BreakKind.UNCHAINED))
                    skipped = prev_hash
                    prev_hash = line_hash(raw)
                    continue
                unchained += 1
            else:
                chained += 1
                prev = ev.data["prev"]  # (a hash that is not a string is no hash)
                if prev != prev_hash and (skipped is None or prev != skipped):
                    where = hashes.get(ev.prev) if ev.prev is not None else None
                    if where is not None and where != n:
                        breaks.append(Break(n, where, BreakKind.REORDERED))
                    else:
                        breaks.append(Break(n, None, BreakKind.BROKEN))
        skipped = None
        prev_hash = line_hash(raw)
    kept = None if head is None else KeptHead(head, hashes.get(head))
    last = rows[-1][0] if rows else None
    return Verification(len(rows), chained, unchained, tuple(breaks), prev_hash, last, kept)


def head(path: Path, *, explicit: bool = True) -> tuple[str | None, int | None]:
    """The journal's head: the hash of its last line, and that line's number (None: empty)."""
    j = read(path, explicit=explicit)
    if not j.last_line:
        return None, None
    return line_hash(j.last_line), j.last_no
