"""Replay checkpoints: the state after line N of a journal, so that reading it replays only the
lines after N. A checkpoint is a cache: deleting it, or one from another riskcli or register,
changes no result — riskcli then replays every line, and writes a new one.

**Where.** In riskcli's cache directory (``RISKCLI_CACHE``, else the user cache directory, e.g.
``~/.cache/riskcli``; ``riskcli/cache.py``), under ``journals/``, one entry per journal named by a
hash of the journal's real path. Never beside the journal: a checkpoint is one user's (see below),
so beside a shared journal it would serve no one else and would show up in the folder and in git;
and riskcli writes nothing beside a journal the user does not own.

**What it holds.** Line N (the last complete event it covers), its byte offsets, its hash (the
chain's head there), the SHA-256 of every whole MiB of the bytes up to the end of line N and of
the part-MiB after them, the replay's state (``replay.Replay``: beliefs, analyst scores with the
beliefs they were anchored to, responses, decisions about risks, resolutions, undone events, ids the register
lacks, clamped scores, the time of the latest event folded), what the reader needs to go on as if
it had read those lines (torn lines, adoptions, the chain's
state and first break), riskcli's version and a digest of the code that folds events, and a digest
of what the fold reads of the register (``replay.fold_inputs``).

**What a read checks.** The checkpoint's MAC, its version and code, the register's fold inputs,
and every byte of the journal up to line N against the block digests (one SHA-256 pass, far
cheaper than decoding): a line edited, deleted, inserted or reordered before N, or the journal
cut short before N, is noticed — named in one warning — and the state is replayed from every line
without the checkpoint. An append (``score`` …) checks only the last part-MiB and line N, and
replays the lines after it: its cost does not grow with the journal.

**What it guarantees, and against whom.** A checkpoint is read back only if this user's riskcli
wrote it there (``riskcli/cache.py``: a private directory, the user's own file, an HMAC-SHA256 under
a key made once per user and readable by that user only, over the entry's name, what it was made
from — the code and the register's fold inputs — and its content). A checkpoint riskcli did not
write for this user — planted by someone else, copied from another machine or account, torn by a
crash, or edited — is refused before it is parsed, so it cannot inject a state. Someone who can
write as the user can forge the key and everything else, the journal included: against them only
a head kept elsewhere helps (``journal verify --head``). The content is JSON (never pickle),
checked field by field as it is decoded.

**Concurrency.** A checkpoint is written to a temporary file and renamed over the old one, so a
reader sees a whole checkpoint or none. Writers write theirs under the journal's lock; a reader
writes one without it, and since every checkpoint is checked against the journal's bytes, an older
one that replaces a newer one only means a longer tail to replay next time.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from riskcli.combine import Belief
from riskcli.journal.replay import Replay, fold_inputs
from riskcli.model import (
    Confidence,
    Decision,
    DecisionKind,
    Outcome,
    Register,
    Resolution,
    Resolvable,
    Resolved,
    SetBy,
    Status,
    Strategy,
)
from riskcli.records import mutable
from riskcli.scoring import AnalystScore, State

if TYPE_CHECKING:
    from riskcli.belief import Evidence, Ledger

FORMAT = 1
BLOCK = 1 << 20  # the bytes one digest covers
DIGEST_CHARS = 32  # 128 bits of SHA-256 per block, as the hash chain's
# The modules whose code decides what a fold gives: a checkpoint made by other code is not used.
_CODE = ("reading", "replay", "binding", "verifying", "checkpoint", "current")


# --------------------------------------------------------------------------- where


def entry(journal: Path) -> str | None:
    """The cache entry of a journal's checkpoint (None: a path with no real path)."""
    try:
        real = os.path.realpath(journal)
    except (OSError, ValueError):
        return None
    return "journals/" + hashlib.sha256(os.fsencode(real)).hexdigest()[:32] + ".checkpoint"


# --------------------------------------------------------------------------- what


