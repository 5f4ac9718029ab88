"""Indicators, responses, scenarios, what-if, compare and diff."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import SUPPLY, WATCHED

REGISTER = (
    SUPPLY
    + """\
indicators:
  - id: I1
    title: Late shipment
    review_every: 7
    updates:
      - {assumption: A1, belief: 0.1}
  - {id: I2, title: Price index, updates: [{assumption: A2, belief: 0.95}]}
responses:
  - id: M1
    title: Second supplier
    effects: [{risk: R1, likelihood: -1}]
    side_effects: [{risk: R2, impact: 1, note: costs more}]
scenarios:
  - {id: squeeze, title: Supply squeeze, beliefs: {A1: fails}}
"""
)


@pytest.fixture
def reg(write):
    return str(write(REGISTER))


def _cells(run, reg, *args):
    data = json.loads(run("list", "--json", "--register", reg, *args).stdout)
    return {r["id"]: (r["current"]["likelihood"], r["current"]["impact"]) for r in data["risks"]}


def _journal_bytes(tmp_path) -> bytes | None:
    p = tmp_path / "reg.journal.jsonl"
    return p.read_bytes() if p.exists() else None


def test_indicators_list_direction_and_overdue(run, reg) -> None:
    data = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"]
    i1 = data[0]
    assert i1["form"] == "sets"
    assert i1["bears_on"] == [
        {"assumption": "A1", "belief": 0.5, "if_seen": 0.1, "if_absent": None, "seen_ratio": None,
         "absent_ratio": None, "direction": "down"}
    ]  # fmt: skip
    assert i1["review_every"] == 7 and i1["overdue"] is True and i1["last_observed"] is None
    assert data[1]["review_every"] == 30  # the rules' default
    assert data[1]["bears_on"][0]["direction"] == "up"
    out = run("indicators", "--register", reg, env={"COLUMNS": "120"})
    assert "A1 ↓0.10" in out.stdout and "overdue by" in out.stdout
    assert "2 of 2 indicators overdue" in out.stderr


def test_observe_moves_exactly_the_linked_assumptions(run, reg) -> None:
    result = run("observe", "I1", "--why", "two weeks late", "--register", reg, env={"COLUMNS": "120"})
    assert result.exit_code == 0, result.stderr
    assert "A1: belief 0.50 (caveated, derived) → 0.10 (unsupported, derived)" in result.stdout
    data = json.loads(run("assumptions", "--json", "--register", reg).stdout)["assumptions"]
    assert [(a["id"], a["belief"]) for a in data] == [("A1", 0.1), ("A2", 0.8)]
    ind = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"][0]
    assert ind["last_observed"] == datetime.now(UTC).date().isoformat()
    assert ind["overdue"] is False
    overdue = json.loads(run("indicators", "--overdue", "--json", "--register", reg).stdout)["indicators"]
    assert [i["id"] for i in overdue] == ["I2"]
    # undoable like anything else
    assert run("undo", "--register", reg).exit_code == 0
    data = json.loads(run("assumptions", "--json", "--register", reg).stdout)["assumptions"]
    assert data[0]["belief"] == 0.5


def test_overdue_after_the_review_period(run, reg, tmp_path) -> None:
    old = (datetime.now(UTC) - timedelta(days=10)).strftime("%Y-%m-%dT%H:%M:%SZ")
    (tmp_path / "reg.journal.jsonl").write_text(
        json.dumps({"v": 1, "id": "x", "at": old, "by": "a", "kind": "observe", "indicator": "I1"}) + "\n"
    )
    ind = json.loads(run("indicators", "--json", "--register", reg).stdout)["indicators"][0]
    assert ind["overdue"] is True and ind["last_observed"] == old[:10]


def test_responses_residual_and_inherent(run, reg) -> None:
    assert run("respond", "M1", "--why", "signed", "--register", reg).exit_code == 0
    data = json.loads(run("responses", "--json", "--register", reg).stdout)["responses"][0]
    assert data["applied"] is True
    assert data["side_effects"][0] == {"risk": "R2", "shift": {"likelihood": 0.0, "impact": 1.0}, "note": "costs more"}
    assert _cells(run, reg) == {"R1": (2, 4), "R2": (2, 4), "R3": (1, 1)}
    residual = json.loads(run("matrix", "--residual", "--json", "--register", reg).stdout)
    inherent = json.loads(run("matrix", "--inherent", "--json", "--register", reg).stdout)

    def where(m, rid):
        return next((c["likelihood"], c["impact"]) for c in m["cells"] if rid in c["risks"])

    assert where(residual, "R2") == (2, 4) and where(inherent, "R2") == (2, 3)  # the side effect
    assert where(residual, "R1") == (2, 4) and where(inherent, "R1") == (3, 4)
    explained = json.loads(run("explain", "R2", "--json", "--register", reg).stdout)
    (side,) = [c for c in explained["contributions"] if c["ref"] == "M1"]
    assert (side["kind"], side["ref"], side["shift"], side["withdrawn"]) == (
        "side_effect",
        "M1",
        {"likelihood": 0.0, "impact": 1.0},
        False,
    )
    assert run("respond", "M1", "--register", reg).stderr == "M1 is already applied; nothing recorded\n"
    assert run("respond", "M1", "--withdraw", "--register", reg).exit_code == 0
    assert _cells(run, reg)["R2"] == (2, 3)


def test_what_if_writes_nothing_and_says_so(run, reg, tmp_path) -> None:
    run("assume", "A2", "holds", "--register", reg)
    before = _journal_bytes(tmp_path)
    result = run("matrix", "--what-if", "A1=fails", "--what-if", "M1", "--register", reg, env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "HYPOTHETICAL — A1=0.00 (unsupported, derived); M1 applied (nothing is recorded)" in result.stdout
    assert "HYPOTHETICAL" not in result.stderr  # once: the view carries it
    for args in (
        ["list", "--what-if", "I1"],
        ["show", "R1", "--what-if", "A1=0.2"],
        ["explain", "R1", "--what-if", "A1=fails,M1"],
        ["assumptions", "--what-if", "I2"],
        ["responses", "--what-if", "M1"],
        ["list", "--scenario", "squeeze"],
    ):
        assert run(*args, "--register", reg).exit_code == 0, args
    assert _journal_bytes(tmp_path) == before
    data = json.loads(run("list", "--json", "--what-if", "A1=fails", "--register", reg).stdout)
    assert data["hypothetical"] == {
        "scenario": None,
        "what_if": [
            {
                "kind": "belief",
                "id": "A1",
                "said": "A1=fails",
                "belief": 0.0,
                "applied": None,
                "sets": [],
                "outcome": None,
            }
        ],
        "overrides": [],
    }
    assert {r["id"]: r["current"]["likelihood"] for r in data["risks"]}["R1"] == 4


def test_scenario_applies_its_beliefs(run, reg) -> None:
    assert _cells(run, reg, "--scenario", "squeeze")["R1"] == (4, 4)
    assert _cells(run, reg, "--scenario", "SQUEEZE")["R1"] == (4, 4)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["matrix", "--what-if", "A9=fails"],
            "unknown id 'A9'; give an assumption (A2=fails), an indicator (I3) or a response (M1); the register has: A1, A2, I1, I2, M1",
        ),
        (["list", "--what-if", "A1"], "give a belief, e.g. A1=fails"),
        (["list", "--what-if", "A1=maybe"], "belief 'maybe' is not understood"),
        (["list", "--what-if", "M1=perhaps"], "a response is M1=applied or M1=withdrawn"),
        (["matrix", "--scenario", "boom"], "unknown scenario 'boom'; the register has: squeeze"),
        (
            ["compare", "baseline", "nowhere"],
            "'nowhere' is not baseline, current, a scenario (the register has: squeeze)",
        ),
        (["observe", "I9"], "unknown indicator 'I9'"),
        (["respond", "M9"], "unknown response 'M9'"),
        (
            ["assume", "A1", "fails", "--what-if", "M1"],
            "assume records to the journal; --scenario and --what-if are for read commands only",
        ),
        (["matrix", "--residual", "--inherent"], "give --residual or --inherent, not both"),
        (["respond", "M1", "--apply", "--withdraw"], "give --apply or --withdraw, not both"),
        (["list", "--what-if", ""], "--what-if needs a move"),
        (["history", "--what-if", "A1=fails"], "--scenario and --what-if do not apply to history"),
        (["indicators", "--scenario", "squeeze"], "do not apply to indicators"),
        (["validate", "--what-if", "M1"], "do not apply to validate"),
    ],
)
def test_unknown_ids_and_bad_moves_exit_2_with_valid_ids(run, reg, tmp_path, args, message) -> None:
    result = run(*args, "--register", reg)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert message in result.stderr
    assert _journal_bytes(tmp_path) is None


def test_compare_states(run, reg) -> None:
    data = json.loads(run("compare", "baseline", "squeeze", "--json", "--register", reg).stdout)
    assert data["from"] == {"kind": "baseline", "scenario": None, "what_if": [], "as_of": None}
    assert data["to"] == {"kind": "scenario", "scenario": "squeeze", "what_if": [], "as_of": None}
    assert [(m["risk"], m["from"]["cell"], m["to"]["cell"], m["causes"]) for m in data["moves"]] == [
        ("R1", {"likelihood": 3, "impact": 4}, {"likelihood": 4, "impact": 4}, [{"kind": "assumption", "id": "A1"}])
    ]
    data = json.loads(run("compare", "current", "M1,A2=fails", "--json", "--register", reg).stdout)
    causes = {m["risk"]: [c["id"] for c in m["causes"]] for m in data["moves"]}
    assert causes == {"R1": ["M1"], "R2": ["A2", "M1"]}
    result = run("compare", "baseline", "A1=fails", "--register", reg, env={"COLUMNS": "120"})
    assert (
        result.exit_code == 0 and "R1↑" in result.stdout and "Moves from baseline to what-if A1=0.00" in result.stdout
    )
    same = run("compare", "baseline", "current", "--register", reg)
    assert "nothing moves from baseline to current" in same.stdout
    data = json.loads(run("matrix", "--compare", "squeeze", "--json", "--register", reg).stdout)
    assert [m["risk"] for m in data["compare"]["moves"]] == ["R1"]


def test_diff_of_two_registers(run, write) -> None:
    old = write(REGISTER, "old.yaml")
    new_text = (
        REGISTER.replace("likelihood: 3\n    impact: 4", "likelihood: 5\n    impact: 4")
        .replace("Prices stay flat., belief: 0.8", "Prices stay flat., belief: 0.6")
        .replace(
            "{assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 1}}",
            "{assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 2}}",
        )
        .replace(
            "  - {id: R3, title: Unlinked, likelihood: 1, impact: 1}\n",
            "  - {id: R4, title: New one, likelihood: 2, impact: 2}\n",
        )
    )
    new = write(new_text, "new.yaml")
    data = json.loads(run("diff", str(old), str(new), "--json").stdout)
    assert data["added"] == [{"kind": "risk", "id": "R4"}] and data["removed"] == [{"kind": "risk", "id": "R3"}]
    assert [(r["id"], r["from"]["rating"]["id"], r["to"]["rating"]["id"]) for r in data["rescored"]] == [
        ("R1", "high", "critical")
    ]
    changed = {(c["kind"], c["id"]): c["fields"] for c in data["changed"]}
    assert changed[("assumption", "A2")] == [{"field": "belief", "from": 0.8, "to": 0.6, "key": None}]
    assert changed[("risk", "R2")] == [
        {
            "field": "driver",
            "key": "A2",
            "from": {"if_holds": {"likelihood": 0.0, "impact": -1.0}, "if_fails": {"likelihood": 0.0, "impact": 1.0}},
            "to": {"if_holds": {"likelihood": 0.0, "impact": -1.0}, "if_fails": {"likelihood": 0.0, "impact": 2.0}},
        }
    ]
    assert "holds I -1; fails I +2" in run("diff", str(old), str(new), env={"COLUMNS": "160"}).stdout
    text = run("diff", str(old), str(new), env={"COLUMNS": "120"}).stdout
    assert "+ risks added: R4" in text and "- risks removed: R3" in text and "Re-scored risks (1)" in text
    assert json.loads(run("diff", str(old), str(old), "--json").stdout)["same"] is True
    assert "no differences" in run("diff", str(old), str(old)).stdout
    assert run("diff", "--exit-code", str(old), str(old)).exit_code == 0
    assert run("diff", "--exit-code", str(old), str(new)).exit_code == 1


def test_diff_reports_a_bad_register(run, write) -> None:
    old = write(REGISTER, "old.yaml")
    bad = write("risks: [", "bad.yaml")
    result = run("diff", str(old), str(bad))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {bad}:")


def test_an_analyst_score_already_reflects_the_responses_in_force(run, reg) -> None:
    assert run("respond", "M1", "--register", reg).exit_code == 0  # R1 likelihood 3 → 2
    result = run("score", "R1", "-l", "2", "-i", "4", "--register", reg)
    assert "likelihood 2 → 2" in result.stdout  # confirming what it shows: not counted twice
    assert _cells(run, reg)["R1"] == (2, 4)
    run("score", "R1", "-l", "3", "-i", "4", "--why", "despite the second supplier", "--register", reg)
    assert _cells(run, reg)["R1"] == (3, 4)  # not 3 - 1 again
    inherent = json.loads(run("matrix", "--inherent", "--json", "--register", reg).stdout)
    assert next((c["likelihood"], c["impact"]) for c in inherent["cells"] if "R1" in c["risks"]) == (4, 4)
    run("respond", "M1", "--withdraw", "--register", reg)  # withdrawing it now takes its effect out
    assert _cells(run, reg)["R1"] == (4, 4)
    e = json.loads(run("explain", "R1", "--json", "--register", reg).stdout)
    (withdrawn,) = [c for c in e["contributions"] if c["ref"] == "M1"]
    assert (withdrawn["kind"], withdrawn["withdrawn"], withdrawn["shift"]) == (
        "response",
        True,
        {"likelihood": 1.0, "impact": 0.0},
    )


def test_ciso_file_without_a_matrix_is_a_located_error(run, write) -> None:
    rules = write("objects: {}\n", "rules.yaml")
    result = run("matrix", "--rules", str(rules))
    assert result.exit_code == 2
    assert result.stderr == f"error: {rules}:1:10: objects: no risk_matrix in this CISO Assistant library\n"


def test_far_future_as_of_does_not_break_indicators(run, write) -> None:
    path = write(
        "as_of: 9999-12-31\nrisks: [{id: R1, title: t, likelihood: 2, impact: 2}]\nindicators: [{id: I1, title: x, review_every: 36500}]\n"
    )
    result = run("indicators", "--json", "--register", str(path))
    assert result.exit_code == 0
    assert json.loads(result.stdout)["indicators"][0]["overdue"] is False


def test_conflicting_what_if_moves_are_warned_about(run, reg) -> None:
    result = run("list", "--json", "--what-if", "A1=holds,I1", "--register", reg)
    assert result.exit_code == 0
    assert "warning: A1 is set by A1=holds and again by I1; the later move counts" in result.stderr
    hyp = json.loads(result.stdout)["hypothetical"]
    assert [(w["kind"], w["id"]) for w in hyp["what_if"]] == [("belief", "A1"), ("indicator", "I1")]
    assert hyp["what_if"][1]["sets"] == [{"assumption": "A1", "belief": 0.1}]
    assert hyp["overrides"] == [{"id": "A1", "first": "A1=holds", "then": "I1"}]


def test_show_gives_current_beliefs_and_applied_responses(run, reg) -> None:
    run("assume", "A1", "fails", "--register", reg)
    run("respond", "M1", "--register", reg)
    out = run("show", "R1", "--register", reg, env={"COLUMNS": "140"}).stdout
    assert "0.50 → 0.00" in out and "applied" in out
    data = json.loads(run("show", "R1", "--json", "--register", reg).stdout)["risk"]
    assert data["drivers"][0]["baseline_belief"] == 0.5 and data["drivers"][0]["belief"] == 0.0
    assert data["responses"] == [
        {
            "response": "M1",
            "title": "Second supplier",
            "kind": "response",
            "shift": {"likelihood": -1.0, "impact": 0.0},
            "applied": True,
        }
    ]
    under = json.loads(run("show", "R1", "--json", "--what-if", "A1=holds", "--register", reg).stdout)["risk"]
    assert under["drivers"][0]["belief"] == 1.0


def test_list_is_ordered_by_rating_first(run, write) -> None:
    # A grid that is not a plain product: (1, 4) is rated above (2, 2) though 4 = 4.
    text = REGISTER.replace(
        "  - {id: R3, title: Unlinked, likelihood: 1, impact: 1}",
        "  - {id: R3, title: Rare but major, likelihood: 1, impact: 4}\n  - {id: R4, title: Small, likelihood: 2, impact: 2}",
    )
    data = json.loads(run("list", "--json", "--register", str(write(text))).stdout)["risks"]
    ratings = [r["current"]["rating"]["id"] for r in data]
    order = ["critical", "high", "medium", "low"]
    assert ratings == sorted(ratings, key=order.index)
    assert [r["id"] for r in data][-2:] == ["R3", "R4"]


def _changed(run, old, new) -> dict[tuple[str, str], list[dict]]:
    """diff --json's changed items: (kind, id) → their changed fields."""
    result = run("diff", str(old), str(new), "--json")
    return {(c["kind"], c["id"]): c["fields"] for c in json.loads(result.stdout)["changed"]}


