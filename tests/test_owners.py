"""owners: each owner's live risks, and what is due of them — risks above appetite, reviews overdue,
acceptances lapsed — and the late responses each owns; the unowned last."""

from __future__ import annotations

import json

OWNED = """\
id: owned
title: Owned
as_of: 2025-01-01
appetite: medium
risks:
  - {id: R1, title: Production stops, owner: ops, review_every: 90, likelihood: 4, impact: 4}
  - id: R2
    title: Budget overrun
    owner: Finance
    acceptance: {by: CFO, date: 2025-01-10, until: 2025-06-30, why: within contingency}
    likelihood: 3
    impact: 4
  - {id: R3, title: Minor delay, likelihood: 2, impact: 2}
  - {id: R4, title: Old lease, owner: ops, status: retired, likelihood: 4, impact: 4}
responses:
  - {id: M1, title: Second supplier, owner: Purchasing, due: 2025-03-31, status: planned}
"""


def test_owners_gathers_each_owners_risks_and_what_is_due(run, write) -> None:
    result = run("owners", "--json", "--as-of", "2025-07-01", "--register", str(write(OWNED)))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "riskcli/owners/3" and data["day"] == "2025-07-01"
    rows = {o["owner"]: o for o in data["owners"]}
    assert [o["owner"] for o in data["owners"]] == ["Finance", "ops", "Purchasing", None]
    assert rows["ops"] == {
        "owner": "ops",
        "risks": ["R1"],  # R4 is retired: not counted
        "over_appetite": ["R1"],
        "reviews_overdue": ["R1"],
        "acceptances_lapsed": [],
        "responses_late": [],
    }
    assert (rows["Finance"]["risks"], rows["Finance"]["acceptances_lapsed"], rows["Finance"]["over_appetite"]) == (
        ["R2"],
        ["R2"],
        ["R2"],
    )
    assert (rows["Purchasing"]["risks"], rows["Purchasing"]["responses_late"]) == ([], ["M1"])
    assert rows[None]["risks"] == ["R3"] and rows[None]["over_appetite"] == []


def test_owners_before_anything_is_due(run, write) -> None:
    result = run("owners", "--json", "--as-of", "2025-02-01", "--register", str(write(OWNED)))
    rows = {o["owner"]: o for o in json.loads(result.stdout)["owners"]}
    assert set(rows) == {"Finance", "ops", None}  # no late response yet: Purchasing owns no risk
    assert rows["Finance"]["acceptances_lapsed"] == [] and rows["Finance"]["over_appetite"] == []
    assert rows["ops"]["reviews_overdue"] == []


def test_an_owner_assigned_in_the_journal_takes_the_risk(run, write) -> None:
    reg = str(write(OWNED))
    assert run("assign", "R3", "--owner", "ops", "--register", reg).exit_code == 0
    rows = {o["owner"]: o for o in json.loads(run("owners", "--json", "--register", reg).stdout)["owners"]}
    assert rows["ops"]["risks"] == ["R1", "R3"] and None not in rows


def test_owners_table(run, write) -> None:
    result = run("owners", "--as-of", "2025-07-01", "--register", str(write(OWNED)))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Owners on 2025-07-01",
        "",
        "  Owner        Risks   Over appetite   Reviews overdue   Acceptances lapsed   Responses late",
        " " + "─" * 92,
        "  Finance      1: R2   1: R2           —                 1: R2                —",
        "  ops          1: R1   1: R1           1: R1             —                    —",
        "  Purchasing   —       —               —                 —                    1: M1",
        "  (no owner)   1: R3   —               —                 —                    —",
        "",
    ]


# --------------------------------------------------------------------------- list's filters by decision


def _listed(run, reg: str, *args: str) -> list[str]:
    result = run("list", "--json", "--as-of", "2025-07-01", "--register", reg, *args)
    assert result.exit_code == 0, result.stderr
    return [r["id"] for r in json.loads(result.stdout)["risks"]]


def test_list_leaves_closed_and_retired_risks_apart_and_says_so(run, write) -> None:
    reg = str(write(OWNED))
    assert _listed(run, reg) == ["R1", "R2", "R3"]
    piped = run("list", "--register", reg)
    assert piped.stderr == "1 closed or retired risk not listed (riskcli list --status closed,retired)\n"
    assert _listed(run, reg, "--status", "retired") == ["R4"]
    assert _listed(run, reg, "--status", "open,retired") == ["R1", "R4", "R3"]


