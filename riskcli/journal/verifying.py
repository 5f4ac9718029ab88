"""Walking the hash chain."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from riskcli.journal.reading import line_hash, read, split_lines
from riskcli.model import OperationalError


@dataclass(frozen=True, slots=True)
class Break:
    """A place where the hash chain does not hold."""

    line: int
    follows: int | None  # the line it says it follows, when that line is elsewhere (reordered)


@dataclass(frozen=True, slots=True)
class Verification:
    lines: int  # non-blank lines
    chained: int  # events that carry a hash of the line before
    unchained: int  # events from before the hash chain
    breaks: tuple[Break, ...]
    head: str | None  # hash of the last line: record it elsewhere to detect later edits of it


def verify(path: Path, *, explicit: bool = True) -> Verification:
    """Check the hash chain of a journal, line by line."""
    j = read(path, explicit=explicit)  # also refuses a file that is not a journal
    try:
        data = path.read_bytes()
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    if data.startswith(b"\xef\xbb\xbf"):  # as parse reads it
        data = b"   " + data[3:]
    rows = [(n, raw if text is None else text.encode("utf-8", "surrogatepass")) for n, text, raw in split_lines(data)]
    hashes = {line_hash(raw): n for n, raw in rows}
    by_line = {e.line: e for e in j.events}
    breaks: list[Break] = []
    chained = unchained = 0
    prev_hash: str | None = None
    for n, raw in rows:
        ev = by_line.get(n)
        if ev is not None:
            if ev.prev is None and "prev" not in _raw_keys(raw):
                unchained += 1
            else:
                chained += 1
                if ev.prev != prev_hash:
                    where = hashes.get(ev.prev) if ev.prev is not None else None
                    breaks.append(Break(n, where if where is not None and where != n else None))
        prev_hash = line_hash(raw)
    return Verification(len(rows), chained, unchained, tuple(breaks), prev_hash)


def _raw_keys(raw: bytes) -> set[str]:
    try:
        obj = json.loads(raw)
    except (ValueError, RecursionError):
        return set()
    return set(obj) if isinstance(obj, dict) else set()
