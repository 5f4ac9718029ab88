"""Durable file writes: atomic replacement, never a half-written file; one in-place edit at a time."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from riskcli.model import OperationalError, UserError

EDIT_LOCK_TIMEOUT = 30.0  # seconds an edit waits for another riskcli editing the same file


def flock_within(fd: int, deadline: float) -> bool:
    """An exclusive ``flock`` on ``fd``, waited for until ``deadline`` (``time.monotonic()``);
    False when another process still holds it then. Other failures raise ``OSError``."""
    import fcntl
    import time

    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.005)


@contextlib.contextmanager
def edit_lock(path: Path) -> Iterator[None]:
    """Hold the lock for editing ``path`` in place: read, change, validate and replace it while
    no other riskcli does the same.

    The lock is an exclusive ``flock`` on the file itself (through a symbolic link, on the file it
    names), so no lock file is left beside a register. An edit replaces the file with a new one, so
    a waiting editor that gets the lock checks that the path still names the file it locked, and
    locks the new one if not. A file that cannot be opened is not locked: reading it next says why.
    Where there is no ``flock``, a ``<file>.lock`` file (filelock) serves."""
    import time

    try:
        import fcntl  # noqa: F401 (only whether there is flock: flock_within uses it)
    except ImportError:  # pragma: no cover - not POSIX
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(path) + ".lock", timeout=EDIT_LOCK_TIMEOUT):
                yield
        except Timeout:
            raise OperationalError(
                f"{path}: another riskcli has been editing it for {EDIT_LOCK_TIMEOUT:.0f} s; try again"
            ) from None
        return
    deadline = time.monotonic() + EDIT_LOCK_TIMEOUT
    fd: int | None = None
    try:
        while True:
            try:  # for writing where it may be (NFS locks want it), else for reading
                fd = os.open(path, os.O_RDWR)
            except OSError:
                try:
                    fd = os.open(path, os.O_RDONLY)
                except OSError:
                    fd = None
                    break  # missing, unreadable, a folder …: the loader reports it
            try:
                locked = flock_within(fd, deadline)
            except OSError as e:
                raise OperationalError(f"{path}: cannot lock it for editing: {e.strerror or e}") from None
            if not locked:
                raise OperationalError(
                    f"{path}: another riskcli has been editing it for {EDIT_LOCK_TIMEOUT:.0f} s; try again"
                )
            try:
                now = os.stat(path)
            except OSError:
                break  # gone meanwhile: the loader reports it
            mine = os.fstat(fd)
            if (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                break  # locked, and still the file the path names
            os.close(fd)  # replaced by the editor before: lock the new file
            fd = None
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing the file releases the lock


def atomic_write_text(path: Path, text: str, *, overwrite: bool = False) -> None:
    """Write ``text`` (UTF-8, ``\n`` line ends) atomically: see ``atomic_write_bytes``."""
    atomic_write_bytes(path, text.encode("utf-8"), overwrite=overwrite)


def atomic_write_bytes(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write ``data`` to ``path`` through a synced temporary file and an atomic rename.

    Without ``overwrite`` an existing file is refused, and the final step is a hard link, which
    fails rather than replace a file created meanwhile. The file gets the mode a new file gets
    from the user's umask, or the mode of the file it replaces.
    """
    path = Path(path)
    if not overwrite and path.exists():
        raise UserError(f"{path} already exists; use --force to overwrite it")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise UserError(f"{parent}: no such directory")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as e:
        raise OperationalError(f"cannot write in {parent}: {e.strerror or e}") from None
    try:
        os.fchmod(fd, _mode_for(path))  # mkstemp makes the file private (0600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)
            except FileExistsError:
                raise UserError(f"{path} already exists; use --force to overwrite it") from None
            except OSError:  # no hard links here (FAT, some network mounts): create exclusively
                _write_new(path, data)
            os.unlink(tmp)
        fsync_dir(parent)
    except OSError as e:
        _discard(tmp)
        raise OperationalError(f"cannot write {path}: {e.strerror or e}") from None
    except BaseException:
        _discard(tmp)
        raise


def _mode_for(path: Path) -> int:
    """The permission bits for ``path``: those of the file there now, else 0666 less the umask."""
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_new(path: Path, data: bytes) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise UserError(f"{path} already exists; use --force to overwrite it") from None
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _discard(tmp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(tmp)


def fsync_dir(directory: Path) -> None:
    """Make a new directory entry durable (best effort: not every filesystem allows it)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
