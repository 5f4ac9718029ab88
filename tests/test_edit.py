"""add and set: a register file edited from the terminal keeps every byte outside the edited item,
validates, and is left untouched when the edit is refused."""

from __future__ import annotations

import difflib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from riskcli import register
from riskcli.register import edit as editing

from conftest import MINIMAL, SUPPLY

# A register written by hand: comments everywhere, blank lines between items, quoting and flow
# styles of its own, a block scalar, a key order the loader does not use, and a trailing comment.
HANDWRITTEN = """\
# Supply risks — reviewed monthly.
title: 'Supply'   # quoted on purpose
as_of: 2025-01-01

assumptions:
  - {id: A1, statement: "Supplier delivers.", belief: 0.5}   # flow style
  - id: A2
    belief: likely      # key order of our own
    statement: Prices stay flat.

risks:
  # The big one.
  - id: R1
    title: Production stops
    likelihood: 3    # possible
    impact:   4
    evidence: |
      one shipment was late

    drivers:
      - {assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}

  - id: R2
    title: "Budget overrun"
    likelihood: unlikely
    impact: 3
# end of risks

responses: []  # none yet
"""


def _changes(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """The line-level differences: (operation, old lines, new lines) for each non-equal block."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in ops if op != "equal"]


@pytest.fixture
def reg(write) -> Path:
    return write(HANDWRITTEN)


# --------------------------------------------------------------------------- add


def test_add_risk_only_inserts_the_new_item(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("add", "risk", "--register", str(reg), "--title", "Port strike", "-l", "30%", "-i", "major")
    assert result.exit_code == 0, result.stderr
    after = reg.read_text(encoding="utf-8")
    ((op, old, new),) = _changes(before, after)
    assert op == "insert" and old == []
    assert new == [
        "\n",  # the register separates its risks with a blank line, so the new one is too
        "  - id: R3\n",
        "    title: Port strike\n",
        "    likelihood: 30%\n",
        "    impact: major\n",
    ]
    assert after.index("  - id: R3") > after.index('title: "Budget overrun"')
    assert after.index("  - id: R3") < after.index("# end of risks")


def test_add_risk_result_validates_and_says_what_it_understood(run, reg) -> None:
    result = run("add", "risk", "-r", str(reg), "-t", "Port strike", "-l", "very likely", "-i", "4")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"added risk R3 to {reg} (line 28)",
        "  likelihood: very likely → 5 Almost certain (≥ 80%) at 87.5%",
        "  impact: 4 → 4 Major",
        "  baseline cell (5, 4), Critical",
    ]
    assert result.stderr == "R3 is the next free id; give --id to choose one\n"
    assert run("validate", str(reg)).exit_code == 0
    shown = json.loads(run("show", "R3", "--register", str(reg), "--json").stdout)
    assert shown["risk"]["title"] == "Port strike"


def test_add_risk_with_every_option(run, reg) -> None:
    result = run(
        "add", "risk", "-r", str(reg), "--id", "R9", "-t", "yes", "-l", "2", "-i", "3",
        "--category", "ops: logistics", "--actor", "DPRK", "--owner", "alice", "--confidence", "High",
        "--driver", "A1:+1/-1", "--driver", "A2:L0.5,I+1/", "--description", "Two lines\nof text",
        "--rationale", "#1 concern", "--evidence", "“quoted” — text",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    after = reg.read_text(encoding="utf-8")
    item = after[after.index("  - id: R9") : after.index("# end of risks")]
    assert item == (
        "  - id: R9\n"
        "    title: 'yes'\n"
        '    description: "Two lines\\nof text"\n'
        "    category: 'ops: logistics'\n"
        "    actors: [DPRK]\n"
        "    owner: alice\n"
        "    likelihood: 2\n"
        "    impact: 3\n"
        "    confidence: high\n"
        "    rationale: '#1 concern'\n"
        "    evidence: “quoted” — text\n"
        "    drivers:\n"
        "      - assumption: A1\n"
        "        if_holds: {likelihood: 1}\n"
        "        if_fails: {likelihood: -1}\n"
        "      - assumption: A2\n"
        "        if_holds: {likelihood: 0.5, impact: 1}\n"
    )
    risk = json.loads(run("show", "R9", "-r", str(reg), "--json").stdout)["risk"]
    assert (risk["title"], risk["category"], risk["confidence"]) == ("yes", "ops: logistics", "high")
    assert _no_journal(reg)


def _no_journal(reg: Path) -> bool:
    """Editing the register records nothing: the journal is for judgements, not edits."""
    return not any(p.name.endswith(".journal.jsonl") for p in reg.parent.iterdir())


def test_add_to_a_flow_list_stays_flow(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("add", "assumption", "-r", str(reg), "--statement", "Demand holds", "--belief", "uncertain")
    assert result.exit_code == 0, result.stderr
    ((op, _, new),) = _changes(before, reg.read_text(encoding="utf-8"))
    assert op == "insert" and new == ["  - id: A3\n", "    statement: Demand holds\n", "    belief: uncertain\n"]
    assert "belief: uncertain → 0.50 (caveated, derived)" in result.stdout


def test_add_to_an_empty_flow_list_changes_only_its_line(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("add", "response", "-r", str(reg), "--title", "Second supplier", "--effect", "R1:L-1,I-0.5")
    assert result.exit_code == 0, result.stderr
    ((op, old, new),) = _changes(before, reg.read_text(encoding="utf-8"))
    assert op == "replace" and old == ["responses: []  # none yet\n"]
    assert new == [
        "responses:  # none yet\n",
        "  - id: M1\n",
        "    title: Second supplier\n",
        "    effects:\n",
        "      - risk: R1\n",
        "        likelihood: -1\n",
        "        impact: -0.5\n",
    ]
    assert run("validate", str(reg)).exit_code == 0


def test_add_creates_a_missing_section_at_the_end(run, write) -> None:
    reg = write(MINIMAL)
    result = run("add", "indicator", "-r", str(reg), "--title", "Outage reported", "--review-every", "30")
    assert result.exit_code == 0, result.stderr
    assert reg.read_text(encoding="utf-8") == MINIMAL + (
        "indicators:\n  - id: I1\n    title: Outage reported\n    review_every: 30\n"
    )
    assert run("validate", str(reg)).exit_code == 0


def test_add_indicator_with_likelihood_ratios(run, write) -> None:
    reg = write(SUPPLY)
    result = run("add", "indicator", "-r", str(reg), "-t", "Second late shipment", "--bears-on", "A1:0.3/1.5")
    assert result.exit_code == 0, result.stderr
    data = json.loads(run("indicators", "-r", str(reg), "--json").stdout)
    (ind,) = data["indicators"]
    assert ind["id"] == "I1" and [(b["assumption"], b["seen_ratio"], b["absent_ratio"]) for b in ind["bears_on"]] == [
        ("A1", 0.3, 1.5)
    ]


def test_ids_are_the_next_free_number(tmp_path) -> None:
    assert editing.next_id(["R1", "R2", "R10"], "R") == "R11"
    assert editing.next_id(["R001", "R007"], "R") == "R008"
    assert editing.next_id([], "M") == "M1"
    assert editing.next_id(["RISK-1", "RISK-2", "other"], "R") == "RISK-3"


def test_add_with_a_given_id_and_json(run, reg) -> None:
    result = run("add", "risk", "-r", str(reg), "--id", "X-7", "-t", "Given id", "-l", "1", "-i", "1", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["schema"], data["kind"], data["id"], data["assigned"]) == ("riskcli/add/1", "risk", "X-7", False)
    assert data["baseline"]["cell"] == {"likelihood": 1, "impact": 1}
    assert data["understood"][0] == {
        "field": "likelihood",
        "said": "1",
        "value": 1.0,
        "via": "level",
        "probability": None,
    }
    assert result.stderr == ""


# --------------------------------------------------------------------------- set


def test_set_changes_one_value_and_keeps_its_comment(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("set", "R1", "likelihood", "4", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert _changes(before, reg.read_text(encoding="utf-8")) == [
        ("replace", ["    likelihood: 3    # possible\n"], ["    likelihood: 4    # possible\n"])
    ]
    assert result.stdout.splitlines() == [
        "R1 likelihood: 3 Possible (20–55%) → 4 Likely (55–80%)",
        "  understood: 4 → 4 Likely (55–80%)",
        "  baseline cell (3, 4) → (4, 4), High → Critical",
    ]
    assert result.stderr == f"wrote {reg} (line 13)\n"
    assert _no_journal(reg)


def test_set_a_belief_inside_a_flow_mapping(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("set", "A1", "belief", "0.3", "-r", str(reg))
    assert result.exit_code == 0, result.stderr
    assert _changes(before, reg.read_text(encoding="utf-8")) == [
        (
            "replace",
            ['  - {id: A1, statement: "Supplier delivers.", belief: 0.5}   # flow style\n'],
            ['  - {id: A1, statement: "Supplier delivers.", belief: 0.3}   # flow style\n'],
        )
    ]
    assert "assumption A1 belief: 0.50 (caveated, derived) → 0.30 (unsupported, derived)" in result.stdout


def test_set_a_field_the_item_lacks_adds_one_line_to_it(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("set", "R2", "owner", "bob", "-r", str(reg))
    assert result.exit_code == 0, result.stderr
    assert _changes(before, reg.read_text(encoding="utf-8")) == [("insert", [], ["    owner: bob\n"])]
    after = reg.read_text(encoding="utf-8")
    assert after.index("    owner: bob") > after.index("    impact: 3") and after.index("owner") < after.index("# end")
    assert "R2 owner: — → bob" in result.stdout


def test_set_an_empty_value_fills_it_in(run, write) -> None:
    reg = write("risks:\n  - id: R1\n    title: x\n    owner:   # who?\n    likelihood: 1\n    impact: 1\n")
    assert run("set", "R1", "owner", "bob", "-r", str(reg)).exit_code == 0
    assert reg.read_text(encoding="utf-8") == (
        "risks:\n  - id: R1\n    title: x\n    owner: bob   # who?\n    likelihood: 1\n    impact: 1\n"
    )


def test_set_replaces_a_block_scalar_and_keeps_the_lines_after_it(run, reg) -> None:
    before = reg.read_text(encoding="utf-8")
    result = run("set", "R1", "evidence", "two shipments were late", "-r", str(reg))
    assert result.exit_code == 0, result.stderr
    ((op, old, new),) = _changes(before, reg.read_text(encoding="utf-8"))
    assert (op, old, new) == (
        "replace",
        ["    evidence: |\n", "      one shipment was late\n"],
        ["    evidence: two shipments were late\n"],
    )
    assert run("validate", str(reg)).exit_code == 0


def test_set_text_that_yaml_would_read_otherwise_stays_text(run, reg) -> None:
    for value in ("yes", "1:20", "null", "2024-10-31", "- a", "#x", "a: b", "[x]", "  padded  "):
        result = run("-r", str(reg), "set", "R2", "title", "--", value)
        assert result.exit_code == 0, (value, result.stderr)
        title = json.loads(run("show", "R2", "-r", str(reg), "--json").stdout)["risk"]["title"]
        assert title == value, value  # as typed, its spaces too


def test_set_the_same_value_writes_nothing(run, reg) -> None:
    before = reg.stat().st_mtime_ns, reg.read_bytes()
    result = run("set", "R2", "likelihood", "2", "-r", str(reg))  # written as "unlikely": level 2 already
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"R2: likelihood is already 2 Unlikely (5–20%); {reg} is unchanged\n"
    assert (reg.stat().st_mtime_ns, reg.read_bytes()) == before


def test_set_json(run, reg) -> None:
    result = run("set", "R1", "impact", "catastrophic", "-r", str(reg), "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["schema"], data["from"], data["to"], data["changed"]) == ("riskcli/set/2", 4, 5, True)
    assert data["baseline"]["from"]["rating"]["id"] == "high" and data["baseline"]["to"]["rating"]["id"] == "critical"


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "risk", "-t", "x", "-l", "9", "-i", "1"), "error: likelihood '9' is out of range; levels are 1–5"),
        (("add", "risk", "-t", "x", "-l", "sort of", "-i", "1"), "error: likelihood 'sort of' is not understood"),
        (("add", "risk", "-t", " ", "-l", "1", "-i", "1"), "error: title: give a value"),
        (("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--id", "R1"), "error: risk R1 is already in"),
        (("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--id", "a b"), "error: --id 'a b' is not a valid id"),
        (("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--confidence", "sure"), "error: confidence 'sure' is not"),
        (
            ("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--driver", "A1:up"),
            "error: --driver 'A1:up': give ASSUMPTION",
        ),
        (
            ("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--driver", "A1:x/-1"),
            "error: --driver 'A1:x/-1': 'x' is not",
        ),
        (("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--actor", "a b"), "error: --actor 'a b' is not a valid id"),
        (
            ("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--driver", "A9:+1/-1"),
            "error: risk R3 not added: driver 1: unknown assumption 'A9'",
        ),
        (
            ("add", "risk", "-t", "x", "-l", "1", "-i", "1", "--driver", "A1:+20/-1"),
            "error: risk R3 not added: driver 1: if_holds.likelihood = 20 steps is out of range",
        ),
        (("add", "assumption", "-s", "x", "-b", "2"), "error: belief '2' is out of range"),
        (("add", "assumption", "-s", "x", "-b", "1", "--support", "firm"), "error: support 'firm' is not one of"),
        (("add", "indicator", "-t", "x", "--review-every", "0"), "error: review_every '0': give a whole number"),
        (("add", "indicator", "-t", "x", "--bears-on", "A1:1"), "error: indicator I1 not added: bears_on 1: seen = 1"),
        (("add", "response", "-t", "x", "--effect", "R7:L-1"), "error: response M1 not added: effects 1: unknown risk"),
        (("set", "R1", "impact", "0"), "error: impact '0' is out of range"),
        (("set", "R1", "id", "R5"), "error: risk R1: cannot set 'id' (an id is what the journal"),
        (("set", "R1", "drivers", "x"), "error: risk R1: cannot set 'drivers' (edit drivers in your editor)"),
        (("set", "R1", "colour", "x"), "error: risk R1: cannot set 'colour'; set one of: title, likelihood"),
        (("set", "R7", "impact", "1"), "error: unknown risk, assumption, indicator or response 'R7'"),
        (("set", "A1", "belief", "maybe"), "error: belief 'maybe' is not understood"),
    ],
)
def test_a_bad_value_exits_2_with_one_line_and_leaves_the_file(run, reg, args, message) -> None:
    before = reg.read_bytes()
    result = run(*args, "--register", str(reg))
    assert result.exit_code == 2
    assert result.stderr.startswith(message), result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert reg.read_bytes() == before


def test_the_embedded_register_is_refused(run) -> None:
    for args in (("add", "risk", "-t", "x", "-l", "1", "-i", "1"), ("set", "R1", "impact", "2")):
        result = run(*args)
        assert result.exit_code == 2
        assert result.stderr.startswith("error: ") and "embedded register is read-only" in result.stderr
        assert "riskcli init mine.yaml" in result.stderr


def test_a_register_with_problems_is_not_edited(run, write) -> None:
    reg = write("risks:\n  - id: R1\n    titel: x\n    likelihood: 1\n    impact: 1\n")
    before = reg.read_bytes()
    result = run("add", "risk", "-r", str(reg), "-t", "x", "-l", "1", "-i", "1")
    assert result.exit_code == 2 and f"{reg}:3:5: risk R1: unknown key 'titel'" in result.stderr
    assert reg.read_bytes() == before


def test_a_layout_riskcli_cannot_extend_is_refused_not_broken(run, write) -> None:
    reg = write(MINIMAL + "...\n")  # a document end marker: nothing can follow it
    before = reg.read_bytes()
    result = run("add", "assumption", "-r", str(reg), "-s", "x", "-b", "0.5")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "error: cannot edit this file in place without changing more than asked; edit it in your editor\n"
    )
    assert reg.read_bytes() == before


def test_hypothetical_options_are_refused(run, reg) -> None:
    result = run("set", "R1", "impact", "2", "-r", str(reg), "--what-if", "A1=fails")
    assert result.exit_code == 2 and "--what-if do not apply to set" in result.stderr


# --------------------------------------------------------------------------- the file itself


def test_crlf_line_endings_and_a_byte_order_mark_are_kept(run, tmp_path) -> None:
    reg = tmp_path / "win.yaml"
    reg.write_bytes("\ufeffrisks:\r\n  - id: R1\r\n    title: x\r\n    likelihood: 1\r\n    impact: 1\r\n".encode())
    assert run("add", "risk", "-r", str(reg), "-t", "z", "-l", "2", "-i", "2").exit_code == 0
    assert run("set", "R1", "impact", "3", "-r", str(reg)).exit_code == 0
    assert reg.read_bytes() == (
        "\ufeffrisks:\r\n  - id: R1\r\n    title: x\r\n    likelihood: 1\r\n    impact: 3\r\n"
        "  - id: R2\r\n    title: z\r\n    likelihood: 2\r\n    impact: 2\r\n"
    ).encode("utf-8")


def test_the_file_mode_is_kept_and_a_link_stays_a_link(run, tmp_path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text(MINIMAL, encoding="utf-8")
    os.chmod(real, 0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert run("set", "R1", "impact", "2", "-r", str(link)).exit_code == 0
    assert link.is_symlink() and "impact: 2" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "real.yaml"]  # no temporary file left


def test_a_file_changed_meanwhile_is_not_overwritten(run, reg, monkeypatch) -> None:
    """If the file changes between reading it and replacing it, nothing is written."""
    real_read = editing.read
    calls = {"n": 0}

    def read(path: Path, shown: str) -> editing.Text:
        calls["n"] += 1
        if calls["n"] == 2:  # the check just before the replace
            path.write_text(path.read_text(encoding="utf-8") + "# someone else\n", encoding="utf-8")
        return real_read(path, shown)

    monkeypatch.setattr(editing, "read", read)
    result = run("set", "R1", "impact", "2", "-r", str(reg))
    assert result.exit_code == 1
    assert result.stderr == f"error: {reg} changed while riskcli was editing it; nothing was written (try again)\n"
    assert reg.read_text(encoding="utf-8") == HANDWRITTEN + "# someone else\n"


def test_the_shipped_register_keeps_every_other_byte(run, tmp_path) -> None:
    from riskcli.register import embedded_register_path

    reg = tmp_path / "register.yaml"
    before = embedded_register_path().read_text(encoding="utf-8")
    reg.write_text(before, encoding="utf-8")
    (tmp_path / "source.txt").write_text((embedded_register_path().parent / "source.txt").read_text("utf-8"), "utf-8")
    assert run("set", "R5", "impact", "2", "-r", str(reg)).exit_code == 0
    assert run("add", "risk", "-r", str(reg), "-t", "New", "-l", "1", "-i", "1", "--actor", "DPRK").exit_code == 0
    changes = _changes(before, reg.read_text(encoding="utf-8"))
    assert [op for op, _, _ in changes] == ["replace", "insert"]
    assert len(changes[0][1]) == 1 and changes[0][2][0].strip() == "impact: 2"
    assert run("validate", str(reg)).exit_code == 0


def test_an_edit_of_the_section_alone_equals_an_edit_of_the_whole_file(monkeypatch) -> None:
    """A large register is edited by reading again only the lines of the item (or of the end of
    its section): the same text as when the whole file is read."""
    from riskcli.register import embedded_register_path, load
    from riskcli.register.sections import load_text

    whole_root = editing._root
    for text in (HANDWRITTEN, embedded_register_path().read_text(encoding="utf-8")):
        reg = load_text(text, "r.yaml") if text is HANDWRITTEN else load()
        lines = [r.line for r in reg.risks]
        item = {"id": "R99", "title": "New", "likelihood": 2, "impact": 3}
        cases = [((text, "risks", item), (lines,), editing.add)]
        for i, risk in enumerate(reg.risks):
            for key, value in (("impact", 1), ("owner", "x: y")):
                cases.append(((text, "risks", risk.id, key, value), (lines[i : i + 2],), editing.set_field))
        for args, window, edit in cases:
            monkeypatch.setattr(editing, "_root", whole_root)
            whole = edit(*args)
            monkeypatch.setattr(editing, "_root", lambda _: pytest.fail("the whole file was read"))
            assert edit(*args, *window) == whole


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("kind", ["risk", "assumption", "indicator", "response"])
def test_add_help_has_examples(run, kind) -> None:
    result = run("add", kind, "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout and f"riskcli add {kind}" in result.stdout


def test_help_says_the_register_holds_the_baseline(run) -> None:
    for args in (("add", "risk", "--help"), ("set", "--help")):
        text = " ".join(run(*args).stdout.split())
        assert "baseline" in text and "riskcli score" in text


def test_concurrent_edits_of_one_register_lose_none(write, tmp_path) -> None:
    """Eight processes each set the owner of a different risk at once, half of them through a
    symbolic link from another folder: every edit is in the file (an edit waits for the one
    before it; none reads the file while another is writing it)."""

    risks = "".join(f"  - {{id: R{i}, title: t{i}, likelihood: 2, impact: 2}}\n" for i in range(8))
    reg = write("risks:\n" + risks)
    (tmp_path / "elsewhere").mkdir()
    link = tmp_path / "elsewhere" / "link.yaml"
    link.symlink_to(reg)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "riskcli",
                "--register",
                str(link if i % 2 else reg),
                "set",
                f"R{i}",
                "owner",
                f"owner{i}",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(8)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 8, errors
    owners = {r.id: r.owner for r in __import__("riskcli").register.load(reg).risks}
    assert owners == {f"R{i}": f"owner{i}" for i in range(8)}


def test_set_drops_imports_note_of_what_the_cell_said(run, write, tmp_path) -> None:
    src = write("ID,Title,Likelihood,Impact\nX1,Flood,likely,2\n", "in.csv")
    reg = tmp_path / "semi.yaml"
    assert run("import", str(src), "-o", str(reg)).exit_code == 0
    assert "likelihood: 4  # from 'likely'" in reg.read_text(encoding="utf-8")
    assert run("set", "X1", "likelihood", "2", "--register", str(reg)).exit_code == 0
    text = reg.read_text(encoding="utf-8")
    assert "likelihood: 2\n" in text and "# from 'likely'" not in text
    assert run("set", "X1", "title", "Flood # from 'x'", "--register", str(reg)).exit_code == 0
    assert run("validate", str(reg)).exit_code == 0
    assert [r.title for r in __import__("riskcli").register.load(reg).risks] == ["Flood # from 'x'"]


def test_set_keeps_an_analysts_own_from_comment(run, write) -> None:
    reg = write(
        'risks:\n  - id: R1\n    title: Staff leave   # from "the 2024 HR survey"\n'
        "    likelihood: 3\n    impact: 3  # from 'Q3 workshop, agreed with CFO'\n"
    )
    assert run("set", "R1", "title", "Key staff leave", "--register", str(reg)).exit_code == 0
    assert run("set", "R1", "impact", "4", "--register", str(reg)).exit_code == 0
    text = reg.read_text(encoding="utf-8")
    assert 'title: Key staff leave   # from "the 2024 HR survey"\n' in text
    assert "impact: 4  # from 'Q3 workshop, agreed with CFO'\n" in text


@pytest.mark.parametrize(
    "command", [("set", "R1", "title", "t"), ("add", "risk", "--title", "t", "-l", "2", "-i", "2")]
)
def test_editing_a_register_in_a_missing_folder_says_no_such_file(run, tmp_path, command) -> None:
    missing = tmp_path / "nodir" / "x.yaml"
    result = run(*command, "--register", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"error: {missing}: no such file\n"


@pytest.mark.parametrize("value", ["  padded  ", "line\u2028separated\u2028", "\tindented"])
def test_set_writes_text_as_typed(run, write, value) -> None:
    reg = write(SUPPLY)
    result = run("set", "R1", "title", value, "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert register.load(reg).risk_by_id["R1"].title == value


def test_add_writes_text_as_typed(run, write) -> None:
    reg = write(SUPPLY)
    result = run("add", "risk", "--title", " spaced out ", "-l", "2", "-i", "2", "--register", str(reg))
    assert result.exit_code == 0, result.stderr
    assert register.load(reg).risks[-1].title == " spaced out "
