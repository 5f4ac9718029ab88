"""The register format is declared once, in riskcli/register/fields.py: the reader, the JSON Schema,
the writer and the docs' field reference all come from that table, and these tests hold them to
it and to one another."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from riskcli import register
from riskcli.model import RegisterError, RiskcliError
from riskcli.register import fields, kinds, sections
from riskcli.register import schema as register_schema
from riskcli.register.write import comparable, read_back, register_yaml

from conftest import BAD, DATA

ROOT = Path(__file__).resolve().parents[1]
EVERY_FIELD = DATA / "every_field.yaml"
VALIDATOR = jsonschema.Draft202012Validator(register_schema.build())


def _fixtures() -> list[Path]:
    """Every YAML file of the tests and of the shipped rules: registers, bad registers, rules."""
    return sorted([*ROOT.glob("tests/**/*.yaml"), *ROOT.glob("rules/*.yaml")])


def _loadable() -> list[Path]:
    out = []
    for path in _fixtures():
        try:
            register.load(path)
        except RiskcliError:
            continue
        out.append(path)
    return out


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


# --------------------------------------------------------------------------- the table


def _keys_used(data: Any, item: kinds.Item, seen: dict[str, set[str]]) -> None:
    """The keys ``data`` gives, by item of the table, following the table into its parts."""
    if not isinstance(data, dict):
        return
    seen.setdefault(item.name, set()).update(data)
    for f in item.fields:
        value = data.get(f.key)
        for part in f.kind.parts():
            if isinstance(value, list):
                for x in value:
                    if isinstance(x, list):  # (a grid row)
                        continue
                    _keys_used(x, part, seen)
            elif isinstance(f.kind, (kinds.Given, kinds.ByName)) and isinstance(value, dict):
                for pair in value.values():
                    _keys_used(pair, part, seen)
            else:
                _keys_used(value, part, seen)


def test_the_every_field_register_gives_every_key_of_the_table() -> None:
    """tests/data/every_field.yaml is the fixture every round trip below relies on: a new field
    must appear in it, or the writer is not tested on it."""
    seen: dict[str, set[str]] = {}
    _keys_used(yaml.safe_load(EVERY_FIELD.read_text(encoding="utf-8")), fields.REGISTER, seen)
    missing = {item.name: set(item.keys) - seen.get(item.name, set()) for item in fields.items()}
    assert {k: v for k, v in missing.items() if v} == {}


def test_every_key_of_a_section_item_fills_a_model_attribute() -> None:
    for item in fields.SECTIONS.values():
        assert item.model is not None
        names = set(item.model.__dataclass_fields__)
        assert {f.name for f in item.fields} <= names, item.name


def test_the_table_is_compiled_once_per_process(monkeypatch) -> None:
    """A table-driven reader stays fast only if it does not interpret the table per value."""
    register.load(EVERY_FIELD)
    made: list[str] = []
    for kind in {type(f.kind) for item in fields.items() for f in item.fields}:
        original = kind.reader

        def counting(self: Any, key: str, join: str, original: Any = original) -> Any:
            made.append(key)
            return original(self, key, join)

        monkeypatch.setattr(kind, "reader", counting)
    register.load(EVERY_FIELD)
    register.load(DATA / "full.yaml")
    assert made == []
    assert sections.compiled() is sections.compiled()


# --------------------------------------------------------------------------- the writer


@pytest.mark.parametrize("path", _loadable(), ids=_name)
def test_every_register_is_written_as_yaml_that_reads_back_the_same(path: Path) -> None:
    reg = register.load(path)
    text = register_yaml(reg)
    assert comparable(read_back(text, "(written)")) == comparable(reg)


def test_export_yaml_writes_every_field(run, tmp_path) -> None:
    """An indicator's, a response's and a scenario's rationale and a signpost's note were never
    written, so export --format yaml refused every register that gave one."""
    out = tmp_path / "out.yaml"
    result = run("--register", str(EVERY_FIELD), "export", "--format", "yaml", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert comparable(register.load(out)) == comparable(register.load(EVERY_FIELD))
    text = out.read_text(encoding="utf-8")
    for written in (
        "rationale: Lateness comes before failure.",
        "rationale: Halves the dependence.",
        "rationale: Late deliveries and price rises go together.",
        "note: Late shipments are rare when all is well.",
    ):
        assert written in text


def test_the_writer_puts_every_items_keys_in_the_tables_order() -> None:
    data = yaml.safe_load(register_yaml(register.load(EVERY_FIELD)))
    order = [k for k in fields.REGISTER.keys if k in data]
    assert list(data) == order
    for key, item in fields.SECTIONS.items():
        for x in data.get(key) or ():
            assert list(x) == [k for k in item.keys if k in x], (key, x)
    driver = data["risks"][0]["drivers"][0]
    assert list(driver) == list(fields.DRIVER.keys)


def test_add_writes_a_new_items_keys_in_the_tables_order(run, write) -> None:
    path = write("risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2}\n")
    result = run(
        "--register", str(path), "add", "risk", "--impact", "3", "--likelihood", "2", "--owner", "Jo", "--title", "New"
    )
    assert result.exit_code == 0, result.stderr
    added = yaml.safe_load(path.read_text(encoding="utf-8"))["risks"][1]
    assert list(added) == [k for k in fields.RISK.keys if k in added]


# --------------------------------------------------------------------------- the schema and the reader

# What riskcli validate checks and a JSON Schema cannot say, each with what the reader then says.
# A schema sees the data a YAML parser makes of the file, not the file; it cannot compare items
# with one another or with the rules, which a register's own scales or --rules may change.
BEYOND_A_SCHEMA = {
    "aliases": ("an alias is expanded before a schema sees the data", r"alias bomb"),
    "duplicate keys": ("a parser keeps one value of a duplicated key", r"duplicate key"),
    "unique ids": (
        "ids unique within a section, one driver and one ratio per assumption",
        r"duplicate \w+ id|a second driver on|is named twice",
    ),
    "references": (
        "an id must name an item declared elsewhere",
        r"unknown (risk|assumption|actor|response)|no risk has category",
    ),
    "rating bands": ("a band is one the rating in force declares", r"is not a rating band"),
    "the scales": ("levels are read by the scale in force (size, names, bands)", r"is not understood|out of range"),
    "the grid": ("the grid has a row per likelihood level of the scale in force", r"rating\.grid has \d+ rows"),
    "bands": ("probability bands meet end to end", r"must be contiguous"),
    "written form": ("how a number is written: to a schema 1.0 is the integer 1", r"is ambiguous"),
    "not yet assessed": ("a risk not yet assessed (by its levels) has nothing to shift", r"not yet assessed"),
    "no evidence": ("a ratio of exactly 1 is within the range, and says nothing", r"tells nothing"),
}
# Bad registers a schema accepts, and why.
ACCEPTED_BY_THE_SCHEMA = {
    "tests/bad/alias_scalar_evidence.yaml": "aliases",
    "tests/bad/alias_scalar_titles.yaml": "aliases",
    "tests/bad/duplicate_mapping_key.yaml": "duplicate keys",
    "tests/bad/duplicate_risk_id.yaml": "unique ids",
    "tests/bad/duplicate_driver.yaml": "unique ids",
    "tests/bad/bears_on_named_twice.yaml": "unique ids",
    "tests/bad/many_unknown_references.yaml": "references",
    "tests/bad/scenario_unknown_assumption.yaml": "references",
    "tests/bad/scenario_with_no_assumptions_to_name.yaml": "references",
    "tests/bad/unknown_actor.yaml": "references",
    "tests/bad/unknown_assumption_reference.yaml": "references",
    "tests/bad/unknown_risk_in_response.yaml": "references",
    "tests/bad/treatment_unknown_response.yaml": "references",
    "tests/bad/category_unknown.yaml": "references",
    "tests/bad/appetite_unknown_band.yaml": "rating bands",
    "tests/bad/impact_as_probability.yaml": "the scales",
    "tests/bad/likelihood_out_of_range.yaml": "the scales",
    "tests/bad/likelihood_unparseable.yaml": "the scales",
    "tests/bad/grid_wrong_size.yaml": "the grid",
    "tests/bad/scale_bands_not_contiguous.yaml": "bands",
    "tests/bad/likelihood_one_point_zero.yaml": "written form",
    "tests/bad/driver_on_unassessed_risk.yaml": "not yet assessed",
    "tests/bad/response_shifts_unassessed_risk.yaml": "not yet assessed",
    "tests/bad/bears_on_ratio_one.yaml": "no evidence",
}


def _plain(x: Any) -> Any:
    """The data an editor's schema check sees: dates as text."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, (datetime.date, datetime.datetime)):
        return x.isoformat()
    return x


