"""A sheet's own rating scheme, learned from its rated rows: (likelihood, impact, rating) triples give
the bands, their order, and the cells they determine; a monotone completion fills the rest.

- **Bands** are the sheet's ratings (``Red``, ``Amber (12)`` is ``Amber``), ordered as the sheet
  implies: the order in which the fewest pairs of rows have the less risky cell rated higher
  (every order is tried up to seven bands; by mean L×I beyond), ties by the usual words
  (green < amber < red, low < medium < high < extreme).
- **Determined cells** take the rating their rows give; a cell whose rows disagree takes the one
  most rows give (the higher on a tie), and the other rows are contradictions.
- **Inferred cells** — no row in them — take the band of the determined cells nearest in L×I,
  held between the highest band of any cell at most as risky and the lowest of any at least as
  risky, so the completion is monotone wherever the sheet is.
- **Not monotone**: a determined cell rated below a cell that is no more likely and no more
  severe. Its rating is still given back (a lookup grid holds any scheme); it is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import field
from itertools import permutations

from riskcli.model import Band, Rules
from riskcli.records import frozen, mutable
from riskcli.register.colours import rich_colour
from riskcli.register.rules_formats import slug
from riskcli.rules import normalise

Cell = tuple[int, int]  # (likelihood, impact)

_PERMUTE = 7  # up to this many bands, every order is tried

# Rating words by the severity they usually say, for ties in the sheet's order and for colours.
_VOCAB: dict[str, float] = {
    **dict.fromkeys(("very low", "negligible", "insignificant", "minimal", "trivial", "none"), 0),
    **dict.fromkeys(("low", "green", "acceptable", "minor", "limited"), 1),
    **dict.fromkeys(("medium", "moderate", "amber", "yellow", "tolerable", "medium low"), 2),
    **dict.fromkeys(("orange", "medium high", "elevated", "significant"), 2.5),
    **dict.fromkeys(("high", "red", "major", "unacceptable", "substantial", "serious"), 3),
    **dict.fromkeys(("very high", "severe", "intolerable"), 4),
    **dict.fromkeys(("extreme", "critical", "catastrophic", "black", "purple"), 5),
}
_COLOURS = {"amber": "#FFBF00", "rag amber": "#FFBF00"}
_PALETTE = {
    1: ("yellow",),
    2: ("green", "red"),
    3: ("green", "yellow", "red"),
    4: ("green", "yellow", "dark_orange", "red"),
    5: ("green", "yellow", "dark_orange", "red", "dark_red"),
    6: ("dark_green", "green", "yellow", "dark_orange", "red", "dark_red"),
}
_NUMBERED = re.compile(
    r"\s*(?:\d+(?:\.\d+)?\s*[-–—:=]\s*(?P<a>.+?)|(?P<b>.+?)\s*(?:[(\[]\s*\d+(?:\.\d+)?\s*[)\]]|[-–—:=]\s*\d+(?:\.\d+)?))\s*"
)


def label(written: str) -> str:
    """A rating as the sheet writes it, less a score beside it: ``Amber (12)``, ``12 - Amber`` → ``Amber``."""
    m = _NUMBERED.fullmatch(written)
    if m is not None:
        return (m.group("a") or m.group("b")).strip()
    return written.strip()


@frozen
class Rated:
    """A rated row of the sheet: where, the cell its levels place it in, and its rating."""

    row: int
    column: str  # the rating's column letter
    assessment: str  # inherent, current or residual
    cell: Cell
    rating: str  # as the sheet has it (a score beside it taken off)


@frozen
class Finding:
    """A rated row whose rating the scheme does not give back (``contradicts``, ``disagrees``,
    ``unknown``) or gives back against the order of risk (``not-monotone``)."""

    rated: Rated
    kind: str
    expected: str | None  # the band the scheme gives its cell
    other: Rated | None  # a row that shows the conflict


@mutable
class Learned:
    bands: tuple[Band, ...]
    counts: dict[str, int]  # band id → rated rows
    grid: tuple[tuple[str, ...], ...]
    inferred: list[Cell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _vocab(key: str) -> float | None:
    return _VOCAB.get(key)


def _colour(name: str, rank: int, k: int) -> str:
    key = normalise(name)
    if key in _COLOURS:
        return _COLOURS[key]
    named = rich_colour(name)
    if named is not None and named != "default":
        return named.lower() if not named.startswith("#") else named
    if k in _PALETTE:
        return _PALETTE[k][rank]
    stops = ((0x2E, 0x7D, 0x32), (0xFB, 0xC0, 0x2D), (0xE6, 0x51, 0x00), (0xB7, 0x1C, 0x1C))
    x = rank / (k - 1) * (len(stops) - 1)
    j = min(int(x), len(stops) - 2)
    t = x - j
    rgb = (round(a + (b - a) * t) for a, b in zip(stops[j], stops[j + 1], strict=True))
    return "#" + "".join(f"{c:02X}" for c in rgb)


def _below(a: Cell, b: Cell) -> bool:
    """a is no more likely and no more severe than b, and not b itself."""
    return a[0] <= b[0] and a[1] <= b[1] and a != b


def order(rated: list[Rated]) -> list[str]:
    """The sheet's ratings (normalised) from lowest to highest, as its rows imply."""
    by_cell: dict[Cell, Counter[str]] = {}
    first: dict[str, int] = {}
    for i, r in enumerate(rated):
        key = normalise(r.rating)
        by_cell.setdefault(r.cell, Counter())[key] += 1
        first.setdefault(key, i)
    keys = sorted(first, key=first.__getitem__)
    size = dict.fromkeys(keys, 0.0)
    n = dict.fromkeys(keys, 0)
    for (lk, im), counts in by_cell.items():
        for k, c in counts.items():
            size[k] += lk * im * c
            n[k] += c
    mean = {k: size[k] / n[k] for k in keys}

    def tie(k: str) -> tuple[float, float, int]:
        v = _vocab(k)
        return (v if v is not None else mean[k], mean[k], first[k])

    if len(keys) > _PERMUTE:
        return sorted(keys, key=lambda k: (mean[k], tie(k)))
    # against[a][b]: pairs of rows with a's cell below b's — a violation if a ranks above b
    against = {a: dict.fromkeys(keys, 0) for a in keys}
    cells = list(by_cell.items())
    for ca, xa in cells:
        for cb, xb in cells:
            if _below(ca, cb):
                for a, na in xa.items():
                    for b, nb in xb.items():
                        if a != b:
                            against[a][b] += na * nb
    best: tuple[int, int] | None = None
    chosen: tuple[str, ...] = tuple(keys)
    for perm in permutations(keys):
        rank = {k: i for i, k in enumerate(perm)}
        cost = sum(against[a][b] for a in keys for b in keys if rank[a] > rank[b])
        ties = [tie(k) for k in perm]
        unusual = sum(1 for i in range(len(ties)) for j in range(i + 1, len(ties)) if ties[i] > ties[j])
        if best is None or (cost, unusual) < best:
            best, chosen = (cost, unusual), perm
    return list(chosen)


