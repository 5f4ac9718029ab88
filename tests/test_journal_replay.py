"""Replay, undo and event lookup (journal/replay.py) on hand-made events."""

from __future__ import annotations

import dataclasses

import pytest

from riskcli import journal, register
from riskcli.journal.replay import in_order, moment
from riskcli.model import Event

from conftest import DATA

REG = register.load(DATA / "full.yaml")  # A1 (0.675), A2 (0.4); R1, R2; I1 sets A1 to 0.325; M1


def ev(n: int, kind: str, by: str = "ann", **data) -> Event:
    return Event(n, f"e{n}", f"2025-02-01T00:00:{n:02d}Z", by, kind, data, why=f"why {n}")


def test_a_belief_event_sets_the_belief() -> None:
    rp = journal.replay(REG, [ev(1, "belief", assumption="A2", belief=0.9)])
    assert rp.state.beliefs == {"A1": REG.baseline_beliefs["A1"], "A2": 0.9}
    assert [e.id for e in rp.active] == ["e1"] and rp.warnings == []


def test_a_score_is_anchored_to_the_beliefs_and_responses_in_force_when_given() -> None:
    events = [
        ev(1, "belief", assumption="A1", belief=0.0),
        ev(2, "respond", response="M1"),
        ev(3, "score", by="bob", risk="R1", likelihood=2, impact=5),
        ev(4, "belief", assumption="A1", belief=1.0),
        ev(5, "respond", response="M1", applied=False),
    ]
    rp = journal.replay(REG, events)
    s = rp.state.scores["R1"]
    assert (s.likelihood, s.impact, s.by, s.at, s.why) == (2.0, 5.0, "bob", "2025-02-01T00:00:03Z", "why 3")
    assert s.beliefs == {"A1": 0.0, "A2": 0.4} and s.applied == frozenset({"M1"})
    assert rp.state.beliefs["A1"] == 1.0 and rp.state.applied == frozenset()


def test_each_score_keeps_the_beliefs_and_responses_of_its_own_moment() -> None:
    """Scores share a snapshot of the state only until a belief or a response changes."""
    base = dict(REG.baseline_beliefs)
    events = [
        ev(1, "score", risk="R1", likelihood=2, impact=2),
        ev(2, "belief", assumption="A1", belief=0.0),
        ev(3, "score", risk="R2", likelihood=3, impact=3),
    ]
    scores = journal.replay(REG, events).state.scores
    assert scores["R1"].beliefs == base and scores["R2"].beliefs == {**base, "A1": 0.0}
    events[1] = ev(2, "observe", indicator="I1")
    scores = journal.replay(REG, events).state.scores
    assert scores["R1"].beliefs == base and scores["R2"].beliefs == {**base, "A1": 0.325}
    events[1] = ev(2, "respond", response="M1")
    scores = journal.replay(REG, events).state.scores
    assert scores["R1"].applied == frozenset() and scores["R2"].applied == {"M1"}
    assert scores["R1"].beliefs == scores["R2"].beliefs == base
    later = journal.replay(REG, [*events, ev(4, "belief", assumption="A2", belief=1.0)])
    assert later.state.scores["R2"].beliefs == base  # a later belief does not reach back


def test_responses_are_applied_by_default_and_withdrawn_when_applied_is_false() -> None:
    assert journal.replay(REG, [ev(1, "respond", response="M1")]).state.applied == {"M1"}
    on = journal.replay(REG, [ev(1, "respond", response="M1", applied=True)])
    assert on.state.applied == {"M1"}
    off = journal.replay(REG, [ev(1, "respond", response="M1"), ev(2, "respond", response="M1", applied=False)])
    assert off.state.applied == frozenset() and len(off.active) == 2


