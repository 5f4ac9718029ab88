"""resolve: what happened to a risk or an assumption, recorded in the journal and undoable; a
resolved risk leaves the live views, a resolved assumption is hard evidence."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SUPPLY

from riskcli import journal, register
from riskcli.journal import appending
from riskcli.model import RegisterError, Resolution, Resolvable


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(appending, "now_utc", lambda: when)


def _json(run, *args: str) -> dict[str, Any]:
    r = run(*args, "--json")
    assert r.exit_code == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    return data


def _cells(matrix: dict[str, Any]) -> dict[str, list[int]]:
    return {rid: [c["likelihood"], c["impact"]] for c in matrix["cells"] for rid in c["risks"]}


def test_a_resolved_risk_leaves_the_live_matrix_and_the_ranking(run, write) -> None:
    reg = str(write(SUPPLY))
    r = run("-r", reg, "resolve", "R2", "occurred", "--on", "2025-03-01", "--source", "Reuters", "--why", "overran")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("R2 occurred on 2025-03-01 (Reuters): Budget overrun\n")
    assert "it leaves the live matrix and enters the track record" in r.stdout
    matrix = _json(run, "-r", reg, "matrix")
    assert set(_cells(matrix)) == {"R1", "R3"}
    assert sum(b["count"] for b in matrix["bands"]) == 2
    (gone,) = matrix["resolved"]
    assert (gone["kind"], gone["id"], gone["outcome"], gone["on"], gone["source"], gone["why"]) == (
        "risk", "R2", "occurred", "2025-03-01", "Reuters", "overran",
    )  # fmt: skip
    ranked = _json(run, "-r", reg, "list")
    assert [x["id"] for x in ranked["risks"]] == ["R1", "R3"] and ranked["count"] == 2
    assert [x["id"] for x in ranked["resolved"]] == ["R2"]
    shown = run("-r", reg, "matrix")
    assert "Resolved, out of the live view (1): R2 occurred on 2025-03-01." in shown.stdout
    piped = run("-r", reg, "list")
    assert "\tR2\t" not in piped.stdout and "R2 occurred on 2025-03-01" in piped.stderr
    detail = _json(run, "-r", reg, "show", "R2")["risk"]["resolved"]
    assert detail["outcome"] == "occurred" and detail["by"] == "tester"


def test_every_view_of_live_risks_leaves_a_resolved_risk_out_and_names_it(run, write) -> None:
    """One rule (outcomes.live) in every view that speaks of live risks: matrix, list, list --owner,
    check, owners and export's matrix leave R2 out, and each names it apart."""
    reg = str(write(SUPPLY.replace("    title: Budget overrun\n", "    title: Budget overrun\n    owner: finance\n")))
    assert run("-r", reg, "resolve", "R2", "occurred", "--on", "2025-03-01").exit_code == 0
    matrix = _json(run, "-r", reg, "matrix")
    listed = _json(run, "-r", reg, "list")
    owned = _json(run, "-r", reg, "list", "--owner", "finance")
    checked = json.loads(run("-r", reg, "check", "--json").stdout)
    owners = _json(run, "-r", reg, "owners")
    exported = json.loads(run("-r", reg, "export", "--format", "json").stdout)
    assert set(_cells(matrix)) == set(_cells(exported["matrix"])) == {"R1", "R3"}
    assert [x["id"] for x in listed["risks"]] == ["R1", "R3"] and owned["risks"] == []
    assert checked["risks"] == 2 and not any(f["subject"] == "R2" for f in checked["findings"])
    assert [o["owner"] for o in owners["owners"]] == [None]  # finance owns nothing live
    assert "R2" not in owners["owners"][0]["risks"]
    for view in (matrix, listed, owned, checked, owners):
        assert [x["id"] for x in view["resolved"]] == ["R2"]
    assert {r["id"]: r["resolution"] and r["resolution"]["outcome"] for r in exported["risks"]} == {
        "R1": None,
        "R2": "occurred",
        "R3": None,
    }


def test_resolve_then_undo_restores_the_live_matrix(run, write) -> None:
    reg = str(write(SUPPLY))
    assert run("-r", reg, "assume", "A2", "0.6").exit_code == 0
    before = _json(run, "-r", reg, "matrix")
    assert run("-r", reg, "resolve", "R1", "did-not-occur").exit_code == 0
    assert _json(run, "-r", reg, "matrix") != before
    undone = run("-r", reg, "undo", "--why", "too early")
    assert undone.exit_code == 0 and "R1 did not occur" in undone.stdout
    assert _json(run, "-r", reg, "matrix") == before
    assert run("-r", reg, "resolve", "R1", "occurred").exit_code == 0  # resolvable again once undone


