"""Parsing what analysts type: levels, ICD 203 phrases, probabilities and beliefs."""

from __future__ import annotations

import dataclasses

import pytest

from riskcli.model import UserError
from riskcli.register import default_rules
from riskcli.render.layout import Key
from riskcli.render.words import understood
from riskcli.results import convert
from riskcli.rules import Via, belief_label, derived_grid, parse_belief, parse_level

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
