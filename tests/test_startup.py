"""Start-up stays at the floor: help and usage errors load neither Rich nor YAML, and heavy
libraries are imported only by the commands that need them."""

from __future__ import annotations

import subprocess
import sys

import pytest

PROBE = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"rich", "yaml", "jsonschema", "numpy", "openpyxl", "ruamel"})
sys.stderr.write("LOADED " + ",".join(heavy) + "\\n")
"""


def _loaded(*args: str) -> set[str]:
    p = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    line = next(x for x in p.stderr.splitlines() if x.startswith("LOADED "))
    return set(filter(None, line.removeprefix("LOADED ").split(",")))


@pytest.mark.parametrize("args", [["--help"], ["matrix", "--help"], ["list", "--nope"], ["--version"]])
def test_help_and_usage_errors_load_neither_rich_nor_yaml(args: list[str]) -> None:
    assert _loaded(*args) == set()


def test_a_view_loads_rich_and_yaml_but_no_heavier_library(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RISKCLI_HOME", str(tmp_path))
    assert _loaded("matrix") == {"rich", "yaml"}
