"""A team's journals merged: the union of their events, each once, every line kept byte for byte
so that each writer's hash chain can still be checked (``chains``).

``merge`` writes the lines of the first journal, then those of each next journal that are not
already there (an event found twice — the same id — is kept once), and says what came from
where. The replay reads no order of lines (``replay.in_order``), so the merged journal gives the
state that every journal's events together give, whatever the order — and so does a merge by git
with ``merge=union``, which also keeps every line as it was.

``chains`` is what ``journal verify --merged`` checks. In one writer's journal each event names
the hash of the line before it; in a merged journal the lines of several writers interleave, so a
line's ``prev`` names a line somewhere in the file, not the line above it. Read as a graph — each
line pointing at the line it names — the lines form chains that may share their first lines (two
copies of one journal, each appended to). What it proves: every line that some later line of its
chain names is in the file byte for byte (an edited or deleted line leaves the line after it
naming a hash no line has). What it cannot prove: the last line of each chain (a tip) may be cut
off or rewritten unseen — keep a tip's hash (``journal head``) and check it with ``--head``; and
an unkeyed chain can be recomputed by anyone who rewrites lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from riskcli.journal.reading import line_hash, read
from riskcli.journal.verifying import KeptHead, lines_of
from riskcli.model import OperationalError, UserError
from riskcli.records import frozen


@frozen(slots=True)
class FromJournal:
    """What one input gave the merged journal."""

    path: str
    events: int  # events read from it
    added: int  # events it added (not already taken from an input before it)
    duplicates: int  # events already there (the same id)
    conflicts: (
        int  # of those, events whose content differs (the copy whose content sorts first is kept, as replay does)
    )
    torn: int  # incomplete lines (a crash mid-write): kept once, not events


@frozen(slots=True)
class MergeReport:
    output: str
    events: int  # events in the merged journal
    inputs: tuple[FromJournal, ...]
    registers: tuple[str, ...]  # the registers the events name


def _raw_lines(path: Path) -> list[bytes]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"journal {path}: no such file") from None
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    return lines_of(data)


def merged_lines(paths: Sequence[Path]) -> tuple[bytes, list[FromJournal], set[str]]:
    """The merged journal's bytes, what each input gave it, and the registers its events name."""
    kept: dict[tuple[str, str | bytes], tuple[str, bytes]] = {}  # ("event", id) or ("torn", line) -> (content, line)
    order: list[tuple[str, str | bytes]] = []
    reports: list[FromJournal] = []
    registers: set[str] = set()
    for path in paths:
        j = read(path)
        raws = _raw_lines(path)
        at_line = {ev.line: ev for ev in j.events}
        added = dup = conflicts = 0
        for n, raw in enumerate(raws, 1):
            ev = at_line.get(n)
            if ev is None:  # an incomplete line: kept once, as the chain may run through it
                if raw.strip() and ("torn", raw) not in kept:
                    kept["torn", raw] = ("", raw)
                    order.append(("torn", raw))
                continue
            if ev.register is not None:
                registers.add(ev.register)
            content = json.dumps(ev.data, sort_keys=True, ensure_ascii=True, default=str)
            key = ("event", ev.id)
            known = kept.get(key)
            if known is None:
                kept[key] = (content, raw)
                order.append(key)
                added += 1
                continue
            dup += 1
            if known[0] != content:  # the same id, other content: the copy the replay keeps is kept
                conflicts += 1
                if content < known[0]:
                    kept[key] = (content, raw)
        reports.append(FromJournal(str(path), len(j.events), added, dup, conflicts, len(j.torn_lines)))
    data = b"".join(kept[i][1] + b"\n" for i in order)
    return data, reports, registers


def merge(
    paths: Sequence[Path],
    output: Path,
    *,
    force: bool = False,
    reading: Iterable[tuple[str, Path | None]] = (),
    register: str | None = None,
) -> MergeReport:
    """Merge journals into ``output``, written atomically, never over one of them nor over a file
    in ``reading``; ``register``: the identity their events must be bound to."""
    from riskcli.files import write_output

    if len(paths) < 2:
        raise UserError("journal merge needs two journals or more")
    data, reports, registers = merged_lines(paths)
    other = sorted(registers - {register}) if register is not None else sorted(registers)[1:]
    if other:
        raise UserError(
            f"these journals hold events of other registers ({', '.join(other)})"
            + (f", not of {register}" if register is not None else "")
            + ": merge the journals of one register (riskcli journal adopt takes over another's)"
        )
    write_output(output, data, force=force, reading=[*reading, *(("journal", p) for p in paths)])
    return MergeReport(str(output), sum(r.added for r in reports), tuple(reports), tuple(sorted(registers)))


# --------------------------------------------------------------------------- the chains of a merged journal


@frozen(slots=True)
class Tip:
    """The last line of a chain: no line names it."""

    line: int
    by: str
    hash: str


@frozen(slots=True)
class Chains:
    lines: int  # events read (a line found twice, byte for byte, once)
    chained: int  # events that name the line before them
    unchained: int  # events from before the hash chain (no prev at all; a chain's first line names none)
    dangling: tuple[int, ...]  # lines naming a line that is not in the file: it was edited or deleted
    tips: tuple[Tip, ...]  # the last line of each chain, by line
    kept: KeptHead | None = None  # a head the analyst kept, and the line it is the hash of (None: no line)

    @property
    def ok(self) -> bool:
        return not self.dangling and (self.kept is None or self.kept.line is not None)


def chains(path: Path, *, explicit: bool = True, head: str | None = None) -> Chains:
    """The hash chains of a (merged) journal, read as a graph: see the module's docstring."""
    j = read(path, explicit=explicit)
    raws = _raw_lines(path)
    hashes = {line_hash(raws[ev.line - 1]) for ev in j.events}
    hashes.update(line_hash(raws[n - 1]) for n in j.torn_lines if n <= len(raws))
    named: set[str] = set()
    dangling: list[int] = []
    chained = 0
    events, seen = [], set()
    for ev in j.events:  # a line found twice, byte for byte, is one line of its chain
        h = line_hash(raws[ev.line - 1])
        if h not in seen:
            seen.add(h)
            events.append((ev, h))
    for ev, _ in events:
        if "prev" not in ev.data:  # from before the hash chain
            continue
        chained += 1  # (a line that names none starts a chain: a journal's first line)
        if ev.prev is None:
            continue
        named.add(ev.prev)
        if ev.prev not in hashes:
            dangling.append(ev.line)
    tips = []
    for ev, h in events:
        if h not in named and ("prev" in ev.data or not chained):
            tips.append(Tip(ev.line, ev.by, h))
    kept = None
    if head is not None:
        kept = KeptHead(head, next((ev.line for ev in j.events if line_hash(raws[ev.line - 1]) == head), None))
    return Chains(len(events), chained, len(events) - chained, tuple(dangling), tuple(tips), kept)