def test_a_resolved_assumption_re_scores_its_risks(run, write) -> None:
    """A1 (belief 0.5) failed: R1's driver (if fails L +1, if holds L −1) moves it from L 3 to L 4."""
    reg = str(write(SUPPLY))
    done = _json(run, "-r", reg, "resolve", "A1", "failed", "--on", "2025-02-01")
    assert done["schema"] == "riskcli/resolve/2"
    assert [(b["assumption"], b["from"], b["to"]) for b in done["beliefs"]] == [("A1", 0.5, 0.0)]
    assert [(m["risk"], m["from"]["likelihood"], m["to"]["likelihood"]) for m in done["moves"]] == [("R1", 3, 4)]
    assert _cells(_json(run, "-r", reg, "matrix"))["R1"] == [4, 4]  # R1 stays live: only its assumption resolved
    kac = {a["id"]: a for a in _json(run, "-r", reg, "assumptions")["assumptions"]}
    assert kac["A1"]["belief"] == 0.0 and kac["A1"]["resolved"]["outcome"] == "failed"
    assert kac["A1"]["impact_if_wrong"] is None  # a fact is not wrong
    why = _json(run, "-r", reg, "explain", "R1")["contributions"][0]["evidence"][0]["set"]
    assert why["by"] == "resolved" and why["value"] == 0.0


def test_a_resolution_outweighs_a_belief_in_any_order(run, write, tmp_path: Path) -> None:
    """A belief set on a resolved assumption moves nothing, before the resolution or after it (two
    analysts' journals merged): the same state either way."""
    reg = register.load(write(SUPPLY))

    def ev(n: int, kind: str, at: str, **data: Any) -> Any:
        return journal.event_from({"v": 1, "id": f"e{n}", "at": at, "by": "al", "kind": kind, **data}, n, "j")

    belief = ev(1, "belief", "2025-03-01T00:00:00Z", assumption="A1", belief=0.9)
    fact = ev(2, "resolve", "2025-02-01T00:00:00Z", assumption="A1", outcome="failed", on="2025-02-01")
    for order in ([belief, fact], [fact, belief]):
        state = journal.replay(reg, order).state
        assert state.beliefs["A1"] == 0.0
        assert state.resolutions[(Resolvable.ASSUMPTION, "A1")].outcome is Resolution.FAILED


def test_one_item_resolved_twice_keeps_the_latest_recorded_in_any_order(write) -> None:
    reg = register.load(write(SUPPLY))
    early = journal.event_from(
        {"v": 1, "id": "a", "at": "2025-02-01T00:00:00Z", "by": "al", "kind": "resolve", "assumption": "A1",
         "outcome": "held", "on": "2025-01-31"}, 1, "j",
    )  # fmt: skip
    late = journal.event_from(
        {"v": 1, "id": "b", "at": "2025-03-01T00:00:00Z", "by": "bo", "kind": "resolve", "assumption": "A1",
         "outcome": "failed", "on": "2025-02-20"}, 2, "j",
    )  # fmt: skip
    for order in ([early, late], [late, early]):
        state = journal.replay(reg, order).state
        assert state.resolutions[(Resolvable.ASSUMPTION, "A1")].id == "b"
        assert state.beliefs["A1"] == 0.0


def test_the_latest_resolution_is_the_latest_moment_whatever_offset_its_time_is_written_with(write) -> None:
    """Times written with an offset (a journal edited by hand) are ordered by the moment they stand
    for, as the fold orders them, never by their text: 10:00+02:00 is before 09:00Z."""
    reg = register.load(write(SUPPLY))
    offset = journal.event_from(
        {"v": 1, "id": "b", "at": "2025-03-01T10:00:00+02:00", "by": "al", "kind": "resolve", "assumption": "A1",
         "outcome": "held", "on": "2025-02-28"}, 1, "j",
    )  # fmt: skip
    utc = journal.event_from(
        {"v": 1, "id": "a", "at": "2025-03-01T09:00:00Z", "by": "bo", "kind": "resolve", "assumption": "A1",
         "outcome": "failed", "on": "2025-02-28"}, 2, "j",
    )  # fmt: skip
    for order in ([offset, utc], [utc, offset]):
        state = journal.replay(reg, order).state
        assert state.resolutions[(Resolvable.ASSUMPTION, "A1")].id == "a"
        assert state.beliefs["A1"] == 0.0


