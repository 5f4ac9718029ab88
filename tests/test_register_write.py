"""Registers written as YAML: a risk item whose values are plain text, numbers and short lists is
written directly, line for line what PyYAML writes, and is not read back; everything else is
written by PyYAML and read back as before."""

from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from riskcli.model import OperationalError, Register, Risk
from riskcli.register import default_rules
from riskcli.register import write as w
from riskcli.register.kinds import FlowList

# Text mostly of the characters written plain, with the ones that are not, the words YAML reads as
# booleans or null, dates, long text that is folded, and a second space now and then.
_CHARS = string.ascii_letters + string.digits + " .,;()/'&+%_-" + ':#"é\t\u2028'
_texts = st.one_of(
    st.text(st.sampled_from(_CHARS), min_size=1, max_size=40),
    st.lists(
        st.text(st.sampled_from(string.ascii_letters + ".,-'"), min_size=1, max_size=14), min_size=1, max_size=30
    ).map(" ".join),
    st.sampled_from(["yes", "No", "null", "TRUE", "off", "y", "2025-01-31", "R1", "Yesterday", "a  b", "end "]),
)
_scalars = st.one_of(
    _texts,
    st.integers(-(10**6), 10**9),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(st.one_of(st.sampled_from(["US", "CN", "OPS", "a-b", "x y", "yes", "Q1.2"]), _texts), max_size=12).map(
        FlowList
    ),
)
_keys = st.one_of(st.sampled_from(["title", "description", "likelihood", "actors", "rationale"]), _texts)
_items = st.dictionaries(
    _keys, st.one_of(_scalars, st.dictionaries(_keys, _scalars, max_size=3)), min_size=1, max_size=8
).map(lambda d: {"id": "R1", **d})


@settings(max_examples=400, deadline=None)
@given(data=_items)
def test_an_item_written_directly_is_what_pyyaml_writes(data: dict) -> None:
    for dumper in (w._Dumper, w._PlainDumper):
        direct = w._direct(data, dumper.block_text)
        if direct is not None:
            assert direct == w._dump([data], dumper).splitlines()
            assert yaml.safe_load("\n".join(direct)) == [data]


@pytest.mark.parametrize(
    "data",
    [
        {"id": "R1", "title": "Flood in the north " * 8 + "end", "likelihood": 3, "actors": FlowList(["US", "CN"])},
        {"id": "R1", "title": "Flood", "extra": {"Risk Owner": "Finance team", "Score": 12, "Weight": 0.25}},
        {"id": "R1", "title": "A" * 101 + " b c"},
        {"id": "R1", "title": "A" * 96 + " b", "evidence": "B" * 91 + " c"},  # lines of exactly 100
    ],
    ids=["folded", "a-mapping", "a-word-past-the-width", "at-the-width"],
)
def test_the_usual_items_are_written_directly(data: dict) -> None:
    for dumper in (w._Dumper, w._PlainDumper):
        assert w._direct(data, dumper.block_text) == w._dump([data], dumper).splitlines()


def _register(*risks: Risk) -> Register:
    return Register(path="t.yaml", rules=default_rules(), risks=risks, title="T")


def test_the_risks_written_directly_are_not_read_back_but_one(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[str] = []
    real = w.read_back
    monkeypatch.setattr(w, "read_back", lambda text, *a: read.append(text) or real(text, *a))
    reg = _register(
        Risk("R1", "Flood in the north", 3, 4),
        Risk("R2", "Yes", 2, 2),  # a title PyYAML quotes: written by PyYAML, read back
        Risk("R3", "Fire", 1, 5, description="Smoke and ash " * 10 + "everywhere"),
    )
    text = w.register_yaml(reg)
    assert len(read) == 1
    assert "id: R1" in read[0] and "id: R2" in read[0] and "id: R3" not in read[0]
    assert "description: >-" in text
    assert w.comparable(w.read_back(text, "t.yaml")) == w.comparable(reg)


@pytest.mark.parametrize(
    "risks",
    [
        (Risk("R1", "Flood", 3, 4), Risk("R2", "Fire", 2, 2), Risk("R2", "Quake", 1, 1)),
        (Risk("R1", "Flood", 3, 4), Risk("R2", "Fire", 2, 9)),
        (Risk("R1", "Flood", 3, 4), Risk("R2", "Fire", 0, 2)),
    ],
    ids=["an-id-twice", "a-level-past-the-scale", "a-level-below-it"],
)
def test_a_register_that_would_not_read_back_is_never_written(risks: tuple[Risk, ...]) -> None:
    """What reading the risks back would refuse, across items, is still refused."""
    with pytest.raises(OperationalError, match="could not write"):
        w.register_yaml(_register(*risks))
