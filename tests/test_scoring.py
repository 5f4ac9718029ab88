"""scoring.py on hand-made registers: the formula (DESIGN §4), responses, clamps and the baseline
shortcut, coherence, moves and their causes, hypotheses, what-if and reviews."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli import scoring
from riskcli.model import (
    Assumption,
    Axis,
    Bearing,
    BeliefUpdate,
    Conditional,
    Driver,
    Effect,
    End,
    Indicator,
    Outcome,
    Progress,
    Register,
    Response,
    Risk,
    Scenario,
    Shift,
    UserError,
)
from riskcli.register import default_rules
from riskcli.scoring import (
    AnalystScore,
    Cause,
    CauseKind,
    Clamp,
    ContributionKind,
    Direction,
    Finding,
    FindingCode,
    MoveKind,
    Override,
    ReviewStatus,
    Scored,
    State,
    baseline_state,
    causes,
    coherence,
    explain,
    matrix,
    moves,
    rank_key,
    ranked,
    review,
    score_all,
    score_risk,
)

RULES = default_rules()


def reg(risks, assumptions=()) -> Register:
    return Register(path="test.yaml", rules=RULES, risks=tuple(risks), assumptions=tuple(assumptions))


A = Assumption("A1", "Supply holds.", 0.5)
B = Assumption("A2", "Demand holds.", 0.8)
UP_IF_FAILS = Driver("A1", Shift(likelihood=-1), Shift(likelihood=1))


def test_baseline_is_the_register_levels() -> None:
    r = reg([Risk("R1", "x", 3, 4, drivers=(UP_IF_FAILS,))], [A])
    s = score_all(r)[0]
    assert (s.likelihood, s.impact, s.cell, s.band.id) == (3.0, 4.0, (3, 4), "high")


def test_belief_change_moves_by_the_difference_of_expected_shifts() -> None:
    r = reg([Risk("R1", "x", 3, 4, drivers=(UP_IF_FAILS,))], [A])
    # b: 0.5 -> 0.0: shift(0) - shift(0.5) = (+1) - (0) = +1
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 0.0}))
    assert s.likelihood == pytest.approx(4.0)
    # b: 0.5 -> 0.8: shift = 0.8*-1 + 0.2*1 = -0.6
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 0.8}))
    assert s.likelihood == pytest.approx(2.4)
    assert s.cell == (2, 4)


def test_unrounded_values_break_ties_inside_a_cell() -> None:
    d = Driver("A1", Shift(likelihood=0.5), Shift(likelihood=-0.5))
    r = reg([Risk("R1", "a", 3, 3), Risk("R2", "b", 3, 3, drivers=(d,))], [A])
    state = State(beliefs={"A1": 0.7})  # R2 moves +0.2: still cell (3, 3), but ranked first
    scored = score_all(r, state)
    assert [s.cell for s in scored] == [(3, 3), (3, 3)]
    assert [s.risk.id for s in ranked(scored)] == ["R2", "R1"]
    assert [s.risk.id for s in matrix(r, scored).cells[(3, 3)]] == ["R2", "R1"]


def test_a_tie_goes_toward_the_level_the_score_starts_from() -> None:
    """Half a step from the register's level 2 (up or down) stays at 2; a hair more moves."""
    d = Driver("A1", Shift(likelihood=1), Shift(likelihood=0))
    r = reg([Risk("R1", "a", 2, 2, drivers=(d,))], [Assumption("A1", "s", 0.0)])
    assert score_risk(r, r.risks[0], State(beliefs={"A1": 0.5})).cell == (2, 2)
    assert score_risk(r, r.risks[0], State(beliefs={"A1": 0.51})).cell == (3, 2)
    down = reg([Risk("R1", "a", 3, 2, drivers=(Driver("A1", Shift(likelihood=0), Shift(likelihood=-1)),))], [A])
    assert score_risk(down, down.risks[0], State(beliefs={"A1": 0.0})).likelihood == 2.5
    assert score_risk(down, down.risks[0], State(beliefs={"A1": 0.0})).cell == (3, 2)


def test_a_tie_goes_toward_the_analysts_own_score_once_given() -> None:
    d = Driver("A1", Shift(likelihood=1), Shift(likelihood=0))
    r = reg([Risk("R1", "a", 2, 2, drivers=(d,))], [Assumption("A1", "s", 0.0)])
    anchor = AnalystScore(4.0, 2.0, {"A1": 0.0})
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 0.5}, scores={"R1": anchor}))
    assert (s.likelihood, s.cell) == (4.5, (4, 2))  # toward the analyst's 4, not the register's 2


def test_a_score_on_a_tie_is_a_coherence_warning() -> None:
    d = Driver("A1", Shift(likelihood=1), Shift(likelihood=0))
    r = reg([Risk("R1", "a", 2, 2, drivers=(d,))], [Assumption("A1", "s", 0.0)])
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 0.5}))
    (tie,) = [f for f in coherence(r, [s]) if f.code is FindingCode.TIE]
    assert (tie.id, tie.values) == ("W-tie-R1-likelihood", (2.5, 2.0))
    off = score_risk(r, r.risks[0], State(beliefs={"A1": 0.4}))
    assert not [f for f in coherence(r, [off]) if f.code is FindingCode.TIE]


def test_clamping_is_flagged() -> None:
    d = Driver("A1", Shift(likelihood=3), Shift(likelihood=-3))
    r = reg([Risk("R1", "a", 4, 5, drivers=(d,))], [A])
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 1.0}))
    assert s.likelihood == 5.0
    assert s.clamped == (Clamp(Axis.LIKELIHOOD, End.CEILING, 7.0, 5),)
    assert [f.code for f in coherence(r, [s])] == [FindingCode.CLAMP, FindingCode.CLAMPED]  # can, and does


def test_analyst_score_is_anchored_to_the_beliefs_when_given() -> None:
    r = reg([Risk("R1", "a", 3, 3, drivers=(UP_IF_FAILS,))], [A])
    anchor = AnalystScore(likelihood=2, impact=4, beliefs={"A1": 0.5})
    # Given at b=0.5; later A1 fails: +1 from the analyst's 2.
    state = State(beliefs={"A1": 0.0}, scores={"R1": anchor})
    e = explain(r, r.risks[0], state)
    assert (e.scored.likelihood, e.scored.impact) == (3.0, 4.0)
    assert e.start == Shift(2, 4)
    assert e.contributions[0].shift.likelihood == pytest.approx(1.0)
    # At the beliefs in force when scored, the analyst's own numbers stand.
    same = State(beliefs={"A1": 0.5}, scores={"R1": anchor})
    assert score_risk(r, r.risks[0], same).likelihood == 2.0


def test_explanation_adds_up() -> None:
    d2 = Driver("A2", Shift(impact=1), Shift(impact=-1, likelihood=0.5))
    r = reg([Risk("R1", "a", 3, 3, drivers=(UP_IF_FAILS, d2))], [A, B])
    e = explain(r, r.risks[0], State(beliefs={"A1": 0.2, "A2": 0.1}))
    total = e.start
    for c in e.contributions:
        total = total + c.shift
    assert total == e.raw
    assert (e.scored.likelihood, e.scored.impact) == (pytest.approx(e.raw.likelihood), pytest.approx(e.raw.impact))


def test_same_sign_driver_is_flagged() -> None:
    d = Driver("A1", Shift(likelihood=1), Shift(likelihood=1))
    r = reg([Risk("R1", "a", 3, 3, drivers=(d,))], [A])
    findings = coherence(r)
    assert [(f.code, f.subject, f.related, f.axis, f.values) for f in findings] == [
        (FindingCode.SAME_SIGN, "R1", ("A1",), Axis.LIKELIHOOD, (1.0, 1.0))
    ]
    assert findings[0].id == "W-same-sign-R1-A1-likelihood"


beliefs = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
shifts = st.floats(min_value=-4, max_value=4, allow_nan=False)


