"""Reading a register or rules file: locating the shipped data, reading text safely, composing YAML.

The file is composed into YAML nodes (libyaml's C parser when present); nothing is constructed
from tags here. ``walker`` validates the nodes.
"""

from __future__ import annotations

import stat
from pathlib import Path

import yaml
from yaml.nodes import Node

from riskcli.model import OperationalError, Problem, RegisterError, UserError
from riskcli.register.walker import short

Loader: type[yaml.CSafeLoader | yaml.SafeLoader]
try:  # libyaml's parser is an order of magnitude faster
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    Loader = yaml.SafeLoader


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
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: is a directory, not a file") from None
    except PermissionError:
        raise UserError(f"{shown}: permission denied") from None
    except OSError as e:
        raise OperationalError(f"{shown}: cannot read: {e.strerror or e}") from None
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


def compose(text: str, shown: str) -> Node:
    """One YAML document as nodes, or a located error."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        if "expected a single document" in (e.context or ""):
            what = "several YAML documents in one file; a register is a single document"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RegisterError([Problem(shown, line, col, f"YAML syntax: {what}")]) from None
    except yaml.YAMLError as e:  # e.g. a reader error on a control character
        raise RegisterError([Problem(shown, 1, 1, f"YAML: {short(str(e), 120)}")]) from None
    except RecursionError:
        raise RegisterError([Problem(shown, 1, 1, "YAML nesting is too deep")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise RegisterError([Problem(shown, 1, 1, "the file holds no YAML document (only comments?)")])
    return node
