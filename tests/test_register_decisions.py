"""The register's decisions: a risk's owner, status, treatment, acceptance and review period; a
response's owner, due date, progress and target; the register's (and a category's) appetite and
target — read with line numbers, meant as documented, and edited by add and set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from riskcli import decisions
from riskcli.model import Progress, Status, Strategy
from riskcli.register import load
from riskcli.scoring import baseline_state, score_all

from conftest import MINIMAL

DECIDED = """\
title: Decided
as_of: 2025-01-01
appetite: medium
target: low
categories:
  Finance: {appetite: high}
risks:
  - id: R1
    title: Production stops
    category: operations
    owner: Plant manager
    review_every: 90
    treatment: {strategy: reduce, with: [M1]}
    likelihood: 4
    impact: 4
  - id: R2
    title: Budget overrun
    category: finance
    acceptance: {by: CFO, date: 2025-01-10, until: 2025-06-30, why: within contingency}
    likelihood: 3
    impact: 4
  - {id: R3, title: Old lease, status: retired, likelihood: 1, impact: 2}
responses:
  - id: M1
    title: Second supplier
    owner: Purchasing
    due: 2025-03-31
    status: done
    target: low
    effects: [{risk: R1, likelihood: -1}]
"""


@pytest.fixture
def reg(write) -> str:
    return str(write(DECIDED))


def test_the_register_gives_each_risk_its_standing(write) -> None:
    r = load(write(DECIDED))
    state = baseline_state(r)
    st = {x.id: decisions.standing(r, x, state) for x in r.risks}
    assert (st["R1"].owner, st["R1"].status) == ("Plant manager", Status.TREATED)  # derived from the treatment
    assert st["R1"].treatment is not None and st["R1"].treatment.responses == ("M1",)
    assert st["R1"].review_due == "2025-04-01"  # as_of + 90 days
    assert st["R2"].status is Status.ACCEPTED and st["R2"].acceptance is not None
    assert st["R2"].acceptance.acceptance.until == "2025-06-30" and st["R2"].acceptance.band == "high"
    assert st["R3"].status is Status.RETIRED and not st["R3"].status.live
    assert (r.appetite, r.target, r.categories[0].id, r.categories[0].appetite) == ("medium", "low", "Finance", "high")
    # A category's appetite is matched as risks write the category (case and spaces aside).
    assert decisions.appetite_of(r, r.risk_by_id["R2"]) == "high"
    assert decisions.appetite_of(r, r.risk_by_id["R1"]) == "medium"
    m1 = r.responses[0]
    assert (m1.owner, m1.due, m1.status, m1.target) == ("Purchasing", "2025-03-31", Progress.DONE, "low")


def test_an_older_register_stays_valid_and_every_risk_is_open(write) -> None:
    r = load(write(MINIMAL))
    st = decisions.standing(r, r.risks[0], baseline_state(r))
    assert (st.owner, st.status, st.treatment, st.acceptance, st.review_due) == ("", Status.OPEN, None, None, "")
    assert (r.appetite, r.target, r.categories) == ("", "", ())


def test_a_response_done_in_the_register_is_in_force_in_the_baseline(run, reg) -> None:
    """R1 is 4 × 4 in the register; M1 (done) takes a step of likelihood off it."""
    r = load(Path(reg))
    (r1,) = [x for x in score_all(r) if x.risk.id == "R1"]
    assert (r1.likelihood, r1.impact) == (3.0, 4.0)
    shown = json.loads(run("show", "R1", "--json", "--register", reg).stdout)["risk"]
    assert shown["current"]["cell"] == {"likelihood": 3, "impact": 4}
    assert shown["responses"][0]["applied"] is True
    withdrawn = run("respond", "M1", "--withdraw", "--register", reg)
    assert withdrawn.exit_code == 0, withdrawn.stderr
    assert json.loads(run("show", "R1", "--json", "--register", reg).stdout)["risk"]["current"]["cell"] == {
        "likelihood": 4,
        "impact": 4,
    }
    again = run("respond", "M1", "--register", reg)
    assert again.exit_code == 0 and "M1 applied" in again.stdout


def test_the_treatment_is_read_as_a_word_too(write) -> None:
    r = load(write(MINIMAL.replace("    impact: 5\n", "    impact: 5\n    treatment: Transfer\n")))
    assert r.risks[0].treatment is not None and r.risks[0].treatment.strategy is Strategy.TRANSFER


# --------------------------------------------------------------------------- set and add


def _set(run, reg: str, *args: str) -> str:
    result = run("set", *args, "--register", reg)
    assert result.exit_code == 0, result.stderr
    return Path(reg).read_text(encoding="utf-8")


def test_set_edits_a_risks_decisions_and_keeps_the_responses_of_its_treatment(run, reg) -> None:
    text = _set(run, reg, "R1", "treatment", "avoid")
    assert "    treatment: {strategy: avoid, with: [M1]}\n" in text
    text = _set(run, reg, "R1", "status", "Closed")
    assert "    status: closed\n" in text
    text = _set(run, reg, "R1", "review_by", "2025-05-01")
    assert "    review_by: '2025-05-01'\n" in text
    r = load(Path(reg))
    assert r.risk_by_id["R1"].status is Status.CLOSED and r.risk_by_id["R1"].review_by == "2025-05-01"


def test_set_edits_one_part_of_an_acceptance(run, reg) -> None:
    _set(run, reg, "R2", "acceptance.until", "2025-12-31")
    text = _set(run, reg, "R2", "acceptance.why", "board decision")
    assert "    acceptance: {by: CFO, date: '2025-01-10', until: '2025-12-31', why: board decision}\n" in text
    acc = load(Path(reg)).risk_by_id["R2"].acceptance
    assert acc is not None and (acc.by, acc.on, acc.until, acc.why) == (
        "CFO",
        "2025-01-10",
        "2025-12-31",
        "board decision",
    )
    _set(run, reg, "R1", "acceptance.by", "COO")  # a risk with none gets one
    assert load(Path(reg)).risk_by_id["R1"].acceptance.by == "COO"  # type: ignore[union-attr]


def test_set_edits_a_responses_owner_due_date_progress_and_target(run, reg) -> None:
    _set(run, reg, "M1", "status", "in-progress")
    _set(run, reg, "M1", "due", "2025-09-30")
    _set(run, reg, "M1", "owner", "Logistics")
    _set(run, reg, "M1", "target", "Medium")
    m1 = load(Path(reg)).responses[0]
    assert (m1.status, m1.due, m1.owner, m1.target) == (Progress.IN_PROGRESS, "2025-09-30", "Logistics", "medium")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["R1", "status", "done"], "status 'done' is not one of open, treated, accepted, closed, retired"),
        (["R1", "treatment", "mitigate"], "treatment 'mitigate' is not one of avoid, reduce, transfer, accept"),
        (["R1", "review_by", "next week"], "review_by 'next week' is not a date; give YYYY-MM-DD, e.g. 2026-06-30"),
        (["M1", "target", "amber"], "target 'amber' is not a rating band; give one of low, medium, high, critical"),
        (["M1", "status", "started"], "status 'started' is not one of planned, in progress, done"),
    ],
)
def test_set_refuses_a_bad_decision_value(run, reg, args, message) -> None:
    before = Path(reg).read_text(encoding="utf-8")
    result = run("set", *args, "--register", reg)
    assert result.exit_code == 2
    assert result.stderr == f"error: {message}\n"
    assert Path(reg).read_text(encoding="utf-8") == before


def test_add_gives_a_new_risk_and_response_their_decisions(run, reg) -> None:
    result = run(
        "add", "risk", "-t", "Flood", "-l", "2", "-i", "4", "--status", "open", "--treatment", "transfer",
        "--review-every", "30", "--review-by", "2025-02-01", "--register", reg,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    result = run(
        "add", "response", "-t", "Insurance", "--owner", "Finance", "--due", "2025-05-01", "--status", "planned",
        "--target", "low", "--register", reg,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    r = load(Path(reg))
    r4 = r.risk_by_id["R4"]
    assert (r4.status, r4.treatment.strategy, r4.review_every, r4.review_by) == (  # type: ignore[union-attr]
        Status.OPEN, Strategy.TRANSFER, 30, "2025-02-01",
    )  # fmt: skip
    m2 = r.responses[1]
    assert (m2.owner, m2.due, m2.status, m2.target) == ("Finance", "2025-05-01", Progress.PLANNED, "low")
