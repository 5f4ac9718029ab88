"""Rules: scales, rating bands and grid, estimative words — from riskcli's rules format or a CISO
Assistant risk-matrix library — merged over the shipped defaults."""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TypeAlias

from riskcli.model import Band, Level, Phrase, Rating, Rules, Scale, Words
from riskcli.register.colours import is_colour, rich_colour
from riskcli.register.nodes import MappingNode, Node, ScalarNode
from riskcli.register.source import EMBEDDED, compose, default_rules_path, read_text
from riskcli.register.walker import (
    ANY,
    NOWHERE,
    NULL,
    Abort,
    Fields,
    Reader,
    check_format,
    raise_if,
    short,
)
from riskcli.rules import derived_grid, normalise

Grid: TypeAlias = tuple[tuple[str, ...], ...]  # band ids: grid[likelihood - 1][impact - 1]

# --------------------------------------------------------------------------- rules


_SCALE_KEYS = ("value", "name", "aliases", "description", "probability")
_BAND_KEYS = ("id", "name", "aliases", "color", "description")
_WORDS_KEYS = ("icd203", "beliefs", "labels")
_RULES_KEYS = ("format", "scales", "rating", "words", "review_every")


def _read_scale(r: Reader, node: Node, kind: str) -> Scale | None:
    items = r.sequence(node, f"scales.{kind}")
    if items is None:
        return None
    if len(items) < 2:
        r.err(node, f"scales.{kind} needs at least 2 levels")
        return None
    if len(items) > 12:
        r.err(node, f"scales.{kind} has {len(items)} levels; at most 12 are supported")
        return None
    levels: list[Level] = []
    ok = True
    for i, item in enumerate(items, start=1):
        where = f"scales.{kind}[{i}]"
        m = r.mapping(item, where, _SCALE_KEYS, ("name",))
        if m is None:
            ok = False
            continue
        if "value" in m:
            v = r.number(m["value"][1], f"{where}.value")
            if v is not None and v != i:
                r.err(m["value"][1], f"{where}.value must be {i}: levels are numbered 1..N in order")
                ok = False
        name = r.name(m["name"][1], f"{where}.name") if "name" in m else None
        desc = r.text(m["description"][1], f"{where}.description") if "description" in m else ""
        low = high = None
        if "probability" in m:
            pnode = m["probability"][1]
            if kind != "likelihood":
                r.err(pnode, f"{where}: only likelihood levels have probability bands")
                ok = False
            else:
                band = r.sequence(pnode, f"{where}.probability")
                if band is not None and len(band) == 2:
                    low, high = (r.number(b, f"{where}.probability") for b in band)
                    if low is None or high is None:
                        ok = False
                    elif not (0.0 <= low < high <= 1.0):
                        r.err(pnode, f"{where}.probability must be [low, high] with 0 ≤ low < high ≤ 1")
                        ok = False
                elif band is not None:
                    r.err(pnode, f"{where}.probability must be [low, high]")
                    ok = False
        aliases = _aliases(r, m, where)
        if name is None or desc is None or aliases is None:
            ok = False
            continue
        levels.append(Level(i, name, desc or "", low, high, aliases))
    if not ok:
        return None
    has = [lv.low is not None for lv in levels]
    if any(has) and not all(has):
        r.err(node, f"scales.{kind}: give a probability band for every level or for none")
        return None
    if all(has):
        for a, b in pairwise(levels):
            if abs((a.high or 0) - (b.low or 0)) > 1e-9:
                r.err(
                    node,
                    f"scales.{kind}: probability bands must be contiguous "
                    f"({a.name} ends at {a.high}, {b.name} starts at {b.low})",
                )
                return None
    names = [normalise(lv.name) for lv in levels]
    if len(set(names)) != len(names):
        r.err(node, f"scales.{kind}: level names must be distinct")
        return None
    owner: dict[str, str] = {normalise(lv.name): lv.name for lv in levels}
    for level in levels:
        for alias in level.aliases:
            other = owner.setdefault(normalise(alias), level.name)
            if other != level.name:
                r.err(node, f"scales.{kind}: {alias!r} names both {other} and {level.name}; aliases must be distinct")
                return None
    return Scale(kind, tuple(levels))


