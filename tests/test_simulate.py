"""simulate: draws of the assumptions, exact enumeration, linked assumptions, split risks,
matrix --simulated and the coherence of conditional beliefs."""

from __future__ import annotations

import ast
import io
import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskcli import register, scoring
from riskcli import simulate as sim
from riskcli.model import Register
from riskcli.render.analysis import progress
from riskcli.render.streams import Out

# R1 rests on two assumptions, A2 linked to A1. By hand, R1's likelihood in a draw is
# 3 + 2 (s1 - 0.5) + 2 (s2 - 0.55) = 0.9 + 2 (s1 + s2): level 1 when both fail (clamped from 0.9),
# 3 when one holds, 5 when both hold; impact 3 throughout, so Low, Medium or Critical.
# Linked: P(both) = 0.5 × 0.9 = 0.45, P(neither) = 0.5 × 0.8 = 0.40, P(one) = 0.15.
# Unlinked (A2 at 0.55): 0.275, 0.225 and 0.5.
LINKED = """\
title: Linked
assumptions:
  - {id: A1, statement: The supplier stays solvent., belief: 0.5}
  - id: A2
    statement: The supplier delivers on time.
    belief: 0.55
    given: {A1: {holds: 0.9, fails: 0.2}}
risks:
  - id: R1
    title: Production stops
    likelihood: 3
    impact: 3
    drivers:
      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
      - {assumption: A2, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
  - id: R2
    title: Budget overrun
    likelihood: 2
    impact: 4
    drivers:
      - {assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 1}}
  - {id: R3, title: Unlinked, likelihood: 1, impact: 1}
"""
UNLINKED = LINKED.replace("    given: {A1: {holds: 0.9, fails: 0.2}}\n", "")

# Independent assumptions with uneven beliefs, shifts of several sizes on both axes, a clamped
# risk and a risk resting on four assumptions: for exact against sampled.
MIXED = """\
title: Mixed
assumptions:
  - {id: A1, statement: One., belief: 0.3}
  - {id: A2, statement: Two., belief: 0.8}
  - {id: A3, statement: Three., belief: 0.55}
  - {id: A4, statement: Four., belief: 0.1}
risks:
  - id: R1
    title: Wide
    likelihood: 3
    impact: 4
    drivers:
      - {assumption: A1, if_holds: {likelihood: 1.5}, if_fails: {likelihood: -0.5}}
      - {assumption: A2, if_holds: {likelihood: -1, impact: 1}, if_fails: {likelihood: 1}}
      - {assumption: A3, if_holds: {impact: 0.5}, if_fails: {impact: -1}}
      - {assumption: A4, if_holds: {likelihood: 2}, if_fails: {likelihood: -0.25}}
  - id: R2
    title: Clamped
    likelihood: 5
    impact: 5
    drivers:
      - {assumption: A1, if_holds: {likelihood: 2}, if_fails: {likelihood: -2}}
  - id: R3
    title: Two
    likelihood: 2
    impact: 3
    drivers:
      - {assumption: A3, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
      - {assumption: A2, if_holds: {likelihood: 0.5, impact: 1}, if_fails: {likelihood: -0.5}}
  - id: R4
    title: Three
    likelihood: 4
    impact: 2
    drivers:
      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
      - {assumption: A3, if_holds: {impact: 1}, if_fails: {impact: -1}}
      - {assumption: A4, if_holds: {impact: 2}, if_fails: {impact: 0}}
"""


def _load(write, text: str, name: str = "reg.yaml") -> Register:
    return register.load(write(text, name))


def _bands(result, risk: str) -> dict[str, float]:
    r = next(x for x in result["risks"] if x["id"] == risk)
    return {b["rating"]["id"]: b["probability"] for b in r["bands"]}


