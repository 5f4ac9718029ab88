"""Registers written as YAML text: plain and readable, with a header comment, keys in the format's
usual order, long text folded — and read back before they are trusted.

``register_yaml`` turns a ``Register`` into the text of a register file (``import`` writes a new
one from a spreadsheet; ``export --format yaml`` writes the register with its current scores as
comments). Every text is checked by loading it again and comparing the result with what was
meant; a difference falls back to quoted scalars, and a second difference is an error, never a
silently different register.

A risk whose values are all plain text, numbers and short lists (most risks of most registers) is
written directly, line for line as PyYAML's emitter writes it (``_direct``; PyYAML's pure-Python
emitter costs many times the text it writes). Such an item reads back as written by construction,
so the text loaded again holds only the first of them, beside everything PyYAML wrote; what reading
the others would check across items (ids, levels on their scales, declared categories and actors)
is checked on the model.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from riskcli.model import Band, OperationalError, Register, RiskcliError, Rules, Scale
from riskcli.register.fields import REGISTER
from riskcli.register.kinds import Flow, FlowList, Section, write_item
from riskcli.register.rules_formats import default_rules
from riskcli.register.source import compose
from riskcli.scoring import Scored

FOLD = 88  # text longer than this is written folded (``>``), wrapped at WIDTH
WIDTH = 100

# Characters YAML would write as they are but a terminal or an editor may act on: C1 controls,
# bidi marks and overrides, invisible formatting characters, line and paragraph separators, tag
# characters. A text holding one is written double-quoted with the character as a \u escape.
_UNSAFE = re.compile("[\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\U000e0000-\U000e007f]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR = "tag:yaml.org,2002:str"


class _Dumper(yaml.SafeDumper):
    """Block sequences indented under their key, as people write them."""

    block_text = True  # literal and folded styles for long or multi-line text

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _PlainDumper(_Dumper):
    """The fallback: no literal or folded text."""

    block_text = False


def _represent_str(dumper: _Dumper, s: str) -> yaml.ScalarNode:
    style: str | None = None
    if _UNSAFE.search(s):
        style = '"'
    elif _DATE.fullmatch(s):  # as_of: 2025-01-31 reads back as this text: no quotes needed
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", s)
    elif dumper.block_text and "\n" in s.strip("\n"):
        style = "|"
    elif dumper.block_text and len(s) > FOLD:
        style = ">"
    return dumper.represent_scalar(_STR, s, style=style)


def _represent_flow(dumper: _Dumper, d: Flow) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", d.items(), flow_style=True)


def _represent_flow_list(dumper: _Dumper, items: FlowList) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=True)


for _d in (_Dumper, _PlainDumper):
    _d.add_representer(str, _represent_str)
    _d.add_representer(Flow, _represent_flow)
    _d.add_representer(FlowList, _represent_flow_list)


# --------------------------------------------------------------------------- the model as data


def _num(x: float) -> int | float:
    """A number as people write it: ``-1``, not ``-1.0``."""
    return int(x) if float(x).is_integer() and abs(x) < 2**53 else x


def _put(d: dict[str, Any], key: str, value: Any) -> None:
    """Set ``key`` unless the value is empty (the format's default)."""
    if value in ("", None, (), [], {}):
        return
    d[key] = value


def _scale(s: Scale) -> list[Any]:
    out = []
    for lv in s.levels:
        item: dict[str, Any] = {"value": lv.value, "name": lv.name}
        _put(item, "aliases", FlowList(lv.aliases))
        _put(item, "description", lv.description)
        if lv.low is not None and lv.high is not None:
            item["probability"] = FlowList([_num(lv.low), _num(lv.high)])
        out.append(item)
    return out


def _band(b: Band) -> Flow:
    out = Flow(id=b.id, name=b.name)
    _put(out, "aliases", FlowList(b.aliases))
    out["color"] = b.color
    return out


def _rules_data(rules: Rules) -> dict[str, Any]:
    return {
        "scales": {"likelihood": _scale(rules.likelihood), "impact": _scale(rules.impact)},
        "rating": {
            "bands": [_band(b) for b in rules.rating.bands],
            "grid": [FlowList(row) for row in rules.rating.grid],
        },
    }


# --------------------------------------------------------------------------- text


def _dump(data: Any, dumper: type[_Dumper]) -> str:
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=WIDTH, default_flow_style=False)


