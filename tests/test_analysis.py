"""Analysis an analyst would sign: signposts as evidence (Bayes' rule in odds form), confidence
beside likelihood, support beside belief, and coherence warnings with ids a register can acknowledge."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli import scoring
from riskcli.model import Bearing, BeliefUpdate, Indicator
from riskcli.scoring import Outcome, sighted

SIGNPOSTS = """\
title: Signposts
as_of: 2025-01-01
assumptions:
  - {id: A1, statement: Escalation continues., belief: 0.5}
  - {id: A2, statement: Talks resume., belief: 0.2}
risks:
  - id: R1
    title: Wider war
    likelihood: 3
    impact: 4
    drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}]
  - {id: R2, title: Unlinked, likelihood: 1, impact: 1}
indicators:
  - id: I1
    title: Escalation seen
    bears_on: [{assumption: A1, seen: 3, absent: 0.5}]
  - id: I2
    title: Envoys meet
    bears_on: [{assumption: A2, seen: 4}]
  - id: I3
    title: Old style
    updates: [{assumption: A2, belief: 0.9}]
"""


@pytest.fixture
def reg(write) -> str:
    return str(write(SIGNPOSTS))


def _beliefs(run, reg: str) -> dict[str, float]:
    data = json.loads(run("assumptions", "--json", "--register", reg).stdout)
    return {a["id"]: a["belief"] for a in data["assumptions"]}


# --------------------------------------------------------------------------- Bayes


@pytest.mark.parametrize(
    ("belief", "ratio", "after"),
    [
        (0.5, 3, 0.75),  # odds 1 → 3
        (0.2, 4, 0.5),  # odds 1/4 → 1
        (0.9, 0.5, 9 / 11 * 0.5 / (9 / 11 * 0.5 + 1 / 11)),  # odds 9 → 4.5
        (0.5, 0.5, 1 / 3),  # odds 1 → 1/2
    ],
)
def test_a_sighting_multiplies_the_odds_by_its_ratio(belief: float, ratio: float, after: float) -> None:
    assert sighted(belief, ratio) == pytest.approx(after)


def test_a_belief_fixed_at_0_or_1_stays() -> None:
    assert sighted(0.0, 1000) == 0.0 and sighted(1.0, 0.001) == 1.0


def test_observe_seen_absent_and_compounding_against_hand_computed_odds(run, reg) -> None:
    assert run("observe", "I1", "--register", reg).exit_code == 0  # 0.5 → 0.75
    assert _beliefs(run, reg)["A1"] == pytest.approx(0.75)
    assert run("observe", "I1", "seen", "--register", reg).exit_code == 0  # odds 3 → 9
    assert _beliefs(run, reg)["A1"] == pytest.approx(0.9)
    assert run("observe", "I1", "absent", "--register", reg).exit_code == 0  # odds 9 → 4.5
    assert _beliefs(run, reg)["A1"] == pytest.approx(4.5 / 5.5)


def test_the_order_of_observations_does_not_matter() -> None:
    ind = Indicator("I", "t", bears_on=(Bearing("A1", 3.0, 0.5),))
    one = scoring.observation(ind, {"A1": 0.3}, Outcome.SEEN)
    one = scoring.observation(ind, one, Outcome.ABSENT)
    two = scoring.observation(ind, {"A1": 0.3}, Outcome.ABSENT)
    two = scoring.observation(ind, two, Outcome.SEEN)
    assert one["A1"] == pytest.approx(two["A1"])


def test_escalation_seen_after_a_high_belief_moves_it_up_never_down(run, reg) -> None:
    """The case that overwrote: A9 set to 0.9 by hand, then I1 (escalation) seen, lowered it to
    the indicator's preset 0.675. As evidence, a sighting can only move the belief its own way."""
    assert run("assume", "A1", "0.9", "--register", reg).exit_code == 0
    assert run("observe", "I1", "--register", reg).exit_code == 0
    assert _beliefs(run, reg)["A1"] > 0.9


@settings(max_examples=150, deadline=None)
@given(
    start=st.floats(0.001, 0.999),
    ratios=st.lists(st.floats(0.001, 1000), min_size=1, max_size=30),
)
def test_any_sequence_of_sightings_stays_inside_0_1_and_moves_its_own_way(start: float, ratios: list[float]) -> None:
    b = start
    for ratio in ratios:
        after = sighted(b, ratio)
        assert 0.0 < after < 1.0
        if ratio > 1:
            assert after >= b
        elif ratio < 1:
            assert after <= b
        b = after