@mutable
class Checkpoint:
    """The journal read up to line ``line``, and the replay of its events."""

    line: int  # the last line it covers: a complete event, ended by a newline
    start: int  # the byte offset of that line
    end: int  # the byte offset after its newline: where the lines after it begin
    last: str  # the line's hash (what the next line's ``prev`` names)
    blocks: list[str]  # the digest of each whole BLOCK of bytes before ``end``
    rest: str  # the digest of the bytes from the last whole block to ``end``
    events: int  # events in lines 1..line
    active: int  # those in force (the length of a whole replay's ``active``)
    fold: Replay  # their replay (without the events themselves)
    torn_lines: list[int] = field(default_factory=list)  # lines torn by a crash (reported on every read)
    torn_named: list[int] = field(default_factory=list)  # lines named by torn events
    adopted: dict[str, list[str]] = field(default_factory=dict)  # adopt events: register -> the registers it adopted
    bound: bool = False  # an event names its register
    chain: dict[str, Any] = field(default_factory=dict)  # the hash chain's walk: verifying.Chain's fields
    first_break: list[Any] | None = None  # (line, kind, follows) of the first break in lines 1..line


def code_digest() -> str:
    """riskcli's version and the source of the modules that fold events."""
    from riskcli import __version__

    h = hashlib.sha256(f"{__version__} {FORMAT} {sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent
    for name in _CODE:
        try:
            h.update((package / f"{name}.py").read_bytes())
        except OSError:
            h.update(name.encode())
    for core in ("scoring.py", "decisions.py", "combine.py", "outcomes.py"):
        with contextlib.suppress(OSError):
            h.update((package.parent / core).read_bytes())
    return h.hexdigest()[:32]


def register_digest(reg: Register) -> str:
    return hashlib.sha256(fold_inputs(reg).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def digest(data: bytes | memoryview) -> str:
    return hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]


def block_digests(data: bytes | memoryview) -> tuple[list[str], str]:
    """The digests of ``data``'s whole blocks and of what is left after them."""
    view = memoryview(data)
    whole = len(view) // BLOCK
    return [digest(view[i * BLOCK : (i + 1) * BLOCK]) for i in range(whole)], digest(view[whole * BLOCK :])


# --------------------------------------------------------------------------- the state as JSON


def _encode_state(st: State) -> dict[str, Any]:
    """A state as JSON values. Analyst scores share their belief snapshots (one per belief change
    between scores): each snapshot is written once, as the change from the one before it."""
    snapshots: dict[int, int] = {}
    snapshot_list: list[Mapping[str, float]] = []
    appliesets: dict[int, int] = {}
    applied_list: list[frozenset[str]] = []

    def row(rid: str, sc: AnalystScore) -> list[Any]:
        s = snapshots.setdefault(id(sc.beliefs), len(snapshot_list))
        if s == len(snapshot_list):
            snapshot_list.append(sc.beliefs)
        a = appliesets.setdefault(id(sc.applied), len(applied_list))
        if a == len(applied_list):
            applied_list.append(sc.applied)
        conf = sc.confidence.value if sc.confidence is not None else None
        return [rid, sc.likelihood, sc.impact, s, sc.by, sc.at, sc.why, a, conf]

    scores = [row(rid, sc) for rid, sc in sorted(st.scores.items(), key=lambda kv: (kv[1].at, kv[0]))]
    # Each analyst's latest score of a risk: those other than the risk's latest (in ``scores``).
    others = [
        row(rid, sc)
        for rid, team in sorted(st.panel.items())
        for by, sc in sorted(team.items())
        if st.scores.get(rid) is not sc
    ]
    diffs: list[list[Any]] = []
    before: Mapping[str, float] = {}
    for snap in snapshot_list:
        changed = {k: v for k, v in snap.items() if k not in before or before[k] != v}
        gone = [k for k in before if k not in snap]
        diffs.append([changed, gone])
        before = snap
    return {
        "beliefs": dict(st.beliefs),
        "applied": sorted(st.applied),
        "snapshots": diffs,
        "applied_sets": [sorted(a) for a in applied_list],
        "scores": scores,
        "evidence": None if st.evidence is None else _encode_evidence(st.evidence),
        "decisions": [[rid, [_encode_decision(d) for d in ds]] for rid, ds in st.decisions.items()],
        "panel": others,
        "opinions": [
            [aid, [[b.belief, b.by, b.at, b.id, b.why] for b in views.values()]] for aid, views in st.opinions.items()
        ],
        "resolutions": [_encode_resolved(r) for r in st.resolutions.values()],
    }


# A resolution as a row: its fields in this order (a test holds them to the class).
RESOLVED_SAVED = ("kind", "item", "outcome", "on", "at", "id", "by", "why", "source")


def _encode_resolved(r: Resolved) -> list[Any]:
    return [r.kind.value, r.item, r.outcome.value, r.on, r.at, r.id, r.by, r.why, r.source]


def _decode_resolutions(x: Any) -> dict[tuple[Resolvable, str], Resolved]:
    out: dict[tuple[Resolvable, str], Resolved] = {}
    for row in _list(x):
        kind, item, outcome, on, at, ident, by, why, source = _list(row)
        r = Resolved(
            Resolvable(kind), _str(item), Resolution(outcome), _str(on), _str(at), _str(ident), _str(by), _str(why),
            _str(source),
        )  # fmt: skip
        out[(r.kind, r.item)] = r
    return out


# A decision as a row: its fields in this order (a test holds them to the class).
DECISION_SAVED = (
    "kind", "at", "id", "by", "why", "owner", "strategy", "responses", "until", "approver", "band",
    "likelihood", "impact", "basis", "next", "status",
)  # fmt: skip


def _encode_decision(d: Decision) -> list[Any]:
    return [
        d.kind.value, d.at, d.id, d.by, d.why, d.owner, d.strategy.value if d.strategy else None, list(d.responses),
        d.until, d.approver, d.band, d.likelihood, d.impact, d.basis, d.next, d.status.value if d.status else None,
    ]  # fmt: skip


def _decode_decision(row: Any) -> Decision:
    kind, at, ident, by, why, owner, strategy, responses, until, approver, band, lk, im, basis, nxt, status = _list(row)
    return Decision(
        DecisionKind(kind),
        _str(at),
        _str(ident),
        _str(by),
        _str(why),
        _str(owner),
        None if strategy is None else Strategy(strategy),
        tuple(_str(m) for m in _list(responses)),
        _str(until),
        _str(approver),
        _str(band),
        None if lk is None else _num(lk),
        None if im is None else _num(im),
        _str(basis),
        _str(nxt),
        None if status is None else Status(status),
    )


def _decode_decisions(x: Any) -> dict[str, tuple[Decision, ...]]:
    return {_str(rid): tuple(_decode_decision(d) for d in _list(ds)) for rid, ds in map(_list, _list(x))}


# What of the evidence a fold carries on (``Evidence.__slots__`` but the network, which the
# register gives; ``Ledger.__slots__`` but ``by_indicator``, every observation as read, which only
# the views show: they read it from the replay of every event). A test holds these to the classes.
EVIDENCE_SAVED = ("offset", "counts", "lams", "sets", "loose", "beliefs", "post", "ledger")
LEDGER_SAVED = ("origin", "refs", "windows")


def _encode_evidence(ev: Evidence) -> dict[str, Any]:
    ledger = ev.ledger
    return {
        "offset": ev.offset,
        "counts": {a: [[i, o.value, r, n] for (i, o, r), n in c.items()] for a, c in ev.counts.items()},
        "lams": ev.lams,
        "sets": {a: [v, by.value, ref] for a, (v, by, ref) in ev.sets.items()},
        "loose": sorted(ev.loose),
        "beliefs": ev.beliefs,
        "post": {a: list(p) for a, p in ev.post.items()},
        "ledger": None
        if ledger is None
        else {
            "origin": ledger.origin.isoformat(),
            # As columns (a journal of a million events has tens of thousands of them); those of a
            # ledger restored and never read, as they were.
            **(
                {"refs": ledger.packed[0], "windows": ledger.packed[1]}  # type: ignore[attr-defined]
                if getattr(ledger, "unread", False)
                else {"refs": _packed_columns(ledger.refs), "windows": _packed_columns(ledger.windows)}
            ),
        },
    }


def _packed(x: Any) -> list[Any]:
    """Packed columns, checked (C speed) but not yet made into a table."""
    a, b, n = _list(x)
    for column in (a, b, n):
        if type(column) is not str and type(column) is not list:
            raise _Bad
    return [a, b, n]  # (their content is read, and checked, when the ledger is first used)


@functools.cache
def unread_ledger() -> type[Ledger]:
    """The class of a ledger restored from a checkpoint (made on first use: the model of belief
    is imported only where there is evidence)."""
    from riskcli.belief import Ledger

    class Unread(Ledger):
        """A ledger restored from a checkpoint whose tables are made on first use: a journal of a
        million events has tens of thousands of observation references, and an append that
        observes nothing needs none of them (nor does writing them back, which reuses them)."""

        __slots__ = ("packed", "unread")

        def __init__(self, origin: date, refs: list[Any], windows: list[Any]) -> None:
            # Ledger.__init__ is not called: refs, windows and by_indicator are made by __getattr__.
            self.origin = origin
            self.packed = (refs, windows)
            self.unread = True

        def __getattr__(self, name: str) -> Any:
            """The tables, made when first asked for (an unset slot falls through to here)."""
            if name not in ("refs", "windows", "by_indicator") or not self.unread:
                raise AttributeError(name)
            self.unread = False
            try:
                self.refs = _columns(self.packed[0], str, str)
                self.windows = _columns(self.packed[1], str, int)
            except (_Bad, ValueError, TypeError) as e:  # pragma: no cover - sealed by riskcli itself
                raise RuntimeError(f"a replay checkpoint's ledger does not read: {e}") from None
            self.by_indicator = {}
            return getattr(self, name)

        def copy(self) -> Ledger:
            if self.unread:
                return Unread(self.origin, *self.packed)
            return super().copy()

    return Unread


def _decode_evidence(x: dict[str, Any], reg: Register) -> Evidence:
    from riskcli.belief import Evidence, network  # only where there is evidence to read

    ev = Evidence(network(reg))
    ev.offset = {_str(a): _num(v) for a, v in _dict(x["offset"]).items()}
    ev.counts = {}
    for a, rows in _dict(x["counts"]).items():
        mine: dict[tuple[str, Outcome, float], int] = {}
        for row in _list(rows):
            i, o, r, n = _list(row)
            mine[(_str(i), Outcome(o), _num(r))] = _int(n)
        ev.counts[_str(a)] = mine
    ev.lams = {_str(a): _num(v) for a, v in _dict(x["lams"]).items()}
    ev.sets = {}
    for a, row in _dict(x["sets"]).items():
        v, by, ref = _list(row)
        ev.sets[_str(a)] = (_num(v), SetBy(by), _str(ref))
    ev.loose = {_str(a) for a in _list(x["loose"])}
    ev.beliefs = _beliefs(x["beliefs"])
    ev.post = {}
    for a, pair in _dict(x["post"]).items():
        p0, p1 = _list(pair)
        ev.post[_str(a)] = (_num(p0), _num(p1))
    led = x["ledger"]
    if led is not None:
        led = _dict(led)
        ev.ledger = unread_ledger()(  # type: ignore[call-arg]
            date.fromisoformat(_str(led["origin"])), _packed(led["refs"]), _packed(led["windows"])
        )
    return ev


class _Bad(Exception):
    """The checkpoint's content is not what this code writes."""


def _str(x: Any) -> str:
    if type(x) is not str:
        raise _Bad
    return x


def _num(x: Any) -> float:
    if type(x) is not float and type(x) is not int:
        raise _Bad
    return float(x)


def _int(x: Any) -> int:
    if type(x) is not int:
        raise _Bad
    return x


def _list(x: Any) -> list[Any]:
    if type(x) is not list:
        raise _Bad
    return x


def _dict(x: Any) -> dict[str, Any]:
    if type(x) is not dict:
        raise _Bad
    return x


def _only(x: Any, kind: type) -> list[Any]:
    """A list whose items are all of one type, checked at C speed (a journal of a million
    events gives tens of thousands)."""
    if type(x) is not list or (x and set(map(type, x)) != {kind}):
        raise _Bad
    return x


def _pack(items: list[str] | list[int]) -> str | list[Any]:
    """A long list of ids, references or numbers as one string, lines of it (encoded, decoded and
    checked at C speed; a journal of a million events has tens of thousands); as a list when an
    item has a line break of its own."""
    if not items:
        return []
    if type(items[0]) is int:
        return "\n".join(map(str, items))
    text = "\n".join(items)  # type: ignore[arg-type]
    return text if text.count("\n") == len(items) - 1 else list(items)


_INTS = re.compile(r"-?[0-9]+(?:\n-?[0-9]+)*")


def _unpack(x: Any, kind: type) -> list[Any]:
    if type(x) is list:
        return _only(x, kind)
    if type(x) is not str:
        raise _Bad
    if kind is int:
        if not _INTS.fullmatch(x):  # (int() would take spaces, underscores and other digits too)
            raise _Bad
        return list(map(int, x.split("\n")))
    return x.split("\n")


def _strs(x: Any) -> list[str]:
    return _unpack(x, str)


def _packed_columns(d: dict[tuple[Any, Any], int]) -> list[Any]:
    if not d:
        return [[], [], []]
    a, b = zip(*d, strict=True)
    return [_pack(list(a)), _pack(list(b)), _pack(list(d.values()))]


def _columns(x: Any, first: type, second: type) -> dict[tuple[Any, Any], int]:
    """(first, second) → int from three columns of equal length."""
    a, b, n = _list(x)
    a, b, n = _unpack(a, first), _unpack(b, second), _unpack(n, int)
    if not len(a) == len(b) == len(n):
        raise _Bad
    return dict(zip(zip(a, b, strict=True), n, strict=True))


def _latest(x: Any) -> tuple[str, str]:
    at, ident = _list(x)
    return _str(at), _str(ident)


def _beliefs(x: Any) -> dict[str, float]:
    return {_str(k): _num(v) for k, v in _dict(x).items()}


def _decode_state(x: dict[str, Any], reg: Register) -> State:
    snapshots: list[dict[str, float]] = []
    before: dict[str, float] = {}
    for entry in _list(x["snapshots"]):
        changed, gone = _list(entry)
        snap = {**before, **_beliefs(changed)}
        for k in _list(gone):
            snap.pop(_str(k), None)
        snapshots.append(snap)
        before = snap
    applied_sets = [frozenset(_str(m) for m in _list(a)) for a in _list(x["applied_sets"])]

    def score(row: Any) -> tuple[str, AnalystScore]:
        rid, lk, im, s, by, at, why, a, conf = _list(row)
        return _str(rid), AnalystScore(
            _num(lk),
            _num(im),
            snapshots[_int(s)],
            _str(by),
            _str(at),
            _str(why),
            applied_sets[_int(a)],
            Confidence(conf) if conf is not None else None,
        )

    scores = dict(map(score, _list(x["scores"])))
    panel: dict[str, dict[str, AnalystScore]] = {rid: {sc.by: sc} for rid, sc in scores.items()}
    for rid, sc in map(score, _list(x["panel"])):
        panel.setdefault(rid, {})[sc.by] = sc
    opinions = {
        _str(aid): {
            _str(by): Belief(_num(b), _str(by), _str(at), _str(ident), _str(why))
            for b, by, at, ident, why in map(_list, _list(views))
        }
        for aid, views in map(_list, _list(x["opinions"]))
    }
    evidence = None if x["evidence"] is None else _decode_evidence(_dict(x["evidence"]), reg)
    applied = frozenset(_str(m) for m in _list(x["applied"]))
    return State(
        _beliefs(x["beliefs"]),
        scores,
        applied,
        evidence,
        _decode_decisions(x["decisions"]),
        panel=panel,
        opinions=opinions,
        resolutions=_decode_resolutions(x["resolutions"]),
    )


def _encode(cp: Checkpoint) -> bytes:
    fold = cp.fold
    body = {
        "format": FORMAT,
        "line": cp.line,
        "start": cp.start,
        "end": cp.end,
        "last": cp.last,
        "blocks": cp.blocks,
        "rest": cp.rest,
        "events": cp.events,
        "active": cp.active,
        "torn_lines": cp.torn_lines,
        "torn_named": cp.torn_named,
        "adopted": cp.adopted,
        "bound": cp.bound,
        "chain": cp.chain,
        "first_break": cp.first_break,
        "state": _encode_state(fold.state),
        "undone": _pack(list(fold.undone)),
        "unknown": {k: sorted(v) for k, v in fold.unknown.items()},
        "clamped": fold.clamped,
        "latest": list(fold.latest),
    }
    sections: list[bytes] = []

    def out(text: Any) -> Any:  # a long packed column goes after the JSON, as it is
        if type(text) is not str or len(text) < 4096:
            return text
        sections.append(text.encode("utf-8", "surrogatepass"))
        return {"section": len(sections) - 1, "bytes": len(sections[-1])}

    _long_texts(body, out)
    head = json.dumps(body, separators=(",", ":")).encode("ascii")  # (\u escapes: any text round-trips)
    return b"\n".join([head, *sections])


def _long_texts(body: dict[str, Any], change: Any) -> None:
    """Apply ``change`` to each of the checkpoint's long packed columns (the ids of undone events,
    the ledger's references and review windows): they are kept after the JSON, not inside it,
    where each of their tens of thousands of line breaks would be escaped."""
    body["undone"] = change(body["undone"])
    evidence = body["state"]["evidence"]
    if evidence is not None and evidence["ledger"] is not None:
        for key in ("refs", "windows"):
            evidence["ledger"][key] = [change(c) for c in evidence["ledger"][key]]


def _decode(data: bytes, reg: Register) -> Checkpoint:
    head, _, rest = data.partition(b"\n")
    x = _dict(json.loads(head))
    view, at = memoryview(rest), 0
    found: list[str] = []

    def back(ref: Any) -> Any:
        nonlocal at
        if type(ref) is not dict:
            return ref
        if ref.get("section") != len(found) or type(ref.get("bytes")) is not int:
            raise _Bad
        n = ref["bytes"]
        if at + n > len(rest):
            raise _Bad
        found.append(bytes(view[at : at + n]).decode("utf-8", "surrogatepass"))
        at += n + 1
        return found[-1]

    try:
        _long_texts(x, back)
    except (KeyError, TypeError, AttributeError):
        raise _Bad from None
    if at < len(rest):
        raise _Bad
    if x.get("format") != FORMAT:
        raise _Bad
    chain = _dict(x["chain"])
    first_break = x["first_break"]
    if first_break is not None:
        line, kind, follows = _list(first_break)
        first_break = [_int(line), _str(kind), follows if follows is None else _int(follows)]
    fold = Replay(
        _decode_state(_dict(x["state"]), reg),
        [],
        set(_strs(x["undone"])),
        [],
        [],
        {_str(k): {_str(i) for i in _list(v)} for k, v in _dict(x["unknown"]).items()},
        [_str(c) for c in _list(x["clamped"])],
        _latest(x["latest"]),
    )
    return Checkpoint(
        line=_int(x["line"]),
        start=_int(x["start"]),
        end=_int(x["end"]),
        last=_str(x["last"]),
        blocks=[_str(b) for b in _list(x["blocks"])],
        rest=_str(x["rest"]),
        events=_int(x["events"]),
        active=_int(x["active"]),
        fold=fold,
        torn_lines=[_int(n) for n in _list(x["torn_lines"])],
        torn_named=[_int(n) for n in _list(x["torn_named"])],
        adopted={_str(k): [_str(r) for r in _list(v)] for k, v in _dict(x["adopted"]).items()},
        bound=x["bound"] is True,
        chain={
            "prev": chain["prev"] if chain["prev"] is None else _str(chain["prev"]),
            "skipped": chain["skipped"] if chain["skipped"] is None else _str(chain["skipped"]),
            "chained": _int(chain["chained"]),
            "unchained": _int(chain["unchained"]),
            "lines": _int(chain["lines"]),
            "last": _int(chain["last"]),
        },
        first_break=first_break,
    )


# --------------------------------------------------------------------------- reading and writing


def made_from(reg: Register) -> bytes:
    """What a checkpoint is good for: this code, and a register that folds the same."""
    return hashlib.sha256(f"{code_digest()} {register_digest(reg)}".encode()).digest()


def load(name: str, reg: Register) -> Checkpoint | None:
    """The journal's checkpoint, if there is one this user's riskcli wrote, with this code, for a
    register that folds the same; None otherwise (never an error: it is a cache)."""
    from riskcli import cache

    data = cache.read(name, made_from(reg))
    if data is None:
        return None
    try:
        return _decode(bytes(data), reg)
    except (_Bad, KeyError, ValueError, TypeError, IndexError, RecursionError):
        cache.note(f"{name}: not a checkpoint this riskcli reads")
        return None


def save(name: str, reg: Register, cp: Checkpoint) -> None:
    """Write a checkpoint in place of the journal's last, atomically; a failure only means the
    next read replays more."""
    from riskcli import cache

    cache.write(name, made_from(reg), [_encode(cp)])


def drop(name: str) -> None:
    """Remove the journal's checkpoint: the next read reads every line (and writes a new one)."""
    from riskcli import cache

    cache.remove(name)
