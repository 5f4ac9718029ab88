"""Values validation used to accept that a view could not show: each is now refused where it is."""

from __future__ import annotations

import pytest

from conftest import DATA
from riskcli import register
from riskcli.model import RegisterError

RISK = "risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2}\n"


def _problems(path, rules=None) -> list[tuple[int, int, str]]:
    with pytest.raises(RegisterError) as e:
        register.load(path, rules)
    return [(p.line, p.col, p.message) for p in e.value.problems]


def _grid(first_cell: str) -> str:
    rows = [f"    - [{first_cell}, low, low, low, low]\n"] + ["    - [low, low, low, low, low]\n"] * 4
    return "rating:\n  grid:\n" + "".join(rows)


def test_an_empty_band_in_the_grid_is_refused_at_its_cell(write) -> None:
    """A grid cell "" used to pass and then fail every view with KeyError: ''."""
    assert _problems(write(_grid('""') + RISK)) == [(3, 8, "rating.grid row 1: an empty cell; every cell names a band")]


def test_an_empty_band_in_a_rules_file_grid_is_refused(write) -> None:
    rules = (DATA / "rules_3x3.yaml").read_text() + '  grid:\n    - [green, "", green]\n' + "    - [green, amber, red]\n" * 2
    path = write(rules, "rules.yaml")
    assert _problems(write(RISK), path) == [(17, 15, "rating.grid row 1: an empty cell; every cell names a band")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('risks:\n  - {id: "R1\\n", title: t, likelihood: 2, impact: 2}\n', "risk id 'R1\\n'"),
        ('assumptions:\n  - {id: "A1\\n", statement: s, belief: 0.5}\n' + RISK, "assumption id 'A1\\n'"),
        ('actors:\n  - {id: "OPS\\n"}\n' + RISK, "actor id 'OPS\\n'"),
        ('rating:\n  bands:\n    - {id: "low\\n", name: Low, color: green}\n' + RISK, "rating.bands[1].id 'low\\n'"),
        ('risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, actors: ["OPS\\n"]}\n', "risk R1: actors[1] 'OPS\\n'"),
    ],
)
def test_an_id_ending_in_a_newline_is_refused(write, text: str, where: str) -> None:
    """``re.match`` with ``$`` matches before a final newline; the whole id must match."""
    (problem,) = _problems(write(text))
    assert problem[2] == f"{where} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)"


def test_a_lone_actor_must_be_an_id_like_actors_in_a_list(write) -> None:
    path = write('risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, actors: "Grid operator"}\n')
    assert _problems(path) == [
        (2, 58, "risk R1: actors 'Grid operator' is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
    ]


def test_a_lone_actor_that_is_an_id_still_needs_no_brackets(write) -> None:
    reg = register.load(write("risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, actors: OPS}\n"))
    assert reg.risks[0].actors == ("OPS",)


@pytest.mark.parametrize("name", ['""', '"   "', '"\\t"'])
def test_a_band_name_that_is_blank_is_refused(write, name: str) -> None:
    """A blank name used to drop the band silently (or show a band with no name)."""
    path = write(f"rating:\n  bands:\n    - {{id: low, name: {name}, color: green}}\n" + RISK)
    assert _problems(path) == [(3, 23, "rating.bands[1].name is empty")]


def test_a_band_without_a_colour_is_shown_in_the_default_colour(write) -> None:
    """An empty colour used to drop the band silently; a blank one already meant 'default'."""
    text = 'rating:\n  bands:\n    - {id: low, name: Low, color: ""}\n    - {id: high, name: High, color: " "}\n' + RISK
    reg = register.load(write(text))
    assert [(b.id, b.color) for b in reg.rules.rating.bands] == [("low", "default"), ("high", "default")]


@pytest.mark.parametrize("name", ['""', '"  "'])
def test_a_level_name_that_is_blank_is_refused(write, name: str) -> None:
    text = f"scales:\n  likelihood:\n    - {{name: {name}}}\n    - {{name: High}}\n" + RISK
    assert _problems(write(text)) == [(3, 14, "scales.likelihood[1].name is empty")]
