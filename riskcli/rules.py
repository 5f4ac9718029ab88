"""Scales, estimative words and ratings: turning what an analyst types into levels and beliefs.

Pure functions over ``model.Rules``; the rules themselves are data (``rules/rules.yaml``).
"""

from __future__ import annotations

import math
import re
from enum import StrEnum

from riskcli.model import Band, Rating, Rules, Scale, UserError, Words
from riskcli.records import frozen

_SPACES = re.compile(r"[\s_-]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def normalise(word: str) -> str:
    """Case- and spacing-insensitive form of a word or phrase."""
    return _SPACES.sub(" ", word.strip().lower())


class Via(StrEnum):
    """How a value the user typed was understood."""

    LEVEL = "level"  # a level number: 4
    NAME = "name"  # a level name: likely
    PHRASE = "phrase"  # an ICD 203 phrase: very likely
    PROBABILITY = "probability"  # a probability: 30%, 0.3
    WORD = "word"  # a belief word: holds, fails, uncertain
    NUMBER = "number"  # a belief as a number: 0.7, 70%


@frozen(slots=True)
class Parsed:
    """A value as riskcli understood it: the value, what the user typed, and how it was read."""

    value: int | float
    said: str
    via: Via
    probability: float | None = None  # the probability a level was read from (phrase or %)


def accepted_forms(scale: Scale) -> str:
    names = ", ".join(lv.name.lower() for lv in scale.levels)
    if scale.has_bands:
        return (
            f"a level 1–{scale.size}, a level name ({names}), an ICD 203 phrase "
            f"(e.g. 'very likely', 'roughly even chance') or a probability (e.g. 30% or 0.3)"
        )
    return f"a level 1–{scale.size} or a level name ({names})"


def probability_level(scale: Scale, p: float) -> int:
    """The level whose probability band holds p (a band includes its lower bound)."""
    for lv in scale.levels:
        assert lv.low is not None and lv.high is not None
        if lv.low <= p < lv.high:
            return lv.value
    top = scale.levels[-1]  # the bands are contiguous: p is below the first or at or above the last
    assert top.high is not None
    return top.value if p >= top.high else scale.levels[0].value


def _as_number(value: object) -> float | None:
    """A finite number, or None (booleans, text, NaN, infinities and overflowing integers)."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            x = float(value)
        elif isinstance(value, str) and _NUMBER.match(value.strip()):
            x = float(value.strip())
        else:
            return None
    except OverflowError:
        return None
    return x if math.isfinite(x) else None


def _as_percent(value: object) -> float | None:
    if isinstance(value, str):
        s = value.strip()
        if s.endswith("%") and _NUMBER.match(s[:-1].strip()):
            x = float(s[:-1].strip()) / 100.0
            return x if math.isfinite(x) else None
    return None


def icd203_probability(words: Words, text: str) -> float | None:
    key = normalise(text)
    for group in words.icd203:
        if key in group.phrases:
            return group.midpoint
    return None


# parse_level's answers by (scale, words, value): a register writes the same few values tens of
# thousands of times. Keyed by the identity of the scale and words, which each answer keeps
# alive, so a key is never another scale's; a pure cache, emptied when it grows large.
_LEVELS: dict[tuple[int, int, type, object], tuple[Scale, Words, Parsed]] = {}


def parse_level(scale: Scale, words: Words, value: object) -> Parsed:
    """Parse a likelihood or impact given as a number, level name, ICD 203 phrase or probability.

    Raises ``UserError`` naming the accepted forms for anything else.
    """
    key = (id(scale), id(words), type(value), value)
    try:
        known = _LEVELS.get(key)
    except TypeError:  # an unhashable value: parsed (and refused) as it is
        return _parse_level(scale, words, value)
    if known is not None:  # its scale and words are the ones asked about: the entry keeps them alive
        return known[2]
    parsed = _parse_level(scale, words, value)
    if len(_LEVELS) >= 4096:
        _LEVELS.clear()
    _LEVELS[key] = (scale, words, parsed)
    return parsed


def _parse_level(scale: Scale, words: Words, value: object) -> Parsed:
    said = value.strip() if isinstance(value, str) else str(value).strip()

    def bad() -> UserError:  # built only when needed: this is the loader's hot path
        return UserError(f"{scale.kind} {_quote(said)} is not understood; give {accepted_forms(scale)}")

    pct = _as_percent(value)
    if pct is not None:
        if not scale.has_bands:
            raise bad()
        if not 0.0 <= pct <= 1.0:
            raise UserError(f"{scale.kind} {_quote(said)}: a probability must be between 0% and 100%")
        return Parsed(probability_level(scale, pct), said, Via.PROBABILITY, pct)
    num = _as_number(value)
    if num is not None:
        # A whole number is a level; a decimal strictly between 0 and 1 is a probability. Written
        # with a decimal point, 1 (1.0) could be either: level 1 or a probability of 100%.
        if num == 1 and scale.has_bands and (isinstance(value, float) or "." in said):
            raise UserError(
                f"{scale.kind} {_quote(said)} is ambiguous: write 1 for the level "
                f"({scale.levels[0].name}) or 100% for the probability"
            )
        if num == int(num):
            n = int(num)
            if not 1 <= n <= scale.size:
                hint = " (for a probability of zero write 0%)" if n == 0 and scale.has_bands else ""
                raise UserError(f"{scale.kind} {_quote(said)} is out of range; levels are 1–{scale.size}{hint}")
            return Parsed(n, said, Via.LEVEL)
        if 0.0 < num < 1.0 and scale.has_bands:
            return Parsed(probability_level(scale, num), said, Via.PROBABILITY, num)
        raise UserError(f"{scale.kind} {_quote(said)} is not a whole level; levels are 1–{scale.size}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):  # NaN, infinite, huge
        raise UserError(f"{scale.kind} {_quote(said)} is out of range; levels are 1–{scale.size}")
    if isinstance(value, str):
        key = normalise(value)
        for lv in scale.levels:
            if normalise(lv.name) == key:
                return Parsed(lv.value, said, Via.NAME)
        for lv in scale.levels:
            if any(normalise(a) == key for a in lv.aliases):
                return Parsed(lv.value, said, Via.NAME)
        if scale.has_bands:
            p = icd203_probability(words, value)
            if p is not None:
                return Parsed(probability_level(scale, p), said, Via.PHRASE, p)
    raise bad()


def parse_belief(words: Words, value: object) -> Parsed:
    """Parse a belief (the probability an assumption holds) into [0, 1]."""
    said = value.strip() if isinstance(value, str) else str(value)
    pct = _as_percent(value)
    num = pct if pct is not None else _as_number(value)
    if num is not None:
        if not 0.0 <= num <= 1.0:
            raise UserError(f"belief {_quote(said)} is out of range; a belief is between 0 and 1 (or 0% and 100%)")
        return Parsed(num, said, Via.NUMBER)
    if isinstance(value, str) and value.strip():
        key = normalise(value)
        for word, b in words.beliefs:
            if normalise(word) == key:
                return Parsed(b, said, Via.WORD)
        p = icd203_probability(words, value)
        if p is not None:
            return Parsed(p, said, Via.PHRASE, p)
    forms = ", ".join(w for w, _ in words.beliefs)
    raise UserError(
        f"belief {_quote(said)} is not understood; give {forms}, an ICD 203 phrase "
        f"(e.g. 'likely', 'very unlikely'), a number from 0 to 1 or a percentage"
    )


def belief_label(words: Words, belief: float) -> str:
    """The Key Assumptions Check label derived from a belief: solid / caveated / unsupported."""
    for label, minimum in words.labels:
        if belief >= minimum - 1e-12:
            return label
    return words.labels[-1][0] if words.labels else ""


def cell_of(value: float, size: int, toward: int) -> int:
    """The matrix cell for an unrounded level, within 1..size: the nearest level, and for a value
    exactly between two (a tie) the one nearer ``toward`` — the level the score starts from. So a
    score must move more than half a step to change cell, up or down alike: no rounding bias.

    Rounded to 9 places first, so 1.4999999999999998 (0.35·-2 + 0.65·0.5 …) is the 1.5 it stands
    for, as the 1.50 shown beside it says."""
    x = round(value, 9)
    low = math.floor(x)
    if x - low == 0.5:
        cell = low if toward <= low else low + 1
    else:
        cell = math.floor(x + 0.5)
    return min(size, max(1, cell))


def is_tie(value: float) -> bool:
    """A value exactly half-way between two levels (to 9 places)."""
    x = round(value, 9)
    return x - math.floor(x) == 0.5


def band_for(rules: Rules, likelihood: int, impact: int) -> Band:
    return rules.rating.band(rules.rating.grid[likelihood - 1][impact - 1])


def derived_grid(n_likelihood: int, n_impact: int, rating: Rating) -> tuple[tuple[str, ...], ...]:
    """A grid for any N×M scale from the bands, by the product L×I.

    Used when a register brings its own scales but no grid. With k bands, the cut points on
    sqrt(L·I / N·M) are 2/(k+1) … k/(k+1): on a 5×5 grid with four bands that is the familiar
    1–4 low, 5–9 medium, 10–16 high, 17–25 critical.
    """
    k = len(rating.bands)
    top = n_likelihood * n_impact
    cuts = [(j + 1) / (k + 1) for j in range(1, k)]
    rows = []
    for li in range(1, n_likelihood + 1):
        row = []
        for ii in range(1, n_impact + 1):
            x = math.sqrt(li * ii / top)
            idx = sum(1 for c in cuts if x > c + 1e-9)
            row.append(rating.bands[idx].id)
        rows.append(tuple(row))
    return tuple(rows)


def _quote(s: str) -> str:
    s = s if len(s) <= 60 else s[:57] + "..."
    return repr(s)
