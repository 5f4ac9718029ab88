"""sensitivity: each assumption set to holds and to fails, ranked; and the Key Assumptions Check's
"impact if wrong"."""

from __future__ import annotations

import json

import pytest

from riskcli import register, scoring
from riskcli import simulate as sim

from conftest import SUPPLY

# A1 carries three risks by two steps each way; A2 nudges one risk by half a step; A3 drives
# nothing; A4 is linked to A1 and drives R4. R1 is Critical exactly when A1 holds.
DOMINANT = """\
title: Dominant
assumptions:
  - {id: A1, statement: The alliance holds., belief: 0.6, support: caveated}
  - {id: A2, statement: Prices stay flat., belief: 0.8}
  - {id: A3, statement: Nothing rests on this., belief: 0.5}
  - id: A4
    statement: The partner keeps its word.
    belief: 0.58
    given: {A1: {holds: 0.8, fails: 0.3}}
risks:
  - id: R1
    title: Blockade
    likelihood: 3
    impact: 5
    drivers:
      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
  - id: R2
    title: Shortage
    likelihood: 3
    impact: 3
    drivers:
      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}
  - id: R3
    title: Unrest
    likelihood: 3
    impact: 4
    drivers:
      - {assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}
      - {assumption: A2, if_holds: {impact: -0.25}, if_fails: {impact: 0.25}}
  - id: R4
    title: Default
    likelihood: 4
    impact: 4
    drivers:
      - {assumption: A4, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}
"""


@pytest.fixture
def reg_path(write):
    return str(write(DOMINANT))


def _sens(run, path, *args: str) -> dict:
    result = run("sensitivity", "--json", "--register", path, *args)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _row(data: dict, ident: str) -> dict:
    return next(x for x in data["assumptions"] if x["id"] == ident)


def test_the_dominant_assumption_ranks_first(run, reg_path) -> None:
    """A1 moves three risks two steps; it is first, the one that moves nothing is last."""
    data = _sens(run, reg_path, "--exact")
    ranked = [x["id"] for x in data["assumptions"]]
    assert ranked[0] == "A1" and ranked[-1] == "A3"
    assert [x["rank"] for x in data["assumptions"]] == [1, 2, 3, 4]
    a3 = _row(data, "A3")
    assert a3["holds"]["moved"] == 0 and a3["fails"]["bands"] == []


def test_what_moves_when_an_assumption_fails_or_holds(run, reg_path) -> None:
    """A1 fails: R1 Critical → High, R2 moves a cell within Medium, R3 High → Critical, and R4 a row
    up (A4, linked to A1, falls from 0.6 to 0.3); A1 holds: R1 stays Critical a row up, R2 Medium →
    High, R3 High → Medium, and R4 eases within its cell (A4 rises to 0.8)."""
    a1 = _row(_sens(run, reg_path, "--exact"), "A1")
    fails, holds = a1["fails"], a1["holds"]
    assert fails["holds"] is False and holds["holds"] is True
    # at 0.6, failing moves each risk 0.6 × 2 = 1.2 steps; holding 0.4 × 2 = 0.8 steps; and R4
    # by 2 × (0.6 − 0.3) = 0.6 steps up, or 2 × (0.8 − 0.6) = 0.4 steps down
    assert fails["cells"] == ["R1", "R2", "R3", "R4"]
    assert fails["bands"] == ["R1", "R3"]
    assert holds["cells"] == ["R1", "R2", "R3"] and holds["bands"] == ["R2", "R3"]
    assert fails["shift"] == pytest.approx(-1.2 * 5 - 1.2 * 3 + 1.2 * 4 + 0.6 * 4)
    assert fails["moved"] == pytest.approx(1.2 * (5 + 3 + 4) + 0.6 * 4)
    assert holds["moved"] == pytest.approx(0.8 * (5 + 3 + 4) + 0.4 * 4)
    assert a1["support"] == "caveated" and a1["support_derived"] is False
    assert _row(_sens(run, reg_path, "--exact"), "A2")["support_derived"] is True


def test_the_chance_of_a_top_band_risk_follows_the_assumption_exactly(run, reg_path) -> None:
    """Enumerated: P(at least one Critical) with A1 set to holds or fails, by hand."""
    data = _sens(run, reg_path, "--exact")
    # R1 is Critical iff A1 holds; R3 (3,4 High) is Critical iff A1 fails (likelihood 4 at impact 4,
    # or 4.25 if A2 fails too); R4 (4,4 Critical) stays Critical unless A4 holds (likelihood 3).
    a1 = _row(data, "A1")
    assert a1["holds"]["top"] == pytest.approx(1.0)
    assert a1["fails"]["top"] == pytest.approx(1.0)
    # the expected number of Critical risks: A1 holds → R1 + R4 (A4 fails 1 - 0.8 = 0.2 of the time)
    assert a1["holds"]["expected"] == pytest.approx(1 + 0.2)
    assert a1["fails"]["expected"] == pytest.approx(1 + 0.7)
    assert data["expected"] == pytest.approx(0.6 * 1.2 + 0.4 * 1.7)
    assert data["method"] == "exact" and data["seed"] is None