@st.composite
def registers(draw):
    n_assumptions = draw(st.integers(1, 4))
    assumptions = [Assumption(f"A{i}", "s", draw(beliefs)) for i in range(n_assumptions)]
    risks = []
    for j in range(draw(st.integers(1, 6))):
        drivers = tuple(
            Driver(
                f"A{draw(st.integers(0, n_assumptions - 1))}",
                Shift(draw(shifts), draw(shifts)),
                Shift(draw(shifts), draw(shifts)),
            )
            for _ in range(draw(st.integers(0, 3)))
        )
        risks.append(Risk(f"R{j}", "t", draw(st.integers(1, 5)), draw(st.integers(1, 5)), drivers=drivers))
    return reg(risks, assumptions)


@settings(max_examples=200, deadline=None)
@given(registers(), st.lists(beliefs, min_size=4, max_size=4))
def test_current_scores_always_stay_within_the_scale(r, bs) -> None:
    state = State(beliefs={f"A{i}": b for i, b in enumerate(bs)})
    for s in score_all(r, state):
        assert 1 <= s.likelihood <= 5 and 1 <= s.impact <= 5
        assert 1 <= s.cell[0] <= 5 and 1 <= s.cell[1] <= 5


@settings(max_examples=200, deadline=None)
@given(registers(), st.lists(beliefs, min_size=4, max_size=4))
def test_beliefs_back_at_baseline_restore_every_score(r, bs) -> None:
    moved = State(beliefs={f"A{i}": b for i, b in enumerate(bs)})
    score_all(r, moved)
    back = State(beliefs=dict(r.baseline_beliefs))
    for s in (score_risk(r, risk, back) for risk in r.risks):
        assert s.likelihood == pytest.approx(s.risk.likelihood)
        assert s.impact == pytest.approx(s.risk.impact)
    assert [(s.likelihood, s.impact) for s in score_all(r, baseline_state(r))] == [
        (float(x.likelihood), float(x.impact)) for x in r.risks
    ]


def test_half_way_after_float_error_still_rounds_up() -> None:
    d = Driver("A1", Shift(likelihood=-2), Shift(likelihood=0.5))
    r = reg([Risk("R1", "a", 2, 3, drivers=(d,))], [Assumption("A1", "s", 0.35)])
    s = score_risk(r, r.risks[0], State(beliefs={"A1": 0.55}))
    assert s.likelihood == pytest.approx(1.5)
    assert s.cell == (2, 3)


def test_clamped_scores_are_flagged_by_matrix(run, write) -> None:
    path = write(
        "assumptions: [{id: A1, statement: s, belief: 0.5}]\n"
        "risks:\n  - {id: R1, title: t, likelihood: 5, impact: 2, drivers: [{assumption: A1, if_holds: {likelihood: 2}, if_fails: {likelihood: -2}}]}\n"
    )
    result = run("matrix", "--what-if", "A1=holds", "--register", str(path))
    assert "warning: R1: score is clamped (likelihood at the ceiling (5)); see riskcli explain R1" in result.stderr


# --------------------------------------------------------------------------- ranking and moves


def scored(rid: str, likelihood: float, impact: float, band_rank: int = 0) -> Scored:
    """A hand-made score: the ranking reads only the band's rank and the unrounded levels."""
    cell = (round(likelihood), round(impact))
    band = RULES.rating.bands[band_rank]
    return Scored(Risk(rid, rid, *cell), likelihood, impact, cell, band, (), band_rank)


def ids(items) -> list[str]:
    return [x.risk.id for x in items]


def test_ranking_puts_a_higher_band_first_even_with_a_lower_score() -> None:
    """A band from the grid outranks the product: a custom grid may rate 2×2 above 4×4."""
    low_big, high_small = scored("R1", 4, 4, band_rank=1), scored("R2", 2, 2, band_rank=2)
    assert ids(ranked([low_big, high_small])) == ["R2", "R1"]
    assert rank_key(high_small) < rank_key(low_big)


def test_ranking_within_a_band_is_by_unrounded_score_not_likelihood() -> None:
    """2×5 = 10 outranks 3×3 = 9 in one band, though its likelihood is lower."""
    assert ids(ranked([scored("R1", 3, 3, 1), scored("R2", 2, 5, 1)])) == ["R2", "R1"]
    assert ids(ranked([scored("R1", 3, 3, 1), scored("R2", 3.2, 3, 1)])) == ["R2", "R1"]


def test_ranking_breaks_a_tied_score_by_likelihood() -> None:
    """Same band, same L×I (8): the likelier risk comes first, whatever the register order."""
    assert ids(ranked([scored("R1", 2, 4, 1), scored("R2", 4, 2, 1)])) == ["R2", "R1"]
    assert ids(ranked([scored("R2", 4, 2, 1), scored("R1", 2, 4, 1)])) == ["R2", "R1"]


def test_ranking_keeps_register_order_for_a_full_tie() -> None:
    tied = [scored(rid, 3, 3, 1) for rid in ("R3", "R1", "R2")]
    assert ids(ranked(tied)) == ["R3", "R1", "R2"]
    assert ids(ranked(reversed(tied))) == ["R2", "R1", "R3"]


def _moves(pairs) -> list[str]:
    before = [b for b, _ in pairs]
    after = [a for _, a in pairs]
    return ids(moves(reg([]), before, after))


def test_moves_biggest_absolute_change_first() -> None:
    """A fall of 6 comes before a rise of 2: the size of the change counts, not its sign."""
    down = (scored("R1", 3, 3), scored("R1", 1, 3))  # 9 -> 3
    up = (scored("R2", 2, 2), scored("R2", 2, 3))  # 4 -> 6
    assert _moves([up, down]) == ["R1", "R2"]


def test_moves_tied_on_score_change_go_by_likelihood_change() -> None:
    """Both move by 6; R2's likelihood moved by 2 and R1's not at all: R2 first, against id order."""
    impact_only = (scored("R1", 2, 3), scored("R1", 2, 6))
    likelihood = (scored("R2", 2, 3), scored("R2", 4, 3))
    assert _moves([impact_only, likelihood]) == ["R2", "R1"]
    falling = (scored("R2", 4, 3), scored("R2", 2, 3))  # -6, likelihood -2: the size counts
    assert _moves([impact_only, falling]) == ["R2", "R1"]
    low = (scored("R2", 1, 6), scored("R2", 2, 6))  # +6, likelihood moved by 1 (from 1 to 2)
    high = (scored("R1", 3, 2), scored("R1", 3, 4))  # +6, likelihood stayed at 3
    assert _moves([high, low]) == ["R2", "R1"]


def test_moves_go_by_score_change_before_likelihood_change() -> None:
    """R1 moves by 6 on impact alone; R2 by 3 with its likelihood: R1 first."""
    impact_only = (scored("R1", 2, 3), scored("R1", 2, 6))
    likelihood = (scored("R2", 2, 3), scored("R2", 3, 3))
    assert _moves([likelihood, impact_only]) == ["R1", "R2"]


def test_moves_tied_on_both_go_by_id() -> None:
    a = (scored("R2", 2, 3), scored("R2", 3, 3))
    b = (scored("R1", 2, 3), scored("R1", 3, 3))
    assert _moves([a, b]) == ["R1", "R2"]


def test_analyst_score_cause_appears_exactly_when_the_score_differs() -> None:
    r = reg([Risk("R1", "a", 3, 3), Risk("R2", "b", 3, 3)], [A])
    given = AnalystScore(4, 4, {"A1": 0.5}, by="ann")
    none = State(beliefs={"A1": 0.5})
    scored_r1 = State(beliefs={"A1": 0.5}, scores={"R1": given})
    analyst = (Cause(CauseKind.ANALYST_SCORE),)
    assert causes(r, r.risks[0], none, scored_r1) == analyst  # given
    assert causes(r, r.risks[0], scored_r1, none) == analyst  # withdrawn by an undo
    rescored = State(beliefs={"A1": 0.5}, scores={"R1": AnalystScore(2, 4, {"A1": 0.5}, by="ann")})
    assert causes(r, r.risks[0], scored_r1, rescored) == analyst  # changed
    same = State(beliefs={"A1": 0.5}, scores={"R1": AnalystScore(4, 4, {"A1": 0.5}, by="ann")})
    assert causes(r, r.risks[0], scored_r1, same) == ()  # an equal score, another object
    assert causes(r, r.risks[1], none, scored_r1) == ()  # another risk's score


# --------------------------------------------------------------------------- indicator reviews


