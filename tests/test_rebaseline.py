"""rebaseline: a register written with its journal's state as the baseline. Read fresh, it shows
what the old register and its journal showed; adopting the old journal applies nothing twice; a
new judgement after it applies once; what the format cannot hold is said."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

# Scores that stay on whole levels: beliefs set to 0 or 1, drivers and effects of whole steps. A2 is
# linked to A1 and observed through a signpost, so its belief is a posterior; no risk rests on it.
OLD = """\
id: plant-2025
appetite: medium
assumptions:
  - {id: A1, statement: The river stays in its banks, belief: 0.5}
  - id: A2
    statement: The levee holds
    belief: 0.6
    given: {A1: {holds: 0.9, fails: 0.2}}
  - {id: A3, statement: Staff stay for the pay, belief: 0.5}
indicators:
  - id: I1
    title: Seepage at the levee
    bears_on: [{assumption: A2, seen: 0.25, absent: 1.5}]
responses:
  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}]}
  - {id: M2, title: Sandbags, status: done, effects: [{risk: R2, impact: -1}]}
risks:
  - {id: R1, title: Supplier fails, likelihood: 3, impact: 4}
  - id: R2
    title: Server room floods
    likelihood: 3
    impact: 5
    drivers: [{assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]
  - id: R3
    title: Key staff leave
    likelihood: 3
    impact: 3
    review_every: 90
    drivers: [{assumption: A3, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]
  - {id: R4, title: Power cut, likelihood: 2, impact: 4}
  - {id: R5, title: Fire, likelihood: 1, impact: 5}
"""

# What differs by design between a register read fresh and the old one with its journal: the
# register's identity, the baseline (the old one's, the new one's), and what the journal recorded
# (scores, decisions, the last review, the events counted by --as-of).
_JOURNAL_KEYS = {
    "register", "baseline", "baseline_belief", "analyst", "scores", "scores_total", "decided", "event", "last", "as_of",
    "earlier",  # where the new register's history before the step is: the old one's
}  # fmt: skip


def _strip(x: Any) -> Any:
    if isinstance(x, dict):
        return {k: _strip(v) for k, v in x.items() if k not in _JOURNAL_KEYS}
    if isinstance(x, list):
        return [_strip(v) for v in x]
    return x


VIEWS = [
    ("matrix", "--json"),
    ("list", "--all", "--json"),
    ("assumptions", "--json"),
    ("show", "R1", "--json"),
    ("show", "R2", "--json"),
    ("show", "R3", "--json"),
    ("show", "R4", "--json"),
    ("indicators", "--json"),
    ("check", "--json", "--as-of", "2030-01-01"),
]
# An indicator's observations, a risk's last review are the journal's, not the register's: read
# without the old journal, the new register knows only the day each indicator was last observed
# (its ``observed`` day) and each risk's next review (``review_by``); adopted, it knows them all.
FRESH = [v for v in VIEWS if v[0] not in ("check", "indicators")]


def _views(run, reg: Path, journal: Path, views=VIEWS) -> dict[tuple[str, ...], Any]:
    out = {}
    for view in views:
        result = run("-r", str(reg), "--journal", str(journal), *view)
        assert result.exit_code in (0, 1), (view, result.stderr)
        out[view] = _strip(json.loads(result.stdout))
    return out


def _apart(x: Any, y: Any, at: str = "") -> list[str]:
    """Where two JSON values differ (paths), for a readable failure."""
    if isinstance(x, dict) and isinstance(y, dict):
        return [p for k in sorted(x.keys() | y.keys()) for p in _apart(x.get(k), y.get(k), f"{at}/{k}")]
    if isinstance(x, list) and isinstance(y, list) and len(x) == len(y):
        return [p for i, (u, v) in enumerate(zip(x, y, strict=True)) for p in _apart(u, v, f"{at}[{i}]")]
    return [] if x == y else [f"{at}: {x!r} != {y!r}"]


def _ok(result):
    assert result.exit_code == 0, result.stderr
    return result


@pytest.fixture
def year(run, tmp_path: Path) -> dict[str, Path]:
    """plant-2025.yaml with a year of its journal: scores, beliefs, an observation, responses,
    decisions; rebaselined into plant-2026.yaml."""
    old = tmp_path / "plant-2025.yaml"
    old.write_text(OLD, encoding="utf-8")
    r = ("-r", str(old))
    for step in [
        ("score", "R1", "-l", "4", "-i", "4", "--confidence", "high", "--why", "first look"),
        ("assume", "A1", "fails", "--why", "a wet year"),
        ("observe", "I1", "--ref", "inspection-1"),
        ("respond", "M1", "--why", "contract signed"),
        ("respond", "M2", "--withdraw"),
        ("assign", "R1", "--owner", "Dana"),
        ("treat", "R1", "reduce", "--with", "M1"),
        ("accept", "R4", "--until", "2031-06-30", "--why", "cheaper to bear"),
        ("review", "R3", "--why", "quarterly"),
        ("close", "R5", "--why", "the store moved"),
    ]:
        _ok(run(*r, *step))
    new = tmp_path / "plant-2026.yaml"
    done = _ok(run(*r, "rebaseline", "-o", str(new), "--why", "the 2026 review"))
    assert "not_carried" not in done.stderr
    return {"old": old, "new": new, "journal": tmp_path / "plant-2025.journal.jsonl", "dir": tmp_path}


def test_the_new_register_read_fresh_shows_the_state_of_the_old_with_its_journal(run, year) -> None:
    before = _views(run, year["old"], year["journal"], FRESH)
    fresh = _views(run, year["new"], year["dir"] / "none.journal.jsonl", FRESH)
    assert fresh == before
    # The views are of a moved state: the journal had changed them (not a baseline compared to itself).
    listed = {r["id"]: r for r in before[("list", "--all", "--json")]["risks"]}
    assert listed["R1"]["current"]["cell"] == {"likelihood": 3, "impact": 4}  # 4×4, M1 applied: 3×4
    assert listed["R1"]["owner"] == "Dana" and "R5" not in listed  # closed: apart
    assumptions = {a["id"]: a for a in before[("assumptions", "--json")]["assumptions"]}
    assert 0.0 < assumptions["A2"]["belief"] < 0.2  # A1 failing, and the seepage seen


def test_the_new_register_holds_the_state_as_its_baseline(run, year) -> None:
    text = year["new"].read_text(encoding="utf-8")
    assert "id: plant-2026" in text
    r1 = text[text.index("- id: R1") : text.index("- id: R2")]
    assert "likelihood: 4" in r1 and "impact: 4" in r1 and "owner: Dana" in r1 and "confidence: high" in r1
    assert "strategy: reduce" in r1
    m1 = text[text.index("- id: M1") : text.index("- id: M2")]
    m2 = text[text.index("- id: M2") :]
    assert "status: done" in m1 and "status: done" not in m2.split("\n\n")[0]
    assert _ok(run("validate", str(year["new"]))).exit_code == 0


def test_the_step_is_recorded_in_the_old_journal_with_the_file_s_digest(run, year) -> None:
    last = json.loads(year["journal"].read_text(encoding="utf-8").splitlines()[-1])
    assert last["kind"] == "rebaseline" and last["register"] == "plant-2025"
    assert last["into"] == "plant-2026" and last["file"] == "plant-2026.yaml"
    assert last["sha256"] == hashlib.sha256(year["new"].read_bytes()).hexdigest()
    assert last["why"] == "the 2026 review"
    history = _ok(run("-r", str(year["old"]), "history"))
    assert "rebaseline\trebaselined into register 'plant-2026' (plant-2026.yaml" in history.stdout
    # The old register's own state is as it was: the step moves nothing there.
    assert _ok(run("-r", str(year["old"]), "list", "--all", "--json")).stdout


def test_diff_of_the_two_registers_shows_what_the_journal_had_changed(run, year) -> None:
    result = _ok(run("diff", str(year["old"]), str(year["new"]), "--json"))
    data = json.loads(result.stdout)
    rescored = {r["id"] for r in data["rescored"]} if "rescored" in data else set()
    text = " ".join(_ok(run("diff", str(year["old"]), str(year["new"]))).stdout.split())
    assert "no differences" not in text
    assert "R1" in text and "R2" in text  # R1 scored, R2 moved by A1 failing
    changes = [
        "owner — Dana", "status — closed", "treatment — reduce, M1", "review_by — 20", "acceptance.until — 2031-06-30",
        "given.fails A1 0.20", "response M1 status — done", "response M2 status done —",
    ]  # fmt: skip
    for change in changes:
        assert change in text, change
    assert rescored


def test_adopting_the_old_journal_applies_nothing_twice_and_a_new_judgement_once(run, year) -> None:
    old, new, jr, d = year["old"], year["new"], year["journal"], year["dir"]
    kept = d / "kept.journal.jsonl"  # the old register's journal, as it was, to compare with
    shutil.copyfile(jr, kept)
    fresh = _views(run, new, d / "none.journal.jsonl", FRESH)
    adopted = _ok(run("-r", str(new), "--journal", str(jr), "journal", "adopt"))
    assert "no risk moved" in adopted.stdout
    assert _views(run, new, jr, FRESH) == fresh
    assert _views(run, new, jr) == _views(run, old, kept)
    # A judgement after the step applies once, as it would have to the old register.
    for reg, journal in ((new, jr), (old, kept)):
        _ok(run("-r", str(reg), "--journal", str(journal), "assume", "A3", "holds"))
        _ok(run("-r", str(reg), "--journal", str(journal), "score", "R4", "-l", "3", "-i", "4"))
    assert not _apart(_views(run, new, jr), _views(run, old, kept))
    shutil.rmtree(os.environ["RISKCLI_CACHE"])  # read cold: every event replayed, none folded onto a checkpoint
    assert not _apart(_views(run, new, jr), _views(run, old, kept))
    listed = json.loads(_ok(run("-r", str(new), "--journal", str(jr), "list", "--json")).stdout)
    cells = {r["id"]: r["current"]["cell"] for r in listed["risks"]}
    assert cells["R3"] == {"likelihood": 2, "impact": 3}  # 3 − 1 for A3 holding: once
    assert cells["R4"] == {"likelihood": 3, "impact": 4}


def test_an_observation_already_counted_before_the_step_is_not_counted_again(run, year) -> None:
    old, new, jr, d = year["old"], year["new"], year["journal"], year["dir"]
    kept = d / "kept.journal.jsonl"
    shutil.copyfile(jr, kept)
    _ok(run("-r", str(new), "--journal", str(jr), "journal", "adopt"))
    for reg, journal in ((new, jr), (old, kept)):
        seen = _ok(run("-r", str(reg), "--journal", str(journal), "observe", "I1", "--ref", "inspection-1"))
        assert "I1 with ref inspection-1 is counted already (line 3)" in seen.stderr
    assert _views(run, new, jr, FRESH) == _views(run, old, kept, FRESH)


def test_an_absence_already_counted_in_its_review_window_is_not_counted_again(run, tmp_path: Path) -> None:
    old = tmp_path / "a.yaml"
    old.write_text(OLD, encoding="utf-8")
    _ok(run("-r", str(old), "observe", "I1", "absent"))
    _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "b.yaml")))
    shutil.copyfile(tmp_path / "a.journal.jsonl", tmp_path / "b.journal.jsonl")
    _ok(run("-r", str(tmp_path / "b.yaml"), "journal", "adopt"))
    for reg in ("a.yaml", "b.yaml"):
        again = _ok(run("-r", str(tmp_path / reg), "observe", "I1", "absent"))
        assert "an absence of I1 is counted already for its review window" in again.stderr
    shutil.rmtree(os.environ["RISKCLI_CACHE"])
    a, b = (_ok(run("-r", str(tmp_path / reg), "assumptions", "--json")).stdout for reg in ("a.yaml", "b.yaml"))
    assert _strip(json.loads(a)) == _strip(json.loads(b))


def test_undo_refuses_the_step_and_the_history_before_it(run, year) -> None:
    old, new, jr = year["old"], year["new"], year["journal"]
    refused = run("-r", str(old), "undo", "11")
    assert refused.exit_code == 2
    assert "line 11 is a rebaseline record, which cannot be undone" in refused.stderr
    _ok(run("-r", str(new), "--journal", str(jr), "journal", "adopt"))
    refused = run("-r", str(new), "--journal", str(jr), "undo", "1")
    assert refused.exit_code == 2 and "line 1 is history" in refused.stderr
    nothing = run("-r", str(new), "--journal", str(jr), "undo")
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.stderr


def test_undo_on_the_old_register_reverts_its_last_event_not_the_step(run, tmp_path: Path) -> None:
    old = tmp_path / "a.yaml"
    old.write_text(OLD, encoding="utf-8")
    _ok(run("-r", str(old), "score", "R1", "-l", "5", "-i", "5"))
    _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "b.yaml")))
    undone = _ok(run("-r", str(old), "undo"))
    assert "R1: likelihood 5, impact 5" in undone.stderr + undone.stdout


def test_what_the_format_cannot_hold_is_said_on_stderr_and_in_json(run, tmp_path: Path) -> None:
    old = tmp_path / "a.yaml"
    old.write_text(OLD.replace("id: plant-2025\n", ""), encoding="utf-8")
    _ok(run("-r", str(old), "assume", "A1", "0.3"))  # R2: 3 + (0.3·−1 + 0.7·1) − 0 = 3.4
    _ok(run("-r", str(old), "score", "R4", "-l", "2", "-i", "2", "--analyst", "ann"))
    _ok(run("-r", str(old), "score", "R4", "-l", "4", "-i", "2", "--analyst", "bob"))
    _ok(run("-r", str(old), "resolve", "R3", "occurred", "--on", "2025-03-01"))
    result = _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "b.yaml"), "--json"))
    data = json.loads(result.stdout)
    assert data["schema"] == "riskcli/rebaseline/3" and data["identity"] == "b"
    kept = {(x["item"], x["what"]): x for x in data["not_carried"]}
    assert kept[("R2", "likelihood")]["was"] == pytest.approx(3.4) and kept[("R2", "likelihood")]["now"] == 3.0
    assert kept[("R4", "analysts")]["now"] == 2
    assert kept[("R3", "resolution")]["status"] == "closed"
    assert ("R1", "likelihood") not in kept and ("A2", "belief") not in kept
    text = _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "c.yaml")))
    assert "warning: R2: likelihood 3.4 is between levels; the register holds whole levels: written 3" in text.stderr
    assert "warning: R4: 2 analysts' judgements written as their combination" in text.stderr
    assert "warning: R3: a resolution is no register field: written as status closed" in text.stderr
    # The cell is kept: a score between levels is written as the cell it was shown in.
    fresh = json.loads(_ok(run("-r", str(tmp_path / "c.yaml"), "list", "--json")).stdout)
    r2 = next(r for r in fresh["risks"] if r["id"] == "R2")
    assert r2["current"]["cell"] == {"likelihood": 3, "impact": 4}  # M2 done: impact 5 − 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--id", "plant-2025"), "the new register's id 'plant-2025' is this register's"),
        (("--what-if", "A1=holds"), "rebaseline records to the journal"),
        (("--as-of", "2025-01-01"), "--as-of"),
    ],
)
def test_refusals(run, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    old = tmp_path / "plant-2025.yaml"
    old.write_text(OLD, encoding="utf-8")
    result = run("-r", str(old), "rebaseline", "-o", str(tmp_path / "new.yaml"), *args)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / "new.yaml").exists()
    assert not (tmp_path / "plant-2025.journal.jsonl").exists()


def test_an_existing_file_is_kept_unless_forced_and_the_register_never_overwritten(run, tmp_path: Path) -> None:
    old = tmp_path / "plant-2025.yaml"
    old.write_text(OLD, encoding="utf-8")
    there = tmp_path / "new.yaml"
    there.write_text("mine\n", encoding="utf-8")
    result = run("-r", str(old), "rebaseline", "-o", str(there))
    assert result.exit_code == 2 and "already exists; use --force" in result.stderr
    assert there.read_text(encoding="utf-8") == "mine\n"
    result = run("-r", str(old), "rebaseline", "-o", str(old), "--force", "--id", "other")
    assert result.exit_code == 2 and "being read as the register" in result.stderr
    assert old.read_text(encoding="utf-8") == OLD
    _ok(run("-r", str(old), "rebaseline", "-o", str(there), "--force"))
    assert "id: new" in there.read_text(encoding="utf-8")


def test_the_embedded_register_is_rebaselined_into_a_file_of_the_user(run, tmp_path: Path) -> None:
    from riskcli.register.source import embedded_register_path

    shipped = embedded_register_path().read_bytes()
    _ok(run("assume", "A7", "fails"))
    result = run("rebaseline", "-o", str(embedded_register_path()), "--force")
    assert result.exit_code == 2 and "embedded register" in result.stderr
    _ok(run("rebaseline", "-o", str(tmp_path / "next.yaml")))
    assert embedded_register_path().read_bytes() == shipped
    fresh = json.loads(_ok(run("-r", str(tmp_path / "next.yaml"), "assumptions", "--json")).stdout)
    before = json.loads(_ok(run("assumptions", "--json")).stdout)
    assert [a["belief"] for a in fresh["assumptions"]] == pytest.approx([a["belief"] for a in before["assumptions"]])


def test_a_copy_of_the_journal_adopted_beside_the_new_register_keeps_the_old_one_readable(run, year) -> None:
    old, new, jr, d = year["old"], year["new"], year["journal"], year["dir"]
    before = _views(run, old, jr, FRESH)
    shutil.copyfile(jr, d / "plant-2026.journal.jsonl")
    _ok(run("-r", str(new), "journal", "adopt"))
    assert _views(run, new, d / "plant-2026.journal.jsonl", FRESH) == before
    assert _views(run, old, jr, FRESH) == before  # its own journal untouched: it reads it as before


def test_a_second_rebaseline_into_the_same_register_starts_its_history_at_the_later_step(run, tmp_path: Path) -> None:
    old, new = tmp_path / "a.yaml", tmp_path / "b.yaml"
    old.write_text(OLD, encoding="utf-8")
    jr, mine = tmp_path / "a.journal.jsonl", tmp_path / "b.journal.jsonl"
    _ok(run("-r", str(old), "score", "R1", "-l", "4", "-i", "4"))
    _ok(run("-r", str(old), "rebaseline", "-o", str(new)))
    _ok(run("-r", str(old), "score", "R1", "-l", "5", "-i", "5"))  # after the step: the new register's to apply
    shutil.copyfile(jr, mine)
    _ok(run("-r", str(new), "journal", "adopt"))
    shown = json.loads(_ok(run("-r", str(new), "show", "R1", "--json")).stdout)["risk"]
    assert shown["analyst"]["likelihood"] == 5  # read, and a replay checkpoint kept
    _ok(run("-r", str(old), "rebaseline", "-o", str(new), "--force"))  # the same id, later: 5 × 5 is the baseline
    with jr.open(encoding="utf-8") as f:
        step = f.readlines()[-1]
    with mine.open("a", encoding="utf-8") as f:  # as a merge of the two journals brings it
        f.write(step)
    shown = json.loads(_ok(run("-r", str(new), "show", "R1", "--json")).stdout)["risk"]
    assert shown["analyst"] is None and shown["baseline"] == {"likelihood": 5, "impact": 5}


def test_a_line_from_before_the_step_merged_in_after_it_is_history_too(run, tmp_path: Path) -> None:
    old, new = tmp_path / "a.yaml", tmp_path / "b.yaml"
    old.write_text(OLD, encoding="utf-8")
    jr, mine = tmp_path / "a.journal.jsonl", tmp_path / "b.journal.jsonl"
    _ok(run("-r", str(old), "rebaseline", "-o", str(new)))
    shutil.copyfile(jr, mine)
    _ok(run("-r", str(new), "journal", "adopt"))
    _ok(run("-r", str(old), "score", "R1", "-l", "2", "-i", "2"))
    _ok(run("-r", str(old), "rebaseline", "-o", str(new), "--force"))  # R1 at 2 × 2 in the baseline
    *_, score, step = jr.read_text(encoding="utf-8").splitlines(keepends=True)
    with mine.open("a", encoding="utf-8") as f:
        f.write(step)
    _ok(run("-r", str(new), "show", "R1", "--json"))  # read: a replay checkpoint after the step
    with mine.open("a", encoding="utf-8") as f:  # a merge brings the score, recorded before the step, last
        f.write(score)
    shown = json.loads(_ok(run("-r", str(new), "show", "R1", "--json")).stdout)["risk"]
    assert shown["analyst"] is None and shown["baseline"] == {"likelihood": 2, "impact": 2}


# A level at the top of the scale with a response in force on it: the register adds the responses
# it marks done to its levels, so no whole level can be written for it.
AT_THE_TOP = """\
id: s
as_of: 2026-01-01
responses:
  - {id: M1, title: Hedge, effects: [{risk: R1, likelihood: -1}]}
risks:
  - {id: R1, title: Price spike, likelihood: 4, impact: 3}
"""


def test_a_level_at_the_top_with_a_response_in_force_is_said_with_what_the_new_register_reads(
    run, tmp_path: Path
) -> None:
    old, new = tmp_path / "s.yaml", tmp_path / "s2.yaml"
    old.write_text(AT_THE_TOP, encoding="utf-8")
    _ok(run("-r", str(old), "respond", "M1", "--why", "y"))
    _ok(run("-r", str(old), "score", "R1", "-l", "5", "--why", "still almost certain"))
    assert "R1\t5\t3\t15\tcritical" in _ok(run("-r", str(old), "list")).stdout
    result = run("-r", str(old), "rebaseline", "-o", str(new))
    assert result.exit_code == 1, result.stderr  # written, but not as the state stands
    assert (
        "warning: R1: likelihood 5 cannot be carried (the register adds M1, in force, to its levels, and no whole "
        "likelihood from 1 to the top of the scale gives 5 with it): the new register reads 4, rated High where it "
        "was Critical"
    ) in " ".join(result.stderr.split())
    assert "between levels" not in result.stderr
    assert "R1\t4\t3\t12\thigh" in _ok(run("-r", str(new), "list")).stdout  # what the warning said
    data = json.loads(run("-r", str(old), "--journal", str(tmp_path / "j.jsonl"), "rebaseline", "-o",
                          str(tmp_path / "s3.yaml"), "--json").stdout)  # fmt: skip
    assert data["not_carried"] == []  # that journal moved nothing: all carried, exit 0


def test_a_level_held_at_the_top_by_a_driver_with_a_response_in_force_is_said(run, tmp_path: Path) -> None:
    old, new = tmp_path / "d.yaml", tmp_path / "d2.yaml"
    old.write_text(
        "id: d\nassumptions:\n  - {id: A1, statement: Calm, belief: 0.5}\n"
        "responses:\n  - {id: M1, title: Hedge, status: done, effects: [{risk: R1, likelihood: -1}]}\n"
        "risks:\n  - id: R1\n    title: Price spike\n    likelihood: 5\n    impact: 4\n"
        "    drivers: [{assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]\n",
        encoding="utf-8",
    )
    _ok(run("-r", str(old), "assume", "A1", "fails"))  # 5 + 1 − 1 = 5
    assert "R1\t5\t4\t20\tcritical" in _ok(run("-r", str(old), "list")).stdout
    result = run("-r", str(old), "rebaseline", "-o", str(new))
    assert result.exit_code == 1 and "R1: likelihood 5 cannot be carried" in result.stderr
    assert "the new register reads 4" in result.stderr


def _gen_register(levels, drivers, effects) -> str:
    lines = ["id: gen", "assumptions:", "  - {id: A1, statement: One, belief: 0.5}", "responses:"]
    for m, (risk, dl, di) in enumerate(effects, 1):
        lines.append(f"  - {{id: M{m}, title: R, effects: [{{risk: R{risk}, likelihood: {dl}, impact: {di}}}]}}")
    if not effects:
        lines[-1] = "responses: []"
    lines.append("risks:")
    for n, ((lk, im), d) in enumerate(zip(levels, drivers, strict=True), 1):
        lines.append(f"  - {{id: R{n}, title: T, likelihood: {lk}, impact: {im}")
        if d:
            lines[-1] += (
                f", drivers: [{{assumption: A1, if_holds: {{likelihood: {-d}}}, if_fails: {{likelihood: {d}}}}}]"
            )
        lines[-1] += "}"
    return "\n".join(lines) + "\n"


def test_the_new_register_reads_each_cell_as_the_state_or_says_exactly_which_it_could_not() -> None:
    """Over small registers and states (an analyst's score with the responses then in force, a belief,
    responses applied now): the written register, read back, gives each risk's cell, or fold names
    that risk and axis, with the level it had and the one read — and only where no whole level can
    hold it with the responses it marks done. A named mutant: writing the levels with the responses
    (or without clamping the inherent score) breaks the first; reporting every clamp, the last."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from riskcli import scoring
    from riskcli.rebaseline import Uncarried, fold
    from riskcli.register.sections import load_text
    from riskcli.rules import cell_of

    level = st.integers(1, 5)

    @st.composite
    def cases(draw: Any) -> tuple[str, dict[str, Any]]:
        n = draw(st.integers(1, 3))
        levels = [(draw(level), draw(level)) for _ in range(n)]
        drivers = [draw(st.integers(0, 2)) for _ in range(n)]
        effects = draw(
            st.lists(st.tuples(st.integers(1, n), st.sampled_from([-2, -1, 1, 2]), st.integers(-2, 2)), max_size=2)
        )
        m_ids = [f"M{i}" for i in range(1, len(effects) + 1)]
        scores = {}
        for i in range(1, n + 1):
            if draw(st.booleans()):
                then = frozenset(draw(st.sets(st.sampled_from(m_ids)))) if m_ids else frozenset()
                scores[f"R{i}"] = (draw(level), draw(level), draw(st.sampled_from([0.0, 0.5, 1.0])), then)
        now = frozenset(draw(st.sets(st.sampled_from(m_ids)))) if m_ids else frozenset()
        belief = draw(st.sampled_from([0.0, 0.5, 1.0]))
        return _gen_register(levels, drivers, effects), {"scores": scores, "applied": now, "belief": belief}

    @settings(max_examples=150, deadline=None)
    @given(cases())
    def prop(case: tuple[str, dict[str, Any]]) -> None:
        text, s = case
        reg = load_text(text, "gen.yaml")
        state = scoring.State(
            beliefs={"A1": s["belief"]},
            scores={
                r: scoring.AnalystScore(lk, im, {"A1": b}, applied=then) for r, (lk, im, b, then) in s["scores"].items()
            },
            applied=s["applied"],
        )
        new, kept = fold(reg, state, "next")
        back = new  # the register made, read with no journal (the CLI tests above read it as written)
        said = {(x.item, x.axis): x for x in kept if x.what is Uncarried.CELL}
        was = {x.risk.id: x for x in scoring.score_all(reg, state)}
        for x in scoring.score_all(back):
            for i, axis in enumerate(("likelihood", "impact")):
                a, b = was[x.risk.id].cell[i], x.cell[i]
                if a == b:
                    assert (x.risk.id, axis) not in said
                    continue
                nc = said[(x.risk.id, axis)]
                assert (nc.was, nc.now) == (a, b)
                assert nc.rating == (was[x.risk.id].band.name, x.band.name)
                # No whole level holds it with the responses the new register marks done.
                e = sum(
                    getattr(ef.shift, axis)
                    for m in back.responses
                    if m.id in back.baseline_applied
                    for ef in (*m.effects, *m.side_effects)
                    if ef.risk == x.risk.id
                )
                assert all(cell_of(min(max(v + e, 1), 5), 5, v) != a for v in range(1, 6))
                assert nc.responses or e == 0

    prop()


def test_an_indicator_s_last_observation_is_carried_so_its_review_is_not_overdue(run, tmp_path: Path) -> None:
    old, new = tmp_path / "ind.yaml", tmp_path / "ind2.yaml"
    old.write_text(
        "id: ind\nas_of: 2026-01-01\nassumptions:\n  - {id: A1, statement: The levee holds, belief: 0.5}\n"
        "indicators:\n  - {id: I1, title: Seepage, review_every: 30, bears_on: [{assumption: A1, seen: 0.25}]}\n"
        "risks:\n  - {id: R1, title: Flood, likelihood: 3, impact: 3}\n",
        encoding="utf-8",
    )
    _ok(run("-r", str(old), "observe", "I1", "--why", "seen seepage"))
    _ok(run("-r", str(old), "rebaseline", "-o", str(new)))
    day = json.loads(_ok(run("-r", str(old), "indicators", "--json")).stdout)["indicators"][0]["last_observed"]
    assert f"observed: {day[:10]}" in new.read_text(encoding="utf-8")
    journals = {old: tmp_path / "ind.journal.jsonl", new: tmp_path / "none.jsonl"}  # the new one: no journal
    for reg in (old, new):
        result = run("-r", str(reg), "--journal", str(journals[reg]), "check")
        assert result.exit_code == 0 and "indicator-overdue" not in result.stdout, result.stdout
    assert _ok(run("-r", str(new), "--journal", str(tmp_path / "n.jsonl"), "indicators")).stdout.count(day[:10]) == 1
    # 31 days on, both say it is overdue, from the same day.
    later = (dt.date.fromisoformat(day[:10]) + dt.timedelta(days=31)).isoformat()
    for reg in (old, new):
        result = run("-r", str(reg), "--journal", str(journals[reg]), "check", "--as-of", later)
        assert "indicator-overdue: I1" in " ".join(result.stdout.split()), result.stdout


WATCHED = """\
id: watched
as_of: 2026-01-01
assumptions:
  - {id: A1, statement: Supplier delivers, belief: 0.5}
indicators:
  - {id: I1, title: Late shipments, review_every: 30, bears_on: [{assumption: A1, seen: 0.25}]}
  - {id: I2, title: Strikes, review_every: 60, bears_on: [{assumption: A1, seen: 0.5, absent: 1.5}]}
risks:
  - {id: R1, title: Production stops, likelihood: 3, impact: 3}
"""


def test_an_observation_read_before_the_step_is_carried_too(run, tmp_path: Path) -> None:
    """A read between the observation and the step leaves a replay checkpoint after it: the step
    still writes the indicator's observed day (it was lost, and check on the new register said the
    indicator was overdue from the register's as_of)."""
    old, new = tmp_path / "a.yaml", tmp_path / "b.yaml"
    old.write_text(WATCHED, encoding="utf-8")
    _ok(run("-r", str(old), "observe", "I1", "seen", "--ref", "PO-1", "--why", "3 weeks late"))
    assert "indicator-overdue: I1" not in run("-r", str(old), "check").stdout  # the read: a checkpoint after line 1
    _ok(run("-r", str(old), "rebaseline", "-o", str(new), "--why", "annual"))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    assert f"    observed: {today}\n" in new.read_text(encoding="utf-8")
    result = run("-r", str(new), "--journal", str(tmp_path / "none.jsonl"), "check")
    assert "indicator-overdue: I1" not in result.stdout and "indicator-overdue: I2" in result.stdout, result.stdout


def test_each_indicator_s_review_reads_the_same_after_the_step_whatever_was_read_before_it(run, tmp_path: Path) -> None:
    """Over sequences of observations, undos and reads (each read leaves a replay checkpoint that a
    later command folds onto): the new register read with no journal reports each indicator due or
    overdue as the old one with its journal does, today and a review period on, and writes an
    observed day exactly for the indicators the journal observed."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    steps = st.lists(
        st.sampled_from(
            [("observe", "I1"), ("observe", "I1", "absent"), ("observe", "I2", "--ref", "S-1"), ("check",), ("undo",)]
        ),
        max_size=5,
    )
    today = dt.datetime.now(dt.UTC).date()
    counter = iter(range(10**6))

    def overdue(reg: Path, journal: Path, on: dt.date) -> set[str]:
        result = run("-r", str(reg), "--journal", str(journal), "check", "--json", "--as-of", on.isoformat())
        assert result.exit_code in (0, 1), result.stderr
        return {f["subject"] for f in json.loads(result.stdout)["findings"] if f["kind"] == "indicator-overdue"}

    @settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps)
    def prop(case: list[tuple[str, ...]]) -> None:
        here = tmp_path / f"case{next(counter)}"
        here.mkdir()
        old, new, journal = here / "a.yaml", here / "b.yaml", here / "a.journal.jsonl"
        old.write_text(WATCHED, encoding="utf-8")
        for step in case:
            result = run("-r", str(old), *step)
            assert result.exit_code in (0, 1, 2), result.stderr  # check finds I2 overdue; an undo of nothing is refused
        _ok(run("-r", str(old), "rebaseline", "-o", str(new)))
        shown = json.loads(_ok(run("-r", str(old), "indicators", "--json")).stdout)["indicators"]
        text = new.read_text(encoding="utf-8")
        for ind in shown:
            block = text.split(f"- id: {ind['id']}\n", 1)[1].split("\n  - ", 1)[0]
            last = ind["last_observed"]
            assert (f"observed: {last[:10]}" in block) if last else ("observed:" not in block), (case, block)
        for on in (today, today + dt.timedelta(days=61)):
            assert overdue(new, here / "none.jsonl", on) == overdue(old, journal, on), (case, on)

    prop()


def test_a_warning_the_old_register_did_not_give_is_said(run, tmp_path: Path) -> None:
    """An analyst kept R1 at the top with M1 in force: written at 5 with its driver, the new register
    can be pushed past the scale (W-clamp) where the old one, at 4, could not. rebaseline says so."""
    old, new = tmp_path / "s.yaml", tmp_path / "s2.yaml"
    old.write_text(
        "id: s\nassumptions:\n  - {id: A1, statement: Calm, belief: 0.5}\n"
        "responses:\n  - {id: M1, title: Hedge, effects: [{risk: R1, likelihood: -1}]}\n"
        "risks:\n  - id: R1\n    title: Price spike\n    likelihood: 4\n    impact: 3\n"
        "    drivers: [{assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}]\n",
        encoding="utf-8",
    )
    _ok(run("-r", str(old), "respond", "M1", "--why", "y"))
    _ok(run("-r", str(old), "score", "R1", "-l", "5", "--why", "still almost certain"))
    assert _ok(run("-r", str(old), "check")).exit_code == 0
    result = run("-r", str(old), "rebaseline", "-o", str(new), "--json")
    assert result.exit_code == 1, result.stderr  # for the cell (above): the warning alone is said, exit 0
    kept = json.loads(result.stdout)["not_carried"]
    assert {"item": "R1", "what": "finding", "axis": "likelihood", "finding": "W-clamp-R1-likelihood"}.items() <= next(
        x for x in kept if x["what"] == "finding"
    ).items()
    assert [x["what"] for x in kept] == ["cell", "finding"]  # nothing else is new
    text = run("-r", str(old), "rebaseline", "-o", str(new), "--force")
    assert (
        "warning: R1: the new register gives a coherence warning this one does not (W-clamp-R1-likelihood; see its "
        "check), read from the levels and beliefs written"
    ) in " ".join(text.stderr.split())
    checked = run("-r", str(new), "--journal", str(tmp_path / "none.jsonl"), "check")
    assert checked.exit_code == 1 and "W-clamp-R1-likelihood" in checked.stdout  # what rebaseline said


@pytest.mark.parametrize(
    ("extra", "fmt"),
    [("", 1), (", confidence: high", 2)],
)
def test_the_new_register_gives_the_format_its_content_needs(run, tmp_path: Path, extra: str, fmt: int) -> None:
    old, new = tmp_path / "f.yaml", tmp_path / "f2.yaml"
    old.write_text(f"format: 2\nid: f\nrisks:\n  - {{id: R1, title: T, likelihood: 2, impact: 2{extra}}}\n")
    _ok(run("-r", str(old), "rebaseline", "-o", str(new)))
    assert f"\nformat: {fmt}\n" in new.read_text(encoding="utf-8")
    assert _ok(run("validate", str(new))).exit_code == 0


def test_a_plant_register_with_signposts_is_written_as_format_2(year) -> None:
    assert "\nformat: 2\n" in year["new"].read_text(encoding="utf-8")  # bears_on is format 2's


def test_as_of_before_the_step_is_refused_pointing_at_the_old_register(run, year) -> None:
    old, new = year["old"], year["new"]
    text = new.read_text(encoding="utf-8")
    today = dt.datetime.now(dt.UTC).date()
    # the old register's file from the new one's folder (both are in one folder)
    assert f"\nrebaselined:\n  from: plant-2025\n  date: {today.isoformat()}\n  file: plant-2025.yaml\n" in text
    before = (today - dt.timedelta(days=1)).isoformat()
    none = str(year["dir"] / "none.jsonl")
    for view in (("check",), ("show", "R4"), ("list",)):
        result = run("-r", str(new), "--journal", none, *view, "--as-of", before)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        said = " ".join(result.stderr.split())
        assert f"was rebaselined from register 'plant-2025' on {today.isoformat()}" in said
        assert f"riskcli -r {old} … --as-of {before}" in said
    # The old register answers it; the new one answers the day of the step and after.
    assert run("-r", str(old), "check", "--as-of", before).exit_code in (0, 1)
    assert run("-r", str(new), "--journal", none, "check", "--as-of", today.isoformat()).exit_code in (0, 1)


# A register quoting its source text, source.txt beside it.
QUOTED = """\
source: {title: Field notes, file: notes/source.txt}
risks:
  - {id: R1, title: Supplier fails, likelihood: 3, impact: 4, evidence: the supplier is late}
"""


def _quoted(tmp_path: Path) -> Path:
    folder = tmp_path / "2025"
    (folder / "notes").mkdir(parents=True)
    (folder / "notes" / "source.txt").write_text("We hear the supplier is late again.\n", encoding="utf-8")
    old = folder / "plant-2025.yaml"
    old.write_text(QUOTED, encoding="utf-8")
    return old


@pytest.mark.parametrize("command", [("rebaseline", "--why", "next year"), ("export", "--format", "yaml")])
def test_a_register_written_elsewhere_names_its_source_text_from_its_own_folder(run, tmp_path, command) -> None:
    old = _quoted(tmp_path)
    above = tmp_path / "plant-2026.yaml"  # the source text is below its folder: named from there
    done = _ok(run("-r", str(old), *command, "-o", str(above)))
    text = above.read_text(encoding="utf-8")
    assert "  file: 2025/notes/source.txt\n" in text
    assert f"source.file: 2025/notes/source.txt (the source text {old.parent / 'notes' / 'source.txt'}, " in done.stderr
    checked = _ok(run("-r", str(above), "validate"))
    assert "warning" not in checked.output and "source" not in checked.output
    # elsewhere, the name is kept and the place to copy the text to said in one line
    elsewhere = tmp_path / "2026" / "plant-2026.yaml"
    elsewhere.parent.mkdir()
    done = _ok(run("-r", str(old), *command, "-o", str(elsewhere)))
    assert "  file: notes/source.txt\n" in elsewhere.read_text(encoding="utf-8")
    said = [line for line in done.stderr.splitlines() if "source text" in line]
    assert said == [
        f"warning: the source text {old.parent / 'notes' / 'source.txt'} is not in the folder of {elsewhere}, where a "
        f"register reads it: copy it to {elsewhere.parent / 'notes' / 'source.txt'} for validate to check the "
        "evidence quotes against it"
    ]
    assert "is not a readable UTF-8 text file" in run("-r", str(elsewhere), "validate").output
    shutil.copytree(old.parent / "notes", elsewhere.parent / "notes")
    assert "warning" not in _ok(run("-r", str(elsewhere), "validate")).output
    # beside the old register, nothing changes and nothing is said
    beside = old.parent / "again.yaml"
    done = _ok(run("-r", str(old), *command, "-o", str(beside)))
    assert "  file: notes/source.txt\n" in beside.read_text(encoding="utf-8") and "source" not in done.stderr


def test_a_register_rebaselined_into_another_folder_names_the_old_one_from_there(run, tmp_path: Path) -> None:
    old = _quoted(tmp_path)
    new = tmp_path / "2026" / "plant-2026.yaml"
    new.parent.mkdir()
    _ok(run("-r", str(old), "rebaseline", "-o", str(new), "--why", "next year"))
    assert "\n  file: ../2025/plant-2025.yaml\n" in new.read_text(encoding="utf-8")
    before = (dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    result = run("-r", str(new), "check", "--as-of", before)
    assert result.exit_code == 2
    assert f"riskcli -r {old} … --as-of {before}" in " ".join(result.stderr.split())  # a path from here


@pytest.mark.parametrize("command", [("rebaseline", "--why", "next year"), ("export", "--format", "yaml")])
def test_a_copy_of_the_embedded_register_leaves_its_source_file_out_and_says_so(run, tmp_path, command) -> None:
    out = tmp_path / "mine.yaml"
    done = _ok(run(*command, "-o", str(out)))
    assert (
        "source.file left out: the embedded register's source text (source.txt) is riskcli's own, not in the "
        f"folder of {out}, where a register reads it"
    ) in done.stderr
    text = out.read_text(encoding="utf-8")
    assert "\nsource:\n" in text and "source.txt" not in text  # the rest of the source is kept
    assert "source" not in _ok(run("-r", str(out), "validate")).output


def test_history_and_show_say_where_the_history_before_the_step_is(run, year) -> None:
    new = year["new"]
    today = dt.datetime.now(dt.UTC).date().isoformat()
    line = (
        f"history before {today} is in the journal of {year['old']} (register 'plant-2025'), which this one was "
        "rebaselined from"
    )
    history = _ok(run("-r", str(new), "history"))
    assert history.stderr.splitlines() == [line, f"no events in {year['dir'] / 'plant-2026.journal.jsonl'}"]
    assert line in _ok(run("-r", str(new), "show", "R1")).stderr
    data = json.loads(_ok(run("-r", str(new), "history", "--json")).stdout)
    assert data["schema"] == "riskcli/history/8"
    assert data["earlier"] == {"register": "plant-2025", "date": today, "file": str(year["old"])}
    shown = json.loads(_ok(run("-r", str(new), "show", "R1", "--json")).stdout)
    assert shown["earlier"] == data["earlier"]
    # the old register has no earlier history to point at
    old = _ok(run("-r", str(year["old"]), "history"))
    assert "history before" not in old.stderr
    assert json.loads(_ok(run("-r", str(year["old"]), "history", "--json")).stdout)["earlier"] is None


def test_a_copy_of_the_embedded_register_points_at_its_history_there(run, tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    _ok(run("rebaseline", "-o", str(out), "--why", "mine now"))
    said = _ok(run("-r", str(out), "history")).stderr
    assert "is in the journal of the embedded register (register 'dprk-troops-russia')" in said


def test_the_last_review_is_said_not_carried_and_the_next_one_is_carried(run, tmp_path: Path) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(
        "risks:\n  - {id: R1, title: a, likelihood: 2, impact: 2, review_every: 90}\n"
        "  - {id: R2, title: b, likelihood: 2, impact: 2}\n",
        encoding="utf-8",
    )
    _ok(run("-r", str(old), "review", "R1", "--why", "quarterly"))
    done = _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "new.yaml"), "--json"))
    today = dt.datetime.now(dt.UTC).date()
    data = json.loads(done.stdout)
    review = [x for x in data["not_carried"] if x["what"] == "review"]
    assert [(x["item"], x["day"]) for x in review] == [("R1", today.isoformat())]  # R2 was never reviewed
    text = _ok(run("-r", str(old), "rebaseline", "-o", str(tmp_path / "again.yaml"))).stderr
    assert f"warning: R1: its last review, on {today.isoformat()}, is no register field (the journal keeps it)" in text
    due = (today + dt.timedelta(days=90)).isoformat()
    assert f"    review_by: {due}\n" in (tmp_path / "new.yaml").read_text(encoding="utf-8")
