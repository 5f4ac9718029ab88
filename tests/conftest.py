"""Shared fixtures: every test runs riskcli in a clean environment, away from the user's files."""

from __future__ import annotations

import functools
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from typer.testing import CliRunner, Result

import riskcli
from riskcli.cli.app import just_the_command

TESTS = Path(__file__).resolve().parent
BAD = TESTS / "bad"
DATA = TESTS / "data"

_ENV_VARS = (
    "RISKCLI_REGISTER",
    "RISKCLI_RULES",
    "RISKCLI_JOURNAL",
    "RISKCLI_ANALYST",
    "RISKCLI_HOME",
    "RISKCLI_CACHE",
    "RISKCLI_DEBUG",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "COLUMNS",
    "LINES",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    for var in _ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RISKCLI_CACHE", str(tmp_path_factory.mktemp("cache")))  # never the user's; one per test
    monkeypatch.setenv("RISKCLI_ANALYST", "tester")


Run = Callable[..., Result]


SCHEMAS = Path(riskcli.__file__).resolve().parent / "schemas"


@functools.cache
def _validator(view: str) -> Any:
    schema = json.loads((SCHEMAS / f"{view}.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def check_json(text: str) -> Any:
    """Parse a --json output and validate it against the shipped schema it names."""
    data = json.loads(text)
    name = data.get("schema", "")
    assert re.fullmatch(r"riskcli/[a-z-]+/[1-9][0-9]*", name), f"no schema named: {name!r}"
    validator = _validator(name.split("/")[1])
    assert validator.schema["$id"] == name, f"{name!r} is not the shipped schema {validator.schema['$id']!r}"
    validator.validate(data)
    return data


def _json_error(stderr: str) -> str | None:
    """The JSON error object on stderr (after any warning lines), if there is one."""
    at = stderr.find("\n{") + 1 if not stderr.startswith("{") else 0
    return stderr[at:] if (stderr.startswith("{") or at) else None


@pytest.fixture
def run() -> Run:
    """Invoke riskcli as a user would; returns the result with stdout and stderr apart. Every
    --json output is checked against the JSON Schema it names, errors on stderr included."""
    runner = CliRunner()

    def _run(*args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        # The app as the console script builds it for these arguments (just the command named)
        command = just_the_command(list(args))
        result = runner.invoke(command, list(args), input=input, env=env, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        # --json as a flag, not as the value of an option ("--why --json" gives a reason)
        flag = any(
            a == "--json" and (k == 0 or args[k - 1] not in ("--why", "-w", "--title", "-t"))
            for k, a in enumerate(args)
        )
        if flag and "--help" not in args:
            if result.stdout.strip():
                check_json(result.stdout)
            if result.exit_code not in (0,) and not result.stdout.strip():
                err = _json_error(result.stderr)
                assert err is not None, f"--json failure without a JSON error on stderr: {result.stderr!r}"
                assert check_json(err)["error"]["code"] == result.exit_code
        return result

    return _run


MINIMAL = """\
risks:
  - id: R1
    title: Grid failure
    likelihood: 3
    impact: 5
"""


# A small supply-chain register shared by the assessment tests: two assumptions, two risks
# resting on them and one that rests on none.
SUPPLY = """\
title: Supply
as_of: 2025-01-01
assumptions:
  - {id: A1, statement: Supplier delivers., belief: 0.5}
  - {id: A2, statement: Prices stay flat., belief: 0.8}
risks:
  - id: R1
    title: Production stops
    evidence: one shipment was late
    likelihood: 3
    impact: 4
    drivers:
      - {assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}
  - id: R2
    title: Budget overrun
    likelihood: 2
    impact: 3
    drivers:
      - {assumption: A2, if_holds: {impact: -1}, if_fails: {impact: 1}}
  - {id: R3, title: Unlinked, likelihood: 1, impact: 1}
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def _write(text: str, name: str = "reg.yaml") -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write


# SUPPLY with an indicator overdue since its as_of (2025-01-01) and a scenario.
WATCHED = (
    SUPPLY
    + """\
indicators:
  - {id: I1, title: Late shipment, review_every: 30, updates: [{assumption: A1, belief: 0.1}]}
scenarios:
  - {id: squeeze, title: Supply squeeze, beliefs: {A1: fails, A2: 0.1}}
"""
)


@pytest.fixture
def watched(write: Callable[[str, str], Path]) -> str:
    """The path of a WATCHED register."""
    return str(write(WATCHED, "reg.yaml"))


# A workbook written part by part, as a hostile or hand-made file can be: the sheet's rows as raw
# XML (any iterable of bytes, so a million rows need not be in memory), optional shared strings
# and styles, and a prologue (an XML declaration, a DTD) for any part.
SHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def write_xlsx(
    path: Path,
    rows: Any,
    *,
    shared: list[str] | bytes | None = None,
    styles: bytes | None = None,
    head: dict[str, bytes] | None = None,
) -> Path:
    import zipfile
    from xml.sax.saxutils import escape

    head = head or {}

    def part(name: str, body: str | bytes) -> bytes:
        return head.get(name, b"") + (body.encode("utf-8") if isinstance(body, str) else body)

    rels = f'<Relationship Id="rId1" Type="{_REL_NS}/worksheet" Target="worksheets/sheet1.xml"/>'
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        + (f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>' if shared else "")
        + (f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>' if styles else "")
        + "</Types>"
    )  # what openpyxl needs to read it too
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", part("_rels/.rels", f'<Relationships xmlns="{_PKG_NS}"><Relationship Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))  # fmt: skip
        z.writestr("xl/workbook.xml", part("xl/workbook.xml", f'<workbook xmlns="{SHEET_NS}" xmlns:r="{_REL_NS}"><sheets><sheet name="Risks" sheetId="1" r:id="rId1"/></sheets></workbook>'))  # fmt: skip
        if shared is not None:
            rels += f'<Relationship Id="rId2" Type="{_REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
            if isinstance(shared, list):
                shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in shared).encode("utf-8")
            z.writestr("xl/sharedStrings.xml", part("xl/sharedStrings.xml", b'<sst xmlns="' + SHEET_NS.encode() + b'">' + shared + b"</sst>"))  # fmt: skip
        if styles is not None:
            rels += f'<Relationship Id="rId3" Type="{_REL_NS}/styles" Target="styles.xml"/>'
            z.writestr("xl/styles.xml", part("xl/styles.xml", b'<styleSheet xmlns="' + SHEET_NS.encode() + b'">' + styles + b"</styleSheet>"))  # fmt: skip
        z.writestr("xl/_rels/workbook.xml.rels", part("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{_PKG_NS}">{rels}</Relationships>'))  # fmt: skip
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(head.get("xl/worksheets/sheet1.xml", b"") + f'<worksheet xmlns="{SHEET_NS}"><sheetData>'.encode())
            for chunk in [rows] if isinstance(rows, bytes) else rows:
                f.write(chunk)
            f.write(b"</sheetData></worksheet>")
    return path


def xlsx_row(number: int | None, *cells: str | int) -> bytes:
    """One row of a sheet: text as inline strings, numbers as numbers."""
    from xml.sax.saxutils import escape

    body = "".join(
        f"<c><v>{c}</v></c>" if isinstance(c, int) else f'<c t="inlineStr"><is><t>{escape(c)}</t></is></c>'
        for c in cells
    )
    r = f' r="{number}"' if number is not None else ""
    return f"<row{r}>{body}</row>".encode()


def riskcli_process(
    *args: str, env: dict[str, str] | None = None, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """riskcli run as a process of its own (``python -m riskcli``), with no RISKCLI_ variable of the
    caller's environment: for what only a real process shows (bytes on its streams, signals)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("RISKCLI_")}
    return subprocess.run(
        [sys.executable, "-m", "riskcli", *args],
        env={**base, **(env or {})},
        input=stdin,
        capture_output=True,
        cwd=cwd,
        timeout=60,
    )


# A test marked slow says what it does as it starts, so that the run never sits silent for long
# without saying why. Under pytest-xdist the workers' output is not shown: the line is written by
# the process that reports (the controller), from the report of the test's setup, which carries
# what the worker put in the test's user_properties.
def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("slow"):
        item.user_properties.append(("slow", mark.args[0] if mark.args else item.name))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "setup" or not report.passed or not _CONFIG:
        return
    reporter = _CONFIG[0].pluginmanager.get_plugin("terminalreporter")
    for key, what in report.user_properties:
        if key == "slow":  # a line of its own, after the progress dots (xdist's or pytest's)
            reporter.write(f"\n  slow: {what} ({report.nodeid})\n", flush=True)


_CONFIG: list[pytest.Config] = []  # of the process that reports (not a worker's)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow(what): a test that runs for long, and what it does (said as it starts)")
    if not hasattr(config, "workerinput"):
        _CONFIG.append(config)
