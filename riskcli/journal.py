"""The assessment journal: JSON Lines events, appended under a lock, replayed into a State.

One event per line::

    {"v":1,"id":"…","at":"2025-01-31T09:00:00Z","by":"alice","kind":"belief","register":"…",
     "fingerprint":"…","prev":"…","assumption":"A2","belief":0.0,"said":"fails","why":"…"}

- **Bound to a register.** Each event names the register it was recorded against (its ``id``,
  else its file name) and that register's fingerprint; replaying a journal onto another register
  is refused. Events written before binding existed are read as unbound.
- **Hash-chained.** ``prev`` is the hash of the line before, so ``verify`` finds any edited,
  deleted or reordered line.
- **Durable.** Appends take an exclusive lock, write whole lines, flush and fsync before
  returning. The journal is read and replayed *before* the lock is taken; under the lock only the
  bytes appended since are read, so the lock is held for milliseconds whatever the journal's size.
- **Torn tails survive.** A last line cut short by a crash (or a run of NULs left by a power cut)
  is reported on every read; the next append ends it and records a ``torn`` event naming it, so it
  is never silently dropped and never glues itself to the next event.
- **Safe paths.** The default journal beside a register is never followed through a symbolic link
  and never written when another user owns it; the register itself is never written.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from riskcli.files import flock_within, fsync_dir
from riskcli.model import Confidence, Event, OperationalError, Problem, Register, RegisterError, UserError
from riskcli.perf import gc_paused
from riskcli.scoring import AnalystScore, Outcome, State, observation

VERSION = 1
LOCK_TIMEOUT = 30.0
HASH_CHARS = 32  # 128 bits of SHA-256: the journal's hash chain
MAX_LEVEL = 12  # the most levels a scale may have: scores beyond it are not riskcli's
_SIGNATURE = b'{"v":'  # how every line riskcli writes begins
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


# --------------------------------------------------------------------------- location


@dataclass(frozen=True, slots=True)
class Location:
    """Where a register's journal is, and whether the user named it (``--journal``)."""

    path: Path
    explicit: bool


def locate(reg: Register, explicit: str | os.PathLike[str] | None = None) -> Location:
    """``--journal`` / RISKCLI_JOURNAL; else beside a user register; else the user data dir."""
    if explicit:
        return Location(Path(explicit), True)
    if not reg.embedded:
        p = Path(reg.path)
        path = p.with_name(f"{p.stem}.journal.jsonl")
        twins = sorted(
            q.name
            for q in p.parent.glob(f"{glob_escape(p.stem)}.*")
            if q.suffix in (".yaml", ".yml") and q.stem == p.stem and q.name != p.name
        )
        if twins:
            raise UserError(
                f"{p.name} and {twins[0]} would share the journal {path}; give --journal to say which journal is whose"
            )
        return Location(path, False)
    home = os.environ.get("RISKCLI_HOME")
    if home:
        base = Path(home)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("riskcli", appauthor=False))
    return Location(base / f"{reg.id or 'register'}.journal.jsonl", False)


