"""The suite's own machinery (tests/conftest.py), as the README's test command shows it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent

TINY = """\
import pytest

@pytest.mark.slow("counting sheep")
def test_sheep():
    pass

def test_quick():
    pass
"""


@pytest.mark.parametrize("workers", ["2", "0"])
def test_a_slow_test_says_what_it_does_as_it_starts(tmp_path, workers) -> None:
    """With workers (pytest-xdist, whose workers' output is not shown) or without: one line, on the
    output of the run, for the test marked slow only."""
    (tmp_path / "test_tiny.py").write_text(TINY, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "conftest", "-p", "no:cacheprovider", "-n", workers, "test_tiny.py"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(TESTS)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    said = [line for line in done.stdout.splitlines() if "slow:" in line]
    assert said == ["  slow: counting sheep (test_tiny.py::test_sheep)"], done.stdout
