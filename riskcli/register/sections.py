"""The register's sections — actors, assumptions, risks, indicators, responses, scenarios — read
from YAML nodes into the model, every reference checked."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from yaml.nodes import MappingNode, Node, ScalarNode

from riskcli.model import (
    Acknowledged,
    Actor,
    Assumption,
    Bearing,
    BeliefUpdate,
    Conditional,
    Confidence,
    Driver,
    Effect,
    Indicator,
    Register,
    Response,
    Risk,
    Rules,
    Scale,
    Scenario,
    Shift,
    Source,
    UserError,
)
from riskcli.perf import gc_paused
from riskcli.register.rules_formats import default_rules, load_rules_file, merge_rules
from riskcli.register.source import EMBEDDED, compose, embedded_register_path, read_text
from riskcli.register.walker import (
    ANY,
    BAD,
    INT,
    NULL,
    STR,
    Abort,
    Bad,
    Fields,
    Reader,
    check_format,
    raise_if,
    short,
)
from riskcli.rules import parse_belief, parse_level

# --------------------------------------------------------------------------- registers


_TOP_KEYS = (
    "format", "id", "title", "as_of", "description", "source", "actors", "scales", "rating",
    "assumptions", "risks", "indicators", "responses", "scenarios", "acknowledge",
)  # fmt: skip
_SOURCE_KEYS = ("title", "author", "role", "published", "file", "url", "note")
_ACTOR_KEYS = ("id", "name")
_ASSUMPTION_KEYS = ("id", "statement", "belief", "support", "rationale", "evidence", "excludes", "given")
_GIVEN_KEYS = ("holds", "fails")
_RISK_KEYS = (
    "id", "title", "description", "category", "actors", "owner", "likelihood", "impact", "confidence",
    "rationale", "evidence", "drivers", "extra",
)  # fmt: skip
_DRIVER_KEYS = ("assumption", "if_holds", "if_fails", "note")
_SHIFT_KEYS = ("likelihood", "impact")
_INDICATOR_KEYS = ("id", "title", "watch", "rationale", "evidence", "review_every", "updates", "bears_on")
_BEARING_KEYS = ("assumption", "seen", "absent", "note")
_ACK_KEYS = ("id", "why")
_UPDATE_KEYS = ("assumption", "belief")
_RESPONSE_KEYS = (
    "id", "title", "description", "actors", "rationale", "evidence", "effects", "side_effects", "excludes",
)  # fmt: skip
_EFFECT_KEYS = ("risk", "likelihood", "impact", "note")
_SCENARIO_KEYS = ("id", "title", "description", "rationale", "beliefs")

T = TypeVar("T")


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


def _read_register(r: Reader, root: Node, base: Rules, rules_override: Path | None, embedded: bool) -> Register | None:
    if isinstance(root, MappingNode) and not any(
        isinstance(k, ScalarNode) and k.value == "risks" for k, _ in root.value
    ):
        keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
        if keys & {"words", "review_every", "objects"} or (keys and keys <= {"format", "scales", "rating"}):
            r.err(root, "this looks like a rules file, not a register (no 'risks'): pass it with --rules FILE")
            return None
    m = r.mapping(root, "register", _TOP_KEYS, ("risks",))
    if m is None:
        return None
    if "format" in m:
        check_format(r, m["format"][1])
    rules = merge_rules(r, m, base) if ("scales" in m or "rating" in m) else base
    if rules_override is not None and rules is not None:
        rules = load_rules_file(rules_override, str(rules_override), rules)
    if rules is None:
        return None

    def opt_text(key: str) -> str:
        if key not in m:
            return ""
        return r.text(m[key][1], key) or ""

    source = Source()
    if "source" in m:
        sm = r.mapping(m["source"][1], "source", _SOURCE_KEYS)
        if sm:
            source = Source(**{k: (r.text(v, f"source.{k}") or "") for k, (_, v) in sm.items()})

    declared_actors: set[str] = set()
    actors = _read_list(r, m.get("actors"), "actors", "actor", _ACTOR_KEYS, _read_actor, declared_actors)
    actor_ids = declared_actors if "actors" in m else None
    assumption_ids: set[str] = set()
    assumptions = _read_list(
        r,
        m.get("assumptions"),
        "assumptions",
        "assumption",
        _ASSUMPTION_KEYS,
        lambda r_, mm, where, node: _read_assumption(r_, mm, where, node, rules),
        assumption_ids,
    )
    risk_ids: set[str] = set()
    risks = _read_list(
        r,
        m.get("risks"),
        "risks",
        "risk",
        _RISK_KEYS,
        lambda r_, mm, where, node: _read_risk(r_, mm, where, node, rules, assumption_ids, actor_ids),
        risk_ids,
    )
    indicators = _read_list(
        r,
        m.get("indicators"),
        "indicators",
        "indicator",
        _INDICATOR_KEYS,
        lambda r_, mm, where, node: _read_indicator(r_, mm, where, node, rules, assumption_ids),
    )
    responses = _read_list(
        r,
        m.get("responses"),
        "responses",
        "response",
        _RESPONSE_KEYS,
        lambda r_, mm, where, node: _read_response(r_, mm, where, node, risk_ids, actor_ids),
    )
    scenarios = _read_list(
        r,
        m.get("scenarios"),
        "scenarios",
        "scenario",
        _SCENARIO_KEYS,
        lambda r_, mm, where, node: _read_scenario(r_, mm, where, node, rules, assumption_ids),
    )
    if "risks" in m and not risks and not r.problems:
        r.err(m["risks"][1], "risks is empty; a register needs at least one risk")
    _check_links(r, m, assumptions, responses)
    acknowledged = _acknowledge(r, m.get("acknowledge"))
    if r.problems:
        return None
    return Register(
        path=r.file,
        rules=rules,
        risks=tuple(risks),
        assumptions=tuple(assumptions),
        indicators=tuple(indicators),
        responses=tuple(responses),
        scenarios=tuple(scenarios),
        actors=tuple(actors),
        id=opt_text("id"),
        title=opt_text("title"),
        as_of=opt_text("as_of"),
        description=opt_text("description"),
        source=source,
        embedded=embedded,
        acknowledged=acknowledged,
    )


def _check_links(r: Reader, m: Fields, assumptions: list[Assumption], responses: list[Response]) -> None:
    """``excludes`` and ``given`` name items of the register, never the item itself, and ``given``
    never loops back (A given B given A)."""
    a_ids = {a.id for a in assumptions}
    m_ids = {x.id for x in responses}
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


def _acknowledge(r: Reader, entry: tuple[Node, Node] | None) -> tuple[Acknowledged, ...]:
    """``acknowledge: [W-clamp-R11, {id: W-hub-A7, why: "…"}]``: coherence warnings accepted on purpose."""
    if entry is None:
        return ()
    out: list[Acknowledged] = []
    for i, item in enumerate(r.sequence(entry[1], "acknowledge") or (), start=1):
        if isinstance(item, ScalarNode):
            v = r.text(item, f"acknowledge[{i}]")
            if v is not None:
                out.append(Acknowledged(v.strip()))
            continue
        am = r.mapping(item, f"acknowledge[{i}]", _ACK_KEYS, ("id",))
        if am and "id" in am:
            ident = r.text(am["id"][1], f"acknowledge[{i}].id")
            why = _opt_text(r, am, "why", f"acknowledge[{i}]")
            if ident is not None:
                out.append(Acknowledged(ident.strip(), why))
    return tuple(out)


def _read_list(
    r: Reader,
    entry: tuple[Node, Node] | None,
    section: str,
    what: str,
    keys: tuple[str, ...],
    read: Callable[[Reader, Fields, str, Node], T | None],
    declared: set[str] | None = None,
) -> list[T]:
    """Read a section's items; ``declared`` collects every id given, even of items with other
    problems, so that references to them are not reported as unknown as well."""
    if entry is None:
        return []
    node = entry[1]
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return []
    items = r.sequence(node, section)
    if items is None:
        return []
    out: list[T] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items, start=1):
        where = f"{what} #{i}"
        if isinstance(item, MappingNode):
            for k, v in item.value:
                if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode) and v.tag in (STR, INT):
                    where = f"{what} {short(v.value, 30)[1:-1]}"
                    break
        mm = r.mapping(item, where, keys, ("id",))
        if mm is None or "id" not in mm:
            continue
        ident = r.ident(mm["id"][1], f"{what} id")
        if ident is None:
            continue
        where = f"{what} {ident}"
        if ident in seen:
            r.err(mm["id"][1], f"duplicate {what} id {short(ident)} (first at line {seen[ident]})")
            read(r, mm, where, item)  # its own problems are reported too; the item is left out
            continue
        seen[ident] = item.start_mark.line + 1
        if declared is not None:
            declared.add(ident)
        obj = read(r, mm, where, item)
        if obj is not None:
            out.append(obj)
    return out


def _req_text(r: Reader, mm: Fields, key: str, where: str, node: Node) -> str | None:
    if key not in mm:
        r.err(node, f"{where}: missing required key {key!r}")
        return None
    return r.text(mm[key][1], f"{where}: {key}")


def _opt_text(r: Reader, mm: Fields, key: str, where: str) -> str:
    if key not in mm:
        return ""
    node = mm[key][1]
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return ""
    return r.text(node, f"{where}: {key}") or ""


def _read_actor(r: Reader, mm: Fields, where: str, node: Node) -> Actor | None:
    ident = mm["id"][1].value
    name = _opt_text(r, mm, "name", where) or ident
    return Actor(ident, name)


def _actors(r: Reader, mm: Fields, where: str, actor_ids: set[str] | None) -> tuple[str, ...]:
    if "actors" not in mm:
        return ()
    out = r.text_list(mm["actors"][1], f"{where}: actors")
    if actor_ids is not None:
        for a in out:
            if a not in actor_ids:
                r.err(mm["actors"][1], f"{where}: unknown actor {short(a)}{r.hint(a, actor_ids)}")
    return out


def _belief(r: Reader, node: Node, what: str, rules: Rules) -> float | None:
    v = r.scalar(node, what)
    if isinstance(v, Bad):
        return None
    if v is None or isinstance(v, bool):
        r.err(node, f"{what} must be a belief: holds, fails, uncertain, an ICD 203 phrase, 0..1 or a percentage")
        return None
    try:
        return float(parse_belief(rules.words, v).value)
    except UserError as e:  # the message names the belief already
        r.err(node, f"{what.rsplit(': ', 1)[0]}: {e}" if str(e).startswith("belief") else f"{what}: {e}")
        return None


def _level(r: Reader, node: Node, what: str, scale: Scale, rules: Rules) -> int | None:
    v = r.scalar(node, what)
    if isinstance(v, Bad):
        return None
    # Ranges are written with an en dash, as people write them (hence the noqa: RUF001 below).
    if v is None:
        r.err(node, f"{what} is empty; give a level 1–{scale.size}")
        return None
    if isinstance(v, bool):
        r.err(node, f"{what}: {short(node.value)} is a yes/no value, not a level; give a level 1–{scale.size}")
        return None
    try:
        return int(parse_level(scale, rules.words, v).value)
    except UserError as e:  # the message names the scale already
        r.err(node, f"{what.rsplit(': ', 1)[0]}: {e}")
        return None


def _read_assumption(r: Reader, mm: Fields, where: str, node: Node, rules: Rules) -> Assumption | None:
    statement = _req_text(r, mm, "statement", where, node)
    belief = None
    if "belief" not in mm:
        r.err(node, f"{where}: missing required key 'belief'")
    else:
        belief = _belief(r, mm["belief"][1], f"{where}: belief", rules)
    rationale = _opt_text(r, mm, "rationale", where)
    evidence = _opt_text(r, mm, "evidence", where)
    support = ""
    if "support" in mm:
        labels = [label for label, _ in rules.words.labels]
        v = r.text(mm["support"][1], f"{where}: support")
        if v is not None and v.strip().lower() not in labels:
            r.err(mm["support"][1], f"{where}: support {short(v)} is not one of {', '.join(labels)}")
        elif v is not None:
            support = v.strip().lower()
    excludes = r.text_list(mm["excludes"][1], f"{where}: excludes") if "excludes" in mm else ()
    given = _given(r, mm, where, rules)
    if statement is None or belief is None or isinstance(given, Bad):
        return None
    return Assumption(
        mm["id"][1].value, statement, belief, rationale, evidence, node.start_mark.line + 1, support, excludes, given
    )


def _given(r: Reader, mm: Fields, where: str, rules: Rules) -> Conditional | Bad | None:
    """``given: {A7: {holds: 0.8, fails: 0.3}}``: this assumption's belief if A7 holds, if it fails."""
    if "given" not in mm:
        return None
    gm = r.mapping(mm["given"][1], f"{where}: given", ANY)
    if gm is None:
        return BAD
    if len(gm) != 1:
        example = "given: {A7: {holds: 0.8, fails: 0.3}}"
        r.err(mm["given"][1], f"{where}: given names one assumption this one depends on (e.g. {example})")
        return BAD
    ((parent, (_, pv)),) = gm.items()
    cm = r.mapping(pv, f"{where}: given {parent}", _GIVEN_KEYS, _GIVEN_KEYS)
    if cm is None or len(cm) != 2:
        return BAD
    holds = _belief(r, cm["holds"][1], f"{where}: given {parent}: holds", rules)
    fails = _belief(r, cm["fails"][1], f"{where}: given {parent}: fails", rules)
    if holds is None or fails is None:
        return BAD
    return Conditional(parent, holds, fails)


