"""lint-matrix: the rating grid against Cox's (2008) axioms, each cell a range of quantitative risk."""

from __future__ import annotations

import json

import pytest

from riskcli import lint, register
from riskcli.model import UserError

from conftest import DATA

CISO = sorted(p for p in DATA.glob("*.yaml") if "\nobjects:" in p.read_text(encoding="utf-8"))

# Three bands on a 3×3 grid with a Red cell beside a Green one: betweenness fails at (3,2)/(2,1).
JUMPY = """\
scales:
  likelihood:
    - {value: 1, name: Low, probability: [0, 0.2]}
    - {value: 2, name: Medium, probability: [0.2, 0.6]}
    - {value: 3, name: High, probability: [0.6, 1]}
  impact:
    - {value: 1, name: Small}
    - {value: 2, name: Medium}
    - {value: 3, name: Large}
rating:
  bands:
    - {id: green, name: Green, color: green}
    - {id: amber, name: Amber, color: yellow}
    - {id: red, name: Red, color: red}
  grid:
    - [green, green, amber]
    - [green, amber, red]
    - [amber, red, red]
"""

# Rare × Insignificant rated above Almost certain × Catastrophic: every reading breaks it.
UPSIDE_DOWN = """\
rating:
  bands:
    - {id: low, name: Low, color: green}
    - {id: high, name: High, color: red}
  grid:
    - [high, low, low, low, low]
    - [low, low, low, low, low]
    - [low, low, low, low, low]
    - [low, low, low, low, low]
    - [low, low, low, low, low]
"""