@pytest.mark.parametrize(
    ("offset", "status", "days"),
    [
        (-1, ReviewStatus.UPCOMING, 1),  # the day before it is due
        (0, ReviewStatus.DUE, 0),  # start + every, exactly
        (1, ReviewStatus.OVERDUE, -1),  # the day after
    ],
)
def test_review_is_due_on_the_last_day_of_its_period_and_overdue_the_day_after(offset, status, days) -> None:
    r = reg([Risk("R1", "a", 3, 3)])
    ind = Indicator("I1", "watch", review_every=30)
    start = date(2025, 1, 31)
    due = start + timedelta(days=30)
    rv = review(r, ind, "2025-01-31T09:00:00Z", due + timedelta(days=offset))
    assert (rv.status, rv.days, rv.due, rv.last) == (status, days, "2025-03-02", "2025-01-31")


A1 = Assumption("A1", "Supply holds.", 0.5)


A2 = Assumption("A2", "Demand holds.", 0.8)


NOTED_UP_IF_FAILS = Driver("A1", Shift(likelihood=-1), Shift(likelihood=1), note="late ships")


M1 = Response(
    "M1",
    "Second supplier",
    effects=(Effect("R1", Shift(likelihood=-1), note="fewer stops"),),
    side_effects=(Effect("R2", Shift(impact=1), note="costs more"),),
)


M2 = Response("M2", "Insurance", effects=(Effect("R2", Shift(impact=-2)),))


I1 = Indicator("I1", "Late shipment", review_every=10, updates=(BeliefUpdate("A1", 0.1), BeliefUpdate("A2", 0.9)))


I2 = Indicator("I2", "Price rise", updates=(BeliefUpdate("A2", 0.8),))


def register_of(risks=(), assumptions=(A1, A2), **kw) -> Register:
    return Register(path="t.yaml", rules=RULES, risks=tuple(risks), assumptions=tuple(assumptions), **kw)


SUPPLY = register_of(
    [
        Risk("R1", "Stops", 3, 4, drivers=(NOTED_UP_IF_FAILS,)),
        Risk("R2", "Overrun", 2, 3),
        Risk("R3", "Unlinked", 1, 1),
    ],
    indicators=(I1, I2),
    responses=(M1, M2),
    scenarios=(Scenario("squeeze", "Supply squeeze", beliefs=(("A1", 0.0), ("A2", 0.1))),),
    as_of="2025-01-31",
)


R1, R2, R3 = SUPPLY.risks


BASE = scoring.baseline_state(SUPPLY)


def levels(s: scoring.Scored) -> tuple[float, float]:
    return (s.likelihood, s.impact)


# --------------------------------------------------------------------------- contributions


def test_a_driver_contribution_records_both_beliefs_and_the_note() -> None:
    _, (c,) = scoring.contributions(SUPPLY, R1, State({"A1": 0.25, "A2": 0.8}))
    assert (c.kind, c.ref, c.belief_from, c.belief_to, c.note, c.driver) == (
        ContributionKind.DRIVER,
        "A1",
        0.5,
        0.25,
        "late ships",
        NOTED_UP_IF_FAILS,
    )
    assert c.shift == Shift(likelihood=pytest.approx(0.5))


def test_a_driver_on_an_assumption_with_no_belief_counts_from_even_odds() -> None:
    r = register_of([Risk("R1", "x", 3, 3, drivers=(Driver("A9", Shift(likelihood=1), Shift(likelihood=-1)),))])
    _, (c,) = scoring.contributions(r, r.risks[0], State({"A9": 1.0}))
    assert (c.belief_from, c.belief_to, c.shift.likelihood) == (0.5, 1.0, 1.0)
    assert scoring.score_risk(r, r.risks[0], State({"A9": 1.0})).likelihood == 4.0
    assert scoring.score_all(r, State({"A1": 0.5, "A2": 0.8, "A9": 1.0}))[0].likelihood == 4.0


def test_a_belief_not_in_the_state_stays_where_it_was() -> None:
    _, (c,) = scoring.contributions(SUPPLY, R1, State({}))
    assert (c.belief_from, c.belief_to, c.shift) == (0.5, 0.5, Shift(0.0, 0.0))


def test_an_analyst_score_without_the_belief_counts_from_the_baseline() -> None:
    anchor = AnalystScore(2, 2, beliefs={})
    _, (c,) = scoring.contributions(SUPPLY, R1, State({"A1": 0.0}, {"R1": anchor}))
    assert (c.belief_from, c.belief_to, c.shift.likelihood) == (0.5, 0.0, 1.0)


def test_an_applied_response_shifts_its_targets_and_side_effects() -> None:
    state = State(BASE.beliefs, applied=frozenset({"M1"}))
    _, parts = scoring.contributions(SUPPLY, R1, state)
    assert [(c.kind, c.ref, c.shift, c.note, c.withdrawn) for c in parts[1:]] == [
        (ContributionKind.RESPONSE, "M1", Shift(likelihood=-1), "fewer stops", False)
    ]
    _, parts = scoring.contributions(SUPPLY, R2, state)
    assert [(c.kind, c.ref, c.shift, c.note) for c in parts] == [
        (ContributionKind.SIDE_EFFECT, "M1", Shift(impact=1), "costs more")
    ]
    assert scoring.contributions(SUPPLY, R3, state)[1] == []
    assert [levels(s) for s in scoring.score_all(SUPPLY, state)] == [(2.0, 4.0), (2.0, 4.0), (1.0, 1.0)]


def test_a_response_in_force_when_the_analyst_scored_does_not_count_again() -> None:
    anchor = AnalystScore(4, 4, dict(BASE.beliefs), applied=frozenset({"M1"}))
    kept = State(BASE.beliefs, {"R1": anchor}, frozenset({"M1"}))
    assert scoring.contributions(SUPPLY, R1, kept)[1][1:] == []
    assert levels(scoring.score_risk(SUPPLY, R1, kept)) == (4.0, 4.0)
    withdrawn = State(BASE.beliefs, {"R1": anchor}, frozenset())
    (c,) = scoring.contributions(SUPPLY, R1, withdrawn)[1][1:]
    assert (c.kind, c.shift, c.withdrawn) == (ContributionKind.RESPONSE, Shift(likelihood=1), True)
    assert levels(scoring.score_risk(SUPPLY, R1, withdrawn)) == (5.0, 4.0)


def test_a_response_applied_after_the_analyst_scored_counts() -> None:
    anchor = AnalystScore(4, 4, dict(BASE.beliefs))
    e = scoring.explain(SUPPLY, R1, State(BASE.beliefs, {"R1": anchor}, frozenset({"M1", "M2"})))
    assert [(c.kind, c.ref, c.withdrawn) for c in e.contributions[1:]] == [(ContributionKind.RESPONSE, "M1", False)]
    assert (e.anchor, e.start, e.base, e.raw) == (anchor, Shift(4, 4), Shift(3, 4), Shift(3, 4))


def test_an_explanation_starts_from_the_baseline_without_an_analyst_score() -> None:
    e = scoring.explain(SUPPLY, R1, State({"A1": 0.0}, applied=frozenset({"M1"})))
    assert (e.anchor, e.start, e.base) == (None, Shift(3, 4), Shift(3, 4))
    assert e.raw == Shift(3.0, 4.0)  # +1 from A1 failing, -1 from M1
    assert e.scored.score == 12.0


# --------------------------------------------------------------------------- clamps and the baseline shortcut


@pytest.mark.parametrize(
    ("shift", "clamped", "levels_"),
    [
        (Shift(likelihood=-2), (Clamp(Axis.LIKELIHOOD, End.FLOOR, 0.5, 1),), (1.0, 4.5)),
        (Shift(likelihood=-1.5), (), (1.0, 4.5)),  # exactly at the floor: not clamped
        (Shift(impact=0.5), (), (2.5, 5.0)),  # exactly at the ceiling
        (Shift(impact=1.5), (Clamp(Axis.IMPACT, End.CEILING, 6.0, 5),), (2.5, 5.0)),
        (
            Shift(-3, 3),
            (Clamp(Axis.LIKELIHOOD, End.FLOOR, -0.5, 1), Clamp(Axis.IMPACT, End.CEILING, 7.5, 5)),
            (1.0, 5.0),
        ),
    ],
)
def test_clamps_are_flagged_past_an_end_only(shift, clamped, levels_) -> None:
    risk = Risk("R1", "x", 2, 4)
    anchor = AnalystScore(2.5, 4.5, {}, applied=frozenset())
    r = register_of([risk], responses=(Response("M", "m", effects=(Effect("R1", shift),)),))
    s = scoring.score_risk(r, risk, State({}, {"R1": anchor}, frozenset({"M"})))
    assert s.clamped == clamped and levels(s) == levels_
    assert s.cell == (scoring.cell_of(levels_[0], 5, 2), scoring.cell_of(levels_[1], 5, 4))  # ties toward 2.5, 4.5


