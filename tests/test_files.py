"""Durable writes keep the modes a user expects."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from riskcli.register import default_rules_path


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


# --------------------------------------------------------------------------- files a command writes (-o)
# What -o PATH is decides what happens: a regular file is replaced atomically (with --force), a
# FIFO or a character device is written into and stays what it is, anything else is refused; the
# register, rules and journal being read are never written over. The tests make their own FIFO,
# links, socket and (as root) character device in a temporary folder.

REG = "risks:\n  - {id: R1, title: Grid failure, likelihood: 3, impact: 5}\n"
TABLE = "id,title,likelihood,impact\nR1,Grid failure,3,5\n"


def _commands(reg: str, table: str) -> dict[str, list[str]]:
    """Every command that writes a file it is given, with its arguments up to that file."""
    return {
        "report": ["--register", reg, "report", "--format", "md", "-o"],
        "export": ["--register", reg, "export", "--format", "csv", "-o"],
        "import": ["--register", reg, "import", table, "-o"],
        "init": ["--register", reg, "init"],
    }


@pytest.fixture
def writers(write, tmp_path) -> dict[str, list[str]]:
    return _commands(str(write(REG)), str(write(TABLE, "table.csv")))


WRITERS = ("report", "export", "import", "init")


def _read_fifo(path) -> tuple[threading.Thread, list[bytes]]:
    """A reader on the FIFO, as a shell's `cat fifo` would be."""
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as f:
            got.append(f.read())

    t = threading.Thread(target=read, daemon=True)
    t.start()
    return t, got


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize("force", [False, True])
def test_a_fifo_is_written_into_and_stays_a_fifo(run, writers, tmp_path, command, force) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader, got = _read_fifo(fifo)
    result = run(*writers[command], str(fifo), *(["--force"] if force else []))
    reader.join(10)
    assert result.exit_code == 0, result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert got and (b"R1" in got[0] or b"risks:" in got[0]), got


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device needs root")
@pytest.mark.parametrize("command", WRITERS)
def test_a_character_device_is_written_into_and_stays_a_device(run, writers, tmp_path, command) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # this folder's own /dev/null
    try:
        os.close(os.open(null, os.O_WRONLY))
    except OSError:
        pytest.skip("devices cannot be opened on this filesystem (nodev)")
    for force in ([], ["--force"]):
        result = run(*writers[command], str(null), *force)
        assert result.exit_code == 0, result.stderr
        assert stat.S_ISCHR(os.lstat(null).st_mode) and os.lstat(null).st_rdev == os.makedev(1, 3)


