"""calibration: the judgements of resolved items scored against what happened, by hand-computed values."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from riskcli import calibration
from riskcli.journal import appending

CAL = """\
format: 2
id: cal
as_of: 2025-01-01
assumptions:
  - {id: A1, statement: Supplier delivers., belief: 0.8}
  - {id: A2, statement: Prices stay flat., belief: 0.3}
risks:
  - {id: R1, title: Production stops, likelihood: 4, impact: 4}
  - {id: R2, title: Budget overrun, likelihood: 2, impact: 3}
  - {id: R3, title: Key staff leave, likelihood: 1, impact: 2}
indicators:
  - id: I1
    title: Late shipments
    bears_on: [{assumption: A1, seen: 4}, {assumption: A2, seen: 4}]
"""


def _json(run, *args: str) -> dict[str, Any]:
    r = run(*args, "--json")
    assert r.exit_code == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    return data


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(appending, "now_utc", lambda: when + "T09:00:00.000000Z")


def _record(run, reg: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Baseline on 2025-01-01; I1 seen on 1 Feb; alice scores R1 Unlikely and sets A1 to 0.9 on
    2 Mar; R1 did not occur (1 Apr), R2 occurred (1 Jun), A1 held and A2 failed (1 Jul)."""
    _at(monkeypatch, "2025-02-01")
    assert run("-r", reg, "observe", "I1", "--why", "two late").exit_code == 0
    _at(monkeypatch, "2025-03-02")
    assert run("-r", reg, "--analyst", "alice", "score", "R1", "-l", "2", "-i", "4").exit_code == 0
    assert run("-r", reg, "--analyst", "alice", "assume", "A1", "0.9").exit_code == 0
    _at(monkeypatch, "2025-07-05")
    for item, outcome, on in (
        ("R1", "did-not-occur", "2025-04-01"),
        ("R2", "occurred", "2025-06-01"),
        ("A1", "held", "2025-07-01"),
        ("A2", "failed", "2025-07-01"),
    ):
        assert run("-r", reg, "resolve", item, outcome, "--on", on).exit_code == 0


# R1 (did not occur): Likely (55–80%, midpoint 0.675) for the 60 days from 1 Jan to 2 Mar, then
# alice's Unlikely (5–20%, 0.125) for the 30 days to 1 Apr.
R1_BRIER = (60 * 0.675**2 + 30 * 0.125**2) / 90  # 0.308958…
R1_LOG = (60 * -math.log(0.325) + 30 * -math.log(0.875)) / 90
R2_BRIER = 0.875**2  # Unlikely (0.125) throughout; it occurred
A1_BRIER = (60 * 0.2**2 + 121 * 0.1**2) / 181  # 0.8 for 60 days, then alice's 0.9 for 121; it held
A2_BRIER = 0.3**2  # 0.3 throughout; it failed


def test_each_forecaster_is_scored_by_hand_computed_values(run, write, monkeypatch) -> None:
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    data = _json(run, "-r", reg, "calibration")
    assert data["schema"] == "riskcli/calibration/1" and data["levels_at"] == "midpoint"
    assert data["resolved"] == 4 and data["base_rates"] == {"risk": 0.5, "assumption": 0.5}
    by = {f["forecaster"]: f for f in data["forecasters"]}
    assert list(by) == ["overall", "baseline", "base rate", "alice"]
    overall = by["overall"]
    assert (overall["items"], overall["judgements"]) == (4, 6)
    assert overall["brier"] == pytest.approx((R1_BRIER + R2_BRIER + A1_BRIER + A2_BRIER) / 4, abs=1e-9)
    assert by["baseline"]["brier"] == pytest.approx((0.675**2 + 0.875**2 + 0.2**2 + 0.3**2) / 4, abs=1e-9)
    assert by["base rate"]["brier"] == pytest.approx(0.25) and by["base rate"]["log"] == pytest.approx(math.log(2))
    assert (by["alice"]["items"], by["alice"]["brier"]) == (2, pytest.approx((0.125**2 + 0.1**2) / 2, abs=1e-9))
    items = {x["id"]: x for x in data["items"]}
    assert list(items) == ["R1", "R2", "A1", "A2"]  # register order, risks first
    assert items["R1"]["brier"] == pytest.approx(R1_BRIER, abs=1e-9)
    assert items["R1"]["log"] == pytest.approx(R1_LOG, abs=1e-9)
    assert items["R1"]["baseline_brier"] == pytest.approx(0.675**2, abs=1e-9)
    assert items["A1"]["brier"] == pytest.approx(A1_BRIER, abs=1e-9) and items["A1"]["judgements"] == 2


