"""Loading registers and rules files that are valid."""

from __future__ import annotations

from datetime import date

import pytest

from riskcli import register
from riskcli.model import RegisterError, UserError

from conftest import DATA, MINIMAL


def test_minimal_register(write) -> None:
    reg = register.load(write(MINIMAL))
    assert [(r.id, r.title, r.likelihood, r.impact) for r in reg.risks] == [("R1", "Grid failure", 3, 5)]
    assert reg.assumptions == ()


def test_full_register_reads_every_section() -> None:
    reg = register.load(DATA / "full.yaml")
    assert (reg.id, reg.title, reg.as_of) == ("full-example", "Full example", "2025-01-31")
    assert reg.source.author == "A. Author"
    assert [a.belief for a in reg.assumptions] == [pytest.approx(0.675), pytest.approx(0.4)]
    r1, r2 = reg.risks
    assert (r1.likelihood, r1.impact, r1.actors) == (3, 4, ("OPS",))
    assert (r2.likelihood, r2.actors) == (3, ("FIN",))  # 30% → Possible; a lone actor needs no list
    assert r2.drivers[0].if_fails.likelihood == 0.5
    assert reg.indicators[0].updates[0].belief == pytest.approx(0.325)
    assert reg.responses[0].side_effects[0].note == "Costs more."
    assert dict(reg.scenarios[0].beliefs) == {"A1": 0.0, "A2": 0.1}
    assert reg.dependents == {"A1": ("R1",), "A2": ("R2",)}
    assert register.evidence_warnings(reg) == []


def test_evidence_not_in_the_source_is_a_warning(tmp_path) -> None:
    text = (DATA / "full.yaml").read_text().replace("one shipment was late", "two shipments were late")
    (tmp_path / "full_source.txt").write_text((DATA / "full_source.txt").read_text())
    path = tmp_path / "r.yaml"
    path.write_text(text)
    assert register.evidence_warnings(register.load(path)) == [
        "risk R1: evidence is not a verbatim quote of full_source.txt"
    ]


def test_rules_file_overrides_scales_and_derives_a_grid(write) -> None:
    reg = register.load(write("risks:\n  - {id: R1, title: t, likelihood: high, impact: 2}\n"), DATA / "rules_3x3.yaml")
    assert reg.rules.likelihood.size == 3
    assert reg.risks[0].likelihood == 3
    assert reg.rules.rating.grid[0][0] == "green" and reg.rules.rating.grid[2][2] == "red"


def test_ciso_assistant_matrix_as_rules(write) -> None:
    reg = register.load(
        write("risks:\n  - {id: R1, title: t, likelihood: 4, impact: 3}\n"), DATA / "ciso_matrix_4x3.yaml"
    )
    rules = reg.rules
    assert [lv.name for lv in rules.likelihood.levels] == ["Very low", "Low", "High", "Very high"]
    assert [lv.name for lv in rules.impact.levels] == ["Limited", "Serious", "Critical"]
    assert [b.name for b in rules.rating.bands] == ["Acceptable", "Tolerable", "Unacceptable"]
    assert rules.rating.band(rules.rating.grid[3][2]).color == "#FCA5A5"
    assert rules.rating.band(rules.rating.grid[0][0]).name == "Acceptable"


def test_register_level_out_of_range_for_rules_file(write) -> None:
    path = write("risks:\n  - {id: R1, title: t, likelihood: 5, impact: 2}\n")
    with pytest.raises(RegisterError) as e:
        register.load(path, DATA / "rules_3x3.yaml")
    assert "levels are 1–3" in str(e.value)


def test_register_with_its_own_scales(write) -> None:
    text = (DATA / "rules_3x3.yaml").read_text() + "risks:\n  - {id: R1, title: t, likelihood: medium, impact: large}\n"
    reg = register.load(write(text))
    assert (reg.risks[0].likelihood, reg.risks[0].impact) == (2, 3)