def _escape_unsafe(text: str) -> str:
    """Write the characters of ``_UNSAFE`` as escapes: every text holding one is double-quoted."""

    def esc(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}"

    return _UNSAFE.sub(esc, text)


def comment(text: str, limit: int = 200) -> str:
    """Text fit for a YAML comment: one line of printable characters."""
    s = "".join(c if c.isprintable() and not _UNSAFE.match(c) else " " for c in text).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


# --------------------------------------------------------------------------- items written directly

# A text written plain (or folded, when long) exactly as PyYAML writes it, which reads back as the
# same text: it starts with a letter; it holds letters, digits, punctuation that is no indicator
# inside a plain scalar, and single spaces between words. A word YAML 1.1 reads as a boolean or
# null is left to PyYAML (which quotes it), as is every other text.
_NOT_PLAIN = re.compile(r"[^A-Za-z0-9.,;()/'&+%_ -]|  ")  # a character that is not, or two spaces
_NOT_FLOW_PLAIN = re.compile(r"[^A-Za-z0-9._-]")
_KEY_MAX = 60  # a key longer than this is left to PyYAML (a simple key is at most 128 characters)
_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})


def _plain(text: str, not_plain: re.Pattern[str] = _NOT_PLAIN) -> bool:
    return (
        text[:1].isalpha()
        and text[0].isascii()
        and text[-1] != " "
        and not_plain.search(text) is None
        and (len(text) > 5 or text.lower() not in _WORDS)
    )


@functools.lru_cache(maxsize=256)
def _plain_key(key: str) -> bool:
    return len(key) <= _KEY_MAX and _plain(key)


def _words(line: str, words: list[str], indent: int, out: list[str]) -> str:
    """Words after ``line`` as PyYAML's emitter writes them at width WIDTH: a space between two
    words becomes a line break (to ``indent``) when the line is already past WIDTH."""
    line += words[0]
    for w in words[1:]:
        if len(line) > WIDTH:
            out.append(line)
            line = " " * indent + w
        else:
            line += " " + w
    return line


def _value(head: str, value: Any, indent: int, block_text: bool, out: list[str]) -> bool:
    """``head`` (``key:``) and its value as lines of ``out``; False for a value left to PyYAML."""
    if type(value) is int:
        out.append(f"{head} {value}")
        return True
    if type(value) is float:
        text = repr(value)
        if "." not in text or not text.replace(".", "").lstrip("-").isdigit():
            return False
        out.append(f"{head} {text}")
        return True
    if type(value) is str:
        if not _plain(value):  # (a date begins with a digit)
            return False
        words = value.split(" ")
        if block_text and len(value) > FOLD:  # folded: ``>-``, then the words from the next line
            out.append(f"{head} >-")
            out.append(_words(" " * indent, words, indent, out))
        else:
            out.append(_words(f"{head} ", words, indent, out))
        return True
    if type(value) is FlowList:
        if not value or not all(type(x) is str and _plain(x, _NOT_FLOW_PLAIN) for x in value):
            return False
        line = f"{head} [{', '.join(value)}]"
        if len(line) > WIDTH - 20:  # a flow sequence past the width is broken: left to PyYAML
            return False
        out.append(line)
        return True
    return False


