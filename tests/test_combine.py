"""Several analysts: each one's latest judgement stays in force and the views read their
combination — beliefs by the geometric mean of odds, levels by the median (``riskcli.combine``)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from riskcli import combine, journal, register, scoring
from riskcli.model import Combine, Register

# --------------------------------------------------------------------------- the rules


def test_the_median_of_levels_2_and_5_is_3_5() -> None:
    assert combine.level([2.0, 5.0], Combine.MEDIAN) == 3.5
    assert combine.level([2.0, 5.0], Combine.GEO_ODDS) == 3.5  # levels are not probabilities: the median
    assert combine.level([1.0, 2.0, 5.0], Combine.MEDIAN) == 2.0


def test_the_geometric_mean_of_the_odds_of_0_9_and_0_5_is_0_75() -> None:
    assert combine.belief([0.9, 0.5], Combine.GEO_ODDS) == pytest.approx(0.75)
    assert combine.belief([0.9, 0.5], Combine.MEAN) == pytest.approx(0.7)
    assert combine.belief([0.9, 0.5], Combine.MEDIAN) == pytest.approx(0.7)
    assert combine.belief([0.2, 0.2, 0.2], Combine.GEO_ODDS) == pytest.approx(0.2)


def test_last_takes_the_latest_and_one_value_is_itself() -> None:
    assert combine.level([2.0, 5.0, 3.0], Combine.LAST) == 3.0
    assert combine.belief([0.9, 0.1], Combine.LAST) == 0.1
    for rule in Combine:
        assert combine.level([4.0], rule) == 4.0
        assert combine.belief([0.35], rule) == 0.35


def test_the_mean_of_levels() -> None:
    assert combine.level([1.0, 2.0, 5.0], Combine.MEAN) == pytest.approx(8 / 3)


def test_certainty_in_the_odds() -> None:
    """Log-odds of 0 and 1 are infinite: one analyst certain (and none certain the other way)
    decides; certainty both ways is read by the median."""
    assert combine.geo_odds([1.0, 0.3]) == 1.0
    assert combine.geo_odds([0.0, 0.7]) == 0.0
    assert combine.geo_odds([0.0, 1.0]) == 0.5
    assert combine.geo_odds([0.0, 1.0, 1.0]) == 1.0


def test_disagreement_thresholds() -> None:
    assert combine.levels_disagree(2.0) and not combine.levels_disagree(1.9)
    assert combine.beliefs_disagree(0.31) and not combine.beliefs_disagree(0.3)
    assert combine.spread([2.0, 5.0, 3.0]) == 3.0 and combine.spread([]) == 0.0


def test_a_judgement_older_than_its_review_period_is_stale() -> None:
    today = date(2025, 3, 31)
    assert combine.stale("2025-03-01T10:00:00.000000Z", 29, today)
    assert not combine.stale("2025-03-01T10:00:00.000000Z", 30, today)
    assert not combine.stale("2020-01-01T00:00:00Z", None, today)  # no review period: never stale
    assert not combine.stale("not a time", 1, today)


# --------------------------------------------------------------------------- the replay


@cache
def _embedded() -> Register:
    return register.load(None)


def _ev(ident: str, at: str, kind: str, by: str, **data: object) -> dict[str, object]:
    return {"v": 1, "id": ident, "at": at, "by": by, "kind": kind, **data}


def _replay(objs: list[dict[str, object]], reg: Register | None = None) -> scoring.State:
    reg = reg or _embedded()
    events = [journal.event_from(dict(o), n, "j.jsonl") for n, o in enumerate(objs, 1)]
    return journal.replay(reg, events).state


_T1, _T2, _T3 = "2025-03-01T10:00:00.000000Z", "2025-03-02T10:00:00.000000Z", "2025-03-03T10:00:00.000000Z"


def test_every_analysts_latest_score_stays_in_force() -> None:
    st = _replay(
        [
            _ev("a1", _T1, "score", "alice", risk="R1", likelihood=1, impact=1),
            _ev("b1", _T2, "score", "bob", risk="R1", likelihood=5, impact=4),
            _ev("a2", _T3, "score", "alice", risk="R1", likelihood=2, impact=4),
        ]
    )
    assert {by: (a.likelihood, a.impact) for by, a in st.panel["R1"].items()} == {"alice": (2, 4), "bob": (5, 4)}
    assert st.scores["R1"].by == "alice"
    reg = _embedded()
    x = scoring.score_risk(reg, reg.risk_by_id["R1"], st)
    assert (x.likelihood, x.impact) == (3.5, 4.0)


def test_one_analyst_scores_as_before() -> None:
    """With one analyst nothing changes: their latest score is the anchor."""
    st = _replay(
        [
            _ev("a1", _T1, "score", "alice", risk="R1", likelihood=1, impact=1),
            _ev("a2", _T2, "score", "alice", risk="R1", likelihood=4, impact=2),
        ]
    )
    reg = _embedded()
    x = scoring.score_risk(reg, reg.risk_by_id["R1"], st)
    assert (x.likelihood, x.impact) == (4.0, 2.0)
    assert list(st.panel["R1"]) == ["alice"]


def test_the_register_chooses_the_rule() -> None:
    from dataclasses import replace

    objs = [
        _ev("a1", _T1, "score", "alice", risk="R1", likelihood=1, impact=1),
        _ev("b1", _T2, "score", "bob", risk="R1", likelihood=5, impact=4),
        _ev("c1", _T3, "score", "carol", risk="R1", likelihood=2, impact=2),
    ]
    reg = _embedded()
    risk = reg.risk_by_id["R1"]
    got = {}
    for rule in Combine:
        r = replace(reg, combine=rule)
        x = scoring.score_risk(r, risk, _replay(objs, r))
        got[rule] = (x.likelihood, x.impact)
    assert got[Combine.LAST] == (2.0, 2.0)
    assert got[Combine.MEDIAN] == got[Combine.GEO_ODDS] == (2.0, 2.0)
    assert got[Combine.MEAN] == (pytest.approx(8 / 3), pytest.approx(7 / 3))


def test_beliefs_combine_by_the_geometric_mean_of_odds() -> None:
    st = _replay(
        [
            _ev("a1", _T1, "belief", "alice", assumption="A9", belief=0.9),
            _ev("b1", _T2, "belief", "bob", assumption="A9", belief=0.5),
        ]
    )
    assert st.beliefs["A9"] == pytest.approx(0.75)
    assert {by: b.belief for by, b in st.opinions["A9"].items()} == {"alice": 0.9, "bob": 0.5}


def test_an_undone_judgement_gives_way_to_the_analysts_one_before() -> None:
    st = _replay(
        [
            _ev("a1", _T1, "belief", "alice", assumption="A9", belief=0.9),
            _ev("b1", _T2, "belief", "bob", assumption="A9", belief=0.5),
            _ev("b2", _T3, "belief", "bob", assumption="A9", belief=0.1),
            _ev("u1", "2025-03-04T00:00:00.000000Z", "undo", "bob", undoes="b2"),
        ]
    )
    assert st.beliefs["A9"] == pytest.approx(0.75)


# --------------------------------------------------------------------------- the commands


def _two(run, path: Path) -> None:
    for who, lk in (("alice", "2"), ("bob", "5")):
        r = run("--analyst", who, "score", "R1", "-l", lk, "-i", "4", "--why", f"{who}'s view", "--journal", str(path))
        assert r.exit_code == 0, r.stderr
    for who, b in (("alice", "0.9"), ("bob", "0.5")):
        r = run("--analyst", who, "assume", "A9", b, "--journal", str(path))
        assert r.exit_code == 0, r.stderr


def _current(run, path: Path, *args: str) -> dict[str, float]:
    r = run("show", "R1", "--json", "--journal", str(path), *args)
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)["risk"]["current"]


def test_two_analysts_scores_show_as_their_median(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    assert _current(run, path)["likelihood"] == 3.5
    beliefs = json.loads(run("assumptions", "--json", "--journal", str(path)).stdout)["assumptions"]
    assert next(a for a in beliefs if a["id"] == "A9")["belief"] == pytest.approx(0.75)


def test_combine_chooses_the_rule_per_command(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    assert _current(run, path, "--combine", "last")["likelihood"] == 5.0
    assert _current(run, path, "--combine", "mean")["likelihood"] == 3.5
    r = run("show", "R1", "--combine", "vote", "--journal", str(path))
    assert r.exit_code == 2 and "vote" in r.stderr


def test_analyst_shows_one_analysts_own_picture(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    assert _current(run, path, "--analyst", "alice")["likelihood"] == 2.0
    assert _current(run, path, "--analyst", "bob")["likelihood"] == 5.0
    r = run("assumptions", "--json", "--analyst", "alice", "--journal", str(path))
    assert next(a for a in json.loads(r.stdout)["assumptions"] if a["id"] == "A9")["belief"] == pytest.approx(0.9)


def test_the_analyst_named_by_the_environment_records_but_sees_the_team(run, tmp_path, monkeypatch) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    monkeypatch.setenv("RISKCLI_ANALYST", "alice")
    assert _current(run, path)["likelihood"] == 3.5


def test_a_register_states_its_rule(run, tmp_path) -> None:
    text = (Path(__file__).parent.parent / "rules" / "starter.yaml").read_text()
    reg = tmp_path / "mine.yaml"
    reg.write_text("combine: last\n" + text)
    assert run("validate", "--register", str(reg)).exit_code == 0
    path = tmp_path / "j.jsonl"
    risk = register.load(reg).risks[0].id
    for who, lk in (("alice", "1"), ("bob", "3")):
        r = run("--analyst", who, "score", risk, "-l", lk, "-i", "1", "--register", str(reg), "--journal", str(path))
        assert r.exit_code == 0, r.stderr
    r = run("show", risk, "--json", "--register", str(reg), "--journal", str(path))
    assert json.loads(r.stdout)["risk"]["current"]["likelihood"] == 3.0
    bad = tmp_path / "bad.yaml"
    bad.write_text("combine: vote\n" + text)
    r = run("validate", "--register", str(bad))
    assert r.exit_code == 2 and "combine" in r.stdout + r.stderr


# --------------------------------------------------------------------------- what the views show


def test_show_lists_each_analysts_view(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    team = json.loads(run("show", "R1", "--json", "--journal", str(path)).stdout)["risk"]["team"]
    assert team["combine"] == "geo-odds"
    assert [(a["by"], a["given"]["likelihood"], a["why"]) for a in team["analysts"]] == [
        ("alice", 2.0, "alice's view"),
        ("bob", 5.0, "bob's view"),
    ]
    assert team["combined"] == {"likelihood": 3.5, "impact": 4.0}
    assert team["spread"] == {"likelihood": 3.0, "impact": 0.0} and team["disagree"] is True
    shown = " ".join(run("show", "R1", "--journal", str(path)).stdout.split())
    assert "2 analysts, combined by the median — they disagree" in shown
    assert "alice's view" in shown and "bob's view" in shown


def test_explain_starts_from_the_combination_and_lists_each_analyst(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    data = json.loads(run("explain", "R1", "--json", "--journal", str(path)).stdout)
    assert data["start"] == {"likelihood": 3.5, "impact": 4.0}
    assert [a["by"] for a in data["team"]["analysts"]] == ["alice", "bob"]
    text = " ".join(run("explain", "R1", "--journal", str(path)).stdout.split())
    assert "2 analysts, combined by the median," in text and "replaced by the analyst scores combined below" in text


def test_one_analyst_shows_no_team(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    assert run("score", "R1", "-l", "2", "-i", "4", "--journal", str(path)).exit_code == 0
    risk = json.loads(run("show", "R1", "--json", "--journal", str(path)).stdout)["risk"]
    assert risk["team"] is None and risk["analyst"]["likelihood"] == 2.0
    assert json.loads(run("list", "--json", "--journal", str(path)).stdout)["disagree"] == []


def test_list_and_matrix_mark_where_analysts_disagree(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    assert json.loads(run("list", "--json", "--journal", str(path)).stdout)["disagree"] == ["R1"]
    assert json.loads(run("matrix", "--json", "--journal", str(path)).stdout)["disagree"] == ["R1"]
    listed = run("list", "--journal", str(path))
    assert "±: analysts disagree by two levels or more on R1" in listed.stderr
    m = run("matrix", "--journal", str(path))
    assert "R1±" in m.stdout and "±: analysts disagree by two levels or more on R1" in m.stderr


def test_levels_one_apart_are_no_disagreement(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    for who, lk in (("alice", "2"), ("bob", "3")):
        assert run("--analyst", who, "score", "R1", "-l", lk, "-i", "4", "--journal", str(path)).exit_code == 0
    assert json.loads(run("list", "--json", "--journal", str(path)).stdout)["disagree"] == []
    r = run("disagreements", "--journal", str(path))
    assert r.exit_code == 0 and "no disagreement: 1 risk or assumption is judged by two analysts" in r.stderr


def test_disagreements_lists_the_widest_first(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    scores = (("alice", "R1", "2", "4"), ("bob", "R1", "4", "4"), ("alice", "R2", "1", "1"), ("bob", "R2", "5", "2"))
    for who, risk, lk, im in scores:
        assert run("--analyst", who, "score", risk, "-l", lk, "-i", im, "--journal", str(path)).exit_code == 0
    for who, b in (("alice", "0.9"), ("bob", "0.5"), ("carol", "0.55")):
        assert run("--analyst", who, "assume", "A9", b, "--journal", str(path)).exit_code == 0
    data = json.loads(run("disagreements", "--json", "--journal", str(path)).stdout)
    assert [d["id"] for d in data["risks"]] == ["R2", "R1"]  # 4 levels apart, then 2
    assert [d["id"] for d in data["assumptions"]] == ["A9"]
    assert data["assumptions"][0]["team"]["spread"] == pytest.approx(0.4)
    assert data["judged"] == 3 and data["combine"] == "geo-odds"
    text = run("disagreements", "--journal", str(path)).stdout
    assert text.index("R2") < text.index("R1") < text.index("A9")


def test_disagreements_counts_one_risk_in_the_singular(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    for who, lk in (("alice", "1"), ("bob", "4")):
        assert run("--analyst", who, "score", "R1", "-l", lk, "-i", "4", "--journal", str(path)).exit_code == 0
    r = run("disagreements", "--journal", str(path))
    assert r.exit_code == 0 and "1 risk two levels or more apart, 0 assumptions more than 0.3 apart" in r.stderr


def test_a_judgement_older_than_the_review_period_is_marked_stale(run, tmp_path) -> None:
    reg = tmp_path / "mine.yaml"
    text = (Path(__file__).parent.parent / "rules" / "starter.yaml").read_text()
    reg.write_text(text.replace("    category: operations\n", "    category: operations\n    review_every: 30\n", 1))
    path = tmp_path / "j.jsonl"
    old = {"v": 1, "id": "old1", "at": "2025-01-01T00:00:00.000000Z", "by": "alice", "kind": "score"}
    new = {"v": 1, "id": "new1", "at": "2025-03-01T00:00:00.000000Z", "by": "bob", "kind": "score"}
    lines = [{**old, "risk": "R1", "likelihood": 1, "impact": 4}, {**new, "risk": "R1", "likelihood": 5, "impact": 4}]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    args = ("--register", str(reg), "--journal", str(path), "--as-of", "2025-03-15")
    team = json.loads(run("show", "R1", "--json", *args).stdout)["risk"]["team"]
    assert [(a["by"], a["stale"]) for a in team["analysts"]] == [("alice", True), ("bob", False)]
    assert "stale" in run("disagreements", *args).stdout


def test_assumptions_show_each_analysts_belief(run, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    _two(run, path)
    rows = json.loads(run("assumptions", "--json", "--journal", str(path)).stdout)["assumptions"]
    team = next(a for a in rows if a["id"] == "A9")["team"]
    assert [(a["by"], a["belief"]) for a in team["analysts"]] == [("alice", 0.9), ("bob", 0.5)]
    assert team["combined"] == pytest.approx(0.75) and team["disagree"] is True
    assert "combined by the geometric mean of their odds" in run("assumptions", "--journal", str(path)).stdout


def test_folding_more_events_leaves_the_state_folded_from_as_it_was() -> None:
    """A replay extended with later events (as a read after a checkpoint does) copies an
    analysts' map before changing it: the state it started from keeps its own."""
    from riskcli.journal.replay import extend

    reg = _embedded()
    first = [
        journal.event_from(_ev("a1", _T1, "score", "alice", risk="R1", likelihood=1, impact=1), 1, "j"),
        journal.event_from(_ev("a2", _T1, "belief", "alice", assumption="A9", belief=0.9), 2, "j"),
    ]
    rp = journal.replay(reg, first)
    later = [
        journal.event_from(_ev("b1", _T2, "score", "bob", risk="R1", likelihood=5, impact=5), 3, "j"),
        journal.event_from(_ev("b2", _T2, "belief", "bob", assumption="A9", belief=0.5), 4, "j"),
    ]
    more = extend(reg, rp, later)
    assert set(more.state.panel["R1"]) == {"alice", "bob"} and set(more.state.opinions["A9"]) == {"alice", "bob"}
    assert set(rp.state.panel["R1"]) == {"alice"} and set(rp.state.opinions["A9"]) == {"alice"}
    assert more.state == journal.replay(reg, first + later).state


