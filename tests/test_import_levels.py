"""import reads what people write in level cells: numbers, the scale's names, '3 - Possible',
verbal scales (which become the register's), and values mapped by hand with --value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcli import register
from riskcli.model import Register

from conftest import check_json
from sheets import SHEETS


def _load(text: str) -> Register:
    from riskcli.register.write import read_back

    return read_back(text, "t.yaml")


def _comments(text: str) -> str:
    """The register's header comment as one line."""
    return " ".join(line[2:] for line in text.splitlines() if line.startswith("# "))


def _yaml(run, src: Path, *args: str) -> str:
    return str(json.loads(run("import", str(src), *args, "--json").stdout)["yaml"])


def test_a_verbal_scale_becomes_the_register_scale_and_scores_afterwards(run, tmp_path: Path) -> None:
    out = tmp_path / "corp.yaml"
    result = run("import", str(SHEETS / "corporate.csv"), "-o", str(out))
    assert result.exit_code == 1  # a duplicate id and two rows not assessed are left out
    assert (
        "likelihood: the sheet's verbal scale, now the register's: 1 Very low, 2 Low, 3 Medium, 4 High, 5 Very high"
        in result.stderr
    )
    reg = register.load(out)
    assert [lv.name for lv in reg.rules.impact.levels] == ["Very low", "Low", "Medium", "High", "Very high"]
    assert {r.id: (r.likelihood, r.impact) for r in reg.risks} == {
        "CR-01": (4, 5), "CR-02": (3, 4), "CR-03": (2, 5), "CR-04": (3, 3), "CR-05": (5, 4), "CR-07": (1, 3),
    }  # fmt: skip
    text = out.read_text(encoding="utf-8")
    assert "The likelihood scale is the sheet's verbal one: 1 Very low, 2 Low, 3 Medium, 4 High, 5 Very high." in (
        _comments(text)
    )
    assert "    likelihood: 4  # from 'High'\n" in text
    scored = run("score", "CR-04", "-l", "very high", "-i", "LOW", "--register", str(out))
    assert scored.exit_code == 0, scored.stderr
    assert "very high → 5 Very high" in scored.stdout and "LOW → 2 Low" in scored.stdout


def test_low_medium_high_is_a_three_level_scale(run, write) -> None:
    src = write("title,likelihood,impact\nA,Low,High\nB,Medium,moderate\nC,high,Med\n", "t.csv")
    text = _yaml(run, src)
    reg = _load(text)
    assert [lv.name for lv in reg.rules.likelihood.levels] == ["Low", "Medium", "High"]
    assert [(lv.name, lv.aliases) for lv in reg.rules.impact.levels] == [
        ("Low", ()),
        ("Medium", ("Med", "moderate")),
        ("High", ()),
    ]
    assert [(r.likelihood, r.impact) for r in reg.risks] == [(1, 3), (2, 2), (3, 2)]
    assert reg.rules.rating.grid and len(reg.rules.rating.grid) == 3  # a grid for 3×3, from the bands


def test_numbers_beyond_three_keep_low_medium_high_on_five_levels(run, write) -> None:
    src = write("title,likelihood,impact\nA,Low,4\nB,High,5\nC,5,2\n", "t.csv")
    reg = _load(_yaml(run, src))
    assert [lv.name for lv in reg.rules.likelihood.levels] == ["Very low", "Low", "Medium", "High", "Very high"]
    assert [r.likelihood for r in reg.risks] == [2, 4, 5]
    assert reg.rules.impact == register.default_rules().impact  # numbers only: riskcli's own scale


def test_a_number_and_a_name_together_name_the_sheets_own_levels(run, write) -> None:
    src = write("title,likelihood,impact\nA,3 - Credible,2\nB,Remote (1),4\nC,Credible,Major\nD,4. Likely,5\n", "t.csv")
    result = run("import", str(src), "--json")
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    assert data["scales"][0] == {
        "axis": "likelihood",
        "source": "named",
        "levels": ["Remote", "Unlikely", "Credible", "Likely", "Almost certain"],
    }
    reg = _load(data["yaml"])
    assert [r.likelihood for r in reg.risks] == [3, 1, 3, 4]
    assert reg.rules.likelihood.levels[0].aliases == ("Rare",)  # riskcli's name still says it
    assert reg.rules.likelihood.has_bands  # same levels, same bands: 30% still reads