def test_one_risk(run, reg_path) -> None:
    """--risk R4: A4 drives it, A1 moves it through the link (in the point score and the draws
    alike); the rest move nothing."""
    data = _sens(run, reg_path, "--risk", "R4", "--exact")
    assert data["risk"] == "R4"
    assert data["now"] == pytest.approx(1 - (0.6 * 0.8 + 0.4 * 0.3))  # R4 Critical when A4 fails
    a4, a1 = _row(data, "A4"), _row(data, "A1")
    assert data["assumptions"][0]["id"] == "A4"
    assert a4["holds"]["bands"] == ["R4"] and a4["holds"]["top"] == 0.0 and a4["fails"]["top"] == 1.0
    assert a1["holds"]["moved"] == pytest.approx(0.4 * 4) and a1["holds"]["top"] == pytest.approx(0.2)
    assert a1["fails"]["moved"] == pytest.approx(0.6 * 4) and a1["fails"]["cells"] == ["R4"]
    assert a1["fails"]["top"] == pytest.approx(0.7)
    text = run("sensitivity", "--register", reg_path, "--risk", "R4", "--exact", env={"COLUMNS": "120"}).stdout
    assert "Not drawn, as they move nothing for R4: A2, A3." in text
    a1_line = next(x for x in text.splitlines() if "A1 0.60" in x)
    assert a1_line.rstrip().endswith("+30 / −20")  # P(R4 Critical) 0.4 → 0.7 if A1 fails, 0.2 if it holds


def test_one_risk_by_id_is_case_insensitive_and_unknown_ids_are_refused(run, reg_path) -> None:
    assert _sens(run, reg_path, "--risk", "r4", "--trials", "100", "--seed", "1")["risk"] == "R4"
    bad = run("sensitivity", "--register", reg_path, "--risk", "R9")
    assert bad.exit_code == 2 and "unknown risk 'R9'" in bad.stderr


def test_sampled_runs_share_their_draws(run, reg_path) -> None:
    """Common random numbers: an assumption that moves nothing changes no simulated figure, and a
    seeded run is reproducible."""
    a = run("sensitivity", "--json", "--register", reg_path, "--seed", "3", "--trials", "4000")
    b = run("sensitivity", "--json", "--register", reg_path, "--seed", "3", "--trials", "4000")
    assert a.stdout == b.stdout
    data = json.loads(a.stdout)
    a3 = _row(data, "A3")
    assert a3["holds"]["top"] == data["now"] and a3["fails"]["expected"] == data["expected"]


def test_the_tornado_lists_the_load_bearing_first(run, reg_path) -> None:
    out = run("sensitivity", "--register", reg_path, "--exact", env={"COLUMNS": "120"})
    assert out.exit_code == 0
    lines = out.stdout.splitlines()
    first = next(i for i, x in enumerate(lines) if x.strip().startswith("1 "))
    assert "A1 0.60 caveated" in lines[first] and "█│█" in lines[first] and "2 / 2" in lines[first]
    assert "The alliance holds." in lines[first + 1]
    assert "Not drawn, as they move nothing for the register: A3." in out.stdout


def test_the_core_ranks_by_what_moves() -> None:
    reg = register.load(None)
    state = scoring.baseline_state(reg)
    result = sim.sensitivity(reg, state, trials=500, seed=1)
    moved = [round(x.moved, 9) for x in result.rows]
    assert moved == sorted(moved, reverse=True)


# --------------------------------------------------------------------------- impact if wrong


def test_the_key_assumptions_check_says_what_moves_if_an_assumption_is_wrong(run, reg_path) -> None:
    data = json.loads(run("assumptions", "--json", "--register", reg_path).stdout)
    rows = {a["id"]: a["impact_if_wrong"] for a in data["assumptions"]}
    assert rows["A1"] == {"wrong": "fails", "bands": ["R1", "R3"], "cells": ["R1", "R2", "R3", "R4"]}
    # A4 failing is evidence on A1 too: P(A1 | A4 fails) = 0.6 × 0.2 / (0.6 × 0.2 + 0.4 × 0.7) = 0.3
    assert rows["A4"] == {"wrong": "fails", "bands": ["R1", "R3"], "cells": ["R1", "R2", "R3", "R4"]}
    assert rows["A3"] == {"wrong": "fails", "bands": [], "cells": []}  # 0.5: wrong if it fails
    text = run("assumptions", "--register", reg_path, env={"COLUMNS": "120"})
    line = next(x for x in text.stdout.splitlines() if x.strip().startswith("A1 "))
    assert "fails: 2 ratings" in line
    assert "If wrong" in text.stdout and "riskcli sensitivity" in text.stderr


