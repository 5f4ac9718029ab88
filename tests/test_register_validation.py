"""Values validation used to accept that a view could not show: each is now refused where it is."""

from __future__ import annotations

import pytest

from riskcli import register
from riskcli.model import RegisterError

from conftest import DATA

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
    rules = (
        (DATA / "rules_3x3.yaml").read_text()
        + '  grid:\n    - [green, "", green]\n'
        + "    - [green, amber, red]\n" * 2
    )
    path = write(rules, "rules.yaml")
    assert _problems(write(RISK), path) == [(17, 15, "rating.grid row 1: an empty cell; every cell names a band")]


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('risks:\n  - {id: "R1\\n", title: t, likelihood: 2, impact: 2}\n', "risk id 'R1\\n'"),
        ('assumptions:\n  - {id: "A1\\n", statement: s, belief: 0.5}\n' + RISK, "assumption id 'A1\\n'"),
        ('actors:\n  - {id: "OPS\\n"}\n' + RISK, "actor id 'OPS\\n'"),
        ('rating:\n  bands:\n    - {id: "low\\n", name: Low, color: green}\n' + RISK, "rating.bands[1].id 'low\\n'"),
        (
            'risks:\n  - {id: R1, title: t, likelihood: 2, impact: 2, actors: ["OPS\\n"]}\n',
            "risk R1: actors[1] 'OPS\\n'",
        ),
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


# --------------------------------------------------------------------------- CISO Assistant


def _ciso(prob: str, risk: tuple[str, str] = ("Low", "High")) -> str:
    return (
        "objects:\n  risk_matrix:\n    - probability:\n" + prob + "      impact:\n"
        "        - {abbreviation: S, name: Small}\n        - {abbreviation: B, name: Big, description: null}\n"
        "      risk:\n"
        f"        - {{abbreviation: F, name: {risk[0]}, hexcolor: '#BBF7D0'}}\n"
        f"        - {{abbreviation: E, name: {risk[1]}, hexcolor: null}}\n"
        "      grid:\n        - [0, 1]\n        - [1, 1]\n"
    )


PROB = "        - {abbreviation: L, name: Low, description: null}\n        - {abbreviation: H, name: High, description: Often}\n"


def test_ciso_nulls_are_read_as_empty(write) -> None:
    """CISO Assistant exports write ``description: null``; such a file must load."""
    reg = register.load(write(RISK), write(_ciso(PROB), "ciso.yaml"))
    assert [lv.description for lv in reg.rules.likelihood.levels] == ["", "Often"]
    assert [(b.name, b.color) for b in reg.rules.rating.bands] == [("Low", "#BBF7D0"), ("High", "default")]


def test_a_ciso_level_without_a_name_is_named_by_its_abbreviation(write) -> None:
    prob = "        - {abbreviation: L, name: null}\n        - {abbreviation: H, name: ' '}\n"
    reg = register.load(write(RISK), write(_ciso(prob), "ciso.yaml"))
    assert [lv.name for lv in reg.rules.likelihood.levels] == ["L", "H"]


@pytest.mark.parametrize(
    ("names", "ids"),
    [
        (("Élevé", "Très élevé"), ["eleve", "tres-eleve"]),
        (("Faible", "Élevé"), ["faible", "eleve"]),
        (("Élevé", "Eleve"), ["eleve", "eleve-2"]),
        (("Same", "Same"), ["same", "same-2"]),
        (("Größe", "Øvre nivå"), ["grosse", "ovre-niva"]),
        (("低", "高"), ["r0", "r1"]),
        (("r1", "高"), ["r1", "r1-2"]),
        (("Niveau 2 ", "!!!"), ["niveau-2", "r1"]),
    ],
)
def test_ciso_band_ids_transliterate_accents_and_stay_unique(write, names: tuple[str, str], ids: list[str]) -> None:
    """Band ids come from names by a slug that never drops a letter: ``Élevé`` → ``eleve``."""
    quoted = tuple(f'"{n}"' for n in names)
    reg = register.load(write(RISK), write(_ciso(PROB, quoted), "ciso.yaml"))
    assert [b.id for b in reg.rules.rating.bands] == ids
    assert [b.name for b in reg.rules.rating.bands] == list(names)


def test_a_ciso_hexcolor_that_is_not_a_colour_is_refused(write) -> None:
    text = _ciso(PROB).replace("hexcolor: '#BBF7D0'", "hexcolor: '#BBF7D'")
    assert _problems(write(RISK), write(text, "ciso.yaml")) == [
        (
            10,
            50,
            "risk_matrix[0].risk[0].hexcolor: '#BBF7D' is not a colour; give a name such as red, dark_orange or orangered (CSS), "
            "or a hex colour such as #BBF7D0",
        )
    ]


