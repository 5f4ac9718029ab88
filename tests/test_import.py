"""import: a CSV or XLSX table of one's own risks becomes a register that validates."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli import register
from riskcli.model import Risk

from conftest import check_json

# A spreadsheet's CSV as people have them: a byte-order mark, ';' separators, a header with
# spaces and a unit, a quoted comma and a quoted line break, blank lines, trailing empty columns,
# a blank id, and a column riskcli does not know.
MESSY = (
    "\ufeffRisk ID; Title ;Likelihood (1-5);Severity;Risk owner;Notes;;\r\n"
    'R-7;"Grid, power\nfailure";likely;4;ops;first note;;\r\n'
    "\r\n"
    ";Flood;30%;catastrophic;;12;;\r\n"
    "\r\n"
    ";Key engineer leaves;very unlikely;Minor;hr;;;\r\n"
)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    p = tmp_path / "risks.csv"
    p.write_bytes(MESSY.encode("utf-8"))
    return p


def _risks(path: Path) -> dict[str, Risk]:
    return {r.id: r for r in register.load(path).risks}


def test_a_messy_csv_becomes_a_register_that_validates(run, messy, tmp_path) -> None:
    out = tmp_path / "mine.yaml"
    result = run("import", str(messy), "--map", "impact=Severity", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert run("validate", str(out)).exit_code == 0
    risks = _risks(out)
    assert list(risks) == ["R-7", "R1", "R2"]
    grid = risks["R-7"]
    assert (grid.title, grid.likelihood, grid.impact, grid.owner) == ("Grid, power\nfailure", 4, 4, "ops")
    assert dict(grid.extra) == {"Notes": "first note"}
    assert (risks["R1"].title, risks["R1"].likelihood, risks["R1"].impact) == ("Flood", 3, 5)
    assert dict(risks["R1"].extra) == {"Notes": 12}  # a number stays a number
    assert (risks["R2"].likelihood, risks["R2"].impact, risks["R2"].owner) == (2, 2, "hr")
    assert f"wrote {out}: 3 risks" in result.stderr


def test_import_says_what_it_guessed_on_stderr(run, messy) -> None:
    err = run("import", str(messy), "--map", "impact=Severity").stderr
    assert "read " in err and "';'-separated" in err and "header in row 1, 3 rows" in err
    assert "A   Risk ID           → id (guessed)" in err
    assert "C   Likelihood (1-5)  → likelihood (guessed)" in err
    assert "D   Severity          → impact (--map)" in err
    assert "E   Risk owner        → owner (guessed)" in err
    assert "F   Notes             → extra" in err
    assert "ids given to 2 rows without one: R1 (row 4), R2 (row 6)" in err


def test_without_output_the_register_is_printed(run, messy) -> None:
    result = run("import", str(messy), "--map", "impact=Severity")
    assert result.exit_code == 0
    assert result.stdout.startswith("# A riskcli risk register imported from risks.csv on ")
    assert "  - id: R-7\n" in result.stdout
    assert "likelihood: 3  # from '30%'" in result.stdout  # what the cell said, beside the level


def test_import_json_lists_columns_assignments_and_the_yaml(run, messy) -> None:
    result = run("import", str(messy), "--map", "impact=Severity", "--json")
    assert result.exit_code == 0
    data = check_json(result.stdout)
    uses = {c["header"]: (c["field"], c["use"]) for c in data["columns"]}
    assert uses["Risk ID"] == ("id", "guessed") and uses["Severity"] == ("impact", "mapped")
    assert uses["Notes"] == (None, "extra")
    assert data["assigned"] == [{"row": 4, "id": "R1"}, {"row": 6, "id": "R2"}]
    assert data["delimiter"] == ";" and data["rows"] == 3 and data["ok"] is True
    assert data["yaml"].startswith("# A riskcli risk register")


def test_every_bad_cell_is_reported_and_the_good_rows_are_written(run, write, tmp_path) -> None:
    src = write(
        "ID,Title,Likelihood,Impact,Confidence\nR1,Fine,2,3,high\nR1,Same id,sometimes,3,\nbad id!,,9,0%,sure\n"
        "R2,Also fine,likely,minor,\n",
        "bad.csv",
    )
    out = tmp_path / "out.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 1  # written, with rows left out
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {src}: row 3, column A (ID): id 'R1' is used already, in row 2",
        f"error: {src}: row 3, column C (Likelihood): likelihood 'sometimes' is not understood; give a level 1–5, "
        "a level name (rare, unlikely, possible, likely, almost certain), an ICD 203 phrase (e.g. 'very likely', "
        "'roughly even chance') or a probability (e.g. 30% or 0.3)",
        f"error: {src}: row 4, column A (ID): id 'bad id!' is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)",
        f"error: {src}: row 4, column B (Title): the title is empty",
        f"error: {src}: row 4, column C (Likelihood): likelihood '9' is out of range; levels are 1–5",
        f"error: {src}: row 4, column D (Impact): impact '0%' is not understood; give a level 1–5 or a level name "
        "(insignificant, minor, moderate, major, catastrophic)",
        f"error: {src}: row 4, column E (Confidence): confidence 'sure' is not low, moderate or high (ICD 203)",
    ]
    assert f"wrote {out}: 2 risks; 2 rows left out (3–4)" in result.stderr
    assert [(r.id, r.title) for r in register.load(out).risks] == [("R1", "Fine"), ("R2", "Also fine")]


def test_strict_writes_nothing_when_a_row_is_bad(run, write, tmp_path) -> None:
    src = write("ID,Title,Likelihood,Impact\nR1,Fine,2,3\nR1,Same id,2,3\n", "bad.csv")
    out = tmp_path / "out.yaml"
    result = run("import", str(src), "--strict", "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"error: {src}: nothing written (--strict): 1 problem in 1 row"
    assert not out.exists() and result.stdout == ""


def test_nothing_is_written_when_no_row_imports(run, write, tmp_path) -> None:
    src = write("ID,Title,Likelihood,Impact\nR1,,2,3\n", "bad.csv")
    out = tmp_path / "out.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 2
    assert (
        result.stderr.splitlines()[-1]
        == f"error: {src}: nothing written: no row could be imported (1 problem in 1 row)"
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("table", "said"),
    [
        ("ID,Title,Likelihood,Impact\nSection A,,,\n", "no row of risks under the header in row 1"),
        (
            "Register\n\nID,Title,Likelihood,Impact\nNorth region,,,\n,,,\nSouth region,,,\n",
            "no row of risks under the header in row 3",
        ),
    ],
)
def test_a_table_with_no_row_of_risks_is_an_error_not_a_note(run, write, tmp_path, table: str, said: str) -> None:
    src = write(table, "empty.csv")
    result = run("import", str(src), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2 and not (tmp_path / "out.yaml").exists()
    assert result.stderr.splitlines()[-1] == f"error: {src}: nothing written: {said}"


def test_with_json_nothing_written_is_the_report_on_stdout_and_an_error_on_stderr(run, write) -> None:
    src = write("ID,Title,Likelihood,Impact\nR1,,2,3\n", "bad.csv")
    result = run("import", str(src), "--json")
    assert result.exit_code == 2
    report = check_json(result.stdout)
    assert (report["ok"], report["imported"], report["yaml"], len(report["problems"])) == (False, 0, None, 1)
    error = check_json(result.stderr)
    assert error["schema"] == "riskcli/error/1"
    assert error["error"]["message"] == f"{src}: nothing written: no row could be imported (1 problem in 1 row)"


def test_bad_rows_in_json_are_the_report_on_stdout(run, write) -> None:
    src = write("title,likelihood,impact\nA,2,huge\nB,2,3\n", "bad.csv")
    result = run("import", str(src), "--json")
    assert result.exit_code == 1
    data = check_json(result.stdout)
    assert data["schema"] == "riskcli/import/4"
    assert data["ok"] is False and data["imported"] == 1 and data["yaml"].startswith("# A riskcli")
    assert data["problems"] == [
        {
            "row": 2,
            "column": "C",
            "header": "impact",
            "field": "impact",
            "value": "huge",
            "message": "impact 'huge' is not understood; give a level 1–5 or a level name "
            "(insignificant, minor, moderate, major, catastrophic)",
        }
    ]


def test_a_missing_column_names_the_columns_and_map(run, write) -> None:
    src = write("Thing,Prob,Likelihood\nA,2,3\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {src}: no column for title and impact (the columns are: 'Thing', 'Prob', 'Likelihood'); "
        "name it with --map title=COLUMN,impact=COLUMN\n"
    )


def test_map_names_columns_even_with_commas_and_overrides_guesses(run, write) -> None:
    src = write('Hazard,"Chance (1, 5)",Prob,Harm\nFlood,2,4,5\n', "t.csv")
    result = run("import", str(src), "--map", "title=Hazard,likelihood=Chance (1, 5),impact=harm")
    assert result.exit_code == 0, result.stderr
    assert "likelihood: 2\n" in result.stdout and "impact: 5\n" in result.stdout
    assert "Prob: 4" in result.stdout  # 'Prob' looks like likelihood too, but the map wins
    assert "→ extra (looks like likelihood too; --map likelihood=… to use it instead)" in result.stderr


def test_map_field_empty_keeps_a_guessed_column_as_extra(run, write) -> None:
    src = write("title,likelihood,impact,actors\nA,2,3,North Korea\n", "t.csv")
    refused = run("import", str(src))
    assert refused.exit_code == 2 and "actor 'North Korea' is not an id" in refused.stderr
    kept = run("import", str(src), "--map", "actors=")
    assert kept.exit_code == 0, kept.stderr
    assert "extra:\n      actors: North Korea\n" in kept.stdout


@pytest.mark.parametrize(
    ("maps", "message"),
    [
        (["colour=Title"], "error: --map 'colour=Title': unknown field 'colour'; the fields are: id, title,"),
        (["title"], "error: --map 'title': give FIELD=COLUMN, e.g. --map likelihood=Prob"),
        (["title=Nope"], "error: --map title=Nope: no column 'Nope'; the columns are: 'title', 'likelihood', 'impact'"),
        (["title=likelihood"], "error: --map: column 'likelihood' is given for both title and likelihood"),
    ],
)
def test_bad_maps_are_refused(run, write, maps: list[str], message: str) -> None:
    src = write("title,likelihood,impact\nA,2,3\n", "t.csv")
    args = [a for m in maps for a in ("--map", m)]
    if maps == ["title=likelihood"]:
        args += ["--map", "likelihood=likelihood"]
    result = run("import", str(src), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr


def test_ids_are_assigned_around_the_ones_given(run, write) -> None:
    src = write("id,title,likelihood,impact\n,A,1,1\nR1,B,1,1\n,C,1,1\nR3,D,1,1\n", "t.csv")
    data = json.loads(run("import", str(src), "--json").stdout)
    assert data["assigned"] == [{"row": 2, "id": "R2"}, {"row": 4, "id": "R4"}]


def test_tab_separated_and_blank_header_columns(run, write) -> None:
    src = write("title\tlikelihood\timpact\t\nA\t2\t3\tloose\n", "t.tsv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "tab-separated" in result.stderr
    assert "column D: loose" in result.stdout


def test_never_overwrites_without_force(run, messy, tmp_path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text("keep me\n")
    refused = run("import", str(messy), "--map", "impact=Severity", "-o", str(out))
    assert refused.exit_code == 2
    assert refused.stderr == f"error: {out} already exists; use --force to overwrite it\n"
    assert out.read_text() == "keep me\n"
    forced = run("import", str(messy), "--map", "impact=Severity", "-o", str(out), "--force")
    assert forced.exit_code == 0 and register.load(out).risks[0].id == "R-7"


def test_never_writes_over_the_table_it_reads(run, messy) -> None:
    result = run("import", str(messy), "--map", "impact=Severity", "-o", str(messy), "--force")
    assert result.exit_code == 2 and "is the file being read" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"title\n\xff\n", "line 2 is not UTF-8 text"),
        (b"", "the file is empty"),
        (b"\n\n,,\n", "no rows: the table is empty"),
        (b"\ntitle,likelihood,impact\n\n", "no risks: the table has a header (row 2) but no rows under it"),
        (b"\xd0\xcf\x11\xe0rest", "an old binary .xls workbook"),
        (b"PK\x03\x04broken", "not a readable XLSX workbook"),
    ],
)
def test_unreadable_tables_are_one_line_errors(run, tmp_path, content: bytes, message: str) -> None:
    p = tmp_path / "t.csv"
    p.write_bytes(content)
    result = run("import", str(p))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["fake.xlsx", "FAKE.XLSX"])
def test_a_file_named_as_a_workbook_that_is_none_is_said_so(run, tmp_path, name: str) -> None:
    p = tmp_path / name
    p.write_bytes(b"not a zip\n")
    result = run("import", str(p), "-o", str(tmp_path / "x.yaml"))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "not a readable XLSX workbook" in result.stderr and "no risks" not in result.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_extra_columns_named_like_yaml_words_stay_text_keys(run, write) -> None:
    src = write("title,likelihood,impact,null,<<,true,Notes,Notes\nA,1,1,x,y,z,n1,n2\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert (
        "extra:\n      'null': x\n      '<<': y\n      'true': z\n      Notes: n1\n      Notes (H): n2\n"
        in result.stdout
    )


def test_a_missing_file(run, tmp_path) -> None:
    result = run("import", str(tmp_path / "none.csv"))
    assert result.exit_code == 2 and result.stderr == f"error: {tmp_path / 'none.csv'}: no such file\n"


# --------------------------------------------------------------------------- XLSX


def _workbook(path: Path, rows: list[list[object]], *, title: str = "Register", before: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if before is not None:
        ws.title = before
        ws.append(["not", "this", "sheet"])
        ws.append(["a", "cover", "page"])
        ws = wb.create_sheet(title)
    else:
        ws.title = title
    for row in rows:
        ws.append(row)
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as a spreadsheet keeps it
    wb.save(path)
    return path


XLSX_ROWS: list[list[object]] = [
    ["Risk ID", "Risk title", "Likelihood (1-5)", "Impact", "Category", "Cost"],
    ["R1", "Grid failure", 3, "catastrophic", "infrastructure", 1200.5],
    [None, None, None, None, None, None],
    ["R2", "=not a formula", 0.3, 4, "finance", None],
    ["R3", 2024, "almost certain", 1, None, "n/a"],
]


def test_an_xlsx_workbook_becomes_a_register(run, tmp_path) -> None:
    src = _workbook(tmp_path / "risks.xlsx", XLSX_ROWS)
    out = tmp_path / "mine.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "(XLSX, sheet 'Register'): header in row 1, 3 rows" in result.stderr
    assert run("validate", str(out)).exit_code == 0
    risks = _risks(out)
    assert [(r.id, r.title, r.likelihood, r.impact, r.category) for r in risks.values()] == [
        ("R1", "Grid failure", 3, 5, "infrastructure"),
        ("R2", "=not a formula", 3, 4, "finance"),  # 0.3 is a probability: 20–55% is level 3
        ("R3", "2024", 5, 1, ""),
    ]
    assert dict(risks["R1"].extra) == {"Cost": 1200.5}
    assert dict(risks["R3"].extra) == {"Cost": "n/a"}


def test_sheet_chooses_the_worksheet(run, tmp_path) -> None:
    src = _workbook(tmp_path / "risks.xlsx", XLSX_ROWS, before="Cover")
    first = run("import", str(src))
    assert first.exit_code == 2 and "no column for title, likelihood and impact" in first.stderr
    chosen = run("import", str(src), "--sheet", "register")
    assert chosen.exit_code == 0, chosen.stderr
    unknown = run("import", str(src), "--sheet", "Nope")
    assert unknown.exit_code == 2
    assert unknown.stderr == f"error: {src}: no sheet 'Nope'; the workbook has: 'Cover', 'Register'\n"


def test_sheet_is_refused_for_csv(run, messy) -> None:
    result = run("import", str(messy), "--sheet", "x")
    assert result.exit_code == 2 and "--sheet is for XLSX workbooks" in result.stderr


def test_xlsx_bad_cells_are_reported_by_sheet_row(run, tmp_path) -> None:
    src = _workbook(tmp_path / "risks.xlsx", [["title", "likelihood", "impact"], ["A", 7, 2], [], ["B", 2, "huge"]])
    result = run("import", str(src))
    assert result.exit_code == 2
    assert (
        f"error: {src}: row 2, column B (likelihood): likelihood '7' is out of range; levels are 1–5" in result.stderr
    )
    assert f"error: {src}: row 4, column C (impact): impact 'huge' is not understood" in result.stderr


# --------------------------------------------------------------------------- hostile text

HOSTILE = "[link=https://evil.example]click[/link] \x1b[31mred\x1b]8;;https://x\x1b\\ </script><img onerror=x>"


def test_hostile_text_is_kept_as_text_and_shown_cleaned(run, tmp_path) -> None:
    src = tmp_path / "t.csv"
    src.write_text(f'title,likelihood,impact,"{HOSTILE}"\n"{HOSTILE}",2,3,"\u202evalue"\n', encoding="utf-8")
    out = tmp_path / "mine.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stderr and "␛[31mred" in result.stderr  # the column list is cleaned
    text = out.read_text(encoding="utf-8")
    assert "\x1b" not in text and "\u202e" not in text  # escaped in the YAML, not written raw
    (risk,) = register.load(out).risks
    assert risk.title == HOSTILE
    assert dict(risk.extra) == {HOSTILE: "\u202evalue"}


# --------------------------------------------------------------------------- start-up

PROBE = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("OPENPYXL " + str("openpyxl" in sys.modules) + "\\n")
"""


