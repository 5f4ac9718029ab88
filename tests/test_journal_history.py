"""history prints straight from the journal's events, the same lines its views would give."""

from __future__ import annotations

import io
import json
from pathlib import Path

from riskcli import journal
from riskcli.render.journal import history_lines, history_plain
from riskcli.render.streams import Out
from riskcli.results import convert
from riskcli.results.shapes.events import EventViews

# One of every kind, with the values that take a formatter's edge: fractional levels, a belief
# said in words and one not, a belief of -0.0, control characters and tabs in text, an undo of an event not there.
LINES = [
    {"kind": "belief", "assumption": "A1", "belief": 0.0, "said": "fails"},
    {"kind": "belief", "assumption": "A1", "belief": -0.0},  # equal to 0.0, and written apart
    {"kind": "belief", "assumption": "A2", "belief": 1 / 3},
    {"kind": "belief", "assumption": "A2", "belief": 0.5, "said": ""},
    {"kind": "belief", "assumption": "A2", "belief": 0.5, "said": 7},
    {"kind": "score", "risk": "R1", "likelihood": 2, "impact": 5, "why": "tab\there\x1b[31m red"},
    {"kind": "score", "risk": "R2", "likelihood": 2.5, "impact": 3.333, "said": {"likelihood": "likely"}},
    {"kind": "score", "risk": "R\u202e3", "likelihood": 1, "impact": 1, "confidence": "high"},
    {"kind": "observe", "indicator": "I1"},
    {"kind": "observe", "indicator": "I1", "outcome": "absent"},
    {"kind": "observe", "indicator": "I1", "outcome": "none"},
    {"kind": "observe", "indicator": "I3", "ref": "GUR-1", "source": "a wire", "on": "2025-01-01"},
    {"kind": "respond", "response": "M1"},
    {"kind": "respond", "response": "M1", "applied": False},
    {"kind": "undo", "undoes": "e2"},
    {"kind": "undo", "undoes": "nowhere"},
    {"kind": "adopt", "from": "old.yaml"},
    {"kind": "torn", "line": 3, "lines": [3, 4]},
    {"kind": "torn", "line": 9},
]


def _journal(tmp_path: Path) -> journal.Journal:
    text = "".join(
        json.dumps(
            {"v": 1, "id": f"e{n}", "at": f"2025-01-0{1 + n % 9}T09:00:00Z", "by": "al\tice" if n == 3 else "bob", **ev}
        )
        + "\n"
        for n, ev in enumerate(LINES, 1)
    )
    path = tmp_path / "j.jsonl"
    path.write_text(text, encoding="utf-8")
    return journal.read(path)


def test_history_lines_from_events_equal_those_from_their_views(tmp_path) -> None:
    j = _journal(tmp_path)
    undone = journal.undone_ids(j.events)
    lines = {e.id: e.line for e in j.events}
    views = EventViews(j.events, undone, lines, convert.events)
    direct, from_views = io.StringIO(), io.StringIO()
    history_lines(views, Out(direct, io.StringIO(), False))
    history_plain(list(views), Out(from_views, io.StringIO(), False))
    assert direct.getvalue() == from_views.getvalue()
    assert len(direct.getvalue().splitlines()) == len(LINES) + 1
    assert "\tundone\n" in direct.getvalue()  # e2 is undone


def test_event_views_are_built_as_read_and_slice_as_views(tmp_path) -> None:
    j = _journal(tmp_path)
    views = EventViews(j.events, set(), {}, convert.events)
    built = convert.events(j.events, set(), {})
    assert list(views) == built
    assert views[3] == built[3] and views[-1] == built[-1]
    assert list(views[2:5]) == built[2:5] and isinstance(views[2:5], EventViews)
    assert len(views) == len(LINES) and views == built


def test_history_piped_and_json_list_the_same_events(run, write, tmp_path) -> None:
    reg = write("risks: [{id: R1, title: One, likelihood: 2, impact: 2}]\n")
    for lk in ("3", "4", "5"):
        assert run("score", "R1", "-l", lk, "-i", "2", "--register", str(reg)).exit_code == 0
    assert run("undo", "--register", str(reg)).exit_code == 0
    piped = run("history", "--register", str(reg))
    data = json.loads(run("history", "--json", "--register", str(reg)).stdout)
    rows = [line.split("\t") for line in piped.stdout.splitlines()[1:]]
    assert [int(r[0]) for r in rows] == [e["line"] for e in data["events"]] == [1, 2, 3, 4]
    assert [r[6] == "undone" for r in rows] == [e["undone"] for e in data["events"]] == [False, False, True, False]
    assert rows[3][4] == "undo of line 3"
