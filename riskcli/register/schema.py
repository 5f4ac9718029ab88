"""The register format as a JSON Schema, for editors, and as the field reference of
docs/register-format.md — both generated from the table in ``fields``.

A ``# yaml-language-server: $schema=…`` line at the top of a register lets an editor with a YAML
language server check and complete it as you type. The shipped copy is
``riskcli/formats/register.schema.json``; ``riskcli schema register`` prints it. Regenerate it and
the docs' field reference after changing the format (the tests fail until you do)::

    python -m riskcli.register.schema

A schema checks shapes and types. The reader checks more than a schema can say — references
between items, levels against the register's own scales, probability bands, the rating grid's
size — so ``riskcli validate`` stays the last word.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from riskcli.register.fields import REGISTER, items
from riskcli.register.kinds import Item, Schemas, item_schema
from riskcli.register.rules_formats import default_rules

DIALECT = "https://json-schema.org/draft/2020-12/schema"
NAME = "riskcli/register-format/1"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "formats" / "register.schema.json"
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "register-format.md"

Schema = dict[str, Any]

BEGIN = "<!-- The field reference is generated from riskcli/register/fields.py: python -m riskcli.register.schema -->"
END = "<!-- end of the generated field reference -->"


def build() -> Schema:
    """The JSON Schema of the register format (draft 2020-12)."""
    s = Schemas(default_rules())
    top = item_schema(REGISTER, s)
    top["description"] = (
        "A riskcli risk register. riskcli validate checks what a schema cannot "
        "(references, levels against the register's own scales, the rating grid)."
    )
    return {"$schema": DIALECT, "$id": NAME, "title": "riskcli register", **top, "$defs": dict(sorted(s.defs.items()))}


def dumps(schema: Schema) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- the docs


def reference() -> str:
    """The field reference: one table per item of the format, the register first."""
    rules = default_rules()
    out = [BEGIN, ""]
    for item in items():
        out += [f"### {item.name}", "", item.doc, "", "| key | value | | meaning |", "| --- | --- | --- | --- |"]
        for f in item.fields:
            need = "required" if f.required else ""
            out.append(f"| `{f.key}` | {f.kind.says(rules)} | {need} | {_cell(f.doc)} |")
        out += _constraints(item)
        out.append("")
    out.append(END)
    return "\n".join(out)


def _constraints(item: Item) -> list[str]:
    lines = []
    if item.any_of:
        lines.append(f"Give at least one of {', '.join(f'`{k}`' for k in item.any_of)}.")
    if item.not_both is not None:
        a, b = item.not_both
        lines.append(f"Give `{a}` or `{b}`, not both.")
    return ["", *lines] if lines else []


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def with_reference(doc: str) -> str:
    """``doc`` (docs/register-format.md) with its field reference generated afresh."""
    at, end = doc.find(BEGIN), doc.find(END)
    if at < 0 or end < at:
        raise ValueError(f"{DOCS_PATH.name}: no field reference to replace (the lines {BEGIN!r} … {END!r})")
    return doc[:at] + reference() + doc[end + len(END) :]


def main() -> int:
    """Write the shipped schema and the docs' field reference."""
    SCHEMA_PATH.parent.mkdir(exist_ok=True)
    SCHEMA_PATH.write_text(dumps(build()), encoding="utf-8")
    sys.stdout.write(f"wrote {SCHEMA_PATH}\n")
    if DOCS_PATH.is_file():  # a checkout (the docs are not in the wheel)
        DOCS_PATH.write_text(with_reference(DOCS_PATH.read_text(encoding="utf-8")), encoding="utf-8")
        sys.stdout.write(f"wrote {DOCS_PATH}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
