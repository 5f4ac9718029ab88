"""import keeps a sheet's own rating scheme: learned from its rated rows so that the matrix gives
back every published rating, or — with --rules — checked, and every rating not given back listed."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli import register
from riskcli.results.importing.grid import Rated, label, learn, order

from conftest import check_json
from sheets import BANNER_RISKS, HAZARDS, SHEETS, banner_rows, hazard_rating, hazards_csv, rag, workbook


def matrix_ratings(run, reg: Path, *rules: str) -> dict[str, str]:
    """Each risk's rating as ``matrix`` gives it."""
    data = check_json(run(*rules, "matrix", "--register", str(reg), "--json").stdout)
    return {rid: c["rating"]["name"] for c in data["cells"] for rid in c["risks"]}


# --------------------------------------------------------------------------- learned from the sheet


def test_a_rag_sheet_gives_back_every_published_rating(run, tmp_path: Path) -> None:
    src = workbook(tmp_path / "ops.xlsx", banner_rows())
    out = tmp_path / "ops.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert (
        "rating: the sheet's own grid, learned from 12 ratings in column G: Green (4), Amber (5), Red (3), "
        "lowest first; 13 cells inferred (no row rates them)" in result.stderr
    )
    assert matrix_ratings(run, out) == {i: rag(lk, im) for i, _, lk, im, _, _ in BANNER_RISKS}
    rules = register.load(out).rules
    assert [(b.id, b.name, b.color) for b in rules.rating.bands] == [
        ("green", "Green", "green"),
        ("amber", "Amber", "#FFBF00"),
        ("red", "Red", "red"),
    ]
    text = out.read_text(encoding="utf-8")
    assert "    - [green, green, green, green, green]  # 1 Rare; inferred: I1, I2, I3\n" in text
    assert "    - [green, amber, red, red, red]  # 5 Almost certain; inferred: I2, I4, I5\n" in text


def test_the_learned_grid_is_monotone_and_between_what_the_sheet_shows(run, tmp_path: Path) -> None:
    src = workbook(tmp_path / "ops.xlsx", banner_rows())
    data = json.loads(run("import", str(src), "--json").stdout)
    (tmp_path / "ops.yaml").write_text(data["yaml"], encoding="utf-8")
    rules = register.load(tmp_path / "ops.yaml").rules
    rank = {b.id: i for i, b in enumerate(rules.rating.bands)}
    g = [[rank[c] for c in row] for row in rules.rating.grid]
    for lk, im in itertools.product(range(5), range(5)):
        if lk + 1 < 5:
            assert g[lk][im] <= g[lk + 1][im]
        if im + 1 < 5:
            assert g[lk][im] <= g[lk][im + 1]
    assert data["scheme"]["source"] == "learned" and data["scheme"]["findings"] == []


def test_a_hazard_register_keeps_its_four_bands_and_lists_the_rating_it_cannot_give_back(run, tmp_path) -> None:
    src = hazards_csv(tmp_path / "hazards.csv")
    out = tmp_path / "hazards.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 1  # a published rating is not given back
    assert (
        f"warning: {src}: row 17, column I (residual): rated 'Very high' at likelihood 2, impact 4, but row 13 in "
        "that cell is 'High', as most rows there are: the register rates the cell High" in result.stderr
    )
    assert [b.name for b in register.load(out).rules.rating.bands] == ["Moderate", "High", "Very high", "Extreme"]
    published = {ident: hazard_rating(*residual) for ident, _, _, residual in HAZARDS}
    published["H12"] = "High"
    assert {k: v for k, v in matrix_ratings(run, out).items() if k != "H11"} == published
    assert matrix_ratings(run, out)["H11"] == "High"  # listed above: the sheet says Very high