def test_list_filters_by_owner_status_treatment_appetite_and_overdue(run, write) -> None:
    reg = str(write(OWNED))
    assert _listed(run, reg, "--owner", "OPS") == ["R1"]
    assert run("list", "--register", reg, "--owner", "ops").stderr.startswith("1 closed or retired risk not listed")
    assert _listed(run, reg, "--status", "accepted") == ["R2"]
    assert _listed(run, reg, "--treatment", "accept") == ["R2"]
    assert _listed(run, reg, "--treatment", "none") == ["R1", "R3"]
    assert _listed(run, reg, "--over-appetite") == ["R1", "R2"]  # whatever was decided
    assert _listed(run, reg, "--overdue") == ["R1", "R2"]  # R1's review, R2's acceptance
    assert run("treat", "R1", "reduce", "--register", reg).exit_code == 0
    reduced = json.loads(run("list", "--json", "--register", reg, "--treatment", "reduce").stdout)
    assert [r["id"] for r in reduced["risks"]] == ["R1"]
    data = json.loads(run("list", "--json", "--register", reg, "--owner", "ops").stdout)
    assert (data["risks"][0]["owner"], data["risks"][0]["status"], data["risks"][0]["over_appetite"]) == (
        "ops",
        "treated",
        True,
    )
    assert data["filters"]["owner"] == "ops" and data["filters"]["status"] == ["open", "treated", "accepted"]


def test_list_filters_refuse_what_they_do_not_know(run, write) -> None:
    reg = str(write(OWNED))
    for args, message in (
        (("--status", "done"), "error: --status 'done' is not one of open, treated, accepted, closed, retired"),
        (("--status", ""), "error: --status '' names no status; give any of open, treated, accepted, closed, retired"),
        (("--treatment", "ignore"), "error: --treatment 'ignore' is not one of avoid, reduce, transfer, accept, none"),
        (("--owner", "nobody"), "error: unknown owner 'nobody'"),
    ):
        result = run("list", "--register", reg, *args)
        assert (result.exit_code, result.stderr.splitlines()[0][: len(message)]) == (2, message)


# --------------------------------------------------------------------------- the matrix


def test_the_matrix_leaves_closed_and_retired_risks_out_and_says_so(run, write) -> None:
    reg = str(write(OWNED))
    data = json.loads(run("matrix", "--json", "--register", reg).stdout)
    placed = sorted(rid for c in data["cells"] for rid in c["risks"])
    assert (placed, data["apart"]) == (["R1", "R2", "R3"], ["R4"])
    assert (data["appetite"], data["target"]) == ({"id": "medium", "name": "Medium"}, None)
    assert run("close", "R3", "--why", "done", "--register", reg).exit_code == 0
    data = json.loads(run("matrix", "--json", "--register", reg).stdout)
    assert data["apart"] == ["R3", "R4"] and "R3" not in [rid for c in data["cells"] for rid in c["risks"]]
    assert "2 closed or retired risks not shown: R3, R4" in run("matrix", "--register", reg).stderr


def test_compare_leaves_closed_and_retired_risks_out_of_its_grid_and_moves_and_says_so(run, write) -> None:
    reg = str(write(OWNED))
    assert run("score", "R3", "-l", "4", "-i", "4", "--register", reg).exit_code == 0
    assert run("close", "R3", "--why", "done", "--register", reg).exit_code == 0
    data = json.loads(run("compare", "baseline", "current", "--json", "--register", reg).stdout)
    placed = sorted(rid for c in data["cells"] for rid in c["risks"])
    assert (placed, data["apart"]) == (["R1", "R2"], ["R3", "R4"])
    assert [m["id"] for m in data["moves"]] == []  # R3 moved, and was closed: out of the moves too
    assert sum(b["count"] for b in data["bands"]) == 2
    shown = run("compare", "baseline", "current", "--register", reg)
    assert "2 closed or retired risks not shown: R3, R4" in shown.stderr and "R3" not in shown.stdout


def test_the_report_leaves_closed_and_retired_risks_out_and_lists_them_apart(run, write) -> None:
    reg = str(write(OWNED))
    assert run("close", "R3", "--why", "done", "--register", reg).exit_code == 0
    data = json.loads(run("report", "--json", "--register", reg).stdout)
    placed = sorted(rid for c in data["matrix"]["cells"] for rid in c["risks"])
    assert (placed, data["apart"]) == (["R1", "R2"], ["R3", "R4"])
    assert [r["id"] for r in data["top"]["risks"]] == ["R1", "R2"]
    text = run("report", "--register", reg).stdout
    assert "Closed or retired, out of the matrix and the ranking: R3, R4." in text
    assert "(2 risks)." in text