def test_a_number_whose_name_is_another_level_is_refused_with_the_way_out(run, write) -> None:
    src = write("title,likelihood,impact\nA,2 - Likely,2\nB,4 - Likely,2\nC,3,3\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 1
    assert (
        f"error: {src}: row 2, column B (likelihood): likelihood '2 - Likely': 'Likely' is given as level 2 "
        "and 4" in result.stderr
    )
    assert f"error: {src}: row 3, column B (likelihood): likelihood '4 - Likely': 'Likely' is given" in result.stderr


def test_the_sheets_name_for_a_level_number_must_be_the_scales_when_imposed(run, write) -> None:
    rules = SHEETS / "simplerisk_rules.yaml"
    src = write("title,likelihood,impact\nA,3 - Likely,2\nB,4 - Likely,Major\n", "t.csv")
    result = run("--rules", str(rules), "import", str(src))
    assert result.exit_code == 1
    assert (
        f"error: {src}: row 2, column B (likelihood): likelihood '3 - Likely': level 3 is Credible on the scale, "
        "and 'Likely' is level 4; say which with --value 'likelihood:3 - Likely=LEVEL'" in result.stderr
    )


def test_value_maps_a_cell_by_hand_per_axis_or_both(run, write) -> None:
    src = write("title,likelihood,impact\nA,sometimes,big\nB,Often,big\n", "t.csv")
    refused = run("import", str(src))
    assert refused.exit_code == 2  # no row reads
    result = run(
        "import", str(src), "--value", "likelihood:Sometimes=3", "--value", "often=likely", "--value", "impact:BIG=4"
    )
    assert result.exit_code == 0, result.stderr
    reg = _load(result.stdout)
    assert [(r.likelihood, r.impact) for r in reg.risks] == [(3, 4), (4, 4)]
    assert "    likelihood: 3  # from 'sometimes'\n" in result.stdout


@pytest.mark.parametrize("given", ["likelihood:=3", "Medium", "impact:Medium=", "=3"])
def test_a_malformed_value_is_refused(run, write, given: str) -> None:
    src = write("title,likelihood,impact\nA,1,1\n", "t.csv")
    result = run("import", str(src), "--value", given)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --value {given!r}: give [likelihood:|impact:]VALUE=LEVEL")


def test_a_value_mapped_to_no_level_says_so(run, write) -> None:
    src = write("title,likelihood,impact\nA,sometimes,2\nB,2,2\n", "t.csv")
    result = run("import", str(src), "--value", "likelihood:sometimes=9")
    assert result.exit_code == 1
    assert "row 2, column B (likelihood): --value sometimes=9: likelihood '9' is out of range" in result.stderr


def test_icd203_words_and_percentages_still_read(run, write) -> None:
    src = write("title,likelihood,impact\nA,very likely,2\nB,roughly even chance,2\nC,30%,2\nD,0.9,2\n", "t.csv")
    reg = _load(_yaml(run, src))
    assert [r.likelihood for r in reg.risks] == [5, 3, 3, 5]
    assert reg.rules.likelihood == register.default_rules().likelihood


def test_a_stray_word_among_a_verbal_scale_is_reported_on_it(run, write) -> None:
    src = write("title,likelihood,impact\nA,High,1\nB,Low,1\nC,Medium,1\nD,sometimes,1\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 1
    assert "likelihood: the sheet's verbal scale, now the register's: 1 Low, 2 Medium, 3 High" in result.stderr
    assert (
        f"error: {src}: row 5, column B (likelihood): likelihood 'sometimes' is not understood; give a level 1–3 "
        "or a level name (low, medium, high)" in result.stderr
    )


def test_a_header_that_gives_the_levels_sets_the_scale_size(run, write) -> None:
    """A 4×4 sheet's top level is its fourth, not riskcli's 'Likely (55–80%)'."""
    src = write("Risk,Likelihood (1-4),Impact [1–4],Rating\nA,1,4,Medium\nB,4,4,High\nC,2,2,Low\nD,5,1,Low\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 1
    assert "likelihood: 4 levels, as the column's header says, now the register's" in result.stderr
    assert "row 5, column B (Likelihood (1-4)): likelihood '5' is out of range; levels are 1–4" in result.stderr
    reg = _load(result.stdout)
    assert [lv.name for lv in reg.rules.likelihood.levels] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    assert reg.rules.impact.size == 4 and len(reg.rules.rating.grid) == 4


def test_a_header_range_of_the_scale_size_changes_nothing(run, write) -> None:
    src = write("Risk,Likelihood (1-5),Impact\nA,likely,4\n", "t.csv")
    reg = _load(_yaml(run, src))
    assert reg.rules.likelihood == register.default_rules().likelihood
