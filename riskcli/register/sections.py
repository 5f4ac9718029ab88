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
    Actor,
    Assumption,
    BeliefUpdate,
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
    "assumptions", "risks", "indicators", "responses", "scenarios",
)  # fmt: skip
_SOURCE_KEYS = ("title", "author", "role", "published", "file", "url", "note")
_ACTOR_KEYS = ("id", "name")
_ASSUMPTION_KEYS = ("id", "statement", "belief", "rationale", "evidence")
_RISK_KEYS = (
    "id", "title", "description", "category", "actors", "likelihood", "impact", "rationale",
    "evidence", "drivers",
)  # fmt: skip
_DRIVER_KEYS = ("assumption", "if_holds", "if_fails", "note")
_SHIFT_KEYS = ("likelihood", "impact")
_INDICATOR_KEYS = ("id", "title", "watch", "evidence", "review_every", "updates")
_UPDATE_KEYS = ("assumption", "belief")
_RESPONSE_KEYS = ("id", "title", "description", "actors", "evidence", "effects", "side_effects")
_EFFECT_KEYS = ("risk", "likelihood", "impact", "note")
_SCENARIO_KEYS = ("id", "title", "description", "beliefs")

T = TypeVar("T")


def load(path: str | os.PathLike[str] | None = None, rules_path: str | os.PathLike[str] | None = None) -> Register:
    """Load and validate a register (the embedded one when ``path`` is None).

    Raises ``RegisterError`` listing every problem found, or ``UserError`` for a missing file.
    """
    embedded = path is None
    if path is None:
        p, shown = embedded_register_path(), f"{EMBEDDED} register.yaml"
    else:
        p, shown = Path(path), str(path)
    base = default_rules()
    text = read_text(p, shown)
    with gc_paused():
        root = compose(text, shown)
        rules_override = None
        if rules_path is not None:
            rules_override = Path(rules_path)
        return _build(root, shown, text, base, rules_override, embedded)


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
    )


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
    if statement is None or belief is None:
        return None
    return Assumption(mm["id"][1].value, statement, belief, rationale, evidence, node.start_mark.line + 1)


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
    if title is None or lk is None or im is None or not ok:
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
    )


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
    watch = _opt_text(r, mm, "watch", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if title is None:
        return None
    return Indicator(mm["id"][1].value, title, watch, evidence, review, tuple(updates), node.start_mark.line + 1)


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
    if title is None:
        return None
    return Response(mm["id"][1].value, title, description, actors, evidence, effects, side, node.start_mark.line + 1)


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
    return Scenario(mm["id"][1].value, title, description, tuple(beliefs), node.start_mark.line + 1)
