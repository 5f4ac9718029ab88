"""rules.py: parsing what analysts type (levels, ICD 203 phrases, probabilities and beliefs),
probability bands at their edges, belief labels, cell rounding, grid lookup and derivation."""

from __future__ import annotations

import dataclasses

import pytest

from riskcli.model import Band, Level, Rating, Scale, UserError
from riskcli.register import default_rules
from riskcli.render.layout import Key
from riskcli.render.words import understood
from riskcli.results import convert
from riskcli.rules import (
    Via,
    band_for,
    belief_label,
    cell_of,
    derived_grid,
    is_tie,
    parse_belief,
    parse_level,
    probability_level,
)

RULES = default_rules()
L, I, W = RULES.likelihood, RULES.impact, RULES.words  # noqa: E741 - the scales' own letters


@pytest.mark.parametrize(
    ("said", "level", "echo"),
    [
        ("3", 3, "3 → 3 Possible (20–55%)"),
        (4, 4, "4 → 4 Likely (55–80%)"),
        ("unlikely", 2, "unlikely → 2 Unlikely (5–20%)"),  # the level name wins over ICD 203
        ("Almost Certain", 5, "Almost Certain → 5 Almost certain (≥ 80%)"),
        ("very likely", 5, "very likely → 5 Almost certain (≥ 80%) at 87.5%"),
        ("roughly even chance", 3, "roughly even chance → 3 Possible (20–55%) at 50%"),
        ("very unlikely", 2, "very unlikely → 2 Unlikely (5–20%) at 12.5%"),
        ("almost no chance", 1, "almost no chance → 1 Rare (< 5%) at 3%"),
        ("30%", 3, "30% → 3 Possible (20–55%) at 30%"),
        ("0.3", 3, "0.3 → 3 Possible (20–55%) at 30%"),
        ("5%", 2, "5% → 2 Unlikely (5–20%) at 5%"),
        ("100%", 5, "100% → 5 Almost certain (≥ 80%) at 100%"),
        ("0%", 1, "0% → 1 Rare (< 5%) at 0%"),
        ("1", 1, "1 → 1 Rare (< 5%)"),
        ("2.0", 2, "2.0 → 2 Unlikely (5–20%)"),  # a whole number is a level, even written 2.0
        ("0.99", 5, "0.99 → 5 Almost certain (≥ 80%) at 99%"),
    ],
)
def test_likelihood_forms(said, level, echo) -> None:
    parsed = parse_level(L, W, said)
    assert parsed.value == level
    assert understood(Key.of(RULES), convert.understood("likelihood", parsed)) == echo


@pytest.mark.parametrize(
    "said",
    [
        "6",
        "0",
        "0.0.1",
        "sometimes",
        "",
        "150%",
        "-1",
        "2.5",
        "likely-ish",
        "inf",
        "nan",
        float("inf"),
        float("nan"),
        10**400,
    ],
)
def test_likelihood_refusals_list_the_accepted_forms(said) -> None:
    with pytest.raises(UserError) as e:
        parse_level(L, W, said)
    assert "likelihood" in str(e.value)


def test_refusal_names_every_accepted_form() -> None:
    with pytest.raises(UserError) as e:
        parse_level(L, W, "sometimes")
    msg = str(e.value)
    for form in ("level 1–5", "rare", "almost certain", "ICD 203", "30%"):
        assert form in msg


def test_impact_takes_numbers_and_names_only() -> None:
    assert parse_level(I, W, "major").value == 4
    assert parse_level(I, W, "5").value == 5
    with pytest.raises(UserError):
        parse_level(I, W, "30%")
    with pytest.raises(UserError):
        parse_level(I, W, "very likely")


@pytest.mark.parametrize(
    ("said", "belief", "label"),
    [
        ("holds", 1.0, "solid"),
        ("fails", 0.0, "unsupported"),
        ("uncertain", 0.5, "caveated"),
        ("very likely", 0.875, "solid"),
        ("likely", 0.675, "caveated"),
        ("70%", 0.7, "caveated"),
        ("0.8", 0.8, "solid"),
        (0.2, 0.2, "unsupported"),
    ],
)
def test_beliefs(said, belief, label) -> None:
    parsed = parse_belief(W, said)
    assert parsed.value == pytest.approx(belief)
    assert belief_label(W, parsed.value) == label


