"""Durable writes keep the modes a user expects."""

from __future__ import annotations

import os
import stat

import pytest


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_init_writes_with_the_users_umask(run, tmp_path, umask_022) -> None:
    path = tmp_path / "mine.yaml"
    assert run("init", str(path)).exit_code == 0
    assert _mode(path) == 0o644


def test_init_force_keeps_the_mode_of_the_file_it_replaces(run, tmp_path, umask_022) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("old\n")
    os.chmod(path, 0o640)
    assert run("init", "--force", str(path)).exit_code == 0
    assert _mode(path) == 0o640 and "risks:" in path.read_text()


def test_init_dates_the_starter_today(run, tmp_path) -> None:
    import datetime

    path = tmp_path / "mine.yaml"
    assert run("init", str(path)).exit_code == 0
    assert f"as_of: {datetime.date.today().isoformat()}\n" in path.read_text()
    assert run("validate", str(path)).exit_code == 0