def test_diff_details_indicators_responses_and_scenarios(run, write) -> None:
    old = write(REGISTER, "old.yaml")
    new = write(
        REGISTER.replace("review_every: 7", "review_every: 10")
        .replace(
            "side_effects: [{risk: R2, impact: 1, note: costs more}]",
            "side_effects: [{risk: R2, impact: 2, note: costs more}]",
        )
        .replace("beliefs: {A1: fails}", "beliefs: {A1: 0.1}"),
        "new.yaml",
    )
    changed = _changed(run, old, new)
    assert changed[("indicator", "I1")] == [{"field": "review_every", "from": 7, "to": 10, "key": None}]
    side = [{"risk": "R2", "shift": {"likelihood": 0.0, "impact": x}, "note": "costs more"} for x in (1.0, 2.0)]
    assert changed[("response", "M1")] == [{"field": "side_effects", "from": side[:1], "to": side[1:], "key": None}]
    assert changed[("scenario", "squeeze")] == [
        {
            "field": "beliefs",
            "from": [{"assumption": "A1", "belief": 0.0}],
            "to": [{"assumption": "A1", "belief": 0.1}],
            "key": None,
        }
    ]


def test_history_by_risk_includes_what_moved_it(run, reg) -> None:
    run("assume", "A1", "fails", "--register", reg)  # drives R1
    run("assume", "A2", "fails", "--register", reg)  # drives R2 only
    run("observe", "I1", "--register", reg)  # sets A1
    run("respond", "M1", "--register", reg)  # acts on R1 (and R2)
    run("score", "R1", "-l", "4", "-i", "4", "--register", reg)
    run("undo", "--register", reg)  # undoes the score
    kinds = [
        e["kind"] for e in json.loads(run("history", "--risk", "R1", "--json", "--register", reg).stdout)["events"]
    ]
    assert kinds == ["belief", "observe", "respond", "score", "undo"]
    kinds = [
        e["kind"]
        for e in json.loads(run("history", "--assumption", "A1", "--json", "--register", reg).stdout)["events"]
    ]
    assert kinds == ["belief", "observe"]
    assert run("history", "--risk", "R3", "--register", reg).stderr.startswith("no matching events in ")


