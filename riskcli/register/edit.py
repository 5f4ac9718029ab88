"""Editing a register file in place: add an item to a section, or set one field of an item.

The file is composed with ruamel.yaml's round-trip parser, which gives every node its exact place
in the text; the edit is then spliced into the text at that place, so that everything outside
the edited item — comments, blank lines, key order, quoting, indentation, line endings — stays
byte for byte as it was. ruamel.yaml only finds places and writes the new value: what the text
means is riskcli's reading alone. A new value is written by ruamel.yaml's emitter under YAML 1.1
rules and then read back by riskcli's loader, and written double-quoted with escapes when that
reading differs (so a title such as ``yes``, ``010`` or ``1:20`` stays text). Before anything is
written the caller checks the new text with riskcli's loader; here the edit is checked to change
exactly what was asked: the text before and after, read as riskcli reads it (PyYAML's nodes, keys
and text as written, numbers by YAML 1.1), differs by the one item or field, else nothing is
returned. A value that is a YAML anchor or alias is not replaced (it is shared with others).

ruamel.yaml is imported inside the functions that edit (``riskcli add`` and ``riskcli set`` only).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

from riskcli.model import UserError
from riskcli.records import frozen
from riskcli.register.fields import SECTIONS as ITEMS
from riskcli.register.walker import ID_PATTERN

# A node of ruamel.yaml's round-trip composer (typed loosely: its attributes vary by kind).
Node: TypeAlias = Any

# A value written into a register: text or a number, a list of them, or a mapping (an item, a
# driver, a shift), in the order its keys are to be written.
Value: TypeAlias = str | int | float | list[Any] | dict[str, Any]

# The sections ``add`` and ``set`` work on, by the kind of item they hold, and their keys.
SECTIONS = {"risk": "risks", "assumption": "assumptions", "indicator": "indicators", "response": "responses"}
_KEYS = {section: ITEMS[section].keys for section in SECTIONS.values()}  # in the order they are written
_BOM = "\ufeff"


@frozen
class Text:
    """A register file's text as read (``bom``: it began with a UTF-8 byte-order mark)."""

    text: str
    bom: bool

    @property
    def written(self) -> str:
        return (_BOM if self.bom else "") + self.text


@frozen
class Edited:
    """The new text of a register and the first line (1-based) of the item edited or added."""

    text: str
    line: int


def read(path: Path, shown: str) -> Text:
    """A register file's text, with the same checks as the loader (size, binary, UTF-8)."""
    from riskcli.register.source import read_text

    text = read_text(path, shown)
    with path.open("rb") as f:
        bom = f.read(3) == _BOM.encode("utf-8")
    return Text(text, bom)


# --------------------------------------------------------------------------- the two edits


def add(text: str, section: str, item: dict[str, Any], lines: Sequence[int] = ()) -> Edited:
    """``text`` with ``item`` appended to ``section`` (created at the end if absent), its keys in
    the format's order. ``lines``: where the section's items start (1-based, as the
    loader found them), so that only the end of the section need be read again."""
    order = _KEYS[section]
    unknown = set(item) - set(order)
    if unknown:
        raise ValueError(f"not keys of {section}: {sorted(unknown)}")
    item = {k: item[k] for k in order if k in item}
    if lines:
        edited = _windowed(text, lines[-2:][0], None, lambda w, seq: (*_append(w, seq, item), _appended(item)))
        if edited is not None:
            return edited
    root = _root(text)
    entry = _get(root, section)
    nl = _newline(text)
    style = _style(root, text)
    if entry is None:  # a new section at the end of the file
        prefix = "" if not text or text.endswith("\n") else nl
        blank = nl if _sections_spaced(root, text) and not text.endswith(nl + nl) else ""
        body = _block_item(item, style.dash, style.gap, style.step, nl)
        new = text + prefix + blank + f"{section}:" + nl + body
        line = (text + prefix + blank).count("\n") + 2
    else:
        key, seq = entry
        if _is_null(seq):  # "section:" with nothing (or ~) after it: the first item under the key
            s, e = seq.start_mark.index, seq.end_mark.index
            bare = text[:s].rstrip(" ") + text[e:] if e > s else text
            at = _after(bare, key.end_mark.index)
            head = _line_end(bare[:at], nl)
            new = head + _block_item(item, key.start_mark.column + style.offset, style.gap, style.step, nl) + bare[at:]
            line = head.count("\n") + 1
        elif _is_seq(seq) and seq.flow_style:
            new, line = _add_to_flow_list(text, key, seq, item, style, nl)
        elif _is_seq(seq) and seq.value:
            new, line = _append(text, seq, item)
        else:
            raise _cannot(section)
    _check(text, new, lambda data: _with_item(data, section, item))
    return Edited(new, line)


