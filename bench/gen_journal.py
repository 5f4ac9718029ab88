#!/usr/bin/env python3
"""Write a synthetic journal the way riskcli writes one: bound to a register and hash-chained.

    python bench/gen_journal.py N OUT.jsonl --ids IDS.json [--register ID --fingerprint F]
                                [--seed S] [--sqlite OUT.db]

IDS.json holds the ids to write events about: {"risks": [...], "assumptions": [...],
"indicators": [...], "responses": [...]} (bench.py asks riskcli for the embedded register's with
--json). Each event is one JSON line of the form riskcli writes — "v", "id", "at", "by", "kind",
"register", "fingerprint", the kind's own fields, "why", "prev" — where "prev" is the first 128
bits of the SHA-256 of the line before, in hex (null on the first line): 55% belief changes, 30%
scores, 8% observations (a third with a reference, a fifth of those repeating one), 5% responses
and 2% undos, by four analysts, with reasons of ordinary length, a few minutes apart and all before
November 2025. It does not import riskcli, so it
keeps working when riskcli's journal code changes; `riskcli journal verify` passes on its output.

--sqlite also writes the same events into an SQLite table (one row per event: its columns and
the line itself), the floor an append is measured against.

Standard library only; streams, so a million events take a few seconds and little memory.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Reasons of ordinary length, as analysts write them.
WHYS = (
    "a reason of ordinary length for this change",
    "casualty reports and a reading of the latest statements",
    "seen in the news",
    "decided at the weekly review",
    "the ministry's statement this morning makes this less likely than we thought",
    "",
)
ANALYSTS = ("alice", "bob", "chen", "dana")
HASH_CHARS = 32

SQLITE_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, at TEXT, by TEXT, kind TEXT, register TEXT, "
    "fingerprint TEXT, prev TEXT, line TEXT)"
)


END = datetime(2025, 11, 1, 9, 0, tzinfo=UTC)  # about when the last event was recorded


def events(
    n: int, ids: dict[str, list[str]], seed: int, register: str | None, fingerprint: str | None
) -> Iterator[dict[str, object]]:
    """n events over the given ids, without their ``prev`` (the chain is made as they are written)."""
    rnd = random.Random(seed)
    # A step of 1 to 600 s (300.5 s on average): the first event that far before END, so that
    # every event is in the past, as in a journal riskcli wrote (an event recorded now never
    # comes before the events already there, which would send the next read to every line).
    t = END - timedelta(seconds=300.5 * n)
    written: list[str] = []
    refs: list[str] = []
    for _ in range(n):
        t += timedelta(seconds=rnd.randint(1, 600), microseconds=rnd.randint(0, 999_999))
        ev: dict[str, object] = {
            "v": 1,
            "id": f"{rnd.getrandbits(48):012x}",
            "at": t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "by": rnd.choice(ANALYSTS),
        }
        x = rnd.random()
        if x < 0.55:
            ev["kind"] = "belief"
            own = {"assumption": rnd.choice(ids["assumptions"]), "belief": round(rnd.random(), 2), "said": "0.5"}
        elif x < 0.85:
            ev["kind"] = "score"
            own = {"risk": rnd.choice(ids["risks"]), "likelihood": rnd.randint(1, 5), "impact": rnd.randint(1, 5)}
        elif x < 0.93:
            ev["kind"] = "observe"
            own = {"indicator": rnd.choice(ids["indicators"])}
            if rnd.random() < 1 / 3:
                if refs and rnd.random() < 0.2:
                    own["ref"] = rnd.choice(refs)
                else:
                    refs.append(f"report-{len(refs) + 1}")
                    own["ref"] = refs[-1]
        elif x < 0.98:
            ev["kind"] = "respond"
            own = {"response": rnd.choice(ids["responses"]), "applied": rnd.random() < 0.7}
        else:
            ev["kind"] = "undo"
            own = {"undoes": rnd.choice(written) if written else "none"}
        if register is not None:
            ev["register"] = register
            ev["fingerprint"] = fingerprint
        ev.update(own)
        why = rnd.choice(WHYS)
        if why:
            ev["why"] = why
        written.append(str(ev["id"]))
        yield ev


def write(
    path: Path,
    n: int,
    ids: dict[str, list[str]],
    seed: int,
    register: str | None = None,
    fingerprint: str | None = None,
    sqlite: Path | None = None,
) -> int:
    """Write the journal (and the SQLite table); returns the journal's size in bytes."""
    con = None
    if sqlite is not None:
        sqlite.unlink(missing_ok=True)
        con = sqlite3.connect(sqlite)
        con.execute(SQLITE_SCHEMA)
    prev: str | None = None
    rows: list[tuple] = []
    with path.open("wb") as f:
        buf: list[bytes] = []
        for ev in events(n, ids, seed, register, fingerprint):
            ev["prev"] = prev  # last, as riskcli writes it
            line = json.dumps(ev, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            prev = hashlib.sha256(line).hexdigest()[:HASH_CHARS]
            buf.append(line + b"\n")
            if con is not None:
                rows.append(
                    (ev["id"], ev["at"], ev["by"], ev["kind"], register, fingerprint, ev["prev"], line.decode())
                )
            if len(buf) >= 10_000:
                f.write(b"".join(buf))
                buf.clear()
                if con is not None:
                    con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)", rows)
                    rows.clear()
        f.write(b"".join(buf))
    if con is not None:
        con.executemany("INSERT INTO events VALUES (?,?,?,?,?,?,?,?)", rows)
        con.commit()
        con.close()
    return path.stat().st_size


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="events to write")
    ap.add_argument("out", type=Path, help="the journal to write")
    ap.add_argument("--ids", type=Path, required=True, help="JSON file of the ids to write events about")
    ap.add_argument("--register", help="the register identity the events are bound to")
    ap.add_argument("--fingerprint", help="that register's fingerprint")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sqlite", type=Path, help="also write the events into this SQLite database")
    args = ap.parse_args(argv)
    ids = json.loads(args.ids.read_text(encoding="utf-8"))
    size = write(args.out, args.n, ids, args.seed, args.register, args.fingerprint, args.sqlite)
    print(f"wrote {args.out}: {args.n} events, {size / 1e6:.1f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
