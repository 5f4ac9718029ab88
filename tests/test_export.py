"""export: the register with its current scores as CSV, XLSX, JSON and YAML — and back in by import."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from riskcli import register
from riskcli.model import Status
from riskcli.register.write import comparable

from conftest import check_json

# Two assumptions, risks resting on them, a response that treats R1 and hurts R2, a hex band
# colour beside named ones, an owner, actors, an extra field, and text a spreadsheet or a
# terminal would act on.
HOSTILE = '=HYPERLINK("https://evil.example","click") [link=https://x]y[/link] \x1b[31m</script>'
REGISTER = f"""\
title: Supply
as_of: 2025-01-01
rating:
  bands:
    - {{id: low, name: Low, color: green}}
    - {{id: medium, name: Medium, color: "#FFC000"}}
    - {{id: high, name: High, color: dark_orange}}
    - {{id: critical, name: Critical, color: red}}
assumptions:
  - {{id: A1, statement: Supplier delivers., belief: 0.5}}
  - {{id: A2, statement: Prices stay flat., belief: 0.8}}
risks:
  - id: R1
    title: Production stops
    category: operations
    owner: ops
    actors: [SUP, OPS]
    likelihood: 3
    impact: 4
    extra: {{cost: 1200, site: north}}
    drivers:
      - {{assumption: A1, if_holds: {{likelihood: -1}}, if_fails: {{likelihood: 1}}}}
  - id: R2
    title: Budget overrun
    category: finance
    likelihood: 2
    impact: 3
    drivers:
      - {{assumption: A2, if_holds: {{impact: -1}}, if_fails: {{impact: 1}}}}
  - id: R3
    title: {json.dumps(HOSTILE)}
    likelihood: 1
    impact: 1
responses:
  - id: M1
    title: Second supplier
    effects: [{{risk: R1, impact: -1}}]
    side_effects: [{{risk: R2, impact: 1}}]