def set_field(
    text: str,
    section: str,
    item_id: str,
    key: str,
    value: Value,
    lines: Sequence[int] = (),
    stale_note: Callable[[str], bool] | None = None,
) -> Edited:
    """``text`` with ``key`` of the item ``item_id`` of ``section`` set to ``value`` (added at the
    end of the item if it has no such key). ``lines``: where the item starts and where the next
    item of its section does (if there is one), as the loader found them; only those lines are
    read again. ``stale_note``: whether a ``# from '…'`` comment after the old value is import's
    note of what its cell said (then it goes with the value it explained)."""

    if lines:
        stop = lines[1] if len(lines) > 1 else None
        edited = _windowed(text, lines[0], stop, lambda w, seq: _set_in(w, seq, item_id, key, value, stale_note))
        if edited is not None:
            return edited
    root = _root(text)
    entry = _get(root, section)
    if entry is None:
        raise UserError(f"no {section[:-1]} {item_id} in the register")
    new, line, change = _set_in(text, entry[1], item_id, key, value, stale_note)
    _check(text, new, lambda data: change(data[section]))
    return Edited(new, line)


# What an edit does to the data of the list it edits (the section's items, as riskcli reads them).
Change: TypeAlias = Callable[[list[Any]], None]


def _appended(item: dict[str, Any]) -> Change:
    return lambda items: items.append(item)


def _set_at(index: int, key: str, value: Value) -> Change:
    def change(items: list[Any]) -> None:
        items[index][key] = value

    return change


def _append(text: str, seq: Node, item: dict[str, Any]) -> tuple[str, int]:
    """``item`` after the last item of a block list, laid out as that item is (and after a blank
    line if the list separates its items so)."""
    nl = _newline(text)
    last = seq.value[-1]
    dash_at = _dash_before(text, last.start_mark.index)
    if dash_at is None or not _same_line(text, dash_at, last.start_mark.index):
        raise UserError("cannot add to this list in place: its items do not start with '- ' on their first line")
    dash = _column(text, dash_at)
    gap = last.start_mark.column - dash
    at = _after(text, _last_end(last))
    spaced = len(seq.value) > 1 and _blank_between(text, _after(text, _last_end(seq.value[-2])), dash_at)
    if _is_map(last) and last.flow_style:
        body = " " * dash + "-" + " " * max(1, gap - 1) + _flow(item) + nl
    else:
        body = _block_item(item, dash, max(gap, 2), max(gap, 2), nl)
    head = _line_end(text[:at], nl)
    blank = nl if spaced else ""
    return head + blank + body + text[at:], (head + blank).count("\n") + 1


# The comment import writes beside a level it read from words or a percentage: ``# from 'likely'``.
_IMPORTED_FROM = re.compile(r"""[ \t]*# from ('[^'\r\n]*'|"[^"\r\n]*")[ \t]*(?=\r?\n|$)""")