DIFF_OLD = """\
assumptions:
  - {id: A1, statement: Supplier delivers., belief: 0.5}
  - {id: A2, statement: Prices stay flat., belief: 0.6}
risks:
  - {id: R1, title: Production stops, likelihood: 3, impact: 4}
indicators:
  - id: I1
    title: Late shipment
    bears_on: [{assumption: A1, seen: 0.5, absent: 1.2}]
responses:
  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}]}
  - {id: M2, title: Stockpile}
scenarios:
  - {id: s1, title: Squeeze, beliefs: {A1: fails}}
"""


def test_diff_sees_every_field_of_every_item(run, write) -> None:
    old = write(DIFF_OLD, "old.yaml")
    new = write(
        DIFF_OLD.replace(
            "{id: A2, statement: Prices stay flat., belief: 0.6}",
            "{id: A2, statement: Prices stay flat., belief: 0.6, support: solid, excludes: [A1],"
            " given: {A1: {holds: 0.7, fails: 0.5}}, rationale: list prices}",
        )
        .replace(
            "likelihood: 3, impact: 4}",
            "likelihood: 3, impact: 4, owner: Jane, confidence: high, extra: {Notes: x, Cost: 3}}",
        )
        .replace("seen: 0.5, absent: 1.2}]", "seen: 0.4, absent: 1.2}]\n    rationale: two in a row")
        .replace("{id: M2, title: Stockpile}", "{id: M2, title: Stockpile, excludes: [M1], rationale: cash}")
        .replace("beliefs: {A1: fails}}", "beliefs: {A1: fails}, rationale: a bad quarter}"),
        "new.yaml",
    )
    changed = _changed(run, old, new)
    assert changed == {
        ("risk", "R1"): [
            {"field": "owner", "from": "", "to": "Jane", "key": None},
            {"field": "confidence", "from": None, "to": "high", "key": None},
            {"field": "extra", "from": None, "to": 3, "key": "Cost"},
            {"field": "extra", "from": None, "to": "x", "key": "Notes"},
        ],
        ("assumption", "A2"): [
            {"field": "rationale", "from": "", "to": "list prices", "key": None},
            {"field": "support", "from": "", "to": "solid", "key": None},
            {"field": "excludes", "from": [], "to": ["A1"], "key": None},
            {"field": "given.holds", "from": None, "to": 0.7, "key": "A1"},
            {"field": "given.fails", "from": None, "to": 0.5, "key": "A1"},
        ],
        ("indicator", "I1"): [
            {"field": "rationale", "from": "", "to": "two in a row", "key": None},
            {"field": "bears_on.seen", "from": 0.5, "to": 0.4, "key": "A1"},
        ],
        ("response", "M2"): [
            {"field": "rationale", "from": "", "to": "cash", "key": None},
            {"field": "excludes", "from": [], "to": ["M1"], "key": None},
        ],
        ("scenario", "s1"): [{"field": "rationale", "from": "", "to": "a bad quarter", "key": None}],
    }
    assert run("diff", "--exit-code", str(old), str(new)).exit_code == 1
    text = run("diff", str(old), str(new), env={"COLUMNS": "160"}).stdout
    assert re.search(r"owner +— +Jane", text) and "extra Notes" in text and "given.holds A1" in text


