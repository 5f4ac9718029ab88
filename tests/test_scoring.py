"""The scoring formula on hand-made registers (DESIGN §4)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli.model import Assumption, Axis, Driver, End, Indicator, Register, Risk, Shift
from riskcli.register import default_rules
from riskcli.scoring import (
    AnalystScore,
    Cause,
    CauseKind,
    Clamp,
    FindingCode,
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
