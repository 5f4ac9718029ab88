"""What an attacker and a power cut found: each case reproduced as it was reported."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from riskcli import journal, register
from riskcli.journal import appending
from riskcli.model import RegisterError
from riskcli.render.streams import clean

from conftest import BAD, SUPPLY, write_xlsx, xlsx_row

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def reg(write) -> str:
    return str(write(SUPPLY))


def _events(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- 1. symlinked journals


def test_a_planted_symlink_as_default_journal_is_refused_and_its_target_untouched(run, reg, tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    (tmp_path / "reg.journal.jsonl").symlink_to(victim)
    result = run("assume", "A1", "fails", "--register", reg)
    assert result.exit_code == 2
    assert "is a symbolic link; riskcli does not follow links for a register's default journal" in result.stderr
    assert victim.read_text() == "precious\n"


def test_a_planted_dangling_symlink_creates_nothing(run, reg, tmp_path) -> None:
    target = tmp_path / "created-by-riskcli"
    (tmp_path / "reg.journal.jsonl").symlink_to(target)
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 2
    assert not target.exists()


def test_an_explicit_journal_may_be_a_link_to_a_regular_file(run, reg, tmp_path) -> None:
    real = tmp_path / "real.jsonl"
    real.write_text("")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    assert run("assume", "A1", "fails", "--journal", str(link), "--register", reg).exit_code == 0
    assert [e["kind"] for e in _events(real)] == ["belief"]


def test_an_explicit_journal_link_to_nothing_is_refused(run, reg, tmp_path) -> None:
    link = tmp_path / "link.jsonl"
    link.symlink_to(tmp_path / "nowhere.jsonl")
    result = run("assume", "A1", "fails", "--journal", str(link), "--register", reg)
    assert result.exit_code == 2 and "is a symbolic link to nothing" in result.stderr
    assert not (tmp_path / "nowhere.jsonl").exists()


def test_an_explicit_journal_that_is_not_a_regular_file_is_refused(run, reg, tmp_path) -> None:
    result = run("assume", "A1", "fails", "--journal", str(tmp_path), "--register", reg)
    assert result.exit_code in (1, 2) and result.stderr.startswith("error: ")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = run("history", "--journal", str(fifo), "--register", reg)
    assert result.exit_code == 2 and "not a regular file" in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give the journal to another user")
def test_a_default_journal_owned_by_another_user_is_not_written(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    path.write_text("")
    os.chown(path, 12345, 12345)
    result = run("assume", "A1", "fails", "--register", reg)
    assert result.exit_code == 2 and "belongs to another user" in result.stderr
    assert path.read_text() == ""
    assert run("history", "--register", reg).exit_code == 0  # reading it is fine


def test_a_hard_link_to_the_register_is_never_its_journal(run, reg, tmp_path) -> None:
    link = tmp_path / "looks-like-a-journal.jsonl"
    os.link(reg, link)
    before = Path(reg).read_bytes()
    result = run("assume", "A1", "fails", "--journal", str(link), "--register", reg)
    assert result.exit_code == 2 and "is the register itself" in result.stderr
    assert Path(reg).read_bytes() == before


def test_a_flow_style_register_given_as_journal_is_never_written(run, write, tmp_path) -> None:
    other = write("{risks: [{id: R1, title: t, likelihood: 2, impact: 2}]}", "other.yaml")
    before = other.read_bytes()
    result = run("assume", "A1", "fails", "--journal", str(other), "--register", str(write(SUPPLY)))
    assert result.exit_code == 2 and "not a riskcli journal line" in result.stderr
    assert other.read_bytes() == before


# --------------------------------------------------------------------------- 4. odd text and hand-edited journals


def test_a_deeply_nested_journal_line_is_one_clear_error(run, reg, tmp_path) -> None:
    (tmp_path / "reg.journal.jsonl").write_text('{"v":1,"kind":"belief","x":' + "[" * 100_000 + "]" * 100_000 + "}\n")
    for args in (["matrix"], ["assume", "A1", "fails"]):
        result = run(*args, "--register", reg)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.stderr
        assert "not a riskcli journal line (nested too deeply)" in result.stderr


def test_a_lone_surrogate_in_a_journal_prints_safely(run, reg, tmp_path) -> None:
    (tmp_path / "reg.journal.jsonl").write_text(
        '{"v":1,"id":"a","at":"2026-01-01T00:00:00Z","by":"\\ud800x","kind":"score","risk":"R1",'
        '"likelihood":2,"impact":2,"why":"bad \\udfff text"}\n'
    )
    for args in (["history"], ["show", "R1"], ["explain", "R1"], ["history", "--json"]):
        result = run(*args, "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "150"})
        assert result.exit_code == 0, (args, result.stderr)
        assert "\ufffd" in result.stdout


@pytest.mark.parametrize("value", ["1e307", "13", "0", "-2"])
def test_analyst_scores_in_a_journal_are_bounded_like_levels(run, reg, tmp_path, value) -> None:
    (tmp_path / "reg.journal.jsonl").write_text(
        '{"v":1,"id":"a","kind":"score","risk":"R1","likelihood":' + value + ',"impact":2}\n'
    )
    result = run("explain", "R1", "--register", reg)
    assert result.exit_code == 2 and "'likelihood'" in result.stderr and "out of range" in result.stderr


def test_a_belief_outside_0_and_1_in_a_journal_is_a_located_error(reg, tmp_path) -> None:
    path = tmp_path / "j.jsonl"
    path.write_text('{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":1.5}\n')
    with pytest.raises(RegisterError, match=r"j.jsonl:1:1: journal belief event: 'belief' 1.5 is out of range"):
        journal.read(path)


def _riskcli(*args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, cwd: Path | None = None):
    base = {k: v for k, v in os.environ.items() if not k.startswith("RISKCLI_")}
    return subprocess.run(
        [sys.executable, "-m", "riskcli", *args],
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=60,
    )


def test_a_non_utf8_why_is_refused_with_one_line(reg, tmp_path) -> None:
    why = os.fsdecode(b"caf\xe9")  # surrogate-escaped, as Python decodes a Latin-1 argument
    p = _riskcli("--register", reg, "assume", "A1", "fails", "--why", why, env={"RISKCLI_HOME": str(tmp_path)})
    assert p.returncode == 2
    assert p.stderr.decode().strip().endswith("--why is not valid UTF-8 text; check your terminal's encoding")
    assert not (tmp_path / "reg.journal.jsonl").exists()


def test_a_non_utf8_analyst_name_is_refused_with_one_line(reg, tmp_path) -> None:
    p = _riskcli(
        "--register", reg, "assume", "A1", "fails",
        env={"RISKCLI_ANALYST": os.fsdecode(b"j\xf6rg"), "RISKCLI_HOME": str(tmp_path)},
    )  # fmt: skip
    assert p.returncode == 2 and b"Traceback" not in p.stderr
    assert b"the analyst name is not valid UTF-8 text" in p.stderr


def test_a_non_utf8_register_path_is_shown_safely(tmp_path) -> None:
    name = os.fsdecode(b"reg-\xff.yaml")
    (tmp_path / name).write_text(SUPPLY, encoding="utf-8")
    for args in (["validate", name], ["--register", name, "matrix"], ["--register", name, "list", "--json"]):
        p = _riskcli(*args, cwd=tmp_path, env={"RISKCLI_HOME": str(tmp_path)})
        assert p.returncode == 0 and b"Traceback" not in p.stderr, (args, p.stderr)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_narrow_output_encoding_never_crashes_a_table(reg, tmp_path, encoding) -> None:
    for args in (["matrix"], ["list"], ["show", "R1"], ["explain", "R1"], ["assumptions"]):
        p = _riskcli("--register", reg, *args, env={"PYTHONIOENCODING": encoding, "RISKCLI_HOME": str(tmp_path)})
        assert p.returncode == 0 and b"Traceback" not in p.stderr, (args, p.stderr)


def test_a_non_utf8_answer_at_a_prompt_is_refused_not_a_traceback(reg, tmp_path) -> None:
    p = _riskcli(
        "--register", reg, "score", "R1", "--stdin",
        env={"RISKCLI_HOME": str(tmp_path), "PYTHONIOENCODING": "utf-8:strict", "LC_ALL": "C.UTF-8"},
        stdin=b"4\n3\nbad \xff why\n",
    )  # fmt: skip
    assert b"Traceback" not in p.stderr
    assert p.returncode == 2 and p.stderr.endswith(
        b"error: the answer is not valid UTF-8 text; check your terminal's encoding\n"
    )
    assert not (tmp_path / "reg.journal.jsonl").exists()


# --------------------------------------------------------------------------- 6. a power cut


def test_a_nul_tail_from_a_power_cut_does_not_lock_the_journal(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    assert run("assume", "A1", "fails", "--register", reg).exit_code == 0
    with path.open("ab") as f:
        f.write(b"\x00" * 4096)  # delayed allocation: the size grew, the data never came
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0 and ":2: an incomplete event" in result.stderr
    assert run("assume", "A2", "fails", "--register", reg).exit_code == 0
    kinds = [json.loads(line)["kind"] for line in path.read_bytes().split(b"\n") if line.startswith(b"{")]
    assert kinds == ["belief", "torn", "belief"]
    assert json.loads(run("assumptions", "--json", "--register", reg).stdout)["assumptions"][1]["belief"] == 0.0


def test_a_byte_order_mark_on_the_first_line_is_accepted(run, reg, tmp_path) -> None:
    path = tmp_path / "reg.journal.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"v":1,"id":"a","kind":"belief","assumption":"A1","belief":0.2}\n')
    result = run("assumptions", "--json", "--register", reg)
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["assumptions"][0]["belief"] == 0.2
    assert run("assume", "A1", "holds", "--register", reg).exit_code == 0


# --------------------------------------------------------------------------- 7. bounded work


def test_an_append_reads_only_what_was_added_since_its_replay(reg, tmp_path, monkeypatch) -> None:
    reg_ = register.load(reg)
    loc = journal.locate(reg_, tmp_path / "j.jsonl")
    for i in range(50):
        journal.record(
            reg_, loc, lambda rp, i=i: journal.new_event("belief", "t", reg=reg_, assumption="A1", belief=i / 100)
        )
    seen = journal.read(loc.path)
    rp = journal.replay(reg_, seen.events)
    journal.record(reg_, loc, lambda _: journal.new_event("belief", "t", reg=reg_, assumption="A2", belief=0.3))

    parsed: list[int] = []
    real = appending.parse_at

    def counting(data: bytes, *args, **kwargs):
        parsed.append(len(data))
        return real(data, *args, **kwargs)

    monkeypatch.setattr(appending, "parse_at", counting)
    done = journal.record(
        reg_,
        loc,
        lambda _: journal.new_event("belief", "t", reg=reg_, assumption="A1", belief=0.9),
        seen=seen,
        before=rp,
    )
    assert parsed and max(parsed) < 1000  # the last line seen and the one added since, not 51 lines
    assert done.before.state.beliefs["A2"] == 0.3  # decided on the state as it was under the lock
    assert journal.replay(reg_, journal.read(loc.path).events).state.beliefs == done.after.state.beliefs


def test_columns_zero_still_prints(run, reg) -> None:
    result = run("matrix", "--register", reg, env={"COLUMNS": "0"})
    assert result.exit_code == 0 and "Ratings:" in result.stdout


def test_show_lists_the_latest_scores_with_a_count(run, reg, tmp_path) -> None:
    lines = [
        json.dumps({"v": 1, "id": f"e{i}", "at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z", "by": "a",
                    "kind": "score", "risk": "R1",
                    "likelihood": 1 + i % 5, "impact": 2, "why": f"take {i}"})
        for i in range(300)
    ]  # fmt: skip
    (tmp_path / "reg.journal.jsonl").write_text("\n".join(lines) + "\n")
    data = json.loads(run("show", "R1", "--json", "--register", reg).stdout)["risk"]
    assert data["scores_total"] == 300 and len(data["scores"]) == 10 and data["scores"][-1]["why"] == "take 299"
    shown = run("show", "R1", "--register", reg, env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert "the latest 10 of 300" in shown.stdout and "290 earlier scores of R1" in shown.stderr


# --------------------------------------------------------------------------- 8. small ones


@pytest.mark.parametrize("char", ["\u061c", "\u200b", "\u200d", "\u2028", "\u2029", "\u00ad", "\U000e0041", "\ufeff"])
def test_invisible_and_formatting_characters_are_made_visible(run, write, char) -> None:
    path = write(f"risks:\n  - {{id: R1, title: 'a{char}b', likelihood: 2, impact: 2}}\n")
    result = run("list", "--register", str(path), env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})
    assert result.exit_code == 0 and char not in result.stdout
    assert f"<U+{ord(char):04X}>" in result.stdout


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["list", "--json"], ["matrix"], ["list"]])
def test_output_that_cannot_be_written_is_an_error_never_a_silent_cut(reg, tmp_path, args) -> None:
    with open("/dev/full", "w") as full:
        p = subprocess.run(
            [sys.executable, "-m", "riskcli", "--register", reg, *args],
            stdout=full,
            stderr=subprocess.PIPE,
            env={**os.environ, "RISKCLI_HOME": str(tmp_path)},
            timeout=60,
        )
    assert p.returncode == 1 and b"Traceback" not in p.stderr
    assert b"No space left on device" in p.stderr


def test_a_mistyped_journal_folder_is_refused_not_created(run, write, tmp_path) -> None:
    reg = str(write(SUPPLY))
    journal = tmp_path / "jounral" / "deep" / "j.jsonl"
    result = run("assume", "A1", "fails", "--journal", str(journal), "--register", reg)
    assert result.exit_code == 2
    assert result.stderr == f"error: journal {journal}: no such directory {str(journal.parent)!r}\n"
    assert not (tmp_path / "jounral").exists()


def test_a_torn_line_left_in_place_keeps_the_chain_whole(run, write, tmp_path) -> None:
    """The warning's advice is the one that works: leave the line; verify stays ok."""
    reg = str(write(SUPPLY))
    assert run("assume", "A1", "0.2", "--register", reg).exit_code == 0
    path = tmp_path / "reg.journal.jsonl"
    with path.open("ab") as f:
        f.write(b'{"v":1,"id":"abc')  # a crash mid-append
    after = run("assume", "A1", "0.3", "--register", reg)
    assert after.exit_code == 0, after.stderr
    assert "leave the line in place" in after.stderr and "delete" not in after.stderr
    verify = run("journal", "verify", "--register", reg)
    assert verify.exit_code == 0 and verify.stdout.startswith(f"ok: {path}: 4 lines; 3 chained"), verify.stdout


