"""Where a register's journal is, who writes, when; opening a journal file by the rules for default and
explicit paths."""

from __future__ import annotations

import os
import re
import stat
from datetime import UTC, datetime
from pathlib import Path

from riskcli.model import OperationalError, Register, UserError
from riskcli.records import frozen


@frozen(slots=True)
class Location:
    """Where a register's journal is, and whether the user named it (``--journal``)."""

    path: Path
    explicit: bool


def locate(reg: Register, explicit: str | os.PathLike[str] | None = None) -> Location:
    """``--journal`` / RISKCLI_JOURNAL; else beside a user register; else the user data dir."""
    if explicit:
        return Location(Path(explicit), True)
    if not reg.embedded:
        p = Path(reg.path)
        path = beside(p)
        twins = sorted(
            q.name
            for q in p.parent.glob(f"{glob_escape(p.stem)}.*")
            if q.suffix in (".yaml", ".yml") and q.stem == p.stem and q.name != p.name
        )
        if twins:
            raise UserError(
                f"{p.name} and {twins[0]} would share the journal {path}; give --journal to say which journal is whose"
            )
        return Location(path, False)
    home = os.environ.get("RISKCLI_HOME")
    if home:
        base = Path(home)
    else:
        from platformdirs import user_data_dir

        base = Path(user_data_dir("riskcli", appauthor=False))
    return Location(base / f"{reg.id or 'register'}.journal.jsonl", False)


def beside(register_path: Path) -> Path:
    """The journal a user register has by default: ``<stem>.journal.jsonl`` beside it."""
    return register_path.with_name(f"{register_path.stem}.journal.jsonl")


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def now_utc() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def analyst_name(explicit: str | None) -> str:
    if explicit:
        return explicit
    try:
        return os.getlogin()
    except OSError:
        import getpass

        try:
            return getpass.getuser()
        except Exception:  # noqa: BLE001 - no name to be had: say so rather than fail
            return "unknown"


def open_checked(path: Path, flags: int, explicit: bool, *, writing: bool) -> int:
    """Open a journal by the rules for default and explicit paths; a file descriptor.

    A default journal is never a symbolic link (``O_NOFOLLOW``), and is written only when the user
    owns it. An explicit ``--journal`` may be a link, to a regular file that exists."""
    if not explicit:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    elif os.path.islink(path) and not path.exists():
        raise UserError(f"journal {path} is a symbolic link to nothing; give the file itself")
    elif os.path.islink(path):
        flags &= ~os.O_CREAT  # follow a link only to a file that is there
    try:
        # O_NONBLOCK: a FIFO planted as the journal must not hang riskcli before the check below.
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0), 0o666)
    except OSError as e:
        if not explicit and os.path.islink(path):
            raise UserError(
                f"journal {path} is a symbolic link; riskcli does not follow links for a register's "
                "default journal (give --journal to use it)"
            ) from None
        if isinstance(e, FileNotFoundError):
            raise
        verb = "write" if writing else "read"
        raise OperationalError(f"journal {path}: cannot {verb}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UserError(f"journal {path}: not a regular file")
        uid = getattr(os, "getuid", lambda: st.st_uid)()
        if writing and not explicit and st.st_uid != uid:
            raise UserError(
                f"journal {path} belongs to another user (uid {st.st_uid}); riskcli will not write to a "
                "default journal it does not own (give --journal to choose one)"
            )
    except BaseException:
        os.close(fd)
        raise
    return fd


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (device and inode: a link or another spelling counts)."""
    try:
        x, y = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (x.st_dev, x.st_ino) == (y.st_dev, y.st_ino)


def refuse_register(journal_path: Path, reg: Register) -> None:
    """The register itself is never read or written as its own journal."""
    if not reg.embedded and same_file(journal_path, Path(reg.path)):
        raise UserError(f"the journal {journal_path} is the register itself; give another --journal")
