"""Decisions are journal events: accept, treat, review, assign, close and reopen — dated,
attributed, undoable, in history, and replayed by time whatever the order of the lines."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from riskcli import decisions, journal
from riskcli.model import DecisionKind, Event, Status, Strategy
from riskcli.register import load
from riskcli.scoring import score_risk

DECIDE = """\
id: decide
title: Decisions
as_of: 2025-01-01
assumptions:
  - {id: A1, statement: Supplier delivers., belief: 0.5}
risks:
  - id: R1
    title: Production stops
    likelihood: 3
    impact: 4
    owner: ops
    drivers:
      - {assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}
  - {id: R2, title: Budget overrun, likelihood: 2, impact: 3}
responses:
  - id: M1
    title: Second supplier
    effects: [{risk: R1, likelihood: -1}]
  - {id: M2, title: Insurance}
"""


@pytest.fixture
def reg(write) -> str:
    return str(write(DECIDE))


def _events(tmp_path: Path) -> list[dict]:
    path = tmp_path / "reg.journal.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _standing(run, reg: str, risk: str = "R1") -> dict:
    result = run("show", risk, "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["risk"]["standing"]


DECISIONS = [
    (
        ["accept", "R1", "--until", "2099-06-30", "--why", "cheaper to bear"],
        "accept",
        "R1: accepted until 2099-06-30 (rated high)",
    ),
    (["treat", "R1", "reduce", "--with", "M1", "--why", "second source"], "treat", "R1: treat — reduce with M1"),
    (["review", "R1", "--next", "2099-03-31"], "review", "R1: reviewed; next review by 2099-03-31"),
    (["assign", "R1", "--owner", "Head of Supply"], "assign", "R1: owner Head of Supply"),
    (["close", "R1", "--why", "supplier replaced"], "close", "R1: closed"),
    (["close", "R1", "--retired"], "close", "R1: retired"),
]


@pytest.mark.parametrize(("args", "kind", "what"), DECISIONS, ids=[" ".join(a[:3]) for a, _, _ in DECISIONS])
def test_a_decision_is_a_dated_attributed_event_in_history(run, reg, tmp_path, args, kind, what) -> None:
    result = run(*args, "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == f"saved to {tmp_path / 'reg.journal.jsonl'}\n"
    (ev,) = _events(tmp_path)
    assert (ev["kind"], ev["risk"], ev["by"], ev["register"]) == (kind, "R1", "tester", "decide")
    assert ev["at"].startswith(date.today().isoformat()[:4])
    lines = run("history", "--register", reg).stdout.splitlines()
    assert lines[1].split("\t")[3:5] == [kind, what]
    assert run("history", "--risk", "R1", "--register", reg).stdout.splitlines()[1:] == lines[1:]
    assert run("history", "--risk", "R2", "--register", reg).stdout == ""


@pytest.mark.parametrize(("args", "kind", "what"), DECISIONS, ids=[" ".join(a[:3]) for a, _, _ in DECISIONS])
def test_undo_reverts_each_decision(run, reg, args, kind, what) -> None:
    before = _standing(run, reg)
    assert run(*args, "--register", reg).exit_code == 0
    assert _standing(run, reg) != before
    undone = run("undo", "--register", reg)
    assert undone.exit_code == 0, undone.stderr
    assert f"undid tester's {kind} (line 1, " in undone.stdout
    assert _standing(run, reg) == before


def test_accept_records_the_risk_as_it_stands_and_show_gives_the_acceptance(run, reg, tmp_path) -> None:
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0  # R1: L 4 × I 4, critical
    result = run(
        "accept", "R1", "--until", "2099-06-30", "--approver", "CFO", "--why", "cheaper to bear", "--register", reg
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == [
        "  status: accepted (tester, " + _events(tmp_path)[1]["at"][:10] + ")",
        "  treatment: — → accept",
        "  acceptance: by CFO on " + _events(tmp_path)[1]["at"][:10] + " until 2099-06-30 at Critical",
        "  accepted because: cheaper to bear",
    ]
    ev = _events(tmp_path)[1]
    r = load(Path(reg))
    assert (ev["band"], ev["likelihood"], ev["impact"], ev["approver"]) == ("critical", 4.0, 4.0, "CFO")
    assert ev["basis"] == decisions.risk_fingerprint(r, r.risk_by_id["R1"])
    st = _standing(run, reg)
    assert st["status"] == "accepted" and st["treatment"] == {"strategy": "accept", "responses": []}
    assert st["acceptance"]["by"] == "CFO" and st["acceptance"]["until"] == "2099-06-30"
    assert st["acceptance"]["band"] == {"id": "critical", "name": "Critical"} and st["acceptance"]["lapses"] == []
    shown = run("show", "R1", "--register", reg).stdout
    assert "acceptance" in shown and "by CFO on" in shown and "until 2099-06-30 at Critical" in shown


def test_a_treatment_replaces_an_acceptance(run, reg) -> None:
    assert run("accept", "R1", "--until", "2099-06-30", "--why", "w", "--register", reg).exit_code == 0
    assert run("treat", "R1", "transfer", "--with", "M2,M1", "--register", reg).exit_code == 0
    st = _standing(run, reg)
    assert st["status"] == "treated" and st["acceptance"] is None
    assert st["treatment"] == {"strategy": "transfer", "responses": ["M2", "M1"]}


def test_close_reopen_and_owner(run, reg) -> None:
    assert _standing(run, reg)["owner"] == "ops"  # the register's
    assert run("assign", "R1", "-o", "Head of Supply", "--register", reg).exit_code == 0
    assert _standing(run, reg)["owner"] == "Head of Supply"
    assert run("close", "R1", "--why", "gone", "--register", reg).exit_code == 0
    assert _standing(run, reg)["status"] == "closed"
    assert run("reopen", "R1", "--register", reg).exit_code == 0
    st = _standing(run, reg)
    assert st["status"] == "open" and st["decided"]["kind"] == "reopen" and st["decided"]["line"] == 3


@pytest.mark.parametrize(
    ("setup", "args", "said"),
    [
        ([], ["assign", "R1", "--owner", "ops"], "R1's owner is already ops; nothing recorded"),
        ([], ["reopen", "R1"], "R1 is open, not closed or retired; nothing recorded"),
        ([["close", "R1"]], ["close", "R1"], "R1 is already closed; nothing recorded"),
        ([["treat", "R1", "reduce"]], ["treat", "R1", "reduce"], "R1 is already treated: reduce; nothing recorded"),
    ],
)
def test_a_decision_that_changes_nothing_records_nothing(run, reg, tmp_path, setup, args, said) -> None:
    for s in setup:
        assert run(*s, "--register", reg).exit_code == 0
    n = len(_events(tmp_path))
    result = run(*args, "--register", reg)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", said + "\n")
    assert len(_events(tmp_path)) == n


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["accept", "R1", "--why", "w"],
            "an acceptance expires: give its last day, e.g. riskcli accept R1 --until 2026-06-30",
        ),
        (["accept", "R1", "--until", "2020-01-01", "--why", "w"], "--until 2020-01-01 is before today"),
        (
            ["accept", "R1", "--until", "30/06/2099", "--why", "w"],
            "--until '30/06/2099' is not a date; give YYYY-MM-DD",
        ),
        (
            ["accept", "R1", "--until", "2099-06-30"],
            "say why the risk is accepted: riskcli accept R1 --until 2099-06-30 --why …",
        ),
        (["treat", "R1", "accept"], "accepting a risk is an acceptance, with an expiry and a reason"),
        (["treat", "R1", "fix"], "treatment 'fix' is not one of avoid, reduce, transfer"),
        (["treat", "R1"], "give the treatment (avoid, reduce, transfer): riskcli treat R1 reduce --with M2"),
        (["treat", "R1", "reduce", "--with", "M9"], "unknown response 'M9'"),
        (["assign", "R1"], "give the owner: riskcli assign R1 --owner NAME"),
        (["assign", "R1", "--owner", " "], "--owner ' ': give one line of text"),
        (["review", "R1", "--next", "2020-01-01"], "--next 2020-01-01 is not after today"),
        (["close", "R9"], "unknown risk 'R9'"),
    ],
)
def test_bad_decisions_get_one_line_and_exit_2(run, reg, tmp_path, args, message) -> None:
    result = run(*args, "--register", reg)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: " + message), result.stderr
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "reg.journal.jsonl").exists()


def test_nothing_but_reopen_is_decided_about_a_closed_risk(run, reg, tmp_path) -> None:
    assert run("close", "R1", "--register", reg).exit_code == 0
    result = run("treat", "R1", "reduce", "--register", reg)
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: R1 is closed; reopen it before deciding anything else about it (riskcli reopen R1 --why …)\n"
    )
    assert len(_events(tmp_path)) == 1


def test_decision_json_names_its_schema_and_both_standings(run, reg) -> None:
    result = run("assign", "R2", "--owner", "finance", "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == "riskcli/decision/3"
    assert (data["decision"], data["risk"], data["recorded"]) == ("assign", "R2", True)
    assert (data["before"]["owner"], data["after"]["owner"]) == (None, "finance")
    assert data["event"]["kind"] == "assign" and data["event"]["owner"] == "finance"


# --------------------------------------------------------------------------- the replay


def _event(n: int, kind: str, at: str, **data: object) -> Event:
    obj = {"v": 1, "id": f"e{n}", "at": at, "by": "x", "kind": kind, **data}
    return journal.event_from(obj, n, "j")


def test_the_latest_decision_by_time_wins_whatever_the_line_order(write) -> None:
    r = load(write(DECIDE))
    events = [
        _event(1, "assign", "2025-02-01T00:00:00Z", risk="R1", owner="first"),
        _event(2, "treat", "2025-03-01T00:00:00Z", risk="R1", strategy="reduce", **{"with": ["M1"]}),
        _event(3, "assign", "2025-04-01T00:00:00Z", risk="R1", owner="second"),
        _event(4, "close", "2025-05-01T00:00:00Z", risk="R1", status="retired"),
        _event(5, "accept", "2025-03-15T00:00:00Z", risk="R1", until="2025-12-31", band="high"),
    ]
    forward = journal.replay(r, events).state
    backward = journal.replay(r, events[::-1]).state
    for state in (forward, backward):
        st = decisions.standing(r, r.risk_by_id["R1"], state)
        assert (st.owner, st.status) == ("second", Status.RETIRED)
        assert st.treatment is not None and st.treatment.strategy is Strategy.ACCEPT  # 03-15 after 03-01
        assert st.decided is not None and st.decided.kind is DecisionKind.CLOSE
    assert forward.decisions == backward.decisions


def test_decisions_about_a_risk_the_register_lacks_are_ignored_with_a_warning(write) -> None:
    r = load(write(DECIDE))
    rp = journal.replay(r, [_event(1, "assign", "2025-02-01T00:00:00Z", risk="R7", owner="x")])
    assert rp.state.decisions == {}
    assert rp.warnings == ["journal events about risks no longer in the register are ignored: R7"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "treat", "risk": "R1", "strategy": "fix"},
            "journal treat event: 'strategy' must be one of avoid, reduce, transfer",
        ),
        (
            {"kind": "treat", "risk": "R1", "strategy": "avoid", "with": [1]},
            "journal treat event: 'with' must be a list of response ids",
        ),
        ({"kind": "accept", "risk": "R1", "until": "soon"}, "journal accept event: 'until' is not a date (YYYY-MM-DD)"),
        ({"kind": "review", "risk": "R1", "next": 3}, "journal review event: 'next' is of the wrong type"),
        ({"kind": "assign", "risk": "R1"}, "journal assign event: 'owner' is missing or of the wrong type"),
        (
            {"kind": "close", "risk": "R1", "status": "gone"},
            "journal close event: 'status' must be one of closed, retired",
        ),
        ({"kind": "reopen"}, "journal reopen event: 'risk' is missing or of the wrong type"),
    ],
)
def test_a_malformed_decision_line_is_an_error_on_its_line(run, reg, tmp_path, data, message) -> None:
    line = json.dumps({"v": 1, "id": "x1", "at": "2025-02-01T00:00:00Z", "by": "x", **data})
    (tmp_path / "reg.journal.jsonl").write_text(line + "\n", encoding="utf-8")
    result = run("show", "R1", "--register", reg)
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'reg.journal.jsonl'}:1:1: {message}\n"


# --------------------------------------------------------------------------- acceptances that lapse


def test_an_acceptance_lapses_when_it_expires_the_band_rises_or_the_register_changes(write) -> None:
    r = load(write(DECIDE))
    risk = r.risk_by_id["R1"]
    ev = _event(
        1, "accept", "2025-02-01T00:00:00Z", risk="R1", until="2025-06-30", band="high",
        basis=decisions.risk_fingerprint(r, risk),
    )  # fmt: skip
    state = journal.replay(r, [ev]).state
    st = decisions.standing(r, risk, state)
    assert st.acceptance is not None
    now = score_risk(r, risk, state)
    assert decisions.lapses(r, st.acceptance, now, date(2025, 6, 30)) == ()
    assert decisions.lapses(r, st.acceptance, now, date(2025, 7, 1)) == (decisions.Lapse.EXPIRED,)
    # Rated higher than when accepted: at L 5 × I 4, R1 is critical (accepted at high, L 3 × I 4).
    worse = journal.replay(r, [ev, _event(2, "score", "2025-03-01T00:00:00Z", risk="R1", likelihood=5, impact=4)]).state
    assert decisions.lapses(r, st.acceptance, score_risk(r, risk, worse), date(2025, 3, 1)) == (
        decisions.Lapse.BAND_ROSE,
    )
    # The register changes what rates R1 (its impact): a material change.
    r2 = load(
        write(DECIDE.replace("    likelihood: 3\n    impact: 4\n", "    likelihood: 3\n    impact: 3\n"), "reg2.yaml")
    )
    st2 = decisions.standing(r2, r2.risk_by_id["R1"], journal.replay(r2, [ev]).state)
    assert st2.acceptance is not None
    lapsed = decisions.lapses(r2, st2.acceptance, score_risk(r2, r2.risk_by_id["R1"], state), date(2025, 3, 1))
    assert lapsed == (decisions.Lapse.CHANGED,)
    # Rewording is no material change.
    r3 = load(write(DECIDE.replace("Production stops", "Production halts"), "reg3.yaml"))
    assert decisions.risk_fingerprint(r3, r3.risk_by_id["R1"]) == decisions.risk_fingerprint(r, risk)


def test_decisions_survive_the_replay_checkpoint(run, reg, tmp_path) -> None:
    """A read after the first replays from the checkpoint: the decisions it holds come back."""
    for args in (["assign", "R1", "-o", "x"], ["accept", "R1", "--until", "2099-01-01", "--why", "w"]):
        assert run(*args, "--register", reg).exit_code == 0
    cold = _standing(run, reg)
    assert run("review", "R1", "--register", reg).exit_code == 0  # appends after the checkpoint
    warm = _standing(run, reg)
    assert (warm["owner"], warm["status"], warm["acceptance"]) == (cold["owner"], cold["status"], cold["acceptance"])
    assert warm["review"]["last"] is not None and cold["review"]["last"] is None