def test_a_resolved_item_takes_no_judgement_and_no_second_resolution(run, write) -> None:
    reg = str(write(SUPPLY))
    assert run("-r", reg, "resolve", "A1", "held").exit_code == 0
    assert run("-r", reg, "resolve", "R1", "occurred").exit_code == 0
    again = run("-r", reg, "resolve", "A1", "failed")
    assert again.exit_code == 2 and "A1 is resolved already: held" in again.stderr and "riskcli undo" in again.stderr
    belief = run("-r", reg, "assume", "A1", "0.2")
    assert belief.exit_code == 2 and "A1 is resolved (held" in belief.stderr and "takes no belief" in belief.stderr
    score = run("-r", reg, "score", "R1", "-l", "2")
    assert score.exit_code == 2 and "R1 is resolved (occurred" in score.stderr and "takes no score" in score.stderr
    lines = Path(reg).with_suffix(".journal.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("A1", "occurred"), "A1 is an assumption: it is resolved held or failed, not occurred"),
        (("R1", "held"), "R1 is a risk: it is resolved occurred or did-not-occur, not held"),
        (("R9", "occurred"), "unknown risk 'R9'"),
        (("R1", "happened"), "give occurred or did-not-occur (a risk), held or failed (an assumption)"),
        (("R1", "occurred", "--on", "2999-01-01"), "is after today"),
        (("R1", "occurred", "--on", "March"), "--on 'March' is not a date"),
        (("R1", "occurred", "--source", " "), "--source ' ': give one line of text"),
    ],
)
def test_a_resolution_riskcli_cannot_record_is_one_clear_error(run, write, args, message) -> None:
    reg = str(write(SUPPLY))
    r = run("-r", reg, "resolve", *args)
    assert r.exit_code == 2 and message in r.stderr and "Traceback" not in r.stderr
    assert not Path(reg).with_suffix(".journal.jsonl").exists()


def test_an_outcome_is_read_in_any_case_and_with_spaces(run, write) -> None:
    reg = str(write(SUPPLY))
    assert run("-r", reg, "resolve", "r1", "Did Not Occur", "--on", "2025-06-30").exit_code == 0
    (gone,) = _json(run, "-r", reg, "matrix")["resolved"]
    assert (gone["id"], gone["outcome"]) == ("R1", "did-not-occur")


def test_history_shows_a_resolution(run, write) -> None:
    reg = str(write(SUPPLY))
    assert run("-r", reg, "resolve", "R3", "occurred", "--on", "2025-03-01", "--source", "ops log").exit_code == 0
    assert run("-r", reg, "resolve", "A2", "held", "--on", "2025-06-30").exit_code == 0
    piped = run("-r", reg, "history").stdout.splitlines()
    assert "\tresolve\tR3 occurred on 2025-03-01 (ops log)\t" in piped[1]
    assert "\tresolve\tA2 held (settled 2025-06-30)\t" in piped[2]
    events = _json(run, "-r", reg, "history")["events"]
    assert (events[0]["kind"], events[0]["risk"], events[0]["assumption"]) == ("resolve", "R3", None)
    assert run("-r", reg, "history", "--risk", "R3").stdout.count("resolve") == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"risk": "R1", "outcome": "maybe", "on": "2025-01-01"}, "'outcome' must be one of"),
        ({"risk": "R1", "outcome": "occurred", "on": "soon"}, "'on' is not a date"),
        ({"assumption": "A1", "outcome": "occurred", "on": "2025-01-01"}, "'risk' must name the risk"),
        ({"risk": "R1", "assumption": "A1", "outcome": "held", "on": "2025-01-01"}, "'assumption' must name"),
        ({"risk": "R1", "outcome": "occurred"}, "'on' is missing"),
    ],
)
def test_a_resolve_line_riskcli_did_not_write_is_refused_with_its_line(fields, message) -> None:
    with pytest.raises(RegisterError, match=message) as e:
        journal.event_from(
            {"v": 1, "id": "x", "at": "2025-01-01T00:00:00Z", "by": "al", "kind": "resolve", **fields}, 7, "j"
        )
    assert e.value.problems[0].line == 7


def test_as_of_counts_a_resolution_from_the_day_it_happened_unless_it_was_undone(run, write, monkeypatch) -> None:
    """A resolution is a fact with a date: as of a day after it happened it counts, even recorded
    later; one undone since was a mistake, on every date."""
    reg = str(write(SUPPLY))
    _at(monkeypatch, "2025-04-01T09:00:00.000000Z")
    assert run("-r", reg, "resolve", "R2", "occurred", "--on", "2025-03-01").exit_code == 0
    _at(monkeypatch, "2025-04-01T10:00:00.000000Z")  # later: the event undo takes back
    assert run("-r", reg, "resolve", "R1", "occurred", "--on", "2025-03-01").exit_code == 0
    _at(monkeypatch, "2025-05-01T09:00:00.000000Z")
    assert run("-r", reg, "undo", "--why", "R1 did not happen after all").exit_code == 0
    then = _json(run, "-r", reg, "matrix", "--as-of", "2025-03-15")
    assert [x["id"] for x in then["resolved"]] == ["R2"]
    assert set(_cells(then)) == {"R1", "R3"}
    assert _json(run, "-r", reg, "matrix", "--as-of", "2025-02-28")["resolved"] == []