def test_an_indicator_seen_sets_its_beliefs_and_one_looked_for_in_vain_does_not() -> None:
    assert journal.replay(REG, [ev(1, "observe", indicator="I1")]).state.beliefs["A1"] == 0.325
    assert journal.replay(REG, [ev(1, "observe", indicator="I1", outcome="seen")]).state.beliefs["A1"] == 0.325
    none = journal.replay(REG, [ev(1, "observe", indicator="I1", outcome="none")])
    assert none.state.beliefs["A1"] == REG.baseline_beliefs["A1"]
    assert [e.id for e in none.active] == ["e1"]  # the review counts as an event in force


@pytest.mark.parametrize(
    ("event", "what", "ident"),
    [
        (ev(1, "belief", assumption="A9", belief=0.1), "assumptions", "A9"),
        (ev(1, "score", risk="R9", likelihood=2, impact=2), "risks", "R9"),
        (ev(1, "observe", indicator="I9"), "indicators", "I9"),
        (ev(1, "respond", response="M9"), "responses", "M9"),
        (ev(1, "resolve", assumption="A9", outcome="held", on="2025-02-01"), "assumptions", "A9"),
        (ev(1, "resolve", risk="R9", outcome="occurred", on="2025-02-01"), "risks", "R9"),
    ],
)
def test_events_about_unknown_ids_are_ignored_with_a_warning(event, what, ident) -> None:
    rp = journal.replay(REG, [event])
    assert rp.state.beliefs == REG.baseline_beliefs
    assert rp.state.scores == {} and rp.state.applied == frozenset()
    assert rp.active == [] and rp.events == [event]
    assert rp.warnings == [f"journal events about {what} no longer in the register are ignored: {ident}"]


def test_unknown_ids_are_listed_sorted_and_at_most_ten() -> None:
    events = [ev(n, "score", risk=f"X{n:02d}", likelihood=2, impact=2) for n in range(12, 0, -1)]
    (warning,) = journal.replay(REG, events).warnings
    assert warning.endswith(": " + ", ".join(f"X{n:02d}" for n in range(1, 11)))


def test_scores_beyond_the_scale_are_read_at_its_top_with_a_warning() -> None:
    events = [
        ev(1, "score", risk="R1", likelihood=5, impact=5),  # the top itself: no warning
        ev(2, "score", risk="R2", likelihood=2, impact=7),
    ]
    rp = journal.replay(REG, events)
    assert (rp.state.scores["R1"].likelihood, rp.state.scores["R1"].impact) == (5.0, 5.0)
    assert (rp.state.scores["R2"].likelihood, rp.state.scores["R2"].impact) == (2.0, 5.0)
    assert rp.warnings == [
        "journal scores beyond this register's scales (5×5) are read at the top of the scale: line 2: R2 2×7"
    ]
    rp = journal.replay(REG, [ev(1, "score", risk="R1", likelihood=6.5, impact=1)])
    assert rp.state.scores["R1"].likelihood == 5.0
    assert rp.warnings[0].endswith(": line 1: R1 6.5×1")


@pytest.mark.parametrize(
    ("n", "tail"), [(5, "; line 5: R1 9×1"), (6, "; line 5: R1 9×1 and 1 more"), (8, " and 3 more")]
)
def test_the_beyond_the_scale_warning_lists_five(n, tail) -> None:
    events = [ev(k, "score", risk="R1", likelihood=9, impact=1) for k in range(1, n + 1)]
    (warning,) = journal.replay(REG, events).warnings
    assert warning.count("line ") == 5 and warning.endswith(tail)


def test_markers_are_replayed_but_not_in_force() -> None:
    events = [
        ev(1, "torn", line=9),
        ev(2, "adopt", **{"from": "old"}),
        ev(3, "belief", assumption="A1", belief=0.3),
        ev(4, "undo", undoes="e9"),  # names nothing in the journal
    ]
    rp = journal.replay(REG, events)
    assert rp.events == events
    assert [e.id for e in rp.active] == ["e3"]
    assert rp.state.beliefs["A1"] == 0.3 and rp.undone == {"e9"}


