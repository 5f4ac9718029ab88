"""One YAML reading: riskcli reads a register with PyYAML (YAML 1.1), and add and set find their
places with ruamel.yaml (YAML 1.2). After an edit, every value the edit did not touch must read
back, through riskcli's own reader, exactly as before — whatever form it is written in — and the
value set must read back as the value given."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from riskcli import register
from riskcli.model import Confidence, Register, RiskcliError, UserError
from riskcli.register import edit as editing
from riskcli.register.sections import load_text
from riskcli.register.write import comparable

ROOT = Path(__file__).resolve().parents[1]

# The scalars whose meaning YAML 1.1 (riskcli's reading) and YAML 1.2 (ruamel.yaml's) disagree on,
# and the forms next to them: booleans, nulls, octal, hexadecimal, binary and sexagesimal numbers,
# underscores, dates and times, infinities and NaN, floats without a dot, merge and value keys.
DIFFERENCES = [
    "on", "off", "yes", "no", "y", "n", "Yes", "NO", "True", "FALSE", "~", "null", "Null", "",
    "010", "007", "0o10", "0x1F", "0b101", "1_000", "1:20", "190:20:30", "2024-01-01",
    "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", ".inf", "-.Inf", ".NaN", "1e3",
    "1.0e+3", "+1", "-0", ".5", "5.", "1.0", "0.5", "30%", "=", "<<",
    "'yes'", '"on"', "'010'", "!!str yes", "!!str 010", "'a: b'", '"a\\x85b"', '"a\\u2028b"',
]  # fmt: skip

# Where a value may stand, as a line of risk R1 (the key it replaces, and the line).
PLACES = {
    "description": ("description", "    description: {}\n"),
    "owner": ("owner", "    owner: {}\n"),
    "title": ("title", "    title: {}\n"),
    "flow extra": ("extra", "    extra: {{k: {}}}\n"),
    "block extra": ("extra", "    extra:\n      k: {}\n"),
    "likelihood": ("likelihood", "    likelihood: {}\n"),
    "id": ("id", "  - id: {}\n"),
}


def _register_with(place: str, form: str) -> str:
    lines = {
        "id": "  - id: R1\n",
        "title": "    title: T1\n",
        "likelihood": "    likelihood: 2\n",
        "impact": "    impact: 2\n",
    }
    key, line = PLACES[place]
    lines[key] = line.format(form)
    return "risks:\n" + "".join(lines.values()) + "  - id: R2\n    title: T2\n    likelihood: 3\n    impact: 3\n"


def _cases() -> list[tuple[str, str]]:
    """Every (place, form) riskcli reads: the register is valid with the form there."""
    out = []
    for form in DIFFERENCES:
        for place in PLACES:
            try:
                load_text(_register_with(place, form), "(case)")
            except RiskcliError:
                continue
            out.append((place, form))
    return out


def _set(text: str, reg: Register, section: str, index: int, key: str, value: Any) -> Register:
    """``set`` as the command makes it: the item's lines as the loader found them, then riskcli's
    loader on the result."""
    items = {"risks": reg.risks, "assumptions": reg.assumptions, "indicators": reg.indicators}[section]
    lines = [x.line for x in items] if section != "responses" else [x.line for x in reg.responses]
    edited = editing.set_field(text, section, items[index].id, key, value, lines[index : index + 2])
    return load_text(edited.text, "(edited)")


def _expected(reg: Register, section: str, index: int, attr: str, value: Any) -> Register:
    items = list(getattr(comparable(reg), section))
    items[index] = dataclasses.replace(items[index], **{attr: value})
    return dataclasses.replace(comparable(reg), **{section: tuple(items)})


# --------------------------------------------------------------------------- untouched values


def test_the_difference_cases_cover_every_form_in_some_place() -> None:
    placed = {form for _, form in _cases()}
    refused_everywhere = set(DIFFERENCES) - placed
    # riskcli refuses YAML 1.1's booleans wherever it reads text or a number (quoted, they are text:
    # 'yes' and "on" above), and "=", YAML 1.1's value key, whose tag it does not read.
    assert refused_everywhere == {"on", "off", "yes", "no", "Yes", "NO", "True", "FALSE", "="}


@pytest.mark.parametrize(("place", "form"), _cases(), ids=[f"{p}={f!r}" for p, f in _cases()])
def test_a_set_beside_a_value_leaves_it_read_as_before(place: str, form: str) -> None:
    text = _register_with(place, form)
    reg = load_text(text, "(case)")
    other = "owner" if place == "title" else "title"
    for index, key, value, attr_value in (
        (0, other, "New", "New"),  # the same item
        (0, "impact", 4, 4),
        (0, "confidence", "high", Confidence.HIGH),  # a key the item lacks: a new line in it
        (1, "title", "Other", "Other"),  # the next item
    ):
        after = _set(text, reg, "risks", index, key, value)
        assert comparable(after) == _expected(reg, "risks", index, key, attr_value), (place, form, key)


def _corpus() -> list[tuple[str, str]]:
    """Every register of the tests, the shipped ones and the docs' examples that riskcli reads."""
    found = [(str(p.relative_to(ROOT)), p.read_bytes().decode("utf-8", "replace")) for p in _yaml_files()]
    for doc in ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]:
        blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / doc).read_text(encoding="utf-8"), re.S)
        found += [(f"{doc} #{i}", b) for i, b in enumerate(blocks) if re.search(r"^risks:", b, re.M)]
    out = []
    for name, text in found:
        try:
            load_text(text, name)
        except RiskcliError:
            continue
        out.append((name, text))
    return out


