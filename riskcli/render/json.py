"""JSON for scripts: every result serialized by one function, from the result objects alone.

A dataclass becomes an object of its fields in order (a trailing ``_`` is dropped from a name:
``from_`` is ``"from"``), an enum its value, a tuple an array; floats are rounded to 9 decimal
places so that 0.1 + 0.2 prints as 0.3. A top-level result is preceded by its schema name,
``"schema": "riskcli/<view>/<version>"``.

Piped, the JSON is compact (no spaces, one line), made by the json module's C encoder; indented
(two spaces), for a person, on a terminal or with ``--indent`` — which takes the json module's
pure-Python encoder, several times slower. The text is written in chunks and every write is
checked, so a huge result is never cut short silently.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from enum import Enum
from typing import Any, TextIO

from riskcli.results.shapes.common import VERSION

_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}
# C1 controls and bidi overrides are escaped too: JSON is often read in a terminal.
_SURROGATE = re.compile("[\ud800-\udfff]")
_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def schema_name(cls: type) -> str:
    """``riskcli/<view>/<version>``: a result's own ``SCHEMA_VERSION``, else the first."""
    return f"riskcli/{cls.SCHEMA}/{getattr(cls, 'SCHEMA_VERSION', VERSION)}"  # type: ignore[attr-defined]


def _fields(cls: type) -> tuple[tuple[str, str], ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = tuple((f.name, f.name.rstrip("_")) for f in dataclasses.fields(cls))
        _FIELDS[cls] = names
    return names


def to_data(x: Any) -> Any:
    """A result (or any part of one) as plain JSON values."""
    if x is None or x is True or x is False or type(x) is str or type(x) is int:
        return x
    if isinstance(x, Enum):
        return x.value
    if type(x) is float:
        return round(x, 9) + 0.0  # + 0.0: never -0.0
    if isinstance(x, (tuple, list)):
        return [to_data(i) for i in x]
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {key: to_data(getattr(x, name)) for name, key in _fields(type(x))}
    if isinstance(x, Mapping):
        return {str(k): to_data(v) for k, v in x.items()}
    if isinstance(x, Sequence) and not isinstance(x, (str, bytes)):  # built as read (history's events)
        return [to_data(i) for i in x]
    if isinstance(x, (str, int, float)):  # subclasses
        return to_data(type(x).__mro__[1](x)) if not isinstance(x, bool) else bool(x)
    raise TypeError(f"cannot serialize {type(x).__name__}")


def document(result: Any) -> dict[str, Any]:
    """A top-level result as the JSON object printed: its schema name first."""
    return {"schema": schema_name(type(result)), **to_data(result)}


def chunks(data: Any, *, indent: bool = True) -> Iterator[str]:
    """JSON text of plain data, and a newline, in pieces of 64 KiB."""
    if indent:
        text = json.dumps(data, ensure_ascii=False, indent=2)
    else:  # with no indent, the C encoder
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = _safe(text + "\n")
    step = 1 << 16
    for at in range(0, len(text), step):
        yield text[at : at + step]


def _safe(text: str) -> str:
    text = _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (a non-UTF-8 file name, say): no stream can write it
        text = _SURROGATE.sub("\ufffd", text)
    return text


def write(result: Any, out: TextIO, *, indent: bool = False) -> None:
    """Print a result as JSON on ``out`` (compact, or indented); an error while writing
    propagates (never a silent cut)."""
    for chunk in chunks(document(result), indent=indent):
        out.write(chunk)
    out.flush()
