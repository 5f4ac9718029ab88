"""The embedded register: faithful to its source, complete, and never modified by riskcli."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from riskcli import register, scoring

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


# --------------------------------------------------------------------------- the reading itself


def _ratings(run, *args: str) -> dict[str, str]:
    """Each risk's rating band as `matrix --json` shows it (with any --scenario given)."""
    out = run("matrix", *args, "--json")
    assert out.exit_code == 0, out.stderr
    data = json.loads(out.stdout)
    return {rid: cell["rating"]["id"] for cell in data["cells"] for rid in cell["risks"]}


def test_validate_prints_no_unacknowledged_warning(run) -> None:
    """`riskcli validate` on the embedded register warns about nothing it has not acknowledged, with a why."""
    out = run("validate")
    assert out.exit_code == 0
    assert "warning" not in out.stdout + out.stderr
    data = json.loads(run("validate", "--json").stdout)
    assert [f["id"] for f in data["findings"] if not f["acknowledged"]] == []
    assert data["stale"] == [] and data["evidence"] == []
    assert all(f["why"] for f in data["findings"]), "an acknowledgement without a why"


def test_the_matrix_uses_at_least_three_bands(run) -> None:
    """The baseline spreads across the matrix instead of crowding into its top."""
    assert len(set(_ratings(run).values())) >= 3


def test_some_scenario_de_escalates(run) -> None:
    """At least one scenario lowers at least one risk's rating from the baseline and raises none."""
    rank = {b.id: i for i, b in enumerate(REG.rules.rating.bands)}
    base = {rid: rank[band] for rid, band in _ratings(run).items()}
    moved = {}
    for sc in REG.scenarios:
        now = {rid: rank[band] for rid, band in _ratings(run, "--scenario", sc.id).items()}
        moved[sc.id] = {rid: now[rid] - base[rid] for rid in base if now[rid] != base[rid]}
    assert any(m and max(m.values()) < 0 for m in moved.values()), moved


def test_impact_moves_under_drivers_where_the_essay_says_it_does() -> None:
    """Every impact driver raises its risk's impact at its worse end; technology transfer (A8) raises
    the conventional threat's (R13)."""
    moving = [(r, d) for r in REG.risks for d in r.drivers if d.if_holds.impact != d.if_fails.impact]
    assert ("R13", "A8") in {(r.id, d.assumption) for r, d in moving}
    for r, d in moving:
        end = 1.0 if d.if_holds.impact > d.if_fails.impact else 0.0
        state = scoring.State(beliefs={**REG.baseline_beliefs, d.assumption: end})
        assert scoring.score_risk(REG, r, state).impact > r.impact, (r.id, d.assumption)


def test_every_assumption_has_a_signpost_bearing_on_it() -> None:
    """Every assumption can be updated by evidence, and every indicator is a signpost, not a preset."""
    borne = {b.assumption for i in REG.indicators for b in i.bears_on}
    assert {a.id for a in REG.assumptions} <= borne
    assert all(i.bears_on and not i.updates for i in REG.indicators), "the embedded register uses signposts only"


def test_every_judgement_states_its_support_or_confidence_and_why() -> None:
    """Assumptions state their support and risks their confidence, each with a rationale."""
    for a in REG.assumptions:
        assert a.support and a.rationale, a.id
    for r in REG.risks:
        assert r.confidence is not None and r.rationale, r.id


def test_what_the_essay_does_not_raise_is_labelled_as_the_analysts_addition() -> None:
    """A19, I10, M5 and the china-cuts-aid and contained scenarios go beyond the essay: each says so."""
    texts = {
        "A19": REG.assumption_by_id["A19"].rationale,
        "I10": next(i for i in REG.indicators if i.id == "I10").watch,
        "M5": next(m for m in REG.responses if m.id == "M5").description,
        **{sc.id: sc.description for sc in REG.scenarios if sc.id in ("china-cuts-aid", "contained")},
    }
    assert len(texts) == 5
    for ident, text in texts.items():
        assert "an analyst's addition" in " ".join(text.lower().split()), ident
    assert "the analyst's addition" in " ".join(REG.description.split())


def test_the_items_reread_claim_no_more_than_the_essay() -> None:
    """R6 no longer says the response saps morale; R10 no longer says Likely of one reported video;
    A16 is no finding drawn from a plea; A18's continuation is inferred, not reported."""
    r6, r10 = REG.risk_by_id["R6"], REG.risk_by_id["R10"]
    assert "morale" not in (r6.title + r6.rationale).lower()
    assert (r10.likelihood, r10.confidence) == (3, scoring.Confidence.LOW) and "one instance" in r10.rationale
    a16, a18 = REG.assumption_by_id["A16"], REG.assumption_by_id["A18"]
    assert (a16.support, a18.support) == ("unsupported", "caveated") and a18.belief < 0.8
    assert "under way" not in REG.risk_by_id["R16"].rationale


def test_opportunities_are_counted_apart_from_threats(run) -> None:
    """R19, the regime's upside, is not in the band tally of threats; --actor gives a party's own."""
    data = json.loads(run("matrix", "--json").stdout)
    assert data["opportunities"] == ["R19"]
    threats = sum(b["count"] for b in data["bands"])
    assert threats == len(REG.risks) - 1 and sum(b["opportunities"] for b in data["bands"]) == 1
    rok = json.loads(run("matrix", "--actor", "ROK", "--json").stdout)
    borne = {r.id for r in REG.risks if "ROK" in r.actors}
    assert {rid for c in rok["cells"] for rid in c["risks"]} == borne
    assert sum(b["count"] for b in rok["bands"]) == len(borne) and rok["opportunities"] == []
    assert rok["actor"] == "ROK"
    dprk = json.loads(run("matrix", "--actor", "North Korea's regime", "--json").stdout)
    assert dprk["opportunities"] == ["R19"] and dprk["actor"] == "DPRK"
    text = run("matrix", env={"COLUMNS": "120"}).stdout
    assert "(18 threats)" in text and "Opportunities (+):" in text and "R19+" in text
    bad = run("matrix", "--actor", "Mars")
    assert bad.exit_code == 2 and "unknown actor 'Mars'" in bad.stderr
