"""Hostile input, generated: mutated registers, hand-edited journal lines and hostile workbooks
get exit 0, 1 or 2 and never a traceback, and every register `validate` accepts renders in every view.

The example counts are small so that the suite stays fast; set RISKCLI_FUZZ_EXAMPLES (e.g. 2000)
for a longer run.
"""

from __future__ import annotations

import json
import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SUPPLY, write_xlsx

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


# --------------------------------------------------------------------------- workbooks

# What a hostile or broken workbook holds: cells of every type with odd values, rows numbered
# out of order or past Excel's last, shared strings that are missing or huge, a DTD in any part,
# and XML cut short.
XML_TEXT = st.text(alphabet=string.printable + "é→\u202e\u200b", max_size=12).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)
CELL_TYPES = st.sampled_from(["", "s", "str", "b", "e", "d", "n", "inlineStr", "x"])
CELL_VALUE = st.one_of(
    st.integers(-3, 5).map(str), XML_TEXT, st.sampled_from(["1e309", "nan", "-0", "2024-02-30T00:00:00", "99999999"])
)
REF = st.one_of(st.none(), st.sampled_from(["A1", "B2", "XFD1", "XFE1", "a1", "A0", "$C$3", "1A", "AAAA1"]))


@st.composite
def cell_xml(draw: st.DrawFn) -> str:
    kind, value, ref = draw(CELL_TYPES), draw(CELL_VALUE), draw(REF)
    attrs = (
        (f' r="{ref}"' if ref else "")
        + (f' t="{kind}"' if kind else "")
        + draw(st.sampled_from(["", ' s="1"', ' s="x"']))
    )
    if kind == "inlineStr":
        return f"<c{attrs}><is><t>{value}</t><rPh><t>ruby</t></rPh></is></c>"
    return f"<c{attrs}><v>{value}</v></c>" if draw(st.booleans()) else f"<c{attrs}/>"


@st.composite
def row_xml(draw: st.DrawFn) -> str:
    r = draw(st.one_of(st.none(), st.integers(0, 1_048_578).map(str), st.sampled_from(["x", "2.0", "-1"])))
    cells = "".join(draw(st.lists(cell_xml(), max_size=4)))
    return f"<row{f' r={chr(34)}{r}{chr(34)}' if r is not None else ''}>{cells}</row>"


DTD = st.sampled_from(
    [
        "",
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
        '<!DOCTYPE x SYSTEM "file:///etc/passwd">',
        '<!DOCTYPE x [<!ENTITY % p SYSTEM "http://127.0.0.1/x"> %p;]>',
    ]
)
PARTS = st.sampled_from(["xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/sharedStrings.xml", "xl/styles.xml"])


@SETTINGS
@given(
    rows=st.lists(row_xml(), max_size=6),
    shared=st.one_of(st.none(), st.lists(st.text(max_size=10), max_size=4)),
    dtd=DTD,
    part=PARTS,
    cut=st.one_of(st.none(), st.integers(0, 400)),
)
def test_a_hostile_workbook_is_refused_or_read_never_a_traceback(run, tmp_path, rows, shared, dtd, part, cut) -> None:
    header = '<row r="1"><c t="inlineStr"><is><t>title</t></is></c><c t="inlineStr"><is><t>likelihood</t></is></c><c t="inlineStr"><is><t>impact</t></is></c></row>'
    body = (header + "".join(rows)).encode("utf-8")
    if cut is not None:
        body = body[:cut]  # XML cut short
    styles = b'<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
    path = write_xlsx(tmp_path / "w.xlsx", body, shared=shared, styles=styles, head={part: dtd.encode()})
    result = run("import", str(path))  # the fixture raises any exception but SystemExit
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    if result.exit_code == 2:
        assert result.stderr.splitlines()[-1].startswith("error: "), result.stderr  # said, never a traceback
    if dtd and (part != "xl/sharedStrings.xml" or shared is not None):  # a part the workbook has
        assert result.exit_code == 2, result.stderr  # refused: the DTD, or a part read before it