# --------------------------------------------------------------------------- band colours


def test_the_colour_names_are_richs() -> None:
    from rich.color import ANSI_COLOR_NAMES

    from riskcli.register.colours import NAMES

    assert set(ANSI_COLOR_NAMES) == NAMES


@pytest.mark.parametrize(
    "text",
    [
        "red", " Dark_Orange ", "default", "#BBF7D0", "#bbf7d0", "rgb(1, 2, 255)", "rgb(1,2,3)", "color(255)",
        "color(0)", "notacolour", "#12345", "#1234567", "#GGGGGG", "rgb(1,2,256)", "rgb(1,2)", "color(256)",
        "bold red", "red on blue", "", "dark orange", "#bbf7d0 ", "color()", "rgb(,,)", "rgb(1 2,3,4)",
        "rgb( 1 , 2 , 3 )", "color(١)", "rgb(1,2,3,4)", "orangered", " LightGreen ", "#fa0", "#FA0", "#fa", "#fa00",
        "light green", "orange red", "#١٢٣",
    ],
)  # fmt: skip
def test_a_colour_is_what_rich_can_draw_or_a_css_colour_made_so(text: str) -> None:
    """Rich's own forms are kept as written; a CSS name or a #RGB becomes the #RRGGBB Rich draws."""
    webcolors = pytest.importorskip("webcolors")  # a test dependency (pip install -e ".[test]")
    from rich.color import Color, ColorParseError

    from riskcli.register.colours import is_colour, rich_colour

    try:
        Color.parse(text)
        drawable = bool(text.strip())
    except (ColorParseError, ValueError):  # Rich's int() of "rgb(,,)" raises ValueError
        drawable = False
    t = text.strip().lower()
    css = t in webcolors.names("css3") and not drawable
    short = len(t) == 4 and t[0] == "#" and all(c in "0123456789abcdef" for c in t[1:])
    got = rich_colour(text)
    assert is_colour(text) is (drawable or css or short)
    if drawable:
        assert got == text.strip()
    elif css:
        assert got == webcolors.name_to_hex(t, "css3").upper()
    elif short:
        assert got == "#" + "".join(c * 2 for c in t[1:]).upper()
    if got is not None:
        Color.parse(got)  # Rich draws what riskcli keeps


def test_the_css_colours_are_css() -> None:
    webcolors = pytest.importorskip("webcolors")

    from riskcli.register.colours import CSS

    assert {n: "#" + h for n, h in CSS.items() if n != "rebeccapurple"} == {
        n: webcolors.name_to_hex(n, "css3").upper() for n in webcolors.names("css3")
    }
    assert CSS["rebeccapurple"] == "663399"  # CSS Color 4's one addition


def test_css_colours_in_a_register_are_drawn(write) -> None:
    text = (
        "rating:\n  bands:\n    - {id: lo, name: Lo, color: lightgreen}\n    - {id: mid, name: Mid, color: orange}\n"
        "    - {id: hi, name: Hi, color: OrangeRed}\n    - {id: top, name: Top, color: '#c00'}\n" + RISK
    )
    reg = register.load(write(text))
    assert [b.color for b in reg.rules.rating.bands] == ["#90EE90", "#FFA500", "#FF4500", "#CC0000"]


def test_a_duplicate_item_has_its_own_problems_reported_too(write) -> None:
    text = (
        "risks:\n"
        "  - {id: R1, title: a, likelihood: 2, impact: 2}\n"
        "  - {id: R1, title: b, likelihood: 0, impact: 6}\n"
        "  - {id: R2, title: c, likelihood: 2, impact: 2}\n"
    )
    assert [(line, message.split(";")[0]) for line, _, message in _problems(write(text))] == [
        (3, "duplicate risk id 'R1' (first at line 2)"),
        (3, "risk R1: likelihood '0' is out of range"),
        (3, "risk R1: impact '6' is out of range"),
    ]


def test_a_bad_band_colour_is_the_only_problem_reported(write) -> None:
    text = (
        "rating:\n  bands:\n    - {id: lo, name: Lo, color: green}\n    - {id: hi, name: Hi, color: '#12345'}\n"
        "  grid:\n" + "    - [lo, lo, hi]\n" * 3 + "scales:\n"
        "  likelihood: [{name: a}, {name: b}, {name: c}]\n  impact: [{name: a}, {name: b}, {name: c}]\n"
        + RISK.replace("likelihood: 2", "likelihood: 1").replace("impact: 2", "impact: 1")
    )
    assert [(line, message.split(";")[0]) for line, _, message in _problems(write(text))] == [
        (4, "rating.bands[2].color: '#12345' is not a colour")
    ]


