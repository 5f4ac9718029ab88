"""Risks not yet assessed are imported apart and never placed; a sheet's several assessments
(inherent, current, residual) are told apart and kept; export → import keeps them all."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from riskcli import register
from riskcli.model import Stated, Status

from conftest import check_json
from sheets import SHEETS, ciso_template, hazards_csv

MATRIX = SHEETS / "ciso_matrix_4x4_fr.yaml"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


# --------------------------------------------------------------------------- not yet assessed


def test_na_tbd_and_empty_levels_are_imported_apart_and_never_placed(run, tmp_path: Path) -> None:
    out = tmp_path / "corp.yaml"
    result = run("import", str(SHEETS / "corporate.csv"), "-o", str(out))
    assert result.exit_code == 1  # the duplicate id CR-04 is left out
    assert (
        "not yet assessed, kept apart and never plotted: CR-06, CR-08 (2 risks with a likelihood or an impact of "
        "N/A, TBD, - or none)" in result.stderr
    )
    assert f"wrote {out}: 6 risks, 2 not yet assessed; 1 row left out (10)" in result.stderr
    reg = register.load(out)
    assert [r.id for r in reg.risks] == ["CR-01", "CR-02", "CR-03", "CR-04", "CR-05", "CR-07"]
    assert [(u.id, u.likelihood, u.impact, u.owner) for u in reg.unassessed] == [
        ("CR-06", None, None, "Strategy"),
        ("CR-08", 2, None, "Facilities"),  # its likelihood is kept; its impact is TBD
    ]
    text = out.read_text(encoding="utf-8")
    assert "    likelihood: unassessed  # from 'N/A'\n" in text
    matrix = run("matrix", "--register", str(out))
    assert matrix.exit_code == 0
    assert "CR-06" not in matrix.stdout and "CR-08" not in matrix.stdout
    assert "not yet assessed, so not placed: CR-06, CR-08 (2 risks without a likelihood" in matrix.stderr
    placed = check_json(run("matrix", "--register", str(out), "--json").stdout)
    assert sum(len(c["risks"]) for c in placed["cells"]) == 5 and placed["apart"] == ["CR-07"]  # Status: Closed
    listed = run("list", "--register", str(out))
    assert "CR-06" not in listed.stdout and "not yet assessed, so not placed: CR-06, CR-08" in listed.stderr


def test_a_register_says_unassessed_for_a_level_not_given(run, write) -> None:
    reg = write(
        "risks:\n"
        "  - {id: R1, title: Flood, likelihood: 2, impact: 3}\n"
        "  - {id: R2, title: New market fails, likelihood: unassessed, impact: 4}\n"
    )
    loaded = register.load(reg)
    assert [r.id for r in loaded.risks] == ["R1"]
    assert [(u.id, u.likelihood, u.impact) for u in loaded.unassessed] == [("R2", None, 4)]
    assert run("validate", str(reg)).exit_code == 0


def test_an_unassessed_risk_has_no_drivers(run, write) -> None:
    reg = write(
        "assumptions:\n  - {id: A1, statement: s, belief: 0.5}\n"
        "risks:\n"
        "  - id: R1\n    title: t\n    likelihood: unassessed\n    impact: 2\n"
        "    drivers: [{assumption: A1, if_holds: {likelihood: 1}}]\n"
    )
    result = run("validate", str(reg))
    assert result.exit_code == 2
    assert "risk R1: drivers: a risk not yet assessed has no drivers; give its likelihood and impact" in result.stderr


def test_no_response_shifts_an_unassessed_risk(run, write) -> None:
    reg = write(
        "risks:\n  - {id: R1, title: t, likelihood: unassessed, impact: 2}\n  - {id: R2, title: u, likelihood: 1, impact: 1}\n"
        "responses:\n  - {id: M1, title: m, effects: [{risk: R1, impact: -1}]}\n"
    )
    result = run("validate", str(reg))
    assert result.exit_code == 2
    assert "response M1: effects 1: risk R1 is not yet assessed; nothing can shift it" in result.stderr


# --------------------------------------------------------------------------- several assessments


def test_inherent_and_residual_are_kept_beside_the_current_levels(run, tmp_path: Path) -> None:
    out = tmp_path / "ra.yaml"
    result = run("--rules", str(MATRIX), "import", str(ciso_template(tmp_path / "t.xlsx")), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    r1 = register.load(out).risk_by_id["R.1"]
    assert (r1.likelihood, r1.impact) == (2, 4)  # current
    assert (r1.inherent, r1.residual) == (Stated(3, 4), Stated(1, 3))
    assert "    inherent: {likelihood: 3, impact: 4}\n" in out.read_text(encoding="utf-8")


def test_residual_places_a_risk_when_there_is_no_current_assessment(run, tmp_path: Path) -> None:
    out = tmp_path / "h.yaml"
    run("import", str(hazards_csv(tmp_path / "h.csv")), "-o", str(out))
    h01 = register.load(out).risk_by_id["H01"]
    assert (h01.likelihood, h01.impact, h01.inherent, h01.residual) == (3, 4, Stated(4, 5), None)


# --------------------------------------------------------------------------- round trips


ROUND = """\
risks:
  - id: R1
    title: Ransomware
    owner: CISO
    status: treated
    treatment: {strategy: reduce}
    likelihood: 3
    impact: 4
    inherent: {likelihood: 4, impact: 5}
    residual: {likelihood: 2, impact: unassessed}
    extra: {Status: Amber watch, Controls: Backups}
  - id: R2
    title: Flood
    likelihood: 2
    impact: 2
    extra: {Controls: Insurance}
  - id: R3
    title: New market fails
    owner: Strategy
    status: retired
    likelihood: unassessed
    impact: unassessed
    extra: {Status: Open}
