"""The register format as a JSON Schema, for editors: a ``# yaml-language-server: $schema=…`` line
at the top of a register lets an editor with a YAML language server check and complete it as
you type.

The schema is generated from the loader itself: every mapping's keys are the loader's own key
tables (``sections._RISK_KEYS`` and the rest), so a key the loader accepts and the schema does not
describe (or the reverse) fails the generation; the enums (confidence, support) and the examples
(level names, belief words) come from the model and the shipped rules. The shipped copy is
``riskcli/formats/register.schema.json``; ``riskcli schema register`` prints it. Regenerate it
after changing the format::

    python -m riskcli.register.schema

A schema checks shapes and types. The loader checks more than a schema can say — references
between items, levels against the register's own scales, probability bands, the rating grid's
size — so ``riskcli validate`` stays the last word.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from riskcli.model import Confidence
from riskcli.register import rules_formats, sections
from riskcli.register.rules_formats import default_rules
from riskcli.register.walker import FORMATS, ID_PATTERN

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAME = "riskcli/register-format/1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "formats" / "register.schema.json"

Schema = dict[str, Any]
# The end of the text, alike in ECMA-262 and Python regular expressions (where "$" also matches
# before a final line break, and "R1\n" is not an id).
_END = r"(?![\s\S])"


def _ci(words: Iterable[str]) -> str:
    """A pattern matching any of ``words`` in any case, with spaces around (as the loader reads them)."""
    alternatives = ["".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else _escape(c) for c in w) for w in words]
    return r"^\s*(" + "|".join(alternatives) + r")\s*" + _END


def _escape(c: str) -> str:
    return "\\" + c if c in r"\^$.|?*+()[]{}" else c


def _described(schema: Schema, text: str) -> Schema:
    return {"description": text, **schema}


def build() -> Schema:
    """The JSON Schema of the register format (draft 2020-12)."""
    rules = default_rules()
    defs: dict[str, Schema] = {}

    def define(name: str, schema: Schema) -> Schema:
        defs[name] = schema
        return {"$ref": f"#/$defs/{name}"}

    text = define("text", {"type": ["string", "number"]})  # numbers and dates are read as their text
    opt_text = define("optionalText", {"type": ["string", "number", "null"]})  # null: not given
    ident = define(
        "id",
        {
            "type": ["string", "integer"],
            "pattern": "^" + ID_PATTERN.pattern + _END,
            "description": "An id: letters, digits, '_', '-', '.', ':' (up to 64), unique in its section.",
        },
    )
    ids = define("ids", {"anyOf": [ident, {"type": "array", "items": ident}], "description": "Ids: one, or a list."})

    def level(kind: str) -> Schema:
        scale = rules.likelihood if kind == "likelihood" else rules.impact
        names = [lv.name.lower() for lv in scale.levels]
        forms = "a level 1–N (default 5), a level name"
        if scale.has_bands:
            forms += ", an ICD 203 phrase ('very likely') or a probability ('30%', 0.3)"
        return {
            "description": f"Baseline {kind}: {forms}.",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": 12},
                *([{"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}] if scale.has_bands else []),
                {"type": "string", "minLength": 1},
            ],
            "examples": [*range(1, scale.size + 1), *names],
        }

    belief = define(
        "belief",
        {
            "description": "The probability that it holds: 0..1, a percentage ('70%'), "
            + ", ".join(w for w, _ in rules.words.beliefs)
            + " or an ICD 203 phrase ('very likely').",
            "anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, {"type": "string", "minLength": 1}],
            "examples": [*(w for w, _ in rules.words.beliefs), "likely", "70%", 0.7],
        },
    )
    confidence_words = [c.value for c in Confidence]
    confidence: Schema = {
        "description": "ICD 203 analytic confidence in the judgement (never changes a score).",
        "anyOf": [{"enum": confidence_words}, {"type": "string", "pattern": _ci(confidence_words)}],
    }
    labels = [label for label, _ in rules.words.labels]
    support: Schema = {
        "description": "The Key Assumptions Check's judgement of the evidence behind it "
        "(derived from the belief when absent).",
        "anyOf": [{"enum": labels}, {"type": "string", "pattern": _ci(labels)}],
    }
    steps: Schema = {"type": "number", "minimum": -12, "maximum": 12}
    shift = define(
        "shift",
        {
            "description": "A shift in scale steps (at most ±12).",
            **_object(sections._SHIFT_KEYS, {"likelihood": steps, "impact": steps}, types=["object", "null"]),
        },
    )
    days: Schema = {"type": "integer", "minimum": 1, "maximum": 36500, "description": "Days (1 to 36500)."}
    ratio: Schema = {"type": "number", "minimum": 0.001, "maximum": 1000}

    def section(item: Schema, what: str, *, min_items: int = 0) -> Schema:
        s: Schema = {"type": ["array", "null"], "items": item, "description": what}
        if min_items:
            s = {"type": "array", "items": item, "minItems": min_items, "description": what}
        return s

    effect = define(
        "effect",
        _object(
            sections._EFFECT_KEYS,
            {"risk": ident, "likelihood": {"type": "number"}, "impact": {"type": "number"}, "note": opt_text},
            required=("risk",),
            any_of=("likelihood", "impact"),
        ),
    )
    driver = _object(
        sections._DRIVER_KEYS,
        {
            "assumption": _described(ident, "The assumption the risk rests on."),
            "if_holds": _described(shift, "The shift if the assumption holds."),
            "if_fails": _described(shift, "The shift if the assumption fails."),
            "note": opt_text,
        },
        required=("assumption",),
        any_of=("if_holds", "if_fails"),
    )
    risk = _object(
        sections._RISK_KEYS,
        {
            "id": ident,
            "title": text,
            "description": opt_text,
            "category": _described(opt_text, "Free text; list --category filters by it."),
            "actors": _described(ids, "Actors who bear it (ids from actors, when actors are declared)."),
            "owner": opt_text,
            "likelihood": define("likelihood", level("likelihood")),
            "impact": define("impact", level("impact")),
            "confidence": confidence,
            "rationale": _described(opt_text, "Why these baseline levels."),
            "evidence": _described(opt_text, "A verbatim quote from the source."),
            "drivers": {"type": "array", "items": driver, "description": "The assumptions this risk rests on."},
            "extra": {
                "type": "object",
                "additionalProperties": {"type": ["string", "number"]},
                "description": "Free-form fields: names to text or numbers.",
            },
        },
        required=("id", "title", "likelihood", "impact"),
    )
    given = {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 1,
        "additionalProperties": _object(
            sections._GIVEN_KEYS, {"holds": belief, "fails": belief}, required=sections._GIVEN_KEYS
        ),
        "description": "Its belief given another assumption: {A7: {holds: 0.8, fails: 0.3}}.",
    }
    assumption = _object(
        sections._ASSUMPTION_KEYS,
        {
            "id": ident,
            "statement": text,
            "belief": belief,
            "support": support,
            "rationale": opt_text,
            "evidence": opt_text,
            "excludes": _described(ids, "Assumptions that cannot hold together with this one."),
            "given": given,
        },
        required=("id", "statement", "belief"),
    )
    update = _object(sections._UPDATE_KEYS, {"assumption": ident, "belief": belief}, required=sections._UPDATE_KEYS)
    bearing = _object(
        sections._BEARING_KEYS,
        {
            "assumption": ident,
            "seen": _described(ratio, "P(seen | holds) / P(seen | fails)."),
            "absent": _described(ratio, "The same for looked for and not seen (default 1)."),
            "note": _described(opt_text, "Where the ratios come from."),
        },
        required=("assumption", "seen"),
    )
    indicator = _object(
        sections._INDICATOR_KEYS,
        {
            "id": ident,
            "title": text,
            "watch": opt_text,
            "rationale": opt_text,
            "evidence": opt_text,
            "review_every": days,
            "updates": {"type": "array", "items": update, "description": "Beliefs a sighting sets."},
            "bears_on": {"type": "array", "items": bearing, "description": "Likelihood ratios of a sighting."},
        },
        required=("id", "title"),
    )
    indicator["not"] = {"required": ["updates", "bears_on"]}
    response = _object(
        sections._RESPONSE_KEYS,
        {
            "id": ident,
            "title": text,
            "description": opt_text,
            "actors": ids,
            "rationale": opt_text,
            "evidence": opt_text,
            "effects": {"type": "array", "items": effect, "description": "Intended shifts, in scale steps."},
            "side_effects": {"type": "array", "items": effect, "description": "Unintended shifts."},
            "excludes": _described(ids, "Responses that cannot be applied together with this one."),
        },
        required=("id", "title"),
    )
    scenario = _object(
        sections._SCENARIO_KEYS,
        {
            "id": ident,
            "title": opt_text,
            "description": opt_text,
            "rationale": opt_text,
            "beliefs": {
                "type": "object",
                "additionalProperties": belief,
                "description": "Beliefs by assumption id.",
            },
        },
        required=("id", "beliefs"),
    )
    actor = _object(sections._ACTOR_KEYS, {"id": ident, "name": opt_text}, required=("id",))
    acknowledged = {
        "anyOf": [
            {"type": "string"},
            _object(sections._ACK_KEYS, {"id": text, "why": opt_text}, required=("id",)),
        ]
    }
    aliases: Schema = {
        "anyOf": [text, {"type": "array", "items": text}],
        "description": "Other names it answers to (a translation, an abbreviation).",
    }
    level_item = _object(
        rules_formats._SCALE_KEYS,
        {
            "value": {"type": "integer", "minimum": 1, "maximum": 12},
            "name": text,
            "aliases": aliases,
            "description": text,
            "probability": {
                "type": "array",
                "items": {"type": "number", "minimum": 0, "maximum": 1},
                "minItems": 2,
                "maxItems": 2,
                "description": "[low, high]: the level's probability band (likelihood only).",
            },
        },
        required=("name",),
    )
    scale: Schema = {"type": "array", "items": level_item, "minItems": 2, "maxItems": 12}
    band = _object(
        rules_formats._BAND_KEYS,
        {"id": ident, "name": text, "aliases": aliases, "color": text, "description": opt_text},
        required=("id",),
    )
    rating = _object(
        ("bands", "grid"),
        {
            "bands": {"type": "array", "items": band, "minItems": 1, "description": "Rating bands, lowest first."},
            "grid": {
                "type": "array",
                "items": {"type": "array", "items": text},
                "description": "One row per likelihood level, level 1 first; one band id per impact level.",
            },
        },
    )
    source = _object(sections._SOURCE_KEYS, dict.fromkeys(sections._SOURCE_KEYS, text))
    top = _object(
        sections._TOP_KEYS,
        {
            "format": {"enum": list(FORMATS), "description": "The format version."},
            "id": _described(text, "A short name; the journal is bound to it."),
            "title": text,
            "as_of": _described(text, "The date the baseline reflects."),
            "description": text,
            "source": source,
            "actors": section(define("actor", actor), "Who bears risks; risks and responses name them by id."),
            "scales": _object(("likelihood", "impact"), {"likelihood": scale, "impact": scale}),
            "rating": rating,
            "assumptions": section(define("assumption", assumption), "The assumptions the assessment rests on."),
            "risks": section(define("risk", risk), "The risks (at least one).", min_items=1),
            "indicators": section(define("indicator", indicator), "What to watch."),
            "responses": section(define("response", response), "What could be done."),
            "scenarios": section(define("scenario", scenario), "Named sets of beliefs."),
            "acknowledge": {
                "type": "array",
                "items": acknowledged,
                "description": "Coherence warnings accepted on purpose (their ids).",
            },
        },
        required=("risks",),
    )
    return {
        "$schema": DIALECT,
        "$id": NAME,
        "title": "riskcli register",
        "description": "A riskcli risk register. riskcli validate checks what a schema cannot "
        "(references, levels against the register's own scales, the rating grid).",
        **top,
        "$defs": dict(sorted(defs.items())),
    }


def _object(
    keys: Iterable[str],
    properties: Mapping[str, Schema],
    *,
    required: Iterable[str] = (),
    any_of: Iterable[str] = (),
    types: list[str] | None = None,
) -> Schema:
    """A mapping whose keys are exactly the loader's ``keys``, in its order."""
    keys = tuple(keys)
    missing, extra = set(keys) - set(properties), set(properties) - set(keys)
    if missing or extra:
        raise KeyError(f"the schema and the loader disagree on keys: {sorted(missing)} {sorted(extra)}")
    out: Schema = {
        "type": types or "object",
        "properties": {k: properties[k] for k in keys},
        "additionalProperties": False,
    }
    if required := list(required):
        out["required"] = required
    if any_of := list(any_of):
        out["anyOf"] = [{"required": [k]} for k in any_of]
    return out


def dumps(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    """Write the shipped copy, ``riskcli/formats/register.schema.json``."""
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(dumps(build()), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