def _aliases(r: Reader, m: Fields, where: str) -> tuple[str, ...] | None:
    """``aliases: [Vraisemblable, V2]``: other names a level or band answers to (None: reported)."""
    if "aliases" not in m:
        return ()
    node = m["aliases"][1]
    items = [node] if isinstance(node, ScalarNode) and node.tag != NULL else r.sequence(node, f"{where}.aliases")
    if items is None:
        return None
    out: list[str] = []
    for j, item in enumerate(items, start=1):
        a = r.name(item, f"{where}.aliases[{j}]")
        if a is None:
            return None
        if a.strip() not in out:
            out.append(a.strip())
    return tuple(out)


def _read_rating(r: Reader, node: Node) -> tuple[tuple[Band, ...] | None, Grid | None, Node | None]:
    m = r.mapping(node, "rating", ("bands", "grid"))
    if m is None:
        return None, None, None
    bands: tuple[Band, ...] | None = None
    if "bands" in m:
        items = r.sequence(m["bands"][1], "rating.bands")
        if items is not None:
            out: list[tuple[Band, Node]] = []
            for i, item in enumerate(items, start=1):
                bm = r.mapping(item, f"rating.bands[{i}]", _BAND_KEYS, ("id",))
                if bm is None or "id" not in bm:
                    continue
                bid = r.ident(bm["id"][1], f"rating.bands[{i}].id")
                name = r.name(bm["name"][1], f"rating.bands[{i}].name") if "name" in bm else bid
                band_aliases = _aliases(r, bm, f"rating.bands[{i}]")
                color = r.text(bm["color"][1], f"rating.bands[{i}].color") if "color" in bm else "default"
                if color is not None and color.strip() and not is_colour(color):  # blank: the default
                    r.err(bm["color"][1], f"rating.bands[{i}].color: {color!r} {_NOT_A_COLOUR}")
                    color = "default"  # reported; the band stays, so the grid is not refused for it too
                if bid and name and color is not None and band_aliases is not None:
                    out.append((Band(bid, name, _colour(color), band_aliases), item))
            r.unique_ids([(b.id, node) for b, node in out], "band")
            if out:
                bands = tuple(b for b, _ in out)
            elif not items:  # (bands with problems have been reported already)
                r.err(m["bands"][1], "rating.bands needs at least one band")
    if "grid" not in m:
        return bands, None, None
    grid_node = m["grid"][1]
    rows = r.sequence(grid_node, "rating.grid")
    if rows is None:
        return bands, None, None
    parsed = []
    for i, row in enumerate(rows, start=1):
        cells = r.sequence(row, f"rating.grid row {i}")
        if cells is not None:
            parsed.append(tuple(_grid_cell(r, c, i) for c in cells))
    if len(parsed) < len(rows):  # reported; checking the size of what is left would only repeat it
        return bands, None, None
    return bands, tuple(parsed), grid_node


def _grid_cell(r: Reader, node: Node, row: int) -> str:
    """A band id, or "" once a problem is reported (a blank cell would fail every view)."""
    v = r.text(node, f"rating.grid row {row}")
    if v is not None and not v.strip():
        r.err(node, f"rating.grid row {row}: an empty cell; every cell names a band")
        return ""
    return v or ""


def _check_grid(r: Reader, node: Node | None, grid: Grid, bands: tuple[Band, ...], nl: int, ni: int) -> bool:
    if node is None:
        return True
    ids = {b.id for b in bands}
    if len(grid) != nl:
        r.err(
            node,
            f"rating.grid has {len(grid)} rows; the likelihood scale has {nl} levels "
            "(one row per level, level 1 first)",
        )
        return False
    ok = True
    for i, row in enumerate(grid, start=1):
        if len(row) != ni:
            r.err(node, f"rating.grid row {i} has {len(row)} cells; the impact scale has {ni} levels")
            ok = False
        for c in row:
            if c and c not in ids:
                r.err(node, f"rating.grid row {i}: unknown band {short(c)}{r.hint(c, ids)}")
                ok = False
    return ok


