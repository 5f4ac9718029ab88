"""Reading a register or rules file: locating the shipped data, reading text safely, composing YAML.

The file is composed into YAML nodes (libyaml's C parser when present); nothing is constructed
from tags here. ``walker`` validates the nodes. YAML itself is imported only to compose: a
register loaded from the cache (``register.cache``) needs none of it.
"""

from __future__ import annotations

import functools
import stat
from pathlib import Path
from typing import Any

from riskcli.model import OperationalError, Problem, RegisterError, UserError
from riskcli.register.nodes import Node, ScalarNode, SequenceNode, ours

EMBEDDED = "(embedded)"
MAX_PROBLEMS = 50
MAX_FILE_BYTES = 1 << 30  # 1 GiB: far above 100,000 risks (about 55 MB)

# --------------------------------------------------------------------------- locating files


def data_dir() -> Path:
    """Where the shipped register and rules live: inside the wheel, or rules/ in a checkout."""
    here = Path(__file__).resolve().parent.parent  # the riskcli package
    for candidate in (here / "data", here.parent / "rules"):
        if (candidate / "register.yaml").is_file():
            return candidate
    raise OperationalError("error: the embedded register is missing from this installation; reinstall riskcli")


def embedded_register_path() -> Path:
    return data_dir() / "register.yaml"


def default_rules_path() -> Path:
    return data_dir() / "rules.yaml"


# --------------------------------------------------------------------------- reading text


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 text file, refusing empty, binary and undecodable files with one line."""
    return decode(read_bytes(path, shown), shown)


def read_bytes(path: Path, shown: str) -> bytes:
    """A file's bytes, refusing what is not a regular file, or too large, with one line."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UserError(f"{shown}: is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise UserError(f"{shown}: not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise UserError(
                f"{shown}: {st.st_size / 2**20:.0f} MiB is larger than riskcli reads ({MAX_FILE_BYTES // 2**20} MiB)"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: is a directory, not a file") from None
    except PermissionError:
        raise UserError(f"{shown}: permission denied") from None
    except OSError as e:
        raise OperationalError(f"{shown}: cannot read: {e.strerror or e}") from None


def decode(data: bytes, shown: str) -> str:
    """A file's bytes as text, refusing empty, binary and undecodable files with one line."""
    if not data.strip():
        raise RegisterError([Problem(shown, 1, 1, "the file is empty")])
    if b"\x00" in data:
        raise RegisterError([Problem(shown, 1, 1, "this is a binary file, not YAML text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise RegisterError(
            [Problem(shown, line, col, f"the file is not UTF-8 text (byte {data[e.start]:#04x})")]
        ) from None
    return text


# --------------------------------------------------------------------------- composing YAML


@functools.cache
def loader() -> Any:
    """riskcli's YAML loader: libyaml's safe loader (pure Python's without libyaml), with a
    faster resolver.

    libyaml parses in C but asks the loader, in Python, for the tag of every plain value (the
    resolver: is ``yes`` a boolean, ``0.3`` a float, ``2024-10-31`` a date?). The safe loader's
    resolver looks up the value's first character, joins two lists and tries each pattern; here
    the lists are joined once, a value whose first character starts no pattern (most text) is a
    string at once, and the answer for a short value is remembered for the file. The tags are
    the safe loader's own: the same patterns, in the same order (tests/test_register.py compares
    the trees). Together about a fifth of the time libyaml's composer takes."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
    str_tag: str = base.DEFAULT_SCALAR_TAG
    seq_tag: str = base.DEFAULT_SEQUENCE_TAG
    map_tag: str = base.DEFAULT_MAPPING_TAG
    table = base.yaml_implicit_resolvers
    anywhere = list(table.get(None, []))
    patterns = {first: tuple(rs + anywhere) for first, rs in table.items() if first is not None}

    if anywhere or base.yaml_path_resolvers:  # the safe loader has neither: if it did, it knows best
        return base
    # The composer asks with the node class it makes: riskcli's while ``compose`` runs, else PyYAML's.
    scalars, sequences = (ScalarNode, yaml.nodes.ScalarNode), (SequenceNode, yaml.nodes.SequenceNode)

    class Loader(base):  # type: ignore[misc]
        # With no path resolvers, descending into a node and ascending from it resolve nothing,
        # yet the composer calls both for every node: C callables that take the same arguments
        # and do nothing (a slice made and dropped, the empty tuple) cost less than the methods.
        descend_resolver = staticmethod(slice)
        ascend_resolver = staticmethod(tuple)

        def __init__(self, stream: Any):
            super().__init__(stream)
            self._tags: dict[str, str] = {}

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind in scalars:
                if implicit[0]:
                    candidates = patterns.get(value[:1])
                    if candidates is not None:
                        tag = self._tags.get(value)
                        if tag is None:
                            tag = str_tag
                            for t, pattern in candidates:
                                if pattern.match(value):
                                    tag = t
                                    break
                            if len(value) <= 32:
                                self._tags[value] = tag
                        return tag
                return str_tag
            return seq_tag if kind in sequences else map_tag  # a mapping otherwise

    return Loader


def __getattr__(name: str) -> Any:
    if name == "Loader":  # riskcli's loader class, for whoever constructs Python data with it
        return loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def compose(text: str, shown: str) -> Node:
    """One YAML document as nodes, or a located error."""
    import yaml

    from riskcli.register.walker import short

    loader_ = loader()(text)
    try:
        with ours():
            node: Node | None = loader_.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        if "expected a single document" in (e.context or ""):
            what = "several YAML documents in one file; a register is a single document"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RegisterError([Problem(shown, line, col, f"YAML syntax: {what}")]) from None
    except yaml.reader.ReaderError as e:  # a character YAML does not allow
        raise RegisterError([_unreadable(text, shown, e)]) from None
    except yaml.YAMLError as e:
        raise RegisterError([Problem(shown, 1, 1, f"YAML: {short(str(e), 120)}")]) from None
    except RecursionError:
        raise RegisterError([Problem(shown, 1, 1, "YAML nesting is too deep")]) from None
    finally:
        loader_.dispose()
    if node is None:
        raise RegisterError([Problem(shown, 1, 1, "the file holds no YAML document (only comments?)")])
    return node


def _unreadable(text: str, shown: str, e: Any) -> Problem:
    """Where the character YAML does not allow is, and which (libyaml's position counts bytes of
    UTF-8, so the character itself is looked for: the reader stops at the first)."""
    import unicodedata

    code = e.character if isinstance(e.character, int) else None
    at = text.find(chr(code)) if code is not None and 0 <= code <= 0x10FFFF else -1
    if code is None or at < 0:
        return Problem(shown, 1, 1, f"YAML: a character YAML does not allow ({e.reason})")
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    kind = "a control character" if unicodedata.category(chr(code)) == "Cc" else "a character"
    return Problem(shown, line, col, f"{kind} U+{code:04X}, which YAML does not allow")
