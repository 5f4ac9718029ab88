"""export → import: a spreadsheet user's own =L*I agrees with the export's score, and what a sheet
held comes back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from riskcli import register
from riskcli.render.streams import clean

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


# --------------------------------------------------------------------------- export and back


TEXTS = ["'+1", "'=not a formula", " =1+1", "''", "trailing ", " both ", "=SUM(A1)", "plain", "a\u2028"]


def _text_register(extra_key: str = "note") -> str:
    risks = "".join(
        f"  - id: R{i}\n    title: {json.dumps(t)}\n    likelihood: 2\n    impact: 2\n"
        f"    extra: {{{json.dumps(extra_key)}: {json.dumps(t)}}}\n"
        for i, t in enumerate(TEXTS, start=1)
    )
    return "risks:\n" + risks


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_every_text_exactly(run, write, tmp_path, fmt) -> None:
    reg = write(_text_register())
    out, back = tmp_path / f"r.{fmt}", tmp_path / "back.yaml"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    got = register.load(back)
    want = TEXTS if fmt == "csv" else [clean(t) for t in TEXTS]  # XLSX shows U+2028 as a symbol
    assert [r.title for r in got.risks] == want
    assert [dict(r.extra)["note"] for r in got.risks] == want


HEADER_FORMULA = '=HYPERLINK("https://evil.example","click")'


def test_an_extra_key_is_never_a_formula_in_a_header(run, write, tmp_path) -> None:
    reg = write(_text_register(HEADER_FORMULA))
    csv_text = run("-r", str(reg), "export", "--format", "csv").stdout
    header = next(csv.reader([csv_text.splitlines()[0]]))
    assert "'" + HEADER_FORMULA in header and HEADER_FORMULA not in header
    out = tmp_path / "r.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    import openpyxl

    cells = [c for c in openpyxl.load_workbook(out)["Risks"][1] if c.value and "HYPERLINK" in str(c.value)]
    assert [(c.data_type, c.value) for c in cells] == [("s", "'" + HEADER_FORMULA)]
    back = tmp_path / "back.yaml"
    assert run("import", str(out), "-o", str(back)).exit_code == 0
    assert HEADER_FORMULA in dict(register.load(back).risks[0].extra)  # the key, as it was


NAMED = """\
title: Plant risks
as_of: 2025-06-30
scales:
  likelihood: [{value: 1, name: Seldom}, {value: 2, name: Sometimes}, {value: 3, name: Often}]
  impact: [{value: 1, name: Minor}, {value: 2, name: Serious}, {value: 3, name: Severe}]
rating:
  bands: [{id: low, name: Low, color: green}, {id: high, name: High, color: red}]
  grid: [[low, low, high], [low, high, high], [high, high, high]]
risks:
  - {id: R1, title: Grid failure, likelihood: 3, impact: 2}
  - {id: R2, title: Flood, likelihood: 1, impact: 3}
"""


def test_an_import_of_riskcli_s_csv_export_says_what_of_the_register_the_table_does_not_hold(
    run, write, tmp_path
) -> None:
    out = tmp_path / "plant.csv"
    assert run("-r", str(write(NAMED)), "export", "-o", str(out)).exit_code == 0
    back = run("import", str(out), "-o", str(tmp_path / "back.yaml"))
    assert back.exit_code == 0, back.stderr
    said = [line for line in back.stderr.splitlines() if line.startswith("riskcli's own export")]
    assert said == [
        "riskcli's own export: the table does not hold the register's title, as_of or scales' level names, so this "
        "register has its own (give them with --title TEXT, --as-of DATE, --rules FILE; riskcli export --format yaml "
        "copies a register whole)"
    ]
    reg = register.load(tmp_path / "back.yaml")
    assert reg.title == "Risks from plant.csv" and reg.rules.likelihood.levels[0].name != "Seldom"
    data = check_json(run("import", str(out), "--json").stdout)
    assert data["not_held"] == ["title", "as_of", "scales"]
    # what an option gives is not said lost
    given = run(
        "import", str(out), "-o", str(tmp_path / "given.yaml"), "--title", "Plant risks", "--as-of", "2025-06-30"
    )
    assert "the table does not hold the register's scales' level names, so this register has its own (give it with " \
        "--rules FILE;" in given.stderr  # fmt: skip
    assert register.load(tmp_path / "given.yaml").as_of == "2025-06-30"
    # a sheet that is not riskcli's export is not said to be one
    plain = tmp_path / "plain.csv"
    plain.write_text("id,title,likelihood,impact\nR1,Flood,2,3\n", encoding="utf-8")
    assert "riskcli's own export" not in run("import", str(plain), "-o", str(tmp_path / "p.yaml")).stderr


def test_an_import_of_riskcli_s_workbook_takes_the_register_s_scales_from_its_scales_sheet(
    run, write, tmp_path
) -> None:
    original = write(NAMED)
    out = tmp_path / "plant.xlsx"
    assert run("-r", str(original), "export", "-o", str(out)).exit_code == 0
    back = run("import", str(out), "-o", str(tmp_path / "back.yaml"))
    assert back.exit_code == 0, back.stderr
    assert "likelihood: the exported register's scale, from the workbook's Scales sheet: 1 Seldom, 2 Sometimes, 3 Often" \
        in back.stderr  # fmt: skip
    assert (
        "riskcli's own export: the table does not hold the register's title or as_of, so this register has its own "
        "(give them with --title TEXT, --as-of DATE; riskcli export --format yaml copies a register whole)"
    ) in back.stderr
    a, b = register.load(original), register.load(tmp_path / "back.yaml")
    assert (b.rules.likelihood, b.rules.impact) == (a.rules.likelihood, a.rules.impact)
    assert [(r.id, r.likelihood, r.impact) for r in b.risks] == [(r.id, r.likelihood, r.impact) for r in a.risks]
    data = check_json(run("import", str(out), "--json").stdout)
    assert data["not_held"] == ["title", "as_of"]
    assert [s["source"] for s in data["scales"]] == ["exported", "exported"]
    # the embedded register's scales come back whole: names, descriptions, probability bands
    mine = tmp_path / "mine.xlsx"
    assert run("export", "-o", str(mine)).exit_code == 0
    assert run("import", str(mine), "-o", str(tmp_path / "mine.yaml")).exit_code == 0
    embedded, again = register.load(None), register.load(tmp_path / "mine.yaml")
    assert (again.rules.likelihood, again.rules.impact) == (embedded.rules.likelihood, embedded.rules.impact)
    # with --rules, the file's scales are the register's, as for any sheet
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "scales:\n  likelihood: [{value: 1, name: A}, {value: 2, name: B}, {value: 3, name: C}]\n", encoding="utf-8"
    )
    imposed = run("--rules", str(rules), "import", str(out), "--json")
    assert [s["source"] for s in check_json(imposed.stdout)["scales"]] == ["rules", "rules"]