def _direct(data: Mapping[str, Any], block_text: bool) -> list[str] | None:
    """The lines ``yaml.dump([data])`` writes with riskcli's dumper, written directly, for an item
    whose keys and values are all of the kinds above (and mappings of them): None otherwise.
    (PyYAML's pure-Python emitter costs far more than the text it writes.)"""
    out: list[str] = []
    for n, (key, value) in enumerate(data.items()):
        if type(key) is not str or not _plain_key(key):
            return None
        head = f"{'- ' if n == 0 else '  '}{key}:"
        if type(value) is dict:  # a block mapping under the key, its keys two columns in
            if not value:
                return None
            out.append(head)
            for k, v in value.items():
                if type(k) is not str or not _plain_key(k):
                    return None
                if not _value(f"    {k}:", v, 6, block_text, out):
                    return None
        elif not _value(head, value, 4, block_text, out):
            return None
    return out if out else None


def _item(
    data: dict[str, Any], dumper: type[_Dumper], above: Sequence[str], inline: Mapping[str, str]
) -> tuple[str, bool]:
    """One list item, indented under its section, with comments above it and beside its keys;
    and whether it was written directly (``_direct``)."""
    lines = _direct(data, dumper.block_text)
    direct = lines is not None
    if lines is None:
        lines = _dump([data], dumper).splitlines()
    for key, note in inline.items():
        value = data.get(key)
        if (isinstance(value, int) and not isinstance(value, bool)) or value == "unassessed":  # `  key: N`
            target = f"  {key}: {value}"
            hits = [i for i, line in enumerate(lines) if line == target]
            if len(hits) == 1:
                lines[hits[0]] += f"  # {comment(note)}"
    out = [f"  # {comment(c)}" for c in above]
    out += [f"  {line}" if line else "" for line in lines]
    return "\n".join(out) + "\n", direct


def _section(
    key: str,
    items: Sequence[dict[str, Any]],
    dumper: type[_Dumper],
    above: Mapping[int, Sequence[str]],
    inline: Mapping[int, Mapping[str, str]],
    spaced: bool,
) -> tuple[str, str, set[int]]:
    """The section's text; the same without the items written directly but the first of them
    (what is read back); and the indices of the items it leaves out."""
    if not items:
        return "", "", set()
    parts = [_item(x, dumper, above.get(i, ()), inline.get(i, {})) for i, x in enumerate(items)]
    first = next((i for i, (_, direct) in enumerate(parts) if direct), None)
    left_out = {i for i, (_, direct) in enumerate(parts) if direct and i != first}
    sep = "\n" if spaced else ""
    whole = f"{key}:\n" + sep.join(text for text, _ in parts)
    if not left_out:
        return whole, whole, left_out
    return whole, f"{key}:\n" + sep.join(text for i, (text, _) in enumerate(parts) if i not in left_out), left_out


def register_yaml(
    reg: Register,
    *,
    header: Sequence[str] = (),
    above: Mapping[str, Sequence[str]] | None = None,
    inline: Mapping[str, Mapping[str, str]] | None = None,
    rules_path: Path | None = None,
) -> str:
    """The text of a register file for ``reg``: ``header`` lines as a comment at the top,
    ``above[risk id]`` as comment lines above a risk, ``inline[risk id][key]`` beside a level.

    The scales and rating are written only when they differ from riskcli's defaults. The text
    is read back (with ``rules_path`` as ``--rules``, as ``reg`` was) and must give ``reg``."""
    above = above or {}
    inline = inline or {}
    for dumper in (_Dumper, _PlainDumper):
        text, checked, left_out = _text(reg, dumper, header, above, inline)
        meant = reg
        if left_out:  # the risks written directly, but one, are not read back: they read as written
            n = len(reg.risks)
            meant = dataclasses.replace(
                reg,
                risks=tuple(r for i, r in enumerate(reg.risks) if i not in left_out),
                unassessed=tuple(u for i, u in enumerate(reg.unassessed, n) if i not in left_out),
            )
        if _reads_back(checked, meant, rules_path) and _plausible(reg, left_out):
            return text
        if left_out and _reads_back(text, reg, rules_path):  # another part names a risk left out (an effect on it)
            return text
    raise OperationalError(f"could not write {reg.path} as YAML that reads back the same (please report this)")


