"""--as-of DATE: every read view shows the assessment as the journal stood on a date; matrix
--compare DATE shows what moved since then."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SUPPLY

from riskcli import journal
from riskcli.journal import appending
from riskcli.model import UserError


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(appending, "now_utc", lambda: when)


def _journal(run, reg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three events: A1 fails on 10 Jan, R3 scored on 10 Feb, A2 fails on 10 Mar (all 2025)."""
    _at(monkeypatch, "2025-01-10T09:00:00.000000Z")
    assert run("-r", reg, "assume", "A1", "fails", "--why", "supplier bankrupt").exit_code == 0
    _at(monkeypatch, "2025-02-10T09:00:00.000000Z")
    assert run("-r", reg, "score", "R3", "-l", "4", "-i", "4", "--why", "new plant").exit_code == 0
    _at(monkeypatch, "2025-03-10T09:00:00.000000Z")
    assert run("-r", reg, "assume", "A2", "fails", "--why", "inflation").exit_code == 0


def _json(run, *args: str) -> dict[str, Any]:
    r = run(*args, "--json")
    assert r.exit_code == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    return data


def _without_as_of(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "as_of"}


@pytest.mark.parametrize("view", ["list", "matrix", "assumptions", "scenarios", "responses"])
def test_as_of_before_the_first_event_is_the_baseline(run, write, monkeypatch, tmp_path: Path, view: str) -> None:
    reg = str(write(SUPPLY))
    baseline = _json(run, "-r", reg, view)
    _journal(run, reg, monkeypatch)
    then = _json(run, "-r", reg, view, "--as-of", "2025-01-09")
    assert _without_as_of(then) == _without_as_of(baseline)
    assert then["as_of"]["events"] == 0 and then["as_of"]["total"] == 3
    assert _json(run, "-r", reg, view)["as_of"] is None


@pytest.mark.parametrize("view", ["list", "matrix", "assumptions", "explain", "show"])
def test_as_of_the_last_event_is_now(run, write, monkeypatch, view: str) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    args = (view, "R1") if view in ("explain", "show") else (view,)
    now = _json(run, "-r", reg, *args)
    then = _json(run, "-r", reg, *args, "--as-of", "2025-03-10")
    if view == "show":  # a risk's standing is judged on the day shown: that day differs, nothing else
        assert (then["risk"]["standing"].pop("as_of"), now["risk"]["standing"].pop("as_of")) == (
            "2025-03-10",
            datetime.now(UTC).date().isoformat(),
        )
    assert _without_as_of(then) == _without_as_of(now)
    assert then["as_of"] == {
        "date": "2025-03-10",
        "until": "2025-03-10T23:59:59.999999Z",
        "events": 3,
        "total": 3,
        "fingerprint": then["register"]["fingerprint"],
        "same_register": True,
    }


