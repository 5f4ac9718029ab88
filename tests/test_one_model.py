"""Every view reads one posterior: the point scores, explain, simulate (sampled and exact) and the
chances beside each rating agree on the embedded register, under every scenario and every what-if
of one assumption; evidence on a linked assumption moves the ones linked to it."""

from __future__ import annotations

import json

import pytest

from riskcli import register, scoring
from riskcli import simulate as sim
from riskcli.scoring import State

REG = register.load(None)
BASE = scoring.baseline_state(REG)


def _states() -> list[tuple[str, State]]:
    out = [("baseline", BASE)]
    out += [(f"--scenario {sc.id}", scoring.scenario_state(REG, BASE, sc.id)) for sc in REG.scenarios]
    for a in REG.assumptions:
        for value in ("holds", "fails"):
            state, _, _ = scoring.what_if(REG, BASE, [f"{a.id}={value}"])
            out.append((f"--what-if {a.id}={value}", state))
    return out


STATES = _states()


@pytest.mark.parametrize(("name", "state"), STATES, ids=[n for n, _ in STATES])
def test_the_point_view_is_the_expected_score_of_simulate_exact(name: str, state: State) -> None:
    """The point score (explain's unclamped sum) is the mean of the exact enumeration, and each
    risk's chances of each band (beside its rating in list, show and report) are simulate --exact's."""
    run = sim.simulate(REG, state, exact=True)
    assert run.exact
    for spread in run.spreads:
        e = scoring.explain(REG, spread.risk, state)
        assert spread.mean == pytest.approx((e.raw.likelihood, e.raw.impact), abs=1e-9), (name, spread.risk.id)
        assert spread.point == e.scored
        assert scoring.outlook(REG, state, spread.risk).bands == pytest.approx(spread.bands, abs=1e-9), (
            name,
            spread.risk.id,
        )


def test_simulate_exact_runs_on_the_embedded_register(run) -> None:
    """21 uncertain assumptions, enumerated one connected group at a time (the largest has 9)."""
    sizes = sim.exact_sizes(REG, BASE)
    assert sum(k for k, _ in sizes) == 21 and max(k for k, _ in sizes) == 9 and len(sizes) == 5
    result = run("simulate", "--exact", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["method"] == "exact" and data["seed"] is None
    assert data["trials"] == sum(1 << k for k, _ in sizes if k)
    assert sum(data["top_counts"]) == pytest.approx(1.0)


def _moved(before: dict, after: dict, key) -> set[str]:
    return {rid for rid in after if abs(key(after[rid]) - key(before[rid])) > 1e-9}


def test_a_what_if_on_a_parent_moves_the_same_risks_in_list_and_simulate(run) -> None:
    """--what-if A20=fails: A7 (given A20) and A14 (given A7) follow, so R12 moves and so do the
    risks on A7 and A14 — in the point view and the simulation alike."""

    def listed(*args: str) -> dict:
        return {r["id"]: r["current"] for r in json.loads(run("list", "--json", *args).stdout)["risks"]}

    def simulated(*args: str) -> dict:
        return {r["id"]: r["mean"] for r in json.loads(run("simulate", "--exact", "--json", *args).stdout)["risks"]}

    point = _moved(listed(), listed("--what-if", "A20=fails"), lambda s: s["likelihood"] * 10 + s["impact"])
    drawn = _moved(simulated(), simulated("--what-if", "A20=fails"), lambda s: s["likelihood"] * 10 + s["impact"])
    assert point == drawn == {"R5", "R7", "R8", "R12", "R14", "R18"}


def test_a_sighting_of_a_linked_assumption_moves_its_parent_and_explain_says_so(run) -> None:
    """I6 bears on A7 (given A20) and A8: seen, it moves A20 by Bayes' rule, and explain R12 names
    the sighting on A7 as what moved A20."""
    assert run("observe", "I6", "--why", "a Russian space delegation in Pyongyang").exit_code == 0
    beliefs = {a["id"]: a["belief"] for a in json.loads(run("assumptions", "--json").stdout)["assumptions"]}
    odds7 = 0.6 / 0.4 * 1.67
    assert beliefs["A7"] == pytest.approx(odds7 / (1 + odds7))
    up, down = 0.8 * (0.65 * 1.67 + 0.35), 0.2 * (0.4 * 1.67 + 0.6)
    assert beliefs["A20"] == pytest.approx(up / (up + down))
    data = json.loads(run("explain", "R12", "--json").stdout)
    a20 = next(c for c in data["contributions"] if c["ref"] == "A20")
    assert a20["belief_to"] == pytest.approx(up / (up + down))
    (found,) = a20["evidence"]
    assert found["on"] == "A7" and found["via"] == [{"child": "A7", "parent": "A20"}]
    assert found["observations"] == [{"indicator": "I6", "outcome": "seen", "count": 1, "ratio": 1.67}]
    text = run("explain", "R12", env={"COLUMNS": "200"}).stdout
    assert "A20 belief 0.80 → 0.82" in text and "I6 seen ×1.67 on A7 (via A7 given A20)" in text


def test_an_assume_on_a_linked_assumption_moves_the_risks_on_its_parent_and_child(run) -> None:
    """assume A7 holds: A20 rises by Bayes' rule (0.8 × 0.65 / 0.6) and A14 follows its link (0.85)."""
    result = run("assume", "A7", "holds", "--json", "--why", "treaty ratified")
    changes = {b["assumption"]: (b["from"], b["to"]) for b in json.loads(result.stdout)["beliefs"]}
    assert changes["A7"] == (pytest.approx(0.6), 1.0)
    assert changes["A20"][1] == pytest.approx(0.8 * 0.65 / 0.6)
    assert changes["A14"][1] == pytest.approx(0.85)
    moved = {m["risk"] for m in json.loads(result.stdout)["moves"]}
    assert "R12" in moved and "R8" in moved  # R12 rests on A20 too; R8's impact on A14


def test_the_likeliest_band_is_the_most_probable_one_not_the_rating_of_the_expected_levels(run) -> None:
    """R7 is rated High at its expected levels, but over the posterior Medium is likelier (0.40)."""
    data = json.loads(run("explain", "R7", "--json").stdout)
    assert data["current"]["rating"]["id"] == "high"
    assert data["chances"]["likeliest"]["id"] == "medium"
    assert data["chances"]["probability"] == pytest.approx(0.4)
    assert data["chances"]["top_band"]["id"] == "critical" and data["chances"]["top"] == pytest.approx(0.39)


COIN = """\
title: A coin
as_of: 2025-01-01
assumptions:
  - {id: A1, statement: The coin lands heads., belief: 0.5}
risks:
  - id: R1
    title: All or nothing
    likelihood: 3
    impact: 3
    drivers:
      - {assumption: A1, if_holds: {likelihood: 2}, if_fails: {likelihood: -2}}
"""


def test_of_two_bands_equally_likely_the_higher_is_the_likeliest(run, write) -> None:
    """Heads: Almost certain (Critical); tails: Rare (Low); the expected levels are rated Medium,
    which no draw gives."""
    data = json.loads(run("explain", "R1", "--json", "-r", str(write(COIN))).stdout)
    assert data["current"]["rating"]["id"] == "medium"
    assert data["chances"]["likeliest"]["id"] == "critical" and data["chances"]["probability"] == pytest.approx(0.5)