@pytest.mark.parametrize("said", ["1.5", "-0.1", "120%", "perhaps", ""])
def test_belief_refusals(said) -> None:
    with pytest.raises(UserError):
        parse_belief(W, said)


def test_derived_grid_matches_the_familiar_5x5_bands() -> None:
    grid = derived_grid(5, 5, RULES.rating)
    by_product = {}
    for li in range(1, 6):
        for ii in range(1, 6):
            by_product.setdefault(li * ii, set()).add(grid[li - 1][ii - 1])
    assert all(len(v) == 1 for v in by_product.values())
    band = {p: next(iter(v)) for p, v in by_product.items()}
    assert [band[p] for p in (1, 4, 5, 9, 10, 16, 20, 25)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
        "critical",
        "critical",
    ]


def test_derived_grid_for_other_sizes_is_monotonic() -> None:
    grid = derived_grid(3, 4, RULES.rating)
    order = [b.id for b in RULES.rating.bands]
    for row in grid:
        ranks = [order.index(c) for c in row]
        assert ranks == sorted(ranks)
    assert grid[0][0] == "low" and grid[-1][-1] == "critical"


@pytest.mark.parametrize(
    ("said", "message"),
    [
        ("0", "likelihood '0' is out of range; levels are 1–5 (for a probability of zero write 0%)"),
        ("1.5", "likelihood '1.5' is not a whole level; levels are 1–5"),
        (float("inf"), "likelihood 'inf' is out of range; levels are 1–5"),
    ],
)
def test_refusal_messages(said, message) -> None:
    with pytest.raises(UserError) as e:
        parse_level(L, W, said)
    assert str(e.value) == message


@pytest.mark.parametrize("said", ["1.0", "1.", "1.00", "+1.0"])
def test_one_with_a_decimal_point_is_refused_as_ambiguous(said) -> None:
    """1.0 is level 1 (Rare) or a probability of 100% (Almost certain): riskcli does not guess."""
    with pytest.raises(UserError) as e:
        parse_level(L, W, said)
    assert str(e.value) == f"likelihood '{said}' is ambiguous: write 1 for the level (Rare) or 100% for the probability"


def test_one_with_a_decimal_point_is_a_level_on_a_scale_without_probabilities() -> None:
    assert parse_level(I, W, "1.0").value == 1  # impact has no bands: 1.0 can only be level 1


def test_score_refuses_an_ambiguous_likelihood_and_records_nothing(run, tmp_path) -> None:
    journal = tmp_path / "j.jsonl"
    result = run("--journal", str(journal), "score", "R6", "-l", "1.0", "--why", "x")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: likelihood '1.0' is ambiguous: write 1 for the level (Rare) or 100% for the probability\n"
    )
    assert not journal.exists()
    assert "understood: 1 → 1 Rare" not in result.stdout
    one = run("--journal", str(journal), "score", "R6", "-l", "1", "--why", "x")
    assert one.exit_code == 0 and "  1 → 1 Rare (< 5%)\n" in one.stdout
    near = run("--journal", str(journal), "score", "R6", "-l", "0.99", "--why", "x")
    assert near.exit_code == 0 and "  0.99 → 5 Almost certain (≥ 80%) at 99%\n" in near.stdout


def test_a_level_answers_to_its_other_names_whatever_their_case() -> None:
    levels = list(I.levels)
    levels[1] = dataclasses.replace(levels[1], aliases=("Mineur",))
    levels[3] = dataclasses.replace(levels[3], aliases=("Majeur", "Important"))
    scale = dataclasses.replace(I, levels=tuple(levels))
    assert [(p.value, p.via) for p in (parse_level(scale, W, s) for s in ("majeur", "IMPORTANT", "Mineur"))] == [
        (4, Via.NAME),
        (4, Via.NAME),
        (2, Via.NAME),
    ]
    with pytest.raises(
        UserError, match=r"^impact 'Moyen' is not understood; give a level 1–5 or a level name \(insignificant,"
    ):
        parse_level(scale, W, "Moyen")