def _shift(r: Reader, node: Node, what: str) -> Shift | None:
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return Shift()
    sm = r.mapping(node, what, _SHIFT_KEYS)
    if sm is None:
        return None
    vals = {}
    for k, (_, v) in sm.items():
        n = r.number(v, f"{what}.{k}")
        if n is None:
            return None
        if abs(n) > 12:
            r.err(v, f"{what}.{k} = {n:g} steps is out of range (at most ±12)")
            return None
        vals[k] = n
    return Shift(**vals)


def _read_risk(
    r: Reader, mm: Fields, where: str, node: Node, rules: Rules, assumption_ids: set[str], actor_ids: set[str] | None
) -> Risk | None:
    title = _req_text(r, mm, "title", where, node)
    lk = im = None
    for key, scale in (("likelihood", rules.likelihood), ("impact", rules.impact)):
        if key not in mm:
            r.err(node, f"{where}: missing required key {key!r}")
            continue
        val = _level(r, mm[key][1], f"{where}: {key}", scale, rules)
        if key == "likelihood":
            lk = val
        else:
            im = val
    drivers: list[Driver] = []
    ok = True
    if "drivers" in mm:
        dnode = mm["drivers"][1]
        for j, item in enumerate(r.sequence(dnode, f"{where}: drivers") or (), start=1):
            dwhere = f"{where}: driver {j}"
            dm = r.mapping(item, dwhere, _DRIVER_KEYS, ("assumption",))
            if dm is None or "assumption" not in dm:
                ok = False
                continue
            aid = r.ident(dm["assumption"][1], f"{dwhere}: assumption")
            if aid is not None and aid not in assumption_ids:
                hint = r.hint(aid, assumption_ids) if assumption_ids else " (the register has no assumptions)"
                r.err(dm["assumption"][1], f"{dwhere}: unknown assumption {short(aid)}{hint}")
                aid = None
            holds = _shift(r, dm["if_holds"][1], f"{dwhere}: if_holds") if "if_holds" in dm else Shift()
            fails = _shift(r, dm["if_fails"][1], f"{dwhere}: if_fails") if "if_fails" in dm else Shift()
            if "if_holds" not in dm and "if_fails" not in dm:
                r.err(item, f"{dwhere}: give if_holds and/or if_fails")
                ok = False
            note = _opt_text(r, dm, "note", dwhere)
            if aid is not None and any(d.assumption == aid for d in drivers):
                r.err(dm["assumption"][1], f"{dwhere}: a second driver on {aid}; give one driver per assumption")
                aid = None
            if aid is None or holds is None or fails is None:
                ok = False
                continue
            drivers.append(Driver(aid, holds, fails, note))
    actors = _actors(r, mm, where, actor_ids)
    category = _opt_text(r, mm, "category", where)
    description = _opt_text(r, mm, "description", where)
    rationale = _opt_text(r, mm, "rationale", where)
    evidence = _opt_text(r, mm, "evidence", where)
    owner = _opt_text(r, mm, "owner", where)
    confidence = _confidence(r, mm, where)
    extra = _extra(r, mm, where)
    if title is None or lk is None or im is None or not ok or isinstance(confidence, Bad) or extra is None:
        return None
    return Risk(
        mm["id"][1].value,
        title,
        lk,
        im,
        description,
        category,
        actors,
        rationale,
        evidence,
        tuple(drivers),
        node.start_mark.line + 1,
        confidence,
        owner,
        extra,
    )


