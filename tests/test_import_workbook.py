"""import refuses the tables and workbooks it cannot read safely: the hostile files of
tests/bad/tables/, Excel's limits and riskcli's own; rows stream in flat memory, and cells read as a
spreadsheet shows them."""

from __future__ import annotations

import pytest

from conftest import BAD, write_xlsx, xlsx_row

# --------------------------------------------------------------------------- tables and workbooks that import refuses
# tests/bad/tables/ holds hostile tables, each refused with one line naming where (the workbooks
# were made with conftest.write_xlsx: a 50 MB cell in a 50 KB file, 3 million empty rows in 27 KB).

BAD_TABLES = {
    "cell_of_50_mb.xlsx": "row 2, column B: a cell of more than 32,767 characters (Excel's limit)",
    "column_past_xfd.xlsx": "row 2: more than 16,384 columns (Excel's limit)",
    "comment_of_100_mb.xlsx": "xl/worksheets/sheet1.xml: a tag or comment of more than 1 MiB; riskcli reads at most that",
    "csv_cell_of_50_kb.csv": "row 2, column A: a cell of more than 32,767 characters (Excel's limit)",
    "csv_cell_too_long.csv": "row 3, column B: a cell of more than 32,767 characters (Excel's limit)",
    "dtd_entity_expansion.xlsx": "xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "dtd_external_entity.xlsx": "xl/sharedStrings.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "dtd_in_the_workbook.xlsx": "xl/workbook.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "five_million_cells.xlsx": "row 307: more than 5,000,000 cells in all; riskcli imports at most that",
    "not_well_formed.xlsx": "xl/worksheets/sheet1.xml: not well-formed XML (line 1, column 257: mismatched tag)",
    "number_that_is_not.xlsx": "row 2, column C: 'abc' is not a number",
    "rows_100001.xlsx": "row 100001: more than 100,000 rows of risks; riskcli imports at most that",
    "rows_out_of_order.xlsx": "row 2 comes after row 5; not a sheet riskcli reads",
    "shared_string_missing.xlsx": "row 2, column A: '7' is not a shared string of the workbook",
    "shared_string_of_50_mb.xlsx": "row 2, column B: a cell of more than 32,767 characters (Excel's limit)",
    "tag_of_100_mb.xlsx": "xl/worksheets/sheet1.xml: a tag or comment of more than 1 MiB; riskcli reads at most that",
    "three_million_empty_rows.xlsx": "row 1048577: past the last row riskcli reads (row 1,048,576, as in Excel)",
}


TABLES = BAD / "tables"


def test_every_bad_table_has_an_expectation() -> None:
    assert sorted(p.name for p in TABLES.iterdir()) == sorted(BAD_TABLES)


@pytest.mark.parametrize("name", sorted(BAD_TABLES))
def test_a_bad_table_is_refused_with_one_line(run, tmp_path, name) -> None:
    result = run("import", str(TABLES / name), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {TABLES / name}: {BAD_TABLES[name]}" + (
        "; riskcli does not read it\n" if "DTD" in BAD_TABLES[name] else "\n"
    )
    assert not (tmp_path / "out.yaml").exists()


def _rows(unit: bytes, n: int, block: int = 10_000):
    for k in range(0, n, block):
        yield unit * min(block, n - k)


HEADER = xlsx_row(1, "title", "likelihood", "impact")


def test_a_cell_at_excels_limit_is_read_whole_and_one_past_it_refused(run, tmp_path) -> None:
    ok = write_xlsx(
        tmp_path / "ok.xlsx", [HEADER, xlsx_row(2, "t", 2, 2)[:-6] + xlsx_row(None, "x" * 32_767)[5:-6] + b"</row>"]
    )
    result = run("import", str(ok), "--map", "title=title")
    assert result.exit_code == 0, result.stderr
    assert "x" * 32_767 in result.stdout
    shared = write_xlsx(
        tmp_path / "shared.xlsx", [HEADER, b'<row r="2"><c t="s"><v>0</v></c><c><v>2</v></c><c><v>2</v></c></row>'],
        shared=["y" * 32_768],
    )  # fmt: skip
    result = run("import", str(shared))
    assert result.exit_code == 2 and "row 2, column A: a cell of more than 32,767 characters" in result.stderr


def test_a_shared_string_past_the_limit_that_no_cell_uses_is_no_matter(run, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "unused.xlsx", [HEADER, b'<row r="2"><c t="s"><v>0</v></c><c><v>2</v></c><c><v>2</v></c></row>'],
        shared=["used", "z" * 100_000],
    )  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 0 and "title: used" in result.stdout