SIGNPOSTED = (
    SUPPLY
    + """\
indicators:
  - {id: I1, title: Late shipment, bears_on: [{assumption: A1, seen: 0.5, absent: 1.5}]}
"""
)


def test_history_filters_include_signposts_and_undone_undos(run, write) -> None:
    reg = str(write(SIGNPOSTED))
    run("assume", "A1", "fails", "--register", reg)
    run("observe", "I1", "absent", "--register", reg)  # evidence about A1: R1 rests on it
    run("undo", "1", "--register", reg)  # undoes the belief
    run("undo", "3", "--register", reg)  # undoes that undo: the belief is back, R1 moves again

    def kinds(*args: str) -> list[tuple[str, int]]:
        events = json.loads(run("history", *args, "--json", "--register", reg).stdout)["events"]
        return [(e["kind"], e["line"]) for e in events]

    everything = [("belief", 1), ("observe", 2), ("undo", 3), ("undo", 4)]
    assert kinds("--assumption", "A1") == everything
    assert kinds("--risk", "R1") == everything
    assert kinds("--risk", "R2") == []
    rows = run("history", "--register", reg).stdout.splitlines()
    assert "I1 looked for and not seen" in rows[2]


def test_diff_sees_notes_and_tells_text_from_numbers(run, write) -> None:
    old_text = DIFF_OLD.replace(
        "  - {id: R1, title: Production stops, likelihood: 3, impact: 4}",
        "  - id: R1\n    title: Production stops\n    likelihood: 3\n    impact: 4\n    extra: {Cost: '3'}\n"
        "    drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}, note: old}]",
    )
    old = write(old_text, "old.yaml")
    new = write(
        old_text.replace("note: old}", "note: new}")
        .replace("Cost: '3'", "Cost: 3")
        .replace("seen: 0.5, absent: 1.2}", "seen: 0.5, absent: 1.2, note: two sources}")
        .replace("effects: [{risk: R1, likelihood: -1}]", "effects: [{risk: R1, likelihood: -1, note: faster}]"),
        "new.yaml",
    )
    changed = _changed(run, old, new)
    assert changed[("risk", "R1")] == [
        {"field": "driver.note", "from": "old", "to": "new", "key": "A1"},
        {"field": "extra", "from": "3", "to": 3, "key": "Cost"},
    ]
    assert changed[("indicator", "I1")] == [{"field": "bears_on.note", "from": "", "to": "two sources", "key": "A1"}]
    assert [f["field"] for f in changed[("response", "M1")]] == ["effects"]
    text = run("diff", str(old), str(new), env={"COLUMNS": "160"}).stdout
    assert re.search(r"extra Cost +\"3\" +3\b", text), text
    assert "R1 L -1 (faster)" in text