def test_an_undone_event_of_each_kind_is_skipped() -> None:
    events = [
        ev(1, "belief", assumption="A2", belief=0.9),
        ev(2, "score", risk="R1", likelihood=1, impact=1),
        ev(3, "observe", indicator="I1"),
        ev(4, "respond", response="M1"),
        *(ev(n + 4, "undo", undoes=f"e{n}") for n in range(1, 5)),
    ]
    rp = journal.replay(REG, events)
    assert rp.state.beliefs == REG.baseline_beliefs and rp.state.scores == {} and rp.state.applied == frozenset()
    assert rp.active == [] and rp.undone == {"e1", "e2", "e3", "e4"}


def test_replay_takes_any_iterable_of_events() -> None:
    events = [ev(1, "belief", assumption="A1", belief=0.1), ev(2, "belief", assumption="A1", belief=0.9)]
    events.append(ev(3, "undo", undoes="e2"))
    rp = journal.replay(REG, iter(events))
    assert rp.state.beliefs["A1"] == 0.1 and rp.undone == {"e2"} and rp.events == events


def test_a_score_keeps_the_latest_belief_given_before_it_and_a_resolution() -> None:
    """A2 given 0.3, then 0.6, then R1 scored: the score is anchored to A2 at 0.6. R1 scored, A1
    resolved as held, R2 scored: R2's score is anchored to A1 at 1, R1's to A1 as it was."""
    events = [
        ev(1, "belief", assumption="A2", belief=0.3),
        ev(2, "belief", assumption="A2", belief=0.6),
        ev(3, "score", risk="R1", likelihood=2, impact=2),
    ]
    rp = journal.replay(REG, events)
    assert rp.state.scores["R1"].beliefs["A2"] == 0.6 and rp.state.beliefs["A2"] == 0.6
    events = [
        ev(1, "score", risk="R1", likelihood=2, impact=2),
        ev(2, "resolve", assumption="A1", outcome="held", on="2025-02-01"),
        ev(3, "score", risk="R2", likelihood=2, impact=2),
    ]
    scores = journal.replay(REG, events).state.scores
    assert scores["R1"].beliefs["A1"] == REG.baseline_beliefs["A1"] and scores["R2"].beliefs["A1"] == 1.0


def test_a_signpost_seen_after_beliefs_given_is_the_last_word() -> None:
    """A1 given 0.3, then 0.6, then I1 seen (which sets A1 to 0.325): A1 is where I1 put it."""
    events = [
        ev(1, "belief", assumption="A1", belief=0.3),
        ev(2, "belief", assumption="A1", belief=0.6),
        ev(3, "observe", indicator="I1"),
    ]
    assert journal.replay(REG, events).state.beliefs["A1"] == 0.325


def test_a_belief_after_its_assumption_is_resolved_moves_nothing_and_one_on_another_does() -> None:
    """A fact outweighs a judgement: A1 resolved as held stays at 1 whatever belief is given after
    it; A2, not resolved, takes the belief given."""
    events = [
        ev(1, "resolve", assumption="A1", outcome="held", on="2025-02-01"),
        ev(2, "belief", assumption="A1", belief=0.2),
        ev(3, "belief", assumption="A2", belief=0.9),
    ]
    assert journal.replay(REG, events).state.beliefs == {"A1": 1.0, "A2": 0.9}
    # beliefs given before it, the last of them not yet made when the resolution comes: the fact wins
    before = [ev(n, "belief", assumption="A1", belief=b) for n, b in ((4, 0.3), (5, 0.6))]
    events = [*before, ev(6, "resolve", assumption="A1", outcome="failed", on="2025-02-01")]
    assert journal.replay(REG, events).state.beliefs["A1"] == 0.0


