"""What a filtered view says it leaves out — the closed and retired risks, the resolved ones, those
not yet assessed — is of the risks its filters chose, under every filter of list and matrix, in its
text as in its --json; a filter on the rating chooses no risk not yet assessed, and says so."""

from __future__ import annotations

import pytest

from conftest import check_json

# as_of 2025-01-01, appetite medium. Ratings by the default grid: R1, R3, R5 and R7 critical; R2, R4
# and R6 low. R6 and R7 are resolved (journal); R8, R9 and R10 are not yet assessed, R10 retired.
# R2 and R9 are reviewed every 30 days and never were: overdue since 2025-01-31. A closed or retired
# risk is left out and counted apart whether or not it was assessed (R10 as R4 and R5).
REGISTER = """\
id: filtered
title: Filtered
as_of: 2025-01-01
appetite: medium
actors:
  - {id: ROK, name: South Korea}
  - {id: USA, name: United States}
risks:
  - {id: R1, title: Outage, category: cyber, actors: [ROK], owner: ops, likelihood: 5, impact: 5}
  - {id: R2, title: Phishing, category: cyber, actors: [USA], owner: ops, review_every: 30, likelihood: 1, impact: 1}
  - {id: R3, title: Flood, category: physical, actors: [ROK], owner: facilities, treatment: reduce,
     likelihood: 4, impact: 4}
  - {id: R4, title: Old server, category: cyber, actors: [ROK], owner: ops, status: closed, likelihood: 1, impact: 2}
  - {id: R5, title: Old lease, category: physical, actors: [USA], owner: facilities, status: retired,
     likelihood: 4, impact: 4}
  - {id: R6, title: Storm, category: physical, actors: [USA], owner: facilities, likelihood: 2, impact: 2}
  - {id: R7, title: Ransomware, category: cyber, actors: [ROK], owner: ops, likelihood: 4, impact: 5}
  - {id: R8, title: New market, category: market, actors: [USA], owner: strategy, likelihood: unassessed,
     impact: unassessed}
  - {id: R9, title: Cloud move, category: cyber, actors: [ROK], owner: ops, review_every: 30, likelihood: 2,
     impact: unassessed}
  - {id: R10, title: Old plan, category: cyber, actors: [USA], owner: ops, status: retired, likelihood: unassessed,
     impact: unassessed}
"""


@pytest.fixture
def reg(run, write) -> str:
    path = str(write(REGISTER))
    assert run("-r", path, "resolve", "R6", "occurred", "--on", "2025-06-01").exit_code == 0
    assert run("-r", path, "resolve", "R7", "did-not-occur", "--on", "2025-06-01").exit_code == 0
    return path


# list's filters: the risks listed, the closed and retired ones left out (apart), the resolved ones
# named apart, those not yet assessed, and those a filter on the rating leaves out (unrated)
LISTS = [
    ([], ["R1", "R3", "R2"], 3, ["R6", "R7"], ["R8", "R9"], []),
    (["--category", "cyber"], ["R1", "R2"], 2, ["R7"], ["R9"], []),
    (["--category", "Market"], [], 0, [], ["R8"], []),  # R8, not yet assessed, is its only risk
    (["--actor", "ROK"], ["R1", "R3"], 1, ["R7"], ["R9"], []),
    (["--actor", "united states"], ["R2"], 2, ["R6"], ["R8"], []),
    (["--owner", "ops"], ["R1", "R2"], 2, ["R7"], ["R9"], []),
    (["--min-rating", "high"], ["R1", "R3"], 1, ["R7"], [], ["R8", "R9"]),
    (["--min-rating", "high", "--category", "cyber"], ["R1"], 0, ["R7"], [], ["R9"]),
    (["--over-appetite"], ["R1", "R3"], 1, ["R7"], [], ["R8", "R9"]),
    (["--treatment", "none"], ["R1", "R2"], 3, ["R6", "R7"], ["R8", "R9"], []),
    (["--treatment", "reduce"], ["R3"], 0, [], [], []),
    (["--overdue"], ["R2"], 0, [], ["R9"], []),
    (["--status", "open"], ["R1", "R2"], 0, ["R6", "R7"], ["R8", "R9"], []),
    (["--status", "closed,retired"], ["R5", "R4"], 0, [], ["R10"], []),
    (["--status", "retired", "--actor", "ROK"], [], 0, [], [], []),
]