def _lint(run, *args: str) -> dict:
    result = run("lint-matrix", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _checks(data: dict) -> dict[str, list[tuple[str, str]]]:
    def cell(c: dict) -> str:
        return f"{c['likelihood']},{c['impact']}"

    return {c["axiom"]: [(cell(p["higher"]), cell(p["lower"])) for p in c["pairs"]] for c in data["checks"]}


def test_the_shipped_grid_passes_every_check(run) -> None:
    for reading in ("geometric", "linear", "geometric:3"):
        data = _lint(run, "--consequence", reading)
        assert data["passed"] is True, reading
        assert all(c["passed"] for c in data["checks"])
        assert data["register"]["path"] == "(embedded) register.yaml" and data["rules"] is None
    out = run("lint-matrix")
    assert out.exit_code == 0
    assert "✓ weak consistency: every Critical cell is riskier throughout than every Low cell" in out.stdout
    assert "✓ betweenness" in out.stdout and "✓ consistent colouring" in out.stdout


def test_the_shipped_grid_ranks_some_cells_against_their_expected_risk(run) -> None:
    """With an impact level worth ten times the one below, 5,2 High is below 1,5 Medium by ×27.8."""
    data = _lint(run)
    worst = data["reversals"][0]
    assert (worst["higher"]["likelihood"], worst["higher"]["impact"]) == (5, 2)
    assert (worst["lower"]["likelihood"], worst["lower"]["impact"]) == (1, 5)
    assert worst["higher"]["expected"] == pytest.approx(0.9 * 55)
    assert worst["lower"]["expected"] == pytest.approx(0.025 * 55_000)
    text = run("lint-matrix", env={"COLUMNS": "120"}).stdout
    assert "5,2 High" in text and "1,5 Medium" in text and "×27.8" in text


@pytest.mark.parametrize("path", CISO, ids=[p.name for p in CISO])
def test_every_ciso_assistant_matrix_is_linted(run, path) -> None:
    data = _lint(run, str(path))
    assert data["register"] is None and data["rules"] == str(path)
    assert data["probability_assumed"] is True  # CISO Assistant levels carry no probabilities
    assert len(data["cells"]) == len(data["likelihood"]) * len(data["impact"])
    assert sum(b["cells"] for b in data["bands"]) == len(data["cells"])


def test_the_ciso_4x3_matrix_fails_weak_consistency_when_impact_is_geometric(run) -> None:
    """P4 × Serious (Unacceptable) reaches down to 0.75 × 10 = 7.5; P1 × Serious (Acceptable) up to 25."""
    path = str(DATA / "ciso_matrix_4x3.yaml")
    data = _lint(run, path)
    assert data["passed"] is False
    assert _checks(data) == {
        "monotonicity": [],
        "weak-consistency": [("4,2", "1,2")],
        "betweenness": [],
        "consistent-colouring": [],
    }
    pair = data["checks"][1]["pairs"][0]
    assert pair["higher"]["low"] == pytest.approx(7.5) and pair["lower"]["high"] == pytest.approx(25)
    assert _lint(run, path, "--consequence", "linear")["passed"] is True
    text = run("lint-matrix", path, env={"COLUMNS": "120"}).stdout
    assert "✗ weak consistency: 1 pair of cells break it" in text
    assert "4,2 Unacceptable" in text and "1,2 Acceptable" in text and "from 7.5, below 25" in text
    assert "a probability band of equal width" in " ".join(text.split())


def test_an_inconsistent_grid_names_its_cells(run, write) -> None:
    data = _lint(run, str(write(JUMPY, "rules.yaml")), "--consequence", "linear")
    checks = _checks(data)
    assert checks["betweenness"] == [("3,2", "2,1"), ("2,3", "1,2")]  # top row first
    # 2,3 Red reaches down to 0.2 × 2/3 ≈ 0.13; 2,1 Green up to 0.6 × 1/3 = 0.2. (3,2 Red starts at
    # 0.6 × 1/3 = 0.2, where 2,1 ends: touching ranges are not a breach.)
    assert checks["weak-consistency"] == [("2,3", "2,1")]
    text = run("lint-matrix", str(write(JUMPY, "rules.yaml")), "--consequence", "linear").stdout
    assert "✗ betweenness: 2 pairs of cells break it" in text
    assert "3,2 Red  touches  2,1 Green" in text


def test_a_cell_rated_above_a_riskier_one_breaks_consistent_colouring(run, write) -> None:
    data = _lint(run, str(write(UPSIDE_DOWN, "rules.yaml")))
    colouring = _checks(data)["consistent-colouring"]
    assert ("1,1", "5,5") in colouring and all(h == "1,1" for h, _ in colouring)
    assert data["reversals"][0]["higher"]["likelihood"] == 1
    assert data["passed"] is False


def test_exit_code_for_scripts(run, write) -> None:
    assert run("lint-matrix", "--exit-code").exit_code == 0
    bad = run("lint-matrix", str(write(JUMPY, "rules.yaml")), "--exit-code")
    assert bad.exit_code == 1 and "✗ betweenness" in bad.stdout
    assert run("lint-matrix", str(write(JUMPY, "rules.yaml"))).exit_code == 0


def test_the_rules_in_force_include_the_registers_own_and_rules(run, write) -> None:
    reg = write("risks:\n  - {id: R1, title: T, likelihood: 1, impact: 1}\n" + UPSIDE_DOWN)
    data = _lint(run, "--register", str(reg))
    assert data["passed"] is False and data["rules"] is None
    rules = write(JUMPY, "rules.yaml")
    reg3 = write("risks:\n  - {id: R1, title: T, likelihood: 1, impact: 1}\n", "small.yaml")
    data = _lint(run, "--register", str(reg3), "--rules", str(rules))
    assert data["rules"] == str(rules) and len(data["cells"]) == 9


def test_a_bad_consequence_reading_is_one_line(run) -> None:
    for bad in ("log", "geometric:1", "geometric:x", "linear:2"):
        result = run("lint-matrix", "--consequence", bad)
        assert result.exit_code == 2 and "geometric:R" in result.stderr and result.stderr.count("\n") == 1


def test_lint_refuses_what_if(run) -> None:
    result = run("lint-matrix", "--what-if", "A1=fails")
    assert result.exit_code == 2 and "do not apply to lint-matrix" in result.stderr


def test_a_missing_rules_file_is_one_line(run, tmp_path) -> None:
    result = run("lint-matrix", str(tmp_path / "nope.yaml"))
    assert result.exit_code in (1, 2) and result.stderr.startswith("error:")


# --------------------------------------------------------------------------- the pure function


def test_consequence_ranges() -> None:
    assert lint.Consequence().ranges(3) == ((1, 10), (10, 100), (100, 1000))
    assert lint.parse_consequence("geometric:2").ranges(2) == ((1, 2), (2, 4))
    assert lint.parse_consequence(" LINEAR ").ranges(4) == ((0, 0.25), (0.25, 0.5), (0.5, 0.75), (0.75, 1.0))
    with pytest.raises(UserError):
        lint.parse_consequence("geometric:inf")


def test_a_cell_is_a_range_of_risk() -> None:
    c = lint.CellRange(2, 3, "medium", 1, (0.05, 0.2), (100, 1000))
    assert (c.low, c.high) == pytest.approx((5, 200))
    assert c.expected == pytest.approx(0.125 * 550)


def test_a_single_band_grid_passes_vacuously() -> None:
    rules = register.default_rules()
    one = type(rules.rating)(rules.rating.bands[:1], tuple(tuple("low" for _ in row) for row in rules.rating.grid))
    result = lint.lint(type(rules)(rules.likelihood, rules.impact, one, rules.words))
    assert result.passed and result.reversals == ()


# --------------------------------------------------------------------------- one grid per check

_SCALES = """\
scales:
  likelihood:
    - {value: 1, name: Low, probability: [0, 0.2]}
    - {value: 2, name: Medium, probability: [0.2, 0.6]}
    - {value: 3, name: High, probability: [0.6, 1]}
  impact:
    - {value: 1, name: Small}
    - {value: 2, name: Medium}
    - {value: 3, name: Large}
rating:
  bands:
    - {id: green, name: Green, color: green}
    - {id: amber, name: Amber, color: yellow}
    - {id: orange, name: Orange, color: dark_orange}
    - {id: red, name: Red, color: red}
  grid:
"""

# Each grid is rows of likelihood 1, 2, 3 (impact 1..3 across), ×10 a level of impact; each breaks
# exactly the check it is named after (the cells named are rated higher, then lower).
GRIDS = {
    "all-pass": ("[green, green, amber]", "[green, amber, amber]", "[green, amber, red]"),
    # 2,1 Amber above 3,1 Green: more likelihood, the same impact, a lower rating.
    "monotonicity": ("[green, green, amber]", "[amber, amber, amber]", "[green, amber, red]"),
    # 3,3 Red reaches down to 0.6 × 100 = 60, below what 1,3 Green reaches (0.2 × 1000 = 200).
    "weak-consistency": ("[green, green, green]", "[green, amber, amber]", "[green, amber, red]"),
    # 2,3 Red shares an edge with 1,3 Green.
    "betweenness": ("[green, green, amber]", "[green, green, amber]", "[green, amber, red]"),
    # 3,1 Orange (0.6–10) is rated above 2,3 Amber (20–600), which is riskier throughout.
    "consistent-colouring": ("[green, green, amber]", "[green, amber, amber]", "[orange, orange, red]"),
}


def _grid_rules(write, rows: tuple[str, ...]) -> str:
    text = _SCALES.replace("    - {id: orange, name: Orange, color: dark_orange}\n", "")
    if any("orange" in row for row in rows):
        text = _SCALES
    return str(write(text + "".join(f"    - {row}\n" for row in rows), "rules.yaml"))


@pytest.mark.parametrize("name", list(GRIDS))
def test_each_check_fails_on_its_own_grid_and_only_there(run, write, name: str) -> None:
    data = _lint(run, _grid_rules(write, GRIDS[name]))
    failed = [c["axiom"] for c in data["checks"] if not c["passed"]]
    assert failed == ([] if name == "all-pass" else [name])
    assert data["passed"] is (name == "all-pass")
    assert run("lint-matrix", _grid_rules(write, GRIDS[name]), "--exit-code").exit_code == (name != "all-pass")


def test_a_rating_that_falls_as_likelihood_rises_is_an_error(run, write) -> None:
    """The grid the colouring check alone let through: 2,1 Amber above 3,1 Green, whose ranges overlap."""
    path = _grid_rules(write, GRIDS["monotonicity"])
    data = _lint(run, path)
    assert data["schema"] == "riskcli/lint-matrix/2"
    assert _checks(data)["monotonicity"] == [("2,1", "3,1")]
    text = run("lint-matrix", path, env={"COLUMNS": "120"}).stdout
    assert "✗ monotonicity: 1 pair of cells break it" in text
    assert "2,1 Amber  above  3,1 Green" in text


def test_a_rating_that_falls_as_impact_rises_is_an_error() -> None:
    rules = register.default_rules()
    grid = [list(row) for row in rules.rating.grid]
    grid[2][3], grid[2][4] = "critical", "high"  # Possible × Catastrophic below Possible × Major
    bent = type(rules)(
        rules.likelihood, rules.impact, type(rules.rating)(rules.rating.bands, tuple(map(tuple, grid))), rules.words
    )
    result = lint.lint(bent)
    (monotone,) = (pairs for axiom, pairs in result.breaches if axiom is lint.Axiom.MONOTONICITY)
    assert [((p.higher.likelihood, p.higher.impact), (p.lower.likelihood, p.lower.impact)) for p in monotone] == [
        ((3, 4), (3, 5))
    ]
    assert not result.passed