def test_review_with_nothing_seen_moves_nothing_and_restarts_the_clock(run, reg) -> None:
    before = _beliefs(run, reg)
    assert run("observe", "I1", "--none", "--register", reg).exit_code == 0
    assert _beliefs(run, reg) == before
    ind = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"][0]
    assert ind["overdue"] is False and ind["last_observed"] is not None


def test_a_format_1_indicator_sets_as_before_and_knows_no_absent(run, reg) -> None:
    assert run("observe", "I3", "--register", reg).exit_code == 0
    assert _beliefs(run, reg)["A2"] == 0.9
    refused = run("observe", "I3", "absent", "--register", reg)
    assert refused.exit_code == 2 and "gives no ratio for 'absent'" in refused.stderr


def test_indicators_show_how_far_a_sighting_would_move_each_belief_from_now(run, reg) -> None:
    data = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"]
    i1 = data[0]
    assert i1["form"] == "evidence"
    (b,) = i1["bears_on"]
    assert (b["assumption"], b["belief"], b["seen_ratio"], b["absent_ratio"], b["direction"]) == (
        "A1",
        0.5,
        3,
        0.5,
        "up",
    )
    assert b["if_seen"] == pytest.approx(0.75) and b["if_absent"] == pytest.approx(1 / 3)
    run("assume", "A1", "0.9", "--register", reg)
    b = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"][0]["bears_on"][0]
    assert b["belief"] == 0.9 and b["if_seen"] > 0.9  # measured from where it stands now
    table = run("indicators", "--register", reg, env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "140"}).stdout
    lines = table.splitlines()
    at = next(i for i, line in enumerate(lines) if "A1 0.90: seen ↑0.96" in line)
    assert lines[at + 1].index("absent ↓0.82") == lines[at].index("seen ↑0.96")  # the absence under the sighting


def test_what_if_observes_a_signpost_seen_or_absent(run, reg) -> None:
    seen = json.loads(run("assumptions", "--json", "--what-if", "I1", "--register", reg).stdout)
    absent = json.loads(run("assumptions", "--json", "--what-if", "I1=absent", "--register", reg).stdout)
    assert seen["assumptions"][0]["belief"] == pytest.approx(0.75)
    assert absent["assumptions"][0]["belief"] == pytest.approx(1 / 3)


@pytest.mark.parametrize(
    ("bearing", "message"),
    [
        ("{assumption: A1, seen: 3, absent: 2}", "points the same way as seen"),
        ("{assumption: A1, seen: 1}", "seen = 1 tells nothing about A1"),
        ("{assumption: A1, seen: 0}", "is not a likelihood ratio from 0.001 to 1000"),
        ("{assumption: A9, seen: 2}", "unknown assumption 'A9'"),
    ],
)
def test_bad_ratios_are_located_errors(run, write, bearing: str, message: str) -> None:
    text = SIGNPOSTS.replace("bears_on: [{assumption: A1, seen: 3, absent: 0.5}]", f"bears_on: [{bearing}]")
    result = run("validate", str(write(text)))
    assert result.exit_code == 2 and message in result.stderr and "reg.yaml:16:" in result.stderr


def test_an_indicator_cannot_both_set_and_be_evidence(run, write) -> None:
    text = SIGNPOSTS.replace(
        "    updates: [{assumption: A2, belief: 0.9}]",
        "    updates: [{assumption: A2, belief: 0.9}]\n    bears_on: [{assumption: A2, seen: 2}]",
    )
    result = run("validate", str(write(text)))
    assert result.exit_code == 2 and "give updates (a sighting sets beliefs) or bears_on" in result.stderr


def test_observation_of_a_format_1_indicator_in_the_core() -> None:
    ind = Indicator("I", "t", updates=(BeliefUpdate("A1", 0.2),))
    assert scoring.observation(ind, {"A1": 0.9}, Outcome.SEEN) == {"A1": 0.2}
    assert scoring.observation(ind, {"A1": 0.9}, Outcome.NONE) == {}


# --------------------------------------------------------------------------- confidence and support


def test_score_confidence_is_kept_and_shown(run, reg, tmp_path) -> None:
    result = run("score", "R1", "-l", "4", "-i", "4", "--confidence", "high", "--register", reg)
    assert result.exit_code == 0, result.stderr
    event = json.loads((tmp_path / "reg.journal.jsonl").read_text().splitlines()[0])
    assert event["confidence"] == "high"
    row = json.loads(run("list", "--json", "--register", reg).stdout)["risks"][0]
    assert (row["id"], row["confidence"]) == ("R1", "high")
    show = run("show", "R1", "--register", reg, env={"COLUMNS": "120"}).stdout
    assert "high (the analyst's; ICD 203 analytic confidence)" in show
    assert "(confidence: high)" in run("explain", "R1", "--register", reg, env={"COLUMNS": "120"}).stdout
    bad = run("score", "R1", "-l", "4", "-c", "sure", "--register", reg)
    assert bad.exit_code == 2 and "give low, moderate or high" in bad.stderr