def test_the_combination_takes_its_time_from_the_latest_analyst_and_combines_their_confidence(run, tmp_path) -> None:
    """The latest by time, not by name: carol, then bob, then alice; their confidences by the median
    (high, moderate, low: moderate), and ``last`` takes alice's."""
    path = tmp_path / "j.jsonl"
    for who, lk, confidence in (("carol", "5", "high"), ("bob", "4", "moderate"), ("alice", "2", "low")):
        r = run("--analyst", who, "score", "R1", "-l", lk, "-i", "4", "-c", confidence, "--journal", str(path))
        assert r.exit_code == 0, r.stderr
    data = json.loads(run("explain", "R1", "--json", "--journal", str(path)).stdout)
    assert [a["by"] for a in data["team"]["analysts"]] == ["carol", "bob", "alice"]
    assert [a["confidence"] for a in data["team"]["analysts"]] == ["high", "moderate", "low"]
    assert data["start"] == {"likelihood": 4.0, "impact": 4.0}  # the median
    assert data["confidence"] == data["team"]["confidence"] == "moderate"
    assert data["analyst"]["at"] == data["team"]["analysts"][-1]["at"]
    last = json.loads(run("--combine", "last", "explain", "R1", "--json", "--journal", str(path)).stdout)
    assert last["confidence"] == "low"


