"""The evidence check finds quotes in one pass per tile size, with exactly ``in``'s answers."""

from __future__ import annotations

import dataclasses
import random

import pytest

from riskcli import register
from riskcli.model import Register
from riskcli.register import companions
from riskcli.register.companions import _tiled, occurring

SHIPPED = register.load()
SOURCE = register.source_text(SHIPPED)[1] or ""
QUOTES = [x.evidence for x in (*SHIPPED.assumptions, *SHIPPED.risks, *SHIPPED.indicators, *SHIPPED.responses)]


def naive(text: str, quotes: list[str]) -> set[str]:
    return {q for q in quotes if q in text}


def test_shipped_register_gives_the_same_answer_as_in() -> None:
    """Every shipped quote is found, and so is every quote with one letter changed not."""
    assert SOURCE and len(QUOTES) > 40
    changed = [q[:-1] + ("x" if q[-1] != "x" else "y") for q in QUOTES if q]
    assert occurring(SOURCE, QUOTES + changed) == naive(SOURCE, QUOTES + changed) == set(QUOTES) - {""}


@pytest.mark.parametrize("k", [8, 16, 32, 64])
def test_shipped_register_through_every_tile_size(k: int) -> None:
    quotes = [q for q in QUOTES if len(q) >= 2 * k - 1]
    wrong = [q.replace(" ", "  ", 1) for q in quotes]
    assert _tiled(SOURCE, quotes + wrong, k) == naive(SOURCE, quotes + wrong)


@pytest.mark.parametrize("seed", range(40))
def test_random_texts_and_quotes_give_the_same_answer_as_in(seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Small alphabets make repeats, overlaps and near misses at every tile boundary."""
    rnd = random.Random(seed)
    alphabet = rnd.choice(["ab", "abc ", "a’“”b \n", "xy😀"])
    text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 3000)))
    quotes = []
    for _ in range(rnd.randint(1, 120)):
        n = rnd.randint(0, 150)
        if text and rnd.random() < 0.5:
            start = rnd.randint(0, len(text))
            quotes.append(text[start : start + n])  # present (or cut short by the end)
        else:
            quotes.append("".join(rnd.choice(alphabet) for _ in range(n)))
    want = naive(text, quotes)
    assert occurring(text, quotes) == want
    monkeypatch.setattr(companions, "_PASS_COST", 0)  # every group through a pass
    assert occurring(text, quotes) == want
    for k in (8, 16, 32, 64):
        eligible = [q for q in quotes if len(q) >= 2 * k - 1]
        assert _tiled(text, eligible, k) == naive(text, eligible)


def test_quotes_at_the_very_start_and_end_of_the_text() -> None:
    text = "".join(chr(ord("a") + i % 26) for i in range(1000))
    quotes = [text[:15], text[-15:], text[:200], text[-200:], text[-16:-1], text[1:16], text]
    for k in (8, 64):
        eligible = [q for q in quotes if len(q) >= 2 * k - 1]
        assert _tiled(text, eligible, k) == set(eligible)


def test_a_quote_that_keeps_nearly_matching_falls_back_to_in() -> None:
    """One repeated letter: every tile is a candidate and none confirms, until ``in`` decides."""
    text = "a" * 50_000 + "b"
    quotes = ["a" * 30 + "b", "a" * 40 + "c", "a" * 25 + "ba"]
    assert _tiled(text, quotes, 8) == {"a" * 30 + "b"}


class _CountingText(str):
    searches = 0

    def __contains__(self, item: object) -> bool:
        type(self).searches += 1
        return super().__contains__(item)  # type: ignore[operator]


def test_many_quotes_do_not_each_search_the_whole_source(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 quotes of ordinary length: the source is read per tile size, not once per quote."""
    rnd = random.Random(1)
    words = SOURCE.split()
    text = _CountingText(" ".join(rnd.choice(words) for _ in range(200_000)))
    quotes = [text[i : i + rnd.randint(40, 200)] for i in rnd.sample(range(len(text) - 200), 1000)]
    quotes += [" ".join(rnd.choice(words) for _ in range(12)) for _ in range(1000)]
    risks = tuple(dataclasses.replace(SHIPPED.risks[0], id=f"R{i}", evidence=q) for i, q in enumerate(quotes))
    reg = Register(path="x.yaml", rules=SHIPPED.rules, risks=risks, source=SHIPPED.source)
    monkeypatch.setattr(companions, "source_text", lambda _reg: (SHIPPED.path, text))
    warnings = register.evidence_warnings(reg)
    assert len(warnings) == len(quotes) - len(naive(str(text), quotes))
    assert _CountingText.searches < 50
