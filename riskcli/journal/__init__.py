"""The assessment journal: JSON Lines events, appended under a lock, replayed into a State.

One event per line::

    {"v":1,"id":"…","at":"2025-01-31T09:00:00Z","by":"alice","kind":"belief","register":"…",
     "fingerprint":"…","prev":"…","assumption":"A2","belief":0.0,"said":"fails","why":"…"}

- **Bound to a register.** Each event names the register it was recorded against (its ``id``,
  else its file name) and that register's fingerprint; replaying a journal onto another register
  is refused. Events written before binding existed are read as unbound.
- **Hash-chained.** ``prev`` is the hash of the line before, so ``verify`` finds a line edited,
  deleted, inserted or reordered, or added without a hash, unless every later line was re-hashed
  too (anyone can: the chain has no key) or the end cut off; a head kept elsewhere
  (``verify(..., head=H)``) catches both up to its line.
- **Order-free.** Replay folds events by time (``at``, then ``id``), never by line, and an
  event found twice once: journals concatenated or merged by git replay to the same state.
- **Durable.** Appends take an exclusive lock, write whole lines, flush and fsync before
  returning. The journal is read and replayed *before* the lock is taken; under the lock only the
  bytes appended since are read, so the lock is held for milliseconds whatever the journal's size.
- **Checkpointed.** A read starts from a replay checkpoint in the user's cache (the state after
  line N, sealed, with digests of the bytes before): it hashes those bytes and replays only the
  lines after N; an append checks only the last part and replays the lines after N.
- **Torn tails survive.** A last line cut short by a crash (or a run of NULs left by a power cut)
  is reported on every read; the next append ends it and records a ``torn`` event naming it, so it
  is never silently dropped and never glues itself to the next event.
- **Safe paths.** The default journal beside a register is never followed through a symbolic link
  and never written when another user owns it; the register itself is never written.

The package, one module per stage: ``location`` (where a journal is; opening it safely),
``reading`` (lines → checked events; torn tails), ``binding`` (whose journal it is), ``replay``
(events → state; undo), ``checkpoint`` (the state after line N, in the cache), ``current`` (the
journal as it stands: checkpoint + lines after it, or every line; as it stood on a date),
``appending`` (the lock, the chain, fsync), ``verifying`` (the hash chain) and ``filtering``
(``history``'s choices; the events of a date). Everything public is re-exported here.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from riskcli.journal.binding import accepted_registers, check_binding
from riskcli.journal.current import Current, dated, open_current
from riskcli.journal.filtering import event_time, iter_filtered, parse_as_of, parse_since, recorded_by
from riskcli.journal.location import (
    Location,
    analyst_name,
    glob_escape,
    locate,
    now_utc,
    open_checked,
    refuse_register,
    same_file,
)
from riskcli.journal.reading import (
    CONFIDENCES,
    HASH_CHARS,
    MAX_LEVEL,
    OUTCOMES,
    VERSION,
    Journal,
    event_from,
    line_hash,
    parse,
    parse_at,
    read,
    split_lines,
    torn_lines_of,
)
from riskcli.journal.replay import (
    Replay,
    extend,
    find_event,
    folds_on,
    last_undoable,
    moment,
    order_key,
    rebaselined,
    replay,
    undone_ids,
)
from riskcli.journal.verifying import (
    Break,
    BreakKind,
    Chain,
    KeptHead,
    Verification,
    break_text,
    head,
    parse_head,
    verify,
)

if TYPE_CHECKING:
    from riskcli.journal.appending import LOCK_TIMEOUT, Recorded, Writer, new_event, record

# Imported on first use: a read of the journal writes nothing (the writer's module, ~1.5 ms).
_LATER = dict.fromkeys(("LOCK_TIMEOUT", "Recorded", "Writer", "new_event", "record"), "appending")


def __getattr__(name: str) -> Any:
    module = _LATER.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"riskcli.journal.{module}"), name)


__all__ = [
    "CONFIDENCES",
    "HASH_CHARS",
    "LOCK_TIMEOUT",
    "MAX_LEVEL",
    "OUTCOMES",
    "VERSION",
    "Break",
    "BreakKind",
    "Chain",
    "Current",
    "Journal",
    "KeptHead",
    "Location",
    "Recorded",
    "Replay",
    "Verification",
    "Writer",
    "accepted_registers",
    "analyst_name",
    "break_text",
    "check_binding",
    "dated",
    "event_from",
    "event_time",
    "extend",
    "find_event",
    "folds_on",
    "glob_escape",
    "head",
    "iter_filtered",
    "last_undoable",
    "line_hash",
    "locate",
    "moment",
    "new_event",
    "now_utc",
    "open_checked",
    "open_current",
    "order_key",
    "parse",
    "parse_as_of",
    "parse_at",
    "parse_head",
    "parse_since",
    "read",
    "rebaselined",
    "record",
    "recorded_by",
    "refuse_register",
    "replay",
    "same_file",
    "split_lines",
    "torn_lines_of",
    "undone_ids",
    "verify",
]
