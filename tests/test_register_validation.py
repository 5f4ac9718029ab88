"""Values validation used to accept that a view could not show: each is now refused where it is."""

from __future__ import annotations

import pytest

from riskcli import register
from riskcli.model import RegisterError

RISK = "risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2}\n"


def _problems(path, rules=None) -> list[tuple[int, int, str]]:
    with pytest.raises(RegisterError) as e:
        register.load(path, rules)
    return [(p.line, p.col, p.message) for p in e.value.problems]


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