# --------------------------------------------------------------------------- 9. tables and workbooks that import refuses
# tests/bad/tables/ holds hostile tables, each refused with one line naming where (the workbooks
# were made with conftest.write_xlsx: a 50 MB cell in a 50 KB file, 3 million empty rows in 27 KB).

BAD_TABLES = {
    "cell_of_50_mb.xlsx": "row 2, column B: a cell of more than 32,767 characters (Excel's limit)",
    "column_past_xfd.xlsx": "row 2: more than 16,384 columns (Excel's limit)",
    "comment_of_100_mb.xlsx": "xl/worksheets/sheet1.xml: a tag or comment of more than 1 MiB; riskcli reads at most that",
    "csv_cell_of_50_kb.csv": "row 2, column A: a cell of more than 32,767 characters (Excel's limit)",
    "csv_cell_too_long.csv": "row 3, column B: a cell of more than 32,767 characters (Excel's limit)",
    "dtd_entity_expansion.xlsx": "xl/worksheets/sheet1.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "dtd_external_entity.xlsx": "xl/sharedStrings.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "dtd_in_the_workbook.xlsx": "xl/workbook.xml declares a DTD (<!DOCTYPE …>), which no workbook needs",
    "five_million_cells.xlsx": "row 307: more than 5,000,000 cells in all; riskcli imports at most that",
    "not_well_formed.xlsx": "xl/worksheets/sheet1.xml: not well-formed XML (line 1, column 257: mismatched tag)",
    "number_that_is_not.xlsx": "row 2, column C: 'abc' is not a number",
    "rows_100001.xlsx": "row 100001: more than 100,000 rows of risks; riskcli imports at most that",
    "rows_out_of_order.xlsx": "row 2 comes after row 5; not a sheet riskcli reads",
    "shared_string_missing.xlsx": "row 2, column A: '7' is not a shared string of the workbook",
    "shared_string_of_50_mb.xlsx": "row 2, column B: a cell of more than 32,767 characters (Excel's limit)",
    "tag_of_100_mb.xlsx": "xl/worksheets/sheet1.xml: a tag or comment of more than 1 MiB; riskcli reads at most that",
    "three_million_empty_rows.xlsx": "row 1048577: past the last row riskcli reads (row 1,048,576, as in Excel)",
}
TABLES = BAD / "tables"


