"""The briefing as Markdown: register text backslash-escaped, never read as Markdown itself."""

from __future__ import annotations

import re
from collections.abc import Iterable

from riskcli.render.layout import Key
from riskcli.render.report.document import (
    Block,
    Heading,
    Inline,
    Para,
    Quote,
    Section,
    Table,
    cell_parts,
    document,
    level_name,
)
from riskcli.render.streams import clean
from riskcli.results.shapes.matrix import Grid
from riskcli.results.shapes.report import ReportResult

_MD_INLINE = re.compile(r"([\\`*_\[\]#|~$])|&(?=#?\w+;)|<(?=[A-Za-z/!?])")
_MD_BLOCK_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")  # a list item, a quote or a heading underline


def md(text: object) -> str:
    """Register text as literal Markdown inline text: one line, its punctuation escaped."""
    s = clean(text).replace("\r", " ").replace("\n", " ")
    return _MD_INLINE.sub(lambda m: "\\" + m.group(), s)


def md_para(text: object) -> str:
    """Literal text at the start of a line: also never a list item, quote, heading rule or code block."""
    return _guard(md(text).strip())


def _guard(line: str) -> str:
    """A line of Markdown that starts as text: a list marker, ``=`` or ``1.`` at its start is escaped."""
    m = _MD_BLOCK_START.match(line)
    if m is None:
        return line
    at = m.end(2) - 1
    return line[:at] + "\\" + line[at:]


def _md_inline(parts: Iterable[Inline]) -> str:
    out = []
    for p in parts:
        if isinstance(p, str):
            out.append(md(p))
            continue
        t = md(p.text)
        if p.strong or p.band is not None:
            stripped = t.strip()
            t = t.replace(stripped, f"**{stripped}**", 1) if stripped else t
        elif p.em:
            stripped = t.strip()
            t = t.replace(stripped, f"*{stripped}*", 1) if stripped else t
        out.append(t)
    text = "".join(out)
    return text if text.strip() else ""


def markdown(r: ReportResult, key: Key) -> str:
    lines: list[str] = []

    def block(b: Block) -> None:
        if isinstance(b, Section):
            for x in b.blocks:
                block(x)
        elif isinstance(b, Heading):
            lines.extend([f"{'#' * b.level} {md(b.text)}", ""])
        elif isinstance(b, Para):
            text = _md_inline(b.parts)
            if b.cls == "description":
                for para in re.split(r"\n\s*\n", clean(b.parts[0] if isinstance(b.parts[0], str) else "")):
                    if para.strip():
                        lines.extend([md_para(" ".join(para.split())), ""])
                return
            text = text.strip()
            lines.extend(["> " + text if b.cls in ("hypothetical", "as-of") else _guard(text), ""])
        elif isinstance(b, Quote):
            lines.extend(["> " + _guard(md(b.text)), ""])
        elif isinstance(b, Table):
            lines.append("| " + " | ".join(md(h) for h in b.head) + " |")
            lines.append("| " + " | ".join("---:" if i in b.numeric else "---" for i in range(len(b.head))) + " |")
            for row in b.rows:
                lines.append("| " + " | ".join(_md_inline(cell) or " " for cell in row) + " |")
            lines.append("")
        else:
            lines.extend(_md_matrix(b.grid))

    for b in document(r, key):
        block(b)
    return "\n".join(lines).rstrip("\n") + "\n"


def _md_matrix(g: Grid) -> list[str]:
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    head = ["Likelihood ↓ · Impact →"] + [level_name(g.impact, lv.value) for lv in g.impact]
    lines = ["| " + " | ".join(md(h) for h in head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for lv in reversed(g.likelihood):
        row = [f"**{md(level_name(g.likelihood, lv.value))}**"]
        for iv in g.impact:
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                row.append(" ")
                continue
            ids, rating = cell_parts(c)
            row.append(f"{md(ids)} · **{md(rating)}**" if c.count else f"*{md(rating)}*")
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]