def test_confidence_combines_as_levels_do_by_rank_over_the_analysts_who_gave_one() -> None:
    from riskcli.model import Confidence as C

    assert combine.confidence([C.MODERATE, None], Combine.MEDIAN) is C.MODERATE  # none given is no vote
    assert combine.confidence([C.MODERATE, C.HIGH], Combine.GEO_ODDS) is C.MODERATE  # half-way: the lower
    assert combine.confidence([C.LOW, C.HIGH], Combine.MEDIAN) is C.MODERATE
    assert combine.confidence([C.HIGH, C.HIGH, C.LOW], Combine.MEDIAN) is C.HIGH
    assert combine.confidence([C.HIGH, C.HIGH, C.LOW], Combine.MEAN) is C.MODERATE  # rank 4/3
    assert combine.confidence([C.HIGH, C.HIGH, C.MODERATE], Combine.MEAN) is C.HIGH  # rank 5/3
    assert combine.confidence([C.HIGH, None], Combine.LAST) is None  # the latest's alone
    assert combine.confidence([None, None], Combine.MEDIAN) is None


def test_an_analyst_s_confidence_stays_when_a_colleague_scores_without_one(run, tmp_path) -> None:
    """alice scores with moderate confidence, bob without: the risk's confidence is alice's
    everywhere (show, list --json, the CSV, each analyst's row), said as hers; carol adds high:
    theirs combined, said as such."""
    reg = tmp_path / "c.yaml"
    reg.write_text("id: c\nrisks:\n  - {id: R1, title: Production stops, likelihood: 3, impact: 4}\n")
    r = ("-r", str(reg))
    assert run(*r, "--analyst", "alice", "score", "R1", "-l", "4", "--confidence", "moderate").exit_code == 0
    assert run(*r, "--analyst", "bob", "score", "R1", "-l", "4").exit_code == 0
    shown = run(*r, "show", "R1").stdout
    assert "confidence  moderate (alice's; bob gave none; ICD 203 analytic confidence)" in shown
    rows = {line.split()[0]: line.split()[-3] for line in shown.splitlines() if line.startswith(("  alice ", "  bob "))}
    assert rows == {"alice": "moderate", "bob": "4"}  # each analyst's row: bob's has none
    risk = json.loads(run(*r, "show", "R1", "--json").stdout)["risk"]
    assert risk["confidence"] == "moderate" and risk["team"]["confidence"] == "moderate"
    assert [a["confidence"] for a in risk["team"]["analysts"]] == ["moderate", None]
    assert json.loads(run(*r, "list", "--json").stdout)["risks"][0]["confidence"] == "moderate"
    assert run(*r, "export", "-o", str(tmp_path / "x.csv")).exit_code == 0
    assert ",moderate," in (tmp_path / "x.csv").read_text(encoding="utf-8")
    assert run(*r, "--analyst", "carol", "score", "R1", "-l", "4", "--confidence", "high").exit_code == 0
    shown = " ".join(run(*r, "show", "R1").stdout.split())
    assert "confidence moderate (alice's and carol's combined; bob gave none; ICD 203 analytic confidence)" in shown


def test_each_analysts_score_moves_with_what_changed_since_they_gave_it(run, tmp_path) -> None:
    """alice and bob score R1, then A3 fails (R1's likelihood 1.4 lower than at A3's 0.7): each
    one's score stands that much lower now, held to the scale, and the combination is of those."""
    path = tmp_path / "j.jsonl"
    for who, lk in (("alice", "2"), ("bob", "5")):
        assert run("--analyst", who, "score", "R1", "-l", lk, "-i", "4", "--journal", str(path)).exit_code == 0
    assert run("--analyst", "carol", "assume", "A3", "fails", "--journal", str(path)).exit_code == 0
    risk = json.loads(run("show", "R1", "--json", "--journal", str(path)).stdout)["risk"]
    assert [(a["by"], a["given"]["likelihood"]) for a in risk["team"]["analysts"]] == [("alice", 2.0), ("bob", 5.0)]
    assert [a["now"]["likelihood"] for a in risk["team"]["analysts"]] == [1.0, pytest.approx(3.6)]  # 0.6 held to 1
    assert risk["current"]["likelihood"] == pytest.approx(2.3)  # the median of 1 and 3.6