"""


def test_export_then_import_keeps_statuses_owners_extras_and_all_three_assessments(run, write, tmp_path) -> None:
    original = write(ROUND)
    assert run("-r", str(original), "close", "R2", "--why", "the river was moved").exit_code == 0
    for fmt in ("csv", "xlsx"):
        out, back = tmp_path / f"r.{fmt}", tmp_path / f"back-{fmt}.yaml"
        assert run("-r", str(original), "export", "-o", str(out)).exit_code == 0
        result = run("import", str(out), "-o", str(back))
        assert result.exit_code == 0, result.stderr
        assert "  E   status " in result.stderr and "→ status (guessed)" in result.stderr
        a, b = register.load(original), register.load(back)
        assert [(r.id, r.owner, r.likelihood, r.impact, r.inherent, r.residual, dict(r.extra)) for r in b.risks] == [
            (r.id, r.owner, r.likelihood, r.impact, r.inherent, r.residual, dict(r.extra)) for r in a.risks
        ]
        # the register's status, the journal's decision (R2 closed), a status on a risk not yet assessed
        assert [(r.id, r.status) for r in b.risks] == [("R1", Status.TREATED), ("R2", Status.CLOSED)]
        assert [(u.id, u.owner, u.status, u.likelihood, u.impact, dict(u.extra)) for u in b.unassessed] == [
            ("R3", "Strategy", Status.RETIRED, None, None, {"Status": "Open"})
        ]


def test_export_then_import_keeps_treatments_and_next_reviews(run, write, tmp_path) -> None:
    original = write(
        "risks:\n"
        "  - {id: R1, title: Supplier fails, likelihood: 3, impact: 4, treatment: transfer, review_by: 2031-06-30}\n"
        "  - {id: R2, title: Flood, likelihood: 2, impact: 5, review_every: 90}\n"
        "  - {id: R3, title: Staff, likelihood: 2, impact: 2}\n"
        "  - {id: R4, title: Later, likelihood: unassessed, impact: 2, treatment: avoid, review_by: 2031-01-31}\n"
    )
    assert run("-r", str(original), "treat", "R2", "reduce", "--why", "funded").exit_code == 0
    assert run("-r", str(original), "review", "R2", "--next", "2031-03-31", "--why", "q1").exit_code == 0
    for fmt in ("csv", "xlsx"):
        out, back = tmp_path / f"r.{fmt}", tmp_path / f"back-{fmt}.yaml"
        assert run("-r", str(original), "export", "-o", str(out)).exit_code == 0
        result = run("import", str(out), "-o", str(back))
        assert result.exit_code == 0, result.stderr
        assert "→ treatment (guessed)" in result.stderr and "→ review_by (guessed)" in result.stderr
        b = register.load(back)
        got = [
            (r.id, r.treatment.strategy.value if r.treatment else None, r.review_by) for r in (*b.risks, *b.unassessed)
        ]
        # the register's, the journal's decisions (R2 treated, reviewed), none, a risk not yet assessed
        assert got == [("R1", "transfer", "2031-06-30"), ("R2", "reduce", "2031-03-31"), ("R3", None, ""),
                       ("R4", "avoid", "2031-01-31")]  # fmt: skip


def test_an_export_lists_unassessed_risks_after_the_others_with_no_score(run, write) -> None:
    rows = _rows(run("-r", str(write(ROUND)), "export", "--format", "csv").stdout)
    assert [r["id"] for r in rows] == ["R1", "R2", "R3"]
    r3 = rows[2]
    assert (r3["likelihood"], r3["impact"], r3["rating"], r3["score"], r3["rank"]) == ("", "", "", "", "")
    assert (rows[0]["stated inherent likelihood"], rows[0]["stated residual impact"]) == ("4", "")


def test_show_gives_what_is_known_of_a_risk_not_yet_assessed_and_how_to_assess_it(run, write) -> None:
    """An analyst who imported TBD cells shows those risks first: show gives the risk as the register
    has it, says it is not yet assessed and how to assess it, and exits 0; its JSON's score fields
    are null, and ``unassessed`` holds the level given."""
    reg = write(
        "as_of: 2025-01-01\nrisks:\n  - {id: R1, title: a, likelihood: 1, impact: 1}\n"
        "  - id: R2\n    title: New market entry fails\n    owner: Strategy\n    category: growth\n"
        "    review_every: 90\n    likelihood: unassessed\n    impact: 4\n"
        "    description: A launch in the new region\n    rationale: no data yet\n"
        "    extra: {sheet row: 12}\n"
    )
    result = run("-r", str(reg), "show", "r2")
    assert (result.exit_code, result.stderr) == (0, ""), result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    said = " ".join(result.stdout.split())  # as one line, however the terminal wraps it
    assert lines[0] == "R2  New market entry fails"
    assert said.startswith(
        "R2 New market entry fails assessed not yet: no score and no place on the matrix until it is scored "
        "(riskcli score R2 --likelihood LEVEL --impact LEVEL --why …) given impact 4 Major; likelihood unassessed "
        "category growth owner Strategy review every 90 days; due 2025-04-01 (overdue) sheet row 12 "
    )
    assert "description A launch in the new region" in said and "rationale no data yet" in said
    assert not any(line.startswith(("current", "chances", "baseline")) for line in lines)
    data = check_json(run("-r", str(reg), "show", "R2", "--json").stdout)["risk"]
    assert (data["baseline"], data["current"], data["chances"]) == (None, None, None)
    assert data["unassessed"] == {"likelihood": None, "impact": 4}
    assert (data["owner"], data["standing"]["status"], data["standing"]["over_appetite"]) == ("Strategy", "open", False)
    assert (data["drivers"], data["responses"], data["scores"]) == ([], [], [])
    assessed = check_json(run("-r", str(reg), "show", "R1", "--json").stdout)["risk"]
    assert assessed["unassessed"] is None and assessed["current"]["cell"] == {"likelihood": 1, "impact": 1}


def test_a_view_of_a_risks_score_refuses_an_unassessed_one_as_such(run, write) -> None:
    reg = write(
        "risks:\n  - {id: R1, title: a, likelihood: 1, impact: 1}\n  - {id: R2, title: b, likelihood: unassessed, impact: 3}\n"
    )
    for args in (("explain", "r2"), ("treat", "R2", "reduce")):
        result = run(*args, "--register", str(reg))
        assert result.exit_code == 2
        assert result.stderr.count("\n") == 1 and "riskcli score R2 --likelihood LEVEL --impact LEVEL" in result.stderr
        assert "R2 is not yet assessed" in result.stderr


# A register as import writes one: a risk whose levels were N/A and TBD in the sheet.
UNDECIDED = """\
risks:
  - id: R1
    title: Flood
    owner: Facilities
    likelihood: 2
    impact: 3
  - id: R2
    title: New market entry fails
    owner: Strategy
    likelihood: unassessed  # from 'N/A'
    impact: unassessed  # from 'TBD'
