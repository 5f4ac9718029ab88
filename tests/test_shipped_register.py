"""The embedded register: faithful to its source, complete, and never modified by riskcli."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from riskcli import register

REG = register.load()
SOURCE_PATH, SOURCE = register.source_text(REG)
SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_d0676c0b21be874e.txt"  # ../shared/seed/…
# SHA-256 of the essay (rules/source.txt after its attribution header), byte for byte as the seed text:
# a clean clone without ../shared still checks the essay has not been touched.
ESSAY_SHA256 = "ac3f7ca20618b94c911a2a67722c7b9df52a6f6f8849ce39ef5c8d5f3785a281"


def _items():
    for kind, items in (
        ("assumption", REG.assumptions),
        ("risk", REG.risks),
        ("indicator", REG.indicators),
        ("response", REG.responses),
    ):
        for item in items:
            yield f"{kind} {item.id}", item.evidence


def test_source_text_ships_with_attribution() -> None:
    assert SOURCE is not None
    header, sep, essay = SOURCE.partition("\n----\n")
    assert sep and "Young-Kwan Yoon" in header and "autumn 2024" in header
    assert essay.rstrip().endswith("former Minister of Foreign Affairs and Trade")


def test_source_text_is_the_essay_byte_for_byte() -> None:
    """The essay matches its checked-in hash always, and the seed text itself when it is beside the checkout."""
    assert SOURCE is not None
    essay = SOURCE.partition("\n----\n")[2]
    assert hashlib.sha256(essay.encode("utf-8")).hexdigest() == ESSAY_SHA256
    if SEED.exists():  # ../shared is not part of a clone: compare with it only where it is
        assert essay == SEED.read_text(encoding="utf-8")


@pytest.mark.parametrize(("what", "quote"), list(_items()))
def test_every_evidence_quote_is_verbatim(what: str, quote: str) -> None:
    assert quote, f"{what} has no evidence"
    assert quote in SOURCE.partition("\n----\n")[2], f"{what}: not verbatim: {quote!r}"


def test_the_register_is_complete() -> None:
    assert len(REG.risks) >= 12
    assert len(REG.assumptions) >= 8
    assert len(REG.indicators) >= 5
    assert len(REG.responses) >= 3
    assert REG.scenarios
    assert {a.id for a in REG.actors} >= {"DPRK", "CHN", "RUS", "USA", "ROK", "UKR", "REGION"}
    borne = {a for r in REG.risks for a in r.actors}
    assert borne >= {"DPRK", "CHN", "RUS", "USA", "ROK", "UKR", "REGION"}


def test_every_risk_is_linked_and_explained() -> None:
    for r in REG.risks:
        assert r.drivers, r.id
        assert r.actors and r.category and r.rationale, r.id
    for a in REG.assumptions:
        assert REG.dependents[a.id], f"assumption {a.id} drives no risk"
    assert any(m.side_effects for m in REG.responses)


def test_metadata_dates_the_reading() -> None:
    assert REG.as_of.startswith("2024-")
    assert "autumn 2024" in REG.description and "election" in REG.description
    assert REG.source.author == "Young-Kwan Yoon"


def test_the_shipped_files_are_not_written_by_read_commands(run) -> None:
    files = [p for p in register.data_dir().iterdir() if p.is_file()]
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files}
    for args in (["matrix"], ["list"], ["show", "R1"], ["assumptions"], ["validate"]):
        assert run(*args).exit_code == 0
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in files} == before