def test_the_band_and_its_rank_come_from_the_rounded_cell() -> None:
    anchor = AnalystScore(4.5, 4.4, {})  # 4.5 is itself a tie: toward the register's 1, so 4
    s = scoring.score_risk(SUPPLY, R3, State({}, {"R3": anchor}))
    assert (s.cell, s.band.id, s.band_rank) == ((4, 4), "critical", 3)
    (b,) = [x for x in scoring.score_all(SUPPLY) if x.risk.id == "R2"]
    assert (b.cell, b.band.id, b.band_rank) == ((2, 3), "medium", 1)


def test_scores_at_the_baseline_skip_the_driver_arithmetic(monkeypatch) -> None:
    """The common case — the baseline with no analyst scores or responses — does no per-risk work."""
    expected = [(3.0, 4.0), (2.0, 3.0), (1.0, 1.0)]

    def slow(*a, **k):
        raise AssertionError("scored the slow way")

    monkeypatch.setattr(scoring, "score_risk", slow)
    assert [levels(s) for s in scoring.score_all(SUPPLY)] == expected
    assert [levels(s) for s in scoring.score_all(SUPPLY, BASE)] == expected
    assert [levels(s) for s in scoring.score_all(SUPPLY, State({"A1": 0.5}))] == expected  # a belief unsaid
    near = State({"A1": 0.5 + 1e-13, "A2": 0.8})
    assert [levels(s) for s in scoring.score_all(SUPPLY, near)] == expected


@pytest.mark.parametrize(
    "state",
    [
        State({"A1": 0.5, "A2": 0.8}, {"R2": AnalystScore(5, 5, {"A1": 0.5, "A2": 0.8})}),
        State({"A1": 0.5, "A2": 0.8}, applied=frozenset({"M2"})),
        State({"A1": 0.0, "A2": 0.8}),
        State({"A1": 0.5, "A2": 0.8, "A9": 1.0}),  # a belief the register does not hold
    ],
)
def test_any_departure_from_the_baseline_is_scored_in_full(state) -> None:
    full = [scoring.score_risk(SUPPLY, r, state) for r in SUPPLY.risks]
    assert scoring.score_all(SUPPLY, state) == full
    assert scoring._same_beliefs(state.beliefs, SUPPLY.baseline_beliefs) is (
        "A9" not in state.beliefs and state.beliefs["A1"] == 0.5
    )


def test_same_beliefs_compares_both_ways() -> None:
    same = scoring._same_beliefs
    assert same({"A1": 0.5}, {"A1": 0.5})
    assert same({}, {"A1": 0.5})
    assert not same({"A1": 0.6}, {"A1": 0.5})
    assert not same({"A1": 0.4}, {"A1": 0.5})
    assert not same({"A1": 0.5, "A2": 0.1}, {"A1": 0.5})
    assert same({"A1": -0.5}, {"A1": -0.5}) and not same({"A1": 0.5}, {"A1": -0.5})


# --------------------------------------------------------------------------- ranking, the matrix, counts


def test_the_matrix_ranks_each_cell_and_counts_it() -> None:
    d = Driver("A1", Shift(likelihood=0.4), Shift(likelihood=-0.4))
    r = register_of([Risk("R1", "a", 3, 3), Risk("R2", "b", 3, 3, drivers=(d,)), Risk("R3", "c", 1, 5)])
    m = scoring.matrix(r, scoring.score_all(r, State({"A1": 1.0, "A2": 0.8})))
    assert (m.n_likelihood, m.n_impact) == (5, 5)
    assert [s.risk.id for s in m.cells[(3, 3)]] == ["R2", "R1"]
    assert (m.count(3, 3), m.count(1, 5), m.count(5, 5)) == (2, 1, 0)


def test_band_counts_count_every_band() -> None:
    assert scoring.band_counts(SUPPLY, scoring.score_all(SUPPLY)) == {"low": 1, "medium": 1, "high": 1, "critical": 0}


# --------------------------------------------------------------------------- coherence


def test_coherence_flags_same_sign_drivers_on_each_axis_and_nothing_else() -> None:
    drivers = (
        Driver("A1", Shift(-1, 2), Shift(-0.5, 1)),  # same sign on both axes
        Driver("A2", Shift(1, 0), Shift(-1, 0)),  # opposite signs, and a zero axis
        Driver("A2", Shift(1, 1), Shift(0, -1)),  # a zero against a move
    )
    r = register_of([Risk("R1", "a", 3, 3, drivers=drivers)])
    found = [f for f in scoring.coherence(r) if f.code is FindingCode.SAME_SIGN]
    assert [(f.code, f.related, f.axis, f.values) for f in found] == [
        (FindingCode.SAME_SIGN, ("A1",), Axis.LIKELIHOOD, (-1.0, -0.5)),
        (FindingCode.SAME_SIGN, ("A1",), Axis.IMPACT, (2.0, 1.0)),
    ]
    assert scoring.coherence(SUPPLY) == []


def test_coherence_flags_clamped_scores_with_raw_value_and_limit() -> None:
    s = scoring.score_risk(SUPPLY, R3, State({}, {"R3": AnalystScore(5, 5, {})}, frozenset({"M2"})))
    assert s.clamped == ()
    low = scoring.score_risk(SUPPLY, R2, State({}, {"R2": AnalystScore(2, 1.5, {})}, frozenset({"M2"})))
    (f,) = scoring.coherence(SUPPLY, [s, low])
    assert (f.code, f.subject, f.axis, f.values) == (FindingCode.CLAMPED, "R2", Axis.IMPACT, (-0.5, 1.0))
    assert f.id == "W-clamped-R2-impact"


def test_a_finding_id_joins_code_subject_related_and_axis() -> None:
    assert Finding(FindingCode.CLAMPED, "R1", ("A1", "A2")).id == "W-clamped-R1-A1-A2"
    assert Finding(FindingCode.SAME_SIGN, "R1", ("A1",), Axis.IMPACT).id == "W-same-sign-R1-A1-impact"


# --------------------------------------------------------------------------- moves and causes


def test_a_move_knows_its_delta() -> None:
    after = State({"A1": 0.0, "A2": 0.8})
    (m,) = scoring.moves(SUPPLY, scoring.score_all(SUPPLY), scoring.score_all(SUPPLY, after))
    assert (m.risk.id, m.delta) == ("R1", 4.0)
    small = State({"A1": 0.4, "A2": 0.8})  # +0.2: the cell stays
    (m,) = scoring.moves(SUPPLY, scoring.score_all(SUPPLY), scoring.score_all(SUPPLY, small))
    assert m.delta == pytest.approx(0.8)
    (back,) = scoring.moves(SUPPLY, scoring.score_all(SUPPLY, after), scoring.score_all(SUPPLY))
    assert back.delta == -4.0


def test_moves_on_either_axis_count_and_no_move_does_not() -> None:
    before = scoring.score_all(SUPPLY)
    impact = State(BASE.beliefs, applied=frozenset({"M2"}))
    assert [m.risk.id for m in scoring.moves(SUPPLY, before, scoring.score_all(SUPPLY, impact))] == ["R2"]
    likelihood = State({"A1": 0.7, "A2": 0.8})
    assert [m.risk.id for m in scoring.moves(SUPPLY, before, scoring.score_all(SUPPLY, likelihood))] == ["R1"]
    assert scoring.moves(SUPPLY, before, before) == []
    assert scoring.moves(SUPPLY, before[:1], scoring.score_all(SUPPLY, impact)) == []  # R2 was not there before