def _set_in(
    text: str, seq: Node, item_id: str, key: str, value: Value, stale_note: Callable[[str], bool] | None = None
) -> tuple[str, int, Change]:
    """``key`` of the item ``item_id`` of the list ``seq`` set to ``value``; and that change to
    the list's data."""
    index = _find(seq, item_id)
    if index is None:
        raise UserError(f"no item {item_id} in the register")
    node = seq.value[index]
    nl = _newline(text)
    found = _get(node, key)
    if found is not None:
        old = found[1]
        if not _is_scalar(old) and not (_is_map(old) and old.flow_style and isinstance(value, (str, dict))):
            raise UserError(f"{item_id}: {key} is not a single value in the file; edit it in your editor")
        if getattr(old, "anchor", None):  # &name here, or *name repeating a value from elsewhere
            raise UserError(
                f"{item_id}: {key} is a YAML anchor or alias (&{old.anchor}) that other values share; "
                "edit it in your editor"
            )
        start, end = old.start_mark.index, old.end_mark.index
        span = text[start:end]
        keep = ""
        if getattr(old, "style", None) in ("|", ">"):  # a block scalar ends with its line breaks: keep them
            keep = span[len(span.rstrip("\r\n")) :] or nl
        if start == end:  # "key:" with nothing after it: the value goes after the colon
            start = end = text.index(":", found[0].end_mark.index) + 1
            keep, value_text = "", " " + _flow(value)
        else:
            value_text = _flow(value)
        rest = text[end:]
        note = _IMPORTED_FROM.match(rest) if stale_note is not None and not keep else None
        if note is not None and stale_note is not None and stale_note(note.group(1)[1:-1]):
            rest = rest[note.end() :]  # import's note of what the cell said explains the old value only
        new = text[:start] + value_text + keep + rest
    elif node.flow_style:
        end = _last_end(node.value[-1][1]) if node.value else node.start_mark.index + 1
        sep = ", " if node.value else ""
        new = text[:end] + f"{sep}{key}: {_flow(value)}" + text[end:]
    else:
        at = _after(text, _last_end(node))
        head = _line_end(text[:at], nl)
        new = head + " " * node.start_mark.column + f"{key}: {_flow(value)}" + nl + text[at:]
    return new, node.start_mark.line + 1, _set_at(index, key, value)


def _windowed(text: str, start: int, stop: int | None, edit: Any) -> Edited | None:
    """An edit made to a window of the file — from the line ``start`` to the line ``stop`` (the
    next item), or else to the next line at the left margin (the next section) — so that a large
    register is not read again whole. The window is a list of items on its own; ``edit`` gives the
    new window, the line of the item and what it changes in the window's data, which must be all
    that changes. None when the window cannot be edited so (the whole file is edited instead)."""
    from ruamel.yaml.error import YAMLError

    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    first = start - 1
    if not 0 <= first < len(offsets) - 1 or (stop is not None and not start < stop < len(offsets)):
        return None
    last = first + 1
    while last < len(offsets) - 1 and (stop is None or last < stop - 1):
        line = text[offsets[last] : offsets[last + 1]]
        if line[:1] not in ("", " ", "\t", "\r", "\n", "#") and not line.startswith(("- ", "-\n", "-\r")):
            break  # a top-level key, a document marker: the section ends here
        last += 1
    w0, w1 = offsets[first], offsets[last]
    window = text[w0:w1]
    try:
        from ruamel.yaml import YAML

        seq = YAML(typ="rt").compose(window)
        if not _is_seq(seq) or seq.flow_style or not seq.value:
            return None
        new_window, line, change = edit(window, seq)
        if not _same_data(window, new_window, change):
            return None
    except (UserError, YAMLError):
        return None
    return Edited(text[:w0] + new_window + text[w1:], first + line)


# --------------------------------------------------------------------------- ids, for completion


