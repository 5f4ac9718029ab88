"""Layout shared by every view: band colours, table fitting, number formats and headers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from riskcli.model import Assumption, Level, Rules
from riskcli.render.console import clean
from riskcli.results.shapes.common import Rating

# On a 16-colour terminal, bands whose colours fall together are told apart by these, lowest first.
_STANDARD = ("green", "yellow", "magenta", "red", "bright_red", "blue", "cyan", "white")


@dataclass(frozen=True)
class Key:
    """What a view needs of the register to be read: band colours, the scales' levels, the Key
    Assumptions Check labels and the support each assumption states (by id; the others' is derived
    from their belief). Results carry ids and numbers; the key gives them names."""

    colours: dict[str, str] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    likelihood: tuple[Level, ...] = ()
    impact: tuple[Level, ...] = ()
    labels: tuple[tuple[str, float], ...] = ()
    supports: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, rules: Rules, assumptions: Sequence[Assumption] = ()) -> Key:
        bands = rules.rating.bands
        return cls(
            {b.id: b.color for b in bands},
            tuple(b.id for b in bands),
            rules.likelihood.levels,
            rules.impact.levels,
            rules.words.labels,
            {a.id: a.support for a in assumptions if a.support},
        )

    def colour(self, band_id: str, console: Console | None = None) -> Color | None:
        c = _parse(self.colours.get(band_id, ""))
        if c is None or console is None or console.color_system != "standard":
            return c
        return self._sixteen().get(band_id, c)

    def _sixteen(self) -> dict[str, Color]:
        """The bands' colours on a 16-colour terminal: each keeps its own (downgraded) unless another
        band's falls on the same one; those take the first colour of _STANDARD, from their rank on,
        that no other band shows."""
        downgraded = {b: _downgrade(self.colours.get(b, "")) for b in self.order}
        counts = Counter(n for n in downgraded.values() if n is not None)
        taken = {n for n, k in counts.items() if k == 1}
        out: dict[str, Color] = {}
        for rank, b in enumerate(self.order):
            n = downgraded[b]
            own = _parse(self.colours.get(b, ""))
            if n is None or own is None:
                continue
            if counts[n] == 1:
                out[b] = own
                continue
            start = min(rank, len(_STANDARD) - 1)
            for name in (*_STANDARD[start:], *_STANDARD[:start]):
                colour = Color.parse(name)
                if colour.number not in taken:
                    break
            if colour.number is not None:
                taken.add(colour.number)
            out[b] = colour
        return out


def _parse(name: str) -> Color | None:
    try:
        return Color.parse(name) if name else None
    except (ColorParseError, ValueError):  # Rich raises ValueError for "rgb(1 2,3,4)"
        return None


def _downgrade(name: str) -> int | None:
    from rich.color import ColorSystem

    c = _parse(name)
    return None if c is None else c.downgrade(ColorSystem.STANDARD).number


def band_text(rating: Rating, key: Key, console: Console | None = None) -> Text:
    colour = key.colour(rating.id, console)
    return Text(clean(rating.name, one_line=True), style=Style(color=colour, bold=True))


def cell_style(band_id: str, key: Key, console: Console | None = None) -> Style:
    """A band's background with legible text: black on light bands, white on dark ones."""
    colour = key.colour(band_id, console)
    if colour is None:
        return Style()
    name = colour.name.lower()
    if colour.number is not None and colour.number < 16:
        # Terminals draw the 16 standard colours brighter than Rich's reference values: judge by name.
        light = any(w in name for w in ("yellow", "green", "cyan", "white")) or name.startswith("bright")
        return Style(bgcolor=colour, color="black" if light else "white")
    triplet = colour.get_truecolor()
    luminance = 0.2126 * triplet.red + 0.7152 * triplet.green + 0.0722 * triplet.blue
    return Style(bgcolor=colour, color="black" if luminance > 140 else "white")


# --------------------------------------------------------------------------- numbers


def fmt_level(x: float) -> str:
    """An unrounded level as shown: ``3`` or ``3.4``."""
    return f"{x:.0f}" if abs(x - round(x)) < 0.005 else f"{x:.2f}".rstrip("0")


def fmt_shift(x: float) -> str:
    return "0" if abs(x) < 0.005 else f"{x:+.2f}".rstrip("0").rstrip(".")