@pytest.mark.parametrize(("value", "said"), [([3], "'[3]'"), ({"level": 3}, "\"{'level': 3}\"")])
def test_a_value_that_is_not_text_or_a_number_is_refused_by_its_form(value, said) -> None:
    with pytest.raises(UserError) as e:
        parse_level(L, W, value)
    assert str(e.value).startswith(f"likelihood {said} is not understood; give a level 1–5, a level name (rare,")


# Bands need not start at 0 or end at 1: a scale for a register that never says "never".
NARROW = Scale(
    "likelihood",
    (Level(1, "Low", low=0.1, high=0.4), Level(2, "Mid", low=0.4, high=0.7), Level(3, "High", low=0.7, high=0.9)),
)


ONE = Scale("likelihood", (Level(1, "Only", low=0.2, high=0.6),))


@pytest.mark.parametrize(
    ("p", "level"),
    [(0.0, 1), (0.05, 1), (0.1, 1), (0.39, 1), (0.4, 2), (0.69, 2), (0.7, 3), (0.89, 3), (0.9, 3), (1.0, 3)],
)
def test_probabilities_outside_the_bands_go_to_the_nearest_end(p, level) -> None:
    assert probability_level(NARROW, p) == level


@pytest.mark.parametrize("p", [0.0, 0.2, 0.59, 0.6, 1.0])
def test_a_one_level_scale_reads_every_probability_as_its_level(p) -> None:
    assert probability_level(ONE, p) == 1


@pytest.mark.parametrize(
    ("p", "level"), [(0.0, 1), (0.0499, 1), (0.05, 2), (0.2, 3), (0.55, 4), (0.8, 5), (0.9999, 5), (1.0, 5)]
)
def test_a_band_holds_its_lower_bound(p, level) -> None:
    assert probability_level(L, p) == level


def test_an_impact_refusal_offers_levels_and_names_only() -> None:
    with pytest.raises(UserError) as e:
        parse_level(I, W, "sometimes")
    assert str(e.value) == (
        "impact 'sometimes' is not understood; give a level 1–5 or a level name "
        "(insignificant, minor, moderate, major, catastrophic)"
    )


@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_not_numbers(value) -> None:
    with pytest.raises(UserError):
        parse_level(L, W, value)
    with pytest.raises(UserError):
        parse_belief(W, value)


@pytest.mark.parametrize(("said", "level", "p"), [(".5%", 1, 0.005), ("+30%", 3, 0.3), ("30 %", 3, 0.3)])
def test_percentages_in_every_number_form(said, level, p) -> None:
    parsed = parse_level(L, W, said)
    assert (parsed.value, parsed.probability) == (level, pytest.approx(p))
    assert parse_belief(W, said).value == pytest.approx(p)


@pytest.mark.parametrize(
    ("scale", "said", "message"),
    [
        (L, "-5%", "likelihood '-5%': a probability must be between 0% and 100%"),
        (L, "100.5%", "likelihood '100.5%': a probability must be between 0% and 100%"),
        (L, "-0.5", "likelihood '-0.5' is not a whole level; levels are 1–5"),
        (L, "7", "likelihood '7' is out of range; levels are 1–5"),
        (I, "0", "impact '0' is out of range; levels are 1–5"),  # no bands: no hint about 0%
        (I, "0.5", "impact '0.5' is not a whole level; levels are 1–5"),
        (I, "50%", "impact '50%' is not understood; give a level 1–5 or a level name"),
    ],
)
def test_level_refusals_say_exactly_why(scale, said, message) -> None:
    with pytest.raises(UserError) as e:
        parse_level(scale, W, said)
    assert str(e.value).startswith(message)
    assert "write 0%" not in str(e.value)


@pytest.mark.parametrize(("said", "belief"), [("0", 0.0), ("1", 1.0), ("0%", 0.0), ("100%", 1.0), (1, 1.0), (0.0, 0.0)])
def test_the_ends_of_the_belief_range_are_beliefs(said, belief) -> None:
    assert parse_belief(W, said).value == belief


@pytest.mark.parametrize("value", [None, [0.5], "   ", {}])
def test_beliefs_that_are_neither_numbers_nor_words_are_refused(value) -> None:
    with pytest.raises(UserError) as e:
        parse_belief(W, value)
    assert "is not understood; give holds, fails, uncertain" in str(e.value)