def test_moves_name_their_causes_only_given_both_states() -> None:
    after = State({"A1": 0.0, "A2": 0.8})
    before = scoring.score_all(SUPPLY)
    (m,) = scoring.moves(SUPPLY, before, scoring.score_all(SUPPLY, after), BASE, after)
    assert m.causes == (Cause(CauseKind.ASSUMPTION, "A1"),)
    (m,) = scoring.moves(SUPPLY, before, scoring.score_all(SUPPLY, after), BASE)
    assert m.causes == ()
    assert scoring.causes(SUPPLY, R1, None, after) == ()


def test_causes_name_each_assumption_once_then_the_analyst_then_responses() -> None:
    twice = (NOTED_UP_IF_FAILS, Driver("A1", Shift(impact=1), Shift(impact=-1)), Driver("A2", Shift(impact=1), Shift()))
    r = register_of([Risk("R1", "a", 3, 3, drivers=twice), Risk("R2", "b", 2, 2)], responses=(M1, M2))
    a = State({"A1": 0.5, "A2": 0.8})
    b = State({"A1": 0.1, "A2": 0.3}, {"R1": AnalystScore(1, 1, {})}, frozenset({"M1", "M2"}))
    assert scoring.causes(r, r.risks[0], a, b) == (
        Cause(CauseKind.ASSUMPTION, "A1"),
        Cause(CauseKind.ASSUMPTION, "A2"),
        Cause(CauseKind.ANALYST_SCORE),
        Cause(CauseKind.RESPONSE, "M1"),
    )
    assert scoring.causes(r, r.risks[1], a, b) == (Cause(CauseKind.RESPONSE, "M1"), Cause(CauseKind.RESPONSE, "M2"))
    assert scoring.causes(r, r.risks[1], b, a) == (Cause(CauseKind.RESPONSE, "M1"), Cause(CauseKind.RESPONSE, "M2"))
    assert scoring.causes(r, r.risks[1], b, b) == ()


def test_a_belief_missing_from_a_state_is_its_baseline_for_causes() -> None:
    d = Driver("A9", Shift(likelihood=1), Shift())
    r = register_of([Risk("R1", "a", 3, 3, drivers=(NOTED_UP_IF_FAILS, d))])
    assert scoring.causes(r, r.risks[0], State({}), State({"A1": 0.5, "A9": 0.5})) == ()
    assert scoring.causes(r, r.risks[0], State({}), State({"A1": 0.6})) == (Cause(CauseKind.ASSUMPTION, "A1"),)
    assert scoring.causes(r, r.risks[0], State({"A1": 0.6}), State({})) == (Cause(CauseKind.ASSUMPTION, "A1"),)
    assert scoring.causes(r, r.risks[0], State({}), State({"A9": 0.4})) == (Cause(CauseKind.ASSUMPTION, "A9"),)
    assert scoring.causes(r, r.risks[0], State({"A9": 0.4}), State({})) == (Cause(CauseKind.ASSUMPTION, "A9"),)


# --------------------------------------------------------------------------- hypotheses


def test_with_beliefs_overrides_and_keeps_the_rest() -> None:
    s = State({"A1": 0.5, "A2": 0.8}, {"R1": AnalystScore(1, 1, {})}, frozenset({"M1"}))
    t = scoring.with_beliefs(SUPPLY, s, {"A2": 0.1})
    assert (t.beliefs, t.scores, t.applied) == ({"A1": 0.5, "A2": 0.1}, s.scores, s.applied)
    assert s.beliefs == {"A1": 0.5, "A2": 0.8}
    assert t.evidence is not None and t.evidence.sets["A2"][0] == 0.1


def test_a_preset_seen_sets_the_indicators_beliefs() -> None:
    ev = scoring.evidence_of(SUPPLY, BASE)
    scoring.count(ev, SUPPLY.indicators[0], scoring.Outcome.SEEN)
    assert ev.beliefs == {"A1": 0.1, "A2": 0.9}
    scoring.count(ev, SUPPLY.indicators[0], scoring.Outcome.NONE)
    assert ev.beliefs == {"A1": 0.1, "A2": 0.9}


def test_the_inherent_state_has_no_response_applied() -> None:
    assert scoring.inherent(State({"A1": 0.2}, {}, frozenset({"M1"}))) == State({"A1": 0.2}, {}, frozenset())


def test_find_prefers_an_exact_id_then_ignores_case_and_spaces() -> None:
    items = [Risk("r1", "lower", 1, 1), Risk("R1", "upper", 1, 1), Risk("R2", "two", 1, 1)]
    assert scoring.find(items, "R1").title == "upper"
    assert scoring.find(items, "r1").title == "lower"
    assert scoring.find(items, " r2 ").title == "two"
    assert scoring.find(iter(items), "R2").title == "two"
    assert scoring.find(iter(items), " r2").title == "two"  # an iterator, read once for both passes
    assert scoring.find(items, "R3") is None


def test_scenarios_by_name_and_the_error_lists_them() -> None:
    assert scoring.scenario_state(SUPPLY, BASE, "Squeeze").beliefs == {"A1": 0.0, "A2": 0.1}
    with pytest.raises(UserError, match=r"^unknown scenario 'boom'; the register has: squeeze$"):
        scoring.scenario_state(SUPPLY, BASE, "boom")
    with pytest.raises(UserError, match=r"the register has: no scenarios$"):
        scoring.scenario_state(register_of(), BASE, "boom")


# --------------------------------------------------------------------------- what-if


def test_what_if_reads_beliefs_indicators_and_responses_in_order() -> None:
    state, understood, overrides = scoring.what_if(SUPPLY, BASE, ["a1=fails, I2", "M1"])
    assert state == State({"A1": 0.0, "A2": 0.8}, {}, frozenset({"M1"}))
    assert [(w.kind, w.id, w.said, w.belief, w.applied) for w in understood] == [
        (MoveKind.BELIEF, "A1", "a1=fails", 0.0, None),
        (MoveKind.INDICATOR, "I2", "I2", None, None),
        (MoveKind.RESPONSE, "M1", "M1", None, True),
    ]
    assert overrides == []


def test_what_if_skips_empty_moves_and_spaces_around_the_parts() -> None:
    state, understood, _ = scoring.what_if(SUPPLY, BASE, ["A1 = fails,", ", I2 = observed", "M2 = off,M1= on"])
    assert state == State({"A1": 0.0, "A2": 0.8}, {}, frozenset({"M1"}))
    assert [(w.kind, w.id) for w in understood] == [
        (MoveKind.BELIEF, "A1"),
        (MoveKind.INDICATOR, "I2"),
        (MoveKind.RESPONSE, "M2"),
        (MoveKind.RESPONSE, "M1"),
    ]


def test_what_if_beliefs_that_agree_to_nine_places_are_one_value() -> None:
    assert scoring.what_if(SUPPLY, BASE, ["A1=50%", "A1=0.5000000004"])[2] == []
    assert scoring.what_if(SUPPLY, BASE, ["A1=50%", "A1=0.500000004"])[2] == [
        Override("A1", "A1=50%", "A1=0.500000004")
    ]
    assert scoring.what_if(SUPPLY, BASE, ["I1", "A1=0.1000000004"])[2] == []
    assert scoring.what_if(SUPPLY, BASE, ["I1", "A1=0.100000004"])[2] == [Override("A1", "I1", "A1=0.100000004")]
    near = Indicator("I8", "near", updates=(BeliefUpdate("A1", 0.1000000004),))
    far = Indicator("I9", "far", updates=(BeliefUpdate("A1", 0.100000004),))
    r = register_of(indicators=(near, far))
    assert scoring.what_if(r, BASE, ["I8", "A1=0.1"])[2] == []
    assert scoring.what_if(r, BASE, ["I9", "A1=0.1"])[2] == [Override("A1", "I9", "A1=0.1")]


@pytest.mark.parametrize("value", ["applied", "APPLY", "on", "yes", "true"])
def test_what_if_applies_a_response(value) -> None:
    state, (w,), _ = scoring.what_if(SUPPLY, BASE, [f"M2={value}"])
    assert state.applied == {"M2"} and w.applied is True


@pytest.mark.parametrize("value", ["withdrawn", "Withdraw", "off", "no", "false"])
def test_what_if_withdraws_a_response(value) -> None:
    state, (w,), _ = scoring.what_if(SUPPLY, State(BASE.beliefs, applied=frozenset({"M2"})), [f"M2={value}"])
    assert state.applied == frozenset() and w.applied is False


