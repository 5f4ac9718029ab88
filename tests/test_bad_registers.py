"""The corpus of bad registers: each one gets exit 2 and one clear located line per problem.

Add a file to tests/bad/ and a row below for every bug found in the loader.
"""

from __future__ import annotations

import re
import time

import pytest

from conftest import BAD

# file -> (line of the first problem, words the first message must contain)
EXPECTED = {
    "alias_bomb.yaml": (1, "unknown key 'a'"),
    "appetite_unknown_band.yaml": (1, "appetite 'amber' is not a rating band; expected one of: critical, high, low"),
    "risk_status_unknown.yaml": (4, "risk R1: status 'done' is not one of open, treated, accepted, closed, retired"),
    "treatment_unknown_response.yaml": (2, "risk R1: treatment with unknown response 'M9'"),
    "treatment_unknown_strategy.yaml": (4, "treatment 'mitigate' is not one of avoid, reduce, transfer, accept"),
    "acceptance_bad_date.yaml": (4, "acceptance: until '30/06/2026' is not a date; give YYYY-MM-DD"),
    "acceptance_empty.yaml": (4, "acceptance: give who accepted it (by) and/or until when (until)"),
    "category_unknown.yaml": (2, "categories: no risk has category 'Operatons'; did you mean 'Operations'?"),
    "response_status_unknown.yaml": (6, "response M1: status 'started' is not one of planned, in progress, done"),
    "alias_bomb_in_risks.yaml": (3, "title must be a single value, not a list"),
    "alias_scalar_evidence.yaml": (6, "alias bomb"),
    "alias_scalar_titles.yaml": (4, "alias bomb"),
    "belief_out_of_range.yaml": (4, "out of range"),
    "binary.yaml": (1, "binary file"),
    "control_chars_in_key.yaml": (3, "unknown key"),
    "control_char_in_title.yaml": (3, "a control character U+000B, which YAML does not allow"),
    "custom_tag.yaml": (3, "unsupported YAML tag '!secret'"),
    "deep_nesting.yaml": (1, "nesting"),
    "duplicate_mapping_key.yaml": (5, "duplicate key 'title' (first at line 3)"),
    "duplicate_risk_id.yaml": (6, "duplicate risk id 'R1' (first at line 2)"),
    "duplicate_driver.yaml": (11, "a second driver on A1"),
    "rules_file_as_register.yaml": (1, "looks like a rules file"),
    "one_bad_belief_no_knock_on.yaml": (4, "belief '1.7' is out of range"),
    "many_unknown_references.yaml": (7, "unknown risk 'X0'"),
    "empty.yaml": (1, "the file is empty"),
    "empty_tagged_number.yaml": (4, "likelihood: cannot read '' as int"),
    "empty_risks.yaml": (1, "risks is empty"),
    "grid_wrong_size.yaml": (3, "rating.grid has 4 rows"),
    "impact_as_probability.yaml": (5, "impact '30%' is not understood"),
    "invalid_id.yaml": (2, "not a valid id"),
    "latin1.yaml": (1, "not UTF-8"),
    "likelihood_boolean.yaml": (4, "yes/no value"),
    "likelihood_infinite.yaml": (4, "out of range"),
    "likelihood_zero.yaml": (4, "write 0%"),
    "likelihood_one_point_zero.yaml": (
        4,
        "'1.0' is ambiguous: write 1 for the level (Rare) or 100% for the probability",
    ),
    "huge_integer_shift.yaml": (10, "must be a finite number"),
    "review_every_huge.yaml": (6, "from 1 to 36500"),
    "likelihood_out_of_range.yaml": (4, "out of range; levels are 1–5"),
    "likelihood_unparseable.yaml": (4, "'sometimes' is not understood"),
    "merge_key.yaml": (1, "unknown key 'defaults'"),
    "missing_risks.yaml": (1, "missing required key 'risks'"),
    "null_risk.yaml": (2, "must be a mapping"),
    "only_comments.yaml": (1, "no YAML document"),
    "python_object_tag.yaml": (3, "unsupported YAML tag '!!python/object/apply:os.system'"),
    "risk_missing_title.yaml": (2, "missing required key 'title'"),
    "risks_not_a_list.yaml": (2, "risks must be a list"),
    "scale_bands_not_contiguous.yaml": (3, "contiguous"),
    "scenario_unknown_assumption.yaml": (10, "unknown assumption 'A2'"),
    "several_documents.yaml": (6, "several YAML documents"),
    "shift_not_a_number.yaml": (10, "must be a number, not 'up'"),
    "syntax_unclosed_bracket.yaml": (4, "YAML syntax"),
    "tab_indentation.yaml": (3, "tab"),
    "title_is_a_list.yaml": (3, "title must be a single value, not a list"),
    "top_level_list.yaml": (1, "register must be a mapping"),
    "top_level_scalar.yaml": (1, "register must be a mapping"),
    "unknown_actor.yaml": (6, "unknown actor 'OSP'"),
    "unknown_assumption_reference.yaml": (11, "unknown assumption 'A9'"),
    "unknown_key_typo.yaml": (3, "did you mean 'title'?"),
    "unknown_risk_in_response.yaml": (10, "unknown risk 'R7'"),
    "unknown_top_level_key.yaml": (1, "did you mean 'risks'?"),
    "unsupported_format.yaml": (1, "format 3 is not supported; this riskcli reads formats 1 and 2"),
    "band_id_trailing_newline.yaml": (4, "'low\\n' is not a valid id"),
    "band_name_blank.yaml": (4, "rating.bands[1].name is empty"),
    "band_colour_unknown.yaml": (5, "rating.bands[2].color: 'notacolour' is not a colour"),
    "band_colour_short_hex.yaml": (4, "rating.bands[1].color: '#12345' is not a colour"),
    "grid_empty_cell.yaml": (5, "rating.grid row 2: an empty cell"),
    "grid_row_not_a_list.yaml": (5, "rating.grid row 2 must be a list"),
    "id_trailing_newline.yaml": (3, "risk id 'R1\\n' is not a valid id"),
    "level_name_blank.yaml": (5, "scales.likelihood[2].name is empty"),
    "lone_actor_not_an_id.yaml": (7, "actors 'Grid operator' is not a valid id"),
    "reference_trailing_newline.yaml": (10, "assumption 'A1\\n' is not a valid id"),
    "bears_on_named_twice.yaml": (10, "A1 is named twice; give one ratio per assumption"),
    "bears_on_ratio_huge.yaml": (9, "seen = 5000 is not a likelihood ratio from 0.001 to 1000"),
    "bears_on_ratio_one.yaml": (9, "seen = 1 tells nothing about A1"),
    "driver_on_unassessed_risk.yaml": (8, "a risk not yet assessed has no drivers"),
    "driver_without_shift.yaml": (9, "give if_holds and/or if_fails"),
    "indicator_updates_and_bears_on.yaml": (
        9,
        "give updates (a sighting sets beliefs) or bears_on (a sighting is evidence), not both",
    ),
    "key_not_a_name.yaml": (6, "keys must be plain names"),
    "response_shifts_unassessed_risk.yaml": (5, "risk R2 is not yet assessed; nothing can shift it"),
    "scenario_with_no_assumptions_to_name.yaml": (4, "unknown assumption 'A1'; there are none"),
    "shift_too_many_steps.yaml": (9, "13 steps is out of range (at most ±12)"),
    "title_yes.yaml": (3, "title must be text, not 'yes' (a yes/no value); quote it"),
}


