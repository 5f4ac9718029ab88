"""The register's sections — actors, assumptions, risks, indicators, responses, scenarios — read
from YAML nodes into the model, every reference checked.

What each field is and how its value is read is declared once, in ``fields``; here the table is
compiled into readers (once per process) and the register is read section by section, in the
table's order (every section's references point to sections read before it). What spans several
items — ``excludes``, ``given`` — is checked once every item is read.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from riskcli.model import Assumption, Category, Register, Response, Risk, Rules, Unassessed
from riskcli.perf import gc_paused
from riskcli.register.fields import REGISTER
from riskcli.register.kinds import Context, Item, Read, ReadItem, Section, compile_item
from riskcli.register.nodes import MappingNode, Node, ScalarNode
from riskcli.register.rules_formats import default_rules, load_rules_file, merge_rules
from riskcli.register.source import EMBEDDED, compose, embedded_register_path, read_text
from riskcli.register.walker import BAD, INT, NULL, STR, Abort, Reader, raise_if, short
from riskcli.rules import normalise


def load(
    path: str | os.PathLike[str] | None = None,
    rules_path: str | os.PathLike[str] | None = None,
    *,
    text: str | None = None,
) -> Register:
    """Load and validate a register (the embedded one when ``path`` is None); ``text``: the file's
    text, when the caller has read it already.

    Raises ``RegisterError`` listing every problem found, or ``UserError`` for a missing file.
    """
    embedded = path is None
    if path is None:
        p, shown = embedded_register_path(), f"{EMBEDDED} register.yaml"
    else:
        p, shown = Path(path), str(path)
    base = default_rules()
    if text is None:
        text = read_text(p, shown)
    with gc_paused():
        root = compose(text, shown)
        rules_override = None
        if rules_path is not None:
            rules_override = Path(rules_path)
        return _build(root, shown, text, base, rules_override, embedded)


def load_text(text: str, shown: str, rules_path: str | os.PathLike[str] | None = None) -> Register:
    """Validate a register given as text (an edit, before it is written); problems name ``shown``."""
    with gc_paused():
        root = compose(text, shown)
        return _build(root, shown, text, default_rules(), Path(rules_path) if rules_path is not None else None, False)


def _build(root: Node, shown: str, text: str, base: Rules, rules_override: Path | None, embedded: bool) -> Register:
    r = Reader(shown, text)
    reg: Register | None = None
    with contextlib.suppress(Abort):
        reg = _read_register(r, root, base, rules_override, embedded)
    raise_if(r)
    assert reg is not None
    return reg


# --------------------------------------------------------------------------- the compiled table


# A top-level field's reader: (reader, its value's node, context) → its value, or BAD.
ReadTop = Callable[[Reader, Node, Context], Any]


@functools.cache
def compiled() -> tuple[tuple[str, str, ReadTop], ...]:
    """The register's top-level fields, in the table's order, each with the name it has in the
    model and its reader: made once per process (the readers are pure). The format and the rules
    (scales, rating) come first, since reading the rest needs the rules."""
    out: list[tuple[str, str, ReadTop]] = []
    for f in REGISTER.fields:
        if f.key in ("scales", "rating"):  # merge_rules reads them
            continue
        if isinstance(f.kind, Section):
            out.append((f.key, f.name, _section_reader(f.key, f.kind.item)))
        else:
            out.append((f.key, f.name, _top_reader(f.kind.reader(f.key, REGISTER.join))))
    assert out[0][0] == "format", "the format is the register's first field"
    return tuple(out)


def _top_reader(read: Read) -> ReadTop:
    return lambda r, node, ctx: read(r, node, "", ctx)  # top-level values are named by their key alone


def _section_reader(key: str, item: Item) -> ReadTop:
    read_item = compile_item(item)
    return lambda r, node, ctx: read_section(r, node, key, item, read_item, ctx)


def read_section(r: Reader, node: Node, key: str, item: Item, read_item: ReadItem, ctx: Context) -> Any:
    """A section's items. Every id given is declared in ``ctx.ids[key]``, even that of an item with
    other problems, so that references to it are not reported as unknown as well."""
    declared = ctx.ids.setdefault(key, set())
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return ()
    children = r.sequence(node, key)
    if children is None:
        return ()
    what, keys = item.name, item.keys
    out: list[Any] = []
    seen: dict[str, int] = {}
    # Each item's nodes are let go once it is read: the model keeps the text and the lines it
    # needs, never a node, so a large register's peak memory is about its nodes or its model,
    # not both. Not in a file with anchors, where an alias may reach the same nodes again.
    release: list[Any] | None = children if r.seen is None else None
    for i, child in enumerate(children, start=1):
        if release is not None:
            release[i - 1] = None
        where = ""  # how its problems name it: by its id, else its place
        if isinstance(child, MappingNode):
            for k, v in child.value:
                if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode) and v.tag in (STR, INT):
                    where = f"{what} {short(v.value, 30)[1:-1]}"
                    break
        if not where:
            where = f"{what} #{i}"
        mm = r.mapping(child, where, keys, ("id",))
        if mm is None or "id" not in mm:
            continue
        ident = r.ident(mm["id"][1], f"{what} id")
        if ident is None:
            continue
        where = f"{what} {ident}"
        line = child.start_mark.line + 1
        if ident in seen:
            r.err(mm["id"][1], f"duplicate {what} id {short(ident)} (first at line {seen[ident]})")
            read_item(r, child, where, ctx, mm, ident, line)  # its own problems are reported too
            continue
        seen[ident] = line
        declared.add(ident)
        obj = read_item(r, child, where, ctx, mm, ident, line)
        if obj is not BAD:
            out.append(obj)
    return tuple(out)


# --------------------------------------------------------------------------- the register


def _read_register(r: Reader, root: Node, base: Rules, rules_override: Path | None, embedded: bool) -> Register | None:
    if isinstance(root, MappingNode) and not any(
        isinstance(k, ScalarNode) and k.value == "risks" for k, _ in root.value
    ):
        keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
        if keys & {"words", "review_every", "objects"} or (keys and keys <= {"format", "scales", "rating"}):
            r.err(root, "this looks like a rules file, not a register (no 'risks'): pass it with --rules FILE")
            return None
    m = r.mapping(root, "register", REGISTER.keys, REGISTER.required)
    if m is None:
        return None
    top = compiled()
    if "format" in m:
        top[0][2](r, m["format"][1], Context(base))
    rules = merge_rules(r, m, base) if ("scales" in m or "rating" in m) else base
    if rules_override is not None and rules is not None:
        rules = load_rules_file(rules_override, str(rules_override), rules)
    if rules is None:
        return None
    ctx = Context(rules)
    values: dict[str, Any] = {}
    for key, name, read in top[1:]:
        entry = m.get(key)
        if entry is not None:
            x = read(r, entry[1], ctx)
            if x is not BAD:
                values[name] = x
    if "risks" in m and not values.get("risks") and not r.problems:
        r.err(m["risks"][1], "risks is empty; a register needs at least one risk")
    everything = values.get("risks", ())
    values["risks"] = tuple(x for x in everything if isinstance(x, Risk))
    values["unassessed"] = tuple(x for x in everything if isinstance(x, Unassessed))
    _check_links(r, ctx, values.get("assumptions", ()), values.get("responses", ()))
    _check_decisions(r, ctx, values.get("risks", ()), values.get("categories", ()))
    _check_unassessed(r, values["unassessed"], values.get("responses", ()))
    if r.problems:
        return None
    return Register(path=r.file, rules=rules, embedded=embedded, **values)


def _check_decisions(r: Reader, ctx: Context, risks: tuple[Risk, ...], categories: tuple[Category, ...]) -> None:
    """A treatment names responses of the register; a category with its own appetite is one some
    risk names (else its appetite would silently apply to none)."""
    m_ids = ctx.ids.get("responses", set())
    for risk in risks:
        if risk.treatment is None:
            continue
        for m in risk.treatment.responses:
            if m not in m_ids:
                what = (
                    f"unknown response {short(m)}{r.hint(m, m_ids)}"
                    if m_ids
                    else f"{short(m)}: the register has no responses"
                )
                r.err_at(risk.line, f"risk {risk.id}: treatment with {what}")
    named = {normalise(x.category): x.category for x in risks if x.category}
    for c in categories:
        if normalise(c.id) not in named:
            r.err_at(c.line, f"categories: no risk has category {short(c.id)}{r.hint(c.id, sorted(named.values()))}")


def _check_unassessed(r: Reader, unassessed: tuple[Unassessed, ...], responses: tuple[Response, ...]) -> None:
    """No response shifts a risk not yet assessed: it has no levels to shift."""
    ids = {u.id for u in unassessed}
    if not ids:
        return
    for m in responses:
        for key, effects in (("effects", m.effects), ("side_effects", m.side_effects)):
            for j, e in enumerate(effects, start=1):
                if e.risk in ids:
                    r.err_at(
                        m.line, f"response {m.id}: {key} {j}: risk {e.risk} is not yet assessed; nothing can shift it"
                    )


def _check_links(r: Reader, ctx: Context, assumptions: tuple[Assumption, ...], responses: tuple[Response, ...]) -> None:
    """``excludes`` and ``given`` name items of the register, never the item itself, and ``given``
    never loops back (A given B given A)."""
    a_ids = ctx.ids.get("assumptions", set())
    m_ids = ctx.ids.get("responses", set())
    for kind, items, known in (("assumption", assumptions, a_ids), ("response", responses, m_ids)):
        for item in items:
            for other in item.excludes:
                if other == item.id or other not in known:
                    what = "itself" if other == item.id else f"unknown {kind} {short(other)}{r.hint(other, known)}"
                    r.err_at(item.line, f"{kind} {item.id}: excludes {what}")
    parents = {a.id: a.given.parent for a in assumptions if a.given is not None}
    for a in assumptions:
        if a.given is None:
            continue
        if a.given.parent not in a_ids or a.given.parent == a.id:
            what = "itself" if a.given.parent == a.id else f"unknown assumption {short(a.given.parent)}"
            r.err_at(a.line, f"assumption {a.id}: given {what}")
            continue
        seen, at = {a.id}, a.given.parent
        while at in parents:
            if at in seen:
                r.err_at(a.line, f"assumption {a.id}: given loops back to itself through {at}")
                break
            seen.add(at)
            at = parents[at]
