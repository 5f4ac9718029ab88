"""Aliased text counts against the alias budget; honest text, however large, does not."""

from __future__ import annotations

import pytest

from riskcli import register
from riskcli.model import RegisterError

from conftest import BAD


def _risks(n: int, title: str) -> str:
    return "".join(f"  - {{id: R{i}, title: {title}, likelihood: 2, impact: 2}}\n" for i in range(1, n + 1))


def test_a_megabyte_title_aliased_5000_times_is_refused(write) -> None:
    """1.3 MB of file that would expand to 5 GB of titles is refused, located at the anchor."""
    text = "risks:\n  - {id: R0, title: &t " + "x" * 2**20 + ", likelihood: 2, impact: 2}\n" + _risks(5000, "*t")
    with pytest.raises(RegisterError) as e:
        register.load(write(text))
    assert [(p.line, p.message) for p in e.value.problems] == [
        (2, "the file expands to far more data than it holds (YAML alias bomb?)")
    ]


@pytest.mark.parametrize("name", ["alias_scalar_titles.yaml", "alias_scalar_evidence.yaml"])
def test_small_files_that_expand_their_text_past_the_budget_are_refused(name: str) -> None:
    """The corpus files are a few kB each, and still past the budget."""
    assert (BAD / name).stat().st_size < 8000
    with pytest.raises(RegisterError, match="alias bomb"):
        register.load(BAD / name)


def test_modest_aliased_text_still_loads(write) -> None:
    """Reusing a sentence by alias is ordinary YAML, not an attack."""
    reg = register.load(
        write("risks:\n  - {id: R0, title: &t A shared title, likelihood: 2, impact: 2}\n" + _risks(500, "*t"))
    )
    assert {r.title for r in reg.risks} == {"A shared title"}


def test_large_text_that_is_not_aliased_is_not_counted_twice(write) -> None:
    """Text read once costs nothing: it is in the file already, however long."""
    big = "word " * 600_000  # 3 MB of description
    text = (
        "description: "
        + big
        + "\nrisks:\n"
        + _risks(1, "t")
        + "  - {id: R9, title: "
        + big
        + ", likelihood: 2, impact: 2}\n"
    )
    reg = register.load(write(text))
    assert len(reg.risks[1].title) == len(big.strip())


def test_many_long_titles_with_an_anchor_in_the_file_still_load(write) -> None:
    """A '&' in the text turns the bookkeeping on; 20,000 risks of long titles still load."""
    title = "R&D " + "t" * 200
    reg = register.load(write("risks:\n" + _risks(20_000, title)))
    assert len(reg.risks) == 20_000
