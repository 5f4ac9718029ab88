"""The matrix as an SVG picture for slides, drawn by hand: cells in their band colours with their
risk ids, the axes labelled with the levels, and a legend."""

from __future__ import annotations

from collections.abc import Sequence

from riskcli.render.layout import Key
from riskcli.render.report.colours import band_hex, ink
from riskcli.render.report.document import cell_parts
from riskcli.render.report.html import h
from riskcli.render.streams import clean
from riskcli.render.words import band_range
from riskcli.results.shapes.matrix import CellView, Grid


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Words in lines of at most ``width`` characters (a longer word is cut); at most ``max_lines``,
    the last ending in … when text was left out."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while len(word) > width:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: width - 1] + "…")
            word = ""
        if not word:
            continue
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        lines[-1] = (last[: width - 1] if len(last) >= width else last) + "…"
    return lines


def _chars(width: float, size: float) -> int:
    """How many characters of a sans-serif font at ``size`` fit in ``width`` (an estimate)."""
    return max(4, int(width / (size * 0.58)))


def _text(x: float, y: float, text: str, size: int, **attrs: str) -> str:
    """An SVG text element; ``attrs`` are trusted attribute values (``font_weight`` → font-weight)."""
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}"{extra}>{h(text)}</text>'


def _rect(x: float, y: float, w: float, hgt: float, fill: str, inner: str = "", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    head = f'<rect x="{x:.0f}" y="{y:.0f}" width="{w:.0f}" height="{hgt:.0f}" fill="{fill}"{extra}'
    return f"{head}>{inner}</rect>" if inner else f"{head}/>"


def svg(g: Grid, key: Key, title: str, subtitle: Sequence[str]) -> str:
    """The matrix as a picture for slides: cells in their band colours with their risk ids, the
    axes labelled with the levels, and a legend."""
    nl, ni = len(g.likelihood), len(g.impact)
    cell_w, cell_h, gap = 150, 92, 4
    label_w, left = 190, 44
    grid_w = ni * cell_w + (ni - 1) * gap
    grid_h = nl * cell_h + (nl - 1) * gap
    width = left + label_w + grid_w + 24
    x0 = left + label_w
    out: list[str] = []
    add = out.append
    y = 24.0
    for line in _wrap(clean(title, one_line=True), _chars(width - 48, 22), 2):
        y += 28
        add(_text(24, y, line, 22, font_weight="700"))
    y += 6
    for line in (x for s in subtitle for x in _wrap(clean(s, one_line=True), _chars(width - 48, 14), 2)):
        y += 20
        add(_text(24, y, line, 14, fill="#444444"))
    top = y + 24
    by_cell = {(c.likelihood, c.impact): c for c in g.cells}
    for row, lv in enumerate(reversed(g.likelihood)):
        cy = top + row * (cell_h + gap)
        names = _wrap(f"{lv.value} {clean(lv.name, one_line=True)}", _chars(label_w - 16, 14), 2)
        band = band_range(*lv.probability) if lv.probability is not None else ""
        ty = cy + cell_h / 2 - (len(names) + bool(band) - 1) * 9 + 5
        for line in names:
            add(_text(x0 - 12, ty, line, 14, font_weight="600", text_anchor="end"))
            ty += 18
        if band:
            add(_text(x0 - 12, ty, band, 12, fill="#555555", text_anchor="end"))
        for col, iv in enumerate(g.impact):
            cx = x0 + col * (cell_w + gap)
            c = by_cell.get((lv.value, iv.value))
            if c is None:
                add(_rect(cx, cy, cell_w, cell_h, "#f2f2f2"))
                continue
            fill = band_hex(key, c.rating.id)
            fg = ink(fill)
            add(_rect(cx, cy, cell_w, cell_h, fill, f"<title>{h(_cell_title(c))}</title>"))
            ids, rating = cell_parts(c)
            lines = _wrap(ids, _chars(cell_w - 16, 15), 3) if c.count else []
            ty = cy + cell_h / 2 - len(lines) * 10 + 5
            mid = cx + cell_w / 2
            for line in lines:
                add(_text(mid, ty, line, 15, font_weight="700", fill=fg, text_anchor="middle"))
                ty += 20
            add(
                _text(
                    mid,
                    ty,
                    " ".join(_wrap(rating, _chars(cell_w - 16, 12), 1)),
                    12,
                    font_style="italic",
                    fill=fg,
                    text_anchor="middle",
                )
            )
    by = top + grid_h + 22
    for col, iv in enumerate(g.impact):
        mid = x0 + col * (cell_w + gap) + cell_w / 2
        add(_text(mid, by, str(iv.value), 14, font_weight="600", text_anchor="middle"))
        for i, line in enumerate(_wrap(clean(iv.name, one_line=True), _chars(cell_w - 8, 13), 2)):
            add(_text(mid, by + 17 + 16 * i, line, 13, fill="#333333", text_anchor="middle"))
    ay = by + 56
    add(_text(x0 + grid_w / 2, ay, "Impact →", 15, font_weight="700", text_anchor="middle"))
    ly = top + grid_h / 2
    add(
        _text(
            left - 16,
            ly,
            "Likelihood →",
            15,
            font_weight="700",
            text_anchor="middle",
            transform=f"rotate(-90 {left - 16} {ly:.0f})",
        )
    )
    legend_y = ay + 30
    add(_text(24, legend_y + 13, "Ratings:", 14, font_weight="600"))
    lx = 100.0
    for b in g.bands:
        words = f"{clean(b.name, one_line=True)} ({b.count})"
        if lx + 22 + len(words) * 8 > width - 24:
            lx = 100.0
            legend_y += 26
        add(_rect(lx, legend_y, 16, 16, band_hex(key, b.id), stroke="#7f7f7f", stroke_width="0.5"))
        add(_text(lx + 22, legend_y + 13, words, 14))
        lx += 22 + len(words) * 8 + 18
    total = sum(b.count for b in g.bands)
    foot = f"{total} risk{'s' if total != 1 else ''}. In a cell: its risks, highest score first, then its rating and count."
    add(_text(24, legend_y + 40, foot + " Made with riskcli.", 12, fill="#555555"))
    height = int(legend_y + 60)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" fill="#1b1b1b" role="img">\n'
        f"<title>{h(clean(title, one_line=True))} — likelihood × impact</title>\n"
        + _rect(0, 0, width, height, "#ffffff")
        + "\n"
        + "\n".join(out)
        + "\n</svg>\n"
    )


def _cell_title(c: CellView) -> str:
    return (
        f"likelihood {c.likelihood}, impact {c.impact}: {c.rating.name}, {c.count} risk{'s' if c.count != 1 else ''}"
        + (f" ({' '.join(c.risks)})" if c.risks else "")
    )