def test_the_matrix_marks_the_cells_above_the_appetite_and_within_the_target(run, write) -> None:
    text = OWNED.replace("appetite: medium\n", "appetite: high\ntarget: low\n")
    out = run("matrix", "--register", str(write(text))).stdout
    assert "Critical · 1 ▲" in out  # R1, 4 × 4
    assert "High · 1 ▲" not in out and "High · 1" in out  # R2, 3 × 4: at the appetite, not above it
    assert "Low · 1 ✓" in out  # R3, 2 × 2
    assert "▲: above the appetite (High). ✓: at or below the target (Low)." in out
    plain = run("matrix", "--register", str(write(OWNED.replace("appetite: medium\n", "")))).stdout
    assert "▲" not in plain and "✓" not in plain


def test_a_resolved_risk_is_no_ones_live_risk_and_is_named_apart(run, write) -> None:
    """owners counts a resolved risk (it occurred) neither among its owner's risks nor as over their
    appetite or overdue, and says under the table that it is out of the live view."""
    reg = str(write(OWNED))
    done = run("-r", reg, "resolve", "R1", "occurred", "--on", "2025-06-01", "--why", "the line stopped")
    assert done.exit_code == 0, done.stderr
    result = run("owners", "--json", "--as-of", "2025-07-01", "--register", reg)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [o["owner"] for o in data["owners"]] == ["Finance", "Purchasing", None]  # ops owns nothing live
    assert [(x["id"], x["outcome"], x["why"]) for x in data["resolved"]] == [("R1", "occurred", "the line stopped")]
    shown = run("owners", "--as-of", "2025-07-01", "--register", reg)
    assert shown.exit_code == 0, shown.stderr
    assert "ops" not in shown.stdout and "R1" not in shown.stdout.split("Resolved")[0]
    assert "Resolved, out of the live view (1): R1 occurred on 2025-06-01." in shown.stdout


def test_list_owner_of_a_resolved_risk_lists_their_live_risks_only(run, write) -> None:
    """The owner of a resolved risk is still a known owner: list --owner lists none of theirs that is
    resolved and names it apart, rather than refusing the owner as unknown."""
    reg = str(write(OWNED))
    assert run("-r", reg, "resolve", "R1", "occurred", "--on", "2025-06-01").exit_code == 0
    listed = run("-r", reg, "list", "--owner", "ops", "--json")
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert (data["risks"], [x["id"] for x in data["resolved"]]) == ([], ["R1"])  # R4 is retired
    assert run("-r", reg, "resolve", "R2", "did-not-occur", "--on", "2025-06-01").exit_code == 0
    only = run("-r", reg, "list", "--owner", "Finance")  # Finance owned R2 alone
    assert only.exit_code == 0, only.stderr
    assert only.stdout.splitlines()[1:] == []  # the header line alone
    # Finance's view names Finance's resolved risk, not ops' R1, and no closed risk (R4 is ops')
    assert only.stderr == "Resolved, out of the live view (1): R2 did not occur (settled 2025-06-01).\n"
    assert [x["id"] for x in json.loads(run("-r", reg, "list", "--owner", "Finance", "--json").stdout)["resolved"]] == [
        "R2"
    ]
    assert [x["id"] for x in json.loads(run("-r", reg, "list", "--owner", "ops", "--json").stdout)["resolved"]] == [
        "R1"
    ]
    everyone = run("-r", reg, "list")
    assert "Resolved, out of the live view (2): R1 occurred on 2025-06-01; R2 did not occur" in everyone.stderr


def test_list_owner_counts_only_the_owners_closed_and_retired_risks(run, write) -> None:
    """The note of the closed and retired risks left out counts the owner's alone under --owner."""
    loan = "  - {id: R5, title: Old loan, owner: Finance, status: closed, likelihood: 2, impact: 2}\n"
    reg = str(write(OWNED.replace("responses:\n", loan + "responses:\n")))
    everyone = run("list", "--register", reg)
    assert everyone.stderr == "2 closed or retired risks not listed (riskcli list --status closed,retired)\n"
    for owner, closed in (("ops", "R4"), ("finance", "R5")):
        piped = run("list", "--register", reg, "--owner", owner)
        assert (
            piped.stderr
            == f"1 closed or retired risk not listed (riskcli list --status closed,retired --owner {owner})\n"
        )
        data = json.loads(run("list", "--json", "--register", reg, "--owner", owner).stdout)
        assert data["apart"] == 1
        mine = json.loads(
            run("list", "--json", "--register", reg, "--owner", owner, "--status", "closed,retired").stdout
        )
        assert [r["id"] for r in mine["risks"]] == [closed]