def test_impact_if_wrong_is_holds_for_an_assumption_believed_to_fail(run, reg_path) -> None:
    data = json.loads(run("assumptions", "--json", "--register", reg_path, "--what-if", "A1=0.2").stdout)
    a1 = next(a for a in data["assumptions"] if a["id"] == "A1")["impact_if_wrong"]
    assert a1["wrong"] == "holds" and a1["bands"]


def test_impact_if_wrong_agrees_with_sensitivity(run, reg_path) -> None:
    kac = json.loads(run("assumptions", "--json", "--register", reg_path).stdout)["assumptions"]
    sens = _sens(run, reg_path, "--exact")
    for a in kac:
        w = a["impact_if_wrong"]
        assert w["bands"] == _row(sens, a["id"])[w["wrong"]]["bands"]


def _wide(n: int) -> str:
    """n uncertain assumptions, one risk on each, and R0 resting on the first two only."""
    assumptions = "".join(f"  - {{id: A{i}, statement: s{i}, belief: 0.5}}\n" for i in range(1, n + 1))
    risks = "".join(
        f"  - {{id: R{i}, title: t{i}, likelihood: 3, impact: 3, drivers: "
        f"[{{assumption: A{i}, if_holds: {{likelihood: 1}}, if_fails: {{likelihood: -1}}}}]}}\n"
        for i in range(1, n + 1)
    )
    r0 = (
        "  - id: R0\n    title: Two at once\n    likelihood: 4\n    impact: 4\n    drivers:\n"
        "      - {assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: -1}}\n"
        "      - {assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 1}}\n"
    )
    return "assumptions:\n" + assumptions + "risks:\n" + r0 + risks


def test_exact_enumerates_each_connected_group_on_its_own(run, write) -> None:
    """21 uncertain assumptions, but only A1 and A2 are tied together (by R0): groups of 2 and 1."""
    path = str(write(_wide(21)))
    whole = _sens(run, path, "--exact")
    assert whole["method"] == "exact" and whole["trials"] == 4 + 19 * 2
    data = _sens(run, path, "--risk", "R0", "--exact")
    assert (data["method"], data["risk"]) == ("exact", "R0")

    def critical(a1: str, a2: str) -> bool:  # R0 in each of the four states, as show scores it
        shown = run("show", "R0", "--json", "--what-if", f"A1={a1},A2={a2}", "--register", path)
        return json.loads(shown.stdout)["risk"]["current"]["rating"]["id"] == "critical"

    top = {(a1, a2): critical(a1, a2) for a1 in ("holds", "fails") for a2 in ("holds", "fails")}
    assert 0 < sum(top.values()) < 4  # the four states do not all agree
    assert data["now"] == pytest.approx(sum(top.values()) / 4)
    assert _row(data, "A1")["holds"]["top"] == pytest.approx((top["holds", "holds"] + top["holds", "fails"]) / 2)
    assert _row(data, "A2")["fails"]["top"] == pytest.approx((top["holds", "fails"] + top["fails", "fails"]) / 2)
    assert _row(data, "A3")["holds"]["top"] == pytest.approx(data["now"])  # A3 moves nothing for R0