def _yaml_files() -> list[Path]:
    return sorted([*ROOT.glob("tests/**/*.yaml"), *ROOT.glob("rules/*.yaml")])


@pytest.mark.parametrize(("name", "text"), _corpus(), ids=[n for n, _ in _corpus()])
def test_a_set_of_any_item_of_any_register_leaves_every_other_value_read_as_before(name: str, text: str) -> None:
    """Every scalar of every register of the corpus, in whatever form it is written, stands
    beside an edit: each item gets one, and everything else must read back the same."""
    reg = load_text(text, name)
    edits = [("risks", i, "title", "Edited title") for i in range(len(reg.risks))]
    edits += [("risks", i, "likelihood", 1) for i in range(len(reg.risks))]
    edits += [("assumptions", i, "statement", "Edited statement") for i in range(len(reg.assumptions))]
    edits += [("assumptions", i, "belief", 0.25) for i in range(len(reg.assumptions))]
    edits += [("indicators", i, "review_every", 7) for i in range(len(reg.indicators))]
    assert edits, name
    for section, index, key, value in edits:
        after = _set(text, reg, section, index, key, value)
        assert comparable(after) == _expected(reg, section, index, key, value), (section, index, key)


def test_add_leaves_every_value_of_the_corpus_read_as_before() -> None:
    for name, text in _corpus():
        reg = load_text(text, name)
        edited = editing.add(text, "risks", {"id": "R999", "title": "yes", "likelihood": 2, "impact": 2})
        after = load_text(edited.text, name)
        assert comparable(after).risks[:-1] == comparable(reg).risks, name
        assert dataclasses.replace(comparable(after), risks=comparable(reg).risks) == comparable(reg), name
        assert (after.risks[-1].id, after.risks[-1].title) == ("R999", "yes")


# --------------------------------------------------------------------------- the value set


@pytest.mark.parametrize("value", [f for f in DIFFERENCES if f and not f.startswith(("'", '"', "!"))])
def test_a_value_typed_reads_back_as_typed(run, write, value: str) -> None:
    path = write("risks:\n  - id: R1\n    title: Old\n    likelihood: 2\n    impact: 2\n")
    result = run("--register", str(path), "set", "R1", "title", "--", value)
    assert result.exit_code == 0, result.stderr
    assert register.load(path).risks[0].title == value


def test_a_title_with_a_next_line_character_is_written_escaped(run, write) -> None:
    """U+0085 (NEL) is a line break to YAML 1.1: written raw in quotes it read back as a space,
    and set refused to write it."""
    path = write("risks:\n  - id: R1\n    title: Old\n    likelihood: 2\n    impact: 2\n")
    result = run("--register", str(path), "set", "R1", "title", "a\x85b")
    assert result.exit_code == 0, result.stderr
    assert '    title: "a\\x85b"\n' in path.read_text(encoding="utf-8")
    assert register.load(path).risks[0].title == "a\x85b"


# --------------------------------------------------------------------------- what used to differ


def test_an_item_whose_id_yaml_reads_as_a_number_can_be_set(run, write) -> None:
    """YAML 1.1 reads 001 as the number 1; riskcli reads an id as written. The edit's own check
    read the file as PyYAML's data, did not find the item 001, and refused every set of it."""
    path = write("risks:\n  - id: 001\n    title: T\n    likelihood: 2\n    impact: 2\n")
    result = run("--register", str(path), "set", "001", "title", "New")
    assert result.exit_code == 0, result.stderr
    assert register.load(path).risks[0].title == "New"


def test_a_register_holding_a_merge_key_as_text_can_be_set(run, write) -> None:
    """riskcli reads a plain << as the text it is; PyYAML's constructor has nothing to make of it,
    so the edit's check ended set with a traceback."""
    path = write("risks:\n  - id: R1\n    title: T\n    description: <<\n    likelihood: 2\n    impact: 2\n")
    result = run("--register", str(path), "set", "R1", "title", "New")
    assert result.exit_code == 0, result.stderr
    reg = register.load(path)
    assert (reg.risks[0].title, reg.risks[0].description) == ("New", "<<")


@pytest.mark.parametrize("item", ["R1", "R2"])
def test_a_value_other_values_share_by_an_anchor_is_not_replaced(run, write, item: str) -> None:
    text = (
        "risks:\n  - id: R1\n    title: &t Grid\n    likelihood: 2\n    impact: 2\n"
        "  - id: R2\n    title: *t\n    likelihood: 3\n    impact: 3\n"
    )
    path = write(text)
    result = run("--register", str(path), "set", item, "title", "New")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {item}: title is a YAML anchor or alias (&t) that other values share; edit it in your editor\n"
    )
    assert path.read_text(encoding="utf-8") == text


def test_the_edit_check_reads_as_riskcli_reads() -> None:
    """The check compares riskcli's reading: keys and text as written, numbers by YAML 1.1."""
    assert editing._read("{on: 010, a: 2024-01-01, b: '010', c: .nan, d: <<}") == {
        "on": 8,
        "a": "2024-01-01",
        "b": "010",
        "c": editing._NAN,
        "d": "<<",
    }
    with pytest.raises(UserError, match="changing more than asked"):
        editing._check("a: 1\nb: 2\n", "a: 1\nb: 3\n", lambda data: None)