def _text(
    reg: Register,
    dumper: type[_Dumper],
    header: Sequence[str],
    above: Mapping[str, Sequence[str]],
    inline: Mapping[str, Mapping[str, str]],
) -> tuple[str, str, set[int]]:
    """The register's fields in the table's order: the first values together, then each section
    (and each value after a section) as a block of its own, after a blank line. Also the text to
    read back — without the risks written directly but one — and the indices of the risks (then
    those not yet assessed) it leaves out."""
    blocks: list[str] = []
    checked: list[str] = []  # the blocks read back
    left_out: set[int] = set()
    values: dict[str, Any] = {}

    def flush() -> None:
        if values:
            blocks.append(_dump(values, dumper))
            checked.append(blocks[-1])
            values.clear()

    base = default_rules()
    for f in REGISTER.fields:
        if f.key == "format":
            values["format"] = format_needed(reg)
        elif f.key == "scales":  # the rules (scales and rating), when they are not riskcli's defaults
            rules = reg.rules
            if rules.likelihood != base.likelihood or rules.impact != base.impact or rules.rating != base.rating:
                flush()
                blocks.append(_dump(_rules_data(rules), dumper))
                checked.append(blocks[-1])
        elif f.key == "rating":
            continue
        elif isinstance(f.kind, Section):
            flush()
            item, objs = f.kind.item, getattr(reg, f.name)
            if f.key == "risks":  # those not yet assessed are risks too, after the others
                objs = (*objs, *reg.unassessed)
            data = [write_item(item, x) for x in objs]
            if not data:
                continue
            if item.flow:  # short items (actors): one line each, not spaced
                blocks.append(_dump({f.key: data}, dumper))
                checked.append(blocks[-1])
                continue
            at = {i: above.get(x.id, ()) for i, x in enumerate(objs)} if f.key == "risks" else {}
            beside = {i: inline.get(x.id, {}) for i, x in enumerate(objs)} if f.key == "risks" else {}
            whole, read, out = _section(f.key, data, dumper, at, beside, spaced=True)
            blocks.append(whole)
            if f.key == "risks":
                checked.append(read)
                left_out = out
            else:
                checked.append(whole)
        else:
            _put(values, f.key, f.kind.write(getattr(reg, f.name)))
    flush()
    parts = "".join(f"# {comment(line)}\n" if line else "#\n" for line in header)
    text = _escape_unsafe(parts + "\n".join(blocks))
    return text, (_escape_unsafe(parts + "\n".join(checked)) if left_out else text), left_out


# --------------------------------------------------------------------------- reading back


def read_back(text: str, shown: str, rules_path: Path | None = None) -> Register:
    """The register a text holds, validated as ``riskcli validate`` would (RegisterError if not)."""
    from riskcli.register.sections import _build

    return _build(compose(text, shown), shown, text, default_rules(), rules_path, False)


def comparable(reg: Register) -> Register:
    """A register without what depends on where it was read: its path and line numbers."""
    return dataclasses.replace(
        reg,
        path="",
        embedded=False,
        risks=tuple(dataclasses.replace(r, line=0) for r in reg.risks),
        unassessed=tuple(dataclasses.replace(u, line=0) for u in reg.unassessed),
        assumptions=tuple(dataclasses.replace(a, line=0) for a in reg.assumptions),
        indicators=tuple(dataclasses.replace(i, line=0) for i in reg.indicators),
        responses=tuple(dataclasses.replace(m, line=0) for m in reg.responses),
        scenarios=tuple(dataclasses.replace(s, line=0) for s in reg.scenarios),
        categories=tuple(dataclasses.replace(c, line=0) for c in reg.categories),
    )


