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
import math
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
        data = path.read_bytes()
    except FileNotFoundError:
        return j
    except IsADirectoryError:
        raise OperationalError(f"journal {path}: is a directory") from None
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    j.events, j.warnings = parse(data, str(path))
    return j


def parse(data: bytes, shown: str) -> tuple[list[Event], list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise RegisterError([Problem(shown, line, 1, "journal line is not UTF-8 text")]) from None
    lines = text.split("\n")
    torn_tail = bool(lines and lines[-1])  # no newline after the last line
    if not lines[-1]:
        lines.pop()
    numbered = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    bad: dict[int, str] = {}
    try:  # fast path: the whole journal as one JSON array, decoded in one call
        objs = json.loads("[" + ",".join(line for _, line in numbered) + "]")
        if len(objs) != len(numbered):
            raise ValueError("a line held more than one value")
        pairs = list(zip((n for n, _ in numbered), objs))
    except ValueError:  # find the bad lines one by one
        pairs = []
        for n, line in numbered:
            try:
                pairs.append((n, json.loads(line)))
            except ValueError:
                bad[n] = "not a complete JSON event"
    events = [_event(obj, n, shown) for n, obj in pairs]
    warnings: list[str] = []
    if bad:
        known_torn = {int(e.data.get("line", 0)) for e in events if e.kind == "torn"}
        last = len(lines)
        for n, why in bad.items():
            if n in known_torn or (n == last and torn_tail):
                warnings.append(
                    f"{shown}:{n}: an incomplete event (written during a crash?) is ignored; "
                    "delete that line once you have checked it"
                )
            else:
                raise RegisterError([Problem(shown, n, 1, f"journal line is {why}")])
    return events, warnings


def _event(obj: Any, n: int, shown: str) -> Event:
    if not isinstance(obj, dict):
        raise RegisterError([Problem(shown, n, 1, "journal line is not a JSON object")])
    kind = obj.pop("kind", None)
    required = _REQUIRED.get(kind) if isinstance(kind, str) else None
    if required is None:
        raise RegisterError([Problem(shown, n, 1, f"journal event has unknown kind {str(kind)[:40]!r}")])
    v = obj.pop("v", 1)
    if v != VERSION:
        raise RegisterError([Problem(shown, n, 1, f"journal event version {str(v)[:10]!r} is not supported (this riskcli writes {VERSION})")])
    ident, at, by, why = obj.pop("id", None), obj.pop("at", ""), obj.pop("by", ""), obj.pop("why", "")
    for key, types in required:
        val = obj.get(key)
        if not isinstance(val, types) or val is True or val is False:
            raise RegisterError([Problem(shown, n, 1, f"journal {kind} event: {key!r} is missing or of the wrong type")])
        if isinstance(val, float) and not math.isfinite(val):
            raise RegisterError([Problem(shown, n, 1, f"journal {kind} event: {key!r} is not a finite number")])
    return Event(n, str(ident) if ident is not None else f"line-{n}", str(at), str(by), kind, obj, str(why or ""))


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
    events = list(events)
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
    """Holds the journal's lock: read the current events, then append, with no one in between."""

    def __init__(self, path: Path):
        self.path = path
        self._lock: Any = None

    def __enter__(self) -> Writer:
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot create its directory: {e.strerror or e}") from None
        self._lock = FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)
        try:
            self._lock.acquire()
        except Timeout:
            raise OperationalError(
                f"journal {self.path}: another riskcli has held its lock for {LOCK_TIMEOUT:.0f} s; try again"
            ) from None
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot lock: {e.strerror or e}") from None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._lock is not None:
            self._lock.release()

    def read(self) -> Journal:
        return read(self.path)

    def append(self, *events: dict[str, Any]) -> None:
        """Append whole lines, flushed and fsynced; terminate a torn last line first."""
        payload = b"".join(_dump(ev) for ev in events)
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: cannot open for writing: {e.strerror or e}") from None
        try:
            size = os.fstat(fd).st_size
            if size:
                last = os.pread(fd, 1, size - 1)
                if last != b"\n":
                    lines = _count_lines(fd, size)
                    torn = new_event("torn", by="riskcli", line=lines)
                    payload = b"\n" + _dump(torn) + payload
            _write_all(fd, payload)
            os.fsync(fd)
        except OSError as e:
            raise OperationalError(f"journal {self.path}: write failed: {e.strerror or e}") from None
        finally:
            os.close(fd)


def _dump(ev: dict[str, Any]) -> bytes:
    return (json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _count_lines(fd: int, size: int) -> int:
    """Number of the (torn) last line: newlines so far + 1."""
    count, offset = 0, 0
    while offset < size:
        chunk = os.pread(fd, min(1 << 20, size - offset), offset)
        if not chunk:
            break
        count += chunk.count(b"\n")
        offset += len(chunk)
    return count + 1


def iter_filtered(
    events: Iterable[Event],
    risk: str | None = None,
    assumption: str | None = None,
    analyst: str | None = None,
    since: str | None = None,
) -> Iterator[Event]:
    for ev in events:
        if risk is not None and ev.data.get("risk") != risk:
            continue
        if assumption is not None and ev.data.get("assumption") != assumption:
            continue
        if analyst is not None and ev.by != analyst:
            continue
        if since is not None and ev.at < since:
            continue
        yield ev