def test_an_assumption_that_moves_no_cell_rating_or_chance_gets_no_bar(run) -> None:
    """On the shipped register A4 moves likelihood × impact a little either way, within cells: no
    cell, rating or chance changes, so a bar would say it matters when nothing shown moves."""
    data = json.loads(run("sensitivity", "--json", "--trials", "500", "--seed", "2").stdout)

    def within(x: dict) -> bool:
        return all(
            not side["cells"]
            and not side["bands"]
            and side["top"] == data["now"]
            and side["expected"] == data["expected"]
            and side["moved"] > 0
            for side in (x["holds"], x["fails"])
        )

    left_out = [x["id"] for x in data["assumptions"] if within(x)]
    assert "A4" in left_out
    out = run(
        "sensitivity", "--trials", "500", "--seed", "2", env={"COLUMNS": "120", "TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
    )
    assert out.exit_code == 0, out.stderr
    rows = [x.split()[1] for x in out.stdout.splitlines() if x[:5].strip().isdigit()]
    assert "A4" not in rows and "A7" in rows
    assert rows == [x["id"] for x in data["assumptions"] if x["id"] not in left_out]
    said = " ".join(out.stdout.split())
    assert (
        "Not drawn, as they move the register's scores only within their cells (no cell, rating or chance changes): "
        + ", ".join(left_out)
        + "."
    ) in said


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


@pytest.mark.parametrize("command", ["simulate", "sensitivity"])
def test_trials_have_an_upper_bound(run, reg, command) -> None:
    result = run("--register", reg, command, "--trials", "1000001")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "less than or equal to 1000000" in result.stderr


def _many_assumptions(n: int) -> str:
    lines = ["assumptions:", *(f"  - {{id: A{i}, statement: s, belief: 0.5}}" for i in range(n)), "risks:"]
    lines += [
        f"  - {{id: R{i}, title: t, likelihood: 3, impact: 3, drivers: [{{assumption: A{i}, if_fails: {{likelihood: 1}}}}]}}"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def test_sensitivity_of_more_assumptions_than_it_sets_is_refused_at_once(run, write) -> None:
    reg = str(write(_many_assumptions(501)))
    result = run("--register", reg, "sensitivity", "--trials", "10")
    assert result.exit_code == 2 and result.stderr == (
        "error: sensitivity sets at most 500 assumptions each way, and 501 drive these risks; "
        "simulate them together with 'riskcli simulate', or one risk's with --risk ID\n"
    )
    one = run("--register", reg, "sensitivity", "--risk", "R7", "--trials", "10", "--json")
    assert one.exit_code == 0 and json.loads(one.stdout)["risk"] == "R7"


def test_sensitivity_draws_a_bounded_number_of_trials_in_all(run, write) -> None:
    reg = str(write(_many_assumptions(10)))
    result = run("--register", reg, "sensitivity", "--trials", "1000000")
    assert result.exit_code == 2 and result.stderr == (
        "error: sensitivity would draw 21 runs × 1,000,000 trials; it draws at most 10,000,000 in all: "
        "give --trials 476,190 or fewer, or one risk's with --risk ID\n"
    )


# --------------------------------------------------------------------------- common random numbers


@pytest.mark.parametrize("table_max", [sim.TABLE_MAX, 1, 0], ids=["tables", "wide-and-tables", "all-wide"])
@pytest.mark.parametrize("what_if", [{}, {"A3": 1.0}], ids=["as-recorded", "a-link-cut"])
def test_one_draw_for_every_variant_gives_what_a_run_per_variant_gives(table_max, what_if, monkeypatch) -> None:
    """sensitivity draws the trials once and redraws, per assumption set, only the columns it
    changes (linked children with it): each figure is the one a whole run of that variant, with
    the same seed, gives — to the last bit — on the embedded register (linked assumptions), with
    its risks scored by table, arithmetically (wide) or both; over several chunks of draws."""
    monkeypatch.setattr(sim, "CHUNK_ELEMENTS", 1)  # chunks of 256 draws
    reg = register.load(None)
    state = scoring.baseline_state(reg)
    if what_if:
        state = scoring.with_beliefs(reg, state, what_if, scoring.SetBy.WHAT_IF, "A3=holds")
    engine = sim._Engine(sim._plan(reg, state, reg.risks, table_max))
    base = sim.draws(reg, state)
    variants = [sim.draws(reg, sim.holding(reg, state, a.id, h)) for a in reg.assumptions for h in (True, False)]
    assert any(d.parent is not None for d in base) and any(v != base for v in variants)
    seen: list[tuple[int, int]] = []
    swept = engine.sweep(base, variants, trials=3000, seed=7, progress=lambda done, total: seen.append((done, total)))
    for ds, got in zip([base, *variants], swept, strict=True):
        want = engine.run(ds, exact=False, trials=3000, seed=7, cells=False).top_counts
        assert got.tolist() == want.tolist()
    assert seen[-1] == (3000 * (1 + len(variants)),) * 2
    assert len(seen) == 12 and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_child_drawn_as_before_is_redrawn_when_its_parent_is(reg_path, monkeypatch) -> None:
    """A variant whose linked child keeps its draw (the same conditionals) while its parent's
    changes: the child's column follows the parent's new one, as a whole run draws it."""
    monkeypatch.setattr(sim, "CHUNK_ELEMENTS", 1)
    reg = register.load(reg_path)
    state = scoring.baseline_state(reg)
    base = sim.draws(reg, state)
    a1, a4 = (next(i for i, d in enumerate(base) if d.assumption == a) for a in ("A1", "A4"))
    assert base[a4].parent == "A1"
    variant = tuple(sim.Draw("A1", 0.9) if i == a1 else d for i, d in enumerate(base))
    engine = sim._Engine(sim._plan(reg, state, reg.risks))
    _, got = engine.sweep(base, [variant], trials=2000, seed=5)
    want = engine.run(variant, exact=False, trials=2000, seed=5, cells=False).top_counts
    assert got.tolist() == want.tolist()
