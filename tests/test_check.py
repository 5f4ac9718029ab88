"""check, the watch: exit 0 inside the appetite with nothing due, 1 with one line per finding — each
kind of finding with a register that triggers it and one that does not; --as-of, --fail-on, --quiet
and --json."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from riskcli import decisions
from riskcli.decisions import DueKind
from riskcli.register import load
from riskcli.scoring import baseline_state, score_all

ROOT = Path(__file__).resolve().parent.parent

WATCHED = """\
id: watch
title: Watched
as_of: 2025-01-01
appetite: {appetite}
categories:
  Finance: {{appetite: high}}
assumptions:
  - {{id: A1, statement: Supplier delivers., belief: 0.5}}
risks:
  - id: R1
    title: Production stops
    owner: ops
    likelihood: 4
    impact: 4
    drivers:
      - {{assumption: A1, if_holds: {{likelihood: -1}}, if_fails: {{likelihood: 1}}}}
{r1}  - {{id: R2, title: Budget overrun, category: finance, likelihood: 3, impact: 4}}
  - {{id: R3, title: Minor delay, likelihood: 2, impact: 2}}
"""


def watched(appetite: str = "critical", r1: str = "") -> str:
    return WATCHED.format(appetite=appetite, r1=r1)


def _check(run, reg, *args: str):
    return run("check", "--register", str(reg), *args)


def _findings(run, reg, *args: str) -> tuple[int, list[dict]]:
    result = _check(run, reg, "--json", *args)
    assert result.exit_code in (0, 1), result.stderr
    data = json.loads(result.stdout)
    return result.exit_code, data["findings"]


# --------------------------------------------------------------------------- exit codes


def test_inside_the_appetite_with_nothing_due_exits_0(run, write) -> None:
    result = _check(run, write(watched()), "--as-of", "2025-02-01")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 3 live risks checked on 2025-02-01; nothing due\n",
        "",
    )


def test_a_risk_above_its_appetite_neither_treated_nor_accepted_exits_1_with_one_line(run, write) -> None:
    result = _check(run, write(watched("medium")), "--as-of", "2025-02-01")
    assert result.exit_code == 1
    assert result.stdout == (
        "over-appetite: R1 Production stops: rated Critical, above its appetite (Medium); neither treated nor "
        "accepted; owner ops\n"
        "1 finding on 2025-02-01 (1 over-appetite) in 3 live risks\n"
    )  # R2 (High) is inside its category's appetite (high), R3 (Low) inside the register's


def test_the_register_without_an_appetite_is_never_over_it(run, write) -> None:
    text = watched().replace("appetite: critical\n", "")
    assert _check(run, write(text), "--as-of", "2025-02-01").exit_code == 0


@pytest.mark.parametrize(
    "r1",
    [
        "    treatment: {strategy: reduce}\n",
        "    status: treated\n",
        "    acceptance: {by: CFO, date: 2025-01-10, until: 2025-06-30, why: within contingency}\n",
    ],
    ids=["treatment", "status treated", "acceptance"],
)
def test_a_treated_or_accepted_risk_above_its_appetite_is_no_finding(run, write, r1) -> None:
    assert _check(run, write(watched("medium", r1)), "--as-of", "2025-02-01").exit_code == 0


def test_a_treatment_recorded_in_the_journal_clears_the_finding_and_its_undo_brings_it_back(run, write) -> None:
    reg = write(watched("medium"))
    assert run("treat", "R1", "reduce", "--register", str(reg)).exit_code == 0
    assert _check(run, reg).exit_code == 0
    assert run("undo", "--register", str(reg)).exit_code == 0
    code, found = _findings(run, reg)
    assert (code, [(f["kind"], f["subject"]) for f in found]) == (1, [("over-appetite", "R1")])


def test_a_closed_risk_is_not_checked(run, write) -> None:
    reg = write(watched("medium"))
    assert run("close", "R1", "--why", "plant sold", "--register", str(reg)).exit_code == 0
    result = _check(run, reg)
    assert result.exit_code == 0
    assert result.stdout.startswith("ok: 2 live risks checked on ")


# --------------------------------------------------------------------------- acceptances


ACCEPTED = "    acceptance: {by: CFO, date: 2025-01-10, until: 2025-06-30, why: within contingency}\n"


def test_an_acceptance_lapses_between_two_dates(run, write) -> None:
    reg = write(watched("medium", ACCEPTED))
    assert _check(run, reg, "--as-of", "2025-06-30").exit_code == 0  # its last day: it holds
    result = _check(run, reg, "--as-of", "2025-07-01")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "over-appetite: R1 Production stops: rated Critical, above its appetite (Medium); its acceptance lapsed "
        "and it is not treated; owner ops",
        "acceptance-expired: R1 Production stops: accepted by CFO until 2025-06-30: expired (1 day ago); owner ops",
        "2 findings on 2025-07-01 (1 over-appetite, 1 acceptance-expired) in 3 live risks",
    ]


def test_an_expired_acceptance_inside_the_appetite_is_still_a_finding(run, write) -> None:
    code, found = _findings(run, write(watched("critical", ACCEPTED)), "--as-of", "2025-07-11")
    assert code == 1
    assert [(f["kind"], f["due"], f["days"], f["accepted_by"], f["lapses"]) for f in found] == [
        ("acceptance-expired", "2025-06-30", 11, "CFO", ["expired"])
    ]


def test_an_acceptance_from_the_journal_lapses_on_its_day(run, write) -> None:
    reg = write(watched("medium"))
    accepted = run("accept", "R1", "--until", "2099-06-30", "--why", "cheaper to bear", "--register", str(reg))
    assert accepted.exit_code == 0, accepted.stderr
    assert _check(run, reg, "--as-of", "2099-06-30").exit_code == 0
    code, found = _findings(run, reg, "--as-of", "2099-07-01")
    assert code == 1
    assert [(f["kind"], f["subject"], f["accepted_by"]) for f in found] == [
        ("over-appetite", "R1", "tester"),
        ("acceptance-expired", "R1", "tester"),
    ]


def test_show_judges_an_acceptance_on_the_as_of_day_as_check_does(run, write) -> None:
    reg = write(watched("medium", ACCEPTED))
    lapses = []
    for day in ("2025-06-30", "2025-07-01"):
        result = run("show", "R1", "--json", "--as-of", day, "--register", str(reg))
        standing = json.loads(result.stdout)["risk"]["standing"]
        lapses.append((standing["as_of"], standing["acceptance"]["lapses"]))
    assert lapses == [("2025-06-30", []), ("2025-07-01", ["expired"])]


def test_an_acceptance_needs_renewal_once_the_risk_is_rated_higher(run, write) -> None:
    reg = write(watched("high").replace("likelihood: 4\n    impact: 4", "likelihood: 3\n    impact: 4"))
    assert run("accept", "R1", "--until", "2099-06-30", "--why", "bearable", "--register", str(reg)).exit_code == 0
    assert _check(run, reg).exit_code == 0
    assert run("assume", "A1", "fails", "--register", str(reg)).exit_code == 0  # R1: 3 → 4, High → Critical
    result = _check(run, reg)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == [
        "over-appetite: R1 Production stops: rated Critical, above its appetite (High); its acceptance lapsed and "
        "it is not treated; owner ops",
        "acceptance-renewal: R1 Production stops: accepted by tester at High, now rated Critical: needs renewal "
        "(the risk is rated higher than when accepted); owner ops",
    ]


def test_an_acceptance_needs_renewal_when_the_register_changes_what_rates_the_risk(run, write) -> None:
    reg = write(watched("critical"))
    assert run("accept", "R1", "--until", "2099-06-30", "--why", "bearable", "--register", str(reg)).exit_code == 0
    reg.write_text(reg.read_text().replace("if_fails: {likelihood: 1}", "if_fails: {likelihood: 0}"))  # same band
    code, found = _findings(run, reg)
    assert code == 1
    assert [(f["kind"], f["lapses"], f["rating"]["id"], f["limit"]["id"]) for f in found] == [
        ("acceptance-renewal", ["changed"], "critical", "critical")
    ]
    # Rewording the risk is no material change.
    reg.write_text(reg.read_text().replace("if_fails: {likelihood: 0}", "if_fails: {likelihood: 1}"))
    reg.write_text(reg.read_text().replace("Production stops", "The plant stops"))
    assert _check(run, reg).exit_code == 0


# --------------------------------------------------------------------------- reviews and due dates


def test_a_risk_review_falls_overdue_the_day_after_it_is_due(run, write) -> None:
    reg = write(watched(r1="    review_every: 90\n"))
    assert _check(run, reg, "--as-of", "2025-04-01").exit_code == 0  # as_of + 90 days
    result = _check(run, reg, "--as-of", "2025-04-03")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "review-overdue: R1 Production stops: review due 2025-04-01 (2 days overdue); owner ops"
    )


def test_a_review_recorded_puts_the_next_one_off(run, write) -> None:
    reg = write(watched(r1="    review_every: 90\n"))
    assert _check(run, reg).exit_code == 1  # overdue since 2025-04-01
    assert run("review", "R1", "--why", "quarterly", "--register", str(reg)).exit_code == 0
    assert _check(run, reg).exit_code == 0


def test_a_response_past_its_due_date_and_not_done_is_late(run, write) -> None:
    response = "responses:\n  - {id: M1, title: Second supplier, owner: Purchasing, due: 2025-03-31, status: %s}\n"
    reg = write(watched() + response % "in progress")
    assert _check(run, reg, "--as-of", "2025-03-31").exit_code == 0
    result = _check(run, reg, "--as-of", "2025-04-05")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        1,
        "response-late: M1 Second supplier: due 2025-03-31, not done (5 days late); owner Purchasing",
    )
    assert _check(run, write(watched() + response % "done"), "--as-of", "2025-04-05").exit_code == 0
    assert run("respond", "M1", "--register", str(reg)).exit_code == 0  # applied: in force
    assert _check(run, reg).exit_code == 0


def test_an_indicator_review_falls_overdue(run, write) -> None:
    indicator = "indicators:\n  - {id: I1, title: Supplier misses a shipment, review_every: 30}\n"
    reg = write(watched() + indicator)
    assert _check(run, reg, "--as-of", "2025-01-31").exit_code == 0
    result = _check(run, reg, "--as-of", "2025-02-02")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        1,
        "indicator-overdue: I1 Supplier misses a shipment: review due 2025-01-31 (2 days overdue)",
    )


def test_a_judgement_past_its_horizon_and_not_resolved_is_due(run, write) -> None:
    reg = write(watched().replace("{id: R3, title: Minor delay,", "{id: R3, title: Minor delay, by: 2025-03-31,"))
    assert _check(run, reg, "--as-of", "2025-03-31").exit_code == 0
    result = _check(run, reg, "--as-of", "2025-04-02")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        1,
        "horizon: R3 Minor delay: its horizon ended 2025-03-31 (2 days ago), not resolved (riskcli resolve)",
    )
    assert _check(run, reg).exit_code == 1
    resolved = run("resolve", "R3", "did-not-occur", "--on", "2025-03-31", "--register", str(reg))
    assert resolved.exit_code == 0, resolved.stderr
    assert _check(run, reg).exit_code == 0


# --------------------------------------------------------------------------- coherence, unassessed


SAME_SIGN = "  - id: R4\n    title: Odd\n    likelihood: 1\n    impact: 1\n    drivers:\n" + (
    "      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: 1}}\n"
)


def test_a_coherence_warning_not_acknowledged_is_a_finding(run, write) -> None:
    reg = write(watched() + SAME_SIGN)
    result = _check(run, reg, "--as-of", "2025-02-01")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        "coherence: R4 Odd: driver A1 moves likelihood the same way whether it holds (+1) or fails (+1) "
        "[W-same-sign-R4-A1-likelihood] (not acknowledged)"
    )
    acknowledged = (watched() + SAME_SIGN).replace(
        "risks:\n", "acknowledge:\n  - W-same-sign-R4-A1-likelihood\nrisks:\n", 1
    )
    assert _check(run, write(acknowledged), "--as-of", "2025-02-01").exit_code == 0


def test_risks_not_yet_assessed_are_counted(run, write) -> None:
    reg = write(watched() + "  - {id: R5, title: New market fails, likelihood: unassessed, impact: 4}\n")
    result = _check(run, reg, "--as-of", "2025-02-01")
    assert (result.exit_code, result.stdout.splitlines()[0]) == (
        1,
        "unassessed: 1 risk not yet assessed: R5",
    )
    closed = write(watched() + "  - {id: R5, title: Dropped, likelihood: unassessed, impact: 4, status: closed}\n")
    assert _check(run, closed, "--as-of", "2025-02-01").exit_code == 0


# --------------------------------------------------------------------------- --fail-on, --quiet, --json


def test_fail_on_chooses_the_kinds_that_fail_and_lists_the_others(run, write) -> None:
    reg = write(watched("medium", "    review_every: 90\n"))
    result = _check(run, reg, "--as-of", "2025-05-01", "--fail-on", "review-overdue")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "review-overdue: R1 Production stops: review due 2025-04-01 (30 days overdue); owner ops",
        "1 finding on 2025-05-01 (1 review-overdue) in 3 live risks; left out by --fail-on: 1 over-appetite",
    ]
    ok = _check(run, reg, "--as-of", "2025-05-01", "--fail-on", "response-late", "--fail-on", "unassessed,coherence")
    assert ok.exit_code == 0
    assert ok.stdout == (
        "ok: 3 live risks checked on 2025-05-01; none of the kinds --fail-on names is due "
        "(left out: 1 over-appetite, 1 review-overdue)\n"
    )


@pytest.mark.parametrize("given", ["", ",", " "])
def test_fail_on_naming_no_kind_is_refused_not_read_as_every_kind(run, write, given: str) -> None:
    result = _check(run, write(watched()), "--fail-on", given)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("error: --fail-on") and "names no kind of finding; give any of" in result.stderr


def test_an_unknown_kind_is_the_users_mistake(run, write) -> None:
    result = _check(run, write(watched()), "--fail-on", "over-apetite")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "error: --fail-on 'over-apetite' is not a kind of finding; give any of over-appetite,"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--as-of", "someday"), "error: --as-of 'someday' is not understood"),
        (("--what-if", "A1=fails"), "error: --scenario and --what-if do not apply to check"),
    ],
)
def test_bad_options_exit_2(run, write, args, message) -> None:
    result = _check(run, write(watched()), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_a_bad_register_exits_2(run, write) -> None:
    result = _check(run, write(watched().replace("likelihood: 3", "likelihood: 9")))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert ":" in result.stderr and "Traceback" not in result.stderr


def test_quiet_prints_only_what_fails_and_nothing_when_nothing_does(run, write) -> None:
    reg = write(watched("medium", "    review_every: 90\n"))
    quiet = _check(run, reg, "--as-of", "2025-02-01", "--quiet")
    assert (quiet.exit_code, quiet.stdout) == (1, quiet.stdout.splitlines()[0] + "\n")
    assert quiet.stdout.startswith("over-appetite: R1")
    calm = _check(run, reg, "--as-of", "2025-02-01", "--quiet", "--fail-on", "review-overdue")
    assert (calm.exit_code, calm.stdout, calm.stderr) == (0, "", "")


def test_json_names_its_schema_and_marks_what_fails(run, write) -> None:
    reg = write(watched("medium", "    review_every: 90\n"))
    result = _check(run, reg, "--as-of", "2025-05-01", "--json", "--fail-on", "over-appetite")
    assert result.exit_code == 1  # the run fixture validates it against riskcli/check/3
    data = json.loads(result.stdout)
    assert data["schema"] == "riskcli/check/3"
    assert (data["day"], data["ok"], data["risks"], data["fail_on"]) == ("2025-05-01", False, 3, ["over-appetite"])
    assert [(f["kind"], f["subject"], f["owner"], f["fails"]) for f in data["findings"]] == [
        ("over-appetite", "R1", "ops", True),
        ("review-overdue", "R1", "ops", False),
    ]
    assert data["findings"][0]["rating"] == {"id": "critical", "name": "Critical"}
    assert data["findings"][0]["limit"] == {"id": "medium", "name": "Medium"}
    assert data["as_of"]["date"] == "2025-05-01"
    ok = _check(run, reg, "--as-of", "2025-02-01", "--json", "--fail-on", "review-overdue")
    assert (ok.exit_code, json.loads(ok.stdout)["ok"]) == (0, True)


def test_json_carries_no_hypothetical_field_as_check_takes_no_what_if(run, write) -> None:
    """check and owners refuse --scenario and --what-if: their JSON has no ``hypothetical`` (a field
    that could only ever be null), and keeps ``as_of``."""
    reg = str(write(watched("medium")))
    for view in ("check", "owners"):
        data = json.loads(run(view, "--json", "--as-of", "2025-05-01", "--register", reg).stdout)
        assert data["schema"] == f"riskcli/{view}/3"
        assert "hypothetical" not in data and data["as_of"]["date"] == "2025-05-01"
        refused = run(view, "--what-if", "A1=fails", "--register", reg)
        assert refused.exit_code == 2 and f"--scenario and --what-if do not apply to {view}" in refused.stderr


def test_only_the_views_that_take_what_if_carry_hypothetical() -> None:
    """A result with a ``hypothetical`` field is the result of a view that takes --scenario and --what-if."""
    import dataclasses

    from riskcli.results.request import HYPOTHETICAL
    from riskcli.results.types import RESULTS

    carrying = {cls.SCHEMA for cls in RESULTS if "hypothetical" in {f.name for f in dataclasses.fields(cls)}}
    assert carrying <= set(HYPOTHETICAL), carrying - set(HYPOTHETICAL)


def test_check_is_a_read_view_and_records_nothing(run, write, tmp_path) -> None:
    reg = write(watched("medium"))
    _check(run, reg)
    assert not (tmp_path / "reg.journal.jsonl").exists()


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("register.yaml", True),
        ("risks/team.register.yml", True),
        ("risks/register.journal.jsonl", True),
        ("notes.jsonl", False),
        (".github/workflows/ci.yaml", False),
    ],
)
def test_the_pre_commit_hook_runs_check_when_a_register_or_its_journal_changes(path: str, matched: bool) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["riskcli-check"]
    assert (hook["entry"], hook["pass_filenames"]) == ("riskcli check", False)  # the register: --register in args
    assert bool(re.search(hook["files"], path)) is matched


# --------------------------------------------------------------------------- the core


def test_an_opportunity_is_never_over_appetite(write) -> None:
    reg = load(
        write(watched("low") + "  - {id: R9, title: Upside, likelihood: 5, impact: 5, extra: {kind: opportunity}}\n")
    )
    found = decisions.dues(reg, baseline_state(reg), score_all(reg), date(2025, 2, 1), {}, ())
    assert [(d.kind, d.subject) for d in found] == [(DueKind.OVER_APPETITE, "R1")]  # R9 is rated Critical


# --------------------------------------------------------------------------- resolved risks

RESOLVED = """\
id: watch
as_of: 2025-01-01
appetite: medium
risks:
  - {id: R1, title: Key staff leave, owner: ops, review_every: 30, likelihood: 4, impact: 4}
  - id: R2
    title: Budget overrun
    owner: Finance
    acceptance: {by: CFO, date: 2025-01-10, until: 2025-03-31, why: within contingency}
    likelihood: 3
    impact: 4
  - {id: R3, title: Minor delay, likelihood: 2, impact: 2}
