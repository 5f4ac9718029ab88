"""Reading a journal: lines → events, each checked; torn tails told apart from lines that are not riskcli's."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import field
from datetime import date
from itertools import repeat
from pathlib import Path
from typing import Any, NoReturn

from riskcli.journal.location import open_checked
from riskcli.model import Event, OperationalError, Problem, RegisterError
from riskcli.perf import gc_paused
from riskcli.records import mutable

VERSION = 1
HASH_CHARS = 32  # 128 bits of SHA-256: the journal's hash chain
MAX_LEVEL = 12  # the most levels a scale may have: scores beyond it are not riskcli's
_SIGNATURE = b'{"v":'  # how every line riskcli writes begins
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def line_hash(line: bytes) -> str:
    """The hash a line is chained by (its bytes, without the newline)."""
    return hashlib.sha256(line).hexdigest()[:HASH_CHARS]


@mutable
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
            + (
                "leave the line in place: the next event records it, and the hash chain runs through it"
                if n in self.torn
                else "a torn event records it, and the hash chain runs through it"
            )
            for n in self.torn_lines
        ]


def read(path: Path, *, explicit: bool = True) -> Journal:
    """Parse a journal file. A missing file is an empty journal."""
    try:
        fd = open_checked(path, os.O_RDONLY, explicit, writing=False)
    except FileNotFoundError:
        return Journal(path)
    try:
        with os.fdopen(fd, "rb") as f:
            data = f.read()
    except OSError as e:
        raise OperationalError(f"journal {path}: cannot read: {e.strerror or e}") from None
    return parse(data, str(path), path)


def split_lines(data: bytes, first: int = 1) -> list[tuple[int, str | None, bytes]]:
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
        return parse_at(data, shown, path or Path(shown))


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


def parse_at(
    data: bytes,
    shown: str,
    path: Path,
    first: int = 1,
    offset: int = 0,
    known_torn: Iterable[int] = (),
    *,
    checked: bool = False,
) -> Journal:
    """Parse ``data``, which starts at line ``first`` and byte ``offset`` of the file; lines
    named by earlier torn events are in ``known_torn``. ``checked``: the lines were checked
    before, byte for byte the same (a replay checkpoint's digests say so), so each event's own
    fields are not checked again."""
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
        # A few MiB at a time (a line never spans two pieces, nor does a UTF-8 character a line
        # break): a journal of a million lines is never held as text and lines at once.
        n, start = first, 0
        while start < len(data):
            end = data.find(b"\n", min(start + _PIECE, len(data)) - 1)
            end = len(data) if end < 0 else end + 1
            text = data[start:end].decode("utf-8")
            ends = text[-1:] == "\n"
            objs = _bulk(text[:-1] if ends else text)
            if objs is not None:  # every line one JSON value: the common case
                make = _event_of if checked else event_from
                events.extend(map(make, objs, range(n, n + len(objs)), repeat(shown, len(objs))))
                last_good = n + len(objs) - 1
                n, start = n + len(objs), end
                continue
            lines = text.split("\n")
            if ends:
                lines.pop()  # the empty text after the piece's last line break
            last_good = _parse_lines(lines, n, shown, checked, events, bad) or last_good
            n, start = n + len(lines), end
    except UnicodeDecodeError:  # e.g. a crash in the middle of a multi-byte character
        events.clear()
        bad.clear()
        last_good = 0
        for n, line_text, raw in split_lines(data, first):
            obj = _decode(line_text)
            if obj is _DEEP:
                raise RegisterError([Problem(shown, n, 1, "not a riskcli journal line (nested too deeply)")]) from None
            if obj is _BAD:
                bad[n] = raw if line_text is None else line_text
            else:
                events.append(event_from(obj, n, shown))
                last_good = n
    j.events = events
    if bad:
        recorded = set(known_torn)
        for e in j.events:
            if e.kind == "torn":
                recorded.update(torn_lines_of(e))
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


_PIECE = 1 << 23  # bytes of a journal parsed at a time


def _bulk(text: str) -> list[Any] | None:
    """The JSON value of each line of ``text`` (lines without their last line break), decoded in
    one call; None unless every line is one JSON value by itself (a blank line, a torn or foreign
    line, a lone surrogate's escape: the caller reads such text line by line, and says why).

    The lines are decoded as one array in which a marker string follows each line but the last, a
    marker no line can hold (random, drawn per call). A line that is no value by itself either
    fails the array, or glues to its neighbour — swallowing a marker into its value — or splits
    into several values; so the array holds exactly one value per line, each at its line's place,
    only when every line is one value by itself, as ``json.loads`` of the line alone reads it."""
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        return None
    mark = os.urandom(12).hex()
    k = text.count("\n") + 1
    try:
        got: list[Any] = json.loads("[" + text.replace("\n", f'\n,"{mark}",') + "]")
    except (ValueError, RecursionError):
        return None
    if len(got) != 2 * k - 1 or got.count(mark) != k - 1:
        return None
    return got[::2]


def _parse_lines(
    lines: list[str], first: int, shown: str, checked: bool, events: list[Event], bad: dict[int, bytes | str]
) -> int:
    """Lines from line ``first`` on into events (appended to ``events``; lines that are not an
    event, to ``bad``): the number of the last line that was an event (0: none)."""
    last_good = 0
    # The hot loop: a riskcli line starts with "{" and decodes with the C scanner alone.
    scan, append, make = _scan_once, events.append, _event_of if checked else event_from
    for n, line in enumerate(lines, first):
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
            append(make(obj, n, shown))
            last_good = n
    return last_good


def torn_lines_of(e: Event) -> set[int]:
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
    "rebaseline": (("into", str), ("file", str), ("sha256", str)),
    "accept": (("risk", str),),
    "treat": (("risk", str), ("strategy", str)),
    "review": (("risk", str),),
    "assign": (("risk", str), ("owner", str)),
    "close": (("risk", str),),
    "reopen": (("risk", str),),
    "resolve": (("outcome", str), ("on", str)),  # and the risk or the assumption its outcome is of
}
_OPTIONAL: dict[str, tuple[tuple[str, Any], ...]] = {
    "respond": (("applied", bool),),
    "observe": (("outcome", str), ("source", str), ("ref", str), ("on", str)),
    "score": (("confidence", str),),
    "accept": (
        ("until", str),
        ("approver", str),
        ("band", str),
        ("likelihood", _LEVEL),
        ("impact", _LEVEL),
        ("basis", str),
    ),
    "treat": (("with", list),),
    "review": (("next", str),),
    "close": (("status", str),),
    "resolve": (("risk", str), ("assumption", str), ("source", str)),
}
STRATEGIES = ("avoid", "reduce", "transfer")  # a treatment the journal records (accept is an acceptance)
CLOSED = ("closed", "retired")
CONFIDENCES = ("low", "moderate", "high")
OUTCOMES = ("seen", "absent", "none")  # an observation: seen, looked for and not seen, a review with nothing to record
RESOLUTIONS = {"occurred": "risk", "did-not-occur": "risk", "held": "assumption", "failed": "assumption"}


def is_day(val: Any) -> bool:
    """A calendar date written YYYY-MM-DD (an observation's ``on``)."""
    if type(val) is not str or len(val) != 10:
        return False
    try:
        date.fromisoformat(val)
    except ValueError:
        return False
    return True


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
        return (
            type(d.get("indicator")) is str
            and d.get("outcome", "seen") in OUTCOMES
            and type(d.get("source", "")) is str
            and type(d.get("ref", "")) is str
            and ("on" not in d or is_day(d["on"]))
        )
    if kind == "respond":
        return type(d.get("response")) is str and type(d.get("applied", True)) is bool
    return False


def event_from(obj: Any, n: int, shown: str) -> Event:
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
    ident, at, by, why = get("id"), get("at", ""), get("by", ""), get("why")
    register, fingerprint, prev = get("register"), get("fingerprint"), get("prev")
    # tuple.__new__: the event made without NamedTuple's Python-level __new__ (a journal makes
    # 100,000s of them); the same tuple, field for field.
    return _new_event(
        Event,
        (
            n,
            ident if type(ident) is str else f"line-{n}" if ident is None else str(ident),
            at if type(at) is str else str(at),
            by if type(by) is str else str(by),
            kind,
            obj,
            why if type(why) is str else str(why or ""),
            register if type(register) is str else None,
            fingerprint if type(fingerprint) is str else None,
            prev if type(prev) is str else None,
        ),
    )


_new_event = tuple.__new__


def _event_of(obj: Any, n: int, shown: str) -> Event:
    """``event_from`` for a line checked before: the event made without checking its kind's
    fields again (the same event, field for field; any line of another shape goes the long way)."""
    if type(obj) is not dict:
        return event_from(obj, n, shown)
    get = obj.get
    ident, at, by, why, kind = get("id"), get("at", ""), get("by", ""), get("why"), get("kind")
    register, fingerprint, prev = get("register"), get("fingerprint"), get("prev")
    if (
        type(ident) is str
        and type(at) is str
        and type(by) is str
        and (why is None or type(why) is str)
        and type(kind) is str
        and (register is None or type(register) is str)
        and (fingerprint is None or type(fingerprint) is str)
        and (prev is None or type(prev) is str)
    ):
        return _new_event(Event, (n, ident, at, by, kind, obj, why or "", register, fingerprint, prev))
    return event_from(obj, n, shown)


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
    if kind == "observe" and "on" in obj and not is_day(obj["on"]):
        _wrong(shown, n, kind, "on", "is not a date (YYYY-MM-DD)")
    if kind == "score" and obj.get("confidence", "low") not in CONFIDENCES:
        _wrong(shown, n, kind, "confidence", f"must be one of {', '.join(CONFIDENCES)}")
    for key in ("until", "next"):
        if kind in ("accept", "review") and key in obj and not is_day(obj[key]):
            _wrong(shown, n, kind, key, "is not a date (YYYY-MM-DD)")
    if kind == "treat":
        if obj["strategy"] not in STRATEGIES:
            _wrong(shown, n, kind, "strategy", f"must be one of {', '.join(STRATEGIES)}")
        if not all(type(x) is str for x in obj.get("with", ())):
            _wrong(shown, n, kind, "with", "must be a list of response ids")
    if kind == "close" and obj.get("status", "closed") not in CLOSED:
        _wrong(shown, n, kind, "status", f"must be one of {', '.join(CLOSED)}")
    if kind == "resolve":
        of = RESOLUTIONS.get(obj["outcome"])
        if of is None:
            _wrong(shown, n, kind, "outcome", f"must be one of {', '.join(RESOLUTIONS)}")
        if not is_day(obj["on"]):
            _wrong(shown, n, kind, "on", "is not a date (YYYY-MM-DD)")
        if of not in obj or ("risk" in obj and "assumption" in obj):
            _wrong(shown, n, kind, of, f"must name the {of} that {obj['outcome']} (and nothing else)")


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