@pytest.mark.skipif(not os.path.exists("/proc/self/fd/1"), reason="needs /proc")
@pytest.mark.parametrize("redirect", ["pipe", "file"])
def test_a_link_to_standard_output_writes_to_it(write, tmp_path, redirect) -> None:
    """-o /dev/stdout, with a link of the test's own naming /proc/self/fd/1 as /dev/stdout does."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1")
    reg = str(write(REG))
    args = [sys.executable, "-m", "riskcli", "--register", reg, "report", "-o", str(link)]
    env = {**os.environ, "RISKCLI_HOME": str(tmp_path / "home")}
    if redirect == "pipe":
        p = subprocess.run(args, capture_output=True, env=env, timeout=60)
        written = p.stdout
    else:
        out = tmp_path / "out.md"
        with out.open("wb") as f:
            p = subprocess.run(args, stdout=f, stderr=subprocess.PIPE, env=env, timeout=60)
        written = out.read_bytes()
    assert p.returncode == 0, p.stderr
    assert written.startswith(b"# ") and b"Grid failure" in written
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"


@pytest.mark.parametrize("command", WRITERS)
def test_a_link_to_a_file_replaces_the_file_and_stays_a_link(run, writers, tmp_path, command) -> None:
    target = tmp_path / "target.txt"
    target.write_text("old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    refused = run(*writers[command], str(link))
    assert refused.exit_code == 2 and refused.stderr == f"error: {link} already exists; use --force to overwrite it\n"
    assert run(*writers[command], str(link), "--force").exit_code == 0
    assert link.is_symlink() and target.read_text() != "old\n"


@pytest.mark.parametrize("command", WRITERS)
def test_a_link_to_nothing_is_refused_and_nothing_created(run, writers, tmp_path, command) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    result = run(*writers[command], str(link), "--force")
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: {link} is a symbolic link to nothing; write to the file itself, or remove the link\n"
    )
    assert not (tmp_path / "nowhere.txt").exists()


@pytest.mark.parametrize("command", WRITERS)
def test_a_socket_is_refused_and_stays(run, writers, tmp_path, command) -> None:
    import socket

    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        result = run(*writers[command], str(path), "--force")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path} is a socket; riskcli writes a regular file, a FIFO or a character device\n"
    )
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.parametrize("command", WRITERS)
def test_a_folder_is_refused(run, writers, tmp_path, command) -> None:
    result = run(*writers[command], str(tmp_path), "--force")
    assert result.exit_code == 2 and result.stderr == f"error: {tmp_path}: is a directory; give a file name\n"


@pytest.mark.parametrize("command", WRITERS)
@pytest.mark.parametrize(
    ("what", "name"), [("register", "reg.yaml"), ("journal", "reg.journal.jsonl"), ("rules", "rules.yaml")]
)
def test_the_files_being_read_are_never_written_over(run, writers, tmp_path, command, what, name) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text(default_rules_path().read_text())
    journal = tmp_path / "reg.journal.jsonl"
    assert run("--register", str(tmp_path / "reg.yaml"), "score", "R1", "-l", "2", "-i", "2").exit_code == 0
    before = {p: p.read_bytes() for p in (tmp_path / "reg.yaml", journal, rules)}
    for target in (tmp_path / name, _link(tmp_path, name)):
        result = run("--rules", str(rules), *writers[command], str(target), "--force")
        assert result.exit_code == 2, result.stdout
        assert result.stderr == f"error: {target} is the file being read as the {what}; write to another file\n"
    assert {p: p.read_bytes() for p in before} == before


def _link(tmp_path: Path, name: str) -> Path:
    link = tmp_path / f"another-name-for-{name}"
    link.symlink_to(tmp_path / name)
    return link


@pytest.mark.parametrize("command", ["report", "export"])
def test_a_journal_not_written_yet_is_not_written_over_either(run, writers, tmp_path, command) -> None:
    journal = tmp_path / "reg.journal.jsonl"
    result = run(*writers[command], str(journal), "--force")
    assert result.exit_code == 2 and "is the file being read as the journal" in result.stderr
    assert not journal.exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a link to another user")
def test_a_link_another_user_planted_in_a_shared_folder_is_not_followed(run, writers, tmp_path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)  # as /tmp
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    link = shared / "report.md"
    link.symlink_to(victim)
    os.lchown(link, 12345, 12345)
    result = run(*writers["report"], str(link), "--force")
    assert result.exit_code == 2 and "a symbolic link another user made in a shared folder" in result.stderr
    assert victim.read_text() == "precious\n"


@pytest.mark.parametrize("command", ["report", "export", "import"])
@pytest.mark.parametrize(("what", "name"), [("register", "reg.yaml"), ("journal", "reg.journal.jsonl")])
def test_a_register_named_only_by_riskcli_register_is_never_written_over(
    run, write, tmp_path, command, what, name
) -> None:
    env = {"RISKCLI_REGISTER": str(write(REG))}
    assert run("score", "R1", "-l", "2", "-i", "2", env=env).exit_code == 0
    files = (tmp_path / "reg.yaml", tmp_path / "reg.journal.jsonl")
    before = {p: p.read_bytes() for p in files}
    args = {
        "report": ["report", "--format", "md", "-o"],
        "export": ["export", "--format", "csv", "-o"],
        "import": ["import", str(write(TABLE, "table.csv")), "-o"],
    }[command]
    target = tmp_path / name
    result = run(*args, str(target), "--force", env=env)
    assert result.exit_code == 2, result.stdout
    assert result.stderr == f"error: {target} is the file being read as the {what}; write to another file\n"
    assert {p: p.read_bytes() for p in files} == before