def test_an_observation_before_the_step_that_made_the_register_is_its_indicator_s_last() -> None:
    """A journal that reaches back before the rebaseline that made this register: an observation
    there is history (its effect is in the register's baseline: it moves no belief again), and it
    is still the indicator's last observation, which its next review counts from."""
    step = Event(
        2,
        "e2",
        "2025-02-01T00:00:02Z",
        "ann",
        "rebaseline",
        {"into": REG.identity, "file": "next.yaml", "sha256": "0" * 64},
        register="before",
    )
    rp = journal.replay(REG, [ev(1, "observe", indicator="I1"), step])
    assert rp.state.beliefs == dict(REG.baseline_beliefs)
    assert [e.id for e in rp.active] == ["e1"]


def test_undone_ids_follow_chains_of_undos() -> None:
    chain = [ev(1, "belief", assumption="A1", belief=0.1)] + [ev(n, "undo", undoes=f"e{n - 1}") for n in range(2, 6)]
    assert journal.undone_ids(chain[:2]) == {"e1"}
    assert journal.undone_ids(chain[:3]) == {"e2"}
    assert journal.undone_ids(chain[:4]) == {"e3", "e1"}
    assert journal.undone_ids(chain) == {"e4", "e2"}
    assert journal.undone_ids(iter(chain)) == {"e4", "e2"}  # any iterable


def test_extend_folds_new_events_onto_a_copy() -> None:
    first = [ev(1, "belief", assumption="A1", belief=0.2), ev(2, "respond", response="M1")]
    more = [ev(3, "score", risk="R1", likelihood=4, impact=4), ev(4, "respond", response="M1", applied=False)]
    rp = journal.replay(REG, first)
    longer = journal.extend(REG, rp, more)
    whole = journal.replay(REG, first + more)
    assert longer.state == whole.state and longer.active == whole.active and longer.events == whole.events
    assert longer.undone == whole.undone
    # the replay it started from is untouched
    assert rp.state.applied == {"M1"} and rp.state.scores == {} and len(rp.active) == 2 and len(rp.events) == 2


def test_extend_with_an_undo_replays_the_whole_journal() -> None:
    first = [ev(1, "belief", assumption="A1", belief=0.2), ev(2, "belief", assumption="A1", belief=0.9)]
    rp = journal.replay(REG, first)
    longer = journal.extend(REG, rp, [ev(3, "undo", undoes="e2")])
    assert longer.state.beliefs["A1"] == 0.2 and longer.undone == {"e2"}
    assert [e.id for e in longer.active] == ["e1"] and len(longer.events) == 3
    assert rp.state.beliefs["A1"] == 0.9


def test_last_undoable_skips_markers_undos_and_undone_events() -> None:
    events = [
        ev(1, "belief", assumption="A1", belief=0.1),
        ev(2, "belief", by="bob", assumption="A1", belief=0.2),
        ev(3, "belief", assumption="A1", belief=0.3),
        ev(4, "undo", undoes="e3"),
        ev(5, "torn", line=9),
        ev(6, "adopt", **{"from": "old"}),
    ]
    assert journal.last_undoable(events).id == "e2"
    assert journal.last_undoable(events, by="ann").id == "e1"
    assert journal.last_undoable(events, by="bob").id == "e2"
    assert journal.last_undoable(events, by="cy") is None
    assert journal.last_undoable(events[3:]) is None


def test_find_event_by_id_then_by_line() -> None:
    events = [
        Event(1, "3", "", "ann", "belief", {"assumption": "A1", "belief": 0.1}),  # an id that looks like a line
        ev(2, "belief", assumption="A1", belief=0.2),
        ev(3, "belief", assumption="A1", belief=0.3),
    ]
    find = journal.find_event
    assert find(events, "e2") is events[1]
    assert find(events, " e3 ") is events[2]
    assert find(events, "3") is events[0]  # the id wins
    assert find(events, "2") is events[1]
    assert find(events, "#2") is events[1]
    assert find(events, " #3") is events[2]
    assert find(events, "4") is None
    assert find(events, "e4") is None
    assert find(events, "x2") is None