@pytest.mark.parametrize("value", ["observed", "Yes", "true"])
def test_what_if_observes_an_indicator(value) -> None:
    state, (w,), _ = scoring.what_if(SUPPLY, BASE, [f"I1={value}"])
    assert state.beliefs == {"A1": 0.1, "A2": 0.9} and w.kind is MoveKind.INDICATOR


def test_what_if_notes_a_later_move_that_overrides_an_earlier_one() -> None:
    _, _, overrides = scoring.what_if(SUPPLY, BASE, ["A1=fails", "A1=holds", "M1", "M1=off", "A2=0.8", "A2=80%"])
    assert overrides == [Override("A1", "A1=fails", "A1=holds"), Override("M1", "M1", "M1=off")]
    state, _, overrides = scoring.what_if(SUPPLY, BASE, ["I1", "A2=0.3"])
    assert overrides == [Override("A2", "I1", "A2=0.3")] and state.beliefs == {"A1": 0.1, "A2": 0.3}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ([" , "], "--what-if needs a move: an assumption (A2=fails), an indicator (I3) or a response (M1)"),
        ([""], "--what-if needs a move"),
        (["A1"], "--what-if 'A1': give a belief, e.g. A1=fails or A1=30%"),
        (["a1= "], "--what-if 'a1=': give a belief, e.g. A1=fails"),
        (["I1=no"], "--what-if 'I1=no': an indicator is either observed (I1) or not mentioned"),
        (["M1=maybe"], "--what-if 'M1=maybe': a response is M1=applied or M1=withdrawn"),
        (
            ["X1=1"],
            "--what-if 'X1=1': unknown id 'X1'; give an assumption (A2=fails), an indicator (I3) or a "
            "response (M1); the register has: A1, A2, I1, I2, M1, M2",
        ),
    ],
)
def test_what_if_refusals(given, message) -> None:
    with pytest.raises(UserError) as e:
        scoring.what_if(SUPPLY, BASE, given)
    assert str(e.value).startswith(message)


def test_what_if_on_an_empty_register_says_it_has_none() -> None:
    with pytest.raises(UserError, match=r"the register has: none$"):
        scoring.what_if(register_of(assumptions=()), BASE, ["X1"])


# --------------------------------------------------------------------------- reviews and directions


def test_an_indicator_never_observed_counts_from_the_register_date() -> None:
    rv = scoring.review(SUPPLY, I1, None, date(2025, 2, 10))  # as_of 2025-01-31, every 10 days
    assert (rv.every, rv.last, rv.due, rv.days, rv.status) == (10, None, "2025-02-10", 0, ReviewStatus.DUE)
    rv = scoring.review(SUPPLY, I2, None, date(2025, 2, 10))  # the rules' default period: 30 days
    assert (rv.every, rv.due, rv.days, rv.status) == (30, "2025-03-02", 20, ReviewStatus.UPCOMING)


def test_a_register_date_with_a_time_counts_from_its_day() -> None:
    r = register_of(as_of="2025-01-31T09:00:00Z")
    rv = scoring.review(r, I1, None, date(2025, 2, 11))
    assert (rv.due, rv.days, rv.status) == ("2025-02-10", -1, ReviewStatus.OVERDUE)


@pytest.mark.parametrize(("as_of", "last"), [("", None), ("someday", None), ("2025-13-45", None)])
def test_an_indicator_with_no_date_to_count_from_is_never_reviewed(as_of, last) -> None:
    r = register_of(as_of=as_of)
    rv = scoring.review(r, I1, last, date(2025, 2, 10))
    assert (rv.due, rv.days, rv.status, rv.overdue) == (None, None, ReviewStatus.NEVER, True)


def test_a_review_date_past_the_calendar_is_upcoming() -> None:
    rv = scoring.review(SUPPLY, Indicator("I9", "far", review_every=10**6), "9999-12-01", date(2025, 1, 1))
    assert (rv.last, rv.due, rv.days, rv.status, rv.overdue) == ("9999-12-01", None, None, ReviewStatus.UPCOMING, False)


def test_overdue_means_overdue_or_never_reviewed() -> None:
    def status(s: ReviewStatus) -> bool:
        return scoring.Review(1, None, None, None, s).overdue

    assert [status(s) for s in ReviewStatus] == [True, True, False, False]  # never, overdue, due, upcoming


def test_direction_of_a_belief_move() -> None:
    assert scoring.direction(0.5, 0.6) is Direction.UP
    assert scoring.direction(0.5, 0.4) is Direction.DOWN
    assert scoring.direction(0.5, 0.5 + 1e-12) is Direction.SAME
    assert scoring.direction(0.5, 0.5 - 1e-12) is Direction.SAME


def test_what_an_indicator_bears_on_and_which_way() -> None:
    """A format-1 indicator: the belief it sets, its direction measured from the belief now."""
    r = register_of(assumptions=(A1,))
    ind = Indicator("I", "x", updates=(BeliefUpdate("A1", 0.1), BeliefUpdate("A2", 0.9), BeliefUpdate("A9", 0.5)))
    got = [
        (d.assumption, d.belief, d.if_seen, d.if_absent, d.direction)
        for d in scoring.diagnosticity(ind, r.baseline_beliefs)
    ]
    assert got == [
        ("A1", 0.5, 0.1, None, Direction.DOWN),
        ("A2", 0.5, 0.9, None, Direction.UP),  # A2 is not in this register: from even odds
        ("A9", 0.5, 0.5, None, Direction.SAME),
    ]
    assert scoring.diagnosticity(ind, {"A1": 0.05})[0].direction is Direction.UP  # from where it stands


def test_acting_on_lists_effects_and_side_effects() -> None:
    assert scoring.acting_on(SUPPLY, "R1") == [("M1", ContributionKind.RESPONSE, Shift(likelihood=-1))]
    assert scoring.acting_on(SUPPLY, "R2") == [
        ("M1", ContributionKind.SIDE_EFFECT, Shift(impact=1)),
        ("M2", ContributionKind.RESPONSE, Shift(impact=-2)),
    ]
    assert scoring.acting_on(SUPPLY, "R3") == []


# --------------------------------------------------------------------------- analysis (format 2)


def test_content_words_drop_stop_words_and_short_ones_and_stem_plurals() -> None:
    assert scoring._words("The war is on") == {"war"}
    assert scoring._words("UN ox war") == {"war"}  # two letters: too short, stop word or not
    assert scoring._words("Korea’s forces pass ships; axes") == {"korea", "force", "pass", "ship", "axes"}


def test_reach_spans_every_belief_from_the_baseline_of_each_driver() -> None:
    r = Risk(
        "R1",
        "Stops",
        3,
        2,
        drivers=(
            Driver("A2", Shift(likelihood=-1, impact=1), Shift(likelihood=2)),  # A2 at 0.8: expected -0.4
            Driver("A9", Shift(likelihood=1), Shift()),  # not in the register: from even odds, expected 0.5
        ),
    )
    register = register_of([r])
    lo, hi = scoring.reach(register, r, Axis.LIKELIHOOD)
    assert (round(lo, 9), round(hi, 9)) == (1.9, 5.9)  # 3 + (-1 + 0.4) + (0 - 0.5); 3 + (2 + 0.4) + (1 - 0.5)
    lo, hi = scoring.reach(register, r, Axis.IMPACT)
    assert (round(lo, 9), round(hi, 9)) == (1.2, 2.2)  # 2 + (0 - 0.8); 2 + (1 - 0.8)


def test_support_is_the_registers_when_stated_else_derived_from_the_belief() -> None:
    stated = Assumption("A1", "Supply holds.", 0.9, support="caveated")
    derived = Assumption("A2", "Demand holds.", 0.9)
    register = register_of(assumptions=(stated, derived))
    assert scoring.support_of(register, "A1") == ("caveated", False)
    assert scoring.support_of(register, "A1", 0.1) == ("caveated", False)
    assert scoring.support_of(register, "A2") == ("solid", True)  # its own belief
    assert scoring.support_of(register, "A2", 0.1) == ("unsupported", True)  # the belief given
    assert scoring.support_of(register, "A9") == ("caveated", True)  # unknown: even odds
    assert scoring.support_of(register, "A9", 0.95) == ("solid", True)