def test_support_is_shown_beside_belief_stated_or_derived(run, write) -> None:
    text = SIGNPOSTS.replace(
        "{id: A1, statement: Escalation continues., belief: 0.5}",
        "{id: A1, statement: Escalation continues., belief: 0.5, support: solid}",
    )
    path = str(write(text))
    data = json.loads(run("assumptions", "--json", "--register", path).stdout)["assumptions"]
    assert [(a["id"], a["belief"], a["support"], a["support_derived"]) for a in data] == [
        ("A1", 0.5, "solid", False),  # a 50/50 uncertainty can rest on solid evidence
        ("A2", 0.2, "unsupported", True),
    ]
    table = run("assumptions", "--register", path, env={"TTY_COMPATIBLE": "1", "NO_COLOR": "1", "COLUMNS": "120"})
    assert "unsupported*" in table.stdout and "* = derived from the belief" in table.stderr


def test_a_support_outside_the_labels_is_a_located_error(run, write) -> None:
    text = SIGNPOSTS.replace("belief: 0.2}", "belief: 0.2, support: strong}")
    result = run("validate", str(write(text)))
    assert result.exit_code == 2 and "support 'strong' is not one of solid, caveated, unsupported" in result.stderr


# --------------------------------------------------------------------------- coherence


COHERENT = """\
assumptions:
  - {id: A1, statement: Supplier delivers on time., belief: 0.5}
  - {id: A2, statement: Prices stay flat., belief: 0.5}
risks:
  - id: R1
    title: Production stops for lack of parts
    likelihood: 3
    impact: 3
    drivers: [{assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]
  - id: R2
    title: Budget overrun
    likelihood: 3
    impact: 3
    drivers: [{assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 1}}]
  - {id: R3, title: Flood, likelihood: 2, impact: 2}
  - {id: R4, title: Fire, likelihood: 2, impact: 2}
"""


def _warnings(run, write, text: str) -> list[str]:
    data = json.loads(run("validate", "--json", str(write(text))).stdout)
    return [f["id"] for f in data["findings"] if not f["acknowledged"]]


def test_a_coherent_register_has_no_warning(run, write) -> None:
    assert _warnings(run, write, COHERENT) == []


@pytest.mark.parametrize(
    ("change", "warning"),
    [
        (("likelihood: 3\n    impact: 3\n    drivers: [{assumption: A1", "likelihood: 5\n    impact: 3\n    drivers: [{assumption: A1"), "W-clamp-R1-likelihood"),
        (("title: Production stops for lack of parts", "title: Supplier delivers on time"), "W-restates-R1-A1"),
        (("if_holds: {impact: -1}, if_fails: {impact: 1}", "if_holds: {impact: 1}, if_fails: {impact: 1}"), "W-same-sign-R2-A2-impact"),
        (("belief: 0.5}\n  - {id: A2, statement: Prices stay flat., belief: 0.5}", "belief: 0.5, excludes: [A2]}\n  - {id: A2, statement: Prices stay flat., belief: 0.7}"), "W-excludes-A1-A2"),
    ],
)  # fmt: skip
def test_each_warning_has_a_register_that_triggers_it(run, write, change, warning) -> None:
    old, new = change
    assert old in COHERENT
    assert warning in _warnings(run, write, COHERENT.replace(old, new))


def test_a_hub_assumption_is_flagged(run, write) -> None:
    text = COHERENT.replace(
        "{id: R3, title: Flood, likelihood: 2, impact: 2}",
        "{id: R3, title: Flood, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_fails: {likelihood: 0.5}}]}",
    ).replace(
        "{id: R4, title: Fire, likelihood: 2, impact: 2}",
        "{id: R4, title: Fire, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_fails: {likelihood: 0.5}}]}",
    )
    assert "W-hub-A1" in _warnings(run, write, text)


def test_high_confidence_on_an_unsupported_assumption_is_flagged(run, write) -> None:
    text = COHERENT.replace("belief: 0.5}\n  - {id: A2", "belief: 0.5, support: unsupported}\n  - {id: A2").replace(
        "title: Production stops for lack of parts", "title: Production stops for lack of parts\n    confidence: high"
    )
    assert "W-confidence-R1-A1" in _warnings(run, write, text)
    moderate = text.replace("confidence: high", "confidence: moderate")
    assert "W-confidence-R1-A1" not in _warnings(run, write, moderate)