def test_every_bad_table_has_an_expectation() -> None:
    assert sorted(p.name for p in TABLES.iterdir()) == sorted(BAD_TABLES)


@pytest.mark.parametrize("name", sorted(BAD_TABLES))
def test_a_bad_table_is_refused_with_one_line(run, tmp_path, name) -> None:
    result = run("import", str(TABLES / name), "-o", str(tmp_path / "out.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {TABLES / name}: {BAD_TABLES[name]}" + (
        "; riskcli does not read it\n" if "DTD" in BAD_TABLES[name] else "\n"
    )
    assert not (tmp_path / "out.yaml").exists()


def _rows(unit: bytes, n: int, block: int = 10_000):
    for k in range(0, n, block):
        yield unit * min(block, n - k)


HEADER = xlsx_row(1, "title", "likelihood", "impact")


def test_a_cell_at_excels_limit_is_read_whole_and_one_past_it_refused(run, tmp_path) -> None:
    ok = write_xlsx(
        tmp_path / "ok.xlsx", [HEADER, xlsx_row(2, "t", 2, 2)[:-6] + xlsx_row(None, "x" * 32_767)[5:-6] + b"</row>"]
    )
    result = run("import", str(ok), "--map", "title=title")
    assert result.exit_code == 0, result.stderr
    assert "x" * 32_767 in result.stdout
    shared = write_xlsx(
        tmp_path / "shared.xlsx", [HEADER, b'<row r="2"><c t="s"><v>0</v></c><c><v>2</v></c><c><v>2</v></c></row>'],
        shared=["y" * 32_768],
    )  # fmt: skip
    result = run("import", str(shared))
    assert result.exit_code == 2 and "row 2, column A: a cell of more than 32,767 characters" in result.stderr


def test_a_shared_string_past_the_limit_that_no_cell_uses_is_no_matter(run, tmp_path) -> None:
    path = write_xlsx(
        tmp_path / "unused.xlsx", [HEADER, b'<row r="2"><c t="s"><v>0</v></c><c><v>2</v></c><c><v>2</v></c></row>'],
        shared=["used", "z" * 100_000],
    )  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 0 and "title: used" in result.stdout


def test_rows_of_a_workbook_stream_in_flat_memory(tmp_path) -> None:
    """Blank rows after the table cost nothing: 200,000 of them read in the memory of 20,000."""
    import tracemalloc

    from riskcli.register.workbook import read_sheet

    def peak(n: int) -> int:
        path = write_xlsx(
            tmp_path / f"blank{n}.xlsx", [HEADER, xlsx_row(2, "t", 2, 2), *_rows(b"<row><c/><c/></row>", n)]
        )
        data = path.read_bytes()
        tracemalloc.start()
        try:
            _, rows = read_sheet(path, data, None)
            got = [number for number, _ in rows]
            return tracemalloc.get_traced_memory()[1] if got == [1, 2] else -1
        finally:
            tracemalloc.stop()

    peak(10)  # the modules it imports, once
    small, large = peak(20_000), peak(200_000)
    assert small > 0 and 0 < large < small + 128 * 1024, (small, large)  # openpyxl's reader: 48 MB more


def test_more_rows_than_riskcli_imports_are_refused_at_the_first_one_past(run, tmp_path) -> None:
    csv = tmp_path / "many.csv"
    csv.write_text("title,likelihood,impact\n" + "t,2,2\n" * 100_000)
    result = run("import", str(csv))
    assert result.exit_code == 2
    assert result.stderr == f"error: {csv}: row 100001: more than 100,000 rows of risks; riskcli imports at most that\n"


def test_blank_rows_between_rows_are_blank_rows_and_do_not_count(run, tmp_path) -> None:
    from riskcli.register.workbook import read_sheet

    path = write_xlsx(
        tmp_path / "sparse.xlsx", [HEADER, b'<row r="3"><c/></row>', xlsx_row(5, "t", 2, 2), b"<row/>" * 9]
    )
    assert read_sheet(path, path.read_bytes(), None)[1] == [
        (1, ["title", "likelihood", "impact"]), (2, []), (3, []), (4, []), (5, ["t", 2, 2]),
    ]  # fmt: skip
    result = run("import", str(path))
    assert result.exit_code == 0 and "1 row of risks" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("limit", "value", "make", "message"),
    [
        (
            "MAX_UNPACKED",
            4096,
            lambda p: write_xlsx(p, [HEADER, *_rows(b"<row/>", 2000)]),
            "unpacks to more than 0 MiB of XML",
        ),
        ("MAX_PARTS", 3, lambda p: write_xlsx(p, [HEADER]), "more than 3 parts in the workbook"),
        ("MAX_SHARED", 2, lambda p: write_xlsx(p, [HEADER], shared=["a", "b", "c"]), "more than 2 shared strings"),
    ],
)
def test_a_workbooks_own_limits_are_refused(run, tmp_path, monkeypatch, limit, value, make, message) -> None:
    from riskcli.register import workbook

    monkeypatch.setattr(workbook, limit, value)
    path = make(tmp_path / "w.xlsx")
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.startswith(f"error: {path}: {message}"), result.stderr
    assert result.stderr.count("\n") == 1


def test_a_workbook_larger_than_riskcli_imports_is_refused_unread(run, tmp_path, monkeypatch) -> None:
    from riskcli.register import workbook

    monkeypatch.setattr(workbook, "MAX_TABLE_BYTES", 100)
    monkeypatch.setattr("riskcli.results.importing.table.MAX_TABLE_BYTES", 100)
    path = write_xlsx(tmp_path / "w.xlsx", [HEADER, xlsx_row(2, "t", 2, 2)])
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr == f"error: {path}: larger than riskcli imports (0 MiB)\n"


def test_dates_booleans_and_styles_read_as_a_spreadsheet_shows_them(run, tmp_path) -> None:
    styles = b'<numFmts count="1"><numFmt numFmtId="164" formatCode="[h]:mm"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs>'  # fmt: skip
    row = (
        b'<row r="2"><c t="inlineStr"><is><t>t</t></is></c><c><v>2</v></c><c><v>2</v></c>'
        b'<c s="1"><v>45658</v></c><c s="2"><v>1.25</v></c><c t="b"><v>1</v></c><c t="e"><v>#N/A</v></c>'
        b'<c t="inlineStr"><is><r><t>rich </t></r><r><t>text</t></r><rPh><t>ruby</t></rPh></is></c></row>'
    )
    header = xlsx_row(1, "title", "likelihood", "impact", "date", "hours", "flag", "error", "rich")
    path = write_xlsx(tmp_path / "w.xlsx", [header, row], styles=styles)
    result = run("import", str(path))
    assert result.exit_code == 0, result.stderr
    for line in ("date: 2025-01-01", "hours: 1 day, 6:00:00", "flag: 'TRUE'", "error: '#N/A'", "rich: rich text"):
        assert line in result.stdout, result.stdout


# --------------------------------------------------------------------------- 10. export and back


TEXTS = ["'+1", "'=not a formula", " =1+1", "''", "trailing ", " both ", "=SUM(A1)", "plain", "a\u2028"]


def _text_register(extra_key: str = "note") -> str:
    risks = "".join(
        f"  - id: R{i}\n    title: {json.dumps(t)}\n    likelihood: 2\n    impact: 2\n"
        f"    extra: {{{json.dumps(extra_key)}: {json.dumps(t)}}}\n"
        for i, t in enumerate(TEXTS, start=1)
    )
    return "risks:\n" + risks


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_gives_back_every_text_exactly(run, write, tmp_path, fmt) -> None:
    reg = write(_text_register())
    out, back = tmp_path / f"r.{fmt}", tmp_path / "back.yaml"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    imported = run("import", str(out), "-o", str(back))
    assert imported.exit_code == 0, imported.stderr
    got = register.load(back)
    want = TEXTS if fmt == "csv" else [clean(t) for t in TEXTS]  # XLSX shows U+2028 as a symbol
    assert [r.title for r in got.risks] == want
    assert [dict(r.extra)["note"] for r in got.risks] == want


HEADER_FORMULA = '=HYPERLINK("https://evil.example","click")'


def test_an_extra_key_is_never_a_formula_in_a_header(run, write, tmp_path) -> None:
    reg = write(_text_register(HEADER_FORMULA))
    csv_text = run("-r", str(reg), "export", "--format", "csv").stdout
    header = next(csv.reader([csv_text.splitlines()[0]]))
    assert "'" + HEADER_FORMULA in header and HEADER_FORMULA not in header
    out = tmp_path / "r.xlsx"
    assert run("-r", str(reg), "export", "-o", str(out)).exit_code == 0
    import openpyxl

    cells = [c for c in openpyxl.load_workbook(out)["Risks"][1] if c.value and "HYPERLINK" in str(c.value)]
    assert [(c.data_type, c.value) for c in cells] == [("s", "'" + HEADER_FORMULA)]
    back = tmp_path / "back.yaml"
    assert run("import", str(out), "-o", str(back)).exit_code == 0
    assert HEADER_FORMULA in dict(register.load(back).risks[0].extra)  # the key, as it was


CONTROLS = "\x1b[2J\x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \x1b]52;c;ZXZpbA==\x07 \u202eevil\x07"


def test_csv_printed_to_a_terminal_shows_control_characters_as_symbols(run, write) -> None:
    reg = write(f"risks:\n  - {{id: R1, title: {json.dumps(CONTROLS)}, likelihood: 2, impact: 2}}\n")
    shown = run("-r", str(reg), "export", "--format", "csv", env={"TTY_COMPATIBLE": "1"})
    assert shown.exit_code == 0
    assert not any(c in shown.stdout for c in "\x1b\x07\r\u202e"), repr(shown.stdout)
    assert "␛[2J" in shown.stdout and "<U+202E>evil" in shown.stdout
    piped = run("-r", str(reg), "export", "--format", "csv", env={"TTY_COMPATIBLE": "0"})
    assert CONTROLS in piped.stdout  # piped: the exact text, for the program reading it


# --------------------------------------------------------------------------- 11. small ones


def test_a_register_whose_file_name_is_not_utf8_records_to_its_journal(tmp_path) -> None:
    name = os.fsdecode(b"reg-\xff.yaml")
    (tmp_path / name).write_text(SUPPLY, encoding="utf-8")
    env = {"RISKCLI_HOME": str(tmp_path)}
    p = _riskcli("--register", name, "assume", "A1", "fails", cwd=tmp_path, env=env)
    assert p.returncode == 0 and b"Traceback" not in p.stderr, p.stderr
    journal_path = tmp_path / os.fsdecode(b"reg-\xff.journal.jsonl")
    assert _events(journal_path)[0]["register"] == "reg-\\xff.yaml"
    shown = _riskcli("--register", name, "assumptions", "--json", cwd=tmp_path, env=env)
    assert shown.returncode == 0 and b"warning" not in shown.stderr, shown.stderr
    assert json.loads(shown.stdout)["assumptions"][0]["belief"] == 0.0


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


def test_a_missing_column_among_thousands_is_said_in_a_short_line(run, tmp_path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"column {i}" for i in range(16_000)) + "\n" + ",".join("x" * 16_000) + "\n")
    result = run("import", str(path))
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert len(result.stderr) < 500, len(result.stderr)
    assert "'column 0', 'column 1'" in result.stderr and "… and 15,980 more)" in result.stderr