SHIPPED = register.load()  # I1 bears on A9 (0.5): seen ×3, absent ×0.65; reviewed every 14 days


def _a9(*events: Event) -> float:
    return journal.replay(SHIPPED, list(events)).state.beliefs["A9"]


def test_a_sighting_whose_ref_was_counted_moves_no_belief_again() -> None:
    once = _a9(ev(1, "observe", indicator="I1", ref="cable-7"))
    assert once > SHIPPED.baseline_beliefs["A9"]
    assert _a9(ev(1, "observe", indicator="I1", ref="cable-7"), ev(2, "observe", indicator="I1", ref="cable-7")) == once
    assert _a9(ev(1, "observe", indicator="I1", ref="cable-7"), ev(2, "observe", indicator="I1", ref="cable-8")) > once


def test_absences_count_once_per_review_window_of_the_indicators_own_period() -> None:
    """I1's windows are 14 days from the register's date (2024-10-31), not the rules' 30."""
    one = _a9(ev(1, "observe", indicator="I1", outcome="absent", on="2024-11-01"))
    assert one < SHIPPED.baseline_beliefs["A9"]
    same_window = _a9(
        ev(1, "observe", indicator="I1", outcome="absent", on="2024-11-01"),
        ev(2, "observe", indicator="I1", outcome="absent", on="2024-11-10"),
    )
    next_window = _a9(
        ev(1, "observe", indicator="I1", outcome="absent", on="2024-11-01"),
        ev(2, "observe", indicator="I1", outcome="absent", on="2024-11-21"),
    )
    assert same_window == one and next_window < one


# --------------------------------------------------------------------------- order of the fold


def at(when: str, ident: str = "e", **data) -> Event:
    return Event(1, ident, when, "ann", data.pop("kind", "score"), data)


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("2025-01-31 09:00:00.000000Z", "2025-01-31T09:00:00.000000Z"),  # a space for the T
        ("2025-01-31T09:00:00,500000Z", "2025-01-31T09:00:00.500000Z"),  # a comma for the point
        ("2025-01-31T09:00:00.00+0100", "2025-01-31T08:00:00.000000Z"),  # an offset, not Z
        ("2025-01-31T09:00:00.0000000", "2025-01-31T09:00:00.000000Z"),  # no zone: UTC
        ("2025-02-30T09:00:00.000000Z", "2025-02-30T09:00:00.000000Z"),  # riskcli's form: as written
    ],
)
def test_a_time_as_long_as_riskcli_s_own_is_read_in_its_own_form(written, read) -> None:
    """Times of riskcli's length but another form are rewritten, not taken as written."""
    assert len(written) == len(read)
    assert moment(written) == read


def test_times_with_offsets_fold_in_the_order_of_their_moments() -> None:
    east, west = at("2025-01-31T10:00:00+02:00", "east"), at("2025-01-31T09:00:00Z", "west")
    assert [e.id for e in in_order([east, west])[0]] == ["east", "west"]  # 08:00 UTC, then 09:00


@pytest.mark.parametrize("no_time", ["x" * 27, "2025-01-31 nine o'clock", "yesterday"])
def test_a_time_that_is_no_time_is_folded_first_and_said(no_time) -> None:
    """Even as long as riskcli's own form: taken as written it would sort after every year."""
    late, edited = at("2025-01-31T09:00:00.000000Z", "a"), at(no_time, "b")
    for events in ([late, edited], [edited, late]):
        ordered, warnings = in_order(events)
        assert [e.id for e in ordered] == ["b", "a"]
        assert warnings == [
            f"line {edited.line}: its time {no_time!r} is no time: the event is folded before every event that has one"
        ]
    assert in_order([edited])[1] == in_order([edited, late])[1] and in_order([late])[1] == []