def test_what_if_signposts_compound_and_say_what_was_found(run, write) -> None:
    reg = str(write(SIGNPOSTED))
    both = run("list", "--what-if", "I1,I1=absent", "--register", reg, env={"COLUMNS": "120"})
    assert both.exit_code == 0, both.stderr
    assert "the later move counts" not in both.stderr  # evidence compounds: nothing is overridden
    assert "I1 looked for and not seen" in both.stdout + both.stderr
    beliefs = json.loads(run("assumptions", "--json", "--what-if", "I1,I1=absent", "--register", reg).stdout)
    (a1,) = [a for a in beliefs["assumptions"] if a["id"] == "A1"]
    odds = 0.5 / 0.5 * 0.5 * 1.5  # seen (ratio 0.5), then absent (ratio 1.5)
    assert a1["belief"] == pytest.approx(odds / (1 + odds))
    override = run("list", "--what-if", "I1,A1=0.9", "--register", reg)
    assert "A1 is set by I1 and again by A1=0.9; the later move counts" in override.stderr


def test_diff_of_an_added_driver_or_signpost_bearing_shows_no_note_row(run, write) -> None:
    old = write(DIFF_OLD, "old.yaml")
    new = write(
        DIFF_OLD.replace(
            "  - {id: R1, title: Production stops, likelihood: 3, impact: 4}",
            "  - {id: R1, title: Production stops, likelihood: 3, impact: 4,"
            " drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}]}",
        ).replace("absent: 1.2}]", "absent: 1.2}, {assumption: A2, seen: 2}]"),
        "new.yaml",
    )
    changed = {item: [(f["field"], f["key"]) for f in fields] for item, fields in _changed(run, old, new).items()}
    assert changed == {
        ("risk", "R1"): [("driver", "A1")],
        ("indicator", "I1"): [("bears_on.seen", "A2"), ("bears_on.absent", "A2")],
    }