def test_a_long_header_is_cut_in_a_message(run, tmp_path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("h" * 30_000 + ",b\n1,2\n")
    result = run("import", str(path), "--map", "title=nope")
    assert result.exit_code == 2 and len(result.stderr) < 300 and "'" + "h" * 39 + "…'" in result.stderr


@pytest.mark.parametrize("command", ["simulate", "sensitivity"])
def test_trials_have_an_upper_bound(run, reg, command) -> None:
    result = run("--register", reg, command, "--trials", "1000001")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert "less than or equal to 1000000" in result.stderr


def _many_assumptions(n: int) -> str:
    lines = ["assumptions:", *(f"  - {{id: A{i}, statement: s, belief: 0.5}}" for i in range(n)), "risks:"]
    lines += [
        f"  - {{id: R{i}, title: t, likelihood: 3, impact: 3, drivers: [{{assumption: A{i}, if_fails: {{likelihood: 1}}}}]}}"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


def test_sensitivity_of_more_assumptions_than_it_sets_is_refused_at_once(run, write) -> None:
    reg = str(write(_many_assumptions(501)))
    result = run("--register", reg, "sensitivity", "--trials", "10")
    assert result.exit_code == 2 and result.stderr == (
        "error: sensitivity sets at most 500 assumptions each way, and 501 drive these risks; "
        "simulate them together with 'riskcli simulate', or one risk's with --risk ID\n"
    )
    one = run("--register", reg, "sensitivity", "--risk", "R7", "--trials", "10", "--json")
    assert one.exit_code == 0 and json.loads(one.stdout)["risk"] == "R7"


def test_sensitivity_draws_a_bounded_number_of_trials_in_all(run, write) -> None:
    reg = str(write(_many_assumptions(10)))
    result = run("--register", reg, "sensitivity", "--trials", "1000000")
    assert result.exit_code == 2 and result.stderr == (
        "error: sensitivity would draw 21 runs × 1,000,000 trials; it draws at most 10,000,000 in all: "
        "give --trials 476,190 or fewer, or one risk's with --risk ID\n"
    )
