"""Shared fixtures: every test runs riskcli in a clean environment, away from the user's files."""

from __future__ import annotations

import functools
import json
import re
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