def _read_words(r: Reader, node: Node, base: Words) -> Words:
    m = r.mapping(node, "words", _WORDS_KEYS)
    if m is None:
        return base
    icd, beliefs, labels = base.icd203, base.beliefs, base.labels
    if "icd203" in m:
        groups = []
        for i, item in enumerate(r.sequence(m["icd203"][1], "words.icd203") or (), start=1):
            gm = r.mapping(item, f"words.icd203[{i}]", ("phrases", "range"), ("phrases", "range"))
            if not gm or "phrases" not in gm or "range" not in gm:
                continue
            phrases = [
                r.text(p, f"words.icd203[{i}].phrases")
                for p in r.sequence(gm["phrases"][1], f"words.icd203[{i}].phrases") or ()
            ]
            rng = [
                r.number(p, f"words.icd203[{i}].range")
                for p in r.sequence(gm["range"][1], f"words.icd203[{i}].range") or ()
            ]
            bounds = [x for x in rng if x is not None]
            if len(rng) != 2 or len(bounds) != 2 or not (0 <= bounds[0] <= bounds[1] <= 1):
                r.err(gm["range"][1], f"words.icd203[{i}].range must be [low, high] within 0..1")
                continue
            groups.append(Phrase(tuple(normalise(p) for p in phrases if p), bounds[0], bounds[1]))
        icd = tuple(groups)
    if "beliefs" in m:
        bm = r.mapping(m["beliefs"][1], "words.beliefs", ANY)
        if bm is not None:
            out = []
            for word, (_, v) in bm.items():
                b = r.number(v, f"words.beliefs.{word}")
                if b is not None:
                    if not 0 <= b <= 1:
                        r.err(v, f"words.beliefs.{word} must be between 0 and 1")
                    out.append((word, b))
            beliefs = tuple(out)
    if "labels" in m:
        out_l = []
        for i, item in enumerate(r.sequence(m["labels"][1], "words.labels") or (), start=1):
            lm = r.mapping(item, f"words.labels[{i}]", ("label", "min"), ("label", "min"))
            if lm and "label" in lm and "min" in lm:
                label, mn = r.text(lm["label"][1], "label"), r.number(lm["min"][1], "min")
                if label and mn is not None:
                    out_l.append((label, mn))
        labels = tuple(sorted(out_l, key=lambda x: -x[1]))
    return Words(icd, beliefs, labels)


def merge_rules(r: Reader, m: Fields, base: Rules | None) -> Rules | None:
    """Apply a mapping's ``scales``, ``rating`` and ``words`` over ``base``."""
    likelihood = base.likelihood if base else None
    impact = base.impact if base else None
    words = base.words if base else Words((), (), ())
    scales_changed = False
    if "scales" in m:
        sm = r.mapping(m["scales"][1], "scales", ("likelihood", "impact"))
        if sm:
            if "likelihood" in sm:
                likelihood = _read_scale(r, sm["likelihood"][1], "likelihood") or likelihood
                scales_changed = True
            if "impact" in sm:
                impact = _read_scale(r, sm["impact"][1], "impact") or impact
                scales_changed = True
    bands = base.rating.bands if base else None
    grid = base.rating.grid if base else None
    grid_node = None
    if "rating" in m:
        new_bands, new_grid, grid_node = _read_rating(r, m["rating"][1])
        if new_bands is not None:
            bands = new_bands
            if new_grid is None:
                grid = None
        if new_grid is not None:
            grid = new_grid
    if "words" in m:
        words = _read_words(r, m["words"][1], words)
    review_every = base.review_every if base else 30
    if "review_every" in m:
        n = r.number(m["review_every"][1], "review_every")
        if n is not None and (n != int(n) or not 1 <= n <= 36500):
            r.err(m["review_every"][1], "review_every must be a whole number of days from 1 to 36500")
        elif n is not None:
            review_every = int(n)
    if likelihood is None or impact is None or bands is None:
        if base is None:
            r.err(
                next(iter(m.values()))[0] if m else NOWHERE,
                "rules must give scales.likelihood, scales.impact and rating.bands",
            )
        return None
    if (
        grid is not None
        and grid_node is None
        and scales_changed
        and base
        and (len(grid) != likelihood.size or any(len(row) != impact.size for row in grid))
    ):
        grid = None  # the inherited grid does not fit the new scales: derive one
    if grid is None:
        grid = derived_grid(likelihood.size, impact.size, Rating(bands, ()))
    elif not _check_grid(r, grid_node, grid, bands, likelihood.size, impact.size):
        return None
    return Rules(likelihood, impact, Rating(bands, grid), words, review_every)


