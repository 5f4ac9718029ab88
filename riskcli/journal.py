"""The assessment journal: JSON Lines events appended under a lock, replayed into a State.

One event per line::

    {"v":1,"id":"…","at":"2025-01-31T09:00:00Z","by":"alice","kind":"belief","assumption":"A2","belief":0.0,"why":"…"}

Appends take an exclusive lock, write one whole line, flush and fsync before returning. A torn
last line (a crash mid-write) is reported on every read; the next append terminates it and
records a ``torn`` event naming its line, so it is never silently dropped and never glues itself
to the next event. The register itself is never written.
"""

from __future__ import annotations

import json
import re
import os
import secrets
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from riskcli.files import fsync_dir
from riskcli.perf import gc_paused
from riskcli.model import Event, OperationalError, Problem, Register, RegisterError
from riskcli.scoring import AnalystScore, State

VERSION = 1
LOCK_TIMEOUT = 30.0


# --------------------------------------------------------------------------- location


def default_path(reg: Register, explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--journal`` / RISKCLI_JOURNAL; else beside a user register; else the user data dir."""
    if explicit:
        return Path(explicit)
    if not reg.embedded:
        p = Path(reg.path)
        return p.with_name(f"{p.stem}.journal.jsonl")
    home = os.environ.get("RISKCLI_HOME")
    if home:
        base = Path(home)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("riskcli", appauthor=False))
    return base / f"{reg.id or 'register'}.journal.jsonl"


def now_utc() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


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


# --------------------------------------------------------------------------- reading


@dataclass
class Journal:
    path: Path
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read(path: Path) -> Journal:
    """Parse a journal file. A missing file is an empty journal."""
    j = Journal(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise OperationalError(f"journal {path}: not a regular file")
        data = path.read_bytes()
    except FileNotFoundError:
        return j
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    j.events, j.warnings = parse(data, str(path))
    return j


def _split(data: bytes) -> list[tuple[int, str | None, bytes]]:
    """(line number, text or None if not UTF-8, raw bytes) for each non-blank line."""
    try:  # the common case: the whole file is UTF-8
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None:
        tlines = text.split("\n")
        if tlines and not tlines[-1]:
            tlines.pop()
        return [(n, t, b"") for n, t in enumerate(tlines, start=1) if t.strip()]
    lines = data.split(b"\n")
    if lines and not lines[-1]:
        lines.pop()
    out = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            out.append((n, raw.decode("utf-8"), raw))
        except UnicodeDecodeError:  # e.g. a crash in the middle of a multi-byte character
            out.append((n, None, raw))
    return out


_json_decode = json.JSONDecoder().decode


def _decode(text: str | None) -> Any:
    """A line's JSON value, or _BAD. Each line is decoded on its own: a journal is one event
    per line, and a stray quote must not glue two lines into one value."""
    if text is None:
        return _BAD
    try:
        return _json_decode(text)
    except ValueError:
        return _BAD


_BAD = object()


def _torn_candidate(line: bytes | str) -> bool:
    """What a crash can leave: the start of one of riskcli's own JSON lines."""
    return line.lstrip()[:1] in (b"{", "{")


def parse(data: bytes, shown: str) -> tuple[list[Event], list[str]]:
    with gc_paused():  # 100,000 small acyclic objects
        return _parse(data, shown)


def _parse(data: bytes, shown: str) -> tuple[list[Event], list[str]]:
    pairs: list[tuple[int, Any]] = []
    bad: dict[int, bytes | str] = {}
    for n, text, raw in _split(data):
        obj = _decode(text)
        if obj is _BAD:
            bad[n] = raw if text is None else text
        else:
            pairs.append((n, obj))
    events = [_event(obj, n, shown) for n, obj in pairs]
    warnings: list[str] = []
    if bad:
        known_torn: set[int] = set()
        for e in events:
            if e.kind == "torn":
                known_torn.update(_torn_lines(e))
        last_good = max((n for n, _ in pairs), default=0)
        for n, raw in bad.items():
            # Torn by a crash: after the last complete event (or named by a torn event), and
            # the start of a JSON line. Reported on every read, never hidden.
            if (n in known_torn or n > last_good) and _torn_candidate(raw):
                warnings.append(
                    f"{shown}:{n}: an incomplete event (written during a crash?) is ignored; "
                    "delete that line once you have checked it"
                )
            else:
                raise RegisterError([Problem(shown, n, 1, "not a riskcli journal line (one JSON event per line)")])
    return events, warnings


def _torn_lines(e: Event) -> set[int]:
    out = set()
    line = e.data.get("line")
    if isinstance(line, int) and not isinstance(line, bool):
        out.add(line)
    lines = e.data.get("lines")
    if isinstance(lines, list):
        out.update(x for x in lines if isinstance(x, int) and not isinstance(x, bool))
    return out


def _event(obj: Any, n: int, shown: str) -> Event:
    if type(obj) is not dict:
        raise RegisterError([Problem(shown, n, 1, "journal line is not a JSON object")])
    pop = obj.pop
    kind = pop("kind", None)
    required = _REQUIRED.get(kind) if type(kind) is str else None
    if required is None:
        raise RegisterError([Problem(shown, n, 1, f"journal event has unknown kind {str(kind)[:40]!r}")])
    v = pop("v", 1)
    if v != VERSION:
        raise RegisterError([Problem(shown, n, 1, f"journal event version {str(v)[:10]!r} is not supported (this riskcli writes {VERSION})")])
    ident, at, by, why = pop("id", None), pop("at", ""), pop("by", ""), pop("why", "")
    for key, types in required:
        val = obj.get(key)
        t = type(val)
        if types is _NUM:
            if t is float:
                ok = val - val == 0.0  # false for NaN and the infinities
            elif t is int:
                ok = -_BIG < val < _BIG
            else:
                _wrong(shown, n, kind, key, "is missing or of the wrong type")
            if not ok:
                _wrong(shown, n, kind, key, "is not a finite number")
        elif t is not types:
            _wrong(shown, n, kind, key, "is missing or of the wrong type")
    return Event(n, str(ident) if ident is not None else f"line-{n}", str(at), str(by), kind, obj, str(why or ""))


_BIG = 10**15


def _wrong(shown: str, n: int, kind: str, key: str, what: str) -> None:
    raise RegisterError([Problem(shown, n, 1, f"journal {kind} event: {key!r} {what}")])


_COMMON = frozenset({"v", "id", "at", "by", "kind", "why"})
_NUM = (int, float)
_REQUIRED: dict[str, tuple[tuple[str, Any], ...]] = {
    "score": (("risk", str), ("likelihood", _NUM), ("impact", _NUM)),
    "belief": (("assumption", str), ("belief", _NUM)),
    "undo": (("undoes", str),),
    "torn": (("line", int),),
    "observe": (("indicator", str),),
    "respond": (("response", str),),
}


# --------------------------------------------------------------------------- replay


@dataclass
class Replay:
    state: State
    active: list[Event]  # events in force (not undone, not undo/torn markers)
    undone: set[str]
    warnings: list[str]


def replay(reg: Register, events: Iterable[Event]) -> Replay:
    """Fold the journal over the register's baseline into the current state."""
    with gc_paused():
        return _replay(reg, list(events))


def _replay(reg: Register, events: list[Event]) -> Replay:
    undone: set[str] = set()
    for ev in reversed(events):  # an undone undo restores what it undid
        if ev.kind == "undo" and ev.id not in undone:
            undone.add(ev.data["undoes"])
    beliefs = dict(reg.baseline_beliefs)
    scores: dict[str, AnalystScore] = {}
    applied: set[str] = set()
    active: list[Event] = []
    unknown: dict[str, set[str]] = {}
    risks, assumptions = reg.risk_by_id, reg.assumption_by_id
    indicators = {i.id: i for i in reg.indicators}
    responses = {m.id for m in reg.responses}
    for ev in events:
        if ev.kind in ("undo", "torn") or ev.id in undone:
            continue
        d = ev.data
        if ev.kind == "belief":
            aid = d["assumption"]
            if aid not in assumptions:
                unknown.setdefault("assumptions", set()).add(aid)
                continue
            beliefs[aid] = min(1.0, max(0.0, float(d["belief"])))
        elif ev.kind == "score":
            rid = d["risk"]
            if rid not in risks:
                unknown.setdefault("risks", set()).add(rid)
                continue
            scores[rid] = AnalystScore(
                float(d["likelihood"]), float(d["impact"]), dict(beliefs), ev.by, ev.at, ev.why, frozenset(applied)
            )
        elif ev.kind == "observe":
            ind = indicators.get(d["indicator"])
            if ind is None:
                unknown.setdefault("indicators", set()).add(d["indicator"])
                continue
            for u in ind.updates:
                beliefs[u.assumption] = u.belief
        elif ev.kind == "respond":
            mid = d["response"]
            if mid not in responses:
                unknown.setdefault("responses", set()).add(mid)
                continue
            if d.get("applied", True):
                applied.add(mid)
            else:
                applied.discard(mid)
        active.append(ev)
    warnings = [
        f"journal events about {what} no longer in the register are ignored: {', '.join(sorted(ids)[:10])}"
        for what, ids in unknown.items()
    ]
    return Replay(State(beliefs, scores, frozenset(applied)), active, undone, warnings)


def last_undoable(events: list[Event]) -> Event | None:
    """The most recent event still in force that undo can revert."""
    undone: set[str] = set()
    for ev in reversed(events):
        if ev.kind == "undo" and ev.id not in undone:
            undone.add(ev.data["undoes"])
    for ev in reversed(events):
        if ev.kind not in ("undo", "torn") and ev.id not in undone:
            return ev
    return None


# --------------------------------------------------------------------------- appending


def new_event(kind: str, by: str, why: str = "", **data: Any) -> dict[str, Any]:
    ev: dict[str, Any] = {"v": VERSION, "id": secrets.token_hex(6), "at": now_utc(), "by": by, "kind": kind}
    ev.update(data)
    if why:
        ev["why"] = why
    return ev


class Writer:
    """Holds the journal's lock: read the current events, then append, with no one in between.

    On POSIX the lock is an exclusive ``flock`` on the journal file itself, so no lock file is
    left beside a register; elsewhere a ``<journal>.lock`` file (filelock) serves."""

    def __init__(self, path: Path):
        self.path = path
        self._fd: int | None = None
        self._lock: Any = None

    def __enter__(self) -> Writer:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot create its directory: {e.strerror or e}") from None
        created = not self.path.exists()
        try:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot open for writing: {e.strerror or e}") from None
        if created:
            fsync_dir(self.path.parent)
        try:
            self._acquire()
        except BaseException:
            os.close(self._fd)
            self._fd = None
            raise
        return self

    def _acquire(self) -> None:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX
            from filelock import FileLock, Timeout

            self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
            try:
                self._lock.acquire()
            except Timeout:
                raise OperationalError(self._timeout_message()) from None
            return
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OperationalError(self._timeout_message()) from None
                time.sleep(0.005)
            except OSError as e:
                raise OperationalError(f"journal {self.path}: cannot lock: {e.strerror or e}") from None

    def _timeout_message(self) -> str:
        return f"journal {self.path}: another riskcli has held its lock for {LOCK_TIMEOUT:.0f} s; try again"

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()
        if self._fd is not None:
            os.close(self._fd)  # closing the file releases the flock
            self._fd = None

    def read(self) -> Journal:
        return read(self.path)

    def append(self, *events: dict[str, Any]) -> None:
        """Append whole lines, flushed and fsynced. A last line without its newline is ended
        first: left as it is if it is a complete event, else recorded as torn (with any torn
        lines before it) in an event of its own, synced before the new events are written."""
        assert self._fd is not None, "append outside 'with Writer(...)'"
        fd = self._fd
        payload = b"".join(_dump(ev) for ev in events)
        try:
            size = os.fstat(fd).st_size
            if size:
                data = os.pread(fd, size, 0)
                torn = _trailing_bad_lines(data)
                repair = b"" if data.endswith(b"\n") else b"\n"
                if torn:
                    repair += _dump(new_event("torn", by="riskcli", line=torn[-1], lines=torn))
                if repair:
                    _write_all(fd, repair)
                    os.fsync(fd)
            _write_all(fd, payload)
            os.fsync(fd)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: write failed: {e.strerror or e}") from None


def _trailing_bad_lines(data: bytes) -> list[int]:
    """Line numbers of the lines at the end of the file that are not complete JSON events."""
    bad: list[int] = []
    for n, text, _ in reversed(_split(data)):
        if _decode(text) is _BAD:
            bad.append(n)
            continue
        break
    return sorted(bad)


def _dump(ev: dict[str, Any]) -> bytes:
    return (json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A point in time for ``--since``: an ISO date or date-time (UTC unless it says), ``today``,
    ``yesterday``, or a span back from now such as ``7d``, ``12h`` or ``2w``."""
    from riskcli.model import UserError

    now = now or datetime.now(timezone.utc)
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
    if len(key) > 1 and key[-1] in unit and key[:-1].isdigit():
        try:
            return now - timedelta(seconds=int(key[:-1]) * unit[key[-1]])
        except OverflowError:
            return datetime.min.replace(tzinfo=timezone.utc)  # further back than any event
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}", key):
            raise ValueError
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UserError(
            f"--since {text!r} is not understood; give a date (2025-01-31), a date-time "
            "(2025-01-31T09:00), today, yesterday, or a span such as 7d or 12h"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def event_time(ev: Event) -> datetime | None:
    try:
        when = datetime.fromisoformat(ev.at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def iter_filtered(
    events: Iterable[Event],
    risk: str | None = None,
    assumption: str | None = None,
    analyst: str | None = None,
    since: datetime | None = None,
    reg: Register | None = None,
) -> Iterator[Event]:
    """Events matching every filter given. With the register, ``risk`` also matches the events
    that moved that risk (beliefs of its drivers' assumptions, observations that set them,
    responses that act on it) and ``assumption`` the observations that set it; an undo matches
    when the event it undid does."""
    events = list(events)
    checks = [_touches(reg, risk, None)] if risk is not None else []
    if assumption is not None:
        checks.append(_touches(reg, None, assumption))
    by_id = {ev.id: ev for ev in events}
    for ev in events:
        target = by_id.get(ev.data["undoes"]) if ev.kind == "undo" else ev
        if checks and (target is None or not all(check(target) for check in checks)):
            continue
        if analyst is not None and ev.by != analyst:
            continue
        if since is not None:
            when = event_time(ev)
            if when is None or when < since:
                continue
        yield ev


def _touches(reg: Register | None, risk: str | None, assumption: str | None) -> Any:
    assumptions: set[str] = set()
    responses: set[str] = set()
    if assumption is not None:
        assumptions.add(assumption)
    if risk is not None and reg is not None and risk in reg.risk_by_id:
        assumptions.update(d.assumption for d in reg.risk_by_id[risk].drivers)
        responses.update(m.id for m in reg.responses if any(e.risk == risk for e in (*m.effects, *m.side_effects)))
    indicators = {
        i.id for i in (reg.indicators if reg is not None else ()) if any(u.assumption in assumptions for u in i.updates)
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
