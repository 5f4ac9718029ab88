"""import of numbered level names (``3 - Possible``): they give the scale, and a bare number
beyond them is a bad cell, reported with its row, never a new level nor a failed write."""

from __future__ import annotations

from pathlib import Path

from riskcli import register


def test_a_bare_number_beyond_a_named_likelihood_scale_is_out_of_range(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA-1,One,3 - Possible,4 - Major\nA-2,Two,7,2 - Minor\n", "m4.csv")
    out = tmp_path / "m4.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 1
    assert "row 3, column C (Likelihood): likelihood '7' is out of range; levels are 1–5" in result.stderr
    assert "please report this" not in result.stderr
    assert "m4.yaml: 1 risk; 1 row left out (3)" in result.stderr
    assert [(r.id, r.likelihood, r.impact) for r in register.load(out).risks] == [("A-1", 3, 4)]


def test_a_bare_number_beyond_a_named_impact_scale_does_not_stretch_it(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA-1,One,3 - Possible,4 - Major\nA-2,Two,2 - Unlikely,9\n", "m7.csv")
    out = tmp_path / "m7.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 1
    assert "row 3, column D (Impact): impact '9' is out of range; levels are 1–5" in result.stderr
    reg = register.load(out)
    assert reg.rules.impact.size == 5
    assert "Level 9" not in out.read_text(encoding="utf-8")
    assert [r.id for r in reg.risks] == ["A-1"]


def test_a_named_level_beyond_the_scale_stretches_it_without_half_its_bands(run, write, tmp_path: Path) -> None:
    # likelihood's default levels have probability bands; a seven-level scale has none at all
    src = write("ID,Title,Likelihood,Impact\nA-1,One,3 - Possible,4 - Major\nA-2,Two,7 - Extreme,2 - Minor\n", "s.csv")
    out = tmp_path / "s.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    reg = register.load(out)
    assert [lv.name for lv in reg.rules.likelihood.levels][2:] == [
        "Possible",
        "Likely",
        "Almost certain",
        "Level 6",
        "Extreme",
    ]
    assert not reg.rules.likelihood.has_bands
    assert {r.id: r.likelihood for r in reg.risks} == {"A-1": 3, "A-2": 7}


def test_a_numbered_name_among_verbal_levels_is_read_on_the_verbal_scale(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA1,a,Low,High\nA2,b,High,High\nA3,c,3 - Possible,Medium\n", "mix.csv")
    out = tmp_path / "mix.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "not understood" not in result.stderr
    assert (
        "likelihood: the sheet's verbal scale, now the register's: 1 Very low, 2 Low, 3 Medium, 4 High, 5 Very high"
        in result.stderr
    )
    reg = register.load(out)
    assert {r.id: r.likelihood for r in reg.risks} == {"A1": 2, "A2": 4, "A3": 3}
    scored = run("score", "A3", "-l", "possible", "-i", "high", "--register", str(out))
    assert scored.exit_code == 0, scored.stderr
    assert "possible → 3 Medium" in scored.stdout


def test_words_that_do_not_fit_beside_numbered_names_are_told_how_to_map_them(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA1,a,Low,High\nA2,b,High,High\nA3,c,7 - Extreme,Medium\n", "mix.csv")
    result = run("import", str(src), "-o", str(tmp_path / "mix.yaml"))
    assert result.exit_code == 1
    assert "row 2, column C (Likelihood): likelihood 'Low' is not understood" in result.stderr
    assert "map those with --value 'likelihood:7 - Extreme=LEVEL'" in result.stderr
