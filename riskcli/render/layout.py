"""Layout shared by every view: band colours, table fitting, number formats and headers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import field

from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.console import Console
from rich.style import Style
from rich.table import Table
from rich.text import Text

from riskcli.model import Assumption, Level, Rules
from riskcli.records import frozen
from riskcli.render.console import clean
from riskcli.results.shapes.common import Chances, Rating

# On a 16-colour terminal, bands whose colours fall together are told apart by these, lowest first.
_STANDARD = ("green", "yellow", "magenta", "red", "bright_red", "blue", "cyan", "white")


@frozen
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


def pct(p: float) -> str:
    """A probability for reading: ``58%``, ``<1%`` (some, but less than half a percent), ``>99%``."""
    if p <= 0:
        return "0%"
    if p >= 1:
        return "100%"
    if p < 0.005:
        return "<1%"
    if p > 0.995:
        return ">99%"
    return f"{p * 100:.0f}%"


def likeliest_text(c: Chances, point: Rating, key: Key, console: Console | None = None) -> Text:
    """The likeliest band and its chance — marked when it is not the point rating."""
    t = band_text(c.likeliest, key, console)
    t.append(f" {pct(c.probability)}")
    if c.likeliest.id != point.id:
        t.append(" ≠", style="bold yellow")
    return t


def chances_text(c: Chances, point: Rating, key: Key, console: Console | None = None) -> Text:
    """``likeliest High 49%; P(Critical) 45%``."""
    t = Text("likeliest ")
    t.append_text(likeliest_text(c, point, key, console))
    t.append(f"; P({clean(c.top_band.name, one_line=True)}) {pct(c.top)}")
    return t


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


def _widest(texts: Sequence[str], *, words: bool = False) -> int:
    """The widest line of ``texts`` (or, ``words``, the widest word, a line's indentation counted
    with its first word): what a column needs so as to break no line (or no word)."""
    widths = [1]
    for t in texts:
        for line in t.split("\n"):
            if not words:
                widths.append(cell_len(line))
                continue
            parts = line.split()
            indent = len(line) - len(line.lstrip())
            widths += [cell_len(p) + (indent if k == 0 else 0) for k, p in enumerate(parts)]
    return max(widths)


# The narrowest a flex column of running text is folded to, mid-word, before columns are left out.
FOLD_FLOOR = 10


def _share(room: int, low: dict[int, int], high: dict[int, int], weight: dict[int, int]) -> dict[int, int] | None:
    """Flex columns' widths: each its ``low``, the rest of ``room`` shared by ``weight`` (the
    columns' ratio), none beyond its ``high`` (its widest line); None if the ``low``s do not fit."""
    widths = dict(low)
    extra = room - sum(low.values())
    if extra < 0:
        return None
    active = [i for i in widths if widths[i] < high[i]]
    while extra > 0 and active:
        total = sum(weight[i] for i in active)
        given = 0
        for i in active:
            give = min(max(1, extra * weight[i] // total), high[i] - widths[i], extra - given)
            widths[i] += give
            given += give
        extra -= given
        active = [i for i in active if widths[i] < high[i]]
    return widths


def fit(
    out: Console,
    table: Table,
    flex: dict[int, int],
    optional: Sequence[int] = (),
    caps: dict[int, int] | None = None,
    spare: Sequence[int] = (),
) -> Table:
    """Size a table to the console, so that Rich never has to squeeze it and no number, id or word
    is broken.

    Fixed columns keep their natural width (up to a cap; their cells are numbers, ids and short
    words); the ``flex`` columns (index → minimum width) share the rest by their ratio and wrap
    at spaces. Narrower, in turn: the fixed columns' headers wrap at their spaces; while a flex
    column would fall below its minimum, ``optional`` columns are dropped (last first), then
    ``spare`` ones are left out (in the order given); flex columns go down to their longest word
    and the fixed ones to theirs; flex columns fold their words down to ``FOLD_FLOOR``; last,
    fixed columns are left out from the right (never the first). The table's caption names the
    columns left out (not the optional ones, which wide terminals alone show)."""
    caps = caps or {}
    cols = table.columns
    cells = [[_plain(c) for c in col.cells] for col in cols]
    heads = [_plain(col.header) for col in cols]
    nat = [max(_widest(cells[i]), _widest([heads[i]])) for i in range(len(cols))]
    # A fixed column whose header wraps at its spaces: as wide as its widest cell or header word.
    short = [max(_widest(cells[i]), _widest([heads[i]], words=True)) for i in range(len(cols))]
    word = [_widest([*cells[i], heads[i]], words=True) for i in range(len(cols))]
    weight = {i: max(1, int(cols[i].ratio or 1)) for i in flex}

    def layout(keep: list[int], base: list[int], low: dict[int, int], squeeze: bool = False) -> dict[int, int] | None:
        fx = {i: max(1, min(base[i], caps.get(i, base[i]))) for i in keep if i not in flex}
        fl = [i for i in keep if i in flex]
        lows = {i: max(1, min(low[i], nat[i])) for i in fl}
        room = out.width - (3 * len(keep) + 1) - sum(fx.values())
        over = sum(lows.values()) - room
        if squeeze and over > 0:  # fixed columns give up width down to their longest word, most slack first
            for i in sorted(fx, key=lambda i: fx[i] - word[i], reverse=True):
                cut = min(over, max(0, fx[i] - max(1, word[i])))
                fx[i] -= cut
                over -= cut
                room += cut
        shared = _share(room, lows, {i: nat[i] for i in fl}, weight)
        return None if shared is None else {**fx, **shared}

    keep = list(range(len(cols)))
    widths = layout(keep, nat, flex)
    if widths is None or any(widths[i] < nat[i] for i in keep if i in flex):
        widths = layout(keep, short, flex) or widths
    while widths is None and any(i in keep for i in optional):
        keep.remove([i for i in optional if i in keep][-1])
        widths = layout(keep, short, flex)
    left_out: list[int] = []
    whole = {i: word[i] for i in flex}  # flex columns down to their longest word, fixed ones to theirs
    folded = {i: min(word[i], FOLD_FLOOR) for i in flex}  # then running text folds its words
    for low, order in (
        (flex, [i for i in spare if i in keep]),
        (whole, []),
        (folded, [i for i in reversed(keep) if i not in flex and i not in spare and i != 0]),
    ):
        if widths is None:
            widths = layout(keep, short, low, squeeze=low is not flex)
        while widths is None and order:
            i = order.pop(0)
            keep.remove(i)
            left_out.append(i)
            widths = layout(keep, short, low, squeeze=low is not flex)
    if widths is None:  # one column and the flex ones: nothing more to leave out
        widths = {i: max(1, min(word[i], FOLD_FLOOR)) for i in keep}
    for i in keep:
        col = cols[i]
        col.no_wrap = False
        col.overflow = "fold"
        col.width = max(1, widths[i])
        col.ratio = None
        col.min_width = col.max_width = None
    if left_out:
        names = ", ".join(clean(heads[i], one_line=True) or f"column {i + 1}" for i in sorted(left_out))
        table.caption = f"not shown at this width: {names}"
        table.caption_justify = "left"
    table.columns = [cols[i] for i in keep]
    table.expand = False
    return table