_NOT_A_COLOUR = (
    "is not a colour; give a name such as red, dark_orange or orangered (CSS), or a hex colour such as #BBF7D0"
)


def _colour(name: str) -> str:
    """A band colour as Rich draws it: a name like ``red``, a hex ``#BBF7D0``; a CSS name such as
    ``orangered`` or a short hex ``#FA0`` as its ``#RRGGBB``."""
    return rich_colour(name) or "default"


def load_rules_file(path: Path, shown: str, base: Rules | None) -> Rules:
    """A riskcli rules file, or a CISO Assistant risk-matrix library file, over ``base``."""
    text = read_text(path, shown)
    root = compose(text, shown)
    r = Reader(shown, text)
    try:
        if isinstance(root, MappingNode) and any(
            isinstance(k, ScalarNode) and k.value == "objects" for k, _ in root.value
        ):
            rules = _read_ciso(r, root, base)
        else:
            m = r.mapping(root, "rules file", _RULES_KEYS)
            rules = merge_rules(r, m, base) if m is not None else None
            if m is not None and "format" in m:
                check_format(r, m["format"][1])
    except Abort:
        rules = None
    raise_if(r)
    assert rules is not None
    return rules


def _read_ciso(r: Reader, root: MappingNode, base: Rules | None) -> Rules | None:
    """``objects.risk_matrix[0]`` of a CISO Assistant library: probability, impact, risk, grid."""
    top = {k.value: v for k, v in root.value if isinstance(k, ScalarNode)}
    objs = r.mapping(top["objects"], "objects", ANY)
    if objs is None:
        return None
    if "risk_matrix" not in objs:
        r.err(top["objects"], "objects: no risk_matrix in this CISO Assistant library")
        return None
    matrices = r.sequence(objs["risk_matrix"][1], "objects.risk_matrix")
    if matrices is None:
        return None
    if not matrices:
        r.err(objs["risk_matrix"][1], "objects.risk_matrix is empty")
        return None
    mx = r.mapping(matrices[0], "risk_matrix[0]", ANY)
    if mx is None:
        return None
    for key in ("probability", "impact", "risk", "grid"):
        if key not in mx:
            r.err(matrices[0], f"risk_matrix[0]: missing {key!r}")
    if r.problems:
        return None

    def levels(key: str) -> list[tuple[str, str, str, tuple[str, ...]]]:
        out = []
        for i, item in enumerate(r.sequence(mx[key][1], f"risk_matrix[0].{key}") or ()):
            lm = r.mapping(item, f"risk_matrix[0].{key}[{i}]", ANY)
            if lm is None:
                continue
            name, desc, color, abbr = (
                _ciso_text(r, lm, field, f"{key}[{i}].{field}")
                for field in ("name", "description", "hexcolor", "abbreviation")
            )
            if key == "risk" and color.strip() and not is_colour(color):
                r.err(lm["hexcolor"][1], f"risk_matrix[0].risk[{i}].hexcolor: {color!r} {_NOT_A_COLOUR}")
            shown = name if name.strip() else abbr if abbr.strip() else str(i)
            out.append((shown, desc, color, _translations(r, lm, f"risk_matrix[0].{key}[{i}]")))
        return _distinct(out)

    prob, imp, risk = levels("probability"), levels("impact"), levels("risk")
    words = base.words if base else Words((), (), ())
    lscale = Scale("likelihood", tuple(Level(i, n, d, aliases=a) for i, (n, d, _, a) in enumerate(prob, 1)))
    iscale = Scale("impact", tuple(Level(i, n, d, aliases=a) for i, (n, d, _, a) in enumerate(imp, 1)))
    ids: list[str] = []
    for i, (n, _, _, _) in enumerate(risk):
        stem = slug(n) or f"r{i}"
        ident, k = stem, 2
        while ident in ids:  # "Élevé" and "Eleve", or two risk levels of one name
            ident, k = f"{stem}-{k}", k + 1
        ids.append(ident)
    bands = tuple(Band(ids[i], n, _colour(c), a) for i, (n, _, c, a) in enumerate(risk))
    grid_rows = []
    for i, row in enumerate(r.sequence(mx["grid"][1], "risk_matrix[0].grid") or ()):
        cells = []
        for c in r.sequence(row, f"grid row {i + 1}") or ():
            v = r.number(c, f"grid row {i + 1}")
            if v is not None and (v != int(v) or not 0 <= v < len(bands)):
                r.err(
                    c,
                    f"grid row {i + 1}: {int(v) if v == int(v) else v} is not an index into risk (0..{len(bands) - 1})",
                )
                v = None
            cells.append(bands[int(v)].id if v is not None else "")
        grid_rows.append(tuple(cells))
    if len(prob) < 2 or len(imp) < 2 or not bands:
        r.err(matrices[0], "risk_matrix[0] needs at least 2 probability and impact levels and 1 risk level")
        return None
    if not _check_grid(r, mx["grid"][1], tuple(grid_rows), bands, len(prob), len(imp)):
        return None
    if r.problems:
        return None
    return Rules(lscale, iscale, Rating(bands, tuple(grid_rows)), words, base.review_every if base else 30)


