"""CISO Assistant: its matrices' translated level names, and its risk-assessment import template."""

from __future__ import annotations

from pathlib import Path

from riskcli import register

from conftest import DATA

MATRIX = DATA / "sheets" / "ciso_matrix_4x4_fr.yaml"


def test_a_matrix_translations_are_its_levels_other_names() -> None:
    rules = register.load_rules_file(MATRIX, str(MATRIX), register.default_rules())
    assert [(lv.name, lv.aliases) for lv in rules.likelihood.levels] == [
        ("Unlikely", ("Peu vraisemblable",)),
        ("Likely", ("Vraisemblable",)),
        ("Very likely", ("Très vraisemblable",)),
        ("Certain", ()),  # its French name is its English one
    ]
    assert [lv.aliases for lv in rules.impact.levels] == [("Mineur",), ("Significatif",), ("Grave",), ("Critique",)]
    assert [(b.id, b.name, b.aliases, b.color) for b in rules.rating.bands] == [
        ("low", "Low", ("Faible",), "#59BBB2"),
        ("medium", "Medium", ("Moyen",), "#F5C481"),
        ("high", "High", ("Élevé",), "#E6686D"),
    ]


def test_a_score_may_name_a_level_in_the_matrix_translation(run, write, tmp_path: Path) -> None:
    reg = write("risks:\n  - {id: R1, title: Ransomware, likelihood: 1, impact: 1}\n")
    result = run("--rules", str(MATRIX), "score", "R1", "-l", "très vraisemblable", "-i", "MINEUR", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert "très vraisemblable → 3 Very likely" in result.stdout
    assert "MINEUR → 1 Minor" in result.stdout


def test_a_translation_that_is_another_level_name_stays_that_level(write) -> None:
    """'Certain' names level 4 in English; a level 3 translated 'Certain' does not take it over."""
    text = MATRIX.read_text(encoding="utf-8").replace("name: Très vraisemblable", "name: Certain")
    rules = register.load_rules_file(write(text, "m.yaml"), "m.yaml", register.default_rules())
    assert [lv.aliases for lv in rules.likelihood.levels][2:] == [(), ()]


def test_a_register_scale_may_give_aliases_and_they_must_be_distinct(run, write) -> None:
    scales = (
        "scales:\n  likelihood:\n    - {name: Low, aliases: [Faible, L]}\n    - {name: High, aliases: Élevé}\n"
        "  impact:\n    - {name: Small}\n    - {name: Big, aliases: [gros]}\n"
    )
    reg = write(scales + "risks:\n  - {id: R1, title: t, likelihood: élevé, impact: GROS}\n")
    loaded = register.load(reg)
    assert (loaded.risks[0].likelihood, loaded.risks[0].impact) == (2, 2)
    assert loaded.rules.likelihood.levels[0].aliases == ("Faible", "L")
    clash = write(
        scales.replace("aliases: Élevé", "aliases: [faible]")
        + "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
    )
    result = run("validate", str(clash))
    assert result.exit_code == 2
    assert "scales.likelihood: 'faible' names both Low and High; aliases must be distinct" in result.stderr