"""


def test_a_resolved_risk_is_not_checked_and_the_last_line_names_it(run, write) -> None:
    """A risk that occurred, or was settled as not, is out of the live view in check as in list and
    matrix: none of its findings (over-appetite, review-overdue, acceptance-expired) fails the check."""
    reg = write(RESOLVED)
    code, before = _findings(run, reg, "--as-of", "2025-07-01")
    assert code == 1 and [(f["kind"], f["subject"]) for f in before] == [
        ("over-appetite", "R1"),
        ("over-appetite", "R2"),
        ("acceptance-expired", "R2"),
        ("review-overdue", "R1"),
    ]
    for rid, outcome in (("R1", "occurred"), ("R2", "did-not-occur")):
        done = run("-r", str(reg), "resolve", rid, outcome, "--on", "2025-06-01")
        assert done.exit_code == 0, done.stderr
    result = _check(run, reg, "--as-of", "2025-07-01", "--fail-on", "over-appetite")
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "ok: 1 live risk checked on 2025-07-01; nothing due; resolved, not checked: R1, R2\n",
        "",
    )
    data = json.loads(_check(run, reg, "--as-of", "2025-07-01", "--json").stdout)
    assert (data["ok"], data["risks"], data["findings"]) == (True, 1, [])
    assert [(x["id"], x["outcome"], x["on"]) for x in data["resolved"]] == [
        ("R1", "occurred", "2025-06-01"),
        ("R2", "did-not-occur", "2025-06-01"),
    ]
    quiet = _check(run, reg, "--as-of", "2025-07-01", "--quiet")
    assert (quiet.exit_code, quiet.stdout) == (0, "")