def test_conditional_beliefs_that_do_not_add_up_are_flagged(run, write) -> None:
    text = COHERENT.replace(
        "{id: A2, statement: Prices stay flat., belief: 0.5}",
        "{id: A2, statement: Prices stay flat., belief: 0.5, given: {A1: {holds: 0.9, fails: 0.8}}}",
    )
    assert "W-given-A2-A1" in _warnings(run, write, text)  # 0.5·0.9 + 0.5·0.8 = 0.85, not 0.5
    consistent = text.replace("fails: 0.8", "fails: 0.1")  # 0.45 + 0.05 = 0.5
    assert "W-given-A2-A1" not in _warnings(run, write, consistent)


def test_responses_that_exclude_each_other_applied_together_are_flagged(run, write) -> None:
    text = COHERENT + (
        "responses:\n"
        "  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}], excludes: [M2]}\n"
        "  - {id: M2, title: Single source deal, effects: [{risk: R1, impact: -1}]}\n"
    )
    path = str(write(text))
    assert run("respond", "M1", "--register", path).exit_code == 0
    assert run("respond", "M2", "--register", path).exit_code == 0
    from riskcli import register
    from riskcli.journal import read, replay

    reg = register.load(path)
    state = replay(reg, read(write(text).with_name("reg.journal.jsonl")).events).state
    assert any(f.id == "W-excludes-M1-M2" for f in scoring.coherence(reg, state=state))


def test_an_acknowledged_warning_is_not_printed_and_a_stale_one_is(run, write) -> None:
    text = COHERENT.replace(
        "likelihood: 3\n    impact: 3\n    drivers: [{assumption: A1",
        "likelihood: 5\n    impact: 3\n    drivers: [{assumption: A1",
    )
    acked = (
        text
        + "acknowledge:\n  - {id: W-clamp-R1-likelihood, why: the essay puts it at the top whatever}\n  - W-hub-A9\n"
    )
    result = run("validate", str(write(acked)))
    assert result.exit_code == 0
    assert "W-clamp-R1-likelihood" not in result.stdout and "1 acknowledged warning" in result.stdout
    assert "warning: acknowledge: W-hub-A9 no longer applies" in result.stdout
    data = json.loads(run("validate", "--json", str(write(acked))).stdout)
    (f,) = data["findings"]
    assert (f["acknowledged"], f["why"]) == (True, "the essay puts it at the top whatever")
    assert data["stale"] == ["W-hub-A9"]


def test_linked_beliefs_that_cannot_all_hold_are_a_warning(run, write) -> None:
    """P(A1 and A2) = 0.5 × 0.9 = 0.45 > P(A2) = 0.3: no joint state may be likelier than its part."""
    text = COHERENT.replace(
        "{id: A2, statement: Prices stay flat., belief: 0.5}",
        "{id: A2, statement: Prices stay flat., belief: 0.3, given: {A1: {holds: 0.9, fails: 0.1}}}",
    )
    assert "W-joint-A2-A1" in _warnings(run, write, text)
    result = run("validate", str(write(text)))
    assert "P(A1 holds and A2 holds) = 0.45, more than P(A2 holds) = 0.30" in result.stdout
    fine = text.replace("belief: 0.3,", "belief: 0.5,")
    assert "W-joint-A2-A1" not in _warnings(run, write, fine)


def test_validate_prints_each_warning_on_its_own_line(run, write) -> None:
    text = COHERENT.replace(
        "likelihood: 3\n    impact: 3\n    drivers: [{assumption: A1",
        "likelihood: 5\n    impact: 3\n    drivers: [{assumption: A1",
    ).replace("if_holds: {impact: -1}, if_fails: {impact: 1}", "if_holds: {impact: 1}, if_fails: {impact: 1}")
    for env in ({}, {"NO_COLOR": "1"}, {"TTY_COMPATIBLE": "1", "FORCE_COLOR": "1"}):
        result = run("validate", str(write(text)), env=env)
        assert result.exit_code == 0
        lines = [re.sub(r"\x1b\[[0-9;]*m", "", x) for x in result.stdout.splitlines()]
        assert lines[0].startswith("ok: ")
        assert [x.split("[")[-1] for x in lines[1:]] == ["W-clamp-R1-likelihood]", "W-same-sign-R2-A2-impact]"], env
        assert all(x.startswith("warning: R") for x in lines[1:])
