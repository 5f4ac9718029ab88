"""export → import: a spreadsheet user's own =L*I agrees with the export's score, and what a sheet
held comes back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from riskcli import register

from conftest import check_json

MOVED = """\
assumptions:
  - {id: A1, statement: Demand holds., belief: 0.5}
risks:
  - id: R1
    title: Grid failure
    likelihood: 3
    impact: 5
    drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}]
  - {id: R2, title: Flood, likelihood: 2, impact: 2}
"""


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_the_score_is_the_product_of_the_cells_and_the_unrounded_levels_are_labelled(run, write) -> None:
    reg = write(MOVED)
    assert run("-r", str(reg), "assume", "A1", "0.8", "--why", "orders up").exit_code == 0
    rows = {r["id"]: r for r in _rows(run("-r", str(reg), "export", "--format", "csv").stdout)}
    r1 = rows["R1"]
    assert (r1["likelihood"], r1["impact"], r1["score"]) == ("4", "5", "20")  # 3.6 is in cell 4
    assert (r1["unrounded likelihood"], r1["unrounded impact"], r1["unrounded score"]) == ("3.6", "5", "18")
    for r in rows.values():
        assert int(r["likelihood"]) * int(r["impact"]) == int(r["score"])  # the sheet's own =L*I


def test_whole_levels_need_no_unrounded_columns(run, write) -> None:
    rows = _rows(run("-r", str(write(MOVED)), "export", "--format", "csv").stdout)
    assert "unrounded score" not in rows[0] and rows[0]["score"] == "15"


def test_an_export_with_unrounded_levels_imports_back_as_its_cells(run, write, tmp_path: Path) -> None:
    reg = write(MOVED)
    assert run("-r", str(reg), "assume", "A1", "0.8").exit_code == 0
    out, back = tmp_path / "r.csv", tmp_path / "back.yaml"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    result = run("import", str(out), "-o", str(back), "--json")
    data = check_json(result.stdout)
    uses = {c["header"]: c["use"] for c in data["columns"]}
    assert uses["unrounded likelihood"] == uses["unrounded score"] == uses["score"] == "computed"
    assert [(r.id, r.likelihood, r.impact) for r in register.load(back).risks] == [("R1", 4, 5), ("R2", 2, 2)]