"""


@pytest.fixture
def reg(run, write) -> Path:
    """The register, with a journal: A1 fails (R1 up a level), M1 applied (R1 down, R2 up)."""
    p = write(REGISTER)
    assert run("-r", str(p), "assume", "A1", "fails", "--why", "late again").exit_code == 0
    assert run("-r", str(p), "respond", "M1", "--apply", "--why", "signed").exit_code == 0
    return p


CURRENT = {"R1": (4, 3, "High"), "R2": (2, 4, "Medium"), "R3": (1, 1, "Low")}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))


def test_csv_has_current_cells_rating_rank_baseline_and_inherent(run, reg) -> None:
    result = run("-r", str(reg), "export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = {r["id"]: r for r in _rows(result.stdout)}
    assert {k: (int(r["likelihood"]), int(r["impact"]), r["rating"]) for k, r in rows.items()} == CURRENT
    r1 = rows["R1"]
    assert (r1["score"], r1["rank"], r1["baseline likelihood"], r1["baseline impact"]) == ("12", "1", "3", "4")
    assert (r1["inherent likelihood"], r1["inherent impact"], r1["inherent rating"]) == ("4", "4", "High")
    assert (r1["owner"], r1["actors"], r1["category"], r1["cost"], r1["site"]) == (
        "ops",
        "SUP, OPS",
        "operations",
        "1200",
        "north",
    )
    assert not result.stdout.startswith("\ufeff")  # a byte-order mark only in files


def test_csv_round_trip_gives_back_the_same_risks(run, reg, tmp_path) -> None:
    out, back = tmp_path / "risks.csv", tmp_path / "back.yaml"
    exported = run("-r", str(reg), "export", "-o", str(out))
    assert exported.exit_code == 0, exported.stderr
    assert exported.stderr == f"wrote {out} (CSV): 3 risks\n"
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    assert "K   rating               → rating (guessed)" in imported.stderr  # read, and given back
    assert "L   score                → not read: a score riskcli's export computed" in imported.stderr
    _same_risks(back, reg)


def test_xlsx_round_trip_gives_back_the_same_risks(run, reg, tmp_path) -> None:
    out, back = tmp_path / "risks.xlsx", tmp_path / "back.yaml"
    exported = run("-r", str(reg), "export", "--format", "xlsx", "-o", str(out))
    assert exported.exit_code == 0, exported.stderr
    assert exported.stderr == f"wrote {out} (XLSX): 3 risks; sheets: Risks, Matrix, Inherent, Scales, Method\n"
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    _same_risks(back, reg, shown=lambda title: title.replace("\x1b", "␛"))  # XLSX cannot hold an ESC


def _same_risks(back: Path, original: Path, shown: Callable[[str], str] = str) -> None:
    """Ids, titles, categories, owners, actors and extra fields as in the register; levels are the
    current cells; and the imported register validates."""
    a, b = register.load(original), register.load(back)
    assert [r.id for r in b.risks] == [r.id for r in a.risks]
    for old, new in zip(a.risks, b.risks, strict=True):
        assert (new.title, new.category, new.owner, new.actors, new.status) == (
            shown(old.title),
            old.category,
            old.owner,
            old.actors,
            old.status or Status.OPEN,  # derived: none of these has a treatment or an acceptance
        )
        assert dict(new.extra) == dict(old.extra)
        assert (new.likelihood, new.impact) == CURRENT[new.id][:2]


def test_xlsx_has_the_matrix_in_band_colours_with_legend(run, reg, tmp_path) -> None:
    out = tmp_path / "risks.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0  # the format from the suffix
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Risks", "Matrix", "Inherent", "Scales", "Method"]
    m = wb["Matrix"]
    assert m["A2"].value == "Current matrix (residual): with responses M1 applied"
    # Rows 5..9 are likelihood 5..1, columns B..F impact 1..5.
    assert m["A6"].value == "4 Likely" and m["D4"].value == "3 Moderate"
    r1 = m["D6"]  # likelihood 4, impact 3: High (dark_orange)
    assert r1.value == "R1" and r1.fill.fgColor.rgb == "FFFF8700"
    r2 = m["E8"]  # likelihood 2, impact 4: Medium (the register's own hex colour)
    assert r2.value == "R2" and r2.fill.fgColor.rgb == "FFFFC000"
    assert m["B9"].fill.fgColor.rgb == "FF00B050" and m["B9"].value == "R3"  # Low (green)
    assert m["F5"].fill.fgColor.rgb == "FFFF0000" and m["F5"].value is None  # Critical (red), empty
    legend = {m.cell(row=r, column=8).value: m.cell(row=r, column=9).value for r in range(5, 9)}
    assert legend == {"Critical": 0, "High": 1, "Medium": 1, "Low": 1}
    assert wb["Inherent"]["E6"].value == "R1"  # without M1: likelihood 4, impact 4
    assert wb["Inherent"]["A2"].value == "Inherent matrix: as if no response were applied"


def test_xlsx_has_the_risks_scales_and_method(run, reg, tmp_path) -> None:
    out = tmp_path / "risks.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    risks = wb["Risks"]
    header = [c.value for c in risks[1]]
    assert header[:12] == [
        "id",
        "title",
        "category",
        "owner",
        "status",
        "treatment",
        "review by",
        "actors",
        "likelihood",
        "impact",
        "rating",
        "score",
    ]
    assert risks["K2"].value == "High" and risks["K2"].fill.fgColor.rgb == "FFFF8700"
    scales = [[c.value for c in row] for row in wb["Scales"].iter_rows()]
    assert [3, "Possible", "20%–55%", "Might well happen; a real possibility either way."] in scales
    assert ["medium", "Medium", "#FFC000"] in [row[:3] for row in scales]
    method = "\n".join(str(c.value) for (c,) in wb["Method"].iter_rows(max_col=1) if c.value)
    assert "b × if_holds + (1 − b) × if_fails" in method
    assert "Applied when exported: M1." in method
    assert "half up" not in method


def test_the_method_sheet_states_the_rule_the_cells_follow(run, tmp_path) -> None:
    """A likelihood of 3.5 (A1 holds: half a step up from the baseline 3) is in cell 3, toward the
    level its score starts from; the Method sheet says that rule (it said half up, which gives 4),
    in the words the tie finding uses."""
    reg = tmp_path / "h.yaml"
    reg.write_text(
        "id: h\nassumptions:\n  - {id: A1, statement: Demand holds, belief: 0.5}\nrisks:\n"
        "  - id: R1\n    title: Stock runs out\n    likelihood: 3\n    impact: 2\n"
        "    drivers: [{assumption: A1, if_holds: {likelihood: 1}, if_fails: {likelihood: 0}}]\n",
        encoding="utf-8",
    )
    assert run("-r", str(reg), "assume", "A1", "holds").exit_code == 0
    out = tmp_path / "x.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    rows = [[c.value for c in row] for row in wb["Risks"].iter_rows()]
    r1 = dict(zip(rows[0], rows[1], strict=True))
    assert (r1["likelihood"], r1["unrounded likelihood"]) == (3, 3.5)
    method = "\n".join(str(c.value) for (c,) in wb["Method"].iter_rows(max_col=1) if c.value)
    assert (
        "The matrix cell is the nearest level to the unrounded value; a value exactly half-way between two "
        "levels goes toward the level its score starts from (the analyst's score, else the register's level)"
    ) in method
    tie = " ".join(run("-r", str(reg), "check").stdout.split())  # the tie finding: the same words
    assert "shown as 3, toward the level its score starts from (the analyst's score, else the register's level)" in tie


def test_xlsx_risks_sheet_is_laid_out_for_reading(run, reg, tmp_path) -> None:
    """Header bold, panes frozen past the title, a filter over every row, wide text wrapped at the
    top of its cell, every rating cell in its band's colours, inherent ratings too."""
    out = tmp_path / "risks.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    risks = openpyxl.load_workbook(out)["Risks"]
    header = [c.value for c in risks[1]]
    assert all(c.font.b for c in risks[1])
    assert risks.freeze_panes == "C2"
    last = openpyxl.utils.get_column_letter(len(header))
    assert risks.auto_filter.ref == f"A1:{last}4"
    assert risks.column_dimensions["B"].width == 50
    col = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(header, start=1)}
    for n in (2, 3, 4):
        title = risks[f"{col['title']}{n}"]
        assert (title.alignment.wrap_text, title.alignment.vertical) == (True, "top")
        assert not risks[f"A{n}"].alignment.wrap_text
    fills = {
        risks[f"{col[h]}{n}"].value: risks[f"{col[h]}{n}"].fill.fgColor.rgb
        for h in ("rating", "inherent rating")
        for n in (2, 3, 4)
    }
    assert fills == {"High": "FFFF8700", "Medium": "FFFFC000", "Low": "FF00B050"}
    assert risks[f"{col['rating']}4"].font.color.rgb == "FFFFFFFF"  # white on green


