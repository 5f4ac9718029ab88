"""Durable file writes: atomic replacement, never a half-written file; one in-place edit at a time;
what ``-o PATH`` may write and how (``write_output``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from riskcli.model import OperationalError, UserError
from riskcli.records import frozen

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
    locks the new one if not. A file that cannot be opened is not locked: reading it next says why."""
    import time

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


# --------------------------------------------------------------------------- files a command writes (-o)


@frozen
class Output:
    """Where ``-o PATH`` writes: a new file, a regular file to replace (the file a link names, so
    that the link stays), or a stream written into (a FIFO, a character device such as a terminal
    or ``/dev/null``, or this process's own standard output or error reached through a link)."""

    kind: Literal["new", "file", "stream"]
    path: Path


def check_output(path: Path, *, force: bool = False, reading: Iterable[tuple[str, Path | None]] = ()) -> Output:
    """What writing to ``path`` will do, or the one-line refusal (``UserError``): never over a file
    being read (``reading``: what it is read as, and its path — checked whether it exists yet or
    not), never over an existing file without ``force``, never over a folder, a socket, a block
    device or a link to nothing."""
    path = Path(path)
    for what, p in reading:
        if p is not None and _same(path, p):
            raise UserError(f"{path} is the file being read as the {what}; write to another file")
    try:
        lst = os.lstat(path)
    except FileNotFoundError:
        parent = path.parent if str(path.parent) else Path(".")
        if not parent.is_dir():
            raise UserError(f"{parent}: no such directory") from None
        return Output("new", path)
    except NotADirectoryError:
        raise UserError(f"{path}: {path.parent} is not a directory") from None
    except OSError as e:
        raise OperationalError(f"cannot write {path}: {e.strerror or e}") from None
    linked = stat.S_ISLNK(lst.st_mode)
    if linked:
        _refuse_planted_link(path, lst)
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise UserError(
                f"{path} is a symbolic link to nothing; write to the file itself, or remove the link"
            ) from None
        except OSError as e:
            raise UserError(f"{path}: cannot follow the link: {e.strerror or e}") from None
    else:
        st = lst
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{path}: is a directory; give a file name")
    if stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode):
        return Output("stream", path)
    if not stat.S_ISREG(st.st_mode):
        raise UserError(
            f"{path} is {_kind_of(st.st_mode)}; riskcli writes a regular file, a FIFO or a character device"
        )
    if linked and _is_std_stream(st):
        return Output("stream", path)  # /dev/stdout, /dev/fd/1 … naming a file the shell opened
    if not force:
        raise UserError(f"{path} already exists; use --force to overwrite it")
    return Output("file", Path(os.path.realpath(path)) if linked else path)


def write_output(
    path: Path, data: bytes, *, force: bool = False, reading: Iterable[tuple[str, Path | None]] = ()
) -> Output:
    """Write ``data`` where ``-o PATH`` says (see ``check_output``): a new or regular file
    atomically (a temporary file synced and renamed over it, keeping its mode); a stream by
    writing into it, never replacing it. Returns what was written."""
    out = check_output(path, force=force, reading=reading)
    if out.kind == "stream":
        _write_stream(out.path, data)
    else:
        atomic_write_bytes(out.path, data, overwrite=out.kind == "file")
    return out


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same file (by device and inode) if both exist, else
    the same place once links are resolved (a journal not created yet)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        return os.path.realpath(a) == os.path.realpath(b)
    except (OSError, ValueError):
        return False


def _refuse_planted_link(path: Path, lst: os.stat_result) -> None:
    """A link in a shared folder (sticky and writable by all, as /tmp) that another user owns is
    not followed: the rule the kernel applies to opening such links (fs.protected_symlinks),
    which a rename over the link's target would otherwise pass by."""
    parent = path.parent if str(path.parent) else Path(".")
    try:
        d = os.stat(parent)
    except OSError:
        return
    shared = d.st_mode & stat.S_ISVTX and d.st_mode & stat.S_IWOTH
    if shared and lst.st_uid != os.geteuid() and lst.st_uid != d.st_uid:
        raise UserError(f"{path} is a symbolic link another user made in a shared folder; riskcli does not follow it")


def _is_std_stream(st: os.stat_result) -> bool:
    """Whether ``st`` is the file this process's standard output or error is."""
    for fd in (1, 2):
        try:
            mine = os.fstat(fd)
        except OSError:
            continue
        if (mine.st_dev, mine.st_ino) == (st.st_dev, st.st_ino):
            return True
    return False


def _kind_of(mode: int) -> str:
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _write_stream(path: Path, data: bytes) -> None:
    """Write into a FIFO, a character device or an open standard stream: opened without creating
    or truncating anything, and written whole."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOCTTY | os.O_APPEND)
    except OSError as e:
        raise OperationalError(f"cannot write {path}: {e.strerror or e}") from None
    try:
        st = os.fstat(fd)
        if not (stat.S_ISFIFO(st.st_mode) or stat.S_ISCHR(st.st_mode) or _is_std_stream(st)):
            raise OperationalError(f"{path} changed while riskcli was writing it; nothing was written")
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as e:
        raise OperationalError(f"cannot write {path}: {e.strerror or e}") from None
    finally:
        os.close(fd)


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