def learn(rated: list[Rated], n_likelihood: int, n_impact: int) -> Learned:
    """The scheme the rated rows imply, on a grid of the scales' size."""
    keys = order(rated)
    rank = {k: i for i, k in enumerate(keys)}
    spellings: dict[str, Counter[str]] = {}
    for r in rated:
        spellings.setdefault(normalise(r.rating), Counter())[r.rating] += 1
    names = {k: spellings[k].most_common(1)[0][0] for k in keys}
    ids: dict[str, str] = {}
    for i, k in enumerate(keys):
        stem = slug(names[k]) or f"band{i + 1}"
        ident, m = stem, 2
        while ident in ids.values():
            ident, m = f"{stem}-{m}", m + 1
        ids[k] = ident
    bands = tuple(Band(ids[k], names[k], _colour(names[k], rank[k], len(keys))) for k in keys)
    out = Learned(bands, dict.fromkeys(ids.values(), 0), ())
    # determined cells
    rows_in: dict[Cell, list[Rated]] = {}
    for r in rated:
        rows_in.setdefault(r.cell, []).append(r)
    given: dict[Cell, str] = {}
    for cell, rows in rows_in.items():
        counts = Counter(normalise(r.rating) for r in rows)
        top = max(counts.items(), key=lambda kv: (kv[1], rank[kv[0]]))[0]
        given[cell] = top
        witness = next(r for r in rows if normalise(r.rating) == top)
        for r in rows:
            if normalise(r.rating) == top:
                out.counts[ids[top]] += 1
            else:
                out.findings.append(Finding(r, "contradicts", names[top], witness))
    # not monotone: a cell rated below one that is no more risky
    for cell, k in given.items():
        higher = [(rank[k2], c2) for c2, k2 in given.items() if _below(c2, cell) and rank[k2] > rank[k]]
        if higher:
            _, c2 = max(higher)
            other = next(r for r in rows_in[c2] if normalise(r.rating) == given[c2])
            for r in rows_in[cell]:
                if normalise(r.rating) == k:
                    out.findings.append(Finding(r, "not-monotone", names[given[c2]], other))
    # the rest, completed
    grid: dict[Cell, int] = {c: rank[k] for c, k in given.items()}
    mean: dict[int, float] = {}
    for k in keys:
        cs = [c for c, kk in given.items() if kk == k]
        if cs:
            mean[rank[k]] = sum(a * b for a, b in cs) / len(cs)
    for lk, im in sorted(
        ((a, b) for a in range(1, n_likelihood + 1) for b in range(1, n_impact + 1)), key=lambda c: (c[0] + c[1], c)
    ):
        if (lk, im) in grid:
            continue
        lo = max((v for c, v in grid.items() if _below(c, (lk, im))), default=0)
        hi = min((rank[k] for c, k in given.items() if _below((lk, im), c)), default=len(keys) - 1)
        p = lk * im
        guess = min(mean, key=lambda b: (abs(mean[b] - p), b)) if mean else 0
        value = max(lo, min(guess, hi)) if lo <= hi else lo
        grid[(lk, im)] = value
        out.inferred.append((lk, im))
    out.grid = tuple(
        tuple(bands[grid[(lk, im)]].id for im in range(1, n_impact + 1)) for lk in range(1, n_likelihood + 1)
    )
    out.findings.sort(key=lambda f: (f.rated.row, f.rated.column))
    return out


def check(rated: list[Rated], rules: Rules) -> list[Finding]:
    """The rated rows whose rating the rules do not give their cell."""
    out = []
    names: dict[str, str] = {}
    for b in rules.rating.bands:
        for n in (b.id, b.name, *b.aliases):
            names.setdefault(normalise(n), b.id)
    for r in rated:
        lk, im = r.cell
        band = rules.rating.band(rules.rating.grid[lk - 1][im - 1])
        said = names.get(normalise(r.rating))
        if said is None:
            out.append(Finding(r, "unknown", band.name, None))
        elif said != band.id:
            out.append(Finding(r, "disagrees", band.name, None))
    return out