def test_importing_a_csv_never_loads_openpyxl(messy, tmp_path) -> None:
    p = subprocess.run(
        [sys.executable, "-c", PROBE, "import", str(messy), "--map", "impact=Severity", "-o", str(tmp_path / "o.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "OPENPYXL False" in p.stderr and (tmp_path / "o.yaml").exists()


# --------------------------------------------------------------------------- any text


@settings(max_examples=150, deadline=None)
@given(
    title=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=120),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    key=st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30),
)
def test_any_text_is_written_as_yaml_that_reads_back(title: str, text: str, key: str) -> None:
    """Whatever a cell holds — line breaks, quotes, controls, bidi marks, YAML syntax — the register
    written reads back with exactly that text."""
    from riskcli.model import Register
    from riskcli.register.write import comparable, read_back, register_yaml

    risk = Risk(id="R1", title=title, likelihood=2, impact=3, description=text, extra=((key, text or "x"),))
    reg = Register(path="t.yaml", rules=register.default_rules(), risks=(risk,), title=text)
    written = register_yaml(reg, header=[text], inline={"R1": {"likelihood": text}})
    assert comparable(read_back(written, "t.yaml")) == comparable(reg)


def test_levels_on_the_scales_of_rules_and_the_register_carries_them(run, write, tmp_path) -> None:
    rules = Path(__file__).resolve().parent / "data" / "rules_3x3.yaml"
    src, out = write("title,likelihood,impact\nA,high,Large\nB,30%,1\n", "t.csv"), tmp_path / "mine.yaml"
    result = run("--rules", str(rules), "import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert run("validate", str(out)).exit_code == 0  # no --rules needed: the scales are in the file
    reg = register.load(out)
    assert reg.rules.likelihood.size == 3
    assert [(r.likelihood, r.impact) for r in reg.risks] == [(3, 3), (2, 1)]


def test_a_semicolon_csv_reads_decimal_commas(run, write, tmp_path) -> None:
    """Excel writes ';'-separated CSV where a comma is the decimal mark: 0,3 is 0.3 there."""
    src = write("ID;Title;Likelihood;Impact\nR1;Flood;0,3;4\nR2;Fire;92,5 %;2\nR3;Quake;0,3,1;2\n", "eu.csv")
    out = tmp_path / "eu.yaml"
    result = run("import", str(src), "--strict", "-o", str(out))
    assert result.exit_code == 2
    error, verdict = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error.startswith(f"error: {src}: row 4, column C (Likelihood): likelihood '0,3,1' is not understood;")
    assert verdict == f"error: {src}: nothing written (--strict): 1 problem in 1 row"
    src.write_text("ID;Title;Likelihood;Impact\nR1;Flood;0,3;4\nR2;Fire;92,5 %;2\n", encoding="utf-8")
    assert run("import", str(src), "-o", str(out)).exit_code == 0
    dots = write("ID,Title,Likelihood,Impact\nR1,Flood,0.3,4\nR2,Fire,92.5 %,2\n", "dots.csv")
    assert run("import", str(dots), "-o", str(tmp_path / "dots.yaml")).exit_code == 0
    cells = [(r.likelihood, r.impact) for r in _risks(out).values()]
    assert cells == [(r.likelihood, r.impact) for r in _risks(tmp_path / "dots.yaml").values()]
    assert cells[1] == (5, 2)


def test_a_decimal_comma_is_quoted_as_the_cell_has_it(run, write) -> None:
    src = write("ID;Title;Likelihood;Impact\nR1;a;3,4;2\nR2;b;-0,3;2\n", "eu.csv")
    errors = [line for line in run("import", str(src)).stderr.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: {src}: row 2, column C (Likelihood): likelihood '3,4' is not a whole level; levels are 1–5",
        f"error: {src}: row 3, column C (Likelihood): likelihood '-0,3' is not a whole level; levels are 1–5",
        f"error: {src}: nothing written: no row could be imported (2 problems in 2 rows)",
    ]
    src.write_text("ID;Title;Likelihood;Impact\nR1;a;30,5 %;2\n", encoding="utf-8")
    assert "likelihood: 3  # from '30,5 %'" in run("import", str(src)).stdout


def test_a_comma_csv_does_not_read_a_decimal_comma(run, write) -> None:
    src = write('ID,Title,Likelihood,Impact\nR1,Flood,"0,3",4\n', "us.csv")
    result = run("import", str(src))
    assert result.exit_code == 2 and "likelihood '0,3' is not understood" in result.stderr


def test_a_missing_column_among_thousands_is_said_in_a_short_line(run, tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"column {i}" for i in range(16_000)) + "\n" + ",".join("x" * 16_000) + "\n")
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert len(result.stderr) < 500, len(result.stderr)
    assert "'column 0', 'column 1'" in result.stderr and "… and 15,980 more)" in result.stderr


def test_a_long_header_is_cut_in_a_message(run, tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("h" * 30_000 + ",b\n1,2\n")
    result = run("import", str(path), "--map", "title=nope")
    assert result.exit_code == 2 and len(result.stderr) < 300 and "'" + "h" * 39 + "…'" in result.stderr