def _events(tmp_path: Path, name: str = "reg.journal.jsonl") -> list[dict]:
    path = tmp_path / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def _beliefs(run, watched: str) -> dict[str, float]:
    result = run("assumptions", "--json", "--register", watched)
    assert result.exit_code == 0, result.stderr
    return {a["id"]: a["belief"] for a in json.loads(result.stdout)["assumptions"]}


# --------------------------------------------------------------------------- observe --none


def test_observe_none_records_a_review_that_moves_no_belief(run, watched, tmp_path) -> None:
    result = run("observe", "I1", "--none", "--register", watched)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "I1 reviewed: nothing to record; no belief moves, and its review clock starts again\n"
    assert _beliefs(run, watched) == {"A1": 0.5, "A2": 0.8}
    assert [(e["kind"], e["outcome"]) for e in _events(tmp_path)] == [("observe", "none")]


def test_observe_none_resets_the_overdue_clock(run, watched) -> None:
    def i1() -> dict:
        result = run("indicators", "--json", "--register", watched)
        assert result.exit_code == 0, result.stderr
        (row,) = json.loads(result.stdout)["indicators"]
        return row

    assert i1()["overdue"] is True
    assert run("observe", "I1", "--none", "--register", watched).exit_code == 0
    today = datetime.now(UTC).date().isoformat()
    row = i1()
    assert (row["last_observed"], row["overdue"], row["days"]) == (today, False, 30)
    shown = run("indicators", "--register", watched)
    assert today in shown.stdout and "overdue" not in shown.stdout