def _codes(findings: list[Finding], code: FindingCode) -> list[Finding]:
    return [f for f in findings if f.code is code]


def test_clamp_is_flagged_below_the_scale_and_not_at_its_end() -> None:
    below = Risk("R1", "Below", 1, 3, drivers=(Driver("A1", Shift(likelihood=-0.5), Shift(likelihood=0.5)),))
    at_end = Risk("R2", "At the end", 2, 3, drivers=(Driver("A1", Shift(likelihood=-1), Shift(likelihood=1)),))
    (f,) = _codes(scoring.coherence(register_of([below, at_end])), FindingCode.CLAMP)
    assert (f.subject, f.axis, f.values) == ("R1", Axis.LIKELIHOOD, (0.5, 1.5, 5.0))


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Supply holds firm", False),  # 2 of 3 words shared: too few
        ("Supply holds steady amid freight delays", True),  # 3 of 6: half the title
        ("Supply holds steady amid costly freight delays nationwide", False),  # 3 of 8: less than half
    ],
)
def test_restates_needs_three_shared_words_and_half_the_title(title: str, flagged: bool) -> None:
    statement = Assumption("A1", "Supply holds steady under pressure", 0.5)
    r = Risk("R1", title, 3, 3, drivers=(NOTED_UP_IF_FAILS,))
    found = _codes(scoring.coherence(register_of([r], assumptions=(statement, A2))), FindingCode.RESTATES)
    assert bool(found) is flagged


def _hub_register(dependents: int, total: int) -> Register:
    risks = [
        Risk(f"R{i}", f"Risk {i}", 2, 2, drivers=(NOTED_UP_IF_FAILS,) if i <= dependents else ())
        for i in range(1, total + 1)
    ]
    return register_of(risks)


@pytest.mark.parametrize(
    ("dependents", "total", "flagged"),
    [
        (2, 4, False),  # more than a third, but fewer than three risks
        (3, 9, False),  # exactly a third
        (3, 8, True),
        (4, 10, True),
        (3, 10, False),
    ],
)
def test_a_hub_drives_three_risks_or_more_and_more_than_a_third(dependents: int, total: int, flagged: bool) -> None:
    found = _codes(scoring.coherence(_hub_register(dependents, total)), FindingCode.HUB)
    assert found == ([Finding(FindingCode.HUB, "A1", (), None, (float(dependents), float(total)))] if flagged else [])


def _linked(belief: float, holds: float, fails: float, parent: float = 0.5, exclusive: bool = False) -> Register:
    p = Assumption("A1", "Parent.", parent, excludes=("A2",) if exclusive else ())
    child = Assumption("A2", "Child.", belief, given=Conditional("A1", holds, fails))
    return register_of(assumptions=(p, child))


def test_given_beliefs_five_points_apart_are_rounding_not_a_finding() -> None:
    assert _codes(scoring.coherence(_linked(0.5, 0.6, 0.5)), FindingCode.GIVEN) == []  # implies 0.55
    (f,) = _codes(scoring.coherence(_linked(0.5, 0.62, 0.5)), FindingCode.GIVEN)  # implies 0.56
    assert (f.subject, f.related) == ("A2", ("A1",)) and f.values == pytest.approx((0.56, 0.5))


def test_a_joint_state_barely_over_its_bound_is_rounding_not_a_finding() -> None:
    tiny = _linked(0.447, 0.9, 0.0)  # P(A1 ∧ A2) = 0.45 > P(A2) = 0.447 by 0.003
    (conflict,) = scoring.conditional_conflicts(tiny)
    assert conflict.joint - conflict.bound == pytest.approx(0.003)
    assert _codes(scoring.coherence(tiny), FindingCode.JOINT) == []
    (f,) = _codes(scoring.coherence(_linked(0.4, 0.9, 0.0)), FindingCode.JOINT)
    assert (f.subject, f.related) == ("A2", ("A1",)) and f.values == pytest.approx((1.0, 1.0, 0.45, 0.4))


@pytest.mark.parametrize(
    ("register", "worst"),
    [
        (_linked(0.5, 1.0, 0.0), None),  # joint states exactly at their bounds: consistent
        (_linked(0.5, 0.5, 0.5, parent=0.5), None),
        (_linked(0.3, 0.9, 0.9), (True, True, 0.45, 0.3)),  # a tie: the first joint state
        (_linked(0.3, 0.9, 0.9, parent=0.4), (False, True, 0.54, 0.3)),  # the worst, not the first
        (_linked(0.8, 0.1, 0.9, parent=0.5), (True, False, 0.45, 0.2)),  # P(A1 ∧ ¬A2) = 0.45 > P(¬A2)
        (_linked(0.8, 0.9, 0.1, parent=0.4), (False, False, 0.54, 0.2)),  # P(¬A1 ∧ ¬A2) = 0.6·0.9 > 0.2
        (_linked(0.5, 0.9, 0.5, parent=0.5, exclusive=True), (True, True, 0.45, 0.0)),  # exclusive: bound 0
    ],
)
def test_conditional_conflicts_name_the_worst_joint_state(register: Register, worst) -> None:
    found = scoring.conditional_conflicts(register)
    if worst is None:
        assert found == []
    else:
        (c,) = found
        assert (c.parent_holds, c.holds) == worst[:2] and (c.joint, c.bound) == pytest.approx(worst[2:])


def _exclusive(a1: float, a2: float, scenarios: tuple[Scenario, ...] = (), both_ways: bool = True) -> Register:
    return register_of(
        assumptions=(
            Assumption("A1", "Supply holds.", a1, excludes=("A2", "A9")),  # A9: not in the register
            Assumption("A2", "Demand holds.", a2, excludes=("A1",) if both_ways else ()),
            Assumption("A3", "Prices hold.", 0.5),
        ),
        scenarios=scenarios,
    )


def test_assumptions_that_exclude_each_other_may_not_add_up_past_one() -> None:
    assert _codes(scoring.coherence(_exclusive(0.5, 0.5)), FindingCode.EXCLUDES) == []  # exactly 1
    found = _codes(scoring.coherence(_exclusive(0.7, 0.6)), FindingCode.EXCLUDES)
    assert found == [Finding(FindingCode.EXCLUDES, "A1", ("A2",), None, (0.7, 0.6))]  # once, though both say so
    one_way = _codes(scoring.coherence(_exclusive(0.7, 0.6, both_ways=False)), FindingCode.EXCLUDES)
    assert one_way == found
    assert _codes(scoring.coherence(_exclusive(0.95, 0.02)), FindingCode.EXCLUDES) == []  # A9 is no one


def test_a_scenario_that_sets_excluding_assumptions_together_is_flagged() -> None:
    scenarios = (
        Scenario("both", "Both", beliefs=(("A1", 0.9),)),  # with A2 at its 0.4: 1.3
        Scenario("second", "Second", beliefs=(("A2", 0.7),)),  # with A1 at its 0.5: 1.2
        Scenario("neither", "Neither", beliefs=(("A3", 1.0),)),  # A1 + A2 = 0.9 as they stand
        Scenario("fits", "Fits", beliefs=(("A1", 0.6),)),  # 0.6 + 0.4 = 1.0
    )
    found = _codes(scoring.coherence(_exclusive(0.5, 0.4, scenarios)), FindingCode.EXCLUDES)
    assert found == [
        Finding(FindingCode.EXCLUDES, "both", ("A1", "A2"), None, (0.9, 0.4)),
        Finding(FindingCode.EXCLUDES, "second", ("A1", "A2"), None, (0.5, 0.7)),
    ]
    high = Scenario("high", "High", beliefs=(("A1", 0.6), ("A3", 0.2)))  # 0.6 + 0.7 with A2 as it stands
    found = _codes(scoring.coherence(_exclusive(0.2, 0.7, (high,))), FindingCode.EXCLUDES)
    assert found == [Finding(FindingCode.EXCLUDES, "high", ("A1", "A2"), None, (0.6, 0.7))]