@pytest.mark.parametrize(("args", "listed", "apart", "resolved", "unassessed", "unrated"), LISTS)
def test_list_json_names_apart_only_the_risks_its_filters_chose(
    run, reg, args, listed, apart, resolved, unassessed, unrated
) -> None:
    result = run("-r", reg, "list", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    assert [r["id"] for r in data["risks"]] == listed
    assert data["apart"] == apart
    assert [x["id"] for x in data["resolved"]] == resolved
    assert data["unassessed"] == unassessed
    assert data["unrated"] == unrated


def test_list_text_says_what_each_filter_leaves_out(run, reg) -> None:
    cyber = run("-r", reg, "list", "--category", "cyber")
    assert cyber.exit_code == 0, cyber.stderr
    assert [line.split("\t")[1] for line in cyber.stdout.splitlines()[1:]] == ["R1", "R2"]
    assert cyber.stderr == (
        "2 closed or retired risks not listed (riskcli list --status closed,retired --category cyber)\n"
        "Resolved, out of the live view (1): R7 did not occur (settled 2025-06-01).\n"
        "not yet assessed, so not placed: R9 (1 risk without a likelihood or an impact; score it to give both: "
        "riskcli score R9 -l LEVEL -i LEVEL --why …)\n"
    )
    usa = run("-r", reg, "list", "--actor", "USA")
    assert usa.exit_code == 0, usa.stderr
    assert usa.stderr == (
        "2 closed or retired risks not listed (riskcli list --status closed,retired --actor USA)\n"
        "Resolved, out of the live view (1): R6 occurred on 2025-06-01.\n"
        "not yet assessed, so not placed: R8 (1 risk without a likelihood or an impact; score it to give both: "
        "riskcli score R8 -l LEVEL -i LEVEL --why …)\n"
    )
    closed = run("-r", reg, "list", "--status", "closed,retired")
    assert closed.exit_code == 0, closed.stderr
    assert closed.stderr == (
        "not yet assessed, so not placed: R10 (1 risk without a likelihood or an impact; score it to give both: "
        "riskcli score R10 -l LEVEL -i LEVEL --why …)\n"
    )
    market = run("-r", reg, "list", "--category", "market")
    assert market.exit_code == 0, market.stderr
    assert market.stdout.splitlines()[1:] == []
    assert market.stderr.startswith("not yet assessed, so not placed: R8 (1 risk") and market.stderr.count("\n") == 1


def test_the_command_suggested_for_the_closed_risks_keeps_the_filters(run, reg) -> None:
    """The note names the closed and retired risks the filters chose, and the command it suggests
    lists those same risks."""
    result = run("-r", reg, "list", "--owner", "ops", "--category", "Cyber", "--treatment", "none")
    assert result.exit_code == 0, result.stderr
    note = result.stderr.splitlines()[0]
    assert note == (
        "2 closed or retired risks not listed "
        "(riskcli list --status closed,retired --category Cyber --owner ops --treatment none)"
    )
    again = run("-r", reg, *note.split("(riskcli ", 1)[1].rstrip(")").split(), "--json")
    assert again.exit_code == 0, again.stderr
    data = check_json(again.stdout)
    assert [r["id"] for r in data["risks"]] + data["unassessed"] == ["R4", "R10"]
    assert run("-r", reg, "list", "--actor", "united states").stderr.startswith(
        "2 closed or retired risks not listed (riskcli list --status closed,retired --actor 'united states')\n"
    )


def test_a_filter_on_the_rating_says_it_leaves_out_the_risks_not_yet_assessed(run, reg) -> None:
    """A risk not yet assessed has no rating: --min-rating and --over-appetite choose none, and the
    note says so rather than naming them as if they were rated so (or saying nothing)."""
    high = run("-r", reg, "list", "--min-rating", "high")
    assert high.exit_code == 0, high.stderr
    assert high.stderr == (
        "1 closed or retired risk not listed (riskcli list --status closed,retired --min-rating high)\n"
        "Resolved, out of the live view (1): R7 did not occur (settled 2025-06-01).\n"
        "--min-rating leaves out the 2 risks not yet assessed, which have no rating: R8, R9\n"
    )
    over = run("-r", reg, "list", "--over-appetite", "--min-rating", "high", "--owner", "ops")
    assert over.exit_code == 0, over.stderr
    assert over.stderr.endswith(
        "--min-rating and --over-appetite leave out the risk not yet assessed, which has no rating: R9\n"
    )
    assert "not yet assessed, so not placed" not in over.stderr
    terminal = run("-r", reg, "list", "--min-rating", "high", env={"TTY_COMPATIBLE": "1"})
    assert terminal.exit_code == 0, terminal.stderr
    assert "--min-rating leaves out the 2 risks not yet assessed, which have no rating: R8, R9" in terminal.stderr


@pytest.mark.parametrize(
    ("args", "apart", "resolved", "unassessed"),
    [
        ([], ["R4", "R5", "R10"], ["R6", "R7"], ["R8", "R9"]),
        (["--actor", "ROK"], ["R4"], ["R7"], ["R9"]),
        (["--actor", "United States"], ["R5", "R10"], ["R6"], ["R8"]),
    ],
)
def test_matrix_names_apart_only_the_risks_of_its_actor(run, reg, args, apart, resolved, unassessed) -> None:
    result = run("-r", reg, "matrix", "--json", *args)
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    assert (data["apart"], [x["id"] for x in data["resolved"]], data["unassessed"]) == (apart, resolved, unassessed)
    text = run("-r", reg, "matrix", *args, env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert text.exit_code == 0, text.stderr
    n = len(apart)
    assert f"{n} closed or retired risk{'s' if n != 1 else ''} not shown: {', '.join(apart)}\n" in text.stderr
    assert f"Resolved, out of the live view ({len(resolved)}): " in text.stdout
    for rid in {"R6", "R7"} - set(resolved):
        assert rid not in text.stdout.split("Resolved, out of the live view")[1]
    assert f"not yet assessed, so not placed: {', '.join(unassessed)} (" in text.stderr


def test_an_actor_or_a_category_of_risks_not_yet_assessed_alone_is_known(run, write) -> None:
    """A category or an actor (the register declaring none) that only risks not yet assessed name is not refused as
    unknown: the view lists no risk and names those it leaves out."""
    declared = "actors:\n  - {id: ROK, name: South Korea}\n  - {id: USA, name: United States}\n"
    text = REGISTER.replace(declared, "").replace("actors: [USA], owner: strategy", "actors: [EU], owner: strategy")
    path = str(write(text))
    for view in (["list", "--actor", "eu"], ["matrix", "--actor", "EU"], ["list", "--category", "market"]):
        result = run("-r", path, *view, "--json")
        assert result.exit_code == 0, (view, result.stderr)
        assert check_json(result.stdout)["unassessed"] == ["R8"], view
    unknown = run("-r", path, "list", "--category", "nowhere")
    assert unknown.exit_code == 2
    assert unknown.stderr == "error: unknown category 'nowhere' (known: cyber, market, physical)\n"


def test_a_closed_risk_that_is_resolved_is_named_once_with_the_resolved(run, reg) -> None:
    """A retired risk that is then resolved is named with the resolved risks, by matrix as by list,
    never also among the closed and retired ones."""
    assert run("-r", reg, "resolve", "R5", "did-not-occur", "--on", "2025-07-01").exit_code == 0
    matrix = check_json(run("-r", reg, "matrix", "--json").stdout)
    assert (matrix["apart"], [x["id"] for x in matrix["resolved"]]) == (["R4", "R10"], ["R5", "R6", "R7"])
    listed = check_json(run("-r", reg, "list", "--json").stdout)
    assert (listed["apart"], [x["id"] for x in listed["resolved"]]) == (2, ["R5", "R6", "R7"])
    text = run("-r", reg, "matrix", env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert "2 closed or retired risks not shown: R4, R10\n" in text.stderr
    compared = check_json(run("-r", reg, "compare", "baseline", "current", "--json").stdout)
    assert compared["apart"] == ["R4"]
