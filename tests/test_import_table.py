"""import finds the table in a sheet: the header below a banner, a row of group labels over it,
the rows of risks above totals and notes; headings and blank rows left out and said; the
register's date from the sheet."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from riskcli import register
from riskcli.results.importing.headers import Pair, classify

from conftest import check_json
from sheets import BANNER_RISKS, SHEETS, banner_rows, hazards_csv, workbook


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


# --------------------------------------------------------------------------- the header


def test_a_banner_workbook_imports_with_its_header_found_below_the_banner(run, tmp_path: Path) -> None:
    src = workbook(tmp_path / "ops.xlsx", banner_rows())
    out = tmp_path / "ops.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    err = result.stderr
    assert "(XLSX, sheet 'Register'): header in row 4, 12 rows of risks" in err
    assert "row 1 left out, above the table: 'Operational Risk Register 2024'" in err
    assert "row 2 left out, above the table: 'Owner: Risk Committee'" in err
    assert "  C   Probability  → likelihood (guessed)" in err
    assert "  D   Consequence  → impact (guessed)" in err
    assert "  G   RAG          → rating (guessed)" in err
    assert _errors(err) == []
    reg = register.load(out)
    assert [(r.id, r.title, r.likelihood, r.impact, r.owner) for r in reg.risks] == [
        (i, t, lk, im, o) for i, t, lk, im, o, _ in BANNER_RISKS
    ]
    assert dict(reg.risks[0].extra) == {"Controls": "Failover site"}
    assert reg.risks[9].extra == ()  # OR-10 has no controls


def test_header_row_says_where_the_header_is(run, tmp_path: Path) -> None:
    """A header of names riskcli does not know is found only when named."""
    rows: list[list[object]] = [
        ["Bedrohungsregister", "Version 2"],
        ["Kennung", "Bedrohung", "Wahrscheinlichkeit", "Schaden"],
        ["T1", "Hochwasser", 2, 3],
    ]
    src = workbook(tmp_path / "t.xlsx", rows)
    guessed = run("import", str(src))
    assert guessed.exit_code == 2
    assert "(the columns are: 'Bedrohungsregister', 'Version 2')" in guessed.stderr
    maps = "id=Kennung,title=Bedrohung,likelihood=Wahrscheinlichkeit,impact=Schaden"
    named = run("import", str(src), "--header-row", "2", "--map", maps)
    assert named.exit_code == 0, named.stderr
    assert "header in row 2, 1 row of risks" in named.stderr  # given: no hint to give it
    assert "row 1 left out, above the table: 'Bedrohungsregister | Version 2'" in named.stderr
    assert "  - id: T1\n    title: Hochwasser\n    likelihood: 2\n    impact: 3\n" in named.stdout


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("9", "{src}: --header-row 9: the sheet's rows are 1 to 3"),
        ("0", "--header-row 0: rows are numbered from 1"),
    ],
)
def test_a_header_row_outside_the_sheet_is_refused(run, write, row: str, message: str) -> None:
    src = write("title,likelihood,impact\nA,1,1\n\n", "t.csv")
    result = run("import", str(src), "--header-row", row)
    assert result.exit_code == 2 and result.stderr == f"error: {message.format(src=src)}\n"


def test_a_blank_header_row_is_refused(run, write) -> None:
    src = write("title,likelihood,impact\n,,\nA,1,1\n", "t.csv")
    result = run("import", str(src), "--header-row", "2")
    assert result.exit_code == 2 and result.stderr == f"error: {src}: --header-row 2: that row is blank\n"


def test_a_row_of_group_labels_tells_the_assessments_apart(run, tmp_path: Path) -> None:
    src = hazards_csv(tmp_path / "hazards.csv")
    result = run("import", str(src), "--json")
    data = check_json(result.stdout)
    assert (data["header_row"], data["group_row"]) == (4, 3)
    assert [(c["header"], c["field"]) for c in data["columns"]][3:] == [
        ("Inherent risk L", "inherent likelihood"),
        ("Inherent risk I", "inherent impact"),
        ("Inherent risk Rating", "inherent rating"),
        ("Residual risk L", "residual likelihood"),
        ("Residual risk I", "residual impact"),
        ("Residual risk Rating", "residual rating"),
    ]
    assert "row 3" not in [s["row"] for s in data["skipped"]]  # the group row is part of the header


# --------------------------------------------------------------------------- rows that are not risks


def test_headings_totals_and_blank_rows_are_left_out_and_said(run, tmp_path: Path) -> None:
    src = hazards_csv(tmp_path / "hazards.csv")
    result = run("import", str(src), "--json")
    data = check_json(result.stdout)
    assert [(s["row"], s["reason"], s["text"]) for s in data["skipped"]] == [
        (1, "banner", "County Hazard Register"),
        (2, "banner", "Version 4 - issued 2021-06-30"),
        (5, "heading", "Natural hazards"),
        (12, "heading", "Technological hazards"),
        (19, "footer", "Total hazards: 12"),
    ]
    assert data["rows"] == 12 and data["imported"] == 12


def test_a_risk_named_like_a_total_is_a_risk_and_a_note_ends_the_table(run, write) -> None:
    src = write(
        "id,title,likelihood,impact\n"
        "R1,Total loss of power,2,5\n"
        "R2,Count of staff falls,3,3\n"
        "\n"
        "Subtotal,,5,8\n"
        "R3,Flood,1,4\n"
        "Prepared by: J. Smith,,,\n"
        "Key: 1 = rare … 5 = almost certain,,,\n",
        "t.csv",
    )
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert [r["id"] for r in _risks_yaml(run, src)] == ["R1", "R2", "R3"]
    assert "row 5 left out, a total or a note under the table: 'Subtotal | 5 | 8'" in result.stderr
    assert "row 7 left out, a total or a note under the table: 'Prepared by: J. Smith'" in result.stderr
    assert "row 8 left out, below the table's end: 'Key: 1 = rare … 5 = almost certain'" in result.stderr
    assert "blank row left out: 4" in result.stderr


def _risks_yaml(run, src: Path) -> list[dict[str, object]]:
    data = json.loads(run("import", str(src), "--json").stdout)
    from riskcli.register.write import read_back

    return [{"id": r.id} for r in read_back(data["yaml"], "t.yaml").risks]


def test_a_single_id_in_the_id_column_is_a_risk_without_a_title_not_a_heading(run, write) -> None:
    src = write("id,title,likelihood,impact\nR1,Flood,2,3\nR2,,,\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 1
    assert f"error: {src}: row 3, column B (title): the title is empty" in result.stderr


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("header", "kind", "name", "pair"),
    [
        ("Risk ID", "field", "id", None),
        ("ref_id", "field", "id", None),
        ("#", "field", "id", None),
        ("Risk Description", "field", "description", None),
        ("Issue Title", "field", "title", None),
        ("Subject", "field", "title", None),
        ("Current Likelihood", "level", "likelihood", Pair.CURRENT),
        ("P", "level", "likelihood", None),
        ("I", "level", "impact", None),
        ("current_proba", "level", "likelihood", Pair.CURRENT),
        ("inherent_probability", "level", "likelihood", Pair.INHERENT),
        ("Residual impact", "level", "impact", Pair.RESIDUAL),
        ("Severity", "level", "impact", None),
        ("Consequence", "level", "impact", None),
        ("Probability", "level", "likelihood", None),
        ("Likelihood (1-5)", "level", "likelihood", None),
        ("Likelihood before controls", "level", "likelihood", Pair.INHERENT),
        ("Post-mitigation impact", "level", "impact", Pair.RESIDUAL),
        ("Gross likelihood", "level", "likelihood", Pair.INHERENT),
        ("Net impact", "level", "impact", Pair.RESIDUAL),
        ("RAG", "rating", "rating", None),
        ("Risk Level", "rating", "rating", None),
        ("Inherent Risk", "rating", "rating", Pair.INHERENT),
        ("inherent_level", "rating", "rating", Pair.INHERENT),
        ("Residual risk rating", "rating", "rating", Pair.RESIDUAL),
        ("Risk score", "score", "score", None),
        ("L x I", "score", "score", None),
        ("Date identified", "date", "date", None),
        ("Last reviewed", "date", "date", None),
        ("Review date", "field", "review_by", None),
        ("Next review", "field", "review_by", None),
        ("Treatment option", "field", "treatment", None),
    ],
)
def test_headers_are_read_as_people_write_them(header: str, kind: str, name: str, pair: Pair | None) -> None:
    role, _ = classify(header) or (None, 0)
    assert role is not None, header
    assert (role.kind, role.name, role.pair) == (kind, name, pair)


@pytest.mark.parametrize("header", ["Controls", "Existing controls", "Due date", "Risk Register"])
def test_other_headers_are_kept_as_extra(header: str) -> None:
    assert classify(header) is None


def test_a_risk_description_is_the_title_when_there_is_no_title(run, write) -> None:
    src = write("Ref,Risk Description,P,I\nA1,Suppliers fail,2,3\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "  B   Risk Description  → title (guessed)" in result.stderr
    assert "    title: Suppliers fail\n" in result.stdout


def test_a_column_of_sentences_is_not_a_level(run, write) -> None:
    """'Consequence' may be a sentence per risk; the levels are then in another column."""
    src = write(
        "Risk,Consequence,Consequence rating,Likelihood\n"
        "Flood,The depot closes for weeks and orders are lost,4,2\n"
        "Fire,Staff are hurt and the building is lost,5,1\n",
        "t.csv",
    )
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "  B   Consequence         → extra" in result.stderr
    assert "  C   Consequence rating  → impact (guessed)" in result.stderr


def test_map_names_an_assessment_and_rating_column_a_rating(run, write) -> None:
    src = write("Risk,Gross L,Gross I,Prob,Impact,Colour\nFlood,4,4,2,3,Amber\n", "t.csv")
    result = run(
        "import", str(src), "--map", "inherent likelihood=Gross L,inherent impact=Gross I", "--rating-column", "Colour",
        "--json",
    )  # fmt: skip
    data = check_json(result.stdout)
    fields = {c["header"]: (c["field"], c["use"]) for c in data["columns"]}
    assert fields["Gross L"] == ("inherent likelihood", "mapped")
    assert fields["Colour"] == ("rating", "mapped")
    assert data["scheme"]["columns"] == ["F"]


def test_rating_column_and_map_rating_must_agree(run, write) -> None:
    src = write("Risk,P,I,A,B\nFlood,2,3,x,y\n", "t.csv")
    result = run("import", str(src), "--rating-column", "A", "--map", "rating=B")
    assert result.exit_code == 2
    assert result.stderr == "error: --rating-column and --map rating= name two columns; give one\n"


def test_a_status_column_of_riskcli_statuses_sets_each_risk_status(run, write, tmp_path: Path) -> None:
    src = write("Ref,Risk,L,I,Status\nA1,Flood,2,3,Open\nA2,Fire,4,4,CLOSED\nA3,Theft,3,2,\n", "t.csv")
    out = tmp_path / "t.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "  E   Status  → status (guessed)" in result.stderr
    assert [(r.id, r.status) for r in register.load(out).risks] == [("A1", "open"), ("A2", "closed"), ("A3", None)]


def test_a_status_column_of_a_workflow_own_states_stays_extra(run, write) -> None:
    src = write("Ref,Risk,L,I,Status\nA1,Flood,2,3,Open\nA2,Fire,4,4,In progress\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "  E   Status  → extra (looks like status too; --map status=… to use it instead)" in result.stderr
    assert "    extra:\n      Status: In progress\n" in result.stdout


def test_a_status_mapped_by_hand_must_be_one_of_riskcli(run, write) -> None:
    src = write("Ref,Risk,L,I,Stage\nA1,Flood,2,3,Treated\nA2,Fire,4,4,In progress\n", "t.csv")
    result = run("import", str(src), "--map", "status=Stage")
    assert result.exit_code == 1
    assert _errors(result.stderr) == [
        f"error: {src}: row 3, column E (Stage): status 'In progress' is not open, treated, accepted, closed or "
        "retired; keep the column under extra with --map status="
    ]
    assert "    status: treated\n" in result.stdout


def test_a_treatment_column_sets_each_risk_treatment_with_the_usual_synonyms(run, write, tmp_path: Path) -> None:
    src = write(
        "Ref,Risk,L,I,Treatment\nA1,Flood,2,3,Mitigate\nA2,Fire,4,4,tolerate\nA3,Theft,3,2,Insure\n"
        "A4,Spill,2,2,Terminate\nA5,Fraud,3,3,Retain\nA6,Leak,1,2,share\nA7,Storm,2,2,\nA8,Riot,1,1,TRANSFER\n",
        "t.csv",
    )
    out = tmp_path / "t.yaml"
    result = run("import", str(src), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "  E   Treatment  → treatment (guessed)" in result.stderr
    got = [(r.id, r.treatment.strategy.value if r.treatment else None) for r in register.load(out).risks]
    assert got == [
        ("A1", "reduce"), ("A2", "accept"), ("A3", "transfer"), ("A4", "avoid"), ("A5", "accept"), ("A6", "transfer"),
        ("A7", None), ("A8", "transfer"),
    ]  # fmt: skip


def test_a_treatment_that_is_no_strategy_is_a_finding_not_a_silent_drop(run, write) -> None:
    src = write("Ref,Risk,L,I,Treatment\nA1,Flood,2,3,Reduce\nA2,Fire,4,4,Pray\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 1
    assert _errors(result.stderr) == [
        f"error: {src}: row 3, column E (Treatment): treatment 'Pray' is not avoid, reduce, transfer or accept (nor "
        "mitigate, tolerate, retain, share, insure or terminate); keep the column under extra with --map treatment="
    ]
    assert "    treatment: reduce\n" in result.stdout and "Fire" not in result.stdout


def test_a_review_column_of_cadences_in_words_stays_extra(run, write) -> None:
    src = write("Ref,Risk,L,I,Review date\nA1,Flood,2,3,Quarterly\nA2,Fire,4,4,Yearly\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "  E   Review date  → extra (looks like review_by too; --map review_by=… to use it instead)" in result.stderr
    assert "      Review date: Quarterly\n" in result.stdout and "review_by:" not in result.stdout


def test_a_treatment_column_of_actions_in_words_stays_extra(run, write) -> None:
    src = write("Ref,Risk,L,I,Treatment\nA1,Flood,2,3,Raise the levee\nA2,Fire,4,4,Sprinklers\n", "t.csv")
    result = run("import", str(src))
    assert result.exit_code == 0, result.stderr
    assert "  E   Treatment  → extra (looks like treatment too; --map treatment=… to use it instead)" in result.stderr
    assert "      Treatment: Raise the levee\n" in result.stdout and "treatment:" not in result.stdout


@pytest.mark.parametrize("header", ["Review date", "Next review", "Next Review Date", "review_by"])
def test_a_review_date_column_sets_each_risk_next_review(run, write, tmp_path: Path, header: str) -> None:
    src = write(f"Ref,Risk,L,I,{header}\nA1,Flood,2,3,2025-06-30\nA2,Fire,4,4,31/12/2025\nA3,Theft,3,2,\n", "t.csv")
    out = tmp_path / "t.yaml"
    result = run("import", str(src), "-o", str(out), "--as-of", "2025-01-01")
    assert result.exit_code == 0, result.stderr
    assert "→ review_by (guessed)" in result.stderr
    assert [(r.id, r.review_by) for r in register.load(out).risks] == [
        ("A1", "2025-06-30"), ("A2", "2025-12-31"), ("A3", ""),
    ]  # fmt: skip


def test_a_review_date_that_is_no_date_or_could_be_two_is_a_finding(run, write) -> None:
    src = write(
        "Ref,Risk,L,I,Next review\nA1,Flood,2,3,soon\nA2,Fire,4,4,03/04/2025\nA3,Theft,3,2,2025-05-01\n", "t.csv"
    )
    result = run("import", str(src), "--as-of", "2025-01-01")
    assert result.exit_code == 1
    assert [e.split(": ", 2)[2] for e in _errors(result.stderr)] == [
        "row 2, column E (Next review): review date 'soon' is not a date (or could be two: write it as YYYY-MM-DD); "
        "keep the column under extra with --map review_by=",
        "row 3, column E (Next review): review date '03/04/2025' is not a date (or could be two: write it as "
        "YYYY-MM-DD); keep the column under extra with --map review_by=",
    ]


# --------------------------------------------------------------------------- the date


def test_as_of_is_the_newest_date_of_a_date_column(run, tmp_path: Path) -> None:
    """SimpleRisk writes dates month first; 04/17/2024 says so for the column."""
    result = run("import", str(SHEETS / "simplerisk.csv"), "--rules", str(SHEETS / "simplerisk_rules.yaml"), "--json")
    data = check_json(result.stdout)
    assert data["as_of"] == {"date": "2024-04-17", "source": "column", "row": 4, "column": "G", "note": None}
    assert "\nas_of: 2024-04-17\n" in data["yaml"]


def test_as_of_may_be_a_date_above_the_table(run) -> None:
    result = run("import", str(SHEETS / "corporate.csv"))
    assert "as of 2023-03-03: the date in row 3, above the table" in result.stderr


def test_as_of_given_wins_and_is_checked(run) -> None:
    given = run("import", str(SHEETS / "corporate.csv"), "--as-of", "2023-01-31", "--json")
    assert check_json(given.stdout)["as_of"]["source"] == "given"
    assert "\nas_of: 2023-01-31\n" in json.loads(given.stdout)["yaml"]
    bad = run("import", str(SHEETS / "corporate.csv"), "--as-of", "01/02/2023")
    assert bad.exit_code == 2 and bad.stderr == "error: --as-of '01/02/2023': give a date as YYYY-MM-DD\n"


def test_as_of_is_today_with_a_note_when_the_dates_read_both_ways(run, write) -> None:
    src = write("title,likelihood,impact,Date raised\nA,1,1,03/04/2020\nB,1,1,05/06/2020\n", "t.csv")
    result = run("import", str(src))
    today = dt.date.today().isoformat()
    assert (
        f"as of {today} (today): column D has dates in numbers that read either way (day/month or month/day); "
        "--as-of DATE to say" in result.stderr
    )


def test_a_due_date_is_not_the_register_date(run, write) -> None:
    src = write("title,likelihood,impact,Due date,Date raised\nA,1,1,2099-01-01,2020-02-03\n", "t.csv")
    data = json.loads(run("import", str(src), "--json").stdout)
    assert data["as_of"]["date"] == "2020-02-03"


@pytest.mark.parametrize(
    ("cell", "date"),
    [
        ("2018-03-12", "2018-03-12"),
        ("2018-03-12T10:30:00", "2018-03-12"),
        ("12 March 2018", "2018-03-12"),
        ("12th Mar 2018", "2018-03-12"),
        ("March 12, 2018", "2018-03-12"),
        ("13/03/2018", "2018-03-13"),
        ("03/13/2018", "2018-03-13"),
        ("13.03.18", "2018-03-13"),
    ],
)
def test_dates_are_read_as_sheets_write_them(cell: str, date: str) -> None:
    from riskcli.results.importing.dates import as_of

    found = as_of(None, [(2, ["x", cell])], [1], [], dt.date(2025, 1, 1))
    assert (found.date, found.source, found.row) == (date, "column", 2)


def test_dates_after_today_are_not_the_register_date() -> None:
    from riskcli.results.importing.dates import as_of

    found = as_of(None, [(2, ["2030-01-01"]), (3, ["2020-05-06"])], [0], [], dt.date(2025, 1, 1))
    assert found.date == "2020-05-06"
