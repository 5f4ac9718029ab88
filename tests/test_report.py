"""report: a briefing in Markdown, HTML, SVG and JSON, each opened by a parser for its type, and
register text that stays text in every one."""

from __future__ import annotations

import dataclasses
import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from riskcli import register
from riskcli.journal import appending
from riskcli.render.layout import Key
from riskcli.render.report import band_hex, ink, render
from riskcli.render.report.html import h
from riskcli.render.streams import clean
from riskcli.render.words import band_range
from riskcli.results.shapes.report import (
    BandChance,
    ReportResult,
    SensitivityRow,
    SensitivitySummary,
    SimulatedRisk,
    SimulationSummary,
)

from conftest import SUPPLY, check_json

SVG = "{http://www.w3.org/2000/svg}"
SHIPPED_BANDS = {"low": "#98a84b", "medium": "#d0b344", "high": "#ff8700", "critical": "#cc555a"}

# Text that is markup in one format or another: it must come out as the same text in each.
HOSTILE = (
    "</script><img src=x onerror=alert(1)> ]]> & &amp; \"q\" 'a' | *b* _u_ `c` # h $x$ [l](javascript:1) <!-- c -->"
)


@given(st.text())
def test_register_text_in_html_is_escaped_as_the_standard_library_escapes_it(text: str) -> None:
    """The page's own escaping writes what ``html.escape(..., quote=True)`` writes, of the text
    made visible (``clean``), with the two noncharacters XML forbids replaced."""
    want = html.escape(clean(text), quote=True).replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")
    assert h(text) == want


# --------------------------------------------------------------------------- parsers


VOID = {"meta", "br", "img", "hr", "input", "link", "area", "base", "col", "embed", "source", "track", "wbr"}


class StrictHTML(HTMLParser):
    """Every element closed in order, and a record of the elements, attributes and texts seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {}
        self.decl: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.decl.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert tag not in VOID, f"</{tag}> closes a void element"
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        for tag in set(self.stack):
            self.texts.setdefault(tag, []).append(data)

    def text(self, tag: str) -> str:
        return "".join(self.texts.get(tag, []))


def parse_html(text: str) -> StrictHTML:
    p = StrictHTML()
    p.feed(text)
    p.close()
    assert p.stack == [], f"unclosed elements: {p.stack}"
    return p


def md_tables(text: str) -> list[list[list[str]]]:
    """Markdown's tables, read by a CommonMark parser with GitHub's tables: rows of cell texts."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[list[list[str]]] = []
    row: list[str] | None = None
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            tables.append([])
        elif t.type == "tr_open":
            row = []
            tables[-1].append(row)
        elif t.type == "inline" and row is not None and tokens[i - 1].type in ("th_open", "td_open"):
            row.append("".join(c.content for c in t.children or [] if c.type in ("text", "code_inline")))
        elif t.type == "tr_close":
            row = None
    return tables


def md_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


# --------------------------------------------------------------------------- the shipped register


@pytest.fixture
def shipped(run) -> dict[str, Any]:
    """The shipped register's briefing as data: what the other formats must show."""
    r = run("report", "--json")
    assert r.exit_code == 0, r.stderr
    return cast(dict[str, Any], json.loads(r.stdout))


def _level(lv: dict[str, Any]) -> str:
    low, high = lv["probability"] or (None, None)
    band = f" ({band_range(low, high)})" if lv["probability"] else ""
    return f"{lv['value']} {lv['name']}{band}"


def _cell(c: dict[str, Any]) -> str:
    rating = f"{c['rating']['name']} · {c['count']}" if c["count"] else c["rating"]["name"]
    return f"{' '.join(c['risks'])} · {rating}" if c["count"] else rating