def test_a_sheet_that_agrees_with_riskcli_keeps_riskcli_grid(run, write) -> None:
    src = write("title,likelihood,impact,rating\nA,1,1,Low\nB,5,5,Critical\nC,3,3,medium\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "rating: the sheet's 3 ratings (column D) agree with riskcli's grid, kept" in result.stderr
    assert "\nrating:" not in result.stdout  # riskcli's own rules: nothing written


def test_a_column_of_scores_is_not_a_rating(run, write) -> None:
    src = write("title,likelihood,impact,Risk rating\nA,1,2,2\nB,3,3,9\n", "t.csv")
    data = json.loads(run("import", str(src), "--json").stdout)
    assert data["scheme"]["source"] == "rules" and data["ok"] is True


def test_strict_refuses_a_sheet_whose_ratings_cannot_all_be_given_back(run, tmp_path: Path) -> None:
    src = hazards_csv(tmp_path / "hazards.csv")
    out = tmp_path / "h.yaml"
    result = run("import", str(src), "--strict", "-o", str(out))
    assert result.exit_code == 2 and not out.exists()
    assert (
        result.stderr.splitlines()[-1] == f"error: {src}: nothing written (--strict): 1 published rating not given back"
    )


def test_a_rating_below_a_less_risky_cell_is_given_back_and_reported(run, write) -> None:
    src = write("title,likelihood,impact,RAG\nA,2,2,Red\nB,3,3,Amber\nC,1,1,Green\nD,5,5,Red\n", "t.csv")
    result = run("import", str(src), "--json")
    assert result.exit_code == 0  # given back, though against the order of risk
    data = check_json(result.stdout)
    (finding,) = data["scheme"]["findings"]
    assert finding == {
        "row": 3,
        "column": "D",
        "assessment": "current",
        "cell": {"likelihood": 3, "impact": 3},
        "rating": "Amber",
        "kind": "not-monotone",
        "expected": "Red",
        "other_row": 2,
    }


# --------------------------------------------------------------------------- imposed with --rules


def test_rules_impose_a_scheme_in_css_colours_and_disagreeing_ratings_are_listed(run, tmp_path: Path) -> None:
    rules = SHEETS / "simplerisk_rules.yaml"
    out = tmp_path / "sr.yaml"
    result = run("--rules", str(rules), "import", str(SHEETS / "simplerisk.csv"), "-o", str(out))
    assert result.exit_code == 1
    assert "rating: the --rules grid; 5 of the sheet's 6 ratings (column K) agree" in result.stderr
    assert (
        f"warning: {SHEETS / 'simplerisk.csv'}: row 6, column K: rated 'High' at likelihood 2, impact 5; "
        "the rules rate that cell Medium" in result.stderr
    )
    reg = register.load(out)  # no --rules needed: the scheme is written into the register
    assert [b.color for b in reg.rules.rating.bands] == ["#90EE90", "yellow", "#FFA500", "#FF4500", "red"]
    ratings = matrix_ratings(run, out)
    assert ratings == {
        "1001": "High", "1002": "Low", "1003": "Medium", "1004": "Low", "1005": "Medium", "1006": "Very High",
    }  # fmt: skip
    extra = {r.id: dict(r.extra) for r in reg.risks}
    assert extra["1004"]["Status"] == "Closed" and extra["1001"]["Calculated Risk"] == 6.4


# --------------------------------------------------------------------------- the learner


def test_ratings_are_read_without_a_score_beside_them() -> None:
    assert [label(x) for x in ("Amber (12)", "12 - Red", "High: 9", "Very High", "3.5 - Low")] == [
        "Amber", "Red", "High", "Very High", "Low",
    ]  # fmt: skip


def test_the_order_is_the_sheets_not_the_words() -> None:
    """A sheet where 'Low' is rated above 'High' (its own, odd, words) keeps its order."""
    rows = [Rated(n, "D", "current", cell, r) for n, (cell, r) in enumerate([((1, 1), "High"), ((5, 5), "Low")])]
    assert order(rows) == ["high", "low"]
    tie = [Rated(1, "D", "current", (3, 3), "Red"), Rated(2, "D", "current", (3, 3), "Green")]
    assert order(tie) == ["green", "red"]  # no row tells them apart: the usual words do


@settings(max_examples=60, deadline=None)
@given(cuts=st.lists(st.integers(2, 25), min_size=3, max_size=3, unique=True), picks=st.sets(st.integers(0, 24)))
def test_a_monotone_scheme_is_given_back_in_every_rated_cell_and_completed_monotone(
    cuts: list[int], picks: set[int]
) -> None:
    """For any banded L×I scheme and any cells rated, the learned grid rates those cells as the
    sheet does, and is monotone."""
    a, b, c = sorted(cuts)
    names = ["Low", "Medium", "High", "Extreme"]

    def band(lk: int, im: int) -> str:
        p = lk * im
        return names[sum(1 for t in (a, b, c) if p >= t)]

    cells = [(lk, im) for lk in range(1, 6) for im in range(1, 6)]
    rated = [Rated(n, "E", "current", cells[k], band(*cells[k])) for n, k in enumerate(sorted(picks))]
    if not rated:
        return
    learned = learn(rated, 5, 5)
    assert not learned.findings
    ids = {b.name: b.id for b in learned.bands}
    for r in rated:
        assert learned.grid[r.cell[0] - 1][r.cell[1] - 1] == ids[r.rating]
    rank = {b.id: i for i, b in enumerate(learned.bands)}
    g = [[rank[x] for x in row] for row in learned.grid]
    for lk, im in itertools.product(range(5), range(5)):
        assert lk == 4 or g[lk][im] <= g[lk + 1][im]
        assert im == 4 or g[lk][im] <= g[lk][im + 1]
