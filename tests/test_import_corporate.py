"""A typical corporate sheet imports in one command: a banner above the header, verbal levels, a
RAG column in the organisation's own scheme, statuses, a row not yet assessed, a row without an
id, a duplicate id with a word no scale has, and a total under the table
(``data/import/corporate_rag.csv``)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from riskcli import register
from riskcli.model import Status

from sheets import SHEETS

SHEET = SHEETS / "corporate_rag.csv"
VERBAL = {"very low": 1, "low": 2, "medium": 3, "high": 4, "very high": 5}


def _published() -> list[tuple[int, int, str]]:
    """Each rated row's cell and rating, as the sheet gives them (its rows of risks: below the
    header in row 5, with a RAG and both levels on the verbal scale)."""
    with SHEET.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))[5:]
    return [
        (VERBAL[r[2].lower()], VERBAL[r[3].lower()], r[7])
        for r in rows
        if len(r) == 8 and r[7] and r[2].lower() in VERBAL and r[3].lower() in VERBAL
    ]


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def test_the_sheet_imports_in_one_command_with_its_bad_row_listed(run, tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    result = run("import", str(SHEET), "-o", str(out))
    assert result.exit_code == 1  # a row was left out
    err = result.stderr.splitlines()
    assert "read " + str(SHEET) + " (CSV, ','-separated): header in row 5, 15 rows of risks" == err[0]
    assert "  F   Status       → status (guessed)" in err and "  H   RAG          → rating (guessed)" in err
    assert "row 22 left out, a total or a note under the table: 'Total risks: 15'" in err
    assert "ids given to 1 row without one: R1 (row 19)" in err
    assert "as of 2024-03-12: the date in row 3, above the table" in err
    assert _errors(result.stderr) == [
        f"error: {SHEET}: row 20, column A (Ref): id 'ER-12' is used already, in row 17",
        f"error: {SHEET}: row 20, column C (Probability): likelihood 'Lowish' is not understood; give a level 1–5 "
        "or a level name (very low, low, medium, high, very high)",
    ]
    assert err[-1] == (
        f"wrote {out}: 13 risks, 1 not yet assessed; 1 row left out (20); "
        f"next: riskcli validate {out} && riskcli matrix --register {out}"
    )
    reg = register.load(out)
    assert [u.id for u in reg.unassessed] == ["ER-13"]
    statuses = {r.id: r.status for r in reg.risks}
    assert (statuses["ER-02"], statuses["ER-10"], statuses["R1"]) == (Status.TREATED, Status.CLOSED, Status.OPEN)
    assert dict(reg.risk_by_id["ER-03"].extra) == {"Controls": "Backups, EDR"}


def test_every_published_rating_is_given_back_by_matrix(run, tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    run("import", str(SHEET), "-o", str(out))
    cells = json.loads(run("matrix", "--register", str(out), "--json").stdout)["cells"]
    rating = {(c["likelihood"], c["impact"]): c["rating"]["name"] for c in cells}
    published = _published()
    assert len(published) == 13  # every rated row but the one whose likelihood is Lowish
    assert [(lk, im, rating[(lk, im)]) for lk, im, _ in published] == published
    assert "warning:" not in run("import", str(SHEET)).stderr  # no published rating contradicted


def test_the_verbal_scale_scores_afterwards(run, tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    run("import", str(SHEET), "-o", str(out))
    result = run("score", "ER-06", "-l", "very high", "-i", "Medium", "--register", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    (move,) = json.loads(result.stdout)["moves"]
    assert move["to"]["cell"] == {"likelihood": 5, "impact": 3}
    assert move["to"]["rating"]["name"] == "Red"  # the sheet's own rating of (5, 3), ER-11's


def test_a_value_map_and_strict(run, tmp_path: Path) -> None:
    out = tmp_path / "acme.yaml"
    strict = run("import", str(SHEET), "--strict", "-o", str(out))
    assert strict.exit_code == 2 and not out.exists()
    assert strict.stderr.splitlines()[-1] == f"error: {SHEET}: nothing written (--strict): 2 problems in 1 row"
    mapped = run("import", str(SHEET), "--value", "likelihood:Lowish=2", "-o", str(out))
    assert _errors(mapped.stderr) == [f"error: {SHEET}: row 20, column A (Ref): id 'ER-12' is used already, in row 17"]
