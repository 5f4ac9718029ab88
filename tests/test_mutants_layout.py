"""What `explain` shows adds up: hundredths rounded by largest remainder, and how they are written."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli.render.layout import adding_up, cents


@pytest.mark.parametrize(
    ("values", "shown"),
    [
        ([1 / 3, 1 / 3, 1 / 3], [34, 33, 33]),  # 0.33 × 3 would show 0.99 for a total of 1.00
        ([2 / 3, 2 / 3, 2 / 3], [67, 67, 66]),  # 0.67 × 3 would show 2.01 for 2.00
        ([3, 1 / 3, 1 / 3, 1 / 3], [300, 34, 33, 33]),  # a whole start and three thirds: 4.00
        ([-1 / 3, -1 / 3, -1 / 3], [-33, -33, -34]),  # -1.00
        ([3, -1 / 3, -1 / 3], [300, -33, -34]),  # 2.33: the remainders are counted from below
        ([2.5, 0.25, -0.75], [250, 25, -75]),  # exact hundredths are left alone
        ([3, 0.1, 0.2], [300, 10, 20]),  # 0.1 and 0.2 are not exact in binary, and still shown exact
    ],
)
def test_hundredths_add_up_to_the_rounded_total(values, shown) -> None:
    assert adding_up(values) == shown
    assert sum(shown) == round(sum(values) * 100)


def test_the_largest_remainder_gets_the_extra_hundredth() -> None:
    """0.126 + 0.124 = 0.25 → 25 hundredths: 12 + 12 is one short, and 0.126 is nearer to rounding up."""
    assert adding_up([0.126, 0.124]) == [13, 12]
    assert adding_up([0.124, 0.126]) == [12, 13]
    assert adding_up([0.124, 0.3, 0.126]) == [12, 30, 13]


def test_nothing_adds_up_to_nothing() -> None:
    assert adding_up([]) == []


@settings(max_examples=150, deadline=None)
@given(st.lists(st.floats(min_value=-5, max_value=5, allow_nan=False), min_size=1, max_size=8))
def test_shown_hundredths_always_sum_to_the_rounded_total_and_stay_within_one(values) -> None:
    shown = adding_up(values)
    assert sum(shown) == round(sum(v * 100 for v in values))
    assert all(math.floor(v * 100) - 1 <= s <= math.ceil(v * 100) + 1 for v, s in zip(values, shown, strict=True))
    assert all(abs(s - v * 100) < 1 + 1e-6 for v, s in zip(values, shown, strict=True))


@pytest.mark.parametrize(
    ("n", "signed", "text"),
    [
        (0, False, "0.00"),
        (0, True, "0.00"),
        (5, False, "0.05"),
        (5, True, "+0.05"),
        (-5, False, "-0.05"),
        (-5, True, "-0.05"),
        (100, False, "1.00"),
        (-160, True, "-1.60"),
        (1234, True, "+12.34"),
        (-99, False, "-0.99"),
        (-1, False, "-0.01"),
        (1, True, "+0.01"),
    ],
)
def test_cents_are_written_as_decimals(n, signed, text) -> None:
    assert cents(n, signed=signed) == text
