"""What import and export say about what they did: the header's row, the rating column, the
ratings counted, the date of the import, the rows written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path


def test_a_header_row_given_gets_no_hint_to_give_it(run, write, tmp_path: Path) -> None:
    src = write("Risk register\n\nID,Title,Likelihood,Impact\nA1,a,1,1\n", "b.csv")
    result = run("import", str(src), "--header-row", "3", "-o", str(tmp_path / "b.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "header in row 3, 1 row of risks" in result.stderr
    assert "--header-row N" not in result.stderr


def test_the_header_comment_gives_the_day_of_the_import_not_the_as_of(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA1,a,1,1\n", "b.csv")
    out = tmp_path / "b.yaml"
    result = run("import", str(src), "--as-of", "2018-03-12", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith(f"# A riskcli risk register imported from b.csv on {dt.date.today().isoformat()}.\n")
    assert "as_of: 2018-03-12\n" in text


def test_a_rating_column_not_found_is_named_as_given(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA1,a,1,1\n", "b.csv")
    result = run("import", str(src), "--rating-column", "Nope", "-o", str(tmp_path / "b.yaml"))
    assert result.exit_code == 2
    assert "error: --rating-column Nope: no column 'Nope'; the columns are:" in result.stderr
    assert "--map" not in result.stderr


def test_the_ratings_counted_add_up_with_those_contradicted(run, write, tmp_path: Path) -> None:
    src = write(
        "ID,Title,Likelihood,Impact,RAG\nA1,a,1,1,Green\nA2,b,1,1,Green\nA3,c,1,1,Red\nA4,d,3,3,Amber\nA5,e,5,5,Red\n",
        "r.csv",
    )
    result = run("import", str(src), "-o", str(tmp_path / "r.yaml"))
    assert (
        "learned from 5 ratings in column E: Green (2), Amber (1), Red (1), lowest first, and 1 contradicted;"
        in result.stderr
    )


def test_export_counts_the_risks_not_yet_assessed_apart(run, write, tmp_path: Path) -> None:
    src = write("ID,Title,Likelihood,Impact\nA1,a,1,1\nA2,b,2,3\nA3,c,N/A,2\n", "u.csv")
    reg = tmp_path / "u.yaml"
    assert run("import", str(src), "-o", str(reg)).exit_code == 0
    out = tmp_path / "out.csv"
    result = run("--register", str(reg), "export", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "2 risks and 1 not yet assessed" in result.stderr
    assert len(out.read_text(encoding="utf-8-sig").strip().splitlines()) == 4  # the header and three risks


def test_a_header_row_guessed_gets_the_hint(run, write, tmp_path: Path) -> None:
    src = write("Kennung,Bedrohung,W,S\nT1,Hochwasser,2,3\n", "g.csv")
    maps = "id=Kennung,title=Bedrohung,likelihood=W,impact=S"
    result = run("import", str(src), "--map", maps, "-o", str(tmp_path / "g.yaml"))
    assert result.exit_code == 0, result.stderr
    assert "header in row 1 (--header-row N if it is another), 1 row of risks" in result.stderr


def test_a_first_sheet_without_a_table_names_the_sheets_to_choose(run, tmp_path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    notes = wb.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Read me: the register is on the next sheet"])
    risks = wb.create_sheet("Risks")
    risks.append(["ID", "Title", "Likelihood", "Impact"])
    risks.append(["A1", "Flood", 2, 3])
    src = tmp_path / "book.xlsx"
    wb.save(src)
    result = run("import", str(src))
    assert result.exit_code == 2
    assert (
        "(in the first sheet, 'Notes'; the workbook has 'Notes', 'Risks': name one with --sheet NAME)" in result.stderr
    )
    chosen = run("import", str(src), "--sheet", "Risks")
    assert chosen.exit_code == 0, chosen.stderr
