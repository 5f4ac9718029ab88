"""Tables fitted to the terminal (render/layout.py: fit): numbers, ids and words are never broken
across lines; what cannot fit is left out and said so; running text gets the room there is. And what `explain` shows adds up: hundredths rounded
by largest remainder (adding_up), and how they are written (cents)."""

from __future__ import annotations

import io
import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table

from riskcli.render.layout import adding_up, cents, fit

TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
NUMBER = re.compile(r"\d+(?:\.\d+)?")


def _render(table: Table, width: int) -> str:
    con = Console(file=io.StringIO(), width=width, color_system=None)
    con.print(fit(con, table, {2: 20}))
    return con.file.getvalue()  # type: ignore[attr-defined]


def _numbers_table() -> Table:
    t = Table(box=box.SIMPLE_HEAD)
    for name in ("#", "ID", "Title", "Likelihood", "Score"):
        t.add_column(name)
    t.add_row("1", "R101", "A long title that wraps at its spaces", "3.54", "14.17")
    t.add_row("2", "R7", "Short", "4", "12.5")
    return t


@pytest.mark.parametrize("width", [120, 80, 60, 50, 40, 32, 26])
def test_numbers_and_ids_are_never_broken_and_nothing_is_wider_than_the_console(width) -> None:
    text = _render(_numbers_table(), width)
    assert all(len(line) <= width for line in text.splitlines())
    shown = set(NUMBER.findall(text))
    caption = text[text.find("not shown at this width:") :] if "not shown" in text else ""
    for value, column in (("3.54", "Likelihood"), ("14.17", "Score"), ("12.5", "Score"), ("R101", "ID")):
        assert value in text or column in caption, (value, text)
    assert shown <= {"1", "2", "3.54", "4", "14.17", "12.5", "101", "7"}, text  # no piece of a number alone


def test_a_column_left_out_is_named_below_the_table() -> None:
    text = _render(_numbers_table(), 40)
    assert "not shown at this width: Score" in text  # the last fixed column goes first
    assert "3.54" in text and "R101" in text


def test_a_wide_console_leaves_everything_in() -> None:
    text = _render(_numbers_table(), 120)
    assert "not shown" not in text
    assert "A long title that wraps at its spaces" in text


def _row(text: str, risk: str) -> tuple[list[str], list[str]]:
    """The numbers in the table line of ``risk``, and those on the line under it."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if re.search(rf"\s{risk}\s", line))
    return NUMBER.findall(lines[at].replace(risk, "")), NUMBER.findall(lines[at + 1])


@pytest.mark.parametrize("columns", ["60", "50", "44"])
def test_list_never_wraps_a_number_on_a_narrow_terminal(run, columns) -> None:
    """``observe I6 seen`` leaves R14 at L 3.54, L×I 14.17: on a narrow terminal its L read "3.5"
    above "4"."""
    assert run("observe", "I6", "seen").exit_code == 0
    rows = json.loads(run("list", "--limit", "4", "--json").stdout)["risks"]
    r14 = next(r for r in rows if r["id"] == "R14")["current"]
    assert (r14["likelihood"], r14["score"]) == (pytest.approx(3.54, abs=0.005), pytest.approx(14.17, abs=0.005))
    result = run("list", "--limit", "4", env={**TERMINAL, "COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert all(len(line) <= int(columns) for line in result.stdout.splitlines())
    numbers, under = _row(result.stdout, "R14")
    chances = next(r for r in rows if r["id"] == "R14")["chances"]  # beside the rating, when there is room
    shown = {f"{chances['probability'] * 100:.0f}", f"{chances['top'] * 100:.0f}"}
    assert set(numbers) <= {"3", "3.54", "4", "14.17", *shown} and "3.54" in numbers
    assert under == []  # nothing of R14's numbers spills onto the next line


def test_list_says_which_columns_a_narrow_terminal_leaves_out(run) -> None:
    result = run("list", "--limit", "4", env={**TERMINAL, "COLUMNS": "44"})
    assert result.exit_code == 0, result.stderr
    assert "not shown at this width: #, L×I" in result.stdout
    assert "Rating" in result.stdout and "Critical" in result.stdout


def test_indicators_give_their_text_the_room_at_120_columns(run) -> None:
    result = run("indicators", env={**TERMINAL, "COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    # At 120 columns the indicator's text was squeezed into 32 columns and broke after "in".
    assert "  I1    Escalation around the war in Ukraine  " in result.stdout
    assert "Further lifting of Western limits on weapons" in result.stdout


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