def test_every_file_in_the_corpus_has_an_expectation() -> None:
    files = sorted(p.name for p in BAD.iterdir() if p.is_file())
    assert files == sorted(EXPECTED)
    assert len(files) >= 25


@pytest.mark.parametrize("command", [["validate"], ["matrix", "--register"], ["list", "--register"]])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_register_is_refused_with_located_lines(run, name: str, command: list[str]) -> None:
    path = BAD / name
    result = run(*command, str(path))
    assert result.exit_code == 2, result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines, "no message at all"
    pattern = re.compile(rf"^error: {re.escape(str(path))}:(\d+):(\d+): .+$")
    for line in lines:
        assert pattern.match(line), line
        assert "\x1b" not in line
    want_line, words = EXPECTED[name]
    first = pattern.match(lines[0])
    assert first is not None and int(first.group(1)) == want_line, lines[0]
    assert words in lines[0]


def test_alias_bomb_is_refused_quickly(run) -> None:
    # Not a timing assertion: a walk of the 387 million leaves would never finish at all.
    start = time.monotonic()
    result = run("validate", str(BAD / "alias_bomb.yaml"))
    assert result.exit_code == 2
    assert time.monotonic() - start < 60


def test_control_characters_in_messages_are_neutralised(run) -> None:
    result = run("validate", str(BAD / "control_chars_in_key.yaml"))
    assert "\x1b" not in result.stderr
    assert "evil.example" in result.stderr  # shown, but inert