def test_starter_register_validates(tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    register.write_starter(path, today=date(2026, 1, 1))
    reg = register.load(path)
    assert len(reg.risks) >= 2 and reg.assumptions


def test_embedded_register_loads_from_any_directory(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    reg = register.load()
    assert reg.embedded and len(reg.risks) >= 12


def test_init_without_hard_links_still_writes_exclusively(tmp_path, monkeypatch) -> None:
    import os

    def no_links(*a, **k):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "mine.yaml"
    register.write_starter(path, today=date(2026, 1, 1))
    assert register.load(path).risks
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]
    with pytest.raises(UserError) as e:
        register.write_starter(path, today=date(2026, 1, 1))
    assert "already exists" in str(e.value)


def test_reading_a_device_is_refused(tmp_path) -> None:
    with pytest.raises(UserError) as e:
        register.load("/dev/zero")
    assert str(e.value) == "/dev/zero: not a regular file"


def test_source_file_outside_the_register_folder_is_not_read(tmp_path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(
        "source: {file: ../../../../etc/passwd}\nrisks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, evidence: root}\n"
    )
    reg = register.load(path)
    assert register.source_text(reg)[1] is None
    assert register.evidence_warnings(reg) == [
        "source.file '../../../../etc/passwd' is not a readable UTF-8 text file in the register's folder"
    ]


# --------------------------------------------------------------------------- fast paths of the reader

# Plain values of every kind the YAML core schema resolves, and text that only looks like them.
PLAIN = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "~", "null", "Null", "", "0", "7", "-3", "+4", "007",
    "0x1A", "0o17", "0b101", "1_000", "190:20:30", "1.5", "-0.0", "1.5e+3", "1e5", ".5", "1.", "1_0.5", ".inf",
    "-.Inf", ".NaN", "2024-10-31", "2001-12-14t21:59:43.10-05:00", "2024-10-31 extra", "<<", "=", "12abc",
    "Yesterday", "nothing", "Oct", "3 risks", "NaN", "Inf", "0.5%", "-1", "--", "+",
]  # fmt: skip


def _tree(node) -> object:  # a yaml node
    if isinstance(node.value, str):
        return (node.tag, node.value)
    return (node.tag, [_tree(n) if not isinstance(n, tuple) else (_tree(n[0]), _tree(n[1])) for n in node.value])


def test_the_fast_resolver_tags_every_value_as_the_safe_loader_does() -> None:
    import yaml

    from riskcli.register.source import loader

    lines = [f"k{i}: {v}" for i, v in enumerate(PLAIN)]
    text = "\n".join(lines) + "\nlist: [1, 2.5, yes, x]\nquoted: ['3', \"no\"]\nnested: {a: ~, b: [null]}\n"
    for base in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        assert _tree(yaml.compose(text, Loader=loader())) == _tree(yaml.compose(text, Loader=base))


def test_riskcli_composes_the_nodes_pyyaml_does_with_their_starts() -> None:
    """riskcli's nodes (slots) hold what PyYAML's would: the same tags, values and starts; PyYAML's
    composer makes its own classes again afterwards."""
    import yaml

    from riskcli.register.nodes import MappingNode, ScalarNode, SequenceNode
    from riskcli.register.source import compose

    def tree(node: object) -> object:
        m = node.start_mark
        v = node.value
        inner = (
            v if isinstance(v, str) else [tree(n) if not isinstance(n, tuple) else (tree(n[0]), tree(n[1])) for n in v]
        )
        return (type(node).__name__, node.tag, (m.line, m.column, m.index), inner)

    lines = [f"k{i}: {v}" for i, v in enumerate(PLAIN)]
    text = "\n".join(lines) + "\nlist: [1, 2.5, yes, x]\nquoted: ['3', \"no\"]\nnested: {a: ~, b: [&x null, *x]}\n"
    ours = compose(text, "x")
    assert type(ours) is MappingNode and type(ours.value[-1][1]) is MappingNode
    assert {type(n) for _, n in ours.value} == {ScalarNode, SequenceNode, MappingNode}
    for base in (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        theirs = yaml.compose(text, Loader=base)
        assert type(theirs) is yaml.MappingNode
        assert tree(ours) == tree(theirs)


def test_numbers_read_as_the_yaml_constructor_reads_them() -> None:
    import yaml
    from yaml.constructor import SafeConstructor

    from riskcli.register.nodes import ScalarNode
    from riskcli.register.walker import BAD, Reader

    signed = ["-0", "+0", "-007", "+1_0", "-12", "+12", "-", "-x", "- 1", "-1.5", "-١"]
    for v in [*PLAIN, *signed, "1" * 5000, "+-1"]:
        for tag in ("int", "float"):
            mark = yaml.error.Mark("x", 0, 0, 0, None, 0)
            node = ScalarNode(f"tag:yaml.org,2002:{tag}", v, mark)  # as riskcli composes it
            r = Reader("x", v)
            try:
                expected = getattr(SafeConstructor(), f"construct_yaml_{tag}")(yaml.ScalarNode(node.tag, v, mark, mark))
            except (ValueError, IndexError, yaml.YAMLError):
                expected = BAD
            got = r.scalar(node, "x")
            if expected is BAD or got is BAD:
                assert got is expected is BAD or (got is BAD and r.problems), (v, tag, got, expected)
            elif expected != expected:  # NaN
                assert got != got
            else:
                assert (type(got), got, str(got)) == (type(expected), expected, str(expected)), (v, tag)


def test_a_level_is_parsed_once_per_scale_and_value() -> None:
    import dataclasses

    from riskcli.register import default_rules
    from riskcli.rules import parse_level

    rules = default_rules()
    other = dataclasses.replace(rules.likelihood, levels=rules.likelihood.levels[:3])
    assert parse_level(rules.likelihood, rules.words, "likely") is parse_level(rules.likelihood, rules.words, "likely")
    assert parse_level(rules.likelihood, rules.words, 5).value == 5
    with pytest.raises(UserError, match="out of range"):  # the same value on another scale is not the same answer
        parse_level(other, rules.words, 5)
    assert parse_level(rules.likelihood, rules.words, "5").said == "5"
    assert parse_level(rules.likelihood, rules.words, 5.0).via == parse_level(rules.likelihood, rules.words, 5).via