def fmt_belief(b: float) -> str:
    return f"{b:.2f}"


def adding_up(values: Sequence[float]) -> list[int]:
    """Values in hundredths, rounded so that they add up to the rounded total (largest
    remainder): what is shown on screen always sums to the total shown."""
    scaled = [v * 100 for v in values]
    floors = [math.floor(x + 1e-9) for x in scaled]
    target = round(sum(scaled))
    short = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: scaled[i] - floors[i], reverse=True)
    for i in order[:short]:  # short >= 0: each floor exceeds its value by at most 1e-9
        floors[i] += 1
    return floors


def cents(n: int, signed: bool = False) -> str:
    """Hundredths as a decimal: ``-0.60``; signed: ``+0.50``, ``0.00``."""
    if signed and n == 0:
        return "0.00"
    sign = "-" if n < 0 else "+" if signed else ""
    return f"{sign}{abs(n) // 100}.{abs(n) % 100:02d}"


# --------------------------------------------------------------------------- fitting tables


def _plain(cell: object) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return cell if isinstance(cell, str) else ""


def fit(
    out: Console, table: Table, flex: dict[int, int], optional: Sequence[int] = (), caps: dict[int, int] | None = None
) -> Table:
    """Size a table to the console, so that Rich never has to squeeze it.

    Fixed columns keep their natural width (up to a cap); the ``flex`` columns (index → minimum
    width) share the rest and wrap. When that leaves a flex column below its minimum,
    ``optional`` columns are dropped, last first. If the table is still too wide, flex columns go
    down to their longest word and fixed columns to theirs, so every column stays visible and
    text wraps rather than disappears."""
    caps = caps or {}
    cols = table.columns
    texts = [[_plain(c) for c in (col.header, *col.cells)] for col in cols]
    nat = [max((cell_len(line) for t in ts for line in t.split("\n")), default=1) for ts in texts]
    word = [max((cell_len(w) for t in ts for w in t.split()), default=1) for ts in texts]
    keep = list(range(len(cols)))

    def layout(keep: list[int]) -> dict[int, int] | None:
        fixed = {i: max(1, min(nat[i], caps.get(i, nat[i]))) for i in keep if i not in flex}
        room = out.width - (3 * len(keep) + 1) - sum(fixed.values())
        fl = [i for i in keep if i in flex]
        mins = {i: min(flex[i], nat[i]) for i in fl}
        if sum(mins.values()) > room:
            return None
        extra = room - sum(mins.values())
        want = sum(nat[i] - mins[i] for i in fl)
        widths = dict(fixed)
        for i in fl:
            widths[i] = nat[i] if extra >= want else mins[i] + (nat[i] - mins[i]) * extra // max(1, want)
        return widths

    widths = layout(keep)
    while widths is None and any(i in keep for i in optional):
        keep.remove([i for i in optional if i in keep][-1])
        widths = layout(keep)
    if widths is None:  # narrower than the minimums: shrink to longest words, then share
        fixed = {i: max(1, min(nat[i], caps.get(i, nat[i]))) for i in keep if i not in flex}
        fl = [i for i in keep if i in flex]
        floor = {i: max(1, min(word[i], nat[i])) for i in fl}
        over = (3 * len(keep) + 1) + sum(fixed.values()) + sum(floor.values()) - out.width
        for i in sorted(fixed, key=lambda i: fixed[i] - word[i], reverse=True):
            if over <= 0:
                break
            cut = min(over, max(0, fixed[i] - max(1, min(word[i], nat[i]))))
            fixed[i] -= cut
            over -= cut
        room = out.width - (3 * len(keep) + 1) - sum(fixed.values())
        spare = max(0, room - sum(floor.values()))
        total = sum(nat[i] - floor[i] for i in fl) or 1
        widths = dict(fixed)
        for i in fl:
            widths[i] = floor[i] + (nat[i] - floor[i]) * spare // total
    for i in keep:
        col = cols[i]
        col.no_wrap = False
        col.overflow = "fold"
        col.width = max(1, widths[i])
        col.ratio = None
        col.min_width = col.max_width = None
    table.columns = [cols[i] for i in keep]
    table.expand = False
    return table
