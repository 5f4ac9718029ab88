"""The briefing as one self-contained HTML page that prints well.

The page's skeleton (``page.html``: the head, with a Content-Security-Policy that forbids any
script and any external URL) and its style sheet (``page.css``) are package data beside this
module; the band colours are added as rules of their own, parsed as colours and given as hex.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from importlib.resources import files

from riskcli import __version__
from riskcli.render.layout import Key
from riskcli.render.report.colours import band_hex, ink
from riskcli.render.report.document import (
    Block,
    Heading,
    Inline,
    Para,
    Quote,
    Section,
    Span,
    Table,
    cell_parts,
    document,
    title,
)
from riskcli.render.streams import clean
from riskcli.render.words import band_range
from riskcli.results.shapes.matrix import Grid
from riskcli.results.shapes.report import ReportResult


def _resource(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def h(text: object) -> str:
    """Register text as literal HTML (and XML) text, safe in element content and quoted attributes."""
    # As html.escape(..., quote=True) writes it (the html module is not imported for this alone: it
    # loads the whole table of named character references).
    s = clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _xml_chars(s.replace('"', "&quot;").replace("'", "&#x27;"))


def _xml_chars(s: str) -> str:
    """Characters XML 1.0 forbids (the noncharacters U+FFFE and U+FFFF; ``clean`` has made the
    controls visible) become U+FFFD."""
    return s.replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")


def html_page(r: ReportResult, key: Key) -> str:
    bands = {b.id: i for i, b in enumerate(r.matrix.bands)}
    css = [_resource("page.css")]
    for b in r.matrix.bands:
        colour = band_hex(key, b.id)
        css.append(f".b{bands[b.id]} {{ background: {colour}; color: {ink(colour)}; }}\n")
    body: list[str] = []

    def inline(parts: Iterable[Inline]) -> str:
        out = []
        for p in parts:
            if isinstance(p, str):
                out.append(h(p))
            elif p.band is not None:
                out.append(f'<span class="band b{bands.get(p.band, 0)}">{h(p.text)}</span>')
            elif p.strong:
                out.append(f"<strong>{h(p.text)}</strong>")
            elif p.em:
                out.append(f"<em>{h(p.text)}</em>")
            else:
                out.append(h(p.text))
        return "".join(out)

    def block(b: Block) -> None:
        if isinstance(b, Section):
            body.append(f'<section id="{b.anchor}">')
            for x in b.blocks:
                block(x)
            body.append("</section>")
        elif isinstance(b, Heading):
            anchor = f' id="{b.anchor}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{h(b.text)}</h{b.level}>")
        elif isinstance(b, Para):
            if b.cls == "description":
                for para in re.split(r"\n\s*\n", clean(b.parts[0] if isinstance(b.parts[0], str) else "")):
                    if para.strip():
                        body.append(f'<p class="description">{h(" ".join(para.split()))}</p>')
                return
            if b.cls == "legend":
                parts = [
                    f'<span class="swatch b{bands.get(p.band, 0)}"></span>{h(p.text)}'
                    if isinstance(p, Span) and p.band is not None
                    else inline([p])
                    for p in b.parts
                ]
                body.append(f'<p class="legend">{"".join(parts)}</p>')
                return
            cls = f' class="{b.cls}"' if b.cls else ""
            body.append(f"<p{cls}>{inline(b.parts)}</p>")
        elif isinstance(b, Quote):
            body.append(f"<blockquote><p>{h(b.text)}</p></blockquote>")
        elif isinstance(b, Table):
            cls = f' class="{b.cls}"' if b.cls else ""
            body.append(f"<table{cls}>")
            body.append(
                "<thead><tr>"
                + "".join(
                    f'<th class="num">{h(x)}</th>' if i in b.numeric else f"<th>{h(x)}</th>"
                    for i, x in enumerate(b.head)
                )
                + "</tr></thead>"
            )
            body.append("<tbody>")
            for row in b.rows:
                body.append(
                    "<tr>"
                    + "".join(
                        f'<td class="num">{inline(c)}</td>' if i in b.numeric else f"<td>{inline(c)}</td>"
                        for i, c in enumerate(row)
                    )
                    + "</tr>"
                )
            body.append("</tbody></table>")
        else:
            body.extend(_html_matrix(b.grid, bands))

    for part in document(r, key):
        block(part)
    return string.Template(_resource("page.html")).substitute(
        version=h(__version__), title=h(title(r)), css="".join(css), body="\n".join(body)
    )


def _html_matrix(g: Grid, bands: dict[str, int]) -> list[str]:
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    out = ['<table class="matrix">', "<thead><tr>", '<th class="axis corner">Likelihood ↓ · Impact →</th>']
    for lv in g.impact:
        out.append(f'<th scope="col">{lv.value}<span class="level">{h(lv.name)}</span></th>')
    out.append("</tr></thead><tbody>")
    for lv in reversed(g.likelihood):
        band = band_range(*lv.probability) if lv.probability is not None else ""
        level = f'<span class="level">{h(band)}</span>' if band else ""
        out.append(f'<tr><th scope="row" class="axis">{lv.value} {h(lv.name)}{level}</th>')
        for iv in g.impact:
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                out.append("<td></td>")
                continue
            ids, rating = cell_parts(c)
            inner = (
                f'<span class="ids">{h(ids)}</span>' if c.count else ""
            ) + f'<span class="rating">{h(rating)}</span>'
            out.append(
                f'<td class="cell b{bands.get(c.rating.id, 0)}" data-likelihood="{c.likelihood}" '
                f'data-impact="{c.impact}" data-band="{h(c.rating.id)}">{inner}</td>'
            )
        out.append("</tr>")
    out.append("</tbody></table>")
    return out
