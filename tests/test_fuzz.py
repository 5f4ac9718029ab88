"""Hostile input, generated: mutated registers and hand-edited journal lines get exit 0, 1 or 2 and
never a traceback, and every register `validate` accepts renders in every view.

The example counts are small so that the suite stays fast; set RISKCLI_FUZZ_EXAMPLES (e.g. 2000)
for a longer run.
"""

from __future__ import annotations

import json
import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SUPPLY

EXAMPLES = int(os.environ.get("RISKCLI_FUZZ_EXAMPLES", "30"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

BASE = (
    SUPPLY
    + """\
indicators:
  - {id: I1, title: Late shipment, bears_on: [{assumption: A1, seen: 3, absent: 0.5}]}
  - {id: I2, title: Price index, updates: [{assumption: A2, belief: 0.9}]}
responses:
  - {id: M1, title: Second supplier, effects: [{risk: R1, likelihood: -1}], excludes: [M2]}
  - {id: M2, title: Hedge, effects: [{risk: R2, impact: -1}]}
scenarios:
  - {id: squeeze, title: Supply squeeze, beliefs: {A1: fails}}
"""
)
LINES = BASE.splitlines()

# What a hand edit or a malicious file puts where a value was.
ODD = st.sampled_from(
    [
        "", "~", "null", "[]", "{}", "-1", "0", "1e309", "nan", ".inf", "99", "yes", "no", "'x'", '"\\u0000"',
        "&a x", "*a", "!!python/object:os.system", "!!binary aGk=", "<<: *a", "[{}]", "-", "? x", "|", ">-",
        "\t", "\x1b[31m", "R1", "A9", "M9", "I9", "2.5", "0.5", "100%", "likely", "very likely", "holds",
    ]
)  # fmt: skip
TEXT = st.text(alphabet=string.printable + "éü→“”\u202e\u200b", max_size=20)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.integers(0, 5))
        if how == 0:
            del lines[i]
        elif how == 1:
            lines.insert(i, lines[i])
        elif how == 2 and ":" in lines[i]:
            key, _, _ = lines[i].partition(":")
            lines[i] = f"{key}: {draw(ODD)}"
        elif how == 3:
            lines[i] = lines[i] + draw(TEXT)
        elif how == 4:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(i, draw(TEXT))
        if not lines:
            lines = ["risks: []"]
    return "\n".join(lines) + "\n"


VIEWS = (
    ["validate"],
    ["matrix"],
    ["list", "--json"],
    ["assumptions"],
    ["indicators", "--json"],
    ["responses"],
    ["scenarios", "--json"],
    ["explain", "R1"],
    ["show", "R1", "--json"],
    ["matrix", "--what-if", "I1"],
)


@SETTINGS
@given(text=mutated())
def test_a_mutated_register_is_refused_or_shown_never_a_traceback(run, write, text: str) -> None:
    path = str(write(text))
    for args in VIEWS:
        result = run(*args, "--register", path)  # the fixture raises any exception but SystemExit
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, text)
        if result.exit_code == 2 and "--json" not in args:
            assert result.stderr.startswith("error: "), (args, result.stderr)


@SETTINGS
@given(text=mutated())
def test_a_register_validate_accepts_renders_in_every_view(run, write, text: str) -> None:
    path = str(write(text))
    if run("validate", "--register", path).exit_code != 0:
        return
    env = {"TTY_COMPATIBLE": "1", "COLUMNS": "90"}
    for args in (*VIEWS, ["list"], ["history"], ["compare", "baseline", "current"]):
        result = run(*args, "--register", path, env=env)
        assert result.exit_code in (0, 2), (args, result.stderr, text)
        if result.exit_code == 2:  # only for an id the mutation removed
            assert "unknown" in result.stderr, (args, result.stderr, text)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
EVENT = st.fixed_dictionaries(
    {"v": st.sampled_from([1, 1, 1, 2, "1"]), "kind": st.sampled_from(["score", "belief", "observe", "respond", "undo", "torn", "adopt", "x"])},
    optional={
        "id": TEXT, "at": TEXT, "by": TEXT, "why": TEXT, "register": TEXT, "prev": TEXT,
        "risk": st.sampled_from(["R1", "R9", 1]), "assumption": st.sampled_from(["A1", "A9", None]),
        "indicator": st.sampled_from(["I1", "I2", "I9"]), "response": st.sampled_from(["M1", "M9"]),
        "likelihood": JSON_VALUES, "impact": JSON_VALUES, "belief": JSON_VALUES, "outcome": JSON_VALUES,
        "applied": JSON_VALUES, "undoes": TEXT, "line": JSON_VALUES, "lines": JSON_VALUES, "said": JSON_VALUES,
        "confidence": JSON_VALUES, "from": JSON_VALUES,
    },
)  # fmt: skip
LINE = st.one_of(
    EVENT.map(lambda e: json.dumps(e, ensure_ascii=False)),
    EVENT.map(lambda e: json.dumps(e)[: len(json.dumps(e)) // 2]),  # torn
    TEXT,
    st.binary(max_size=20).map(lambda b: b.decode("latin-1")),
)


@SETTINGS
@given(lines=st.lists(LINE, min_size=1, max_size=6))
def test_a_hand_edited_journal_is_refused_or_read_never_a_traceback(run, write, tmp_path, lines: list[str]) -> None:
    path = str(write(BASE))
    (tmp_path / "reg.journal.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
    for args in (["matrix"], ["history", "--json"], ["show", "R1"], ["assume", "A1", "0.3"], ["undo"]):
        result = run(*args, "--register", path)
        assert result.exit_code in (0, 1, 2), (args, result.exit_code, lines)
        if result.exit_code == 2 and "--json" not in args:
            assert "error: " in result.stderr, (args, result.stderr)
