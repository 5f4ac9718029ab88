"""Band colours on paper: a band's colour as hex, and legible ink on it."""

from __future__ import annotations

from rich.color import Color, ColorParseError
from rich.terminal_theme import SVG_EXPORT_THEME

from riskcli.render.layout import Key

FALLBACK = "#d9d9d9"  # a band whose colour cannot be read as one


def band_hex(key: Key, band_id: str) -> str:
    """A band's colour as ``#rrggbb``: a hex colour as given; a colour name as Rich draws it (the 16
    standard colours as in Rich's own SVG export, which reads better on paper than the VGA ones)."""
    name = key.colours.get(band_id, "")
    try:
        colour = Color.parse(name) if name else None
    except (ColorParseError, ValueError):  # Rich raises ValueError for "rgb(1 2,3,4)"
        colour = None
    if colour is None:
        return FALLBACK
    return colour.get_truecolor(SVG_EXPORT_THEME).hex


def ink(hex_colour: str) -> str:
    """Legible text on a background: black on light colours, white on dark ones."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#000000" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 140 else "#ffffff"