def _schema_accepts(path: Path) -> bool:
    """Whether the schema accepts the file's data. What is not YAML, or what expands (by its
    aliases) to more values than a file of its size could hold, never reaches a schema."""
    try:
        data = yaml.safe_load(path.read_bytes().decode("utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError, ValueError, IndexError):  # (PyYAML's constructor
        return False  # fails on !!int "" with an IndexError)
    if _size(data, limit=100 * path.stat().st_size) is None:
        return False
    return bool(VALIDATOR.is_valid(_plain(data)))


def _size(data: Any, limit: int) -> int | None:
    """The number of values in ``data`` with its aliases expanded, or None beyond ``limit``."""
    n, stack = 0, [data]
    while stack:
        x = stack.pop()
        n += 1
        if n > limit:
            return None
        if isinstance(x, dict):
            stack += [*x.keys(), *x.values()]
        elif isinstance(x, list):
            stack += x
    return n


def _reader_problems(path: Path) -> list[str] | None:
    try:
        register.load(path)
    except RegisterError as e:
        return [p.message for p in e.problems]
    except RiskcliError as e:
        return [str(e)]
    return None


@pytest.mark.parametrize("path", _fixtures(), ids=_name)
def test_the_schema_and_the_reader_agree_on_every_fixture(path: Path) -> None:
    """Valid by the schema ⇔ valid by riskcli, save for the checks listed in BEYOND_A_SCHEMA."""
    problems = _reader_problems(path)
    accepted = _schema_accepts(path)
    why = ACCEPTED_BY_THE_SCHEMA.get(_name(path))
    if problems is None:
        assert accepted, "the schema refuses a register riskcli reads"
        assert why is None
    elif why is None:
        assert not accepted, f"the schema accepts a register riskcli refuses: {problems[0]}"
    else:
        assert accepted, f"listed as beyond a schema, but the schema refuses it ({why}): remove it from the list"
        pattern = BEYOND_A_SCHEMA[why][1]
        assert all(re.search(pattern, p) or p.startswith("…") for p in problems), problems


def test_every_listed_fixture_exists() -> None:
    assert {p for p in ACCEPTED_BY_THE_SCHEMA if not (ROOT / p).is_file()} == set()
    assert set(ACCEPTED_BY_THE_SCHEMA.values()) <= set(BEYOND_A_SCHEMA)


@pytest.mark.parametrize(
    ("value", "refused"),
    [
        ("green", False),
        (" Dark_Orange ", False),
        ("OrangeRed", False),  # a CSS name
        ("#bbf7d0", False),
        ("#ABC", False),
        ("rgb(0, 128, 255)", False),
        ("color(255)", False),
        ("  ", False),  # blank: the default colour
        ("notacolour", True),
        ("#12345", True),
        ("rgb(0, 128, 256)", True),
        ("color(1 2)", True),
    ],
)
def test_the_schema_reads_a_band_colour_as_riskcli_does(write, value: str, refused: bool) -> None:
    text = f"rating:\n  bands:\n    - {{id: low, name: Low, color: {json.dumps(value)}}}\n" + (
        "  grid:\n" + "    - [low, low, low, low, low]\n" * 5
    )
    text += "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
    assert (_reader_problems(write(text)) is None) is not refused
    assert VALIDATOR.is_valid(_plain(yaml.safe_load(text))) is not refused


@pytest.mark.parametrize(
    "text",
    [
        'rating:\n  bands:\n    - {id: low, name: "  ", color: green}\n',
        'scales:\n  impact:\n    - {name: A}\n    - {name: " "}\n',
        "rating:\n  bands:\n    - {id: low, aliases: [' '], color: green}\n",
        "assumptions:\n  - {id: A1, statement: s, belief: 0.5, excludes: 7}\n",
        "assumptions:\n  - {id: -1, statement: s, belief: 0.5}\n",
    ],
)
def test_the_schema_refuses_what_riskcli_refuses_in_names_and_ids(write, text: str) -> None:
    text += "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
    assert _reader_problems(write(text)) is not None
    assert not VALIDATOR.is_valid(_plain(yaml.safe_load(text)))


def test_an_id_may_be_a_number_as_riskcli_reads_it(write) -> None:
    text = "risks:\n  - {id: 2024, title: t, likelihood: 1, impact: 1}\n  - {id: 1.5, title: u, likelihood: 1, impact: 1}\n"
    assert _reader_problems(write(text)) is None
    assert VALIDATOR.is_valid(_plain(yaml.safe_load(text)))


# --------------------------------------------------------------------------- the docs


def test_the_docs_field_reference_is_generated_from_the_table() -> None:
    doc = register_schema.DOCS_PATH.read_text(encoding="utf-8")
    assert doc == register_schema.with_reference(doc), (
        "docs/register-format.md's field reference has drifted from the table: run python -m riskcli.register.schema"
    )


def test_the_field_reference_names_every_field() -> None:
    reference = register_schema.reference()
    for item in fields.items():
        section = reference.split(f"### {item.name}\n", 1)[1].split("\n### ", 1)[0]
        assert re.findall(r"^\| `(\w+)` \|", section, re.M) == list(item.keys), item.name


# --------------------------------------------------------------------------- what the reader reports


def _problems(write, text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(RegisterError) as e:
        register.load(write(text))
    return [(p.line, p.col, p.message) for p in e.value.problems]


def test_a_reference_to_an_item_with_problems_of_its_own_is_not_reported_as_unknown(write) -> None:
    """A1's statement is a list: A2's excludes and given name A1, which is declared."""
    text = (
        "assumptions:\n"
        "  - {id: A1, statement: [a], belief: 0.5}\n"
        "  - {id: A2, statement: s, belief: 0.5, excludes: [A1], given: {A1: {holds: 0.6, fails: 0.4}}}\n"
        "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
    )
    assert _problems(write, text) == [(2, 25, "assumption A1: statement must be a single value, not a list")]


def test_a_shift_that_is_not_a_number_is_one_problem(write) -> None:
    text = (
        "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
        "responses:\n  - {id: M1, title: m, effects: [{risk: R1, likelihood: up}]}\n"
    )
    assert _problems(write, text) == [(4, 57, "response M1: effects 1: likelihood must be a number, not 'up'")]


def test_the_registers_own_values_are_checked_beside_other_problems(write) -> None:
    """A bad title used to be reported only once every other problem was fixed."""
    text = "title: [a]\nrisks:\n  - {id: R1, titel: t, likelihood: 1, impact: 1}\n"
    assert _problems(write, text) == [
        (1, 8, "title must be a single value, not a list"),
        (3, 14, "risk R1: unknown key 'titel'; did you mean 'title'?"),
        (3, 5, "risk R1: missing required key 'title'"),
    ]


def test_a_reference_when_the_register_has_none_of_its_kind_says_so(write) -> None:
    text = (
        "risks:\n  - {id: R1, title: t, likelihood: 1, impact: 1}\n"
        "indicators:\n  - {id: I1, title: i, bears_on: [{assumption: A1, seen: 3}]}\n"
    )
    assert _problems(write, text) == [
        (4, 48, "indicator I1: bears_on 1: unknown assumption 'A1' (the register has no assumptions)")
    ]


def test_a_bad_register_of_the_corpus_keeps_its_first_problem(write) -> None:
    """(The corpus is tested in full by test_bad_registers; one file here as a smoke test of the order.)"""
    problems = _problems(write, (BAD / "unknown_key_typo.yaml").read_text(encoding="utf-8"))
    assert "did you mean 'title'?" in problems[0][2]