def test_a_duplicate_band_after_a_refused_one_points_at_the_right_lines(write) -> None:
    text = (
        "rating:\n  bands:\n    - {id: lo, name: ' '}\n    - {id: hi, name: Hi}\n    - {id: hi, name: Higher}\n" + RISK
    )
    problems = [(line, message) for line, _, message in _problems(write(text))]
    assert (5, "duplicate band id 'hi' (first at line 4)") in problems


def test_an_aliased_item_reports_each_problem_once(write) -> None:
    text = "risks:\n  - &r {id: R1, title: a, likelihood: 0, impact: 2}\n  - *r\n  - *r\n"
    assert [(line, message.split(";")[0]) for line, _, message in _problems(write(text))] == [
        (2, "risk R1: likelihood '0' is out of range"),
        (2, "duplicate risk id 'R1' (first at line 2)"),
    ]


def test_repeated_problems_do_not_use_up_the_cap(write) -> None:
    """Sixty aliases of one bad item are one problem: the bad item after them is still reported."""
    text = (
        "risks:\n  - &r {id: R1, title: t, likelihood: 2, impact: 2, bogus: 1}\n"
        + "  - *r\n" * 59
        + "  - {id: R99, title: t, likelihood: 9, impact: 2}\n"
    )
    messages = [message.split(";")[0] for _, _, message in _problems(write(text))]
    assert "risk R99: likelihood '9' is out of range" in messages
    assert not any(m.startswith("…") for m in messages)


def test_an_unknown_reference_in_a_register_with_none_of_its_kind(run, write) -> None:
    path = write(
        "risks: [{id: R1, title: t, likelihood: 2, impact: 2}]\nscenarios: [{id: s, title: t, beliefs: {A1: fails}}]\n"
    )
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"error: {path}:2:41: scenario s: unknown assumption 'A1'; there are none\n"


@pytest.mark.parametrize("anchor", ["", "&first "])
def test_problems_found_once_the_risks_are_read_still_name_their_lines(write, anchor: str) -> None:
    """A risk's nodes are let go once it is read (but in a file with anchors, where an alias could
    reach them again): what is checked after the risks — a later duplicate, a treatment naming a
    response read later, a category no risk has, an effect on a risk — still names its own line."""
    text = (
        "categories:\n  ops: {appetite: low}\n"
        "risks:\n"
        f"  - {anchor}{{id: R1, title: t, likelihood: 2, impact: 2, treatment: {{strategy: reduce, with: [M9]}}}}\n"
        "  - {id: R2, title: t, likelihood: 2, impact: 2}\n"
        "  - {id: R1, title: t, likelihood: 2, impact: 2}\n"
        "responses:\n  - {id: M1, title: m, effects: [{risk: R7, likelihood: -1}]}\n"
    )
    assert [(line, message.split(";")[0]) for line, _, message in _problems(write(text))] == [
        (6, "duplicate risk id 'R1' (first at line 4)"),
        (8, "response M1: effects 1: unknown risk 'R7'"),
        (4, "risk R1: treatment with unknown response 'M9'"),
        (2, "categories: no risk has category 'ops'"),
    ]


def test_a_shift_written_again_with_a_problem_is_reported_where_each_is_written(write) -> None:
    """A part written as another was is read once and shared (a register repeats a few shifts
    thousands of times), but only one that reads without a problem: each bad one is reported."""
    text = (
        "assumptions:\n  - {id: A1, statement: s, belief: 0.5}\n"
        "risks:\n"
        "  - {id: R1, title: t, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_holds: {likelihood: 20}}]}\n"
        "  - {id: R2, title: t, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_holds: {likelihood: 1}}]}\n"
        "  - {id: R3, title: t, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_holds: {likelihood: 20}}]}\n"
        "  - {id: R4, title: t, likelihood: 2, impact: 2, drivers: [{assumption: A1, if_fails: {likelihood: 1}}]}\n"
    )
    assert [(line, message) for line, _, message in _problems(write(text))] == [
        (4, "risk R1: driver 1: if_holds.likelihood = 20 steps is out of range (at most ±12)"),
        (6, "risk R3: driver 1: if_holds.likelihood = 20 steps is out of range (at most ±12)"),
    ]