def test_lead_times_take_the_judgement_in_force_then(run, write, monkeypatch) -> None:
    """30 days before R1's resolution (2 Mar) alice's Unlikely was in force; 90 days before (1 Jan),
    the baseline; 180 days before, nothing yet — so that lead counts R1 in no one's score."""
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    by = {f["forecaster"]: f for f in _json(run, "-r", reg, "calibration")["forecasters"]}
    leads = {x["days"]: x for x in by["alice"]["leads"]}
    assert (leads[30]["items"], leads[30]["brier"]) == (2, pytest.approx((0.125**2 + 0.1**2) / 2, abs=1e-9))
    assert (leads[90]["items"], leads[90]["brier"]) == (1, pytest.approx(0.01))  # A1 on 2 Apr: alice's 0.9
    overall = {x["days"]: x for x in by["overall"]["leads"]}
    assert overall[30]["brier"] == pytest.approx((0.125**2 + 0.875**2 + 0.1**2 + 0.3**2) / 4, abs=1e-9)
    assert overall[90]["brier"] == pytest.approx((0.675**2 + 0.875**2 + 0.1**2 + 0.3**2) / 4, abs=1e-9)
    assert overall[180]["items"] == 2  # A1 and A2, judged on 1 Jan: 181 days before 1 Jul


def test_the_reliability_table_counts_each_band(run, write, monkeypatch) -> None:
    """At resolution: R1 0.125 and R2 0.125 (Unlikely; one came true), A2 0.3 (Possible; failed),
    A1 0.9 (Almost certain; held)."""
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    rows = {r["level"]: r for r in _json(run, "-r", reg, "calibration")["reliability"]}
    assert [(r["count"], r["came_true"]) for r in rows.values()] == [(0, 0), (2, 1), (1, 0), (0, 0), (1, 1)]
    two = rows[2]
    assert (two["name"], two["low"], two["high"], two["mean_forecast"], two["observed"]) == (
        "Unlikely", 0.05, 0.2, 0.125, 0.5,
    )  # fmt: skip
    assert two["interval"] == pytest.approx([0.0945, 0.9055], abs=1e-4)  # Wilson, 1 of 2
    assert rows[1]["observed"] is None and rows[1]["interval"] is None


def test_the_signposts_are_checked_against_the_outcomes(run, write, monkeypatch) -> None:
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    data = _json(run, "-r", reg, "calibration")
    rows = [(s["indicator"], s["assumption"], s["outcome"], s["seen"], s["claimed_seen"]) for s in data["signposts"]]
    assert rows == [("I1", "A1", "held", 1, 4.0), ("I1", "A2", "failed", 1, 4.0)]
    (summary,) = data["signpost_summaries"]
    assert (summary["held"], summary["held_seen"], summary["failed"], summary["failed_seen"]) == (1, 1, 1, 1)
    assert summary["observed_ratio"] == 1.0


def test_calibration_on_a_terminal(run, write, monkeypatch) -> None:
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    shown = run("-r", reg, "calibration", env={"TTY_COMPATIBLE": "1", "COLUMNS": "130", "NO_COLOR": "1"})
    assert shown.exit_code == 0, shown.stderr
    text = shown.stdout
    assert "4 resolved; came true: risks 50%, assumptions 50%" in text
    assert "Likelihood levels are scored at the midpoint of their probability band" in shown.stderr
    assert "I1: seen on 1 of 1 that held, 1 of 1 that failed; observed ratio 1.00" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("overall"))
    assert line.split()[1:5] == ["4", "6", f"{(R1_BRIER + R2_BRIER + A1_BRIER + A2_BRIER) / 4:.3f}", line.split()[4]]


def test_nothing_resolved_says_how_to_resolve(run, write) -> None:
    reg = str(write(CAL))
    r = run("-r", reg, "calibration")
    assert r.exit_code == 0 and "nothing is resolved yet: riskcli resolve ID OUTCOME" in r.stderr
    assert _json(run, "-r", reg, "calibration")["forecasters"] == []


def test_calibration_as_of_a_date_scores_what_was_resolved_by_then(run, write, monkeypatch) -> None:
    reg = str(write(CAL))
    _record(run, reg, monkeypatch)
    """A resolution counts from the day it happened, though recorded on 5 Jul."""
    assert _json(run, "-r", reg, "calibration", "--as-of", "2025-03-31")["items"] == []
    data = _json(run, "-r", reg, "calibration", "--as-of", "2025-05-01")
    assert [x["id"] for x in data["items"]] == ["R1"]
    assert data["items"][0]["brier"] == pytest.approx(R1_BRIER, abs=1e-9)


def test_scores_and_the_wilson_interval() -> None:
    assert calibration.brier(0.7, 1) == pytest.approx(0.09)
    assert calibration.brier(0.7, 0) == pytest.approx(0.49)
    assert calibration.log_score(0.5, 1) == pytest.approx(math.log(2))
    assert calibration.log_score(1.0, 0) == pytest.approx(-math.log(0.001))  # bounded, not infinite
    assert calibration.log_score(0.0, 0) == pytest.approx(-math.log(0.999))
    assert calibration.wilson(0, 10) == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert calibration.wilson(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)
    with pytest.raises(ValueError):
        calibration.wilson(0, 0)