def test_a_belief_just_below_a_label_minimum_within_rounding_takes_it() -> None:
    assert belief_label(W, 0.8 - 1e-12) == "solid"
    assert belief_label(W, 0.8 - 1e-9) == "caveated"


def test_a_belief_below_every_label_takes_the_lowest() -> None:
    words = dataclasses.replace(W, labels=(("high", 0.9), ("middle", 0.6), ("low", 0.3)))
    assert [belief_label(words, b) for b in (0.95, 0.6, 0.3, 0.1)] == ["high", "middle", "low", "low"]
    assert belief_label(dataclasses.replace(W, labels=()), 0.5) == ""


@pytest.mark.parametrize(
    ("value", "toward", "cell"),
    [
        (0.2, 1, 1),  # held within the scale
        (1.0, 3, 1),
        (1.49, 1, 1),
        (1.51, 1, 2),  # past the half: the nearer level, whatever the anchor
        (2.49, 5, 2),
        (1.5, 1, 1),  # a tie goes toward the anchor, down …
        (1.5, 2, 2),  # … or up
        (2.5, 5, 3),
        (2.5, 2, 2),
        (3.5, 1, 3),  # an anchor further below still pulls down
        (1.4999999999999998, 1, 1),  # float error below a half is the half it stands for: a tie
        (1.4999999999999998, 4, 2),
        (2.49999999995, 3, 3),  # within 9 places of a half: a tie
        (2.4999999995, 3, 2),  # beyond 9 places: below the half
        (4.6, 1, 5),
        (7.0, 1, 5),
        (5.5, 1, 5),  # a tie past the top is held at the top
    ],
)
def test_cells_round_to_the_nearest_level_and_ties_toward_the_anchor(value, toward, cell) -> None:
    assert cell_of(value, 5, toward) == cell


@pytest.mark.parametrize(("value", "tie"), [(1.5, True), (2.49999999995, True), (2.4999999995, False), (3.0, False)])
def test_a_tie_is_exactly_half_way_to_nine_places(value, tie) -> None:
    assert is_tie(value) is tie


def test_band_lookup_reads_the_grid_by_likelihood_row_and_impact_column() -> None:
    bands = tuple(Band(b, b, "white") for b in ("a", "b", "c", "d", "e", "f"))
    rating = Rating(bands, (("a", "b", "c"), ("d", "e", "f")))
    rules = dataclasses.replace(RULES, rating=rating)
    assert [[band_for(rules, li, ii).id for ii in (1, 2, 3)] for li in (1, 2)] == [["a", "b", "c"], ["d", "e", "f"]]
    assert band_for(RULES, 5, 5).id == "critical" and band_for(RULES, 1, 1).id == "low"


def test_the_derived_5x5_grid_bands_every_product() -> None:
    grid = derived_grid(5, 5, RULES.rating)
    assert len(grid) == 5 and all(len(row) == 5 for row in grid)
    expected = dict.fromkeys(range(1, 5), "low") | dict.fromkeys(range(5, 10), "medium")
    expected |= dict.fromkeys(range(10, 17), "high") | dict.fromkeys(range(17, 26), "critical")
    for li in range(1, 6):
        for ii in range(1, 6):
            assert grid[li - 1][ii - 1] == expected[li * ii], (li, ii)


def test_a_derived_grid_with_three_bands_on_3x4() -> None:
    rating = Rating(tuple(Band(b, b, "white") for b in ("g", "a", "r")), ())
    assert derived_grid(3, 4, rating) == (
        ("g", "g", "g", "a"),
        ("g", "a", "a", "r"),
        ("g", "a", "r", "r"),
    )


def test_long_input_is_quoted_cut_to_sixty_characters() -> None:
    for said, shown in (
        ("x" * 60, repr("x" * 60)),
        ("x" * 61, repr("x" * 57 + "...")),
        ("y" * 58 + "z" * 10, repr("y" * 57 + "...")),
    ):
        with pytest.raises(UserError) as e:
            parse_level(L, W, said)
        assert str(e.value).startswith(f"likelihood {shown} is not understood")