def test_a_character_yaml_does_not_allow_is_located_where_it_is(run, write) -> None:
    """The parser's position counts bytes and its message is its own: the line and column are the
    character's (after text that is not ASCII too), and the words say which character it is."""
    result = run("validate", str(BAD / "control_char_in_title.yaml"))
    assert result.stderr.endswith(":3:28: a control character U+000B, which YAML does not allow\n"), result.stderr
    path = write('risks:\n  - {id: R1, title: "Ωmé", likelihood: 3, impact: 3}\n  - {id: R2, title: "a\ufffe"}\n')
    result = run("validate", str(path))
    assert (
        result.exit_code == 2
        and result.stderr == f"error: {path}:3:23: a character U+FFFE, which YAML does not allow\n"
    )


def test_several_problems_are_all_reported(run, write) -> None:
    path = write(
        "risks:\n"
        "  - id: R1\n    title: A\n    likelihood: 9\n    impact: 2\n"
        "  - id: R2\n    title: B\n    likelihood: 2\n    impact: huge\n"
        "  - id: R1\n    title: C\n    likelihood: 2\n    impact: 2\n"
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 3
    assert [int(line.split(":")[2]) for line in lines] == [4, 9, 10]


def test_alias_bomb_shaped_like_a_register_is_bounded(run, write) -> None:
    # Every level is valid register structure, so the walker must stop on its budget.
    lines = ["assumptions:"] + [f"  - {{id: A{k}, statement: s, belief: 0.5}}" for k in range(10)]
    drivers = "&d [" + ", ".join(f"{{assumption: A{k}, if_holds: {{likelihood: 1}}}}" for k in range(10)) + "]"
    risk = "{id: R0, title: t, likelihood: 2, impact: 2, drivers: *d}"
    text = "\n".join(lines) + "\nrisks:\n  - {id: R00, title: t, likelihood: 2, impact: 2, drivers: " + drivers + "}\n"
    body = "".join(f"  - {risk.replace('R0', f'R{i}')}\n" for i in range(1, 3000))
    path = write(text + body)
    result = run("validate", str(path))
    assert result.exit_code == 0, result.stderr  # 30,000 driver visits is a legitimate register


def test_alias_expansion_past_the_budget_is_refused(run, write) -> None:
    # 3,000 risks each aliasing one list of 200 drivers: 600,000 driver visits from 200 kB.
    drivers = "&d [" + ", ".join(f"{{assumption: A{k}, if_holds: {{likelihood: 1}}}}" for k in range(200)) + "]"
    head = "assumptions:\n" + "".join(f"  - {{id: A{k}, statement: s, belief: 0.5}}\n" for k in range(200)) + "risks:\n"
    first = "  - {id: R0, title: t, likelihood: 2, impact: 2, drivers: " + drivers + "}\n"
    body = "".join(f"  - {{id: R{i}, title: t, likelihood: 2, impact: 2, drivers: *d}}\n" for i in range(1, 3000))
    path = write(head + first + body)
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "alias bomb" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_one_bad_item_does_not_make_its_references_unknown(run) -> None:
    result = run("validate", str(BAD / "one_bad_belief_no_knock_on.yaml"))
    assert len(result.stderr.splitlines()) == 1


def test_many_unknown_references_stop_at_the_cap_quickly(run) -> None:
    result = run("validate", str(BAD / "many_unknown_references.yaml"))
    lines = result.stderr.splitlines()
    assert len(lines) == 51 and lines[-1].endswith("more problems")