"""


def test_a_risk_not_yet_assessed_is_assessed_by_scoring_it(run, write) -> None:
    reg = write(UNDECIDED)
    half = run("-r", str(reg), "score", "R2", "-l", "2", "--why", "workshop")
    assert half.exit_code == 2 and half.stderr.count("\n") == 1
    assert "R2 is not yet assessed: give both --likelihood and --impact" in half.stderr
    assert reg.read_text(encoding="utf-8") == UNDECIDED
    result = run("-r", str(reg), "score", "R2", "-l", "2", "-i", "major", "--why", "workshop")
    assert result.exit_code == 0, result.stderr
    assert f"R2 was not yet assessed: its likelihood and impact are written in {reg}" in result.stderr
    text = reg.read_text(encoding="utf-8")
    assert "    likelihood: 2\n    impact: major\n" in text and "from 'N/A'" not in text  # import's note went with it
    assert [(r.id, r.likelihood, r.impact) for r in register.load(reg).risks] == [("R1", 2, 3), ("R2", 2, 4)]
    history = run("-r", str(reg), "history")
    assert "score\tR2: likelihood 2, impact 4\tworkshop" in history.stdout
    listed = run("-r", str(reg), "list")
    assert "\tR2\t2\t4\t8\t" in listed.stdout and "not yet assessed" not in listed.stderr


def test_every_form_of_a_view_names_the_risks_not_yet_assessed_it_leaves_out(run, write) -> None:
    """list and matrix name the live risks not yet assessed, in their JSON as under their text (and
    under --owner, the owner's alone); a closed one is not named."""
    reg = str(
        write(
            UNDECIDED
            + "  - {id: R3, title: Later, owner: Facilities, likelihood: 2, impact: unassessed}\n"
            + "  - {id: R4, title: Dropped, owner: Strategy, likelihood: unassessed, impact: 1, status: closed}\n"
        )
    )
    for args, ids in (
        (("list",), ["R2", "R3"]),
        (("list", "--owner", "strategy"), ["R2"]),
        (("list", "--owner", "Facilities"), ["R3"]),
        (("matrix",), ["R2", "R3"]),
    ):
        data = check_json(run("-r", reg, *args, "--json").stdout)
        assert data["unassessed"] == ids, args
        text = run("-r", reg, *args)
        assert text.exit_code == 0, text.stderr
        assert f"not yet assessed, so not placed: {', '.join(ids)} (" in text.stderr, args
    facilities = check_json(run("-r", reg, "list", "--owner", "Facilities", "--json").stdout)
    assert [r["id"] for r in facilities["risks"]] == ["R1"]


def test_set_gives_a_risk_not_yet_assessed_its_levels(run, write) -> None:
    reg = write(UNDECIDED)
    first = run("-r", str(reg), "set", "R2", "likelihood", "3")
    assert first.exit_code == 0, first.stderr
    assert "R2 likelihood: unassessed → 3" in first.stdout and "assessed:" not in first.stdout
    assert register.load(reg).unassessed[0].likelihood == 3  # still waiting for its impact
    second = run("-r", str(reg), "set", "R2", "impact", "4")
    assert second.exit_code == 0, second.stderr
    assert "assessed: baseline cell (3, 4)" in second.stdout
    assert [r.id for r in register.load(reg).risks] == ["R1", "R2"]
    assert check_json(run("-r", str(reg), "set", "R1", "impact", "5", "--json").stdout)["baseline"]["from"] is not None


def test_a_risk_not_yet_assessed_is_owned_assigned_and_closed(run, write) -> None:
    reg = write(UNDECIDED)
    owners = run("-r", str(reg), "owners")
    assert owners.exit_code == 0 and "Strategy" in owners.stdout and "R2" in owners.stdout
    mine = run("-r", str(reg), "list", "--owner", "strategy")
    assert mine.exit_code == 0, mine.stderr
    assert "not yet assessed, so not placed: R2" in mine.stderr
    theirs = run("-r", str(reg), "list", "--owner", "Facilities")
    assert "\tR1\t" in theirs.stdout and "R2" not in theirs.stderr
    assigned = run("-r", str(reg), "assign", "R2", "--owner", "Head of Growth", "--why", "new lead")
    assert assigned.exit_code == 0, assigned.stderr
    assert "R2 owner: Strategy → Head of Growth" in assigned.stdout
    assert "R2 is not yet assessed: its owner is set in the register, not recorded in the journal" in assigned.stderr
    assert "    owner: Head of Growth\n" in reg.read_text(encoding="utf-8")
    assert "Head of Growth" in run("-r", str(reg), "owners").stdout
    assert "unassessed: 1 risk not yet assessed: R2" in run("-r", str(reg), "check").stdout
    closed = run("-r", str(reg), "close", "R2", "--why", "dropped")
    assert closed.exit_code == 0, closed.stderr
    assert "R2 status: — → closed" in closed.stdout
    assert register.load(reg).unassessed[0].status is Status.CLOSED
    assert "R2" not in run("-r", str(reg), "check").stdout  # closed: nothing is due of it
    assert "R2" not in run("-r", str(reg), "owners").stdout
    assert "not yet assessed" not in run("-r", str(reg), "list").stderr