def _confidence(r: Reader, mm: Fields, where: str) -> Confidence | Bad | None:
    if "confidence" not in mm:
        return None
    node = mm["confidence"][1]
    v = r.text(node, f"{where}: confidence")
    if v is None:
        return BAD
    try:
        return Confidence(v.strip().lower())
    except ValueError:
        r.err(node, f"{where}: confidence {short(v)} is not low, moderate or high (ICD 203)")
        return BAD


def _extra(r: Reader, mm: Fields, where: str) -> tuple[tuple[str, str | int | float], ...] | None:
    """Free-form fields: a mapping of names to text or numbers (nothing nested)."""
    if "extra" not in mm:
        return ()
    em = r.mapping(mm["extra"][1], f"{where}: extra", ANY)
    if em is None:
        return None
    out: list[tuple[str, str | int | float]] = []
    for key, (_, v) in em.items():
        value = r.scalar(v, f"{where}: extra.{key}")
        if isinstance(value, Bad):
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            r.err(v, f"{where}: extra.{key} must be text or a number")
            return None
        out.append((key, value if not isinstance(value, float) or value == value else str(v.value)))
    return tuple(out)


def _read_indicator(
    r: Reader, mm: Fields, where: str, node: Node, rules: Rules, assumption_ids: set[str]
) -> Indicator | None:
    title = _req_text(r, mm, "title", where, node)
    review = None
    if "review_every" in mm:
        n = r.number(mm["review_every"][1], f"{where}: review_every")
        if n is not None and (n != int(n) or not 1 <= n <= 36500):
            r.err(mm["review_every"][1], f"{where}: review_every must be a whole number of days from 1 to 36500")
        elif n is not None:
            review = int(n)
    updates = []
    if "updates" in mm:
        for j, item in enumerate(r.sequence(mm["updates"][1], f"{where}: updates") or (), start=1):
            um = r.mapping(item, f"{where}: update {j}", _UPDATE_KEYS, _UPDATE_KEYS)
            if not um or "assumption" not in um or "belief" not in um:
                continue
            aid = r.ident(um["assumption"][1], f"{where}: update {j}: assumption")
            if aid is not None and aid not in assumption_ids:
                r.err(
                    um["assumption"][1],
                    f"{where}: update {j}: unknown assumption {short(aid)}{r.hint(aid, assumption_ids)}",
                )
                continue
            b = _belief(r, um["belief"][1], f"{where}: update {j}: belief", rules)
            if aid and b is not None:
                updates.append(BeliefUpdate(aid, b))
    bears = _bears_on(r, mm, where, assumption_ids)
    if "updates" in mm and "bears_on" in mm:
        r.err(
            mm["bears_on"][0],
            f"{where}: give updates (a sighting sets beliefs) or bears_on (a sighting is evidence), not both",
        )
    watch = _opt_text(r, mm, "watch", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if title is None:
        return None
    rationale = _opt_text(r, mm, "rationale", where)
    return Indicator(
        mm["id"][1].value, title, watch, evidence, review, tuple(updates), node.start_mark.line + 1, bears, rationale
    )


def _bears_on(r: Reader, mm: Fields, where: str, assumption_ids: set[str]) -> tuple[Bearing, ...]:
    """``bears_on: [{assumption: A9, seen: 3, absent: 0.7}]``: likelihood ratios of a sighting, and
    of looking and not seeing it, for each assumption; absent defaults to 1 (no information)."""
    if "bears_on" not in mm:
        return ()
    out: list[Bearing] = []
    for j, item in enumerate(r.sequence(mm["bears_on"][1], f"{where}: bears_on") or (), start=1):
        bwhere = f"{where}: bears_on {j}"
        bm = r.mapping(item, bwhere, _BEARING_KEYS, ("assumption", "seen"))
        if not bm or "assumption" not in bm or "seen" not in bm:
            continue
        aid = r.ident(bm["assumption"][1], f"{bwhere}: assumption")
        if aid is not None and aid not in assumption_ids:
            r.err(bm["assumption"][1], f"{bwhere}: unknown assumption {short(aid)}{r.hint(aid, assumption_ids)}")
            continue
        if aid is not None and any(b.assumption == aid for b in out):
            r.err(bm["assumption"][1], f"{bwhere}: {aid} is named twice; give one ratio per assumption")
            continue
        ratios = []
        for key in ("seen", "absent"):
            if key not in bm:
                ratios.append(1.0)
                continue
            x = r.number(bm[key][1], f"{bwhere}: {key}")
            if x is not None and not 0.001 <= x <= 1000:
                r.err(bm[key][1], f"{bwhere}: {key} = {x:g} is not a likelihood ratio from 0.001 to 1000")
                x = None
            ratios.append(x if x is not None else -1.0)
        seen, absent = ratios
        if aid is None or seen < 0 or absent < 0:
            continue
        if seen == 1:
            r.err(
                bm["seen"][1],
                f"{bwhere}: seen = 1 tells nothing about {aid}; give a ratio above 1 (a sighting supports it) or below 1",
            )
            continue
        if (seen - 1) * (absent - 1) > 0:
            r.err(
                bm["absent"][1],
                f"{bwhere}: absent = {absent:g} points the same way as seen = {seen:g}; if seeing it supports "
                f"{aid}, not seeing it cannot support {aid} too (give absent on the other side of 1, or 1)",
            )
            continue
        out.append(Bearing(aid, seen, absent, _opt_text(r, bm, "note", bwhere)))
    return tuple(out)


def _effects(r: Reader, mm: Fields, key: str, where: str, risk_ids: set[str]) -> tuple[Effect, ...]:
    if key not in mm:
        return ()
    out = []
    for j, item in enumerate(r.sequence(mm[key][1], f"{where}: {key}") or (), start=1):
        ewhere = f"{where}: {key} {j}"
        em = r.mapping(item, ewhere, _EFFECT_KEYS, ("risk",))
        if not em or "risk" not in em:
            continue
        rid = r.ident(em["risk"][1], f"{ewhere}: risk")
        if rid is not None and rid not in risk_ids:
            r.err(em["risk"][1], f"{ewhere}: unknown risk {short(rid)}{r.hint(rid, risk_ids)}")
            continue
        vals = {}
        for axis in _SHIFT_KEYS:
            if axis in em:
                n = r.number(em[axis][1], f"{ewhere}: {axis}")
                if n is not None:
                    vals[axis] = n
        if not vals:
            r.err(item, f"{ewhere}: give a likelihood and/or impact shift")
            continue
        if rid:
            out.append(Effect(rid, Shift(**vals), _opt_text(r, em, "note", ewhere)))
    return tuple(out)


def _read_response(
    r: Reader, mm: Fields, where: str, node: Node, risk_ids: set[str], actor_ids: set[str] | None
) -> Response | None:
    title = _req_text(r, mm, "title", where, node)
    effects = _effects(r, mm, "effects", where, risk_ids)
    side = _effects(r, mm, "side_effects", where, risk_ids)
    actors = _actors(r, mm, where, actor_ids)
    description = _opt_text(r, mm, "description", where)
    evidence = _opt_text(r, mm, "evidence", where)
    excludes = r.text_list(mm["excludes"][1], f"{where}: excludes") if "excludes" in mm else ()
    if title is None:
        return None
    rationale = _opt_text(r, mm, "rationale", where)
    return Response(
        mm["id"][1].value, title, description, actors, evidence, effects, side, node.start_mark.line + 1, excludes,
        rationale,
    )  # fmt: skip


def _read_scenario(
    r: Reader, mm: Fields, where: str, node: Node, rules: Rules, assumption_ids: set[str]
) -> Scenario | None:
    title = _opt_text(r, mm, "title", where) or mm["id"][1].value
    beliefs = []
    if "beliefs" not in mm:
        r.err(node, f"{where}: missing required key 'beliefs'")
    else:
        bm = r.mapping(mm["beliefs"][1], f"{where}: beliefs", ANY)
        for aid, (k, v) in (bm or {}).items():
            if aid not in assumption_ids:
                r.err(k, f"{where}: unknown assumption {short(aid)}{r.hint(aid, assumption_ids)}")
                continue
            b = _belief(r, v, f"{where}: belief of {aid}", rules)
            if b is not None:
                beliefs.append((aid, b))
    description = _opt_text(r, mm, "description", where)
    rationale = _opt_text(r, mm, "rationale", where)
    return Scenario(mm["id"][1].value, title, description, tuple(beliefs), node.start_mark.line + 1, rationale)