def test_no_inherent_sheet_when_no_response_is_applied(run, write, tmp_path) -> None:
    p, out = write(REGISTER), tmp_path / "r.xlsx"
    assert run("-r", str(p), "export", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Risks", "Matrix", "Scales", "Method"]
    assert "inherent likelihood" not in [c.value for c in wb["Risks"][1]]
    assert wb["Matrix"]["A2"].value == "Current matrix: no response is applied, so inherent and residual are the same"


def test_json_export_has_current_and_inherent_scores_and_its_schema(run, reg) -> None:
    result = run("-r", str(reg), "export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    assert data["schema"] == "riskcli/export/7" and data["applied"] == ["M1"]
    r1 = data["risks"][0]
    assert (r1["current"]["cell"], r1["inherent"]["cell"]) == (
        {"likelihood": 4, "impact": 3},
        {"likelihood": 4, "impact": 4},
    )
    assert r1["extra"] == {"cost": 1200, "site": "north"}
    assert data["inherent"] is not None and len(data["matrix"]["cells"]) == 25


def test_json_flag_reports_the_file_written(run, reg, tmp_path) -> None:
    out = tmp_path / "r.json"
    result = run("-r", str(reg), "export", "-o", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    assert (data["format"], data["output"], data["risks"]) == ("json", str(out), 3)
    check_json(out.read_text(encoding="utf-8"))


def test_yaml_export_is_the_register_with_current_scores_as_comments(run, reg, tmp_path) -> None:
    out = tmp_path / "snapshot.yaml"
    result = run("-r", str(reg), "export", "--format", "yaml", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert (
        "  # now: likelihood 4, impact 3 → cell 4,3 High; inherent: likelihood 4, impact 4 → cell 4,4 High\n  - id: R1\n"
        in text
    )
    assert run("validate", str(out)).exit_code == 0
    a, b = register.load(reg), register.load(out)
    assert comparable(b) == comparable(a)  # the register itself: baseline levels, drivers, responses, rules
    assert b.fingerprint == a.fingerprint  # the journal still belongs to it


@pytest.mark.parametrize("path", [None, "tests/data/full.yaml"])
def test_yaml_export_reads_back_the_same_register(run, tmp_path, path: str | None) -> None:
    """The embedded register and the full example: everything the format holds survives."""
    root = Path(__file__).resolve().parents[1]
    args = ["-r", str(root / path)] if path else []
    out = tmp_path / "out.yaml"
    assert run(*args, "export", "-f", "yaml", "-o", str(out)).exit_code == 0
    original = register.load(root / path if path else None)
    if path is None:  # the embedded register's source text is riskcli's own: the copy does not name it
        original = dataclasses.replace(original, source=dataclasses.replace(original.source, file=""))
    assert comparable(register.load(out)) == comparable(original)


def test_yaml_export_of_responses_on_risks_written_directly(run, tmp_path) -> None:
    """A response's effect names a risk that is written directly (and not read back alone): the
    register is still written, whole, and reads back the same."""
    src, out = tmp_path / "h.yaml", tmp_path / "out.yaml"
    src.write_text(
        "id: g\nresponses:\n  - {id: M1, title: R, effects: [{risk: R2, likelihood: -1}]}\n"
        "risks:\n  - {id: R1, title: T, likelihood: 1, impact: 1}\n  - {id: R2, title: U, likelihood: 1, impact: 1}\n",
        encoding="utf-8",
    )
    result = run("-r", str(src), "export", "--format", "yaml", "-o", str(out))
    assert (result.exit_code, result.stderr) == (0, f"wrote {out} (YAML): 2 risks\n")
    assert comparable(register.load(out)) == comparable(register.load(src))


# --------------------------------------------------------------------------- hostile text


def test_csv_writes_hostile_text_literally_with_formulas_guarded(run, reg) -> None:
    rows = {r["id"]: r for r in _rows(run("-r", str(reg), "export", "-f", "csv").stdout)}
    assert rows["R3"]["title"] == "'" + HOSTILE  # a leading apostrophe: never a formula; the rest as it is


def test_xlsx_guards_formulas_and_shows_controls(run, reg, tmp_path) -> None:
    out = tmp_path / "r.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    cell = openpyxl.load_workbook(out)["Risks"]["B4"]
    assert cell.data_type == "s" and cell.value == "'" + HOSTILE.replace("\x1b", "␛")


def test_hostile_text_round_trips_through_csv(run, reg, tmp_path) -> None:
    out, back = tmp_path / "r.csv", tmp_path / "back.yaml"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    assert run("import", str(out), "-o", str(back)).exit_code == 0
    assert register.load(back).risks[2].title == HOSTILE


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xlsx"], "error: XLSX is a binary file: write it with -o FILE.xlsx\n"),
        (["--format", "pdf"], "error: unknown format 'pdf'; give one of: csv, xlsx, json, yaml\n"),
        (["--what-if", "A1=holds"], "error: --scenario and --what-if do not apply to export"),
    ],
)
def test_export_refusals(run, write, args: list[str], message: str) -> None:
    result = run("-r", str(write(REGISTER)), "export", *args)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.startswith(message)


def test_json_flag_needs_a_file(run, write) -> None:
    result = run("-r", str(write(REGISTER)), "export", "--json")
    assert result.exit_code == 2 and result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["message"] == "--json reports the file written: give -o FILE (--format json prints the data itself)"


def test_export_never_overwrites_without_force_nor_the_register(run, write, tmp_path) -> None:
    p, out = write(REGISTER), tmp_path / "r.csv"
    out.write_text("keep\n")
    refused = run("-r", str(p), "export", "-o", str(out))
    assert refused.exit_code == 2 and refused.stderr == f"error: {out} already exists; use --force to overwrite it\n"
    assert out.read_text() == "keep\n"
    assert run("-r", str(p), "export", "-o", str(out), "--force").exit_code == 0
    own = run("-r", str(p), "export", "-f", "yaml", "-o", str(p), "--force")
    assert own.exit_code == 2 and "is the file being read" in own.stderr
    assert p.read_text(encoding="utf-8") == REGISTER


def test_extra_fields_named_like_columns_round_trip(run, write, tmp_path) -> None:
    p = write(
        "risks:\n"
        "  - {id: R1, title: A, likelihood: 2, impact: 3, extra: {rating: A+, score: 7, extra.note: n, Title: t}}\n"
    )
    out, back = tmp_path / "r.csv", tmp_path / "back.yaml"
    assert run("-r", str(p), "export", "-o", str(out)).exit_code == 0
    header = _rows(out.read_text(encoding="utf-8"))[0]
    assert list(header)[-4:] == ["extra.rating", "extra.score", "extra.extra.note", "extra.Title"]
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    (risk,) = register.load(back).risks
    assert dict(risk.extra) == {"rating": "A+", "score": 7, "extra.note": "n", "Title": "t"}
    assert risk.title == "A"


CONTROLS = "\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b]52;c;ZXZpbA==\x07 \u202eevil\x07"


def test_csv_printed_to_a_terminal_shows_control_characters_as_symbols(run, write) -> None:
    reg = write(f"risks:\n  - {{id: R1, title: {json.dumps(CONTROLS)}, likelihood: 2, impact: 2}}\n")
    shown = run("-r", str(reg), "export", "--format", "csv", env={"TTY_COMPATIBLE": "1"})
    assert shown.exit_code == 0
    assert not any(c in shown.stdout for c in "\x1b\x07\r\u202e"), repr(shown.stdout)
    assert "␛[2J" in shown.stdout and "<U+202E>evil" in shown.stdout
    piped = run("-r", str(reg), "export", "--format", "csv", env={"TTY_COMPATIBLE": "0"})
    assert CONTROLS in piped.stdout  # piped: the exact text, for the program reading it


# --------------------------------------------------------------------------- resolved, closed risks


@pytest.fixture
def settled(run, reg) -> Path:
    """The register above with R1 resolved (it occurred) and R2 closed."""
    done = run("-r", str(reg), "resolve", "R1", "occurred", "--on", "2025-06-01", "--why", "the line stopped")
    assert done.exit_code == 0, done.stderr
    assert run("-r", str(reg), "close", "R2", "--why", "contract ended").exit_code == 0
    return reg


def test_csv_lists_every_risk_with_a_resolved_ones_outcome_and_status_closed(run, settled) -> None:
    result = run("-r", str(settled), "export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    header = result.stdout.splitlines()[0].split(",")
    assert header[3:7] == ["owner", "status", "outcome", "treatment"]
    rows = {r["id"]: (r["status"], r["outcome"], r["rating"]) for r in _rows(result.stdout)}
    assert rows == {
        "R1": ("closed", "occurred on 2025-06-01", "High"),
        "R2": ("closed", "", "Medium"),
        "R3": ("open", "", "Low"),
    }


def test_no_outcome_column_when_nothing_is_resolved(run, reg) -> None:
    result = run("-r", str(reg), "export", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].split(",")[3:6] == ["owner", "status", "treatment"]


def test_json_matrices_hold_the_live_risks_and_each_risk_says_its_resolution(run, settled) -> None:
    result = run("-r", str(settled), "export", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = check_json(result.stdout)
    risks = {r["id"]: r for r in data["risks"]}
    assert set(risks) == {"R1", "R2", "R3"}  # every risk is still listed
    r1 = risks["R1"]
    assert (r1["status"], r1["resolution"]["outcome"], r1["resolution"]["on"], r1["resolution"]["why"]) == (
        "open",
        "occurred",
        "2025-06-01",
        "the line stopped",
    )
    assert (risks["R2"]["status"], risks["R2"]["resolution"], risks["R3"]["resolution"]) == ("closed", None, None)
    for grid in (data["matrix"], data["inherent"]):
        assert [c["risks"] for c in grid["cells"] if c["risks"]] == [["R3"]]
        assert {b["id"]: b["count"] for b in grid["bands"]} == {"low": 1, "medium": 0, "high": 0, "critical": 0}
    shown = check_json(run("-r", str(settled), "matrix", "--json").stdout)
    assert data["matrix"]["cells"] == shown["cells"] and data["matrix"]["bands"] == shown["bands"]


def test_xlsx_matrix_draws_the_live_risks_and_names_the_others(run, settled, tmp_path) -> None:
    out = tmp_path / "risks.xlsx"
    assert run("-r", str(settled), "export", "-o", str(out)).exit_code == 0
    wb = openpyxl.load_workbook(out)
    m = wb["Matrix"]
    assert (m["D6"].value, m["E8"].value, m["B9"].value) == (None, None, "R3")  # R1, R2 not drawn
    legend = {m.cell(row=r, column=8).value: m.cell(row=r, column=9).value for r in range(5, 9)}
    assert legend == {"Critical": 0, "High": 0, "Medium": 0, "Low": 1}
    assert m["A3"].value.endswith("Not drawn (listed on the Risks sheet): R1 (occurred on 2025-06-01), R2 (closed).")
    assert wb["Inherent"]["E6"].value is None and wb["Inherent"]["B9"].value == "R3"
    risks = [list(r) for r in wb["Risks"].iter_rows(min_row=1, max_col=6, values_only=True)]
    assert [r[0] for r in risks[:4]] == ["id", "R1", "R2", "R3"]
    assert [(r[4], r[5]) for r in risks[1:4]] == [
        ("closed", "occurred on 2025-06-01"),
        ("closed", None),
        ("open", None),
    ]


def test_rank_numbers_the_live_risks_as_list_ranks_them(run, settled, tmp_path) -> None:
    """A resolved, closed or retired risk is out of the ranking, as it is out of list and the matrix:
    its rank is empty (null in JSON); the live risks are ranked from 1, as list ranks them."""
    listed = check_json(run("-r", str(settled), "list", "--json").stdout)
    assert {x["id"]: x["rank"] for x in listed["risks"]} == {"R3": 1}
    table = _rows(run("-r", str(settled), "export", "--format", "csv").stdout)
    assert {r["id"]: r["rank"] for r in table} == {"R1": "", "R2": "", "R3": "1"}
    data = check_json(run("-r", str(settled), "export", "--format", "json").stdout)
    assert {r["id"]: r["rank"] for r in data["risks"]} == {"R1": None, "R2": None, "R3": 1}
    out = tmp_path / "risks.xlsx"
    assert run("-r", str(settled), "export", "-o", str(out)).exit_code == 0
    sheet = [list(r) for r in openpyxl.load_workbook(out)["Risks"].iter_rows(values_only=True)]
    at = sheet[0].index("rank")
    assert {r[0]: r[at] for r in sheet[1:]} == {"R1": None, "R2": None, "R3": 1}
    assert run("-r", str(settled), "reopen", "R2", "--why", "renewed").exit_code == 0
    again = _rows(run("-r", str(settled), "export", "--format", "csv").stdout)
    assert {r["id"]: r["rank"] for r in again} == {"R1": "", "R2": "1", "R3": "2"}


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_resolved_risk_imports_back_out_of_the_live_views(run, settled, tmp_path, suffix: str) -> None:
    out, back = tmp_path / f"risks{suffix}", tmp_path / "back.yaml"
    assert run("-r", str(settled), "export", "-o", str(out)).exit_code == 0
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    b = {r.id: r for r in register.load(back).risks}
    assert (b["R1"].status, dict(b["R1"].extra).get("outcome")) == (Status.CLOSED, "occurred on 2025-06-01")
    assert (b["R2"].status, b["R3"].status) == (Status.CLOSED, Status.OPEN)
    listed = check_json(run("-r", str(back), "list", "--json").stdout)
    assert [x["id"] for x in listed["risks"]] == ["R3"]