def test_markdown_has_every_section_and_its_tables(run, shipped) -> None:
    r = run("report")
    assert r.exit_code == 0, r.stderr
    headings = re.findall(r"^(#+) (.*)$", r.stdout, re.M)
    assert headings[0] == ("#", shipped["register"]["title"])
    n = shipped["top"]["count"]
    assert n > 10
    assert [h for level, h in headings if level == "##"] == [
        "Likelihood × impact",
        f"Top 10 of {n} risks",
        "Key Assumptions Check",
        "What moved since the register's baseline",
    ]
    first = shipped["top"]["risks"][0]
    assert ("###", f"1. {first['id']} — {first['title']}") in headings
    matrix, top, kac = md_tables(r.stdout)
    g = shipped["matrix"]
    assert matrix[0] == ["Likelihood ↓ · Impact →"] + [f"{lv['value']} {lv['name']}" for lv in g["impact"]]
    assert [row[0] for row in matrix[1:]] == [_level(lv) for lv in reversed(g["likelihood"])]
    assert [cell for row in matrix[1:] for cell in row[1:]] == [_cell(c) for c in g["cells"]]
    assert "4 Likely (55–80%)" in matrix[2][0] and matrix[5][0] == "1 Rare (< 5%)"
    assert top[0] == ["Rank", "Risk", "Title", "L", "I", "L×I", "Rating", "Likeliest", "P(Critical)", "Confidence"]
    assert [row[:3] for row in top[1:]] == [[str(x["rank"]), x["id"], x["title"]] for x in shipped["top"]["risks"]]
    # beside each rating, the likeliest band and the chance of the top band (as list --json has them)
    assert [row[7:9] for row in top[1:]] == [
        [
            f"{x['chances']['likeliest']['name']} {x['chances']['probability'] * 100:.0f}%",
            f"{x['chances']['top'] * 100:.0f}%",
        ]
        for x in shipped["top"]["risks"]
    ]
    assert kac[0] == ["Assumption", "Statement", "Belief", "Support", "Rationale", "Risks"]
    assert [row[:2] for row in kac[1:]] == [[a["id"], a["statement"]] for a in shipped["assumptions"]]
    assert "Source:" in r.stdout and "Young-Kwan Yoon" in r.stdout


def test_markdown_gives_the_evidence_and_rationale_of_each_top_risk(run, shipped) -> None:
    out = run("report", "--top", "2").stdout
    assert f"## Top 2 of {shipped['top']['count']} risks" in out
    for x in shipped["top"]["risks"][:2]:
        assert f"> “{x['evidence']}”" in out
        assert f"**Rationale:** {x['rationale']}" in out
    assert "### 3." not in out


