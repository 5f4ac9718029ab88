"""The user's cache: files riskcli writes to save work, read back only when riskcli wrote them.

Where: ``$RISKCLI_CACHE``, else the user cache directory (``~/.cache/riskcli`` on Linux, from
platformdirs). Every entry is an optimisation: deleting the directory, or any file in it,
changes no result, and an entry that cannot be used is rebuilt, never an error.

**What is trusted.** Entries are loaded with ``pickle`` or ``marshal``, which can run code, so
an entry is read only when all of these hold:

- the cache directory (and the subdirectory of the entry) is a directory, not a symbolic link,
  owned by the user running riskcli and writable by no one else (riskcli creates it ``0700``);
- the entry is a regular file, opened without following a symbolic link (relative to the
  directory already checked, so the path cannot be swapped in between), owned by that user and
  writable by no one else;
- it carries an HMAC-SHA256, under a 256-bit random key riskcli generated in that directory
  (``key``: the same rules, and readable by no one else), of the entry's name, the key of what
  it was made from, and its contents — so a file that riskcli did not write there with that
  key, or that was cut short, changed or copied from another entry, is refused before it is
  parsed.

Whoever can write a file that passes these checks can already run code as that user (their
shell's start-up files are as writable), so the cache gives no one a way to run code they did
not have. Pointing ``RISKCLI_CACHE`` at a directory trusts whoever owns it, as ``PYTHONPATH``
does. A refused entry (another user's, planted, corrupt, truncated, from another riskcli or
Python) is ignored silently; ``RISKCLI_DEBUG=1`` prints why on stderr.

Writes are atomic: a new file in the same directory, renamed over the entry. They are not
fsynced: an entry torn by a power cut fails its HMAC and is rebuilt.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import stat
import sys
import time
from collections.abc import Iterator, Sequence

MAGIC = b"riskcli\x01"
KEY_FILE = "key"
KEY_BYTES = 32
_HEAD = len(MAGIC) + 32 + 32  # magic, HMAC, key of the contents
MAX_ENTRIES = 64  # per subdirectory: the oldest go first


def note(message: str) -> None:
    """A debug note (``RISKCLI_DEBUG=1``): why the cache was not used. Never an error."""
    if os.environ.get("RISKCLI_DEBUG"):
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"riskcli: cache: {message}\n")


def directory() -> str:
    """The cache directory's path (it may not exist yet)."""
    explicit = os.environ.get("RISKCLI_CACHE")
    if explicit:
        return os.path.abspath(explicit)
    from platformdirs import user_cache_dir

    return user_cache_dir("riskcli", appauthor=False)


def _mine(st: os.stat_result, *, secret: bool = False) -> str | None:
    """Why a file or directory is not trusted, or None: owned by this user, written by no one else
    (read by no one else either, for the key)."""
    if st.st_uid != os.geteuid():
        return "owned by another user"
    if st.st_mode & (0o077 if secret else 0o022):
        return "readable by others" if secret else "writable by others"
    return None