def test_a_later_copy_with_content_that_sorts_first_replaces_its_own_twin_only() -> None:
    first = at("2025-01-31T08:00:00.000000Z", "a", risk="R1", likelihood=1, impact=1)
    kept = at("2025-01-31T09:00:00.000000Z", "b", risk="R1", likelihood=5, impact=5)
    other = at("2025-01-31T09:00:00.000000Z", "b", risk="R1", likelihood=2, impact=2)  # sorts first
    events, warnings = in_order([first, kept, other])
    assert [(e.id, e.data["likelihood"]) for e in events] == [("a", 1), ("b", 2)]
    assert len(warnings) == 1


@pytest.mark.parametrize(
    "loop", [{"u": "u"}, {"p": "q", "q": "p"}, {"p": "q", "q": "r", "r": "p"}], ids=["one", "two", "three"]
)
def test_undos_naming_each_other_in_a_loop_are_none_in_force(loop) -> None:
    undos = [at("2025-01-31T09:00:00Z", u, kind="undo", undoes=named) for u, named in loop.items()]
    score = at("2025-01-31T08:00:00Z", "s", risk="R1", likelihood=5, impact=5)
    off = at("2025-01-31T10:00:00Z", "x", kind="undo", undoes=next(iter(loop)))  # an undo of one of them
    assert journal.undone_ids([score, *undos]) == set()
    assert journal.undone_ids([*undos, off]) == {next(iter(loop))}
    assert journal.replay(REG, [score, *undos, off]).state.scores["R1"].likelihood == 5.0


def test_an_undo_of_an_undo_of_an_undo_undoes_again() -> None:
    chain = [at("2025-01-31T09:00:00Z", f"u{n}", kind="undo", undoes=f"u{n - 1}" if n > 1 else "s") for n in (1, 2, 3)]
    assert journal.undone_ids(chain) == {"s", "u2"}
    assert journal.undone_ids(chain[:2]) == {"u1"}
    assert journal.undone_ids(chain[::-1]) == {"s", "u2"}


def test_extending_with_a_copy_of_the_last_event_counts_it_once() -> None:
    """A copy of the event folded last (a merged journal's) sends extend to a full replay, which
    folds it once; folded on, it would be counted again."""
    reg = register.load(None)  # the embedded register: I1 is evidence about A9
    seen = at("2025-01-31T09:00:00.000000Z", "o1", kind="observe", indicator="I1")
    once = journal.replay(reg, [seen])
    copy = at("2025-01-31T09:00:00.000000Z", "o1", kind="observe", indicator="I1")
    assert journal.extend(reg, once, [copy]).state.beliefs == once.state.beliefs
    later = at("2025-01-31T09:00:01.000000Z", "o2", kind="observe", indicator="I1")
    assert journal.extend(reg, once, [later]).state.beliefs["A9"] != once.state.beliefs["A9"]


def test_an_indicator_without_its_own_period_counts_absences_per_the_rules_window() -> None:
    """I1 without review_every takes the rules' 30 days: absences 20 days apart count once."""
    i1, *others = SHIPPED.indicators
    reg = dataclasses.replace(SHIPPED, indicators=(dataclasses.replace(i1, review_every=None), *others))
    assert reg.rules.review_every == 30

    def a9(*days: str) -> float:
        events = [ev(n, "observe", indicator="I1", outcome="absent", on=day) for n, day in enumerate(days, 1)]
        return journal.replay(reg, events).state.beliefs["A9"]

    one = a9("2024-11-01")
    assert one < reg.baseline_beliefs["A9"]
    assert a9("2024-11-01", "2024-11-21") == one
    assert a9("2024-11-01", "2024-12-05") < one


def test_twins_with_different_content_are_said_five_at_most() -> None:
    events = [
        at(f"2025-01-31T09:00:0{n}.000000Z", f"t{n}", risk="R1", likelihood=like, impact=2)
        for n in range(7)
        for like in (1, 2)
    ]
    warnings = journal.replay(REG, events).warnings
    assert len(in_order(events)[1]) == 7
    assert [w for w in warnings if "with different content" in w] == in_order(events)[1][:5]