def item_ids(path: Path, section: str) -> list[tuple[str, str]]:
    """The ids (and titles) of a section's items, read cheaply for shell completion: no
    validation, no journal; a file that cannot be read gives none."""
    from riskcli.model import RiskcliError
    from riskcli.register.nodes import MappingNode, ScalarNode, SequenceNode
    from riskcli.register.source import compose, read_text

    try:
        root = compose(read_text(path, str(path)), str(path))
    except RiskcliError:
        return []
    if not isinstance(root, MappingNode):
        return []
    out: list[tuple[str, str]] = []
    for k, v in root.value:
        if not (isinstance(k, ScalarNode) and k.value == section and isinstance(v, SequenceNode)):
            continue
        for item in v.value:
            if not isinstance(item, MappingNode):
                continue
            fields = {
                a.value: b.value for a, b in item.value if isinstance(a, ScalarNode) and isinstance(b, ScalarNode)
            }
            ident = fields.get("id")
            if isinstance(ident, str) and ID_PATTERN.fullmatch(ident):
                out.append((ident, str(fields.get("title") or fields.get("statement") or "")))
    return out


def next_id(taken: Sequence[str], prefix: str) -> str:
    """The next free id of a section: one more than the highest number used with the section's
    usual prefix (``R18`` → ``R19``; zero-padding kept: ``R007`` → ``R008``), never a gap."""
    pattern = re.compile(r"([A-Za-z][A-Za-z_.:-]*?)(\d+)")
    counts: dict[str, int] = {}
    for ident in taken:
        m = pattern.fullmatch(ident)
        if m:
            counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    if counts:
        prefix = max(counts, key=lambda p: (counts[p], p == prefix))
    numbers = [m.group(2) for m in map(pattern.fullmatch, taken) if m and m.group(1) == prefix]
    width = len(numbers[0]) if numbers and numbers[0].startswith("0") else 0
    n = max((int(x) for x in numbers), default=0) + 1
    taken_set = set(taken)
    while f"{prefix}{n:0{width}d}" in taken_set:
        n += 1
    return f"{prefix}{n:0{width}d}"


# --------------------------------------------------------------------------- the text


@frozen
class _Style:
    """How a file lays out its lists: the dash's offset from its key (``dash``: its column under
    a top-level key), the gap from the dash to the item's keys, and one step of indentation."""

    offset: int = 2
    gap: int = 2
    step: int = 2
    dash: int = 2


def _style(root: Node, text: str) -> _Style:
    """The layout of the file's block lists of mappings (those of ``risks`` first)."""
    entries = sorted(root.value, key=lambda kv: kv[0].value != "risks") if _is_map(root) else []
    for k, v in entries:
        if _is_seq(v) and not v.flow_style and v.value and _is_map(v.value[0]):
            first = v.value[0]
            dash_at = _dash_before(text, first.start_mark.index)
            if dash_at is None or not _same_line(text, dash_at, first.start_mark.index):
                continue
            dash = _column(text, dash_at)
            gap = first.start_mark.column - dash
            offset = max(dash - k.start_mark.column, 0)
            return _Style(offset, max(gap, 2), max(gap, 2), k.start_mark.column + offset)
    return _Style()


def _block_item(item: dict[str, Any], dash: int, gap: int, step: int, nl: str) -> str:
    """An item as a block mapping under a dash at column ``dash``: its values in flow style, and
    lists of mappings (drivers, effects) as block lists of flow-valued mappings."""
    col = dash + gap
    lines: list[str] = []
    for key, v in item.items():
        if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            lines.append(f"{key}:")
            for sub in v:
                sub_lines = [f"{k}: {_flow(x)}" for k, x in sub.items()]
                lines.append(" " * step + "- " + sub_lines[0])
                lines.extend(" " * (step + 2) + s for s in sub_lines[1:])
        else:
            lines.append(f"{key}: {_flow(v)}")
    first = " " * dash + "-" + " " * (gap - 1) + lines[0]
    return nl.join([first, *(" " * col + s for s in lines[1:])]) + nl


