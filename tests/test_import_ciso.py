"""CISO Assistant: its matrices' translated level names, and its risk-assessment import template."""

from __future__ import annotations

from pathlib import Path

from riskcli import register

from conftest import DATA
from sheets import CISO_ROWS, ciso_template

MATRIX = DATA / "import" / "ciso_matrix_4x4_fr.yaml"


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


# --------------------------------------------------------------------------- the import template


def test_the_risk_assessment_template_imports_as_shipped_with_its_matrix(run, tmp_path: Path) -> None:
    src = ciso_template(tmp_path / "risk_assessment_template.xlsx")
    out = tmp_path / "ra.yaml"
    result = run("--rules", str(MATRIX), "import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "  A   ref_id               → id (guessed)" in err
    assert "  E   inherent_proba       → inherent likelihood (guessed)" in err
    assert "  I   current_proba        → likelihood (guessed)" in err
    assert "  N   residual_level       → residual rating (guessed)" in err
    assert "rating: the --rules grid; 12 of the sheet's 12 ratings (columns F, J and N) agree" in err
    assert [line for line in err.splitlines() if line.startswith(("error:", "warning:"))] == []
    reg = register.load(out)  # its scales and grid are in the register: no --rules needed
    assert [(r.id, r.title, r.likelihood, r.impact) for r in reg.risks] == [
        ("R.1", "Ransomware on the ERP", 2, 4),
        ("R.2", "Supplier data leak", 2, 2),
        ("R.3", "Phishing of the finance team", 3, 3),
        ("R.4", "Website defacement", 2, 1),
    ]
    assert dict(reg.risks[0].extra)["existing_controls"] == "Backups\nEDR"
    assert "  O   treatment            → treatment (guessed)" in err  # CISO Assistant's treatment column
    assert [r.treatment.strategy.value if r.treatment else None for r in reg.risks][3] == "accept"
    assert dict(reg.risks[3].extra) == {}
    names = {"Low": "Faible", "Medium": "Moyen", "High": "Élevé"}
    published = {row[0]: row[9] for row in CISO_ROWS}  # current_level
    ratings = {c["risks"][0]: c["rating"]["name"] for c in _cells(run, out) if c["risks"]}
    assert {rid: names[name] for rid, name in ratings.items()} == published
    assert "    likelihood: 3  # from 'très vraisemblable'\n" in out.read_text(encoding="utf-8")
    scored = run("score", "R.4", "-l", "Peu vraisemblable", "-i", "grave", "--register", str(out))
    assert scored.exit_code == 0, scored.stderr  # the French names still score


def _cells(run, reg: Path) -> list[dict[str, object]]:
    import json

    return list(json.loads(run("matrix", "--register", str(reg), "--json").stdout)["cells"])


def test_without_its_matrix_the_template_names_the_levels_it_cannot_read(run, tmp_path: Path) -> None:
    src = ciso_template(tmp_path / "t.xlsx")
    result = run("import", str(src))
    assert result.exit_code == 2
    assert f"error: {src}: nothing written: no row could be imported (24 problems in 4 rows)" in result.stderr
    assert f"error: {src}: row 2, column D (inherent_impact): impact 'critique' is not understood" in result.stderr