def test_responses_that_exclude_each_other_are_flagged_when_both_are_applied() -> None:
    m1 = Response("M1", "Second supplier", excludes=("M2",))
    m2 = Response("M2", "Sole-source deal", excludes=("M1",))
    register = register_of(responses=(m1, m2))
    for applied in ({"M1"}, {"M2"}, set()):
        state = State(register.baseline_beliefs, applied=frozenset(applied))
        assert _codes(scoring.coherence(register, state=state), FindingCode.EXCLUDES) == []
    both = State(register.baseline_beliefs, applied=frozenset({"M1", "M2"}))
    found = _codes(scoring.coherence(register, state=both), FindingCode.EXCLUDES)
    assert found == [Finding(FindingCode.EXCLUDES, "M1", ("M2",), None, (1.0, 1.0))]


SIGNPOST = Indicator("I3", "Port closures", bears_on=(Bearing("A1", 3.0, 0.5),))


def test_a_signpost_on_a_belief_not_given_counts_from_even_odds() -> None:
    assert scoring.observation(SIGNPOST, {}, scoring.Outcome.SEEN) == {"A1": pytest.approx(0.75)}
    assert scoring.observation(SIGNPOST, {}, scoring.Outcome.ABSENT) == {"A1": pytest.approx(1 / 3)}
    (d,) = scoring.diagnosticity(SIGNPOST, {})
    assert (d.belief, d.if_seen, d.if_absent) == (0.5, pytest.approx(0.75), pytest.approx(1 / 3))


def test_what_if_a_signpost_is_seen_or_absent_and_nothing_else() -> None:
    register = register_of(indicators=(SIGNPOST,))
    with pytest.raises(UserError) as e:
        scoring.what_if(register, scoring.baseline_state(register), ["I3=maybe"])
    assert str(e.value) == "--what-if 'I3=maybe': a signpost is seen (I3) or absent (I3=absent)"


@pytest.mark.parametrize(
    ("extra", "upside"),
    [
        ((("kind", "opportunity"),), True),
        ((("Kind", " Opportunity "),), True),  # as a sheet's column may spell it
        ((("source", "audit"), ("kind", "opportunity")), True),
        ((("kind", "threat"),), False),
        ((("type", "opportunity"),), False),
        ((), False),
    ],
)
def test_a_risk_is_an_opportunity_when_its_kind_says_so(extra, upside) -> None:
    assert scoring.is_opportunity(Risk("R1", "t", 1, 1, extra=extra)) is upside


# --------------------------------------------------------------------------- beliefs given alone

# A2 leans on A1: 0.65 if A1 holds, 0.4 if it fails (so 0.6 at A1's 0.8); I1 is evidence on A1.
LINKED = register_of(
    [Risk("R1", "Stops", 3, 4)],
    (
        Assumption("A1", "Supply holds.", 0.8),
        Assumption("A2", "Demand holds.", 0.6, given=Conditional("A1", 0.65, 0.4)),
    ),
    indicators=(Indicator("I1", "Port open", bears_on=(Bearing("A1", 3.0),)),),
)


def test_from_the_registers_beliefs_a_belief_set_moves_the_ones_linked_to_it() -> None:
    moved = scoring.with_beliefs(LINKED, scoring.baseline_state(LINKED), {"A2": 1.0}).beliefs
    assert moved["A2"] == 1.0
    assert moved["A1"] == pytest.approx(0.8 * 0.65 / 0.6)  # Bayes: P(A1 | A2 holds)


def test_a_state_of_beliefs_alone_sets_those_that_differ_from_the_registers() -> None:
    """As ``inherent`` leaves a state: its beliefs without their evidence. A1 differs and is set;
    A2 is as the register has it, so it follows A1 (0.2 × 0.65 + 0.8 × 0.4)."""
    beliefs = scoring.posterior(LINKED, State({"A1": 0.2, "A2": 0.6})).beliefs
    assert beliefs["A1"] == pytest.approx(0.2) and beliefs["A2"] == pytest.approx(0.45)


def test_a_hypothesis_adds_to_the_states_evidence_and_does_not_fix_what_it_moved() -> None:
    """A1 was moved by an observation, not set: a what-if on A2 moves it further."""
    ev = scoring.evidence_of(LINKED, scoring.baseline_state(LINKED))
    scoring.count(ev, LINKED.indicators[0], Outcome.SEEN)
    observed = scoring.with_evidence(scoring.baseline_state(LINKED), ev)
    assert observed.beliefs["A1"] == pytest.approx(0.8 * 3 / (0.8 * 3 + 0.2))
    after = scoring.with_beliefs(LINKED, observed, {"A2": 1.0}).beliefs
    assert after["A2"] == 1.0 and after["A1"] > observed.beliefs["A1"] + 0.01


def test_a_tie_on_the_impact_axis_goes_toward_the_impact_level_and_is_a_warning() -> None:
    """R1 (likelihood 2, impact 4) with A1 failing: impact 3.5, a tie, read toward 4 — not
    toward the likelihood's 2 — and said."""
    reg = register_of(
        [Risk("R1", "t", 2, 4, drivers=(Driver("A1", Shift(), Shift(impact=-1)),))], (Assumption("A1", "s", 0.5),)
    )
    s = score_all(reg, scoring.with_beliefs(reg, baseline_state(reg), {"A1": 0.0}))[0]
    assert (s.impact, s.cell) == (3.5, (2, 4))
    (tie,) = [f for f in coherence(reg, [s]) if f.code is FindingCode.TIE]
    assert (tie.id, tie.values) == ("W-tie-R1-impact", (3.5, 4.0))


def test_a_response_done_in_the_register_moves_its_risk_in_the_baseline() -> None:
    done = Response("M1", "Done already", effects=(Effect("R1", Shift(likelihood=-1)),), status=Progress.DONE)
    reg = register_of([Risk("R1", "t", 3, 4)], (A1,), responses=(done,))
    (s,) = score_all(reg)
    assert (s.likelihood, s.cell) == (2.0, (2, 4))


def test_a_certain_belief_revised_contradicts_its_links_and_only_its_links() -> None:
    """A1 (0, unlinked) set to 0.5 is a revision, nothing more; A3 (certain, since A2 is) set to
    0.5 contradicts the link: the tree of A2 is named."""
    reg = register_of(
        [Risk("R1", "t", 2, 4)],
        (
            Assumption("A1", "s", 0.0),
            Assumption("A2", "t", 1.0),
            Assumption("A3", "u", 1.0, given=Conditional("A2", 1.0, 1.0)),
        ),
    )

    def contradictions(beliefs: dict[str, float]) -> list[str]:
        state = scoring.with_beliefs(reg, baseline_state(reg), beliefs)
        return [f.id for f in scoring.state_findings(reg, state=state) if f.code is FindingCode.CONTRADICTS]

    assert contradictions({"A1": 0.5}) == []
    assert contradictions({"A3": 0.5}) == ["W-contradicts-A2"]


def test_no_beliefs_to_set_is_the_state_as_it_is() -> None:
    """Not even a state of beliefs alone is read again (A2 would follow A1 there, to 0.45)."""
    state = State({"A1": 0.2, "A2": 0.6})
    assert scoring.with_beliefs(LINKED, state, {}) is state


def test_a_review_with_nothing_to_record_is_no_evidence() -> None:
    """observe --none: the signpost was looked at, and neither seen nor looked for in vain."""
    assert scoring.observation(SIGNPOST, {"A1": 0.5}, Outcome.NONE) == {}
    assert scoring.observation(SIGNPOST, {"A1": 0.5}, Outcome.ABSENT) == {"A1": pytest.approx(1 / 3)}
    ev = scoring.evidence_of(LINKED, baseline_state(LINKED))
    scoring.count(ev, SIGNPOST, Outcome.NONE)  # its absence ratio, 0.5, would move A1
    assert ev.beliefs == dict(LINKED.baseline_beliefs)


def test_an_indicator_that_sets_beliefs_sets_them_when_seen_only() -> None:
    for outcome, a1 in ((Outcome.SEEN, 0.1), (Outcome.ABSENT, 0.5)):
        ev = scoring.evidence_of(SUPPLY, BASE)
        scoring.count(ev, I1, outcome)  # I1 sets A1 to 0.1 and A2 to 0.9 when seen
        assert ev.beliefs["A1"] == pytest.approx(a1)