def test_html_is_one_balanced_self_contained_page(run, tmp_path: Path) -> None:
    out = tmp_path / "briefing.html"
    r = run("report", "-o", str(out))
    assert r.exit_code == 0, r.stderr
    assert r.stdout == "" and f"wrote {out}" in r.stderr
    text = out.read_text(encoding="utf-8")
    page = parse_html(text)
    assert page.decl == ["DOCTYPE html"]
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "link" not in tags and "img" not in tags and "iframe" not in tags
    assert not re.search(r"(?i)(https?:)?//[a-z0-9]|url\(|@import", text.replace("http-equiv", ""))
    csp = next(a for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in (csp["content"] or "")
    assert "@media print" in page.text("style") and "print-color-adjust: exact" in page.text("style")
    assert page.text("h1") == json.loads(run("report", "--json").stdout)["register"]["title"]
    assert page.text("h2").startswith("Likelihood × impact")


def test_html_matrix_cells_carry_their_band_colours(run, tmp_path: Path) -> None:
    out = tmp_path / "b.html"
    run("report", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    page = parse_html(text)
    classes = dict(re.findall(r"\.(b\d+) \{ background: (#[0-9a-f]{6});", text))
    assert sorted(classes.values()) == sorted(SHIPPED_BANDS.values())
    cells = [a for t, a in page.tags if t == "td" and "cell" in (a.get("class") or "")]
    assert len(cells) == 25
    grid = json.loads(run("report", "--json").stdout)["matrix"]["cells"]
    for cell, want in zip(cells, grid, strict=True):
        assert (cell["data-likelihood"], cell["data-impact"]) == (str(want["likelihood"]), str(want["impact"]))
        (band_class,) = (c for c in (cell["class"] or "").split() if c.startswith("b"))
        assert classes[band_class] == SHIPPED_BANDS[want["rating"]["id"]]


def test_svg_is_well_formed_with_the_matrix_in_band_colours(run, shipped, tmp_path: Path) -> None:
    out = tmp_path / "matrix.svg"
    assert run("report", "-o", str(out)).exit_code == 0
    root = ET.fromstring(out.read_bytes())
    assert root.tag == f"{SVG}svg"
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= {"svg", "title", "rect", "text"}
    g = shipped["matrix"]
    fills = [e.get("fill") for e in root.iter(f"{SVG}rect") if e.get("width") == "150"]
    assert fills == [SHIPPED_BANDS[c["rating"]["id"]] for c in g["cells"]]
    texts = [e.text or "" for e in root.iter(f"{SVG}text")]
    words = {w for t in texts for w in t.split()}
    assert {rid for c in g["cells"] for rid in c["risks"]} <= words
    assert "Likelihood →" in texts and "Impact →" in texts
    assert {f"{b['name']} ({b['count']})" for b in g["bands"]} <= set(texts)
    assert "5 Almost certain" in texts and g["impact"][-1]["name"] in texts


def test_json_is_the_report_schema(run) -> None:
    r = run("report", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["schema"] == "riskcli/report/9"
    ranked = json.loads(run("list", "--json").stdout)["risks"]
    assert data["top"]["count"] == len(ranked) and data["top"]["shown"] == 10
    assert [x["id"] for x in data["top"]["risks"]] == [x["id"] for x in ranked[:10]]
    assert all(x["evidence"] and x["rationale"] for x in data["top"]["risks"])
    assert data["assumptions"] == json.loads(run("assumptions", "--json").stdout)["assumptions"]
    matrix = json.loads(run("matrix", "--json").stdout)
    assert data["matrix"] == {k: matrix[k] for k in ("likelihood", "impact", "bands", "cells", "opportunities")}
    assert data["source"]["author"] == "Young-Kwan Yoon"
    assert data["moved"] == {"since": None, "count": 0, "shown": 0, "events": [], "moves": []}
    assert data["simulation"] is None and data["sensitivity"] is None


def test_format_json_to_a_file_is_the_same_document(run, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert run("report", "--format", "json", "-o", str(out)).exit_code == 0
    assert check_json(out.read_text(encoding="utf-8")) == json.loads(run("report", "--json").stdout)


# --------------------------------------------------------------------------- where it goes


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_html_and_svg_refuse_a_terminal(run, fmt: str) -> None:
    r = run("report", "--format", fmt, env={"TTY_COMPATIBLE": "1"})
    assert r.exit_code == 2
    assert r.stdout == ""
    assert f"error: an {fmt.upper()} report is a file, not terminal output; write it with -o report.{fmt}" in r.stderr


@pytest.mark.parametrize("fmt", ["html", "svg"])
def test_html_and_svg_go_to_a_pipe(run, fmt: str) -> None:
    r = run("report", "--format", fmt)
    assert r.exit_code == 0
    assert r.stdout.startswith("<!DOCTYPE html>" if fmt == "html" else "<?xml")


def test_markdown_prints_on_a_terminal(run) -> None:
    r = run("report", env={"TTY_COMPATIBLE": "1"})
    assert r.exit_code == 0 and r.stdout.startswith("# North Korean troops in Russia")


def test_output_file_is_never_overwritten_without_force(run, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("keep me", encoding="utf-8")
    r = run("report", "-o", str(out))
    assert r.exit_code == 2
    assert f"error: {out} already exists; use --force to overwrite it" in r.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run("report", "-o", str(out), "--force").exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("# North Korean troops")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left


def test_format_follows_the_file_suffix_unless_given(run, tmp_path: Path) -> None:
    run("report", "-o", str(tmp_path / "a.svg"))
    run("report", "-o", str(tmp_path / "b.HTML"))
    run("report", "-o", str(tmp_path / "c.txt"))
    run("report", "-o", str(tmp_path / "d.txt"), "--format", "svg")
    assert (tmp_path / "a.svg").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "b.HTML").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "c.txt").read_text(encoding="utf-8").startswith("# ")
    assert (tmp_path / "d.txt").read_text(encoding="utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("name", "hint"),
    [("committee.xlsx", "riskcli export -o FILE.xlsx"), ("r.CSV", "riskcli export -o FILE.csv"), ("b.pdf", "to PDF")],
)
def test_a_file_a_briefing_is_not_is_refused_with_the_command_that_writes_it(run, tmp_path: Path, name, hint) -> None:
    r = run("report", "-o", str(tmp_path / name))
    assert r.exit_code == 2
    assert r.stderr.startswith("error: report writes Markdown, HTML, SVG or JSON, not ") and hint in r.stderr
    assert len(r.stderr.splitlines()) == 1
    assert not (tmp_path / name).exists()


def test_json_and_another_format_are_refused(run) -> None:
    r = run("report", "--json", "--format", "md")
    assert r.exit_code == 2
    assert check_json(r.stderr)["error"]["message"] == "--json prints JSON; it cannot be given with --format md"


def test_an_unknown_format_is_a_usage_error(run) -> None:
    r = run("report", "--format", "pdf")
    assert r.exit_code == 2 and "'pdf' is not one of" in r.stderr


# --------------------------------------------------------------------------- what moved


def _at(monkeypatch: pytest.MonkeyPatch, when: str) -> None:
    monkeypatch.setattr(appending, "now_utc", lambda: when)


def test_what_moved_since_a_date_replays_the_journal_up_to_it(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _at(monkeypatch, "2025-01-10T09:00:00.000000Z")
    assert run("-r", reg, "assume", "A1", "fails", "--why", "supplier bankrupt").exit_code == 0
    _at(monkeypatch, "2025-03-10T09:00:00.000000Z")
    assert run("-r", reg, "assume", "A2", "fails", "--why", "inflation").exit_code == 0
    data = json.loads(run("-r", reg, "report", "--since", "2025-02-01", "--json").stdout)
    moved = data["moved"]
    assert moved["since"] == "2025-02-01T00:00:00+00:00"
    assert [(e["kind"], e["assumption"], e["why"]) for e in moved["events"]] == [("belief", "A2", "inflation")]
    assert [(m["risk"], [c["id"] for c in m["causes"]]) for m in moved["moves"]] == [("R2", ["A2"])]
    assert data["latest"] == "2025-03-10T09:00:00.000000Z"
    md = run("-r", reg, "report", "--since", "2025-02-01").stdout
    assert "## What moved since 2025-02-01" in md
    assert "1 journal event since 2025-02-01." in md
    assert "| 2 | 2025-03-10 09:00 UTC | tester | A2: belief 0.00 (fails) | inflation |" in md
    assert "| **R2** | Budget overrun | 2 | 3 → 4.6 | 2,3 → 2,5 | **Medium** → **High** | A2 |" in md


def test_without_since_what_moved_is_since_the_baseline(run, write, monkeypatch) -> None:
    reg = str(write(SUPPLY))
    _at(monkeypatch, "2025-01-10T09:00:00.000000Z")
    run("-r", reg, "assume", "A1", "fails")
    moved = json.loads(run("-r", reg, "report", "--json").stdout)["moved"]
    assert moved["since"] is None and moved["count"] == 1
    assert [m["risk"] for m in moved["moves"]] == ["R1"]
    later = json.loads(run("-r", reg, "report", "--since", "2025-06-01", "--json").stdout)["moved"]
    assert later["count"] == 0 and later["moves"] == []


def test_a_bad_since_is_refused(run) -> None:
    r = run("report", "--since", "last tuesday")
    assert r.exit_code == 2 and "--since 'last tuesday' is not understood" in r.stderr


def test_a_what_if_report_is_labelled_hypothetical_in_every_format(run, tmp_path: Path) -> None:
    md = run("report", "--what-if", "A7=fails").stdout
    assert md.splitlines()[2].startswith("> **HYPOTHETICAL — A7=0.00 (caveated)")
    page = parse_html(run("report", "--what-if", "A7=fails", "--format", "html").stdout)
    assert page.text("p").startswith("HYPOTHETICAL — A7=0.00")
    root = ET.fromstring(run("report", "--what-if", "A7=fails", "--format", "svg").stdout.encode())
    assert any((e.text or "").startswith("HYPOTHETICAL") for e in root.iter(f"{SVG}text"))
    data = json.loads(run("report", "--what-if", "A7=fails", "--json").stdout)
    assert data["hypothetical"]["what_if"][0]["id"] == "A7"
    assert {m["risk"] for m in data["moved"]["moves"]} == set()  # no journal: nothing moved under it either


# --------------------------------------------------------------------------- hostile text


DESCRIPTION = "- not a list\n\n1. not a list either\n> not a quote\n" + HOSTILE
EVIDENCE = HOSTILE + " \x1b[31m"


def _hostile_register(write) -> str:
    q = json.dumps
    return str(
        write(
            f"""\
title: {q("# " + HOSTILE)}
description: {q(DESCRIPTION)}
source: {{title: {q(HOSTILE)}, author: {q(HOSTILE)}, url: {q("javascript:alert(1)")}}}
rating:
  bands:
    - {{id: lo, name: {q("<b>lo</b> | ]]>")}, color: {q("green")}}}
    - {{id: hi, name: {q("*hi* & <i>")}, color: "#123456"}}
  grid:
    - [lo, lo, lo, lo, lo]
    - [lo, lo, lo, lo, hi]
    - [lo, lo, lo, hi, hi]
    - [lo, lo, hi, hi, hi]
    - [lo, hi, hi, hi, hi]
assumptions:
  - {{id: A1, statement: {q(HOSTILE)}, belief: 0.5, rationale: {q(HOSTILE)}}}
risks:
  - id: R1
    title: {q(HOSTILE)}
    category: {q("| a | b |")}
    rationale: {q(HOSTILE)}
    evidence: {q(EVIDENCE)}
    likelihood: 4
    impact: 4
    drivers:
      - {{assumption: A1, if_holds: {{likelihood: 1}}, if_fails: {{likelihood: -1}}}}
""",
            "hostile.yaml",
        )
    )


def test_hostile_text_stays_text_in_html(run, write) -> None:
    reg = _hostile_register(write)
    run("-r", reg, "assume", "A1", "fails", "--why", HOSTILE)
    text = run("-r", reg, "report", "--format", "html").stdout
    page = parse_html(text)
    assert {t for t, _ in page.tags} <= {
        "html", "head", "meta", "title", "style", "body", "section", "h1", "h2", "h3", "p", "strong", "em",
        "span", "table", "thead", "tbody", "tr", "th", "td", "blockquote",
    }  # fmt: skip
    assert page.text("title") == "# " + HOSTILE
    assert page.text("h1") == "# " + HOSTILE
    assert HOSTILE in page.text("td")  # titles, statements and the journal's why
    assert "url(" not in page.text("style") and "#123456" in page.text("style")
    assert "\x1b" not in text and "␛[31m" in text


def test_hostile_text_stays_text_in_svg(run, write) -> None:
    reg = _hostile_register(write)
    root = ET.fromstring(run("-r", reg, "report", "--format", "svg").stdout.encode())
    assert {e.tag.removeprefix(SVG) for e in root.iter()} <= {"svg", "title", "rect", "text"}
    assert root.find(f"{SVG}title").text == f"# {HOSTILE} — likelihood × impact"  # type: ignore[union-attr]
    texts = "".join(e.text or "" for e in root.iter(f"{SVG}text"))
    assert "<b>lo</b> | ]]> (" in texts and "*hi* & <i> (" in texts
    from rich.color import Color
    from rich.terminal_theme import SVG_EXPORT_THEME

    green = Color.parse("green").get_truecolor(SVG_EXPORT_THEME).hex
    fills = {e.get("fill") for e in root.iter(f"{SVG}rect")}
    assert {"#123456", green} <= fills and "#d9d9d9" not in fills  # both bands in their own colours


def test_a_colour_that_smuggles_css_is_refused_before_any_report(run, write) -> None:
    reg = _hostile_register(write)
    with open(reg, encoding="utf-8") as f:
        text = f.read().replace('color: "green"', 'color: "green;background:url(http://x)"')
    with open(reg, "w", encoding="utf-8") as f:
        f.write(text)
    result = run("-r", reg, "report", "--format", "html")
    assert result.exit_code == 2 and result.stdout == ""
    assert "rating.bands[1].color: 'green;background:url(http://x)' is not a colour" in result.stderr


def test_hostile_text_stays_text_in_markdown(run, write) -> None:
    reg = _hostile_register(write)
    run("-r", reg, "assume", "A1", "fails", "--why", HOSTILE)
    md = run("-r", reg, "report").stdout
    rendered = md_html(md)
    assert "<img" not in rendered and "<script" not in rendered and "<!--" not in rendered
    assert "<em>" not in rendered.split("<h2>", 1)[0] and "<ul>" not in rendered and "<ol>" not in rendered
    assert "<a " not in rendered and "<code>" not in rendered
    page = parse_html("<div>" + rendered + "</div>")
    assert page.text("h1") == "# " + HOSTILE
    assert page.text("blockquote").count("not a quote") == 0
    tables = md_tables(md)
    for table in tables:
        assert len({len(row) for row in table}) == 1, table  # a | in a cell never splits it
    top = next(t for t in tables if t[0][0] == "Rank")
    assert top[1][2] == HOSTILE
    events = next(t for t in tables if t[0][0] == "Line")
    assert events[1][4] == HOSTILE
    kac = next(t for t in tables if t[0][0] == "Assumption")
    assert kac[1][1] == HOSTILE and kac[1][4] == HOSTILE
    assert "\x1b" not in md


def test_hostile_text_stays_text_in_json(run, write) -> None:
    reg = _hostile_register(write)
    data = json.loads(run("-r", reg, "report", "--json").stdout)
    assert data["register"]["title"] == "# " + HOSTILE
    assert data["top"]["risks"][0]["title"] == HOSTILE
    assert data["source"]["url"] == "javascript:alert(1)"


# --------------------------------------------------------------------------- colours and later sections


def test_band_colours_become_hex() -> None:
    key = Key(colours={"a": "yellow", "b": "#AbCdEf", "c": "grey50", "d": "not a colour", "e": "bold red"})
    assert [band_hex(key, b) for b in "abcdef"] == ["#d0b344", "#abcdef", "#808080", "#d9d9d9", "#d9d9d9", "#d9d9d9"]
    assert ink("#d0b344") == "#000000" and ink("#cc555a") == "#ffffff"


def _with_summaries() -> ReportResult:
    from riskcli.results.report import report
    from riskcli.results.request import Request
    from riskcli.results.session import open_session

    r = report(Request(), open_session(Request()))
    return dataclasses.replace(
        r,
        simulation=SimulationSummary(
            trials=10_000,
            seed=7,
            exact=False,
            top_band="critical",
            any_in_top_band=0.93,
            risks=(SimulatedRisk("R14", (BandChance("high", 0.58), BandChance("critical", 0.31)), True),),
        ),
        sensitivity=SensitivitySummary(
            (SensitivityRow("A7", "Russia becomes a security backer", "caveated", 6, 6, -14.5),)
        ),
    )


def test_simulation_and_sensitivity_have_their_sections_when_present() -> None:
    r = _with_summaries()
    key = Key.of(register.load(None, None).rules)
    md = render(r, key, "md")
    assert "## Simulation" in md and "chance that at least one risk is Critical is 93%" in md
    assert "| **R14** | 58% **High**, 31% **Critical** | split |" in md
    assert "## Sensitivity: the load-bearing assumptions" in md
    assert "| **A7** | Russia becomes a security backer | caveated | 6 | 6 | -14.5 |" in md
    page = parse_html(render(r, key, "html"))
    assert "Simulation" in page.text("h2") and "Sensitivity" in page.text("h2")
    data = check_json(render(r, key, "json"))
    assert data["simulation"]["risks"][0]["bands"][1] == {"band": "critical", "probability": 0.31}


def test_only_the_json_works_out_what_moves_if_an_assumption_is_wrong(run, tmp_path: Path, monkeypatch) -> None:
    """The JSON carries each assumption's impact if wrong (a what-if per assumption); the
    documents do not show it, so they do not compute it."""
    from riskcli import simulate

    data = json.loads(run("report", "--json").stdout)
    assert all(a["impact_if_wrong"] is not None for a in data["assumptions"])
    assert any(a["impact_if_wrong"]["bands"] for a in data["assumptions"])

    def no_swing(*args: object, **kw: object) -> None:
        raise AssertionError("a what-if per assumption for a document that does not show it")

    monkeypatch.setattr(simulate, "swing", no_swing)
    for fmt in ("md", "html", "svg"):
        result = run("report", "--format", fmt, "-o", str(tmp_path / f"r.{fmt}"))
        assert result.exit_code == 0, (fmt, result.stderr)


def test_the_report_names_the_risks_not_yet_assessed_it_leaves_out(run, write) -> None:
    """A risk not yet assessed is out of the matrix and the top risks: every form of the briefing
    names the live ones under the matrix, as matrix and list do (a closed one is named with the
    closed and retired risks, as an assessed one is)."""
    reg = str(
        write(
            "risks:\n"
            "  - {id: R1, title: Flood, likelihood: 2, impact: 3}\n"
            "  - {id: R2, title: New market, likelihood: unassessed, impact: unassessed}\n"
            "  - {id: R3, title: Old plan, likelihood: 2, impact: unassessed, status: closed}\n"
        )
    )
    data = check_json(run("report", "--json", "--register", reg).stdout)
    assert data["unassessed"] == ["R2"]
    assert [r["id"] for r in data["top"]["risks"]] == ["R1"]
    said = "Not yet assessed (without a likelihood or an impact), out of the matrix and the ranking: R2."
    for fmt in ("md", "html"):
        result = run("report", "--format", fmt, "--register", reg)
        assert result.exit_code == 0, result.stderr
        assert said in result.stdout, fmt
        assert (
            result.stdout.count("R3") == 1
            and "Closed or retired, out of the matrix and the ranking: R3" in result.stdout
        ), fmt