def _flow(value: Value) -> str:
    """A value in YAML flow style on one line. Text and numbers are written by ruamel.yaml's
    emitter under YAML 1.1 and read back by riskcli's loader; text that would read back as
    anything else (a NEL, which YAML 1.1 folds into a space) is written double-quoted with
    escapes. Mappings and lists are put together around them."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(x) for x in value) + "]"
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"not a register value: {value!r}")
    from ruamel.yaml import YAML

    y = YAML(typ="rt")
    y.version = (1, 1)
    y.width = 1 << 30  # one line, whatever its length
    y.default_flow_style = True
    buf = io.StringIO()
    y.dump([str(value) if isinstance(value, str) else value], buf)
    out = re.sub(r"\A%YAML[^\n]*\n---\s*", "", buf.getvalue()).strip()
    if not (out.startswith("[") and out.endswith("]")) or "\n" in out:
        raise UserError(f"cannot write {value!r} on one line")
    out = out[1:-1]
    if _read("[" + out + "]") != [value] and isinstance(value, str):
        out = _double_quoted(value)
    if _read("[" + out + "]") != [value]:
        raise UserError(f"cannot write {value!r} so that riskcli reads it back")
    return out


def _double_quoted(text: str) -> str:
    """``text`` double-quoted, everything but printable characters escaped (YAML 1.1 escapes)."""
    out = []
    for c in text:
        o = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif c.isprintable() and c != "\ufeff":
            out.append(c)
        else:
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
    return '"' + "".join(out) + '"'


def _add_to_flow_list(text: str, key: Node, seq: Node, item: dict[str, Any], style: _Style, nl: str) -> tuple[str, int]:
    if seq.value:  # [{...}, {...}]: one more, before the closing bracket
        end = seq.value[-1].end_mark.index
        new = text[:end] + ", " + _flow(item) + text[end:]
        return new, seq.value[-1].start_mark.line + 1
    # []: becomes a block list under the key (a comment after the brackets stays on the key's line)
    head = text[: seq.start_mark.index].rstrip(" ") + text[seq.end_mark.index : _after(text, seq.end_mark.index)]
    body = _block_item(item, key.start_mark.column + style.offset, style.gap, style.step, nl)
    head = _line_end(head, nl)
    return head + body + text[_after(text, seq.end_mark.index) :], head.count("\n") + 1


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _line_end(head: str, nl: str) -> str:
    """``head`` ending with a line break (a file's last line may lack one)."""
    return head if not head or head.endswith("\n") else head + nl


def _after(text: str, index: int) -> int:
    """The start of the line after the one ``index`` is on (the end of the text at the last)."""
    if index > 0 and text[index - 1] == "\n":
        return index
    nl = text.find("\n", index)
    return len(text) if nl < 0 else nl + 1


def _last_end(node: Node) -> int:
    """Where a node's own text ends: for a block collection, the end of its last value (its
    end mark lies beyond the comments and blank lines that follow it)."""
    if (_is_map(node) or _is_seq(node)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _last_end(last[1] if isinstance(last, tuple) else last)
    return int(node.end_mark.index)


def _dash_before(text: str, index: int) -> int | None:
    """The index of the ``-`` that introduces a block list item starting at ``index``."""
    i = index - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return i if i >= 0 and text[i] == "-" else None


def _column(text: str, index: int) -> int:
    return index - (text.rfind("\n", 0, index) + 1)


def _same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[a:b]


def _sections_spaced(root: Node, text: str) -> bool:
    """Whether the file separates its top-level sections with blank lines."""
    pairs = zip(root.value, root.value[1:], strict=False)
    return any(_blank_between(text, _after(text, _last_end(v)), k.start_mark.index) for (_, v), (k, _) in pairs)


def _blank_between(text: str, start: int, end: int) -> bool:
    """Whether a blank line lies between two items (the register separates its items so)."""
    return any(not line.strip() for line in text[start:end].split("\n")[:-1])


# --------------------------------------------------------------------------- nodes


def _root(text: str) -> Node:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        root = YAML(typ="rt").compose(text)
    except YAMLError as e:  # riskcli's loader read it; ruamel.yaml reads YAML 1.2 and may differ
        raise UserError(f"cannot edit this file in place ({str(e).splitlines()[0]}); edit it in your editor") from None
    if root is None or not _is_map(root) or root.flow_style:
        raise UserError("cannot edit this file in place: its top level is not a block mapping; edit it in your editor")
    return root


def _is_map(node: Any) -> bool:
    from ruamel.yaml.nodes import MappingNode

    return isinstance(node, MappingNode)


def _is_seq(node: Any) -> bool:
    from ruamel.yaml.nodes import SequenceNode

    return isinstance(node, SequenceNode)


def _is_scalar(node: Any) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return isinstance(node, ScalarNode)


def _is_null(node: Node) -> bool:
    return _is_scalar(node) and str(node.tag).endswith(":null")


def _get(mapping: Node, key: str) -> tuple[Node, Node] | None:
    for k, v in mapping.value:
        if _is_scalar(k) and k.value == key:
            return k, v
    return None


def _find(seq: Node, item_id: str) -> int | None:
    """The index of the item whose id is written ``item_id`` (riskcli reads ids as written)."""
    if not _is_seq(seq):
        return None
    for i, item in enumerate(seq.value):
        if _is_map(item):
            found = _get(item, "id")
            if found is not None and _is_scalar(found[1]) and found[1].value == item_id:
                return i
    return None


def _cannot(section: str) -> UserError:
    return UserError(f"cannot add to {section} in place: it is not a list riskcli can extend; edit it in your editor")


# --------------------------------------------------------------------------- the check


def _check(old: str, new: str, change: Callable[[Any], None]) -> None:
    """The new text, read as data, is the old one with exactly the change asked for."""
    if not _same_data(old, new, change):
        raise UserError("cannot edit this file in place without changing more than asked; edit it in your editor")


def _same_data(old: str, new: str, change: Callable[[Any], None]) -> bool:
    """Whether ``new`` reads, as riskcli reads it, as ``old`` changed by ``change``."""
    from riskcli.perf import gc_paused

    with gc_paused():
        expected = _read(old)
        if expected is _UNREADABLE:
            return False
        change(expected)
        return bool(_read(new) == expected)


class _Nan:
    """Every NaN of a text, read as one value (``float("nan")`` equals nothing, itself included)."""

    def __repr__(self) -> str:
        return "nan"


_NAN = _Nan()
_UNREADABLE = _Nan()


def _read(text: str) -> Any:
    """A text's data as riskcli's loader reads it: composed by the same parser, mapping keys as
    written, text (dates too) as written, numbers and the rest as riskcli's walker reads them —
    never by another YAML version's rules. ``_UNREADABLE`` when the text is not one YAML document."""
    from riskcli.model import RiskcliError
    from riskcli.register.nodes import MappingNode, ScalarNode, SequenceNode
    from riskcli.register.source import compose
    from riskcli.register.walker import Abort, Bad, Reader

    try:
        root = compose(text, "(edited)")
    except RiskcliError:
        return _UNREADABLE
    reader = Reader("(edited)", text)

    def plain(node: Any) -> Any:
        if isinstance(node, MappingNode):
            return {
                (k.value if isinstance(k, ScalarNode) else ("key", k.start_mark.index)): plain(v) for k, v in node.value
            }
        if isinstance(node, SequenceNode):
            return [plain(x) for x in node.value]
        v = reader.scalar(node, "")
        if isinstance(v, Bad):  # a tag riskcli refuses: its tag and text, as written
            return (node.tag, node.value)
        return _NAN if isinstance(v, float) and v != v else v

    try:
        return plain(root)
    except (Abort, RecursionError):
        return _UNREADABLE


def _with_item(data: dict[str, Any], section: str, item: dict[str, Any]) -> None:
    if data.get(section) is None:
        data[section] = []
    data[section].append(item)