def _translations(r: Reader, m: Fields, where: str) -> tuple[str, ...]:
    """The names a CISO Assistant level has in other languages: ``translations: {fr: {name: …}}``."""
    if "translations" not in m:
        return ()
    node = m["translations"][1]
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return ()
    locales = r.mapping(node, f"{where}.translations", ANY)
    out: list[str] = []
    for locale, (_, tnode) in (locales or {}).items():
        if isinstance(tnode, ScalarNode) and tnode.tag == NULL:
            continue
        tm = r.mapping(tnode, f"{where}.translations.{locale}", ANY)
        name = _ciso_text(r, tm, "name", f"{where}.translations.{locale}.name") if tm is not None else ""
        if name.strip():
            out.append(name.strip())
    return tuple(out)


def _distinct(levels: list[tuple[str, str, str, tuple[str, ...]]]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """Each level's translated names, less those that are its own name or name another level
    already (a level's own name first, then the earlier level's translation)."""
    taken = {normalise(n) for n, _, _, _ in levels}
    out = []
    for name, desc, color, aliases in levels:
        own = []
        for a in aliases:
            key = normalise(a)
            if key not in taken:
                taken.add(key)
                own.append(a)
        out.append((name, desc, color, tuple(own)))
    return out


def _ciso_text(r: Reader, m: Fields, key: str, what: str) -> str:
    """An optional text field of a CISO Assistant level; their exports write null for none."""
    if key not in m:
        return ""
    node = m[key][1]
    if isinstance(node, ScalarNode) and node.tag == NULL:
        return ""
    return r.text(node, what) or ""


# Latin letters that NFKD does not decompose, spelled as they are transliterated in ASCII
# (\u0131 is the dotless i).
_LETTERS = str.maketrans({
    "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i", "ħ": "h",
})  # fmt: skip


def slug(name: str) -> str:
    """A band id from a name: ``Très élevé`` → ``tres-eleve``.

    Accents are dropped (NFKD, then no combining marks), never letters: a name with a letter
    that has no ASCII spelling (``高``) gives "" and the caller numbers the band instead.
    """
    s = unicodedata.normalize("NFKD", name.casefold()).translate(_LETTERS)
    s = "".join(c for c in s if not unicodedata.combining(c))
    if any(c.isalnum() and not c.isascii() for c in s):
        return ""
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:40].rstrip("-")


@cache
def default_rules() -> Rules:
    """The shipped rules/rules.yaml (read once per process)."""
    return load_rules_file(default_rules_path(), f"{EMBEDDED} rules.yaml", None)