def test_as_of_a_date_between_counts_the_events_recorded_by_the_end_of_that_day(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    run("-r", reg, "list")  # a replay checkpoint after the last line: never used for a date before it
    beliefs = {
        a["id"]: a["belief"] for a in _json(run, "-r", reg, "assumptions", "--as-of", "2025-02-10")["assumptions"]
    }
    assert beliefs == {"A1": 0.0, "A2": 0.8}  # A1 fails (10 Jan) counts; A2 fails (10 Mar) not yet
    rows = {x["id"]: x["current"]["cell"] for x in _json(run, "-r", reg, "list", "--as-of", "2025-02-10")["risks"]}
    assert rows["R3"] == {"likelihood": 4, "impact": 4}  # scored at 09:00 that day: the whole day counts
    early = _json(run, "-r", reg, "list", "--as-of", "2025-02-10T08:59")
    assert {x["id"]: x["current"]["cell"] for x in early["risks"]}["R3"] == {"likelihood": 1, "impact": 1}
    assert early["as_of"]["until"] == "2025-02-10T08:59:00Z" and early["as_of"]["events"] == 1


@pytest.mark.parametrize(
    ("at", "no_time"),
    [
        ("2026-13-45T99:99:99Z", True),
        ("yesterday", True),
        ("x" * 27, True),  # as long as riskcli's form, and not in it
        ("2025-13-45T99:99:99.000000Z", False),  # in riskcli's form: taken as written
    ],
)
def test_an_event_whose_time_is_edited_is_where_the_fold_puts_it_on_every_date(
    run, write, monkeypatch, at, no_time
) -> None:
    """A hand-edited time: the fold orders events by time, and --as-of keeps the events up to a date
    by the same order — so the current view is the view as of the last event's day. A time that is
    no time is before every other (and said so); one in riskcli's form is taken as written."""
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    path = Path(reg).with_name(Path(reg).stem + ".journal.jsonl")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace('"at":"2025-02-10T09:00:00.000000Z"', f'"at":"{at}"')  # the score of R3
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    now = run("-r", reg, "list", "--json")
    said = f"line 2: its time {at!r} is no time: the event is folded before every event that has one"
    assert (said in now.stderr) is no_time, now.stderr
    r3 = {x["id"]: x["current"]["cell"] for x in json.loads(now.stdout)["risks"]}["R3"]
    assert r3 == {"likelihood": 4, "impact": 4}
    for day in ("2025-01-10", "2025-03-10", "2026-12-31"):
        then = _json(run, "-r", reg, "list", "--as-of", day)
        scored = {x["id"]: x["current"]["cell"] for x in then["risks"]}["R3"] == r3
        assert scored is (no_time or day == "2026-12-31"), (day, then["as_of"])


def test_an_event_undone_later_is_in_force_on_a_date_before_the_undo(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    _at(monkeypatch, "2025-04-01T09:00:00.000000Z")
    assert run("-r", reg, "undo", "--why", "A2 was fine").exit_code == 0
    before = _json(run, "-r", reg, "assumptions", "--as-of", "2025-03-31")
    after = _json(run, "-r", reg, "assumptions", "--as-of", "2025-04-01")
    assert {a["id"]: a["belief"] for a in before["assumptions"]}["A2"] == 0.0
    assert {a["id"]: a["belief"] for a in after["assumptions"]}["A2"] == 0.8


def test_the_terminal_views_say_the_date_shown(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    r = run("-r", reg, "matrix", "--as-of", "2025-02-10")
    assert r.exit_code == 0
    assert "AS OF 2025-02-10 — the journal's 2 events recorded by then (of 3)" in r.stdout
    assert "with 2 journal events in force" in r.stdout
    piped = run("-r", reg, "list", "--as-of", "2025-02-10")
    assert "AS OF 2025-02-10 — the journal's 2 events recorded by then (of 3)" in piped.stderr
    assert "AS OF" not in piped.stdout  # the tab-separated lines stay data
    shown = run("-r", reg, "report", "--as-of", "2025-02-10")
    assert "> **AS OF 2025-02-10 — the journal's 2 events recorded by then (of 3)**" in shown.stdout


def test_history_as_of_lists_the_events_recorded_by_then(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    data = _json(run, "-r", reg, "history", "--as-of", "2025-02-10")
    assert [e["why"] for e in data["events"]] == ["supplier bankrupt", "new plant"]
    assert data["as_of"]["events"] == 2


def test_matrix_compare_a_date_marks_what_moved_since_then(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    data = _json(run, "-r", reg, "matrix", "--compare", "2025-02-10")
    ref = data["compare"]["from"]
    assert ref["kind"] == "as_of" and ref["as_of"]["date"] == "2025-02-10" and ref["as_of"]["events"] == 2
    assert [(m["risk"], [c["id"] for c in m["causes"]]) for m in data["compare"]["moves"]] == [("R2", ["A2"])]
    shown = run("-r", reg, "matrix", "--compare", "2025-02-10")
    assert "compared with 2025-02-10 (2 journal events)" in shown.stdout
    assert "Moves since 2025-02-10" in shown.stdout
    both = _json(run, "-r", reg, "compare", "2025-01-01", "2025-02-10")
    assert sorted(m["risk"] for m in both["moves"]) == ["R1", "R3"]


def test_a_date_as_of_and_a_compare_date_combine(run, write, monkeypatch) -> None:
    """Under --as-of, current is that date: a later compare date sees nothing after it."""
    reg = str(write(SUPPLY))
    _journal(run, reg, monkeypatch)
    data = _json(run, "-r", reg, "matrix", "--as-of", "2025-02-10", "--compare", "2025-01-31")
    assert [m["risk"] for m in data["compare"]["moves"]] == ["R3"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score", "R1", "-l", "3"), "score records to the journal now; --as-of is for read commands only"),
        (("assume", "A1", "holds"), "assume records to the journal now"),
        (("undo",), "undo records to the journal now"),
        (("validate",), "--as-of does not apply to validate"),
        (("journal", "verify"), "--as-of does not apply to journal verify"),
        (("export", "--format", "json"), "--as-of does not apply to export"),
    ],
)
def test_a_command_that_records_or_reads_no_state_refuses_as_of(run, write, args, message) -> None:
    reg = str(write(SUPPLY))
    r = run("-r", reg, *args, "--as-of", "2025-01-01")
    assert r.exit_code == 2 and message in r.stderr
    assert not Path(reg).with_suffix(".journal.jsonl").exists()


@pytest.mark.parametrize("text", ["2025-02-30", "soon", "31/01/2025"])
def test_a_date_riskcli_cannot_read_is_one_clear_error(run, write, text: str) -> None:
    r = run("-r", str(write(SUPPLY)), "matrix", "--as-of", text)
    assert r.exit_code == 2 and r.stderr.startswith("error: --as-of") and "Traceback" not in r.stderr


def test_events_recorded_against_another_version_of_the_register_are_said(run, write, monkeypatch) -> None:
    reg = write(SUPPLY)
    _journal(run, str(reg), monkeypatch)
    reg.write_text(SUPPLY + "  - {id: R4, title: Added later, likelihood: 2, impact: 2}\n", encoding="utf-8")
    r = run("-r", str(reg), "list", "--as-of", "2025-02-10", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["as_of"]["same_register"] is False
    assert "were recorded against another version of this register" in r.stderr


def test_parse_as_of_reads_a_date_as_the_whole_day() -> None:
    now = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    assert journal.parse_as_of("2025-01-31", now) == datetime(2025, 1, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert journal.parse_as_of("2025-01-31T10:00+02:00", now) == datetime(2025, 1, 31, 8, 0, tzinfo=UTC)
    assert journal.parse_as_of("yesterday", now) == datetime(2025, 5, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert journal.parse_as_of("30d", now) == datetime(2025, 5, 2, 12, 0, tzinfo=UTC)
    with pytest.raises(UserError, match="--as-of"):
        journal.parse_as_of("2025-13-01", now)
