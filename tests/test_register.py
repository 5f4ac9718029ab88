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