def test_rows_of_a_workbook_stream_in_flat_memory(tmp_path) -> None:
    """Blank rows after the table cost nothing: 200,000 of them read in the memory of 20,000."""
    import tracemalloc

    from riskcli.register.workbook import read_sheet

    def peak(n: int) -> int:
        path = write_xlsx(
            tmp_path / f"blank{n}.xlsx", [HEADER, xlsx_row(2, "t", 2, 2), *_rows(b"<row><c/><c/></row>", n)]
        )
        data = path.read_bytes()
        tracemalloc.start()
        try:
            _, rows = read_sheet(path, data, None)
            got = [number for number, _ in rows]
            return tracemalloc.get_traced_memory()[1] if got == [1, 2] else -1
        finally:
            tracemalloc.stop()

    peak(10)  # the modules it imports, once
    small, large = peak(20_000), peak(200_000)
    assert small > 0 and 0 < large < small + 128 * 1024, (small, large)  # openpyxl's reader: 48 MB more


def test_more_rows_than_riskcli_imports_are_refused_at_the_first_one_past(run, tmp_path) -> None:
    csv = tmp_path / "many.csv"
    csv.write_text("title,likelihood,impact\n" + "t,2,2\n" * 100_000)
    result = run("import", str(csv))
    assert result.exit_code == 2
    assert result.stderr == f"error: {csv}: row 100001: more than 100,000 rows of risks; riskcli imports at most that\n"


def test_blank_rows_between_rows_are_blank_rows_and_do_not_count(run, tmp_path) -> None:
    from riskcli.register.workbook import read_sheet

    path = write_xlsx(
        tmp_path / "sparse.xlsx", [HEADER, b'<row r="3"><c/></row>', xlsx_row(5, "t", 2, 2), b"<row/>" * 9]
    )
    assert read_sheet(path, path.read_bytes(), None)[1] == [
        (1, ["title", "likelihood", "impact"]), (2, []), (3, []), (4, []), (5, ["t", 2, 2]),
    ]  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 0 and "1 row of risks" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("limit", "value", "make", "message"),
    [
        (
            "MAX_UNPACKED",
            4096,
            lambda p: write_xlsx(p, [HEADER, *_rows(b"<row/>", 2000)]),
            "unpacks to more than 0 MiB of XML",
        ),
        ("MAX_PARTS", 3, lambda p: write_xlsx(p, [HEADER]), "more than 3 parts in the workbook"),
        ("MAX_SHARED", 2, lambda p: write_xlsx(p, [HEADER], shared=["a", "b", "c"]), "more than 2 shared strings"),
    ],
)
def test_a_workbooks_own_limits_are_refused(run, tmp_path, monkeypatch, limit, value, make, message) -> None:
    from riskcli.register import workbook

    monkeypatch.setattr(workbook, limit, value)
    path = make(tmp_path / "w.xlsx")
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {path}: {message}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_workbook_larger_than_riskcli_imports_is_refused_unread(run, tmp_path, monkeypatch) -> None:
    from riskcli.register import workbook

    monkeypatch.setattr(workbook, "MAX_TABLE_BYTES", 100)
    monkeypatch.setattr("riskcli.results.importing.table.MAX_TABLE_BYTES", 100)
    path = write_xlsx(tmp_path / "w.xlsx", [HEADER, xlsx_row(2, "t", 2, 2)])
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr == f"error: {path}: larger than riskcli imports (0 MiB)\n"


def test_dates_booleans_and_styles_read_as_a_spreadsheet_shows_them(run, tmp_path) -> None:
    styles = b'<numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>'  # fmt: skip
    row = (
        b'<row r="2"><c t="inlineStr"><is><t>t</t></is></c><c><v>2</v></c><c><v>2</v></c>'
        b'<c s="1"><v>45658</v></c><c s="2"><v>1.25</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c>'
        b'<c t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r><rPh><t>ruby</t></rPh></is></c></row>'
    )
    header = xlsx_row(1, "title", "likelihood", "impact", "date", "hours", "flag", "error", "rich")
    path = write_xlsx(tmp_path / "w.xlsx", [header, row], styles=styles)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    for line in ("date: 2025-01-01", "hours: 1 day, 6:00:00", "flag: 'TRUE'", "error: '#N/A'", "rich: rich text"):
        assert line in result.stdout, result.stdout