def _sim(run, path, *args: str) -> dict:
    result = run("simulate", "--json", "--register", str(path), *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


# --------------------------------------------------------------------------- reproducible, exact


def test_a_seeded_run_is_reproducible_byte_for_byte(run, write) -> None:
    """The same seed gives the same output, JSON and text alike."""
    path = str(write(MIXED))
    a = run("simulate", "--register", path, "--seed", "11", "--json")
    b = run("simulate", "--register", path, "--seed", "11", "--json")
    assert a.exit_code == 0 and a.stdout == b.stdout
    assert json.loads(a.stdout)["seed"] == 11
    text = [run("simulate", "--register", path, "--seed", "11", "--trials", "3000").stdout for _ in range(2)]
    assert text[0] == text[1] and "3,000 draws (seed 11)" in text[0]


def test_an_unseeded_run_reports_the_seed_that_reproduces_it(run, write) -> None:
    """Without --seed, the seed drawn is in the output, and giving it back reproduces the run."""
    path = str(write(MIXED))
    first = json.loads(run("simulate", "--register", path, "--json", "--trials", "500").stdout)
    again = run("simulate", "--register", path, "--json", "--trials", "500", "--seed", str(first["seed"]))
    assert json.loads(again.stdout) == first


def test_sampled_band_probabilities_agree_with_exact_within_four_standard_errors(write) -> None:
    """Every band of every risk, sampled, is within 4 standard errors (from the trial count) of exact."""
    reg = _load(write, MIXED)
    state = scoring.baseline_state(reg)
    n = 40_000
    exact = sim.simulate(reg, state, exact=True)
    drawn = sim.simulate(reg, state, trials=n, seed=5)
    assert exact.trials == 16 and drawn.trials == n
    for e, s in zip(exact.spreads, drawn.spreads, strict=True):
        for pe, ps in (*zip(e.bands, s.bands, strict=True), *zip(e.likelihood, s.likelihood, strict=True)):
            se = math.sqrt(pe * (1 - pe) / n)
            assert abs(ps - pe) <= 4 * se + 1e-12, (e.risk.id, e.bands, s.bands)
    for pe, ps in zip(exact.top_counts, drawn.top_counts, strict=False):
        assert abs(ps - pe) <= 4 * math.sqrt(pe * (1 - pe) / n) + 1e-12


def test_the_sampled_mean_of_the_unclamped_likelihood_is_the_expected_score(write) -> None:
    """With independent assumptions, the mean unclamped likelihood over the draws is DESIGN §4's
    deterministic score (within 4 standard errors; exactly, when enumerated)."""
    reg = _load(write, MIXED)
    state = scoring.with_beliefs(reg, scoring.baseline_state(reg), {"A1": 0.7, "A3": 0.2})  # not the anchor's
    n = 40_000
    exact = sim.simulate(reg, state, exact=True)
    drawn = sim.simulate(reg, state, trials=n, seed=9)
    for e, s in zip(exact.spreads, drawn.spreads, strict=True):
        expected = scoring.explain(reg, e.risk, state).raw
        assert e.mean == pytest.approx((expected.likelihood, expected.impact), abs=1e-9)
        var = 0.0
        for d in e.risk.drivers:
            b = state.beliefs[d.assumption]
            var += b * (1 - b) * (d.if_holds.likelihood - d.if_fails.likelihood) ** 2
        assert abs(s.mean[0] - expected.likelihood) <= 4 * math.sqrt(var / n) + 1e-12


def test_exact_agrees_with_the_point_scores_when_nothing_is_uncertain(write) -> None:
    """Beliefs of 0 or 1 leave one combination: every risk is where the matrix puts it."""
    reg = _load(write, MIXED)
    state = scoring.with_beliefs(reg, scoring.baseline_state(reg), {"A1": 1.0, "A2": 0.0, "A3": 1.0, "A4": 0.0})
    result = sim.simulate(reg, state, exact=True)
    assert result.trials == 1
    for x in result.spreads:
        assert x.cells == {x.point.cell: pytest.approx(1.0)}


def test_risks_with_many_assumptions_are_scored_the_same_without_tables(write) -> None:
    """The arithmetic path (a risk on more assumptions than a table takes) gives what the tables give."""
    reg = _load(write, MIXED)
    state = scoring.with_beliefs(reg, scoring.baseline_state(reg), {"A2": 0.35})
    for exact in (True, False):
        a = sim.simulate(reg, state, exact=exact, trials=3000, seed=2)
        b = sim.simulate(reg, state, exact=exact, trials=3000, seed=2, table_max=0)
        assert a.top_counts == pytest.approx(b.top_counts, abs=1e-12)
        for x, y in zip(a.spreads, b.spreads, strict=True):
            assert x.cells == pytest.approx(y.cells, abs=1e-12)
            assert x.mean == pytest.approx(y.mean, abs=1e-9)


def test_draws_start_from_the_analyst_score_and_count_the_responses_applied(run, write) -> None:
    """DESIGN §4 as the matrix has it: an analyst's score anchors the drivers at the beliefs when it was
    given, and responses applied since shift it; the mean of the draws is explain's unclamped sum."""
    text = LINKED + (
        "responses:\n"
        "  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -0.5}], "
        "side_effects: [{risk: R2, impact: 0.5}]}\n"
    )
    path = str(write(text))
    for args in (
        ("score", "R1", "--likelihood", "4", "--impact", "4", "--why", "site visit"),
        ("assume", "A1", "0.3", "--why", "rumours"),
        ("respond", "M1", "--apply", "--why", "signed"),
        ("assume", "A2", "0.7", "--why", "on time so far"),
    ):
        assert run(*args, "--register", path).exit_code == 0
    out = _sim(run, path, "--exact")
    for rid in ("R1", "R2"):
        e = json.loads(run("explain", rid, "--register", path, "--json").stdout)
        r = next(x for x in out["risks"] if x["id"] == rid)
        assert r["mean"]["likelihood"] == pytest.approx(e["sum"]["likelihood"])
        assert r["mean"]["impact"] == pytest.approx(e["sum"]["impact"])
        assert r["point"] == e["current"]
    # R1 from the analyst's 4 at A1 0.5, A2 0.55: 4 + 2 (s1 - 0.5) + 2 (s2 - 0.55) - 0.5 = 1.4 +
    # 2 (s1 + s2): level 1, 3 or 5 as none, one or both hold. A1 set to 0.3 makes A2 0.41 (0.3 × 0.9
    # + 0.7 × 0.2); A2 then set to 0.7 multiplies the odds of A2 holding by r, and A1 follows it:
    r = (0.7 / 0.3) / (0.41 / 0.59)
    w = [0.7 * 0.8, 0.3 * 0.1 + 0.7 * 0.2 * r, 0.3 * 0.9 * r]  # none, one, both hold
    r1 = next(x for x in out["risks"] if x["id"] == "R1")
    assert r1["likelihood"] == pytest.approx([w[0] / sum(w), 0.0, w[1] / sum(w), 0.0, w[2] / sum(w)])
    beliefs = {
        a["id"]: a["belief"] for a in json.loads(run("assumptions", "--json", "--register", path).stdout)["assumptions"]
    }
    assert beliefs["A2"] == pytest.approx(0.7) and beliefs["A1"] == pytest.approx((w[2] + 0.3 * 0.1) / sum(w))


def test_exact_refuses_more_than_twenty_uncertain_assumptions(run, write) -> None:
    """--exact above 20 uncertain assumptions is one clear line, exit 2."""
    lines = ["assumptions:"]
    lines += [f"  - {{id: A{i}, statement: S{i}., belief: 0.5}}" for i in range(1, 22)]
    lines += ["risks:", "  - id: R1", "    title: T", "    likelihood: 3", "    impact: 3", "    drivers:"]
    lines += [f"      - {{assumption: A{i}, if_holds: {{likelihood: 0.1}}, if_fails: {{}}}}" for i in range(1, 22)]
    path = str(write("\n".join(lines) + "\n"))
    result = run("simulate", "--register", path, "--exact")
    assert result.exit_code == 2
    assert "has 21" in result.stderr and "at most 20" in result.stderr and "drop --exact" in result.stderr
    assert result.stderr.count("\n") == 1
    fixed = run("simulate", "--register", path, "--exact", "--what-if", "A21=holds", "--json")
    assert fixed.exit_code == 0 and json.loads(fixed.stdout)["trials"] == 2**20


# --------------------------------------------------------------------------- linked assumptions


def test_a_linked_assumption_moves_the_probabilities_as_enumeration_by_hand_says(run, write) -> None:
    """given: draws A2 from its conditional belief for A1's draw: R1 Low 40%, Medium 15%, Critical 45%."""
    linked = _sim(run, write(LINKED), "--exact")
    assert _bands(linked, "R1") == pytest.approx({"low": 0.40, "medium": 0.15, "high": 0.0, "critical": 0.45})
    r1 = next(x for x in linked["risks"] if x["id"] == "R1")
    assert r1["likelihood"] == pytest.approx([0.40, 0.0, 0.15, 0.0, 0.45])
    assert linked["draws"][1] == {"assumption": "A2", "belief": 0.55, "parent": "A1", "holds": 0.9, "fails": 0.2}
    unlinked = _sim(run, write(UNLINKED, "unlinked.yaml"), "--exact")
    assert _bands(unlinked, "R1") == pytest.approx({"low": 0.225, "medium": 0.5, "high": 0.0, "critical": 0.275})
    sampled = _sim(run, write(LINKED), "--trials", "20000", "--seed", "4")
    for band, p in _bands(linked, "R1").items():
        assert abs(_bands(sampled, "R1")[band] - p) <= 4 * math.sqrt(p * (1 - p) / 20000) + 1e-12


def test_a_linked_assumption_follows_its_parent_under_what_if(run, write) -> None:
    """With A1 failing, A2 holds with its conditional 0.2: R1 is Low 80%, Medium 20%."""
    out = _sim(run, write(LINKED), "--exact", "--what-if", "A1=fails")
    assert _bands(out, "R1") == pytest.approx({"low": 0.8, "medium": 0.2, "high": 0.0, "critical": 0.0})
    assert out["hypothetical"]["what_if"][0]["id"] == "A1"


def test_a_belief_set_on_a_linked_assumption_informs_its_parent(run, write, tmp_path) -> None:
    """assume A2 0.3 is evidence on A2 (Jeffrey's rule): its odds are multiplied by r so that it
    ends at 0.3, the link stays, and A1 moves by Bayes' rule — in the draws and the point view alike."""
    path = write(LINKED)
    assert run("assume", "A2", "0.3", "--register", str(path), "--why", "test").exit_code == 0
    out = _sim(run, path, "--exact")
    r = (0.3 / 0.7) / (0.55 / 0.45)
    w = {(1, 1): 0.5 * 0.9 * r, (1, 0): 0.5 * 0.1, (0, 1): 0.5 * 0.2 * r, (0, 0): 0.5 * 0.8}  # P(A1, A2) ∝
    z = sum(w.values())
    assert (w[1, 1] + w[0, 1]) / z == pytest.approx(0.3)
    a1 = (w[1, 1] + w[1, 0]) / z  # 0.323
    assert out["draws"][0]["belief"] == pytest.approx(a1)
    assert out["draws"][1] == {
        "assumption": "A2", "belief": pytest.approx(0.3), "parent": "A1",
        "holds": pytest.approx(0.9 * r / (0.9 * r + 0.1)), "fails": pytest.approx(0.2 * r / (0.2 * r + 0.8)),
    }  # fmt: skip
    assert _bands(out, "R1") == pytest.approx(
        {"low": w[0, 0] / z, "medium": (w[1, 0] + w[0, 1]) / z, "high": 0.0, "critical": w[1, 1] / z}
    )
    kac = json.loads(run("assumptions", "--json", "--register", str(path)).stdout)["assumptions"]
    assert kac[0]["belief"] == pytest.approx(a1) and kac[1]["belief"] == pytest.approx(0.3)


def test_a_two_mode_risk_is_flagged_as_split(run, write) -> None:
    """R1 is Low or Critical and rarely the Medium the matrix shows: split, on likelihood, 1 or 5."""
    out = _sim(run, write(LINKED), "--exact")
    r1 = next(x for x in out["risks"] if x["id"] == "R1")
    assert r1["point"]["cell"] == {"likelihood": 3, "impact": 3}
    assert r1["splits"] == [
        {"axis": "likelihood", "low": 1, "high": 5, "point": 3,
         "low_probability": 0.4, "high_probability": 0.45, "point_probability": 0.15},
    ]  # fmt: skip
    unlinked = _sim(run, write(UNLINKED, "unlinked.yaml"), "--exact")
    assert next(x for x in unlinked["risks"] if x["id"] == "R1")["splits"] == []
    text = run("simulate", "--register", str(write(LINKED)), "--exact", env={"COLUMNS": "120"}).stdout
    line = next(x for x in text.splitlines() if x.strip().startswith("R1 "))
    assert "L 1 or 5" in line and "45% Critical, 40% Low, 15% Medium" in line


def test_the_top_band_counts_add_up(run, write) -> None:
    """P(n Critical) sums to 1; P(at least one) is 1 - P(none); the expectation is the mean."""
    out = _sim(run, write(LINKED), "--exact")
    counts = out["top_counts"]
    assert sum(counts) == pytest.approx(1.0)
    assert out["any_top"] == pytest.approx(1 - counts[0])
    assert out["expected_top"] == pytest.approx(sum(i * p for i, p in enumerate(counts)))
    assert out["top"] == {"id": "critical", "name": "Critical"}
    assert out["any_top"] == pytest.approx(0.45)


def test_split_needs_two_modes_around_the_point() -> None:
    """Modes on both sides, each likely enough, and a dip where the point is."""
    L = scoring.Axis.LIKELIHOOD
    assert sim.split(L, [0.2, 0.3, 0.2, 0.3, 0.0], 3) is not None
    assert sim.split(L, [0.0, 0.5, 0.0, 0.5, 0.0], 3) is not None
    assert sim.split(L, [0.0, 0.3, 0.4, 0.3, 0.0], 3) is None  # the point is the mode
    assert sim.split(L, [0.0, 0.1, 0.0, 0.9, 0.0], 3) is None  # one side too thin
    assert sim.split(L, [0.0, 0.5, 0.0, 0.5, 0.0], 4) is None  # the point is a mode
    assert sim.split(L, [0.5, 0.0, 0.0, 0.0, 0.5], 1) is None  # nothing below the point


# --------------------------------------------------------------------------- views and options


def test_the_view_reads_as_band_probabilities_and_top_band_counts(run, write) -> None:
    """Text: each risk's ratings with their chances, P(at least one Critical), the distribution."""
    out = run("simulate", "--register", str(write(LINKED)), "--exact", env={"COLUMNS": "120"})
    assert out.exit_code == 0
    assert "exact: every combination of the uncertain assumptions, group by group (4)" in out.stdout
    assert "P(at least one Critical): 45.0%" in out.stdout
    assert "Expected number of Critical risks: 0.45 (the matrix shows 0)" in out.stdout
    assert "0 Critical" in out.stdout and "55.0%" in out.stdout
    assert (
        "Linked, drawn from the posterior given the parent's draw: A2 given A1 (0.90 if it holds, 0.20 if"
        in " ".join(out.stdout.split())
    )


def test_scenario_and_what_if_are_honoured_and_labelled(run, write) -> None:
    path = str(write(LINKED + "scenarios:\n  - {id: bust, title: Bust, beliefs: {A1: fails}}\n"))
    a = json.loads(run("simulate", "--register", path, "--exact", "--scenario", "bust", "--json").stdout)
    assert a["hypothetical"]["scenario"] == "bust"
    assert _bands(a, "R1")["low"] == pytest.approx(0.8)
    text = run("simulate", "--register", path, "--exact", "--scenario", "bust")
    assert "HYPOTHETICAL" in text.stdout


def test_bad_trials_and_unknown_options_are_one_line(run, write) -> None:
    path = str(write(LINKED))
    for args in (("--trials", "0"), ("--trials", "x"), ("--seed", "-1")):
        result = run("simulate", "--register", path, *args)
        assert result.exit_code == 2 and result.stderr.startswith("error:")


def test_a_register_without_assumptions_simulates_to_its_point_scores(run, write) -> None:
    from conftest import MINIMAL

    out = _sim(run, write(MINIMAL), "--trials", "10", "--seed", "1")
    assert _bands(out, "R1") == {"low": 0.0, "medium": 0.0, "high": 0.0, "critical": 1.0}
    assert out["any_top"] == 1.0 and out["draws"] == []


def test_the_embedded_register_simulates(run) -> None:
    out = run("simulate", "--json", "--seed", "1", "--trials", "2000")
    assert out.exit_code == 0
    data = json.loads(out.stdout)
    assert len(data["risks"]) == len(register.load(None).risks)
    for r in data["risks"]:
        assert sum(b["probability"] for b in r["bands"]) == pytest.approx(1.0)
        assert sum(r["likelihood"]) == pytest.approx(1.0)


# --------------------------------------------------------------------------- matrix --simulated


def test_matrix_simulated_gives_expected_risks_per_cell_and_marks_split_risks(run, write) -> None:
    path = str(write(LINKED))
    data = json.loads(run("matrix", "--register", path, "--simulated", "--json").stdout)
    g = data["simulated"]
    assert g["method"] == "exact" and g["split"] == ["R1", "R2"]  # R2: impact 3 or 5, shown 4
    cells = {(c["likelihood"], c["impact"]): c["expected"] for c in g["cells"]}
    assert sum(cells.values()) == pytest.approx(3.0)
    assert cells[(5, 3)] == pytest.approx(0.45) and cells[(1, 3)] == pytest.approx(0.40)
    plain = json.loads(run("matrix", "--register", path, "--json").stdout)
    assert plain["simulated"] is None
    text = run("matrix", "--register", path, "--simulated", env={"COLUMNS": "120"}).stdout
    assert "R1⇕" in text and "≈0.5" in text and "Split: R1, R2." in text


def test_matrix_simulated_shades_cells_on_a_colour_terminal(run, write) -> None:
    """On a truecolour terminal the fuller cells are brighter: two cells of one band differ."""
    path = str(write(LINKED))
    env = {"TTY_COMPATIBLE": "1", "COLORTERM": "truecolor", "COLUMNS": "120"}
    shaded = run("matrix", "--register", path, "--simulated", env=env).stdout
    plain = run("matrix", "--register", path, env=env).stdout
    assert shaded.count("\x1b[") > 0 and set(_backgrounds(shaded)) > set(_backgrounds(plain))


def _backgrounds(text: str) -> list[str]:
    import re

    return re.findall(r"48;2;(\d+;\d+;\d+)", text)


# --------------------------------------------------------------------------- progress and start-up


def test_no_progress_bar_for_json_or_pipes(monkeypatch) -> None:
    """A bar only on a terminal, never for --json or piped output."""
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    out = Out(io.StringIO(), io.StringIO(), terminal=True)
    with progress(out, json=True) as tick:
        assert tick is None
    with progress(Out(io.StringIO(), io.StringIO(), terminal=False), json=False) as tick:
        assert tick is None
    with progress(out, json=False, after=0.0) as tick:
        assert tick is not None
        tick(5, 10)
    assert out.stderr.getvalue() and not out.stdout.getvalue()


def test_a_quick_run_shows_no_bar(monkeypatch) -> None:
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    out = Out(io.StringIO(), io.StringIO(), terminal=True)
    with progress(out, json=False) as tick:
        assert tick is not None
        tick(1, 10)
    assert out.stderr.getvalue() == ""


PROBE = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.stderr.write("NUMPY " + str("numpy" in sys.modules) + "\\n")
"""


def _numpy_loaded(*args: str, home: Path) -> bool:
    p = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "RISKCLI_HOME": str(home)},
    )
    return "NUMPY True" in p.stderr


def test_numpy_is_loaded_only_by_the_commands_that_simulate(tmp_path) -> None:
    assert not _numpy_loaded("assumptions", home=tmp_path)
    assert not _numpy_loaded("simulate", "--help", home=tmp_path)
    assert not _numpy_loaded("lint-matrix", home=tmp_path)
    assert _numpy_loaded("simulate", "--trials", "10", home=tmp_path)


def test_no_module_imports_numpy_at_its_top_level() -> None:
    """numpy is imported inside functions only, so that no other command pays for it."""
    root = Path(sim.__file__).resolve().parent
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "numpy" for n in names), path


# --------------------------------------------------------------------------- coherence of linked beliefs


def test_conditional_beliefs_that_cannot_all_hold_are_found(write) -> None:
    """P(A1 and A2) = 0.8 × 0.9 = 0.72 cannot exceed P(A2) = 0.5."""
    text = LINKED.replace("belief: 0.5}", "belief: 0.8}", 1).replace("belief: 0.55", "belief: 0.5")
    reg = _load(write, text)
    (c,) = scoring.conditional_conflicts(reg)
    assert (c.assumption, c.parent, c.parent_holds, c.holds) == ("A2", "A1", True, True)
    assert c.joint == pytest.approx(0.72) and c.bound == pytest.approx(0.5)


def test_coherent_conditional_beliefs_pass(write) -> None:
    assert scoring.conditional_conflicts(_load(write, LINKED)) == []
    assert scoring.conditional_conflicts(_load(write, UNLINKED)) == []


def test_linked_assumptions_that_exclude_each_other_cannot_both_hold(write) -> None:
    """A2 excludes A1, yet P(A2 | A1) = 0.9: P(both) = 0.45 > 0."""
    text = LINKED.replace("    belief: 0.55\n", "    belief: 0.55\n    excludes: [A1]\n")
    (c,) = scoring.conditional_conflicts(_load(write, text))
    assert c.bound == 0.0 and c.joint == pytest.approx(0.45) and c.parent_holds and c.holds


def test_conflicts_are_judged_at_the_beliefs_given(write) -> None:
    reg = _load(write, LINKED)
    (c,) = scoring.conditional_conflicts(reg, {"A1": 1.0, "A2": 0.1})
    assert c.joint == pytest.approx(0.9) and c.bound == pytest.approx(0.1)