def _plausible(reg: Register, left_out: set[int]) -> bool:
    """What reading back the risks left out would check across items: no two risks (assessed or
    not) share an id, each level is on its scale, a category or an actor is declared when the
    register declares them."""
    ids = [r.id for r in reg.risks] + [u.id for u in reg.unassessed]
    if len(set(ids)) != len(ids):
        return False
    nl, ni = reg.rules.likelihood.size, reg.rules.impact.size
    categories = {c.id for c in reg.categories}
    actors = {a.id for a in reg.actors}
    n = len(reg.risks)
    for i in left_out:
        r = reg.risks[i] if i < n else reg.unassessed[i - n]
        if any(lv is not None and not 1 <= lv <= size for lv, size in ((r.likelihood, nl), (r.impact, ni))):
            return False
        if (categories and r.category and r.category not in categories) or (actors and not actors.issuperset(r.actors)):
            return False
    return True


def _reads_back(text: str, reg: Register, rules_path: Path | None) -> bool:
    try:
        back = read_back(text, reg.path or "(new register)", rules_path)
    except RiskcliError:  # it does not read back: try the plainer form
        return False
    return comparable(back) == comparable(reg)


# --------------------------------------------------------------------------- import and export


def import_text(
    reg: Register,
    *,
    source: str,
    sheet: str | None,
    said: Mapping[str, Mapping[str, str]],
    today: str,
    rules_path: Path | None = None,
) -> str:
    """A register imported from a table on ``today``: a header saying where from, and beside each level read
    from a word or a probability, what the cell said."""
    where = f"{source}, sheet {sheet}" if sheet is not None else source
    header = [
        f"A riskcli risk register imported from {where} on {today}.",
        "Check it with:  riskcli validate THIS_FILE",
        "See it with:    riskcli matrix --register THIS_FILE",
        "Columns that are not risk fields are kept under each risk's `extra:`.",
    ]
    if rules_path is not None:
        header.append(f"Levels are on the scales of {rules_path}, written below with its rating: no --rules needed.")
    inline = {rid: {key: f"from {text!r}" for key, text in keys.items()} for rid, keys in said.items()}
    return register_yaml(reg, header=header, inline=inline, rules_path=rules_path)


def export_text(
    reg: Register,
    current: Sequence[Scored],
    inherent: Sequence[Scored] | None,
    *,
    applied: Sequence[str],
    today: str,
    rules_path: Path | None = None,
) -> str:
    """The register itself — its baseline levels, assumptions, drivers, responses — with each
    risk's current score as a comment above it: a register that reads back the same, journal
    and all, and says where each risk stands now."""
    header = [
        f"A riskcli risk register, exported from {reg.path} on {today}.",
        "The levels are the register's baseline, as in the original; the comment above each risk gives",
        "its current score when exported (the baseline with the journal replayed). riskcli reads no comment:",
        "the journal beside the original still gives the current state.",
    ]
    if applied:
        header.append(f"Responses applied: {', '.join(applied)}; 'inherent' is the score without them.")
    if rules_path is not None:
        header.append(f"Scored with --rules {rules_path}; its scales and rating are written below.")
    above: dict[str, list[str]] = {}
    for i, x in enumerate(current):
        line = f"now: {_levels(x)}"
        if inherent is not None and (inherent[i].likelihood, inherent[i].impact) != (x.likelihood, x.impact):
            line += f"; inherent: {_levels(inherent[i])}"
        above[x.risk.id] = [line]
    return register_yaml(reg, header=header, above=above, rules_path=rules_path)


def _levels(x: Scored) -> str:
    def fmt(v: float) -> str:
        return f"{v:.0f}" if abs(v - round(v)) < 0.005 else f"{v:.2f}".rstrip("0")

    return f"likelihood {fmt(x.likelihood)}, impact {fmt(x.impact)} → cell {x.cell[0]},{x.cell[1]} {x.band.name}"


def format_needed(reg: Register) -> int:
    """The format a register's content needs: 2 when it uses a key format 2 added (signposts,
    support, confidence, excludes, given, acknowledge: ``walker.FORMATS``), else 1."""
    two = (
        bool(reg.acknowledged)
        or any(i.bears_on for i in reg.indicators)
        or any(a.support or a.excludes or a.given is not None for a in reg.assumptions)
        or any(r.confidence is not None for r in reg.risks)
    )
    return 2 if two else 1