def default_path(reg: Register, explicit: str | os.PathLike[str] | None = None) -> Path:
    return locate(reg, explicit).path


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def analyst_name(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return os.getlogin()
    except OSError:
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no name to be had: say so rather than fail
            return "unknown"


def line_hash(line: bytes) -> str:
    """The hash a line is chained by (its bytes, without the newline)."""
    return hashlib.sha256(line).hexdigest()[:HASH_CHARS]


# --------------------------------------------------------------------------- reading


@dataclass
class Journal:
    path: Path
    events: list[Event] = field(default_factory=list)
    torn_lines: list[int] = field(default_factory=list)  # every torn line seen, recorded or not
    torn: list[int] = field(default_factory=list)  # torn lines at the end, not yet recorded
    size: int = 0  # bytes read
    lines: int = 0  # lines read, blank ones included
    last_start: int = 0  # byte offset of the last non-blank line
    last_no: int = 0  # its line number (0: no such line)
    last_line: bytes = b""  # its bytes (what the next event's ``prev`` hashes)
    ended: bool = True  # the file ends with a newline (or is empty)

    @property
    def warnings(self) -> list[str]:
        return [
            f"{self.path}:{n}: an incomplete event (written during a crash?) is ignored; "
            "leave the line in place: the next event records it, and the hash chain runs through it"
            for n in self.torn_lines
        ]


def _open_checked(path: Path, flags: int, explicit: bool, *, writing: bool) -> int:
    """Open a journal by the rules for default and explicit paths; a file descriptor.

    A default journal is never a symbolic link (``O_NOFOLLOW``), and is written only when the user
    owns it. An explicit ``--journal`` may be a link, to a regular file that exists."""
    if not explicit:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    elif os.path.islink(path) and not path.exists():
        raise UserError(f"journal {path} is a symbolic link to nothing; give the file itself")
    elif os.path.islink(path):
        flags &= ~os.O_CREAT  # follow a link only to a file that is there
    try:
        # O_NONBLOCK: a FIFO planted as the journal must not hang riskcli before the check below.
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0), 0o666)
    except OSError as e:
        if not explicit and os.path.islink(path):
            raise UserError(
                f"journal {path} is a symbolic link; riskcli does not follow links for a register's "
                "default journal (give --journal to use it)"
            ) from None
        if isinstance(e, FileNotFoundError):
            raise
        verb = "write" if writing else "read"
        raise OperationalError(f"journal {path}: cannot {verb}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UserError(f"journal {path}: not a regular file")
        uid = getattr(os, "getuid", lambda: st.st_uid)()
        if writing and not explicit and st.st_uid != uid:
            raise UserError(
                f"journal {path} belongs to another user (uid {st.st_uid}); riskcli will not write to a "
                "default journal it does not own (give --journal to choose one)"
            )
    except BaseException:
        os.close(fd)
        raise
    return fd


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (device and inode: a link or another spelling counts)."""
    try:
        x, y = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)


def refuse_register(journal_path: Path, reg: Register) -> None:
    """The register itself is never read or written as its own journal."""
    if not reg.embedded and same_file(journal_path, Path(reg.path)):
        raise UserError(f"the journal {journal_path} is the register itself; give another --journal")


def read(path: Path, *, explicit: bool = True) -> Journal:
    """Parse a journal file. A missing file is an empty journal."""
    try:
        fd = _open_checked(path, os.O_RDONLY, explicit, writing=False)
    except FileNotFoundError:
        return Journal(path)
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read()
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    return parse(data, str(path), path)


def _split(data: bytes, first: int = 1) -> list[tuple[int, str | None, bytes]]:
    """(line number, text or None if not UTF-8, raw bytes) for each non-blank line."""
    try:  # the common case: the whole file is UTF-8
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        tlines = text.split("\n")
        if tlines and not tlines[-1]:
            tlines.pop()
        return [(n, t, b"") for n, t in enumerate(tlines, start=first) if t.strip()]
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    out: list[tuple[int, str | None, bytes]] = []
    for n, raw in enumerate(lines, start=first):
        if not raw.strip():
            continue
        try:
            out.append((n, raw.decode("utf-8"), raw))
        except UnicodeDecodeError:  # e.g. a crash in the middle of a multi-byte character
            out.append((n, None, raw))
    return out


# The C scanner behind json.loads, called without its Python wrappers: per line, twice as fast.
_scan_once: Callable[[str, int], tuple[Any, int]] = vars(json.JSONDecoder())["scan_once"]
_BAD: Any = object()
_DEEP: Any = object()


def _decode(text: str | None) -> Any:
    """A line's JSON value, or _BAD. Each line is decoded on its own: a journal is one event
    per line, and a stray quote must not glue two lines into one value."""
    if text is None:
        return _BAD
    try:
        obj, end = _scan_once(text, 0) if text[:1] == "{" else _scan_once(text, len(text) - len(text.lstrip()))
    except (StopIteration, ValueError):
        return _BAD
    except RecursionError:  # absurdly deep nesting: complete, but no event of riskcli's
        return _DEEP
    if end != len(text) and text[end:].strip():
        return _BAD
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        obj = _mend_surrogates(obj)
    return obj


def _mend_surrogates(obj: Any) -> Any:
    """A hand-edited ``"\\ud800"`` decodes to a lone surrogate, which no stream can encode:
    replace it with U+FFFD."""
    if isinstance(obj, str):
        return obj.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    if isinstance(obj, list):
        return [_mend_surrogates(x) for x in obj]
    if isinstance(obj, dict):
        return {_mend_surrogates(k): _mend_surrogates(v) for k, v in obj.items()}
    return obj


def _torn_candidate(line: bytes | str) -> bool:
    """What a crash can leave: the start of one of riskcli's own lines, or a power cut's NULs."""
    raw = line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line
    raw = raw.rstrip(b"\r")
    if raw.startswith(_SIGNATURE) or (raw and _SIGNATURE.startswith(raw)):
        return True
    return bool(raw) and not raw.strip(b"\x00")


def parse(data: bytes, shown: str, path: Path | None = None) -> Journal:
    with gc_paused():  # 100,000 small acyclic objects
        return _parse(data, shown, path or Path(shown))


def _last_line(data: bytes) -> tuple[int, bytes]:
    """(byte offset, bytes) of the last non-blank line."""
    end = len(data)
    if data.endswith(b"\n"):
        end -= 1
    while True:
        start = data.rfind(b"\n", 0, end) + 1
        if data[start:end].decode("utf-8", "replace").strip():
            return start, data[start:end]
        if start == 0:
            return 0, b""
        end = start - 1


def _parse(
    data: bytes, shown: str, path: Path, first: int = 1, offset: int = 0, known_torn: Iterable[int] = ()
) -> Journal:
    """Parse ``data``, which starts at line ``first`` and byte ``offset`` of the file; lines
    named by earlier torn events are in ``known_torn``."""
    if offset == 0 and data.startswith(b"\xef\xbb\xbf"):  # an editor's byte-order mark
        data = b"   " + data[3:]
    ended = not data or data.endswith(b"\n")
    j = Journal(path, size=offset + len(data), ended=ended)
    j.lines = first - 1 + data.count(b"\n") + (0 if ended else 1)
    start, j.last_line = _last_line(data)
    if j.last_line:
        j.last_start = offset + start
        j.last_no = first + data.count(b"\n", 0, start)
    events: list[Event] = []
    bad: dict[int, bytes | str] = {}
    last_good = 0
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:  # e.g. a crash in the middle of a multi-byte character
        text = None
    if text is not None:
        # The hot loop: a riskcli line starts with "{" and decodes with the C scanner alone.
        scan, append = _scan_once, events.append
        for n, line in enumerate(text.split("\n"), first):
            if line[:1] == "{":
                try:
                    obj, end = scan(line, 0)
                except (StopIteration, ValueError):
                    bad[n] = line
                    continue
                except RecursionError:
                    obj, end = _DEEP, 0
                if obj is _DEEP or (end != len(line) and line[end:].strip()):
                    obj = _decode(line)  # says why
                elif "\\u" in line and _SURROGATE_ESCAPE.search(line):
                    obj = _mend_surrogates(obj)
            elif not line or line.isspace():
                continue
            else:
                obj = _decode(line)
            if obj is _BAD:
                bad[n] = line
            elif obj is _DEEP:
                raise RegisterError([Problem(shown, n, 1, "not a riskcli journal line (nested too deeply)")])
            else:
                append(_event(obj, n, shown))
                last_good = n
    else:
        for n, line_text, raw in _split(data, first):
            obj = _decode(line_text)
            if obj is _DEEP:
                raise RegisterError([Problem(shown, n, 1, "not a riskcli journal line (nested too deeply)")])
            if obj is _BAD:
                bad[n] = raw if line_text is None else line_text
            else:
                events.append(_event(obj, n, shown))
                last_good = n
    j.events = events
    if bad:
        recorded = set(known_torn)
        for e in j.events:
            if e.kind == "torn":
                recorded.update(_torn_lines(e))
        for n, bad_line in bad.items():
            # Torn by a crash: after the last complete event (or named by a torn event), and
            # the start of a riskcli line. Reported on every read, never hidden.
            if (n in recorded or n > last_good) and _torn_candidate(bad_line):
                j.torn_lines.append(n)
                if n > last_good and n not in recorded:
                    j.torn.append(n)
            else:
                raise RegisterError([Problem(shown, n, 1, "not a riskcli journal line (one JSON event per line)")])
    return j


def _torn_lines(e: Event) -> set[int]:
    out = set()
    line = e.data.get("line")
    if isinstance(line, int) and not isinstance(line, bool):
        out.add(line)
    lines = e.data.get("lines")
    if isinstance(lines, list):
        out.update(x for x in lines if isinstance(x, int) and not isinstance(x, bool))
    return out


_NUM = (int, float)
_LEVEL = ("level",)  # a number bounded like a level: 1..MAX_LEVEL
_PROB = ("probability",)  # a number bounded like a belief: 0..1
_REQUIRED: dict[str, tuple[tuple[str, Any], ...]] = {
    "score": (("risk", str), ("likelihood", _LEVEL), ("impact", _LEVEL)),
    "belief": (("assumption", str), ("belief", _PROB)),
    "undo": (("undoes", str),),
    "torn": (("line", int),),
    "observe": (("indicator", str),),
    "respond": (("response", str),),
    "adopt": (("from", str),),
}
_OPTIONAL: dict[str, tuple[tuple[str, Any], ...]] = {
    "respond": (("applied", bool),),
    "observe": (("outcome", str),),
    "score": (("confidence", str),),
}
CONFIDENCES = ("low", "moderate", "high")
OUTCOMES = ("seen", "absent", "none")  # an observation: seen, looked for and not seen, a review with nothing to record


def _in(val: Any, lo: float, hi: float) -> bool:
    """A number within [lo, hi]: not a bool, not NaN (which compares false), not infinite."""
    t = type(val)
    return (t is float or t is int) and lo <= val <= hi


def _valid(kind: str, d: dict[str, Any]) -> bool:
    """The fast check of a kind's own fields; the slow one (``_check``) says what is wrong."""
    if kind == "belief":
        return type(d.get("assumption")) is str and _in(d.get("belief"), 0, 1)
    if kind == "score":
        return (
            type(d.get("risk")) is str and _in(d.get("likelihood"), 1, MAX_LEVEL) and _in(d.get("impact"), 1, MAX_LEVEL)
        )
    if kind == "observe":
        return type(d.get("indicator")) is str and d.get("outcome", "seen") in OUTCOMES
    if kind == "respond":
        return type(d.get("response")) is str and type(d.get("applied", True)) is bool
    return False


def _event(obj: Any, n: int, shown: str) -> Event:
    """An event from a line's JSON object. Its ``data`` is the object itself (common fields too)."""
    if type(obj) is not dict:
        raise RegisterError([Problem(shown, n, 1, "journal line is not a JSON object")])
    get = obj.get
    kind = get("kind")
    # The two kinds that make most of a journal are checked inline; the rest by _valid.
    if kind == "belief":
        b = get("belief")
        ok = type(get("assumption")) is str and (type(b) is float or type(b) is int) and 0 <= b <= 1
    elif kind == "score":
        lk, im = get("likelihood"), get("impact")
        ok = (
            type(get("risk")) is str
            and (type(lk) is float or type(lk) is int)
            and (type(im) is float or type(im) is int)
            and 1 <= lk <= MAX_LEVEL
            and 1 <= im <= MAX_LEVEL
            and get("confidence", "low") in CONFIDENCES
        )
    else:
        ok = type(kind) is str and _valid(kind, obj)
    if not ok or get("v", 1) != VERSION:
        _slow_check(obj, n, shown)
    assert isinstance(kind, str)  # both checks above refuse anything else
    ident, register, fingerprint, prev = get("id"), get("register"), get("fingerprint"), get("prev")
    return Event(
        n,
        ident if type(ident) is str else f"line-{n}" if ident is None else str(ident),
        str(get("at", "")),
        str(get("by", "")),
        kind,
        obj,
        str(get("why") or ""),
        register if type(register) is str else None,
        fingerprint if type(fingerprint) is str else None,
        prev if type(prev) is str else None,
    )


def _slow_check(obj: dict[str, Any], n: int, shown: str) -> None:
    """Validate an event the fast check did not pass: raise naming what is wrong (an undo, torn or
    adopt event passes here)."""
    kind = obj.get("kind")
    required = _REQUIRED.get(kind) if type(kind) is str else None
    if required is None:
        raise RegisterError([Problem(shown, n, 1, f"journal event has unknown kind {str(kind)[:40]!r}")])
    v = obj.get("v", 1)
    if v != VERSION:
        message = f"journal event version {str(v)[:10]!r} is not supported (this riskcli writes {VERSION})"
        raise RegisterError([Problem(shown, n, 1, message)])
    assert isinstance(kind, str)
    for key, want in required:
        _check(obj, key, want, kind, n, shown, required=True)
    for key, want in _OPTIONAL.get(kind, ()):
        if key in obj:
            _check(obj, key, want, kind, n, shown, required=False)
    if kind == "observe" and obj.get("outcome", "seen") not in OUTCOMES:
        _wrong(shown, n, kind, "outcome", f"must be one of {', '.join(OUTCOMES)}")
    if kind == "score" and obj.get("confidence", "low") not in CONFIDENCES:
        _wrong(shown, n, kind, "confidence", f"must be one of {', '.join(CONFIDENCES)}")


def _check(obj: dict[str, Any], key: str, want: Any, kind: str, n: int, shown: str, *, required: bool) -> None:
    val: Any = obj.get(key)
    t = type(val)
    if want is _LEVEL or want is _PROB:
        if t is not float and t is not int:
            _wrong(shown, n, kind, key, "is missing or of the wrong type")
        if t is float and val - val != 0.0:  # NaN and the infinities
            _wrong(shown, n, kind, key, "is not a finite number")
        if t is int and not -(10**15) < val < 10**15:
            _wrong(shown, n, kind, key, "is not a finite number")
        lo, hi = (1, MAX_LEVEL) if want is _LEVEL else (0, 1)
        if not lo <= val <= hi:
            _wrong(shown, n, kind, key, f"{val:g} is out of range ({lo}–{hi})")
    elif t is not want:
        _wrong(shown, n, kind, key, "is missing or of the wrong type" if required else "is of the wrong type")


def _wrong(shown: str, n: int, kind: str, key: str, what: str) -> NoReturn:
    raise RegisterError([Problem(shown, n, 1, f"journal {kind} event: {key!r} {what}")])


# --------------------------------------------------------------------------- binding


def accepted_registers(reg: Register | str, events: Iterable[Event]) -> set[str]:
    """The register identities whose events this register (or identity) replays: its own, and
    those it adopted (``journal adopt``), transitively."""
    adopted: dict[str, set[str]] = {}
    for ev in events:
        if ev.kind == "adopt" and ev.register is not None:
            adopted.setdefault(ev.register, set()).add(str(ev.data["from"]))
    identity = reg if isinstance(reg, str) else reg.identity
    accepted = {identity}
    todo = [identity]
    while todo:
        for source in adopted.get(todo.pop(), ()):
            if source not in accepted:
                accepted.add(source)
                todo.append(source)
    return accepted


def check_binding(reg: Register, j: Journal) -> list[str]:
    """Refuse a journal bound to another register; notes for a journal of unbound events."""
    accepted = accepted_registers(reg, j.events)
    bound = False
    for ev in j.events:
        if ev.register is None:
            continue
        bound = True
        if ev.register not in accepted:
            raise UserError(
                f"journal {j.path} belongs to register {ev.register!r} (line {ev.line}), not to "
                f"{reg.identity!r} ({reg.path}); give --journal for this register's own journal, or take "
                f"this one over with: riskcli --register {reg.path} --journal {j.path} journal adopt"
            )
    if j.events and not bound:
        return [
            f"journal {j.path} was written before journals were bound to a register; its events are read "
            f"as {reg.identity!r}'s, and new events will be bound to it"
        ]
    return []


# --------------------------------------------------------------------------- replay


@dataclass
class Replay:
    state: State
    active: list[Event]  # events in force (not undone, not undo/torn/adopt markers)
    undone: set[str]
    warnings: list[str]
    events: list[Event] = field(default_factory=list)  # every event replayed


def undone_ids(events: Iterable[Event]) -> set[str]:
    """Ids of the events reverted by undo events still in force (an undone undo restores)."""
    undone: set[str] = set()
    for ev in list(events)[::-1]:  # (reversed() of NamedTuples loses their type for mypy)
        if ev.kind == "undo" and ev.id not in undone:
            undone.add(ev.data["undoes"])
    return undone


def replay(reg: Register, events: Iterable[Event]) -> Replay:
    """Fold the journal over the register's baseline into the current state."""
    with gc_paused():
        events = list(events)
        rp = Replay(State(dict(reg.baseline_beliefs), {}, frozenset()), [], undone_ids(events), [], [])
        return _fold(reg, rp, events)


def extend(reg: Register, rp: Replay, new: list[Event]) -> Replay:
    """The replay with more events: folded on, unless one of them is an undo (which can reach
    back), in which case the whole list is replayed again in memory."""
    if any(ev.kind == "undo" for ev in new):
        return replay(reg, [*rp.events, *new])
    copy = Replay(
        State(dict(rp.state.beliefs), dict(rp.state.scores), rp.state.applied),
        list(rp.active),
        set(rp.undone),
        list(rp.warnings),
        list(rp.events),
    )
    return _fold(reg, copy, new)


def _fold(reg: Register, rp: Replay, events: list[Event]) -> Replay:
    beliefs = dict(rp.state.beliefs)
    scores = dict(rp.state.scores)
    applied = set(rp.state.applied)
    undone = rp.undone
    unknown: dict[str, set[str]] = {}
    clamped: list[str] = []
    risks, assumptions = reg.risk_by_id, reg.assumption_by_id
    indicators = {i.id: i for i in reg.indicators}
    responses = {m.id for m in reg.responses}
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    # Analyst scores keep the beliefs and responses in force when given: snapshots are shared
    # between scores until a belief or a response changes.
    held: dict[str, float] | None = None
    held_applied: frozenset[str] | None = None
    active = rp.active.append
    rp.events.extend(events)
    for ev in events:
        kind = ev.kind
        if kind in ("undo", "torn", "adopt") or (undone and ev.id in undone):
            continue
        d = ev.data
        if kind == "belief":
            aid = d["assumption"]
            if aid not in assumptions:
                unknown.setdefault("assumptions", set()).add(aid)
                continue
            beliefs[aid] = float(d["belief"])
            held = None
        elif kind == "score":
            rid = d["risk"]
            if rid not in risks:
                unknown.setdefault("risks", set()).add(rid)
                continue
            lk, im = float(d["likelihood"]), float(d["impact"])
            if lk > nl or im > ni:
                clamped.append(f"line {ev.line}: {rid} {lk:g}×{im:g}")
                lk, im = min(lk, nl), min(im, ni)
            if held is None:
                held = dict(beliefs)
            if held_applied is None:
                held_applied = frozenset(applied)
            conf = d.get("confidence")
            scores[rid] = AnalystScore(
                lk, im, held, ev.by, ev.at, ev.why, held_applied, Confidence(conf) if conf is not None else None
            )
        elif kind == "observe":
            ind = indicators.get(d["indicator"])
            if ind is None:
                unknown.setdefault("indicators", set()).add(d["indicator"])
                continue
            moved = observation(ind, beliefs, Outcome(d.get("outcome", "seen")))
            if moved:
                beliefs.update(moved)
                held = None
        elif kind == "respond":
            mid = d["response"]
            if mid not in responses:
                unknown.setdefault("responses", set()).add(mid)
                continue
            if d.get("applied", True):
                applied.add(mid)
            else:
                applied.discard(mid)
            held_applied = None
        active(ev)
    rp.warnings.extend(
        f"journal events about {what} no longer in the register are ignored: {', '.join(sorted(ids)[:10])}"
        for what, ids in unknown.items()
    )
    if clamped:
        rp.warnings.append(
            f"journal scores beyond this register's scales ({nl}×{ni}) are read at the top of the scale: "
            + "; ".join(clamped[:5])
            + (f" and {len(clamped) - 5} more" if len(clamped) > 5 else "")
        )
    rp.state = State(beliefs, scores, frozenset(applied))
    return rp


def last_undoable(events: list[Event], by: str | None = None) -> Event | None:
    """The most recent event still in force that undo can revert (``by``: that analyst's)."""
    undone = undone_ids(events)
    for ev in events[::-1]:
        if ev.kind not in ("undo", "torn", "adopt") and ev.id not in undone and (by is None or ev.by == by):
            return ev
    return None


def find_event(events: list[Event], ref: str) -> Event | None:
    """An event by its id, or by its line number (``12`` or ``#12``)."""
    key = ref.strip()
    for ev in events:
        if ev.id == key:
            return ev
    num = key.lstrip("#")
    if num.isascii() and num.isdigit():
        for ev in events:
            if ev.line == int(num):
                return ev
    return None


# --------------------------------------------------------------------------- appending


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

    On POSIX the lock is an exclusive ``flock`` on the journal file itself, so no lock file is
    left beside a register; elsewhere a ``<journal>.lock`` file (filelock) serves."""

    def __init__(self, path: Path, *, explicit: bool = True, register_file: Path | None = None):
        self.path = path
        self.explicit = explicit
        self.register_file = register_file
        self._fd: int | None = None
        self._lock: Any = None

    def __enter__(self) -> Writer:
        parent = self.path.parent if str(self.path.parent) else Path(".")
        if self.explicit and not parent.is_dir():  # a mistyped --journal makes no folders
            raise UserError(f"journal {self.path}: no such directory {str(parent)!r}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot create its directory: {e.strerror or e}") from None
        created = not os.path.lexists(self.path)
        self._fd = _open_checked(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, self.explicit, writing=True)
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
        try:
            import fcntl  # noqa: F401 (only whether there is flock: flock_within uses it)
        except ImportError:  # pragma: no cover - not POSIX
            from filelock import FileLock, Timeout

            self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
            try:
                self._lock.acquire()
            except Timeout:
                raise OperationalError(self._timeout_message()) from None
            return
        assert self._fd is not None
        try:
            locked = flock_within(self._fd, time.monotonic() + LOCK_TIMEOUT)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot lock: {e.strerror or e}") from None
        if not locked:
            raise OperationalError(self._timeout_message())

    def _timeout_message(self) -> str:
        return f"journal {self.path}: another riskcli has held its lock for {LOCK_TIMEOUT:.0f} s; try again"

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the flock
            self._fd = None

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
        known = {n for e in seen.events if e.kind == "torn" for n in _torn_lines(e)}
        with gc_paused():
            tail = _parse(os.pread(self._fd, size - start, start), str(self.path), self.path, first, start, known)
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
        if seen.torn:
            torn = new_event("torn", by="riskcli", line=seen.torn[-1], lines=list(seen.torn))
            torn["prev"] = prev
            line = _dump(torn)
            repair += line + b"\n"
            prev = line_hash(line)
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


@dataclass
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
) -> Recorded:
    """Append the event ``make`` builds from the current state, under the lock.

    The journal is read and replayed before the lock is taken; under it, only the lines
    appended since are read and folded in, so ``make`` decides on the state as it is now and
    the lock is held for the time of a write."""
    j = seen if seen is not None else read(location.path, explicit=location.explicit)
    rp = before if before is not None else replay(reg, j.events)
    register_file = None if reg.embedded else Path(reg.path)
    with Writer(location.path, explicit=location.explicit, register_file=register_file) as w:
        now, new = w.catch_up(j)
        if now is not j:
            check_binding(reg, now)
            rp = extend(reg, rp, new) if len(now.events) == len(j.events) + len(new) else replay(reg, now.events)
            j = now
        raw = make(rp)
        if raw is None:
            return Recorded(rp, rp, None, j)
        (written,) = w.append(j, raw)
    event = _event(dict(written), j.lines + (1 if j.torn else 0) + 1, str(location.path))
    return Recorded(rp, extend(reg, rp, [event]), event, j)


# --------------------------------------------------------------------------- verifying


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
    rows = [(n, raw if text is None else text.encode("utf-8", "surrogatepass")) for n, text, raw in _split(data)]
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


# --------------------------------------------------------------------------- filtering


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A point in time for ``--since``: an ISO date or date-time (UTC unless it says), ``today``,
    ``yesterday``, or a span back from now such as ``7d``, ``12h`` or ``2w``."""
    now = now or datetime.now(UTC)
    key = text.strip().lower()
    if key.endswith(" ago"):
        key = key[:-4].strip()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if key == "today":
        return midnight
    if key == "yesterday":
        return midnight - timedelta(days=1)
    unit = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    key = key.replace(" ", "")
    if len(key) > 1 and key[-1] in unit and key[:-1].isascii() and key[:-1].isdigit():
        try:
            return now - timedelta(seconds=int(key[:-1]) * unit[key[-1]])
        except OverflowError:
            return datetime.min.replace(tzinfo=UTC)  # further back than any event
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}", key):
            raise ValueError
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UserError(
            f"--since {text!r} is not understood; give a date (2025-01-31), a date-time "
            "(2025-01-31T09:00), today, yesterday, or a span such as 7d or 12h"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def event_time(ev: Event) -> datetime | None:
    try:
        when = datetime.fromisoformat(ev.at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iter_filtered(
    events: Iterable[Event],
    risk: str | None = None,
    assumption: str | None = None,
    analyst: str | None = None,
    since: datetime | None = None,
    reg: Register | None = None,
) -> Iterator[Event]:
    """Events matching every filter given. With the register, ``risk`` also matches the events
    that moved that risk (beliefs of its drivers' assumptions, observations of the indicators that
    bear on them or set them, responses that act on it) and ``assumption`` those observations; an
    undo matches when the event it undid does (an undo of an undo, when the event it restores does)."""
    events = list(events)
    if risk is None and assumption is None and analyst is None and since is None:
        yield from events
        return
    checks = [_touches(reg, risk, None)] if risk is not None else []
    if assumption is not None:
        checks.append(_touches(reg, None, assumption))
    by_id = {ev.id: ev for ev in events}
    for ev in events:
        target = _undone_target(ev, by_id)
        if checks and (target is None or not all(check(target) for check in checks)):
            continue
        if analyst is not None and ev.by != analyst:
            continue
        if since is not None:
            when = event_time(ev)
            if when is None or when < since:
                continue
        yield ev


def _undone_target(ev: Event, by_id: Mapping[str, Event]) -> Event | None:
    """The event an undo is about, following undos of undos down to the event they restore."""
    seen: set[str] = set()
    target: Event | None = ev
    while target is not None and target.kind == "undo" and target.id not in seen:
        seen.add(target.id)
        target = by_id.get(target.data["undoes"])
    return None if target is not None and target.kind == "undo" else target


def _touches(reg: Register | None, risk: str | None, assumption: str | None) -> Callable[[Event], bool]:
    assumptions: set[str] = set()
    responses: set[str] = set()
    if assumption is not None:
        assumptions.add(assumption)
    if risk is not None and reg is not None and risk in reg.risk_by_id:
        assumptions.update(d.assumption for d in reg.risk_by_id[risk].drivers)
        responses.update(m.id for m in reg.responses if any(e.risk == risk for e in (*m.effects, *m.side_effects)))
    indicators = {
        i.id
        for i in (reg.indicators if reg is not None else ())
        if any(u.assumption in assumptions for u in i.updates) or any(b.assumption in assumptions for b in i.bears_on)
    }

    def touches(ev: Event) -> bool:
        d = ev.data
        if ev.kind == "score":
            return risk is not None and d.get("risk") == risk
        if ev.kind == "belief":
            return d.get("assumption") in assumptions
        if ev.kind == "observe":
            return d.get("indicator") in indicators
        if ev.kind == "respond":
            return d.get("response") in responses
        return False

    return touches