def test_overdue_counts_against_every_indicator_of_the_register(run, write) -> None:
    two = WATCHED.replace(
        "indicators:\n", "indicators:\n  - {id: I0, title: Price index, review_every: 36500, updates: []}\n"
    )
    reg = str(write(two))
    result = run("indicators", "--overdue", "--register", reg, env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.stderr
    assert "I1" in result.stdout and "I0" not in result.stdout
    assert result.stderr == "1 of 2 indicators overdue for review\n"
    data = json.loads(run("indicators", "--overdue", "--json", "--register", reg).stdout)
    assert (data["total"], [i["id"] for i in data["indicators"]]) == (2, ["I1"])


# --------------------------------------------------------------------------- scenarios


def test_scenarios_lists_the_registers_scenarios(run, watched) -> None:
    result = run("scenarios", "--register", watched)
    assert result.exit_code == 0, result.stderr
    (row,) = [line.split() for line in result.stdout.splitlines() if line.strip().startswith("squeeze")]
    assert row == ["squeeze", "Supply", "squeeze", "A1", "0.00,", "A2", "0.10", "2", "1"]


def test_scenarios_json(run, watched) -> None:
    result = run("scenarios", "--json", "--register", watched)
    assert result.exit_code == 0, result.stderr
    (sc,) = json.loads(result.stdout)["scenarios"]
    assert (sc["id"], sc["title"], sc["moved"], sc["rating_changes"]) == ("squeeze", "Supply squeeze", 2, 1)
    assert sc["beliefs"] == [{"assumption": "A1", "belief": 0.0}, {"assumption": "A2", "belief": 0.1}]


def test_evidence_on_a_belief_fixed_by_assume_says_how_to_free_it(run, write) -> None:
    reg = str(write(SUPPLY + "indicators:\n  - {id: I1, title: t, bears_on: [{assumption: A1, seen: 3}]}\n"))
    run("assume", "A1", "holds", "--register", reg)
    result = run("observe", "I1", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert (
        "A1 is fixed at 0 or 1 by assume; evidence does not move it "
        "(assume a belief between 0 and 1, such as 0.8, to let it)\n" in result.stderr
    )


@pytest.mark.parametrize("outcome", ["seen", "absent", "SEEN"])
def test_an_outcome_and_none_together_are_refused(run, watched, tmp_path, outcome) -> None:
    result = run("observe", "I1", outcome, "--none", "--register", watched)
    assert result.exit_code == 2
    assert result.stderr == f"error: give {outcome.lower()} or --none, not both\n"
    assert _events(tmp_path) == []


def test_a_what_if_on_a_scenario_says_which_set_each_belief_and_what_was_observed(run) -> None:
    """A move adds to the scenario's evidence: A8 is the scenario's 0.20 with I6 seen on top,
    not a belief given anew."""
    out = run("explain", "R14", "--scenario", "contained", "--what-if", "I6", "--json").stdout
    a8 = next(c for c in json.loads(out)["contributions"] if c["ref"] == "A8")
    assert a8["evidence"] == [
        {
            "on": "A8",
            "via": [],
            "set": {"value": 0.2, "by": "scenario", "ref": "contained"},
            "observations": [{"indicator": "I6", "outcome": "seen", "count": 1, "ratio": 2.5}],
        }
    ]
    shown = run("explain", "R14", "--scenario", "contained", "--what-if", "I6", env={"COLUMNS": "200"}).stdout
    assert "scenario contained: 0.20, I6 seen ×2.5 on A8" in shown


def test_what_if_moves_apply_in_order_each_belief_set_by_its_own_move(run) -> None:
    """A8 is set to 0.5, then I6 is seen (×2.5 on A8), then A7 is set: A8 keeps the sighting on top
    of its 0.5, and A7's belief is set by its own move alone."""
    out = json.loads(run("explain", "R14", "--what-if", "A8=0.5,I6,A7=0.9", "--json").stdout)
    by_ref = {c["ref"]: c for c in out["contributions"]}
    assert by_ref["A8"]["belief_to"] == pytest.approx(2.5 / 3.5)  # odds 1 × 2.5
    assert by_ref["A8"]["evidence"][0]["set"] == {"value": 0.5, "by": "what_if", "ref": "A8=0.5"}
    assert by_ref["A7"]["belief_to"] == pytest.approx(0.9)
    assert by_ref["A7"]["evidence"][0]["set"] == {"value": 0.9, "by": "what_if", "ref": "A7=0.9"}


def test_the_refusal_names_every_view_that_takes_what_if_and_each_one_does(run) -> None:
    """The list in the refusal is the one the views are opened by: each view it names shows the
    register under --what-if (report, simulate, sensitivity and disagreements were left out of it)."""
    from riskcli.results.request import HYPOTHETICAL

    refused = run("--what-if", "A1=fails", "check")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "error: --scenario and --what-if do not apply to check; use them with list, show, assumptions, matrix, "
        "explain, responses, report, simulate, sensitivity or disagreements\n"
    )
    args = {"show": ("R1",), "explain": ("R1",), "simulate": ("--trials", "200"), "sensitivity": ("--trials", "200")}
    for view in HYPOTHETICAL:
        result = run("--what-if", "A1=fails", view, *args.get(view, ()), "--json")
        assert result.exit_code == 0, (view, result.stderr)
        data = json.loads(result.stdout)
        assert data["hypothetical"]["what_if"], view


def test_a_bad_combine_is_one_plain_line(run) -> None:
    result = run("--combine", "avg", "matrix")
    assert result.exit_code == 2
    assert result.stderr == "error: --combine 'avg' is not one of last, median, mean, geo-odds (see 'riskcli --help')\n"
    report = run("report", "--format", "pdf")
    assert report.stderr.startswith("error: --format 'pdf' is not one of md, html, svg, json (")
