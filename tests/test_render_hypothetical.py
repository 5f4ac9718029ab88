"""A hypothetical view (--what-if, --scenario) says HYPOTHETICAL once, wherever its output goes:
in the view itself, or — for list's tab-separated lines, which carry no label — on stderr."""

from __future__ import annotations

import pytest

VIEWS = [
    ["show", "R14"],
    ["explain", "R14"],
    ["assumptions"],
    ["matrix"],
    ["responses"],
    ["report"],
    ["list"],
    ["sensitivity", "--trials", "200"],
    ["simulate", "--trials", "200"],
]
FORMS = {
    "terminal": {"TTY_COMPATIBLE": "1"},
    "piped": {"TTY_COMPATIBLE": "0"},
    "coloured but piped": {"FORCE_COLOR": "1"},
}


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v[0])
def test_the_label_is_printed_once_in_every_form(run, view, form) -> None:
    result = run(*view, "--what-if", "A8=holds", env=FORMS[form])
    assert result.exit_code == 0, result.stderr
    assert (result.stdout + result.stderr).count("HYPOTHETICAL") == 1, (result.stdout, result.stderr)


def test_coloured_show_heads_its_output_with_the_label_and_says_nothing_more(run) -> None:
    """FORCE_COLOR (set by many terminals' tools) colours output that is not a TTY: it was also
    noted on stderr, and both streams showed on one screen."""
    result = run("show", "R14", "--what-if", "A8=holds", env={"FORCE_COLOR": "1"})
    assert result.stdout.count("HYPOTHETICAL — A8=1.00 (unsupported) (nothing is recorded)") == 1
    assert result.stderr == ""


def test_piped_list_says_it_on_stderr_beside_its_tab_separated_lines(run) -> None:
    result = run("list", "--what-if", "A8=holds")
    assert result.stdout.startswith("rank\tid\t")
    assert "HYPOTHETICAL" not in result.stdout
    assert result.stderr == "HYPOTHETICAL — A8=1.00 (unsupported) (nothing is recorded)\n"