def _open_dir(name: str, parent: int | None) -> int:
    """A trusted directory, created 0700 if missing, as an open descriptor; OSError if untrusted."""
    flags = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(name, flags, dir_fd=parent)
    except FileNotFoundError:
        if parent is None:
            os.makedirs(os.path.dirname(name), exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(name, 0o700, dir_fd=parent)
        fd = os.open(name, flags, dir_fd=parent)
    why = _mine(os.fstat(fd))
    if why:
        os.close(fd)
        raise OSError(f"{name}: {why}")
    return fd


@contextlib.contextmanager
def _opened(sub: str | None) -> Iterator[tuple[int, bytes]]:
    """The directory an entry lives in (the cache's own, or a subdirectory of it), and the key."""
    top = _open_dir(directory(), None)
    try:
        key = _key(top)
        if sub is None:
            yield top, key
            return
        d = _open_dir(sub, top)
        try:
            yield d, key
        finally:
            os.close(d)
    finally:
        os.close(top)


def _key(top: int) -> bytes:
    """This cache's HMAC key, made on first use."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(KEY_FILE, flags, dir_fd=top)
    except FileNotFoundError:
        key = os.urandom(KEY_BYTES)
        fd = os.open(KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=top)
        try:
            os.write(fd, key)
        finally:
            os.close(fd)
        return key
    try:
        st = os.fstat(fd)
        why = "not a regular file" if not stat.S_ISREG(st.st_mode) else _mine(st, secret=True)
        if why:
            raise OSError(f"{KEY_FILE}: {why}")
        key = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if len(key) != KEY_BYTES:
        raise OSError(f"{KEY_FILE}: not a key")
    return key


def _split(name: str) -> tuple[str | None, str]:
    sub, _, base = name.rpartition("/")
    return sub or None, base


def _mac(key: bytes, name: str, made_from: bytes, payload: Sequence[bytes | memoryview]) -> bytes:
    h = hmac.new(key, name.encode() + b"\0" + made_from, "sha256")
    for part in payload:
        h.update(part)
    return h.digest()


def read(name: str, made_from: bytes) -> memoryview | None:
    """The contents of entry ``name`` (``sub/base`` or ``base``) if riskcli wrote it from
    ``made_from`` (a 32-byte key of what it was made from); None otherwise, silently."""
    sub, base = _split(name)
    try:
        with _opened(sub) as (d, key):
            try:
                fd = os.open(base, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=d)
            except FileNotFoundError:
                return None
            try:
                st = os.fstat(fd)
                why = "not a regular file" if not stat.S_ISREG(st.st_mode) else _mine(st)
                if why:
                    note(f"{name}: {why}")
                    return None
                with os.fdopen(fd, "rb", buffering=0, closefd=False) as f:
                    data = f.readall()
            finally:
                os.close(fd)
    except OSError as e:
        note(f"{name}: {e}")
        return None
    view = memoryview(data)
    if len(data) < _HEAD or view[: len(MAGIC)] != MAGIC:
        note(f"{name}: not a riskcli cache entry")
        return None
    mac, stored_from = view[len(MAGIC) : len(MAGIC) + 32], view[len(MAGIC) + 32 : _HEAD]
    if stored_from != made_from:
        note(f"{name}: made from something else")
        return None
    if not hmac.compare_digest(mac, _mac(key, name, made_from, [view[_HEAD:]])):
        note(f"{name}: its HMAC does not match (not written by this riskcli, or damaged)")
        return None
    return view[_HEAD:]


def write(name: str, made_from: bytes, payload: Sequence[bytes | memoryview]) -> None:
    """Store entry ``name``, made from ``made_from``, atomically; any failure is only noted."""
    sub, base = _split(name)
    try:
        with _opened(sub) as (d, key):
            tmp = f".{base}.{os.getpid()}.{os.urandom(4).hex()}"
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=d)
            try:
                with os.fdopen(fd, "wb", closefd=False) as f:
                    f.write(MAGIC)
                    f.write(_mac(key, name, made_from, payload))
                    f.write(made_from)
                    for part in payload:
                        f.write(part)
                os.close(fd)
                fd = -1
                os.replace(tmp, base, src_dir_fd=d, dst_dir_fd=d)
            except BaseException:
                if fd >= 0:
                    os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(tmp, dir_fd=d)
                raise
            if sub is not None:
                _evict(d, keep=base)
    except OSError as e:
        note(f"{name}: not written: {e}")


def remove(name: str) -> None:
    """Remove entry ``name``, if there is one; any failure is only noted."""
    sub, base = _split(name)
    try:
        with _opened(sub) as (d, _key), contextlib.suppress(FileNotFoundError):
            os.unlink(base, dir_fd=d)
    except OSError as e:
        note(f"{name}: not removed: {e}")


def _evict(d: int, keep: str) -> None:
    """Keep at most MAX_ENTRIES entries in a subdirectory, the oldest written going first (and
    files left by writes that were killed, after an hour)."""
    dated = []
    for n in os.listdir(d):
        with contextlib.suppress(OSError):
            dated.append((os.stat(n, dir_fd=d, follow_symlinks=False).st_mtime_ns, n))
    if len(dated) <= MAX_ENTRIES:
        return
    dated.sort()
    entries = [n for _, n in dated if not n.startswith(".")]
    old = [n for t, n in dated if n.startswith(".") and t < time.time_ns() - 3600 * 10**9]
    for n in entries[: max(0, len(entries) - MAX_ENTRIES)] + old:
        if n != keep:
            with contextlib.suppress(OSError):
                os.unlink(n, dir_fd=d)
