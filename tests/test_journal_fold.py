"""The fold riskcli runs (riskcli.journal.replay) against the fold as first written, one event at a
time through the model (tests/reference_fold.py): on generated journals — several analysts, linked
and lone assumptions, observations counted or not, presets, responses, decisions, resolutions,
undos of events and of undos, a rebaseline into the register, merged lines out of order and lines
twice — every field of the state they end in is the same, bit for bit and in the same order, folded
at once or onto a replay of the first events (as a read after a checkpoint does), and the replay
folded onto is left as it was."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference_fold
from riskcli import journal, register
from riskcli.journal.replay import Replay, extend
from riskcli.model import Combine, Event, Register

from conftest import DATA

REGISTERS = {
    "embedded": lambda: register.load(None),  # two linked trees, signposts on linked assumptions
    "every_field": lambda: register.load(DATA / "every_field.yaml"),  # a link, a preset indicator, median
    "full": lambda: register.load(DATA / "full.yaml"),  # a preset indicator
}
ANALYSTS = ("alice", "bob", "carol", "dana")
BELIEFS = (0.0, 1.0, 0.5, 0.05, 0.3, 0.62, 0.9, 0.999, 0.0001)


@pytest.fixture(scope="module")
def registers() -> dict[str, Register]:
    return {name: load() for name, load in REGISTERS.items()}


def dump(rp: Replay) -> str:
    """Everything a replay ends in, as text: exact floats, maps in their order."""
    s = rp.state
    ev = s.evidence
    evidence = None
    if ev is not None:
        ledger = None if ev.ledger is None else [getattr(ev.ledger, k) for k in ev.ledger.__slots__]
        evidence = [getattr(ev, k) for k in ev.__slots__ if k not in ("net", "ledger")] + [ledger]
    return repr(
        (
            s.beliefs,
            s.scores,
            s.applied,
            s.decisions,
            s.panel,
            s.opinions,
            s.resolutions,
            evidence,
            rp.active,
            sorted(rp.undone),
            rp.warnings,
            rp.unknown,
            rp.clamped,
            rp.latest,
        )
    )


@st.composite
def journals(draw: Any, reg: Register) -> list[Event]:
    """Events as riskcli reads them from lines: mostly in time order, some merged out of it, some twice."""
    risks = [r.id for r in reg.risks] + ["R999"]
    assumptions = [a.id for a in reg.assumptions] + ["A999"]
    indicators = [i.id for i in reg.indicators] + ["I999"]
    responses = [m.id for m in reg.responses] + ["M999"]
    n = draw(st.integers(1, 60))
    objs: list[dict[str, Any]] = []
    for i in range(n):
        minute = draw(st.integers(0, 3)) + i * 4 if draw(st.integers(0, 9)) else draw(st.integers(0, 4 * n))
        base = {
            "v": 1,
            "id": f"e{i:03d}",
            "at": f"2025-01-{1 + minute // 1440:02d}T{minute // 60 % 24:02d}:{minute % 60:02d}:00.000000Z",
            "by": draw(st.sampled_from(ANALYSTS)),
        }
        kind = draw(
            st.sampled_from(
                ["belief"] * 8
                + ["score"] * 5
                + ["observe"] * 3
                + ["respond", "undo", "resolve", "assign", "rebaseline"]
            )
        )
        if kind == "belief":
            obj = {"assumption": draw(st.sampled_from(assumptions)), "belief": draw(st.sampled_from(BELIEFS))}
        elif kind == "score":
            obj = {
                "risk": draw(st.sampled_from(risks)),
                "likelihood": draw(st.integers(1, 7)),
                "impact": draw(st.integers(1, 5)),
            }
            if draw(st.booleans()):
                obj["confidence"] = draw(st.sampled_from(["low", "moderate", "high"]))
        elif kind == "observe":
            obj = {
                "indicator": draw(st.sampled_from(indicators)),
                "outcome": draw(st.sampled_from(["seen", "seen", "absent", "none"])),
            }
            if draw(st.booleans()):
                obj["ref"] = draw(st.sampled_from(["r1", "r2"]))
        elif kind == "respond":
            obj = {"response": draw(st.sampled_from(responses)), "applied": draw(st.booleans())}
        elif kind == "undo":
            if not objs:
                continue
            obj = {"undoes": draw(st.sampled_from([o["id"] for o in objs]))}
        elif kind == "resolve":
            if draw(st.booleans()):
                obj = {
                    "assumption": draw(st.sampled_from(assumptions)),
                    "outcome": draw(st.sampled_from(["held", "failed"])),
                }
            else:
                obj = {"risk": draw(st.sampled_from(risks)), "outcome": "occurred"}
            obj["on"] = "2025-01-02"
        elif kind == "rebaseline":  # the step that made this register: the events up to it are its baseline
            obj = {"into": reg.identity, "file": "new.yaml", "sha256": "0" * 64, "register": "before"}
        else:
            obj = {"risk": draw(st.sampled_from(risks)), "owner": draw(st.sampled_from(ANALYSTS))}
        objs.append({**base, "kind": kind, **obj, "why": f"w{i}"})
    if objs and draw(st.booleans()):  # a merge: some lines twice, in other places (of the lines there are)
        for o in draw(st.lists(st.sampled_from(objs), max_size=5)):
            objs.insert(draw(st.integers(0, len(objs))), dict(o))
    return [journal.event_from(o, line, "j") for line, o in enumerate(objs, 1)]


@pytest.mark.parametrize("name", sorted(REGISTERS))
@pytest.mark.parametrize("rule", [None, Combine.MEDIAN, Combine.MEAN, Combine.LAST])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_fold_ends_in_the_state_of_folding_every_event_through_the_model(registers, name, rule, data) -> None:
    reg = registers[name]
    if rule is not None:
        reg = dataclasses.replace(reg, combine=rule)
    events = data.draw(journals(reg))
    assert dump(journal.replay(reg, events)) == dump(reference_fold.replay(reg, events))
    cut = data.draw(st.integers(0, len(events)))
    first, rest = events[:cut], events[cut:]
    base = journal.replay(reg, first)
    was = dump(base)
    ours = extend(reg, base, rest)
    theirs = reference_fold.extend(reg, reference_fold.replay(reg, first), rest)
    assert dump(ours) == dump(theirs)
    assert dump(base) == was  # the state folded from stays as it was


def test_the_generated_journals_reach_what_the_fold_defers(registers) -> None:
    """The generator makes what the fold's shortcuts turn on: a lone assumption set twice with a
    score between (its set waits), a linked one (made at once), scores of one risk by several
    analysts (only the latest kept)."""
    reg = registers["embedded"]
    lines = [
        ("belief", "alice", {"assumption": "A9", "belief": 0.9}),
        ("belief", "bob", {"assumption": "A9", "belief": 0.2}),
        ("score", "alice", {"risk": "R1", "likelihood": 2, "impact": 3}),
        ("belief", "alice", {"assumption": "A7", "belief": 0.3}),
        ("score", "bob", {"risk": "R1", "likelihood": 4, "impact": 3}),
        ("belief", "carol", {"assumption": "A9", "belief": 0.6}),
        ("observe", "bob", {"indicator": "I1", "outcome": "seen"}),
        ("score", "alice", {"risk": "R1", "likelihood": 5, "impact": 3}),
    ]
    events = [
        journal.event_from(
            {"v": 1, "id": f"x{i}", "at": f"2025-01-01T00:0{i}:00.000000Z", "by": by, "kind": kind, **d}, i + 1, "j"
        )
        for i, (kind, by, d) in enumerate(lines)
    ]
    ours, theirs = journal.replay(reg, events), reference_fold.replay(reg, events)
    assert dump(ours) == dump(theirs)
    assert list(ours.state.panel["R1"]) == ["alice", "bob"] and ours.state.scores["R1"].likelihood == 5
    assert ours.state.panel["R1"]["bob"].beliefs["A9"] != ours.state.beliefs["A9"]  # carol's belief came after
